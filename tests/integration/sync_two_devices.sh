#!/usr/bin/env bash
# Two devices record different lessons offline — and the same learner in the
# same lesson, differently — then sync (twice, so each receives the other's)
# and end with identical registers: the same canonical dump, the hub's too.
# Also: a sync while the server is down exits 4 and loses nothing; a sync
# with nothing new changes nothing.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries

new_device a
new_device b
write_config "$WORK/server.json" 0
start_server "$WORK/server.json"
# From now on the same port, so the server can come back where it was.
write_config "$WORK/server.json" "$PORT"
URL="http://127.0.0.1:$PORT"

for d in a b; do
  on "$d" remote add hub "$URL" --token-file "$WORK/$d/token"
  expect_rc 0
  expect_out "hub"
  expect_err "plain HTTP"
done
on a remote list --json
json_check "
assert [r['name'] for r in d] == ['hub'], d
assert d[0]['url'] == '$URL' and d[0]['token_file'] == '$WORK/a/token', d
assert d[0]['ca_file'] is None, d"

# Device a plans the roster; b receives it through the hub.
learners_csv "$WORK/learners.csv" L 5 1
on a learner import "$WORK/learners.csv"
expect_rc 0
on a course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on a course enroll nt2-a L1 L2 L3 L4 L5
expect_rc 0
sync_ok a
A_PUSHED=$PUSHED
[[ $A_PUSHED -ge 11 ]] || fail "a pushed $A_PUSHED versions, expected at least 11"
sync_ok b
[[ $PUSHED == 0 && $PULLED -ge $A_PUSHED && $ACCEPTED == "$A_PUSHED" ]] ||
  fail "b: pushed $PUSHED, pulled $PULLED, accepted $ACCEPTED; a had pushed $A_PUSHED"
on b learner list --json
json_check "assert sorted(l['id'] for l in d) == ['L1', 'L2', 'L3', 'L4', 'L5'], d"

# Offline: the server is down while both teachers work.
stop_server
on a lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
LESSON_A="$(cat "$OUT")"
on a attend "$LESSON_A" --all-present --absent L2:illness --partial L3:90
expect_rc 0
on b lesson add --course nt2-a --start 2026-12-01T13:00 --minutes 120 --teacher "P. Bakker"
expect_rc 0
LESSON_B="$(cat "$OUT")"
on b attend "$LESSON_B" --all-present --absent L4:wedding
expect_rc 0
# Both plan the same lesson (the same id, from course and start) and record
# L1 in it differently: concurrent versions, kept as siblings on both.
for d in a b; do
  on "$d" lesson add --course nt2-a --start 2026-12-02T09:00 --minutes 180 --teacher "J. de Vries"
  expect_rc 0
done
SHARED="$(cat "$OUT")"
on a attend "$SHARED" --present L1
expect_rc 0
on b attend "$SHARED" --absent L1:illness
expect_rc 0

snapshot "$(db_of a)" "$WORK/a.before"
on a sync
expect_rc 4
expect_err "offline"
expect_empty_out
snapshot "$(db_of a)" "$WORK/a.after"
expect_same_snapshot "$WORK/a.before" "$WORK/a.after"

# Back online: a, b, then a again, so that each has the other's.
start_server "$WORK/server.json"
[[ "$URL" == "http://127.0.0.1:$PORT" ]] || fail "the server came back on another port"
on a sync
expect_rc 0
grep -qE '^pushed [0-9]+, pulled [0-9]+ \(accepted [0-9]+, duplicate [0-9]+(, dominated [0-9]+)?\), [0-9]+\.[0-9] KiB in [0-9]+ ms$' "$OUT" ||
  fail "the summary line reads: $(cat "$OUT")"
expect_no_err "versions/s"  # no progress line when stderr is not a terminal
sync_ok b
[[ $PUSHED -gt 0 && $ACCEPTED -gt 0 ]] || fail "b: pushed $PUSHED, accepted $ACCEPTED"
sync_ok a
[[ $ACCEPTED -gt 0 ]] || fail "a received nothing of b's"

dump a "$WORK/a.dump"
dump b "$WORK/b.dump"
dump_hub "$WORK/hub.dump"
expect_same_dump "$WORK/a.dump" "$WORK/b.dump"
expect_same_dump "$WORK/a.dump" "$WORK/hub.dump"
grep -qF "$LESSON_A" "$WORK/b.dump" || fail "b's dump lacks a's lesson"
grep -qF "$LESSON_B" "$WORK/a.dump" || fail "a's dump lacks b's lesson"
expect_no_duplicate_versions "$HUB_DB"
expect_no_duplicate_versions "$(db_of a)"

# The lessons are in each device's typed tables too.
for d in a b; do
  on "$d" lesson list --json
  json_check "
ids = sorted(l['id'] for l in d)
assert ids == sorted(['$LESSON_A', '$LESSON_B', '$SHARED']), ids"
  on "$d" audit verify
  expect_rc 0
done
# The shared record has two live siblings on both devices.
n_a="$(sqlite3 "$(db_of a)" "SELECT count(*) FROM versions WHERE record_id = '$SHARED/L1' AND live = 1")"
n_b="$(sqlite3 "$(db_of b)" "SELECT count(*) FROM versions WHERE record_id = '$SHARED/L1' AND live = 1")"
[[ "$n_a" == 2 && "$n_b" == 2 ]] || fail "live siblings of $SHARED/L1: a $n_a, b $n_b (expected 2 each)"

# Nothing new: nothing sent or kept, and the registers do not change.
for d in a b; do
  sync_ok "$d"
  snapshot "$(db_of "$d")" "$WORK/$d.before"
  sync_ok "$d"
  [[ $PUSHED == 0 && $ACCEPTED == 0 && $PULLED == 0 ]] ||
    fail "$d: a sync with nothing new pushed $PUSHED, pulled $PULLED, accepted $ACCEPTED"
  snapshot "$(db_of "$d")" "$WORK/$d.after"
  expect_same_snapshot "$WORK/$d.before" "$WORK/$d.after"
done

stop_server
done_ok
