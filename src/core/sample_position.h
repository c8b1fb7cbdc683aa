// The sample position and system time of the last period boundary, written
// by the audio thread and read by getSamplePosition on any thread.
//
// A seqlock: the single writer makes the sequence odd, stores the pair, makes
// it even again; a reader retries while the sequence is odd or moved. The
// audio thread never waits, the reader never sees a position from one period
// with the timestamp of another. Every field is an atomic, so there is no
// data race for the sanitizers to report either.
#pragma once

#include <atomic>
#include <cstdint>

namespace a2w {

class PublishedPosition {
 public:
  struct Value {
    std::uint64_t samples = 0;      // frames since start
    std::uint64_t systemTimeNs = 0; // when that frame passed
  };

  // Not while the audio thread runs (start() calls it before the backend starts).
  void reset() noexcept {
    published_.store(false, std::memory_order_relaxed);
    samples_.store(0, std::memory_order_relaxed);
    systemTimeNs_.store(0, std::memory_order_relaxed);
  }

  // Audio thread only.
  void publish(Value value) noexcept {
    const std::uint32_t s = sequence_.load(std::memory_order_relaxed);
    sequence_.store(s + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    samples_.store(value.samples, std::memory_order_relaxed);
    systemTimeNs_.store(value.systemTimeNs, std::memory_order_relaxed);
    sequence_.store(s + 2, std::memory_order_release);
    published_.store(true, std::memory_order_release);
  }

  // Any thread. False until the first publish() after reset().
  bool read(Value* out) const noexcept {
    // The writer holds the sequence odd for two stores, so a few tries always
    // suffice; the bound only guarantees this can never spin forever.
    if (!published_.load(std::memory_order_acquire)) return false;
    for (int attempt = 0; attempt < 10000; ++attempt) {
      const std::uint32_t before = sequence_.load(std::memory_order_acquire);
      if (before & 1u) continue;
      Value v{samples_.load(std::memory_order_relaxed), systemTimeNs_.load(std::memory_order_relaxed)};
      std::atomic_thread_fence(std::memory_order_acquire);
      if (sequence_.load(std::memory_order_relaxed) == before) {
        *out = v;
        return true;
      }
    }
    return false;
  }

 private:
  std::atomic<std::uint32_t> sequence_{0};  // odd while the writer is between its stores
  std::atomic<bool> published_{false};
  std::atomic<std::uint64_t> samples_{0};
  std::atomic<std::uint64_t> systemTimeNs_{0};
};

}  // namespace a2w
