#!/usr/bin/env bash
# asiohost against the fake ASIO driver (tests/win/host/fake_asio_driver.cpp),
# under Wine: list, probe, play (the fake checks every sample the host wrote),
# the JSON report, error lines and exit codes, and cycle.
#
# Run from the repo root. A2W_BUILD is the build root (default build), with
# the x64 build in $A2W_BUILD/win64; A2W_HOST_BIN overrides the folder that
# holds asiohost.exe and fake_asio_driver.dll. Uses the Wine world in
# A2W_WORLD when set, else starts (and stops) its own in build/e2e-host-world.
set -euo pipefail

root=$(pwd)
bin=${A2W_HOST_BIN:-${A2W_BUILD:-build}/win64/bin}
bin=$(cd "$bin" && pwd)
host="$bin/asiohost.exe"
dll="$bin/fake_asio_driver.dll"
for f in "$host" "$dll"; do
  [[ -f $f ]] || { echo "FAIL: $f is not built (cmake --build <win64> --target fake_asio_driver)"; exit 1; }
done

own_world=
if [[ -z ${A2W_WORLD:-} ]]; then
  own_world=$root/build/e2e-host-world
  # Not piped: the PulseAudio daemon it starts keeps inherited pipes open.
  scripts/wine-world.sh up "$own_world" >/dev/null 2>&1 </dev/null
  eval "$(scripts/wine-world.sh env "$own_world")"
fi

tmp=$(mktemp -d)
cleanup() {
  wine regsvr32 /s /u "Z:${dll//\//\\}" >/dev/null 2>&1 || true
  rm -rf "$tmp"
  if [[ -n $own_world ]]; then scripts/wine-world.sh down "$own_world" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

wine regsvr32 /s "Z:${dll//\//\\}" >/dev/null 2>&1

passed=0
failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# run NAME [ENV=VALUE...] -- ARGS...: runs asiohost, sets $rc, $out, $err.
run() {
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  # The host plays --seconds of signal (default 5) at the fake's 48 kHz,
  # then silence: tell the fake where the signal ends.
  local seconds=5 prev=
  for a in "$@"; do [[ $prev == --seconds ]] && seconds=$a; prev=$a; done
  envs+=("A2W_FAKE_SIGNAL_FRAMES=$(awk -v s="$seconds" 'BEGIN { printf "%d", s * 48000 + 0.5 }')")
  rc=0
  env "${envs[@]}" A2W_FAKE_REPORT="$tmp/fake.txt" wine "$host" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  out=$(tr -d '\r' <"$tmp/out")
  err=$(tr -d '\r' <"$tmp/err")
}
fake() { tr -d '\r' <"$tmp/fake.txt" | sed -n "s/^$1=//p"; }
lines() { [[ -z $1 ]] && echo 0 || printf '%s\n' "$1" | wc -l; }

driver="A2W Test Driver"

# 1. list
run -- list
if [[ $rc == 0 && $out == *"$driver"* && $out == *"{6F1C2B7E-4A0D-4E39-9C35-2D7E8B1A5F03}"* && $out == *fake_asio_driver.dll* ]]; then
  pass "list shows the fake driver, its CLSID and DLL"
else fail "list (rc=$rc): $out $err"; fi

# 2. probe (case-insensitive name) with --json
run -- probe "a2w test DRIVER" --json "$tmp/probe.json"
if [[ $rc == 0 && $out == *"Fake Out 2"*Float32LSB* && $out == *"Fake In 1"*Int32LSB* && $out == *"sizes: 64 128 256 512 1024 2048"* \
      && $out == *"sample rates: 44100 48000 96000"* && $out == *"input 288, output 544"* ]] \
   && python3 - "$tmp/probe.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert p["output_channels"] == 2 and p["input_channels"] == 2, p
assert [c["sample_type"] for c in p["channels"]] == ["Int32LSB", "Int32LSB", "Float32LSB", "Float32LSB"], p
assert p["can_time_info"] and p["can_report_overload"] and p["errors"] == [], p
PY
then pass "probe prints channels, sizes, rates, latencies and writes JSON"
else fail "probe (rc=$rc): $out $err"; fi

# 3. play 1 s: every sample checked by the fake, report complete
run -- play "$driver" --seconds 1 --report "$tmp/play.json"
if [[ $rc == 0 && $(fake mismatches) == 0 && $(fake switches) -gt 100 && $(fake time_info) == 1 && $(fake engine_version) == 2 \
      && $(fake output_ready_calls) == $(fake switches) ]] \
   && python3 - "$tmp/play.json" "$(fake switches)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
need = ["driver", "driver_version", "sample_rate", "buffer_frames", "output_channels", "sample_type", "seconds",
        "frames_played", "buffer_switches", "expected_buffer_switches", "time_info", "callback_interval_us",
        "reported_input_latency_frames", "reported_output_latency_frames", "reset_requests", "overloads",
        "sample_position_ok", "errors"]
missing = [k for k in need if k not in r]
assert not missing, missing
assert r["driver"] == "A2W Test Driver" and r["driver_version"] == 7 and r["sample_rate"] == 48000
assert r["buffer_frames"] == 256 and r["output_channels"] == 2 and r["sample_type"] == "Float32LSB"
assert r["buffer_switches"] == int(sys.argv[2]), (r["buffer_switches"], sys.argv[2])
assert r["frames_played"] == round(r["seconds"] * 48000), r  # the signal, exactly
assert r["buffer_switches"] * 256 >= r["frames_played"] + r["tail_frames"], r  # then a silent tail
assert r["tail_frames"] == r["reported_output_latency_frames"] + 256, r
assert abs(r["buffer_switches"] - r["expected_buffer_switches"]) <= 0.2 * r["expected_buffer_switches"], r
assert r["time_info"] is True and r["sample_position_ok"] is True and r["errors"] == []
iv = r["callback_interval_us"]
assert set(iv) == {"mean", "min", "max", "stddev"} and 3000 < iv["mean"] < 8000, iv
assert r["reported_output_latency_frames"] == 544 and r["reset_requests"] == 0
PY
then pass "play 1 s: sequence bit-exact in the fake's buffers, switches counted, JSON report complete"
else fail "play (rc=$rc): $out $err; fake: $(tr '\n' ' ' <"$tmp/fake.txt" 2>/dev/null)"; fi

# 4. integer formats, without time info (plain bufferSwitch + getSamplePosition)
for type in Int24LSB Int16LSB Int32LSB Int32LSB24 Float64LSB; do
  run A2W_FAKE_TYPE=$type -- play "$driver" --seconds 0.3 --time-info no --buffer 128 --channels 1
  if [[ $rc == 0 && $(fake mismatches) == 0 && $(fake time_info) == 0 && $(fake sample_type) == "$type" \
        && $(fake output_buffers) == 1 && $(fake checked_samples) -gt 0 ]]; then
    pass "play writes $type correctly (no time info, 1 channel, 128 frames)"
  else fail "play $type (rc=$rc): $out $err; fake: $(tr '\n' ' ' <"$tmp/fake.txt")"; fi
done

# 5. the fake's check is live: a sine is not the sequence
run -- play "$driver" --seconds 0.3 --signal sine
if [[ $rc == 0 && $(fake mismatches) -gt 0 ]]; then pass "sine plays and the fake notices it is not the sequence"
else fail "sine (rc=$rc): $err"; fi

# 6. bad driver name: one line, exit 1
run -- play "No Such Driver"
if [[ $rc == 1 && $(lines "$err") == 1 && $err == *'driver "No Such Driver" is not installed (installed: '*"$driver"* ]]; then
  pass "unknown driver: one line, exit 1"
else fail "unknown driver (rc=$rc): $err"; fi

# 7. bad arguments: one line, exit 2
ok=1
for args in "play|$driver|--frobnicate" "play|$driver|--seconds|x" "probe" "wobble" "play|$driver|--signal|square"; do
  IFS='|' read -r -a a <<<"$args"
  run -- "${a[@]}"
  [[ $rc == 2 && $(lines "$err") == 1 && $err == asiohost:* ]] || { ok=0; echo "  $args -> rc=$rc $err"; }
done
if [[ $ok == 1 ]]; then pass "bad arguments: one line, exit 2"; else fail "bad arguments"; fi

# 8. driver failures: the ASIO error name and the driver's own message
run A2W_FAKE_FAIL=createBuffers -- play "$driver" --seconds 0.3
if [[ $rc == 1 && $(lines "$err") == 1 && $err == *"createBuffers"*"failed: ASE_InvalidMode (-997): fake failure requested in createBuffers"* ]]; then
  pass "createBuffers failure: error name, code and getErrorMessage text, exit 1"
else fail "createBuffers failure (rc=$rc): $err"; fi
run A2W_FAKE_FAIL=init -- probe "$driver"
if [[ $rc == 1 && $err == *"init failed: fake failure requested in init"* ]]; then pass "init failure reported, exit 1"
else fail "init failure (rc=$rc): $err"; fi

# 9. reset request stops early with a clear line; a null buffer is refused, not dereferenced
run A2W_FAKE_RESET_AFTER=5 -- play "$driver" --seconds 5 --report "$tmp/reset.json"
if [[ $rc == 1 && $err == *"driver requested a reset after"* ]] && grep -q '"reset_requests": 1' "$tmp/reset.json"; then
  pass "reset request: stops early, counted in the report, exit 1"
else fail "reset request (rc=$rc): $err"; fi
run A2W_FAKE_NULL_BUFFER=1 -- play "$driver" --seconds 0.3
if [[ $rc == 1 && $err == *"createBuffers returned a null buffer"* ]]; then pass "null buffer from createBuffers: refused, no crash"
else fail "null buffer (rc=$rc): $err"; fi

# 10. cycle: probe + play three times in one process. asiohost calls
# CoFreeUnusedLibrariesEx after each release, so the DLL is really unmapped
# and mapped again: six loads (the fake counts them in the process env).
run -- cycle "$driver" --times 3 --seconds 0.5
if [[ $rc == 0 && $(grep -c "probe ok, play ok" <<<"$out") == 3 && $out == *"all 3 rounds passed"* && $(fake mismatches) == 0 \
      && $(fake module_loads) == 6 ]]; then
  pass "cycle --times 3: every round passed in one process, DLL unloaded and reloaded each time"
else fail "cycle (rc=$rc): $out $err"; fi

# 11. loopback through the fake's loop (input = output, as late as the fake
# reports), with an input xrun after 200 switches of 256 frames: the host
# notes the kResyncRequest and kLatenciesChanged at frame 200 * 256 = 51200
# (the frames it has processed: the next buffer's first), asks getLatencies
# again (input 288 -> 544), explains the one break with the glitch, and
# judges the loop after the change (1088 frames) against the latest figures
# (544 + 544).
run A2W_FAKE_LOOPBACK=1 A2W_FAKE_XRUN_AFTER=200 -- loopback "$driver" --seconds 3 --buffer 256 --report "$tmp/loop.json"
if [[ $rc == 0 && $(fake mismatches) == 0 && $out == *"glitches: the driver counted 1 (kResyncRequest); 1 discontinuities, 0 unexplained"* ]] \
   && python3 - "$tmp/loop.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is True and r["failures"] == [], r["failures"]
assert r["discontinuities"] == 1 and r["driver_counted_glitches"] == 1, r
assert r["glitch_positions"] == [51200] and r["unexplained_discontinuities"] == 0, r
assert r["unexplained_played_frames"] == [] and r["events"][0]["explained"] is True, r["events"]
assert r["latency_change_messages"] == 1, r
assert r["latency_changes"] == [{"position": 51200, "input_latency": 544, "output_latency": 544}], r["latency_changes"]
assert r["initial_reported_round_trip_frames"] == 832 and r["reported_round_trip_frames"] == 1088, r
assert r["final_round_trip_frames"] == 1088 and r["within_one_buffer"] is True, r
assert r["judged_input_latency_frames"] == 544 and r["latency_changes_after_signal"] == 0, r
assert r["discontinuities_last_30s"] == 1 and r["message_positions_dropped"] == 0, r
PY
then pass "loopback with an xrun the driver reports: glitch and latency change at frame 51200, break explained, latest latencies judged"
else fail "loopback with a reported xrun (rc=$rc): $out $err"; fi
run A2W_FAKE_LOOPBACK=1 A2W_FAKE_XRUN_AFTER=200 A2W_FAKE_XRUN_SILENT=1 -- loopback "$driver" --seconds 3 --buffer 256 --report "$tmp/loop-silent.json"
if [[ $rc == 1 && $out == *"FAILED: 1 of 1 discontinuities unexplained"* ]] \
   && python3 - "$tmp/loop-silent.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["driver_counted_glitches"] == 0 and r["glitch_positions"] == [] and r["latency_changes"] == [], r
assert r["unexplained_discontinuities"] == 1 and r["events"][0]["explained"] is False, r
assert abs(r["unexplained_played_frames"][0] - (51200 - 832)) <= 2048, r["unexplained_played_frames"]
PY
then pass "loopback with an xrun the driver missed: the break is unexplained, exit 1"
else fail "loopback with a silent xrun (rc=$rc): $out $err"; fi

echo "asiohost_fake_driver: $passed passed, $failed failed"
[[ $failed == 0 ]]
