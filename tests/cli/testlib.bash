# Helpers for the end-to-end tests of the `presentie` binary. Sourced by
# tests/cli/*.sh (this file is not a test: its name does not end in .sh).
#
#   PRESENTIE  the binary under test ($1 of the script)
#   WORK       a fresh temporary folder, removed on exit
#   run ARGS…  runs the binary; sets RC, and OUT / ERR to files holding
#              its stdout / stderr. Never fails by itself.

set -euo pipefail

if [[ $# -lt 1 || ! -x "$1" ]]; then
  echo "usage: $0 PATH/TO/presentie" >&2
  exit 2
fi
PRESENTIE="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
OUT="$WORK/.stdout"
ERR="$WORK/.stderr"
RC=0
unset PRESENTIE_DB PRESENTIE_USER XDG_DATA_HOME PRESENTIE_KEY PRESENTIE_KEY_FILE
export HOME="$WORK/home"
# tests/python/sealed.py: the tests' own reading of a register's sealed fields.
export PYTHONPATH="$(cd "$(dirname "${BASH_SOURCE[0]}")/../python" && pwd)${PYTHONPATH:+:$PYTHONPATH}"
export NO_COLOR=1

TEST_NAME="$(basename "$0" .sh)"
CHECKS=0

fail() {
  echo "FAIL [$TEST_NAME]: $*" >&2
  echo "--- last command's stdout:" >&2
  cat "$OUT" >&2 2>/dev/null || true
  echo "--- last command's stderr:" >&2
  cat "$ERR" >&2 2>/dev/null || true
  exit 1
}

run() {
  RC=0
  "$PRESENTIE" "$@" >"$OUT" 2>"$ERR" || RC=$?
  LAST_CMD="presentie $*"
}

# run_peak ARGS…: as run, and sets PEAK_KIB to the command's peak resident
# memory in KiB, as /usr/bin/time measures it (wait4's ru_maxrss).
run_peak() {
  RC=0
  /usr/bin/time -f %M -o "$WORK/.peak" "$PRESENTIE" "$@" >"$OUT" 2>"$ERR" || RC=$?
  LAST_CMD="presentie $*"
  PEAK_KIB="$(tail -n 1 "$WORK/.peak")"
}

# expect_growth_below SMALL_KIB LARGE_KIB LIMIT_KIB WHAT: a command's peak
# on a large input (LARGE_KIB) exceeds its peak on a small one (SMALL_KIB)
# by less than LIMIT_KIB. Not checked in the sanitizer build: ASan keeps
# freed memory in quarantine (up to 256 MiB) before it reuses it, so a peak
# there says what the allocator kept, not what the program held; the release
# build's run of the same test checks it.
expect_growth_below() {
  echo "peak of $4: ${1} KiB small, ${2} KiB large (grew $(($2 - $1)) KiB; limit $3)" >&2
  if [[ "${PRESENTIE_SANITIZED:-0}" == 1 ]]; then
    echo "(not checked: the sanitizer build's allocator keeps freed memory)" >&2
    return 0
  fi
  CHECKS=$((CHECKS + 1))
  (($2 - $1 < $3)) || fail "the peak of $4 grew by $(($2 - $1)) KiB (limit $3 KiB)"
}

# new_register DB: a new register at DB, which PRESENTIE_DB then names.
new_register() {
  export PRESENTIE_DB="$1"
  run init --school "Taalschool De Brug" --brin 25AB
  expect_rc 0
}

# keep_register TABLE: notes the register's content and TABLE's row count;
# expect_register_kept TABLE: both are still as noted.
keep_register() {
  snapshot "$PRESENTIE_DB" "$WORK/.kept.sql"
  KEPT_ROWS="$(sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM $1")"
}
expect_register_kept() {
  CHECKS=$((CHECKS + 1))
  local rows
  rows="$(sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM $1")"
  [[ "$rows" == "$KEPT_ROWS" ]] || fail "$1 rows: $KEPT_ROWS before \`$LAST_CMD\`, $rows after"
  snapshot "$PRESENTIE_DB" "$WORK/.now.sql"
  expect_same_snapshot "$WORK/.kept.sql" "$WORK/.now.sql"
}

# expect_rc N: the last command exited with N.
expect_rc() {
  CHECKS=$((CHECKS + 1))
  [[ "$RC" == "$1" ]] || fail "\`$LAST_CMD\` exited $RC, expected $1"
}

# expect_out / expect_err TEXT: stdout / stderr contains TEXT (fixed string).
expect_out() {
  CHECKS=$((CHECKS + 1))
  grep -qF -- "$1" "$OUT" || fail "stdout of \`$LAST_CMD\` lacks: $1"
}
expect_err() {
  CHECKS=$((CHECKS + 1))
  grep -qF -- "$1" "$ERR" || fail "stderr of \`$LAST_CMD\` lacks: $1"
}
# expect_no_out / expect_no_err TEXT: stdout / stderr does not contain TEXT.
expect_no_out() {
  CHECKS=$((CHECKS + 1))
  ! grep -qF -- "$1" "$OUT" || fail "stdout of \`$LAST_CMD\` has: $1"
}
expect_no_err() {
  CHECKS=$((CHECKS + 1))
  ! grep -qF -- "$1" "$ERR" || fail "stderr of \`$LAST_CMD\` has: $1"
}
# expect_out_line / expect_no_out_line TEXT: stdout has / has no line that is
# exactly TEXT: the whole field, so an id L1 is not found in L10 or nt2-L1.
expect_out_line() {
  CHECKS=$((CHECKS + 1))
  grep -qxF -- "$1" "$OUT" || fail "stdout of \`$LAST_CMD\` has no line: $1"
}
expect_no_out_line() {
  CHECKS=$((CHECKS + 1))
  ! grep -qxF -- "$1" "$OUT" || fail "stdout of \`$LAST_CMD\` has the line: $1"
}
expect_empty_out() {
  CHECKS=$((CHECKS + 1))
  [[ ! -s "$OUT" ]] || fail "stdout of \`$LAST_CMD\` is not empty"
}

# json_check PY: runs the Python expression-statements PY with `d` bound to the
# last command's stdout parsed as JSON; an AssertionError fails the test.
json_check() {
  CHECKS=$((CHECKS + 1))
  python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
$1
" "$OUT" || fail "JSON check failed on \`$LAST_CMD\`: $1"
}

# snapshot DB FILE: the register's whole content as SQL text, but for one part:
# the remotes' sync bookkeeping (last success, last error: schema step 5)
# is left out: a failed sync notes its error there for `presentie status`,
# and that is the one change a refused sync may make.
snapshot() {
  {
    sqlite3 "$1" .dump | grep -v '^INSERT INTO remote VALUES'
    sqlite3 "$1" "SELECT name, url, token_file, ca_file, cert_file, key_file FROM remote ORDER BY name"
  } >"$2"
}
# expect_same_snapshot BEFORE AFTER: the register did not change.
expect_same_snapshot() {
  CHECKS=$((CHECKS + 1))
  cmp -s "$1" "$2" || {
    diff "$1" "$2" >&2 || true
    fail "the register changed after \`$LAST_CMD\`"
  }
}

done_ok() {
  echo "ok [$TEST_NAME]: $CHECKS checks"
}
