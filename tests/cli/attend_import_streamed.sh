#!/usr/bin/env bash
# attend import reads and writes a row at a time inside one transaction
# (docs/cli.md, "CSV imports"): a bad row that is the last of a file larger
# than the reader's buffer (64 KiB), than a write's batch of rows and than the
# lessons a write keeps in memory (1,024) still means nothing is written. A
# learner listed twice is found even when the first row's lesson was long
# forgotten by then.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
LESSONS=1100
run init --school "Taalschool De Brug" --brin 25AB; expect_rc 0
for spec in "L1 111222333" "L2 123456782" "L3 100000009"; do
  set -- $spec
  run learner add --id "$1" --bsn "$2" --name "Learner $1" \
    --category family_migrant --regime wi2021 --route B
  expect_rc 0
done
run course add --id nt2 --name "NT2" --component nt2 --regime wi2021 --route B; expect_rc 0
run course enroll nt2 L1 L2 L3; expect_rc 0
python3 - "$WORK/lessons.csv" "$WORK/att.csv" "$LESSONS" <<'PY'
import sys
n = int(sys.argv[3])
lessons = ["course,start,minutes,teacher,id"]
rows = ["lesson,learner,status,minutes,mode,notified,reason,note"]
for i in range(n):
    lessons.append(f"nt2,2027-{1 + i % 12:02d}-{1 + i // 12 % 28:02d}T{8 + i // 336:02d}:00,120,T,l-{i}")
    for learner, status in (("L1", "present,,,,,"), ("L2", "absent,,,yes,illness,"),
                            ("L3", "partial,60,on_site,no,other,left early")):
        rows.append(f"l-{i},{learner},{status}")
open(sys.argv[1], "w").write("\n".join(lessons) + "\n")
open(sys.argv[2], "w").write("\n".join(rows) + "\n")
PY
run lesson import "$WORK/lessons.csv"; expect_rc 0
[[ $(stat -c %s "$WORK/att.csv") -gt 65536 ]] || fail "att.csv is not larger than a buffer"

snapshot "$PRESENTIE_DB" "$WORK/before.sql"
unchanged() {
  snapshot "$PRESENTIE_DB" "$WORK/after.sql"
  expect_same_snapshot "$WORK/before.sql" "$WORK/after.sql"
}

# The last row repeats the first (line 2), 3,300 rows later.
total=$((3 * LESSONS))
cp "$WORK/att.csv" "$WORK/twice.csv"
echo "l-0,L1,absent,,,,," >>"$WORK/twice.csv"
run attend import "$WORK/twice.csv"
expect_rc 5
expect_err "twice.csv:$((total + 2)): learner 'L1' in lesson 'l-0' is also on line 2"
expect_err "(1 of $((total + 1)) rows have errors)"
expect_empty_out
unchanged

# The last row names a learner who does not exist.
cp "$WORK/att.csv" "$WORK/unknown.csv"
echo "l-5,L9,present,,,,," >>"$WORK/unknown.csv"
run attend import "$WORK/unknown.csv"
expect_rc 6
expect_err "unknown.csv:$((total + 2)): column 'learner': learner 'L9' does not exist"
unchanged

# The last row has a status that is not one.
cp "$WORK/att.csv" "$WORK/status.csv"
echo "l-7,L2,sick,,,,," >>"$WORK/status.csv"
run attend import "$WORK/status.csv"
expect_rc 5
expect_err "status.csv:$((total + 2)): column 'status':"
unchanged

# Without the bad row: every record, in one audited write.
run attend import "$WORK/att.csv"
expect_rc 0
expect_err "Imported $total attendance records"
n="$(sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM attendance")"
[[ "$n" == "$total" ]] || fail "attendance rows after the import: $n"
run audit log --json --limit 1
json_check "assert d[0]['action'] == 'attend.import' and '$total records' in d[0]['summary'], d"
run audit verify
expect_rc 0

# Again, with one record changed: an edit of each; still one write.
sed 's/^l-3,L1,present/l-3,L1,absent/' "$WORK/att.csv" >"$WORK/again.csv"
run attend import "$WORK/again.csv"
expect_rc 0
n="$(sqlite3 "$PRESENTIE_DB" "SELECT count(*) FROM attendance")"
[[ "$n" == "$total" ]] || fail "attendance rows after the re-import: $n"
run audit log --json --limit 1
json_check "assert '$total edits' in d[0]['summary'], d"

done_ok
