# shellcheck shell=bash
# Helpers for the end-to-end tests (sourced, not a test: the runner skips lib.sh).
#
# Worlds. Each test that records what it plays starts its OWN world in
# $A2W_BUILD/e2e/<name>/world and tears it down on exit, even when the runner
# has a world up (A2W_WORLD): a bit-exact check needs "Speakers" to be the
# pipe sink (A2W_WORLD_SPEAKERS=pipe, see scripts/wine-world.sh) and a
# winealsa check needs its own prefix; the runner's world has neither. Tests
# that only need the driver to run (auto_fallback, host_cycle) reuse the
# runner's world when A2W_WORLD is set and its PulseAudio answers, and
# otherwise start their own the same way. A world's prefix is kept between
# runs (only the first run pays for wineboot); its processes are not.
#
# Binaries: $A2W_BUILD/win64/bin/{asio2wasapi_x64.dll,asiohost.exe} and
# $A2W_BUILD/native/bin/verify_capture (built with the win64 and native
# presets; the tests do not build, they fail naming what is missing).
#
# No sleeps as synchronisation: waits poll an observable condition with a
# bound (e2e_poll).

set -euo pipefail

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_BUILD=${A2W_BUILD:-build}
[[ $E2E_BUILD == /* ]] || E2E_BUILD=$E2E_ROOT/$E2E_BUILD
# A2W_WIN64_BIN / A2W_NATIVE_BIN override the bin folders (development builds).
E2E_DLL=${A2W_WIN64_BIN:-$E2E_BUILD/win64/bin}/asio2wasapi_x64.dll
E2E_HOST=${A2W_WIN64_BIN:-$E2E_BUILD/win64/bin}/asiohost.exe
E2E_VERIFY=${A2W_NATIVE_BIN:-$E2E_BUILD/native/bin}/verify_capture
export E2E_DRIVER="ASIO2WASAPI Universal"   # the name the DLL registers
E2E_OWN_WORLD=
E2E_CAPTURE_PID=
E2E_CLEANUPS=()

e2e_fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# e2e_init NAME: the test's work dir ($E2E_DIR) and the cleanup trap.
e2e_init() {
  E2E_NAME=$1
  E2E_DIR=$E2E_BUILD/e2e/$E2E_NAME
  mkdir -p "$E2E_DIR"
  trap e2e_cleanup EXIT
  # set -e ends a test at the first failing command; say which, so no test
  # can fail without a line in its log.
  trap 'echo "FAIL: \"$BASH_COMMAND\" exited with $? at ${BASH_SOURCE[0]}:$LINENO" >&2' ERR
}

e2e_cleanup() {
  local rc=$?
  if [[ -n $E2E_CAPTURE_PID ]]; then
    kill -INT "$E2E_CAPTURE_PID" 2>/dev/null || true
    wait "$E2E_CAPTURE_PID" 2>/dev/null || true
    E2E_CAPTURE_PID=
  fi
  local c
  for c in "${E2E_CLEANUPS[@]}"; do eval "$c" || true; done
  if [[ -n $E2E_OWN_WORLD ]]; then
    "$E2E_ROOT/scripts/wine-world.sh" down "$E2E_OWN_WORLD" >/dev/null 2>&1 || true
  fi
  exit "$rc"
}

# e2e_need FILE...: fail naming the missing build products.
e2e_need() {
  local f
  for f in "$@"; do [[ -e $f ]] || e2e_fail "$f is not built (cmake --preset win64/native, then build)"; done
}

# e2e_poll TRIES INTERVAL CMD...: run CMD until it succeeds, at most TRIES
# times, INTERVAL seconds apart; the status of the last try.
e2e_poll() {
  local tries=$1 interval=$2
  shift 2
  local i
  for ((i = 0; i < tries; i++)); do
    if "$@"; then return 0; fi
    sleep "$interval"  # the pause between polls of an observable condition
  done
  return 1
}

# e2e_world_own [VAR=VALUE...]: start a world of our own in $E2E_DIR/world
# with the given world settings (A2W_WORLD_SPEAKERS, A2W_WORLD_AUDIO), and
# enter it. Stopped by the EXIT trap.
e2e_world_own() {
  local dir=$E2E_DIR/world
  "$E2E_ROOT/scripts/wine-world.sh" down "$dir" >/dev/null 2>&1 || true  # leftovers of a killed run
  E2E_OWN_WORLD=$dir
  env "$@" "$E2E_ROOT/scripts/wine-world.sh" up "$dir" >"$E2E_DIR/world-up.log" 2>&1 ||
    e2e_fail "world did not start; see $E2E_DIR/world-up.log"
  eval "$("$E2E_ROOT/scripts/wine-world.sh" env "$dir")"
  export E2E_WORLD_ALSA_RAW=$dir/alsa/default.raw   # where ALSA's default PCM writes in an alsa world
}

# e2e_world_any: the runner's world if it is up, else one of our own.
e2e_world_any() {
  if [[ -n ${A2W_WORLD:-} && -d ${A2W_WORLD}/prefix ]]; then
    eval "$("$E2E_ROOT/scripts/wine-world.sh" env "$A2W_WORLD")"
    if pactl info >/dev/null 2>&1; then return 0; fi
  fi
  e2e_world_own A2W_WORLD_SPEAKERS=null
}

# e2e_register: register the driver DLL in the current world's prefix.
e2e_register() {
  e2e_need "$E2E_DLL" "$E2E_HOST"
  wine regsvr32 /s "$(e2e_winpath "$E2E_DLL")" >"$E2E_DIR/regsvr32.log" 2>&1 ||
    e2e_fail "wine regsvr32 $E2E_DLL failed; see $E2E_DIR/regsvr32.log"
}

# e2e_winpath PATH: the Windows (Z:) form of a Linux path.
# Computed, not asked of `winepath`: every prefix maps Z: to /, and a Wine
# process here can fail while a fresh prefix's server settles (seen once in
# a full run, silently ending the panel test).
e2e_winpath() {
  local p
  p=$(realpath -m "$1")
  printf 'Z:%s\n' "${p//\//\\}"
}

# e2e_host ARGS...: run asiohost in the current world (stdout and stderr to
# $E2E_DIR/host.log, appended); its exit status.
e2e_host() {
  { echo "+ asiohost $*"; wine "$E2E_HOST" "$@"; } >>"$E2E_DIR/host.log" 2>&1
}

# e2e_capture_start FILE: record the Speakers monitor (48 kHz float32 2 ch
# raw) into FILE, in the background; returns once recording has begun (the
# file has data), so nothing played afterwards is missed.
e2e_capture_start() {
  local file=$1
  rm -f "$file"
  parec -d speakers.monitor --format=float32le --rate=48000 --channels=2 --raw --latency-msec=20 >"$file" \
    2>"$E2E_DIR/parec.log" &
  E2E_CAPTURE_PID=$!
  e2e_poll 100 0.05 test -s "$file" || e2e_fail "parec wrote nothing in 5 s; see $E2E_DIR/parec.log"
}

# e2e_capture_stop FILE [TAIL_FRAMES]: wait until the recording holds signal
# followed by TAIL_FRAMES (default 9600 = 200 ms) of silence, i.e. the sink
# has played out everything the stream had queued; then stop parec.
e2e_capture_stop() {
  local file=$1 tail=${2:-9600}
  local ok=0
  e2e_poll 100 0.05 "$E2E_VERIFY" --drained "$tail" "$file" || ok=$?
  kill -INT "$E2E_CAPTURE_PID" 2>/dev/null || true
  wait "$E2E_CAPTURE_PID" 2>/dev/null || true
  E2E_CAPTURE_PID=
  return "$ok"
}

# e2e_json_field FILE KEY: a top-level scalar of a flat JSON report (numbers,
# booleans and simple strings; enough for our own reports).
e2e_json_field() {
  sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*\"\\{0,1\\}\\([^\",]*\\)\"\\{0,1\\},\\{0,1\\}[[:space:]]*\$/\\1/p" "$1" | head -n 1
}

# e2e_load_start [PROCS]: a CPU load of busy loops on every core, running
# about half the time, at nice 0 (scripts/cpu-load.sh); killed by PID by
# e2e_load_stop, or by the EXIT trap when the test ends early.
# shellcheck source=scripts/cpu-load.sh
source "$E2E_ROOT/scripts/cpu-load.sh"
e2e_load_start() {
  a2w_load_start "$@"
  E2E_CLEANUPS+=("a2w_load_stop >/dev/null 2>&1")
}
e2e_load_stop() {
  a2w_load_stop || e2e_fail "the load's processes did not all end"
}

# e2e_duplex_check REPORT RC LABEL MAX_DISCONTINUITIES MAX_LAST_30S:
# judge an `asiohost loopback` report (exit status RC) the way the duplex
# tests do (issue 13), and print their one summary line:
#   - every discontinuity is explained by a glitch the driver counted
#     (kResyncRequest near it: tools/common/glitch_matching.h);
#   - at most MAX_DISCONTINUITIES of them, at most MAX_LAST_30S in the last 30 s;
#   - the correlation above 0.999 for a run without a break; with explained
#     breaks above 0.99: a break may cost two 2048-frame blocks (the broken
#     one and the one where the delay step shows), so the six a loaded
#     minute may have cost at most 12 of its 1406 blocks (0.85 %);
#   - after the last kLatenciesChanged, the loop within one buffer of the
#     driver's own part of the latest reported latencies.
# e2e_driver_log: the driver's warnings (its xrun lines, which
# e2e_duplex_check reads) into $E2E_DIR/driver.log, emptied first.
# A2W_E2E_LOG_LEVEL=info for a diagnosis (adds the run summary, with the
# input clock, and the once-a-second glitch lines).
e2e_driver_log() {
  E2E_DRIVER_LOG=$E2E_DIR/driver.log
  rm -f "$E2E_DRIVER_LOG"
  A2W_LOG=${A2W_E2E_LOG_LEVEL:-warning}
  A2W_LOG_FILE=$(e2e_winpath "$E2E_DRIVER_LOG")
  export A2W_LOG A2W_LOG_FILE
}

# e2e_noise_verdict: after a2w_noise_stop (scripts/cpu-load.sh), empty when
# the machine was quiet while the stream ran, else the reason: the
# hypervisor took A2W_E2E_QUIET_STEAL_PCT (10) % or more of the machine in
# some second, or A2W_E2E_QUIET_BUSY_PCT (50) % of it was busy, a core's
# worth (the duplex test itself, Wine, PulseAudio and the host, takes 10-15
# %). Measured on this machine kind: st 0 in every sample of a quiet hour;
# 18-37 % in the hour when the quiet test gave 15-34 breaks, the driver
# counting all but 3.
e2e_noise_verdict() {
  local steal_max=${A2W_E2E_QUIET_STEAL_PCT:-10} busy_max=${A2W_E2E_QUIET_BUSY_PCT:-50}
  if ((A2W_NOISE_PEAK_STEAL >= steal_max || A2W_NOISE_PEAK_BUSY >= busy_max)); then
    echo "a noisy machine ($A2W_NOISE_SUMMARY): the quiet budget does not apply"
  fi
}

# e2e_duplex_check REPORT RC LABEL MAX_BREAKS MAX_LAST_30S [NOISY] [TOLERANCE]:
# TOLERANCE (frames; default one buffer) is how far the measured loop may
# lie from the driver's own part of the reported latencies.
e2e_duplex_check() {
  local report=$1 rc=$2 label=$3 max_disc=$4 max_last=$5 noisy=${6:-} tolerance=${7:-}
  [[ -f $report ]] || e2e_fail "asiohost loopback wrote no report (exit $rc); see $E2E_DIR/host.log"
  local trip disc glitches unexplained last corr corr_out reported own os within changes
  trip=$(e2e_json_field "$report" final_round_trip_frames)
  [[ -n $trip && $trip != null ]] || e2e_fail "no loop measured (after the last latency change); see $report"
  disc=$(e2e_json_field "$report" discontinuities)
  glitches=$(e2e_json_field "$report" driver_counted_glitches)
  unexplained=$(e2e_json_field "$report" unexplained_discontinuities)
  last=$(e2e_json_field "$report" discontinuities_last_30s)
  corr=$(e2e_json_field "$report" correlation)
  corr_out=$(e2e_json_field "$report" correlation_outside_breaks)
  reported=$(e2e_json_field "$report" reported_round_trip_frames)
  own=$(e2e_json_field "$report" reported_driver_round_trip_frames)
  os=$(e2e_json_field "$report" reported_os_latency_frames)
  within=$(e2e_json_field "$report" within_one_buffer_of_driver_part)
  changes=$(e2e_json_field "$report" latency_change_messages)
  # Breaks at a render engine late pass the driver logged ("the render
  # engine fell N frames behind the clock before sample position P", within
  # the glitch window): the engine itself was asleep (under Wine: every
  # thread of the process held up while wineserver saves the registry, every
  # 30 s after a process wrote to it; docs/LATENCY.md, "Late periods") and
  # PulseAudio played silence for a time no WASAPI call shows. They are the
  # world's, explained and counted by the driver: they do not count against
  # the quiet budget, and the loop may grow by exactly what they measured.
  local engine_growth=0 engine_breaks=0 engine_last=0
  if [[ -n ${E2E_DRIVER_LOG:-} && -f $E2E_DRIVER_LOG ]]; then
    read -r engine_growth engine_breaks engine_last < <(python3 - "$report" "$E2E_DRIVER_LOG" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
late = [int(m.group(1)) for m in re.finditer(r"render engine fell \d+ frames .*? before sample position (\d+)", open(sys.argv[2], errors="replace").read())]
window = r.get("glitch_window_frames", 0)
last_from = r.get("last_30s_from_frame", 0)
at = [e for e in r.get("events", []) if any(abs(e["played_frame"] - p) <= window for p in late)]
print(round(sum(e["lag_after"] - e["lag_before"] for e in at)), len(at), sum(1 for e in at if e["played_frame"] >= last_from))
PY
)
  fi
  local figures="$disc discontinuities ($glitches glitches counted by the driver, $unexplained unexplained, $last in the last 30 s; $engine_breaks at render engine late passes, $engine_last of those in the last 30 s), correlation $corr (outside breaks $corr_out)"
  [[ -n $noisy ]] && figures+="; $noisy"
  [[ $unexplained == 0 ]] ||
    e2e_fail "$unexplained of $disc discontinuities not explained by a kResyncRequest (driver counted $glitches); see unexplained_played_frames in $report"
  # The budget is what a quiet machine must show; on a noisy one (NOISY
  # says how) the breaks are the noise's, and what is asked is what the
  # driver guarantees under it: every break explained, the correlation
  # that many breaks leave, the loop back at its reported latency.
  local min_corr=0.99
  [[ $disc == 0 ]] && min_corr=0.999
  if [[ -z $noisy ]]; then
    ((disc - engine_breaks <= max_disc)) ||
      e2e_fail "$((disc - engine_breaks)) discontinuities not at engine late passes, at most $max_disc allowed: $figures; see $report"
    ((last - engine_last <= max_last)) ||
      e2e_fail "$((last - engine_last)) discontinuities in the last 30 s not at engine late passes, at most $max_last allowed: $figures; see $report"
  else
    # Each break may cost two of the run's 2048-frame blocks (1406 in 60 s).
    min_corr=$(awk -v d="$disc" 'BEGIN { m = 0.999 - 2 * d / 1406; if (d > 0 && m > 0.99) m = 0.99; printf "%.4f", m }')
  fi
  awk -v c="$corr" -v m="$min_corr" 'BEGIN { exit !(c > m) }' ||
    e2e_fail "correlation $corr is not above $min_corr ($disc discontinuities); see $report"
  local allowed=${tolerance:-$(e2e_json_field "$report" buffer_frames)}
  if [[ $within != true && ($engine_breaks -gt 0 || -n $tolerance) ]] &&
    awk -v t="$trip" -v o="$own" -v g="$engine_growth" -v b="$allowed" \
      'BEGIN { d = t - o - g; exit !(d <= b && d >= -b) }'; then
    within=true
    if ((engine_breaks > 0)); then figures+=", the loop grew by $engine_growth at them"; fi
  fi
  [[ $within == true ]] ||
    e2e_fail "measured round trip $trip (after the last of $changes latency changes) is not within $allowed frames of the driver's own part $own (OS share $os, growth at engine late passes $engine_growth); see $report"
  [[ $rc -eq 0 ]] || e2e_fail "asiohost loopback exited with $rc; see $E2E_DIR/host.log"
  echo "$label: $figures, $changes latency changes, round trip $trip frames (driver's part $own + OS $os reported; $reported at the end)"
}
