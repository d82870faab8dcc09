#!/usr/bin/env bash
# Network faults (docs/reliability.md): two devices sync with the hub through
# tests/integration/fault_proxy.py, which delays (and so reorders), drops,
# truncates, duplicates and cuts requests and answers at random. A sync that
# fails says so clearly and exits 4 (offline: nothing lost, retry); run
# again, syncs converge, with no version lost or duplicated.
#
# Rounds: PRESENTIE_FAULT_ROUNDS (default 12; 6 in the sanitizer build);
# each round both devices record a lesson offline and sync at the same time.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries
if [[ "${PRESENTIE_SANITIZED:-0}" == 1 ]]; then
  ROUNDS="${PRESENTIE_FAULT_ROUNDS:-6}"
else
  ROUNDS="${PRESENTIE_FAULT_ROUNDS:-12}"
fi
SEED="${PRESENTIE_FAULT_SEED:-$RANDOM}"

new_device a
new_device b
write_config "$WORK/server.json" 0
start_server "$WORK/server.json"
# start_proxy NAME ARGS…: a fault proxy in front of the hub; sets
# PROXY_PORT and adds its pid to PROXIES.
PROXIES=()
start_proxy() {
  local name="$1"
  shift
  python3 "$(dirname "$0")/fault_proxy.py" "$PORT" "$WORK/$name.json" "$@" \
    >"$WORK/$name.log" 2>&1 &
  PROXIES+=($!)
  PROXY_PORT=""
  for ((i = 0; i < 100; i++)); do
    PROXY_PORT="$(grep -m1 -oE 'listening on [^ ]+:[0-9]+' "$WORK/$name.log" 2>/dev/null | sed 's/.*://' || true)"
    [[ -n "$PROXY_PORT" ]] && break
    sleep 0.05
  done
  [[ -n "$PROXY_PORT" ]] || fail "the fault proxy did not start: $(cat "$WORK/$name.log")"
}
trap 'kill "${PROXIES[@]}" 2>/dev/null || true; cleanup' EXIT
STATS="$WORK/proxy.json"
start_proxy proxy --seed "$SEED"
for d in a b; do
  on "$d" remote add hub "http://127.0.0.1:$PROXY_PORT" --token-file "$WORK/$d/token"
  expect_rc 0
done

# Outcomes, one line per sync in a file (syncs run in background subshells).
OUTCOMES="$WORK/outcomes"
: >"$OUTCOMES"
# sync_until_ok D: syncs D through the proxy until it succeeds (at most 30
# tries). A failure must be exit 4 with a message that says to retry.
sync_until_ok() {
  local d="$1" try rc
  for ((try = 0; try < 30; try++)); do
    rc=0
    "$PRESENTIE" --db "$(db_of "$d")" sync --batch 3 --page 3 >"$WORK/$d.out" 2>"$WORK/$d.err" || rc=$?
    if [[ $rc == 0 ]]; then
      echo ok >>"$OUTCOMES"
      return 0
    fi
    echo failed >>"$OUTCOMES"
    CHECKS=$((CHECKS + 1))
    [[ $rc == 4 ]] || fail "seed $SEED: sync of $d exited $rc: $(cat "$WORK/$d.err")"
    CHECKS=$((CHECKS + 1))
    grep -q "presentie: error: remote hub" "$WORK/$d.err" && grep -qi "retry\|again" "$WORK/$d.err" ||
      fail "seed $SEED: the failed sync of $d did not say what failed and to retry: $(cat "$WORK/$d.err")"
  done
  fail "seed $SEED: $d did not sync in 30 tries"
}

learners_csv "$WORK/learners.csv" L 8 1
on a learner import "$WORK/learners.csv"
expect_rc 0
on a course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on a course enroll nt2-a L1 L2 L3 L4 L5 L6 L7 L8
expect_rc 0
sync_until_ok a
sync_until_ok b

for ((r = 0; r < ROUNDS; r++)); do
  for d in a b; do
    on "$d" lesson add --course nt2-a --minutes 60 --teacher "T$d" \
      --start "2026-03-$(printf '%02d' $((1 + r)))T$([[ $d == a ]] && echo 09 || echo 13):00"
    expect_rc 0
    on "$d" attend "$(cat "$OUT")" --all-present --absent "L$((1 + r % 8)):illness"
    expect_rc 0
  done
  # Both at once: the proxy's delays reorder their requests at the server.
  sync_until_ok a &
  pa=$!
  sync_until_ok b &
  pb=$!
  wait "$pa" || fail "seed $SEED: round $r: a did not sync"
  wait "$pb" || fail "seed $SEED: round $r: b did not sync"
done

# A network that breaks every request: the sync gives up after its retries,
# says so and what to do, and loses nothing; a later sync sends it all.
start_proxy hopeless --seed "$SEED" --fault-rate 1 --faults drop,truncate,lose,cut
on a lesson add --course nt2-a --minutes 60 --teacher Ta --start 2026-05-04T09:00
expect_rc 0
on a attend "$(cat "$OUT")" --all-present
expect_rc 0
on a remote add hub "http://127.0.0.1:$PROXY_PORT" --token-file "$WORK/a/token"
expect_rc 0
on a sync --batch 3
expect_rc 4
expect_err "presentie: error: remote hub"
expect_err "offline"
HOPELESS="$(cat "$ERR")"
on a remote add hub "http://127.0.0.1:$(grep -m1 -oE 'listening on [^ ]+:[0-9]+' "$WORK/proxy.log" | sed 's/.*://')" \
  --token-file "$WORK/a/token"
expect_rc 0

sync_until_ok a
sync_until_ok b
sync_until_ok a

lost="$(versions_lost a b)"
CHECKS=$((CHECKS + 1))
[[ $lost == 0 ]] || fail "seed $SEED: $lost versions lost"
for db in "$HUB_DB" "$(db_of a)" "$(db_of b)"; do
  expect_no_duplicate_versions "$db"
done
dump a "$WORK/a.dump"
dump b "$WORK/b.dump"
dump_hub "$WORK/hub.dump"
expect_same_dump "$WORK/a.dump" "$WORK/b.dump"
expect_same_dump "$WORK/a.dump" "$WORK/hub.dump"
faulty="$(python3 -c '
import json, sys
d = {}
for f in sys.argv[1:]:
    for k, v in json.load(open(f)).items():
        d[k] = d.get(k, 0) + v
print(d["faulty"], d["requests"], " ".join(f"{k}={d[k]}" for k in ("delay","drop","truncate","lose","cut","duplicate")))' "$STATS" "$WORK/hopeless.json")"
read -r nfaulty nrequests kinds <<<"$faulty"
CHECKS=$((CHECKS + 1))
[[ $nfaulty -gt 0 ]] || fail "the proxy broke no request"
kill "${PROXIES[@]}" 2>/dev/null || true
stop_server
failed="$(grep -c failed "$OUTCOMES" || true)"
succeeded="$(grep -c ok "$OUTCOMES" || true)"
echo "when every request breaks, the sync says: $HOPELESS"
echo "sync_faults (seed $SEED): $nfaulty faulty of $nrequests requests survived ($kinds); $failed failed syncs run again, $succeeded succeeded; lost 0, duplicated 0"
done_ok
