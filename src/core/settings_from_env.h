// DriverSettings from environment variables, until the config file lands.
// Portable: the caller supplies the lookup (the DLL reads the Windows
// environment block, the unit tests a map), so the parsing is tested natively.
//
//   A2W_OUTPUT_DEVICE  default | none | <endpoint id> | <friendly name>
//   A2W_INPUT_DEVICE   default | none | <endpoint id> | <friendly name>
//   A2W_MODE           auto | exclusive-event | exclusive-poll | shared-event
//                      (aliases: exclusive, poll, shared)
//   A2W_BUFFER_FRAMES  integer 16..32768
//   A2W_SAMPLE_RATE    8000..768000 (Hz, may have a fraction)
//   A2W_SAMPLE_TYPE    float32 | int32 | int24 | int16 | float64
//   A2W_DITHER         0 | 1
//   A2W_DRIFT_COMPENSATION    auto | on | off (the input's drift controller)
//   A2W_SHARED_MODE_RESAMPLE  auto | always (shared mode at the mix rate:
//                             only when the host's rate is refused, or always)
//   A2W_SAFETY         auto | fixed (shared mode's safety margin)
//   A2W_SAFETY_FRAMES  integer 0..48000 (a fixed margin; implies fixed)
//   A2W_SAFETY_MS      0..1000 (a fixed margin as a duration; implies fixed)
//   A2W_SAFETY_MAX_MS  1..1000 (auto's most; implies auto)
//                      The four go together by the file's rule
//                      (core/safety_settings.h).
//   A2W_LOG            off | error | warning (warn) | info | debug
//   A2W_LOG_FILE       the log file's path (default: the Windows layer's)
//
// Unset or blank variables keep the defaults of DriverSettings. Keywords are
// case-insensitive; surrounding blanks are ignored.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/driver_settings.h"
#include "core/status.h"

namespace a2w {

// Returns the variable's value, or nullopt when it is not set.
using EnvGetter = std::function<std::optional<std::string>(const char* name)>;

// Fills *settings from the variables, starting from what *settings holds.
// On a bad value returns a failure whose message names the variable, the
// value and what was expected (short enough for ASIO's 123 characters), and
// leaves that field unchanged; the first bad variable wins.
Status settingsFromEnv(const EnvGetter& getenv, DriverSettings* settings);

}  // namespace a2w
