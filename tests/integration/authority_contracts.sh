#!/usr/bin/env bash
# Contracts, invoices and bridging diplomas (docs/authorities.md): the admin
# enters them by hand and from CSV files (all or nothing, the line and
# column named), the register fills in each BSN and a diploma's receiver by
# R1, and a sync takes each to exactly its receiver — a real `serve` of
# role duo and one of role gemeente on loopback (each holds the school's
# learner ids and contract and invoice numbers scoped, `<replica>~<key>`).
# DUO's store then holds every contract, the invoices of everyone but the
# Wi2021 asylum permit holder (of whom none is even kept), and the family
# migrant's diploma; the gemeente's the asylum permit holder's diploma and
# nothing else of these. Neither holds which programme a diploma is for: the
# register never asks. A changed contract reaches DUO as a new version.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=admin1

new_device school
# The endpoints hold the school's keys scoped by its replica id.
REP="${REPLICA[school]}"
on school learner add --id F1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route O
expect_rc 0
on school learner add --id A1 --bsn 123456782 --name "Yonas Tesfay" \
  --category asylum_permit_holder --regime wi2021 --route O --gemeente 0363
expect_rc 0
on school learner add --id W1 --bsn 012345672 --name "Li Wei" \
  --category asylum_permit_holder --regime wi2013
expect_rc 0
on school learner add --id B1 --bsn 100000009 --name "Sara Ali" \
  --category other_migrant --regime wi2021 --route B
expect_rc 0

# Contracts: one by hand, the rest from a file. A bad row, then an unknown
# learner: nothing imported either time.
on school contract add --number 2026-001 --learner F1 --signed 2026-08-20 --start 2026-09-01 \
  --end 2027-08-31 --hours 600 --price 6500
expect_rc 0
expect_out "2026-001"
expect_out "6500.00"
expect_err "DUO receives every contract"
on school contract add --number 2026-009 --learner F1 --signed 2026-08-20 --start 2026-09-01 \
  --end 2026-08-31 --hours 600 --price 6500
expect_rc 5
expect_err "ends before it starts"
on school contract add --number 2026-009 --learner F1 --signed 2026-08-20 --start 2026-09-01 \
  --end 2027-08-31 --hours 600 --price 65,000
expect_rc 5
expect_err "--price: '65,000' is not an amount in euro"
cat >"$WORK/contracts.csv" <<'CSV'
number;learner;signed;start;end;hours;price
2026-002;A1;2026-08-21;2026-09-01;2027-08-31;600;0
2026-003;W1;2026-08-22;2026-09-01;2026-31-12;400;4200,50
2026-004;B1;2026-08-23;2026-09-01;2027-06-30;500;5000.00
CSV
on school contract import "$WORK/contracts.csv"
expect_rc 5
expect_err "contracts.csv:3: column 'end': is not a date"
expect_err "nothing was imported"
sed -i 's/2026-31-12/2026-12-31/; s/;B1;/;X9;/' "$WORK/contracts.csv"
on school contract import "$WORK/contracts.csv"
expect_rc 6
expect_err "'X9'"
expect_err "nothing was imported"
on school --json contract list
json_check "assert [c['number'] for c in d] == ['2026-001'], d"
sed -i 's/;X9;/;B1;/' "$WORK/contracts.csv"
on school --json contract import "$WORK/contracts.csv"
expect_rc 0
json_check "
assert d['new'] == 3, d
assert [(c['number'], c['learner'], c['price_cents']) for c in d['contracts']] == [
    ('2026-002', 'A1', 0), ('2026-003', 'W1', 420050), ('2026-004', 'B1', 500000)], d"

# Invoices: none of the Wi2021 asylum permit holder (R1: nobody receives it).
on school invoice add --number F-0001 --contract 2026-001 --date 2026-10-01 --hours 120 \
  --amount 1300.00
expect_rc 0
on school invoice add --number F-0002 --contract 2026-002 --date 2026-10-01 --amount 1300
expect_rc 1
expect_err "R1 sends such an invoice to no authority"
on school invoice add --number F-0002 --contract 2026-999 --date 2026-10-01 --amount 1300
expect_rc 6
expect_err "contract '2026-999' does not exist"
cat >"$WORK/invoices.csv" <<'CSV'
number,contract,date,amount,hours
F-0003,2026-003,2026-10-01,700.25,60
F-0004,2026-004,2026-10-01,900,
CSV
on school invoice import "$WORK/invoices.csv"
expect_rc 0
expect_err "2 new, 0 changed, 0 unchanged"
on school --json invoice list
json_check "
assert [(i['number'], i['learner'], i['amount_cents'], i['hours']) for i in d] == [
    ('F-0001', 'F1', 130000, 120), ('F-0003', 'W1', 70025, 60), ('F-0004', 'B1', 90000, 0)], d"

# Bridging diplomas: the onderwijsroute only; the receiver is R1's.
on school diploma add --learner B1 --date 2027-06-30
expect_rc 1
expect_err "not on the onderwijsroute"
printf 'learner,date\nF1,2027-06-30\nA1,2027-07-15\n' >"$WORK/diplomas.csv"
on school diploma import "$WORK/diplomas.csv"
expect_rc 0
expect_out "gemeente 0363"
on school --json diploma list
json_check "
assert [(x['learner'], x['receiver'], x['gemeente']) for x in d] == [
    ('F1', 'duo', ''), ('A1', 'gemeente', '0363')], d"

# A teacher's register keeps none of these.
mkdir -p "$WORK/teacher"
run --db "$WORK/teacher/register.db" init --school "Taalschool De Brug" --brin 25AB --role teacher
expect_rc 0
run --db "$WORK/teacher/register.db" contract add --number 1 --learner F1 --signed 2026-08-20 \
  --start 2026-09-01 --end 2027-08-31 --hours 1 --price 1
expect_rc 9
expect_err "admin"

# DUO, then the gemeente: serve, sync, stop.
serve_and_sync() {  # NAME ROLE [CODE]
  local name="$1" role="$2" code="${3:-}"
  mkdir -p "$WORK/$name" && chmod 700 "$WORK/$name"
  write_authority_config "$WORK/$name.json" 0 "$WORK/$name/register.db" school "$role" "$name" "$code"
  start_server "$WORK/$name.json"
  on school remote remove "$name"  # the port is new each time
  on school remote add "$name" "http://127.0.0.1:$PORT" --token-file "$WORK/school/token"
  expect_rc 0
  sync_ok school --remote "$name"
  stop_server
}
serve_and_sync duo duo
[[ $PUSHED == 8 ]] || fail "DUO: pushed $PUSHED; expected 4 contracts, 3 invoices, 1 diploma"
serve_and_sync gemeente gemeente 0363
[[ $PUSHED == 1 ]] || fail "gemeente: pushed $PUSHED; expected its resident's diploma"

CHECKS=$((CHECKS + 1))
python3 - "$WORK" "$REP" <<'PY' || fail "an endpoint does not hold exactly what R1 gives it"
import os, sealed, sys
work, r = sys.argv[1:]
# Numbers and learner ids as the endpoints hold them: scoped by the school.
def s(key):
    return f"{r}~{key}"
duo = sealed.connect(os.path.join(work, "duo", "register.db"))
rows = sorted(duo.execute(
    "SELECT id, learner_id, unseal(bsn, 'bsn'), hours, price_cents FROM contract"))
assert rows == [
    (s("2026-001"), s("F1"), "111222333", 600, 650000), (s("2026-002"), s("A1"), "123456782", 600, 0),
    (s("2026-003"), s("W1"), "012345672", 400, 420050),
    (s("2026-004"), s("B1"), "100000009", 500, 500000)], rows
rows = sorted(duo.execute(
    "SELECT id, contract_id, unseal(bsn, 'bsn'), amount_cents FROM invoice"))
assert rows == [
    (s("F-0001"), s("2026-001"), "111222333", 130000), (s("F-0003"), s("2026-003"), "012345672", 70025),
    (s("F-0004"), s("2026-004"), "100000009", 90000)], rows
rows = list(duo.execute("SELECT id, unseal(bsn, 'bsn'), awarded_on FROM bridging_diploma"))
assert rows == [(f"duo/diploma/{s('F1')}", "111222333", "2027-06-30")], rows
g = sealed.connect(os.path.join(work, "gemeente", "register.db"))
rows = list(g.execute("SELECT id, unseal(bsn, 'bsn'), gemeente_code FROM bridging_diploma"))
assert rows == [(f"gemeente/0363/diploma/{s('A1')}", "123456782", "0363")], rows
assert {k for (k,) in g.execute("SELECT DISTINCT kind FROM versions")} == {"bridging_diploma"}
for ep in ("duo", "gemeente"):
    raw = b"".join(open(os.path.join(work, ep, f), "rb").read()
                   for f in os.listdir(os.path.join(work, ep)) if f.startswith("register.db"))
    for name in (b"Amina", b"Yonas", b"Li Wei", b"Sara"):
        assert name not in raw, (ep, name)
PY

# A changed contract is a new version at DUO, which shows the new hours.
on school contract add --number 2026-004 --learner B1 --signed 2026-08-23 --start 2026-09-01 \
  --end 2027-06-30 --hours 450 --price 5000
expect_rc 0
expect_err "0 new, 1 changed"
serve_and_sync duo duo
[[ $PUSHED == 1 ]] || fail "the changed contract: pushed $PUSHED"
# DUO lists (and filters by) the learner and number as it holds them: scoped.
run --db "$WORK/duo/register.db" --json contract list --learner "$REP~B1"
expect_rc 0
json_check "assert [(c['number'], c['hours']) for c in d] == [('$REP~2026-004', 450)], d"
on school audit verify
expect_rc 0
done_ok
