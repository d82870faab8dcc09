// The wire's half of the GemeenteAbsence kind's traits (sync/kinds/wire_traits.h): its
// message GemeenteAbsence in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_GEMEENTE_ABSENCE_H_
#define PRESENTIE_SYNC_KINDS_GEMEENTE_ABSENCE_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::GemeenteAbsence> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kGemeenteAbsence;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::GemeenteAbsence& a) { return exports::Validate(a); }

  static void Fill(const exports::GemeenteAbsence& a, pb::Version* out) {
    pb::GemeenteAbsence* m = out->mutable_gemeente_absence();
    m->set_lesson_id(a.lesson_id);
    m->set_learner_id(a.learner_id);
    m->set_gemeente_code(a.gemeente_code);
    m->set_bsn(a.bsn);
    m->set_lesson_start(FormatDateTime(a.lesson_start));
    m->set_minutes_absent(a.minutes_absent);
    m->set_notified_in_advance(a.notified_in_advance);
  }

  static Result<exports::GemeenteAbsence> FromWire(const pb::Version& version) {
    const pb::GemeenteAbsence& m = version.gemeente_absence();
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
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_GEMEENTE_ABSENCE_H_
