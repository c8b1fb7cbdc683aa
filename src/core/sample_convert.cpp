// Planar host buffers <-> interleaved device frames. The scalar reference:
// one template per direction, instantiated for every (host codec, device
// codec) pair, with an inner loop per channel slot. The hot pairs first go
// through the vectorised kernels (sample_convert_kernels.h) picked once at
// load time; the scalar code converts what they leave (the last frames that
// do not fill a vector) and everything else.
#include "core/sample_convert.h"

#include <cstddef>
#include <cstring>

#include "core/cpu_features.h"
#include "core/sample_codec.h"
#include "core/sample_convert_kernels.h"
#include "core/sample_convert_simd.h"
#include "core/sample_quantize.h"

namespace a2w {
namespace {

using asio::SampleType;

// Calls f with a default-constructed codec for the host type; false when the
// type is not one we convert.
template <class F>
bool visitHostCodec(SampleType type, F&& f) {
  switch (type) {
    case SampleType::Int16LSB: f(codec::Int16{}); return true;
    case SampleType::Int24LSB: f(codec::Int24Packed{}); return true;
    case SampleType::Int32LSB: f(codec::Int32{}); return true;
    case SampleType::Float32LSB: f(codec::Float32{}); return true;
    case SampleType::Float64LSB: f(codec::Float64{}); return true;
    case SampleType::Int32LSB16: f(codec::Int32LowBits<16>{}); return true;
    case SampleType::Int32LSB18: f(codec::Int32LowBits<18>{}); return true;
    case SampleType::Int32LSB20: f(codec::Int32LowBits<20>{}); return true;
    case SampleType::Int32LSB24: f(codec::Int32LowBits<24>{}); return true;
    default: return false;
  }
}

template <class F>
bool visitDeviceCodec(DeviceSampleFormat format, F&& f) {
  switch (format) {
    case DeviceSampleFormat::Int16: f(codec::Int16{}); return true;
    case DeviceSampleFormat::Int24Packed: f(codec::Int24Packed{}); return true;
    case DeviceSampleFormat::Int24In32: f(codec::Int24In32{}); return true;
    case DeviceSampleFormat::Int32: f(codec::Int32{}); return true;
    case DeviceSampleFormat::Float32: f(codec::Float32{}); return true;
  }
  return false;
}

// Digital silence is all-zero bytes in every format we handle.
template <class Device>
void writeSilence(unsigned char* out, std::size_t stride, int frames) {
  for (int i = 0; i < frames; ++i, out += stride) std::memset(out, 0, Device::kBytes);
}

// One host channel into one slot of the interleaved device frames.
template <class Host, class Device, bool kDither>
void playSlot(const unsigned char* in, unsigned char* out, std::size_t stride, int frames,
              [[maybe_unused]] TpdfDither* dither) {
  for (int i = 0; i < frames; ++i, in += Host::kBytes, out += stride) {
    const typename Host::Value v = Host::load(in);
    if constexpr (kDither) {
      Device::store(out, quantize::convertDithered<Host, Device>(v, dither->next()));
    } else {
      Device::store(out, quantize::convert<Host, Device>(v));
    }
  }
}

// Frames [first, frames) of every slot.
template <class Host, class Device>
void play(const void* const* sources, unsigned char* device, int channels, int first, int frames,
          TpdfDither* dither) {
  const std::size_t stride = static_cast<std::size_t>(channels) * Device::kBytes;
  device += static_cast<std::size_t>(first) * stride;
  frames -= first;
  for (int slot = 0; slot < channels; ++slot) {
    unsigned char* out = device + static_cast<std::size_t>(slot) * Device::kBytes;
    const auto* in = static_cast<const unsigned char*>(sources != nullptr ? sources[slot] : nullptr);
    if (in != nullptr) in += static_cast<std::size_t>(first) * Host::kBytes;
    if (in == nullptr) {
      writeSilence<Device>(out, stride, frames);
      continue;
    }
    if constexpr (quantize::kDitherNarrows<Host, Device>) {
      if (dither != nullptr) {
        playSlot<Host, Device, true>(in, out, stride, frames, dither);
        continue;
      }
    }
    playSlot<Host, Device, false>(in, out, stride, frames, dither);
  }
}

// One slot of the interleaved device frames into one host channel.
template <class Device, class Host>
void captureSlot(const unsigned char* in, std::size_t stride, unsigned char* out, int frames) {
  for (int i = 0; i < frames; ++i, in += stride, out += Host::kBytes) {
    Host::store(out, quantize::convert<Device, Host>(Device::load(in)));
  }
}

// Frames [first, frames) of every slot.
template <class Device, class Host>
void capture(const unsigned char* device, int channels, void* const* destinations, int first, int frames) {
  const std::size_t stride = static_cast<std::size_t>(channels) * Device::kBytes;
  device += static_cast<std::size_t>(first) * stride;
  for (int slot = 0; slot < channels; ++slot) {
    auto* out = static_cast<unsigned char*>(destinations[slot]);
    if (out == nullptr) continue;
    captureSlot<Device, Host>(device + static_cast<std::size_t>(slot) * Device::kBytes, stride,
                              out + static_cast<std::size_t>(first) * Host::kBytes, frames - first);
  }
}

// --- the vectorised kernels

// CPUID once, while the module loads (under a hypervisor it traps: far too
// slow to ask per call).
#if A2W_AVX2_KERNELS
const bool gCpuHasAvx2 = cpuHasAvx2();
#endif

const kernels::KernelTable* tableFor(SimdLevel level) noexcept {
  switch (level) {
    case SimdLevel::Scalar: return nullptr;
    case SimdLevel::Sse2:
#if A2W_SSE2_KERNELS
      return &kernels::kSse2;
#else
      return nullptr;
#endif
    case SimdLevel::Avx2:
#if A2W_AVX2_KERNELS
      return gCpuHasAvx2 ? &kernels::kAvx2 : nullptr;
#else
      return nullptr;
#endif
  }
  return nullptr;
}

SimdLevel bestLevel() noexcept {
  for (SimdLevel level : {SimdLevel::Avx2, SimdLevel::Sse2}) {
    if (tableFor(level) != nullptr) return level;
  }
  return SimdLevel::Scalar;
}

// Chosen once, while the module loads (dynamic initialisation, before any
// host can call in). Should anything convert before that, it sees Scalar:
// slower, never different.
const SimdLevel gActiveLevel = bestLevel();
const kernels::KernelTable* const gActiveTable = tableFor(gActiveLevel);

int hostKind(SampleType type) {
  switch (type) {
    case SampleType::Float32LSB: return 0;
    case SampleType::Int32LSB: return 1;
    default: return -1;
  }
}

kernels::PlayKernel playKernel(const kernels::KernelTable* table, SampleType hostType, DeviceSampleFormat format) {
  const int host = hostKind(hostType);
  const auto device = static_cast<int>(format);
  if (table == nullptr || host < 0 || device < 0 || device >= kernels::kDeviceFormats) return nullptr;
  return table->play[host][device];
}

kernels::CaptureKernel captureKernel(const kernels::KernelTable* table, DeviceSampleFormat format, SampleType hostType) {
  const int host = hostKind(hostType);
  const auto device = static_cast<int>(format);
  if (table == nullptr || host < 0 || device < 0 || device >= kernels::kDeviceFormats) return nullptr;
  return table->capture[device][host];
}

// True when this call adds dither (quantize::kDitherNarrows; the kernels never dither).
bool dithers(SampleType hostType, DeviceSampleFormat format, const TpdfDither* dither) {
  return dither != nullptr && format != DeviceSampleFormat::Float32 &&
         a2w::resolutionBits(format) < a2w::resolutionBits(hostType);
}

void hostToDeviceWith(const kernels::KernelTable* table, asio::SampleType hostType, const void* const* sources,
                      DeviceSampleFormat deviceFormat, void* device, int deviceChannels, int frames,
                      TpdfDither* dither) noexcept {
  if (device == nullptr || deviceChannels <= 0 || frames <= 0) return;
  auto* out = static_cast<unsigned char*>(device);
  int done = 0;
  if (sources != nullptr && !dithers(hostType, deviceFormat, dither)) {
    if (const kernels::PlayKernel kernel = playKernel(table, hostType, deviceFormat)) {
      done = kernel(sources, out, deviceChannels, frames);
    }
  }
  if (done == frames) return;
  const bool converted = visitHostCodec(hostType, [&](auto host) {
    visitDeviceCodec(deviceFormat, [&](auto dev) {
      play<decltype(host), decltype(dev)>(sources, out, deviceChannels, done, frames, dither);
    });
  });
  if (!converted) {
    // A host type we cannot read must not leave stale audio in the device
    // buffer: play silence.
    const int bytes = a2w::bytesPerSample(deviceFormat);
    std::memset(out, 0, static_cast<std::size_t>(bytes) * static_cast<std::size_t>(deviceChannels) *
                            static_cast<std::size_t>(frames));
  }
}

void deviceToHostWith(const kernels::KernelTable* table, DeviceSampleFormat deviceFormat, const void* device,
                      int deviceChannels, asio::SampleType hostType, void* const* destinations, int frames) noexcept {
  if (device == nullptr || destinations == nullptr || deviceChannels <= 0 || frames <= 0) return;
  const auto* in = static_cast<const unsigned char*>(device);
  int done = 0;
  if (const kernels::CaptureKernel kernel = captureKernel(table, deviceFormat, hostType)) {
    done = kernel(in, deviceChannels, destinations, frames);
  }
  if (done == frames) return;
  visitHostCodec(hostType, [&](auto host) {
    visitDeviceCodec(deviceFormat, [&](auto dev) {
      capture<decltype(dev), decltype(host)>(in, deviceChannels, destinations, done, frames);
    });
  });
}

}  // namespace

bool isSupportedHostType(asio::SampleType type) {
  return visitHostCodec(type, [](auto) {});
}

int bytesPerSample(asio::SampleType type) {
  int bytes = 0;
  visitHostCodec(type, [&](auto host) { bytes = decltype(host)::kBytes; });
  return bytes;
}

int resolutionBits(asio::SampleType type) {
  int bits = 0;
  visitHostCodec(type, [&](auto host) { bits = decltype(host)::kBits; });
  return bits;
}

TpdfDither::TpdfDither(std::uint32_t seed) noexcept : state_(seed != 0 ? seed : 0x9e3779b9u) {}

double TpdfDither::next() noexcept {
  // xorshift32 (Marsaglia): two draws, each uniform on [0, 1) with 24 bits
  // (the top ones, the best mixed); their difference is triangular on (-1, 1)
  // with mean 0 and variance 1/6.
  auto draw = [this] {
    std::uint32_t x = state_;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    state_ = x;
    return static_cast<double>(x >> 8) * quantize::pow2(-24);
  };
  const double a = draw();
  const double b = draw();
  return a - b;
}

void hostToDevice(asio::SampleType hostType, const void* const* sources, DeviceSampleFormat deviceFormat,
                  void* device, int deviceChannels, int frames, TpdfDither* dither) noexcept {
  hostToDeviceWith(gActiveTable, hostType, sources, deviceFormat, device, deviceChannels, frames, dither);
}

void deviceToHost(DeviceSampleFormat deviceFormat, const void* device, int deviceChannels, asio::SampleType hostType,
                  void* const* destinations, int frames) noexcept {
  deviceToHostWith(gActiveTable, deviceFormat, device, deviceChannels, hostType, destinations, frames);
}

bool simdLevelAvailable(SimdLevel level) noexcept { return level == SimdLevel::Scalar || tableFor(level) != nullptr; }

SimdLevel activeSimdLevel() noexcept { return gActiveTable != nullptr ? gActiveLevel : SimdLevel::Scalar; }

bool simdPlaybackKernel(SimdLevel level, asio::SampleType hostType, DeviceSampleFormat deviceFormat) noexcept {
  return playKernel(tableFor(level), hostType, deviceFormat) != nullptr;
}

bool simdCaptureKernel(SimdLevel level, DeviceSampleFormat deviceFormat, asio::SampleType hostType) noexcept {
  return captureKernel(tableFor(level), deviceFormat, hostType) != nullptr;
}

int simdLanes(SimdLevel level) noexcept {
  switch (level) {
    case SimdLevel::Scalar: return 1;
    case SimdLevel::Sse2: return 4;
    case SimdLevel::Avx2: return 8;
  }
  return 1;
}

int simdPlaybackOnly(SimdLevel level, asio::SampleType hostType, const void* const* sources,
                     DeviceSampleFormat deviceFormat, void* device, int deviceChannels, int frames) noexcept {
  const kernels::PlayKernel kernel = playKernel(tableFor(level), hostType, deviceFormat);
  if (kernel == nullptr || sources == nullptr || device == nullptr || deviceChannels <= 0 || frames <= 0) return 0;
  return kernel(sources, static_cast<unsigned char*>(device), deviceChannels, frames);
}

int simdCaptureOnly(SimdLevel level, DeviceSampleFormat deviceFormat, const void* device, int deviceChannels,
                    asio::SampleType hostType, void* const* destinations, int frames) noexcept {
  const kernels::CaptureKernel kernel = captureKernel(tableFor(level), deviceFormat, hostType);
  if (kernel == nullptr || destinations == nullptr || device == nullptr || deviceChannels <= 0 || frames <= 0) {
    return 0;
  }
  return kernel(static_cast<const unsigned char*>(device), deviceChannels, destinations, frames);
}

void hostToDeviceAt(SimdLevel level, asio::SampleType hostType, const void* const* sources,
                    DeviceSampleFormat deviceFormat, void* device, int deviceChannels, int frames,
                    TpdfDither* dither) noexcept {
  hostToDeviceWith(tableFor(level), hostType, sources, deviceFormat, device, deviceChannels, frames, dither);
}

void deviceToHostAt(SimdLevel level, DeviceSampleFormat deviceFormat, const void* device, int deviceChannels,
                    asio::SampleType hostType, void* const* destinations, int frames) noexcept {
  deviceToHostWith(tableFor(level), deviceFormat, device, deviceChannels, hostType, destinations, frames);
}

}  // namespace a2w
