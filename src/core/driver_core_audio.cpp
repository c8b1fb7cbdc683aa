// DriverCore on the backend's threads: processPeriod (the audio thread: no
// allocation, no locks, no I/O) and deviceEvent.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/driver_core.h"
#include "core/driver_core_impl.h"
#include "core/log.h"

namespace a2w {

void DriverCore::processPeriod(const Period& period) noexcept {
  impl_->periodThread.store(std::this_thread::get_id(), std::memory_order_relaxed);
  impl_->runPeriod(period);
  impl_->periodThread.store(std::thread::id(), std::memory_order_relaxed);
}

// Capture packets go into the input FIFO; the period takes them out.
void DriverCore::captureArrived(const CapturePacket& packet) noexcept {
  if (impl_->stream.input) impl_->stream.input->push(packet);
}

std::int32_t DriverCore::Impl::runHostCycle(std::uint64_t systemTimeNs) noexcept {
  const std::int32_t index = nextIndex;
  nextIndex ^= 1;

  // 1. Input: one host buffer out of the input FIFO (captured in the
  // previous period(s)) into the input half the host reads now. Always a
  // whole buffer, whatever this period's frame count: the FIFO decouples them.
  if (stream.input) {
    stream.input->read(stream.captureDestinations[index].data(), systemTimeNs);
    noteInputGlitches();
    // The FIFO widened its margin after an underrun: the input latency grew.
    // kLatenciesChanged only makes the host ask getLatencies again (which
    // reads atomics), so it is safe to send between two bufferSwitches.
    const std::uint32_t growths = stream.input->targetGrowths();
    if (growths != seenTargetGrowths) {
      seenTargetGrowths = growths;
      host.sendIfSupported(asio::msg::kLatenciesChanged);
    }
  }

  // 2. Where this buffer's first frame sits, for the host and getSamplePosition.
  position.publish({framesSinceStart, systemTimeNs});
  std::memset(&time, 0, sizeof time);
  time.timeInfo.speed = 1.0;
  time.timeInfo.sampleRate = stream.sampleRate;
  time.timeInfo.samplePosition = asio::toSplit64(framesSinceStart);
  time.timeInfo.systemTime = asio::toSplit64(systemTimeNs);
  time.timeInfo.flags = asio::timeinfo::kSystemTimeValid | asio::timeinfo::kSamplePositionValid |
                        asio::timeinfo::kSampleRateValid | asio::timeinfo::kSpeedValid;
  if (rateChangePending.exchange(false, std::memory_order_relaxed)) {
    time.timeInfo.flags |= asio::timeinfo::kSampleRateChanged;
  }

  // 3. The host processes: reads input half `index`, writes output half `index`.
  host.bufferSwitch(&time, index);
  bufferSwitches.fetch_add(1, std::memory_order_relaxed);
  return index;
}

void DriverCore::Impl::runPeriod(const Period& period) noexcept {
  const std::uint64_t began = backend->nowNs();
  if (stream.output) {
    notePeriodStart(period, stream.output->deviceRate);
    runResampledPeriod(period);
    checkOverload(period, began, stream.output->deviceRate);
    sendResyncIfDue();
    periods.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  notePeriodStart(period, stream.sampleRate);
  if (stream.rebuffer) {
    runRebufferedPeriod(period);
    checkOverload(period, began, stream.sampleRate);
    sendResyncIfDue();
    periods.fetch_add(1, std::memory_order_relaxed);
    return;
  }

  // The backend promises one host buffer per period (createBuffers refuses a
  // stream that says otherwise). If a period still differs, convert what
  // fits and play silence for the rest rather than read or write past a
  // buffer; the counter tells the logs.
  int frames = period.frames;
  if (frames != stream.bufferFrames) {
    mismatchedPeriods.fetch_add(1, std::memory_order_relaxed);
    frames = std::clamp(frames, 0, stream.bufferFrames);
  }

  // 1.-3. Input, time info, the host's bufferSwitch.
  const std::int32_t index = runHostCycle(period.systemTimeNs);

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

  checkOverload(period, began, stream.sampleRate);
  sendResyncIfDue();
  framesSinceStart += static_cast<std::uint64_t>(std::max(period.frames, 0));
  periods.fetch_add(1, std::memory_order_relaxed);
}

// The backend woke too late and the render device ran dry: from here on
// every frame plays that much later, so the loop from output to input grew
// by as much. The input FIFO realigns itself (it measures the shift; the
// backend's figure is an estimate), not at once but kRealignDelaySeconds
// later: the periods written in the catch-up burst are stamped on time only
// to within the engine's unknown pass phase (up to a period), while a read
// after the burst, from an on-time wake, measures the level exactly. The
// host hears of the xrun once after the period. The safety margin the backend keeps now is
// part of the output latency: a change is told with kLatenciesChanged
// (which only makes the host ask getLatencies again: atomics).
void DriverCore::Impl::realignInputLater() noexcept {
  if (!stream.input) return;
  const double bufferSeconds = stream.bufferFrames / stream.sampleRate;
  stream.input->requestRealign(std::max(2, static_cast<int>(std::ceil(kRealignDelaySeconds / bufferSeconds))));
}

void DriverCore::Impl::notePeriodStart(const Period& period, double deviceRate) noexcept {
  if (period.renderUnderrunFrames > 0) {
    renderUnderruns.fetch_add(1, std::memory_order_relaxed);
    lastRenderUnderrunFrames.store(period.renderUnderrunFrames, std::memory_order_relaxed);
    log::realtime(LogLevel::Warning, log::Tag::Audio,
                  "xrun: the render device ran dry for about {} frames ({} ms) before sample position {}",
                  period.renderUnderrunFrames, std::lround(period.renderUnderrunFrames * 1000.0 / deviceRate),
                  framesSinceStart);
    realignInputLater();
    resyncDue = true;
    if (stream.info.mode == StreamMode::ExclusiveEvent) noteExclusiveMiss(period.renderUnderrunFrames, deviceRate);
  }
  // The engine's own late pass: the device behind it played silence the
  // driver cannot measure (docs/LATENCY.md, "Late periods"), so the host is
  // told to resync; the input realigns as after an underrun (the capture
  // side of the same engine may have stalled too).
  if (period.renderEngineLateFrames > 0) {
    renderEngineLatePasses.fetch_add(1, std::memory_order_relaxed);
    lastRenderEngineLateFrames.store(period.renderEngineLateFrames, std::memory_order_relaxed);
    log::realtime(LogLevel::Warning, log::Tag::Audio,
                  "xrun: the render engine fell {} frames ({} ms) behind the clock before sample position {} "
                  "(its own late pass: the device may have played silence that no WASAPI call shows)",
                  period.renderEngineLateFrames, std::lround(period.renderEngineLateFrames * 1000.0 / deviceRate),
                  framesSinceStart);
    realignInputLater();
    resyncDue = true;
  }
  if (period.renderSafetyFrames != renderSafetyFrames.load(std::memory_order_relaxed)) {
    renderSafetyFrames.store(period.renderSafetyFrames, std::memory_order_relaxed);
    log::realtime(LogLevel::Info, log::Tag::Audio,
                  "safety margin: the render queue now keeps {} frames ({} ms) beyond its minimum", period.renderSafetyFrames,
                  std::lround(period.renderSafetyFrames * 1000.0 / deviceRate));
    host.sendIfSupported(asio::msg::kLatenciesChanged);
  }
}

// Exclusive-event mode: an event that came late by `frames` beyond its
// period (the backend's figure: the gap less one period) means the audio
// thread woke that late, and a period must be longer than such a wake to
// hold it. Once misses repeat, the user is told which buffer would have
// held the worst of them (the log line, the panel's status); a new worst
// raises the advice and logs again.
void DriverCore::Impl::noteExclusiveMiss(std::int32_t frames, double deviceRate) noexcept {
  ++exclusiveMisses;
  worstMissFrames = std::max(worstMissFrames, frames);
  if (exclusiveMisses < kMissesBeforeAdvice || worstMissFrames <= bufferAdviceFrames.load(std::memory_order_relaxed)) {
    return;
  }
  bufferAdviceFrames.store(worstMissFrames, std::memory_order_relaxed);
  log::realtime(LogLevel::Warning, log::Tag::Audio,
                "exclusive-event: {} periods missed since start, the worst {} frames late: a buffer of more than {} "
                "frames ({} ms) would have held them (choose it in the host, or use shared mode, whose margin grows "
                "by itself)",
                exclusiveMisses, worstMissFrames, worstMissFrames, std::lround(worstMissFrames * 1000.0 / deviceRate));
}

// The input FIFO's own glitches in the read just done: an underrun (it
// delivered silence and primes again), an overrun (it dropped the surplus),
// a capture discontinuity (the device lost frames: the FIFO kept their place
// from the timestamps, or without them runs short and primes again). Each
// is one xrun: one log line, one kResyncRequest after the period.
void DriverCore::Impl::noteInputGlitches() noexcept {
  const InputFifo::Stats in = stream.input->stats();
  if (in.underruns != seenInputUnderruns) {
    seenInputUnderruns = in.underruns;
    log::realtime(LogLevel::Warning, log::Tag::Audio,
                  "xrun: input underrun at sample position {} (fill {} of target {} frames): silence, then priming",
                  framesSinceStart, in.fillFrames, in.targetFrames);
    resyncDue = true;
  }
  if (in.overruns != seenInputOverruns) {
    seenInputOverruns = in.overruns;
    log::realtime(LogLevel::Warning, log::Tag::Audio,
                  "xrun: input overrun at sample position {}: the oldest frames dropped back to the target {}",
                  framesSinceStart, in.targetFrames);
    resyncDue = true;
  }
  if (in.discontinuities != seenInputDiscontinuities) {
    seenInputDiscontinuities = in.discontinuities;
    log::realtime(LogLevel::Warning, log::Tag::Audio,
                  "xrun: the capture device lost frames before sample position {}", framesSinceStart);
    resyncDue = true;
  }
  // The realignment itself drops or inserts input frames, kRealignDelaySeconds
  // after the xrun that asked for it: a discontinuity of its own in what the
  // host records, so the host hears of it there too (not a glitch count:
  // the xrun was counted).
  if (const std::int32_t moved = stream.input->lastRealignFrames(); moved != 0) {
    log::realtime(LogLevel::Warning, log::Tag::Audio,
                  "xrun recovery: input realigned to its target at sample position {}: {} frames {}", framesSinceStart,
                  std::abs(moved), moved > 0 ? log::Arg::literal("dropped") : log::Arg::literal("of silence inserted"));
    resyncDue = true;
  }
}

// ASIO's message for "data was lost, the stream goes on" (hosts such as
// RtAudio count it as an xrun). Sent after the period's host cycles, from
// the audio thread like kOverload: a call through the copied callbacks.
void DriverCore::Impl::sendResyncIfDue() noexcept {
  if (!resyncDue) return;
  resyncDue = false;
  if (!host.supports(asio::msg::kResyncRequest)) return;
  host.sendIfSupported(asio::msg::kResyncRequest);
  resyncRequestsSent.fetch_add(1, std::memory_order_relaxed);
}

// The period began at systemTimeNs and the device needs the next one a
// period later: if the host's bufferSwitch (plus our conversion) took us
// past that, the device played late data or silence. Counted for the log;
// kOverload only to hosts that said they understand it (HostCallbacks asked
// at createBuffers), from right here on the audio thread, as hosts expect
// it. sendIfSupported only reads the copied callbacks: no allocation, no lock.
//
// Measured from when the period's processing began (not from its stamp: a
// period written late is stamped on time, and its lateness is the
// scheduler's, not the host's).
void DriverCore::Impl::checkOverload(const Period& period, std::uint64_t beganNs, double rate) noexcept {
  if (beganNs == 0 || period.frames <= 0 || rate <= 0) return;
  const std::uint64_t now = backend->nowNs();
  if (now == 0) return;  // the backend has no clock
  const auto lengthNs = static_cast<std::uint64_t>(static_cast<double>(period.frames) * 1e9 / rate);
  if (now <= beganNs + lengthNs) return;
  overloads.fetch_add(1, std::memory_order_relaxed);
  host.sendIfSupported(asio::msg::kOverload);
}

// The render device runs at another rate: `period.frames` device frames,
// pulled from the resampler a chunk at a time. Whenever the resampler has
// consumed the staged host buffer and needs more, one host cycle runs (so 0,
// 1 or 2 per period at ratios near 1) and its output half becomes the new
// staging. Each host buffer is stamped with the time of the device frame
// that first needs it: the period's time plus that frame's offset.
void DriverCore::Impl::runResampledPeriod(const Period& period) noexcept {
  OutputResampler& o = *stream.output;
  const int channels = stream.info.render.channels;
  const std::size_t frameBytes =
      static_cast<std::size_t>(channels) * static_cast<std::size_t>(bytesPerSample(stream.info.render.format));
  const int total = std::max(period.frames, 0);
  const double nsPerDeviceFrame = 1e9 / o.deviceRate;
  int done = 0;
  while (done < total) {
    const int want = std::min(total - done, OutputResampler::kChunkFrames);
    int produced = 0;
    while (produced < want) {
      if (o.stagedLeft == 0) {
        const auto offsetNs = static_cast<std::uint64_t>(std::llround(static_cast<double>(done + produced) * nsPerDeviceFrame));
        const std::int32_t index = runHostCycle(period.systemTimeNs + offsetNs);
        // The host's output half, as float planes (silent slots stay zero).
        const std::vector<const void*>& sources = stream.renderSources[index];
        for (std::size_t c = 0; c < sources.size(); ++c) {
          if (sources[c] == nullptr) continue;
          o.stageTargets[0] = o.staged.data() + c * static_cast<std::size_t>(o.bufferFrames);
          hostToDevice(stream.hostType, &sources[c], DeviceSampleFormat::Float32, o.stageTargets[0], 1,
                       o.bufferFrames, nullptr);
        }
        o.stagedLeft = o.bufferFrames;
        o.stagedRead = 0;
        framesSinceStart += static_cast<std::uint64_t>(o.bufferFrames);
      }
      for (int c = 0; c < o.channels; ++c) {
        const auto plane = static_cast<std::size_t>(c);
        o.stagedPlanes[plane] = o.staged.data() + plane * static_cast<std::size_t>(o.bufferFrames) +
                                static_cast<std::size_t>(o.stagedRead);
        o.chunkPlanes[plane] = o.chunk.data() + plane * static_cast<std::size_t>(OutputResampler::kChunkFrames) +
                                static_cast<std::size_t>(produced);
      }
      const Resampler::Result r =
          o.resampler.process(o.stagedPlanes.data(), o.stagedLeft, o.chunkPlanes.data(), want - produced);
      o.stagedRead += r.inputFramesConsumed;
      o.stagedLeft -= r.inputFramesConsumed;
      produced += r.outputFramesProduced;
    }
    if (period.render != nullptr) {
      hostToDevice(asio::SampleType::Float32LSB, o.chunkSources.data(), stream.info.render.format,
                   period.render + static_cast<std::size_t>(done) * frameBytes, channels, want,
                   stream.dither ? &*stream.dither : nullptr);
    }
    done += want;
  }
}

// The backend calls this from its own (non-audio) thread, so asking the host
// for a reset right here is allowed: the ABI only forbids sending it from
// inside bufferSwitch, where a host may act on it synchronously. The host
// then stops, disposes and re-creates, which reopens the device.
//
// Whatever the state, the device is reopened at the next init() on an
// Initialised driver (reopenPending): that is how a host's reset reaches
// the new default endpoint, or the same one back after it was unplugged.
// With nothing open (Loaded: no init yet, or it failed) the event only
// counts: the next init looks afresh anyway, and its error text stays.
void DriverCore::deviceEvent(DeviceEvent event) noexcept {
  Impl& s = *impl_;
  s.deviceEvents.fetch_add(1, std::memory_order_relaxed);
  s.reopenPending.store(true, std::memory_order_release);
  if (s.currentState() == DriverState::Loaded) return;
  const char* text = "";
  switch (event) {
    case DeviceEvent::Lost: text = "the audio device was removed or disabled; the host must reset the driver"; break;
    case DeviceEvent::DefaultChanged: text = "the default audio device changed; the host must reset the driver"; break;
    case DeviceEvent::FormatChanged: text = "the audio device's format changed; the host must reset the driver"; break;
    case DeviceEvent::Stalled: text = "the audio device stopped delivering periods; the host must reset the driver"; break;
    case DeviceEvent::Failed: text = "the audio stream failed (the log names the WASAPI error); the host must reset the driver"; break;
  }
  try {
    s.error.set(text);
  } catch (...) {
    // A lock failure must not escape a noexcept callback; the reset still goes out.
  }
  // Last: a host may handle the request synchronously, down to releasing
  // the driver (this object) before it returns.
  s.requestReset();
}

}  // namespace a2w
