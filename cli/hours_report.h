// The hours report of `report hours` and `learner show`: per learner and
// component the minutes attended (R5), absences by classification (R2), the
// hour norms (R3) and substantial effort (R4), all computed by core.
#ifndef PRESENTIE_CLI_HOURS_REPORT_H_
#define PRESENTIE_CLI_HOURS_REPORT_H_

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <span>

#include "cli/output.h"
#include "core/hours.h"
#include "storage/store.h"

namespace presentie::cli {

struct LearnerHours {
  Learner learner;
  HoursSummary summary;
  std::array<NormVerdict, 2> norms{};
  EffortResult effort;
};

// The report of `lessons`, counting only the lessons on or before `as_of`
// (a date; the lessons after it have not taken place: not unrecorded, not
// counted). Without `as_of`, every lesson.
LearnerHours ComputeHours(const storage::LearnerLessons& lessons,
                          std::optional<Date> as_of = std::nullopt);

// One learner's report as JSON (shape in docs/cli.md):
// {"learner", "name", "category", "regime", "route",
//  "components": {"nt2"|"knm"|"literacy": {"attended_minutes", "attended_hours",
//     "remote_minutes", "excused_absent_minutes", "unexcused_absent_minutes",
//     "pending_absent_minutes", "lessons", "unrecorded_lessons",
//     "disputed_minutes"}},
//  "total": {same keys},
//  "norms": [{"norm", "applies", "counted_minutes", "counted_hours",
//             "norm_minutes", "norm_hours", "met"}],
//  "substantial_effort": {"verdict", "unexcused_lessons", "pending_lessons",
//                         "unrecorded_lessons"}}
Json ToJson(const LearnerHours& hours);

// Two tables: minutes per learner and component, then the verdicts. Minutes
// under an open present-versus-absent conflict show in DISPUTED_MIN, marked
// with "!".
void PrintHours(std::ostream& out, std::span<const LearnerHours> rows);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_HOURS_REPORT_H_
