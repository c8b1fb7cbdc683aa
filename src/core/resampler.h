// A band-limited sample-rate converter for planar float audio: a windowed-sinc
// polyphase interpolator (Kaiser window, coefficient rows interpolated
// linearly between phases), for
//  - a fixed ratio when the host's rate differs from the shared-mode mix rate,
//  - a slowly varying ratio for drift compensation between two device clocks
//    (setRatioAdjust, a few hundred ppm, from a controller on a FIFO level).
// Design and measured figures: docs/RESAMPLER.md; tests:
// tests/unit/resampler_test.cpp.
//
// Time model. Output frame m is the input signal, band-limited to the lower of
// the two Nyquist frequencies, evaluated at input time
//   t_m = t_0 + sum_{i<m} ratio_i,   t_0 = -groupDelayInputFrames(),
// where ratio_i is the input/output ratio in effect for frame i (the nominal
// inputRate/outputRate times the ratio adjust). Input before frame 0 is
// silence, so the first output frame needs one input frame, and after P
// input frames a fixed-ratio stream has produced ceil(P / ratio) output frames.
//
// Real time: the constructor allocates everything; process(),
// setRatioAdjust(), inputFramesNeeded(), outputFramesAvailable() and reset()
// never allocate, lock, throw or do I/O. One object is used by one thread at a
// time (the audio thread): setRatioAdjust is not synchronised with process.
// The output depends only on the input samples and on which output frame each
// setRatioAdjust call precedes, never on how input and output are cut into
// process() calls.
#pragma once

#include <cstdint>
#include <vector>

namespace a2w {

// The filter, relative to the lower of the two rates (fs_low): the kernel
// is 2*halfTaps samples of fs_low long (rounded up to a multiple of 8 input
// frames), with `phases` rows per fs_low sample, its -6 dB point at
// `cutoff` times the Nyquist frequency of fs_low, under a Kaiser window of
// `kaiserBeta`. The defaults give the figures in docs/RESAMPLER.md:
// flat within 0.1 dB to 0.45 fs_low, >= 100 dB rejection from 0.55 fs_low.
struct ResamplerQuality {
  int halfTaps = 40;
  int phases = 512;
  double cutoff = 1.0;
  double kaiserBeta = 12.5;
};

class Resampler {
 public:
  using Quality = ResamplerQuality;

  struct Result {
    int inputFramesConsumed = 0;
    int outputFramesProduced = 0;
  };

  // The largest deviation setRatioAdjust accepts: factors are clamped to
  // [1 - kMaxRatioAdjust, 1 + kMaxRatioAdjust].
  static constexpr double kMaxRatioAdjust = 0.01;

  // channels >= 1; rates > 0 (values outside are clamped to 1 channel and
  // 1 Hz so the object stays usable; callers validate beforehand).
  Resampler(int channels, double inputRate, double outputRate, Quality quality = {});

  // Multiplies the nominal input/output ratio by `factor` (1.0002 takes 200
  // ppm more input per output frame: the output plays 200 ppm "faster"). The
  // change is a linear ramp of the factor over ratioRampFrames() output
  // frames from its current value, so the frequency of the output moves
  // smoothly and its phase never jumps. Clamped to +-kMaxRatioAdjust; NaN
  // is ignored, and so is the target already set (the ramp goes on).
  void setRatioAdjust(double factor);
  double ratioAdjust() const { return adjust_; }        // in effect now
  double ratioAdjustTarget() const { return target_; }  // where the ramp goes
  int ratioRampFrames() const { return rampFrames_; }

  // Input frames per output frame in effect now (nominal times adjust).
  double ratio() const { return nominalRatio_ * adjust_; }
  double nominalRatio() const { return nominalRatio_; }

  // Consumes up to inFrames input frames and produces up to outCapacity
  // output frames. Input is consumed only as the next output frame needs it:
  // it stops when the output is full or the input runs out, whichever comes
  // first. in[c] and out[c] for c < channels() must be valid (in[] may be
  // null when inFrames == 0).
  Result process(const float* const* in, int inFrames, float* const* out, int outCapacity);

  // The input frames process() will consume to produce exactly outFrames
  // output frames from the current state, ratio ramp included.
  int inputFramesNeeded(int outFrames) const;
  // The output frames process() will produce from exactly inFrames more input
  // frames with unlimited output space (it then consumes all of them).
  int outputFramesAvailable(int inFrames) const;

  // The delay of the output after the input, in input frames (the kernel's
  // half length: the filter is linear phase), and the same in output frames
  // at the nominal ratio.
  double groupDelayInputFrames() const { return 0.5 * taps_; }
  double groupDelayOutputFrames() const { return groupDelayInputFrames() / nominalRatio_; }

  // The input time (in input frames, counted from the first frame consumed
  // since construction or reset) that the next output frame represents,
  // before the group delay: t_m + groupDelayInputFrames() in the model above.
  double nextOutputInputTime() const;

  // Back to the state after construction: silent history, time zero. The ratio
  // adjust keeps its target and jumps to it (no ramp).
  void reset();

  int channels() const { return channels_; }
  int taps() const { return taps_; }      // input frames per dot product
  int phases() const { return phases_; }  // coefficient rows (plus one)

 private:
  void advance(int& pending, double& frac, double& adjust, int& rampLeft) const;

  int channels_;
  int taps_;
  int phases_;
  double nominalRatio_;
  int rampFrames_;

  std::vector<float> table_;    // (phases_ + 1) * taps_
  std::vector<float> history_;  // channels_ * 2 * taps_: each frame twice
  std::vector<float> coefs_;    // taps_: the row for the current output

  // Position: the next output frame is at input time n + frac_, where the
  // history must first receive pending_ more frames (n is implicit: the
  // newest frame in the history is n + taps_/2).
  int pending_ = 1;
  double frac_ = 0.0;
  int write_ = 0;                 // next history slot, 0 .. taps_-1
  std::int64_t consumed_ = 0;     // frames consumed since reset

  double adjust_ = 1.0;
  double target_ = 1.0;
  double rampStep_ = 0.0;
  int rampLeft_ = 0;
};

}  // namespace a2w
