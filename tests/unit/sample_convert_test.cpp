// Hand-written known vectors for the conversion rules (full scale, clipping,
// ties, NaN, inf, layouts) and the channel routing of hostToDevice and
// deviceToHost (interleaving, nullptr slots, buffer bounds, alignment).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "core/sample_convert.h"

namespace a2w {
namespace {

using asio::SampleType;
using Bytes = std::vector<unsigned char>;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

template <class T>
Bytes toBytes(const std::vector<T>& values) {
  Bytes b(values.size() * sizeof(T));
  std::memcpy(b.data(), values.data(), b.size());
  return b;
}

template <class T>
std::vector<T> fromBytes(const Bytes& b) {
  std::vector<T> v(b.size() / sizeof(T));
  std::memcpy(v.data(), b.data(), v.size() * sizeof(T));
  return v;
}

// One channel of host samples through hostToDevice; returns the device bytes.
template <class T>
Bytes play(SampleType hostType, const std::vector<T>& host, DeviceSampleFormat format) {
  const void* sources[] = {host.data()};
  Bytes out(host.size() * static_cast<std::size_t>(bytesPerSample(format)), 0xAB);
  hostToDevice(hostType, sources, format, out.data(), 1, static_cast<int>(host.size()), nullptr);
  return out;
}

// One channel of device bytes through deviceToHost; returns the host samples.
template <class T>
std::vector<T> capture(DeviceSampleFormat format, const Bytes& device, SampleType hostType) {
  const int frames = static_cast<int>(device.size()) / bytesPerSample(format);
  std::vector<T> host(static_cast<std::size_t>(frames));
  void* destinations[] = {host.data()};
  deviceToHost(format, device.data(), 1, hostType, destinations, frames);
  return host;
}

std::uint32_t floatBits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

// --- Host type queries -------------------------------------------------------

TEST(SampleConvertTypes, SupportedHostTypesSizesAndResolution) {
  struct Row {
    SampleType type;
    int bytes;
    int bits;
  };
  const Row rows[] = {{SampleType::Int16LSB, 2, 16},   {SampleType::Int24LSB, 3, 24},   {SampleType::Int32LSB, 4, 32},
                      {SampleType::Float32LSB, 4, 24}, {SampleType::Float64LSB, 8, 53}, {SampleType::Int32LSB16, 4, 16},
                      {SampleType::Int32LSB18, 4, 18}, {SampleType::Int32LSB20, 4, 20}, {SampleType::Int32LSB24, 4, 24}};
  for (const Row& r : rows) {
    EXPECT_TRUE(isSupportedHostType(r.type)) << static_cast<int>(r.type);
    EXPECT_EQ(bytesPerSample(r.type), r.bytes) << static_cast<int>(r.type);
    EXPECT_EQ(resolutionBits(r.type), r.bits) << static_cast<int>(r.type);
  }
  for (SampleType t : {SampleType::Int16MSB, SampleType::Float32MSB, SampleType::Int32MSB24, SampleType::DSDInt8LSB1,
                       static_cast<SampleType>(99)}) {
    EXPECT_FALSE(isSupportedHostType(t)) << static_cast<int>(t);
    EXPECT_EQ(bytesPerSample(t), 0);
    EXPECT_EQ(resolutionBits(t), 0);
  }
}

// --- Float to integer ----------------------------------------------------------

TEST(SampleConvertKnownVectors, Float32ToInt16FullScaleClipTiesNaNInf) {
  const float lsb = 1.0f / 32768.0f;
  const std::vector<float> in = {1.0f,        -1.0f,       0.0f,        -0.0f,       lsb,          -lsb,
                                 1.5f,        -1.5f,       kNaN,        kInf,        -kInf,        0.5f * lsb,
                                 -0.5f * lsb, 1.5f * lsb,  -1.5f * lsb, 0.49f * lsb, -0.49f * lsb, 32766.5f * lsb,
                                 32767.5f * lsb, -32767.5f * lsb, 0.5f};
  const std::vector<std::int16_t> expected = {32767, -32768, 0,     0,      1,      -1, 32767,  -32768, 0,     32767, -32768,
                                              1,     -1,     2,     -2,     0,      0,  32767,  32767,  -32768, 16384};
  EXPECT_EQ(fromBytes<std::int16_t>(play(SampleType::Float32LSB, in, DeviceSampleFormat::Int16)), expected);
}

TEST(SampleConvertKnownVectors, Float64ToInt32FullScaleAndRounding) {
  const double lsb = 1.0 / 2147483648.0;
  const std::vector<double> in = {1.0, -1.0, 0.5, 2.5 * lsb, -2.5 * lsb, 2.4999 * lsb, 1e300, -1e300,
                                  std::numeric_limits<double>::quiet_NaN(), (2147483646.5) * lsb};
  const std::vector<std::int32_t> expected = {2147483647, std::numeric_limits<std::int32_t>::min(), 1 << 30, 3, -3, 2,
                                              2147483647, std::numeric_limits<std::int32_t>::min(), 0, 2147483647};
  EXPECT_EQ(fromBytes<std::int32_t>(play(SampleType::Float64LSB, in, DeviceSampleFormat::Int32)), expected);
}

TEST(SampleConvertKnownVectors, Float32ToInt24PackedLayout) {
  const std::vector<float> in = {1.0f, -1.0f, 1.0f / 8388608.0f, -1.0f / 8388608.0f, 0.25f};
  const Bytes expected = {0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x20};
  EXPECT_EQ(play(SampleType::Float32LSB, in, DeviceSampleFormat::Int24Packed), expected);
}

TEST(SampleConvertKnownVectors, Int24In32IsLeftJustifiedWithZeroLowByte) {
  const std::vector<float> in = {1.0f, -1.0f, 1.0f / 8388608.0f, -1.0f / 8388608.0f};
  const Bytes expected = {0x00, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x00, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF};
  EXPECT_EQ(play(SampleType::Float32LSB, in, DeviceSampleFormat::Int24In32), expected);

  const std::vector<std::int16_t> in16 = {1, -1, -32768, 32767};
  const std::vector<std::uint32_t> expected16 = {0x00010000u, 0xFFFF0000u, 0x80000000u, 0x7FFF0000u};
  EXPECT_EQ(fromBytes<std::uint32_t>(play(SampleType::Int16LSB, in16, DeviceSampleFormat::Int24In32)), expected16);
}

TEST(SampleConvertKnownVectors, Int24In32CaptureIgnoresLowByte) {
  const Bytes device = toBytes(std::vector<std::uint32_t>{0x123456FFu, 0xFFFFFF80u, 0x80000001u});
  const std::vector<std::int32_t> got = capture<std::int32_t>(DeviceSampleFormat::Int24In32, device, SampleType::Int32LSB24);
  EXPECT_EQ(got, (std::vector<std::int32_t>{0x123456, -1, -8388608}));
}

// --- Integer to integer --------------------------------------------------------

TEST(SampleConvertKnownVectors, Int32ToInt16RoundsAndClipsWithoutWrapping) {
  const std::vector<std::int32_t> in = {0x7FFFFFFF, std::numeric_limits<std::int32_t>::min(), 0x00008000, -0x8000,
                                        0x00007FFF, -0x7FFF,    0x7FFF8000, 0x7FFF7FFF, 0x00018000, -0x18000, 0};
  const std::vector<std::int16_t> expected = {32767, -32768, 1, -1, 0, 0, 32767, 32767, 2, -2, 0};
  EXPECT_EQ(fromBytes<std::int16_t>(play(SampleType::Int32LSB, in, DeviceSampleFormat::Int16)), expected);
}

TEST(SampleConvertKnownVectors, Int24DeviceToInt16HostRounds) {
  const Bytes device = {0xFF, 0xFF, 0x7F, 0x80, 0x00, 0x00, 0x80, 0xFF, 0xFF,
                        0x7F, 0x00, 0x00, 0x00, 0x00, 0x80, 0x80, 0xFF, 0x7F};
  const std::vector<std::int16_t> expected = {32767, 1, -1, 0, -32768, 32767};
  EXPECT_EQ(capture<std::int16_t>(DeviceSampleFormat::Int24Packed, device, SampleType::Int16LSB), expected);
}

TEST(SampleConvertKnownVectors, NarrowToWiderIsALeftShift) {
  const std::vector<std::int16_t> in = {1, -1, 32767, -32768, 0x1234};
  const std::vector<std::int32_t> expected = {1 << 16, -(1 << 16), 32767 << 16, std::numeric_limits<std::int32_t>::min(),
                                              0x12340000};
  EXPECT_EQ(fromBytes<std::int32_t>(play(SampleType::Int16LSB, in, DeviceSampleFormat::Int32)), expected);
}

TEST(SampleConvertKnownVectors, Int32LowBitsReadOnlyTheLowBitsAndWriteSignExtended) {
  // 20-bit max; -2^19 with garbage above bit 19; -1 sign-extended properly.
  const std::vector<std::uint32_t> in = {0x0007FFFFu, 0xABC80000u, 0xFFFFFFFFu, 0x12300001u};
  const Bytes device = play(SampleType::Int32LSB20, in, DeviceSampleFormat::Int24Packed);
  EXPECT_EQ(device, (Bytes{0xF0, 0xFF, 0x7F, 0x00, 0x00, 0x80, 0xF0, 0xFF, 0xFF, 0x10, 0x00, 0x00}));

  const Bytes device16 = toBytes(std::vector<std::int16_t>{-2, 32767, -32768});
  EXPECT_EQ(capture<std::uint32_t>(DeviceSampleFormat::Int16, device16, SampleType::Int32LSB16),
            (std::vector<std::uint32_t>{0xFFFFFFFEu, 0x00007FFFu, 0xFFFF8000u}));
  // int24 -16 is exactly -1 in 20 bits; int24 -8 is a tie, away from zero.
  const Bytes device24 = {0xF0, 0xFF, 0xFF, 0xF8, 0xFF, 0xFF, 0xF7, 0xFF, 0xFF};
  EXPECT_EQ(capture<std::uint32_t>(DeviceSampleFormat::Int24Packed, device24, SampleType::Int32LSB20),
            (std::vector<std::uint32_t>{0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}));
  const Bytes device24b = {0x07, 0x00, 0x00, 0x08, 0x00, 0x00, 0xF9, 0xFF, 0xFF};
  EXPECT_EQ(capture<std::uint32_t>(DeviceSampleFormat::Int24Packed, device24b, SampleType::Int32LSB20),
            (std::vector<std::uint32_t>{0u, 1u, 0u}));
}

// --- Integer to float ------------------------------------------------------------

TEST(SampleConvertKnownVectors, IntegerToFloatDividesByHalfRange) {
  const Bytes device32 = toBytes(std::vector<std::int32_t>{0x7FFFFFFF, 0x40000000, std::numeric_limits<std::int32_t>::min(), 1, 0});
  EXPECT_EQ(capture<float>(DeviceSampleFormat::Int32, device32, SampleType::Float32LSB),
            (std::vector<float>{1.0f, 0.5f, -1.0f, std::ldexp(1.0f, -31), 0.0f}));
  const Bytes device16 = toBytes(std::vector<std::int16_t>{-32768, 1, 32767});
  EXPECT_EQ(capture<double>(DeviceSampleFormat::Int16, device16, SampleType::Float64LSB),
            (std::vector<double>{-1.0, 1.0 / 32768.0, 32767.0 / 32768.0}));
  const std::vector<std::int32_t> host24 = {0x7FFFFF, -0x800000, 1};
  EXPECT_EQ(fromBytes<float>(play(SampleType::Int32LSB24, host24, DeviceSampleFormat::Float32)),
            (std::vector<float>{8388607.0f / 8388608.0f, -1.0f, std::ldexp(1.0f, -23)}));
}

// --- Float to float --------------------------------------------------------------

TEST(SampleConvertKnownVectors, Float32ToFloat32CopiesFiniteBitsAndReplacesNonFinite) {
  const float denormal = std::numeric_limits<float>::denorm_min() * 3.0f;
  const std::vector<float> in = {2.0f, -3.5f, 0.123456789f, -0.0f, denormal, std::numeric_limits<float>::max(),
                                 kNaN, -kNaN, kInf, -kInf};
  const std::vector<float> got = fromBytes<float>(play(SampleType::Float32LSB, in, DeviceSampleFormat::Float32));
  ASSERT_EQ(got.size(), in.size());
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(floatBits(got[i]), floatBits(in[i])) << i;
  EXPECT_EQ(floatBits(got[6]), 0u);
  EXPECT_EQ(floatBits(got[7]), 0u);
  EXPECT_EQ(got[8], 1.0f);
  EXPECT_EQ(got[9], -1.0f);

  // Capture applies the same rule.
  const std::vector<float> back = capture<float>(DeviceSampleFormat::Float32, toBytes(in), SampleType::Float32LSB);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(floatBits(back[i]), floatBits(in[i])) << i;
  EXPECT_EQ(floatBits(back[6]), 0u);
  EXPECT_EQ(back[9], -1.0f);
}

TEST(SampleConvertKnownVectors, Float64ToFloat32CastsSaturatesAndReplacesNaN) {
  const std::vector<double> in = {0.1, 1.75, -2.0, 1e300, -1e300, std::numeric_limits<double>::quiet_NaN(),
                                  std::numeric_limits<double>::infinity(), 1e-300};
  const std::vector<float> expected = {0.1f, 1.75f, -2.0f, std::numeric_limits<float>::max(),
                                       -std::numeric_limits<float>::max(), 0.0f, 1.0f, 0.0f};
  EXPECT_EQ(fromBytes<float>(play(SampleType::Float64LSB, in, DeviceSampleFormat::Float32)), expected);

  const Bytes device = toBytes(std::vector<float>{0.1f, -kInf, kNaN, 3.0f});
  EXPECT_EQ(capture<double>(DeviceSampleFormat::Float32, device, SampleType::Float64LSB),
            (std::vector<double>{static_cast<double>(0.1f), -1.0, 0.0, 3.0}));
}

TEST(SampleConvertKnownVectors, Float32DeviceToIntegerHostClips) {
  const Bytes device = toBytes(std::vector<float>{1.0f, -1.0f, 1.5f, kNaN, -kInf, 0.5f});
  EXPECT_EQ(capture<std::int16_t>(DeviceSampleFormat::Float32, device, SampleType::Int16LSB),
            (std::vector<std::int16_t>{32767, -32768, 32767, 0, -32768, 16384}));
  EXPECT_EQ(capture<std::int32_t>(DeviceSampleFormat::Float32, device, SampleType::Int32LSB18),
            (std::vector<std::int32_t>{131071, -131072, 131071, 0, -131072, 65536}));
}

// --- Routing ---------------------------------------------------------------------

// A distinct, recognisable value per (slot, frame).
std::int32_t marker(int slot, int frame) { return (slot + 1) * 0x01000000 + (frame + 1) * 0x100; }

TEST(SampleConvertRouting, PlaybackInterleavesSlotsInOrder) {
  for (int channels : {1, 2, 3, 8}) {
    constexpr int kFrames = 5;
    std::vector<std::vector<std::int32_t>> host(static_cast<std::size_t>(channels));
    std::vector<const void*> sources;
    for (int c = 0; c < channels; ++c) {
      for (int f = 0; f < kFrames; ++f) host[static_cast<std::size_t>(c)].push_back(marker(c, f));
      sources.push_back(host[static_cast<std::size_t>(c)].data());
    }
    // Guard words on both sides catch writes outside channels * frames.
    std::vector<std::int32_t> device(static_cast<std::size_t>(channels * kFrames + 2), 0x5A5A5A5A);
    hostToDevice(SampleType::Int32LSB, sources.data(), DeviceSampleFormat::Int32, device.data() + 1, channels, kFrames,
                 nullptr);
    EXPECT_EQ(device.front(), 0x5A5A5A5A);
    EXPECT_EQ(device.back(), 0x5A5A5A5A);
    for (int f = 0; f < kFrames; ++f) {
      for (int c = 0; c < channels; ++c) {
        EXPECT_EQ(device[static_cast<std::size_t>(1 + f * channels + c)], marker(c, f))
            << channels << " channels, frame " << f << ", slot " << c;
      }
    }
  }
}

TEST(SampleConvertRouting, CaptureDeinterleavesSlotsInOrder) {
  for (int channels : {1, 2, 3, 8}) {
    constexpr int kFrames = 5;
    std::vector<std::int32_t> device;
    for (int f = 0; f < kFrames; ++f) {
      for (int c = 0; c < channels; ++c) device.push_back(marker(c, f));
    }
    std::vector<std::vector<std::int32_t>> host(static_cast<std::size_t>(channels),
                                                std::vector<std::int32_t>(kFrames + 1, 0x5A5A5A5A));
    std::vector<void*> destinations;
    for (auto& h : host) destinations.push_back(h.data());
    deviceToHost(DeviceSampleFormat::Int32, device.data(), channels, SampleType::Int32LSB, destinations.data(), kFrames);
    for (int c = 0; c < channels; ++c) {
      const auto& h = host[static_cast<std::size_t>(c)];
      for (int f = 0; f < kFrames; ++f) EXPECT_EQ(h[static_cast<std::size_t>(f)], marker(c, f)) << channels << " ch";
      EXPECT_EQ(h.back(), 0x5A5A5A5A) << "wrote past the end of slot " << c;
    }
  }
}

TEST(SampleConvertRouting, ThreeByteFramesInterleaveAcrossOddStrides) {
  // int16 host -> int24 device with 3 channels: 9-byte frames.
  const std::vector<std::int16_t> a = {0x0102, 0x0304}, b = {0x0506, 0x0708}, c = {-1, 0x090A};
  const void* sources[] = {a.data(), b.data(), c.data()};
  Bytes device(18, 0xEE);
  hostToDevice(SampleType::Int16LSB, sources, DeviceSampleFormat::Int24Packed, device.data(), 3, 2, nullptr);
  EXPECT_EQ(device, (Bytes{0x00, 0x02, 0x01, 0x00, 0x06, 0x05, 0x00, 0xFF, 0xFF,  //
                           0x00, 0x04, 0x03, 0x00, 0x08, 0x07, 0x00, 0x0A, 0x09}));
  std::vector<std::int16_t> ra(2), rb(2), rc(2);
  void* destinations[] = {ra.data(), rb.data(), rc.data()};
  deviceToHost(DeviceSampleFormat::Int24Packed, device.data(), 3, SampleType::Int16LSB, destinations, 2);
  EXPECT_EQ(ra, a);
  EXPECT_EQ(rb, b);
  EXPECT_EQ(rc, c);
}

TEST(SampleConvertRouting, NullSourceSlotIsWrittenAsSilence) {
  const std::vector<float> left = {0.5f, -0.5f, 0.25f}, right = {1.0f, -1.0f, 0.0f};
  const void* sources[] = {left.data(), nullptr, right.data()};
  for (DeviceSampleFormat format : {DeviceSampleFormat::Int16, DeviceSampleFormat::Int24Packed, DeviceSampleFormat::Int24In32,
                                    DeviceSampleFormat::Int32, DeviceSampleFormat::Float32}) {
    const int bytes = bytesPerSample(format);
    Bytes device(static_cast<std::size_t>(3 * 3 * bytes), 0xAA);  // stale audio
    TpdfDither dither(7);  // silence stays exact zero even with dither
    hostToDevice(SampleType::Float32LSB, sources, format, device.data(), 3, 3, &dither);
    for (int f = 0; f < 3; ++f) {
      const unsigned char* slot1 = device.data() + (f * 3 + 1) * bytes;
      for (int i = 0; i < bytes; ++i) EXPECT_EQ(slot1[i], 0) << toString(format) << " frame " << f;
      const unsigned char* slot0 = device.data() + (f * 3) * bytes;
      EXPECT_NE(slot0[bytes - 1], 0xAA) << toString(format) << " frame " << f;  // real data was written
    }
  }
  Bytes device(9 * 2, 0xAA);
  hostToDevice(SampleType::Float32LSB, sources, DeviceSampleFormat::Int16, device.data(), 3, 3, nullptr);
  EXPECT_EQ(fromBytes<std::int16_t>(device), (std::vector<std::int16_t>{16384, 0, 32767, -16384, 0, -32768, 8192, 0, 0}));
}

TEST(SampleConvertRouting, NullSourceArrayIsAllSilence) {
  Bytes device(4 * 2 * 3, 0xAA);
  hostToDevice(SampleType::Int24LSB, nullptr, DeviceSampleFormat::Int24Packed, device.data(), 2, 4, nullptr);
  EXPECT_EQ(device, Bytes(device.size(), 0));
}

TEST(SampleConvertRouting, NullDestinationSlotIsSkipped) {
  const std::vector<std::int16_t> device = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // 3 frames x 3 slots
  std::vector<std::int16_t> slot0(4, 0x5A5A), slot2(4, 0x5A5A);
  void* destinations[] = {slot0.data(), nullptr, slot2.data()};
  deviceToHost(DeviceSampleFormat::Int16, device.data(), 3, SampleType::Int16LSB, destinations, 3);
  EXPECT_EQ(slot0, (std::vector<std::int16_t>{1, 4, 7, 0x5A5A}));
  EXPECT_EQ(slot2, (std::vector<std::int16_t>{3, 6, 9, 0x5A5A}));
  // The device buffer is only read.
  EXPECT_EQ(device, (std::vector<std::int16_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));

  void* none[] = {nullptr, nullptr, nullptr};
  deviceToHost(DeviceSampleFormat::Int16, device.data(), 3, SampleType::Int16LSB, none, 3);  // no crash, nothing written
}

TEST(SampleConvertRouting, ZeroFramesOrChannelsTouchNothing) {
  const std::vector<float> host = {0.5f};
  const void* sources[] = {host.data()};
  Bytes device(8, 0xAA);
  hostToDevice(SampleType::Float32LSB, sources, DeviceSampleFormat::Int32, device.data(), 1, 0, nullptr);
  hostToDevice(SampleType::Float32LSB, sources, DeviceSampleFormat::Int32, device.data(), 0, 1, nullptr);
  EXPECT_EQ(device, Bytes(8, 0xAA));
  std::vector<float> out(1, 7.0f);
  void* destinations[] = {out.data()};
  deviceToHost(DeviceSampleFormat::Int32, device.data(), 1, SampleType::Float32LSB, destinations, 0);
  EXPECT_EQ(out[0], 7.0f);
}

TEST(SampleConvertRouting, UnsupportedHostTypePlaysSilenceAndCapturesNothing) {
  const std::vector<std::int16_t> host = {0x1234, 0x5678};
  const void* sources[] = {host.data()};
  Bytes device(2 * 3, 0xAA);
  hostToDevice(SampleType::Int16MSB, sources, DeviceSampleFormat::Int24Packed, device.data(), 1, 2, nullptr);
  EXPECT_EQ(device, Bytes(6, 0));
  std::vector<std::int16_t> out(2, 0x5A5A);
  void* destinations[] = {out.data()};
  deviceToHost(DeviceSampleFormat::Int24Packed, Bytes(6, 0x11).data(), 1, SampleType::Int16MSB, destinations, 2);
  EXPECT_EQ(out, (std::vector<std::int16_t>{0x5A5A, 0x5A5A}));
}

TEST(SampleConvertRouting, MisalignedDeviceBuffersWork) {
  // WASAPI buffers need not be 4-byte aligned; typed loads there would trip UBSan.
  const std::vector<float> host = {0.5f, -0.25f, -1.0f};  // exact in every format
  const void* sources[] = {host.data()};
  for (DeviceSampleFormat format : {DeviceSampleFormat::Int32, DeviceSampleFormat::Int24In32, DeviceSampleFormat::Float32,
                                    DeviceSampleFormat::Int16}) {
    const auto bytes = static_cast<std::size_t>(bytesPerSample(format));
    Bytes storage(3 * bytes + 1, 0xAA);
    unsigned char* odd = storage.data() + 1;
    hostToDevice(SampleType::Float32LSB, sources, format, odd, 1, 3, nullptr);
    EXPECT_EQ(storage[0], 0xAA);
    std::vector<float> back(3);
    void* destinations[] = {back.data()};
    deviceToHost(format, odd, 1, SampleType::Float32LSB, destinations, 3);
    EXPECT_EQ(back, host) << toString(format);
  }
}

}  // namespace
}  // namespace a2w
