// The bounds of version vectors in the store (issue 20, item 3; docs/storage.md,
// "Version vector bounds"): what a received version may carry — at most 64
// replicas, counters at most 2^62 and at most 2^20 ahead of what this
// register has seen of the record — and what a local write does when its
// record's counter cannot grow.
#include <gtest/gtest.h>

#include <cstdio>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/version_vector.h"
#include "storage/versioned.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace version_bounds_test {

using testing::Absent;
using testing::Admin;
using testing::Populate;
using testing::Present;
using testing::SampleLearner;
using testing::StorageTest;

// The numbers docs/storage.md states, written out: a change of a constant
// in core/version_vector.h must change the docs, and these, on purpose.
constexpr size_t kEntries = 64;
constexpr uint64_t kCeiling = uint64_t{1} << 62;
constexpr uint64_t kAhead = uint64_t{1} << 20;

const std::string kSource = "5e5e5e5e5e5e5e5e";  // the replica versions come from
const std::string kWriter = "7a7a7a7a7a7a7a7a";  // the replica that wrote them

// A replica id: 16 hex digits of `n`.
std::string NumberedReplica(size_t n) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016zx", n);
  return buf;
}

using Entries = std::vector<std::pair<std::string, uint64_t>>;

// `record` as `kWriter` wrote it in `role`, with the version vector `vv`.
VersionedRecord Received(Record record, const Entries& vv, Role role = Role::kTeacher) {
  VersionedRecord v;
  for (const auto& [replica, counter] : vv) v.stamp.vv.Set(replica, counter);
  v.stamp.hlc = Hlc{1'790'000'000'000, 0};
  v.stamp.writer = Writer{kWriter, role, "tjansen"};
  if (auto* a = std::get_if<Attendance>(&record)) a->id = AttendanceId(a->lesson_id, a->learner_id);
  v.record = std::move(record);
  return v;
}

// The writer's entry and `n - 1` others, numbered from `first` on.
Entries Wide(size_t n, size_t first = 1) {
  Entries vv = {{kWriter, 1}};
  for (size_t i = first; vv.size() < n; ++i) vv.emplace_back(NumberedReplica(i), 1);
  return vv;
}

Store::ApplyOptions FromHub() {
  Store::ApplyOptions options;
  options.from_hub = true;
  return options;
}

// What a refused call must leave as it was.
struct Snapshot {
  std::string dump;
  int64_t last_seq = 0;
  size_t audit = 0;
  bool operator==(const Snapshot&) const = default;
};
Snapshot SnapshotOf(Store& store) {
  Snapshot s;
  auto dump = store.CanonicalDump();
  EXPECT_TRUE(dump.ok()) << dump.status().ToString();
  if (dump.ok()) s.dump = *dump;
  s.last_seq = *store.LastChangeSeq();
  s.audit = store.AuditEntries(0, 100'000)->size();
  return s;
}

// Expects `applied` to have failed with kInvalidArgument and a message that
// holds each of `says`.
void ExpectRefused(const Result<Store::ApplyResult>& applied,
                   std::initializer_list<std::string> says) {
  ASSERT_FALSE(applied.ok()) << "expected a refusal";
  EXPECT_EQ(applied.status().code(), StatusCode::kInvalidArgument);
  for (const std::string& s : says) {
    EXPECT_NE(applied.status().message().find(s), std::string::npos) << applied.status().message();
  }
}

class VersionBoundsTest : public StorageTest {};

TEST_F(VersionBoundsTest, AVectorOfMoreThan64ReplicasIsRefusedWithTheWholeCall) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  Populate(*store, 2, 1);
  const Snapshot before = SnapshotOf(*store);
  // One good version first: the call is refused whole.
  const VersionedRecord good = Received(Present("L1", "S1"), {{kWriter, 1}});
  const VersionedRecord wide = Received(Absent("L1", "S2"), Wide(kEntries + 1));
  ExpectRefused(store->ApplyRemote(kSource, std::vector{good, wide}, {}),
                {"received from " + kSource, "attendance 'L1/S2'",
                 "names 65 replicas, more than the 64 one version may"});
  // Whatever the source: a hub's versions too.
  ExpectRefused(store->ApplyRemote(kSource, std::vector{good, wide}, FromHub()), {"'L1/S2'"});
  // Another kind, through the other path of the apply.
  ExpectRefused(
      store->ApplyRemote(
          kSource, std::vector{Received(SampleLearner("S9", 9), Wide(200), Role::kAdmin)}, {}),
      {"learner 'S9'", "names 200 replicas"});
  EXPECT_EQ(SnapshotOf(*store), before);

  // 64 is within the bound.
  auto applied = store->ApplyRemote(
      kSource, std::vector{good, Received(Absent("L1", "S2"), Wide(kEntries))}, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 2u);
}

TEST_F(VersionBoundsTest, ACounterAboveTheCeilingIsRefusedFromAnySource) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  const Snapshot before = SnapshotOf(*store);
  for (uint64_t counter : {kCeiling + 1, std::numeric_limits<uint64_t>::max()}) {
    const VersionedRecord high = Received(Present("L1", "S1"), {{kWriter, 1}, {kSource, counter}});
    for (const Store::ApplyOptions& options : {Store::ApplyOptions{}, FromHub()}) {
      ExpectRefused(
          store->ApplyRemote(kSource, std::vector{high}, options),
          {"attendance 'L1/S1'", "counter of replica " + kSource, "above the ceiling of 2^62"});
    }
  }
  EXPECT_EQ(SnapshotOf(*store), before);
  // At the ceiling it is taken from a hub (from anywhere else it is far
  // ahead of what this register has seen: below).
  auto applied = store->ApplyRemote(
      kSource, std::vector{Received(Present("L1", "S1"), {{kWriter, 1}, {kSource, kCeiling}})},
      FromHub());
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 1u);
}

// Issue 20: a teacher's device pushed the admin's counter of a record at
// 2^64-1, and the hub took it. Below the ceiling, a counter may still run
// only 2^20 ahead of what the receiving register has seen of that replica
// for that record (of 0 for a record it does not hold): a forged vector
// climbs 2^20 a push at most, and needs 2^42 pushes to reach the ceiling.
TEST_F(VersionBoundsTest, ACounterRunsAtMost2To20AheadOfWhatThisRegisterHasSeen) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  Populate(*store, 2, 1);
  const std::string self = store->info().replica_id;
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  const Snapshot before = SnapshotOf(*store);

  // A record not held here: compared with 0.
  ExpectRefused(
      store->ApplyRemote(kSource,
                         std::vector{Received(Present("L1", "S2"), {{kWriter, kAhead + 1}})}, {}),
      {"received from " + kSource, "attendance 'L1/S2'",
       "counter of replica " + kWriter +
           " is 1048577, more than 2^20 ahead of the 0 this register "
           "has seen of it"});
  // The admin's own record: its counter here is 1.
  ExpectRefused(
      store->ApplyRemote(
          kSource, std::vector{Received(Absent("L1", "S1"), {{kWriter, 1}, {self, kAhead + 2}})},
          {}),
      {"attendance 'L1/S1'", "counter of replica " + self, "ahead of the 1 "});
  // A learner, through the other path of the apply.
  ExpectRefused(
      store->ApplyRemote(kSource,
                         std::vector{Received(SampleLearner("S1", 1),
                                              {{kWriter, 1}, {self, kAhead + 2}}, Role::kAdmin)},
                         {}),
      {"learner 'S1'", "more than 2^20 ahead of the 1 "});
  EXPECT_EQ(SnapshotOf(*store), before);

  // At 2^20 ahead, each is taken; and what is taken is what was seen next.
  auto applied = store->ApplyRemote(
      kSource,
      std::vector{Received(Present("L1", "S2"), {{kWriter, kAhead}}),
                  Received(Absent("L1", "S1"), {{kWriter, 1}, {self, kAhead + 1}})},
      {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 2u);
  applied = store->ApplyRemote(
      kSource, std::vector{Received(Absent("L1", "S2"), {{kWriter, 2 * kAhead}})}, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  const Snapshot later = SnapshotOf(*store);
  ExpectRefused(
      store->ApplyRemote(kSource,
                         std::vector{Received(Present("L1", "S2"),
                                              {{kWriter, 2 * kAhead + 1}, {kSource, kAhead + 1}})},
                         {}),
      {"counter of replica " + kSource});
  EXPECT_EQ(SnapshotOf(*store), later);
}

// A hub checked each version when it arrived there, and serves only the
// live ones: a device that missed the versions in between sees a larger
// jump, and takes it.
TEST_F(VersionBoundsTest, VersionsFromAHubAreNotHeldToWhatThisRegisterHasSeen) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  const VersionedRecord climbed = Received(Present("L1", "S1"), {{kWriter, 40 * kAhead}});
  ExpectRefused(store->ApplyRemote(kSource, std::vector{climbed}, {}), {"'L1/S1'"});
  auto applied = store->ApplyRemote(kSource, std::vector{climbed}, FromHub());
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 1u);
}

// Issue 20: the admin's next edit of such a record stored counter 0 (the
// assert in Increment was compiled out), and from then on every sync and
// `debug dump` failed. Now the edit itself fails, naming the record, and
// nothing is written; every other record stays writable.
TEST_F(VersionBoundsTest, ALocalEditWhoseCounterCannotGrowFailsAndWritesNothing) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  Populate(*store, 2, 1);
  const std::string self = store->info().replica_id;
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  auto applied = store->ApplyRemote(
      kSource,
      std::vector{Received(Absent("L1", "S1"), {{kWriter, 1}, {self, kCeiling}}),
                  Received(SampleLearner("S1", 1), {{kWriter, 1}, {self, kCeiling}}, Role::kAdmin)},
      FromHub());
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_EQ(applied->accepted, 2u);
  const Snapshot before = SnapshotOf(*store);

  Status edit = store->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "");
  EXPECT_EQ(edit.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(edit.message().find("cannot write attendance 'L1/S1'"), std::string::npos)
      << edit.message();
  EXPECT_NE(edit.message().find("counter of replica " + self + " is at its ceiling"),
            std::string::npos)
      << edit.message();
  Learner renamed = *store->GetLearner("S1");
  renamed.name = "Amina Haddad-El Idrissi";
  edit = store->UpdateLearner(Admin(), renamed);
  EXPECT_EQ(edit.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(edit.message().find("cannot write learner 'S1'"), std::string::npos) << edit.message();
  EXPECT_EQ(edit.message().find("Amina"), std::string::npos) << edit.message();
  // Several records in one call: all or nothing.
  edit =
      store->RecordAttendance(Admin(), std::vector{Present("L1", "S2"), Present("L1", "S1")}, "");
  EXPECT_EQ(edit.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(SnapshotOf(*store), before);
  ASSERT_TRUE(store->VerifyAudit().ok());

  EXPECT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L1", "S2")}, "").ok());
  EXPECT_TRUE(store->CanonicalDump().ok());
}

TEST_F(VersionBoundsTest, ALocalEditThatWouldName65ReplicasFailsAndWritesNothing) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  Populate(*store, 2, 1);
  auto applied = store->ApplyRemote(
      kSource, std::vector{Received(Absent("L1", "S1"), Wide(kEntries))}, FromHub());
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  const Snapshot before = SnapshotOf(*store);
  Status edit = store->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "");
  EXPECT_EQ(edit.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(edit.message().find("cannot write attendance 'L1/S1': the version vector names 65 "
                                "replicas, more than the 64 one version may"),
            std::string::npos)
      << edit.message();
  EXPECT_EQ(SnapshotOf(*store), before);
}

}  // namespace version_bounds_test
}  // namespace presentie::storage
