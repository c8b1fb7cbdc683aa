// Byte layouts of single samples: how one sample of each host or device format
// is read from and written to memory. No value conversion happens here (see
// sample_quantize.h); a codec only knows its width and its bytes.
//
// Every access goes through memcpy or single bytes: device buffers from WASAPI
// need not be aligned (int24 frames are 3 bytes per channel), and a typed load
// of a misaligned int32 is undefined behaviour. Compilers turn these memcpys
// into plain moves.
//
// A codec is either an integer codec (Value = std::int32_t holding a value in
// [-2^(kBits-1), 2^(kBits-1) - 1]) or a float codec (Value = float or double,
// full scale +-1.0). kIsFloat tells which.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace a2w::codec {

// The ASIO *LSB types and WASAPI's formats are little-endian; so are x86, x64
// and ARM64 Windows, which lets whole words be copied as they are.
static_assert(std::endian::native == std::endian::little, "sample codecs assume a little-endian machine");

struct Int16 {
  using Value = std::int32_t;
  static constexpr bool kIsFloat = false;
  static constexpr int kBits = 16;
  static constexpr int kBytes = 2;
  static Value load(const unsigned char* p) {
    std::int16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(unsigned char* p, Value v) {
    const auto s = static_cast<std::int16_t>(v);
    std::memcpy(p, &s, sizeof s);
  }
};

// Three bytes, little-endian, packed (ASIO Int24LSB, WASAPI 24-bit in 3 bytes).
struct Int24Packed {
  using Value = std::int32_t;
  static constexpr bool kIsFloat = false;
  static constexpr int kBits = 24;
  static constexpr int kBytes = 3;
  static Value load(const unsigned char* p) {
    const std::uint32_t u = std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16);
    // Sign-extend bit 23 without shifting into the sign bit.
    return static_cast<std::int32_t>(u ^ 0x800000u) - 0x800000;
  }
  static void store(unsigned char* p, Value v) {
    const auto u = static_cast<std::uint32_t>(v);
    p[0] = static_cast<unsigned char>(u);
    p[1] = static_cast<unsigned char>(u >> 8);
    p[2] = static_cast<unsigned char>(u >> 16);
  }
};

struct Int32 {
  using Value = std::int32_t;
  static constexpr bool kIsFloat = false;
  static constexpr int kBits = 32;
  static constexpr int kBytes = 4;
  static Value load(const unsigned char* p) {
    std::int32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(unsigned char* p, Value v) { std::memcpy(p, &v, sizeof v); }
};

// ASIO Int32LSB16/18/20/24: an N-bit value sign-extended in the low bits of a
// 32-bit word. Reading looks only at the low N bits, so a host that leaves
// garbage in the upper bits still converts correctly.
template <int N>
struct Int32LowBits {
  static_assert(N >= 2 && N < 32);
  using Value = std::int32_t;
  static constexpr bool kIsFloat = false;
  static constexpr int kBits = N;
  static constexpr int kBytes = 4;
  static Value load(const unsigned char* p) {
    std::uint32_t u;
    std::memcpy(&u, p, sizeof u);
    constexpr std::uint32_t kSign = 1u << (N - 1);
    constexpr std::uint32_t kMask = (1u << N) - 1u;
    return static_cast<std::int32_t>((u & kMask) ^ kSign) - static_cast<std::int32_t>(kSign);
  }
  static void store(unsigned char* p, Value v) { std::memcpy(p, &v, sizeof v); }
};

// WASAPI's 24-bit-in-32 container: the 24 valid bits are the HIGH bits of the
// word and the low byte is zero. Reading ignores the low byte (it carries no
// 24-bit information), writing clears it.
struct Int24In32 {
  using Value = std::int32_t;
  static constexpr bool kIsFloat = false;
  static constexpr int kBits = 24;
  static constexpr int kBytes = 4;
  static Value load(const unsigned char* p) {
    std::int32_t w;
    std::memcpy(&w, p, sizeof w);
    return w >> 8;  // arithmetic shift (defined since C++20, and by every compiler before)
  }
  static void store(unsigned char* p, Value v) {
    const std::uint32_t w = static_cast<std::uint32_t>(v) << 8;
    std::memcpy(p, &w, sizeof w);
  }
};

struct Float32 {
  using Value = float;
  static constexpr bool kIsFloat = true;
  static constexpr int kBits = 24;  // mantissa with the implicit bit
  static constexpr int kBytes = 4;
  static Value load(const unsigned char* p) {
    float v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(unsigned char* p, Value v) { std::memcpy(p, &v, sizeof v); }
};

struct Float64 {
  using Value = double;
  static constexpr bool kIsFloat = true;
  static constexpr int kBits = 53;
  static constexpr int kBytes = 8;
  static Value load(const unsigned char* p) {
    double v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(unsigned char* p, Value v) { std::memcpy(p, &v, sizeof v); }
};

}  // namespace a2w::codec
