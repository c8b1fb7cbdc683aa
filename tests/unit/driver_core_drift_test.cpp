// The input FIFO under a capture clock that drifts against the render clock:
// hour-long simulated runs (the fake backend's event-driven clocks, on the
// test's thread), checking that the drift controller learns the true ratio,
// the FIFO never under- or overruns once settled, and the host's input stays
// a continuous sine (no dropped, repeated or silenced frame).
//
// Why 1 kHz for the hour-long runs: under ASan + UBSan at -O0 the resampler
// costs ~2 us per stereo frame (80-tap kernel), so an hour at 48 kHz (173 M
// frames) would take minutes. The controller is designed in seconds
// (drift_controller.h) and the FIFO margins in time, so a 1 kHz device
// behaves the same in time; the frame-level quantities the controller sees
// are fractional (packet timestamps, the resampler's fractional position),
// so nothing gets coarser. A 40-second run at 48 kHz checks the real rate.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "support/driver_core_fixture.h"

namespace a2w::test {
namespace {

struct DriftRun {
  double rate = 1000;
  std::int32_t bufferFrames = 32;
  std::int32_t packetFrames = 10;
  int channels = 2;
  double ppm = 200;
  double seconds = 3600;
  double settleSeconds = 120;
  std::uint64_t jitterNs = 300'000;
  int sineHz = 10;
  DriftCompensation compensation = DriftCompensation::Auto;
  std::int32_t timingJitterHint = 0;  // StreamInfo::capture.timingJitterFrames
  bool stampedAtDelivery = false;     // FakeDeviceConfig::captureStampedAtDelivery
  std::uint64_t loadJitterNs = 0;     // FakeDeviceConfig::captureLoadJitterNs (one second in two)
  std::uint64_t loadSeed = 0;         // FakeDeviceConfig::captureLoadSeed
};

struct DriftResult {
  double maxPpmErrorAfterSettle = 0;
  double meanPpmAfterSettle = 0;
  // The clock tracking's estimate (input_fifo.h), after settle while locked.
  bool clockLocked = false;
  double clockPpm = 0;
  double maxClockErrorAfterSettle = 0;
  std::uint64_t unlockedPeriodsAfterSettle = 0;  // periods after settle the clocks were not locked
  double finalPpm = 0;
  std::int32_t target = 0;
  std::int32_t fillMin = 0, fillMax = 0;  // after settle
  std::uint64_t underrunsAfterSettle = 0, overrunsAfterSettle = 0;
  std::uint64_t underruns = 0, overruns = 0;
  double maxRecurrenceError = 0;  // |x[n+1] - 2cos(w) x[n] + x[n-1]|, after settle
  double maxAbs = 0;              // the sine's measured amplitude
  std::uint64_t periods = 0;
  double wallSeconds = 0;
};

class DriftTest : public DriverCoreTest {
 protected:
  DriftResult run(const DriftRun& r) {
    const auto started = std::chrono::steady_clock::now();
    FakeDeviceConfig config;
    config.outputChannels = 2;
    config.inputChannels = r.channels;
    config.sampleRates = {r.rate};
    config.defaultSampleRate = r.rate;
    config.bufferSizes = {BufferSizeOptions{r.bufferFrames, r.bufferFrames, r.bufferFrames, 0}};
    config.alwaysOpenRender = true;  // render is the period clock; the host only records
    config.capturePacketFrames = r.packetFrames;
    config.captureClockPpm = r.ppm;
    config.captureSharesRenderClock = false;
    config.captureJitterNs = r.jitterNs;
    config.captureTimingJitterFrames = r.timingJitterHint;
    config.captureStampedAtDelivery = r.stampedAtDelivery;
    config.captureLoadJitterNs = r.loadJitterNs;
    config.captureLoadSeed = r.loadSeed;
    config.captureSignal = FakeDeviceConfig::Signal::Sine;
    config.captureSineHz = r.sineHz;
    config.recordRendered = false;
    DriverSettings s;
    s.driftCompensation = r.compensation;
    make(config, s);
    host.record = false;

    auto infos = channels(0, 1);  // input channel 0 only
    initOk();
    EXPECT_EQ(create(infos, r.bufferFrames), asio::err::kOk) << errorText();

    DriftResult result;
    // The sine as the host sees it: f0 on the capture clock, which runs ppm fast.
    const double w = 2.0 * std::numbers::pi * r.sineHz * (1.0 + r.ppm * 1e-6) / r.rate;
    const double twoCos = 2.0 * std::cos(w);
    const auto periods = static_cast<std::uint64_t>(r.seconds * r.rate / r.bufferFrames);
    const auto settlePeriods = static_cast<std::uint64_t>(r.settleSeconds * r.rate / r.bufferFrames);
    std::uint64_t period = 0;
    double x1 = 0, x2 = 0;  // the previous two samples
    host.onSwitch = [&](std::int32_t index) {
      const auto* in = static_cast<const float*>(infos[0].buffers[index]);
      for (std::int32_t f = 0; f < r.bufferFrames; ++f) {
        const double x = in[f];
        if (period >= settlePeriods) {
          result.maxRecurrenceError = std::max(result.maxRecurrenceError, std::abs(x - twoCos * x1 + x2));
          result.maxAbs = std::max(result.maxAbs, std::abs(x));
        }
        x2 = x1;
        x1 = x;
      }
    };
    EXPECT_EQ(core->start(), asio::err::kOk);
    DriverStats atSettle;
    result.fillMin = std::numeric_limits<std::int32_t>::max();
    std::uint64_t settledPeriods = 0;
    for (period = 0; period < periods; ++period) {
      if (fake->tick(1) != 1) break;
      if (period + 1 == settlePeriods) atSettle = core->stats();
      if (period >= settlePeriods) {
        const DriverStats st = core->stats();
        result.maxPpmErrorAfterSettle = std::max(result.maxPpmErrorAfterSettle, std::abs(st.inputDriftPpm - r.ppm));
        result.meanPpmAfterSettle += st.inputDriftPpm;
        if (st.inputClockLocked) {
          result.maxClockErrorAfterSettle = std::max(result.maxClockErrorAfterSettle, std::abs(st.inputClockRatioPpm - r.ppm));
        } else {
          ++result.unlockedPeriodsAfterSettle;
        }
        ++settledPeriods;
        result.fillMin = std::min(result.fillMin, st.inputFifoFrames);
        result.fillMax = std::max(result.fillMax, st.inputFifoFrames);
      }
    }
    if (settledPeriods > 0) result.meanPpmAfterSettle /= static_cast<double>(settledPeriods);
    const DriverStats end = core->stats();
    result.periods = end.periods;
    result.finalPpm = end.inputDriftPpm;
    result.clockLocked = end.inputClockLocked;
    result.clockPpm = end.inputClockRatioPpm;
    result.target = end.inputFifoTargetFrames;
    result.underruns = end.inputUnderruns;
    result.overruns = end.inputOverruns;
    result.underrunsAfterSettle = end.inputUnderruns - atSettle.inputUnderruns;
    result.overrunsAfterSettle = end.inputOverruns - atSettle.inputOverruns;
    EXPECT_EQ(core->stop(), asio::err::kOk);
    EXPECT_EQ(core->disposeBuffers(), asio::err::kOk);
    result.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
  }

  static void report(const char* name, const DriftRun& r, const DriftResult& x) {
    std::printf("[drift] %s: %.0f Hz B=%d P=%d %+.0f ppm %.0f s: ppm %.3f (max error after settle %.3f), "
                "fill target %d min %d max %d, underruns %llu/%llu overruns %llu/%llu (after settle/total), "
                "recurrence error %.2e (amplitude %.3f), %llu periods in %.1f s, mean ppm after settle %.3f; clocks "
                "%s %.3f ppm (max error after settle %.3f, %llu periods unlocked after settle)\n",
                name, r.rate, r.bufferFrames, r.packetFrames, r.ppm, r.seconds, x.finalPpm, x.maxPpmErrorAfterSettle,
                x.target, x.fillMin, x.fillMax, static_cast<unsigned long long>(x.underrunsAfterSettle),
                static_cast<unsigned long long>(x.underruns), static_cast<unsigned long long>(x.overrunsAfterSettle),
                static_cast<unsigned long long>(x.overruns), x.maxRecurrenceError, x.maxAbs,
                static_cast<unsigned long long>(x.periods), x.wallSeconds, x.meanPpmAfterSettle,
                x.clockLocked ? "locked" : "not locked", x.clockPpm, x.maxClockErrorAfterSettle,
                static_cast<unsigned long long>(x.unlockedPeriodsAfterSettle));
    ::testing::Test::RecordProperty(std::string(name) + "_ppm_error", std::to_string(x.maxPpmErrorAfterSettle));
  }

  static void expectLocked(const DriftRun& r, const DriftResult& x) {
    // The clocks' estimate from device-stamped packets and the periods'
    // stamps: measured within 0.01 ppm after settle.
    EXPECT_TRUE(x.clockLocked);
    EXPECT_EQ(x.unlockedPeriodsAfterSettle, 0u);  // locked all through after settle
    EXPECT_LE(x.maxClockErrorAfterSettle, 1.0);
    // The ratio applied: the estimate plus the level loop's trim of the
    // phase, which runs slowly once the clocks are locked (drift_controller.h),
    // so 10 s after the 48 kHz run's settle it still carries a few ppm of
    // it (2.1 ppm measured at worst, 1.3 at the end): on average the truth.
    EXPECT_LE(x.maxPpmErrorAfterSettle, 5.0);
    EXPECT_NEAR(x.meanPpmAfterSettle, r.ppm, 0.5);
    EXPECT_EQ(x.underruns, 0u);  // not even while settling
    EXPECT_EQ(x.overruns, 0u);
    EXPECT_GE(x.fillMin, 0);
    EXPECT_LE(x.fillMax, x.target + 2);  // the ring itself never holds more than the target
    // A continuous sine: one dropped or repeated frame would leave an error
    // of about A*w (0.03 at 10 Hz / 1 kHz, 0.007 at 100 Hz / 48 kHz).
    EXPECT_LT(x.maxRecurrenceError, 1e-4);
    EXPECT_NEAR(x.maxAbs, 0.5, 0.01);
  }
};

TEST_F(DriftTest, CaptureClock200PpmFastForAnHour) {
  DriftRun r;
  r.ppm = 200;
  const DriftResult x = run(r);
  report("fast-hour", r, x);
  expectLocked(r, x);
}

TEST_F(DriftTest, CaptureClock200PpmSlowForAnHour) {
  DriftRun r;
  r.ppm = -200;
  const DriftResult x = run(r);
  report("slow-hour", r, x);
  expectLocked(r, x);
}

// The real rate and buffer, long enough to settle: 48 kHz, B=256, shared-mode
// sized 480-frame packets, 300 ppm fast.
TEST_F(DriftTest, At48kHzItSettlesInUnderAMinute) {
  DriftRun r;
  r.rate = 48000;
  r.bufferFrames = 256;
  r.packetFrames = 480;
  r.channels = 1;
  r.ppm = 300;
  r.seconds = 40;
  r.settleSeconds = 30;
  r.sineHz = 100;
  const DriftResult x = run(r);
  report("48k", r, x);
  expectLocked(r, x);
}

// Without the controller the same clocks must end in glitches, counted: the
// proof that the controller is what keeps the FIFO alive.
TEST_F(DriftTest, WithoutCompensationTheFifoOverrunsAndItIsCounted) {
  DriftRun r;
  r.ppm = 1000;
  r.seconds = 600;
  r.settleSeconds = 0;
  r.compensation = DriftCompensation::Off;
  const DriftResult x = run(r);
  report("off-fast", r, x);
  EXPECT_GT(x.overruns, 0u);
  EXPECT_EQ(x.finalPpm, 0.0);
}

TEST_F(DriftTest, WithoutCompensationTheFifoUnderrunsAndItIsCounted) {
  DriftRun r;
  r.ppm = -1000;
  r.seconds = 600;
  r.settleSeconds = 0;
  r.compensation = DriftCompensation::Off;
  const DriftResult x = run(r);
  report("off-slow", r, x);
  EXPECT_GT(x.underruns, 0u);
}

// Timer-driven capture as Wine delivers it: packets of one period from a
// timer racing the render timer (each delivery 0..9 ms late, so a packet
// lands before or after the read at random), stamped when delivered rather
// than when captured. The FIFO counts the frames in flight from each
// packet's arrival, so the level no longer jumps by a packet, but it still
// misses each delivery's lateness (0..9 ms, here random per packet); the
// controller's dead band (half the backend's timing-jitter hint) must keep
// it from reading that as drift: the ratio stays put. With a real 100 ppm
// drift the fill travels across the band and the controller acts at its
// edges, so the level loop alone follows the drift only roughly (38 ppm
// off: a fifteenth of a cent, inaudible); the clock tracking's estimate
// takes over from it (input_fifo.h) while the fill never runs dry or over.
// No glitch either way.
// Wine's shared-mode capture at 48 kHz: one 10 ms packet per period,
// delivered 0..9 ms late and stamped at delivery, a hint of one period.
DriftRun wineLikeCapture(double ppm) {
  DriftRun r;
  r.rate = 48000;
  r.bufferFrames = 480;
  r.packetFrames = 480;
  r.channels = 1;
  r.ppm = ppm;
  r.sineHz = 100;
  r.jitterNs = 9'000'000;
  r.timingJitterHint = 480;
  r.stampedAtDelivery = true;
  return r;
}

TEST_F(DriftTest, RacingTimersWithDeliveryStampsNeitherSwingNorGlitch) {
  for (const double ppm : {0.0, 100.0}) {
    DriftRun r = wineLikeCapture(ppm);
    r.seconds = ppm == 0 ? 60 : 300;
    r.settleSeconds = ppm == 0 ? 1 : 200;
    const DriftResult x = run(r);
    report(ppm == 0 ? "racing-0ppm" : "racing-100ppm", r, x);
    EXPECT_EQ(x.underruns, 0u) << ppm;
    EXPECT_EQ(x.overruns, 0u) << ppm;
    EXPECT_LT(x.maxRecurrenceError, 1e-4) << ppm;
    EXPECT_NEAR(x.maxAbs, 0.5, 0.01) << ppm;
    // The clocks lock even on delivery stamps (at 1 ppm of standard error:
    // input_fifo.cpp, 2 s buckets over 180 s): within the 60 s run (at 30
    // s), and before the 300 s run's settle; measured within 1.5 and 0.1
    // ppm once locked.
    EXPECT_TRUE(x.clockLocked) << ppm;
    if (ppm != 0) {
      EXPECT_EQ(x.unlockedPeriodsAfterSettle, 0u) << ppm;
    }
    EXPECT_LE(x.maxClockErrorAfterSettle, 5.0) << ppm;
    // No drift: the ratio moves by no more than the estimate's error (0.49
    // ppm measured: the estimate goes straight through, drift_controller.h).
    // Drift: within 25 ppm of the truth after settle (0.42 measured since
    // the level counts each packet's lateness, 11.3 before, the level
    // loop's own learning handing over to the estimate over 60 s; 38 ppm
    // with the level loop alone).
    EXPECT_LE(x.maxPpmErrorAfterSettle, ppm == 0 ? 5.0 : 25.0) << ppm;
  }
}

// The same under a load that comes and goes (make stress: busy loops on
// every core, one second in two): the packets of every other second are
// handed over up to 25 ms later still, so for a second at a time the level
// reads low by up to that much. A level loop fed that level takes it for a
// slow capture clock and moves the ratio (measured here before the FIFO
// counted the lateness: 48 and 40 ppm off after settle; make stress under
// Wine: -590 ppm on a shared clock, then overruns when the load stopped).
// The FIFO counts each packet's lateness against the lowest offset of the
// last 4 s (core/delivery_lateness.h), from the first packet on, and
// primes, realigns and checks overruns on that same level. Two draws of
// the load: the fake's first, and seed 2, which broke the earlier
// correction (from the clock fit, once locked; priming on the uncorrected
// level): 300 ppm off and an underrun after settle. Measured over 9 draws:
// at most 3.3 ppm off after settle, on average 1.3 at most; the 3-5
// underruns of each run all while settling (each one widens the margin by
// half a packet, input_fifo.cpp, until it holds the worst lateness).
TEST_F(DriftTest, ALoadThatComesAndGoesDoesNotPullTheRatio) {
  for (const std::uint64_t seed : {0u, 2u}) {
    for (const double ppm : {0.0, 100.0}) {
      DriftRun r = wineLikeCapture(ppm);
      r.seconds = 300;
      r.settleSeconds = 200;
      r.loadJitterNs = 25'000'000;
      r.loadSeed = seed;
      const DriftResult x = run(r);
      report(ppm == 0 ? "loaded-0ppm" : "loaded-100ppm", r, x);
      EXPECT_EQ(x.underrunsAfterSettle, 0u) << ppm << " seed " << seed;
      EXPECT_LE(x.underruns, 5u) << ppm << " seed " << seed;
      EXPECT_EQ(x.overruns, 0u) << ppm << " seed " << seed;
      EXPECT_LE(x.maxPpmErrorAfterSettle, 5.0) << ppm << " seed " << seed;
      EXPECT_NEAR(x.meanPpmAfterSettle, ppm, 2.0) << ppm << " seed " << seed;
      EXPECT_LT(x.maxRecurrenceError, 1e-4) << ppm << " seed " << seed;
    }
  }
}

}  // namespace
}  // namespace a2w::test
