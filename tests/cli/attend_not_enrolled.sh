#!/usr/bin/env bash
# An attendance for a learner not enrolled in the lesson's course (docs/cli.md,
# "attend LESSON"): refused, naming the learner and the lesson, exit 1, and
# nothing of the command written — not the enrolled learners' records either.
# `--not-enrolled` records it on purpose, with the note. A record already there
# may be corrected without the flag. `attend import` refuses such a row by its
# line, and imports it with --not-enrolled.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
export PRESENTIE_USER=admin1
run init --school "Taalschool De Brug" --brin 25AB
expect_rc 0
for spec in "L1 111222333" "L16 123456782" "L17 100000009"; do
  set -- $spec
  run learner add --id "$1" --bsn "$2" --name "Learner $1" \
    --category family_migrant --regime wi2021 --route B
  expect_rc 0
done
run course add --id nt2-a --name "NT2 A" --component nt2 --regime wi2021 --route B
expect_rc 0
run course enroll nt2-a L1
expect_rc 0
run lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher JdV --id nt2-1
expect_rc 0

snapshot "$PRESENTIE_DB" "$WORK/before.sql"
unchanged() {
  snapshot "$PRESENTIE_DB" "$WORK/after.sql"
  expect_same_snapshot "$WORK/before.sql" "$WORK/after.sql"
}

# --- Refused: the whole command, the enrolled L1 included.
run attend nt2-1 --present L1 --absent L16:ziek
expect_rc 1
expect_empty_out
expect_err "learner L16 is not enrolled in course nt2-a of lesson nt2-1"
expect_err "nothing was recorded"
expect_err "--not-enrolled"
unchanged
run attend nt2-1 --absent L16:ziek --notified L17 --json
expect_rc 1
expect_empty_out
expect_err "learners L16, L17 are not enrolled"
unchanged

# --- On purpose: recorded, with the note, as before.
run attend nt2-1 --present L1 --absent L16:ziek --not-enrolled --json
expect_rc 0
expect_err "L16 not enrolled in course nt2-a (recorded anyway"
json_check "
assert d['not_enrolled'] == ['L16'], d
assert sorted(r['learner'] for r in d['recorded']) == ['L1', 'L16'], d"
# L16's record is there now: correcting it needs no flag.
run attend nt2-1 --absent L16:anders
expect_rc 0
run explain nt2-1/L16 --json
expect_rc 0
json_check "assert d['shown']['reason'] == 'other', d['shown']"

# --- attend import: the row's line named; nothing imported.
run lesson add --course nt2-a --start 2026-12-01T09:00 --minutes 180 --teacher JdV --id nt2-2
expect_rc 0
snapshot "$PRESENTIE_DB" "$WORK/before.sql"
cat >"$WORK/rows.csv" <<'CSV'
lesson,learner,status,minutes,mode,notified,reason,note
nt2-2,L1,present,,,,,
nt2-2,L17,absent,,,,illness,
CSV
run attend import "$WORK/rows.csv"
expect_rc 1
expect_empty_out
expect_err "rows.csv:3: column 'learner': learner 'L17' is not enrolled in course nt2-a of lesson 'nt2-2'"
expect_err "nothing was imported"
unchanged
run attend import "$WORK/rows.csv" --not-enrolled
expect_rc 0
expect_err "Imported 2 attendance records"
expect_err "1 of them for learners not enrolled"
n="$(sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM attendance WHERE lesson_id = 'nt2-2'")"
[[ "$n" == 2 ]] || fail "attendance rows of nt2-2 after the import: $n"
run audit verify
expect_rc 0

done_ok
