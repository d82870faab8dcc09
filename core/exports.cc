#include "core/exports.h"

#include <algorithm>
#include <map>

#include "core/classification.h"
#include "core/ids.h"
#include "core/routing.h"

namespace presentie::exports {
namespace {

// dd-mm-jjjj, the way Dutch forms and Mijn DUO write dates.
std::string DutchDate(const Date& d) {
  std::string s = FormatDate(d);  // yyyy-mm-dd
  return s.substr(8, 2) + "-" + s.substr(5, 2) + "-" + s.substr(0, 4);
}

void AppendLine(std::string* out, std::initializer_list<std::string> fields) {
  bool first = true;
  for (const std::string& f : fields) {
    if (!first) *out += ';';
    first = false;
    *out += f;
  }
  *out += "\r\n";
}

// Minutes of `a` that count as attended (R5): on site only.
int64_t OnSiteMinutes(const Attendance& a) {
  return a.mode == Mode::kOnSite ? a.minutes_present : 0;
}

}  // namespace

std::string_view ToString(DuoCourseType t) {
  switch (t) {
    case DuoCourseType::kLiteracy:
      return "alfabetiseringscursus";
    case DuoCourseType::kIntegration:
      return "inburgeringscursus";
    case DuoCourseType::kNt2:
      return "NT2-cursus";
  }
  return "inburgeringscursus";
}

Result<DuoCourseType> ParseDuoCourseType(std::string_view text) {
  for (DuoCourseType t :
       {DuoCourseType::kLiteracy, DuoCourseType::kIntegration, DuoCourseType::kNt2}) {
    if (ToString(t) == text) return t;
  }
  return InvalidArgument("'" + std::string(text) +
                         "' is not a DUO course type (alfabetiseringscursus, inburgeringscursus, "
                         "NT2-cursus)");
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
    return InvalidArgument("a DUO absence's id '" + a.id + "' does not match its lesson and learner");
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

std::string_view ToString(DuoExam e) {
  switch (e) {
    case DuoExam::kLezen:
      return "lezen";
    case DuoExam::kLuisteren:
      return "luisteren";
    case DuoExam::kSchrijven:
      return "schrijven";
    case DuoExam::kSpreken:
      return "spreken";
    case DuoExam::kKnm:
      return "knm";
    case DuoExam::kOna:
      return "ona";
    case DuoExam::kStaatsexamen:
      return "staatsexamen_nt2";
  }
  return "";
}

Result<DuoExam> ParseDuoExam(std::string_view text) {
  for (DuoExam e : {DuoExam::kLezen, DuoExam::kLuisteren, DuoExam::kSchrijven, DuoExam::kSpreken,
                    DuoExam::kKnm, DuoExam::kOna, DuoExam::kStaatsexamen}) {
    if (ToString(e) == text) return e;
  }
  return InvalidArgument("'" + std::string(text) +
                         "' is not an exam: lezen, luisteren, schrijven, spreken, knm, ona or "
                         "staatsexamen_nt2");
}

std::string_view ToString(DutyStatus s) {
  switch (s) {
    case DutyStatus::kRunning:
      return "running";
    case DutyStatus::kExtended:
      return "extended";
    case DutyStatus::kFulfilled:
      return "fulfilled";
    case DutyStatus::kExempted:
      return "exempted";
  }
  return "?";
}

Result<DutyStatus> ParseDutyStatus(std::string_view text) {
  for (DutyStatus s : {DutyStatus::kRunning, DutyStatus::kExtended, DutyStatus::kFulfilled,
                       DutyStatus::kExempted}) {
    if (ToString(s) == text) return s;
  }
  return InvalidArgument("'" + std::string(text) +
                         "' is not a duty status: running, extended, fulfilled or exempted");
}

std::string DuoDutyId(std::string_view learner_id) {
  return "duo/duty/" + std::string(learner_id);
}

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
    return InvalidArgument("an exam result of " + std::string(ToString(r.exam)) +
                           " has no level");
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

std::optional<GemeenteRow> GemeenteRowFor(const Learner& learner, std::span<const LessonLine> lines,
                                          std::string_view gemeente_code, Date peildatum) {
  if (!Recipients(DataItem::kAttendedHours, learner).contains(Endpoint::kGemeente) ||
      learner.gemeente_code != gemeente_code) {
    return std::nullopt;
  }
  GemeenteRow row;
  row.learner_id = learner.id;
  row.bsn = learner.bsn;
  row.gemeente_code = learner.gemeente_code;
  row.peildatum = peildatum;
  for (const LessonLine& line : lines) {
    if (line.start.date > peildatum || !line.attendance.has_value()) continue;
    const Attendance& a = *line.attendance;
    if (line.disputed) row.disputed_minutes += line.duration_minutes;
    const int64_t on_site = OnSiteMinutes(a);
    if (line.component == Component::kLiteracy) {
      row.literacy_minutes += on_site;
    } else {
      row.attended_minutes += on_site;
    }
    const int64_t absent = MinutesAbsent(a, line.duration_minutes);
    if (absent == 0) continue;
    // Only the gemeente's own decision classifies here (see the header).
    const ClassificationResult c = Classify(learner, a);
    if (c.rule == rule::kGemeenteDecision && c.value == Classification::kExcused) {
      row.excused_minutes += absent;
    } else if (c.rule == rule::kGemeenteDecision && c.value == Classification::kUnexcused) {
      row.unexcused_minutes += absent;
    } else {
      row.unclassified_minutes += absent;
      if (a.notified_in_advance) row.notified_minutes += absent;
    }
  }
  return row;
}

std::string GemeenteCsv(std::span<const GemeenteRow> rows) {
  std::string out;
  AppendLine(&out, {"bsn", "gemeentecode", "peildatum", "deelgenomen_uren", "alfabetisering_uren",
                    "geoorloofd_verzuim_uren", "ongeoorloofd_verzuim_uren",
                    "verzuim_niet_beoordeeld_uren", "waarvan_vooraf_afgemeld_uren"});
  for (const GemeenteRow& r : rows) {
    AppendLine(&out, {r.bsn, r.gemeente_code, DutchDate(r.peildatum),
                      std::to_string(WholeHours(r.attended_minutes)),
                      std::to_string(WholeHours(r.literacy_minutes)),
                      std::to_string(WholeHours(r.excused_minutes)),
                      std::to_string(WholeHours(r.unexcused_minutes)),
                      std::to_string(WholeHours(r.unclassified_minutes)),
                      std::to_string(WholeHours(r.notified_minutes))});
  }
  return out;
}

std::string GemeenteHoursId(std::string_view gemeente_code, std::string_view learner_id,
                            Date peildatum) {
  return "gemeente/" + std::string(gemeente_code) + "/" + std::string(learner_id) + "/" +
         FormatDate(peildatum);
}

GemeenteHours GemeenteHoursOf(const GemeenteRow& row) {
  GemeenteHours h;
  h.id = GemeenteHoursId(row.gemeente_code, row.learner_id, row.peildatum);
  h.learner_id = row.learner_id;
  h.gemeente_code = row.gemeente_code;
  h.peildatum = row.peildatum;
  h.bsn = row.bsn;
  h.attended_hours = WholeHours(row.attended_minutes);
  h.literacy_hours = WholeHours(row.literacy_minutes);
  h.excused_hours = WholeHours(row.excused_minutes);
  h.unexcused_hours = WholeHours(row.unexcused_minutes);
  h.unclassified_hours = WholeHours(row.unclassified_minutes);
  h.notified_hours = WholeHours(row.notified_minutes);
  return h;
}

Status Validate(const GemeenteHours& h) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(h.learner_id, "learner id"));
  PRESENTIE_RETURN_IF_ERROR(ValidateGemeenteCode(h.gemeente_code));
  if (!ParseDate(FormatDate(h.peildatum)).ok()) {
    return InvalidArgument("a gemeente row holds an invalid date");
  }
  if (h.id != GemeenteHoursId(h.gemeente_code, h.learner_id, h.peildatum)) {
    return InvalidArgument("a gemeente row's id '" + h.id +
                           "' does not match its gemeente, learner and reference date");
  }
  if (!IsValidBsn(h.bsn)) return InvalidArgument("a gemeente row's BSN is not a valid BSN");
  for (int64_t hours : {h.attended_hours, h.literacy_hours, h.excused_hours, h.unexcused_hours,
                        h.unclassified_hours, h.notified_hours}) {
    if (hours < 0) return InvalidArgument("a gemeente row's hours are negative");
  }
  return Status::Ok();
}

std::string GemeenteAbsenceId(std::string_view gemeente_code, std::string_view lesson_id,
                              std::string_view learner_id) {
  return "gemeente/" + std::string(gemeente_code) + "/absence/" + AttendanceId(lesson_id, learner_id);
}

std::string GemeenteDecisionId(std::string_view gemeente_code, std::string_view lesson_id,
                               std::string_view learner_id) {
  return "gemeente/" + std::string(gemeente_code) + "/decision/" +
         AttendanceId(lesson_id, learner_id);
}

Status Validate(const GemeenteAbsence& a) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(a.lesson_id, "lesson id"));
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(a.learner_id, "learner id"));
  PRESENTIE_RETURN_IF_ERROR(ValidateGemeenteCode(a.gemeente_code));
  if (a.id != GemeenteAbsenceId(a.gemeente_code, a.lesson_id, a.learner_id)) {
    return InvalidArgument("an absence's id '" + a.id +
                           "' does not match its gemeente, lesson and learner");
  }
  if (!IsValidBsn(a.bsn)) return InvalidArgument("an absence's BSN is not a valid BSN");
  if (!ParseDateTime(FormatDateTime(a.lesson_start)).ok()) {
    return InvalidArgument("an absence's lesson start is not a valid time");
  }
  if (a.minutes_absent < 0 || a.minutes_absent > 720) {
    return InvalidArgument("an absence's minutes are out of range 0..720");
  }
  if (a.minutes_absent == 0 && a.notified_in_advance) {
    return InvalidArgument("a withdrawn absence (0 minutes) cannot be notified in advance");
  }
  return Status::Ok();
}

std::vector<GemeenteAbsence> GemeenteAbsencesFor(const Learner& learner,
                                                 std::span<const LessonLine> lines,
                                                 std::string_view gemeente_code, Date peildatum) {
  std::vector<GemeenteAbsence> out;
  if (!Recipients(DataItem::kAbsenceFacts, learner).contains(Endpoint::kGemeente) ||
      learner.gemeente_code != gemeente_code) {
    return out;
  }
  for (const LessonLine& line : lines) {
    if (line.start.date > peildatum || !line.attendance.has_value()) continue;
    const Attendance& a = *line.attendance;
    const int absent = MinutesAbsent(a, line.duration_minutes);
    if (absent == 0) continue;
    GemeenteAbsence g;
    g.id = GemeenteAbsenceId(gemeente_code, a.lesson_id, learner.id);
    g.lesson_id = a.lesson_id;
    g.learner_id = learner.id;
    g.gemeente_code = learner.gemeente_code;
    g.bsn = learner.bsn;
    g.lesson_start = line.start;
    g.minutes_absent = absent;
    g.notified_in_advance = a.notified_in_advance;
    out.push_back(std::move(g));
  }
  return out;
}

Status Validate(const GemeenteDecision& d) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(d.lesson_id, "lesson id"));
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(d.learner_id, "learner id"));
  PRESENTIE_RETURN_IF_ERROR(ValidateGemeenteCode(d.gemeente_code));
  if (d.id != GemeenteDecisionId(d.gemeente_code, d.lesson_id, d.learner_id)) {
    return InvalidArgument("a gemeente decision's id '" + d.id +
                           "' does not match its gemeente, lesson and learner");
  }
  if (d.value != Classification::kExcused && d.value != Classification::kUnexcused) {
    return InvalidArgument("a gemeente decision is excused or unexcused, not '" +
                           std::string(ToString(d.value)) + "'");
  }
  if (!ParseDate(FormatDate(d.decided_on)).ok()) {
    return InvalidArgument("a gemeente decision holds an invalid date");
  }
  return Status::Ok();
}

namespace {
constexpr int64_t kMaxCents = 10'000'000;  // EUR 100,000: far above any course's price
bool ValidDay(const Date& d) { return ParseDate(FormatDate(d)).ok(); }
}  // namespace

Status Validate(const Contract& c) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(c.id, "contract number"));
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(c.learner_id, "learner id"));
  const std::string p = "contract '" + c.id + "': ";
  if (!IsValidBsn(c.bsn)) return InvalidArgument(p + "the BSN is not a valid BSN");
  if (!ValidDay(c.signed_on) || !ValidDay(c.start) || !ValidDay(c.end)) {
    return InvalidArgument(p + "a date is not a valid date");
  }
  if (c.end < c.start) return InvalidArgument(p + "it ends before it starts");
  if (c.end < c.signed_on) return InvalidArgument(p + "it ends before it was signed");
  if (c.hours < 1 || c.hours > 9999) {
    return InvalidArgument(p + "hours must be 1..9999, not " + std::to_string(c.hours));
  }
  if (c.price_cents < 0 || c.price_cents > kMaxCents) {
    return InvalidArgument(p + "the price must be 0..100000.00 euro");
  }
  return Status::Ok();
}

Status Validate(const Invoice& i) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(i.id, "invoice number"));
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(i.contract_id, "contract number"));
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(i.learner_id, "learner id"));
  const std::string p = "invoice '" + i.id + "': ";
  if (!IsValidBsn(i.bsn)) return InvalidArgument(p + "the BSN is not a valid BSN");
  if (!ValidDay(i.invoiced_on)) return InvalidArgument(p + "the date is not a valid date");
  if (i.hours < 0 || i.hours > 9999) {
    return InvalidArgument(p + "hours must be 0..9999, not " + std::to_string(i.hours));
  }
  if (i.amount_cents < 1 || i.amount_cents > kMaxCents) {
    return InvalidArgument(p + "the amount must be 0.01..100000.00 euro");
  }
  return Status::Ok();
}

std::string BridgingDiplomaId(std::string_view learner_id, std::string_view gemeente_code) {
  if (gemeente_code.empty()) return "duo/diploma/" + std::string(learner_id);
  return "gemeente/" + std::string(gemeente_code) + "/diploma/" + std::string(learner_id);
}

Status Validate(const BridgingDiploma& d) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(d.learner_id, "learner id"));
  if (!d.gemeente_code.empty()) PRESENTIE_RETURN_IF_ERROR(ValidateGemeenteCode(d.gemeente_code));
  if (d.id != BridgingDiplomaId(d.learner_id, d.gemeente_code)) {
    return InvalidArgument("a bridging diploma's id '" + d.id +
                           "' does not match its learner and receiver");
  }
  if (!IsValidBsn(d.bsn)) return InvalidArgument("a bridging diploma's BSN is not a valid BSN");
  if (!ValidDay(d.awarded_on)) {
    return InvalidArgument("bridging diploma '" + d.id + "': the date is not a valid date");
  }
  return Status::Ok();
}

std::string_view GemeenteOfSubmissionId(std::string_view id) {
  constexpr std::string_view kPrefix = "gemeente/";
  if (!id.starts_with(kPrefix)) return {};
  id.remove_prefix(kPrefix.size());
  return id.substr(0, id.find('/'));
}

std::string GemeentePipId(std::string_view gemeente_code, std::string_view learner_id) {
  return "gemeente/" + std::string(gemeente_code) + "/pip/" + std::string(learner_id);
}

Status Validate(const GemeentePip& p) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(p.learner_id, "learner id"));
  PRESENTIE_RETURN_IF_ERROR(ValidateGemeenteCode(p.gemeente_code));
  if (p.id != GemeentePipId(p.gemeente_code, p.learner_id)) {
    return InvalidArgument("a PIP's id '" + p.id + "' does not match its gemeente and learner");
  }
  const std::string what = "the PIP of learner '" + p.learner_id + "'";
  if (p.route == Route::kNone) return InvalidArgument(what + " has no route (B, O or Z)");
  if (p.level == Level::kNone) return InvalidArgument(what + " has no level (A2 or B1)");
  if (p.estimated_hours < 0 || p.estimated_hours > 9999) {
    return InvalidArgument(what + ": estimated hours must be 0..9999");
  }
  if (p.lessons_per_week < 0 || p.lessons_per_week > 40) {
    return InvalidArgument(what + ": lessons per week must be 0..40");
  }
  if (!ParseDate(FormatDate(p.decided_on)).ok()) {
    return InvalidArgument(what + " holds an invalid date");
  }
  return Status::Ok();
}

Learner WithPip(Learner learner, const GemeentePip& pip) {
  learner.route = pip.route;
  learner.level = pip.level;
  learner.literacy = pip.literacy;
  learner.estimated_hours = pip.estimated_hours;
  learner.lessons_per_week = pip.lessons_per_week;
  return learner;
}

std::string GemeenteNawId(std::string_view gemeente_code, std::string_view learner_id) {
  return "gemeente/" + std::string(gemeente_code) + "/naw/" + std::string(learner_id);
}

Status Validate(const GemeenteNaw& n) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(n.learner_id, "learner id"));
  PRESENTIE_RETURN_IF_ERROR(ValidateGemeenteCode(n.gemeente_code));
  if (n.id != GemeenteNawId(n.gemeente_code, n.learner_id)) {
    return InvalidArgument("a NAW record's id '" + n.id +
                           "' does not match its gemeente and learner");
  }
  const std::string context = "the NAW data of learner '" + n.learner_id + "'";
  PRESENTIE_RETURN_IF_ERROR(ValidateText("name", n.name, 200, true).WithContext(context));
  PRESENTIE_RETURN_IF_ERROR(ValidateText("address", n.address, 200, true).WithContext(context));
  PRESENTIE_RETURN_IF_ERROR(
      ValidateText("residence", n.residence, 200, true).WithContext(context));
  Result<std::string> postcode = NormalizePostcode(n.postcode);
  if (!postcode.ok() || *postcode != n.postcode) {
    return InvalidArgument(context + ": postcode is not a postcode (1234AB)");
  }
  if (!ParseDate(FormatDate(n.decided_on)).ok()) {
    return InvalidArgument(context + ": the date is not a valid date");
  }
  return Status::Ok();
}

Learner WithNaw(Learner learner, const GemeenteNaw& naw) {
  learner.name = naw.name;
  return learner;
}

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
    return InvalidArgument(what + ": R1 gives Blik op Werk the planning of B1-route, Z-route "
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
    out.push_back(BowQualification{BowQualificationId(q.id), q.id, q.teacher, q.component,
                                   q.title, q.obtained});
  }
  return out;
}

}  // namespace presentie::exports
