#!/usr/bin/env bash
# Crash test of the authority exchange, at DUO's endpoint (docs/reliability.md):
# the school's admin submits a month of DUO rows and syncs them to DUO's
# endpoint in small batches, and at a random point in each sync the client or
# DUO's server is killed with SIGKILL; a killed server restarts at once on the
# same register and port. After syncs with no kill, DUO holds every row version
# the school wrote, none twice, the same rows as the school shows (DUO holding
# them under the school's scoped keys, `<replica>~<key>`), and both audit
# chains verify.
#
# Kill points: PRESENTIE_AUTHORITY_KILL_POINTS, default 40 (15 in the
# sanitizer build).
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=admin1
if [[ "${PRESENTIE_SANITIZED:-0}" == 1 ]]; then
  POINTS="${PRESENTIE_AUTHORITY_KILL_POINTS:-15}"
else
  POINTS="${PRESENTIE_AUTHORITY_KILL_POINTS:-40}"
fi
BATCH=2

new_device school
# DUO holds the school's learner and course ids scoped by its replica id.
REP="${REPLICA[school]}"
DUO_DB="$WORK/duo/register.db"
mkdir -p "$WORK/duo" && chmod 700 "$WORK/duo"
write_authority_config "$WORK/duo.json" 0 "$DUO_DB" school duo DUO
start_server "$WORK/duo.json"
write_authority_config "$WORK/duo.json" "$PORT" "$DUO_DB" school duo DUO  # restarts keep the port
on school remote add duo "http://127.0.0.1:$PORT" --token-file "$WORK/school/token"
expect_rc 0

# 40 family migrants in one course that runs for years: every month has a
# DUO row for each of them.
learners_csv "$WORK/learners.csv" L 40 1
on school learner import "$WORK/learners.csv"
expect_rc 0
on school course add --id nt2-a --name "NT2 groep A" --component nt2 --regime wi2021 --route B \
  --start 2026-01-05 --end 2031-12-19 --hours-purchased 400
expect_rc 0
on school course enroll nt2-a $(seq -f 'L%g' 1 40)
expect_rc 0
on school lesson add --course nt2-a --start 2026-01-12T09:00 --minutes 180 --teacher "J. de Vries"
expect_rc 0
on school attend "$(cat "$OUT")" --all-present
expect_rc 0

for ((p = 0; p < POINTS; p++)); do
  # Month p from January 2026 on: 40 new rows each time.
  month=$((p % 12 + 1))
  year=$((2026 + p / 12))
  on school submit duo --date "$(printf '%d-%02d-28' "$year" "$month")"
  expect_rc 0
  sync_with_a_kill "$WORK/duo.json" "$p" school --remote duo --batch "$BATCH"
done

sync_ok school --remote duo
sync_ok school --remote duo
[[ $PUSHED == 0 ]] || fail "the last sync still pushed $PUSHED versions"
on school --json status
json_check "assert d['remotes'][0]['waiting']['versions'] == 0, d"

# Lost: a DUO row version the school wrote that DUO lacks. Duplicated: one
# stored twice at DUO. And DUO shows what the school shows. The school's
# record id duo/L/C/MONTH is duo/<replica>~L/<replica>~C/MONTH at DUO.
scoped_sql() {  # a school's DUO row id (SQL expression ID) as DUO holds it
  local rest="substr($1, 5)"
  echo "'duo/$REP~' || substr($rest, 1, instr($rest, '/')) || '$REP~' || substr($rest, instr($rest, '/') + 1)"
}
lost="$(sqlite3 "$(db_of school)" "ATTACH '$DUO_DB' AS duo;
  SELECT count(*) FROM versions v WHERE v.kind = 'duo_hours' AND NOT EXISTS
    (SELECT 1 FROM duo.versions w WHERE w.record_id = $(scoped_sql v.record_id) AND w.vv = v.vv)")"
duplicated="$(sqlite3 "$DUO_DB" "SELECT count(*) FROM (SELECT 1 FROM versions
  GROUP BY kind, record_id, vv HAVING count(*) > 1)")"
written="$(sqlite3 "$(db_of school)" "SELECT count(*) FROM versions WHERE kind = 'duo_hours'")"
CHECKS=$((CHECKS + 3))
[[ $lost == 0 ]] || fail "$lost DUO row versions lost"
[[ $duplicated == 0 ]] || fail "$duplicated DUO row versions duplicated"
[[ $written == $((POINTS * 40)) ]] || fail "the school wrote $written DUO rows, expected $((POINTS * 40))"
rows() {  # DB [SCOPE_SQL]: each register seals the BSN under its own key
  python3 - "$1" "${2:-id}" <<'PY'
import sealed, sys
for row in sealed.connect(sys.argv[1]).execute(
        f"SELECT {sys.argv[2]} AS scoped, unseal(bsn, 'bsn'), course_type, start_date, end_date, "
        "hours_purchased, hours_attended, ona_hours, vv FROM duo_hours ORDER BY scoped"):
    print("|".join(str(v) for v in row))
PY
}
# The school's rows, their ids scoped as DUO holds them, are DUO's rows.
[[ "$(rows "$(db_of school)" "$(scoped_sql id)")" == "$(rows "$DUO_DB")" ]] ||
  fail "DUO shows other rows than the school"
CHECKS=$((CHECKS + 1))
on school audit verify
expect_rc 0
run --db "$DUO_DB" audit verify
expect_rc 0
CHECKS=$((CHECKS + 1))
[[ $KILLS_LANDED -ge $((POINTS / 2)) ]] || fail "only $KILLS_LANDED of $POINTS kills hit a running sync"
stop_server
echo "authority_crash: $POINTS kill points, $KILLS_LANDED in a running sync to DUO ($CLIENT_KILLS client, $SERVER_KILLS server); $written DUO rows written, lost 0, duplicated 0"
done_ok
