// ClockEstimator against simulated streams: a device clock off nominal by a
// known ppm, observed every period by an audio thread with quiet jitter,
// late wakes whose pending positions come bunched, and phase jumps. All in
// simulated time (seeded, no threads, no sleeping). The figures the header
// quotes come from here (each case prints one "[ figures ]" line).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>

#include "core/clock_estimator.h"
#include "support/allocation_counter.h"

namespace a2w {
namespace {

enum class Jumps { None, Shifted, Unannounced };

struct Scenario {
  double nominal = 48000;
  double ppm = 0;
  double seconds = 3600;
  std::uint32_t seed = 1;
  bool lateWakes = true;
  Jumps jumps = Jumps::None;
  double jumpMinMs = 5, jumpMaxMs = 80;  // size of each jump
  int jumpSign = 1;                      // +1: late for good, -1: early, 0: either
  double jumpEverySeconds = 40;          // mean gap (uniform 0.5x..1.5x)
  double stallSeconds = 0;               // one long stall at 1/3 of the run (bunched)
  bool lateAtStart = false;              // the very first observation comes in a late wake
};

struct Figures {
  double lockSeconds = -1;        // first observation with locked()
  double maxErrorPpm = 0;         // |ratePpm - truth| at every observation after lock
  double maxErrorLaterPpm = 0;    // the same from a minute on (the window full)
  double maxFramesError = 0;      // |expectedFrames(on time) - frames| after lock, outside jump transients
  double maxLatenessError = 0;    // |lastLatenessNs - true lateness| (ns), likewise
  int jumpsInserted = 0;
  double maxDetectSeconds = 0;    // jump inserted -> phaseJumps() counts it (unannounced)
  std::uint64_t jumpsCounted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t detected = 0;     // detectedJumps(): without shiftPhase
};

// The stream: position k*P is on time at T0 + k*P/rate + phase. The thread
// sees it at that moment plus quiet jitter; during a late wake (or a stall)
// it sees every pending position at the wake's time.
Figures simulate(const Scenario& s, ClockEstimator& est) {
  std::mt19937 rng(s.seed);
  std::uniform_real_distribution<double> jitter(0.0, 0.5e6);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double rate = s.nominal * (1.0 + s.ppm * 1e-6);
  const auto period = static_cast<std::int64_t>(std::llround(s.nominal / 100));  // 10 ms
  const std::int64_t startFrames = 987654;
  const double t0 = 3.5e12;  // a monotonic clock some way after boot (ns)

  Figures f;
  double phaseNs = 0;
  double nextWake = s.lateAtStart ? 0 : 2 + 8 * unit(rng);  // s of on-time
  double wakeUntilNs = 0;
  double nextJump = s.jumpEverySeconds * (0.5 + unit(rng));
  double jumpAtNs = -1;                  // system time of the latest jump not yet counted
  double settledNs = 0;                  // the phase is known again from here (unannounced jumps)
  std::uint64_t countedBefore = 0;
  bool stalled = false;
  double prevT = 0;
  const auto steps = static_cast<std::int64_t>(s.seconds * 100);
  for (std::int64_t k = 0; k < steps; ++k) {
    const std::int64_t frames = startFrames + k * period;
    double onTime = t0 + static_cast<double>(k * period) / rate * 1e9 + phaseNs;
    const double streamSeconds = (onTime - t0) / 1e9;
    if (s.jumps != Jumps::None && streamSeconds >= nextJump && streamSeconds < s.seconds - 5) {
      const double ms = s.jumpMinMs + (s.jumpMaxMs - s.jumpMinMs) * unit(rng);
      const int sign = s.jumpSign != 0 ? s.jumpSign : (unit(rng) < 0.5 ? -1 : 1);
      const double deltaFrames = sign * std::round(ms * 1e-3 * s.nominal);
      phaseNs += deltaFrames / rate * 1e9;
      onTime += deltaFrames / rate * 1e9;
      if (s.jumps == Jumps::Shifted) est.shiftPhase(deltaFrames);
      ++f.jumpsInserted;
      jumpAtNs = onTime;
      if (s.jumps == Jumps::Unannounced) settledNs = 1e300;
      countedBefore = est.phaseJumps();
      nextJump += s.jumpEverySeconds * (0.5 + unit(rng));
    }
    if (s.lateWakes && streamSeconds >= nextWake) {
      wakeUntilNs = onTime + (5 + 75 * unit(rng)) * 1e6;
      nextWake += 2 + 8 * unit(rng);
    }
    if (s.stallSeconds > 0 && !stalled && streamSeconds >= s.seconds / 3) {
      wakeUntilNs = onTime + s.stallSeconds * 1e9;
      stalled = true;
    }
    double t = onTime < wakeUntilNs ? wakeUntilNs : onTime + jitter(rng);
    t = std::max(t, prevT);  // the thread never sees time go back (positions after an early jump bunch)
    prevT = t;
    const auto timeNs = static_cast<std::uint64_t>(std::llround(t));
    est.observe(frames, timeNs);

    if (jumpAtNs >= 0 && est.phaseJumps() > countedBefore) {
      f.maxDetectSeconds = std::max(f.maxDetectSeconds, (t - jumpAtNs) / 1e9);
      jumpAtNs = -1;
      // Detected; the new segment's intercept is its first bucket's minimum.
      if (s.jumps == Jumps::Unannounced) settledNs = t + 1e9;
    }
    if (!est.locked()) continue;
    if (f.lockSeconds < 0) f.lockSeconds = (t - t0) / 1e9;
    f.maxErrorPpm = std::max(f.maxErrorPpm, std::fabs(est.ratePpm() - s.ppm));
    if (streamSeconds >= 60) f.maxErrorLaterPpm = std::max(f.maxErrorLaterPpm, std::fabs(est.ratePpm() - s.ppm));
    if (t < settledNs) continue;  // an unannounced jump: the phase is not known yet
    f.maxFramesError = std::max(f.maxFramesError, std::fabs(est.expectedFrames(timeNs) -
                                                            (frames + (t - onTime) * 1e-9 * rate)));
    f.maxLatenessError = std::max(f.maxLatenessError, std::fabs(est.lastLatenessNs() - (t - onTime)));
  }
  f.jumpsCounted = est.phaseJumps();
  f.rejected = est.rejectedBuckets();
  f.detected = est.detectedJumps();
  return f;
}

Figures run(const char* name, const Scenario& s, const ClockEstimatorOptions& options = {}) {
  ClockEstimator est;
  est.configure(s.nominal, options);
  const Figures f = simulate(s, est);
  std::printf("[ figures  ] %s, %.0f Hz %+.0f ppm, %.0f s: lock %.1f s, max |ppm error| %.3f (%.3f after 60 s), "
              "frames %.2f, lateness %.1f us, jumps %d inserted %llu counted, detected <= %.3f s, %llu buckets rejected\n",
              name, s.nominal, s.ppm, s.seconds, f.lockSeconds, f.maxErrorPpm, f.maxErrorLaterPpm, f.maxFramesError,
              f.maxLatenessError / 1e3, f.jumpsInserted, static_cast<unsigned long long>(f.jumpsCounted),
              f.maxDetectSeconds, static_cast<unsigned long long>(f.rejected));
  return f;
}

struct Clock {
  double nominal, ppm;
};
constexpr Clock kClocks[] = {{48000, 0},    {48000, 150},  {48000, -200}, {48000, 1000},
                             {44100, 0},    {44100, 150},  {44100, -200}, {44100, 1000}};

// The goals: lock within 40 s (measured 15.5-26 s), then within 5 ppm at
// every observation (measured <= 0.92 ppm, near the moment of lock; <= 0.22
// ppm once the window is full), the on-time position within 2 frames (0.83)
// and the lateness within 50 us (17 us: the envelope sits ~10 us above on time).
TEST(ClockEstimator, TracksTheRateWithinFivePpmForAnHour) {
  std::uint32_t seed = 100;
  for (const Clock& c : kClocks) {
    Scenario s;
    s.nominal = c.nominal;
    s.ppm = c.ppm;
    s.seed = ++seed;
    const Figures f = run("hour", s);
    SCOPED_TRACE(testing::Message() << c.nominal << " Hz " << c.ppm << " ppm");
    EXPECT_GT(f.lockSeconds, 0);
    EXPECT_LE(f.lockSeconds, 40);
    EXPECT_LE(f.maxErrorPpm, 5.0);
    EXPECT_LE(f.maxErrorLaterPpm, 1.0);
    EXPECT_LE(f.maxFramesError, 2.0);
    EXPECT_LE(f.maxLatenessError, 50e3);
    EXPECT_EQ(f.jumpsCounted, 0u);  // late wakes are not phase jumps
  }
}

TEST(ClockEstimator, ANominalClockReadsUnderOnePpm) {
  for (double nominal : {48000.0, 44100.0}) {
    for (std::uint32_t seed : {7u, 8u, 9u}) {
      Scenario s;
      s.nominal = nominal;
      s.seconds = 600;
      s.seed = seed + (nominal == 44100 ? 50 : 0);
      const Figures f = run("nominal", s);
      EXPECT_GT(f.lockSeconds, 0);
      EXPECT_LT(f.maxErrorPpm, 1.0) << nominal << " Hz, seed " << seed;
    }
  }
}

TEST(ClockEstimator, AFirstObservationInALateWakeIsNoJump) {
  Scenario s;
  s.ppm = -200;
  s.seconds = 120;
  s.lateAtStart = true;
  const Figures f = run("late start", s);
  EXPECT_EQ(f.jumpsCounted, 0u);
  EXPECT_LE(f.maxErrorPpm, 5.0);
}

// Jumps of 5-80 ms either way every 20-60 s, each announced with shiftPhase:
// the rate never notices, the phase is right from the next observation.
TEST(ClockEstimator, ShiftPhaseKeepsTheRate) {
  std::uint32_t seed = 200;
  for (const Clock& c : {Clock{48000, 150}, Clock{44100, -200}, Clock{48000, 1000}}) {
    Scenario s;
    s.nominal = c.nominal;
    s.ppm = c.ppm;
    s.seconds = 1800;
    s.seed = ++seed;
    s.jumps = Jumps::Shifted;
    s.jumpSign = 0;
    const Figures f = run("shifted jumps", s);
    SCOPED_TRACE(testing::Message() << c.nominal << " Hz " << c.ppm << " ppm");
    EXPECT_GT(f.jumpsInserted, 20);
    EXPECT_EQ(f.jumpsCounted, static_cast<std::uint64_t>(f.jumpsInserted));
    EXPECT_EQ(f.detected, 0u);
    EXPECT_LE(f.lockSeconds, 40);
    EXPECT_LE(f.maxErrorPpm, 5.0);
    EXPECT_LE(f.maxFramesError, 2.0);
    EXPECT_LE(f.maxLatenessError, 50e3);
  }
}

// The same jumps unannounced. Late ones are seen after lateHoldNs (0.5 s) of
// lateness, early ones after three observations; the rate keeps its figures.
TEST(ClockEstimator, DetectsUnannouncedJumps) {
  std::uint32_t seed = 300;
  for (int sign : {1, -1}) {
    for (const Clock& c : {Clock{48000, 150}, Clock{44100, -200}, Clock{48000, 1000}}) {
      Scenario s;
      s.nominal = c.nominal;
      s.ppm = c.ppm;
      s.seconds = 1800;
      s.seed = ++seed;
      s.jumps = Jumps::Unannounced;
      s.jumpSign = sign;
      const Figures f = run(sign > 0 ? "late jumps" : "early jumps", s);
      SCOPED_TRACE(testing::Message() << c.nominal << " Hz " << c.ppm << " ppm, sign " << sign);
      EXPECT_GT(f.jumpsInserted, 20);
      EXPECT_EQ(f.jumpsCounted, static_cast<std::uint64_t>(f.jumpsInserted));  // each once
      EXPECT_LE(f.maxDetectSeconds, sign > 0 ? 0.6 : 0.1);
      EXPECT_LE(f.lockSeconds, 40);
      EXPECT_LE(f.maxErrorPpm, 5.0);
      // A new segment's phase rests on its first bucket minimum alone (a
      // second after detection): measured <= 2.1 frames, 48 us.
      EXPECT_LE(f.maxFramesError, 3.0);
      EXPECT_LE(f.maxLatenessError, 70e3);
    }
  }
}

// Steps too small for the observation detector (below 2 ms) would bend a
// plain fit by up to 1.5 * step / window (25 ppm for 1 ms in 60 s); the
// step detector holds them out and makes a segment of them.
TEST(ClockEstimator, SmallStepsAreCaughtByTheStepDetector) {
  std::uint32_t seed = 400;
  for (int sign : {1, -1}) {
    Scenario s;
    s.ppm = 150;
    s.seconds = 1800;
    s.seed = ++seed;
    s.jumps = Jumps::Unannounced;
    s.jumpSign = sign;
    s.jumpMinMs = 0.3;
    s.jumpMaxMs = 1.5;
    const Figures f = run(sign > 0 ? "small late steps" : "small early steps", s);
    EXPECT_GT(f.jumpsInserted, 20);
    EXPECT_EQ(f.jumpsCounted, static_cast<std::uint64_t>(f.jumpsInserted));
    EXPECT_LE(f.maxDetectSeconds, 3.0);  // four held buckets of 0.5 s, plus the one the step fell in
    EXPECT_LE(f.maxErrorPpm, 5.0);
  }
}

// A stall longer than a bucket (then the pending positions bunched) makes a
// bucket whose minimum is late: an outlier, dropped, not a phase jump.
TEST(ClockEstimator, ALongStallIsNoPhaseJump) {
  for (double stall : {0.6, 1.5, 3.0}) {
    Scenario s;
    s.ppm = -200;
    s.seconds = 180;
    s.seed = 500;
    s.stallSeconds = stall;
    const Figures f = run("stall", s);
    SCOPED_TRACE(testing::Message() << stall << " s stall");
    EXPECT_EQ(f.jumpsCounted, 0u);
    EXPECT_LE(f.maxErrorPpm, 5.0);
    EXPECT_LE(f.maxFramesError, 2.0);
  }
}

TEST(ClockEstimator, ResetForgets) {
  ClockEstimator est;
  est.configure(48000);
  Scenario a;
  a.ppm = 1000;
  a.seconds = 120;
  a.jumps = Jumps::Shifted;
  a.jumpEverySeconds = 20;
  const Figures first = simulate(a, est);
  ASSERT_TRUE(est.locked());
  ASSERT_GT(first.jumpsCounted, 0u);
  est.reset();
  EXPECT_FALSE(est.locked());
  EXPECT_EQ(est.ratePpm(), 0.0);
  EXPECT_EQ(est.rate(), 48000.0);
  EXPECT_EQ(est.phaseJumps(), 0u);
  EXPECT_EQ(est.points(), 0u);
  EXPECT_EQ(est.expectedFrames(123456789), 0.0);
  EXPECT_EQ(est.capacity(), 120u);
  // A new stream on another clock: nothing of the old one may bend it.
  Scenario b;
  b.ppm = -200;
  b.seconds = 120;
  b.seed = 2;
  const Figures second = simulate(b, est);
  EXPECT_GT(second.lockSeconds, 0);
  EXPECT_LE(second.lockSeconds, 40);
  EXPECT_LE(second.maxErrorPpm, 5.0);
  EXPECT_EQ(second.jumpsCounted, 0u);
}

TEST(ClockEstimator, ConfigureSizesTheRing) {
  ClockEstimator est;
  EXPECT_EQ(est.capacity(), 0u);
  est.observe(480, 10'000'000);  // before configure: nothing happens
  EXPECT_EQ(est.points(), 0u);
  EXPECT_EQ(est.expectedFrames(10'000'000), 0.0);

  est.configure(48000);
  EXPECT_EQ(est.capacity(), 120u);  // 60 s of 0.5 s buckets
  EXPECT_DOUBLE_EQ(est.jumpThresholdNs(), 2e6);
  ClockEstimatorOptions options;
  options.bucketSeconds = 0.25;
  options.windowSeconds = 30;
  options.quietJitterNs = 1e6;
  est.configure(44100, options);
  EXPECT_EQ(est.capacity(), 120u);
  EXPECT_DOUBLE_EQ(est.jumpThresholdNs(), 3e6);
  EXPECT_DOUBLE_EQ(est.rate(), 44100.0);
  est.configure(0);  // no rate: unconfigured
  EXPECT_EQ(est.capacity(), 0u);

  // The first observations anchor the phase at once (the rate nominal so far).
  est.configure(48000);
  est.observe(1000, 5'000'000'000);
  EXPECT_NEAR(est.expectedFrames(5'010'000'000), 1480.0, 1e-6);
  EXPECT_EQ(est.lastLatenessNs(), 0.0);
  est.observe(1480, 5'013'000'000);  // 3 ms late
  EXPECT_NEAR(est.lastLatenessNs(), 3e6, 1.0);
}

TEST(ClockEstimator, ObserveAndShiftPhaseAllocateNothing) {
  ClockEstimator est;
  est.configure(48000);
  Scenario s;
  s.ppm = 150;
  s.seconds = 300;  // the ring wraps (60 s)
  s.jumps = Jumps::Shifted;
  s.jumpEverySeconds = 10;
  s.stallSeconds = 1;
  std::uint64_t allocations = 0;
  {
    test::CountAllocations counting;
    simulate(s, est);
    est.reset();
    s.jumps = Jumps::Unannounced;
    s.jumpMinMs = 0.5;  // the step detector too
    simulate(s, est);
    allocations = counting.count();
  }
  EXPECT_EQ(allocations, 0u);
  EXPECT_GT(est.detectedJumps(), 0u);
}

}  // namespace
}  // namespace a2w
