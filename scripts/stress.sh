#!/usr/bin/env bash
# `make stress`: full duplex through asio2wasapi under a CPU load, five
# minutes by default, in a private Wine + PulseAudio world (as `make soak`:
# asiohost loopback, output 0 "Speakers" -> input 0 "Monitor of Speakers",
# shared-event, the frame-coded sequence checked after alignment), while
# busy loops on every core run about half the time at nice 0
# (scripts/cpu-load.sh; started before the stream, stopped by PID when
# asiohost says the stream stopped).
#
# A noisy machine makes the stream glitch; what matters (issue 13) is that
# the driver sees every glitch: it passes when every discontinuity of the
# recording is explained by a kResyncRequest the driver sent near it
# (unexplained_discontinuities == 0; tools/common/glitch_matching.h), the
# signal was found and the host saw no error. How many glitches there were,
# and how the driver's safety margin (its reported latencies, after each
# kLatenciesChanged) grew over the run, is the report's to say:
# build/stress/report.json (seconds, discontinuities,
# driver_counted_glitches, unexplained_discontinuities,
# margin_frames_over_time: [[seconds, output_latency, input_latency], ...]
# from the initial figures on, latency_changes: how many, and more), and
# the driver's own log at info level, build/stress/driver.log (its xrun
# lines, to put next to the breaks). docs/RELIABILITY.md describes it.
#
# Environment: A2W_STRESS_SECONDS (300), A2W_STRESS_LOAD_PROCS (the number
# of cores), A2W_LOAD_HALF_PERIOD_S (1: busy 1 s, stopped 1 s),
# A2W_STRESS_SKIP_BUILD=1, A2W_WIN64_BIN (the DLL and host from another folder).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/build/stress
world=$out/world
seconds=${A2W_STRESS_SECONDS:-300}
procs=${A2W_STRESS_LOAD_PROCS:-$(nproc)}
driver="ASIO2WASAPI Universal"
dll=${A2W_WIN64_BIN:-$root/build/win64/bin}/asio2wasapi_x64.dll
host=${A2W_WIN64_BIN:-$root/build/win64/bin}/asiohost.exe
host_report=$out/host-report.json
report=$out/report.json

say() { printf 'stress: %s\n' "$*"; }
winpath() { local p; p=$(realpath -m "$1"); printf 'Z:%s' "${p//\//\\}"; }
# shellcheck source=scripts/cpu-load.sh
source "$root/scripts/cpu-load.sh"

if [[ ${A2W_STRESS_SKIP_BUILD:-0} != 1 ]]; then
  say "building the driver and host (win64)"
  cmake --preset win64 >/dev/null
  cmake --build --preset win64 -j2 --target a2w_driver asiohost >/dev/null
fi
for f in "$dll" "$host"; do
  [[ -f $f ]] || { echo "stress: $f was not built" >&2; exit 1; }
done
mkdir -p "$out"
rm -f "$report" "$host_report" "$out/host.log"

host_pid=
cleanup() {
  if [[ -n $host_pid ]]; then kill "$host_pid" 2>/dev/null || true; fi
  a2w_load_stop >/dev/null 2>&1 || true
  scripts/wine-world.sh down "$world" >/dev/null 2>&1 || true
}
trap cleanup EXIT
scripts/wine-world.sh down "$world" >/dev/null 2>&1 || true  # leftovers of an interrupted run
say "starting a private Wine + PulseAudio world in ${world#"$root"/}"
A2W_WORLD_SPEAKERS=pipe scripts/wine-world.sh up "$world" >"$out/world-up.log" 2>&1 ||
  { echo "stress: the world did not start; see $out/world-up.log" >&2; exit 1; }
eval "$(scripts/wine-world.sh env "$world")"
wine regsvr32 /s "$(winpath "$dll")" >"$out/regsvr32.log" 2>&1 ||
  { echo "stress: regsvr32 failed; see $out/regsvr32.log" >&2; exit 1; }

say "full duplex for $seconds s under load ($procs busy loops, half the time): Speakers -> \"Monitor of Speakers\" (shared-event)"
# Drift compensation auto, the driver's default, as the duplex e2e tests
# run it (Wine gives no container id, so it runs: docs/LATENCY.md).
export A2W_DRIFT_COMPENSATION=auto
# The driver's own log (its xrun lines and the run summary, with the input
# clock), so each break can be put next to what the driver saw.
rm -f "$out/driver.log"
A2W_LOG=info
A2W_LOG_FILE=$(winpath "$out/driver.log")
export A2W_LOG A2W_LOG_FILE
a2w_load_start "$procs"
rc=0
A2W_MODE=shared-event A2W_OUTPUT_DEVICE=Speakers A2W_INPUT_DEVICE="Monitor of Speakers" \
  wine "$host" loopback "$driver" --seconds "$seconds" --report "$(winpath "$host_report")" \
  >"$out/host.log" 2>&1 &
host_pid=$!
# The load for the stream, not for the analysis after it (asiohost says when
# the stream stopped); its own bound on the stream is 2 x its length + 5 s.
a2w_wait_stream_stopped "$out/host.log" "$host_pid" $((2 * seconds + 60)) ||
  { echo "stress: asiohost did not stop its stream; see $out/host.log" >&2; exit 1; }
a2w_load_stop || { echo "stress: the load's processes did not all end" >&2; exit 1; }
wait "$host_pid" || rc=$?
host_pid=
say "$A2W_LOAD_SUMMARY"
echo
sed 's/^/    /' "$out/host.log"
echo
[[ -f $host_report ]] || { say "the host wrote no report (exit $rc)"; exit 1; }

status=0
python3 - "$host_report" "$report" "$rc" "$A2W_LOAD_SUMMARY" <<'PY' || status=$?
import json, sys
host_report, report, rc, load = sys.argv[1:5]
rc = int(rc)
h = json.load(open(host_report))
rate = h.get("sample_rate") or 48000
failures = []
if h.get("measured_round_trip_frames") is None:
    failures.append("the played signal was not found in the recording")
unexplained = h.get("unexplained_discontinuities")
if unexplained != 0:
    failures.append("%s of %s discontinuities unexplained by a kResyncRequest" % (unexplained, h.get("discontinuities")))
if h.get("errors"):
    failures.append("host errors: " + "; ".join(h["errors"]))
# The driver's margin over the run: the initial latencies, then those after
# each kLatenciesChanged, at the host's position of the message.
margin = [[0.0, h.get("initial_reported_output_latency_frames"), h.get("initial_reported_input_latency_frames")]]
margin += [[round(c["position"] / rate, 2), c["output_latency"], c["input_latency"]] for c in h.get("latency_changes", [])]
out = {
    "ok": not failures,
    "command": "make stress",
    "seconds": round(h.get("elapsed_seconds") or 0, 1),
    "signal_seconds": h.get("seconds"),
    "load": load,
    "discontinuities": h.get("discontinuities"),
    "driver_counted_glitches": h.get("driver_counted_glitches"),
    "unexplained_discontinuities": unexplained,
    "discontinuities_last_30s": h.get("discontinuities_last_30s"),
    "glitch_window_frames": h.get("glitch_window_frames"),
    "glitches_at_s": [round(p / rate, 2) for p in h.get("glitch_positions", [])],
    "margin_frames_over_time": margin,
    "latency_changes": h.get("latency_change_messages"),
    "correlation": h.get("correlation"),
    "correlation_outside_breaks": h.get("correlation_outside_breaks"),
    "measured_round_trip_frames": h.get("measured_round_trip_frames"),
    "final_round_trip_frames": h.get("final_round_trip_frames"),
    "reported_driver_round_trip_frames": h.get("reported_driver_round_trip_frames"),
    "within_one_buffer_of_driver_part": h.get("within_one_buffer_of_driver_part"),
    "buffer_switches": h.get("buffer_switches"),
    "buffer_frames": h.get("buffer_frames"),
    "sample_rate": rate,
    "callback_interval_us": h.get("callback_interval_us"),
    "overloads": h.get("overloads"),
    "resets": h.get("reset_requests"),
    "driver_status": h.get("driver_status"),
    "host_exit_status": rc,
    "host_failures": h.get("failures"),
    # Where the recording broke: seconds into the signal, delay before and
    # after (frames), and whether a kResyncRequest explained it.
    "breaks": [{"at_s": round(e["played_frame"] / rate, 2), "lag_before": e["lag_before"],
                "lag_after": e["lag_after"], "explained": e.get("explained")} for e in h.get("events", [])],
    "failures": failures,
}
json.dump(out, open(report, "w"), indent=2)
print(json.dumps(out, indent=2))
sys.exit(0 if not failures else 1)
PY
say "report: ${report#"$root"/}"
if [[ $status -ne 0 ]]; then say "FAILED"; exit 1; fi
say "passed"
