// Finding the delay between what a host played and what it recorded through
// a loopback (an output wired to an input), and checking the recording.
// Portable and dependency-free: asiohost's `loopback` command uses it under
// Windows, the native unit tests check it.
//
// The method:
//  1. both signals are band-limited to `bandLimit` of the sample rate (a
//     Kaiser-windowed sinc low-pass): a resampler in the path (the driver's
//     input drift compensation, a shared-mode engine converting rates) is
//     flat there, so what is left can be compared closely;
//  2. coarse delay: a normalized cross-correlation (by FFT) of a reference
//     stretch of the played signal against the recording over lags
//     0..maxLag; for a noise-like signal (the frame-coded test sequence) the
//     peak is unambiguous, and `peakRatio` says by how much it beats the
//     next best lag away from it;
//  3. tracking: the played signal is cut into blocks; each block's delay is
//     found near the previous one (and searched afresh over the whole range
//     when it is lost), to a fraction of a frame by interpolating the
//     band-limited correlation function; its peak value is the block's
//     correlation after alignment;
//  4. discontinuities: a block that matches poorly (any 256-frame stretch of
//     it correlating below `glitchCorrelation` at the block's delay: frames
//     dropped, repeated or silenced inside it) or
//     whose delay steps from the previous block's by more than any clock
//     correction could move it (`stepLimitFrames`) is a break; consecutive
//     broken blocks count once.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace a2w::host {

// In-place radix-2 FFT; data.size() must be a power of two. inverse: the
// unscaled inverse transform (divide by size to invert).
void fft(std::vector<std::complex<double>>& data, bool inverse);

// A symmetric linear-phase low-pass FIR (Kaiser-windowed sinc), cutoff as a
// fraction of the sample rate (0 < cutoff < 0.5), `taps` odd, unit DC gain.
std::vector<double> lowPassKernel(double cutoff, int taps, double kaiserBeta);

// x filtered by the symmetric kernel, aligned (no delay): y[n] = sum h[k] x[n + k - taps/2].
std::vector<double> filterZeroPhase(std::span<const double> x, std::span<const double> kernel);

struct CoarseDelay {
  bool found = false;
  std::int64_t lag = 0;     // recorded index - played index
  double peak = 0;          // normalized correlation at lag
  double secondPeak = 0;    // best |correlation| more than `exclusion` frames away from lag
  double peakRatio = 0;     // peak / secondPeak (large: unambiguous)
};

// Normalized cross-correlation of reference = played[refStart, refStart+refLength)
// against recorded[refStart + lag, ...) for lag in [0, maxLag], by FFT.
// found: the peak is at least minPeak and minRatio times the runner-up.
CoarseDelay findCoarseDelay(std::span<const double> played, std::span<const double> recorded, std::size_t refStart,
                            std::size_t refLength, std::size_t maxLag, double minPeak = 0.3, double minRatio = 3.0,
                            std::size_t exclusion = 16);

struct LoopbackOptions {
  double bandLimit = 0.3;          // analysis band, fraction of the sample rate
  std::size_t maxLag = 48000;      // coarse search range (frames)
  std::size_t blockFrames = 2048;  // tracking block
  double glitchCorrelation = 0.9;  // a block below this is broken
  // A delay step between consecutive blocks beyond this is a break: 0.5
  // frame of estimation noise plus 1000 ppm (the most a drift controller
  // corrects) over a block.
  double stepLimitFrames = 0.5 + 1e-3 * 2048;
};

struct LoopbackEvent {
  std::uint64_t playedFrame = 0;  // first played frame of the block where it happened
  double lagBefore = 0;           // delay of the last good block before it (frames)
  double lagAfter = 0;            // delay of the first good block after it (NaN-free: lagBefore if none)
  double correlation = 0;         // lowest block correlation in the break
};

// One good block's delay: where in the played signal it starts and how
// late it was recorded.
struct BlockDelay {
  std::uint64_t playedFrame = 0;
  double lagFrames = 0;
};

struct LoopbackResult {
  bool found = false;              // the played signal was found in the recording
  CoarseDelay coarse;
  double roundTripFrames = 0;      // median delay over the good blocks (fractional frames)
  double firstLagFrames = 0;       // delay of the first good block
  double minLagFrames = 0, maxLagFrames = 0;
  double correlation = 0;          // over every compared block, after alignment (energy-weighted)
  // The same over the blocks outside breaks: the path's quality where it
  // did not break (a resampler's error), apart from what the breaks cost.
  double correlationOutsideBreaks = 0;
  double minBlockCorrelation = 0;  // the worst 256-frame stretch of any block, at its block's delay
  std::uint64_t blocks = 0;        // blocks compared
  std::uint64_t brokenBlocks = 0;
  std::uint64_t framesCompared = 0;
  std::uint64_t framesNotRecorded = 0;  // played frames whose delayed place lies beyond the recording
  std::uint64_t discontinuities = 0;
  std::uint64_t exactFrames = 0;   // recorded frames equal bit for bit to the played ones at the integer delay
  // Every break, one per discontinuity (events.size() == discontinuities):
  // telling explained breaks from unexplained ones needs them all, and there
  // are at most half as many as blocks.
  std::vector<LoopbackEvent> events;
  std::vector<BlockDelay> goodBlocks;  // every good block's delay, in played order
};

// played[n]: what the host wrote at frame n (0 = the first bufferSwitch);
// recorded[n]: what the host read at frame n of the same count.
LoopbackResult analyzeLoopback(std::span<const double> played, std::span<const double> recorded,
                               const LoopbackOptions& options = {});

// The median delay of the good blocks that start at or after
// `fromPlayedFrame` (the loop after a latency change); nothing when no good
// block lies there.
std::optional<double> medianDelayFrom(const LoopbackResult& result, std::uint64_t fromPlayedFrame);

}  // namespace a2w::host
