// The core and the user's settings: channel maps (host channel -> device
// slot, checked against the device at init), buffer_ms, and live reload
// (applySettings: a reset request, then the next init reopens with them).
#include <gtest/gtest.h>

#include <cstring>

#include "support/driver_core_fixture.h"
#include "support/sample_patterns.h"

namespace a2w::test {
namespace {

class DriverCoreSettingsTest : public DriverCoreTest {
 protected:
  std::string channelName(bool input, int channel) {
    asio::ChannelInfo info{};
    info.channel = channel;
    info.isInput = input ? asio::kTrue : asio::kFalse;
    EXPECT_EQ(core->getChannelInfo(&info), asio::err::kOk) << errorText();
    return info.name;
  }
};

TEST_F(DriverCoreSettingsTest, ChannelMapChoosesAndOrdersDeviceChannels) {
  FakeDeviceConfig device;
  device.outputChannels = 6;
  device.inputChannels = 4;
  DriverSettings s;
  s.outputChannelMap = {5, 4};
  s.inputChannels = 2;
  make(device, s);
  initOk();
  std::int32_t inputs = 0;
  std::int32_t outputs = 0;
  ASSERT_EQ(core->getChannels(&inputs, &outputs), asio::err::kOk);
  EXPECT_EQ(outputs, 2);
  EXPECT_EQ(inputs, 2);
  EXPECT_EQ(channelName(false, 0), "Speaker 6");
  EXPECT_EQ(channelName(false, 1), "Speaker 5");
  EXPECT_EQ(channelName(true, 1), "Mic 2");
}

TEST_F(DriverCoreSettingsTest, MappedOutputReachesItsDeviceSlot) {
  FakeDeviceConfig device;
  device.outputChannels = 4;
  device.inputChannels = 0;
  DriverSettings s;
  s.outputChannelMap = {3, 1};
  make(device, s);
  auto infos = channels(2, 0);
  runningWith(infos, 256);
  ASSERT_EQ(fake->tick(3), 3);
  ASSERT_EQ(core->stop(), asio::err::kOk);
  for (std::uint64_t f = 0; f < fake->renderedFrames(); ++f) {
    ASSERT_EQ(fake->renderedFloat(3, f), patternAsFloat(RecordingHost::outputValue(0, f))) << f;
    ASSERT_EQ(fake->renderedFloat(1, f), patternAsFloat(RecordingHost::outputValue(1, f))) << f;
    ASSERT_EQ(fake->renderedFloat(0, f), 0.0f);
    ASSERT_EQ(fake->renderedFloat(2, f), 0.0f);
  }
}

TEST_F(DriverCoreSettingsTest, MapBeyondTheDeviceFailsInit) {
  DriverSettings s;
  s.outputChannelMap = {0, 2};
  make({}, s);
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  EXPECT_EQ(errorText(), "init: [output] channel_map names device channel 2, but \"Fake Speakers\" has 2 channels (0-1)");
  EXPECT_EQ(core->state(), DriverState::Loaded);
}

TEST_F(DriverCoreSettingsTest, MoreChannelsThanTheDeviceFailsInit) {
  DriverSettings s;
  s.inputChannels = 3;
  make({}, s);
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  EXPECT_EQ(errorText(), "init: [input] channels = 3, but \"Fake Microphone\" has 2 channels");
}

TEST_F(DriverCoreSettingsTest, BufferMsIsConvertedAtTheRunningRate) {
  DriverSettings s;
  s.bufferMs = 2.0 * 1000.0 * 128 / 48000;  // 128 frames at 48 kHz; the fake offers powers of two
  make({}, s);
  initOk();
  std::int32_t minimum = 0, maximum = 0, preferred = 0, granularity = 0;
  ASSERT_EQ(core->getBufferSize(&minimum, &maximum, &preferred, &granularity), asio::err::kOk);
  EXPECT_EQ(preferred, 256);
  EXPECT_EQ(log->lastSettings.bufferFrames, 256) << "the backend opens with the frames";
}

TEST_F(DriverCoreSettingsTest, ApplySettingsAsksTheRunningHostToReset) {
  auto infos = channels(2, 0);
  runningWith(infos);
  DriverSettings next;
  next.bufferFrames = 512;
  core->applySettings(next, "default.toml changed: buffer_frames");
  EXPECT_EQ(core->stats().resetRequestsSent, 1u);
  EXPECT_EQ(core->lastResetReason(), "default.toml changed: buffer_frames");
  EXPECT_EQ(core->settings().bufferFrames, 512);
  // The host resets: stop, dispose, init again (on the same object).
  ASSERT_EQ(core->stop(), asio::err::kOk);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  initOk();
  EXPECT_EQ(log->lastSettings.bufferFrames, 512) << "init reopened the device with the new settings";
  std::int32_t minimum = 0, maximum = 0, preferred = 0, granularity = 0;
  ASSERT_EQ(core->getBufferSize(&minimum, &maximum, &preferred, &granularity), asio::err::kOk);
  EXPECT_EQ(preferred, 512);
  // Nothing pending any more: a further init keeps the device open.
  const std::string before = log->lastSettings.outputDevice;
  initOk();
  EXPECT_EQ(core->state(), DriverState::Initialised);
  (void)before;
}

TEST_F(DriverCoreSettingsTest, PendingSettingsWaitWhileBuffersExist) {
  auto infos = channels(2, 0);
  initOk();
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  DriverSettings next;
  next.outputChannels = 1;
  core->applySettings(next, "r");
  initOk();  // Prepared: answered yes, nothing reopened under the host's buffers
  EXPECT_EQ(core->state(), DriverState::Prepared);
  std::int32_t inputs = 0, outputs = 0;
  ASSERT_EQ(core->getChannels(&inputs, &outputs), asio::err::kOk);
  EXPECT_EQ(outputs, 2);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  initOk();
  ASSERT_EQ(core->getChannels(&inputs, &outputs), asio::err::kOk);
  EXPECT_EQ(outputs, 1);
}

TEST_F(DriverCoreSettingsTest, ApplySettingsClearsAParkedConfigError) {
  core->setConfigError(Status::failure(asio::err::kInvalidParameter, "default.toml:1: mode = 1: expected ..."));
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  EXPECT_EQ(errorText(), "default.toml:1: mode = 1: expected ...");
  core->applySettings(DriverSettings{}, "fixed");
  EXPECT_TRUE(core->configError().ok());
  initOk();
}

TEST_F(DriverCoreSettingsTest, RequestResetWithoutBuffersIsRemembered) {
  core->requestReset("device list changed");
  EXPECT_EQ(core->stats().resetRequestsSent, 0u);
  EXPECT_TRUE(core->stats().resetPending);
  EXPECT_EQ(core->lastResetReason(), "device list changed");
}

}  // namespace
}  // namespace a2w::test
