#!/usr/bin/env bash
# Blik op Werk's endpoint: a `presentie serve` of role bow on
# loopback. The admin keeps the teachers' qualifications (add, and a CSV
# import that is all or nothing), submits, and syncs. BoW then holds the
# planning of exactly the B1-route, Z-route and Wi2013 courses — not the
# onderwijsroute's — and the qualifications of exactly the teachers who give
# those courses, checked record by record in its store (course and
# qualification ids scoped by the school, `<replica>~<key>`); and nothing about a
# learner (its raw bytes are searched for every BSN, name and reason). A
# later lesson goes out as a correction; a teacher's device cannot keep
# qualifications; BoW's endpoint refuses what R1 does not route to it and
# sends nothing back.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=admin1

new_device school
# BoW holds the school's course and qualification ids scoped by its replica id.
REP="${REPLICA[school]}"
BOW_DB="$WORK/bow/register.db"
mkdir -p "$WORK/bow" && chmod 700 "$WORK/bow"
write_authority_config "$WORK/bow.json" 0 "$BOW_DB" school bow "Blik op Werk"
start_server "$WORK/bow.json"
URL="http://127.0.0.1:$PORT"

on school learner add --id F1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B
expect_rc 0
on school learner add --id A1 --bsn 123456782 --name "Yonas Tesfay" \
  --category asylum_permit_holder --regime wi2021 --route O --gemeente 0363
expect_rc 0
on school learner add --id W1 --bsn 012345672 --name "Li Wei" --category family_migrant --regime wi2013
expect_rc 0
# A course of every route: B1, Z, the onderwijsroute, and one under Wi2013.
on school course add --id b1 --name "NT2 B1" --component nt2 --regime wi2021 --route B \
  --start 2026-09-01 --end 2027-06-30
expect_rc 0
on school course add --id z --name "Alfa Z" --component literacy --regime wi2021 --route Z
expect_rc 0
on school course add --id o --name "Taalschakel" --component nt2 --regime wi2021 --route O
expect_rc 0
on school course add --id w13 --name "KNM oud" --component knm --regime wi2013
expect_rc 0
on school course enroll b1 F1
expect_rc 0
on school course enroll o A1
expect_rc 0
on school course enroll w13 W1
expect_rc 0
lesson() {  # COURSE START MINUTES TEACHER
  on school lesson add --course "$1" --start "$2" --minutes "$3" --teacher "$4"
  expect_rc 0
  cat "$OUT"
}
B1a="$(lesson b1 2026-11-02T09:00 180 "J. de Vries")"
lesson b1 2026-11-04T09:00 120 "P. Bakker" >/dev/null
lesson z 2026-11-03T13:00 120 "P. Bakker" >/dev/null
lesson z 2026-11-10T13:00 120 "P. Bakker" >/dev/null
O1="$(lesson o 2026-11-05T09:00 180 "K. Smit")"
lesson w13 2026-11-06T09:00 90 "M. Jansen" >/dev/null
on school attend "$B1a" --all-present --absent F1:illness --note "F1:griep"
expect_rc 0
on school attend "$O1" --all-present --absent A1:funeral
expect_rc 0

# Qualifications: one added by hand, the rest imported. A CSV with one bad
# row imports nothing and names the line and the column.
on school qualification add --teacher "J. de Vries" --component nt2 \
  --title "Post-hbo NT2-docent" --obtained 2015-06-30
expect_rc 0
expect_out "j-de-vries.nt2"
cat >"$WORK/quals.csv" <<'CSV'
teacher,component,title,obtained
P. Bakker,literacy,Docent alfabetisering (LOWAN),2018-02-01
K. Smit,nt2,Lerarenopleiding NT2,2019-07-01
M. Jansen,knm,Training KNM,2020-13-01
CSV
on school qualification import "$WORK/quals.csv"
expect_rc 5
expect_err "quals.csv:4: column 'obtained'"
expect_err "nothing was imported"
on school --json qualification list
json_check "assert [q['id'] for q in d] == ['j-de-vries.nt2'], d"
sed -i 's/2020-13-01/2020-03-01/' "$WORK/quals.csv"
on school --json qualification import "$WORK/quals.csv"
expect_rc 0
json_check "assert (d['new'], d['ids']) == (3, ['p-bakker.literacy', 'k-smit.nt2', 'm-jansen.knm']), d"
on school qualification import "$WORK/quals.csv"
expect_rc 0
expect_err "0 new, 0 changed, 3 unchanged"

# A teacher's register neither keeps qualifications nor submits.
mkdir -p "$WORK/teacher"
run --db "$WORK/teacher/register.db" init --school "Taalschool De Brug" --brin 25AB --role teacher
expect_rc 0
run --db "$WORK/teacher/register.db" qualification add --teacher "X" --component nt2 \
  --title "T" --obtained 2020-01-01
expect_rc 9
expect_err "admin"
run --db "$WORK/teacher/register.db" submit bow
expect_rc 9

# The admin submits: three courses (b1, z, w13), not the onderwijsroute's;
# the qualifications of their teachers, not K. Smit's (who gives only o).
on school --json submit bow
expect_rc 0
json_check "
assert (d['courses'], d['courses_not_for_bow']) == (3, 1), d
assert d['planning'] == {'new': 3, 'changed': 0, 'unchanged': 0}, d
assert (d['qualifications']['records'], d['qualifications']['new']) == (3, 3), d"
on school submit bow
expect_rc 0
expect_out "0 new, 0 changed, 3 unchanged"

on school remote add bow "$URL" --token-file "$WORK/school/token"
expect_rc 0
sync_ok school --remote bow
[[ $PUSHED == 6 && $PULLED == 0 ]] ||
  fail "pushed $PUSHED, pulled $PULLED; expected 3 plannings, 3 qualifications and nothing back"
on school --json status
json_check "
r = d['remotes'][0]
assert r['role'] == 'bow' and r['waiting']['versions'] == 0, r"

# BoW's store, record by record: exactly R1's set.
bow_holds() {  # EXPECTED_PLANNING EXPECTED_QUALIFICATIONS (";"-separated rows)
  CHECKS=$((CHECKS + 1))
  python3 - "$BOW_DB" "$1" "$2" <<'PY' || fail "BoW's endpoint does not hold what R1 gives it"
import sealed, sys
db = sealed.connect(sys.argv[1])
planning = sorted('|'.join(str(v) for v in r) for r in db.execute(
    "SELECT course_id, regime, route, start_date, end_date, lessons, planned_minutes, "
    "replace(unseal(teachers, 'teachers'), char(10), ',') FROM bow_planning"))
assert planning == sorted(sys.argv[2].split(';')), planning
quals = sorted('|'.join(r) for r in db.execute(
    "SELECT qualification_id, unseal(teacher, 'teacher'), component, title, obtained "
    "FROM bow_qualification"))
assert quals == sorted(sys.argv[3].split(';')), quals
kinds = sorted(k for (k,) in db.execute("SELECT DISTINCT kind FROM versions"))
assert kinds == ['bow_planning', 'bow_qualification'], kinds
for table in ('learner', 'lesson', 'attendance', 'course', 'qualification', 'duo_hours',
              'gemeente_hours', 'gemeente_absence'):
    n = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    assert n == 0, (table, n)
PY
}
bow_holds "$REP~b1|wi2021|B|2026-09-01|2027-06-30|2|300|J. de Vries,P. Bakker;$REP~z|wi2021|Z|2026-11-03|2026-11-10|2|240|P. Bakker;$REP~w13|wi2013||2026-11-06|2026-11-06|1|90|M. Jansen" \
  "$REP~j-de-vries.nt2|J. de Vries|nt2|Post-hbo NT2-docent|2015-06-30;$REP~p-bakker.literacy|P. Bakker|literacy|Docent alfabetisering (LOWAN)|2018-02-01;$REP~m-jansen.knm|M. Jansen|knm|Training KNM|2020-03-01"

# Nothing about a learner, nor the onderwijsroute's course or teacher, is
# in BoW's store (the raw bytes, WAL included).
CHECKS=$((CHECKS + 1))
for secret in 111222333 123456782 012345672 Amina Yonas "Li Wei" illness funeral griep \
  Taalschakel "K. Smit" "Lerarenopleiding"; do
  if cat "$BOW_DB"* | grep -aq "$secret"; then fail "BoW's store holds '$secret'"; fi
done
# The teachers' names it does hold are sealed there, as in the school's.
CHECKS=$((CHECKS + 1))
for name in "J. de Vries" "P. Bakker" "M. Jansen"; do
  for db in "$BOW_DB" "$(db_of school)"; do
    if cat "$db"* | grep -aq "$name"; then fail "'$name' is in the clear in $db"; fi
  done
done
run --db "$BOW_DB" --json bow list
expect_rc 0
json_check "
assert [p['course'] for p in d['planning']] == ['$REP~b1', '$REP~w13', '$REP~z'], d
assert len(d['qualifications']) == 3, d"

# A later lesson changes b1's planning: a correction, sent as a new version
# that dominates the first at BoW, where both are kept.
lesson b1 2026-11-11T09:00 180 "J. de Vries" >/dev/null
on school --json submit bow
json_check "assert d['planning'] == {'new': 0, 'changed': 1, 'unchanged': 2}, d"
on school --json status
json_check "
w = d['remotes'][0]['waiting']
assert w['versions'] == 1 and w['corrections'] == 1, w"
sync_ok school --remote bow
[[ $PUSHED == 1 ]] || fail "the correction: pushed $PUSHED"
CHECKS=$((CHECKS + 1))
versions="$(sqlite3 "$BOW_DB" "SELECT count(*), sum(live) FROM versions WHERE record_id = 'bow/planning/$REP~b1'")"
[[ "$versions" == "2|1" ]] || fail "BoW holds $versions (versions|live) of b1's planning; expected both, one live"
CHECKS=$((CHECKS + 1))
[[ "$(sqlite3 "$BOW_DB" "SELECT lessons, planned_minutes FROM bow_planning WHERE course_id = '$REP~b1'")" == "3|480" ]] ||
  fail "BoW does not show b1's corrected planning"

on school audit verify
expect_rc 0
run --db "$BOW_DB" audit verify
expect_rc 0
stop_server
done_ok
