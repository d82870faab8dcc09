// The records of the register: enum names, validation, minutes absent.
#include "core/domain.h"

#include <gtest/gtest.h>

#include <string>

#include "fixtures.h"

namespace presentie {
namespace domain_test {

using namespace presentie::testing;  // NOLINT: test fixtures

// Every enum value's name parses back to it: the names are permanent (disk,
// CSV, --json), so a typo in either direction would lose data.
template <typename E, typename Parse>
void ExpectRoundTrip(std::initializer_list<E> values, Parse parse) {
  for (E v : values) {
    auto r = parse(ToString(v));
    ASSERT_TRUE(r.ok()) << ToString(v) << ": " << r.status().ToString();
    EXPECT_EQ(*r, v) << ToString(v);
  }
}

TEST(EnumNamesTest, RoundTrip) {
  ExpectRoundTrip(
      {Category::kFamilyMigrant, Category::kOtherMigrant, Category::kAsylumPermitHolder},
      ParseCategory);
  ExpectRoundTrip({Regime::kWi2013, Regime::kWi2021}, ParseRegime);
  ExpectRoundTrip({Route::kNone, Route::kB1, Route::kEducation, Route::kZ}, ParseRoute);
  ExpectRoundTrip({Level::kNone, Level::kA2, Level::kB1}, ParseLevel);
  ExpectRoundTrip({Literacy::kNvt, Literacy::kA, Literacy::kAA}, ParseLiteracy);
  ExpectRoundTrip({Component::kNt2, Component::kKnm, Component::kLiteracy}, ParseComponent);
  ExpectRoundTrip(
      {AttendanceStatus::kPresent, AttendanceStatus::kAbsent, AttendanceStatus::kPartial},
      ParseAttendanceStatus);
  ExpectRoundTrip({Mode::kOnSite, Mode::kRemote}, ParseMode);
  ExpectRoundTrip({AbsenceReason::kNone, AbsenceReason::kIllness, AbsenceReason::kWedding,
                   AbsenceReason::kFuneral, AbsenceReason::kReligiousHoliday, AbsenceReason::kOther,
                   AbsenceReason::kDoubtful},
                  ParseAbsenceReason);
  ExpectRoundTrip({Classification::kNotApplicable, Classification::kExcused,
                   Classification::kUnexcused, Classification::kPending},
                  ParseClassification);
  ExpectRoundTrip(
      {Role::kTeacher, Role::kAdmin, Role::kHub, Role::kDuo, Role::kGemeente, Role::kBow},
      ParseRole);
}

TEST(EnumNamesTest, CanonicalNames) {
  EXPECT_EQ(ToString(Category::kAsylumPermitHolder), "asylum_permit_holder");
  EXPECT_EQ(ToString(Route::kEducation), "O");
  EXPECT_EQ(ToString(Route::kNone), "");
  EXPECT_EQ(ToString(Literacy::kAA), "AA");
  EXPECT_EQ(ToString(AbsenceReason::kReligiousHoliday), "religious_holiday");
  EXPECT_EQ(ToString(Classification::kNotApplicable), "n/a");
  EXPECT_EQ(ToString(Mode::kOnSite), "on_site");
}

// The note's 'Geoorloofd en ongeoorloofd verzuim' in the teacher's own words:
// "ziek", "huwelijk", "begrafenis", "religieuze feestdag", "twijfel".
TEST(EnumNamesTest, DutchReasonWords) {
  EXPECT_EQ(*ParseAbsenceReason("ziek"), AbsenceReason::kIllness);
  EXPECT_EQ(*ParseAbsenceReason("Ziekte"), AbsenceReason::kIllness);
  EXPECT_EQ(*ParseAbsenceReason("huwelijk"), AbsenceReason::kWedding);
  EXPECT_EQ(*ParseAbsenceReason("begrafenis"), AbsenceReason::kFuneral);
  EXPECT_EQ(*ParseAbsenceReason("religieuze feestdag"), AbsenceReason::kReligiousHoliday);
  EXPECT_EQ(*ParseAbsenceReason("religieuze_feestdag"), AbsenceReason::kReligiousHoliday);
  EXPECT_EQ(*ParseAbsenceReason("feestdag"), AbsenceReason::kReligiousHoliday);
  EXPECT_EQ(*ParseAbsenceReason("anders"), AbsenceReason::kOther);
  EXPECT_EQ(*ParseAbsenceReason("overig"), AbsenceReason::kOther);
  EXPECT_EQ(*ParseAbsenceReason("twijfel"), AbsenceReason::kDoubtful);
  EXPECT_EQ(*ParseAbsenceReason(""), AbsenceReason::kNone);
}

TEST(EnumNamesTest, LenientInFormStrictInContent) {
  EXPECT_EQ(*ParseRoute("b"), Route::kB1);
  EXPECT_EQ(*ParseRoute("-"), Route::kNone);
  EXPECT_EQ(*ParseRoute(""), Route::kNone);
  EXPECT_EQ(*ParseCategory(" Family-Migrant "), Category::kFamilyMigrant);
  EXPECT_EQ(*ParseMode("on-site"), Mode::kOnSite);
  EXPECT_EQ(*ParseLiteracy("nvt"), Literacy::kNvt);
  EXPECT_FALSE(ParseRoute("X").ok());
  EXPECT_FALSE(ParseRegime("wi2022").ok());
  EXPECT_FALSE(ParseComponent("math").ok());
  EXPECT_FALSE(ParseClassification("maybe").ok());
  EXPECT_FALSE(ParseRole("root").ok());
  EXPECT_FALSE(ParseAttendanceStatus("late").ok());
  EXPECT_FALSE(ParseLevel("C1").ok());
  EXPECT_EQ(ParseCategory("refugee").status().message(),
            "unknown category 'refugee' (expected family_migrant, other_migrant or "
            "asylum_permit_holder)");
}

// A BSN typed into the wrong CSV column must not come back in the error.
TEST(EnumNamesTest, ErrorsDoNotEchoNumbers) {
  auto r = ParseCategory("123456782");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("123456782"), std::string::npos) << r.status().message();
  EXPECT_EQ(ParseAbsenceReason("ziek\n").status().message().find('\n'), std::string::npos);
}

// --- Learner ---------------------------------------------------------------

TEST(LearnerTest, ValidLearners) {
  for (const Learner& l : {FamilyB1(), OtherB1(), AsylumB1(), AsylumWi2013(), FamilyWi2013()}) {
    EXPECT_TRUE(Validate(l).ok()) << Validate(l).ToString();
  }
}

TEST(LearnerTest, MessagesNameTheLearnerAndTheField) {
  Learner l = AsylumB1();
  l.gemeente_code = "363";
  EXPECT_EQ(Validate(l).message(),
            "learner 'S1042': gemeente_code must be 4 digits (CBS code, e.g. 0363)");

  l = AsylumB1();
  l.gemeente_code.clear();
  EXPECT_EQ(Validate(l).message(),
            "learner 'S1042': gemeente_code is required for an asylum permit holder under Wi2021");
  // Not required for the others, nor under Wi2013.
  l = FamilyB1();
  l.gemeente_code.clear();
  EXPECT_TRUE(Validate(l).ok());
  l = AsylumWi2013();
  l.gemeente_code.clear();
  EXPECT_TRUE(Validate(l).ok());
}

TEST(LearnerTest, BsnIsCheckedAndNeverEchoed) {
  Learner l = FamilyB1();
  l.bsn = "123456789";
  const Status s = Validate(l);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "learner 'S1042': BSN fails the elfproef");
  l.bsn = "12345672";  // valid, but not in its stored 9-digit form
  EXPECT_EQ(Validate(l).message(), "learner 'S1042': BSN must be stored in its 9-digit form");
  l.bsn = "";
  EXPECT_FALSE(Validate(l).ok());
  l = FamilyB1();
  l.id = l.bsn;
  EXPECT_EQ(Validate(l).message(), "learner '111222333': learner id must not be the BSN");
}

TEST(LearnerTest, IdAndName) {
  Learner l = FamilyB1();
  l.id = "a/b";
  EXPECT_FALSE(Validate(l).ok());
  l = FamilyB1();
  l.name = "";
  EXPECT_EQ(Validate(l).message(), "learner 'S1042': name is empty");
  l.name = "   ";
  EXPECT_EQ(Validate(l).message(), "learner 'S1042': name is empty");
  l.name = std::string(200, 'x');
  EXPECT_TRUE(Validate(l).ok());
  l.name = std::string(201, 'x');
  EXPECT_EQ(Validate(l).message(), "learner 'S1042': name is longer than 200 characters");
  l.name = "Amina\tHaddad";
  EXPECT_EQ(Validate(l).message(), "learner 'S1042': name contains a control character");
  l.name = "Zoë Çelik-Öztürk";  // 16 characters, more bytes
  EXPECT_TRUE(Validate(l).ok());
  std::string accented;
  for (int i = 0; i < 200; ++i) accented += "é";  // 200 characters, 400 bytes
  l.name = accented;
  EXPECT_TRUE(Validate(l).ok()) << Validate(l).ToString();
  l.name = "bad \xff utf-8";
  EXPECT_EQ(Validate(l).message(), "learner 'S1042': name is not valid UTF-8");
}

// docs/rules.md, "Entries checked when they are made": leerroutes B/O/Z are
// Wi2021's.
TEST(LearnerTest, RouteByRegime) {
  Learner l = FamilyB1();
  l.route = Route::kNone;
  EXPECT_EQ(Validate(l).message(), "learner 'S1042': route is required under Wi2021 (B, O or Z)");
  l = FamilyWi2013();
  l.route = Route::kB1;
  EXPECT_FALSE(Validate(l).ok());
  l.route = Route::kNone;
  EXPECT_TRUE(Validate(l).ok());
}

TEST(LearnerTest, Ranges) {
  Learner l = FamilyB1();
  l.estimated_hours = 9999;
  l.lessons_per_week = 40;
  EXPECT_TRUE(Validate(l).ok());
  l.estimated_hours = 10000;
  EXPECT_EQ(Validate(l).message(), "learner 'S1042': estimated_hours must be 0..9999");
  l.estimated_hours = -1;
  EXPECT_FALSE(Validate(l).ok());
  l.estimated_hours = 0;
  l.lessons_per_week = 41;
  EXPECT_EQ(Validate(l).message(), "learner 'S1042': lessons_per_week must be 0..40");
  l.lessons_per_week = -1;
  EXPECT_FALSE(Validate(l).ok());
}

TEST(LearnerTest, GemeenteIsResponsibleOnlyForWi2021AsylumPermitHolders) {
  EXPECT_TRUE(GemeenteIsResponsible(AsylumB1()));
  EXPECT_FALSE(GemeenteIsResponsible(AsylumWi2013()));
  EXPECT_FALSE(GemeenteIsResponsible(FamilyB1()));
  EXPECT_FALSE(GemeenteIsResponsible(OtherB1()));
}

// --- Course and lesson ------------------------------------------------------

Course ValidCourse() {
  Course c;
  c.id = "NT2A";
  c.name = "NT2 B1 groep A";
  c.route = Route::kB1;
  c.start_date = Date{2026, 9, 1};
  c.end_date = Date{2027, 6, 30};
  c.hours_purchased = 400;
  return c;
}

TEST(CourseTest, Validate) {
  EXPECT_TRUE(Validate(ValidCourse()).ok());
  Course c = ValidCourse();
  c.end_date = Date{2026, 8, 31};
  EXPECT_EQ(Validate(c).message(),
            "course 'NT2A': end_date 2026-08-31 is before start_date 2026-09-01");
  c = ValidCourse();
  c.start_date = Date{2026, 2, 30};
  EXPECT_EQ(Validate(c).message(), "course 'NT2A': start_date is not a valid date");
  c = ValidCourse();
  c.hours_purchased = 10000;
  EXPECT_FALSE(Validate(c).ok());
  c = ValidCourse();
  c.name = "";
  EXPECT_EQ(Validate(c).message(), "course 'NT2A': name is empty");
  c = ValidCourse();
  c.route = Route::kNone;
  EXPECT_FALSE(Validate(c).ok());
  c.regime = Regime::kWi2013;
  EXPECT_TRUE(Validate(c).ok());
  c.route = Route::kZ;
  EXPECT_FALSE(Validate(c).ok());
  c = ValidCourse();
  c.start_date.reset();
  EXPECT_TRUE(Validate(c).ok());
}

Lesson ValidLesson() {
  Lesson l;
  l.course_id = "NT2A";
  l.start = *ParseDateTime("2026-11-30T09:00");
  l.id = DefaultLessonId(l.course_id, "2026-11-30T09:00");
  l.duration_minutes = 180;
  l.teacher = "J. de Vries";
  return l;
}

TEST(LessonTest, Validate) {
  EXPECT_TRUE(Validate(ValidLesson()).ok());
  Lesson l = ValidLesson();
  l.duration_minutes = 0;
  EXPECT_EQ(Validate(l).message(),
            "lesson 'NT2A-20261130-0900': duration_minutes must be 1..720 (at most 12 hours)");
  l.duration_minutes = 721;
  EXPECT_FALSE(Validate(l).ok());
  l.duration_minutes = 720;
  EXPECT_TRUE(Validate(l).ok());
  l = ValidLesson();
  l.teacher = "";
  EXPECT_EQ(Validate(l).message(), "lesson 'NT2A-20261130-0900': teacher is empty");
  l = ValidLesson();
  l.start.date.day = 31;  // 31 November
  EXPECT_EQ(Validate(l).message(),
            "lesson 'NT2A-20261130-0900': start is not a valid date and time");
  l = ValidLesson();
  l.start.hour = 24;
  EXPECT_FALSE(Validate(l).ok());
  l = ValidLesson();
  l.course_id = "";
  EXPECT_FALSE(Validate(l).ok());
}

// --- Attendance --------------------------------------------------------------

TEST(AttendanceTest, ValidRecords) {
  EXPECT_TRUE(Validate(Present(), kLesson).ok());
  EXPECT_TRUE(Validate(Present(kLesson, Mode::kRemote), kLesson).ok());
  EXPECT_TRUE(Validate(Absent(), kLesson).ok());
  EXPECT_TRUE(Validate(Absent(AbsenceReason::kIllness, true), kLesson).ok());
  EXPECT_TRUE(Validate(Partial(1), kLesson).ok());
  EXPECT_TRUE(Validate(Partial(kLesson - 1, AbsenceReason::kOther), kLesson).ok());
  EXPECT_TRUE(Validate(Decided(Absent(), Classification::kExcused, Role::kGemeente), kLesson).ok());
  Attendance no_id = Absent();
  no_id.id.clear();  // the store sets it
  EXPECT_TRUE(Validate(no_id, kLesson).ok());
}

TEST(AttendanceTest, MinutesMustMatchTheStatus) {
  const std::string p = "attendance 'NT2A-20261130-0900/S1042': ";
  Attendance a = Present(kLesson - 1);
  EXPECT_EQ(
      Validate(a, kLesson).message(),
      p + "present means the whole lesson: minutes_present must be 180 (use partial for 179)");
  a = MakeAttendance(AttendanceStatus::kAbsent, 30);
  EXPECT_EQ(Validate(a, kLesson).message(),
            p + "absent means minutes_present 0 (use partial for 30)");
  a = Partial(0);
  EXPECT_EQ(Validate(a, kLesson).message(),
            p + "partial means minutes_present 1..179 (got 0; use present or absent)");
  a = Partial(kLesson);
  EXPECT_FALSE(Validate(a, kLesson).ok());
  a = Partial(-5);
  EXPECT_EQ(Validate(a, kLesson).message(), p + "minutes_present must not be negative");
  a = Partial(100000);
  EXPECT_EQ(Validate(a, kLesson).message(),
            p + "minutes_present (100000) exceeds the lesson's 180 minutes");
  EXPECT_FALSE(Validate(Present(0), 0).ok()) << "a lesson of 0 minutes";
  EXPECT_FALSE(Validate(Present(800), 800).ok()) << "a lesson longer than 12 hours";
}

TEST(AttendanceTest, NoAbsenceFactsOnAFullPresence) {
  Attendance a = Present();
  a.reason = AbsenceReason::kIllness;
  EXPECT_FALSE(Validate(a, kLesson).ok());
  a = Present();
  a.notified_in_advance = true;
  EXPECT_FALSE(Validate(a, kLesson).ok());
  a = Decided(Present(), Classification::kExcused, Role::kAdmin);
  EXPECT_FALSE(Validate(a, kLesson).ok());
}

TEST(AttendanceTest, IdsDecisionsAndNotes) {
  Attendance a = Absent();
  a.id = "other/S1042";
  EXPECT_EQ(Validate(a, kLesson).message(),
            "attendance 'NT2A-20261130-0900/S1042': id must be 'NT2A-20261130-0900/S1042' "
            "(lesson/learner)");
  a = Absent();
  a.learner_id = "S 1";
  EXPECT_FALSE(Validate(a, kLesson).ok());
  a = Decided(Absent(), Classification::kPending, Role::kAdmin);
  EXPECT_FALSE(Validate(a, kLesson).ok());
  a = Decided(Absent(), Classification::kExcused, Role::kTeacher);
  EXPECT_NE(Validate(a, kLesson).message().find("not by teacher"), std::string::npos);
  a = Absent(AbsenceReason::kOther);
  a.note = "bij de huisarts";
  EXPECT_TRUE(Validate(a, kLesson).ok());
  a.note = std::string(1001, 'x');
  EXPECT_FALSE(Validate(a, kLesson).ok());
  a.note = "line\nbreak";
  EXPECT_FALSE(Validate(a, kLesson).ok());
}

TEST(AttendanceTest, MinutesAbsent) {
  EXPECT_EQ(MinutesAbsent(Present(), kLesson), 0);
  EXPECT_EQ(MinutesAbsent(Absent(), kLesson), kLesson);
  EXPECT_EQ(MinutesAbsent(Partial(45), kLesson), kLesson - 45);
  // Unvalidated input never yields a negative or more-than-the-lesson figure.
  EXPECT_EQ(MinutesAbsent(Partial(500), kLesson), 0);
  EXPECT_EQ(MinutesAbsent(Partial(-10), kLesson), kLesson);
}

}  // namespace domain_test
}  // namespace presentie
