#!/usr/bin/env bash
# Many schools at one authority (docs/authorities.md, "Many schools"): three
# schools A, B and C sync with the same four endpoints — DUO, gemeente 0363,
# gemeente 0518 and Blik op Werk — each a real `presentie serve` on
# loopback, all serving at once. The schools chose colliding keys: A and B
# each have a learner L2 (two different people, asylum permit holders of
# 0363) and a learner L3 (two family migrants), the same course `nt2` and so
# the same lesson ids, the same contract and invoice numbers, a
# qualification of the same key. And one person moved: A's L3 is C's X9
# (same BSN), A's L4 is C's X4 (a resident of 0518).
#
# Each endpoint holds a school's records under its scoped keys
# (`<replica>~<key>`) and each person once (`persons`, and its `person`
# table), under `P<n>`; what an authority writes (a decision, a PIP, NAW
# data, an exam result, a duty status) reaches exactly the schools it is
# about, each under its own learner id: A's L2's PIP and name go to A and
# not to B, a decision on B's L2 absence to B and not to A, the moved
# persons' PIP, NAW, exam result and duty to both A and C. No school then
# holds another school's person: its lists and its register (unsealed, and
# raw) are searched for their names, BSNs and addresses, and for a scoped key.
# At DUO and at 0518 the moved persons' hours are both schools' together.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=admin1

# --- Helpers --------------------------------------------------------------

# Every check runs a python3: resolved once here, past a version manager's
# shim (pyenv's costs more than the check itself).
PYTHON3="$(python3 -c 'import sys; print(sys.executable)')"
python3() { "$PYTHON3" "$@"; }

# The endpoints serve at once: start_server holds one server, so each is
# kept here by name once started, and killed with the rest on any exit.
declare -A EP_PID=()
declare -A EP_URL=()
kill_endpoints_then_cleanup() {
  local rc=$? pid
  set +e
  for pid in "${EP_PID[@]}"; do
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  (exit "$rc")
  cleanup
}
trap kill_endpoints_then_cleanup EXIT

# serve_endpoint NAME ROLE TITLE [CODE]: an authority's endpoint with its
# register at $WORK/NAME/register.db, admitting every school's admin token.
serve_endpoint() {
  local name="$1" role="$2" title="$3" code="${4:-}" s tokens=()
  for s in "${DEVICES[@]}"; do tokens+=("$s:${TOKEN_SHA[$s]}:${REPLICA[$s]}"); done
  mkdir -p "$WORK/$name" && chmod 700 "$WORK/$name"
  python3 - "$WORK/$name.json" "$WORK/$name/register.db" "$role" "$title" "$code" \
    "${tokens[@]}" <<'PY' || fail "cannot write $name's config"
import json, sys
file, db, role, name, code, *tokens = sys.argv[1:]
config = {"role": role, "listen_host": "127.0.0.1", "port": 0, "register_path": db,
          "school_name": name, "tokens": [
              {"name": f"school-{n}-admin", "token_sha256": sha, "replica_id": replica,
               "role": "admin"} for n, sha, replica in (t.split(":") for t in tokens)]}
if code:
    config["gemeente_code"] = code
json.dump(config, open(file, "w"), indent=2)
PY
  # start_server's server writes this log from the background; made here so
  # that its first look for "listening on" finds a file.
  : >"$WORK/server$((SERVER_LOG_N + 1)).log"
  start_server "$WORK/$name.json"
  EP_PID[$name]=$SERVER_PID
  EP_URL[$name]="http://127.0.0.1:$PORT"
  SERVER_PID=""
}
stop_endpoint() {
  SERVER_PID="${EP_PID[$1]}"
  unset "EP_PID[$1]"
  stop_server
}
ep_db() { echo "$WORK/$1/register.db"; }
# at ENDPOINT ARGS…: a command on the endpoint's register, while it serves.
at() {
  local ep="$1"
  shift
  run --db "$(ep_db "$ep")" "$@"
}

# expect_out_is REGEX: stdout is one line, matching REGEX whole (an id printed).
expect_out_is() {
  CHECKS=$((CHECKS + 1))
  if ! grep -qxE -- "$1" "$OUT" || [[ $(wc -l <"$OUT") != 1 ]]; then
    fail "stdout of \`$LAST_CMD\` is not one line matching $1"
  fi
}

# sync_expect SCHOOL ENDPOINT PUSHED PULLED: one sync, and what it moved.
sync_expect() {
  sync_ok "$1" --remote "$2"
  CHECKS=$((CHECKS + 1))
  [[ $PUSHED == "$3" && $PULLED == "$4" ]] ||
    fail "school $1 with $2: pushed $PUSHED, pulled $PULLED; expected $3 and $4"
}

# lesson SCHOOL START MINUTES TEACHER: a lesson of the school's course nt2;
# prints its id (the same id at every school for the same start).
lesson() {
  on "$1" lesson add --course nt2 --start "$2" --minutes "$3" --teacher "$4"
  expect_rc 0
  cat "$OUT"
}

# hours_in_file FILE BSN COLUMN: the hours of that BSN in an export's CSV
# (`;`-separated, CRLF, a header), summed over its rows.
hours_in_file() {
  python3 - "$1" "$2" "$3" <<'PY' || fail "cannot read $1"
import sys
lines = [l for l in open(sys.argv[1], newline='').read().split('\r\n')[1:] if l]
print(sum(int(l.split(';')[int(sys.argv[3])]) for l in lines if l.split(';')[0] == sys.argv[2]))
PY
}

# --- Three schools ---------------------------------------------------------

new_device A
new_device B
new_device C
REP_A="${REPLICA[A]}"
REP_B="${REPLICA[B]}"
REP_C="${REPLICA[C]}"
REPS=("$REP_A" "$REP_B" "$REP_C")

# Every person here, by BSN and name: who belongs to which school.
#   A: L2 Yonas Tesfay (0363), L3 Amina Haddad, L4 Ayse Ozturk (0518)
#   B: L2 Li Wei (0363), L3 Omar Farouk
#   C: X9 Amina Haddad (A's L3, moved), X4 Ayse Ozturk (A's L4, moved)
on A learner add --id L2 --bsn 123456782 --name "Yonas Tesfay" \
  --category asylum_permit_holder --regime wi2021 --route O --gemeente 0363
expect_rc 0
on A learner add --id L3 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B
expect_rc 0
on A learner add --id L4 --bsn 100000009 --name "Ayse Ozturk" \
  --category asylum_permit_holder --regime wi2021 --route B --gemeente 0518
expect_rc 0
on B learner add --id L2 --bsn 012345672 --name "Li Wei" \
  --category asylum_permit_holder --regime wi2021 --route O --gemeente 0363
expect_rc 0
on B learner add --id L3 --bsn 200000007 --name "Omar Farouk" \
  --category family_migrant --regime wi2021 --route B
expect_rc 0
on C learner add --id X9 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B
expect_rc 0
on C learner add --id X4 --bsn 100000009 --name "Ayse Ozturk" \
  --category asylum_permit_holder --regime wi2021 --route B --gemeente 0518
expect_rc 0

# Each school's course is called nt2; A's and B's lessons fall at the same
# times, so their lesson ids (and absences' ids) are the same too.
for s in A B C; do
  on "$s" config set bow-number 123456
  expect_rc 0
  on "$s" course add --id nt2 --name "NT2 groep $s" --component nt2 --regime wi2021 --route B \
    --start 2026-09-01 --end 2027-06-30 --hours-purchased 400
  expect_rc 0
done
on A course enroll nt2 L2 L3 L4
expect_rc 0
on B course enroll nt2 L2 L3
expect_rc 0
on C course enroll nt2 X9 X4
expect_rc 0

# A (November): L2 ill on the 2nd; L3 at a wedding and L4 ill on the 9th.
LA1="$(lesson A 2026-11-02T09:00 180 "J. de Vries")"
LA2="$(lesson A 2026-11-09T09:00 180 "J. de Vries")"
on A attend "$LA1" --all-present --absent L2:illness
expect_rc 0
on A attend "$LA2" --all-present --absent L3:wedding --absent L4:illness
expect_rc 0
# B: the same lessons' ids; its L2 ill on the 2nd, its L3 at a wedding on the 9th.
LB1="$(lesson B 2026-11-02T09:00 180 "J. de Vries")"
LB2="$(lesson B 2026-11-09T09:00 180 "J. de Vries")"
CHECKS=$((CHECKS + 1))
[[ "$LA1" == "$LB1" && "$LA2" == "$LB2" ]] || fail "A's and B's lesson ids differ: $LA1 $LB1"
on B attend "$LB1" --all-present --absent L2:illness
expect_rc 0
on B attend "$LB2" --all-present --absent L3:wedding
expect_rc 0
# C (December, after the move): X9 at both (5 h); X4 ill on the 7th (2 h).
LC1="$(lesson C 2026-12-07T09:00 180 "K. Smit")"
LC2="$(lesson C 2026-12-14T09:00 120 "K. Smit")"
on C attend "$LC1" --all-present --absent X4:illness
expect_rc 0
on C attend "$LC2" --all-present
expect_rc 0

# --- What each school submits ----------------------------------------------

# DUO: A's November and December (its L3's hours, the same in both: the
# cumulative year), B's November, C's December.
on A --json submit duo --date 2026-11-30
expect_rc 0
json_check "assert (d['new'], d['learners'], d['absences']['new']) == (1, 1, 1), d"
on A --json submit duo --date 2026-12-31
expect_rc 0
json_check "assert d['new'] == 1, d"
on B --json submit duo --date 2026-11-30
expect_rc 0
json_check "assert (d['new'], d['absences']['new']) == (1, 1), d"
on C --json submit duo --date 2026-12-31
expect_rc 0
json_check "assert (d['new'], d['absences']['new']) == (1, 0), d"
# The gemeenten: 0363 from A and B, 0518 from A and (after the move) C.
on A --json submit gemeente --gemeente 0363 --peildatum 2026-11-30
expect_rc 0
json_check "assert (d['rows'], d['new'], d['absences']['new']) == (1, 1, 1), d"
on A --json submit gemeente --gemeente 0518 --peildatum 2026-11-30
expect_rc 0
json_check "assert (d['rows'], d['new'], d['absences']['new']) == (1, 1, 1), d"
on B --json submit gemeente --gemeente 0363 --peildatum 2026-11-30
expect_rc 0
json_check "assert (d['rows'], d['new'], d['absences']['new']) == (1, 1, 1), d"
on C --json submit gemeente --gemeente 0518 --peildatum 2026-12-31
expect_rc 0
json_check "assert (d['rows'], d['new'], d['absences']['new']) == (1, 1, 1), d"

# Contracts to DUO (the L2s' and L3s', and C's X9's), with the same numbers
# at A and B; invoices all numbered F-001; the L2s' bridging diplomas
# (onderwijsroute) to 0363.
for s in A B; do
  on "$s" contract add --number K-001 --learner L2 --signed 2026-08-20 --start 2026-09-01 \
    --end 2027-08-31 --hours 600 --price 0
  expect_rc 0
  on "$s" contract add --number K-002 --learner L3 --signed 2026-08-21 --start 2026-09-01 \
    --end 2027-08-31 --hours 500 --price 5000
  expect_rc 0
  on "$s" invoice add --number F-001 --contract K-002 --date 2026-10-01 --hours 100 --amount 1000
  expect_rc 0
  on "$s" diploma add --learner L2 --date 2027-06-30
  expect_rc 0
  expect_out "gemeente 0363"
done
on C contract add --number K-001 --learner X9 --signed 2026-11-25 --start 2026-12-01 \
  --end 2027-08-31 --hours 300 --price 3100
expect_rc 0
on C invoice add --number F-001 --contract K-001 --date 2026-12-15 --hours 20 --amount 310
expect_rc 0

# Blik op Werk: every school's planning of nt2, and the qualification of its
# teacher; A's and B's J. de Vries are two teachers with one key.
on A qualification add --teacher "J. de Vries" --component nt2 --title "Post-hbo NT2-docent" \
  --obtained 2015-06-30
expect_rc 0
on B qualification add --teacher "J. de Vries" --component nt2 --title "Lerarenopleiding NT2" \
  --obtained 2019-07-01
expect_rc 0
on C qualification add --teacher "K. Smit" --component nt2 --title "Master NT2" \
  --obtained 2021-01-15
expect_rc 0
for s in A B C; do
  on "$s" --json submit bow
  expect_rc 0
  json_check "assert (d['planning']['new'], d['qualifications']['new']) == (1, 1), d"
done

# The figures the schools' own files give, for the persons' hours below:
# each school's latest month (DUO) or reference date (the gemeente).
for s in A B C; do mkdir -p "$WORK/files-$s"; done
on A export duo --date 2026-12-31 --dir "$WORK/files-A"
expect_rc 0
on C export duo --date 2026-12-31 --dir "$WORK/files-C"
expect_rc 0
on B export duo --date 2026-11-30 --dir "$WORK/files-B"
expect_rc 0
on A export gemeente --gemeente 0518 --peildatum 2026-11-30 --dir "$WORK/files-A"
expect_rc 0
on C export gemeente --gemeente 0518 --peildatum 2026-12-31 --dir "$WORK/files-C"
expect_rc 0
AMINA_AT_A="$(hours_in_file "$WORK/files-A/123456Aanlevering20261231.csv" 111222333 5)"
AMINA_AT_C="$(hours_in_file "$WORK/files-C/123456Aanlevering20261231.csv" 111222333 5)"
OMAR_AT_B="$(hours_in_file "$WORK/files-B/123456Aanlevering20261130.csv" 200000007 5)"
AYSE_AT_A="$(hours_in_file "$WORK/files-A/gemeente0518Peildatum20261130.csv" 100000009 3)"
AYSE_AT_C="$(hours_in_file "$WORK/files-C/gemeente0518Peildatum20261231.csv" 100000009 3)"
CHECKS=$((CHECKS + 1))
# Amina: 3 h at A (the 9th missed), 5 h at C; Ayse: 3 h at A, 2 h at C.
[[ "$AMINA_AT_A $AMINA_AT_C $OMAR_AT_B $AYSE_AT_A $AYSE_AT_C" == "3 5 3 3 2" ]] ||
  fail "the schools' files give $AMINA_AT_A $AMINA_AT_C $OMAR_AT_B $AYSE_AT_A $AYSE_AT_C hours"

# --- Four endpoints, three schools ------------------------------------------

serve_endpoint duo duo DUO
serve_endpoint g0363 gemeente "Gemeente Amsterdam" 0363
serve_endpoint g0518 gemeente "Gemeente Utrecht" 0518
serve_endpoint bow bow "Blik op Werk"
for s in A B C; do
  for ep in duo g0363 g0518 bow; do
    on "$s" remote add "$ep" "${EP_URL[$ep]}" --token-file "$WORK/$s/token"
    expect_rc 0
  done
done

# What goes, and nothing comes back yet:
#   A → DUO: 2 hours rows, 1 absence, 2 contracts, 1 invoice;
#   B → DUO: 1 row, 1 absence, 2 contracts, 1 invoice; C → DUO: 1, 0, 1, 1;
#   to a gemeente: a row and an absence each, and to 0363 the diplomas;
#   to BoW: a planning and a qualification each.
sync_expect A duo 6 0
sync_expect B duo 5 0
sync_expect C duo 3 0
sync_expect A g0363 3 0
sync_expect B g0363 3 0
sync_expect A g0518 2 0
sync_expect C g0518 2 0
sync_expect B g0518 0 0
sync_expect C g0363 0 0
for s in A B C; do sync_expect "$s" bow 2 0; done

# --- Each endpoint holds a school's records under the school ---------------

# 0363: two L2s, two absences of the same id at the school, two diplomas.
at g0363 --json absences list
expect_rc 0
json_check "
assert sorted(a['absence'] for a in d) == sorted([
    '$REP_A~$LA1/$REP_A~L2', '$REP_B~$LB1/$REP_B~L2']), d
assert all(a['decision'] is None for a in d), d"
at g0363 --json diploma list
expect_rc 0
json_check "assert sorted(x['learner'] for x in d) == sorted(['$REP_A~L2', '$REP_B~L2']), d"
at g0518 --json absences list
expect_rc 0
json_check "
assert sorted(a['absence'] for a in d) == sorted([
    '$REP_A~$LA2/$REP_A~L4', '$REP_C~$LC1/$REP_C~X4']), d"
# DUO: five contracts of three numbers, three invoices all F-001, each
# school's hours rows and absences under its own keys.
at duo --json contract list
expect_rc 0
json_check "
assert sorted((c['number'], c['learner']) for c in d) == sorted([
    ('$REP_A~K-001', '$REP_A~L2'), ('$REP_A~K-002', '$REP_A~L3'), ('$REP_B~K-001', '$REP_B~L2'),
    ('$REP_B~K-002', '$REP_B~L3'), ('$REP_C~K-001', '$REP_C~X9')]), d"
at duo --json invoice list
expect_rc 0
json_check "
assert sorted((i['number'], i['contract'], i['learner']) for i in d) == sorted([
    ('$REP_A~F-001', '$REP_A~K-002', '$REP_A~L3'), ('$REP_B~F-001', '$REP_B~K-002', '$REP_B~L3'),
    ('$REP_C~F-001', '$REP_C~K-001', '$REP_C~X9')]), d"
CHECKS=$((CHECKS + 1))
python3 - "$(ep_db duo)" <<PY || fail "DUO does not hold each school's rows under its own keys"
import sealed
db = sealed.connect("$(ep_db duo)")
hours = sorted((l, c, a, unseal) for l, c, a, unseal in db.execute(
    "SELECT learner_id, course_id, substr(as_of, 1, 7), unseal(bsn, 'bsn') FROM duo_hours"))
assert hours == sorted([
    ('$REP_A~L3', '$REP_A~nt2', '2026-11', '111222333'),
    ('$REP_A~L3', '$REP_A~nt2', '2026-12', '111222333'),
    ('$REP_B~L3', '$REP_B~nt2', '2026-11', '200000007'),
    ('$REP_C~X9', '$REP_C~nt2', '2026-12', '111222333')]), hours
absences = sorted(db.execute("SELECT lesson_id, learner_id, unseal(bsn, 'bsn') FROM duo_absence"))
assert absences == sorted([('$REP_A~$LA2', '$REP_A~L3', '111222333'),
                           ('$REP_B~$LB2', '$REP_B~L3', '200000007')]), absences
PY
at bow --json bow list
expect_rc 0
json_check "
assert sorted(p['course'] for p in d['planning']) == sorted([
    '$REP_A~nt2', '$REP_B~nt2', '$REP_C~nt2']), d
q = sorted((x['qualification'], x['title']) for x in d['qualifications'])
assert q == sorted([('$REP_A~j-de-vries.nt2', 'Post-hbo NT2-docent'),
                    ('$REP_B~j-de-vries.nt2', 'Lerarenopleiding NT2'),
                    ('$REP_C~k-smit.nt2', 'Master NT2')]), q"

# --- The authorities write, about absences and about persons --------------

# 0363 decides B's L2's absence — by the id its list shows; the school's own
# id names two absences here (A's and B's), so it is refused, naming that.
at g0363 absences decide unexcused "$LB1/L2"
expect_rc 5
expect_err "was sent by 2 schools"
at g0363 --json absences decide unexcused "$REP_B~$LB1/$REP_B~L2" --date 2026-12-01
expect_rc 0
json_check "assert d['new'] == 1, d"
# 0518 decides the moved person's absence at C, not the one at A.
at g0518 absences decide excused "$REP_C~$LC1/$REP_C~X4" --date 2026-12-20
expect_rc 0

# The PIPs and NAW data, set by BSN, written under the person.
at g0363 pip set --bsn 123456782 --route B --level B1 --literacy AA --estimated-hours 600 \
  --lessons-per-week 4 --date 2026-12-02
expect_rc 0
expect_out_is 'gemeente/0363/pip/P[0-9]+'
at g0363 pip set --bsn 012345672 --route Z --level A2 --literacy A --estimated-hours 800 \
  --lessons-per-week 6 --date 2026-12-03
expect_rc 0
at g0363 naw set --bsn 123456782 --name "Yonas Tesfay Gebre" --address "Kerkstraat 12 A" \
  --postcode 1011AB --residence Amsterdam --date 2026-12-02
expect_rc 0
expect_out_is 'gemeente/0363/naw/P[0-9]+'
at g0363 naw set --bsn 012345672 --name "Li Wei Zhang" --address "Dorpsstraat 5" \
  --postcode "1012 CD" --residence Amsterdam --date 2026-12-03
expect_rc 0
at g0518 pip set --bsn 100000009 --route B --level B1 --literacy NVT --estimated-hours 500 \
  --lessons-per-week 3 --date 2026-12-21
expect_rc 0
at g0518 naw set --bsn 100000009 --name "Ayse Ozturk-Yilmaz" --address "Oudegracht 100" \
  --postcode 3511AX --residence Utrecht --date 2026-12-21
expect_rc 0
at g0363 --json pip list
expect_rc 0
json_check "
assert len(d) == 2 and all(p['learner'][0] == 'P' and p['learner'][1:].isdigit() for p in d), d
assert len({p['learner'] for p in d}) == 2, d"
at g0518 --json naw list
expect_rc 0
json_check "assert [n['learner'][0] for n in d] == ['P'] and '~' not in d[0]['learner'], d"

# DUO: the moved person's exam result and duty, and B's L3's exam result.
at duo exams record --bsn 111222333 --exam lezen --level B1 --result passed --date 2026-12-20
expect_rc 0
expect_out_is 'duo/exam/P[0-9]+/lezen/2026-12-20'
at duo exams record --bsn 200000007 --exam luisteren --level B1 --result failed --date 2026-12-20
expect_rc 0
at duo duty record --bsn 111222333 --status extended --term-end 2027-12-31 --date 2026-12-20
expect_rc 0
expect_out_is 'duo/duty/P[0-9]+'
at duo --json exams list
expect_rc 0
json_check "
by = {r['bsn']: r['learner'] for r in d}
assert len(d) == 2 and len(set(by.values())) == 2, d
assert all(k[0] == 'P' and k[1:].isdigit() for k in by.values()), d"

# --- Each school pulls what is about its own people, under its own ids -----

sync_expect A duo 0 2      # L3's exam result and duty
sync_expect B duo 0 1      # its L3's exam result
sync_expect C duo 0 2      # X9's: the same two, under X9
sync_expect A g0363 0 2    # L2's PIP and NAW; not B's L2's decision
sync_expect B g0363 0 3    # its L2's decision, PIP and NAW
sync_expect A g0518 0 2    # L4's PIP and NAW; not the decision about C's absence
sync_expect C g0518 0 3    # X4's decision, PIP and NAW
sync_expect B g0518 0 0
sync_expect C g0363 0 0
for s in A B C; do sync_expect "$s" bow 0 0; done

# A's L2 shows A's L2's plan and name; B's L2 B's.
on A --json learner show L2
expect_rc 0
json_check "
l = d['learner']
assert (l['name'], l['route'], l['level'], l['estimated_hours'], l['lessons_per_week']) == \
    ('Yonas Tesfay Gebre', 'B', 'B1', 600, 4), l
assert d['pip'] == {'gemeente': '0363', 'decided_on': '2026-12-02'}, d
assert (d['naw']['address'], d['naw']['postcode']) == ('Kerkstraat 12 A', '1011AB'), d"
on B --json learner show L2
expect_rc 0
json_check "
l = d['learner']
assert (l['name'], l['route'], l['level'], l['estimated_hours'], l['lessons_per_week']) == \
    ('Li Wei Zhang', 'Z', 'A2', 800, 6), l
assert d['pip'] == {'gemeente': '0363', 'decided_on': '2026-12-03'}, d
assert (d['naw']['address'], d['naw']['postcode']) == ('Dorpsstraat 5', '1012CD'), d"
# The moved person's, at both of her schools under each one's id.
for sl in A:L4 C:X4; do
  on "${sl%%:*}" --json learner show "${sl#*:}"
  expect_rc 0
  json_check "
l = d['learner']
assert (l['name'], l['estimated_hours'], l['lessons_per_week']) == ('Ayse Ozturk-Yilmaz', 500, 3), l
assert d['naw']['residence'] == 'Utrecht' and d['pip']['gemeente'] == '0518', d"
done

# The lists: each school's own learners only, by its own ids.
on A --json pip list
json_check "assert sorted((p['learner'], p['gemeente'], p['route']) for p in d) == [
    ('L2', '0363', 'B'), ('L4', '0518', 'B')], d"
on B --json pip list
json_check "
assert [(p['learner'], p['gemeente'], p['route']) for p in d] == [('L2', '0363', 'Z')], d"
on C --json pip list
json_check "assert [(p['learner'], p['gemeente']) for p in d] == [('X4', '0518')], d"
on A --json naw list
json_check "assert sorted((n['learner'], n['name']) for n in d) == [
    ('L2', 'Yonas Tesfay Gebre'), ('L4', 'Ayse Ozturk-Yilmaz')], d"
on B --json naw list
json_check "assert [(n['learner'], n['name']) for n in d] == [('L2', 'Li Wei Zhang')], d"
on C --json naw list
json_check "assert [(n['learner'], n['name']) for n in d] == [('X4', 'Ayse Ozturk-Yilmaz')], d"
on A --json exams list
json_check "assert [(r['learner'], r['bsn'], r['exam'], r['passed']) for r in d] == [
    ('L3', '111222333', 'lezen', True)], d"
on B --json exams list
json_check "assert [(r['learner'], r['bsn'], r['exam'], r['passed']) for r in d] == [
    ('L3', '200000007', 'luisteren', False)], d"
on C --json exams list
json_check "assert [(r['learner'], r['bsn'], r['exam'], r['passed']) for r in d] == [
    ('X9', '111222333', 'lezen', True)], d"
on A --json duty list
json_check "assert [(r['learner'], r['status'], r['term_end']) for r in d] == [
    ('L3', 'extended', '2027-12-31')], d"
on B --json duty list
json_check "assert d == [], d"
on C --json duty list
json_check "assert [(r['learner'], r['status'], r['term_end']) for r in d] == [
    ('X9', 'extended', '2027-12-31')], d"
# The decisions: B's L2's reached B, not A; C's X4's reached C, not A.
on A --json absences list
json_check "
by = {a['absence']: a['decision'] for a in d}
assert by == {'$LA1/L2': None, '$LA2/L4': None}, by"
on B --json absences list
json_check "
by = {a['absence']: a['decision'] for a in d}
assert by == {'$LB1/L2': 'unexcused'}, by"
on C --json absences list
json_check "
by = {a['absence']: a['decision'] for a in d}
assert by == {'$LC1/X4': 'excused'}, by"
on B explain "$LB1" L2
expect_rc 0
expect_out "R2.gemeente-decision"
on A explain "$LA1" L2
expect_rc 0
expect_no_out "R2.gemeente-decision"

# No school holds another school's person: not in any list it prints, not
# in its register's typed rows or change log once unsealed, not in its raw
# bytes (WAL included); and no scoped key came back to it.
OF_A=(123456782 "Yonas" "Kerkstraat")            # A's alone
OF_B=(012345672 "Li Wei" "Dorpsstraat" 200000007 "Omar Farouk")
OF_MOVED=(111222333 "Amina" 100000009 "Ayse" "Oudegracht")  # A's and C's
holds_none_of() {  # SCHOOL SECRET…
  local s="$1" cmd
  shift
  : >"$WORK/lists-$s"
  for cmd in "learner list" "pip list" "naw list" "exams list" "duty list" "absences list" \
    "contract list" "invoice list" "diploma list" "bow list" "qualification list" "status"; do
    # shellcheck disable=SC2086
    on "$s" --json $cmd
    expect_rc 0
    cat "$OUT" >>"$WORK/lists-$s"
  done
  CHECKS=$((CHECKS + 1))
  python3 - "$(db_of "$s")" "$WORK/lists-$s" "${REPS[@]}" "$@" <<'PY' || fail "$s holds others'"
import glob, sealed, sys
db_path, lists, *rest = sys.argv[1:]
replicas, secrets = rest[:3], rest[3:]
text = open(lists, encoding="utf-8").read()
found = [x for x in secrets if x in text]
assert not found, ("in its lists", found)
assert not any(r + "~" in text for r in replicas), "a scoped key in its lists"
db = sealed.connect(db_path, readonly=True)
key = sealed._aead_key(db_path)
seen = []
for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
    cols = [c[1] for c in db.execute(f"PRAGMA table_info('{table}')")]
    for row in db.execute(f"SELECT * FROM '{table}'"):
        for col, v in zip(cols, row):
            if isinstance(v, bytes):
                seen.append(v.decode("utf-8", "replace"))
            elif isinstance(v, str):
                if v.startswith("s1:"):
                    try:
                        v = sealed.unseal(key, v, col)
                    except ValueError:
                        pass
                seen.append(v)
blob = "\n".join(seen)
found = [x for x in secrets if x in blob]
assert not found, ("in its register", found)
assert not any(r + "~" in blob for r in replicas), "a scoped key in its register"
raw = b"".join(open(f, "rb").read() for f in glob.glob(db_path + "*") if not f.endswith(".key"))
found = [x for x in secrets if x.encode() in raw]
assert not found, ("in its raw bytes", found)
PY
}
holds_none_of A "${OF_B[@]}"
holds_none_of B "${OF_A[@]}" "${OF_MOVED[@]}"
holds_none_of C "${OF_A[@]}" "${OF_B[@]}"

# --- Each person once at each endpoint; the moved persons' hours summed ----

# The endpoints' `person` tables (schema step 14): every BSN a school sent
# there once — at DUO the L2s too, whom only their contracts name — and each
# school's learner linked to the right person (A's L3 and C's X9 one).
# `school_person` may hold the school's key scoped or as the school chose it.
endpoint_persons() {  # ENDPOINT "school:learner=bsn;…"
  CHECKS=$((CHECKS + 1))
  python3 - "$(ep_db "$1")" "$2" "${REPS[@]}" <<'PY' || fail "$1 does not hold each person once"
import sealed, sys
db_path, expected, ra, rb, rc = sys.argv[1:]
replica = {"A": ra, "B": rb, "C": rc}
db = sealed.connect(db_path, readonly=True)
persons = {n: b for n, b in db.execute("SELECT n, unseal(bsn, 'bsn') FROM person")}
assert len(set(persons.values())) == len(persons), persons
want = dict(e.split("=") for e in expected.split(";"))
assert sorted(persons.values()) == sorted(set(want.values())), (persons, want)
links = {}
for school, learner, n in db.execute("SELECT school, learner, person FROM school_person"):
    learner = learner.split("~", 1)[1] if learner.startswith(school + "~") else learner
    links[(school, learner)] = persons[n]
exp = {(replica[k.split(":")[0]], k.split(":")[1]): b for k, b in want.items()}
assert links == exp, (links, exp)
PY
}
endpoint_persons duo "A:L2=123456782;A:L3=111222333;B:L2=012345672;B:L3=200000007;C:X9=111222333"
endpoint_persons g0363 "A:L2=123456782;B:L2=012345672"
endpoint_persons g0518 "A:L4=100000009;C:X4=100000009"

# `persons`: one entry per person with hours there; the moved persons'
# hours are both schools' latest figures together (A's November and
# December rows count once: December's is the year so far).
at duo --json persons
expect_rc 0
json_check "
by = {p['bsn']: (p['schools'], p['hours']) for p in d}
assert len(d) == len(by) == 2, d
assert by == {'111222333': (2, $AMINA_AT_A + $AMINA_AT_C), '200000007': (1, $OMAR_AT_B)}, by
assert all(p['person'][0] == 'P' and p['person'][1:].isdigit() for p in d), d"
PERSONS_DUO="$(cat "$OUT")"
at g0363 --json persons
expect_rc 0
json_check "
by = {p['bsn']: (p['schools'], p['hours']) for p in d}
assert len(d) == 2 and by == {'123456782': (1, 3), '012345672': (1, 3)}, by"
PERSONS_0363="$(cat "$OUT")"
at g0518 --json persons
expect_rc 0
json_check "assert [(p['bsn'], p['schools'], p['hours']) for p in d] == [
    ('100000009', 2, $AYSE_AT_A + $AYSE_AT_C)], d"
# BoW holds no records about persons: the command says so.
at bow persons
expect_rc 1
expect_err "Blik op Werk receives no records about persons"
# What DUO and 0363 wrote is held under the persons `persons` names.
at duo --json exams list
CHECKS=$((CHECKS + 1))
python3 - "$OUT" "$PERSONS_DUO" <<'PY' || fail "DUO's exam results are not under its persons"
import json, sys
exams = json.load(open(sys.argv[1]))
persons = {p["bsn"]: p["person"] for p in json.loads(sys.argv[2])}
assert {r["bsn"]: r["learner"] for r in exams} == persons, (exams, persons)
PY
at g0363 --json pip list
json_check "
persons = {p['person'] for p in $PERSONS_0363}
assert {p['learner'] for p in d} == persons, (d, persons)"

for s in A B C; do
  on "$s" audit verify
  expect_rc 0
done
for ep in duo g0363 g0518 bow; do
  at "$ep" audit verify
  expect_rc 0
  stop_endpoint "$ep"
done
done_ok
