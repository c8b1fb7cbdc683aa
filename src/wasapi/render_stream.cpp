#include "wasapi/render_stream.h"

#include <algorithm>
#include <cmath>

#include "wasapi/hresult_name.h"
#include "wasapi/wave_format.h"

namespace a2w::wasapi {

Status RenderStream::create(InitializedClient client, double hostRate, std::unique_ptr<RenderStream>* out) {
  std::unique_ptr<RenderStream> stream(new RenderStream(std::move(client), hostRate));
  const HRESULT hr = stream->client_.client->GetService(
      __uuidof(IAudioRenderClient), reinterpret_cast<void**>(stream->render_.GetAddressOf()));
  if (FAILED(hr)) {
    return Status::failure(asio::err::kHardwareMalfunction,
                           "The output device gave no render service (" + hresultName(hr) + ").");
  }
  *out = std::move(stream);
  return Status::success();
}

StreamInfo::Side RenderStream::info() const {
  StreamInfo::Side side;
  side.active = true;
  side.format = client_.sampleFormat;
  side.channels = client_.format.Format.nChannels;
  // Latency accounting (frames beyond the ASIO buffer the core already counts):
  //  - every mode: IAudioClient::GetStreamLatency, the engine/driver delay
  //    between a frame leaving the WASAPI buffer and reaching the endpoint;
  //  - ExclusivePoll and SharedEvent: we write a period as soon as the WASAPI
  //    buffer has room for it, so up to (WASAPI buffer - ASIO buffer) frames
  //    are queued ahead of the period being written. We report that worst case:
  //    hosts use the figure for latency compensation, and over-reporting by at
  //    most one engine period is better than under-reporting.
  //  - ExclusiveEvent: the WASAPI buffer is the ASIO buffer, nothing queued ahead.
  const double rate = client_.format.Format.nSamplesPerSec;
  if (resampled()) {
    // Shared at the mix rate, the core resampling (Period: device frames).
    // The same two terms, beyond one engine period (the chunk we write) and
    // in host frames:
    //  - GetStreamLatency;
    //  - up to (WASAPI buffer - engine period) frames queued ahead of the
    //    chunk being written (we write whenever a chunk fits).
    side.deviceSampleRate = rate;
    side.packetFrames = chunkFrames();
    double deviceFrames = static_cast<double>(framesFromRefTime(client_.streamLatency, rate));
    if (client_.bufferFrames > static_cast<std::uint32_t>(chunkFrames())) {
      deviceFrames += static_cast<double>(client_.bufferFrames) - chunkFrames();
    }
    side.extraLatencyFrames = static_cast<std::int32_t>(std::ceil(deviceFrames * hostRate_ / rate));
    return side;
  }
  std::int32_t extra = framesFromRefTime(client_.streamLatency, rate);
  if (client_.mode != StreamMode::ExclusiveEvent &&
      client_.bufferFrames > static_cast<std::uint32_t>(client_.periodFrames)) {
    extra += static_cast<std::int32_t>(client_.bufferFrames) - client_.periodFrames;
  }
  side.extraLatencyFrames = extra;
  return side;
}

bool RenderStream::resampled() const {
  return client_.mode == StreamMode::SharedEvent && hostRate_ > 0 && std::lround(hostRate_) != std::lround(deviceRate());
}

std::int32_t RenderStream::chunkFrames() const {
  if (!resampled()) return client_.periodFrames;
  return std::max<std::int32_t>(1, std::min<std::int32_t>(client_.devicePeriodFrames > 0 ? client_.devicePeriodFrames
                                                                                          : client_.periodFrames,
                                                          static_cast<std::int32_t>(client_.bufferFrames)));
}

HRESULT RenderStream::prefill() {
  UINT32 frames = 0;
  switch (client_.mode) {
    case StreamMode::ExclusiveEvent: frames = client_.bufferFrames; break;
    case StreamMode::ExclusivePoll: frames = static_cast<UINT32>(client_.periodFrames); break;
    case StreamMode::SharedEvent:
    case StreamMode::Auto: return S_OK;
  }
  BYTE* data = nullptr;
  HRESULT hr = render_->GetBuffer(frames, &data);
  if (FAILED(hr)) return hr;
  return render_->ReleaseBuffer(frames, AUDCLNT_BUFFERFLAGS_SILENT);
}

HRESULT RenderStream::start() { return client_.client->Start(); }

void RenderStream::halt() noexcept { client_.client->Stop(); }

HRESULT RenderStream::restart() noexcept {
  client_.client->Stop();
  return client_.client->Start();
}

void RenderStream::stop() {
  client_.client->Stop();
  client_.client->Reset();
}

HRESULT RenderStream::renderOne(PeriodHandler& handler, const TimeBase& clock, UINT32 frames) noexcept {
  BYTE* data = nullptr;
  HRESULT hr = render_->GetBuffer(frames, &data);
  if (FAILED(hr)) return hr;
  Period period;
  period.render = reinterpret_cast<std::byte*>(data);
  period.frames = static_cast<std::int32_t>(frames);
  period.systemTimeNs = clock.nowNs();
  handler.processPeriod(period);
  ++served_;
  return render_->ReleaseBuffer(frames, 0);
}

HRESULT RenderStream::renderPeriods(PeriodHandler& handler, const TimeBase& clock,
                                    const std::atomic<bool>* cancel) noexcept {
  const UINT32 period = static_cast<UINT32>(chunkFrames());
  if (client_.mode == StreamMode::ExclusiveEvent) {
    // One event = the device finished one of its two period halves: exactly
    // one period to write, no padding query needed (exclusive event mode
    // double-buffers the whole buffer).
    return renderOne(handler, clock, period);
  }
  for (;;) {
    if (cancel && cancel->load(std::memory_order_relaxed)) return S_OK;
    UINT32 padding = 0;
    HRESULT hr = client_.client->GetCurrentPadding(&padding);
    if (FAILED(hr)) return hr;
    if (padding > client_.bufferFrames || client_.bufferFrames - padding < period) return S_OK;
    hr = renderOne(handler, clock, period);
    if (FAILED(hr)) return hr;
  }
}

}  // namespace a2w::wasapi
