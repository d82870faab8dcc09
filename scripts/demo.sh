#!/usr/bin/env bash
# The README's offline teacher scenario, run end to end as a walkthrough: each
# command is printed before it runs, then its output. No network is used.
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
trap 'rm -rf "$demo"' EXIT

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

say "Every write is in the hash-chained audit log."
step presentie audit verify
step presentie audit log

printf '\n%sDemo finished: every command succeeded.%s\n' "$bold" "$plain"
