#!/usr/bin/env bash
# The conflict queue end to end (docs/rules.md: the merge rules, and R2): two
# teachers' devices and the school admin's record the same lessons offline,
# differently, then sync through a real `presentie serve` hub on loopback. One
# scenario per rule:
#  (a) one device records illness, the other no reason → excused on every
#      register; `explain` names R2.benefit-of-doubt; one open conflict with
#      the same id everywhere, the hub's register too;
#  (b) a notice in advance on one device beats a later absence without a
#      reason on the other → excused by R2.notice-in-advance;
#  (c) a Wi2021 asylum permit holder: the school admin's attempt to classify
#      the absence (`conflicts resolve --classify`) is refused, exit 9, naming
#      O.gemeente-classifies, and nothing is written;
#  (f) a teacher's notice in advance against the admin's concurrent absence
#      with reason 'other' (the admin's version outranks the teacher's,
#      M.authority): the notice still counts → excused by
#      R2.notice-in-advance for a family migrant, and excused as the school's
#      advice for a Wi2021 asylum permit holder (the gemeente decides);
#  (e) present against absent opens a conflict, and `report hours` marks the
#      lesson's minutes as disputed on every register;
#  (d) the admin's resolutions (`--take N` and field options) end every
#      conflict: after sync, `conflicts list` is empty everywhere, the dumps
#      are identical and no minute is disputed any more.
# The gemeente's own decision (R2.gemeente-decision) needs a gemeente
# register, which `init` cannot make: tests/unit/storage/
# convergence_property_test.cc covers it.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries

# new_device_as NAME ROLE: new_device (synclib) for a register of ROLE.
new_device_as() {
  local name="$1" role="$2"
  mkdir -p "$WORK/$name"
  run --db "$(db_of "$name")" --json init --school "Taalschool De Brug" --brin 25AB --role "$role"
  expect_rc 0
  json_check "assert d['role'] == '$role', d"
  REPLICA[$name]="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["replica_id"])' "$OUT")"
  local token
  token="$(head -c 32 /dev/urandom | xxd -p -c 64)"
  (umask 077 && printf '%s\n' "$token" >"$WORK/$name/token")
  TOKEN_SHA[$name]="$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)"
  DEVICES+=("$name")
}

# The server config of synclib admits every device as an admin; the teachers'
# tokens are given the teacher's role.
write_config_roles() {
  write_config "$1" "$2"
  python3 - "$1" <<'PY' || fail "cannot set the roles in $1"
import json, sys
config = json.load(open(sys.argv[1]))
for t in config["tokens"]:
    t["role"] = "admin" if t["name"] == "office" else "teacher"
json.dump(config, open(sys.argv[1], "w"), indent=2)
PY
}

# on_hub ARGS…: a command on the hub's register (read-only commands).
on_hub() {
  run --db "$HUB_DB" "$@"
}

REGISTERS=(t1 t2 office hub)
# on_each NAME ARGS…: `on NAME` for a device, `on_hub` for the hub.
on_each() {
  local name="$1"
  shift
  if [[ "$name" == hub ]]; then on_hub "$@"; else on "$name" "$@"; fi
}

# conflict_of NAME RECORD: prints the id of RECORD's one open conflict on NAME
# (fails unless there is exactly one, and it is open).
conflict_of() {
  on_each "$1" conflicts list --json
  expect_rc 0
  python3 - "$OUT" "$2" <<'PY' || fail "$1: no single open conflict for $2: $(cat "$OUT")"
import json, sys
d = json.load(open(sys.argv[1]))
mine = [c for c in d if c["record"] == sys.argv[2]]
assert len(mine) == 1, mine
assert mine[0]["open"] is True, mine
print(mine[0]["id"])
PY
}

# disputed NAME LEARNER: the learner's disputed minutes in `report hours --json`.
disputed() {
  on_each "$1" report hours --learner "$2" --json
  expect_rc 0
  python3 - "$OUT" "$2" <<'PY' || fail "$1: no disputed_minutes for $2 in: $(cat "$OUT")"
import json, sys
d = json.load(open(sys.argv[1]))
rows = [r for r in d if r["learner"] == sys.argv[2]]
assert len(rows) == 1, d
print(rows[0]["total"]["disputed_minutes"])
PY
}

new_device_as t1 teacher
new_device_as t2 teacher
new_device_as office admin
write_config_roles "$WORK/server.json" 0
start_server "$WORK/server.json"
write_config_roles "$WORK/server.json" "$PORT"
URL="http://127.0.0.1:$PORT"
for d in t1 t2 office; do
  on "$d" remote add hub "$URL" --token-file "$WORK/$d/token"
  expect_rc 0
done

# The office plans: four family migrants and one Wi2021 asylum permit holder
# (the gemeente classifies their absences), a course, one lesson per scenario.
learners_csv "$WORK/learners.csv" F 4 3
sed -i 's/,other_migrant,/,family_migrant,/' "$WORK/learners.csv"
python3 - "$WORK/learners.csv" <<'PY'
import sys
# A BSN of its own block (elfproef), for the asylum permit holder.
k = 9 * 100000
while True:
    k += 1
    digits = [int(c) for c in f"{10000000 + k:08d}"]
    s = sum(w * d for w, d in zip(range(9, 1, -1), digits)) % 11
    if s != 10:
        break
bsn = "".join(map(str, digits)) + str(s)
rows = open(sys.argv[1]).read().splitlines()
rows[0] += ",gemeente"
rows = [rows[0]] + [r + "," for r in rows[1:]]
rows.append(f"A1,{bsn},Yonas Tesfay,asylum_permit_holder,wi2021,B,B1,0363")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
on office learner import "$WORK/learners.csv"
expect_rc 0
on office course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on office course enroll nt2-a F1 F2 F3 F4 A1
expect_rc 0
declare -A LESSON=()
day=2
for s in a b c e f; do
  on office lesson add --course nt2-a --start "2026-12-0${day}T09:00" --minutes 180 --teacher "J. de Vries"
  expect_rc 0
  LESSON[$s]="$(cat "$OUT")"
  day=$((day + 1))
done
sync_ok office
for d in t1 t2; do
  sync_ok "$d"
  on "$d" lesson list --json
  json_check "assert len(d) == 5, d"
done

# Offline: the server is down while the teachers record the same lessons.
stop_server
A_REC="${LESSON[a]}/F1"
B_REC="${LESSON[b]}/F2"
C_REC="${LESSON[c]}/A1"
E_REC="${LESSON[e]}/F3"
# (a) illness on one device, no reason on the other.
on t1 attend "${LESSON[a]}" --absent F1:illness
expect_rc 0
on t2 attend "${LESSON[a]}" --absent F1
expect_rc 0
# (b) a notice in advance, then (later, on the other device) no reason.
on t1 attend "${LESSON[b]}" --notified F2
expect_rc 0
# "Later" is t2's stamp. The CLI takes no clock to inject (only the Store's
# options, for unit tests, do), so wait until the wall clock has passed the
# wall time of t1's stamp (hlc >> 16, in ms), and check that t2's is later.
stamp_of() { sqlite3 "$(db_of "$1")" "SELECT max(hlc) FROM versions WHERE record_id = '$2'"; }
T1_STAMP="$(stamp_of t1 "$B_REC")"
[[ -n "$T1_STAMP" ]] || fail "t1 holds no version of $B_REC"
wall_clock_past() { (($(date +%s%3N) > $1)); }
wait_until 5 "the wall clock to pass t1's stamp of $B_REC" wall_clock_past $((T1_STAMP >> 16))
on t2 attend "${LESSON[b]}" --absent F2
expect_rc 0
CHECKS=$((CHECKS + 1))
(($(stamp_of t2 "$B_REC") > T1_STAMP)) || fail "t2's absence of $B_REC is not stamped later than t1's notice"
# (c) the asylum permit holder's absence, with different reasons.
on t1 attend "${LESSON[c]}" --absent A1:other
expect_rc 0
on t2 attend "${LESSON[c]}" --absent A1:illness
expect_rc 0
# (e) present on one device, absent on the other.
on t1 attend "${LESSON[e]}" --present F3
expect_rc 0
on t2 attend "${LESSON[e]}" --absent F3:illness
expect_rc 0

# (f) the teacher took the calls; the admin, not having seen that, recorded
# the same absences with reason 'other'.
F_REC="${LESSON[f]}/F1"
FA_REC="${LESSON[f]}/A1"
on t1 attend "${LESSON[f]}" --notified F1 --notified A1
expect_rc 0
on office attend "${LESSON[f]}" --absent F1:other --absent A1:other
expect_rc 0

# Back online: t1, t2, office, then t1 and t2 again, so that everyone has
# everything (the office recorded attendance too: (f)).
start_server "$WORK/server.json"
sync_ok t1
sync_ok t2
sync_ok office
sync_ok t1
sync_ok t2
for d in t1 t2 office; do dump "$d" "$WORK/$d.dump"; done
dump_hub "$WORK/hub.dump"
for r in t2 office hub; do expect_same_dump "$WORK/t1.dump" "$WORK/$r.dump"; done

# (a) The same one conflict everywhere; excused; the rule that chose the
# reason is the benefit of the doubt.
A_ID="$(conflict_of t1 "$A_REC")"
for r in "${REGISTERS[@]}"; do
  [[ "$(conflict_of "$r" "$A_REC")" == "$A_ID" ]] || fail "$r names conflict $A_REC otherwise than t1 ($A_ID)"
  on_each "$r" explain "$A_REC" --json
  expect_rc 0
  json_check "
assert d['shown']['status'] == 'absent', d['shown']
assert d['classification']['value'] == 'excused', d['classification']
assert d['rules']['absence']['rule'] == 'R2.benefit-of-doubt', d['rules']
assert d['conflict'] == '$A_ID', d['conflict']
assert 'absence' in d['conflict_kinds'], d['conflict_kinds']
assert d['versions'] == 2 and len(d['siblings']) == 2, d['siblings']
assert sorted(s['value']['reason'] for s in d['siblings']) == ['illness', 'none'], d['siblings']"
  on_each "$r" explain "$A_REC"
  expect_rc 0
  expect_out "R2.benefit-of-doubt"
  expect_out "excused"
done
on office conflicts list --json
json_check "
a = [c for c in d if c['record'] == '$A_REC']
assert a[0]['kinds'] == ['absence'], a
assert all('reason' not in c['shown'] and 'note' not in c['shown'] for c in d), d"

# (b) The notice in advance wins.
B_ID="$(conflict_of office "$B_REC")"
for r in "${REGISTERS[@]}"; do
  [[ "$(conflict_of "$r" "$B_REC")" == "$B_ID" ]] || fail "$r names conflict $B_REC otherwise"
  on_each "$r" explain "$B_REC" --json
  expect_rc 0
  json_check "
assert d['shown']['notified'] is True, d['shown']
assert d['classification']['value'] == 'excused', d['classification']
assert d['classification']['rule'] == 'R2.notice-in-advance', d['classification']
assert d['rules']['absence']['rule'] == 'R2.notice-in-advance', d['rules']"
done

# (f) The admin's reason is shown, but the teacher's notice counts: excused,
# on every register (the gemeente's decision would still win for A1).
F_ID="$(conflict_of office "$F_REC")"
FA_ID="$(conflict_of office "$FA_REC")"
for r in "${REGISTERS[@]}"; do
  on_each "$r" explain "$F_REC" --json
  expect_rc 0
  json_check "
assert d['shown']['notified'] is True and d['shown']['reason'] == 'other', d['shown']
assert d['classification']['value'] == 'excused', d['classification']
assert d['classification']['rule'] == 'R2.notice-in-advance', d['classification']
assert d['rules']['absence']['rule'] == 'R2.notice-in-advance', d['rules']"
  on_each "$r" explain "$F_REC"
  expect_rc 0
  expect_out "excused"
  on_each "$r" explain "$FA_REC" --json
  expect_rc 0
  json_check "
assert d['shown']['notified'] is True, d['shown']
c = d['classification']
assert c['value'] == 'excused' and c['rule'] == 'R2.notice-in-advance', c
assert c['authority'] == 'gemeente' and c['advisory'] is True, c"
done

# (c) The gemeente classifies the asylum permit holder's absences: the school
# admin cannot, and nothing is written.
C_ID="$(conflict_of office "$C_REC")"
on office explain "$C_REC" --json
expect_rc 0
json_check "
c = d['classification']
assert c['authority'] == 'gemeente' and c['advisory'] is True, c"
snapshot "$(db_of office)" "$WORK/office.before"
on office conflicts resolve "$C_ID" --reason "the learner showed a doctor's note" --classify excused
expect_rc 9
expect_err "O.gemeente-classifies"
expect_empty_out
snapshot "$(db_of office)" "$WORK/office.after"
expect_same_snapshot "$WORK/office.before" "$WORK/office.after"
[[ "$(conflict_of office "$C_REC")" == "$C_ID" ]] || fail "the refused resolution changed conflict $C_ID"
# A teacher's register cannot resolve at all.
on t1 conflicts resolve "$C_ID" --reason "x" --take 1
expect_rc 9

# (e) Present against absent: the lesson's minutes are disputed everywhere.
E_ID="$(conflict_of office "$E_REC")"
for r in "${REGISTERS[@]}"; do
  [[ "$(conflict_of "$r" "$E_REC")" == "$E_ID" ]] || fail "$r names conflict $E_REC otherwise"
  on_each "$r" conflicts show "$E_ID" --json
  expect_rc 0
  json_check "assert 'presence' in d['kinds'], d['kinds']"
  m="$(disputed "$r" F3)"
  [[ "$m" -gt 0 ]] || fail "$r: disputed_minutes of F3 is $m, expected > 0"
  m="$(disputed "$r" F4)"
  [[ "$m" == 0 ]] || fail "$r: disputed_minutes of F4 (no record) is $m"
done

# (d) The admin resolves every conflict; after sync none is open anywhere.
on office conflicts show "$A_ID" --json
expect_rc 0
TAKE_ILL="$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print([s["n"] for s in d["siblings"] if s["value"]["reason"] == "illness"][0])' "$OUT")"
on office conflicts resolve "$A_ID" --reason "phoned in sick" --take "$TAKE_ILL"
expect_rc 0
expect_out "$A_ID"
on office conflicts resolve "$B_ID" --reason "notified by e-mail" --absence-reason other --notice
expect_rc 0
on office conflicts resolve "$C_ID" --reason "the learner was ill" --take 1
expect_rc 0
on office conflicts resolve "$F_ID" --reason "the learner called the teacher" --notice
expect_rc 0
on office conflicts resolve "$FA_ID" --reason "the learner called the teacher" --notice
expect_rc 0
on office conflicts resolve "$E_ID" --reason "the register was signed" --status present --json
expect_rc 0
json_check "
assert d['resolved'] == '$E_ID', d
assert d['value']['status'] == 'present' and d['value']['minutes'] == 180, d['value']"
on office conflicts resolve "$E_ID" --reason "twice" --status present
expect_rc 1
on office conflicts list --json
json_check "assert d == [], d"
sync_ok office
sync_ok t1
sync_ok t2
for d in t1 t2 office; do dump "$d" "$WORK/$d.dump"; done
dump_hub "$WORK/hub.dump"
for r in t2 office hub; do expect_same_dump "$WORK/t1.dump" "$WORK/$r.dump"; done
grep -q '^conflicts: 0 open$' "$WORK/t1.dump" || fail "the dump has open conflicts: $(grep '^conflict' "$WORK/t1.dump")"
for r in "${REGISTERS[@]}"; do
  on_each "$r" conflicts list --json
  expect_rc 0
  json_check "assert d == [], d"
  on_each "$r" conflicts list --all --json
  expect_rc 0
  json_check "
closed = sorted(c['id'] for c in d if not c['open'])
assert closed == sorted(['$A_ID', '$B_ID', '$C_ID', '$E_ID', '$F_ID', '$FA_ID']), d"
  m="$(disputed "$r" F3)"
  [[ "$m" == 0 ]] || fail "$r: disputed_minutes of F3 is $m after the resolution"
  on_each "$r" explain "$A_REC" --json
  json_check "
assert d['conflict'] is None, d['conflict']
assert d['shown']['reason'] == 'illness' and d['classification']['value'] == 'excused', d
assert d['versions'] == 1, d['versions']"
  on_each "$r" explain "$B_REC" --json
  json_check "
assert d['shown']['notified'] is True and d['shown']['reason'] == 'other', d['shown']
assert d['classification']['rule'] == 'R2.notice-in-advance', d['classification']"
  on_each "$r" explain "$E_REC" --json
  json_check "assert d['shown']['status'] == 'present', d['shown']"
  on_each "$r" explain "$F_REC" --json
  json_check "
assert d['shown']['notified'] is True and d['classification']['value'] == 'excused', d"
done
# The reason of a resolution stays on the register where it was made.
on office explain "$A_REC" --json
json_check "assert d['resolution_reason'] == 'phoned in sick', d['resolution_reason']"
on t1 explain "$A_REC" --json
json_check "assert d['resolution_reason'] is None, d['resolution_reason']"
! grep -q 'phoned in sick' "$WORK/hub.dump" || fail "a resolution's reason reached the hub"
for d in t1 t2 office; do
  on "$d" audit verify
  expect_rc 0
done
on office audit log --json
json_check "assert sum(1 for e in d if e['action'] == 'conflict.resolve') == 6, [e['action'] for e in d]"

stop_server
done_ok
