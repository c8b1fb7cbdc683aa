// Pairing kLatenciesChanged positions with the figures the main thread asked
// for after them (tools/common/latency_changes.h).
#include "common/latency_changes.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

using namespace a2w::host;

TEST(LatencyChangesTest, EachMessageTakesTheFirstSnapshotAskedAfterIt) {
  const std::vector<std::uint64_t> positions = {4800, 96000, 96480};
  // Main woke after the first message, then once after both others.
  const std::vector<LatencySnapshot> snapshots = {{1, {2754, 1920}}, {3, {3234, 1920}}};
  const auto c = latencyChanges(positions, snapshots, {9999, 9999});
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].position, 4800u);
  EXPECT_EQ(c[0].figures.input, 2754);
  EXPECT_EQ(c[1].figures.input, 3234);  // the figures after the third: the second's own are gone
  EXPECT_EQ(c[2].figures.input, 3234);
  EXPECT_EQ(c[2].figures.output, 1920);
}

TEST(LatencyChangesTest, AMessageNoSnapshotFollowedTakesTheFiguresAfterStop) {
  const std::vector<std::uint64_t> positions = {4800, 2000000};
  const std::vector<LatencySnapshot> snapshots = {{1, {2754, 1920}}};
  const auto c = latencyChanges(positions, snapshots, {3714, 2400});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1].position, 2000000u);
  EXPECT_EQ(c[1].figures.input, 3714);
  EXPECT_EQ(c[1].figures.output, 2400);
  EXPECT_TRUE(latencyChanges({}, snapshots, {}).empty());
}

}  // namespace
