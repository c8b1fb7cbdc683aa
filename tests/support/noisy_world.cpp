#include "support/noisy_world.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/driver_settings.h"
#include "support/allocation_counter.h"

namespace a2w::test {

namespace {
constexpr std::size_t kPlayedRing = 1u << 16;  // engine frames kept for the loop: > 1 s at 48 kHz
constexpr float kGarbage = 0.9375f;            // what GetBuffer hands out before the core writes
}  // namespace

NoisyWorld::NoisyWorld(NoisyWorldConfig config) : config_(config), rng_(config.seed) {}

std::vector<EndpointInfo> NoisyWorld::listEndpoints() {
  return {{"noisy-render", "Noisy Speakers", Direction::Render, true, 1, config_.rate, DeviceSampleFormat::Float32,
           config_.periodFrames, config_.periodFrames},
          {"noisy-capture", "Noisy Loop", Direction::Capture, true, 2, config_.rate, DeviceSampleFormat::Float32,
           config_.periodFrames, config_.periodFrames}};
}

Status NoisyWorld::open(const DriverSettings& settings, DeviceDescription* description) {
  settings_ = settings;
  DeviceDescription d;
  d.render = {true, "Noisy Speakers", {"Out"}};
  d.capture = {true, "Noisy Loop", {"Loop", "Pilot"}};
  d.sampleRates = {config_.rate};
  d.defaultSampleRate = config_.rate;
  const std::int32_t n = config_.periodFrames;
  d.bufferSizes = {BufferSizeOptions{n, n, n, 0}};
  *description = d;
  open_ = true;
  return Status::success();
}

// As RenderStream::create and info() describe a shared-mode stream at the
// host's rate: a queue of at least three engine periods with room for the
// adaptive margin above it; the latency beyond one period is the queue
// beyond two periods plus the engine's own period (header).
Status NoisyWorld::prepare(const StreamRequest& request, StreamInfo* info) {
  const std::int32_t n = config_.periodFrames;
  if (!open_ || request.bufferFrames != n || request.sampleRate != config_.rate) {
    return Status::failure(asio::err::kInvalidMode, "noisy world: only its own period and rate");
  }
  minimumQueue_ = 3 * n;
  const std::int32_t room = maximumSafetyFrames(settings_, config_.rate);
  capacity_ = minimumQueue_ + room;
  RenderQueueConfig q;
  q.periodFrames = n;
  q.capacityFrames = capacity_;
  q.minimumQueueFrames = minimumQueue_;
  q.maximumQueueFrames = minimumQueue_ + room;
  q.initialSafetyFrames = fixedSafetyFrames(settings_, config_.rate);
  q.rate = config_.rate;
  q.adaptive = settings_.safety == SafetyMode::Auto;
  queue_.configure(q);

  StreamInfo out;
  out.mode = StreamMode::SharedEvent;
  out.bufferFrames = n;
  out.render.active = true;
  out.render.format = DeviceSampleFormat::Float32;
  out.render.channels = 1;
  out.render.osLatencyFrames = n;
  out.render.extraLatencyFrames = (minimumQueue_ - 2 * n) + n;
  out.capture.active = true;
  out.capture.format = DeviceSampleFormat::Float32;
  out.capture.channels = 2;
  out.capture.packetFrames = n;
  out.capture.timingJitterFrames = n;  // timer-driven: up to a period late
  out.captureSharesRenderClock = config_.captureSharesRenderClock;
  out.description = "noisy world shared-event";
  *info = out;
  buffer_.assign(static_cast<std::size_t>(capacity_), 0.0f);
  played_.assign(kPlayedRing, 0.0f);
  packet_.assign(static_cast<std::size_t>(2 * n), 0.0f);
  scratch_.assign(static_cast<std::size_t>(n), kGarbage);
  gaps_.reserve(8192);
  prepared_ = true;
  return Status::success();
}

Status NoisyWorld::start(PeriodHandler* handler) {
  handler_ = handler;
  started_ = true;
  now_ = config_.startTimeNs;
  queue_.reset();
  // The backend's prefill: silence up to one period short of the minimum.
  bufferRead_ = 0;
  bufferWritten_ = static_cast<std::uint64_t>(minimumQueue_ - config_.periodFrames);
  std::fill(buffer_.begin(), buffer_.end(), 0.0f);
  ticks_ = 0;
  playedFrames_ = 0;
  pendingSilence_ = 0;
  packetsMade_ = packetsDelivered_ = 0;
  nextPacketReadyNs_ = 0;
  drawPacketReady();
  renderSignaled_ = captureSignaled_ = wakeScheduled_ = false;
  nextLateNs_ = now_ + static_cast<std::uint64_t>(uniform(config_.lateIntervalMinS, config_.lateIntervalMaxS) * 1e9);
  initialFillDone_ = false;
  return Status::success();
}

double NoisyWorld::uniform(double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng_() >> 11) * 0x1.0p-53;
}

std::uint64_t NoisyWorld::tickNs(std::uint64_t tick) const {
  const long double frames = static_cast<long double>(tick) * config_.periodFrames;
  return config_.startTimeNs + static_cast<std::uint64_t>(std::llround(config_.tickOffsetMs * 1e6)) +
         static_cast<std::uint64_t>(std::floor(frames * 1e9L / config_.rate));
}

std::uint64_t NoisyWorld::captureFrameNs(std::uint64_t frame) const {
  return config_.startTimeNs + static_cast<std::uint64_t>(std::llround(config_.tickOffsetMs * 1e6)) +
         static_cast<std::uint64_t>(std::floor(static_cast<long double>(frame) * 1e9L / captureRate()));
}

// Packet j is ready a little after its last frame: the capture engine's timer.
void NoisyWorld::drawPacketReady() {
  const std::uint64_t end = captureFrameNs((packetsMade_ + 1) * static_cast<std::uint64_t>(config_.periodFrames));
  const auto delay = static_cast<std::uint64_t>(uniform(0.01, std::max(config_.captureDelayMaxMs, 0.01)) * 1e6);
  nextPacketReadyNs_ = std::max(end + delay, nextPacketReadyNs_);
}

// One engine pass: a period out of the buffer, silence for what is missing.
void NoisyWorld::engineTick() {
  const auto n = static_cast<std::uint64_t>(config_.periodFrames);
  const std::uint64_t queued = bufferWritten_ - bufferRead_;
  const std::uint64_t take = std::min(queued, n);
  for (std::uint64_t i = 0; i < n; ++i) {
    float v = 0.0f;
    if (i < take) v = buffer_[(bufferRead_ + i) % buffer_.size()];
    played_[(playedFrames_ + i) % kPlayedRing] = v;
  }
  bufferRead_ += take;
  playedFrames_ += n;
  pendingSilence_ += static_cast<std::int64_t>(n - take);
  silentFrames_ += static_cast<std::int64_t>(n - take);
  ++ticks_;
}

// An event for the thread: it wakes after its jitter, or late when a late
// moment is due; events meanwhile wait for that wake.
void NoisyWorld::signal(bool render) {
  (render ? renderSignaled_ : captureSignaled_) = true;
  if (!wakeScheduled_) scheduleWake();
}

void NoisyWorld::scheduleWake() {
  wakeScheduled_ = true;
  wakeLate_ = now_ >= nextLateNs_;
  double delayMs = uniform(0.0, config_.quietJitterMs);
  if (wakeLate_) {
    delayMs = uniform(config_.lateMinMs, config_.lateMaxMs);
    nextLateNs_ = now_ + static_cast<std::uint64_t>(uniform(config_.lateIntervalMinS, config_.lateIntervalMaxS) * 1e9);
  }
  wakeLateNs_ = static_cast<std::uint64_t>(delayMs * 1e6);
  wakeAtNs_ = now_ + wakeLateNs_;
}

// The analog loop: the engine's output, continuous between its frames,
// sampled at capture frame k's moment.
float NoisyWorld::loopSample(std::uint64_t k) {
  const double x = static_cast<double>(k) * (config_.rate / captureRate());
  const auto e = static_cast<std::uint64_t>(std::floor(x));
  const double frac = x - static_cast<double>(e);
  const std::uint64_t needed = frac > 0 ? e + 1 : e;
  if (needed >= playedFrames_ || needed + kPlayedRing / 2 < playedFrames_) {
    ++violations_;  // the loop would hear a frame not yet played (or long gone)
    return 0.0f;
  }
  const float a = played_[e % kPlayedRing];
  if (frac == 0) return a;
  const float b = played_[(e + 1) % kPlayedRing];
  return static_cast<float>(a + (b - a) * frac);
}

void NoisyWorld::deliverReadyPackets(Wake& w) {
  const auto n = static_cast<std::uint64_t>(config_.periodFrames);
  while (packetsDelivered_ < packetsMade_) {
    const std::uint64_t first = packetsDelivered_ * n;
    for (std::uint64_t i = 0; i < n; ++i) {
      packet_[2 * i] = loopSample(first + i);
      packet_[2 * i + 1] = frameSignal(first + i);
    }
    CapturePacket p;
    p.data = reinterpret_cast<const std::byte*>(packet_.data());
    p.frames = config_.periodFrames;
    p.deviceTimeNs = captureFrameNs(first);
    p.arrivalNs = now_;
    {
      const CountAllocations count;
      handler_->captureArrived(p);
      allocations_ += count.count();
    }
    ++packetsDelivered_;
    ++w.packets;
  }
}

// RenderStream::renderPeriods, shared mode, line for line.
void NoisyWorld::renderPeriods(Wake& w) {
  const std::int32_t n = config_.periodFrames;
  auto padding = static_cast<std::uint32_t>(bufferWritten_ - bufferRead_);
  Period period;
  period.frames = n;
  period.renderUnderrunFrames = queue_.wake(padding, now_).underrunFrames;
  w.flaggedUnderrunFrames = period.renderUnderrunFrames;
  w.engineSilenceFrames = pendingSilence_;
  if (pendingSilence_ > 0) ++silenceRuns_;
  pendingSilence_ = 0;
  bool wrote = false;
  while (queue_.roomForPeriod(padding) && static_cast<std::uint32_t>(capacity_) - padding >= static_cast<std::uint32_t>(n)) {
    period.systemTimeNs = queue_.stampFor(padding, now_);
    period.renderSafetyFrames = queue_.safetyFrames();
    std::fill(scratch_.begin(), scratch_.end(), kGarbage);
    period.render = reinterpret_cast<std::byte*>(scratch_.data());
    {
      const CountAllocations count;
      handler_->processPeriod(period);
      allocations_ += count.count();
    }
    for (std::int32_t i = 0; i < n; ++i) buffer_[(bufferWritten_ + static_cast<std::uint64_t>(i)) % buffer_.size()] = scratch_[static_cast<std::size_t>(i)];
    bufferWritten_ += static_cast<std::uint64_t>(n);
    ++periods_;
    ++w.periods;
    wrote = true;
    period.renderUnderrunFrames = 0;
    padding = static_cast<std::uint32_t>(bufferWritten_ - bufferRead_);
  }
  if (wrote) queue_.wrote(padding, now_);
}

NoisyWorld::Wake NoisyWorld::runWake() {
  Wake w;
  if (!started_) return w;
  if (!initialFillDone_) {  // the audio thread's fill right after Start
    initialFillDone_ = true;
    w.timeNs = now_;
    w.render = true;
    renderPeriods(w);
    return w;
  }
  for (;;) {
    const std::uint64_t tick = tickNs(ticks_);
    const std::uint64_t wake = wakeScheduled_ ? wakeAtNs_ : std::numeric_limits<std::uint64_t>::max();
    // Ties: the engine first, then the capture, then the thread.
    if (tick <= nextPacketReadyNs_ && tick <= wake) {
      now_ = tick;
      engineTick();
      signal(true);
    } else if (nextPacketReadyNs_ <= wake) {
      now_ = nextPacketReadyNs_;
      ++packetsMade_;
      drawPacketReady();
      signal(false);
    } else {
      break;
    }
  }
  now_ = wakeAtNs_;
  wakeScheduled_ = false;
  ++wakes_;
  w.timeNs = now_;
  w.late = wakeLate_;
  w.lateNs = wakeLateNs_;
  if (w.late) gaps_.push_back({now_, wakeLateNs_, periods_});
  // WaitForMultipleObjects returns the render event first (the lower
  // index); a render wake drains the capture first, as audio_thread.cpp
  // does; the capture event stays set and wakes the thread once more.
  if (renderSignaled_) {
    renderSignaled_ = false;
    w.render = true;
    deliverReadyPackets(w);
    renderPeriods(w);
  } else {
    captureSignaled_ = false;
    deliverReadyPackets(w);
  }
  if (renderSignaled_ || captureSignaled_) scheduleWake();
  return w;
}

}  // namespace a2w::test
