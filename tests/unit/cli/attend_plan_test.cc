#include "cli/attend_plan.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "core/ids.h"

namespace presentie::cli {
namespace attend_plan_test {

class PlanTest : public ::testing::Test {
 protected:
  PlanTest() {
    lesson_.id = "nt2-a-20261130-0900";
    lesson_.course_id = "nt2-a";
    lesson_.start = DateTime{Date{2026, 11, 30}, 9, 0};
    lesson_.duration_minutes = 180;
    lesson_.teacher = "JdV";
    for (const char* id : {"L1", "L2", "L3", "L4"}) {
      roster_.push_back(Enrollment{EnrollmentId("nt2-a", id), "nt2-a", id, true});
    }
    roster_.back().active = false;  // L4 left the course
  }

  Result<AttendPlan> Plan() {
    auto exists = [this](std::string_view id) { return known_.contains(std::string(id)); };
    return PlanAttendance(lesson_, flags_, roster_, existing_, exists);
  }

  const Attendance* Find(const AttendPlan& plan, std::string_view learner) {
    for (const Attendance& a : plan.records) {
      if (a.learner_id == learner) return &a;
    }
    return nullptr;
  }

  Lesson lesson_;
  AttendFlags flags_;
  std::vector<Enrollment> roster_;
  std::vector<Attendance> existing_;
  std::set<std::string> known_ = {"L1", "L2", "L3", "L4", "L5"};
};

TEST_F(PlanTest, AllPresentMarksActiveRoster) {
  flags_.all_present = true;
  auto plan = Plan();
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->records.size(), 3u);  // not L4, who left
  for (const Attendance& a : plan->records) {
    EXPECT_EQ(a.status, AttendanceStatus::kPresent);
    EXPECT_EQ(a.minutes_present, 180);
    EXPECT_EQ(a.mode, Mode::kOnSite);
    EXPECT_EQ(a.id, AttendanceId(lesson_.id, a.learner_id));
  }
}

TEST_F(PlanTest, TheTeachersQuickForm) {
  flags_.all_present = true;
  flags_.absent = {"L2:illness"};
  flags_.partial = {"L3:90"};
  auto plan = Plan();
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->records.size(), 3u);
  EXPECT_EQ(Find(*plan, "L1")->status, AttendanceStatus::kPresent);
  const Attendance* l2 = Find(*plan, "L2");
  EXPECT_EQ(l2->status, AttendanceStatus::kAbsent);
  EXPECT_EQ(l2->reason, AbsenceReason::kIllness);
  EXPECT_EQ(l2->minutes_present, 0);
  const Attendance* l3 = Find(*plan, "L3");
  EXPECT_EQ(l3->status, AttendanceStatus::kPartial);
  EXPECT_EQ(l3->minutes_present, 90);
  EXPECT_TRUE(plan->not_enrolled.empty());
}

TEST_F(PlanTest, DutchReasons) {
  flags_.absent = {"L1:ziek", "L2:begrafenis", "L3:anders", "L5"};
  auto plan = Plan();
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(Find(*plan, "L1")->reason, AbsenceReason::kIllness);
  EXPECT_EQ(Find(*plan, "L2")->reason, AbsenceReason::kFuneral);
  EXPECT_EQ(Find(*plan, "L3")->reason, AbsenceReason::kOther);
  EXPECT_EQ(Find(*plan, "L5")->reason, AbsenceReason::kNone);
  EXPECT_EQ(plan->not_enrolled, (std::vector<std::string>{"L5"}));
}

TEST_F(PlanTest, UnknownReasonIsInvalid) {
  flags_.absent = {"L1:hangover"};
  auto plan = Plan();
  EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("--absent 'L1:hangover'"), std::string::npos);
}

TEST_F(PlanTest, UnknownLearnerIsNotFoundAndNamed) {
  flags_.all_present = true;
  flags_.absent = {"L9:illness"};
  auto plan = Plan();
  EXPECT_EQ(plan.status().code(), StatusCode::kNotFound);
  EXPECT_NE(plan.status().message().find("'L9'"), std::string::npos);
}

TEST_F(PlanTest, NotifiedCombinesWithAbsentReason) {
  flags_.absent = {"L1:wedding"};
  flags_.notified = {"L1", "L2"};
  auto plan = Plan();
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  const Attendance* l1 = Find(*plan, "L1");
  EXPECT_EQ(l1->status, AttendanceStatus::kAbsent);
  EXPECT_TRUE(l1->notified_in_advance);
  EXPECT_EQ(l1->reason, AbsenceReason::kWedding);
  const Attendance* l2 = Find(*plan, "L2");
  EXPECT_EQ(l2->status, AttendanceStatus::kAbsent);
  EXPECT_TRUE(l2->notified_in_advance);
}

TEST_F(PlanTest, PartialWithReasonNoticeAndRemote) {
  flags_.partial = {"L1:60:doubtful", "L2:120"};
  flags_.notified = {"L1"};
  flags_.remote = {"L2", "L3"};
  auto plan = Plan();
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  const Attendance* l1 = Find(*plan, "L1");
  EXPECT_EQ(l1->status, AttendanceStatus::kPartial);
  EXPECT_EQ(l1->minutes_present, 60);
  EXPECT_EQ(l1->reason, AbsenceReason::kDoubtful);
  EXPECT_TRUE(l1->notified_in_advance);
  const Attendance* l2 = Find(*plan, "L2");
  EXPECT_EQ(l2->status, AttendanceStatus::kPartial);
  EXPECT_EQ(l2->mode, Mode::kRemote);
  const Attendance* l3 = Find(*plan, "L3");
  EXPECT_EQ(l3->status, AttendanceStatus::kPresent);
  EXPECT_EQ(l3->mode, Mode::kRemote);
  EXPECT_EQ(l3->minutes_present, 180);
}

TEST_F(PlanTest, ContradictionsAreErrors) {
  flags_.present = {"L1"};
  flags_.absent = {"L1"};
  EXPECT_EQ(Plan().status().code(), StatusCode::kInvalidArgument);

  flags_ = {};
  flags_.absent = {"L1"};
  flags_.partial = {"L1:30"};
  EXPECT_EQ(Plan().status().code(), StatusCode::kInvalidArgument);

  flags_ = {};
  flags_.absent = {"L1"};
  flags_.remote = {"L1"};
  EXPECT_EQ(Plan().status().code(), StatusCode::kInvalidArgument);

  flags_ = {};
  flags_.absent = {"L1:ziek", "L1:anders"};
  EXPECT_EQ(Plan().status().code(), StatusCode::kInvalidArgument);
}

TEST_F(PlanTest, MalformedPartial) {
  for (const char* bad : {"L1", "L1:", "L1:abc", "L1:-5"}) {
    flags_.partial = {bad};
    auto plan = Plan();
    EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(plan.status().message().find("--partial"), std::string::npos) << bad;
  }
}

TEST_F(PlanTest, PartialMustBeShorterThanTheLesson) {
  flags_.partial = {"L1:180"};
  auto plan = Plan();
  EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("learner 'L1'"), std::string::npos);
}

TEST_F(PlanTest, AllPresentKeepsEarlierRecords) {
  Attendance notice;
  notice.id = AttendanceId(lesson_.id, "L2");
  notice.lesson_id = lesson_.id;
  notice.learner_id = "L2";
  notice.status = AttendanceStatus::kAbsent;
  notice.notified_in_advance = true;
  existing_.push_back(notice);
  flags_.all_present = true;
  auto plan = Plan();
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->records.size(), 2u);
  EXPECT_EQ(Find(*plan, "L2"), nullptr);
  EXPECT_EQ(plan->kept, (std::vector<std::string>{"L2"}));
}

TEST_F(PlanTest, NoteAloneEditsTheEarlierRecord) {
  Attendance earlier;
  earlier.lesson_id = lesson_.id;
  earlier.learner_id = "L2";
  earlier.status = AttendanceStatus::kAbsent;
  earlier.reason = AbsenceReason::kIllness;
  existing_.push_back(earlier);
  flags_.notes = {"L2:doctor's letter: seen"};
  auto plan = Plan();
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->records.size(), 1u);
  EXPECT_EQ(plan->records[0].reason, AbsenceReason::kIllness);
  EXPECT_EQ(plan->records[0].note, "doctor's letter: seen");

  flags_.notes = {"L3:no record"};
  EXPECT_EQ(Plan().status().code(), StatusCode::kInvalidArgument);
}

TEST_F(PlanTest, EmptyFlags) {
  EXPECT_TRUE(flags_.empty());
  flags_.remote = {"L1"};
  EXPECT_FALSE(flags_.empty());
}

}  // namespace attend_plan_test
}  // namespace presentie::cli
