#include "storage/internal/schema.h"

#include <array>
#include <cassert>

#include "storage/sqlite/transaction.h"

namespace presentie::storage::internal {
namespace {

constexpr SealedColumn kSealed[] = {
    {"learner", "bsn", "bsn"},
    {"learner", "name", "name"},
    {"attendance", "reason", "reason"},
    {"attendance", "note", "note"},
    {"duo_hours", "bsn", "bsn"},
    {"gemeente_hours", "bsn", "bsn"},
    {"gemeente_absence", "bsn", "bsn"},
    {"duo_exam_result", "bsn", "bsn"},
    {"duo_absence", "bsn", "bsn"},
    {"duo_duty", "bsn", "bsn"},
    {"contract", "bsn", "bsn"},
    {"invoice", "bsn", "bsn"},
    {"bridging_diploma", "bsn", "bsn"},
    {"gemeente_naw", "name", "name"},
    {"gemeente_naw", "address", "address"},
    {"gemeente_naw", "postcode", "postcode"},
    {"gemeente_naw", "residence", "residence"},
    {"conflict_resolution", "reason", "resolution"},
    {"refused", "body", "body"},
    {"versions", "body", "body"},
    {"lesson", "teacher", "teacher"},
    {"qualification", "teacher", "teacher"},
    {"bow_qualification", "teacher", "teacher"},
    {"bow_planning", "teachers", "teachers"},
    {"person", "bsn", "bsn"},
};

}  // namespace

std::span<const SealedColumn> SealedColumns() { return kSealed; }

Status Migrate(sqlite::Database& db, int target_version,
               const std::function<void(const MigrationStep&)>& on_step) {
  assert(target_version >= 0 && target_version <= kSchemaVersion);
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(int version, db.UserVersion());
    if (version > kSchemaVersion) {
      return FailedPrecondition("the register at '" + db.path() + "' has schema version " +
                                std::to_string(version) + ", newer than this program knows (" +
                                std::to_string(kSchemaVersion) + "); use a newer presentie");
    }
    if (version >= target_version) return Status::Ok();
    PRESENTIE_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(db));
    // Another process may have migrated while this one waited for the lock.
    PRESENTIE_ASSIGN_OR_RETURN(int locked_version, db.UserVersion());
    if (locked_version != version) continue;
    const MigrationStep& step = MigrationSteps()[static_cast<size_t>(version)];
    Status applied = db.Exec(step.sql);
    if (!applied.ok()) {
      return applied.WithContext("migrating the register to schema version " +
                                 std::to_string(step.version) + " (" + std::string(step.name) +
                                 ")");
    }
    PRESENTIE_RETURN_IF_ERROR(db.SetUserVersion(step.version));
    PRESENTIE_RETURN_IF_ERROR(txn.Commit());
    if (on_step) on_step(step);
  }
}

Result<std::optional<std::string>> GetMetaText(sqlite::Database& db, std::string_view key) {
  PRESENTIE_ASSIGN_OR_RETURN(sqlite::CachedStatement stmt,
                             db.Cached("SELECT value FROM meta WHERE key = ?1"));
  stmt->BindText(1, key);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row || stmt->ColumnIsNull(0)) return std::optional<std::string>();
  return std::optional<std::string>(stmt->ColumnString(0));
}

Result<std::optional<int64_t>> GetMetaInt(sqlite::Database& db, std::string_view key) {
  PRESENTIE_ASSIGN_OR_RETURN(sqlite::CachedStatement stmt,
                             db.Cached("SELECT value FROM meta WHERE key = ?1"));
  stmt->BindText(1, key);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row || stmt->ColumnIsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(stmt->ColumnInt(0));
}

Status SetMetaText(sqlite::Database& db, std::string_view key, std::string_view value) {
  PRESENTIE_ASSIGN_OR_RETURN(sqlite::CachedStatement stmt,
                             db.Cached("INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  stmt->BindText(1, key);
  stmt->BindText(2, value);
  return stmt->Run();
}

Status SetMetaInt(sqlite::Database& db, std::string_view key, int64_t value) {
  PRESENTIE_ASSIGN_OR_RETURN(sqlite::CachedStatement stmt,
                             db.Cached("INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  stmt->BindText(1, key);
  stmt->BindInt(2, value);
  return stmt->Run();
}

}  // namespace presentie::storage::internal
