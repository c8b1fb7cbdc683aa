// What the user chose: which endpoints, which WASAPI mode, which buffer size.
// Filled from the environment for now (see docs/CONFIGURATION.md); the TOML
// config file replaces that source later, not this struct.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "asio/asio_abi.h"

namespace a2w {

// How the WASAPI stream is opened. Auto tries ExclusiveEvent, then
// ExclusivePoll, then SharedEvent, and keeps the first that works.
enum class StreamMode : std::uint8_t { Auto, ExclusiveEvent, ExclusivePoll, SharedEvent };

constexpr std::string_view toString(StreamMode m) {
  switch (m) {
    case StreamMode::Auto: return "auto";
    case StreamMode::ExclusiveEvent: return "exclusive-event";
    case StreamMode::ExclusivePoll: return "exclusive-poll";
    case StreamMode::SharedEvent: return "shared-event";
  }
  return "?";
}

// Drift compensation on the input path: Auto turns it on when input and
// output do not share a clock (different devices, or a shared-mode engine).
enum class DriftCompensation : std::uint8_t { Auto, On, Off };

struct DriverSettings {
  // Endpoint selectors: "default" (the default console endpoint), "none"
  // (no stream in that direction), or an endpoint id or friendly name.
  std::string outputDevice = "default";
  std::string inputDevice = "none";
  StreamMode mode = StreamMode::Auto;
  std::int32_t bufferFrames = 0;        // preferred ASIO buffer; 0 = the device's default period
  double sampleRate = 0;                // rate at init; 0 = the device's mix rate
  asio::SampleType hostSampleType = asio::SampleType::Float32LSB;  // what the host sees
  bool dither = false;                  // TPDF dither when the device has fewer bits
  DriftCompensation driftCompensation = DriftCompensation::Auto;
};

}  // namespace a2w
