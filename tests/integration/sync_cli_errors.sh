#!/usr/bin/env bash
# What `presentie remote` and `presentie sync` say and return when something
# is wrong: a token file others may read, a token the server does not know
# (exit 12, nothing changed), no remote, several remotes and none named,
# an unknown remote, a server that is not there (exit 4), a second sync of
# the same register while one runs (exit 11), and the remote list and removal.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries

new_device a
new_device stranger  # has a token file, but the server will not know it
# Only a is in the config.
DEVICES=(a)
write_config "$WORK/server.json" 0
start_server "$WORK/server.json"
URL="http://127.0.0.1:$PORT"

# No remote yet.
on a sync
expect_rc 6
expect_err "no remote"
expect_err "presentie remote add"

# A token file others may read is refused, and nothing is stored.
cp "$WORK/a/token" "$WORK/open.token"
chmod 644 "$WORK/open.token"
on a remote add hub "$URL" --token-file "$WORK/open.token"
expect_rc 1
expect_err "chmod 600"
on a remote list --json
json_check "assert d == [], d"
on a remote add hub "$URL" --token-file "$WORK/missing.token"
expect_rc 6
on a remote add "bad name" "$URL" --token-file "$WORK/a/token"
expect_rc 5
on a remote add hub "ftp://127.0.0.1:$PORT" --token-file "$WORK/a/token"
expect_rc 5
on a remote add hub "$URL" --token-file "$WORK/a/token" --cert "$WORK/a/token"
expect_rc 2

# A relative token path is stored absolute; the token itself never is.
cp "$WORK/a/token" "$WORK/rel.token"
chmod 600 "$WORK/rel.token"
(cd "$WORK" && "$PRESENTIE" --db "$(db_of a)" remote add hub "$URL" --token-file rel.token \
  >"$OUT" 2>"$ERR") || fail "remote add with a relative path failed: $(cat "$ERR")"
on a remote list --json
json_check "assert d[0]['token_file'] == '$WORK/rel.token', d"
TOKEN="$(cat "$WORK/a/token")"
sqlite3 "$(db_of a)" .dump | grep -qF "$TOKEN" && fail "the register holds the token itself"
CHECKS=$((CHECKS + 1))

# A token the server does not know: 401, exit 12, nothing changed.
on stranger remote add hub "$URL" --token-file "$WORK/stranger/token"
expect_rc 0
on stranger course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
snapshot "$(db_of stranger)" "$WORK/s.before"
on stranger sync
expect_rc 12
expect_err "token"
expect_err "$WORK/stranger/token"
expect_empty_out
snapshot "$(db_of stranger)" "$WORK/s.after"
expect_same_snapshot "$WORK/s.before" "$WORK/s.after"
# a's token on the stranger's register: the token is a's, the replica is not.
on stranger remote add hub "$URL" --token-file "$WORK/a/token"
expect_rc 0
on stranger sync
[[ $RC == 12 || $RC == 5 ]] || fail "a token presented by another replica: exit $RC"
CHECKS=$((CHECKS + 1))

# Works with the right token; the table lists it.
on a course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on a sync
expect_rc 0
expect_out "pushed 1,"
on a remote list
expect_rc 0
expect_out "NAME"
expect_out "$URL"

# Several remotes and none named: a usage error naming them.
on a remote add spare "http://127.0.0.1:9" --token-file "$WORK/a/token"
expect_rc 0
on a sync
expect_rc 2
expect_err "hub, spare"
on a sync --remote nope
expect_rc 6
expect_err "nope"
# Nothing listens on port 9: offline, retry later.
on a sync --remote spare
expect_rc 4
expect_err "offline"
expect_err "remote spare"
on a --json sync --remote hub
expect_rc 0
json_check "
assert d['type'] == 'summary' and d['remote'] == 'hub', d
for k in ['pushed', 'pulled', 'accepted', 'duplicate', 'bytes_sent', 'bytes_received', 'elapsed_ms']:
    assert isinstance(d[k], int), k"

# One sync at a time per register: while another process holds the sync
# lock, a second sync is refused with exit 11 and changes nothing; once it is
# released, sync works again.
on a course add --id nt2-b --name "NT2 groep B" --component nt2 --regime wi2021 --route B
expect_rc 0
# The holder waits for the lock (no -n): the probe below holds it for an
# instant now and then, and a holder that gave up then would never hold it.
# -o: only flock itself holds it, not the sleep.
flock -o "$(db_of a).sync-lock" sleep 30 &
HOLDER=$!
held=""
for _ in $(seq 300); do
  if ! flock -n "$(db_of a).sync-lock" true; then held=yes; break; fi
  sleep 0.1
done
[[ -n "$held" ]] || fail "the test's lock holder never took the sync lock"
snapshot "$(db_of a)" "$WORK/a.before"
on a sync --remote hub
expect_rc 11
expect_err "another presentie sync of this register is running"
expect_empty_out
snapshot "$(db_of a)" "$WORK/a.after"
expect_same_snapshot "$WORK/a.before" "$WORK/a.after"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null || true
on a sync --remote hub
expect_rc 0
expect_out "pushed 1,"
[[ "$(stat -c %a "$(db_of a).sync-lock")" == 600 ]] || fail "the sync lock is not mode 0600"
CHECKS=$((CHECKS + 1))

on a remote remove spare
expect_rc 0
on a remote remove spare
expect_rc 6
on a remote list --json
json_check "assert [r['name'] for r in d] == ['hub'], d"

# The hidden debug command is not in the help, but works.
run -h
expect_no_out "debug"
on a debug dump
expect_rc 0
expect_out "nt2-a"

stop_server
done_ok
