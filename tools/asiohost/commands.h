// asiohost's commands: list, probe, play, cycle. Each returns the process
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

int commandList();
int commandProbe(const std::string& driver, const ProbeOptions& options);
int commandPlay(const std::string& driver, const PlayOptions& options);
// probe then play, `times` rounds, each with its own load and release.
int commandCycle(const std::string& driver, int times, const PlayOptions& options);

}  // namespace a2w::host
