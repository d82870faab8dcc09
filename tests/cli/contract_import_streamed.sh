#!/usr/bin/env bash
# contract import reads and writes a row at a time inside one transaction
# (docs/cli.md, "CSV imports"), and prints the register's contracts of the
# numbers it wrote a record at a time: its memory does not grow with the
# file's rows, and a bad row near the end of a large file still means
# nothing is written. Measured as learner_import_streamed.sh measures: the
# peak on LARGE rows less the peak on SMALL, each into a new register.
# invoice and diploma import are the same code (cmd_contracts.cc's
# RunImport, the store's one SubmitWrite).
source "$(dirname "$0")/testlib.bash"
command -v /usr/bin/time >/dev/null || fail "/usr/bin/time is missing (Debian package 'time')"

SMALL=30000
LARGE=60000
LIMIT_KIB=$((10 * 1024))

# contracts N FILE [PREFIX]: N contracts of learner F1, numbers PREFIX1...
contracts() {
  awk -v n="$1" -v c="${3:-C}" 'BEGIN {
    print "number;learner;signed;start;end;hours;price"
    for (i = 1; i <= n; i++)
      printf "%s%d;F1;2026-08-%02d;2026-09-01;2027-08-31;%d;%d,50\n", c, i, 1 + i % 28, 1 + i % 900, i % 9000
  }' >"$2"
}
contracts "$SMALL" "$WORK/small.csv"
contracts "$LARGE" "$WORK/large.csv"

new_school() {
  new_register "$1"
  run learner add --id F1 --bsn 111222333 --name "Fatima" --category family_migrant \
    --regime wi2021 --route B
  expect_rc 0
}

new_school "$WORK/small.db"
run_peak contract import "$WORK/small.csv"
expect_rc 0
expect_err "$SMALL new, 0 changed, 0 unchanged"
CHECKS=$((CHECKS + 1))
grep -qE '^C1 +F1 +2026-08-02 +2026-09-01 +2027-08-31 +2 +1\.50$' "$OUT" || fail "no row of C1"
[[ $(grep -c '^C[0-9]' "$OUT") == "$SMALL" ]] || fail "not $SMALL contracts printed"
small_peak=$PEAK_KIB

new_school "$WORK/large.db"
run_peak --json contract import "$WORK/large.csv"
expect_rc 0
large_peak=$PEAK_KIB
json_check "
assert (d['new'], d['changed'], d['unchanged']) == ($LARGE, 0, 0), d['new']
c = d['contracts']
assert len(c) == $LARGE, len(c)
assert c[0] == {'number': 'C1', 'learner': 'F1', 'signed': '2026-08-02', 'start': '2026-09-01',
                'end': '2027-08-31', 'hours': 2, 'price_cents': 150}, c[0]
assert sorted(x['number'] for x in c) == sorted('C%d' % i for i in range(1, $LARGE + 1))"
n="$(sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM contract")"
[[ "$n" == "$LARGE" ]] || fail "contracts after the import: $n"
run audit log --json --limit 1
json_check "
assert d[0]['action'] == 'contract.add', d
assert d[0]['summary'] == 'contracts: $LARGE new, 0 changed, 0 unchanged', d"
run audit verify
expect_rc 0
expect_growth_below "$small_peak" "$large_peak" "$LIMIT_KIB" "contract import"

# A bad row near the end: an end that is not a date, three rows from the
# last. Nothing written; the message names its line and column.
export PRESENTIE_DB="$WORK/small.db"
keep_register contract
contracts "$LARGE" "$WORK/bad.csv" N
bad_line=$((LARGE - 2))
sed -i "${bad_line}s/;2027-08-31;/;2027-31-08;/" "$WORK/bad.csv"
run contract import "$WORK/bad.csv"
expect_rc 5
expect_err "bad.csv:$bad_line: column 'end': is not a date"
expect_err "(1 of $LARGE rows have errors)"
expect_empty_out
expect_register_kept contract

# The last row names a learner the register does not hold: the register's
# refusal is named by its line too, and nothing is written.
contracts "$LARGE" "$WORK/unknown.csv" U
echo "U0;X9;2026-08-20;2026-09-01;2027-08-31;600;6500" >>"$WORK/unknown.csv"
run contract import "$WORK/unknown.csv"
expect_rc 6
expect_err "unknown.csv:$((LARGE + 2)): contract 'U0': learner 'X9' does not exist"
expect_register_kept contract

done_ok
