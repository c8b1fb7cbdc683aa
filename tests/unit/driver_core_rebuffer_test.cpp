// The output path when the render device runs at the host's rate but its
// periods are not one host buffer long (StreamInfo::render.packetFrames): a
// shared-mode engine period of 480 frames under a host that asks for 512,
// 64 or 4096. The core plays the host's buffers across the periods and runs
// a bufferSwitch whenever the buffer being played is used up. Every size
// from 32 to 8192 at 44.1 and 48 kHz: every host frame played exactly once,
// in order, bit exact; switches at the host's cadence; positions and stamps
// exact per buffer; the reported latency where a frame really plays; the
// input (duplex, through the FIFO) every captured frame once at the
// reported delay; nothing allocated on the audio path.
#include <algorithm>
#include <cstring>
#include <string>
#include <tuple>

#include "support/allocation_counter.h"
#include "support/driver_core_fixture.h"

namespace a2w::test {
namespace {

constexpr std::uint64_t kStartNs = 5'000'000'000;  // FakeDeviceConfig::startTimeNs

std::uint64_t ceilDiv(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

// (host buffer, rate); the device's period is 10 ms at that rate.
class RebufferTest : public DriverCoreTest, public ::testing::WithParamInterface<std::tuple<int, double>> {
 protected:
  std::int32_t buffer() const { return std::get<0>(GetParam()); }
  double rate() const { return std::get<1>(GetParam()); }
  std::int32_t period() const { return static_cast<std::int32_t>(rate() / 100); }

  void makeRebuffered(FakeDeviceConfig config = {}) {
    config.sampleRates = {44100, 48000};
    config.defaultSampleRate = rate();
    config.renderPeriodFrames = period();
    config.renderFormat = DeviceSampleFormat::Int32;
    config.captureFormat = DeviceSampleFormat::Int32;
    config.capturePacketFrames = period();
    config.bufferSizes.assign(2, BufferSizeOptions{32, 8192, period(), 1});
    DriverSettings s;
    s.hostSampleType = asio::SampleType::Int32LSB;
    make(config, s);
  }

  // Enough periods for 20 host buffers and 2 s of device frames.
  int periodsToRun() const {
    const std::uint64_t frames = std::max<std::uint64_t>(20ull * static_cast<std::uint64_t>(buffer()),
                                                         static_cast<std::uint64_t>(2 * rate()));
    return static_cast<int>(ceilDiv(frames, static_cast<std::uint64_t>(period())));
  }

  std::int32_t received(int channel, std::uint64_t frame) const {
    std::int32_t v = 0;
    std::memcpy(&v, host.inputReceived.at(channel).data() + frame * 4, 4);
    return v;
  }
};

TEST_P(RebufferTest, EveryFrameOnceInOrderAtTheHostCadence) {
  makeRebuffered();
  auto infos = channels(2, 0);
  runningWith(infos, buffer());
  const std::uint64_t b = static_cast<std::uint64_t>(buffer());
  const std::uint64_t p = static_cast<std::uint64_t>(period());
  // The direct path when the buffer is the period; rebuffered otherwise.
  EXPECT_EQ(core->stats().outputRebufferedPeriodFrames, buffer() == period() ? 0 : period());
  EXPECT_FALSE(core->stats().outputResampling);

  const int periods = periodsToRun();
  for (int n = 0; n < periods; ++n) {
    ASSERT_EQ(fake->tick(1), 1);
    // A switch exactly when the device needs a frame of a new buffer.
    ASSERT_EQ(core->stats().bufferSwitches, ceilDiv(static_cast<std::uint64_t>(n + 1) * p, b)) << "period " << n;
  }
  const DriverStats st = core->stats();
  EXPECT_EQ(st.mismatchedPeriods, 0u);
  EXPECT_EQ(st.overloads, 0u);
  const std::uint64_t frames = fake->renderedFrames();
  ASSERT_EQ(frames, static_cast<std::uint64_t>(periods) * p);
  int bad = 0;
  for (int c = 0; c < 2; ++c) {
    for (std::uint64_t f = 0; f < frames; ++f) bad += fake->renderedInt32(c, f) != RecordingHost::outputValue(c, f);
  }
  EXPECT_EQ(bad, 0) << "device frames that are not the host's frame of the same position";

  // Positions step by the buffer; each buffer is stamped with the time of
  // the device frame that plays its first frame.
  for (std::size_t k = 0; k < host.switches.size(); ++k) {
    const asio::Time& t = host.switches[k].time;
    ASSERT_TRUE(host.switches[k].timeInfo);
    ASSERT_EQ(asio::fromSplit64(t.timeInfo.samplePosition), k * b) << k;
    const double want = static_cast<double>(kStartNs) + static_cast<double>(k * b) * 1e9 / rate();
    ASSERT_NEAR(static_cast<double>(asio::fromSplit64(t.timeInfo.systemTime)), want, 2.0) << k;
    ASSERT_EQ(host.switches[k].index, static_cast<std::int32_t>(k % 2));
  }
}

// The reported output latency is where a frame plays: the fake plays a
// period one period after its time, and host frame S is device frame S, so
// against its buffer's stamp a frame plays one device period later (the
// direct path's one buffer, when the buffer is the period), plus the
// backend's extra.
TEST_P(RebufferTest, ReportedOutputLatencyIsWhereTheFramePlays) {
  FakeDeviceConfig config;
  config.renderExtraLatencyFrames = 7;
  makeRebuffered(config);
  auto infos = channels(2, 0);
  runningWith(infos, buffer());
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  ASSERT_EQ(fake->tick(periodsToRun()), periodsToRun());
  const std::uint64_t b = static_cast<std::uint64_t>(buffer());
  for (std::uint64_t s : {b / 2, 3 * b + 1, 7 * b - 1}) {
    const std::size_t k = s / b;
    ASSERT_LT(k, host.switches.size());
    // Device frame s (the host's frame s: checked above) plays here.
    const double heardNs = static_cast<double>(kStartNs) + static_cast<double>(s + static_cast<std::uint64_t>(period())) * 1e9 / rate();
    const double positionNs = static_cast<double>(asio::fromSplit64(host.switches[k].time.timeInfo.systemTime)) +
                              static_cast<double>(s - k * b) * 1e9 / rate();
    const double actual = (heardNs - positionNs) * rate() / 1e9 + 7;
    EXPECT_NEAR(actual, out, 1e-3) << "host frame " << s;
  }
}

// Duplex on one clock: capture packets of one device period, the host's
// buffer of any size. Every captured frame reaches the host exactly once,
// in order, at a constant delay equal to the reported input latency (less
// at most one frame: a stamp is late by up to one), no FIFO glitch.
TEST_P(RebufferTest, DuplexDeliversEveryInputFrameOnceAtTheReportedDelay) {
  makeRebuffered();
  auto infos = channels(2, 2);
  runningWith(infos, buffer());
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  const int periods = periodsToRun();
  ASSERT_EQ(fake->tick(periods), periods);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.inputUnderruns, 0u);
  EXPECT_EQ(st.inputOverruns, 0u);
  EXPECT_EQ(st.inputDiscontinuities, 0u);
  const std::uint64_t b = static_cast<std::uint64_t>(buffer());
  const std::uint64_t hostFrames = host.switches.size() * b;
  ASSERT_EQ(host.inputReceived[0].size(), hostFrames * 4);
  // The delay at which the host's frames are the captured ones, from the
  // first frame past the FIFO's priming on.
  const std::uint64_t from = static_cast<std::uint64_t>(in) + 2 * b;
  ASSERT_LT(from + b, hostFrames);
  std::int64_t delay = -1;
  for (std::int64_t d = in - 3; d <= in + 3 && delay < 0; ++d) {
    bool all = true;
    for (std::uint64_t f = from; f < from + b && all; ++f) {
      all = received(0, f) == fake->captureValue(0, f - static_cast<std::uint64_t>(d));
    }
    if (all) delay = d;
  }
  ASSERT_GE(delay, 0) << "no constant delay near the reported " << in;
  EXPECT_GE(delay, in - 1);
  EXPECT_LE(delay, in);
  int bad = 0;
  for (int c = 0; c < 2; ++c) {
    for (std::uint64_t f = from; f < hostFrames; ++f) {
      bad += received(c, f) != fake->captureValue(c, f - static_cast<std::uint64_t>(delay)) ? 1 : 0;
    }
  }
  EXPECT_EQ(bad, 0);
}

std::string sizeName(const ::testing::TestParamInfo<std::tuple<int, double>>& info) {
  return std::to_string(std::get<0>(info.param)) + "_at_" + std::to_string(static_cast<int>(std::get<1>(info.param)));
}

INSTANTIATE_TEST_SUITE_P(Sizes, RebufferTest,
                         ::testing::Combine(::testing::Values(32, 64, 100, 128, 256, 441, 479, 480, 481, 500, 512, 1000,
                                                              1024, 2048, 4096, 8192),
                                            ::testing::Values(44100.0, 48000.0)),
                         sizeName);

// Periods of any length (what the WASAPI buffer has room for), one frame
// included: still every frame once, in order.
TEST_F(DriverCoreTest, RebufferedPeriodsOfAnyLength) {
  FakeDeviceConfig config;
  config.renderPeriodFrames = 480;
  config.renderFormat = DeviceSampleFormat::Int32;
  config.bufferSizes.assign(1, BufferSizeOptions{32, 8192, 480, 1});
  config.sampleRates = {48000};
  config.defaultSampleRate = 48000;
  DriverSettings s;
  s.hostSampleType = asio::SampleType::Int32LSB;
  make(config, s);
  auto infos = channels(2, 0);
  runningWith(infos, 100);
  std::uint64_t total = 0;
  for (std::int32_t frames : {480, 1, 1000, 7, 2048, 300, 99, 101, 480}) {
    fake->setPeriodFrames(frames);
    ASSERT_EQ(fake->tick(1), 1);
    total += static_cast<std::uint64_t>(frames);
    EXPECT_EQ(core->stats().bufferSwitches, ceilDiv(total, 100)) << "after " << frames;
  }
  ASSERT_EQ(fake->renderedFrames(), total);
  int bad = 0;
  for (std::uint64_t f = 0; f < total; ++f) bad += fake->renderedInt32(1, f) != RecordingHost::outputValue(1, f);
  EXPECT_EQ(bad, 0);
}

// The rebuffered audio path allocates nothing, duplex and dither included.
TEST_F(DriverCoreTest, RebufferedPeriodsAllocateNothing) {
  FakeDeviceConfig config;
  config.recordRendered = false;
  config.renderPeriodFrames = 480;
  config.renderFormat = DeviceSampleFormat::Int16;
  config.capturePacketFrames = 480;
  config.bufferSizes.assign(1, BufferSizeOptions{32, 8192, 480, 1});
  config.sampleRates = {48000};
  config.defaultSampleRate = 48000;
  DriverSettings s;
  s.dither = true;
  make(config, s);
  host.record = false;
  auto infos = channels(2, 2);
  runningWith(infos, 64);
  ASSERT_EQ(fake->tick(5), 5);  // the fake sizes its own buffers
  CountAllocations counting;
  ASSERT_EQ(fake->tick(200), 200);
  EXPECT_EQ(counting.count(), 0u);
  EXPECT_EQ(core->stats().bufferSwitches, ceilDiv(205u * 480u, 64u));
}

// Stop and start again: nothing of the last run is left staged, so the
// second run starts with a switch at its first frame, and its first device
// frame is that buffer's first frame.
TEST_F(DriverCoreTest, RebufferedRestartStartsWithAFreshBuffer) {
  FakeDeviceConfig config;
  config.renderPeriodFrames = 480;
  config.renderFormat = DeviceSampleFormat::Int32;
  config.bufferSizes.assign(1, BufferSizeOptions{32, 8192, 480, 1});
  config.sampleRates = {48000};
  config.defaultSampleRate = 48000;
  DriverSettings s;
  s.hostSampleType = asio::SampleType::Int32LSB;
  make(config, s);
  auto infos = channels(2, 0);
  runningWith(infos, 512);
  ASSERT_EQ(fake->tick(3), 3);  // 1440 frames: 3 switches, 96 frames left staged
  EXPECT_EQ(core->stats().bufferSwitches, 3u);
  ASSERT_EQ(core->stop(), asio::err::kOk);
  ASSERT_EQ(core->start(), asio::err::kOk);
  ASSERT_EQ(fake->tick(1), 1);
  EXPECT_EQ(core->stats().bufferSwitches, 4u);
  EXPECT_EQ(asio::fromSplit64(host.switches.back().time.timeInfo.samplePosition), 0u);
  // RecordingHost's pattern counts frames since its first switch: the 4th
  // switch wrote frames 1536.. of it, which the 1441st device frame on must be.
  ASSERT_EQ(fake->renderedFrames(), 1920u);
  int bad = 0;
  for (std::uint64_t i = 0; i < 480; ++i) {
    for (int c = 0; c < 2; ++c) bad += fake->renderedInt32(c, 1440 + i) != RecordingHost::outputValue(c, 1536 + i);
  }
  EXPECT_EQ(bad, 0) << "frames of the last run played after the restart";
}

}  // namespace
}  // namespace a2w::test
