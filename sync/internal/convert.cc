// The plain form, and what both forms share: validation and the stamp.
//
// The wire carries what the store's canonical JSON body carries, field for
// field, so a record survives store → wire → store byte for byte. Validation
// here is structural (the checks a record needs to be stored and routed at
// all: ids, names, formats); the domain's rules (Validate against a lesson's
// duration, ownership) are for whoever applies a received version.
#include "sync/internal/convert.h"

#include <utility>

#include "core/civil_time.h"
#include "core/ids.h"
#include "core/utf8.h"
#include "core/version_vector.h"
#include "sync/internal/columns.h"

namespace presentie::sync::internal {

bool IsKey(std::string_view s) { return ValidateRecordKey(s, "id").ok(); }

bool IsShowableId(std::string_view id) {
  const size_t slash = id.find('/');
  if (slash == std::string_view::npos) return IsKey(id);
  return IsKey(id.substr(0, slash)) && IsKey(id.substr(slash + 1));
}

Status Key(std::string_view key, std::string_view what) { return ValidateRecordKey(key, what); }

Status Text(std::string_view text, std::string_view field) {
  if (IsUtf8(text)) return Status::Ok();
  return InvalidArgument(std::string(field) + " is not valid UTF-8");
}

Status ValidDate(const std::optional<Date>& d, std::string_view field) {
  if (!d.has_value() || ParseDate(FormatDate(*d)).ok()) return Status::Ok();
  return InvalidArgument(std::string(field) + " is not a date");
}

std::string OptionalDateToWire(const std::optional<Date>& d) {
  return d.has_value() ? FormatDate(*d) : std::string();
}

namespace {

using storage::VersionedRecord;

}  // namespace

std::string VersionName(size_t index, const VersionedRecord& v) {
  std::string name =
      "version " + std::to_string(index) + " (" + std::string(ToString(storage::KindOf(v.record)));
  const std::string id = storage::RecordIdOf(v.record);
  name += IsShowableId(id) ? " '" + id + "')" : " with an invalid id)";
  return name;
}

Status CheckVersionVector(const VersionVector& vv) {
  if (vv.empty()) return InvalidArgument("version vector is empty");
  // The map keeps entries sorted and unique; only ids and counters remain.
  for (const auto& [replica, counter] : vv.entries()) {
    PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(replica).WithContext("version vector"));
    if (counter == 0) return InvalidArgument("version vector has a zero counter");
  }
  return Status::Ok();
}

Status ValidateForWire(const VersionedRecord& v) {
  PRESENTIE_RETURN_IF_ERROR(CheckVersionVector(v.stamp.vv));
  PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(v.stamp.writer.replica).WithContext("writer"));
  PRESENTIE_RETURN_IF_ERROR(Text(v.stamp.writer.user, "writer user"));
  struct Check {
    Status operator()(const Learner& l) const {
      PRESENTIE_RETURN_IF_ERROR(Key(l.id, "learner id"));
      PRESENTIE_RETURN_IF_ERROR(Text(l.bsn, "bsn"));
      PRESENTIE_RETURN_IF_ERROR(Text(l.name, "name"));
      return Text(l.gemeente_code, "gemeente code");
    }
    Status operator()(const Course& c) const {
      PRESENTIE_RETURN_IF_ERROR(Key(c.id, "course id"));
      PRESENTIE_RETURN_IF_ERROR(Text(c.name, "name"));
      PRESENTIE_RETURN_IF_ERROR(ValidDate(c.start_date, "start date"));
      return ValidDate(c.end_date, "end date");
    }
    Status operator()(const Enrollment& e) const {
      PRESENTIE_RETURN_IF_ERROR(Key(e.course_id, "course id"));
      PRESENTIE_RETURN_IF_ERROR(Key(e.learner_id, "learner id"));
      if (e.id != EnrollmentId(e.course_id, e.learner_id)) {
        return InvalidArgument("enrolment id does not match its course and learner");
      }
      return Status::Ok();
    }
    Status operator()(const Lesson& l) const {
      PRESENTIE_RETURN_IF_ERROR(Key(l.id, "lesson id"));
      PRESENTIE_RETURN_IF_ERROR(Key(l.course_id, "course id"));
      if (!ParseDateTime(FormatDateTime(l.start)).ok()) {
        return InvalidArgument("start is not a date and time");
      }
      return Text(l.teacher, "teacher");
    }
    Status operator()(const Attendance& a) const {
      PRESENTIE_RETURN_IF_ERROR(Key(a.lesson_id, "lesson id"));
      PRESENTIE_RETURN_IF_ERROR(Key(a.learner_id, "learner id"));
      if (a.id != AttendanceId(a.lesson_id, a.learner_id)) {
        return InvalidArgument("attendance id does not match its lesson and learner");
      }
      if (a.minutes_present < 0 || a.minutes_present > kMaxWireMinutes) {
        return InvalidArgument("minutes_present " + std::to_string(a.minutes_present) +
                               " is not within 0.." + std::to_string(kMaxWireMinutes));
      }
      return Text(a.note, "note");
    }
    Status operator()(const exports::DuoHours& h) const { return exports::Validate(h); }
    Status operator()(const exports::GemeenteHours& h) const { return exports::Validate(h); }
    Status operator()(const exports::GemeenteAbsence& a) const { return exports::Validate(a); }
    Status operator()(const exports::GemeenteDecision& d) const { return exports::Validate(d); }
    Status operator()(const exports::DuoAbsence& a) const { return exports::Validate(a); }
    Status operator()(const exports::DuoExamResult& e) const { return exports::Validate(e); }
    Status operator()(const Qualification& q) const { return Validate(q); }
    Status operator()(const exports::BowPlanning& p) const { return exports::Validate(p); }
    Status operator()(const exports::BowQualification& q) const { return exports::Validate(q); }
    Status operator()(const exports::GemeentePip& p) const { return exports::Validate(p); }
    Status operator()(const exports::DuoDuty& d) const { return exports::Validate(d); }
    Status operator()(const exports::Contract& c) const { return exports::Validate(c); }
    Status operator()(const exports::Invoice& i) const { return exports::Validate(i); }
    Status operator()(const exports::BridgingDiploma& d) const { return exports::Validate(d); }
    Status operator()(const exports::GemeenteNaw& n) const { return exports::Validate(n); }
  };
  return std::visit(Check{}, v.record);
}

pb::Role ToProto(Role r) {
  switch (r) {
    case Role::kTeacher:
      return pb::ROLE_TEACHER;
    case Role::kAdmin:
      return pb::ROLE_ADMIN;
    case Role::kHub:
      return pb::ROLE_HUB;
    case Role::kDuo:
      return pb::ROLE_DUO;
    case Role::kGemeente:
      return pb::ROLE_GEMEENTE;
    case Role::kBow:
      return pb::ROLE_BOW;
  }
  return pb::ROLE_UNSPECIFIED;
}

Result<Role> FromProto(pb::Role r, std::string_view field) {
  switch (r) {
    case pb::ROLE_TEACHER:
      return Role::kTeacher;
    case pb::ROLE_ADMIN:
      return Role::kAdmin;
    case pb::ROLE_HUB:
      return Role::kHub;
    case pb::ROLE_DUO:
      return Role::kDuo;
    case pb::ROLE_GEMEENTE:
      return Role::kGemeente;
    case pb::ROLE_BOW:
      return Role::kBow;
    default:
      break;
  }
  return InvalidArgument(std::string(field) + " has an unknown value (" +
                         std::to_string(static_cast<int>(r)) + ")");
}

void ToProto(const VersionedRecord& v, pb::Version* out) {
  for (const auto& [replica, counter] : v.stamp.vv.entries()) {
    pb::VersionVectorEntry* e = out->add_vv();
    e->set_replica(replica);
    e->set_counter(counter);
  }
  out->set_hlc(v.stamp.hlc.Pack());
  pb::Writer* w = out->mutable_writer();
  w->set_replica(v.stamp.writer.replica);
  w->set_role(ToProto(v.stamp.writer.role));
  w->set_user(v.stamp.writer.user);
  struct Fill {
    pb::Version* out;
    void operator()(const Learner& l) const {
      pb::Learner* m = out->mutable_learner();
      m->set_id(l.id);
      m->set_bsn(l.bsn);
      m->set_name(l.name);
      m->set_category(std::string(ToString(l.category)));
      m->set_regime(std::string(ToString(l.regime)));
      m->set_route(std::string(ToString(l.route)));
      m->set_level(std::string(ToString(l.level)));
      m->set_literacy(std::string(ToString(l.literacy)));
      m->set_estimated_hours(l.estimated_hours);
      m->set_gemeente_code(l.gemeente_code);
      m->set_lessons_per_week(l.lessons_per_week);
    }
    void operator()(const Course& c) const {
      pb::Course* m = out->mutable_course();
      m->set_id(c.id);
      m->set_name(c.name);
      m->set_component(std::string(ToString(c.component)));
      m->set_regime(std::string(ToString(c.regime)));
      m->set_route(std::string(ToString(c.route)));
      m->set_start_date(OptionalDateToWire(c.start_date));
      m->set_end_date(OptionalDateToWire(c.end_date));
      m->set_hours_purchased(c.hours_purchased);
    }
    void operator()(const Enrollment& e) const {
      pb::Enrollment* m = out->mutable_enrollment();
      m->set_course_id(e.course_id);
      m->set_learner_id(e.learner_id);
      m->set_active(e.active);
    }
    void operator()(const Lesson& l) const {
      pb::Lesson* m = out->mutable_lesson();
      m->set_id(l.id);
      m->set_course_id(l.course_id);
      m->set_start(FormatDateTime(l.start));
      m->set_duration_minutes(l.duration_minutes);
      m->set_teacher(l.teacher);
    }
    void operator()(const Attendance& a) const {
      pb::Attendance* m = out->mutable_attendance();
      m->set_lesson_id(a.lesson_id);
      m->set_learner_id(a.learner_id);
      m->set_status(std::string(ToString(a.status)));
      m->set_minutes_present(a.minutes_present);
      m->set_mode(std::string(ToString(a.mode)));
      m->set_notified_in_advance(a.notified_in_advance);
      m->set_reason(std::string(ToString(a.reason)));
      m->set_note(a.note);
      if (a.decision.has_value()) {
        m->set_decision(std::string(ToString(a.decision->value)));
        m->set_decided_by(std::string(ToString(a.decision->decided_by)));
      }
    }
    void operator()(const exports::DuoHours& h) const {
      pb::DuoHours* m = out->mutable_duo_hours();
      m->set_learner_id(h.learner_id);
      m->set_course_id(h.course_id);
      m->set_as_of(FormatDate(h.as_of));
      m->set_bsn(h.bsn);
      m->set_course_type(std::string(exports::ToString(h.type)));
      m->set_start(FormatDate(h.start));
      m->set_end(FormatDate(h.end));
      m->set_hours_purchased(h.hours_purchased);
      m->set_hours_attended(h.hours_attended);
      m->set_ona_hours(h.ona_hours);
    }
    void operator()(const exports::GemeenteHours& h) const {
      pb::GemeenteHours* m = out->mutable_gemeente_hours();
      m->set_learner_id(h.learner_id);
      m->set_gemeente_code(h.gemeente_code);
      m->set_peildatum(FormatDate(h.peildatum));
      m->set_bsn(h.bsn);
      m->set_attended_hours(h.attended_hours);
      m->set_literacy_hours(h.literacy_hours);
      m->set_excused_hours(h.excused_hours);
      m->set_unexcused_hours(h.unexcused_hours);
      m->set_unclassified_hours(h.unclassified_hours);
      m->set_notified_hours(h.notified_hours);
    }
    void operator()(const exports::GemeenteAbsence& a) const {
      pb::GemeenteAbsence* m = out->mutable_gemeente_absence();
      m->set_lesson_id(a.lesson_id);
      m->set_learner_id(a.learner_id);
      m->set_gemeente_code(a.gemeente_code);
      m->set_bsn(a.bsn);
      m->set_lesson_start(FormatDateTime(a.lesson_start));
      m->set_minutes_absent(a.minutes_absent);
      m->set_notified_in_advance(a.notified_in_advance);
    }
    void operator()(const exports::GemeenteDecision& d) const {
      pb::GemeenteDecision* m = out->mutable_gemeente_decision();
      m->set_lesson_id(d.lesson_id);
      m->set_learner_id(d.learner_id);
      m->set_gemeente_code(d.gemeente_code);
      m->set_value(std::string(ToString(d.value)));
      m->set_decided_on(FormatDate(d.decided_on));
    }
    void operator()(const exports::DuoAbsence& a) const {
      pb::DuoAbsence* m = out->mutable_duo_absence();
      m->set_lesson_id(a.lesson_id);
      m->set_learner_id(a.learner_id);
      m->set_bsn(a.bsn);
      m->set_lesson_start(FormatDateTime(a.lesson_start));
      m->set_minutes_absent(a.minutes_absent);
      m->set_classification(std::string(ToString(a.classification)));
    }
    void operator()(const exports::DuoExamResult& e) const {
      pb::DuoExamResult* m = out->mutable_duo_exam_result();
      m->set_learner_id(e.learner_id);
      m->set_bsn(e.bsn);
      m->set_exam(std::string(exports::ToString(e.exam)));
      m->set_level(std::string(ToString(e.level)));
      m->set_passed(e.passed);
      m->set_taken_on(FormatDate(e.taken_on));
    }
    void operator()(const Qualification& q) const {
      pb::Qualification* m = out->mutable_qualification();
      m->set_id(q.id);
      m->set_teacher(q.teacher);
      m->set_component(std::string(ToString(q.component)));
      m->set_title(q.title);
      m->set_obtained(FormatDate(q.obtained));
    }
    void operator()(const exports::BowPlanning& p) const {
      pb::BowPlanning* m = out->mutable_bow_planning();
      m->set_course_id(p.course_id);
      m->set_course_name(p.course_name);
      m->set_component(std::string(ToString(p.component)));
      m->set_regime(std::string(ToString(p.regime)));
      m->set_route(std::string(ToString(p.route)));
      m->set_start(FormatDate(p.start));
      m->set_end(FormatDate(p.end));
      m->set_lessons(p.lessons);
      m->set_planned_minutes(p.planned_minutes);
      for (const std::string& t : p.teachers) m->add_teachers(t);
    }
    void operator()(const exports::Contract& c) const {
      pb::Contract* m = out->mutable_contract();
      m->set_id(c.id);
      m->set_learner_id(c.learner_id);
      m->set_bsn(c.bsn);
      m->set_signed_on(FormatDate(c.signed_on));
      m->set_start(FormatDate(c.start));
      m->set_end(FormatDate(c.end));
      m->set_hours(c.hours);
      m->set_price_cents(c.price_cents);
    }
    void operator()(const exports::Invoice& i) const {
      pb::Invoice* m = out->mutable_invoice();
      m->set_id(i.id);
      m->set_contract_id(i.contract_id);
      m->set_learner_id(i.learner_id);
      m->set_bsn(i.bsn);
      m->set_invoiced_on(FormatDate(i.invoiced_on));
      m->set_hours(i.hours);
      m->set_amount_cents(i.amount_cents);
    }
    void operator()(const exports::BridgingDiploma& d) const {
      pb::BridgingDiploma* m = out->mutable_bridging_diploma();
      m->set_learner_id(d.learner_id);
      m->set_bsn(d.bsn);
      m->set_gemeente_code(d.gemeente_code);
      m->set_awarded_on(FormatDate(d.awarded_on));
    }
    void operator()(const exports::GemeenteNaw& n) const {
      pb::GemeenteNaw* m = out->mutable_gemeente_naw();
      m->set_learner_id(n.learner_id);
      m->set_gemeente_code(n.gemeente_code);
      m->set_name(n.name);
      m->set_address(n.address);
      m->set_postcode(n.postcode);
      m->set_residence(n.residence);
      m->set_decided_on(FormatDate(n.decided_on));
    }
    void operator()(const exports::DuoDuty& d) const {
      pb::DuoDuty* m = out->mutable_duo_duty();
      m->set_learner_id(d.learner_id);
      m->set_bsn(d.bsn);
      m->set_status(std::string(exports::ToString(d.status)));
      m->set_term_end(OptionalDateToWire(d.term_end));
      m->set_decided_on(FormatDate(d.decided_on));
    }
    void operator()(const exports::GemeentePip& p) const {
      pb::GemeentePip* m = out->mutable_gemeente_pip();
      m->set_learner_id(p.learner_id);
      m->set_gemeente_code(p.gemeente_code);
      m->set_leerroute(std::string(ToString(p.route)));
      m->set_niveau(std::string(ToString(p.level)));
      m->set_indicator_alfabetiseringsonderwijs(std::string(ToString(p.literacy)));
      m->set_geschatte_intensiteit_b1_route(p.estimated_hours);
      m->set_lessons_per_week(p.lessons_per_week);
      m->set_decided_on(FormatDate(p.decided_on));
    }
    void operator()(const exports::BowQualification& q) const {
      pb::BowQualification* m = out->mutable_bow_qualification();
      m->set_qualification_id(q.qualification_id);
      m->set_teacher(q.teacher);
      m->set_component(std::string(ToString(q.component)));
      m->set_title(q.title);
      m->set_obtained(FormatDate(q.obtained));
    }
  };
  std::visit(Fill{out}, v.record);
}

Status ToProto(std::span<const VersionedRecord> versions, BatchLayout layout,
               pb::VersionBatch* out) {
  std::vector<const VersionedRecord*> columns;
  for (size_t i = 0; i < versions.size(); ++i) {
    const VersionedRecord& v = versions[i];
    PRESENTIE_RETURN_IF_ERROR(ValidateForWire(v).WithContext(VersionName(i, v)));
    if (layout == BatchLayout::kColumns && std::holds_alternative<Attendance>(v.record)) {
      columns.push_back(&v);
    } else {
      ToProto(v, out->add_versions());
    }
  }
  if (!columns.empty()) ToColumns(columns, out->mutable_attendance());
  return Status::Ok();
}

}  // namespace presentie::sync::internal
