// How `conflicts` and `explain` show an attendance record's versions, the
// merge's rules and R2's classification: the text for tables and the JSON
// objects (shapes in docs/cli.md, "JSON shapes"; they only grow).
#ifndef PRESENTIE_CLI_CONFLICT_VIEW_H_
#define PRESENTIE_CLI_CONFLICT_VIEW_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/output.h"
#include "core/classification.h"
#include "core/domain.h"
#include "storage/record.h"

namespace presentie::cli {

// The names of the set ConflictBits (core/merge.h), in bit order:
// "presence", "absence", "decision".
std::vector<std::string> ConflictKindNames(uint32_t kinds);

// "absent", "partial: 90 min", "present (remote)".
std::string FactsText(const Attendance& a);
// "excused, decided by the admin"; "-" when there is no decision.
std::string DecisionText(const std::optional<ClassificationDecision>& d);
// "excused", with "(advice; the gemeente decides)" when advisory.
std::string ClassificationText(const ClassificationResult& c);
// "teacher jdevries on 0a1b2c3d4e5f6071".
std::string WriterText(const Writer& w);

// {"rule": "M.single", "text": DescribeRule(...)}; null for an empty rule.
Json RuleJson(std::string_view rule);
// {"value", "rule", "text", "authority", "advisory"}.
Json ToJson(const ClassificationResult& c);
// {"n", "vv", "hlc", "hlc_packed", "writer": {"replica", "role", "user"},
//  "value": attendance object (output.h)} — `n` counts from 1.
Json SiblingJson(int n, const storage::VersionedRecord& v);

// The versions numbered 1..n, each as an indented block: writer, clock,
// facts, notice, reason, note, decision.
void PrintSiblings(std::ostream& out, std::span<const storage::VersionedRecord> siblings);

// Lines of "FIELD  RULE  WHY" for the three merged fields.
void PrintFieldRules(std::ostream& out, std::string_view facts_rule, std::string_view absence_rule,
                     std::string_view decision_rule);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_CONFLICT_VIEW_H_
