// The conflict queue, the admin's resolution, refused versions and the merge
// that schema step 4 leaves for the store to do (storage/store.h, "Conflicts";
// docs/storage.md).
#include <gtest/gtest.h>

#include "core/classification.h"
#include "core/ids.h"
#include "core/merge.h"
#include "core/ownership.h"
#include "storage/internal/schema.h"
#include "storage/versioned.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace conflicts_test {

using testing::Absent;
using testing::Admin;
using testing::Populate;
using testing::Present;
using testing::RawExec;
using testing::TakeOffSealing;
using testing::RawInt;
using testing::StorageTest;
using testing::Teacher;
using testing::VersionsAfter;

class ConflictsTest : public StorageTest {
 protected:
  std::unique_ptr<Store> NewRegister(const std::string& name, Role role = Role::kAdmin) {
    auto store = Store::Create(PathOf(name), InitOptions{"Taalschool De Brug", "25AB", role},
                               Options());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // An admin register and a teacher register with the same roster, and a
  // conflict on L1/S1: the teacher says absent without a reason, the admin
  // (offline, at the same time) says absent, ill.
  void MakeConflict() {
    office_ = NewRegister("office.db");
    laptop_ = NewRegister("laptop.db", Role::kTeacher);
    Populate(*office_, 2, 1);
    ASSERT_TRUE(Exchange().ok());
    ASSERT_TRUE(laptop_->RecordAttendance(Teacher(), std::vector{Absent("L1", "S1",
                                                                        AbsenceReason::kNone)},
                                          "")
                    .ok());
    ASSERT_TRUE(office_->RecordAttendance(Admin(), std::vector{Absent("L1", "S1",
                                                                        AbsenceReason::kOther)},
                                          "")
                    .ok());
    ASSERT_TRUE(Exchange().ok());
  }

  Status Exchange() {
    for (auto [from, to] : {std::pair{office_.get(), laptop_.get()},
                            std::pair{laptop_.get(), office_.get()}}) {
      auto versions = VersionsAfter(*from, 0);
      if (!versions.ok()) return versions.status();
      auto applied = to->ApplyRemote(from->info().replica_id, *versions, {});
      if (!applied.ok()) return applied.status();
    }
    return Status::Ok();
  }

  std::unique_ptr<Store> office_;
  std::unique_ptr<Store> laptop_;
};

TEST_F(ConflictsTest, BothReplicasHoldTheSameOpenConflictAndTheAdminsFactsAreShown) {
  MakeConflict();
  auto at_office = office_->ListConflicts(false);
  auto on_laptop = laptop_->ListConflicts(false);
  ASSERT_TRUE(at_office.ok()) << at_office.status().ToString();
  ASSERT_TRUE(on_laptop.ok()) << on_laptop.status().ToString();
  ASSERT_EQ(at_office->size(), 1u);
  ASSERT_EQ(on_laptop->size(), 1u);
  const Store::Conflict& c = at_office->front();
  EXPECT_EQ(c.id, on_laptop->front().id);
  EXPECT_EQ(c.id.size(), 17u);
  EXPECT_EQ(c.record_id, "L1/S1");
  EXPECT_EQ(c.lesson_id, "L1");
  EXPECT_EQ(c.learner_id, "S1");
  EXPECT_EQ(c.kinds, kConflictAbsence);
  EXPECT_EQ(c.siblings.size(), 2u);
  EXPECT_TRUE(c.open);
  // The admin's version outranks the teacher's (M.authority): 'other'.
  EXPECT_EQ(c.shown.reason, AbsenceReason::kOther);
  EXPECT_EQ(c.absence_rule, merge_rule::kAuthority);
  EXPECT_EQ(c.rule_set_version, kMergeRuleSetVersion);
  // Found by the attendance id too.
  auto by_record = laptop_->GetConflict("L1/S1");
  ASSERT_TRUE(by_record.ok());
  EXPECT_EQ(by_record->id, c.id);
  EXPECT_EQ(office_->GetConflict("c0000000000000000").status().code(), StatusCode::kNotFound);
}

TEST_F(ConflictsTest, OnlyAnAdminResolvesAndAlwaysWithAReason) {
  MakeConflict();
  const std::string id = office_->ListConflicts(false)->front().id;
  Attendance ill = Absent("L1", "S1", AbsenceReason::kIllness);
  EXPECT_EQ(laptop_->ResolveConflict(Teacher(), id, ill, "spoke to the learner").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(office_->ResolveConflict(Admin(), id, ill, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(office_->ResolveConflict(Admin(), "c0000000000000000", ill, "x").code(),
            StatusCode::kNotFound);
  // Nothing of the refused calls was written.
  EXPECT_EQ(office_->ListConflicts(false)->size(), 1u);
}

TEST_F(ConflictsTest, AResolutionClosesTheConflictHereAndOnEveryReplicaAfterSync) {
  MakeConflict();
  const std::string id = office_->ListConflicts(false)->front().id;
  const int64_t audit_before = RawInt(PathOf("office.db"), "SELECT count(*) FROM audit");
  Attendance ill = Absent("L1", "S1", AbsenceReason::kIllness);
  Status resolved = office_->ResolveConflict(Admin(), id, ill, "learner called in sick at 8:00");
  ASSERT_TRUE(resolved.ok()) << resolved.ToString();
  EXPECT_TRUE(office_->ListConflicts(false)->empty());
  EXPECT_EQ(laptop_->ListConflicts(false)->size(), 1u);  // not synced yet
  // Audited as a resolution, naming the conflict but not the reason.
  EXPECT_EQ(RawInt(PathOf("office.db"), "SELECT count(*) FROM audit"), audit_before + 1);
  EXPECT_EQ(RawInt(PathOf("office.db"),
                   "SELECT count(*) FROM audit WHERE action = 'conflict.resolve' AND summary "
                   "LIKE '%" + id + "%' AND summary NOT LIKE '%sick%'"),
            1);
  ASSERT_TRUE(office_->VerifyAudit()->ok());
  // A second resolution of the same conflict is refused.
  EXPECT_EQ(office_->ResolveConflict(Admin(), id, ill, "again").code(),
            StatusCode::kFailedPrecondition);

  ASSERT_TRUE(Exchange().ok());
  EXPECT_TRUE(laptop_->ListConflicts(false)->empty());
  EXPECT_EQ(*laptop_->CanonicalDump(), *office_->CanonicalDump());
  auto explained = laptop_->GetAttendanceState("L1/S1");
  ASSERT_TRUE(explained.ok()) << explained.status().ToString();
  EXPECT_EQ(explained->shown.reason, AbsenceReason::kIllness);
  EXPECT_EQ(explained->siblings.size(), 1u);
  EXPECT_TRUE(explained->conflict_id.empty());
  // R2 on the shown value, for the learner as the laptop knows them.
  const ClassificationResult classified =
      Classify(*laptop_->GetLearner("S1"), explained->shown);
  EXPECT_EQ(classified.value, Classification::kExcused);
  EXPECT_EQ(classified.rule, rule::kExcusedReason);
  // The reason stays where it was typed: the office knows it, the laptop not.
  EXPECT_FALSE(explained->resolution_reason.has_value());
  EXPECT_EQ(office_->GetAttendanceState("L1/S1")->resolution_reason,
            "learner called in sick at 8:00");
  // The history keeps the closed conflict on the office.
  auto all = office_->ListConflicts(true);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_FALSE(all->front().open);
  EXPECT_EQ(all->front().siblings.size(), 2u);
}

TEST_F(ConflictsTest, ATeacherCannotChangeOrDropAnAdminDecision) {
  office_ = NewRegister("office.db");
  laptop_ = NewRegister("laptop.db", Role::kTeacher);
  Populate(*office_, 1, 1);
  Attendance decided = Absent("L1", "S1", AbsenceReason::kOther);
  decided.decision = ClassificationDecision{Classification::kExcused, Role::kAdmin};
  ASSERT_TRUE(office_->RecordAttendance(Admin(), std::vector{decided}, "").ok());
  ASSERT_TRUE(Exchange().ok());
  // Re-recording the facts keeps the decision (an edit that sets none).
  ASSERT_TRUE(laptop_->RecordAttendance(Teacher(), std::vector{Absent("L1", "S1")}, "").ok());
  auto shown = laptop_->ListAttendance("L1");
  ASSERT_TRUE(shown->front().decision.has_value());
  EXPECT_EQ(shown->front().decision->value, Classification::kExcused);
  // Changing it, or dropping it by recording a presence, is refused.
  Attendance changed = Absent("L1", "S1");
  changed.decision = ClassificationDecision{Classification::kUnexcused, Role::kAdmin};
  Status refused = laptop_->RecordAttendance(Teacher(), std::vector{changed}, "");
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find(own_rule::kDecisionOwner), std::string::npos)
      << refused.message();
  EXPECT_EQ(laptop_->RecordAttendance(Teacher(), std::vector{Present("L1", "S1")}, "").code(),
            StatusCode::kPermissionDenied);
}

TEST_F(ConflictsTest, AReceivedVersionThatBreaksOwnershipIsKeptAsRefusedNotApplied) {
  office_ = NewRegister("office.db");
  Populate(*office_, 1, 1);
  ASSERT_TRUE(office_->RecordAttendance(Admin(), std::vector{Absent("L1", "S1")}, "").ok());
  // A teacher's device (not a real one: hand-made) sends an edit that sets
  // an admin decision.
  auto held = VersionsAfter(*office_, 0);
  ASSERT_TRUE(held.ok());
  const VersionedRecord& mine = held->back();
  ASSERT_EQ(KindOf(mine.record), RecordKind::kAttendance);
  VersionedRecord forged = mine;
  const std::string teacher = "7777777777777777";
  ASSERT_TRUE(forged.stamp.vv.Increment(teacher).ok());
  forged.stamp.hlc.logical += 1;
  forged.stamp.writer = Writer{teacher, Role::kTeacher, "t1"};
  std::get<Attendance>(forged.record).decision =
      ClassificationDecision{Classification::kExcused, Role::kAdmin};
  auto applied = office_->ApplyRemote(teacher, std::vector{forged}, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->refused, 1u);
  EXPECT_EQ(applied->accepted, 0u);
  EXPECT_FALSE(office_->ListAttendance("L1")->front().decision.has_value());
  auto refused = office_->ListRefused();
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  ASSERT_EQ(refused->size(), 1u);
  EXPECT_EQ(refused->front().rule, own_rule::kDecisionOwner);
  EXPECT_EQ(refused->front().source, teacher);
  EXPECT_EQ(refused->front().version, forged);
  // Not in the change log, so never relayed.
  EXPECT_EQ(RawInt(PathOf("office.db"),
                   "SELECT count(*) FROM versions WHERE writer_replica = '" + teacher + "'"),
            0);
}

TEST_F(ConflictsTest, AnAdminCannotClassifyAnAsylumPermitHoldersAbsence) {
  office_ = NewRegister("office.db");
  Learner asylum = testing::SampleLearner("S9", 9);
  asylum.category = Category::kAsylumPermitHolder;
  asylum.gemeente_code = "0363";
  Populate(*office_, 1, 1);
  ASSERT_TRUE(office_->AddLearners(Admin(), std::vector{asylum}, "learner.add").ok());
  Attendance decided = Absent("L1", "S9", AbsenceReason::kOther);
  decided.decision = ClassificationDecision{Classification::kExcused, Role::kAdmin};
  Status refused = office_->RecordAttendance(Admin(), std::vector{decided}, "");
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find(own_rule::kGemeenteClassifies), std::string::npos)
      << refused.message();
  // Its facts are the school's to record.
  EXPECT_TRUE(office_->RecordAttendance(Admin(), std::vector{Absent("L1", "S9")}, "").ok());
}

// Schema step 4 marks records with several live siblings (conflict = -1);
// the store merges them when it opens the file.
TEST_F(ConflictsTest, RecordsMarkedByTheMigrationAreMergedWhenTheStoreOpens) {
  MakeConflict();
  const std::string dump = *office_->CanonicalDump();
  office_.reset();
  RawExec(PathOf("office.db"),
          "UPDATE attendance SET conflict = -1, facts_rule = 'M.single', absence_rule = "
          "'M.single', reason = 'none'; DELETE FROM conflict; "
          "INSERT INTO meta (key, value) VALUES ('merge_pending', 1);");
  auto reopened = Store::Open(PathOf("office.db"), Options());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(*(*reopened)->CanonicalDump(), dump);
  EXPECT_EQ(RawInt(PathOf("office.db"), "SELECT count(*) FROM attendance WHERE conflict < 0"), 0);
  EXPECT_EQ((*reopened)->ListConflicts(false)->size(), 1u);
  EXPECT_EQ(RawInt(PathOf("office.db"),
                   "SELECT count(*) FROM meta WHERE key = 'merge_pending'"),
            0);
}

// A version-3 register with concurrent siblings (made by taking steps 8, 7,
// 6, 5 and 4 back off a current one): step 4 marks the record, and the store merges
// it.
TEST_F(ConflictsTest, MigratingAVersionThreeRegisterMergesItsSiblings) {
  MakeConflict();
  const std::string dump = *office_->CanonicalDump();
  office_.reset();
  TakeOffSealing(PathOf("office.db"));
  RawExec(PathOf("office.db"),
          "DROP TABLE gemeente_absence; DROP TABLE gemeente_decision; DROP TABLE duo_absence; "
          "DROP TABLE duo_exam_result; "
          "DROP TABLE qualification; DROP TABLE bow_planning; DROP TABLE bow_qualification; "
          "DROP TABLE gemeente_pip; DROP TABLE duo_duty; "
          "DROP TABLE contract; DROP TABLE invoice; DROP TABLE bridging_diploma; "
          "DROP TABLE gemeente_naw; "
          "DROP TABLE duo_hours; DROP TABLE gemeente_hours; "
          "ALTER TABLE remote DROP COLUMN replica_id; ALTER TABLE remote DROP COLUMN role; "
          "ALTER TABLE remote DROP COLUMN gemeente_code; "
          "ALTER TABLE remote DROP COLUMN last_ok_ms; "
          "ALTER TABLE remote DROP COLUMN last_error_ms; "
          "ALTER TABLE remote DROP COLUMN last_error; "
          "DROP TABLE conflict; DROP TABLE conflict_resolution; DROP TABLE refused; "
          "ALTER TABLE idempotency DROP COLUMN refused; "
          "ALTER TABLE attendance DROP COLUMN facts_rule; "
          "ALTER TABLE attendance DROP COLUMN absence_rule; "
          "ALTER TABLE attendance DROP COLUMN decision_rule; "
          "ALTER TABLE attendance DROP COLUMN rule_set; "
          "ALTER TABLE attendance DROP COLUMN conflict; PRAGMA user_version = 3;");
  auto migrated = Store::Open(PathOf("office.db"), Options());
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  EXPECT_EQ((*migrated)->info().schema_version, internal::kSchemaVersion);
  EXPECT_EQ(*(*migrated)->CanonicalDump(), dump);
  EXPECT_EQ((*migrated)->ListConflicts(false)->size(), 1u);
}

}  // namespace conflicts_test
}  // namespace presentie::storage
