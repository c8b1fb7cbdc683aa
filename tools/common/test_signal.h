// The demo and end-to-end test signal: every frame of every channel carries a
// value derived from its frame number, so a dropped, repeated or reordered
// buffer shows up as a break in the sequence (a sine would hide it).
//
// Values are multiples of 2^-17 within +-0.25: exact in float32 and in every
// integer device format of 16 bits or more, so the path can be checked bit
// for bit. Portable: used by our ASIO host (Windows) and the Linux verifier.
#pragma once

#include <cstdint>

namespace a2w::signal {

// A 32-bit mix of (frame, channel) with good avalanche (an integer hash).
constexpr std::uint32_t mix(std::uint64_t frame, std::uint32_t channel) {
  std::uint64_t x = frame * 0x9E3779B97F4A7C15ull + (static_cast<std::uint64_t>(channel) + 1) * 0xD1B54A32D192ED03ull;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 32;
  return static_cast<std::uint32_t>(x);
}

// The 16-bit code of a frame and channel; never 0, so silence is never mistaken for signal.
constexpr std::int16_t code(std::uint64_t frame, std::uint32_t channel) {
  auto c = static_cast<std::int16_t>(static_cast<std::uint16_t>(mix(frame, channel) >> 16));
  return c == 0 ? std::int16_t{1} : c;
}

// The sample value: code / 2^17, so |value| <= 0.25.
constexpr float sample(std::uint64_t frame, std::uint32_t channel) {
  return static_cast<float>(code(frame, channel)) / 131072.0f;
}

// Back from a sample to its code; only meaningful for exact values.
constexpr std::int32_t codeOf(float value) {
  return static_cast<std::int32_t>(value * 131072.0f);
}

}  // namespace a2w::signal
