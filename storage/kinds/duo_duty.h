// The traits of a record kind (storage/kinds/traits.h).
// DUO's view of a learner's integration duty (core/authorities/duo.h):
// written at DUO.
#ifndef PRESENTIE_STORAGE_KINDS_DUO_DUTY_H_
#define PRESENTIE_STORAGE_KINDS_DUO_DUTY_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::DuoDuty> {
  static constexpr RecordKind kKind = RecordKind::kDuoDuty;
  static constexpr std::string_view kName = "duo_duty";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, learner_id, unseal(bsn,'bsn'), status, term_end, decided_on";

  static std::string Id(const exports::DuoDuty& r) { return r.id; }
  // At an authority's endpoint the learner is the person the authority
  // knows by BSN (kAboutPerson); each school is served it under its own
  // learner id (traits.h, Rekey).
  static constexpr bool kAboutPerson = true;
  static void Rekey(exports::DuoDuty& r, const KeyMap& f) {
    f(r.learner_id);
    r.id = exports::DuoDutyId(r.learner_id);
  }
  static Status Validate(const exports::DuoDuty& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::DuoDuty* d) {
    d->id = s.ColumnString(c);
    d->learner_id = s.ColumnString(c + 1);
    d->bsn = s.ColumnString(c + 2);
    PRESENTIE_RETURN_IF_ERROR(Take(exports::ParseDutyStatus(s.ColumnText(c + 3)), &d->status));
    PRESENTIE_RETURN_IF_ERROR(ReadOptionalDate(s, c + 4, &d->term_end));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 5)), &d->decided_on));
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::DuoDuty& d) {
    s.BindTextRef(i, d.id);
    s.BindTextRef(i + 1, d.learner_id);
    s.BindTextRef(i + 2, d.bsn);
    s.BindStaticText(i + 3, exports::ToString(d.status));
    s.BindOptionalText(i + 4, OptionalDateText(d.term_end));
    s.BindText(i + 5, FormatDate(d.decided_on));
  }

  static Result<std::string> Body(const exports::DuoDuty& d) {
    CanonicalObject o;
    o.Text("bsn", d.bsn)
        .Text("decided_on", FormatDate(d.decided_on))
        .Text("id", d.id)
        .Text("learner_id", d.learner_id)
        .Text("status", exports::ToString(d.status));
    if (d.term_end.has_value()) {
      o.Text("term_end", FormatDate(*d.term_end));
    } else {
      o.Null("term_end");
    }
    return o.Finish("duty status", d.id);
  }

  static exports::DuoDuty FromBody(BodyReader& r) {
    exports::DuoDuty d;
    d.id = r.Text("id");
    d.learner_id = r.Text("learner_id");
    d.bsn = r.Text("bsn");
    d.status = r.Enum<exports::DutyStatus>("status", exports::ParseDutyStatus);
    d.term_end = r.OptionalDate("term_end");
    d.decided_on = r.Day("decided_on");
    if (r.status().ok() && d.id != exports::DuoDutyId(d.learner_id)) {
      r.FailRecord("body id does not match its learner");
    }
    return d;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::DuoDuty&,
                                           const LearnerLookup&) {
    return CheckDutyWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_DUO_DUTY_H_
