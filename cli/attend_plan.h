// From the flags of `presentie attend LESSON` to the attendance records of
// that lesson. Pure: the caller reads the roster and earlier records from the
// register and writes the plan in one Store::RecordAttendance call.
#ifndef PRESENTIE_CLI_ATTEND_PLAN_H_
#define PRESENTIE_CLI_ATTEND_PLAN_H_

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/status.h"

namespace presentie::cli {

// The flags as typed. Each entry starts with a learner id.
struct AttendFlags {
  bool all_present = false;           // every enrolled learner not named otherwise
  std::vector<std::string> present;   // ID
  std::vector<std::string> absent;    // ID or ID:REASON
  std::vector<std::string> notified;  // ID: absent, notified in advance
  std::vector<std::string> partial;   // ID:MINUTES or ID:MINUTES:REASON
  std::vector<std::string> remote;    // ID: followed remotely (with --partial: for part)
  std::vector<std::string> notes;     // ID:TEXT
  // Learners not on the course's roster are recorded on purpose. Without it
  // the command refuses them (and records nothing): an attendance reaches the
  // authorities at the next submit. One already recorded for the lesson may
  // be corrected without it (cmd_attend.cc decides; the plan lists them all).
  bool not_enrolled = false;

  bool empty() const;
};

struct AttendPlan {
  std::vector<Attendance> records;  // by learner id; ids set from lesson and learner
  std::vector<std::string> kept;    // enrolled, not named, already recorded: left as they were
  std::vector<std::string> not_enrolled;  // named but not on the course's roster
};

// What the flags say about `lesson`:
//  - a learner named by --present, --absent, --notified, --partial or --remote
//    gets a new record made from the flags that name them (an edit, if one
//    was recorded before); the flags combine where they agree (--absent X:ziek
//    --notified X; --partial X:90 --remote X) and are an error where they do
//    not (--present X --absent X);
//  - with --all-present, every actively enrolled learner not named and not
//    yet recorded for this lesson is present on site; one already recorded is
//    kept (a notice entered before the lesson survives a later --all-present);
//  - --note X:TEXT sets the note of X's record: the new one, else the
//    earlier one; an error if X has neither.
// A named learner for whom `learner_exists` is false is kNotFound naming the
// id; a malformed value or a record that fails Validate is kInvalidArgument
// naming the flag or learner. Reasons are read by ParseAbsenceReason (English
// or Dutch words).
Result<AttendPlan> PlanAttendance(const Lesson& lesson, const AttendFlags& flags,
                                  std::span<const Enrollment> roster,
                                  std::span<const Attendance> existing,
                                  const std::function<bool(std::string_view)>& learner_exists);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_ATTEND_PLAN_H_
