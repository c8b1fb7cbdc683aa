// Planar host buffers <-> interleaved device frames. One template per
// direction, instantiated for every (host codec, device codec) pair, with an
// inner loop per channel slot: a later SIMD pass can specialise a hot pair by
// adding an overload of playSlot/captureSlot without touching the dispatch.
#include "core/sample_convert.h"

#include <cstddef>
#include <cstring>

#include "core/sample_codec.h"
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

template <class Host, class Device>
void play(const void* const* sources, unsigned char* device, int channels, int frames, TpdfDither* dither) {
  const std::size_t stride = static_cast<std::size_t>(channels) * Device::kBytes;
  for (int slot = 0; slot < channels; ++slot) {
    unsigned char* out = device + static_cast<std::size_t>(slot) * Device::kBytes;
    const auto* in = static_cast<const unsigned char*>(sources != nullptr ? sources[slot] : nullptr);
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

template <class Device, class Host>
void capture(const unsigned char* device, int channels, void* const* destinations, int frames) {
  const std::size_t stride = static_cast<std::size_t>(channels) * Device::kBytes;
  for (int slot = 0; slot < channels; ++slot) {
    auto* out = static_cast<unsigned char*>(destinations[slot]);
    if (out == nullptr) continue;
    captureSlot<Device, Host>(device + static_cast<std::size_t>(slot) * Device::kBytes, stride, out, frames);
  }
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
  if (device == nullptr || deviceChannels <= 0 || frames <= 0) return;
  auto* out = static_cast<unsigned char*>(device);
  const bool converted = visitHostCodec(hostType, [&](auto host) {
    visitDeviceCodec(deviceFormat, [&](auto dev) {
      play<decltype(host), decltype(dev)>(sources, out, deviceChannels, frames, dither);
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

void deviceToHost(DeviceSampleFormat deviceFormat, const void* device, int deviceChannels, asio::SampleType hostType,
                  void* const* destinations, int frames) noexcept {
  if (device == nullptr || destinations == nullptr || deviceChannels <= 0 || frames <= 0) return;
  const auto* in = static_cast<const unsigned char*>(device);
  visitHostCodec(hostType, [&](auto host) {
    visitDeviceCodec(deviceFormat, [&](auto dev) {
      capture<decltype(dev), decltype(host)>(in, deviceChannels, destinations, frames);
    });
  });
}

}  // namespace a2w
