#include "core/authorities/gemeente.h"

#include <algorithm>
#include <map>

#include "core/authorities/common.h"
#include "core/classification.h"
#include "core/ids.h"
#include "core/routing.h"

namespace presentie::exports {

using internal::AppendLine;
using internal::DutchDate;
using internal::OnSiteMinutes;

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
  return "gemeente/" + std::string(gemeente_code) + "/absence/" +
         AttendanceId(lesson_id, learner_id);
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
  PRESENTIE_RETURN_IF_ERROR(ValidateText("residence", n.residence, 200, true).WithContext(context));
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

}  // namespace presentie::exports
