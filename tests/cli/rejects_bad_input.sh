#!/usr/bin/env bash
# (b) An invalid BSN, an unknown learner id and a CSV with one malformed row
# each give a clear error on stderr, the documented exit code, and leave the
# register exactly as it was (compared as a full SQL dump).
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
run init --school "Taalschool De Brug" --brin 25AB;                                 expect_rc 0
run learner add --id L1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B;                             expect_rc 0
run course add --id nt2-a --name "NT2 A" --component nt2 --regime wi2021 --route B; expect_rc 0
run course enroll nt2-a L1;                                                        expect_rc 0
run lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher JdV; expect_rc 0
LESSON="$(cat "$OUT")"

snapshot "$PRESENTIE_DB" "$WORK/before.sql"
unchanged() {
  snapshot "$PRESENTIE_DB" "$WORK/after.sql"
  expect_same_snapshot "$WORK/before.sql" "$WORK/after.sql"
}

# --- An invalid BSN (fails the elfproef): exit 5, never echoed.
run learner add --id L2 --bsn 123456789 --name "Yonas Tesfay" \
  --category family_migrant --regime wi2021 --route B
expect_rc 5
expect_err "presentie: error: --bsn:"
expect_err "elfproef"
expect_no_err "123456789"
expect_empty_out
unchanged
run learner add --id L2 --bsn 12345 --name "Yonas Tesfay" \
  --category family_migrant --regime wi2021 --route B
expect_rc 5
expect_no_err "12345"
unchanged

# --- An unknown learner id: exit 6, the id named, nothing recorded.
run attend "$LESSON" --all-present --absent L9:illness
expect_rc 6
expect_err "'L9'"
expect_err "nothing was recorded"
expect_empty_out
unchanged
run course enroll nt2-a L1 L8 L9
expect_rc 6
expect_err "'L8'"
expect_err "'L9'"
unchanged
run learner show L9
expect_rc 6
unchanged
run attend no-such-lesson --all-present
expect_rc 6
expect_err "no-such-lesson"
unchanged

# --- A CSV with one malformed row among good ones: exit 5, line and column
# named, BSN not echoed, nothing of the file imported.
cat >"$WORK/learners.csv" <<'CSV'
id,bsn,name,category,regime,route
L2,123456782,Yonas Tesfay,asylum_permit_holder,wi2021,Z
L3,100000008,"Öztürk, Ayşe",other_migrant,wi2021,B
L4,100000009,Sara Mekonnen,family_migrant,wi2021,B
CSV
run learner import "$WORK/learners.csv"
expect_rc 5
expect_err "$WORK/learners.csv:3: column 'bsn':"
expect_err "nothing was imported"
expect_no_err "100000008"
expect_no_out_line "L2"
unchanged
run learner list --json
json_check "assert [l['id'] for l in d] == ['L1'], d"

# Other kinds of bad file, each all-or-nothing with its own message.
printf 'id,bsn,name,category,regime,route\nL2,123456782,"Yonas,asylum_permit_holder,wi2021,Z\n' \
  >"$WORK/quote.csv"
run learner import "$WORK/quote.csv"
expect_rc 5
expect_err "quote.csv:2: a quoted field is not closed"
unchanged

printf 'id,bsn,name,category,regime,colour\nL2,123456782,Y,family_migrant,wi2021,red\n' \
  >"$WORK/column.csv"
run learner import "$WORK/column.csv"
expect_rc 5
expect_err "column.csv:1: unknown column 'colour'"
unchanged

printf 'id,bsn,name,category\nL2,123456782,Y,family_migrant\n' >"$WORK/missing.csv"
run learner import "$WORK/missing.csv"
expect_rc 5
expect_err "missing.csv:1: missing column 'regime'"
unchanged

printf 'id,bsn,name,category,regime,route\nL2,123456782,Y,family_migrant,wi2021\n' >"$WORK/short.csv"
run learner import "$WORK/short.csv"
expect_rc 5
expect_err "short.csv:2: 5 fields, but the header has 6 columns"
unchanged

printf 'id,bsn,name,category,regime,route\nL1,100000009,Dup,family_migrant,wi2021,B\n' >"$WORK/dup.csv"
run learner import "$WORK/dup.csv"
expect_rc 7
expect_err "dup.csv:2: column 'id': learner 'L1' already exists"
unchanged

printf 'id,bsn,name,category,regime,route\nL5,111222333,Same BSN,family_migrant,wi2021,B\n' >"$WORK/bsn.csv"
run learner import "$WORK/bsn.csv"
expect_rc 7
expect_err "bsn.csv:2: column 'bsn': learner 'L1' already has this BSN"
expect_no_err "111222333"
unchanged

run learner import "$WORK/nonexistent.csv"
expect_rc 6
unchanged

# --- Adding what exists: exit 7.
run learner add --id L1 --bsn 100000009 --name X --category family_migrant --regime wi2021 --route B
expect_rc 7
unchanged

# --- Nothing of the above reached the audit log either.
run audit verify
expect_rc 0
expect_out "audit chain verifies: 5 entries"

done_ok
