#include "common/glitch_matching.h"

#include <algorithm>
#include <cmath>

namespace a2w::host {
namespace {

bool near(double a, double b, std::uint64_t window) { return std::abs(a - b) <= static_cast<double>(window); }

}  // namespace

std::uint64_t glitchWindowFrames(std::size_t blockFrames, std::int32_t bufferFrames, std::int32_t devicePeriodFrames) {
  return static_cast<std::uint64_t>(blockFrames) + 2 * static_cast<std::uint64_t>(std::max(bufferFrames, 0)) +
         static_cast<std::uint64_t>(std::max(devicePeriodFrames, 0));
}

bool glitchExplains(std::uint64_t glitch, const LoopbackEvent& brk, std::uint64_t window) {
  const auto g = static_cast<double>(glitch);
  const auto p = static_cast<double>(brk.playedFrame);
  return near(p, g, window) || near(p, g - brk.lagBefore, window) || near(p, g - brk.lagAfter, window);
}

GlitchMatch matchGlitches(std::span<const LoopbackEvent> breaks, std::span<const std::uint64_t> glitches,
                          std::uint64_t window) {
  GlitchMatch m;
  for (const LoopbackEvent& b : breaks) {
    const bool explained = std::any_of(glitches.begin(), glitches.end(),
                                       [&](std::uint64_t g) { return glitchExplains(g, b, window); });
    if (explained) ++m.explained;
    else m.unexplainedPlayedFrames.push_back(b.playedFrame);
  }
  return m;
}

std::uint64_t breaksFrom(std::span<const LoopbackEvent> breaks, std::uint64_t from) {
  return static_cast<std::uint64_t>(
      std::count_if(breaks.begin(), breaks.end(), [from](const LoopbackEvent& b) { return b.playedFrame >= from; }));
}

}  // namespace a2w::host
