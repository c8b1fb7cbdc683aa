// What the user chose: which endpoints, which WASAPI mode, which buffer size.
// Filled from the instance's TOML file (core/config_file.h), then overridden
// by A2W_* environment variables (core/settings_from_env.h); every field is
// documented with its file key in docs/CONFIGURATION.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// Shared mode, when the host's rate is not the engine's mix rate: Auto opens
// the stream at the host's rate when the engine takes it exactly (Windows 10
// and 11 take only the mix rate; Wine takes others) and otherwise at the mix
// rate, with the driver's own resampler between (StreamInfo::Side::
// deviceSampleRate); Always opens at the mix rate whenever the host's rate
// differs from it (the resampler always, e.g. to test that path under Wine).
// Exclusive modes never resample.
enum class SharedModeResample : std::uint8_t { Auto, Always };

// The render queue's safety margin in shared mode (core/render_queue.h):
// Auto starts each stream at the smallest queue and adds a period after
// each underrun, up to safetyMaxMs; Fixed keeps safetyFrames (or safetyMs)
// beyond the smallest queue from the start and never grows.
enum class SafetyMode : std::uint8_t { Auto, Fixed };

// How much the driver logs ([log] level). Each level includes the ones before.
enum class LogLevel : std::uint8_t { Off, Error, Warning, Info, Debug };

constexpr std::string_view toString(LogLevel l) {
  switch (l) {
    case LogLevel::Off: return "off";
    case LogLevel::Error: return "error";
    case LogLevel::Warning: return "warning";
    case LogLevel::Info: return "info";
    case LogLevel::Debug: return "debug";
  }
  return "?";
}

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
  SharedModeResample sharedModeResample = SharedModeResample::Auto;  // shared mode: when to open at the mix rate
  // The buffer as a duration (buffer_ms): when > 0 it replaces bufferFrames,
  // converted at the running sample rate (preferredBufferFrames below).
  double bufferMs = 0;
  // Host channels per direction: 0 = as many as the device has (or as the
  // map lists). The map sends host channel i to device slot map[i] (0-based);
  // empty = identity. Checked against the device at init.
  std::int32_t outputChannels = 0;
  std::vector<std::int32_t> outputChannelMap;
  std::int32_t inputChannels = 0;
  std::vector<std::int32_t> inputChannelMap;
  // The logger's settings ([log]): level, and the file ("" = its default).
  LogLevel logLevel = LogLevel::Off;
  std::string logFile;
  // The safety margin (safety, safety_frames / safety_ms, safety_max_ms).
  SafetyMode safety = SafetyMode::Auto;
  std::int32_t safetyFrames = 0;  // Fixed: frames beyond the smallest queue, at the device rate
  double safetyMs = 0;            // Fixed: as a duration; when > 0 it replaces safetyFrames
  double safetyMaxMs = 100;       // Auto: the most the margin grows to

  bool operator==(const DriverSettings&) const = default;
};

// The preferred buffer in frames at `sampleRate`: bufferMs converted (at
// least 1 frame) when set, else bufferFrames (0 = the device's default).
inline std::int32_t preferredBufferFrames(const DriverSettings& s, double sampleRate) {
  if (s.bufferMs > 0 && sampleRate > 0) {
    const double frames = s.bufferMs * sampleRate / 1000.0 + 0.5;
    return frames < 1 ? 1 : frames > 1048576 ? 1048576 : static_cast<std::int32_t>(frames);
  }
  return s.bufferFrames;
}

// The safety margin in frames at `rate`: Fixed's margin (safetyMs converted
// when set, else safetyFrames), and the most it may reach (Auto: safetyMaxMs;
// Fixed: the fixed margin itself).
inline std::int32_t fixedSafetyFrames(const DriverSettings& s, double rate) {
  if (s.safety != SafetyMode::Fixed) return 0;
  if (s.safetyMs > 0 && rate > 0) return static_cast<std::int32_t>(s.safetyMs * rate / 1000.0 + 0.5);
  return s.safetyFrames > 0 ? s.safetyFrames : 0;
}
inline std::int32_t maximumSafetyFrames(const DriverSettings& s, double rate) {
  if (s.safety == SafetyMode::Fixed) return fixedSafetyFrames(s, rate);
  return s.safetyMaxMs > 0 && rate > 0 ? static_cast<std::int32_t>(s.safetyMaxMs * rate / 1000.0 + 0.5) : 0;
}

}  // namespace a2w
