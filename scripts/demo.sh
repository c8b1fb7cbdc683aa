#!/usr/bin/env bash
# The demo (`make demo`): an ASIO host plays a test sequence through
# asio2wasapi into Wine's WASAPI (shared, event-driven) on the "Speakers"
# sink of a private PulseAudio; Linux records the sink's monitor, and
# verify_capture checks the recording frame by frame against what the host
# played. Writes build/demo/report.json and prints a summary; exits non-zero
# if the recording is not a complete, in-order, bit-exact copy.
# See docs/DEMO.md for the signal and the report fields.
#
# Environment: A2W_DEMO_SECONDS (default 5); A2W_DEMO_SKIP_BUILD=1 to use
# existing binaries; A2W_WIN64_BIN / A2W_NATIVE_BIN to take them from other
# folders than build/win64/bin and build/native/bin (development builds).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
demo=$root/build/demo
world=$demo/world
seconds=${A2W_DEMO_SECONDS:-5}
mode=shared-event
device=Speakers
driver="ASIO2WASAPI Universal"
dll=${A2W_WIN64_BIN:-$root/build/win64/bin}/asio2wasapi_x64.dll
host=${A2W_WIN64_BIN:-$root/build/win64/bin}/asiohost.exe
verify=${A2W_NATIVE_BIN:-$root/build/native/bin}/verify_capture
capture=$demo/speakers.raw
parec_pid=

say() { printf 'demo: %s\n' "$*"; }

# --- build (2 cores here: -j2)
if [[ ${A2W_DEMO_SKIP_BUILD:-0} != 1 ]]; then
  say "building verify_capture (native) and the driver and host (win64)"
  cmake --preset native >/dev/null
  cmake --build --preset native -j2 --target verify_capture >/dev/null
  cmake --preset win64 >/dev/null
  cmake --build --preset win64 -j2 --target a2w_driver asiohost >/dev/null
fi
for f in "$dll" "$host" "$verify"; do
  [[ -f $f ]] || { echo "demo: $f was not built" >&2; exit 1; }
done

mkdir -p "$demo"
rm -f "$demo/host.json" "$demo/report.json" "$capture" "$demo/host.log"

# --- the world: ours alone, stopped on any exit (only its own processes)
cleanup() {
  if [[ -n $parec_pid ]]; then
    kill -INT "$parec_pid" 2>/dev/null || true
    wait "$parec_pid" 2>/dev/null || true
  fi
  scripts/wine-world.sh down "$world" >/dev/null 2>&1 || true
}
trap cleanup EXIT
scripts/wine-world.sh down "$world" >/dev/null 2>&1 || true  # leftovers of an interrupted demo
say "starting a private Wine + PulseAudio world in ${world#"$root"/}"
# Speakers as a pipe sink: a null sink's monitor loses the first frames of a
# stream to PulseAudio's rewind (see scripts/wine-world.sh), which would fail
# a bit-exact check for a reason that is not the driver's.
A2W_WORLD_SPEAKERS=pipe scripts/wine-world.sh up "$world" >"$demo/world-up.log" 2>&1 ||
  { echo "demo: the world did not start; see $demo/world-up.log" >&2; exit 1; }
eval "$(scripts/wine-world.sh env "$world")"

say "registering $(basename "$dll") with wine regsvr32"
wine regsvr32 /s "$(winepath -w "$dll")" >"$demo/regsvr32.log" 2>&1 ||
  { echo "demo: regsvr32 failed; see $demo/regsvr32.log" >&2; exit 1; }

# --- record the Speakers monitor from before the first frame is played
parec -d speakers.monitor --format=float32le --rate=48000 --channels=2 --raw --latency-msec=20 \
  >"$capture" 2>"$demo/parec.log" &
parec_pid=$!
for _ in $(seq 1 100); do
  [[ -s $capture ]] && break
  sleep 0.05   # polling for parec's first data: recording has begun
done
[[ -s $capture ]] || { echo "demo: parec recorded nothing; see $demo/parec.log" >&2; exit 1; }

say "playing the test sequence for $seconds s: \"$driver\" -> $device ($mode)"
host_rc=0
A2W_MODE=$mode A2W_OUTPUT_DEVICE=$device \
  wine "$host" play "$driver" --seconds "$seconds" --signal sequence --report "$(winepath -w "$demo/host.json")" \
  >"$demo/host.log" 2>&1 || host_rc=$?
# The report's mode is what the driver says it runs (its stream status, the
# first word: e.g. "shared-event"), not merely what was asked for.
running=$(sed -n 's/^[[:space:]]*"driver_status":[[:space:]]*"\([^" ]*\).*/\1/p' "$demo/host.json" 2>/dev/null | head -n 1)
if [[ -n $running ]]; then mode=$running; fi
[[ -f $demo/host.json ]] || { echo "demo: the host wrote no report (exit $host_rc); see $demo/host.log" >&2; exit 1; }

# --- drain: the host has exited, but the sink may still be playing what the
# stream had queued. Wait (bounded: at most 5 s) until the recording ends in
# 200 ms of silence after the signal; a timeout is not an error by itself,
# the verifier then reports what is missing.
for _ in $(seq 1 100); do
  "$verify" --drained 9600 "$capture" && break
  sleep 0.05   # polling the recording for the drained condition
done
kill -INT "$parec_pid" 2>/dev/null || true
wait "$parec_pid" 2>/dev/null || true
parec_pid=

# --- verify and merge into the report
echo
verify_rc=0
# No frame is excused: the host follows the signal with a silent tail as long
# as the reported output latency plus one buffer before it stops (ASIO's
# stop is immediate), so every signal frame has reached the sink.
"$verify" "$capture" --channels 2 --format float32 --host-report "$demo/host.json" \
  --mode "$mode" --device "$device" --json "$demo/report.json" || verify_rc=$?
echo
if [[ $host_rc -ne 0 ]]; then
  say "the host exited with $host_rc; its log:"
  sed 's/^/    /' "$demo/host.log"
fi
say "report: ${demo#"$root"/}/report.json"
if [[ $verify_rc -ne 0 || $host_rc -ne 0 ]]; then
  say "FAILED"
  exit 1
fi
say "passed"
