// The traits of a record kind (storage/kinds/traits.h).
// A lesson of a course: its start, its duration and its teacher (sealed).
#ifndef PRESENTIE_STORAGE_KINDS_LESSON_H_
#define PRESENTIE_STORAGE_KINDS_LESSON_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<Lesson> {
  static constexpr RecordKind kKind = RecordKind::kLesson;
  static constexpr std::string_view kName = "lesson";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, course_id, start, duration_minutes, unseal(teacher,'teacher')";

  static std::string Id(const Lesson& r) { return r.id; }
  static Status Validate(const Lesson& r) { return presentie::Validate(r); }

  static Status Read(const Statement& s, int c, Lesson* l) {
    l->id = s.ColumnString(c);
    l->course_id = s.ColumnString(c + 1);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDateTime(s.ColumnText(c + 2)), &l->start));
    l->duration_minutes = static_cast<int>(s.ColumnInt(c + 3));
    l->teacher = s.ColumnString(c + 4);
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const Lesson& l) {
    s.BindTextRef(i, l.id);
    s.BindTextRef(i + 1, l.course_id);
    s.BindText(i + 2, FormatDateTime(l.start));
    s.BindInt(i + 3, l.duration_minutes);
    s.BindTextRef(i + 4, l.teacher);
  }

  // The school's: its admin or a teacher (O.lesson-owner).
  static Result<OwnershipVerdict> MayWrite(Role writer, const Lesson&, const LearnerLookup&) {
    return CheckLessonWrite(writer);
  }

  static Result<std::string> Body(const Lesson& l) {
    CanonicalObject o;
    o.Text("course_id", l.course_id)
        .Int("duration_minutes", l.duration_minutes)
        .Text("id", l.id)
        .Text("start", FormatDateTime(l.start))
        .Text("teacher", l.teacher);
    return o.Finish("lesson", l.id);
  }

  static Lesson FromBody(BodyReader& r) {
    Lesson l;
    l.id = r.Text("id");
    l.course_id = r.Text("course_id");
    l.start = r.Time("start");
    l.duration_minutes = r.Int("duration_minutes");
    l.teacher = r.Text("teacher");
    return l;
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_LESSON_H_
