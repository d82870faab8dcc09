// R2 (docs/rules.md): geoorloofd en ongeoorloofd verzuim. Each test quotes the
// sentence of the note it checks, from its section 'Geoorloofd en ongeoorloofd
// verzuim' unless it names another.
#include "core/classification.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace presentie {
namespace classification_test {

using namespace presentie::testing;  // NOLINT: test fixtures

// A full presence is not an absence: nothing to classify.
TEST(ClassifyTest, FullPresenceIsNotAnAbsence) {
  const auto r = Classify(FamilyB1(), Present());
  EXPECT_EQ(r.value, Classification::kNotApplicable);
  EXPECT_EQ(r.rule, rule::kPresent);
  // Remote presence is a presence too; R5 only keeps it out of the hours.
  EXPECT_EQ(Classify(FamilyB1(), Present(kLesson, Mode::kRemote)).rule, rule::kPresent);
}

// The note: "als een gezins- of overige migrant zich vooraf afmeldt voor een
// les, dan is er sprake van geoorloofd verzuim;"
TEST(ClassifyTest, NoticeInAdvanceIsExcused) {
  for (const Learner& l : {FamilyB1(), OtherB1()}) {
    const auto r = Classify(l, Absent(AbsenceReason::kNone, /*notice=*/true));
    EXPECT_EQ(r.value, Classification::kExcused);
    EXPECT_EQ(r.rule, rule::kNotice);
    EXPECT_EQ(r.authority, Role::kAdmin);
    EXPECT_FALSE(r.advisory);
  }
}

// The note: the notice alone decides ("vooraf afmeldt ... dan is er sprake van
// geoorloofd verzuim"); the reason is only asked when there was no notice.
TEST(ClassifyTest, NoticeWinsOverAnOtherReason) {
  const auto r = Classify(FamilyB1(), Absent(AbsenceReason::kOther, /*notice=*/true));
  EXPECT_EQ(r.value, Classification::kExcused);
  EXPECT_EQ(r.rule, rule::kNotice);
}

// The note: "Als de inburgeraar aangeeft dat hij ziek was, bij een huwelijk,
// een begrafenis of religieuze feestdag, dan is er sprake van geoorloofd
// verzuim."
class ExcusedReasonTest : public ::testing::TestWithParam<AbsenceReason> {};

TEST_P(ExcusedReasonTest, ReasonWithoutNoticeIsExcused) {
  const auto r = Classify(FamilyB1(), Absent(GetParam()));
  EXPECT_EQ(r.value, Classification::kExcused) << ToString(GetParam());
  EXPECT_EQ(r.rule, rule::kExcusedReason) << ToString(GetParam());
  EXPECT_FALSE(r.advisory);
}

INSTANTIATE_TEST_SUITE_P(
    SeedParagraph5, ExcusedReasonTest,
    ::testing::Values(AbsenceReason::kIllness,            // ziek
                      AbsenceReason::kWedding,            // huwelijk
                      AbsenceReason::kFuneral,            // begrafenis
                      AbsenceReason::kReligiousHoliday),  // religieuze feestdag
    [](const auto& p) { return std::string(ToString(p.param)); });

// The note: "Bij andere redenen in principe niet."
TEST(ClassifyTest, AnotherReasonIsUnexcused) {
  const auto r = Classify(FamilyB1(), Absent(AbsenceReason::kOther));
  EXPECT_EQ(r.value, Classification::kUnexcused);
  EXPECT_EQ(r.rule, rule::kOtherReason);
}

// The note: "Bij twijfel wordt de inburgeraar het voordeel van de twijfel
// gegeven (geoorloofd verzuim)."
TEST(ClassifyTest, DoubtGivesTheBenefitOfTheDoubt) {
  const auto r = Classify(FamilyB1(), Absent(AbsenceReason::kDoubtful));
  EXPECT_EQ(r.value, Classification::kExcused);
  EXPECT_EQ(r.rule, rule::kBenefitOfDoubt);
}

// The note: "dan vraagt de taalschool (mondeling) naar de reden voor het niet
// verschijnen" — until it has asked, the absence is neither (an inference:
// docs/rules.md).
TEST(ClassifyTest, NoNoticeAndNoReasonYetIsPending) {
  const auto r = Classify(FamilyB1(), Absent());
  EXPECT_EQ(r.value, Classification::kPending);
  EXPECT_EQ(r.rule, rule::kNoReasonYet);
}

// R2 in docs/rules.md and classification.h: "A partial attendance classifies its
// missed minutes by the same rules."
TEST(ClassifyTest, PartialAttendanceIsClassifiedLikeAnAbsence) {
  EXPECT_EQ(Classify(FamilyB1(), Partial(120)).value, Classification::kPending);
  EXPECT_EQ(Classify(FamilyB1(), Partial(120, AbsenceReason::kOther)).value,
            Classification::kUnexcused);
  const auto ill = Classify(FamilyB1(), Partial(60, AbsenceReason::kIllness));
  EXPECT_EQ(ill.value, Classification::kExcused);
  EXPECT_EQ(ill.rule, rule::kExcusedReason);
}

// The note: "Als het gaat om gezins- en overige migranten dan is de enige
// partij die kan beoordelen of er sprake is van geoorloofd of ongeoorloofd
// verzuim (behalve de inburgeraar zelf) de taalschool." The admin's decision
// is the school's and wins over the working method.
TEST(ClassifyTest, AdminDecisionWinsForFamilyMigrants) {
  const auto r = Classify(FamilyB1(), Decided(Absent(AbsenceReason::kIllness),
                                              Classification::kUnexcused, Role::kAdmin));
  EXPECT_EQ(r.value, Classification::kUnexcused);
  EXPECT_EQ(r.rule, rule::kAdminDecision);
  EXPECT_EQ(r.authority, Role::kAdmin);
  EXPECT_FALSE(r.advisory);
}

// The note (same sentence): the gemeente has no say on a family migrant's
// absence; its "decision" is ignored and the school's rules apply.
TEST(ClassifyTest, GemeenteDecisionOnFamilyMigrantIsIgnored) {
  const auto r = Classify(FamilyB1(), Decided(Absent(AbsenceReason::kOther),
                                              Classification::kExcused, Role::kGemeente));
  EXPECT_EQ(r.value, Classification::kUnexcused);
  EXPECT_EQ(r.rule, rule::kOtherReason);
  EXPECT_EQ(r.authority, Role::kAdmin);
}

// The note: "Daar waar het asielstatushouders betreft, is de gemeente
// verantwoordelijk om te bepalen of er sprake is van geoorloofd of
// ongeoorloofd verzuim" — the school's own classification is advice.
TEST(ClassifyTest, AsylumWi2021SchoolViewIsAdvisory) {
  const auto r = Classify(AsylumB1(), Absent(AbsenceReason::kOther));
  EXPECT_EQ(r.value, Classification::kUnexcused);
  EXPECT_EQ(r.rule, rule::kOtherReason);
  EXPECT_EQ(r.authority, Role::kGemeente);
  EXPECT_TRUE(r.advisory);

  const auto notice = Classify(AsylumB1(), Absent(AbsenceReason::kNone, true));
  EXPECT_EQ(notice.value, Classification::kExcused);
  EXPECT_TRUE(notice.advisory);
}

// The note: "... maar zal ... hier een eigen afweging in dienen te maken." The
// gemeente's decision overrides what the school's rules would say.
TEST(ClassifyTest, AsylumWi2021GemeenteDecisionDecides) {
  const auto r = Classify(AsylumB1(), Decided(Absent(AbsenceReason::kOther),
                                              Classification::kExcused, Role::kGemeente));
  EXPECT_EQ(r.value, Classification::kExcused);
  EXPECT_EQ(r.rule, rule::kGemeenteDecision);
  EXPECT_EQ(r.authority, Role::kGemeente);
  EXPECT_FALSE(r.advisory);

  const auto strict = Classify(AsylumB1(), Decided(Absent(AbsenceReason::kIllness),
                                                   Classification::kUnexcused, Role::kGemeente));
  EXPECT_EQ(strict.value, Classification::kUnexcused);
  EXPECT_EQ(strict.rule, rule::kGemeenteDecision);
}

// The note (the gemeente decides): even the school admin's decision on a
// Wi2021 asylum permit holder is only the school's advice.
TEST(ClassifyTest, AsylumWi2021AdminDecisionIsAdvice) {
  const auto r = Classify(
      AsylumB1(), Decided(Absent(AbsenceReason::kOther), Classification::kExcused, Role::kAdmin));
  EXPECT_EQ(r.value, Classification::kExcused);
  EXPECT_EQ(r.rule, rule::kAdminDecision);
  EXPECT_EQ(r.authority, Role::kGemeente);
  EXPECT_TRUE(r.advisory);
}

// The note's '… en DUO': "leningen aan gezins- en overige migranten (en
// asielstatushouders die onder de Wi2013 vallen)"; its 'Algemeen', footnote 4:
// the Wi2013 keeps applying to them. The gemeente's classifying role is
// Wi2021's, so the school classifies a Wi2013 asylum permit holder as it does a
// family migrant (an inference).
TEST(ClassifyTest, Wi2013AsylumPermitHolderIsClassifiedByTheSchool) {
  const auto r = Classify(AsylumWi2013(), Absent(AbsenceReason::kOther));
  EXPECT_EQ(r.value, Classification::kUnexcused);
  EXPECT_EQ(r.authority, Role::kAdmin);
  EXPECT_FALSE(r.advisory);

  const auto gemeente =
      Classify(AsylumWi2013(),
               Decided(Absent(AbsenceReason::kOther), Classification::kExcused, Role::kGemeente));
  EXPECT_EQ(gemeente.rule, rule::kOtherReason)
      << "a gemeente decision has no standing under Wi2013";

  const auto admin = Classify(AsylumWi2013(), Decided(Absent(AbsenceReason::kOther),
                                                      Classification::kExcused, Role::kAdmin));
  EXPECT_EQ(admin.rule, rule::kAdminDecision);
  EXPECT_FALSE(admin.advisory);
}

// The note's 'Algemeen', footnote 4: "de Wi2013 van toepassing blijft op
// personen op wie deze wet vóór 1 januari 2022 van toepassing was" — the same
// rules of R2 for them.
TEST(ClassifyTest, Wi2013FamilyMigrantFollowsTheSameRules) {
  EXPECT_EQ(Classify(FamilyWi2013(), Absent(AbsenceReason::kFuneral)).rule, rule::kExcusedReason);
  EXPECT_EQ(Classify(FamilyWi2013(), Absent(AbsenceReason::kOther)).value,
            Classification::kUnexcused);
  EXPECT_EQ(Classify(FamilyWi2013(), Absent()).authority, Role::kAdmin);
}

// Only the admin and (for its learners) the gemeente decide: a "decision"
// by a teacher, or one that is not excused/unexcused, is passed over.
TEST(ClassifyTest, DecisionsWithoutStandingArePassedOver) {
  const auto teacher = Classify(
      FamilyB1(), Decided(Absent(AbsenceReason::kOther), Classification::kExcused, Role::kTeacher));
  EXPECT_EQ(teacher.rule, rule::kOtherReason);
  const auto pending = Classify(
      FamilyB1(), Decided(Absent(AbsenceReason::kIllness), Classification::kPending, Role::kAdmin));
  EXPECT_EQ(pending.rule, rule::kExcusedReason);
}

}  // namespace classification_test
}  // namespace presentie
