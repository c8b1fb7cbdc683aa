// How late a timer-driven capture packet was handed over, from its stamp and
// the capture position alone, without waiting for the clocks' fit to lock.
//
// Why. Wine stamps a shared-mode capture packet when its timer thread hands
// it over, not when its last frame was captured, and a busy machine delays
// that thread for whole stretches (make stress's load, one second in two:
// 10-40 ms late for a second). The input FIFO's level counts the frames in
// flight from the newest stamp, so a late stretch reads as a low level, and
// the drift controller, fed it, takes it for a slow capture clock. The
// capture clock's fit (clock_estimator.h) knows each packet's lateness
// against its on-time line, but only once it is locked, a minute or more
// after the start; before that the level loop ran into its +-1000 ppm clamp
// and underruns (driver_core_drift_test's load test, measured before this
// existed: +-1000 ppm swings in the first 60 s, 850 ppm still held at the
// lock, 34 ppm off 140 s later).
//
// How. Each packet gives the offset y = stamp - position / nominal rate. A
// packet handed over on time has the smallest y; a late one has y larger by
// its lateness. So the lateness is y minus the smallest y of the last
// kWindowSeconds (a lower envelope, as the clock fit's bucket minima, and as
// PTP's minimum filters for delays that are only ever added). A drift d
// moves y by d * window at most, so the estimate is off by that much at
// worst (0.4 ms at 100 ppm over 4 s): far below the lateness it corrects.
// A stretch late for longer than the window becomes the new floor: then it
// reads as a phase move, which the level loop trims slowly, as before.
// The window is kept as kBuckets minima of window / kBuckets each (so it
// spans the last 3.5 to 4 s: the current bucket and the seven before), so
// observe() is O(kBuckets) arithmetic, no allocation: real-time safe.
#pragma once

#include <array>
#include <cstdint>

namespace a2w {

class DeliveryLateness {
 public:
  static constexpr double kWindowSeconds = 4.0;  // > one load stretch and the quiet one after it
  static constexpr int kBuckets = 8;

  void configure(double nominalRate) noexcept;
  void reset() noexcept;
  // A packet: the capture position after it (frames) and the system time
  // of its stamp (ns). Returns its lateness in ns (>= 0).
  double observe(std::int64_t positionFrames, std::uint64_t stampNs) noexcept;
  double lastLatenessNs() const noexcept { return last_; }

 private:
  struct Bucket {
    std::int64_t index = -1;  // stamp time / bucket length; -1: empty
    double minimum = 0;       // the smallest offset seen in it (ns)
  };
  double nsPerFrame_ = 1e9 / 48000.0;
  std::uint64_t bucketNs_ = 500'000'000;
  std::uint64_t originNs_ = 0;  // the first stamp: offsets stay small, exact in a double
  bool started_ = false;
  std::array<Bucket, kBuckets> buckets_{};
  double last_ = 0;
};

}  // namespace a2w
