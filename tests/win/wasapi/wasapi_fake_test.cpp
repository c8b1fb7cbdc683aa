// The real WasapiBackend code on the fake Core Audio: the exclusive paths
// Wine cannot exercise (exclusive event mode, alignment, format choice), the
// Auto fallback chain, and the audio thread's data path and failure path.
#include <gtest/gtest.h>

#include <windows.h>
#include <mmreg.h>
#include <ks.h>
#include <ksmedia.h>
#include <mmsystem.h>

#include <algorithm>
#include <chrono>

#include "core/buffer_size_rules.h"
#include "fake_wasapi.h"
#include "test_support.h"
#include "wasapi/hresult_name.h"
#include "wasapi/wasapi_backend.h"
#include "wasapi/wave_format.h"

namespace a2w::fake {
namespace {

using testing::RecordingHandler;
using testing::waitFor;
using wasapi::WasapiBackend;

constexpr DeviceSampleFormat kAllFormats[] = {DeviceSampleFormat::Float32, DeviceSampleFormat::Int32,
                                              DeviceSampleFormat::Int24In32, DeviceSampleFormat::Int24Packed,
                                              DeviceSampleFormat::Int16};

FakeEndpointConfig stereoDevice(std::vector<DeviceSampleFormat> formats = {std::begin(kAllFormats),
                                                                           std::end(kAllFormats)}) {
  FakeEndpointConfig c;
  c.mix = mixFormat(48000, 2, KSAUDIO_SPEAKER_STEREO);
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    for (auto f : formats) c.exclusiveFormats.push_back({f, rate, 2});
  }
  return c;
}

DriverSettings settingsFor(StreamMode mode) {
  DriverSettings s;
  s.mode = mode;
  return s;
}

bool contains(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

class FakeBackendTest : public ::testing::Test {
 protected:
  void useDevice(FakeEndpointConfig config) {
    ep_ = std::make_shared<FakeEndpoint>(std::move(config));
    backend_ = std::make_unique<WasapiBackend>(fakeEnumeratorFactory({ep_}));
  }
  void openAndPrepare(StreamMode mode, double rate, std::int32_t frames) {
    ASSERT_TRUE(backend_->open(settingsFor(mode), &description_).ok());
    const Status s = backend_->prepare({rate, frames, true, false}, &info_);
    ASSERT_TRUE(s.ok()) << s.message << "\n" << joined(backend_->decisions());
  }
  void TearDown() override {
    if (backend_) backend_->close();
  }

  wasapi::ComInit com_;
  std::shared_ptr<FakeEndpoint> ep_;
  std::unique_ptr<WasapiBackend> backend_;
  DeviceDescription description_;
  StreamInfo info_;
};

TEST_F(FakeBackendTest, ExclusiveEventInitialisesWithPeriodEqualToAsioBuffer) {
  useDevice(stereoDevice());
  openAndPrepare(StreamMode::ExclusiveEvent, 48000, 256);
  const auto calls = ep_->initializeCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].mode, AUDCLNT_SHAREMODE_EXCLUSIVE);
  EXPECT_TRUE(calls[0].flags & AUDCLNT_STREAMFLAGS_EVENTCALLBACK);
  EXPECT_EQ(calls[0].period, wasapi::refTimeFromFrames(256, 48000));
  EXPECT_EQ(calls[0].buffer, calls[0].period);
  EXPECT_EQ(info_.mode, StreamMode::ExclusiveEvent);
  EXPECT_EQ(info_.bufferFrames, 256);
  EXPECT_TRUE(info_.render.active);
  EXPECT_EQ(info_.render.channels, 2);
}

TEST_F(FakeBackendTest, DescriptionOffersExclusiveRatesAndPeriods) {
  useDevice(stereoDevice());
  ASSERT_TRUE(backend_->open(settingsFor(StreamMode::ExclusiveEvent), &description_).ok());
  EXPECT_EQ(description_.sampleRates, (std::vector<double>{44100, 48000, 96000}));
  EXPECT_EQ(description_.defaultSampleRate, 48000);
  ASSERT_EQ(description_.bufferSizes.size(), 3u);
  EXPECT_EQ(description_.bufferSizes[1].minimum, 144);    // 3 ms at 48 kHz
  EXPECT_EQ(description_.bufferSizes[1].preferred, 480);  // 10 ms
  EXPECT_EQ(description_.bufferSizes[2].minimum, 288);
  EXPECT_TRUE(description_.render.present);
  EXPECT_EQ(description_.render.endpointName, "Fake Speakers");
  EXPECT_EQ(description_.render.channelNames, (std::vector<std::string>{"Front Left", "Front Right"}));
}

TEST_F(FakeBackendTest, UnalignedPeriodIsRetriedOnAFreshClientWithTheAlignedPeriod) {
  auto config = stereoDevice();
  config.alignmentFrames = 128;
  useDevice(config);
  ASSERT_TRUE(backend_->open(settingsFor(StreamMode::ExclusiveEvent), &description_).ok());
  const int activationsBefore = ep_->activations();
  ASSERT_TRUE(backend_->prepare({48000, 200, true, false}, &info_).ok()) << joined(backend_->decisions());
  const auto calls = ep_->initializeCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].result, AUDCLNT_E_BUFFER_SIZE_NOT_ALIGNED);
  EXPECT_EQ(calls[1].result, S_OK);
  EXPECT_EQ(calls[1].period, wasapi::refTimeFromFrames(256, 48000));
  EXPECT_EQ(calls[1].buffer, calls[1].period);
  EXPECT_EQ(ep_->activations() - activationsBefore, 2);  // the first client, then a fresh one
  EXPECT_EQ(info_.bufferFrames, 256);
  EXPECT_TRUE(contains(backend_->decisions(), "aligns to 256")) << joined(backend_->decisions());
}

class FormatFallback : public FakeBackendTest, public ::testing::WithParamInterface<int> {};

TEST_P(FormatFallback, PicksTheBestFormatTheDeviceAccepts) {
  const int dropped = GetParam();
  std::vector<DeviceSampleFormat> accepted(std::begin(kAllFormats) + dropped, std::end(kAllFormats));
  useDevice(stereoDevice(accepted));
  openAndPrepare(StreamMode::ExclusiveEvent, 48000, 480);
  EXPECT_EQ(info_.render.format, accepted.front());
  const auto calls = ep_->initializeCalls();
  ASSERT_FALSE(calls.empty());
  const auto& f = calls.back().format;
  EXPECT_EQ(wasapi::deviceFormatOf(f.Format), accepted.front());
  EXPECT_EQ(f.Format.wFormatTag, WAVE_FORMAT_EXTENSIBLE);
  EXPECT_EQ(f.Format.wBitsPerSample, 8 * bytesPerSample(accepted.front()));
  EXPECT_EQ(f.Samples.wValidBitsPerSample, accepted.front() == DeviceSampleFormat::Int24In32 ? 24 : f.Format.wBitsPerSample);
  // Tried in order: every better format was asked about before.
  const auto queries = ep_->exclusiveQueries();
  ASSERT_GE(queries.size(), static_cast<std::size_t>(dropped + 1));
}

INSTANTIATE_TEST_SUITE_P(Float32ToInt16, FormatFallback, ::testing::Values(0, 1, 2, 3, 4));

TEST_F(FakeBackendTest, ExclusiveFormatsCarryTheMixChannelMask) {
  FakeEndpointConfig config;
  config.mix = mixFormat(48000, 6, KSAUDIO_SPEAKER_5POINT1_SURROUND);  // side speakers, not back
  config.exclusiveFormats.push_back({DeviceSampleFormat::Int24In32, 48000, 6});
  useDevice(config);
  openAndPrepare(StreamMode::ExclusiveEvent, 48000, 480);
  EXPECT_EQ(ep_->initializeCalls().back().format.dwChannelMask, static_cast<DWORD>(KSAUDIO_SPEAKER_5POINT1_SURROUND));
  for (const auto& q : ep_->exclusiveQueries()) {
    EXPECT_EQ(q.dwChannelMask, static_cast<DWORD>(KSAUDIO_SPEAKER_5POINT1_SURROUND));
  }
  EXPECT_EQ(description_.render.channelNames,
            (std::vector<std::string>{"Front Left", "Front Right", "Front Center", "LFE", "Side Left", "Side Right"}));
}

TEST_F(FakeBackendTest, MixWithoutMaskGetsTheStandardMaskForItsChannelCount) {
  FakeEndpointConfig config;
  config.mix = mixFormat(44100, 8, 0);
  config.exclusiveFormats.push_back({DeviceSampleFormat::Int16, 44100, 8});
  useDevice(config);
  openAndPrepare(StreamMode::ExclusiveEvent, 44100, 441);
  EXPECT_EQ(ep_->initializeCalls().back().format.dwChannelMask, static_cast<DWORD>(KSAUDIO_SPEAKER_7POINT1_SURROUND));
  EXPECT_EQ(description_.render.channelNames.size(), 8u);
  EXPECT_EQ(description_.render.channelNames[3], "LFE");
}

TEST_F(FakeBackendTest, HostOutputIsWrittenStraightIntoTheWasapiBuffer) {
  useDevice(stereoDevice({DeviceSampleFormat::Float32}));
  openAndPrepare(StreamMode::ExclusiveEvent, 48000, 256);
  RecordingHandler handler;
  handler.writePattern(8);
  ASSERT_TRUE(backend_->start(&handler).ok());
  EXPECT_TRUE(ep_->started());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ep_->consumePeriod()) << "period " << i;
  backend_->stop();

  const std::size_t periodBytes = 256 * 8;
  const auto written = ep_->written();
  ASSERT_EQ(written.size(), 4 * periodBytes);  // the silent pre-fill, then three periods
  EXPECT_TRUE(std::all_of(written.begin(), written.begin() + periodBytes, [](auto b) { return b == 0; }));
  for (std::size_t p = 0; p < 3; ++p) {
    for (std::size_t i = 0; i < periodBytes; i += 97) {
      ASSERT_EQ(written[(p + 1) * periodBytes + i], RecordingHandler::patternByte(p, i)) << p << "/" << i;
    }
  }
  const auto pointers = handler.renderPointers();
  ASSERT_EQ(pointers.size(), 3u);
  for (const auto* ptr : pointers) EXPECT_EQ(reinterpret_cast<const BYTE*>(ptr), ep_->bufferPointer());
  for (auto f : handler.frames()) EXPECT_EQ(f, 256);
  const auto times = handler.times();
  EXPECT_GT(times[0], 0u);
  EXPECT_LE(times[0], times[1]);
  EXPECT_LE(times[1], times[2]);
}

TEST_F(FakeBackendTest, SystemTimeIsOnTheTimeGetTimeBase) {
  useDevice(stereoDevice());
  openAndPrepare(StreamMode::ExclusiveEvent, 48000, 256);
  RecordingHandler handler;
  ASSERT_TRUE(backend_->start(&handler).ok());
  const std::uint64_t before = static_cast<std::uint64_t>(timeGetTime()) * 1'000'000;
  ASSERT_TRUE(ep_->consumePeriod());
  const std::uint64_t after = static_cast<std::uint64_t>(timeGetTime()) * 1'000'000;
  backend_->stop();
  const std::uint64_t t = handler.times().at(0);
  // timeGetTime ticks in whole milliseconds: allow a couple of them either side.
  EXPECT_GE(t + 3'000'000, before);
  EXPECT_LE(t, after + 3'000'000);
}

TEST_F(FakeBackendTest, StopReturnsPromptlyAndNoPeriodFollowsIt) {
  useDevice(stereoDevice());
  openAndPrepare(StreamMode::ExclusiveEvent, 48000, 256);
  RecordingHandler handler;
  ASSERT_TRUE(backend_->start(&handler).ok());
  ASSERT_TRUE(ep_->consumePeriod());
  const auto t0 = std::chrono::steady_clock::now();
  backend_->stop();
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, std::chrono::milliseconds(500));
  EXPECT_FALSE(ep_->started());
  const auto periods = handler.periods();
  ep_->signal();
  EXPECT_FALSE(ep_->consumePeriod(std::chrono::milliseconds(100)));
  EXPECT_EQ(handler.periods(), periods);
  backend_->stop();  // idempotent
}

TEST_F(FakeBackendTest, StartsAgainAfterStop) {
  useDevice(stereoDevice());
  openAndPrepare(StreamMode::ExclusiveEvent, 48000, 256);
  RecordingHandler handler;
  ASSERT_TRUE(backend_->start(&handler).ok());
  ASSERT_TRUE(ep_->consumePeriod());
  backend_->stop();
  ASSERT_TRUE(backend_->start(&handler).ok());
  ASSERT_TRUE(ep_->consumePeriod());
  backend_->stop();
  EXPECT_EQ(handler.periods(), 2u);
}

TEST_F(FakeBackendTest, AutoFallsBackInOrderAndRecordsWhy) {
  auto config = stereoDevice();
  config.exclusiveRefusal = AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED;  // what Wine's winepulse says
  useDevice(config);
  openAndPrepare(StreamMode::Auto, 48000, 480);
  EXPECT_EQ(backend_->describedMode(), StreamMode::SharedEvent);
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
  const auto d = backend_->decisions();
  ASSERT_GE(d.size(), 3u) << joined(d);
  EXPECT_EQ(d[0], "exclusive-event refused: AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED (0x8889000E)");
  EXPECT_EQ(d[1], "exclusive-poll refused: AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED (0x8889000E)");
  EXPECT_TRUE(contains(d, "GetSharedModeEnginePeriod: E_NOTIMPL (0x80004001)")) << joined(d);
  EXPECT_TRUE(contains(d, "shared-event chosen: float32 2ch 48000 Hz")) << joined(d);
  // The exclusive attempts came first, then shared.
  const auto calls = ep_->initializeCalls();
  ASSERT_GE(calls.size(), 3u);
  EXPECT_EQ(calls[0].mode, AUDCLNT_SHAREMODE_EXCLUSIVE);
  EXPECT_TRUE(calls[0].flags & AUDCLNT_STREAMFLAGS_EVENTCALLBACK);
  EXPECT_EQ(calls[1].mode, AUDCLNT_SHAREMODE_EXCLUSIVE);
  EXPECT_FALSE(calls[1].flags & AUDCLNT_STREAMFLAGS_EVENTCALLBACK);
  EXPECT_EQ(calls[2].mode, AUDCLNT_SHAREMODE_SHARED);
}

TEST_F(FakeBackendTest, AutoTakesExclusivePollWhenOnlyTheEventIsRefused) {
  auto config = stereoDevice();
  config.exclusiveEventRefusal = AUDCLNT_E_DEVICE_IN_USE;  // what winealsa says
  useDevice(config);
  openAndPrepare(StreamMode::Auto, 48000, 256);
  EXPECT_EQ(info_.mode, StreamMode::ExclusivePoll);
  EXPECT_EQ(info_.bufferFrames, 256);
  EXPECT_EQ(backend_->decisions().at(0), "exclusive-event refused: AUDCLNT_E_DEVICE_IN_USE (0x8889000A)");

  RecordingHandler handler;
  handler.writePattern(8);
  ASSERT_TRUE(backend_->start(&handler).ok());
  // The timer tops the buffer up; each consumed period makes room for one more.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ep_->consumePeriod()) << "period " << i;
  backend_->stop();
  EXPECT_GE(handler.periods(), 3u);
  for (auto f : handler.frames()) EXPECT_EQ(f, 256);
}

TEST_F(FakeBackendTest, SharedEventCutsAsioPeriodsFromTheEngineBuffer) {
  useDevice(stereoDevice());
  openAndPrepare(StreamMode::SharedEvent, 48000, 480);
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
  EXPECT_EQ(info_.bufferFrames, 480);
  // The queue at start is the smallest shared buffer, the ASIO buffer plus
  // an engine period; up to (queue - 480) frames are queued ahead of the
  // period we write, one period of which the core counts: the rest is the
  // backend's extra. The buffer itself has room for the safety margin
  // (100 ms by default) above it.
  EXPECT_GE(ep_->smallestSharedBufferFrames(), 960u);
  EXPECT_GE(ep_->bufferFrames(), ep_->smallestSharedBufferFrames() + 4800);
  EXPECT_EQ(info_.render.extraLatencyFrames, static_cast<std::int32_t>(ep_->smallestSharedBufferFrames()) - 2 * 480);
  RecordingHandler handler;
  handler.expectPeriods(3);
  ASSERT_TRUE(backend_->start(&handler).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ep_->consumePeriod()) << "period " << i;
  EXPECT_TRUE(waitFor(handler.periodsReached(), 2000));
  backend_->stop();
}

// A host buffer that is not the engine period (512 under 480): the stream
// still writes engine periods (what the engine takes a pass), says so in
// render.packetFrames so that the core plays the host's buffers across
// them, and counts its queue against that period.
TEST_F(FakeBackendTest, SharedEventWritesEnginePeriodsUnderAnyHostBuffer) {
  for (std::int32_t host : {32, 64, 512, 1000, 4096}) {
    SCOPED_TRACE(host);
    useDevice(stereoDevice());
    openAndPrepare(StreamMode::SharedEvent, 48000, host);
    EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
    EXPECT_EQ(info_.bufferFrames, host);
    EXPECT_EQ(info_.render.packetFrames, 480);
    EXPECT_EQ(info_.render.deviceSampleRate, 48000.0);
    EXPECT_EQ(info_.render.extraLatencyFrames, static_cast<std::int32_t>(ep_->smallestSharedBufferFrames()) - 2 * 480);
    EXPECT_TRUE(info_.description.find("written in engine periods of 480 frames") != std::string::npos)
        << info_.description;
    RecordingHandler handler;
    handler.expectPeriods(3);
    ASSERT_TRUE(backend_->start(&handler).ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(ep_->consumePeriod()) << "period " << i;
    EXPECT_TRUE(waitFor(handler.periodsReached(), 2000));
    backend_->stop();
    for (auto f : handler.frames()) EXPECT_EQ(f, 480);
    backend_->unprepare();
    backend_->close();
  }
}

TEST_F(FakeBackendTest, SharedFallsBackToPlainInitializeWhenTheLowLatencyStreamFails) {
  auto config = stereoDevice();
  config.enginePeriodResult = S_OK;  // engine period known, InitializeSharedAudioStream E_NOTIMPL
  useDevice(config);
  ASSERT_TRUE(backend_->open(settingsFor(StreamMode::SharedEvent), &description_).ok());
  const BufferSizeOptions* at48k = bufferSizesAtRate(description_, 48000);
  ASSERT_NE(at48k, nullptr);
  // Shared mode offers every size from 32 (the core plays the host's
  // buffers across engine periods): IAudioClient3's minimum engine period
  // (144) no longer bounds it.
  EXPECT_EQ(at48k->minimum, 32);
  EXPECT_EQ(at48k->granularity, 1);
  const int activationsBefore = ep_->activations();
  ASSERT_TRUE(backend_->prepare({48000, 480, true, false}, &info_).ok()) << joined(backend_->decisions());
  // A fresh client after the failed attempt, and one more after the probe
  // of the smallest buffer (the real one has room for the safety margin).
  EXPECT_EQ(ep_->activations() - activationsBefore, 3);
  EXPECT_TRUE(contains(backend_->decisions(), "InitializeSharedAudioStream: E_NOTIMPL (0x80004001)"))
      << joined(backend_->decisions());
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
}

TEST_F(FakeBackendTest, StreamLatencyIsReportedInFrames) {
  auto config = stereoDevice();
  config.streamLatency = 20000;  // 2 ms
  useDevice(config);
  openAndPrepare(StreamMode::ExclusiveEvent, 48000, 256);
  EXPECT_EQ(info_.render.extraLatencyFrames, 96);
}

TEST_F(FakeBackendTest, DeviceInvalidatedInTheLoopReportsLost) {
  auto config = stereoDevice();
  config.getBufferFailure = AUDCLNT_E_DEVICE_INVALIDATED;
  config.getBufferFailAfter = 2;  // the pre-fill and one period succeed
  useDevice(config);
  openAndPrepare(StreamMode::ExclusiveEvent, 48000, 256);
  RecordingHandler handler;
  ASSERT_TRUE(backend_->start(&handler).ok());
  ASSERT_TRUE(ep_->consumePeriod());
  ep_->signal();
  ASSERT_TRUE(waitFor(handler.deviceEventArrived(), 2000));
  EXPECT_EQ(handler.deviceEvents(), (std::vector<DeviceEvent>{DeviceEvent::Lost}));
  EXPECT_EQ(backend_->lastStreamError(), AUDCLNT_E_DEVICE_INVALIDATED);
  EXPECT_EQ(handler.periods(), 1u);
  backend_->stop();
}

TEST_F(FakeBackendTest, ExplicitExclusiveModeFailsWithTheReason) {
  auto config = stereoDevice();
  config.exclusiveRefusal = AUDCLNT_E_DEVICE_IN_USE;
  useDevice(config);
  ASSERT_TRUE(backend_->open(settingsFor(StreamMode::ExclusiveEvent), &description_).ok());
  const Status s = backend_->prepare({48000, 256, true, false}, &info_);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message.find("AUDCLNT_E_DEVICE_IN_USE (0x8889000A)"), std::string::npos) << s.message;
}

class FakeEndpointChoice : public ::testing::Test {
 protected:
  FakeEndpointChoice() {
    auto a = stereoDevice();
    a.id = L"{0.0.0.00000000}.{aaaa}";
    a.name = L"Speakers";
    auto b = stereoDevice();
    b.id = L"{0.0.0.00000000}.{bbbb}";
    b.name = L"HDMI";
    b.mix = mixFormat(44100, 8, KSAUDIO_SPEAKER_7POINT1_SURROUND);
    b.exclusiveFormats = {{DeviceSampleFormat::Int16, 44100, 8}};
    backend_ = std::make_unique<WasapiBackend>(
        fakeEnumeratorFactory({std::make_shared<FakeEndpoint>(a), std::make_shared<FakeEndpoint>(b)}, 0));
  }
  Status openWith(const std::string& output) {
    DriverSettings s;
    s.outputDevice = output;
    s.mode = StreamMode::SharedEvent;
    return backend_->open(s, &description_);
  }
  wasapi::ComInit com_;
  std::unique_ptr<WasapiBackend> backend_;
  DeviceDescription description_;
};

TEST_F(FakeEndpointChoice, ListsEndpointsWithMixFormatsAndDefault) {
  const auto list = backend_->listEndpoints();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "Speakers");
  EXPECT_TRUE(list[0].isDefault);
  EXPECT_EQ(list[0].mixSampleRate, 48000);
  EXPECT_EQ(list[0].defaultPeriodFrames, 480);
  EXPECT_EQ(list[0].minimumPeriodFrames, 144);
  EXPECT_EQ(list[1].name, "HDMI");
  EXPECT_FALSE(list[1].isDefault);
  EXPECT_EQ(list[1].mixChannels, 8);
  EXPECT_EQ(list[1].id, "{0.0.0.00000000}.{bbbb}");
}

TEST_F(FakeEndpointChoice, OpensByDefaultNameCaseAndId) {
  ASSERT_TRUE(openWith("default").ok());
  EXPECT_EQ(description_.render.endpointName, "Speakers");
  ASSERT_TRUE(openWith("HDMI").ok());
  EXPECT_EQ(description_.render.endpointName, "HDMI");
  EXPECT_EQ(description_.render.channelNames.size(), 8u);
  ASSERT_TRUE(openWith("hdmi").ok());
  EXPECT_EQ(description_.render.endpointName, "HDMI");
  ASSERT_TRUE(openWith("{0.0.0.00000000}.{bbbb}").ok());
  EXPECT_EQ(description_.render.endpointName, "HDMI");
  // Shared mode offers the common rates (the core resamples to the mix
  // rate); HDMI's own 44.1 kHz mix rate is the default.
  EXPECT_EQ(description_.sampleRates, (std::vector<double>{44100, 48000, 88200, 96000, 176400, 192000}));
  EXPECT_EQ(description_.defaultSampleRate, 44100);
}

TEST_F(FakeEndpointChoice, UnknownNameListsTheAvailableOnes) {
  const Status s = openWith("Headphones");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message.find("\"Headphones\""), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("\"Speakers\", \"HDMI\""), std::string::npos) << s.message;
}

}  // namespace
}  // namespace a2w::fake
