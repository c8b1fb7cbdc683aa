#include "core/config_reload.h"

#include <utility>

#include "core/config_file.h"

namespace a2w::config {

ConfigReloader::ConfigReloader(std::string fileName, DriverSettings current, Status currentStatus,
                               std::optional<std::string> currentText, SettingsOverrides overrides)
    : fileName_(std::move(fileName)),
      current_(std::move(current)),
      currentValid_(currentStatus.ok()),
      lastText_(std::move(currentText)),
      overrides_(std::move(overrides)) {}

ReloadDecision ConfigReloader::onFileChanged(const std::optional<std::string>& text) {
  ReloadDecision decision;
  if (text == lastText_) return decision;  // touched, or another file in the folder
  lastText_ = text;

  LoadResult loaded = text ? parse(*text, fileName_) : LoadResult{};
  decision.warnings = std::move(loaded.warnings);
  if (!loaded.status.ok()) {
    decision.action = ReloadDecision::Action::Keep;
    decision.message = std::move(loaded.status.message);
    return decision;
  }
  if (overrides_) {
    Status s = overrides_(&loaded.settings);
    if (!s.ok()) {
      decision.action = ReloadDecision::Action::Keep;
      decision.message = std::move(s.message);
      return decision;
    }
  }
  if (currentValid_ && loaded.settings == current_) return decision;  // a comment, or spacing

  decision.action = ReloadDecision::Action::Apply;
  const std::string changes = describeChanges(current_, loaded.settings);
  decision.message = fileName_ + (text ? " changed" : " removed (defaults)") +
                     (changes.empty() ? std::string(": now valid") : ": " + changes);
  current_ = loaded.settings;
  currentValid_ = true;
  decision.settings = std::move(loaded.settings);
  return decision;
}

std::string describeChanges(const DriverSettings& a, const DriverSettings& b) {
  std::string out;
  auto add = [&](bool differs, const char* key) {
    if (!differs) return;
    if (!out.empty()) out += ", ";
    out += key;
  };
  add(a.mode != b.mode, "mode");
  add(a.bufferFrames != b.bufferFrames, "buffer_frames");
  add(a.bufferMs != b.bufferMs, "buffer_ms");
  add(a.safety != b.safety, "safety");
  add(a.safetyFrames != b.safetyFrames, "safety_frames");
  add(a.safetyMs != b.safetyMs, "safety_ms");
  add(a.safetyMaxMs != b.safetyMaxMs, "safety_max_ms");
  add(a.sampleRate != b.sampleRate, "sample_rate");
  add(a.hostSampleType != b.hostSampleType, "sample_type");
  add(a.driftCompensation != b.driftCompensation, "drift_compensation");
  add(a.dither != b.dither, "dither");
  add(a.outputDevice != b.outputDevice, "[output] device");
  add(a.outputChannels != b.outputChannels, "[output] channels");
  add(a.outputChannelMap != b.outputChannelMap, "[output] channel_map");
  add(a.inputDevice != b.inputDevice, "[input] device");
  add(a.inputChannels != b.inputChannels, "[input] channels");
  add(a.inputChannelMap != b.inputChannelMap, "[input] channel_map");
  add(a.logLevel != b.logLevel, "[log] level");
  add(a.logFile != b.logFile, "[log] file");
  return out;
}

}  // namespace a2w::config
