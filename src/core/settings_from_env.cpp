#include "core/settings_from_env.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <system_error>

#include "core/safety_settings.h"

namespace a2w {
namespace {

constexpr std::int32_t kMinBufferFrames = 16;
constexpr std::int32_t kMaxBufferFrames = 32768;
constexpr double kMinSampleRate = 8000;
constexpr double kMaxSampleRate = 768000;
// ASIO error messages hold 123 characters; a long value is cut so that the
// variable's name and the expectation always fit.
constexpr std::size_t kMaxQuotedValue = 24;

std::string trim(std::string_view s) {
  auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return s;
}

Status bad(const char* name, const std::string& value, std::string_view expected) {
  std::string shown = value.size() > kMaxQuotedValue ? value.substr(0, kMaxQuotedValue) + "..." : value;
  return Status::failure(asio::err::kInvalidParameter,
                         std::string(name) + "=\"" + shown + "\" is invalid: expected " + std::string(expected));
}

// "default" and "none" are keywords; anything else is an id or a name and is
// kept as written (ids and names are matched by the backend).
std::string deviceSelector(const std::string& value) {
  const std::string l = lower(value);
  return (l == "default" || l == "none") ? l : value;
}

std::optional<StreamMode> parseMode(const std::string& l) {
  if (l == "auto") return StreamMode::Auto;
  if (l == "exclusive-event" || l == "exclusive") return StreamMode::ExclusiveEvent;
  if (l == "exclusive-poll" || l == "poll") return StreamMode::ExclusivePoll;
  if (l == "shared-event" || l == "shared") return StreamMode::SharedEvent;
  return std::nullopt;
}

std::optional<asio::SampleType> parseSampleType(const std::string& l) {
  if (l == "float32") return asio::SampleType::Float32LSB;
  if (l == "int32") return asio::SampleType::Int32LSB;
  if (l == "int24") return asio::SampleType::Int24LSB;
  if (l == "int16") return asio::SampleType::Int16LSB;
  if (l == "float64") return asio::SampleType::Float64LSB;
  return std::nullopt;
}

std::optional<LogLevel> parseLogLevel(const std::string& l) {
  if (l == "off") return LogLevel::Off;
  if (l == "error") return LogLevel::Error;
  if (l == "warning" || l == "warn") return LogLevel::Warning;
  if (l == "info") return LogLevel::Info;
  if (l == "debug") return LogLevel::Debug;
  return std::nullopt;
}

// The whole string must be the number: "256x" and "" are rejected.
std::optional<std::int64_t> parseInteger(const std::string& s) {
  std::int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

std::optional<double> parseNumber(const std::string& s) {
  double v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v, std::chars_format::fixed);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

Status settingsFromEnv(const EnvGetter& getenv, DriverSettings* settings) {
  if (!settings) return Status::failure(asio::err::kInvalidParameter, "settingsFromEnv: no settings");
  // Returns the trimmed value, or nullopt when unset or blank.
  auto read = [&](const char* name) -> std::optional<std::string> {
    if (!getenv) return std::nullopt;
    std::optional<std::string> raw = getenv(name);
    if (!raw) return std::nullopt;
    std::string v = trim(*raw);
    if (v.empty()) return std::nullopt;
    return v;
  };

  if (auto v = read("A2W_OUTPUT_DEVICE")) settings->outputDevice = deviceSelector(*v);
  if (auto v = read("A2W_INPUT_DEVICE")) settings->inputDevice = deviceSelector(*v);

  if (auto v = read("A2W_MODE")) {
    auto mode = parseMode(lower(*v));
    if (!mode) return bad("A2W_MODE", *v, "auto, exclusive-event, exclusive-poll or shared-event");
    settings->mode = *mode;
  }
  if (auto v = read("A2W_BUFFER_FRAMES")) {
    auto n = parseInteger(*v);
    if (!n || *n < kMinBufferFrames || *n > kMaxBufferFrames)
      return bad("A2W_BUFFER_FRAMES", *v, "an integer from 16 to 32768");
    settings->bufferFrames = static_cast<std::int32_t>(*n);
  }
  if (auto v = read("A2W_SAMPLE_RATE")) {
    auto r = parseNumber(*v);
    if (!r || *r < kMinSampleRate || *r > kMaxSampleRate)
      return bad("A2W_SAMPLE_RATE", *v, "a rate in Hz from 8000 to 768000");
    settings->sampleRate = *r;
  }
  if (auto v = read("A2W_SAMPLE_TYPE")) {
    auto t = parseSampleType(lower(*v));
    if (!t) return bad("A2W_SAMPLE_TYPE", *v, "float32, int32, int24, int16 or float64");
    settings->hostSampleType = *t;
  }
  if (auto v = read("A2W_DITHER")) {
    if (*v == "0") {
      settings->dither = false;
    } else if (*v == "1") {
      settings->dither = true;
    } else {
      return bad("A2W_DITHER", *v, "0 or 1");
    }
  }
  if (auto v = read("A2W_DRIFT_COMPENSATION")) {
    const std::string l = lower(*v);
    if (l == "auto") {
      settings->driftCompensation = DriftCompensation::Auto;
    } else if (l == "on") {
      settings->driftCompensation = DriftCompensation::On;
    } else if (l == "off") {
      settings->driftCompensation = DriftCompensation::Off;
    } else {
      return bad("A2W_DRIFT_COMPENSATION", *v, "auto, on or off");
    }
  }
  if (auto v = read("A2W_SHARED_MODE_RESAMPLE")) {
    const std::string l = lower(*v);
    if (l == "auto") {
      settings->sharedModeResample = SharedModeResample::Auto;
    } else if (l == "always") {
      settings->sharedModeResample = SharedModeResample::Always;
    } else {
      return bad("A2W_SHARED_MODE_RESAMPLE", *v, "auto or always");
    }
  }
  // The four safety variables as one group, by the file's rule
  // (core/safety_settings.h): what they give replaces the file's safety.
  safety::Given given;
  if (auto v = read("A2W_SAFETY")) {
    const std::string l = lower(*v);
    if (l == "auto") {
      given.mode = SafetyMode::Auto;
    } else if (l == "fixed") {
      given.mode = SafetyMode::Fixed;
    } else {
      return bad("A2W_SAFETY", *v, "auto or fixed");
    }
  }
  if (auto v = read("A2W_SAFETY_FRAMES")) {
    auto n = parseInteger(*v);
    if (!n || *n < 0 || *n > safety::kMaxFrames) return bad("A2W_SAFETY_FRAMES", *v, safety::kExpectedFrames);
    given.frames = static_cast<std::int32_t>(*n);
  }
  if (auto v = read("A2W_SAFETY_MS")) {
    auto ms = parseNumber(*v);
    if (!ms || *ms < 0 || *ms > safety::kMaxMs) return bad("A2W_SAFETY_MS", *v, safety::kExpectedMs);
    given.ms = *ms;
  }
  if (auto v = read("A2W_SAFETY_MAX_MS")) {
    auto ms = parseNumber(*v);
    if (!ms || *ms < safety::kMinMaxMs || *ms > safety::kMaxMaxMs) {
      return bad("A2W_SAFETY_MAX_MS", *v, safety::kExpectedMaxMs);
    }
    given.maxMs = *ms;
  }
  if (const safety::Conflict c = safety::apply(given, settings); c != safety::Conflict::None) {
    return Status::failure(asio::err::kInvalidParameter, safety::message(c, given, safety::kEnvNames));
  }
  if (auto v = read("A2W_LOG")) {
    auto level = parseLogLevel(lower(*v));
    if (!level) return bad("A2W_LOG", *v, "off, error, warning, info or debug");
    settings->logLevel = *level;
  }
  if (auto v = read("A2W_LOG_FILE")) settings->logFile = *v;
  return Status::success();
}

}  // namespace a2w
