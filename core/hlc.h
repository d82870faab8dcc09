// A hybrid logical clock (Kulkarni et al., 2014): physical milliseconds plus a
// logical counter, monotonic on each replica and consistent with causality.
// Pure: the caller passes the wall clock in.
#ifndef PRESENTIE_CORE_HLC_H_
#define PRESENTIE_CORE_HLC_H_

#include <cstdint>
#include <string>

namespace presentie {

struct Hlc {
  uint64_t wall_ms = 0;   // milliseconds since the Unix epoch, < 2^48
  uint32_t logical = 0;   // < 2^16
  auto operator<=>(const Hlc&) const = default;

  // Packed as wall_ms << 16 | logical: ordered like the struct. Stored on
  // disk and on the wire in this form: permanent.
  uint64_t Pack() const { return (wall_ms << 16) | logical; }
  static Hlc Unpack(uint64_t packed) {
    return Hlc{packed >> 16, static_cast<uint32_t>(packed & 0xffff)};
  }
  std::string ToString() const;  // "2026-11-29T17:15:50.123Z+3"
};

// One replica's clock. Not thread-safe; each store owns one.
class HybridClock {
 public:
  explicit HybridClock(Hlc last = {}) : last_(last) {}

  // A stamp for a local event, later than every stamp this clock gave or saw.
  // A `physical_ms` past what a stamp holds (2^48 - 1, in the year 10889)
  // counts as that.
  Hlc Now(uint64_t physical_ms);

  struct Observation {
    Hlc now;            // the stamp for the receive event
    bool adopted = true;  // false: remote was too far ahead, its wall time was not adopted
    int64_t skew_ms = 0;  // remote.wall_ms - physical_ms when positive, else 0
  };
  // Receives a remote stamp. A remote stamp more than `max_skew_ms` ahead of
  // the physical clock is not adopted (a device with a wrong date must not
  // drag every clock forward); the caller reports the skew.
  Observation Observe(Hlc remote, uint64_t physical_ms, int64_t max_skew_ms);

  Hlc last() const { return last_; }

 private:
  Hlc last_;
};

}  // namespace presentie

#endif  // PRESENTIE_CORE_HLC_H_
