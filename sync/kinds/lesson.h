// The wire's half of the Lesson kind's traits (sync/kinds/wire_traits.h): its
// message Lesson in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_LESSON_H_
#define PRESENTIE_SYNC_KINDS_LESSON_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<Lesson> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kLesson;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const Lesson& l) {
    PRESENTIE_RETURN_IF_ERROR(Key(l.id, "lesson id"));
    PRESENTIE_RETURN_IF_ERROR(Key(l.course_id, "course id"));
    if (!ParseDateTime(FormatDateTime(l.start)).ok()) {
      return InvalidArgument("start is not a date and time");
    }
    return Text(l.teacher, "teacher");
  }

  static void Fill(const Lesson& l, pb::Version* out) {
    pb::Lesson* m = out->mutable_lesson();
    m->set_id(l.id);
    m->set_course_id(l.course_id);
    m->set_start(FormatDateTime(l.start));
    m->set_duration_minutes(l.duration_minutes);
    m->set_teacher(l.teacher);
  }

  static Result<Lesson> FromWire(const pb::Version& version) {
    const pb::Lesson& m = version.lesson();
    PRESENTIE_RETURN_IF_ERROR(Key(m.id(), "lesson id").WithContext("lesson"));
    PRESENTIE_RETURN_IF_ERROR(Key(m.course_id(), "course id").WithContext(Named("lesson", m.id())));
    Lesson l;
    l.id = m.id();
    l.course_id = m.course_id();
    Result<DateTime> start = ParseDateTime(m.start());
    if (!start.ok() || FormatDateTime(*start) != m.start()) {
      return InvalidArgument(Named("lesson", l.id) + ": start is not a date and time");
    }
    l.start = *start;
    l.duration_minutes = m.duration_minutes();
    l.teacher = m.teacher();
    return l;
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_LESSON_H_
