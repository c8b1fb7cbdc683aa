// A bounded, lock-free multi-producer / single-consumer queue of fixed-size
// values: the logger's records travel from every thread (the audio thread
// included) to the log writer through it.
//
// Each cell carries a sequence number. Cell i starts at sequence i. A
// producer claims position p with a compare-exchange on the shared head
// when cell p's sequence says it is free (== p), fills the value in place,
// then publishes it by storing p + 1 (release). The consumer reads position
// t when the cell's sequence is t + 1 (acquire), and frees the cell for the
// next lap by storing t + capacity. A cell whose sequence is behind the
// producer's position still holds last lap's value: the queue is full and
// the push fails at once (the caller counts a dropped record).
//
// Producers never wait for the consumer, never allocate and take no lock:
// the only loop is the compare-exchange, which retries only when another
// producer claimed the same position first (lock-free). The consumer may
// see "empty" while an earlier-claimed cell is still being filled; it picks
// it up on its next pass. Positions are std::size_t and may wrap: every
// comparison is on the signed difference.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

namespace a2w::log {

template <typename T>
class MpscQueue {
  static_assert(std::is_trivially_copyable_v<T>, "records are copied in place, no constructors run");

 public:
  // Not real-time: allocates at least `minCapacity` cells (a power of two).
  explicit MpscQueue(std::size_t minCapacity) {
    capacity_ = 2;
    while (capacity_ < minCapacity) capacity_ <<= 1;
    cells_ = std::make_unique<Cell[]>(capacity_);
    for (std::size_t i = 0; i < capacity_; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
  }
  MpscQueue(const MpscQueue&) = delete;
  MpscQueue& operator=(const MpscQueue&) = delete;

  std::size_t capacity() const noexcept { return capacity_; }

  // Any thread. Calls fill(T&) on the claimed cell and publishes it; false
  // (fill not called) when the queue is full.
  template <typename Fill>
  bool tryPush(Fill&& fill) noexcept {
    std::size_t position = head_.load(std::memory_order_relaxed);
    for (;;) {
      Cell& cell = cells_[position & (capacity_ - 1)];
      const std::size_t sequence = cell.sequence.load(std::memory_order_acquire);
      const auto lag = static_cast<std::ptrdiff_t>(sequence - position);
      if (lag == 0) {
        if (head_.compare_exchange_weak(position, position + 1, std::memory_order_relaxed)) {
          fill(cell.value);
          cell.sequence.store(position + 1, std::memory_order_release);
          return true;
        }
        // `position` now holds the head another producer moved on to.
      } else if (lag < 0) {
        return false;  // last lap's value is still there: full
      } else {
        position = head_.load(std::memory_order_relaxed);  // we are behind: reload
      }
    }
  }

  // The consumer thread only. Calls take(const T&) on the oldest published
  // value and frees its cell; false when there is none (yet).
  template <typename Take>
  bool tryPop(Take&& take) {
    Cell& cell = cells_[tail_ & (capacity_ - 1)];
    const std::size_t sequence = cell.sequence.load(std::memory_order_acquire);
    if (static_cast<std::ptrdiff_t>(sequence - (tail_ + 1)) < 0) return false;
    take(static_cast<const T&>(cell.value));
    cell.sequence.store(tail_ + capacity_, std::memory_order_release);
    ++tail_;
    return true;
  }

  // Positions claimed so far (pushed or being pushed): a flush waits until
  // the consumer has taken this many.
  std::size_t claimed() const noexcept { return head_.load(std::memory_order_acquire); }
  // The consumer thread only: values taken so far.
  std::size_t taken() const noexcept { return tail_; }

 private:
  struct Cell {
    std::atomic<std::size_t> sequence{0};
    T value{};
  };

  std::unique_ptr<Cell[]> cells_;
  std::size_t capacity_ = 0;
  alignas(64) std::atomic<std::size_t> head_{0};  // producers
  alignas(64) std::size_t tail_ = 0;              // the consumer
};

}  // namespace a2w::log
