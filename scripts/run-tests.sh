#!/usr/bin/env bash
# Runs every test of the project and ends with one line: "N passed, M failed".
#   1. native GoogleTest binaries (ASan + UBSan): build/native/bin/*_tests
#      (fuzz_tests: a short seeded fuzz run), then ThreadSanitizer's:
#      build/native-tsan/bin/*_tests
#   2. Windows GoogleTest binaries under Wine, inside a private world:
#      build/win64/bin/*_tests.exe
#   3. end-to-end scripts: tests/e2e/*.sh (lib.sh excepted), one test each
# A binary that crashes or prints no summary counts as one failure; a skipped
# test is reported and never counted as passed.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${A2W_BUILD:-build}
export A2W_BUILD=$build
logs=$build/test-logs
mkdir -p "$logs"

passed=0
failed=0
skipped=0

# Adds the counts from one GoogleTest run's output to the totals.
count_gtest() {
  local name=$1 log=$2 rc=$3
  local p f s
  p=$(grep -aoE '^\[  PASSED  \] [0-9]+ test' "$log" | grep -oE '[0-9]+' | tail -1)
  f=$(grep -aoE '^\[  FAILED  \] [0-9]+ test' "$log" | grep -oE '[0-9]+' | tail -1)
  s=$(grep -aoE '^\[  SKIPPED \] [0-9]+ test' "$log" | grep -oE '[0-9]+' | tail -1)
  p=${p:-0}; f=${f:-0}; s=${s:-0}
  if [[ -z $(grep -a '^\[  PASSED  \]' "$log") ]] || { [[ $rc -ne 0 ]] && [[ $f -eq 0 ]]; }; then
    # No summary, or a non-zero exit with no failed test: it crashed or a
    # sanitizer stopped it. Count it as a failure and show the end of the log.
    f=$((f + 1))
    echo "$name: exited with $rc without a clean summary; last lines of $log:"
    tail -n 15 "$log" | sed 's/^/    /'
  fi
  if [[ $f -gt 0 ]]; then
    grep -a '^\[  FAILED  \] [A-Za-z]' "$log" | sort -u | sed 's/^/    /'
  fi
  echo "$name: $p passed, $f failed, $s skipped"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

# 1. Native tests.
shopt -s nullglob
for bin in "$build"/native/bin/*_tests; do
  name=$(basename "$bin")
  log=$logs/$name.log
  timeout 900 "$bin" --gtest_color=no >"$log" 2>&1
  count_gtest "native/$name" "$log" $?
  grep -ah '^[a-z]* fuzz (seeded' "$log" | sed 's/^/    /' || true  # the fuzz run's figures
done
for bin in "$build"/native-tsan/bin/*_tests; do
  name=$(basename "$bin")
  log=$logs/tsan-$name.log
  timeout 900 "$bin" --gtest_color=no >"$log" 2>&1
  count_gtest "tsan/$name" "$log" $?
done

# 2 and 3 share one private Wine + PulseAudio world.
world=$root/$build/test-world
winetests=("$build"/win64/bin/*_tests.exe)
e2etests=()
for t in tests/e2e/*.sh; do [[ $(basename "$t") == lib.sh ]] || e2etests+=("$t"); done

if [[ ${#winetests[@]} -gt 0 || ${#e2etests[@]} -gt 0 ]]; then
  scripts/wine-world.sh down "$world" >/dev/null 2>&1
  if ! scripts/wine-world.sh up "$world" >"$logs/world-up.log" 2>&1; then
    echo "test world did not start; see $logs/world-up.log"
    failed=$((failed + 1))
  else
    eval "$(scripts/wine-world.sh env "$world")"
    trap 'scripts/wine-world.sh down "$world" >/dev/null 2>&1' EXIT

    for exe in "${winetests[@]}"; do
      name=$(basename "$exe" .exe)
      log=$logs/$name.log
      timeout 900 wine "$exe" --gtest_color=no >"$log" 2>&1
      count_gtest "wine/$name" "$log" $?
    done

    for t in "${e2etests[@]}"; do
      name=$(basename "$t" .sh)
      log=$logs/e2e-$name.log
      if timeout 600 bash "$t" >"$log" 2>&1; then
        passed=$((passed + 1))
        echo "e2e/$name: passed ($(tail -n 1 "$log"))"
      else
        failed=$((failed + 1))
        echo "e2e/$name: FAILED; last lines of $log:"
        tail -n 15 "$log" | sed 's/^/    /'
      fi
    done
  fi
fi

if [[ $skipped -gt 0 ]]; then echo "($skipped skipped, not counted as passed)"; fi
echo "$passed passed, $failed failed"
if [[ $failed -gt 0 || $passed -eq 0 ]]; then exit 1; fi
exit 0
