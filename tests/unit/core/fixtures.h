// Learners and attendance records shared by the core unit tests. Every BSN
// here was checked by hand against the elfproef (see ids_test.cc).
#ifndef PRESENTIE_TESTS_UNIT_CORE_FIXTURES_H_
#define PRESENTIE_TESTS_UNIT_CORE_FIXTURES_H_

#include <optional>
#include <string>

#include "core/domain.h"
#include "core/ids.h"

namespace presentie::testing {

inline constexpr int kLesson = 180;  // a typical three-hour lesson, in minutes

inline Learner MakeLearner(Category category, Regime regime, Route route) {
  Learner l;
  l.id = "S1042";
  l.bsn = "111222333";
  l.name = "Amina Haddad";
  l.category = category;
  l.regime = regime;
  l.route = route;
  if (category == Category::kAsylumPermitHolder) l.gemeente_code = "0363";
  return l;
}
inline Learner FamilyB1() {
  return MakeLearner(Category::kFamilyMigrant, Regime::kWi2021, Route::kB1);
}
inline Learner OtherB1() {
  return MakeLearner(Category::kOtherMigrant, Regime::kWi2021, Route::kB1);
}
inline Learner AsylumB1() {
  return MakeLearner(Category::kAsylumPermitHolder, Regime::kWi2021, Route::kB1);
}
inline Learner AsylumWi2013() {
  return MakeLearner(Category::kAsylumPermitHolder, Regime::kWi2013, Route::kNone);
}
inline Learner FamilyWi2013() {
  return MakeLearner(Category::kFamilyMigrant, Regime::kWi2013, Route::kNone);
}

inline Attendance MakeAttendance(AttendanceStatus status, int minutes) {
  Attendance a;
  a.lesson_id = "NT2A-20261130-0900";
  a.learner_id = "S1042";
  a.id = AttendanceId(a.lesson_id, a.learner_id);
  a.status = status;
  a.minutes_present = minutes;
  return a;
}
inline Attendance Present(int duration = kLesson, Mode mode = Mode::kOnSite) {
  Attendance a = MakeAttendance(AttendanceStatus::kPresent, duration);
  a.mode = mode;
  return a;
}
inline Attendance Absent(AbsenceReason reason = AbsenceReason::kNone, bool notice = false) {
  Attendance a = MakeAttendance(AttendanceStatus::kAbsent, 0);
  a.reason = reason;
  a.notified_in_advance = notice;
  return a;
}
inline Attendance Partial(int minutes, AbsenceReason reason = AbsenceReason::kNone) {
  Attendance a = MakeAttendance(AttendanceStatus::kPartial, minutes);
  a.reason = reason;
  return a;
}
inline Attendance Decided(Attendance a, Classification value, Role by) {
  a.decision = ClassificationDecision{value, by};
  return a;
}

}  // namespace presentie::testing

#endif  // PRESENTIE_TESTS_UNIT_CORE_FIXTURES_H_
