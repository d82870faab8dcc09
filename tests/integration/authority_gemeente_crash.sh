#!/usr/bin/env bash
# Crash test of the exchange with a gemeente, its verzuim included
# (docs/reliability.md): week by week the school records a lesson with two
# absences of gemeente 0363's asylum permit holders and submits hours and
# absences; the gemeente decides on every absence it holds that waits for a
# decision; and the sync that pushes the school's records and pulls the
# decisions is SIGKILLed at a random point, client or server (which restarts at
# once on the same register and port). After syncs with no kill: the gemeente
# holds every version the school sent (under the school's scoped keys,
# `<replica>~<key>`), the school every decision the gemeente wrote, none
# twice; every attendance the gemeente decided on shows the gemeente's
# decision at the school; both audit chains verify.
#
# Kill points: PRESENTIE_AUTHORITY_KILL_POINTS, default 30 (12 in the
# sanitizer build).
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=admin1
if [[ "${PRESENTIE_SANITIZED:-0}" == 1 ]]; then
  POINTS="${PRESENTIE_AUTHORITY_KILL_POINTS:-12}"
else
  POINTS="${PRESENTIE_AUTHORITY_KILL_POINTS:-30}"
fi
N=20  # learners

new_device school
# The gemeente holds the school's learner and lesson ids scoped by its replica id.
REP="${REPLICA[school]}"
GEM_DB="$WORK/gemeente/register.db"
mkdir -p "$WORK/gemeente" && chmod 700 "$WORK/gemeente"
write_authority_config "$WORK/gemeente.json" 0 "$GEM_DB" school gemeente "Gemeente Amsterdam" 0363
start_server "$WORK/gemeente.json"
write_authority_config "$WORK/gemeente.json" "$PORT" "$GEM_DB" school gemeente "Gemeente Amsterdam" 0363
on school remote add gemeente "http://127.0.0.1:$PORT" --token-file "$WORK/school/token"
expect_rc 0

learners_csv "$WORK/learners.csv" G "$N" 3
sed -i '1s/$/,gemeente/; 2,$s/,other_migrant,wi2021,B,B1$/,asylum_permit_holder,wi2021,Z,B1,0363/' \
  "$WORK/learners.csv"
on school learner import "$WORK/learners.csv"
expect_rc 0
on school course add --id alfa-z --name "Z-route" --component nt2 --regime wi2021 --route Z
expect_rc 0
on school course enroll alfa-z $(seq -f 'G%g' 1 "$N")
expect_rc 0

# The gemeente decides on every absence that waits: excused or unexcused by
# turns.
gemeente_decides() {
  run --db "$GEM_DB" --json absences list --undecided
  expect_rc 0
  mapfile -t waiting < <(python3 -c 'import json,sys; [print(a["absence"]) for a in json.load(open(sys.argv[1]))]' "$OUT")
  local i
  for ((i = 0; i < ${#waiting[@]}; i++)); do
    PRESENTIE_USER=ambtenaar run --db "$GEM_DB" absences decide \
      "$([[ $((i % 2)) == 0 ]] && echo excused || echo unexcused)" "${waiting[$i]}"
    expect_rc 0
  done
}

for ((p = 0; p < POINTS; p++)); do
  day="$(date -d "2026-01-05 + $((7 * p)) days" +%F)"
  on school lesson add --course alfa-z --start "${day}T09:00" --minutes 180 --teacher "J. de Vries"
  expect_rc 0
  lesson="$(cat "$OUT")"
  on school attend "$lesson" --all-present --absent "G$((p % N + 1))" --absent "G$(((p + 7) % N + 1))"
  expect_rc 0
  on school submit gemeente --gemeente 0363 --peildatum "$day"
  expect_rc 0
  gemeente_decides
  sync_with_a_kill "$WORK/gemeente.json" "$p" school --remote gemeente --batch 3
done

sync_ok school --remote gemeente
gemeente_decides
sync_ok school --remote gemeente
sync_ok school --remote gemeente
[[ $PUSHED == 0 && $PULLED == 0 ]] || fail "the last sync still moved $PUSHED/$PULLED versions"

# Lost or duplicated, both ways; and the school shows every decision.
CHECKS=$((CHECKS + 1))
python3 - "$(db_of school)" "$GEM_DB" "$POINTS" "$REP" <<'PY' || fail "the exchange lost, doubled or did not show a version"
import sqlite3, sys
school, gemeente = (sqlite3.connect(p) for p in sys.argv[1:3])
points = int(sys.argv[3])
rep = sys.argv[4]
def versions(db, kinds):
    q = "SELECT kind, record_id, vv FROM versions WHERE kind IN (%s)" % ",".join("?" * len(kinds))
    rows = list(db.execute(q, kinds))
    assert len(rows) == len(set(rows)), "a version stored twice"
    return set(rows)
# The gemeente holds a record the school has as gemeente/0363/G1/DATE, or
# gemeente/0363/{absence,decision}/LESSON/G1, with learner and lesson scoped.
def scoped(kind, record_id, vv):
    parts = record_id.split("/")
    if kind == "gemeente_hours":
        assert len(parts) == 4 and parts[:2] == ["gemeente", "0363"], record_id
        parts[2] = f"{rep}~{parts[2]}"
    else:
        assert len(parts) == 5 and parts[:2] == ["gemeente", "0363"], record_id
        parts[3:5] = [f"{rep}~{parts[3]}", f"{rep}~{parts[4]}"]
    return (kind, "/".join(parts), vv)
def unscoped(key):  # a key the gemeente holds, as the school has it
    assert key.startswith(rep + "~"), key
    return key[len(rep) + 1:]
sent = {scoped(*v) for v in versions(school, ["gemeente_hours", "gemeente_absence"])}
held = versions(gemeente, ["gemeente_hours", "gemeente_absence"])
assert sent == held, ("lost at the gemeente", sorted(sent - held)[:3], sorted(held - sent)[:3])
decided = versions(gemeente, ["gemeente_decision"])
back = {scoped(*v) for v in versions(school, ["gemeente_decision"])}
assert decided == back, ("decisions lost", sorted(decided - back)[:3])
assert len(decided) == 2 * points, (len(decided), points)
shown = {(l, n): (v, by) for l, n, v, by in school.execute(
    "SELECT lesson_id, learner_id, decision, decided_by FROM attendance")}
for lesson, learner, value in gemeente.execute(
        "SELECT lesson_id, learner_id, value FROM gemeente_decision"):
    lesson, learner = unscoped(lesson), unscoped(learner)
    assert shown[(lesson, learner)] == (value, "gemeente"), (lesson, learner, shown[(lesson, learner)])
print(f"{len(sent)} versions sent, {len(decided)} decisions back")
PY
on school audit verify
expect_rc 0
run --db "$GEM_DB" audit verify
expect_rc 0
CHECKS=$((CHECKS + 1))
[[ $KILLS_LANDED -ge $((POINTS / 2)) ]] || fail "only $KILLS_LANDED of $POINTS kills hit a running sync"
stop_server
sent="$(sqlite3 "$(db_of school)" "SELECT count(*) FROM versions WHERE kind IN ('gemeente_hours', 'gemeente_absence')")"
echo "authority_crash (gemeente 0363): $POINTS kill points, $KILLS_LANDED in a running sync ($CLIENT_KILLS client, $SERVER_KILLS server); $sent versions sent and $((2 * POINTS)) decisions pulled back, lost 0, duplicated 0"
done_ok
