#!/usr/bin/env bash
# Shared-event mode into "Speakers" (float32, 48 kHz, 2 ch): the test
# sequence played for 2 s must arrive at the sink's monitor complete, in
# order and bit for bit, every frame of it (the host plays a silent tail
# before it stops, so nothing is still queued).
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init shared_event_bitexact
e2e_need "$E2E_VERIFY"
e2e_world_own A2W_WORLD_SPEAKERS=pipe   # a null sink's monitor drops a stream's first frames
e2e_register

capture=$E2E_DIR/speakers.raw
rm -f "$E2E_DIR/host.json" "$E2E_DIR/host.log"
e2e_capture_start "$capture"
A2W_MODE=shared-event A2W_OUTPUT_DEVICE=Speakers A2W_SAMPLE_TYPE=float32 \
  e2e_host play "$E2E_DRIVER" --seconds 2 --signal sequence --report "$(e2e_winpath "$E2E_DIR/host.json")" ||
  e2e_fail "asiohost play failed; see $E2E_DIR/host.log"
e2e_capture_stop "$capture" || echo "note: the recording did not end in silence within 5 s" >&2

"$E2E_VERIFY" "$capture" --channels 2 --format float32 --host-report "$E2E_DIR/host.json" \
  --mode shared-event --device Speakers --json "$E2E_DIR/report.json" >"$E2E_DIR/verify.log" ||
  { cat "$E2E_DIR/verify.log" >&2; e2e_fail "the recording is not a bit-exact copy; see $E2E_DIR/report.json"; }
echo "shared-event float32 -> Speakers: $(grep '^verified:' "$E2E_DIR/verify.log" | sed 's/^verified: *//')"
