// presentie absences list|decide: verzuim as a gemeente handles it
// (docs/authorities.md, "Absences and the gemeente's decisions").
//
// On a school's register, `list` shows the absences sent to gemeenten and
// the decisions that came back. On a gemeente's endpoint register (the one
// its `presentie serve` keeps), `list` shows the absences the schools sent
// and `decide` classifies them; the schools pull the decisions at their next
// sync, and their hours and R4 reports follow the gemeente's decision.
#include <fmt/format.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/authorities.h"
#include "core/ids.h"

namespace presentie::cli {
namespace {

struct DecideFlags {
  std::string value;
  std::vector<std::string> ids;
  std::string date;
};

// Decisions by attendance id ("<lesson>/<learner>").
Result<std::map<std::string, exports::GemeenteDecision>> DecisionsByAttendance(
    storage::Store& store) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<exports::GemeenteDecision> decisions,
                             store.ListGemeenteDecisions());
  std::map<std::string, exports::GemeenteDecision> out;
  for (exports::GemeenteDecision& d : decisions) {
    out.emplace(AttendanceId(d.lesson_id, d.learner_id), std::move(d));
  }
  return out;
}

int RunAbsencesList(const Context& ctx, bool undecided_only) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto absences = (*store)->ListGemeenteAbsences();
  if (!absences.ok()) return ctx.Fail(absences.status());
  auto decisions = DecisionsByAttendance(**store);
  if (!decisions.ok()) return ctx.Fail(decisions.status());
  Json list = Json::array();
  Table table({"ABSENCE", "GEMEENTE", "BSN", "LESSON START", "MINUTES", "NOTIFIED", "DECISION"});
  size_t shown = 0;
  for (const exports::GemeenteAbsence& a : *absences) {
    const std::string id = AttendanceId(a.lesson_id, a.learner_id);
    auto d = decisions->find(id);
    const bool decided = d != decisions->end();
    if (undecided_only && (decided || a.minutes_absent == 0)) continue;
    ++shown;
    const std::string decision =
        a.minutes_absent == 0 ? "withdrawn"
                              : (decided ? std::string(ToString(d->second.value)) : "-");
    if (ctx.json()) {
      list.push_back(
          {{"absence", id},
           {"gemeente", a.gemeente_code},
           {"bsn", a.bsn},
           {"lesson_start", FormatDateTime(a.lesson_start)},
           {"minutes_absent", a.minutes_absent},
           {"notified_in_advance", a.notified_in_advance},
           {"decision", decided ? Json(ToString(d->second.value)) : Json(nullptr)},
           {"decided_on", decided ? Json(FormatDate(d->second.decided_on)) : Json(nullptr)}});
    } else {
      table.AddRow({id, a.gemeente_code, a.bsn, FormatDateTime(a.lesson_start),
                    std::to_string(a.minutes_absent), a.notified_in_advance ? "yes" : "no",
                    decision});
    }
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), list);
    return kExitOk;
  }
  if (shown == 0) {
    ctx.out() << (undecided_only ? "no absences wait for a decision\n"
                                 : "no absences: none were sent or received here\n");
    return kExitOk;
  }
  table.Print(ctx.out());
  return kExitOk;
}

int RunAbsencesDecide(const Context& ctx, const DecideFlags& flags) {
  auto value = ParseClassification(flags.value);
  if (!value.ok() ||
      (*value != Classification::kExcused && *value != Classification::kUnexcused)) {
    return ctx.Fail(InvalidArgument(
        fmt::format("'{}' is not a decision: give excused or unexcused", flags.value)));
  }
  Date decided_on = LocalToday();
  if (!flags.date.empty()) {
    auto d = ParseDate(flags.date);
    if (!d.ok()) return ctx.Fail(InvalidArgument("--date: " + d.status().message()));
    decided_on = *d;
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if ((*store)->info().role != Role::kGemeente) {
    return ctx.Fail(PermissionDenied(fmt::format(
        "only a gemeente decides on its residents' absences; this register's role is {} (the "
        "school's register shows the gemeente's decisions once it syncs with the gemeente's "
        "endpoint)",
        ToString((*store)->info().role))));
  }
  auto absences = (*store)->ListGemeenteAbsences();
  if (!absences.ok()) return ctx.Fail(absences.status());
  // By the id `absences list` shows (the school's keys, scoped by school:
  // docs/authorities.md, "Many schools"), or by the school's own
  // "<lesson>/<learner>" when only one school sent an absence with it.
  std::map<std::string, const exports::GemeenteAbsence*> by_id;
  std::multimap<std::string, const exports::GemeenteAbsence*> by_school_id;
  for (const exports::GemeenteAbsence& a : *absences) {
    by_id.emplace(AttendanceId(a.lesson_id, a.learner_id), &a);
    const std::optional<ScopedKey> lesson = SplitSchoolScopedKey(a.lesson_id);
    const std::optional<ScopedKey> learner = SplitSchoolScopedKey(a.learner_id);
    if (lesson.has_value() && learner.has_value()) {
      by_school_id.emplace(AttendanceId(lesson->key, learner->key), &a);
    }
  }
  std::vector<exports::GemeenteDecision> decisions;
  std::vector<Status> unknown;
  for (const std::string& id : flags.ids) {
    const exports::GemeenteAbsence* found = nullptr;
    if (auto it = by_id.find(id); it != by_id.end()) {
      found = it->second;
    } else if (const size_t schools = by_school_id.count(id); schools == 1) {
      found = by_school_id.find(id)->second;
    } else if (schools > 1) {
      unknown.push_back(InvalidArgument(fmt::format(
          "absence '{}' was sent by {} schools: give the id as presentie absences list shows it "
          "(with the school)",
          id, schools)));
      continue;
    }
    if (found == nullptr) {
      unknown.push_back(NotFound(fmt::format(
          "absence '{}' was not received here (presentie absences list shows those that were)",
          id)));
      continue;
    }
    const exports::GemeenteAbsence& a = *found;
    exports::GemeenteDecision d;
    d.lesson_id = a.lesson_id;
    d.learner_id = a.learner_id;
    d.gemeente_code = a.gemeente_code;
    d.id = exports::GemeenteDecisionId(a.gemeente_code, a.lesson_id, a.learner_id);
    d.value = *value;
    d.decided_on = decided_on;
    decisions.push_back(std::move(d));
  }
  if (!unknown.empty()) return ctx.FailAll(unknown, "nothing was decided");
  auto result = (*store)->DecideAbsences(ctx.ActorFor(**store), decisions);
  if (!result.ok()) return ctx.Fail(result.status());
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"decision", ToString(*value)},
                          {"absences", flags.ids},
                          {"new", result->added},
                          {"changed", result->changed},
                          {"unchanged", result->unchanged}});
  } else {
    ctx.out() << fmt::format("{} {}: {} new, {} changed, {} unchanged.\n", flags.ids.size(),
                             flags.ids.size() == 1 ? "absence" : "absences", result->added,
                             result->changed, result->unchanged);
    ctx.Say(
        "The school receives the decision at its next sync with this endpoint; its hours and "
        "R4 reports then follow it.");
  }
  return kExitOk;
}

}  // namespace

void AddAbsencesCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand(
      "absences", "A gemeente's absences: those sent (school) or received (gemeente), decisions");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie absences list\n"
              "presentie --db gemeente.db absences list --undecided\n"
              "presentie --db gemeente.db absences decide excused nt2-a-20261130-0900/L2");

  auto undecided = std::make_shared<bool>(false);
  CLI::App* list = noun->add_subcommand(
      "list", "Absences of asylum permit holders sent to (or received by) a gemeente");
  list->add_flag("--undecided", *undecided, "Only those the gemeente has not decided on");
  list->callback([action, undecided] {
    *action = [undecided](const Context& ctx) { return RunAbsencesList(ctx, *undecided); };
  });

  auto flags = std::make_shared<DecideFlags>();
  CLI::App* decide = noun->add_subcommand(
      "decide", "Classify received absences as excused or unexcused (a gemeente's register)");
  SetExamples(decide,
              "presentie --db gemeente.db absences decide excused nt2-a-20261130-0900/L2\n"
              "presentie --db gemeente.db absences decide unexcused A1 A2 --date 2026-12-01");
  decide->add_option("DECISION", flags->value, "excused or unexcused")->required();
  decide->add_option("ABSENCE", flags->ids, "Absence ids as absences list shows them")
      ->required();
  decide->add_option("--date", flags->date, "The day of the decision (default: today)");
  decide->callback([action, flags] {
    *action = [flags](const Context& ctx) { return RunAbsencesDecide(ctx, *flags); };
  });
}

}  // namespace presentie::cli
