// The SSE2 conversion kernels: 4 frames per vector. SSE2 is part of every
// x86-64 CPU, so this file needs no special flags; elsewhere it is empty.
#include "core/sample_convert_kernels.h"

#if A2W_SSE2_KERNELS

#include <emmintrin.h>

#include <cstdint>
#include <cstring>

#include "core/sample_convert_engine.h"

namespace a2w::kernels {
namespace {

struct Sse2 {
  using I = __m128i;
  using F = __m128;
  static constexpr int kLanes = 4;
  static constexpr bool kGroup8 = false;

  // --- arithmetic (sample_convert_ops.h)
  static I zero() { return _mm_setzero_si128(); }
  static I set1(std::int32_t v) { return _mm_set1_epi32(v); }
  static F set1f(float v) { return _mm_set1_ps(v); }
  static F asF(I v) { return _mm_castsi128_ps(v); }
  static I asI(F v) { return _mm_castps_si128(v); }
  static F mulf(F a, F b) { return _mm_mul_ps(a, b); }
  static F addf(F a, F b) { return _mm_add_ps(a, b); }
  static F subf(F a, F b) { return _mm_sub_ps(a, b); }
  static F minf(F a, F b) { return _mm_min_ps(a, b); }
  static F maxf(F a, F b) { return _mm_max_ps(a, b); }
  static I cmpgef(F a, F b) { return _mm_castps_si128(_mm_cmpge_ps(a, b)); }
  static I cvtt(F v) { return _mm_cvttps_epi32(v); }
  static F cvt(I v) { return _mm_cvtepi32_ps(v); }
  static I add(I a, I b) { return _mm_add_epi32(a, b); }
  static I sub(I a, I b) { return _mm_sub_epi32(a, b); }
  static I and_(I a, I b) { return _mm_and_si128(a, b); }
  static I or_(I a, I b) { return _mm_or_si128(a, b); }
  static I andnot(I a, I b) { return _mm_andnot_si128(a, b); }
  static I cmpeq(I a, I b) { return _mm_cmpeq_epi32(a, b); }
  static I min32(I a, I b) {  // SSE2 has no pminsd
    const I aGreater = _mm_cmpgt_epi32(a, b);
    return _mm_or_si128(_mm_and_si128(aGreater, b), _mm_andnot_si128(aGreater, a));
  }
  template <int N>
  static I srai(I v) { return _mm_srai_epi32(v, N); }
  template <int N>
  static I srli(I v) { return _mm_srli_epi32(v, N); }
  template <int N>
  static I slli(I v) { return _mm_slli_epi32(v, N); }
  static bool any(I mask) { return _mm_movemask_epi8(mask) != 0; }
  // No lane of the G vectors is an infinity or a NaN (exponent all ones).
  template <int G>
  static bool allFinite(const I (&v)[G]) {
    const I exponent = _mm_set1_epi32(0x7f800000);
    I nonFinite = _mm_cmpeq_epi32(_mm_and_si128(v[0], exponent), exponent);
    for (int k = 1; k < G; ++k) nonFinite = _mm_or_si128(nonFinite, _mm_cmpeq_epi32(_mm_and_si128(v[k], exponent), exponent));
    return !any(nonFinite);
  }

  // --- memory
  static I loadu(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }
  static void storeu(void* p, I v) { _mm_storeu_si128(static_cast<__m128i*>(p), v); }
  static void store32(unsigned char* p, I v) {
    const int w = _mm_cvtsi128_si32(v);
    std::memcpy(p, &w, 4);
  }
  static I load32(const unsigned char* p) {
    int w;
    std::memcpy(&w, p, 4);
    return _mm_cvtsi32_si128(w);
  }

  // Rows r0..r3 become columns (a 4x4 transpose of 32-bit words).
  static void transpose(I& r0, I& r1, I& r2, I& r3) {
    const I t0 = _mm_unpacklo_epi32(r0, r1), t1 = _mm_unpacklo_epi32(r2, r3);
    const I t2 = _mm_unpackhi_epi32(r0, r1), t3 = _mm_unpackhi_epi32(r2, r3);
    r0 = _mm_unpacklo_epi64(t0, t1);
    r1 = _mm_unpackhi_epi64(t0, t1);
    r2 = _mm_unpacklo_epi64(t2, t3);
    r3 = _mm_unpackhi_epi64(t2, t3);
  }

  static void storeFrames4(unsigned char* out, std::size_t stride, I a, I b, I c, I d) {
    transpose(a, b, c, d);
    storeu(out, a);
    storeu(out + stride, b);
    storeu(out + 2 * stride, c);
    storeu(out + 3 * stride, d);
  }
  static void storeFrames2(unsigned char* out, std::size_t stride, I a, I b) {
    const I lo = _mm_unpacklo_epi32(a, b), hi = _mm_unpackhi_epi32(a, b);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out), lo);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + stride), _mm_unpackhi_epi64(lo, lo));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + 2 * stride), hi);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + 3 * stride), _mm_unpackhi_epi64(hi, hi));
  }
  static void storeFrames1(unsigned char* out, std::size_t stride, I a) {
    store32(out, a);
    store32(out + stride, _mm_shuffle_epi32(a, 1));
    store32(out + 2 * stride, _mm_shuffle_epi32(a, 2));
    store32(out + 3 * stride, _mm_shuffle_epi32(a, 3));
  }
  static void storeContiguous2(unsigned char* out, I a, I b) {
    storeu(out, _mm_unpacklo_epi32(a, b));
    storeu(out + 16, _mm_unpackhi_epi32(a, b));
  }

  static void loadFrames4(const unsigned char* in, std::size_t stride, I& a, I& b, I& c, I& d) {
    a = loadu(in);
    b = loadu(in + stride);
    c = loadu(in + 2 * stride);
    d = loadu(in + 3 * stride);
    transpose(a, b, c, d);
  }
  static void loadFrames2(const unsigned char* in, std::size_t stride, I& a, I& b) {
    const I r0 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in));
    const I r1 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + stride));
    const I r2 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + 2 * stride));
    const I r3 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + 3 * stride));
    const I t0 = _mm_unpacklo_epi32(r0, r1), t1 = _mm_unpacklo_epi32(r2, r3);
    a = _mm_unpacklo_epi64(t0, t1);
    b = _mm_unpackhi_epi64(t0, t1);
  }
  static I loadFrames1(const unsigned char* in, std::size_t stride) {
    const I t0 = _mm_unpacklo_epi32(load32(in), load32(in + stride));
    const I t1 = _mm_unpacklo_epi32(load32(in + 2 * stride), load32(in + 3 * stride));
    return _mm_unpacklo_epi64(t0, t1);
  }
  static void loadContiguous2(const unsigned char* in, I& a, I& b) {
    const F x = _mm_castsi128_ps(loadu(in)), y = _mm_castsi128_ps(loadu(in + 16));
    a = _mm_castps_si128(_mm_shuffle_ps(x, y, _MM_SHUFFLE(2, 0, 2, 0)));
    b = _mm_castps_si128(_mm_shuffle_ps(x, y, _MM_SHUFFLE(3, 1, 3, 1)));
  }

  template <int G>
  static void storeFrames(unsigned char* out, std::size_t stride, const I (&v)[G]) {
    if constexpr (G == 4) {
      storeFrames4(out, stride, v[0], v[1], v[2], v[3]);
    } else if constexpr (G == 2) {
      storeFrames2(out, stride, v[0], v[1]);
    } else {
      static_assert(G == 1);
      storeFrames1(out, stride, v[0]);
    }
  }
  template <int G>
  static void loadFrames(const unsigned char* in, std::size_t stride, I (&v)[G]) {
    if constexpr (G == 4) {
      loadFrames4(in, stride, v[0], v[1], v[2], v[3]);
    } else if constexpr (G == 2) {
      loadFrames2(in, stride, v[0], v[1]);
    } else {
      static_assert(G == 1);
      v[0] = loadFrames1(in, stride);
    }
  }

  // One or two channels, frames adjacent, Bytes-byte device samples
  // (values in for 2 and 3 bytes, justified words out).
  template <int Bytes>
  static void storeOne(unsigned char* out, I v, bool last) {
    if constexpr (Bytes == 4) {
      storeu(out, v);
    } else if constexpr (Bytes == 2) {
      _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_packs_epi32(v, v));
    } else {
      store12(out, pack24Four(v), last);
    }
  }
  template <int Bytes>
  static void storePair(unsigned char* out, I a, I b, bool last) {
    if constexpr (Bytes == 4) {
      storeContiguous2(out, a, b);
    } else if constexpr (Bytes == 2) {
      storeu(out, _mm_packs_epi32(_mm_unpacklo_epi32(a, b), _mm_unpackhi_epi32(a, b)));
    } else {
      storeu(out, pack24Four(_mm_unpacklo_epi32(a, b)));  // 12 bytes, and 4 the next store rewrites
      store12(out + 12, pack24Four(_mm_unpackhi_epi32(a, b)), last);
    }
  }
  template <int Bytes>
  static I loadOne(const unsigned char* in, bool last) {
    if constexpr (Bytes == 4) {
      return loadu(in);
    } else if constexpr (Bytes == 2) {
      return _mm_unpacklo_epi16(_mm_setzero_si128(), _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in)));
    } else {
      return load12(in, last);
    }
  }
  template <int Bytes>
  static void loadPair(const unsigned char* in, I& a, I& b, bool last) {
    if constexpr (Bytes == 4) {
      loadContiguous2(in, a, b);
    } else if constexpr (Bytes == 2) {
      // Each 32-bit word is one frame: left in its low half, right in its top half.
      const I w = loadu(in);
      a = _mm_slli_epi32(w, 16);
      b = _mm_and_si128(w, _mm_set1_epi32(static_cast<int>(0xffff0000u)));
    } else {
      const F x = _mm_castsi128_ps(unpack24Four(in));  // frames 0 1 (16 bytes read of 24)
      const F y = _mm_castsi128_ps(load12(in + 12, last));
      a = _mm_castps_si128(_mm_shuffle_ps(x, y, _MM_SHUFFLE(2, 0, 2, 0)));
      b = _mm_castps_si128(_mm_shuffle_ps(x, y, _MM_SHUFFLE(3, 1, 3, 1)));
    }
  }
  // 12 packed bytes: a 16-byte store when more follows (rewritten next), else exact.
  static void store12(unsigned char* out, I packed, bool last) {
    if (!last) {
      storeu(out, packed);
    } else {
      _mm_storel_epi64(reinterpret_cast<__m128i*>(out), packed);
      store32(out + 8, _mm_srli_si128(packed, 8));
    }
  }
  // Four packed int24 samples as justified words; reads 16 bytes unless last.
  static I load12(const unsigned char* in, bool last) {
    if (!last) return unpack24Four(in);
    unsigned char bytes[16] = {};
    std::memcpy(bytes, in, 12);
    return unpack24Four(bytes);
  }

  // --- narrow formats (values in range: the saturation never acts)
  static void pack16(const std::int32_t* words, unsigned char* out, int count) {
    int i = 0;
    for (; i + 8 <= count; i += 8) storeu(out + 2 * i, _mm_packs_epi32(loadu(words + i), loadu(words + i + 4)));
    for (; i < count; ++i) {
      const auto s = static_cast<std::int16_t>(words[i]);
      std::memcpy(out + 2 * i, &s, 2);
    }
  }
  // Four values -> their 12 bytes at the bottom of the result (the top 4 zero).
  static I pack24Four(I v) {
    const I low24 = _mm_and_si128(v, _mm_set1_epi32(0x00ffffff));
    // In each 64-bit half, the odd word's 3 bytes moved down next to the even one's.
    const I oddMask = _mm_set_epi32(-1, 0, -1, 0);
    const I halves = _mm_or_si128(_mm_andnot_si128(oddMask, low24), _mm_srli_epi64(_mm_and_si128(oddMask, low24), 8));
    // The upper half's 6 bytes moved down next to the lower half's.
    const I upper = _mm_srli_si128(_mm_unpackhi_epi64(_mm_setzero_si128(), halves), 2);
    return _mm_or_si128(_mm_move_epi64(halves), upper);
  }
  static void pack24(const std::int32_t* words, unsigned char* out, int count) {
    int i = 0;
    // A full 16-byte store while 4 more bytes follow (the next group overwrites them).
    for (; count - i >= 6; i += 4) storeu(out + 3 * i, pack24Four(loadu(words + i)));
    for (; count - i >= 4; i += 4) {
      const I packed = pack24Four(loadu(words + i));
      _mm_storel_epi64(reinterpret_cast<__m128i*>(out + 3 * i), packed);
      store32(out + 3 * i + 8, _mm_srli_si128(packed, 8));
    }
    for (; i < count; ++i) {
      const auto u = static_cast<std::uint32_t>(words[i]);
      out[3 * i] = static_cast<unsigned char>(u);
      out[3 * i + 1] = static_cast<unsigned char>(u >> 8);
      out[3 * i + 2] = static_cast<unsigned char>(u >> 16);
    }
  }
  static void unpack16(const unsigned char* in, std::int32_t* words, int count) {
    int i = 0;
    for (; i + 8 <= count; i += 8) {
      const I x = loadu(in + 2 * i);
      storeu(words + i, _mm_unpacklo_epi16(_mm_setzero_si128(), x));
      storeu(words + i + 4, _mm_unpackhi_epi16(_mm_setzero_si128(), x));
    }
    for (; i < count; ++i) {
      std::int16_t s;
      std::memcpy(&s, in + 2 * i, 2);
      words[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint16_t>(s)) << 16);
    }
  }
  // Four samples (12 bytes at in, 16 readable) -> justified words.
  static I unpack24Four(const unsigned char* in) {
    const I x = loadu(in);
    const I ab = _mm_unpacklo_epi32(x, _mm_srli_si128(x, 3));
    const I cd = _mm_unpacklo_epi32(_mm_srli_si128(x, 6), _mm_srli_si128(x, 9));
    // Each word holds its sample in the low 3 bytes and a stray byte on top.
    return _mm_slli_epi32(_mm_unpacklo_epi64(ab, cd), 8);
  }
  static void unpack24(const unsigned char* in, std::int32_t* words, int count) {
    int i = 0;
    for (; count - i >= 6; i += 4) storeu(words + i, unpack24Four(in + 3 * i));  // never reads past the end
    for (; i < count; ++i) {
      const std::uint32_t u = std::uint32_t{in[3 * i]} | (std::uint32_t{in[3 * i + 1]} << 8) |
                              (std::uint32_t{in[3 * i + 2]} << 16);
      words[i] = static_cast<std::int32_t>(u << 8);
    }
  }
};

}  // namespace

constinit const KernelTable kSse2 = engine::makeTable<Sse2>("sse2");

}  // namespace a2w::kernels

#endif  // A2W_SSE2_KERNELS
