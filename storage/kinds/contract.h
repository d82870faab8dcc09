// The traits of a record kind (storage/kinds/traits.h).
// A contract between the school and a learner, for DUO
// (core/authorities/contracts.h).
#ifndef PRESENTIE_STORAGE_KINDS_CONTRACT_H_
#define PRESENTIE_STORAGE_KINDS_CONTRACT_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::Contract> {
  static constexpr RecordKind kKind = RecordKind::kContract;
  static constexpr std::string_view kName = "contract";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, learner_id, unseal(bsn,'bsn'), signed_on, start_date, end_date, hours, price_cents";

  static std::string Id(const exports::Contract& r) { return r.id; }
  // The school's own keys, held under the school at an endpoint (traits.h).
  static void Rekey(exports::Contract& r, const KeyMap& f) {
    f(r.id);
    f(r.learner_id);
  }
  static Status Validate(const exports::Contract& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::Contract* out) {
    out->id = s.ColumnString(c);
    out->learner_id = s.ColumnString(c + 1);
    out->bsn = s.ColumnString(c + 2);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 3)), &out->signed_on));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 4)), &out->start));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 5)), &out->end));
    out->hours = static_cast<int>(s.ColumnInt(c + 6));
    out->price_cents = s.ColumnInt(c + 7);
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::Contract& c) {
    s.BindTextRef(i, c.id);
    s.BindTextRef(i + 1, c.learner_id);
    s.BindTextRef(i + 2, c.bsn);
    s.BindText(i + 3, FormatDate(c.signed_on));
    s.BindText(i + 4, FormatDate(c.start));
    s.BindText(i + 5, FormatDate(c.end));
    s.BindInt(i + 6, c.hours);
    s.BindInt(i + 7, c.price_cents);
  }

  // A school's fact about its learner, with the learner's BSN: an
  // authority's register links the learner to the person (endpoint.cc).
  static const std::string& SchoolLearner(const exports::Contract& r) { return r.learner_id; }

  static Result<std::string> Body(const exports::Contract& c) {
    CanonicalObject o;
    o.Text("bsn", c.bsn)
        .Text("end", FormatDate(c.end))
        .Int("hours", c.hours)
        .Text("id", c.id)
        .Text("learner_id", c.learner_id)
        .Int("price_cents", c.price_cents)
        .Text("signed_on", FormatDate(c.signed_on))
        .Text("start", FormatDate(c.start));
    return o.Finish("contract", c.id);
  }

  static exports::Contract FromBody(BodyReader& r) {
    exports::Contract c;
    c.id = r.Text("id");
    c.learner_id = r.Text("learner_id");
    c.bsn = r.Text("bsn");
    c.signed_on = r.Day("signed_on");
    c.start = r.Day("start");
    c.end = r.Day("end");
    c.hours = r.Int("hours");
    c.price_cents = r.Int("price_cents");
    return c;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::Contract&,
                                           const LearnerLookup&) {
    return CheckSubmissionWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_CONTRACT_H_
