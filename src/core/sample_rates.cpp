#include "core/sample_rates.h"

#include <cmath>
#include <cstdio>

namespace a2w {

namespace {
// Real rates differ by hundreds of hertz; half a hertz absorbs any rounding
// a host's arithmetic adds without ever confusing two rates.
constexpr double kRateTolerance = 0.5;

std::string formatNumber(double value) {
  char text[48];
  if (!std::isfinite(value)) {
    std::snprintf(text, sizeof text, "%s", std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf"));
  } else if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    std::snprintf(text, sizeof text, "%.3g", value);
  }
  return text;
}
}  // namespace

std::optional<double> matchSampleRate(const std::vector<double>& offered, double rate) {
  if (!std::isfinite(rate) || rate <= 0) return std::nullopt;
  for (double candidate : offered) {
    if (std::fabs(candidate - rate) <= kRateTolerance) return candidate;
  }
  return std::nullopt;
}

std::string formatRate(double rate) { return formatNumber(rate) + " Hz"; }

std::string formatRateList(const std::vector<double>& rates) {
  if (rates.empty()) return "no rate";
  std::string text;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    if (i > 0) text += (i + 1 == rates.size()) ? " and " : ", ";
    text += formatNumber(rates[i]);
  }
  return text + " Hz";
}

}  // namespace a2w
