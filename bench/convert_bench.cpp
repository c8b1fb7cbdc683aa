// The conversion kernels through hostToDevice / deviceToHost (the real
// entry points, dispatch included) at the level the driver uses, each shape
// preceded by memcpy of the same output bytes in the same run. The scalar
// reference and SSE2 run too, at 2 and 8 channels x 256 frames, to show what
// the vectors buy.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "benchmarks.h"
#include "core/sample_convert.h"
#include "core/sample_convert_simd.h"

namespace a2w::bench {
namespace {

using asio::SampleType;

constexpr SampleType kHostTypes[] = {SampleType::Float32LSB, SampleType::Int32LSB};
constexpr DeviceSampleFormat kFormats[] = {DeviceSampleFormat::Float32, DeviceSampleFormat::Int32,
                                           DeviceSampleFormat::Int24In32, DeviceSampleFormat::Int24Packed,
                                           DeviceSampleFormat::Int16};
constexpr int kChannels[] = {2, 8, 32};
constexpr int kFrames[] = {64, 256, 1024};

std::string hostName(SampleType t) { return t == SampleType::Float32LSB ? "float32" : "int32"; }

// Host planes of a plausible signal: floats within +-1 with a few beyond
// (clipping), integers over the whole range.
std::vector<std::vector<std::uint32_t>> hostPlanes(SampleType type, int channels, int frames) {
  std::vector<std::vector<std::uint32_t>> planes(static_cast<std::size_t>(channels));
  std::uint32_t x = 12345;
  for (auto& plane : planes) {
    plane.resize(static_cast<std::size_t>(frames));
    for (auto& w : plane) {
      x = x * 1664525u + 1013904223u;
      if (type == SampleType::Float32LSB) {
        const float f = (static_cast<float>(x >> 8) / 8388608.0f - 1.0f) * 1.1f;
        std::memcpy(&w, &f, 4);
      } else {
        w = x;
      }
    }
  }
  return planes;
}

void memcpyBench(benchmark::State& state, std::size_t bytes) {
  std::vector<unsigned char> from(bytes, 0x11), to(bytes);
  for (auto _ : state) {
    std::memcpy(to.data(), from.data(), bytes);
    benchmark::DoNotOptimize(to.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
  state.counters["output_bytes"] = static_cast<double>(bytes);
}

void playBench(benchmark::State& state, SimdLevel level, SampleType host, DeviceSampleFormat format, int channels,
               int frames) {
  const auto planes = hostPlanes(host, channels, frames);
  std::vector<const void*> sources;
  for (const auto& p : planes) sources.push_back(p.data());
  const std::size_t bytes = static_cast<std::size_t>(channels) * static_cast<std::size_t>(frames) *
                            static_cast<std::size_t>(bytesPerSample(format));
  std::vector<unsigned char> device(bytes);
  const bool active = level == activeSimdLevel();
  for (auto _ : state) {
    if (active) {
      hostToDevice(host, sources.data(), format, device.data(), channels, frames, nullptr);
    } else {
      hostToDeviceAt(level, host, sources.data(), format, device.data(), channels, frames, nullptr);
    }
    benchmark::DoNotOptimize(device.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
  state.counters["output_bytes"] = static_cast<double>(bytes);
}

void captureBench(benchmark::State& state, SimdLevel level, DeviceSampleFormat format, SampleType host, int channels,
                  int frames) {
  // Device frames: the host planes' signal converted by the driver itself.
  const auto planes = hostPlanes(host, channels, frames);
  std::vector<const void*> sources;
  for (const auto& p : planes) sources.push_back(p.data());
  std::vector<unsigned char> device(static_cast<std::size_t>(channels) * static_cast<std::size_t>(frames) *
                                    static_cast<std::size_t>(bytesPerSample(format)));
  hostToDevice(host, sources.data(), format, device.data(), channels, frames, nullptr);
  std::vector<std::vector<std::uint32_t>> out(static_cast<std::size_t>(channels),
                                              std::vector<std::uint32_t>(static_cast<std::size_t>(frames)));
  std::vector<void*> destinations;
  for (auto& p : out) destinations.push_back(p.data());
  const std::size_t bytes = static_cast<std::size_t>(channels) * static_cast<std::size_t>(frames) * 4;
  const bool active = level == activeSimdLevel();
  for (auto _ : state) {
    if (active) {
      deviceToHost(format, device.data(), channels, host, destinations.data(), frames);
    } else {
      deviceToHostAt(level, format, device.data(), channels, host, destinations.data(), frames);
    }
    benchmark::DoNotOptimize(destinations.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
  state.counters["output_bytes"] = static_cast<double>(bytes);
}

std::string shape(int channels, int frames) { return std::to_string(channels) + "ch/" + std::to_string(frames) + "f"; }

void registerShape(SimdLevel level, int channels, int frames, std::set<std::size_t>& memcpyDone) {
  const std::string lvl(toString(level));
  auto baseline = [&memcpyDone](std::size_t bytes) {
    if (!memcpyDone.insert(bytes).second) return;
    benchmark::RegisterBenchmark(("memcpy/" + std::to_string(bytes) + "B").c_str(), memcpyBench, bytes);
  };
  for (SampleType host : kHostTypes) {
    for (DeviceSampleFormat format : kFormats) {
      baseline(static_cast<std::size_t>(channels * frames * bytesPerSample(format)));
      const std::string name = "play/" + hostName(host) + "->" + std::string(toString(format)) + "/" + lvl + "/" +
                               shape(channels, frames);
      benchmark::RegisterBenchmark(name.c_str(), playBench, level, host, format, channels, frames);
    }
  }
  baseline(static_cast<std::size_t>(channels * frames * 4));
  for (DeviceSampleFormat format : kFormats) {
    for (SampleType host : kHostTypes) {
      const std::string name = "capture/" + std::string(toString(format)) + "->" + hostName(host) + "/" + lvl + "/" +
                               shape(channels, frames);
      benchmark::RegisterBenchmark(name.c_str(), captureBench, level, format, host, channels, frames);
    }
  }
}

}  // namespace

void registerConvertBenchmarks() {
  std::set<std::size_t> memcpyDone;
  for (int channels : kChannels) {
    for (int frames : kFrames) registerShape(activeSimdLevel(), channels, frames, memcpyDone);
  }
  // The shapes of the per-period benchmarks, so the report can take the
  // conversion out of the period's time.
  registerShape(activeSimdLevel(), 2, 128, memcpyDone);
  registerShape(activeSimdLevel(), 8, 512, memcpyDone);
  for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Sse2}) {
    if (level == activeSimdLevel() || !simdLevelAvailable(level)) continue;
    for (int channels : {2, 8}) registerShape(level, channels, 256, memcpyDone);
  }
}

}  // namespace a2w::bench
