// The register's file format: its identity, its schema versions and the
// numbered steps between them, and the meta table. Internal to storage/.
#ifndef PRESENTIE_STORAGE_INTERNAL_SCHEMA_H_
#define PRESENTIE_STORAGE_INTERNAL_SCHEMA_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/sqlite/database.h"

namespace presentie::storage::internal {

// PRAGMA application_id of every register: the bytes "PRES" (0x50524553) at
// offset 68 of the file header. `file` and `sqlite3` recognise a register by
// it. Permanent: changing it orphans every register in the field.
inline constexpr int32_t kApplicationId = 0x50524553;

// PRAGMA user_version: the schema version this program writes. A register
// with a higher version is refused; a lower one is migrated step by step.
inline constexpr int kSchemaVersion = 14;

// One step from version - 1 to version. Steps are never edited once released:
// a change to the schema is a new step.
struct MigrationStep {
  int version;
  std::string_view name;  // what the step does, for logs and tests
  std::string_view sql;
};

// All steps, in order; step i (0-based) migrates to version i + 1.
std::span<const MigrationStep> MigrationSteps();

// Brings the register to `target_version` (default: the current one), one
// step per IMMEDIATE transaction, the version re-read under the write lock so
// that two processes opening an old register migrate it once. `on_step` is
// called after each committed step.
//   kFailedPrecondition  the register's version is newer than kSchemaVersion
Status Migrate(sqlite::Database& db, int target_version = kSchemaVersion,
               const std::function<void(const MigrationStep&)>& on_step = {});

// Every sealed column since schema step 10 (docs/reliability.md, "At-rest
// encryption"), with the field name its values are sealed under; for a key
// rotation, which re-seals them all. Step 10's SQL lists the same columns:
// a column sealed by a later step is added here and to that step.
struct SealedColumn {
  std::string_view table;
  std::string_view column;
  std::string_view field;
};
std::span<const SealedColumn> SealedColumns();

// Keys of the meta table (key TEXT PRIMARY KEY, value ANY). Names are on
// disk: permanent.
namespace meta {
inline constexpr std::string_view kReplicaId = "replica_id";           // text, 16 hex
inline constexpr std::string_view kSchoolName = "school_name";         // text
inline constexpr std::string_view kBrin = "brin";                      // text
inline constexpr std::string_view kRole = "role";                      // text, ToString(Role)
inline constexpr std::string_view kCreatedAtMs = "created_at_ms";      // integer, ms since epoch
inline constexpr std::string_view kLastHlc = "last_hlc";               // integer, Hlc::Pack
inline constexpr std::string_view kAuditHeadSeq = "audit_head_seq";    // integer, 0 before init
inline constexpr std::string_view kAuditHeadHash = "audit_head_hash";  // text, hex SHA-256
// Set by schema step 4 when records await the merge (attendance.conflict =
// -1); removed by the store once it has merged them.
inline constexpr std::string_view kMergePending = "merge_pending";      // integer 1
// Set by schema step 14 at an authority's register that holds records: they
// are keyed by school and person yet; removed by the store once it has
// (SqliteStore::RekeyPending).
inline constexpr std::string_view kRekeyPending = "endpoint_rekey_pending";  // integer 1
// The BoW registration number, set by the admin (Store::SetBowNumber).
inline constexpr std::string_view kBowNumber = "bow_number";            // text, 1-10 digits
// A gemeente's endpoint register: the CBS code it serves, set when it is
// first served (Store::SetGemeenteCode).
inline constexpr std::string_view kGemeenteCode = "gemeente_code";      // text, 4 digits
// Schema step 10 on: seal("presentie register key", "key_check"), which
// opens only under the register's key (internal/seal.h).
inline constexpr std::string_view kKeyCheck = "key_check";             // text, sealed
// Bumped by each key rotation, so that a process that opened the register
// under the key before refuses to write with it.
inline constexpr std::string_view kKeyGeneration = "key_generation";   // integer, 0 if absent
}  // namespace meta

// nullopt when the key is absent.
Result<std::optional<std::string>> GetMetaText(sqlite::Database& db, std::string_view key);
Result<std::optional<int64_t>> GetMetaInt(sqlite::Database& db, std::string_view key);
Status SetMetaText(sqlite::Database& db, std::string_view key, std::string_view value);
Status SetMetaInt(sqlite::Database& db, std::string_view key, int64_t value);

}  // namespace presentie::storage::internal

#endif  // PRESENTIE_STORAGE_INTERNAL_SCHEMA_H_
