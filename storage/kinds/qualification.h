// The traits of a record kind (storage/kinds/traits.h).
// A teacher's qualification, kept by the school's admin (core/domain.h).
#ifndef PRESENTIE_STORAGE_KINDS_QUALIFICATION_H_
#define PRESENTIE_STORAGE_KINDS_QUALIFICATION_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<Qualification> {
  static constexpr RecordKind kKind = RecordKind::kQualification;
  static constexpr std::string_view kName = "qualification";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, unseal(teacher,'teacher'), component, title, obtained";

  static std::string Id(const Qualification& r) { return r.id; }
  static Status Validate(const Qualification& r) { return presentie::Validate(r); }

  static Status Read(const Statement& s, int c, Qualification* q) {
    q->id = s.ColumnString(c);
    q->teacher = s.ColumnString(c + 1);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseComponent(s.ColumnText(c + 2)), &q->component));
    q->title = s.ColumnString(c + 3);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 4)), &q->obtained));
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const Qualification& q) {
    s.BindTextRef(i, q.id);
    s.BindTextRef(i + 1, q.teacher);
    s.BindStaticText(i + 2, ToString(q.component));
    s.BindTextRef(i + 3, q.title);
    s.BindText(i + 4, FormatDate(q.obtained));
  }

  static Result<std::string> Body(const Qualification& q) {
    CanonicalObject o;
    o.Text("component", ToString(q.component))
        .Text("id", q.id)
        .Text("obtained", FormatDate(q.obtained))
        .Text("teacher", q.teacher)
        .Text("title", q.title);
    return o.Finish("qualification", q.id);
  }

  static Qualification FromBody(BodyReader& r) {
    Qualification q;
    q.id = r.Text("id");
    q.teacher = r.Text("teacher");
    q.component = r.Enum<Component>("component", ParseComponent);
    q.title = r.Text("title");
    q.obtained = r.Day("obtained");
    return q;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const Qualification&,
                                           const LearnerLookup&) {
    return CheckQualificationWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_QUALIFICATION_H_
