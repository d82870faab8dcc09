#include "core/merge.h"

#include <algorithm>
#include <cassert>
#include <tuple>

#include "core/classification.h"

namespace presentie {
namespace {

// Who records attendance: the school admin over a teacher over anyone else
// (the hub relays, the authorities classify but do not record facts).
int FactsRank(Role role) {
  switch (role) {
    case Role::kAdmin:
      return 2;
    case Role::kTeacher:
      return 1;
    case Role::kHub:
    case Role::kDuo:
    case Role::kGemeente:
    case Role::kBow:
      break;
  }
  return 0;
}

// R2 (docs/rules.md, "The rules, and what each decides"): a reason that
// excuses, over doubt (which also excuses, by the benefit of the doubt), over
// no reason yet (pending), over 'other' (unexcused).
int ReasonRank(AbsenceReason r) {
  switch (r) {
    case AbsenceReason::kIllness:
    case AbsenceReason::kWedding:
    case AbsenceReason::kFuneral:
    case AbsenceReason::kReligiousHoliday:
      return 3;
    case AbsenceReason::kDoubtful:
      return 2;
    case AbsenceReason::kNone:
      // No reason yet keeps the absence pending, to be asked; 'other' makes
      // it unexcused. Between the two the learner gets the benefit of the
      // doubt, so the clock never turns an absence unexcused.
      return 1;
    case AbsenceReason::kOther:
      break;
  }
  return 0;
}

int StatusRank(AttendanceStatus s) {
  switch (s) {
    case AttendanceStatus::kPresent:
      return 2;
    case AttendanceStatus::kPartial:
      return 1;
    case AttendanceStatus::kAbsent:
      break;
  }
  return 0;
}

int CountedMinutes(const Attendance& a) { return a.mode == Mode::kOnSite ? a.minutes_present : 0; }

// The tie-break no rule decides: the later HLC, then the higher writer
// replica id. Distinct versions never tie (a replica's HLC only grows).
bool Later(const VersionStamp& a, const VersionStamp& b) {
  if (a.hlc != b.hlc) return b.hlc < a.hlc;
  return a.writer.replica > b.writer.replica;
}

// Where the learner was matters only for minutes present: absent on site
// and absent remote are the same fact.
bool SameFacts(const Attendance& a, const Attendance& b) {
  return a.status == b.status && a.minutes_present == b.minutes_present &&
         (a.mode == b.mode || a.minutes_present == 0);
}

bool SameAbsence(const Attendance& a, const Attendance& b) {
  return a.notified_in_advance == b.notified_in_advance && a.reason == b.reason;
}

}  // namespace

MergeOutcome MergeAttendance(std::span<const AttendanceSibling> siblings) {
  assert(!siblings.empty());
  MergeOutcome out;
  const int n = static_cast<int>(siblings.size());
  const auto v = [&](int i) -> const Attendance& { return *siblings[i].value; };
  const auto st = [&](int i) -> const VersionStamp& { return *siblings[i].stamp; };
  // Siblings with equal version vectors are one version given twice: one
  // version alone is M.single however often it is passed.
  bool one_version = true;
  for (int i = 1; i < n && one_version; ++i) one_version = st(i).vv == st(0).vv;

  // --- Facts: the highest rank's versions, the most counted minutes.
  int top_rank = 0;
  for (int i = 0; i < n; ++i) top_rank = std::max(top_rank, FactsRank(st(i).writer.role));
  const auto in_pool = [&](int i) { return FactsRank(st(i).writer.role) == top_rank; };
  const auto key = [&](int k) {
    return std::make_tuple(CountedMinutes(v(k)), v(k).minutes_present, StatusRank(v(k).status));
  };
  int best = -1;
  for (int i = 0; i < n; ++i) {
    if (!in_pool(i)) continue;
    if (best < 0) {
      best = i;
      continue;
    }
    if (key(best) < key(i) || (key(best) == key(i) && Later(st(i), st(best)))) best = i;
  }
  out.facts_from = best;
  bool facts_agree_all = true;
  bool facts_agree_pool = true;
  // Other facts as favourable as the shown ones (an absence on site against
  // one remote): no rule decided, the HLC did.
  bool facts_tied = false;
  for (int i = 0; i < n; ++i) {
    if (SameFacts(v(i), v(best))) continue;
    facts_agree_all = false;
    if (in_pool(i)) {
      facts_agree_pool = false;
      if (key(i) == key(best)) facts_tied = true;
    }
  }
  if (!facts_agree_all) out.conflict |= kConflictPresence;
  if (one_version) {
    out.facts_rule = merge_rule::kSingle;
  } else if (facts_agree_all) {
    out.facts_rule = merge_rule::kAgree;
  } else if (facts_agree_pool) {
    out.facts_rule = merge_rule::kAuthority;
  } else if (facts_tied) {
    out.facts_rule = merge_rule::kLatest;
  } else {
    out.facts_rule = rule::kBenefitOfDoubt;
  }

  // --- Absence details: over every record of an absence, a conflict when
  // they differ; the reason and note shown from the highest rank's absences.
  // The notice is not ranked: a notice in advance recorded by any version
  // counts, whoever wrote the others. The note: "als een gezins- of overige
  // migrant zich vooraf afmeldt voor een les, dan is er sprake van geoorloofd
  // verzuim" — the learner did notify, and an admin's version that does not
  // mention it (typed before the teacher's reached the admin) cannot undo a
  // call the learner made. A fact, so the same for every learner: for a
  // Wi2021 asylum permit holder it is what the gemeente receives and weighs.
  int first_absence = -1;
  bool notice_any = false;
  bool notice_all = true;
  for (int i = 0; i < n; ++i) {
    if (v(i).status == AttendanceStatus::kPresent) continue;
    notice_any = notice_any || v(i).notified_in_advance;
    notice_all = notice_all && v(i).notified_in_advance;
    if (first_absence < 0) {
      first_absence = i;
    } else if (!SameAbsence(v(i), v(first_absence))) {
      out.conflict |= kConflictAbsence;
    }
  }
  if (v(best).status == AttendanceStatus::kPresent) {
    out.reason_from = -1;
    out.notified_in_advance = false;
    out.absence_rule = merge_rule::kNone;
  } else {
    int reason = -1;
    bool pool_agrees = true;
    int lowest_reason_rank = 3;  // ReasonRank's highest
    for (int i = 0; i < n; ++i) {
      if (!in_pool(i) || v(i).status == AttendanceStatus::kPresent) continue;
      lowest_reason_rank = std::min(lowest_reason_rank, ReasonRank(v(i).reason));
      if (reason < 0) {
        reason = i;
        continue;
      }
      if (!SameAbsence(v(i), v(reason))) pool_agrees = false;
      const int ri = ReasonRank(v(i).reason);
      const int rb = ReasonRank(v(reason).reason);
      if (rb < ri || (rb == ri && Later(st(i), st(reason)))) reason = i;
    }
    out.reason_from = reason;
    out.notified_in_advance = notice_any;
    if ((out.conflict & kConflictAbsence) == 0) {
      out.absence_rule = one_version ? merge_rule::kSingle : merge_rule::kAgree;
    } else if (notice_any && !notice_all) {
      // The notice decides the classification (R2's rule 3 before the
      // reason), so it is the rule shown, whichever rank wrote the reason.
      out.absence_rule = rule::kNotice;
    } else if (pool_agrees) {
      out.absence_rule = merge_rule::kAuthority;
    } else if (lowest_reason_rank < ReasonRank(v(reason).reason)) {
      out.absence_rule = rule::kBenefitOfDoubt;
    } else {
      out.absence_rule = merge_rule::kLatest;
    }
  }

  // --- Decision: the gemeente's over the admin's; two of one party that
  // differ give the learner the benefit of the doubt.
  const ClassificationDecision* gemeente = nullptr;
  const ClassificationDecision* admin = nullptr;
  bool gemeente_differ = false;
  bool admin_differ = false;
  bool all_equal = true;  // every sibling carries the same decision (or none)
  const ClassificationDecision* any = nullptr;
  for (int i = 0; i < n; ++i) {
    const std::optional<ClassificationDecision>& d = v(i).decision;
    if (d != v(0).decision) all_equal = false;
    if (!d.has_value()) continue;
    // The gemeente's decision agreeing with the school's advice is no
    // disagreement: only the values count.
    if (any != nullptr && any->value != d->value) out.conflict |= kConflictDecision;
    any = &*d;
    if (d->decided_by == Role::kGemeente) {
      if (gemeente != nullptr && *gemeente != *d) gemeente_differ = true;
      gemeente = &*d;
    } else if (d->decided_by == Role::kAdmin) {
      if (admin != nullptr && *admin != *d) admin_differ = true;
      admin = &*d;
    }
  }
  const ClassificationDecision* level = gemeente != nullptr ? gemeente : admin;
  const bool level_differ = gemeente != nullptr ? gemeente_differ : admin_differ;
  if (level == nullptr) {
    out.decision.reset();
    out.decision_rule = merge_rule::kNone;
  } else if (v(best).status == AttendanceStatus::kPresent) {
    // The shown facts are a full presence: there is no absence to classify
    // (Validate refuses a decision on one). The conflict bits stay.
    out.decision.reset();
    out.decision_rule = rule::kPresent;
  } else if (level_differ) {
    out.decision = ClassificationDecision{Classification::kExcused, level->decided_by};
    out.decision_rule = rule::kBenefitOfDoubt;
  } else {
    out.decision = *level;
    out.decision_rule = one_version ? merge_rule::kSingle
                                    : (all_equal ? merge_rule::kAgree : merge_rule::kAuthority);
  }
  return out;
}

Attendance MergedValue(std::span<const AttendanceSibling> siblings, const MergeOutcome& outcome) {
  const Attendance& facts = *siblings[static_cast<size_t>(outcome.facts_from)].value;
  Attendance a;
  a.id = facts.id;
  a.lesson_id = facts.lesson_id;
  a.learner_id = facts.learner_id;
  a.status = facts.status;
  a.minutes_present = facts.minutes_present;
  a.mode = facts.mode;
  if (outcome.reason_from >= 0) {
    const Attendance& details = *siblings[static_cast<size_t>(outcome.reason_from)].value;
    a.reason = details.reason;
    a.note = details.note;
    a.notified_in_advance = outcome.notified_in_advance;
  }
  a.decision = outcome.decision;
  return a;
}

std::string_view DescribeRule(std::string_view r) {
  if (r == merge_rule::kSingle) return "one version: nothing to merge";
  if (r == merge_rule::kAgree) return "the concurrent versions agree";
  if (r == merge_rule::kAuthority) {
    return "the version of the higher authority wins (gemeente over school admin for a Wi2021 "
           "asylum permit holder's classification; school admin over teacher)";
  }
  if (r == merge_rule::kLatest) {
    return "no rule of the law decides: the latest version (hybrid clock), then the writer's "
           "replica id";
  }
  if (r == merge_rule::kNone) return "no version sets this";
  if (r == rule::kPresent) return "present for the whole lesson: not an absence";
  if (r == rule::kNotice) {
    return "notified in advance: excused (Notitie: Geoorloofd en ongeoorloofd verzuim), and a "
           "notice recorded by any version counts";
  }
  if (r == rule::kExcusedReason) {
    return "illness, a wedding, a funeral or a religious holiday: excused (Notitie: Geoorloofd en "
           "ongeoorloofd verzuim)";
  }
  if (r == rule::kBenefitOfDoubt) {
    return "in doubt, the learner gets the benefit of the doubt (Notitie: Geoorloofd en "
           "ongeoorloofd verzuim): the more favourable "
           "value of the versions";
  }
  if (r == rule::kOtherReason)
    return "another reason: unexcused (Notitie: Geoorloofd en ongeoorloofd verzuim)";
  if (r == rule::kNoReasonYet) return "no reason recorded yet: pending until the school asks";
  if (r == rule::kAdminDecision) return "the school admin decided the classification";
  if (r == rule::kGemeenteDecision) {
    return "the gemeente decided the classification (Wi2021 asylum permit holder; Notitie: "
           "Geoorloofd en ongeoorloofd verzuim)";
  }
  return "unknown rule";
}

}  // namespace presentie
