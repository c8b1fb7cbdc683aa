// Shared mode at a host rate other than the mix rate: the render stream
// opens at the mix rate, reports StreamInfo::render.deviceSampleRate and
// hands the core periods of device frames (one engine period each), and the
// description offers the common rates 44.1k..192k whatever the mix rate.
// On the fake Core Audio, whose shared mode takes only the mix rate (as
// Windows 10/11 do), and on Wine's "Speakers" (48 kHz), where the engine
// takes 44.1 kHz itself and SharedModeResample::Always forces the path.
#include <gtest/gtest.h>

#include <windows.h>
#include <ks.h>
#include <ksmedia.h>

#include <algorithm>
#include <cmath>

#include "fake_wasapi.h"
#include "test_support.h"
#include "wasapi/wasapi_backend.h"

namespace a2w::fake {
namespace {

using testing::RecordingHandler;
using testing::waitFor;
using wasapi::WasapiBackend;

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

bool contains(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

// 48 kHz mix, 10 ms engine period; exclusive only at 48 kHz.
FakeEndpointConfig mix48k() {
  FakeEndpointConfig c;
  c.mix = mixFormat(48000, 2, KSAUDIO_SPEAKER_STEREO);
  c.exclusiveFormats.push_back({DeviceSampleFormat::Float32, 48000, 2});
  return c;
}

class SharedResampleTest : public ::testing::Test {
 protected:
  void useDevice(FakeEndpointConfig config) {
    ep_ = std::make_shared<FakeEndpoint>(std::move(config));
    backend_ = std::make_unique<WasapiBackend>(fakeEnumeratorFactory({ep_}));
  }
  void open(StreamMode mode, SharedModeResample resample = SharedModeResample::Auto) {
    DriverSettings s;
    s.mode = mode;
    s.sharedModeResample = resample;
    const Status st = backend_->open(s, &description_);
    ASSERT_TRUE(st.ok()) << st.message << "\n" << joined(backend_->decisions());
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

// The engine refuses 44.1 kHz: the stream opens at 48 kHz, says so, and
// the periods are 480 device frames (the engine period), as many as the
// WASAPI buffer has room for.
TEST_F(SharedResampleTest, RefusedRateOpensAtTheMixRateWithPeriodsOfDeviceFrames) {
  useDevice(mix48k());
  open(StreamMode::SharedEvent);
  const Status s = backend_->prepare({44100, 441, true, false}, &info_);
  ASSERT_TRUE(s.ok()) << s.message << "\n" << joined(backend_->decisions());
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
  EXPECT_EQ(info_.bufferFrames, 441);  // the host's buffer, for the core
  EXPECT_EQ(info_.render.deviceSampleRate, 48000.0);
  EXPECT_EQ(info_.render.packetFrames, 480);
  EXPECT_TRUE(contains(backend_->decisions(), "44100 Hz not taken")) << joined(backend_->decisions());
  EXPECT_NE(info_.description.find("resampled from 44100 Hz"), std::string::npos) << info_.description;
  const auto calls = ep_->initializeCalls();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().format.Format.nSamplesPerSec, 48000u);
  // Queued ahead of the engine period we write, beyond the one period the
  // core counts: the queue at start (the smallest buffer the engine gives;
  // the real one has room for the safety margin above it) less two engine
  // periods, in host frames.
  EXPECT_GT(ep_->bufferFrames(), ep_->smallestSharedBufferFrames());
  const double queued = std::max(0.0, static_cast<double>(ep_->smallestSharedBufferFrames()) - 2 * 480);
  EXPECT_EQ(info_.render.extraLatencyFrames, static_cast<std::int32_t>(std::ceil(queued * 44100 / 48000)));

  RecordingHandler handler;
  handler.writePattern(8);
  handler.expectPeriods(4);
  ASSERT_TRUE(backend_->start(&handler).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ep_->consumePeriod()) << "period " << i;
  EXPECT_TRUE(waitFor(handler.periodsReached(), 2000));
  backend_->stop();
  for (auto f : handler.frames()) EXPECT_EQ(f, 480);
  // Every byte written went out as whole 480-frame chunks.
  EXPECT_EQ(ep_->written().size() % (480 * 8), 0u);
}

// Shared mode offers the common rates whatever the engine takes, with
// buffer sizes scaled to each rate (10 ms: 441 at 44.1k, 960 at 96k).
TEST_F(SharedResampleTest, DescriptionOffersTheCommonRates) {
  useDevice(mix48k());
  open(StreamMode::SharedEvent);
  const std::vector<double> want = {44100, 48000, 88200, 96000, 176400, 192000};
  EXPECT_EQ(description_.sampleRates, want);
  ASSERT_EQ(description_.bufferSizes.size(), want.size());
  EXPECT_EQ(description_.bufferSizes[0].preferred, 441);
  EXPECT_EQ(description_.bufferSizes[1].preferred, 480);
  EXPECT_EQ(description_.bufferSizes[3].preferred, 960);
  EXPECT_EQ(description_.bufferSizes[5].preferred, 1920);
  EXPECT_EQ(description_.defaultSampleRate, 48000.0);
  // And a stream opens at each of them.
  for (std::size_t i = 0; i < want.size(); ++i) {
    const Status s = backend_->prepare({want[i], description_.bufferSizes[i].preferred, true, false}, &info_);
    ASSERT_TRUE(s.ok()) << want[i] << ": " << s.message;
    const bool mix = want[i] == 48000;
    EXPECT_EQ(info_.render.deviceSampleRate, mix ? 0.0 : 48000.0) << want[i];
    EXPECT_EQ(info_.render.packetFrames, mix ? 0 : 480) << want[i];
    backend_->unprepare();
  }
}

// A mix rate that is not one of the common ones is offered too.
TEST_F(SharedResampleTest, AnUnusualMixRateIsOfferedBesideTheCommonOnes) {
  auto config = mix48k();
  config.mix = mixFormat(32000, 2, KSAUDIO_SPEAKER_STEREO);
  useDevice(config);
  open(StreamMode::SharedEvent);
  const std::vector<double> want = {32000, 44100, 48000, 88200, 96000, 176400, 192000};
  EXPECT_EQ(description_.sampleRates, want);
}

// Exclusive modes never resample: only the rates the device takes.
TEST_F(SharedResampleTest, ExclusiveNeverResamples) {
  useDevice(mix48k());
  open(StreamMode::ExclusiveEvent);
  EXPECT_EQ(description_.sampleRates, std::vector<double>{48000});
  EXPECT_FALSE(backend_->prepare({44100, 441, true, false}, &info_).ok());
  ASSERT_TRUE(backend_->prepare({48000, 480, true, false}, &info_).ok());
  EXPECT_EQ(info_.render.packetFrames, 0);
  EXPECT_EQ(info_.render.deviceSampleRate, 0.0);
}

// An engine that takes 44.1 kHz exactly: Auto runs the stream at 44.1 kHz
// (no resampling, periods of one host buffer); Always still opens at the mix rate.
TEST_F(SharedResampleTest, AutoTakesAnAcceptedRateDirectlyAndAlwaysForcesTheMixRate) {
  auto config = mix48k();
  config.sharedRates = {44100};
  useDevice(config);
  open(StreamMode::SharedEvent, SharedModeResample::Auto);
  ASSERT_TRUE(backend_->prepare({44100, 441, true, false}, &info_).ok());
  EXPECT_EQ(info_.render.packetFrames, 0);
  EXPECT_EQ(ep_->initializeCalls().back().format.Format.nSamplesPerSec, 44100u);
  backend_->close();

  useDevice(config);
  open(StreamMode::SharedEvent, SharedModeResample::Always);
  ASSERT_TRUE(backend_->prepare({44100, 441, true, false}, &info_).ok());
  EXPECT_EQ(info_.render.deviceSampleRate, 48000.0);
  EXPECT_EQ(info_.render.packetFrames, 480);
  EXPECT_EQ(ep_->initializeCalls().back().format.Format.nSamplesPerSec, 48000u);
  EXPECT_TRUE(contains(backend_->decisions(), "resampled to the mix rate")) << joined(backend_->decisions());
  // At the mix rate itself Always changes nothing.
  backend_->unprepare();
  ASSERT_TRUE(backend_->prepare({48000, 480, true, false}, &info_).ok());
  EXPECT_EQ(info_.render.packetFrames, 0);
}

// Auto over a device that refuses exclusive mode ends in shared mode, at
// the mix rate for a 44.1 kHz host.
TEST_F(SharedResampleTest, AutoFallsBackToSharedAtTheMixRate) {
  auto config = mix48k();
  config.exclusiveRefusal = AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED;
  config.exclusiveFormatRefusal = AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED;
  useDevice(config);
  open(StreamMode::Auto);
  EXPECT_EQ(backend_->describedMode(), StreamMode::SharedEvent);
  EXPECT_NE(std::find(description_.sampleRates.begin(), description_.sampleRates.end(), 44100.0),
            description_.sampleRates.end());
  ASSERT_TRUE(backend_->prepare({44100, 256, true, false}, &info_).ok()) << joined(backend_->decisions());
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
  EXPECT_EQ(info_.render.deviceSampleRate, 48000.0);
  EXPECT_EQ(info_.bufferFrames, 256);
}

}  // namespace
}  // namespace a2w::fake

namespace a2w::wasapi {
namespace {

using testing::RecordingHandler;
using testing::waitFor;

// Wine's "Speakers" (48 kHz mix): a shared stream for a 44.1 kHz host,
// forced through the mix-rate path, delivers periods of device frames.
TEST(WineSharedResample, SpeakersAt44100ForcedToTheMixRateDeliversDevicePeriods) {
  ComInit com;
  WasapiBackend backend;
  const auto endpoints = backend.listEndpoints();
  const auto speakers = std::find_if(endpoints.begin(), endpoints.end(),
                                     [](const EndpointInfo& e) { return e.name == "Speakers"; });
  if (speakers == endpoints.end()) GTEST_SKIP() << "no \"Speakers\" endpoint: not inside scripts/wine-world.sh";
  DriverSettings s;
  s.outputDevice = "Speakers";
  s.mode = StreamMode::SharedEvent;
  s.sharedModeResample = SharedModeResample::Always;
  DeviceDescription description;
  ASSERT_TRUE(backend.open(s, &description).ok());
  EXPECT_NE(std::find(description.sampleRates.begin(), description.sampleRates.end(), 44100.0),
            description.sampleRates.end());
  StreamInfo info;
  const Status p = backend.prepare({44100, 441, true, false}, &info);
  std::string decisions;
  for (const auto& d : backend.decisions()) decisions += d + "\n";
  ASSERT_TRUE(p.ok()) << p.message << "\n" << decisions;
  std::printf("  %s\n  extra latency %d host frames\n", info.description.c_str(), info.render.extraLatencyFrames);
  EXPECT_EQ(info.render.deviceSampleRate, speakers->mixSampleRate);
  ASSERT_GT(info.render.packetFrames, 0);
  EXPECT_EQ(info.bufferFrames, 441);
  RecordingHandler handler;
  handler.writePattern(8);
  handler.expectPeriods(20);
  ASSERT_TRUE(backend.start(&handler).ok());
  const bool reached = waitFor(handler.periodsReached(), 5000);
  backend.stop();
  backend.close();
  ASSERT_TRUE(reached) << "only " << handler.periods() << " periods in 5 s";
  for (auto f : handler.frames()) EXPECT_EQ(f, info.render.packetFrames);
  EXPECT_TRUE(handler.deviceEvents().empty());
}

// Without forcing, Wine 8's shared mode takes 44.1 kHz itself: no resampling.
TEST(WineSharedResample, SpeakersAt44100WithoutForcingRunAtTheHostRate) {
  ComInit com;
  WasapiBackend backend;
  const auto endpoints = backend.listEndpoints();
  if (std::none_of(endpoints.begin(), endpoints.end(), [](const EndpointInfo& e) { return e.name == "Speakers"; })) {
    GTEST_SKIP() << "no \"Speakers\" endpoint: not inside scripts/wine-world.sh";
  }
  DriverSettings s;
  s.outputDevice = "Speakers";
  s.mode = StreamMode::SharedEvent;
  DeviceDescription description;
  ASSERT_TRUE(backend.open(s, &description).ok());
  StreamInfo info;
  ASSERT_TRUE(backend.prepare({44100, 441, true, false}, &info).ok());
  std::printf("  %s\n", info.description.c_str());
  EXPECT_EQ(info.render.packetFrames, 0) << info.description;
  backend.close();
}

}  // namespace
}  // namespace a2w::wasapi
