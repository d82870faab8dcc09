#!/usr/bin/env bash
# A bulk import killed with SIGKILL at random points (docs/reliability.md): the
# register holds all of the file or none of it, its audit chain verifies,
# SQLite finds it intact, and the import run again completes. Kill points:
# PRESENTIE_KILL_POINTS (default 20, over 15,000 rows; 8 over 5,000 rows in
# the sanitizer build), spread over the time one import takes.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
export PRESENTIE_USER=admin1
if [[ "${PRESENTIE_SANITIZED:-0}" == 1 ]]; then
  # Every command is several times slower under the sanitizers.
  POINTS="${PRESENTIE_KILL_POINTS:-8}"
  LESSONS=50
else
  POINTS="${PRESENTIE_KILL_POINTS:-20}"
  LESSONS=150
fi
LEARNERS=100

run init --school "Taalschool De Brug" --brin 25AB
expect_rc 0
python3 - "$WORK/learners.csv" "$LEARNERS" <<'PY'
import sys
rows = ["id,bsn,name,category,regime,route"]
k = 0
while len(rows) <= int(sys.argv[2]):
    k += 1
    digits = [int(c) for c in f"{20000000 + k * 7:08d}"]
    s = sum(w * d for w, d in zip(range(9, 1, -1), digits)) % 11
    if s == 10:
        continue
    rows.append(f"S{len(rows)},{''.join(map(str, digits))}{s},Learner {len(rows)},family_migrant,wi2021,B")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
run learner import "$WORK/learners.csv"
expect_rc 0
run course add --id nt2 --name "NT2" --component nt2 --regime wi2021 --route B
expect_rc 0
run course enroll nt2 $(seq -f 'S%g' 1 "$LEARNERS")
expect_rc 0
for ((i = 0; i < LESSONS; i++)); do
  "$PRESENTIE" lesson add --id "L$i" --course nt2 --start "2026-$(printf '%02d' $((1 + i / 28 % 12)))-$(printf '%02d' $((1 + i % 28)))T$(printf '%02d' $((8 + i / 336))):00" \
    --minutes 120 --teacher T >/dev/null 2>"$ERR" || fail "lesson add L$i: $(cat "$ERR")"
done
python3 - "$WORK/attendance.csv" "$LEARNERS" "$LESSONS" <<'PY'
import sys
n, m = int(sys.argv[2]), int(sys.argv[3])
rows = ["lesson,learner,status,minutes,reason"]
for lesson in range(m):
    for learner in range(1, n + 1):
        if (lesson + learner) % 9 == 0:
            rows.append(f"L{lesson},S{learner},absent,,illness")
        elif (lesson + learner) % 7 == 0:
            rows.append(f"L{lesson},S{learner},partial,60,other")
        else:
            rows.append(f"L{lesson},S{learner},present,,")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
ROWS=$((LEARNERS * LESSONS))
sqlite3 "$PRESENTIE_DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$PRESENTIE_DB" "$WORK/base.db"

count() { sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM attendance"; }
fresh() {
  rm -f "$PRESENTIE_DB" "$PRESENTIE_DB-wal" "$PRESENTIE_DB-shm"
  cp "$WORK/base.db" "$PRESENTIE_DB"
}

# How long one import takes here, to spread the kill points over it.
fresh
start=$(date +%s%N)
run attend import "$WORK/attendance.csv"
expect_rc 0
ms=$((($(date +%s%N) - start) / 1000000))
[[ "$(count)" == "$ROWS" ]] || fail "the import recorded $(count) of $ROWS rows"

none=0
all=0
for ((p = 0; p < POINTS; p++)); do
  fresh
  delay="$(python3 -c "import random; print(random.uniform(0, $ms * 1.1) / 1000)")"
  "$PRESENTIE" attend import "$WORK/attendance.csv" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  n="$(count)"
  CHECKS=$((CHECKS + 1))
  case "$n" in
    0) none=$((none + 1)) ;;
    "$ROWS") all=$((all + 1)) ;;
    *) fail "kill point $p (${delay}s): the register holds $n of $ROWS rows" ;;
  esac
  CHECKS=$((CHECKS + 1))
  [[ "$(sqlite3 "$PRESENTIE_DB" "PRAGMA integrity_check")" == ok ]] ||
    fail "kill point $p: integrity_check failed"
  run audit verify
  expect_rc 0
  if [[ "$n" == 0 ]]; then
    run attend import "$WORK/attendance.csv"
    expect_rc 0
    [[ "$(count)" == "$ROWS" ]] || fail "kill point $p: the import run again recorded $(count)"
  fi
done
# Some kills must have landed before the commit, or the test proved nothing.
CHECKS=$((CHECKS + 1))
[[ $none -gt 0 ]] || fail "no kill point landed before the commit (import: ${ms} ms)"
echo "import_killed: $POINTS kill points over a ${ms} ms import of $ROWS rows: $none left none, $all left all, 0 left part" >&2
done_ok
