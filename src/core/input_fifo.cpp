#include "core/input_fifo.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/sample_convert.h"

namespace a2w {

namespace {
std::int32_t framesFor(double seconds, double rate) { return static_cast<std::int32_t>(std::ceil(seconds * rate)); }
}  // namespace

void InputFifo::configure(const InputFifoConfig& config) {
  config_ = config;
  config_.channels = std::max(config_.channels, 1);
  config_.bufferFrames = std::max(config_.bufferFrames, 1);
  if (!(config_.hostRate > 0)) config_.hostRate = 48000;
  if (!(config_.deviceRate > 0)) config_.deviceRate = config_.hostRate;
  const double fs = config_.hostRate, fc = config_.deviceRate;
  frameBytes_ = static_cast<std::size_t>(config_.channels) * static_cast<std::size_t>(bytesPerSample(config_.format));

  // Device frames one host buffer takes (at most: the drift adjust may ask
  // 1 % more, and a resampler's integer consumption one frame more).
  const double perBuffer = config_.bufferFrames * fc / fs;
  const auto maxNeed = static_cast<std::int32_t>(std::ceil(perBuffer * (1.0 + Resampler::kMaxRatioAdjust))) + 2;

  // The target; the derivation is in the header.
  packet_ = config_.packetFrames > 0 ? config_.packetFrames : static_cast<std::int32_t>(std::ceil(perBuffer));
  jitter_ = std::max(framesFor(0.5e-3, fc) + 2, config_.minimumJitterFrames);
  jitterCap_ = config_.captureDrivesPeriods ? jitter_ : jitter_ + 3 * packet_;
  // Timer-driven capture (a jitter hint above 0): packets and periods come
  // from two timers of one period, racing. The level counts the frames in
  // flight from the newest packet's end (its stamp, or its arrival when
  // that is earlier: Wine stamps packets when it hands them over), so a
  // packet landing just before or just after a read measures the same; what
  // stays is how late the OS hands frames over after capturing them, up to
  // the hint, which wanders as the timers' phases do. The controller ignores
  // level errors within half the hint (the lateness' spread about its
  // middle; drift_controller.h), and the margin grows by that dead band, so
  // the fill may sit anywhere in it without running dry.
  deadband_ = config_.driftCompensation && !config_.captureDrivesPeriods ? std::max(config_.minimumJitterFrames, 0) / 2 : 0;
  margin_ = config_.driftCompensation ? framesFor(1.5e-3, fc) + 2 + deadband_ : 0;
  early_ = config_.captureDrivesPeriods ? 0 : std::max(config_.earlyReadFrames, 0);
  // Room for the largest fill before a read (the limit at the largest
  // jitter margin, a period's need and a packet's lumpiness), twice over so
  // only a stalled reader fills it.
  const std::int32_t largestLimit = 2 * (packet_ + jitterCap_ + margin_ + early_);
  // At least kMinimumRingSeconds: after a late wake the packets of the
  // whole gap arrive before the burst of reads that catches up.
  const auto ringFrames = std::max<std::size_t>(2 * static_cast<std::size_t>(largestLimit + maxNeed + 2 * packet_),
                                                static_cast<std::size_t>(framesFor(kMinimumRingSeconds, fc)));
  ring_.allocate(ringFrames, frameBytes_);
  setTarget();
  targetGrowths_.store(0, std::memory_order_relaxed);

  resampler_.reset();
  controller_.reset();
  const bool resample = config_.driftCompensation || fc != fs;
  if (resample) {
    resampler_.emplace(config_.channels, fc, fs);
    const auto channels = static_cast<std::size_t>(config_.channels);
    inScratch_.assign(channels * static_cast<std::size_t>(maxNeed), 0.0f);
    outScratch_.assign(channels * static_cast<std::size_t>(config_.bufferFrames), 0.0f);
    inPlanes_.resize(channels);
    inTargets_.resize(channels);
    outPlanes_.resize(channels);
    for (std::size_t c = 0; c < channels; ++c) {
      inPlanes_[c] = inScratch_.data() + c * static_cast<std::size_t>(maxNeed);
      inTargets_[c] = inPlanes_[c];
      outPlanes_[c] = outScratch_.data() + c * static_cast<std::size_t>(config_.bufferFrames);
    }
  }
  // The controller sees the mean level of each block of periods: a block
  // spans at least two packets and 50 ms.
  const double bufferSeconds = config_.bufferFrames / fs;
  const double blockSeconds = std::max({2.0 * packet_ / fc, kLevelBlockSeconds, bufferSeconds});
  levelBlockPeriods_ = std::max(1, static_cast<int>(std::ceil(blockSeconds / bufferSeconds - 1e-9)));
  if (config_.driftCompensation) {
    controller_.emplace();
    controller_->configure(levelBlockPeriods_ * bufferSeconds, fc, target_, deadband_);
  }
  // Clock tracking (see the header). Timer-driven capture scatters its
  // positions by up to the jitter hint: the estimator's quiet jitter is at
  // least that, so it takes only bigger moves for phase jumps.
  trackClocks_ = config_.driftCompensation && !config_.captureDrivesPeriods;
  if (trackClocks_) {
    ClockEstimatorOptions capture;
    ClockEstimatorOptions reader;
    capture.quietJitterNs = std::max(capture.quietJitterNs, std::max(config_.minimumJitterFrames, 0) * 1e9 / fc);
    if (config_.minimumJitterFrames > 0) {
      // Timer-driven capture (Wine's: stamped at delivery). Its bucket
      // minima scatter by a few hundred us, so the fit reaches ~1 ppm of
      // standard error, not the 0.25 ppm a device-stamped clock does:
      // locked at 1 ppm (errors up to ~4x that at lock, within the 5 ppm
      // goal), it still beats the level loop, which wanders within its
      // dead band by tens of ppm (driver_core_drift_test). Such a machine
      // also wakes late for whole stretches (a load that comes and goes):
      // a 0.5 s bucket can then hold no on-time point, so both clocks take
      // 2 s buckets over a 180 s window. Measured with positions late by
      // 0..9 ms, and 0..30 ms more every other second: locked at 58 s,
      // within 0.03 ppm at 300 s; with 0.5 s over 60 s it never locked
      // (standard error 8 ppm, error 6-18 ppm).
      for (ClockEstimatorOptions* o : {&capture, &reader}) {
        o->lockStdErrPpm = 1.0;
        o->bucketSeconds = 2.0;
        o->windowSeconds = 180.0;
      }
    }
    captureClock_.configure(fc, capture);
    readerClock_.configure(fs, reader);
    deliveryLateness_.configure(fc);
  }
  convertTargets_.assign(static_cast<std::size_t>(config_.channels), nullptr);
  reset();
}

void InputFifo::setTarget() noexcept {
  const double fs = config_.hostRate, fc = config_.deviceRate;
  target_ = packet_ + jitter_ + margin_ + early_;
  if (config_.captureDrivesPeriods) target_ = fc != fs || config_.driftCompensation ? 4 + margin_ : 0;
  overrunLimit_ = target_ + packet_ + jitter_ + margin_ + early_;
  targetPublished_.store(target_, std::memory_order_relaxed);
}

// The device delivered later than the margin allowed: widen it by half a
// packet (within the cap), so the next priming starts with more in hand.
void InputFifo::growJitter() noexcept {
  if (config_.captureDrivesPeriods || jitter_ >= jitterCap_) return;
  jitter_ = std::min(jitter_ + std::max(packet_ / 2, 1), jitterCap_);
  setTarget();
  if (controller_) controller_->retarget(target_);
  targetGrowths_.fetch_add(1, std::memory_order_relaxed);
}

void InputFifo::reset() {
  ring_.reset();
  if (resampler_) {
    resampler_->setRatioAdjust(1.0);
    resampler_->reset();
  }
  if (controller_) controller_->reset();
  restartLevelBlock();
  fedFrames_ = 0;
  primed_ = false;
  realignPending_ = false;
  realignDelay_ = 0;
  lastRealign_ = 0;
  lastPacketEndNs_.store(0, std::memory_order_relaxed);
  producerEndNs_ = 0;
  fill_.store(0, std::memory_order_relaxed);
  fillMin_.store(0, std::memory_order_relaxed);
  fillMax_.store(0, std::memory_order_relaxed);
  level_.store(0, std::memory_order_relaxed);
  driftPpm_.store(0, std::memory_order_relaxed);
  primedFlag_.store(false, std::memory_order_relaxed);
  captureClock_.reset();
  readerClock_.reset();
  deliveryLateness_.reset();
  capturePosition_ = 0;
  readPosition_ = 0;
  captureClockRatio_.store(0, std::memory_order_relaxed);
  captureLateFrames_.store(0, std::memory_order_relaxed);
  clockRatioPpm_.store(0, std::memory_order_relaxed);
  clockLocked_.store(false, std::memory_order_relaxed);
  captureClockStdErr_.store(0, std::memory_order_relaxed);
  readerClockStdErr_.store(0, std::memory_order_relaxed);
}

void InputFifo::push(const CapturePacket& packet) noexcept {
  packets_.fetch_add(1, std::memory_order_relaxed);
  if (packet.silent) silentPackets_.fetch_add(1, std::memory_order_relaxed);
  if (packet.discontinuity) discontinuities_.fetch_add(1, std::memory_order_relaxed);
  const auto frames = static_cast<std::size_t>(std::max(packet.frames, 0));
  // Frames the device lost: when the timestamps say how many, silence takes
  // their place, so what follows keeps its timing (and the FIFO its margin).
  if (packet.discontinuity && packet.deviceTimeNs != 0 && producerEndNs_ != 0 &&
      packet.deviceTimeNs > producerEndNs_) {
    const double lost = static_cast<double>(packet.deviceTimeNs - producerEndNs_) * 1e-9 * config_.deviceRate;
    const auto gap = static_cast<std::size_t>(std::llround(lost));
    if (gap <= ring_.capacityFrames() / 2 && ring_.write(nullptr, gap) < gap) {
      producerOverruns_.fetch_add(1, std::memory_order_relaxed);
    }
    capturePosition_ += static_cast<std::int64_t>(gap);  // the device's position moved on over them
  }
  capturePosition_ += static_cast<std::int64_t>(frames);
  const std::byte* source = packet.silent ? nullptr : packet.data;  // null data: zeros too
  if (ring_.write(source, frames) < frames) producerOverruns_.fetch_add(1, std::memory_order_relaxed);
  // After the frames are published, so a reader that sees the new time also
  // sees the frames (it loads the time first).
  std::uint64_t end = 0;
  if (packet.deviceTimeNs != 0) {
    end = packet.deviceTimeNs +
          static_cast<std::uint64_t>(std::llround(static_cast<double>(frames) * 1e9 / config_.deviceRate));
  }
  producerEndNs_ = end;  // the stamps' own sequence, for the gap before a discontinuity
  // No frame is captured after we hold it: a stamp whose packet ends later
  // than its arrival was taken at delivery (Wine), so the arrival is the
  // better end; without a stamp it is the only one.
  if (packet.arrivalNs != 0 && (end == 0 || end > packet.arrivalNs)) end = packet.arrivalNs;
  lastPacketEndNs_.store(end, std::memory_order_release);
  if (trackClocks_ && end != 0) observeCapture(end);
}

// The capture clock: the position after this packet at the time its last
// frame was captured (or, stamped late, was handed over: a late point,
// which the estimator's lower envelope leaves aside).
void InputFifo::observeCapture(std::uint64_t endNs) noexcept {
  captureClock_.observe(capturePosition_, endNs);
  // How late this packet was handed over: frames that were captured,
  // counted as not yet. Against the lowest offset of the last seconds
  // (core/delivery_lateness.h), not against the capture clock's fitted
  // line: that one is known only once the fit is locked, a minute or more
  // in, and before it the level loop, fed the late stretches as a low
  // level, swung between its +-1000 ppm clamps (driver_core_drift_test's
  // load test). Timer-driven capture only (a jitter hint above 0): a device
  // stamp is on time.
  if (config_.minimumJitterFrames > 0) {
    const double lateNs = deliveryLateness_.observe(capturePosition_, endNs);
    const double lateFrames = std::clamp(lateNs * 1e-9 * config_.deviceRate, 0.0, static_cast<double>(packet_ + jitterCap_));
    captureLateFrames_.store(lateFrames, std::memory_order_relaxed);
  }
  const double ratio = captureClock_.locked() ? captureClock_.rate() / config_.deviceRate : 0.0;
  captureClockRatio_.store(ratio, std::memory_order_release);
  captureClockStdErr_.store(captureClock_.rateStdErrPpm(), std::memory_order_relaxed);
}

// The feed-forward: capture frames per host frame as the two clocks give
// it, against the nominal ratio. Only while both estimates are locked; an
// estimate that loses its lock leaves the last feed-forward in place (the
// level loop trims around it) and clears clockLocked.
void InputFifo::applyClocks() noexcept {
  const double capture = captureClockRatio_.load(std::memory_order_acquire);
  const double reader = readerClock_.locked() ? readerClock_.rate() / config_.hostRate : 0.0;
  const bool locked = capture > 0 && reader > 0;
  clockLocked_.store(locked, std::memory_order_relaxed);
  if (!locked) return;
  const double adjust = capture / reader - 1.0;
  controller_->setFeedForward(adjust);
  clockRatioPpm_.store(controller_->feedForwardPpm(), std::memory_order_relaxed);
}

// Frames the device has captured after the newest packet we hold: between 0
// and a packet (more if the OS delivers late), from the timestamps; 0 when
// there are none. Negative when the period is stamped before the newest
// packet's end (a late period stamped on time, render_queue.h): the ring
// then holds frames captured after the stamp.
double InputFifo::capturedNotDelivered(std::uint64_t systemTimeNs) const {
  const std::uint64_t end = lastPacketEndNs_.load(std::memory_order_acquire);
  if (end == 0 || systemTimeNs == 0) return 0.0;
  const double ns = static_cast<double>(static_cast<std::int64_t>(systemTimeNs - end));
  return std::clamp(ns * 1e-9 * config_.deviceRate, -static_cast<double>(ring_.capacityFrames()),
                    static_cast<double>(packet_ + jitter_ + early_));
}

void InputFifo::dropOldest(std::size_t frames) noexcept { ring_.consume(frames); }

// Converts up to `need` frames from the ring into `destinations` (host type
// on the direct path, float planes on the resampled one), silence for the
// rest; returns the frames that came from the ring.
std::int32_t InputFifo::take(void* const* destinations, std::int32_t need, std::int32_t leadingSilence) noexcept {
  const asio::SampleType type = resampler_ ? asio::SampleType::Float32LSB : config_.hostType;
  const auto sampleBytes = static_cast<std::size_t>(bytesPerSample(type));
  const auto silence = static_cast<std::size_t>(std::clamp(leadingSilence, 0, need));
  if (silence > 0) {
    for (std::size_t c = 0; c < convertTargets_.size(); ++c) {
      if (destinations[c] != nullptr) std::memset(destinations[c], 0, silence * sampleBytes);
    }
  }
  const SpscRing::Segments s = ring_.peek(static_cast<std::size_t>(need) - silence);
  std::size_t done = silence;
  for (int part = 0; part < 2; ++part) {
    const std::byte* from = part == 0 ? s.first : s.second;
    const std::size_t frames = part == 0 ? s.firstFrames : s.secondFrames;
    if (frames == 0) continue;
    for (std::size_t c = 0; c < convertTargets_.size(); ++c) {
      convertTargets_[c] = destinations[c] == nullptr ? nullptr : static_cast<std::byte*>(destinations[c]) + done * sampleBytes;
    }
    deviceToHost(config_.format, from, config_.channels, type, convertTargets_.data(), static_cast<int>(frames));
    done += frames;
  }
  ring_.consume(done - silence);
  const std::size_t missing = static_cast<std::size_t>(need) - done;
  if (missing > 0) {
    for (std::size_t c = 0; c < convertTargets_.size(); ++c) {
      if (destinations[c] != nullptr) std::memset(static_cast<std::byte*>(destinations[c]) + done * sampleBytes, 0, missing * sampleBytes);
    }
  }
  return static_cast<std::int32_t>(done);
}

void InputFifo::read(void* const* destinations, std::uint64_t systemTimeNs) noexcept {
  const std::int32_t frames = config_.bufferFrames;
  const std::int32_t need = resampler_ ? resampler_->inputFramesNeeded(frames) : frames;
  // Frames captured that the ring does not hold yet: from the newest
  // packet's stamp, plus (timer-driven capture stamped at delivery) that
  // packet's lateness against the capture clock's fitted on-time line,
  // frames the stamp counts as not yet captured (0 unless the fit is
  // locked: observeCapture()). Without the lateness a load that comes and
  // goes passes for drift; and the priming, the realign and the overrun
  // check measure the same level the controller holds, or each re-prime in
  // a late stretch (where underruns happen) leaves the controller an error
  // of the lateness, which it takes for a phase to trim: measured +500 ppm
  // for a minute after each (driver_core_drift_test's load test, seed 2).
  const double inFlight = capturedNotDelivered(systemTimeNs) +  // before the fill: see push()
                          captureLateFrames_.load(std::memory_order_relaxed);
  // The periods' clock: this buffer's first host frame at its stamp.
  if (trackClocks_ && systemTimeNs != 0) {
    readerClock_.observe(readPosition_, systemTimeNs);
    readerClockStdErr_.store(readerClock_.rateStdErrPpm(), std::memory_order_relaxed);
  }
  readPosition_ += frames;
  const std::size_t available = ring_.readableFrames();
  // The ring's fill that puts the level at the target right after this read.
  const auto residualAtTarget = static_cast<std::size_t>(std::llround(std::max(0.0, target_ - inFlight)));

  if (!primed_) {
    const std::size_t wanted = static_cast<std::size_t>(need) + residualAtTarget;
    if (available < wanted) {
      const auto sampleBytes = static_cast<std::size_t>(bytesPerSample(config_.hostType));
      for (std::size_t c = 0; c < convertTargets_.size(); ++c) {
        if (destinations[c] != nullptr) std::memset(destinations[c], 0, static_cast<std::size_t>(frames) * sampleBytes);
      }
      publishFill(static_cast<double>(available) + inFlight);
      return;
    }
    // Start at the target: drop the oldest surplus. Not when the capture
    // drives the periods: the backend counts a buffer's worth from the
    // start, so the surplus is what the next period needs.
    if (!config_.captureDrivesPeriods) dropOldest(available - wanted);
    primed_ = true;
    if (!primedFlag_.load(std::memory_order_relaxed)) {  // min / max count from the first priming on
      fillMin_.store(std::numeric_limits<std::int32_t>::max(), std::memory_order_relaxed);
      fillMax_.store(0, std::memory_order_relaxed);
      primedFlag_.store(true, std::memory_order_relaxed);
    }
    if (controller_) controller_->resetLevel(target_);
    restartLevelBlock();
  }

  lastRealign_ = 0;  // lastRealignFrames() speaks of this read only
  const bool realignWaits = realignPending_ && realignDelay_ > 0;
  if (realignWaits) --realignDelay_;
  const std::int32_t silence = realignPending_ && !realignWaits ? realign(available, need, inFlight) : 0;

  if (resampler_) {
    const std::int32_t got = take(inTargets_.data(), need, silence);
    if (got < need) {
      underruns_.fetch_add(1, std::memory_order_relaxed);
      primed_ = false;
      growJitter();
    }
    fedFrames_ += need;
    const Resampler::Result r = resampler_->process(inPlanes_.data(), need, outPlanes_.data(), frames);
    for (std::size_t c = 0; c < outPlanes_.size(); ++c) {
      if (r.outputFramesProduced < frames) {
        std::fill(outPlanes_[c] + r.outputFramesProduced, outPlanes_[c] + frames, 0.0f);
      }
      void* target = destinations[c];
      if (target != nullptr) deviceToHost(DeviceSampleFormat::Float32, outPlanes_[c], 1, config_.hostType, &target, frames);
    }
  } else if (take(destinations, need, silence) < need) {
    underruns_.fetch_add(1, std::memory_order_relaxed);
    primed_ = false;
    growJitter();
  }

  // The overrun check is on the level, not the ring: the first reads of a
  // catch-up burst find the ring full of frames captured after their
  // on-time stamps, which is no overrun.
  std::size_t residual = ring_.readableFrames();
  if (primed_ && static_cast<double>(residual) + inFlight > overrunLimit_ && residual > residualAtTarget) {
    dropOldest(residual - residualAtTarget);
    residual = ring_.readableFrames();
    overruns_.fetch_add(1, std::memory_order_relaxed);
    if (controller_) controller_->resetLevel(target_);
    restartLevelBlock();
  }

  // The level the controller holds: frames in the ring, those captured but
  // in flight, and those the resampler has taken but not yet reached (its
  // integer consumption runs up to a frame ahead of its fractional position).
  double level = static_cast<double>(residual) + inFlight;
  if (resampler_) level += static_cast<double>(fedFrames_) - resampler_->nextOutputInputTime();
  if (primed_) {
    const auto fill = static_cast<std::int32_t>(residual);
    if (fill < fillMin_.load(std::memory_order_relaxed)) fillMin_.store(fill, std::memory_order_relaxed);
    if (fill > fillMax_.load(std::memory_order_relaxed)) fillMax_.store(fill, std::memory_order_relaxed);
    if (controller_ && !realignWaits) feedController(level);
  }
  fill_.store(static_cast<std::int32_t>(residual), std::memory_order_relaxed);
  publishFill(level);
}

// The level this read would leave, against the target: a surplus is dropped
// now (the oldest frames), a deficit becomes silence in front of the buffer
// (returned). Within the dead band nothing moves. Not while priming: the
// priming itself starts the fill at the target.
std::int32_t InputFifo::realign(std::size_t available, std::int32_t need, double inFlight) noexcept {
  realignPending_ = false;
  lastRealign_ = 0;
  if (!primed_) return 0;
  double level = static_cast<double>(available) - need + inFlight;
  if (resampler_) level += static_cast<double>(fedFrames_) - resampler_->nextOutputInputTime();
  const double error = level - target_;
  const double tolerance = std::max(2.0, static_cast<double>(deadband_));
  if (std::abs(error) <= tolerance) return 0;
  std::int32_t silence = 0;
  if (error > 0) {
    const auto surplus = std::min<std::size_t>(static_cast<std::size_t>(std::llround(error)),
                                               available > static_cast<std::size_t>(need) ? available - static_cast<std::size_t>(need) : 0);
    dropOldest(surplus);
    lastRealign_ = static_cast<std::int32_t>(surplus);
  } else {
    silence = static_cast<std::int32_t>(std::min<long long>(std::llround(-error), need));
    lastRealign_ = -silence;
  }
  if (lastRealign_ == 0) return 0;
  realigns_.fetch_add(1, std::memory_order_relaxed);
  realignedFrames_.fetch_add(static_cast<std::uint64_t>(std::abs(lastRealign_)), std::memory_order_relaxed);
  if (controller_) controller_->resetLevel(target_);
  restartLevelBlock();
  return silence;
}

// The controller runs once per block of periods, on the block's mean level
// (its own smoothing does the rest); see the dead band in configure().
void InputFifo::feedController(double level) noexcept {
  levelBlockSum_ += level;
  if (++levelBlockCount_ < levelBlockPeriods_) return;
  if (trackClocks_) applyClocks();
  resampler_->setRatioAdjust(controller_->update(levelBlockSum_ / levelBlockCount_));
  driftPpm_.store(controller_->ratioPpm(), std::memory_order_relaxed);
  restartLevelBlock();
}

void InputFifo::restartLevelBlock() noexcept {
  levelBlockCount_ = 0;
  levelBlockSum_ = 0;
}

void InputFifo::publishFill(double level) noexcept { level_.store(level, std::memory_order_relaxed); }

InputFifo::Stats InputFifo::stats() const {
  Stats s;
  s.packets = packets_.load(std::memory_order_relaxed);
  s.silentPackets = silentPackets_.load(std::memory_order_relaxed);
  s.discontinuities = discontinuities_.load(std::memory_order_relaxed);
  s.underruns = underruns_.load(std::memory_order_relaxed);
  s.overruns = overruns_.load(std::memory_order_relaxed) + producerOverruns_.load(std::memory_order_relaxed);
  s.realigns = realigns_.load(std::memory_order_relaxed);
  s.realignedFrames = realignedFrames_.load(std::memory_order_relaxed);
  s.targetFrames = targetPublished_.load(std::memory_order_relaxed);
  s.fillFrames = fill_.load(std::memory_order_relaxed);
  s.primed = primedFlag_.load(std::memory_order_relaxed);
  s.fillMinFrames = s.primed ? fillMin_.load(std::memory_order_relaxed) : 0;
  s.fillMaxFrames = s.primed ? fillMax_.load(std::memory_order_relaxed) : 0;
  s.levelFrames = level_.load(std::memory_order_relaxed);
  s.driftPpm = driftPpm_.load(std::memory_order_relaxed);
  s.clockRatioPpm = clockRatioPpm_.load(std::memory_order_relaxed);
  s.clockLocked = clockLocked_.load(std::memory_order_relaxed);
  s.captureClockStdErrPpm = captureClockStdErr_.load(std::memory_order_relaxed);
  s.readerClockStdErrPpm = readerClockStdErr_.load(std::memory_order_relaxed);
  s.resampling = resampler_.has_value();
  s.driftCompensation = controller_.has_value();
  return s;
}

std::int32_t InputFifo::addedLatencyHostFrames() const {
  const double delay = targetPublished_.load(std::memory_order_relaxed) +
                       (resampler_ ? resampler_->groupDelayInputFrames() : 0.0);
  return static_cast<std::int32_t>(std::lround(delay * config_.hostRate / config_.deviceRate));
}

}  // namespace a2w
