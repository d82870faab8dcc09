#!/usr/bin/env bash
# Ten devices sync at the same time against one server, each with its own
# offline edits: a learner and a lesson of its own, attendance in it, and one
# record all ten write differently (ten concurrent siblings). Every sync of
# both rounds exits 0 — the server answered every request — and afterwards
# all ten registers and the hub's have the same canonical dump.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries

N=10
for ((i = 1; i <= N; i++)); do new_device "d$i"; done
write_config "$WORK/server.json" 0
start_server "$WORK/server.json"
for ((i = 1; i <= N; i++)); do
  on "d$i" remote add hub "http://127.0.0.1:$PORT" --token-file "$WORK/d$i/token"
  expect_rc 0
done

# The shared roster, from d1, reaches the others before they go offline.
learners_csv "$WORK/learners.csv" L 20 1
on d1 learner import "$WORK/learners.csv"
expect_rc 0
on d1 course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on d1 lesson add --course nt2-a --start 2026-09-07T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
SHARED="$(cat "$OUT")"
sync_ok d1

# Each device receives the roster, then works offline (the server is not
# needed for that): the ten set-ups run side by side, each in order.
reasons=(illness wedding funeral religious_holiday)
device_setup() {
  local i="$1" d="d$1" lesson
  local P=("$PRESENTIE" --db "$(db_of "d$1")")
  if [[ $i != 1 ]]; then "${P[@]}" sync || return 1; fi
  learners_csv "$WORK/$d.csv" "X${i}-" 2 $((i + 1))
  "${P[@]}" learner import "$WORK/$d.csv" || return 1
  lesson="$("${P[@]}" lesson add --course nt2-a --start "2026-09-$(printf '%02d' $((i + 7)))T13:00" \
    --minutes 120 --teacher "Teacher $i")" || return 1
  # Nobody is enrolled in nt2-a here: recorded on purpose (--not-enrolled).
  "${P[@]}" attend "$lesson" --not-enrolled --present "X${i}-1" "X${i}-2" L1 \
    --absent "L2:${reasons[$((i % 4))]}" || return 1
  # Every device records L3 in the shared lesson, each differently.
  if ((i % 2)); then
    "${P[@]}" attend "$SHARED" --not-enrolled --partial "L3:$((10 * i))" || return 1
  else
    "${P[@]}" attend "$SHARED" --not-enrolled --absent "L3:${reasons[$((i % 4))]}" || return 1
  fi
}
pids=()
for ((i = 1; i <= N; i++)); do
  device_setup "$i" >"$WORK/setup-d$i.out" 2>"$WORK/setup-d$i.err" &
  pids+=($!)
done
for ((i = 1; i <= N; i++)); do
  wait "${pids[$((i - 1))]}" || fail "setting up d$i failed: $(cat "$WORK/setup-d$i.err")"
  CHECKS=$((CHECKS + 1))
done

# sync_all ROUND: all ten at once; every one must exit 0.
sync_all() {
  local round="$1" i
  local pids=()
  for ((i = 1; i <= N; i++)); do
    "$PRESENTIE" --db "$(db_of "d$i")" --json sync \
      >"$WORK/r$round-d$i.out" 2>"$WORK/r$round-d$i.err" &
    pids+=($!)
  done
  for ((i = 1; i <= N; i++)); do
    local rc=0
    wait "${pids[$((i - 1))]}" || rc=$?
    CHECKS=$((CHECKS + 1))
    [[ $rc == 0 ]] || fail "round $round: d$i's sync exited $rc: $(cat "$WORK/r$round-d$i.err")"
  done
}
sync_all 1
sync_all 2
# Two rounds of ten: at least hello, push and pull from each in round 1,
# hello and pull in round 2; every request answered 200 the first time.
expect_all_answered "$WORK/server1.log" $((N * 5))

dump_hub "$WORK/hub.dump"
for ((i = 1; i <= N; i++)); do
  dump "d$i" "$WORK/d$i.dump"
  expect_same_dump "$WORK/hub.dump" "$WORK/d$i.dump"
done
for ((i = 1; i <= N; i++)); do
  grep -qF "X${i}-1" "$WORK/hub.dump" || fail "the dumps lack d$i's learner"
done
expect_no_duplicate_versions "$HUB_DB"
n="$(sqlite3 "$(db_of d4)" "SELECT count(*) FROM versions WHERE record_id = '$SHARED/L3' AND live = 1")"
[[ "$n" == "$N" ]] || fail "$SHARED/L3 has $n live siblings on d4, expected $N"
on d7 lesson list --json
json_check "assert len(d) == $((N + 1)), [l['id'] for l in d]"

stop_server
done_ok
