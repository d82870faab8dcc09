// presentie pip set|list, presentie naw set|list: the gemeente's personal
// plan (PIP) and NAW data (name, address, residence) of its Wi2021 asylum
// permit holders (docs/authorities.md, "The gemeente's PIP", "The
// gemeente's NAW data").
//
// On a gemeente's endpoint register (the one its `presentie serve` keeps),
// `set` writes the PIP of a learner a school submitted hours of there: the
// route, level, literacy indicator, estimated hours and lessons per week.
// The school that sent those hours pulls it at its next sync with the
// gemeente, and from then on shows it over its own values of those fields.
// `list` shows the PIPs a register holds. `naw set` and `naw list` do the
// same for the NAW data, whose name the school shows over its own.
#include <fmt/format.h>

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

struct PipFlags {
  std::string bsn;
  std::string route;
  std::string level;
  std::string literacy = "NVT";
  int estimated_hours = 0;
  int lessons_per_week = 0;
  std::string date;
};

// A gemeente's resident: the person's key at this endpoint (whichever
// schools submitted their hours), and the gemeente's own code from those
// rows (the register does not keep it). `what` names what is being set.
struct Resident {
  std::string learner_id;
  std::string gemeente_code;
};
Result<Resident> ResidentByBsn(storage::Store& store, std::string_view bsn,
                               std::string_view what) {
  if (store.info().role != Role::kGemeente) {
    return PermissionDenied(fmt::format(
        "only a gemeente sets {}; this register's role is {} (a school's register receives "
        "it when it syncs with the gemeente's endpoint)",
        what, ToString(store.info().role)));
  }
  auto rows = store.ListGemeenteHours();
  if (!rows.ok()) return rows.status();
  for (const exports::GemeenteHours& h : *rows) {
    if (h.bsn != bsn) continue;
    // Held under the person, whichever schools sent them.
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<std::string> person, store.PersonByBsn(bsn));
    if (person.has_value()) return Resident{*person, h.gemeente_code};
  }
  return NotFound(fmt::format(
      "no school has submitted hours of a learner with this BSN here; {} goes to the school "
      "that did",
      what));
}

// What `pip set` and `naw set` print: the record's id and whether it was new.
int PrintSet(const Context& ctx, const std::string& id,
             const storage::Store::SubmitResult& result) {
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"id", id},
                          {"new", result.added},
                          {"changed", result.changed},
                          {"unchanged", result.unchanged}});
  } else {
    ctx.out() << id << '\n';
    ctx.Say(result.added + result.changed == 0
                ? "Set before with this content: nothing written."
                : "The school receives it at its next sync with this endpoint.");
  }
  return kExitOk;
}

int RunPipSet(const Context& ctx, const PipFlags& f) {
  exports::GemeentePip p;
  if (!IsValidBsn(f.bsn)) {
    return ctx.Fail(InvalidArgument("--bsn: not a valid BSN (9 digits, elfproef)"));
  }
  auto route = ParseRoute(f.route);
  if (!route.ok() || *route == Route::kNone) {
    return ctx.Fail(InvalidArgument(fmt::format("--route: '{}' is not B, O or Z", f.route)));
  }
  p.route = *route;
  auto level = ParseLevel(f.level);
  if (!level.ok() || *level == Level::kNone) {
    return ctx.Fail(InvalidArgument(fmt::format("--level: '{}' is not A2 or B1", f.level)));
  }
  p.level = *level;
  auto literacy = ParseLiteracy(f.literacy);
  if (!literacy.ok()) return ctx.Fail(FlagError("--literacy", literacy.status()));
  p.literacy = *literacy;
  p.estimated_hours = f.estimated_hours;
  p.lessons_per_week = f.lessons_per_week;
  p.decided_on = LocalToday();
  if (!f.date.empty()) {
    auto date = ParseDate(f.date);
    if (!date.ok()) return ctx.Fail(FlagError("--date", date.status()));
    p.decided_on = *date;
  }

  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto resident = ResidentByBsn(**store, f.bsn, "a PIP");
  if (!resident.ok()) return ctx.Fail(resident.status());
  p.learner_id = resident->learner_id;
  p.gemeente_code = resident->gemeente_code;
  p.id = exports::GemeentePipId(p.gemeente_code, p.learner_id);
  if (Status s = exports::Validate(p); !s.ok()) return ctx.Fail(s);
  auto result = (*store)->SetPips(ctx.ActorFor(**store), std::vector{p});
  if (!result.ok()) return ctx.Fail(result.status());
  return PrintSet(ctx, p.id, *result);
}

struct NawFlags {
  std::string bsn;
  std::string name;
  std::string address;
  std::string postcode;
  std::string residence;
  std::string date;
};

int RunNawSet(const Context& ctx, const NawFlags& f) {
  if (!IsValidBsn(f.bsn)) {
    return ctx.Fail(InvalidArgument("--bsn: not a valid BSN (9 digits, elfproef)"));
  }
  exports::GemeenteNaw n;
  n.name = f.name;
  n.address = f.address;
  n.residence = f.residence;
  auto postcode = NormalizePostcode(f.postcode);
  if (!postcode.ok()) return ctx.Fail(FlagError("--postcode", postcode.status()));
  n.postcode = *postcode;
  n.decided_on = LocalToday();
  if (!f.date.empty()) {
    auto date = ParseDate(f.date);
    if (!date.ok()) return ctx.Fail(FlagError("--date", date.status()));
    n.decided_on = *date;
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto resident = ResidentByBsn(**store, f.bsn, "NAW data");
  if (!resident.ok()) return ctx.Fail(resident.status());
  n.learner_id = resident->learner_id;
  n.gemeente_code = resident->gemeente_code;
  n.id = exports::GemeenteNawId(n.gemeente_code, n.learner_id);
  if (Status s = exports::Validate(n); !s.ok()) return ctx.Fail(s);
  auto result = (*store)->SetNaws(ctx.ActorFor(**store), std::vector{n});
  if (!result.ok()) return ctx.Fail(result.status());
  return PrintSet(ctx, n.id, *result);
}

int RunNawList(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto naws = (*store)->ListNaws();
  if (!naws.ok()) return ctx.Fail(naws.status());
  Json list = Json::array();
  Table table({"LEARNER", "GEMEENTE", "NAME", "ADDRESS", "POSTCODE", "RESIDENCE", "DECIDED ON"});
  for (const exports::GemeenteNaw& n : *naws) {
    if (ctx.json()) {
      list.push_back({{"learner", n.learner_id},
                      {"gemeente", n.gemeente_code},
                      {"name", n.name},
                      {"address", n.address},
                      {"postcode", n.postcode},
                      {"residence", n.residence},
                      {"decided_on", FormatDate(n.decided_on)}});
    } else {
      table.AddRow({n.learner_id, n.gemeente_code, n.name, n.address, n.postcode, n.residence,
                    FormatDate(n.decided_on)});
    }
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), list);
  } else if (naws->empty()) {
    ctx.out() << "no NAW data: a gemeente has sent none (it arrives with presentie sync)\n";
  } else {
    table.Print(ctx.out());
  }
  return kExitOk;
}

int RunPipList(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto pips = (*store)->ListPips();
  if (!pips.ok()) return ctx.Fail(pips.status());
  Json list = Json::array();
  Table table({"LEARNER", "GEMEENTE", "ROUTE", "LEVEL", "LITERACY", "EST. HOURS", "PER WEEK",
               "DECIDED ON"});
  for (const exports::GemeentePip& p : *pips) {
    if (ctx.json()) {
      list.push_back({{"learner", p.learner_id},
                      {"gemeente", p.gemeente_code},
                      {"route", ToString(p.route)},
                      {"level", ToString(p.level)},
                      {"literacy", ToString(p.literacy)},
                      {"estimated_hours", p.estimated_hours},
                      {"lessons_per_week", p.lessons_per_week},
                      {"decided_on", FormatDate(p.decided_on)}});
    } else {
      table.AddRow({p.learner_id, p.gemeente_code, std::string(ToString(p.route)),
                    std::string(ToString(p.level)), std::string(ToString(p.literacy)),
                    std::to_string(p.estimated_hours), std::to_string(p.lessons_per_week),
                    FormatDate(p.decided_on)});
    }
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), list);
  } else if (pips->empty()) {
    ctx.out() << "no PIPs: a gemeente has sent none (they arrive with presentie sync)\n";
  } else {
    table.Print(ctx.out());
  }
  return kExitOk;
}

}  // namespace

void AddPipCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand(
      "pip", "The gemeente's PIP of its asylum permit holders: list; set (a gemeente's register)");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie pip list\n"
              "presentie --db gemeente.db pip set --bsn 123456782 --route B --level B1 "
              "--estimated-hours 600 --lessons-per-week 4");

  CLI::App* list = noun->add_subcommand("list", "The PIPs held here");
  list->callback([action] { *action = [](const Context& ctx) { return RunPipList(ctx); }; });

  auto flags = std::make_shared<PipFlags>();
  CLI::App* set = noun->add_subcommand(
      "set", "Set a learner's PIP (a gemeente's endpoint register only)");
  set->add_option("--bsn", flags->bsn, "The learner's BSN")->required();
  set->add_option("--route", flags->route, "leerroute: B, O or Z")->required();
  set->add_option("--level", flags->level, "niveau: A2 or B1")->required();
  set->add_option("--literacy", flags->literacy,
                  "indicatorAlfabetiseringsonderwijs: A, AA or NVT (default NVT)");
  set->add_option("--estimated-hours", flags->estimated_hours,
                  "geschatteIntensiteitB1Route, 0..9999 (default 0: not estimated)");
  set->add_option("--lessons-per-week", flags->lessons_per_week,
                  "Intensity, 0..40 (default 0: not set)");
  set->add_option("--date", flags->date, "The day the gemeente decided it (default: today)")
      ->option_text("YYYY-MM-DD");
  set->callback([action, flags] {
    *action = [flags](const Context& ctx) { return RunPipSet(ctx, *flags); };
  });
}

void AddNawCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand(
      "naw", "The gemeente's NAW data (name, address, residence) of its asylum permit holders: "
             "list; set (a gemeente's register)");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie naw list\n"
              "presentie --db gemeente.db naw set --bsn 123456782 --name 'Yonas Tesfay' "
              "--address 'Kerkstraat 12 A' --postcode '1011 AB' --residence Amsterdam");
  CLI::App* list = noun->add_subcommand("list", "The NAW data held here");
  list->callback([action] { *action = [](const Context& ctx) { return RunNawList(ctx); }; });

  auto flags = std::make_shared<NawFlags>();
  CLI::App* set = noun->add_subcommand(
      "set", "Set a learner's NAW data (a gemeente's endpoint register only)");
  set->add_option("--bsn", flags->bsn, "The learner's BSN")->required();
  set->add_option("--name", flags->name, "The name, as the gemeente registers it")->required();
  set->add_option("--address", flags->address, "Street and house number")->required();
  set->add_option("--postcode", flags->postcode, "1234AB")->required();
  set->add_option("--residence", flags->residence, "Woonplaats")->required();
  set->add_option("--date", flags->date, "The day of the change (default: today)")
      ->option_text("YYYY-MM-DD");
  set->callback([action, flags] {
    *action = [flags](const Context& ctx) { return RunNawSet(ctx, *flags); };
  });
}

}  // namespace presentie::cli
