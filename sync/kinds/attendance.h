// The wire's half of the Attendance kind's traits (sync/kinds/wire_traits.h): its
// message Attendance in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_ATTENDANCE_H_
#define PRESENTIE_SYNC_KINDS_ATTENDANCE_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<Attendance> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kAttendance;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const Attendance& a) {
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

  static void Fill(const Attendance& a, pb::Version* out) {
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

  static Result<Attendance> FromWire(const pb::Version& version) {
    const pb::Attendance& m = version.attendance();
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
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_ATTENDANCE_H_
