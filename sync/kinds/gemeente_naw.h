// The wire's half of the GemeenteNaw kind's traits (sync/kinds/wire_traits.h): its
// message GemeenteNaw in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_GEMEENTE_NAW_H_
#define PRESENTIE_SYNC_KINDS_GEMEENTE_NAW_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::GemeenteNaw> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kGemeenteNaw;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::GemeenteNaw& n) { return exports::Validate(n); }

  static void Fill(const exports::GemeenteNaw& n, pb::Version* out) {
    pb::GemeenteNaw* m = out->mutable_gemeente_naw();
    m->set_learner_id(n.learner_id);
    m->set_gemeente_code(n.gemeente_code);
    m->set_name(n.name);
    m->set_address(n.address);
    m->set_postcode(n.postcode);
    m->set_residence(n.residence);
    m->set_decided_on(FormatDate(n.decided_on));
  }

  static Result<exports::GemeenteNaw> FromWire(const pb::Version& version) {
    const pb::GemeenteNaw& m = version.gemeente_naw();
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
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_GEMEENTE_NAW_H_
