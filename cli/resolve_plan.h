// From the flags of `presentie conflicts resolve ID` to the attendance value
// an admin's resolution writes. Pure: the caller reads the conflict (and the
// lesson's duration) from the register and passes the value to
// Store::ResolveConflict, which writes it as an edit that dominates every
// sibling and checks ownership.
#ifndef PRESENTIE_CLI_RESOLVE_PLAN_H_
#define PRESENTIE_CLI_RESOLVE_PLAN_H_

#include <optional>
#include <string>

#include "core/domain.h"
#include "core/status.h"
#include "storage/store.h"

namespace presentie::cli {

// The flags as typed; "" / 0 / false when not given.
struct ResolveFlags {
  std::string reason;  // --reason TEXT: why the admin decided so (required)
  int take = 0;        // --take N: the Nth sibling of `conflicts show` (1-based)
  // The field options; a field not given keeps the shown value's.
  std::string status;          // --status present|absent|partial
  int minutes = -1;            // --minutes N (for partial); -1 = not given
  std::string mode;            // --mode on_site|remote
  bool notice = false;         // --notice: notified in advance
  bool no_notice = false;      // --no-notice: not notified in advance
  std::string absence_reason;  // --absence-reason CODE (English or Dutch word, "none")
  std::string classify;        // --classify excused|unexcused|none (an admin decision)

  bool HasFieldOptions() const;
};

// The longest --reason, as Store::ResolveConflict accepts it.
inline constexpr size_t kMaxResolveReasonChars = 500;

// Checks the flags on their own, before the register is opened: --reason is
// given and not blank (at most 500 characters); either --take or field
// options, not both and not neither; --status partial comes with --minutes;
// --minutes only with a partial status; --notice and --no-notice not both;
// every value parses. The message names the flag; a failure is a usage
// error.
Status CheckResolveFlags(const ResolveFlags& flags);

// The value to write for `conflict`, from flags that passed
// CheckResolveFlags:
//  - --take N: sibling N's facts, notice, reason and note; its decision only
//    if it is the admin's own (an admin resolution does not write another
//    party's decision);
//  - field options: the shown value with the fields given replaced; an
//    absence's details are dropped when the status becomes present, and a
//    notice or reason with a present status is an error;
//  - either way a gemeente decision on the shown value is kept as it is (only
//    the gemeente may change or remove it; ownership refuses otherwise),
//    except that a full presence carries no decision.
// `lesson_duration_minutes` is the lesson's length when the lesson is known
// here (needed to make a record present). kInvalidArgument naming the flag
// for --take beyond the siblings, a status the lesson's length cannot give,
// or a value core's Validate refuses.
Result<Attendance> ResolutionValue(const ResolveFlags& flags,
                                   const storage::Store::Conflict& conflict,
                                   std::optional<int> lesson_duration_minutes);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_RESOLVE_PLAN_H_
