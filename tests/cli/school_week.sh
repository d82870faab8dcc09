#!/usr/bin/env bash
# Seeing the week (issue 22, item 7): a term's lessons in one command with
# the holidays left out (lesson add --weekly-until --skip, and lesson
# import's skip column), the lessons of a day, a week or a teacher, a
# lesson's class list with who is not recorded yet, a course's learners and
# lessons, and the lessons that ended with no attendance at all (report
# missing, counted by status), and report hours counting only the lessons
# up to a day (--as-of, default today). Past lessons are in 2025, future
# ones in 2099.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
run init --school "Taalschool De Brug" --brin 25AB; expect_rc 0
cat >"$WORK/learners.csv" <<'CSV'
id,bsn,name,category,regime,route,level,gemeente
L1,111222333,Amina Haddad,family_migrant,wi2021,B,B1,
L2,123456782,Yonas Tesfay,asylum_permit_holder,wi2021,Z,,0363
L3,100000009,"Öztürk, Ayşe",other_migrant,wi2021,B,B1,
CSV
run learner import "$WORK/learners.csv"; expect_rc 0
run course add --id nt2-a --name "NT2 A" --component nt2 --regime wi2021 --route B; expect_rc 0
run course add --id knm-1 --name "KNM" --component knm --regime wi2021 --route B;    expect_rc 0
run course enroll nt2-a L1 L2 L3; expect_rc 0
run course unenroll nt2-a L3;     expect_rc 0

lessons() { sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM lesson"; }

# --- A term in one command, a holiday skipped ---------------------------------
run lesson add --course nt2-a --start 2025-09-01T09:00 --minutes 180 --teacher JdV \
  --weekly-until 2025-09-29 --skip 2025-09-15
expect_rc 0
expect_err "Planned 4 weekly lessons (180 minutes), 2025-09-01T09:00 to 2025-09-29T09:00, skipping 1."
for d in 20250901 20250908 20250922 20250929; do expect_out_line "nt2-a-$d-0900"; done
expect_no_out "20250915"

# A skipped date that is not one of the series' (a Tuesday): refused, nothing planned.
run lesson add --course nt2-a --start 2025-10-06T09:00 --minutes 180 --teacher JdV \
  --weekly-until 2025-10-27 --skip 2025-10-14
expect_rc 5
expect_err "--skip: 2025-10-14 is not a date of the series (weekly from 2025-10-06 to 2025-10-27)"
[[ "$(lessons)" == 4 ]] || fail "a refused series planned lessons: $(lessons)"
# --skip without a series; every date skipped; a date that is none.
run lesson add --course nt2-a --start 2025-10-06T09:00 --minutes 180 --teacher JdV \
  --skip 2025-10-06
expect_rc 5
expect_err "--skip: skips dates of a weekly series: give weekly_until too"
run lesson add --course nt2-a --start 2025-10-06T09:00 --minutes 180 --teacher JdV \
  --weekly-until 2025-10-13 --skip 2025-10-06 --skip 2025-10-13
expect_rc 5
expect_err "--skip: every date of the series is skipped: no lesson left"
run lesson add --course nt2-a --start 2025-10-06T09:00 --minutes 180 --teacher JdV \
  --weekly-until 2025-10-13 --skip 2025-10-32
expect_rc 5
expect_err "--skip:"
[[ "$(lessons)" == 4 ]] || fail "refused series planned lessons: $(lessons)"

# lesson import: the skip column, dates separated by spaces.
cat >"$WORK/lessons.csv" <<'CSV'
course,start,minutes,teacher,weekly_until,skip
knm-1,2099-01-05T13:30,120,A. Bakker,2099-01-26,2099-01-12 2099-01-19
CSV
run --json lesson import "$WORK/lessons.csv"
expect_rc 0
json_check "assert d['imported'] == 2, d
assert d['courses'] == [{'course': 'knm-1', 'lessons': 2, 'first': '2099-01-05T13:30', 'last': '2099-01-26T13:30'}], d"

# --- The lessons of a day, a week, a teacher ----------------------------------
run --json lesson list --date 2025-09-08
expect_rc 0
json_check "assert [l['id'] for l in d] == ['nt2-a-20250908-0900'], d"
run --json lesson list --week 2025-09-10        # a Wednesday: Monday 8 to Sunday 14
json_check "assert [l['id'] for l in d] == ['nt2-a-20250908-0900'], d"
run --json lesson list --week 2025-09-07        # a Sunday: the week of Monday 1
json_check "assert [l['id'] for l in d] == ['nt2-a-20250901-0900'], d"
run --json lesson list --teacher "A. Bakker"
json_check "assert [l['id'] for l in d] == ['knm-1-20990105-1330', 'knm-1-20990126-1330'], d"
run lesson list --teacher Nobody
expect_rc 0
expect_err "None of the 6 lessons matches."
run lesson list --date 2025-09-08 --week 2025-09-08
expect_rc 2
run lesson list --date 2025-02-30
expect_rc 5
expect_err "--date:"
run --json lesson list --date today
expect_rc 0
json_check "assert d == [], d"

# --- A lesson's class list ----------------------------------------------------
run attend nt2-a-20250901-0900 --all-present --absent L2:ziek; expect_rc 0
run lesson show nt2-a-20250901-0900
expect_rc 0
expect_out "JdV"
expect_out "Amina Haddad"
expect_out "illness"
expect_no_out "Öztürk"                            # her enrolment ended; nothing recorded
expect_no_out "not recorded yet"
run lesson show nt2-a-20250908-0900
expect_rc 0
expect_out "not recorded yet"
expect_err "2 of 2 not recorded yet: presentie attend nt2-a-20250908-0900"
run --json lesson show nt2-a-20250901-0900
json_check "
rows = {r['learner']: r for r in d['learners']}
assert sorted(rows) == ['L1', 'L2'], rows
assert rows['L1']['recorded'] and rows['L1']['attendance']['status'] == 'present', rows
assert rows['L2']['attendance']['reason'] == 'illness' and rows['L2']['classification'] == 'excused', rows
assert d['not_recorded'] == 0 and d['teacher'] == 'JdV', d"
# One recorded on purpose although her enrolment ended: she is on the list,
# marked so.
run attend nt2-a-20250908-0900 --present L3 --not-enrolled; expect_rc 0
run --json lesson show nt2-a-20250908-0900
json_check "
rows = {r['learner']: r for r in d['learners']}
assert sorted(rows) == ['L1', 'L2', 'L3'], rows
assert rows['L3']['enrolled'] is False and rows['L3']['recorded'], rows
assert d['not_recorded'] == 2, d"
run lesson show nt2-a-20250915-0900
expect_rc 6
expect_err "nt2-a-20250915-0900"

# --- Lessons never recorded ---------------------------------------------------
run --json report missing
expect_rc 0
json_check "
assert [l['id'] for l in d['lessons']] == ['nt2-a-20250922-0900', 'nt2-a-20250929-0900'], d
assert d['by_course_and_teacher'] == [{'course': 'nt2-a', 'teacher': 'JdV', 'lessons': 2}], d"
run report missing --from 2025-09-25
expect_rc 0
expect_out "nt2-a-20250929-0900"
expect_no_out "nt2-a-20250922-0900"
expect_err "1 lesson has ended without any attendance recorded"
run report missing --to 2025-09-21
expect_rc 0
expect_err "Every lesson that has ended has attendance recorded."
run report missing --from 2025-09-30 --to 2025-09-01
expect_rc 5
expect_err "--to: 2025-09-01 is before --from 2025-09-30"
run status
expect_rc 0
expect_out "2 (presentie report missing)"
run --json status
json_check "assert d['lessons_without_roll_call'] == 2, d"

# --- A course: its learners and lessons ---------------------------------------
run course show nt2-a
expect_rc 0
expect_out "2 enrolled, 1 ended"
expect_out "4 (2 past without a roll call)"
expect_out "Öztürk, Ayşe"
run --json course show nt2-a
json_check "
assert [(l['learner'], l['active']) for l in d['learners']] == [('L1', True), ('L2', True), ('L3', False)], d
assert [(l['id'], l['recorded']) for l in d['lessons']] == [('nt2-a-20250901-0900', 2), ('nt2-a-20250908-0900', 1), ('nt2-a-20250922-0900', 0), ('nt2-a-20250929-0900', 0)], d"
run course show nt2-b
expect_rc 6

# --- Hours as of a day: a lesson still to come is not "unrecorded" ----------
run lesson add --course nt2-a --start 2099-03-02T09:00 --minutes 180 --teacher JdV; expect_rc 0
run --json report hours --learner L1
expect_rc 0
json_check "
nt2 = d[0]['components']['nt2']
assert (nt2['lessons'], nt2['unrecorded_lessons'], nt2['attended_minutes']) == (4, 3, 180), nt2
assert d[0]['substantial_effort']['unrecorded_lessons'] == 3, d[0]['substantial_effort']"
run --json report hours --learner L1 --as-of 2099-12-31
json_check "
nt2 = d[0]['components']['nt2']
assert (nt2['lessons'], nt2['unrecorded_lessons']) == (5, 4), nt2"
run --json report hours --learner L1 --as-of 2025-09-05
json_check "
nt2 = d[0]['components']['nt2']
assert (nt2['lessons'], nt2['unrecorded_lessons'], nt2['attended_minutes']) == (1, 0, 180), nt2"
run report hours --as-of 2025-09-31
expect_rc 5
expect_err "--as-of:"
run report hours --learner L1
expect_rc 0
expect_err "As of $(date +%F): the lessons after it are not counted (--as-of)."

done_ok
