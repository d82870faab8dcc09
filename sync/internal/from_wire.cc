// Versions from the wire: each kind's message to its record, validated as it
// is converted (structural checks: ids, names, formats), and the stamp.
#include <utility>

#include "core/civil_time.h"
#include "core/ids.h"
#include "core/version_vector.h"
#include "sync/internal/columns.h"
#include "sync/internal/convert.h"

namespace presentie::sync::internal {
namespace {

using storage::VersionedRecord;

std::string Named(std::string_view kind, std::string_view id) {
  return std::string(kind) + " '" + std::string(id) + "'";
}

// "" or a canonical date.
Result<std::optional<Date>> OptionalDateFromWire(std::string_view text, std::string_view field) {
  if (text.empty()) return std::optional<Date>();
  Result<Date> d = ParseDate(text);
  if (!d.ok() || FormatDate(*d) != text) {
    return InvalidArgument(std::string(field) + " is not a date (yyyy-mm-dd)");
  }
  return std::optional<Date>(*d);
}

// Assigns the value of a parsed Result, or keeps its status; lets the record
// decoders read field after field and fail on the first bad one.
class Reader {
 public:
  explicit Reader(std::string prefix) : prefix_(std::move(prefix)) {}

  template <typename E>
  void Enum(std::string_view text, Result<E> (*parse)(std::string_view), std::string_view field,
            E* out) {
    if (!status_.ok()) return;
    Result<E> v = ParseCanonical(text, parse, field);
    if (!v.ok()) {
      status_ = v.status();
      return;
    }
    *out = *v;
  }
  void Check(Status s) {
    if (status_.ok() && !s.ok()) status_ = std::move(s);
  }
  Status Finish() const { return status_.WithContext(prefix_); }
  bool ok() const { return status_.ok(); }

 private:
  std::string prefix_;
  Status status_;
};

Result<Learner> LearnerFromWire(const pb::Learner& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.id(), "learner id").WithContext("learner"));
  Learner l;
  l.id = m.id();
  l.bsn = m.bsn();
  l.name = m.name();
  Reader r(Named("learner", l.id));
  r.Enum(m.category(), ParseCategory, "category", &l.category);
  r.Enum(m.regime(), ParseRegime, "regime", &l.regime);
  r.Enum(m.route(), ParseRoute, "route", &l.route);
  r.Enum(m.level(), ParseLevel, "level", &l.level);
  r.Enum(m.literacy(), ParseLiteracy, "literacy", &l.literacy);
  l.estimated_hours = m.estimated_hours();
  l.gemeente_code = m.gemeente_code();
  l.lessons_per_week = m.lessons_per_week();
  PRESENTIE_RETURN_IF_ERROR(r.Finish());
  return l;
}

Result<Course> CourseFromWire(const pb::Course& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.id(), "course id").WithContext("course"));
  Course c;
  c.id = m.id();
  c.name = m.name();
  Reader r(Named("course", c.id));
  r.Enum(m.component(), ParseComponent, "component", &c.component);
  r.Enum(m.regime(), ParseRegime, "regime", &c.regime);
  r.Enum(m.route(), ParseRoute, "route", &c.route);
  if (r.ok()) {
    Result<std::optional<Date>> start = OptionalDateFromWire(m.start_date(), "start date");
    Result<std::optional<Date>> end = OptionalDateFromWire(m.end_date(), "end date");
    r.Check(start.status());
    r.Check(end.status());
    if (r.ok()) {
      c.start_date = *start;
      c.end_date = *end;
    }
  }
  c.hours_purchased = m.hours_purchased();
  PRESENTIE_RETURN_IF_ERROR(r.Finish());
  return c;
}

Result<Enrollment> EnrollmentFromWire(const pb::Enrollment& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.course_id(), "course id").WithContext("enrolment"));
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("enrolment"));
  Enrollment e;
  e.course_id = m.course_id();
  e.learner_id = m.learner_id();
  e.id = EnrollmentId(e.course_id, e.learner_id);
  e.active = m.active();
  return e;
}

Result<Lesson> LessonFromWire(const pb::Lesson& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.id(), "lesson id").WithContext("lesson"));
  PRESENTIE_RETURN_IF_ERROR(Key(m.course_id(), "course id").WithContext(Named("lesson", m.id())));
  Lesson l;
  l.id = m.id();
  l.course_id = m.course_id();
  Result<DateTime> start = ParseDateTime(m.start());
  if (!start.ok() || FormatDateTime(*start) != m.start()) {
    return InvalidArgument(Named("lesson", l.id) + ": start is not a date and time");
  }
  l.start = *start;
  l.duration_minutes = m.duration_minutes();
  l.teacher = m.teacher();
  return l;
}

Result<Attendance> AttendanceFromWire(const pb::Attendance& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.lesson_id(), "lesson id").WithContext("attendance"));
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("attendance"));
  Attendance a;
  a.lesson_id = m.lesson_id();
  a.learner_id = m.learner_id();
  a.id = AttendanceId(a.lesson_id, a.learner_id);
  Reader r(Named("attendance", a.id));
  r.Enum(m.status(), ParseAttendanceStatus, "status", &a.status);
  a.minutes_present = m.minutes_present();
  if (a.minutes_present < 0 || a.minutes_present > kMaxWireMinutes) {
    r.Check(InvalidArgument("minutes_present " + std::to_string(a.minutes_present) +
                            " is not within 0.." + std::to_string(kMaxWireMinutes)));
  }
  r.Enum(m.mode(), ParseMode, "mode", &a.mode);
  a.notified_in_advance = m.notified_in_advance();
  r.Enum(m.reason(), ParseAbsenceReason, "reason", &a.reason);
  a.note = m.note();
  if (m.decision().empty() != m.decided_by().empty()) {
    r.Check(InvalidArgument("decision and decided_by must both be set or both be empty"));
  } else if (!m.decision().empty()) {
    ClassificationDecision d;
    r.Enum(m.decision(), ParseClassification, "decision", &d.value);
    r.Enum(m.decided_by(), ParseRole, "decided_by", &d.decided_by);
    a.decision = d;
  }
  PRESENTIE_RETURN_IF_ERROR(r.Finish());
  return a;
}

// A date in its one wire form, "yyyy-mm-dd"; `name` names the record.
Result<Date> DateFromWire(const std::string& text, std::string_view what, std::string_view name) {
  Result<Date> d = ParseDate(text);
  if (!d.ok() || FormatDate(*d) != text) {
    return InvalidArgument(std::string(name) + ": " + std::string(what) +
                           " is not a date (yyyy-mm-dd)");
  }
  return *d;
}

Result<exports::DuoHours> DuoHoursFromWire(const pb::DuoHours& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("DUO row"));
  PRESENTIE_RETURN_IF_ERROR(Key(m.course_id(), "course id").WithContext("DUO row"));
  exports::DuoHours h;
  h.learner_id = m.learner_id();
  h.course_id = m.course_id();
  const std::string name =
      "DUO row of " + Named("learner", h.learner_id) + " in " + Named("course", h.course_id);
  PRESENTIE_ASSIGN_OR_RETURN(h.as_of, DateFromWire(m.as_of(), "as_of", name));
  PRESENTIE_ASSIGN_OR_RETURN(h.start, DateFromWire(m.start(), "start", name));
  PRESENTIE_ASSIGN_OR_RETURN(h.end, DateFromWire(m.end(), "end", name));
  h.id = exports::DuoHoursId(h.learner_id, h.course_id, h.as_of);
  h.bsn = m.bsn();
  Reader r(Named("DUO row", h.id));
  r.Enum(m.course_type(), exports::ParseDuoCourseType, "course_type", &h.type);
  h.hours_purchased = m.hours_purchased();
  h.hours_attended = m.hours_attended();
  h.ona_hours = m.ona_hours();
  PRESENTIE_RETURN_IF_ERROR(r.Finish());
  // What the encoder refuses (ValidateForWire), the decoder refuses too: a
  // BSN that fails the elfproef, negative hours, an end before the start.
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(h));
  return h;
}

Result<exports::GemeenteHours> GemeenteHoursFromWire(const pb::GemeenteHours& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("gemeente row"));
  PRESENTIE_RETURN_IF_ERROR(
      ValidateGemeenteCode(m.gemeente_code()).WithContext("gemeente row's gemeente_code"));
  exports::GemeenteHours h;
  h.learner_id = m.learner_id();
  h.gemeente_code = m.gemeente_code();
  const std::string name = "gemeente row of " + Named("learner", h.learner_id);
  PRESENTIE_ASSIGN_OR_RETURN(h.peildatum, DateFromWire(m.peildatum(), "peildatum", name));
  h.id = exports::GemeenteHoursId(h.gemeente_code, h.learner_id, h.peildatum);
  h.bsn = m.bsn();
  h.attended_hours = m.attended_hours();
  h.literacy_hours = m.literacy_hours();
  h.excused_hours = m.excused_hours();
  h.unexcused_hours = m.unexcused_hours();
  h.unclassified_hours = m.unclassified_hours();
  h.notified_hours = m.notified_hours();
  // What the encoder refuses, the decoder refuses too.
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(h));
  return h;
}

Result<exports::GemeenteAbsence> GemeenteAbsenceFromWire(const pb::GemeenteAbsence& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.lesson_id(), "lesson id").WithContext("absence"));
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("absence"));
  PRESENTIE_RETURN_IF_ERROR(
      ValidateGemeenteCode(m.gemeente_code()).WithContext("absence's gemeente_code"));
  exports::GemeenteAbsence a;
  a.lesson_id = m.lesson_id();
  a.learner_id = m.learner_id();
  a.gemeente_code = m.gemeente_code();
  a.id = exports::GemeenteAbsenceId(a.gemeente_code, a.lesson_id, a.learner_id);
  Result<DateTime> start = ParseDateTime(m.lesson_start());
  if (!start.ok() || FormatDateTime(*start) != m.lesson_start()) {
    return InvalidArgument(Named("absence", a.id) + ": lesson_start is not a date and time");
  }
  a.lesson_start = *start;
  a.bsn = m.bsn();
  a.minutes_absent = m.minutes_absent();
  a.notified_in_advance = m.notified_in_advance();
  // What the encoder refuses, the decoder refuses too.
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(a));
  return a;
}

Result<exports::DuoAbsence> DuoAbsenceFromWire(const pb::DuoAbsence& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.lesson_id(), "lesson id").WithContext("DUO absence"));
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("DUO absence"));
  exports::DuoAbsence a;
  a.lesson_id = m.lesson_id();
  a.learner_id = m.learner_id();
  a.id = exports::DuoAbsenceId(a.lesson_id, a.learner_id);
  Result<DateTime> start = ParseDateTime(m.lesson_start());
  if (!start.ok() || FormatDateTime(*start) != m.lesson_start()) {
    return InvalidArgument(Named("DUO absence", a.id) + ": lesson_start is not a date and time");
  }
  a.lesson_start = *start;
  a.bsn = m.bsn();
  a.minutes_absent = m.minutes_absent();
  Result<Classification> c = ParseClassification(m.classification());
  if (!c.ok()) return InvalidArgument(Named("DUO absence", a.id) + ": not a classification");
  a.classification = *c;
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(a));
  return a;
}

Result<exports::DuoExamResult> DuoExamResultFromWire(const pb::DuoExamResult& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("exam result"));
  exports::DuoExamResult e;
  e.learner_id = m.learner_id();
  const std::string name = "exam result of " + Named("learner", e.learner_id);
  Result<exports::DuoExam> exam = exports::ParseDuoExam(m.exam());
  if (!exam.ok()) return InvalidArgument(name + ": " + exam.status().message());
  e.exam = *exam;
  Result<Level> level = ParseLevel(m.level());
  if (!level.ok()) return InvalidArgument(name + ": level is not A2, B1 or empty");
  e.level = *level;
  PRESENTIE_ASSIGN_OR_RETURN(e.taken_on, DateFromWire(m.taken_on(), "taken_on", name));
  e.id = exports::DuoExamResultId(e.learner_id, e.exam, e.taken_on);
  e.bsn = m.bsn();
  e.passed = m.passed();
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(e));
  return e;
}

// A teacher's qualification from its wire fields, named `kind` in errors:
// the school's record and BoW's copy of it carry the same ones.
template <typename Message>
Result<Qualification> QualificationFields(const Message& m, const std::string& id,
                                          std::string_view kind) {
  PRESENTIE_RETURN_IF_ERROR(Key(id, "qualification id").WithContext(std::string(kind)));
  Qualification q;
  q.id = id;
  const std::string name = Named(kind, q.id);
  q.teacher = m.teacher();
  q.title = m.title();
  Reader r(name);
  r.Enum(m.component(), ParseComponent, "component", &q.component);
  PRESENTIE_RETURN_IF_ERROR(r.Finish());
  PRESENTIE_ASSIGN_OR_RETURN(q.obtained, DateFromWire(m.obtained(), "obtained", name));
  PRESENTIE_RETURN_IF_ERROR(Validate(q));
  return q;
}

Result<Qualification> QualificationFromWire(const pb::Qualification& m) {
  return QualificationFields(m, m.id(), "qualification");
}

Result<exports::BowPlanning> BowPlanningFromWire(const pb::BowPlanning& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.course_id(), "course id").WithContext("course planning"));
  exports::BowPlanning p;
  p.course_id = m.course_id();
  p.id = exports::BowPlanningId(p.course_id);
  const std::string name = "planning of " + Named("course", p.course_id);
  p.course_name = m.course_name();
  Reader r(name);
  r.Enum(m.component(), ParseComponent, "component", &p.component);
  r.Enum(m.regime(), ParseRegime, "regime", &p.regime);
  r.Enum(m.route(), ParseRoute, "route", &p.route);
  PRESENTIE_RETURN_IF_ERROR(r.Finish());
  PRESENTIE_ASSIGN_OR_RETURN(p.start, DateFromWire(m.start(), "start", name));
  PRESENTIE_ASSIGN_OR_RETURN(p.end, DateFromWire(m.end(), "end", name));
  p.lessons = m.lessons();
  p.planned_minutes = m.planned_minutes();
  if (m.teachers_size() > 200) return InvalidArgument(name + " names more than 200 teachers");
  p.teachers.assign(m.teachers().begin(), m.teachers().end());
  for (const std::string& t : p.teachers) {
    PRESENTIE_RETURN_IF_ERROR(Text(t, "a teacher").WithContext(name));
  }
  PRESENTIE_RETURN_IF_ERROR(Text(p.course_name, "course name").WithContext(name));
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(p));
  return p;
}

Result<exports::BowQualification> BowQualificationFromWire(const pb::BowQualification& m) {
  PRESENTIE_ASSIGN_OR_RETURN(Qualification q,
                             QualificationFields(m, m.qualification_id(), "BoW qualification"));
  exports::BowQualification b{
      exports::BowQualificationId(q.id), q.id, q.teacher, q.component, q.title, q.obtained};
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(b));
  return b;
}

Result<exports::GemeentePip> GemeentePipFromWire(const pb::GemeentePip& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("PIP"));
  exports::GemeentePip p;
  p.learner_id = m.learner_id();
  p.gemeente_code = m.gemeente_code();
  const std::string name = "PIP of " + Named("learner", p.learner_id);
  if (Status s = ValidateGemeenteCode(p.gemeente_code); !s.ok()) {
    return InvalidArgument(name + ": " + s.message());
  }
  p.id = exports::GemeentePipId(p.gemeente_code, p.learner_id);
  Reader r(name);
  r.Enum(m.leerroute(), ParseRoute, "leerroute", &p.route);
  r.Enum(m.niveau(), ParseLevel, "niveau", &p.level);
  r.Enum(m.indicator_alfabetiseringsonderwijs(), ParseLiteracy,
         "indicator_alfabetiseringsonderwijs", &p.literacy);
  PRESENTIE_RETURN_IF_ERROR(r.Finish());
  p.estimated_hours = m.geschatte_intensiteit_b1_route();
  p.lessons_per_week = m.lessons_per_week();
  PRESENTIE_ASSIGN_OR_RETURN(p.decided_on, DateFromWire(m.decided_on(), "decided_on", name));
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(p));
  return p;
}

Result<exports::DuoDuty> DuoDutyFromWire(const pb::DuoDuty& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("duty status"));
  exports::DuoDuty d;
  d.learner_id = m.learner_id();
  d.id = exports::DuoDutyId(d.learner_id);
  const std::string name = "duty status of " + Named("learner", d.learner_id);
  d.bsn = m.bsn();
  Reader r(name);
  r.Enum(m.status(), exports::ParseDutyStatus, "status", &d.status);
  PRESENTIE_RETURN_IF_ERROR(r.Finish());
  Result<std::optional<Date>> term_end = OptionalDateFromWire(m.term_end(), "term_end");
  if (!term_end.ok()) return term_end.status().WithContext(name);
  d.term_end = *term_end;
  PRESENTIE_ASSIGN_OR_RETURN(d.decided_on, DateFromWire(m.decided_on(), "decided_on", name));
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(d));
  return d;
}

Result<exports::Contract> ContractFromWire(const pb::Contract& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.id(), "contract number").WithContext("contract"));
  exports::Contract c;
  c.id = m.id();
  const std::string name = Named("contract", c.id);
  c.learner_id = m.learner_id();
  c.bsn = m.bsn();
  PRESENTIE_ASSIGN_OR_RETURN(c.signed_on, DateFromWire(m.signed_on(), "signed_on", name));
  PRESENTIE_ASSIGN_OR_RETURN(c.start, DateFromWire(m.start(), "start", name));
  PRESENTIE_ASSIGN_OR_RETURN(c.end, DateFromWire(m.end(), "end", name));
  c.hours = m.hours();
  c.price_cents = m.price_cents();
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(c));
  return c;
}

Result<exports::Invoice> InvoiceFromWire(const pb::Invoice& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.id(), "invoice number").WithContext("invoice"));
  exports::Invoice i;
  i.id = m.id();
  const std::string name = Named("invoice", i.id);
  i.contract_id = m.contract_id();
  i.learner_id = m.learner_id();
  i.bsn = m.bsn();
  PRESENTIE_ASSIGN_OR_RETURN(i.invoiced_on, DateFromWire(m.invoiced_on(), "invoiced_on", name));
  i.hours = m.hours();
  i.amount_cents = m.amount_cents();
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(i));
  return i;
}

Result<exports::BridgingDiploma> BridgingDiplomaFromWire(const pb::BridgingDiploma& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("bridging diploma"));
  exports::BridgingDiploma d;
  d.learner_id = m.learner_id();
  const std::string name = "bridging diploma of " + Named("learner", d.learner_id);
  d.gemeente_code = m.gemeente_code();
  if (!d.gemeente_code.empty()) {
    if (Status s = ValidateGemeenteCode(d.gemeente_code); !s.ok()) {
      return InvalidArgument(name + ": " + s.message());
    }
  }
  d.id = exports::BridgingDiplomaId(d.learner_id, d.gemeente_code);
  d.bsn = m.bsn();
  PRESENTIE_ASSIGN_OR_RETURN(d.awarded_on, DateFromWire(m.awarded_on(), "awarded_on", name));
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(d));
  return d;
}

Result<exports::GemeenteNaw> GemeenteNawFromWire(const pb::GemeenteNaw& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("NAW data"));
  exports::GemeenteNaw n;
  n.learner_id = m.learner_id();
  n.gemeente_code = m.gemeente_code();
  const std::string name = "NAW data of " + Named("learner", n.learner_id);
  if (Status s = ValidateGemeenteCode(n.gemeente_code); !s.ok()) {
    return InvalidArgument(name + ": " + s.message());
  }
  n.id = exports::GemeenteNawId(n.gemeente_code, n.learner_id);
  n.name = m.name();
  n.address = m.address();
  n.postcode = m.postcode();
  n.residence = m.residence();
  PRESENTIE_ASSIGN_OR_RETURN(n.decided_on, DateFromWire(m.decided_on(), "decided_on", name));
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(n));
  return n;
}

Result<exports::GemeenteDecision> GemeenteDecisionFromWire(const pb::GemeenteDecision& m) {
  PRESENTIE_RETURN_IF_ERROR(Key(m.lesson_id(), "lesson id").WithContext("gemeente decision"));
  PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("gemeente decision"));
  PRESENTIE_RETURN_IF_ERROR(
      ValidateGemeenteCode(m.gemeente_code()).WithContext("gemeente decision's gemeente_code"));
  exports::GemeenteDecision d;
  d.lesson_id = m.lesson_id();
  d.learner_id = m.learner_id();
  d.gemeente_code = m.gemeente_code();
  d.id = exports::GemeenteDecisionId(d.gemeente_code, d.lesson_id, d.learner_id);
  const std::string name = Named("gemeente decision", d.id);
  Result<Classification> value = ParseClassification(m.value());
  if (!value.ok()) return InvalidArgument(name + ": value is not a classification");
  d.value = *value;
  PRESENTIE_ASSIGN_OR_RETURN(d.decided_on, DateFromWire(m.decided_on(), "decided_on", name));
  PRESENTIE_RETURN_IF_ERROR(exports::Validate(d));
  return d;
}

Result<VersionStamp> StampFromWire(const pb::Version& m) {
  VersionStamp stamp;
  std::string_view previous;
  for (const pb::VersionVectorEntry& e : m.vv()) {
    PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(e.replica()).WithContext("version vector"));
    if (!previous.empty() && e.replica() <= previous) {
      return InvalidArgument("version vector is not strictly sorted by replica");
    }
    if (e.counter() == 0) return InvalidArgument("version vector has a zero counter");
    previous = e.replica();
    stamp.vv.Set(e.replica(), e.counter());
  }
  if (stamp.vv.empty()) return InvalidArgument("version vector is empty");
  stamp.hlc = Hlc::Unpack(m.hlc());
  PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(m.writer().replica()).WithContext("writer"));
  stamp.writer.replica = m.writer().replica();
  PRESENTIE_ASSIGN_OR_RETURN(stamp.writer.role, FromProto(m.writer().role(), "writer role"));
  stamp.writer.user = m.writer().user();
  return stamp;
}

template <typename T>
Result<storage::Record> AsRecord(Result<T> r) {
  if (!r.ok()) return r.status();
  return storage::Record(std::move(r).value());
}

Result<storage::Record> RecordFromWire(const pb::Version& m) {
  switch (m.record_case()) {
    case pb::Version::kLearner:
      return AsRecord(LearnerFromWire(m.learner()));
    case pb::Version::kCourse:
      return AsRecord(CourseFromWire(m.course()));
    case pb::Version::kEnrollment:
      return AsRecord(EnrollmentFromWire(m.enrollment()));
    case pb::Version::kLesson:
      return AsRecord(LessonFromWire(m.lesson()));
    case pb::Version::kAttendance:
      return AsRecord(AttendanceFromWire(m.attendance()));
    case pb::Version::kDuoHours:
      return AsRecord(DuoHoursFromWire(m.duo_hours()));
    case pb::Version::kGemeenteHours:
      return AsRecord(GemeenteHoursFromWire(m.gemeente_hours()));
    case pb::Version::kGemeenteAbsence:
      return AsRecord(GemeenteAbsenceFromWire(m.gemeente_absence()));
    case pb::Version::kGemeenteDecision:
      return AsRecord(GemeenteDecisionFromWire(m.gemeente_decision()));
    case pb::Version::kDuoAbsence:
      return AsRecord(DuoAbsenceFromWire(m.duo_absence()));
    case pb::Version::kDuoExamResult:
      return AsRecord(DuoExamResultFromWire(m.duo_exam_result()));
    case pb::Version::kQualification:
      return AsRecord(QualificationFromWire(m.qualification()));
    case pb::Version::kBowPlanning:
      return AsRecord(BowPlanningFromWire(m.bow_planning()));
    case pb::Version::kBowQualification:
      return AsRecord(BowQualificationFromWire(m.bow_qualification()));
    case pb::Version::kGemeentePip:
      return AsRecord(GemeentePipFromWire(m.gemeente_pip()));
    case pb::Version::kDuoDuty:
      return AsRecord(DuoDutyFromWire(m.duo_duty()));
    case pb::Version::kContract:
      return AsRecord(ContractFromWire(m.contract()));
    case pb::Version::kInvoice:
      return AsRecord(InvoiceFromWire(m.invoice()));
    case pb::Version::kBridgingDiploma:
      return AsRecord(BridgingDiplomaFromWire(m.bridging_diploma()));
    case pb::Version::kGemeenteNaw:
      return AsRecord(GemeenteNawFromWire(m.gemeente_naw()));
    case pb::Version::RECORD_NOT_SET:
      break;
  }
  return InvalidArgument(
      "holds no record of a kind this program knows (a newer protocol's kind, or none)");
}

}  // namespace

Result<VersionedRecord> FromProto(const pb::Version& m) {
  // The record first: its id names the version in the stamp's errors.
  PRESENTIE_ASSIGN_OR_RETURN(storage::Record record, RecordFromWire(m));
  const std::string name = Named(ToString(storage::KindOf(record)), storage::RecordIdOf(record));
  Result<VersionStamp> stamp = StampFromWire(m);
  if (!stamp.ok()) return stamp.status().WithContext(name);
  return VersionedRecord{std::move(stamp).value(), std::move(record)};
}

Status FromProto(const pb::VersionBatch& batch, std::vector<VersionedRecord>* out) {
  const size_t plain = static_cast<size_t>(batch.versions_size());
  out->reserve(out->size() + plain + static_cast<size_t>(batch.attendance().lesson_id_size()));
  for (size_t i = 0; i < plain; ++i) {
    Result<VersionedRecord> v = FromProto(batch.versions(static_cast<int>(i)));
    if (!v.ok()) return v.status().WithContext("version " + std::to_string(i));
    out->push_back(std::move(v).value());
  }
  if (batch.has_attendance())
    PRESENTIE_RETURN_IF_ERROR(FromColumns(batch.attendance(), plain, out));
  return Status::Ok();
}

}  // namespace presentie::sync::internal
