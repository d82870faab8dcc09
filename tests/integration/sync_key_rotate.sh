#!/usr/bin/env bash
# The hub's key is replaced (`presentie key rotate`) while `presentie serve`
# runs on it: the server takes up the new key at its next request, without a
# restart. A new device pulls the roster the rotation sealed anew; a device
# pushes a lesson with an absence and a note (sealed with the new key on the
# hub), the other pulls it; both end with the hub's canonical dump, and every
# request was answered 200. A key
# in the key file's place that does not open the register (the old one put
# back by mistake): the server answers 503 and says why in its log line, and
# takes up the right key once it is back.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries

new_device a
new_device b
write_config "$WORK/server.json" 0
start_server "$WORK/server.json"
LOG="$WORK/server$SERVER_LOG_N.log"
URL="http://127.0.0.1:$PORT"
for d in a b; do
  on "$d" remote add hub "$URL" --token-file "$WORK/$d/token"
  expect_rc 0
done

learners_csv "$WORK/learners.csv" L 3 1
on a learner import "$WORK/learners.csv"
expect_rc 0
on a course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on a course enroll nt2-a L1 L2 L3
expect_rc 0
sync_ok a
[[ $PUSHED -ge 7 ]] || fail "a pushed $PUSHED versions, expected at least 7"

# The key is replaced beside the running server.
OLD_KEY="$(cat "$HUB_DB.key")"
run --db "$HUB_DB" key rotate
expect_rc 0
CHECKS=$((CHECKS + 1))
[[ "$(cat "$HUB_DB.key")" != "$OLD_KEY" ]] || fail "key rotate left the hub's key as it was"

# Read first: a new device pulls the roster, which the rotation sealed anew.
sync_ok b
[[ $PULLED -ge 7 ]] || fail "b pulled $PULLED versions, expected at least 7"

# Pushed after the rotation: written by the server with the new key.
on a lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
LESSON="$(cat "$OUT")"
NOTE="griep mrk$RANDOM$RANDOM"
on a attend "$LESSON" --all-present --absent L2:illness
expect_rc 0
on a attend "$LESSON" --absent "L3:illness" --note "L3:$NOTE"
expect_rc 0
sync_ok a
[[ $PUSHED -ge 4 ]] || fail "after the rotation a pushed $PUSHED versions, expected 4 or more"

sync_ok b
[[ $PULLED -ge 4 ]] || fail "b pulled $PULLED versions, expected at least 4"
sync_ok a
dump a "$WORK/a.dump"
dump b "$WORK/b.dump"
dump_hub "$WORK/hub.dump"
expect_same_dump "$WORK/a.dump" "$WORK/hub.dump"
expect_same_dump "$WORK/b.dump" "$WORK/hub.dump"
CHECKS=$((CHECKS + 1))
grep -q "$NOTE" "$WORK/b.dump" || fail "b did not receive the note written after the rotation"
expect_all_answered "$LOG" 8
CHECKS=$((CHECKS + 1))
! grep -q "$NOTE" "$HUB_DB" || fail "the note is in the clear in the hub's register"

# Rotated again, and the old key put in the key file's place by mistake
# before the server saw it: refused with 503 ("offline" for the device) and
# the reason in the log line; the right key back: served again.
run --db "$HUB_DB" key rotate
expect_rc 0
RIGHT_KEY="$(cat "$HUB_DB.key")"
printf '%s\n' "$OLD_KEY" >"$HUB_DB.key"
on a attend "$LESSON" --present L1
expect_rc 0
on a sync
expect_rc 4
expect_err "offline"
CHECKS=$((CHECKS + 1))
grep -qE ' /v1/hello 503 .*register_key_not_taken_up' "$LOG" ||
  fail "the server's log does not say why it refused: $(tail -3 "$LOG")"
printf '%s\n' "$RIGHT_KEY" >"$HUB_DB.key"
sync_ok a
[[ $PUSHED -ge 1 ]] || fail "with the key back a pushed $PUSHED versions"

personal="$(personal_data_in_logs)" || fail "the server's log holds personal data: $personal"
stop_server
done_ok
