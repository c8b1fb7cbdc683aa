#!/usr/bin/env bash
# A private Wine + PulseAudio world for running the driver on Linux.
#
#   scripts/wine-world.sh up   [DIR]   start it (creates DIR on first use)
#   scripts/wine-world.sh env  [DIR]   print the exports that enter it
#   scripts/wine-world.sh run  [DIR] -- CMD...   run CMD inside it
#   scripts/wine-world.sh down [DIR]   stop only the processes it started
#
# DIR defaults to build/world. Inside: a private WINEPREFIX, HOME and
# XDG_RUNTIME_DIR, and a PulseAudio daemon on its own socket with two null
# sinks: "Speakers" (48 kHz, 2 ch, float32) and "HDMI" (44.1 kHz, 8 ch). Their
# monitors are Wine's capture endpoints "Monitor of Speakers" / "Monitor of HDMI".
# See shared/docs/wine-rig.md for what Wine's WASAPI does on top of it.
#
# A2W_WORLD_SPEAKERS=pipe (read when the daemon starts) makes "Speakers" a
# module-pipe-sink clocked by the system clock instead of a null sink: same
# name, rate, channels and format, but it never rewinds, so its monitor
# records bit-exactly. A null sink rewinds when a stream starts and its monitor
# then loses the stream's first few hundred frames (seen with pacat and
# parec): fine for listening, wrong for a sample-exact check. The FIFO it
# writes ($DIR/pulse/speakers.fifo) needs no reader: once full, the sink keeps
# its clock and the monitor keeps recording.
#
# A2W_PULSE_LOG_LEVEL=debug (read when the daemon starts; default notice)
# sets the daemon's log level in $DIR/pulse/pa.log, whose lines carry the
# seconds since the daemon started. At debug PulseAudio logs a stream's
# underruns and the sink's rewinds: what the driver cannot see behind WASAPI.
#
# A2W_WORLD_AUDIO=alsa (read by `up`) makes Wine use winealsa instead of
# winepulse in this world's prefix, with the private HOME's ~/.asoundrc
# turning ALSA's default PCM into a `file` plugin over `null`: Wine's
# endpoints become "Out: default" / "In: default", and whatever is played
# lands raw (in the format Wine opened the PCM with) in
# $DIR/alsa/default.raw, truncated each time the PCM is opened. Exclusive
# mode works there (polling only). Use a separate DIR for it: the setting
# lives in the prefix.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-}
shift || true
dir=${A2W_WORLD:-$here/build/world}
if [[ $# -gt 0 && $1 != -- ]]; then dir=$1; shift; fi
[[ ${1:-} == -- ]] && shift
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# An alsa world runs no PulseAudio, and its PULSE_SERVER points at a socket
# nobody serves: Debian's ALSA config (pulse.conf) turns ALSA's default PCM
# into the PulseAudio plugin whenever a server answers, which would bypass
# the file plugin of ~/.asoundrc.
is_alsa_world() { [[ ${A2W_WORLD_AUDIO:-pulse} == alsa || -f $dir/alsa/registered ]]; }

world_env() {
  local pulse_socket=$dir/pulse/pulse.sock
  if is_alsa_world; then pulse_socket=$dir/pulse/no-server-here.sock; fi
  cat <<ENV
export A2W_WORLD='$dir'
export WINEPREFIX='$dir/prefix'
export WINEARCH=win64
export WINEDEBUG='${WINEDEBUG:--all}'
export WINEDLLOVERRIDES='mscoree,mshtml=;winemenubuilder.exe=d'
export HOME='$dir/home'
export XDG_RUNTIME_DIR='$dir/xdg'
export PULSE_SERVER='unix:$pulse_socket'
export PULSE_COOKIE='$dir/pulse/cookie'
export PULSE_RUNTIME_PATH='$dir/pulse'
ENV
}

pulse_up() {
  mkdir -p "$dir/pulse"
  if [[ -f $dir/pulse/pid ]] && kill -0 "$(cat "$dir/pulse/pid")" 2>/dev/null; then return; fi
  local speakers="module-null-sink sink_name=speakers"
  if [[ ${A2W_WORLD_SPEAKERS:-null} == pipe ]]; then
    speakers="module-pipe-sink sink_name=speakers file=$dir/pulse/speakers.fifo use_system_clock_for_timing=yes"
  fi
  cat > "$dir/pulse/pa.pa" <<PA
load-module module-native-protocol-unix auth-anonymous=1 socket=$dir/pulse/pulse.sock
load-module $speakers sink_properties=device.description=Speakers rate=48000 channels=2 format=float32le
load-module module-null-sink sink_name=hdmi sink_properties=device.description=HDMI rate=44100 channels=8 format=float32le
set-default-sink speakers
set-default-source speakers.monitor
PA
  # --system=no, no autospawn, no user config: only what pa.pa says.
  pulseaudio -n -F "$dir/pulse/pa.pa" --exit-idle-time=-1 --daemonize=no --use-pid-file=no \
    --disallow-exit --log-target="file:$dir/pulse/pa.log" --log-time=1 --log-level="${A2W_PULSE_LOG_LEVEL:-notice}" \
    </dev/null >>"$dir/pulse/pa.out" 2>&1 &
  # (stdio to a file: a daemon holding the caller's stdout open would make
  # `$(wine-world.sh up)` or a test runner's pipe wait for it forever)
  echo $! > "$dir/pulse/pid"
  for _ in $(seq 1 100); do
    pactl info >/dev/null 2>&1 && return
    sleep 0.1   # polling for the daemon's socket, not synchronising a test
  done
  echo "wine-world: PulseAudio did not come up; see $dir/pulse/pa.log" >&2
  exit 1
}

wine_up() {
  mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  if [[ ! -f $WINEPREFIX/system.reg ]]; then
    wineboot -i >/dev/null 2>&1
  fi
  wineserver -p >/dev/null 2>&1 || true   # keep one server alive between commands
  if [[ ${A2W_WORLD_AUDIO:-pulse} == alsa ]]; then alsa_up; fi
}

alsa_up() {
  mkdir -p "$dir/alsa"
  cat > "$HOME/.asoundrc" <<ASOUND
pcm.!default {
  type file
  slave.pcm "null"
  file "$dir/alsa/default.raw"
  format "raw"
}
ASOUND
  if [[ ! -f $dir/alsa/registered ]]; then
    wine reg add 'HKCU\Software\Wine\Drivers' /v Audio /d alsa /f >/dev/null 2>&1
    touch "$dir/alsa/registered"
  fi
}

case $cmd in
  up)
    eval "$(world_env)"
    if ! is_alsa_world; then pulse_up; fi
    wine_up
    ;;
  env)
    world_env
    ;;
  run)
    eval "$(world_env)"
    exec "$@"
    ;;
  down)
    eval "$(world_env)"
    if [[ -d $WINEPREFIX ]]; then wineserver -k >/dev/null 2>&1 || true; fi
    if [[ -f $dir/pulse/pid ]]; then
      pid=$(cat "$dir/pulse/pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/pulse/pid"
    fi
    ;;
  *)
    sed -n '2,14p' "$0" >&2
    exit 2
    ;;
esac
