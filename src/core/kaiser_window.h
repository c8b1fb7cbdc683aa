// The Kaiser window and the formulas that size it (Kaiser, "Nonrecursive
// digital filter design using the I0-sinh window function", 1974; the same
// formulas are in Oppenheim & Schafer, "Discrete-Time Signal Processing").
#pragma once

namespace a2w {

// The modified Bessel function of the first kind, order 0, by its power
// series (converges for every x; accurate to double precision for |x| < 50).
double besselI0(double x);

// The Kaiser window on [-1, 1]: I0(beta * sqrt(1 - x^2)) / I0(beta); 1 at
// x = 0, 1 / I0(beta) at the edges, 0 outside.
double kaiserWindow(double x, double beta);

// Kaiser's empirical beta for a stopband attenuation of `attenuationDb`.
double kaiserBetaForAttenuation(double attenuationDb);

// Kaiser's estimate of the filter length (taps) for `attenuationDb` and a
// transition band `transitionWidth` wide, as a fraction of the sample rate.
double kaiserLengthEstimate(double attenuationDb, double transitionWidth);

}  // namespace a2w
