// The loops of the vectorised kernels, over an instruction-set wrapper V:
// planar host channels <-> interleaved 32-bit device words, with one op of
// sample_convert_ops.h applied on the way, and the narrow device formats
// (int16, packed int24) through a small scratch block of 32-bit words that V
// packs or unpacks. Included only by sample_convert_sse2.cpp and
// sample_convert_avx2.cpp, where V lives in an anonymous namespace: every
// function here is a template on V, so nothing is shared between code built
// for different CPUs.
//
// Besides the ops' needs, V provides for vectors of V::kLanes frames:
//   loadu / storeu / zero;
//   storeFrames4/2/1(out, stride, ...): 4, 2 or 1 channel vectors (one
//     vector per channel, kLanes frames each) transposed into kLanes frames,
//     each written at out + frame * stride;
//   loadFrames4/2/1(in, stride, ...): the inverse;
//   storeContiguous2 / loadContiguous2: the same for exactly 2 channels
//     (frames adjacent);
//   pack16/pack24(words, out, count): values to int16 / packed int24 bytes;
//   unpack16/unpack24(in, words, count): bytes to justified words.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/sample_convert_kernels.h"
#include "core/sample_convert_ops.h"

namespace a2w::kernels::engine {

// Narrow formats go through this many 32-bit words at a time (8 KB of stack).
inline constexpr int kScratchWords = 2048;

template <class V>
typename V::I loadSource(const void* const* sources, int slot, std::size_t byteOffset) {
  const void* source = sources[slot];
  return source != nullptr ? V::loadu(static_cast<const unsigned char*>(source) + byteOffset) : V::zero();
}

// Host frames [first, first + frames) of every slot, through Op, into
// interleaved 32-bit words at `out` (frame `first` lands at `out`). `frames`
// is a multiple of V::kLanes.
template <class V, class Op>
void interleave(const void* const* sources, unsigned char* out, int channels, int first, int frames) {
  constexpr int kLanes = V::kLanes;
  const std::size_t stride = static_cast<std::size_t>(channels) * 4;
  auto in = [&](int slot, int frame) {
    return Op::template apply<V>(loadSource<V>(sources, slot, static_cast<std::size_t>(first + frame) * 4));
  };
  if (channels == 1) {
    for (int f = 0; f < frames; f += kLanes) V::storeu(out + static_cast<std::size_t>(f) * 4, in(0, f));
    return;
  }
  if (channels == 2) {
    for (int f = 0; f < frames; f += kLanes) V::storeContiguous2(out + static_cast<std::size_t>(f) * 8, in(0, f), in(1, f));
    return;
  }
  for (int f = 0; f < frames; f += kLanes) {
    unsigned char* frameOut = out + static_cast<std::size_t>(f) * stride;
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
      V::storeFrames4(frameOut + static_cast<std::size_t>(c) * 4, stride, in(c, f), in(c + 1, f), in(c + 2, f),
                      in(c + 3, f));
    }
    if (channels - c >= 2) {
      V::storeFrames2(frameOut + static_cast<std::size_t>(c) * 4, stride, in(c, f), in(c + 1, f));
      c += 2;
    }
    if (c < channels) V::storeFrames1(frameOut + static_cast<std::size_t>(c) * 4, stride, in(c, f));
  }
}

// Interleaved 32-bit words at `in` (frame `first` there), through Op, into
// host frames [first, first + frames) of every slot with a destination.
template <class V, class Op>
void deinterleave(const unsigned char* in, int channels, void* const* destinations, int first, int frames) {
  constexpr int kLanes = V::kLanes;
  const std::size_t stride = static_cast<std::size_t>(channels) * 4;
  auto out = [&](int slot, int frame, typename V::I v) {
    void* destination = destinations[slot];
    if (destination == nullptr) return;
    V::storeu(static_cast<unsigned char*>(destination) + static_cast<std::size_t>(first + frame) * 4,
              Op::template apply<V>(v));
  };
  if (channels == 1) {
    for (int f = 0; f < frames; f += kLanes) out(0, f, V::loadu(in + static_cast<std::size_t>(f) * 4));
    return;
  }
  if (channels == 2) {
    for (int f = 0; f < frames; f += kLanes) {
      typename V::I a, b;
      V::loadContiguous2(in + static_cast<std::size_t>(f) * 8, a, b);
      out(0, f, a);
      out(1, f, b);
    }
    return;
  }
  for (int f = 0; f < frames; f += kLanes) {
    const unsigned char* frameIn = in + static_cast<std::size_t>(f) * stride;
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
      typename V::I a, b, d, e;
      V::loadFrames4(frameIn + static_cast<std::size_t>(c) * 4, stride, a, b, d, e);
      out(c, f, a);
      out(c + 1, f, b);
      out(c + 2, f, d);
      out(c + 3, f, e);
    }
    if (channels - c >= 2) {
      typename V::I a, b;
      V::loadFrames2(frameIn + static_cast<std::size_t>(c) * 4, stride, a, b);
      out(c, f, a);
      out(c + 1, f, b);
      c += 2;
    }
    if (c < channels) out(c, f, V::loadFrames1(frameIn + static_cast<std::size_t>(c) * 4, stride));
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
  const int block = scratchFrames<V>(channels);
  if (block == 0) return 0;
  const int n = wholeVectors<V>(frames);
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
  const int block = scratchFrames<V>(channels);
  if (block == 0) return 0;
  const int n = wholeVectors<V>(frames);
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
