// Version vectors (replica → counter) and the stamp every version carries
// (docs/architecture.md, "Versions").
#ifndef PRESENTIE_CORE_VERSION_VECTOR_H_
#define PRESENTIE_CORE_VERSION_VECTOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/hlc.h"
#include "core/status.h"

namespace presentie {

// A replica id: 16 lowercase hex characters (64 random bits), made once per
// register/device/endpoint and never changed.
Status ValidateReplicaId(std::string_view id);

enum class Ordering { kEqual, kDominates, kDominatedBy, kConcurrent };
std::string_view ToString(Ordering o);  // "equal", "dominates", "dominated_by", "concurrent"

class VersionVector {
 public:
  VersionVector() = default;

  uint64_t Get(std::string_view replica) const;
  // Counts one more event of `replica`; returns the new counter.
  uint64_t Increment(std::string_view replica);
  void Set(std::string_view replica, uint64_t counter);
  // Pointwise maximum.
  void Merge(const VersionVector& other);
  // How *this relates to `other`: kDominates when this ≥ other pointwise and
  // differs somewhere.
  Ordering Compare(const VersionVector& other) const;
  bool empty() const { return entries_.empty(); }
  const std::map<std::string, uint64_t, std::less<>>& entries() const { return entries_; }

  // Canonical text, sorted by replica: "0a1b2c3d4e5f6071:3,ffee…:1"; "" when
  // empty. Stored on disk in this form: permanent.
  std::string Encode() const;
  static Result<VersionVector> Decode(std::string_view text);

  bool operator==(const VersionVector&) const = default;

 private:
  std::map<std::string, uint64_t, std::less<>> entries_;  // no zero counters
};

// Who wrote a version.
struct Writer {
  std::string replica;  // ValidateReplicaId
  Role role = Role::kAdmin;
  std::string user;     // login or staff code; never a BSN
  bool operator==(const Writer&) const = default;
};

// The versioning columns of one version of a record.
struct VersionStamp {
  VersionVector vv;
  Hlc hlc;
  Writer writer;
  bool operator==(const VersionStamp&) const = default;
};

}  // namespace presentie

#endif  // PRESENTIE_CORE_VERSION_VECTOR_H_
