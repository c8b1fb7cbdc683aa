#include "wasapi/render_stream.h"

#include <algorithm>
#include <cmath>

#include "wasapi/hresult_name.h"
#include "wasapi/wave_format.h"

namespace a2w::wasapi {
namespace {

// Wine's ntdll exports wine_get_version; Windows' does not. Used only to
// pick how its engine takes frames (RenderQueueConfig::engineTakesWholePeriods).
bool runningUnderWine() {
  const HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll != nullptr && GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

}  // namespace

Status RenderStream::create(InitializedClient client, double hostRate, const DriverSettings& settings,
                            std::unique_ptr<RenderStream>* out) {
  std::unique_ptr<RenderStream> stream(new RenderStream(std::move(client), hostRate));
  const HRESULT hr = stream->client_.client->GetService(
      __uuidof(IAudioRenderClient), reinterpret_cast<void**>(stream->render_.GetAddressOf()));
  if (FAILED(hr)) {
    return Status::failure(asio::err::kHardwareMalfunction,
                           "The output device gave no render service (" + hresultName(hr) + ").");
  }
  // Shared and polled modes keep a target queue (core/render_queue.h): at
  // start the smallest buffer the engine gave for our request, growing by a
  // period after each underrun into the room left above it.
  RenderStream& r = *stream;
  if (r.client_.mode != StreamMode::ExclusiveEvent) {
    RenderQueueConfig q;
    q.periodFrames = r.chunkFrames();
    q.capacityFrames = static_cast<std::int32_t>(r.client_.bufferFrames);
    q.minimumQueueFrames = static_cast<std::int32_t>(r.minimumQueueFrames());
    q.rate = r.deviceRate();
    // Wine's shared mode (winepulse) plays from PulseAudio's buffer
    // continuously; Windows' engine takes a period per pass (render_queue.h).
    q.engineTakesWholePeriods = !runningUnderWine();
    // Only with room above the minimum (ClientSetup::safetyRoomFrames).
    const bool room = r.client_.minimumQueueFrames > 0;
    q.adaptive = room && settings.safety == SafetyMode::Auto;
    q.initialSafetyFrames = room ? fixedSafetyFrames(settings, q.rate) : 0;
    q.maximumQueueFrames = q.minimumQueueFrames + (room ? maximumSafetyFrames(settings, q.rate) : 0);
    r.queue_.configure(q);
    // How far above its floor the engine's consumed position may lag the
    // clock in a healthy pass (engine_clock_watch.h): an engine pass of
    // frames (the engine's period, or ours if larger) for a continuous
    // engine (Wine's timer jitter stays well within it: 14 ms gaps lagged
    // 210 frames at 10 ms passes), twice that for one that takes a period
    // per pass (the sawtooth a wake at any phase sees, plus the pass).
    const double pass = std::max(r.chunkFrames(), r.client_.devicePeriodFrames);
    r.engineWatch_.configure(q.rate, (q.engineTakesWholePeriods ? 2.0 : 1.0) * pass);
  }
  *out = std::move(stream);
  return Status::success();
}

std::uint32_t RenderStream::minimumQueueFrames() const {
  if (client_.minimumQueueFrames == 0) return client_.bufferFrames;
  return std::min(client_.minimumQueueFrames, client_.bufferFrames);
}

StreamInfo::Side RenderStream::info() const {
  StreamInfo::Side side;
  side.active = true;
  side.format = client_.sampleFormat;
  side.channels = client_.format.Format.nChannels;
  // Latency accounting. The core counts one period (one ASIO buffer, or one
  // engine period of device frames when it resamples): the period queued
  // ahead of the one being written, which the device plays meanwhile. The
  // backend adds what lies beyond that:
  //  - every mode: IAudioClient::GetStreamLatency, the engine/driver delay
  //    between a frame leaving the WASAPI buffer and reaching the endpoint;
  //  - ExclusivePoll and SharedEvent: we write a period as soon as the WASAPI
  //    buffer has room for it, so up to (WASAPI buffer - period) frames are
  //    queued ahead of the period being written: one period of it is the
  //    core's, the rest, (WASAPI buffer - 2 periods), is ours. That is the
  //    worst case (the queue is that full only when we write the moment the
  //    room appears); hosts use the figure to align recordings, and
  //    over-reporting by less than a period beats under-reporting.
  //  - ExclusiveEvent: the WASAPI buffer is one period, double-buffered by
  //    the device: the other half is the core's period, nothing else queued.
  const double rate = client_.format.Format.nSamplesPerSec;
  // The queue is the minimum the stream starts with; the adaptive margin on
  // top of it reaches the core with each period (Period::renderSafetyFrames).
  const auto queuedBeyondOnePeriod = [this](std::int32_t period) {
    const auto buffer = static_cast<std::int64_t>(minimumQueueFrames());
    return static_cast<std::int32_t>(std::max<std::int64_t>(0, buffer - 2 * static_cast<std::int64_t>(period)));
  };
  if (resampled() || rebuffered()) {
    // Shared at the mix rate, the core resampling, or at the host's rate
    // with a host buffer that is not the engine period, the core
    // rebuffering (Period: device frames, one engine period each): the same
    // two terms against one engine period (the chunk we write), converted to
    // host frames (the same figure when the rates are equal).
    side.deviceSampleRate = rate;
    side.packetFrames = chunkFrames();
    const double deviceFrames =
        static_cast<double>(framesFromRefTime(client_.streamLatency, rate)) + queuedBeyondOnePeriod(chunkFrames());
    side.extraLatencyFrames = static_cast<std::int32_t>(std::ceil(deviceFrames * hostRate_ / rate));
    side.osLatencyFrames = std::min(
        side.extraLatencyFrames,
        static_cast<std::int32_t>(std::lround(framesFromRefTime(client_.streamLatency, rate) * hostRate_ / rate)));
    return side;
  }
  side.osLatencyFrames = framesFromRefTime(client_.streamLatency, rate);
  std::int32_t extra = side.osLatencyFrames;
  if (client_.mode != StreamMode::ExclusiveEvent) extra += queuedBeyondOnePeriod(client_.periodFrames);
  side.extraLatencyFrames = extra;
  return side;
}

bool RenderStream::resampled() const {
  return client_.mode == StreamMode::SharedEvent && hostRate_ > 0 && std::lround(hostRate_) != std::lround(deviceRate());
}

// Shared mode writes what the engine takes in one pass whatever the host's
// buffer: host buffers of 512 or 1024 written as such lost or inserted
// frames under Wine (issue 14; winepulse's timer takes one period per tick
// from its padding, Wine 8's pulse_timer_loop), and on Windows the engine
// pulls a period per pass too. The core plays the host's buffers across
// the engine periods (core/driver_core_rebuffer.cpp).
bool RenderStream::rebuffered() const {
  return client_.mode == StreamMode::SharedEvent && !resampled() && client_.devicePeriodFrames > 0 &&
         client_.devicePeriodFrames != client_.periodFrames;
}

std::int32_t RenderStream::chunkFrames() const {
  if (!resampled() && !rebuffered()) return client_.periodFrames;
  return std::max<std::int32_t>(1, std::min<std::int32_t>(client_.devicePeriodFrames > 0 ? client_.devicePeriodFrames
                                                                                          : client_.periodFrames,
                                                          static_cast<std::int32_t>(client_.bufferFrames)));
}

HRESULT RenderStream::prefill() {
  UINT32 frames = 0;
  switch (client_.mode) {
    case StreamMode::ExclusiveEvent: frames = client_.bufferFrames; break;
    case StreamMode::ExclusivePoll: frames = static_cast<UINT32>(client_.periodFrames); break;
    // Shared: silence up to one period short of full, so the stream does not
    // start empty (an engine that finds too little at its first passes can
    // skip the first frames we write: Wine's does). Every event tops the
    // buffer up to full anyway, so the steady-state queue is the same.
    case StreamMode::SharedEvent:
      frames = minimumQueueFrames() - std::min<UINT32>(minimumQueueFrames(), static_cast<UINT32>(chunkFrames()));
      if (frames == 0) return S_OK;
      break;
    case StreamMode::Auto: return S_OK;
  }
  frames = std::min(frames, client_.bufferFrames);
  BYTE* data = nullptr;
  HRESULT hr = render_->GetBuffer(frames, &data);
  if (FAILED(hr)) return hr;
  hr = render_->ReleaseBuffer(frames, AUDCLNT_BUFFERFLAGS_SILENT);
  if (SUCCEEDED(hr)) writtenFrames_ += frames;
  return hr;
}

HRESULT RenderStream::start() {
  queue_.reset();  // every start begins at the minimum queue
  engineWatch_.rebase();
  lastEventNs_ = 0;
  return client_.client->Start();
}

void RenderStream::halt() noexcept { client_.client->Stop(); }

HRESULT RenderStream::restart() noexcept {
  engineWatch_.rebase();  // the engine stood still meanwhile
  client_.client->Stop();
  return client_.client->Start();
}

void RenderStream::stop() {
  client_.client->Stop();
  client_.client->Reset();  // the buffer is empty again: nothing written is queued
  writtenFrames_ = 0;
}

HRESULT RenderStream::renderOne(PeriodHandler& handler, Period& period) noexcept {
  BYTE* data = nullptr;
  const auto frames = static_cast<UINT32>(period.frames);
  HRESULT hr = render_->GetBuffer(frames, &data);
  if (FAILED(hr)) return hr;
  period.render = reinterpret_cast<std::byte*>(data);
  handler.processPeriod(period);
  ++served_;
  hr = render_->ReleaseBuffer(frames, 0);
  if (SUCCEEDED(hr)) writtenFrames_ += frames;
  return hr;
}

HRESULT RenderStream::renderPeriods(PeriodHandler& handler, const TimeBase& clock,
                                    const std::atomic<bool>* cancel) noexcept {
  const UINT32 frames = static_cast<UINT32>(chunkFrames());
  Period period;
  period.frames = static_cast<std::int32_t>(frames);
  const std::uint64_t now = clock.nowNs();
  if (client_.mode == StreamMode::ExclusiveEvent) {
    // One event = the device finished one of its two period halves: exactly
    // one period to write, no padding query needed (exclusive event mode
    // double-buffers the whole buffer). An event that came more than one
    // and a half periods after the one before means events were missed: the
    // device replayed or silenced the halves in between. Nothing to catch
    // up (the buffer is the period); counted, and the input realigned.
    const double periodNs = 1e9 * frames / deviceRate();
    if (lastEventNs_ != 0 && static_cast<double>(now - lastEventNs_) > 1.5 * periodNs) {
      period.renderUnderrunFrames = static_cast<std::int32_t>(
          std::lround((static_cast<double>(now - lastEventNs_) - periodNs) * 1e-9 * deviceRate()));
    }
    lastEventNs_ = now;
    period.systemTimeNs = now;
    return renderOne(handler, period);
  }
  UINT32 padding = 0;
  HRESULT hr = client_.client->GetCurrentPadding(&padding);
  if (FAILED(hr)) return hr;
  // A late wake that found the buffer empty: the underrun (reported with the
  // first period written now) and, when adaptive, one more period of target.
  period.renderUnderrunFrames = queue_.wake(padding, now).underrunFrames;
  // The engine's own late pass, seen from what it consumed. An underrun
  // stopped the consumed position itself (nothing to consume): start a new
  // floor instead.
  if (period.renderUnderrunFrames > 0 || padding > writtenFrames_) {
    engineWatch_.rebase();
  } else {
    period.renderEngineLateFrames = engineWatch_.observe(writtenFrames_ - padding, now);
  }
  bool wrote = false;
  while (queue_.roomForPeriod(padding) && client_.bufferFrames - padding >= frames) {
    if (cancel && cancel->load(std::memory_order_relaxed)) break;
    period.systemTimeNs = queue_.stampFor(padding, now);
    period.renderSafetyFrames = queue_.safetyFrames();
    hr = renderOne(handler, period);
    if (FAILED(hr)) return hr;
    wrote = true;
    period.renderUnderrunFrames = 0;
    period.renderEngineLateFrames = 0;
    hr = client_.client->GetCurrentPadding(&padding);
    if (FAILED(hr)) return hr;
  }
  if (wrote) queue_.wrote(padding, clock.nowNs());
  return S_OK;
}

}  // namespace a2w::wasapi
