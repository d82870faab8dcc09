// A write transaction as an RAII object. Internal to storage/ (see
// database.h).
#ifndef PRESENTIE_STORAGE_SQLITE_TRANSACTION_H_
#define PRESENTIE_STORAGE_SQLITE_TRANSACTION_H_

#include "core/status.h"
#include "storage/sqlite/database.h"

namespace presentie::storage::sqlite {

// BEGIN IMMEDIATE on creation, COMMIT only when Commit() is called, ROLLBACK
// otherwise. IMMEDIATE takes the write lock up front: a deferred transaction
// that upgrades later gets SQLITE_BUSY without waiting for the busy timeout.
//
// Not nestable: one Transaction per Database at a time.
class Transaction {
 public:
  // kBusy when another connection holds the write lock beyond the timeout.
  static Result<Transaction> Begin(Database& db);

  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back unless committed. Never throws; a failed rollback is ignored
  // (SQLite rolls back itself when the connection closes).
  ~Transaction();

  // Makes the writes durable. On failure the transaction is still open and
  // the destructor rolls it back.
  Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // null once committed or moved from
};

}  // namespace presentie::storage::sqlite

#endif  // PRESENTIE_STORAGE_SQLITE_TRANSACTION_H_
