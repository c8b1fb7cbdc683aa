// The DLL's settings sources: the instance's TOML file (core/config_file),
// then the process environment (core/settings_from_env) on top of it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/driver_settings.h"
#include "core/settings_from_env.h"
#include "core/status.h"

namespace a2w {

// Reads a variable with GetEnvironmentVariableW (the process's own block,
// so SetEnvironmentVariableW in the same process is seen), as UTF-8.
EnvGetter windowsEnvGetter();

// DriverSettings{} overlaid with the A2W_* variables; a failure names the
// variable (the COM object hands it to DriverCore::setConfigError).
Status readDriverSettings(DriverSettings* settings);

// An instance's settings as a driver object starts with them.
struct InstanceConfig {
  std::filesystem::path file;              // empty when no folder could be found
  DriverSettings settings;                 // defaults < file < A2W_* variables
  Status status;                           // the first problem (file first), else ok
  std::vector<std::string> warnings;       // unknown keys, each with file and line
  std::optional<std::string> text;         // the file's contents (nullopt: no file)
};

// Reads `file` (missing = defaults) and applies the environment. A bad file
// leaves the defaults (+ environment) and its message in `status`.
InstanceConfig loadInstanceConfig(const std::filesystem::path& file);

}  // namespace a2w
