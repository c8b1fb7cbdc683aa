// Runs the per-period path a fixed number of times for callgrind (make bench,
// scripts/bench.sh): instruction counts do not depend on the machine's load,
// so a regression shows whatever the noise. Collection is switched on only
// around the measured periods (run valgrind with --collect-atstart=no); the
// script runs it with and without the core and takes the difference.
//
//   a2w_period_callgrind <outputs> <inputs> <frames> <periods> <core|fake>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>

#include "core/sample_convert_simd.h"
#include "period_rig.h"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define A2W_TOGGLE_COLLECT() CALLGRIND_TOGGLE_COLLECT
#else
#define A2W_TOGGLE_COLLECT() ((void)0)
#endif

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s <outputs> <inputs> <frames> <periods> <core|fake>\n", argv[0]);
    return 2;
  }
  a2w::bench::PeriodRigConfig config;
  config.outputs = std::atoi(argv[1]);
  config.inputs = std::atoi(argv[2]);
  config.frames = std::atoi(argv[3]);
  const int periods = std::atoi(argv[4]);
  config.withCore = std::strcmp(argv[5], "core") == 0;
  try {
    a2w::bench::PeriodRig rig(config);
    rig.run(16);  // past the first periods, as the timed benchmark
    A2W_TOGGLE_COLLECT();
    rig.run(periods);
    A2W_TOGGLE_COLLECT();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  std::printf("simd_level %s\n", std::string(a2w::toString(a2w::activeSimdLevel())).c_str());
  return 0;
}
