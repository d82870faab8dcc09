#!/usr/bin/env bash
# A writer waits for another process's write lock (the busy timeout), then
# gives up with exit 11 and nothing written.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
run init --school "De Brug" --brin 25AB
expect_rc 0

# Another process holds the write lock for longer than the busy timeout.
fifo="$WORK/hold"
mkfifo "$fifo"
sqlite3 "$PRESENTIE_DB" <"$fifo" >/dev/null 2>&1 &
holder=$!
exec 3>"$fifo"
# The holder waits for the lock rather than failing at once: the probe below
# takes it for an instant, and a holder that met it there (sqlite3's own busy
# timeout is 0) would never hold it, which made this test flaky under load.
echo ".timeout 30000" >&3
echo "BEGIN IMMEDIATE;" >&3
echo "SELECT 1;" >&3
# Wait until the holder has the lock: until a try without waiting fails.
for ((i = 0; i < 200; i++)); do
  sqlite3 "$PRESENTIE_DB" "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 || break
  sleep 0.05
done
((i < 200)) || fail "the holder did not take the write lock within 10 s"

run learner add --id L1 --bsn 111222333 --name A --category family_migrant --regime wi2021 --route B
expect_rc 11
expect_err "presentie: hint: another presentie process"

echo "ROLLBACK;" >&3
exec 3>&-
wait "$holder"

run learner add --id L1 --bsn 111222333 --name A --category family_migrant --regime wi2021 --route B
expect_rc 0
done_ok
