#include "storage/sqlite/database.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>
#include <utility>

#include "core/hex.h"
#include "core/mutex.h"

namespace presentie::storage::sqlite {

Status StatusFromSqlite(int rc, std::string_view message, std::string_view context) {
  StatusCode code = StatusCode::kInternal;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = StatusCode::kBusy;
      break;
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
      code = StatusCode::kFailedPrecondition;
      break;
    case SQLITE_CORRUPT:
      code = StatusCode::kDataLoss;
      break;
    case SQLITE_CONSTRAINT:
      // The store checks its constraints before writing, with messages that
      // name the record; reaching SQLite's check means a race or a bug.
      code = (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
                 ? StatusCode::kAlreadyExists
                 : StatusCode::kFailedPrecondition;
      break;
    default:
      break;
  }
  std::string text(context);
  if (!text.empty()) text += ": ";
  text += message;
  text += " [sqlite ";
  text += std::to_string(rc);
  text += ']';
  return Status(code, std::move(text));
}

namespace {

// Process-wide SQLite settings, made once before the first connection.
// SQLite's memory statistics take a global mutex on every allocation (a few
// thousand instructions per written row here); presentie never reads them.
// sqlite3_config must come before sqlite3_initialize: if something else in
// the process initialised SQLite first, it fails harmlessly and SQLite keeps
// its defaults.
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize() == SQLITE_OK;
  }();
  (void)configured;
}

}  // namespace

// --- Checkpoints.
//
// In WAL mode every commit appends its pages to the -wal file, and a
// checkpoint copies them back into the database file (and syncs it), so
// that the WAL can start over. SQLite's default runs that checkpoint inside
// the commit that takes the WAL past 1,000 pages: the writer stops while
// megabytes are copied and synced. A sync's pull, committing a page of 5,000
// versions at a time, checkpointed every other page that way, about a
// quarter of the client's time (docs/benchmarks.md).
//
// Instead, a commit that takes the WAL past kCheckpointFrames wakes this
// connection's checkpointer: a thread with a connection of its own that runs
// a PASSIVE checkpoint (it neither waits for nor blocks readers and the
// writer) while the writer goes on. The WAL can start over only once every
// frame is copied while no transaction reads it, which a writer that keeps
// committing may not allow; so at kInlineCheckpointFrames the commit runs
// the checkpoint itself, as SQLite would (by then most frames are copied
// already). That bounds the WAL near 8,000 pages (32 MiB of 4 KiB pages).
// The thread starts at the first checkpoint asked of it (most commands never
// write that much) and stops, after the checkpoint it is running, when the
// Database closes.
//
// Only a large commit (kBesideCommitFrames or more) hands its checkpoint to
// the thread. A small one — a recorded lesson is about 14 pages — runs it
// itself, as SQLite would: under a stream of small commits a checkpoint
// beside kept the WAL from starting over, so it grew and every commit's sync
// also wrote the file's new size, and each commit asked for one more
// checkpoint with a sync of its own: a lesson on a register kept open took
// 0.59–0.69 ms that way, 0.35–0.39 ms with the checkpoint inline once per
// some 70 lessons (docs/benchmarks.md).
//
// Durability is unchanged: a commit is durable once its WAL frames are
// synced (synchronous=FULL), whoever checkpoints them later, and a
// checkpoint cut off by a crash is redone from the WAL at the next open.
namespace {

constexpr int kCheckpointFrames = 1000;  // SQLite's own default threshold
constexpr int kInlineCheckpointFrames = 8000;
constexpr int kBesideCommitFrames = 64;  // 256 KiB of 4 KiB pages

}  // namespace

class Database::Checkpointer {
 public:
  explicit Checkpointer(std::string path) : path_(std::move(path)) {}
  ~Checkpointer() {
    {
      MutexLock lock(&mu_);
      stop_ = true;
    }
    wake_.Signal();
    if (thread_.joinable()) thread_.join();
    if (db_ != nullptr) sqlite3_close_v2(db_);
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Asks for a checkpoint soon; false when this checkpointer cannot run one
  // (its thread or connection could not be made): the caller runs it.
  bool Request() EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    if (broken_) return false;
    if (!thread_.joinable()) {
      try {
        thread_ = std::thread(&Checkpointer::Run, this);
      } catch (const std::system_error&) {
        broken_ = true;
        return false;
      }
    }
    requested_ = true;
    wake_.Signal();
    return true;
  }

  // Checkpoints run so far (Database::CheckpointsBeside).
  int64_t ran() const { return ran_.load(std::memory_order_relaxed); }

 private:
  void Run() EXCLUDES(mu_) {
    mu_.Lock();
    for (;;) {
      while (!stop_ && !requested_) wake_.Wait(&mu_);
      if (stop_) break;
      requested_ = false;
      mu_.Unlock();
      const bool ran = Checkpoint();
      mu_.Lock();
      if (!ran) broken_ = true;
    }
    mu_.Unlock();
  }

  // One PASSIVE checkpoint on the thread's own connection, opened the first
  // time. False only when that connection cannot be opened.
  bool Checkpoint() {
    if (db_ == nullptr) {
      sqlite3* handle = nullptr;
      const int rc = sqlite3_open_v2(path_.c_str(), &handle,
                                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
      if (rc != SQLITE_OK ||
          sqlite3_exec(handle, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr) !=
              SQLITE_OK) {
        sqlite3_close_v2(handle);
        return false;
      }
      db_ = handle;
    }
    // Busy (another checkpoint is running) or an I/O error: the frames stay
    // in the WAL, and the next request, or the writer's own checkpoint at
    // kInlineCheckpointFrames, tries again.
    sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ran_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  const std::string path_;
  sqlite3* db_ = nullptr;  // used by the thread only
  Mutex mu_;
  CondVar wake_;
  bool requested_ GUARDED_BY(mu_) = false;
  bool stop_ GUARDED_BY(mu_) = false;
  bool broken_ GUARDED_BY(mu_) = false;
  std::atomic<int64_t> ran_{0};
  std::thread thread_ GUARDED_BY(mu_);  // started by the first Request
};

int64_t Database::CheckpointsBeside() const { return checkpointer_->ran(); }

Database::Database(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)), checkpointer_(std::make_unique<Checkpointer>(path_)) {}

int Database::AfterCommit(void* self, sqlite3* db, const char* schema, int wal_frames) {
  auto* database = static_cast<Database*>(self);
  // The WAL shrinks only by starting over, which this commit then began.
  const int added = wal_frames >= database->wal_frames_ ? wal_frames - database->wal_frames_
                                                        : wal_frames;
  database->wal_frames_ = wal_frames;
  if (wal_frames < kCheckpointFrames) return SQLITE_OK;
  if (added < kBesideCommitFrames || wal_frames >= kInlineCheckpointFrames ||
      !database->checkpointer_->Request()) {
    // What SQLite's own autocheckpoint does; its outcome is not the commit's.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const OpenOptions& options) {
  ConfigureSqliteOnce();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return Status(StatusCode::kNoRegister, "no register at '" + path + "'");
    }
    return FailedPrecondition("cannot open '" + path + "': " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return FailedPrecondition("'" + path + "' is not a regular file");
  }
  sqlite3* handle = nullptr;
  // No SQLITE_OPEN_CREATE: the caller made the file with the mode it wants.
  // NOMUTEX: a Database is used by one thread at a time (see the header).
  int rc =
      sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return StatusFromSqlite(rc, message, "cannot open '" + path + "'");
  }
  std::unique_ptr<Database> db(new Database(handle, path));
  PRESENTIE_RETURN_IF_ERROR(db->Configure(options));
  return db;
}

namespace {

void CallTextFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  const auto& fn = *static_cast<const Database::TextFunction*>(sqlite3_user_data(ctx));
  std::string_view args[4];
  assert(argc <= 4);  // DefineFunction admits no more; SQLite calls with that arity
  for (int i = 0; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
      sqlite3_result_null(ctx);
      return;
    }
    const unsigned char* text = sqlite3_value_text(argv[i]);
    if (text == nullptr) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    args[i] = std::string_view(reinterpret_cast<const char*>(text),
                               static_cast<size_t>(sqlite3_value_bytes(argv[i])));
  }
  Result<std::string> out = fn(std::span<const std::string_view>(args, static_cast<size_t>(argc)));
  if (!out.ok()) {
    const std::string& message = out.status().message();
    sqlite3_result_error(ctx, message.data(), static_cast<int>(message.size()));
    if (out.status().code() == StatusCode::kDataLoss) {
      sqlite3_result_error_code(ctx, SQLITE_CORRUPT);
    }
    return;
  }
  sqlite3_result_text64(ctx, out->data(), out->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void DeleteTextFunction(void* fn) { delete static_cast<Database::TextFunction*>(fn); }

}  // namespace

Status Database::DefineFunction(const std::string& name, int arity, TextFunction fn) {
  if (arity < 0 || arity > 4) return Internal("a text function takes 0 to 4 arguments");
  auto* held = new TextFunction(std::move(fn));
  // On failure SQLite calls the destructor itself.
  const int rc = sqlite3_create_function_v2(db_, name.c_str(), arity,
                                            SQLITE_UTF8 | SQLITE_DIRECTONLY, held,
                                            CallTextFunction, nullptr, nullptr,
                                            DeleteTextFunction);
  if (rc != SQLITE_OK) return Error(rc, "defining SQL function " + name);
  return Status::Ok();
}

// Every per-connection and per-file setting lives here, so that each
// connection to a register behaves the same.
Status Database::Configure(const OpenOptions& options) {
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  // Defensive: no writable_schema and friends, so a statement cannot corrupt
  // the file. Untrusted schema: a crafted file cannot make us call functions
  // with side effects from its views or triggers.
  sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);

  // The first read of the file: an SQLite header is checked here, so a file
  // of another kind fails with SQLITE_NOTADB.
  Result<Statement> app = Prepare("PRAGMA application_id");
  if (!app.ok()) {
    if (app.status().code() == StatusCode::kFailedPrecondition ||
        app.status().code() == StatusCode::kDataLoss) {
      return FailedPrecondition("'" + path_ + "' is not a presentie register (" +
                                app.status().message() + ")");
    }
    return app.status();
  }
  Result<bool> row = app->Step();
  if (!row.ok()) {
    return FailedPrecondition("'" + path_ + "' is not a presentie register (" +
                              row.status().message() + ")");
  }
  const auto app_id = static_cast<int32_t>(app->ColumnInt(0));
  app->Reset();
  if (app_id != options.application_id) {
    bool fresh = false;
    if (app_id == 0 && options.initialize) {
      Result<Statement> count = Prepare("SELECT count(*) FROM sqlite_schema");
      if (!count.ok()) return count.status();
      Result<bool> has = count->Step();
      if (!has.ok()) return has.status();
      fresh = count->ColumnInt(0) == 0;
    }
    if (!fresh) {
      return FailedPrecondition("'" + path_ + "' is not a presentie register (application_id " +
                                Hex32(static_cast<uint32_t>(app_id)) + ")");
    }
    PRESENTIE_RETURN_IF_ERROR(
        Exec("PRAGMA application_id = " + std::to_string(options.application_id)));
  }

  PRESENTIE_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys = ON"));
  // WAL: readers never block the writer and a commit appends to one file.
  Result<Statement> wal = Prepare("PRAGMA journal_mode = WAL");
  if (!wal.ok()) return wal.status();
  Result<bool> mode = wal->Step();
  if (!mode.ok()) return mode.status();
  if (wal->ColumnText(0) != "wal") {
    return FailedPrecondition("'" + path_ + "': cannot use write-ahead logging (journal mode '" +
                              wal->ColumnString(0) + "')");
  }
  // FULL: the WAL is synced at every commit. NORMAL would be faster but may
  // lose the last commits on power loss, and a lost commit is a lost
  // attendance record that a teacher believes was saved.
  PRESENTIE_RETURN_IF_ERROR(Exec("PRAGMA synchronous = FULL"));
  // 16 MiB of page cache rather than SQLite's 2 MiB: records keyed by
  // random ids (a school's UUIDs) land on random leaves of the record and
  // change-log indexes, and with 2 MiB nearly every insert of a pull or an
  // import read its leaf back from the file. 16 MiB made a new device's pull
  // of 100,000 real-shaped versions ~1.4x faster and keeps a device under
  // 64 MiB (docs/benchmarks.md, "Random keys"); mmap_size did not help.
  PRESENTIE_RETURN_IF_ERROR(Exec("PRAGMA cache_size = -16384"));
  // Replaces SQLite's autocheckpoint (see "Checkpoints" above).
  sqlite3_wal_hook(db_, &Database::AfterCommit, this);

  Result<Statement> fk = Prepare("PRAGMA foreign_keys");
  if (!fk.ok()) return fk.status();
  Result<bool> fk_row = fk->Step();
  if (!fk_row.ok()) return fk_row.status();
  if (!*fk_row || fk->ColumnInt(0) != 1) {
    return Internal("this SQLite library does not enforce foreign keys");
  }
  return Status::Ok();
}

Database::~Database() {
  // The checkpointer's connection closes first, so that this one, the last,
  // checkpoints and removes the WAL as it closes.
  checkpointer_.reset();
  cache_.clear();  // finalizes the cached statements before the close
  // close_v2: a statement the caller still holds keeps the connection alive
  // until it is finalized, instead of failing the close.
  sqlite3_close_v2(db_);
}

Status Database::Exec(std::string_view sql) {
  char* message = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string m = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return StatusFromSqlite(sqlite3_extended_errcode(db_), m, "sqlite");
  }
  return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, "sqlite");
  return Statement(stmt);
}

Result<CachedStatement> Database::Cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc, "sqlite");
    auto slot = std::make_unique<CachedSlot>();
    slot->statement = Statement(stmt);
    it = cache_.emplace(std::string(sql), std::move(slot)).first;
  }
  assert(!it->second->in_use && "cached statement used twice at once");
  return CachedStatement(it->second.get());
}

Result<int> Database::UserVersion() {
  PRESENTIE_ASSIGN_OR_RETURN(Statement stmt, Prepare("PRAGMA user_version"));
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Internal("PRAGMA user_version returned no row");
  return static_cast<int>(stmt.ColumnInt(0));
}

Status Database::SetUserVersion(int version) {
  return Exec("PRAGMA user_version = " + std::to_string(version));
}

int64_t Database::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

int64_t Database::Changes() const { return sqlite3_changes64(db_); }

bool Database::Autocommit() const { return sqlite3_get_autocommit(db_) != 0; }

Status Database::Error(int rc, std::string_view context) const {
  int code = sqlite3_extended_errcode(db_);
  // The connection's last code belongs to the call that returned `rc` unless
  // that call did not set it (e.g. a misuse); keep whichever is more precise.
  if ((code & 0xff) != (rc & 0xff)) code = rc;
  return StatusFromSqlite(code, sqlite3_errmsg(db_), context);
}

}  // namespace presentie::storage::sqlite
