// Creating and opening a register (its file, its meta, its key) and
// rotating the key that seals its personal fields.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/hex.h"
#include "storage/sqlite_store/write.h"

namespace presentie::storage::impl {

namespace {

std::string NewReplicaId() {
  std::array<unsigned char, 8> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return HexLower(bytes);
}

// Creates the register file with mode 0600 before SQLite sees it: SQLite
// would create it with 0644 less the umask, and gives its -wal and -shm
// files the mode of the database file.
Status CreateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return AlreadyExists("a file already exists at '" + path + "'");
    if (errno == ENOENT) {
      return InvalidArgument("cannot create a register at '" + path +
                             "': its folder does not exist");
    }
    return FailedPrecondition("cannot create a register at '" + path +
                              "': " + std::strerror(errno));
  }
  // The umask may have taken the owner's bits too; set exactly 0600.
  const bool ok = ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return FailedPrecondition("cannot create a register at '" + path +
                              "': " + std::strerror(error));
  }
  // Make the new directory entry durable too.
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    // Best effort: some file systems refuse fsync on a directory; the
    // register's first commit is still synced.
    (void)::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

// Rewrites the file so that no freed page keeps an old value (the plaintext
// before schema step 10 sealed it, a value sealed under a replaced key), and
// empties the WAL that held the pages before.
Status PurgeFreedPages(Database& db) {
  PRESENTIE_RETURN_IF_ERROR(db.Exec("VACUUM"));
  return db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

sqlite::OpenOptions OpenOptionsFor(const StoreOptions& options, bool initialize) {
  sqlite::OpenOptions o;
  o.initialize = initialize;
  o.application_id = internal::kApplicationId;
  o.busy_timeout_ms = options.busy_timeout_ms;
  return o;
}

// Schema step 10 sealed the personal fields (internal/seal.h), step 12 the
// teachers' names.
constexpr int kSealedSince = 10;

constexpr int kTeachersSealedSince = 12;

// A register's key check (schema step 10 on): a wrong key is refused here,
// before anything is read or written with it.
Status CheckKey(Database& db, const internal::KeySource& source) {
  PRESENTIE_ASSIGN_OR_RETURN(const int version, db.UserVersion());
  if (version < kSealedSince) return Status::Ok();
  PRESENTIE_ASSIGN_OR_RETURN(Statement check,
                             db.Prepare("SELECT unseal(value, 'key_check') FROM meta "
                                        "WHERE key = 'key_check'"));
  Result<bool> row = check.Step();
  if (!row.ok() && row.status().code() != StatusCode::kDataLoss) return row.status();
  if (!row.ok()) {
    return FailedPrecondition(internal::Describe(source) + " does not open the register at '" +
                              db.path() + "' (it is another register's key, or it was changed)");
  }
  return Status::Ok();
}

// Loads the register's key (making one with `create_key`), defines the
// sealing functions on `db`, and checks the key against the register. A
// rotation that committed but has not replaced the key file yet (RotateKey)
// left the new key in "<key file>.next": that key is taken instead, and with
// `finish_rotation` (an open: the rotation was cut off) the key file is
// replaced by it; a running process leaves that to the rotation under way.
Status Unlock(Database& db, const StoreOptions& options, bool create_key,
              bool finish_rotation = true) {
  const internal::KeySource source = internal::ResolveKeySource(db.path(), options.key);
  PRESENTIE_ASSIGN_OR_RETURN(internal::RegisterKey key, internal::LoadKey(source, create_key));
  internal::Sealer sealer(key);
  sodium_memzero(key.data(), key.size());
  PRESENTIE_RETURN_IF_ERROR(internal::InstallSealing(db, sealer));
  Status checked = CheckKey(db, source);
  if (checked.code() != StatusCode::kFailedPrecondition || source.file.empty()) return checked;
  // A key rotation that committed but did not get to replace the key file
  // (RotateKey) left the new key in "<key file>.next": finish it.
  const internal::KeySource next{internal::NextKeyFile(source.file), "", source.named_by};
  std::error_code ec;
  if (!std::filesystem::exists(next.file, ec)) return checked;
  Result<internal::RegisterKey> next_key = internal::LoadKey(next, false);
  if (!next_key.ok()) return checked;
  PRESENTIE_RETURN_IF_ERROR(internal::InstallSealing(db, internal::Sealer(*next_key)));
  if (!CheckKey(db, next).ok()) return checked;
  return finish_rotation ? internal::AdoptNextKey(source.file) : Status::Ok();
}

Result<std::unique_ptr<Store>> CreateIn(const std::string& path, const InitOptions& init,
                                        StoreOptions options) {
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db,
                             sqlite::Database::Open(path, OpenOptionsFor(options, true)));
  PRESENTIE_RETURN_IF_ERROR(Unlock(*db, options, /*create_key=*/true));
  PRESENTIE_RETURN_IF_ERROR(internal::Migrate(*db));
  {
    namespace meta = internal::meta;
    const uint64_t now_ms = options.clock_ms ? options.clock_ms() : SystemClockMs();
    PRESENTIE_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db, meta::kReplicaId, NewReplicaId()));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db, meta::kSchoolName, init.school_name));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db, meta::kBrin, init.brin));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db, meta::kRole, ToString(init.role)));
    PRESENTIE_RETURN_IF_ERROR(
        internal::SetMetaInt(*db, meta::kCreatedAtMs, static_cast<int64_t>(now_ms)));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaInt(*db, meta::kLastHlc, 0));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaInt(*db, meta::kAuditHeadSeq, 0));
    PRESENTIE_RETURN_IF_ERROR(
        internal::SetMetaText(*db, meta::kAuditHeadHash, internal::kZeroHash));
    PRESENTIE_RETURN_IF_ERROR(txn.Commit());
  }
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<Store> store,
                             SqliteStore::Load(std::move(db), std::move(options)));
  PRESENTIE_RETURN_IF_ERROR(static_cast<SqliteStore&>(*store).WriteInitEntry());
  return store;
}

}  // namespace

// Removes a half-created register unless dismissed.
class CreateCleanup {
 public:
  explicit CreateCleanup(std::string path) : path_(std::move(path)) {}
  ~CreateCleanup() {
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  CreateCleanup(const CreateCleanup&) = delete;
  CreateCleanup& operator=(const CreateCleanup&) = delete;
  void Dismiss() { path_.clear(); }

 private:
  std::string path_;
};

Result<std::unique_ptr<Store>> SqliteStore::Load(std::unique_ptr<Database> db,
                                                 StoreOptions options) {
  namespace meta = internal::meta;
  RegisterInfo info;
  auto text = [&db](std::string_view key, std::string* out) -> Status {
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<std::string> v, internal::GetMetaText(*db, key));
    if (!v.has_value()) {
      return FailedPrecondition("the register at '" + db->path() + "' is incomplete (no " +
                                std::string(key) +
                                "); its creation was interrupted: remove it and create it again");
    }
    *out = std::move(*v);
    return Status::Ok();
  };
  PRESENTIE_RETURN_IF_ERROR(text(meta::kReplicaId, &info.replica_id));
  PRESENTIE_RETURN_IF_ERROR(text(meta::kSchoolName, &info.school_name));
  PRESENTIE_RETURN_IF_ERROR(text(meta::kBrin, &info.brin));
  std::string role;
  PRESENTIE_RETURN_IF_ERROR(text(meta::kRole, &role));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRole(role), &info.role));
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> created,
                             internal::GetMetaInt(*db, meta::kCreatedAtMs));
  info.created_at_ms = static_cast<uint64_t>(created.value_or(0));
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<std::string> bow,
                             internal::GetMetaText(*db, meta::kBowNumber));
  info.bow_number = bow.value_or("");
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<std::string> code,
                             internal::GetMetaText(*db, meta::kGemeenteCode));
  info.gemeente_code = code.value_or("");
  PRESENTIE_ASSIGN_OR_RETURN(info.schema_version, db->UserVersion());
  info.key_file = internal::ResolveKeySource(db->path(), options.key).file;
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> last_hlc,
                             internal::GetMetaInt(*db, meta::kLastHlc));
  const Hlc last = Hlc::Unpack(static_cast<uint64_t>(last_hlc.value_or(0)));
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> generation,
                             internal::GetMetaInt(*db, meta::kKeyGeneration));
  auto store =
      std::make_unique<SqliteStore>(std::move(db), std::move(info), std::move(options), last);
  store->key_generation_ = generation.value_or(0);
  return std::unique_ptr<Store>(std::move(store));
}

Status SqliteStore::WriteInitEntry() {
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, Actor{info_.role, ""}));
  return w.Commit("register.init", "register created for BRIN " + info_.brin + " (role " +
                                       std::string(ToString(info_.role)) + ", schema " +
                                       std::to_string(info_.schema_version) + ")");
}

Status SqliteStore::RotateKey(const Actor& actor) {
  const internal::KeySource source = internal::ResolveKeySource(db_->path(), options_.key);
  if (source.file.empty()) {
    return FailedPrecondition(
        (source.named_by.empty() ? std::string("the register's key was given as text")
                                 : "the register's key is in " + source.named_by) +
        ", which presentie cannot replace; put the key in a file (mode 0600), name it in "
        "PRESENTIE_KEY_FILE, and rotate again");
  }
  // 1. The new key, durable before anything is sealed with it.
  const std::string next = internal::NextKeyFile(source.file);
  internal::RegisterKey key = internal::NewKey();
  PRESENTIE_RETURN_IF_ERROR(internal::ReplaceKeyFile(next, key));
  const internal::Sealer sealer(key);
  sodium_memzero(key.data(), key.size());
  PRESENTIE_RETURN_IF_ERROR(internal::InstallResealing(*db_, sealer));
  // 2. Every sealed value anew, in one audited transaction.
  {
    PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
    std::string sql =
        "UPDATE learner SET bsn_hash = next_bsn_key(unseal(bsn, 'bsn'));"
        "UPDATE person SET bsn_hash = next_bsn_key(unseal(bsn, 'bsn'));";
    for (const internal::SealedColumn& c : internal::SealedColumns()) {
      const std::string column(c.column), field(c.field);
      std::string resealed = "seal_next(unseal(" + column + ", '" + field + "'), '" + field + "')";
      // A version's body that holds nothing personal stays plain.
      if (c.table == "versions") {
        resealed = "CASE WHEN substr(body, 1, 3) = 's1:' THEN " + resealed + " ELSE body END";
      }
      sql += "UPDATE " + std::string(c.table) + " SET " + column + " = " + resealed + ";";
    }
    sql +=
        "UPDATE meta SET value = seal_next(unseal(value, 'key_check'), 'key_check') "
        "WHERE key = 'key_check';";
    PRESENTIE_RETURN_IF_ERROR(db_->Exec(sql));
    PRESENTIE_RETURN_IF_ERROR(
        internal::SetMetaInt(*db_, internal::meta::kKeyGeneration, key_generation_ + 1));
    PRESENTIE_RETURN_IF_ERROR(
        w.Commit("key.rotate", "the register's key replaced; every sealed field sealed anew"));
  }
  ++key_generation_;
  // 3. The new key is the key (an open after a crash before this does it).
  PRESENTIE_RETURN_IF_ERROR(internal::AdoptNextKey(source.file));
  PRESENTIE_RETURN_IF_ERROR(internal::InstallSealing(*db_, sealer));
  // 4. No value sealed under the old key is left in a freed page or the WAL.
  return PurgeFreedPages(*db_);
}

Status SqliteStore::FollowKeyRotation() {
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> generation,
                             internal::GetMetaInt(*db_, internal::meta::kKeyGeneration));
  return FollowKeyGeneration(generation.value_or(0));
}

Status SqliteStore::FollowKeyGeneration(int64_t generation) {
  if (generation == key_generation_) return Status::Ok();
  // Twice: the rotation may rename ".next" over the key file between this
  // one's reading of the two.
  Status unlocked;
  for (int attempt = 0; attempt < 2; ++attempt) {
    unlocked = Unlock(*db_, options_, /*create_key=*/false, /*finish_rotation=*/false);
    if (unlocked.ok()) {
      key_generation_ = generation;
      return Status::Ok();
    }
  }
  return FailedPrecondition(
      "the register's key was replaced by another process since this one opened it, and the "
      "key in its place does not open it (" +
      unlocked.message() + "); start this command (or server) again with the new key");
}

}  // namespace presentie::storage::impl

namespace presentie::storage {

Result<std::unique_ptr<Store>> Store::Create(const std::string& path, const InitOptions& init,
                                             StoreOptions options) {
  PRESENTIE_RETURN_IF_ERROR(internal::InitCrypto());
  if (init.school_name.find_first_not_of(" \t") == std::string::npos) {
    return InvalidArgument("the school name is empty");
  }
  // An authority's endpoint is no school: it has no BRIN.
  const bool authority =
      init.role == Role::kDuo || init.role == Role::kGemeente || init.role == Role::kBow;
  if (!authority || !init.brin.empty()) {
    PRESENTIE_RETURN_IF_ERROR(ValidateBrin(init.brin));
  }
  PRESENTIE_RETURN_IF_ERROR(impl::CreateFile(path));
  impl::CreateCleanup cleanup(path);
  Result<std::unique_ptr<Store>> store = impl::CreateIn(path, init, std::move(options));
  if (store.ok()) cleanup.Dismiss();
  return store;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, StoreOptions options) {
  PRESENTIE_RETURN_IF_ERROR(internal::InitCrypto());
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db,
                             sqlite::Database::Open(path, impl::OpenOptionsFor(options, false)));
  // A register from before at-rest encryption gets its key now.
  PRESENTIE_ASSIGN_OR_RETURN(const int version, db->UserVersion());
  PRESENTIE_RETURN_IF_ERROR(
      impl::Unlock(*db, options, /*create_key=*/version < impl::kSealedSince));
  PRESENTIE_RETURN_IF_ERROR(internal::Migrate(*db));
  // Fields plain until now (all before step 10, teachers' names before 12):
  // none is left in a freed page or the WAL.
  if (version < impl::kTeachersSealedSince) {
    PRESENTIE_RETURN_IF_ERROR(impl::PurgeFreedPages(*db));
  }
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<Store> store,
                             impl::SqliteStore::Load(std::move(db), std::move(options)));
  PRESENTIE_RETURN_IF_ERROR(static_cast<impl::SqliteStore&>(*store).MergePending());
  PRESENTIE_RETURN_IF_ERROR(static_cast<impl::SqliteStore&>(*store).RekeyPending());
  return store;
}

}  // namespace presentie::storage
