// The whole ASIO driver behaviour, portable, over an abstract AudioBackend.
// The COM object in src/driver forwards every IASIO method here one to one;
// the native tests drive this class directly with a fake backend.
//
// States: Loaded -> (init) Initialised -> (createBuffers) Prepared
//         -> (start) Running -> (stop) Prepared -> (disposeBuffers) Initialised.
// A call in the wrong state returns asio::err::kInvalidMode; a bad argument
// returns kInvalidParameter; both leave a sentence for getErrorMessage().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "asio/asio_abi.h"
#include "core/audio_backend.h"
#include "core/driver_settings.h"
#include "core/version.h"

namespace a2w {

enum class DriverState : std::uint8_t { Loaded, Initialised, Prepared, Running };

// Counters and facts for logs, the panel and tests; a snapshot, any thread.
struct DriverStats {
  std::uint64_t periods = 0;            // processPeriod calls since construction
  std::uint64_t bufferSwitches = 0;     // host buffer switches since construction (= periods
                                        // unless the output is resampled)
  std::uint64_t outputReadyCalls = 0;   // outputReady() calls that returned kOk
  std::uint64_t overloads = 0;          // periods that ended later than one period after they began
                                        // (the host's bufferSwitch overran); kOverload told to hosts that want it
  std::uint64_t mismatchedPeriods = 0;  // periods whose frame count was not the buffer size
  std::uint64_t deviceEvents = 0;       // deviceEvent() calls from the backend
  std::uint64_t resetRequestsSent = 0;  // kResetRequest messages the host received
  // Xruns since construction, by kind; each is recovered in one step and
  // told to the host with one kResyncRequest (at most one per period).
  std::uint64_t renderUnderruns = 0;     // the render device ran dry (the audio thread woke too late)
  std::uint64_t inputRealigns = 0;       // the input FIFO brought back to its target after an xrun
  std::uint64_t resyncRequestsSent = 0;  // kResyncRequest messages sent (hosts that understand it)
  std::int32_t renderSafetyFrames = 0;   // the adaptive margin now: queue kept beyond the minimum (device frames)
  std::int32_t lastRenderUnderrunFrames = 0;  // the size of the latest render underrun (device frames)
  std::uint64_t renderEngineLatePasses = 0;   // the render engine itself fell behind the clock (engine_clock_watch.h)
  std::int32_t lastRenderEngineLateFrames = 0;  // how far, the latest time (device frames)
  // Exclusive-event mode, after repeated missed periods since start: a
  // buffer of more than this many frames would have held them (0: no advice).
  std::int32_t bufferAdviceFrames = 0;
  bool resetPending = false;            // a device event or rate change awaits the host's reset
  bool hostUsesTimeInfo = false;        // bufferSwitchTimeInfo is called (from createBuffers)
  std::int32_t hostEngineVersion = 0;   // the host's kEngineVersion answer, 0 if not asked
  // The input FIFO (input_fifo.h), while buffers exist; zeros otherwise.
  // Frames are capture-device frames.
  std::uint64_t inputPackets = 0;          // captureArrived calls
  std::uint64_t inputSilentPackets = 0;    // packets flagged silent (delivered as zeros)
  std::uint64_t inputDiscontinuities = 0;  // packets flagged: the device lost frames before them
  std::uint64_t inputUnderruns = 0;        // glitches: periods the FIFO could not fill (silence instead)
  std::uint64_t inputOverruns = 0;         // glitches: oldest frames dropped because the FIFO overflowed
  std::int32_t inputFifoTargetFrames = 0;  // the fill the FIFO holds after each read
  std::int32_t inputFifoFrames = 0;        // frames in the FIFO after the last read
  std::int32_t inputFifoMinFrames = 0;     // min / max of inputFifoFrames since start, once primed
  std::int32_t inputFifoMaxFrames = 0;
  double inputFifoLevelFrames = 0;         // the controller's measure: fill + captured in flight
  double inputDriftPpm = 0;                // the drift controller's ratio adjust now (+: capture clock fast)
  double inputClockRatioPpm = 0;           // the clock tracking's estimate of it (input_fifo.h), the last while locked
  bool inputClockLocked = false;           // both clock estimates locked now (the estimate feeds the ratio)
  double inputCaptureClockStdErrPpm = 0;   // their standard errors (infinite before a fit; 0 without tracking)
  double inputPeriodClockStdErrPpm = 0;
  bool inputResampling = false;            // the input runs through the resampler
  bool inputDriftCompensation = false;     // ... with the drift controller
  // The output path, while buffers exist.
  bool outputResampling = false;           // host rate -> render device rate through the resampler
  double outputDeviceSampleRate = 0;       // the render device's rate (0: no render stream)
  // The host's buffers played across device periods of another length
  // (at the host's rate): the device's period in frames; 0 on the direct
  // path (a period is one buffer) and when resampling.
  std::int32_t outputRebufferedPeriodFrames = 0;

  // Every glitch the driver detected: what a glitch counter shows.
  std::uint64_t glitches() const {
    return renderUnderruns + renderEngineLatePasses + inputUnderruns + inputOverruns + inputDiscontinuities + overloads;
  }
};

struct DriverIdentity {
  std::string name = "ASIO2WASAPI Universal";  // at most 31 characters
  std::int32_t version = A2W_VERSION_NUMBER;   // core/version.h: from CMake's project version
};

class DriverCore final : private PeriodHandler {
 public:
  DriverCore(std::unique_ptr<AudioBackend> backend, DriverSettings settings, DriverIdentity identity = {});
  ~DriverCore();
  DriverCore(const DriverCore&) = delete;
  DriverCore& operator=(const DriverCore&) = delete;

  // The IASIO methods, same names, same meaning, portable types.
  asio::Bool init(void* sysHandle);
  void getDriverName(char* name) const;        // copies at most 32 bytes
  std::int32_t getDriverVersion() const;
  void getErrorMessage(char* text) const;      // copies at most 124 bytes
  asio::Error start();
  asio::Error stop();
  asio::Error getChannels(std::int32_t* inputs, std::int32_t* outputs);
  asio::Error getLatencies(std::int32_t* input, std::int32_t* output);
  asio::Error getBufferSize(std::int32_t* minSize, std::int32_t* maxSize, std::int32_t* preferredSize,
                            std::int32_t* granularity);
  asio::Error canSampleRate(asio::SampleRate rate);
  asio::Error getSampleRate(asio::SampleRate* rate);
  asio::Error setSampleRate(asio::SampleRate rate);
  asio::Error getClockSources(asio::ClockSource* clocks, std::int32_t* count);
  asio::Error setClockSource(std::int32_t index);
  asio::Error getSamplePosition(asio::Samples* position, asio::TimeStamp* stamp);
  asio::Error getChannelInfo(asio::ChannelInfo* info);
  asio::Error createBuffers(asio::BufferInfo* infos, std::int32_t count, std::int32_t bufferSize,
                            asio::Callbacks* callbacks);
  asio::Error disposeBuffers();
  asio::Error controlPanel();
  asio::Error future(std::int32_t selector, void* opt);
  asio::Error outputReady();

  DriverState state() const;
  AudioBackend& backend();
  DriverStats stats() const;

  // The settings could not be read (a bad environment value, later a bad
  // config file). The COM object cannot refuse to be created, so the error
  // is parked here: while it is set, init() returns kFalse and
  // getErrorMessage() gives its message. Call before init(); an ok() status
  // clears it. (driver_core_config_error.cpp)
  void setConfigError(Status error);
  Status configError() const;

  // Live reload (driver_core_settings.cpp), from any thread (the config
  // watcher's). applySettings keeps `settings` for the next init, clears a
  // parked config error (the file is valid again) and asks the host to reset.
  // The next init() -- also one on a driver already initialised, as hosts
  // call after a reset -- closes the device and reopens it with them; a
  // Prepared or Running driver keeps them until then. `reason` is for the
  // log (lastResetReason).
  void applySettings(DriverSettings settings, std::string reason);
  // kResetRequest to the host when it listens (buffers exist); else the
  // request is remembered in stats().resetPending. Any thread.
  void requestReset(std::string reason);
  std::string lastResetReason() const;
  // The settings the next init() opens with (pending ones, else current).
  DriverSettings settings() const;

 private:
  void processPeriod(const Period& period) noexcept override;
  void captureArrived(const CapturePacket& packet) noexcept override;
  void deviceEvent(DeviceEvent event) noexcept override;

  struct Impl;
  std::unique_ptr<Impl> impl_;
  // Taken by init() when it may reopen (Loaded or Initialised).
  std::optional<DriverSettings> takePendingSettings();

  mutable std::mutex settingsMutex_;  // guards the three below
  Status configError_;  // see setConfigError
  std::optional<DriverSettings> pendingSettings_;
  std::string lastResetReason_;
};

}  // namespace a2w
