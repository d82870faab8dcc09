// The wire's half of the BridgingDiploma kind's traits (sync/kinds/wire_traits.h): its
// message BridgingDiploma in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_BRIDGING_DIPLOMA_H_
#define PRESENTIE_SYNC_KINDS_BRIDGING_DIPLOMA_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::BridgingDiploma> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kBridgingDiploma;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::BridgingDiploma& d) { return exports::Validate(d); }

  static void Fill(const exports::BridgingDiploma& d, pb::Version* out) {
    pb::BridgingDiploma* m = out->mutable_bridging_diploma();
    m->set_learner_id(d.learner_id);
    m->set_bsn(d.bsn);
    m->set_gemeente_code(d.gemeente_code);
    m->set_awarded_on(FormatDate(d.awarded_on));
  }

  static Result<exports::BridgingDiploma> FromWire(const pb::Version& version) {
    const pb::BridgingDiploma& m = version.bridging_diploma();
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
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_BRIDGING_DIPLOMA_H_
