// R2 (docs/rules.md; the note's section 'Geoorloofd en ongeoorloofd
// verzuim'): is an absence excused or unexcused, and by which rule.
#ifndef PRESENTIE_CORE_CLASSIFICATION_H_
#define PRESENTIE_CORE_CLASSIFICATION_H_

#include <string_view>

#include "core/domain.h"

namespace presentie {

// The version of the rule set below. Stored with every decision so that a
// decision can be replayed and explained later. Bump it when a rule changes.
inline constexpr int kRuleSetVersion = 1;

// Rule ids: stable, written to disk and shown to admins. Permanent.
namespace rule {
inline constexpr std::string_view kPresent = "R2.present";                 // not an absence
inline constexpr std::string_view kNotice = "R2.notice-in-advance";        // vooraf afgemeld → excused
inline constexpr std::string_view kExcusedReason = "R2.excused-reason";    // ziekte, huwelijk, begrafenis, religieuze feestdag → excused
inline constexpr std::string_view kBenefitOfDoubt = "R2.benefit-of-doubt"; // bij twijfel → excused
inline constexpr std::string_view kOtherReason = "R2.other-reason";        // andere redenen → unexcused
inline constexpr std::string_view kNoReasonYet = "R2.no-reason-yet";       // nobody asked yet → pending
inline constexpr std::string_view kAdminDecision = "R2.admin-decision";    // the school admin decided
inline constexpr std::string_view kGemeenteDecision = "R2.gemeente-decision";  // the gemeente decided (Wi2021 asylum)
}  // namespace rule

struct ClassificationResult {
  Classification value = Classification::kNotApplicable;
  std::string_view rule;  // one of rule::k...
  // Who is entitled to classify this learner's absences: kAdmin (the school)
  // or kGemeente (Wi2021 asylum permit holders).
  Role authority = Role::kAdmin;
  // True when the value is the school's view on an absence that the gemeente
  // classifies: advice, overridden by the gemeente's decision.
  bool advisory = false;
};

// Classifies `a` for `learner` by R2:
//  1. present (in full)                          → n/a         (R2.present)
//  2. a decision by the entitled party           → its value   (R2.gemeente-decision / R2.admin-decision)
//     (a gemeente decision counts only for Wi2021 asylum permit holders;
//      an admin decision on such a learner is the school's advice)
//  3. notified in advance                        → excused     (R2.notice-in-advance)
//  4. illness, wedding, funeral, religious holiday → excused   (R2.excused-reason)
//  5. doubtful                                   → excused     (R2.benefit-of-doubt)
//  6. another reason                             → unexcused   (R2.other-reason)
//  7. no reason recorded yet                     → pending     (R2.no-reason-yet)
// A partial attendance classifies its missed minutes by the same rules.
ClassificationResult Classify(const Learner& learner, const Attendance& a);

}  // namespace presentie

#endif  // PRESENTIE_CORE_CLASSIFICATION_H_
