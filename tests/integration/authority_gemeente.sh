#!/usr/bin/env bash
# A gemeente's endpoint: a `presentie serve` of role gemeente for
# CBS code 0363. The school's admin submits the rows of the gemeente's file
# for 0363 and for 0518 and syncs with 0363's endpoint: it receives exactly
# the rows of its own file — compared row by row — and nothing of 0518's
# resident, of the family migrant, or of the school's records: no name, no
# absence reason, no other BSN (its store's raw bytes are searched). With
# them go the facts of each absence of 0363's residents (never the reason).
# The endpoint holds the school's keys scoped (`<replica>~<key>`), and what
# it writes about a person under the person (`P<n>`).
# The gemeente classifies two absences at its endpoint; the school's next sync
# brings the decisions back, and its hours, R4 verdict, explain and file
# follow them. A later edit goes out as corrections that status counts — the
# hours row, and the absence withdrawn — and both versions are kept.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=admin1

new_device school
# The gemeente holds the school's learner and lesson ids scoped by its replica id.
REP="${REPLICA[school]}"
GEM_DB="$WORK/gemeente/register.db"
mkdir -p "$WORK/gemeente" && chmod 700 "$WORK/gemeente"
write_authority_config "$WORK/gemeente.json" 0 "$GEM_DB" school gemeente "Gemeente Amsterdam" 0363
start_server "$WORK/gemeente.json"
write_authority_config "$WORK/gemeente.json" "$PORT" "$GEM_DB" school gemeente "Gemeente Amsterdam" 0363
URL="http://127.0.0.1:$PORT"

# A1 and A3: asylum permit holders of 0363; A2 of 0518; F1 family migrant.
on school learner add --id A1 --bsn 123456782 --name "Yonas Tesfay" \
  --category asylum_permit_holder --regime wi2021 --route Z --gemeente 0363
expect_rc 0
on school learner add --id A3 --bsn 012345672 --name "Li Wei" \
  --category asylum_permit_holder --regime wi2021 --route B --gemeente 0363
expect_rc 0
on school learner add --id A2 --bsn 100000009 --name "Ayse Ozturk" \
  --category asylum_permit_holder --regime wi2021 --route B --gemeente 0518
expect_rc 0
on school learner add --id F1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B
expect_rc 0
on school course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on school course add --id alfa --name "Alfa" --component literacy --regime wi2021 --route Z
expect_rc 0
on school course enroll nt2-a A1 A2 A3 F1
expect_rc 0
on school course enroll alfa A1
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
on school attend "$L1" --all-present --absent A1:illness --notified A3
expect_rc 0
on school attend "$L2" --all-present --absent A3:wedding --note "A3:bruiloft van haar zus"
expect_rc 0
on school attend "$L3" --all-present
expect_rc 0

on school --json submit gemeente --gemeente 0363 --peildatum 2026-11-30
expect_rc 0
json_check "assert (d['rows'], d['new']) == (2, 2), d"
on school --json submit gemeente --gemeente 0518 --peildatum 2026-11-30
expect_rc 0
json_check "assert (d['rows'], d['new']) == (1, 1), d"
on school submit gemeente --gemeente 363 --peildatum 2026-11-30
expect_rc 5

on school remote add gemeente-0363 "$URL" --token-file "$WORK/school/token"
expect_rc 0
on school --json absences list
json_check "assert len(d) == 3 and all(a['decision'] is None for a in d), d"
sync_ok school --remote gemeente-0363
[[ $PUSHED == 5 && $PULLED == 0 ]] ||
  fail "pushed $PUSHED, pulled $PULLED; expected 0363's 2 rows and its residents' 3 absences"
on school --json status
json_check "
r = d['remotes'][0]
assert r['role'] == 'gemeente' and r['waiting']['versions'] == 0, r
assert r['gemeente_code'] == '0363', r"

on school export gemeente --gemeente 0363 --peildatum 2026-11-30 --dir "$WORK"
expect_rc 0
compare_with_file() {
  CHECKS=$((CHECKS + 1))
  python3 - "$WORK/gemeente0363Peildatum20261130.csv" "$GEM_DB" <<'PY' || fail "the gemeente's endpoint does not hold its file's rows"
import sealed, sys
lines = [l for l in open(sys.argv[1], newline='').read().split('\r\n')[1:] if l]
def dutch(d):
    return d[8:10] + '-' + d[5:7] + '-' + d[0:4]
db = sealed.connect(sys.argv[2])
held = sorted(';'.join([bsn, code, dutch(p)] + [str(h) for h in hours])
              for bsn, code, p, *hours in db.execute(
                  "SELECT unseal(bsn, 'bsn'), gemeente_code, peildatum, attended_hours, "
                  "literacy_hours, "
                  "excused_hours, unexcused_hours, unclassified_hours, notified_hours "
                  "FROM gemeente_hours"))
assert held == sorted(lines), (held, lines)
assert len(lines) == 2, lines
kinds = sorted(k for (k,) in db.execute("SELECT DISTINCT kind FROM versions"))
# Its own decisions, once it made some; nothing else of the school's.
assert {'gemeente_absence', 'gemeente_hours'} <= set(kinds) <= \
    {'gemeente_absence', 'gemeente_decision', 'gemeente_hours'}, kinds
PY
}
compare_with_file

# The absences it holds are exactly those of 0363's residents, with their
# facts as the school recorded them.
compare_absences() {  # EXPECTED: "lesson learner bsn start minutes notified;..."
  CHECKS=$((CHECKS + 1))
  python3 - "$GEM_DB" "$1" <<'PY' || fail "the gemeente's endpoint does not hold the absences expected"
import sealed, sys
db = sealed.connect(sys.argv[1])
held = sorted(' '.join(str(v) for v in row) for row in db.execute(
    "SELECT lesson_id, learner_id, unseal(bsn, 'bsn'), lesson_start, minutes_absent, notified_in_advance "
    "FROM gemeente_absence WHERE gemeente_code = '0363'"))
assert held == sorted(sys.argv[2].split(';')), (held, sys.argv[2])
assert db.execute("SELECT count(*) FROM gemeente_absence WHERE gemeente_code != '0363'").fetchone()[0] == 0
PY
}
compare_absences "$REP~$L1 $REP~A1 123456782 2026-11-02T09:00 180 0;$REP~$L1 $REP~A3 012345672 2026-11-02T09:00 180 1;$REP~$L2 $REP~A3 012345672 2026-11-09T09:00 180 0"

# Before the gemeente decides, the school's own view stands as advice: notice
# and a wedding excuse both absences, so A3 qualifies for R4.
on school --json report hours --learner A3
expect_rc 0
json_check "
a = d[0]
assert a['substantial_effort']['verdict'] == 'qualifies', a['substantial_effort']
assert a['components']['nt2']['excused_absent_minutes'] == 360, a['components']"

# The gemeente classifies at its endpoint, while it serves: the notified
# absence excused, the wedding (it never learns the reason) unexcused. It
# names an absence as its list shows it: lesson and learner both scoped.
run --db "$GEM_DB" absences list --undecided
expect_rc 0
expect_out "$REP~$L2/$REP~A3"
run --db "$GEM_DB" absences decide excused "$REP~$L1/$REP~A3"
expect_rc 0
run --db "$GEM_DB" --json absences decide unexcused "$REP~$L2/$REP~A3" --date 2026-12-01
expect_rc 0
json_check "assert d['new'] == 1, d"
# An absence it never received, or a school deciding: refused, nothing written.
run --db "$GEM_DB" absences decide excused "$REP~$L2/$REP~F1" "$REP~$L2/$REP~A3"
expect_rc 6
expect_err "$REP~$L2/$REP~F1"
# The school's own (unscoped) id names the absence too while only one
# school sent one with it: the same decision again changes nothing.
run --db "$GEM_DB" --json absences decide unexcused "$L2/A3" --date 2026-12-01
expect_rc 0
json_check "assert (d['new'], d['changed'], d['unchanged']) == (0, 0, 1), d"
on school absences decide excused "$L2/A3"
expect_rc 9
on school absences decide maybe "$L2/A3"
expect_rc 5

sync_ok school --remote gemeente-0363
[[ $PUSHED == 0 && $PULLED == 2 ]] || fail "pushed $PUSHED, pulled $PULLED; expected the 2 decisions back"
on school --json absences list
json_check "
by = {a['absence']: a['decision'] for a in d}
assert by == {'$L1/A1': None, '$L1/A3': 'excused', '$L2/A3': 'unexcused'}, by"
# The gemeente's decision wins over the school's view (R2), in every report.
on school --json report hours --learner A3
expect_rc 0
json_check "
a = d[0]
assert a['components']['nt2']['excused_absent_minutes'] == 180, a['components']
assert a['components']['nt2']['unexcused_absent_minutes'] == 180, a['components']
assert a['substantial_effort']['verdict'] == 'does_not_qualify', a['substantial_effort']"
on school explain "$L2" A3
expect_rc 0
expect_out "R2.gemeente-decision"
on school --json submit gemeente --gemeente 0363 --peildatum 2026-11-30
expect_rc 0
json_check "assert (d['changed'], d['absences']['unchanged']) == (1, 3), d"
on school export gemeente --gemeente 0363 --peildatum 2026-11-30 --dir "$WORK" --replace
expect_rc 0
CHECKS=$((CHECKS + 1))
grep -q '^012345672;0363;30-11-2026;0;0;3;3;0;0' "$WORK/gemeente0363Peildatum20261130.csv" ||
  fail "A3's line does not count the gemeente's decisions: $(cat "$WORK/gemeente0363Peildatum20261130.csv")"
sync_ok school --remote gemeente-0363
[[ $PUSHED == 1 ]] || fail "A3's corrected row: pushed $PUSHED"
compare_with_file

# Nothing the law keeps from this gemeente is in its store.
CHECKS=$((CHECKS + 1))
for secret in 100000009 111222333 "Yonas" "Li Wei" "Ayse" illness wedding bruiloft \
  excused_reason other_reason; do
  if cat "$GEM_DB"* | grep -aq "$secret"; then fail "the gemeente's store holds '$secret'"; fi
done

# A late edit: A1 was there on the 2nd after all. Only 0363's A1 row
# changes, and A1's absence is withdrawn.
on school attend "$L1" --present A1
expect_rc 0
on school --json submit gemeente --gemeente 0363 --peildatum 2026-11-30
json_check "
assert (d['new'], d['changed'], d['unchanged']) == (0, 1, 1), d
assert (d['absences']['changed'], d['absences']['withdrawn']) == (1, 1), d"
on school --json status
json_check "
w = d['remotes'][0]['waiting']
assert w['by_kind'] == [{'kind': 'gemeente_hours', 'versions': 1, 'corrections': 1},
                        {'kind': 'gemeente_absence', 'versions': 1, 'corrections': 1}], w"
sync_ok school --remote gemeente-0363
[[ $PUSHED == 2 ]] || fail "the corrections: pushed $PUSHED"
compare_absences "$REP~$L1 $REP~A1 123456782 2026-11-02T09:00 0 0;$REP~$L1 $REP~A3 012345672 2026-11-02T09:00 180 1;$REP~$L2 $REP~A3 012345672 2026-11-09T09:00 180 0"
run --db "$GEM_DB" absences decide excused "$REP~$L1/$REP~A1"
expect_rc 1
expect_err "withdrawn"
on school export gemeente --gemeente 0363 --peildatum 2026-11-30 --dir "$WORK" --replace
expect_rc 0
compare_with_file
CHECKS=$((CHECKS + 1))
versions="$(sqlite3 "$GEM_DB" "SELECT count(*), sum(live) FROM versions WHERE record_id = 'gemeente/0363/$REP~A1/2026-11-30'")"
[[ "$versions" == "2|1" ]] || fail "the gemeente holds $versions (versions|live) of A1's row; expected both, one live"

# The gemeente's PIP (R1 inbound: route, intensity and PIP changes): 0363
# sets A1's plan at its endpoint while it serves; the school pulls it and
# shows it over its own values, in learner show and in the norm R3 applies
# (A1 moves from the Z-route to the B1-route). Only a gemeente sets one, only
# for a BSN a school sent it hours of; the school cannot edit it away.
# The endpoint holds the plan under A1's person (`P<n>`, as `persons` names
# the person of A1's BSN), not under A1.
run --db "$GEM_DB" --json persons
expect_rc 0
A1_PERSON="$(python3 -c '
import json, sys
(p,) = [p["person"] for p in json.load(open(sys.argv[1])) if p["bsn"] == "123456782"]
assert p[0] == "P" and p[1:].isdigit(), p
print(p)' "$OUT")" || fail "the gemeente names no person P<n> for A1's BSN"
run --db "$GEM_DB" pip set --bsn 123456782 --route B --level B1 --literacy AA \
  --estimated-hours 600 --lessons-per-week 4 --date 2026-12-02
expect_rc 0
expect_out_line "gemeente/0363/pip/$A1_PERSON"
run --db "$GEM_DB" pip set --bsn 100000009 --route B --level B1
expect_rc 6  # A2 lives in 0518: no hours of A2 came here
run --db "$GEM_DB" pip set --bsn 123456782 --route X --level B1
expect_rc 5
on school pip set --bsn 123456782 --route B --level B1
expect_rc 9
on school --json report hours --learner A1
json_check "
applies = [n['norm'] for n in d[0]['norms'] if n['applies']]
assert (d[0]['route'], applies) == ('Z', ['R3.z-route']), d[0]"
sync_ok school --remote gemeente-0363
[[ $PULLED == 1 ]] || fail "the PIP: pulled $PULLED"
on school --json learner show A1
json_check "
l = d['learner']
assert (l['route'], l['level'], l['literacy'], l['estimated_hours'], l['lessons_per_week']) == \
    ('B', 'B1', 'AA', 600, 4), l
assert d['pip'] == {'gemeente': '0363', 'decided_on': '2026-12-02'}, d"
on school --json report hours --learner A1
json_check "
applies = [n['norm'] for n in d[0]['norms'] if n['applies']]
assert (d[0]['route'], applies) == ('B', ['R3.b1-downscale-a2']), d[0]
assert d[0]['substantial_effort']['verdict'] != 'n/a', d[0]['substantial_effort']"
on school learner edit A1 --route Z
expect_rc 1
expect_err "set by gemeente 0363's PIP"
on school learner edit A1 --name "Yonas T."
expect_rc 0
on school --json learner show A1
json_check "assert (d['learner']['name'], d['learner']['route']) == ('Yonas T.', 'B'), d"
on school --json pip list
json_check "assert [(p['learner'], p['route']) for p in d] == [('A1', 'B')], d"

# Its NAW data (R1 inbound: name, address, residence): set at its endpoint,
# pulled by the school, whose learner show then gives the gemeente's name
# and the address; the school cannot edit that name away. Only a gemeente
# sets it, for a BSN a school sent it hours of.
run --db "$GEM_DB" naw set --bsn 123456782 --name "Yonas Tesfay Gebre" \
  --address "Kerkstraat 12 A" --postcode "1011 ab" --residence Amsterdam --date 2026-12-02
expect_rc 0
expect_out_line "gemeente/0363/naw/$A1_PERSON"
run --db "$GEM_DB" naw set --bsn 123456782 --name "Yonas" --address "Kerkstraat 12" \
  --postcode 0011AB --residence Amsterdam
expect_rc 5
expect_err "--postcode"
run --db "$GEM_DB" naw set --bsn 100000009 --name "X" --address "Y 1" --postcode 1011AB \
  --residence Utrecht
expect_rc 6
on school naw set --bsn 123456782 --name "X" --address "Y 1" --postcode 1011AB --residence Z
expect_rc 9
sync_ok school --remote gemeente-0363
[[ $PULLED == 1 ]] || fail "the NAW data: pulled $PULLED"
on school --json learner show A1
json_check "
assert d['learner']['name'] == 'Yonas Tesfay Gebre', d['learner']
assert d['naw'] == {'gemeente': '0363', 'address': 'Kerkstraat 12 A', 'postcode': '1011AB',
                    'residence': 'Amsterdam', 'decided_on': '2026-12-02'}, d"
on school learner show A1
expect_out "Kerkstraat 12 A, 1011AB Amsterdam (gemeente 0363, 2026-12-02)"
on school learner edit A1 --name "Yonas T."
expect_rc 1
expect_err "set by gemeente 0363's NAW data"
on school --json naw list
json_check "assert [(n['learner'], n['residence']) for n in d] == [('A1', 'Amsterdam')], d"

on school audit verify
expect_rc 0
stop_server

# At rest, the NAW data is sealed in both registers (docs/reliability.md,
# "At-rest encryption"): neither the name nor the address is in the raw
# bytes of either register, its WAL or its shm file.
CHECKS=$((CHECKS + 1))
for f in "$GEM_DB" "$GEM_DB-wal" "$GEM_DB-shm" "$(db_of school)" "$(db_of school)-wal" \
  "$(db_of school)-shm"; do
  [[ -e $f ]] || continue
  if grep -a -q -e "Kerkstraat" -e "Tesfay" -e "123456782" "$f"; then
    fail "a NAW field or a BSN is in the clear in $f"
  fi
done

# The register is bound to the code it was first served as: it holds 0363's
# residents' data, and is not served as another gemeente's endpoint.
run --db "$GEM_DB" --json config show
expect_rc 0
json_check "assert (d['role'], d['gemeente_code']) == ('gemeente', '0363'), d"
write_authority_config "$WORK/gemeente-0518.json" 0 "$GEM_DB" school gemeente "Gemeente Utrecht" 0518
run serve --config "$WORK/gemeente-0518.json"
expect_rc 1
expect_err "holds gemeente 0363's data; it cannot be served as gemeente 0518's endpoint"
done_ok
