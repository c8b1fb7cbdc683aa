// Deterministic sample patterns for the tests: a 32-bit value per (channel,
// frame), and its exact spelling in the device and host formats the tests
// use. Float spellings keep 24 significant bits, so float32 carries them
// bit-exactly and the tests can compare with ==.
#pragma once

#include <cstddef>
#include <cstdint>

#include "asio/asio_abi.h"
#include "core/device_format.h"

namespace a2w::test {

// Different for every channel and frame, covering the whole 32-bit range.
constexpr std::int32_t patternValue(std::uint32_t seed, int channel, std::uint64_t frame) {
  const std::uint32_t mixed = static_cast<std::uint32_t>(frame) * 2654435761u +
                              static_cast<std::uint32_t>(channel + 1) * 40503u + seed * 97u;
  return static_cast<std::int32_t>(mixed);
}

// The value as a float in [-1, 1) with 24 significant bits (exact in float32).
inline float patternAsFloat(std::int32_t value) { return static_cast<float>(value / 256) / 8388608.0f; }

// Writes `value` as one sample of `format` at `out` (bytesPerSample(format) bytes).
void writeDeviceSample(DeviceSampleFormat format, std::int32_t value, std::byte* out);

// Writes `value` as one sample of host type `type` (Float32LSB, Float64LSB,
// Int32LSB, Int16LSB, Int24LSB, Int32LSB24); returns the bytes written.
int writeHostSample(asio::SampleType type, std::int32_t value, std::byte* out);

}  // namespace a2w::test
