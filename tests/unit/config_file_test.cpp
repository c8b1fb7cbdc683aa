// The TOML settings file: every option, every error message (the exact text
// docs/CONFIGURATION.md lists), unknown-key warnings with their lines, the
// render -> parse round trip, save with its backup, a missing file.
#include "core/config_file.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace a2w::config {
namespace {

namespace fs = std::filesystem;

LoadResult ok(const std::string& text) {
  LoadResult r = parse(text, "default.toml");
  EXPECT_TRUE(r.status.ok()) << r.status.message;
  return r;
}

// The failure message for `text` (and checks the failure's general shape).
std::string error(const std::string& text) {
  LoadResult r = parse(text, "default.toml");
  EXPECT_FALSE(r.status.ok()) << text;
  EXPECT_EQ(r.status.code, asio::err::kInvalidParameter);
  EXPECT_LE(r.status.message.size(), 123u) << r.status.message;
  EXPECT_EQ(r.settings, DriverSettings{}) << "a failed parse gives the defaults";
  return r.status.message;
}

TEST(ConfigFile, EmptyFileIsTheDefaults) {
  LoadResult r = ok("");
  EXPECT_EQ(r.settings, DriverSettings{});
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(ok("# only a comment\n\n").settings, DriverSettings{});
}

TEST(ConfigFile, EveryOption) {
  const LoadResult r = ok(R"toml(mode = "exclusive"
polling = true
buffer_frames = 128
sample_rate = 96000
sample_type = "int24"
drift_compensation = "off"
dither = true
[output]
device = "Speakers (Realtek)"
channels = 2
channel_map = [5, 4]
[input]
device = "loopback:Speakers"
channels = 1
channel_map = [1]
[log]
level = "debug"
file = 'C:\Users\me\a2w.log'
)toml");
  const DriverSettings& s = r.settings;
  EXPECT_EQ(s.mode, StreamMode::ExclusivePoll);
  EXPECT_EQ(s.bufferFrames, 128);
  EXPECT_EQ(s.bufferMs, 0);
  EXPECT_EQ(s.sampleRate, 96000);
  EXPECT_EQ(s.hostSampleType, asio::SampleType::Int24LSB);
  EXPECT_EQ(s.driftCompensation, DriftCompensation::Off);
  EXPECT_TRUE(s.dither);
  EXPECT_EQ(s.outputDevice, "Speakers (Realtek)");
  EXPECT_EQ(s.outputChannels, 2);
  EXPECT_EQ(s.outputChannelMap, (std::vector<std::int32_t>{5, 4}));
  EXPECT_EQ(s.inputDevice, "loopback:Speakers");
  EXPECT_EQ(s.inputChannels, 1);
  EXPECT_EQ(s.inputChannelMap, (std::vector<std::int32_t>{1}));
  EXPECT_EQ(s.logLevel, LogLevel::Debug);
  EXPECT_EQ(s.logFile, "C:\\Users\\me\\a2w.log");
  EXPECT_TRUE(r.warnings.empty());
}

TEST(ConfigFile, ModesAndPolling) {
  EXPECT_EQ(ok("mode = \"auto\"").settings.mode, StreamMode::Auto);
  EXPECT_EQ(ok("mode = \"exclusive\"").settings.mode, StreamMode::ExclusiveEvent);
  EXPECT_EQ(ok("mode = \"Exclusive\"\npolling = false").settings.mode, StreamMode::ExclusiveEvent);
  EXPECT_EQ(ok("mode = \"exclusive\"\npolling = true").settings.mode, StreamMode::ExclusivePoll);
  EXPECT_EQ(ok("mode = \"shared\"").settings.mode, StreamMode::SharedEvent);
  EXPECT_EQ(ok("polling = false").settings.mode, StreamMode::Auto);
}

TEST(ConfigFile, KeywordsOfEveryEnum) {
  EXPECT_EQ(ok("sample_type = \"float32\"").settings.hostSampleType, asio::SampleType::Float32LSB);
  EXPECT_EQ(ok("sample_type = \"int32\"").settings.hostSampleType, asio::SampleType::Int32LSB);
  EXPECT_EQ(ok("sample_type = \"int16\"").settings.hostSampleType, asio::SampleType::Int16LSB);
  EXPECT_EQ(ok("sample_type = \"float64\"").settings.hostSampleType, asio::SampleType::Float64LSB);
  EXPECT_EQ(ok("drift_compensation = \"auto\"").settings.driftCompensation, DriftCompensation::Auto);
  EXPECT_EQ(ok("drift_compensation = \"on\"").settings.driftCompensation, DriftCompensation::On);
  EXPECT_EQ(ok("[log]\nlevel = \"off\"").settings.logLevel, LogLevel::Off);
  EXPECT_EQ(ok("[log]\nlevel = \"error\"").settings.logLevel, LogLevel::Error);
  EXPECT_EQ(ok("[log]\nlevel = \"warning\"").settings.logLevel, LogLevel::Warning);
  EXPECT_EQ(ok("[log]\nlevel = \"info\"").settings.logLevel, LogLevel::Info);
}

TEST(ConfigFile, BufferAsDuration) {
  EXPECT_EQ(ok("buffer_ms = 5.0").settings.bufferMs, 5.0);
  EXPECT_EQ(ok("buffer_ms = 10").settings.bufferMs, 10.0);  // an integer is a number too
  DriverSettings s;
  s.bufferMs = 5.0;
  EXPECT_EQ(preferredBufferFrames(s, 48000), 240);
  EXPECT_EQ(preferredBufferFrames(s, 44100), 221);  // 220.5 rounds up
  s.bufferMs = 0;
  s.bufferFrames = 512;
  EXPECT_EQ(preferredBufferFrames(s, 48000), 512);
}

TEST(ConfigFile, SafetyEveryForm) {
  const DriverSettings d;
  EXPECT_EQ(d.safety, SafetyMode::Auto);
  EXPECT_EQ(d.safetyMaxMs, 100);

  DriverSettings s = ok("safety = \"auto\"").settings;
  EXPECT_EQ(s, d);
  s = ok("safety = \"Auto\"\nsafety_max_ms = 40").settings;
  EXPECT_EQ(s.safety, SafetyMode::Auto);
  EXPECT_EQ(s.safetyMaxMs, 40);
  s = ok("safety_max_ms = 2.5").settings;  // alone: auto
  EXPECT_EQ(s.safety, SafetyMode::Auto);
  EXPECT_EQ(s.safetyMaxMs, 2.5);

  s = ok("safety = \"fixed\"\nsafety_frames = 240").settings;
  EXPECT_EQ(s.safety, SafetyMode::Fixed);
  EXPECT_EQ(s.safetyFrames, 240);
  EXPECT_EQ(s.safetyMs, 0);
  EXPECT_EQ(s.safetyMaxMs, 100);
  EXPECT_EQ(ok("safety_frames = 240").settings, s);  // alone: fixed
  s = ok("safety_ms = 5").settings;
  EXPECT_EQ(s.safety, SafetyMode::Fixed);
  EXPECT_EQ(s.safetyMs, 5.0);
  EXPECT_EQ(s.safetyFrames, 0);
  EXPECT_EQ(ok("safety = \"FIXED\"\nsafety_ms = 2.5").settings.safetyMs, 2.5);
  // 0 is a margin too: the smallest queue, never growing.
  s = ok("safety_frames = 0").settings;
  EXPECT_EQ(s.safety, SafetyMode::Fixed);
  EXPECT_EQ(fixedSafetyFrames(s, 48000), 0);
  EXPECT_EQ(maximumSafetyFrames(s, 48000), 0);
  EXPECT_EQ(ok("safety_frames = 48000").settings.safetyFrames, 48000);
  EXPECT_EQ(ok("safety_ms = 1000.0").settings.safetyMs, 1000.0);
  EXPECT_EQ(ok("safety_max_ms = 1").settings.safetyMaxMs, 1.0);
  EXPECT_EQ(ok("safety_max_ms = 1000").settings.safetyMaxMs, 1000.0);
}

// What the WASAPI backend takes from them (render_stream.cpp, setupFor).
TEST(ConfigFile, SafetyInFramesAtTheDeviceRate) {
  DriverSettings s = ok("safety_ms = 5").settings;
  EXPECT_EQ(fixedSafetyFrames(s, 48000), 240);
  EXPECT_EQ(fixedSafetyFrames(s, 44100), 221);  // 220.5 rounds up
  EXPECT_EQ(maximumSafetyFrames(s, 48000), 240);  // a fixed margin is its own maximum
  s = ok("safety_frames = 100").settings;
  EXPECT_EQ(fixedSafetyFrames(s, 96000), 100);  // frames stay frames at any rate
  s = ok("safety_max_ms = 50").settings;
  EXPECT_EQ(fixedSafetyFrames(s, 48000), 0);  // auto starts with none
  EXPECT_EQ(maximumSafetyFrames(s, 48000), 2400);
  EXPECT_EQ(maximumSafetyFrames(DriverSettings{}, 48000), 4800);  // the default: 100 ms
}

TEST(ConfigFile, SampleRateIntegerOrFloat) {
  EXPECT_EQ(ok("sample_rate = 44100").settings.sampleRate, 44100);
  EXPECT_EQ(ok("sample_rate = 44100.0").settings.sampleRate, 44100);
}

TEST(ConfigFile, DeviceKeywords) {
  const LoadResult r = ok("[output]\ndevice = \"NONE\"\n[input]\ndevice = \"Default\"\n");
  EXPECT_EQ(r.settings.outputDevice, "none");
  EXPECT_EQ(r.settings.inputDevice, "default");
  EXPECT_EQ(ok("[input]\ndevice = \"Loopback:DEFAULT\"").settings.inputDevice, "loopback:default");
  EXPECT_EQ(ok("[output]\ndevice = \"{0.0.0.00000000}.{1234}\"").settings.outputDevice, "{0.0.0.00000000}.{1234}");
}

TEST(ConfigFile, ChannelsWithoutMapAndMapWithoutChannels) {
  EXPECT_EQ(ok("[output]\nchannels = 4").settings.outputChannels, 4);
  const LoadResult r = ok("[output]\nchannel_map = [2, 3]");
  EXPECT_EQ(r.settings.outputChannels, 0);
  EXPECT_EQ(r.settings.outputChannelMap, (std::vector<std::int32_t>{2, 3}));
  EXPECT_EQ(ok("[output]\nchannels = 0\nchannel_map = [1, 0]").settings.outputChannelMap,
            (std::vector<std::int32_t>{1, 0}));
}

// --- every error message ---------------------------------------------------

TEST(ConfigFileErrors, Syntax) {
  EXPECT_EQ(error("mode = \"auto\"\nbuffer_frames = = 3\n"),
            "default.toml:2: TOML syntax error: could not determine value type");
  EXPECT_EQ(error("mode = \"auto\n"),
            "default.toml:1: TOML syntax error: unescaped control characters other than TAB (U+0009) are explicitly "
            "prohibited");
  EXPECT_EQ(error("dither = true\ndither = false\n"),
            "default.toml:2: TOML syntax error: cannot redefine existing boolean 'dither'");
}

// Table headers that do not start with a key: toml++ 3.3 aborted (debug)
// on them; they must be syntax errors like any other (found by tests/fuzz).
TEST(ConfigFileErrors, MalformedTableHeaders) {
  EXPECT_EQ(error("mode = \"auto\"\n[)nput]\ndevice = \"default\"\n"),
            "default.toml:2: TOML syntax error: expected bare key starting character or string delimiter, saw ')'");
  for (const char* text : {"[[[1]]]\n", "[[=\n", "[ #\n", "[.a]\n", "[[ \n]]"}) {
    EXPECT_TRUE(error(text).rfind("default.toml:1: TOML syntax error: ", 0) == 0) << text;
  }
}

// Code points toml++ 3.3's tables call "unreachable" (undefined behaviour,
// caught here by UBSan) where whitespace may stand: a syntax error, or in a
// string the string (found by tests/fuzz).
TEST(ConfigFileErrors, UnicodeWhereWhitespaceMayStand) {
  EXPECT_EQ(error("mode = \xc2\xa7\n"), "default.toml:1: TOML syntax error: could not determine value type");
  EXPECT_TRUE(error("\xcc\xaa").rfind("default.toml:1: TOML syntax error: ", 0) == 0);
  EXPECT_TRUE(error("dither = true\n\xe3\x80\x81").rfind("default.toml:2: TOML syntax error: ", 0) == 0);
  const LoadResult r = parse("[log]\nfile = \"\"\"\\\n\xc2\xa7.log\"\"\"\n", "default.toml");
  EXPECT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_EQ(r.settings.logFile, "\xc2\xa7.log");
}

TEST(ConfigFileErrors, KeywordValues) {
  EXPECT_EQ(error("mode = \"turbo\""), "default.toml:1: mode = \"turbo\": expected \"auto\", \"exclusive\" or \"shared\"");
  EXPECT_EQ(error("mode = 1"), "default.toml:1: mode = 1: expected \"auto\", \"exclusive\" or \"shared\"");
  EXPECT_EQ(error("sample_type = \"int8\""),
            "default.toml:1: sample_type = \"int8\": expected \"float32\", \"int32\", \"int24\", \"int16\" or \"float64\"");
  EXPECT_EQ(error("drift_compensation = true"),
            "default.toml:1: drift_compensation = true: expected \"auto\", \"on\" or \"off\"");
  EXPECT_EQ(error("[log]\nlevel = \"verbose\""),
            "default.toml:2: [log] level = \"verbose\": expected \"off\", \"error\", \"warning\", \"info\" or \"debug\"");
}

TEST(ConfigFileErrors, Booleans) {
  EXPECT_EQ(error("dither = \"yes\""), "default.toml:1: dither = \"yes\": expected true or false");
  EXPECT_EQ(error("mode = \"exclusive\"\npolling = 1"), "default.toml:2: polling = 1: expected true or false");
}

TEST(ConfigFileErrors, PollingNeedsExclusive) {
  const std::string m = "polling = true needs mode = \"exclusive\" (shared mode is event-driven)";
  EXPECT_EQ(error("polling = true"), "default.toml:1: " + m);
  EXPECT_EQ(error("mode = \"shared\"\npolling = true"), "default.toml:2: " + m);
  EXPECT_EQ(error("mode = \"auto\"\n\npolling = true"), "default.toml:3: " + m);
}

TEST(ConfigFileErrors, Ranges) {
  EXPECT_EQ(error("buffer_frames = 8"), "default.toml:1: buffer_frames = 8: expected an integer from 16 to 32768");
  EXPECT_EQ(error("buffer_frames = 40000"), "default.toml:1: buffer_frames = 40000: expected an integer from 16 to 32768");
  EXPECT_EQ(error("buffer_frames = 256.0"), "default.toml:1: buffer_frames = 256: expected an integer from 16 to 32768");
  EXPECT_EQ(error("buffer_ms = 0.1"), "default.toml:1: buffer_ms = 0.1: expected a duration from 0.5 to 1000 (ms)");
  EXPECT_EQ(error("buffer_ms = \"5\""), "default.toml:1: buffer_ms = \"5\": expected a duration from 0.5 to 1000 (ms)");
  EXPECT_EQ(error("sample_rate = 1000"), "default.toml:1: sample_rate = 1000: expected a rate in Hz from 8000 to 768000");
  EXPECT_EQ(error("sample_rate = nan"), "default.toml:1: sample_rate = nan: expected a rate in Hz from 8000 to 768000");
  EXPECT_EQ(error("[output]\nchannels = 65"), "default.toml:2: [output] channels = 65: expected an integer from 0 (all) to 64");
  EXPECT_EQ(error("[input]\nchannels = -1"), "default.toml:2: [input] channels = -1: expected an integer from 0 (all) to 64");
}

TEST(ConfigFileErrors, BufferFramesAndMsBothSet) {
  EXPECT_EQ(error("buffer_frames = 256\nbuffer_ms = 5.0"),
            "default.toml:2: buffer_frames and buffer_ms are both set; keep only one");
  EXPECT_EQ(error("buffer_ms = 5.0\n\nbuffer_frames = 256"),
            "default.toml:3: buffer_frames and buffer_ms are both set; keep only one");
}

TEST(ConfigFileErrors, SafetyValues) {
  EXPECT_EQ(error("safety = \"adaptive\""), "default.toml:1: safety = \"adaptive\": expected \"auto\" or \"fixed\"");
  EXPECT_EQ(error("safety = 5"), "default.toml:1: safety = 5: expected \"auto\" or \"fixed\"");
  EXPECT_EQ(error("safety_frames = -1"),
            "default.toml:1: safety_frames = -1: expected an integer from 0 to 48000 (frames)");
  EXPECT_EQ(error("safety_frames = 48001"),
            "default.toml:1: safety_frames = 48001: expected an integer from 0 to 48000 (frames)");
  EXPECT_EQ(error("safety_frames = 240.0"),
            "default.toml:1: safety_frames = 240: expected an integer from 0 to 48000 (frames)");
  EXPECT_EQ(error("safety_ms = 1000.5"), "default.toml:1: safety_ms = 1000.5: expected a duration from 0 to 1000 (ms)");
  EXPECT_EQ(error("safety_ms = -0.5"), "default.toml:1: safety_ms = -0.5: expected a duration from 0 to 1000 (ms)");
  EXPECT_EQ(error("safety_ms = \"5 ms\""),
            "default.toml:1: safety_ms = \"5 ms\": expected a duration from 0 to 1000 (ms)");
  EXPECT_EQ(error("safety_max_ms = 0"), "default.toml:1: safety_max_ms = 0: expected a duration from 1 to 1000 (ms)");
  EXPECT_EQ(error("safety_max_ms = inf"),
            "default.toml:1: safety_max_ms = inf: expected a duration from 1 to 1000 (ms)");
}

TEST(ConfigFileErrors, SafetyCombinations) {
  // Two margins: the later line, as for buffer_frames and buffer_ms.
  EXPECT_EQ(error("safety_frames = 240\nsafety_ms = 5"),
            "default.toml:2: safety_frames and safety_ms are both set; keep only one");
  EXPECT_EQ(error("safety_ms = 5\n\nsafety_frames = 240"),
            "default.toml:3: safety_frames and safety_ms are both set; keep only one");
  // A margin with auto: the margin's line.
  EXPECT_EQ(error("safety = \"auto\"\nsafety_frames = 240"),
            "default.toml:2: safety_frames needs safety = \"fixed\" (auto grows the margin by itself)");
  EXPECT_EQ(error("safety_ms = 5\nsafety = \"auto\""),
            "default.toml:1: safety_ms needs safety = \"fixed\" (auto grows the margin by itself)");
  // Fixed without a margin: the line of safety.
  EXPECT_EQ(error("mode = \"shared\"\nsafety = \"fixed\""),
            "default.toml:2: safety = \"fixed\" needs safety_frames or safety_ms (the margin)");
  // A maximum with a fixed margin: the maximum's line.
  EXPECT_EQ(error("safety = \"fixed\"\nsafety_ms = 5\nsafety_max_ms = 50"),
            "default.toml:3: safety_max_ms is for safety = \"auto\" (a fixed margin never grows)");
  EXPECT_EQ(error("safety_max_ms = 50\nsafety_frames = 0"),
            "default.toml:1: safety_max_ms is for safety = \"auto\" (a fixed margin never grows)");
  EXPECT_EQ(error("safety = \"fixed\"\nsafety_max_ms = 50"),
            "default.toml:1: safety = \"fixed\" needs safety_frames or safety_ms (the margin)");
  // A bad value is reported as such, not as a combination it is part of.
  EXPECT_EQ(error("safety = \"auto\"\nsafety_frames = -5"),
            "default.toml:2: safety_frames = -5: expected an integer from 0 to 48000 (frames)");
  EXPECT_EQ(error("safety = \"fixd\"\nsafety_frames = 5"),
            "default.toml:1: safety = \"fixd\": expected \"auto\" or \"fixed\"");
}

TEST(ConfigFileErrors, ChannelMaps) {
  EXPECT_EQ(error("[output]\nchannel_map = []"),
            "default.toml:2: [output] channel_map = [...]: expected a list of 1 to 64 device channels, each 0 to 63");
  EXPECT_EQ(error("[output]\nchannel_map = 1"),
            "default.toml:2: [output] channel_map = 1: expected a list of 1 to 64 device channels, each 0 to 63");
  EXPECT_EQ(error("[output]\nchannel_map = [0, 64]"),
            "default.toml:2: [output] channel_map: entry 64 is not a device channel 0 to 63");
  EXPECT_EQ(error("[input]\nchannel_map = [0, \"1\"]"),
            "default.toml:2: [input] channel_map: entry \"1\" is not a device channel 0 to 63");
  EXPECT_EQ(error("[output]\nchannel_map = [1, 1]"), "default.toml:2: [output] channel_map lists device channel 1 twice");
  EXPECT_EQ(error("[output]\nchannels = 2\nchannel_map = [0, 1, 2]"),
            "default.toml:3: [output] channel_map has 3 entries but channels = 2");
  std::string longMap = "[output]\nchannel_map = [";
  for (int i = 0; i < 65; ++i) longMap += (i ? ", " : "") + std::to_string(i % 64);
  EXPECT_EQ(error(longMap + "]"),
            "default.toml:2: [output] channel_map = [...]: expected a list of 1 to 64 device channels, each 0 to 63");
}

TEST(ConfigFileErrors, Devices) {
  EXPECT_EQ(error("[output]\ndevice = 3"),
            "default.toml:2: [output] device = 3: expected \"default\", \"none\", a device name or an id");
  EXPECT_EQ(error("[output]\ndevice = \"  \""),
            "default.toml:2: [output] device = \"  \": expected \"default\", \"none\", a device name or an id");
  EXPECT_EQ(error("[input]\ndevice = true"),
            "default.toml:2: [input] device = true: expected \"default\", \"none\", \"loopback:<output>\", a name or an id");
  EXPECT_EQ(error("[output]\ndevice = \"loopback:Speakers\""),
            "default.toml:2: [output] device = \"loopback:Speakers\": loopback is for [input] only");
  EXPECT_EQ(error("[input]\ndevice = \"loopback:\""),
            "default.toml:2: [input] device = \"loopback:\": expected \"loopback:default\" or \"loopback:<output>\"");
}

TEST(ConfigFileErrors, TablesAndLogFile) {
  EXPECT_EQ(error("output = \"Speakers\""), "default.toml:1: output = \"Speakers\": expected a table [output]");
  EXPECT_EQ(error("input = 2"), "default.toml:1: input = 2: expected a table [input]");
  EXPECT_EQ(error("log = true"), "default.toml:1: log = true: expected a table [log]");
  EXPECT_EQ(error("[log]\nfile = 3"), "default.toml:2: [log] file = 3: expected a file path in quotes");
}

TEST(ConfigFileErrors, LongValuesAreCutToFit) {
  const std::string m = error("[output]\ndevice = \"loopback:" + std::string(200, 'x') + "\"");
  EXPECT_EQ(m, "default.toml:2: [output] device = \"loopback:xxxxxxxxxxx...\": loopback is for [input] only");
  const std::string s = error("mode = \"" + std::string(300, 'y') + "\"");
  EXPECT_EQ(s, "default.toml:1: mode = \"yyyyyyyyyyyyyyyyyyyy...\": expected \"auto\", \"exclusive\" or \"shared\"");
}

TEST(ConfigFileErrors, TheEarliestLineWins) {
  EXPECT_EQ(error("sample_type = \"x\"\nmode = \"y\""),
            "default.toml:1: sample_type = \"x\": expected \"float32\", \"int32\", \"int24\", \"int16\" or \"float64\"");
  EXPECT_EQ(error("mode = \"y\"\nsample_type = \"x\""),
            "default.toml:1: mode = \"y\": expected \"auto\", \"exclusive\" or \"shared\"");
}

TEST(ConfigFileErrors, TheFileNameIsTheOneGiven) {
  const LoadResult r = parse("mode = 2", "Headphones.toml");
  EXPECT_EQ(r.status.message, "Headphones.toml:1: mode = 2: expected \"auto\", \"exclusive\" or \"shared\"");
}

// --- warnings ----------------------------------------------------------------

TEST(ConfigFileWarnings, UnknownKeysNameFileAndLine) {
  const LoadResult r = ok("mode = \"auto\"\nbuffersize = 3\n[output]\ndevice = \"default\"\nchanels = 2\n[mixer]\nx = 1\n"
                          "[log]\nlevel = \"info\"\ncolour = true\n");
  ASSERT_EQ(r.warnings.size(), 4u);
  EXPECT_EQ(r.warnings[0], "default.toml:2: unknown key \"buffersize\" ignored");
  EXPECT_EQ(r.warnings[1], "default.toml:5: unknown key [output] \"chanels\" ignored");
  EXPECT_EQ(r.warnings[2], "default.toml:6: unknown key \"mixer\" ignored");
  EXPECT_EQ(r.warnings[3], "default.toml:10: unknown key [log] \"colour\" ignored");
  EXPECT_EQ(r.settings.logLevel, LogLevel::Info);  // the known keys still count
}

TEST(ConfigFileWarnings, ComeWithAnErrorToo) {
  const LoadResult r = parse("bogus = 1\nmode = \"x\"\n", "default.toml");
  EXPECT_FALSE(r.status.ok());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "default.toml:1: unknown key \"bogus\" ignored");
}

// --- render, load, save -----------------------------------------------------------

TEST(ConfigFileRender, DefaultsRoundTrip) {
  const std::string text = render(DriverSettings{});
  const LoadResult r = ok(text);
  EXPECT_EQ(r.settings, DriverSettings{});
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_NE(text.find("mode = \"auto\""), std::string::npos) << text;
  EXPECT_NE(text.find("[output]"), std::string::npos);
  EXPECT_NE(text.find("[log]"), std::string::npos);
}

TEST(ConfigFileRender, EverythingRoundTrips) {
  DriverSettings s;
  s.outputDevice = "Speakers \"Main\" \\ 1";
  s.inputDevice = "loopback:HDMI";
  s.mode = StreamMode::ExclusivePoll;
  s.bufferFrames = 0;
  s.bufferMs = 2.6666666666666665;
  s.sampleRate = 44100;
  s.hostSampleType = asio::SampleType::Int16LSB;
  s.dither = true;
  s.driftCompensation = DriftCompensation::On;
  s.outputChannels = 2;
  s.outputChannelMap = {3, 2};
  s.inputChannels = 0;
  s.inputChannelMap = {1, 0};
  s.logLevel = LogLevel::Debug;
  s.logFile = "C:\\logs\\a2w.log";
  s.safety = SafetyMode::Fixed;
  s.safetyMs = 2.5;
  EXPECT_EQ(ok(render(s)).settings, s);

  DriverSettings t;
  t.bufferFrames = 512;
  t.mode = StreamMode::SharedEvent;
  t.outputDevice = "none";
  t.inputDevice = "default";
  t.inputChannels = 1;
  t.logLevel = LogLevel::Off;
  EXPECT_EQ(ok(render(t)).settings, t);
  t.mode = StreamMode::ExclusiveEvent;
  EXPECT_EQ(ok(render(t)).settings, t);
}

// Every form of the safety margin the parser gives is written back as itself.
TEST(ConfigFileRender, SafetyRoundTrips) {
  for (const char* text : {"safety = \"auto\"", "safety_max_ms = 0.75e1", "safety_max_ms = 1000", "safety_frames = 0",
                           "safety_frames = 48000", "safety_ms = 0", "safety_ms = 2.6666666666666665",
                           "safety = \"fixed\"\nsafety_ms = 1000"}) {
    const DriverSettings s = ok(text).settings;
    const std::string rendered = render(s);
    const LoadResult back = ok(rendered);
    EXPECT_EQ(back.settings, s) << text << "\n" << rendered;
    EXPECT_TRUE(back.warnings.empty()) << text;
  }
  DriverSettings fixed;
  fixed.safety = SafetyMode::Fixed;
  fixed.safetyFrames = 96;
  const std::string text = render(fixed);
  EXPECT_NE(text.find("safety = \"fixed\"\nsafety_frames = 96\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("\nsafety_max_ms"), std::string::npos) << "a fixed margin has no maximum: " << text;
  const std::string defaults = render(DriverSettings{});
  EXPECT_NE(defaults.find("safety = \"auto\"\nsafety_max_ms = 100.0\n"), std::string::npos) << defaults;
}

class ConfigFileOnDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    dir = fs::temp_directory_path() / ("a2w_config_test_" + std::to_string(stamp));
    fs::create_directories(dir);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
  }
  fs::path dir;
};

TEST_F(ConfigFileOnDisk, MissingFileIsTheDefaults) {
  const LoadResult r = load(dir / "default.toml");
  EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(r.settings, DriverSettings{});
  EXPECT_TRUE(r.warnings.empty());
}

TEST_F(ConfigFileOnDisk, LoadNamesTheFileNotThePath) {
  write(dir / "Headphones.toml", "# mine\n\nmode = 3\n[output]\ndevice = \"Headphones\"\n");
  const LoadResult r = load(dir / "Headphones.toml");
  EXPECT_EQ(r.status.message, "Headphones.toml:3: mode = 3: expected \"auto\", \"exclusive\" or \"shared\"");
}

TEST_F(ConfigFileOnDisk, SaveWritesBackupAndReplaces) {
  const fs::path file = dir / "sub" / "default.toml";
  DriverSettings first;
  first.mode = StreamMode::SharedEvent;
  ASSERT_TRUE(save(file, first).ok());  // creates the folder
  EXPECT_FALSE(fs::exists(dir / "sub" / "default.toml.bak"));  // nothing to back up yet
  EXPECT_EQ(load(file).settings, first);
  const std::string firstText = read(file);

  DriverSettings second;
  second.bufferFrames = 128;
  ASSERT_TRUE(save(file, second).ok());
  EXPECT_EQ(load(file).settings, second);
  EXPECT_EQ(read(dir / "sub" / "default.toml.bak"), firstText);
  EXPECT_FALSE(fs::exists(dir / "sub" / "default.toml.tmp"));
  EXPECT_EQ(read(file), render(second));
}

TEST_F(ConfigFileOnDisk, SaveKeepsAHandWrittenFileAsBackup) {
  const fs::path file = dir / "default.toml";
  write(file, "# mine\nmode = \"turbo\"\n");
  ASSERT_TRUE(save(file, DriverSettings{}).ok());
  EXPECT_EQ(read(dir / "default.toml.bak"), "# mine\nmode = \"turbo\"\n");
  EXPECT_TRUE(load(file).status.ok());
}

TEST_F(ConfigFileOnDisk, SaveIntoAFileInPlaceOfTheFolderFails) {
  write(dir / "blocker", "x");
  const Status s = save(dir / "blocker" / "default.toml", DriverSettings{});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message.rfind("default.toml: cannot create its folder", 0), 0u) << s.message;
}

}  // namespace
}  // namespace a2w::config
