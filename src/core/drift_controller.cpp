#include "core/drift_controller.h"

#include <algorithm>
#include <cmath>

namespace a2w {

void DriftController::configure(double periodSeconds, double captureRate, double targetFrames,
                                double deadbandFrames) {
  deadband_ = std::max(deadbandFrames, 0.0);
  dt_ = periodSeconds > 0 ? periodSeconds : 0.001;
  const double fc = captureRate > 0 ? captureRate : 48000.0;
  alpha_ = std::min(1.0, dt_ / kSmoothingSeconds);
  fc_ = fc;
  setGains(kNaturalFrequency);
  slew_ = std::min(kSlewPpmPerSecond * dt_, kMaxSlewPpmPerPeriod) * 1e-6;
  leak_ = std::exp(-dt_ / kHandoverSeconds);
  target_ = targetFrames;
  reset();
}

void DriftController::setGains(double naturalFrequency) {
  kp_ = 2.0 * kDamping * naturalFrequency / fc_;
  ki_ = naturalFrequency * naturalFrequency / fc_;
}

// The integral within what the output may reach beside the feed-forward
// (with none: +-kMaxPpm, as before it existed).
double DriftController::integralWithinLimit(double value) const {
  const double limit = kMaxPpm * 1e-6;
  return std::clamp(value, -limit - feedForward_, limit - feedForward_);
}

void DriftController::reset() {
  level_ = target_;
  integral_ = 0;
  feedForward_ = 0;
  feedForwardOn_ = false;
  lastError_ = 0;
  if (fc_ > 0) setGains(kNaturalFrequency);
  u_ = 0;
}

void DriftController::setFeedForward(double fraction) {
  if (!std::isfinite(fraction)) return;
  const double limit = kMaxPpm * 1e-6;
  fraction = std::clamp(fraction, -limit, limit);
  if (!feedForwardOn_) {
    // The handover, once: what the integral held of the drift the
    // feed-forward holds now, and the integral takes over what the
    // proportional part gives up as the gains drop to the trim's, so the
    // output stays put. Later estimates go straight through (slewed).
    const double kp = kp_;
    setGains(kTrimNaturalFrequency);
    integral_ -= fraction - (kp - kp_) * lastError_;
    feedForwardOn_ = true;
  }
  feedForward_ = fraction;
  integral_ = integralWithinLimit(integral_);
}

double DriftController::update(double fillFrames) {
  if (!std::isfinite(fillFrames)) return 1.0 + u_;
  level_ += alpha_ * (fillFrames - level_);
  const double offset = level_ - target_;
  const double error = offset > deadband_ ? offset - deadband_ : offset < -deadband_ ? offset + deadband_ : 0.0;
  lastError_ = error;
  const double limit = kMaxPpm * 1e-6;
  if (feedForwardOn_) integral_ *= leak_;  // handing over to the estimate (setFeedForward)
  // Integrate unless the output sits at its clamp and the error pushes it further out.
  const double candidate = integral_ + ki_ * error * dt_;
  const bool saturatedHigh = u_ >= limit && error > 0;
  const bool saturatedLow = u_ <= -limit && error < 0;
  if (!saturatedHigh && !saturatedLow) integral_ = integralWithinLimit(candidate);
  const double wanted = std::clamp(kp_ * error + integral_ + feedForward_, -limit, limit);
  u_ += std::clamp(wanted - u_, -slew_, slew_);
  return 1.0 + u_;
}

}  // namespace a2w
