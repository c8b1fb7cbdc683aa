// The loopback delay finder (tools/common/loopback_analysis.h): FFT, the
// coarse normalized cross-correlation, tracking to a fraction of a frame,
// correlation after alignment and discontinuities, on the frame-coded test
// sequence delayed, scaled, resampled, cut and patched.
#include "common/loopback_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <numbers>
#include <vector>

#include "common/test_signal.h"

namespace {

using namespace a2w::host;

std::vector<double> sequence(std::size_t frames, std::uint32_t channel = 0) {
  std::vector<double> v(frames);
  for (std::size_t n = 0; n < frames; ++n) v[n] = a2w::signal::sample(n, channel);
  return v;
}

// recorded[n] = gain * played[n - delay] (silence before), `extra` frames longer.
std::vector<double> delayed(const std::vector<double>& played, std::size_t delay, double gain, std::size_t extra) {
  std::vector<double> r(played.size() + extra, 0.0);
  for (std::size_t n = 0; n < played.size() && n + delay < r.size(); ++n) r[n + delay] = gain * played[n];
  return r;
}

// Band-limited fractional delay: recorded[m] = played(m - delay(m)) by
// windowed-sinc interpolation (64 taps either side), delay(m) = d0 + slope * m.
std::vector<double> fractionallyDelayed(const std::vector<double>& played, double d0, double slope, std::size_t length) {
  std::vector<double> r(length, 0.0);
  const int half = 64;
  for (std::size_t m = 0; m < length; ++m) {
    const double t = static_cast<double>(m) - (d0 + slope * static_cast<double>(m));
    const auto base = static_cast<std::int64_t>(std::floor(t));
    double sum = 0;
    for (std::int64_t k = base - half + 1; k <= base + half; ++k) {
      if (k < 0 || k >= static_cast<std::int64_t>(played.size())) continue;
      const double x = t - static_cast<double>(k);
      const double s = std::abs(x) < 1e-12 ? 1.0 : std::sin(std::numbers::pi * 0.45 * 2 * x) / (std::numbers::pi * x);
      const double w = std::abs(x) < half ? 0.5 + 0.5 * std::cos(std::numbers::pi * x / half) : 0.0;
      sum += played[static_cast<std::size_t>(k)] * s * w;
    }
    r[m] = sum;
  }
  return r;
}

TEST(LoopbackFft, InverseOfForwardIsIdentity) {
  std::vector<std::complex<double>> a(64);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = {std::sin(0.3 * static_cast<double>(i)), static_cast<double>(i % 7)};
  auto b = a;
  fft(b, false);
  fft(b, true);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(b[i].real() / 64.0, a[i].real(), 1e-12);
    EXPECT_NEAR(b[i].imag() / 64.0, a[i].imag(), 1e-12);
  }
}

TEST(LoopbackFft, ImpulseAndToneHaveTheirKnownSpectra) {
  std::vector<std::complex<double>> impulse(16, 0.0);
  impulse[0] = 1.0;
  fft(impulse, false);
  for (const auto& v : impulse) EXPECT_NEAR(std::abs(v - std::complex<double>(1.0)), 0.0, 1e-12);
  std::vector<std::complex<double>> tone(32);
  for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = std::polar(1.0, 2.0 * std::numbers::pi * 5.0 * static_cast<double>(i) / 32.0);
  fft(tone, false);
  for (std::size_t k = 0; k < tone.size(); ++k) EXPECT_NEAR(std::abs(tone[k]), k == 5 ? 32.0 : 0.0, 1e-9) << k;
}

TEST(LoopbackLowPass, PassesTheBandAndStopsAbove) {
  const auto h = lowPassKernel(0.3, 129, 8.0);
  ASSERT_EQ(h.size(), 129u);
  auto gainAt = [&](double f) {
    std::complex<double> sum = 0;
    for (std::size_t k = 0; k < h.size(); ++k) sum += h[k] * std::polar(1.0, -2.0 * std::numbers::pi * f * static_cast<double>(k));
    return std::abs(sum);
  };
  EXPECT_NEAR(gainAt(0.0), 1.0, 1e-12);
  EXPECT_NEAR(gainAt(0.2), 1.0, 1e-3);
  EXPECT_LT(gainAt(0.4), 1e-3);
  EXPECT_LT(gainAt(0.5), 1e-3);
}

TEST(LoopbackCoarse, FindsAnIntegerDelayWithAnUnambiguousPeak) {
  const auto played = sequence(20000);
  const auto recorded = delayed(played, 1234, 0.8, 6000);
  const CoarseDelay c = findCoarseDelay(played, recorded, 2000, 8192, 5000);
  ASSERT_TRUE(c.found);
  EXPECT_EQ(c.lag, 1234);
  EXPECT_NEAR(c.peak, 1.0, 1e-9);
  EXPECT_GT(c.peakRatio, 10.0);  // white noise: the next best lag correlates by chance only
}

TEST(LoopbackCoarse, FindsNothingInUnrelatedNoise) {
  const auto played = sequence(20000, 0);
  const auto other = sequence(30000, 1);  // the other channel's codes: independent noise
  const CoarseDelay c = findCoarseDelay(played, other, 2000, 8192, 5000);
  EXPECT_FALSE(c.found);
  EXPECT_LT(c.peak, 0.1);
}

TEST(LoopbackAnalysis, IntegerDelayIsExactAndBitExactFramesAreCounted) {
  const auto played = sequence(48000);
  const auto recorded = delayed(played, 777, 1.0, 4000);
  LoopbackOptions o;
  o.maxLag = 3000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_NEAR(r.roundTripFrames, 777.0, 0.01);
  EXPECT_NEAR(r.minLagFrames, 777.0, 0.01);
  EXPECT_NEAR(r.maxLagFrames, 777.0, 0.01);
  EXPECT_GT(r.correlation, 0.99999);
  EXPECT_EQ(r.discontinuities, 0u);
  EXPECT_EQ(r.framesNotRecorded, 0u);
  EXPECT_EQ(r.exactFrames, r.framesCompared);
  EXPECT_GE(r.framesCompared, 46000u);
}

TEST(LoopbackAnalysis, ScaledCopyCorrelatesFullyButIsNotBitExact) {
  const auto played = sequence(30000);
  const auto recorded = delayed(played, 100, -0.5 * -1.0 * 0.5, 2000);  // gain 0.25
  LoopbackOptions o;
  o.maxLag = 1000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_NEAR(r.roundTripFrames, 100.0, 0.01);
  EXPECT_GT(r.correlation, 0.99999);
  EXPECT_EQ(r.exactFrames, 0u);
}

TEST(LoopbackAnalysis, FractionalDelayIsFoundToAHundredthOfAFrame) {
  const auto played = sequence(24000);
  const auto recorded = fractionallyDelayed(played, 300.37, 0.0, 26000);
  LoopbackOptions o;
  o.maxLag = 2000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_NEAR(r.roundTripFrames, 300.37, 0.01);
  EXPECT_GT(r.correlation, 0.999);  // a resampled copy: the analysis band is below the resampler's edge
  EXPECT_EQ(r.discontinuities, 0u);
}

TEST(LoopbackAnalysis, SlowDriftIsTrackedWithoutBreaks) {
  // 200 ppm: the delay grows by 4.8 frames over the run, smoothly.
  const auto played = sequence(24000);
  const auto recorded = fractionallyDelayed(played, 500.0, 2e-4, 26000);
  LoopbackOptions o;
  o.maxLag = 2000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.discontinuities, 0u);
  EXPECT_NEAR(r.firstLagFrames, 500.0 + 2e-4 * (500 + 1024), 0.05);
  EXPECT_GT(r.maxLagFrames - r.minLagFrames, 4.0);
  // The delay moves 0.4 frame within a 2048-frame block, which the one
  // delay per block cannot follow: the correlation pays for it.
  EXPECT_GT(r.correlation, 0.99);
}

TEST(LoopbackAnalysis, DriftOfTwentyPpmStillCorrelatesAbove0999) {
  // What a drift controller trims in practice: a few ppm to tens of ppm.
  const auto played = sequence(24000);
  const auto recorded = fractionallyDelayed(played, 333.3, 2e-5, 26000);
  LoopbackOptions o;
  o.maxLag = 2000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.discontinuities, 0u);
  EXPECT_GT(r.correlation, 0.999);
}

TEST(LoopbackAnalysis, DroppedFramesAreOneDiscontinuity) {
  const auto played = sequence(40000);
  auto recorded = delayed(played, 900, 1.0, 4000);
  recorded.erase(recorded.begin() + 20000, recorded.begin() + 20480);  // a lost packet
  LoopbackOptions o;
  o.maxLag = 3000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.discontinuities, 1u);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_NEAR(r.events[0].lagBefore, 900.0, 0.01);
  EXPECT_NEAR(r.events[0].lagAfter, 420.0, 0.01);
  EXPECT_NEAR(static_cast<double>(r.events[0].playedFrame), 20000.0 - 900.0, 2048.0);
  EXPECT_LT(r.correlation, 0.99);
}

TEST(LoopbackAnalysis, RepeatedFramesAreOneDiscontinuity) {
  const auto played = sequence(40000);
  auto recorded = delayed(played, 900, 1.0, 4000);
  std::vector<double> again(recorded.begin() + 15000, recorded.begin() + 15480);
  recorded.insert(recorded.begin() + 15480, again.begin(), again.end());
  LoopbackOptions o;
  o.maxLag = 3000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.discontinuities, 1u);
  ASSERT_FALSE(r.events.empty());
  EXPECT_NEAR(r.events[0].lagAfter, 1380.0, 0.01);
}

TEST(LoopbackAnalysis, OneFrameSlipIsFound) {
  const auto played = sequence(40000);
  auto recorded = delayed(played, 900, 1.0, 4000);
  recorded.erase(recorded.begin() + 20001);
  LoopbackOptions o;
  o.maxLag = 3000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.discontinuities, 1u);
}

TEST(LoopbackAnalysis, SilenceInsideTheSignalIsOneDiscontinuity) {
  const auto played = sequence(40000);
  auto recorded = delayed(played, 600, 1.0, 4000);
  for (std::size_t i = 25000; i < 25480; ++i) recorded[i] = 0.0;
  LoopbackOptions o;
  o.maxLag = 3000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.discontinuities, 1u);
  EXPECT_NEAR(r.roundTripFrames, 600.0, 0.01);
}

TEST(LoopbackAnalysis, ARecordingCutShortCountsTheFramesNotRecorded) {
  const auto played = sequence(30000);
  auto recorded = delayed(played, 700, 1.0, 0);
  recorded.resize(20000);
  LoopbackOptions o;
  o.maxLag = 3000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_GT(r.framesNotRecorded, 10000u);
  EXPECT_EQ(r.discontinuities, 0u);
}

TEST(LoopbackAnalysis, NotFoundWhenTheRecordingIsSilent) {
  const auto played = sequence(30000);
  const std::vector<double> recorded(34000, 0.0);
  const LoopbackResult r = analyzeLoopback(played, recorded);
  EXPECT_FALSE(r.found);
}

TEST(LoopbackAnalysis, EveryBreakIsAnEventPastTwenty) {
  // 30 lost packets, 4 blocks apart: glitch matching needs every one of them.
  const auto played = sequence(30 * 8192 + 20000);
  auto recorded = delayed(played, 900, 1.0, 30000);
  for (std::size_t k = 30; k-- > 0;) {
    const std::size_t at = 10000 + k * 8192;
    for (std::size_t i = at; i < at + 480; ++i) recorded[i] = 0.0;
  }
  LoopbackOptions o;
  o.maxLag = 3000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.discontinuities, 30u);
  ASSERT_EQ(r.events.size(), 30u);
  EXPECT_NEAR(static_cast<double>(r.events[29].playedFrame), 10000.0 + 29 * 8192 - 900, 2048.0);
}

TEST(LoopbackAnalysis, CorrelationOutsideBreaksIgnoresWhatTheBreaksCost) {
  const auto played = sequence(40000);
  auto recorded = delayed(played, 600, 1.0, 4000);
  for (std::size_t i = 25000; i < 25480; ++i) recorded[i] = 0.0;
  LoopbackOptions o;
  o.maxLag = 3000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.discontinuities, 1u);
  EXPECT_LT(r.correlation, 0.999);
  EXPECT_GT(r.correlationOutsideBreaks, 0.99999);
  EXPECT_EQ(r.goodBlocks.size() + r.brokenBlocks, r.blocks);
}

TEST(LoopbackAnalysis, MedianDelayFromAFrameIsTheLoopAfterADelayStep) {
  // The delay steps from 900 to 1380 (frames repeated) at recorded frame
  // 45480, three quarters into the run: the run's median stays 900.
  const auto played = sequence(60000);
  auto recorded = delayed(played, 900, 1.0, 4000);
  std::vector<double> again(recorded.begin() + 45000, recorded.begin() + 45480);
  recorded.insert(recorded.begin() + 45480, again.begin(), again.end());
  LoopbackOptions o;
  o.maxLag = 3000;
  const LoopbackResult r = analyzeLoopback(played, recorded, o);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.discontinuities, 1u);
  EXPECT_NEAR(r.roundTripFrames, 900.0, 0.01);
  EXPECT_NEAR(*medianDelayFrom(r, 0), r.roundTripFrames, 1e-9);
  EXPECT_NEAR(*medianDelayFrom(r, 48000), 1380.0, 0.01);
  EXPECT_FALSE(medianDelayFrom(r, 1000000).has_value());
}

}  // namespace
