// The Store on SQLite, inside: the class and what its files share. Each
// concern has a file of its own in this folder (docs/architecture.md); only
// storage/ includes this header.
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/classification.h"
#include "core/hlc.h"
#include "core/ids.h"
#include "core/merge.h"
#include "core/ownership.h"
#include "core/routing.h"
#include "storage/internal/audit.h"
#include "storage/internal/records.h"
#include "storage/internal/schema.h"
#include "storage/internal/seal.h"
#include "storage/kinds/all.h"
#include "storage/sha256.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/transaction.h"
#include "storage/store.h"
#include "storage/versioned.h"

namespace presentie::storage::impl {

using sqlite::CachedStatement;
using sqlite::Database;
using sqlite::Statement;
using sqlite::Transaction;

// How many ids an audit summary lists before it only counts.
constexpr size_t kSummaryIds = 10;

inline std::string Quoted(std::string_view what, std::string_view id) {
  std::string s(what);
  s += " '";
  s += id;
  s += '\'';
  return s;
}

// The first kSummaryIds of `total` ids (`first` holds at least those), and
// how many more: a write fed record by record keeps only these.
inline std::string IdList(const std::vector<std::string>& first, size_t total) {
  std::string out;
  for (size_t i = 0; i < first.size() && i < kSummaryIds; ++i) {
    if (i > 0) out += ", ";
    out += first[i];
  }
  if (total > kSummaryIds) out += " and " + std::to_string(total - kSummaryIds) + " more";
  return out;
}
inline std::string IdList(const std::vector<std::string>& ids) { return IdList(ids, ids.size()); }

inline std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

using kinds::Take;

// A typed row that does not parse was written by something other than this
// store (or the file is damaged): data loss, not a caller's mistake.
inline Status Damaged(std::string_view what, std::string_view id, const Status& cause) {
  return DataLoss(Quoted(what, id) + ": stored value is not valid (" + cause.message() + ")");
}

// Kind T's typed-table columns, as a SELECT list (kinds/traits.h).
template <typename T>
inline constexpr std::string_view kColumnsOf = kinds::KindTraits<T>::kColumns;

inline std::string Sql(std::string_view a, std::string_view b = "", std::string_view c = "") {
  std::string s(a);
  s += b;
  s += c;
  return s;
}

// Each kind's typed table, in RecordKind order: the record's columns (the
// shown version's columns follow them in a row), the condition that finds
// a record's row by its id, and how a row reads back. The table is named
// as the kind is (ToString).
struct TypedTable {
  std::string_view columns;
  std::string_view key;  // "?1" is the id, or its parts before and after '/' (?1, ?2)
  Status (*read)(const Statement& s, int c, Record* out);
};

constexpr std::string_view kById = "id = ?1";

// What ApplyRemote carries from one received version to the next.
// The version columns of a typed row.
struct ShownStamp {
  const std::string* vv = nullptr;  // merge of the live siblings' vectors
  int64_t hlc = 0;                  // of the shown sibling
  const Writer* writer = nullptr;   // of the shown sibling
};

// The merge columns of a typed attendance row: the rule that decided each
// field of its shown value, the rule set's version, the conflict bits.
struct MergeColumns {
  std::string_view facts_rule = merge_rule::kSingle;
  std::string_view absence_rule = merge_rule::kSingle;
  std::string_view decision_rule = merge_rule::kNone;
  int rule_set = kMergeRuleSetVersion;
  uint32_t conflict = kConflictNone;
};

// What MergeAttendance gives for one version, without building one.
inline MergeColumns SingleMerge(const Attendance& a) {
  MergeColumns m;
  m.absence_rule = a.status == AttendanceStatus::kPresent ? merge_rule::kNone : merge_rule::kSingle;
  m.decision_rule = a.decision.has_value() ? merge_rule::kSingle : merge_rule::kNone;
  return m;
}

// An attendance's typed row as written, with its merge columns.
struct AttendanceRow {
  Attendance shown;
  ShownStamp stamp;
  MergeColumns merge;
};

// At an authority's register, the key of person `n` in the records the
// authority writes about them ("P<n>"), and `n` of such a key (nullopt when
// `key` is not one).
inline std::string PersonKey(int64_t n) { return "P" + std::to_string(n); }
// A BSN in its one form (NormalizeBsn), or as written when it is not one.
inline std::string NormalBsn(std::string_view bsn) {
  Result<std::string> normal = NormalizeBsn(bsn);
  return normal.ok() ? *normal : std::string(bsn);
}
inline std::optional<int64_t> PersonNumber(std::string_view key) {
  if (key.size() < 2 || key.size() > 19 || key[0] != 'P' || key[1] == '0') return std::nullopt;
  int64_t n = 0;
  for (char c : key.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;  // canonical: PersonKey(n) == key
}

// --- rows.cc ---------------------------------------------------------------
// Kind T's record from its typed-table columns, from column `c` on.
template <typename T>
Status ReadColumns(const Statement& s, int c, T* out) {
  return kinds::KindTraits<T>::Read(s, c, out);
}
// vv, hlc, writer_replica, writer_role, writer_user from column `c` on.
Status ReadStamp(const Statement& s, int c, VersionStamp* stamp);
const TypedTable& TypedTableOf(RecordKind kind);
// Binds a record's id to a TypedTable::key; false when a two-part id has no '/'.
bool BindKey(Statement& stmt, const TypedTable& table, std::string_view id);
Result<bool> Exists(Database& db, std::string_view sql, std::string_view id);
Result<bool> CourseExists(Database& db, std::string_view id);
Result<bool> LessonExists(Database& db, std::string_view id);
// Whether the gemeente classifies this learner's absences (R2);
// nullopt when the learner is not in the register.
Result<std::optional<bool>> GemeenteClassifies(Database& db, std::string_view learner_id);
Result<bool> LearnerExists(Database& db, std::string_view id);
// Whether the learner's enrolment in the course is active; nullopt when
// there is none.
Result<std::optional<bool>> EnrollmentActive(Database& db, std::string_view course_id,
                                             std::string_view learner_id);
// The version vectors of a record's live siblings: what a local edit of it
// must dominate.
Result<std::vector<VersionVector>> LiveVvs(Database& db, RecordKind kind, std::string_view id);
// --- rows_upsert.cc --------------------------------------------------------
std::vector<std::string_view> SplitColumns(std::string_view columns);
// The five version columns of a typed row (kShownVersionColumns), from
// parameter `index` on.
void BindShown(Statement& stmt, int index, const ShownStamp& s);
// "INSERT INTO <table> (<columns> + version columns) VALUES (?1, …) ON
// CONFLICT (<key>) DO UPDATE SET c = excluded.c, …" for every non-key
// column; a column written unseal(c,'f') in `columns` goes through seal(),
// and `lookup_hash`'s also into <column>_hash. With `rows` > 1, that many
// rows of values, the k-th (from 0) taking the parameters from
// k × (columns + version columns) + 1 on.
std::string UpsertSql(std::string_view table, std::string_view key, std::string_view columns,
                      std::string_view lookup_hash = "", size_t rows = 1);

// Writes the typed row of a record of kind T as shown (KindTraits<T>::Shown,
// when it has one) with version columns `s`, then the rows of other kinds
// that show it (AfterUpsert). Attendance has its own, below: its rows carry
// the merge's columns.
template <typename T>
Status UpsertRow(Database& db, const T& written, const ShownStamp& s) {
  using Traits = kinds::KindTraits<T>;
  static constexpr std::string_view kWritten = [] {
    if constexpr (requires { Traits::kWritten; }) {
      return Traits::kWritten;
    } else {
      return Traits::kColumns;
    }
  }();
  static const std::string kSql = [] {
    if constexpr (requires { Traits::kLookupHash; }) {
      return UpsertSql(Traits::kName, Traits::kKey, kWritten, Traits::kLookupHash);
    } else {
      return UpsertSql(Traits::kName, Traits::kKey, kWritten);
    }
  }();
  static const int kStampParam = static_cast<int>(SplitColumns(kWritten).size()) + 1;
  std::optional<T> overlaid;
  if constexpr (requires { Traits::Shown(db, written); }) {
    PRESENTIE_ASSIGN_OR_RETURN(T shown, Traits::Shown(db, written));
    overlaid = std::move(shown);
  }
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  Traits::Bind(*stmt, 1, overlaid.has_value() ? *overlaid : written);
  BindShown(*stmt, kStampParam, s);
  PRESENTIE_RETURN_IF_ERROR(stmt->Run());
  if constexpr (requires { Traits::AfterUpsert(db, written); }) {
    return Traits::AfterUpsert(db, written);
  }
  return Status::Ok();
}

// The decision of a gemeente on attendance (lesson, learner), received from
// its endpoint; nullopt when none is held. CheckGemeenteDecisionWrite let it
// in only for a Wi2021 asylum permit holder of that gemeente.
Result<std::optional<Classification>> GemeenteDecisionOn(Database& db, std::string_view lesson_id,
                                                         std::string_view learner_id);
// What the typed row of attendance `a` shows: `a`, unless it is an absence
// the gemeente has decided on, which shows that decision over whatever the
// versions say (R2: gemeente over school; docs/authorities.md). The versions
// keep theirs; a full presence needs no classification.
Result<AttendanceRow> ShownAttendanceRow(Database& db, const Attendance& a, const ShownStamp& s,
                                         const MergeColumns& m);
Status UpsertAttendanceRow(Database& db, const Attendance& a, const ShownStamp& s,
                           const MergeColumns& m);
// The typed rows of up to kRowsPerStatement attendance records (distinct
// ones) in one statement.
Status UpsertAttendanceRows(Database& db, std::span<const AttendanceRow> rows);
Status UpsertRow(Database& db, const Attendance& a, const ShownStamp& s);
using kinds::NawOf;
using kinds::PipOf;
Status UpsertShown(Database& db, const Record& record, const ShownStamp& s);
// --- merge.cc --------------------------------------------------------------
// Makes `id` the record's open conflict ("" for none); a different open one
// is closed at change-log seq `seq`.
Status SetOpenConflict(Database& db, std::string_view record_id, std::string_view id,
                       uint32_t kinds, std::string_view sibling_seqs, int64_t seq);

// One statement per kind, made once: `make(kind, table)` gives its SQL.
template <typename Make>
const std::string& PerKindSql(RecordKind kind, Make make) {
  static const auto kSql = [&] {
    std::array<std::string, std::size(kAllRecordKinds)> sql;
    for (RecordKind k : kAllRecordKinds) sql[static_cast<size_t>(k)] = make(k, TypedTableOf(k));
    return sql;
  }();
  return kSql[static_cast<size_t>(kind)];
}

inline uint64_t SystemClockMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// Rows written by one INSERT when a write appends many new records (a
// lesson, an import): one statement per lesson of 20 instead of one per
// row (docs/benchmarks.md).
constexpr size_t kRowsPerStatement = 20;

struct ApplyState;

struct HeldAttendance;  // one held version of an attendance record (below)

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Database> db, RegisterInfo info, StoreOptions options, Hlc last)
      : db_(std::move(db)), info_(std::move(info)), options_(std::move(options)), clock_(last) {}

  // Reads what the register is from meta; the register is migrated already.
  static Result<std::unique_ptr<Store>> Load(std::unique_ptr<Database> db, StoreOptions options);

  const RegisterInfo& info() const override { return info_; }

  Status AddLearners(const Actor& actor, std::span<const Learner> learners,
                     std::string_view action) override;
  Status AddCourse(const Actor& actor, const Course& course) override;
  Status Enroll(const Actor& actor, std::string_view course_id,
                std::span<const std::string> learner_ids) override;
  Status EndEnrollment(const Actor& actor, std::string_view course_id,
                       std::span<const std::string> learner_ids) override;
  Status AddLesson(const Actor& actor, const Lesson& lesson) override;
  Status RecordAttendance(const Actor& actor, std::span<const Attendance> records,
                          std::string_view action) override;
  Result<std::unique_ptr<LearnerWrite>> BeginLearners(const Actor& actor,
                                                      std::string_view action) override;
  Result<std::unique_ptr<LessonWrite>> BeginLessons(const Actor& actor,
                                                    std::string_view action) override;
  Result<std::unique_ptr<AttendanceWrite>> BeginAttendance(const Actor& actor,
                                                           std::string_view action) override;

  Result<Learner> GetLearner(std::string_view id) override;
  Result<std::vector<Learner>> ListLearners() override;
  Result<Course> GetCourse(std::string_view id) override;
  Result<std::vector<Course>> ListCourses() override;
  Result<std::vector<Enrollment>> ListEnrollments(std::string_view course_id) override;
  Result<Lesson> GetLesson(std::string_view id) override;
  Result<std::vector<Lesson>> ListLessons(std::optional<std::string_view> course_id) override;
  Result<std::vector<Attendance>> ListAttendance(std::string_view lesson_id) override;
  Result<int64_t> CountAttendance(std::string_view lesson_id) override;
  Result<std::vector<LearnerLessons>> LessonsByLearner() override;
  Result<VersionStamp> GetStamp(RecordKind kind, std::string_view id) override;

  Result<std::vector<Change>> ChangesAfter(int64_t after_seq, int limit) override;
  Result<int64_t> LastChangeSeq() override;
  Result<Addressed> AddressedTo(std::string_view school, int64_t after, int limit) override;
  Result<std::optional<std::string>> PersonByBsn(std::string_view bsn) override;

  Result<std::vector<AuditEntry>> AuditEntries(int64_t after_seq, int limit) override;
  Result<AuditReport> VerifyAudit() override;

  Result<ApplyResult> ApplyRemote(std::string_view source_replica,
                                  std::span<const VersionedRecord> versions,
                                  const ApplyOptions& options) override;
  Result<std::optional<IdempotencyRecord>> GetIdempotency(std::string_view id) override;
  Result<int64_t> ForgetIdempotencyBefore(uint64_t before_ms) override;
  Result<RemoteCursor> GetCursor(std::string_view remote_replica) override;
  Result<std::optional<PendingBatch>> GetPendingBatch(std::string_view remote_replica) override;
  Status PutPendingBatch(std::string_view remote_replica, const PendingBatch& batch) override;
  Status AcknowledgeBatch(std::string_view remote_replica,
                          std::string_view idempotency_id) override;
  Status DropPendingBatch(std::string_view remote_replica,
                          std::string_view idempotency_id) override;
  Result<std::string> CanonicalDump() override;
  Status PutRemote(const Remote& remote) override;
  Result<std::vector<Remote>> ListRemotes() override;
  Status RemoveRemote(std::string_view name) override;
  Result<SubmitResult> SubmitDuoHours(const Actor& actor,
                                      std::span<const exports::DuoHours> rows) override;
  Result<std::vector<exports::DuoHours>> ListDuoHours() override;
  Result<DuoSubmitResult> SubmitDuo(const Actor& actor, std::span<const exports::DuoHours> hours,
                                    std::span<const exports::DuoAbsence> absences) override;
  Result<std::vector<exports::DuoAbsence>> ListDuoAbsences() override;
  Result<SubmitResult> RecordExamResults(const Actor& actor,
                                         std::span<const exports::DuoExamResult> results) override;
  Result<std::vector<exports::DuoExamResult>> ListExamResults() override;
  Result<SubmitResult> SubmitGemeenteHours(const Actor& actor,
                                           std::span<const exports::GemeenteHours> rows) override;
  Result<std::vector<exports::GemeenteHours>> ListGemeenteHours() override;
  Result<GemeenteSubmitResult> SubmitGemeente(
      const Actor& actor, std::span<const exports::GemeenteHours> hours,
      std::span<const exports::GemeenteAbsence> absences) override;
  Result<std::vector<exports::GemeenteAbsence>> ListGemeenteAbsences() override;
  Result<SubmitResult> DecideAbsences(
      const Actor& actor, std::span<const exports::GemeenteDecision> decisions) override;
  Result<std::vector<exports::GemeenteDecision>> ListGemeenteDecisions() override;
  Result<SubmitResult> RecordQualifications(const Actor& actor,
                                            std::span<const Qualification> qualifications) override;
  Result<std::vector<Qualification>> ListQualifications() override;
  Result<BowSubmitResult> SubmitBow(
      const Actor& actor, std::span<const exports::BowPlanning> planning,
      std::span<const exports::BowQualification> qualifications) override;
  Result<std::vector<exports::BowPlanning>> ListBowPlanning() override;
  Result<std::vector<exports::BowQualification>> ListBowQualifications() override;
  Result<SubmitResult> SetPips(const Actor& actor,
                               std::span<const exports::GemeentePip> pips) override;
  Result<std::vector<exports::GemeentePip>> ListPips() override;
  Result<std::optional<exports::GemeentePip>> PipFor(const Learner& learner) override;
  Result<SubmitResult> SetNaws(const Actor& actor,
                               std::span<const exports::GemeenteNaw> naws) override;
  Result<std::vector<exports::GemeenteNaw>> ListNaws() override;
  Result<std::optional<exports::GemeenteNaw>> NawFor(const Learner& learner) override;
  Result<SubmitResult> RecordDuties(const Actor& actor,
                                    std::span<const exports::DuoDuty> duties) override;
  Result<std::vector<exports::DuoDuty>> ListDuties() override;
  Result<SubmitResult> RecordContracts(const Actor& actor,
                                       std::vector<exports::Contract> contracts) override;
  Result<std::vector<exports::Contract>> ListContracts() override;
  Result<SubmitResult> RecordInvoices(const Actor& actor,
                                      std::vector<exports::Invoice> invoices) override;
  Result<std::vector<exports::Invoice>> ListInvoices() override;
  Result<SubmitResult> RecordDiplomas(const Actor& actor,
                                      std::vector<exports::BridgingDiploma> diplomas) override;
  Result<std::vector<exports::BridgingDiploma>> ListDiplomas() override;
  Status EachContract(const std::function<Status(const exports::Contract&)>& each) override;
  Status EachInvoice(const std::function<Status(const exports::Invoice&)>& each) override;
  Status EachDiploma(const std::function<Status(const exports::BridgingDiploma&)>& each) override;
  Result<std::unique_ptr<SubmitWrite<exports::Contract>>> BeginContracts(
      const Actor& actor) override;
  Result<std::unique_ptr<SubmitWrite<exports::Invoice>>> BeginInvoices(const Actor& actor) override;
  Result<std::unique_ptr<SubmitWrite<exports::BridgingDiploma>>> BeginDiplomas(
      const Actor& actor) override;
  Result<std::unique_ptr<SubmitWrite<Qualification>>> BeginQualifications(
      const Actor& actor) override;
  Result<std::unique_ptr<SubmitWrite<exports::DuoExamResult>>> BeginExamResults(
      const Actor& actor) override;
  Status NoteSyncOutcome(std::string_view name, const SyncOutcome& outcome) override;
  Result<std::vector<RemoteState>> ListRemoteStates() override;
  Result<std::vector<Unsent>> UnsentVersions(int64_t after_seq,
                                             std::string_view remote_replica) override;
  Status UpdateLearner(const Actor& actor, const Learner& learner) override;
  Status SetBowNumber(const Actor& actor, std::string_view number) override;
  Status SetGemeenteCode(const Actor& actor, std::string_view code) override;
  Status LogExport(const Actor& actor, std::string_view action, std::string summary) override;
  Result<std::vector<Conflict>> ListConflicts(bool include_closed) override;
  Result<Conflict> GetConflict(std::string_view id) override;
  Status ResolveConflict(const Actor& actor, std::string_view conflict_id, const Attendance& value,
                         std::string_view reason) override;
  Result<AttendanceState> GetAttendanceState(std::string_view attendance_id) override;
  Result<std::vector<RefusedVersion>> ListRefused() override;
  Status RotateKey(const Actor& actor) override;
  Status FollowKeyRotation() override;

  // Merges the records a schema step marked (conflict = -1).
  Status MergePending();
  // Keys an authority's records held from before schema step 14 by school
  // and person, once, in one transaction (endpoint.cc).
  Status RekeyPending();

  // Writes the first audit entry of a new register.
  Status WriteInitEntry();

 private:
  class Write;
  enum class Applied { kAccepted, kDuplicate, kDominated, kRefused };

  // RecordAttendance's work inside a write; `summary` gets the audit text.
  // `keep_decision`: an edit that sets no decision keeps the shown one
  // (RecordAttendance); a resolution writes exactly what it is given.
  // Appends a version of `e` dominating its live siblings, and shows it.
  Status WriteEnrollment(Write& w, const Enrollment& e);
  Status WriteAttendance(Write& w, const Actor& actor, std::span<const Attendance> records,
                         bool keep_decision, std::string* summary);
  // WriteAttendance record by record, in bounded memory (register.cc).
  class AttendanceBatch;
  template <typename Record>
  class OneByOneWrite;  // learners, lessons
  class AttendanceWriteImpl;
  // AddLearners's checks and writes of one learner inside a write (one
  // listed twice is found in the register: kAlreadyExists).
  Status WriteLearner(Write& w, const Learner& l);
  // AddLesson's checks and writes inside a write (a lesson of an unknown
  // course, or one that exists, is kNotFound or kAlreadyExists).
  Status WriteLesson(Write& w, const Lesson& lesson);
  // A received attendance version: the sibling rule, ownership, the merge.
  Result<Applied> ApplyAttendance(Write& w, const VersionedRecord& version, const Attendance& a,
                                  const std::string& id, ApplyState& state);
  // Merges the live siblings of an attendance record into its typed row and
  // sets its open conflict; `seq` is the change that caused it.
  Status MergeAndShow(const std::string& record_id, int64_t seq);
  // The same from the live siblings `held`, read (and parsed as needed).
  Status ShowMerged(const std::string& record_id, int64_t seq, std::vector<HeldAttendance>& held);
  // The conflict `id` (or the attendance id's open or latest conflict).
  Result<Conflict> ReadConflict(std::string_view id);

  // One received version, inside ApplyRemote's transaction.
  Result<Applied> ApplyVersion(Write& w, const VersionedRecord& version, ApplyState& state);
  // Submissions of one kind inside a transaction the caller commits (the
  // shared work of SubmitDuo, SubmitGemeente and DecideAbsences): validated,
  // each new or changed one as a version dominating the earlier ones; `what`
  // names a row in messages.
  template <typename Row>
  Status WriteRows(Write& w, RecordKind kind, std::span<const Row> rows, std::string_view what,
                   SubmitResult* result);
  // WriteRows's two steps for one row: the checks, then (with the row
  // known not to be listed twice) its version, if new or changed.
  template <typename Row>
  Status CheckRow(const Row& row, std::string_view what);
  template <typename Row>
  Status WriteRow(Write& w, RecordKind kind, const Row& row, SubmitResult* result);
  // WriteAll fed record by record (SubmitWrite); `fill` fills in what the
  // register knows of a record (FillContract...), or is empty.
  template <typename Row>
  class SubmitWriteImpl;
  template <typename Row>
  using Fill = Status (SqliteStore::*)(Row&);
  template <typename Row>
  Result<std::unique_ptr<SubmitWrite<Row>>> BeginRows(const Actor& actor, RecordKind kind,
                                                      std::string_view what,
                                                      std::string_view action, Fill<Row> fill);
  // What RecordContracts, RecordInvoices and RecordDiplomas fill in of a
  // record, or why it is refused.
  Status FillContract(exports::Contract& c);
  Status FillInvoice(exports::Invoice& i);
  Status FillDiploma(exports::BridgingDiploma& d);
  // `rows` of one kind in one transaction with one audit entry `action`
  // (counts only, `what` naming a row); nothing when none is new or changed.
  template <typename Row>
  Result<SubmitResult> WriteAll(const Actor& actor, RecordKind kind, std::span<const Row> rows,
                                std::string_view what, std::string_view action);
  // A gemeente's records about its residents (a PIP, NAW data), on its own
  // register, each for a learner a school submitted hours of there for
  // that gemeente; one transaction, audited as `action`.
  template <typename Row>
  Result<SubmitResult> SetForResidents(const Actor& actor, std::span<const Row> rows,
                                       RecordKind kind, std::string_view what,
                                       std::string_view action);
  template <typename Row>
  Result<std::vector<Row>> ListRows(std::string_view what);
  // ListRows's rows given to `each`, one at a time.
  template <typename Row>
  Status EachRow(std::string_view what, const std::function<Status(const Row&)>& each);
  // Whether this is an authority's register (DUO, a gemeente, BoW): one
  // that keys its records by person and school (endpoint.cc).
  bool IsEndpoint() const {
    return info_.role == Role::kDuo || info_.role == Role::kGemeente || info_.role == Role::kBow;
  }
  // At an endpoint: `record`, received from `school`, under the school's
  // scoped keys (Rekey); unchanged for a kind without them.
  static void ScopeToSchool(Record& record, std::string_view school);
  // At an endpoint: links the school's learner of a received (scoped)
  // record to the person its BSN names, and when the link is new, addresses
  // to the school what is held about that person.
  Status LinkPerson(const Record& scoped, const std::string& school);
  // At an endpoint: the person a BSN names, made when `create` and new;
  // nullopt when unknown and not `create`.
  Result<std::optional<int64_t>> PersonOf(std::string_view bsn, bool create);
  // At an endpoint: addresses the version `seq` of its own record `record`
  // to the schools it concerns (outbox).
  Status AddressOwnVersion(const Record& record, int64_t seq);
  // Keeps a received version an ownership rule refused (`conflicts refused`).
  Status KeepRefused(RecordKind kind, std::string_view id, std::string_view vv_text,
                     const VersionStamp& stamp, std::string_view body,
                     const OwnershipVerdict& verdict, const ApplyState& state);
  // Validates a received version; points `*record` at it, or at `*normalized`
  // when its derived id had to be filled in.
  Status CheckReceived(const VersionedRecord& version, ApplyState& state, Record* normalized,
                       const Record** record);
  // kInvalidArgument, naming the source, the record and the replica, when a
  // received version's counter runs more than kMaxCounterAhead ahead of
  // `seen` (the record's versions held here). Called while
  // `state.check_ahead` only.
  Status CheckAhead(RecordKind kind, const std::string& id, const VersionStamp& stamp,
                    const VersionVector& seen, const ApplyState& state);
  // A lesson's duration for validating received attendance; nullopt when the
  // lesson has not arrived.
  Result<std::optional<int>> LessonMinutes(const std::string& lesson_id, ApplyState& state);
  // A record's typed row (its shown value) with its version columns.
  Result<std::optional<std::pair<Record, VersionStamp>>> ReadShown(RecordKind kind,
                                                                   const std::string& id);
  // FollowKeyRotation, given meta.key_generation as just read.
  Status FollowKeyGeneration(int64_t generation);

  uint64_t NowMs() const { return options_.clock_ms ? options_.clock_ms() : SystemClockMs(); }

  std::unique_ptr<Database> db_;
  RegisterInfo info_;
  StoreOptions options_;
  HybridClock clock_;
  // meta.key_generation of the key this store seals with (RotateKey).
  int64_t key_generation_ = 0;
};

// A received stamp further ahead of this device's wall clock than this is not
// adopted by its HLC (HybridClock::Observe): a device with a wrong date must
// not drag every clock it syncs with along.
constexpr int64_t kMaxClockSkewMs = 2 * 60 * 1000;

// Packed HLCs are stored in a signed INTEGER column and compared there.
constexpr uint64_t kMaxStoredWallMs = (uint64_t{1} << 47) - 1;

// One live sibling of the record a received version belongs to.
struct Sibling {
  int64_t seq = 0;
  VersionVector vv;
  std::string vv_text;
  int64_t hlc = 0;
  std::string writer_replica;
  bool retired = false;  // the received version dominates it
};

// The value policy's order: the greatest key is shown.
struct PolicyKey {
  int64_t hlc = 0;
  std::string_view writer_replica;
  std::string_view vv;
  auto operator<=>(const PolicyKey&) const = default;
};

struct ApplyState {
  std::string source;
  std::string school;  // at an endpoint: whose keys the versions are held under
  // Whether each version's counters are checked against what this register
  // has seen of its record (kMaxCounterAhead): not for versions from a hub.
  bool check_ahead = true;
  Store::ApplyResult result;
  uint32_t skewed = 0;  // stamps too far ahead to adopt
  // Lesson durations looked up in this call; 0: the lesson is unknown.
  std::unordered_map<std::string, int> lesson_minutes;
  std::vector<Sibling> siblings;  // of the version being applied; reused
  // GemeenteClassifies per learner id, looked up in this call.
  std::unordered_map<std::string, std::optional<bool>> gemeente;
  // Per lesson, looked up once in this call: whether the register held no
  // version of its attendance, and then the learners whose attendance this
  // call has appended since. A version for any other learner of such a
  // lesson has nothing held to compare with, and needs no query (a new
  // device's first pull is made of such lessons).
  struct LessonAttendance {
    bool none_held = false;
    std::unordered_set<std::string> appended;  // learner ids
  };
  std::unordered_map<std::string, LessonAttendance> lesson_attendance;
};

constexpr std::string_view kShownVersionColumns =
    ", vv, hlc, writer_replica, writer_role, writer_user";

}  // namespace presentie::storage::impl
