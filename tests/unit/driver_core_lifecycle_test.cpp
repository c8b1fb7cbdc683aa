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

// Host input (4-byte samples, concatenated switches) that is silence up to
// some frame S and from S on equals the capture delayed by `delay` frames,
// bit for bit, to the end; returns S (fails the test otherwise).
template <typename Expected>
std::uint64_t firstDelayedMatch(const std::vector<std::byte>& received, std::uint64_t frames, std::int64_t delay,
                                Expected expected) {
  std::uint64_t first = 0;
  while (first < frames) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, received.data() + first * 4, 4);
    if (bits != 0) break;
    ++first;
  }
  EXPECT_LT(first, frames) << "no input arrived";
  for (std::uint64_t f = first; f < frames; ++f) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, received.data() + f * 4, 4);
    const std::int64_t source = static_cast<std::int64_t>(f) - delay;
    if (source < 0 || bits != expected(static_cast<std::uint64_t>(source))) {
      ADD_FAILURE() << "host frame " << f << " is not capture frame " << source;
      break;
    }
  }
  return first;
}


// The lifecycle a host follows, every query on the way, float32 both sides.
TEST_F(DriverCoreTest, FullLifecycleFloat32IsBitExactBothWays) {
  EXPECT_EQ(core->state(), DriverState::Loaded);
  initOk();
  EXPECT_EQ(core->state(), DriverState::Initialised);

  char name[asio::kDriverNameBytes];
  core->getDriverName(name);
  EXPECT_STREQ(name, "ASIO2WASAPI Universal");
  EXPECT_EQ(core->getDriverVersion(), A2W_VERSION_NUMBER);  // core/version.h, from the CMake project version
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

  ASSERT_EQ(core->getLatencies(&inLatency, &outLatency), asio::err::kOk);
  const std::int32_t inputDelay = inLatency;
  const std::int32_t fifoTarget = core->stats().inputFifoTargetFrames;
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
  // Input: every sample the device recorded, bit for bit, in order, late by
  // exactly the input latency the driver reports (no device extra here),
  // after the FIFO's priming silence.
  ASSERT_EQ(inputDelay, 128 + fifoTarget);
  for (int c = 0; c < 2; ++c) {
    const std::vector<std::byte>& received = host.inputReceived[c];
    ASSERT_EQ(received.size(), kPeriods * 128u * 4u);
    const std::uint64_t first = firstDelayedMatch(received, kPeriods * 128u, inputDelay, [&](std::uint64_t f) {
      const float v = patternAsFloat(fake->captureValue(c, f));
      std::uint32_t bits = 0;
      std::memcpy(&bits, &v, 4);
      return bits;
    });
    EXPECT_LE(first, 3 * 128u) << "channel " << c;  // primed by the third period
  }
  EXPECT_EQ(core->stats().periods, static_cast<std::uint64_t>(kPeriods));
  EXPECT_EQ(core->stats().inputUnderruns, 0u);
  EXPECT_EQ(core->stats().inputOverruns, 0u);
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
  std::int32_t inLatency = 0, outLatency = 0;
  ASSERT_EQ(core->getLatencies(&inLatency, &outLatency), asio::err::kOk);
  ASSERT_EQ(core->start(), asio::err::kOk);
  constexpr int kPeriods = 12;
  ASSERT_EQ(fake->tick(kPeriods), kPeriods);
  EXPECT_FALSE(core->stats().inputResampling);  // the direct path: raw device bytes to the host
  for (std::uint64_t f = 0; f < kPeriods * 64; ++f) {
    for (int c = 0; c < 2; ++c) {
      ASSERT_EQ(fake->renderedInt32(c, f), RecordingHost::outputValue(c, f)) << "channel " << c << " frame " << f;
    }
  }
  for (int c = 0; c < 2; ++c) {
    const std::uint64_t first = firstDelayedMatch(host.inputReceived[c], kPeriods * 64u, inLatency, [&](std::uint64_t f) {
      return static_cast<std::uint32_t>(fake->captureValue(c, f));
    });
    EXPECT_LE(first, 4 * 64u);
  }
}

// The half handed to the host in switch k holds the input delivered in
// switch k (the capture, late by the input latency, or the priming silence);
// the other half still holds switch k-1's: the right half is used.
TEST_F(DriverCoreTest, InputArrivesInTheHalfOfTheCurrentSwitch) {
  auto infos = channels(0, 1);
  constexpr std::int32_t kFrames = 64;
  std::vector<std::int32_t> checkedIndices;
  int switchNumber = 0;
  std::int32_t delay = 0;
  int primedSwitches = 0;
  const auto expected = [&](std::int64_t frame) {
    return frame < 0 ? 0.0f : patternAsFloat(fake->captureValue(0, static_cast<std::uint64_t>(frame)));
  };
  host.onSwitch = [&](std::int32_t index) {
    const auto* now = static_cast<const float*>(infos[0].buffers[index]);
    const auto* other = static_cast<const float*>(infos[0].buffers[1 - index]);
    const bool primed = now[kFrames - 1] != 0.0f;
    primedSwitches += primed ? 1 : 0;
    for (std::int32_t f = 0; f < kFrames; ++f) {
      const std::int64_t frame = switchNumber * kFrames + f - delay;
      EXPECT_EQ(now[f], primed ? expected(frame) : 0.0f) << "switch " << switchNumber << " frame " << f;
      if (switchNumber > 0 && other[kFrames - 1] != 0.0f) {
        EXPECT_EQ(other[f], expected(frame - kFrames));
      }
    }
    checkedIndices.push_back(index);
    ++switchNumber;
  };
  runningWith(infos, kFrames);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  // The capture drives the periods here: switch k runs once k+1 buffers
  // have arrived, a buffer later than a render clock would run it, so in
  // sample-position terms the input is `in` minus one buffer late.
  delay = in - kFrames;
  EXPECT_EQ(core->stats().inputFifoTargetFrames, 0);  // nothing to wait for
  EXPECT_FALSE(log->lastRequest.render);  // no output channel asked for: no render stream
  EXPECT_TRUE(log->lastRequest.capture);
  fake->tick(6);
  EXPECT_EQ(checkedIndices, (std::vector<std::int32_t>{0, 1, 0, 1, 0, 1}));
  EXPECT_GE(primedSwitches, 5);  // capture-driven: primed from the first or second switch
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
