#!/usr/bin/env bash
# The files the authorities take today (docs/exports.md), made by the
# real binary: DUO's monthly CSV and the gemeente's report. Who is in which
# file is R1's; hours are on-site minutes, rounded down once; the files are
# 0600, written whole, never over an existing one unless asked; each export
# is in the audit log without a BSN; no reason or name leaves the school.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/admin/register.db"
export PRESENTIE_USER=admin1
OUTDIR="$WORK/out"
mkdir -p "$OUTDIR"

run init --school "Taalschool De Brug" --brin 25AB
expect_rc 0
# L1 family migrant (Wi2021, B1-route), L2 asylum permit holder of 0363,
# L3 asylum permit holder of 0518, L4 family migrant under Wi2013.
run learner add --id L1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B --level B1
expect_rc 0
run learner add --id L2 --bsn 123456782 --name "Yonas Tesfay" \
  --category asylum_permit_holder --regime wi2021 --route Z --gemeente 0363
expect_rc 0
run learner add --id L3 --bsn 100000009 --name "Ayse Ozturk" \
  --category asylum_permit_holder --regime wi2021 --route B --gemeente 0518
expect_rc 0
run learner add --id L4 --bsn 012345672 --name "Li Wei" \
  --category family_migrant --regime wi2013
expect_rc 0
run course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B \
  --start 2026-01-05 --end 2026-12-18 --hours-purchased 400
expect_rc 0
run course add --id alfa --name "Alfa" --component literacy --regime wi2021 --route Z
expect_rc 0
run course enroll nt2-a L1 L2 L3 L4
expect_rc 0
run course enroll alfa L2
expect_rc 0
lesson() {  # lesson COURSE START MINUTES → prints the new lesson's id
  run lesson add --course "$1" --start "$2" --minutes "$3" --teacher "J. de Vries"
  expect_rc 0
  cat "$OUT"
}
A1="$(lesson nt2-a 2026-02-02T09:00 180)"
A2="$(lesson nt2-a 2026-03-02T09:00 180)"
A3="$(lesson nt2-a 2026-12-07T09:00 180)"   # after the delivery date
B1="$(lesson alfa 2026-02-03T09:00 120)"
run attend "$A1" --all-present --absent L2:illness --partial L3:90
expect_rc 0
run attend "$A2" --all-present --absent L1:other --note "L1:moest naar de tandarts"
expect_rc 0
run attend "$A3" --all-present
expect_rc 0
run attend "$B1" --all-present
expect_rc 0

# --- DUO: no BoW number yet → a clear error that names the fix, no file.
run export duo --date 2026-11-30 --dir "$OUTDIR"
expect_rc 1
expect_err "config set bow-number"
[[ -z "$(ls -A "$OUTDIR")" ]] || fail "a file was written without a BoW number"
run config set bow-number 12A
expect_rc 5
run config set bow-number 00123456
expect_rc 0
run config show --json
json_check "assert d['bow_number'] == '00123456', d"

run export duo --date 2026-11-30 --dir "$OUTDIR" --json
expect_rc 0
DUO="$OUTDIR/123456Aanlevering20261130.csv"   # leading zeros dropped
json_check "assert d['file'].endswith('/123456Aanlevering20261130.csv') and d['rows'] == 2 and d['learners'] == 2, d"
[[ -f "$DUO" ]] || fail "no $DUO"
[[ "$(stat -c %a "$DUO")" == 600 ]] || fail "$DUO has mode $(stat -c %a "$DUO"), expected 600"
CHECKS=$((CHECKS + 1))
python3 - "$DUO" <<'PY' || fail "DUO's file is wrong: $(cat "$DUO")"
import sys
lines = open(sys.argv[1], newline='').read().split('\r\n')
assert lines[0] == 'bsn;soort_cursus;begindatum_cursus;einddatum_cursus;ingekochte_uren;gevolgde_uren;gevolgde_uren_ona', lines[0]
rows = {l.split(';')[0]: l.split(';') for l in lines[1:] if l}
# R1: family migrants and everyone under Wi2013 to DUO; asylum permit
# holders under Wi2021 (L2, L3) to their gemeente, never to DUO.
assert set(rows) == {'111222333', '012345672'}, rows
# L1: present on 2 Feb (180), absent on 2 Mar; 7 Dec is after the date.
assert rows['111222333'] == ['111222333', 'inburgeringscursus', '05-01-2026', '18-12-2026', '400', '3', '0'], rows
assert rows['012345672'][5] == '6', rows   # Wi2013 L4: both lessons, 360 minutes
PY
for secret in "Amina" "tandarts" "other" "illness" "123456782" "100000009"; do
  CHECKS=$((CHECKS + 1))
  ! grep -qF "$secret" "$DUO" || fail "DUO's file holds '$secret'"
done

# --- Never over an existing file, unless asked; the file is unchanged.
cp "$DUO" "$WORK/duo.before"
run attend "$A1" --all-present --absent L2:illness   # L3 now present in full
expect_rc 0
run export duo --date 2026-11-30 --dir "$OUTDIR"
expect_rc 7
expect_err "--replace"
cmp -s "$DUO" "$WORK/duo.before" || fail "the existing file changed"
run export duo --date 2026-11-30 --dir "$OUTDIR" --replace
expect_rc 0
expect_out "123456Aanlevering20261130.csv: 2 rows (2 learners)"
[[ -z "$(ls -A "$OUTDIR" | grep tmp || true)" ]] || fail "a temporary file was left: $(ls -A "$OUTDIR")"

# --- The gemeente: only its own asylum permit holders, absences as facts.
run export gemeente --gemeente 0363 --peildatum 2026-11-30 --dir "$OUTDIR"
expect_rc 0
GEM="$OUTDIR/gemeente0363Peildatum20261130.csv"
[[ "$(stat -c %a "$GEM")" == 600 ]] || fail "$GEM is not 0600"
CHECKS=$((CHECKS + 1))
python3 - "$GEM" <<'PY' || fail "the gemeente's file is wrong: $(cat "$GEM")"
import sys
lines = [l for l in open(sys.argv[1], newline='').read().split('\r\n') if l]
assert lines[0] == 'bsn;gemeentecode;peildatum;deelgenomen_uren;alfabetisering_uren;geoorloofd_verzuim_uren;ongeoorloofd_verzuim_uren;verzuim_niet_beoordeeld_uren;waarvan_vooraf_afgemeld_uren', lines[0]
assert len(lines) == 2, lines          # L2 only: L3 is 0518's, L1 and L4 DUO's
# L2: absent (ill) on 2 Feb, present on 2 Mar, 2 h literacy. The school's
# "excused" advice does not travel: 3 hours await the gemeente's verdict.
assert lines[1] == '123456782;0363;30-11-2026;3;2;0;0;3;0', lines[1]
PY
run export gemeente --gemeente 0363 --peildatum 2026-11-30 --dir "$OUTDIR" --format json
expect_rc 0
CHECKS=$((CHECKS + 1))
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d['gemeentecode'] == '0363' and d['peildatum'] == '2026-11-30' and d['brin'] == '25AB', d
assert [l['bsn'] for l in d['inburgeraars']] == ['123456782'], d
assert d['inburgeraars'][0]['verzuim_niet_beoordeeld_uren'] == 3, d
assert 'illness' not in json.dumps(d) and 'Yonas' not in json.dumps(d), d
" "$OUTDIR/gemeente0363Peildatum20261130.json" || fail "the gemeente's JSON is wrong"
run export gemeente --gemeente 0518 --peildatum 2026-02-28 --dir "$OUTDIR" --json
expect_rc 0
json_check "assert d['rows'] == 1, d"

# --- Bad input: a clear error, a non-zero exit, no file.
before="$(ls "$OUTDIR" | wc -l)"
run export gemeente --gemeente 363 --peildatum 2026-11-30 --dir "$OUTDIR"
expect_rc 5
expect_err "--gemeente"
run export gemeente --gemeente 0363 --peildatum 2026-02-30 --dir "$OUTDIR"
expect_rc 5
expect_err "--peildatum"
run export duo --date 30-11-2026 --dir "$OUTDIR"
expect_rc 5
expect_err "--date"
run export duo --date 2026-11-30 --dir "$WORK/nosuch" --replace
expect_rc 1
expect_err "nosuch"
[[ "$(ls "$OUTDIR" | wc -l)" == "$before" ]] || fail "a bad export wrote a file"

# --- Each file made is in the audit log, without a BSN; the chain verifies.
run audit log --json
expect_rc 0
json_check "
acts = [e['action'] for e in d]
assert acts.count('export.duo') == 2 and acts.count('export.gemeente') == 3 and 'config.set' in acts, acts
assert not any(b in json.dumps(d) for b in ['111222333', '123456782', '012345672']), 'a BSN in the audit log'"
run audit verify
expect_rc 0

# --- A teacher's register makes no authority file.
export PRESENTIE_DB="$WORK/teacher/register.db"
run init --school "Taalschool De Brug" --brin 25AB --role teacher
expect_rc 0
run export duo --bow-number 123456 --dir "$OUTDIR"
expect_rc 9
expect_err "admin"
run config set bow-number 123456
expect_rc 9

done_ok
