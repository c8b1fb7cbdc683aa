// A lock-free single-producer / single-consumer ring of fixed-size frames
// (raw bytes: the ring does not know the sample format). The input FIFO
// keeps captured device frames in it.
//
// Why SPSC and lock-free although today one thread does both ends: a backend
// may later deliver capture on its own thread, and the audio thread must
// never wait for a lock. Exactly one thread may call the producer methods
// and exactly one (possibly another) the consumer methods; allocate() and
// reset() only while neither runs.
//
// Positions are free-running unsigned counters (std::size_t, so 32 bits on
// win32): the capacity is a power of two, so `position & mask` stays right
// when a counter wraps, and `write - read` is the fill as long as the fill
// is below 2^31. The producer publishes frames with a release store of its
// position after writing them; the consumer acquires it before reading (and
// the reverse for freeing space), which is all the ordering SPSC needs.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstring>
#include <vector>

namespace a2w {

class SpscRing {
 public:
  // Two contiguous runs of frames (the second is empty unless the range wraps).
  struct Segments {
    const std::byte* first = nullptr;
    std::size_t firstFrames = 0;
    const std::byte* second = nullptr;
    std::size_t secondFrames = 0;
  };

  // Not real-time: allocates room for at least `minFrames` frames of
  // `frameBytes` bytes (rounded up to a power of two) and empties the ring.
  void allocate(std::size_t minFrames, std::size_t frameBytes) {
    std::size_t capacity = 1;
    while (capacity < minFrames) capacity <<= 1;
    frameBytes_ = frameBytes;
    capacity_ = capacity;
    data_.assign(capacity * frameBytes, std::byte{0});
    reset();
  }

  // Empties the ring. Only while neither side runs.
  void reset() {
    write_.store(0, std::memory_order_relaxed);
    read_.store(0, std::memory_order_relaxed);
  }

  std::size_t capacityFrames() const { return capacity_; }
  std::size_t frameBytes() const { return frameBytes_; }

  // --- producer side
  std::size_t writableFrames() const {
    const std::size_t w = write_.load(std::memory_order_relaxed);
    const std::size_t r = read_.load(std::memory_order_acquire);
    return capacity_ - (w - r);
  }
  // Appends up to `frames` frames from `source` (nullptr: zero bytes, which
  // is silence in every device format); returns how many fitted.
  std::size_t write(const std::byte* source, std::size_t frames) {
    const std::size_t w = write_.load(std::memory_order_relaxed);
    // One look at the consumer's position: it may free more room meanwhile,
    // and a second look could then let n exceed `frames`.
    const std::size_t room = writableFrames();
    const std::size_t n = frames < room ? frames : room;
    const std::size_t at = w & (capacity_ - 1);
    const std::size_t firstFrames = n < capacity_ - at ? n : capacity_ - at;
    copyIn(at, source, firstFrames);
    copyIn(0, source == nullptr ? nullptr : source + firstFrames * frameBytes_, n - firstFrames);
    write_.store(w + n, std::memory_order_release);
    return n;
  }

  // --- consumer side
  std::size_t readableFrames() const {
    const std::size_t w = write_.load(std::memory_order_acquire);
    const std::size_t r = read_.load(std::memory_order_relaxed);
    return w - r;
  }
  // The oldest min(frames, readable) frames, without consuming them.
  Segments peek(std::size_t frames) const {
    const std::size_t available = readableFrames();
    const std::size_t n = frames < available ? frames : available;
    const std::size_t at = read_.load(std::memory_order_relaxed) & (capacity_ - 1);
    Segments s;
    s.firstFrames = n < capacity_ - at ? n : capacity_ - at;
    s.first = data_.data() + at * frameBytes_;
    s.secondFrames = n - s.firstFrames;
    s.second = data_.data();
    return s;
  }
  // Frees the oldest min(frames, readable) frames; returns how many.
  std::size_t consume(std::size_t frames) {
    const std::size_t available = readableFrames();
    const std::size_t n = frames < available ? frames : available;
    read_.store(read_.load(std::memory_order_relaxed) + n, std::memory_order_release);
    return n;
  }

 private:
  void copyIn(std::size_t at, const std::byte* source, std::size_t frames) {
    if (frames == 0) return;
    std::byte* to = data_.data() + at * frameBytes_;
    if (source == nullptr) {
      std::memset(to, 0, frames * frameBytes_);
    } else {
      std::memcpy(to, source, frames * frameBytes_);
    }
  }

  std::vector<std::byte> data_;
  std::size_t frameBytes_ = 1;
  std::size_t capacity_ = 1;
  // Separate cache lines: the two threads write one each.
  alignas(64) std::atomic<std::size_t> write_{0};
  alignas(64) std::atomic<std::size_t> read_{0};
};

}  // namespace a2w
