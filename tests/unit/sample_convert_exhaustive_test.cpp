// Exhaustive checks where 16 bits is the narrower side: every one of the 65536
// int16 values, through every path and back. Plus the same for int24 through
// float32 on a dense stride (all 2^24 values would cost seconds under ASan).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/sample_convert.h"
#include "sample_convert_test_oracle.h"

namespace a2w {
namespace {

using asio::SampleType;

std::vector<std::int16_t> allInt16() {
  std::vector<std::int16_t> v;
  v.reserve(65536);
  for (int i = -32768; i <= 32767; ++i) v.push_back(static_cast<std::int16_t>(i));
  return v;
}

// Host samples of `hostType` holding every int16 value exactly (int16 << (n-16)
// for integers, v / 32768 for floats), built with the test model.
std::vector<unsigned char> allInt16AsHost(SampleType hostType) {
  const test::Format host = test::describe(hostType);
  std::vector<unsigned char> raw(65536 * static_cast<std::size_t>(host.bytes));
  for (int i = 0; i < 65536; ++i) {
    const long double x = std::ldexp(static_cast<long double>(i - 32768), -15);
    test::expectedEncoding(host, x, raw.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(host.bytes));
  }
  return raw;
}

int mismatchCount(const std::vector<std::int16_t>& got, const std::vector<std::int16_t>& want) {
  int n = 0;
  for (std::size_t i = 0; i < want.size(); ++i) n += got[i] != want[i] ? 1 : 0;
  return n;
}

TEST(SampleConvertExhaustive16, Int16HostThroughEveryDeviceFormatAndBack) {
  const std::vector<std::int16_t> in = allInt16();
  for (DeviceSampleFormat format : test::allDeviceFormats()) {
    const test::Format device = test::describe(format);
    std::vector<unsigned char> mid(65536 * static_cast<std::size_t>(device.bytes));
    const void* sources[] = {in.data()};
    hostToDevice(SampleType::Int16LSB, sources, format, mid.data(), 1, 65536, nullptr);

    // The device value is the exact widening of the int16 value.
    std::vector<unsigned char> expected(mid.size());
    const test::Format host = test::describe(SampleType::Int16LSB);
    for (std::size_t i = 0; i < 65536; ++i) {
      test::expectedEncoding(device, test::normalized(host, reinterpret_cast<const unsigned char*>(&in[i])),
                             expected.data() + i * static_cast<std::size_t>(device.bytes));
    }
    EXPECT_TRUE(mid == expected) << device.name;

    std::vector<std::int16_t> back(65536, 0x5A5A);
    void* destinations[] = {back.data()};
    deviceToHost(format, mid.data(), 1, SampleType::Int16LSB, destinations, 65536);
    EXPECT_EQ(mismatchCount(back, in), 0) << "int16 -> " << device.name << " -> int16";
  }
}

TEST(SampleConvertExhaustive16, Int32LSB16HostThroughEveryDeviceFormatAndBack) {
  std::vector<std::int32_t> in;
  for (std::int16_t v : allInt16()) in.push_back(v);
  for (DeviceSampleFormat format : test::allDeviceFormats()) {
    std::vector<unsigned char> mid(65536 * static_cast<std::size_t>(bytesPerSample(format)));
    const void* sources[] = {in.data()};
    hostToDevice(SampleType::Int32LSB16, sources, format, mid.data(), 1, 65536, nullptr);
    std::vector<std::int32_t> back(65536, 0x5A5A5A5A);
    void* destinations[] = {back.data()};
    deviceToHost(format, mid.data(), 1, SampleType::Int32LSB16, destinations, 65536);
    EXPECT_TRUE(back == in) << "Int32LSB16 -> " << toString(format) << " -> Int32LSB16";
  }
}

TEST(SampleConvertExhaustive16, Int16DeviceThroughEveryHostTypeAndBack) {
  const std::vector<std::int16_t> device = allInt16();
  for (SampleType hostType : test::allHostTypes()) {
    const test::Format host = test::describe(hostType);
    std::vector<unsigned char> mid(65536 * static_cast<std::size_t>(host.bytes));
    void* destinations[] = {mid.data()};
    deviceToHost(DeviceSampleFormat::Int16, device.data(), 1, hostType, destinations, 65536);
    EXPECT_TRUE(mid == allInt16AsHost(hostType)) << "int16 -> " << host.name << " is not exact";

    std::vector<std::int16_t> back(65536, 0x5A5A);
    const void* sources[] = {mid.data()};
    hostToDevice(hostType, sources, DeviceSampleFormat::Int16, back.data(), 1, 65536, nullptr);
    EXPECT_EQ(mismatchCount(back, device), 0) << "int16 -> " << host.name << " -> int16";
  }
}

TEST(SampleConvertExhaustive16, EveryInt16ValueFromEveryHostTypeToInt16Device) {
  // The host side carries every int16 value; playback to int16 must give it back.
  const std::vector<std::int16_t> want = allInt16();
  for (SampleType hostType : test::allHostTypes()) {
    const std::vector<unsigned char> host = allInt16AsHost(hostType);
    std::vector<std::int16_t> got(65536);
    const void* sources[] = {host.data()};
    hostToDevice(hostType, sources, DeviceSampleFormat::Int16, got.data(), 1, 65536, nullptr);
    EXPECT_EQ(mismatchCount(got, want), 0) << test::describe(hostType).name;
  }
}

TEST(SampleConvertExhaustive24, Int24ThroughFloat32IsExact) {
  // Every 61st 24-bit value (prime stride: all byte patterns appear) plus both ends.
  std::vector<unsigned char> device;
  auto push = [&device](std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    device.push_back(static_cast<unsigned char>(u));
    device.push_back(static_cast<unsigned char>(u >> 8));
    device.push_back(static_cast<unsigned char>(u >> 16));
  };
  for (std::int32_t v = -8388608; v <= 8388607; v += 61) push(v);
  push(8388607);
  push(-8388607);
  const int frames = static_cast<int>(device.size() / 3);

  // Capture: int24 device -> float32 host -> int24 device.
  std::vector<float> host(static_cast<std::size_t>(frames));
  void* destinations[] = {host.data()};
  deviceToHost(DeviceSampleFormat::Int24Packed, device.data(), 1, SampleType::Float32LSB, destinations, frames);
  std::vector<unsigned char> back(device.size());
  const void* sources[] = {host.data()};
  hostToDevice(SampleType::Float32LSB, sources, DeviceSampleFormat::Int24Packed, back.data(), 1, frames, nullptr);
  EXPECT_TRUE(back == device);

  // Playback: Int24LSB host -> float32 device -> Int24LSB host, and the same
  // values through int24in32.
  std::vector<float> floatDevice(static_cast<std::size_t>(frames));
  const void* hostSources[] = {device.data()};
  hostToDevice(SampleType::Int24LSB, hostSources, DeviceSampleFormat::Float32, floatDevice.data(), 1, frames, nullptr);
  std::vector<unsigned char> hostBack(device.size());
  void* hostDestinations[] = {hostBack.data()};
  deviceToHost(DeviceSampleFormat::Float32, floatDevice.data(), 1, SampleType::Int24LSB, hostDestinations, frames);
  EXPECT_TRUE(hostBack == device);

  std::vector<std::uint32_t> in32(static_cast<std::size_t>(frames));
  hostToDevice(SampleType::Int24LSB, hostSources, DeviceSampleFormat::Int24In32, in32.data(), 1, frames, nullptr);
  std::fill(hostBack.begin(), hostBack.end(), 0);
  deviceToHost(DeviceSampleFormat::Int24In32, in32.data(), 1, SampleType::Int24LSB, hostDestinations, frames);
  EXPECT_TRUE(hostBack == device);
}

}  // namespace
}  // namespace a2w
