// presentie explain ATTENDANCE_ID | LESSON_ID LEARNER_ID: why an attendance
// record shows what it shows, answered offline from this register — the
// classification by R2 and the rule behind it, the merge rule of each field,
// the versions it was merged from, the open conflict and the last admin
// resolution. The question it answers: "why is this absence excused?".
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/conflict_view.h"
#include "cli/exit_codes.h"
#include "cli/explanation.h"
#include "cli/output.h"
#include "core/classification.h"
#include "core/ids.h"
#include "core/merge.h"

namespace presentie::cli {
namespace {

// The facts behind R2's rule, in a sentence; "" when the rule says it all.
std::string Grounds(const ClassificationResult& c, const Attendance& a) {
  const std::string_view r = c.rule;
  if (r == rule::kNotice) return "The learner notified the school in advance.";
  if (r == rule::kExcusedReason || r == rule::kOtherReason || r == rule::kBenefitOfDoubt) {
    return fmt::format("The reason recorded is: {}.", ToString(a.reason));
  }
  if ((r == rule::kAdminDecision || r == rule::kGemeenteDecision) && a.decision.has_value()) {
    return fmt::format("The {} decided: {}.", ToString(a.decision->decided_by),
                       ToString(a.decision->value));
  }
  if (r == rule::kNoReasonYet) {
    return "Ask the learner, then record the reason: presentie attend LESSON --absent "
           "LEARNER:REASON (or --notified LEARNER).";
  }
  return "";
}

std::string Headline(const Explanation& e) {
  std::string subject = e.shown.id;
  if (e.learner.has_value() && !e.learner->name.empty()) subject += " (" + e.learner->name + ")";
  const std::string facts = FactsText(e.shown);
  if (!e.classification.has_value()) return fmt::format("{}: {}.", subject, facts);
  if (e.classification->value == Classification::kNotApplicable) {
    return fmt::format("{}: {}, not an absence.", subject, facts);
  }
  if (e.shown.status == AttendanceStatus::kPartial) {
    // R2 classifies the minutes missed, not the minutes there.
    return fmt::format("{}: {}; the minutes missed are {}.", subject, facts,
                       ClassificationText(*e.classification));
  }
  return fmt::format("{}: {}, {}.", subject, facts, ClassificationText(*e.classification));
}

Json ExplainJson(const Explanation& e) {
  Json siblings = Json::array();
  for (size_t i = 0; i < e.siblings.size(); ++i) {
    siblings.push_back(SiblingJson(static_cast<int>(i + 1), e.siblings[i]));
  }
  return {
      {"record", e.shown.id},
      {"lesson", e.shown.lesson_id},
      {"learner", e.shown.learner_id},
      {"learner_known", e.learner.has_value()},
      {"shown", ToJson(e.shown)},
      {"stamp",
       {{"vv", e.shown_stamp.vv.Encode()},
        {"hlc", e.shown_stamp.hlc.ToString()},
        {"writer",
         {{"replica", e.shown_stamp.writer.replica},
          {"role", ToString(e.shown_stamp.writer.role)},
          {"user", e.shown_stamp.writer.user}}}}},
      {"classification", e.classification ? ToJson(*e.classification) : Json()},
      {"rules",
       {{"facts", RuleJson(e.facts_rule)},
        {"absence", RuleJson(e.absence_rule)},
        {"decision", RuleJson(e.decision_rule)}}},
      {"rule_set_version", e.rule_set_version},
      {"versions", e.siblings.size()},
      {"siblings", siblings},
      {"conflict", e.conflict_id.empty() ? Json() : Json(e.conflict_id)},
      {"conflict_kinds", ConflictKindNames(e.conflict_kinds)},
      {"resolution_reason", e.resolution_reason ? Json(*e.resolution_reason) : Json()},
  };
}

void PrintExplanation(std::ostream& out, const Explanation& e) {
  out << Headline(e) << '\n';
  if (e.classification.has_value()) {
    const ClassificationResult& c = *e.classification;
    if (c.value != Classification::kNotApplicable) {
      out << fmt::format("Why {}: {} — {}\n", ToString(c.value), c.rule, DescribeRule(c.rule));
      if (const std::string grounds = Grounds(c, e.shown); !grounds.empty()) {
        out << "  " << grounds << '\n';
      }
      if (c.authority == Role::kGemeente) {
        out << (c.advisory
                    ? "  The gemeente classifies this learner's absences (Wi2021 asylum permit "
                      "holder): this is the school's advice, and the gemeente's decision "
                      "overrides it.\n"
                    : "  The gemeente classifies this learner's absences (Wi2021 asylum permit "
                      "holder), and this is its decision.\n");
      } else {
        out << "  The school classifies this learner's absences.\n";
      }
    }
  } else {
    out << fmt::format(
        "Classification: unknown here — learner {} is not in this register yet (sync first).\n",
        e.shown.learner_id);
  }

  out << '\n' << "Recorded:\n";
  std::vector<std::pair<std::string, std::string>> rows = {{"  facts", FactsText(e.shown)}};
  if (e.shown.status != AttendanceStatus::kPresent) {
    rows.emplace_back("  notified", e.shown.notified_in_advance ? "yes, in advance" : "no");
    rows.emplace_back("  reason", e.shown.reason == AbsenceReason::kNone
                                      ? "-"
                                      : std::string(ToString(e.shown.reason)));
  }
  if (!e.shown.note.empty()) rows.emplace_back("  note", e.shown.note);
  rows.emplace_back("  decision", DecisionText(e.shown.decision));
  rows.emplace_back("  written by", fmt::format("{}, {}", WriterText(e.shown_stamp.writer),
                                                e.shown_stamp.hlc.ToString()));
  PrintKeyValues(out, rows);

  out << '\n'
      << fmt::format("Merged from {} version{} by merge rule set {}:\n", e.siblings.size(),
                     e.siblings.size() == 1 ? "" : "s", e.rule_set_version);
  PrintFieldRules(out, e.facts_rule, e.absence_rule, e.decision_rule);
  if (e.siblings.size() > 1) {
    out << '\n';
    PrintSiblings(out, e.siblings);
  }

  out << '\n';
  if (e.conflict_id.empty()) {
    out << "Open conflict: none.\n";
  } else {
    out << fmt::format(
        "Open conflict: {} (the versions disagree on {}). The value above stands until an "
        "admin resolves it: presentie conflicts show {}\n",
        e.conflict_id, fmt::join(ConflictKindNames(e.conflict_kinds), ", "), e.conflict_id);
  }
  if (e.resolution_reason.has_value()) {
    out << fmt::format("Last resolution by an admin here: {}\n", *e.resolution_reason);
  }
}

int RunExplain(const Context& ctx, const std::string& first, const std::string& second) {
  std::string id = first;
  if (!second.empty()) {
    if (first.find('/') != std::string::npos) {
      return ctx.UsageError(
          "give either an attendance id (LESSON/LEARNER) or a lesson id and a learner id");
    }
    if (Status s = ValidateRecordKey(first, "lesson id"); !s.ok()) return ctx.Fail(s);
    if (Status s = ValidateRecordKey(second, "learner id"); !s.ok()) return ctx.Fail(s);
    id = AttendanceId(first, second);
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto e = Explain(**store, id);
  if (!e.ok()) {
    if (e.status().code() == StatusCode::kNotFound) {
      return ctx.Fail(NotFound(fmt::format(
          "no attendance record '{}' in this register: give LESSON/LEARNER or LESSON LEARNER "
          "(see presentie lesson list and presentie learner list)",
          id)));
    }
    return ctx.Fail(e.status());
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), ExplainJson(*e));
  } else {
    PrintExplanation(ctx.out(), *e);
  }
  return kExitOk;
}

}  // namespace

void AddExplainCommand(CLI::App& app, Action* action) {
  auto first = std::make_shared<std::string>();
  auto second = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "explain", "Why a record shows what it shows: R2's rule, the merge rules, the versions");
  SetExamples(cmd,
              "presentie explain nt2-a-20261130-0900/L2\n"
              "presentie explain nt2-a-20261130-0900 L2\n"
              "presentie explain nt2-a-20261130-0900 L2 --json");
  cmd->add_option("ID", *first, "An attendance id (LESSON/LEARNER), or a lesson id")->required();
  cmd->add_option("LEARNER", *second, "The learner id, when ID is a lesson id");
  cmd->callback([action, first, second] {
    *action = [first, second](const Context& ctx) { return RunExplain(ctx, *first, *second); };
  });
}

}  // namespace presentie::cli
