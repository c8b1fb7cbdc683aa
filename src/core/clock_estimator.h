// Clock tracking from device positions: for one audio stream, estimates its
// sample clock against the system clock from observations "the stream had
// delivered (or consumed) `frames` frames by `timeNs`" (issue 13, point 1:
// the clock from device positions, not from a FIFO level).
//
// The noise is one-sided. The audio thread wakes late (5-80 ms now and then,
// never early beyond a quiet jitter of ~0.5 ms), and after a late wake the
// pending positions come bunched, all at the wake's time. So an observation
// is the on-time moment of its position plus a lateness >= 0, and the
// on-time moments lie on the lower envelope of the observations. A mean
// (least squares through every point, or a DLL fed every point) would be
// pulled up by the late wakes; the minimum is not.
//
// Method: a lower envelope, fitted.
//  - Each observation becomes a point (x, y): x = frames / nominalRate
//    (stream seconds since the first observation, noise free), y = timeNs -
//    x * 1e9 (ns: how far the system clock ran ahead of the nominal clock).
//    On-time points lie on a line y = a + b*x; b (ns per s) is the rate:
//    rate = nominal / (1 + b*1e-9). Lateness only adds to y.
//  - Per bucket of 0.5 s of stream time the least late point is kept: the
//    smallest y - b*x against the current slope (not the smallest y: at
//    1000 ppm y falls 500 us across a bucket, as much as the jitter). Of 50
//    observations at 10 ms one is nearly on time even when a late wake
//    falls in the bucket. Bucket minima go into a fixed ring of 60 s
//    (allocated in configure()).
//  - A least-squares line through the ring's minima gives b. The ring is
//    cut into segments at phase jumps, and the fit has one slope for all
//    segments and one intercept per segment (the pooled within-segment
//    regression), so a phase jump moves an intercept and never the slope:
//    the rate learnt before the jump keeps counting.
//  - The line is refitted from the ring when a bucket closes (O(ring) every
//    0.5 s, ~50 observations: O(1) amortised, and exact: no running sums
//    that lose precision over hours).
// Why not a DLL: it needs its bandwidth traded against the late wakes'
// noise, and after a phase jump it would swing; the fit over a window has
// neither problem and gives its own standard error (the lock criterion).
//
// Phase jumps (a render xrun inserts silence: from then on every position
// comes delta later; frames dropped: earlier), three ways:
//  - shiftPhase(frames): the caller knows (it saw the xrun). Later
//    observations are moved back by frames / rate before they go in, so the
//    fit goes on unbroken (the rate and the phase keep all their data).
//  - the observation detector, for big jumps (>= jumpThresholdNs, default
//    max(2 ms, 3x the quiet jitter)). Early is never scheduling noise: a
//    few observations in a row that early (earlyObservations) are a jump.
//    Late is normal noise, but a late wake's bunch is late for no system
//    time at all (every point at the wake's time); observations late by
//    more than the threshold for lateHoldNs (0.5 s) of system time are a
//    jump. The open bucket (it holds jumped points) is dropped and a new
//    segment starts; its intercept comes from its own first bucket (the
//    jump's size is not needed: the first late observations may be a late
//    wake's, so a measured size could be wrong).
//  - the step detector, for small jumps the observation detector cannot
//    tell from jitter (a step of 1 ms in a 60 s window would bend the slope
//    by up to 25 ppm): a bucket minimum off the line by more than
//    stepThresholdNs (default max(100 us, 8x the minima's residual sigma))
//    is held out of the fit; stepBuckets (4) such buckets in a row on the
//    same side, lying apart in system time (a stall's bunch does not), are
//    a jump: a new segment made of them but the first (the step may fall
//    inside its bucket, leaving a minimum on neither line); a held bucket
//    followed by one on the line was an outlier (a bucket that was late all
//    through, e.g. a stall longer than a bucket) and is dropped.
// Every jump detected or shifted counts in phaseJumps().
//
// Lock: locked() once the ring spans lockMinSeconds (10 s) and the fit's
// standard error of the rate is <= lockStdErrPpm (0.25 ppm: the errors seen
// at lock are up to ~4x the standard error); it stays locked until reset()
// (or the standard error grows past 4x that).
//
// Measured (tests/unit/clock_estimator_test.cpp; 10 ms periods, quiet
// jitter uniform 0..0.5 ms, late wakes of 5-80 ms every 2-10 s with the
// pending positions bunched, one simulated hour per case):
//  - clocks 0, +150, -200, +1000 ppm at 48000 and 44100: locked after
//    15.5-26 s; from then on |ratePpm - truth| <= 0.92 ppm at every
//    observation (the worst just after lock), <= 0.22 ppm once the window is
//    full; expectedFrames within 0.83 frames of the on-time position,
//    lastLatenessNs within 17 us of the true lateness. A nominal clock
//    reads <= 0.49 ppm.
//  - phase jumps of 5-80 ms every 20-60 s (half an hour each): with
//    shiftPhase() the rate stays within 0.56 ppm, the phase within 0.75
//    frames, nothing detected; unannounced, late jumps are detected after
//    0.51 s, early ones after 0.07 s, each once, the rate stays within
//    0.44 ppm, and a second after detection the phase is back within 2.1
//    frames (the new segment's first bucket minimum alone).
//  - steps of 0.3-1.5 ms, unannounced: detected within 2.5 s, the rate
//    within 0.57 ppm (a plain fit would bend by up to 1.5 * step / window:
//    25 ppm for 1 ms).
//  - stalls of 0.6, 1.5 and 3 s with the positions bunched after them: no
//    jump counted, the rate within 0.10 ppm.
// The whole run (about 20 simulated hours) takes ~2.5 s under ASan.
//
// Real time: observe(), shiftPhase() and the queries do arithmetic only (no
// allocation, lock, I/O or throw). configure() allocates the ring. One
// thread: the owner publishes figures other threads want (atomics).
// The portable core: no <windows.h>.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace a2w {

struct ClockEstimatorOptions {
  double bucketSeconds = 0.5;     // stream time per bucket minimum
  double windowSeconds = 60.0;    // stream time the ring of minima covers
  double quietJitterNs = 0.5e6;   // scheduling jitter without late wakes
  double jumpThresholdNs = 0;     // observation detector; 0: max(2 ms, 3 * quietJitterNs)
  double lateHoldNs = 0.5e9;      // late beyond the threshold this long (system time): a jump
  int earlyObservations = 3;      // early beyond the threshold this many in a row: a jump
  double stepThresholdNs = 0;     // step detector; 0: max(100 us, 8 sigma of the minima)
  int stepBuckets = 4;            // held buckets in a row that make a step (2..kMaxStepBuckets)
  double lockMinSeconds = 10.0;
  double lockStdErrPpm = 0.25;
};

class ClockEstimator {
 public:
  static constexpr int kMaxStepBuckets = 8;

  // nominalRate: frames per second the stream claims (e.g. 48000).
  // Not real time: allocates the ring (throws std::bad_alloc). Then reset().
  void configure(double nominalRate, const ClockEstimatorOptions& options = {});
  // Forgets everything (a stream restart). No allocation.
  void reset() noexcept;

  // Real time. frames: the stream's position at timeNs (non-decreasing).
  // Does nothing before configure().
  void observe(std::int64_t frames, std::uint64_t timeNs) noexcept;
  // The stream's phase moved for good: positive `frames`, the stream is
  // that many frames behind the old estimate from now on (silence inserted:
  // every position comes frames / rate later); negative, ahead (frames
  // dropped). Keeps the rate, re-anchors the phase. Real time.
  void shiftPhase(double frames) noexcept;

  bool locked() const noexcept { return locked_; }
  double ratePpm() const noexcept;  // measured rate vs nominal (+: faster than nominal)
  double rate() const noexcept;     // frames per second
  // The position on the estimated clock at timeNs (the on-time position).
  double expectedFrames(std::uint64_t timeNs) const noexcept;
  // How late the latest observation came against the estimate (ns; >= 0
  // but for the envelope's own noise, ~10 us).
  double lastLatenessNs() const noexcept { return lastLateness_; }

  std::uint64_t phaseJumps() const noexcept { return phaseJumps_; }  // shifted + detected
  std::uint64_t detectedJumps() const noexcept { return detectedJumps_; }  // without shiftPhase
  std::uint64_t rejectedBuckets() const noexcept { return rejectedBuckets_; }  // outliers dropped
  double rateStdErrPpm() const noexcept;  // the fit's standard error (infinite before a fit)
  double residualSigmaNs() const noexcept { return sigma_; }  // of the bucket minima about the line
  std::size_t capacity() const noexcept { return ring_.size(); }  // bucket minima the ring holds
  std::size_t points() const noexcept { return count_; }
  double jumpThresholdNs() const noexcept { return jumpThreshold_; }

 private:
  struct Point {
    double x = 0;  // stream seconds since the origin
    double y = 0;  // ns: system time minus stream time
    std::uint32_t segment = 0;
  };

  double intercept() const noexcept;  // the current segment's a
  double predictY(double x) const noexcept { return intercept() + slope_ * x; }
  void closeBucket() noexcept;
  void push(const Point& p) noexcept;
  void fit() noexcept;
  double stepThreshold() const noexcept;
  void newSegment(double anchor) noexcept;
  void detectorJump() noexcept;
  void clearRuns() noexcept;
  bool heldSpanTime() const noexcept;  // the held minima lie apart in system time, not bunched

  ClockEstimatorOptions options_;
  double nominal_ = 0;
  double jumpThreshold_ = 0;

  // Origin: the first observation after reset().
  bool started_ = false;
  std::int64_t originFrames_ = 0;
  std::uint64_t originNs_ = 0;
  double lastX_ = 0;
  double phaseNs_ = 0;  // the shifts shiftPhase() announced, taken off every y

  // The ring of bucket minima, oldest at head_.
  std::vector<Point> ring_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;

  // Held-out bucket minima (the step detector).
  std::array<Point, kMaxStepBuckets> held_{};
  int heldCount_ = 0;
  int heldSign_ = 0;

  // The open bucket.
  bool open_ = false;
  double bucketStartX_ = 0;
  Point openMin_{};

  // The current segment.
  std::uint32_t segment_ = 0;
  double anchor_ = 0;       // its intercept until its first observation
  std::size_t segmentPoints_ = 0;

  // The fit.
  double slope_ = 0;        // b, ns per stream second
  double fitIntercept_ = 0;  // a of the current segment (segmentPoints_ > 0)
  double sigma_ = 0;        // residual sigma of the minima, ns
  double stdErr_ = 0;       // of b, ns per s (0: no fit yet)
  int dof_ = 0;
  bool locked_ = false;

  // The observation detector.
  int earlyRun_ = 0;
  bool lateRun_ = false;
  std::uint64_t lateStartNs_ = 0;
  int lateRunCount_ = 0;

  double lastLateness_ = 0;
  std::uint64_t phaseJumps_ = 0;
  std::uint64_t detectedJumps_ = 0;
  std::uint64_t rejectedBuckets_ = 0;
};

}  // namespace a2w
