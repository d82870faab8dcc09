// What `presentie explain` shows of an attendance record: what the register
// holds of it (storage's AttendanceState) and the classification by R2 for
// the learner as known here. A view for people, so it lives in cli/.
#ifndef PRESENTIE_CLI_EXPLANATION_H_
#define PRESENTIE_CLI_EXPLANATION_H_

#include <optional>
#include <string_view>

#include "core/classification.h"
#include "core/domain.h"
#include "core/status.h"
#include "storage/register.h"

namespace presentie::cli {

struct Explanation : storage::Register::AttendanceState {
  std::optional<Learner> learner;                      // nullopt: not received yet
  std::optional<ClassificationResult> classification;  // with the learner
};

// The explanation of attendance `attendance_id` (LESSON/LEARNER). kNotFound
// when the register has not recorded it; the learner not (yet) being in the
// register is no error: it leaves `learner` and `classification` empty.
Result<Explanation> Explain(storage::Register& reg, std::string_view attendance_id);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_EXPLANATION_H_
