// Measurement helpers for the resampler tests: sine generation, least-squares
// sine fits, a 7-term Blackman-Harris window and an FFT for THD+N. Header
// only, double precision throughout; test code, not for the audio thread.
#pragma once

#include <cmath>
#include <complex>
#include <cstddef>
#include <numbers>
#include <vector>

namespace a2w::test {

inline double toDb(double ratio) { return 20.0 * std::log10(ratio); }
inline double powerToDb(double ratio) { return 10.0 * std::log10(ratio); }

// The least-squares fit y[i] ~ a sin(theta[i]) + b cos(theta[i]) over the
// given samples (solving the 2x2 normal equations), and what is left.
struct SineFit {
  double amplitude = 0;     // sqrt(a^2 + b^2)
  double residualRms = 0;   // RMS of y - fit
  double signalRms = 0;     // RMS of the fit
  // Residual power over fitted-signal power, in dB (THD+N when the fit is
  // the fundamental).
  double residualDb() const { return toDb(residualRms / signalRms); }
};

inline SineFit fitSine(const std::vector<double>& y, const std::vector<double>& theta) {
  double ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
  const std::size_t n = y.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double s = std::sin(theta[i]);
    const double c = std::cos(theta[i]);
    ss += s * s;
    sc += s * c;
    cc += c * c;
    ys += y[i] * s;
    yc += y[i] * c;
  }
  const double det = ss * cc - sc * sc;
  const double a = (ys * cc - yc * sc) / det;
  const double b = (yc * ss - ys * sc) / det;
  double residual = 0, signal = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double fit = a * std::sin(theta[i]) + b * std::cos(theta[i]);
    residual += (y[i] - fit) * (y[i] - fit);
    signal += fit * fit;
  }
  SineFit result;
  result.amplitude = std::hypot(a, b);
  result.residualRms = std::sqrt(residual / static_cast<double>(n));
  result.signalRms = std::sqrt(signal / static_cast<double>(n));
  return result;
}

// Fit at a fixed frequency: theta[i] = 2 pi cyclesPerSample i.
inline SineFit fitSineAt(const std::vector<double>& y, double cyclesPerSample) {
  std::vector<double> theta(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) theta[i] = 2.0 * std::numbers::pi * cyclesPerSample * static_cast<double>(i);
  return fitSine(y, theta);
}

inline double rms(const std::vector<double>& y) {
  double sum = 0;
  for (double v : y) sum += v * v;
  return std::sqrt(sum / static_cast<double>(y.size()));
}

// The 7-term Blackman-Harris window (coefficients as published by Albrecht,
// "A family of cosine-sum windows for high-resolution measurements", ICASSP
// 2001): highest sidelobe near -180 dB, main lobe +-7 bins.
inline std::vector<double> blackmanHarris7(std::size_t n) {
  static constexpr double a[7] = {0.27105140069342, 0.43329793923448, 0.21812299954311, 0.06592544638803,
                                  0.01081174209837, 0.00077658482522, 0.00001388721735};
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = 2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
    double v = 0, sign = 1;
    for (int k = 0; k < 7; ++k, sign = -sign) v += sign * a[k] * std::cos(k * x);
    w[i] = v;
  }
  return w;
}

// In-place iterative radix-2 FFT; x.size() must be a power of two.
inline void fft(std::vector<std::complex<double>>& x) {
  const std::size_t n = x.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(x[i], x[j]);
  }
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const double angle = -2.0 * std::numbers::pi / static_cast<double>(len);
    for (std::size_t i = 0; i < n; i += len) {
      for (std::size_t k = 0; k < len / 2; ++k) {
        const std::complex<double> w = std::polar(1.0, angle * static_cast<double>(k));
        const std::complex<double> u = x[i + k];
        const std::complex<double> v = x[i + k + len / 2] * w;
        x[i + k] = u + v;
        x[i + k + len / 2] = u - v;
      }
    }
  }
}

// THD+N the way an FFT analyser does it: window the block (7-term
// Blackman-Harris), take the power spectrum, call everything within
// +-notchBins of the fundamental's bin the signal and everything else (DC
// and the other bins up to Nyquist) distortion plus noise. The window's
// sidelobes (-180 dB) keep the fundamental's leakage out of the residual; the
// notch must be wider than the main lobe (7 bins) plus any slow frequency
// modulation of the fundamental. y.size() must be a power of two.
struct ThdN {
  double db = 0;
  double signalPower = 0;
  double residualPower = 0;
};

inline ThdN thdPlusNoise(const std::vector<double>& y, double fundamentalCyclesPerSample, int notchBins) {
  const std::size_t n = y.size();
  const std::vector<double> w = blackmanHarris7(n);
  std::vector<std::complex<double>> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = y[i] * w[i];
  fft(x);
  const double center = fundamentalCyclesPerSample * static_cast<double>(n);
  ThdN result;
  for (std::size_t k = 0; k <= n / 2; ++k) {
    const double p = std::norm(x[k]) * (k == 0 || k == n / 2 ? 1.0 : 2.0);
    if (std::fabs(static_cast<double>(k) - center) <= notchBins) {
      result.signalPower += p;
    } else {
      result.residualPower += p;
    }
  }
  result.db = powerToDb(result.residualPower / result.signalPower);
  return result;
}

}  // namespace a2w::test
