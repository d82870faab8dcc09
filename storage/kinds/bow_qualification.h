// The traits of a record kind (storage/kinds/traits.h).
// A teacher's qualification as sent to Blik op Werk (core/authorities/bow.h).
#ifndef PRESENTIE_STORAGE_KINDS_BOW_QUALIFICATION_H_
#define PRESENTIE_STORAGE_KINDS_BOW_QUALIFICATION_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::BowQualification> {
  static constexpr RecordKind kKind = RecordKind::kBowQualification;
  static constexpr std::string_view kName = "bow_qualification";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, qualification_id, unseal(teacher,'teacher'), component, title, obtained";

  static std::string Id(const exports::BowQualification& r) { return r.id; }
  // The school's own keys, held under the school at an endpoint (traits.h).
  static void Rekey(exports::BowQualification& r, const KeyMap& f) {
    f(r.qualification_id);
    r.id = exports::BowQualificationId(r.qualification_id);
  }
  static Status Validate(const exports::BowQualification& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::BowQualification* q) {
    q->id = s.ColumnString(c);
    q->qualification_id = s.ColumnString(c + 1);
    q->teacher = s.ColumnString(c + 2);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseComponent(s.ColumnText(c + 3)), &q->component));
    q->title = s.ColumnString(c + 4);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 5)), &q->obtained));
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::BowQualification& q) {
    s.BindTextRef(i, q.id);
    s.BindTextRef(i + 1, q.qualification_id);
    s.BindTextRef(i + 2, q.teacher);
    s.BindStaticText(i + 3, ToString(q.component));
    s.BindTextRef(i + 4, q.title);
    s.BindText(i + 5, FormatDate(q.obtained));
  }

  static Result<std::string> Body(const exports::BowQualification& q) {
    CanonicalObject o;
    o.Text("component", ToString(q.component))
        .Text("id", q.id)
        .Text("obtained", FormatDate(q.obtained))
        .Text("qualification_id", q.qualification_id)
        .Text("teacher", q.teacher)
        .Text("title", q.title);
    return o.Finish("BoW qualification", q.id);
  }

  static exports::BowQualification FromBody(BodyReader& r) {
    exports::BowQualification q;
    q.id = r.Text("id");
    q.qualification_id = r.Text("qualification_id");
    q.teacher = r.Text("teacher");
    q.component = r.Enum<Component>("component", ParseComponent);
    q.title = r.Text("title");
    q.obtained = r.Day("obtained");
    if (r.status().ok() && q.id != exports::BowQualificationId(q.qualification_id)) {
      r.FailRecord("body id does not match its qualification");
    }
    return q;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::BowQualification&,
                                           const LearnerLookup&) {
    return CheckSubmissionWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_BOW_QUALIFICATION_H_
