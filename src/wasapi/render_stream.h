// The render side of a running WASAPI stream: an initialised IAudioClient
// plus its IAudioRenderClient, and the per-mode way of handing the host's
// periods to it. CaptureStream (capture_stream.h) sits next to it with the
// same shape.
#pragma once

#include <windows.h>
#include <audioclient.h>
#include <wrl/client.h>

#include <atomic>
#include <cstdint>
#include <memory>

#include "core/audio_backend.h"
#include "core/engine_clock_watch.h"
#include "core/render_queue.h"
#include "core/status.h"
#include "wasapi/mode_negotiation.h"
#include "wasapi/time_base.h"

namespace a2w::wasapi {

class RenderStream {
 public:
  // Takes the initialised client and gets its render service. hostRate: the
  // host's rate; when the client runs at another one (a shared stream at
  // the mix rate), the core resamples and the periods are device frames.
  // settings: the safety margin's (safety, safety_frames / _ms, safety_max_ms).
  static Status create(InitializedClient client, double hostRate, const DriverSettings& settings,
                       std::unique_ptr<RenderStream>* out);

  StreamMode mode() const { return client_.mode; }
  std::int32_t periodFrames() const { return client_.periodFrames; }
  std::uint32_t bufferFrames() const { return client_.bufferFrames; }
  // The queue kept at start (the latency StreamInfo counts): the smallest
  // buffer the engine gave when the buffer has room for a safety margin,
  // else the whole buffer.
  std::uint32_t minimumQueueFrames() const;
  // The adaptive margin now: frames queued beyond minimumQueueFrames().
  std::int32_t safetyFrames() const noexcept { return queue_.safetyFrames(); }
  std::uint64_t underruns() const noexcept { return queue_.underruns(); }
  std::uint64_t engineLatePasses() const noexcept { return engineWatch_.latePasses(); }
  const WAVEFORMATEXTENSIBLE& format() const { return client_.format; }
  // The WASAPI event in the event modes, null in ExclusivePoll (the audio
  // thread then waits on its own timer).
  HANDLE event() const { return client_.event.get(); }
  StreamInfo::Side info() const;
  double deviceRate() const { return client_.format.Format.nSamplesPerSec; }
  // The device runs at another rate than the host (the core resamples):
  // periods are chunks of the engine period, in device frames.
  bool resampled() const;
  // Shared mode at the host's rate with a host buffer that is not the engine
  // period: periods are engine periods and the core plays the host's
  // buffers across them (StreamInfo::render.packetFrames).
  bool rebuffered() const;
  // The frames each period hands the core: the ASIO buffer, or the engine
  // period (device frames) when resampled or rebuffered.
  std::int32_t chunkFrames() const;

  // Before Start: ExclusiveEvent gets one whole buffer of silence (the
  // device plays it while our first period is produced); ExclusivePoll one
  // period; SharedEvent nothing (the audio thread fills it right away).
  HRESULT prefill();
  HRESULT start();
  // Stop only (the audio thread calls this when its loop ends).
  void halt() noexcept;
  // Stop and Start again, keeping what is buffered: the watchdog's attempt
  // to revive a stream whose events stopped (audio thread).
  HRESULT restart() noexcept;
  // Periods handed to the handler since creation (audio thread only): the
  // watchdog's measure of progress.
  std::uint64_t periodsServed() const noexcept { return served_; }
  // Stop and Reset, so the next start begins with an empty buffer.
  void stop();

  // Audio thread, after a wake: hands the handler as many whole periods as
  // the WASAPI buffer has room for (exactly one in ExclusiveEvent); a
  // period is chunkFrames() frames. Returns
  // the first failure (e.g. AUDCLNT_E_DEVICE_INVALIDATED). Stops early once
  // *cancel is set (a stop requested from inside processPeriod). No
  // allocation, no locks, no waits.
  HRESULT renderPeriods(PeriodHandler& handler, const TimeBase& clock,
                        const std::atomic<bool>* cancel = nullptr) noexcept;

 private:
  RenderStream(InitializedClient client, double hostRate) : client_(std::move(client)), hostRate_(hostRate) {}
  HRESULT renderOne(PeriodHandler& handler, Period& period) noexcept;

  InitializedClient client_;
  double hostRate_ = 0;
  Microsoft::WRL::ComPtr<IAudioRenderClient> render_;
  std::uint64_t served_ = 0;
  // Shared and polled modes: the target queue and the underrun detection.
  RenderQueue queue_;
  // Shared and polled modes: whether the engine itself fell behind the
  // clock (what it consumed: frames written minus padding).
  EngineClockWatch engineWatch_;
  std::uint64_t writtenFrames_ = 0;  // since the client was initialised (prefill included)
  // ExclusiveEvent: the last event's time, for missed events.
  std::uint64_t lastEventNs_ = 0;
};

}  // namespace a2w::wasapi
