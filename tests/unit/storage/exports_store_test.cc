// What the authorities' files need from the register: lesson lines
// that carry their course and start, the gemeente's own classification as it
// arrives by sync, the BoW number setting and the audit entry of an export.
#include <gtest/gtest.h>

#include "core/authorities.h"
#include "storage/versioned.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace exports_store_test {

using testing::Absent;
using testing::Admin;
using testing::Present;
using testing::StorageTest;
using testing::Teacher;

class ExportsStoreTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    store_ = CreateRegister();
    // S1 a family migrant, S2 an asylum permit holder of gemeente 0363
    // (Wi2021), both in C1; lessons L1..L3 on 2026-01-02..04, 120 minutes.
    asylum_ = testing::SampleLearner("S2", 2);
    asylum_.category = Category::kAsylumPermitHolder;
    asylum_.gemeente_code = "0363";
    ASSERT_TRUE(store_
                    ->AddLearners(Admin(), std::vector{testing::SampleLearner("S1", 1), asylum_},
                                  "learner.import")
                    .ok());
    ASSERT_TRUE(store_->AddCourse(Admin(), testing::SampleCourse("C1")).ok());
    ASSERT_TRUE(store_->Enroll(Admin(), "C1", std::vector<std::string>{"S1", "S2"}).ok());
    for (int i = 1; i <= 3; ++i) {
      ASSERT_TRUE(
          store_->AddLesson(Admin(), testing::SampleLesson("L" + std::to_string(i), "C1", i)).ok());
    }
  }

  const storage::LearnerLessons& Of(const std::vector<LearnerLessons>& all, std::string_view id) {
    for (const LearnerLessons& ll : all) {
      if (ll.learner.id == id) return ll;
    }
    ADD_FAILURE() << "no learner " << id;
    return all.front();
  }

  std::unique_ptr<Store> store_;
  Learner asylum_;
};

TEST_F(ExportsStoreTest, LessonLinesCarryTheirCourseAndStart) {
  auto all = store_->LessonsByLearner();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  const LearnerLessons& s1 = Of(*all, "S1");
  ASSERT_EQ(s1.lines.size(), 3u);
  EXPECT_EQ(s1.lines[0].course_id, "C1");
  EXPECT_EQ(s1.lines[0].start, (DateTime{Date{2026, 1, 2}, 9, 0}));
  EXPECT_EQ(s1.lines[2].start, (DateTime{Date{2026, 1, 4}, 9, 0}));
}

TEST_F(ExportsStoreTest, TheGemeentesDecisionArrivingBySyncIsWhatItsFileCounts) {
  ASSERT_TRUE(store_
                  ->RecordAttendance(
                      Admin(),
                      std::vector{Present("L1", "S2"), Absent("L2", "S2", AbsenceReason::kOther),
                                  Absent("L3", "S2", AbsenceReason::kIllness)},
                      "")
                  .ok());
  // The school's R2 advice (other: unexcused; illness: excused) is not the
  // gemeente's: both absences are still to be classified.
  auto all = store_->LessonsByLearner();
  ASSERT_TRUE(all.ok());
  auto row = exports::GemeenteRowFor(asylum_, Of(*all, "S2").lines, "0363", Date{2026, 1, 31});
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->attended_minutes, 120);
  EXPECT_EQ(row->unclassified_minutes, 240);
  EXPECT_EQ(row->excused_minutes + row->unexcused_minutes, 0);

  // The gemeente's endpoint classifies L2 excused and sends it back.
  auto shown = store_->GetAttendanceState("L2/S2");
  ASSERT_TRUE(shown.ok()) << shown.status().ToString();
  VersionedRecord v;
  Attendance a = shown->shown;
  a.decision = ClassificationDecision{Classification::kExcused, Role::kGemeente};
  v.record = a;
  v.stamp.vv = shown->shown_stamp.vv;
  ASSERT_TRUE(v.stamp.vv.Increment("6e6d0363aa55aa55").ok());
  v.stamp.hlc = Hlc{now_ms_ + 1000, 0};
  v.stamp.writer = Writer{"6e6d0363aa55aa55", Role::kGemeente, "gemeente-0363"};
  auto applied = store_->ApplyRemote("6e6d0363aa55aa55", std::vector{v}, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_EQ(applied->accepted, 1u);

  all = store_->LessonsByLearner();
  ASSERT_TRUE(all.ok());
  row = exports::GemeenteRowFor(asylum_, Of(*all, "S2").lines, "0363", Date{2026, 1, 31});
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->excused_minutes, 120);
  EXPECT_EQ(row->unclassified_minutes, 120);
  // Up to a peildatum before L2 and L3, only L1 counts.
  row = exports::GemeenteRowFor(asylum_, Of(*all, "S2").lines, "0363", Date{2026, 1, 2});
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->attended_minutes, 120);
  EXPECT_EQ(row->excused_minutes + row->unclassified_minutes, 0);
}

TEST_F(ExportsStoreTest, TheBowNumberIsTheAdminsSettingValidatedAuditedAndKept) {
  EXPECT_EQ(store_->info().bow_number, "");
  EXPECT_EQ(store_->SetBowNumber(Teacher(), "123456").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->SetBowNumber(Admin(), "12A").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SetBowNumber(Admin(), "12345678901").code(), StatusCode::kInvalidArgument);
  const int64_t entries = store_->AuditEntries(0, 1000).value().size();
  ASSERT_TRUE(store_->SetBowNumber(Admin(), "0123456").ok());
  EXPECT_EQ(store_->info().bow_number, "0123456");
  auto audit = store_->AuditEntries(0, 1000);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(static_cast<int64_t>(audit->size()), entries + 1);
  EXPECT_EQ(audit->back().action, "config.set");
  store_.reset();
  store_ = Reopen();
  EXPECT_EQ(store_->info().bow_number, "0123456");
}

TEST_F(ExportsStoreTest, AnExportIsAnAuditEntryThatWritesNoRecord) {
  const int64_t last_change = store_->LastChangeSeq().value();
  EXPECT_EQ(store_->LogExport(Teacher(), "export.duo", "x").code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(store_->LogExport(Admin(), "export.duo", "123Aanlevering20261130.csv: 2 rows").ok());
  EXPECT_EQ(store_->LastChangeSeq().value(), last_change);
  auto audit = store_->AuditEntries(0, 1000);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->back().action, "export.duo");
  EXPECT_EQ(audit->back().actor.user, "admin1");
  EXPECT_EQ(audit->back().first_change, 0);
  auto report = store_->VerifyAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->problems.empty());
}

}  // namespace exports_store_test
}  // namespace presentie::storage
