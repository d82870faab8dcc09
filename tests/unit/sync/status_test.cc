// sync::RemoteStatuses (sync/status.h) on real registers: what waits for each
// remote, by the push's routing rule, and what the register noted of it.
#include "sync/status.h"

#include <gtest/gtest.h>

#include <vector>

#include "storage_test_util.h"

namespace presentie::sync {
namespace status_test {

using storage::RecordKind;
using storage::Store;
using storage::testing::Absent;
using storage::testing::Admin;
using storage::testing::Populate;
using storage::testing::Present;
using storage::testing::SampleLesson;
using storage::testing::StorageTest;
using storage::testing::VersionsAfter;

class StatusTest : public StorageTest {
 protected:
  std::unique_ptr<Store> NewRegister(const std::string& name) {
    auto store = Store::Create(
        PathOf(name), storage::InitOptions{"Taalschool De Brug", "25AB", Role::kAdmin}, Options());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
};

// Sends every version of `from` to `to`, as a sync would.
Result<Store::ApplyResult> Send(Store& from, Store& to) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<storage::VersionedRecord> versions,
                             VersionsAfter(from, 0));
  return to.ApplyRemote(from.info().replica_id, versions, {});
}

// What `presentie status` reads: the outcome noted per remote name, and the
// versions the next push would send (the push's routing rule, SentTo),
// corrections counted apart.
TEST_F(StatusTest, CountsWhatWaitsAndNotesOutcomesByName) {
  auto store = NewRegister("a.db");
  auto hub = NewRegister("hub.db");
  const std::string hub_id = hub->info().replica_id;
  ASSERT_TRUE(store->PutRemote({"hub", "https://hub.example.nl", "/t/hub.token", "", "", ""}).ok());
  Populate(*store, 2, 1);  // 2 learners, a course, 2 enrolments, a lesson
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  const int64_t last = *store->LastChangeSeq();

  auto statuses = RemoteStatuses(*store);
  ASSERT_TRUE(statuses.ok()) << statuses.status().ToString();
  ASSERT_EQ(statuses->size(), 1u);
  const RemoteStatus& before = statuses->front();
  EXPECT_EQ(before.state.replica_id, "");
  EXPECT_FALSE(before.state.role.has_value());
  EXPECT_FALSE(before.state.last_ok_ms.has_value());
  uint64_t waiting = 0;
  for (const auto& w : before.waiting) {
    waiting += w.versions;
    EXPECT_EQ(w.corrections, 0u);
  }
  EXPECT_EQ(waiting, static_cast<uint64_t>(last));
  EXPECT_EQ(before.waiting.back().kind, RecordKind::kAttendance);

  // Everything pushed and acknowledged; the hub sends a version of its own.
  ASSERT_TRUE(store->PutPendingBatch(hub_id, {"id-1", 1, last}).ok());
  ASSERT_TRUE(store->AcknowledgeBatch(hub_id, "id-1").ok());
  ASSERT_TRUE(Send(*store, *hub).ok());
  ASSERT_TRUE(hub->RecordAttendance(Admin(), std::vector{Present("L1", "S2")}, "").ok());
  ASSERT_TRUE(Send(*hub, *store).ok());
  Store::SyncOutcome ok;
  ok.ok = true;
  ok.remote_replica = hub_id;
  ok.remote_role = Role::kHub;
  ASSERT_TRUE(store->NoteSyncOutcome("hub", ok).ok());
  statuses = RemoteStatuses(*store);
  ASSERT_TRUE(statuses.ok());
  EXPECT_EQ(statuses->front().state.replica_id, hub_id);
  EXPECT_EQ(statuses->front().state.role, Role::kHub);
  EXPECT_EQ(statuses->front().state.last_ok_ms, now_ms_);
  EXPECT_TRUE(statuses->front().waiting.empty());  // S2's record came from the hub

  // Edits of both records (one written here, one received) are corrections;
  // a record the hub never had is not.
  now_ms_ += 1000;
  Attendance s1 = Absent("L1", "S1");
  Attendance s2 = Absent("L1", "S2");
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{s1, s2}, "").ok());
  ASSERT_TRUE(store->AddLesson(Admin(), SampleLesson("L2", "C1", 2)).ok());
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L2", "S1")}, "").ok());
  Store::SyncOutcome failed;
  failed.error = std::string(5000, 'x');
  ASSERT_TRUE(store->NoteSyncOutcome("hub", failed).ok());
  statuses = RemoteStatuses(*store);
  ASSERT_TRUE(statuses.ok());
  const RemoteStatus& after = statuses->front();
  ASSERT_EQ(after.waiting.size(), 2u);
  EXPECT_EQ(after.waiting[0].kind, RecordKind::kLesson);
  EXPECT_EQ(after.waiting[0].versions, 1u);
  EXPECT_EQ(after.waiting[0].corrections, 0u);
  EXPECT_EQ(after.waiting[1].kind, RecordKind::kAttendance);
  EXPECT_EQ(after.waiting[1].versions, 3u);
  EXPECT_EQ(after.waiting[1].corrections, 2u);
  // A failure keeps the last success and the identity; a long message is cut.
  EXPECT_EQ(after.state.replica_id, hub_id);
  EXPECT_EQ(after.state.last_ok_ms, now_ms_ - 1000);
  EXPECT_EQ(after.state.last_error_ms, now_ms_);
  EXPECT_EQ(after.state.last_error, std::string(1000, 'x'));

  EXPECT_EQ(store->NoteSyncOutcome("nowhere", ok).code(), StatusCode::kNotFound);
  // Bookkeeping, not the register's memory: no audit entry, and it verifies.
  EXPECT_EQ(store->AuditEntries(0, 100)->back().action, "attend.record");
  EXPECT_TRUE(store->VerifyAudit()->ok());
}

}  // namespace status_test
}  // namespace presentie::sync
