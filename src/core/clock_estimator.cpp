#include "core/clock_estimator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace a2w {

namespace {
constexpr double kNsPerSecond = 1e9;
// Below this pooled spread of x (s^2) the slope is not refitted (keeps the learnt one).
constexpr double kMinSpread = 1e-6;
}  // namespace

void ClockEstimator::configure(double nominalRate, const ClockEstimatorOptions& options) {
  options_ = options;
  if (!(options_.bucketSeconds > 0)) options_.bucketSeconds = 0.5;
  if (!(options_.windowSeconds > 0)) options_.windowSeconds = 60.0;
  options_.earlyObservations = std::max(options_.earlyObservations, 1);
  options_.stepBuckets = std::clamp(options_.stepBuckets, 2, kMaxStepBuckets);
  jumpThreshold_ = options_.jumpThresholdNs > 0 ? options_.jumpThresholdNs
                                                : std::max(2e6, 3.0 * options_.quietJitterNs);
  nominal_ = nominalRate > 0 ? nominalRate : 0;
  const double buckets = std::ceil(options_.windowSeconds / options_.bucketSeconds);
  const std::size_t capacity = nominal_ > 0 ? static_cast<std::size_t>(std::max(buckets, 4.0)) : 0;
  ring_.assign(capacity, Point{});  // unconfigured (no rate): observe() does nothing
  reset();
}

void ClockEstimator::reset() noexcept {
  started_ = false;
  originFrames_ = 0;
  originNs_ = 0;
  lastX_ = 0;
  phaseNs_ = 0;
  head_ = 0;
  count_ = 0;
  heldCount_ = 0;
  heldSign_ = 0;
  open_ = false;
  bucketStartX_ = 0;
  segment_ = 0;
  anchor_ = 0;
  segmentPoints_ = 0;
  slope_ = 0;
  fitIntercept_ = 0;
  sigma_ = 0;
  stdErr_ = 0;
  dof_ = 0;
  locked_ = false;
  clearRuns();
  lastLateness_ = 0;
  phaseJumps_ = 0;
  detectedJumps_ = 0;
  rejectedBuckets_ = 0;
}

void ClockEstimator::clearRuns() noexcept {
  earlyRun_ = 0;
  lateRun_ = false;
  lateStartNs_ = 0;
  lateRunCount_ = 0;
}

double ClockEstimator::rate() const noexcept { return nominal_ / (1.0 + slope_ / kNsPerSecond); }

double ClockEstimator::ratePpm() const noexcept {
  const double beta = slope_ / kNsPerSecond;
  return -beta / (1.0 + beta) * 1e6;
}

double ClockEstimator::rateStdErrPpm() const noexcept {
  return dof_ >= 1 ? stdErr_ / kNsPerSecond * 1e6 : std::numeric_limits<double>::infinity();
}

double ClockEstimator::intercept() const noexcept {
  if (segmentPoints_ > 0) return fitIntercept_;
  // A segment without a closed bucket yet: the open bucket's least late
  // point is the best on-time point there is.
  if (open_) return openMin_.y - slope_ * openMin_.x;
  return anchor_;
}

double ClockEstimator::expectedFrames(std::uint64_t timeNs) const noexcept {
  if (!started_) return 0;
  // t = x*1e9 + a + b*x on the line: solve for x.
  const double t = static_cast<double>(static_cast<std::int64_t>(timeNs - originNs_));
  const double x = (t - phaseNs_ - intercept()) / (kNsPerSecond + slope_);
  return static_cast<double>(originFrames_) + x * nominal_;
}

void ClockEstimator::observe(std::int64_t frames, std::uint64_t timeNs) noexcept {
  if (ring_.empty()) return;
  if (!started_) {
    started_ = true;
    originFrames_ = frames;
    originNs_ = timeNs;
  }
  const double x = static_cast<double>(frames - originFrames_) / nominal_;
  const double y =
      static_cast<double>(static_cast<std::int64_t>(timeNs - originNs_)) - x * kNsPerSecond - phaseNs_;
  lastX_ = x;

  if (open_ && x - bucketStartX_ >= options_.bucketSeconds) closeBucket();
  if (!open_) {
    open_ = true;
    bucketStartX_ = x;
    openMin_ = Point{x, y, segment_};
  } else if (y - slope_ * x < openMin_.y - slope_ * openMin_.x) {
    // The least late point against the line, not the smallest y: at 1000 ppm
    // y falls by 500 us across a bucket, as much as the quiet jitter.
    openMin_ = Point{x, y, segment_};
  }

  const double lateness = y - predictY(x);
  lastLateness_ = lateness;

  // Early beyond the threshold is never scheduling noise.
  if (lateness < -jumpThreshold_) {
    if (++earlyRun_ >= options_.earlyObservations) {
      detectorJump();
      return;
    }
  } else {
    earlyRun_ = 0;
  }
  // Late is, unless it lasts: a late wake's bunch takes no system time.
  if (lateness > jumpThreshold_) {
    if (!lateRun_) {
      lateRun_ = true;
      lateStartNs_ = timeNs;
      lateRunCount_ = 0;
    }
    ++lateRunCount_;
    const auto lateFor = static_cast<double>(static_cast<std::int64_t>(timeNs - lateStartNs_));
    if (lateRunCount_ >= 3 && lateFor >= options_.lateHoldNs) detectorJump();
  } else {
    lateRun_ = false;
  }
}

void ClockEstimator::shiftPhase(double frames) noexcept {
  if (!started_ || !std::isfinite(frames)) return;
  // The caller knows the jump exactly: later observations are moved back by
  // it and the fit goes on as if nothing happened (a new segment would rest
  // its phase on its first bucket minima alone). What is in the ring, held
  // or in the open bucket came before the shift and is right as it is.
  phaseNs_ += frames / rate() * kNsPerSecond;
  clearRuns();
  ++phaseJumps_;
}

void ClockEstimator::detectorJump() noexcept {
  ++phaseJumps_;
  ++detectedJumps_;
  // The open bucket and the held minima mix both sides of the jump: drop them.
  const double before = segmentPoints_ > 0 ? fitIntercept_ : anchor_;
  open_ = false;
  rejectedBuckets_ += static_cast<std::uint64_t>(heldCount_);
  heldCount_ = 0;
  // The latest observation's offset is only a guess (it may be a late
  // wake's), for expectedFrames() until the next observation: from then on
  // the new segment's open bucket rules.
  newSegment(before + lastLateness_);
}

void ClockEstimator::newSegment(double anchor) noexcept {
  ++segment_;
  anchor_ = anchor;
  segmentPoints_ = 0;
  clearRuns();
}

double ClockEstimator::stepThreshold() const noexcept {
  if (options_.stepThresholdNs > 0) return options_.stepThresholdNs;
  return std::max(100e3, 8.0 * sigma_);
}

void ClockEstimator::closeBucket() noexcept {
  if (!open_) return;
  open_ = false;
  const Point p = openMin_;
  // Judge the minimum against the line once the segment has one and the fit
  // has residuals to size the threshold with.
  if (segmentPoints_ > 0 && dof_ >= 2) {
    const double residual = p.y - (fitIntercept_ + slope_ * p.x);
    if (std::fabs(residual) > stepThreshold()) {
      const int sign = residual > 0 ? 1 : -1;
      if (heldCount_ > 0 && sign != heldSign_) {
        rejectedBuckets_ += static_cast<std::uint64_t>(heldCount_);
        heldCount_ = 0;
      }
      heldSign_ = sign;
      held_[static_cast<std::size_t>(heldCount_++)] = p;
      if (heldCount_ >= options_.stepBuckets && !heldSpanTime()) {
        // Off the line for that many buckets but all at one moment: a stall
        // whose pending positions came bunched. Outliers.
        rejectedBuckets_ += static_cast<std::uint64_t>(heldCount_);
        heldCount_ = 0;
      } else if (heldCount_ >= options_.stepBuckets) {
        // A small phase jump: the held minima are the new segment, but for
        // the first: the step may fall inside its bucket, whose minimum is
        // then a pre-step point late by its jitter, on neither line.
        newSegment(fitIntercept_ + residual);
        rejectedBuckets_ += 1;
        for (int i = 1; i < heldCount_; ++i) {
          Point h = held_[static_cast<std::size_t>(i)];
          h.segment = segment_;
          push(h);
        }
        heldCount_ = 0;
        ++phaseJumps_;
        ++detectedJumps_;
        fit();
      }
      return;
    }
  }
  // On the line: whatever was held was an outlier (a bucket late all through).
  rejectedBuckets_ += static_cast<std::uint64_t>(heldCount_);
  heldCount_ = 0;
  push(p);
  fit();
}

bool ClockEstimator::heldSpanTime() const noexcept {
  // System time of a point: x * 1e9 + y (+ the phase, the same for all).
  const Point& first = held_[0];
  const Point& last = held_[static_cast<std::size_t>(heldCount_ - 1)];
  const double span = (last.x - first.x) * kNsPerSecond + (last.y - first.y);
  return span >= 0.5 * (heldCount_ - 1) * options_.bucketSeconds * kNsPerSecond;
}

void ClockEstimator::push(const Point& p) noexcept {
  const std::size_t capacity = ring_.size();
  if (count_ < capacity) {
    ring_[(head_ + count_) % capacity] = p;
    ++count_;
  } else {
    ring_[head_] = p;
    head_ = (head_ + 1) % capacity;
  }
}

void ClockEstimator::fit() noexcept {
  // One slope, one intercept per segment: sums centred per segment (taken
  // relative to the segment's first point, so an hour of x costs no precision).
  const std::size_t capacity = ring_.size();
  double sxx = 0, sxy = 0, syy = 0;
  int n = 0, segments = 0;
  std::size_t currentPoints = 0;
  double currentMeanX = 0, currentMeanY = 0;
  std::size_t i = 0;
  while (i < count_) {
    const Point first = ring_[(head_ + i) % capacity];
    double sx = 0, sy = 0, qxx = 0, qxy = 0, qyy = 0;
    int m = 0;
    for (; i < count_; ++i) {
      const Point& p = ring_[(head_ + i) % capacity];
      if (p.segment != first.segment) break;
      const double dx = p.x - first.x, dy = p.y - first.y;
      sx += dx;
      sy += dy;
      qxx += dx * dx;
      qxy += dx * dy;
      qyy += dy * dy;
      ++m;
    }
    sxx += qxx - sx * sx / m;
    sxy += qxy - sx * sy / m;
    syy += qyy - sy * sy / m;
    n += m;
    ++segments;
    if (first.segment == segment_) {
      currentPoints = static_cast<std::size_t>(m);
      currentMeanX = first.x + sx / m;
      currentMeanY = first.y + sy / m;
    }
  }
  if (sxx > kMinSpread) slope_ = sxy / sxx;
  segmentPoints_ = currentPoints;
  if (currentPoints > 0) fitIntercept_ = currentMeanY - slope_ * currentMeanX;
  dof_ = n - segments - 1;
  if (dof_ >= 1 && sxx > kMinSpread) {
    const double rss = std::max(0.0, syy - sxy * sxy / sxx);
    sigma_ = std::sqrt(rss / dof_);
    stdErr_ = sigma_ / std::sqrt(sxx);
  } else {
    dof_ = 0;
    sigma_ = 0;
    stdErr_ = 0;
  }

  const double span = count_ > 0 ? ring_[(head_ + count_ - 1) % capacity].x - ring_[head_].x : 0;
  const double stdErrPpm = rateStdErrPpm();
  if (!locked_) {
    locked_ = dof_ >= 3 && span >= options_.lockMinSeconds && stdErrPpm <= options_.lockStdErrPpm;
  } else if (stdErrPpm > 4.0 * options_.lockStdErrPpm) {
    locked_ = false;
  }
}

}  // namespace a2w
