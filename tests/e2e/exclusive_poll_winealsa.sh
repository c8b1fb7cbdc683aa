#!/usr/bin/env bash
# Exclusive mode with polling on winealsa (the one Wine backend that allows
# exclusive mode): ALSA's default PCM is a file plugin, so everything the
# driver hands to the device lands in a raw file in the format the driver
# negotiated; the test sequence played for 1 s must be in it complete, in
# order and bit for bit (int16 compared after the driver's rounding).
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init exclusive_poll_winealsa
e2e_need "$E2E_VERIFY"
e2e_world_own A2W_WORLD_AUDIO=alsa
e2e_register

raw=$E2E_WORLD_ALSA_RAW
rm -f "$E2E_DIR/host.json" "$E2E_DIR/host.log" "$raw"
# Under winealsa the endpoint is "Out: default"; the driver matches names.
A2W_MODE=exclusive-poll A2W_OUTPUT_DEVICE="Out: default" \
  e2e_host play "$E2E_DRIVER" --seconds 1 --signal sequence --report "$(e2e_winpath "$E2E_DIR/host.json")" ||
  e2e_fail "asiohost play in exclusive-poll failed; see $E2E_DIR/host.log"
# The file plugin writes as the PCM is fed and flushes when it is closed, which
# happens before the host process exits: the file is complete now.
[[ -s $raw ]] || e2e_fail "nothing reached ALSA ($raw is empty or missing); see $E2E_DIR/host.log"
channels=$(e2e_json_field "$E2E_DIR/host.json" output_channels)
"$E2E_VERIFY" "$raw" --channels "${channels:-2}" --format auto --host-report "$E2E_DIR/host.json" \
  --mode exclusive-poll --device "Out: default" --json "$E2E_DIR/report.json" >"$E2E_DIR/verify.log" ||
  { cat "$E2E_DIR/verify.log" >&2; e2e_fail "the ALSA file is not a bit-exact copy; see $E2E_DIR/report.json"; }
format=$(e2e_json_field "$E2E_DIR/report.json" format)
echo "exclusive-poll on winealsa ($format): $(grep '^verified:' "$E2E_DIR/verify.log" | sed 's/^verified: *//')"
