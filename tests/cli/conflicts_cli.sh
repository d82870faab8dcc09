#!/usr/bin/env bash
# The conflict queue and `explain` on one register, without a second replica:
# an empty queue, unknown ids, the flags and role `conflicts resolve` demands,
# `explain` answering why an absence is excused, and the hours report's
# disputed minutes at 0. (Conflicts between replicas: tests/integration.)
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/admin/register.db"
export PRESENTIE_USER=admin1

run init --school "Taalschool De Brug" --brin 25AB
expect_rc 0
run learner add --id L1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B --level B1
expect_rc 0
run learner add --id L2 --bsn 123456782 --name "Yonas Tesfay" \
  --category asylum_permit_holder --regime wi2021 --route Z --gemeente 0363
expect_rc 0
run course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
run course enroll nt2-a L1 L2
expect_rc 0
run lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
LESSON="$(cat "$OUT")"
run attend "$LESSON" --absent L1:illness --absent L2:illness --note "L1:belde om 8:00"
expect_rc 0

# --- An empty queue: nothing on stdout, [] as JSON, exit 0.
run conflicts list
expect_rc 0
expect_empty_out
expect_err "No open conflicts"
run conflicts list --json
expect_rc 0
json_check "assert d == [], d"
run conflicts list --all --json
expect_rc 0
json_check "assert d == [], d"
run conflicts refused --json
expect_rc 0
json_check "assert d == [], d"
run conflicts refused
expect_rc 0
expect_empty_out

# --- Unknown ids fail clearly, with nothing on stdout.
run conflicts show nosuch
expect_rc 6
expect_empty_out
expect_err "presentie: error: no conflict 'nosuch'"
run conflicts show "$LESSON/L1"          # a record without a conflict
expect_rc 6
expect_empty_out

# --- resolve: --reason is required and not blank; --take or fields, not both.
snapshot "$PRESENTIE_DB" "$WORK/before.sql"
run conflicts resolve "$LESSON/L1" --take 1
expect_rc 2
expect_err "--reason"
run conflicts resolve "$LESSON/L1" --take 1 --reason "   "
expect_rc 2
expect_err "--reason"
run conflicts resolve "$LESSON/L1" --take 1 --status absent --reason "sheet"
expect_rc 2
expect_err "not both"
run conflicts resolve "$LESSON/L1" --status partial --reason "sheet"
expect_rc 2
expect_err "--minutes"
run conflicts resolve "$LESSON/L1" --take 1 --reason "sheet"   # no open conflict
expect_rc 6
expect_empty_out
snapshot "$PRESENTIE_DB" "$WORK/after.sql"
expect_same_snapshot "$WORK/before.sql" "$WORK/after.sql"

# --- A teacher's register refuses resolve: exit 9, before looking for the conflict.
TEACHER_DB="$WORK/teacher/register.db"
run --db "$TEACHER_DB" init --school "Taalschool De Brug" --brin 25AB --role teacher
expect_rc 0
snapshot "$TEACHER_DB" "$WORK/teacher-before.sql"
run --db "$TEACHER_DB" conflicts resolve c0123456789abcdef --take 1 --reason "sheet"
expect_rc 9
expect_empty_out
expect_err "only the school admin resolves conflicts"
expect_err "role is teacher"
snapshot "$TEACHER_DB" "$WORK/teacher-after.sql"
expect_same_snapshot "$WORK/teacher-before.sql" "$WORK/teacher-after.sql"
run --db "$TEACHER_DB" conflicts list --json   # reading the queue is for everyone
expect_rc 0
json_check "assert d == [], d"

# --- explain: why is this absence excused?
run explain "$LESSON/L1"
expect_rc 0
expect_out "excused"
expect_out "R2.excused-reason"
expect_out "illness, a wedding, a funeral or a religious holiday"
expect_out "The reason recorded is: illness."
expect_out "M.single"
expect_out "Open conflict: none."
expect_no_out "advice"
run explain "$LESSON" L1 --json
expect_rc 0
json_check "
c = d['classification']
assert c['value'] == 'excused' and c['rule'] == 'R2.excused-reason', c
assert c['advisory'] is False and c['authority'] == 'admin', c
assert 'illness' in c['text'], c
assert d['record'] == '$LESSON/L1' and d['learner_known'] is True, d
assert d['shown']['reason'] == 'illness' and d['shown']['note'] == 'belde om 8:00', d['shown']
assert d['rules']['facts']['rule'] == 'M.single', d['rules']
assert d['rule_set_version'] >= 1
assert d['versions'] == 1 and len(d['siblings']) == 1, d
assert d['siblings'][0]['writer']['user'] == 'admin1', d['siblings']
assert d['conflict'] is None and d['conflict_kinds'] == [], d
assert d['resolution_reason'] is None
"
# A Wi2021 asylum permit holder: the school's view is advice; the gemeente decides.
run explain "$LESSON" L2
expect_rc 0
expect_out "excused (advice; the gemeente decides)"
expect_out "the gemeente's decision overrides it"
run explain "$LESSON" L2 --json
expect_rc 0
json_check "assert d['classification']['advisory'] is True and d['classification']['authority'] == 'gemeente', d"

run explain nosuch/L9
expect_rc 6
expect_empty_out
expect_err "no attendance record 'nosuch/L9'"
run explain "$LESSON" L9
expect_rc 6
expect_err "no attendance record '$LESSON/L9'"

# --- The hours report carries disputed minutes: 0 without a conflict.
run report hours --json
expect_rc 0
json_check "
for r in d:
    for name, comp in r['components'].items():
        assert comp['disputed_minutes'] == 0, (r['learner'], name, comp)
    assert r['total']['disputed_minutes'] == 0, r['total']
"
run report hours
expect_rc 0
expect_out "DISPUTED_MIN"
expect_no_err "marked !"

done_ok
