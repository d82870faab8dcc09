#include "core/hlc.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <string>

namespace presentie {
namespace {

constexpr uint32_t kMaxLogical = 0xffff;           // Pack() keeps 16 bits
constexpr uint64_t kMaxWallMs = (1ull << 48) - 1;  // and 48 bits of wall time

// Moves `t` one tick forward. When the 16-bit counter is full the stamp
// borrows the next millisecond instead of wrapping: the clock stays
// monotonic and packable, at the price of running 1 ms ahead. 65536 events
// in one millisecond do not happen in a register; the branch is for safety.
Hlc Tick(Hlc t) {
  if (t.logical < kMaxLogical) {
    ++t.logical;
  } else {
    ++t.wall_ms;
    t.logical = 0;
  }
  return t;
}

}  // namespace

std::string Hlc::ToString() const {
  // UTC civil time from days since the epoch: Howard Hinnant's
  // civil_from_days (the inverse of days_from_civil in civil_time.cc).
  const int64_t days = static_cast<int64_t>(wall_ms / 86400000);
  const uint64_t ms_of_day = wall_ms % 86400000;
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02llu:%02llu:%02llu.%03lluZ+%u",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<unsigned long long>(ms_of_day / 3600000),
                static_cast<unsigned long long>(ms_of_day / 60000 % 60),
                static_cast<unsigned long long>(ms_of_day / 1000 % 60),
                static_cast<unsigned long long>(ms_of_day % 1000), logical);
  return buf;
}

// Kulkarni, Demirbas et al., "Logical Physical Clocks and Consistent
// Snapshots in Globally Distributed Databases" (2014), Fig. 5:
//   send/local:  l' = max(l, pt); c = (l' == l) ? c + 1 : 0
//   receive m:   l' = max(l, l_m, pt);
//                c = l'==l==l_m ? max(c, c_m)+1 : l'==l ? c+1 : l'==l_m ? c_m+1 : 0
Hlc HybridClock::Now(uint64_t physical_ms) {
  assert(physical_ms <= kMaxWallMs);
  const uint64_t pt = std::min(physical_ms, kMaxWallMs);
  if (pt > last_.wall_ms) {
    last_ = Hlc{pt, 0};
  } else {
    last_ = Tick(last_);
  }
  return last_;
}

HybridClock::Observation HybridClock::Observe(Hlc remote, uint64_t physical_ms,
                                              int64_t max_skew_ms) {
  const uint64_t pt = std::min(physical_ms, kMaxWallMs);
  const uint64_t max_skew = max_skew_ms > 0 ? static_cast<uint64_t>(max_skew_ms) : 0;
  Observation obs;
  obs.skew_ms = remote.wall_ms > pt ? static_cast<int64_t>(remote.wall_ms - pt) : 0;
  // A stamp too far in the future is not adopted: with a device whose date
  // is a year ahead, adopting would push every clock it syncs with a year
  // ahead, for good. The event gets a local stamp; the receiver is then not
  // guaranteed to be ordered after the remote stamp, and says so (adopted =
  // false) so that the caller can report the skewed device.
  if (remote.wall_ms > pt + max_skew || remote.wall_ms > kMaxWallMs) {
    obs.adopted = false;
    obs.now = Now(pt);
    return obs;
  }
  remote.logical = std::min(remote.logical, kMaxLogical);
  const uint64_t l = std::max({last_.wall_ms, remote.wall_ms, pt});
  Hlc next{l, 0};
  if (l == last_.wall_ms && l == remote.wall_ms) {
    next = Tick(Hlc{l, std::max(last_.logical, remote.logical)});
  } else if (l == last_.wall_ms) {
    next = Tick(last_);
  } else if (l == remote.wall_ms) {
    next = Tick(remote);
  }
  last_ = next;
  obs.now = next;
  obs.adopted = true;
  return obs;
}

}  // namespace presentie
