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
// integral holds exactly the drift (u -> d) and the error goes to zero
// (without a feed-forward: with one, setFeedForward below, it holds only
// the estimate's error, and leaks); a
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
  static constexpr double kHandoverSeconds = 60.0;     // the integral's leak once the feed-forward is on
  static constexpr double kTrimNaturalFrequency = 0.05;  // rad/s, once the feed-forward is on

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
  void resetLevel(double fillFrames) {
    level_ = fillFrames;
    lastError_ = 0;
  }
  // A new fill to hold (the FIFO widened its margin), keeping what was learnt.
  void retarget(double targetFrames) { target_ = targetFrames; }
  // The ratio adjust the clocks' own estimates give (a fraction; the input
  // FIFO's clock tracking, core/clock_estimator.h): it becomes part of the
  // output. At the first call (the handover) the integral gives up as much
  // as it takes over, so the output does not jump; later calls (a refined
  // estimate) go straight to the output, through the slew limit. From the
  // handover on:
  //  - the integral leaks away with the time constant kHandoverSeconds:
  //    what the level loop had learnt hands over to the estimate gradually
  //    (within a dead band the level loop never corrects itself, so without
  //    the leak its error would stay);
  //  - the level loop runs at kTrimNaturalFrequency, five times slower: it
  //    only trims the phase (the FIFO realigns a glitch's phase in one
  //    step, input_fifo.h) and an estimate's small error, so a phase error
  //    moves the ratio by a fifth as much and the integral learns 25 times
  //    less from it. An estimate's error d costs a steady level offset of
  //    d / (Kp + Ki * kHandoverSeconds): 1 frame for 5 ppm at 48 kHz.
  void setFeedForward(double fraction);

  // One update (a period, or a block of them): the fill just measured;
  // returns the ratio adjust to apply (1 + u).
  double update(double fillFrames);

  double ratioPpm() const { return u_ * 1e6; }          // what is applied now
  double integralPpm() const { return integral_ * 1e6; }  // the drift the level loop learnt (beyond the feed-forward)
  double feedForwardPpm() const { return feedForward_ * 1e6; }
  double smoothedFill() const { return level_; }
  double targetFrames() const { return target_; }

 private:
  void setGains(double naturalFrequency);  // Kp, Ki for wn (rad/s) at fc_
  double integralWithinLimit(double value) const;

  double dt_ = 0;
  double alpha_ = 1;  // exponential averaging weight per period
  double kp_ = 0;
  double ki_ = 0;
  double fc_ = 0;
  double slew_ = 0;   // max |du| per period (fraction)
  double target_ = 0;
  double deadband_ = 0;
  double level_ = 0;
  double integral_ = 0;
  double feedForward_ = 0;
  bool feedForwardOn_ = false;
  double lastError_ = 0;  // the error of the last update (past the dead band)
  double leak_ = 1;  // the integral's factor per update with the feed-forward on
  double u_ = 0;
};

}  // namespace a2w
