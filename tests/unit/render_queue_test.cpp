// RenderQueue (core/render_queue.h): the target queue, the underrun a late
// wake causes, the on-time stamps and the adaptive margin, against an
// engine model that takes one period per engine tick.
#include "core/render_queue.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace a2w {
namespace {

constexpr std::int32_t kPeriod = 480;
constexpr double kRate = 48000;
constexpr std::uint64_t kPeriodNs = 10'000'000;  // 480 frames at 48 kHz

RenderQueueConfig config(bool adaptive = true) {
  RenderQueueConfig c;
  c.periodFrames = kPeriod;
  c.capacityFrames = 3 * kPeriod + 4800;
  c.minimumQueueFrames = 3 * kPeriod;
  c.maximumQueueFrames = 3 * kPeriod + 4800;
  c.rate = kRate;
  c.adaptive = adaptive;
  return c;
}

// One wake of the audio thread as render_stream.cpp does it: returns the
// periods written; `stamps` gets each one's on-time stamp.
int serve(RenderQueue& q, std::uint32_t& padding, std::uint64_t now, RenderQueue::Wake* wake = nullptr,
          std::uint64_t* firstStamp = nullptr) {
  const RenderQueue::Wake w = q.wake(padding, now);
  if (wake) *wake = w;
  int written = 0;
  while (q.roomForPeriod(padding)) {
    if (written == 0 && firstStamp) *firstStamp = q.stampFor(padding, now);
    padding += kPeriod;
    ++written;
  }
  if (written > 0) q.wrote(padding, now);
  return written;
}

TEST(RenderQueue, StartsAtTheMinimumAndFillsToIt) {
  RenderQueue q;
  q.configure(config());
  std::uint32_t padding = 0;
  EXPECT_EQ(serve(q, padding, 1'000'000'000), 3);
  EXPECT_EQ(padding, 3u * kPeriod);
  EXPECT_EQ(q.targetFrames(), 3 * kPeriod);
  EXPECT_EQ(q.safetyFrames(), 0);
}

TEST(RenderQueue, OnTimeWakesWriteOnePeriodStampedNow) {
  RenderQueue q;
  q.configure(config());
  std::uint32_t padding = 0;
  std::uint64_t now = 1'000'000'000;
  serve(q, padding, now);
  for (int i = 0; i < 100; ++i) {
    now += kPeriodNs;
    padding -= kPeriod;  // the engine took a period
    RenderQueue::Wake w;
    std::uint64_t stamp = 0;
    ASSERT_EQ(serve(q, padding, now, &w, &stamp), 1);
    EXPECT_EQ(w.underrunFrames, 0);
    EXPECT_EQ(stamp, now);
  }
  EXPECT_EQ(q.underruns(), 0u);
}

// A wake 25 ms late with a 30 ms queue: the engine did not run dry, the
// thread catches up with two periods, stamped as if written on time.
TEST(RenderQueue, ALateWakeThatDidNotRunDryIsNoUnderrunAndIsStampedOnTime) {
  RenderQueue q;
  q.configure(config());
  std::uint32_t padding = 0;
  std::uint64_t now = 1'000'000'000;
  serve(q, padding, now);
  now += kPeriodNs + 15'000'000;  // 25 ms after the write
  padding -= 2 * kPeriod;         // the engine took two periods meanwhile
  RenderQueue::Wake w;
  std::uint64_t stamp = 0;
  EXPECT_EQ(serve(q, padding, now, &w, &stamp), 2);
  EXPECT_EQ(w.underrunFrames, 0);
  // On time it would have been written when the queue was at target -
  // period (960): one period ago.
  EXPECT_EQ(stamp, now - kPeriodNs);
  EXPECT_EQ(q.safetyFrames(), 0);
}

// 50 ms late with 30 ms queued: the engine played 20 ms of silence. Counted
// once, the target grows by a period, the first period is stamped where the
// new phase puts it.
TEST(RenderQueue, ALateWakeThatRanDryIsOneUnderrunAndGrowsTheTarget) {
  RenderQueue q;
  q.configure(config());
  std::uint32_t padding = 0;
  std::uint64_t now = 1'000'000'000;
  serve(q, padding, now);
  now += 50'000'000;
  padding = 0;
  RenderQueue::Wake w;
  std::uint64_t stamp = 0;
  EXPECT_EQ(serve(q, padding, now, &w, &stamp), 4);
  EXPECT_EQ(w.underrunFrames, 720);  // 20 ms dry, less half a period of unknown engine phase
  EXPECT_TRUE(w.targetGrew);
  EXPECT_EQ(q.targetFrames(), 4 * kPeriod);
  EXPECT_EQ(q.safetyFrames(), kPeriod);
  EXPECT_EQ(q.underruns(), 1u);
  // The frame written now plays now (the buffer is empty): its stamp is
  // that minus the steady queue ahead of a write (target - period).
  EXPECT_EQ(stamp, now - 3 * kPeriodNs);
}

// Arriving after the engine took the last frames is no underrun while the
// last period it pulled may still be playing: up to a period beyond the queue.
TEST(RenderQueue, AnEmptyBufferFoundJustInTimeIsNoUnderrun) {
  RenderQueue q;
  q.configure(config());
  std::uint32_t padding = 0;
  std::uint64_t now = 1'000'000'000;
  serve(q, padding, now);
  now += 4 * kPeriodNs - 1'000'000;  // 39 ms: 9 ms past the 30 ms queue, under a period
  padding = 0;
  RenderQueue::Wake w;
  serve(q, padding, now, &w);
  EXPECT_EQ(w.underrunFrames, 0);
  EXPECT_EQ(q.underruns(), 0u);
}

// A continuous engine (Wine's) plays silence as soon as the queue's time is
// over: 9 ms beyond a 30 ms queue is an underrun of 9 ms there, none for
// an engine that takes whole periods.
TEST(RenderQueue, AContinuousEngineRunsDryAsSoonAsTheQueueIsOver) {
  for (const bool whole : {true, false}) {
    RenderQueue q;
    RenderQueueConfig c = config();
    c.engineTakesWholePeriods = whole;
    q.configure(c);
    std::uint32_t padding = 0;
    serve(q, padding, 1'000'000'000);
    padding = 0;
    RenderQueue::Wake w;
    serve(q, padding, 1'000'000'000 + 39'000'000, &w);
    EXPECT_EQ(w.underrunFrames, whole ? 0 : 432) << "whole periods: " << whole;
  }
}

TEST(RenderQueue, TheMarginStopsAtItsCapAndStartsOverAtReset) {
  RenderQueue q;
  q.configure(config());
  std::uint32_t padding = 0;
  std::uint64_t now = 1'000'000'000;
  serve(q, padding, now);
  for (int i = 0; i < 15; ++i) {
    now += 200'000'000;  // far later than any queue holds
    padding = 0;
    RenderQueue::Wake w;
    serve(q, padding, now, &w);
    EXPECT_GT(w.underrunFrames, 0);
    EXPECT_EQ(w.targetGrew, i < 10) << "underrun " << i;
  }
  EXPECT_EQ(q.safetyFrames(), 4800);
  EXPECT_EQ(q.underruns(), 15u);
  q.reset();
  EXPECT_EQ(q.safetyFrames(), 0);
  padding = 0;
  RenderQueue::Wake w;
  serve(q, padding, now + 1'000'000'000, &w);
  EXPECT_EQ(w.underrunFrames, 0);  // nothing written since the reset: no underrun to see
}

TEST(RenderQueue, AFixedMarginStartsThereAndNeverGrows) {
  RenderQueue q;
  RenderQueueConfig c = config(false);
  c.initialSafetyFrames = 2 * kPeriod;
  q.configure(c);
  std::uint32_t padding = 0;
  std::uint64_t now = 1'000'000'000;
  EXPECT_EQ(serve(q, padding, now), 5);
  EXPECT_EQ(q.safetyFrames(), 2 * kPeriod);
  now += 200'000'000;
  padding = 0;
  RenderQueue::Wake w;
  serve(q, padding, now, &w);
  EXPECT_GT(w.underrunFrames, 0);  // still counted
  EXPECT_FALSE(w.targetGrew);
  EXPECT_EQ(q.safetyFrames(), 2 * kPeriod);
}

// Without room above the minimum (the whole buffer is the queue) the target
// is the buffer, as before the margin existed.
TEST(RenderQueue, WithoutRoomTheTargetIsTheWholeBuffer) {
  RenderQueue q;
  RenderQueueConfig c = config();
  c.capacityFrames = 3 * kPeriod;
  q.configure(c);
  EXPECT_EQ(q.targetFrames(), 3 * kPeriod);
  EXPECT_EQ(q.maximumFrames(), 3 * kPeriod);
  std::uint32_t padding = 0;
  serve(q, padding, 1'000'000'000);
  padding = 0;
  RenderQueue::Wake w;
  serve(q, padding, 2'000'000'000, &w);
  EXPECT_GT(w.underrunFrames, 0);
  EXPECT_FALSE(w.targetGrew);
}

}  // namespace
}  // namespace a2w
