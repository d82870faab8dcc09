#include "storage/internal/records.h"

#include <cassert>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "core/enum_names.h"
#include "core/utf8.h"
#include "storage/internal/body.h"
#include "storage/store.h"

namespace presentie::storage {

namespace {

// The names on disk (the changes table, the outbox) and in sync messages.
constexpr EnumName<RecordKind> kRecordKindNames[] = {
    {RecordKind::kLearner, "learner"},
    {RecordKind::kCourse, "course"},
    {RecordKind::kEnrollment, "enrollment"},
    {RecordKind::kLesson, "lesson"},
    {RecordKind::kAttendance, "attendance"},
    {RecordKind::kDuoHours, "duo_hours"},
    {RecordKind::kGemeenteHours, "gemeente_hours"},
    {RecordKind::kGemeenteAbsence, "gemeente_absence"},
    {RecordKind::kGemeenteDecision, "gemeente_decision"},
    {RecordKind::kDuoAbsence, "duo_absence"},
    {RecordKind::kDuoExamResult, "duo_exam_result"},
    {RecordKind::kQualification, "qualification"},
    {RecordKind::kBowPlanning, "bow_planning"},
    {RecordKind::kBowQualification, "bow_qualification"},
    {RecordKind::kGemeentePip, "gemeente_pip"},
    {RecordKind::kDuoDuty, "duo_duty"},
    {RecordKind::kContract, "contract"},
    {RecordKind::kInvoice, "invoice"},
    {RecordKind::kBridgingDiploma, "bridging_diploma"},
    {RecordKind::kGemeenteNaw, "gemeente_naw"},
};
static_assert(IsEnumTable(kRecordKindNames) &&
              std::size(kRecordKindNames) == std::size(kAllRecordKinds));

}  // namespace

std::string_view ToString(RecordKind k) { return NameOf(kRecordKindNames, k, ""); }

Result<RecordKind> ParseRecordKind(std::string_view text) {
  if (std::optional<RecordKind> k = ValueOf<RecordKind>(kRecordKindNames, text)) return *k;
  return InvalidArgument("unknown record kind '" + std::string(text) + "'");
}

namespace internal {

size_t SplitAttendanceFacts(std::string_view facts, std::string_view (&fields)[7],
                            std::string_view* note) {
  *note = {};
  for (size_t i = 0; i < 7; ++i) {
    const size_t bar = facts.find('|');
    if (bar == std::string_view::npos) return i;
    fields[i] = facts.substr(0, bar);
    facts.remove_prefix(bar + 1);
  }
  *note = facts;
  return 7;
}

Result<std::string> EncodeBody(const Learner& l) {
  CanonicalObject o;
  o.Text("bsn", l.bsn)
      .Text("category", ToString(l.category))
      .Int("estimated_hours", l.estimated_hours)
      .Text("gemeente_code", l.gemeente_code)
      .Text("id", l.id)
      .Int("lessons_per_week", l.lessons_per_week)
      .Text("level", ToString(l.level))
      .Text("literacy", ToString(l.literacy))
      .Text("name", l.name)
      .Text("regime", ToString(l.regime))
      .Text("route", ToString(l.route));
  return o.Finish("learner", l.id);
}

Result<std::string> EncodeBody(const Course& c) {
  CanonicalObject o;
  o.Text("component", ToString(c.component));
  OptionalDate(o, "end_date", c.end_date);
  o.Int("hours_purchased", c.hours_purchased)
      .Text("id", c.id)
      .Text("name", c.name)
      .Text("regime", ToString(c.regime))
      .Text("route", ToString(c.route));
  OptionalDate(o, "start_date", c.start_date);
  return o.Finish("course", c.id);
}

Result<std::string> EncodeBody(const Enrollment& e) {
  CanonicalObject o;
  o.Bool("active", e.active)
      .Text("course_id", e.course_id)
      .Text("id", e.id)
      .Text("learner_id", e.learner_id);
  return o.Finish("enrolment", e.id);
}

Result<std::string> EncodeBody(const Lesson& l) {
  CanonicalObject o;
  o.Text("course_id", l.course_id)
      .Int("duration_minutes", l.duration_minutes)
      .Text("id", l.id)
      .Text("start", FormatDateTime(l.start))
      .Text("teacher", l.teacher);
  return o.Finish("lesson", l.id);
}

Result<std::string> EncodeBody(const Attendance& a) {
  // Format "a1" (docs/storage.md, "The attendance body"): the facts in a
  // fixed order, the note last and as it is.
  if (!IsUtf8(a.note)) {
    return InvalidArgument("attendance '" + a.id + "': body field 'note' is not valid UTF-8");
  }
  std::string out = std::string(kAttendanceBodyV1);
  const auto field = [&out](std::string_view v) {
    out += v;
    out += '|';
  };
  field(ToString(a.status));
  field(std::to_string(a.minutes_present));
  field(ToString(a.mode));
  field(a.notified_in_advance ? "1" : "0");
  field(ToString(a.reason));
  field(a.decision.has_value() ? ToString(a.decision->value) : std::string_view("-"));
  field(a.decision.has_value() ? ToString(a.decision->decided_by) : std::string_view("-"));
  out += a.note;
  return out;
}

Result<std::string> EncodeBody(const exports::DuoHours& h) {
  CanonicalObject o;
  o.Text("as_of", FormatDate(h.as_of))
      .Text("bsn", h.bsn)
      .Text("course_id", h.course_id)
      .Text("course_type", exports::ToString(h.type))
      .Text("end", FormatDate(h.end))
      .Int("hours_attended", h.hours_attended)
      .Int("hours_purchased", h.hours_purchased)
      .Text("id", h.id)
      .Text("learner_id", h.learner_id)
      .Int("ona_hours", h.ona_hours)
      .Text("start", FormatDate(h.start));
  return o.Finish("DUO row", h.id);
}

Result<std::string> EncodeBody(const exports::GemeenteHours& h) {
  CanonicalObject o;
  o.Int("attended_hours", h.attended_hours)
      .Text("bsn", h.bsn)
      .Int("excused_hours", h.excused_hours)
      .Text("gemeente_code", h.gemeente_code)
      .Text("id", h.id)
      .Text("learner_id", h.learner_id)
      .Int("literacy_hours", h.literacy_hours)
      .Int("notified_hours", h.notified_hours)
      .Text("peildatum", FormatDate(h.peildatum))
      .Int("unclassified_hours", h.unclassified_hours)
      .Int("unexcused_hours", h.unexcused_hours);
  return o.Finish("gemeente row", h.id);
}

Result<std::string> EncodeBody(const exports::GemeenteAbsence& a) {
  CanonicalObject o;
  o.Text("bsn", a.bsn)
      .Text("gemeente_code", a.gemeente_code)
      .Text("id", a.id)
      .Text("learner_id", a.learner_id)
      .Text("lesson_id", a.lesson_id)
      .Text("lesson_start", FormatDateTime(a.lesson_start))
      .Int("minutes_absent", a.minutes_absent)
      .Bool("notified_in_advance", a.notified_in_advance);
  return o.Finish("absence", a.id);
}

Result<std::string> EncodeBody(const exports::DuoAbsence& a) {
  CanonicalObject o;
  o.Text("bsn", a.bsn)
      .Text("classification", ToString(a.classification))
      .Text("id", a.id)
      .Text("learner_id", a.learner_id)
      .Text("lesson_id", a.lesson_id)
      .Text("lesson_start", FormatDateTime(a.lesson_start))
      .Int("minutes_absent", a.minutes_absent);
  return o.Finish("DUO absence", a.id);
}

Result<std::string> EncodeBody(const exports::DuoExamResult& r) {
  CanonicalObject o;
  o.Text("bsn", r.bsn)
      .Text("exam", exports::ToString(r.exam))
      .Text("id", r.id)
      .Text("learner_id", r.learner_id)
      .Text("level", ToString(r.level))
      .Bool("passed", r.passed)
      .Text("taken_on", FormatDate(r.taken_on));
  return o.Finish("exam result", r.id);
}

Result<std::string> EncodeBody(const exports::GemeenteDecision& d) {
  CanonicalObject o;
  o.Text("decided_on", FormatDate(d.decided_on))
      .Text("gemeente_code", d.gemeente_code)
      .Text("id", d.id)
      .Text("learner_id", d.learner_id)
      .Text("lesson_id", d.lesson_id)
      .Text("value", ToString(d.value));
  return o.Finish("gemeente decision", d.id);
}

Result<std::string> EncodeBody(const Qualification& q) {
  CanonicalObject o;
  o.Text("component", ToString(q.component))
      .Text("id", q.id)
      .Text("obtained", FormatDate(q.obtained))
      .Text("teacher", q.teacher)
      .Text("title", q.title);
  return o.Finish("qualification", q.id);
}

Result<std::string> EncodeBody(const exports::BowPlanning& p) {
  CanonicalObject o;
  o.Text("component", ToString(p.component))
      .Text("course_id", p.course_id)
      .Text("course_name", p.course_name)
      .Text("end", FormatDate(p.end))
      .Text("id", p.id)
      .Int("lessons", p.lessons)
      .Int("planned_minutes", p.planned_minutes)
      .Text("regime", ToString(p.regime))
      .Text("route", ToString(p.route))
      .Text("start", FormatDate(p.start))
      .Text("teachers", JoinLines(p.teachers));
  return o.Finish("course planning", p.id);
}

Result<std::string> EncodeBody(const exports::BowQualification& q) {
  CanonicalObject o;
  o.Text("component", ToString(q.component))
      .Text("id", q.id)
      .Text("obtained", FormatDate(q.obtained))
      .Text("qualification_id", q.qualification_id)
      .Text("teacher", q.teacher)
      .Text("title", q.title);
  return o.Finish("BoW qualification", q.id);
}

Result<std::string> EncodeBody(const exports::GemeentePip& p) {
  CanonicalObject o;
  o.Text("decided_on", FormatDate(p.decided_on))
      .Int("estimated_hours", p.estimated_hours)
      .Text("gemeente_code", p.gemeente_code)
      .Text("id", p.id)
      .Text("learner_id", p.learner_id)
      .Int("lessons_per_week", p.lessons_per_week)
      .Text("level", ToString(p.level))
      .Text("literacy", ToString(p.literacy))
      .Text("route", ToString(p.route));
  return o.Finish("PIP", p.id);
}

Result<std::string> EncodeBody(const exports::DuoDuty& d) {
  CanonicalObject o;
  o.Text("bsn", d.bsn)
      .Text("decided_on", FormatDate(d.decided_on))
      .Text("id", d.id)
      .Text("learner_id", d.learner_id)
      .Text("status", exports::ToString(d.status));
  if (d.term_end.has_value()) {
    o.Text("term_end", FormatDate(*d.term_end));
  } else {
    o.Null("term_end");
  }
  return o.Finish("duty status", d.id);
}

Result<std::string> EncodeBody(const exports::Contract& c) {
  CanonicalObject o;
  o.Text("bsn", c.bsn)
      .Text("end", FormatDate(c.end))
      .Int("hours", c.hours)
      .Text("id", c.id)
      .Text("learner_id", c.learner_id)
      .Int("price_cents", c.price_cents)
      .Text("signed_on", FormatDate(c.signed_on))
      .Text("start", FormatDate(c.start));
  return o.Finish("contract", c.id);
}

Result<std::string> EncodeBody(const exports::Invoice& i) {
  CanonicalObject o;
  o.Int("amount_cents", i.amount_cents)
      .Text("bsn", i.bsn)
      .Text("contract_id", i.contract_id)
      .Int("hours", i.hours)
      .Text("id", i.id)
      .Text("invoiced_on", FormatDate(i.invoiced_on))
      .Text("learner_id", i.learner_id);
  return o.Finish("invoice", i.id);
}

Result<std::string> EncodeBody(const exports::BridgingDiploma& d) {
  CanonicalObject o;
  o.Text("awarded_on", FormatDate(d.awarded_on))
      .Text("bsn", d.bsn)
      .Text("gemeente_code", d.gemeente_code)
      .Text("id", d.id)
      .Text("learner_id", d.learner_id);
  return o.Finish("bridging diploma", d.id);
}

Result<std::string> EncodeBody(const exports::GemeenteNaw& n) {
  CanonicalObject o;
  o.Text("address", n.address)
      .Text("decided_on", FormatDate(n.decided_on))
      .Text("gemeente_code", n.gemeente_code)
      .Text("id", n.id)
      .Text("learner_id", n.learner_id)
      .Text("name", n.name)
      .Text("postcode", n.postcode)
      .Text("residence", n.residence);
  return o.Finish("NAW data", n.id);
}

std::string JoinLines(std::span<const std::string> lines) {
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  size_t from = 0;
  for (;;) {
    const size_t nl = text.find('\n', from);
    out.emplace_back(text.substr(from, nl - from));
    if (nl == std::string_view::npos) break;
    from = nl + 1;
  }
  return out;
}

}  // namespace internal
}  // namespace presentie::storage
