// Turning the text a person typed (a flag's value, a CSV field) into domain
// values, with errors that name the flag or column. Pure: no I/O.
#ifndef PRESENTIE_CLI_PARSE_H_
#define PRESENTIE_CLI_PARSE_H_

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/status.h"

namespace presentie::cli {

// The field names of a learner: the CSV columns of `learner import`; the
// flags of `learner add` are the same names as --kebab-case.
inline constexpr std::string_view kLearnerRequired[] = {"id", "bsn", "name", "category", "regime"};
inline constexpr std::string_view kLearnerOptional[] = {
    "route", "level", "literacy", "estimated_hours", "gemeente", "lessons_per_week"};

// The columns of `attend import`.
inline constexpr std::string_view kAttendRequired[] = {"lesson", "learner", "status"};
inline constexpr std::string_view kAttendOptional[] = {"minutes", "mode", "notified", "reason",
                                                       "note"};

// The columns of `lesson import`: the flags of `lesson add` without "--".
inline constexpr std::string_view kLessonRequired[] = {"course", "start", "minutes", "teacher"};
inline constexpr std::string_view kLessonOptional[] = {"id", "weekly_until", "skip"};

// The value of a named field ("" when not given).
using FieldGetter = std::function<std::string_view(std::string_view field)>;
// The error to report about a named field ("" for the record as a whole).
using FieldError = std::function<Status(std::string_view field, std::string_view message)>;

// "estimated_hours" -> "--estimated-hours".
std::string FlagName(std::string_view field);
// "<flag>: <s's message>", kInvalidArgument: a bad option's error.
Status FlagError(std::string_view flag, const Status& s);
// Today's date in the machine's local time zone.
Date LocalToday();
// The machine's local wall-clock time, to the minute.
DateTime LocalNow();
// A date as a flag takes it: YYYY-MM-DD, or "today" (also "vandaag").
Result<Date> ParseDateOrToday(std::string_view text);

// A whole number in [min, max], digits only.
Result<int> ParseInt(std::string_view text, int min, int max);
// yes/no, ja/nee, true/false, y/n, j/n, 1/0 (any case); "" is no.
Result<bool> ParseYesNo(std::string_view text);

// A learner from its fields, each checked by core (the BSN by the elfproef,
// enums by their names), then the whole by Validate(Learner). Errors come from
// `error`, naming the field; a message never contains the BSN. Unset optional
// fields take the defaults of core's Learner.
Result<Learner> LearnerFromFields(const FieldGetter& get, const FieldError& error);

// The field of a record that a validation message is about: the field name
// (or its words: "lessons per week") that occurs first in `message`; "" when
// none does. Lets a CSV error name its column even when the rule checked
// several fields.
std::string_view FieldInMessage(std::string_view message, std::span<const std::string_view> fields);

// "ID" or "ID:VALUE" (split at the first ':'); the id checked as a record key.
struct IdArg {
  std::string id;
  std::string value;  // after the ':'; may itself hold ':'
  bool has_value = false;
};
Result<IdArg> ParseIdArg(std::string_view text, std::string_view flag);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_PARSE_H_
