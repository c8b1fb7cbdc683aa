#!/usr/bin/env bash
# `make soak`: ten minutes of full duplex through asio2wasapi in a private
# Wine + PulseAudio world, as `make loopback` runs it (asiohost loopback:
# output 0 "Speakers" -> input 0 "Monitor of Speakers", shared-event, the
# frame-coded sequence, checked after alignment), while the resident memory
# of the Wine process running asiohost.exe (driver, Wine's WASAPI, host) is
# sampled from /proc/<pid>/status every second.
#
# Passes when the host reports no error, no discontinuity the driver did
# not explain (every break of the recording has a kResyncRequest near it:
# tools/common/glitch_matching.h; an old driver that sends none gets 0
# discontinuities as before) and no reset request, and the RSS after the
# run (sampled while the stream still runs)
# exceeds the RSS after the warm-up by at most A2W_SOAK_RSS_GROWTH_KB
# (1024 KB: ten minutes are 60000 periods, so one heap block leaked per
# period, or one in every few, fails it). Writes build/soak/report.json (seconds,
# discontinuities, unexplained_discontinuities, rss_start_kb, rss_end_kb,
# resets, and more) and
# build/soak/rss.tsv (every sample); docs/RELIABILITY.md has the figures.
#
# Environment: A2W_SOAK_SECONDS (600; shorter while developing),
# A2W_SOAK_WARMUP_SECONDS (10), A2W_SOAK_RSS_GROWTH_KB (1024),
# A2W_SOAK_SKIP_BUILD=1, A2W_WIN64_BIN (the DLL and host from another folder).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/build/soak
world=$out/world
seconds=${A2W_SOAK_SECONDS:-600}
warmup=${A2W_SOAK_WARMUP_SECONDS:-10}
bound_kb=${A2W_SOAK_RSS_GROWTH_KB:-1024}
driver="ASIO2WASAPI Universal"
dll=${A2W_WIN64_BIN:-$root/build/win64/bin}/asio2wasapi_x64.dll
host=${A2W_WIN64_BIN:-$root/build/win64/bin}/asiohost.exe
host_report=$out/host-report.json
report=$out/report.json
samples=$out/rss.tsv

say() { printf 'soak: %s\n' "$*"; }
winpath() { local p; p=$(realpath -m "$1"); printf 'Z:%s' "${p//\//\\}"; }

if [[ ${A2W_SOAK_SKIP_BUILD:-0} != 1 ]]; then
  say "building the driver and host (win64)"
  cmake --preset win64 >/dev/null
  cmake --build --preset win64 -j2 --target a2w_driver asiohost >/dev/null
fi
for f in "$dll" "$host"; do
  [[ -f $f ]] || { echo "soak: $f was not built" >&2; exit 1; }
done
if ((seconds < warmup + 10)); then
  echo "soak: A2W_SOAK_SECONDS=$seconds leaves no time after the ${warmup} s warm-up" >&2
  exit 2
fi
mkdir -p "$out"
rm -f "$report" "$host_report" "$samples" "$out/host.log"

host_pid=
cleanup() {
  if [[ -n $host_pid ]]; then kill "$host_pid" 2>/dev/null || true; fi
  scripts/wine-world.sh down "$world" >/dev/null 2>&1 || true
}
trap cleanup EXIT
scripts/wine-world.sh down "$world" >/dev/null 2>&1 || true  # leftovers of an interrupted run
say "starting a private Wine + PulseAudio world in ${world#"$root"/}"
# Speakers as a pipe sink, as in make loopback: a null sink's monitor loses
# a stream's first frames when it rewinds (scripts/wine-world.sh).
A2W_WORLD_SPEAKERS=pipe scripts/wine-world.sh up "$world" >"$out/world-up.log" 2>&1 ||
  { echo "soak: the world did not start; see $out/world-up.log" >&2; exit 1; }
eval "$(scripts/wine-world.sh env "$world")"
wine regsvr32 /s "$(winpath "$dll")" >"$out/regsvr32.log" 2>&1 ||
  { echo "soak: regsvr32 failed; see $out/regsvr32.log" >&2; exit 1; }

# The pid of the Wine process that runs asiohost.exe in this world's prefix.
find_host_pid() {
  local p
  for p in /proc/[0-9]*; do
    [[ -r $p/cmdline && -r $p/environ ]] || continue
    tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -qi 'asiohost\.exe' || continue
    tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qxF "WINEPREFIX=$WINEPREFIX" || continue
    echo "${p#/proc/}"
    return 0
  done
  return 1
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

say "full duplex for $seconds s: Speakers -> \"Monitor of Speakers\" (shared-event), sampling the host's memory"
# Same clock on both sides (PulseAudio's), so drift compensation is set off
# here (the setting for a same-clock pair); the duplex e2e test covers auto,
# which Wine runs because it gives no container id (docs/LATENCY.md).
export A2W_DRIFT_COMPENSATION=off
A2W_MODE=shared-event A2W_OUTPUT_DEVICE=Speakers A2W_INPUT_DEVICE="Monitor of Speakers" \
  wine "$host" loopback "$driver" --seconds "$seconds" --report "$(winpath "$host_report")" \
  >"$out/host.log" 2>&1 &
host_pid=$!
t0=$(date +%s)
pid=
printf 't_s\trss_kb\n' >"$samples"
# One sample a second while the host lives (a measurement cadence, not a wait).
while kill -0 "$host_pid" 2>/dev/null; do
  if [[ -z $pid ]]; then pid=$(find_host_pid || true); fi
  if [[ -n $pid ]]; then
    kb=$(rss_kb "$pid" || true)
    [[ -n $kb ]] && printf '%s\t%s\n' "$(($(date +%s) - t0))" "$kb" >>"$samples"
  fi
  sleep 1
done
rc=0
wait "$host_pid" || rc=$?
host_pid=
echo
sed 's/^/    /' "$out/host.log"
echo
[[ -f $host_report ]] || { say "the host wrote no report (exit $rc)"; exit 1; }

status=0
python3 - "$host_report" "$samples" "$report" "$seconds" "$warmup" "$bound_kb" "$rc" <<'PY' || status=$?
import json, sys
host_report, samples, report, seconds, warmup, bound, rc = sys.argv[1:8]
seconds, warmup, bound, rc = int(seconds), int(warmup), int(bound), int(rc)
h = json.load(open(host_report))
rows = [tuple(map(int, l.split("\t"))) for l in open(samples).read().splitlines()[1:] if l.strip()]
# Start: the first sample after the warm-up. End: the last one at least 2 s
# before the signal's length since launch (the stream starts after init, so
# it still runs then; the analysis after it allocates on purpose).
start = next((kb for t, kb in rows if t >= warmup), None)
end_rows = [(t, kb) for t, kb in rows if warmup <= t <= seconds - 2]
end = end_rows[-1][1] if end_rows else None
failures = []
if start is None or end is None:
    failures.append("too few memory samples (%d)" % len(rows))
growth = (end - start) if start is not None and end is not None else None
if growth is not None and growth > bound:
    failures.append("RSS grew by %d KB (bound %d KB)" % (growth, bound))
disc = h.get("discontinuities")
unexplained = h.get("unexplained_discontinuities")
resets = h.get("reset_requests")
if unexplained != 0:
    failures.append("%s of %s discontinuities unexplained by a kResyncRequest" % (unexplained, disc))
if resets != 0:
    failures.append("%s reset requests" % resets)
if rc != 0:
    failures.append("asiohost exited with %d (%s)" % (rc, "; ".join(h.get("failures", []) + h.get("errors", [])) or "see host.log"))
out = {
    "ok": not failures,
    "command": "make soak",
    "seconds": round(h.get("elapsed_seconds") or 0, 1),
    "signal_seconds": h.get("seconds"),
    "discontinuities": disc,
    "driver_counted_glitches": h.get("driver_counted_glitches"),
    "unexplained_discontinuities": unexplained,
    "rss_start_kb": start,
    "rss_end_kb": end,
    "rss_growth_kb": growth,
    "rss_growth_bound_kb": bound,
    "rss_max_kb": max((kb for t, kb in end_rows), default=None),  # while streaming (not the analysis after)
    "rss_samples": len(rows),
    "resets": resets,
    "correlation": h.get("correlation"),
    "buffer_switches": h.get("buffer_switches"),
    "buffer_frames": h.get("buffer_frames"),
    "sample_rate": h.get("sample_rate"),
    "callback_interval_us": h.get("callback_interval_us"),
    "overloads": h.get("overloads"),
    "driver_status": h.get("driver_status"),
    "latency_changes": h.get("latency_change_messages"),
    # Where the recording broke: seconds into the signal, delay before and
    # after (frames), and whether a kResyncRequest explained it.
    "breaks": [{"at_s": round(e["played_frame"] / (h.get("sample_rate") or 48000), 2),
                "lag_before": e["lag_before"], "lag_after": e["lag_after"], "explained": e.get("explained")}
               for e in h.get("events", [])],
    "failures": failures,
}
json.dump(out, open(report, "w"), indent=2)
print(json.dumps(out, indent=2))
sys.exit(0 if not failures else 1)
PY
say "report: ${report#"$root"/} (memory samples: ${samples#"$root"/})"
if [[ $status -ne 0 ]]; then say "FAILED"; exit 1; fi
say "passed"
