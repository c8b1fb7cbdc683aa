// EngineClockWatch (core/engine_clock_watch.h): a render engine whose own
// clock stopped (its late pass) against healthy engines with the jitter
// seen under Wine and the whole-period passes of Windows' engine.
// The Wine figures are from a trace of e2e/duplex_monitor (docs/LATENCY.md,
// "Late periods"): a 27 ms gap of winepulse's timer left its consumed
// position 835 frames behind the clock, made up in 5 ms passes, and the
// recording had 720 frames of silence there; 14 ms gaps (210 frames) did
// no harm.
#include "core/engine_clock_watch.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace a2w {
namespace {

constexpr double kRate = 48000;
constexpr std::uint64_t kPeriod = 480;
constexpr std::uint64_t kPeriodNs = 10'000'000;

// A continuous engine (Wine's): it has consumed `period` frames per timer
// pass, the passes `kPeriodNs` apart but each up to `jitterNs` late; our
// wake comes just after each pass. Returns the late passes reported.
struct ContinuousEngine {
  EngineClockWatch watch;
  std::uint64_t now = 1'000'000'000;
  std::uint64_t consumed = 0;
  std::mt19937 rng{7};
  std::vector<std::int32_t> reports;

  ContinuousEngine() { watch.configure(kRate, kPeriod); }
  void pass(std::uint64_t afterNs, std::uint64_t frames = kPeriod) {
    now += afterNs;
    consumed += frames;
    const std::int32_t r = watch.observe(consumed, now);
    if (r > 0) reports.push_back(r);
  }
  // Passes on time with up to 0.8 ms of jitter (the trace: +-40 frames).
  void run(double seconds) {
    const auto passes = static_cast<int>(seconds * 100);
    std::uniform_int_distribution<int> jitter(-800'000, 800'000);
    std::int64_t drift = 0;
    for (int i = 0; i < passes; ++i) {
      const std::int64_t j = jitter(rng);
      pass(static_cast<std::uint64_t>(static_cast<std::int64_t>(kPeriodNs) + j - drift));
      drift = j;  // the next pass is due on the grid, not after this one's lateness
    }
  }
  // The timer thread asleep for `lateNs` beyond its pass, then catching up
  // with passes 5 ms apart until back on the grid.
  void stall(std::uint64_t lateNs) {
    pass(kPeriodNs + lateNs);
    std::int64_t behind = static_cast<std::int64_t>(lateNs);
    while (behind > 0) {
      pass(kPeriodNs / 2);
      behind -= static_cast<std::int64_t>(kPeriodNs / 2);
    }
    if (behind < 0) pass(static_cast<std::uint64_t>(static_cast<std::int64_t>(kPeriodNs) + behind));
  }
};

TEST(EngineClockWatch, AJitteryButOnTimeEngineIsNeverLate) {
  ContinuousEngine e;
  e.run(600);
  EXPECT_TRUE(e.reports.empty());
  EXPECT_EQ(e.watch.latePasses(), 0u);
}

TEST(EngineClockWatch, ShortTimerGapsThatPulseAudioRidesOutAreNotLatePasses) {
  ContinuousEngine e;
  e.run(5);
  for (int i = 0; i < 20; ++i) {
    e.stall(4'000'000);  // a 14 ms gap: 190 frames behind for a pass
    e.run(1);
  }
  EXPECT_TRUE(e.reports.empty());
}

TEST(EngineClockWatch, AStalledEngineIsOneLatePassWithItsLag) {
  ContinuousEngine e;
  e.run(29);
  e.stall(17'400'000);  // the trace's 27.4 ms gap
  e.run(30);
  ASSERT_EQ(e.reports.size(), 1u);
  EXPECT_NEAR(e.reports[0], 17.4e-3 * kRate, 80);  // 835 frames, within the jitter
  EXPECT_EQ(e.watch.latePasses(), 1u);
}

TEST(EngineClockWatch, EachStallCountsOnceEvenBackToBack) {
  ContinuousEngine e;
  e.run(2);
  for (int i = 0; i < 10; ++i) {
    e.stall(30'000'000);
    e.run(0.2);
  }
  EXPECT_EQ(e.reports.size(), 10u);
}

TEST(EngineClockWatch, AnEngineThatNeverMakesTheTimeUpIsOneLatePassThenTheNewNormal) {
  ContinuousEngine e;
  e.run(2);
  e.pass(kPeriodNs + 50'000'000);  // 2400 frames behind, for good
  e.run(3);
  ASSERT_EQ(e.reports.size(), 1u);
  EXPECT_NEAR(e.reports[0], 2400, 80);
  e.stall(30'000'000);  // a later stall is seen against the new floor
  e.run(1);
  EXPECT_EQ(e.reports.size(), 2u);
}

// The engine's clock against the system clock: drift the floor follows.
TEST(EngineClockWatch, ClockDriftBelowTheLimitIsNotLateness) {
  for (const double ppm : {-500.0, -100.0, 100.0, 500.0}) {
    EngineClockWatch w;
    w.configure(kRate, kPeriod);
    std::uint64_t now = 1'000'000'000;
    double consumed = 0;
    int reports = 0;
    for (int i = 0; i < 60'000; ++i) {  // 10 minutes
      now += kPeriodNs;
      consumed += kPeriod * (1 + ppm * 1e-6);
      if (w.observe(static_cast<std::uint64_t>(consumed), now) > 0) ++reports;
    }
    EXPECT_EQ(reports, 0) << ppm << " ppm";
  }
}

// Windows' engine: a period per pass, hardware-clocked; our wakes anywhere
// between passes see a sawtooth of up to a period, with the tolerance of
// two periods render_stream.cpp gives such an engine.
TEST(EngineClockWatch, WholePeriodPassesSeenAtRandomPhasesAreNotLateness) {
  EngineClockWatch w;
  w.configure(kRate, 2 * kPeriod);
  std::mt19937 rng(3);
  std::uniform_int_distribution<std::uint64_t> phase(0, kPeriodNs - 1);
  int reports = 0;
  for (int i = 0; i < 60'000; ++i) {
    const std::uint64_t passAt = 1'000'000'000 + i * kPeriodNs;
    const std::uint64_t now = passAt + phase(rng);  // our wake, late by up to a period
    if (w.observe(static_cast<std::uint64_t>(i + 1) * kPeriod, now) > 0) ++reports;
  }
  EXPECT_EQ(reports, 0);
}

TEST(EngineClockWatch, RebaseForgetsTheFloor) {
  ContinuousEngine e;
  e.run(2);
  e.watch.rebase();  // the queue ran dry: the consumed position stood still meanwhile
  e.now += 100'000'000;
  e.run(2);
  EXPECT_TRUE(e.reports.empty());
}

}  // namespace
}  // namespace a2w
