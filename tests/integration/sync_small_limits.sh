#!/usr/bin/env bash
# A server that takes less than a device's batch: its config caps the
# decompressed body far below what 200 learners make. The server answers the
# too-large batch 413; the device drops that batch unsent (it was never
# accepted, so its id must not be re-sent forever), halves the batch and goes
# on until everything is across. Nothing is lost or stored twice, and the
# hub ends with the device's register.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries

new_device a
write_config "$WORK/server.json" 0
python3 - "$WORK/server.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["limits"] = {"max_decompressed_bytes": 8192}
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
start_server "$WORK/server.json"
on a remote add hub "http://127.0.0.1:$PORT" --token-file "$WORK/a/token"
expect_rc 0

learners_csv "$WORK/learners.csv" L 200 1
on a learner import "$WORK/learners.csv"
expect_rc 0
on a course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0

sync_ok a
[[ $PUSHED == 201 ]] || fail "pushed $PUSHED versions, expected 201 (200 learners and a course)"
LOG="$WORK/server$SERVER_LOG_N.log"
grep -qE ' /v1/push 413 ' "$LOG" || fail "the server never answered 413: the test did not test the split"
CHECKS=$((CHECKS + 1))
grep -qE ' /v1/push 200 ' "$LOG" || fail "no push was accepted after the split"
CHECKS=$((CHECKS + 1))

# Nothing pending is left: the next sync sends nothing.
sync_ok a
[[ $PUSHED == 0 && $PULLED == 0 ]] || fail "second sync: pushed $PUSHED, pulled $PULLED (expected 0, 0)"
sqlite3 "$(db_of a)" "SELECT count(*) FROM pending_batch" | grep -qx 0 || fail "a push batch is still pending"
CHECKS=$((CHECKS + 1))

stop_server
dump a "$WORK/a.dump"
dump_hub "$WORK/hub.dump"
expect_same_dump "$WORK/a.dump" "$WORK/hub.dump"
expect_no_duplicate_versions "$HUB_DB"
done_ok
