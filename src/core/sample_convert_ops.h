// The conversion rules of sample_convert.h on whole vectors of 32-bit words,
// written once over an instruction-set wrapper V (sample_convert_sse2.cpp,
// sample_convert_avx2.cpp) so SSE2 and AVX2 do the same arithmetic. Each op
// gives exactly the bits of the scalar reference (sample_quantize.h) for
// every input, whatever the MXCSR rounding mode: only truncating
// conversions, exact subtractions and min/max are used.
//
// V provides, on vectors of V::kLanes 32-bit lanes (I: integer, F: float):
// set1/set1f, asF/asI (bit casts), mulf/addf/subf, minf(a, b) and maxf(a, b)
// with the x86 rule "b when either is NaN", cmpgef (false for NaN), cvtt
// (truncating float -> int32, 0x80000000 when out of range or NaN), cvt
// (int32 -> float, rounding as the current mode, as the scalar cast does),
// add/sub/and_/or_/andnot (~a & b)/cmpeq/min32, srai/srli/slli<n>, any.
//
// Everything is a template on V, so each instruction-set file gets its own
// copies (V lives in an anonymous namespace there): no inline function is
// shared between code built for different CPUs.
#pragma once

#include <cstdint>

namespace a2w::kernels::ops {

// Device words and host samples share these word layouts:
//  - a "value" is the integer in the low bits, sign-extended (what the
//    int16 and packed int24 packers take);
//  - a "justified" word holds the value in its top bits, zeros below (int32,
//    int24-in-32, and what the int16 / packed int24 unpackers produce).

inline constexpr std::int32_t kExponentBits = 0x7f800000;
inline constexpr std::int32_t kSignBit = static_cast<std::int32_t>(0x80000000u);
inline constexpr std::int32_t kAbsBits = 0x7fffffff;
inline constexpr std::int32_t kOneBits = 0x3f800000;  // 1.0f

// float32 -> float32: finite values keep their bits, NaN -> 0, +-inf -> +-1.0.
// The engine first asks V::allFinite over a whole group of vectors (one
// test for several registers) and copies them untouched when it says yes.
struct SanitizeFloat32 {
  static constexpr bool kCopiesFiniteValues = true;
  template <class V>
  static typename V::I apply(typename V::I x) {
    const auto exponent = V::set1(kExponentBits);
    const auto nonFinite = V::cmpeq(V::and_(x, exponent), exponent);
    if (!V::any(nonFinite)) return x;  // the usual case: a plain copy
    const auto isInf = V::cmpeq(V::and_(x, V::set1(kAbsBits)), exponent);
    const auto infValue = V::or_(V::and_(x, V::set1(kSignBit)), V::set1(kOneBits));
    return V::or_(V::andnot(nonFinite, x), V::and_(isInf, infValue));  // NaN lanes: neither term
  }
};

// Round to nearest, ties away from zero, of floats known to be integers or
// within (-2^31, 2^31): trunc(s) + trunc(2 * (s - trunc(s))). The difference
// is exact, lies in (-1, 1), and doubling it is exact, so the second
// truncation is 1 exactly when the fraction is >= 0.5 (-1 when <= -0.5).
// A NaN gives 0x80000000 + 0x80000000 = 0.
template <class V>
typename V::I roundHalfAway(typename V::F s) {
  const auto whole = V::cvtt(s);
  const auto fraction = V::subf(s, V::cvt(whole));
  return V::add(whole, V::cvtt(V::addf(fraction, fraction)));
}

// float (full scale +-1.0) -> the value of a Bits-bit integer (Bits <= 24,
// where the clip bounds are exact floats): scale, clip, round; NaN -> 0.
template <int Bits>
struct FloatToValue {
  static_assert(Bits >= 2 && Bits <= 24);
  template <class V>
  static typename V::I apply(typename V::I x) {
    constexpr float kScale = static_cast<float>(1u << (Bits - 1));
    const auto scaled = V::mulf(V::asF(x), V::set1f(kScale));  // exact: a power of two
    // min/max put the bound first so that a NaN passes through (and then
    // rounds to 0); clipping first keeps the rounding in range.
    const auto clipped = V::minf(V::set1f(kScale - 1.0f), V::maxf(V::set1f(-kScale), scaled));
    return roundHalfAway<V>(clipped);
  }
};

// float -> int32 (2^31 has no float neighbour below it closer than 128, so
// the top clip is done on the integer side).
struct FloatToInt32 {
  template <class V>
  static typename V::I apply(typename V::I x) {
    constexpr float kScale = 2147483648.0f;
    const auto scaled = V::mulf(V::asF(x), V::set1f(kScale));
    const auto top = V::cmpgef(scaled, V::set1f(kScale));  // false for NaN
    // Below -2^31 truncation would be out of range: clip (NaN passes). At or
    // above 2^31, roundHalfAway gives 0x80000000 + 0x80000000 = 0 and the
    // top mask ORs in 0x7fffffff.
    const auto clipped = V::maxf(V::set1f(-kScale), scaled);
    return V::or_(roundHalfAway<V>(clipped), V::template srli<1>(top));
  }
};

// float -> int24-in-32 (justified).
struct FloatToInt24In32 {
  template <class V>
  static typename V::I apply(typename V::I x) {
    return V::template slli<8>(FloatToValue<24>::apply<V>(x));
  }
};

// int32 -> justified word of (32 - Shift) bits: round half away from zero,
// clip at the top, low Shift bits zero. Negative values add half - 1 (a tie
// rounds down, away from zero), positive ones half; clamping first keeps the
// addition from overflowing and lands everything above on the maximum.
template <int Shift>
struct NarrowInt32Justified {
  static_assert(Shift >= 1 && Shift <= 24);
  template <class V>
  static typename V::I apply(typename V::I v) {
    constexpr std::int32_t kHalf = std::int32_t{1} << (Shift - 1);
    constexpr std::int32_t kLowBits = (std::int32_t{1} << Shift) - 1;
    const auto negative = V::template srli<31>(v);
    const auto clamped = V::min32(v, V::set1(0x7fffffff - kHalf));
    const auto sum = V::add(clamped, V::sub(V::set1(kHalf), negative));
    return V::andnot(V::set1(kLowBits), sum);
  }
};

// int32 -> the value of a (32 - Shift)-bit integer.
template <int Shift>
struct NarrowInt32Value {
  template <class V>
  static typename V::I apply(typename V::I v) {
    return V::template srai<Shift>(NarrowInt32Justified<Shift>::template apply<V>(v));
  }
};

// A justified integer word -> float, full scale +-1.0: the scalar code
// divides in double and rounds once to float; converting the word rounds
// once too (per the same mode), and the power-of-two scale is exact.
struct JustifiedToFloat {
  template <class V>
  static typename V::I apply(typename V::I v) {
    return V::asI(V::mulf(V::cvt(v), V::set1f(1.0f / 2147483648.0f)));
  }
};

// int24-in-32 device words: the low byte carries nothing and is ignored.
struct Int24In32ToInt32 {
  template <class V>
  static typename V::I apply(typename V::I v) {
    return V::andnot(V::set1(0xff), v);
  }
};

struct Int24In32ToFloat {
  template <class V>
  static typename V::I apply(typename V::I v) {
    return JustifiedToFloat::apply<V>(Int24In32ToInt32::apply<V>(v));
  }
};

struct Identity {
  template <class V>
  static typename V::I apply(typename V::I v) {
    return v;
  }
};

// Applies Op to G vectors; an op that copies finite values untouched is
// skipped altogether when V finds every lane of every vector finite.
template <class Op, class = void>
inline constexpr bool kCopiesFiniteValues = false;
template <class Op>
inline constexpr bool kCopiesFiniteValues<Op, decltype(void(Op::kCopiesFiniteValues))> = Op::kCopiesFiniteValues;

template <class V, class Op, int G>
void applyGroup(typename V::I (&v)[G]) {
  if constexpr (kCopiesFiniteValues<Op>) {
    if (V::template allFinite<G>(v)) return;
  }
  for (int k = 0; k < G; ++k) v[k] = Op::template apply<V>(v[k]);
}

}  // namespace a2w::kernels::ops
