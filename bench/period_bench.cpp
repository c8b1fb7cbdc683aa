// The core's whole per-period path: the fake backend calls processPeriod, the
// core runs the (empty) host's bufferSwitchTimeInfo and converts the output
// half into the device buffer. One iteration is one period. The fake
// backend alone (same periods, a handler that ignores them) runs next to
// it, so the report can subtract the fake's own share.
#include <benchmark/benchmark.h>

#include <string>

#include "benchmarks.h"
#include "period_rig.h"

namespace a2w::bench {
namespace {

void periodBench(benchmark::State& state, PeriodRigConfig config) {
  PeriodRig rig(config);
  rig.run(16);  // past the first periods (input FIFO priming)
  for (auto _ : state) rig.run(1);
  state.counters["frames"] = config.frames;
}

void add(const std::string& layout, int outputs, int inputs, int frames) {
  for (bool core : {true, false}) {
    PeriodRigConfig c;
    c.outputs = outputs;
    c.inputs = inputs;
    c.frames = frames;
    c.withCore = core;
    const std::string name =
        "period/" + std::string(core ? "core" : "fake") + "/" + layout + "/" + std::to_string(frames) + "f";
    benchmark::RegisterBenchmark(name.c_str(), periodBench, c);
  }
}

}  // namespace

void registerPeriodBenchmarks() {
  // Float32 host, float32 device: the usual shared-mode case.
  add("2out", 2, 0, 128);
  add("8out", 8, 0, 512);
  add("2in2out", 2, 2, 128);
  add("8in8out", 8, 8, 512);
}

}  // namespace a2w::bench
