// The vectorised conversion kernels behind hostToDevice / deviceToHost, for
// the hot pairs: host Float32LSB and Int32LSB planar <-> every device format.
// Internal to the core (sample_convert*.cpp, the tests and the benchmarks).
//
// A kernel converts the leading whole vectors of frames (a multiple of its
// width) and returns how many frames it did; the caller converts the rest
// with the scalar reference, which the kernels match bit for bit (tests:
// tests/unit/sample_convert_simd_test.cpp). A kernel that cannot handle a
// call (too many channels for its scratch block) returns 0.
//
// Which instruction sets are compiled in depends on the target:
//  - SSE2 wherever the compiler may assume it (every x86-64 build; an x86
//    build only when compiled for SSE2, which our i686 build is not);
//  - AVX2 on x86-64 with GCC, Clang or MSVC, in its own source file built
//    with -mavx2 (/arch:AVX2) and used only when the CPU and the OS have it.
// Elsewhere only the scalar path exists.
#pragma once

#include <cstdint>

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#define A2W_SSE2_KERNELS 1
#else
#define A2W_SSE2_KERNELS 0
#endif

// Set by src/core/CMakeLists.txt when it can build sample_convert_avx2.cpp.
#ifndef A2W_AVX2_KERNELS
#define A2W_AVX2_KERNELS 0
#endif

namespace a2w::kernels {

// Device formats are indexed by their DeviceSampleFormat value, host types
// as below.
inline constexpr int kHostKinds = 2;     // 0: Float32LSB, 1: Int32LSB
inline constexpr int kDeviceFormats = 5; // Int16, Int24Packed, Int24In32, Int32, Float32

// Planar host buffers (sources[slot], nullptr: silence) into interleaved
// device frames; `device` needs no alignment.
using PlayKernel = int (*)(const void* const* sources, unsigned char* device, int channels, int frames) noexcept;
// Interleaved device frames into planar host buffers (nullptr: skipped).
using CaptureKernel = int (*)(const unsigned char* device, int channels, void* const* destinations,
                              int frames) noexcept;

struct KernelTable {
  const char* name;
  PlayKernel play[kHostKinds][kDeviceFormats];
  CaptureKernel capture[kDeviceFormats][kHostKinds];
};

#if A2W_SSE2_KERNELS
extern const KernelTable kSse2;
#endif
#if A2W_AVX2_KERNELS
// Defined in a file compiled for AVX2: only its data is touched until the
// CPU check (cpu_features.h) passed.
extern const KernelTable kAvx2;
#endif

}  // namespace a2w::kernels
