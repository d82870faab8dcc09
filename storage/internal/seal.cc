#include "storage/internal/seal.h"

#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/hex.h"
#include "storage/internal/records.h"

namespace presentie::storage::internal {
namespace {

constexpr std::string_view kPrefix = "s1:";
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES] = {'p', 'r', 'e', 's', 'n', 't', 'i', 'e'};
constexpr uint64_t kAeadKeyId = 1;
constexpr uint64_t kLookupKeyId = 2;
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr int kBase64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr size_t kKeyHex = 2 * sizeof(RegisterKey);

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// 64 hex digits (surrounding whitespace allowed) as a key.
std::optional<RegisterKey> ParseKey(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  if (text.size() != kKeyHex) return std::nullopt;
  RegisterKey key;
  if (!ParseHex(text, key)) return std::nullopt;
  return key;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string Errno() { return std::strerror(errno); }

// The key as a file's text: 64 hex digits and a newline.
std::string KeyText(const RegisterKey& key) { return HexLower(key) + '\n'; }

// Writes `key` to a new temporary file beside `path`, mode 0600, synced;
// returns its name.
Result<std::string> WriteTempKey(const std::string& path, const RegisterKey& key) {
  std::string text = KeyText(key);
  const std::string tmp = path + ".new-" + std::to_string(::getpid());
  Fd f;
  f.fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (f.fd < 0) {
    return FailedPrecondition("cannot create the register's key file '" + path + "': " + Errno());
  }
  // The umask may have narrowed the mode, never widened it; make it exact.
  const bool written = ::fchmod(f.fd, 0600) == 0 &&
                       ::write(f.fd, text.data(), text.size()) ==
                           static_cast<ssize_t>(text.size()) &&
                       ::fsync(f.fd) == 0;
  sodium_memzero(text.data(), text.size());
  if (!written) {
    const std::string why = Errno();
    ::unlink(tmp.c_str());
    return FailedPrecondition("cannot write the register's key file '" + path + "': " + why);
  }
  return tmp;
}

// The key must outlive a crash as surely as the register it opens.
void SyncFolderOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  Fd d;
  d.fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d.fd >= 0) ::fsync(d.fd);
}

// Makes the key file whole or not at all: written and synced under a
// temporary name, then linked to `path`, so that no reader ever sees a
// partial key. nullopt when another process made `path` first (the caller
// reads that one).
Result<std::optional<RegisterKey>> CreateKeyFile(const std::string& path) {
  const RegisterKey key = NewKey();
  PRESENTIE_ASSIGN_OR_RETURN(const std::string tmp, WriteTempKey(path, key));
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) return std::optional<RegisterKey>();
    errno = link_errno;
    return FailedPrecondition("cannot create the register's key file '" + path + "': " +
                              Errno());
  }
  SyncFolderOf(path);
  return std::optional<RegisterKey>(key);
}

}  // namespace

bool HoldsNothingPersonal(std::string_view body) {
  // Present means reason none and no decision (ValidateAttendance); checked
  // here too, so that nothing but such a body is ever kept plain.
  if (body.substr(0, kAttendanceBodyV1.size()) != kAttendanceBodyV1) return false;
  std::string_view fields[7];
  std::string_view note;
  return SplitAttendanceFacts(body.substr(kAttendanceBodyV1.size()), fields, &note) == 7 &&
         fields[0] == "present" && fields[4] == "none" && fields[5] == "-" && fields[6] == "-" &&
         note.empty();
}

Sealer::Sealer(const RegisterKey& key) {
  crypto_kdf_derive_from_key(aead_.data(), aead_.size(), kAeadKeyId, kKdfContext, key.data());
  crypto_kdf_derive_from_key(lookup_.data(), lookup_.size(), kLookupKeyId, kKdfContext,
                             key.data());
}

Sealer::Sealer(const Sealer& other) : aead_(other.aead_), lookup_(other.lookup_) {}

Sealer::~Sealer() {
  sodium_memzero(aead_.data(), aead_.size());
  sodium_memzero(lookup_.data(), lookup_.size());
}

// Bumped in a forked child, so that a pool copied into it is never drawn
// from again (getpid per nonce would cost a system call each).
namespace {
std::atomic<long> fork_generation{0};
}  // namespace

const unsigned char* Sealer::NextNonce() const {
  static_assert(sizeof(pool_) % kNonce == 0);
  static std::once_flag registered;
  std::call_once(registered, [] {
    ::pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1); });
  });
  const long generation = fork_generation.load(std::memory_order_relaxed);
  if (pool_used_ + kNonce > pool_.size() || generation != pool_generation_) {
    randombytes_buf(pool_.data(), pool_.size());
    pool_used_ = 0;
    pool_generation_ = generation;
  }
  const unsigned char* nonce = pool_.data() + pool_used_;
  pool_used_ += kNonce;
  return nonce;
}

std::string Sealer::Seal(std::string_view plain, std::string_view field) const {
  if (plain.empty()) return {};
  // Most fields are short: no allocation for them.
  unsigned char small[256];
  std::vector<unsigned char> large;
  const size_t raw_size = kNonce + plain.size() + kTag;
  unsigned char* raw = small;
  if (raw_size > sizeof small) {
    large.resize(raw_size);
    raw = large.data();
  }
  std::memcpy(raw, NextNonce(), kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(raw + kNonce, &written, Bytes(plain), plain.size(),
                                             Bytes(field), field.size(), nullptr, raw,
                                             aead_.data());
  std::string out(kPrefix);
  const size_t encoded = sodium_base64_ENCODED_LEN(raw_size, kBase64);
  out.resize(kPrefix.size() + encoded);
  sodium_bin2base64(out.data() + kPrefix.size(), encoded, raw, raw_size, kBase64);
  out.resize(out.size() - 1);  // the terminating NUL sodium writes
  return out;
}

Result<std::string> Sealer::Unseal(std::string_view sealed, std::string_view field) const {
  if (sealed.empty()) return std::string();
  if (sealed.substr(0, kPrefix.size()) != kPrefix) {
    return DataLoss("a " + std::string(field) + " field is not sealed");
  }
  sealed.remove_prefix(kPrefix.size());
  std::vector<unsigned char> raw(sealed.size());
  size_t n = 0;
  if (sodium_base642bin(raw.data(), raw.size(), sealed.data(), sealed.size(), nullptr, &n,
                        nullptr, kBase64) != 0 ||
      n < kNonce + kTag) {
    return DataLoss("a sealed " + std::string(field) + " field is malformed");
  }
  std::string plain(n - kNonce - kTag, '\0');
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &len, nullptr, raw.data() + kNonce,
          n - kNonce, Bytes(field), field.size(), raw.data(), aead_.data()) != 0) {
    return DataLoss("a sealed " + std::string(field) +
                    " field does not open with this register's key (altered, or another key)");
  }
  plain.resize(len);
  return plain;
}

std::string Sealer::LookupHash(std::string_view value) const {
  unsigned char out[16];
  crypto_generichash(out, sizeof out, Bytes(value), value.size(), lookup_.data(),
                     lookup_.size());
  return HexLower(out);
}

namespace {

// `seal_name`(value, field) and `lookup_name`(bsn) under `sealer`.
Status DefineSealAndLookup(sqlite::Database& db, std::shared_ptr<const Sealer> sealer,
                           const std::string& seal_name, const std::string& lookup_name) {
  PRESENTIE_RETURN_IF_ERROR(
      db.DefineFunction(seal_name, 2, [sealer](std::span<const std::string_view> a) {
        return Result<std::string>(sealer->Seal(a[0], a[1]));
      }));
  return db.DefineFunction(lookup_name, 1, [sealer](std::span<const std::string_view> a) {
    return Result<std::string>(sealer->LookupHash(a[0]));
  });
}

}  // namespace

Status InstallSealing(sqlite::Database& db, const Sealer& sealer) {
  auto shared = std::make_shared<const Sealer>(sealer);
  PRESENTIE_RETURN_IF_ERROR(DefineSealAndLookup(db, shared, "seal", "bsn_key"));
  PRESENTIE_RETURN_IF_ERROR(
      db.DefineFunction("unseal", 2, [shared](std::span<const std::string_view> a) {
        return shared->Unseal(a[0], a[1]);
      }));
  // A version's body: sealed, unless it is an attendance of a learner
  // present for the whole lesson without a note (internal/records.h's
  // compact form), which holds nothing the plain typed row does not say.
  PRESENTIE_RETURN_IF_ERROR(
      db.DefineFunction("seal_body", 1, [shared](std::span<const std::string_view> a) {
        return Result<std::string>(HoldsNothingPersonal(a[0]) ? std::string(a[0])
                                                              : shared->Seal(a[0], "body"));
      }));
  PRESENTIE_RETURN_IF_ERROR(
      db.DefineFunction("open_body", 1, [shared](std::span<const std::string_view> a) {
        if (a[0].substr(0, kPrefix.size()) == kPrefix) return shared->Unseal(a[0], "body");
        if (HoldsNothingPersonal(a[0])) return Result<std::string>(std::string(a[0]));
        return Result<std::string>(DataLoss("a body field is not sealed"));
      }));
  // For the audit check: a body that does not open is kept as stored, so
  // that it fails the digest as an altered change instead of stopping the
  // check.
  return db.DefineFunction("unseal_or_keep", 2, [shared](std::span<const std::string_view> a) {
    Result<std::string> plain = shared->Unseal(a[0], a[1]);
    return plain.ok() ? plain : Result<std::string>(std::string(a[0]));
  });
}

RegisterKey NewKey() {
  RegisterKey key;
  randombytes_buf(key.data(), key.size());
  return key;
}

Status ReplaceKeyFile(const std::string& path, const RegisterKey& key) {
  PRESENTIE_ASSIGN_OR_RETURN(const std::string tmp, WriteTempKey(path, key));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = Errno();
    ::unlink(tmp.c_str());
    return FailedPrecondition("cannot write the register's key file '" + path + "': " + why);
  }
  SyncFolderOf(path);
  return Status::Ok();
}

std::string NextKeyFile(const std::string& key_file) { return key_file + ".next"; }

Status InstallResealing(sqlite::Database& db, const Sealer& next) {
  return DefineSealAndLookup(db, std::make_shared<const Sealer>(next), "seal_next",
                             "next_bsn_key");
}

Status AdoptNextKey(const std::string& key_file) {
  const std::string next = NextKeyFile(key_file);
  if (::rename(next.c_str(), key_file.c_str()) != 0) {
    const int why = errno;
    struct stat st {};
    if (why == ENOENT && ::stat(key_file.c_str(), &st) == 0) return Status::Ok();
    errno = why;
    return FailedPrecondition("cannot make '" + next + "' the register's key file: " + Errno() +
                              "; the register is sealed under the key in '" + next +
                              "': rename it to '" + key_file + "'");
  }
  SyncFolderOf(key_file);
  return Status::Ok();
}

KeySource ResolveKeySource(const std::string& register_path, const KeyLocation& location) {
  if (!location.key_hex.empty()) return KeySource{"", location.key_hex, location.named_by};
  if (!location.file.empty()) return KeySource{location.file, "", location.named_by};
  return KeySource{register_path + ".key", "", ""};
}

std::string Describe(const KeySource& source) {
  if (source.file.empty()) {
    return source.named_by.empty() ? "the key given" : "the key in " + source.named_by;
  }
  return "the key file '" + source.file + "'" +
         (source.named_by.empty() ? "" : " (" + source.named_by + ")");
}

Result<RegisterKey> LoadKey(const KeySource& source, bool create_if_missing) {
  if (source.file.empty()) {
    std::optional<RegisterKey> key = ParseKey(source.key_hex);
    if (!key) {
      return InvalidArgument((source.named_by.empty() ? "the key given" : source.named_by) +
                             " does not hold a key (64 hex digits)");
    }
    return *key;
  }
  Fd f;
  f.fd = ::open(source.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) {
    if (errno == ENOENT && create_if_missing) {
      PRESENTIE_ASSIGN_OR_RETURN(std::optional<RegisterKey> made, CreateKeyFile(source.file));
      if (made.has_value()) return *made;
      return LoadKey(source, false);  // another process made it first
    }
    if (errno == ENOENT) {
      return FailedPrecondition(
          "no key for this register: " + Describe(source) +
          " does not exist (the key is made with the register; restore it from where the "
          "school keeps it, or set PRESENTIE_KEY_FILE)");
    }
    return FailedPrecondition("cannot read " + Describe(source) + ": " + Errno());
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return FailedPrecondition(Describe(source) + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return FailedPrecondition(Describe(source) + " may be read by others (mode " + mode +
                              "); make it private with: chmod 600 '" + source.file + "'");
  }
  char buf[256];
  const ssize_t n = ::read(f.fd, buf, sizeof buf);
  std::optional<RegisterKey> key =
      n > 0 ? ParseKey(std::string_view(buf, static_cast<size_t>(n))) : std::nullopt;
  sodium_memzero(buf, sizeof buf);
  if (!key) return InvalidArgument(Describe(source) + " does not hold a key (64 hex digits)");
  return *key;
}

}  // namespace presentie::storage::internal
