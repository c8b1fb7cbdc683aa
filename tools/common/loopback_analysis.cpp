#include "common/loopback_analysis.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace a2w::host {
namespace {

// The modified Bessel function I0 (its power series converges fast for the
// arguments a Kaiser window needs).
double besselI0(double x) {
  double sum = 1.0, term = 1.0;
  const double q = x * x / 4.0;
  for (int k = 1; k < 200; ++k) {
    term *= q / (static_cast<double>(k) * static_cast<double>(k));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

// Kaiser window at x in [-1, 1] (0 outside).
double kaiser(double x, double beta) {
  if (x < -1.0 || x > 1.0) return 0.0;
  return besselI0(beta * std::sqrt(std::max(0.0, 1.0 - x * x))) / besselI0(beta);
}

double sinc(double x) {
  if (std::abs(x) < 1e-12) return 1.0;
  const double px = std::numbers::pi * x;
  return std::sin(px) / px;
}

std::size_t nextPowerOfTwo(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

// Interpolation of a band-limited sequence between its integer samples.
constexpr int kInterpHalfWidth = 16;
constexpr double kInterpBeta = 7.0;
constexpr int kFilterTaps = 129;
constexpr double kFilterBeta = 8.0;
constexpr std::size_t kLocalSearch = 8;  // frames either side of the predicted delay

class Tracker {
 public:
  Tracker(std::span<const double> pf, std::span<const double> rf) : pf_(pf), rf_(rf) {}

  double r(std::int64_t i) const {
    return i >= 0 && static_cast<std::size_t>(i) < rf_.size() ? rf_[static_cast<std::size_t>(i)] : 0.0;
  }

  // sum over the block of p[n] * r[n + lag]
  double cross(std::size_t start, std::size_t end, std::int64_t lag) const {
    double sum = 0;
    for (std::size_t n = start; n < end; ++n) sum += pf_[n] * r(static_cast<std::int64_t>(n) + lag);
    return sum;
  }
  double recordedEnergy(std::size_t start, std::size_t end, std::int64_t lag) const {
    double sum = 0;
    for (std::size_t n = start; n < end; ++n) {
      const double v = r(static_cast<std::int64_t>(n) + lag);
      sum += v * v;
    }
    return sum;
  }

 private:
  std::span<const double> pf_, rf_;
};

struct BlockFit {
  double lag = 0;          // fractional
  std::int64_t integerLag = 0;
  double cross = 0;        // interpolated cross term at lag
  double playedEnergy = 0, recordedEnergy = 0;
  double correlation = 0;     // the whole block's
  double minSubCorrelation = 0;  // the worst sub-block's, at the block's delay
};

// The best delay for one block near `predicted` (integer), to a fraction of
// a frame. The block is also checked in sub-blocks of kSubBlock frames at
// that delay, so a short break (a few frames dropped, a packet of silence)
// shows even when it straddles two blocks.
constexpr std::size_t kSubBlock = 256;

BlockFit fitBlock(const Tracker& t, std::span<const double> pf, std::size_t start, std::size_t end,
                  std::int64_t predicted) {
  BlockFit fit;
  const auto span = static_cast<std::int64_t>(kLocalSearch) + kInterpHalfWidth + 1;
  const auto width = static_cast<std::size_t>(2 * span + 1);
  const std::size_t subs = (end - start + kSubBlock - 1) / kSubBlock;
  std::vector<double> subCross(subs * width), subPlayed(subs, 0.0);
  std::vector<double> c(width, 0.0);
  for (std::size_t j = 0; j < subs; ++j) {
    const std::size_t s0 = start + j * kSubBlock, s1 = std::min(end, s0 + kSubBlock);
    for (std::size_t n = s0; n < s1; ++n) subPlayed[j] += pf[n] * pf[n];
    fit.playedEnergy += subPlayed[j];
    for (std::int64_t k = -span; k <= span; ++k) {
      const double v = t.cross(s0, s1, predicted + k);
      subCross[j * width + static_cast<std::size_t>(k + span)] = v;
      c[static_cast<std::size_t>(k + span)] += v;
    }
  }
  // Integer peak within the local search.
  std::int64_t best = 0;
  double bestValue = -1e300;
  for (auto k = -static_cast<std::int64_t>(kLocalSearch); k <= static_cast<std::int64_t>(kLocalSearch); ++k) {
    const double v = c[static_cast<std::size_t>(k + span)];
    if (v > bestValue) {
      bestValue = v;
      best = k;
    }
  }
  // The correlation function of band-limited signals is band-limited in the
  // lag: evaluate it between integers by windowed-sinc interpolation.
  auto at = [&](const double* values, double tau) {  // tau relative to `best`; values indexed like c
    double sum = 0;
    for (int k = -kInterpHalfWidth - 1; k <= kInterpHalfWidth + 1; ++k) {
      const double x = tau - k;
      if (std::abs(x) >= kInterpHalfWidth) continue;
      sum += values[best + k + span] * sinc(x) * kaiser(x / kInterpHalfWidth, kInterpBeta);
    }
    return sum;
  };
  double tau = 0, value = at(c.data(), 0);
  for (double step : {1.0 / 16, 1.0 / 256, 1.0 / 4096}) {
    const double centre = tau;
    for (int i = -16; i <= 16; ++i) {
      const double x = centre + i * step;
      if (x < -1.0 || x > 1.0) continue;
      const double v = at(c.data(), x);
      if (v > value) {
        value = v;
        tau = x;
      }
    }
  }
  fit.integerLag = predicted + best;
  fit.lag = static_cast<double>(fit.integerLag) + tau;
  fit.cross = value;
  fit.minSubCorrelation = 1.0;
  const double meanSubEnergy = fit.playedEnergy / static_cast<double>(subs);
  for (std::size_t j = 0; j < subs; ++j) {
    const std::size_t s0 = start + j * kSubBlock, s1 = std::min(end, s0 + kSubBlock);
    const double e = t.recordedEnergy(s0, s1, fit.integerLag);
    fit.recordedEnergy += e;
    if (subPlayed[j] < meanSubEnergy * 1e-2) continue;  // (nearly) nothing played here
    const double d = std::sqrt(subPlayed[j] * e);
    // Clamped: over a nearly silent stretch the interpolated cross term
    // (from the neighbouring lags) can exceed the energies' bound; a 60 s
    // Wine run reported a "correlation" of -1.9e11 for such a break.
    const double rho = d > 0 ? std::clamp(at(&subCross[j * width], tau) / d, -1.0, 1.0) : 0.0;
    fit.minSubCorrelation = std::min(fit.minSubCorrelation, rho);
  }
  const double denom = std::sqrt(fit.playedEnergy * fit.recordedEnergy);
  fit.correlation = denom > 0 ? std::clamp(value / denom, -1.0, 1.0) : 0.0;
  return fit;
}

}  // namespace

void fft(std::vector<std::complex<double>>& a, bool inverse) {
  const std::size_t n = a.size();
  if (n < 2) return;
  for (std::size_t i = 1, j = 0; i < n; ++i) {  // bit-reversal permutation
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const double angle = 2.0 * std::numbers::pi / static_cast<double>(len) * (inverse ? 1.0 : -1.0);
    const std::size_t half = len / 2;
    for (std::size_t i = 0; i < n; i += len) {
      for (std::size_t k = 0; k < half; ++k) {
        // Twiddles computed directly (not by repeated multiplication): exact enough for long transforms.
        const std::complex<double> w = std::polar(1.0, angle * static_cast<double>(k));
        const std::complex<double> u = a[i + k];
        const std::complex<double> v = a[i + k + half] * w;
        a[i + k] = u + v;
        a[i + k + half] = u - v;
      }
    }
  }
}

std::vector<double> lowPassKernel(double cutoff, int taps, double kaiserBeta) {
  if (taps < 1) taps = 1;
  if (taps % 2 == 0) ++taps;
  const int half = taps / 2;
  std::vector<double> h(static_cast<std::size_t>(taps));
  double sum = 0;
  for (int i = 0; i < taps; ++i) {
    const double k = i - half;
    const double w = half > 0 ? kaiser(k / (half + 1.0), kaiserBeta) : 1.0;
    h[static_cast<std::size_t>(i)] = 2.0 * cutoff * sinc(2.0 * cutoff * k) * w;
    sum += h[static_cast<std::size_t>(i)];
  }
  for (double& v : h) v /= sum;
  return h;
}

std::vector<double> filterZeroPhase(std::span<const double> x, std::span<const double> kernel) {
  const auto n = static_cast<std::int64_t>(x.size());
  const auto taps = static_cast<std::int64_t>(kernel.size());
  const std::int64_t half = taps / 2;
  std::vector<double> y(x.size());
  for (std::int64_t i = 0; i < n; ++i) {
    double sum = 0;
    const std::int64_t k0 = std::max<std::int64_t>(0, half - i);
    const std::int64_t k1 = std::min<std::int64_t>(taps, n - i + half);
    for (std::int64_t k = k0; k < k1; ++k) sum += kernel[static_cast<std::size_t>(k)] * x[static_cast<std::size_t>(i + k - half)];
    y[static_cast<std::size_t>(i)] = sum;
  }
  return y;
}

CoarseDelay findCoarseDelay(std::span<const double> played, std::span<const double> recorded, std::size_t refStart,
                            std::size_t refLength, std::size_t maxLag, double minPeak, double minRatio,
                            std::size_t exclusion) {
  CoarseDelay out;
  if (refStart >= played.size()) return out;
  refLength = std::min(refLength, played.size() - refStart);
  if (refLength == 0) return out;
  const std::size_t segLength = refLength + maxLag;
  const std::size_t n = nextPowerOfTwo(segLength + 1);
  std::vector<std::complex<double>> a(n), b(n);
  double refEnergy = 0;
  for (std::size_t i = 0; i < refLength; ++i) {
    a[i] = played[refStart + i];
    refEnergy += played[refStart + i] * played[refStart + i];
  }
  std::vector<double> seg(segLength, 0.0);
  for (std::size_t i = 0; i < segLength && refStart + i < recorded.size(); ++i) seg[i] = recorded[refStart + i];
  for (std::size_t i = 0; i < segLength; ++i) b[i] = seg[i];
  if (refEnergy <= 0) return out;
  fft(a, false);
  fft(b, false);
  for (std::size_t i = 0; i < n; ++i) a[i] = std::conj(a[i]) * b[i];
  fft(a, true);
  // Energy of the recorded window at each lag, by prefix sums.
  std::vector<double> prefix(segLength + 1, 0.0);
  for (std::size_t i = 0; i < segLength; ++i) prefix[i + 1] = prefix[i] + seg[i] * seg[i];
  std::vector<double> rho(maxLag + 1, 0.0);
  for (std::size_t lag = 0; lag <= maxLag; ++lag) {
    const double e = prefix[lag + refLength] - prefix[lag];
    const double c = a[lag].real() / static_cast<double>(n);
    // A window that is practically silent correlates with nothing.
    rho[lag] = e > refEnergy * 1e-9 ? c / std::sqrt(refEnergy * e) : 0.0;
  }
  std::size_t best = 0;
  for (std::size_t lag = 1; lag <= maxLag; ++lag) {
    if (rho[lag] > rho[best]) best = lag;
  }
  double second = 0;
  for (std::size_t lag = 0; lag <= maxLag; ++lag) {
    const std::size_t d = lag > best ? lag - best : best - lag;
    if (d > exclusion) second = std::max(second, std::abs(rho[lag]));
  }
  out.lag = static_cast<std::int64_t>(best);
  out.peak = std::min(rho[best], 1.0);
  out.secondPeak = second;
  out.peakRatio = second > 0 ? out.peak / second : (out.peak > 0 ? 1e9 : 0);
  out.found = out.peak >= minPeak && out.peakRatio >= minRatio;
  return out;
}

LoopbackResult analyzeLoopback(std::span<const double> played, std::span<const double> recorded,
                               const LoopbackOptions& o) {
  LoopbackResult res;
  if (played.empty() || recorded.empty() || o.blockFrames == 0) return res;
  const std::vector<double> kernel = lowPassKernel(o.bandLimit, kFilterTaps, kFilterBeta);
  const std::vector<double> pf = filterZeroPhase(played, kernel);
  const std::vector<double> rf = filterZeroPhase(recorded, kernel);

  // Coarse: a reference stretch a little way in (clear of start-up
  // effects); when a break inside it blurs the peak, further stretches.
  const std::size_t refLength = std::min<std::size_t>(played.size(), 8192);
  for (double at : {0.1, 0.3, 0.5, 0.7, 0.9}) {
    const std::size_t refStart =
        std::min(static_cast<std::size_t>(at * static_cast<double>(played.size())), played.size() - refLength);
    res.coarse = findCoarseDelay(pf, rf, refStart, refLength, o.maxLag);
    if (res.coarse.found) break;
  }
  if (!res.coarse.found) return res;
  res.found = true;

  const Tracker tracker(pf, rf);
  std::int64_t predicted = res.coarse.lag;
  bool havePrevious = false, inBreak = false;
  double previousLag = 0;
  double crossSum = 0, playedSum = 0, recordedSum = 0;
  double goodCross = 0, goodPlayed = 0, goodRecorded = 0;
  res.minBlockCorrelation = 1.0;
  const auto margin = static_cast<std::int64_t>(kLocalSearch) + kInterpHalfWidth + kFilterTaps;
  for (std::size_t start = 0; start < played.size(); start += o.blockFrames) {
    const std::size_t end = std::min(played.size(), start + o.blockFrames);
    if (end - start < o.blockFrames / 2) break;  // a short last block says little
    double energy = 0;
    for (std::size_t n = start; n < end; ++n) energy += pf[n] * pf[n];
    if (energy <= 0) continue;  // nothing played here
    if (static_cast<std::int64_t>(end) + predicted + margin > static_cast<std::int64_t>(recorded.size())) {
      res.framesNotRecorded += played.size() - start;
      break;
    }
    BlockFit fit = fitBlock(tracker, pf, start, end, predicted);
    if (fit.minSubCorrelation < o.glitchCorrelation) {
      // Lost: search this block afresh over the whole range.
      const CoarseDelay again = findCoarseDelay(pf, rf, start, end - start, o.maxLag, o.glitchCorrelation, 1.0);
      if (again.found && again.lag != fit.integerLag) {
        const BlockFit refit = fitBlock(tracker, pf, start, end, again.lag);
        if (refit.minSubCorrelation > fit.minSubCorrelation) fit = refit;
      }
    }
    ++res.blocks;
    res.framesCompared += end - start;
    crossSum += fit.cross;
    playedSum += fit.playedEnergy;
    recordedSum += fit.recordedEnergy;
    res.minBlockCorrelation = std::min(res.minBlockCorrelation, fit.minSubCorrelation);
    for (std::size_t n = start; n < end; ++n) {
      const std::int64_t i = static_cast<std::int64_t>(n) + fit.integerLag;
      if (i >= 0 && static_cast<std::size_t>(i) < recorded.size() && recorded[static_cast<std::size_t>(i)] == played[n]) {
        ++res.exactFrames;
      }
    }
    const bool good = fit.minSubCorrelation >= o.glitchCorrelation;
    if (!good) {
      ++res.brokenBlocks;
      if (!inBreak) {
        ++res.discontinuities;
        res.events.push_back({start, havePrevious ? previousLag : fit.lag, havePrevious ? previousLag : fit.lag,
                              fit.minSubCorrelation});
      } else if (!res.events.empty()) {
        res.events.back().correlation = std::min(res.events.back().correlation, fit.minSubCorrelation);
      }
      inBreak = true;
      continue;
    }
    if (inBreak) {
      if (!res.events.empty()) res.events.back().lagAfter = fit.lag;
    } else if (havePrevious && std::abs(fit.lag - previousLag) > o.stepLimitFrames) {
      ++res.discontinuities;
      res.events.push_back({start, previousLag, fit.lag, fit.minSubCorrelation});
    }
    goodCross += fit.cross;
    goodPlayed += fit.playedEnergy;
    goodRecorded += fit.recordedEnergy;
    res.goodBlocks.push_back({start, fit.lag});
    inBreak = false;
    if (!havePrevious) res.firstLagFrames = fit.lag;
    havePrevious = true;
    previousLag = fit.lag;
    predicted = fit.integerLag;
  }
  if (!res.goodBlocks.empty()) {
    const auto byLag = [](const BlockDelay& a, const BlockDelay& b) { return a.lagFrames < b.lagFrames; };
    const auto [mn, mx] = std::minmax_element(res.goodBlocks.begin(), res.goodBlocks.end(), byLag);
    res.minLagFrames = mn->lagFrames;
    res.maxLagFrames = mx->lagFrames;
    res.roundTripFrames = *medianDelayFrom(res, 0);
  } else {
    res.roundTripFrames = static_cast<double>(res.coarse.lag);
  }
  const double denom = std::sqrt(playedSum * recordedSum);
  res.correlation = denom > 0 ? std::clamp(crossSum / denom, -1.0, 1.0) : 0.0;
  const double goodDenom = std::sqrt(goodPlayed * goodRecorded);
  res.correlationOutsideBreaks = goodDenom > 0 ? std::clamp(goodCross / goodDenom, -1.0, 1.0) : 0.0;
  if (res.blocks == 0) res.minBlockCorrelation = 0;
  return res;
}

std::optional<double> medianDelayFrom(const LoopbackResult& result, std::uint64_t fromPlayedFrame) {
  std::vector<double> lags;
  for (const BlockDelay& b : result.goodBlocks) {
    if (b.playedFrame >= fromPlayedFrame) lags.push_back(b.lagFrames);
  }
  if (lags.empty()) return std::nullopt;
  const auto middle = lags.begin() + static_cast<std::ptrdiff_t>(lags.size() / 2);
  std::nth_element(lags.begin(), middle, lags.end());
  return *middle;
}

}  // namespace a2w::host
