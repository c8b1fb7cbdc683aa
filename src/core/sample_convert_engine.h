// The loops of the vectorised kernels, over an instruction-set wrapper V:
// planar host channels <-> interleaved device frames, with one op of
// sample_convert_ops.h applied on the way. Included only by
// sample_convert_sse2.cpp and sample_convert_avx2.cpp, where V lives in an
// anonymous namespace: every function here is a template on V, so nothing is
// shared between code built for different CPUs.
//
// Shapes:
//  - 1 and 2 channels (frames adjacent): straight loops, in every device
//    format (V packs int16 / packed int24 on the fly);
//  - more channels, 32-bit device formats: groups of 8 (when V has them),
//    4, 2 and 1 channels transposed in registers, in blocks of frames that
//    stay in the L1 cache;
//  - more channels, int16 / packed int24: through a scratch block of 32-bit
//    words that V packs or unpacks.
//
// Besides the ops' needs, V provides for vectors of V::kLanes frames:
//   loadu / storeu / zero;
//   storeFrames<G>(out, stride, v[G]): G channel vectors transposed into
//     kLanes frames of G channels, frame k at out + k * stride (G = 8 only
//     when V::kGroup8); loadFrames<G>(in, stride, v[G]): the inverse;
//   storePair<Bytes>(out, a, b, last) / loadPair<Bytes>(in, a, b, last):
//     two channels, frames adjacent, device samples of Bytes bytes (values
//     in, justified words out); storeOne<Bytes> / loadOne<Bytes>: one
//     channel. `last`: this is the final vector, so nothing may be read or
//     written past it;
//   pack16/pack24(words, out, count), unpack16/unpack24(in, words, count):
//     the scratch block's words <-> device bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/sample_convert_kernels.h"
#include "core/sample_convert_ops.h"

namespace a2w::kernels::engine {

// Narrow formats with 3 or more channels go through this many 32-bit words
// at a time (8 KB of stack).
inline constexpr int kScratchWords = 2048;
// Frames per pass over the channel groups: the output block (up to 16 KB at
// 32 channels) stays in L1 while each group writes its columns.
inline constexpr int kBlockFrames = 128;

using Byte = unsigned char;

template <class V, bool kChecked>
typename V::I load(const Byte* p, std::size_t offset) {
  if constexpr (kChecked) {
    if (p == nullptr) return V::zero();  // a silent slot; every op maps zero to zero
  }
  return V::loadu(p + offset);
}

// --- playback

// Channels [c, c + G) of the frames at `out` (kLanes-frame steps).
template <class V, class Op, int G, bool kChecked>
void playGroupLoop(const Byte* const (&p)[G], Byte* out, std::size_t stride, std::size_t srcOffset, int frames) {
  for (int f = 0; f < frames; f += V::kLanes) {
    const std::size_t at = srcOffset + static_cast<std::size_t>(f) * 4;
    typename V::I v[G];
    for (int k = 0; k < G; ++k) v[k] = load<V, kChecked>(p[k], at);
    ops::applyGroup<V, Op, G>(v);
    V::template storeFrames<G>(out + static_cast<std::size_t>(f) * stride, stride, v);
  }
}

template <class V, class Op, int G>
void playGroup(const void* const* sources, int c, Byte* out, std::size_t stride, std::size_t srcOffset, int frames) {
  // Local copies: the compiler keeps them in registers (stores through
  // `out` could alias the caller's array).
  const Byte* p[G];
  bool anySilent = false;
  for (int k = 0; k < G; ++k) {
    p[k] = static_cast<const Byte*>(sources[c + k]);
    anySilent = anySilent || p[k] == nullptr;
  }
  if (anySilent) {
    playGroupLoop<V, Op, G, true>(p, out + static_cast<std::size_t>(c) * 4, stride, srcOffset, frames);
  } else {
    playGroupLoop<V, Op, G, false>(p, out + static_cast<std::size_t>(c) * 4, stride, srcOffset, frames);
  }
}

// One or two channels, any device format: frames adjacent.
template <class V, class Op, int Bytes, int Channels, bool kChecked>
void playAdjacentLoop(const Byte* p0, const Byte* p1, Byte* out, std::size_t srcOffset,
                      int frames) {
  for (int f = 0; f < frames; f += V::kLanes) {
    const std::size_t at = srcOffset + static_cast<std::size_t>(f) * 4;
    const bool last = f + V::kLanes >= frames;
    Byte* o = out + static_cast<std::size_t>(f) * Channels * Bytes;
    if constexpr (Channels == 1) {
      typename V::I v[1] = {load<V, kChecked>(p0, at)};
      ops::applyGroup<V, Op, 1>(v);
      V::template storeOne<Bytes>(o, v[0], last);
    } else {
      typename V::I v[2] = {load<V, kChecked>(p0, at), load<V, kChecked>(p1, at)};
      ops::applyGroup<V, Op, 2>(v);
      V::template storePair<Bytes>(o, v[0], v[1], last);
    }
  }
}

template <class V, class Op, int Bytes, int Channels>
void playAdjacent(const void* const* sources, Byte* out, int first, int frames) {
  const auto* p0 = static_cast<const Byte*>(sources[0]);
  const auto* p1 = Channels == 2 ? static_cast<const Byte*>(sources[1]) : p0;
  const std::size_t at = static_cast<std::size_t>(first) * 4;
  if (p0 == nullptr || p1 == nullptr) {
    playAdjacentLoop<V, Op, Bytes, Channels, true>(p0, p1, out, at, frames);
  } else {
    playAdjacentLoop<V, Op, Bytes, Channels, false>(p0, p1, out, at, frames);
  }
}

// Host frames [first, first + frames) of every slot, through Op, into
// interleaved 32-bit words at `out` (frame `first` lands at `out`). `frames`
// is a multiple of V::kLanes.
template <class V, class Op>
void interleave(const void* const* sources, Byte* out, int channels, int first, int frames) {
  if (channels == 1) return playAdjacent<V, Op, 4, 1>(sources, out, first, frames);
  if (channels == 2) return playAdjacent<V, Op, 4, 2>(sources, out, first, frames);
  const std::size_t stride = static_cast<std::size_t>(channels) * 4;
  for (int block = 0; block < frames; block += kBlockFrames) {
    const int count = frames - block < kBlockFrames ? frames - block : kBlockFrames;
    Byte* blockOut = out + static_cast<std::size_t>(block) * stride;
    const std::size_t srcOffset = static_cast<std::size_t>(first + block) * 4;
    int c = 0;
    if constexpr (V::kGroup8) {
      for (; c + 8 <= channels; c += 8) playGroup<V, Op, 8>(sources, c, blockOut, stride, srcOffset, count);
    }
    for (; c + 4 <= channels; c += 4) playGroup<V, Op, 4>(sources, c, blockOut, stride, srcOffset, count);
    if (channels - c >= 2) {
      playGroup<V, Op, 2>(sources, c, blockOut, stride, srcOffset, count);
      c += 2;
    }
    if (c < channels) playGroup<V, Op, 1>(sources, c, blockOut, stride, srcOffset, count);
  }
}

// --- capture

// Stores a converted vector (Op already applied).
template <class V, bool kChecked>
void put(Byte* destination, std::size_t offset, typename V::I v) {
  if constexpr (kChecked) {
    if (destination == nullptr) return;  // a skipped slot
  }
  V::storeu(destination + offset, v);
}

template <class V, class Op, int G, bool kChecked>
void captureGroupLoop(const Byte* in, std::size_t stride, Byte* const (&d)[G], std::size_t dstOffset, int frames) {
  for (int f = 0; f < frames; f += V::kLanes) {
    typename V::I v[G];
    V::template loadFrames<G>(in + static_cast<std::size_t>(f) * stride, stride, v);
    ops::applyGroup<V, Op, G>(v);
    const std::size_t at = dstOffset + static_cast<std::size_t>(f) * 4;
    for (int k = 0; k < G; ++k) put<V, kChecked>(d[k], at, v[k]);
  }
}

template <class V, class Op, int G>
void captureGroup(const Byte* in, std::size_t stride, void* const* destinations, int c, std::size_t dstOffset,
                  int frames) {
  Byte* d[G];
  bool anySkipped = false;
  for (int k = 0; k < G; ++k) {
    d[k] = static_cast<Byte*>(destinations[c + k]);
    anySkipped = anySkipped || d[k] == nullptr;
  }
  in += static_cast<std::size_t>(c) * 4;
  if (anySkipped) {
    captureGroupLoop<V, Op, G, true>(in, stride, d, dstOffset, frames);
  } else {
    captureGroupLoop<V, Op, G, false>(in, stride, d, dstOffset, frames);
  }
}

template <class V, class Op, int Bytes, int Channels, bool kChecked>
void captureAdjacentLoop(const Byte* in, Byte* d0, Byte* d1, std::size_t dstOffset,
                         int frames) {
  for (int f = 0; f < frames; f += V::kLanes) {
    const bool last = f + V::kLanes >= frames;
    const Byte* i = in + static_cast<std::size_t>(f) * Channels * Bytes;
    const std::size_t at = dstOffset + static_cast<std::size_t>(f) * 4;
    if constexpr (Channels == 1) {
      typename V::I v[1] = {V::template loadOne<Bytes>(i, last)};
      ops::applyGroup<V, Op, 1>(v);
      put<V, kChecked>(d0, at, v[0]);
    } else {
      typename V::I v[2];
      V::template loadPair<Bytes>(i, v[0], v[1], last);
      ops::applyGroup<V, Op, 2>(v);
      put<V, kChecked>(d0, at, v[0]);
      put<V, kChecked>(d1, at, v[1]);
    }
  }
}

template <class V, class Op, int Bytes, int Channels>
void captureAdjacent(const Byte* in, void* const* destinations, int first, int frames) {
  auto* d0 = static_cast<Byte*>(destinations[0]);
  auto* d1 = Channels == 2 ? static_cast<Byte*>(destinations[1]) : d0;
  const std::size_t at = static_cast<std::size_t>(first) * 4;
  if (d0 == nullptr || d1 == nullptr) {
    captureAdjacentLoop<V, Op, Bytes, Channels, true>(in, d0, d1, at, frames);
  } else {
    captureAdjacentLoop<V, Op, Bytes, Channels, false>(in, d0, d1, at, frames);
  }
}

// Interleaved 32-bit words at `in` (frame `first` there), through Op, into
// host frames [first, first + frames) of every slot with a destination.
template <class V, class Op>
void deinterleave(const Byte* in, int channels, void* const* destinations, int first, int frames) {
  if (channels == 1) return captureAdjacent<V, Op, 4, 1>(in, destinations, first, frames);
  if (channels == 2) return captureAdjacent<V, Op, 4, 2>(in, destinations, first, frames);
  const std::size_t stride = static_cast<std::size_t>(channels) * 4;
  for (int block = 0; block < frames; block += kBlockFrames) {
    const int count = frames - block < kBlockFrames ? frames - block : kBlockFrames;
    const Byte* blockIn = in + static_cast<std::size_t>(block) * stride;
    const std::size_t dstOffset = static_cast<std::size_t>(first + block) * 4;
    int c = 0;
    if constexpr (V::kGroup8) {
      for (; c + 8 <= channels; c += 8) captureGroup<V, Op, 8>(blockIn, stride, destinations, c, dstOffset, count);
    }
    for (; c + 4 <= channels; c += 4) captureGroup<V, Op, 4>(blockIn, stride, destinations, c, dstOffset, count);
    if (channels - c >= 2) {
      captureGroup<V, Op, 2>(blockIn, stride, destinations, c, dstOffset, count);
      c += 2;
    }
    if (c < channels) captureGroup<V, Op, 1>(blockIn, stride, destinations, c, dstOffset, count);
  }
}

template <class V>
int wholeVectors(int frames) {
  return frames - frames % V::kLanes;
}

// Frames per scratch block for `channels` (a multiple of kLanes), or 0.
template <class V>
int scratchFrames(int channels) {
  const int frames = kScratchWords / channels;
  return frames - frames % V::kLanes;
}

// --- kernels (PlayKernel / CaptureKernel)

template <class V, class Op>
int play32(const void* const* sources, unsigned char* device, int channels, int frames) noexcept {
  const int n = wholeVectors<V>(frames);
  if (n > 0) interleave<V, Op>(sources, device, channels, 0, n);
  return n;
}

// Op gives values; V packs them into Bytes-byte samples.
template <class V, class Op, int Bytes>
int playNarrow(const void* const* sources, unsigned char* device, int channels, int frames) noexcept {
  const int n = wholeVectors<V>(frames);
  if (n == 0) return 0;
  if (channels == 1) {
    playAdjacent<V, Op, Bytes, 1>(sources, device, 0, n);
    return n;
  }
  if (channels == 2) {
    playAdjacent<V, Op, Bytes, 2>(sources, device, 0, n);
    return n;
  }
  const int block = scratchFrames<V>(channels);
  if (block == 0) return 0;
  alignas(32) std::int32_t scratch[kScratchWords];
  for (int first = 0; first < n; first += block) {
    const int count = n - first < block ? n - first : block;
    interleave<V, Op>(sources, reinterpret_cast<unsigned char*>(scratch), channels, first, count);
    unsigned char* out = device + static_cast<std::size_t>(first) * static_cast<std::size_t>(channels) * Bytes;
    if constexpr (Bytes == 2) {
      V::pack16(scratch, out, count * channels);
    } else {
      static_assert(Bytes == 3);
      V::pack24(scratch, out, count * channels);
    }
  }
  return n;
}

template <class V, class Op>
int capture32(const unsigned char* device, int channels, void* const* destinations, int frames) noexcept {
  const int n = wholeVectors<V>(frames);
  if (n > 0) deinterleave<V, Op>(device, channels, destinations, 0, n);
  return n;
}

// V unpacks Bytes-byte samples into justified words; Op takes those.
template <class V, class Op, int Bytes>
int captureNarrow(const unsigned char* device, int channels, void* const* destinations, int frames) noexcept {
  const int n = wholeVectors<V>(frames);
  if (n == 0) return 0;
  if (channels == 1) {
    captureAdjacent<V, Op, Bytes, 1>(device, destinations, 0, n);
    return n;
  }
  if (channels == 2) {
    captureAdjacent<V, Op, Bytes, 2>(device, destinations, 0, n);
    return n;
  }
  const int block = scratchFrames<V>(channels);
  if (block == 0) return 0;
  alignas(32) std::int32_t scratch[kScratchWords];
  for (int first = 0; first < n; first += block) {
    const int count = n - first < block ? n - first : block;
    const unsigned char* in = device + static_cast<std::size_t>(first) * static_cast<std::size_t>(channels) * Bytes;
    if constexpr (Bytes == 2) {
      V::unpack16(in, scratch, count * channels);
    } else {
      static_assert(Bytes == 3);
      V::unpack24(in, scratch, count * channels);
    }
    deinterleave<V, Op>(reinterpret_cast<const unsigned char*>(scratch), channels, destinations, first, count);
  }
  return n;
}

// Every hot pair; the indices follow sample_convert_kernels.h.
template <class V>
constexpr KernelTable makeTable(const char* name) {
  using namespace ops;
  KernelTable t{name, {}, {}};
  constexpr int kInt16 = 0, kInt24 = 1, kInt24In32 = 2, kInt32 = 3, kFloat32 = 4;
  constexpr int kHostFloat = 0, kHostInt = 1;
  t.play[kHostFloat][kInt16] = playNarrow<V, FloatToValue<16>, 2>;
  t.play[kHostFloat][kInt24] = playNarrow<V, FloatToValue<24>, 3>;
  t.play[kHostFloat][kInt24In32] = play32<V, FloatToInt24In32>;
  t.play[kHostFloat][kInt32] = play32<V, FloatToInt32>;
  t.play[kHostFloat][kFloat32] = play32<V, SanitizeFloat32>;
  t.play[kHostInt][kInt16] = playNarrow<V, NarrowInt32Value<16>, 2>;
  t.play[kHostInt][kInt24] = playNarrow<V, NarrowInt32Value<8>, 3>;
  t.play[kHostInt][kInt24In32] = play32<V, NarrowInt32Justified<8>>;
  t.play[kHostInt][kInt32] = play32<V, Identity>;
  t.play[kHostInt][kFloat32] = play32<V, JustifiedToFloat>;
  t.capture[kInt16][kHostFloat] = captureNarrow<V, JustifiedToFloat, 2>;
  t.capture[kInt16][kHostInt] = captureNarrow<V, Identity, 2>;
  t.capture[kInt24][kHostFloat] = captureNarrow<V, JustifiedToFloat, 3>;
  t.capture[kInt24][kHostInt] = captureNarrow<V, Identity, 3>;
  t.capture[kInt24In32][kHostFloat] = capture32<V, Int24In32ToFloat>;
  t.capture[kInt24In32][kHostInt] = capture32<V, Int24In32ToInt32>;
  t.capture[kInt32][kHostFloat] = capture32<V, JustifiedToFloat>;
  t.capture[kInt32][kHostInt] = capture32<V, Identity>;
  t.capture[kFloat32][kHostFloat] = capture32<V, SanitizeFloat32>;
  t.capture[kFloat32][kHostInt] = capture32<V, FloatToInt32>;
  return t;
}

}  // namespace a2w::kernels::engine
