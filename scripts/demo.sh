#!/usr/bin/env bash
# The README's scenarios, run end to end as a walkthrough: each command is
# printed before it runs, then its output. First the offline teacher scenario
# (no network); then the school's hub: `presentie serve` on a loopback port,
# the office register and a teacher's laptop syncing through it until both
# hold the same register; then DUO's endpoint and gemeente 0363's, to which
# the admin submits their rows (and DUO a correction).
#
#   bash scripts/demo.sh PATH/TO/presentie      (what `make demo` runs)
#
# Works in a temporary folder that is removed at the end; exits non-zero as
# soon as a command fails.
set -euo pipefail

if [[ $# -ne 1 || ! -x "$1" ]]; then
  echo "usage: $0 PATH/TO/presentie" >&2
  exit 2
fi
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
demo="$(mktemp -d)"
hub_pid=""
authority_pids=()
stop_hub() {
  if [[ -n "$hub_pid" ]]; then
    kill -TERM "$hub_pid" 2>/dev/null || true
    wait "$hub_pid" 2>/dev/null || true
    hub_pid=""
  fi
}
stop_authorities() {
  local pid
  for pid in "${authority_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  authority_pids=()
}
trap 'stop_hub; stop_authorities; rm -rf "$demo"' EXIT

# start_server CONFIG OUT LOG: `presentie serve` in the background; prints
# its URL once it listens.
start_server() {
  presentie serve --config "$1" >"$2" 2>"$3" &
  local pid=$!
  for _ in $(seq 300); do
    grep -q "listening on" "$2" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  started_pid=$pid
}

# serve_authority NAME: `presentie serve --config NAME.json` in the
# background until the demo ends; sets authority_url.
serve_authority() {
  printf '%s$ presentie serve --config %s.json &%s\n' "$bold" "$1" "$plain"
  start_server "$1.json" "$1.out" "$1.log"
  authority_pids+=("$started_pid")
  cat "$1.out"
  authority_url="http://$(grep -oE '[0-9.]+:[0-9]+' "$1.out" | head -1)"
}

# `presentie` on the PATH, so every printed command can be typed as shown.
mkdir -p "$demo/bin"
ln -s "$binary" "$demo/bin/presentie"
export PATH="$demo/bin:$PATH"
export PRESENTIE_DB="$demo/register.db"
export PRESENTIE_USER="j.devries"
cd "$demo"

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then bold=$'\e[1m'; plain=$'\e[0m'; else bold=; plain=; fi

say() { printf '\n%s# %s%s\n' "$bold" "$*" "$plain"; }
# step CMD ARGS...: print the command as one would type it, then run it.
step() {
  local shown=""
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=@%+-]+$ ]]; then shown+="$arg "; else shown+="'$arg' "; fi
  done
  printf '%s$ %s%s\n' "$bold" "${shown% }" "$plain"
  "$@"
}

say "The register lives in one file; PRESENTIE_DB says where (default: ~/.local/share/presentie)."
step presentie init --school "Taalschool De Brug" --brin 25AB

say "The admin adds a learner by hand ..."
step presentie learner add --id L1 --bsn 111222333 --name "Amina Haddad" \
  --category family_migrant --regime wi2021 --route B --level B1

say "... and two more from the spreadsheet the school kept so far."
cat >learners.csv <<'CSV'
id,bsn,name,category,regime,route,level,literacy,estimated_hours,gemeente,lessons_per_week
L2,123456782,Yonas Tesfay,asylum_permit_holder,wi2021,Z,,A,,0363,3
L3,100000009,"Öztürk, Ayşe",other_migrant,wi2021,B,B1,NVT,600,,2
CSV
step cat learners.csv
step presentie learner import learners.csv
step presentie learner list

say "A course, its learners, and Monday's lesson."
step presentie course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B
step presentie course enroll nt2-a L1 L2 L3
step presentie lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 --teacher "J. de Vries"

say "After the lesson, offline: everyone was there, except Yonas (ill) and Ayşe (left after 90 minutes)."
step presentie attend nt2-a-20261130-0900 --all-present --absent L2:illness --partial L3:90

say "Hours per learner and component, against the norms (R3) and substantial effort (R4)."
step presentie report hours

say "The same for a program: stable JSON."
step presentie report hours --learner L1 --json

say "The files the authorities take today: DUO's monthly CSV (Amina and Ayşe: R1 sends their hours to DUO) ..."
step presentie config set bow-number 123456
step presentie export duo --date 2026-11-30
step cat 123456Aanlevering20261130.csv
say "... and the gemeente's report for its asylum permit holder Yonas: his absence awaits the gemeente's verdict."
step presentie export gemeente --gemeente 0363 --peildatum 2026-11-30
step cat gemeente0363Peildatum20261130.csv

say "Names, BSNs and reasons are sealed in the file with the register's key (register.db.key, 0600): the file alone shows none of them."
step grep -c -a -e "Amina" -e 111222333 -e illness register.db || true
say "A key that may have leaked is replaced: everything is sealed anew, the old key no longer opens the register."
step presentie key rotate
step presentie learner show L1

say "Every write is in the hash-chained audit log, and so is every file made for an authority."
step presentie audit verify
step presentie audit log

# --- The hub ------------------------------------------------------------------
# token_entry NAME ROLE REPLICA FILE: makes a device token into FILE (0600)
# and prints the config entry that admits it.
token_entry() {
  presentie --json serve token --name "$1" --role "$2" --replica "$3" --token-file "$4" |
    python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["config_entry"]))'
}

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

say "The school's hub. Each teacher's device gets its own register (role teacher): J. de Vries's laptop, P. Bakker's tablet ..."
step presentie --db laptop.db init --school "Taalschool De Brug" --brin 25AB --role teacher
step presentie --db tablet.db init --school "Taalschool De Brug" --brin 25AB --role teacher
say "... and the admin issues a token per device, for the replica id each register has."
step presentie config show
office_replica="$(presentie --json config show | json_field replica_id)"
laptop_replica="$(presentie --db laptop.db --json config show | json_field replica_id)"
office_entry="$(token_entry office admin "$office_replica" office.token)"
laptop_entry="$(token_entry laptop-jdv teacher "$laptop_replica" laptop.token)"
tablet_replica="$(presentie --db tablet.db --json config show | json_field replica_id)"
tablet_entry="$(token_entry tablet-pb teacher "$tablet_replica" tablet.token)"
cat >hub.json <<JSON
{
  "listen_host": "127.0.0.1",
  "port": 0,
  "register_path": "hub.db",
  "school_name": "Taalschool De Brug",
  "brin": "25AB",
  "tokens": [
    $office_entry,
    $laptop_entry,
    $tablet_entry
  ]
}
JSON
say "The hub's config holds each token's hash, never the token (port 0: any free port)."
step cat hub.json
say "The hub serves on loopback here (plain HTTP is for loopback only; give it tls_cert_file"
say "and tls_key_file for the network). It runs in the background until SIGTERM."
printf '%s$ presentie serve --config hub.json &%s\n' "$bold" "$plain"
start_server hub.json hub.out hub.log
hub_pid=$started_pid
cat hub.out
url="http://$(grep -oE '[0-9.]+:[0-9]+' hub.out | head -1)"

say "The office sends its register to the hub."
step presentie remote add hub "$url" --token-file office.token
step presentie sync
say "The laptop receives it: learners, course, lesson, attendance."
step presentie --db laptop.db remote add hub "$url" --token-file laptop.token
step presentie --db laptop.db sync
step presentie --db laptop.db report hours

say "Tuesday, offline: the teacher records the next lesson on the laptop ..."
step presentie --db laptop.db lesson add --course nt2-a --start 2026-12-01T09:00 --minutes 180 \
  --teacher "J. de Vries"
step presentie --db laptop.db attend nt2-a-20261201-0900 --all-present --absent L1:doubtful
say "What waits on the laptop for the hub: the new lesson and its records."
step presentie --db laptop.db status
say "... and syncs when back online; the office syncs and has it too."
step presentie --db laptop.db sync
step presentie --db laptop.db status
step presentie sync
step presentie report hours

say "Both registers now hold the same records and versions, byte for byte."
presentie debug dump >office.dump
presentie --db laptop.db debug dump >laptop.dump
step cmp office.dump laptop.dump
echo "identical: $(grep -c . office.dump) lines"

say "Wednesday's lesson has two teachers. The office plans it; both devices receive it ..."
step presentie lesson add --course nt2-a --start 2026-12-02T09:00 --minutes 180 --teacher "J. de Vries"
step presentie sync
step presentie --db laptop.db sync
step presentie --db tablet.db remote add hub "$url" --token-file tablet.token
step presentie --db tablet.db sync
say "... and each records it offline. They disagree about Ayşe (L3): the laptop has her present, the tablet absent, ill, notified in advance."
step presentie --db laptop.db attend nt2-a-20261202-0900 --all-present
PRESENTIE_USER=p.bakker step presentie --db tablet.db attend nt2-a-20261202-0900 --all-present --absent L3:illness --notified L3
say "Both sync. Every register shows the same merged value and opens the same conflict for the admin."
step presentie --db laptop.db sync
step presentie --db tablet.db sync
step presentie --db laptop.db sync
step presentie sync
step presentie conflicts list
say "Which rule decided what the register shows meanwhile, and why the admin must look:"
step presentie explain nt2-a-20261202-0900 L3
say "The admin checks the sign-in sheet and resolves it; the resolution reaches every device."
step presentie conflicts resolve nt2-a-20261202-0900/L3 --reason "on the sign-in sheet" --status present
step presentie sync
step presentie --db laptop.db sync
step presentie --db tablet.db sync
step presentie --db tablet.db conflicts list
step presentie --db tablet.db explain nt2-a-20261202-0900 L3

say "DUO's endpoint: a presentie serve of role duo. It admits the school's admin and takes only DUO rows."
duo_entry="$(token_entry brug-admin admin "$office_replica" duo.token)"
cat >duo.json <<JSON
{
  "role": "duo",
  "listen_host": "127.0.0.1",
  "port": 0,
  "register_path": "duo.db",
  "school_name": "DUO",
  "tokens": [
    $duo_entry
  ]
}
JSON
serve_authority duo
duo_url=$authority_url
say "The admin submits November: the rows of DUO's file, as records."
step presentie submit duo --date 2026-11-30
say "And Amina's (L1) contract with the school and its first invoice: R1 sends both to DUO as entered."
step presentie contract add --number 2026-001 --learner L1 --signed 2026-08-20 --start 2026-09-01 --end 2027-08-31 --hours 600 --price 6500
step presentie invoice add --number F-0001 --contract 2026-001 --date 2026-10-01 --hours 120 --amount 1300
step presentie remote add duo "$duo_url" --token-file duo.token
step presentie sync --remote duo
say "DUO's store holds the rows — BSN, course type, hours — and nothing else: no name, no reason."
step presentie --db duo.db debug dump
say "A late correction: L3 turns out to have attended all of Monday's lesson."
step presentie attend nt2-a-20261130-0900 --present L3
step presentie submit duo --date 2026-11-30
step presentie status
step presentie sync --remote duo
say "DUO records Amina's (L1) reading exam at its endpoint; the school's next sync brings it back."
PRESENTIE_USER=examens step presentie --db duo.db exams record --bsn 111222333 --exam lezen --level B1 --result passed --date 2026-12-03
say "DUO also extends Amina's integration term (substantial effort, R4, is a ground for that); the same sync brings it."
PRESENTIE_USER=examens step presentie --db duo.db duty record --bsn 111222333 --status extended --term-end 2027-12-31 --date 2026-12-03
step presentie sync --remote duo
step presentie exams list
step presentie duty list

say "Gemeente 0363's endpoint takes only its own residents' rows: here Yonas (L2), an asylum permit holder."
gem_entry="$(token_entry brug-admin admin "$office_replica" gemeente.token)"
cat >gemeente.json <<JSON
{
  "role": "gemeente",
  "gemeente_code": "0363",
  "listen_host": "127.0.0.1",
  "port": 0,
  "register_path": "gemeente.db",
  "school_name": "Gemeente Amsterdam",
  "tokens": [
    $gem_entry
  ]
}
JSON
serve_authority gemeente
gem_url=$authority_url
step presentie submit gemeente --gemeente 0363 --peildatum 2026-11-30
step presentie remote add gemeente-0363 "$gem_url" --token-file gemeente.token
step presentie sync --remote gemeente-0363
say "The gemeente holds the hours and the facts of Yonas's absence to classify; no reason, no name."
step sqlite3 -header -column gemeente.db "SELECT gemeente_code, peildatum, attended_hours, excused_hours, unexcused_hours, unclassified_hours, notified_hours FROM gemeente_hours"
step presentie --db gemeente.db absences list
say "The gemeente classifies it at its endpoint (R2: for an asylum permit holder the gemeente decides; it never learns the reason)."
PRESENTIE_USER=ambtenaar step presentie --db gemeente.db absences decide unexcused nt2-a-20261130-0900/L2 --date 2026-12-01
say "The school's next sync brings the decision back; it wins over the school's own view in every report."
step presentie sync --remote gemeente-0363
step presentie absences list
step presentie explain nt2-a-20261130-0900 L2
step presentie report hours --learner L2
say "The gemeente also sets Yonas's personal plan (PIP): the B1-route now, four lessons a week. The school works to it from its next sync."
PRESENTIE_USER=ambtenaar step presentie --db gemeente.db pip set --bsn 123456782 --route B --level B1 --literacy A --estimated-hours 600 --lessons-per-week 4 --date 2026-12-01
say "... and tells the school where Yonas lives now (NAW data); the address stays at the school."
PRESENTIE_USER=ambtenaar step presentie --db gemeente.db naw set --bsn 123456782 --name "Yonas Tesfay" --address "Kerkstraat 12 A" --postcode 1011AB --residence Amsterdam --date 2026-12-01
step presentie sync --remote gemeente-0363
step presentie learner show L2

say "Blik op Werk's endpoint takes the planning of B1-route, Z-route and Wi2013 courses and their teachers' qualifications; nothing about a learner."
bow_entry="$(token_entry brug-admin admin "$office_replica" bow.token)"
cat >bow.json <<JSON
{
  "role": "bow",
  "listen_host": "127.0.0.1",
  "port": 0,
  "register_path": "bow.db",
  "school_name": "Blik op Werk",
  "tokens": [
    $bow_entry
  ]
}
JSON
serve_authority bow
bow_url=$authority_url
step presentie qualification add --teacher "J. de Vries" --component nt2 --title "Post-hbo NT2-docent" --obtained 2015-06-30
step presentie submit bow
step presentie remote add bow "$bow_url" --token-file bow.token
step presentie sync --remote bow
step presentie --db bow.db bow list
stop_authorities

say "The office relays what the authorities sent to the hub; the teacher's laptop sees it at its next sync."
step presentie sync --remote hub
step presentie --db laptop.db sync
step presentie --db laptop.db exams list
step presentie --db laptop.db explain nt2-a-20261130-0900 L2

say "The hub stops cleanly on SIGTERM; its log has one line per request and no personal data."
stop_hub
step tail -n 4 hub.log

printf '\n%sDemo finished: every command succeeded.%s\n' "$bold" "$plain"
