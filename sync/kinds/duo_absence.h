// The wire's half of the DuoAbsence kind's traits (sync/kinds/wire_traits.h): its
// message DuoAbsence in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_DUO_ABSENCE_H_
#define PRESENTIE_SYNC_KINDS_DUO_ABSENCE_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::DuoAbsence> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kDuoAbsence;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::DuoAbsence& a) { return exports::Validate(a); }

  static void Fill(const exports::DuoAbsence& a, pb::Version* out) {
    pb::DuoAbsence* m = out->mutable_duo_absence();
    m->set_lesson_id(a.lesson_id);
    m->set_learner_id(a.learner_id);
    m->set_bsn(a.bsn);
    m->set_lesson_start(FormatDateTime(a.lesson_start));
    m->set_minutes_absent(a.minutes_absent);
    m->set_classification(std::string(ToString(a.classification)));
  }

  static Result<exports::DuoAbsence> FromWire(const pb::Version& version) {
    const pb::DuoAbsence& m = version.duo_absence();
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
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_DUO_ABSENCE_H_
