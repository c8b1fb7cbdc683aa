#!/usr/bin/env bash
# duplex_monitor.sh under load: the same 60 s of full duplex while busy
# loops on both cores run about half the time at nice 0 (e2e_load_start:
# started before the stream, stopped by PID when asiohost says the stream
# stopped, killed by the EXIT trap on any way out). Issue 13's criteria for it (e2e_duplex_check):
#   - every discontinuity explained by a glitch the driver counted;
#   - at most 6 discontinuities (anywhere: the load runs to the end);
#   - correlation above 0.99 (above 0.999 if it never broke): each break
#     may cost two 2048-frame blocks of the 1406, so six cost at most 0.85 %;
#   - after the last kLatenciesChanged, the measured round trip within one
#     buffer of the driver's own part of the latest reported latencies.
#
# Not in make test yet (run it with `make noise`): under Wine most of the
# breaks a load causes happen behind WASAPI (PulseAudio's own buffer runs dry
# and winepulse writes silence no WASAPI figure shows), so the driver cannot
# count them; on a clean clone of this commit it gave 15 breaks, 13 counted
# glitches, 7 unexplained. docs/RELIABILITY.md has the figures.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/../e2e/lib.sh"
e2e_init duplex_monitor_loaded
e2e_world_own A2W_WORLD_SPEAKERS=pipe
e2e_register
rm -f "$E2E_DIR/host.log" "$E2E_DIR/report.json"
report=$E2E_DIR/report.json
rc=0
export A2W_DRIFT_COMPENSATION=auto   # as duplex_monitor.sh: Wine's default
e2e_driver_log
e2e_load_start 2   # both cores of this machine
A2W_MODE=shared-event A2W_OUTPUT_DEVICE=Speakers A2W_INPUT_DEVICE="Monitor of Speakers" \
  e2e_host loopback "$E2E_DRIVER" --seconds 60 --report "$(e2e_winpath "$report")" &
host_pid=$!
# The load for the stream (about 61 s), not for the analysis after it.
a2w_wait_stream_stopped "$E2E_DIR/host.log" "$host_pid" 180 || e2e_fail "asiohost did not stop its stream in 180 s; see $E2E_DIR/host.log"
e2e_load_stop
wait "$host_pid" || rc=$?
echo "$A2W_LOAD_SUMMARY" >>"$E2E_DIR/host.log"
e2e_duplex_check "$report" "$rc" "duplex 60 s loaded ($A2W_LOAD_SUMMARY), Speakers -> Monitor of Speakers" 6 6
