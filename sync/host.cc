// Which hosts are loopback (sync/host.h).
#include "sync/host.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>

namespace presentie::sync {
namespace {

// An IP literal's 16 bytes, an IPv4 address mapped into IPv6 (::ffff:a.b.c.d)
// so that both spellings of one address compare equal; nullopt for a name.
std::optional<std::array<unsigned char, 16>> ParseAddress(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string text(host);
  std::array<unsigned char, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (EqualsIgnoreCase(host, "localhost")) return true;
  const std::optional<std::array<unsigned char, 16>> a = ParseAddress(host);
  if (!a) return false;
  constexpr std::array<unsigned char, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped.begin(), kMapped.end(), a->begin())) return (*a)[12] == 127;
  constexpr std::array<unsigned char, 16> kLoopback6 = {0, 0, 0, 0, 0, 0, 0, 0,
                                                        0, 0, 0, 0, 0, 0, 0, 1};
  return *a == kLoopback6;
}

bool SameHost(std::string_view a, std::string_view b) {
  const auto x = ParseAddress(a);
  const auto y = ParseAddress(b);
  if (x || y) return x && y && *x == *y;
  return EqualsIgnoreCase(a, b);
}

}  // namespace presentie::sync
