// The schema steps, one per version, in order. A released step is never
// edited: a register made by any earlier version migrates through exactly
// the steps it lacks (schema.cc applies them).
#include "storage/internal/schema.h"

#include <array>
#include <cassert>

#include "storage/sqlite/transaction.h"

namespace presentie::storage::internal {
namespace {

// Version 1: the parts that are the register's memory. Everything else can be
// derived from these three tables.
//  - meta: what the register is (replica id, school, role) and its running
//    state (last HLC, audit head), as key/value rows so that a new key needs
//    no migration.
//  - versions: every version of every record, in the order this register
//    learnt of it. It is the change log: seq is dense and never reused (rows
//    are never deleted, and a rolled-back insert leaves no gap). `live` is 1
//    while the version is a sibling that no other known version dominates.
//  - audit: the hash chain, one entry per write (see audit.h).
constexpr std::string_view kStep1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value ANY
) STRICT, WITHOUT ROWID;

CREATE TABLE versions (
  seq            INTEGER PRIMARY KEY,
  kind           TEXT    NOT NULL,
  record_id      TEXT    NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL,
  body           TEXT    NOT NULL,
  live           INTEGER NOT NULL DEFAULT 1
) STRICT;
-- The siblings of a record. Partial: a dominated version leaves the index.
CREATE INDEX versions_live ON versions (kind, record_id) WHERE live = 1;

CREATE TABLE audit (
  seq           INTEGER PRIMARY KEY,
  at_ms         INTEGER NOT NULL,
  actor_replica TEXT    NOT NULL,
  actor_role    TEXT    NOT NULL,
  actor_user    TEXT    NOT NULL,
  action        TEXT    NOT NULL,
  summary       TEXT    NOT NULL,
  first_change  INTEGER NOT NULL,
  last_change   INTEGER NOT NULL,
  digest        TEXT    NOT NULL,
  prev_hash     TEXT    NOT NULL,
  hash          TEXT    NOT NULL
) STRICT;
)sql";

// Version 2: typed tables holding each record's shown value, so that reports
// are SQL, with the version columns of that value. Filled from the live
// versions of a version-1 register; where a record has several live siblings
// the one with the highest HLC (then writer replica) is shown, the order the
// merge policy uses for ties (docs/rules.md, "When entries disagree: the
// merge rules").
//
// Attendance and enrolment are keyed by their two parents; their `id` is
// generated in the permanent "<parent>/<learner>" form of core/ids.h, so it
// costs no space and cannot disagree with the key. attendance has no index
// on learner_id: reports scan it whole anyway, learners are never deleted or
// re-keyed (so the foreign key needs none), and an index would cost every
// recorded row about a tenth of its insert time. learner.bsn is indexed but
// not UNIQUE: two replicas may register the same person concurrently, and
// receiving the second must open a conflict, not fail.
constexpr std::string_view kStep2 = R"sql(
CREATE TABLE learner (
  id               TEXT    PRIMARY KEY,
  bsn              TEXT    NOT NULL,
  name             TEXT    NOT NULL,
  category         TEXT    NOT NULL,
  regime           TEXT    NOT NULL,
  route            TEXT    NOT NULL,
  level            TEXT    NOT NULL,
  literacy         TEXT    NOT NULL,
  estimated_hours  INTEGER NOT NULL,
  gemeente_code    TEXT    NOT NULL,
  lessons_per_week INTEGER NOT NULL,
  vv               TEXT    NOT NULL,
  hlc              INTEGER NOT NULL,
  writer_replica   TEXT    NOT NULL,
  writer_role      TEXT    NOT NULL,
  writer_user      TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX learner_bsn ON learner (bsn);

CREATE TABLE course (
  id              TEXT    PRIMARY KEY,
  name            TEXT    NOT NULL,
  component       TEXT    NOT NULL,
  regime          TEXT    NOT NULL,
  route           TEXT    NOT NULL,
  start_date      TEXT,
  end_date        TEXT,
  hours_purchased INTEGER NOT NULL,
  vv              TEXT    NOT NULL,
  hlc             INTEGER NOT NULL,
  writer_replica  TEXT    NOT NULL,
  writer_role     TEXT    NOT NULL,
  writer_user     TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE enrollment (
  course_id      TEXT    NOT NULL REFERENCES course (id),
  learner_id     TEXT    NOT NULL REFERENCES learner (id),
  id             TEXT    GENERATED ALWAYS AS (course_id || '/' || learner_id) VIRTUAL,
  active         INTEGER NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL,
  PRIMARY KEY (course_id, learner_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX enrollment_learner ON enrollment (learner_id);

CREATE TABLE lesson (
  id               TEXT    PRIMARY KEY,
  course_id        TEXT    NOT NULL REFERENCES course (id),
  start            TEXT    NOT NULL,
  duration_minutes INTEGER NOT NULL,
  teacher          TEXT    NOT NULL,
  vv               TEXT    NOT NULL,
  hlc              INTEGER NOT NULL,
  writer_replica   TEXT    NOT NULL,
  writer_role      TEXT    NOT NULL,
  writer_user      TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX lesson_course ON lesson (course_id, start);

CREATE TABLE attendance (
  lesson_id           TEXT    NOT NULL REFERENCES lesson (id),
  learner_id          TEXT    NOT NULL REFERENCES learner (id),
  id                  TEXT    GENERATED ALWAYS AS (lesson_id || '/' || learner_id) VIRTUAL,
  status              TEXT    NOT NULL,
  minutes_present     INTEGER NOT NULL,
  mode                TEXT    NOT NULL,
  notified_in_advance INTEGER NOT NULL,
  reason              TEXT    NOT NULL,
  note                TEXT    NOT NULL,
  decision            TEXT,
  decided_by          TEXT,
  vv                  TEXT    NOT NULL,
  hlc                 INTEGER NOT NULL,
  writer_replica      TEXT    NOT NULL,
  writer_role         TEXT    NOT NULL,
  writer_user         TEXT    NOT NULL,
  PRIMARY KEY (lesson_id, learner_id)
) STRICT, WITHOUT ROWID;

CREATE TEMP VIEW shown AS
  SELECT * FROM (
    SELECT *, row_number() OVER (PARTITION BY kind, record_id
                                 ORDER BY hlc DESC, writer_replica DESC) AS rank
    FROM versions WHERE live = 1)
  WHERE rank = 1;

INSERT INTO course
  SELECT record_id, json_extract(body, '$.name'), json_extract(body, '$.component'),
         json_extract(body, '$.regime'), json_extract(body, '$.route'),
         json_extract(body, '$.start_date'), json_extract(body, '$.end_date'),
         json_extract(body, '$.hours_purchased'),
         vv, hlc, writer_replica, writer_role, writer_user
  FROM shown WHERE kind = 'course';

INSERT INTO learner
  SELECT record_id, json_extract(body, '$.bsn'), json_extract(body, '$.name'),
         json_extract(body, '$.category'), json_extract(body, '$.regime'),
         json_extract(body, '$.route'), json_extract(body, '$.level'),
         json_extract(body, '$.literacy'), json_extract(body, '$.estimated_hours'),
         json_extract(body, '$.gemeente_code'), json_extract(body, '$.lessons_per_week'),
         vv, hlc, writer_replica, writer_role, writer_user
  FROM shown WHERE kind = 'learner';

INSERT INTO enrollment (course_id, learner_id, active,
                        vv, hlc, writer_replica, writer_role, writer_user)
  SELECT json_extract(body, '$.course_id'), json_extract(body, '$.learner_id'),
         json_extract(body, '$.active'),
         vv, hlc, writer_replica, writer_role, writer_user
  FROM shown WHERE kind = 'enrollment';

INSERT INTO lesson
  SELECT record_id, json_extract(body, '$.course_id'), json_extract(body, '$.start'),
         json_extract(body, '$.duration_minutes'), json_extract(body, '$.teacher'),
         vv, hlc, writer_replica, writer_role, writer_user
  FROM shown WHERE kind = 'lesson';

INSERT INTO attendance (lesson_id, learner_id, status, minutes_present, mode,
                        notified_in_advance, reason, note, decision, decided_by,
                        vv, hlc, writer_replica, writer_role, writer_user)
  SELECT json_extract(body, '$.lesson_id'), json_extract(body, '$.learner_id'),
         json_extract(body, '$.status'), json_extract(body, '$.minutes_present'),
         json_extract(body, '$.mode'), json_extract(body, '$.notified_in_advance'),
         json_extract(body, '$.reason'), json_extract(body, '$.note'),
         json_extract(body, '$.decision.value'), json_extract(body, '$.decision.decided_by'),
         vv, hlc, writer_replica, writer_role, writer_user
  FROM shown WHERE kind = 'attendance';

DROP VIEW temp.shown;
)sql";

// Version 3: replication (Store::ApplyRemote and friends; docs/storage.md,
// "Replication").
//  - versions.received_from: the replica a version was received from ('' when
//    written here), so that sync does not send a version back to its source.
//    Not covered by the audit digest: the digest format is permanent.
//  - versions_record replaces versions_live (a partial index of the live
//    versions only): all versions by (kind, record_id, live, vv). Its prefix
//    (kind, record_id, live = 1) finds a record's siblings as before, and
//    (kind, record_id) with vv tells whether a received version is one this
//    register already holds, live or not (a duplicate, not merely dominated).
//    Both read the index alone. One index, not two: every version insert
//    pays for each index on it.
//  - The typed tables lose their FOREIGN KEYs. Sync delivers versions in any
//    order and in pages: an attendance can arrive before its lesson or
//    learner, and in a partial exchange the reference may never arrive. A
//    typed row is the shown value of its record's live siblings — always
//    there when the record has versions, derived from them alone — and a
//    foreign key would make it depend on arrival order instead. Local writes
//    still check their references in the store before writing, and the reads
//    that list records under a parent (a lesson's attendance, a course's
//    lessons and enrolments, the hours report) reach them through their
//    parents, so a record is shown once its references exist. SQLite cannot
//    drop a constraint, so each table is rebuilt: children first, so that no
//    remaining constraint refers to a table being dropped. The rows are
//    copied as they are. (Before this version nothing received versions, so
//    no record has more than one live sibling and every typed row's vv is
//    already the merge of its record's live vvs.)
//  - remote_cursor, pending_batch, idempotency, remote: the sync state per
//    remote replica, the outbox, a server's stored answers to pushes, and the
//    configured remotes (see store.h for each).
constexpr std::string_view kStep3 = R"sql(
ALTER TABLE versions ADD COLUMN received_from TEXT NOT NULL DEFAULT '';
DROP INDEX versions_live;
CREATE INDEX versions_record ON versions (kind, record_id, live, vv);

ALTER TABLE attendance RENAME TO attendance_v2;
CREATE TABLE attendance (
  lesson_id           TEXT    NOT NULL,
  learner_id          TEXT    NOT NULL,
  id                  TEXT    GENERATED ALWAYS AS (lesson_id || '/' || learner_id) VIRTUAL,
  status              TEXT    NOT NULL,
  minutes_present     INTEGER NOT NULL,
  mode                TEXT    NOT NULL,
  notified_in_advance INTEGER NOT NULL,
  reason              TEXT    NOT NULL,
  note                TEXT    NOT NULL,
  decision            TEXT,
  decided_by          TEXT,
  vv                  TEXT    NOT NULL,
  hlc                 INTEGER NOT NULL,
  writer_replica      TEXT    NOT NULL,
  writer_role         TEXT    NOT NULL,
  writer_user         TEXT    NOT NULL,
  PRIMARY KEY (lesson_id, learner_id)
) STRICT, WITHOUT ROWID;
INSERT INTO attendance (lesson_id, learner_id, status, minutes_present, mode,
                        notified_in_advance, reason, note, decision, decided_by,
                        vv, hlc, writer_replica, writer_role, writer_user)
  SELECT lesson_id, learner_id, status, minutes_present, mode,
         notified_in_advance, reason, note, decision, decided_by,
         vv, hlc, writer_replica, writer_role, writer_user
  FROM attendance_v2;
DROP TABLE attendance_v2;

ALTER TABLE enrollment RENAME TO enrollment_v2;
CREATE TABLE enrollment (
  course_id      TEXT    NOT NULL,
  learner_id     TEXT    NOT NULL,
  id             TEXT    GENERATED ALWAYS AS (course_id || '/' || learner_id) VIRTUAL,
  active         INTEGER NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL,
  PRIMARY KEY (course_id, learner_id)
) STRICT, WITHOUT ROWID;
INSERT INTO enrollment (course_id, learner_id, active,
                        vv, hlc, writer_replica, writer_role, writer_user)
  SELECT course_id, learner_id, active, vv, hlc, writer_replica, writer_role, writer_user
  FROM enrollment_v2;
DROP TABLE enrollment_v2;
CREATE INDEX enrollment_learner ON enrollment (learner_id);

ALTER TABLE lesson RENAME TO lesson_v2;
CREATE TABLE lesson (
  id               TEXT    PRIMARY KEY,
  course_id        TEXT    NOT NULL,
  start            TEXT    NOT NULL,
  duration_minutes INTEGER NOT NULL,
  teacher          TEXT    NOT NULL,
  vv               TEXT    NOT NULL,
  hlc              INTEGER NOT NULL,
  writer_replica   TEXT    NOT NULL,
  writer_role      TEXT    NOT NULL,
  writer_user      TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO lesson (id, course_id, start, duration_minutes, teacher,
                    vv, hlc, writer_replica, writer_role, writer_user)
  SELECT id, course_id, start, duration_minutes, teacher,
         vv, hlc, writer_replica, writer_role, writer_user
  FROM lesson_v2;
DROP TABLE lesson_v2;
CREATE INDEX lesson_course ON lesson (course_id, start);

-- Per remote, by its replica id (learned from hello), never by its URL.
-- pulled: the remote's change-log seq applied up to; pushed: ours the remote
-- has acknowledged.
CREATE TABLE remote_cursor (
  remote_replica TEXT    PRIMARY KEY,
  pulled         INTEGER NOT NULL DEFAULT 0,
  pushed         INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

-- The outbox: at most one unacknowledged push batch per remote.
CREATE TABLE pending_batch (
  remote_replica TEXT    PRIMARY KEY,
  idempotency_id TEXT    NOT NULL,
  first_seq      INTEGER NOT NULL,
  last_seq       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- A server's answer to each push, by its idempotency id; at_ms: when it was
-- stored (ms since the epoch), for expiry.
CREATE TABLE idempotency (
  id               TEXT    PRIMARY KEY,
  request_hash     TEXT    NOT NULL,
  accepted         INTEGER NOT NULL,
  duplicate        INTEGER NOT NULL,
  dominated        INTEGER NOT NULL,
  acknowledged_seq INTEGER NOT NULL,
  at_ms            INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Remotes by name. The token stays in its own file; only its path is here.
CREATE TABLE remote (
  name       TEXT PRIMARY KEY,
  url        TEXT NOT NULL,
  token_file TEXT NOT NULL,
  ca_file    TEXT NOT NULL,
  cert_file  TEXT NOT NULL,
  key_file   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
)sql";


// Version 4: the merge policy (core/merge.h) and the conflict queue. The
// typed attendance row keeps the rule that decided each field of its shown
// value, the rule set's version and the conflict bits. Records with several
// live siblings are marked (conflict = -1) and merged by the store when it
// opens the file: the merge is C++ (SqliteStore::MergePending).
constexpr std::string_view kStep4 = R"sql(
ALTER TABLE idempotency ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attendance ADD COLUMN facts_rule TEXT NOT NULL DEFAULT 'M.single';
ALTER TABLE attendance ADD COLUMN absence_rule TEXT NOT NULL DEFAULT 'M.single';
ALTER TABLE attendance ADD COLUMN decision_rule TEXT NOT NULL DEFAULT 'M.none';
ALTER TABLE attendance ADD COLUMN rule_set INTEGER NOT NULL DEFAULT 1;
ALTER TABLE attendance ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;
UPDATE attendance SET absence_rule = 'M.none' WHERE status = 'present';
UPDATE attendance SET decision_rule = 'M.single' WHERE decision IS NOT NULL;
UPDATE attendance SET conflict = -1
  WHERE (SELECT count(*) FROM versions
         WHERE kind = 'attendance' AND record_id = attendance.id AND live = 1) > 1;
INSERT INTO meta (key, value)
  SELECT 'merge_pending', 1 WHERE EXISTS (SELECT 1 FROM attendance WHERE conflict = -1);

-- Conflicts: open while the record's live siblings disagree (closed_seq
-- NULL). The id derives from the record id and the siblings' version vectors,
-- so replicas holding the same versions hold the same open conflicts.
CREATE TABLE conflict (
  id            TEXT    PRIMARY KEY,
  record_id     TEXT    NOT NULL,  -- the attendance id, lesson_id || '/' || learner_id
  lesson_id     TEXT    NOT NULL,
  learner_id    TEXT    NOT NULL,
  kinds         INTEGER NOT NULL,
  sibling_seqs  TEXT    NOT NULL,  -- this register's change-log seqs, comma-separated
  opened_seq    INTEGER NOT NULL,  -- the change-log seq that opened it here
  closed_seq    INTEGER            -- the change-log seq that closed it here; NULL: open
) STRICT;
CREATE INDEX conflict_record ON conflict (record_id, closed_seq);

-- An admin's resolutions with their reasons: local, never synced (a reason
-- may hold personal data).
CREATE TABLE conflict_resolution (
  seq          INTEGER PRIMARY KEY,
  conflict_id  TEXT    NOT NULL,
  record_id    TEXT    NOT NULL,
  change_seq   INTEGER NOT NULL,  -- the version the resolution wrote
  at_ms        INTEGER NOT NULL,
  actor_user   TEXT    NOT NULL,
  reason       TEXT    NOT NULL
) STRICT;
CREATE INDEX conflict_resolution_record ON conflict_resolution (record_id);

-- Received versions refused by an ownership rule (core/ownership.h): never
-- applied, never relayed, kept for the admin.
CREATE TABLE refused (
  id             INTEGER PRIMARY KEY,
  at_ms          INTEGER NOT NULL,
  source         TEXT    NOT NULL,
  kind           TEXT    NOT NULL,
  record_id      TEXT    NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL,
  body           TEXT    NOT NULL,
  rule           TEXT    NOT NULL,
  detail         TEXT    NOT NULL
) STRICT;
)sql";

// Version 5: what `presentie status` shows of each remote, by name (the
// cursors stay keyed by the remote's replica id). Sync bookkeeping, not the
// register's memory: written by `presentie sync` after each attempt, not
// audited, never synced.
//  - replica_id, role, gemeente_code: the remote's identity, role and (a
//    gemeente's) CBS code from its last hello ('' until a sync reached it),
//    so that status finds its cursor and counts what it is sent.
//  - last_ok_ms: when a sync with it last finished (ms since the epoch).
//  - last_error_ms, last_error: the last failed attempt and its message
//    (the server's and the transport's messages carry no personal data).
constexpr std::string_view kStep5 = R"sql(
ALTER TABLE remote ADD COLUMN replica_id TEXT NOT NULL DEFAULT '';
ALTER TABLE remote ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE remote ADD COLUMN gemeente_code TEXT NOT NULL DEFAULT '';
ALTER TABLE remote ADD COLUMN last_ok_ms INTEGER;
ALTER TABLE remote ADD COLUMN last_error_ms INTEGER;
ALTER TABLE remote ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
)sql";

// Version 6: the submission kinds (docs/authorities.md): DUO's hours per
// learner, course and month, and a gemeente's hours per asylum permit holder
// and reference date, as records the school's admin derives (`presentie
// submit duo|gemeente`) and syncs to the authority's endpoint. Typed like the
// other records, keyed by id. Nothing to fill: no register held one before.
constexpr std::string_view kStep6 = R"sql(
CREATE TABLE duo_hours (
  id              TEXT    PRIMARY KEY,
  learner_id      TEXT    NOT NULL,
  course_id       TEXT    NOT NULL,
  as_of           TEXT    NOT NULL,
  bsn             TEXT    NOT NULL,
  course_type     TEXT    NOT NULL,
  start_date      TEXT    NOT NULL,
  end_date        TEXT    NOT NULL,
  hours_purchased INTEGER NOT NULL,
  hours_attended  INTEGER NOT NULL,
  ona_hours       INTEGER NOT NULL,
  vv              TEXT    NOT NULL,
  hlc             INTEGER NOT NULL,
  writer_replica  TEXT    NOT NULL,
  writer_role     TEXT    NOT NULL,
  writer_user     TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE gemeente_hours (
  id                 TEXT    PRIMARY KEY,
  learner_id         TEXT    NOT NULL,
  gemeente_code      TEXT    NOT NULL,
  peildatum          TEXT    NOT NULL,
  bsn                TEXT    NOT NULL,
  attended_hours     INTEGER NOT NULL,
  literacy_hours     INTEGER NOT NULL,
  excused_hours      INTEGER NOT NULL,
  unexcused_hours    INTEGER NOT NULL,
  unclassified_hours INTEGER NOT NULL,
  notified_hours     INTEGER NOT NULL,
  vv                 TEXT    NOT NULL,
  hlc                INTEGER NOT NULL,
  writer_replica     TEXT    NOT NULL,
  writer_role        TEXT    NOT NULL,
  writer_user        TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Version 7: verzuim (docs/authorities.md, "Absences and the gemeente's
// decisions"): the facts of each absence of a gemeente's asylum permit
// holders as the school sends them, and the gemeente's classification of it
// as it comes back; and the school's classification of its other learners'
// absences as DUO receives it (duo_absence); and the exam results DUO sends
// back (duo_exam_result). Typed and keyed by id like the submissions; the
// decisions are also found by attendance (lesson, learner), which the shown
// attendance reads. Nothing to fill: no register held one before.
constexpr std::string_view kStep7 = R"sql(
CREATE TABLE gemeente_absence (
  id                  TEXT    PRIMARY KEY,
  lesson_id           TEXT    NOT NULL,
  learner_id          TEXT    NOT NULL,
  gemeente_code       TEXT    NOT NULL,
  bsn                 TEXT    NOT NULL,
  lesson_start        TEXT    NOT NULL,
  minutes_absent      INTEGER NOT NULL,
  notified_in_advance INTEGER NOT NULL,
  vv                  TEXT    NOT NULL,
  hlc                 INTEGER NOT NULL,
  writer_replica      TEXT    NOT NULL,
  writer_role         TEXT    NOT NULL,
  writer_user         TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE gemeente_decision (
  id             TEXT    PRIMARY KEY,
  lesson_id      TEXT    NOT NULL,
  learner_id     TEXT    NOT NULL,
  gemeente_code  TEXT    NOT NULL,
  value          TEXT    NOT NULL,
  decided_on     TEXT    NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX gemeente_decision_by_attendance ON gemeente_decision (lesson_id, learner_id);

CREATE TABLE duo_exam_result (
  id             TEXT    PRIMARY KEY,
  learner_id     TEXT    NOT NULL,
  bsn            TEXT    NOT NULL,
  exam           TEXT    NOT NULL,
  level          TEXT    NOT NULL,
  passed         INTEGER NOT NULL,
  taken_on       TEXT    NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE duo_absence (
  id             TEXT    PRIMARY KEY,
  lesson_id      TEXT    NOT NULL,
  learner_id     TEXT    NOT NULL,
  bsn            TEXT    NOT NULL,
  lesson_start   TEXT    NOT NULL,
  minutes_absent INTEGER NOT NULL,
  classification TEXT    NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Version 8: Blik op Werk (docs/authorities.md, "Blik op Werk"): the
// school's teacher qualifications, and the two submissions to BoW — a
// course's planning and a qualification as sent. Typed and keyed by id like
// the other submissions; a planning's teachers are one per line. And the
// gemeente's PIP of a learner (gemeente_pip), which the learner's typed row
// shows, and DUO's view of a learner's integration duty (duo_duty).
// Nothing to fill: no register held one before.
constexpr std::string_view kStep8 = R"sql(
CREATE TABLE qualification (
  id             TEXT    PRIMARY KEY,
  teacher        TEXT    NOT NULL,
  component      TEXT    NOT NULL,
  title          TEXT    NOT NULL,
  obtained       TEXT    NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE bow_planning (
  id              TEXT    PRIMARY KEY,
  course_id       TEXT    NOT NULL,
  course_name     TEXT    NOT NULL,
  component       TEXT    NOT NULL,
  regime          TEXT    NOT NULL,
  route           TEXT    NOT NULL,
  start_date      TEXT    NOT NULL,
  end_date        TEXT    NOT NULL,
  lessons         INTEGER NOT NULL,
  planned_minutes INTEGER NOT NULL,
  teachers        TEXT    NOT NULL,
  vv              TEXT    NOT NULL,
  hlc             INTEGER NOT NULL,
  writer_replica  TEXT    NOT NULL,
  writer_role     TEXT    NOT NULL,
  writer_user     TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE bow_qualification (
  id               TEXT    PRIMARY KEY,
  qualification_id TEXT    NOT NULL,
  teacher          TEXT    NOT NULL,
  component        TEXT    NOT NULL,
  title            TEXT    NOT NULL,
  obtained         TEXT    NOT NULL,
  vv               TEXT    NOT NULL,
  hlc              INTEGER NOT NULL,
  writer_replica   TEXT    NOT NULL,
  writer_role      TEXT    NOT NULL,
  writer_user      TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE gemeente_pip (
  id               TEXT    PRIMARY KEY,
  learner_id       TEXT    NOT NULL,
  gemeente_code    TEXT    NOT NULL,
  route            TEXT    NOT NULL,
  level            TEXT    NOT NULL,
  literacy         TEXT    NOT NULL,
  estimated_hours  INTEGER NOT NULL,
  lessons_per_week INTEGER NOT NULL,
  decided_on       TEXT    NOT NULL,
  vv               TEXT    NOT NULL,
  hlc              INTEGER NOT NULL,
  writer_replica   TEXT    NOT NULL,
  writer_role      TEXT    NOT NULL,
  writer_user      TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE duo_duty (
  id             TEXT    PRIMARY KEY,
  learner_id     TEXT    NOT NULL,
  bsn            TEXT    NOT NULL,
  status         TEXT    NOT NULL,
  term_end       TEXT,
  decided_on     TEXT    NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Version 9: what the school's admin enters for DUO and the gemeente
// (docs/authorities.md, "Contracts, invoices, bridging diplomas"): a
// learner's contracts, the invoices on them, and that a learner has a
// bridging diploma (addressed, in its id, to DUO or to a gemeente). Amounts
// in euro cents. And the gemeente's NAW data of a learner (gemeente_naw),
// whose name the learner's typed row shows. Nothing to fill: no register
// held one before.
constexpr std::string_view kStep9 = R"sql(
CREATE TABLE contract (
  id             TEXT    PRIMARY KEY,
  learner_id     TEXT    NOT NULL,
  bsn            TEXT    NOT NULL,
  signed_on      TEXT    NOT NULL,
  start_date     TEXT    NOT NULL,
  end_date       TEXT    NOT NULL,
  hours          INTEGER NOT NULL,
  price_cents    INTEGER NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE invoice (
  id             TEXT    PRIMARY KEY,
  contract_id    TEXT    NOT NULL,
  learner_id     TEXT    NOT NULL,
  bsn            TEXT    NOT NULL,
  invoiced_on    TEXT    NOT NULL,
  hours          INTEGER NOT NULL,
  amount_cents   INTEGER NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE bridging_diploma (
  id             TEXT    PRIMARY KEY,
  learner_id     TEXT    NOT NULL,
  bsn            TEXT    NOT NULL,
  gemeente_code  TEXT    NOT NULL,
  awarded_on     TEXT    NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE gemeente_naw (
  id             TEXT    PRIMARY KEY,
  learner_id     TEXT    NOT NULL,
  gemeente_code  TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  address        TEXT    NOT NULL,
  postcode       TEXT    NOT NULL,
  residence      TEXT    NOT NULL,
  decided_on     TEXT    NOT NULL,
  vv             TEXT    NOT NULL,
  hlc            INTEGER NOT NULL,
  writer_replica TEXT    NOT NULL,
  writer_role    TEXT    NOT NULL,
  writer_user    TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Version 10: at-rest encryption of the personal fields (docs/reliability.md,
// "At-rest encryption"). Every BSN, learner name, NAW address, absence reason
// and note, resolution reason, and every version's body (they hold the same
// fields) is sealed with the register's key (internal/seal.h); learners are
// found by BSN through a keyed hash. `key_check` lets a wrong key be told
// from a damaged register. Needs the seal() and bsn_key() functions on the
// connection (InstallSealing). The store vacuums after this step, so that
// no plaintext is left in freed pages or in the WAL.
constexpr std::string_view kStep10 = R"sql(
ALTER TABLE learner ADD COLUMN bsn_hash TEXT NOT NULL DEFAULT '';
UPDATE learner SET bsn_hash = bsn_key(bsn), bsn = seal(bsn, 'bsn'), name = seal(name, 'name');
DROP INDEX learner_bsn;
CREATE INDEX learner_bsn_hash ON learner (bsn_hash);
UPDATE attendance SET reason = seal(reason, 'reason'), note = seal(note, 'note');
UPDATE duo_hours SET bsn = seal(bsn, 'bsn');
UPDATE gemeente_hours SET bsn = seal(bsn, 'bsn');
UPDATE gemeente_absence SET bsn = seal(bsn, 'bsn');
UPDATE duo_exam_result SET bsn = seal(bsn, 'bsn');
UPDATE duo_absence SET bsn = seal(bsn, 'bsn');
UPDATE duo_duty SET bsn = seal(bsn, 'bsn');
UPDATE contract SET bsn = seal(bsn, 'bsn');
UPDATE invoice SET bsn = seal(bsn, 'bsn');
UPDATE bridging_diploma SET bsn = seal(bsn, 'bsn');
UPDATE gemeente_naw SET name = seal(name, 'name'), address = seal(address, 'address'),
                        postcode = seal(postcode, 'postcode'),
                        residence = seal(residence, 'residence');
UPDATE conflict_resolution SET reason = seal(reason, 'resolution');
UPDATE refused SET body = seal(body, 'body');
UPDATE versions SET body = seal(body, 'body');
INSERT INTO meta (key, value) VALUES ('key_check', seal('presentie register key', 'key_check'));
)sql";

// Version 11: a narrower sibling index. `versions_record` held
// (kind, record_id, live, vv) so that a record's live vectors could be read
// from the index alone; every write appended about 48 bytes to it per
// version. The lookups that use it find a record's few versions and read
// their rows anyway (bodies, stamps), so (kind, record_id) serves them at
// about 30 bytes an entry: the import of 100,000 attendance entries is about
// a tenth faster (docs/benchmarks.md). Rebuilding the index takes a few
// seconds per million versions, once.
constexpr std::string_view kStep11 = R"sql(
DROP INDEX versions_record;
CREATE INDEX versions_record ON versions (kind, record_id);
)sql";

// Version 12: teachers' names sealed too (docs/reliability.md, "At-rest
// encryption"): a lesson's teacher, the teacher of a qualification and of
// its BoW record, a BoW planning's teachers. They are personal data as much
// as a learner's name, and nothing looks them up in SQL. The store vacuums
// after this step, as after step 10.
constexpr std::string_view kStep12 = R"sql(
UPDATE lesson SET teacher = seal(teacher, 'teacher');
UPDATE qualification SET teacher = seal(teacher, 'teacher');
UPDATE bow_qualification SET teacher = seal(teacher, 'teacher');
UPDATE bow_planning SET teachers = seal(teachers, 'teachers');
)sql";

// Version 13: at an authority's register (role duo, gemeente or bow), the
// school each learner id belongs to: the replica (the school's token) whose
// record about it arrived first (docs/authorities.md, "Many schools"). Filled
// from the records held, in the order they arrived; empty elsewhere. (IF NOT
// EXISTS: the tests make a register "from before" by winding its version
// back over tables a later step made.)
constexpr std::string_view kStep13 = R"sql(
CREATE TABLE IF NOT EXISTS school_learner (
  learner_id TEXT PRIMARY KEY,
  school     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO school_learner (learner_id, school)
  SELECT learner_id, received_from FROM (
    SELECT t.learner_id, v.received_from, v.seq FROM versions v
      JOIN duo_hours t ON v.kind = 'duo_hours' AND v.record_id = t.id
    UNION ALL
    SELECT t.learner_id, v.received_from, v.seq FROM versions v
      JOIN duo_absence t ON v.kind = 'duo_absence' AND v.record_id = t.id
    UNION ALL
    SELECT t.learner_id, v.received_from, v.seq FROM versions v
      JOIN gemeente_hours t ON v.kind = 'gemeente_hours' AND v.record_id = t.id
    UNION ALL
    SELECT t.learner_id, v.received_from, v.seq FROM versions v
      JOIN gemeente_absence t ON v.kind = 'gemeente_absence' AND v.record_id = t.id
    UNION ALL
    SELECT t.learner_id, v.received_from, v.seq FROM versions v
      JOIN contract t ON v.kind = 'contract' AND v.record_id = t.id
    UNION ALL
    SELECT t.learner_id, v.received_from, v.seq FROM versions v
      JOIN invoice t ON v.kind = 'invoice' AND v.record_id = t.id
    UNION ALL
    SELECT t.learner_id, v.received_from, v.seq FROM versions v
      JOIN bridging_diploma t ON v.kind = 'bridging_diploma' AND v.record_id = t.id
  )
  WHERE received_from != ''
    AND (SELECT value FROM meta WHERE key = 'role') IN ('duo', 'gemeente', 'bow')
  ORDER BY seq;
)sql";

// Version 14: an authority's register keys its records by the person and
// the school (docs/authorities.md, "Many schools"). `person`: each person
// once, by BSN (sealed, found by its keyed hash); `school_person`: which
// person each school's learner key is, from the school's own records;
// `outbox`: what is addressed to each school, in the order it was
// addressed, so that a school's pull reads only its own (n is its cursor,
// and starts above every change-log seq a cursor could hold from before).
// A school's records are held under SchoolScopedKey (core/ids.h); records
// held from before this step are keyed so by the store when it next opens
// the register (meta endpoint_rekey_pending; SqliteStore::RekeyPending: it
// needs the records' sealed bodies). `school_learner` (step 13) is
// replaced. Empty at a school's registers. (IF NOT EXISTS: as in step 13.)
constexpr std::string_view kStep14 = R"sql(
CREATE TABLE IF NOT EXISTS person (
  n        INTEGER PRIMARY KEY,
  bsn      TEXT    NOT NULL,
  bsn_hash TEXT    NOT NULL UNIQUE
) STRICT;
CREATE TABLE IF NOT EXISTS school_person (
  school  TEXT    NOT NULL,
  learner TEXT    NOT NULL,
  person  INTEGER NOT NULL,
  PRIMARY KEY (school, learner)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS school_person_by_person ON school_person (person, school);
CREATE TABLE IF NOT EXISTS outbox (
  n      INTEGER PRIMARY KEY,
  school TEXT    NOT NULL,
  seq    INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS outbox_by_school ON outbox (school, n);
-- The floor: a row of no school at the last seq held, so that every entry
-- after it is numbered above any cursor a school holds from before.
INSERT INTO outbox (n, school, seq)
  SELECT m, '', 0 FROM (SELECT max(seq) AS m FROM versions)
  WHERE m IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox)
    AND (SELECT value FROM meta WHERE key = 'role') IN ('duo', 'gemeente', 'bow');
CREATE INDEX IF NOT EXISTS gemeente_pip_by_learner ON gemeente_pip (learner_id);
CREATE INDEX IF NOT EXISTS gemeente_naw_by_learner ON gemeente_naw (learner_id);
CREATE INDEX IF NOT EXISTS duo_exam_result_by_learner ON duo_exam_result (learner_id);
CREATE INDEX IF NOT EXISTS duo_duty_by_learner ON duo_duty (learner_id);
CREATE INDEX IF NOT EXISTS gemeente_hours_by_learner ON gemeente_hours (learner_id);
DROP TABLE IF EXISTS school_learner;
INSERT OR REPLACE INTO meta (key, value)
  SELECT 'endpoint_rekey_pending', 1
  WHERE (SELECT value FROM meta WHERE key = 'role') IN ('duo', 'gemeente', 'bow')
    AND EXISTS (SELECT 1 FROM versions);
)sql";

constexpr std::array<MigrationStep, kSchemaVersion> kSteps = {{
    {1, "meta, change log and audit log", kStep1},
    {2, "typed record tables, filled from the change log", kStep2},
    {3, "replication: received_from, sibling index, sync state, typed tables without FKs", kStep3},
    {4, "merge policy: rules per field, conflict queue, refused versions", kStep4},
    {5, "sync outcome per remote: identity, role, last success, last error", kStep5},
    {6, "submissions: DUO's hours per learner, course and month; a gemeente's per learner and date",
     kStep6},
    {7, "verzuim: a gemeente's absences and decisions; DUO's absences and exam results",
     kStep7},
    {8, "Blik op Werk; the gemeente's PIP of a learner; DUO's view of a learner's duty",
     kStep8},
    {9, "contracts, invoices and bridging diplomas; the gemeente's NAW data of a learner",
     kStep9},
    {10, "at-rest encryption: personal fields and bodies sealed, BSN lookups by keyed hash",
     kStep10},
    {11, "a narrower sibling index: versions_record on (kind, record_id)", kStep11},
    {12, "teachers' names sealed: lessons, qualifications, BoW's planning and qualifications",
     kStep12},
    {13, "an authority's register: the school each learner id belongs to", kStep13},
    {14, "an authority's register: each person once, a school's learners, an outbox per school",
     kStep14},
}};

}  // namespace

std::span<const MigrationStep> MigrationSteps() { return kSteps; }

}  // namespace presentie::storage::internal
