// Host names and addresses as the server's config and `presentie remote add`
// judge them: which are loopback, and whether two name the same address.
// Plain HTTP is allowed on loopback only, unless named explicitly
// (docs/sync.md, "Plain HTTP").
//
// Thread-safety: pure functions.
#ifndef PRESENTIE_SYNC_HOST_H_
#define PRESENTIE_SYNC_HOST_H_

#include <string_view>

namespace presentie::sync {

// True for a loopback address — 127.0.0.0/8, ::1, and 127.0.0.0/8 mapped into
// IPv6 (::ffff:127.0.0.1) — written as a literal, with or without IPv6's
// brackets, and for the name "localhost". Any other name is not loopback,
// whatever it resolves to today.
bool IsLoopbackHost(std::string_view host);

// True when `a` and `b` name the same host: the same address when both are IP
// literals (so "::1" and "0:0:0:0:0:0:0:1" match), otherwise the same name,
// case aside.
bool SameHost(std::string_view a, std::string_view b);

}  // namespace presentie::sync

#endif  // PRESENTIE_SYNC_HOST_H_
