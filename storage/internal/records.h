// The canonical JSON body of each record kind, as stored in the change log's
// `body` column and digested into the audit log. Internal to storage/.
//
// A body is a JSON object of the record's fields, keys sorted, no spaces,
// UTF-8 as is; enums by their permanent text names; an absent optional is
// null. The same record always gives the same bytes: exactly those of
// nlohmann::json's dump() of the same object (the tests hold the two to it),
// so any tool can re-create a body from its fields. Field names are on disk
// (and will be on the wire): permanent, and only ever added to.
#ifndef PRESENTIE_STORAGE_INTERNAL_RECORDS_H_
#define PRESENTIE_STORAGE_INTERNAL_RECORDS_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/exports.h"
#include "core/status.h"

namespace presentie::storage::internal {

// kInvalidArgument when a text field is not valid UTF-8 (the message names
// the record, never the text).
Result<std::string> EncodeBody(const Learner& learner);
Result<std::string> EncodeBody(const Course& course);
Result<std::string> EncodeBody(const Enrollment& enrollment);
Result<std::string> EncodeBody(const Lesson& lesson);
Result<std::string> EncodeBody(const Attendance& attendance);
Result<std::string> EncodeBody(const exports::DuoHours& hours);
Result<std::string> EncodeBody(const exports::GemeenteHours& hours);
Result<std::string> EncodeBody(const exports::GemeenteAbsence& absence);
Result<std::string> EncodeBody(const exports::GemeenteDecision& decision);
Result<std::string> EncodeBody(const exports::DuoAbsence& absence);
Result<std::string> EncodeBody(const exports::DuoExamResult& result);
Result<std::string> EncodeBody(const Qualification& qualification);
Result<std::string> EncodeBody(const exports::BowPlanning& planning);
Result<std::string> EncodeBody(const exports::BowQualification& qualification);
Result<std::string> EncodeBody(const exports::GemeentePip& pip);
Result<std::string> EncodeBody(const exports::DuoDuty& duty);
Result<std::string> EncodeBody(const exports::Contract& contract);
Result<std::string> EncodeBody(const exports::Invoice& invoice);
Result<std::string> EncodeBody(const exports::BridgingDiploma& diploma);
Result<std::string> EncodeBody(const exports::GemeenteNaw& naw);

// A list of names (a course planning's teachers, which hold no control
// characters) as one text, one per line, and back. Empty list: "".
std::string JoinLines(std::span<const std::string> lines);
std::vector<std::string> SplitLines(std::string_view text);

}  // namespace presentie::storage::internal

#endif  // PRESENTIE_STORAGE_INTERNAL_RECORDS_H_
