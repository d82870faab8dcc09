# Helpers for the sync tests against a real `presentie serve` on loopback.
# Sourced by tests/integration/sync_*.sh (not a test itself: its name does
# not end in .sh). Builds on tests/cli/testlib.bash (run, expect_*, fail,
# WORK, OUT, ERR, RC).
#
#   new_device NAME        a register at $WORK/NAME/register.db (role admin)
#                          with a token file $WORK/NAME/token (mode 0600);
#                          sets REPLICA[NAME], TOKEN_SHA[NAME]
#   on NAME ARGS…          `run --db <NAME's register> ARGS…`
#   write_config FILE PORT [TLS_CERT TLS_KEY]
#                          a server config holding every device's token
#   write_authority_config FILE PORT DB DEVICE ROLE NAME [CODE]
#                          an authority's endpoint admitting DEVICE as admin
#   start_server CONFIG    starts `presentie serve`, waits for "listening on
#                          HOST:PORT"; sets SERVER_PID and PORT
#   stop_server / kill_server   SIGTERM and wait / SIGKILL and wait
#   sync_with_a_kill CONFIG POINT DEVICE ARGS…
#                          a sync during which it or the server is SIGKILLed
#   dump NAME FILE         `presentie debug dump` of NAME's register
#   dump_hub FILE          the same of the server's register
#   wait_until SECONDS WHAT CMD…
#                          polls CMD until it succeeds; fails the test
#                          (naming WHAT) if it has not within SECONDS

source "$(dirname "${BASH_SOURCE[0]}")/../cli/testlib.bash"

HUB_DB="$WORK/hub/register.db"
mkdir -p "$WORK/hub"
chmod 700 "$WORK/hub"
declare -A REPLICA=()
declare -A TOKEN_SHA=()
DEVICES=()
SERVER_PID=""
PORT=""
SERVER_LOG_N=0

# Prints what personal data of the registers under $WORK a server log holds,
# and fails, if any does.
personal_data_in_logs() {
  python3 - "$WORK" <<'PY'
import glob, os, sealed, sqlite3, sys
work = sys.argv[1]
secrets = {"illness", "wedding", "funeral", "religious_holiday"}
for db in glob.glob(os.path.join(work, "**", "*.db"), recursive=True):
    if not os.path.exists(db + ".key"):
        continue  # not a register
    try:
        c = sealed.connect(db, readonly=True)
        secrets.update(b for (b,) in c.execute("SELECT unseal(bsn, 'bsn') FROM learner"))
        secrets.update(n for (n,) in c.execute("SELECT unseal(name, 'name') FROM learner")
                       if len(n) > 3)
        secrets.update(n for (n,) in c.execute("SELECT unseal(note, 'note') FROM attendance")
                       if len(n) > 3)
    except sqlite3.OperationalError:
        pass  # no such table yet
found = set()
for log in glob.glob(os.path.join(work, "server*.log")):
    text = open(log, encoding="utf-8", errors="replace").read()
    found.update(s for s in secrets if s and s in text)
if found:
    print(", ".join(sorted(found)))
    sys.exit(1)
PY
}

cleanup() {
  local rc=$?
  if [[ -n "$SERVER_PID" ]]; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # Every server log this test wrote is searched for the personal data its
  # registers hold: no BSN, name, note or absence reason may be in a log.
  if [[ $rc -eq 0 ]] && ! leaked="$(personal_data_in_logs)"; then
    echo "FAIL [$TEST_NAME]: a server log holds personal data: $leaked" >&2
    rc=1
  fi
  if [[ $rc -ne 0 ]]; then
    for log in "$WORK"/server*.log; do
      [[ -f "$log" ]] || continue
      echo "--- $(basename "$log") (last 30 lines):" >&2
      tail -n 30 "$log" >&2
    done
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

db_of() { echo "$WORK/$1/register.db"; }

# wait_until SECONDS WHAT CMD…: runs CMD (in this shell: a function may call
# fail) every 10 ms until it succeeds, in place of a fixed sleep; fails the
# test, saying it waited for WHAT, if CMD has not succeeded within SECONDS.
wait_until() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$(($(date +%s%N) + seconds * 1000000000))
  until "$@"; do
    (($(date +%s%N) < deadline)) || fail "waited ${seconds} s for $what"
    sleep 0.01
  done
}

new_device() {
  local name="$1"
  mkdir -p "$WORK/$name"
  run --db "$(db_of "$name")" --json init --school "Taalschool De Brug" --brin 25AB
  expect_rc 0
  REPLICA[$name]="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["replica_id"])' "$OUT")"
  local token
  token="$(head -c 32 /dev/urandom | xxd -p -c 64)"
  (umask 077 && printf '%s\n' "$token" >"$WORK/$name/token")
  TOKEN_SHA[$name]="$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)"
  DEVICES+=("$name")
}

on() {
  local name="$1"
  shift
  run --db "$(db_of "$name")" "$@"
}

write_config() {
  local file="$1" port="$2" cert="${3:-}" key="${4:-}"
  save_device_ids
  python3 - "$file" "$port" "$HUB_DB" "$cert" "$key" "${DEVICES[@]}" <<'PY' || fail "cannot write $1"
import json, sys
file, port, db, cert, key, *devices = sys.argv[1:]
import os
work = os.path.dirname(os.path.dirname(db))
tokens = []
for d in devices:
    with open(os.path.join(work, d, ".sha")) as f:
        sha, replica = f.read().split()
    tokens.append({"name": d, "token_sha256": sha, "replica_id": replica, "role": "admin"})
config = {
    "listen_host": "127.0.0.1",
    "port": int(port),
    "register_path": db,
    "school_name": "Taalschool De Brug (hub)",
    "brin": "25AB",
    "tokens": tokens,
}
if cert:
    config["tls_cert_file"] = cert
    config["tls_key_file"] = key
with open(file, "w") as f:
    json.dump(config, f, indent=2)
PY
}

# write_authority_config FILE PORT DB DEVICE ROLE NAME [GEMEENTE_CODE]: the
# config of an authority's endpoint (role duo or gemeente) with its register
# at DB, admitting DEVICE's token as the school's admin.
write_authority_config() {
  python3 - "$1" "$2" "$3" "${TOKEN_SHA[$4]}" "${REPLICA[$4]}" "$5" "$6" "${7:-}" <<'PY' || fail "cannot write $1"
import json, sys
file, port, db, sha, replica, role, name, code = sys.argv[1:]
config = {"role": role, "listen_host": "127.0.0.1", "port": int(port), "register_path": db,
          "school_name": name, "tokens": [
              {"name": "brug-admin", "token_sha256": sha, "replica_id": replica, "role": "admin"}]}
if code:
    config["gemeente_code"] = code
json.dump(config, open(file, "w"), indent=2)
PY
}

# write_config reads each device's token hash and replica id from a file next
# to its register, so that its Python needs no bash arrays.
save_device_ids() {
  local name
  for name in "${DEVICES[@]}"; do
    printf '%s %s\n' "${TOKEN_SHA[$name]}" "${REPLICA[$name]}" >"$WORK/$name/.sha"
  done
}

start_server() {
  local config="$1"
  # The hub's register is made here rather than by the server, so that the
  # tests do not depend on which roles Store::Create accepts.
  if [[ ! -f "$HUB_DB" ]]; then
    "$PRESENTIE" --db "$HUB_DB" init --school "Taalschool De Brug (hub)" --brin 25AB \
      >/dev/null 2>"$WORK/hub-init.err" || fail "cannot create the hub's register: $(cat "$WORK/hub-init.err")"
  fi
  SERVER_LOG_N=$((SERVER_LOG_N + 1))
  local log="$WORK/server$SERVER_LOG_N.log"
  "$PRESENTIE" serve --config "$config" >"$log" 2>&1 &
  SERVER_PID=$!
  local i line=""
  for ((i = 0; i < 600; i++)); do
    line="$(grep -m1 -oE 'listening on [^ ]+:[0-9]+' "$log" || true)"
    [[ -n "$line" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { SERVER_PID=""; fail "the server exited at start; see $log: $(cat "$log")"; }
    sleep 0.05
  done
  [[ -n "$line" ]] || fail "the server did not say 'listening on HOST:PORT' within 30 s"
  PORT="${line##*:}"
}

stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=""
  CHECKS=$((CHECKS + 1))
  [[ $rc == 0 ]] || fail "the server exited $rc on SIGTERM"
}

kill_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  kill -KILL "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# sync_with_a_kill CONFIG POINT DEVICE SYNC_ARGS…: runs `presentie sync
# SYNC_ARGS…` on DEVICE and, at a random moment within how long a sync takes
# here, SIGKILLs either it or the server (which restarts at once from CONFIG,
# on the same port, so the sync's retries may reach it again). Counts in
# KILLS_LANDED, CLIENT_KILLS, SERVER_KILLS; a sync that ends with anything
# but 0, 4 (offline) or 137 (killed) fails the test.
KILL_EST_MS=100  # how long a sync takes here: kills are spread over 0..this
KILLS_LANDED=0   # kills that hit a running sync (not one already done)
CLIENT_KILLS=0
SERVER_KILLS=0
sync_with_a_kill() {
  local config="$1" point="$2" device="$3"
  shift 3
  local victim delay_ms start sync_pid rc=0 took
  victim=$([[ $((RANDOM % 2)) == 0 ]] && echo client || echo server)
  delay_ms=$((RANDOM % KILL_EST_MS))
  start=$(date +%s%N)
  "$PRESENTIE" --db "$(db_of "$device")" sync "$@" >"$WORK/sync.out" 2>"$WORK/sync.err" &
  sync_pid=$!
  sleep "$(printf '0.%03d' "$delay_ms")"
  if kill -0 "$sync_pid" 2>/dev/null; then
    KILLS_LANDED=$((KILLS_LANDED + 1))
    if [[ $victim == client ]]; then
      kill -KILL "$sync_pid" 2>/dev/null || true
      CLIENT_KILLS=$((CLIENT_KILLS + 1))
    else
      kill_server
      SERVER_KILLS=$((SERVER_KILLS + 1))
      start_server "$config"
    fi
  else
    # Done before the kill: learn how long a sync takes.
    took=$((($(date +%s%N) - start) / 1000000))
    KILL_EST_MS=$((took > 10 ? took : 10))
  fi
  { wait "$sync_pid"; } 2>/dev/null || rc=$?
  CHECKS=$((CHECKS + 1))
  [[ $rc == 0 || $rc == 4 || $rc == 137 ]] ||
    fail "kill point $point ($victim after ${delay_ms} ms): sync exited $rc: $(cat "$WORK/sync.err")"
}

dump() {
  "$PRESENTIE" --db "$(db_of "$1")" debug dump >"$2" || fail "debug dump of $1 failed"
}
dump_hub() {
  "$PRESENTIE" --db "$HUB_DB" debug dump >"$1" || fail "debug dump of the hub failed"
}

# expect_same_dump A B: two dumps are identical and not empty.
expect_same_dump() {
  CHECKS=$((CHECKS + 1))
  [[ -s "$1" ]] || fail "dump $1 is empty"
  cmp -s "$1" "$2" || {
    diff "$1" "$2" | head -20 >&2 || true
    fail "dumps differ: $(basename "$1") vs $(basename "$2")"
  }
}

# sync_json NAME [ARGS…]: `presentie sync --json` on NAME; checks exit 0 and
# sets PUSHED, PULLED, ACCEPTED, DUPLICATE from the summary.
sync_ok() {
  local name="$1"
  shift
  on "$name" --json sync "$@"
  expect_rc 0
  read -r PUSHED PULLED ACCEPTED DUPLICATE < <(python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
assert d["type"] == "summary", d
print(d["pushed"], d["pulled"], d["accepted"], d["duplicate"])' "$OUT") || fail "sync --json printed no summary"
}

# expect_all_answered LOG MIN: the server's request log (one line per
# request: "TIME POST /v1/push 200 device=…") has at least MIN requests, and
# every one was answered 200.
expect_all_answered() {
  CHECKS=$((CHECKS + 1))
  local total bad
  total="$(grep -cE ' /v1/[a-z]+ [0-9]{3} ' "$1" || true)"
  bad="$(grep -E ' /v1/[a-z]+ [0-9]{3} ' "$1" | grep -vE ' /v1/[a-z]+ 200 ' || true)"
  [[ $total -ge $2 ]] || fail "the server logged $total requests, expected at least $2"
  [[ -z "$bad" ]] || fail "the server did not answer every request with 200: $bad"
}

# The hub has no two versions with the same (kind, record_id, vv).
expect_no_duplicate_versions() {
  CHECKS=$((CHECKS + 1))
  local dups
  dups="$(sqlite3 "$1" "SELECT count(*) FROM (SELECT 1 FROM versions GROUP BY kind, record_id, vv HAVING count(*) > 1)")"
  [[ "$dups" == 0 ]] || fail "$dups versions are stored twice in $1"
}

# versions_lost DEVICE…: how many versions written on these devices (not
# received) the hub or one of the others lacks.
versions_lost() {
  local d other n lost=0
  for d in "$@"; do
    for other in "$HUB_DB" "$@"; do
      [[ "$other" == "$d" ]] && continue
      [[ "$other" == "$HUB_DB" ]] || other="$(db_of "$other")"
      n="$(sqlite3 "$(db_of "$d")" "ATTACH '$other' AS o;
        SELECT count(*) FROM versions v WHERE v.received_from = ''
          AND NOT EXISTS (SELECT 1 FROM o.versions w
                          WHERE w.kind = v.kind AND w.record_id = v.record_id AND w.vv = v.vv)")"
      lost=$((lost + n))
    done
  done
  echo "$lost"
}

# A learner CSV of N learners with ids PREFIX1..PREFIXN and valid BSNs
# (elfproef); BSN block BASE keeps devices' learners apart.
learners_csv() {
  local file="$1" prefix="$2" n="$3" base="$4"
  python3 - "$file" "$prefix" "$n" "$base" <<'PY'
import sys
file, prefix, n, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = ["id,bsn,name,category,regime,route,level"]
i = 0
k = base * 100000
while len(rows) <= n:
    k += 1
    digits = [int(c) for c in f"{10000000 + k:08d}"]
    s = sum(w * d for w, d in zip(range(9, 1, -1), digits)) % 11
    if s == 10:
        continue
    i += 1
    bsn = "".join(map(str, digits)) + str(s)
    rows.append(f"{prefix}{i},{bsn},Learner {prefix}{i},other_migrant,wi2021,B,B1")
open(file, "w").write("\n".join(rows) + "\n")
PY
}
