// The traits of a record kind (storage/kinds/traits.h).
// A bridging diploma, for DUO and, a Wi2021 asylum permit holder's, for
// the gemeente (core/authorities/contracts.h).
#ifndef PRESENTIE_STORAGE_KINDS_BRIDGING_DIPLOMA_H_
#define PRESENTIE_STORAGE_KINDS_BRIDGING_DIPLOMA_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::BridgingDiploma> {
  static constexpr RecordKind kKind = RecordKind::kBridgingDiploma;
  static constexpr std::string_view kName = "bridging_diploma";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, learner_id, unseal(bsn,'bsn'), gemeente_code, awarded_on";

  static std::string Id(const exports::BridgingDiploma& r) { return r.id; }
  // The school's own keys, held under the school at an endpoint (traits.h).
  static void Rekey(exports::BridgingDiploma& r, const KeyMap& f) {
    f(r.learner_id);
    r.id = exports::BridgingDiplomaId(r.learner_id, r.gemeente_code);
  }
  static Status Validate(const exports::BridgingDiploma& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::BridgingDiploma* out) {
    out->id = s.ColumnString(c);
    out->learner_id = s.ColumnString(c + 1);
    out->bsn = s.ColumnString(c + 2);
    out->gemeente_code = s.ColumnString(c + 3);
    return Take(ParseDate(s.ColumnText(c + 4)), &out->awarded_on);
  }

  static void Bind(Statement& s, int i, const exports::BridgingDiploma& d) {
    s.BindTextRef(i, d.id);
    s.BindTextRef(i + 1, d.learner_id);
    s.BindTextRef(i + 2, d.bsn);
    s.BindTextRef(i + 3, d.gemeente_code);
    s.BindText(i + 4, FormatDate(d.awarded_on));
  }

  // A school's fact about its learner, with the learner's BSN: an
  // authority's register links the learner to the person (endpoint.cc).
  static const std::string& SchoolLearner(const exports::BridgingDiploma& r) {
    return r.learner_id;
  }

  static Result<std::string> Body(const exports::BridgingDiploma& d) {
    CanonicalObject o;
    o.Text("awarded_on", FormatDate(d.awarded_on))
        .Text("bsn", d.bsn)
        .Text("gemeente_code", d.gemeente_code)
        .Text("id", d.id)
        .Text("learner_id", d.learner_id);
    return o.Finish("bridging diploma", d.id);
  }

  static exports::BridgingDiploma FromBody(BodyReader& r) {
    exports::BridgingDiploma d;
    d.id = r.Text("id");
    d.learner_id = r.Text("learner_id");
    d.bsn = r.Text("bsn");
    d.gemeente_code = r.Text("gemeente_code");
    d.awarded_on = r.Day("awarded_on");
    if (r.status().ok() && d.id != exports::BridgingDiplomaId(d.learner_id, d.gemeente_code)) {
      r.FailRecord("body id does not match its learner and receiver");
    }
    return d;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::BridgingDiploma&,
                                           const LearnerLookup&) {
    return CheckSubmissionWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_BRIDGING_DIPLOMA_H_
