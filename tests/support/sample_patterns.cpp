#include "support/sample_patterns.h"

#include <cstring>

namespace a2w::test {

namespace {
template <typename T>
void store(T value, std::byte* out) {
  std::memcpy(out, &value, sizeof value);
}
void store24(std::int32_t value24, std::byte* out) {
  const auto u = static_cast<std::uint32_t>(value24);
  out[0] = static_cast<std::byte>(u & 0xff);
  out[1] = static_cast<std::byte>((u >> 8) & 0xff);
  out[2] = static_cast<std::byte>((u >> 16) & 0xff);
}
}  // namespace

void writeDeviceSample(DeviceSampleFormat format, std::int32_t value, std::byte* out) {
  switch (format) {
    case DeviceSampleFormat::Int16: store(static_cast<std::int16_t>(value / 65536), out); break;
    case DeviceSampleFormat::Int24Packed: store24(value / 256, out); break;
    case DeviceSampleFormat::Int24In32:
      store(static_cast<std::int32_t>(static_cast<std::uint32_t>(value) & 0xffffff00u), out);
      break;
    case DeviceSampleFormat::Int32: store(value, out); break;
    case DeviceSampleFormat::Float32: store(patternAsFloat(value), out); break;
  }
}

int writeHostSample(asio::SampleType type, std::int32_t value, std::byte* out) {
  switch (type) {
    case asio::SampleType::Float32LSB: store(patternAsFloat(value), out); return 4;
    case asio::SampleType::Float64LSB: store(static_cast<double>(patternAsFloat(value)), out); return 8;
    case asio::SampleType::Int32LSB: store(value, out); return 4;
    case asio::SampleType::Int16LSB: store(static_cast<std::int16_t>(value / 65536), out); return 2;
    case asio::SampleType::Int24LSB: store24(value / 256, out); return 3;
    case asio::SampleType::Int32LSB24: store(static_cast<std::int32_t>(value / 256), out); return 4;
    default: return 0;
  }
}

}  // namespace a2w::test
