// RIFF/WAVE files of 32-bit float samples: what `asiohost record` writes.
// Portable, so the native unit tests check the bytes.
//
// Layout: "RIFF" <size> "WAVE", a "fmt " chunk, a "fact" chunk (the frame
// count; the WAVE spec asks for it with every non-PCM format) and the "data"
// chunk of interleaved little-endian IEEE floats. Up to 2 channels the fmt
// chunk is the 18-byte WAVEFORMATEX with WAVE_FORMAT_IEEE_FLOAT (3); beyond,
// WAVE_FORMAT_EXTENSIBLE (0xFFFE) with the IEEE float sub-format and no
// speaker mask, as Windows expects for more than two channels.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace a2w::host {

// The whole file. Throws std::length_error when it would exceed the 4 GiB
// a RIFF size field can describe, std::invalid_argument for 0 channels or a
// sample count that is not a whole number of frames.
std::string wavFloat32(std::span<const float> interleaved, std::uint16_t channels, std::uint32_t sampleRate);

struct WavContents {
  std::uint16_t formatTag = 0;       // 3, or 0xFFFE with a float sub-format
  std::uint16_t channels = 0;
  std::uint32_t sampleRate = 0;
  std::uint16_t bitsPerSample = 0;
  std::uint32_t factFrames = 0;      // from the fact chunk (0 when absent)
  std::vector<float> samples;        // interleaved
};

// Reads back a 32-bit float WAV (ours or another writer's); nullopt when the
// bytes are not one.
std::optional<WavContents> readWavFloat32(std::string_view bytes);

}  // namespace a2w::host
