// The traits of a record kind (storage/kinds/traits.h).
// A row of the school's hours for a gemeente (core/authorities/gemeente.h):
// written by the school's admin, sent to that gemeente only.
#ifndef PRESENTIE_STORAGE_KINDS_GEMEENTE_HOURS_H_
#define PRESENTIE_STORAGE_KINDS_GEMEENTE_HOURS_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::GemeenteHours> {
  static constexpr RecordKind kKind = RecordKind::kGemeenteHours;
  static constexpr std::string_view kName = "gemeente_hours";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, learner_id, gemeente_code, peildatum, unseal(bsn,'bsn'), attended_hours, "
      "literacy_hours, excused_hours, unexcused_hours, unclassified_hours, notified_hours";

  static std::string Id(const exports::GemeenteHours& r) { return r.id; }
  // The school's own keys, held under the school at an endpoint (traits.h).
  static void Rekey(exports::GemeenteHours& r, const KeyMap& f) {
    f(r.learner_id);
    r.id = exports::GemeenteHoursId(r.gemeente_code, r.learner_id, r.peildatum);
  }
  static Status Validate(const exports::GemeenteHours& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::GemeenteHours* h) {
    h->id = s.ColumnString(c);
    h->learner_id = s.ColumnString(c + 1);
    h->gemeente_code = s.ColumnString(c + 2);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 3)), &h->peildatum));
    h->bsn = s.ColumnString(c + 4);
    h->attended_hours = s.ColumnInt(c + 5);
    h->literacy_hours = s.ColumnInt(c + 6);
    h->excused_hours = s.ColumnInt(c + 7);
    h->unexcused_hours = s.ColumnInt(c + 8);
    h->unclassified_hours = s.ColumnInt(c + 9);
    h->notified_hours = s.ColumnInt(c + 10);
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::GemeenteHours& h) {
    s.BindTextRef(i, h.id);
    s.BindTextRef(i + 1, h.learner_id);
    s.BindTextRef(i + 2, h.gemeente_code);
    s.BindText(i + 3, FormatDate(h.peildatum));
    s.BindTextRef(i + 4, h.bsn);
    s.BindInt(i + 5, h.attended_hours);
    s.BindInt(i + 6, h.literacy_hours);
    s.BindInt(i + 7, h.excused_hours);
    s.BindInt(i + 8, h.unexcused_hours);
    s.BindInt(i + 9, h.unclassified_hours);
    s.BindInt(i + 10, h.notified_hours);
  }

  // A school's fact about its learner, with the learner's BSN: an
  // authority's register links the learner to the person (endpoint.cc).
  static const std::string& SchoolLearner(const exports::GemeenteHours& r) { return r.learner_id; }

  static Result<std::string> Body(const exports::GemeenteHours& h) {
    CanonicalObject o;
    o.Int("attended_hours", h.attended_hours)
        .Text("bsn", h.bsn)
        .Int("excused_hours", h.excused_hours)
        .Text("gemeente_code", h.gemeente_code)
        .Text("id", h.id)
        .Text("learner_id", h.learner_id)
        .Int("literacy_hours", h.literacy_hours)
        .Int("notified_hours", h.notified_hours)
        .Text("peildatum", FormatDate(h.peildatum))
        .Int("unclassified_hours", h.unclassified_hours)
        .Int("unexcused_hours", h.unexcused_hours);
    return o.Finish("gemeente row", h.id);
  }

  static exports::GemeenteHours FromBody(BodyReader& r) {
    exports::GemeenteHours h;
    h.id = r.Text("id");
    h.learner_id = r.Text("learner_id");
    h.gemeente_code = r.Text("gemeente_code");
    h.peildatum = r.Day("peildatum");
    h.bsn = r.Text("bsn");
    h.attended_hours = r.Int("attended_hours");
    h.literacy_hours = r.Int("literacy_hours");
    h.excused_hours = r.Int("excused_hours");
    h.unexcused_hours = r.Int("unexcused_hours");
    h.unclassified_hours = r.Int("unclassified_hours");
    h.notified_hours = r.Int("notified_hours");
    if (r.status().ok() &&
        h.id != exports::GemeenteHoursId(h.gemeente_code, h.learner_id, h.peildatum)) {
      r.FailRecord("body id does not match its gemeente, learner and reference date");
    }
    return h;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::GemeenteHours&,
                                           const LearnerLookup&) {
    return CheckSubmissionWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_GEMEENTE_HOURS_H_
