#include "cli/explanation.h"

#include <utility>

namespace presentie::cli {

Result<Explanation> Explain(storage::Register& reg, std::string_view attendance_id) {
  PRESENTIE_ASSIGN_OR_RETURN(storage::Register::AttendanceState state,
                             reg.GetAttendanceState(attendance_id));
  Explanation e;
  static_cast<storage::Register::AttendanceState&>(e) = std::move(state);
  Result<Learner> learner = reg.GetLearner(e.shown.learner_id);
  if (learner.ok()) {
    e.classification = Classify(*learner, e.shown);
    e.learner = std::move(*learner);
  } else if (learner.status().code() != StatusCode::kNotFound) {
    return learner.status();
  }
  return e;
}

}  // namespace presentie::cli
