// Which conversion kernels hostToDevice / deviceToHost use, and the same two
// functions at a chosen level, for the tests (SIMD against scalar) and the
// benchmarks. Not part of the driver's interface.
//
// The level is picked once, when the core is loaded: AVX2 when compiled in
// and the CPU has it, else SSE2 when compiled in, else scalar. Every level
// gives the same bytes (the scalar code is the reference); dithered
// conversions and host types other than Float32LSB / Int32LSB always run
// scalar.
#pragma once

#include <cstdint>
#include <string_view>

#include "asio/asio_abi.h"
#include "core/device_format.h"
#include "core/sample_convert.h"

namespace a2w {

enum class SimdLevel : std::uint8_t { Scalar, Sse2, Avx2 };

constexpr std::string_view toString(SimdLevel level) {
  switch (level) {
    case SimdLevel::Scalar: return "scalar";
    case SimdLevel::Sse2: return "sse2";
    case SimdLevel::Avx2: return "avx2";
  }
  return "?";
}

// Compiled into this build and supported by this CPU (Scalar always is).
bool simdLevelAvailable(SimdLevel level) noexcept;
// The level hostToDevice and deviceToHost use.
SimdLevel activeSimdLevel() noexcept;
// Whether `level` has a kernel for this pair (false for Scalar, and for an
// unavailable level).
bool simdPlaybackKernel(SimdLevel level, asio::SampleType hostType, DeviceSampleFormat deviceFormat) noexcept;
bool simdCaptureKernel(SimdLevel level, DeviceSampleFormat deviceFormat, asio::SampleType hostType) noexcept;

// Frames per vector of `level` (1 for Scalar).
int simdLanes(SimdLevel level) noexcept;

// The kernel of `level` alone, without the scalar rest: converts the leading
// frames it can (whole vectors) and returns how many; 0 when it has no
// kernel for the pair. Lets the tests see that a kernel really ran.
int simdPlaybackOnly(SimdLevel level, asio::SampleType hostType, const void* const* sources,
                     DeviceSampleFormat deviceFormat, void* device, int deviceChannels, int frames) noexcept;
int simdCaptureOnly(SimdLevel level, DeviceSampleFormat deviceFormat, const void* device, int deviceChannels,
                    asio::SampleType hostType, void* const* destinations, int frames) noexcept;

// hostToDevice / deviceToHost with the kernels of `level`; an unavailable
// level runs scalar.
void hostToDeviceAt(SimdLevel level, asio::SampleType hostType, const void* const* sources,
                    DeviceSampleFormat deviceFormat, void* device, int deviceChannels, int frames,
                    TpdfDither* dither) noexcept;
void deviceToHostAt(SimdLevel level, DeviceSampleFormat deviceFormat, const void* device, int deviceChannels,
                    asio::SampleType hostType, void* const* destinations, int frames) noexcept;

}  // namespace a2w
