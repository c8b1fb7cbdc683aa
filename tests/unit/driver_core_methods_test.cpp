// One test (or a few) per IASIO method of DriverCore: what each answers
// when used correctly.
#include <cmath>
#include <cstring>
#include <string>

#include "core/vendor_selectors.h"
#include "support/driver_core_fixture.h"
#include "support/sample_patterns.h"

namespace a2w::test {
namespace {

// --- init

TEST_F(DriverCoreTest, InitOpensTheBackendWithTheSettings) {
  DriverSettings s;
  s.outputDevice = "Speakers X";
  make({}, s);
  initOk();
  EXPECT_EQ(log->open, 1);
  EXPECT_EQ(log->lastSettings.outputDevice, "Speakers X");
}

TEST_F(DriverCoreTest, InitTwiceIsIdempotentInEveryState) {
  initOk();
  initOk();
  EXPECT_EQ(core->state(), DriverState::Initialised);
  auto infos = channels(1, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  initOk();
  EXPECT_EQ(core->state(), DriverState::Prepared);
  ASSERT_EQ(core->start(), asio::err::kOk);
  initOk();
  EXPECT_EQ(core->state(), DriverState::Running);
  EXPECT_EQ(log->open, 1);  // never reopened
}

TEST_F(DriverCoreTest, InitUsesTheConfiguredRateWhenOffered) {
  DriverSettings s;
  s.sampleRate = 96000;
  make({}, s);
  initOk();
  double rate = 0;
  ASSERT_EQ(core->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 96000);
}

TEST_F(DriverCoreTest, InitFallsBackToTheDeviceRateWhenTheConfiguredOneIsNotOffered) {
  DriverSettings s;
  s.sampleRate = 22050;
  make({}, s);
  initOk();
  double rate = 0;
  ASSERT_EQ(core->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 48000);
}

TEST_F(DriverCoreTest, InitFailureReturnsFalseWithTheBackendsMessage) {
  fake->failOpen(Status::failure(asio::err::kNotPresent, "no output device named \"Speakers X\""));
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  EXPECT_EQ(core->state(), DriverState::Loaded);
  EXPECT_TRUE(mentions(errorText(), "Speakers X"));
  // And a later init may succeed (the device was plugged in).
  fake->failOpen(std::nullopt);
  initOk();
}

TEST_F(DriverCoreTest, InitRejectsADeviceWithNeitherSide) {
  FakeDeviceConfig config;
  config.outputChannels = 0;
  config.inputChannels = 0;
  make(config);
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  EXPECT_TRUE(mentions(errorText(), "neither an output nor an input"));
  EXPECT_EQ(log->close, 1);  // what open() took is released
}

TEST_F(DriverCoreTest, InitRejectsMismatchedBufferSizeTables) {
  FakeDeviceConfig config;
  config.bufferSizes = {BufferSizeOptions{64, 2048, 256, -1}};  // one entry for three rates
  make(config);
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  EXPECT_TRUE(mentions(errorText(), "buffer sizes"));
}

TEST_F(DriverCoreTest, InitRejectsAnUnsupportedHostSampleType) {
  DriverSettings s;
  s.hostSampleType = asio::SampleType::DSDInt8LSB1;
  make({}, s);
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  EXPECT_TRUE(mentions(errorText(), "sample type"));
  EXPECT_EQ(log->open, 0);
}

TEST_F(DriverCoreTest, ConfigErrorMakesInitFail) {
  core->setConfigError(Status::failure(asio::err::kInvalidParameter, "A2W_MODE: \"fast\" is not a mode"));
  EXPECT_TRUE(mentions(errorText(), "A2W_MODE"));
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  EXPECT_TRUE(mentions(errorText(), "A2W_MODE"));
  EXPECT_EQ(log->open, 0);
}

// --- getDriverName, getDriverVersion, getErrorMessage

TEST_F(DriverCoreTest, DriverNameIsTruncatedTo31Characters) {
  core.reset();
  auto backend = std::make_unique<FakeBackend>();
  log = backend->log();
  core = std::make_unique<DriverCore>(std::move(backend), DriverSettings{},
                                      DriverIdentity{std::string(40, 'N'), 7});
  char name[asio::kDriverNameBytes + 8];
  std::memset(name, '#', sizeof name);
  core->getDriverName(name);
  EXPECT_EQ(std::string(name), std::string(31, 'N'));
  EXPECT_EQ(name[32], '#');  // nothing written past the 32 bytes
  EXPECT_EQ(core->getDriverVersion(), 7);
  core->getDriverName(nullptr);  // no crash
}

TEST_F(DriverCoreTest, ErrorMessageIsEmptyAtFirstAndAtMost123Characters) {
  EXPECT_EQ(errorText(), "");
  core->getErrorMessage(nullptr);  // no crash
  fake->failOpen(Status::failure(asio::err::kHardwareMalfunction, std::string(300, 'e')));
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  char text[200];
  std::memset(text, '#', sizeof text);
  core->getErrorMessage(text);
  EXPECT_EQ(std::strlen(text), 123u);
  EXPECT_EQ(text[124], '#');
}

// --- getChannels

TEST_F(DriverCoreTest, GetChannelsCountsEachSideAndZeroForAnAbsentOne) {
  FakeDeviceConfig config;
  config.outputChannels = 8;
  config.inputChannels = 0;
  make(config);
  initOk();
  std::int32_t in = -1, out = -1;
  ASSERT_EQ(core->getChannels(&in, &out), asio::err::kOk);
  EXPECT_EQ(in, 0);
  EXPECT_EQ(out, 8);
}

// --- getBufferSize

TEST_F(DriverCoreTest, GetBufferSizeReportsTheEntryOfTheCurrentRate) {
  FakeDeviceConfig config;
  config.bufferSizes = {{32, 1024, 128, -1}, {48, 1536, 192, 48}, {96, 3072, 384, 0}};
  make(config);
  initOk();
  std::int32_t mn, mx, pref, gran;
  ASSERT_EQ(core->getBufferSize(&mn, &mx, &pref, &gran), asio::err::kOk);  // 48000 Hz
  EXPECT_EQ(mn, 48);
  EXPECT_EQ(mx, 1536);
  EXPECT_EQ(pref, 192);
  EXPECT_EQ(gran, 48);
  ASSERT_EQ(core->setSampleRate(44100), asio::err::kOk);
  ASSERT_EQ(core->getBufferSize(&mn, &mx, &pref, &gran), asio::err::kOk);
  EXPECT_EQ(pref, 128);
  EXPECT_EQ(gran, -1);
}

TEST_F(DriverCoreTest, ConfiguredBufferFramesBecomePreferredWhenOffered) {
  DriverSettings s;
  s.bufferFrames = 512;
  make({}, s);
  initOk();
  std::int32_t mn, mx, pref, gran;
  ASSERT_EQ(core->getBufferSize(&mn, &mx, &pref, &gran), asio::err::kOk);
  EXPECT_EQ(pref, 512);

  s.bufferFrames = 500;  // not a power of two: ignored
  make({}, s);
  initOk();
  ASSERT_EQ(core->getBufferSize(&mn, &mx, &pref, &gran), asio::err::kOk);
  EXPECT_EQ(pref, 256);
}

// --- canSampleRate, getSampleRate, setSampleRate

TEST_F(DriverCoreTest, CanSampleRateAcceptsOfferedRatesWithTolerance) {
  initOk();
  EXPECT_EQ(core->canSampleRate(44100), asio::err::kOk);
  EXPECT_EQ(core->canSampleRate(44100.0000001), asio::err::kOk);
  EXPECT_EQ(core->canSampleRate(96000), asio::err::kOk);
  EXPECT_EQ(core->canSampleRate(192000), asio::err::kNoClock);
  EXPECT_TRUE(mentions(errorText(), "192000 Hz"));
  EXPECT_EQ(core->canSampleRate(std::nan("")), asio::err::kNoClock);
  EXPECT_EQ(core->canSampleRate(-48000), asio::err::kNoClock);
}

TEST_F(DriverCoreTest, SetSampleRateInInitialisedJustSetsIt) {
  initOk();
  ASSERT_EQ(core->setSampleRate(44100.00001), asio::err::kOk);
  double rate = 0;
  ASSERT_EQ(core->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 44100);  // the device's own value
  auto infos = channels(1, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  EXPECT_EQ(log->lastRequest.sampleRate, 44100);
}

TEST_F(DriverCoreTest, SetSampleRateRejectsWhatTheDeviceCannotDo) {
  initOk();
  EXPECT_EQ(core->setSampleRate(0), asio::err::kNoClock);
  EXPECT_TRUE(mentions(errorText(), "external clock"));
  EXPECT_EQ(core->setSampleRate(-44100), asio::err::kInvalidParameter);
  EXPECT_TRUE(mentions(errorText(), "-44100"));
  EXPECT_EQ(core->setSampleRate(std::nan("")), asio::err::kInvalidParameter);
  EXPECT_EQ(core->setSampleRate(INFINITY), asio::err::kInvalidParameter);
  EXPECT_EQ(core->setSampleRate(12345), asio::err::kNoClock);
  EXPECT_TRUE(mentions(errorText(), "12345 Hz"));
  EXPECT_TRUE(mentions(errorText(), "44100, 48000 and 96000 Hz"));
  double rate = 0;
  ASSERT_EQ(core->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 48000);  // unchanged
}

// --- getClockSources, setClockSource

TEST_F(DriverCoreTest, OneInternalClock) {
  asio::ClockSource clocks[4];
  std::memset(clocks, 0x55, sizeof clocks);
  std::int32_t count = 4;
  ASSERT_EQ(core->getClockSources(clocks, &count), asio::err::kOk);
  EXPECT_EQ(count, 1);
  EXPECT_EQ(clocks[0].index, 0);
  EXPECT_EQ(clocks[0].isCurrentSource, asio::kTrue);
  EXPECT_STREQ(clocks[0].name, "Internal");
  EXPECT_EQ(clocks[1].index, 0x55555555);  // only the first entry written
  EXPECT_EQ(core->setClockSource(0), asio::err::kOk);
}

// --- getChannelInfo

TEST_F(DriverCoreTest, ChannelInfoHasNamesTypeAndActivity) {
  FakeDeviceConfig config;
  config.outputNames = {"Front Left", "Front Right"};
  config.inputNames = {"Microphone with a very long name that goes on", "Line"};
  make(config);
  initOk();
  asio::ChannelInfo info{};
  info.channel = 1;
  info.isInput = asio::kFalse;
  ASSERT_EQ(core->getChannelInfo(&info), asio::err::kOk);
  EXPECT_STREQ(info.name, "Front Right");
  EXPECT_EQ(info.type, asio::SampleType::Float32LSB);
  EXPECT_EQ(info.channelGroup, 0);
  EXPECT_EQ(info.isActive, asio::kFalse);
  EXPECT_EQ(info.channel, 1);  // inputs untouched
  EXPECT_EQ(info.isInput, asio::kFalse);

  info.channel = 0;
  info.isInput = asio::kTrue;
  ASSERT_EQ(core->getChannelInfo(&info), asio::err::kOk);
  EXPECT_EQ(std::string(info.name), std::string("Microphone with a very long name that goes on").substr(0, 31));

  std::vector<asio::BufferInfo> infos{{asio::kTrue, 0, {nullptr, nullptr}}};
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  ASSERT_EQ(core->getChannelInfo(&info), asio::err::kOk);
  EXPECT_EQ(info.isActive, asio::kTrue);
  info.channel = 1;
  ASSERT_EQ(core->getChannelInfo(&info), asio::err::kOk);
  EXPECT_EQ(info.isActive, asio::kFalse);
  info.isInput = asio::kFalse;
  info.channel = 0;
  ASSERT_EQ(core->getChannelInfo(&info), asio::err::kOk);
  EXPECT_EQ(info.isActive, asio::kFalse);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  info.isInput = asio::kTrue;
  ASSERT_EQ(core->getChannelInfo(&info), asio::err::kOk);
  EXPECT_EQ(info.isActive, asio::kFalse);  // no buffers any more
}

TEST_F(DriverCoreTest, ChannelInfoNamesAnUnnamedChannel) {
  FakeDeviceConfig config;
  config.outputNames = {"", ""};
  make(config);
  initOk();
  asio::ChannelInfo info{};
  info.channel = 1;
  ASSERT_EQ(core->getChannelInfo(&info), asio::err::kOk);
  EXPECT_STREQ(info.name, "Out 2");
}

// --- getLatencies

TEST_F(DriverCoreTest, LatenciesBeforeCreateBuffersUseThePreferredSize) {
  FakeDeviceConfig config;
  config.renderExtraLatencyFrames = 100;
  make(config);
  initOk();
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  EXPECT_EQ(in, 256);
  EXPECT_EQ(out, 256);
}

TEST_F(DriverCoreTest, LatenciesAfterCreateBuffersAddTheDevicesExtra) {
  FakeDeviceConfig config;
  config.renderExtraLatencyFrames = 100;
  config.captureExtraLatencyFrames = 30;
  make(config);
  initOk();
  auto infos = channels(2, 2);
  ASSERT_EQ(create(infos, 128), asio::err::kOk);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  // Input: buffer + the FIFO's target (no resampler here) + the device's extra.
  EXPECT_EQ(in, 128 + core->stats().inputFifoTargetFrames + 30);
  EXPECT_EQ(out, 128 + 100);
}

TEST_F(DriverCoreTest, LatencyPartsAddUpToGetLatenciesAndKeepTheOsPartApart) {
  FakeDeviceConfig config;
  config.renderExtraLatencyFrames = 100;
  config.renderOsLatencyFrames = 64;
  config.captureExtraLatencyFrames = 30;
  config.captureOsLatencyFrames = 20;
  make(config);
  initOk();
  vendor::LatencyParts parts{};
  parts.structBytes = sizeof parts;
  EXPECT_EQ(core->future(vendor::kGetLatencyParts, &parts), asio::err::kNotPresent) << "no streams before createBuffers";
  auto infos = channels(2, 2);
  ASSERT_EQ(create(infos, 128), asio::err::kOk);
  ASSERT_EQ(core->future(vendor::kGetLatencyParts, &parts), asio::err::kSuccess);
  std::int32_t in = 0, out = 0;
  ASSERT_EQ(core->getLatencies(&in, &out), asio::err::kOk);
  EXPECT_EQ(parts.structBytes, static_cast<std::int32_t>(sizeof parts));
  EXPECT_EQ(parts.input.total, in);
  EXPECT_EQ(parts.output.total, out);
  EXPECT_EQ(parts.input.buffer, 128);
  EXPECT_EQ(parts.input.fifo, core->stats().inputFifoTargetFrames);
  EXPECT_EQ(parts.input.queue, 10);
  EXPECT_EQ(parts.input.os, 20);
  EXPECT_EQ(parts.output.buffer, 128);
  EXPECT_EQ(parts.output.fifo, 0);
  EXPECT_EQ(parts.output.queue, 36);
  EXPECT_EQ(parts.output.os, 64);
  for (const auto& side : {parts.input, parts.output}) {
    EXPECT_EQ(side.total, side.buffer + side.fifo + side.queue + side.os);
  }
}

TEST_F(DriverCoreTest, LatencyPartsRefuseANullPointerAndAnOldLayout) {
  make(FakeDeviceConfig{});
  initOk();
  auto infos = channels(2, 2);
  ASSERT_EQ(create(infos, 128), asio::err::kOk);
  EXPECT_EQ(core->future(vendor::kGetLatencyParts, nullptr), asio::err::kInvalidParameter);
  EXPECT_NE(errorText().find("null pointer"), std::string::npos) << errorText();
  vendor::LatencyParts parts{};
  parts.structBytes = 12;
  parts.input.total = -7;
  EXPECT_EQ(core->future(vendor::kGetLatencyParts, &parts), asio::err::kInvalidParameter);
  EXPECT_NE(errorText().find("structBytes is 12, expected 44"), std::string::npos) << errorText();
  EXPECT_EQ(parts.input.total, -7) << "nothing written past what the host said it has";
}

// --- controlPanel, future, outputReady

TEST_F(DriverCoreTest, ControlPanelIsOk) { EXPECT_EQ(core->controlPanel(), asio::err::kOk); }

TEST_F(DriverCoreTest, FutureAnswersWhatWeSupport) {
  EXPECT_EQ(core->future(asio::fut::kCanTimeInfo, nullptr), asio::err::kSuccess);
  EXPECT_EQ(core->future(asio::fut::kCanReportOverload, nullptr), asio::err::kSuccess);
  asio::InternalBufferSamples samples{-1, -1};
  EXPECT_EQ(core->future(asio::fut::kGetInternalBufferSamples, &samples), asio::err::kSuccess);
  EXPECT_EQ(samples.inputSamples, 0);
  EXPECT_EQ(samples.outputSamples, 0);
  for (std::int32_t selector :
       {asio::fut::kCanTimeCode, asio::fut::kEnableTimeCodeRead, asio::fut::kDisableTimeCodeRead,
        asio::fut::kSetInputMonitor, asio::fut::kTransport, asio::fut::kSetInputGain, asio::fut::kGetInputMeter,
        asio::fut::kSetOutputGain, asio::fut::kGetOutputMeter, asio::fut::kCanInputMonitor,
        asio::fut::kCanTransport, asio::fut::kCanInputGain, asio::fut::kCanInputMeter, asio::fut::kCanOutputGain,
        asio::fut::kCanOutputMeter, asio::fut::kCanDoIoFormat, asio::fut::kGetIoFormat, asio::fut::kSetIoFormat}) {
    EXPECT_EQ(core->future(selector, nullptr), asio::err::kNotPresent) << selector;
  }
  EXPECT_EQ(errorText(), "");  // "not present" is an answer, not a failure
}

TEST_F(DriverCoreTest, VendorStreamStatusSaysWhatRuns) {
  char text[vendor::kStreamStatusBytes];
  EXPECT_EQ(core->future(vendor::kGetStreamStatus, text), asio::err::kNotPresent);  // nothing open yet
  initOk();
  EXPECT_EQ(core->future(vendor::kGetStreamStatus, text), asio::err::kNotPresent);
  auto infos = channels(2, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  EXPECT_EQ(core->future(vendor::kGetStreamStatus, nullptr), asio::err::kInvalidParameter);
  EXPECT_NE(errorText().find("null"), std::string::npos);
  std::memset(text, 'x', sizeof text);
  ASSERT_EQ(core->future(vendor::kGetStreamStatus, text), asio::err::kSuccess);
  EXPECT_STREQ(text, "fake 256 frames");  // the backend's own description
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  EXPECT_EQ(core->future(vendor::kGetStreamStatus, text), asio::err::kNotPresent);
}

TEST_F(DriverCoreTest, OutputReadyIsOkWithBuffersAndCounted) {
  initOk();
  auto infos = channels(2, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  EXPECT_EQ(core->outputReady(), asio::err::kOk);
  ASSERT_EQ(core->start(), asio::err::kOk);
  host.onSwitch = [&](std::int32_t) { EXPECT_EQ(core->outputReady(), asio::err::kOk); };
  fake->tick(3);
  EXPECT_EQ(core->stats().outputReadyCalls, 4u);
  // The output still reaches the device exactly (outputReady changes nothing).
  EXPECT_EQ(fake->renderedFloat(0, 700), patternAsFloat(RecordingHost::outputValue(0, 700)));
}

// --- start, stop, disposeBuffers

TEST_F(DriverCoreTest, StopWhenPreparedIsHarmless) {
  initOk();
  auto infos = channels(2, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  EXPECT_EQ(core->stop(), asio::err::kOk);
  EXPECT_EQ(core->state(), DriverState::Prepared);
  EXPECT_EQ(log->stop, 0);
}

TEST_F(DriverCoreTest, DisposeWhileRunningStopsFirst) {
  auto infos = channels(2, 0);
  runningWith(infos);
  fake->tick(1);
  EXPECT_EQ(core->disposeBuffers(), asio::err::kOk);
  EXPECT_EQ(core->state(), DriverState::Initialised);
  EXPECT_EQ(log->stop, 1);
  EXPECT_EQ(log->unprepare, 1);
  EXPECT_FALSE(fake->isStarted());
  EXPECT_EQ(fake->tick(1), 0);  // no more periods
}

TEST_F(DriverCoreTest, StartAfterStopRestartsAtPositionZeroAndIndexZero) {
  auto infos = channels(2, 0);
  runningWith(infos, 64);
  fake->tick(3);
  ASSERT_EQ(core->stop(), asio::err::kOk);
  host.switches.clear();
  ASSERT_EQ(core->start(), asio::err::kOk);
  fake->tick(1);
  ASSERT_EQ(host.switches.size(), 1u);
  EXPECT_EQ(host.switches[0].index, 0);
  EXPECT_EQ(asio::fromSplit64(host.switches[0].time.timeInfo.samplePosition), 0u);
}

TEST_F(DriverCoreTest, StartFailureLeavesThePreparedStateAndTheMessage) {
  initOk();
  auto infos = channels(2, 0);
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  fake->failStart(Status::failure(asio::err::kHardwareMalfunction, "the device refused to start"));
  EXPECT_EQ(core->start(), asio::err::kHardwareMalfunction);
  EXPECT_EQ(core->state(), DriverState::Prepared);
  EXPECT_TRUE(mentions(errorText(), "refused to start"));
  fake->failStart(std::nullopt);
  EXPECT_EQ(core->start(), asio::err::kOk);
}

}  // namespace
}  // namespace a2w::test
