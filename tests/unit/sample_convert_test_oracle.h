// A test-side model of every sample format and of the conversion rules in
// core/sample_convert.h, written independently of src/core: formats are
// described by data (bytes, bits, justification) and decoded byte by byte,
// values go through long double. The tests compare the driver's output with
// this model byte for byte.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "asio/asio_abi.h"
#include "core/device_format.h"

namespace a2w::test {

enum class Kind { Int, Float32, Float64 };

// A sample format as the tests see it.
struct Format {
  std::string name;
  Kind kind;
  int bytes;
  int bits;       // valid bits of an integer format
  int shift = 0;  // left-justification of the valid bits inside the word
};

inline Format describe(asio::SampleType t) {
  using T = asio::SampleType;
  switch (t) {
    case T::Int16LSB: return {"Int16LSB", Kind::Int, 2, 16};
    case T::Int24LSB: return {"Int24LSB", Kind::Int, 3, 24};
    case T::Int32LSB: return {"Int32LSB", Kind::Int, 4, 32};
    case T::Float32LSB: return {"Float32LSB", Kind::Float32, 4, 24};
    case T::Float64LSB: return {"Float64LSB", Kind::Float64, 8, 53};
    case T::Int32LSB16: return {"Int32LSB16", Kind::Int, 4, 16};
    case T::Int32LSB18: return {"Int32LSB18", Kind::Int, 4, 18};
    case T::Int32LSB20: return {"Int32LSB20", Kind::Int, 4, 20};
    case T::Int32LSB24: return {"Int32LSB24", Kind::Int, 4, 24};
    default: return {"unsupported", Kind::Int, 0, 0};
  }
}

inline Format describe(DeviceSampleFormat f) {
  using F = DeviceSampleFormat;
  switch (f) {
    case F::Int16: return {"int16", Kind::Int, 2, 16};
    case F::Int24Packed: return {"int24", Kind::Int, 3, 24};
    case F::Int24In32: return {"int24in32", Kind::Int, 4, 24, 8};
    case F::Int32: return {"int32", Kind::Int, 4, 32};
    case F::Float32: return {"float32", Kind::Float32, 4, 24};
  }
  return {"?", Kind::Int, 0, 0};
}

inline const std::vector<asio::SampleType>& allHostTypes() {
  using T = asio::SampleType;
  static const std::vector<T> types = {T::Int16LSB,   T::Int24LSB,   T::Int32LSB,   T::Float32LSB, T::Float64LSB,
                                       T::Int32LSB16, T::Int32LSB18, T::Int32LSB20, T::Int32LSB24};
  return types;
}

inline const std::vector<DeviceSampleFormat>& allDeviceFormats() {
  using F = DeviceSampleFormat;
  static const std::vector<F> formats = {F::Int16, F::Int24Packed, F::Int24In32, F::Int32, F::Float32};
  return formats;
}

inline std::int64_t intMax(const Format& f) { return (std::int64_t{1} << (f.bits - 1)) - 1; }
inline std::int64_t intMin(const Format& f) { return -(std::int64_t{1} << (f.bits - 1)); }

// Little-endian word of f.bytes bytes.
inline std::uint64_t readWord(const Format& f, const unsigned char* p) {
  std::uint64_t u = 0;
  for (int i = f.bytes - 1; i >= 0; --i) u = (u << 8) | p[i];
  return u;
}

inline void writeWord(const Format& f, unsigned char* p, std::uint64_t u) {
  for (int i = 0; i < f.bytes; ++i) p[i] = static_cast<unsigned char>(u >> (8 * i));
}

inline std::int64_t decodeInt(const Format& f, const unsigned char* p) {
  const std::uint64_t field = (readWord(f, p) >> f.shift) & ((std::uint64_t{1} << f.bits) - 1);
  const auto v = static_cast<std::int64_t>(field);
  return v > intMax(f) ? v - (std::int64_t{1} << f.bits) : v;
}

// Writes integer k: shifted into place, sign-extended through any upper bits
// of the word (Int32LSBnn) and with zero bits below (int24in32).
inline void encodeInt(const Format& f, unsigned char* p, std::int64_t k) {
  writeWord(f, p, static_cast<std::uint64_t>(k) << f.shift);
}

inline void encodeFloat(const Format& f, unsigned char* p, long double x) {
  if (f.kind == Kind::Float32) {
    const auto v = static_cast<float>(x);
    std::memcpy(p, &v, 4);
  } else {
    const auto v = static_cast<double>(x);
    std::memcpy(p, &v, 8);
  }
}

inline long double decodeFloat(const Format& f, const unsigned char* p) {
  if (f.kind == Kind::Float32) {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  double v;
  std::memcpy(&v, p, 8);
  return v;
}

// The sample's value with full scale +-1.0 (NaN and inf kept as they are).
inline long double normalized(const Format& f, const unsigned char* p) {
  if (f.kind != Kind::Int) return decodeFloat(f, p);
  return std::ldexp(static_cast<long double>(decodeInt(f, p)), 1 - f.bits);
}

// What the conversion rules say `x` (full scale +-1.0) becomes in `target`.
inline void expectedEncoding(const Format& target, long double x, unsigned char* out) {
  if (target.kind == Kind::Int) {
    if (std::isnan(x)) return encodeInt(target, out, 0);
    const long double scaled = std::ldexp(x, target.bits - 1);
    const auto max = static_cast<long double>(intMax(target));
    const auto min = static_cast<long double>(intMin(target));
    if (scaled >= max) return encodeInt(target, out, intMax(target));
    if (scaled <= min) return encodeInt(target, out, intMin(target));
    return encodeInt(target, out, static_cast<std::int64_t>(std::roundl(scaled)));  // ties away from zero
  }
  if (std::isnan(x)) return encodeFloat(target, out, 0.0L);
  if (std::isinf(x)) return encodeFloat(target, out, x > 0 ? 1.0L : -1.0L);
  if (target.kind == Kind::Float32) {
    const long double fmax = std::numeric_limits<float>::max();
    if (x > fmax) x = fmax;
    if (x < -fmax) x = -fmax;
  }
  encodeFloat(target, out, x);
}

// A set of interesting source samples in format f (raw bytes, f.bytes each):
// the edges, powers of two and half-LSB values of every narrower width, then
// `randomCount` seeded random values.
inline std::vector<unsigned char> interestingSamples(const Format& f, int randomCount, std::uint32_t seed) {
  std::vector<unsigned char> raw;
  auto pushInt = [&](std::int64_t k) {
    if (k > intMax(f)) k = intMax(f);
    if (k < intMin(f)) k = intMin(f);
    raw.resize(raw.size() + static_cast<std::size_t>(f.bytes));
    encodeInt(f, raw.data() + raw.size() - static_cast<std::size_t>(f.bytes), k);
  };
  auto pushFloat = [&](long double x) {
    raw.resize(raw.size() + static_cast<std::size_t>(f.bytes));
    encodeFloat(f, raw.data() + raw.size() - static_cast<std::size_t>(f.bytes), x);
  };
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  auto random64 = [&state] {  // splitmix64
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };

  if (f.kind == Kind::Int) {
    for (std::int64_t k : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, intMax(f), intMin(f), intMax(f) - 1,
                           intMin(f) + 1}) {
      pushInt(k);
    }
    for (int j = 1; j < f.bits; ++j) {
      const std::int64_t half = std::int64_t{1} << (j - 1);  // half an LSB of a format j bits narrower
      for (std::int64_t k : {half, half - 1, half + 1, 3 * half, intMax(f) - half, intMax(f) - half + 1}) {
        pushInt(k);
        pushInt(-k);
      }
    }
    for (int i = 0; i < randomCount; ++i) {
      const std::int64_t span = std::int64_t{1} << f.bits;
      pushInt(static_cast<std::int64_t>(random64() % static_cast<std::uint64_t>(span)) + intMin(f));
    }
    return raw;
  }

  const long double inf = std::numeric_limits<long double>::infinity();
  const long double nan = std::numeric_limits<long double>::quiet_NaN();
  for (long double x : {0.0L, -0.0L, 1.0L, -1.0L, 0.5L, -0.5L, 1.5L, -1.5L, 2.0L, -2.0L, 1e-30L, -1e-30L,
                        static_cast<long double>(std::numeric_limits<float>::denorm_min()),
                        static_cast<long double>(std::numeric_limits<float>::max()),
                        -static_cast<long double>(std::numeric_limits<float>::max()), inf, -inf, nan, -nan,
                        1.0L - std::ldexp(1.0L, -24), -1.0L + std::ldexp(1.0L, -24), 0.999L, -0.999L}) {
    pushFloat(x);
  }
  if (f.kind == Kind::Float64) {
    for (long double x : {1e300L, -1e300L, 1e-300L, 1.0L + std::ldexp(1.0L, -40), 3.0e38L, 3.5e38L, -3.5e38L}) {
      pushFloat(x);
    }
  }
  // Exact ties and near-ties of every integer width: (k + 1/2) LSB.
  for (int bits : {16, 18, 20, 24, 32}) {
    for (long double k : {0.0L, 1.0L, 2.0L, 1000.0L, 4097.0L}) {
      for (long double d : {0.5L, 0.25L, 0.75L}) {
        pushFloat(std::ldexp(k + d, 1 - bits));
        pushFloat(-std::ldexp(k + d, 1 - bits));
      }
    }
    // Just under full scale: rounds up into the clip.
    pushFloat(1.0L - std::ldexp(1.0L, -bits));
  }
  for (int i = 0; i < randomCount; ++i) {
    // Uniform in [-1.25, 1.25) with the full precision of the format.
    const long double u = std::ldexp(static_cast<long double>(random64() >> 11), -53);
    pushFloat((u * 2.0L - 1.0L) * 1.25L);
  }
  return raw;
}

inline std::string hexBytes(const unsigned char* p, int n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (int i = n - 1; i >= 0; --i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

}  // namespace a2w::test
