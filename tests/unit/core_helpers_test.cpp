// The small pieces DriverCore is built from: buffer size rules, rate
// matching, fixed-size text, host buffers, the position seqlock.
#include <gtest/gtest.h>

#include <cstdint>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

#include "core/buffer_size_rules.h"
#include "core/fixed_text.h"
#include "core/host_buffers.h"
#include "core/sample_position.h"
#include "core/sample_rates.h"

namespace a2w {
namespace {

TEST(BufferSizeRules, PowersOfTwo) {
  const BufferSizeOptions o{64, 2048, 256, -1};
  for (std::int32_t n : {64, 128, 256, 512, 1024, 2048}) EXPECT_TRUE(isOfferedBufferSize(o, n)) << n;
  for (std::int32_t n : {0, -64, 32, 96, 4096, 100, 2047}) EXPECT_FALSE(isOfferedBufferSize(o, n)) << n;
  EXPECT_EQ(describeBufferSizes(o), "powers of two from 64 to 2048");
}

TEST(BufferSizeRules, Steps) {
  const BufferSizeOptions o{48, 480, 96, 48};
  for (std::int32_t n : {48, 96, 144, 480}) EXPECT_TRUE(isOfferedBufferSize(o, n)) << n;
  for (std::int32_t n : {0, 47, 50, 528}) EXPECT_FALSE(isOfferedBufferSize(o, n)) << n;
  EXPECT_EQ(describeBufferSizes(o), "48 to 480 in steps of 48");
}

TEST(BufferSizeRules, OnlyPreferred) {
  const BufferSizeOptions o{480, 480, 480, 0};
  EXPECT_TRUE(isOfferedBufferSize(o, 480));
  EXPECT_FALSE(isOfferedBufferSize(o, 512));
  EXPECT_EQ(describeBufferSizes(o), "only 480");
}

TEST(BufferSizeRules, PreferredIsAlwaysOfferedAndSettingsApplyOnlyWhenValid) {
  const BufferSizeOptions o{64, 2048, 480, -1};  // a non-power-of-two preference
  EXPECT_TRUE(isOfferedBufferSize(o, 480));
  EXPECT_EQ(applyPreferredSize(o, 1024).preferred, 1024);
  EXPECT_EQ(applyPreferredSize(o, 1000).preferred, 480);
  EXPECT_EQ(applyPreferredSize(o, 0).preferred, 480);
  EXPECT_EQ(applyPreferredSize(o, -5).preferred, 480);
}

TEST(SampleRates, MatchWithTolerance) {
  const std::vector<double> rates{44100, 48000};
  EXPECT_EQ(matchSampleRate(rates, 44100.2), 44100.0);
  EXPECT_FALSE(matchSampleRate(rates, 44101));
  EXPECT_FALSE(matchSampleRate(rates, 0));
  EXPECT_FALSE(matchSampleRate(rates, -48000));
  EXPECT_FALSE(matchSampleRate(rates, std::nan("")));
  EXPECT_EQ(formatRate(48000), "48000 Hz");
  EXPECT_EQ(formatRateList({44100, 48000, 96000}), "44100, 48000 and 96000 Hz");
  EXPECT_EQ(formatRateList({48000}), "48000 Hz");
}

TEST(FixedText, TruncatesOnUtf8Boundaries) {
  char out[8];
  std::memset(out, '#', sizeof out);
  copyFixedText(out, 5, "abcdefgh");
  EXPECT_STREQ(out, "abcd");
  EXPECT_EQ(out[5], '#');
  // "abc" + U+00E9 (2 bytes): 4 bytes of room would split the é.
  copyFixedText(out, 5, "abc\xC3\xA9z");
  EXPECT_STREQ(out, "abc");
  copyFixedText(nullptr, 5, "x");  // no crash
  copyFixedText(out, 0, "x");
}

TEST(HostBuffers, AlignedZeroedAndSeparate) {
  HostBuffers b;
  ASSERT_TRUE(b.allocate(3, 100));
  for (std::size_t c = 0; c < 3; ++c) {
    for (int h = 0; h < 2; ++h) {
      auto* p = static_cast<unsigned char*>(b.half(c, h));
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % HostBuffers::kAlignment, 0u);
      for (int i = 0; i < 100; ++i) ASSERT_EQ(p[i], 0);
      std::memset(p, 0xff, 100);  // ASan catches overlap or overrun
    }
  }
  EXPECT_EQ(b.half(3, 0), nullptr);
  EXPECT_EQ(b.half(0, 2), nullptr);
  EXPECT_FALSE(b.allocate(2, SIZE_MAX - 10));
  EXPECT_EQ(b.half(0, 0), nullptr);
}

TEST(PublishedPosition, ReadsWhatWasPublished) {
  PublishedPosition p;
  PublishedPosition::Value v;
  EXPECT_FALSE(p.read(&v));
  p.publish({512, 99});
  ASSERT_TRUE(p.read(&v));
  EXPECT_EQ(v.samples, 512u);
  EXPECT_EQ(v.systemTimeNs, 99u);
  p.reset();
  EXPECT_FALSE(p.read(&v));
}

// A reader on another thread never sees the position of one period with the
// timestamp of another, and never sees time go backwards (run under TSan too).
TEST(PublishedPosition, ConcurrentReadsSeeConsistentMonotonicPairs) {
  PublishedPosition p;
  constexpr std::uint64_t kPublishes = 200000;
  std::thread writer([&] {
    for (std::uint64_t n = 1; n <= kPublishes; ++n) p.publish({n * 64, n * 3000});
  });
  std::uint64_t last = 0, reads = 0;
  for (;;) {
    PublishedPosition::Value v;
    if (p.read(&v)) {
      ++reads;
      ASSERT_EQ(v.systemTimeNs, v.samples / 64 * 3000);
      ASSERT_GE(v.samples, last);
      last = v.samples;
      if (v.samples == kPublishes * 64) break;
    }
  }
  writer.join();
  EXPECT_GT(reads, 0u);
}

}  // namespace
}  // namespace a2w
