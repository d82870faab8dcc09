// The wire's half of the GemeentePip kind's traits (sync/kinds/wire_traits.h): its
// message GemeentePip in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_GEMEENTE_PIP_H_
#define PRESENTIE_SYNC_KINDS_GEMEENTE_PIP_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::GemeentePip> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kGemeentePip;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::GemeentePip& p) { return exports::Validate(p); }

  static void Fill(const exports::GemeentePip& p, pb::Version* out) {
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

  static Result<exports::GemeentePip> FromWire(const pb::Version& version) {
    const pb::GemeentePip& m = version.gemeente_pip();
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
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_GEMEENTE_PIP_H_
