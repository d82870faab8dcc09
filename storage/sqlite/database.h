// The one thin SQLite layer of presentie: a connection with the open-time
// settings in one place, and a cache of prepared statements. Internal to
// storage/: sync/ and cli/ use storage/store.h, never this header. No raw
// sqlite3_* call appears outside storage/sqlite/.
//
// Thread-safety: a Database (and every Statement of it) is used by one thread
// at a time. The connection is opened with SQLITE_OPEN_NOMUTEX. The one
// thread a Database starts itself, its checkpointer, uses a connection of
// its own (database.cc, "Checkpoints").
#ifndef PRESENTIE_STORAGE_SQLITE_DATABASE_H_
#define PRESENTIE_STORAGE_SQLITE_DATABASE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "storage/sqlite/statement.h"

struct sqlite3;

namespace presentie::storage::sqlite {

struct OpenOptions {
  // Also allow a file that holds no database yet (0 bytes or an empty
  // schema): its application_id is then written. Without it such a file is
  // refused like any foreign file.
  bool initialize = false;
  // The value expected at offset 68 of the file header (PRAGMA
  // application_id). A file with another value is refused with
  // kFailedPrecondition.
  int32_t application_id = 0;
  int busy_timeout_ms = 5000;  // how long a writer waits for a lock, in ms
};

// An open connection. Owns the sqlite3 handle and every cached statement.
class Database {
 public:
  // Opens an existing file (never creates one: the caller creates the file
  // itself, with the mode it wants, before calling this). Applies, in this
  // order and nowhere else: busy_timeout, the defensive flag, foreign_keys=ON,
  // journal_mode=WAL, synchronous=FULL, and checks (or, with `initialize`,
  // writes) the application_id.
  //   kNoRegister          the file does not exist
  //   kFailedPrecondition  not an SQLite file, or a foreign application_id
  //   kBusy                the file is locked beyond the busy timeout
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const OpenOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows (schema scripts).
  Status Exec(std::string_view sql);

  // A statement owned by the caller, prepared for a single use.
  Result<Statement> Prepare(std::string_view sql);

  // A statement prepared once per connection with SQLITE_PREPARE_PERSISTENT
  // and kept until the Database closes. The guard resets it and clears its
  // bindings when it goes out of scope. `sql` is also the cache key: pass the
  // same literal each time. A cached statement must not be in use twice at
  // once (asserted).
  Result<CachedStatement> Cached(std::string_view sql);

  // A scalar SQL function of `arity` text arguments returning text, for this
  // connection only; usable in statements, never from the schema (views,
  // triggers: SQLITE_DIRECTONLY). A NULL argument gives NULL without a call;
  // an error becomes the statement's error, with its message and with
  // SQLITE_CORRUPT for kDataLoss. Not deterministic (each call may differ).
  using TextFunction = std::function<Result<std::string>(std::span<const std::string_view>)>;
  Status DefineFunction(const std::string& name, int arity, TextFunction fn);

  // PRAGMA user_version: the schema version of the register.
  Result<int> UserVersion();
  Status SetUserVersion(int version);

  int64_t LastInsertRowid() const;
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  int64_t Changes() const;
  // True outside any transaction.
  bool Autocommit() const;
  const std::string& path() const { return path_; }
  // Checkpoints run so far by this connection's checkpointer thread, beside
  // its large writes (database.cc, "Checkpoints").
  int64_t CheckpointsBeside() const;

  // The Status for an SQLite result code `rc` from this connection: SQLite's
  // message and extended code are kept in the text; SQLITE_BUSY and
  // SQLITE_LOCKED become kBusy.
  Status Error(int rc, std::string_view context) const;

 private:
  class Checkpointer;
  Database(sqlite3* db, std::string path);
  Status Configure(const OpenOptions& options);
  // SQLite's WAL hook: runs after each commit of this connection.
  static int AfterCommit(void* self, sqlite3* db, const char* schema, int wal_frames);

  sqlite3* db_;
  std::string path_;
  // Checkpoints the WAL beside this connection's large writes; closed first.
  std::unique_ptr<Checkpointer> checkpointer_;
  // The WAL's length in pages after this connection's last commit.
  int wal_frames_ = 0;
  // Hashes the length and the ends of the SQL text only: cached statements
  // are looked up once per row written, and their texts are long. Keys are
  // still compared whole, so a collision costs time, never correctness.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const {
      constexpr size_t kEnd = 24;
      if (sql.size() <= 2 * kEnd) return std::hash<std::string_view>{}(sql);
      return std::hash<std::string_view>{}(sql.substr(0, kEnd)) ^
             (std::hash<std::string_view>{}(sql.substr(sql.size() - kEnd)) * 31) ^ sql.size();
    }
  };
  // Cached statements, keyed by their SQL text. Destroyed (finalized) before
  // the connection closes.
  std::unordered_map<std::string, std::unique_ptr<CachedSlot>, SqlHash, std::equal_to<>> cache_;
};

// The Status for `rc` (an SQLite result code) with `message`; used where no
// connection exists yet. Exposed for Statement and Transaction.
Status StatusFromSqlite(int rc, std::string_view message, std::string_view context);

}  // namespace presentie::storage::sqlite

#endif  // PRESENTIE_STORAGE_SQLITE_DATABASE_H_
