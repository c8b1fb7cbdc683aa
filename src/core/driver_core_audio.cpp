// DriverCore on the backend's threads: processPeriod (the audio thread: no
// allocation, no locks, no I/O) and deviceEvent.
#include <algorithm>
#include <cstring>

#include "core/driver_core.h"
#include "core/driver_core_impl.h"

namespace a2w {

void DriverCore::processPeriod(const Period& period) noexcept { impl_->runPeriod(period); }

// Capture packets go into the input FIFO; the period takes them out.
void DriverCore::captureArrived(const CapturePacket& packet) noexcept {
  if (impl_->stream.input) impl_->stream.input->push(packet);
}

void DriverCore::Impl::runPeriod(const Period& period) noexcept {
  const std::int32_t index = nextIndex;
  nextIndex ^= 1;

  // The backend promises one host buffer per period (createBuffers refuses a
  // stream that says otherwise). If a period still differs, convert what
  // fits and play silence for the rest rather than read or write past a
  // buffer; the counter tells the logs.
  int frames = period.frames;
  if (frames != stream.bufferFrames) {
    mismatchedPeriods.fetch_add(1, std::memory_order_relaxed);
    frames = std::clamp(frames, 0, stream.bufferFrames);
  }

  // 1. Input: one host buffer out of the input FIFO (captured in the
  // previous period(s)) into the input half the host reads now. Always a
  // whole buffer, whatever this period's frame count: the FIFO decouples them.
  if (stream.input) stream.input->read(stream.captureDestinations[index].data(), period.systemTimeNs);

  // 2. Where this period's first frame sits, for the host and getSamplePosition.
  position.publish({framesSinceStart, period.systemTimeNs});
  std::memset(&time, 0, sizeof time);
  time.timeInfo.speed = 1.0;
  time.timeInfo.sampleRate = stream.sampleRate;
  time.timeInfo.samplePosition = asio::toSplit64(framesSinceStart);
  time.timeInfo.systemTime = asio::toSplit64(period.systemTimeNs);
  time.timeInfo.flags = asio::timeinfo::kSystemTimeValid | asio::timeinfo::kSamplePositionValid |
                        asio::timeinfo::kSampleRateValid | asio::timeinfo::kSpeedValid;
  if (rateChangePending.exchange(false, std::memory_order_relaxed)) {
    time.timeInfo.flags |= asio::timeinfo::kSampleRateChanged;
  }

  // 3. The host processes: reads input half `index`, writes output half `index`.
  host.bufferSwitch(&time, index);

  // 4. Output: converted right after the host returns, so outputReady or not,
  // the host's samples leave in this very period (no added latency).
  if (period.render != nullptr && !stream.renderSources[index].empty()) {
    const int channels = stream.info.render.channels;
    hostToDevice(stream.hostType, stream.renderSources[index].data(), stream.info.render.format, period.render,
                 channels, frames, stream.dither ? &*stream.dither : nullptr);
    if (frames < period.frames) {
      const std::size_t frameBytes = static_cast<std::size_t>(channels) *
                                     static_cast<std::size_t>(bytesPerSample(stream.info.render.format));
      std::memset(period.render + static_cast<std::size_t>(frames) * frameBytes, 0,
                  static_cast<std::size_t>(period.frames - frames) * frameBytes);
    }
  }

  // TODO(overload issue): compare the time the host returned with
  // period.systemTimeNs + one period and count/report kOverload; `overloads`
  // is the counter it will feed.
  framesSinceStart += static_cast<std::uint64_t>(std::max(period.frames, 0));
  periods.fetch_add(1, std::memory_order_relaxed);
}

// The backend calls this from its own (non-audio) thread, so asking the host
// for a reset right here is allowed: the ABI only forbids sending it from
// inside bufferSwitch, where a host may act on it synchronously. The host
// then stops, disposes and re-creates, which reopens the device.
void DriverCore::deviceEvent(DeviceEvent event) noexcept {
  Impl& s = *impl_;
  s.deviceEvents.fetch_add(1, std::memory_order_relaxed);
  const char* text = "";
  switch (event) {
    case DeviceEvent::Lost: text = "the audio device was removed or disabled; the host must reset the driver"; break;
    case DeviceEvent::DefaultChanged: text = "the default audio device changed; the host must reset the driver"; break;
    case DeviceEvent::FormatChanged: text = "the audio device's format changed; the host must reset the driver"; break;
    case DeviceEvent::Stalled: text = "the audio device stopped delivering periods; the host must reset the driver"; break;
  }
  try {
    s.error.set(text);
  } catch (...) {
    // A lock failure must not escape a noexcept callback; the reset still goes out.
  }
  s.requestReset();
}

}  // namespace a2w
