#!/usr/bin/env bash
# Runs every benchmark in bench/ from the given build folder. Each prints its
# own baseline, measured in the same run, and the ratio to it.
set -euo pipefail
build=${1:-build/release}
for b in "$build"/bench/*_bench; do
  echo "== $(basename "$b")"
  "$b" "${@:2}"
done
