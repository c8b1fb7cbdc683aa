#include "common/latency_changes.h"

#include <algorithm>

namespace a2w::host {

std::vector<LatencyChange> latencyChanges(std::span<const std::uint64_t> positions,
                                          std::span<const LatencySnapshot> snapshots, LatencyFigures afterStop) {
  std::vector<LatencyChange> changes;
  changes.reserve(positions.size());
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const auto later = std::find_if(snapshots.begin(), snapshots.end(),
                                    [i](const LatencySnapshot& s) { return s.messagesSeen > i; });
    changes.push_back({positions[i], later != snapshots.end() ? later->figures : afterStop});
  }
  return changes;
}

}  // namespace a2w::host
