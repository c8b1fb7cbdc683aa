#include "core/resampler.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/sinc_table.h"

namespace a2w {
namespace {

// Eight independent partial sums, so the compiler can keep them in SIMD
// lanes without reassociating (n is a multiple of 8). The combination order
// is fixed: results do not depend on alignment or on the call.
inline float dot(const float* a, const float* b, int n) {
  float acc[8] = {};
  for (int j = 0; j < n; j += 8) {
    for (int u = 0; u < 8; ++u) acc[u] += a[j + u] * b[j + u];
  }
  return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

int roundUpTo8(int n) { return (n + 7) / 8 * 8; }

}  // namespace

Resampler::Resampler(int channels, double inputRate, double outputRate, Quality quality)
    : channels_(std::max(1, channels)) {
  if (!(inputRate >= 1.0)) inputRate = 1.0;
  if (!(outputRate >= 1.0)) outputRate = 1.0;
  nominalRatio_ = inputRate / outputRate;
  // The kernel runs at the input rate; when downsampling it is stretched by
  // 1/scale (more taps, lower cutoff in cycles per input sample) and, being
  // smoother per input sample, needs proportionally fewer phases for the same
  // interpolation error.
  const double scale = std::min(1.0, outputRate / inputRate);
  const int halfTaps = std::clamp(quality.halfTaps, 4, 4096);
  taps_ = roundUpTo8(2 * static_cast<int>(std::ceil(halfTaps / scale - 1e-9)));
  phases_ = std::max(16, static_cast<int>(std::ceil(std::clamp(quality.phases, 16, 1 << 16) * scale - 1e-9)));
  const double cutoff = std::clamp(quality.cutoff, 0.01, 1.0) * 0.5 * scale;
  table_ = makeSincTable({taps_, phases_, cutoff, std::clamp(quality.kaiserBeta, 0.0, 40.0)});
  history_.assign(static_cast<std::size_t>(channels_) * 2 * static_cast<std::size_t>(taps_), 0.0f);
  coefs_.assign(static_cast<std::size_t>(taps_), 0.0f);
  rampFrames_ = std::max(1, static_cast<int>(std::lround(outputRate * 0.01)));
  reset();
}

void Resampler::setRatioAdjust(double factor) {
  if (!(factor == factor)) return;  // NaN: ignore
  factor = std::clamp(factor, 1.0 - kMaxRatioAdjust, 1.0 + kMaxRatioAdjust);
  // The same target again (a controller repeating itself every buffer) keeps
  // the ramp under way rather than restarting it ever shorter.
  if (factor == target_) return;
  target_ = factor;
  rampLeft_ = rampFrames_;
  rampStep_ = (target_ - adjust_) / rampFrames_;
}

void Resampler::reset() {
  std::fill(history_.begin(), history_.end(), 0.0f);
  // The first output frame is at input time -taps/2 and needs the input up to
  // time 0: one frame.
  pending_ = 1;
  frac_ = 0.0;
  write_ = 0;
  consumed_ = 0;
  adjust_ = target_;
  rampLeft_ = 0;
  rampStep_ = 0.0;
}

double Resampler::nextOutputInputTime() const {
  // The newest frame the next output needs is floor(t) + taps/2, the
  // (consumed + pending)-th frame, at time consumed + pending - 1.
  return static_cast<double>(consumed_ + pending_ - 1) - 0.5 * taps_ + frac_ + groupDelayInputFrames();
}

// Moves one output frame forward: the frame just produced used `adjust`.
void Resampler::advance(int& pending, double& frac, double& adjust, int& rampLeft) const {
  frac += nominalRatio_ * adjust;
  const double whole = std::floor(frac);
  pending += static_cast<int>(whole);
  frac -= whole;
  if (rampLeft > 0) {
    adjust = --rampLeft == 0 ? target_ : adjust + rampStep_;
  }
}

Resampler::Result Resampler::process(const float* const* in, int inFrames, float* const* out, int outCapacity) {
  Result r;
  const int taps = taps_;
  const std::size_t stride = 2 * static_cast<std::size_t>(taps);
  float* history = history_.data();
  float* coefs = coefs_.data();
  while (r.outputFramesProduced < outCapacity) {
    while (pending_ > 0 && r.inputFramesConsumed < inFrames) {
      for (int c = 0; c < channels_; ++c) {
        const float v = in[c][r.inputFramesConsumed];
        float* h = history + static_cast<std::size_t>(c) * stride;
        h[write_] = v;
        h[write_ + taps] = v;
      }
      write_ = write_ + 1 == taps ? 0 : write_ + 1;
      --pending_;
      ++r.inputFramesConsumed;
    }
    if (pending_ > 0) break;

    const double position = frac_ * phases_;
    const int p = std::min(static_cast<int>(position), phases_ - 1);
    const float f = static_cast<float>(position - p);
    const float* a = table_.data() + static_cast<std::size_t>(p) * static_cast<std::size_t>(taps);
    const float* b = a + taps;
    for (int j = 0; j < taps; ++j) coefs[j] = a[j] + f * (b[j] - a[j]);
    for (int c = 0; c < channels_; ++c) {
      out[c][r.outputFramesProduced] = dot(coefs, history + static_cast<std::size_t>(c) * stride + write_, taps);
    }
    ++r.outputFramesProduced;
    advance(pending_, frac_, adjust_, rampLeft_);
  }
  consumed_ += r.inputFramesConsumed;
  return r;
}

int Resampler::inputFramesNeeded(int outFrames) const {
  int pending = pending_;
  double frac = frac_;
  double adjust = adjust_;
  int rampLeft = rampLeft_;
  long long needed = 0;
  for (int m = 0; m < outFrames; ++m) {
    needed += pending;
    pending = 0;
    advance(pending, frac, adjust, rampLeft);
  }
  return static_cast<int>(needed);
}

int Resampler::outputFramesAvailable(int inFrames) const {
  int pending = pending_;
  double frac = frac_;
  double adjust = adjust_;
  int rampLeft = rampLeft_;
  int produced = 0;
  int left = inFrames;
  while (pending <= left) {
    left -= pending;
    pending = 0;
    ++produced;
    advance(pending, frac, adjust, rampLeft);
  }
  return produced;
}

}  // namespace a2w
