// The register as the CLI and sync use it: a school's records (learners,
// courses, enrolments, lessons, attendance), their change log, the
// hash-chained audit log, the conflict queue and the register's key. One
// SQLite file; Store (storage/store.h) opens it.
//
// Thread-safety: a Register is used by one thread at a time. Several processes
// may open the same file; writers wait up to the busy timeout, then get kBusy.
#ifndef PRESENTIE_STORAGE_REGISTER_H_
#define PRESENTIE_STORAGE_REGISTER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/hours.h"
#include "core/status.h"
#include "core/version_vector.h"
#include "storage/record.h"

namespace presentie::storage {

// Who performs a write on this register. The replica is the register's own.
struct Actor {
  Role role = Role::kAdmin;
  std::string user;  // login or staff code; never a BSN
};

struct InitOptions {
  std::string school_name;
  std::string brin;  // ValidateBrin
  // The device's role: kAdmin or kTeacher; kHub for a school's server,
  // kDuo or kGemeente for an authority's endpoint (whose brin may be empty).
  Role role = Role::kAdmin;
};

// Where the register's key comes from, as the caller resolved it: the CLI
// reads PRESENTIE_KEY and PRESENTIE_KEY_FILE (docs/reliability.md,
// "At-rest encryption"); storage reads no environment.
struct KeyLocation {
  // The key itself, 64 hex digits; when set, no key file is read or made.
  std::string key_hex;
  // The key file, when it is not "<register>.key" beside the register.
  std::string file;
  // How messages name where `key_hex` or `file` came from (for example
  // "PRESENTIE_KEY"); "" when the caller set neither.
  std::string named_by;
};

struct StoreOptions {
  int busy_timeout_ms = 5000;
  // Wall clock in ms since the epoch; tests inject a fixed one. Default: system clock.
  std::function<uint64_t()> clock_ms;
  KeyLocation key;
};

struct RegisterInfo {
  std::string replica_id;  // 16 hex, made at init, never changed
  std::string school_name;
  std::string brin;
  Role role = Role::kAdmin;
  int schema_version = 0;
  uint64_t created_at_ms = 0;
  // The school's Blik op Werk registration number, for DUO's monthly file
  // (core/authorities/duo.h); "" until the admin sets it (SetBowNumber).
  std::string bow_number;
  // A gemeente's register: the CBS code it serves; "" until its endpoint is
  // first served (SetGemeenteCode).
  std::string gemeente_code;
  // The file holding the register's key (docs/reliability.md, "At-rest
  // encryption"); "" when the caller gave the key itself (KeyLocation::key_hex).
  std::string key_file;
};

// One version in the change log, in the order it was written to this
// register. `body` is the record's fields as canonical JSON.
struct Change {
  int64_t seq = 0;  // change-log sequence: dense, increasing, never reused
  RecordKind kind = RecordKind::kLearner;
  std::string record_id;
  VersionStamp stamp;
  std::string body;
  bool live = true;  // still a sibling (not dominated by a later version)
  // The replica this version was received from ("" when written here). The
  // sync engine does not send a version back to where it came from.
  std::string received_from;
};

struct AuditEntry {
  int64_t seq = 0;
  uint64_t at_ms = 0;
  Writer actor;
  std::string action;   // "learner.add", "attend.record", ...
  std::string summary;  // human text without personal data (no BSN, names, reasons)
  int64_t first_change = 0;  // the change-log range this write produced; 0,0 if none
  int64_t last_change = 0;
  std::string digest;     // hex SHA-256 over those changes' canonical content
  std::string prev_hash;  // hex SHA-256 of the previous entry; 64 zeros for the first
  std::string hash;       // hex SHA-256 over this entry's fields and prev_hash
};

struct AuditProblem {
  int64_t seq = 0;       // the entry where the chain breaks
  std::string kind;      // "altered", "removed", "reordered", "inserted", "unaudited-change", "head-mismatch"
  std::string detail;
};
struct AuditReport {
  int64_t entries_checked = 0;
  int64_t changes_checked = 0;
  std::vector<AuditProblem> problems;  // empty: the chain verifies
  bool ok() const { return problems.empty(); }
};

// One learner's lessons for the hours report: every lesson of every course the
// learner is enrolled in, plus any other lesson with an attendance for them.
struct LearnerLessons {
  Learner learner;
  std::vector<LessonLine> lines;
};

// A write fed one record at a time, for an import of any size: like the
// calls of Register it is one IMMEDIATE transaction and one audit entry, but
// the caller need not hold every record, and the write holds only a bounded
// amount of state (a few hundred lessons' worth), whatever the count.
//
// Add checks and writes a record as the single call does (Register's
// AddLesson, RecordAttendance). An error about the record itself (unknown
// lesson, course or learner, Validate, an ownership rule, an id that
// exists, a record listed twice: kAlreadyExists) writes nothing of it and leaves the write usable,
// so that an importer can go on to report every bad row; it then does not Commit, and nothing at
// all is written. Any other error (I/O, a full disk) breaks the write: every later Add and Commit
// returns that error.
//
// Destroyed without a successful Commit, the write rolls back; never throws.
// Thread-safety: one thread; no other write on the register until it ends.
template <typename Record>
class RecordWrite {
 public:
  virtual ~RecordWrite() = default;
  virtual Status Add(const Record& record) = 0;
  // Appends the audit entry (counts only) and commits.
  virtual Status Commit() = 0;

  // Whether an error of Add was about the record alone (the write is still
  // usable) rather than one that broke the write.
  static bool AboutTheRecord(const Status& s) {
    return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound ||
           s.code() == StatusCode::kAlreadyExists || s.code() == StatusCode::kPermissionDenied;
  }
};
using AttendanceWrite = RecordWrite<Attendance>;
using LessonWrite = RecordWrite<Lesson>;
using LearnerWrite = RecordWrite<Learner>;

// Records, change log, audit, conflicts: the contract of every register.
class Register {
 public:
  virtual ~Register() = default;

  virtual const RegisterInfo& info() const = 0;

  // --- Writes. Each call is one IMMEDIATE transaction and one audit entry;
  // it writes all of its records or none. Errors name the offending record.
  virtual Status AddLearners(const Actor& actor, std::span<const Learner> learners,
                             std::string_view action) = 0;  // kAlreadyExists on a known id or BSN
  // Replaces a learner's fields (the admin's; kPermissionDenied otherwise):
  // a new version that dominates the record's live versions. kNotFound for
  // an unknown id, kAlreadyExists when another learner has the new BSN.
  // Writes nothing (and returns Ok) when no field changes. The audit summary
  // names the fields that changed, never their values.
  virtual Status UpdateLearner(const Actor& actor, const Learner& learner) = 0;
  virtual Status AddCourse(const Actor& actor, const Course& course) = 0;
  // Enrols learners in a course; already-enrolled learners are left as they
  // are; a learner whose enrolment had ended is enrolled again.
  virtual Status Enroll(const Actor& actor, std::string_view course_id,
                        std::span<const std::string> learner_ids) = 0;
  // Ends learners' enrolments (a new version with active = false): their
  // recorded lessons keep counting, the course's later lessons no longer
  // list them. All or nothing: kNotFound names the first learner who is not
  // enrolled (or whose enrolment already ended), or an unknown course or
  // learner. Audited ("course.unenroll").
  virtual Status EndEnrollment(const Actor& actor, std::string_view course_id,
                               std::span<const std::string> learner_ids) = 0;
  virtual Status AddLesson(const Actor& actor, const Lesson& lesson) = 0;
  // Records attendance. Each record must name an existing lesson and learner
  // and pass Validate against the lesson's duration; its id is set from
  // them. A record for a (lesson, learner) already recorded is an edit: its
  // version dominates the earlier ones.
  virtual Status RecordAttendance(const Actor& actor, std::span<const Attendance> records,
                                  std::string_view action) = 0;
  // The same writes fed record by record (RecordWrite above), audited as
  // `action` ("" for "learner.add", "lesson.add", "attend.record"). A
  // learner write's summary lists the first ids and counts the rest, as
  // AddLearners's does; it keeps those ids and a count, nothing per record.
  virtual Result<std::unique_ptr<LearnerWrite>> BeginLearners(const Actor& actor,
                                                              std::string_view action) = 0;
  virtual Result<std::unique_ptr<LessonWrite>> BeginLessons(const Actor& actor,
                                                            std::string_view action) = 0;
  virtual Result<std::unique_ptr<AttendanceWrite>> BeginAttendance(const Actor& actor,
                                                                   std::string_view action) = 0;

  // --- Reads. A missing id is kNotFound.
  virtual Result<Learner> GetLearner(std::string_view id) = 0;
  virtual Result<std::vector<Learner>> ListLearners() = 0;
  virtual Result<Course> GetCourse(std::string_view id) = 0;
  virtual Result<std::vector<Course>> ListCourses() = 0;
  virtual Result<std::vector<Enrollment>> ListEnrollments(std::string_view course_id) = 0;
  virtual Result<Lesson> GetLesson(std::string_view id) = 0;
  // All lessons, or those of one course; ordered by start.
  virtual Result<std::vector<Lesson>> ListLessons(std::optional<std::string_view> course_id) = 0;
  virtual Result<std::vector<Attendance>> ListAttendance(std::string_view lesson_id) = 0;
  // How many learners have an attendance for the lesson (as ListAttendance
  // counts them), without reading their sealed fields.
  virtual Result<int64_t> CountAttendance(std::string_view lesson_id) = 0;
  virtual Result<std::vector<LearnerLessons>> LessonsByLearner() = 0;
  // The version columns of a record's current value; kNotFound if none.
  virtual Result<VersionStamp> GetStamp(RecordKind kind, std::string_view id) = 0;

  // --- Change log: every version written to this register after `after_seq`,
  // in order, at most `limit`.
  virtual Result<std::vector<Change>> ChangesAfter(int64_t after_seq, int limit) = 0;
  virtual Result<int64_t> LastChangeSeq() = 0;
  // At an authority's register: the versions addressed to `school` (the
  // replica id its records come from) after cursor `after`, at most `limit`
  // outbox entries, each as the school knows the record: under its own keys
  // (Rekey, kinds/traits.h), a record about a person once per key the
  // school has for that person. `next` is the cursor to ask from next;
  // `more` whether entries may follow. What is addressed: a decision about
  // the school's absence; each version the authority writes about a person
  // the school has sent records of, and, when a school first sends a
  // person, what the authority holds about them (docs/authorities.md,
  // "Many schools").
  struct Addressed {
    std::vector<VersionedRecord> versions;
    int64_t next = 0;
    bool more = false;
  };
  virtual Result<Addressed> AddressedTo(std::string_view school, int64_t after, int limit) = 0;

  // --- Audit log.
  virtual Result<std::vector<AuditEntry>> AuditEntries(int64_t after_seq, int limit) = 0;
  // Walks the whole chain; also recomputes each entry's digest from the
  // change log. A broken chain is a report with problems, not an error.
  virtual Result<AuditReport> VerifyAudit() = 0;

  // --- Conflicts (docs/storage.md, "Conflicts"; core/merge.h). An attendance
  // record whose live siblings disagree on a fact or a classification has an
  // open conflict. Its id is derived from the record id and the siblings'
  // version vectors, so every replica holding the same versions holds the
  // same conflicts under the same ids; once the siblings agree again (an
  // admin's resolution dominates them all) it is closed.
  struct Conflict {
    std::string id;         // "c" + 16 hex: SHA-256 of the record id and sibling vvs
    std::string record_id;  // the attendance id
    std::string lesson_id;
    std::string learner_id;
    uint32_t kinds = 0;                       // ConflictBits (core/merge.h)
    std::vector<VersionedRecord> siblings;    // ordered by version vector text
    Attendance shown;                         // the merged value
    std::string facts_rule;                   // the rule that decided each field
    std::string absence_rule;
    std::string decision_rule;
    int rule_set_version = 0;
    bool open = true;
    // Closed only: when and by which change-log seq it closed here.
    int64_t closed_by_seq = 0;
  };
  // Open conflicts, ordered by record id. With `include_closed`, also those
  // closed on this register (history: a replica that received the
  // resolution before the disagreement never saw that conflict open).
  virtual Result<std::vector<Conflict>> ListConflicts(bool include_closed) = 0;
  // By conflict id, or by attendance id (its open conflict, else the latest
  // closed one). kNotFound if none.
  virtual Result<Conflict> GetConflict(std::string_view id) = 0;
  // An admin resolves an open conflict: `value` (the facts and, optionally,
  // an admin decision) is written as an edit that dominates every sibling,
  // which closes the conflict here and, after sync, everywhere. `reason`
  // (required, 1–500 characters) is kept with the resolution on this
  // register (`conflict_resolution`, never synced: it may hold personal
  // data); the audit entry ("conflict.resolve") names the conflict.
  //   kPermissionDenied  the actor is not an admin, or ownership refuses
  //                      the value (the message names the rule)
  //   kNotFound          no such conflict
  //   kFailedPrecondition the conflict is closed already
  //   kInvalidArgument   the value fails validation, or no reason
  virtual Status ResolveConflict(const Actor& actor, std::string_view conflict_id,
                                 const Attendance& value, std::string_view reason) = 0;

  // What the register holds of an attendance record: its shown value with
  // the stored merge (per-field rules and the rule-set version they were
  // decided by), its live siblings, the open conflict and the last
  // resolution, if any. `presentie explain` adds R2's classification for the
  // learner as known here (cli/explanation.h). kNotFound when not recorded.
  struct AttendanceState {
    Attendance shown;
    VersionStamp shown_stamp;  // the merged vv; hlc and writer of the facts' version
    std::vector<VersionedRecord> siblings;
    std::string facts_rule;
    std::string absence_rule;
    std::string decision_rule;
    int rule_set_version = 0;
    uint32_t conflict_kinds = 0;
    std::string conflict_id;  // "" when no conflict is open
    std::optional<std::string> resolution_reason;  // the last admin resolution here
  };
  virtual Result<AttendanceState> GetAttendanceState(std::string_view attendance_id) = 0;

  // Versions refused on receipt by an ownership rule (core/ownership.h):
  // never applied, never dropped silently, listed for admins.
  struct RefusedVersion {
    int64_t id = 0;
    uint64_t at_ms = 0;
    std::string source;  // the replica it was received from
    VersionedRecord version;
    std::string rule;    // own_rule::k...
    std::string detail;
  };
  virtual Result<std::vector<RefusedVersion>> ListRefused() = 0;

  // Replaces the register's key with a new random one (`presentie key
  // rotate`; docs/reliability.md, "At-rest encryption"): the new key is
  // written to "<key file>.next" first; then every sealed value is opened
  // with the old key and sealed with the new one, with the BSN hashes, in
  // one transaction and one audit entry ("key.rotate"); then the new key
  // replaces the key file and the register is vacuumed, so that no value
  // sealed under the old key is left in it. A crash after the commit leaves
  // the register sealed under the ".next" key, and the next open finishes
  // the rotation. Another process that opened the register before takes up
  // the new key at its next write, or at FollowKeyRotation. kFailedPrecondition
  // when the key was given as text (KeyLocation::key_hex): presentie cannot
  // replace it there.
  virtual Status RotateKey(const Actor& actor) = 0;

  // Takes up the register's key as another process replaced it (RotateKey)
  // since this store opened the register or last took it up: from the key
  // file, or from "<key file>.next" while that rotation has yet to rename
  // it. A no-op (one read of `meta`) when the key was not replaced. Every
  // write does this first; a long-running reader (the sync server) calls it
  // per request. kFailedPrecondition when the key now in place does not open
  // the register (a key given as text is never replaced).
  virtual Status FollowKeyRotation() = 0;

  // Every record with its live siblings, canonical and independent of
  // arrival order and local seqs: two replicas that have seen the same
  // versions give the same bytes. For tests and `presentie debug dump`.
  virtual Result<std::string> CanonicalDump() = 0;

};

}  // namespace presentie::storage

#endif  // PRESENTIE_STORAGE_REGISTER_H_
