// Hours (R5), the hour norms (R3) and substantial effort (R4).
#include "core/hours.h"

#include <gtest/gtest.h>

#include <vector>

#include "fixtures.h"

namespace presentie {
namespace hours_test {

using namespace presentie::testing;  // NOLINT: test fixtures

LessonLine Line(Component c, std::optional<Attendance> a, int duration = kLesson) {
  LessonLine line;
  line.component = c;
  line.duration_minutes = duration;
  line.attendance = std::move(a);
  return line;
}

// `hours` full on-site lessons of 60 minutes of component c.
void AddHours(std::vector<LessonLine>& lines, Component c, int hours) {
  for (int i = 0; i < hours; ++i) lines.push_back(Line(c, Present(60), 60));
}

// --- Summarize: partial attendance and R5 ---------------------------------

// R5 and R2's partial attendance (docs/rules.md): a learner there for part of a
// lesson attended those minutes; the rest is an absence, classified by R2.
TEST(SummarizeTest, PartialAttendanceCountsItsMinutesAndClassifiesTheRest) {
  const std::vector<LessonLine> lines = {
      Line(Component::kNt2, Partial(120, AbsenceReason::kIllness)),  // 60 excused
      Line(Component::kNt2, Partial(150, AbsenceReason::kOther)),    // 30 unexcused
      Line(Component::kNt2, Partial(170)),                           // 10 pending
  };
  const HoursSummary s = Summarize(FamilyB1(), lines);
  const ComponentMinutes& nt2 = s.of(Component::kNt2);
  EXPECT_EQ(nt2.attended, 120 + 150 + 170);
  EXPECT_EQ(nt2.excused_absent, 60);
  EXPECT_EQ(nt2.unexcused_absent, 30);
  EXPECT_EQ(nt2.pending_absent, 10);
  EXPECT_EQ(nt2.lessons, 3);
  EXPECT_EQ(nt2.remote, 0);
  EXPECT_EQ(s.of(Component::kKnm), ComponentMinutes{});
}

// R5 (docs/rules.md): "Only time the learner was present at the school counts
// toward attended hours and the norms. Remote or e-learning time is recorded
// and shown apart, but never counts."
TEST(SummarizeTest, RemoteTimeIsRecordedButDoesNotCount) {
  Attendance remote_part = Partial(90);
  remote_part.mode = Mode::kRemote;
  remote_part.reason = AbsenceReason::kWedding;
  const std::vector<LessonLine> lines = {
      Line(Component::kNt2, Present(kLesson, Mode::kRemote)),
      Line(Component::kNt2, remote_part),
      Line(Component::kNt2, Present()),
  };
  const HoursSummary s = Summarize(FamilyB1(), lines);
  EXPECT_EQ(s.of(Component::kNt2).attended, kLesson);
  EXPECT_EQ(s.of(Component::kNt2).remote, kLesson + 90);
  EXPECT_EQ(s.of(Component::kNt2).excused_absent, 90);

  // And remote minutes never reach a norm, however many there are.
  std::vector<LessonLine> all_remote;
  for (int i = 0; i < 700; ++i)
    all_remote.push_back(Line(Component::kNt2, Present(60, Mode::kRemote), 60));
  const auto verdicts = EvaluateNorms(FamilyB1(), Summarize(FamilyB1(), all_remote));
  EXPECT_EQ(verdicts[0].counted_minutes, 0);
  EXPECT_FALSE(verdicts[0].met);
}

TEST(SummarizeTest, UnrecordedLessonsAndTotals) {
  const std::vector<LessonLine> lines = {
      Line(Component::kNt2, std::nullopt),
      Line(Component::kKnm, Absent(AbsenceReason::kNone, /*notice=*/true), 120),
      Line(Component::kLiteracy, Present(90), 90),
  };
  const HoursSummary s = Summarize(FamilyB1(), lines);
  EXPECT_EQ(s.of(Component::kNt2).unrecorded, 1);
  EXPECT_EQ(s.of(Component::kNt2).attended, 0);
  EXPECT_EQ(s.of(Component::kKnm).excused_absent, 120);
  EXPECT_EQ(s.of(Component::kLiteracy).attended, 90);
  const ComponentMinutes t = s.total();
  EXPECT_EQ(t.lessons, 3);
  EXPECT_EQ(t.unrecorded, 1);
  EXPECT_EQ(t.attended, 90);
  EXPECT_EQ(t.excused_absent, 120);
  EXPECT_EQ(t.disputed, 0) << "no line is disputed";
}

// docs/rules.md, "When entries disagree: the merge rules": siblings that
// disagree on presence open a conflict; until an admin resolves it the lesson's
// minutes are disputed. The counts stay those of the shown value; `disputed`
// says how many minutes are in doubt.
TEST(SummarizeTest, DisputedLinesAddTheirWholeDurationBesideTheShownCounts) {
  LessonLine shown_present = Line(Component::kNt2, Present());
  shown_present.disputed = true;  // another version says absent
  LessonLine shown_partial = Line(Component::kKnm, Partial(30, AbsenceReason::kIllness), 60);
  shown_partial.disputed = true;  // another version says 45 minutes
  LessonLine settled = Line(Component::kNt2, Absent(AbsenceReason::kOther));
  const std::vector<LessonLine> lines = {shown_present, shown_partial, settled};

  const HoursSummary s = Summarize(FamilyB1(), lines);
  const ComponentMinutes& nt2 = s.of(Component::kNt2);
  EXPECT_EQ(nt2.disputed, kLesson);
  EXPECT_EQ(nt2.attended, kLesson) << "the shown value still counts";
  EXPECT_EQ(nt2.unexcused_absent, kLesson);
  EXPECT_EQ(nt2.lessons, 2);
  const ComponentMinutes& knm = s.of(Component::kKnm);
  EXPECT_EQ(knm.disputed, 60) << "the lesson's duration, not the missed part";
  EXPECT_EQ(knm.attended, 30);
  EXPECT_EQ(knm.excused_absent, 30);
  EXPECT_EQ(s.total().disputed, kLesson + 60);

  // The same lines, settled: nothing disputed, every other count the same.
  std::vector<LessonLine> resolved = lines;
  for (LessonLine& l : resolved) l.disputed = false;
  const HoursSummary r = Summarize(FamilyB1(), resolved);
  ComponentMinutes expected = nt2;
  expected.disputed = 0;
  EXPECT_EQ(r.of(Component::kNt2), expected);
  EXPECT_EQ(r.total().disputed, 0);
}

// A Wi2021 asylum permit holder's absence is summarised with the gemeente's
// decision once there is one (R2: the gemeente decides).
TEST(SummarizeTest, UsesTheGemeenteDecisionForAsylumPermitHolders) {
  const std::vector<LessonLine> lines = {
      Line(Component::kNt2,
           Decided(Absent(AbsenceReason::kOther), Classification::kExcused, Role::kGemeente))};
  EXPECT_EQ(Summarize(AsylumB1(), lines).of(Component::kNt2).excused_absent, kLesson);
  EXPECT_EQ(Summarize(FamilyB1(), lines).of(Component::kNt2).unexcused_absent, kLesson);
}

// --- WholeHours: the one rounding rule ------------------------------------

// R5 (docs/rules.md): minutes are converted once, at the edge, by one rule:
// "round down to the completed hour".
TEST(WholeHoursTest, RoundsDownToCompletedHours) {
  EXPECT_EQ(WholeHours(0), 0);
  EXPECT_EQ(WholeHours(59), 0);
  EXPECT_EQ(WholeHours(60), 1);
  EXPECT_EQ(WholeHours(119), 1);
  EXPECT_EQ(WholeHours(600 * 60 - 1), 599);
  EXPECT_EQ(WholeHours(9999 * 60 + 59), 9999);
}

// --- R3 ------------------------------------------------------------------

// The note's '… en gemeenten': "te kunnen beoordelen of er kan worden
// afgeschaald naar niveau A2 in de B1-route (600 uur Nt2, inclusief
// alfabetisering)".
TEST(NormsTest, B1DownscaleAt599h59And600h) {
  std::vector<LessonLine> lines;
  AddHours(lines, Component::kNt2, 599);
  lines.push_back(Line(Component::kNt2, Partial(59, AbsenceReason::kIllness), 60));
  auto v = EvaluateNorms(FamilyB1(), Summarize(FamilyB1(), lines));
  EXPECT_EQ(v[0].norm, norm::kB1DownscaleA2);
  EXPECT_TRUE(v[0].applies);
  EXPECT_EQ(v[0].counted_minutes, 599 * 60 + 59);
  EXPECT_EQ(v[0].norm_minutes, 600 * 60);
  EXPECT_FALSE(v[0].met) << "599 h 59 min is not 600 h";

  lines.back() = Line(Component::kNt2, Present(60), 60);
  v = EvaluateNorms(FamilyB1(), Summarize(FamilyB1(), lines));
  EXPECT_EQ(v[0].counted_minutes, 600 * 60);
  EXPECT_TRUE(v[0].met);
  EXPECT_FALSE(v[1].applies) << "the Z-route norm is not a B1-route learner's";
}

// The note's '… en gemeenten': "(600 uur Nt2, inclusief alfabetisering)" —
// literacy counts, KNM does not.
TEST(NormsTest, B1DownscaleCountsNt2AndLiteracyNotKnm) {
  std::vector<LessonLine> with_knm;
  AddHours(with_knm, Component::kNt2, 540);
  AddHours(with_knm, Component::kKnm, 60);
  auto v = EvaluateNorms(FamilyB1(), Summarize(FamilyB1(), with_knm));
  EXPECT_EQ(v[0].counted_minutes, 540 * 60);
  EXPECT_FALSE(v[0].met);

  std::vector<LessonLine> with_literacy;
  AddHours(with_literacy, Component::kNt2, 540);
  AddHours(with_literacy, Component::kLiteracy, 60);
  v = EvaluateNorms(FamilyB1(), Summarize(FamilyB1(), with_literacy));
  EXPECT_EQ(v[0].counted_minutes, 600 * 60);
  EXPECT_TRUE(v[0].met);

  EXPECT_TRUE(CountsToward(norm::kB1DownscaleA2, Component::kNt2));
  EXPECT_TRUE(CountsToward(norm::kB1DownscaleA2, Component::kLiteracy));
  EXPECT_FALSE(CountsToward(norm::kB1DownscaleA2, Component::kKnm));
}

// The note's '… en gemeenten': "of een inburgeringsplichtige die de Z-route
// volgt, heeft voldaan aan de urennorm die in deze route geldt (800 uur
// Nt2/KNM, inclusief alfabetisering)".
TEST(NormsTest, ZRouteAt800HoursCountsAllThreeComponents) {
  const Learner z = MakeLearner(Category::kFamilyMigrant, Regime::kWi2021, Route::kZ);
  std::vector<LessonLine> lines;
  AddHours(lines, Component::kNt2, 500);
  AddHours(lines, Component::kKnm, 200);
  AddHours(lines, Component::kLiteracy, 99);
  lines.push_back(Line(Component::kLiteracy, Partial(59), 60));
  auto v = EvaluateNorms(z, Summarize(z, lines));
  EXPECT_EQ(v[1].norm, norm::kZRoute);
  EXPECT_TRUE(v[1].applies);
  EXPECT_FALSE(v[0].applies);
  EXPECT_EQ(v[1].counted_minutes, 800 * 60 - 1);
  EXPECT_FALSE(v[1].met);

  lines.back() = Line(Component::kLiteracy, Present(60), 60);
  v = EvaluateNorms(z, Summarize(z, lines));
  EXPECT_EQ(v[1].counted_minutes, 800 * 60);
  EXPECT_TRUE(v[1].met);
  // The same hours measured against the B1 norm leave KNM out.
  EXPECT_EQ(v[0].counted_minutes, 600 * 60);

  for (Component c : {Component::kNt2, Component::kKnm, Component::kLiteracy}) {
    EXPECT_TRUE(CountsToward(norm::kZRoute, c));
  }
  EXPECT_FALSE(CountsToward("R3.unknown", Component::kNt2));
}

// The note's '… en gemeenten', NB: "dient deze ook 800 uur te besteden aan
// activiteiten gericht op zelfredzaamheid, activering en participatie. Deze
// uren vallen buiten de 'deelgenomen uren'" — and excused absence is not
// attendance either: only attended minutes count.
TEST(NormsTest, OnlyAttendedMinutesCount) {
  HoursSummary s;
  s.by_component[static_cast<int>(Component::kNt2)].attended = 500 * 60;
  s.by_component[static_cast<int>(Component::kNt2)].excused_absent = 100 * 60;
  s.by_component[static_cast<int>(Component::kNt2)].remote = 100 * 60;
  const auto v = EvaluateNorms(FamilyB1(), s);
  EXPECT_EQ(v[0].counted_minutes, 500 * 60);
  EXPECT_FALSE(v[0].met);
}

// Norms follow the route (the note's '… en gemeenten' names the B1-route and
// the Z-route only).
TEST(NormsTest, WhichNormApplies) {
  const HoursSummary empty;
  const auto o = EvaluateNorms(
      MakeLearner(Category::kFamilyMigrant, Regime::kWi2021, Route::kEducation), empty);
  EXPECT_FALSE(o[0].applies);
  EXPECT_FALSE(o[1].applies);
  const auto wi2013 = EvaluateNorms(FamilyWi2013(), empty);
  EXPECT_FALSE(wi2013[0].applies);
  EXPECT_FALSE(wi2013[1].applies);
  const auto asylum = EvaluateNorms(AsylumB1(), empty);
  EXPECT_TRUE(asylum[0].applies);
}

// --- R4 ------------------------------------------------------------------

// The note's '… en DUO': "dat dit alleen mogelijk is als een
// inburgeringsplichtige die de B1-route volgt alle taallessen en cursusuren KNM
// heeft gevolgd, met uitzondering van afwezigheid van geoorloofd verzuim".
TEST(EffortTest, EveryLessonFollowedQualifies) {
  std::vector<LessonLine> lines;
  AddHours(lines, Component::kNt2, 10);
  AddHours(lines, Component::kKnm, 3);
  AddHours(lines, Component::kLiteracy, 3);
  const auto r = SubstantialEffort(FamilyB1(), lines);
  EXPECT_EQ(r.verdict, EffortVerdict::kQualifies);
  EXPECT_EQ(r.unexcused_lessons, 0);
}

// The note's '… en DUO' (same sentence): excused absences aside.
TEST(EffortTest, ExcusedAbsencesAreAside) {
  std::vector<LessonLine> lines;
  AddHours(lines, Component::kNt2, 10);
  lines.push_back(Line(Component::kNt2, Absent(AbsenceReason::kIllness)));
  lines.push_back(Line(Component::kKnm, Absent(AbsenceReason::kNone, /*notice=*/true)));
  lines.push_back(Line(Component::kNt2, Absent(AbsenceReason::kDoubtful)));
  EXPECT_EQ(SubstantialEffort(FamilyB1(), lines).verdict, EffortVerdict::kQualifies);
}

// The note's 'Geoorloofd en ongeoorloofd verzuim': "komt een
// inburgeringsplichtige alleen voor deze verlengingsmogelijkheid in aanmerking
// als hij/zij alle taallessen en cursussen KNM heeft gevolgd" — one unexcused
// absence is enough to fail.
TEST(EffortTest, OneUnexcusedAbsenceDisqualifies) {
  std::vector<LessonLine> lines;
  AddHours(lines, Component::kNt2, 100);
  lines.push_back(Line(Component::kKnm, Absent(AbsenceReason::kOther)));
  const auto r = SubstantialEffort(FamilyB1(), lines);
  EXPECT_EQ(r.verdict, EffortVerdict::kDoesNotQualify);
  EXPECT_EQ(r.unexcused_lessons, 1);
}

// The note (same sentence): leaving a lesson early without an excuse is not
// having followed it.
TEST(EffortTest, AnUnexcusedPartialAbsenceDisqualifies) {
  std::vector<LessonLine> lines;
  AddHours(lines, Component::kNt2, 20);
  lines.push_back(Line(Component::kLiteracy, Partial(170, AbsenceReason::kOther)));
  EXPECT_EQ(SubstantialEffort(FamilyB1(), lines).verdict, EffortVerdict::kDoesNotQualify);
  // The same partial absence for illness does not.
  lines.back() = Line(Component::kLiteracy, Partial(170, AbsenceReason::kIllness));
  EXPECT_EQ(SubstantialEffort(FamilyB1(), lines).verdict, EffortVerdict::kQualifies);
}

// The note's 'Geoorloofd en ongeoorloofd verzuim' (the school asks for the
// reason first): until then the verdict is open, unless an unexcused absence
// already decides it.
TEST(EffortTest, PendingOrUnrecordedIsUndetermined) {
  std::vector<LessonLine> lines;
  AddHours(lines, Component::kNt2, 5);
  lines.push_back(Line(Component::kNt2, Absent()));
  auto r = SubstantialEffort(FamilyB1(), lines);
  EXPECT_EQ(r.verdict, EffortVerdict::kUndetermined);
  EXPECT_EQ(r.pending_lessons, 1);

  lines.back() = Line(Component::kKnm, std::nullopt);
  r = SubstantialEffort(FamilyB1(), lines);
  EXPECT_EQ(r.verdict, EffortVerdict::kUndetermined);
  EXPECT_EQ(r.unrecorded_lessons, 1);

  lines.push_back(Line(Component::kNt2, Absent(AbsenceReason::kOther)));
  r = SubstantialEffort(FamilyB1(), lines);
  EXPECT_EQ(r.verdict, EffortVerdict::kDoesNotQualify);
  EXPECT_EQ(r.unrecorded_lessons, 1);
  EXPECT_EQ(r.unexcused_lessons, 1);
}

// Remote presence counts as a followed lesson for R4 (an inference: R5 keeps
// it out of the hours only; docs/rules.md).
TEST(EffortTest, RemotePresenceIsAFollowedLesson) {
  const std::vector<LessonLine> lines = {Line(Component::kNt2, Present(kLesson, Mode::kRemote))};
  EXPECT_EQ(SubstantialEffort(FamilyB1(), lines).verdict, EffortVerdict::kQualifies);
}

// The note's 'Geoorloofd en ongeoorloofd verzuim': "(bijvoorbeeld dat de
// inburgeringsplichtige de B1-route volgt ...)" — other routes and Wi2013
// learners are not assessed.
TEST(EffortTest, OnlyTheB1RouteUnderWi2021) {
  const std::vector<LessonLine> lines = {Line(Component::kNt2, Absent(AbsenceReason::kOther))};
  for (const Learner& l :
       {MakeLearner(Category::kFamilyMigrant, Regime::kWi2021, Route::kZ),
        MakeLearner(Category::kFamilyMigrant, Regime::kWi2021, Route::kEducation), FamilyWi2013(),
        AsylumWi2013()}) {
    EXPECT_EQ(SubstantialEffort(l, lines).verdict, EffortVerdict::kNotApplicable);
  }
  EXPECT_EQ(SubstantialEffort(AsylumB1(), lines).verdict, EffortVerdict::kDoesNotQualify);
}

// The note's 'Geoorloofd en ongeoorloofd verzuim': for asylum permit holders
// "De gemeente geeft dit vervolgens door aan DUO": its decision is the one R4
// uses.
TEST(EffortTest, GemeenteDecisionCountsForAsylumPermitHolders) {
  const std::vector<LessonLine> lines = {
      Line(Component::kNt2,
           Decided(Absent(AbsenceReason::kOther), Classification::kExcused, Role::kGemeente))};
  EXPECT_EQ(SubstantialEffort(AsylumB1(), lines).verdict, EffortVerdict::kQualifies);
}

TEST(EffortTest, VerdictNames) {
  EXPECT_EQ(ToString(EffortVerdict::kNotApplicable), "n/a");
  EXPECT_EQ(ToString(EffortVerdict::kDoesNotQualify), "does_not_qualify");
  EXPECT_EQ(ToString(EffortVerdict::kUndetermined), "undetermined");
}

}  // namespace hours_test
}  // namespace presentie
