#include "core/engine_clock_watch.h"

#include <algorithm>
#include <cmath>

namespace a2w {

void EngineClockWatch::configure(double rate, double toleranceFrames) noexcept {
  rate_ = rate > 0 ? rate : 48000;
  tolerance_ = std::max(toleranceFrames, 1.0);
  latePasses_ = 0;
  rebase();
}

void EngineClockWatch::rebase() noexcept {
  based_ = false;
  late_ = false;
  lag_ = 0;
}

std::int32_t EngineClockWatch::observe(std::uint64_t consumedFrames, std::uint64_t nowNs) noexcept {
  if (!based_ || nowNs < originNs_ || consumedFrames < originConsumed_) {
    based_ = true;
    originNs_ = nowNs;
    originConsumed_ = consumedFrames;
    floor_ = 0;
    floorAtNs_ = 0;
    late_ = false;
    lag_ = 0;
    return 0;
  }
  const double seconds = static_cast<double>(nowNs - originNs_) * 1e-9;
  const double offset = seconds * rate_ - static_cast<double>(consumedFrames - originConsumed_);
  // The floor may rise as fast as a slow engine clock moves it, no faster.
  const double risen = floor_ + (seconds - floorAtNs_) * rate_ * kFloorRisePpm * 1e-6;
  floor_ = std::min(risen, offset);
  floorAtNs_ = seconds;
  lag_ = offset - floor_;
  if (late_) {
    lowestWhileLate_ = std::min(lowestWhileLate_, offset);
    if (lag_ < 0.5 * tolerance_) {
      late_ = false;  // the engine made the time up
    } else if (seconds - lateSinceSeconds_ > kHoldSeconds) {
      late_ = false;  // it never will: the floor is where the engine now runs
      floor_ = lowestWhileLate_;
      lag_ = offset - floor_;
    }
    return 0;
  }
  if (lag_ <= tolerance_) return 0;
  late_ = true;
  lateSinceSeconds_ = seconds;
  lowestWhileLate_ = offset;
  ++latePasses_;
  return static_cast<std::int32_t>(std::min(std::lround(lag_), 1L << 30));
}

}  // namespace a2w
