#!/usr/bin/env bash
# Output only: with A2W_INPUT_DEVICE=none the driver opens "Speakers" with 2
# outputs and 0 inputs, and plays.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init output_only
e2e_world_any
e2e_register
rm -f "$E2E_DIR/host.log" "$E2E_DIR/probe.json" "$E2E_DIR/play.json"
export A2W_MODE=shared-event A2W_OUTPUT_DEVICE=Speakers A2W_INPUT_DEVICE=none
e2e_host probe "$E2E_DRIVER" --json "$(e2e_winpath "$E2E_DIR/probe.json")" || e2e_fail "probe failed; see $E2E_DIR/host.log"
ins=$(e2e_json_field "$E2E_DIR/probe.json" input_channels)
outs=$(e2e_json_field "$E2E_DIR/probe.json" output_channels)
[[ $ins == 0 && $outs == 2 ]] || e2e_fail "expected 0 inputs and 2 outputs, probe says $ins and $outs"
e2e_host play "$E2E_DRIVER" --seconds 1 --report "$(e2e_winpath "$E2E_DIR/play.json")" || e2e_fail "play failed; see $E2E_DIR/host.log"
echo "output only: 0 inputs, 2 outputs; played 1 s"
