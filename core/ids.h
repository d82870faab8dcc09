// Identifiers (docs/rules.md, "Entries checked when they are made"),
// validated offline at entry, and the stable record ids
// (docs/architecture.md, "Records and their ids").
#ifndef PRESENTIE_CORE_IDS_H_
#define PRESENTIE_CORE_IDS_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace presentie {

// BSN: 9 digits passing the elfproef
//   9·d1 + 8·d2 + 7·d3 + 6·d4 + 5·d5 + 4·d6 + 3·d7 + 2·d8 − 1·d9 ≡ 0 (mod 11).
// An 8-digit number is read with a leading 0. All-zero is refused.
// Returns the canonical 9-digit form, or kInvalidArgument naming what is wrong
// (never echoing the number itself: a BSN must not reach a log).
Result<std::string> NormalizeBsn(std::string_view text);
bool IsValidBsn(std::string_view text);

// BRIN: 2 digits + 2 capital letters, e.g. "25AB".
Status ValidateBrin(std::string_view text);
// Blik op Werk registration number: 1 to 10 digits.
Status ValidateBowNumber(std::string_view text);
// DUO instellingsnummer: exactly 10 characters, digits and capital letters.
Status ValidateDuoInstitution(std::string_view text);
// CBS gemeentecode: exactly 4 digits, e.g. "0363" (Amsterdam).
Status ValidateGemeenteCode(std::string_view text);
// Postcode: [1-9][0-9]{3}[A-Z]{2}; a single space before the letters and
// lower-case letters are accepted and normalised ("1234 ab" -> "1234AB").
Result<std::string> NormalizePostcode(std::string_view text);
// OIN (organisatie-identificatienummer): exactly 20 digits.
Status ValidateOin(std::string_view text);

// A key chosen by the school for a learner, course or lesson:
// 1–64 characters of [A-Za-z0-9._-], starting with a letter or digit.
// `what` names the field in the error ("learner id").
Status ValidateRecordKey(std::string_view key, std::string_view what);

// The id of the attendance of `learner_id` in `lesson_id`: "<lesson>/<learner>".
// Two devices recording the same learner in the same lesson write the same
// record. '/' cannot occur in a record key, so it is unambiguous.
// Permanent: stored ids and wire ids depend on this format.
std::string AttendanceId(std::string_view lesson_id, std::string_view learner_id);
// The id of learner's enrolment in a course: "<course>/<learner>". Permanent.
std::string EnrollmentId(std::string_view course_id, std::string_view learner_id);
// The default id of a lesson of `course_id` starting at `start`
// ("2026-11-30T09:00"): "<course>-20261130-0900". Deterministic, so two
// devices that plan the same lesson offline plan the same record.
std::string DefaultLessonId(std::string_view course_id, std::string_view start);

// At an authority's endpoint, a school's own key (a learner, a lesson, a
// course, a contract number) held under the school that sent it:
// "<school>~<key>", the school its replica id (docs/authorities.md, "Many
// schools"). '~' cannot occur in a record key or a replica id, so two
// schools' `L2` are two keys there, and the school's own key comes back out
// unchanged. Permanent: an endpoint's stored ids depend on this format.
std::string SchoolScopedKey(std::string_view school, std::string_view key);
// The school and the school's own key of a scoped key; nullopt when `key`
// is not of that form (no '~', or no valid replica id before it).
struct ScopedKey {
  std::string_view school;
  std::string_view key;
};
std::optional<ScopedKey> SplitSchoolScopedKey(std::string_view key);

}  // namespace presentie

#endif  // PRESENTIE_CORE_IDS_H_
