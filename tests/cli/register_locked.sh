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
echo "BEGIN IMMEDIATE;" >&3
echo "SELECT 1;" >&3
sleep 0.5

run learner add --id L1 --bsn 111222333 --name A --category family_migrant --regime wi2021 --route B
expect_rc 11
expect_err "presentie: hint: another presentie process"

echo "ROLLBACK;" >&3
exec 3>&-
wait "$holder"

run learner add --id L1 --bsn 111222333 --name A --category family_migrant --regime wi2021 --route B
expect_rc 0
done_ok
