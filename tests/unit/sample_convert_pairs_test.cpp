// Every (host type, device format) pair in both directions, checked byte for
// byte against the independent model in sample_convert_test_oracle.h, on the
// edge values, exact rounding ties and seeded random samples of the source.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <ostream>
#include <vector>

#include "core/sample_convert.h"
#include "sample_convert_test_oracle.h"

namespace a2w {
namespace {

enum class Direction { Playback, Capture };

struct PairParam {
  Direction direction;
  asio::SampleType hostType;
  DeviceSampleFormat deviceFormat;
};

std::string pairName(const PairParam& p) {
  const std::string host = test::describe(p.hostType).name;
  const std::string device = test::describe(p.deviceFormat).name;
  return p.direction == Direction::Playback ? "Playback_" + host + "_to_" + device : "Capture_" + device + "_to_" + host;
}

// GoogleTest prints the parameter of a failing test with this.
void PrintTo(const PairParam& p, std::ostream* os) { *os << pairName(p); }

std::vector<PairParam> allPairs() {
  std::vector<PairParam> pairs;
  for (Direction d : {Direction::Playback, Direction::Capture}) {
    for (asio::SampleType h : test::allHostTypes()) {
      for (DeviceSampleFormat f : test::allDeviceFormats()) pairs.push_back({d, h, f});
    }
  }
  return pairs;
}

class SampleConvertPairTest : public testing::TestWithParam<PairParam> {};

constexpr int kRandomSamples = 2000;
constexpr int kMaxReportedMismatches = 8;

// Converts `sourceRaw` (samples of `from`) with one channel and checks each
// result against the oracle.
void expectMatchesOracle(const test::Format& from, const std::vector<unsigned char>& sourceRaw,
                         const test::Format& to, const std::vector<unsigned char>& result) {
  const std::size_t count = sourceRaw.size() / static_cast<std::size_t>(from.bytes);
  ASSERT_EQ(result.size(), count * static_cast<std::size_t>(to.bytes));
  int mismatches = 0;
  std::vector<unsigned char> expected(static_cast<std::size_t>(to.bytes));
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* src = sourceRaw.data() + i * static_cast<std::size_t>(from.bytes);
    const unsigned char* got = result.data() + i * static_cast<std::size_t>(to.bytes);
    test::expectedEncoding(to, test::normalized(from, src), expected.data());
    if (std::memcmp(got, expected.data(), expected.size()) != 0 && ++mismatches <= kMaxReportedMismatches) {
      ADD_FAILURE() << "sample " << i << ": " << from.name << " 0x" << test::hexBytes(src, from.bytes) << " -> "
                    << to.name << " gave 0x" << test::hexBytes(got, to.bytes) << ", expected 0x"
                    << test::hexBytes(expected.data(), to.bytes);
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << count << " samples";
}

TEST_P(SampleConvertPairTest, MatchesModelOnEdgeTieAndRandomValues) {
  const auto [direction, hostType, deviceFormat] = GetParam();
  const test::Format host = test::describe(hostType);
  const test::Format device = test::describe(deviceFormat);
  const std::uint32_t seed = static_cast<std::uint32_t>(hostType) * 31u + static_cast<std::uint32_t>(deviceFormat);

  if (direction == Direction::Playback) {
    const std::vector<unsigned char> source = test::interestingSamples(host, kRandomSamples, seed);
    const int frames = static_cast<int>(source.size() / static_cast<std::size_t>(host.bytes));
    std::vector<unsigned char> out(static_cast<std::size_t>(frames) * static_cast<std::size_t>(device.bytes), 0xAB);
    const void* sources[] = {source.data()};
    hostToDevice(hostType, sources, deviceFormat, out.data(), 1, frames, nullptr);
    expectMatchesOracle(host, source, device, out);
  } else {
    const std::vector<unsigned char> source = test::interestingSamples(device, kRandomSamples, seed);
    const int frames = static_cast<int>(source.size() / static_cast<std::size_t>(device.bytes));
    std::vector<unsigned char> out(static_cast<std::size_t>(frames) * static_cast<std::size_t>(host.bytes), 0xAB);
    void* destinations[] = {out.data()};
    deviceToHost(deviceFormat, source.data(), 1, hostType, destinations, frames);
    expectMatchesOracle(device, source, host, out);
  }
}

INSTANTIATE_TEST_SUITE_P(AllPairs, SampleConvertPairTest, testing::ValuesIn(allPairs()),
                         [](const testing::TestParamInfo<PairParam>& info) { return pairName(info.param); });

}  // namespace
}  // namespace a2w
