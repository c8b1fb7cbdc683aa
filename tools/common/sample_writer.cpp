#include "common/sample_writer.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace a2w::host {
namespace {

static_assert(std::endian::native == std::endian::little,
              "float samples are copied as stored; every Windows target is little-endian");

using asio::SampleType;

// Significant bits of the integer types (0 for float and unsupported types).
int integerBits(SampleType type) {
  switch (type) {
    case SampleType::Int16LSB:
    case SampleType::Int32LSB16: return 16;
    case SampleType::Int32LSB18: return 18;
    case SampleType::Int32LSB20: return 20;
    case SampleType::Int24LSB:
    case SampleType::Int32LSB24: return 24;
    case SampleType::Int32LSB: return 32;
    default: return 0;
  }
}

std::int64_t toInteger(double value, int bits) {
  if (std::isnan(value)) return 0;
  const double full = std::ldexp(1.0, bits - 1);
  const double scaled = std::round(value * full);  // ties away from zero
  if (scaled >= full - 1.0) return static_cast<std::int64_t>(full) - 1;
  if (scaled <= -full) return -static_cast<std::int64_t>(full);
  return static_cast<std::int64_t>(scaled);
}

// Little-endian stores and loads built byte by byte: no alignment assumptions
// (Int24LSB samples sit at odd addresses).
void storeLE(unsigned char* p, std::uint32_t v, std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

std::int32_t loadSignedLE(const unsigned char* p, std::size_t bytes) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < bytes; ++i) v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
  const unsigned shift = static_cast<unsigned>(32 - 8 * bytes);
  // Sign-extend from the top stored byte: shift up, then arithmetic shift down.
  return static_cast<std::int32_t>(v << shift) >> shift;
}

std::int32_t signExtend(std::int32_t v, int bits) {
  const unsigned shift = static_cast<unsigned>(32 - bits);
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(v) << shift) >> shift;
}

}  // namespace

std::string sampleTypeName(SampleType type) {
  switch (type) {
    case SampleType::Int16MSB: return "Int16MSB";
    case SampleType::Int24MSB: return "Int24MSB";
    case SampleType::Int32MSB: return "Int32MSB";
    case SampleType::Float32MSB: return "Float32MSB";
    case SampleType::Float64MSB: return "Float64MSB";
    case SampleType::Int32MSB16: return "Int32MSB16";
    case SampleType::Int32MSB18: return "Int32MSB18";
    case SampleType::Int32MSB20: return "Int32MSB20";
    case SampleType::Int32MSB24: return "Int32MSB24";
    case SampleType::Int16LSB: return "Int16LSB";
    case SampleType::Int24LSB: return "Int24LSB";
    case SampleType::Int32LSB: return "Int32LSB";
    case SampleType::Float32LSB: return "Float32LSB";
    case SampleType::Float64LSB: return "Float64LSB";
    case SampleType::Int32LSB16: return "Int32LSB16";
    case SampleType::Int32LSB18: return "Int32LSB18";
    case SampleType::Int32LSB20: return "Int32LSB20";
    case SampleType::Int32LSB24: return "Int32LSB24";
    case SampleType::DSDInt8LSB1: return "DSDInt8LSB1";
    case SampleType::DSDInt8MSB1: return "DSDInt8MSB1";
    case SampleType::DSDInt8NER8: return "DSDInt8NER8";
  }
  return "Unknown(" + std::to_string(static_cast<std::int32_t>(type)) + ")";
}

std::size_t bytesPerSample(SampleType type) {
  switch (type) {
    case SampleType::Int16LSB: return 2;
    case SampleType::Int24LSB: return 3;
    case SampleType::Int32LSB:
    case SampleType::Float32LSB:
    case SampleType::Int32LSB16:
    case SampleType::Int32LSB18:
    case SampleType::Int32LSB20:
    case SampleType::Int32LSB24: return 4;
    case SampleType::Float64LSB: return 8;
    default: return 0;
  }
}

void writeSample(void* buffer, std::size_t index, SampleType type, double value) {
  const std::size_t size = bytesPerSample(type);
  auto* p = static_cast<unsigned char*>(buffer) + index * size;
  if (type == SampleType::Float32LSB) {
    const float f = std::isnan(value) ? 0.0f : static_cast<float>(value);
    std::memcpy(p, &f, sizeof f);
    return;
  }
  if (type == SampleType::Float64LSB) {
    const double d = std::isnan(value) ? 0.0 : value;
    std::memcpy(p, &d, sizeof d);
    return;
  }
  const int bits = integerBits(type);
  if (bits == 0) return;  // precondition violated: write nothing rather than garbage
  storeLE(p, static_cast<std::uint32_t>(toInteger(value, bits)), size);
}

double readSample(const void* buffer, std::size_t index, SampleType type) {
  const std::size_t size = bytesPerSample(type);
  const auto* p = static_cast<const unsigned char*>(buffer) + index * size;
  if (type == SampleType::Float32LSB) {
    float f;
    std::memcpy(&f, p, sizeof f);
    return f;
  }
  if (type == SampleType::Float64LSB) {
    double d;
    std::memcpy(&d, p, sizeof d);
    return d;
  }
  const int bits = integerBits(type);
  if (bits == 0) return 0.0;
  // Int32LSB16..24 ignore whatever sits above their bits, as drivers do.
  const std::int32_t v = signExtend(loadSignedLE(p, size), bits);
  return std::ldexp(static_cast<double>(v), -(bits - 1));
}

double quantize(double value, SampleType type) {
  unsigned char scratch[8] = {};
  writeSample(scratch, 0, type, value);
  return readSample(scratch, 0, type);
}

}  // namespace a2w::host
