// The WAV writer of `asiohost record` (tools/common/wav_file.h): the exact
// header bytes, the extensible form beyond two channels, and reading back.
#include "common/wav_file.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace a2w::host;

std::uint32_t u32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)])) << (8 * i);
  return v;
}
std::uint16_t u16(const std::string& b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8));
}

TEST(WavFile, StereoHeaderIsIeeeFloatWithFact) {
  const std::vector<float> samples = {0.5f, -0.5f, 0.25f, -1.0f, 1.0f, 0.0f};  // 3 frames
  const std::string w = wavFloat32(samples, 2, 48000);
  ASSERT_EQ(w.size(), 12u + 8 + 18 + 8 + 4 + 8 + 24);
  EXPECT_EQ(w.substr(0, 4), "RIFF");
  EXPECT_EQ(u32(w, 4), w.size() - 8);
  EXPECT_EQ(w.substr(8, 4), "WAVE");
  EXPECT_EQ(w.substr(12, 4), "fmt ");
  EXPECT_EQ(u32(w, 16), 18u);
  EXPECT_EQ(u16(w, 20), 3u);       // WAVE_FORMAT_IEEE_FLOAT
  EXPECT_EQ(u16(w, 22), 2u);       // channels
  EXPECT_EQ(u32(w, 24), 48000u);   // rate
  EXPECT_EQ(u32(w, 28), 384000u);  // bytes per second
  EXPECT_EQ(u16(w, 32), 8u);       // block align
  EXPECT_EQ(u16(w, 34), 32u);      // bits
  EXPECT_EQ(u16(w, 36), 0u);       // cbSize
  EXPECT_EQ(w.substr(38, 4), "fact");
  EXPECT_EQ(u32(w, 42), 4u);
  EXPECT_EQ(u32(w, 46), 3u);       // frames
  EXPECT_EQ(w.substr(50, 4), "data");
  EXPECT_EQ(u32(w, 54), 24u);
  float first = 0;
  std::memcpy(&first, w.data() + 58, 4);  // little-endian host (x86 and the tests' Linux)
  EXPECT_EQ(first, 0.5f);
}

TEST(WavFile, ReadsBackWhatItWrote) {
  std::vector<float> samples;
  for (int i = 0; i < 200; ++i) samples.push_back(static_cast<float>(i) / 256.0f - 0.3f);
  const auto w = readWavFloat32(wavFloat32(samples, 1, 44100));
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->formatTag, 3u);
  EXPECT_EQ(w->channels, 1u);
  EXPECT_EQ(w->sampleRate, 44100u);
  EXPECT_EQ(w->bitsPerSample, 32u);
  EXPECT_EQ(w->factFrames, 200u);
  EXPECT_EQ(w->samples, samples);
}

TEST(WavFile, MoreThanTwoChannelsUseExtensible) {
  const std::vector<float> samples(8 * 10, 0.125f);
  const std::string bytes = wavFloat32(samples, 8, 44100);
  EXPECT_EQ(u32(bytes, 16), 40u);
  EXPECT_EQ(u16(bytes, 20), 0xFFFEu);
  EXPECT_EQ(u16(bytes, 36), 22u);  // cbSize
  EXPECT_EQ(u16(bytes, 38), 32u);  // valid bits
  EXPECT_EQ(u32(bytes, 44), 3u);   // the sub-format GUID's first field: IEEE float
  const auto w = readWavFloat32(bytes);
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->channels, 8u);
  EXPECT_EQ(w->samples, samples);
}

TEST(WavFile, EmptyRecordingIsAValidFile) {
  const auto w = readWavFloat32(wavFloat32({}, 2, 48000));
  ASSERT_TRUE(w.has_value());
  EXPECT_TRUE(w->samples.empty());
  EXPECT_EQ(w->factFrames, 0u);
}

TEST(WavFile, RejectsBadArguments) {
  const std::vector<float> three = {0.f, 0.f, 0.f};
  EXPECT_THROW(wavFloat32(three, 2, 48000), std::invalid_argument);
  EXPECT_THROW(wavFloat32(three, 0, 48000), std::invalid_argument);
}

TEST(WavFile, ReaderRejectsOtherFilesAndSkipsUnknownChunks) {
  EXPECT_FALSE(readWavFloat32("not a wav file at all").has_value());
  std::string w = wavFloat32(std::vector<float>{1.0f, -1.0f}, 2, 48000);
  // Insert an odd-sized unknown chunk (padded to even) before "fact".
  const std::string junk = std::string("junk") + std::string("\x03\x00\x00\x00", 4) + "abc" + std::string(1, '\0');
  w.insert(38, junk);
  const std::uint32_t riff = static_cast<std::uint32_t>(w.size() - 8);
  for (int i = 0; i < 4; ++i) w[4 + static_cast<std::size_t>(i)] = static_cast<char>((riff >> (8 * i)) & 0xFF);
  const auto r = readWavFloat32(w);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->samples, (std::vector<float>{1.0f, -1.0f}));
  std::string pcm = wavFloat32(std::vector<float>{0.f}, 1, 8000);
  pcm[20] = 1;  // WAVE_FORMAT_PCM
  EXPECT_FALSE(readWavFloat32(pcm).has_value());
}

}  // namespace
