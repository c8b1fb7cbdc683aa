// The whole host lifecycle through DriverCore and the fake device: what the
// host writes reaches the device exactly, what the device records reaches
// the host in the right half, and everything is released at the end.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "support/driver_core_fixture.h"
#include "support/sample_patterns.h"

namespace a2w::test {
namespace {


// The lifecycle a host follows, every query on the way, float32 both sides.
TEST_F(DriverCoreTest, FullLifecycleFloat32IsBitExactBothWays) {
  EXPECT_EQ(core->state(), DriverState::Loaded);
  initOk();
  EXPECT_EQ(core->state(), DriverState::Initialised);

  char name[asio::kDriverNameBytes];
  core->getDriverName(name);
  EXPECT_STREQ(name, "ASIO2WASAPI Universal");
  EXPECT_EQ(core->getDriverVersion(), 1);
  std::int32_t in = -1, out = -1;
  ASSERT_EQ(core->getChannels(&in, &out), asio::err::kOk);
  EXPECT_EQ(in, 2);
  EXPECT_EQ(out, 2);
  std::int32_t mn = 0, mx = 0, pref = 0, gran = 0;
  ASSERT_EQ(core->getBufferSize(&mn, &mx, &pref, &gran), asio::err::kOk);
  EXPECT_EQ(pref, 256);
  EXPECT_EQ(core->canSampleRate(48000), asio::err::kOk);
  double rate = 0;
  ASSERT_EQ(core->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 48000);
  asio::ChannelInfo info{};
  info.channel = 1;
  info.isInput = asio::kFalse;
  ASSERT_EQ(core->getChannelInfo(&info), asio::err::kOk);
  EXPECT_EQ(info.isActive, asio::kFalse);
  std::int32_t inLatency = 0, outLatency = 0;
  ASSERT_EQ(core->getLatencies(&inLatency, &outLatency), asio::err::kOk);

  auto infos = channels(2, 2);
  ASSERT_EQ(create(infos, 128), asio::err::kOk) << errorText();
  EXPECT_EQ(core->state(), DriverState::Prepared);
  EXPECT_EQ(log->lastRequest.bufferFrames, 128);
  EXPECT_EQ(log->lastRequest.sampleRate, 48000);
  EXPECT_TRUE(log->lastRequest.render);
  EXPECT_TRUE(log->lastRequest.capture);
  ASSERT_EQ(core->getChannelInfo(&info), asio::err::kOk);
  EXPECT_EQ(info.isActive, asio::kTrue);

  ASSERT_EQ(core->start(), asio::err::kOk);
  EXPECT_EQ(core->state(), DriverState::Running);
  constexpr int kPeriods = 6;
  ASSERT_EQ(fake->tick(kPeriods), kPeriods);
  ASSERT_EQ(core->stop(), asio::err::kOk);
  EXPECT_EQ(core->state(), DriverState::Prepared);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  EXPECT_EQ(core->state(), DriverState::Initialised);

  // Output: every sample the host wrote, bit for bit.
  ASSERT_EQ(fake->renderedFrames(), kPeriods * 128u);
  for (std::uint64_t f = 0; f < fake->renderedFrames(); ++f) {
    for (int c = 0; c < 2; ++c) {
      const float expected = patternAsFloat(RecordingHost::outputValue(c, f));
      const float got = fake->renderedFloat(c, f);
      ASSERT_EQ(std::memcmp(&expected, &got, 4), 0) << "channel " << c << " frame " << f;
    }
  }
  // Input: every sample the device recorded, bit for bit, in order.
  for (int c = 0; c < 2; ++c) {
    const std::vector<std::byte>& received = host.inputReceived[c];
    ASSERT_EQ(received.size(), kPeriods * 128u * 4u);
    for (std::uint64_t f = 0; f < kPeriods * 128u; ++f) {
      const float expected = patternAsFloat(fake->captureValue(c, f));
      ASSERT_EQ(std::memcmp(&expected, received.data() + f * 4, 4), 0) << "channel " << c << " frame " << f;
    }
  }

  EXPECT_EQ(core->stats().periods, static_cast<std::uint64_t>(kPeriods));
  core.reset();
  EXPECT_EQ(log->open, 1);
  EXPECT_EQ(log->prepare, 1);
  EXPECT_EQ(log->start, 1);
  EXPECT_EQ(log->stop, 1);
  EXPECT_EQ(log->unprepare, 1);
  EXPECT_EQ(log->close, 1);
}

TEST_F(DriverCoreTest, Int32HostToInt32DeviceIsExact) {
  FakeDeviceConfig config;
  config.renderFormat = DeviceSampleFormat::Int32;
  config.captureFormat = DeviceSampleFormat::Int32;
  DriverSettings s;
  s.hostSampleType = asio::SampleType::Int32LSB;
  make(config, s);

  asio::ChannelInfo info{};
  initOk();
  ASSERT_EQ(core->getChannelInfo(&info), asio::err::kOk);
  EXPECT_EQ(info.type, asio::SampleType::Int32LSB);

  auto infos = channels(2, 2);
  ASSERT_EQ(create(infos, 64), asio::err::kOk) << errorText();
  ASSERT_EQ(core->start(), asio::err::kOk);
  ASSERT_EQ(fake->tick(4), 4);
  for (std::uint64_t f = 0; f < 4 * 64; ++f) {
    for (int c = 0; c < 2; ++c) {
      ASSERT_EQ(fake->renderedInt32(c, f), RecordingHost::outputValue(c, f)) << "channel " << c << " frame " << f;
      std::int32_t received = 0;
      std::memcpy(&received, host.inputReceived[c].data() + f * 4, 4);
      ASSERT_EQ(received, fake->captureValue(c, f)) << "channel " << c << " frame " << f;
    }
  }
}

// The half handed to the host in switch k holds period k's input; the other
// half still holds period k-1's (or zeros at first): the right half is used.
TEST_F(DriverCoreTest, InputArrivesInTheHalfOfTheCurrentSwitch) {
  auto infos = channels(0, 1);
  constexpr std::int32_t kFrames = 64;
  std::vector<std::int32_t> checkedIndices;
  int switchNumber = 0;
  host.onSwitch = [&](std::int32_t index) {
    const auto* now = static_cast<const float*>(infos[0].buffers[index]);
    const auto* other = static_cast<const float*>(infos[0].buffers[1 - index]);
    for (std::int32_t f = 0; f < kFrames; ++f) {
      const auto frame = static_cast<std::uint64_t>(switchNumber * kFrames + f);
      EXPECT_EQ(now[f], patternAsFloat(fake->captureValue(0, frame)));
      const float previous = switchNumber == 0 ? 0.0f : patternAsFloat(fake->captureValue(0, frame - kFrames));
      EXPECT_EQ(other[f], previous);
    }
    checkedIndices.push_back(index);
    ++switchNumber;
  };
  runningWith(infos, kFrames);
  EXPECT_FALSE(log->lastRequest.render);  // no output channel asked for: no render stream
  EXPECT_TRUE(log->lastRequest.capture);
  fake->tick(4);
  EXPECT_EQ(checkedIndices, (std::vector<std::int32_t>{0, 1, 0, 1}));
}

// Output slots without a host channel are silence, never stale or garbage.
TEST_F(DriverCoreTest, InactiveOutputSlotsAreSilent) {
  FakeDeviceConfig config;
  config.outputChannels = 4;
  make(config);
  std::vector<asio::BufferInfo> infos{{asio::kFalse, 2, {nullptr, nullptr}}};
  runningWith(infos, 64);
  fake->tick(2);
  for (std::uint64_t f = 0; f < 128; ++f) {
    EXPECT_EQ(fake->renderedFloat(0, f), 0.0f);
    EXPECT_EQ(fake->renderedFloat(1, f), 0.0f);
    EXPECT_EQ(fake->renderedFloat(2, f), patternAsFloat(RecordingHost::outputValue(2, f)));
    EXPECT_EQ(fake->renderedFloat(3, f), 0.0f);
  }
}

TEST_F(DriverCoreTest, BuffersAreZeroedAlignedAndDistinct) {
  initOk();
  auto infos = channels(2, 2);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  std::vector<const void*> seen;
  for (const asio::BufferInfo& b : infos) {
    for (void* half : b.buffers) {
      ASSERT_NE(half, nullptr);
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(half) % 64, 0u);
      const auto* bytes = static_cast<const unsigned char*>(half);
      for (int i = 0; i < 256 * 4; ++i) ASSERT_EQ(bytes[i], 0);
      seen.push_back(half);
    }
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

TEST_F(DriverCoreTest, DestructionWhileRunningStopsUnpreparesAndCloses) {
  auto infos = channels(2, 0);
  runningWith(infos);
  fake->tick(1);
  core.reset();
  EXPECT_EQ(log->stop, 1);
  EXPECT_EQ(log->unprepare, 1);
  EXPECT_EQ(log->close, 1);
}

TEST_F(DriverCoreTest, DestructionWhilePreparedUnpreparesAndCloses) {
  initOk();
  auto infos = channels(1, 1);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  core.reset();
  EXPECT_EQ(log->stop, 0);
  EXPECT_EQ(log->unprepare, 1);
  EXPECT_EQ(log->close, 1);
}

TEST_F(DriverCoreTest, DestructionBeforeInitTouchesNothing) {
  core.reset();
  EXPECT_EQ(log->open, 0);
  EXPECT_EQ(log->close, 0);
}

// A host may go round the loop many times (every reset does).
TEST_F(DriverCoreTest, RepeatedCreateStartStopDisposeCycles) {
  initOk();
  for (int round = 0; round < 3; ++round) {
    auto infos = channels(2, 2);
    ASSERT_EQ(create(infos, 512), asio::err::kOk) << errorText();
    ASSERT_EQ(core->start(), asio::err::kOk);
    EXPECT_EQ(fake->tick(2), 2);
    ASSERT_EQ(core->stop(), asio::err::kOk);
    ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  }
  EXPECT_EQ(log->prepare, 3);
  EXPECT_EQ(log->unprepare, 3);
  EXPECT_EQ(log->open, 1);
}

// Several streams' worth of channels configured differently on the device
// than the host sees: the stream opens more slots than host channels.
TEST_F(DriverCoreTest, DeviceStreamWiderThanHostChannelsPadsWithSilence) {
  FakeDeviceConfig config;
  config.outputChannels = 2;
  config.renderStreamChannels = 3;
  make(config);
  auto infos = channels(2, 0);
  runningWith(infos, 64);
  fake->tick(1);
  for (std::uint64_t f = 0; f < 64; ++f) {
    EXPECT_EQ(fake->renderedFloat(1, f), patternAsFloat(RecordingHost::outputValue(1, f)));
    EXPECT_EQ(fake->renderedFloat(2, f), 0.0f);
  }
}

// A backend may open a render stream the host has no channel on (the WASAPI
// backend uses it as the period clock): the core must fill it with silence.
TEST_F(DriverCoreTest, AnUnaskedRenderStreamIsWrittenAsSilence) {
  FakeDeviceConfig config;
  config.alwaysOpenRender = true;
  make(config);
  auto infos = channels(0, 2);
  runningWith(infos, 64);
  EXPECT_FALSE(log->lastRequest.render);
  ASSERT_EQ(fake->tick(2), 2);
  ASSERT_EQ(fake->renderedFrames(), 128u);
  for (std::uint64_t f = 0; f < 128; ++f) {
    ASSERT_EQ(fake->renderedFloat(0, f), 0.0f) << f;
    ASSERT_EQ(fake->renderedFloat(1, f), 0.0f) << f;
  }
  EXPECT_EQ(host.inputReceived[1].size(), 128u * 4u);
}

}  // namespace
}  // namespace a2w::test
