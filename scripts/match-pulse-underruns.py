#!/usr/bin/env python3
# Matches PulseAudio's stream underruns against the breaks of a duplex run.
#
#   scripts/match-pulse-underruns.py WORLD/pulse/pa.log REPORT.json
#
# Start the run with A2W_PULSE_LOG_LEVEL=debug (scripts/wine-world.sh) so
# that PulseAudio logs "Requesting rewind due to end of underrun". Its lines
# carry seconds since the daemon started; the clock here starts when the
# Speakers sink goes RUNNING (the stream's start; about 0.1 s from the
# signal's start, enough for a 0.5 s match). REPORT.json is make stress's
# build/stress/report.json (breaks[].at_s) or duplex_monitor's report.json
# (events[].played_frame at 48 kHz).
import json, re, sys
# usage: match.py pa.log report.json  -- pulse underrun ends vs the analysis' breaks, by seconds since the stream ran
log, rep = sys.argv[1], sys.argv[2]
t0 = None; ends = []; rewinds = []
for line in open(log, errors='replace'):
    m = re.match(r'\(\s*([0-9.]+)\|', line)
    if not m: continue
    t = float(m.group(1))
    if t0 is None and 'speakers: state: IDLE -> RUNNING' in line and t > 0.9: t0 = t
    if t0 is None: continue
    if 'end of underrun' in line: ends.append(t - t0)
    elif 'rewind' in line.lower(): rewinds.append((t - t0, line.strip()[-90:]))
d = json.load(open(rep))
ev = d.get('events') or d.get('breaks') or []
def at(e):
    if 'at_s' in e: return e['at_s']
    return e['played_frame'] / 48000.0
print('stream ran at %.3f s of the daemon; %d underrun ends after it' % (t0, len(ends)))
for e in ev:
    s = at(e); near = [u for u in ends if abs(u - s) < 0.5]
    print('break %7.2f s %-5s lag %8.1f -> %8.1f  pulse underrun ends within 0.5 s: %s' % (
        s, 'expl' if e.get('explained') else 'UNEX', e['lag_before'], e['lag_after'], ['%.2f' % u for u in near]))
evs = [at(e) for e in ev]
lone = [u for u in ends if all(abs(u - s) >= 0.5 for s in evs)]
print('underrun ends with no break within 0.5 s: %d of %d' % (len(lone), len(ends)))
print('other rewind lines:', len(rewinds))
