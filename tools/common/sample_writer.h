// Writing (and reading back) one sample in an ASIO buffer of a given sample
// type. Portable, so the native unit tests can check every format bit for bit;
// used by asiohost's bufferSwitch and by the fake test driver's checks.
//
// Conventions (the same as the driver core's, see src/core/sample_quantize.h):
// float -> int multiplies by 2^(bits-1), rounds to nearest with ties away from
// zero and clips to [-2^(bits-1), 2^(bits-1) - 1]; NaN becomes 0. The
// Int32LSB16..24 types keep the value sign-extended in the low bits of a
// 32-bit little-endian word. Only the little-endian types hosts meet on
// Windows are supported; the others are reported as unsupported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "asio/asio_abi.h"

namespace a2w::host {

// "Float32LSB", "Int24LSB", ...; unknown codes give "Unknown(<code>)".
std::string sampleTypeName(asio::SampleType type);

// Bytes one sample occupies; 0 when the type cannot be written by us.
std::size_t bytesPerSample(asio::SampleType type);

inline bool canWrite(asio::SampleType type) { return bytesPerSample(type) != 0; }

// Stores `value` (full scale +-1.0) as sample number `index` of `buffer`.
// Precondition: canWrite(type).
void writeSample(void* buffer, std::size_t index, asio::SampleType type, double value);

// The value stored at sample `index`, scaled back to +-1.0. Precondition: canWrite(type).
double readSample(const void* buffer, std::size_t index, asio::SampleType type);

// The value after a round trip through `type`: what readSample returns once
// writeSample stored `value`. Lets a checker compare exactly even for 16 bits.
double quantize(double value, asio::SampleType type);

}  // namespace a2w::host
