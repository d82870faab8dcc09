#!/usr/bin/env bash
# (a) The README's offline teacher scenario, end to end: init, learners (one
# by hand, two from a CSV), a course, enrolment, a lesson, the quick form of
# attend, and the hours report checked as JSON and in the register itself.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/school/register.db"
export PRESENTIE_USER=jdevries

run init --school "Taalschool De Brug" --brin 25AB
expect_rc 0
expect_out "replica_id"
expect_out "$PRESENTIE_DB"
[[ "$(stat -c %a "$WORK/school")" == 700 ]] || fail "the register's folder is not mode 0700"
[[ "$(stat -c %a "$PRESENTIE_DB")" == 600 ]] || fail "the register is not mode 0600"

run learner add --id L1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B --level B1
expect_rc 0
expect_out_line "L1"

cat >"$WORK/learners.csv" <<'CSV'
id,bsn,name,category,regime,route,level,literacy,estimated_hours,gemeente,lessons_per_week
L2,123456782,Yonas Tesfay,asylum_permit_holder,wi2021,Z,,A,,0363,3
L3,100000009,"Öztürk, Ayşe",other_migrant,wi2021,B,B1,NVT,600,,2
CSV
run learner import "$WORK/learners.csv"
expect_rc 0
expect_out_line "L2"
expect_out_line "L3"
expect_err "Imported 2 learners"

run learner list
expect_rc 0
expect_out "Öztürk, Ayşe"
expect_out "*****2333"          # BSN masked for people ...
expect_no_out "111222333"
run learner list --json           # ... and whole for programs
json_check "assert [l['bsn'] for l in d] == ['111222333', '123456782', '100000009'], d"

run course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
run course enroll nt2-a L1 L2 L3
expect_rc 0

run lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
LESSON="$(cat "$OUT")"
[[ "$LESSON" == "nt2-a-20261130-0900" ]] || fail "lesson id is '$LESSON'"

run attend "$LESSON" --all-present --absent L2:illness --partial L3:90
expect_rc 0
expect_out "R2.present"
expect_out "R2.excused-reason"    # L2: illness
expect_out "R2.no-reason-yet"     # L3: missed 90 minutes, no reason given yet
expect_err "Recorded 3 learners"

run report hours --json
expect_rc 0
json_check "
r = {x['learner']: x for x in d}
assert set(r) == {'L1', 'L2', 'L3'}, r.keys()
nt2 = {k: v['components']['nt2'] for k, v in r.items()}
assert nt2['L1']['attended_minutes'] == 180 and nt2['L1']['attended_hours'] == 3
assert nt2['L2']['attended_minutes'] == 0 and nt2['L2']['excused_absent_minutes'] == 180
assert nt2['L3']['attended_minutes'] == 90 and nt2['L3']['attended_hours'] == 1
assert nt2['L3']['pending_absent_minutes'] == 90
for k in r:
    assert set(r[k]['components']) == {'nt2', 'knm', 'literacy'}
    assert [n['norm'] for n in r[k]['norms']] == ['R3.b1-downscale-a2', 'R3.z-route']
b1 = {n['norm']: n for n in r['L1']['norms']}['R3.b1-downscale-a2']
assert b1['applies'] and not b1['met'] and b1['counted_minutes'] == 180 and b1['norm_hours'] == 600
z = {n['norm']: n for n in r['L2']['norms']}['R3.z-route']
assert z['applies'] and z['norm_hours'] == 800
assert r['L1']['substantial_effort']['verdict'] == 'qualifies'
assert r['L3']['substantial_effort']['verdict'] == 'undetermined'
assert r['L2']['substantial_effort']['verdict'] == 'n/a'
"

run report hours
expect_rc 0
expect_out "ATTENDED_MIN"
expect_out "R3.b1-downscale-a2"

# The teacher later hears L3's reason: an edit of the same record.
run attend "$LESSON" --partial L3:90:doctor --note "L3:left for the doctor"
expect_rc 5                        # 'doctor' is not a reason the rules know
run attend "$LESSON" --partial L3:90:ziek --note "L3:left for the doctor"
expect_rc 0
expect_out "R2.excused-reason"
run report hours --learner L3 --json
json_check "assert d[0]['components']['nt2']['excused_absent_minutes'] == 90, d"

# The register holds what the report says (typed tables are SQL).
n="$(sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM attendance")"
[[ "$n" == 3 ]] || fail "attendance rows: $n"

run audit verify
expect_rc 0
expect_out "audit chain verifies:"
run audit log --json
json_check "assert {e['user'] for e in d if e['action'] != 'register.init'} == {'jdevries'}, d"

done_ok
