// SpscRing on one thread: wrap-around as two segments, partial writes when
// full, zero fill, consume. (The two-thread test under ThreadSanitizer
// comes with the threaded capture delivery.)
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/spsc_ring.h"

namespace a2w {
namespace {

TEST(SpscRing, CapacityIsAPowerOfTwo) {
  SpscRing ring;
  ring.allocate(100, 3);
  EXPECT_EQ(ring.capacityFrames(), 128u);
  EXPECT_EQ(ring.writableFrames(), 128u);
  EXPECT_EQ(ring.readableFrames(), 0u);
}

TEST(SpscRing, WrapsAsTwoSegmentsInOrder) {
  SpscRing ring;
  ring.allocate(8, 2);
  std::uint16_t next = 0, expect = 0;
  for (int round = 0; round < 50; ++round) {
    const std::size_t n = 1 + static_cast<std::size_t>(round % 7);
    std::vector<std::uint16_t> frames(n);
    for (auto& v : frames) v = next++;
    ASSERT_EQ(ring.write(reinterpret_cast<const std::byte*>(frames.data()), n), n);
    const SpscRing::Segments s = ring.peek(100);
    ASSERT_EQ(s.firstFrames + s.secondFrames, n);
    std::vector<std::uint16_t> got(n);
    std::memcpy(got.data(), s.first, s.firstFrames * 2);
    std::memcpy(got.data() + s.firstFrames, s.second, s.secondFrames * 2);
    for (std::uint16_t v : got) ASSERT_EQ(v, expect++);
    EXPECT_EQ(ring.consume(n), n);
  }
}

TEST(SpscRing, FullRingTakesWhatFitsAndZeroFills) {
  SpscRing ring;
  ring.allocate(4, 1);
  const std::byte data[6] = {std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}, std::byte{5}, std::byte{6}};
  EXPECT_EQ(ring.write(data, 3), 3u);
  EXPECT_EQ(ring.write(data, 3), 1u);  // one frame left
  EXPECT_EQ(ring.writableFrames(), 0u);
  EXPECT_EQ(ring.consume(2), 2u);
  EXPECT_EQ(ring.write(nullptr, 2), 2u);  // silence
  const SpscRing::Segments s = ring.peek(4);
  ASSERT_EQ(s.firstFrames + s.secondFrames, 4u);
  std::vector<std::byte> got(s.first, s.first + s.firstFrames);
  got.insert(got.end(), s.second, s.second + s.secondFrames);
  EXPECT_EQ(got, (std::vector<std::byte>{std::byte{3}, std::byte{1}, std::byte{0}, std::byte{0}}));
  EXPECT_EQ(ring.consume(10), 4u);  // never past the fill
}

}  // namespace
}  // namespace a2w
