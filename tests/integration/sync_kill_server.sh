#!/usr/bin/env bash
# The server is killed with SIGKILL in the middle of a long sync, twice:
# while device a pushes its attendance versions in small batches, and while
# device b pulls them in small pages. Each time the server restarts on the
# same register and port, the sync is run again, and nothing is lost or
# duplicated: every dump equals a's, and no register stores a version twice.
# Then the device's own sync is killed mid-push, and resumes the same way.
#
# Size: SYNC_KILL_LEARNERS × SYNC_KILL_LESSONS attendance versions (default
# 300 × 10 = 3,000, the interrupted syncs in batches and pages of 50), so that
# the test stays well under a minute on two slow cores with ASan, where
# decoding a stored version costs about 0.25 ms. SYNC_KILL_LEARNERS=1000
# SYNC_KILL_LESSONS=20 gives 20,000 versions; it passes too, in about two
# minutes there.
source "$(dirname "$0")/synclib.bash"
[[ -n "${SYNC_TRACE:-}" ]] && { PS4='+ $SECONDS '; set -x; }
export PRESENTIE_USER=jdevries
LEARNERS="${SYNC_KILL_LEARNERS:-300}"
LESSON_COUNT="${SYNC_KILL_LESSONS:-10}"
BATCH=50

new_device a
new_device b
write_config "$WORK/server.json" 0
start_server "$WORK/server.json"
write_config "$WORK/server.json" "$PORT"
for d in a b; do
  on "$d" remote add hub "http://127.0.0.1:$PORT" --token-file "$WORK/$d/token"
  expect_rc 0
done

# LEARNERS × 20 lessons of attendance on device a.
learners_csv "$WORK/learners.csv" L "$LEARNERS" 1
on a learner import "$WORK/learners.csv"
expect_rc 0
on a course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on a course enroll nt2-a $(seq -f 'L%g' 1 "$LEARNERS")
expect_rc 0
LESSONS=()
for day in $(seq -w 1 "$LESSON_COUNT"); do
  on a lesson add --course nt2-a --start "2026-06-${day}T09:00" --minutes 180 --teacher "J. de Vries"
  expect_rc 0
  LESSONS+=("$(cat "$OUT")")
done
python3 - "$WORK/attend.csv" "$LEARNERS" "${LESSONS[@]}" <<'PY'
import sys
out, learners, *lessons = sys.argv[1:]
rows = ["lesson,learner,status,reason"]
for n, lesson in enumerate(lessons):
    for i in range(1, int(learners) + 1):
        if (i + n) % 9 == 0:
            rows.append(f"{lesson},L{i},absent,illness")
        else:
            rows.append(f"{lesson},L{i},present,")
open(out, "w").write("\n".join(rows) + "\n")
PY
on a attend import "$WORK/attend.csv"
expect_rc 0
TOTAL="$(sqlite3 "$(db_of a)" "SELECT count(*) FROM versions")"
[[ $TOTAL -ge $((LEARNERS * (LESSON_COUNT + 1))) ]] || fail "device a holds only $TOTAL versions"
KILL_AT=$((TOTAL / 5))

hub_versions() { sqlite3 "$HUB_DB" "SELECT count(*) FROM versions" 2>/dev/null || echo 0; }
dev_versions() { sqlite3 "$(db_of "$1")" "SELECT count(*) FROM versions" 2>/dev/null || echo 0; }

# watch_and_kill VICTIM COUNT_DB MIN [PENDING_DB], then start the sync and
# write its pid to $WORK/sync.pid: a Python process, ready (imported and
# connected: it creates $WORK/watcher.ready, and watch_and_kill returns once
# it has) before the sync starts, watches COUNT_DB every millisecond from
# one connection (a sqlite3 process per look took ~10 ms, and a fast
# machine finished the sync in between) and sends SIGKILL to VICTIM (a pid,
# or "sync" for the sync itself) as soon as COUNT_DB holds at least MIN
# versions — and, with PENDING_DB, only while that register has a push batch
# stored and not yet acknowledged. It exits 1 if the sync ends first.
# expect_killed waits for it.
watch_and_kill() {
  rm -f "$WORK/sync.pid" "$WORK/watcher.ready"
  python3 - "$WORK/watcher.ready" "$WORK/sync.pid" "$@" <<'PY' &
import os, signal, sqlite3, sys, time
ready_file, pid_file, victim, count_db = sys.argv[1:5]
least = int(sys.argv[5])
pending_db = sys.argv[6] if len(sys.argv) > 6 else None

def running(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False

def connect(path):
    while True:
        try:
            c = sqlite3.connect(path, timeout=0.05)
            c.execute("SELECT count(*) FROM versions")
            return c
        except sqlite3.Error:
            time.sleep(0.001)

counts = connect(count_db)
pending = connect(pending_db) if pending_db else None
open(ready_file, "w").close()
deadline = time.monotonic() + 120
while not os.path.exists(pid_file) or not open(pid_file).read().strip():
    if time.monotonic() > deadline:
        sys.exit(1)
    time.sleep(0.001)
sync_pid = int(open(pid_file).read())
victim = sync_pid if victim == "sync" else int(victim)
while time.monotonic() < deadline:
    if not running(sync_pid):
        sys.exit(1)
    try:
        ready = counts.execute("SELECT count(*) FROM versions").fetchone()[0] >= least
        if ready and pending is not None:
            ready = pending.execute("SELECT count(*) FROM pending_batch").fetchone()[0] == 1
    except sqlite3.Error:
        ready = False  # busy for a moment: look again
    if ready:
        os.kill(victim, signal.SIGKILL)
        sys.exit(0)
    time.sleep(0.001)
print("no progress in 120 s", file=sys.stderr)
sys.exit(1)
PY
  WATCHER=$!
  wait_until 30 "the watcher to connect to $2" watcher_ready
}
# The watcher has connected; a watcher that died before it did fails the test.
watcher_ready() {
  [[ -e "$WORK/watcher.ready" ]] && return 0
  kill -0 "$WATCHER" 2>/dev/null || fail "the watcher exited before it was ready"
  return 1
}
expect_killed() {
  wait "$WATCHER" || fail "the sync finished before it could be interrupted"
}

# The server watch_and_kill killed: wait for it and forget it.
reap_server() {
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# --- Push interrupted.
watch_and_kill "$SERVER_PID" "$HUB_DB" "$KILL_AT"
"$PRESENTIE" --db "$(db_of a)" sync --batch "$BATCH" >"$WORK/push1.out" 2>"$WORK/push1.err" &
SYNC_PID=$!
echo "$SYNC_PID" >"$WORK/sync.pid"
expect_killed
reap_server
rc=0
wait "$SYNC_PID" || rc=$?
CHECKS=$((CHECKS + 1))
[[ $rc == 4 ]] || fail "the interrupted push exited $rc, expected 4 (offline): $(cat "$WORK/push1.err")"
grep -qF "offline" "$WORK/push1.err" || fail "the interrupted push did not say offline: $(cat "$WORK/push1.err")"
PARTIAL="$(hub_versions)"
[[ $PARTIAL -lt $TOTAL ]] || fail "the hub already had everything ($PARTIAL) when it was killed"

start_server "$WORK/server.json"
sync_ok a  # the batch left pending is re-sent as it was; the rest in full-size batches
[[ $PUSHED -gt 0 ]] || fail "the resumed push sent nothing"
[[ $PUSHED -le $((TOTAL - PARTIAL + BATCH)) ]] ||
  fail "the resumed push sent $PUSHED versions: it re-sent what the hub had ($PARTIAL of $TOTAL)"
[[ "$(hub_versions)" == "$TOTAL" ]] || fail "the hub holds $(hub_versions) versions, device a $TOTAL"
expect_no_duplicate_versions "$HUB_DB"
dump a "$WORK/a.dump"
dump_hub "$WORK/hub.dump"
expect_same_dump "$WORK/a.dump" "$WORK/hub.dump"

# --- Pull interrupted.
watch_and_kill "$SERVER_PID" "$(db_of b)" "$KILL_AT"
"$PRESENTIE" --db "$(db_of b)" sync --page "$BATCH" >"$WORK/pull1.out" 2>"$WORK/pull1.err" &
SYNC_PID=$!
echo "$SYNC_PID" >"$WORK/sync.pid"
expect_killed
reap_server
rc=0
wait "$SYNC_PID" || rc=$?
CHECKS=$((CHECKS + 1))
[[ $rc == 4 ]] || fail "the interrupted pull exited $rc, expected 4: $(cat "$WORK/pull1.err")"
PARTIAL="$(dev_versions b)"
[[ $PARTIAL -lt $TOTAL ]] || fail "b already had everything ($PARTIAL) when the hub was killed"

start_server "$WORK/server.json"
sync_ok b
[[ $ACCEPTED == $((TOTAL - PARTIAL)) ]] ||
  fail "the resumed pull kept $ACCEPTED versions, expected the $((TOTAL - PARTIAL)) b lacked"
[[ "$(dev_versions b)" == "$TOTAL" ]] || fail "b holds $(dev_versions b) versions, a $TOTAL"
expect_no_duplicate_versions "$(db_of b)"
dump b "$WORK/b.dump"
expect_same_dump "$WORK/a.dump" "$WORK/b.dump"

# --- The device killed: b's sync dies with SIGKILL mid-push, between any
# two of storing a batch, sending it and acknowledging it.
python3 - "$WORK/edit.csv" "$LEARNERS" "${LESSONS[0]}" <<'PY'
import sys
out, learners, lesson = sys.argv[1:]
rows = ["lesson,learner,status,reason"] + [f"{lesson},L{i},absent,other" for i in range(1, int(learners) + 1)]
open(out, "w").write("\n".join(rows) + "\n")
PY
on b attend import "$WORK/edit.csv"
expect_rc 0
# Killed once the hub has a quarter of the edits, while b has a batch
# stored and not yet acknowledged: between storing and acknowledging.
watch_and_kill sync "$HUB_DB" $((TOTAL + LEARNERS / 4)) "$(db_of b)"
"$PRESENTIE" --db "$(db_of b)" sync --batch 10 >"$WORK/push2.out" 2>"$WORK/push2.err" &
SYNC_PID=$!
echo "$SYNC_PID" >"$WORK/sync.pid"
expect_killed
wait "$SYNC_PID" 2>/dev/null || true
PENDING="$(sqlite3 "$(db_of b)" "SELECT count(*) FROM pending_batch")"
sync_ok b
[[ "$(hub_versions)" == $((TOTAL + LEARNERS)) ]] ||
  fail "the hub holds $(hub_versions) versions after b's edits, expected $((TOTAL + LEARNERS))"
expect_no_duplicate_versions "$HUB_DB"
[[ "$(sqlite3 "$(db_of b)" "SELECT count(*) FROM pending_batch")" == 0 ]] ||
  fail "b still has a pending batch after a full sync"
echo "(b was killed with $PENDING batch(es) pending)"

# And a last round: a receives b's edits, and nothing else changes anywhere.
sync_ok a
[[ $PUSHED == 0 && $ACCEPTED == "$LEARNERS" ]] ||
  fail "a: pushed $PUSHED, accepted $ACCEPTED after all (expected 0, $LEARNERS)"
sync_ok b
[[ $PUSHED == 0 && $ACCEPTED == 0 ]] || fail "b: pushed $PUSHED, accepted $ACCEPTED after all"
[[ "$(hub_versions)" == $((TOTAL + LEARNERS)) ]] || fail "the hub grew to $(hub_versions) versions"
dump a "$WORK/a.dump"
dump b "$WORK/b.dump"
dump_hub "$WORK/hub.dump"
expect_same_dump "$WORK/a.dump" "$WORK/b.dump"
expect_same_dump "$WORK/a.dump" "$WORK/hub.dump"
stop_server
done_ok
