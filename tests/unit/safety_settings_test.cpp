// The safety margin's one rule (core/safety_settings.h) on its own: which
// keys go together, the canonical settings it writes, each sentence with
// each source's names, the log's description. The file, the variables and
// the panel are tested through it in config_file_test, settings_from_env_test
// and panel_model_test.
#include "core/safety_settings.h"

#include <gtest/gtest.h>

#include <string>

namespace a2w::safety {
namespace {

Given given(std::optional<SafetyMode> mode, std::optional<std::int32_t> frames, std::optional<double> ms,
            std::optional<double> maxMs) {
  Given g;
  g.mode = mode;
  g.frames = frames;
  g.ms = ms;
  g.maxMs = maxMs;
  return g;
}

TEST(SettingsSafetyRule, EveryCombination) {
  const auto A = SafetyMode::Auto;
  const auto F = SafetyMode::Fixed;
  EXPECT_EQ(check(given({}, {}, {}, {})), Conflict::None);
  EXPECT_EQ(check(given(A, {}, {}, {})), Conflict::None);
  EXPECT_EQ(check(given(A, {}, {}, 50)), Conflict::None);
  EXPECT_EQ(check(given({}, {}, {}, 50)), Conflict::None);
  EXPECT_EQ(check(given(F, 0, {}, {})), Conflict::None);
  EXPECT_EQ(check(given({}, {}, 5, {})), Conflict::None);
  EXPECT_EQ(check(given({}, 240, 5, {})), Conflict::FramesAndMs);
  EXPECT_EQ(check(given(A, 240, 5, 50)), Conflict::FramesAndMs);  // the first in the list wins
  EXPECT_EQ(check(given(A, 240, {}, {})), Conflict::MarginWithAuto);
  EXPECT_EQ(check(given(A, {}, 5, 50)), Conflict::MarginWithAuto);
  EXPECT_EQ(check(given(F, {}, {}, {})), Conflict::FixedWithoutMargin);
  EXPECT_EQ(check(given(F, {}, {}, 50)), Conflict::FixedWithoutMargin);
  EXPECT_EQ(check(given(F, 1, {}, 50)), Conflict::MaxWithFixed);
  EXPECT_EQ(check(given({}, {}, 5, 50)), Conflict::MaxWithFixed);
}

TEST(SettingsSafetyRule, ApplyWritesCanonicalSettingsOrNothing) {
  DriverSettings s;
  s.safetyMaxMs = 40;
  const DriverSettings before = s;
  EXPECT_EQ(apply(given({}, {}, {}, {}), &s), Conflict::None);
  EXPECT_EQ(s, before);  // nothing given: nothing changes
  EXPECT_EQ(apply(given(SafetyMode::Fixed, {}, {}, {}), &s), Conflict::FixedWithoutMargin);
  EXPECT_EQ(s, before);  // a conflict: nothing changes

  EXPECT_EQ(apply(given({}, {}, 5, {}), &s), Conflict::None);
  EXPECT_EQ(s.safety, SafetyMode::Fixed);
  EXPECT_EQ(s.safetyMs, 5);
  EXPECT_EQ(s.safetyFrames, 0);
  EXPECT_EQ(s.safetyMaxMs, DriverSettings{}.safetyMaxMs);
  EXPECT_EQ(apply(given({}, 96, {}, {}), &s), Conflict::None);
  EXPECT_EQ(s.safetyFrames, 96);
  EXPECT_EQ(s.safetyMs, 0);
  EXPECT_EQ(apply(given(SafetyMode::Auto, {}, {}, {}), &s), Conflict::None);
  EXPECT_EQ(s.safety, SafetyMode::Auto);
  EXPECT_EQ(s.safetyFrames, 0);
  EXPECT_EQ(s.safetyMaxMs, 100);
  EXPECT_EQ(apply(given({}, {}, {}, 12.5), &s), Conflict::None);
  EXPECT_EQ(s.safetyMaxMs, 12.5);
}

TEST(SettingsSafetyRule, OneSentencePerConflictInEachSourcesWords) {
  const Given frames = given(SafetyMode::Auto, 1, {}, {});
  const Given ms = given(SafetyMode::Auto, {}, 1, {});
  EXPECT_EQ(message(Conflict::None, frames, kFileNames), "");
  EXPECT_EQ(message(Conflict::FramesAndMs, frames, kFileNames), "safety_frames and safety_ms are both set; keep only one");
  EXPECT_EQ(message(Conflict::MarginWithAuto, frames, kFileNames),
            "safety_frames needs safety = \"fixed\" (auto grows the margin by itself)");
  EXPECT_EQ(message(Conflict::MarginWithAuto, ms, kEnvNames),
            "A2W_SAFETY_MS needs A2W_SAFETY=fixed (auto grows the margin by itself)");
  EXPECT_EQ(message(Conflict::FixedWithoutMargin, frames, kFileNames),
            "safety = \"fixed\" needs safety_frames or safety_ms (the margin)");
  EXPECT_EQ(message(Conflict::MaxWithFixed, frames, kEnvNames),
            "A2W_SAFETY_MAX_MS is for A2W_SAFETY=auto (a fixed margin never grows)");
}

// The "expected ..." phrases state the limits the parsers check.
TEST(SettingsSafetyRule, ExpectationsStateTheLimits) {
  EXPECT_EQ(std::string(kExpectedFrames), "an integer from 0 to " + std::to_string(kMaxFrames) + " (frames)");
  EXPECT_EQ(std::string(kExpectedMs), "a duration from 0 to " + std::to_string(static_cast<int>(kMaxMs)) + " (ms)");
  EXPECT_EQ(std::string(kExpectedMaxMs), "a duration from " + std::to_string(static_cast<int>(kMinMaxMs)) + " to " +
                                             std::to_string(static_cast<int>(kMaxMaxMs)) + " (ms)");
}

TEST(SettingsSafetyRule, DescribeForTheLog) {
  DriverSettings s;
  EXPECT_EQ(describe(s), "auto, up to 100 ms");
  s.safetyMaxMs = 12.5;
  EXPECT_EQ(describe(s), "auto, up to 12.5 ms");
  s.safety = SafetyMode::Fixed;
  s.safetyFrames = 240;
  EXPECT_EQ(describe(s), "fixed 240 frames");
  s.safetyFrames = 0;
  s.safetyMs = 2.5;
  EXPECT_EQ(describe(s), "fixed 2.5 ms");
}

}  // namespace
}  // namespace a2w::safety
