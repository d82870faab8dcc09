// Version vectors (docs/architecture.md, "Versions"): compare, merge,
// canonical text.
#include "core/version_vector.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace presentie {
namespace version_vector_test {

const std::string kA = "0a1b2c3d4e5f6071";
const std::string kB = "ffee000000000001";
const std::string kC = "1234567890abcdef";

VersionVector Vv(std::initializer_list<std::pair<std::string, uint64_t>> entries) {
  VersionVector v;
  for (const auto& [r, n] : entries) v.Set(r, n);
  return v;
}

TEST(ReplicaIdTest, SixteenLowercaseHex) {
  EXPECT_TRUE(ValidateReplicaId(kA).ok());
  EXPECT_FALSE(ValidateReplicaId("0A1B2C3D4E5F6071").ok());
  EXPECT_FALSE(ValidateReplicaId("0a1b2c3d4e5f607").ok());
  EXPECT_FALSE(ValidateReplicaId("0a1b2c3d4e5f60712").ok());
  EXPECT_FALSE(ValidateReplicaId("0a1b2c3d4e5f607g").ok());
  EXPECT_FALSE(ValidateReplicaId("").ok());
}

TEST(VersionVectorTest, GetIncrementSet) {
  VersionVector v;
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.Get(kA), 0u);
  EXPECT_EQ(*v.Increment(kA), 1u);
  EXPECT_EQ(*v.Increment(kA), 2u);
  EXPECT_EQ(v.Get(kA), 2u);
  v.Set(kB, 5);
  EXPECT_EQ(v.Get(kB), 5u);
  v.Set(kB, 0);  // 0 is "absent": not stored
  EXPECT_EQ(v.entries().count(kB), 0u);
  EXPECT_EQ(v, Vv({{kA, 2}}));
  v.Set(kA, 0);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v, VersionVector());
}

// Issue 20: a counter at 2^64-1, received from a forged vector, once
// wrapped to 0 on the next edit (the check was an assert, compiled out of
// the release build), and the register could then not read that version
// back. Increment now stops at the ceiling in every build.
TEST(VersionVectorTest, IncrementStopsAtTheCeilingAndChangesNothing) {
  static_assert(kMaxCounter == uint64_t{1} << 62);
  VersionVector v = Vv({{kA, kMaxCounter - 1}, {kB, 7}});
  Result<uint64_t> last = v.Increment(kA);
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(*last, kMaxCounter);
  const VersionVector at_ceiling = v;
  Result<uint64_t> past = v.Increment(kA);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(past.status().message().find(kA), std::string::npos) << past.status().message();
  EXPECT_NE(past.status().message().find("ceiling"), std::string::npos);
  EXPECT_EQ(v, at_ceiling);
  // Another replica's counter still grows.
  EXPECT_EQ(*v.Increment(kB), 8u);
  // A counter above the ceiling (an older register's file may hold one),
  // 2^64-1 included, never wraps to 0.
  for (uint64_t counter : {kMaxCounter + 1, std::numeric_limits<uint64_t>::max()}) {
    VersionVector high = Vv({{kA, counter}});
    EXPECT_EQ(high.Increment(kA).status().code(), StatusCode::kFailedPrecondition) << counter;
    EXPECT_EQ(high.Get(kA), counter);
    EXPECT_EQ(high.Encode(), kA + ":" + std::to_string(counter));
  }
}

// A replica id: 16 hex digits of `n`.
std::string Replica(size_t n) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016zx", n);
  return buf;
}

TEST(VersionVectorTest, CheckBoundsCountsEntriesAndCapsCounters) {
  static_assert(kMaxVersionVectorEntries == 64);
  VersionVector v;
  for (size_t i = 1; i <= kMaxVersionVectorEntries; ++i) v.Set(Replica(i), i);
  EXPECT_TRUE(v.CheckBounds().ok());
  v.Set(Replica(65), 1);
  const Status over = v.CheckBounds();
  EXPECT_EQ(over.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(over.message().find("names 65 replicas, more than the 64"), std::string::npos)
      << over.message();
  EXPECT_TRUE(Vv({{kA, kMaxCounter}}).CheckBounds().ok());
  const Status high = Vv({{kA, 3}, {kB, kMaxCounter + 1}}).CheckBounds();
  EXPECT_EQ(high.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(high.message().find("counter of replica " + kB + " is above the ceiling"),
            std::string::npos)
      << high.message();
  EXPECT_TRUE(VersionVector().CheckBounds().ok());
}

TEST(VersionVectorTest, CheckAheadComparesEachCounterWithWhatWasSeen) {
  static_assert(kMaxCounterAhead == uint64_t{1} << 20);
  // Nothing seen: compared with 0.
  EXPECT_TRUE(Vv({{kA, kMaxCounterAhead}}).CheckAhead(VersionVector()).ok());
  const Status fresh = Vv({{kA, kMaxCounterAhead + 1}}).CheckAhead(VersionVector());
  EXPECT_EQ(fresh.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(fresh.message().find("counter of replica " + kA +
                                 " is 1048577, more than 2^20 ahead "
                                 "of the 0"),
            std::string::npos)
      << fresh.message();
  // Seen: compared with what was seen of the same replica, each apart.
  const VersionVector seen = Vv({{kA, 10}, {kB, kMaxCounterAhead}});
  EXPECT_TRUE(Vv({{kA, 10 + kMaxCounterAhead}, {kB, 2 * kMaxCounterAhead}}).CheckAhead(seen).ok());
  EXPECT_FALSE(Vv({{kA, 11 + kMaxCounterAhead}}).CheckAhead(seen).ok());
  EXPECT_FALSE(Vv({{kA, 1}, {kC, kMaxCounterAhead + 1}}).CheckAhead(seen).ok());
  // Behind what was seen is never ahead.
  EXPECT_TRUE(Vv({{kA, 1}, {kB, 1}}).CheckAhead(seen).ok());
  EXPECT_FALSE(Vv({{kA, std::numeric_limits<uint64_t>::max()}}).CheckAhead(seen).ok());
}

TEST(VersionVectorTest, Compare) {
  const VersionVector a1 = Vv({{kA, 1}});
  const VersionVector a2 = Vv({{kA, 2}});
  const VersionVector a1b1 = Vv({{kA, 1}, {kB, 1}});
  const VersionVector b1 = Vv({{kB, 1}});
  EXPECT_EQ(a1.Compare(a1), Ordering::kEqual);
  EXPECT_EQ(VersionVector().Compare(VersionVector()), Ordering::kEqual);
  EXPECT_EQ(a2.Compare(a1), Ordering::kDominates);
  EXPECT_EQ(a1.Compare(a2), Ordering::kDominatedBy);
  EXPECT_EQ(a1b1.Compare(a1), Ordering::kDominates);
  EXPECT_EQ(a1.Compare(VersionVector()), Ordering::kDominates);
  EXPECT_EQ(VersionVector().Compare(b1), Ordering::kDominatedBy);
  EXPECT_EQ(a1.Compare(b1), Ordering::kConcurrent);
  EXPECT_EQ(a2.Compare(a1b1), Ordering::kConcurrent);
  EXPECT_EQ(ToString(Ordering::kDominatedBy), "dominated_by");
  EXPECT_EQ(ToString(Ordering::kConcurrent), "concurrent");
}

TEST(VersionVectorTest, MergeIsPointwiseMaximum) {
  VersionVector v = Vv({{kA, 3}, {kB, 1}});
  v.Merge(Vv({{kB, 4}, {kC, 2}}));
  EXPECT_EQ(v, Vv({{kA, 3}, {kB, 4}, {kC, 2}}));
}

TEST(VersionVectorTest, EncodeIsCanonical) {
  EXPECT_EQ(VersionVector().Encode(), "");
  // Sorted by replica, whatever the order of insertion.
  EXPECT_EQ(Vv({{kB, 1}, {kA, 3}}).Encode(), "0a1b2c3d4e5f6071:3,ffee000000000001:1");
  auto d = VersionVector::Decode("0a1b2c3d4e5f6071:3,ffee000000000001:1");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(*d, Vv({{kA, 3}, {kB, 1}}));
  auto empty = VersionVector::Decode("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto big = VersionVector::Decode("0a1b2c3d4e5f6071:18446744073709551615");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->Get(kA), UINT64_MAX);
}

TEST(VersionVectorTest, DecodeRefusesMalformedText) {
  for (const char* bad : {
           "x",
           ",",
           "0a1b2c3d4e5f6071",     // no counter
           "0a1b2c3d4e5f6071:",    // empty counter
           "0a1b2c3d4e5f6071:0",   // zero is never stored
           "0a1b2c3d4e5f6071:01",  // leading zero
           "0a1b2c3d4e5f6071:-1",
           "0a1b2c3d4e5f6071:1x",
           "0a1b2c3d4e5f6071:18446744073709551616",  // 2^64
           "0A1B2C3D4E5F6071:1",                     // upper case
           "0a1b2c3d4e5f607:1",                      // 15 characters
           "0a1b2c3d4e5f6071:1,",                    // trailing comma
           ",0a1b2c3d4e5f6071:1",
           "0a1b2c3d4e5f6071:1,0a1b2c3d4e5f6071:2",  // duplicate
           "ffee000000000001:1,0a1b2c3d4e5f6071:3",  // not sorted
           "0a1b2c3d4e5f6071:1 ",
           "0a1b2c3d4e5f6071 :1",
       }) {
    auto r = VersionVector::Decode(bad);
    EXPECT_FALSE(r.ok()) << "'" << bad << "'";
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    }
  }
}

// --- Properties (docs/storage.md, "Replication": "a join-semilattice") -----

// Vectors over a few replicas, so that generated vectors overlap often.
rc::Gen<VersionVector> GenVv() {
  return rc::gen::map(
      rc::gen::container<std::vector<uint64_t>>(3, rc::gen::inRange<uint64_t>(0, 4)),
      [](const std::vector<uint64_t>& counters) {
        static const std::string kIds[] = {kA, kB, kC};
        VersionVector v;
        for (size_t i = 0; i < counters.size(); ++i) v.Set(kIds[i], counters[i]);
        return v;
      });
}

VersionVector Merged(VersionVector a, const VersionVector& b) {
  a.Merge(b);
  return a;
}

RC_GTEST_PROP(VersionVectorProperty, MergeIsCommutativeAssociativeIdempotent, ()) {
  const auto a = *GenVv();
  const auto b = *GenVv();
  const auto c = *GenVv();
  RC_ASSERT(Merged(a, b) == Merged(b, a));
  RC_ASSERT(Merged(Merged(a, b), c) == Merged(a, Merged(b, c)));
  RC_ASSERT(Merged(a, a) == a);
}

RC_GTEST_PROP(VersionVectorProperty, CompareIsConsistentWithMerge, ()) {
  const auto a = *GenVv();
  const auto b = *GenVv();
  const VersionVector m = Merged(a, b);
  const Ordering o = a.Compare(b);
  // a ≥ b exactly when merging b changes nothing.
  RC_ASSERT((o == Ordering::kEqual || o == Ordering::kDominates) == (m == a));
  RC_ASSERT((o == Ordering::kEqual || o == Ordering::kDominatedBy) == (m == b));
  RC_ASSERT((o == Ordering::kEqual) == (a == b));
  // The merge is an upper bound of both.
  RC_ASSERT(m.Compare(a) != Ordering::kDominatedBy && m.Compare(a) != Ordering::kConcurrent);
  RC_ASSERT(m.Compare(b) != Ordering::kDominatedBy && m.Compare(b) != Ordering::kConcurrent);
  // Antisymmetry of the answer.
  const Ordering back = b.Compare(a);
  switch (o) {
    case Ordering::kEqual:
      RC_ASSERT(back == Ordering::kEqual);
      break;
    case Ordering::kDominates:
      RC_ASSERT(back == Ordering::kDominatedBy);
      break;
    case Ordering::kDominatedBy:
      RC_ASSERT(back == Ordering::kDominates);
      break;
    case Ordering::kConcurrent:
      RC_ASSERT(back == Ordering::kConcurrent);
      break;
  }
}

RC_GTEST_PROP(VersionVectorProperty, IncrementDominates, ()) {
  const auto a = *GenVv();
  VersionVector next = a;
  RC_ASSERT(next.Increment(kB).ok());
  RC_ASSERT(next.Compare(a) == Ordering::kDominates);
  RC_ASSERT(a.Compare(next) == Ordering::kDominatedBy);
}

RC_GTEST_PROP(VersionVectorProperty, EncodeDecodeRoundTrip, ()) {
  const auto a = *GenVv();
  auto d = VersionVector::Decode(a.Encode());
  RC_ASSERT(d.ok());
  RC_ASSERT(*d == a);
  RC_ASSERT(d->Encode() == a.Encode());
}

}  // namespace version_vector_test
}  // namespace presentie
