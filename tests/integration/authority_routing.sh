#!/usr/bin/env bash
# R1 over the wire, every combination: a school with a learner of
# every category × regime × route — asylum permit holders split over two
# gemeenten — each with an attended lesson and an absence. The admin submits
# to DUO and to both gemeenten and syncs with each endpoint (a real `serve`
# per role, one after the other). Then each endpoint's store (which holds the
# school's keys scoped, `<replica>~<key>`) is read and compared, learner by
# learner and data kind by data kind, with what R1's routing table
# (docs/rules.md) gives it, written out here on its own rather than asked of
# the code under test:
#   attended hours:  family/other migrants and everyone under Wi2013 → DUO;
#                    Wi2021 asylum permit holders → their own gemeente
#   absence facts:   Wi2021 asylum permit holders → their own gemeente
#                    (never the reason)
#   absence classification: the school's, for everyone else → DUO (never
#                    the reason)
#   course planning, teacher qualifications: B1-route, Z-route and Wi2013
#                    courses → BoW (not the onderwijsroute); no learner data
#   contracts:       every learner → DUO
#   invoices:        → DUO, except Wi2021 asylum permit holders' (nobody:
#                    the school does not even keep one)
#   bridging diploma (onderwijsroute learners): → DUO; a Wi2021 asylum
#                    permit holder's → their own gemeente
# and no endpoint holds any other kind, any other learner, or a reason.
source "$(dirname "$0")/synclib.bash"
export PRESENTIE_USER=admin1

new_device school

# The learners, one per combination; BSNs pass the elfproef.
python3 - "$WORK/learners.csv" <<'PY' || fail "cannot write the learners"
import sys
def bsn(n):
    k = n
    while True:
        d = [int(c) for c in f"{10000000 + k:08d}"]
        check = sum(w * x for w, x in zip(range(9, 1, -1), d)) % 11
        if check < 10:
            return "".join(map(str, d)) + str(check)
        k += 1000
rows = ["id,bsn,name,category,regime,route,level,literacy,estimated_hours,gemeente,lessons_per_week"]
n = 0
for cat in ["family_migrant", "other_migrant", "asylum_permit_holder"]:
    for regime, route in [("wi2013", ""), ("wi2021", "B"), ("wi2021", "O"), ("wi2021", "Z")]:
        n += 1
        gemeente = ""
        if cat == "asylum_permit_holder":
            gemeente = "0518" if route == "O" else "0363"
        lid = f"{cat[:3]}-{regime}-{route or 'none'}"
        rows.append(f"{lid},{bsn(n)},Naam {n},{cat},{regime},{route},,NVT,,{gemeente},2")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
on school learner import "$WORK/learners.csv"
expect_rc 0

# One course per regime and route; each learner in its own; a lesson
# attended and a lesson missed (ill: a reason that must never leave).
declare -A LESSON1=() LESSON2=()
for course in wi2013-none wi2021-B wi2021-O wi2021-Z; do
  regime="${course%-*}"
  route="${course#*-}"
  route_flag=()
  [[ "$route" != none ]] && route_flag=(--route "$route")
  on school course add --id "c-$course" --name "NT2 $course" --component nt2 --regime "$regime" \
    "${route_flag[@]}"
  expect_rc 0
  on school course enroll "c-$course" "fam-$course" "oth-$course" "asy-$course"
  expect_rc 0
  on school lesson add --course "c-$course" --start 2026-11-02T09:00 --minutes 180 --teacher "Docent $course"
  expect_rc 0
  LESSON1[$course]="$(cat "$OUT")"
  on school lesson add --course "c-$course" --start 2026-11-09T09:00 --minutes 120 --teacher "Docent $course"
  expect_rc 0
  LESSON2[$course]="$(cat "$OUT")"
  on school attend "${LESSON1[$course]}" --all-present
  expect_rc 0
  on school attend "${LESSON2[$course]}" --all-present --absent "fam-$course:illness" \
    --absent "oth-$course:illness" --absent "asy-$course:illness"
  expect_rc 0
  on school qualification add --teacher "Docent $course" --component nt2 --title "NT2 $course" \
    --obtained 2015-06-30
  expect_rc 0
done

# A contract of every learner, an invoice on each, and a bridging diploma
# of each onderwijsroute learner.
for who in fam oth asy; do
  for course in wi2013-none wi2021-B wi2021-O wi2021-Z; do
    lid="$who-$course"
    on school contract add --number "k-$lid" --learner "$lid" --signed 2026-08-20 \
      --start 2026-09-01 --end 2027-08-31 --hours 600 --price 6500
    expect_rc 0
    on school invoice add --number "f-$lid" --contract "k-$lid" --date 2026-10-01 \
      --amount 1300,00 --hours 120
    if [[ "$who" == asy && "$course" != wi2013-none ]]; then
      expect_rc 1
      expect_err "R1 sends such an invoice to no authority"
    else
      expect_rc 0
    fi
    if [[ "$course" == wi2021-O ]]; then
      on school diploma add --learner "$lid" --date 2026-11-20
      expect_rc 0
    fi
  done
done

on school submit duo --date 2026-11-30
expect_rc 0
for code in 0363 0518; do
  on school submit gemeente --gemeente "$code" --peildatum 2026-11-30
  expect_rc 0
done
on school submit bow
expect_rc 0

# Each endpoint in turn: serve, sync, stop.
serve_and_sync() {  # NAME ROLE [CODE]
  local name="$1" role="$2" code="${3:-}"
  mkdir -p "$WORK/$name" && chmod 700 "$WORK/$name"
  write_authority_config "$WORK/$name.json" 0 "$WORK/$name/register.db" school "$role" "$name" "$code"
  start_server "$WORK/$name.json"
  on school remote add "$name" "http://127.0.0.1:$PORT" --token-file "$WORK/school/token"
  expect_rc 0
  sync_ok school --remote "$name"
  stop_server
}
serve_and_sync duo duo
serve_and_sync gemeente-0363 gemeente 0363
serve_and_sync gemeente-0518 gemeente 0518
serve_and_sync bow bow

CHECKS=$((CHECKS + 1))
python3 - "$WORK" "$(db_of school)" "${REPLICA[school]}" <<'PY' || fail "an endpoint does not hold exactly what R1 gives it"
import os, sealed, sys
work, school_db, rep = sys.argv[1:]
school = sealed.connect(school_db)
def s(key):  # a school's key (learner, course, contract) as an endpoint holds it
    return f"{rep}~{key}"
learners = {lid: (bsn, cat, regime, code, route) for lid, bsn, cat, regime, code, route in
            school.execute("SELECT id, unseal(bsn, 'bsn'), category, regime, gemeente_code, route "
                           "FROM learner")}
assert len(learners) == 12, learners

# R1 (docs/rules.md), written out.
def hours_to(cat, regime, code):
    if cat == "asylum_permit_holder" and regime == "wi2021":
        return "gemeente-" + code
    return "duo"
def absences_to(cat, regime, code):
    # The facts to the gemeente, which classifies; or the school's
    # classification (ill: excused) to DUO.
    if cat == "asylum_permit_holder" and regime == "wi2021":
        return "gemeente-" + code
    return "duo"

def contract_to(cat, regime, code):
    return "duo"
def invoice_to(cat, regime, code):
    return None if cat == "asylum_permit_holder" and regime == "wi2021" else "duo"
def diploma_to(cat, regime, route, code):
    if route != "O":
        return None
    return "gemeente-" + code if cat == "asylum_permit_holder" else "duo"

def planning_to(regime, route):
    return "bow" if regime == "wi2013" or route in ("B", "Z") else None

courses = {cid: (regime, route) for cid, regime, route in school.execute(
    "SELECT id, regime, route FROM course")}
assert len(courses) == 4, courses
bow = sealed.connect(os.path.join(work, "bow", "register.db"))
kinds = {k for (k,) in bow.execute("SELECT DISTINCT kind FROM versions")}
assert kinds == {"bow_planning", "bow_qualification"}, kinds
held_planning = {(c, t) for c, t in bow.execute(
    "SELECT course_id, unseal(teachers, 'teachers') FROM bow_planning")}
held_quals = {t for (t,) in bow.execute("SELECT unseal(teacher, 'teacher') FROM bow_qualification")}
want_planning = {(s(cid), "Docent " + cid[2:]) for cid, (regime, route) in courses.items()
                 if planning_to(regime, route) == "bow"}
assert held_planning == want_planning, sorted(held_planning ^ want_planning)
assert held_quals == {t for _, t in want_planning}, held_quals
raw = b"".join(open(os.path.join(work, "bow", f), "rb").read()
               for f in os.listdir(os.path.join(work, "bow")) if f.startswith("register.db"))
for lid, (bsn, *_rest) in learners.items():
    assert bsn.encode() not in raw, ("bow", lid, "BSN present")
for secret in [b"illness", b"Naam ", b"wi2021-O"]:
    assert secret not in raw, ("bow", secret)
checked = len(want_planning) * 2

endpoints = ["duo", "gemeente-0363", "gemeente-0518"]
for ep in endpoints:
    db = sealed.connect(os.path.join(work, ep, "register.db"))
    kinds = {k for (k,) in db.execute("SELECT DISTINCT kind FROM versions")}
    if ep == "duo":
        assert kinds == {"duo_hours", "duo_absence", "contract", "invoice",
                         "bridging_diploma"}, (ep, kinds)
        held_hours = {(lid, bsn, h) for lid, bsn, h in db.execute(
            "SELECT learner_id, unseal(bsn, 'bsn'), hours_attended FROM duo_hours")}
        held_absences = {(lid, bsn, m, c) for lid, bsn, m, c in db.execute(
            "SELECT learner_id, unseal(bsn, 'bsn'), minutes_absent, classification "
            "FROM duo_absence")}
    else:
        code = ep.split("-")[1]
        want_kinds = {"gemeente_hours", "gemeente_absence"}
        if any(diploma_to(cat, regime, route, c) == ep
               for _, cat, regime, c, route in learners.values()):
            want_kinds.add("bridging_diploma")
        assert kinds == want_kinds, (ep, kinds)
        held_hours = {(lid, bsn, h) for lid, bsn, h, c in db.execute(
            "SELECT learner_id, unseal(bsn, 'bsn'), attended_hours, gemeente_code "
            "FROM gemeente_hours")
            if c == code}
        assert db.execute("SELECT count(*) FROM gemeente_hours WHERE gemeente_code != ?",
                          (code,)).fetchone()[0] == 0
        held_absences = {(lid, bsn, m, n) for lid, bsn, m, n in db.execute(
            "SELECT learner_id, unseal(bsn, 'bsn'), minutes_absent, notified_in_advance "
            "FROM gemeente_absence "
            "WHERE gemeente_code = ?", (code,))}
        assert db.execute("SELECT count(*) FROM gemeente_absence WHERE gemeente_code != ?",
                          (code,)).fetchone()[0] == 0
    want_hours, want_absences = set(), set()
    held_contracts = {(lid, bsn) for lid, bsn in db.execute(
        "SELECT learner_id, unseal(bsn, 'bsn') FROM contract")}
    held_invoices = {(lid, bsn, c) for lid, bsn, c in db.execute(
        "SELECT learner_id, unseal(bsn, 'bsn'), contract_id FROM invoice")}
    held_diplomas = {(lid, bsn) for lid, bsn in db.execute(
        "SELECT learner_id, unseal(bsn, 'bsn') FROM bridging_diploma")}
    want_contracts = {(s(lid), l[0]) for lid, l in learners.items() if contract_to(*l[1:4]) == ep}
    want_invoices = {(s(lid), l[0], s("k-" + lid)) for lid, l in learners.items()
                     if invoice_to(*l[1:4]) == ep}
    want_diplomas = {(s(lid), l[0]) for lid, l in learners.items()
                     if diploma_to(l[1], l[2], l[4], l[3]) == ep}
    assert held_contracts == want_contracts, (ep, sorted(held_contracts ^ want_contracts))
    assert held_invoices == want_invoices, (ep, sorted(held_invoices ^ want_invoices))
    assert held_diplomas == want_diplomas, (ep, sorted(held_diplomas ^ want_diplomas))
    checked += len(want_contracts) + len(want_invoices) + len(want_diplomas)
    for lid, (bsn, cat, regime, code, _route) in learners.items():
        if hours_to(cat, regime, code) == ep:
            want_hours.add((s(lid), bsn, 3))  # the 3-hour lesson attended
        if absences_to(cat, regime, code) == ep:  # the 2-hour lesson missed
            want_absences.add((s(lid), bsn, 120, "excused" if ep == "duo" else 0))
    assert held_hours == want_hours, (ep, sorted(held_hours ^ want_hours))
    assert held_absences == want_absences, (ep, sorted(held_absences ^ want_absences))
    checked += len(want_hours) + len(want_absences)
    # It holds the BSN of exactly the learners R1 sends it, sealed: no BSN,
    # reason or name is in its bytes (WAL included).
    held_bsns = set()
    for table in ("duo_hours", "duo_absence", "gemeente_hours", "gemeente_absence", "contract",
                  "invoice", "bridging_diploma"):
        held_bsns |= {b for (b,) in db.execute(f"SELECT unseal(bsn, 'bsn') FROM {table}")}
    raw = b"".join(open(os.path.join(work, ep, f), "rb").read()
                   for f in os.listdir(os.path.join(work, ep)) if f.startswith("register.db"))
    for lid, (bsn, cat, regime, code, route) in learners.items():
        routed = (hours_to(cat, regime, code) == ep or absences_to(cat, regime, code) == ep or
                  contract_to(cat, regime, code) == ep or
                  diploma_to(cat, regime, route, code) == ep)
        assert (bsn in held_bsns) == routed, (ep, lid, "held" if not routed else "missing")
        assert bsn.encode() not in raw, (ep, lid, "BSN in the clear")
    for secret in [b"illness", b"Naam "]:
        assert secret not in raw, (ep, secret)
# 9 learners' hours and classified absences at DUO (family and other
# migrants, and the asylum permit holder under Wi2013); 3 asylum permit
# holders under Wi2021 with hours and an absence at their gemeente.
# 3 courses' planning and their teacher's qualification at BoW. Every
# learner's contract and the 9 invoices at DUO; the 3 onderwijsroute
# learners' diplomas: 2 at DUO, 1 at gemeente 0518.
assert checked == 9 * 2 + 3 * 2 + 3 * 2 + 12 + 9 + 3, checked
print(f"R1 checked: {checked} (learner or course, data kind) pairs over "
      f"{len(endpoints) + 1} endpoints")
PY
done_ok
