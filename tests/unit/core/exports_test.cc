// The authorities' files (core/authorities/; docs/exports.md): who is in which
// file is R1's (the note's 'Deelgenomen uren', NB), hours are on-site minutes
// only (R5), rounded once, and DUO's file is the current year's cumulative
// total (duo.nl, "uitwisselen contractgegevens").
#include "core/authorities.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tuple>

#include "core/ids.h"
#include "core/ownership.h"
#include "core/routing.h"
#include "tests/unit/core/fixtures.h"

namespace presentie::exports {
namespace exports_test {

using namespace presentie::testing;  // NOLINT: test fixtures
using ::testing::HasSubstr;
using ::testing::Not;

constexpr Date kAsOf{2026, 11, 30};

LessonLine Line(std::string course, Date day, std::optional<Attendance> a,
                Component c = Component::kNt2, int duration = kLesson) {
  LessonLine line;
  line.component = c;
  line.duration_minutes = duration;
  line.attendance = std::move(a);
  line.course_id = std::move(course);
  line.start = DateTime{day, 9, 0};
  return line;
}

DuoCourse MakeCourse(std::string id, Component c = Component::kNt2, Route route = Route::kB1,
                     Regime regime = Regime::kWi2021) {
  DuoCourse dc;
  dc.course.id = std::move(id);
  dc.course.name = "course";
  dc.course.component = c;
  dc.course.route = route;
  dc.course.regime = regime;
  dc.course.hours_purchased = 400;
  dc.first_lesson = Date{2026, 1, 5};
  dc.last_lesson = Date{2026, 12, 18};
  return dc;
}

TEST(DuoFileTest, NameDropsLeadingZerosAndUsesTheDate) {
  // duo.nl: "<BOW-nummer>Aanlevering<Aanleveringdatum>.csv", e.g.
  // 123456Aanlevering20150101.csv; leading zeros of the BoW number dropped.
  EXPECT_EQ(DuoFileName("123456", Date{2015, 1, 1}).value(), "123456Aanlevering20150101.csv");
  EXPECT_EQ(DuoFileName("000789", kAsOf).value(), "789Aanlevering20261130.csv");
  EXPECT_FALSE(DuoFileName("0000", kAsOf).ok());
  EXPECT_FALSE(DuoFileName("12A", kAsOf).ok());
  EXPECT_FALSE(DuoFileName("", kAsOf).ok());
}

TEST(DuoFileTest, CourseTypes) {
  EXPECT_EQ(DuoCourseTypeOf(MakeCourse("a", Component::kLiteracy).course),
            DuoCourseType::kLiteracy);
  EXPECT_EQ(DuoCourseTypeOf(MakeCourse("b", Component::kNt2, Route::kEducation).course),
            DuoCourseType::kNt2);
  EXPECT_EQ(DuoCourseTypeOf(MakeCourse("c", Component::kNt2, Route::kB1).course),
            DuoCourseType::kIntegration);
  EXPECT_EQ(DuoCourseTypeOf(MakeCourse("d", Component::kKnm, Route::kZ).course),
            DuoCourseType::kIntegration);
  EXPECT_EQ(DuoCourseTypeOf(MakeCourse("e", Component::kNt2, Route::kNone, Regime::kWi2013).course),
            DuoCourseType::kIntegration);
  EXPECT_EQ(ToString(DuoCourseType::kNt2), "NT2-cursus");
}

TEST(DuoFileTest, FamilyMigrantsHoursGoToDuoPerCourseThisYearOnSiteOnly) {
  const std::vector<DuoCourse> courses = {MakeCourse("nt2"), MakeCourse("knm", Component::kKnm)};
  const std::vector<LessonLine> lines = {
      Line("nt2", {2025, 12, 15}, Present()),                      // last year: not counted
      Line("nt2", {2026, 1, 5}, Present()),                        // 180
      Line("nt2", {2026, 3, 2}, Partial(100)),                     // 100
      Line("nt2", {2026, 4, 6}, Present(kLesson, Mode::kRemote)),  // R5: never counts
      Line("nt2", {2026, 12, 1}, Present()),                       // after as_of
      Line("nt2", {2026, 5, 4}, std::nullopt),                     // not recorded
      Line("knm", {2026, 6, 1}, Present(90), Component::kKnm, 90),
  };
  const auto rows = DuoRowsFor(FamilyB1(), lines, courses, kAsOf);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].course_id, "knm");
  EXPECT_EQ(rows[0].attended_minutes, 90);
  EXPECT_EQ(rows[0].hours_attended, 1);  // 1 h 30 rounds down once (R5)
  EXPECT_EQ(rows[1].course_id, "nt2");
  EXPECT_EQ(rows[1].attended_minutes, 280);
  EXPECT_EQ(rows[1].hours_attended, 4);
  EXPECT_EQ(rows[1].bsn, "111222333");
  EXPECT_EQ(rows[1].hours_purchased, 400);
  EXPECT_EQ(rows[1].start, (Date{2026, 1, 5}));
  EXPECT_EQ(rows[1].end, (Date{2026, 12, 18}));
}

TEST(DuoFileTest, WhoIsInTheFileIsR1s) {
  const std::vector<DuoCourse> courses = {MakeCourse("nt2")};
  const std::vector<LessonLine> lines = {Line("nt2", {2026, 2, 2}, Present())};
  // R1: asylum permit holders' hours go to the gemeente, not DUO...
  EXPECT_TRUE(DuoRowsFor(AsylumB1(), lines, courses, kAsOf).empty());
  // ...except under Wi2013, which routes everyone like a family migrant.
  EXPECT_EQ(DuoRowsFor(AsylumWi2013(), lines, courses, kAsOf).size(), 1u);
  EXPECT_EQ(DuoRowsFor(FamilyWi2013(), lines, courses, kAsOf).size(), 1u);
  EXPECT_EQ(DuoRowsFor(OtherB1(), lines, courses, kAsOf).size(), 1u);
}

TEST(DuoFileTest, CourseDatesAndPeriod) {
  DuoCourse dated = MakeCourse("nt2");
  dated.course.start_date = Date{2026, 2, 1};
  dated.course.end_date = Date{2027, 1, 31};
  DuoCourse ended = MakeCourse("old");
  ended.first_lesson = Date{2025, 1, 6};
  ended.last_lesson = Date{2025, 12, 19};
  DuoCourse unknown = MakeCourse("new");
  unknown.first_lesson.reset();
  unknown.last_lesson.reset();
  const std::vector<DuoCourse> courses = {dated, ended, unknown};
  const std::vector<LessonLine> lines = {
      Line("nt2", {2026, 2, 2}, Present()), Line("old", {2025, 3, 3}, Present()),
      Line("new", {2026, 2, 2}, std::nullopt), Line("gone", {2026, 2, 2}, Present())};
  const auto rows = DuoRowsFor(FamilyB1(), lines, courses, kAsOf);
  ASSERT_EQ(rows.size(), 1u);                    // ended last year; no dates; course not held
  EXPECT_EQ(rows[0].start, (Date{2026, 2, 1}));  // the admin's dates win
  EXPECT_EQ(rows[0].end, (Date{2027, 1, 31}));
}

TEST(DuoFileTest, CsvLayout) {
  DuoRow r;
  r.bsn = "012345672";
  r.type = DuoCourseType::kLiteracy;
  r.start = {2026, 1, 5};
  r.end = {2026, 12, 18};
  r.hours_purchased = 400;
  r.hours_attended = 123;
  const std::vector<DuoRow> rows = {r};
  EXPECT_EQ(DuoCsv(rows),
            "bsn;soort_cursus;begindatum_cursus;einddatum_cursus;ingekochte_uren;gevolgde_uren;"
            "gevolgde_uren_ona\r\n"
            "012345672;alfabetiseringscursus;05-01-2026;18-12-2026;400;123;0\r\n");
}

TEST(GemeenteFileTest, OnlyItsOwnAsylumPermitHolders) {
  const std::vector<LessonLine> lines = {Line("nt2", {2026, 2, 2}, Present())};
  EXPECT_TRUE(GemeenteRowFor(AsylumB1(), lines, "0363", kAsOf).has_value());
  EXPECT_FALSE(GemeenteRowFor(AsylumB1(), lines, "0518", kAsOf).has_value());  // another gemeente
  EXPECT_FALSE(GemeenteRowFor(FamilyB1(), lines, "0363", kAsOf).has_value());  // DUO's
  Learner wi2013 = AsylumWi2013();
  EXPECT_FALSE(GemeenteRowFor(wi2013, lines, "0363", kAsOf).has_value());  // DUO's too
}

TEST(GemeenteFileTest, HoursUpToThePeildatumAndOnlyTheGemeentesClassification) {
  const Learner l = AsylumB1();
  const std::vector<LessonLine> lines = {
      Line("nt2", {2025, 9, 1}, Present()),  // earlier years count
      Line("knm", {2026, 1, 5}, Present(120), Component::kKnm, 120),
      Line("alfa", {2026, 1, 6}, Present(), Component::kLiteracy),
      Line("nt2", {2026, 1, 7}, Present(kLesson, Mode::kRemote)),  // R5
      // Absences: the gemeente's decisions count as classified...
      Line("nt2", {2026, 2, 2},
           Decided(Absent(AbsenceReason::kOther), Classification::kExcused, Role::kGemeente)),
      Line("nt2", {2026, 2, 3},
           Decided(Absent(AbsenceReason::kIllness), Classification::kUnexcused, Role::kGemeente)),
      // ...the school's advice and R2's own verdict do not (R1: the school
      // reports the facts; the gemeente classifies).
      Line("nt2", {2026, 2, 4},
           Decided(Absent(AbsenceReason::kOther), Classification::kUnexcused, Role::kAdmin)),
      Line("nt2", {2026, 2, 5}, Absent(AbsenceReason::kIllness, /*notice=*/true)),
      Line("nt2", {2026, 2, 6}, Partial(120, AbsenceReason::kIllness)),  // 60 absent
      Line("nt2", {2026, 12, 1}, Present()),                             // after the peildatum
  };
  const auto row = GemeenteRowFor(l, lines, "0363", kAsOf);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->attended_minutes, 180 + 120 + 120);  // NT2 + KNM on site
  EXPECT_EQ(row->literacy_minutes, 180);
  EXPECT_EQ(row->excused_minutes, 180);
  EXPECT_EQ(row->unexcused_minutes, 180);
  EXPECT_EQ(row->unclassified_minutes, 180 + 180 + 60);
  EXPECT_EQ(row->notified_minutes, 180);
  const std::vector<GemeenteRow> rows = {*row};
  EXPECT_EQ(GemeenteCsv(rows),
            "bsn;gemeentecode;peildatum;deelgenomen_uren;alfabetisering_uren;"
            "geoorloofd_verzuim_uren;ongeoorloofd_verzuim_uren;verzuim_niet_beoordeeld_uren;"
            "waarvan_vooraf_afgemeld_uren\r\n"
            "111222333;0363;30-11-2026;7;3;3;3;7;3\r\n");
}

TEST(GemeenteFileTest, DisputedLessonsAreCounted) {
  std::vector<LessonLine> lines = {Line("nt2", {2026, 2, 2}, Present())};
  lines[0].disputed = true;
  const auto row = GemeenteRowFor(AsylumB1(), lines, "0363", kAsOf);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->disputed_minutes, kLesson);
}

// The submission form of a DUO row (docs/authorities.md): one record per
// learner, course and month, its id derived, checked like any record.
TEST(DuoHoursTest, IdPerMonthAndValidation) {
  DuoRow row;
  row.learner_id = "S1";
  row.bsn = "111222333";
  row.course_id = "nt2-a";
  row.type = DuoCourseType::kNt2;
  row.start = {2026, 1, 5};
  row.end = {2026, 12, 18};
  row.hours_purchased = 400;
  row.hours_attended = 57;
  const DuoHours h = DuoHoursOf(row, {2026, 11, 30});
  EXPECT_EQ(h.id, "duo/S1/nt2-a/2026-11");
  EXPECT_EQ(DuoHoursId("S1", "nt2-a", {2026, 11, 1}), h.id);  // the same month, the same record
  EXPECT_NE(DuoHoursId("S1", "nt2-a", {2026, 12, 1}), h.id);
  EXPECT_EQ(h.hours_attended, 57);
  EXPECT_EQ(h.type, DuoCourseType::kNt2);
  EXPECT_TRUE(Validate(h).ok());

  auto refused = [&](auto change) {
    DuoHours bad = h;
    change(bad);
    return Validate(bad);
  };
  EXPECT_FALSE(refused([](DuoHours& b) { b.bsn = "123456789"; }).ok());  // fails the elfproef
  EXPECT_EQ(refused([](DuoHours& b) { b.bsn = "123456789"; }).message().find("123456789"),
            std::string::npos);
  EXPECT_FALSE(refused([](DuoHours& b) { b.id = "duo/S1/nt2-a/2026-10"; }).ok());
  EXPECT_FALSE(refused([](DuoHours& b) { b.start = {2027, 1, 1}; }).ok());
  EXPECT_FALSE(refused([](DuoHours& b) { b.hours_attended = -1; }).ok());
  EXPECT_FALSE(refused([](DuoHours& b) {
                 b.learner_id = "S 1";
                 b.id = DuoHoursId(b.learner_id, b.course_id, b.as_of);
               }).ok());

  for (DuoCourseType t :
       {DuoCourseType::kLiteracy, DuoCourseType::kIntegration, DuoCourseType::kNt2}) {
    EXPECT_EQ(*ParseDuoCourseType(ToString(t)), t);
  }
  EXPECT_FALSE(ParseDuoCourseType("nt2").ok());
}

// The gemeente's row as a record: whole hours as the file has them, one per
// resident and reference date, the code readable from the id.
TEST(GemeenteHoursTest, WholeHoursIdAndValidation) {
  GemeenteRow row;
  row.learner_id = "S1";
  row.bsn = "111222333";
  row.gemeente_code = "0363";
  row.peildatum = {2026, 11, 30};
  row.attended_minutes = 7 * 60 + 59;  // rounded down once, as in the file
  row.unclassified_minutes = 180;
  row.notified_minutes = 90;
  const GemeenteHours h = GemeenteHoursOf(row);
  EXPECT_EQ(h.id, "gemeente/0363/S1/2026-11-30");
  EXPECT_EQ(h.attended_hours, 7);
  EXPECT_EQ(h.unclassified_hours, 3);
  EXPECT_EQ(h.notified_hours, 1);
  EXPECT_TRUE(Validate(h).ok());
  EXPECT_EQ(GemeenteOfSubmissionId(h.id), "0363");
  EXPECT_EQ(GemeenteOfSubmissionId("duo/S1/C1/2026-11"), "");
  GemeenteHours bad = h;
  bad.gemeente_code = "0518";  // the id still says 0363
  EXPECT_FALSE(Validate(bad).ok());
  bad = h;
  bad.excused_hours = -1;
  EXPECT_FALSE(Validate(bad).ok());
  bad = h;
  bad.gemeente_code = "36";
  bad.id = GemeenteHoursId(bad.gemeente_code, bad.learner_id, bad.peildatum);
  EXPECT_FALSE(Validate(bad).ok());
}

// Verzuim (R1, docs/rules.md): the gemeente gets each absence's facts — when,
// how long, notified or not — of its own Wi2021 asylum permit holders only;
// never the reason, which has no field here at all.
TEST(GemeenteAbsenceTest, FactsOfItsOwnResidentsAbsencesUpToThePeildatum) {
  auto with_lesson = [](Attendance a, std::string lesson) {
    a.lesson_id = std::move(lesson);
    return a;
  };
  Learner l = AsylumB1();
  const std::vector<LessonLine> lines = {
      Line("nt2", {2026, 2, 2}, with_lesson(Present(), "P")),
      Line("nt2", {2026, 2, 3}, with_lesson(Absent(AbsenceReason::kIllness, true), "A")),
      Line("nt2", {2026, 2, 4}, with_lesson(Partial(120, AbsenceReason::kOther), "B")),
      Line("nt2", {2026, 2, 5}, std::nullopt),  // not recorded
      Line("nt2", {2026, 12, 1}, with_lesson(Absent(), "C")),  // after the peildatum
  };
  const std::vector<GemeenteAbsence> got = GemeenteAbsencesFor(l, lines, "0363", kAsOf);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, GemeenteAbsenceId("0363", "A", l.id));
  EXPECT_EQ(got[0].id, "gemeente/0363/absence/A/" + l.id);
  EXPECT_EQ(got[0].bsn, l.bsn);
  EXPECT_EQ(got[0].minutes_absent, kLesson);
  EXPECT_TRUE(got[0].notified_in_advance);
  EXPECT_EQ(got[0].lesson_start, (DateTime{{2026, 2, 3}, 9, 0}));
  EXPECT_EQ(got[1].minutes_absent, kLesson - 120);
  EXPECT_FALSE(got[1].notified_in_advance);
  for (const GemeenteAbsence& a : got) EXPECT_TRUE(Validate(a).ok()) << Validate(a).ToString();
  EXPECT_EQ(GemeenteOfSubmissionId(got[0].id), "0363");

  EXPECT_TRUE(GemeenteAbsencesFor(l, lines, "0518", kAsOf).empty());            // not its resident
  EXPECT_TRUE(GemeenteAbsencesFor(FamilyB1(), lines, "0363", kAsOf).empty());   // the school's
  EXPECT_TRUE(GemeenteAbsencesFor(AsylumWi2013(), lines, "0363", kAsOf).empty());  // DUO's

  GemeenteAbsence bad = got[0];
  bad.minutes_absent = 0;  // withdrawn: no notice can go with it
  EXPECT_FALSE(Validate(bad).ok());
  bad.notified_in_advance = false;
  EXPECT_TRUE(Validate(bad).ok());
  bad.gemeente_code = "0518";  // the id still says 0363
  EXPECT_FALSE(Validate(bad).ok());
  bad = got[0];
  bad.bsn = "123456789";
  EXPECT_FALSE(Validate(bad).ok());
}

TEST(GemeenteDecisionTest, ExcusedOrUnexcusedAndOnlyByItsGemeente) {
  GemeenteDecision d;
  d.lesson_id = "L1";
  d.learner_id = "S1";
  d.gemeente_code = "0363";
  d.id = GemeenteDecisionId("0363", "L1", "S1");
  d.value = Classification::kUnexcused;
  d.decided_on = {2026, 12, 1};
  EXPECT_EQ(d.id, "gemeente/0363/decision/L1/S1");
  EXPECT_TRUE(Validate(d).ok());
  GemeenteDecision bad = d;
  bad.value = Classification::kPending;
  EXPECT_FALSE(Validate(bad).ok());
  bad = d;
  bad.learner_id = "S2";
  EXPECT_FALSE(Validate(bad).ok());

  // Who may write it (core/ownership.h): a gemeente, about its own Wi2021
  // asylum permit holder.
  Learner resident = AsylumB1();
  EXPECT_TRUE(CheckGemeenteDecisionWrite(Role::kGemeente, "0363", &resident).ok());
  EXPECT_TRUE(CheckGemeenteDecisionWrite(Role::kGemeente, "0363", nullptr).ok());
  EXPECT_EQ(CheckGemeenteDecisionWrite(Role::kAdmin, "0363", &resident).rule,
            own_rule::kGemeenteDecisionOwner);
  EXPECT_EQ(CheckGemeenteDecisionWrite(Role::kGemeente, "0518", &resident).rule,
            own_rule::kGemeenteDecisionOwner);
  Learner family = FamilyB1();
  EXPECT_FALSE(CheckGemeenteDecisionWrite(Role::kGemeente, "0363", &family).ok());
  Learner wi2013 = AsylumWi2013();
  EXPECT_FALSE(CheckGemeenteDecisionWrite(Role::kGemeente, wi2013.gemeente_code, &wi2013).ok());
}

// R1: the school classifies the absences of family and other migrants and
// of everyone under Wi2013, and DUO gets the classification — not the
// reason; an absence nobody classified yet waits.
TEST(DuoAbsenceTest, ClassifiedAbsencesOfTheLearnersTheSchoolClassifies) {
  auto in = [](Attendance a, std::string lesson) {
    a.lesson_id = std::move(lesson);
    return a;
  };
  const std::vector<LessonLine> lines = {
      Line("nt2", {2025, 12, 1}, in(Absent(AbsenceReason::kIllness), "LAST")),  // last year
      Line("nt2", {2026, 2, 3}, in(Absent(AbsenceReason::kIllness), "A")),     // excused
      Line("nt2", {2026, 2, 4}, in(Partial(120, AbsenceReason::kOther), "B")),  // unexcused
      Line("nt2", {2026, 2, 5}, in(Absent(), "C")),                            // no reason yet
      Line("nt2", {2026, 2, 6}, in(Present(), "D")),
  };
  const Learner f = FamilyB1();
  const std::vector<DuoAbsence> got = DuoAbsencesFor(f, lines, kAsOf);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, "duo/absence/A/" + f.id);
  EXPECT_EQ(got[0].classification, Classification::kExcused);
  EXPECT_EQ(got[0].minutes_absent, kLesson);
  EXPECT_EQ(got[1].classification, Classification::kUnexcused);
  EXPECT_EQ(got[1].minutes_absent, kLesson - 120);
  for (const DuoAbsence& a : got) EXPECT_TRUE(Validate(a).ok()) << Validate(a).ToString();
  EXPECT_EQ(DuoAbsencesFor(AsylumWi2013(), lines, kAsOf).size(), 2u);  // Wi2013: DUO's
  EXPECT_TRUE(DuoAbsencesFor(AsylumB1(), lines, kAsOf).empty());        // the gemeente's

  DuoAbsence bad = got[0];
  bad.minutes_absent = 0;  // a withdrawal carries no classification
  EXPECT_FALSE(Validate(bad).ok());
  bad.classification = Classification::kNotApplicable;
  EXPECT_TRUE(Validate(bad).ok());
  bad = got[0];
  bad.classification = Classification::kPending;
  EXPECT_FALSE(Validate(bad).ok());
  bad = got[0];
  bad.learner_id = "S2";
  EXPECT_FALSE(Validate(bad).ok());
}

TEST(DuoExamResultTest, LanguagePartsHaveALevelAndOnlyDuoWritesOne) {
  DuoExamResult r;
  r.learner_id = "S1";
  r.bsn = "111222333";
  r.exam = DuoExam::kLezen;
  r.level = Level::kB1;
  r.passed = true;
  r.taken_on = {2026, 12, 3};
  r.id = DuoExamResultId(r.learner_id, r.exam, r.taken_on);
  EXPECT_EQ(r.id, "duo/exam/S1/lezen/2026-12-03");
  EXPECT_TRUE(Validate(r).ok());
  DuoExamResult bad = r;
  bad.level = Level::kNone;  // lezen is taken at a level
  EXPECT_FALSE(Validate(bad).ok());
  bad = r;
  bad.exam = DuoExam::kKnm;  // KNM has none (and the id no longer matches)
  bad.id = DuoExamResultId(bad.learner_id, bad.exam, bad.taken_on);
  EXPECT_FALSE(Validate(bad).ok());
  bad.level = Level::kNone;
  EXPECT_TRUE(Validate(bad).ok());
  EXPECT_EQ(*ParseDuoExam("staatsexamen_nt2"), DuoExam::kStaatsexamen);
  EXPECT_FALSE(ParseDuoExam("rekenen").ok());
  EXPECT_TRUE(CheckExamResultWrite(Role::kDuo).ok());
  EXPECT_EQ(CheckExamResultWrite(Role::kAdmin).rule, own_rule::kExamResultOwner);
  EXPECT_FALSE(CheckExamResultWrite(Role::kGemeente).ok());
}

// --- Blik op Werk (the note's '… en Blik op Werk'): course planning and
// teacher qualifications for B1-route, Z-route and Wi2013 courses only (R1;
// "het overzicht heeft ... enkel betrekking op de B1-route en de Z-route").

Course BowCourse(std::string id, Regime regime, Route route) {
  Course c;
  c.id = std::move(id);
  c.name = "Groep " + c.id;
  c.regime = regime;
  c.route = route;
  return c;
}

Lesson BowLesson(std::string course, Date day, int minutes, std::string teacher) {
  Lesson l;
  l.course_id = std::move(course);
  l.start = DateTime{day, 9, 0};
  l.id = DefaultLessonId(l.course_id, FormatDateTime(l.start));
  l.duration_minutes = minutes;
  l.teacher = std::move(teacher);
  return l;
}

TEST(BowPlanningTest, OnlyB1ZAndWi2013CoursesArePlannedForBow) {
  const std::vector<Lesson> lessons = {
      BowLesson("b1", {2026, 11, 4}, 120, "P. Bakker"),
      BowLesson("b1", {2026, 11, 2}, 180, "J. de Vries"),
      BowLesson("b1", {2026, 11, 9}, 180, "J. de Vries"),
      BowLesson("o", {2026, 11, 5}, 180, "K. Smit"),
      BowLesson("z", {2026, 11, 3}, 90, "P. Bakker"),
      BowLesson("w13", {2026, 11, 6}, 60, "M. Jansen"),
  };
  std::optional<BowPlanning> b1 =
      BowPlanningFor(BowCourse("b1", Regime::kWi2021, Route::kB1), lessons);
  ASSERT_TRUE(b1.has_value());
  EXPECT_EQ(b1->id, "bow/planning/b1");
  EXPECT_EQ(b1->start, (Date{2026, 11, 2}));  // no dates of its own: first and last lesson
  EXPECT_EQ(b1->end, (Date{2026, 11, 9}));
  EXPECT_EQ(b1->lessons, 3);  // the other courses' lessons are not counted
  EXPECT_EQ(b1->planned_minutes, 480);
  EXPECT_EQ(b1->teachers, (std::vector<std::string>{"J. de Vries", "P. Bakker"}));
  EXPECT_TRUE(Validate(*b1).ok());
  EXPECT_TRUE(BowPlanningFor(BowCourse("z", Regime::kWi2021, Route::kZ), lessons).has_value());
  EXPECT_TRUE(
      BowPlanningFor(BowCourse("w13", Regime::kWi2013, Route::kNone), lessons).has_value());
  // The onderwijsroute is the Inspectie's, not BoW's.
  EXPECT_FALSE(
      BowPlanningFor(BowCourse("o", Regime::kWi2021, Route::kEducation), lessons).has_value());

  // The course's own dates win over its lessons'; a course with neither
  // dates nor lessons has nothing planned to send.
  Course dated = BowCourse("b1", Regime::kWi2021, Route::kB1);
  dated.start_date = Date{2026, 9, 1};
  dated.end_date = Date{2027, 6, 30};
  std::optional<BowPlanning> p = BowPlanningFor(dated, lessons);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->start, (Date{2026, 9, 1}));
  EXPECT_EQ(p->end, (Date{2027, 6, 30}));
  EXPECT_FALSE(BowPlanningFor(BowCourse("empty", Regime::kWi2021, Route::kB1), lessons));
}

TEST(BowPlanningTest, ValidateRefusesWhatBowMayNotReceive) {
  const std::vector<Lesson> lessons = {BowLesson("b1", {2026, 11, 2}, 180, "J. de Vries")};
  const BowPlanning good = *BowPlanningFor(BowCourse("b1", Regime::kWi2021, Route::kB1), lessons);
  BowPlanning bad = good;
  bad.route = Route::kEducation;
  EXPECT_FALSE(Validate(bad).ok());
  bad = good;
  bad.end = Date{2026, 1, 1};
  EXPECT_FALSE(Validate(bad).ok());
  bad = good;
  bad.planned_minutes = 721;  // more than 12 hours in one lesson
  EXPECT_FALSE(Validate(bad).ok());
  bad = good;
  bad.teachers = {"P. Bakker", "J. de Vries"};  // not sorted
  EXPECT_FALSE(Validate(bad).ok());
  bad = good;
  bad.teachers = {"J.\nde Vries"};
  EXPECT_FALSE(Validate(bad).ok());
  bad = good;
  bad.id = "bow/planning/other";
  EXPECT_FALSE(Validate(bad).ok());
}

TEST(BowQualificationTest, OnlyTheTeachersOfBowsCoursesAreSent) {
  const std::vector<Lesson> lessons = {BowLesson("b1", {2026, 11, 2}, 180, "J. de Vries"),
                                       BowLesson("o", {2026, 11, 5}, 180, "K. Smit")};
  std::vector<BowPlanning> planning;
  for (const Course& c : {BowCourse("b1", Regime::kWi2021, Route::kB1),
                          BowCourse("o", Regime::kWi2021, Route::kEducation)}) {
    if (auto p = BowPlanningFor(c, lessons)) planning.push_back(*p);
  }
  ASSERT_EQ(planning.size(), 1u);
  const std::vector<Qualification> held = {
      {"jdv-nt2", "J. de Vries", Component::kNt2, "Post-hbo NT2-docent", {2015, 6, 30}},
      {"ks-nt2", "K. Smit", Component::kNt2, "Lerarenopleiding NT2", {2019, 7, 1}},
      {"jdv-knm", "J. de Vries", Component::kKnm, "Training KNM", {2020, 3, 1}},
  };
  const std::vector<BowQualification> sent = BowQualificationsFor(held, planning);
  ASSERT_EQ(sent.size(), 2u);  // K. Smit gives only the onderwijsroute's course
  EXPECT_EQ(sent[0].id, "bow/qualification/jdv-nt2");
  EXPECT_EQ(sent[0].title, "Post-hbo NT2-docent");
  EXPECT_EQ(sent[1].id, "bow/qualification/jdv-knm");
  EXPECT_TRUE(Validate(sent[0]).ok());
  BowQualification bad = sent[0];
  bad.id = "bow/qualification/other";
  EXPECT_FALSE(Validate(bad).ok());
  bad = sent[0];
  bad.title = "";
  EXPECT_FALSE(Validate(bad).ok());
}

TEST(QualificationTest, DefaultIdAndOnlyTheAdminKeepsThem) {
  EXPECT_EQ(DefaultQualificationId("J. de Vries", Component::kNt2), "j-de-vries.nt2");
  EXPECT_EQ(DefaultQualificationId("  Ş. Yılmaz ", Component::kKnm), "y-lmaz.knm");
  EXPECT_EQ(DefaultQualificationId("--", Component::kNt2), "");
  const std::string id = DefaultQualificationId(std::string(100, 'a'), Component::kLiteracy);
  EXPECT_LE(id.size(), 64u);
  EXPECT_TRUE(id.ends_with(".literacy"));
  Qualification q{id, "A", Component::kLiteracy, "Docent alfabetisering", {2018, 2, 1}};
  EXPECT_TRUE(presentie::Validate(q).ok());
  q.obtained = Date{2018, 2, 30};
  EXPECT_FALSE(presentie::Validate(q).ok());
  EXPECT_TRUE(CheckQualificationWrite(Role::kAdmin).ok());
  EXPECT_EQ(CheckQualificationWrite(Role::kTeacher).rule, own_rule::kQualificationOwner);
  EXPECT_FALSE(CheckQualificationWrite(Role::kBow).ok());
}

// The gemeente's PIP (R1 inbound: "route, intensity and PIP changes" of its
// asylum permit holders; DUO's gemeente OpenAPI names the fields).
TEST(GemeentePipTest, ValidatesTheFieldsAndTakesTheirPlaceOnTheLearner) {
  GemeentePip p;
  p.learner_id = "A1";
  p.gemeente_code = "0363";
  p.id = GemeentePipId(p.gemeente_code, p.learner_id);
  EXPECT_EQ(p.id, "gemeente/0363/pip/A1");
  p.route = Route::kB1;
  p.level = Level::kB1;
  p.literacy = Literacy::kAA;
  p.estimated_hours = 600;
  p.lessons_per_week = 4;
  p.decided_on = {2026, 12, 2};
  EXPECT_TRUE(Validate(p).ok());
  GemeentePip bad = p;
  bad.route = Route::kNone;  // a Wi2021 PIP sets a route
  EXPECT_FALSE(Validate(bad).ok());
  bad = p;
  bad.level = Level::kNone;
  EXPECT_FALSE(Validate(bad).ok());
  bad = p;
  bad.estimated_hours = 10000;
  EXPECT_FALSE(Validate(bad).ok());
  bad = p;
  bad.lessons_per_week = 41;
  EXPECT_FALSE(Validate(bad).ok());
  bad = p;
  bad.gemeente_code = "0518";  // the id no longer matches
  EXPECT_FALSE(Validate(bad).ok());

  Learner l;
  l.id = "A1";
  l.name = "Yonas";
  l.category = Category::kAsylumPermitHolder;
  l.gemeente_code = "0363";
  l.route = Route::kZ;
  l.level = Level::kA2;
  const Learner shown = WithPip(l, p);
  EXPECT_EQ((std::tuple{shown.route, shown.level, shown.literacy, shown.estimated_hours,
                        shown.lessons_per_week}),
            (std::tuple{Route::kB1, Level::kB1, Literacy::kAA, 600, 4}));
  EXPECT_EQ(shown.name, "Yonas");

  // Only the gemeente, only for its own Wi2021 asylum permit holder.
  EXPECT_TRUE(CheckPipWrite(Role::kGemeente, "0363", &l).ok());
  EXPECT_TRUE(CheckPipWrite(Role::kGemeente, "0363", nullptr).ok());
  EXPECT_EQ(CheckPipWrite(Role::kAdmin, "0363", &l).rule, own_rule::kPipOwner);
  EXPECT_EQ(CheckPipWrite(Role::kGemeente, "0518", &l).rule, own_rule::kPipOwner);
  Learner family = l;
  family.category = Category::kFamilyMigrant;
  EXPECT_FALSE(CheckPipWrite(Role::kGemeente, "0363", &family).ok());
  Learner wi2013 = l;
  wi2013.regime = Regime::kWi2013;
  EXPECT_FALSE(CheckPipWrite(Role::kGemeente, "0363", &wi2013).ok());
}

TEST(DuoDutyTest, AnOpenDutyHasATermEndAndOnlyDuoWritesOne) {
  DuoDuty d;
  d.learner_id = "S1";
  d.id = DuoDutyId("S1");
  EXPECT_EQ(d.id, "duo/duty/S1");
  d.bsn = "111222333";
  d.status = DutyStatus::kExtended;  // e.g. for substantial effort (R4)
  d.term_end = Date{2027, 12, 31};
  d.decided_on = Date{2026, 12, 3};
  EXPECT_TRUE(Validate(d).ok());
  DuoDuty bad = d;
  bad.term_end.reset();  // running or extended: until when?
  EXPECT_FALSE(Validate(bad).ok());
  bad = d;
  bad.status = DutyStatus::kFulfilled;  // fulfilled: no term any more
  EXPECT_FALSE(Validate(bad).ok());
  bad.term_end.reset();
  EXPECT_TRUE(Validate(bad).ok());
  bad = d;
  bad.bsn = "123456789";
  EXPECT_FALSE(Validate(bad).ok());
  EXPECT_EQ(ParseDutyStatus("exempted").value(), DutyStatus::kExempted);
  EXPECT_FALSE(ParseDutyStatus("ontheffing").ok());
  EXPECT_TRUE(CheckDutyWrite(Role::kDuo).ok());
  EXPECT_EQ(CheckDutyWrite(Role::kAdmin).rule, own_rule::kDutyOwner);
  EXPECT_FALSE(CheckDutyWrite(Role::kGemeente).ok());
}

// The note's 'Contracten en facturen': DUO needs the contract data of every
// learner, an asylum permit holder's too (childcare allowance, exam results).
TEST(ContractTest, AContractIsValidWithinItsDatesHoursAndPrice) {
  Contract c;
  c.id = "2026-014";
  c.learner_id = "S1";
  c.bsn = "111222333";
  c.signed_on = Date{2026, 8, 20};
  c.start = Date{2026, 9, 1};
  c.end = Date{2027, 8, 31};
  c.hours = 600;
  c.price_cents = 650000;
  EXPECT_TRUE(Validate(c).ok());
  Contract bad = c;
  bad.end = Date{2026, 8, 31};  // before its start
  EXPECT_THAT(Validate(bad).message(), HasSubstr("ends before it starts"));
  bad = c;
  bad.hours = 0;
  EXPECT_THAT(Validate(bad).message(), HasSubstr("hours must be 1..9999"));
  bad = c;
  bad.price_cents = -1;
  EXPECT_FALSE(Validate(bad).ok());
  bad = c;
  bad.bsn = "123456789";  // fails the elfproef
  EXPECT_FALSE(Validate(bad).ok());
  bad = c;
  bad.id = "2026/014";  // not a record key: ids may not hold '/'
  EXPECT_FALSE(Validate(bad).ok());
  // R1: DUO receives every learner's contract.
  Learner family;
  family.category = Category::kFamilyMigrant;
  family.regime = Regime::kWi2021;
  Learner asylum = family;
  asylum.category = Category::kAsylumPermitHolder;
  EXPECT_EQ(Recipients(DataItem::kContract, family), EndpointSet({Endpoint::kDuo}));
  EXPECT_EQ(Recipients(DataItem::kContract, asylum), EndpointSet({Endpoint::kDuo}));
}

// The note's 'Contracten en facturen': invoices serve DUO's loans — none of a
// Wi2021 asylum permit holder, whose course the gemeente contracts; under
// Wi2013 DUO's again.
TEST(InvoiceTest, AnInvoiceHasAnAmountAndR1SendsNoneOfAWi2021AsylumPermitHolder) {
  Invoice i;
  i.id = "F2026-0301";
  i.contract_id = "2026-014";
  i.learner_id = "S1";
  i.bsn = "111222333";
  i.invoiced_on = Date{2026, 10, 1};
  i.hours = 120;
  i.amount_cents = 130000;
  EXPECT_TRUE(Validate(i).ok());
  Invoice bad = i;
  bad.amount_cents = 0;
  EXPECT_THAT(Validate(bad).message(), HasSubstr("amount"));
  bad = i;
  bad.hours = 10000;
  EXPECT_FALSE(Validate(bad).ok());
  Learner asylum;
  asylum.category = Category::kAsylumPermitHolder;
  asylum.regime = Regime::kWi2021;
  EXPECT_TRUE(Recipients(DataItem::kInvoice, asylum).empty());
  asylum.regime = Regime::kWi2013;
  EXPECT_EQ(Recipients(DataItem::kInvoice, asylum), EndpointSet({Endpoint::kDuo}));
}

// The note's 'Taalschakeltrajecten' and its footnote 8: DUO needs only that
// there is a diploma; a Wi2021 asylum permit holder's goes to the gemeente.
TEST(BridgingDiplomaTest, ItsIdNamesItsReceiver) {
  BridgingDiploma d;
  d.learner_id = "S1";
  d.bsn = "111222333";
  d.awarded_on = Date{2027, 6, 30};
  d.id = BridgingDiplomaId("S1", "");
  EXPECT_EQ(d.id, "duo/diploma/S1");
  EXPECT_TRUE(Validate(d).ok());
  d.gemeente_code = "0363";
  EXPECT_FALSE(Validate(d).ok());  // the id still names DUO
  d.id = BridgingDiplomaId("S1", "0363");
  EXPECT_EQ(d.id, "gemeente/0363/diploma/S1");
  EXPECT_TRUE(Validate(d).ok());
  EXPECT_EQ(GemeenteOfSubmissionId(d.id), "0363");
  d.gemeente_code = "363";  // not a CBS code
  d.id = BridgingDiplomaId("S1", "363");
  EXPECT_FALSE(Validate(d).ok());
}

// Bi2021 art. 9.2 lid 4 (the note's '… en gemeenten'): the gemeente gives the
// school the NAW data of its asylum permit holders, and their changes.
TEST(GemeenteNawTest, ItHoldsANameAnAddressAndAPostcodeInItsNormalForm) {
  GemeenteNaw n;
  n.learner_id = "A1";
  n.gemeente_code = "0363";
  n.id = GemeenteNawId("0363", "A1");
  EXPECT_EQ(n.id, "gemeente/0363/naw/A1");
  n.name = "Yonas Tesfay";
  n.address = "Kerkstraat 12 A";
  n.postcode = "1011AB";
  n.residence = "Amsterdam";
  n.decided_on = Date{2026, 12, 2};
  EXPECT_TRUE(Validate(n).ok());
  GemeenteNaw bad = n;
  bad.postcode = "1011 ab";  // NormalizePostcode's form only
  EXPECT_THAT(Validate(bad).message(), HasSubstr("postcode"));
  bad = n;
  bad.address = "";
  EXPECT_THAT(Validate(bad).message(), HasSubstr("address is empty"));
  bad = n;
  bad.name = "Yonas\nTesfay";
  EXPECT_THAT(Validate(bad).message(), HasSubstr("control character"));
  EXPECT_THAT(Validate(bad).message(), Not(HasSubstr("Yonas")));  // never the value
  bad = n;
  bad.id = GemeenteNawId("0518", "A1");
  EXPECT_FALSE(Validate(bad).ok());

  Learner l;
  l.name = "Y. Tesfay";
  l.route = Route::kZ;
  const Learner shown = WithNaw(l, n);
  EXPECT_EQ(shown.name, "Yonas Tesfay");
  EXPECT_EQ(shown.route, Route::kZ);

  Learner resident;
  resident.category = Category::kAsylumPermitHolder;
  resident.regime = Regime::kWi2021;
  resident.gemeente_code = "0363";
  EXPECT_TRUE(CheckNawWrite(Role::kGemeente, "0363", &resident).ok());
  EXPECT_EQ(CheckNawWrite(Role::kGemeente, "0518", &resident).rule, own_rule::kNawOwner);
  EXPECT_FALSE(CheckNawWrite(Role::kAdmin, "0363", &resident).ok());
  resident.regime = Regime::kWi2013;  // the gemeente's course role began with Wi2021
  EXPECT_FALSE(CheckNawWrite(Role::kGemeente, "0363", &resident).ok());
}

}  // namespace exports_test
}  // namespace presentie::exports
