#!/usr/bin/env bash
# learner import reads and writes a row at a time inside one transaction
# (docs/cli.md, "CSV imports"): its memory does not grow with the file's
# rows, and a bad row near the end of a large file still means nothing is
# written.
#
# Memory: the peak of importing LARGE learners, less that of importing
# SMALL, into a new register each. Both files are larger than the register's
# page cache (16 MiB) fills, so what is left of the difference is what the
# import holds per row. One that held the rows (the file's records and the
# learners, as learner import did before it streamed) grows by well over
# LIMIT_KIB; the streamed one holds a few small keys per learner (the ids and
# BSNs it wrote, for "is also on line N").
source "$(dirname "$0")/testlib.bash"
command -v /usr/bin/time >/dev/null || fail "/usr/bin/time is missing (Debian package 'time')"

SMALL=20000
LARGE=40000
LIMIT_KIB=$((10 * 1024))

# learners N FILE [ID-PREFIX BSN-FROM]: N learners with valid BSNs (the
# elfproef) and long names; ids L1... and BSNs from 100000000 by default.
learners() {
  awk -v n="$1" -v id="${3:-L}" -v from="${4:-10000000}" 'BEGIN {
    pad = sprintf("%0170d", 0); gsub(/0/, "x", pad)
    print "id,bsn,name,category,regime,route"
    for (i = 0; made < n; i++) {
      p = from + i; s = 0
      for (k = 1; k <= 8; k++) s += (10 - k) * substr(p, k, 1)
      if (s % 11 == 10) continue
      made++
      printf "%s%d,%d%d,Learner %d %s,family_migrant,wi2021,B\n", id, made, p, s % 11, made, pad
    }
  }' >"$2"
}
learners "$SMALL" "$WORK/small.csv"
learners "$LARGE" "$WORK/large.csv"

new_register "$WORK/small.db"
run_peak learner import "$WORK/small.csv"
expect_rc 0
expect_err "Imported $SMALL learners"
small_peak=$PEAK_KIB

new_register "$WORK/large.db"
run_peak --json learner import "$WORK/large.csv"
expect_rc 0
large_peak=$PEAK_KIB
json_check "
assert d['imported'] == $LARGE, d['imported']
assert len(d['ids']) == $LARGE and d['ids'][0] == 'L1' and d['ids'][-1] == 'L$LARGE', d['ids'][-1]"
n="$(sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM learner")"
[[ "$n" == "$LARGE" ]] || fail "learners after the import: $n"
run audit log --json --limit 1
json_check "
assert d[0]['action'] == 'learner.import', d
assert d[0]['summary'] == '$LARGE learners added: L1, L2, L3, L4, L5, L6, L7, L8, L9, L10 and $((LARGE - 10)) more', d"
run audit verify
expect_rc 0
expect_growth_below "$small_peak" "$large_peak" "$LIMIT_KIB" "learner import"

# A bad row near the end: a BSN that fails the elfproef, three rows from
# the last. Nothing written, and the message names its line and column.
export PRESENTIE_DB="$WORK/small.db"
keep_register learner
learners "$LARGE" "$WORK/bad.csv" N 50000000  # learners the register does not hold
bad_line=$((LARGE - 2))            # the header is line 1
sed -i "${bad_line}s/^\(N[0-9]*\),[0-9]*,/\1,123456789,/" "$WORK/bad.csv"
run learner import "$WORK/bad.csv"
expect_rc 5
expect_err "bad.csv:$bad_line: column 'bsn':"
expect_err "(1 of $LARGE rows have errors)"
expect_empty_out
expect_register_kept learner

# The last row repeats a learner of the file (line 2): named, nothing written.
learners "$SMALL" "$WORK/twice.csv" T 60000000
sed -n 2p "$WORK/twice.csv" >>"$WORK/twice.csv"
run learner import "$WORK/twice.csv"
expect_rc 5
expect_err "twice.csv:$((SMALL + 2)): column 'id': learner 'T1' is also on line 2"
expect_register_kept learner

done_ok
