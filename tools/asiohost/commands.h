// asiohost's commands: list, probe, play, cycle, loopback, record. Each returns the process
// exit code and throws HostError for a failure that ends it (main prints it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "host_callbacks.h"

namespace a2w::host {

struct ProbeOptions {
  std::string jsonPath;  // --json FILE; empty: no file
};

struct PlayOptions {
  double seconds = 5;
  std::optional<double> rate;                 // --rate: setSampleRate before createBuffers
  std::optional<std::int32_t> bufferFrames;   // --buffer: else the driver's preferred size
  std::optional<std::int32_t> channels;       // --channels: else every output
  Signal signal = Signal::Sequence;
  bool timeInfo = true;                       // answer yes to kSupportsTimeInfo
  std::string reportPath;                     // --report FILE.json; empty: no file
};

// loopback: one output plays the test sequence, one input records in the same
// bufferSwitch; the delay is found by cross-correlation and compared with
// getLatencies (see tools/common/loopback_analysis.h, docs/LATENCY.md).
struct LoopbackCommandOptions {
  double seconds = 5;
  std::optional<double> rate;
  std::optional<std::int32_t> bufferFrames;
  std::int32_t outputChannel = 0;
  std::int32_t inputChannel = 0;
  double maxUnseenSeconds = 1.0;  // --max-unseen: how far beyond the reported latency to search
  std::string wavPath;            // --wav FILE: what was played (ch 1) and recorded (ch 2), for a closer look
  std::string reportPath;
};

// record: the inputs (all, or the first --channels) into a 32-bit float WAV.
struct RecordCommandOptions {
  double seconds = 5;
  std::optional<double> rate;
  std::optional<std::int32_t> bufferFrames;
  std::optional<std::int32_t> channels;
  std::string wavPath = "record.wav";
  std::string reportPath;
};

int commandList();
int commandProbe(const std::string& driver, const ProbeOptions& options);
int commandPlay(const std::string& driver, const PlayOptions& options);
// probe then play, `times` rounds, each with its own load and release.
int commandCycle(const std::string& driver, int times, const PlayOptions& options);
int commandLoopback(const std::string& driver, const LoopbackCommandOptions& options);
int commandRecord(const std::string& driver, const RecordCommandOptions& options);

}  // namespace a2w::host
