// The wire's half of the GemeenteDecision kind's traits (sync/kinds/wire_traits.h): its
// message GemeenteDecision in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_GEMEENTE_DECISION_H_
#define PRESENTIE_SYNC_KINDS_GEMEENTE_DECISION_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::GemeenteDecision> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kGemeenteDecision;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::GemeenteDecision& d) { return exports::Validate(d); }

  static void Fill(const exports::GemeenteDecision& d, pb::Version* out) {
    pb::GemeenteDecision* m = out->mutable_gemeente_decision();
    m->set_lesson_id(d.lesson_id);
    m->set_learner_id(d.learner_id);
    m->set_gemeente_code(d.gemeente_code);
    m->set_value(std::string(ToString(d.value)));
    m->set_decided_on(FormatDate(d.decided_on));
  }

  static Result<exports::GemeenteDecision> FromWire(const pb::Version& version) {
    const pb::GemeenteDecision& m = version.gemeente_decision();
    PRESENTIE_RETURN_IF_ERROR(Key(m.lesson_id(), "lesson id").WithContext("gemeente decision"));
    PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("gemeente decision"));
    PRESENTIE_RETURN_IF_ERROR(
        ValidateGemeenteCode(m.gemeente_code()).WithContext("gemeente decision's gemeente_code"));
    exports::GemeenteDecision d;
    d.lesson_id = m.lesson_id();
    d.learner_id = m.learner_id();
    d.gemeente_code = m.gemeente_code();
    d.id = exports::GemeenteDecisionId(d.gemeente_code, d.lesson_id, d.learner_id);
    const std::string name = Named("gemeente decision", d.id);
    Result<Classification> value = ParseClassification(m.value());
    if (!value.ok()) return InvalidArgument(name + ": value is not a classification");
    d.value = *value;
    PRESENTIE_ASSIGN_OR_RETURN(d.decided_on, DateFromWire(m.decided_on(), "decided_on", name));
    PRESENTIE_RETURN_IF_ERROR(exports::Validate(d));
    return d;
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_GEMEENTE_DECISION_H_
