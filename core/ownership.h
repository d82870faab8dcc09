// Ownership (docs/storage.md, "Ownership"): who may write what of an
// attendance record, checked when writing locally and when receiving a
// version. Pure functions.
#ifndef PRESENTIE_CORE_OWNERSHIP_H_
#define PRESENTIE_CORE_OWNERSHIP_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/status.h"

namespace presentie {

// Rule ids of ownership: stable, stored with a refused version. Permanent.
namespace own_rule {
// A classification decision is set, changed or removed only by its party:
// an admin's by the school admin, a gemeente's by the gemeente.
inline constexpr std::string_view kDecisionOwner = "O.decision-owner";
// Wi2021 asylum permit holders: the gemeente classifies (R2); a school
// replica cannot set the classification.
inline constexpr std::string_view kGemeenteClassifies = "O.gemeente-classifies";
// Everyone else: the school classifies; a gemeente decision has no standing.
inline constexpr std::string_view kSchoolClassifies = "O.school-classifies";
// Attendance facts are recorded by the school (teachers and admins); the
// authorities and the hub only relay or classify.
inline constexpr std::string_view kFactsOwner = "O.facts-owner";
// A submission to an authority (docs/authorities.md) is the school's
// statement: written by the school's admin, relayed by the hub, never
// written by a teacher or an authority.
inline constexpr std::string_view kSubmissionOwner = "O.submission-owner";
// A gemeente's decision on an absence (core/authorities/gemeente.h) is written by a
// gemeente only, about a resident of its own whose absences it classifies.
inline constexpr std::string_view kGemeenteDecisionOwner = "O.gemeente-decision-owner";
// A learner's PIP is the gemeente's (core/authorities/gemeente.h GemeentePip): written by
// a gemeente only, about a Wi2021 asylum permit holder of its own.
inline constexpr std::string_view kPipOwner = "O.pip-owner";
inline constexpr std::string_view kNawOwner = "O.naw-owner";
// An exam result is DUO's: written at DUO's endpoint only.
inline constexpr std::string_view kExamResultOwner = "O.exam-result-owner";
// A learner's integration duty status is DUO's: written at DUO's endpoint only.
inline constexpr std::string_view kDutyOwner = "O.duty-owner";
// A teacher's qualification is kept by the school's admin (it goes to Blik
// op Werk under the school's name); a teacher's device or an authority
// does not write one.
inline constexpr std::string_view kQualificationOwner = "O.qualification-owner";
// The school's roster — learners, courses and enrolments — is kept by the
// school's admin and relayed by the hub; a teacher's device records
// attendance on it but does not write it, nor does an authority.
inline constexpr std::string_view kRosterOwner = "O.roster-owner";
// A lesson is the school's: planned by its admin, or by a teacher on their
// own device (offline, as the demo's Tuesday); an authority does not write
// one.
inline constexpr std::string_view kLessonOwner = "O.lesson-owner";
}  // namespace own_rule

struct OwnershipVerdict {
  std::string_view rule;  // empty: allowed
  std::string detail;     // plain text, no personal data
  bool ok() const { return rule.empty(); }
};

// May `writer` write `written` over `superseded` (the merged value of the
// versions it replaces; nullopt for a new record)? `gemeente_classifies`:
// GemeenteIsResponsible of the learner, nullopt when the learner is not known
// here (then only the party rule is checked).
OwnershipVerdict CheckAttendanceWrite(Role writer, const std::optional<Attendance>& superseded,
                                      const Attendance& written,
                                      std::optional<bool> gemeente_classifies);

// May `writer` write a submission (a DUO row, ...)? Only the admin.
OwnershipVerdict CheckSubmissionWrite(Role writer);

// May `writer` write a gemeente decision of gemeente `code` about `learner`
// (nullptr when the learner is not known here: then only the writer's role
// is checked)? Only a gemeente, and only for a Wi2021 asylum permit holder
// whose gemeente is `code`.
OwnershipVerdict CheckGemeenteDecisionWrite(Role writer, std::string_view code,
                                            const Learner* learner);

// kPermissionDenied with the rule's words when `verdict` refuses the writer
// of a register of `role` (a local write), naming that role; Ok otherwise.
Status Permitted(const OwnershipVerdict& verdict, Role role);

// May `writer` write gemeente `code`'s PIP of `learner` (nullptr when the
// learner is not known here: then only the writer's role is checked)? Only
// a gemeente, and only for a Wi2021 asylum permit holder of its own.
OwnershipVerdict CheckPipWrite(Role writer, std::string_view code, const Learner* learner);
// The same for gemeente `code`'s NAW data of `learner` (O.naw-owner).
OwnershipVerdict CheckNawWrite(Role writer, std::string_view code, const Learner* learner);

// May `writer` write an exam result? Only DUO.
OwnershipVerdict CheckExamResultWrite(Role writer);
// May `writer` write a learner's duty status? Only DUO.
OwnershipVerdict CheckDutyWrite(Role writer);

// May `writer` write a teacher's qualification? Only the school's admin.
OwnershipVerdict CheckQualificationWrite(Role writer);

// May `writer` write a record of the roster (`what`: "a learner", "a
// course", "an enrolment")? Only the school's admin.
OwnershipVerdict CheckRosterWrite(Role writer, std::string_view what);
// May `writer` write a lesson? The school's admin or a teacher.
OwnershipVerdict CheckLessonWrite(Role writer);

}  // namespace presentie

#endif  // PRESENTIE_CORE_OWNERSHIP_H_
