#!/usr/bin/env bash
# Full duplex for 60 s on a quiet machine: asiohost loopback plays the test
# sequence on output 0 ("Speakers", shared-event) and records input 0
# ("Monitor of Speakers") in the same bufferSwitch. Issue 13's criteria
# (e2e_duplex_check in lib.sh):
#   - every discontinuity is explained by a glitch the driver counted
#     (kResyncRequest within the glitch window of it), none unexplained;
#   - at most 2 discontinuities, none in the last 30 s, when the machine
#     was quiet while the stream ran (e2e_noise_verdict: the hypervisor's
#     steal and the machine's busy time, sampled once a second; on a noisy
#     one this budget is the noise's and is not asked, the rest is): on a quiet machine
#     the driver may meet one or two of Wine's late timers at the start,
#     and must have settled after them. Breaks at a render engine late pass
#     the driver logged are not in that budget: they are the world's
#     (wineserver saving the registry holds every thread of the process
#     15-25 ms, 30 s after a process wrote to it: docs/LATENCY.md), and the
#     driver counted and reported them;
#   - correlation above 0.999 when the recording never broke (the input
#     goes through the driver's drift-compensating resampler: Wine's two
#     streams are two clocks to it, so the comparison is by correlation, not
#     bit for bit; a ratio that never moves gives 1); above 0.99 with
#     explained breaks (each may cost two 2048-frame blocks of the 1406);
#   - after the last kLatenciesChanged, the measured round trip within one
#     buffer of the driver's own part of the latest reported latencies, plus
#     what the loop grew at breaks where the driver logged a render engine
#     late pass (Wine's engine asleep, PulseAudio playing silence for a
#     time no WASAPI call shows: docs/LATENCY.md, "Late periods").
# tests/noise/duplex_monitor_loaded.sh runs the same under a CPU load (make noise).
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init duplex_monitor
e2e_world_own A2W_WORLD_SPEAKERS=pipe   # a null sink's monitor loses a stream's first frames (rewind)
e2e_register
rm -f "$E2E_DIR/host.log" "$E2E_DIR/report.json"
report=$E2E_DIR/report.json
rc=0
# Speakers and its monitor run on one clock (PulseAudio's), but Wine gives
# endpoints no container id, so the driver's default (auto) runs drift
# compensation on them: under Wine's racing event timers this also checks
# that the controller does not mistake timing for drift (docs/LATENCY.md).
export A2W_DRIFT_COMPENSATION=auto
e2e_driver_log
A2W_MODE=shared-event A2W_OUTPUT_DEVICE=Speakers A2W_INPUT_DEVICE="Monitor of Speakers" \
  e2e_host loopback "$E2E_DRIVER" --seconds 60 --report "$(e2e_winpath "$report")" &
host_pid=$!
# How quiet the machine was while the stream ran: not while Wine starts the
# host, nor during the analysis after it, which takes a core by itself.
a2w_wait_stream_started "$E2E_DIR/host.log" "$host_pid" 120 || e2e_fail "asiohost did not start its stream in 120 s; see $E2E_DIR/host.log"
a2w_noise_start "$E2E_DIR/noise.tsv"
E2E_CLEANUPS+=("a2w_noise_stop >/dev/null 2>&1")
a2w_wait_stream_stopped "$E2E_DIR/host.log" "$host_pid" 180 || e2e_fail "asiohost did not stop its stream in 180 s; see $E2E_DIR/host.log"
a2w_noise_stop
wait "$host_pid" || rc=$?
echo "$A2W_NOISE_SUMMARY" >>"$E2E_DIR/host.log"
e2e_duplex_check "$report" "$rc" "duplex 60 s quiet, Speakers -> Monitor of Speakers" 2 0 "$(e2e_noise_verdict)"
