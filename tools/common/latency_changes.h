// The latencies after each kLatenciesChanged. The message only says "ask
// again"; asking (getLatencies) is for the host's main thread, not the
// driver's callback, and it answers the current figures only. So asiohost
// notes each message's position in the callback (PositionLog) and, on the
// main thread, asks getLatencies every time it sees the count of messages
// grow (a snapshot), and once more after stop. This pairs them up.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace a2w::host {

struct LatencyFigures {
  std::int32_t input = -1, output = -1;  // -1: getLatencies failed
};

// getLatencies as the main thread asked it after seeing `messagesSeen` messages.
struct LatencySnapshot {
  std::uint64_t messagesSeen = 0;
  LatencyFigures figures;
};

struct LatencyChange {
  std::uint64_t position = 0;  // the host's frame position at the message
  LatencyFigures figures;      // the latencies after it
};

// Message i takes the first snapshot asked after it came (messagesSeen > i):
// when two messages came before the main thread woke, both get the figures
// after the second, the first one's being gone. Messages no snapshot
// followed (just before stop) take `afterStop`.
std::vector<LatencyChange> latencyChanges(std::span<const std::uint64_t> positions,
                                          std::span<const LatencySnapshot> snapshots, LatencyFigures afterStop);

}  // namespace a2w::host
