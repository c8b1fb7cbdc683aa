#include "wasapi/capture_stream.h"

#include <cmath>

#include "wasapi/hresult_name.h"
#include "wasapi/wave_format.h"

namespace a2w::wasapi {

Status CaptureStream::create(InitializedClient client, bool loopback, double hostRate,
                             std::unique_ptr<CaptureStream>* out) {
  std::unique_ptr<CaptureStream> stream(new CaptureStream(std::move(client), loopback, hostRate));
  const HRESULT hr = stream->client_.client->GetService(__uuidof(IAudioCaptureClient),
                                                        reinterpret_cast<void**>(stream->capture_.GetAddressOf()));
  if (FAILED(hr)) {
    return Status::failure(asio::err::kHardwareMalfunction,
                           "The input device gave no capture service (" + hresultName(hr) + ").");
  }
  *out = std::move(stream);
  return Status::success();
}

StreamInfo::Side CaptureStream::info(bool drivesPeriods) const {
  StreamInfo::Side side;
  side.active = true;
  side.format = client_.sampleFormat;
  side.channels = client_.format.Format.nChannels;
  side.packetFrames = client_.devicePeriodFrames;
  side.deviceSampleRate = deviceRate();
  // Latency accounting for input (frames at the host's rate, beyond the ASIO
  // buffer the core already counts):
  //  - every mode: IAudioClient::GetStreamLatency, the delay between a frame
  //    reaching the endpoint and its entering the WASAPI buffer;
  //  - with a render stream driving the periods, nothing more: the device
  //    hands frames over a packet at a time, so the first frame of a packet
  //    waited up to a packet before we could see it, but the core's input
  //    FIFO counts the frames captured and not yet delivered (from the
  //    packets' timestamps or arrival times) in its fill target, which is
  //    in the latency already (input_fifo.h);
  //  - input only (the capture drives the periods: no FIFO target), in
  //    ExclusivePoll, SharedEvent and loopback: that wait, one device
  //    period, as the worst case (over-reporting by less than a period beats
  //    under-reporting). ExclusiveEvent: the packet is the ASIO buffer itself,
  //    already counted.
  const double host = hostRate_ > 0 ? hostRate_ : deviceRate();
  side.osLatencyFrames = framesFromRefTime(client_.streamLatency, host);
  std::int32_t extra = side.osLatencyFrames;
  if (drivesPeriods && (client_.mode != StreamMode::ExclusiveEvent || loopback_)) {
    extra += static_cast<std::int32_t>(
        std::ceil(static_cast<double>(client_.devicePeriodFrames) * host / deviceRate()));
  }
  side.extraLatencyFrames = extra;
  // Shared mode, polling and loopback deliver on a timer (the engine's or
  // ours), which may run up to a period late (Wine's shared-mode events do
  // routinely): the input FIFO starts with one device period of margin.
  // Exclusive-event capture is clocked by the device itself.
  side.timingJitterFrames =
      client_.mode != StreamMode::ExclusiveEvent || loopback_ ? client_.devicePeriodFrames : 0;
  return side;
}

HRESULT CaptureStream::start() { return client_.client->Start(); }

void CaptureStream::halt() noexcept { client_.client->Stop(); }

HRESULT CaptureStream::restart() noexcept {
  client_.client->Stop();
  return client_.client->Start();
}

void CaptureStream::stop() {
  client_.client->Stop();
  client_.client->Reset();
}

HRESULT CaptureStream::deliverOne(PeriodHandler& handler, const TimeBase& clock, std::uint32_t* frames) noexcept {
  *frames = 0;
  UINT32 next = 0;
  HRESULT hr = capture_->GetNextPacketSize(&next);
  if (FAILED(hr) || next == 0) return hr;
  BYTE* data = nullptr;
  UINT32 got = 0;
  DWORD flags = 0;
  UINT64 devicePosition = 0;
  UINT64 qpcPosition = 0;
  hr = capture_->GetBuffer(&data, &got, &flags, &devicePosition, &qpcPosition);
  if (hr == AUDCLNT_S_BUFFER_EMPTY || FAILED(hr)) return FAILED(hr) ? hr : S_OK;
  CapturePacket packet;
  packet.silent = (flags & AUDCLNT_BUFFERFLAGS_SILENT) != 0;
  packet.data = packet.silent ? nullptr : reinterpret_cast<const std::byte*>(data);
  packet.frames = static_cast<std::int32_t>(got);
  packet.discontinuity = (flags & AUDCLNT_BUFFERFLAGS_DATA_DISCONTINUITY) != 0;
  // A bogus timestamp is flagged rather than zeroed by some drivers.
  packet.deviceTimeNs =
      (flags & AUDCLNT_BUFFERFLAGS_TIMESTAMP_ERROR) != 0 ? 0 : clock.fromQpcHns(qpcPosition);
  packet.arrivalNs = clock.nowNs();
  if (got > 0) {
    handler.captureArrived(packet);
    ++delivered_;
  }
  *frames = got;
  return capture_->ReleaseBuffer(got);
}

}  // namespace a2w::wasapi
