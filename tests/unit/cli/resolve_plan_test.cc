// `conflicts resolve`: its flags on their own (CheckResolveFlags), the value
// they make from a conflict (ResolutionValue), and the command line in-process
// for the failures that need no register.
#include "cli/resolve_plan.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/exit_codes.h"
#include "core/ids.h"
#include "run_args.h"

namespace presentie::cli {
namespace resolve_plan_test {

constexpr int kDuration = 180;

ResolveFlags WithReason() {
  ResolveFlags f;
  f.reason = "checked the sign-in sheet";
  return f;
}

Attendance Record(AttendanceStatus status, int minutes) {
  Attendance a;
  a.lesson_id = "nt2-a-20261130-0900";
  a.learner_id = "L2";
  a.id = AttendanceId(a.lesson_id, a.learner_id);
  a.status = status;
  a.minutes_present = minutes;
  return a;
}

storage::VersionedRecord Version(const Attendance& a, Role role, uint64_t wall_ms) {
  storage::VersionedRecord v;
  v.stamp.writer = Writer{"0a1b2c3d4e5f6071", role, "jdv"};
  v.stamp.hlc = Hlc{wall_ms, 0};
  v.stamp.vv.Set(v.stamp.writer.replica, wall_ms);
  v.record = a;
  return v;
}

// A teacher's "present" against another teacher's "absent, illness, noted":
// the shown value is the presence (the benefit of the doubt).
storage::Store::Conflict PresenceConflict() {
  storage::Store::Conflict c;
  c.id = "c0123456789abcdef";
  const Attendance present = Record(AttendanceStatus::kPresent, kDuration);
  Attendance absent = Record(AttendanceStatus::kAbsent, 0);
  absent.reason = AbsenceReason::kIllness;
  absent.note = "called at 8:00";
  c.record_id = present.id;
  c.lesson_id = present.lesson_id;
  c.learner_id = present.learner_id;
  c.kinds = 1;  // presence
  c.siblings = {Version(present, Role::kTeacher, 1000), Version(absent, Role::kTeacher, 2000)};
  c.shown = present;
  c.facts_rule = "R2.benefit-of-doubt";
  c.absence_rule = "M.none";
  c.decision_rule = "M.none";
  c.rule_set_version = 1;
  return c;
}

// Two absences that disagree on the reason, one with a gemeente decision.
storage::Store::Conflict GemeenteConflict() {
  storage::Store::Conflict c = PresenceConflict();
  Attendance other = Record(AttendanceStatus::kAbsent, 0);
  other.reason = AbsenceReason::kOther;
  other.decision = ClassificationDecision{Classification::kUnexcused, Role::kGemeente};
  Attendance ill = Record(AttendanceStatus::kAbsent, 0);
  ill.reason = AbsenceReason::kIllness;
  ill.decision = ClassificationDecision{Classification::kExcused, Role::kAdmin};
  c.kinds = 2 | 4;
  c.siblings = {Version(other, Role::kGemeente, 1000), Version(ill, Role::kAdmin, 2000)};
  c.shown = ill;
  c.shown.decision = other.decision;  // the gemeente's decision over the admin's
  return c;
}

// --- CheckResolveFlags ----------------------------------------------------

TEST(CheckResolveFlags, ReasonIsRequiredAndNotBlank) {
  ResolveFlags f;
  f.take = 1;
  Status s = CheckResolveFlags(f);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--reason"), std::string::npos) << s.message();
  f.reason = "   \t";
  EXPECT_FALSE(CheckResolveFlags(f).ok());
  f.reason = std::string(kMaxResolveReasonChars + 1, 'x');
  EXPECT_FALSE(CheckResolveFlags(f).ok());
  f.reason = std::string(kMaxResolveReasonChars, 'x');
  EXPECT_TRUE(CheckResolveFlags(f).ok());
}

TEST(CheckResolveFlags, TakeAndFieldOptionsExcludeEachOther) {
  ResolveFlags f = WithReason();
  f.take = 2;
  EXPECT_TRUE(CheckResolveFlags(f).ok());
  for (auto set : std::vector<void (*)(ResolveFlags&)>{
           [](ResolveFlags& g) { g.status = "absent"; },
           [](ResolveFlags& g) { g.mode = "remote"; },
           [](ResolveFlags& g) { g.notice = true; },
           [](ResolveFlags& g) { g.absence_reason = "illness"; },
           [](ResolveFlags& g) { g.classify = "excused"; },
       }) {
    ResolveFlags g = f;
    set(g);
    Status s = CheckResolveFlags(g);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find("--take"), std::string::npos) << s.message();
  }
}

TEST(CheckResolveFlags, SomethingMustBeSaid) {
  Status s = CheckResolveFlags(WithReason());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--take N"), std::string::npos) << s.message();
}

TEST(CheckResolveFlags, PartialNeedsMinutesAndMinutesNeedPartial) {
  ResolveFlags f = WithReason();
  f.status = "partial";
  Status s = CheckResolveFlags(f);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--minutes"), std::string::npos) << s.message();
  f.minutes = 90;
  EXPECT_TRUE(CheckResolveFlags(f).ok());
  f.status = "absent";
  EXPECT_FALSE(CheckResolveFlags(f).ok()) << "--minutes with absent";
  f.status.clear();
  EXPECT_TRUE(CheckResolveFlags(f).ok()) << "--minutes alone changes a partial record's minutes";
}

TEST(CheckResolveFlags, ValuesAreParsedAndNamed) {
  struct Case {
    void (*set)(ResolveFlags&);
    const char* flag;
  };
  for (const Case& c : std::vector<Case>{
           {[](ResolveFlags& g) { g.status = "here"; }, "--status"},
           {[](ResolveFlags& g) { g.mode = "online"; }, "--mode"},
           {[](ResolveFlags& g) { g.absence_reason = "flu"; }, "--absence-reason"},
           {[](ResolveFlags& g) { g.classify = "pending"; }, "--classify"},
       }) {
    ResolveFlags f = WithReason();
    c.set(f);
    Status s = CheckResolveFlags(f);
    EXPECT_FALSE(s.ok()) << c.flag;
    EXPECT_NE(s.message().find(c.flag), std::string::npos) << s.message();
  }
  ResolveFlags dutch = WithReason();
  dutch.status = "absent";
  dutch.absence_reason = "ziek";
  dutch.classify = "geoorloofd";
  EXPECT_TRUE(CheckResolveFlags(dutch).ok());
}

TEST(CheckResolveFlags, ContradictionsAreRefused) {
  ResolveFlags f = WithReason();
  f.notice = true;
  f.no_notice = true;
  EXPECT_FALSE(CheckResolveFlags(f).ok());
  ResolveFlags present = WithReason();
  present.status = "present";
  present.absence_reason = "illness";
  EXPECT_FALSE(CheckResolveFlags(present).ok());
  present.absence_reason.clear();
  present.classify = "excused";
  EXPECT_FALSE(CheckResolveFlags(present).ok());
  present.classify = "none";
  EXPECT_TRUE(CheckResolveFlags(present).ok());
}

// --- ResolutionValue ------------------------------------------------------

TEST(ResolutionValue, TakeCopiesTheVersion) {
  ResolveFlags f = WithReason();
  f.take = 2;
  auto v = ResolutionValue(f, PresenceConflict(), kDuration);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->status, AttendanceStatus::kAbsent);
  EXPECT_EQ(v->reason, AbsenceReason::kIllness);
  EXPECT_EQ(v->note, "called at 8:00");
  EXPECT_EQ(v->id, "nt2-a-20261130-0900/L2");

  f.take = 3;
  v = ResolutionValue(f, PresenceConflict(), kDuration);
  EXPECT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("1..2"), std::string::npos) << v.status().message();
}

TEST(ResolutionValue, TakeWritesOnlyTheAdminsOwnDecisionAndKeepsTheGemeentes) {
  ResolveFlags f = WithReason();
  f.take = 2;  // the admin's version: illness, excused by the admin
  auto v = ResolutionValue(f, GemeenteConflict(), kDuration);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->reason, AbsenceReason::kIllness);
  // The gemeente's decision is shown; only the gemeente may change it.
  ASSERT_TRUE(v->decision.has_value());
  EXPECT_EQ(v->decision->decided_by, Role::kGemeente);

  storage::Store::Conflict school = GemeenteConflict();
  school.siblings[0].record = Record(AttendanceStatus::kAbsent, 0);  // no gemeente decision
  std::get<Attendance>(school.siblings[0].record).reason = AbsenceReason::kOther;
  school.shown.decision = ClassificationDecision{Classification::kExcused, Role::kAdmin};
  v = ResolutionValue(f, school, kDuration);
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_TRUE(v->decision.has_value());
  EXPECT_EQ(*v->decision, (ClassificationDecision{Classification::kExcused, Role::kAdmin}));

  f.take = 1;  // a version without a decision: the admin's decision goes
  v = ResolutionValue(f, school, kDuration);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_FALSE(v->decision.has_value());
  EXPECT_EQ(v->reason, AbsenceReason::kOther);
}

TEST(ResolutionValue, FieldsReplaceTheShownValue) {
  ResolveFlags f = WithReason();
  f.status = "absent";
  f.absence_reason = "ziek";
  f.notice = true;
  auto v = ResolutionValue(f, PresenceConflict(), kDuration);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->status, AttendanceStatus::kAbsent);
  EXPECT_EQ(v->minutes_present, 0);
  EXPECT_EQ(v->reason, AbsenceReason::kIllness);
  EXPECT_TRUE(v->notified_in_advance);
  EXPECT_FALSE(v->decision.has_value());

  ResolveFlags partial = WithReason();
  partial.status = "partial";
  partial.minutes = 90;
  partial.classify = "unexcused";
  v = ResolutionValue(partial, PresenceConflict(), kDuration);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->minutes_present, 90);
  ASSERT_TRUE(v->decision.has_value());
  EXPECT_EQ(*v->decision, (ClassificationDecision{Classification::kUnexcused, Role::kAdmin}));

  partial.minutes = kDuration;  // not partial for this lesson
  EXPECT_FALSE(ResolutionValue(partial, PresenceConflict(), kDuration).ok());
}

TEST(ResolutionValue, PresentDropsTheAbsenceAndNeedsTheLesson) {
  storage::Store::Conflict c = PresenceConflict();
  c.shown = std::get<Attendance>(c.siblings[1].record);  // absent, illness, a note
  ResolveFlags f = WithReason();
  f.status = "present";
  auto v = ResolutionValue(f, c, kDuration);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->minutes_present, kDuration);
  EXPECT_EQ(v->reason, AbsenceReason::kNone);
  EXPECT_EQ(v->note, "");
  EXPECT_FALSE(ResolutionValue(f, c, std::nullopt).ok()) << "the lesson's length is unknown";
}

TEST(ResolutionValue, MinutesAloneNeedAPartialRecord) {
  ResolveFlags f = WithReason();
  f.minutes = 60;
  auto v = ResolutionValue(f, PresenceConflict(), kDuration);  // shown: present
  EXPECT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("--status partial"), std::string::npos);
}

// --- The command line, in-process ----------------------------------------

using testing::Outcome;
using testing::RunArgs;

TEST(ConflictsCommand, ResolveFlagErrorsAreUsageErrorsBeforeTheRegisterIsOpened) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"conflicts", "resolve", "c0123456789abcdef", "--take", "1"},
           {"conflicts", "resolve", "c0123456789abcdef", "--take", "1", "--reason", ""},
           {"conflicts", "resolve", "c0123456789abcdef", "--take", "1", "--status", "absent",
            "--reason", "x"},
           {"conflicts", "resolve", "c0123456789abcdef", "--status", "partial", "--reason", "x"},
           {"conflicts", "resolve", "c0123456789abcdef", "--reason", "x"},
           {"conflicts", "resolve", "c0123456789abcdef", "--take", "0", "--reason", "x"},
           {"conflicts", "resolve", "--take", "1", "--reason", "x"},
           {"conflicts", "show"},
           {"conflicts"},
           {"explain"}}) {
    Outcome o = RunArgs(args);
    EXPECT_EQ(o.code, kExitUsage) << args.back() << ": " << o.err;
    EXPECT_EQ(o.out, "");
    EXPECT_NE(o.err.find("presentie: error:"), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("no register"), std::string::npos) << o.err;
  }
}

TEST(ConflictsCommand, HelpShowsExamplesFirst) {
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{"conflicts", "-h"},
                                             {"conflicts", "list", "-h"},
                                             {"conflicts", "show", "-h"},
                                             {"conflicts", "resolve", "-h"},
                                             {"conflicts", "refused", "-h"},
                                             {"explain", "-h"}}) {
    Outcome o = RunArgs(args);
    EXPECT_EQ(o.code, kExitOk);
    const size_t examples = o.out.find("Examples:");
    ASSERT_NE(examples, std::string::npos) << o.out;
    EXPECT_LT(examples, o.out.find("Usage:")) << o.out;
  }
}

}  // namespace resolve_plan_test
}  // namespace presentie::cli
