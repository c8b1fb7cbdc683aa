#!/usr/bin/env bash
# A2W_MODE=auto on Wine's PulseAudio: exclusive mode is refused there, so
# the driver must fall back to shared-event and play:
#   1. exclusive-event alone fails at init with a message naming
#      AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED (the refusal auto must get past);
#   2. auto plays 1 s with no error, and the driver's stream status (our
#      vendor future selector, in the host's report as driver_status) says
#      shared-event.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init auto_fallback
e2e_world_any
e2e_register
rm -f "$E2E_DIR/host.log" "$E2E_DIR/host.json"

if A2W_MODE=exclusive-event A2W_OUTPUT_DEVICE=Speakers e2e_host play "$E2E_DRIVER" --seconds 0.5 --signal sequence; then
  e2e_fail "exclusive-event played on Wine's PulseAudio, which refuses exclusive mode; see $E2E_DIR/host.log"
fi
grep -q 'AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED' "$E2E_DIR/host.log" ||
  e2e_fail "exclusive-event failed without naming AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED; see $E2E_DIR/host.log"

A2W_MODE=auto A2W_OUTPUT_DEVICE=Speakers \
  e2e_host play "$E2E_DRIVER" --seconds 1 --signal sequence --report "$(e2e_winpath "$E2E_DIR/host.json")" ||
  e2e_fail "auto did not fall back to a mode that plays; see $E2E_DIR/host.log"
switches=$(e2e_json_field "$E2E_DIR/host.json" buffer_switches)
[[ ${switches:-0} -gt 0 ]] || e2e_fail "auto played no buffer switches; see $E2E_DIR/host.json"
status=$(sed -n 's/^[[:space:]]*"driver_status":[[:space:]]*"\([^"]*\)".*/\1/p' "$E2E_DIR/host.json" | head -n 1)
[[ $status == shared-event* ]] || e2e_fail "auto ran \"$status\", expected shared-event; see $E2E_DIR/host.json"
echo "auto on PulseAudio: exclusive-event refused (AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED), auto chose \"$status\" and played 1 s ($switches buffer switches)"
