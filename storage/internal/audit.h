// The hash-chained audit log. Internal to storage/; docs/storage.md describes
// the format for people who verify a register by hand.
//
// Every write to the register appends one entry that names the range of
// change-log rows it produced and a digest of their content. Each entry's hash
// covers its fields and the previous entry's hash; the last seq and hash (the
// head) are kept in meta, written in the same transaction.
//
// Hash inputs are sequences of fields, each written as its length (8 bytes,
// big-endian) followed by its bytes; integers are written as decimal text.
// The first field is a tag naming the format. All of it is permanent: a
// change breaks the verification of every existing register.
#ifndef PRESENTIE_STORAGE_INTERNAL_AUDIT_H_
#define PRESENTIE_STORAGE_INTERNAL_AUDIT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/sha256.h"
#include "storage/sqlite/database.h"
#include "storage/store.h"

namespace presentie::storage::internal {

inline constexpr std::string_view kEntryTag = "presentie.audit.entry.v1";
inline constexpr std::string_view kChangesTag = "presentie.audit.changes.v1";
// prev_hash of the first entry.
inline constexpr std::string_view kZeroHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Initialises libsodium once per process. Call before any hashing.
Status InitCrypto();

// The content of one change-log row as hashed into an entry's digest.
struct ChangeContent {
  int64_t seq = 0;
  std::string_view kind;
  std::string_view record_id;
  std::string_view vv;
  int64_t hlc = 0;
  std::string_view writer_replica;
  std::string_view writer_role;
  std::string_view writer_user;
  std::string_view body;
};

// SHA-256 over kChangesTag and then, per change in seq order, its nine fields
// in ChangeContent's order. The digest of no changes is that of the tag alone.
class ChangeDigest {
 public:
  ChangeDigest();

  void Add(const ChangeContent& change);
  // Lowercase hex; the digest cannot be extended afterwards.
  std::string Finish();

 private:
  Sha256 hash_;
};

// An entry as stored, every field in its stored text form.
struct StoredEntry {
  int64_t seq = 0;
  int64_t at_ms = 0;
  std::string actor_replica;
  std::string actor_role;
  std::string actor_user;
  std::string action;
  std::string summary;
  int64_t first_change = 0;
  int64_t last_change = 0;
  std::string digest;
  std::string prev_hash;
  std::string hash;
};

// SHA-256 over kEntryTag, prev_hash, seq, at_ms, actor_replica, actor_role,
// actor_user, action, summary, first_change, last_change, digest; hex.
// `entry.hash` is not read.
std::string EntryHash(const StoredEntry& entry);

// Appends an entry inside the caller's write transaction: takes seq and
// prev_hash from the head in meta, computes the hash, inserts the entry and
// moves the head. The caller fills at_ms, actor, action, summary, the change
// range and digest; the returned entry is complete.
Result<AuditEntry> AppendAuditEntry(sqlite::Database& db, AuditEntry entry);

Result<std::vector<AuditEntry>> ReadAuditEntries(sqlite::Database& db, int64_t after_seq,
                                                 int limit);

// Walks the whole chain and the change log; see Store::VerifyAudit.
Result<AuditReport> VerifyAuditChain(sqlite::Database& db);

}  // namespace presentie::storage::internal

#endif  // PRESENTIE_STORAGE_INTERNAL_AUDIT_H_
