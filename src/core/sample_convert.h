// Conversion between the host side (planar: one buffer per ASIO channel, in
// an asio::SampleType) and the device side (interleaved frames in a
// DeviceSampleFormat), in both directions.
//
// Rules: float to integer clips (never wraps), +1.0 maps to full scale
// (2^(n-1) - 1), rounding is to nearest, NaN becomes 0. Integer to float
// divides by 2^(n-1). Integer to integer of the same width is exact; to a
// narrower one it rounds to nearest (with clipping), or adds TPDF dither when
// a TpdfDither is passed and the device has fewer bits than the host type.
//
// Details, decided and tested (tests/unit/sample_convert*_test.cpp):
// - Float to n-bit integer scales by 2^(n-1) and clips to the full integer
//   range [-2^(n-1), 2^(n-1) - 1]: +1.0 gives 2^(n-1) - 1 (clipped), -1.0
//   gives -2^(n-1). That is the exact inverse of integer-to-float, so int ->
//   float -> int is the identity for every value including the most negative
//   one (n <= 24 through float32, any n through float64). +-inf clip.
// - Rounding is to nearest with ties away from zero (std::round), the same
//   for float -> int and for wider int -> narrower int; it is symmetric
//   (x and -x give opposite results) and independent of the FPU rounding mode.
//   Wider -> narrower integers clip at the top (int32 0x7FFFFFFF -> int16 is
//   32767, not 32768 wrapped to -32768).
// - Float to float never clips: values beyond +-1.0 pass unchanged, and
//   float32 -> float32 copies the bits of every finite value (-0.0 and
//   denormals included). Non-finite values would poison the Windows mixer and
//   effects, so NaN becomes 0 and +-inf becomes +-1.0; float64 values beyond
//   the float range saturate to +-FLT_MAX.
// - int24-in-32 device samples hold the value in the top 24 bits; the low
//   byte is written as zero and ignored when read.
// - Int32LSB16/18/20/24 host samples are read from their low n bits only
//   (upper bits need not be a correct sign extension) and written sign-extended.
// - Dither applies only when the device format is an integer format with
//   fewer bits than the host type (float32 counts as 24 bits, float64 as 53);
//   a float device is never dithered. Noise is added in LSBs of the device
//   format before rounding; NaN still gives exactly 0. Silence slots (nullptr
//   sources) are written as exact zeros, without noise.
//
// Speed: host Float32LSB / Int32LSB to and from every device format run
// through SSE2 or AVX2 kernels (sample_convert_kernels.h, chosen once when the
// module loads) that give exactly the bytes of the scalar code, which stays
// the reference and converts everything else (docs/PERFORMANCE.md).
//
// Everything here is real-time safe: no allocation, no locks, no exceptions.
#pragma once

#include <cstdint>

#include "asio/asio_abi.h"
#include "core/device_format.h"

namespace a2w {

// The little-endian host types we convert: Int16LSB, Int24LSB, Int32LSB,
// Float32LSB, Float64LSB and Int32LSB16/18/20/24.
bool isSupportedHostType(asio::SampleType type);
int bytesPerSample(asio::SampleType type);  // 0 when unsupported
int resolutionBits(asio::SampleType type);  // float32 counts as 24, float64 as 53

// Triangular-PDF dither of +-1 LSB of the target format. Real-time safe: a
// small xorshift state, no allocation.
class TpdfDither {
 public:
  // A seed of 0 (a fixed point of xorshift) is replaced by the default.
  explicit TpdfDither(std::uint32_t seed = 0x9e3779b9u) noexcept;
  // Noise in LSBs of the target, triangular over (-1, 1): mean 0, variance
  // 1/6. The same seed always gives the same sequence.
  double next() noexcept;

 private:
  std::uint32_t state_;
};

// Playback. sources[slot] holds `frames` host samples for device slot `slot`
// (0..deviceChannels-1), or is nullptr: that slot is written as silence.
// `sources` itself may be nullptr (all silence). `device` needs no particular
// alignment. An unsupported host type writes silence to the whole buffer.
void hostToDevice(asio::SampleType hostType, const void* const* sources, DeviceSampleFormat deviceFormat,
                  void* device, int deviceChannels, int frames, TpdfDither* dither) noexcept;

// Capture. destinations[slot] receives `frames` host samples of device slot
// `slot`, or is nullptr: that slot is skipped (its samples are not read).
// `device` needs no particular alignment. An unsupported host type writes
// nothing.
void deviceToHost(DeviceSampleFormat deviceFormat, const void* device, int deviceChannels,
                  asio::SampleType hostType, void* const* destinations, int frames) noexcept;

}  // namespace a2w
