// The driver's settings file: TOML, one file per driver instance (see
// docs/CONFIGURATION.md for every option and every error message).
// Portable: parsing, validation and rendering are tested natively; where the
// file lives (the user's profile) is decided by the Windows layer.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/driver_settings.h"
#include "core/status.h"

namespace a2w::config {

struct LoadResult {
  // Failure: `status.message` names the file, the line and what was
  // expected, e.g. `config.toml:7: mode = "turbo": expected "auto",
  // "exclusive" or "shared"`. The settings are then the defaults.
  Status status;
  DriverSettings settings;            // defaults, overridden by the file
  std::vector<std::string> warnings;  // unknown keys etc., each naming file and line
};

// Parses `text` as the contents of a file called `fileName` (used in messages).
LoadResult parse(std::string_view text, std::string_view fileName);

// Reads and parses a file. A missing file is not an error: the defaults.
LoadResult load(const std::filesystem::path& file);

// A complete, commented TOML document for these settings (what Apply writes).
std::string render(const DriverSettings& settings);

// Writes `settings` to `file`, first copying the previous file (if any) to
// `file` + ".bak". Writes to a temporary file and renames it over the old
// one, so a crash never leaves half a file.
Status save(const std::filesystem::path& file, const DriverSettings& settings);

}  // namespace a2w::config
