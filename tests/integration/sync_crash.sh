#!/usr/bin/env bash
# Crash test (docs/reliability.md): two devices record lessons offline and sync
# with the hub, and at random points in each sync the client or the server
# is killed with SIGKILL; a killed server restarts at once on the same
# register and port (the sync's retries may reach it again), and the next
# sync resumes. At the end, after syncs with no kill, no
# version is lost or duplicated anywhere, the three registers are identical
# and every audit chain verifies.
#
# Kill points: PRESENTIE_SYNC_KILL_POINTS, default 200 (60 in the sanitizer
# build, where every process is several times slower; make test runs both).
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries
if [[ "${PRESENTIE_SANITIZED:-0}" == 1 ]]; then
  POINTS="${PRESENTIE_SYNC_KILL_POINTS:-60}"
else
  POINTS="${PRESENTIE_SYNC_KILL_POINTS:-200}"
fi
BATCH=2  # small batches and pages: many requests per sync to land a kill in

new_device a
new_device b
write_config "$WORK/server.json" 0
start_server "$WORK/server.json"
write_config "$WORK/server.json" "$PORT"  # restarts keep the port
for d in a b; do
  on "$d" remote add hub "http://127.0.0.1:$PORT" --token-file "$WORK/$d/token"
  expect_rc 0
done
learners_csv "$WORK/learners.csv" L 12 1
on a learner import "$WORK/learners.csv"
expect_rc 0
on a course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on a course enroll nt2-a L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 L11 L12
expect_rc 0
sync_ok a
sync_ok b

# One lesson recorded offline on device D, numbered P (a unique start time).
record() {
  local d="$1" p="$2"
  on "$d" lesson add --course nt2-a --minutes 60 --teacher "T$d" \
    --start "2026-$(printf '%02d' $((1 + p / 28 % 12)))-$(printf '%02d' $((1 + p % 28)))T$(printf '%02d' $((7 + p / 336))):$([[ $d == a ]] && echo 00 || echo 30)"
  expect_rc 0
  on "$d" attend "$(cat "$OUT")" --all-present --absent "L$((1 + p % 12)):illness"
  expect_rc 0
}

for ((p = 0; p < POINTS; p++)); do
  d=$([[ $((p % 2)) == 0 ]] && echo a || echo b)
  record "$d" "$p"
  sync_with_a_kill "$WORK/server.json" "$p" "$d" --batch "$BATCH" --page "$BATCH"
done

# Syncs with no kill: everyone gets everything.
sync_ok a
sync_ok b
sync_ok a
sync_ok b
[[ $PUSHED == 0 && $ACCEPTED == 0 ]] || fail "the last sync still moved $PUSHED / $ACCEPTED versions"

# Lost: a version written on a device that the hub or the other device
# lacks. Duplicated: a (kind, record, vv) stored twice in any register.
lost="$(versions_lost a b)"
duplicated=0
for db in "$HUB_DB" "$(db_of a)" "$(db_of b)"; do
  n="$(sqlite3 "$db" "SELECT count(*) FROM (SELECT 1 FROM versions GROUP BY kind, record_id, vv HAVING count(*) > 1)")"
  duplicated=$((duplicated + n))
done
written=$(($(sqlite3 "$(db_of a)" "SELECT count(*) FROM versions WHERE received_from = ''") +
  $(sqlite3 "$(db_of b)" "SELECT count(*) FROM versions WHERE received_from = ''")))
CHECKS=$((CHECKS + 2))
[[ $lost == 0 ]] || fail "$lost versions lost"
[[ $duplicated == 0 ]] || fail "$duplicated versions duplicated"
dump a "$WORK/a.dump"
dump b "$WORK/b.dump"
dump_hub "$WORK/hub.dump"
expect_same_dump "$WORK/a.dump" "$WORK/b.dump"
expect_same_dump "$WORK/a.dump" "$WORK/hub.dump"
for d in a b; do
  on "$d" audit verify
  expect_rc 0
done
run --db "$HUB_DB" audit verify
expect_rc 0
# Most kills must land in a running sync, or the test proved little.
CHECKS=$((CHECKS + 1))
[[ $KILLS_LANDED -ge $((POINTS / 2)) ]] || fail "only $KILLS_LANDED of $POINTS kills hit a running sync"
stop_server
echo "sync_crash: $POINTS kill points, $KILLS_LANDED in a running sync ($CLIENT_KILLS client, $SERVER_KILLS server); $written versions written, lost 0, duplicated 0"
done_ok
