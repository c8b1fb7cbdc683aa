// The resampler (core/resampler.h) at the default quality, fed blocks of 256
// input frames: output frames per second per channel (frames x channels per
// second), i.e. how many channels one core resamples at a given rate.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "benchmarks.h"
#include "core/resampler.h"

namespace a2w::bench {
namespace {

constexpr int kBlock = 256;

void resamplerBench(benchmark::State& state, int channels, double inRate, double outRate, double adjust) {
  Resampler r(channels, inRate, outRate);
  if (adjust != 1.0) r.setRatioAdjust(adjust);
  std::vector<std::vector<float>> in(static_cast<std::size_t>(channels), std::vector<float>(kBlock));
  std::vector<std::vector<float>> out(static_cast<std::size_t>(channels), std::vector<float>(4 * kBlock));
  for (auto& plane : in) {
    for (int i = 0; i < kBlock; ++i) plane[static_cast<std::size_t>(i)] = 0.5f * std::sin(0.05f * static_cast<float>(i));
  }
  std::vector<const float*> inPlanes;
  std::vector<float*> outPlanes;
  for (auto& p : in) inPlanes.push_back(p.data());
  for (auto& p : out) outPlanes.push_back(p.data());
  double produced = 0;
  for (auto _ : state) {
    const Resampler::Result result = r.process(inPlanes.data(), kBlock, outPlanes.data(), 4 * kBlock);
    produced += result.outputFramesProduced;
    benchmark::ClobberMemory();
  }
  state.counters["frames_per_second_per_channel"] = benchmark::Counter(produced * channels, benchmark::Counter::kIsRate);
}

void add(int channels, double inRate, double outRate, double adjust, const std::string& what) {
  const std::string name = "resampler/" + what + "/" + std::to_string(channels) + "ch";
  benchmark::RegisterBenchmark(name.c_str(), resamplerBench, channels, inRate, outRate, adjust);
}

}  // namespace

void registerResamplerBenchmarks() {
  for (int channels : {2, 8}) {
    add(channels, 44100, 48000, 1.0, "44100->48000");
    add(channels, 48000, 44100, 1.0, "48000->44100");
    add(channels, 48000, 48000, 1.0002, "48000->48000+200ppm");
  }
}

}  // namespace a2w::bench
