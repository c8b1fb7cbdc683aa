# shellcheck shell=bash disable=SC2034  # the A2W_LOAD_* variables are for the scripts that source this
# A CPU load that a test starts and stops itself, by PID (sourced by
# tests/e2e/lib.sh and scripts/stress.sh; issue 13): busy loops, one per
# core by default, at nice 0, running about half the time (a toggler stops
# and continues them every A2W_LOAD_HALF_PERIOD_S seconds), as a noisy
# neighbour on a shared 2-core machine would. Nothing is found by name: the
# PIDs started here are the ones stopped, and a2w_load_stop checks that none
# of them survived.

A2W_LOAD_PIDS=()
A2W_LOAD_TOGGLE_PID=
A2W_LOAD_STARTED_S=
A2W_LOAD_SUMMARY=

# a2w_load_start [PROCS]: PROCS busy loops (default: the number of cores).
a2w_load_start() {
  local procs=${1:-$(nproc)} half=${A2W_LOAD_HALF_PERIOD_S:-1} i
  for ((i = 0; i < procs; i++)); do
    # The name (a2w-load-busy, its $0) marks them in ps for a person looking.
    bash -c 'while :; do :; done' a2w-load-busy &
    A2W_LOAD_PIDS+=("$!")
  done
  # Half the time: run `half` s, stopped `half` s. The sleeps are the duty
  # cycle, not a wait for anything; on TERM the toggler ends its sleep too.
  bash -c 'trap "kill \$s 2>/dev/null; exit 0" TERM
    while :; do
      kill -CONT "$@" 2>/dev/null; sleep "$0" & s=$!; wait $s
      kill -STOP "$@" 2>/dev/null; sleep "$0" & s=$!; wait $s
    done' "$half" "${A2W_LOAD_PIDS[@]}" &
  A2W_LOAD_TOGGLE_PID=$!
  A2W_LOAD_STARTED_S=$(date +%s.%N)
}

# CPU seconds a process has used (utime + stime of /proc/PID/stat).
a2w_load_cpu_s() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null
}

# a2w_load_stop: the toggler, then the busy loops (SIGKILL: they may be
# stopped), each reaped; A2W_LOAD_SUMMARY says how busy they were. Fails
# when one of them is still there.
a2w_load_stop() {
  [[ -n $A2W_LOAD_TOGGLE_PID || ${#A2W_LOAD_PIDS[@]} -gt 0 ]] || return 0
  if [[ -n $A2W_LOAD_TOGGLE_PID ]]; then
    kill "$A2W_LOAD_TOGGLE_PID" 2>/dev/null || true
    wait "$A2W_LOAD_TOGGLE_PID" 2>/dev/null || true
  fi
  local p cpu total=0 wall
  wall=$(awk -v a="$A2W_LOAD_STARTED_S" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  for p in "${A2W_LOAD_PIDS[@]}"; do
    cpu=$(a2w_load_cpu_s "$p" || true)
    total=$(awk -v t="$total" -v c="${cpu:-0}" 'BEGIN { print t + c }')
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  A2W_LOAD_SUMMARY=$(awk -v n="${#A2W_LOAD_PIDS[@]}" -v t="$total" -v w="$wall" \
    'BEGIN { printf "load: %d busy loops, %.1f CPU-s in %.1f s (%.0f%% of each)", n, t, w, (w > 0 ? 100 * t / (n * w) : 0) }')
  local left=()
  for p in "$A2W_LOAD_TOGGLE_PID" "${A2W_LOAD_PIDS[@]}"; do
    [[ -n $p ]] && kill -0 "$p" 2>/dev/null && left+=("$p")
  done
  A2W_LOAD_PIDS=()
  A2W_LOAD_TOGGLE_PID=
  if [[ ${#left[@]} -gt 0 ]]; then
    echo "load processes still running: ${left[*]}" >&2
    return 1
  fi
}

# a2w_wait_stream_stopped LOG PID BOUND_S: until `asiohost loopback`
# (process PID, output in LOG) says "stream stopped", or has ended, polled
# every 0.2 s for at most BOUND_S seconds: the load is for the stream, not
# for the analysis after it. Fails when the bound passed.
a2w_wait_stream_stopped() {
  local log=$1 pid=$2 bound=$3 i
  for ((i = 0; i < bound * 5; i++)); do
    grep -q 'stream stopped' "$log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2  # the pause between polls of an observable condition
  done
  return 1
}
