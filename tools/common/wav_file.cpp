#include "common/wav_file.h"

#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace a2w::host {
namespace {

constexpr std::uint16_t kFormatIeeeFloat = 3;
constexpr std::uint16_t kFormatExtensible = 0xFFFE;
// KSDATAFORMAT_SUBTYPE_IEEE_FLOAT, {00000003-0000-0010-8000-00AA00389B71}, as stored in the file.
constexpr unsigned char kFloatSubFormat[16] = {0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
                                               0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

void put16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
std::uint16_t get16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8));
}
std::uint32_t get32(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)])) << (8 * i);
  return v;
}

}  // namespace

std::string wavFloat32(std::span<const float> interleaved, std::uint16_t channels, std::uint32_t sampleRate) {
  if (channels == 0) throw std::invalid_argument("wavFloat32: no channels");
  if (interleaved.size() % channels != 0) throw std::invalid_argument("wavFloat32: not a whole number of frames");
  const bool extensible = channels > 2;
  const std::uint32_t fmtSize = extensible ? 40 : 18;
  const std::uint32_t blockAlign = 4u * channels;
  const std::uint64_t dataBytes = static_cast<std::uint64_t>(interleaved.size()) * 4;
  const std::uint64_t riffSize = 4 + (8 + fmtSize) + (8 + 4) + (8 + dataBytes);
  if (riffSize > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("wavFloat32: more than a RIFF file can hold (4 GiB)");
  }
  const auto frames = static_cast<std::uint32_t>(interleaved.size() / channels);

  std::string out;
  out.reserve(static_cast<std::size_t>(riffSize + 8));
  out += "RIFF";
  put32(out, static_cast<std::uint32_t>(riffSize));
  out += "WAVE";
  out += "fmt ";
  put32(out, fmtSize);
  put16(out, extensible ? kFormatExtensible : kFormatIeeeFloat);
  put16(out, channels);
  put32(out, sampleRate);
  put32(out, sampleRate * blockAlign);  // bytes per second
  put16(out, static_cast<std::uint16_t>(blockAlign));
  put16(out, 32);
  if (extensible) {
    put16(out, 22);  // cbSize
    put16(out, 32);  // valid bits
    put32(out, 0);   // channel mask: unspecified
    out.append(reinterpret_cast<const char*>(kFloatSubFormat), sizeof kFloatSubFormat);
  } else {
    put16(out, 0);   // cbSize
  }
  out += "fact";
  put32(out, 4);
  put32(out, frames);
  out += "data";
  put32(out, static_cast<std::uint32_t>(dataBytes));
  for (float f : interleaved) put32(out, std::bit_cast<std::uint32_t>(f));
  return out;
}

std::optional<WavContents> readWavFloat32(std::string_view b) {
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WAVE") return std::nullopt;
  WavContents w;
  bool haveFmt = false;
  std::size_t at = 12;
  while (at + 8 <= b.size()) {
    const std::string_view id = b.substr(at, 4);
    const std::uint32_t size = get32(b, at + 4);
    const std::size_t body = at + 8;
    if (size > b.size() - body) return std::nullopt;
    if (id == "fmt ") {
      if (size < 16) return std::nullopt;
      w.formatTag = get16(b, body);
      w.channels = get16(b, body + 2);
      w.sampleRate = get32(b, body + 4);
      w.bitsPerSample = get16(b, body + 14);
      if (w.formatTag == kFormatExtensible) {
        if (size < 40 || std::memcmp(b.data() + body + 24, kFloatSubFormat, sizeof kFloatSubFormat) != 0) return std::nullopt;
      } else if (w.formatTag != kFormatIeeeFloat) {
        return std::nullopt;
      }
      if (w.bitsPerSample != 32 || w.channels == 0) return std::nullopt;
      haveFmt = true;
    } else if (id == "fact" && size >= 4) {
      w.factFrames = get32(b, body);
    } else if (id == "data") {
      if (!haveFmt) return std::nullopt;
      w.samples.resize(size / 4);
      for (std::size_t i = 0; i < w.samples.size(); ++i) w.samples[i] = std::bit_cast<float>(get32(b, body + 4 * i));
      return w;
    }
    at = body + size + (size & 1);  // chunks are padded to even sizes
  }
  return std::nullopt;
}

}  // namespace a2w::host
