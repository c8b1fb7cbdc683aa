// The benchmark groups of a2w_bench; bench_main.cpp registers them in this
// order. Names and counters are what bench/report.py reads.
#pragma once

namespace a2w::bench {

// Each conversion kernel at 2, 8 and 32 channels x 64, 256 and 1024 frames,
// next to memcpy of the same output bytes: "play/<host>-><device>/<level>/
// <C>ch/<N>f", "capture/<device>-><host>/...", "memcpy/<bytes>B"; counter
// output_bytes.
void registerConvertBenchmarks();
// The core's per-period path: "period/<core|fake>/<layout>/<N>f".
void registerPeriodBenchmarks();
// The resampler: "resampler/<in>-><out>/<C>ch", counter
// frames_per_second_per_channel.
void registerResamplerBenchmarks();

}  // namespace a2w::bench
