#!/usr/bin/env bash
# A device's cursors belong to the server's identity (its replica id, from
# hello), not to its URL. After a full sync the server moves to another port;
# the device replaces the remote's URL under the same name and syncs: it
# pulls only what is new since (here: exactly b's one new version), then
# nothing at all — it does not re-read the register.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries

new_device a
new_device b
write_config "$WORK/server.json" 0
start_server "$WORK/server.json"
OLD_PORT="$PORT"
for d in a b; do
  on "$d" remote add hub "http://127.0.0.1:$PORT" --token-file "$WORK/$d/token"
  expect_rc 0
done

learners_csv "$WORK/learners.csv" L 30 1
on a learner import "$WORK/learners.csv"
expect_rc 0
on a course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on a course enroll nt2-a L1 L2 L3 L4 L5 L6
expect_rc 0
on a lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
LESSON="$(cat "$OUT")"
on a attend "$LESSON" --present L1 L2 L3 L4 L5
expect_rc 0
sync_ok a
sync_ok b
[[ $ACCEPTED -ge 37 ]] || fail "b kept $ACCEPTED versions, expected at least 37"
sync_ok a
sync_ok b
HUB_REPLICA="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["remote_replica"])' "$OUT")"

# The server moves to another port.
stop_server
for ((tries = 0; tries < 5; tries++)); do
  start_server "$WORK/server.json"
  [[ "$PORT" != "$OLD_PORT" ]] && break
  stop_server
done
[[ "$PORT" != "$OLD_PORT" ]] || fail "could not get another port than $OLD_PORT"
NEW_URL="http://127.0.0.1:$PORT"

# The old URL is now offline.
on a sync
expect_rc 4

for d in a b; do
  on "$d" remote add hub "$NEW_URL" --token-file "$WORK/$d/token"
  expect_rc 0
done
on a remote list --json
json_check "assert [(r['name'], r['url']) for r in d] == [('hub', '$NEW_URL')], d"

# b writes one new version and sends it; a receives exactly that one.
on b attend "$LESSON" --absent L6:illness
expect_rc 0
sync_ok b
[[ $PUSHED == 1 && $ACCEPTED == 0 ]] || fail "b at the new URL: pushed $PUSHED, accepted $ACCEPTED"
on b --json sync
json_check "assert d['remote_replica'] == '$HUB_REPLICA', d"
sync_ok a
[[ $PUSHED == 0 && $PULLED == 1 && $ACCEPTED == 1 ]] ||
  fail "a at the new URL: pushed $PUSHED, pulled $PULLED, accepted $ACCEPTED (expected 0, 1, 1)"
sync_ok a
[[ $PUSHED == 0 && $PULLED == 0 ]] || fail "a again: pushed $PUSHED, pulled $PULLED (expected 0)"
dump a "$WORK/a.dump"
dump b "$WORK/b.dump"
expect_same_dump "$WORK/a.dump" "$WORK/b.dump"

# A fresh device at the new URL reads everything: the zeros above are
# cursors at work, not an empty server.
new_device c
on c remote add hub "$NEW_URL" --token-file "$WORK/c/token"
expect_rc 0
stop_server
write_config "$WORK/server.json" "$PORT"
start_server "$WORK/server.json"
sync_ok c
[[ $ACCEPTED -ge 38 ]] || fail "a new device kept only $ACCEPTED versions"
dump c "$WORK/c.dump"
expect_same_dump "$WORK/a.dump" "$WORK/c.dump"

stop_server
done_ok
