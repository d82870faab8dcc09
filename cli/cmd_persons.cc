// presentie persons: at an authority's register, each person once — the
// people the schools sent records of, found by BSN whichever school sent
// them — with the hours that count for them together (docs/authorities.md,
// "Many schools"). A person who moved school mid-year has both schools'
// hours here, as R3 counts them.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "core/authorities.h"
#include "core/ids.h"

namespace presentie::cli {

namespace {

// One person as the schools' rows show them.
struct PersonRow {
  std::string key;  // P<n>, or "-" for rows held from before persons were kept
  std::set<std::string> schools;
  // The latest row per school (and course, at DUO): its date and hours.
  std::map<std::string, std::pair<Date, int64_t>> latest;
  int year = 0;  // DUO: the latest year any school's rows are of
};

std::string SchoolOf(std::string_view learner_key) {
  std::optional<ScopedKey> k = SplitSchoolScopedKey(learner_key);
  return k.has_value() ? std::string(k->school) : std::string();
}

void Keep(PersonRow& p, const std::string& slot, Date on, int64_t hours) {
  auto [it, added] = p.latest.try_emplace(slot, on, hours);
  if (!added && it->second.first < on) it->second = {on, hours};
}

int RunPersons(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  const Role role = (*store)->info().role;
  if (role != Role::kDuo && role != Role::kGemeente) {
    return ctx.Fail(FailedPrecondition(fmt::format(
        "persons lists the people DUO or a gemeente holds records of; this register's role is "
        "{}{}",
        ToString(role),
        role == Role::kBow ? " (Blik op Werk receives no records about persons)" : "")));
  }
  std::map<std::string, PersonRow> by_bsn;
  if (role == Role::kDuo) {
    auto rows = (*store)->ListDuoHours();
    if (!rows.ok()) return ctx.Fail(rows.status());
    for (const exports::DuoHours& h : *rows) {
      PersonRow& p = by_bsn[h.bsn];
      p.year = std::max(p.year, h.as_of.year);
    }
    for (const exports::DuoHours& h : *rows) {
      PersonRow& p = by_bsn[h.bsn];
      const std::string school = SchoolOf(h.learner_id);
      p.schools.insert(school);
      if (h.as_of.year != p.year) continue;
      Keep(p, school + "/" + h.course_id, h.as_of, h.hours_attended);
    }
  } else {
    auto rows = (*store)->ListGemeenteHours();
    if (!rows.ok()) return ctx.Fail(rows.status());
    for (const exports::GemeenteHours& h : *rows) {
      PersonRow& p = by_bsn[h.bsn];
      const std::string school = SchoolOf(h.learner_id);
      p.schools.insert(school);
      Keep(p, school, h.peildatum, h.attended_hours);
    }
  }
  for (auto& [bsn, p] : by_bsn) {
    auto key = (*store)->PersonByBsn(bsn);
    if (!key.ok()) return ctx.Fail(key.status());
    p.key = key->value_or("-");
  }
  Json list = Json::array();
  Table table({"PERSON", "BSN", "SCHOOLS", "HOURS"});
  for (const auto& [bsn, p] : by_bsn) {
    int64_t hours = 0;
    for (const auto& [slot, latest] : p.latest) hours += latest.second;
    if (ctx.json()) {
      list.push_back(
          {{"person", p.key}, {"bsn", bsn}, {"schools", p.schools.size()}, {"hours", hours}});
    } else {
      table.AddRow({p.key, MaskBsn(bsn), std::to_string(p.schools.size()), std::to_string(hours)});
    }
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), list);
  } else if (by_bsn.empty()) {
    ctx.out() << "no persons: no school has sent hours here yet\n";
  } else {
    table.Print(ctx.out());
    ctx.Say(role == Role::kDuo
                ? "HOURS: attended this year, each school's and course's latest month summed."
                : "HOURS: attended, each school's latest reference date summed.");
  }
  return kExitOk;
}

}  // namespace

void AddPersonsCommand(CLI::App& app, Action* action) {
  CLI::App* cmd = app.add_subcommand(
      "persons",
      "The people the schools sent records of, each once, with their hours from every school "
      "(DUO's or a gemeente's register)");
  cmd->callback([action] { *action = [](const Context& ctx) { return RunPersons(ctx); }; });
}

}  // namespace presentie::cli
