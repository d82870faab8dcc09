// The canonical body of each record kind, as stored in the change log's
// `body` column and digested into the audit log. Internal to storage/.
//
// An attendance's body is compact text (kAttendanceBodyV1, below): it is
// most of the change log. Every other body, and an attendance's written
// before schema version 9, is a JSON object of the record's fields, keys sorted, no spaces,
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
#include "core/authorities.h"
#include "core/status.h"

namespace presentie::storage::internal {

// An attendance body since schema version 9: "a1|" then the facts in this
// order, each followed by '|': status, minutes_present, mode, notified (1
// or 0), reason, the decision's value and decided_by ("-" and "-" when
// none); then the note, as it is, to the end (it may hold '|'). Enums by
// their permanent names; minutes in decimal without leading zeros. No ids:
// the change-log row's record id is "<lesson>/<learner>". Permanent; a
// later format gets another prefix, and every one stays readable.
inline constexpr std::string_view kAttendanceBodyV1 = "a1|";
// The seven '|'-ended facts of a kAttendanceBodyV1 body, after its prefix,
// and the note that follows them. Returns how many facts it found: 7 for a
// whole body; fewer, and the note empty, when one is missing.
size_t SplitAttendanceFacts(std::string_view facts, std::string_view (&fields)[7],
                            std::string_view* note);


// The bodies themselves are each kind's traits' (KindTraits<T>::Body in
// storage/kinds/; internal::EncodeBody in storage/kinds/all.h).

// A list of names (a course planning's teachers, which hold no control
// characters) as one text, one per line, and back. Empty list: "".
std::string JoinLines(std::span<const std::string> lines);
std::vector<std::string> SplitLines(std::string_view text);

}  // namespace presentie::storage::internal

#endif  // PRESENTIE_STORAGE_INTERNAL_RECORDS_H_
