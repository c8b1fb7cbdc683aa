// a2w::AudioBackend on Windows Core Audio (WASAPI): a render endpoint as the
// ASIO outputs, a capture endpoint (or WASAPI loopback of a render endpoint)
// as the ASIO inputs; either may be "none".
//
// Modes (DriverSettings::mode), the same for both directions:
//   ExclusiveEvent  ASIO buffer = WASAPI period; the host's output is
//                   written straight into the buffer GetBuffer returns, and
//                   capture packets are one period each.
//   ExclusivePoll   exclusive, no event: a timer at half a period tops the
//                   render buffer up and drains the capture buffer.
//   SharedEvent     the engine's mix format; ASIO periods are cut from a
//                   WASAPI buffer of ASIO buffer + one engine period. Each
//                   stream runs at the host's rate when the engine takes it
//                   exactly, else at its mix rate (always at the mix rate
//                   with SharedModeResample::Always) and the core resamples:
//                   capture in its input FIFO; render between the host's
//                   buffers and periods of one engine period of device
//                   frames (StreamInfo::render.deviceSampleRate). So shared
//                   mode offers 44.1k..192k whatever the mix rate.
//   Auto            the first of the three that every endpoint in use
//                   accepts; why each earlier one was refused is kept in
//                   decisions().
// Loopback ("loopback:<render selector>") is always a shared, polled stream
// (AUDCLNT_STREAMFLAGS_LOOPBACK); when it records the render endpoint in use,
// that one is opened shared too (an exclusive stream bypasses the engine
// loopback taps), and an explicit exclusive mode is refused at open.
//
// Who clocks the periods: the render stream whenever there is one (opened
// even when the host uses no output channel); input-only, the capture stream
// (StreamInfo::captureDrivesPeriods: processPeriod(render = null) per ASIO
// buffer of captured frames).
//
// Threads: every method but the PeriodHandler callbacks runs on the host's
// thread(s), which may be an STA; the audio thread is private (see
// audio_thread.h). Device events come from a notifier thread
// (event_notifier.h) that runs from open() to close(): the audio thread
// posts Lost / Failed / Stalled to it, and an IMMNotificationClient
// (device_watcher.h) posts Lost / DefaultChanged / FormatChanged for the
// endpoints in use. They go to the handler given to setEventHandler (the
// core), else to the one given to start() while a stream runs. Every method
// may be called from inside a device event (the host reacting to its reset
// request synchronously), down to close() and the destructor. stop() may
// also be called from inside processPeriod or captureArrived: it then only
// requests the stop, and the audio thread is joined by the next
// stop/start/unprepare/close from another thread.
#pragma once

#include <windows.h>
#include <mmdeviceapi.h>
#include <wrl/client.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/audio_backend.h"
#include "wasapi/audio_thread.h"
#include "wasapi/capture_stream.h"
#include "wasapi/co_task_mem.h"
#include "wasapi/com_init.h"
#include "wasapi/device_watcher.h"
#include "wasapi/endpoint_list.h"
#include "wasapi/event_notifier.h"
#include "wasapi/render_stream.h"
#include "wasapi/time_base.h"

namespace a2w::wasapi {

// Where the backend gets its IMMDeviceEnumerator: the real one by default,
// a fake in the tests. Called on the thread that calls open()/listEndpoints()
// with COM initialised.
using EnumeratorFactory = std::function<HRESULT(IMMDeviceEnumerator** out)>;

// CoCreateInstance(MMDeviceEnumerator).
HRESULT createSystemEnumerator(IMMDeviceEnumerator** out);

class WasapiBackend final : public AudioBackend {
 public:
  explicit WasapiBackend(EnumeratorFactory factory = createSystemEnumerator);
  ~WasapiBackend() override;
  WasapiBackend(const WasapiBackend&) = delete;
  WasapiBackend& operator=(const WasapiBackend&) = delete;

  std::vector<EndpointInfo> listEndpoints() override;
  Status open(const DriverSettings& settings, DeviceDescription* description) override;
  Status prepare(const StreamRequest& request, StreamInfo* info) override;
  Status start(PeriodHandler* handler) override;
  void stop() override;
  void unprepare() override;
  void close() override;
  void setEventHandler(PeriodHandler* handler) override { eventHandler_.store(handler); }
  // The period clock (QueryPerformanceCounter on the timeGetTime() base).
  std::uint64_t nowNs() const noexcept override { return clock_.nowNs(); }

  // The mode decisions since open(): each refusal with its HRESULT name and
  // value ("exclusive-event refused: AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED
  // (0x8889000E)"), alignment retries, IAudioClient3 fallbacks, and the
  // mode finally chosen. For the log and the panel.
  std::vector<std::string> decisions() const { return decisions_; }
  // The mode open() found for describing the device (Auto resolved; the
  // render side's, or the capture side's when there is no render side).
  StreamMode describedMode() const { return describedMode_; }
  // What ended the audio loop (S_OK while running or after a clean stop).
  HRESULT lastStreamError() const { return thread_.lastError(); }
  bool mmcssRegistered() const { return thread_.mmcssRegistered(); }
  // The audio thread's watchdog (audio_thread.h): how long without a period
  // counts as a stall, the stalls seen and the restarts tried, since start().
  DWORD stallTimeoutMs() const { return thread_.stallTimeoutMs(); }
  // The watchdog's floor from the next start() on (default 1000 ms; tests
  // lower it to stay fast).
  void setMinimumStallTimeout(DWORD ms) { minimumStallTimeoutMs_ = ms; }
  std::uint64_t stalls() const { return thread_.stalls(); }
  std::uint64_t stallRestarts() const { return thread_.restarts(); }
  // Device events: the notifier runs and the notification client is
  // registered (open() to close()).
  bool watchingDevices() const { return notifier_.running() && watcher_.registered(); }

 private:
  // One opened endpoint: the device, its mix format and a probe client
  // (activated, never initialised) for describing it.
  struct OpenedSide {
    FoundEndpoint endpoint;  // loopback: the render endpoint recorded
    CoTaskMemPtr<WAVEFORMATEX> mix;
    Microsoft::WRL::ComPtr<IAudioClient> probe;
    std::vector<BYTE> deviceFormat;  // PKEY_AudioEngine_DeviceFormat at open (empty: unknown)
    bool loopback = false;
    bool present() const { return endpoint.device != nullptr && mix != nullptr; }
  };

  Status openSide(Direction direction, const std::string& selector, OpenedSide* side);
  Status chooseMode(const DriverSettings& settings);
  // Opens (and releases) a trial stream of one side in `mode`; capture also
  // gets its capture service, which is where Wine refuses loopback.
  Status trialSide(const OpenedSide& side, StreamMode mode, const DriverSettings& settings, HRESULT* failure);
  Status describe(const DriverSettings& settings, DeviceDescription* description);
  std::vector<StreamMode> modeChain(StreamMode from) const;
  StreamMode captureModeFor(StreamMode mode) const {
    return capture_.loopback ? StreamMode::SharedEvent : mode;
  }
  // "the input device \"Mic\"", "the loopback source \"HDMI\" (loopback:HDMI)".
  std::string sideLabel(const OpenedSide& side) const;
  ClientSetup setupFor(const OpenedSide& side, StreamMode mode, double rate, std::int32_t frames) const;
  // Joins what a stop() from inside a callback left running, stops and
  // resets the clients. Never on the audio thread.
  void finishStop();
  // Device events, open() to close(): the notifier and the notification client.
  void watchDevices(const DriverSettings& settings);
  // On the notifier thread: passes an event on (FormatChanged only when an
  // endpoint's format really differs from the one opened).
  void deliver(DeviceEvent event);
  bool formatChanged() const;

  EnumeratorFactory factory_;
  MtaUsage mta_;
  Microsoft::WRL::ComPtr<IMMDeviceEnumerator> enumerator_;
  OpenedSide render_;
  OpenedSide capture_;
  bool loopbackOfRender_ = false;  // capture_ records render_'s own endpoint
  bool sharesClock_ = false;
  DriverSettings settings_;
  StreamMode describedMode_ = StreamMode::SharedEvent;
  std::vector<std::string> decisions_;

  std::unique_ptr<RenderStream> renderStream_;
  std::unique_ptr<CaptureStream> captureStream_;
  StreamRequest prepared_;
  std::int32_t preparedFrames_ = 0;
  TimeBase clock_;
  EventNotifier notifier_;
  DeviceWatcher watcher_;
  std::atomic<PeriodHandler*> eventHandler_{nullptr};   // setEventHandler
  std::atomic<PeriodHandler*> streamHandler_{nullptr};  // start(), until the stream stops
  AudioThread thread_;
  DWORD minimumStallTimeoutMs_ = 1000;
  std::atomic<bool> started_{false};
  std::atomic<bool> streamsRunning_{false};
};

}  // namespace a2w::wasapi
