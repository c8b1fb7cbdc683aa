// An AudioBackend for the native tests that models a shared-mode WASAPI
// stream on a noisy machine, event-driven in simulated time, on the test's
// thread (no threads, no sleeps; issue 13, point 4: noise on purpose).
//
// Three clocks and a thread:
//  - the render ENGINE ticks every engine period (N frames at `rate`, the
//    system clock's reference). At each tick it pulls N frames from the
//    stream buffer (capacity C); with fewer queued it plays what is there
//    plus silence, and counts the silent frames exactly: the truth the
//    tests check the driver's underrun reports against. What it pulls at a
//    tick it plays over the period that follows, so every frame plays one
//    period after a reader draining the buffer continuously would play it:
//    that is the engine's own delay, which a real shared-mode stream reports
//    in GetStreamLatency, so the world reports it as the OS latency (with 0
//    there, the driver would under-report by a period through no fault of
//    its own);
//  - the CAPTURE device samples on its own clock (rate * (1 + ppm)) and
//    delivers packets of one period, each a little after its last frame
//    (its engine's timer: up to captureDelayMaxMs), stamped like the WASAPI
//    backend stamps them (deviceTimeNs: capture time of the first frame;
//    arrivalNs: when the audio thread took it);
//  - the LOOP: capture channel 0 hears what the engine plays (after the
//    silence it inserted), with no analog delay: the engine's output is a
//    continuous signal (linear between its frames), so on another clock the
//    capture samples it between frames. Capture channel 1 is a pilot: the
//    capture device's own frame counter, so the input path's own
//    discontinuities show apart from the render side's;
//  - the AUDIO THREAD waits on the render and capture events, as
//    src/wasapi/audio_thread.cpp does: woken after a quiet jitter (0 to
//    quietJitterMs) or, at random moments (the first wake after a time drawn
//    every lateIntervalMin..MaxS seconds), late by lateMin..MaxMs; events
//    that come meanwhile bunch at that wake. A render wake drains the
//    capture first, then does exactly what RenderStream::renderPeriods does
//    in shared mode with the same portable RenderQueue.
//
// The signal: frameSignal() spells a frame number modulo kSignalModulus as a
// float in [0.25, 0.75), exact in float32, never 0 (silence is 0), so a
// recording shows every frame's number and every jump.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "core/audio_backend.h"
#include "core/render_queue.h"

namespace a2w::test {

struct NoisyWorldConfig {
  double rate = 1000;                 // the engine's rate and the host's (fr = fs)
  std::int32_t periodFrames = 10;     // N: the engine period and the ASIO buffer
  double captureClockPpm = 0;         // the capture clock against the engine's; +: faster
  bool captureSharesRenderClock = true;  // what prepare() reports
  std::uint64_t seed = 1;
  double quietJitterMs = 0.5;         // a wake's ordinary lateness, uniform 0..this
  double lateMinMs = 5, lateMaxMs = 80;  // a late wake's lateness, uniform
  double lateIntervalMinS = 2, lateIntervalMaxS = 10;  // between late wakes, uniform
  double captureDelayMaxMs = 1.0;     // a packet's delivery after its last frame, uniform 0.01..this
  double tickOffsetMs = 1.0;          // the engine's first tick (and capture frame 0) after start
  std::uint64_t startTimeNs = 1'000'000'000;
};

class NoisyWorld final : public AudioBackend {
 public:
  static constexpr std::uint32_t kSignalModulus = 4096;  // a power of two: the spelling is exact
  static float frameSignal(std::uint64_t frame) {
    return 0.25f + static_cast<float>(frame % kSignalModulus) * (0.5f / kSignalModulus);
  }
  // The frame number modulo kSignalModulus a sample spells (fractional
  // between frames; meaningless for silence).
  static double signalPosition(double value) { return (value - 0.25) * (kSignalModulus / 0.5); }

  // What one wake of the audio thread did.
  struct Wake {
    std::uint64_t timeNs = 0;
    bool late = false;             // drawn late (a gap): lateNs beyond its event
    std::uint64_t lateNs = 0;
    bool render = false;           // a render wake (else capture only)
    int packets = 0;               // capture packets delivered
    int periods = 0;               // periods written
    std::int32_t flaggedUnderrunFrames = 0;  // Period::renderUnderrunFrames of its first period
    std::int64_t engineSilenceFrames = 0;    // silence the engine played since the last render wake
  };
  // A late wake, for attributing what follows it.
  struct Gap {
    std::uint64_t timeNs = 0;
    std::uint64_t lateNs = 0;
    std::uint64_t firstPeriod = 0;  // periods processed before it
  };

  explicit NoisyWorld(NoisyWorldConfig config);

  std::vector<EndpointInfo> listEndpoints() override;
  Status open(const DriverSettings& settings, DeviceDescription* description) override;
  Status prepare(const StreamRequest& request, StreamInfo* info) override;
  Status start(PeriodHandler* handler) override;
  void stop() override { started_ = false; }
  void unprepare() override { prepared_ = false; }
  void close() override { open_ = false; }
  std::uint64_t nowNs() const noexcept override { return now_; }

  // Runs the simulation up to and including the next wake of the audio
  // thread (the first call: the start's initial fill).
  Wake runWake();

  const NoisyWorldConfig& config() const { return config_; }
  double captureRate() const { return config_.rate * (1.0 + config_.captureClockPpm * 1e-6); }  // the truth
  const RenderQueue& queue() const { return queue_; }
  const std::vector<Gap>& gaps() const { return gaps_; }
  std::uint64_t periodsProcessed() const { return periods_; }
  std::uint64_t silenceRuns() const { return silenceRuns_; }      // render wakes after engine silence
  std::int64_t silentFrames() const { return silentFrames_; }     // engine-inserted silence, all
  std::uint64_t audioPathAllocations() const { return allocations_; }  // inside the handler's calls
  std::uint64_t violations() const { return violations_; }  // the loop needed a frame not yet played, ...
  std::uint64_t wakes() const { return wakes_; }

 private:
  std::uint64_t tickNs(std::uint64_t tick) const;
  std::uint64_t captureFrameNs(std::uint64_t frame) const;
  void engineTick();
  void signal(bool render);
  void scheduleWake();
  void drawPacketReady();
  double uniform(double lo, double hi);
  float loopSample(std::uint64_t captureFrame);
  void deliverReadyPackets(Wake& w);
  void renderPeriods(Wake& w);

  NoisyWorldConfig config_;
  DriverSettings settings_;
  bool open_ = false, prepared_ = false, started_ = false;
  PeriodHandler* handler_ = nullptr;
  RenderQueue queue_;
  std::int32_t minimumQueue_ = 0, capacity_ = 0;
  std::mt19937_64 rng_;

  std::uint64_t now_ = 0;
  bool initialFillDone_ = false;
  // The engine.
  std::uint64_t ticks_ = 0;                  // ticks done
  std::vector<float> buffer_;                // the stream buffer (ring of capacity_)
  std::uint64_t bufferRead_ = 0, bufferWritten_ = 0;
  std::vector<float> played_;                // what the engine played, by engine frame (ring)
  std::uint64_t playedFrames_ = 0;
  std::int64_t pendingSilence_ = 0;
  std::int64_t silentFrames_ = 0;
  std::uint64_t silenceRuns_ = 0;
  // The capture device.
  std::uint64_t packetsMade_ = 0;            // packets ready (their event came)
  std::uint64_t nextPacketReadyNs_ = 0;      // when packet packetsMade_ is ready
  std::uint64_t packetsDelivered_ = 0;       // the rest wait for the thread's next wake
  std::vector<float> packet_;                // interleaved 2 channels
  // The thread.
  bool renderSignaled_ = false, captureSignaled_ = false;
  bool wakeScheduled_ = false;
  std::uint64_t wakeAtNs_ = 0;
  bool wakeLate_ = false;
  std::uint64_t wakeLateNs_ = 0;
  std::uint64_t nextLateNs_ = 0;
  std::uint64_t wakes_ = 0;
  std::vector<Gap> gaps_;
  std::vector<float> scratch_;               // what GetBuffer hands out
  std::uint64_t periods_ = 0;
  std::uint64_t allocations_ = 0;
  std::uint64_t violations_ = 0;
};

}  // namespace a2w::test
