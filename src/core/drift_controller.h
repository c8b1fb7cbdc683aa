// Drift compensation: keeps the input FIFO's fill at its target by trimming
// the input resampler's ratio, when the capture device runs on another clock
// than the render device (or than the period timer).
//
// The loop. With the capture clock d (a fraction: 200 ppm = 2e-4) faster
// than the reader and the resampler taking (1 + u) input frames per nominal
// frame, the fill f (capture frames) moves as
//     df/dt = fc * (d - u)          fc: the capture rate in frames per second.
// A PI controller on the error e = f - target,
//     u = Kp * e + Ki * integral(e dt),
// makes that a second-order loop with s^2 + fc*Kp*s + fc*Ki = 0, so we pick
// the natural frequency wn and damping z in seconds (independent of the rate
// and buffer size) and set Kp = 2*z*wn/fc, Ki = wn^2/fc. In steady state the
// integral holds exactly the drift (u -> d) and the error goes to zero; a
// step in the drift moves the fill by about d*fc/(wn*e) frames at most
// (critically damped), which the FIFO's controller margin covers.
//
// Smoothness. The fill estimate the loop sees is averaged first (an
// exponential average over kSmoothingSeconds: it removes measurement noise,
// and is fast compared with the loop, so it costs little phase), and the
// output may change by at most kSlewPpmPerSecond (and kMaxSlewPpmPerPeriod
// per period), so the resampler's ratio only ever glides: a few ppm per
// period is far below anything audible (a 1 ppm frequency change is 0.002
// cents). The output is clamped to +-kMaxPpm; the integral stops growing
// while the output is clamped (anti-windup).
//
// Dead band. When the level measurement itself wanders by some amount
// without any drift (timer-driven capture whose delivery lateness wanders
// with the timers' phases: input_fifo.h), errors
// within +-deadband count as zero, so the ratio does not chase them; the
// fill then rests anywhere in the band, and a real drift is corrected once
// the fill reaches the band's edge (the ratio then follows the drift within
// tens of ppm instead of settling exactly; the FIFO's margin covers the band).
//
// Real time: update() does arithmetic only. One thread (the audio thread).
#pragma once

namespace a2w {

class DriftController {
 public:
  static constexpr double kNaturalFrequency = 0.25;   // rad/s: settles in ~20 s
  static constexpr double kDamping = 1.0;              // critically damped: no overshoot ringing
  static constexpr double kSmoothingSeconds = 0.5;
  static constexpr double kSlewPpmPerSecond = 200.0;
  static constexpr double kMaxSlewPpmPerPeriod = 5.0;
  static constexpr double kMaxPpm = 1000.0;            // beyond this a device is broken, not drifting

  // periodSeconds: time between update() calls;
  // captureRate: fc above; targetFrames: the fill to hold.
  // deadbandFrames: level errors up to this size count as none (the
  // proportional and integral terms see the error beyond it), for levels
  // whose measurement jumps by that much without any drift.
  void configure(double periodSeconds, double captureRate, double targetFrames, double deadbandFrames = 0);
  // Back to no correction, the smoothed fill at the target.
  void reset();
  // Restarts the smoothing at `fillFrames` (after the FIFO was re-primed),
  // keeping the drift learnt so far.
  void resetLevel(double fillFrames) { level_ = fillFrames; }
  // A new fill to hold (the FIFO widened its margin), keeping what was learnt.
  void retarget(double targetFrames) { target_ = targetFrames; }

  // One update (a period, or a block of them): the fill just measured;
  // returns the ratio adjust to apply (1 + u).
  double update(double fillFrames);

  double ratioPpm() const { return u_ * 1e6; }          // what is applied now
  double integralPpm() const { return integral_ * 1e6; }  // the drift learnt (u without the proportional part)
  double smoothedFill() const { return level_; }
  double targetFrames() const { return target_; }

 private:
  double dt_ = 0;
  double alpha_ = 1;  // exponential averaging weight per period
  double kp_ = 0;
  double ki_ = 0;
  double slew_ = 0;   // max |du| per period (fraction)
  double target_ = 0;
  double deadband_ = 0;
  double level_ = 0;
  double integral_ = 0;
  double u_ = 0;
};

}  // namespace a2w
