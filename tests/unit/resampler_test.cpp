// The resampler's measured quality (the figures in docs/RESAMPLER.md come
// from the "[resampler]" lines these tests print):
//  - passband: sines up to 0.45 x the lower rate keep their level within
//    0.1 dB (least-squares sine fit at the known frequency);
//  - stopband: the stopband is every input frequency from 0.55 x the lower
//    rate up to the input Nyquist frequency. When downsampling those are the
//    frequencies that would alias into the passband [0, 0.45 fs_out] (the
//    band 0.45..0.55 fs_out is the transition band; what aliases from it
//    lands above 0.45 fs_out). A sine there must come out >= 100 dB down (all
//    output power counted, in steady state);
//  - images: when upsampling, a passband sine's images (at k fs_in +- f,
//    the first at fs_in - f >= 0.55 fs_in) must be >= 100 dB below it; we
//    count everything that is left after fitting and removing the sine;
//  - THD+N of a 1 kHz sine under a drifting ratio (a +-200 ppm sweep fed the
//    way a FIFO controller would, a new target every 64 frames) below -100
//    dB, measured two ways: (1) an FFT analyser: 7-term Blackman-Harris
//    window, everything outside +-12 bins (+-35 Hz) of 1 kHz is distortion +
//    noise; (2) a least-squares sine fit at the exact input time of each
//    output frame (nextOutputInputTime), so any error in where the output
//    lands in time counts as well;
//  - DC gain 1 within 1e-4 dB, output length, chunking, channels, ratio steps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "core/resampler.h"
#include "signal_measure.h"

namespace a2w {
namespace {

using test::fitSine;
using test::fitSineAt;

void report(const std::string& key, double value) {
  ::testing::Test::RecordProperty(key, std::to_string(value));
  std::printf("[resampler] %-48s %12.6g\n", key.c_str(), value);
}

std::string rateName(double inRate, double outRate) {
  char text[64];
  std::snprintf(text, sizeof text, "%gk->%gk", inRate / 1000.0, outRate / 1000.0);
  return text;
}

// A multi-channel input signal defined per frame index, in double.
using Generator = double (*)(int channel, long long frame, const void* context);

struct Sines {
  std::vector<double> cyclesPerFrame;  // one per channel
  double amplitude = 0.5;
};

double sineGenerator(int channel, long long frame, const void* context) {
  const auto* s = static_cast<const Sines*>(context);
  const double phase = s->cyclesPerFrame[static_cast<std::size_t>(channel)] * static_cast<double>(frame);
  return s->amplitude * std::sin(2.0 * std::numbers::pi * (phase - std::floor(phase)));
}

// Feeds a resampler from a generator: each call produces exactly `frames`
// output frames, giving it exactly the input it says it needs.
class Feeder {
 public:
  Feeder(Resampler& rs, Generator gen, const void* context)
      : rs_(rs), gen_(gen), context_(context), in_(static_cast<std::size_t>(rs.channels())),
        out_(static_cast<std::size_t>(rs.channels())) {}

  // Appends `frames` output frames per channel to `result`.
  void run(int frames, std::vector<std::vector<double>>& result) {
    const int needed = rs_.inputFramesNeeded(frames);
    std::vector<const float*> inPtr;
    std::vector<float*> outPtr;
    for (int c = 0; c < rs_.channels(); ++c) {
      auto& in = in_[static_cast<std::size_t>(c)];
      in.resize(static_cast<std::size_t>(needed));
      for (int i = 0; i < needed; ++i) in[static_cast<std::size_t>(i)] = static_cast<float>(gen_(c, next_ + i, context_));
      out_[static_cast<std::size_t>(c)].assign(static_cast<std::size_t>(frames), 0.0f);
      inPtr.push_back(in.data());
      outPtr.push_back(out_[static_cast<std::size_t>(c)].data());
    }
    const Resampler::Result r = rs_.process(inPtr.data(), needed, outPtr.data(), frames);
    ASSERT_EQ(r.inputFramesConsumed, needed);
    ASSERT_EQ(r.outputFramesProduced, frames);
    next_ += needed;
    result.resize(static_cast<std::size_t>(rs_.channels()));
    for (int c = 0; c < rs_.channels(); ++c) {
      for (float v : out_[static_cast<std::size_t>(c)]) result[static_cast<std::size_t>(c)].push_back(v);
    }
  }

 private:
  Resampler& rs_;
  Generator gen_;
  const void* context_;
  long long next_ = 0;
  std::vector<std::vector<float>> in_, out_;
};

// Output frames to drop before measuring: the start-up transient lasts one
// kernel length.
int transientFrames(const Resampler& rs) {
  return static_cast<int>(std::ceil(rs.taps() / rs.nominalRatio())) + 16;
}

std::vector<double> tail(const std::vector<double>& y, int skip) {
  return std::vector<double>(y.begin() + skip, y.end());
}

// Resamples one sine per channel at the given input frequencies (Hz) and
// returns the steady-state outputs, `frames` long.
std::vector<std::vector<double>> resampleSines(double inRate, double outRate, const std::vector<double>& hz,
                                               int frames, Resampler::Quality quality = {}) {
  Resampler rs(static_cast<int>(hz.size()), inRate, outRate, quality);
  Sines sines;
  for (double f : hz) sines.cyclesPerFrame.push_back(f / inRate);
  Feeder feeder(rs, sineGenerator, &sines);
  std::vector<std::vector<double>> out;
  const int skip = transientFrames(rs);
  feeder.run(skip + frames, out);
  for (auto& y : out) y = tail(y, skip);
  return out;
}

struct RatePair {
  double in;
  double out;
};

class ResamplerRates : public testing::TestWithParam<RatePair> {};

TEST_P(ResamplerRates, PassbandFlatWithin0p1DbTo0p45OfTheLowerRate) {
  const auto [inRate, outRate] = GetParam();
  const double low = std::min(inRate, outRate);
  const std::vector<double> fractions = {20.0 / low, 0.01, 0.05, 0.1, 0.2, 0.3, 0.35, 0.4, 0.43, 0.45};
  std::vector<double> hz;
  for (double f : fractions) hz.push_back(f * low);
  const double amplitude = 0.5;
  const auto out = resampleSines(inRate, outRate, hz, 4096);
  double worst = 0;
  for (std::size_t c = 0; c < hz.size(); ++c) {
    const double gainDb = test::toDb(fitSineAt(out[c], hz[c] / outRate).amplitude / amplitude);
    EXPECT_LE(std::fabs(gainDb), 0.1) << hz[c] << " Hz";
    worst = std::max(worst, std::fabs(gainDb));
  }
  report("passband max deviation dB " + rateName(inRate, outRate), worst);
}

TEST_P(ResamplerRates, StopbandAndImagesAtLeast100DbDown) {
  const auto [inRate, outRate] = GetParam();
  const double low = std::min(inRate, outRate);
  double worstDb = -1000;
  if (outRate < inRate) {
    // Downsampling: sines from 0.55 fs_low up to (almost) the input Nyquist
    // frequency; whatever comes out is alias.
    std::vector<double> hz;
    const double top = 0.499 * inRate;
    if (0.55 * low >= top) {
      // 48k -> 44.1k: nothing below the input Nyquist frequency (24 kHz)
      // aliases into the passband; 22.05..24 kHz is transition band and
      // folds to 20.1..22.05 kHz. Reported, not a stopband requirement.
      const double amplitude = 0.5;
      const auto out = resampleSines(inRate, outRate, {top}, 4096);
      const double db = test::toDb(test::rms(out[0]) / (amplitude / std::sqrt(2.0)));
      EXPECT_LE(db, -60.0);
      report("no stopband; alias of 0.499 fs_in dB " + rateName(inRate, outRate), db);
      return;
    }
    // The edge (where the response is worst) densely, then the rest.
    for (const double f : {0.55, 0.552, 0.555, 0.56}) hz.push_back(f * low);
    for (int i = 1; i <= 6; ++i) hz.push_back(0.56 * low + (top - 0.56 * low) * i / 6.0);
    const double amplitude = 0.5;
    const auto out = resampleSines(inRate, outRate, hz, 4096);
    for (std::size_t c = 0; c < hz.size(); ++c) {
      const double db = test::toDb(test::rms(out[c]) / (amplitude / std::sqrt(2.0)));
      EXPECT_LE(db, -100.0) << hz[c] << " Hz";
      worstDb = std::max(worstDb, db);
    }
    report("stopband worst level dB " + rateName(inRate, outRate), worstDb);
  } else {
    // Upsampling (or 1:1): passband sines; what is left after removing the
    // sine is images plus everything else.
    const std::vector<double> fractions = {0.01, 0.1, 0.25, 0.4, 0.43, 0.44, 0.445, 0.45};
    std::vector<double> hz;
    for (double f : fractions) hz.push_back(f * low);
    const auto out = resampleSines(inRate, outRate, hz, 4096);
    for (std::size_t c = 0; c < hz.size(); ++c) {
      const double db = fitSineAt(out[c], hz[c] / outRate).residualDb();
      EXPECT_LE(db, -100.0) << hz[c] << " Hz";
      worstDb = std::max(worstDb, db);
    }
    report("images+noise worst level dB " + rateName(inRate, outRate), worstDb);
  }
}

TEST_P(ResamplerRates, DcGainIsOneWithin1e4Db) {
  const auto [inRate, outRate] = GetParam();
  Resampler rs(1, inRate, outRate);
  Feeder feeder(rs, [](int, long long, const void*) { return 0.75; }, nullptr);
  std::vector<std::vector<double>> y;
  const int skip = transientFrames(rs);
  feeder.run(skip + 4096, y);
  double worst = 0;
  for (std::size_t i = static_cast<std::size_t>(skip); i < y[0].size(); ++i) {
    worst = std::max(worst, std::fabs(test::toDb(y[0][i] / 0.75)));
  }
  EXPECT_LE(worst, 1e-4);
  report("DC gain max deviation dB " + rateName(inRate, outRate), worst);
}

INSTANTIATE_TEST_SUITE_P(Pairs, ResamplerRates,
                         testing::Values(RatePair{44100, 48000}, RatePair{48000, 44100}, RatePair{48000, 96000},
                                         RatePair{96000, 48000}, RatePair{44100, 192000}, RatePair{192000, 44100}),
                         [](const testing::TestParamInfo<RatePair>& info) {
                           return std::to_string(static_cast<int>(info.param.in)) + "to" +
                                  std::to_string(static_cast<int>(info.param.out));
                         });

// A controller's view of the drift: every 64 output frames a new target on a
// +-200 ppm sine sweep with a period of `sweepSeconds`.
double sweepAdjust(long long outFrame, double outRate, double sweepSeconds) {
  return 1.0 + 200e-6 * std::sin(2.0 * std::numbers::pi * static_cast<double>(outFrame) / (outRate * sweepSeconds));
}

// Runs a 1 kHz sine through a drifting ratio one output frame at a time,
// recording the input time of each output frame.
void runDrift(double inRate, double outRate, int frames, std::vector<double>& y, std::vector<double>& inputTime) {
  Resampler rs(1, inRate, outRate);
  Sines sines{{1000.0 / inRate}, 0.5};
  Feeder feeder(rs, sineGenerator, &sines);
  std::vector<std::vector<double>> out;
  for (int m = 0; m < frames; ++m) {
    if (m % 64 == 0) rs.setRatioAdjust(sweepAdjust(m, outRate, 0.25));
    inputTime.push_back(rs.nextOutputInputTime() - rs.groupDelayInputFrames());
    feeder.run(1, out);
  }
  y = out[0];
}

TEST(Resampler, DriftingRatioKeepsThdPlusNoiseBelowMinus100Db) {
  for (const RatePair rates : {RatePair{48000, 48000}, RatePair{44100, 48000}}) {
    const int measured = 16384;
    std::vector<double> y, inputTime;
    runDrift(rates.in, rates.out, 256 + measured, y, inputTime);
    // The adjust really swept: the input time ran ahead of and behind the
    // nominal ratio.
    const std::vector<double> steady = tail(y, 256);
    // (1) FFT analyser, 16384 points (2.9 Hz bins). The output frequency
    // moves by 1000 * 200e-6 = 0.2 Hz at a 4 Hz rate: its FM sidebands die
    // out within ~12 Hz; the window's main lobe is +-7 bins: notch +-12 bins.
    const test::ThdN fftThdN = test::thdPlusNoise(steady, 1000.0 / rates.out, 12);
    EXPECT_LE(fftThdN.db, -100.0);
    // (2) Fit at the exact input time of each frame.
    std::vector<double> theta;
    for (std::size_t i = 256; i < inputTime.size(); ++i) theta.push_back(2.0 * std::numbers::pi * 1000.0 / rates.in * inputTime[i]);
    const test::SineFit fit = fitSine(steady, theta);
    EXPECT_LE(fit.residualDb(), -100.0);
    EXPECT_NEAR(fit.amplitude, 0.5, 0.5 * 1e-4);
    report("drift THD+N (FFT) dB " + rateName(rates.in, rates.out), fftThdN.db);
    report("drift THD+N (time fit) dB " + rateName(rates.in, rates.out), fit.residualDb());
  }
}

TEST(Resampler, DriftActuallyMovesTheInputTime) {
  // The sweep above is not a no-op: over half of the 0.25 s sweep, +200 ppm
  // moves the input time ahead of the nominal one by up to
  // 48000 * 200e-6 * 0.25 / pi * 2 = 0.76 frames (a little less: the ramps lag).
  std::vector<double> y, inputTime;
  runDrift(48000, 48000, 7000, y, inputTime);
  double maxDeviation = 0;
  for (std::size_t m = 0; m < inputTime.size(); ++m) {
    maxDeviation = std::max(maxDeviation, std::fabs(inputTime[m] - inputTime[0] - static_cast<double>(m)));
  }
  EXPECT_GT(maxDeviation, 0.6);
  EXPECT_LT(maxDeviation, 0.8);
  report("drift sweep max time deviation input frames", maxDeviation);
}

TEST(Resampler, RatioStepHasNoDiscontinuity) {
  // Abrupt target changes (500 ppm, then back, then -1000 ppm): the ramp
  // keeps the output a clean sine at the input times the resampler reports,
  // and no sample-to-sample step exceeds what a 1 kHz sine allows.
  Resampler rs(1, 48000, 48000);
  Sines sines{{1000.0 / 48000}, 0.5};
  Feeder feeder(rs, sineGenerator, &sines);
  std::vector<std::vector<double>> out;
  std::vector<double> theta;
  for (int m = 0; m < 12000; ++m) {
    if (m == 3000) rs.setRatioAdjust(1.0005);
    if (m == 6000) rs.setRatioAdjust(1.0);
    if (m == 8000) rs.setRatioAdjust(0.999);
    theta.push_back(2.0 * std::numbers::pi * 1000.0 / 48000 * (rs.nextOutputInputTime() - rs.groupDelayInputFrames()));
    feeder.run(1, out);
  }
  const std::vector<double>& y = out[0];
  const double w = 2.0 * std::numbers::pi * 1000.0 / 48000 * 1.001;
  double worstSecondDifference = 0;
  for (std::size_t i = 300; i + 1 < y.size(); ++i) {
    worstSecondDifference = std::max(worstSecondDifference, std::fabs(y[i + 1] - 2 * y[i] + y[i - 1]));
  }
  // |d2/dn2 A sin(w n)| <= A w^2 (plus float rounding).
  EXPECT_LE(worstSecondDifference, 0.5 * w * w * 1.001 + 1e-6);
  const test::SineFit fit = fitSine(tail(y, 300), std::vector<double>(theta.begin() + 300, theta.end()));
  EXPECT_LE(fit.residualDb(), -100.0);
  report("ratio steps THD+N (time fit) dB", fit.residualDb());
}

TEST(Resampler, OutputLengthFollowsTheRatio) {
  for (const RatePair rates : {RatePair{44100, 48000}, RatePair{48000, 44100}, RatePair{96000, 44100}}) {
    for (const double adjust : {1.0, 1.0002, 0.9997}) {
      Resampler rs(1, rates.in, rates.out);
      rs.setRatioAdjust(adjust);
      rs.reset();  // jump straight to the adjust
      std::vector<float> in(4096, 0.25f), out(8192);
      const float* inPtr[] = {in.data()};
      float* outPtr[] = {out.data()};
      long long totalIn = 0, totalOut = 0;
      std::mt19937 rng(7);
      while (totalIn < 20000) {
        const int chunk = 1 + static_cast<int>(rng() % 4096);
        const auto r = rs.process(inPtr, chunk, outPtr, 8192);
        ASSERT_EQ(r.inputFramesConsumed, chunk);
        totalIn += chunk;
        totalOut += r.outputFramesProduced;
      }
      const double expected = static_cast<double>(totalIn) / (rs.nominalRatio() * adjust);
      EXPECT_LE(std::fabs(static_cast<double>(totalOut) - expected), 1.0)
          << rateName(rates.in, rates.out) << " adjust " << adjust;
      // Over a long horizon too (the counting alone, no filtering).
      const int more = 500000;
      const double expectedMore = static_cast<double>(totalIn + more) / (rs.nominalRatio() * adjust);
      EXPECT_LE(std::fabs(static_cast<double>(totalOut + rs.outputFramesAvailable(more)) - expectedMore), 1.0);
    }
  }
}

TEST(Resampler, InputFramesNeededAndOutputFramesAvailableAreExact) {
  Resampler rs(2, 44100, 48000);
  std::vector<float> in(8192, 0.1f), out(8192);
  const float* inPtr[] = {in.data(), in.data()};
  float* outPtr[] = {out.data(), out.data() + 4096};
  std::mt19937 rng(3);
  for (int i = 0; i < 100; ++i) {
    if (i % 7 == 0) rs.setRatioAdjust(1.0 + (static_cast<int>(rng() % 801) - 400) * 1e-6);
    const int want = static_cast<int>(rng() % 700);
    const int needed = rs.inputFramesNeeded(want);
    // Offer more than needed: it takes only what it needs.
    auto r = rs.process(inPtr, needed + 50, outPtr, want);
    ASSERT_EQ(r.outputFramesProduced, want);
    ASSERT_EQ(r.inputFramesConsumed, needed);
    const int give = static_cast<int>(rng() % 700);
    const int available = rs.outputFramesAvailable(give);
    r = rs.process(inPtr, give, outPtr, 4096);
    ASSERT_EQ(r.inputFramesConsumed, give);
    ASSERT_EQ(r.outputFramesProduced, available);
  }
}

// Input (noise) fed in random chunk sizes with random output space gives the
// same output, bit for bit, as one big call, ratio changes included (they are
// issued before the same output frames in both runs).
TEST(Resampler, ChunkedProcessingMatchesOneBlock) {
  for (const RatePair rates : {RatePair{44100, 48000}, RatePair{96000, 44100}}) {
    const int channels = 2;
    const int inFrames = 15000;
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
    std::vector<std::vector<float>> in(channels, std::vector<float>(inFrames));
    for (auto& ch : in) {
      for (float& v : ch) v = noise(rng);
    }
    const std::vector<int> changesAt = {1000, 2500, 6000, 9000};
    const std::vector<double> changeTo = {1.0003, 0.9998, 1.0, 1.0001};
    const int outCapacity = 40000;

    auto run = [&](bool chunked) {
      Resampler rs(channels, rates.in, rates.out);
      std::vector<std::vector<float>> out(channels, std::vector<float>(outCapacity));
      int consumed = 0, produced = 0;
      std::size_t nextChange = 0;
      std::mt19937 chunks(5);
      while (consumed < inFrames) {
        if (nextChange < changesAt.size() && produced == changesAt[nextChange]) {
          rs.setRatioAdjust(changeTo[nextChange++]);
        }
        int inChunk = inFrames - consumed;
        int outChunk = outCapacity - produced;
        if (chunked) {
          inChunk = std::min(inChunk, static_cast<int>(chunks() % 700));
          outChunk = std::min(outChunk, static_cast<int>(chunks() % 700));
        }
        if (nextChange < changesAt.size()) outChunk = std::min(outChunk, changesAt[nextChange] - produced);
        const float* inPtr[channels];
        float* outPtr[channels];
        for (int c = 0; c < channels; ++c) {
          inPtr[c] = in[static_cast<std::size_t>(c)].data() + consumed;
          outPtr[c] = out[static_cast<std::size_t>(c)].data() + produced;
        }
        const auto r = rs.process(inPtr, inChunk, outPtr, outChunk);
        consumed += r.inputFramesConsumed;
        produced += r.outputFramesProduced;
      }
      for (auto& ch : out) ch.resize(static_cast<std::size_t>(produced));
      return out;
    };
    const auto whole = run(false);
    const auto pieces = run(true);
    ASSERT_EQ(whole[0].size(), pieces[0].size());
    EXPECT_GT(static_cast<double>(whole[0].size()), 0.99 * inFrames * rates.out / rates.in);
    for (int c = 0; c < channels; ++c) {
      EXPECT_EQ(0, std::memcmp(whole[static_cast<std::size_t>(c)].data(), pieces[static_cast<std::size_t>(c)].data(),
                               whole[0].size() * sizeof(float)))
          << rateName(rates.in, rates.out) << " channel " << c;
    }
  }
}

TEST(Resampler, ChannelsAreIndependent) {
  // Channel 0 a sine, channel 1 silence, channel 2 noise: channel 1 stays
  // exactly silent and channel 0 matches a mono resampler bit for bit.
  const int frames = 5000;
  std::vector<float> sine(frames), silence(frames, 0.0f), noise(frames);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (int i = 0; i < frames; ++i) {
    sine[static_cast<std::size_t>(i)] = static_cast<float>(0.5 * std::sin(0.05 * i));
    noise[static_cast<std::size_t>(i)] = dist(rng);
  }
  Resampler multi(3, 48000, 44100), mono(1, 48000, 44100);
  multi.setRatioAdjust(1.0001);
  mono.setRatioAdjust(1.0001);
  std::vector<float> o0(frames), o1(frames, 1.0f), o2(frames), m0(frames);
  const float* inMulti[] = {sine.data(), silence.data(), noise.data()};
  float* outMulti[] = {o0.data(), o1.data(), o2.data()};
  const float* inMono[] = {sine.data()};
  float* outMono[] = {m0.data()};
  const auto a = multi.process(inMulti, frames, outMulti, frames);
  const auto b = mono.process(inMono, frames, outMono, frames);
  ASSERT_EQ(a.outputFramesProduced, b.outputFramesProduced);
  const auto n = static_cast<std::size_t>(a.outputFramesProduced);
  EXPECT_EQ(0, std::memcmp(o0.data(), m0.data(), n * sizeof(float)));
  EXPECT_TRUE(std::all_of(o1.begin(), o1.begin() + static_cast<long>(n), [](float v) { return v == 0.0f; }));
}

TEST(Resampler, GroupDelayMatchesTheSignal) {
  // The output is the input delayed by groupDelayInputFrames(): compare a
  // 3 kHz sine with the sine evaluated at the input time of each output
  // frame, m * ratio - delay.
  Resampler rs(1, 44100, 48000);
  Sines sines{{3000.0 / 44100}, 0.5};
  Feeder feeder(rs, sineGenerator, &sines);
  std::vector<std::vector<double>> out;
  feeder.run(4000, out);
  double worst = 0;
  for (int m = 500; m < 4000; ++m) {
    const double t = m * rs.nominalRatio() - rs.groupDelayInputFrames();
    const double expected = 0.5 * std::sin(2.0 * std::numbers::pi * 3000.0 / 44100 * t);
    worst = std::max(worst, std::fabs(out[0][static_cast<std::size_t>(m)] - expected));
  }
  EXPECT_LT(worst, 0.5 * 1e-5);
  report("group delay input frames 44.1k->48k", rs.groupDelayInputFrames());
}

TEST(Resampler, ResetRestartsTheStream) {
  Resampler rs(1, 48000, 96000);
  std::vector<float> in(1000), a(3000), b(3000);
  for (int i = 0; i < 1000; ++i) in[static_cast<std::size_t>(i)] = static_cast<float>(std::sin(0.1 * i));
  const float* inPtr[] = {in.data()};
  float* aPtr[] = {a.data()};
  float* bPtr[] = {b.data()};
  const auto r1 = rs.process(inPtr, 1000, aPtr, 3000);
  rs.reset();
  const auto r2 = rs.process(inPtr, 1000, bPtr, 3000);
  ASSERT_EQ(r1.outputFramesProduced, r2.outputFramesProduced);
  EXPECT_EQ(0, std::memcmp(a.data(), b.data(), static_cast<std::size_t>(r1.outputFramesProduced) * sizeof(float)));
}

TEST(Resampler, RatioAdjustIsClampedAndRamped) {
  Resampler rs(1, 48000, 48000);
  EXPECT_DOUBLE_EQ(rs.ratio(), 1.0);
  rs.setRatioAdjust(1.5);
  EXPECT_DOUBLE_EQ(rs.ratioAdjustTarget(), 1.0 + Resampler::kMaxRatioAdjust);
  EXPECT_DOUBLE_EQ(rs.ratioAdjust(), 1.0);  // not yet: it ramps with the output
  std::vector<float> in(2000, 0.0f), out(2000);
  const float* inPtr[] = {in.data()};
  float* outPtr[] = {out.data()};
  rs.process(inPtr, rs.inputFramesNeeded(rs.ratioRampFrames() / 2), outPtr, rs.ratioRampFrames() / 2);
  EXPECT_GT(rs.ratioAdjust(), 1.004);
  EXPECT_LT(rs.ratioAdjust(), 1.006);
  rs.process(inPtr, rs.inputFramesNeeded(rs.ratioRampFrames()), outPtr, rs.ratioRampFrames());
  EXPECT_DOUBLE_EQ(rs.ratioAdjust(), 1.01);
  EXPECT_DOUBLE_EQ(rs.ratio(), 1.01);
  rs.setRatioAdjust(std::nan(""));
  EXPECT_DOUBLE_EQ(rs.ratioAdjustTarget(), 1.01);
  rs.setRatioAdjust(0.5);
  EXPECT_DOUBLE_EQ(rs.ratioAdjustTarget(), 1.0 - Resampler::kMaxRatioAdjust);
  // Repeating the target does not restart (and so slow down) the ramp.
  rs.process(inPtr, rs.inputFramesNeeded(rs.ratioRampFrames() / 2), outPtr, rs.ratioRampFrames() / 2);
  rs.setRatioAdjust(0.5);
  rs.process(inPtr, rs.inputFramesNeeded(rs.ratioRampFrames() / 2 + 1), outPtr, rs.ratioRampFrames() / 2 + 1);
  EXPECT_DOUBLE_EQ(rs.ratioAdjust(), 0.99);
}

}  // namespace
}  // namespace a2w
