// Turns a fuzzer's bytes into decisions: "which call next", "which argument".
// Every byte string is a valid program: when the bytes run out every answer
// is 0 (the first option), and the session ends at the next operation.
// Portable and dependency-free, so the same fuzz targets run under libFuzzer
// (clang) and under the seeded driver in the GoogleTest binary (g++).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>

namespace a2w::fuzz {

class FuzzBytes {
 public:
  FuzzBytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool exhausted() const { return used_ >= size_; }
  std::size_t remaining() const { return exhausted() ? 0 : size_ - used_; }

  std::uint8_t byte() { return exhausted() ? 0 : data_[used_++]; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(u16()) | (static_cast<std::uint32_t>(u16()) << 16); }
  std::uint64_t u64() { return static_cast<std::uint64_t>(u32()) | (static_cast<std::uint64_t>(u32()) << 32); }

  // Uniform enough in [lo, hi] (inclusive); lo when exhausted.
  std::int64_t range(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    const std::uint64_t raw = span <= 256 ? byte() : span <= 65536 ? u16() : u64();
    return lo + static_cast<std::int64_t>(raw % span);
  }
  int below(int n) { return static_cast<int>(range(0, n - 1)); }

  // True about once in `n` (never when exhausted, so defaults win at the end).
  bool oneIn(int n) { return !exhausted() && byte() % n == 0; }
  bool flag() { return (byte() & 1) != 0; }

  template <typename T>
  T pick(std::initializer_list<T> options) {
    return options.begin()[below(static_cast<int>(options.size()))];
  }

  // A double a host might pass as a rate or a fuzzer might dream up: the
  // usual rates, their neighbours, zero, negatives, NaN, infinities, huge.
  double interestingDouble() {
    switch (below(4)) {
      case 0:
        return pick<double>({44100, 48000, 88200, 96000, 176400, 192000, 8000, 22050, 32000, 384000});
      case 1:
        return pick<double>({0.0, -0.0, -48000, 48000.4, 48000.6, 47999.5, 1e-300, 1e300, 0.5, 1.0});
      case 2: {
        const double specials[] = {__builtin_nan(""), __builtin_inf(), -__builtin_inf(), 5e-324, 1.7976931348623157e308};
        return specials[below(5)];
      }
      default: {
        const std::uint64_t bits = u64();
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        return d;
      }
    }
  }

  // An int32 from the edges and from everywhere.
  std::int32_t interestingInt() {
    switch (below(3)) {
      case 0: return pick<std::int32_t>({0, 1, -1, 2, 64, 256, 2048, 2147483647, -2147483647 - 1, 65536});
      case 1: return static_cast<std::int32_t>(range(-4, 64));
      default: return static_cast<std::int32_t>(u32());
    }
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t used_ = 0;
};

}  // namespace a2w::fuzz
