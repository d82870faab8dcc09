// The register: one SQLite file holding a school's records, every version of
// them, the change log and the hash-chained audit log. The public surface of
// storage/ for the layers above (sync, cli).
//
// Thread-safety: a Store is used by one thread at a time. Several processes
// may open the same file; writers wait up to the busy timeout, then get kBusy.
#ifndef PRESENTIE_STORAGE_STORE_H_
#define PRESENTIE_STORAGE_STORE_H_

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

namespace presentie::storage {

// The kinds of versioned record. Names are written to disk: permanent.
enum class RecordKind { kLearner, kCourse, kEnrollment, kLesson, kAttendance };
std::string_view ToString(RecordKind k);  // "learner", "course", "enrollment", "lesson", "attendance"
Result<RecordKind> ParseRecordKind(std::string_view text);

// Who performs a write on this register. The replica is the register's own.
struct Actor {
  Role role = Role::kAdmin;
  std::string user;  // login or staff code; never a BSN
};

struct InitOptions {
  std::string school_name;
  std::string brin;  // ValidateBrin
  Role role = Role::kAdmin;  // the device's role: kAdmin or kTeacher
};

struct StoreOptions {
  int busy_timeout_ms = 5000;
  // Wall clock in ms since the epoch; tests inject a fixed one. Default: system clock.
  std::function<uint64_t()> clock_ms;
};

struct RegisterInfo {
  std::string replica_id;  // 16 hex, made at init, never changed
  std::string school_name;
  std::string brin;
  Role role = Role::kAdmin;
  int schema_version = 0;
  uint64_t created_at_ms = 0;
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

class Store {
 public:
  // Creates a new register at `path` (mode 0600; the parent folder must
  // exist). kAlreadyExists if a file is there.
  static Result<std::unique_ptr<Store>> Create(const std::string& path,
                                               const InitOptions& init,
                                               StoreOptions options = {});
  // Opens an existing register and migrates it to the current schema.
  // kNoRegister if there is no file; kFailedPrecondition if its schema is
  // newer than this program knows or it is not a presentie register.
  static Result<std::unique_ptr<Store>> Open(const std::string& path,
                                             StoreOptions options = {});
  virtual ~Store() = default;

  virtual const RegisterInfo& info() const = 0;

  // --- Writes. Each call is one IMMEDIATE transaction and one audit entry;
  // it writes all of its records or none. Errors name the offending record.
  virtual Status AddLearners(const Actor& actor, std::span<const Learner> learners,
                             std::string_view action) = 0;  // kAlreadyExists on a known id or BSN
  virtual Status AddCourse(const Actor& actor, const Course& course) = 0;
  // Enrols learners in a course; already-enrolled learners are left as they are.
  virtual Status Enroll(const Actor& actor, std::string_view course_id,
                        std::span<const std::string> learner_ids) = 0;
  virtual Status AddLesson(const Actor& actor, const Lesson& lesson) = 0;
  // Records attendance. Each record must name an existing lesson and learner
  // and pass Validate against the lesson's duration; its id is set from
  // them. A record for a (lesson, learner) already recorded is an edit: its
  // version dominates the earlier ones.
  virtual Status RecordAttendance(const Actor& actor, std::span<const Attendance> records,
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
  virtual Result<std::vector<LearnerLessons>> LessonsByLearner() = 0;
  // The version columns of a record's current value; kNotFound if none.
  virtual Result<VersionStamp> GetStamp(RecordKind kind, std::string_view id) = 0;

  // --- Change log: every version written to this register after `after_seq`,
  // in order, at most `limit`.
  virtual Result<std::vector<Change>> ChangesAfter(int64_t after_seq, int limit) = 0;
  virtual Result<int64_t> LastChangeSeq() = 0;

  // --- Audit log.
  virtual Result<std::vector<AuditEntry>> AuditEntries(int64_t after_seq, int limit) = 0;
  // Walks the whole chain; also recomputes each entry's digest from the
  // change log. A broken chain is a report with problems, not an error.
  virtual Result<AuditReport> VerifyAudit() = 0;
};

}  // namespace presentie::storage

#endif  // PRESENTIE_STORAGE_STORE_H_
