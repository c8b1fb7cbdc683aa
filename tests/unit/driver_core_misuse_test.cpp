// Every IASIO method called wrongly: null pointers, bad counts and indices,
// unsupported sizes and rates, calls in the wrong state. Each must return
// the right code, leave a message that names the cause, and never crash.
#include <cstring>
#include <string>

#include "support/driver_core_fixture.h"
#include "support/sample_patterns.h"

namespace a2w::test {
namespace {

// --- before init: everything that needs the device says kInvalidMode

TEST_F(DriverCoreTest, QueriesBeforeInitAreInvalidMode) {
  std::int32_t a = 0, b = 0, c = 0, d = 0;
  double rate = 0;
  asio::ChannelInfo info{};
  EXPECT_EQ(core->getChannels(&a, &b), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "getChannels: call init first"));
  EXPECT_EQ(core->getLatencies(&a, &b), asio::err::kInvalidMode);
  EXPECT_EQ(core->getBufferSize(&a, &b, &c, &d), asio::err::kInvalidMode);
  EXPECT_EQ(core->canSampleRate(48000), asio::err::kInvalidMode);
  EXPECT_EQ(core->getSampleRate(&rate), asio::err::kInvalidMode);
  EXPECT_EQ(core->setSampleRate(48000), asio::err::kInvalidMode);
  EXPECT_EQ(core->getChannelInfo(&info), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "getChannelInfo"));
  EXPECT_EQ(core->outputReady(), asio::err::kInvalidMode);
}

TEST_F(DriverCoreTest, LifecycleCallsBeforeInitAreInvalidMode) {
  auto infos = channels(1, 0);
  EXPECT_EQ(create(infos, 256), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "init"));
  EXPECT_EQ(core->start(), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "start"));
  EXPECT_EQ(core->stop(), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "stop"));
  EXPECT_EQ(core->disposeBuffers(), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "disposeBuffers"));
  asio::Samples pos;
  asio::TimeStamp stamp;
  EXPECT_EQ(core->getSamplePosition(&pos, &stamp), asio::err::kSamplePositionNotAdvancing);
  EXPECT_EQ(log->prepare + log->start + log->stop + log->unprepare, 0);
}

// --- null pointers

TEST_F(DriverCoreTest, NullPointersAreInvalidParameter) {
  initOk();
  std::int32_t a = 0, b = 0, c = 0, d = 0;
  EXPECT_EQ(core->getChannels(nullptr, &b), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "getChannels: the host passed a null pointer"));
  EXPECT_EQ(core->getChannels(&a, nullptr), asio::err::kInvalidParameter);
  EXPECT_EQ(core->getLatencies(nullptr, &b), asio::err::kInvalidParameter);
  EXPECT_EQ(core->getLatencies(&a, nullptr), asio::err::kInvalidParameter);
  EXPECT_EQ(core->getBufferSize(nullptr, &b, &c, &d), asio::err::kInvalidParameter);
  EXPECT_EQ(core->getBufferSize(&a, nullptr, &c, &d), asio::err::kInvalidParameter);
  EXPECT_EQ(core->getBufferSize(&a, &b, nullptr, &d), asio::err::kInvalidParameter);
  EXPECT_EQ(core->getBufferSize(&a, &b, &c, nullptr), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "getBufferSize"));
  EXPECT_EQ(core->getSampleRate(nullptr), asio::err::kInvalidParameter);
  EXPECT_EQ(core->getChannelInfo(nullptr), asio::err::kInvalidParameter);
  std::int32_t count = 1;
  asio::ClockSource clock{};
  EXPECT_EQ(core->getClockSources(nullptr, &count), asio::err::kInvalidParameter);
  EXPECT_EQ(core->getClockSources(&clock, nullptr), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "getClockSources"));
  asio::Samples pos;
  asio::TimeStamp stamp;
  EXPECT_EQ(core->getSamplePosition(nullptr, &stamp), asio::err::kInvalidParameter);
  EXPECT_EQ(core->getSamplePosition(&pos, nullptr), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "getSamplePosition"));
  EXPECT_EQ(core->future(asio::fut::kGetInternalBufferSamples, nullptr), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "kGetInternalBufferSamples"));
}

TEST_F(DriverCoreTest, ClockSourcesNeedRoomForOne) {
  asio::ClockSource clock{};
  for (std::int32_t count : {0, -1, -2147483647 - 1}) {
    std::int32_t inOut = count;
    EXPECT_EQ(core->getClockSources(&clock, &inOut), asio::err::kInvalidParameter);
    EXPECT_EQ(inOut, count);
  }
  EXPECT_TRUE(mentions(errorText(), "at least 1"));
  EXPECT_EQ(core->setClockSource(1), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "clock 1 does not exist"));
  EXPECT_EQ(core->setClockSource(-1), asio::err::kInvalidParameter);
}

// --- getChannelInfo out of range

TEST_F(DriverCoreTest, ChannelInfoOutOfRangeInBothDirections) {
  FakeDeviceConfig config;
  config.inputChannels = 1;
  make(config);
  initOk();
  asio::ChannelInfo info{};
  info.isInput = asio::kFalse;
  info.channel = 2;
  EXPECT_EQ(core->getChannelInfo(&info), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "output channel 2 is out of range (the device has 2 output channels)"));
  info.channel = -1;
  EXPECT_EQ(core->getChannelInfo(&info), asio::err::kInvalidParameter);
  info.isInput = asio::kTrue;
  info.channel = 1;
  EXPECT_EQ(core->getChannelInfo(&info), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "input channel 1 is out of range (the device has 1 input channels)"));
  info.isInput = 7;
  info.channel = 0;
  EXPECT_EQ(core->getChannelInfo(&info), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "isInput"));
}

TEST_F(DriverCoreTest, ChannelInfoForAnAbsentSide) {
  FakeDeviceConfig config;
  config.inputChannels = 0;
  make(config);
  initOk();
  asio::ChannelInfo info{};
  info.isInput = asio::kTrue;
  info.channel = 0;
  EXPECT_EQ(core->getChannelInfo(&info), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "has 0 input channels"));
}

// --- createBuffers: every argument; and nothing changes on a refusal

class CreateBuffersMisuseTest : public DriverCoreTest {
 protected:
  void SetUp() override {
    DriverCoreTest::SetUp();
    initOk();
  }
  // The refusal left no trace: same state, no stream, no buffers handed out.
  void expectUntouched(const std::vector<asio::BufferInfo>& infos) {
    EXPECT_EQ(core->state(), DriverState::Initialised);
    EXPECT_EQ(log->prepare, 0);
    for (const asio::BufferInfo& b : infos) {
      EXPECT_EQ(b.buffers[0], nullptr);
      EXPECT_EQ(b.buffers[1], nullptr);
    }
    EXPECT_TRUE(host.selectorsAsked.empty());  // the host was not even asked
  }
};

TEST_F(CreateBuffersMisuseTest, NullArguments) {
  callbacks = host.callbacks();
  auto infos = channels(1, 0);
  EXPECT_EQ(core->createBuffers(nullptr, 1, 256, &callbacks), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "no BufferInfo"));
  EXPECT_EQ(core->createBuffers(infos.data(), 1, 256, nullptr), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "no callbacks"));
  asio::Callbacks noSwitch = callbacks;
  noSwitch.bufferSwitch = nullptr;
  EXPECT_EQ(core->createBuffers(infos.data(), 1, 256, &noSwitch), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "bufferSwitch"));
  expectUntouched(infos);
}

TEST_F(CreateBuffersMisuseTest, BadCounts) {
  callbacks = host.callbacks();
  auto infos = channels(2, 2);
  for (std::int32_t count : {0, -1, 5, 1000000}) {
    EXPECT_EQ(core->createBuffers(infos.data(), count, 256, &callbacks), asio::err::kInvalidParameter) << count;
  }
  EXPECT_TRUE(mentions(errorText(), "1000000 channels asked for; the device has 4"));
  expectUntouched(infos);
}

TEST_F(CreateBuffersMisuseTest, UnofferedBufferSizes) {
  auto infos = channels(1, 0);
  for (std::int32_t frames : {0, -256, 100, 32, 4096, 257}) {
    EXPECT_EQ(create(infos, frames), asio::err::kInvalidParameter) << frames;
  }
  EXPECT_TRUE(mentions(errorText(), "257 frames is not an offered buffer size (powers of two from 64 to 2048)"));
  expectUntouched(infos);
  EXPECT_EQ(create(infos, 2048), asio::err::kOk);
}

TEST_F(CreateBuffersMisuseTest, ChannelOutOfRangeInBothDirections) {
  std::vector<asio::BufferInfo> infos{{asio::kFalse, 0, {}}, {asio::kFalse, 5, {}}};
  EXPECT_EQ(create(infos, 256), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "createBuffers: output channel 5 is out of range (the device has 2 output channels)"));
  infos[1] = {asio::kTrue, 2, {}};
  EXPECT_EQ(create(infos, 256), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "input channel 2 is out of range"));
  infos[1] = {asio::kTrue, -1, {}};
  EXPECT_EQ(create(infos, 256), asio::err::kInvalidParameter);
  infos[1] = {2, 0, {}};
  EXPECT_EQ(create(infos, 256), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "isInput is 2"));
  expectUntouched(infos);
}

TEST_F(CreateBuffersMisuseTest, DuplicateChannel) {
  std::vector<asio::BufferInfo> infos{{asio::kTrue, 1, {}}, {asio::kFalse, 1, {}}, {asio::kTrue, 1, {}}};
  EXPECT_EQ(create(infos, 256), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "input channel 1 is listed twice"));
  expectUntouched(infos);
}

TEST_F(CreateBuffersMisuseTest, BackendPrepareFailureKeepsNothing) {
  fake->failPrepare(Status::failure(asio::err::kHardwareMalfunction, "exclusive mode is taken by another app"));
  auto infos = channels(2, 0);
  EXPECT_EQ(create(infos, 256), asio::err::kHardwareMalfunction);
  EXPECT_TRUE(mentions(errorText(), "exclusive mode is taken"));
  EXPECT_EQ(core->state(), DriverState::Initialised);
  EXPECT_EQ(infos[0].buffers[0], nullptr);
  EXPECT_EQ(core->start(), asio::err::kInvalidMode);
  fake->failPrepare(std::nullopt);
  EXPECT_EQ(create(infos, 256), asio::err::kOk);
}

TEST_F(CreateBuffersMisuseTest, AStreamWithADifferentPeriodIsRefused) {
  FakeDeviceConfig config;
  config.streamBufferFrames = 448;
  make(config);
  initOk();
  auto infos = channels(2, 0);
  EXPECT_EQ(create(infos, 512), asio::err::kHardwareMalfunction);
  EXPECT_TRUE(mentions(errorText(), "448-frame periods, not the 512"));
  EXPECT_EQ(log->unprepare, 1);  // the stream prepare() opened is released
  EXPECT_EQ(core->state(), DriverState::Initialised);
}

TEST_F(CreateBuffersMisuseTest, CreateBuffersTwice) {
  auto infos = channels(1, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  void* first = infos[0].buffers[0];
  auto again = channels(1, 0);
  EXPECT_EQ(create(again, 256), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "createBuffers called twice; call disposeBuffers first"));
  EXPECT_EQ(again[0].buffers[0], nullptr);
  EXPECT_EQ(log->prepare, 1);
  ASSERT_EQ(core->start(), asio::err::kOk);
  EXPECT_EQ(create(again, 256), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "running"));
  fake->tick(1);  // the first buffers still work
  EXPECT_EQ(fake->renderedFloat(0, 5), patternAsFloat(RecordingHost::outputValue(0, 5)));
  EXPECT_NE(first, nullptr);
}

// --- start / stop / dispose / getSamplePosition in the wrong states

TEST_F(DriverCoreTest, StartBeforeCreateBuffers) {
  initOk();
  EXPECT_EQ(core->start(), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "start: call createBuffers first"));
  EXPECT_EQ(log->start, 0);
}

TEST_F(DriverCoreTest, StartTwice) {
  auto infos = channels(1, 0);
  runningWith(infos);
  EXPECT_EQ(core->start(), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "already running"));
  EXPECT_EQ(log->start, 1);
}

TEST_F(DriverCoreTest, StopAndDisposeBeforeCreateBuffers) {
  initOk();
  EXPECT_EQ(core->stop(), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "nothing to stop"));
  EXPECT_EQ(core->disposeBuffers(), asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "no buffers"));
  auto infos = channels(1, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  EXPECT_EQ(core->disposeBuffers(), asio::err::kInvalidMode);  // twice
  EXPECT_EQ(log->unprepare, 1);
}

TEST_F(DriverCoreTest, SamplePositionWhenNotRunning) {
  initOk();
  asio::Samples pos;
  asio::TimeStamp stamp;
  EXPECT_EQ(core->getSamplePosition(&pos, &stamp), asio::err::kSamplePositionNotAdvancing);
  EXPECT_TRUE(mentions(errorText(), "not running"));
  auto infos = channels(1, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  EXPECT_EQ(core->getSamplePosition(&pos, &stamp), asio::err::kSamplePositionNotAdvancing);
  ASSERT_EQ(core->start(), asio::err::kOk);
  EXPECT_EQ(core->getSamplePosition(&pos, &stamp), asio::err::kSamplePositionNotAdvancing);
  EXPECT_TRUE(mentions(errorText(), "not delivered a period yet"));
  fake->tick(1);
  EXPECT_EQ(core->getSamplePosition(&pos, &stamp), asio::err::kOk);
  ASSERT_EQ(core->stop(), asio::err::kOk);
  EXPECT_EQ(core->getSamplePosition(&pos, &stamp), asio::err::kSamplePositionNotAdvancing);
}

TEST_F(DriverCoreTest, UnknownFutureSelector) {
  EXPECT_EQ(core->future(123456, nullptr), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "unknown selector 123456"));
  EXPECT_EQ(core->future(-1, nullptr), asio::err::kInvalidParameter);
}

// A period whose frame count is not the buffer size (a misbehaving backend)
// is clamped: no overrun, silence for the frames the host did not write.
TEST_F(DriverCoreTest, AMismatchedPeriodIsClampedNotOverrun) {
  auto infos = channels(2, 2);
  runningWith(infos, 64);
  fake->setPeriodFrames(100);
  fake->tick(1);
  fake->setPeriodFrames(10);
  fake->tick(1);
  EXPECT_EQ(core->stats().mismatchedPeriods, 2u);
  for (std::uint64_t f = 64; f < 100; ++f) EXPECT_EQ(fake->renderedFloat(0, f), 0.0f);
  // The second period (10 frames) carries the host's next buffer's first frames.
  EXPECT_EQ(fake->renderedFloat(1, 100), patternAsFloat(RecordingHost::outputValue(1, 64)));
}

}  // namespace
}  // namespace a2w::test
