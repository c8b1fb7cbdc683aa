// Whether the render engine itself fell behind the system clock: the late
// pass that no padding shows. Portable, used by the WASAPI render stream
// (src/wasapi/render_stream.cpp) and tested natively.
//
// Why. The render queue (render_queue.h) sees an underrun when our thread
// woke too late and found the buffer empty. It cannot see an engine that
// was late itself: the engine's clock stopped with it, so the padding still
// shows the queue full, while the device behind the engine ran dry. Under
// Wine this is the common case: winepulse's engine is a timer thread whose
// padding is a virtual clock, and when that thread wakes 20-50 ms late
// (a busy machine) PulseAudio plays on from its own short buffer and runs
// dry; winepulse's clock then catches up in a burst of short passes and the
// recording has silence where the engine was asleep (docs/LATENCY.md,
// "Late periods"). On Windows the engine's position follows the device's
// clock, so this fires only when audiodg itself fell behind.
//
// How. What the engine consumed (frames written minus padding) against the
// system clock: offset = elapsed x rate - consumed. A healthy engine keeps
// the offset at a floor (the lower envelope) with a sawtooth above it of up
// to one engine pass (a period per pass on Windows, about the timer's
// jitter under Wine). The floor follows a slow engine clock (up to
// kFloorRisePpm, clock drift) and drops to every lower offset. An offset
// more than `toleranceFrames` above the floor is the engine's late pass:
// observe() reports it once, with the lag. The event ends when the offset
// comes back within half the tolerance (Wine's catch-up), or, if the
// engine never makes the time up (a device that restarted), after
// kHoldSeconds, the floor moving to the lowest offset of that time.
//
// Real time: observe() is arithmetic only.
#pragma once

#include <cstdint>

namespace a2w {

class EngineClockWatch {
 public:
  static constexpr double kFloorRisePpm = 1000;  // a slower engine clock than this is a fault, not drift
  static constexpr double kHoldSeconds = 0.5;

  // rate: the engine's frames per second; toleranceFrames: how far above the
  // floor the offset may go in a healthy pass (see render_stream.cpp).
  void configure(double rate, double toleranceFrames) noexcept;
  // Forget the floor: the next observation starts a new one (a start, or an
  // underrun the render queue saw, which moves the consumed position itself).
  void rebase() noexcept;
  // consumedFrames: frames the engine has taken since the stream started;
  // returns > 0 once per late pass: how far behind the clock the engine fell
  // (device frames).
  std::int32_t observe(std::uint64_t consumedFrames, std::uint64_t nowNs) noexcept;

  std::uint64_t latePasses() const noexcept { return latePasses_; }
  // The offset above the floor at the last observation (frames).
  double lagFrames() const noexcept { return lag_; }

 private:
  double rate_ = 48000;
  double tolerance_ = 480;
  bool based_ = false;
  std::uint64_t originNs_ = 0;
  std::uint64_t originConsumed_ = 0;
  double floor_ = 0;
  double floorAtNs_ = 0;  // seconds since origin when the floor was last moved
  double lag_ = 0;
  bool late_ = false;
  double lateSinceSeconds_ = 0;
  double lowestWhileLate_ = 0;
  std::uint64_t latePasses_ = 0;
};

}  // namespace a2w
