// The traits of a record kind (storage/kinds/traits.h).
// An invoice on a contract, for DUO (core/authorities/contracts.h).
#ifndef PRESENTIE_STORAGE_KINDS_INVOICE_H_
#define PRESENTIE_STORAGE_KINDS_INVOICE_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::Invoice> {
  static constexpr RecordKind kKind = RecordKind::kInvoice;
  static constexpr std::string_view kName = "invoice";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, contract_id, learner_id, unseal(bsn,'bsn'), invoiced_on, hours, amount_cents";

  static std::string Id(const exports::Invoice& r) { return r.id; }
  // The school's own keys, held under the school at an endpoint (traits.h).
  static void Rekey(exports::Invoice& r, const KeyMap& f) {
    f(r.id);
    f(r.contract_id);
    f(r.learner_id);
  }
  static Status Validate(const exports::Invoice& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::Invoice* out) {
    out->id = s.ColumnString(c);
    out->contract_id = s.ColumnString(c + 1);
    out->learner_id = s.ColumnString(c + 2);
    out->bsn = s.ColumnString(c + 3);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 4)), &out->invoiced_on));
    out->hours = static_cast<int>(s.ColumnInt(c + 5));
    out->amount_cents = s.ColumnInt(c + 6);
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::Invoice& v) {
    s.BindTextRef(i, v.id);
    s.BindTextRef(i + 1, v.contract_id);
    s.BindTextRef(i + 2, v.learner_id);
    s.BindTextRef(i + 3, v.bsn);
    s.BindText(i + 4, FormatDate(v.invoiced_on));
    s.BindInt(i + 5, v.hours);
    s.BindInt(i + 6, v.amount_cents);
  }

  // A school's fact about its learner, with the learner's BSN: an
  // authority's register links the learner to the person (endpoint.cc).
  static const std::string& SchoolLearner(const exports::Invoice& r) { return r.learner_id; }

  static Result<std::string> Body(const exports::Invoice& i) {
    CanonicalObject o;
    o.Int("amount_cents", i.amount_cents)
        .Text("bsn", i.bsn)
        .Text("contract_id", i.contract_id)
        .Int("hours", i.hours)
        .Text("id", i.id)
        .Text("invoiced_on", FormatDate(i.invoiced_on))
        .Text("learner_id", i.learner_id);
    return o.Finish("invoice", i.id);
  }

  static exports::Invoice FromBody(BodyReader& r) {
    exports::Invoice i;
    i.id = r.Text("id");
    i.contract_id = r.Text("contract_id");
    i.learner_id = r.Text("learner_id");
    i.bsn = r.Text("bsn");
    i.invoiced_on = r.Day("invoiced_on");
    i.hours = r.Int("hours");
    i.amount_cents = r.Int("amount_cents");
    return i;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::Invoice&,
                                           const LearnerLookup&) {
    return CheckSubmissionWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_INVOICE_H_
