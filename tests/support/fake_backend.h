// An AudioBackend for the native tests: a configurable device that produces
// periods only when the test calls tick(), synchronously, on the test's own
// thread. No threads, no sleeping, a fake clock.
//
// Capture is a second device with its own clock: an event-driven simulation
// interleaves, in time order, render periods (every B/fs seconds of the
// render clock, the reference) and capture packets (P frames, delivered when
// their last frame is captured, every P/(fc*(1 + ppm*1e-6)) seconds, plus an
// optional deterministic delivery jitter). Each packet carries deviceTimeNs,
// the true capture time of its first frame. Without a render stream the
// capture drives the periods: one period each time a host buffer's worth of
// frames has been delivered (StreamInfo::captureDrivesPeriods).
//
// It also checks how the core drives it (open before prepare, no start
// without prepare, ...) and records protocol violations for the test to
// assert empty; stop/unprepare/close are idempotent, as the contract says.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/audio_backend.h"

namespace a2w::test {

struct FakeDeviceConfig {
  int outputChannels = 2;  // 0: no render side ("none")
  int inputChannels = 2;   // 0: no capture side
  std::vector<std::string> outputNames;  // empty: "Speaker 1", "Speaker 2", ...
  std::vector<std::string> inputNames;   // empty: "Mic 1", ...
  std::vector<double> sampleRates = {44100, 48000, 96000};
  double defaultSampleRate = 48000;
  // One per rate; empty: powers of two 64..2048, preferred 256, at every rate.
  std::vector<BufferSizeOptions> bufferSizes;
  DeviceSampleFormat renderFormat = DeviceSampleFormat::Float32;
  DeviceSampleFormat captureFormat = DeviceSampleFormat::Float32;
  int renderStreamChannels = 0;   // channels prepare() opens; 0: outputChannels
  int captureStreamChannels = 0;  // 0: inputChannels
  std::int32_t renderExtraLatencyFrames = 0;
  std::int32_t captureExtraLatencyFrames = 0;
  // The part of each extra the "OS" reports (StreamInfo::Side::osLatencyFrames).
  std::int32_t renderOsLatencyFrames = 0;
  std::int32_t captureOsLatencyFrames = 0;
  std::int32_t streamBufferFrames = 0;  // what prepare() reports; 0: the requested size
  // The render device's rate (StreamInfo::render.deviceSampleRate); 0: the
  // stream's. When it differs, the periods are renderPeriodFrames device
  // frames (0: one buffer's worth at the device rate, rounded) and the fake
  // clock runs at this rate. At the stream's rate, renderPeriodFrames > 0
  // makes the periods that long whatever the host's buffer (reported as
  // render.packetFrames: the core rebuffers); 0 keeps one buffer a period.
  double renderDeviceSampleRate = 0;
  std::int32_t renderPeriodFrames = 0;
  bool alwaysOpenRender = false;  // open render even when not asked (as the period clock)
  std::uint64_t startTimeNs = 5'000'000'000;  // the fake clock at the first period
  std::uint32_t captureSeed = 1;              // seed of the capture pattern
  // --- the capture device's clock and packets
  std::int32_t capturePacketFrames = 0;  // P; 0: the buffer size
  double captureClockPpm = 0;            // the capture clock vs the render clock; +: faster
  bool captureSharesRenderClock = true;  // what prepare() reports (set false with a ppm)
  double captureDeviceSampleRate = 0;    // the capture device's rate; 0: the stream's
  std::uint64_t captureJitterNs = 0;     // each delivery is late by a pseudo-random 0..this
  // A load that comes and goes (make stress's busy loops, running one
  // second in two): packets that end in the second half of each
  // captureLoadCycleNs are late by a pseudo-random 0..captureLoadJitterNs
  // more. Under Wine such a load delays winepulse's timer thread, which
  // hands the packets over (and stamps them then); measured in make stress
  // at 10 ms periods: input levels that read low by 10-40 ms for a second.
  std::uint64_t captureLoadJitterNs = 0;
  std::uint64_t captureLoadCycleNs = 2'000'000'000;
  // Picks another draw of the same load distribution; 0 is the draw the
  // figures in docs/LATENCY.md were first measured with.
  std::uint64_t captureLoadSeed = 0;
  std::int32_t captureTimingJitterFrames = 0;  // the hint prepare() reports (StreamInfo)
  bool captureTimestamps = true;         // packets carry deviceTimeNs (false: 0, unknown)
  // Stamp each packet with its delivery time instead of its first frame's
  // capture time: a packet late, as Wine's WASAPI does.
  bool captureStampedAtDelivery = false;
  // Packets carry their delivery time as CapturePacket::arrivalNs, as the
  // WASAPI backend's always do (false: 0, unknown).
  bool captureArrivalTimes = true;
  // The capture signal: a pattern (bit-exact checks) or a sine per channel.
  enum class Signal : std::uint8_t { Pattern, Sine } captureSignal = Signal::Pattern;
  int captureSineHz = 100;           // an integer, so one cycle is a whole number of frames at integer rates
  double captureSineAmplitude = 0.5;
  bool recordRendered = true;  // false: do not keep rendered() (hour-long runs)
  // The mode prepare() reports (StreamInfo::mode): the core treats
  // exclusive-event misses apart (no margin can grow there).
  StreamMode streamMode = StreamMode::SharedEvent;
  // true: start() runs periods on a thread of its own (the backend's audio
  // thread), back to back, until stop() joins it; tick() is then not for the
  // test to call. For the ThreadSanitizer tests (tests/tsan).
  bool threaded = false;
};

// Shared with the test, so it outlives the backend the core owns (and
// deletes): the destructor's calls can be checked after the core is gone.
struct FakeBackendLog {
  int open = 0, prepare = 0, start = 0, stop = 0, unprepare = 0, close = 0;
  std::vector<std::string> violations;  // "prepare while not open", ...
  DriverSettings lastSettings;
  StreamRequest lastRequest;
};

class FakeBackend final : public AudioBackend {
 public:
  explicit FakeBackend(FakeDeviceConfig config = {});
  ~FakeBackend() override;

  std::vector<EndpointInfo> listEndpoints() override;
  Status open(const DriverSettings& settings, DeviceDescription* description) override;
  Status prepare(const StreamRequest& request, StreamInfo* info) override;
  Status start(PeriodHandler* handler) override;
  void stop() override;
  void unprepare() override;
  void close() override;
  void setEventHandler(PeriodHandler* handler) override { eventHandler_.store(handler, std::memory_order_release); }
  // The fake clock as the core sees it from inside a period: the period's
  // start plus whatever spendNs() added during it.
  std::uint64_t nowNs() const noexcept override { return periodStartNs_ + spentNs_; }

  // Fault injection: every later call fails with `status` until cleared (nullopt).
  void failOpen(std::optional<Status> status) { failOpen_ = std::move(status); }
  void failPrepare(std::optional<Status> status) { failPrepare_ = std::move(status); }
  void failStart(std::optional<Status> status) { failStart_ = std::move(status); }

  // Runs the simulation until `periods` periods went through the handler
  // (with every capture packet due before them); returns how many ran (0
  // when not started).
  int tick(int periods = 1);
  // Capture faults, by packet number since start: delivered as silent
  // (flagged, data null), or lost (never delivered; the next delivered one
  // carries the discontinuity flag).
  void silenceCapturePackets(std::uint64_t first, std::uint64_t count) { silent_ = {first, first + count}; }
  void loseCapturePackets(std::uint64_t first, std::uint64_t count) { lost_ = {first, first + count}; }
  // Delivers `count` extra packets of silence right now (a burst).
  void injectCapturePackets(int count);
  // Hands `packet` (any size, flags and timestamp; data, when not null,
  // must hold packet.frames capture frames) to the core as the backend's
  // capture would; false when not started.
  bool deliverCapturePacket(const CapturePacket& packet);
  std::uint64_t capturePacketsDelivered() const { return packetsDelivered_; }
  // Lets the frame count of the next periods differ from the buffer size.
  void setPeriodFrames(std::int32_t frames) { periodFramesOverride_ = frames; }
  // Calls deviceEvent on the event handler (setEventHandler; the core sets
  // itself at construction), else on the start() handler, as the backend's
  // notification thread would (any thread). False when there is neither.
  bool emitDeviceEvent(DeviceEvent event);
  // The render device runs dry for `frames` before the next period (the
  // audio thread woke that late): the render clock moves on by that much
  // with no period, so capture keeps arriving, and the next period carries
  // Period::renderUnderrunFrames = frames, as the WASAPI backend reports it.
  void renderRunsDry(std::int32_t frames) {
    dryFrames_ += static_cast<std::uint64_t>(frames);
    nextUnderrunFrames_ = frames;
  }
  // The next period reports the render engine `frames` behind the clock
  // (Period::renderEngineLateFrames): its own late pass.
  void renderEngineLate(std::int32_t frames) { nextEngineLateFrames_ = frames; }
  // Period::renderSafetyFrames from the next period on (the backend's margin).
  void setRenderSafetyFrames(std::int32_t frames) { safetyFrames_ = frames; }
  // Inside a period (e.g. from the host's bufferSwitch): the fake clock
  // moves on by `ns`, as if the host took that long.
  void spendNs(std::uint64_t ns) { spentNs_ += ns; }

  // The capture sample of device channel `channel` at device `frame` since start.
  std::int32_t captureValue(int channel, std::uint64_t frame) const;
  double captureRate() const;  // fc, nominal

  // Every render period the core filled, concatenated (device format,
  // interleaved); and the frames per channel in it.
  const std::vector<std::byte>& rendered() const { return rendered_; }
  std::uint64_t renderedFrames() const { return renderedFrames_; }
  // The render sample of slot `channel` at `frame` (Float32 / Int32 devices).
  float renderedFloat(int channel, std::uint64_t frame) const;
  std::int32_t renderedInt32(int channel, std::uint64_t frame) const;

  std::uint64_t clockNs() const;  // the fake clock: start of the next period
  std::uint64_t periodTimeNs(std::uint64_t period) const;  // start of period #period since start
  double renderRate() const;               // the render device's rate (the stream's unless configured)
  std::int32_t renderPeriodFrames() const;  // frames per render period (device frames)
  const FakeDeviceConfig& config() const { return config_; }
  const std::shared_ptr<FakeBackendLog>& log() const { return log_; }
  bool isOpen() const { return open_; }
  bool isPrepared() const { return prepared_; }
  bool isStarted() const { return started_; }

 private:
  void violation(std::string what) { log_->violations.push_back(std::move(what)); }
  int renderChannels() const;
  int captureChannels() const;
  std::uint64_t packetDeliveryNs(std::uint64_t packet) const;
  std::uint64_t frameCaptureNs(std::uint64_t frame) const;
  void deliverPacket();
  void runRenderPeriod();
  std::int32_t packetFrames() const;
  double captureRateFor(const StreamRequest& request) const;
  std::int32_t packetFramesFor(const StreamRequest& request) const;

  FakeDeviceConfig config_;
  std::shared_ptr<FakeBackendLog> log_ = std::make_shared<FakeBackendLog>();
  std::optional<Status> failOpen_, failPrepare_, failStart_;
  bool open_ = false, prepared_ = false, started_ = false;
  StreamRequest request_;
  std::int32_t periodFramesOverride_ = 0;
  PeriodHandler* handler_ = nullptr;
  std::atomic<PeriodHandler*> eventHandler_{nullptr};  // setEventHandler's
  std::atomic<PeriodHandler*> startHandler_{nullptr};  // handler_, for emitDeviceEvent on any thread
  std::uint64_t periodStartNs_ = 0;  // nowNs(): the running period's start ...
  std::uint64_t spentNs_ = 0;        // ... plus what spendNs() added in it
  std::thread periodThread_;                           // config_.threaded
  std::atomic<bool> stopPeriodThread_{false};
  std::uint64_t framesSinceStart_ = 0;  // render frames
  std::uint64_t dryFrames_ = 0;         // render frames the device ran dry for (renderRunsDry)
  std::int32_t nextUnderrunFrames_ = 0;
  std::int32_t nextEngineLateFrames_ = 0;
  std::int32_t safetyFrames_ = 0;
  std::uint64_t periodsRun_ = 0;
  std::uint64_t packetsDue_ = 0;        // next packet number (delivered or lost)
  std::uint64_t packetsDelivered_ = 0;
  std::uint64_t lastDeliveryNs_ = 0;
  bool lostSinceLastDelivery_ = false;
  std::pair<std::uint64_t, std::uint64_t> silent_{0, 0}, lost_{0, 0};
  std::vector<std::int32_t> sineTable_;  // one cycle, Sine signal
  std::vector<std::byte> captureBuffer_, renderBuffer_, rendered_;
  std::uint64_t renderedFrames_ = 0;
};

}  // namespace a2w::test
