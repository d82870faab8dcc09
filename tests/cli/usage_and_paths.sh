#!/usr/bin/env bash
# The command line users expect: help with examples at every level, usage
# errors (exit 2), where the register is (flag > PRESENTIE_DB > XDG_DATA_HOME
# > HOME), no register (exit 10), an existing one (exit 7), stdout for data
# and stderr for talk, JSON that parses, config show.
source "$(dirname "$0")/testlib.bash"

# --- Help and version: stdout, exit 0, examples before the usage.
for cmd in "" "init" "learner" "learner add" "learner import" "learner list" "learner show" \
  "course" "course add" "course list" "course enroll" "lesson" "lesson add" "lesson list" \
  "attend" "attend import" "report" "report hours" "audit" "audit verify" "audit log" \
  "config path" "config show" "remote add" "remote list" "sync" "serve" "serve token"; do
  run $cmd -h
  expect_rc 0
  expect_out "Examples:"
  expect_out "Usage: presentie${cmd:+ $cmd}"
  [[ ! -s "$ERR" ]] || fail "presentie $cmd -h wrote to stderr"
  ex=$(grep -n "^Examples:" "$OUT" | cut -d: -f1)
  us=$(grep -n "^Usage:" "$OUT" | cut -d: -f1)
  (( ex < us )) || fail "presentie $cmd -h: the examples do not come first"
done
run --version
expect_rc 0
expect_out "0.1.0"

# --- Usage errors: exit 2, the reason on stderr, nothing on stdout.
for args in "" "frobnicate" "learner" "learner add --id L1" "lesson add --minutes 90" \
  "init --school X --brin 25AB --role duo" "audit log --limit x" "attend" "attend L1" \
  "learner list --no-such-flag"; do
  run $args
  expect_rc 2
  expect_err "presentie: error:"
  expect_empty_out
done

# --- No register yet: exit 10 and how to make one.
run learner list
expect_rc 10
expect_err "no register at $HOME/.local/share/presentie/register.db"
expect_err "presentie init"
[[ ! -e "$HOME/.local/share/presentie" ]] || fail "a read command created a folder"

# --- Default place: $HOME/.local/share/presentie, folders made 0700.
run init --school "De Brug" --brin 25AB --user anna
expect_rc 0
expect_out "$HOME/.local/share/presentie/register.db"
for dir in "$HOME" "$HOME/.local" "$HOME/.local/share" "$HOME/.local/share/presentie"; do
  [[ "$(stat -c %a "$dir")" == 700 ]] || fail "$dir is not mode 0700"
done
run init --school "De Brug" --brin 25AB
expect_rc 7
expect_err "already exists"

# --- Precedence: --db > PRESENTIE_DB > XDG_DATA_HOME > HOME.
run config path --json
json_check "assert d['db'].endswith('/.local/share/presentie/register.db') and d['db_source'] == 'HOME', d"
XDG_DATA_HOME="$WORK/xdg" run config path --json
json_check "assert d['db'] == '$WORK/xdg/presentie/register.db' and d['db_source'] == 'XDG_DATA_HOME', d"
XDG_DATA_HOME="relative" run config path --json
json_check "assert d['db_source'] == 'HOME', d"
PRESENTIE_DB="$WORK/env.db" XDG_DATA_HOME="$WORK/xdg" run config path --json
json_check "assert d['db'] == '$WORK/env.db' and d['db_source'] == 'PRESENTIE_DB', d"
PRESENTIE_DB="$WORK/env.db" run --db "$WORK/flag.db" config path --json
json_check "assert d['db'] == '$WORK/flag.db' and d['db_source'] == '--db', d"
# ... and the global options work after the command as well as before it.
PRESENTIE_DB="$WORK/env.db" run config path --db "$WORK/flag.db" --json
json_check "assert d['db'] == '$WORK/flag.db', d"
# The user: --user > PRESENTIE_USER > USER.
USER=root PRESENTIE_USER=jdv run config path --json
json_check "assert d['user'] == 'jdv' and d['user_source'] == 'PRESENTIE_USER', d"
USER=root PRESENTIE_USER=jdv run config path --json --user anna
json_check "assert d['user'] == 'anna', d"

XDG_DATA_HOME="$WORK/xdg" run init --school "Tweede school" --brin 12CD --role teacher
expect_rc 0
[[ -f "$WORK/xdg/presentie/register.db" ]] || fail "init did not use XDG_DATA_HOME"
XDG_DATA_HOME="$WORK/xdg" run --json init --school "Tweede school" --brin 12CD
expect_rc 7
expect_empty_out
# config show: what init made, the replica id a hub's admin needs.
XDG_DATA_HOME="$WORK/xdg" run --json config show
expect_rc 0
json_check "assert d['school'] == 'Tweede school' and d['brin'] == '12CD' and d['role'] == 'teacher', d
import re
assert re.fullmatch('[0-9a-f]{16}', d['replica_id']), d
assert d['path'] == '$WORK/xdg/presentie/register.db' and d['schema_version'] >= 3, d"
XDG_DATA_HOME="$WORK/nowhere" run config show
expect_rc 10

# --- Bad init input.
run --db "$WORK/b.db" init --school X --brin 2AB
expect_rc 5
expect_err "--brin"
[[ ! -e "$WORK/b.db" ]] || fail "a failed init left a file"

# --- --json everywhere parses; human output is a table with a header.
run learner add --id L1 --bsn 111222333 --name "Amina" --category family_migrant \
  --regime wi2021 --route B --json
expect_rc 0
json_check "assert d['id'] == 'L1' and d['route'] == 'B' and d['gemeente'] is None, d"
run course add --id c1 --name C --component literacy --regime wi2013 --start 2026-09-01 \
  --end 2026-06-01
expect_rc 5                                     # ends before it starts
run course add --id c1 --name C --component literacy --regime wi2013 --start 2026-09-01 --json
expect_rc 0
json_check "assert d['start'] == '2026-09-01' and d['end'] is None and d['component'] == 'literacy', d"
run lesson add --course c1 --start "2026-09-02 10:00" --minutes 60 --teacher T --json
expect_rc 0
json_check "assert d['id'] == 'c1-20260902-1000' and d['minutes'] == 60, d"
run lesson add --course nope --start 2026-09-02T10:00 --minutes 60 --teacher T
expect_rc 6
run lesson add --course c1 --start 2026-09-31T10:00 --minutes 60 --teacher T
expect_rc 5
expect_err "--start"
for cmd in "learner list" "course list" "lesson list" "report hours" "audit log" \
  "audit verify" "learner show L1" "config path"; do
  run $cmd --json
  expect_rc 0
  json_check "assert d is not None"
  run $cmd
  expect_rc 0
  [[ -s "$OUT" ]] || fail "presentie $cmd printed nothing"
done
run lesson list --course c1
expect_out "ID"
expect_out "c1-20260902-1000"

done_ok
