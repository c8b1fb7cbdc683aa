// Live reload's decisions: unchanged text and equal settings are ignored, a
// valid change is applied (with what changed), an invalid one is refused and
// keeps the running settings; environment overrides stay on top.
#include "core/config_reload.h"

#include <gtest/gtest.h>

#include "core/config_file.h"

namespace a2w::config {
namespace {

using Action = ReloadDecision::Action;

TEST(ConfigReload, SameTextIsIgnored) {
  ConfigReloader r("default.toml", DriverSettings{}, Status::success(), std::string("mode = \"auto\"\n"));
  EXPECT_EQ(r.onFileChanged(std::string("mode = \"auto\"\n")).action, Action::Ignore);
}

TEST(ConfigReload, NoFileStillNoFileIsIgnored) {
  ConfigReloader r("default.toml", DriverSettings{}, Status::success(), std::nullopt);
  EXPECT_EQ(r.onFileChanged(std::nullopt).action, Action::Ignore);
}

TEST(ConfigReload, CommentOnlyEditIsIgnored) {
  ConfigReloader r("default.toml", DriverSettings{}, Status::success(), std::string("mode = \"auto\"\n"));
  EXPECT_EQ(r.onFileChanged(std::string("# tuned\nmode = \"auto\"  # the default\n")).action, Action::Ignore);
}

TEST(ConfigReload, ValidChangeIsApplied) {
  ConfigReloader r("default.toml", DriverSettings{}, Status::success(), std::nullopt);
  const ReloadDecision d = r.onFileChanged(std::string("mode = \"shared\"\n[output]\ndevice = \"HDMI\"\n"));
  ASSERT_EQ(d.action, Action::Apply);
  EXPECT_EQ(d.settings.mode, StreamMode::SharedEvent);
  EXPECT_EQ(d.settings.outputDevice, "HDMI");
  EXPECT_EQ(d.message, "default.toml changed: mode, [output] device");
  EXPECT_EQ(r.current(), d.settings);
  // The same settings saved again (an editor's second save) change nothing.
  EXPECT_EQ(r.onFileChanged(std::string("mode = \"shared\"\n\n[output]\ndevice = \"HDMI\"\n")).action, Action::Ignore);
}

TEST(ConfigReload, InvalidChangeKeepsTheRunningSettings) {
  DriverSettings running;
  running.bufferFrames = 128;
  ConfigReloader r("default.toml", running, Status::success(), std::string("buffer_frames = 128\n"));
  const ReloadDecision d = r.onFileChanged(std::string("buffer_frames = 128\nmode = \"turbo\"\n"));
  EXPECT_EQ(d.action, Action::Keep);
  EXPECT_EQ(d.message, "default.toml:2: mode = \"turbo\": expected \"auto\", \"exclusive\" or \"shared\"");
  EXPECT_EQ(r.current(), running);
  // Put back as it was: the running settings are right, nothing to do.
  EXPECT_EQ(r.onFileChanged(std::string("buffer_frames = 128\n")).action, Action::Ignore);
}

TEST(ConfigReload, SyntaxErrorIsKept) {
  ConfigReloader r("default.toml", DriverSettings{}, Status::success(), std::nullopt);
  const ReloadDecision d = r.onFileChanged(std::string("mode = \n"));
  EXPECT_EQ(d.action, Action::Keep);
  EXPECT_EQ(d.message.rfind("default.toml:1: TOML syntax error", 0), 0u) << d.message;
}

TEST(ConfigReload, DeletedFileMeansDefaults) {
  DriverSettings running;
  running.dither = true;
  ConfigReloader r("default.toml", running, Status::success(), std::string("dither = true\n"));
  const ReloadDecision d = r.onFileChanged(std::nullopt);
  ASSERT_EQ(d.action, Action::Apply);
  EXPECT_EQ(d.settings, DriverSettings{});
  EXPECT_EQ(d.message, "default.toml removed (defaults): dither");
}

TEST(ConfigReload, FixingABrokenFileAppliesEvenTheDefaults) {
  // The driver was created with a bad file: it runs on a parked error.
  ConfigReloader r("default.toml", DriverSettings{}, Status::failure(asio::err::kInvalidParameter, "bad"),
                   std::string("mode = \"turbo\"\n"));
  const ReloadDecision d = r.onFileChanged(std::string("mode = \"auto\"\n"));
  ASSERT_EQ(d.action, Action::Apply);
  EXPECT_EQ(d.settings, DriverSettings{});
  EXPECT_EQ(d.message, "default.toml changed: now valid");
}

TEST(ConfigReload, OverridesStayOnTop) {
  DriverSettings running;
  running.mode = StreamMode::SharedEvent;  // from A2W_MODE
  auto overrides = [](DriverSettings* s) {
    s->mode = StreamMode::SharedEvent;
    return Status::success();
  };
  ConfigReloader r("default.toml", running, Status::success(), std::string("mode = \"exclusive\"\n"), overrides);
  // The file's mode changes, but the override wins: nothing to do.
  EXPECT_EQ(r.onFileChanged(std::string("mode = \"auto\"\n")).action, Action::Ignore);
  const ReloadDecision d = r.onFileChanged(std::string("mode = \"auto\"\ndither = true\n"));
  ASSERT_EQ(d.action, Action::Apply);
  EXPECT_EQ(d.settings.mode, StreamMode::SharedEvent);
  EXPECT_TRUE(d.settings.dither);
}

TEST(ConfigReload, FailingOverrideRefusesTheReload) {
  auto overrides = [](DriverSettings*) { return Status::failure(asio::err::kInvalidParameter, "A2W_MODE=\"x\" is invalid"); };
  ConfigReloader r("default.toml", DriverSettings{}, Status::success(), std::nullopt, overrides);
  const ReloadDecision d = r.onFileChanged(std::string("dither = true\n"));
  EXPECT_EQ(d.action, Action::Keep);
  EXPECT_EQ(d.message, "A2W_MODE=\"x\" is invalid");
}

TEST(ConfigReload, WarningsArePassedOn) {
  ConfigReloader r("default.toml", DriverSettings{}, Status::success(), std::nullopt);
  const ReloadDecision d = r.onFileChanged(std::string("dither = true\ndithr = false\n"));
  EXPECT_EQ(d.action, Action::Apply);
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_EQ(d.warnings[0], "default.toml:2: unknown key \"dithr\" ignored");
}

TEST(ConfigReload, DescribeChangesNamesEveryKey) {
  DriverSettings a;
  DriverSettings b;
  EXPECT_EQ(describeChanges(a, b), "");
  b.bufferMs = 5;
  b.sampleRate = 48000;
  b.hostSampleType = asio::SampleType::Int32LSB;
  b.driftCompensation = DriftCompensation::Off;
  b.outputChannels = 2;
  b.outputChannelMap = {0, 1};
  b.inputDevice = "default";
  b.inputChannels = 1;
  b.inputChannelMap = {0};
  b.logLevel = LogLevel::Debug;
  b.logFile = "x";
  b.bufferFrames = 64;
  b.safety = SafetyMode::Fixed;
  b.safetyFrames = 96;
  b.safetyMs = 2;
  b.safetyMaxMs = 50;
  EXPECT_EQ(describeChanges(a, b),
            "buffer_frames, buffer_ms, safety, safety_frames, safety_ms, safety_max_ms, sample_rate, sample_type, drift_compensation, [output] channels, "
            "[output] channel_map, [input] device, [input] channels, [input] channel_map, [log] level, [log] file");
}

}  // namespace
}  // namespace a2w::config
