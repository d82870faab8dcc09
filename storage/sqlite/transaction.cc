#include "storage/sqlite/transaction.h"

#include <cassert>

namespace presentie::storage::sqlite {

Result<Transaction> Transaction::Begin(Database& db) {
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement begin, db.Cached("BEGIN IMMEDIATE"));
  PRESENTIE_RETURN_IF_ERROR(begin->Run());
  return Transaction(&db);
}

Transaction::~Transaction() {
  // Nothing to undo when committed, or when SQLite already rolled back by
  // itself (after some I/O errors it ends the transaction on its own).
  if (db_ == nullptr || db_->Autocommit()) return;
  Result<CachedStatement> rollback = db_->Cached("ROLLBACK");
  if (!rollback.ok()) {
    // Ignored on purpose: a destructor must not fail, and a transaction that
    // is still open is rolled back by SQLite when the connection closes.
    rollback.status().IgnoreError();
    return;
  }
  (*rollback)->Run().IgnoreError();
}

Status Transaction::Commit() {
  assert(db_ != nullptr && "Commit on a finished transaction");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement commit, db_->Cached("COMMIT"));
  PRESENTIE_RETURN_IF_ERROR(commit->Run());
  db_ = nullptr;
  return Status::Ok();
}

}  // namespace presentie::storage::sqlite
