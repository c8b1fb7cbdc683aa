// asiohost's record of message positions (tools/common/position_log.h):
// order, the bound, exact counts past it, and writers on two threads.
#include "common/position_log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "support/allocation_counter.h"

namespace {

using a2w::host::PositionLog;

TEST(PositionLogTest, KeepsPositionsInOrder) {
  PositionLog log;
  log.reserve(8);
  for (std::uint64_t p : {480u, 960u, 96000u}) log.record(p);
  EXPECT_EQ(log.count(), 3u);
  EXPECT_EQ(log.dropped(), 0u);
  EXPECT_EQ(log.positions(), (std::vector<std::uint64_t>{480, 960, 96000}));
}

TEST(PositionLogTest, CountsWhatDidNotFit) {
  PositionLog log;
  log.reserve(2);
  for (std::uint64_t p = 1; p <= 5; ++p) log.record(p);
  EXPECT_EQ(log.count(), 5u);
  EXPECT_EQ(log.dropped(), 3u);
  EXPECT_EQ(log.positions(), (std::vector<std::uint64_t>{1, 2}));
}

TEST(PositionLogTest, ReserveForgetsAnEarlierRun) {
  PositionLog log;
  log.reserve(4);
  log.record(7);
  log.reserve(4);
  EXPECT_EQ(log.count(), 0u);
  EXPECT_TRUE(log.positions().empty());
}

TEST(PositionLogTest, RecordingNeverAllocates) {
  PositionLog log;
  log.reserve(16);
  const a2w::test::CountAllocations counting;
  for (std::uint64_t p = 0; p < 100; ++p) log.record(p);  // past the bound too
  EXPECT_EQ(counting.count(), 0u);
  EXPECT_EQ(log.count(), 100u);
}

TEST(PositionLogTest, TwoWritersLoseNothingThatFits) {
  PositionLog log;
  log.reserve(4096);
  const auto write = [&log](std::uint64_t base) {
    for (std::uint64_t i = 0; i < 1000; ++i) log.record(base + i);
  };
  std::thread a(write, 0), b(write, 1000000);
  a.join();
  b.join();
  auto got = log.positions();
  ASSERT_EQ(got.size(), 2000u);
  std::sort(got.begin(), got.end());
  for (std::uint64_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(got[i], i);
    EXPECT_EQ(got[1000 + i], 1000000 + i);
  }
}

}  // namespace
