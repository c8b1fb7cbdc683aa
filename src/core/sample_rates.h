// Matching a host's sample rate against the rates the device offers, and
// printing rates in error messages.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace a2w {

// The offered rate that `rate` means, or nothing. Hosts pass rates as doubles
// that are sometimes computed (44100.0000001), so the match has a tolerance;
// the answer is the device's own value, which the core then stores.
std::optional<double> matchSampleRate(const std::vector<double>& offered, double rate);

// "48000 Hz", "44100.5 Hz", "nan Hz": for messages only.
std::string formatRate(double rate);

// "44100, 48000 and 96000 Hz": for messages only.
std::string formatRateList(const std::vector<double>& rates);

}  // namespace a2w
