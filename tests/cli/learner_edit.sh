#!/usr/bin/env bash
# `learner edit`: the admin changes the fields given and no others; bad
# values, a BSN that another learner has, an unknown id and a teacher's
# register change nothing; the audit log names the fields, not their values.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/admin/register.db"
export PRESENTIE_USER=admin1

run init --school "Taalschool De Brug" --brin 25AB
expect_rc 0
run learner add --id L1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B --level B1 --lessons-per-week 3
expect_rc 0
run learner add --id L2 --bsn 123456782 --name "Yonas Tesfay" \
  --category asylum_permit_holder --regime wi2021 --route Z --gemeente 0363
expect_rc 0

# Only the flags given change.
run learner edit L1 --route Z --name "Amina Haddad-Bakr"
expect_rc 0
expect_out_line "L1"
run learner show L1 --json
json_check "
l = d['learner'] if 'learner' in d else d
assert l['route'] == 'Z' and l['name'] == 'Amina Haddad-Bakr', l
assert l['level'] == 'B1' and l['lessons_per_week'] == 3 and l['bsn'] == '111222333', l"
# '' clears an optional field.
run learner edit L1 --lessons-per-week "" --json
expect_rc 0
json_check "assert d['lessons_per_week'] == 0 and d['route'] == 'Z', d"
# The same values again: nothing written.
snapshot "$PRESENTIE_DB" "$WORK/before"
run learner edit L1 --route Z
expect_rc 0
expect_err "nothing changed"
snapshot "$PRESENTIE_DB" "$WORK/after"
expect_same_snapshot "$WORK/before" "$WORK/after"

# Refused: each with a clear error, and the register as it was.
run learner edit L1 --bsn 111222334
expect_rc 5
expect_err "--bsn"
expect_no_err "111222334"
run learner edit L1 --bsn 123456782
expect_rc 7
expect_err "already registered"
run learner edit L2 --gemeente ""
expect_rc 5
expect_err "gemeente"
run learner edit L9 --route B
expect_rc 6
run learner edit L1 --id L7
expect_rc 2
snapshot "$PRESENTIE_DB" "$WORK/after"
expect_same_snapshot "$WORK/before" "$WORK/after"

# The audit log says which fields changed, never to what.
run audit log --json
expect_rc 0
json_check "
s = [e['summary'] for e in d if e['action'] == 'learner.edit']
assert s == [\"learner 'L1' changed: name, route\", \"learner 'L1' changed: lessons_per_week\"], s"
expect_no_out "Haddad-Bakr"

# A teacher's register neither adds nor edits learners (O.roster-owner).
export PRESENTIE_DB="$WORK/teacher/register.db"
run init --school "Taalschool De Brug" --brin 25AB --role teacher
expect_rc 0
run learner add --id L1 --bsn 111222333 --name "Amina Haddad" --category family_migrant --regime wi2021 --route B
expect_rc 9
expect_err "admin"
run learner edit L1 --route Z
expect_rc 9
expect_err "admin"
done_ok
