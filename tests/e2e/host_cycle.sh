#!/usr/bin/env bash
# asiohost loads, probes, plays (1 s) and unloads the driver 10 times in one
# process: every round must pass (no leak, no stuck device, no crash on
# reload).
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init host_cycle
e2e_world_any
e2e_register
rm -f "$E2E_DIR/host.log"
A2W_MODE=shared-event A2W_OUTPUT_DEVICE=Speakers e2e_host cycle "$E2E_DRIVER" --times 10 --seconds 1 ||
  { tail -n 15 "$E2E_DIR/host.log" >&2; e2e_fail "asiohost cycle failed; see $E2E_DIR/host.log"; }
rounds=$(grep -c 'probe ok, play ok' "$E2E_DIR/host.log" || true)
[[ $rounds -eq 10 ]] || e2e_fail "$rounds of 10 rounds passed; see $E2E_DIR/host.log"
echo "asiohost cycle x10 (probe + 1 s play each, shared-event): all 10 rounds passed"
