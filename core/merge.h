// The merge policy (docs/rules.md, "When entries disagree: the merge rules"):
// the value shown for an attendance record whose versions are concurrent
// siblings, decided field by field by the rules of the law, and whether the
// siblings disagree (a conflict for an admin).
//
// A pure, deterministic function of the set of siblings: the same siblings in
// any order, grouped any way, with any sibling given twice, give the same
// outcome — so every replica that holds the same versions shows the same
// value and the same conflict. It does not read the clock, and it does not
// read the learner: which party classifies a learner's absences (R2) is
// applied afterwards by Classify on the merged value, so a learner record that
// arrives or changes later never leaves two replicas with different merges.
//
// Time never decides a legal outcome. The HLC (then the writer's replica id)
// only breaks a tie that no rule decides, between values of the same legal
// effect (two excusing reasons).
#ifndef PRESENTIE_CORE_MERGE_H_
#define PRESENTIE_CORE_MERGE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/domain.h"
#include "core/version_vector.h"

namespace presentie {

// The version of the merge rules below; stored with every merged value next
// to the rule that decided each field. Bump it when a rule changes.
inline constexpr int kMergeRuleSetVersion = 1;

// Rule ids of the merge: stable, written to disk, shown by `presentie
// explain`. Permanent. (R2's own rules are in core/classification.h; the merge
// names them where it applies them: R2.notice-in-advance, R2.benefit-of-doubt.)
namespace merge_rule {
inline constexpr std::string_view kSingle = "M.single";        // one version: nothing to merge
inline constexpr std::string_view kAgree = "M.agree";          // the siblings agree on this field
inline constexpr std::string_view kAuthority = "M.authority";  // a higher authority's version wins
inline constexpr std::string_view kLatest =
    "M.latest";                                      // no rule decides: latest HLC, then replica id
inline constexpr std::string_view kNone = "M.none";  // no sibling has a value for this field
}  // namespace merge_rule

// One sibling: a version's value and its stamp.
struct AttendanceSibling {
  const Attendance* value = nullptr;
  const VersionStamp* stamp = nullptr;
};

// What the siblings disagree on; a conflict is open while any bit is set.
enum ConflictBits : uint32_t {
  kConflictNone = 0,
  // Present versus absent, other minutes, or on site versus remote: the
  // minutes that count toward hours (R5) are disputed.
  kConflictPresence = 1u << 0,
  // Two records of an absence differ in notice in advance or reason.
  kConflictAbsence = 1u << 1,
  // Two classification decisions (admin's or gemeente's) differ.
  kConflictDecision = 1u << 2,
};

struct MergeOutcome {
  // Indexes into the siblings passed in: the version whose facts (status,
  // minutes, mode) are shown, and the one whose reason and note are shown
  // (-1 when the shown facts are a full presence: no absence details).
  int facts_from = 0;
  int reason_from = -1;
  bool notified_in_advance = false;  // the notice shown (only with an absence)
  std::optional<ClassificationDecision> decision;

  // The rule that decided each field (merge_rule::k..., or R2's rule ids).
  std::string_view facts_rule;     // status, minutes, mode
  std::string_view absence_rule;   // notice in advance, reason, note
  std::string_view decision_rule;  // the classification decision
  int rule_set_version = kMergeRuleSetVersion;

  uint32_t conflict = kConflictNone;  // ConflictBits
  bool minutes_disputed() const { return (conflict & kConflictPresence) != 0; }
};

// Merges siblings of one attendance record (same lesson and learner; at
// least one). Pointers must be non-null; siblings with equal version vectors
// are the same version and count once.
//
// Field by field (README "How conflicting records are merged"):
//  - authority: a version written by the school admin outranks a teacher's,
//    a teacher's outranks any other writer's (hub, authorities: they do not
//    record attendance). Facts, reason and note come from the versions of
//    the highest rank among the siblings; the notice does not (below).
//  - facts: among those, the most minutes that count (on site), then the most
//    minutes at all: the benefit of the doubt (R2.benefit-of-doubt);
//  - absence details: notice in advance if any sibling of any rank records
//    it (R2.notice-in-advance: the learner's notice is not undone by an
//    admin's concurrent version that lacks it); the reason, from the highest
//    rank's absences, that excuses over doubt over no
//    reason yet (pending) over 'other' (unexcused) (R2.benefit-of-doubt);
//    between two excusing reasons, the latest (M.latest): the classification
//    is the same;
//  - decision: a gemeente's over an admin's (M.authority), two different
//    decisions of the same party → excused (R2.benefit-of-doubt); none when
//    the shown facts are a full presence (R2.present).
// Conflict bits: presence when the minutes present, the status, or (with
// minutes present) the mode differ; absence when two absences differ in
// notice or reason; decision when two decisions differ in value.
MergeOutcome MergeAttendance(std::span<const AttendanceSibling> siblings);

// The value shown: the facts of `facts_from`, the details of `reason_from`,
// the notice and the decision of the outcome. The id, lesson and learner are
// the siblings' own.
Attendance MergedValue(std::span<const AttendanceSibling> siblings, const MergeOutcome& outcome);

// One line of plain text on a rule id (merge's or R2's), for explain.
std::string_view DescribeRule(std::string_view rule);

}  // namespace presentie

#endif  // PRESENTIE_CORE_MERGE_H_
