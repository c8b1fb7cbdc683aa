// The lock-free queues with their real threads: SpscRing with a producer and
// a consumer thread (the input FIFO's ring, when capture arrives on its own
// thread), MpscQueue with several producers and one consumer (the logger's).
// Under ThreadSanitizer a missing acquire/release is a report; the content
// checks catch a torn or reordered frame.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "core/log_queue.h"
#include "core/spsc_ring.h"

namespace a2w {
namespace {

// Frames are two 64-bit words (n, ~n): a frame read before it was fully
// written, or twice, or out of order, breaks the sequence.
TEST(SpscRingRace, ProducerAndConsumerThreadsSeeEveryFrameOnceInOrder) {
  constexpr std::size_t kFrames = 500000;
  SpscRing ring;
  ring.allocate(48, 16);  // 64 frames: wraps some 8000 times
  std::thread producer([&] {
    std::uint64_t next = 0;
    std::uint64_t chunk[2 * 7];
    while (next < kFrames) {
      const std::size_t want = std::min<std::uint64_t>(1 + next % 7, kFrames - next);
      for (std::size_t i = 0; i < want; ++i) {
        chunk[2 * i] = next + i;
        chunk[2 * i + 1] = ~(next + i);
      }
      next += ring.write(reinterpret_cast<const std::byte*>(chunk), want);
      if (ring.writableFrames() == 0) std::this_thread::yield();
    }
  });
  std::uint64_t expected = 0;
  std::uint64_t broken = 0;
  while (expected < kFrames) {
    const SpscRing::Segments s = ring.peek(1 + expected % 11);
    std::size_t taken = 0;
    for (const auto& [data, frames] : {std::pair{s.first, s.firstFrames}, std::pair{s.second, s.secondFrames}}) {
      for (std::size_t f = 0; f < frames; ++f) {
        std::uint64_t words[2];
        std::memcpy(words, data + f * 16, 16);
        if (words[0] != expected || words[1] != ~expected) ++broken;
        ++expected;
        ++taken;
      }
    }
    if (ring.consume(taken) != taken) ++broken;
    if (taken == 0) std::this_thread::yield();
  }
  producer.join();
  EXPECT_EQ(broken, 0u);
  EXPECT_EQ(ring.readableFrames(), 0u);
}

TEST(MpscQueueRace, FourProducersOneConsumerLoseNothingAndKeepEachProducersOrder) {
  struct Item {
    std::uint32_t producer;
    std::uint32_t sequence;
    std::uint64_t check;
  };
  constexpr std::uint32_t kProducers = 4, kEach = 30000;
  log::MpscQueue<Item> q(64);
  std::vector<std::thread> producers;
  for (std::uint32_t p = 0; p < kProducers; ++p) {
    producers.emplace_back([&q, p] {
      for (std::uint32_t i = 0; i < kEach; ++i) {
        while (!q.tryPush([&](Item& v) { v = {p, i, (std::uint64_t{p} << 32 | i) * 0x9E3779B97F4A7C15ull}; })) {
          std::this_thread::yield();  // full: the consumer catches up
        }
      }
    });
  }
  std::vector<std::uint32_t> next(kProducers, 0);
  std::uint64_t taken = 0, broken = 0;
  while (taken < std::uint64_t{kProducers} * kEach) {
    const bool got = q.tryPop([&](const Item& v) {
      if (v.producer >= kProducers || v.sequence != next[v.producer] ||
          v.check != (std::uint64_t{v.producer} << 32 | v.sequence) * 0x9E3779B97F4A7C15ull) {
        ++broken;
      } else {
        ++next[v.producer];
      }
      ++taken;
    });
    if (!got) std::this_thread::yield();
  }
  for (auto& t : producers) t.join();
  EXPECT_EQ(broken, 0u);
  for (std::uint32_t p = 0; p < kProducers; ++p) EXPECT_EQ(next[p], kEach);
  EXPECT_EQ(q.claimed(), q.taken());
}

}  // namespace
}  // namespace a2w
