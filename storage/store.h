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

#include "core/classification.h"
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

struct StoreOptions {
  int busy_timeout_ms = 5000;
  // Wall clock in ms since the epoch; tests inject a fixed one. Default: system clock.
  std::function<uint64_t()> clock_ms;
  // The register's key file, when it is not "<register>.key" beside it; the
  // environment's PRESENTIE_KEY and PRESENTIE_KEY_FILE come first
  // (docs/reliability.md, "At-rest encryption").
  std::string key_file;
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
  // encryption"); "" when the key came from PRESENTIE_KEY.
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
  // Whether any version of record (kind, id) was received from `replica`.
  virtual Result<bool> ReceivedFrom(RecordKind kind, std::string_view id,
                                    std::string_view replica) = 0;
  // Whether a version of any record of `kind` whose id starts with
  // `id_prefix` (which ends in '/') was received from `replica`.
  virtual Result<bool> ReceivedAnyFrom(RecordKind kind, std::string_view id_prefix,
                                       std::string_view replica) = 0;

  // --- Audit log.
  virtual Result<std::vector<AuditEntry>> AuditEntries(int64_t after_seq, int limit) = 0;
  // Walks the whole chain; also recomputes each entry's digest from the
  // change log. A broken chain is a report with problems, not an error.
  virtual Result<AuditReport> VerifyAudit() = 0;

  // --- Replication (sync). Versions from other replicas, cursors per remote
  // identity, the outbox of push batches, and a server's idempotency records.

  // Applies received versions by the sibling rule of DESIGN.md §5, in order:
  // a version is dropped when this register already holds it (a version of
  // its record with the same vv, live or not: duplicate — a batch sent
  // again is all duplicates) or when a live sibling dominates it
  // (dominated); otherwise it is kept as a live sibling, with a new local
  // change-log seq and received_from = `source_replica`, and the live
  // siblings it dominates stop being live. The shown value in the typed tables is then
  // recomputed from the live siblings: for attendance by the merge policy
  // (core/merge.h), which also opens or closes the record's conflict; for
  // the other kinds highest HLC, then highest writer replica id. A received
  // attendance version that breaks an ownership rule (core/ownership.h) is
  // not applied: it is counted as refused and kept (ListRefused). The HLC
  // observes each received stamp. One transaction and one audit entry
  // ("sync.apply", naming the source replica) for the whole call; with
  // `options.pull_cursor` the pull cursor of `source_replica` is set in the
  // same transaction, and with `options.idempotency` that record is stored
  // in it too — so a cursor or a push acknowledgement is never durable
  // without its versions. A version whose lesson, learner or course has not
  // arrived yet is still kept (it is shown once its references exist).
  //   kInvalidArgument  a version fails validation (core's Validate; an
  //                     attendance against its lesson's duration when the
  //                     lesson is known) or its stamp is malformed, or the
  //                     source is not a replica id or is this register:
  //                     nothing of the call is applied; the message names
  //                     the record id, never personal data
  //   kAlreadyExists    `options.idempotency`'s id is already stored
  // docs/storage.md ("Replication") describes what is stored.
  struct ApplyResult {
    uint32_t accepted = 0;
    uint32_t duplicate = 0;
    uint32_t dominated = 0;
    uint32_t refused = 0;  // by an ownership rule: kept in ListRefused
    // Stamps more than 2 minutes ahead of this clock: accepted, their clock
    // not adopted (a device with a wrong date). Not stored with a push.
    uint32_t skewed = 0;
    bool operator==(const ApplyResult&) const = default;
  };
  struct IdempotencyRecord {
    std::string id;            // the push's idempotency id
    std::string request_hash;  // hex SHA-256 of the push's versions as received
    ApplyResult result;
    int64_t acknowledged_seq = 0;
  };
  struct ApplyOptions {
    std::optional<int64_t> pull_cursor;           // set the remote's pull cursor to this
    std::optional<IdempotencyRecord> idempotency; // store this with the batch (server side)
  };
  virtual Result<ApplyResult> ApplyRemote(std::string_view source_replica,
                                          std::span<const VersionedRecord> versions,
                                          const ApplyOptions& options) = 0;

  // A server's stored answer to a push, by idempotency id; nullopt if unknown.
  virtual Result<std::optional<IdempotencyRecord>> GetIdempotency(std::string_view id) = 0;
  // Forgets the stored answers to pushes made before `before_ms` (wall clock,
  // ms since the epoch) and returns how many. A device that re-sends such a
  // batch later has it applied again; its versions then arrive as duplicates
  // (the sibling rule), so this bounds the table without risking a version.
  virtual Result<int64_t> ForgetIdempotencyBefore(uint64_t before_ms) = 0;

  // Sync state with one remote, keyed by the remote's replica id (learned
  // from hello), never by its URL: a moved server keeps its cursors.
  struct RemoteCursor {
    int64_t pulled = 0;  // the remote's change-log seq applied up to here
    int64_t pushed = 0;  // our change-log seq the remote has acknowledged
  };
  virtual Result<RemoteCursor> GetCursor(std::string_view remote_replica) = 0;

  // The outbox: a push batch is made once, stored, and re-sent with the same
  // idempotency id until acknowledged — across crashes and restarts.
  struct PendingBatch {
    std::string idempotency_id;
    int64_t first_seq = 0;  // our change-log range it carries
    int64_t last_seq = 0;
  };
  virtual Result<std::optional<PendingBatch>> GetPendingBatch(std::string_view remote_replica) = 0;
  // kAlreadyExists if a batch is pending for that remote.
  virtual Status PutPendingBatch(std::string_view remote_replica, const PendingBatch& batch) = 0;
  // The remote acknowledged the pending batch: clears it and sets the pushed
  // cursor to its last_seq, in one transaction. kNotFound if `idempotency_id`
  // is not the pending one.
  virtual Status AcknowledgeBatch(std::string_view remote_replica,
                                  std::string_view idempotency_id) = 0;
  // Forgets the pending batch without moving the pushed cursor, so its range
  // is sent again in new batches. For a batch the server can no longer take
  // (it lowered its limits since the batch was stored): re-sending versions
  // it may already hold is harmless, they arrive as duplicates. kNotFound if
  // `idempotency_id` is not the pending one.
  virtual Status DropPendingBatch(std::string_view remote_replica,
                                  std::string_view idempotency_id) = 0;

  // --- Conflicts (DESIGN.md §5; core/merge.h). An attendance record whose
  // live siblings disagree on a fact or a classification has an open
  // conflict. Its id is derived from the record id and the siblings' version
  // vectors, so every replica holding the same versions holds the same
  // conflicts under the same ids; once the siblings agree again (an admin's
  // resolution dominates them all) it is closed.
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

  // Why an attendance record shows what it shows, offline: the stored
  // merge (per-field rules and the rule-set version they were decided by),
  // the siblings, the classification by R2 for the learner as known here,
  // the open conflict and the resolution, if any.
  struct Explanation {
    Attendance shown;
    VersionStamp shown_stamp;  // the merged vv; hlc and writer of the facts' version
    std::vector<VersionedRecord> siblings;
    std::string facts_rule;
    std::string absence_rule;
    std::string decision_rule;
    int rule_set_version = 0;
    uint32_t conflict_kinds = 0;
    std::string conflict_id;  // "" when no conflict is open
    std::optional<Learner> learner;          // nullopt: not received yet
    std::optional<ClassificationResult> classification;  // with the learner
    std::optional<std::string> resolution_reason;  // the last admin resolution here
  };
  virtual Result<Explanation> ExplainAttendance(std::string_view attendance_id) = 0;

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
  // when the key is in PRESENTIE_KEY (presentie cannot replace it there).
  virtual Status RotateKey(const Actor& actor) = 0;

  // Takes up the register's key as another process replaced it (RotateKey)
  // since this store opened the register or last took it up: from the key
  // file, or from "<key file>.next" while that rotation has yet to rename
  // it. A no-op (one read of `meta`) when the key was not replaced. Every
  // write does this first; a long-running reader (the sync server) calls it
  // per request. kFailedPrecondition when the key now in place does not open
  // the register (a key in PRESENTIE_KEY is never replaced there).
  virtual Status FollowKeyRotation() = 0;

  // Every record with its live siblings, canonical and independent of
  // arrival order and local seqs: two replicas that have seen the same
  // versions give the same bytes. For tests and `presentie debug dump`.
  virtual Result<std::string> CanonicalDump() = 0;

  // Remotes this register syncs with, by name. The token stays in its own
  // file (mode 0600); the register keeps only the file's path.
  struct Remote {
    std::string name;        // 1–64 of [A-Za-z0-9._-]
    std::string url;         // "https://hub.example.nl:8443"
    std::string token_file;  // absolute path
    std::string ca_file;     // "" = the system's CAs
    std::string cert_file;   // client certificate for mutual TLS, or ""
    std::string key_file;
  };
  // Adds or replaces (same name) a remote; audited ("remote.put").
  // kInvalidArgument for a bad name, a URL that is not http(s) or carries
  // credentials, no token file, a relative path, or a client certificate
  // without its key.
  virtual Status PutRemote(const Remote& remote) = 0;
  virtual Result<std::vector<Remote>> ListRemotes() = 0;
  virtual Status RemoveRemote(std::string_view name) = 0;  // kNotFound if unknown

  // How a sync with a remote ended, noted by `presentie sync` after each
  // attempt. Sync bookkeeping: one UPDATE of the remote's row, not audited.
  struct SyncOutcome {
    bool ok = false;
    std::string remote_replica;  // from hello; "" when the attempt failed before it
    Role remote_role = Role::kHub;
    std::string remote_gemeente;  // a gemeente's CBS code, from hello
    std::string error;  // when !ok: a message that carries no personal data
  };
  // Stamped with this store's clock. kNotFound if no remote has that name.
  virtual Status NoteSyncOutcome(std::string_view name, const SyncOutcome& outcome) = 0;

  // What `presentie status` shows of one remote.
  struct RemoteStatus {
    Remote remote;
    std::string replica_id;    // "" until a sync reached the remote
    std::optional<Role> role;  // from the last hello
    std::string gemeente_code; // a gemeente endpoint's CBS code, from the last hello
    std::optional<uint64_t> last_ok_ms;
    std::optional<uint64_t> last_error_ms;
    std::string last_error;      // "" when no attempt failed
    RemoteCursor cursor;         // zero until a sync reached the remote
    bool batch_pending = false;  // a push sent and not yet acknowledged
    // Versions of this register the remote lacks, as the next sync will
    // push them (after the pushed cursor, not received from the remote), by
    // kind. `corrections`: those of a record the remote already holds a
    // version of — an edit of what it has, which it receives as a new
    // version dominating the old, never as a silent rewrite.
    struct Waiting {
      RecordKind kind = RecordKind::kLearner;
      uint64_t versions = 0;
      uint64_t corrections = 0;
    };
    std::vector<Waiting> waiting;  // kinds with versions waiting, in kind order
  };
  virtual Result<std::vector<RemoteStatus>> RemoteStatuses() = 0;

  // --- Submissions (docs/authorities.md): the admin's statements to an
  // authority, derived from the register by core's functions and versioned
  // like every record.
  struct SubmitResult {
    uint64_t added = 0;      // rows with no earlier version
    uint64_t changed = 0;    // rows whose content differs from the version shown
    uint64_t unchanged = 0;  // rows written before with this content: nothing written
  };
  // Writes a version of each DUO row that is new or whose content changed,
  // dominating the earlier ones, in one transaction with one audit entry
  // ("submit.duo", counts only). kPermissionDenied for any role but admin;
  // kInvalidArgument for a row exports::Validate refuses (nothing written).
  virtual Result<SubmitResult> SubmitDuoHours(const Actor& actor,
                                              std::span<const exports::DuoHours> rows) = 0;
  // Every DUO row held here (written here or received), by id.
  virtual Result<std::vector<exports::DuoHours>> ListDuoHours() = 0;
  // DUO's rows and the school's classified absences for DUO (core/authorities/duo.h)
  // in one transaction with one audit entry ("submit.duo", counts only). An
  // absence withdrawn since an earlier submission is passed with 0 minutes.
  struct DuoSubmitResult {
    SubmitResult hours;
    SubmitResult absences;
  };
  virtual Result<DuoSubmitResult> SubmitDuo(const Actor& actor,
                                            std::span<const exports::DuoHours> hours,
                                            std::span<const exports::DuoAbsence> absences) = 0;
  virtual Result<std::vector<exports::DuoAbsence>> ListDuoAbsences() = 0;
  // DUO's register only (kPermissionDenied elsewhere): exam results, written
  // like submissions ("exam.record"). A school's register receives them.
  virtual Result<SubmitResult> RecordExamResults(
      const Actor& actor, std::span<const exports::DuoExamResult> results) = 0;
  virtual Result<std::vector<exports::DuoExamResult>> ListExamResults() = 0;
  // The same for DUO's view of a learner's integration duty ("duty.record"):
  // DUO's register only; a school's receives it.
  virtual Result<SubmitResult> RecordDuties(const Actor& actor,
                                            std::span<const exports::DuoDuty> duties) = 0;
  virtual Result<std::vector<exports::DuoDuty>> ListDuties() = 0;
  // What the school's admin enters for DUO and the gemeente (core/authorities/contracts.h):
  // kPermissionDenied for any role but admin. Each call is one transaction
  // with one audit entry ("contract.add", "invoice.add", "diploma.add";
  // counts only); nothing is written when one record is refused. The store
  // fills in what the register knows:
  //  - a contract: the BSN of its learner (kNotFound: no such learner);
  //  - an invoice: the learner and BSN of its contract (kNotFound: no such
  //    contract); kFailedPrecondition when R1 routes the learner's invoices
  //    nowhere (a Wi2021 asylum permit holder: the gemeente contracts the
  //    school);
  //  - a bridging diploma (pass learner_id and awarded_on): the BSN, and the
  //    receiver R1 names, in gemeente_code and the id; kFailedPrecondition
  //    unless the learner follows the onderwijsroute (Wi2021).
  virtual Result<SubmitResult> RecordContracts(const Actor& actor,
                                               std::vector<exports::Contract> contracts) = 0;
  virtual Result<std::vector<exports::Contract>> ListContracts() = 0;
  virtual Result<SubmitResult> RecordInvoices(const Actor& actor,
                                              std::vector<exports::Invoice> invoices) = 0;
  virtual Result<std::vector<exports::Invoice>> ListInvoices() = 0;
  virtual Result<SubmitResult> RecordDiplomas(const Actor& actor,
                                              std::vector<exports::BridgingDiploma> diplomas) = 0;
  virtual Result<std::vector<exports::BridgingDiploma>> ListDiplomas() = 0;
  // The same for a gemeente's rows ("submit.gemeente"); one call may hold
  // rows of several gemeenten, each reaches only its own.
  virtual Result<SubmitResult> SubmitGemeenteHours(
      const Actor& actor, std::span<const exports::GemeenteHours> rows) = 0;
  virtual Result<std::vector<exports::GemeenteHours>> ListGemeenteHours() = 0;
  // A gemeente's rows and its residents' absences (core/authorities/gemeente.h), in one
  // transaction with one audit entry ("submit.gemeente", counts only). An
  // absence withdrawn since an earlier submission is passed with 0 minutes.
  struct GemeenteSubmitResult {
    SubmitResult hours;
    SubmitResult absences;
  };
  virtual Result<GemeenteSubmitResult> SubmitGemeente(
      const Actor& actor, std::span<const exports::GemeenteHours> hours,
      std::span<const exports::GemeenteAbsence> absences) = 0;
  // Every absence held here: sent from here (a school) or received (a
  // gemeente's endpoint), by id.
  virtual Result<std::vector<exports::GemeenteAbsence>> ListGemeenteAbsences() = 0;
  // A gemeente's register only: its decisions on absences it received and
  // that were not withdrawn (kNotFound, kFailedPrecondition otherwise),
  // written like submissions ("decide.gemeente"). kPermissionDenied on any
  // other register. A school register shows a received decision on the
  // attendance it is about (R2: the gemeente's decision wins).
  virtual Result<SubmitResult> DecideAbsences(
      const Actor& actor, std::span<const exports::GemeenteDecision> decisions) = 0;
  virtual Result<std::vector<exports::GemeenteDecision>> ListGemeenteDecisions() = 0;

  // Blik op Werk (docs/authorities.md). Teachers' qualifications, kept by the
  // admin (kPermissionDenied for any other role: O.qualification-owner),
  // written like submissions ("qualification.add", counts only): a new or
  // changed one gets a version, an unchanged one nothing. kInvalidArgument
  // for one Validate refuses or an id listed twice (nothing written).
  virtual Result<SubmitResult> RecordQualifications(
      const Actor& actor, std::span<const Qualification> qualifications) = 0;
  virtual Result<std::vector<Qualification>> ListQualifications() = 0;
  // The course planning and the qualifications BoW receives (core/authorities/bow.h),
  // in one transaction with one audit entry ("submit.bow", counts only); the
  // admin only, like every submission.
  struct BowSubmitResult {
    SubmitResult planning;
    SubmitResult qualifications;
  };
  virtual Result<BowSubmitResult> SubmitBow(
      const Actor& actor, std::span<const exports::BowPlanning> planning,
      std::span<const exports::BowQualification> qualifications) = 0;
  // What is held here: sent (a school) or received (BoW's endpoint).
  virtual Result<std::vector<exports::BowPlanning>> ListBowPlanning() = 0;
  virtual Result<std::vector<exports::BowQualification>> ListBowQualifications() = 0;

  // The gemeente's PIP of its residents (core/authorities/gemeente.h GemeentePip). A
  // gemeente's register only (kPermissionDenied elsewhere), for learners a
  // school submitted hours of there (kNotFound otherwise), written like
  // submissions ("pip.set"). A school's register shows a received PIP over
  // the learner's own values of its fields (GetLearner, ListLearners and
  // every report), and UpdateLearner refuses to change them
  // (kFailedPrecondition).
  virtual Result<SubmitResult> SetPips(const Actor& actor,
                                       std::span<const exports::GemeentePip> pips) = 0;
  virtual Result<std::vector<exports::GemeentePip>> ListPips() = 0;
  // The PIP shown over `learner`, if one applies (their own gemeente's, for
  // a Wi2021 asylum permit holder).
  virtual Result<std::optional<exports::GemeentePip>> PipFor(const Learner& learner) = 0;
  // The gemeente's NAW data of its residents (core/authorities/gemeente.h GemeenteNaw),
  // like the PIP ("naw.set"): a school's register shows its name over the
  // learner's own, UpdateLearner refuses to change that name
  // (kFailedPrecondition), and the address is kept only in the NAW record.
  virtual Result<SubmitResult> SetNaws(const Actor& actor,
                                       std::span<const exports::GemeenteNaw> naws) = 0;
  virtual Result<std::vector<exports::GemeenteNaw>> ListNaws() = 0;
  virtual Result<std::optional<exports::GemeenteNaw>> NawFor(const Learner& learner) = 0;

  // Settings and the record of what left the school as a file (issue 5).
  // Both are the admin's (kPermissionDenied for another role) and audited.
  //
  // Sets the BoW registration number (ValidateBowNumber; kInvalidArgument
  // otherwise): "config.set".
  virtual Status SetBowNumber(const Actor& actor, std::string_view number) = 0;
  // A gemeente's register only (kPermissionDenied elsewhere): binds it to
  // the CBS code its endpoint serves, once ("config.set"); the same code
  // again does nothing, another is kFailedPrecondition — a register holds
  // one gemeente's data and must not be served as another's.
  virtual Status SetGemeenteCode(const Actor& actor, std::string_view code) = 0;
  // Appends an audit entry that writes no record: that a file for an
  // authority was made, with `summary` (a file name and counts, never a BSN).
  virtual Status LogExport(const Actor& actor, std::string_view action, std::string summary) = 0;
};

}  // namespace presentie::storage

#endif  // PRESENTIE_STORAGE_STORE_H_
