#include "core/kaiser_window.h"

#include <cmath>
#include <numbers>

namespace a2w {

double besselI0(double x) {
  // I0(x) = sum_k ((x/2)^k / k!)^2. Every term is positive, so the sum has no
  // cancellation; stop when a term no longer changes it.
  const double q = x * x * 0.25;
  double term = 1.0;
  double sum = 1.0;
  for (int k = 1; k < 500; ++k) {
    term *= q / (static_cast<double>(k) * static_cast<double>(k));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

double kaiserWindow(double x, double beta) {
  if (!(x >= -1.0 && x <= 1.0)) return 0.0;
  return besselI0(beta * std::sqrt(1.0 - x * x)) / besselI0(beta);
}

double kaiserBetaForAttenuation(double attenuationDb) {
  const double a = attenuationDb;
  if (a > 50.0) return 0.1102 * (a - 8.7);
  if (a >= 21.0) return 0.5842 * std::pow(a - 21.0, 0.4) + 0.07886 * (a - 21.0);
  return 0.0;
}

double kaiserLengthEstimate(double attenuationDb, double transitionWidth) {
  // N - 1 = (A - 7.95) / (2.285 * 2 pi * df)
  return (attenuationDb - 7.95) / (2.285 * 2.0 * std::numbers::pi * transitionWidth) + 1.0;
}

}  // namespace a2w
