#!/usr/bin/env bash
# DUO's endpoint: a `presentie serve` of role duo on loopback. The
# school's admin submits this month's DUO rows and syncs with it; the
# endpoint then holds exactly the rows of `export duo`'s file — the same
# numbers, compared row by row —, under the school's scoped keys
# (`<replica>~<key>`), only for the learners R1 routes to DUO, and
# nothing else: no learner, lesson or attendance, no reason, no BSN of an
# asylum permit holder (its store's raw bytes are searched). A later edit goes
# out as a correction: a new version of the month's row, which `status`
# counts apart, and which dominates the first at the endpoint, where both are
# kept. Unchanged rows are not sent again; a teacher cannot submit. DUO
# records an exam result and a learner's duty status at its endpoint (held
# there under the person, `P<n>`); the school pulls them under its learner id.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=admin1

new_device school
# DUO holds the school's learner, lesson and course ids scoped by its replica id.
REP="${REPLICA[school]}"
DUO_DB="$WORK/duo/register.db"
mkdir -p "$WORK/duo" && chmod 700 "$WORK/duo"
write_authority_config "$WORK/duo.json" 0 "$DUO_DB" school duo DUO
start_server "$WORK/duo.json"
write_authority_config "$WORK/duo.json" "$PORT" "$DUO_DB" school duo DUO
URL="http://127.0.0.1:$PORT"

# F1 family migrant (Wi2021), W1 family migrant under Wi2013, O1 other
# migrant: DUO gets their hours. A1 asylum permit holder (Wi2021): it does not.
on school learner add --id F1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B
expect_rc 0
on school learner add --id W1 --bsn 012345672 --name "Li Wei" --category family_migrant --regime wi2013
expect_rc 0
on school learner add --id O1 --bsn 100000009 --name "Sara Ahmadi" \
  --category other_migrant --regime wi2021 --route B
expect_rc 0
on school learner add --id A1 --bsn 123456782 --name "Yonas Tesfay" \
  --category asylum_permit_holder --regime wi2021 --route Z --gemeente 0363
expect_rc 0
on school course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B \
  --start 2026-01-05 --end 2026-12-18 --hours-purchased 400
expect_rc 0
on school course add --id alfa --name "Alfa" --component literacy --regime wi2021 --route Z
expect_rc 0
on school course enroll nt2-a F1 W1 O1 A1
expect_rc 0
on school course enroll alfa F1 A1
expect_rc 0
on school lesson add --course nt2-a --start 2026-11-02T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
L1="$(cat "$OUT")"
on school lesson add --course nt2-a --start 2026-11-09T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
L2="$(cat "$OUT")"
on school lesson add --course alfa --start 2026-11-03T13:00 --minutes 120 --teacher "P. Bakker"
expect_rc 0
L3="$(cat "$OUT")"
on school attend "$L1" --all-present --absent A1:illness --partial O1:90 --remote W1
expect_rc 0
on school attend "$L2" --all-present --absent F1:wedding --note "F1:bruiloft van haar zus"
expect_rc 0
on school attend "$L3" --all-present
expect_rc 0
on school config set bow-number 123456
expect_rc 0

# The admin submits November; a teacher's register cannot.
on school --json submit duo --date 2026-11-30
expect_rc 0
json_check "
assert (d['month'], d['new'], d['changed'], d['unchanged'], d['learners']) == ('2026-11', 4, 0, 0, 3), d
# F1's absence for the wedding, excused by the school; O1's partial absence
# has no reason yet, so it waits; A1's is the gemeente's.
assert (d['absences']['records'], d['absences']['new']) == (1, 1), d"
on school submit duo --date 2026-11-30
expect_rc 0
expect_out "0 new, 0 changed, 4 unchanged"
mkdir -p "$WORK/teacher"
run --db "$WORK/teacher/register.db" init --school "Taalschool De Brug" --brin 25AB --role teacher
expect_rc 0
run --db "$WORK/teacher/register.db" submit duo
expect_rc 9
expect_err "admin"

# Sync with DUO's endpoint: only the DUO rows go.
on school remote add duo "$URL" --token-file "$WORK/school/token"
expect_rc 0
sync_ok school --remote duo
[[ $PUSHED == 5 && $PULLED == 0 ]] ||
  fail "pushed $PUSHED, pulled $PULLED; expected the 4 DUO rows, F1's absence and nothing back"
on school --json status
json_check "
r = d['remotes'][0]
assert r['role'] == 'duo' and r['waiting']['versions'] == 0, r"

# The endpoint holds exactly the file's rows.
on school export duo --date 2026-11-30 --dir "$WORK"
expect_rc 0
compare_with_file() {
  CHECKS=$((CHECKS + 1))
  python3 - "$WORK/123456Aanlevering20261130.csv" "$DUO_DB" <<'PY' || fail "DUO's endpoint does not hold the file's rows"
import sealed, sys
lines = [l for l in open(sys.argv[1], newline='').read().split('\r\n')[1:] if l]
def dutch(d):  # yyyy-mm-dd -> dd-mm-jjjj, as in the file
    return d[8:10] + '-' + d[5:7] + '-' + d[0:4]
db = sealed.connect(sys.argv[2])
held = sorted(';'.join([bsn, kind, dutch(start), dutch(end), str(bought), str(hours), str(ona)])
              for bsn, kind, start, end, bought, hours, ona in db.execute(
                  "SELECT unseal(bsn, 'bsn'), course_type, start_date, end_date, hours_purchased, "
                  "hours_attended, "
                  "ona_hours FROM duo_hours"))
assert held == sorted(lines), (held, lines)
kinds = sorted(k for (k,) in db.execute("SELECT DISTINCT kind FROM versions"))
assert kinds == ['duo_absence', 'duo_hours'], kinds
PY
}
duo_absences() {  # EXPECTED: "learner bsn minutes classification;..."
  CHECKS=$((CHECKS + 1))
  python3 - "$DUO_DB" "$1" <<'PY' || fail "DUO does not hold the absences expected"
import sealed, sys
db = sealed.connect(sys.argv[1])
held = sorted(' '.join(str(v) for v in r) for r in db.execute(
    "SELECT learner_id, unseal(bsn, 'bsn'), minutes_absent, classification FROM duo_absence"))
assert held == sorted(sys.argv[2].split(';')), held
PY
}
duo_absences "$REP~F1 111222333 180 excused"
compare_with_file
python3 - "$WORK/123456Aanlevering20261130.csv" <<'PY' || fail "the file is not what this test expects"
import sys
rows = [l.split(';') for l in open(sys.argv[1], newline='').read().split('\r\n')[1:] if l]
by = {(r[0], r[1]): r for r in rows}
# F1: 3 h (L1) + 0 (L2, absent) in NT2; 2 h in Alfa. O1: 1.5 h -> 1. W1: remote -> 0, then 3.
assert by[('111222333', 'inburgeringscursus')][5] == '3', by
assert by[('111222333', 'alfabetiseringscursus')][5] == '2', by
assert by[('100000009', 'inburgeringscursus')][5] == '4', by
assert by[('012345672', 'inburgeringscursus')][5] == '3', by
assert len(rows) == 4 and not any(r[0] == '123456782' for r in rows), rows
PY
CHECKS=$((CHECKS + 1))

# Nothing the law keeps from DUO is in its store: not the asylum permit
# holder's BSN, no name, no reason, no note (the raw bytes, WAL included).
CHECKS=$((CHECKS + 1))
for secret in 123456782 "Yonas" "Amina" illness wedding bruiloft; do
  if cat "$DUO_DB"* | grep -aq "$secret"; then fail "DUO's store holds '$secret'"; fi
done

# A late edit: F1 was there for L2 after all. The November row changes; DUO
# gets it as a correction, a new version that dominates the one it has.
on school attend "$L2" --present F1
expect_rc 0
on school --json submit duo --date 2026-11-30
json_check "
assert (d['new'], d['changed'], d['unchanged']) == (0, 1, 3), d
assert (d['absences']['changed'], d['absences']['withdrawn']) == (1, 1), d"
on school --json status
json_check "
r = d['remotes'][0]
assert r['waiting']['versions'] == 2 and r['waiting']['corrections'] == 2, r
assert r['waiting']['by_kind'] == [{'kind': 'duo_hours', 'versions': 1, 'corrections': 1},
                                   {'kind': 'duo_absence', 'versions': 1, 'corrections': 1}], r"
sync_ok school --remote duo
[[ $PUSHED == 2 ]] || fail "the corrections: pushed $PUSHED"
duo_absences "$REP~F1 111222333 0 n/a"
on school export duo --date 2026-11-30 --dir "$WORK" --replace
expect_rc 0
compare_with_file
CHECKS=$((CHECKS + 1))
versions="$(sqlite3 "$DUO_DB" "SELECT count(*), sum(live) FROM versions WHERE record_id = 'duo/$REP~F1/$REP~nt2-a/2026-11'")"
[[ "$versions" == "2|1" ]] || fail "DUO holds $versions (versions|live) of F1's November row; expected both, one live"

# A row for December is a new record, not a correction of November's.
on school --json submit duo --date 2026-12-01
json_check "assert (d['month'], d['new'], d['changed']) == ('2026-12', 4, 0), d"
on school --json status
json_check "
w = d['remotes'][0]['waiting']
assert w['versions'] == 4 and w['corrections'] == 0, w"
sync_ok school --remote duo
[[ $PUSHED == 4 ]] || fail "December: pushed $PUSHED"

# DUO sends back an exam result: recorded at its endpoint while
# it serves, pulled by the school, shown read-only. Only DUO records one;
# only for a learner a school sent hours of. DUO holds it under F1's person
# (`P<n>`, as `persons` names the person of F1's BSN), not under F1.
run --db "$DUO_DB" --json persons
expect_rc 0
json_check "assert [p['bsn'] for p in d if p['bsn'] == '111222333'] == ['111222333'], d"
F1_PERSON="$(python3 -c '
import json, sys
(p,) = [p["person"] for p in json.load(open(sys.argv[1])) if p["bsn"] == "111222333"]
assert p[0] == "P" and p[1:].isdigit(), p
print(p)' "$OUT")" || fail "DUO names no person P<n> for F1's BSN"
run --db "$DUO_DB" exams record --bsn 111222333 --exam lezen --level B1 --result passed \
  --date 2026-12-03
expect_rc 0
expect_out "duo/exam/$F1_PERSON/lezen/2026-12-03"
run --db "$DUO_DB" exams record --bsn 123456782 --exam lezen --level B1 --result passed \
  --date 2026-12-03
expect_rc 6  # A1's hours never went to DUO
run --db "$DUO_DB" exams record --bsn 111222333 --exam knm --level B1 --result passed \
  --date 2026-12-03
expect_rc 5  # KNM has no level
on school exams record --bsn 111222333 --exam lezen --level B1 --result passed --date 2026-12-03
expect_rc 9
# More at once from a file: all or nothing, each bad row named.
cat >"$WORK/results.csv" <<'CSV'
bsn,exam,level,result,date
111222333,luisteren,B1,passed,2026-12-04
111222333,knm,B1,failed,2026-12-04
123456782,lezen,B1,passed,2026-12-04
CSV
run --db "$DUO_DB" exams import "$WORK/results.csv"
expect_rc 5
expect_err "results.csv:3: column 'level'"
expect_err "results.csv:4: column 'bsn': no school has sent a record"
expect_err "nothing was imported"
sed -i '4d; s/knm,B1/knm,/' "$WORK/results.csv"
run --db "$DUO_DB" exams import "$WORK/results.csv"
expect_rc 0
expect_out "duo/exam/$F1_PERSON/knm/2026-12-04"
on school exams import "$WORK/results.csv"
expect_rc 9
sync_ok school --remote duo
[[ $PULLED == 3 ]] || fail "the exam results: pulled $PULLED"
on school --json exams list
json_check "
assert sorted((r['exam'], r['level'], r['passed'], r['taken_on']) for r in d) == [
    ('knm', None, False, '2026-12-04'), ('lezen', 'B1', True, '2026-12-03'),
    ('luisteren', 'B1', True, '2026-12-04')], d
assert {r['learner'] for r in d} == {'F1'}, d"

# And DUO's view of F1's integration duty: extended (R4's substantial
# effort is the ground for that). Only DUO records it; an open duty needs
# the end of its term, a fulfilled one has none.
run --db "$DUO_DB" duty record --bsn 111222333 --status extended --term-end 2027-12-31 \
  --date 2026-12-03
expect_rc 0
expect_out_line "duo/duty/$F1_PERSON"
run --db "$DUO_DB" duty record --bsn 111222333 --status fulfilled --term-end 2027-12-31
expect_rc 5
expect_err "term end"
run --db "$DUO_DB" duty record --bsn 123456782 --status fulfilled
expect_rc 6  # A1's hours never went to DUO
on school duty record --bsn 111222333 --status fulfilled
expect_rc 9
sync_ok school --remote duo
[[ $PULLED == 1 ]] || fail "the duty status: pulled $PULLED"
on school --json duty list
json_check "
assert d == [{'learner': 'F1', 'bsn': '111222333', 'status': 'extended',
              'term_end': '2027-12-31', 'decided_on': '2026-12-03'}], d"

on school audit verify
expect_rc 0
run --db "$DUO_DB" audit verify
expect_rc 0
stop_server
done_ok
