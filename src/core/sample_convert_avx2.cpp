// The AVX2 conversion kernels: 8 frames per vector. This file alone is built
// with -mavx2 (/arch:AVX2); its code runs only after cpuHasAvx2() said yes
// (sample_convert.cpp), and it shares no inline function with the rest of
// the program (everything here is internal to this file or a template on
// its wrapper), so no AVX2 instruction can leak into code that runs anyway.
#include "core/sample_convert_kernels.h"

#if A2W_AVX2_KERNELS

#if !defined(__AVX2__)
#error "sample_convert_avx2.cpp must be compiled with AVX2 enabled (-mavx2, /arch:AVX2)"
#endif

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "core/sample_convert_engine.h"

namespace a2w::kernels {
namespace {

struct Avx2 {
  using I = __m256i;
  using F = __m256;
  using H = __m128i;  // half a vector: 4 frames
  static constexpr int kLanes = 8;
  static constexpr bool kGroup8 = true;

  // --- arithmetic (sample_convert_ops.h)
  static I zero() { return _mm256_setzero_si256(); }
  static I set1(std::int32_t v) { return _mm256_set1_epi32(v); }
  static F set1f(float v) { return _mm256_set1_ps(v); }
  static F asF(I v) { return _mm256_castsi256_ps(v); }
  static I asI(F v) { return _mm256_castps_si256(v); }
  static F mulf(F a, F b) { return _mm256_mul_ps(a, b); }
  static F addf(F a, F b) { return _mm256_add_ps(a, b); }
  static F subf(F a, F b) { return _mm256_sub_ps(a, b); }
  static F minf(F a, F b) { return _mm256_min_ps(a, b); }
  static F maxf(F a, F b) { return _mm256_max_ps(a, b); }
  static I cmpgef(F a, F b) { return _mm256_castps_si256(_mm256_cmp_ps(a, b, _CMP_GE_OQ)); }
  static I cvtt(F v) { return _mm256_cvttps_epi32(v); }
  static F cvt(I v) { return _mm256_cvtepi32_ps(v); }
  static I add(I a, I b) { return _mm256_add_epi32(a, b); }
  static I sub(I a, I b) { return _mm256_sub_epi32(a, b); }
  static I and_(I a, I b) { return _mm256_and_si256(a, b); }
  static I or_(I a, I b) { return _mm256_or_si256(a, b); }
  static I andnot(I a, I b) { return _mm256_andnot_si256(a, b); }
  static I cmpeq(I a, I b) { return _mm256_cmpeq_epi32(a, b); }
  static I min32(I a, I b) { return _mm256_min_epi32(a, b); }
  template <int N>
  static I srai(I v) { return _mm256_srai_epi32(v, N); }
  template <int N>
  static I srli(I v) { return _mm256_srli_epi32(v, N); }
  template <int N>
  static I slli(I v) { return _mm256_slli_epi32(v, N); }
  static bool any(I mask) { return _mm256_testz_si256(mask, mask) == 0; }
  // No lane of the G vectors is an infinity or a NaN: the largest magnitude
  // (as an integer: float order) stays at or below FLT_MAX's bits.
  template <int G>
  static bool allFinite(const I (&v)[G]) {
    const I magnitude = _mm256_set1_epi32(0x7fffffff);
    I largest = _mm256_and_si256(v[0], magnitude);
    for (int k = 1; k < G; ++k) largest = _mm256_max_epi32(largest, _mm256_and_si256(v[k], magnitude));
    return !any(_mm256_cmpgt_epi32(largest, _mm256_set1_epi32(0x7f7fffff)));
  }

  // --- memory
  static I loadu(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
  static void storeu(void* p, I v) { _mm256_storeu_si256(static_cast<__m256i*>(p), v); }
  static H load128(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }
  static void store128(void* p, H v) { _mm_storeu_si128(static_cast<__m128i*>(p), v); }
  static void store64(unsigned char* p, H v) { _mm_storel_epi64(reinterpret_cast<__m128i*>(p), v); }
  // (Not _mm_storeh_pd: GCC's version is a typed double store, which UBSan
  // rightly reports on a misaligned device buffer.)
  static void store64High(unsigned char* p, H v) { store64(p, _mm_unpackhi_epi64(v, v)); }
  static H load64(const unsigned char* p) { return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)); }
  static std::int32_t read32(const unsigned char* p) {
    std::int32_t w;
    std::memcpy(&w, p, 4);
    return w;
  }
  static void write32(unsigned char* p, std::int32_t w) { std::memcpy(p, &w, 4); }
  static H low(I v) { return _mm256_castsi256_si128(v); }
  static H high(I v) { return _mm256_extracti128_si256(v, 1); }
  static I join(H lo, H hi) { return _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1); }

  // A 4x4 transpose of 32-bit words in each 128-bit lane.
  static void transposeLanes(I& r0, I& r1, I& r2, I& r3) {
    const I t0 = _mm256_unpacklo_epi32(r0, r1), t1 = _mm256_unpacklo_epi32(r2, r3);
    const I t2 = _mm256_unpackhi_epi32(r0, r1), t3 = _mm256_unpackhi_epi32(r2, r3);
    r0 = _mm256_unpacklo_epi64(t0, t1);
    r1 = _mm256_unpackhi_epi64(t0, t1);
    r2 = _mm256_unpacklo_epi64(t2, t3);
    r3 = _mm256_unpackhi_epi64(t2, t3);
  }

  static void storeFrames4(unsigned char* out, std::size_t stride, I a, I b, I c, I d) {
    transposeLanes(a, b, c, d);  // a: frames 0 | 4, b: 1 | 5, c: 2 | 6, d: 3 | 7
    store128(out, low(a));
    store128(out + stride, low(b));
    store128(out + 2 * stride, low(c));
    store128(out + 3 * stride, low(d));
    store128(out + 4 * stride, high(a));
    store128(out + 5 * stride, high(b));
    store128(out + 6 * stride, high(c));
    store128(out + 7 * stride, high(d));
  }
  static void storeFrames2(unsigned char* out, std::size_t stride, I a, I b) {
    const I lo = _mm256_unpacklo_epi32(a, b);  // frames 0 1 | 4 5
    const I hi = _mm256_unpackhi_epi32(a, b);  // frames 2 3 | 6 7
    store64(out, low(lo));
    store64High(out + stride, low(lo));
    store64(out + 2 * stride, low(hi));
    store64High(out + 3 * stride, low(hi));
    store64(out + 4 * stride, high(lo));
    store64High(out + 5 * stride, high(lo));
    store64(out + 6 * stride, high(hi));
    store64High(out + 7 * stride, high(hi));
  }
  static void storeFrames1(unsigned char* out, std::size_t stride, I a) {
    const H lo = low(a), hi = high(a);
    write32(out, _mm_cvtsi128_si32(lo));
    write32(out + stride, _mm_extract_epi32(lo, 1));
    write32(out + 2 * stride, _mm_extract_epi32(lo, 2));
    write32(out + 3 * stride, _mm_extract_epi32(lo, 3));
    write32(out + 4 * stride, _mm_cvtsi128_si32(hi));
    write32(out + 5 * stride, _mm_extract_epi32(hi, 1));
    write32(out + 6 * stride, _mm_extract_epi32(hi, 2));
    write32(out + 7 * stride, _mm_extract_epi32(hi, 3));
  }
  static void storeContiguous2(unsigned char* out, I a, I b) {
    const I lo = _mm256_unpacklo_epi32(a, b), hi = _mm256_unpackhi_epi32(a, b);
    storeu(out, _mm256_permute2x128_si256(lo, hi, 0x20));
    storeu(out + 32, _mm256_permute2x128_si256(lo, hi, 0x31));
  }

  static void loadFrames4(const unsigned char* in, std::size_t stride, I& a, I& b, I& c, I& d) {
    a = join(load128(in), load128(in + 4 * stride));
    b = join(load128(in + stride), load128(in + 5 * stride));
    c = join(load128(in + 2 * stride), load128(in + 6 * stride));
    d = join(load128(in + 3 * stride), load128(in + 7 * stride));
    transposeLanes(a, b, c, d);
  }
  static void loadFrames2(const unsigned char* in, std::size_t stride, I& a, I& b) {
    const I r0 = join(load64(in), load64(in + 4 * stride));
    const I r1 = join(load64(in + stride), load64(in + 5 * stride));
    const I r2 = join(load64(in + 2 * stride), load64(in + 6 * stride));
    const I r3 = join(load64(in + 3 * stride), load64(in + 7 * stride));
    const I t0 = _mm256_unpacklo_epi32(r0, r1), t1 = _mm256_unpacklo_epi32(r2, r3);
    a = _mm256_unpacklo_epi64(t0, t1);
    b = _mm256_unpackhi_epi64(t0, t1);
  }
  static I loadFrames1(const unsigned char* in, std::size_t stride) {
    return _mm256_setr_epi32(read32(in), read32(in + stride), read32(in + 2 * stride), read32(in + 3 * stride),
                             read32(in + 4 * stride), read32(in + 5 * stride), read32(in + 6 * stride),
                             read32(in + 7 * stride));
  }
  static void loadContiguous2(const unsigned char* in, I& a, I& b) {
    const I evenFirst = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const I x = _mm256_permutevar8x32_epi32(loadu(in), evenFirst);       // L0-3 | R0-3
    const I y = _mm256_permutevar8x32_epi32(loadu(in + 32), evenFirst);  // L4-7 | R4-7
    a = _mm256_permute2x128_si256(x, y, 0x20);
    b = _mm256_permute2x128_si256(x, y, 0x31);
  }

  // 8 channels: the two 4-channel halves transposed in their lanes, then
  // each frame's halves joined: 32-byte stores, no extracts.
  static void storeFrames8(unsigned char* out, std::size_t stride, const I (&v)[8]) {
    I a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
    transposeLanes(a, b, c, d);  // channels 0-3: a = frames 0 | 4, b = 1 | 5, ...
    transposeLanes(e, f, g, h);  // channels 4-7
    storeu(out, _mm256_permute2x128_si256(a, e, 0x20));
    storeu(out + stride, _mm256_permute2x128_si256(b, f, 0x20));
    storeu(out + 2 * stride, _mm256_permute2x128_si256(c, g, 0x20));
    storeu(out + 3 * stride, _mm256_permute2x128_si256(d, h, 0x20));
    storeu(out + 4 * stride, _mm256_permute2x128_si256(a, e, 0x31));
    storeu(out + 5 * stride, _mm256_permute2x128_si256(b, f, 0x31));
    storeu(out + 6 * stride, _mm256_permute2x128_si256(c, g, 0x31));
    storeu(out + 7 * stride, _mm256_permute2x128_si256(d, h, 0x31));
  }
  static void loadFrames8(const unsigned char* in, std::size_t stride, I (&v)[8]) {
    // Lane 0 from frames 0-3, lane 1 from frames 4-7; channels 0-3 in the
    // first four registers, 4-7 in the others.
    for (int k = 0; k < 4; ++k) {
      const unsigned char* lo = in + static_cast<std::size_t>(k) * stride;
      const unsigned char* hi = in + static_cast<std::size_t>(k + 4) * stride;
      v[k] = join(load128(lo), load128(hi));
      v[k + 4] = join(load128(lo + 16), load128(hi + 16));
    }
    transposeLanes(v[0], v[1], v[2], v[3]);
    transposeLanes(v[4], v[5], v[6], v[7]);
  }
  template <int G>
  static void storeFrames(unsigned char* out, std::size_t stride, const I (&v)[G]) {
    if constexpr (G == 8) {
      storeFrames8(out, stride, v);
    } else if constexpr (G == 4) {
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
    if constexpr (G == 8) {
      loadFrames8(in, stride, v);
    } else if constexpr (G == 4) {
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
      store128(out, low(_mm256_permute4x64_epi64(_mm256_packs_epi32(v, v), 0x08)));
    } else {
      store24(out, pack24Eight(v), last);
    }
  }
  template <int Bytes>
  static void storePair(unsigned char* out, I a, I b, bool last) {
    if constexpr (Bytes == 4) {
      storeContiguous2(out, a, b);
    } else if constexpr (Bytes == 2) {
      // In-lane interleave and pack: frames 0-3 in lane 0, 4-7 in lane 1, in order.
      storeu(out, _mm256_packs_epi32(_mm256_unpacklo_epi32(a, b), _mm256_unpackhi_epi32(a, b)));
    } else {
      const I lo = _mm256_unpacklo_epi32(a, b), hi = _mm256_unpackhi_epi32(a, b);
      storeu(out, pack24Eight(_mm256_permute2x128_si256(lo, hi, 0x20)));  // 24 bytes, 8 rewritten next
      store24(out + 24, pack24Eight(_mm256_permute2x128_si256(lo, hi, 0x31)), last);
    }
  }
  template <int Bytes>
  static I loadOne(const unsigned char* in, bool) {
    if constexpr (Bytes == 4) {
      return loadu(in);
    } else if constexpr (Bytes == 2) {
      return _mm256_slli_epi32(_mm256_cvtepi16_epi32(load128(in)), 16);
    } else {
      return unpack24Eight(in);
    }
  }
  template <int Bytes>
  static void loadPair(const unsigned char* in, I& a, I& b, bool) {
    if constexpr (Bytes == 4) {
      loadContiguous2(in, a, b);
    } else if constexpr (Bytes == 2) {
      // Each 32-bit word is one frame: left in its low half, right in its top half.
      const I w = loadu(in);
      a = _mm256_slli_epi32(w, 16);
      b = _mm256_and_si256(w, _mm256_set1_epi32(static_cast<int>(0xffff0000u)));
    } else {
      deinterleave2(unpack24Eight(in), unpack24Eight(in + 24), a, b);
    }
  }
  // x, y: frames 0-3 and 4-7 of two interleaved channels.
  static void deinterleave2(I x, I y, I& a, I& b) {
    const I evenFirst = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    x = _mm256_permutevar8x32_epi32(x, evenFirst);  // L0-3 | R0-3
    y = _mm256_permutevar8x32_epi32(y, evenFirst);  // L4-7 | R4-7
    a = _mm256_permute2x128_si256(x, y, 0x20);
    b = _mm256_permute2x128_si256(x, y, 0x31);
  }
  // Eight values -> their 24 bytes at the bottom of the result.
  static I pack24Eight(I v) {
    const I lowBytes = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1,  //
                                        0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    return _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(v, lowBytes), _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7));
  }
  // 24 packed bytes: a 32-byte store when more follows (rewritten next), else exact.
  static void store24(unsigned char* out, I packed, bool last) {
    if (!last) {
      storeu(out, packed);
    } else {
      store128(out, low(packed));
      store64(out + 16, high(packed));
    }
  }
  // Eight packed int24 samples (exactly 24 bytes read) as justified words.
  static I unpack24Eight(const unsigned char* in) {
    // Lane 0 holds bytes 0-15, lane 1 bytes 8-23: samples 0-3 and 4-7 each
    // start in their lane; each sample's 3 bytes go to the top of its word.
    const I toWords = _mm256_setr_epi8(-1, 0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11,  //
                                       -1, 4, 5, 6, -1, 7, 8, 9, -1, 10, 11, 12, -1, 13, 14, 15);
    return _mm256_shuffle_epi8(join(load128(in), load128(in + 8)), toWords);
  }

  // --- narrow formats (values in range: the saturation never acts)
  static void pack16(const std::int32_t* words, unsigned char* out, int count) {
    int i = 0;
    for (; i + 16 <= count; i += 16) {
      const I packed = _mm256_packs_epi32(loadu(words + i), loadu(words + i + 8));  // in-lane: 0-3 8-11 | 4-7 12-15
      storeu(out + 2 * i, _mm256_permute4x64_epi64(packed, 0xD8));
    }
    for (; i < count; ++i) {
      const auto s = static_cast<std::int16_t>(words[i]);
      std::memcpy(out + 2 * i, &s, 2);
    }
  }
  static void pack24(const std::int32_t* words, unsigned char* out, int count) {
    int i = 0;
    for (; i + 8 <= count; i += 8) store24(out + 3 * i, pack24Eight(loadu(words + i)), count - i < 11);
    for (; i < count; ++i) {
      const auto u = static_cast<std::uint32_t>(words[i]);
      out[3 * i] = static_cast<unsigned char>(u);
      out[3 * i + 1] = static_cast<unsigned char>(u >> 8);
      out[3 * i + 2] = static_cast<unsigned char>(u >> 16);
    }
  }
  static void unpack16(const unsigned char* in, std::int32_t* words, int count) {
    int i = 0;
    for (; i + 8 <= count; i += 8) storeu(words + i, _mm256_slli_epi32(_mm256_cvtepi16_epi32(load128(in + 2 * i)), 16));
    for (; i < count; ++i) {
      std::uint16_t s;
      std::memcpy(&s, in + 2 * i, 2);
      words[i] = static_cast<std::int32_t>(std::uint32_t{s} << 16);
    }
  }
  static void unpack24(const unsigned char* in, std::int32_t* words, int count) {
    int i = 0;
    for (; i + 8 <= count; i += 8) storeu(words + i, unpack24Eight(in + 3 * i));
    for (; i < count; ++i) {
      const std::uint32_t u = std::uint32_t{in[3 * i]} | (std::uint32_t{in[3 * i + 1]} << 8) |
                              (std::uint32_t{in[3 * i + 2]} << 16);
      words[i] = static_cast<std::int32_t>(u << 8);
    }
  }
};

}  // namespace

constinit const KernelTable kAvx2 = engine::makeTable<Avx2>("avx2");

}  // namespace a2w::kernels

#endif  // A2W_AVX2_KERNELS
