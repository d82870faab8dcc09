#!/usr/bin/env bash
# The register's key (docs/reliability.md, "At-rest encryption"): made with
# the register (0600, beside it, or where PRESENTIE_KEY_FILE says), taken
# from the environment (PRESENTIE_KEY) but never from the command line; a
# missing, exposed, malformed or wrong key is refused with a message that
# says what to do, before anything is read, and nothing changes. The
# personal fields are not in the register's bytes. `key rotate` replaces it.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
KEY="$PRESENTIE_DB.key"
run init --school "De Brug" --brin 25AB
expect_rc 0
expect_err "sealed with the key in $KEY (mode 0600)"
CHECKS=$((CHECKS + 1))
[[ "$(stat -c %a "$KEY")" == 600 ]] || fail "the key file has mode $(stat -c %a "$KEY")"
run --json config show
json_check "assert d['key_file'] == '$KEY', d"

NAME="Naam mrk$RANDOM$RANDOM"
run learner add --id L1 --bsn 123456782 --name "$NAME" --category family_migrant \
  --regime wi2021 --route B
expect_rc 0
run learner show L1
expect_out "$NAME"
CHECKS=$((CHECKS + 1))
for f in "$PRESENTIE_DB" "$PRESENTIE_DB-wal"; do
  [[ -e $f ]] || continue
  ! grep -a -q -e "$NAME" -e 123456782 "$f" || fail "a name or BSN is in the clear in $f"
done
snapshot "$PRESENTIE_DB" "$WORK/before.sql"

# Readable by others: refused, with the fix.
chmod 644 "$KEY"
run learner list
expect_rc 1
expect_err "may be read by others (mode 0644); make it private with: chmod 600 '$KEY'"
chmod 600 "$KEY"

# Missing: refused, never made up anew for a register that has one.
mv "$KEY" "$WORK/kept.key"
run learner list
expect_rc 1
expect_err "no key for this register: the key file '$KEY' does not exist"
CHECKS=$((CHECKS + 1))
[[ ! -e $KEY ]] || fail "a new key was made for a sealed register"

# Kept elsewhere: PRESENTIE_KEY_FILE; or the key itself in PRESENTIE_KEY.
PRESENTIE_KEY_FILE="$WORK/kept.key" run learner list
expect_rc 0
expect_out "$NAME"
PRESENTIE_KEY="$(cat "$WORK/kept.key")" run learner list
expect_rc 0
expect_out "$NAME"
PRESENTIE_KEY="not-a-key" run learner list
expect_rc 5
expect_err "PRESENTIE_KEY does not hold a key (64 hex digits)"

# Another register's key.
run --db "$WORK/other.db" init --school "Ander" --brin 26CD
expect_rc 0
PRESENTIE_KEY_FILE="$WORK/other.db.key" run learner list
expect_rc 1
expect_err "does not open the register at '$PRESENTIE_DB'"
expect_no_out "$NAME"

# Not on the command line: there is no such option.
run --key "$WORK/kept.key" learner list
expect_rc 2

mv "$WORK/kept.key" "$KEY"
snapshot "$PRESENTIE_DB" "$WORK/after.sql"
expect_same_snapshot "$WORK/before.sql" "$WORK/after.sql"
run audit verify
expect_rc 0

# A key that may have leaked is replaced: everything sealed anew, the old
# key no longer opens the register, the new one does; audited.
cp -p "$KEY" "$WORK/old.key"
run key rotate
expect_rc 0
expect_out "The register's key is replaced"
expect_err "the old key no longer opens the register"
CHECKS=$((CHECKS + 1))
! cmp -s "$KEY" "$WORK/old.key" || fail "the key file still holds the old key"
[[ "$(stat -c %a "$KEY")" == 600 ]] || fail "the new key file has mode $(stat -c %a "$KEY")"
run learner show L1
expect_rc 0
expect_out "$NAME"
PRESENTIE_KEY_FILE="$WORK/old.key" run learner list
expect_rc 1
expect_err "does not open the register"
run audit log --limit 1
expect_out "key.rotate"
run audit verify
expect_rc 0
# Not where the key lives in the environment: presentie cannot replace it.
PRESENTIE_KEY="$(cat "$KEY")" run key rotate
expect_rc 1
expect_err "the register's key is in PRESENTIE_KEY"
done_ok
