// The coefficient table of a polyphase windowed-sinc interpolator.
//
// The kernel is a low-pass sinc with cutoff `cutoff` (cycles per input
// sample, 0 < cutoff <= 0.5) under a Kaiser window `taps` input samples wide:
//   h(x) = 2 fc sinc(2 fc x) kaiser(x / (taps/2), beta)  for |x| < taps/2, 0 beyond,
// x in input samples. Row p (0 <= p <= phases) holds the `taps` coefficients
// for an output at fractional position p/phases past input frame n:
//   row[p][j] = h(p/phases + taps/2 - 1 - j), applied to input frames
//   n - taps/2 + 1 + j, j = 0 .. taps-1,
// so each row is a contiguous dot product with the input history. Row
// `phases` is row 0 moved by one frame, so a caller may interpolate between
// rows p and p+1 for any p < phases. Every row is scaled to sum to exactly 1
// (in double, before rounding to float): unity DC gain at every phase.
#pragma once

#include <vector>

namespace a2w {

struct SincTableSpec {
  int taps = 0;       // even, > 0
  int phases = 0;     // > 0
  double cutoff = 0;  // cycles per input sample
  double kaiserBeta = 0;
};

// (phases + 1) * taps floats, row after row. Allocates; not for the audio thread.
std::vector<float> makeSincTable(const SincTableSpec& spec);

// The kernel h(x) above, in double (for tests and the table itself).
double windowedSinc(double x, int taps, double cutoff, double kaiserBeta);

}  // namespace a2w
