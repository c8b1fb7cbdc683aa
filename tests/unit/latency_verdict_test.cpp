// The loopback report's comparison of a measured round trip with the
// driver's report (tools/common/latency_verdict.h), on the figures the Wine
// world gives (docs/LATENCY.md) and on made-up ones for the other cases.
#include "common/latency_verdict.h"

#include <gtest/gtest.h>

namespace {

using a2w::host::judgeLatency;
using a2w::host::ReportedLatency;

ReportedLatency wineReport(bool withParts) {
  ReportedLatency r;
  r.input = 3474;
  r.output = 1920;
  if (withParts) r.osFrames = 1920;  // 960 GetStreamLatency per stream
  return r;
}

TEST(LatencyVerdictTest, WithinOneBufferOfTheWholeReport) {
  const auto v = judgeLatency(5394 - 300.5, wineReport(true), 480);
  EXPECT_EQ(v.reportedFrames, 5394);
  EXPECT_DOUBLE_EQ(v.unseenFrames, -300.5);
  EXPECT_TRUE(v.withinOneBuffer);
  EXPECT_NE(v.text.find("within one buffer (480) of the reported 5394"), std::string::npos) << v.text;
  EXPECT_EQ(v.text.find("GetStreamLatency"), std::string::npos) << "nothing to explain: " << v.text;
}

TEST(LatencyVerdictTest, TheOsShareTheLoopDoesNotPassThroughIsNamedWithItsSize) {
  const auto v = judgeLatency(2994, wineReport(true), 480);
  EXPECT_FALSE(v.withinOneBuffer);
  EXPECT_DOUBLE_EQ(v.unseenFrames, -2400);
  ASSERT_TRUE(v.osFrames && v.driverPartFrames && v.driverPartErrorFrames && v.withinOneBufferOfDriverPart);
  EXPECT_EQ(*v.osFrames, 1920);
  EXPECT_EQ(*v.driverPartFrames, 3474);
  EXPECT_DOUBLE_EQ(*v.driverPartErrorFrames, -480);
  EXPECT_TRUE(*v.withinOneBufferOfDriverPart);
  EXPECT_NE(v.text.find("1920 of the report is the OS's GetStreamLatency"), std::string::npos) << v.text;
  EXPECT_NE(v.text.find("driver's own part (3474) the measured is -480, within one buffer"), std::string::npos)
      << v.text;
}

TEST(LatencyVerdictTest, ALoopShorterThanEvenTheDriversPartSaysSo) {
  const auto v = judgeLatency(2754, wineReport(true), 480);
  ASSERT_TRUE(v.withinOneBufferOfDriverPart);
  EXPECT_FALSE(*v.withinOneBufferOfDriverPart);
  EXPECT_DOUBLE_EQ(*v.driverPartErrorFrames, -720);
  EXPECT_NE(v.text.find("720 frames under the driver's own part (3474)"), std::string::npos) << v.text;
}

TEST(LatencyVerdictTest, DelayBeyondTheReportIsUnseen) {
  const auto v = judgeLatency(6000, wineReport(true), 480);
  EXPECT_DOUBLE_EQ(v.unseenFrames, 606);
  EXPECT_FALSE(v.withinOneBuffer);
  EXPECT_NE(v.text.find("606 frames more than the reported 5394"), std::string::npos) << v.text;
}

TEST(LatencyVerdictTest, ALoopThroughPartOfTheOsShareSaysHowMuch) {
  const auto v = judgeLatency(4500, wineReport(true), 480);  // 5394 - 894: 1026 of the OS's 1920 passed
  EXPECT_FALSE(v.withinOneBuffer);
  EXPECT_FALSE(*v.withinOneBufferOfDriverPart);
  EXPECT_NE(v.text.find("the loop passed through about 1026 of it"), std::string::npos) << v.text;
}

TEST(LatencyVerdictTest, WithoutTheDriversBreakdownOnlyTheTotalIsJudged) {
  const auto v = judgeLatency(2994, wineReport(false), 480);
  EXPECT_FALSE(v.osFrames.has_value());
  EXPECT_FALSE(v.withinOneBufferOfDriverPart.has_value());
  EXPECT_NE(v.text.find("2400 frames less than the reported 5394."), std::string::npos) << v.text;
}

}  // namespace
