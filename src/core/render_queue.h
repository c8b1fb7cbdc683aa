// How much to keep queued ahead of a render engine that pulls from a buffer
// we fill (WASAPI shared mode and exclusive polling), and what a wake-up
// that came too late did to it. Portable, so the same policy runs in the
// WASAPI backend (src/wasapi/render_stream.cpp) and in the native
// simulations of a noisy machine (tests/support/noisy_world.h).
//
// The queue. The engine takes frames from the buffer at its own clock; the
// audio thread wakes (event or timer) and writes whole periods while the
// queue stays at or below the target. A target of two periods is the least
// that works (one being played, one ahead); every frame queued beyond that
// is latency bought against late wake-ups. The target starts at
// `minimumQueueFrames` every time the stream starts.
//
// An underrun. The audio thread may wake late (a busy core, a hypervisor
// taking the CPU, a DPC storm): when it finds the buffer empty and more
// than a period longer has passed since its last write than the queue held,
// the engine ran dry and played about `elapsed - queued - period/2` frames
// of silence (an engine plays the last period it pulled until its next pass). From then on
// every frame we write plays that much later: the output's phase moved for
// good. wake() reports it once, with that estimate; the caller counts it,
// tells the host, and realigns the input path (input_fifo.h), which
// measures the actual shift itself.
//
// The adaptive margin. With `adaptive`, each underrun raises the target by
// one period, up to `maximumQueueFrames`: a machine that was late once is
// likely to be late again by as much, and one more click per step costs
// less than clicks forever. The extra queue (safetyFrames()) is reported to
// the host as output latency (kLatenciesChanged), so recordings stay
// aligned. Without `adaptive` the target stays where it started: the
// minimum plus `initialSafetyFrames` (a fixed safety from the settings).
//
// On-time stamps. A period written late (the first writes after a late
// wake) is stamped with the moment it would have been written on time:
// `now - (target - period - padding) / rate`. Every stamp is then its first
// frame's play time minus the same constant, however late the thread woke,
// so the periods written in one catch-up burst carry evenly spaced times
// instead of one, and the input FIFO's level, computed from those times,
// does not see a burst as a phase change (input_fifo.h).
//
// Real time: wake(), stampFor() and wrote() are arithmetic only.
#pragma once

#include <cstdint>

namespace a2w {

struct RenderQueueConfig {
  std::int32_t periodFrames = 0;        // frames per write
  std::int32_t capacityFrames = 0;      // the buffer the engine pulls from
  std::int32_t minimumQueueFrames = 0;  // the target at start (clamped to [period, capacity])
  std::int32_t maximumQueueFrames = 0;  // the adaptive target's cap (clamped to [minimum, capacity])
  std::int32_t initialSafetyFrames = 0; // the margin at start, beyond the minimum (a fixed safety)
  double rate = 48000;                  // the engine's frames per second
  bool adaptive = true;                 // grow the target after an underrun
  // How the engine takes frames: a period per pass, playing each until the
  // next pass (Windows' audio engine), or as it plays them (Wine's
  // winepulse: its padding is a clock that PulseAudio's buffer follows
  // continuously). With whole periods an empty buffer is proof of silence
  // only a period after the queue's time; with a continuous engine at once
  // (half a period of slack for its timer).
  bool engineTakesWholePeriods = true;
};

class RenderQueue {
 public:
  struct Wake {
    // > 0: the engine ran dry since the last write, for about this many frames.
    std::int32_t underrunFrames = 0;
    bool targetGrew = false;  // the underrun raised the target (safetyFrames() changed)
  };

  void configure(const RenderQueueConfig& config);
  // A new start: the target back at the minimum, no write seen yet.
  void reset() noexcept;

  // At a wake, before writing: the buffer's padding (frames queued) and the time.
  Wake wake(std::uint32_t padding, std::uint64_t nowNs) noexcept;
  // Whether one more period fits below the target with `padding` queued.
  bool roomForPeriod(std::uint32_t padding) const noexcept;
  // The on-time stamp of a period about to be written with `padding` queued.
  std::uint64_t stampFor(std::uint32_t padding, std::uint64_t nowNs) const noexcept;
  // After the wake's writes: what is queued now.
  void wrote(std::uint32_t padding, std::uint64_t nowNs) noexcept;

  std::int32_t targetFrames() const noexcept { return target_; }
  // The queue beyond the minimum, in frames: the latency the margin added.
  std::int32_t safetyFrames() const noexcept { return target_ - minimum_; }
  std::int32_t minimumFrames() const noexcept { return minimum_; }
  std::int32_t maximumFrames() const noexcept { return maximum_; }
  std::uint64_t underruns() const noexcept { return underruns_; }

 private:
  RenderQueueConfig config_;
  std::int32_t minimum_ = 0;
  std::int32_t maximum_ = 0;
  std::int32_t target_ = 0;
  bool written_ = false;
  std::uint32_t queuedAfterWrite_ = 0;
  std::uint64_t lastWriteNs_ = 0;
  std::uint64_t underruns_ = 0;
};

}  // namespace a2w
