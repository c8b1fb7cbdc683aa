// asiohost's sample writer: exact bytes for every supported ASIO type, and
// the test signal surviving the round trip through each of them.
#include "common/sample_writer.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "common/test_signal.h"

namespace {

using a2w::host::bytesPerSample;
using a2w::host::canWrite;
using a2w::host::quantize;
using a2w::host::readSample;
using a2w::host::sampleTypeName;
using a2w::host::writeSample;
using asio::SampleType;

template <std::size_t N>
std::array<unsigned char, N> bytesOf(SampleType type, double value) {
  std::array<unsigned char, N> b{};
  writeSample(b.data(), 0, type, value);
  return b;
}

TEST(SampleWriter, NamesAndSizes) {
  EXPECT_EQ(sampleTypeName(SampleType::Float32LSB), "Float32LSB");
  EXPECT_EQ(sampleTypeName(SampleType::Int24LSB), "Int24LSB");
  EXPECT_EQ(sampleTypeName(SampleType::Int32LSB20), "Int32LSB20");
  EXPECT_EQ(sampleTypeName(static_cast<SampleType>(99)), "Unknown(99)");
  EXPECT_EQ(bytesPerSample(SampleType::Int16LSB), 2u);
  EXPECT_EQ(bytesPerSample(SampleType::Int24LSB), 3u);
  EXPECT_EQ(bytesPerSample(SampleType::Int32LSB24), 4u);
  EXPECT_EQ(bytesPerSample(SampleType::Float64LSB), 8u);
  EXPECT_FALSE(canWrite(SampleType::Int16MSB));
  EXPECT_FALSE(canWrite(SampleType::Float32MSB));
  EXPECT_FALSE(canWrite(SampleType::DSDInt8LSB1));
  EXPECT_FALSE(canWrite(static_cast<SampleType>(99)));
}

TEST(SampleWriter, Int16LittleEndianFullScaleAndClipping) {
  EXPECT_EQ((bytesOf<2>(SampleType::Int16LSB, 0.5)), (std::array<unsigned char, 2>{0x00, 0x40}));
  EXPECT_EQ((bytesOf<2>(SampleType::Int16LSB, -1.0)), (std::array<unsigned char, 2>{0x00, 0x80}));
  EXPECT_EQ((bytesOf<2>(SampleType::Int16LSB, 1.0)), (std::array<unsigned char, 2>{0xff, 0x7f}));
  EXPECT_EQ((bytesOf<2>(SampleType::Int16LSB, 7.0)), (std::array<unsigned char, 2>{0xff, 0x7f}));
  EXPECT_EQ((bytesOf<2>(SampleType::Int16LSB, -7.0)), (std::array<unsigned char, 2>{0x00, 0x80}));
  // 1.5 LSB rounds away from zero to 2; NaN is silence.
  EXPECT_EQ((bytesOf<2>(SampleType::Int16LSB, 1.5 / 32768)), (std::array<unsigned char, 2>{0x02, 0x00}));
  EXPECT_EQ((bytesOf<2>(SampleType::Int16LSB, -1.5 / 32768)), (std::array<unsigned char, 2>{0xfe, 0xff}));
  EXPECT_EQ((bytesOf<2>(SampleType::Int16LSB, std::nan(""))), (std::array<unsigned char, 2>{0x00, 0x00}));
}

TEST(SampleWriter, Int24PackedAtOddOffsets) {
  std::array<unsigned char, 9> b{};
  writeSample(b.data(), 0, SampleType::Int24LSB, 0.5);
  writeSample(b.data(), 1, SampleType::Int24LSB, -1.0 / 8388608);
  writeSample(b.data(), 2, SampleType::Int24LSB, 1.0);
  EXPECT_EQ(b, (std::array<unsigned char, 9>{0x00, 0x00, 0x40, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}));
  EXPECT_DOUBLE_EQ(readSample(b.data(), 0, SampleType::Int24LSB), 0.5);
  EXPECT_DOUBLE_EQ(readSample(b.data(), 1, SampleType::Int24LSB), -1.0 / 8388608);
}

TEST(SampleWriter, Int32AndLowBitTypes) {
  EXPECT_EQ((bytesOf<4>(SampleType::Int32LSB, 0.5)), (std::array<unsigned char, 4>{0, 0, 0, 0x40}));
  EXPECT_EQ((bytesOf<4>(SampleType::Int32LSB, 1.0)), (std::array<unsigned char, 4>{0xff, 0xff, 0xff, 0x7f}));
  EXPECT_EQ((bytesOf<4>(SampleType::Int32LSB, -1.0)), (std::array<unsigned char, 4>{0, 0, 0, 0x80}));
  // The low-bit types keep the value sign-extended in the low bits of the word.
  EXPECT_EQ((bytesOf<4>(SampleType::Int32LSB16, 0.5)), (std::array<unsigned char, 4>{0x00, 0x40, 0, 0}));
  EXPECT_EQ((bytesOf<4>(SampleType::Int32LSB16, -0.5)), (std::array<unsigned char, 4>{0x00, 0xc0, 0xff, 0xff}));
  EXPECT_EQ((bytesOf<4>(SampleType::Int32LSB18, 0.5)), (std::array<unsigned char, 4>{0x00, 0x00, 0x01, 0}));
  EXPECT_EQ((bytesOf<4>(SampleType::Int32LSB20, 0.5)), (std::array<unsigned char, 4>{0x00, 0x00, 0x04, 0}));
  EXPECT_EQ((bytesOf<4>(SampleType::Int32LSB24, 0.5)), (std::array<unsigned char, 4>{0x00, 0x00, 0x40, 0}));
  EXPECT_EQ((bytesOf<4>(SampleType::Int32LSB24, 1.0)), (std::array<unsigned char, 4>{0xff, 0xff, 0x7f, 0}));
  EXPECT_EQ((bytesOf<4>(SampleType::Int32LSB24, -1.0)), (std::array<unsigned char, 4>{0x00, 0x00, 0x80, 0xff}));
}

TEST(SampleWriter, FloatsStoredAsIs) {
  const auto f = bytesOf<4>(SampleType::Float32LSB, 0.25);
  float back;
  std::memcpy(&back, f.data(), 4);
  EXPECT_EQ(back, 0.25f);
  const auto d = bytesOf<8>(SampleType::Float64LSB, -0.1);
  double backd;
  std::memcpy(&backd, d.data(), 8);
  EXPECT_EQ(backd, -0.1);
  // Floats are not clipped (a host may send overs; the driver decides).
  EXPECT_EQ(quantize(1.5, SampleType::Float32LSB), 1.5);
}

// The sequence signal is exact in every type of 18 bits or more, and in 16
// bits it lands within half an LSB: what the fake driver relies on.
TEST(SampleWriter, TestSignalRoundTrips) {
  const SampleType exact[] = {SampleType::Float32LSB, SampleType::Float64LSB, SampleType::Int32LSB,
                              SampleType::Int24LSB,   SampleType::Int32LSB18, SampleType::Int32LSB20,
                              SampleType::Int32LSB24};
  for (std::uint64_t frame = 0; frame < 2000; ++frame) {
    for (std::uint32_t ch = 0; ch < 4; ++ch) {
      const double v = a2w::signal::sample(frame, ch);
      for (const SampleType t : exact) ASSERT_EQ(quantize(v, t), v) << sampleTypeName(t);
      for (const SampleType t : {SampleType::Int16LSB, SampleType::Int32LSB16}) {
        ASSERT_NEAR(quantize(v, t), v, 0.5 / 32768 + 1e-12) << sampleTypeName(t);
      }
    }
  }
}

TEST(SampleWriter, WritesOnlyItsOwnSlot) {
  std::array<unsigned char, 12> b;
  b.fill(0xaa);
  writeSample(b.data(), 1, SampleType::Int24LSB, 0.0);
  EXPECT_EQ(b[2], 0xaa);
  EXPECT_EQ(b[3], 0x00);
  EXPECT_EQ(b[5], 0x00);
  EXPECT_EQ(b[6], 0xaa);
}

}  // namespace
