// The traits of a record kind (storage/kinds/traits.h).
// A gemeente's classification of an absence of a Wi2021 asylum permit
// holder of its own (core/authorities/gemeente.h): written at the gemeente.
#ifndef PRESENTIE_STORAGE_KINDS_GEMEENTE_DECISION_H_
#define PRESENTIE_STORAGE_KINDS_GEMEENTE_DECISION_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::GemeenteDecision> {
  static constexpr RecordKind kKind = RecordKind::kGemeenteDecision;
  static constexpr std::string_view kName = "gemeente_decision";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, lesson_id, learner_id, gemeente_code, value, decided_on";

  static std::string Id(const exports::GemeenteDecision& r) { return r.id; }
  // The school's own keys, held under the school at an endpoint (traits.h).
  static void Rekey(exports::GemeenteDecision& r, const KeyMap& f) {
    f(r.lesson_id);
    f(r.learner_id);
    r.id = exports::GemeenteDecisionId(r.gemeente_code, r.lesson_id, r.learner_id);
  }
  static Status Validate(const exports::GemeenteDecision& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::GemeenteDecision* d) {
    d->id = s.ColumnString(c);
    d->lesson_id = s.ColumnString(c + 1);
    d->learner_id = s.ColumnString(c + 2);
    d->gemeente_code = s.ColumnString(c + 3);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseClassification(s.ColumnText(c + 4)), &d->value));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 5)), &d->decided_on));
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::GemeenteDecision& d) {
    s.BindTextRef(i, d.id);
    s.BindTextRef(i + 1, d.lesson_id);
    s.BindTextRef(i + 2, d.learner_id);
    s.BindTextRef(i + 3, d.gemeente_code);
    s.BindStaticText(i + 4, ToString(d.value));
    s.BindText(i + 5, FormatDate(d.decided_on));
  }

  // Also shows the decision on the attendance it is about, when that is an
  // absence held here (sqlite_store's UpsertAttendanceRow applies it to
  // later versions).
  static Status AfterUpsert(sqlite::Database& db, const exports::GemeenteDecision& d) {
    PRESENTIE_ASSIGN_OR_RETURN(
        sqlite::CachedStatement show,
        db.Cached(
            "UPDATE attendance SET decision = ?3, decided_by = 'gemeente', decision_rule = ?4 "
            "WHERE lesson_id = ?1 AND learner_id = ?2 AND status != 'present'"));
    show->BindTextRef(1, d.lesson_id);
    show->BindTextRef(2, d.learner_id);
    show->BindStaticText(3, ToString(d.value));
    show->BindStaticText(4, rule::kGemeenteDecision);
    return show->Run();
  }

  static Result<std::string> Body(const exports::GemeenteDecision& d) {
    CanonicalObject o;
    o.Text("decided_on", FormatDate(d.decided_on))
        .Text("gemeente_code", d.gemeente_code)
        .Text("id", d.id)
        .Text("learner_id", d.learner_id)
        .Text("lesson_id", d.lesson_id)
        .Text("value", ToString(d.value));
    return o.Finish("gemeente decision", d.id);
  }

  static exports::GemeenteDecision FromBody(BodyReader& r) {
    exports::GemeenteDecision d;
    d.id = r.Text("id");
    d.lesson_id = r.Text("lesson_id");
    d.learner_id = r.Text("learner_id");
    d.gemeente_code = r.Text("gemeente_code");
    d.value = r.Enum<Classification>("value", ParseClassification);
    d.decided_on = r.Day("decided_on");
    if (r.status().ok() &&
        d.id != exports::GemeenteDecisionId(d.gemeente_code, d.lesson_id, d.learner_id)) {
      r.FailRecord("body id does not match its gemeente, lesson and learner");
    }
    return d;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::GemeenteDecision& d,
                                           const LearnerLookup& learner) {
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<Learner> about, learner(d.learner_id));
    return CheckGemeenteDecisionWrite(writer, d.gemeente_code, about ? &*about : nullptr);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_GEMEENTE_DECISION_H_
