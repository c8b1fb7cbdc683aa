#!/usr/bin/env bash
# Input only: A2W_OUTPUT_DEVICE=none with "Monitor of Speakers" as input opens
# with 2 inputs and 0 outputs, and `asiohost record` for 1 s gets every
# frame (the capture drives the periods) and hears what Linux plays into
# Speakers meanwhile (pacat of noise), in the WAV it writes.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init input_only
e2e_world_any
e2e_register
rm -f "$E2E_DIR/host.log" "$E2E_DIR/probe.json" "$E2E_DIR/record.json" "$E2E_DIR/record.wav"
export A2W_MODE=shared-event A2W_OUTPUT_DEVICE=none A2W_INPUT_DEVICE="Monitor of Speakers"
e2e_host probe "$E2E_DRIVER" --json "$(e2e_winpath "$E2E_DIR/probe.json")" || e2e_fail "probe failed; see $E2E_DIR/host.log"
ins=$(e2e_json_field "$E2E_DIR/probe.json" input_channels)
outs=$(e2e_json_field "$E2E_DIR/probe.json" output_channels)
[[ $ins == 2 && $outs == 0 ]] || e2e_fail "expected 2 inputs and 0 outputs, probe says $ins and $outs"

# Something to hear: 30 s of noise into Speakers from Linux, stopped on exit.
head -c $((48000 * 4 * 30)) /dev/urandom | pacat -d speakers --format=s16le --rate=48000 --channels=2 --raw \
  >"$E2E_DIR/pacat.log" 2>&1 &
pacat_pid=$!
E2E_CLEANUPS+=("kill $pacat_pid 2>/dev/null; wait $pacat_pid 2>/dev/null")
sink_running() { pactl list short sinks | grep -E '^[0-9]+[[:space:]]+speakers[[:space:]].*RUNNING' >/dev/null; }
e2e_poll 100 0.05 sink_running || e2e_fail "pacat did not start playing into Speakers; see $E2E_DIR/pacat.log"

e2e_host record "$E2E_DRIVER" --seconds 1 --wav "$(e2e_winpath "$E2E_DIR/record.wav")" \
  --report "$(e2e_winpath "$E2E_DIR/record.json")" || e2e_fail "record failed; see $E2E_DIR/host.log"
frames=$(e2e_json_field "$E2E_DIR/record.json" frames_recorded)
buffer=$(e2e_json_field "$E2E_DIR/record.json" buffer_frames)
switches=$(e2e_json_field "$E2E_DIR/record.json" buffer_switches)
[[ $frames -ge 48000 ]] || e2e_fail "recorded $frames frames in 1 s, expected 48000"
[[ $switches -ge $((48000 / buffer)) ]] || e2e_fail "$switches buffer switches of $buffer frames for 48000 frames"
[[ -s $E2E_DIR/record.wav ]] || e2e_fail "no WAV written"
rms=$(sed -n 's/.*"rms": \([0-9.e+-]*\).*/\1/p' "$E2E_DIR/record.json" | head -n 1)
awk -v r="${rms:-0}" 'BEGIN { exit !(r > 0.01) }' || e2e_fail "the recording is silent (rms ${rms:-?}); see $E2E_DIR/record.json"
echo "input only: 2 inputs, 0 outputs; recorded $frames frames in $switches switches of $buffer, rms $rms (noise played from Linux)"
