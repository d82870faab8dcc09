// SHA-256 for the audit chain, by OpenSSL's EVP interface: it uses the CPU's
// SHA extensions where there are any (SHA-NI, ARMv8), several times faster
// than a portable implementation. Many small fields are gathered in a buffer
// and hashed in large updates, so the per-call cost is paid once per 4 KiB
// rather than once per field. The bytes hashed are exactly those passed to
// Update, in order: the digest is plain SHA-256 of their concatenation.
#ifndef PRESENTIE_STORAGE_SHA256_H_
#define PRESENTIE_STORAGE_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace presentie::storage {

class Sha256 {
 public:
  static constexpr size_t kBytes = 32;

  Sha256();
  ~Sha256();
  Sha256(Sha256&& other) noexcept;
  Sha256& operator=(Sha256&& other) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  // A 64-bit length prefix (big-endian) and then the bytes: how the audit
  // chain frames every field, so that no two field lists hash alike.
  void AddField(std::string_view field);
  void AddField(int64_t value);  // its decimal text, framed as above
  // The digest; the object cannot be updated afterwards.
  std::array<unsigned char, kBytes> Finish();
  std::string FinishHex();  // lowercase

 private:
  void Flush();

  void* ctx_ = nullptr;  // EVP_MD_CTX, kept out of this header
  std::string buffer_;
};

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

}  // namespace presentie::storage

#endif  // PRESENTIE_STORAGE_SHA256_H_
