// Matching a loopback recording's breaks to the glitches the driver counted
// (tools/common/glitch_matching.h): the windows' edges, and recordings with
// the two kinds of xrun the driver reports, analyzed for real.
#include "common/glitch_matching.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "common/loopback_analysis.h"
#include "common/test_signal.h"

namespace {

using namespace a2w::host;

constexpr std::int32_t kBuffer = 480;
constexpr std::uint64_t kWindow = 2048 + 2 * 480 + 480;  // block + two buffers + one device period

LoopbackEvent breakAt(std::uint64_t played, double lag) { return {played, lag, lag, 0.0}; }

TEST(GlitchMatchingTest, WindowIsABlockTwoBuffersAndAPeriod) {
  EXPECT_EQ(glitchWindowFrames(2048, kBuffer, kBuffer), kWindow);
  EXPECT_EQ(glitchWindowFrames(2048, 64, 144), 2048u + 128 + 144);
}

TEST(GlitchMatchingTest, ARenderSideBreakIsExplainedWithinTheWindowOfTheGlitch) {
  const std::uint64_t g = 100000;
  EXPECT_TRUE(glitchExplains(g, breakAt(g - kWindow, 2754), kWindow));
  EXPECT_TRUE(glitchExplains(g, breakAt(g + kWindow, 2754), kWindow));
  EXPECT_FALSE(glitchExplains(g, breakAt(g + kWindow + 1, 2754), kWindow));
}

TEST(GlitchMatchingTest, AnInputSideBreakIsExplainedOneRoundTripBeforeTheGlitch) {
  const std::uint64_t g = 100000;
  const double d = 2754;
  // g - D - W .. g - D + W, then g - W .. g + W: before g - D - W nothing.
  const auto at = [&](double p) { return static_cast<std::uint64_t>(p); };
  EXPECT_TRUE(glitchExplains(g, breakAt(at(g - d), d), kWindow));
  EXPECT_TRUE(glitchExplains(g, breakAt(at(g - d - kWindow), d), kWindow));
  EXPECT_FALSE(glitchExplains(g, breakAt(at(g - d - kWindow - 1), d), kWindow));
  EXPECT_TRUE(glitchExplains(g, breakAt(at(g - d + kWindow), d), kWindow));
}

TEST(GlitchMatchingTest, TheDelayAfterABreakCountsTooWhenTheBreakMovedIt) {
  // An input-side realignment that moved the delay from 2640 to 6000: the
  // played frame of the break is g - 2640 by the delay before it, and a
  // glitch window around g - 6000 would miss it; around g - 2640 it holds.
  const std::uint64_t g = 200000;
  const LoopbackEvent moved{g - 2640, 2640, 6000, 0};
  EXPECT_TRUE(glitchExplains(g, moved, kWindow));
  const LoopbackEvent movedBack{g - 6000, 2640, 6000, 0};
  EXPECT_TRUE(glitchExplains(g, movedBack, kWindow));
}

TEST(GlitchMatchingTest, EveryBreakWithoutAGlitchNearItIsUnexplained) {
  const std::vector<LoopbackEvent> breaks = {breakAt(10000, 2754), breakAt(500000, 2754), breakAt(900000, 2754)};
  const std::vector<std::uint64_t> glitches = {10500, 700000};
  const GlitchMatch m = matchGlitches(breaks, glitches, kWindow);
  EXPECT_EQ(m.explained, 1u);
  EXPECT_EQ(m.unexplainedPlayedFrames, (std::vector<std::uint64_t>{500000, 900000}));
  EXPECT_EQ(matchGlitches(breaks, {}, kWindow).unexplainedPlayedFrames.size(), 3u);
  EXPECT_EQ(matchGlitches({}, glitches, kWindow).explained, 0u);
}

TEST(GlitchMatchingTest, BreaksFromCountsTheEndOfARun) {
  const std::vector<LoopbackEvent> breaks = {breakAt(10000, 0), breakAt(1440000, 0), breakAt(2000000, 0)};
  EXPECT_EQ(breaksFrom(breaks, 1440000), 2u);
  EXPECT_EQ(breaksFrom(breaks, 1440001), 1u);
  EXPECT_EQ(breaksFrom(breaks, 0), 3u);
}

// --- recordings with an xrun, as the driver's two kinds of recovery leave them

constexpr std::size_t kDelay = 2754;
constexpr std::size_t kGap = 720;  // frames of silence the xrun left

std::vector<double> played(std::size_t frames) {
  std::vector<double> v(frames);
  for (std::size_t n = 0; n < frames; ++n) v[n] = a2w::signal::sample(n, 0);
  return v;
}

// The render side ran dry at host position g: the device played kGap frames
// of silence after frame g - 1, then the rest, kGap frames later.
std::vector<double> renderXrun(const std::vector<double>& p, std::size_t g) {
  std::vector<double> r(p.size() + kDelay + kGap + 4000, 0.0);
  for (std::size_t n = 0; n < p.size(); ++n) r[n + kDelay + (n >= g ? kGap : 0)] = p[n];
  return r;
}

// The input FIFO underran at host position g: recorded frames g .. g+kGap-1
// are silence, and the recording goes on kGap frames later (realigned).
std::vector<double> inputXrun(const std::vector<double>& p, std::size_t g) {
  std::vector<double> r(p.size() + kDelay + kGap + 4000, 0.0);
  for (std::size_t n = 0; n < p.size(); ++n) {
    const std::size_t m = n + kDelay;
    if (m < g) r[m] = p[n];
    else r[m + kGap] = p[n];
  }
  return r;
}

LoopbackResult analyze(const std::vector<double>& p, const std::vector<double>& r) {
  LoopbackOptions o;
  o.maxLag = 6000;
  return analyzeLoopback(p, r, o);
}

TEST(GlitchMatchingTest, ARenderXrunIsExplainedByItsGlitchAndByNoOther) {
  const auto p = played(96000);
  const std::size_t g = 40 * kBuffer * 2;  // 38400
  const LoopbackResult a = analyze(p, renderXrun(p, g));
  ASSERT_TRUE(a.found);
  ASSERT_EQ(a.events.size(), 1u);
  const std::vector<std::uint64_t> right = {g}, elsewhere = {g + 20 * kBuffer};
  EXPECT_EQ(matchGlitches(a.events, right, kWindow).explained, 1u);
  EXPECT_EQ(matchGlitches(a.events, elsewhere, kWindow).unexplainedPlayedFrames.size(), 1u);
}

TEST(GlitchMatchingTest, AnInputXrunIsExplainedByItsGlitchOneRoundTripLater) {
  const auto p = played(96000);
  const std::size_t g = 50 * kBuffer * 2;  // 48000: played frame 45246 is recorded there
  const LoopbackResult a = analyze(p, inputXrun(p, g));
  ASSERT_TRUE(a.found);
  ASSERT_EQ(a.events.size(), 1u);
  EXPECT_NEAR(static_cast<double>(a.events[0].playedFrame), static_cast<double>(g - kDelay), 2048.0);
  EXPECT_NEAR(a.events[0].lagAfter, kDelay + kGap, 0.01);
  const std::vector<std::uint64_t> right = {g};
  EXPECT_EQ(matchGlitches(a.events, right, kWindow).explained, 1u);
  // A glitch a second earlier explains nothing here.
  const std::vector<std::uint64_t> early = {g - 48000 + 4000};
  EXPECT_EQ(matchGlitches(a.events, early, kWindow).explained, 0u);
}

}  // namespace
