// presentie conflicts list|show|resolve|refused: the admin's conflict queue
// (docs/rules.md, "When entries disagree: the merge rules"). An attendance
// record whose concurrent versions disagree on presence, on an absence's
// notice or reason, or on a classification decision shows a value chosen by
// the merge policy (core/merge.h) and stays open here until an admin
// resolves it; versions refused by an ownership rule (core/ownership.h) are
// listed beside it.
//
// What a table shows: the list keeps to what an admin needs to pick a
// conflict (ids, learner, what disagrees, the shown status and its
// classification, the rule); absence reasons and notes, which may be health
// data, appear only in `show` of one conflict.
#include <fmt/format.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "cli/commands.h"
#include "cli/conflict_view.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/resolve_plan.h"
#include "core/classification.h"
#include "core/merge.h"

namespace presentie::cli {
namespace {

using Conflict = storage::Store::Conflict;

// R2's classification of the shown value, when the learner is known here.
std::optional<ClassificationResult> ClassifyShown(const LearnerMap& learners,
                                                  const Attendance& shown) {
  auto it = learners.find(shown.learner_id);
  if (it == learners.end()) return std::nullopt;
  return Classify(it->second, shown);
}

// The rules that decided the fields the siblings disagree on, without repeats.
std::vector<std::string> DecidingRules(const Conflict& c) {
  std::vector<std::string> rules;
  auto add = [&](uint32_t bit, const std::string& rule) {
    if ((c.kinds & bit) == 0 || rule.empty()) return;
    for (const std::string& r : rules) {
      if (r == rule) return;
    }
    rules.push_back(rule);
  };
  add(kConflictPresence, c.facts_rule);
  add(kConflictAbsence, c.absence_rule);
  add(kConflictDecision, c.decision_rule);
  return rules;
}

std::string StateText(const Conflict& c) {
  return c.open ? "open" : fmt::format("closed (change {})", c.closed_by_seq);
}

// A conflict for `list --json`: no reason or note.
Json ListJson(const Conflict& c, const std::optional<ClassificationResult>& cls) {
  return {
      {"id", c.id},
      {"record", c.record_id},
      {"lesson", c.lesson_id},
      {"learner", c.learner_id},
      {"open", c.open},
      {"closed_by_seq", c.open ? Json() : Json(c.closed_by_seq)},
      {"kinds", ConflictKindNames(c.kinds)},
      {"versions", c.siblings.size()},
      {"shown",
       {{"status", ToString(c.shown.status)},
        {"minutes", c.shown.minutes_present},
        {"mode", ToString(c.shown.mode)}}},
      {"classification", cls ? ToJson(*cls) : Json()},
      {"rules",
       {{"facts", c.facts_rule}, {"absence", c.absence_rule}, {"decision", c.decision_rule}}},
      {"rule_set_version", c.rule_set_version},
  };
}

int RunConflictList(const Context& ctx, bool all) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto conflicts = (*store)->ListConflicts(all);
  if (!conflicts.ok()) return ctx.Fail(conflicts.status());
  auto learners = LoadLearners(**store);
  if (!learners.ok()) return ctx.Fail(learners.status());
  if (ctx.json()) {
    Json list = Json::array();
    for (const Conflict& c : *conflicts)
      list.push_back(ListJson(c, ClassifyShown(*learners, c.shown)));
    PrintJson(ctx.out(), list);
    return kExitOk;
  }
  if (conflicts->empty()) {
    ctx.Say(all ? "No conflicts, open or closed." : "No open conflicts.");
    return kExitOk;
  }
  Table table({"CONFLICT", "STATE", "LESSON", "LEARNER", "NAME", "DISAGREE", "SHOWN",
               "CLASSIFICATION", "RULE"});
  int open = 0;
  for (const Conflict& c : *conflicts) {
    if (c.open) ++open;
    const std::optional<ClassificationResult> cls = ClassifyShown(*learners, c.shown);
    auto learner = learners->find(c.learner_id);
    table.AddRow({c.id, StateText(c), c.lesson_id, c.learner_id,
                  learner == learners->end() ? "-" : learner->second.name,
                  fmt::format("{}", fmt::join(ConflictKindNames(c.kinds), ",")), FactsText(c.shown),
                  cls ? ClassificationText(*cls) : "- (learner not here yet)",
                  fmt::format("{}", fmt::join(DecidingRules(c), ", "))});
  }
  table.Print(ctx.out());
  if (open > 0) {
    ctx.Say(fmt::format(
        "{} open. Each shows the value the rules chose (RULE). See both sides: presentie "
        "conflicts show ID; decide: presentie conflicts resolve ID --take N --reason TEXT.",
        open));
  }
  return kExitOk;
}

// GetConflict with a message that says what an id looks like.
Result<Conflict> FindConflict(storage::Store& store, const std::string& id) {
  auto c = store.GetConflict(id);
  if (!c.ok() && c.status().code() == StatusCode::kNotFound) {
    return NotFound(fmt::format(
        "no conflict '{}': give a conflict id (c + 16 hex, from presentie conflicts list) or an "
        "attendance id (LESSON/LEARNER)",
        id));
  }
  return c;
}

int RunConflictShow(const Context& ctx, const std::string& id) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto c = FindConflict(**store, id);
  if (!c.ok()) return ctx.Fail(c.status());
  auto learners = LoadLearners(**store);
  if (!learners.ok()) return ctx.Fail(learners.status());
  const std::optional<ClassificationResult> cls = ClassifyShown(*learners, c->shown);

  if (ctx.json()) {
    Json siblings = Json::array();
    for (size_t i = 0; i < c->siblings.size(); ++i) {
      siblings.push_back(SiblingJson(static_cast<int>(i + 1), c->siblings[i]));
    }
    PrintJson(ctx.out(), {{"id", c->id},
                          {"record", c->record_id},
                          {"lesson", c->lesson_id},
                          {"learner", c->learner_id},
                          {"open", c->open},
                          {"closed_by_seq", c->open ? Json() : Json(c->closed_by_seq)},
                          {"kinds", ConflictKindNames(c->kinds)},
                          {"siblings", siblings},
                          {"shown", ToJson(c->shown)},
                          {"rules",
                           {{"facts", RuleJson(c->facts_rule)},
                            {"absence", RuleJson(c->absence_rule)},
                            {"decision", RuleJson(c->decision_rule)}}},
                          {"rule_set_version", c->rule_set_version},
                          {"classification", cls ? ToJson(*cls) : Json()}});
    return kExitOk;
  }

  std::ostream& out = ctx.out();
  auto learner = learners->find(c->learner_id);
  std::string lesson_text = c->lesson_id;
  if (auto lesson = (*store)->GetLesson(c->lesson_id); lesson.ok()) {
    lesson_text +=
        fmt::format(" ({}, {} min)", FormatDateTime(lesson->start), lesson->duration_minutes);
  }
  PrintKeyValues(out,
                 {{"conflict", fmt::format("{} ({})", c->id, StateText(*c))},
                  {"record", c->record_id},
                  {"lesson", lesson_text},
                  {"learner", learner == learners->end()
                                  ? c->learner_id + " (not in this register yet)"
                                  : fmt::format("{} {}", c->learner_id, learner->second.name)},
                  {"disagree", fmt::format("{}", fmt::join(ConflictKindNames(c->kinds), ", "))}});
  out << '\n';
  PrintSiblings(out, c->siblings);
  out << '\n' << fmt::format("Shown (merge rule set {}):\n", c->rule_set_version);
  std::vector<std::pair<std::string, std::string>> shown = {{"  facts", FactsText(c->shown)}};
  if (c->shown.status != AttendanceStatus::kPresent) {
    shown.emplace_back("  notified", c->shown.notified_in_advance ? "yes, in advance" : "no");
    shown.emplace_back("  reason", c->shown.reason == AbsenceReason::kNone
                                       ? "-"
                                       : std::string(ToString(c->shown.reason)));
  }
  if (!c->shown.note.empty()) shown.emplace_back("  note", c->shown.note);
  shown.emplace_back("  decision", DecisionText(c->shown.decision));
  if (cls) {
    shown.emplace_back("  classification", fmt::format("{} by {}: {}", ClassificationText(*cls),
                                                       cls->rule, DescribeRule(cls->rule)));
  } else {
    shown.emplace_back("  classification", "- (the learner is not in this register yet)");
  }
  PrintKeyValues(out, shown);
  out << '\n';
  PrintFieldRules(out, c->facts_rule, c->absence_rule, c->decision_rule);
  if (c->open) {
    ctx.Say(fmt::format(
        "To decide: presentie conflicts resolve {} --take N --reason TEXT (N: a version above), "
        "or set the fields: --status, --minutes, --mode, --notice, --absence-reason, --classify.",
        c->id));
  }
  return kExitOk;
}

int RunResolve(const Context& ctx, const std::string& id, const ResolveFlags& flags) {
  if (Status s = CheckResolveFlags(flags); !s.ok()) return ctx.UsageError(s.message());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  const storage::RegisterInfo& info = (*store)->info();
  if (info.role != Role::kAdmin) {
    return ctx.Fail(PermissionDenied(fmt::format(
        "only the school admin resolves conflicts; this register's role is {} (see presentie "
        "config show). Resolve on the admin's register; the resolution reaches this one by sync",
        ToString(info.role))));
  }
  auto c = FindConflict(**store, id);
  if (!c.ok()) return ctx.Fail(c.status());
  if (!c->open) {
    return ctx.Fail(FailedPrecondition(fmt::format(
        "conflict {} is closed already (change {}); presentie explain {} shows the record now",
        c->id, c->closed_by_seq, c->record_id)));
  }
  std::optional<int> duration;
  if (auto lesson = (*store)->GetLesson(c->lesson_id); lesson.ok()) {
    duration = lesson->duration_minutes;
  } else if (lesson.status().code() != StatusCode::kNotFound) {
    return ctx.Fail(lesson.status());
  }
  auto value = ResolutionValue(flags, *c, duration);
  if (!value.ok()) return ctx.Fail(value.status());
  if (Status s = (*store)->ResolveConflict(ctx.ActorFor(**store), c->id, *value, flags.reason);
      !s.ok()) {
    return ctx.Fail(s.WithContext(fmt::format("conflict {} is still open", c->id)));
  }

  auto learners = LoadLearners(**store);
  if (!learners.ok()) return ctx.Fail(learners.status());
  const std::optional<ClassificationResult> cls = ClassifyShown(*learners, *value);
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"resolved", c->id},
                          {"record", c->record_id},
                          {"value", ToJson(*value)},
                          {"classification", cls ? ToJson(*cls) : Json()},
                          {"reason", flags.reason}});
    return kExitOk;
  }
  ctx.out() << c->id << '\n';
  ctx.Say(fmt::format(
      "Resolved {}: {} is now {}{}. The resolution is in the audit log; it closes the conflict "
      "on every register after sync.",
      c->id, c->record_id, FactsText(*value),
      cls ? fmt::format(", {} ({})", ClassificationText(*cls), cls->rule) : ""));
  return kExitOk;
}

std::string RecordText(const storage::VersionedRecord& v) {
  return fmt::format("{} {}", storage::ToString(storage::KindOf(v.record)),
                     storage::RecordIdOf(v.record));
}

int RunRefused(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto refused = (*store)->ListRefused();
  if (!refused.ok()) return ctx.Fail(refused.status());
  if (ctx.json()) {
    Json list = Json::array();
    for (const storage::Store::RefusedVersion& r : *refused) {
      list.push_back({{"id", r.id},
                      {"at", FormatUtcTime(r.at_ms)},
                      {"at_ms", r.at_ms},
                      {"source", r.source},
                      {"kind", storage::ToString(storage::KindOf(r.version.record))},
                      {"record", storage::RecordIdOf(r.version.record)},
                      {"writer",
                       {{"replica", r.version.stamp.writer.replica},
                        {"role", ToString(r.version.stamp.writer.role)},
                        {"user", r.version.stamp.writer.user}}},
                      {"vv", r.version.stamp.vv.Encode()},
                      {"hlc", r.version.stamp.hlc.ToString()},
                      {"rule", r.rule},
                      {"detail", r.detail}});
    }
    PrintJson(ctx.out(), list);
    return kExitOk;
  }
  if (refused->empty()) {
    ctx.Say("No refused versions.");
    return kExitOk;
  }
  Table table({"ID", "WHEN", "SOURCE", "RECORD", "WRITER", "RULE", "DETAIL"});
  for (const storage::Store::RefusedVersion& r : *refused) {
    table.AddRow({std::to_string(r.id), FormatLocalTime(r.at_ms), r.source, RecordText(r.version),
                  fmt::format("{} {}", ToString(r.version.stamp.writer.role),
                              OrDash(r.version.stamp.writer.user)),
                  r.rule, r.detail});
  }
  table.Print(ctx.out());
  ctx.Say(
      "These versions were received but not applied: the writer may not write them (RULE). "
      "They are kept here; nothing in the register changed.");
  return kExitOk;
}

}  // namespace

void AddConflictsCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand(
      "conflicts", "The admin's queue: records whose versions disagree, and refused versions");
  noun->require_subcommand(1);
  SetExamples(
      noun,
      "presentie conflicts list\n"
      "presentie conflicts show c3f9a1b2c4d5e6f70\n"
      "presentie conflicts resolve c3f9a1b2c4d5e6f70 --take 2 --reason 'teacher confirmed'\n"
      "presentie conflicts refused");

  auto all = std::make_shared<bool>(false);
  CLI::App* list = noun->add_subcommand(
      "list", "Open conflicts: what disagrees, the value shown meanwhile and the rule");
  SetExamples(list,
              "presentie conflicts list\n"
              "presentie conflicts list --all\n"
              "presentie conflicts list --json");
  list->add_flag("--all", *all, "Also the conflicts closed on this register");
  list->callback(
      [action, all] { *action = [all](const Context& ctx) { return RunConflictList(ctx, *all); }; });

  auto show_id = std::make_shared<std::string>();
  CLI::App* show = noun->add_subcommand(
      "show", "Every version of one conflict, numbered, and the rule behind each shown field");
  SetExamples(show,
              "presentie conflicts show c3f9a1b2c4d5e6f70\n"
              "presentie conflicts show nt2-a-20261130-0900/L2 --json");
  show->add_option("ID", *show_id, "A conflict id, or an attendance id (LESSON/LEARNER)")
      ->required();
  show->callback([action, show_id] {
    *action = [show_id](const Context& ctx) { return RunConflictShow(ctx, *show_id); };
  });

  auto resolve_id = std::make_shared<std::string>();
  auto flags = std::make_shared<ResolveFlags>();
  CLI::App* resolve = noun->add_subcommand(
      "resolve",
      "Decide an open conflict (admin only): take one version, or set the fields; with a reason");
  SetExamples(
      resolve,
      "presentie conflicts resolve c3f9a1b2c4d5e6f70 --take 2 --reason 'seen on the sign-in "
      "sheet'\n"
      "presentie conflicts resolve c3f9a1b2c4d5e6f70 --status absent --absence-reason illness "
      "--notice --reason 'called at 8:00'\n"
      "presentie conflicts resolve c3f9a1b2c4d5e6f70 --status partial --minutes 90 --reason "
      "'left at the break'\n"
      "presentie conflicts resolve c3f9a1b2c4d5e6f70 --classify excused --reason 'doctor letter'");
  resolve->add_option("ID", *resolve_id, "A conflict id, or an attendance id (LESSON/LEARNER)")
      ->required();
  resolve
      ->add_option("--reason", flags->reason,
                   "Why you decide so (required; kept with the resolution on this register, "
                   "never sent anywhere)")
      ->option_text("TEXT REQUIRED");
  resolve
      ->add_option("--take", flags->take,
                   "Take version N of `conflicts show` as it is (its decision only if it is the "
                   "admin's)")
      ->check(CLI::PositiveNumber)
      ->option_text("N");
  resolve->add_option("--status", flags->status, "present, absent or partial")
      ->option_text("STATUS");
  resolve->add_option("--minutes", flags->minutes, "Minutes the learner was there (for partial)")
      ->check(CLI::NonNegativeNumber)
      ->option_text("N");
  resolve->add_option("--mode", flags->mode, "on_site or remote (remote never counts, R5)")
      ->option_text("MODE");
  resolve->add_flag("--notice", flags->notice, "The learner notified the school in advance");
  resolve->add_flag("--no-notice", flags->no_notice, "The learner did not notify in advance");
  resolve
      ->add_option("--absence-reason", flags->absence_reason,
                   "illness, wedding, funeral, religious_holiday, other, doubtful, none (or the "
                   "Dutch words)")
      ->option_text("CODE");
  resolve
      ->add_option("--classify", flags->classify,
                   "The admin's decision: excused or unexcused; none removes the admin's "
                   "decision (R2's rules classify)")
      ->option_text("excused|unexcused|none");
  resolve->callback([action, resolve_id, flags] {
    *action = [resolve_id, flags](const Context& ctx) {
      return RunResolve(ctx, *resolve_id, *flags);
    };
  });

  CLI::App* refused = noun->add_subcommand(
      "refused", "Versions received but refused by an ownership rule (kept, never applied)");
  SetExamples(refused, "presentie conflicts refused\npresentie conflicts refused --json");
  refused->callback([action] { *action = [](const Context& ctx) { return RunRefused(ctx); }; });
}

}  // namespace presentie::cli
