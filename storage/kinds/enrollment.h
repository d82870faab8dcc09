// The traits of a record kind (storage/kinds/traits.h).
// An enrolment of a learner in a course; its id is "<course>/<learner>",
// derived from its key.
#ifndef PRESENTIE_STORAGE_KINDS_ENROLLMENT_H_
#define PRESENTIE_STORAGE_KINDS_ENROLLMENT_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<Enrollment> {
  static constexpr RecordKind kKind = RecordKind::kEnrollment;
  static constexpr std::string_view kName = "enrollment";
  static constexpr std::string_view kKey = "course_id, learner_id";
  static constexpr std::string_view kColumns = "id, course_id, learner_id, active";
  // The id is the table's own, derived from its key.
  static constexpr std::string_view kWritten = "course_id, learner_id, active";

  static std::string Id(const Enrollment& r) { return r.id; }
  // Core has no Validate for an enrolment: its keys, and its derived id.
  static Status Validate(const Enrollment& e) {
    if (Status s = ValidateRecordKey(e.course_id, "course_id"); !s.ok()) {
      return s.WithContext("enrollment");
    }
    if (Status s = ValidateRecordKey(e.learner_id, "learner_id"); !s.ok()) {
      return s.WithContext("enrollment");
    }
    const std::string expected = EnrollmentId(e.course_id, e.learner_id);
    if (!e.id.empty() && e.id != expected) {
      return InvalidArgument("enrollment '" + expected + "': id must be '" + expected +
                             "' (course/learner)");
    }
    return Status::Ok();
  }
  // A peer may leave the derived id out.
  static std::optional<Enrollment> Normalized(const Enrollment& e) {
    if (!e.id.empty()) return std::nullopt;
    Enrollment filled = e;
    filled.id = EnrollmentId(e.course_id, e.learner_id);
    return filled;
  }

  static Status Read(const Statement& s, int c, Enrollment* e) {
    e->id = s.ColumnString(c);
    e->course_id = s.ColumnString(c + 1);
    e->learner_id = s.ColumnString(c + 2);
    e->active = s.ColumnBool(c + 3);
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const Enrollment& e) {
    s.BindTextRef(i, e.course_id);
    s.BindTextRef(i + 1, e.learner_id);
    s.BindBool(i + 2, e.active);
  }

  // The roster is the school admin's (O.roster-owner).
  static Result<OwnershipVerdict> MayWrite(Role writer, const Enrollment&, const LearnerLookup&) {
    return CheckRosterWrite(writer, "an enrolment");
  }

  static Result<std::string> Body(const Enrollment& e) {
    CanonicalObject o;
    o.Bool("active", e.active)
        .Text("course_id", e.course_id)
        .Text("id", e.id)
        .Text("learner_id", e.learner_id);
    return o.Finish("enrolment", e.id);
  }

  static Enrollment FromBody(BodyReader& r) {
    Enrollment e;
    e.id = r.Text("id");
    e.course_id = r.Text("course_id");
    e.learner_id = r.Text("learner_id");
    e.active = r.Bool("active");
    if (r.status().ok() && e.id != EnrollmentId(e.course_id, e.learner_id)) {
      r.FailRecord("body id does not match its course and learner");
    }
    return e;
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_ENROLLMENT_H_
