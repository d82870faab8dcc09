// The wire's half of the DuoHours kind's traits (sync/kinds/wire_traits.h): its
// message DuoHours in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_DUO_HOURS_H_
#define PRESENTIE_SYNC_KINDS_DUO_HOURS_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::DuoHours> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kDuoHours;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::DuoHours& h) { return exports::Validate(h); }

  static void Fill(const exports::DuoHours& h, pb::Version* out) {
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

  static Result<exports::DuoHours> FromWire(const pb::Version& version) {
    const pb::DuoHours& m = version.duo_hours();
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
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_DUO_HOURS_H_
