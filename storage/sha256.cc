#include "storage/sha256.h"

#include <openssl/evp.h>

#include <charconv>
#include <cstdlib>
#include <utility>

#include "core/hex.h"

namespace presentie::storage {
namespace {

constexpr size_t kFlushAt = 4096;

// Fetched once: an implicit fetch on every init costs a lookup each time.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MD_CTX* Ctx(void* p) { return static_cast<EVP_MD_CTX*>(p); }

// OpenSSL fails here only when it cannot allocate or has no SHA-256 at all:
// the register cannot be kept honest without it, so stop rather than write
// an entry with a wrong hash.
[[noreturn]] void Abort() { std::abort(); }

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || Sha256Md() == nullptr ||
      EVP_DigestInit_ex(Ctx(ctx_), Sha256Md(), nullptr) != 1) {
    Abort();
  }
  buffer_.reserve(kFlushAt + 256);
}

Sha256::~Sha256() { EVP_MD_CTX_free(Ctx(ctx_)); }

Sha256::Sha256(Sha256&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)), buffer_(std::move(other.buffer_)) {}

Sha256& Sha256::operator=(Sha256&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(Ctx(ctx_));
    ctx_ = std::exchange(other.ctx_, nullptr);
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

void Sha256::Flush() {
  if (buffer_.empty()) return;
  if (EVP_DigestUpdate(Ctx(ctx_), buffer_.data(), buffer_.size()) != 1) Abort();
  buffer_.clear();
}

void Sha256::Update(std::string_view bytes) {
  if (bytes.size() >= kFlushAt) {
    Flush();
    if (EVP_DigestUpdate(Ctx(ctx_), bytes.data(), bytes.size()) != 1) Abort();
    return;
  }
  buffer_.append(bytes);
  if (buffer_.size() >= kFlushAt) Flush();
}

void Sha256::AddField(std::string_view field) {
  char length[8];
  uint64_t n = field.size();
  for (int i = 7; i >= 0; --i) {
    length[i] = static_cast<char>(n & 0xff);
    n >>= 8;
  }
  Update(std::string_view(length, sizeof length));
  Update(field);
}

void Sha256::AddField(int64_t value) {
  char text[24];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  AddField(std::string_view(text, static_cast<size_t>(end - text)));
}

std::array<unsigned char, Sha256::kBytes> Sha256::Finish() {
  Flush();
  std::array<unsigned char, kBytes> out{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(Ctx(ctx_), out.data(), &size) != 1 || size != kBytes) Abort();
  return out;
}

std::string Sha256::FinishHex() { return HexLower(Finish()); }

std::string Sha256Hex(std::string_view bytes) {
  Sha256 h;
  h.Update(bytes);
  return h.FinishHex();
}

}  // namespace presentie::storage
