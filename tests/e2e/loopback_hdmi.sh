#!/usr/bin/env bash
# Loopback capture: A2W_INPUT_DEVICE=loopback:HDMI records what is played to
# "HDMI" (8 channels). Windows supports loopback capture of a render endpoint
# (AUDCLNT_STREAMFLAGS_LOOPBACK); Wine 8 does not: the stream initialises but
# has no capture service (AUDCLNT_E_WRONG_ENDPOINT_TYPE), and the driver must
# say so clearly. If a later Wine accepts it, 8 inputs must appear.
#
# getErrorMessage holds 123 characters: the driver's sentence puts the
# HRESULT name before the device name, so the whole name must be there.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init loopback_hdmi
e2e_world_any
e2e_register
rm -f "$E2E_DIR/host.log" "$E2E_DIR/probe.json"
export A2W_MODE=shared-event A2W_OUTPUT_DEVICE=HDMI A2W_INPUT_DEVICE="loopback:HDMI"
if e2e_host probe "$E2E_DRIVER" --json "$(e2e_winpath "$E2E_DIR/probe.json")"; then
  ins=$(e2e_json_field "$E2E_DIR/probe.json" input_channels)
  [[ $ins == 8 ]] || e2e_fail "loopback of HDMI opened with $ins inputs, expected 8"
  echo "loopback:HDMI accepted by this Wine: 8 inputs"
  exit 0
fi
msg=$(grep -i 'init failed' "$E2E_DIR/host.log" | tail -n 1)
[[ -n $msg ]] || e2e_fail "probe failed without the driver's init message; see $E2E_DIR/host.log"
grep -qi 'loopback' <<<"$msg" || e2e_fail "the message does not name loopback: $msg"
grep -q 'HDMI' <<<"$msg" || e2e_fail "the message does not name the device: $msg"
grep -Eq 'AUDCLNT_E_[A-Z_]+ \(0x[0-9A-F]{8}\)' <<<"$msg" || e2e_fail "the message does not name the WASAPI error in full: $msg"
echo "loopback:HDMI refused by Wine 8 with: ${msg#asiohost: }"
