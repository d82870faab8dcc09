// Bytes as lowercase hexadecimal: digests, tokens' hashes, idempotency ids.
#ifndef PRESENTIE_CORE_HEX_H_
#define PRESENTIE_CORE_HEX_H_

#include <span>
#include <string>

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

}  // namespace presentie

#endif  // PRESENTIE_CORE_HEX_H_
