// Measured round trip against what the driver reported, term by term: the
// loopback report's comparison (asiohost loopback, docs/LATENCY.md).
//
// A reported latency has two kinds of terms: the driver's own (the ASIO
// buffer, its FIFO, its WASAPI queueing), which it can vouch for, and the
// OS's (GetStreamLatency), which it can only pass on. A loop may not pass
// through what the OS claims (under Wine, a PulseAudio monitor taps the
// sink's mix, before any converter), or may pass through delay the OS does
// not report. The verdict says which, with figures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace a2w::host {

struct ReportedLatency {
  std::int32_t input = 0;   // getLatencies
  std::int32_t output = 0;
  // The OS's share of input + output (GetStreamLatency of both streams);
  // nullopt when the driver does not break its figures down.
  std::optional<std::int32_t> osFrames;
};

struct LatencyVerdict {
  std::int64_t reportedFrames = 0;   // input + output
  double unseenFrames = 0;           // measured - reported: > 0, delay the driver did not report
  bool withinOneBuffer = false;      // |measured - reported| <= one buffer
  // With the OS's share known:
  std::optional<std::int64_t> osFrames;
  std::optional<std::int64_t> driverPartFrames;   // reported - os
  std::optional<double> driverPartErrorFrames;     // measured - driverPart
  std::optional<bool> withinOneBufferOfDriverPart;
  std::string text;                  // one or two sentences for people
};

LatencyVerdict judgeLatency(double measuredFrames, const ReportedLatency& reported, std::int32_t bufferFrames);

}  // namespace a2w::host
