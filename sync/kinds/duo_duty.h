// The wire's half of the DuoDuty kind's traits (sync/kinds/wire_traits.h): its
// message DuoDuty in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_DUO_DUTY_H_
#define PRESENTIE_SYNC_KINDS_DUO_DUTY_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::DuoDuty> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kDuoDuty;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::DuoDuty& d) { return exports::Validate(d); }

  static void Fill(const exports::DuoDuty& d, pb::Version* out) {
    pb::DuoDuty* m = out->mutable_duo_duty();
    m->set_learner_id(d.learner_id);
    m->set_bsn(d.bsn);
    m->set_status(std::string(exports::ToString(d.status)));
    m->set_term_end(OptionalDateToWire(d.term_end));
    m->set_decided_on(FormatDate(d.decided_on));
  }

  static Result<exports::DuoDuty> FromWire(const pb::Version& version) {
    const pb::DuoDuty& m = version.duo_duty();
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
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_DUO_DUTY_H_
