#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (make fuzz; FUZZ_SECONDS=N for
# longer), from its seed corpus in tests/fuzz/corpus/<name>/, and prints the
# executions each made. New inputs go to a scratch corpus under BUILD_DIR,
# never into the repository; a crash's input is kept in BUILD_DIR/artifacts/
# and fails the run.
#
#   scripts/fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
build="$1"
seconds="${2:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$build/artifacts"
status=0
for name in codec server; do
  target="$build/tests/fuzz/${name}_fuzz"
  scratch="$build/corpus/$name"
  mkdir -p "$scratch"
  log="$build/${name}_fuzz.log"
  ASAN_OPTIONS=detect_leaks=0 "$target" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/${name}-" "$scratch" "$root/tests/fuzz/corpus/$name" \
    >"$log" 2>&1 || { status=1; tail -n 40 "$log" >&2; }
  runs="$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)"
  echo "fuzz ${name}_fuzz: $runs executions in ${seconds} s$([[ $status == 0 ]] && echo ", no failure" || echo ", FAILED (see $log)")"
done
exit "$status"
