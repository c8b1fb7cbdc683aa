#!/usr/bin/env bash
# Full duplex for 60 s: asiohost loopback plays the test sequence on output 0
# ("Speakers", shared-event) and records input 0 ("Monitor of Speakers") in
# the same bufferSwitch. The recording must follow what was played with no
# discontinuity and correlate above 0.999 after alignment (the input goes
# through the driver's drift-compensating resampler: Wine's two streams are
# two clocks to it, so the comparison is by correlation, not bit for bit;
# a ratio that never moves gives correlation 1), and the measured round trip
# must lie within one buffer of the driver's own part of the reported one.
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
A2W_MODE=shared-event A2W_OUTPUT_DEVICE=Speakers A2W_INPUT_DEVICE="Monitor of Speakers" \
  e2e_host loopback "$E2E_DRIVER" --seconds 60 --report "$(e2e_winpath "$report")" || rc=$?
[[ -f $report ]] || e2e_fail "asiohost loopback wrote no report (exit $rc); see $E2E_DIR/host.log"
disc=$(e2e_json_field "$report" discontinuities)
corr=$(e2e_json_field "$report" correlation)
trip=$(e2e_json_field "$report" measured_round_trip_frames)
reported=$(e2e_json_field "$report" reported_round_trip_frames)
[[ $disc == 0 ]] || e2e_fail "$disc discontinuities in 60 s of duplex (correlation $corr); see $report"
awk -v c="$corr" 'BEGIN { exit !(c > 0.999) }' || e2e_fail "correlation $corr is not above 0.999; see $report"
[[ $rc -eq 0 ]] || e2e_fail "asiohost loopback exited with $rc; see $E2E_DIR/host.log"
# The loop against what the driver itself adds (the report without Wine's
# GetStreamLatency figures, which a monitor loop does not pass through:
# docs/LATENCY.md): within one buffer.
os=$(e2e_json_field "$report" reported_os_latency_frames)
own=$(e2e_json_field "$report" reported_driver_round_trip_frames)
within=$(e2e_json_field "$report" within_one_buffer_of_driver_part)
[[ $within == true ]] || e2e_fail "measured round trip $trip is not within one buffer of the driver's own part $own (OS share $os); see $report"
echo "duplex 60 s Speakers -> Monitor of Speakers: 0 discontinuities, correlation $corr, round trip $trip frames (reported $reported = driver's part $own + OS $os)"
