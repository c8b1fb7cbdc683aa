// The output path when the render device runs at another rate than the host
// (StreamInfo::render.deviceSampleRate): a 44.1 kHz host over a 48 kHz
// device with 480-frame periods (10 ms, a shared-mode engine period). The
// core fills every device period from its resampler and runs a bufferSwitch
// whenever the resampler needs the next host buffer: the right number of
// device frames per period, switches at the host's rate, a clean sine,
// positions stepping by the buffer, stamps at the device frame that starts
// each buffer, the latency reported where an impulse really lands, and
// duplex with the input FIFO. The direct path (device at the host's rate)
// stays bit exact.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <numbers>

#include "support/allocation_counter.h"
#include "support/driver_core_fixture.h"
#include "support/sample_patterns.h"
#include "signal_measure.h"

namespace a2w::test {
namespace {

constexpr double kHostRate = 44100;
constexpr double kDeviceRate = 48000;
constexpr std::int32_t kDevicePeriod = 480;
constexpr std::uint64_t kStartNs = 5'000'000'000;  // FakeDeviceConfig::startTimeNs

class RenderResampleTest : public DriverCoreTest {
 protected:
  void makeResampled(FakeDeviceConfig config = {}, DriverSettings s = {}, std::int32_t periodFrames = kDevicePeriod) {
    config.sampleRates = {44100, 48000};
    config.defaultSampleRate = kHostRate;
    config.renderDeviceSampleRate = kDeviceRate;
    config.renderPeriodFrames = periodFrames;
    config.bufferSizes.assign(2, BufferSizeOptions{16, 8192, 256, 1});
    make(config, s);
  }

  // From now on the host writes signal(channel, host frame) into its float
  // output halves (after RecordingHost's own pattern, which it replaces).
  void hostPlays(std::vector<asio::BufferInfo>& infos, std::int32_t frames,
                 std::function<float(int, std::uint64_t)> signal) {
    host.onSwitch = [this, &infos, frames, signal](std::int32_t index) {
      for (const asio::BufferInfo& b : infos) {
        if (b.isInput == asio::kTrue) continue;
        auto* out = static_cast<float*>(b.buffers[index]);
        for (std::int32_t j = 0; j < frames; ++j) out[j] = signal(b.channelNum, hostFrame + static_cast<std::uint64_t>(j));
      }
      hostFrame += static_cast<std::uint64_t>(frames);
    };
  }

  // Rendered device frames [from, from + count) of one slot, as doubles.
  std::vector<double> rendered(int slot, std::uint64_t from, std::size_t count) const {
    std::vector<double> y(count);
    for (std::size_t i = 0; i < count; ++i) y[i] = fake->renderedFloat(slot, from + i);
    return y;
  }

  // Host input frames the resampler needs to produce `outputs` device frames
  // (docs/RESAMPLER.md: output m needs input up to floor(m * ratio); ratio
  // 44100/48000 = 147/160 exactly in integers).
  static std::uint64_t inputNeeded(std::uint64_t outputs) { return outputs == 0 ? 0 : (outputs - 1) * 147 / 160 + 1; }
  static std::uint64_t ceilDiv(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

  std::uint64_t hostFrame = 0;
};

// Every period is filled with exactly the device frames it asks for, and
// the bufferSwitches follow the host's rate: after M device frames exactly
// as many as the resampler needed input, 0..4 per period depending on B.
class RenderResampleSwitchRate : public RenderResampleTest, public ::testing::WithParamInterface<int> {};

TEST_P(RenderResampleSwitchRate, DeviceFramesPerPeriodAndSwitchesAtTheHostRate) {
  const std::int32_t b = GetParam();
  makeResampled();
  auto infos = channels(2, 0);
  runningWith(infos, b);
  const DriverStats st0 = core->stats();
  EXPECT_TRUE(st0.outputResampling);
  EXPECT_EQ(st0.outputDeviceSampleRate, kDeviceRate);

  constexpr int kPeriods = 300;
  std::uint64_t before = 0;
  std::uint64_t fewest = 1000, most = 0;
  for (int p = 0; p < kPeriods; ++p) {
    ASSERT_EQ(fake->tick(1), 1);
    const std::uint64_t now = core->stats().bufferSwitches;
    if (p > 0) {  // the first period starts the stream
      fewest = std::min(fewest, now - before);
      most = std::max(most, now - before);
    }
    before = now;
    // Exactly as many switches as the input the resampler has needed so far.
    ASSERT_EQ(now, ceilDiv(inputNeeded(static_cast<std::uint64_t>(p + 1) * kDevicePeriod), static_cast<std::uint64_t>(b)))
        << "period " << p;
  }
  const DriverStats st = core->stats();
  EXPECT_EQ(st.periods, static_cast<std::uint64_t>(kPeriods));
  EXPECT_EQ(st.mismatchedPeriods, 0u);
  EXPECT_EQ(fake->renderedFrames(), static_cast<std::uint64_t>(kPeriods) * kDevicePeriod);
  // 441 host frames per device period: floor or ceil of 441 / B switches each.
  EXPECT_EQ(fewest, static_cast<std::uint64_t>(441 / b));
  EXPECT_EQ(most, ceilDiv(441, static_cast<std::uint64_t>(b)));
  EXPECT_EQ(host.switches.size(), st.bufferSwitches);
  // The average rate: B host frames per switch = 441 per 480 device frames.
  const double hostFramesPerDeviceFrame =
      static_cast<double>(st.bufferSwitches) * b / static_cast<double>(fake->renderedFrames());
  EXPECT_NEAR(hostFramesPerDeviceFrame, kHostRate / kDeviceRate, static_cast<double>(b) / fake->renderedFrames());
}

INSTANTIATE_TEST_SUITE_P(BufferSizes, RenderResampleSwitchRate,
                         ::testing::Values(32, 64, 100, 128, 256, 441, 479, 480, 481, 500, 512, 1000, 1024, 2048,
                                           4096, 8192));

// A 1 kHz sine from the host at 44.1 kHz arrives as a 1 kHz sine at 48 kHz,
// THD+N below -100 dB (7-term Blackman-Harris, +-12 bins); a device slot
// without a host channel stays exactly silent.
TEST_F(RenderResampleTest, SineArrivesCleanAtTheDeviceRate) {
  makeResampled();
  auto infos = channels(1, 0);
  constexpr std::int32_t kBuffer = 256;
  hostPlays(infos, kBuffer, [](int, std::uint64_t n) {
    return static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * 1000.0 * static_cast<double>(n) / kHostRate));
  });
  runningWith(infos, kBuffer);
  constexpr std::size_t kFrames = 16384;
  constexpr std::uint64_t kSkip = 2400;  // well past the start-up transient
  ASSERT_EQ(fake->tick(static_cast<int>((kSkip + kFrames) / kDevicePeriod + 1)), 
            static_cast<int>((kSkip + kFrames) / kDevicePeriod + 1));

  const std::vector<double> y = rendered(0, kSkip, kFrames);
  const ThdN t = thdPlusNoise(y, 1000.0 / kDeviceRate, 12);
  const SineFit fit = fitSineAt(y, 1000.0 / kDeviceRate);
  std::printf("[render-resample] 1 kHz 44.1k->48k: THD+N %.1f dB (FFT), %.1f dB (fit), amplitude %.6f\n", t.db,
              fit.residualDb(), fit.amplitude);
  RecordProperty("thdn_db", std::to_string(t.db));
  EXPECT_LT(t.db, -100.0);
  EXPECT_LT(fit.residualDb(), -100.0);
  EXPECT_NEAR(fit.amplitude, 0.5, 0.5e-3);
  for (std::uint64_t f = 0; f < fake->renderedFrames(); ++f) ASSERT_EQ(fake->renderedFloat(1, f), 0.0f) << f;
}

// Sample positions step by B; each buffer is stamped with the period's time
// plus the offset of the device frame that first needs it: device frame
// ceil(k B fd / fs) for buffer k. getSamplePosition agrees with the last one.
TEST_F(RenderResampleTest, PositionsStepByTheBufferAndStampsFollowTheDeviceFrames) {
  makeResampled();
  auto infos = channels(2, 0);
  constexpr std::int32_t kBuffer = 256;
  runningWith(infos, kBuffer);
  ASSERT_EQ(fake->tick(100), 100);
  ASSERT_GT(host.switches.size(), 150u);
  for (std::size_t k = 0; k < host.switches.size(); ++k) {
    const asio::Time& t = host.switches[k].time;
    ASSERT_TRUE(host.switches[k].timeInfo);
    EXPECT_EQ(asio::fromSplit64(t.timeInfo.samplePosition), k * kBuffer) << k;
    const double rate = t.timeInfo.sampleRate;  // a copy: the pack-4 struct misaligns the double
    EXPECT_EQ(rate, kHostRate);
    const std::uint64_t deviceFrame = ceilDiv(k * kBuffer * 160, 147);
    const double want = static_cast<double>(kStartNs) + static_cast<double>(deviceFrame) * 1e9 / kDeviceRate;
    const auto got = static_cast<double>(asio::fromSplit64(t.timeInfo.systemTime));
    if ((k * kBuffer * 160) % 147 == 0) {
      // Exactly on a device frame: the resampler's double position may put
      // the need one frame later.
      EXPECT_TRUE(std::fabs(got - want) <= 2.0 || std::fabs(got - want - 1e9 / kDeviceRate) <= 2.0) << k;
    } else {
      EXPECT_NEAR(got, want, 2.0) << k;
    }
    EXPECT_EQ(host.switches[k].index, static_cast<std::int32_t>(k % 2));
  }
  asio::Samples pos{};
  asio::TimeStamp stamp{};
  ASSERT_EQ(core->getSamplePosition(&pos, &stamp), asio::err::kOk);
  EXPECT_EQ(asio::fromSplit64(pos), (host.switches.size() - 1) * kBuffer);
  EXPECT_EQ(asio::fromSplit64(stamp), asio::fromSplit64(host.switches.back().time.timeInfo.systemTime));
}

// Periods of any length (the WASAPI buffer's room), including none: every
// frame is filled, positions still step by B, and the switches still match
// the input needed.
TEST_F(RenderResampleTest, PeriodsOfAnyLength) {
  makeResampled();
  auto infos = channels(2, 0);
  constexpr std::int32_t kBuffer = 128;
  runningWith(infos, kBuffer);
  std::uint64_t total = 0;
  for (std::int32_t frames : {480, 1, 1000, 7, 2048, 300, 480}) {
    fake->setPeriodFrames(frames);
    ASSERT_EQ(fake->tick(1), 1);
    total += static_cast<std::uint64_t>(frames);
    EXPECT_EQ(core->stats().bufferSwitches, ceilDiv(inputNeeded(total), kBuffer)) << "after " << frames;
  }
  EXPECT_EQ(fake->renderedFrames(), total);
  for (std::size_t k = 0; k < host.switches.size(); ++k) {
    EXPECT_EQ(asio::fromSplit64(host.switches[k].time.timeInfo.samplePosition), k * kBuffer);
  }
  EXPECT_EQ(core->stats().mismatchedPeriods, 0u);
}

// The reported output latency is where a host sample really lands: an
// impulse at host position S comes out centred on device frame
// (S + D) fd / fs (D = 40, the group delay); the device plays a period one
// device period after its time, plus the backend's extra. Against the
// buffer's stamp that is D + 480 * 44100/48000 = 481 host frames (less a
// fraction of a device frame), plus the extra: reported 481 + 7.
TEST_F(RenderResampleTest, ReportedLatencyIsWhereAnImpulseLands) {
  FakeDeviceConfig config;
  config.renderExtraLatencyFrames = 7;
  makeResampled(config);
  auto infos = channels(1, 0);
  constexpr std::int32_t kBuffer = 256;
  constexpr std::uint64_t kImpulse = 10 * kBuffer + 100;
  hostPlays(infos, kBuffer, [](int, std::uint64_t n) { return n == kImpulse ? 1.0f : 0.0f; });
  runningWith(infos, kBuffer);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  EXPECT_EQ(out, 481 + 7);
  asio::InternalBufferSamples internal{-1, -1};
  ASSERT_EQ(core->future(asio::fut::kGetInternalBufferSamples, &internal), asio::err::kSuccess);
  EXPECT_EQ(internal.outputSamples, 40);
  EXPECT_EQ(internal.inputSamples, 0);

  ASSERT_EQ(fake->tick(12), 12);
  // The impulse's centre: the energy centroid around the peak.
  std::uint64_t peak = 0;
  for (std::uint64_t f = 0; f < fake->renderedFrames(); ++f) {
    if (std::fabs(fake->renderedFloat(0, f)) > std::fabs(fake->renderedFloat(0, peak))) peak = f;
  }
  double weight = 0, moment = 0;
  for (std::uint64_t f = peak - 60; f <= peak + 60; ++f) {
    const double e = static_cast<double>(fake->renderedFloat(0, f)) * fake->renderedFloat(0, f);
    weight += e;
    moment += e * static_cast<double>(f);
  }
  const double centre = moment / weight;
  EXPECT_NEAR(centre, (kImpulse + 40.0) * kDeviceRate / kHostRate, 0.05);

  // Heard: one device period after the frame's own time (as one buffer after
  // on the direct path); the position's time: its buffer's stamp.
  const std::size_t k = kImpulse / kBuffer;
  const double heardNs = static_cast<double>(kStartNs) + (centre + kDevicePeriod) * 1e9 / kDeviceRate;
  const double positionNs = static_cast<double>(asio::fromSplit64(host.switches[k].time.timeInfo.systemTime)) +
                            static_cast<double>(kImpulse - k * kBuffer) * 1e9 / kHostRate;
  const double actual = (heardNs - positionNs) * kHostRate / 1e9;
  std::printf("[render-resample] latency: reported %d + %d extra, impulse lands %.3f host frames after its stamp\n",
              out - 7, 7, actual);
  EXPECT_GE(out - 7 - actual, 0.0);
  EXPECT_LT(out - 7 - actual, 1.0);
}

// Duplex: capture on the render device's clock at the host's rate (the
// direct FIFO path), render resampled to 48 kHz. Each bufferSwitch still
// gets exactly one buffer of input, bit exact, at a constant delay equal to
// the reported input latency (within the fraction of a device frame a
// stamp is late), with no underrun although 1 or 2 host buffers run at the
// start of one device period: the FIFO's target holds one device period
// more (earlyReadFrames).
TEST_F(RenderResampleTest, DuplexWithTheInputFifo) {
  FakeDeviceConfig config;
  config.captureFormat = DeviceSampleFormat::Int32;
  config.capturePacketFrames = 441;
  config.captureJitterNs = 200'000;
  DriverSettings s;
  s.hostSampleType = asio::SampleType::Int32LSB;
  makeResampled(config, s);
  auto infos = channels(2, 2);
  constexpr std::int32_t kBuffer = 256;
  runningWith(infos, kBuffer);
  const DriverStats st0 = core->stats();
  EXPECT_TRUE(st0.outputResampling);
  EXPECT_FALSE(st0.inputResampling);
  // P + J + E = 441 + (23 + 2) + 441 (480 device frames at 44.1 kHz).
  EXPECT_EQ(st0.inputFifoTargetFrames, 441 + 25 + 441);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  EXPECT_EQ(in, kBuffer + 441 + 25 + 441);
  EXPECT_EQ(out, 481);

  constexpr int kPeriods = 400;
  ASSERT_EQ(fake->tick(kPeriods), kPeriods);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.inputUnderruns, 0u);
  EXPECT_EQ(st.inputOverruns, 0u);
  EXPECT_GE(st.inputFifoMinFrames, 0);
  EXPECT_NEAR(st.inputFifoLevelFrames, 441 + 25 + 441, 1.0);
  const std::uint64_t hostFrames = host.switches.size() * kBuffer;
  ASSERT_EQ(host.inputReceived[0].size(), hostFrames * 4);

  // Find the delay that matches frame 20 B, then check every later frame.
  const auto received = [&](int c, std::uint64_t f) {
    std::int32_t v = 0;
    std::memcpy(&v, host.inputReceived[c].data() + f * 4, 4);
    return v;
  };
  std::int64_t delay = -1;
  for (std::int64_t d = in - 3; d <= in + 3; ++d) {
    bool all = true;
    for (std::uint64_t f = 20 * kBuffer; f < 22 * kBuffer && all; ++f) {
      all = received(0, f) == fake->captureValue(0, f - static_cast<std::uint64_t>(d));
    }
    if (all) delay = d;
  }
  ASSERT_GE(delay, 0) << "no constant delay near " << in;
  EXPECT_GE(delay, in - 1);
  EXPECT_LE(delay, in);
  int bad = 0;
  for (int c = 0; c < 2; ++c) {
    for (std::uint64_t f = 20 * kBuffer; f < hostFrames; ++f) {
      bad += received(c, f) != fake->captureValue(c, f - static_cast<std::uint64_t>(delay)) ? 1 : 0;
    }
  }
  EXPECT_EQ(bad, 0);
}

// Capture resampled too (a 48 kHz capture device under the 44.1 kHz host,
// as when both endpoints run a 48 kHz shared mix): both sides through a
// resampler, no glitch, a clean sine in.
TEST_F(RenderResampleTest, DuplexWithBothSidesResampled) {
  FakeDeviceConfig config;
  config.captureDeviceSampleRate = 48000;
  config.capturePacketFrames = 480;
  config.captureSignal = FakeDeviceConfig::Signal::Sine;
  config.captureSineHz = 300;
  makeResampled(config);
  auto infos = channels(2, 1);
  constexpr std::int32_t kBuffer = 512;
  runningWith(infos, kBuffer);
  const DriverStats st0 = core->stats();
  EXPECT_TRUE(st0.outputResampling);
  EXPECT_TRUE(st0.inputResampling);
  EXPECT_FALSE(st0.inputDriftCompensation);  // one clock
  // P + J + E = 480 + (24 + 2) + 480 capture frames.
  EXPECT_EQ(st0.inputFifoTargetFrames, 480 + 26 + 480);
  constexpr int kPeriods = 300;
  ASSERT_EQ(fake->tick(kPeriods), kPeriods);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.inputUnderruns, 0u);
  EXPECT_EQ(st.inputOverruns, 0u);
  EXPECT_NEAR(st.inputFifoLevelFrames, 480 + 26 + 480, 1.5);
  // The input: 300 Hz on the host's 44.1 kHz grid, continuous.
  const double w = 2.0 * std::numbers::pi * 300.0 / kHostRate;
  double worst = 0;
  const std::uint64_t frames = host.inputReceived[0].size() / 4;
  for (std::uint64_t f = 20 * kBuffer; f + 1 < frames; ++f) {
    float a = 0, b = 0, c = 0;
    std::memcpy(&a, host.inputReceived[0].data() + (f - 1) * 4, 4);
    std::memcpy(&b, host.inputReceived[0].data() + f * 4, 4);
    std::memcpy(&c, host.inputReceived[0].data() + (f + 1) * 4, 4);
    worst = std::max(worst, std::abs(c - 2.0 * std::cos(w) * b + a));
  }
  EXPECT_LT(worst, 1e-4);
}

// The audio thread allocates nothing on the resampled path, duplex
// included (the fake and the host record nothing, so only the core counts).
TEST_F(RenderResampleTest, ResampledPeriodsAllocateNothing) {
  FakeDeviceConfig config;
  config.recordRendered = false;
  config.captureDeviceSampleRate = 48000;
  config.capturePacketFrames = 480;
  DriverSettings s;
  s.dither = true;
  config.renderFormat = DeviceSampleFormat::Int16;
  makeResampled(config, s);
  host.record = false;
  auto infos = channels(2, 2);
  runningWith(infos, 256);
  ASSERT_EQ(fake->tick(5), 5);  // the fake sizes its own buffers
  CountAllocations counting;
  ASSERT_EQ(fake->tick(200), 200);
  EXPECT_EQ(counting.count(), 0u);
  EXPECT_GT(core->stats().bufferSwitches, 300u);
}

// A device at the host's rate whose periods are the host's buffer: the
// direct path, bit exact, one switch per period, latency one buffer, no
// resampling reported. (Periods of another length at the host's rate are
// rebuffered: driver_core_rebuffer_test.cpp.)
TEST_F(RenderResampleTest, DeviceAtTheHostRateStaysDirect) {
  FakeDeviceConfig config;
  config.renderFormat = DeviceSampleFormat::Int32;
  DriverSettings s;
  s.hostSampleType = asio::SampleType::Int32LSB;
  makeResampled(config, s, 0);
  ASSERT_EQ(core->init(nullptr), asio::kTrue);
  ASSERT_EQ(core->setSampleRate(48000), asio::err::kOk);
  auto infos = channels(2, 0);
  callbacks = host.callbacks();
  ASSERT_EQ(create(infos, 256), asio::err::kOk) << errorText();
  ASSERT_EQ(core->start(), asio::err::kOk);
  EXPECT_FALSE(core->stats().outputResampling);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  EXPECT_EQ(out, 256);
  ASSERT_EQ(fake->tick(20), 20);
  EXPECT_EQ(core->stats().bufferSwitches, 20u);
  EXPECT_EQ(fake->renderedFrames(), 20u * 256u);
  int bad = 0;
  for (int c = 0; c < 2; ++c) {
    for (std::uint64_t f = 0; f < 20 * 256; ++f) bad += fake->renderedInt32(c, f) != RecordingHost::outputValue(c, f);
  }
  EXPECT_EQ(bad, 0);
}

// Stop and start again: the resampler starts from silence and time zero,
// so the second run renders exactly what the first did.
TEST_F(RenderResampleTest, RestartRepeatsTheStream) {
  makeResampled();
  auto infos = channels(2, 0);
  runningWith(infos, 256);
  ASSERT_EQ(fake->tick(10), 10);
  const std::vector<std::byte> first = fake->rendered();
  const std::uint64_t switches = core->stats().bufferSwitches;
  ASSERT_EQ(core->stop(), asio::err::kOk);
  ASSERT_EQ(core->start(), asio::err::kOk);
  ASSERT_EQ(fake->tick(10), 10);
  EXPECT_EQ(core->stats().bufferSwitches, 2 * switches);
  const std::vector<std::byte>& all = fake->rendered();
  ASSERT_EQ(all.size(), 2 * first.size());
  // RecordingHost's pattern continues across the restart (frames since its
  // first switch), so compare the structure: the same number of switches,
  // and the second run's first switch is at position 0 again.
  EXPECT_EQ(asio::fromSplit64(host.switches[switches].time.timeInfo.samplePosition), 0u);
}

}  // namespace
}  // namespace a2w::test
