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
  kp_ = 2.0 * kDamping * kNaturalFrequency / fc;
  ki_ = kNaturalFrequency * kNaturalFrequency / fc;
  slew_ = std::min(kSlewPpmPerSecond * dt_, kMaxSlewPpmPerPeriod) * 1e-6;
  target_ = targetFrames;
  reset();
}

void DriftController::reset() {
  level_ = target_;
  integral_ = 0;
  u_ = 0;
}

double DriftController::update(double fillFrames) {
  if (!std::isfinite(fillFrames)) return 1.0 + u_;
  level_ += alpha_ * (fillFrames - level_);
  const double offset = level_ - target_;
  const double error = offset > deadband_ ? offset - deadband_ : offset < -deadband_ ? offset + deadband_ : 0.0;
  const double limit = kMaxPpm * 1e-6;
  // Integrate unless the output sits at its clamp and the error pushes it further out.
  const double candidate = integral_ + ki_ * error * dt_;
  const bool saturatedHigh = u_ >= limit && error > 0;
  const bool saturatedLow = u_ <= -limit && error < 0;
  if (!saturatedHigh && !saturatedLow) integral_ = std::clamp(candidate, -limit, limit);
  const double wanted = std::clamp(kp_ * error + integral_, -limit, limit);
  u_ += std::clamp(wanted - u_, -slew_, slew_);
  return 1.0 + u_;
}

}  // namespace a2w
