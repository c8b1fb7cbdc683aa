// The environment-variable settings parser: every variable, every keyword
// and alias, and the message of every kind of bad value.
#include "core/settings_from_env.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace a2w {
namespace {

class SettingsFromEnvTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> env;

  EnvGetter getter() {
    return [this](const char* name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
  }

  Status parse(DriverSettings* s) { return settingsFromEnv(getter(), s); }

  // Parses with one variable set; expects failure and returns the message.
  std::string failureFor(const std::string& name, const std::string& value) {
    env.clear();
    return failureWith(name, value);
  }
  // The same, with `env` holding other variables too.
  std::string failureWith(const std::string& name, const std::string& value) {
    env[name] = value;
    DriverSettings s;
    const DriverSettings before = s;
    Status st = parse(&s);
    EXPECT_FALSE(st.ok()) << name << "=" << value;
    EXPECT_EQ(st.code, asio::err::kInvalidParameter);
    EXPECT_LE(st.message.size(), 123u) << st.message;  // fits ASIO's error text
    EXPECT_NE(st.message.find(name), std::string::npos) << st.message;
    // A bad value leaves the field as it was.
    EXPECT_EQ(s.mode, before.mode);
    EXPECT_EQ(s.bufferFrames, before.bufferFrames);
    EXPECT_EQ(s.sampleRate, before.sampleRate);
    EXPECT_EQ(s.hostSampleType, before.hostSampleType);
    EXPECT_EQ(s.dither, before.dither);
    EXPECT_EQ(s.safety, before.safety);
    EXPECT_EQ(s.safetyFrames, before.safetyFrames);
    EXPECT_EQ(s.safetyMs, before.safetyMs);
    EXPECT_EQ(s.safetyMaxMs, before.safetyMaxMs);
    return st.message;
  }
};

TEST_F(SettingsFromEnvTest, NothingSetKeepsDefaults) {
  DriverSettings s;
  ASSERT_TRUE(parse(&s).ok());
  const DriverSettings d;
  EXPECT_EQ(s.outputDevice, d.outputDevice);
  EXPECT_EQ(s.inputDevice, d.inputDevice);
  EXPECT_EQ(s.mode, d.mode);
  EXPECT_EQ(s.bufferFrames, d.bufferFrames);
  EXPECT_EQ(s.sampleRate, d.sampleRate);
  EXPECT_EQ(s.hostSampleType, d.hostSampleType);
  EXPECT_EQ(s.dither, d.dither);
}

TEST_F(SettingsFromEnvTest, NullGetterKeepsDefaults) {
  DriverSettings s;
  EXPECT_TRUE(settingsFromEnv(EnvGetter{}, &s).ok());
  EXPECT_EQ(s.outputDevice, "default");
}

TEST_F(SettingsFromEnvTest, NullSettingsFails) { EXPECT_FALSE(settingsFromEnv(getter(), nullptr).ok()); }

TEST_F(SettingsFromEnvTest, BlankValuesAreUnset) {
  env = {{"A2W_OUTPUT_DEVICE", ""}, {"A2W_MODE", "   "}, {"A2W_BUFFER_FRAMES", "\t"}};
  DriverSettings s;
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.outputDevice, "default");
  EXPECT_EQ(s.mode, StreamMode::Auto);
  EXPECT_EQ(s.bufferFrames, 0);
}

TEST_F(SettingsFromEnvTest, StartsFromGivenSettings) {
  DriverSettings s;
  s.bufferFrames = 512;
  s.inputDevice = "Mic";
  env["A2W_MODE"] = "shared";
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.bufferFrames, 512);
  EXPECT_EQ(s.inputDevice, "Mic");
  EXPECT_EQ(s.mode, StreamMode::SharedEvent);
}

TEST_F(SettingsFromEnvTest, DeviceKeywordsAreNormalised) {
  env = {{"A2W_OUTPUT_DEVICE", " NONE "}, {"A2W_INPUT_DEVICE", "Default"}};
  DriverSettings s;
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.outputDevice, "none");
  EXPECT_EQ(s.inputDevice, "default");
}

TEST_F(SettingsFromEnvTest, DeviceIdsAndNamesAreKeptAsWritten) {
  env = {{"A2W_OUTPUT_DEVICE", "{0.0.0.00000000}.{6b1f-AbC}"}, {"A2W_INPUT_DEVICE", " Monitor of Speakers "}};
  DriverSettings s;
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.outputDevice, "{0.0.0.00000000}.{6b1f-AbC}");
  EXPECT_EQ(s.inputDevice, "Monitor of Speakers");
}

TEST_F(SettingsFromEnvTest, ModesAndAliases) {
  const std::pair<const char*, StreamMode> cases[] = {
      {"auto", StreamMode::Auto},
      {"exclusive-event", StreamMode::ExclusiveEvent},
      {"exclusive", StreamMode::ExclusiveEvent},
      {"exclusive-poll", StreamMode::ExclusivePoll},
      {"poll", StreamMode::ExclusivePoll},
      {"shared-event", StreamMode::SharedEvent},
      {"shared", StreamMode::SharedEvent},
      {"Shared-Event", StreamMode::SharedEvent},
      {" EXCLUSIVE ", StreamMode::ExclusiveEvent},
  };
  for (const auto& [text, mode] : cases) {
    env = {{"A2W_MODE", text}};
    DriverSettings s;
    s.mode = text == std::string("auto") ? StreamMode::SharedEvent : StreamMode::Auto;
    ASSERT_TRUE(parse(&s).ok()) << text;
    EXPECT_EQ(s.mode, mode) << text;
  }
}

TEST_F(SettingsFromEnvTest, BufferFrames) {
  for (const auto& [text, frames] : {std::pair<const char*, int>{"16", 16}, {"256", 256}, {" 32768 ", 32768}}) {
    env = {{"A2W_BUFFER_FRAMES", text}};
    DriverSettings s;
    ASSERT_TRUE(parse(&s).ok()) << text;
    EXPECT_EQ(s.bufferFrames, frames);
  }
}

TEST_F(SettingsFromEnvTest, SampleRate) {
  for (const auto& [text, rate] : {std::pair<const char*, double>{"44100", 44100}, {"48000.0", 48000},
                                   {"8000", 8000}, {"768000", 768000}, {"44100.5", 44100.5}}) {
    env = {{"A2W_SAMPLE_RATE", text}};
    DriverSettings s;
    ASSERT_TRUE(parse(&s).ok()) << text;
    EXPECT_EQ(s.sampleRate, rate);
  }
}

TEST_F(SettingsFromEnvTest, SampleTypes) {
  const std::pair<const char*, asio::SampleType> cases[] = {
      {"float32", asio::SampleType::Float32LSB}, {"int32", asio::SampleType::Int32LSB},
      {"int24", asio::SampleType::Int24LSB},     {"int16", asio::SampleType::Int16LSB},
      {"float64", asio::SampleType::Float64LSB}, {"INT16", asio::SampleType::Int16LSB},
  };
  for (const auto& [text, type] : cases) {
    env = {{"A2W_SAMPLE_TYPE", text}};
    DriverSettings s;
    ASSERT_TRUE(parse(&s).ok()) << text;
    EXPECT_EQ(s.hostSampleType, type) << text;
  }
}

TEST_F(SettingsFromEnvTest, Dither) {
  env = {{"A2W_DITHER", "1"}};
  DriverSettings s;
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_TRUE(s.dither);
  env = {{"A2W_DITHER", "0"}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_FALSE(s.dither);
}

TEST_F(SettingsFromEnvTest, DriftCompensation) {
  DriverSettings s;
  EXPECT_EQ(s.driftCompensation, DriftCompensation::Auto);
  env = {{"A2W_DRIFT_COMPENSATION", "  "}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.driftCompensation, DriftCompensation::Auto);  // blank: unchanged
  const std::pair<const char*, DriftCompensation> cases[] = {
      {"on", DriftCompensation::On}, {" OFF ", DriftCompensation::Off}, {"Auto", DriftCompensation::Auto},
      {"off", DriftCompensation::Off}};
  for (const auto& [text, value] : cases) {
    env = {{"A2W_DRIFT_COMPENSATION", text}};
    ASSERT_TRUE(parse(&s).ok()) << text;
    EXPECT_EQ(s.driftCompensation, value) << text;
  }
  EXPECT_EQ(failureFor("A2W_DRIFT_COMPENSATION", "yes"),
            "A2W_DRIFT_COMPENSATION=\"yes\" is invalid: expected auto, on or off");
  failureFor("A2W_DRIFT_COMPENSATION", "1");
}

TEST_F(SettingsFromEnvTest, SharedModeResample) {
  DriverSettings s;
  EXPECT_EQ(s.sharedModeResample, SharedModeResample::Auto);
  env = {{"A2W_SHARED_MODE_RESAMPLE", "ALWAYS"}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.sharedModeResample, SharedModeResample::Always);
  env = {{"A2W_SHARED_MODE_RESAMPLE", " auto"}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.sharedModeResample, SharedModeResample::Auto);
  EXPECT_EQ(failureFor("A2W_SHARED_MODE_RESAMPLE", "never"),
            "A2W_SHARED_MODE_RESAMPLE=\"never\" is invalid: expected auto or always");
}

TEST_F(SettingsFromEnvTest, SafetyEveryForm) {
  DriverSettings s;
  env = {{"A2W_SAFETY", " AUTO "}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s, DriverSettings{});
  env = {{"A2W_SAFETY_FRAMES", "240"}};  // alone: fixed
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.safety, SafetyMode::Fixed);
  EXPECT_EQ(s.safetyFrames, 240);
  EXPECT_EQ(s.safetyMs, 0);
  s = {};
  env = {{"A2W_SAFETY", "fixed"}, {"A2W_SAFETY_MS", "2.5"}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.safety, SafetyMode::Fixed);
  EXPECT_EQ(s.safetyMs, 2.5);
  EXPECT_EQ(s.safetyFrames, 0);
  EXPECT_EQ(fixedSafetyFrames(s, 48000), 120);
  s = {};
  env = {{"A2W_SAFETY_MS", "0"}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.safety, SafetyMode::Fixed);
  EXPECT_EQ(maximumSafetyFrames(s, 48000), 0);  // no margin, never growing
  s = {};
  env = {{"A2W_SAFETY", "auto"}, {"A2W_SAFETY_MAX_MS", "40"}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.safety, SafetyMode::Auto);
  EXPECT_EQ(s.safetyMaxMs, 40);
  for (const auto& [name, value] : {std::pair<const char*, const char*>{"A2W_SAFETY_FRAMES", "48000"},
                                    {"A2W_SAFETY_MS", "1000"}, {"A2W_SAFETY_MAX_MS", "1"}, {"A2W_SAFETY_MAX_MS", "1000"}}) {
    env = {{name, value}};
    s = {};
    EXPECT_TRUE(parse(&s).ok()) << name << "=" << value;
  }
}

// What the variables give replaces the file's safety (the settings passed
// in), in the same canonical form the file's parser gives.
TEST_F(SettingsFromEnvTest, SafetyReplacesTheFiles) {
  DriverSettings fileFixed;
  fileFixed.safety = SafetyMode::Fixed;
  fileFixed.safetyMs = 5;
  DriverSettings s = fileFixed;
  env = {{"A2W_SAFETY_MAX_MS", "40"}};  // means auto
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.safety, SafetyMode::Auto);
  EXPECT_EQ(s.safetyMs, 0);
  EXPECT_EQ(s.safetyMaxMs, 40);

  s = fileFixed;
  env = {{"A2W_SAFETY_FRAMES", "96"}};  // the other margin: the file's goes
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.safetyFrames, 96);
  EXPECT_EQ(s.safetyMs, 0);

  DriverSettings fileAuto;
  fileAuto.safetyMaxMs = 40;
  s = fileAuto;
  env = {{"A2W_SAFETY", "auto"}};  // nothing about the maximum: the file's stays
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.safetyMaxMs, 40);
  env = {{"A2W_SAFETY_MS", "3"}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.safety, SafetyMode::Fixed);
  EXPECT_EQ(s.safetyMs, 3);
  EXPECT_EQ(s.safetyMaxMs, 100);  // a fixed margin's maximum is the default

  s = fileFixed;
  env = {{"A2W_MODE", "shared"}};  // no safety variable: the file's stays
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.safety, SafetyMode::Fixed);
  EXPECT_EQ(s.safetyMs, 5);
}

TEST_F(SettingsFromEnvTest, BadSafetyValues) {
  EXPECT_EQ(failureFor("A2W_SAFETY", "adaptive"), "A2W_SAFETY=\"adaptive\" is invalid: expected auto or fixed");
  EXPECT_EQ(failureFor("A2W_SAFETY_FRAMES", "48001"),
            "A2W_SAFETY_FRAMES=\"48001\" is invalid: expected an integer from 0 to 48000 (frames)");
  for (const char* v : {"-1", "2.5", "240 frames", "abc"}) {
    EXPECT_NE(failureFor("A2W_SAFETY_FRAMES", v).find("from 0 to 48000 (frames)"), std::string::npos) << v;
  }
  EXPECT_EQ(failureFor("A2W_SAFETY_MS", "5ms"), "A2W_SAFETY_MS=\"5ms\" is invalid: expected a duration from 0 to 1000 (ms)");
  for (const char* v : {"-0.5", "1000.5", "nan", "inf"}) {
    EXPECT_NE(failureFor("A2W_SAFETY_MS", v).find("from 0 to 1000 (ms)"), std::string::npos) << v;
  }
  EXPECT_EQ(failureFor("A2W_SAFETY_MAX_MS", "0"),
            "A2W_SAFETY_MAX_MS=\"0\" is invalid: expected a duration from 1 to 1000 (ms)");
  failureFor("A2W_SAFETY_MAX_MS", "1001");
}

// The file's rule, with the variables' names (core/safety_settings.h).
TEST_F(SettingsFromEnvTest, BadSafetyCombinations) {
  env = {{"A2W_SAFETY_FRAMES", "240"}};
  EXPECT_EQ(failureWith("A2W_SAFETY_MS", "5"), "A2W_SAFETY_FRAMES and A2W_SAFETY_MS are both set; keep only one");
  env = {{"A2W_SAFETY", "auto"}};
  EXPECT_EQ(failureWith("A2W_SAFETY_MS", "5"),
            "A2W_SAFETY_MS needs A2W_SAFETY=fixed (auto grows the margin by itself)");
  env = {{"A2W_SAFETY", "auto"}};
  EXPECT_EQ(failureWith("A2W_SAFETY_FRAMES", "5"),
            "A2W_SAFETY_FRAMES needs A2W_SAFETY=fixed (auto grows the margin by itself)");
  EXPECT_EQ(failureFor("A2W_SAFETY", "fixed"),
            "A2W_SAFETY=fixed needs A2W_SAFETY_FRAMES or A2W_SAFETY_MS (the margin)");
  env = {{"A2W_SAFETY_MS", "5"}};
  EXPECT_EQ(failureWith("A2W_SAFETY_MAX_MS", "50"),
            "A2W_SAFETY_MAX_MS is for A2W_SAFETY=auto (a fixed margin never grows)");
  env = {{"A2W_SAFETY", "fixed"}, {"A2W_SAFETY_FRAMES", "0"}};
  EXPECT_EQ(failureWith("A2W_SAFETY_MAX_MS", "50"),
            "A2W_SAFETY_MAX_MS is for A2W_SAFETY=auto (a fixed margin never grows)");
}

TEST_F(SettingsFromEnvTest, LogLevelAndFile) {
  DriverSettings s;
  const LogLevel defaultLevel = s.logLevel;
  env = {{"A2W_LOG", " "}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.logLevel, defaultLevel);  // blank: unchanged
  const std::pair<const char*, LogLevel> cases[] = {
      {"off", LogLevel::Off},         {"error", LogLevel::Error}, {"warning", LogLevel::Warning},
      {"WARN", LogLevel::Warning},    {"info", LogLevel::Info},   {" Debug ", LogLevel::Debug},
  };
  for (const auto& [text, level] : cases) {
    env = {{"A2W_LOG", text}};
    ASSERT_TRUE(parse(&s).ok()) << text;
    EXPECT_EQ(s.logLevel, level) << text;
  }
  env = {{"A2W_LOG", "debug"}, {"A2W_LOG_FILE", "  C:\\Temp\\my log.txt "}};
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.logFile, "C:\\Temp\\my log.txt");
  EXPECT_EQ(failureFor("A2W_LOG", "verbose"),
            "A2W_LOG=\"verbose\" is invalid: expected off, error, warning, info or debug");
  failureFor("A2W_LOG", "4");
}

TEST_F(SettingsFromEnvTest, AllTogether) {
  env = {{"A2W_OUTPUT_DEVICE", "Speakers"}, {"A2W_INPUT_DEVICE", "none"},   {"A2W_MODE", "poll"},
         {"A2W_BUFFER_FRAMES", "128"},      {"A2W_SAMPLE_RATE", "96000"},  {"A2W_SAMPLE_TYPE", "int24"},
         {"A2W_DITHER", "1"}};
  DriverSettings s;
  ASSERT_TRUE(parse(&s).ok());
  EXPECT_EQ(s.outputDevice, "Speakers");
  EXPECT_EQ(s.inputDevice, "none");
  EXPECT_EQ(s.mode, StreamMode::ExclusivePoll);
  EXPECT_EQ(s.bufferFrames, 128);
  EXPECT_EQ(s.sampleRate, 96000);
  EXPECT_EQ(s.hostSampleType, asio::SampleType::Int24LSB);
  EXPECT_TRUE(s.dither);
}

TEST_F(SettingsFromEnvTest, BadMode) {
  EXPECT_EQ(failureFor("A2W_MODE", "fast"),
            "A2W_MODE=\"fast\" is invalid: expected auto, exclusive-event, exclusive-poll or shared-event");
  failureFor("A2W_MODE", "exclusive_event");
  failureFor("A2W_MODE", "event");
}

TEST_F(SettingsFromEnvTest, BadBufferFrames) {
  const char* expected = "A2W_BUFFER_FRAMES=\"15\" is invalid: expected an integer from 16 to 32768";
  EXPECT_EQ(failureFor("A2W_BUFFER_FRAMES", "15"), expected);
  for (const char* v : {"32769", "0", "-256", "256x", "25.6", "abc", "0x100", "99999999999999999999"}) {
    EXPECT_NE(failureFor("A2W_BUFFER_FRAMES", v).find("an integer from 16 to 32768"), std::string::npos) << v;
  }
}

TEST_F(SettingsFromEnvTest, BadSampleRate) {
  EXPECT_EQ(failureFor("A2W_SAMPLE_RATE", "48k"),
            "A2W_SAMPLE_RATE=\"48k\" is invalid: expected a rate in Hz from 8000 to 768000");
  for (const char* v : {"7999", "768001", "0", "-48000", "nan", "inf", "1e5", "fast"}) {
    EXPECT_NE(failureFor("A2W_SAMPLE_RATE", v).find("from 8000 to 768000"), std::string::npos) << v;
  }
}

TEST_F(SettingsFromEnvTest, BadSampleType) {
  EXPECT_EQ(failureFor("A2W_SAMPLE_TYPE", "int8"),
            "A2W_SAMPLE_TYPE=\"int8\" is invalid: expected float32, int32, int24, int16 or float64");
  failureFor("A2W_SAMPLE_TYPE", "Float32LSB");
}

TEST_F(SettingsFromEnvTest, BadDither) {
  EXPECT_EQ(failureFor("A2W_DITHER", "yes"), "A2W_DITHER=\"yes\" is invalid: expected 0 or 1");
  failureFor("A2W_DITHER", "2");
  failureFor("A2W_DITHER", "true");
}

TEST_F(SettingsFromEnvTest, LongBadValueIsCutToFitTheErrorText) {
  const std::string msg = failureFor("A2W_MODE", std::string(500, 'x'));
  EXPECT_NE(msg.find("xxx...\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("shared-event"), std::string::npos) << msg;
}

TEST_F(SettingsFromEnvTest, FirstBadVariableWinsAndEarlierOnesApply) {
  env = {{"A2W_MODE", "shared"}, {"A2W_BUFFER_FRAMES", "1"}, {"A2W_DITHER", "maybe"}};
  DriverSettings s;
  Status st = parse(&s);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message.find("A2W_BUFFER_FRAMES"), std::string::npos);
  EXPECT_EQ(s.mode, StreamMode::SharedEvent);
}

}  // namespace
}  // namespace a2w
