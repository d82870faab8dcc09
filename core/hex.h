// Bytes as lowercase hexadecimal and back: digests, tokens' hashes,
// idempotency ids, replica ids, the register's key file. The one place that
// writes or reads hex.
#ifndef PRESENTIE_CORE_HEX_H_
#define PRESENTIE_CORE_HEX_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace presentie {

inline std::string HexLower(std::span<const unsigned char> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

// Fills `out` from exactly 2 * out.size() hex digits (either case); false,
// with `out` unspecified, for any other text.
inline bool ParseHex(std::string_view text, std::span<unsigned char> out) {
  if (text.size() != out.size() * 2) return false;
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = digit(text[2 * i]);
    const int lo = digit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return true;
}

// A 32-bit value as "0x" and eight hex digits (SQLite's application_id).
inline std::string Hex32(uint32_t v) {
  const unsigned char bytes[4] = {
      static_cast<unsigned char>(v >> 24), static_cast<unsigned char>(v >> 16),
      static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v)};
  return "0x" + HexLower(bytes);
}

}  // namespace presentie

#endif  // PRESENTIE_CORE_HEX_H_
