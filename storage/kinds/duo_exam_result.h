// The traits of a record kind (storage/kinds/traits.h).
// An exam result from DUO (core/authorities/duo.h): written at DUO.
#ifndef PRESENTIE_STORAGE_KINDS_DUO_EXAM_RESULT_H_
#define PRESENTIE_STORAGE_KINDS_DUO_EXAM_RESULT_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::DuoExamResult> {
  static constexpr RecordKind kKind = RecordKind::kDuoExamResult;
  static constexpr std::string_view kName = "duo_exam_result";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, learner_id, unseal(bsn,'bsn'), exam, level, passed, taken_on";

  static std::string Id(const exports::DuoExamResult& r) { return r.id; }
  // At an authority's endpoint the learner is the person the authority
  // knows by BSN (kAboutPerson); each school is served it under its own
  // learner id (traits.h, Rekey).
  static constexpr bool kAboutPerson = true;
  static void Rekey(exports::DuoExamResult& r, const KeyMap& f) {
    f(r.learner_id);
    r.id = exports::DuoExamResultId(r.learner_id, r.exam, r.taken_on);
  }
  static Status Validate(const exports::DuoExamResult& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::DuoExamResult* e) {
    e->id = s.ColumnString(c);
    e->learner_id = s.ColumnString(c + 1);
    e->bsn = s.ColumnString(c + 2);
    PRESENTIE_RETURN_IF_ERROR(Take(exports::ParseDuoExam(s.ColumnText(c + 3)), &e->exam));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseLevel(s.ColumnText(c + 4)), &e->level));
    e->passed = s.ColumnBool(c + 5);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 6)), &e->taken_on));
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::DuoExamResult& e) {
    s.BindTextRef(i, e.id);
    s.BindTextRef(i + 1, e.learner_id);
    s.BindTextRef(i + 2, e.bsn);
    s.BindStaticText(i + 3, exports::ToString(e.exam));
    s.BindStaticText(i + 4, ToString(e.level));
    s.BindBool(i + 5, e.passed);
    s.BindText(i + 6, FormatDate(e.taken_on));
  }

  static Result<std::string> Body(const exports::DuoExamResult& r) {
    CanonicalObject o;
    o.Text("bsn", r.bsn)
        .Text("exam", exports::ToString(r.exam))
        .Text("id", r.id)
        .Text("learner_id", r.learner_id)
        .Text("level", ToString(r.level))
        .Bool("passed", r.passed)
        .Text("taken_on", FormatDate(r.taken_on));
    return o.Finish("exam result", r.id);
  }

  static exports::DuoExamResult FromBody(BodyReader& r) {
    exports::DuoExamResult e;
    e.id = r.Text("id");
    e.learner_id = r.Text("learner_id");
    e.bsn = r.Text("bsn");
    e.exam = r.Enum<exports::DuoExam>("exam", exports::ParseDuoExam);
    e.level = r.Enum<Level>("level", ParseLevel);
    e.passed = r.Bool("passed");
    e.taken_on = r.Day("taken_on");
    if (r.status().ok() && e.id != exports::DuoExamResultId(e.learner_id, e.exam, e.taken_on)) {
      r.FailRecord("body id does not match its learner, exam and date");
    }
    return e;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::DuoExamResult&,
                                           const LearnerLookup&) {
    return CheckExamResultWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_DUO_EXAM_RESULT_H_
