#!/usr/bin/env bash
# `make fuzz`: the fuzz targets of tests/fuzz under libFuzzer (clang 14,
# ASan + UBSan, the `fuzz` preset, build/fuzz). docs/RELIABILITY.md says what
# they check.
#   1. core_fuzzer: random sequences of ASIO calls with random arguments on
#      DriverCore over the fake backend, with periods, capture packets, device
#      events, backend faults and settings changes between them; runs until
#      at least A2W_FUZZ_MIN_CALLS (1000000) ASIO calls were made, in rounds
#      of A2W_FUZZ_CORE_SECONDS (180);
#   2. config_fuzzer: the settings-file parser, from tests/fuzz/config_seeds
#      with tests/fuzz/config.dict, for A2W_FUZZ_CONFIG_SECONDS (60).
# Corpora grow in build/fuzz/corpus between runs; a crash, a sanitizer report
# or a broken invariant leaves its input in build/fuzz/artifacts (replay:
# build/fuzz/bin/core_fuzzer FILE). Writes build/fuzz/report.json and exits
# non-zero unless both ran clean and the call count was reached.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/build/fuzz
bin=$out/bin
artifacts=$out/artifacts
report=$out/report.json
min_calls=${A2W_FUZZ_MIN_CALLS:-1000000}
core_round=${A2W_FUZZ_CORE_SECONDS:-180}
config_seconds=${A2W_FUZZ_CONFIG_SECONDS:-60}
max_rounds=${A2W_FUZZ_MAX_ROUNDS:-10}

say() { printf 'fuzz: %s\n' "$*"; }
json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

say "building core_fuzzer and config_fuzzer (clang, libFuzzer + ASan + UBSan)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j2 --target core_fuzzer config_fuzzer >/dev/null
mkdir -p "$out/corpus/core" "$out/corpus/config" "$artifacts"
rm -f "$report" "$out"/counts-*.json "$out"/*.log
crashes_before=$(find "$artifacts" -type f | wc -l)

# Starting points for the core: long random programs (a fixed seed), so the
# first inputs already reach running streams; libFuzzer mutates from there.
if [[ -z $(ls -A "$out/corpus/core") ]]; then
  python3 - "$out/corpus/core" <<'PY'
import random, sys
r = random.Random(20240611)
for i in range(64):
    with open(f"{sys.argv[1]}/seed-{i:02d}", "wb") as f:
        f.write(bytes(r.getrandbits(8) for _ in range(r.randint(256, 1536))))
PY
fi
cp -n tests/fuzz/config_seeds/*.toml "$out/corpus/config/"

common=(-len_control=0 -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 "-artifact_prefix=$artifacts/")
failed=0

# 1. the core, in rounds until the call count is reached
calls=0 core_execs=0 core_seconds=0 periods=0 switches=0 events=0 packets=0 settings=0 still_works=0 failed_calls=0
round=0
while [[ $calls -lt $min_calls && $round -lt $max_rounds ]]; do
  round=$((round + 1))
  counts=$out/counts-core-$round.json
  log=$out/core-$round.log
  say "core round $round: ${core_round} s ($calls of $min_calls ASIO calls so far)"
  t0=$(date +%s)
  rc=0
  A2W_FUZZ_COUNTS=$counts "$bin/core_fuzzer" "${common[@]}" -max_len=1536 -max_total_time="$core_round" \
    "$out/corpus/core" >"$log" 2>&1 || rc=$?
  core_seconds=$((core_seconds + $(date +%s) - t0))
  if [[ $rc -ne 0 || ! -f $counts ]]; then
    say "core_fuzzer failed (exit $rc); the end of $log:"
    tail -n 40 "$log" | sed 's/^/    /'
    failed=1
    break
  fi
  calls=$((calls + $(json "$counts" calls)))
  core_execs=$((core_execs + $(json "$counts" inputs)))
  periods=$((periods + $(json "$counts" periods)))
  switches=$((switches + $(json "$counts" buffer_switches)))
  events=$((events + $(json "$counts" device_events)))
  packets=$((packets + $(json "$counts" capture_packets)))
  settings=$((settings + $(json "$counts" settings_changes)))
  still_works=$((still_works + $(json "$counts" still_works_checks)))
  failed_calls=$((failed_calls + $(json "$counts" failed_calls)))
done
if [[ $failed -eq 0 && $calls -lt $min_calls ]]; then
  say "only $calls ASIO calls in $round rounds (wanted $min_calls)"
  failed=1
fi

# 2. the settings file
config_execs=0 accepted=0 refused=0 config_run_seconds=0
if [[ $failed -eq 0 ]]; then
  say "config: ${config_seconds} s"
  counts=$out/counts-config.json
  log=$out/config.log
  t0=$(date +%s)
  rc=0
  A2W_FUZZ_COUNTS=$counts "$bin/config_fuzzer" "${common[@]}" -max_len=4096 -dict=tests/fuzz/config.dict \
    -max_total_time="$config_seconds" "$out/corpus/config" >"$log" 2>&1 || rc=$?
  config_run_seconds=$(($(date +%s) - t0))
  if [[ $rc -ne 0 || ! -f $counts ]]; then
    say "config_fuzzer failed (exit $rc); the end of $log:"
    tail -n 40 "$log" | sed 's/^/    /'
    failed=1
  else
    config_execs=$(json "$counts" inputs)
    accepted=$(json "$counts" accepted)
    refused=$(json "$counts" refused)
  fi
fi

crashes=$(($(find "$artifacts" -type f | wc -l) - crashes_before))
ok=$([[ $failed -eq 0 && $crashes -eq 0 ]] && echo true || echo false)
cat >"$report" <<JSON
{
  "ok": $ok,
  "command": "make fuzz",
  "calls": $calls,
  "execs": $((core_execs + config_execs)),
  "seconds": $((core_seconds + config_run_seconds)),
  "crashes": $crashes,
  "core": {
    "asio_calls": $calls,
    "refused_calls": $failed_calls,
    "inputs": $core_execs,
    "seconds": $core_seconds,
    "rounds": $round,
    "periods": $periods,
    "buffer_switches": $switches,
    "capture_packets": $packets,
    "device_events": $events,
    "settings_changes": $settings,
    "still_works_sessions": $still_works
  },
  "config": {
    "inputs": $config_execs,
    "seconds": $config_run_seconds,
    "accepted_and_round_tripped": $accepted,
    "refused_with_file_and_line": $refused
  },
  "compiler": "$(clang++ --version | head -n 1)",
  "sanitizers": "libFuzzer, AddressSanitizer, UndefinedBehaviorSanitizer"
}
JSON
say "core: $calls ASIO calls in $core_execs inputs, $periods periods, $events device events, ${core_seconds} s"
say "config: $config_execs files ($accepted accepted and round-tripped, $refused refused naming file:line), ${config_run_seconds} s"
say "crashes: $crashes; report: ${report#"$root"/}"
if [[ $ok != true ]]; then
  if [[ $crashes -gt 0 ]]; then say "inputs that failed (newest first): $(ls -t "$artifacts" | head -n 5 | tr "\n" " ")"; fi
  say "FAILED"
  exit 1
fi
say "passed"
