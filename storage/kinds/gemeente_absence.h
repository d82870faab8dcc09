// The traits of a record kind (storage/kinds/traits.h).
// An absence the school reports to a gemeente (core/authorities/gemeente.h).
#ifndef PRESENTIE_STORAGE_KINDS_GEMEENTE_ABSENCE_H_
#define PRESENTIE_STORAGE_KINDS_GEMEENTE_ABSENCE_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::GemeenteAbsence> {
  static constexpr RecordKind kKind = RecordKind::kGemeenteAbsence;
  static constexpr std::string_view kName = "gemeente_absence";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, lesson_id, learner_id, gemeente_code, unseal(bsn,'bsn'), lesson_start, minutes_absent, "
      "notified_in_advance";

  static std::string Id(const exports::GemeenteAbsence& r) { return r.id; }
  // The school's own keys, held under the school at an endpoint (traits.h).
  static void Rekey(exports::GemeenteAbsence& r, const KeyMap& f) {
    f(r.lesson_id);
    f(r.learner_id);
    r.id = exports::GemeenteAbsenceId(r.gemeente_code, r.lesson_id, r.learner_id);
  }
  static Status Validate(const exports::GemeenteAbsence& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::GemeenteAbsence* a) {
    a->id = s.ColumnString(c);
    a->lesson_id = s.ColumnString(c + 1);
    a->learner_id = s.ColumnString(c + 2);
    a->gemeente_code = s.ColumnString(c + 3);
    a->bsn = s.ColumnString(c + 4);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDateTime(s.ColumnText(c + 5)), &a->lesson_start));
    a->minutes_absent = static_cast<int>(s.ColumnInt(c + 6));
    a->notified_in_advance = s.ColumnBool(c + 7);
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::GemeenteAbsence& a) {
    s.BindTextRef(i, a.id);
    s.BindTextRef(i + 1, a.lesson_id);
    s.BindTextRef(i + 2, a.learner_id);
    s.BindTextRef(i + 3, a.gemeente_code);
    s.BindTextRef(i + 4, a.bsn);
    s.BindText(i + 5, FormatDateTime(a.lesson_start));
    s.BindInt(i + 6, a.minutes_absent);
    s.BindBool(i + 7, a.notified_in_advance);
  }

  // A school's fact about its learner, with the learner's BSN: an
  // authority's register links the learner to the person (endpoint.cc).
  static const std::string& SchoolLearner(const exports::GemeenteAbsence& r) {
    return r.learner_id;
  }

  static Result<std::string> Body(const exports::GemeenteAbsence& a) {
    CanonicalObject o;
    o.Text("bsn", a.bsn)
        .Text("gemeente_code", a.gemeente_code)
        .Text("id", a.id)
        .Text("learner_id", a.learner_id)
        .Text("lesson_id", a.lesson_id)
        .Text("lesson_start", FormatDateTime(a.lesson_start))
        .Int("minutes_absent", a.minutes_absent)
        .Bool("notified_in_advance", a.notified_in_advance);
    return o.Finish("absence", a.id);
  }

  static exports::GemeenteAbsence FromBody(BodyReader& r) {
    exports::GemeenteAbsence a;
    a.id = r.Text("id");
    a.lesson_id = r.Text("lesson_id");
    a.learner_id = r.Text("learner_id");
    a.gemeente_code = r.Text("gemeente_code");
    a.bsn = r.Text("bsn");
    a.lesson_start = r.Time("lesson_start");
    a.minutes_absent = r.Int("minutes_absent");
    a.notified_in_advance = r.Bool("notified_in_advance");
    if (r.status().ok() &&
        a.id != exports::GemeenteAbsenceId(a.gemeente_code, a.lesson_id, a.learner_id)) {
      r.FailRecord("body id does not match its gemeente, lesson and learner");
    }
    return a;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::GemeenteAbsence&,
                                           const LearnerLookup&) {
    return CheckSubmissionWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_GEMEENTE_ABSENCE_H_
