// Xruns the backend reports (Period::renderUnderrunFrames) and the safety
// margin it keeps (Period::renderSafetyFrames): each underrun is counted
// once, told to the host (kResyncRequest: at the xrun, and again where the
// input FIFO's realignment moved frames), and the input FIFO comes
// back to its target in one step, so the recording lands at the reported
// latency again; a margin that grows is output latency, told with
// kLatenciesChanged. The noisy-machine simulations are in noisy_world_test.cpp.
#include "capture_test_fixture.h"
#include "core/vendor_selectors.h"

namespace a2w::test {
namespace {

class XrunTest : public CaptureTestBase {
 protected:
  // 1 in, 1 out at 256 frames, `periods` periods run; the latencies then.
  void runDuplex(int periods, std::int32_t* in, std::int32_t* out) {
    make(FakeDeviceConfig{});
    infos = channels(1, 1);
    runningWith(infos, 256);
    ASSERT_EQ(fake->tick(periods), periods);
    ASSERT_EQ(core->getLatencies(in, out), asio::err::kOk);
  }
  std::vector<asio::BufferInfo> infos;
};

// The render device ran dry for 200 frames: every later period comes 200
// frames later against the capture clock, so without the realignment the
// input would run 200 frames late for good. (A shift beyond the overrun
// limit, T + P + J, is dropped at once by the overrun check instead: also
// one step.)
TEST_F(XrunTest, ARenderUnderrunRealignsTheInputInOneStepAndIsCountedOnce) {
  std::int32_t in = 0, out = 0;
  runDuplex(20, &in, &out);
  fake->renderRunsDry(200);
  ASSERT_EQ(fake->tick(60), 60);
  // The realignment waits kRealignDelaySeconds (the catch-up burst's
  // stamps are only good to a period): 29 reads of 256 frames at 48 kHz,
  // so the 30th read after the xrun's, period 49, realigns.
  const std::uint64_t realignAt = 49 * 256;

  const DriverStats st = core->stats();
  EXPECT_EQ(st.renderUnderruns, 1u);
  EXPECT_EQ(st.lastRenderUnderrunFrames, 200);
  EXPECT_EQ(st.inputRealigns, 1u);
  EXPECT_EQ(st.inputUnderruns, 0u);
  EXPECT_EQ(st.inputOverruns, 0u);
  // Two messages: the underrun's, and the realignment's when it dropped
  // the 200 frames (a discontinuity in the recording of its own). One glitch.
  EXPECT_EQ(st.resyncRequestsSent, 2u);
  EXPECT_EQ(host.count(asio::msg::kResyncRequest), 2);
  EXPECT_EQ(host.count(asio::msg::kLatenciesChanged), 0);
  EXPECT_EQ(st.glitches(), 1u);

  // Before: frame for frame (the FIFO holds 200 frames more meanwhile).
  // After: those 200 capture frames were dropped in one step, and every
  // frame is `in` late again.
  EXPECT_EQ(mismatches(0, 4 * 256, realignAt, in, false), 0);
  EXPECT_EQ(mismatches(0, realignAt, 80 * 256, in - 200, false), 0);
  std::int32_t inAfter = 0, outAfter = 0;
  ASSERT_EQ(core->getLatencies(&inAfter, &outAfter), asio::err::kOk);
  EXPECT_EQ(inAfter, in);
  EXPECT_EQ(outAfter, out);
}

// A shift within the level's resolution is counted but moves nothing.
TEST_F(XrunTest, AnUnderrunTooSmallToMeasureIsCountedAndMovesNothing) {
  std::int32_t in = 0, out = 0;
  runDuplex(20, &in, &out);
  fake->renderRunsDry(1);
  ASSERT_EQ(fake->tick(40), 40);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.renderUnderruns, 1u);
  EXPECT_EQ(st.inputRealigns, 0u);
  EXPECT_EQ(host.count(asio::msg::kResyncRequest), 1);
  // Nothing dropped or inserted: the input goes on frame for frame (the
  // one frame the device ran dry for stays in the FIFO's level, within
  // what it cannot measure).
  EXPECT_EQ(mismatches(0, 4 * 256, 60 * 256, in, false), 0);
}

// The backend's margin grows by a period: output latency, told once.
TEST_F(XrunTest, AGrowingSafetyMarginIsOutputLatencyToldWithLatenciesChanged) {
  std::int32_t in = 0, out = 0;
  runDuplex(10, &in, &out);
  fake->setRenderSafetyFrames(480);
  ASSERT_EQ(fake->tick(10), 10);
  EXPECT_EQ(host.count(asio::msg::kLatenciesChanged), 1);
  EXPECT_EQ(core->stats().renderSafetyFrames, 480);
  std::int32_t in2 = 0, out2 = 0;
  ASSERT_EQ(core->getLatencies(&in2, &out2), asio::err::kOk);
  EXPECT_EQ(in2, in);
  EXPECT_EQ(out2, out + 480);
  vendor::LatencyParts parts{};
  parts.structBytes = sizeof parts;
  ASSERT_EQ(core->future(vendor::kGetLatencyParts, &parts), asio::err::kSuccess);
  EXPECT_EQ(parts.output.total, out2);
  // A new start begins at the minimum again.
  ASSERT_EQ(core->stop(), asio::err::kOk);
  EXPECT_EQ(core->start(), asio::err::kOk);
  EXPECT_EQ(core->stats().renderSafetyFrames, 0);
}

// The render engine's own late pass (Period::renderEngineLateFrames, the
// figure of the Wine trace in engine_clock_watch_test.cpp): one glitch, one
// kResyncRequest, its own count and not an underrun. The realignment it
// asks for finds the input where it was (the fake's capture clock did not
// move) and moves nothing; the reported latencies stay.
TEST_F(XrunTest, AnEngineLatePassIsOneGlitchToldOnceAndMovesNothingItCannotMeasure) {
  std::int32_t in = 0, out = 0;
  runDuplex(20, &in, &out);
  fake->renderEngineLate(835);
  ASSERT_EQ(fake->tick(60), 60);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.renderEngineLatePasses, 1u);
  EXPECT_EQ(st.lastRenderEngineLateFrames, 835);
  EXPECT_EQ(st.renderUnderruns, 0u);
  EXPECT_EQ(st.inputRealigns, 0u);
  EXPECT_EQ(st.resyncRequestsSent, 1u);
  EXPECT_EQ(host.count(asio::msg::kResyncRequest), 1);
  EXPECT_EQ(host.count(asio::msg::kLatenciesChanged), 0);
  EXPECT_EQ(st.glitches(), 1u);
  EXPECT_EQ(mismatches(0, 4 * 256, 80 * 256, in, false), 0);
  std::int32_t inAfter = 0, outAfter = 0;
  ASSERT_EQ(core->getLatencies(&inAfter, &outAfter), asio::err::kOk);
  EXPECT_EQ(inAfter, in);
  EXPECT_EQ(outAfter, out);
}

// Exclusive-event mode: the buffer is the period, nothing can grow. Each
// miss is counted and recovered as in shared mode; from the third on, the
// buffer that would have held the worst of them is published (and logged),
// raised by a worse miss only, and forgotten at the next start.
TEST_F(XrunTest, RepeatedExclusiveMissesSayWhichBufferWouldHaveHeld) {
  FakeDeviceConfig config;
  config.streamMode = StreamMode::ExclusiveEvent;
  make(config);
  infos = channels(1, 1);
  runningWith(infos, 256);
  ASSERT_EQ(fake->tick(10), 10);
  for (const std::int32_t late : {300, 700}) {
    fake->renderRunsDry(late);
    ASSERT_EQ(fake->tick(10), 10);
  }
  EXPECT_EQ(core->stats().renderUnderruns, 2u);
  EXPECT_EQ(core->stats().bufferAdviceFrames, 0);  // two misses: no advice yet
  fake->renderRunsDry(500);
  ASSERT_EQ(fake->tick(10), 10);
  EXPECT_EQ(core->stats().bufferAdviceFrames, 700);  // the worst of the three
  fake->renderRunsDry(400);
  ASSERT_EQ(fake->tick(10), 10);
  EXPECT_EQ(core->stats().bufferAdviceFrames, 700);
  fake->renderRunsDry(900);
  ASSERT_EQ(fake->tick(10), 10);
  const DriverStats st = core->stats();
  EXPECT_EQ(st.bufferAdviceFrames, 900);
  EXPECT_EQ(st.renderUnderruns, 5u);
  EXPECT_EQ(host.count(asio::msg::kResyncRequest), 5);
  ASSERT_EQ(core->stop(), asio::err::kOk);
  ASSERT_EQ(core->start(), asio::err::kOk);
  EXPECT_EQ(core->stats().bufferAdviceFrames, 0);
}

// Shared mode grows its margin instead: no buffer advice, however many misses.
TEST_F(XrunTest, SharedModeMissesGiveNoBufferAdvice) {
  make(FakeDeviceConfig{});
  infos = channels(1, 1);
  runningWith(infos, 256);
  for (int i = 0; i < 5; ++i) {
    fake->renderRunsDry(600);
    ASSERT_EQ(fake->tick(10), 10);
  }
  EXPECT_EQ(core->stats().renderUnderruns, 5u);
  EXPECT_EQ(core->stats().bufferAdviceFrames, 0);
}

// A host that does not know kResyncRequest is not sent it; the count stays.
TEST_F(XrunTest, AHostWithoutResyncSupportIsNotSentIt) {
  make(FakeDeviceConfig{});
  host.supportsResync = false;
  infos = channels(0, 1);
  runningWith(infos, 256);
  ASSERT_EQ(fake->tick(10), 10);
  fake->renderRunsDry(512);
  ASSERT_EQ(fake->tick(10), 10);
  EXPECT_EQ(core->stats().renderUnderruns, 1u);
  EXPECT_EQ(core->stats().resyncRequestsSent, 0u);
  EXPECT_EQ(host.count(asio::msg::kResyncRequest), 0);
}

}  // namespace
}  // namespace a2w::test
