#!/usr/bin/env bash
# `course unenroll`: a learner who leaves a course is no longer on its
# roster (attend --all-present skips them, course list counts them out), the
# lessons recorded for them keep counting in the hours report, and enrolling
# them again puts them back. Naming someone not on the roster changes
# nothing, for every name given.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
export PRESENTIE_USER=admin1

run init --school "Taalschool De Brug" --brin 25AB
expect_rc 0
run learner add --id L1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B
expect_rc 0
run learner add --id L2 --bsn 123456782 --name "Yonas Tesfay" \
  --category family_migrant --regime wi2021 --route B
expect_rc 0
run learner add --id L3 --bsn 100000009 --name "Sara Ahmadi" \
  --category family_migrant --regime wi2021 --route B
expect_rc 0
run course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
run course enroll nt2-a L1 L2 L3
expect_rc 0
run lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
run attend nt2-a-20261130-0900 --all-present
expect_rc 0

# L3 leaves the course.
run course unenroll nt2-a L3
expect_rc 0
expect_out_line "L3"
expect_err "recorded lessons keep counting"
run course list --json
json_check "assert d[0]['enrolled'] == ['L1', 'L2'], d"
run audit log --limit 1 --json
json_check "
assert d[0]['action'] == 'course.unenroll', d
assert d[0]['summary'] == \"course 'nt2-a': enrolment ended for 1 learner (L3)\", d"

# The next lesson's roster is L1 and L2; L3's recorded lesson still counts.
run lesson add --course nt2-a --start 2026-12-01T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
run attend nt2-a-20261201-0900 --all-present --json
expect_rc 0
json_check "assert sorted(r['learner'] for r in d['recorded']) == ['L1', 'L2'], d"
run report hours --learner L3 --json
expect_rc 0
json_check "
nt2 = d[0]['components']['nt2']
assert nt2['attended_minutes'] == 180 and nt2['lessons'] == 1, nt2
assert nt2['unrecorded_lessons'] == 0, nt2  # the second lesson is not L3's"
run report hours --learner L1 --json
json_check "assert d[0]['components']['nt2']['lessons'] == 2, d"

# Not on the roster (any more), or unknown: an error naming who, nothing changed.
snapshot "$PRESENTIE_DB" "$WORK/before"
run course unenroll nt2-a L1 L3
expect_rc 6
expect_err "'L3'"
expect_err "already ended"
run course unenroll nt2-a L1 NOPE
expect_rc 6
expect_err "'NOPE'"
run course unenroll nt9 L1
expect_rc 6
expect_err "'nt9'"
snapshot "$PRESENTIE_DB" "$WORK/after"
expect_same_snapshot "$WORK/before" "$WORK/after"
run course unenroll nt2-a
expect_rc 2

# Back on the roster.
run course enroll nt2-a L3
expect_rc 0
run course list --json
json_check "assert d[0]['enrolled'] == ['L1', 'L2', 'L3'], d"
run audit verify
expect_rc 0
done_ok
