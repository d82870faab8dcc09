#!/usr/bin/env bash
# lesson import FILE and lesson add --weekly-until: a school's year of lessons
# in one command, every lesson or none. Each bad file (empty, bad header, bad
# date, unknown course, a lesson twice, a bad row last in a file larger than
# the reader's buffer) exits non-zero naming the line and column and leaves
# the register as it was; a good one is one audited write.
source "$(dirname "$0")/testlib.bash"

export PRESENTIE_DB="$WORK/register.db"
run init --school "Taalschool De Brug" --brin 25AB; expect_rc 0
run course add --id nt2-a --name "NT2 A" --component nt2 --regime wi2021 --route B; expect_rc 0
run course add --id knm-1 --name "KNM" --component knm --regime wi2021 --route B;    expect_rc 0

snapshot "$PRESENTIE_DB" "$WORK/before.sql"
unchanged() {
  snapshot "$PRESENTIE_DB" "$WORK/after.sql"
  expect_same_snapshot "$WORK/before.sql" "$WORK/after.sql"
}

# An empty file: no header.
: >"$WORK/empty.csv"
run lesson import "$WORK/empty.csv"
expect_rc 5
expect_err "empty.csv: the file is empty; expected a header row"
unchanged

# A header with a misspelt column.
printf 'course,start,minutes,teachr\nnt2-a,2026-09-07T09:00,180,JdV\n' >"$WORK/header.csv"
run lesson import "$WORK/header.csv"
expect_rc 5
expect_err "header.csv:1: unknown column 'teachr'"
unchanged

# A bad date on line 3 among good rows.
cat >"$WORK/date.csv" <<'CSV'
course,start,minutes,teacher
nt2-a,2026-09-07T09:00,180,JdV
nt2-a,2026-13-07T09:00,180,JdV
knm-1,2026-09-08T13:30,120,JdV
CSV
run lesson import "$WORK/date.csv"
expect_rc 5
expect_err "date.csv:3: column 'start':"
expect_err "nothing was imported"
expect_empty_out
unchanged

# An unknown course on line 4.
cat >"$WORK/course.csv" <<'CSV'
course,start,minutes,teacher
nt2-a,2026-09-07T09:00,180,JdV
knm-1,2026-09-08T13:30,120,JdV
nope,2026-09-09T09:00,120,JdV
CSV
run lesson import "$WORK/course.csv"
expect_rc 6
expect_err "course.csv:4: column 'course':"
expect_err "course 'nope' does not exist"
unchanged

# The same lesson twice (lines 2 and 3 have the same course and start).
cat >"$WORK/twice.csv" <<'CSV'
course;start;minutes;teacher
nt2-a;2026-09-07T09:00;180;JdV
nt2-a;2026-09-07T09:00;180;A. Bakker
CSV
run lesson import "$WORK/twice.csv"
expect_rc 7
expect_err "twice.csv:3: column 'id': lesson 'nt2-a-20260907-0900' already exists"
unchanged

# A bad weekly_until and a bad number of minutes: each reported.
cat >"$WORK/rows.csv" <<'CSV'
course,start,minutes,teacher,weekly_until
nt2-a,2026-09-07T09:00,180,JdV,2026-09-01
nt2-a,2026-09-08T09:00,0,JdV,
CSV
run lesson import "$WORK/rows.csv"
expect_rc 5
expect_err "rows.csv:2: column 'weekly_until': 2026-09-01 is before the first lesson's date"
expect_err "rows.csv:3: column 'minutes':"
expect_err "(2 of 2 rows have errors)"
unchanged

# A bad row last in a file larger than the reader's buffer (64 KiB) and
# than a write's batch: the rows before it were written inside the open
# transaction, and are rolled back with it.
python3 - "$WORK/big.csv" <<'PY'
import sys
rows = ["course,start,minutes,teacher,id"]
for i in range(3000):
    rows.append(f"nt2-a,2027-{1 + i % 12:02d}-{1 + i // 12 % 28:02d}T{8 + i // 336:02d}:00,120,"
                f"Teacher with a longer name {i},big-{i}")
rows.append("nt2-a,2027-01-01T09:00,120,JdV,big-0")  # big-0 is on line 2
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
[[ $(stat -c %s "$WORK/big.csv") -gt 65536 ]] || fail "big.csv is not larger than a buffer"
run lesson import "$WORK/big.csv"
expect_rc 7
expect_err "big.csv:3002: column 'id': lesson 'big-0' already exists"
expect_err "(1 of 3001 rows have errors)"
unchanged

# The good file: a weekly series for a school year and two single lessons.
cat >"$WORK/good.csv" <<'CSV'
course,start,minutes,teacher,id,weekly_until
nt2-a,2026-09-07T09:00,180,JdV,,2027-07-05
knm-1,2026-09-08T13:30,120,A. Bakker,knm-intro,
knm-1,2026-09-15 13:30,120,A. Bakker,,
CSV
run lesson import "$WORK/good.csv"
expect_rc 0
expect_err "Imported 46 lessons"
expect_out "nt2-a"
run --json lesson list
json_check "
ids = [l['id'] for l in d]
assert len(ids) == 46, ids
assert 'nt2-a-20260907-0900' in ids and 'nt2-a-20270705-0900' in ids, ids
assert 'knm-intro' in ids and 'knm-1-20260915-1330' in ids, ids
"
run audit log --json --limit 1
json_check "assert len(d) == 1 and d[0]['action'] == 'lesson.import', d"

# Again: every lesson exists; nothing new is written.
snapshot "$PRESENTIE_DB" "$WORK/before.sql"
run lesson import "$WORK/good.csv"
expect_rc 7
expect_err "good.csv:2: column 'id': lesson 'nt2-a-20260907-0900' already exists"
unchanged

# lesson add --weekly-until: the same weekday and time each week, up to and
# including the date.
run lesson add --course knm-1 --start 2027-01-05T10:00 --minutes 90 --teacher JdV \
  --weekly-until 2027-01-26
expect_rc 0
expect_out_line "knm-1-20270105-1000"
expect_out_line "knm-1-20270112-1000"
expect_out_line "knm-1-20270119-1000"
expect_out_line "knm-1-20270126-1000"
expect_no_out "20270202"
expect_err "Planned 4 weekly lessons"
run audit log --json --limit 1
json_check "assert d[0]['action'] == 'lesson.add' and '4 lessons' in d[0]['summary'], d"

# A series one of whose lessons exists already: none is planned.
run lesson add --course knm-1 --start 2027-02-02T10:00 --minutes 90 --teacher JdV --id knm-1-20270216-1000
expect_rc 0
snapshot "$PRESENTIE_DB" "$WORK/before.sql"
run lesson add --course knm-1 --start 2027-02-09T10:00 --minutes 90 --teacher JdV \
  --weekly-until 2027-03-02
expect_rc 7
expect_err "lesson 'knm-1-20270216-1000' already exists"
unchanged

# A date before the start, and an id with a series: usage errors, nothing written.
run lesson add --course knm-1 --start 2027-03-09T10:00 --minutes 90 --teacher JdV \
  --weekly-until 2027-03-01
expect_rc 5
expect_err "--weekly-until: 2027-03-01 is before the first lesson's date 2027-03-09"
run lesson add --course knm-1 --start 2027-03-09T10:00 --minutes 90 --teacher JdV \
  --weekly-until 2027-03-30 --id one
expect_rc 5
expect_err "--id: an id names one lesson"
unchanged

done_ok
