#include "core/sinc_table.h"

#include <cmath>
#include <cstddef>
#include <numbers>

#include "core/kaiser_window.h"

namespace a2w {

double windowedSinc(double x, int taps, double cutoff, double kaiserBeta) {
  const double half = 0.5 * taps;
  if (!(std::fabs(x) < half)) return 0.0;
  const double arg = 2.0 * cutoff * x;
  const double sinc = arg == 0.0 ? 1.0 : std::sin(std::numbers::pi * arg) / (std::numbers::pi * arg);
  return 2.0 * cutoff * sinc * kaiserWindow(x / half, kaiserBeta);
}

std::vector<float> makeSincTable(const SincTableSpec& spec) {
  const auto taps = static_cast<std::size_t>(spec.taps);
  const auto rows = static_cast<std::size_t>(spec.phases) + 1;
  std::vector<float> table(rows * taps);
  std::vector<double> row(taps);
  for (std::size_t p = 0; p < rows; ++p) {
    const double frac = static_cast<double>(p) / spec.phases;
    double sum = 0.0;
    for (std::size_t j = 0; j < taps; ++j) {
      const double x = frac + 0.5 * spec.taps - 1.0 - static_cast<double>(j);
      row[j] = windowedSinc(x, spec.taps, spec.cutoff, spec.kaiserBeta);
      sum += row[j];
    }
    for (std::size_t j = 0; j < taps; ++j) table[p * taps + j] = static_cast<float>(row[j] / sum);
  }
  return table;
}

}  // namespace a2w
