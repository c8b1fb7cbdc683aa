// The safety margin's settings (DriverSettings::safety*, see
// core/render_queue.h for what the margin does) as every source reads them:
// the file (safety, safety_frames, safety_ms, safety_max_ms), the A2W_SAFETY*
// variables and the control panel. One set of limits and one rule for which
// of them go together, so a combination the file refuses is refused, with
// the same sentence, by the variables; each source only names its keys.
//
// The rule: the keys one source gives must agree on a mode. safety_frames
// or safety_ms (only one of them) mean "fixed", safety_max_ms means "auto";
// safety says it outright and must then agree. What a source gives replaces
// the safety of the sources before it (the file's, for the variables).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/driver_settings.h"

namespace a2w::safety {

constexpr std::int32_t kMaxFrames = 48000;  // safety_frames: 0..1 s at 48 kHz
constexpr double kMaxMs = 1000;             // safety_ms: 0..1000
constexpr double kMinMaxMs = 1;             // safety_max_ms: 1..1000 (0 would be a fixed 0)
constexpr double kMaxMaxMs = 1000;

// What a source wrote, in the words of its messages' "expected ...".
extern const char* const kExpectedFrames;  // "an integer from 0 to 48000 (frames)"
extern const char* const kExpectedMs;      // "a duration from 0 to 1000 (ms)"
extern const char* const kExpectedMaxMs;   // "a duration from 1 to 1000 (ms)"

// The keys one source gave, each already within its limits.
struct Given {
  std::optional<SafetyMode> mode;
  std::optional<std::int32_t> frames;
  std::optional<double> ms;
  std::optional<double> maxMs;
  bool any() const { return mode || frames || ms || maxMs; }
};

enum class Conflict : std::uint8_t {
  None,
  FramesAndMs,         // both margins: which one was meant?
  MarginWithAuto,      // safety = auto and a margin: auto chooses its own
  FixedWithoutMargin,  // safety = fixed and no margin: how much?
  MaxWithFixed,        // safety_max_ms and a fixed margin: a fixed one never grows
};

// The first conflict among the keys (in the order above), or None.
Conflict check(const Given& given);

// Puts `given` into *settings when it has no conflict (returns it otherwise,
// *settings untouched). The result is canonical, so that the file's writer
// round-trips it: Auto has no margin (frames and ms 0), Fixed has exactly
// one of frames / ms and the default maximum.
Conflict apply(const Given& given, DriverSettings* settings);

// How a source names its keys in the sentence: the file `safety_ms` and
// `safety = "fixed"`, the environment `A2W_SAFETY_MS` and `A2W_SAFETY=fixed`.
struct Names {
  std::string frames, ms, maxMs;
  std::string setFixed, setAuto;
};
extern const Names kFileNames;
extern const Names kEnvNames;

// The sentence for a conflict, e.g. `safety_frames and safety_ms are both
// set; keep only one`. Empty for None.
std::string message(Conflict conflict, const Given& given, const Names& names);

// "auto, up to 100 ms", "fixed 5 ms", "fixed 240 frames": for the log.
std::string describe(const DriverSettings& settings);

}  // namespace a2w::safety
