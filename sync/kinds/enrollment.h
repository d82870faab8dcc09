// The wire's half of the Enrollment kind's traits (sync/kinds/wire_traits.h): its
// message Enrollment in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_ENROLLMENT_H_
#define PRESENTIE_SYNC_KINDS_ENROLLMENT_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<Enrollment> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kEnrollment;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const Enrollment& e) {
    PRESENTIE_RETURN_IF_ERROR(Key(e.course_id, "course id"));
    PRESENTIE_RETURN_IF_ERROR(Key(e.learner_id, "learner id"));
    if (e.id != EnrollmentId(e.course_id, e.learner_id)) {
      return InvalidArgument("enrolment id does not match its course and learner");
    }
    return Status::Ok();
  }

  static void Fill(const Enrollment& e, pb::Version* out) {
    pb::Enrollment* m = out->mutable_enrollment();
    m->set_course_id(e.course_id);
    m->set_learner_id(e.learner_id);
    m->set_active(e.active);
  }

  static Result<Enrollment> FromWire(const pb::Version& version) {
    const pb::Enrollment& m = version.enrollment();
    PRESENTIE_RETURN_IF_ERROR(Key(m.course_id(), "course id").WithContext("enrolment"));
    PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("enrolment"));
    Enrollment e;
    e.course_id = m.course_id();
    e.learner_id = m.learner_id();
    e.id = EnrollmentId(e.course_id, e.learner_id);
    e.active = m.active();
    return e;
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_ENROLLMENT_H_
