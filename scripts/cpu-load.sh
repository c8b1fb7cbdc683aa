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
a2w_wait_stream_stopped() { a2w_wait_host_says 'stream stopped' "$@"; }
# a2w_wait_stream_started LOG PID BOUND_S: the same for "stream started"
# (asiohost's loopback and record commands say it once start() returned).
a2w_wait_stream_started() { a2w_wait_host_says 'stream started' "$@"; }

# a2w_wait_host_says TEXT LOG PID BOUND_S: until LOG has TEXT or PID ended.
a2w_wait_host_says() {
  local text=$1 log=$2 pid=$3 bound=$4 i
  for ((i = 0; i < bound * 5; i++)); do
    grep -q "$text" "$log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2  # the pause between polls of an observable condition
  done
  return 1
}

# How noisy the machine was while a stream ran (issue 13: strict figures are
# for a quiet machine; under noise a test asks what the driver guarantees).
# a2w_noise_start FILE: a sampler that writes, once a second, the share of
# the whole machine's CPU time the hypervisor took (steal, vmstat's `st`)
# and the share that was busy (user + nice + system + irq + softirq), in
# percent, from /proc/stat, as "steal busy" lines into FILE.
# a2w_noise_stop: ends it (by PID); A2W_NOISE_PEAK_STEAL and
# A2W_NOISE_PEAK_BUSY are the highest one-second figures, A2W_NOISE_SUMMARY
# says them.
A2W_NOISE_PID=
A2W_NOISE_FILE=
A2W_NOISE_PEAK_STEAL=0
A2W_NOISE_PEAK_BUSY=0
A2W_NOISE_SUMMARY=
a2w_noise_start() {
  A2W_NOISE_FILE=$1
  : >"$A2W_NOISE_FILE"
  bash -c 'trap "kill \$p 2>/dev/null; exit 0" TERM
    read -r _ u n s i w q sq st _ </proc/stat
    while :; do
      sleep 1 & p=$!; wait $p   # the sampling interval, not a wait for anything
      read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ </proc/stat
      busy=$(( (u2 - u) + (n2 - n) + (s2 - s) + (q2 - q) + (sq2 - sq) ))
      total=$(( busy + (i2 - i) + (w2 - w) + (st2 - st) ))
      if (( total > 0 )); then echo "$(( 100 * (st2 - st) / total )) $(( 100 * busy / total ))" >>"$0"; fi
      u=$u2 n=$n2 s=$s2 i=$i2 w=$w2 q=$q2 sq=$sq2 st=$st2
    done' "$A2W_NOISE_FILE" &
  A2W_NOISE_PID=$!
}
a2w_noise_stop() {
  if [[ -n $A2W_NOISE_PID ]]; then
    kill "$A2W_NOISE_PID" 2>/dev/null || true
    wait "$A2W_NOISE_PID" 2>/dev/null || true
    A2W_NOISE_PID=
  fi
  read -r A2W_NOISE_PEAK_STEAL A2W_NOISE_PEAK_BUSY < <(awk '
    $1 > s { s = $1 } $2 > b { b = $2 } END { print s + 0, b + 0 }' "$A2W_NOISE_FILE" 2>/dev/null || echo "0 0")
  A2W_NOISE_SUMMARY="machine: steal up to ${A2W_NOISE_PEAK_STEAL}% and busy up to ${A2W_NOISE_PEAK_BUSY}% in a second ($(wc -l <"$A2W_NOISE_FILE") s sampled)"
}
