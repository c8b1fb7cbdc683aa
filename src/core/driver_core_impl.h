// DriverCore's private state, shared by the driver_core*.cpp files. Not part
// of the public API: only those files include it.
//
// Threads: the host calls the IASIO methods (normally from one thread at a
// time); the backend's audio thread calls processPeriod; the backend may call
// deviceEvent from a third thread. What the audio thread reads (the stream
// section below) is written only while no period can run: in createBuffers
// before start, and in disposeBuffers after stop. Everything shared with the
// other threads while running is an atomic or the seqlock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/audio_backend.h"
#include "core/channel_map.h"
#include "core/driver_core.h"
#include "core/error_message.h"
#include "core/host_buffers.h"
#include "core/host_callbacks.h"
#include "core/input_fifo.h"
#include "core/resampler.h"
#include "core/sample_convert.h"
#include "core/sample_position.h"
#include "core/vendor_selectors.h"

namespace a2w {

// The render side at the host's rate when the device's periods are not one
// host buffer long (a shared-mode engine period of 480 frames under a host
// buffer of 512, 64 or 4096): the period is filled from the host's output
// halves themselves, a buffer at a time, and a host cycle runs whenever the
// half being played is used up (0, 1 or more per period). No staging copy
// and the same conversion as the direct path, so it stays bit exact. Built
// in createBuffers; the audio thread only reads and writes what is here.
struct OutputRebuffer {
  explicit OutputRebuffer(int channels) : sources(static_cast<std::size_t>(channels), nullptr) {}
  // Back to the state of a new stream (start()): nothing staged.
  void reset() {
    index = 0;
    read = 0;
    left = 0;
  }
  std::int32_t index = 0;            // the host half being played
  std::int32_t read = 0;             // its next frame
  std::int32_t left = 0;             // its frames not played yet
  std::vector<const void*> sources;  // per device slot: that half's channel from `read` on, or null
};

// The render side at a device rate other than the host's: each host buffer
// is converted to float planes (the staging), the resampler pulls from it
// into a chunk of device frames, and the chunk is converted into the device
// period. Built in createBuffers; the audio thread only reads and writes
// what is here (no allocation).
struct OutputResampler {
  // Device frames resampled per conversion into the period; a period of any
  // length goes through in chunks of this.
  static constexpr int kChunkFrames = 256;

  OutputResampler(int channels, double hostRate, double deviceRate, std::int32_t bufferFrames);
  // Back to the state of a new stream (start()).
  void reset();

  Resampler resampler;
  double deviceRate = 0;
  int channels = 0;
  std::int32_t bufferFrames = 0;
  std::vector<float> staged;                // channels x bufferFrames: the newest host buffer
  std::vector<float> chunk;                 // channels x kChunkFrames
  std::vector<const float*> stagedPlanes;   // per channel: the next unconsumed staged frame
  std::vector<float*> chunkPlanes;          // per channel: where the next resampled frame goes
  std::vector<void*> stageTargets;          // one entry, for converting one host channel
  std::vector<const void*> chunkSources;    // per device slot: its chunk plane, or null (silent slot)
  std::int32_t stagedLeft = 0;              // staged frames not consumed yet
  std::int32_t stagedRead = 0;              // ... starting here
};

// After a render underrun the input FIFO realigns this much later, once the
// catch-up burst of periods is over (driver_core_audio.cpp): longer than the
// largest queue a burst refills (the safety margin's 100 ms cap and the
// minimum queue).
inline constexpr double kRealignDelaySeconds = 0.15;

struct DriverCore::Impl {
  Impl(std::unique_ptr<AudioBackend> backendIn, DriverSettings settingsIn, DriverIdentity identityIn)
      : backend(std::move(backendIn)), settings(std::move(settingsIn)), identity(std::move(identityIn)) {}

  // Sets the message and returns the code, so failures read `return fail(...)`.
  asio::Error fail(asio::Error code, std::string_view message) {
    error.set(message);
    return code;
  }

  DriverState currentState() const { return state.load(std::memory_order_acquire); }
  void setState(DriverState s) { state.store(s, std::memory_order_release); }

  int channelCount(bool input) const {
    const DeviceDescription::Side& side = input ? description.capture : description.render;
    return side.present ? static_cast<int>(side.channelNames.size()) : 0;
  }
  // The buffer sizes at the current rate, with the user's preferred size applied.
  std::optional<BufferSizeOptions> bufferSizeOptions() const;

  // --- fixed at construction
  std::unique_ptr<AudioBackend> backend;
  DriverSettings settings;
  DriverIdentity identity;

  std::atomic<DriverState> state{DriverState::Loaded};
  ErrorMessage error;
  // stats() runs on any thread (the logger's poll): it holds this while it
  // reads `stream` and `host`, and createBuffers / disposeBuffers hold it
  // while they replace them and move the state into or out of Prepared. The
  // audio thread never takes it.
  mutable std::mutex streamMutex;

  // --- from init (host thread)
  DeviceDescription description;
  double sampleRate = 0;  // the host-visible rate; the next createBuffers opens the stream at it
  // Host channel -> device slot, from the settings' channels / channel_map
  // (driver_core_settings.cpp). description's channelNames are the host's
  // channels, already in this order.
  ChannelMap outputMap;
  ChannelMap inputMap;
  // Resolves the maps against a freshly opened device and turns its channel
  // names into the host's; "" or the sentence for getErrorMessage.
  std::string applyChannelMaps(DeviceDescription* description);

  // --- the stream, from createBuffers to disposeBuffers (read by the audio thread)
  struct Stream {
    double sampleRate = 0;
    std::int32_t bufferFrames = 0;
    StreamInfo info;
    asio::SampleType hostType = asio::SampleType::Float32LSB;
    std::size_t hostBytesPerSample = 0;
    // Per device slot, per half: the host buffer to play / to fill, or nullptr.
    std::array<std::vector<const void*>, 2> renderSources;
    std::array<std::vector<void*>, 2> captureDestinations;
    std::optional<TpdfDither> dither;
    // The input path (null without a capture stream): captureArrived fills
    // it, each period takes one host buffer out of it.
    std::unique_ptr<InputFifo> input;
    // The output path when the render device runs at another rate
    // (StreamInfo::render.deviceSampleRate); null on the direct path.
    std::unique_ptr<OutputResampler> output;
    // The output path when the render device runs at the host's rate with
    // periods of another length (StreamInfo::render.packetFrames); null
    // otherwise. Never both.
    std::unique_ptr<OutputRebuffer> rebuffer;
  };
  Stream stream;
  HostCallbacks host;
  HostBuffers buffers;
  std::vector<bool> inputActive;   // per host input channel: has buffers
  std::vector<bool> outputActive;  // per host output channel: has buffers

  // --- audio thread only (reset by start() before the backend starts)
  asio::Time time{};
  std::int32_t nextIndex = 0;
  std::uint64_t framesSinceStart = 0;
  std::uint32_t seenTargetGrowths = 0;  // InputFifo::targetGrowths() last told to the host
  // The input FIFO's glitch counters as last seen (each new one is an xrun).
  std::uint64_t seenInputUnderruns = 0, seenInputOverruns = 0, seenInputDiscontinuities = 0;
  bool resyncDue = false;  // an xrun in this period: kResyncRequest after it

  // --- shared across threads
  PublishedPosition position;
  std::atomic<bool> rateChangePending{false};  // kSampleRateChanged on the next period
  std::atomic<HostCallbacks::MessageFunction> resetMessenger{nullptr};
  std::atomic<bool> resetPending{false};
  // A device event came since the device was opened: the next init() on an
  // Initialised driver closes and reopens it (it may be another endpoint
  // now, or the same one back, or in another format).
  std::atomic<bool> reopenPending{false};
  // The thread inside processPeriod right now (none between periods): a
  // host call from inside its own bufferSwitch is recognised by it.
  std::atomic<std::thread::id> periodThread{};
  bool insidePeriod() const { return periodThread.load(std::memory_order_relaxed) == std::this_thread::get_id(); }
  std::atomic<std::uint64_t> periods{0};
  std::atomic<std::uint64_t> bufferSwitches{0};
  std::atomic<std::uint64_t> outputReadyCalls{0};
  std::atomic<std::uint64_t> overloads{0};
  std::atomic<std::uint64_t> mismatchedPeriods{0};
  std::atomic<std::uint64_t> deviceEvents{0};
  std::atomic<std::uint64_t> resetRequestsSent{0};
  std::atomic<std::uint64_t> renderUnderruns{0};
  std::atomic<std::uint64_t> resyncRequestsSent{0};
  std::atomic<std::int32_t> lastRenderUnderrunFrames{0};
  std::atomic<std::uint64_t> renderEngineLatePasses{0};
  std::atomic<std::int32_t> lastRenderEngineLateFrames{0};
  // Period::renderSafetyFrames as last seen (device frames): part of the
  // output latency; reset at start.
  std::atomic<std::int32_t> renderSafetyFrames{0};
  // Exclusive-event mode: the buffer is the period, so no margin can grow
  // after a miss. After kMissesBeforeAdvice misses since start, the buffer
  // that would have held them (more than the latest worst lateness) is
  // logged and published (DriverStats::bufferAdviceFrames). The counts are
  // the audio thread's; reset at start.
  static constexpr std::uint32_t kMissesBeforeAdvice = 3;
  std::uint32_t exclusiveMisses = 0;
  std::int32_t worstMissFrames = 0;
  std::atomic<std::int32_t> bufferAdviceFrames{0};

  // Asks the host to reset (stop, dispose, re-create) if it supports that.
  // Never from processPeriod: a host may handle the message synchronously.
  void requestReset();

  // The audio thread's work for one period (driver_core_audio.cpp).
  void runPeriod(const Period& period) noexcept;
  // One host cycle: input half `index` from the FIFO, the time info, the
  // bufferSwitch; flips the index. Returns the index the host processed.
  std::int32_t runHostCycle(std::uint64_t systemTimeNs) noexcept;
  // runPeriod on the resampled render path.
  void runResampledPeriod(const Period& period) noexcept;
  // runPeriod on the rebuffered render path (driver_core_rebuffer.cpp).
  void runRebufferedPeriod(const Period& period) noexcept;
  // After a period: if it ended later than its own length after it began
  // (`rate`: the rate its frames are at), counts an overload and tells a
  // host that asked for kOverload. No allocation, no lock.
  void checkOverload(const Period& period, std::uint64_t beganNs, double rate) noexcept;
  // The input FIFO realigns kRealignDelaySeconds from now (after an xrun).
  void realignInputLater() noexcept;
  // Before the period's host cycles: the backend's xrun report and margin.
  void notePeriodStart(const Period& period, double deviceRate) noexcept;
  // An exclusive-event miss of `frames`: counted toward the buffer advice.
  void noteExclusiveMiss(std::int32_t frames, double deviceRate) noexcept;
  // After each input read: the FIFO's new glitches, counted as xruns.
  void noteInputGlitches() noexcept;
  // After the period: one kResyncRequest for its xruns, if any.
  void sendResyncIfDue() noexcept;
  // Output latency in host frames beyond what the backend reports
  // (driver_core_queries.cpp).
  std::int32_t outputLatencyBase() const;
  // The backend's adaptive safety margin (renderSafetyFrames) in host frames.
  std::int32_t renderSafetyHostFrames() const;
  // getLatencies term by term, while buffers exist (driver_core_queries.cpp).
  vendor::LatencyParts latencyParts() const;
};

}  // namespace a2w
