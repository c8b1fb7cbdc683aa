// Capture on the fake Core Audio: capture endpoints as ASIO inputs in every
// mode (exclusive-event, exclusive-poll, shared-event), input-only periods,
// duplex ordering, packet flags, shared clocks from container ids, loopback,
// and device events delivered off the audio thread with stop() callable from
// inside the callbacks.
#include <gtest/gtest.h>

#include <windows.h>
#include <mmreg.h>
#include <ks.h>
#include <ksmedia.h>
#include <mmsystem.h>

#include <algorithm>
#include <chrono>
#include <numeric>

#include "fake_wasapi.h"
#include "test_support.h"
#include "wasapi/wasapi_backend.h"
#include "wasapi/wave_format.h"

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

FakeEndpointConfig device(const wchar_t* id, const wchar_t* name, EDataFlow flow, double mixRate = 48000,
                          int channels = 2) {
  FakeEndpointConfig c;
  c.id = id;
  c.name = name;
  c.flow = flow;
  c.mix = mixFormat(mixRate, channels, wasapi::defaultChannelMask(channels));
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    for (auto f : {DeviceSampleFormat::Float32, DeviceSampleFormat::Int16}) c.exclusiveFormats.push_back({f, rate, channels});
  }
  return c;
}

FakeEndpointConfig speakers() { return device(L"{0.0.0.00000000}.{spk}", L"Speakers", eRender); }
FakeEndpointConfig hdmi() {
  auto c = device(L"{0.0.0.00000000}.{hdmi}", L"HDMI", eRender, 44100, 8);
  c.exclusiveFormats = {{DeviceSampleFormat::Int16, 44100, 8}};
  return c;
}
FakeEndpointConfig microphone() { return device(L"{0.0.1.00000000}.{mic}", L"Microphone", eCapture); }

// A byte pattern per packet, so a packet delivered twice or out of order shows.
std::vector<std::uint8_t> packetBytes(std::size_t bytes, int packet) {
  std::vector<std::uint8_t> v(bytes);
  for (std::size_t i = 0; i < bytes; ++i) v[i] = static_cast<std::uint8_t>((i * 13 + packet * 101 + 5) & 0xff);
  return v;
}

UINT64 qpcNowHns() {
  LARGE_INTEGER c, f;
  QueryPerformanceCounter(&c);
  QueryPerformanceFrequency(&f);
  return static_cast<UINT64>(c.QuadPart / f.QuadPart * 10'000'000 + c.QuadPart % f.QuadPart * 10'000'000 / f.QuadPart);
}

class CaptureTest : public ::testing::Test {
 protected:
  void world(std::vector<FakeEndpointConfig> configs) {
    eps_.clear();
    for (auto& c : configs) eps_.push_back(std::make_shared<FakeEndpoint>(std::move(c)));
    backend_ = std::make_unique<WasapiBackend>(fakeEnumeratorFactory(eps_, 0));
  }
  std::shared_ptr<FakeEndpoint> ep(const wchar_t* name) {
    for (auto& e : eps_) {
      if (e->config().name == name) return e;
    }
    return nullptr;
  }
  Status open(const std::string& output, const std::string& input, StreamMode mode) {
    DriverSettings s;
    s.outputDevice = output;
    s.inputDevice = input;
    s.mode = mode;
    return backend_->open(s, &description_);
  }
  void openAndPrepare(const std::string& output, const std::string& input, StreamMode mode, double rate,
                      std::int32_t frames) {
    const Status o = open(output, input, mode);
    ASSERT_TRUE(o.ok()) << o.message << "\n" << joined(backend_->decisions());
    const Status p = backend_->prepare({rate, frames, output != "none", input != "none"}, &info_);
    ASSERT_TRUE(p.ok()) << p.message << "\n" << joined(backend_->decisions());
  }
  void TearDown() override {
    if (backend_) backend_->close();
  }

  wasapi::ComInit com_;
  std::vector<std::shared_ptr<FakeEndpoint>> eps_;
  std::unique_ptr<WasapiBackend> backend_;
  DeviceDescription description_;
  StreamInfo info_;
};

TEST_F(CaptureTest, DescribesTheCaptureEndpointAsInputs) {
  world({speakers(), microphone()});
  ASSERT_TRUE(open("default", "default", StreamMode::ExclusiveEvent).ok()) << joined(backend_->decisions());
  EXPECT_TRUE(description_.render.present);
  EXPECT_TRUE(description_.capture.present);
  EXPECT_EQ(description_.capture.endpointName, "Microphone");
  EXPECT_EQ(description_.capture.channelNames, (std::vector<std::string>{"Front Left", "Front Right"}));
  EXPECT_EQ(description_.sampleRates, (std::vector<double>{44100, 48000, 96000}));
  // By name, case-insensitively, and an unknown one lists the capture names.
  ASSERT_TRUE(open("none", "microphone", StreamMode::ExclusiveEvent).ok());
  EXPECT_FALSE(description_.render.present);
  EXPECT_EQ(description_.capture.endpointName, "Microphone");
  const Status bad = open("default", "Line In", StreamMode::ExclusiveEvent);
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message.find("No input device \"Line In\""), std::string::npos) << bad.message;
  EXPECT_NE(bad.message.find("\"Microphone\""), std::string::npos) << bad.message;
  EXPECT_EQ(bad.message.find("\"Speakers\""), std::string::npos) << bad.message;
}

TEST_F(CaptureTest, OffersOnlyTheRatesBothSidesTake) {
  auto mic = microphone();
  mic.exclusiveFormats = {{DeviceSampleFormat::Int16, 48000, 2}};
  mic.minimumPeriod = 50000;  // 5 ms: the larger minimum wins
  world({speakers(), mic});
  ASSERT_TRUE(open("Speakers", "Microphone", StreamMode::ExclusiveEvent).ok());
  EXPECT_EQ(description_.sampleRates, (std::vector<double>{48000}));
  ASSERT_EQ(description_.bufferSizes.size(), 1u);
  EXPECT_EQ(description_.bufferSizes[0].minimum, 240);
  EXPECT_EQ(description_.defaultSampleRate, 48000);
}

TEST_F(CaptureTest, ExclusiveEventPacketsReachCaptureArrivedBitExact) {
  world({speakers(), microphone()});
  openAndPrepare("Speakers", "Microphone", StreamMode::ExclusiveEvent, 48000, 256);
  auto mic = ep(L"Microphone");
  const auto calls = mic->initializeCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].mode, AUDCLNT_SHAREMODE_EXCLUSIVE);
  EXPECT_TRUE(calls[0].flags & AUDCLNT_STREAMFLAGS_EVENTCALLBACK);
  EXPECT_EQ(calls[0].period, wasapi::refTimeFromFrames(256, 48000));
  EXPECT_EQ(info_.mode, StreamMode::ExclusiveEvent);
  EXPECT_TRUE(info_.capture.active);
  EXPECT_EQ(info_.capture.format, DeviceSampleFormat::Float32);
  EXPECT_EQ(info_.capture.channels, 2);
  EXPECT_EQ(info_.capture.packetFrames, 256);
  EXPECT_EQ(info_.capture.deviceSampleRate, 48000);
  EXPECT_FALSE(info_.captureDrivesPeriods);
  EXPECT_FALSE(info_.captureSharesRenderClock);  // no container ids

  RecordingHandler handler;
  handler.copyCapture(8);
  ASSERT_TRUE(backend_->start(&handler).ok());
  EXPECT_TRUE(mic->started());
  std::vector<std::vector<std::uint8_t>> sent;
  std::vector<UINT64> stamps;
  const std::uint64_t before = static_cast<std::uint64_t>(timeGetTime()) * 1'000'000;
  for (int i = 0; i < 3; ++i) {
    sent.push_back(packetBytes(256 * 8, i));
    stamps.push_back(qpcNowHns());
    ASSERT_TRUE(mic->deliverPacket(sent.back(), 256, 0, stamps.back())) << "packet " << i;
    ASSERT_TRUE(ep(L"Speakers")->consumePeriod()) << "period " << i;
  }
  const std::uint64_t after = static_cast<std::uint64_t>(timeGetTime()) * 1'000'000;
  backend_->stop();
  EXPECT_FALSE(mic->started());
  const auto packets = handler.packets();
  ASSERT_EQ(packets.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(packets[i].frames, 256);
    EXPECT_TRUE(packets[i].hadData);
    EXPECT_FALSE(packets[i].silent);
    EXPECT_FALSE(packets[i].discontinuity);
    EXPECT_EQ(packets[i].bytes, sent[i]) << "packet " << i;
    // The QPC position, on the timeGetTime base (which ticks in whole ms).
    EXPECT_GE(packets[i].deviceTimeNs + 3'000'000, before);
    EXPECT_LE(packets[i].deviceTimeNs, after + 3'000'000);
  }
  EXPECT_LT(packets[0].deviceTimeNs, packets[2].deviceTimeNs);
  EXPECT_EQ(handler.order(), "CPCPCP");
}

TEST_F(CaptureTest, DuplexDrainsCaptureBeforeEachRenderPeriod) {
  world({speakers(), microphone()});
  openAndPrepare("Speakers", "Microphone", StreamMode::ExclusiveEvent, 48000, 256);
  auto mic = ep(L"Microphone");
  RecordingHandler handler;
  ASSERT_TRUE(backend_->start(&handler).ok());
  // Packets that are waiting when the render event comes (their own event
  // not yet served) still reach the handler before the period.
  mic->queuePacket(packetBytes(256 * 8, 0), 256);
  mic->queuePacket(packetBytes(256 * 8, 1), 256);
  ASSERT_TRUE(ep(L"Speakers")->consumePeriod());
  ASSERT_TRUE(ep(L"Speakers")->consumePeriod());
  backend_->stop();
  EXPECT_EQ(handler.order(), "CCPP");
  EXPECT_EQ(mic->packetsQueued(), 0u);
}

TEST_F(CaptureTest, ExclusivePollCaptureIsDrainedFromTheTimer) {
  world({speakers(), microphone()});
  openAndPrepare("none", "Microphone", StreamMode::ExclusivePoll, 48000, 256);
  auto mic = ep(L"Microphone");
  const auto calls = mic->initializeCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].mode, AUDCLNT_SHAREMODE_EXCLUSIVE);
  EXPECT_FALSE(calls[0].flags & AUDCLNT_STREAMFLAGS_EVENTCALLBACK);
  EXPECT_NEAR(static_cast<double>(calls[0].buffer), 2.0 * calls[0].period, 1.0);
  EXPECT_EQ(info_.mode, StreamMode::ExclusivePoll);
  EXPECT_EQ(info_.capture.packetFrames, 256);
  EXPECT_TRUE(info_.captureDrivesPeriods);
  EXPECT_FALSE(info_.render.active);

  RecordingHandler handler;
  handler.copyCapture(8);
  handler.expectPeriods(4);
  ASSERT_TRUE(backend_->start(&handler).ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(mic->deliverPacket(packetBytes(256 * 8, i), 256)) << i;
  // The last packet's period runs just after its buffer is released: wait for it.
  ASSERT_TRUE(waitFor(handler.periodsReached(), 5000));
  backend_->stop();
  const auto packets = handler.packets();
  ASSERT_EQ(packets.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(packets[i].bytes, packetBytes(256 * 8, i));
  EXPECT_EQ(handler.periods(), 4u);
}

TEST_F(CaptureTest, SharedCaptureRunsAtTheMixRateWhenTheHostRateIsNotTaken) {
  auto mic = microphone();
  mic.mix = mixFormat(44100, 2, KSAUDIO_SPEAKER_STEREO);
  world({speakers(), mic});
  openAndPrepare("Speakers", "Microphone", StreamMode::SharedEvent, 48000, 480);
  auto m = ep(L"Microphone");
  const auto calls = m->initializeCalls();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().mode, AUDCLNT_SHAREMODE_SHARED);
  EXPECT_TRUE(calls.back().flags & AUDCLNT_STREAMFLAGS_EVENTCALLBACK);
  EXPECT_EQ(calls.back().format.Format.nSamplesPerSec, 44100u);
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
  EXPECT_EQ(info_.bufferFrames, 480);
  EXPECT_EQ(info_.capture.deviceSampleRate, 44100);
  EXPECT_EQ(info_.capture.packetFrames, 441);  // one 10 ms engine period
  // The engine period's packet wait is in the core's FIFO target (render
  // drives the periods), not in the backend's extra; the fake's
  // GetStreamLatency is 0.
  EXPECT_EQ(info_.capture.extraLatencyFrames, 0);
  EXPECT_TRUE(std::find(description_.sampleRates.begin(), description_.sampleRates.end(), 48000.0) !=
              description_.sampleRates.end());
  EXPECT_NE(info_.description.find("input shared-event float32 2ch 44100 Hz"), std::string::npos) << info_.description;

  RecordingHandler handler;
  handler.copyCapture(8);
  ASSERT_TRUE(backend_->start(&handler).ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(m->deliverPacket(packetBytes(441 * 8, i), 441)) << i;
    ASSERT_TRUE(ep(L"Speakers")->consumePeriod()) << i;
  }
  backend_->stop();
  const auto packets = handler.packets();
  ASSERT_EQ(packets.size(), 3u);
  EXPECT_EQ(packets[2].bytes, packetBytes(441 * 8, 2));
}

TEST_F(CaptureTest, InputOnlyCallsAPeriodPerBufferOfCapturedFrames) {
  world({speakers(), microphone()});
  openAndPrepare("none", "Microphone", StreamMode::SharedEvent, 48000, 256);
  EXPECT_TRUE(info_.captureDrivesPeriods);
  EXPECT_FALSE(info_.render.active);
  EXPECT_EQ(info_.bufferFrames, 256);
  auto mic = ep(L"Microphone");
  RecordingHandler handler;
  ASSERT_TRUE(backend_->start(&handler).ok());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(mic->deliverPacket(packetBytes(100 * 8, i), 100)) << i;
  backend_->stop();
  EXPECT_EQ(handler.periods(), 3u);  // 1000 frames = 3 x 256 + 232
  EXPECT_EQ(handler.framesBeforePeriods(), (std::vector<std::int64_t>{300, 600, 800}));
  for (auto f : handler.frames()) EXPECT_EQ(f, 256);
  for (auto* p : handler.renderPointers()) EXPECT_EQ(p, nullptr);
  EXPECT_EQ(handler.order(), "CCCPCCCPCCPCC");
}

TEST_F(CaptureTest, InputOnlyPeriodsFollowTheHostRateWhenTheDeviceRunsAtAnother) {
  auto mic = microphone();
  mic.mix = mixFormat(44100, 2, KSAUDIO_SPEAKER_STEREO);
  world({mic});
  openAndPrepare("none", "Microphone", StreamMode::SharedEvent, 48000, 480);
  EXPECT_EQ(info_.capture.deviceSampleRate, 44100);
  auto m = ep(L"Microphone");
  RecordingHandler handler;
  handler.expectPeriods(2);
  ASSERT_TRUE(backend_->start(&handler).ok());
  // 480 host frames = 441 device frames.
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(m->deliverPacket(packetBytes(441 * 8 / 2, i), 441 / 2 + (i % 2))) << i;
  ASSERT_TRUE(waitFor(handler.periodsReached(), 5000));  // the last packet's period runs after its release
  backend_->stop();
  EXPECT_EQ(handler.periods(), 2u);  // 882 device frames
  EXPECT_EQ(handler.framesBeforePeriods(), (std::vector<std::int64_t>{441, 882}));
}

TEST_F(CaptureTest, SilentAndDiscontinuityFlagsArePassedThrough) {
  world({speakers(), microphone()});
  openAndPrepare("none", "Microphone", StreamMode::ExclusiveEvent, 48000, 256);
  auto mic = ep(L"Microphone");
  RecordingHandler handler;
  handler.copyCapture(8);
  handler.expectPeriods(4);
  ASSERT_TRUE(backend_->start(&handler).ok());
  ASSERT_TRUE(mic->deliverPacket({}, 256, AUDCLNT_BUFFERFLAGS_SILENT));
  ASSERT_TRUE(mic->deliverPacket(packetBytes(256 * 8, 1), 256, AUDCLNT_BUFFERFLAGS_DATA_DISCONTINUITY));
  ASSERT_TRUE(mic->deliverPacket(packetBytes(256 * 8, 2), 256, AUDCLNT_BUFFERFLAGS_SILENT));
  ASSERT_TRUE(mic->deliverPacket(packetBytes(256 * 8, 3), 256, 0, 0));
  ASSERT_TRUE(waitFor(handler.periodsReached(), 5000));  // the last packet's period
  backend_->stop();
  const auto p = handler.packets();
  ASSERT_EQ(p.size(), 4u);
  EXPECT_TRUE(p[0].silent);
  EXPECT_FALSE(p[0].hadData);
  EXPECT_FALSE(p[0].discontinuity);
  EXPECT_FALSE(p[1].silent);
  EXPECT_TRUE(p[1].discontinuity);
  EXPECT_EQ(p[1].bytes, packetBytes(256 * 8, 1));
  EXPECT_TRUE(p[2].silent);
  EXPECT_FALSE(p[2].hadData);  // silent: the data pointer is not handed on
  EXPECT_FALSE(p[3].silent || p[3].discontinuity);
  EXPECT_EQ(p[3].deviceTimeNs, 0u);  // no QPC position: unknown
  EXPECT_EQ(handler.periods(), 4u);
}

TEST_F(CaptureTest, SharedClockComesFromTheContainerId) {
  constexpr GUID usbBox = {0x12345678, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}};
  constexpr GUID otherBox = {0x87654321, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}};
  constexpr GUID thisComputer = {0, 0, 0, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
  const auto shares = [&](std::optional<GUID> out, std::optional<GUID> in) {
    auto s = speakers();
    auto m = microphone();
    s.containerId = out;
    m.containerId = in;
    world({s, m});
    openAndPrepare("Speakers", "Microphone", StreamMode::ExclusiveEvent, 48000, 256);
    const bool result = info_.captureSharesRenderClock;
    backend_->close();
    return result;
  };
  EXPECT_TRUE(shares(usbBox, usbBox));
  EXPECT_FALSE(shares(usbBox, otherBox));
  EXPECT_FALSE(shares(thisComputer, thisComputer));  // built-in devices all say "this computer"
  EXPECT_FALSE(shares(usbBox, std::nullopt));
  EXPECT_FALSE(shares(std::nullopt, std::nullopt));
}

TEST_F(CaptureTest, LoopbackOpensSharedWithTheLoopbackFlagAndPolls) {
  world({speakers(), hdmi(), microphone()});
  openAndPrepare("none", "loopback:HDMI", StreamMode::Auto, 44100, 441);
  EXPECT_EQ(description_.capture.endpointName, "HDMI (loopback)");
  ASSERT_EQ(description_.capture.channelNames.size(), 8u);
  EXPECT_EQ(description_.capture.channelNames[0], "HDMI Front Left (loopback)");
  EXPECT_EQ(description_.capture.channelNames[3], "HDMI LFE (loopback)");
  auto h = ep(L"HDMI");
  const auto calls = h->initializeCalls();
  ASSERT_FALSE(calls.empty());
  for (const auto& c : calls) {
    EXPECT_EQ(c.mode, AUDCLNT_SHAREMODE_SHARED);  // not even an exclusive attempt
    EXPECT_TRUE(c.flags & AUDCLNT_STREAMFLAGS_LOOPBACK);
    EXPECT_FALSE(c.flags & AUDCLNT_STREAMFLAGS_EVENTCALLBACK);
  }
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
  EXPECT_EQ(info_.capture.channels, 8);
  EXPECT_TRUE(info_.captureDrivesPeriods);
  EXPECT_NE(info_.description.find("loopback"), std::string::npos) << info_.description;

  RecordingHandler handler;
  handler.copyCapture(32);
  handler.expectPeriods(3);
  ASSERT_TRUE(backend_->start(&handler).ok());
  EXPECT_FALSE(h->started());  // the loopback client leaves the render state alone
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(h->deliverPacket(packetBytes(441 * 32, i), 441)) << i;  // no event: the timer
  ASSERT_TRUE(waitFor(handler.periodsReached(), 5000));  // the last packet's period runs after its release
  backend_->stop();
  const auto p = handler.packets();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1].bytes, packetBytes(441 * 32, 1));
  EXPECT_EQ(handler.periods(), 3u);
}

TEST_F(CaptureTest, LoopbackOfTheOutputInUseKeepsBothSharedOnOneClock) {
  world({speakers(), hdmi()});
  openAndPrepare("Speakers", "loopback:default", StreamMode::Auto, 48000, 480);
  EXPECT_EQ(backend_->describedMode(), StreamMode::SharedEvent);  // exclusive would have been possible
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
  EXPECT_TRUE(info_.captureSharesRenderClock);
  for (const auto& c : ep(L"Speakers")->initializeCalls()) EXPECT_EQ(c.mode, AUDCLNT_SHAREMODE_SHARED);
  backend_->close();
  const Status s = open("Speakers", "loopback:Speakers", StreamMode::ExclusiveEvent);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message.find("shared mode only"), std::string::npos) << s.message;
  const Status s2 = open("none", "loopback:Nowhere", StreamMode::Auto);
  EXPECT_FALSE(s2.ok());
  EXPECT_NE(s2.message.find("Loopback input \"loopback:Nowhere\""), std::string::npos) << s2.message;
  EXPECT_NE(s2.message.find("\"HDMI\""), std::string::npos) << s2.message;
}

TEST_F(CaptureTest, LoopbackOfAnotherEndpointLeavesTheOutputExclusive) {
  world({speakers(), hdmi()});
  openAndPrepare("Speakers", "loopback:HDMI", StreamMode::Auto, 44100, 441);
  EXPECT_EQ(info_.mode, StreamMode::ExclusiveEvent);
  EXPECT_FALSE(info_.captureSharesRenderClock);
  EXPECT_EQ(description_.sampleRates, (std::vector<double>{44100, 48000, 96000}));  // the core resamples HDMI's mix
}

TEST_F(CaptureTest, DeviceEventsComeFromTheNotifierThreadNotTheAudioThread) {
  world({speakers(), microphone()});
  openAndPrepare("Speakers", "Microphone", StreamMode::ExclusiveEvent, 48000, 256);
  RecordingHandler handler;
  ASSERT_TRUE(backend_->start(&handler).ok());
  ASSERT_TRUE(ep(L"Speakers")->consumePeriod());
  ep(L"Microphone")->failCapture(AUDCLNT_E_DEVICE_INVALIDATED);
  ASSERT_TRUE(waitFor(handler.deviceEventArrived(), 2000));
  EXPECT_EQ(handler.deviceEvents(), (std::vector<DeviceEvent>{DeviceEvent::Lost}));
  EXPECT_EQ(backend_->lastStreamError(), AUDCLNT_E_DEVICE_INVALIDATED);
  const auto audio = handler.periodThreads();
  const auto events = handler.eventThreads();
  ASSERT_FALSE(audio.empty());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0], audio[0]);
  EXPECT_NE(events[0], GetCurrentThreadId());
  backend_->stop();
}

TEST_F(CaptureTest, StopFromInsideDeviceEventDoesNotJoinItself) {
  world({speakers(), microphone()});
  openAndPrepare("Speakers", "Microphone", StreamMode::ExclusiveEvent, 48000, 256);
  RecordingHandler handler;
  std::atomic<bool> stopReturned{false};
  handler.onDeviceEvent([&] {
    backend_->stop();  // what a host does on kAsioResetRequest, synchronously
    stopReturned = true;
  });
  ASSERT_TRUE(backend_->start(&handler).ok());
  ASSERT_TRUE(ep(L"Speakers")->consumePeriod());
  ep(L"Microphone")->failCapture(AUDCLNT_E_DEVICE_INVALIDATED);
  ASSERT_TRUE(waitFor(handler.deviceEventArrived(), 2000));
  EXPECT_TRUE(stopReturned.load());
  EXPECT_FALSE(ep(L"Speakers")->started());
  // The host then disposes and starts again: the deferred joins happen here.
  ep(L"Microphone")->failCapture(S_OK);
  backend_->unprepare();
  ASSERT_TRUE(backend_->prepare({48000, 256, true, true}, &info_).ok());
  RecordingHandler again;
  ASSERT_TRUE(backend_->start(&again).ok());
  ASSERT_TRUE(ep(L"Microphone")->deliverPacket(packetBytes(256 * 8, 0), 256));
  ASSERT_TRUE(ep(L"Speakers")->consumePeriod());
  backend_->stop();
  EXPECT_EQ(again.packetCount(), 1u);
}

TEST_F(CaptureTest, StopFromInsideProcessPeriodEndsTheLoopWithoutSelfJoin) {
  world({speakers(), microphone()});
  openAndPrepare("Speakers", "Microphone", StreamMode::SharedEvent, 48000, 480);
  RecordingHandler handler;
  std::atomic<bool> stopReturned{false};
  handler.onPeriod(1, [&] {
    backend_->stop();
    stopReturned = true;
  });
  handler.expectPeriods(2);
  ASSERT_TRUE(backend_->start(&handler).ok());
  // Shared mode starts with a period of silence queued and tops the buffer
  // up at the first event; the engine then takes a period, and the second
  // period stops.
  ASSERT_TRUE(ep(L"Speakers")->consumePeriod());
  ASSERT_TRUE(waitFor(handler.periodsReached(), 2000));
  EXPECT_TRUE(stopReturned.load());
  const auto periods = handler.periods();
  EXPECT_EQ(periods, 2u);  // nothing after the period that stopped
  ep(L"Speakers")->signal();
  EXPECT_FALSE(ep(L"Microphone")->deliverPacket(packetBytes(441 * 8, 0), 480, 0, 0, std::chrono::milliseconds(200)));
  EXPECT_EQ(handler.periods(), periods);
  // start() again joins the old thread first.
  RecordingHandler again;
  again.expectPeriods(1);
  ASSERT_TRUE(backend_->start(&again).ok());
  EXPECT_TRUE(waitFor(again.periodsReached(), 2000));
  backend_->stop();
}

}  // namespace
}  // namespace a2w::fake
