// Version vectors (docs/architecture.md, "Versions"): compare, merge,
// canonical text.
#include "core/version_vector.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

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
  EXPECT_EQ(v.Increment(kA), 1u);
  EXPECT_EQ(v.Increment(kA), 2u);
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
  next.Increment(kB);
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
