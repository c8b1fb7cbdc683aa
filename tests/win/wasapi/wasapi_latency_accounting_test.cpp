// The latency the WASAPI backend adds beyond the one period the core counts
// (StreamInfo::Side::extraLatencyFrames), mode by mode, against the
// accounting in docs/LATENCY.md and render_stream.cpp / capture_stream.cpp:
//   exclusive-event  output: GetStreamLatency only (the driver adds nothing
//                    beyond the WASAPI period); input: GetStreamLatency
//   exclusive-poll,  output: GetStreamLatency + (WASAPI buffer - 2 periods),
//   shared-event     at most one engine period beyond the period itself;
//                    input: GetStreamLatency + one device period
//   shared, resampled  the same terms against one engine period, in host
//                    frames (the resampler's group delay is the core's:
//                    driver_core_render_resample_test.cpp)
// How the core adds B, the input FIFO and the resampler on top is checked on
// simulated clocks in tests/unit (driver_core_capture_test.cpp,
// driver_core_render_resample_test.cpp).
#include <gtest/gtest.h>

#include <windows.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "fake_wasapi.h"
#include "wasapi/wasapi_backend.h"
#include "wasapi/wave_format.h"

namespace a2w::fake {
namespace {

constexpr REFERENCE_TIME kStreamLatency = 20000;  // 2 ms
constexpr std::int32_t kStreamLatencyFrames = 96;  // at 48 kHz
constexpr std::int32_t kPeriod = 480;             // the fakes' 10 ms default period at 48 kHz

FakeEndpointConfig endpoint(const wchar_t* id, const wchar_t* name, EDataFlow flow) {
  FakeEndpointConfig c = stereoEndpoint(id, name, flow, {48000.0});
  c.streamLatency = kStreamLatency;
  return c;
}

class LatencyAccountingTest : public ::testing::TestWithParam<StreamMode> {
 protected:
  void SetUp() override {
    eps_.push_back(std::make_shared<FakeEndpoint>(endpoint(L"{0.0.0.00000000}.{spk}", L"Speakers", eRender)));
    eps_.push_back(std::make_shared<FakeEndpoint>(endpoint(L"{0.0.1.00000000}.{mic}", L"Microphone", eCapture)));
    backend_ = std::make_unique<wasapi::WasapiBackend>(fakeEnumeratorFactory(eps_, 0));
  }
  void TearDown() override { backend_->close(); }

  void openAndPrepare(StreamMode mode, double rate, std::int32_t frames, bool render = true) {
    DriverSettings s;
    s.outputDevice = render ? "Speakers" : "none";
    s.inputDevice = "Microphone";
    s.mode = mode;
    ASSERT_TRUE(backend_->open(s, &description_).ok());
    const Status p = backend_->prepare({rate, frames, render, true}, &info_);
    ASSERT_TRUE(p.ok()) << p.message;
    ASSERT_EQ(info_.mode, mode);
  }
  // The queue the render stream keeps at start: in shared mode the smallest
  // buffer the engine gives (the real buffer has room for the safety
  // margin above it, core/render_queue.h), in exclusive polling the buffer.
  std::int32_t renderBufferFrames() const {
    const bool shared = !eps_[0]->initializeCalls().empty() &&
                        eps_[0]->initializeCalls().back().mode == AUDCLNT_SHAREMODE_SHARED;
    return static_cast<std::int32_t>(shared ? eps_[0]->smallestSharedBufferFrames() : eps_[0]->bufferFrames());
  }

  wasapi::ComInit com_;
  std::vector<std::shared_ptr<FakeEndpoint>> eps_;
  std::unique_ptr<wasapi::WasapiBackend> backend_;
  DeviceDescription description_;
  StreamInfo info_;
};

TEST_P(LatencyAccountingTest, EachModeAddsWhatTheAccountingSays) {
  const StreamMode mode = GetParam();
  openAndPrepare(mode, 48000, kPeriod);
  ASSERT_EQ(info_.bufferFrames, kPeriod);
  // The OS's share (GetStreamLatency) is kept apart for vendor::LatencyParts.
  EXPECT_EQ(info_.render.osLatencyFrames, kStreamLatencyFrames);
  EXPECT_EQ(info_.capture.osLatencyFrames, kStreamLatencyFrames);
  if (mode == StreamMode::ExclusiveEvent) {
    EXPECT_EQ(info_.render.extraLatencyFrames, kStreamLatencyFrames);
    EXPECT_EQ(info_.capture.extraLatencyFrames, kStreamLatencyFrames);
    return;
  }
  const std::int32_t queued = std::max(0, renderBufferFrames() - 2 * kPeriod);
  EXPECT_EQ(info_.render.extraLatencyFrames, kStreamLatencyFrames + queued) << "WASAPI buffer " << renderBufferFrames();
  EXPECT_LE(info_.render.extraLatencyFrames, kStreamLatencyFrames + kPeriod) << "more than one engine period queued";
  // The packet wait is counted by the core's FIFO (its target includes the
  // frames in flight) when render drives the periods.
  EXPECT_EQ(info_.capture.extraLatencyFrames, kStreamLatencyFrames);
}

// Input only: the capture drives the periods and the core keeps no FIFO
// target, so the backend reports a packet's wait itself (timer-driven
// modes), none for exclusive-event capture.
TEST_P(LatencyAccountingTest, InputOnlyAddsThePacketWaitItself) {
  const StreamMode mode = GetParam();
  openAndPrepare(mode, 48000, kPeriod, false);
  ASSERT_TRUE(info_.captureDrivesPeriods);
  EXPECT_EQ(info_.capture.osLatencyFrames, kStreamLatencyFrames);
  EXPECT_EQ(info_.capture.extraLatencyFrames,
            kStreamLatencyFrames + (mode == StreamMode::ExclusiveEvent ? 0 : kPeriod));
}

INSTANTIATE_TEST_SUITE_P(Modes, LatencyAccountingTest,
                         ::testing::Values(StreamMode::ExclusiveEvent, StreamMode::ExclusivePoll,
                                           StreamMode::SharedEvent),
                         [](const ::testing::TestParamInfo<StreamMode>& p) {
                           std::string name(toString(p.param));
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

// Shared mode at another host rate: the same terms against one engine
// period of device frames, converted to host frames (rounded up).
TEST_F(LatencyAccountingTest, SharedResampledCountsInHostFrames) {
  openAndPrepare(StreamMode::SharedEvent, 44100, 441);
  ASSERT_EQ(info_.render.deviceSampleRate, 48000.0);
  const double deviceFrames = kStreamLatencyFrames + std::max(0, renderBufferFrames() - 2 * kPeriod);
  EXPECT_EQ(info_.render.extraLatencyFrames, static_cast<std::int32_t>(std::ceil(deviceFrames * 44100 / 48000)));
  EXPECT_EQ(info_.render.osLatencyFrames, static_cast<std::int32_t>(std::lround(kStreamLatencyFrames * 44100.0 / 48000)));
  EXPECT_LE(info_.render.extraLatencyFrames, static_cast<std::int32_t>(std::ceil((kStreamLatencyFrames + kPeriod) * 44100.0 / 48000)));
}

}  // namespace
}  // namespace a2w::fake
