#include "core/version_vector.h"

#include <limits>
#include <string>
#include <string_view>

namespace presentie {

Status ValidateReplicaId(std::string_view id) {
  bool ok = id.size() == 16;
  for (char c : id) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (ok) return Status::Ok();
  return InvalidArgument("replica id must be 16 lowercase hexadecimal characters");
}

std::string_view ToString(Ordering o) {
  switch (o) {
    case Ordering::kEqual:
      return "equal";
    case Ordering::kDominates:
      return "dominates";
    case Ordering::kDominatedBy:
      return "dominated_by";
    case Ordering::kConcurrent:
      return "concurrent";
  }
  return "?";
}

// An absent replica and a counter of 0 mean the same thing; storing only
// non-zero counters makes that one representation, so that operator== and
// Encode() agree with Compare() == kEqual.

uint64_t VersionVector::Get(std::string_view replica) const {
  auto it = entries_.find(replica);
  return it == entries_.end() ? 0 : it->second;
}

Result<uint64_t> VersionVector::Increment(std::string_view replica) {
  // A counter read from an older register's file may even be above the
  // ceiling: it stays as it is.
  if (Get(replica) >= kMaxCounter) {
    return FailedPrecondition("the counter of replica " + std::string(replica) +
                              " is at its ceiling (2^62) and cannot grow");
  }
  auto it = entries_.find(replica);
  if (it == entries_.end()) it = entries_.emplace(std::string(replica), 0).first;
  return ++it->second;
}

Status VersionVector::CheckEntryCount(size_t entries) {
  if (entries <= kMaxVersionVectorEntries) return Status::Ok();
  return InvalidArgument("the version vector names " + std::to_string(entries) +
                         " replicas, more than the " + std::to_string(kMaxVersionVectorEntries) +
                         " one version may");
}

Status VersionVector::CheckBounds() const {
  PRESENTIE_RETURN_IF_ERROR(CheckEntryCount(entries_.size()));
  for (const auto& [replica, counter] : entries_) {
    if (counter > kMaxCounter) {
      return InvalidArgument("the version vector's counter of replica " + replica +
                             " is above the ceiling of 2^62");
    }
  }
  return Status::Ok();
}

Status VersionVector::CheckAhead(const VersionVector& seen) const {
  for (const auto& [replica, counter] : entries_) {
    const uint64_t known = seen.Get(replica);
    if (counter > known && counter - known > kMaxCounterAhead) {
      return InvalidArgument("the version vector's counter of replica " + replica + " is " +
                             std::to_string(counter) + ", more than 2^20 ahead of the " +
                             std::to_string(known) + " this register has seen of it");
    }
  }
  return Status::Ok();
}

void VersionVector::Set(std::string_view replica, uint64_t counter) {
  auto it = entries_.find(replica);
  if (counter == 0) {
    if (it != entries_.end()) entries_.erase(it);
  } else if (it == entries_.end()) {
    entries_.emplace(std::string(replica), counter);
  } else {
    it->second = counter;
  }
}

void VersionVector::Merge(const VersionVector& other) {
  for (const auto& [replica, counter] : other.entries_) {
    auto it = entries_.find(replica);
    if (it == entries_.end()) {
      entries_.emplace(replica, counter);
    } else if (it->second < counter) {
      it->second = counter;
    }
  }
}

Ordering VersionVector::Compare(const VersionVector& other) const {
  bool this_ahead = false;   // some counter of *this exceeds other's
  bool other_ahead = false;  // some counter of other exceeds *this's
  // One merge-walk over both sorted maps.
  auto a = entries_.begin();
  auto b = other.entries_.begin();
  while (a != entries_.end() || b != other.entries_.end()) {
    if (b == other.entries_.end() || (a != entries_.end() && a->first < b->first)) {
      this_ahead = true;  // only in *this (counters are never 0)
      ++a;
    } else if (a == entries_.end() || b->first < a->first) {
      other_ahead = true;
      ++b;
    } else {
      if (a->second > b->second) this_ahead = true;
      if (a->second < b->second) other_ahead = true;
      ++a;
      ++b;
    }
    if (this_ahead && other_ahead) return Ordering::kConcurrent;
  }
  if (this_ahead) return Ordering::kDominates;
  if (other_ahead) return Ordering::kDominatedBy;
  return Ordering::kEqual;
}

std::string VersionVector::Encode() const {
  std::string out;
  for (const auto& [replica, counter] : entries_) {  // std::map: sorted
    if (!out.empty()) out += ',';
    out += replica;
    out += ':';
    out += std::to_string(counter);
  }
  return out;
}

Result<VersionVector> VersionVector::Decode(std::string_view text) {
  // Strict: only the canonical form Encode() writes is accepted, so that two
  // equal vectors are always the same text on disk.
  VersionVector vv;
  if (text.empty()) return vv;
  std::string_view rest = text;
  std::string_view previous;
  size_t index = 0;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view entry = rest.substr(0, comma);
    const std::string where = "version vector entry " + std::to_string(index + 1);
    const size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
      return InvalidArgument(where + ": expected <replica>:<counter>");
    }
    const std::string_view replica = entry.substr(0, colon);
    const std::string_view digits = entry.substr(colon + 1);
    PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(replica).WithContext(where));
    if (digits.empty() || digits.size() > 20) {
      return InvalidArgument(where + ": counter must be 1 to 20 digits");
    }
    uint64_t counter = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return InvalidArgument(where + ": counter must be decimal digits");
      const uint64_t d = static_cast<uint64_t>(c - '0');
      if (counter > (std::numeric_limits<uint64_t>::max() - d) / 10) {
        return InvalidArgument(where + ": counter out of range");
      }
      counter = counter * 10 + d;
    }
    if (counter == 0) return InvalidArgument(where + ": counter must not be 0");
    if (digits[0] == '0') return InvalidArgument(where + ": counter has a leading zero");
    if (index > 0 && replica <= previous) {
      return InvalidArgument(where + ": replicas must be sorted and unique");
    }
    vv.entries_.emplace(std::string(replica), counter);
    previous = replica;
    ++index;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return vv;
}

}  // namespace presentie
