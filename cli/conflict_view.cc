#include "cli/conflict_view.h"

#include <fmt/format.h>

#include <utility>
#include <variant>

#include "core/merge.h"

namespace presentie::cli {

std::vector<std::string> ConflictKindNames(uint32_t kinds) {
  std::vector<std::string> names;
  if ((kinds & kConflictPresence) != 0) names.emplace_back("presence");
  if ((kinds & kConflictAbsence) != 0) names.emplace_back("absence");
  if ((kinds & kConflictDecision) != 0) names.emplace_back("decision");
  return names;
}

std::string FactsText(const Attendance& a) {
  std::string text(ToString(a.status));
  if (a.status == AttendanceStatus::kPartial) text += fmt::format(": {} min", a.minutes_present);
  if (a.status != AttendanceStatus::kAbsent && a.mode == Mode::kRemote) text += " (remote)";
  return text;
}

std::string DecisionText(const std::optional<ClassificationDecision>& d) {
  if (!d.has_value()) return "-";
  return fmt::format("{}, decided by the {}", ToString(d->value), ToString(d->decided_by));
}

std::string ClassificationText(const ClassificationResult& c) {
  std::string text(ToString(c.value));
  if (c.advisory) text += " (advice; the gemeente decides)";
  return text;
}

std::string WriterText(const Writer& w) {
  return fmt::format("{} {} on {}", ToString(w.role), OrDash(w.user), w.replica);
}

Json RuleJson(std::string_view rule) {
  if (rule.empty()) return nullptr;
  return {{"rule", rule}, {"text", DescribeRule(rule)}};
}

Json ToJson(const ClassificationResult& c) {
  return {{"value", ToString(c.value)},
          {"rule", c.rule},
          {"text", DescribeRule(c.rule)},
          {"authority", ToString(c.authority)},
          {"advisory", c.advisory}};
}

Json SiblingJson(int n, const storage::VersionedRecord& v) {
  Json value;
  if (const auto* a = std::get_if<Attendance>(&v.record)) value = ToJson(*a);
  return {{"n", n},
          {"vv", v.stamp.vv.Encode()},
          {"hlc", v.stamp.hlc.ToString()},
          {"hlc_packed", v.stamp.hlc.Pack()},
          {"writer",
           {{"replica", v.stamp.writer.replica},
            {"role", ToString(v.stamp.writer.role)},
            {"user", v.stamp.writer.user}}},
          {"value", value}};
}

void PrintSiblings(std::ostream& out, std::span<const storage::VersionedRecord> siblings) {
  int n = 0;
  for (const storage::VersionedRecord& v : siblings) {
    if (n > 0) out << '\n';
    ++n;
    out << fmt::format("Version {} of {}\n", n, siblings.size());
    std::vector<std::pair<std::string, std::string>> rows = {
        {"  written by", WriterText(v.stamp.writer)},
        {"  clock", v.stamp.hlc.ToString()},
    };
    if (const auto* a = std::get_if<Attendance>(&v.record)) {
      rows.emplace_back("  facts", FactsText(*a));
      if (a->status != AttendanceStatus::kPresent) {
        rows.emplace_back("  notified", a->notified_in_advance ? "yes, in advance" : "no");
        rows.emplace_back(
            "  reason", a->reason == AbsenceReason::kNone ? "-" : std::string(ToString(a->reason)));
      }
      if (!a->note.empty()) rows.emplace_back("  note", a->note);
      rows.emplace_back("  decision", DecisionText(a->decision));
    } else {
      rows.emplace_back("  record", std::string(storage::ToString(storage::KindOf(v.record))));
    }
    PrintKeyValues(out, rows);
  }
}

void PrintFieldRules(std::ostream& out, std::string_view facts_rule, std::string_view absence_rule,
                     std::string_view decision_rule) {
  Table table({"FIELD", "RULE", "WHY"});
  for (auto [field, rule] :
       {std::pair{"status, minutes, mode", facts_rule},
        std::pair{"notice, reason, note", absence_rule}, std::pair{"decision", decision_rule}}) {
    table.AddRow({field, OrDash(rule), rule.empty() ? "-" : std::string(DescribeRule(rule))});
  }
  table.Print(out);
}

}  // namespace presentie::cli
