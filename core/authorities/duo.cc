#include "core/authorities/duo.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/authorities/common.h"
#include "core/classification.h"
#include "core/enum_names.h"
#include "core/ids.h"
#include "core/routing.h"

namespace presentie::exports {

using internal::AppendLine;
using internal::DutchDate;
using internal::OnSiteMinutes;

namespace {

// The names DUO uses, written as DUO writes them: parsing is exact.
constexpr EnumName<DuoCourseType> kDuoCourseTypeNames[] = {
    {DuoCourseType::kLiteracy, "alfabetiseringscursus"},
    {DuoCourseType::kIntegration, "inburgeringscursus"},
    {DuoCourseType::kNt2, "NT2-cursus"},
};
constexpr EnumName<DuoExam> kDuoExamNames[] = {
    {DuoExam::kLezen, "lezen"},
    {DuoExam::kLuisteren, "luisteren"},
    {DuoExam::kSchrijven, "schrijven"},
    {DuoExam::kSpreken, "spreken"},
    {DuoExam::kKnm, "knm"},
    {DuoExam::kOna, "ona"},
    {DuoExam::kStaatsexamen, "staatsexamen_nt2"},
};
constexpr EnumName<DutyStatus> kDutyStatusNames[] = {
    {DutyStatus::kRunning, "running"},
    {DutyStatus::kExtended, "extended"},
    {DutyStatus::kFulfilled, "fulfilled"},
    {DutyStatus::kExempted, "exempted"},
};
static_assert(IsEnumTable(kDuoCourseTypeNames) && IsEnumTable(kDuoExamNames) &&
              IsEnumTable(kDutyStatusNames));

// What ToString gives for a course type no table lists (an out-of-range
// cast): the name of DuoRow's default type.
constexpr std::string_view kUnnamedCourseType =
    NameOf(kDuoCourseTypeNames, DuoCourseType::kIntegration, "");

}  // namespace

std::string_view ToString(DuoCourseType t) {
  return NameOf(kDuoCourseTypeNames, t, kUnnamedCourseType);
}

Result<DuoCourseType> ParseDuoCourseType(std::string_view text) {
  if (std::optional<DuoCourseType> t = ValueOf<DuoCourseType>(kDuoCourseTypeNames, text)) return *t;
  return InvalidArgument("'" + std::string(text) + "' is not a DUO course type (" +
                         NameList<DuoCourseType>(kDuoCourseTypeNames, ", ") + ")");
}

std::string DuoHoursId(std::string_view learner_id, std::string_view course_id, Date as_of) {
  return "duo/" + std::string(learner_id) + "/" + std::string(course_id) + "/" +
         FormatDate(as_of).substr(0, 7);
}

DuoHours DuoHoursOf(const DuoRow& row, Date as_of) {
  DuoHours h;
  h.id = DuoHoursId(row.learner_id, row.course_id, as_of);
  h.learner_id = row.learner_id;
  h.course_id = row.course_id;
  h.as_of = as_of;
  h.bsn = row.bsn;
  h.type = row.type;
  h.start = row.start;
  h.end = row.end;
  h.hours_purchased = row.hours_purchased;
  h.hours_attended = row.hours_attended;
  h.ona_hours = row.ona_hours;
  return h;
}

Status Validate(const DuoHours& h) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(h.learner_id, "learner id"));
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(h.course_id, "course id"));
  for (const Date& d : {h.as_of, h.start, h.end}) {
    if (!ParseDate(FormatDate(d)).ok()) return InvalidArgument("a DUO row holds an invalid date");
  }
  if (h.id != DuoHoursId(h.learner_id, h.course_id, h.as_of)) {
    return InvalidArgument("a DUO row's id '" + h.id +
                           "' does not match its learner, course and month");
  }
  if (!IsValidBsn(h.bsn)) return InvalidArgument("a DUO row's BSN is not a valid BSN");
  if (h.start > h.end) return InvalidArgument("a DUO row's start is after its end");
  if (h.hours_purchased < 0 || h.hours_attended < 0 || h.ona_hours < 0) {
    return InvalidArgument("a DUO row's hours are negative");
  }
  return Status::Ok();
}

DuoCourseType DuoCourseTypeOf(const Course& c) {
  if (c.component == Component::kLiteracy) return DuoCourseType::kLiteracy;
  if (c.regime == Regime::kWi2021 && c.route == Route::kEducation &&
      c.component == Component::kNt2) {
    return DuoCourseType::kNt2;
  }
  return DuoCourseType::kIntegration;
}

std::vector<DuoRow> DuoRowsFor(const Learner& learner, std::span<const LessonLine> lines,
                               std::span<const DuoCourse> courses, Date as_of) {
  std::vector<DuoRow> rows;
  if (!Recipients(DataItem::kAttendedHours, learner).contains(Endpoint::kDuo)) return rows;
  const Date year_start{as_of.year, 1, 1};
  // Per course of the learner's lines, in course id order (a stable file).
  struct Minutes {
    int64_t attended = 0;
    int64_t disputed = 0;
  };
  std::map<std::string, Minutes> by_course;
  for (const LessonLine& line : lines) {
    Minutes& m = by_course[line.course_id];
    if (line.start.date < year_start || line.start.date > as_of) continue;
    if (line.attendance.has_value()) m.attended += OnSiteMinutes(*line.attendance);
    if (line.disputed) m.disputed += line.duration_minutes;
  }
  for (const auto& entry : by_course) {
    const std::string& course_id = entry.first;
    const Minutes& minutes = entry.second;
    auto it = std::find_if(courses.begin(), courses.end(),
                           [&](const DuoCourse& c) { return c.course.id == course_id; });
    if (it == courses.end()) continue;
    const std::optional<Date> start =
        it->course.start_date ? it->course.start_date : it->first_lesson;
    const std::optional<Date> end = it->course.end_date ? it->course.end_date : it->last_lesson;
    if (!start.has_value() || !end.has_value()) continue;  // nothing planned: nothing to report
    // The course must run in the reported part of the year.
    if (*start > as_of || *end < year_start) continue;
    DuoRow row;
    row.learner_id = learner.id;
    row.bsn = learner.bsn;
    row.course_id = course_id;
    row.type = DuoCourseTypeOf(it->course);
    row.start = *start;
    row.end = *end;
    row.hours_purchased = it->course.hours_purchased;
    row.attended_minutes = minutes.attended;
    row.hours_attended = WholeHours(minutes.attended);
    row.disputed_minutes = minutes.disputed;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string DuoAbsenceId(std::string_view lesson_id, std::string_view learner_id) {
  return "duo/absence/" + AttendanceId(lesson_id, learner_id);
}

Status Validate(const DuoAbsence& a) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(a.lesson_id, "lesson id"));
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(a.learner_id, "learner id"));
  if (a.id != DuoAbsenceId(a.lesson_id, a.learner_id)) {
    return InvalidArgument("a DUO absence's id '" + a.id +
                           "' does not match its lesson and learner");
  }
  if (!IsValidBsn(a.bsn)) return InvalidArgument("a DUO absence's BSN is not a valid BSN");
  if (!ParseDateTime(FormatDateTime(a.lesson_start)).ok()) {
    return InvalidArgument("a DUO absence's lesson start is not a valid time");
  }
  if (a.minutes_absent < 0 || a.minutes_absent > 720) {
    return InvalidArgument("a DUO absence's minutes are out of range 0..720");
  }
  const bool classified = a.classification == Classification::kExcused ||
                          a.classification == Classification::kUnexcused;
  if (a.minutes_absent > 0 && !classified) {
    return InvalidArgument("a DUO absence is excused or unexcused");
  }
  if (a.minutes_absent == 0 && a.classification != Classification::kNotApplicable) {
    return InvalidArgument("a withdrawn DUO absence (0 minutes) has no classification");
  }
  return Status::Ok();
}

std::vector<DuoAbsence> DuoAbsencesFor(const Learner& learner, std::span<const LessonLine> lines,
                                       Date as_of) {
  std::vector<DuoAbsence> out;
  if (!Recipients(DataItem::kAbsenceClassification, learner).contains(Endpoint::kDuo)) {
    return out;
  }
  const Date year_start{as_of.year, 1, 1};
  for (const LessonLine& line : lines) {
    if (line.start.date < year_start || line.start.date > as_of) continue;
    if (!line.attendance.has_value()) continue;
    const Attendance& a = *line.attendance;
    const int absent = MinutesAbsent(a, line.duration_minutes);
    if (absent == 0) continue;
    const ClassificationResult c = Classify(learner, a);
    if (c.value != Classification::kExcused && c.value != Classification::kUnexcused) continue;
    DuoAbsence d;
    d.id = DuoAbsenceId(a.lesson_id, learner.id);
    d.lesson_id = a.lesson_id;
    d.learner_id = learner.id;
    d.bsn = learner.bsn;
    d.lesson_start = line.start;
    d.minutes_absent = absent;
    d.classification = c.value;
    out.push_back(std::move(d));
  }
  return out;
}

std::string_view ToString(DuoExam e) { return NameOf(kDuoExamNames, e, ""); }

Result<DuoExam> ParseDuoExam(std::string_view text) {
  if (std::optional<DuoExam> e = ValueOf<DuoExam>(kDuoExamNames, text)) return *e;
  return InvalidArgument("'" + std::string(text) +
                         "' is not an exam: " + NameList<DuoExam>(kDuoExamNames));
}

std::string_view ToString(DutyStatus s) { return NameOf(kDutyStatusNames, s, "?"); }

Result<DutyStatus> ParseDutyStatus(std::string_view text) {
  if (std::optional<DutyStatus> s = ValueOf<DutyStatus>(kDutyStatusNames, text)) return *s;
  return InvalidArgument("'" + std::string(text) +
                         "' is not a duty status: " + NameList<DutyStatus>(kDutyStatusNames));
}

std::string DuoDutyId(std::string_view learner_id) { return "duo/duty/" + std::string(learner_id); }

Status Validate(const DuoDuty& d) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(d.learner_id, "learner id"));
  if (d.id != DuoDutyId(d.learner_id)) {
    return InvalidArgument("a duty status's id '" + d.id + "' does not match its learner");
  }
  if (!IsValidBsn(d.bsn)) return InvalidArgument("a duty status's BSN is not a valid BSN");
  const bool open = d.status == DutyStatus::kRunning || d.status == DutyStatus::kExtended;
  if (open && !d.term_end.has_value()) {
    return InvalidArgument("a " + std::string(ToString(d.status)) +
                           " duty needs the end of its term");
  }
  if (!open && d.term_end.has_value()) {
    return InvalidArgument("a " + std::string(ToString(d.status)) + " duty has no term end");
  }
  if ((d.term_end && !ParseDate(FormatDate(*d.term_end)).ok()) ||
      !ParseDate(FormatDate(d.decided_on)).ok()) {
    return InvalidArgument("a duty status holds an invalid date");
  }
  return Status::Ok();
}

std::string DuoExamResultId(std::string_view learner_id, DuoExam exam, Date taken_on) {
  return "duo/exam/" + std::string(learner_id) + "/" + std::string(ToString(exam)) + "/" +
         FormatDate(taken_on);
}

Status Validate(const DuoExamResult& r) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(r.learner_id, "learner id"));
  if (!ParseDate(FormatDate(r.taken_on)).ok()) {
    return InvalidArgument("an exam result holds an invalid date");
  }
  if (r.id != DuoExamResultId(r.learner_id, r.exam, r.taken_on)) {
    return InvalidArgument("an exam result's id '" + r.id +
                           "' does not match its learner, exam and date");
  }
  if (!IsValidBsn(r.bsn)) return InvalidArgument("an exam result's BSN is not a valid BSN");
  const bool language = r.exam != DuoExam::kKnm && r.exam != DuoExam::kOna;
  if (language && r.level == Level::kNone) {
    return InvalidArgument("an exam result of " + std::string(ToString(r.exam)) +
                           " needs its level (A2 or B1)");
  }
  if (!language && r.level != Level::kNone) {
    return InvalidArgument("an exam result of " + std::string(ToString(r.exam)) + " has no level");
  }
  return Status::Ok();
}

Result<std::string> DuoFileName(std::string_view bow_number, Date as_of) {
  if (Status s = ValidateBowNumber(bow_number); !s.ok()) return s;
  const size_t first = bow_number.find_first_not_of('0');
  if (first == std::string_view::npos) {
    return InvalidArgument("BoW number '" + std::string(bow_number) + "' is all zeros");
  }
  std::string date = FormatDate(as_of);
  date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
  return std::string(bow_number.substr(first)) + "Aanlevering" + date + ".csv";
}

std::string DuoCsv(std::span<const DuoRow> rows) {
  std::string out;
  AppendLine(&out, {"bsn", "soort_cursus", "begindatum_cursus", "einddatum_cursus",
                    "ingekochte_uren", "gevolgde_uren", "gevolgde_uren_ona"});
  for (const DuoRow& r : rows) {
    AppendLine(&out, {r.bsn, std::string(ToString(r.type)), DutchDate(r.start), DutchDate(r.end),
                      std::to_string(r.hours_purchased), std::to_string(r.hours_attended),
                      std::to_string(r.ona_hours)});
  }
  return out;
}

}  // namespace presentie::exports
