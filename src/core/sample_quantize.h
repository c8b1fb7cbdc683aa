// Value conversion of single samples between two codecs (sample_codec.h): the
// rules documented in sample_convert.h, one function per kind of pair.
//
//   int -> int     same width exact; wider -> narrower rounds to nearest (ties
//                  away from zero) and clips; narrower -> wider shifts left.
//   int -> float   divides by 2^(n-1), exactly, in double; a float32 target
//                  then rounds once.
//   float -> int   multiplies by 2^(n-1), rounds to nearest (ties away from
//                  zero), clips to [-2^(n-1), 2^(n-1) - 1]; NaN gives 0.
//   float -> float never clips finite values; NaN gives 0, +-inf gives +-1.0,
//                  a finite double beyond float range saturates to +-FLT_MAX.
//
// Scalar, branch-light and allocation-free: the audio thread calls these once
// per sample. All integer arithmetic that could leave 32 bits is done in 64.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/sample_codec.h"

namespace a2w::quantize {

// 2^n as a double, exact for the small n used here.
constexpr double pow2(int n) {
  double r = 1.0;
  for (; n > 0; --n) r *= 2.0;
  for (; n < 0; ++n) r *= 0.5;
  return r;
}

// Rounds `scaled` (already in LSBs of a Bits-bit integer) to nearest, ties
// away from zero, clipping to the Bits-bit range. NaN gives 0; +-inf clip.
template <int Bits>
std::int32_t roundAndClip(double scaled) {
  constexpr double kMax = pow2(Bits - 1) - 1.0;
  constexpr double kMin = -pow2(Bits - 1);
  if (std::isnan(scaled)) return 0;
  // Clipping before rounding keeps the cast in range: anything at or above
  // kMax would round to kMax or beyond anyway.
  if (scaled >= kMax) return static_cast<std::int32_t>(kMax);
  if (scaled <= kMin) return static_cast<std::int32_t>(kMin);
  return static_cast<std::int32_t>(std::round(scaled));
}

// Integer of From bits to integer of To bits.
template <int From, int To>
std::int32_t intToInt(std::int32_t v) {
  if constexpr (To >= From) {
    // Multiplication instead of a shift: the same left shift, but never a
    // question of shifting a negative value. |v| <= 2^(From-1), so the
    // product fits in To <= 32 bits.
    return static_cast<std::int32_t>(std::int64_t{v} * (std::int64_t{1} << (To - From)));
  } else {
    constexpr int kShift = From - To;
    constexpr std::int64_t kHalf = std::int64_t{1} << (kShift - 1);
    constexpr std::int64_t kMax = (std::int64_t{1} << (To - 1)) - 1;
    const std::int64_t wide = v;
    // Ties away from zero, symmetric: round the magnitude, restore the sign.
    const std::int64_t rounded = wide >= 0 ? (wide + kHalf) >> kShift : -((-wide + kHalf) >> kShift);
    // Only the top can overflow: 2^(From-1) - 1 rounds up to 2^(To-1) (e.g.
    // int32 0x7FFFFFFF to int16 would be 32768). The bottom lands exactly on
    // -2^(To-1) at worst.
    return static_cast<std::int32_t>(rounded > kMax ? kMax : rounded);
  }
}

// Integer of Bits bits to a full-scale-is-1.0 double. Exact.
template <int Bits>
double intToUnit(std::int32_t v) {
  return static_cast<double>(v) * pow2(1 - Bits);
}

// A float value headed for a float32 target: never NaN, never inf.
inline float toFloat32(double x) {
  constexpr double kFloatMax = std::numeric_limits<float>::max();
  if (std::isnan(x)) return 0.0f;
  if (x > kFloatMax) return std::isinf(x) ? 1.0f : std::numeric_limits<float>::max();
  if (x < -kFloatMax) return std::isinf(x) ? -1.0f : -std::numeric_limits<float>::max();
  return static_cast<float>(x);
}

// float32 to float32: the bits of every finite value are copied untouched
// (including -0.0 and denormals, whatever the FPU's flush-to-zero mode), only
// NaN and +-inf are replaced.
inline float sanitizeFloat32(float v) {
  const auto bits = std::bit_cast<std::uint32_t>(v);
  constexpr std::uint32_t kExponent = 0x7f800000u;
  if ((bits & kExponent) != kExponent) return v;
  if ((bits & 0x007fffffu) != 0) return 0.0f;  // NaN
  return (bits & 0x80000000u) != 0 ? -1.0f : 1.0f;
}

inline double sanitizeFloat64(double v) {
  if (std::isnan(v)) return 0.0;
  if (std::isinf(v)) return v > 0 ? 1.0 : -1.0;
  return v;
}

// True when a dither object changes the conversion From -> To: the target is
// an integer format with fewer bits of resolution than the source.
template <class From, class To>
inline constexpr bool kDitherNarrows = !To::kIsFloat && To::kBits < From::kBits;

// One sample From -> To, without dither.
template <class From, class To>
typename To::Value convert(typename From::Value v) {
  if constexpr (!From::kIsFloat && !To::kIsFloat) {
    return intToInt<From::kBits, To::kBits>(v);
  } else if constexpr (!From::kIsFloat && To::kIsFloat) {
    return static_cast<typename To::Value>(intToUnit<From::kBits>(v));
  } else if constexpr (From::kIsFloat && !To::kIsFloat) {
    return roundAndClip<To::kBits>(static_cast<double>(v) * pow2(To::kBits - 1));
  } else if constexpr (sizeof(typename To::Value) == sizeof(float)) {
    if constexpr (sizeof(typename From::Value) == sizeof(float)) {
      return sanitizeFloat32(v);
    } else {
      return toFloat32(v);
    }
  } else {
    return sanitizeFloat64(static_cast<double>(v));
  }
}

// One sample From -> To with `noise` (in LSBs of To, within (-1, 1)) added
// before rounding. Only for pairs where kDitherNarrows holds.
template <class From, class To>
typename To::Value convertDithered(typename From::Value v, double noise) {
  static_assert(kDitherNarrows<From, To>, "dither applies only when narrowing to an integer format");
  if constexpr (From::kIsFloat) {
    // NaN stays NaN through the addition and roundAndClip turns it into 0.
    return roundAndClip<To::kBits>(static_cast<double>(v) * pow2(To::kBits - 1) + noise);
  } else {
    return roundAndClip<To::kBits>(static_cast<double>(v) * pow2(To::kBits - From::kBits) + noise);
  }
}

}  // namespace a2w::quantize
