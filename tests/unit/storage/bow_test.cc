// Blik op Werk (docs/authorities.md, "Blik op Werk") in the store: the
// admin's teacher qualifications and the two submissions, written like
// every submission (new or changed only, one transaction, one audit entry)
// and refused from anyone but the admin — locally and when received.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/authorities.h"
#include "core/ownership.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace bow_test {

using testing::Admin;
using testing::SampleCourse;
using testing::SampleLesson;
using testing::StorageTest;
using testing::Teacher;
using testing::VersionsAfter;

Qualification Nt2Of(std::string teacher, std::string id) {
  return Qualification{std::move(id), std::move(teacher), Component::kNt2, "Post-hbo NT2-docent",
                       Date{2015, 6, 30}};
}

class BowTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    school_ = CreateRegister();
    ASSERT_NE(school_, nullptr);
  }

  // What `presentie submit bow` computes from the register.
  void Derive(std::vector<exports::BowPlanning>* planning,
              std::vector<exports::BowQualification>* sent) {
    auto courses = school_->ListCourses();
    auto lessons = school_->ListLessons(std::nullopt);
    auto quals = school_->ListQualifications();
    ASSERT_TRUE(courses.ok() && lessons.ok() && quals.ok());
    for (const Course& c : *courses) {
      if (auto p = exports::BowPlanningFor(c, *lessons)) planning->push_back(*p);
    }
    *sent = exports::BowQualificationsFor(*quals, *planning);
  }

  std::unique_ptr<Store> school_;
};

TEST_F(BowTest, QualificationsAreTheAdminsAndWrittenOnlyWhenNewOrChanged) {
  const int64_t before = *school_->LastChangeSeq();
  auto added = school_->RecordQualifications(
      Admin(), std::vector{Nt2Of("J. de Vries", "jdv.nt2"), Nt2Of("P. Bakker", "pb.nt2")});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->added, 2u);
  EXPECT_EQ(*school_->LastChangeSeq(), before + 2);
  // The same again writes nothing; a changed title is a new version.
  Qualification changed = Nt2Of("J. de Vries", "jdv.nt2");
  changed.title = "Lerarenopleiding NT2";
  auto again = school_->RecordQualifications(
      Admin(), std::vector{changed, Nt2Of("P. Bakker", "pb.nt2")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((std::pair{again->changed, again->unchanged}), (std::pair{uint64_t{1}, uint64_t{1}}));
  EXPECT_EQ(*school_->LastChangeSeq(), before + 3);
  auto held = school_->ListQualifications();
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->size(), 2u);
  EXPECT_EQ((*held)[0], changed);

  // A bad one, or one listed twice, writes nothing at all.
  Qualification bad = Nt2Of("", "x.nt2");
  EXPECT_EQ(school_->RecordQualifications(Admin(), std::vector{Nt2Of("K", "k.nt2"), bad})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(school_
                ->RecordQualifications(Admin(),
                                       std::vector{Nt2Of("K", "k.nt2"), Nt2Of("K", "k.nt2")})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(*school_->LastChangeSeq(), before + 3);

  // A teacher's device keeps none.
  auto teacher = school_->RecordQualifications(Teacher(), std::vector{Nt2Of("K", "k.nt2")});
  EXPECT_EQ(teacher.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(*school_->LastChangeSeq(), before + 3);
  EXPECT_TRUE(school_->VerifyAudit()->ok());
}

TEST_F(BowTest, SubmitBowWritesThePlanningOfBowsCoursesAndTheirTeachersQualifications) {
  ASSERT_TRUE(school_->AddCourse(Admin(), SampleCourse("C1")).ok());  // B1-route
  Course education = SampleCourse("C2");
  education.route = Route::kEducation;
  ASSERT_TRUE(school_->AddCourse(Admin(), education).ok());
  Lesson l1 = SampleLesson("L1", "C1", 1);
  l1.teacher = "J. de Vries";
  Lesson l2 = SampleLesson("L2", "C2", 2);
  l2.teacher = "K. Smit";
  ASSERT_TRUE(school_->AddLesson(Admin(), l1).ok());
  ASSERT_TRUE(school_->AddLesson(Admin(), l2).ok());
  ASSERT_TRUE(school_
                  ->RecordQualifications(Admin(), std::vector{Nt2Of("J. de Vries", "jdv.nt2"),
                                                              Nt2Of("K. Smit", "ks.nt2")})
                  .ok());
  std::vector<exports::BowPlanning> planning;
  std::vector<exports::BowQualification> sent;
  Derive(&planning, &sent);
  ASSERT_EQ(planning.size(), 1u);
  EXPECT_EQ(planning[0].course_id, "C1");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].teacher, "J. de Vries");

  EXPECT_EQ(school_->SubmitBow(Teacher(), planning, sent).status().code(),
            StatusCode::kPermissionDenied);
  auto submitted = school_->SubmitBow(Admin(), planning, sent);
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_EQ((std::pair{submitted->planning.added, submitted->qualifications.added}),
            (std::pair{uint64_t{1}, uint64_t{1}}));
  EXPECT_EQ(*school_->ListBowPlanning(), planning);
  EXPECT_EQ(*school_->ListBowQualifications(), sent);
  auto log = school_->AuditEntries(0, 100);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().action, "submit.bow");
  const int64_t seq = *school_->LastChangeSeq();
  auto again = school_->SubmitBow(Admin(), planning, sent);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->planning.unchanged, 1u);
  EXPECT_EQ(*school_->LastChangeSeq(), seq);
}

TEST_F(BowTest, AQualificationOrPlanningFromATeacherIsRefusedAndKept) {
  ASSERT_TRUE(
      school_->RecordQualifications(Admin(), std::vector{Nt2Of("J. de Vries", "jdv.nt2")}).ok());
  ASSERT_TRUE(school_->AddCourse(Admin(), SampleCourse("C1")).ok());
  Lesson lesson = SampleLesson("L1", "C1", 1);
  lesson.teacher = "J. de Vries";
  ASSERT_TRUE(school_->AddLesson(Admin(), lesson).ok());
  std::vector<exports::BowPlanning> planning;
  std::vector<exports::BowQualification> sent;
  Derive(&planning, &sent);
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_TRUE(school_->SubmitBow(Admin(), planning, sent).ok());
  auto versions = VersionsAfter(*school_, 0);
  ASSERT_TRUE(versions.ok());
  // The same records as a teacher's device would claim to have written.
  std::vector<VersionedRecord> forged;
  for (VersionedRecord v : *versions) {
    const RecordKind kind = KindOf(v.record);
    if (kind != RecordKind::kQualification && kind != RecordKind::kBowPlanning) continue;
    v.stamp.writer.role = Role::kTeacher;
    forged.push_back(std::move(v));
  }
  ASSERT_EQ(forged.size(), 2u);
  std::unique_ptr<Store> hub = CreateRegisterAt("hub.db", Role::kHub);
  ASSERT_NE(hub, nullptr);
  auto applied = hub->ApplyRemote(school_->info().replica_id, forged, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->refused, 2u);
  EXPECT_TRUE(hub->ListQualifications()->empty());
  EXPECT_TRUE(hub->ListBowPlanning()->empty());
  auto refused = hub->ListRefused();
  ASSERT_TRUE(refused.ok());
  ASSERT_EQ(refused->size(), 2u);
  std::vector<std::string_view> rules = {(*refused)[0].rule, (*refused)[1].rule};
  std::sort(rules.begin(), rules.end());
  EXPECT_EQ(rules, (std::vector<std::string_view>{own_rule::kQualificationOwner,
                                                  own_rule::kSubmissionOwner}));
  // As the admin wrote them, the hub takes them.
  auto taken = hub->ApplyRemote(school_->info().replica_id, *versions, {});
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(hub->ListQualifications()->size(), 1u);
  EXPECT_EQ(hub->ListBowPlanning()->size(), 1u);
  EXPECT_EQ(hub->ListBowQualifications()->size(), 1u);
}

}  // namespace bow_test
}  // namespace presentie::storage
