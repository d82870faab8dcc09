// Records as versions: the bridge between the change log's canonical
// bodies (JSON; an attendance's compact text since schema version 9) and
// the typed records the sync layer sends. Also defines
// storage/record.h's KindOf and RecordIdOf.
//
// A body is read strictly: every field the canonical form has must be there
// with its JSON type, enum names must be the canonical ones, dates and times
// must be in the one format the store writes, and the ids must agree with the
// change-log row. Keys the canonical form does not (yet) have are ignored, so
// a body written by a newer program that only added fields still reads. The
// domain's own rules (Validate) are not applied here: a version that was valid
// when written stays readable when the rules tighten; whoever applies a
// received version validates it then.
//
// Error messages name the record by the change-log row's id and the field by
// its key, never by its value: a body holds names, BSNs and absence reasons.
#include "storage/versioned.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>

#include "core/ids.h"
#include "core/utf8.h"
#include "storage/internal/body.h"
#include "storage/internal/records.h"

namespace presentie::storage {
namespace {

using internal::BodyReader;
using Json = nlohmann::json;

Learner ReadLearner(BodyReader& r) {
  Learner l;
  l.id = r.Text("id");
  l.bsn = r.Text("bsn");
  l.name = r.Text("name");
  l.category = r.Enum<Category>("category", ParseCategory);
  l.regime = r.Enum<Regime>("regime", ParseRegime);
  l.route = r.Enum<Route>("route", ParseRoute);
  l.level = r.Enum<Level>("level", ParseLevel);
  l.literacy = r.Enum<Literacy>("literacy", ParseLiteracy);
  l.estimated_hours = r.Int("estimated_hours");
  l.gemeente_code = r.Text("gemeente_code");
  l.lessons_per_week = r.Int("lessons_per_week");
  return l;
}

Course ReadCourse(BodyReader& r) {
  Course c;
  c.id = r.Text("id");
  c.name = r.Text("name");
  c.component = r.Enum<Component>("component", ParseComponent);
  c.regime = r.Enum<Regime>("regime", ParseRegime);
  c.route = r.Enum<Route>("route", ParseRoute);
  c.start_date = r.OptionalDate("start_date");
  c.end_date = r.OptionalDate("end_date");
  c.hours_purchased = r.Int("hours_purchased");
  return c;
}

Enrollment ReadEnrollment(BodyReader& r) {
  Enrollment e;
  e.id = r.Text("id");
  e.course_id = r.Text("course_id");
  e.learner_id = r.Text("learner_id");
  e.active = r.Bool("active");
  if (r.status().ok() && e.id != EnrollmentId(e.course_id, e.learner_id)) {
    r.FailRecord("body id does not match its course and learner");
  }
  return e;
}

Lesson ReadLesson(BodyReader& r) {
  Lesson l;
  l.id = r.Text("id");
  l.course_id = r.Text("course_id");
  l.start = r.Time("start");
  l.duration_minutes = r.Int("duration_minutes");
  l.teacher = r.Text("teacher");
  return l;
}

Attendance ReadAttendance(BodyReader& r) {
  Attendance a;
  a.id = r.Text("id");
  a.lesson_id = r.Text("lesson_id");
  a.learner_id = r.Text("learner_id");
  a.status = r.Enum<AttendanceStatus>("status", ParseAttendanceStatus);
  a.minutes_present = r.Int("minutes_present");
  a.mode = r.Enum<Mode>("mode", ParseMode);
  a.notified_in_advance = r.Bool("notified_in_advance");
  a.reason = r.Enum<AbsenceReason>("reason", ParseAbsenceReason);
  a.note = r.Text("note");
  if (const Json* decision = r.OptionalObject("decision"); decision != nullptr) {
    BodyReader d(*decision, "");
    ClassificationDecision cd;
    cd.value = d.Enum<Classification>("value", ParseClassification);
    cd.decided_by = d.Enum<Role>("decided_by", ParseRole);
    if (!d.status().ok()) {
      r.Fail("decision", "is not a decision (value, decided_by)");
    } else {
      a.decision = cd;
    }
  }
  if (r.status().ok() && a.id != AttendanceId(a.lesson_id, a.learner_id)) {
    r.FailRecord("body id does not match its lesson and learner");
  }
  return a;
}

// An attendance body of format "a1" (internal/records.h,
// kAttendanceBodyV1), read as strictly as a JSON one: every field there,
// enums by their canonical names, minutes canonical decimal.
Result<Attendance> ReadCompactAttendance(std::string_view record_id, std::string_view body,
                                         const std::string& prefix) {
  const auto bad = [&](std::string_view key, std::string_view what) {
    return InvalidArgument(prefix + "body field '" + std::string(key) + "' " + std::string(what));
  };
  std::string_view fields[7];
  std::string_view rest;
  constexpr const char* kNames[7] = {"status", "minutes_present", "mode", "notified_in_advance",
                                     "reason", "decision", "decided_by"};
  const size_t found = internal::SplitAttendanceFacts(
      body.substr(internal::kAttendanceBodyV1.size()), fields, &rest);
  if (found < 7) return bad(kNames[found], "is missing");
  Attendance a;
  const size_t slash = record_id.find('/');
  if (slash == std::string_view::npos) {
    return InvalidArgument(prefix + "an attendance's id is not <lesson>/<learner>");
  }
  a.lesson_id = std::string(record_id.substr(0, slash));
  a.learner_id = std::string(record_id.substr(slash + 1));
  a.id = std::string(record_id);
  const auto canonical = [](auto parsed, std::string_view text) {
    return parsed.ok() && ToString(*parsed) == text;
  };
  auto status = ParseAttendanceStatus(fields[0]);
  if (!canonical(status, fields[0])) return bad(kNames[0], "is not a known value");
  a.status = *status;
  const std::string_view m = fields[1];
  const bool digits = !m.empty() && m.size() <= 9 &&
                      std::all_of(m.begin(), m.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || (m.size() > 1 && m[0] == '0')) return bad(kNames[1], "is not an integer in range");
  a.minutes_present = std::stoi(std::string(m));
  auto mode = ParseMode(fields[2]);
  if (!canonical(mode, fields[2])) return bad(kNames[2], "is not a known value");
  a.mode = *mode;
  if (fields[3] != "0" && fields[3] != "1") return bad(kNames[3], "is not 0 or 1");
  a.notified_in_advance = fields[3] == "1";
  auto reason = ParseAbsenceReason(fields[4]);
  if (!canonical(reason, fields[4])) return bad(kNames[4], "is not a known value");
  a.reason = *reason;
  if (fields[5] != "-" || fields[6] != "-") {
    auto value = ParseClassification(fields[5]);
    auto by = ParseRole(fields[6]);
    if (!canonical(value, fields[5]) || !canonical(by, fields[6])) {
      return bad(kNames[5], "is not a decision (value, decided_by)");
    }
    a.decision = ClassificationDecision{*value, *by};
  }
  if (!IsUtf8(rest)) return bad("note", "is not valid UTF-8");
  a.note = std::string(rest);
  return a;
}

exports::DuoHours ReadDuoHours(BodyReader& r) {
  exports::DuoHours h;
  h.id = r.Text("id");
  h.learner_id = r.Text("learner_id");
  h.course_id = r.Text("course_id");
  h.as_of = r.Day("as_of");
  h.bsn = r.Text("bsn");
  h.type = r.Enum<exports::DuoCourseType>("course_type", exports::ParseDuoCourseType);
  h.start = r.Day("start");
  h.end = r.Day("end");
  h.hours_purchased = r.Int("hours_purchased");
  h.hours_attended = r.Int("hours_attended");
  h.ona_hours = r.Int("ona_hours");
  if (r.status().ok() && h.id != exports::DuoHoursId(h.learner_id, h.course_id, h.as_of)) {
    r.FailRecord("body id does not match its learner, course and month");
  }
  return h;
}

exports::GemeenteHours ReadGemeenteHours(BodyReader& r) {
  exports::GemeenteHours h;
  h.id = r.Text("id");
  h.learner_id = r.Text("learner_id");
  h.gemeente_code = r.Text("gemeente_code");
  h.peildatum = r.Day("peildatum");
  h.bsn = r.Text("bsn");
  h.attended_hours = r.Int("attended_hours");
  h.literacy_hours = r.Int("literacy_hours");
  h.excused_hours = r.Int("excused_hours");
  h.unexcused_hours = r.Int("unexcused_hours");
  h.unclassified_hours = r.Int("unclassified_hours");
  h.notified_hours = r.Int("notified_hours");
  if (r.status().ok() &&
      h.id != exports::GemeenteHoursId(h.gemeente_code, h.learner_id, h.peildatum)) {
    r.FailRecord("body id does not match its gemeente, learner and reference date");
  }
  return h;
}

exports::GemeenteAbsence ReadGemeenteAbsence(BodyReader& r) {
  exports::GemeenteAbsence a;
  a.id = r.Text("id");
  a.lesson_id = r.Text("lesson_id");
  a.learner_id = r.Text("learner_id");
  a.gemeente_code = r.Text("gemeente_code");
  a.bsn = r.Text("bsn");
  a.lesson_start = r.Time("lesson_start");
  a.minutes_absent = r.Int("minutes_absent");
  a.notified_in_advance = r.Bool("notified_in_advance");
  if (r.status().ok() &&
      a.id != exports::GemeenteAbsenceId(a.gemeente_code, a.lesson_id, a.learner_id)) {
    r.FailRecord("body id does not match its gemeente, lesson and learner");
  }
  return a;
}

exports::DuoAbsence ReadDuoAbsence(BodyReader& r) {
  exports::DuoAbsence a;
  a.id = r.Text("id");
  a.lesson_id = r.Text("lesson_id");
  a.learner_id = r.Text("learner_id");
  a.bsn = r.Text("bsn");
  a.lesson_start = r.Time("lesson_start");
  a.minutes_absent = r.Int("minutes_absent");
  a.classification = r.Enum<Classification>("classification", ParseClassification);
  if (r.status().ok() && a.id != exports::DuoAbsenceId(a.lesson_id, a.learner_id)) {
    r.FailRecord("body id does not match its lesson and learner");
  }
  return a;
}

exports::DuoExamResult ReadDuoExamResult(BodyReader& r) {
  exports::DuoExamResult e;
  e.id = r.Text("id");
  e.learner_id = r.Text("learner_id");
  e.bsn = r.Text("bsn");
  e.exam = r.Enum<exports::DuoExam>("exam", exports::ParseDuoExam);
  e.level = r.Enum<Level>("level", ParseLevel);
  e.passed = r.Bool("passed");
  e.taken_on = r.Day("taken_on");
  if (r.status().ok() && e.id != exports::DuoExamResultId(e.learner_id, e.exam, e.taken_on)) {
    r.FailRecord("body id does not match its learner, exam and date");
  }
  return e;
}

exports::GemeenteDecision ReadGemeenteDecision(BodyReader& r) {
  exports::GemeenteDecision d;
  d.id = r.Text("id");
  d.lesson_id = r.Text("lesson_id");
  d.learner_id = r.Text("learner_id");
  d.gemeente_code = r.Text("gemeente_code");
  d.value = r.Enum<Classification>("value", ParseClassification);
  d.decided_on = r.Day("decided_on");
  if (r.status().ok() &&
      d.id != exports::GemeenteDecisionId(d.gemeente_code, d.lesson_id, d.learner_id)) {
    r.FailRecord("body id does not match its gemeente, lesson and learner");
  }
  return d;
}

Qualification ReadQualification(BodyReader& r) {
  Qualification q;
  q.id = r.Text("id");
  q.teacher = r.Text("teacher");
  q.component = r.Enum<Component>("component", ParseComponent);
  q.title = r.Text("title");
  q.obtained = r.Day("obtained");
  return q;
}

exports::BowPlanning ReadBowPlanning(BodyReader& r) {
  exports::BowPlanning p;
  p.id = r.Text("id");
  p.course_id = r.Text("course_id");
  p.course_name = r.Text("course_name");
  p.component = r.Enum<Component>("component", ParseComponent);
  p.regime = r.Enum<Regime>("regime", ParseRegime);
  p.route = r.Enum<Route>("route", ParseRoute);
  p.start = r.Day("start");
  p.end = r.Day("end");
  p.lessons = r.Int("lessons");
  p.planned_minutes = r.Int("planned_minutes");
  p.teachers = internal::SplitLines(r.Text("teachers"));
  if (r.status().ok() && p.id != exports::BowPlanningId(p.course_id)) {
    r.FailRecord("body id does not match its course");
  }
  return p;
}

exports::BowQualification ReadBowQualification(BodyReader& r) {
  exports::BowQualification q;
  q.id = r.Text("id");
  q.qualification_id = r.Text("qualification_id");
  q.teacher = r.Text("teacher");
  q.component = r.Enum<Component>("component", ParseComponent);
  q.title = r.Text("title");
  q.obtained = r.Day("obtained");
  if (r.status().ok() && q.id != exports::BowQualificationId(q.qualification_id)) {
    r.FailRecord("body id does not match its qualification");
  }
  return q;
}

exports::GemeentePip ReadGemeentePip(BodyReader& r) {
  exports::GemeentePip p;
  p.id = r.Text("id");
  p.learner_id = r.Text("learner_id");
  p.gemeente_code = r.Text("gemeente_code");
  p.route = r.Enum<Route>("route", ParseRoute);
  p.level = r.Enum<Level>("level", ParseLevel);
  p.literacy = r.Enum<Literacy>("literacy", ParseLiteracy);
  p.estimated_hours = r.Int("estimated_hours");
  p.lessons_per_week = r.Int("lessons_per_week");
  p.decided_on = r.Day("decided_on");
  if (r.status().ok() && p.id != exports::GemeentePipId(p.gemeente_code, p.learner_id)) {
    r.FailRecord("body id does not match its gemeente and learner");
  }
  return p;
}

exports::DuoDuty ReadDuoDuty(BodyReader& r) {
  exports::DuoDuty d;
  d.id = r.Text("id");
  d.learner_id = r.Text("learner_id");
  d.bsn = r.Text("bsn");
  d.status = r.Enum<exports::DutyStatus>("status", exports::ParseDutyStatus);
  d.term_end = r.OptionalDate("term_end");
  d.decided_on = r.Day("decided_on");
  if (r.status().ok() && d.id != exports::DuoDutyId(d.learner_id)) {
    r.FailRecord("body id does not match its learner");
  }
  return d;
}

exports::Contract ReadContract(BodyReader& r) {
  exports::Contract c;
  c.id = r.Text("id");
  c.learner_id = r.Text("learner_id");
  c.bsn = r.Text("bsn");
  c.signed_on = r.Day("signed_on");
  c.start = r.Day("start");
  c.end = r.Day("end");
  c.hours = r.Int("hours");
  c.price_cents = r.Int("price_cents");
  return c;
}

exports::Invoice ReadInvoice(BodyReader& r) {
  exports::Invoice i;
  i.id = r.Text("id");
  i.contract_id = r.Text("contract_id");
  i.learner_id = r.Text("learner_id");
  i.bsn = r.Text("bsn");
  i.invoiced_on = r.Day("invoiced_on");
  i.hours = r.Int("hours");
  i.amount_cents = r.Int("amount_cents");
  return i;
}

exports::BridgingDiploma ReadBridgingDiploma(BodyReader& r) {
  exports::BridgingDiploma d;
  d.id = r.Text("id");
  d.learner_id = r.Text("learner_id");
  d.bsn = r.Text("bsn");
  d.gemeente_code = r.Text("gemeente_code");
  d.awarded_on = r.Day("awarded_on");
  if (r.status().ok() && d.id != exports::BridgingDiplomaId(d.learner_id, d.gemeente_code)) {
    r.FailRecord("body id does not match its learner and receiver");
  }
  return d;
}

exports::GemeenteNaw ReadGemeenteNaw(BodyReader& r) {
  exports::GemeenteNaw n;
  n.id = r.Text("id");
  n.learner_id = r.Text("learner_id");
  n.gemeente_code = r.Text("gemeente_code");
  n.name = r.Text("name");
  n.address = r.Text("address");
  n.postcode = r.Text("postcode");
  n.residence = r.Text("residence");
  n.decided_on = r.Day("decided_on");
  if (r.status().ok() && n.id != exports::GemeenteNawId(n.gemeente_code, n.learner_id)) {
    r.FailRecord("body id does not match its gemeente and learner");
  }
  return n;
}

}  // namespace

RecordKind KindOf(const Record& r) { return kAllRecordKinds[r.index()]; }

std::string RecordIdOf(const Record& r) {
  return std::visit(
      [](const auto& record) -> std::string {
        if constexpr (std::is_same_v<std::decay_t<decltype(record)>, Attendance>) {
          return AttendanceId(record.lesson_id, record.learner_id);
        } else {
          return record.id;
        }
      },
      r);
}

Result<std::string> EncodeRecordBody(const Record& r) {
  return std::visit([](const auto& record) { return internal::EncodeBody(record); }, r);
}

Result<VersionedRecord> FromChange(const Change& change) {
  const std::string prefix = std::string(ToString(change.kind)) + " '" + change.record_id + "': ";
  if (change.kind == RecordKind::kAttendance &&
      std::string_view(change.body).starts_with(internal::kAttendanceBodyV1)) {
    PRESENTIE_ASSIGN_OR_RETURN(Attendance a,
                               ReadCompactAttendance(change.record_id, change.body, prefix));
    return VersionedRecord{change.stamp, std::move(a)};
  }
  // Parsing without exceptions: a body that is not JSON comes back discarded.
  const Json body = Json::parse(change.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return InvalidArgument(prefix + "body is not a JSON object");
  }
  BodyReader reader(body, prefix);
  Record record;
  switch (change.kind) {
    case RecordKind::kLearner:
      record = ReadLearner(reader);
      break;
    case RecordKind::kCourse:
      record = ReadCourse(reader);
      break;
    case RecordKind::kEnrollment:
      record = ReadEnrollment(reader);
      break;
    case RecordKind::kLesson:
      record = ReadLesson(reader);
      break;
    case RecordKind::kAttendance:
      record = ReadAttendance(reader);
      break;
    case RecordKind::kDuoHours:
      record = ReadDuoHours(reader);
      break;
    case RecordKind::kGemeenteHours:
      record = ReadGemeenteHours(reader);
      break;
    case RecordKind::kGemeenteAbsence:
      record = ReadGemeenteAbsence(reader);
      break;
    case RecordKind::kGemeenteDecision:
      record = ReadGemeenteDecision(reader);
      break;
    case RecordKind::kDuoAbsence:
      record = ReadDuoAbsence(reader);
      break;
    case RecordKind::kDuoExamResult:
      record = ReadDuoExamResult(reader);
      break;
    case RecordKind::kQualification:
      record = ReadQualification(reader);
      break;
    case RecordKind::kBowPlanning:
      record = ReadBowPlanning(reader);
      break;
    case RecordKind::kBowQualification:
      record = ReadBowQualification(reader);
      break;
    case RecordKind::kGemeentePip:
      record = ReadGemeentePip(reader);
      break;
    case RecordKind::kDuoDuty:
      record = ReadDuoDuty(reader);
      break;
    case RecordKind::kContract:
      record = ReadContract(reader);
      break;
    case RecordKind::kInvoice:
      record = ReadInvoice(reader);
      break;
    case RecordKind::kBridgingDiploma:
      record = ReadBridgingDiploma(reader);
      break;
    case RecordKind::kGemeenteNaw:
      record = ReadGemeenteNaw(reader);
      break;
  }
  PRESENTIE_RETURN_IF_ERROR(reader.status());
  if (RecordIdOf(record) != change.record_id) {
    return InvalidArgument(prefix + "body id does not match the change's record id");
  }
  return VersionedRecord{change.stamp, std::move(record)};
}

}  // namespace presentie::storage
