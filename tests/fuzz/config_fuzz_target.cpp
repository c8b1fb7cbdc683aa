// The config fuzz target: any bytes as the contents of a settings file.
// config::parse must not crash or throw, and:
//  - a refusal names the file and a line ("fuzz.toml:7: ..."), fits
//    getErrorMessage (123 characters) and leaves the defaults (nothing half
//    applied); every warning names the file and a line too;
//  - accepted settings are within the documented ranges, and render() writes
//    a file that parses back to exactly them, without warnings;
//  - the live-reload decision agrees: Keep for a refused file, Apply or
//    Ignore for an accepted one.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <string_view>

#include "core/config_file.h"
#include "core/config_reload.h"
#include "fuzz/fuzz_targets.h"

namespace a2w::fuzz {
namespace {

ConfigFuzzCounts gCounts;

[[noreturn]] void broken(const std::string& what, std::string_view input) {
  std::string shown(input.substr(0, 300));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') c = '?';
  }
  violated("config fuzz", what + "\n--- input (first 300 bytes) ---\n" + shown + "\n---");
}

// "fuzz.toml:<line>: <text>" with 1 <= line <= the file's lines (+1 for an
// error at the very end).
void checkNamesFileAndLine(const std::string& message, std::string_view text, const char* kind) {
  const std::string prefix = std::string(kConfigFuzzFileName) + ":";
  std::size_t at = prefix.size();
  long line = 0;
  while (at < message.size() && message[at] >= '0' && message[at] <= '9' && line < 100000000) {
    line = line * 10 + (message[at] - '0');
    ++at;
  }
  const long lines = 1 + static_cast<long>(std::count(text.begin(), text.end(), '\n'));
  if (message.rfind(prefix, 0) != 0 || at == prefix.size() || message.compare(at, 2, ": ") != 0 || line < 1 ||
      line > lines + 1) {
    broken(std::string(kind) + " does not name " + kConfigFuzzFileName + ":<line> (file has " + std::to_string(lines) +
               " lines): \"" + message + "\"",
           text);
  }
}

bool inRange(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

void checkMap(const std::vector<std::int32_t>& map, std::int32_t channels, std::string_view text) {
  std::set<std::int32_t> seen;
  for (std::int32_t slot : map) {
    if (slot < 0 || slot > 63 || !seen.insert(slot).second) broken("accepted a bad channel_map", text);
  }
  if (map.size() > 64 || (channels != 0 && !map.empty() && static_cast<std::size_t>(channels) != map.size())) {
    broken("accepted a channel_map that disagrees with channels", text);
  }
  if (channels < 0 || channels > 64) broken("accepted channels = " + std::to_string(channels), text);
}

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

// The safety margin within its limits and in its canonical form (what
// core/safety_settings.h apply() gives, which render() relies on).
void checkSafety(const DriverSettings& s, std::string_view text) {
  if (!inRange(s.safetyMaxMs, 1, 1000)) broken("accepted safety_max_ms", text);
  if (s.safety == SafetyMode::Auto) {
    if (s.safetyFrames != 0 || s.safetyMs != 0) broken("accepted a margin with safety = auto", text);
  } else if (s.safety == SafetyMode::Fixed) {
    if (s.safetyFrames < 0 || s.safetyFrames > 48000) broken("accepted safety_frames", text);
    if (!inRange(s.safetyMs, 0, 1000)) broken("accepted safety_ms", text);
    if (s.safetyFrames != 0 && s.safetyMs != 0) broken("accepted safety_frames and safety_ms together", text);
    if (s.safetyMaxMs != DriverSettings{}.safetyMaxMs) broken("accepted safety_max_ms with a fixed margin", text);
  } else {
    broken("accepted an unknown safety mode", text);
  }
}

void checkSettings(const DriverSettings& s, std::string_view text) {
  if (s.bufferFrames != 0 && (s.bufferFrames < 16 || s.bufferFrames > 32768)) broken("accepted buffer_frames", text);
  if (s.bufferMs != 0 && !inRange(s.bufferMs, 0.5, 1000)) broken("accepted buffer_ms", text);
  if (s.bufferFrames != 0 && s.bufferMs != 0) broken("accepted buffer_frames and buffer_ms together", text);
  if (s.sampleRate != 0 && !inRange(s.sampleRate, 8000, 768000)) broken("accepted sample_rate", text);
  checkSafety(s, text);
  switch (s.hostSampleType) {
    case asio::SampleType::Float32LSB:
    case asio::SampleType::Int32LSB:
    case asio::SampleType::Int24LSB:
    case asio::SampleType::Int16LSB:
    case asio::SampleType::Float64LSB: break;
    default: broken("accepted an unknown sample_type", text);
  }
  checkMap(s.outputChannelMap, s.outputChannels, text);
  checkMap(s.inputChannelMap, s.inputChannels, text);
  if (blank(s.outputDevice) || blank(s.inputDevice)) broken("accepted a blank device", text);
  if (s.outputDevice.rfind("loopback:", 0) == 0) broken("accepted loopback for [output]", text);
  if (static_cast<int>(s.logLevel) > static_cast<int>(LogLevel::Debug)) broken("accepted an unknown log level", text);
}

}  // namespace

const ConfigFuzzCounts& configFuzzCounts() { return gCounts; }

void runConfigInput(const std::uint8_t* data, std::size_t size) {
  ++gCounts.inputs;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  config::LoadResult result;
  try {
    result = config::parse(text, kConfigFuzzFileName);
  } catch (const std::exception& e) {
    broken(std::string("parse threw: ") + e.what(), text);
  } catch (...) {
    broken("parse threw something", text);
  }
  gCounts.warnings += result.warnings.size();
  for (const std::string& w : result.warnings) checkNamesFileAndLine(w, text, "a warning");

  config::ConfigReloader reloader(kConfigFuzzFileName, DriverSettings{}, Status::success(), std::nullopt);
  const config::ReloadDecision decision = reloader.onFileChanged(std::string(text));

  if (!result.status.ok()) {
    ++gCounts.refused;
    if (result.status.code != asio::err::kInvalidParameter) broken("a refusal with code " + std::to_string(result.status.code), text);
    checkNamesFileAndLine(result.status.message, text, "the error");
    if (result.status.message.size() > asio::kErrorMessageBytes - 1) {
      broken("the error is longer than getErrorMessage holds: \"" + result.status.message + "\"", text);
    }
    if (!(result.settings == DriverSettings{})) broken("a refused file changed the settings", text);
    if (decision.action != config::ReloadDecision::Action::Keep) broken("live reload applies a refused file", text);
    return;
  }
  ++gCounts.accepted;
  checkSettings(result.settings, text);
  if (decision.action == config::ReloadDecision::Action::Keep) broken("live reload refuses a valid file", text);
  if (decision.action == config::ReloadDecision::Action::Apply && !(decision.settings == result.settings)) {
    broken("live reload applies other settings than the file's", text);
  }

  const std::string rendered = config::render(result.settings);
  const config::LoadResult back = config::parse(rendered, kConfigFuzzFileName);
  if (!back.status.ok()) broken("render() wrote a file parse() refuses: " + back.status.message, text);
  if (!back.warnings.empty()) broken("render() wrote a file with warnings: " + back.warnings.front(), text);
  if (!(back.settings == result.settings)) broken("render() and parse() do not round-trip these settings", text);
}

}  // namespace a2w::fuzz
