// The control panel's portable logic: list contents, selections <-> settings.
#include "panel/panel_model.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace a2w::panel {
namespace {

EndpointInfo endpoint(std::string id, std::string name, Direction d, bool isDefault, int ch = 2, double rate = 48000) {
  EndpointInfo e;
  e.id = std::move(id);
  e.name = std::move(name);
  e.direction = d;
  e.isDefault = isDefault;
  e.mixChannels = ch;
  e.mixSampleRate = rate;
  e.defaultPeriodFrames = static_cast<std::int32_t>(rate / 100);
  e.minimumPeriodFrames = static_cast<std::int32_t>(rate * 3 / 1000);
  return e;
}

// What Wine's PulseAudio world shows.
std::vector<EndpointInfo> wineEndpoints() {
  return {endpoint("{0.0.0.00000000}.{r1}", "Speakers", Direction::Render, true),
          endpoint("{0.0.0.00000000}.{r2}", "HDMI", Direction::Render, false, 8, 44100),
          endpoint("{0.0.1.00000000}.{c1}", "Monitor of Speakers", Direction::Capture, true),
          endpoint("{0.0.1.00000000}.{c2}", "Monitor of HDMI", Direction::Capture, false, 8, 44100)};
}

std::vector<std::string> labels(const std::vector<Choice>& choices) {
  std::vector<std::string> out;
  for (const Choice& c : choices) out.push_back(c.label);
  return out;
}

std::vector<std::string> selectors(const std::vector<Choice>& choices) {
  std::vector<std::string> out;
  for (const Choice& c : choices) out.push_back(c.selector);
  return out;
}

TEST(PanelModel, OutputListIsDefaultThenEachRenderEndpointThenNone) {
  const auto choices = outputChoices(wineEndpoints());
  EXPECT_EQ(labels(choices), (std::vector<std::string>{"Default (Speakers)", "Speakers", "HDMI", "None (input only)"}));
  EXPECT_EQ(selectors(choices), (std::vector<std::string>{"default", "Speakers", "HDMI", "none"}));
}

TEST(PanelModel, InputListHasNoneDefaultCaptureEndpointsAndLoopbacks) {
  const auto choices = inputChoices(wineEndpoints());
  EXPECT_EQ(labels(choices), (std::vector<std::string>{"None", "Default (Monitor of Speakers)", "Monitor of Speakers",
                                                       "Monitor of HDMI", "Loopback of Speakers", "Loopback of HDMI"}));
  EXPECT_EQ(selectors(choices), (std::vector<std::string>{"none", "default", "Monitor of Speakers", "Monitor of HDMI",
                                                          "loopback:Speakers", "loopback:HDMI"}));
}

TEST(PanelModel, NoEndpointsStillGivesUsableLists) {
  EXPECT_EQ(labels(outputChoices({})), (std::vector<std::string>{"Default device", "None (input only)"}));
  EXPECT_EQ(labels(inputChoices({})), (std::vector<std::string>{"None", "Default device"}));
}

TEST(PanelModel, DuplicateNamesAreWrittenAsIds) {
  auto eps = wineEndpoints();
  eps.push_back(endpoint("{dup}", "HDMI", Direction::Render, false));
  const auto choices = outputChoices(eps);
  EXPECT_EQ(selectors(choices), (std::vector<std::string>{"default", "Speakers", "{0.0.0.00000000}.{r2}", "{dup}", "none"}));
}

TEST(PanelModel, IndexForFindsNamesIdsCaseAndLoopback) {
  const auto eps = wineEndpoints();
  auto outs = outputChoices(eps);
  EXPECT_EQ(indexFor(&outs, "default", eps), 0);
  EXPECT_EQ(indexFor(&outs, "", eps), 0);
  EXPECT_EQ(indexFor(&outs, "hdmi", eps), 2);
  EXPECT_EQ(indexFor(&outs, "{0.0.0.00000000}.{r2}", eps), 2);
  EXPECT_EQ(indexFor(&outs, "none", eps), 3);
  auto ins = inputChoices(eps);
  EXPECT_EQ(indexFor(&ins, "loopback:HDMI", eps), 5);
  EXPECT_EQ(indexFor(&ins, "Loopback:{0.0.0.00000000}.{r1}", eps), 4);
  EXPECT_EQ(indexFor(&ins, "Monitor of HDMI", eps), 3);
  EXPECT_EQ(ins.size(), 6u);  // nothing appended
}

TEST(PanelModel, UnknownSelectorIsKeptAsNotConnected) {
  const auto eps = wineEndpoints();
  auto outs = outputChoices(eps);
  EXPECT_EQ(indexFor(&outs, "USB Headset", eps), 4);
  ASSERT_EQ(outs.size(), 5u);
  EXPECT_EQ(outs[4].label, "USB Headset (not connected)");
  EXPECT_EQ(outs[4].selector, "USB Headset");
}

TEST(PanelModel, EndpointForAndSummary) {
  const auto eps = wineEndpoints();
  EXPECT_EQ(endpointFor("default", Direction::Render, eps)->name, "Speakers");
  EXPECT_EQ(endpointFor("loopback:HDMI", Direction::Capture, eps)->name, "HDMI");
  EXPECT_EQ(endpointFor("none", Direction::Capture, eps), nullptr);
  EXPECT_EQ(endpointFor("nothing", Direction::Render, eps), nullptr);
  EXPECT_EQ(endpointSummary(endpointFor("HDMI", Direction::Render, eps)),
            "8 channels, 44100 Hz, float32, period 10.0 ms (minimum 3.0 ms)");
  EXPECT_EQ(endpointSummary(nullptr), "");
}

TEST(PanelModel, ModeRoundTripsThroughListAndPollingBox) {
  for (StreamMode m : {StreamMode::Auto, StreamMode::ExclusiveEvent, StreamMode::ExclusivePoll, StreamMode::SharedEvent}) {
    EXPECT_EQ(streamMode(modeForm(m)), m) << toString(m);
  }
  EXPECT_EQ(streamMode({ModeChoice::Shared, true}), StreamMode::SharedEvent);  // polling ignored outside exclusive
  EXPECT_EQ(streamMode({ModeChoice::Auto, true}), StreamMode::Auto);
  EXPECT_TRUE(pollingApplies(ModeChoice::Exclusive));
  EXPECT_FALSE(pollingApplies(ModeChoice::Shared));
  EXPECT_EQ(modeLabels().size(), 3u);
}

TEST(PanelModel, BufferSizeAndRateParsing) {
  std::int32_t frames = -1;
  double ms = -1;
  EXPECT_TRUE(parseBufferSize("Device default", &frames, &ms).ok());
  EXPECT_EQ(frames, 0);
  EXPECT_EQ(ms, 0);
  EXPECT_TRUE(parseBufferSize(" 256 ", &frames, &ms).ok());
  EXPECT_EQ(frames, 256);
  EXPECT_TRUE(parseBufferSize("2.5 ms", &frames, &ms).ok());
  EXPECT_EQ(frames, 0);
  EXPECT_EQ(ms, 2.5);
  EXPECT_EQ(bufferSizeText(0, 2.5), "2.5 ms");
  const Status bad = parseBufferSize("12", &frames, &ms);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.message,
            "Buffer size \"12\": expected a whole number of frames from 16 to 32768, a duration from 1 to 1000 ms, "
            "or Device default.");
  EXPECT_FALSE(parseBufferSize("-64", &frames, &ms).ok());
  EXPECT_FALSE(parseBufferSize("64x", &frames, &ms).ok());
  EXPECT_FALSE(parseBufferSize("0 ms", &frames, &ms).ok());
  EXPECT_FALSE(parseBufferSize("99999999999999999999", &frames, &ms).ok());
  std::int32_t ch = -1;
  EXPECT_TRUE(parseChannels("Output channels", "All", &ch).ok());
  EXPECT_EQ(ch, 0);
  EXPECT_TRUE(parseChannels("Output channels", "2", &ch).ok());
  EXPECT_EQ(ch, 2);
  EXPECT_EQ(parseChannels("Input channels", "0", &ch).message,
            "Input channels \"0\": expected a number of channels from 1 to 64, or All.");
  EXPECT_EQ(channelsText(0), "All");
  double rate = -1;
  EXPECT_TRUE(parseSampleRate("", &rate).ok());
  EXPECT_EQ(rate, 0);
  EXPECT_TRUE(parseSampleRate("96000", &rate).ok());
  EXPECT_EQ(rate, 96000);
  EXPECT_FALSE(parseSampleRate("1000000", &rate).ok());
  EXPECT_EQ(bufferSizeText(0), "Device default");
  EXPECT_EQ(bufferSizeText(480), "480");
  EXPECT_EQ(sampleRateText(44100), "44100");
  EXPECT_EQ(sampleRateText(0), "Device default");
}

TEST(PanelModel, SafetyTextAndParsing) {
  EXPECT_EQ(safetySuggestions().front(), "Auto");
  DriverSettings s;
  EXPECT_EQ(safetyText(s), "Auto");
  s.safetyMaxMs = 40;
  EXPECT_EQ(safetyText(s), "Auto");
  s.safety = SafetyMode::Fixed;
  s.safetyFrames = 240;
  EXPECT_EQ(safetyText(s), "240");
  s.safetyFrames = 0;
  EXPECT_EQ(safetyText(s), "0");
  s.safetyMs = 2.5;
  EXPECT_EQ(safetyText(s), "2.5 ms");

  safety::Given g;
  for (const char* text : {"Auto", " auto ", ""}) {
    ASSERT_TRUE(parseSafety(text, &g).ok()) << text;
    EXPECT_EQ(g.mode, SafetyMode::Auto) << text;
    EXPECT_FALSE(g.frames || g.ms || g.maxMs) << text;
  }
  ASSERT_TRUE(parseSafety(" 96 ", &g).ok());
  EXPECT_EQ(g.frames, 96);
  EXPECT_FALSE(g.mode || g.ms);
  ASSERT_TRUE(parseSafety("0", &g).ok());
  EXPECT_EQ(g.frames, 0);
  ASSERT_TRUE(parseSafety("48000", &g).ok());
  EXPECT_EQ(g.frames, 48000);
  ASSERT_TRUE(parseSafety("7.5 MS", &g).ok());
  EXPECT_EQ(g.ms, 7.5);
  EXPECT_FALSE(g.mode || g.frames);
  ASSERT_TRUE(parseSafety("0 ms", &g).ok());
  EXPECT_EQ(g.ms, 0.0);
  ASSERT_TRUE(parseSafety("1000ms", &g).ok());
  EXPECT_EQ(g.ms, 1000.0);
  for (const std::string& suggestion : safetySuggestions()) EXPECT_TRUE(parseSafety(suggestion, &g).ok()) << suggestion;

  const Status bad = parseSafety("48001", &g);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.code, asio::err::kInvalidParameter);
  EXPECT_EQ(bad.message,
            "Safety margin \"48001\": expected Auto, a whole number of frames from 0 to 48000, or a duration from 0 to "
            "1000 ms.");
  for (const char* text : {"-5", "5x", "2.5", "1000.5 ms", "-1 ms", "ms", "fixed", "99999999999999999999"}) {
    EXPECT_EQ(parseSafety(text, &g).message,
              "Safety margin \"" + std::string(text) +
                  "\": expected Auto, a whole number of frames from 0 to 48000, or a duration from 0 to 1000 ms.")
        << text;
  }
  EXPECT_TRUE(safetyApplies(ModeChoice::Auto));  // auto may end up shared
  EXPECT_TRUE(safetyApplies(ModeChoice::Shared));
  EXPECT_FALSE(safetyApplies(ModeChoice::Exclusive));
}

// The panel's limits are the file's: whatever it accepts, the file takes.
TEST(PanelModel, SafetyFromTheFormIsWhatTheFileReads) {
  const auto eps = wineEndpoints();
  PanelLists lists;
  DriverSettings base;
  base.safetyMaxMs = 40;  // the file's maximum, which the panel does not show
  PanelForm form = formFromSettings(base, eps, &lists);
  EXPECT_EQ(form.safety, "Auto");
  DriverSettings out;
  ASSERT_TRUE(settingsFromForm(form, lists, base, &out).ok());
  EXPECT_EQ(out, base) << "Auto keeps the file's maximum";

  form.safety = "5 ms";
  ASSERT_TRUE(settingsFromForm(form, lists, base, &out).ok());
  EXPECT_EQ(out.safety, SafetyMode::Fixed);
  EXPECT_EQ(out.safetyMs, 5.0);
  EXPECT_EQ(out.safetyFrames, 0);
  EXPECT_EQ(out.safetyMaxMs, 100);  // canonical, as the file's parser gives it
  EXPECT_EQ(formFromSettings(out, eps, &lists).safety, "5 ms");

  DriverSettings fixed = out;
  form = formFromSettings(fixed, eps, &lists);
  form.safety = "240";
  ASSERT_TRUE(settingsFromForm(form, lists, fixed, &out).ok());
  EXPECT_EQ(out.safetyFrames, 240);
  EXPECT_EQ(out.safetyMs, 0);  // the other margin goes
  form.safety = "Auto";
  ASSERT_TRUE(settingsFromForm(form, lists, out, &out).ok());
  EXPECT_EQ(out.safety, SafetyMode::Auto);
  EXPECT_EQ(out.safetyFrames, 0);

  form.safety = "too much";
  out.outputDevice = "sentinel";
  const Status bad = settingsFromForm(form, lists, base, &out);
  EXPECT_NE(bad.message.find("Safety margin \"too much\""), std::string::npos) << bad.message;
  EXPECT_EQ(out.outputDevice, "sentinel");
}

TEST(PanelModel, SettingsRoundTripThroughTheForm) {
  const auto eps = wineEndpoints();
  DriverSettings in;
  in.outputDevice = "HDMI";
  in.inputDevice = "loopback:Speakers";
  in.mode = StreamMode::ExclusivePoll;
  in.bufferFrames = 256;
  in.sampleRate = 44100;
  in.hostSampleType = asio::SampleType::Int24LSB;
  in.dither = true;
  in.driftCompensation = DriftCompensation::Off;
  in.outputChannels = 2;
  in.safety = SafetyMode::Fixed;
  in.safetyFrames = 96;
  PanelLists lists;
  const PanelForm form = formFromSettings(in, eps, &lists);
  EXPECT_EQ(form.safety, "96");
  EXPECT_EQ(form.output, 2);
  EXPECT_EQ(form.input, 4);
  EXPECT_EQ(form.mode.choice, ModeChoice::Exclusive);
  EXPECT_TRUE(form.mode.polling);
  EXPECT_EQ(form.bufferSize, "256");
  EXPECT_EQ(form.sampleRate, "44100");
  EXPECT_EQ(form.sampleType, 2);
  DriverSettings out;
  ASSERT_TRUE(settingsFromForm(form, lists, DriverSettings{}, &out).ok());
  EXPECT_EQ(out.outputDevice, "HDMI");
  EXPECT_EQ(out.inputDevice, "loopback:Speakers");
  EXPECT_EQ(out.mode, StreamMode::ExclusivePoll);
  EXPECT_EQ(out.bufferFrames, 256);
  EXPECT_EQ(out.sampleRate, 44100);
  EXPECT_EQ(out.hostSampleType, asio::SampleType::Int24LSB);
  EXPECT_TRUE(out.dither);
  EXPECT_EQ(out.driftCompensation, DriftCompensation::Off);
  EXPECT_EQ(out.outputChannels, 2);
  EXPECT_EQ(out.inputChannels, 0);
  EXPECT_EQ(out, in);  // nothing lost on the way through the form
}

TEST(PanelModel, ChangingTheFormChangesOnlyThoseFields) {
  const auto eps = wineEndpoints();
  PanelLists lists;
  PanelForm form = formFromSettings(DriverSettings{}, eps, &lists);
  EXPECT_EQ(form.output, 0);
  EXPECT_EQ(form.input, 0);
  form.output = 2;                       // HDMI
  form.mode = {ModeChoice::Shared, false};
  DriverSettings out;
  ASSERT_TRUE(settingsFromForm(form, lists, DriverSettings{}, &out).ok());
  EXPECT_EQ(out.outputDevice, "HDMI");
  EXPECT_EQ(out.inputDevice, "none");
  EXPECT_EQ(out.mode, StreamMode::SharedEvent);
  EXPECT_EQ(out.bufferFrames, 0);
  EXPECT_EQ(out.sampleRate, 0);
}

TEST(PanelModel, BadFormLeavesSettingsUntouched) {
  const auto eps = wineEndpoints();
  PanelLists lists;
  PanelForm form = formFromSettings(DriverSettings{}, eps, &lists);
  form.bufferSize = "lots";
  DriverSettings out;
  out.outputDevice = "sentinel";
  EXPECT_FALSE(settingsFromForm(form, lists, DriverSettings{}, &out).ok());
  EXPECT_EQ(out.outputDevice, "sentinel");
  form = formFromSettings(DriverSettings{}, eps, &lists);
  form.output = 3;  // None, and input None
  const Status both = settingsFromForm(form, lists, DriverSettings{}, &out);
  EXPECT_FALSE(both.ok());
  EXPECT_NE(both.message.find("both None"), std::string::npos);
}

TEST(PanelModel, StatusTextStandaloneAndRunning) {
  EXPECT_NE(statusText(PanelStatus{}).find("Driver not running in this process"), std::string::npos);
  PanelStatus s;
  s.driverRunning = true;
  s.state = DriverState::Running;
  s.streamStatus = "shared-event float32 2ch 48000 Hz, 480 frames";
  s.latenciesKnown = true;
  s.outputLatency = 960;
  s.inputLatency = 480;
  s.sampleRate = 48000;
  s.stats.inputUnderruns = 2;
  s.stats.overloads = 1;
  const std::string text = statusText(s);
  EXPECT_NE(text.find("Running: shared-event float32 2ch 48000 Hz, 480 frames"), std::string::npos) << text;
  EXPECT_NE(text.find("output 960 frames (20.0 ms), input 480 frames (10.0 ms)"), std::string::npos) << text;
  EXPECT_EQ(text.find("Windows reports"), std::string::npos) << "the OS's part unknown: not shown: " << text;
  s.outputOsLatency = 480;
  s.inputOsLatency = 240;
  EXPECT_NE(statusText(s).find("input 480 frames (10.0 ms); of these, Windows reports output 480 and input 240 frames "
                               "for its own part\n"),
            std::string::npos)
      << statusText(s);
  EXPECT_NE(text.find("Glitches: 3 "), std::string::npos) << text;
  EXPECT_EQ(s.stats.glitches(), 3u);
  EXPECT_EQ(text.find("Safety margin"), std::string::npos) << "none grown: not shown: " << text;
  EXPECT_EQ(text.find("Input clock"), std::string::npos) << "no drift compensation: not shown: " << text;
  // Every kind counts, each named; the grown margin and the input clock shown.
  s.stats.renderUnderruns = 4;
  s.stats.renderEngineLatePasses = 1;
  s.stats.renderSafetyFrames = 960;
  s.stats.outputDeviceSampleRate = 48000;
  s.stats.inputDriftCompensation = true;
  s.stats.inputDriftPpm = 12.34;
  const std::string measuring = statusText(s);
  EXPECT_EQ(s.stats.glitches(), 8u);
  EXPECT_NE(measuring.find("Glitches: 8 (output ran dry 4, engine late 1, late callbacks 1, input underruns 2, overruns 0, "
                           "device discontinuities 0)"),
            std::string::npos)
      << measuring;
  EXPECT_NE(measuring.find("\nSafety margin grown after underruns: 960 frames (20.0 ms) beyond the minimum queue"),
            std::string::npos)
      << measuring;
  EXPECT_NE(measuring.find("\nInput clock: +12.3 ppm against the output (still measuring)"), std::string::npos) << measuring;
  EXPECT_EQ(measuring.find("Periods missed"), std::string::npos) << "no advice: not shown: " << measuring;
  s.stats.bufferAdviceFrames = 700;
  EXPECT_NE(statusText(s).find("\nPeriods missed (exclusive mode): a buffer of more than 700 frames (14.6 ms) would have "
                               "held them"),
            std::string::npos)
      << statusText(s);
  s.stats.inputClockLocked = true;
  s.stats.inputClockRatioPpm = 11.87;
  EXPECT_NE(statusText(s).find("Input clock: +12.3 ppm against the output (measured from positions: +11.9 ppm)"),
            std::string::npos)
      << statusText(s);
}

}  // namespace
}  // namespace a2w::panel
