#include "core/authorities/bow.h"

#include <algorithm>
#include <map>

#include "core/authorities/common.h"
#include "core/classification.h"
#include "core/ids.h"
#include "core/routing.h"

namespace presentie::exports {

std::string BowPlanningId(std::string_view course_id) {
  return "bow/planning/" + std::string(course_id);
}

Status Validate(const BowPlanning& p) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(p.course_id, "course id"));
  if (p.id != BowPlanningId(p.course_id)) {
    return InvalidArgument("a course planning's id '" + p.id + "' does not match its course");
  }
  const std::string what = "the planning of course '" + p.course_id + "'";
  Course course;
  course.id = p.course_id;
  course.name = p.course_name;
  course.component = p.component;
  course.regime = p.regime;
  course.route = p.route;
  PRESENTIE_RETURN_IF_ERROR(Validate(course).WithContext(what));
  if (!CourseRecipients(DataItem::kCoursePlanning, course).contains(Endpoint::kBow)) {
    return InvalidArgument(what +
                           ": R1 gives Blik op Werk the planning of B1-route, Z-route "
                           "and Wi2013 courses only");
  }
  if (!ParseDate(FormatDate(p.start)).ok() || !ParseDate(FormatDate(p.end)).ok()) {
    return InvalidArgument(what + " holds an invalid date");
  }
  if (p.end < p.start) {
    return InvalidArgument(what + " ends before it starts");
  }
  if (p.lessons < 0 || p.lessons > 100000 || p.planned_minutes < 0 ||
      p.planned_minutes > int64_t{720} * p.lessons) {
    return InvalidArgument(what +
                           ": lessons must be 0..100000 and planned minutes 0..720 per lesson");
  }
  if (p.teachers.size() > 200) return InvalidArgument(what + " names more than 200 teachers");
  for (size_t i = 0; i < p.teachers.size(); ++i) {
    const std::string& t = p.teachers[i];
    const bool control = std::any_of(t.begin(), t.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (t.find_first_not_of(' ') == std::string::npos || t.size() > 800 || control) {
      return InvalidArgument(what + ": teacher " + std::to_string(i + 1) + " is not a valid name");
    }
    if (i > 0 && !(p.teachers[i - 1] < p.teachers[i])) {
      return InvalidArgument(what + ": the teachers are not distinct and sorted");
    }
  }
  return Status::Ok();
}

std::optional<BowPlanning> BowPlanningFor(const Course& course, std::span<const Lesson> lessons) {
  if (!CourseRecipients(DataItem::kCoursePlanning, course).contains(Endpoint::kBow)) {
    return std::nullopt;
  }
  BowPlanning p;
  p.id = BowPlanningId(course.id);
  p.course_id = course.id;
  p.course_name = course.name;
  p.component = course.component;
  p.regime = course.regime;
  p.route = course.route;
  std::optional<Date> first;
  std::optional<Date> last;
  std::vector<std::string> teachers;
  for (const Lesson& l : lessons) {
    if (l.course_id != course.id) continue;
    const Date day = l.start.date;
    if (!first || day < *first) first = day;
    if (!last || *last < day) last = day;
    ++p.lessons;
    p.planned_minutes += l.duration_minutes;
    if (!l.teacher.empty()) teachers.push_back(l.teacher);
  }
  const std::optional<Date> start = course.start_date ? course.start_date : first;
  const std::optional<Date> end = course.end_date ? course.end_date : last;
  if (!start || !end) return std::nullopt;
  p.start = *start;
  p.end = *end;
  std::sort(teachers.begin(), teachers.end());
  teachers.erase(std::unique(teachers.begin(), teachers.end()), teachers.end());
  p.teachers = std::move(teachers);
  return p;
}

std::string BowQualificationId(std::string_view qualification_id) {
  return "bow/qualification/" + std::string(qualification_id);
}

Status Validate(const BowQualification& q) {
  Qualification own{q.qualification_id, q.teacher, q.component, q.title, q.obtained};
  PRESENTIE_RETURN_IF_ERROR(presentie::Validate(own));
  if (q.id != BowQualificationId(q.qualification_id)) {
    return InvalidArgument("a qualification's id '" + q.id + "' does not match its key");
  }
  return Status::Ok();
}

std::vector<BowQualification> BowQualificationsFor(std::span<const Qualification> qualifications,
                                                   std::span<const BowPlanning> planning) {
  std::vector<BowQualification> out;
  for (const Qualification& q : qualifications) {
    const bool teaches = std::any_of(planning.begin(), planning.end(), [&](const BowPlanning& p) {
      return std::binary_search(p.teachers.begin(), p.teachers.end(), q.teacher);
    });
    if (!teaches) continue;
    out.push_back(BowQualification{BowQualificationId(q.id), q.id, q.teacher, q.component, q.title,
                                   q.obtained});
  }
  return out;
}

}  // namespace presentie::exports
