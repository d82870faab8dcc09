#!/usr/bin/env bash
# (c) `presentie audit verify` passes on a register written by presentie, and
# fails with exit 8 (data loss) once a row of the audit log is altered,
# removed or the change log under it is edited with the sqlite3 shell.
source "$(dirname "$0")/testlib.bash"

DB="$WORK/register.db"
export PRESENTIE_DB="$DB"
run init --school "Taalschool De Brug" --brin 25AB;                                 expect_rc 0
run learner add --id L1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B;                             expect_rc 0
run learner add --id L2 --bsn 123456782 --name "Yonas Tesfay" \
  --category family_migrant --regime wi2021 --route B;                             expect_rc 0
run course add --id nt2-a --name "NT2 A" --component nt2 --regime wi2021 --route B; expect_rc 0
run course enroll nt2-a L1 L2;                                                     expect_rc 0
run lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher JdV; expect_rc 0
run attend nt2-a-20261130-0900 --all-present --absent L2:anders;                  expect_rc 0

run audit verify
expect_rc 0
expect_out "audit chain verifies: 7 entries"
run audit verify --json
expect_rc 0
json_check "assert d['ok'] is True and d['entries_checked'] == 7 and d['problems'] == [], d"

# tamper NAME SQL: on a copy of the register, run SQL, then expect verify to fail.
tamper() {
  local name="$1" sql="$2" copy="$WORK/$1.db"
  sqlite3 "$DB" ".backup '$copy'"
  cp -p "$DB.key" "$copy.key"
  run --db "$copy" audit verify
  expect_rc 0
  sqlite3 "$copy" "$sql"
  run --db "$copy" audit verify
  expect_rc 8
  expect_err "presentie: audit entry"
  expect_err "the audit chain does not verify"
  expect_no_out "audit chain verifies"
  run --db "$copy" audit verify --json
  expect_rc 8
  json_check "assert d['ok'] is False and len(d['problems']) >= 1, d"
}

# The absence was 'other' (unexcused); someone makes it look better.
tamper summary  "UPDATE audit SET summary = 'nothing to see' WHERE seq = 7"
tamper user     "UPDATE audit SET actor_user = 'someone-else' WHERE seq = 3"
tamper removed  "DELETE FROM audit WHERE seq = 4"
tamper last     "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)"
tamper reorder  "UPDATE audit SET at_ms = at_ms + 1 WHERE seq = 2"
if [[ -n "$(sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE name = 'versions'")" ]]; then
  # The body is sealed (at-rest encryption): without the key, the shell can
  # only change its bytes, and a changed sealed body no longer opens.
  tamper change "UPDATE versions SET body = 's1:' || substr(body, 5)
                 WHERE kind = 'attendance'"
fi

# The original is untouched and still verifies.
run audit verify
expect_rc 0

done_ok
