#include "core/hlc.h"

#include <algorithm>
#include <chrono>
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
  // UTC. wall_ms < 2^48 is in the year 10889: within chrono's calendar.
  using std::chrono::milliseconds;
  const std::chrono::sys_time<milliseconds> t{milliseconds{static_cast<int64_t>(wall_ms)}};
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss<milliseconds> time{t - day};
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ+%u",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<long long>(time.hours().count()),
                static_cast<long long>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()),
                static_cast<long long>(time.subseconds().count()), logical);
  return buf;
}

// Kulkarni, Demirbas et al., "Logical Physical Clocks and Consistent
// Snapshots in Globally Distributed Databases" (2014), Fig. 5:
//   send/local:  l' = max(l, pt); c = (l' == l) ? c + 1 : 0
//   receive m:   l' = max(l, l_m, pt);
//                c = l'==l==l_m ? max(c, c_m)+1 : l'==l ? c+1 : l'==l_m ? c_m+1 : 0
Hlc HybridClock::Now(uint64_t physical_ms) {
  // The system clock's reading, which nothing here controls: one past what a
  // stamp holds is clamped, in every build, not asserted.
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
