// A bounded record of frame positions written from a driver's callback
// thread: asiohost notes where in the stream each kResyncRequest,
// kLatenciesChanged and kOverload came. record() never allocates, locks or
// blocks (it runs inside asioMessage, on the driver's audio thread, maybe
// from inside a driver call the host made in bufferSwitch), so the storage
// is reserved before start; what does not fit is counted, never lost
// silently.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace a2w::host {

class PositionLog {
 public:
  // Before the writers run (allocates); forgets what was recorded.
  void reserve(std::size_t capacity) {
    slots_.assign(capacity, 0);
    count_.store(0, std::memory_order_relaxed);
  }

  // Any thread, any number of them: each call takes its own slot.
  void record(std::uint64_t position) noexcept {
    const std::uint64_t i = count_.fetch_add(1, std::memory_order_relaxed);
    if (i < slots_.size()) slots_[static_cast<std::size_t>(i)] = position;
  }

  // Every record() so far, stored or not (exact while writers run).
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  std::uint64_t dropped() const noexcept {
    const std::uint64_t n = count();
    return n > slots_.size() ? n - slots_.size() : 0;
  }

  // The stored positions in the order they were recorded. Only once the
  // writers stopped (for asiohost: after the driver's stop() returned).
  std::vector<std::uint64_t> positions() const {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(count(), slots_.size()));
    return {slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(n)};
  }

 private:
  std::vector<std::uint64_t> slots_;
  std::atomic<std::uint64_t> count_{0};
};

}  // namespace a2w::host
