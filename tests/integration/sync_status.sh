#!/usr/bin/env bash
# `presentie status` against a real server: before the first sync everything
# waits; a sync empties the queue and is noted as the last success; new
# records wait as new, edits of records the hub already holds — written here
# or received from it — wait as corrections; a sync while the server is down
# is noted as the last error, the queue unchanged, until a later sync gets
# past it.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=jdevries

new_device a
new_device b
write_config "$WORK/server.json" 0
start_server "$WORK/server.json"
write_config "$WORK/server.json" "$PORT"
URL="http://127.0.0.1:$PORT"
read -r HUB_REPLICA HUB_ROLE < <("$PRESENTIE" --db "$HUB_DB" --json config show |
  python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["replica_id"], d["role"])')

# No remote: said so, exit 0.
on a status
expect_rc 0
expect_out "no remotes"

learners_csv "$WORK/learners.csv" L 3 1
on a learner import "$WORK/learners.csv"
expect_rc 0
on a course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
expect_rc 0
on a course enroll nt2-a L1 L2 L3
expect_rc 0
on a lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
LESSON1="$(cat "$OUT")"
on a attend "$LESSON1" --all-present
expect_rc 0
for d in a b; do
  on "$d" remote add hub "$URL" --token-file "$WORK/$d/token"
  expect_rc 0
done

# Never synced: every version waits, none is a correction, no identity yet.
on a --json status
expect_rc 0
json_check "
r = d['remotes'][0]
assert r['name'] == 'hub' and r['url'] == '$URL', r
assert r['replica_id'] is None and r['role'] is None, r
assert r['last_ok_at'] is None and r['last_error'] is None, r
w = r['waiting']
assert w['versions'] == d['last_change_seq'] == 3 + 1 + 3 + 1 + 3, d
assert w['corrections'] == 0, w
kinds = {k['kind']: k['versions'] for k in w['by_kind']}
assert kinds == {'learner': 3, 'course': 1, 'enrollment': 3, 'lesson': 1, 'attendance': 3}, kinds
assert [k['kind'] for k in w['by_kind']] == ['learner', 'course', 'enrollment', 'lesson', 'attendance'], w
assert d['open_conflicts'] == 0 and d['refused_versions'] == 0, d"
on a status
expect_rc 0
expect_out "never"
expect_out "hub waits for: 3 learner, 1 course, 3 enrollment, 1 lesson, 3 attendance"

# A sync empties the queue and is the last success, with the hub's identity.
sync_ok a
on a --json status
json_check "
r = d['remotes'][0]
assert r['replica_id'] == '$HUB_REPLICA' and r['role'] == '$HUB_ROLE', r
assert r['last_ok_at'] is not None and r['last_error'] is None, r
assert r['waiting'] == {'versions': 0, 'corrections': 0, 'by_kind': []}, r
assert r['pushed_seq'] == d['last_change_seq'] and not r['batch_pending'], r"

# New records wait as new; an edit of what the hub holds waits as a correction.
on a lesson add --course nt2-a --start 2026-12-01T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
LESSON2="$(cat "$OUT")"
on a attend "$LESSON2" --all-present --absent L2:illness
expect_rc 0
on a attend "$LESSON1" --all-present --partial L3:90
expect_rc 0
on a --json status
json_check "
w = d['remotes'][0]['waiting']
kinds = {k['kind']: (k['versions'], k['corrections']) for k in w['by_kind']}
# lesson 2 and its 3 records are new; recording lesson 1 again writes
# the one record that changed (L3), which the hub holds: a correction.
assert kinds == {'lesson': (1, 0), 'attendance': (4, 1)}, kinds
assert w['versions'] == 5 and w['corrections'] == 1, w"
on a status
expect_out "hub waits for: 1 lesson, 4 attendance (1 correction)"

# The server is down: the attempt is the last error, the queue unchanged.
stop_server
on a sync
expect_rc 4
on a --json status
json_check "
r = d['remotes'][0]
assert r['last_error'] and r['last_error_at'] is not None, r
assert r['last_error_ms'] > r['last_ok_ms'], r
assert r['waiting']['versions'] == 5 and r['waiting']['corrections'] == 1, r
assert r['replica_id'] == '$HUB_REPLICA', r"
on a status
expect_out "LAST ERROR"
grep -q "since synced" "$OUT" && fail "status calls an error that no sync got past 'since synced'"
CHECKS=$((CHECKS + 1))

# Back up: the sync gets past the error, which status keeps as history.
start_server "$WORK/server.json"
sync_ok a
[[ $PUSHED == 5 ]] || fail "a pushed $PUSHED versions after the outage, status said 5 waited"
on a --json status
json_check "
r = d['remotes'][0]
assert r['waiting']['versions'] == 0, r
assert r['last_ok_ms'] > r['last_error_ms'], r"
on a status
expect_out "since synced"

# b receives a's records: nothing of them waits to go back. b's edit of a
# record it received from the hub is a correction of what the hub holds.
sync_ok b
on b --json status
json_check "assert d['remotes'][0]['waiting']['versions'] == 0, d"
on b attend "$LESSON2" --present L2
expect_rc 0
on b --json status
json_check "
w = d['remotes'][0]['waiting']
assert w['versions'] == 1 and w['corrections'] == 1, w"

stop_server
done_ok
