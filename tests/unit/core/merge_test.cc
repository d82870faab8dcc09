// The merge policy and ownership of an attendance record (docs/rules.md,
// "When entries disagree: the merge rules"). Each merge test names the
// sentence that decides the shown value, from the note's section 'Geoorloofd
// en ongeoorloofd verzuim' or from docs/; the rules themselves are documented
// in core/merge.h.
#include "core/merge.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/classification.h"
#include "core/ownership.h"
#include "core/version_vector.h"
#include "fixtures.h"

namespace presentie {
namespace merge_test {

using namespace presentie::testing;  // NOLINT: test fixtures

// Replica ids: 16 lowercase hex characters.
const std::string kTeacherA = "0a1b2c3d4e5f6071";
const std::string kTeacherB = "1234567890abcdef";
const std::string kAdmin = "aaaabbbbccccdddd";
const std::string kAdmin2 = "abcdef0123456789";
const std::string kGemeente = "ffee000000000001";

// 2026-11-30 09:00 UTC, in milliseconds: the lesson's morning.
constexpr uint64_t kMorningMs = 1796029200000;

// One version of the record: its value and its stamp.
struct Version {
  Attendance value;
  VersionStamp stamp;
};

// A version by `replica` in `role`, `minutes_later` after the lesson's
// morning. Each replica's own counter makes the versions concurrent.
Version By(const std::string& replica, Role role, Attendance value, uint64_t minutes_later = 0,
           uint32_t logical = 0) {
  Version v;
  v.value = std::move(value);
  v.stamp.vv.Set(replica, 1);
  v.stamp.hlc = Hlc{kMorningMs + minutes_later * 60000, logical};
  v.stamp.writer = Writer{replica, role, std::string(ToString(role)) + "-user"};
  return v;
}
Version Teacher(const std::string& replica, Attendance value, uint64_t minutes_later = 0) {
  return By(replica, Role::kTeacher, std::move(value), minutes_later);
}

struct Merged {
  MergeOutcome outcome;
  Attendance value;
};

Merged Merge(const std::vector<Version>& versions) {
  std::vector<AttendanceSibling> siblings;
  for (const Version& v : versions) siblings.push_back({&v.value, &v.stamp});
  Merged m;
  m.outcome = MergeAttendance(siblings);
  m.value = MergedValue(siblings, m.outcome);
  return m;
}

// ---------------------------------------------------------------- M.single, M.agree

// The shown value is a function of the siblings alone (docs/storage.md, "The
// shown value") — one version is shown as it is.
TEST(MergeTest, ASingleVersionIsShownAsItIs) {
  const Attendance ill = Absent(AbsenceReason::kIllness);
  const Merged m = Merge({Teacher(kTeacherA, ill)});
  EXPECT_EQ(m.value, ill);
  EXPECT_EQ(m.outcome.facts_from, 0);
  EXPECT_EQ(m.outcome.reason_from, 0);
  EXPECT_EQ(m.outcome.facts_rule, merge_rule::kSingle);
  EXPECT_EQ(m.outcome.absence_rule, merge_rule::kSingle);
  EXPECT_EQ(m.outcome.decision_rule, merge_rule::kNone);
  EXPECT_EQ(m.outcome.conflict, kConflictNone);
  EXPECT_FALSE(m.outcome.minutes_disputed());
  EXPECT_EQ(m.outcome.rule_set_version, kMergeRuleSetVersion);
}

TEST(MergeTest, ASingleDecidedVersionKeepsItsDecision) {
  const Attendance decided =
      Decided(Absent(AbsenceReason::kOther), Classification::kUnexcused, Role::kAdmin);
  const Merged m = Merge({By(kAdmin, Role::kAdmin, decided)});
  EXPECT_EQ(m.value, decided);
  EXPECT_EQ(m.outcome.decision_rule, merge_rule::kSingle);
  EXPECT_EQ(m.outcome.conflict, kConflictNone);
}

// merge.h: "siblings with equal version vectors are the same version and
// count once" — one version passed twice is still one version.
TEST(MergeTest, OneVersionGivenTwiceIsStillASingleVersion) {
  const Version v =
      By(kAdmin, Role::kAdmin,
         Decided(Absent(AbsenceReason::kIllness), Classification::kExcused, Role::kAdmin));
  const Merged m = Merge({v, v});
  EXPECT_EQ(m.value, v.value);
  EXPECT_EQ(m.outcome.facts_rule, merge_rule::kSingle);
  EXPECT_EQ(m.outcome.absence_rule, merge_rule::kSingle);
  EXPECT_EQ(m.outcome.decision_rule, merge_rule::kSingle);
  EXPECT_EQ(m.outcome.conflict, kConflictNone);
}

// Two teachers record the same absence on two devices: nothing to resolve.
TEST(MergeTest, AgreeingSiblingsAreShownWithoutAConflict) {
  const Attendance ill = Absent(AbsenceReason::kIllness);
  const Merged m = Merge({Teacher(kTeacherA, ill, 1), Teacher(kTeacherB, ill, 2)});
  EXPECT_EQ(m.value, ill);
  EXPECT_EQ(m.outcome.facts_rule, merge_rule::kAgree);
  EXPECT_EQ(m.outcome.absence_rule, merge_rule::kAgree);
  EXPECT_EQ(m.outcome.decision_rule, merge_rule::kNone);
  EXPECT_EQ(m.outcome.conflict, kConflictNone);

  const Merged present = Merge({Teacher(kTeacherA, Present(), 1), Teacher(kTeacherB, Present())});
  EXPECT_EQ(present.value, Present());
  EXPECT_EQ(present.outcome.facts_rule, merge_rule::kAgree);
  EXPECT_EQ(present.outcome.absence_rule, merge_rule::kNone);
  EXPECT_EQ(present.outcome.reason_from, -1);
  EXPECT_EQ(present.outcome.conflict, kConflictNone);
}

// ---------------------------------------------------------------- absence details

// The note: "Bij twijfel wordt de inburgeraar het voordeel van de twijfel
// gegeven (geoorloofd verzuim)." One teacher heard 'ziek', the other recorded
// no reason (later): the learner gets the benefit of the doubt.
TEST(MergeTest, IllAgainstNoReasonShowsIllnessByTheBenefitOfTheDoubt) {
  const Merged m = Merge({Teacher(kTeacherA, Absent(AbsenceReason::kIllness), 1),
                          Teacher(kTeacherB, Absent(AbsenceReason::kNone), 5)});
  EXPECT_EQ(m.value.reason, AbsenceReason::kIllness);
  EXPECT_EQ(m.outcome.reason_from, 0);
  EXPECT_EQ(m.outcome.absence_rule, rule::kBenefitOfDoubt);
  EXPECT_NE(m.outcome.conflict & kConflictAbsence, 0u);
  EXPECT_EQ(m.outcome.conflict & kConflictPresence, 0u) << "the facts agree";
  EXPECT_FALSE(m.outcome.minutes_disputed());
  EXPECT_EQ(m.outcome.facts_rule, merge_rule::kAgree);
  EXPECT_EQ(Classify(FamilyB1(), m.value).value, Classification::kExcused);
}

// The note: "ziek ... dan is er sprake van geoorloofd verzuim. Bij andere
// redenen in principe niet." — in doubt between the two, excused.
TEST(MergeTest, IllAgainstAnotherReasonShowsIllnessByTheBenefitOfTheDoubt) {
  for (uint64_t other_at : {0u, 1u, 9u}) {
    const Merged m = Merge({Teacher(kTeacherA, Absent(AbsenceReason::kOther), other_at),
                            Teacher(kTeacherB, Absent(AbsenceReason::kIllness), 3)});
    EXPECT_EQ(m.value.reason, AbsenceReason::kIllness) << other_at;
    EXPECT_EQ(m.outcome.absence_rule, rule::kBenefitOfDoubt);
    EXPECT_NE(m.outcome.conflict & kConflictAbsence, 0u);
    EXPECT_EQ(Classify(FamilyB1(), m.value).value, Classification::kExcused);
  }
}

// The note: "Bij twijfel ..." — a doubtful reason excuses too, and outranks
// 'anders'.
TEST(MergeTest, DoubtAgainstAnotherReasonShowsTheDoubt) {
  const Merged m = Merge({Teacher(kTeacherA, Absent(AbsenceReason::kDoubtful), 1),
                          Teacher(kTeacherB, Absent(AbsenceReason::kOther), 2)});
  EXPECT_EQ(m.value.reason, AbsenceReason::kDoubtful);
  EXPECT_EQ(m.outcome.absence_rule, rule::kBenefitOfDoubt);
  EXPECT_EQ(Classify(FamilyB1(), m.value).value, Classification::kExcused);
}

// The note: "als een gezins- of overige migrant zich vooraf afmeldt voor een
// les, dan is er sprake van geoorloofd verzuim" — a notice recorded on one
// device counts, even next to a later version that says nothing of it.
TEST(MergeTest, NoticeInAdvanceWinsOverALaterVersionWithoutIt) {
  const Merged m = Merge({Teacher(kTeacherA, Absent(AbsenceReason::kNone, /*notice=*/true), 1),
                          Teacher(kTeacherB, Absent(AbsenceReason::kNone, /*notice=*/false), 30)});
  EXPECT_TRUE(m.outcome.notified_in_advance);
  EXPECT_TRUE(m.value.notified_in_advance);
  EXPECT_EQ(m.outcome.absence_rule, rule::kNotice);
  EXPECT_NE(m.outcome.conflict & kConflictAbsence, 0u);
  const auto c = Classify(FamilyB1(), m.value);
  EXPECT_EQ(c.value, Classification::kExcused);
  EXPECT_EQ(c.rule, rule::kNotice);
}

// The note, section 'Geoorloofd en ongeoorloofd verzuim': "als een gezins-
// of overige migrant zich vooraf afmeldt voor een les, dan is er sprake van
// geoorloofd verzuim". The teacher took the learner's call (notice in
// advance); the admin, concurrently, recorded the same absence with reason
// 'other'. The admin's reason is shown (M.authority), but the notice counts
// whoever recorded it: the learner did notify, and that excuses whatever the
// reason (inference I3).
TEST(MergeTest, ATeachersNoticeCountsAgainstTheAdminsVersionWithoutIt) {
  for (const auto& [teacher_at, admin_at] : {std::pair{1, 30}, std::pair{30, 1}}) {
    const Merged m = Merge(
        {Teacher(kTeacherA, Absent(AbsenceReason::kNone, /*notice=*/true), teacher_at),
         By(kAdmin, Role::kAdmin, Absent(AbsenceReason::kOther, /*notice=*/false), admin_at)});
    EXPECT_TRUE(m.outcome.notified_in_advance) << teacher_at;
    EXPECT_TRUE(m.value.notified_in_advance);
    EXPECT_EQ(m.value.reason, AbsenceReason::kOther) << "the admin's reason is shown";
    EXPECT_EQ(m.outcome.reason_from, 1);
    EXPECT_EQ(m.outcome.absence_rule, rule::kNotice);
    EXPECT_NE(m.outcome.conflict & kConflictAbsence, 0u) << "an admin should still look";
  }
}

// The same merge, for every group of learners. The note, section
// 'Geoorloofd en ongeoorloofd verzuim': for family and other migrants (and,
// inference I1, everyone under Wi2013) "vooraf afmeldt ... geoorloofd
// verzuim"; for asylum permit holders under the Wi2021 "is de gemeente
// verantwoordelijk om te bepalen of er sprake is van geoorloofd of
// ongeoorloofd verzuim": the notice is a fact the gemeente receives, the
// school's 'excused' is advice, and the gemeente's decision wins.
TEST(MergeTest, AMergedNoticeExcusesForEveryLearnerTheSchoolClassifies) {
  const Merged m = Merge({Teacher(kTeacherA, Absent(AbsenceReason::kNone, /*notice=*/true), 1),
                          By(kAdmin, Role::kAdmin, Absent(AbsenceReason::kOther), 30)});
  for (const Learner& learner : {FamilyB1(), OtherB1(), FamilyWi2013(), AsylumWi2013()}) {
    const ClassificationResult c = Classify(learner, m.value);
    EXPECT_EQ(c.value, Classification::kExcused) << ToString(learner.category);
    EXPECT_EQ(c.rule, rule::kNotice);
    EXPECT_FALSE(c.advisory) << "the school classifies";
  }
}

TEST(MergeTest, AMergedNoticeIsAdviceForAWi2021AsylumPermitHolder) {
  const Merged m = Merge({Teacher(kTeacherA, Absent(AbsenceReason::kNone, /*notice=*/true), 1),
                          By(kAdmin, Role::kAdmin, Absent(AbsenceReason::kOther), 30)});
  EXPECT_TRUE(m.value.notified_in_advance) << "the fact the gemeente receives";
  const ClassificationResult advice = Classify(AsylumB1(), m.value);
  EXPECT_EQ(advice.value, Classification::kExcused);
  EXPECT_EQ(advice.rule, rule::kNotice);
  EXPECT_TRUE(advice.advisory);
  EXPECT_EQ(advice.authority, Role::kGemeente);

  // The gemeente weighed it and decided otherwise: its decision wins.
  const Merged decided =
      Merge({Teacher(kTeacherA, Absent(AbsenceReason::kNone, /*notice=*/true), 1),
             By(kAdmin, Role::kAdmin, Absent(AbsenceReason::kOther), 30),
             By(kGemeente, Role::kGemeente,
                Decided(Absent(AbsenceReason::kNone, /*notice=*/true), Classification::kUnexcused,
                        Role::kGemeente),
                60)});
  EXPECT_TRUE(decided.value.notified_in_advance);
  const ClassificationResult c = Classify(AsylumB1(), decided.value);
  EXPECT_EQ(c.value, Classification::kUnexcused);
  EXPECT_EQ(c.rule, rule::kGemeenteDecision);
  EXPECT_FALSE(c.advisory);
}

// The note: "Bij twijfel wordt de inburgeraar het voordeel van de twijfel
// gegeven". One version says 'other' (unexcused), the other has no reason
// yet (pending, to be asked): the learner keeps the pending one, whichever
// clock is later — time never turns an absence unexcused.
TEST(MergeTest, NoReasonYetBeatsAnotherReasonWhateverTheClock) {
  for (const auto& [none_at, other_at] : {std::pair{1, 2}, std::pair{2, 1}}) {
    const Merged m = Merge({Teacher(kTeacherA, Absent(AbsenceReason::kNone), none_at),
                            Teacher(kTeacherB, Absent(AbsenceReason::kOther), other_at)});
    EXPECT_EQ(m.value.reason, AbsenceReason::kNone);
    EXPECT_EQ(m.outcome.absence_rule, rule::kBenefitOfDoubt);
    EXPECT_NE(m.outcome.conflict & kConflictAbsence, 0u);
    EXPECT_EQ(Classify(FamilyB1(), m.value).value, Classification::kPending);
  }
}

// merge.h: "latest HLC, then replica id" — at an equal HLC the higher
// writer replica id wins, whatever the order the siblings arrive in.
TEST(MergeTest, AtAnEqualClockTheHigherReplicaIdWins) {
  ASSERT_LT(kTeacherA, kTeacherB);
  const Version a = Teacher(kTeacherA, Absent(AbsenceReason::kWedding), 4);
  const Version b = Teacher(kTeacherB, Absent(AbsenceReason::kIllness), 4);
  for (const auto& order : {std::vector<Version>{a, b}, std::vector<Version>{b, a}}) {
    const Merged m = Merge(order);
    EXPECT_EQ(m.value.reason, AbsenceReason::kIllness) << "kTeacherB's version";
    EXPECT_EQ(m.outcome.absence_rule, merge_rule::kLatest);
  }
}

// Two excusing reasons have the same legal effect: no rule prefers one.
TEST(MergeTest, TwoExcusingReasonsAreDecidedByTheLatestVersion) {
  const Merged m = Merge({Teacher(kTeacherA, Absent(AbsenceReason::kIllness), 9),
                          Teacher(kTeacherB, Absent(AbsenceReason::kFuneral), 2)});
  EXPECT_EQ(m.value.reason, AbsenceReason::kIllness);
  EXPECT_EQ(m.outcome.absence_rule, merge_rule::kLatest);
  EXPECT_NE(m.outcome.conflict & kConflictAbsence, 0u);
}

// The note travels with the reason it explains.
TEST(MergeTest, TheNoteComesWithTheShownReason) {
  Attendance ill = Absent(AbsenceReason::kIllness);
  ill.note = "belde om 8:30";
  Attendance other = Absent(AbsenceReason::kOther);
  other.note = "geen idee";
  const Merged m = Merge({Teacher(kTeacherA, other, 7), Teacher(kTeacherB, ill, 1)});
  EXPECT_EQ(m.value.reason, AbsenceReason::kIllness);
  EXPECT_EQ(m.value.note, "belde om 8:30");
}

// Time never decides a legal outcome (merge.h): a device whose clock runs
// years ahead still cannot turn 'ziek' into 'anders'.
TEST(MergeTest, AFutureClockDoesNotDecideTheLegalOutcome) {
  const uint64_t years_ahead = 60ull * 24 * 365 * 70;  // minutes: the year ~2096
  const Merged m = Merge({Teacher(kTeacherB, Absent(AbsenceReason::kOther), years_ahead),
                          Teacher(kTeacherA, Absent(AbsenceReason::kIllness), 0)});
  EXPECT_EQ(m.value.reason, AbsenceReason::kIllness);
  EXPECT_EQ(m.outcome.absence_rule, rule::kBenefitOfDoubt);
  const auto c = Classify(FamilyB1(), m.value);
  EXPECT_EQ(c.value, Classification::kExcused);
  EXPECT_EQ(c.rule, rule::kExcusedReason);
}

// ---------------------------------------------------------------- facts

// docs/rules.md, M.authority: "the school admin's entry over a teacher's", and
// merge.h: facts and absence details come from the highest rank. The admin's
// version is shown, but the teacher disagreed: the conflict stays open for an
// admin to resolve.
TEST(MergeTest, TheAdminsVersionOutranksTheTeachersButTheConflictStaysOpen) {
  const Attendance admin_says = Absent(AbsenceReason::kIllness);
  const Attendance teacher_says = Partial(90, AbsenceReason::kOther);
  const Merged m =
      Merge({Teacher(kTeacherA, teacher_says, 30), By(kAdmin, Role::kAdmin, admin_says, 1)});
  EXPECT_EQ(m.outcome.facts_from, 1);
  EXPECT_EQ(m.outcome.reason_from, 1);
  EXPECT_EQ(m.value, admin_says);
  EXPECT_EQ(m.outcome.facts_rule, merge_rule::kAuthority);
  EXPECT_EQ(m.outcome.absence_rule, merge_rule::kAuthority);
  EXPECT_NE(m.outcome.conflict & kConflictPresence, 0u);
  EXPECT_NE(m.outcome.conflict & kConflictAbsence, 0u);
  EXPECT_TRUE(m.outcome.minutes_disputed());
}

// The admin's version wins even where the teacher's is more favourable:
// authority comes before the benefit of the doubt.
TEST(MergeTest, TheAdminsAbsenceOutranksATeachersPresence) {
  const Merged m = Merge({Teacher(kTeacherA, Present(), 9),
                          By(kAdmin, Role::kAdmin, Absent(AbsenceReason::kOther), 1)});
  EXPECT_EQ(m.value.status, AttendanceStatus::kAbsent);
  EXPECT_EQ(m.value.reason, AbsenceReason::kOther);
  EXPECT_EQ(m.outcome.facts_rule, merge_rule::kAuthority);
  EXPECT_TRUE(m.outcome.minutes_disputed());
}

// The note: "Bij twijfel wordt de inburgeraar het voordeel van de twijfel
// gegeven" — one teacher saw the learner, the other did not: present.
TEST(MergeTest, PresentAgainstAbsentShowsThePresenceByTheBenefitOfTheDoubt) {
  const Merged m = Merge(
      {Teacher(kTeacherA, Absent(AbsenceReason::kOther), 20), Teacher(kTeacherB, Present(), 1)});
  EXPECT_EQ(m.outcome.facts_from, 1);
  EXPECT_EQ(m.value, Present());
  EXPECT_EQ(m.outcome.facts_rule, rule::kBenefitOfDoubt);
  EXPECT_EQ(m.outcome.reason_from, -1) << "a full presence has no absence details";
  EXPECT_EQ(m.outcome.absence_rule, merge_rule::kNone);
  EXPECT_NE(m.outcome.conflict & kConflictPresence, 0u);
  EXPECT_TRUE(m.outcome.minutes_disputed());
  EXPECT_TRUE(Validate(m.value, kLesson).ok());
}

// The same rule between two partial attendances: the most minutes.
TEST(MergeTest, TwoPartialAttendancesShowTheMostMinutes) {
  const Merged m = Merge({Teacher(kTeacherA, Partial(150, AbsenceReason::kOther), 1),
                          Teacher(kTeacherB, Partial(120, AbsenceReason::kIllness), 8)});
  EXPECT_EQ(m.value.minutes_present, 150);
  EXPECT_EQ(m.value.status, AttendanceStatus::kPartial);
  // The absence details are merged on their own: illness over 'anders'.
  EXPECT_EQ(m.value.reason, AbsenceReason::kIllness);
  EXPECT_EQ(m.outcome.facts_rule, rule::kBenefitOfDoubt);
  EXPECT_EQ(m.outcome.absence_rule, rule::kBenefitOfDoubt);
  EXPECT_TRUE(m.outcome.minutes_disputed());
}

// R5: only time at the school counts. On site and remote for the same
// minutes: on site is shown, the learner's benefit.
TEST(MergeTest, OnSiteWinsOverRemoteForTheSameMinutes) {
  const Merged m = Merge({Teacher(kTeacherA, Present(kLesson, Mode::kRemote), 5),
                          Teacher(kTeacherB, Present(kLesson, Mode::kOnSite), 1)});
  EXPECT_EQ(m.value.mode, Mode::kOnSite);
  EXPECT_EQ(m.outcome.facts_rule, rule::kBenefitOfDoubt);
  EXPECT_NE(m.outcome.conflict & kConflictPresence, 0u);
  EXPECT_TRUE(m.outcome.minutes_disputed());
}

// R5: minutes that count (on site) come before minutes at all.
TEST(MergeTest, CountedMinutesComeBeforeMinutesAtAll) {
  Attendance remote = Partial(170);
  remote.mode = Mode::kRemote;
  const Merged m = Merge({Teacher(kTeacherA, remote, 5), Teacher(kTeacherB, Partial(60), 1)});
  EXPECT_EQ(m.value.mode, Mode::kOnSite);
  EXPECT_EQ(m.value.minutes_present, 60);
}

// An absence on site and one remote are as favourable as each other: no
// rule decides, the latest version does (and the record still differs).
TEST(MergeTest, AbsentOnSiteAndAbsentRemoteAreTheSameFact) {
  Attendance remote = Absent(AbsenceReason::kIllness);
  remote.mode = Mode::kRemote;
  const Merged m = Merge(
      {Teacher(kTeacherA, remote, 5), Teacher(kTeacherB, Absent(AbsenceReason::kIllness), 1)});
  // No minutes were present, so none are disputed.
  EXPECT_EQ(m.outcome.facts_rule, merge_rule::kAgree);
  EXPECT_EQ(m.outcome.conflict, kConflictNone);
  EXPECT_EQ(m.outcome.absence_rule, merge_rule::kAgree);
}

// The gemeente and the hub do not record facts: a teacher's facts outrank
// the facts a gemeente version carries.
TEST(MergeTest, AGemeenteVersionDoesNotDecideTheFacts) {
  const Attendance gemeente_says =
      Decided(Absent(AbsenceReason::kOther), Classification::kUnexcused, Role::kGemeente);
  const Merged m = Merge({By(kGemeente, Role::kGemeente, gemeente_says, 9),
                          Teacher(kTeacherA, Partial(45, AbsenceReason::kOther), 1)});
  EXPECT_EQ(m.outcome.facts_from, 1);
  EXPECT_EQ(m.value.minutes_present, 45);
  EXPECT_EQ(m.outcome.facts_rule, merge_rule::kAuthority);
  // Its decision still stands: the gemeente's classification is its own.
  ASSERT_TRUE(m.value.decision.has_value());
  EXPECT_EQ(*m.value.decision,
            (ClassificationDecision{Classification::kUnexcused, Role::kGemeente}));
  EXPECT_EQ(m.outcome.decision_rule, merge_rule::kAuthority);
}

// ---------------------------------------------------------------- decision

// The note: "Daar waar het asielstatushouders betreft, is de gemeente
// verantwoordelijk om te bepalen of er sprake is van geoorloofd of
// ongeoorloofd verzuim" — the gemeente's decision over the school's advice.
TEST(MergeTest, TheGemeentesDecisionOutranksTheAdmins) {
  const Attendance admin_says =
      Decided(Absent(AbsenceReason::kOther), Classification::kExcused, Role::kAdmin);
  const Attendance gemeente_says =
      Decided(Absent(AbsenceReason::kOther), Classification::kUnexcused, Role::kGemeente);
  const Merged m = Merge(
      {By(kAdmin, Role::kAdmin, admin_says, 9), By(kGemeente, Role::kGemeente, gemeente_says, 1)});
  ASSERT_TRUE(m.value.decision.has_value());
  EXPECT_EQ(*m.value.decision,
            (ClassificationDecision{Classification::kUnexcused, Role::kGemeente}));
  EXPECT_EQ(m.outcome.decision_rule, merge_rule::kAuthority);
  EXPECT_NE(m.outcome.conflict & kConflictDecision, 0u);
  EXPECT_EQ(m.outcome.conflict & kConflictPresence, 0u);
  const auto c = Classify(AsylumB1(), m.value);
  EXPECT_EQ(c.value, Classification::kUnexcused);
  EXPECT_EQ(c.rule, rule::kGemeenteDecision);
}

// The note: "Bij twijfel ... (geoorloofd verzuim)" — two admins decided
// differently at the same time: excused.
TEST(MergeTest, TwoDifferentAdminDecisionsGiveTheBenefitOfTheDoubt) {
  for (uint64_t unexcused_at : {0u, 3u, 60u}) {
    const Merged m = Merge(
        {By(kAdmin, Role::kAdmin,
            Decided(Absent(AbsenceReason::kOther), Classification::kUnexcused, Role::kAdmin),
            unexcused_at),
         By(kAdmin2, Role::kAdmin,
            Decided(Absent(AbsenceReason::kOther), Classification::kExcused, Role::kAdmin), 2)});
    ASSERT_TRUE(m.value.decision.has_value());
    EXPECT_EQ(*m.value.decision, (ClassificationDecision{Classification::kExcused, Role::kAdmin}));
    EXPECT_EQ(m.outcome.decision_rule, rule::kBenefitOfDoubt);
    EXPECT_NE(m.outcome.conflict & kConflictDecision, 0u);
  }
}

// A teacher who corrects the reason without having seen the admin's decision
// does not remove it: the decision stands and the two do not conflict on it.
TEST(MergeTest, ATeachersVersionWithoutADecisionKeepsTheAdminsDecision) {
  const Attendance admin_says =
      Decided(Absent(AbsenceReason::kOther), Classification::kUnexcused, Role::kAdmin);
  const Merged m = Merge({By(kAdmin, Role::kAdmin, admin_says, 1),
                          Teacher(kTeacherA, Absent(AbsenceReason::kOther), 9)});
  ASSERT_TRUE(m.value.decision.has_value());
  EXPECT_EQ(*m.value.decision, (ClassificationDecision{Classification::kUnexcused, Role::kAdmin}));
  EXPECT_EQ(m.outcome.conflict & kConflictDecision, 0u);
  EXPECT_EQ(m.outcome.conflict, kConflictNone) << "the facts and reasons agree too";
  EXPECT_EQ(m.outcome.decision_rule, merge_rule::kAuthority);
}

// A decision classifies an absence; when the shown facts are a full
// presence there is nothing to classify, and the merged value stays valid.
TEST(MergeTest, NoDecisionIsShownOnAFullPresence) {
  const Attendance decided =
      Decided(Absent(AbsenceReason::kOther), Classification::kUnexcused, Role::kAdmin);
  const Merged m =
      Merge({By(kAdmin, Role::kAdmin, decided, 1), By(kAdmin2, Role::kAdmin, Present(), 2)});
  EXPECT_EQ(m.value, Present());
  EXPECT_FALSE(m.outcome.decision.has_value());
  EXPECT_EQ(m.outcome.decision_rule, rule::kPresent);
  EXPECT_TRUE(m.outcome.minutes_disputed()) << "the conflict stays open for an admin";
  EXPECT_TRUE(Validate(m.value, kLesson).ok());
}

// ---------------------------------------------------------------- DescribeRule

TEST(MergeTest, EveryRuleHasAPlainDescription) {
  for (std::string_view r : {merge_rule::kSingle, merge_rule::kAgree, merge_rule::kAuthority,
                             merge_rule::kLatest, merge_rule::kNone, rule::kPresent, rule::kNotice,
                             rule::kExcusedReason, rule::kBenefitOfDoubt, rule::kOtherReason,
                             rule::kNoReasonYet, rule::kAdminDecision, rule::kGemeenteDecision}) {
    const std::string_view d = DescribeRule(r);
    EXPECT_NE(d, "unknown rule") << r;
    EXPECT_FALSE(d.empty()) << r;
  }
  EXPECT_EQ(DescribeRule("M.nonsense"), "unknown rule");
  EXPECT_NE(DescribeRule(merge_rule::kLatest).find("hybrid clock"), std::string_view::npos);
}

// ---------------------------------------------------------------- ownership

// A school admin's decision on the learner's absence.
Attendance AdminDecided(Classification value = Classification::kExcused) {
  return Decided(Absent(AbsenceReason::kIllness), value, Role::kAdmin);
}

TEST(OwnershipTest, ATeacherCannotRemoveAnAdminsDecision) {
  const auto v =
      CheckAttendanceWrite(Role::kTeacher, AdminDecided(), Absent(AbsenceReason::kIllness), false);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.rule, own_rule::kDecisionOwner);
  EXPECT_NE(v.detail.find("admin"), std::string::npos) << v.detail;
}

TEST(OwnershipTest, ATeacherCannotChangeAnAdminsDecision) {
  const auto v = CheckAttendanceWrite(Role::kTeacher, AdminDecided(),
                                      AdminDecided(Classification::kUnexcused), std::nullopt);
  EXPECT_EQ(v.rule, own_rule::kDecisionOwner);
}

TEST(OwnershipTest, ATeacherCannotSetAnAdminDecision) {
  const auto v =
      CheckAttendanceWrite(Role::kTeacher, Absent(AbsenceReason::kIllness), AdminDecided(), false);
  EXPECT_EQ(v.rule, own_rule::kDecisionOwner);
}

// A teacher may correct the facts and keep the decision as it is.
TEST(OwnershipTest, ATeacherMayChangeTheFactsUnderAnAdminsDecision) {
  Attendance corrected = AdminDecided();
  corrected.reason = AbsenceReason::kFuneral;
  EXPECT_TRUE(CheckAttendanceWrite(Role::kTeacher, AdminDecided(), corrected, false).ok());
  EXPECT_TRUE(CheckAttendanceWrite(Role::kTeacher, std::nullopt, Present(), false).ok());
}

// The note: "Daar waar het asielstatushouders betreft, is de gemeente
// verantwoordelijk om te bepalen of er sprake is van geoorloofd of
// ongeoorloofd verzuim" — a school replica cannot set it.
TEST(OwnershipTest, TheSchoolCannotClassifyAWi2021AsylumPermitHoldersAbsence) {
  ASSERT_TRUE(GemeenteIsResponsible(AsylumB1()));
  const auto v = CheckAttendanceWrite(Role::kAdmin, Absent(AbsenceReason::kIllness), AdminDecided(),
                                      GemeenteIsResponsible(AsylumB1()));
  EXPECT_EQ(v.rule, own_rule::kGemeenteClassifies);
  // Under Wi2013 the school classifies for everyone (an inference, see
  // classification_test.cc).
  EXPECT_TRUE(CheckAttendanceWrite(Role::kAdmin, Absent(AbsenceReason::kIllness), AdminDecided(),
                                   GemeenteIsResponsible(AsylumWi2013()))
                  .ok());
}

// The note: "Als het gaat om gezins- en overige migranten dan is de enige
// partij die kan beoordelen ... de taalschool."
TEST(OwnershipTest, TheGemeenteCannotClassifyAFamilyMigrantsAbsence) {
  const Attendance facts = Absent(AbsenceReason::kOther);
  const auto v = CheckAttendanceWrite(Role::kGemeente, facts,
                                      Decided(facts, Classification::kExcused, Role::kGemeente),
                                      GemeenteIsResponsible(FamilyB1()));
  EXPECT_EQ(v.rule, own_rule::kSchoolClassifies);
}

TEST(OwnershipTest, TheGemeenteClassifiesAWi2021AsylumPermitHoldersAbsence) {
  const Attendance facts = Absent(AbsenceReason::kOther);
  const Attendance decided = Decided(facts, Classification::kExcused, Role::kGemeente);
  EXPECT_TRUE(
      CheckAttendanceWrite(Role::kGemeente, facts, decided, GemeenteIsResponsible(AsylumB1()))
          .ok());
  // The learner not known here: only the party rule is checked.
  EXPECT_TRUE(CheckAttendanceWrite(Role::kGemeente, facts, decided, std::nullopt).ok());
  // And it may change its own decision.
  EXPECT_TRUE(CheckAttendanceWrite(Role::kGemeente, decided,
                                   Decided(facts, Classification::kUnexcused, Role::kGemeente),
                                   true)
                  .ok());
}

// docs/rules.md, O.facts-owner: an entry from the hub or an authority that
// changes the facts is refused.
TEST(OwnershipTest, TheGemeenteCannotChangeTheFacts) {
  const Attendance facts = Absent(AbsenceReason::kOther);
  Attendance changed = Decided(facts, Classification::kExcused, Role::kGemeente);
  changed.reason = AbsenceReason::kIllness;
  const auto v = CheckAttendanceWrite(Role::kGemeente, facts, changed, true);
  EXPECT_EQ(v.rule, own_rule::kFactsOwner);
  Attendance more_minutes = Decided(Partial(60), Classification::kExcused, Role::kGemeente);
  EXPECT_EQ(CheckAttendanceWrite(Role::kGemeente, Partial(30), more_minutes, true).rule,
            own_rule::kFactsOwner);
  // Nor start a record: it has no facts of its own to record.
  EXPECT_EQ(CheckAttendanceWrite(Role::kGemeente, std::nullopt, facts, true).rule,
            own_rule::kFactsOwner);
  EXPECT_EQ(CheckAttendanceWrite(Role::kDuo, std::nullopt, facts, std::nullopt).rule,
            own_rule::kFactsOwner);
}

TEST(OwnershipTest, TheAdminMayDecideChangeAndRemoveItsOwnDecision) {
  const Attendance facts = Absent(AbsenceReason::kIllness);
  EXPECT_TRUE(CheckAttendanceWrite(Role::kAdmin, facts, AdminDecided(), false).ok());
  EXPECT_TRUE(CheckAttendanceWrite(Role::kAdmin, AdminDecided(),
                                   AdminDecided(Classification::kUnexcused), false)
                  .ok());
  EXPECT_TRUE(CheckAttendanceWrite(Role::kAdmin, AdminDecided(), facts, false).ok());
  EXPECT_TRUE(CheckAttendanceWrite(Role::kAdmin, std::nullopt, AdminDecided(), std::nullopt).ok());
}

TEST(OwnershipTest, AnAdminCannotRemoveTheGemeentesDecision) {
  const Attendance gemeente_decided =
      Decided(Absent(AbsenceReason::kOther), Classification::kUnexcused, Role::kGemeente);
  const auto v =
      CheckAttendanceWrite(Role::kAdmin, gemeente_decided, Absent(AbsenceReason::kOther), true);
  EXPECT_EQ(v.rule, own_rule::kDecisionOwner);
}

}  // namespace merge_test
}  // namespace presentie
