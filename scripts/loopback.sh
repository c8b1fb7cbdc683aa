#!/usr/bin/env bash
# `make loopback`: full duplex through asio2wasapi in a private Wine +
# PulseAudio world. `asiohost loopback` plays the frame-coded test sequence
# on output 0 ("Speakers") and records input 0 ("Monitor of Speakers": what
# PulseAudio mixed into that sink) in the same bufferSwitch, finds the delay
# by cross-correlation and compares it with the driver's getLatencies. Writes
# build/loopback/report.json, prints a summary, stops the world. Exits
# non-zero when the signal was not found, the recording has discontinuities
# the driver did not explain with a kResyncRequest, or (without breaks)
# correlates below 0.999 with what was played. See docs/LATENCY.md.
#
# Environment: A2W_LOOPBACK_SECONDS (default 5); A2W_LOOPBACK_SKIP_BUILD=1;
# A2W_WIN64_BIN to take the DLL and host from another folder than build/win64/bin.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/build/loopback
world=$out/world
seconds=${A2W_LOOPBACK_SECONDS:-5}
driver="ASIO2WASAPI Universal"
dll=${A2W_WIN64_BIN:-$root/build/win64/bin}/asio2wasapi_x64.dll
host=${A2W_WIN64_BIN:-$root/build/win64/bin}/asiohost.exe
report=$out/report.json

say() { printf 'loopback: %s\n' "$*"; }

if [[ ${A2W_LOOPBACK_SKIP_BUILD:-0} != 1 ]]; then
  say "building the driver and host (win64)"
  cmake --preset win64 >/dev/null
  cmake --build --preset win64 -j2 --target a2w_driver asiohost >/dev/null
fi
for f in "$dll" "$host"; do
  [[ -f $f ]] || { echo "loopback: $f was not built" >&2; exit 1; }
done
mkdir -p "$out"
rm -f "$report" "$out/host.log"

cleanup() { scripts/wine-world.sh down "$world" >/dev/null 2>&1 || true; }
trap cleanup EXIT
scripts/wine-world.sh down "$world" >/dev/null 2>&1 || true  # leftovers of an interrupted run
say "starting a private Wine + PulseAudio world in ${world#"$root"/}"
# Speakers as a pipe sink (as in the demo): a null sink rewinds when a stream
# starts and its monitor loses the stream's first frames, a break that is
# PulseAudio's, not the driver's (scripts/wine-world.sh).
A2W_WORLD_SPEAKERS=pipe scripts/wine-world.sh up "$world" >"$out/world-up.log" 2>&1 ||
  { echo "loopback: the world did not start; see $out/world-up.log" >&2; exit 1; }
eval "$(scripts/wine-world.sh env "$world")"
say "registering $(basename "$dll") with wine regsvr32"
wine regsvr32 /s "$(winepath -w "$dll")" >"$out/regsvr32.log" 2>&1 ||
  { echo "loopback: regsvr32 failed; see $out/regsvr32.log" >&2; exit 1; }

say "full duplex for $seconds s: Speakers -> \"Monitor of Speakers\" (shared-event)"
rc=0
# Speakers and its monitor run on one clock (PulseAudio's), but Wine gives
# endpoints no container id, so the driver's default (auto) runs drift
# compensation on them: under Wine's racing event timers this also checks
# that the controller does not mistake timing for drift (docs/LATENCY.md).
export A2W_DRIFT_COMPENSATION=auto
A2W_MODE=shared-event A2W_OUTPUT_DEVICE=Speakers A2W_INPUT_DEVICE="Monitor of Speakers" \
  wine "$host" loopback "$driver" --seconds "$seconds" --report "$(winepath -w "$report")" \
  >"$out/host.log" 2>&1 || rc=$?
echo
sed 's/^/    /' "$out/host.log"
echo
[[ -f $report ]] || { say "the host wrote no report (exit $rc)"; exit 1; }
field() { sed -n "s/^  \"$1\": \"\\{0,1\\}\\([^\",]*\\)\"\\{0,1\\},\\{0,1\\}\$/\\1/p" "$report" | head -n 1; }
say "measured round trip   $(field measured_round_trip_frames) frames"
say "reported (in + out)   $(field reported_round_trip_frames) frames (input $(field reported_input_latency_frames), output $(field reported_output_latency_frames))"
say "unseen latency        $(field unseen_latency_frames) frames ($(field unseen_latency_ms) ms); within one buffer ($(field buffer_frames) frames): $(field within_one_buffer)"
say "OS share of the report $(field reported_os_latency_frames) frames (GetStreamLatency, both streams)"
say "driver's own part      $(field reported_driver_round_trip_frames) frames; measured - it: $(field driver_part_error_frames); within one buffer: $(field within_one_buffer_of_driver_part)"
say "correlation           $(field correlation)"
say "discontinuities       $(field discontinuities) ($(field driver_counted_glitches) glitches counted by the driver, $(field unexplained_discontinuities) unexplained)"
say "report: ${report#"$root"/}"
if [[ $rc -ne 0 ]]; then say "FAILED"; exit 1; fi
say "passed"
