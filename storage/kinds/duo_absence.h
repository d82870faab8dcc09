// The traits of a record kind (storage/kinds/traits.h).
// An absence the school reports to DUO (core/authorities/duo.h).
#ifndef PRESENTIE_STORAGE_KINDS_DUO_ABSENCE_H_
#define PRESENTIE_STORAGE_KINDS_DUO_ABSENCE_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::DuoAbsence> {
  static constexpr RecordKind kKind = RecordKind::kDuoAbsence;
  static constexpr std::string_view kName = "duo_absence";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, lesson_id, learner_id, unseal(bsn,'bsn'), lesson_start, minutes_absent, classification";

  static std::string Id(const exports::DuoAbsence& r) { return r.id; }
  // The school's own keys, held under the school at an endpoint (traits.h).
  static void Rekey(exports::DuoAbsence& r, const KeyMap& f) {
    f(r.lesson_id);
    f(r.learner_id);
    r.id = exports::DuoAbsenceId(r.lesson_id, r.learner_id);
  }
  static Status Validate(const exports::DuoAbsence& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::DuoAbsence* a) {
    a->id = s.ColumnString(c);
    a->lesson_id = s.ColumnString(c + 1);
    a->learner_id = s.ColumnString(c + 2);
    a->bsn = s.ColumnString(c + 3);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDateTime(s.ColumnText(c + 4)), &a->lesson_start));
    a->minutes_absent = static_cast<int>(s.ColumnInt(c + 5));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseClassification(s.ColumnText(c + 6)), &a->classification));
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::DuoAbsence& a) {
    s.BindTextRef(i, a.id);
    s.BindTextRef(i + 1, a.lesson_id);
    s.BindTextRef(i + 2, a.learner_id);
    s.BindTextRef(i + 3, a.bsn);
    s.BindText(i + 4, FormatDateTime(a.lesson_start));
    s.BindInt(i + 5, a.minutes_absent);
    s.BindStaticText(i + 6, ToString(a.classification));
  }

  // A school's fact about its learner, with the learner's BSN: an
  // authority's register links the learner to the person (endpoint.cc).
  static const std::string& SchoolLearner(const exports::DuoAbsence& r) { return r.learner_id; }

  static Result<std::string> Body(const exports::DuoAbsence& a) {
    CanonicalObject o;
    o.Text("bsn", a.bsn)
        .Text("classification", ToString(a.classification))
        .Text("id", a.id)
        .Text("learner_id", a.learner_id)
        .Text("lesson_id", a.lesson_id)
        .Text("lesson_start", FormatDateTime(a.lesson_start))
        .Int("minutes_absent", a.minutes_absent);
    return o.Finish("DUO absence", a.id);
  }

  static exports::DuoAbsence FromBody(BodyReader& r) {
    exports::DuoAbsence a;
    a.id = r.Text("id");
    a.lesson_id = r.Text("lesson_id");
    a.learner_id = r.Text("learner_id");
    a.bsn = r.Text("bsn");
    a.lesson_start = r.Time("lesson_start");
    a.minutes_absent = r.Int("minutes_absent");
    a.classification = r.Enum<Classification>("classification", ParseClassification);
    if (r.status().ok() && a.id != exports::DuoAbsenceId(a.lesson_id, a.learner_id)) {
      r.FailRecord("body id does not match its lesson and learner");
    }
    return a;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::DuoAbsence&,
                                           const LearnerLookup&) {
    return CheckSubmissionWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_DUO_ABSENCE_H_
