// The wire's half of the DuoExamResult kind's traits (sync/kinds/wire_traits.h): its
// message DuoExamResult in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_DUO_EXAM_RESULT_H_
#define PRESENTIE_SYNC_KINDS_DUO_EXAM_RESULT_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::DuoExamResult> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kDuoExamResult;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::DuoExamResult& e) { return exports::Validate(e); }

  static void Fill(const exports::DuoExamResult& e, pb::Version* out) {
    pb::DuoExamResult* m = out->mutable_duo_exam_result();
    m->set_learner_id(e.learner_id);
    m->set_bsn(e.bsn);
    m->set_exam(std::string(exports::ToString(e.exam)));
    m->set_level(std::string(ToString(e.level)));
    m->set_passed(e.passed);
    m->set_taken_on(FormatDate(e.taken_on));
  }

  static Result<exports::DuoExamResult> FromWire(const pb::Version& version) {
    const pb::DuoExamResult& m = version.duo_exam_result();
    PRESENTIE_RETURN_IF_ERROR(Key(m.learner_id(), "learner id").WithContext("exam result"));
    exports::DuoExamResult e;
    e.learner_id = m.learner_id();
    const std::string name = "exam result of " + Named("learner", e.learner_id);
    Result<exports::DuoExam> exam = exports::ParseDuoExam(m.exam());
    if (!exam.ok()) return InvalidArgument(name + ": " + exam.status().message());
    e.exam = *exam;
    Result<Level> level = ParseLevel(m.level());
    if (!level.ok()) return InvalidArgument(name + ": level is not A2, B1 or empty");
    e.level = *level;
    PRESENTIE_ASSIGN_OR_RETURN(e.taken_on, DateFromWire(m.taken_on(), "taken_on", name));
    e.id = exports::DuoExamResultId(e.learner_id, e.exam, e.taken_on);
    e.bsn = m.bsn();
    e.passed = m.passed();
    PRESENTIE_RETURN_IF_ERROR(exports::Validate(e));
    return e;
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_DUO_EXAM_RESULT_H_
