// The input FIFO with capture on the render clock (shared clock): packet
// sizes unrelated to the buffer, bit-exact delivery, the fill at its target,
// the latency the driver reports, input-only and output-only streams,
// silent / lost packets, underrun and overrun counters, a fixed resampling
// ratio. The drifting-clock runs are in driver_core_drift_test.cpp.
#include <cmath>
#include <cstring>

#include "capture_test_fixture.h"

namespace a2w::test {
namespace {

class CaptureTest : public CaptureTestBase {
 protected:
  // Delivery-stamped (Wine) or unstamped packets of 441 frames under a
  // 256-frame buffer: every frame exactly `input latency` late.
  void expectEveryFrameAtTheReportedLatency(bool stamped);
};

// Packets of 441 frames under a 256-frame buffer, int32 both ends: the
// direct path, bit-exact, every frame exactly `input latency` late; the
// fill stays within one packet below its target and the level the
// timestamps give sits exactly on it.
TEST_F(CaptureTest, UnrelatedPacketSizeIsBitExactAtTheReportedLatency) {
  FakeDeviceConfig config;
  config.captureJitterNs = 200'000;  // 0.2 ms of late delivery
  std::vector<asio::BufferInfo> infos;
  runInt32Packets441(config, infos);

  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  const DriverStats st0 = core->stats();
  // T = P + J = 441 + (24 + 2): one packet plus 0.5 ms + 2 frames of jitter margin.
  EXPECT_EQ(st0.inputFifoTargetFrames, 441 + 26);
  EXPECT_EQ(in, 256 + 441 + 26);
  EXPECT_EQ(out, 256);
  asio::InternalBufferSamples internal{-1, -1};
  ASSERT_EQ(core->future(asio::fut::kGetInternalBufferSamples, &internal), asio::err::kSuccess);
  EXPECT_EQ(internal.inputSamples, 441 + 26);
  EXPECT_EQ(internal.outputSamples, 0);
  EXPECT_FALSE(st0.inputResampling);
  EXPECT_FALSE(st0.inputDriftCompensation);  // Auto, shared clock

  constexpr int kPeriods = 400;
  double levelMin = 1e9, levelMax = -1e9;
  for (int p = 0; p < kPeriods; ++p) {
    ASSERT_EQ(fake->tick(1), 1);
    const DriverStats st = core->stats();
    if (p >= 4) {
      levelMin = std::min(levelMin, st.inputFifoLevelFrames);
      levelMax = std::max(levelMax, st.inputFifoLevelFrames);
    }
  }
  const DriverStats st = core->stats();
  EXPECT_EQ(st.inputUnderruns, 0u);
  EXPECT_EQ(st.inputOverruns, 0u);
  EXPECT_GE(st.inputFifoMinFrames, 441 + 26 - 441 - 26);
  EXPECT_LE(st.inputFifoMaxFrames, 441 + 26);
  EXPECT_NEAR(levelMin, 441 + 26, 0.5);  // the shared clock keeps the level exactly at the target
  EXPECT_NEAR(levelMax, 441 + 26, 0.5);
  // From the fourth period on (primed by then), every frame of both channels.
  for (int c = 0; c < 2; ++c) {
    EXPECT_EQ(mismatches(c, 4 * 256, kPeriods * 256, in, true), 0) << "channel " << c;
  }
}

// Packets stamped when they are handed over (Wine) or not stamped at all:
// the FIFO takes the newest packet's arrival as its end (no frame is
// captured after we hold it), so the frames in flight are still counted and
// every frame lands exactly `input latency` late, whatever phase the
// packets (441 frames) have against the periods (256).
void CaptureTest::expectEveryFrameAtTheReportedLatency(bool stamped) {
  FakeDeviceConfig config;
  config.captureTimestamps = stamped;
  config.captureStampedAtDelivery = stamped;
  std::vector<asio::BufferInfo> infos;
  runInt32Packets441(config, infos);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  EXPECT_EQ(in, 256 + 441 + 26);  // B + T: no extra wait for the packet
  constexpr int kPeriods = 300;
  for (int p = 0; p < kPeriods; ++p) ASSERT_EQ(fake->tick(1), 1);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.inputUnderruns, 0u);
  EXPECT_EQ(st.inputOverruns, 0u);
  for (int c = 0; c < 2; ++c) {
    EXPECT_EQ(mismatches(c, 4 * 256, kPeriods * 256, in, true), 0) << "channel " << c;
  }
}

TEST_F(CaptureTest, DeliveryStampedPacketsLandAtTheReportedLatency) { expectEveryFrameAtTheReportedLatency(true); }
TEST_F(CaptureTest, UnstampedPacketsLandAtTheReportedLatency) { expectEveryFrameAtTheReportedLatency(false); }

// Without arrival times a delivery-stamped packet's frames in flight are
// invisible: the latency then depends on the phase the FIFO primed at, a
// packet's worth at most later than the report without the packet wait.
// (This is what the backend's arrival times are for.)
TEST_F(CaptureTest, WithoutArrivalTimesDeliveryStampsHideTheFramesInFlight) {
  FakeDeviceConfig config;
  config.captureStampedAtDelivery = true;
  config.captureArrivalTimes = false;
  std::vector<asio::BufferInfo> infos;
  runInt32Packets441(config, infos);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  for (int p = 0; p < 300; ++p) ASSERT_EQ(fake->tick(1), 1);
  EXPECT_GT(mismatches(0, 4 * 256, 300 * 256, in, true), 0) << "not at the reported latency";
}

// A timer-driven capture (the backend's timing-jitter hint: one packet)
// starts with that much margin instead of 0.5 ms, and delivery up to a
// packet late never underruns.
TEST_F(CaptureTest, TheBackendsJitterHintSetsTheMargin) {
  FakeDeviceConfig config;
  config.capturePacketFrames = 441;
  config.captureTimingJitterFrames = 441;
  config.captureJitterNs = 9'000'000;  // up to 9 ms late: 432 frames at 48 kHz
  make(config);
  auto infos = channels(2, 2);
  runningWith(infos, 256);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  EXPECT_EQ(core->stats().inputFifoTargetFrames, 441 + 441);
  EXPECT_EQ(in, 256 + 441 + 441);
  ASSERT_EQ(fake->tick(2000), 2000);
  EXPECT_EQ(core->stats().inputUnderruns, 0u);
  EXPECT_EQ(host.count(asio::msg::kLatenciesChanged), 0);
  for (int c = 0; c < 2; ++c) EXPECT_EQ(mismatches(c, 8 * 256, 2000 * 256, in, false), 0) << "channel " << c;
}

// A device later than the margin allows: each underrun widens the margin by
// half a packet, the host is told (kLatenciesChanged) and getLatencies says
// the new figure; after the last widening the input plays clean, exactly
// that many frames late.
TEST_F(CaptureTest, UnderrunsWidenTheMarginAndTellTheHost) {
  FakeDeviceConfig config;
  config.capturePacketFrames = 441;
  config.captureJitterNs = 9'000'000;  // the 0.5 ms default margin cannot absorb this
  make(config);
  auto infos = channels(2, 2);
  runningWith(infos, 256);
  std::int32_t before = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&before, &out), asio::err::kOk);

  ASSERT_EQ(fake->tick(3000), 3000);
  const DriverStats st = core->stats();
  EXPECT_GE(st.inputUnderruns, 1u);
  EXPECT_LE(st.inputUnderruns, 6u);  // at most the cap's steps of half a packet
  EXPECT_GT(st.inputFifoTargetFrames, 441 + 26);
  EXPECT_LE(st.inputFifoTargetFrames, 441 + 26 + 3 * 441);
  EXPECT_GE(host.count(asio::msg::kLatenciesChanged), 1);
  std::int32_t after = 0;
  ASSERT_EQ(core->getLatencies(&after, &out), asio::err::kOk);
  EXPECT_EQ(after, 256 + st.inputFifoTargetFrames);
  EXPECT_GT(after, before);

  // From here on: no underrun, and every frame exactly `after` late.
  ASSERT_EQ(fake->tick(2000), 2000);
  EXPECT_EQ(core->stats().inputUnderruns, st.inputUnderruns);
  for (int c = 0; c < 2; ++c) EXPECT_EQ(mismatches(c, 3100 * 256, 5000 * 256, after, false), 0) << "channel " << c;
}

// Input only: no render stream, the capture drives the periods; nothing is
// held back (the target is 0) and the input is bit exact.
TEST_F(CaptureTest, InputOnlyCaptureDrivesThePeriods) {
  FakeDeviceConfig config;
  config.outputChannels = 0;
  config.capturePacketFrames = 100;
  make(config);
  auto infos = channels(0, 2);
  runningWith(infos, 128);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  EXPECT_EQ(in, 128);
  ASSERT_EQ(fake->tick(50), 50);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.inputFifoTargetFrames, 0);
  EXPECT_EQ(st.inputUnderruns, 0u);
  EXPECT_EQ(st.inputOverruns, 0u);
  EXPECT_EQ(fake->renderedFrames(), 0u);
  // Period k runs once (k+1)*128 frames have arrived and takes frames
  // k*128.. : delay 0 in sample positions, every frame in order.
  for (int c = 0; c < 2; ++c) EXPECT_EQ(mismatches(c, 0, 50 * 128, 0, false), 0) << "channel " << c;
}

// Output only: no capture stream, no FIFO, nothing in the stats.
TEST_F(CaptureTest, OutputOnlyHasNoFifo) {
  FakeDeviceConfig config;
  config.inputChannels = 0;
  make(config);
  auto infos = channels(2, 0);
  runningWith(infos, 128);
  ASSERT_EQ(fake->tick(10), 10);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.inputPackets, 0u);
  EXPECT_EQ(st.inputFifoTargetFrames, 0);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  EXPECT_EQ(out, 128);
  asio::InternalBufferSamples internal{-1, -1};
  ASSERT_EQ(core->future(asio::fut::kGetInternalBufferSamples, &internal), asio::err::kSuccess);
  EXPECT_EQ(internal.inputSamples, 0);
  for (std::uint64_t f = 0; f < 10 * 128; ++f) {
    ASSERT_EQ(fake->renderedFloat(1, f), patternAsFloat(RecordingHost::outputValue(1, f)));
  }
}

// Silent packets arrive as zeros, in place; they are counted, and the
// frames around them are untouched.
TEST_F(CaptureTest, SilentPacketsAreZerosAndCounted) {
  auto infos = channels(0, 1);
  FakeDeviceConfig config;
  config.alwaysOpenRender = true;
  make(config);
  runningWith(infos, 64);
  fake->silenceCapturePackets(10, 2);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  ASSERT_EQ(fake->tick(30), 30);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.inputSilentPackets, 2u);
  EXPECT_EQ(st.inputDiscontinuities, 0u);
  EXPECT_EQ(st.inputUnderruns, 0u);
  // Capture frames 640..767 (packets 10 and 11) are zeros at host frames + in.
  int zeros = 0;
  for (std::uint64_t f = 640; f < 768; ++f) zeros += received(0, f + static_cast<std::uint64_t>(in)) == 0 ? 1 : 0;
  EXPECT_EQ(zeros, 128);
  EXPECT_EQ(mismatches(0, 768 + static_cast<std::uint64_t>(in), 30 * 64, in, false), 0);
  EXPECT_EQ(mismatches(0, 4 * 64, 640 + static_cast<std::uint64_t>(in), in, false), 0);
}

// A lost packet with timestamps: flagged, counted, and its place kept with
// silence, so nothing underruns and what follows arrives at the same
// latency. (A loss longer than the margin J underruns before the next
// packet can tell how much was lost: see the test below for the recovery.)
TEST_F(CaptureTest, LostPacketsAreReplacedBySilenceInPlace) {
  FakeDeviceConfig config;
  config.alwaysOpenRender = true;
  make(config);
  auto infos = channels(0, 1);
  runningWith(infos, 64);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  fake->loseCapturePackets(10, 1);
  ASSERT_EQ(fake->tick(40), 40);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.inputDiscontinuities, 1u);
  EXPECT_EQ(st.inputUnderruns, 0u);
  EXPECT_EQ(st.inputOverruns, 0u);
  const auto delay = static_cast<std::uint64_t>(in);
  int zeros = 0;
  for (std::uint64_t f = 640; f < 704; ++f) zeros += received(0, f + delay) == 0 ? 1 : 0;
  EXPECT_EQ(zeros, 64);
  EXPECT_EQ(mismatches(0, 704 + delay, 40 * 64, in, false), 0);
  EXPECT_EQ(mismatches(0, 4 * 64, 640 + delay, in, false), 0);
}

// Without timestamps a loss cannot be measured: the FIFO runs short, the
// underrun is counted once, and it primes again and runs clean.
TEST_F(CaptureTest, WithoutTimestampsALossUnderrunsAndPrimesAgain) {
  FakeDeviceConfig config;
  config.alwaysOpenRender = true;
  config.captureTimestamps = false;
  make(config);
  auto infos = channels(0, 1);
  runningWith(infos, 64);
  ASSERT_EQ(fake->tick(10), 10);
  const DriverStats before = core->stats();
  const std::int32_t steadyBelowTarget = before.inputFifoTargetFrames - before.inputFifoFrames;
  fake->loseCapturePackets(20, 3);
  ASSERT_EQ(fake->tick(30), 30);
  DriverStats st = core->stats();
  EXPECT_EQ(st.inputDiscontinuities, 1u);
  EXPECT_EQ(st.inputUnderruns, 1u);
  EXPECT_EQ(st.inputOverruns, 0u);
  ASSERT_EQ(fake->tick(100), 100);
  st = core->stats();
  EXPECT_EQ(st.inputUnderruns, 1u);
  // Back at its steady fill relative to the target, which the underrun may
  // have widened by half a packet (without timestamps a loss looks late).
  EXPECT_EQ(st.inputFifoTargetFrames - st.inputFifoFrames, steadyBelowTarget);
  EXPECT_LE(st.inputFifoTargetFrames, before.inputFifoTargetFrames + 32);
}

// A burst of extra packets: the oldest surplus is dropped back to the
// target, counted as one overrun.
TEST_F(CaptureTest, ABurstOverrunsDropsTheOldestAndIsCounted) {
  FakeDeviceConfig config;
  config.alwaysOpenRender = true;
  make(config);
  auto infos = channels(0, 1);
  runningWith(infos, 64);
  ASSERT_EQ(fake->tick(10), 10);
  const std::int32_t steady = core->stats().inputFifoFrames;
  fake->injectCapturePackets(4);
  ASSERT_EQ(fake->tick(1), 1);
  DriverStats st = core->stats();
  EXPECT_EQ(st.inputOverruns, 1u);
  EXPECT_EQ(st.inputFifoFrames, steady);
  EXPECT_EQ(st.inputUnderruns, 0u);
  // A burst larger than the whole ring: what does not fit is dropped too.
  fake->injectCapturePackets(1000);
  ASSERT_EQ(fake->tick(3), 3);
  st = core->stats();
  EXPECT_GE(st.inputOverruns, 3u);
  EXPECT_EQ(st.inputFifoFrames, steady);
}

// Capture at 44.1 kHz under a 48 kHz host on the same clock: a fixed
// resampling ratio, no controller (Auto), no glitches, a clean sine, and
// the resampler's group delay in the latency.
TEST_F(CaptureTest, FixedRatioWhenTheCaptureRateDiffers) {
  FakeDeviceConfig config;
  config.alwaysOpenRender = true;
  config.captureDeviceSampleRate = 44100;
  config.capturePacketFrames = 441;
  config.captureSignal = FakeDeviceConfig::Signal::Sine;
  config.captureSineHz = 300;
  make(config);
  auto infos = channels(0, 1);
  runningWith(infos, 256);
  const DriverStats st0 = core->stats();
  EXPECT_TRUE(st0.inputResampling);
  EXPECT_FALSE(st0.inputDriftCompensation);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  // T = 441 + ceil(22.05) + 2 = 466 capture frames, + 40 frames of group
  // delay = 506 capture frames = 550.7 host frames -> 551.
  EXPECT_EQ(st0.inputFifoTargetFrames, 466);
  EXPECT_EQ(in, 256 + 551);
  constexpr int kPeriods = 300;
  ASSERT_EQ(fake->tick(kPeriods), kPeriods);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.inputUnderruns, 0u);
  EXPECT_EQ(st.inputOverruns, 0u);
  EXPECT_NEAR(st.inputFifoLevelFrames, 466, 1.0);
  // The sine at 300 Hz on the host's 48 kHz grid, continuous.
  const double w = 2.0 * 3.141592653589793 * 300.0 / 48000.0;
  double worst = 0;
  for (std::uint64_t f = 20 * 256; f + 1 < kPeriods * 256; ++f) {
    float a = 0, b = 0, c = 0;
    std::memcpy(&a, host.inputReceived[0].data() + (f - 1) * 4, 4);
    std::memcpy(&b, host.inputReceived[0].data() + f * 4, 4);
    std::memcpy(&c, host.inputReceived[0].data() + (f + 1) * 4, 4);
    worst = std::max(worst, std::abs(c - 2.0 * std::cos(w) * b + a));
  }
  EXPECT_LT(worst, 1e-4);
}

// DriftCompensation::On forces the controller even on a shared clock; it
// then holds 0 ppm. Off keeps the direct path with different clocks.
TEST_F(CaptureTest, DriftCompensationSettingIsObeyed) {
  DriverSettings on;
  on.driftCompensation = DriftCompensation::On;
  make({}, on);
  auto infos = channels(2, 2);
  runningWith(infos, 256);
  ASSERT_EQ(fake->tick(2000), 2000);
  DriverStats st = core->stats();
  EXPECT_TRUE(st.inputDriftCompensation);
  EXPECT_NEAR(st.inputDriftPpm, 0.0, 2.0);
  EXPECT_EQ(st.inputUnderruns + st.inputOverruns, 0u);
  ASSERT_EQ(core->stop(), asio::err::kOk);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);

  FakeDeviceConfig twoClocks;
  twoClocks.captureSharesRenderClock = false;
  DriverSettings off;
  off.driftCompensation = DriftCompensation::Off;
  make(twoClocks, off);
  auto infos2 = channels(2, 2);
  runningWith(infos2, 256);
  st = core->stats();
  EXPECT_FALSE(st.inputResampling);
  EXPECT_FALSE(st.inputDriftCompensation);
  ASSERT_EQ(core->stop(), asio::err::kOk);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);

  make(twoClocks);  // Auto: two clocks -> on
  auto infos3 = channels(2, 2);
  runningWith(infos3, 256);
  EXPECT_TRUE(core->stats().inputDriftCompensation);
}

}  // namespace
}  // namespace a2w::test
