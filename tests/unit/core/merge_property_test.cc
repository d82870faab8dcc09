// Properties of the merge policy (docs/storage.md, "Replication"): "This set
// union is a join-semilattice: replicas that have seen the same versions hold
// the same state, in any order of arrival, with duplicates." The shown value
// and the conflict are a function of the set of siblings: of no order, no
// grouping, no duplicate. And it is a valid value, taken from the highest
// authority, never decided by a clock on a legal outcome.
//
// Case count: each property runs PRESENTIE_PROPERTY_CASES cases (an
// environment variable, default 1000). Without it, an RC_PARAMS that sets
// max_success is obeyed; RC_PARAMS's other keys (seed=..., reproduce=...)
// work as usual. E.g. PRESENTIE_PROPERTY_CASES=20000 core_tests
// --gtest_filter='MergeProperty*'.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/classification.h"
#include "core/ids.h"
#include "core/merge.h"
#include "core/version_vector.h"
#include "fixtures.h"
#include "tests/property.h"

namespace presentie {
namespace merge_property_test {

// RC_GTEST_PROP with the case count of tests/property.h, 1000 by default.
#define MERGE_PROPERTY(Suite, Name) PRESENTIE_PROPERTY(Suite, Name, 1000)

// ---------------------------------------------------------------- generating siblings

constexpr int kDuration = 60;  // the lesson's minutes

const std::array<std::string, 6> kReplicas = {"0a1b2c3d4e5f6071", "1234567890abcdef",
                                              "5555aaaa5555aaaa", "9f8e7d6c5b4a3921",
                                              "c0ffee00c0ffee00", "ffee000000000001"};

struct Version {
  Attendance value;
  VersionStamp stamp;
  bool operator==(const Version&) const = default;
};

void ShowAttendance(const Attendance& a, std::ostream& os) {
  os << ToString(a.status) << " " << a.minutes_present << "min " << ToString(a.mode);
  if (a.notified_in_advance) os << " notice";
  if (a.reason != AbsenceReason::kNone) os << " " << ToString(a.reason);
  if (!a.note.empty()) os << " '" << a.note << "'";
  if (a.decision) {
    os << " decision=" << ToString(a.decision->value) << "/" << ToString(a.decision->decided_by);
  }
}

void showValue(const Version& v, std::ostream& os) {
  os << "{";
  ShowAttendance(v.value, os);
  os << " | " << ToString(v.stamp.writer.role) << "@" << v.stamp.writer.replica.substr(0, 4)
     << " hlc=" << v.stamp.hlc.wall_ms << "." << v.stamp.hlc.logical
     << " vv=" << v.stamp.vv.Encode() << "}";
}

// A valid attendance for a lesson of kDuration minutes: a reason, a notice, a
// note and a decision only on an absence (full or partial).
rc::Gen<Attendance> GenAttendance() {
  return rc::gen::exec([] {
    Attendance a;
    a.lesson_id = "NT2A-20261130-0900";
    a.learner_id = "S1042";
    a.id = AttendanceId(a.lesson_id, a.learner_id);
    a.status = *rc::gen::element(AttendanceStatus::kPresent, AttendanceStatus::kAbsent,
                                 AttendanceStatus::kPartial);
    switch (a.status) {
      case AttendanceStatus::kPresent:
        a.minutes_present = kDuration;
        break;
      case AttendanceStatus::kAbsent:
        a.minutes_present = 0;
        break;
      case AttendanceStatus::kPartial:
        // Some common values, so that minutes tie often.
        a.minutes_present =
            *rc::gen::oneOf(rc::gen::element(15, 30, 45), rc::gen::inRange(1, kDuration));
        break;
    }
    a.mode = *rc::gen::weightedElement<Mode>({{3, Mode::kOnSite}, {1, Mode::kRemote}});
    if (a.status == AttendanceStatus::kPresent) return a;
    a.notified_in_advance = *rc::gen::weightedElement<bool>({{2, false}, {1, true}});
    a.reason =
        *rc::gen::element(AbsenceReason::kNone, AbsenceReason::kIllness, AbsenceReason::kWedding,
                          AbsenceReason::kFuneral, AbsenceReason::kReligiousHoliday,
                          AbsenceReason::kOther, AbsenceReason::kDoubtful);
    a.note = *rc::gen::element(std::string(), std::string("belde om 8:30"),
                               std::string("briefje van de huisarts"));
    switch (*rc::gen::inRange(0, 6)) {
      case 0:
      case 1:
        break;  // no decision (most often)
      case 2:
        a.decision = ClassificationDecision{Classification::kExcused, Role::kAdmin};
        break;
      case 3:
        a.decision = ClassificationDecision{Classification::kUnexcused, Role::kAdmin};
        break;
      case 4:
        a.decision = ClassificationDecision{Classification::kExcused, Role::kGemeente};
        break;
      default:
        a.decision = ClassificationDecision{Classification::kUnexcused, Role::kGemeente};
        break;
    }
    return a;
  });
}

Role GenRole() {
  return *rc::gen::weightedElement<Role>(
      {{3, Role::kTeacher}, {2, Role::kAdmin}, {1, Role::kGemeente}});
}

// HLCs for `versions`, distinct per (hlc, writer replica), from a narrow range
// so that equal HLCs of different replicas are common.
void GenClocks(std::vector<Version>& versions) {
  std::set<std::tuple<uint64_t, uint32_t, std::string>> taken;
  for (Version& v : versions) {
    Hlc h{1796029200000 + static_cast<uint64_t>(*rc::gen::inRange(0, 4)),
          static_cast<uint32_t>(*rc::gen::inRange(0, 2))};
    while (!taken.emplace(h.wall_ms, h.logical, v.stamp.writer.replica).second) ++h.logical;
    v.stamp.hlc = h;
  }
}

// 1–6 concurrent versions of one attendance record: distinct version
// vectors, distinct (hlc, writer); about a third repeat an earlier sibling's
// value, so that agreement and ties are common.
rc::Gen<std::vector<Version>> GenSiblings(int min_n = 1, int max_n = 6) {
  return rc::gen::exec([min_n, max_n] {
    const int n = *rc::gen::inRange(min_n, max_n + 1);
    std::vector<Version> versions;
    for (int k = 0; k < n; ++k) {
      Version v;
      if (k > 0 && *rc::gen::inRange(0, 3) == 0) {
        v.value = versions[static_cast<size_t>(*rc::gen::inRange(0, k))].value;
      } else {
        v.value = *GenAttendance();
      }
      const int r = *rc::gen::inRange(0, 6);
      v.stamp.writer = Writer{kReplicas[static_cast<size_t>(r)], GenRole(), "user"};
      // The writer's own entry 100+k is unique to this version; one more
      // entry (1..5) of another replica.
      v.stamp.vv.Set(kReplicas[static_cast<size_t>(r)], 100 + static_cast<uint64_t>(k));
      v.stamp.vv.Set(kReplicas[static_cast<size_t>((r + 1 + *rc::gen::inRange(0, 5)) % 6)],
                     static_cast<uint64_t>(*rc::gen::inRange(1, 6)));
      versions.push_back(std::move(v));
    }
    GenClocks(versions);
    return versions;
  });
}

// ---------------------------------------------------------------- observing an outcome

// The outcome by value: indices differ under permutation, the values do not.
struct Observed {
  Attendance value;
  bool notified = false;
  std::optional<ClassificationDecision> decision;
  std::string facts_rule, absence_rule, decision_rule;
  uint32_t conflict = 0;
  int rule_set_version = 0;
  bool operator==(const Observed&) const = default;
};

void showValue(const Observed& o, std::ostream& os) {
  os << "{";
  ShowAttendance(o.value, os);
  os << " | facts " << o.facts_rule << ", absence " << o.absence_rule << ", decision "
     << o.decision_rule << ", conflict " << o.conflict << "}";
}

struct Run {
  MergeOutcome outcome;
  Attendance value;
};

Run MergeRun(const std::vector<Version>& versions) {
  std::vector<AttendanceSibling> siblings;
  siblings.reserve(versions.size());
  for (const Version& v : versions) siblings.push_back({&v.value, &v.stamp});
  Run r;
  r.outcome = MergeAttendance(siblings);
  r.value = MergedValue(siblings, r.outcome);
  return r;
}

Observed Observe(const std::vector<Version>& versions) {
  const Run r = MergeRun(versions);
  Observed o;
  o.value = r.value;
  o.notified = r.outcome.notified_in_advance;
  o.decision = r.outcome.decision;
  o.facts_rule = std::string(r.outcome.facts_rule);
  o.absence_rule = std::string(r.outcome.absence_rule);
  o.decision_rule = std::string(r.outcome.decision_rule);
  o.conflict = r.outcome.conflict;
  o.rule_set_version = r.outcome.rule_set_version;
  return o;
}

std::vector<Version> Permuted(const std::vector<Version>& versions,
                              const std::vector<size_t>& order) {
  std::vector<Version> out;
  for (size_t i : order) out.push_back(versions[i]);
  return out;
}

int Rank(Role r) { return r == Role::kAdmin ? 2 : r == Role::kTeacher ? 1 : 0; }

// As merge.cc: the mode matters only for minutes present.
bool SameFacts(const Attendance& a, const Attendance& b) {
  return a.status == b.status && a.minutes_present == b.minutes_present &&
         (a.mode == b.mode || a.minutes_present == 0);
}

// ---------------------------------------------------------------- properties

// (a) In any order of arrival: every permutation (all of them up to 5
// siblings, 60 random ones of 6) gives the same outcome.
MERGE_PROPERTY(MergeProperty, TheOutcomeIsTheSameInAnyOrder) {
  const std::vector<Version> versions = *GenSiblings();
  const Observed expected = Observe(versions);
  std::vector<size_t> order(versions.size());
  std::iota(order.begin(), order.end(), size_t{0});
  if (versions.size() <= 5) {
    while (std::next_permutation(order.begin(), order.end())) {
      RC_ASSERT(Observe(Permuted(versions, order)) == expected);
    }
  } else {
    std::mt19937 rng(*rc::gen::arbitrary<uint32_t>());
    for (int i = 0; i < 60; ++i) {
      std::shuffle(order.begin(), order.end(), rng);
      RC_ASSERT(Observe(Permuted(versions, order)) == expected);
    }
  }
}

// (b) With duplicates: any sibling given again, anywhere, changes nothing.
MERGE_PROPERTY(MergeProperty, ASiblingGivenTwiceChangesNothing) {
  const std::vector<Version> versions = *GenSiblings();
  const Observed expected = Observe(versions);
  std::vector<Version> more = versions;
  const int copies = *rc::gen::inRange(1, 4);
  for (int c = 0; c < copies; ++c) {
    const size_t which = static_cast<size_t>(*rc::gen::inRange<size_t>(0, versions.size()));
    const size_t where = static_cast<size_t>(*rc::gen::inRange<size_t>(0, more.size() + 1));
    more.insert(more.begin() + static_cast<std::ptrdiff_t>(where), versions[which]);
  }
  RC_ASSERT(Observe(more) == expected);
  // Every sibling twice, side by side.
  std::vector<Version> doubled;
  for (const Version& v : versions) {
    doubled.push_back(v);
    doubled.push_back(v);
  }
  RC_ASSERT(Observe(doubled) == expected);
}

// (c) Grouped any way: two replicas each hold part of the set (overlapping,
// with duplicates); the union of what they pass on merges like the set.
MERGE_PROPERTY(MergeProperty, TheUnionOfOverlappingSubsetsMergesLikeTheSet) {
  const std::vector<Version> versions = *GenSiblings();
  const Observed expected = Observe(versions);
  std::vector<Version> left, right;
  for (const Version& v : versions) {
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        left.push_back(v);
        break;
      case 1:
        right.push_back(v);
        break;
      default:
        left.push_back(v);
        right.push_back(v);
        break;
    }
    if (*rc::gen::inRange(0, 4) == 0) left.push_back(v);  // a duplicate within one side
  }
  std::vector<Version> joined = right;
  joined.insert(joined.end(), left.begin(), left.end());
  std::mt19937 rng(*rc::gen::arbitrary<uint32_t>());
  std::shuffle(joined.begin(), joined.end(), rng);
  RC_ASSERT(Observe(joined) == expected);
}

// (d) The shown value is a valid attendance of the lesson.
MERGE_PROPERTY(MergeProperty, TheMergedValueIsValid) {
  const std::vector<Version> versions = *GenSiblings();
  for (const Version& v : versions) RC_ASSERT(Validate(v.value, kDuration).ok());
  const Run r = MergeRun(versions);
  const Status s = Validate(r.value, kDuration);
  if (!s.ok()) RC_FAIL(s.ToString());
  RC_ASSERT(r.value.id == versions[0].value.id);
  RC_ASSERT(r.outcome.rule_set_version == kMergeRuleSetVersion);
  RC_ASSERT(!r.outcome.facts_rule.empty());
  RC_ASSERT(!r.outcome.absence_rule.empty());
  RC_ASSERT(!r.outcome.decision_rule.empty());
  // Every rule named is one that explain can describe.
  RC_ASSERT(DescribeRule(r.outcome.facts_rule) != "unknown rule");
  RC_ASSERT(DescribeRule(r.outcome.absence_rule) != "unknown rule");
  RC_ASSERT(DescribeRule(r.outcome.decision_rule) != "unknown rule");
}

// (e) Siblings that are equal in value open no conflict, and show that value.
MERGE_PROPERTY(MergeProperty, EqualSiblingsOpenNoConflict) {
  const Attendance value = *GenAttendance();
  std::vector<Version> versions = *GenSiblings();
  for (Version& v : versions) v.value = value;
  const Run r = MergeRun(versions);
  RC_ASSERT(r.outcome.conflict == static_cast<uint32_t>(kConflictNone));
  RC_ASSERT(r.value == value);
  const std::set<std::string_view> quiet = {merge_rule::kSingle, merge_rule::kAgree,
                                            merge_rule::kNone};
  RC_ASSERT(quiet.contains(r.outcome.facts_rule));
  RC_ASSERT(quiet.contains(r.outcome.absence_rule));
}

// (f) The shown facts are those of a version of the highest-ranking writers
// (admin over teacher over the rest), the most favourable among them.
MERGE_PROPERTY(MergeProperty, TheShownFactsComeFromTheHighestRankingWriters) {
  const std::vector<Version> versions = *GenSiblings();
  const Run r = MergeRun(versions);
  int top = 0;
  for (const Version& v : versions) top = std::max(top, Rank(v.stamp.writer.role));
  const Version& from = versions[static_cast<size_t>(r.outcome.facts_from)];
  RC_ASSERT(Rank(from.stamp.writer.role) == top);
  RC_ASSERT(SameFacts(from.value, r.value));
  const auto counted = [](const Attendance& a) {
    return a.mode == Mode::kOnSite ? a.minutes_present : 0;
  };
  for (const Version& v : versions) {
    if (Rank(v.stamp.writer.role) != top) continue;
    RC_ASSERT(std::make_pair(counted(v.value), v.value.minutes_present) <=
              std::make_pair(counted(r.value), r.value.minutes_present));
  }
  // The absence details, when shown, come from the same rank.
  if (r.outcome.reason_from >= 0) {
    const Version& details = versions[static_cast<size_t>(r.outcome.reason_from)];
    RC_ASSERT(Rank(details.stamp.writer.role) == top);
    RC_ASSERT(details.value.status != AttendanceStatus::kPresent);
  } else {
    RC_ASSERT(r.value.status == AttendanceStatus::kPresent);
  }
}

// (g) A notice in advance recorded by any version counts, whatever its
// writer's rank (the note, 'Geoorloofd en ongeoorloofd verzuim': "zich vooraf
// afmeldt ... geoorloofd verzuim"): an absence is shown notified exactly when
// some sibling records the notice.
MERGE_PROPERTY(MergeProperty, ANoticeRecordedByAnyVersionCounts) {
  const std::vector<Version> versions = *GenSiblings();
  const Run r = MergeRun(versions);
  if (r.value.status == AttendanceStatus::kPresent) return;
  bool any = false;
  for (const Version& v : versions) any = any || v.value.notified_in_advance;
  RC_ASSERT(r.value.notified_in_advance == any);
}

// The conflict bits say exactly what the siblings disagree on.
MERGE_PROPERTY(MergeProperty, TheConflictBitsSayWhatTheSiblingsDisagreeOn) {
  const std::vector<Version> versions = *GenSiblings();
  const Run r = MergeRun(versions);
  bool presence = false, absence = false, decision = false;
  for (const Version& a : versions) {
    for (const Version& b : versions) {
      presence = presence || !SameFacts(a.value, b.value);
      if (a.value.status != AttendanceStatus::kPresent &&
          b.value.status != AttendanceStatus::kPresent) {
        absence = absence || a.value.notified_in_advance != b.value.notified_in_advance ||
                  a.value.reason != b.value.reason;
      }
      if (a.value.decision && b.value.decision) {
        // By value: the gemeente agreeing with the school's advice is no
        // disagreement.
        decision = decision || a.value.decision->value != b.value.decision->value;
      }
    }
  }
  RC_ASSERT(((r.outcome.conflict & kConflictPresence) != 0) == presence);
  RC_ASSERT(r.outcome.minutes_disputed() == presence);
  RC_ASSERT(((r.outcome.conflict & kConflictAbsence) != 0) == absence);
  RC_ASSERT(((r.outcome.conflict & kConflictDecision) != 0) == decision);
}

// Time never decides a legal outcome (merge.h): other clocks give the same
// classification and the same minutes that count. (The clock only chooses
// between values of the same legal effect: two excusing reasons.)
MERGE_PROPERTY(MergeProperty, TheClocksNeverDecideTheClassificationOrTheHours) {
  std::vector<Version> versions = *GenSiblings();
  std::vector<Version> restamped = versions;
  GenClocks(restamped);
  const Run a = MergeRun(versions);
  const Run b = MergeRun(restamped);
  using presentie::testing::AsylumB1;
  using presentie::testing::FamilyB1;
  for (const Learner& l : {FamilyB1(), AsylumB1()}) {
    RC_ASSERT(Classify(l, a.value).value == Classify(l, b.value).value);
  }
  RC_ASSERT(a.value.status == b.value.status);
  RC_ASSERT(a.value.minutes_present == b.value.minutes_present);
  RC_ASSERT(MinutesAbsent(a.value, kDuration) == MinutesAbsent(b.value, kDuration));
  RC_ASSERT((a.value.mode == Mode::kOnSite) == (b.value.mode == Mode::kOnSite) ||
            a.value.minutes_present == 0);
  RC_ASSERT(a.outcome.conflict == b.outcome.conflict);
}

}  // namespace merge_property_test
}  // namespace presentie
