// The input path between the capture device and the host's input buffers.
// Capture arrives as packets on the device's schedule (captureArrived: any
// size, any time, possibly another clock); the host takes exactly one buffer
// per period (processPeriod). Between them: a ring of device-format frames
// (spsc_ring.h), and, when needed, a resampler whose ratio a drift
// controller trims (drift_controller.h).
//
// Two paths:
//  - direct: the capture shares the period clock and runs at the host rate.
//    The ring holds raw device bytes and each period converts one host
//    buffer straight from it (two segments when it wraps), so int32 capture
//    reaches an Int32 host bit for bit.
//  - resampled: the capture rate differs from the host rate (a fixed ratio,
//    e.g. a 44.1 kHz shared-mode mix under a 48 kHz host), and/or drift
//    compensation is on. Device frames -> float -> Resampler -> host type.
//
// The fill target T (device frames left in the FIFO right after the host's
// read, counting the frames the device has captured but not yet delivered):
//    T = P + J (+ C with the drift controller) (+ E)
//  P: one capture packet. Frames arrive P at a time at a phase we do not
//     control, so just after a read anything from 0 to P frames may be
//     captured but still in flight; the frames actually in the ring then lie
//     between T - P and T: P is the least that never runs dry.
//  J: the jitter margin, at least 0.5 ms + 2 frames (late delivery by the
//     OS, and the +-1 frame a resampler's integer consumption wanders per
//     period), or the backend's timing-jitter hint when larger (timer-driven
//     capture, e.g. shared mode, may deliver up to a period late). J grows
//     by half a packet at each underrun, up to 3 packets more than it
//     started with: a device later than its hint costs one glitch per step
//     and then plays clean, at a latency the host is told about
//     (targetGrowths() changes; the core sends kLatenciesChanged). Without
//     packet timestamps a lost packet looks the same as a late one when the
//     ring runs dry, so it widens the margin too; with timestamps a loss is
//     filled with silence in place and never underruns.
//  C: the controller margin, 1.5 ms + 2 frames: how far the fill strays
//     while the controller learns a new drift (about d*fc/(wn*e) frames for
//     a drift step d: 0.3 ms for 200 ppm, 1.5 ms for 1000 ppm; see
//     drift_controller.h), plus the controller's dead band D: half the
//     backend's timing-jitter hint (0 for device-clocked capture, half a
//     period for timer-driven capture). The level counts the frames in
//     flight (below), so a packet landing just before or just after a read
//     measures the same; what the level cannot see is how late the OS hands
//     frames over after capturing them (up to the hint), and that lateness
//     wanders as the timers' phases do. The controller ignores errors within
//     D, so the fill may sit anywhere in +-D and C covers that. The
//     controller runs once per block of periods (at least two packets and
//     50 ms) on the block's mean level. For timer-driven capture stamped
//     at delivery the level also counts the newest packet's lateness
//     against the lowest offset of the last few seconds
//     (core/delivery_lateness.h), from the first packet on: a packet
//     handed over late reads the level low, never high, and a load that
//     comes and goes would otherwise pass for drift. The priming, the
//     realign and the overrun check use that same level.
//  E: InputFifoConfig::earlyReadFrames, when reads come up to E frames
//     before the time they are stamped with (a resampled render stream).
// When the capture drives the periods (no render stream), the backend runs a
// period only once a buffer's worth has arrived, so the read never finds
// the ring short and no margin is needed: T = 0 (4 frames when resampling,
// for the resampler's integer consumption wandering around the nominal).
// "Captured but not yet delivered" is the time from the newest packet's end
// to the period's systemTimeNs: the end is deviceTimeNs + the packet's
// length, or the packet's arrivalNs when that is earlier (no frame is
// captured after we hold it: Wine stamps packets when it hands them over,
// a packet late) or when there is no stamp. So the latency is B + T whatever
// the phase of packets against periods, and the report needs no extra wait
// for a packet. With neither stamp nor arrival time it is taken as 0, the
// safe side for the FIFO (the ring then starts with T frames) but not for
// the latency (up to a packet more than reported).
//
// A packet flagged as a discontinuity whose timestamp shows a gap after the
// previous packet gets that many frames of silence in front of it: the
// lost frames' place is kept, so the latency stays exact and the margin
// intact. Without timestamps the FIFO just runs lower (and may underrun).
//
// Realignment: after an xrun elsewhere (the render device ran dry, so every
// later bufferSwitch comes that much later against the capture clock; or a
// capture discontinuity) the core asks for one (requestRealign()). The next
// read measures the level it would leave and brings it back to T in one
// step: the oldest surplus is dropped, or a deficit is delivered as
// silence in front of the buffer. One click, the latency back where it is
// reported, and the drift controller keeps what it learnt (its level
// smoothing restarts at T). Errors within the dead band (at least 2
// frames) are left alone: the level cannot be measured closer than that.
// The level may be negative in flight: a period stamped on time but read
// late (a catch-up burst after a late wake, render_queue.h) finds frames in
// the ring that were captured after its stamp, and counts them as ahead.
//
// Clock tracking (issue 13, point 1): whenever the drift controller runs
// against the periods (not when the capture drives them), the FIFO also
// estimates both clocks against the system clock from positions and times
// (core/clock_estimator.h: a fitted lower envelope, which late wakes do not
// pull): the capture clock from each packet's position at the end of its
// frames (the stamp's end, or its arrival when earlier, as the level counts
// it), the periods' clock from each read's position in host frames at its
// systemTimeNs. Once both are locked, their ratio is the controller's
// feed-forward (DriftController::setFeedForward): the ratio comes from the
// clocks, and the level loop only trims what is left (the phase, an
// estimate's error) at its own slow pace. Before lock the level loop does
// it all, as before. Timer-driven capture stamped at delivery scatters its
// positions by up to the jitter hint, so that estimate locks at 1 ppm of
// standard error instead of 0.25 (configure()). Xruns keep what the
// estimates learnt: a render underrun is a phase jump of the periods'
// clock, and a lost packet without a stamp one of the capture clock's,
// which the estimator detects (about 0.5 s for a late jump) and re-anchors
// without touching the rate; a lost packet with a stamp moves the capture
// position over the lost frames, no jump at all.
//
// Start-up and glitches: until the ring first holds one period's need plus
// T, the host gets silence (priming); then the oldest surplus is dropped so
// the fill starts exactly at T. An underrun (the ring cannot fill the
// host's buffer) delivers what is there plus silence, is counted, and primes
// again. An overrun (the level climbs beyond T + P + J + C, or a packet finds
// the ring full) drops the oldest surplus back to T and is counted. The
// counters are in InputFifo::Stats. The ring holds at least
// kMinimumRingSeconds, so a catch-up burst after a late wake fits.
//
// Threads: configure() and reset() while no period runs (they allocate /
// reset); push() on the producer thread (the backend's capture), read() on
// the consumer thread (the audio thread); today both are the audio thread.
// push() and read() never allocate, lock or do I/O. stats() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "asio/asio_abi.h"
#include "core/audio_backend.h"
#include "core/clock_estimator.h"
#include "core/delivery_lateness.h"
#include "core/device_format.h"
#include "core/drift_controller.h"
#include "core/resampler.h"
#include "core/spsc_ring.h"

namespace a2w {

struct InputFifoConfig {
  DeviceSampleFormat format = DeviceSampleFormat::Float32;
  int channels = 0;                 // device channels per frame
  std::int32_t bufferFrames = 0;    // the host buffer (B)
  double hostRate = 0;              // fs
  double deviceRate = 0;            // fc: the capture device's rate (0: fs)
  std::int32_t packetFrames = 0;    // P; 0: one host buffer's worth of device frames
  bool driftCompensation = false;   // run the controller (implies the resampler)
  bool captureDrivesPeriods = false;  // a period follows each buffer's worth of capture
  // Device frames by which a read may come before its systemTimeNs: with a
  // resampled render stream the core runs 0, 1 or 2 host buffers in one
  // device period, all at the period's start, each stamped at its own place
  // in the period. The target grows by this much (the ring must hold what
  // the stamp counts as captured but the device has not captured yet).
  std::int32_t earlyReadFrames = 0;
  // The least jitter margin J (device frames): StreamInfo's timing-jitter
  // hint. J starts at the larger of this and 0.5 ms + 2 frames.
  std::int32_t minimumJitterFrames = 0;
  asio::SampleType hostType = asio::SampleType::Float32LSB;
};

class InputFifo {
 public:
  struct Stats {
    std::uint64_t packets = 0;
    std::uint64_t silentPackets = 0;
    std::uint64_t discontinuities = 0;  // packets flagged: the device lost frames
    std::uint64_t underruns = 0;        // periods the host got silence in place of missing frames
    std::uint64_t overruns = 0;         // times the oldest frames were dropped (or a packet did not fit)
    std::uint64_t realigns = 0;         // requested realignments that moved the level
    std::uint64_t realignedFrames = 0;  // frames dropped or inserted by them
    std::int32_t targetFrames = 0;      // T, device frames
    std::int32_t fillFrames = 0;        // frames in the ring after the last read
    std::int32_t fillMinFrames = 0;     // min / max of fillFrames since start, once primed
    std::int32_t fillMaxFrames = 0;
    double levelFrames = 0;             // fill + captured-not-delivered (+ resampler look-ahead), last period
    double driftPpm = 0;                // the ratio adjust applied now (capture clock vs periods)
    double clockRatioPpm = 0;           // the clocks' estimate of it, the last while locked (0 before)
    bool clockLocked = false;           // both clock estimates locked now
    // The estimates' standard errors of the rate (ppm; infinite before a
    // fit): what the lock waits for (the log says them until it locks).
    double captureClockStdErrPpm = 0;
    double readerClockStdErrPpm = 0;
    bool primed = false;
    bool resampling = false;
    bool driftCompensation = false;
  };

  // Not real time (allocates; throws std::bad_alloc).
  void configure(const InputFifoConfig& config);
  // Empties everything for a new start. Not while periods run.
  void reset();

  // Producer: one capture packet.
  void push(const CapturePacket& packet) noexcept;
  // Consumer: fills one host buffer (B frames per non-null destination,
  // one per device slot) and runs the controller. systemTimeNs: the period's.
  void read(void* const* destinations, std::uint64_t systemTimeNs) noexcept;

  // Consumer thread: bring the level back to T (see above) at the read
  // `afterReads` reads from now (0: the next). Until then the drift
  // controller is not fed: the level it would see is the xrun's, not drift.
  void requestRealign(int afterReads = 0) noexcept {
    realignPending_ = true;
    realignDelay_ = afterReads > 0 ? afterReads : 0;
  }
  // Frames the realignment in the last read moved (+: dropped, -: silence
  // inserted; 0: none in that read).
  std::int32_t lastRealignFrames() const noexcept { return lastRealign_; }

  Stats stats() const;
  std::int32_t targetFrames() const { return targetPublished_.load(std::memory_order_relaxed); }
  // How many times an underrun grew the jitter margin (and the target).
  std::uint32_t targetGrowths() const { return targetGrowths_.load(std::memory_order_relaxed); }
  // Input latency the FIFO and the resampler add, in host frames: the target
  // fill plus the resampler's group delay.
  std::int32_t addedLatencyHostFrames() const;
  bool resampling() const { return resampler_.has_value(); }

 private:
  double capturedNotDelivered(std::uint64_t systemTimeNs) const;
  // leadingSilence: frames of silence in front of what comes from the ring.
  std::int32_t take(void* const* destinations, std::int32_t need, std::int32_t leadingSilence = 0) noexcept;
  // The realignment for this read (frames of silence to put in front; drops
  // the surplus itself). available: the ring's frames before the read.
  std::int32_t realign(std::size_t available, std::int32_t need, double inFlight) noexcept;
  void dropOldest(std::size_t frames) noexcept;
  void publishFill(double level) noexcept;
  void feedController(double level) noexcept;  // once per period; the controller runs per block
  void observeCapture(std::uint64_t endNs) noexcept;  // producer: the position after a packet
  void applyClocks() noexcept;                         // consumer: the feed-forward, once both locked
  void restartLevelBlock() noexcept;
  void setTarget() noexcept;    // target_ and overrunLimit_ from the parts
  void growJitter() noexcept;   // after an underrun

  InputFifoConfig config_;
  std::size_t frameBytes_ = 0;
  std::int32_t packet_ = 0;
  std::int32_t jitter_ = 0;
  std::int32_t jitterCap_ = 0;
  std::int32_t margin_ = 0;
  std::int32_t early_ = 0;
  std::int32_t target_ = 0;
  std::int32_t overrunLimit_ = 0;
  SpscRing ring_;

  std::optional<Resampler> resampler_;
  std::optional<DriftController> controller_;
  static constexpr double kLevelBlockSeconds = 0.05;
  static constexpr double kMinimumRingSeconds = 0.6;
  bool realignPending_ = false;
  int realignDelay_ = 0;  // reads to wait before the pending realignment
  std::int32_t lastRealign_ = 0;
  int levelBlockPeriods_ = 1;  // periods per controller update
  int levelBlockCount_ = 0;
  double levelBlockSum_ = 0;
  std::int32_t deadband_ = 0;  // level errors the controller ignores (configure())
  std::int64_t fedFrames_ = 0;            // frames given to the resampler since its reset
  std::vector<float> inScratch_, outScratch_;  // planar, per channel
  std::vector<float*> inPlanes_, outPlanes_;
  std::vector<void*> inTargets_;          // inPlanes_ as conversion targets
  std::vector<void*> convertTargets_;     // per channel: where the next segment goes
  bool primed_ = false;

  std::uint64_t producerEndNs_ = 0;  // producer only: the end of the last packet

  // Clock tracking (with the controller only). The capture clock is the
  // producer's, the periods' the consumer's; the producer publishes its
  // rate once locked (0 before), as a fraction of the nominal.
  bool trackClocks_ = false;
  ClockEstimator captureClock_;
  ClockEstimator readerClock_;
  std::int64_t capturePosition_ = 0;  // producer: device frames since reset, lost ones included
  std::int64_t readPosition_ = 0;     // consumer: host frames read since reset
  std::atomic<double> captureClockRatio_{0};
  std::atomic<double> clockRatioPpm_{0};
  std::atomic<bool> clockLocked_{false};
  std::atomic<double> captureClockStdErr_{0}, readerClockStdErr_{0};
  // Timer-driven capture stamped at delivery: the producer publishes how
  // late the newest packet was handed over (core/delivery_lateness.h), in
  // device frames (0 otherwise), and the level counts them as captured.
  DeliveryLateness deliveryLateness_;
  std::atomic<double> captureLateFrames_{0};
  // Producer -> consumer: when the newest delivered frame was captured.
  std::atomic<std::uint64_t> lastPacketEndNs_{0};

  // Statistics: written by one side, read by stats().
  std::atomic<std::uint64_t> packets_{0}, silentPackets_{0}, discontinuities_{0};
  std::atomic<std::uint64_t> underruns_{0}, overruns_{0}, producerOverruns_{0};
  std::atomic<std::uint64_t> realigns_{0}, realignedFrames_{0};
  std::atomic<std::int32_t> targetPublished_{0};  // target_, for other threads
  std::atomic<std::uint32_t> targetGrowths_{0};
  std::atomic<std::int32_t> fill_{0}, fillMin_{0}, fillMax_{0};
  std::atomic<double> level_{0}, driftPpm_{0};
  std::atomic<bool> primedFlag_{false};
};

}  // namespace a2w
