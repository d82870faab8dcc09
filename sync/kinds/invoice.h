// The wire's half of the Invoice kind's traits (sync/kinds/wire_traits.h): its
// message Invoice in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_INVOICE_H_
#define PRESENTIE_SYNC_KINDS_INVOICE_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::Invoice> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kInvoice;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::Invoice& i) { return exports::Validate(i); }

  static void Fill(const exports::Invoice& i, pb::Version* out) {
    pb::Invoice* m = out->mutable_invoice();
    m->set_id(i.id);
    m->set_contract_id(i.contract_id);
    m->set_learner_id(i.learner_id);
    m->set_bsn(i.bsn);
    m->set_invoiced_on(FormatDate(i.invoiced_on));
    m->set_hours(i.hours);
    m->set_amount_cents(i.amount_cents);
  }

  static Result<exports::Invoice> FromWire(const pb::Version& version) {
    const pb::Invoice& m = version.invoice();
    PRESENTIE_RETURN_IF_ERROR(Key(m.id(), "invoice number").WithContext("invoice"));
    exports::Invoice i;
    i.id = m.id();
    const std::string name = Named("invoice", i.id);
    i.contract_id = m.contract_id();
    i.learner_id = m.learner_id();
    i.bsn = m.bsn();
    PRESENTIE_ASSIGN_OR_RETURN(i.invoiced_on, DateFromWire(m.invoiced_on(), "invoiced_on", name));
    i.hours = m.hours();
    i.amount_cents = m.amount_cents();
    PRESENTIE_RETURN_IF_ERROR(exports::Validate(i));
    return i;
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_INVOICE_H_
