#!/usr/bin/env bash
# qualification import reads and writes a row at a time inside one
# transaction (docs/cli.md, "CSV imports"): its memory does not grow with
# the file's rows, and a bad row near the end of a large file still means
# nothing is written. Measured as learner_import_streamed.sh measures: the
# peak on LARGE rows less the peak on SMALL, each into a new register.
source "$(dirname "$0")/testlib.bash"
command -v /usr/bin/time >/dev/null || fail "/usr/bin/time is missing (Debian package 'time')"

SMALL=20000
LARGE=40000
LIMIT_KIB=$((10 * 1024))

# qualifications N FILE [PREFIX]: N teachers' qualifications, long titles.
qualifications() {
  awk -v n="$1" -v t="${3:-T}" 'BEGIN {
    pad = sprintf("%0170d", 0); gsub(/0/, "x", pad)
    print "teacher,component,title,obtained"
    for (i = 1; i <= n; i++)
      printf "%s%d,nt2,Lerarenopleiding NT2 %s,20%02d-%02d-01\n", t, i, pad, i % 25, 1 + i % 12
  }' >"$2"
}
qualifications "$SMALL" "$WORK/small.csv"
qualifications "$LARGE" "$WORK/large.csv"

new_register "$WORK/small.db"
run_peak qualification import "$WORK/small.csv"
expect_rc 0
expect_err "$SMALL new, 0 changed, 0 unchanged"
small_peak=$PEAK_KIB

new_register "$WORK/large.db"
run_peak --json qualification import "$WORK/large.csv"
expect_rc 0
large_peak=$PEAK_KIB
json_check "
assert (d['new'], d['changed'], d['unchanged']) == ($LARGE, 0, 0), d['new']
assert len(d['ids']) == $LARGE and d['ids'][0] == 't1.nt2' and d['ids'][-1] == 't$LARGE.nt2', d['ids'][-1]"
n="$(sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM qualification")"
[[ "$n" == "$LARGE" ]] || fail "qualifications after the import: $n"
run audit log --json --limit 1
json_check "
assert d[0]['action'] == 'qualification.add', d
assert d[0]['summary'] == 'qualifications: $LARGE new, 0 changed, 0 unchanged', d"
run audit verify
expect_rc 0
expect_growth_below "$small_peak" "$large_peak" "$LIMIT_KIB" "qualification import"

# Again: every one unchanged, nothing written, no audit entry.
run qualification import "$WORK/large.csv"
expect_rc 0
expect_err "0 new, 0 changed, $LARGE unchanged"
run audit log --json --limit 1
json_check "assert d[0]['summary'] == 'qualifications: $LARGE new, 0 changed, 0 unchanged', d"

# A bad row near the end: a date that is not one, three rows from the last.
export PRESENTIE_DB="$WORK/small.db"
keep_register qualification
qualifications "$LARGE" "$WORK/bad.csv" N
bad_line=$((LARGE - 2))
sed -i "${bad_line}s/,[0-9-]*\$/,2020-13-01/" "$WORK/bad.csv"
run qualification import "$WORK/bad.csv"
expect_rc 5
expect_err "bad.csv:$bad_line: column 'obtained': is not a date"
expect_err "(1 of $LARGE rows have errors)"
expect_empty_out
expect_register_kept qualification

# The last row repeats the first's teacher and component: named, nothing written.
qualifications "$SMALL" "$WORK/twice.csv" R
sed -n 2p "$WORK/twice.csv" >>"$WORK/twice.csv"
run qualification import "$WORK/twice.csv"
expect_rc 5
expect_err "twice.csv:$((SMALL + 2)): column 'id': qualification 'r1.nt2' is also on line 2"
expect_register_kept qualification

done_ok
