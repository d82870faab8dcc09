// At-rest encryption of the register's personal fields (docs/reliability.md,
// "At-rest encryption"): each sealed value is XChaCha20-Poly1305 (libsodium's
// AEAD) under a key derived from the register's key, with a fresh random
// nonce and the field's name as associated data, so a sealed value moved to
// another kind of field does not open. Lookups by BSN go through a keyed
// BLAKE2b hash instead. The SQL functions seal(), unseal() and bsn_key() put
// both into statements, so plaintext exists only in this process's memory.
// Internal to storage/.
#ifndef PRESENTIE_STORAGE_INTERNAL_SEAL_H_
#define PRESENTIE_STORAGE_INTERNAL_SEAL_H_

#include <array>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/register.h"
#include "storage/sqlite/database.h"

namespace presentie::storage::internal {

// The register's key: 32 random bytes, kept outside the register (a 0600 file
// or the environment; see ResolveKey).
using RegisterKey = std::array<unsigned char, 32>;

// The two keys derived from a register key (crypto_kdf, context "presntie").
class Sealer {
 public:
  explicit Sealer(const RegisterKey& key);
  ~Sealer();
  // A copy has the keys, never the nonce pool: two sealers never share one.
  Sealer(const Sealer& other);
  Sealer& operator=(const Sealer&) = delete;

  // "s1:" + base64url(nonce || ciphertext || tag); "" stays "" (an empty
  // field tells nothing and is common: notes).
  std::string Seal(std::string_view plain, std::string_view field) const;
  // kDataLoss when the value is not sealed, or does not open under this key
  // and `field` (tampered with, moved, or another register's key).
  Result<std::string> Unseal(std::string_view sealed, std::string_view field) const;
  // Lowercase hex of a 16-byte keyed BLAKE2b of `value`: equal values give
  // equal hashes under one key, and nothing else can be learnt from them.
  std::string LookupHash(std::string_view value) const;

 private:
  // 24 random bytes for a nonce, from a pool filled by randombytes_buf 4 KiB
  // at a time (one getrandom call per 170 values, not one per value); a
  // forked child refills before its first nonce (pthread_atfork). Not
  // thread-safe: a Sealer serves one connection, which one thread uses at a
  // time.
  const unsigned char* NextNonce() const;

  std::array<unsigned char, 32> aead_;
  std::array<unsigned char, 32> lookup_;
  mutable std::array<unsigned char, 4080> pool_;
  mutable size_t pool_used_ = 4080;
  mutable long pool_generation_ = -1;
};

// True for a version's body that holds nothing personal, so is stored
// plain: the compact attendance body of a learner present for the whole
// lesson with no note (everything in it is in the typed row's plain
// columns too). Every other body is sealed.
bool HoldsNothingPersonal(std::string_view body);

// Defines seal(value, field), unseal(value, field), unseal_or_keep(value,
// field) (the value as stored when it does not open: for the audit check),
// seal_body(body) and open_body(body) (a version's body: sealed unless
// HoldsNothingPersonal) and bsn_key(value) on `db`.
Status InstallSealing(sqlite::Database& db, const Sealer& sealer);

// Where a register's key comes from: the key the caller gave, else the file
// it named, else "<register>.key" beside the register. Never the command
// line.
struct KeySource {
  std::string file;      // "" when the caller gave the key itself
  std::string key_hex;   // the key itself, when `file` is ""
  std::string named_by;  // KeyLocation::named_by
};
KeySource ResolveKeySource(const std::string& register_path, const KeyLocation& location);

// Reads the key from `source`. With `create_if_missing`, a missing key file
// is made (mode 0600, 32 random bytes as hex). Refused, naming the file: a
// file readable or writable by group or others, one that holds no key, a
// malformed key given as text.
Result<RegisterKey> LoadKey(const KeySource& source, bool create_if_missing);

// A text that names where the key came from, for messages.
std::string Describe(const KeySource& source);

// A new random key.
RegisterKey NewKey();
// Writes `key` as the file `path` whole or not at all (a temporary file,
// fsynced, renamed over `path`; mode 0600; the folder fsynced).
Status ReplaceKeyFile(const std::string& path, const RegisterKey& key);
// Defines seal_next(value, field) and next_bsn_key(value) on `db`: sealing
// and the lookup hash under the key a rotation is moving to.
Status InstallResealing(sqlite::Database& db, const Sealer& next);
// Makes "<key file>.next" the key file (a rename; the folder fsynced). Done
// already (by another process finishing the same rotation) is fine.
Status AdoptNextKey(const std::string& key_file);
// Where a key rotation keeps the new key until the register is sealed
// under it (Store::RotateKey): "<key file>.next".
std::string NextKeyFile(const std::string& key_file);

}  // namespace presentie::storage::internal

#endif  // PRESENTIE_STORAGE_INTERNAL_SEAL_H_
