// Time across periods: alternating indices, sample positions 0, N, 2N...,
// timestamps from the fake clock, bufferSwitchTimeInfo only for hosts that
// asked for it, getSamplePosition, and the sample-rate-change reset.
#include <algorithm>
#include <string>
#include <vector>

#include "support/driver_core_fixture.h"
#include "support/sample_patterns.h"

namespace a2w::test {
namespace {

constexpr std::uint32_t kAllValid = asio::timeinfo::kSystemTimeValid | asio::timeinfo::kSamplePositionValid |
                                    asio::timeinfo::kSampleRateValid | asio::timeinfo::kSpeedValid;

TEST_F(DriverCoreTest, TimeInfoAcrossPeriods) {
  auto infos = channels(2, 2);
  runningWith(infos, 128);
  ASSERT_EQ(fake->tick(5), 5);
  ASSERT_EQ(host.switches.size(), 5u);
  for (std::size_t k = 0; k < 5; ++k) {
    const RecordingHost::Switch& s = host.switches[k];
    EXPECT_TRUE(s.timeInfo);
    EXPECT_EQ(s.index, static_cast<std::int32_t>(k % 2)) << k;
    EXPECT_EQ(s.directProcess, asio::kTrue);
    EXPECT_EQ(asio::fromSplit64(s.time.timeInfo.samplePosition), k * 128) << k;
    EXPECT_EQ(asio::fromSplit64(s.time.timeInfo.systemTime), fake->periodTimeNs(k)) << k;
    EXPECT_EQ(s.time.timeInfo.flags, kAllValid);
    EXPECT_EQ(double(s.time.timeInfo.speed), 1.0);
    EXPECT_EQ(double(s.time.timeInfo.sampleRate), 48000.0);
    EXPECT_EQ(s.time.reserved[0], 0);
    EXPECT_EQ(s.time.timeCode.flags, 0u);
  }
  // 128 frames at 48 kHz: 2666666 ns apart (the fake's integer clock).
  EXPECT_EQ(fake->periodTimeNs(1) - fake->periodTimeNs(0), 2666666u);
  EXPECT_TRUE(core->stats().hostUsesTimeInfo);
  EXPECT_EQ(core->stats().hostEngineVersion, 2);
}

TEST_F(DriverCoreTest, PlainBufferSwitchWhenTheHostDoesNotSupportTimeInfo) {
  host.supportsTimeInfo = false;
  auto infos = channels(2, 0);
  runningWith(infos, 64);
  fake->tick(4);
  ASSERT_EQ(host.switches.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_FALSE(host.switches[k].timeInfo);
    EXPECT_EQ(host.switches[k].index, static_cast<std::int32_t>(k % 2));
  }
  EXPECT_FALSE(core->stats().hostUsesTimeInfo);
  // Output still flows.
  EXPECT_EQ(fake->renderedFloat(1, 200), patternAsFloat(RecordingHost::outputValue(1, 200)));
}

TEST_F(DriverCoreTest, PlainBufferSwitchWhenTheTimeInfoCallbackIsMissing) {
  host.provideTimeInfoCallback = false;  // says yes, but passes no function
  auto infos = channels(1, 0);
  runningWith(infos, 64);
  fake->tick(2);
  ASSERT_EQ(host.switches.size(), 2u);
  EXPECT_FALSE(host.switches[0].timeInfo);
}

TEST_F(DriverCoreTest, NoAsioMessageMeansNoProbingAndPlainSwitches) {
  host.provideAsioMessage = false;
  auto infos = channels(1, 0);
  runningWith(infos, 64);
  fake->tick(2);
  EXPECT_TRUE(host.selectorsAsked.empty());
  ASSERT_EQ(host.switches.size(), 2u);
  EXPECT_FALSE(host.switches[0].timeInfo);
}

TEST_F(DriverCoreTest, CreateBuffersProbesTheHostsMessages) {
  initOk();
  auto infos = channels(1, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  for (std::int32_t selector : {asio::msg::kResetRequest, asio::msg::kResyncRequest, asio::msg::kLatenciesChanged,
                                asio::msg::kSupportsTimeInfo, asio::msg::kOverload, asio::msg::kBufferSizeChange,
                                asio::msg::kEngineVersion}) {
    EXPECT_NE(std::find(host.selectorsAsked.begin(), host.selectorsAsked.end(), selector), host.selectorsAsked.end())
        << selector;
  }
  EXPECT_EQ(host.count(asio::msg::kSupportsTimeInfo), 1);
  EXPECT_EQ(host.count(asio::msg::kEngineVersion), 1);
  // Messages the host does not support are never sent.
  host.supportsTimeInfo = false;
  host.messagesSent.clear();
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  EXPECT_EQ(host.count(asio::msg::kSupportsTimeInfo), 0);
}

TEST_F(DriverCoreTest, SamplePositionIsThatOfTheLastPeriodBoundaryAndMonotonic) {
  auto infos = channels(2, 0);
  runningWith(infos, 256);
  asio::Samples pos;
  asio::TimeStamp stamp;
  std::uint64_t last = 0;
  for (std::uint64_t k = 0; k < 4; ++k) {
    fake->tick(1);
    ASSERT_EQ(core->getSamplePosition(&pos, &stamp), asio::err::kOk);
    EXPECT_EQ(asio::fromSplit64(pos), k * 256);
    EXPECT_EQ(asio::fromSplit64(stamp), fake->periodTimeNs(k));
    EXPECT_GE(asio::fromSplit64(pos), last);
    last = asio::fromSplit64(pos);
  }
}

// Hosts call getSamplePosition from inside bufferSwitch: it must already
// describe the period being processed.
TEST_F(DriverCoreTest, SamplePositionInsideTheSwitchMatchesTheTimeInfo) {
  auto infos = channels(2, 0);
  std::vector<std::uint64_t> positions;
  host.onSwitch = [&](std::int32_t) {
    asio::Samples pos;
    asio::TimeStamp stamp;
    ASSERT_EQ(core->getSamplePosition(&pos, &stamp), asio::err::kOk);
    positions.push_back(asio::fromSplit64(pos));
    EXPECT_EQ(asio::fromSplit64(stamp), asio::fromSplit64(host.switches.back().time.timeInfo.systemTime));
  };
  runningWith(infos, 64);
  fake->tick(3);
  EXPECT_EQ(positions, (std::vector<std::uint64_t>{0, 64, 128}));
}

TEST_F(DriverCoreTest, PositionsBeyond32BitsUseBothWords) {
  // Not by ticking 2^32 frames: the Split64 helpers the core uses.
  constexpr std::uint64_t big = (std::uint64_t{3} << 32) | 5u;
  const asio::Samples s = asio::toSplit64(big);
  EXPECT_EQ(s.hi, 3u);
  EXPECT_EQ(s.lo, 5u);
  EXPECT_EQ(asio::fromSplit64(s), big);
}

// --- setSampleRate with buffers: store, ask for a reset, flag the change

TEST_F(DriverCoreTest, SetSampleRateWhilePreparedSendsAResetRequest) {
  initOk();
  auto infos = channels(2, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  ASSERT_EQ(core->setSampleRate(96000), asio::err::kOk);
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 1);
  EXPECT_TRUE(core->stats().resetPending);
  double rate = 0;
  ASSERT_EQ(core->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 96000);
  // The host resets: the new stream opens at the new rate.
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  EXPECT_FALSE(core->stats().resetPending);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  EXPECT_EQ(log->lastRequest.sampleRate, 96000);
  ASSERT_EQ(core->start(), asio::err::kOk);
  fake->tick(2);
  ASSERT_EQ(host.switches.size(), 2u);
  EXPECT_EQ(host.switches[0].time.timeInfo.flags, kAllValid | asio::timeinfo::kSampleRateChanged);
  EXPECT_EQ(double(host.switches[0].time.timeInfo.sampleRate), 96000.0);
  EXPECT_EQ(host.switches[1].time.timeInfo.flags, kAllValid);  // only once
}

TEST_F(DriverCoreTest, SetSampleRateWhileRunningKeepsStreamingAtTheOldRateUntilTheReset) {
  auto infos = channels(2, 0);
  runningWith(infos, 256);
  ASSERT_EQ(core->setSampleRate(44100), asio::err::kOk);
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 1);
  fake->tick(1);
  EXPECT_EQ(double(host.switches[0].time.timeInfo.sampleRate), 48000.0);
}

TEST_F(DriverCoreTest, NoResetRequestToAHostThatDoesNotSupportIt) {
  host.supportsResetRequest = false;
  initOk();
  auto infos = channels(2, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  EXPECT_EQ(core->setSampleRate(96000), asio::err::kOk);
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 0);
  EXPECT_EQ(core->stats().resetRequestsSent, 0u);
}

TEST_F(DriverCoreTest, SameRateWhilePreparedIsANoOp) {
  initOk();
  auto infos = channels(2, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  EXPECT_EQ(core->setSampleRate(48000), asio::err::kOk);
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 0);
}

TEST_F(DriverCoreTest, SetSampleRateInInitialisedSendsNoReset) {
  initOk();
  EXPECT_EQ(core->setSampleRate(96000), asio::err::kOk);
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 0);
  EXPECT_FALSE(core->stats().resetPending);
}

// --- device events from the backend's thread

TEST_F(DriverCoreTest, DeviceEventsAskTheHostForAReset) {
  auto infos = channels(2, 0);
  runningWith(infos);
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::Lost));
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 1);
  EXPECT_TRUE(mentions(errorText(), "removed or disabled"));
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::DefaultChanged));
  EXPECT_TRUE(mentions(errorText(), "default audio device changed"));
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::FormatChanged));
  EXPECT_TRUE(mentions(errorText(), "format changed"));
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::Stalled));
  EXPECT_TRUE(mentions(errorText(), "stopped delivering"));
  const DriverStats stats = core->stats();
  EXPECT_EQ(stats.deviceEvents, 4u);
  EXPECT_EQ(stats.resetRequestsSent, 4u);
  EXPECT_TRUE(stats.resetPending);
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 4);
  // The host resets; the pending flag clears.
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  EXPECT_FALSE(core->stats().resetPending);
}

TEST_F(DriverCoreTest, DeviceEventWithoutResetSupportIsOnlyRecorded) {
  host.supportsResetRequest = false;
  auto infos = channels(2, 0);
  runningWith(infos);
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::Lost));
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 0);
  EXPECT_EQ(core->stats().deviceEvents, 1u);
  EXPECT_TRUE(core->stats().resetPending);
}

TEST_F(DriverCoreTest, DeviceEventAfterDisposeSendsNothing) {
  auto infos = channels(2, 0);
  runningWith(infos);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::Lost));  // a late notification
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 0);
}

}  // namespace
}  // namespace a2w::test
