#include "core/safety_settings.h"

#include <cstdio>

namespace a2w::safety {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

const char* const kExpectedFrames = "an integer from 0 to 48000 (frames)";
const char* const kExpectedMs = "a duration from 0 to 1000 (ms)";
const char* const kExpectedMaxMs = "a duration from 1 to 1000 (ms)";

const Names kFileNames{"safety_frames", "safety_ms", "safety_max_ms", "safety = \"fixed\"", "safety = \"auto\""};
const Names kEnvNames{"A2W_SAFETY_FRAMES", "A2W_SAFETY_MS", "A2W_SAFETY_MAX_MS", "A2W_SAFETY=fixed",
                      "A2W_SAFETY=auto"};

Conflict check(const Given& g) {
  const bool margin = g.frames || g.ms;
  if (g.frames && g.ms) return Conflict::FramesAndMs;
  if (g.mode == SafetyMode::Auto && margin) return Conflict::MarginWithAuto;
  if (g.mode == SafetyMode::Fixed && !margin) return Conflict::FixedWithoutMargin;
  if (g.maxMs && (margin || g.mode == SafetyMode::Fixed)) return Conflict::MaxWithFixed;
  return Conflict::None;
}

Conflict apply(const Given& g, DriverSettings* s) {
  const Conflict c = check(g);
  if (c != Conflict::None || !g.any()) return c;
  if (g.frames || g.ms) {
    s->safety = SafetyMode::Fixed;
    s->safetyFrames = g.frames.value_or(0);
    s->safetyMs = g.ms.value_or(0);
    // A fixed margin never grows: the maximum is not used, and kept at its
    // default so that equal behaviour compares (and is written) equal.
    s->safetyMaxMs = DriverSettings{}.safetyMaxMs;
  } else {
    s->safety = SafetyMode::Auto;
    s->safetyFrames = 0;
    s->safetyMs = 0;
    if (g.maxMs) s->safetyMaxMs = *g.maxMs;
  }
  return Conflict::None;
}

std::string message(Conflict c, const Given& g, const Names& n) {
  switch (c) {
    case Conflict::None: return {};
    case Conflict::FramesAndMs: return n.frames + " and " + n.ms + " are both set; keep only one";
    case Conflict::MarginWithAuto:
      return (g.frames ? n.frames : n.ms) + " needs " + n.setFixed + " (auto grows the margin by itself)";
    case Conflict::FixedWithoutMargin: return n.setFixed + " needs " + n.frames + " or " + n.ms + " (the margin)";
    case Conflict::MaxWithFixed: return n.maxMs + " is for " + n.setAuto + " (a fixed margin never grows)";
  }
  return {};
}

std::string describe(const DriverSettings& s) {
  if (s.safety == SafetyMode::Auto) return "auto, up to " + number(s.safetyMaxMs) + " ms";
  if (s.safetyMs > 0) return "fixed " + number(s.safetyMs) + " ms";
  return "fixed " + std::to_string(s.safetyFrames) + " frames";
}

}  // namespace a2w::safety
