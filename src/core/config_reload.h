// Live reload, the portable half: what to do when the instance's file
// changed on disk. The Windows watcher (src/driver/config_watcher.*) only
// notices saves and hands the file's new contents here; this decides:
//
//   same contents as last time, or the same settings (a comment edited,
//   an unrelated file in the folder, an editor's second save)  -> Ignore
//   valid, different settings                                   -> Apply
//     (the driver stores them for the next init and asks the host to reset)
//   invalid (syntax, a wrong value)                             -> Keep
//     (the running stream stays as it is; `message` says why, for the log)
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/driver_settings.h"
#include "core/status.h"

namespace a2w::config {

struct ReloadDecision {
  enum class Action : std::uint8_t { Ignore, Apply, Keep };
  Action action = Action::Ignore;
  DriverSettings settings;            // Apply: the new settings (file, then overrides)
  std::string message;                // Apply: what changed; Keep: why the file is refused
  std::vector<std::string> warnings;  // unknown keys in the new file
};

// Applied on top of the file's settings on every reload (the A2W_*
// environment variables in the DLL); a failure refuses the reload.
using SettingsOverrides = std::function<Status(DriverSettings*)>;

class ConfigReloader {
 public:
  // `fileName` names the file in messages. `current` are the settings in
  // use, read from `currentText` (nullopt: there was no file) with
  // `currentStatus` (a failure: the driver runs on a parked config error,
  // and any valid file must be applied, even one equal to the defaults).
  ConfigReloader(std::string fileName, DriverSettings current, Status currentStatus,
                 std::optional<std::string> currentText, SettingsOverrides overrides = {});

  // The file's contents now (nullopt: it was deleted, i.e. the defaults).
  ReloadDecision onFileChanged(const std::optional<std::string>& text);

  const DriverSettings& current() const { return current_; }

 private:
  std::string fileName_;
  DriverSettings current_;
  bool currentValid_;
  std::optional<std::string> lastText_;
  SettingsOverrides overrides_;
};

// The file keys whose values differ, e.g. "mode, [output] device"; "" if none.
std::string describeChanges(const DriverSettings& before, const DriverSettings& after);

}  // namespace a2w::config
