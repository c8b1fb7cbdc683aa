#include "core/render_queue.h"

#include <algorithm>
#include <cmath>

namespace a2w {

void RenderQueue::configure(const RenderQueueConfig& config) {
  config_ = config;
  config_.periodFrames = std::max(config_.periodFrames, 1);
  config_.capacityFrames = std::max(config_.capacityFrames, config_.periodFrames);
  if (!(config_.rate > 0)) config_.rate = 48000;
  minimum_ = std::clamp(config_.minimumQueueFrames, config_.periodFrames, config_.capacityFrames);
  maximum_ = std::clamp(config_.maximumQueueFrames, minimum_, config_.capacityFrames);
  reset();
}

void RenderQueue::reset() noexcept {
  target_ = std::min(minimum_ + std::max(config_.initialSafetyFrames, 0), config_.capacityFrames);
  written_ = false;
  queuedAfterWrite_ = 0;
  lastWriteNs_ = 0;
}

RenderQueue::Wake RenderQueue::wake(std::uint32_t padding, std::uint64_t nowNs) noexcept {
  Wake w;
  if (!written_ || padding != 0 || nowNs <= lastWriteNs_) return w;
  // The buffer is empty: did the engine run out, or did we just arrive after
  // it took the last frames? An engine pulls a period at each of its passes
  // and plays it until the next, so the last period it took still plays up
  // to a period after the padding reached 0 (at a pass whose phase we do not
  // know). Only more than a period beyond what was queued is surely silence;
  // the silence is then that less the unknown phase, half a period on
  // average (the input FIFO measures the real shift itself).
  // A continuous engine (RenderQueueConfig::engineTakesWholePeriods false)
  // ran dry for all the time beyond the queue; half a period of slack is for
  // its timer.
  const double elapsed = static_cast<double>(nowNs - lastWriteNs_) * 1e-9 * config_.rate;
  const double dry = elapsed - static_cast<double>(queuedAfterWrite_);
  const bool whole = config_.engineTakesWholePeriods;
  if (dry <= (whole ? 1.0 : 0.5) * config_.periodFrames) return w;
  const double silence = whole ? dry - 0.5 * config_.periodFrames : dry;
  w.underrunFrames = static_cast<std::int32_t>(std::min(std::lround(silence), 1L << 30));
  ++underruns_;
  if (config_.adaptive && target_ < maximum_) {
    target_ = std::min(target_ + config_.periodFrames, maximum_);
    w.targetGrew = true;
  }
  return w;
}

bool RenderQueue::roomForPeriod(std::uint32_t padding) const noexcept {
  return padding <= static_cast<std::uint32_t>(config_.capacityFrames) &&
         static_cast<std::int64_t>(padding) + config_.periodFrames <= target_;
}

std::uint64_t RenderQueue::stampFor(std::uint32_t padding, std::uint64_t nowNs) const noexcept {
  const double lateFrames = static_cast<double>(target_ - config_.periodFrames) - static_cast<double>(padding);
  if (lateFrames <= 0) return nowNs;
  const auto lateNs = static_cast<std::uint64_t>(std::llround(lateFrames * 1e9 / config_.rate));
  return lateNs < nowNs ? nowNs - lateNs : 0;
}

void RenderQueue::wrote(std::uint32_t padding, std::uint64_t nowNs) noexcept {
  written_ = true;
  queuedAfterWrite_ = padding;
  lastWriteNs_ = nowNs;
}

}  // namespace a2w
