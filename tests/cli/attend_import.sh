#!/usr/bin/env bash
# (d) attend import FILE: every row or none. A file with one bad row (among
# good rows, across lessons) writes nothing and names each bad row by line and
# column; a good file -- as a Dutch spreadsheet saves it: BOM, ';', CRLF --
# is imported in one write and shows up in the hours report.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
run init --school "Taalschool De Brug" --brin 25AB; expect_rc 0
for spec in "L1 111222333" "L2 123456782" "L3 100000009"; do
  set -- $spec
  run learner add --id "$1" --bsn "$2" --name "Learner $1" \
    --category family_migrant --regime wi2021 --route B
  expect_rc 0
done
run course add --id nt2-a --name "NT2 A" --component nt2 --regime wi2021 --route B; expect_rc 0
run course add --id knm-1 --name "KNM" --component knm --regime wi2021 --route B;    expect_rc 0
run course enroll nt2-a L1 L2 L3; expect_rc 0
run course enroll knm-1 L1 L2 L3; expect_rc 0
run lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher JdV --id nt2-1
expect_rc 0
run lesson add --course knm-1 --start 2026-12-01T13:30 --minutes 120 --teacher JdV --id knm-1a
expect_rc 0

snapshot "$PRESENTIE_DB" "$WORK/before.sql"
unchanged() {
  snapshot "$PRESENTIE_DB" "$WORK/after.sql"
  expect_same_snapshot "$WORK/before.sql" "$WORK/after.sql"
}

# One unknown learner on line 4 among good rows: exit 6, nothing imported.
cat >"$WORK/unknown.csv" <<'CSV'
lesson,learner,status,minutes,mode,notified,reason,note
nt2-1,L1,present,,,,,
nt2-1,L2,absent,,,yes,illness,
nt2-1,L9,present,,,,,
knm-1a,L1,present,,,,,
CSV
run attend import "$WORK/unknown.csv"
expect_rc 6
expect_err "unknown.csv:4: column 'learner': learner 'L9' does not exist"
expect_err "nothing was imported"
expect_empty_out
unchanged

# Several bad rows: each reported, the first one's code is the exit code.
cat >"$WORK/bad.csv" <<'CSV'
lesson,learner,status,minutes,mode,notified,reason,note
nt2-1,L1,present,,,,,
nt2-1,L2,partial,,,,,
knm-1a,L2,sick,,,,,
knm-1a,L3,absent,,,maybe,,
nt2-1,L3,partial,200,,,,
knm-1a,L1,absent,,,,vakantie,
nt2-1,L1,absent,,,,,
no-lesson,L1,present,,,,,
CSV
run attend import "$WORK/bad.csv"
expect_rc 5
expect_err "bad.csv:3: column 'minutes': required for a partial attendance"
expect_err "bad.csv:4: column 'status':"
expect_err "bad.csv:5: column 'notified': 'maybe' is not yes or no"
expect_err "bad.csv:6: column 'minutes':"
expect_err "bad.csv:7: column 'reason':"
expect_err "bad.csv:8: learner 'L1' in lesson 'nt2-1' is also on line 2"
expect_err "bad.csv:9: column 'lesson': lesson 'no-lesson' does not exist"
expect_err "(7 of 8 rows have errors)"
unchanged

# The good file, as a Dutch Excel writes it.
printf '\xEF\xBB\xBFlesson;learner;status;minutes;mode;notified;reason;note\r\n' >"$WORK/good.csv"
printf 'nt2-1;L1;present;;;;;\r\n' >>"$WORK/good.csv"
printf 'nt2-1;L2;absent;;;ja;ziek;"belde om 8:00; ""griep"""\r\n' >>"$WORK/good.csv"
printf 'nt2-1;L3;partial;90;on_site;nee;anders;\r\n' >>"$WORK/good.csv"
printf ';;;;;;;\r\n' >>"$WORK/good.csv"
printf 'knm-1a;L1;present;;remote;;;\r\n' >>"$WORK/good.csv"
printf 'knm-1a;L2;present;120;;;;\r\n' >>"$WORK/good.csv"
printf 'knm-1a;L3;absent;0;;;;\r\n' >>"$WORK/good.csv"
run attend import "$WORK/good.csv"
expect_rc 0
expect_out "nt2-1"
expect_err "Imported 6 attendance records"
run --json lesson list
json_check "assert {l['id']: l['recorded'] for l in d} == {'nt2-1': 3, 'knm-1a': 3}, d"

run report hours --json
json_check "
r = {x['learner']: x['components'] for x in d}
assert r['L1']['nt2']['attended_minutes'] == 180
assert r['L1']['knm']['attended_minutes'] == 0 and r['L1']['knm']['remote_minutes'] == 120
assert r['L2']['nt2']['excused_absent_minutes'] == 180
assert r['L2']['knm']['attended_minutes'] == 120
assert r['L3']['nt2']['attended_minutes'] == 90 and r['L3']['nt2']['unexcused_absent_minutes'] == 90
assert r['L3']['knm']['pending_absent_minutes'] == 120
"
run audit log --json --limit 1
json_check "assert len(d) == 1 and d[0]['action'] == 'attend.import', d"

# Importing the same file again is an edit of the same six records.
run attend import "$WORK/good.csv"
expect_rc 0
n="$(sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM attendance")"
[[ "$n" == 6 ]] || fail "attendance rows after re-import: $n"
run audit verify
expect_rc 0

done_ok
