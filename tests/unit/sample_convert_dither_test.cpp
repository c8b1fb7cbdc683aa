// TPDF dither: the noise source itself, and its use by hostToDevice (applied
// only when narrowing to an integer device format, bounded, unbiased and
// deterministic for a seed).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/sample_convert.h"
#include "sample_convert_test_oracle.h"

namespace a2w {
namespace {

using asio::SampleType;

// --- The noise source ------------------------------------------------------------

TEST(TpdfDitherTest, TriangularOverOpenUnitIntervalWithZeroMean) {
  TpdfDither dither(12345);
  constexpr int kDraws = 200000;
  double sum = 0, sumSquares = 0;
  int inner = 0;  // |n| < 0.5: 3/4 of a triangular distribution on (-1, 1)
  double lo = 0, hi = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double n = dither.next();
    ASSERT_GT(n, -1.0);
    ASSERT_LT(n, 1.0);
    sum += n;
    sumSquares += n * n;
    inner += std::fabs(n) < 0.5 ? 1 : 0;
    lo = std::min(lo, n);
    hi = std::max(hi, n);
  }
  EXPECT_NEAR(sum / kDraws, 0.0, 0.005);
  EXPECT_NEAR(sumSquares / kDraws, 1.0 / 6.0, 0.005);  // uniform would be 1/3
  EXPECT_NEAR(static_cast<double>(inner) / kDraws, 0.75, 0.01);
  EXPECT_LT(lo, -0.95);  // the whole range is used
  EXPECT_GT(hi, 0.95);
}

TEST(TpdfDitherTest, SameSeedSameSequenceOtherSeedOtherSequence) {
  TpdfDither a(42), b(42), c(43);
  int differences = 0;
  for (int i = 0; i < 100; ++i) {
    const double x = a.next();
    EXPECT_EQ(x, b.next());
    differences += x != c.next() ? 1 : 0;
  }
  EXPECT_GT(differences, 90);
}

TEST(TpdfDitherTest, ZeroSeedStillProducesNoise) {
  TpdfDither dither(0);  // 0 is a fixed point of xorshift: must be replaced
  int nonZero = 0;
  for (int i = 0; i < 100; ++i) nonZero += dither.next() != 0.0 ? 1 : 0;
  EXPECT_GT(nonZero, 90);
}

// --- Dither in hostToDevice --------------------------------------------------------

std::vector<float> randomFloats(int count, std::uint32_t seed) {
  std::vector<float> v;
  std::uint32_t s = seed;
  for (int i = 0; i < count; ++i) {
    s = s * 1664525u + 1013904223u;
    v.push_back(static_cast<float>(static_cast<double>(s >> 8) / 16777216.0 * 1.8 - 0.9));
  }
  return v;
}

template <class T>
std::vector<std::int16_t> playToInt16(SampleType hostType, const std::vector<T>& host, TpdfDither* dither) {
  std::vector<std::int16_t> out(host.size());
  const void* sources[] = {host.data()};
  hostToDevice(hostType, sources, DeviceSampleFormat::Int16, out.data(), 1, static_cast<int>(host.size()), dither);
  return out;
}

TEST(SampleConvertDither, Float32ToInt16DiffersButStaysWithinOneLsb) {
  const std::vector<float> host = randomFloats(48000, 1);
  const std::vector<std::int16_t> plain = playToInt16(SampleType::Float32LSB, host, nullptr);
  TpdfDither dither(99);
  const std::vector<std::int16_t> dithered = playToInt16(SampleType::Float32LSB, host, &dither);
  int changed = 0;
  for (std::size_t i = 0; i < host.size(); ++i) {
    const int d = dithered[i] - plain[i];
    ASSERT_LE(std::abs(d), 1) << "sample " << i << " value " << host[i];
    changed += d != 0 ? 1 : 0;
  }
  // A triangular +-1 LSB noise moves the rounded result about 1/3 of the time.
  EXPECT_GT(changed, 48000 / 5);
  EXPECT_LT(changed, 48000 / 2);
}

TEST(SampleConvertDither, MeanErrorIsZeroSoSubLsbLevelsSurvive) {
  // 100.3 LSB held constant: rounding alone always gives 100; with TPDF dither
  // the average output is 100.3 (the error is decorrelated from the signal).
  const float level = static_cast<float>(100.3 / 32768.0);
  const std::vector<float> host(100000, level);
  const std::vector<std::int16_t> plain = playToInt16(SampleType::Float32LSB, host, nullptr);
  EXPECT_EQ(plain.front(), 100);
  TpdfDither dither(5);
  const std::vector<std::int16_t> dithered = playToInt16(SampleType::Float32LSB, host, &dither);
  double sum = 0;
  for (std::int16_t v : dithered) {
    ASSERT_GE(v, 99);
    ASSERT_LE(v, 101);
    sum += v;
  }
  EXPECT_NEAR(sum / static_cast<double>(dithered.size()) - static_cast<double>(level) * 32768.0, 0.0, 0.01);
}

TEST(SampleConvertDither, IntegerNarrowingIsDitheredToo) {
  // int24 -> int16: 100 LSB + 77/256 LSB.
  const std::int32_t value = 100 * 256 + 77;
  const std::vector<unsigned char> host24 = [&] {
    std::vector<unsigned char> b;
    for (int i = 0; i < 100000; ++i) {
      b.push_back(static_cast<unsigned char>(value));
      b.push_back(static_cast<unsigned char>(value >> 8));
      b.push_back(0);
    }
    return b;
  }();
  std::vector<std::int16_t> out(100000);
  const void* sources[] = {host24.data()};
  TpdfDither dither(17);
  hostToDevice(SampleType::Int24LSB, sources, DeviceSampleFormat::Int16, out.data(), 1, 100000, &dither);
  double sum = 0;
  for (std::int16_t v : out) sum += v;
  EXPECT_NEAR(sum / 100000.0, value / 256.0, 0.01);

  // Float64 -> int32 also narrows (53 > 32 bits): the result moves by at most 1.
  const std::vector<double> host64 = {0.1, -0.3, 0.77, 1e-9, -0.5};
  std::vector<std::int32_t> plain(host64.size()), dithered(host64.size());
  const void* sources64[] = {host64.data()};
  hostToDevice(SampleType::Float64LSB, sources64, DeviceSampleFormat::Int32, plain.data(), 1, 5, nullptr);
  hostToDevice(SampleType::Float64LSB, sources64, DeviceSampleFormat::Int32, dithered.data(), 1, 5, &dither);
  for (std::size_t i = 0; i < plain.size(); ++i) {
    EXPECT_LE(std::llabs(std::int64_t{dithered[i]} - plain[i]), 1) << i;
  }
}

TEST(SampleConvertDither, ClipsAndMapsNaNToExactZero) {
  const std::vector<float> host = {1.0f, -1.0f, 2.0f, -2.0f, std::numeric_limits<float>::quiet_NaN()};
  for (int round = 0; round < 200; ++round) {
    TpdfDither dither(static_cast<std::uint32_t>(round + 1));
    const std::vector<std::int16_t> out = playToInt16(SampleType::Float32LSB, host, &dither);
    EXPECT_GE(out[0], 32766);  // never wraps past full scale
    EXPECT_LE(out[1], -32767);
    EXPECT_EQ(out[2], 32767);
    EXPECT_EQ(out[3], -32768);
    EXPECT_EQ(out[4], 0);
  }
}

TEST(SampleConvertDither, NoEffectWithoutNarrowing) {
  struct Pair {
    SampleType host;
    DeviceSampleFormat device;
  };
  // Device at least as wide as the host, or a float device (never dithered).
  const Pair pairs[] = {{SampleType::Int16LSB, DeviceSampleFormat::Int16},      {SampleType::Int16LSB, DeviceSampleFormat::Int24Packed},
                        {SampleType::Int16LSB, DeviceSampleFormat::Float32},    {SampleType::Int24LSB, DeviceSampleFormat::Int24In32},
                        {SampleType::Int32LSB20, DeviceSampleFormat::Int24Packed}, {SampleType::Int32LSB, DeviceSampleFormat::Int32},
                        {SampleType::Float32LSB, DeviceSampleFormat::Int24Packed}, {SampleType::Float32LSB, DeviceSampleFormat::Int24In32},
                        {SampleType::Float32LSB, DeviceSampleFormat::Float32},  {SampleType::Float64LSB, DeviceSampleFormat::Float32},
                        {SampleType::Int32LSB, DeviceSampleFormat::Float32}};
  for (const Pair& p : pairs) {
    const test::Format host = test::describe(p.host);
    const std::vector<unsigned char> in = test::interestingSamples(host, 500, 3);
    const int frames = static_cast<int>(in.size()) / host.bytes;
    const auto size = static_cast<std::size_t>(frames * bytesPerSample(p.device));
    std::vector<unsigned char> plain(size), dithered(size);
    const void* sources[] = {in.data()};
    TpdfDither dither(1);
    hostToDevice(p.host, sources, p.device, plain.data(), 1, frames, nullptr);
    hostToDevice(p.host, sources, p.device, dithered.data(), 1, frames, &dither);
    EXPECT_TRUE(plain == dithered) << host.name << " -> " << toString(p.device);
  }
}

TEST(SampleConvertDither, DeterministicForASeed) {
  const std::vector<float> host = randomFloats(4096, 2);
  TpdfDither a(1234), b(1234), c(4321);
  const std::vector<std::int16_t> first = playToInt16(SampleType::Float32LSB, host, &a);
  const std::vector<std::int16_t> second = playToInt16(SampleType::Float32LSB, host, &b);
  const std::vector<std::int16_t> other = playToInt16(SampleType::Float32LSB, host, &c);
  EXPECT_EQ(first, second);
  EXPECT_NE(first, other);
}

}  // namespace
}  // namespace a2w
