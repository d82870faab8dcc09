// The wire's half of the Contract kind's traits (sync/kinds/wire_traits.h): its
// message Contract in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_CONTRACT_H_
#define PRESENTIE_SYNC_KINDS_CONTRACT_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::Contract> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kContract;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::Contract& c) { return exports::Validate(c); }

  static void Fill(const exports::Contract& c, pb::Version* out) {
    pb::Contract* m = out->mutable_contract();
    m->set_id(c.id);
    m->set_learner_id(c.learner_id);
    m->set_bsn(c.bsn);
    m->set_signed_on(FormatDate(c.signed_on));
    m->set_start(FormatDate(c.start));
    m->set_end(FormatDate(c.end));
    m->set_hours(c.hours);
    m->set_price_cents(c.price_cents);
  }

  static Result<exports::Contract> FromWire(const pb::Version& version) {
    const pb::Contract& m = version.contract();
    PRESENTIE_RETURN_IF_ERROR(Key(m.id(), "contract number").WithContext("contract"));
    exports::Contract c;
    c.id = m.id();
    const std::string name = Named("contract", c.id);
    c.learner_id = m.learner_id();
    c.bsn = m.bsn();
    PRESENTIE_ASSIGN_OR_RETURN(c.signed_on, DateFromWire(m.signed_on(), "signed_on", name));
    PRESENTIE_ASSIGN_OR_RETURN(c.start, DateFromWire(m.start(), "start", name));
    PRESENTIE_ASSIGN_OR_RETURN(c.end, DateFromWire(m.end(), "end", name));
    c.hours = m.hours();
    c.price_cents = m.price_cents();
    PRESENTIE_RETURN_IF_ERROR(exports::Validate(c));
    return c;
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_CONTRACT_H_
