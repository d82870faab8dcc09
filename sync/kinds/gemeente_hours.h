// The wire's half of the GemeenteHours kind's traits (sync/kinds/wire_traits.h): its
// message GemeenteHours in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_GEMEENTE_HOURS_H_
#define PRESENTIE_SYNC_KINDS_GEMEENTE_HOURS_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::GemeenteHours> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kGemeenteHours;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::GemeenteHours& h) { return exports::Validate(h); }

  static void Fill(const exports::GemeenteHours& h, pb::Version* out) {
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

  static Result<exports::GemeenteHours> FromWire(const pb::Version& version) {
    const pb::GemeenteHours& m = version.gemeente_hours();
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
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_GEMEENTE_HOURS_H_
