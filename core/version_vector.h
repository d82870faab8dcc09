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

// The bounds that keep every version vector one that any replica can
// receive and grow (docs/storage.md, "Version vector bounds"). Permanent in
// meaning: a register refuses what breaks them, so lowering one would strand
// versions that others already hold.
//
// The replicas one version's vector may name. A record is written by few
// replicas (its teachers' and the admin's devices, an authority's endpoint),
// so 64 leaves room for years of replaced devices; and a version at the
// bound still fits alone in any batch the wire's parsing budget admits
// (sync/codec.h), so it can always be sent.
inline constexpr size_t kMaxVersionVectorEntries = 64;
// The highest counter: 2^62. A replica counts one per edit of a record, so
// no writer nears it; Increment stops there, far below where a uint64_t
// would wrap to 0.
inline constexpr uint64_t kMaxCounter = uint64_t{1} << 62;
// How far a received counter may run ahead of what the receiver has seen of
// that replica for that record: 2^20 edits of one record by one replica
// that the receiver missed. Checked where a version first reaches a
// register from outside (not on a pull from a hub, which checked it);
// together with kMaxCounter it keeps a forged vector from reaching the
// ceiling in fewer than 2^42 pushes.
inline constexpr uint64_t kMaxCounterAhead = uint64_t{1} << 20;

class VersionVector {
 public:
  VersionVector() = default;

  uint64_t Get(std::string_view replica) const;
  // Counts one more event of `replica`; returns the new counter.
  // kFailedPrecondition, and nothing changes, when the counter is already
  // kMaxCounter or more: it would pass the ceiling (or wrap to 0).
  Result<uint64_t> Increment(std::string_view replica);
  void Set(std::string_view replica, uint64_t counter);
  // Pointwise maximum.
  void Merge(const VersionVector& other);
  // How *this relates to `other`: kDominates when this ≥ other pointwise and
  // differs somewhere.
  Ordering Compare(const VersionVector& other) const;
  bool empty() const { return entries_.empty(); }
  // kInvalidArgument when the vector breaks a bound that needs nothing else
  // to check: more than kMaxVersionVectorEntries entries, or a counter above
  // kMaxCounter. The message names the rule and the replica.
  Status CheckBounds() const;
  // The same entry bound, for a decoder that knows the count before it
  // builds the vector.
  static Status CheckEntryCount(size_t entries);
  // kInvalidArgument when a counter runs more than kMaxCounterAhead ahead of
  // `seen`'s counter for the same replica (0 when `seen` has none): what a
  // register has seen of a record, against a version of it received.
  Status CheckAhead(const VersionVector& seen) const;
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
  std::string user;  // login or staff code; never a BSN
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
