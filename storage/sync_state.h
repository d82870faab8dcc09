// What only sync needs of a register: applying versions received from
// another replica, the cursors per remote, the outbox of push batches and a
// server's idempotency records. Each write is in the register's own
// transaction, with the versions it belongs to.
#ifndef PRESENTIE_STORAGE_SYNC_STATE_H_
#define PRESENTIE_STORAGE_SYNC_STATE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/record.h"

namespace presentie::storage {

class SyncState {
 public:
  virtual ~SyncState() = default;

  // --- Replication (sync). Versions from other replicas, cursors per remote
  // identity, the outbox of push batches, and a server's idempotency records.

  // Applies received versions by the sibling rule (docs/storage.md), in order:
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
  //                     lesson is known) or its stamp is malformed or breaks
  //                     a bound of core/version_vector.h (more than
  //                     kMaxVersionVectorEntries entries, a counter above
  //                     kMaxCounter, or, unless `options.from_hub`, one more
  //                     than kMaxCounterAhead ahead of the counters of the
  //                     record's versions held here, 0 for a record not held),
  //                     or the source is not a replica id or is this register:
  //                     nothing of the call is applied; the message names
  //                     the record id and the rule, never personal data
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
    // The versions were pulled from a hub, which held each one's counters to
    // what it had seen of the record when the version reached it, and
    // serves only live versions: this register, which may have missed the
    // ones in between, does not check them against what it has seen
    // (kMaxCounterAhead). Every other bound still holds.
    bool from_hub = false;
    // At an authority's register: the school the versions come from, whose
    // keys they are held under (docs/authorities.md, "Many schools"); empty:
    // the source replica.
    std::string school;
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


  // The versions after change-log seq `after_seq` that did not come from
  // replica `remote_replica` ("" for none): what a push to that remote
  // considers, in change-log order. `remote_holds_record`: the remote holds
  // a version of the record already (one at or before `after_seq`, or one
  // received from it), so this one is an edit of what it has.
  struct Unsent {
    RecordKind kind = RecordKind::kLearner;
    std::string record_id;
    bool remote_holds_record = false;
  };
  virtual Result<std::vector<Unsent>> UnsentVersions(int64_t after_seq,
                                                     std::string_view remote_replica) = 0;
};

}  // namespace presentie::storage

#endif  // PRESENTIE_STORAGE_SYNC_STATE_H_
