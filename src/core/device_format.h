// Sample formats on the device side of the bridge (what WASAPI plays or
// records), as opposed to asio::SampleType on the host side.
#pragma once

#include <cstdint>
#include <string_view>

namespace a2w {

enum class DeviceSampleFormat : std::uint8_t {
  Int16,       // 2 bytes
  Int24Packed, // 3 bytes, little-endian
  Int24In32,   // 4 bytes, the 24 valid bits left-justified (low byte zero), as WASAPI stores them
  Int32,       // 4 bytes
  Float32,     // 4 bytes, IEEE-754, full scale is +-1.0
};

constexpr int bytesPerSample(DeviceSampleFormat f) {
  switch (f) {
    case DeviceSampleFormat::Int16: return 2;
    case DeviceSampleFormat::Int24Packed: return 3;
    case DeviceSampleFormat::Int24In32:
    case DeviceSampleFormat::Int32:
    case DeviceSampleFormat::Float32: return 4;
  }
  return 0;
}

// Bits of resolution the format can carry (float32 counts as 24: its mantissa).
constexpr int resolutionBits(DeviceSampleFormat f) {
  switch (f) {
    case DeviceSampleFormat::Int16: return 16;
    case DeviceSampleFormat::Int24Packed:
    case DeviceSampleFormat::Int24In32:
    case DeviceSampleFormat::Float32: return 24;
    case DeviceSampleFormat::Int32: return 32;
  }
  return 0;
}

constexpr std::string_view toString(DeviceSampleFormat f) {
  switch (f) {
    case DeviceSampleFormat::Int16: return "int16";
    case DeviceSampleFormat::Int24Packed: return "int24";
    case DeviceSampleFormat::Int24In32: return "int24in32";
    case DeviceSampleFormat::Int32: return "int32";
    case DeviceSampleFormat::Float32: return "float32";
  }
  return "?";
}

}  // namespace a2w
