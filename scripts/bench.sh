#!/usr/bin/env bash
# make bench: builds the benchmarks in the native-release preset, runs them
# (Google Benchmark, CPU time, median of 3), runs the per-period path under
# callgrind for instruction counts, and writes build/bench/results.json and
# build/bench/results.md (the table, also printed). docs/PERFORMANCE.md
# explains the figures.
#   A2W_BENCH_MIN_TIME  seconds per benchmark and repetition (default 0.03)
#   A2W_BENCH_FILTER    a Google Benchmark regex to run only some (default all)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
out=build/bench
mkdir -p "$out"
bin=build/native-release/bin

cmake --preset native-release >/dev/null
cmake --build --preset native-release --target a2w_bench a2w_period_callgrind -j "${JOBS:-$(nproc)}"

model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)
echo "bench: running the benchmarks (this takes a minute or two)"
"$bin/a2w_bench" \
  --benchmark_min_time="${A2W_BENCH_MIN_TIME:-0.03}" \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_filter="${A2W_BENCH_FILTER:-.}" \
  --benchmark_context=cpu_model="$model" \
  --benchmark_out="$out/raw.json" --benchmark_out_format=json >"$out/console.txt"

# Instructions per period under callgrind: the same rig with and without the
# core, collection on only around the measured periods; the difference is
# the core's. Deterministic, so a regression shows whatever the machine's load.
callgrind_json=$out/callgrind.json
if command -v valgrind >/dev/null; then
  echo "bench: callgrind"
  entries=()
  for spec in "2out 2 0 128" "8out 8 0 512" "2in2out 2 2 128" "8in8out 8 8 512"; do
    read -r layout outputs inputs frames <<<"$spec"
    periods=400
    declare -A total=()
    for mode in core fake; do
      file=$out/callgrind.$layout.$mode.out
      valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$file" \
        "$bin/a2w_period_callgrind" "$outputs" "$inputs" "$frames" "$periods" "$mode" \
        >"$out/callgrind.$layout.$mode.log" 2>&1
      total[$mode]=$(grep -E '^(totals|summary):' "$file" | head -1 | awk '{print $2}')
    done
    level=$(grep -m1 '^simd_level' "$out/callgrind.$layout.core.log" | awk '{print $2}')
    per=$(( (total[core] - total[fake]) / periods ))
    echo "  $layout ${frames}f: $per instructions per period (kernels under valgrind: $level)"
    entries+=("{\"name\": \"callgrind/period/$layout/${frames}f\", \"instructions_per_period\": $per, \"simd_level\": \"$level\"}")
    unset total
  done
  (IFS=,; echo "[${entries[*]}]") >"$callgrind_json"
else
  echo "bench: valgrind not found, no instruction counts (scripts/install-deps.sh installs it)"
  echo "[]" >"$callgrind_json"
fi

python3 bench/report.py "$out/raw.json" "$callgrind_json" "$out"
echo "bench: wrote $out/results.json and $out/results.md in $(( $(date +%s) - start )) s"
