// a2w_bench: Google Benchmark over the conversion kernels, the core's
// per-period path and the resampler. `make bench` runs it (scripts/bench.sh)
// and turns its JSON into build/bench/results.json and a table.
#include <benchmark/benchmark.h>

#include <string>

#include "benchmarks.h"
#include "core/sample_convert_simd.h"

int main(int argc, char** argv) {
  benchmark::AddCustomContext("simd_level", std::string(a2w::toString(a2w::activeSimdLevel())));
  a2w::bench::registerConvertBenchmarks();
  a2w::bench::registerPeriodBenchmarks();
  a2w::bench::registerResamplerBenchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
