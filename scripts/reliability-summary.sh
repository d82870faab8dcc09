#!/usr/bin/env bash
# Prints, after `make test`, what the reliability tests survived in each
# build (docs/reliability.md): kill points, faulty connections, bad inputs
# refused, the versions lost and duplicated (0), and personal markers found at
# rest (0).
# Read from ctest's log of the last run.
#
#   scripts/reliability-summary.sh BUILD_DIR...
set -euo pipefail
echo "== reliability: what the tests survived"
for dir in "$@"; do
  log="$dir/Testing/Temporary/LastTest.log"
  [[ -f "$log" ]] || continue
  echo "-- $(basename "$dir")"
  grep -h -E "^(sync_crash|authority_crash|sync_faults|import_killed|at_rest)[ :(]|^bad records refused|^fuzz [a-z_]+_fuzz:" "$log" |
    sed 's/^/   /' || echo "   (no reliability test ran)"
done
