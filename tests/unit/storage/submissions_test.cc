// Store::SubmitDuoHours and the duo_hours kind (docs/authorities.md): the
// admin's rows are versioned like every record — a changed row is a new
// version dominating the old, an unchanged one writes nothing —, and a row
// received from anyone but an admin is refused by O.submission-owner.
#include <gtest/gtest.h>

#include "core/ownership.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace submissions_test {

using testing::Admin;
using testing::RawInt;
using testing::SampleDuoHours;
using testing::StorageTest;
using testing::Teacher;
using testing::VersionsAfter;

using SubmissionsTest = StorageTest;

TEST_F(SubmissionsTest, OnlyNewOrChangedRowsAreWrittenAndAChangeDominates) {
  auto store = CreateRegister();
  const std::vector<exports::DuoHours> first = {SampleDuoHours("S1", 1, 10),
                                                SampleDuoHours("S2", 2, 20)};
  auto r = store->SubmitDuoHours(Admin(), first);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 2u);
  EXPECT_EQ(r->changed, 0u);
  EXPECT_EQ(*store->ListDuoHours(), first);
  const int64_t seq = *store->LastChangeSeq();
  const size_t audit = store->AuditEntries(0, 100)->size();

  // The same rows again: nothing written, not even an audit entry.
  r = store->SubmitDuoHours(Admin(), first);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->unchanged, 2u);
  EXPECT_EQ(*store->LastChangeSeq(), seq);
  EXPECT_EQ(store->AuditEntries(0, 100)->size(), audit);

  // S2's hours change: one new version, dominating the first.
  const VersionStamp before = *store->GetStamp(RecordKind::kDuoHours, "duo/S2/C1/2026-11");
  std::vector<exports::DuoHours> second = first;
  second[1].hours_attended = 23;
  r = store->SubmitDuoHours(Admin(), second);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((std::tuple(r->added, r->changed, r->unchanged)), std::tuple(0u, 1u, 1u));
  EXPECT_EQ(*store->LastChangeSeq(), seq + 1);
  EXPECT_EQ(store->ListDuoHours()->at(1).hours_attended, 23);
  const VersionStamp after = *store->GetStamp(RecordKind::kDuoHours, "duo/S2/C1/2026-11");
  EXPECT_EQ(after.vv.Compare(before.vv), Ordering::kDominates);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions WHERE kind = 'duo_hours'"), 3);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions WHERE kind = 'duo_hours' AND live = 1"),
            2);
  // The audit entry counts; it names no BSN.
  const AuditEntry last = store->AuditEntries(0, 100)->back();
  EXPECT_EQ(last.action, "submit.duo");
  EXPECT_EQ(last.summary, "DUO rows: 0 new, 1 changed, 1 unchanged");
  EXPECT_TRUE(store->VerifyAudit()->ok());
}

TEST_F(SubmissionsTest, ATeacherOrABadRowWritesNothing) {
  auto teacher = CreateRegister(Role::kTeacher);
  auto denied = teacher->SubmitDuoHours(Teacher(), std::vector{SampleDuoHours("S1", 1, 10)});
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(teacher->ListDuoHours()->empty());
  teacher.reset();

  auto store = Store::Create(PathOf("admin.db"), {"School", "25AB", Role::kAdmin}, Options());
  ASSERT_TRUE(store.ok());
  exports::DuoHours bad = SampleDuoHours("S2", 2, 10);
  bad.bsn = "123456789";  // fails the elfproef
  auto refused = (*store)->SubmitDuoHours(Admin(), std::vector{SampleDuoHours("S1", 1, 10), bad});
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().find("123456789"), std::string::npos);
  auto twice = (*store)->SubmitDuoHours(
      Admin(), std::vector{SampleDuoHours("S1", 1, 10), SampleDuoHours("S1", 1, 11)});
  EXPECT_EQ(twice.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE((*store)->ListDuoHours()->empty());
  EXPECT_EQ(*(*store)->LastChangeSeq(), 0);
}

TEST_F(SubmissionsTest, ReceivedRowsAreKeptFromAnAdminAndRefusedFromAnyoneElse) {
  auto school = CreateRegister();
  ASSERT_TRUE(school->SubmitDuoHours(Admin(), std::vector{SampleDuoHours("S1", 1, 10)}).ok());
  std::vector<VersionedRecord> rows = *VersionsAfter(*school, 0);
  ASSERT_EQ(rows.size(), 1u);
  auto hub = Store::Create(PathOf("hub.db"), {"Hub", "25AB", Role::kHub}, Options());
  ASSERT_TRUE(hub.ok());
  auto applied = (*hub)->ApplyRemote(school->info().replica_id, rows, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, 1u);
  EXPECT_EQ(*(*hub)->ListDuoHours(), *school->ListDuoHours());
  EXPECT_EQ(*(*hub)->CanonicalDump(), *school->CanonicalDump());

  // The same row claimed by a teacher's replica: refused, kept for the admin.
  VersionedRecord forged = rows[0];
  forged.stamp.writer.role = Role::kTeacher;
  std::get<exports::DuoHours>(forged.record) = SampleDuoHours("S2", 2, 99);
  applied = (*hub)->ApplyRemote(school->info().replica_id, std::vector{forged}, {});
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->refused, 1u);
  EXPECT_EQ((*hub)->ListDuoHours()->size(), 1u);
  auto refused = (*hub)->ListRefused();
  ASSERT_EQ(refused->size(), 1u);
  EXPECT_EQ(refused->front().rule, own_rule::kSubmissionOwner);
  EXPECT_EQ(KindOf(refused->front().version.record), RecordKind::kDuoHours);
}

// A gemeente's rows take the same path: new, then unchanged, then a change
// as a new version; one call may hold rows of several gemeenten.
TEST_F(SubmissionsTest, GemeenteRowsAreVersionedTheSameWay) {
  auto store = CreateRegister();
  std::vector<exports::GemeenteHours> rows = {testing::SampleGemeenteHours("S1", 1, "0363", 10),
                                              testing::SampleGemeenteHours("S2", 2, "0518", 20)};
  auto r = store->SubmitGemeenteHours(Admin(), rows);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 2u);
  EXPECT_EQ(*store->ListGemeenteHours(), rows);
  EXPECT_EQ(store->SubmitGemeenteHours(Admin(), rows)->unchanged, 2u);
  rows[0].excused_hours = 3;  // the gemeente's decision, counted at the next submission
  r = store->SubmitGemeenteHours(Admin(), rows);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((std::tuple(r->added, r->changed, r->unchanged)), std::tuple(0u, 1u, 1u));
  EXPECT_EQ(store->ListGemeenteHours()->at(0).excused_hours, 3);
  EXPECT_EQ(store->AuditEntries(0, 100)->back().summary,
            "gemeente rows: 0 new, 1 changed, 1 unchanged");
  exports::GemeenteHours bad = rows[1];
  bad.gemeente_code = "363";
  bad.id = exports::GemeenteHoursId(bad.gemeente_code, bad.learner_id, bad.peildatum);
  EXPECT_EQ(store->SubmitGemeenteHours(Admin(), std::vector{bad}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store->SubmitGemeenteHours(Teacher(), rows).status().code(),
            StatusCode::kPermissionDenied);
}
}  // namespace submissions_test
}  // namespace presentie::storage
