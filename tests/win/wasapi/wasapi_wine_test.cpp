// The backend against the real Core Audio of the machine it runs on. Written
// for the private Wine world (scripts/wine-world.sh: PulseAudio null sinks
// "Speakers" 48 kHz 2 ch and "HDMI" 44.1 kHz 8 ch); skipped where those
// endpoints do not exist (e.g. a real Windows machine with other devices).
#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"
#include "wasapi/wasapi_backend.h"

namespace a2w::wasapi {
namespace {

using testing::RecordingHandler;
using testing::waitFor;

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

class WineEndpoints : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoints_ = backend_.listEndpoints();
    const bool world = std::any_of(endpoints_.begin(), endpoints_.end(),
                                   [](const EndpointInfo& e) { return e.name == "Speakers"; });
    if (!world) GTEST_SKIP() << "no \"Speakers\" endpoint: not inside scripts/wine-world.sh";
  }
  void TearDown() override { backend_.close(); }

  const EndpointInfo* find(const std::string& name) const {
    for (const auto& e : endpoints_) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }

  ComInit com_;
  WasapiBackend backend_;
  std::vector<EndpointInfo> endpoints_;
  DeviceDescription description_;
  StreamInfo info_;
};

TEST_F(WineEndpoints, ListsSpeakersAndHdmiWithTheirMixFormats) {
  for (const auto& e : endpoints_) {
    std::printf("  endpoint \"%s\" id=%s default=%d mix=%d ch %.0f Hz %s periods %d/%d\n", e.name.c_str(),
                e.id.c_str(), e.isDefault, e.mixChannels, e.mixSampleRate, std::string(toString(e.mixFormat)).c_str(),
                e.defaultPeriodFrames, e.minimumPeriodFrames);
  }
  const EndpointInfo* speakers = find("Speakers");
  const EndpointInfo* hdmi = find("HDMI");
  ASSERT_NE(speakers, nullptr);
  ASSERT_NE(hdmi, nullptr);
  EXPECT_EQ(speakers->mixSampleRate, 48000);
  EXPECT_EQ(speakers->mixChannels, 2);
  EXPECT_EQ(speakers->mixFormat, DeviceSampleFormat::Float32);
  EXPECT_GT(speakers->defaultPeriodFrames, 0);
  EXPECT_GT(speakers->minimumPeriodFrames, 0);
  EXPECT_EQ(hdmi->mixSampleRate, 44100);
  EXPECT_EQ(hdmi->mixChannels, 8);
  EXPECT_FALSE(speakers->id.empty());
  EXPECT_NE(speakers->id, hdmi->id);
  // One default per direction (capture endpoints are listed after render ones).
  for (Direction d : {Direction::Render, Direction::Capture}) {
    EXPECT_EQ(std::count_if(endpoints_.begin(), endpoints_.end(),
                            [d](const EndpointInfo& e) { return e.isDefault && e.direction == d; }),
              1);
  }
  const auto firstCapture = std::find_if(endpoints_.begin(), endpoints_.end(),
                                         [](const EndpointInfo& e) { return e.direction == Direction::Capture; });
  EXPECT_TRUE(std::all_of(firstCapture, endpoints_.end(),
                          [](const EndpointInfo& e) { return e.direction == Direction::Capture; }));
}

TEST_F(WineEndpoints, OpensByNameByIdAndDefault) {
  DriverSettings s;
  s.mode = StreamMode::SharedEvent;
  s.outputDevice = "HDMI";
  ASSERT_TRUE(backend_.open(s, &description_).ok());
  EXPECT_EQ(description_.render.endpointName, "HDMI");
  EXPECT_EQ(description_.render.channelNames.size(), 8u);
  EXPECT_EQ(description_.defaultSampleRate, 44100);

  s.outputDevice = find("HDMI")->id;
  ASSERT_TRUE(backend_.open(s, &description_).ok());
  EXPECT_EQ(description_.render.endpointName, "HDMI");

  s.outputDevice = "speakers";  // case-insensitive
  ASSERT_TRUE(backend_.open(s, &description_).ok());
  EXPECT_EQ(description_.render.endpointName, "Speakers");
  EXPECT_EQ(description_.render.channelNames, (std::vector<std::string>{"Front Left", "Front Right"}));

  s.outputDevice = "default";
  ASSERT_TRUE(backend_.open(s, &description_).ok());
  const auto def = std::find_if(endpoints_.begin(), endpoints_.end(), [](const EndpointInfo& e) { return e.isDefault; });
  ASSERT_NE(def, endpoints_.end());
  EXPECT_EQ(description_.render.endpointName, def->name);

  s.outputDevice = "No Such Device";
  const Status bad = backend_.open(s, &description_);
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message.find("\"Speakers\""), std::string::npos) << bad.message;
  EXPECT_NE(bad.message.find("\"HDMI\""), std::string::npos) << bad.message;
}

TEST_F(WineEndpoints, AutoEndsInSharedEventWithTheReasons) {
  DriverSettings s;
  s.outputDevice = "Speakers";
  ASSERT_TRUE(backend_.open(s, &description_).ok()) << joined(backend_.decisions());
  EXPECT_EQ(backend_.describedMode(), StreamMode::SharedEvent);
  const auto d = backend_.decisions();
  std::printf("%s", joined(d).c_str());
  ASSERT_GE(d.size(), 3u);
  EXPECT_EQ(d[0].rfind("exclusive-event refused: ", 0), 0u) << d[0];
  EXPECT_NE(d[0].find("(0x"), std::string::npos) << d[0];
  EXPECT_TRUE(std::any_of(d.begin(), d.end(), [](const std::string& l) { return l.rfind("exclusive-poll refused: ", 0) == 0; }));
  EXPECT_EQ(d.back().rfind("shared-event chosen: float32 2ch 48000 Hz", 0), 0u) << d.back();
  EXPECT_TRUE(std::find(description_.sampleRates.begin(), description_.sampleRates.end(), 48000.0) !=
              description_.sampleRates.end());
  EXPECT_EQ(description_.defaultSampleRate, 48000);
  for (std::size_t i = 0; i < description_.sampleRates.size(); ++i) {
    const auto& b = description_.bufferSizes.at(i);
    std::printf("  offers %.0f Hz: buffers %d..%d, preferred %d\n", description_.sampleRates[i], b.minimum, b.maximum,
                b.preferred);
  }

  const auto* sizes = &description_.bufferSizes.at(
      std::find(description_.sampleRates.begin(), description_.sampleRates.end(), 48000.0) - description_.sampleRates.begin());
  ASSERT_TRUE(backend_.prepare({48000, sizes->preferred, true, false}, &info_).ok()) << joined(backend_.decisions());
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
  EXPECT_EQ(info_.render.format, DeviceSampleFormat::Float32);
  EXPECT_EQ(info_.render.channels, 2);
  std::printf("  %s, extra latency %d frames\n", info_.description.c_str(), info_.render.extraLatencyFrames);
}

TEST_F(WineEndpoints, ExclusiveIsRefusedWithAReason) {
  DriverSettings s;
  s.outputDevice = "Speakers";
  s.mode = StreamMode::ExclusiveEvent;
  const Status opened = backend_.open(s, &description_);
  if (!opened.ok()) {
    std::printf("  open refused: %s\n", opened.message.c_str());
    EXPECT_NE(opened.message.find("(0x"), std::string::npos);
    return;
  }
  const Status prepared = backend_.prepare({description_.defaultSampleRate, description_.bufferSizes.at(0).preferred, true, false}, &info_);
  std::printf("  exclusive-event prepare: %s\n", prepared.ok() ? "accepted" : prepared.message.c_str());
  EXPECT_FALSE(prepared.ok());
  EXPECT_NE(prepared.message.find("(0x"), std::string::npos) << prepared.message;
}

TEST_F(WineEndpoints, SharedEventStreamDeliversPeriods) {
  DriverSettings s;
  s.outputDevice = "Speakers";
  s.mode = StreamMode::SharedEvent;
  ASSERT_TRUE(backend_.open(s, &description_).ok());
  ASSERT_TRUE(backend_.prepare({48000, 480, true, false}, &info_).ok()) << joined(backend_.decisions());
  EXPECT_EQ(info_.bufferFrames, 480);
  RecordingHandler handler;
  handler.writePattern(8);  // float32 stereo; quiet it is not, but it is a null sink
  handler.expectPeriods(10);
  ASSERT_TRUE(backend_.start(&handler).ok());
  const bool reached = waitFor(handler.periodsReached(), 5000);
  backend_.stop();
  ASSERT_TRUE(reached) << "only " << handler.periods() << " periods in 5 s";
  for (auto f : handler.frames()) EXPECT_EQ(f, 480);
  const auto times = handler.times();
  for (std::size_t i = 1; i < times.size(); ++i) EXPECT_LE(times[i - 1], times[i]);
  EXPECT_TRUE(handler.deviceEvents().empty());
  std::printf("  mmcss registered: %s, last error %ld\n", backend_.mmcssRegistered() ? "yes" : "no",
              static_cast<long>(backend_.lastStreamError()));
}

TEST_F(WineEndpoints, ListsTheMonitorsAsCaptureEndpoints) {
  const EndpointInfo* monitor = find("Monitor of Speakers");
  ASSERT_NE(monitor, nullptr);
  EXPECT_EQ(monitor->direction, Direction::Capture);
  EXPECT_EQ(monitor->mixChannels, 2);
  EXPECT_EQ(monitor->mixSampleRate, 48000);
  const EndpointInfo* hdmiMonitor = find("Monitor of HDMI");
  ASSERT_NE(hdmiMonitor, nullptr);
  EXPECT_EQ(hdmiMonitor->mixChannels, 8);
}

TEST_F(WineEndpoints, MonitorOfSpeakersOpensAsAnInputOnlyDevice) {
  DriverSettings s;
  s.outputDevice = "none";
  s.inputDevice = "Monitor of Speakers";
  const Status opened = backend_.open(s, &description_);
  ASSERT_TRUE(opened.ok()) << opened.message << "\n" << joined(backend_.decisions());
  std::printf("%s", joined(backend_.decisions()).c_str());
  EXPECT_FALSE(description_.render.present);
  ASSERT_TRUE(description_.capture.present);
  EXPECT_EQ(description_.capture.endpointName, "Monitor of Speakers");
  EXPECT_EQ(description_.capture.channelNames, (std::vector<std::string>{"Front Left", "Front Right"}));
  EXPECT_EQ(description_.defaultSampleRate, 48000);
  ASSERT_TRUE(backend_.prepare({48000, 480, false, true}, &info_).ok()) << joined(backend_.decisions());
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
  EXPECT_TRUE(info_.captureDrivesPeriods);
  EXPECT_FALSE(info_.render.active);
  EXPECT_EQ(info_.capture.channels, 2);
  EXPECT_EQ(info_.capture.format, DeviceSampleFormat::Float32);
  EXPECT_GT(info_.capture.packetFrames, 0);
  std::printf("  %s, extra latency %d frames, packets of %d at %.0f Hz\n", info_.description.c_str(),
              info_.capture.extraLatencyFrames, info_.capture.packetFrames, info_.capture.deviceSampleRate);
  RecordingHandler handler;
  handler.expectPeriods(10);
  ASSERT_TRUE(backend_.start(&handler).ok());
  const bool reached = waitFor(handler.periodsReached(), 5000);
  backend_.stop();
  ASSERT_TRUE(reached) << "only " << handler.periods() << " periods and " << handler.packetCount() << " packets in 5 s";
  for (auto f : handler.frames()) EXPECT_EQ(f, 480);
  for (auto* p : handler.renderPointers()) EXPECT_EQ(p, nullptr);
  const auto before = handler.framesBeforePeriods();
  for (std::size_t i = 0; i < before.size(); ++i) EXPECT_GE(before[i], static_cast<std::int64_t>(480 * (i + 1)));
  const auto packets = handler.packets();
  ASSERT_FALSE(packets.empty());
  std::printf("  %zu packets, first %d frames, silent=%d discontinuity=%d time=%llu\n", packets.size(),
              packets[0].frames, packets[0].silent, packets[0].discontinuity,
              static_cast<unsigned long long>(packets[0].deviceTimeNs));
  EXPECT_TRUE(handler.deviceEvents().empty());
}

TEST_F(WineEndpoints, DuplexSpeakersAndTheirMonitorDeliverPacketsAndPeriods) {
  DriverSettings s;
  s.outputDevice = "Speakers";
  s.inputDevice = "Monitor of Speakers";
  const Status opened = backend_.open(s, &description_);
  ASSERT_TRUE(opened.ok()) << opened.message << "\n" << joined(backend_.decisions());
  EXPECT_EQ(backend_.describedMode(), StreamMode::SharedEvent);
  EXPECT_TRUE(description_.render.present);
  EXPECT_TRUE(description_.capture.present);
  ASSERT_TRUE(backend_.prepare({48000, 480, true, true}, &info_).ok()) << joined(backend_.decisions());
  std::printf("%s", joined(backend_.decisions()).c_str());
  std::printf("  %s; shares clock: %s\n", info_.description.c_str(), info_.captureSharesRenderClock ? "yes" : "no");
  EXPECT_TRUE(info_.render.active);
  EXPECT_TRUE(info_.capture.active);
  EXPECT_FALSE(info_.captureDrivesPeriods);
  // Wine's GetStreamLatency answers for both streams (winepulse: the
  // PulseAudio request size plus its 10 ms period) are kept apart from the
  // backend's own terms (docs/LATENCY.md: 960 frames each here).
  std::printf("  OS latency: render %d of %d extra, capture %d of %d extra\n", info_.render.osLatencyFrames,
              info_.render.extraLatencyFrames, info_.capture.osLatencyFrames, info_.capture.extraLatencyFrames);
  EXPECT_GT(info_.render.osLatencyFrames, 0);
  EXPECT_GT(info_.capture.osLatencyFrames, 0);
  EXPECT_EQ(info_.capture.extraLatencyFrames, info_.capture.osLatencyFrames)
      << "with render driving the periods, the packet wait is in the core's FIFO target";
  EXPECT_LE(info_.render.osLatencyFrames, info_.render.extraLatencyFrames);
  RecordingHandler handler;
  handler.writePattern(8);
  handler.copyCapture(8);
  handler.expectPeriods(20);
  handler.expectPackets(20);  // ~0.2 s of the monitor, after the pre-filled periods
  ASSERT_TRUE(backend_.start(&handler).ok());
  const bool reached = waitFor(handler.periodsReached(), 5000) && waitFor(handler.packetsReached(), 5000);
  backend_.stop();
  ASSERT_TRUE(reached) << "only " << handler.periods() << " periods and " << handler.packetCount()
                       << " packets in 5 s";
  EXPECT_GT(handler.packetCount(), 0u);
  EXPECT_GT(handler.capturedFrames(), 0);
  // What we played comes back through the monitor: some captured packet
  // holds non-zero samples (the pattern), unless Wine handed only silence.
  std::size_t loud = 0;
  for (const auto& p : handler.packets()) {
    if (std::any_of(p.bytes.begin(), p.bytes.end(), [](std::uint8_t b) { return b != 0; })) ++loud;
  }
  std::printf("  %llu periods, %llu packets (%zu with signal), %lld frames captured; order %s...\n",
              static_cast<unsigned long long>(handler.periods()), static_cast<unsigned long long>(handler.packetCount()),
              loud, static_cast<long long>(handler.capturedFrames()), handler.order().substr(0, 40).c_str());
  EXPECT_GT(loud, 0u);
  EXPECT_TRUE(handler.deviceEvents().empty());
}

// Wine 8 (winepulse) initialises a loopback client, then refuses its
// IAudioCaptureClient with AUDCLNT_E_WRONG_ENDPOINT_TYPE. The backend finds
// that out at open and says so; where loopback works (Windows, later Wine)
// the same test checks the stream.
TEST_F(WineEndpoints, LoopbackOfHdmiOpensOrIsRefusedClearly) {
  DriverSettings s;
  s.outputDevice = "none";
  s.inputDevice = "loopback:HDMI";
  const Status opened = backend_.open(s, &description_);
  std::printf("%s", joined(backend_.decisions()).c_str());
  if (!opened.ok()) {
    std::printf("  loopback:HDMI refused at open: %s\n", opened.message.c_str());
    // The reason first, whole, within getErrorMessage's 123 characters.
    EXPECT_EQ(opened.message.rfind("Loopback capture refused: AUDCLNT_E_", 0), 0u) << opened.message;
    EXPECT_NE(opened.message.find("(0x"), std::string::npos) << opened.message;
    EXPECT_NE(opened.message.find("\"loopback:HDMI\""), std::string::npos) << opened.message;
    EXPECT_LE(opened.message.size(), 123u) << opened.message;
    return;
  }
  EXPECT_EQ(description_.capture.endpointName, "HDMI (loopback)");
  ASSERT_EQ(description_.capture.channelNames.size(), 8u);
  EXPECT_EQ(description_.capture.channelNames[0], "HDMI Front Left (loopback)");
  const Status prepared = backend_.prepare({44100, 441, false, true}, &info_);
  ASSERT_TRUE(prepared.ok()) << prepared.message;
  std::printf("  %s\n", info_.description.c_str());
  EXPECT_EQ(info_.capture.channels, 8);
  EXPECT_EQ(info_.mode, StreamMode::SharedEvent);
}

TEST_F(WineEndpoints, OutputOnlyStillWorksWithInputNone) {
  DriverSettings s;
  s.outputDevice = "HDMI";
  s.inputDevice = "none";
  ASSERT_TRUE(backend_.open(s, &description_).ok()) << joined(backend_.decisions());
  EXPECT_FALSE(description_.capture.present);
  ASSERT_TRUE(backend_.prepare({44100, 441, true, false}, &info_).ok());
  EXPECT_FALSE(info_.capture.active);
  RecordingHandler handler;
  handler.expectPeriods(5);
  ASSERT_TRUE(backend_.start(&handler).ok());
  const bool reached = waitFor(handler.periodsReached(), 5000);
  backend_.stop();
  EXPECT_TRUE(reached);
  EXPECT_EQ(handler.packetCount(), 0u);
}

}  // namespace
}  // namespace a2w::wasapi
