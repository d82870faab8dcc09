// presentie learner add|import|edit|list|show
#include <fmt/format.h>

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cli/commands.h"
#include "cli/csv.h"
#include "cli/exit_codes.h"
#include "cli/hours_report.h"
#include "cli/import_stream.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/ownership.h"

namespace presentie::cli {
namespace {

struct FieldHelp {
  std::string_view field;
  std::string_view value;  // what the help shows after the flag
  std::string_view help;
  bool required;
};
constexpr FieldHelp kLearnerFlags[] = {
    {"id", "ID", "The school's key for the learner: letters, digits, '.', '_', '-'", true},
    {"bsn", "BSN", "Citizen service number: 9 digits passing the elfproef", true},
    {"name", "NAME", "The name the school uses", true},
    {"category", "CATEGORY", "family_migrant, other_migrant or asylum_permit_holder", true},
    {"regime", "REGIME", "wi2013 or wi2021", true},
    {"route", "B|O|Z", "Leerroute of the PIP (Wi2021)", false},
    {"level", "A2|B1", "Target level of the PIP", false},
    {"literacy", "A|AA|NVT", "Literacy indicator of the PIP (default NVT)", false},
    {"estimated_hours", "N", "Estimated hours of the B1-route, 0..9999", false},
    {"gemeente", "CODE", "CBS code of the gemeente, 4 digits (Wi2021 asylum permit holders)",
     false},
    {"lessons_per_week", "N", "Intensity set by the PIP, 0..40", false},
};

using Fields = std::map<std::string, std::string, std::less<>>;

Result<Learner> LearnerFromFlags(const Fields& fields) {
  auto get = [&](std::string_view field) -> std::string_view {
    auto it = fields.find(field);
    return it == fields.end() ? std::string_view() : TrimBlanks(it->second);
  };
  auto error = [](std::string_view field, std::string_view message) -> Status {
    if (field.empty()) return InvalidArgument(std::string(message));
    return InvalidArgument(fmt::format("{}: {}", FlagName(field), message));
  };
  return LearnerFromFields(get, error);
}

int RunAdd(const Context& ctx, const Fields& fields) {
  auto learner = LearnerFromFlags(fields);
  if (!learner.ok()) return ctx.Fail(learner.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  const std::vector<Learner> batch = {*learner};
  if (Status s = (*store)->AddLearners(ctx.ActorFor(**store), batch, "learner.add"); !s.ok()) {
    return ctx.Fail(s);
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), ToJson(*learner));
  } else {
    ctx.out() << learner->id << '\n';
    ctx.Say(fmt::format("Added learner {}.", learner->id));
  }
  return kExitOk;
}

// The learner's fields as `learner add` takes them, for `learner edit` to
// lay the given flags over.
Fields FieldsOf(const Learner& l) {
  return {{"id", l.id},
          {"bsn", l.bsn},
          {"name", l.name},
          {"category", std::string(ToString(l.category))},
          {"regime", std::string(ToString(l.regime))},
          {"route", std::string(ToString(l.route))},
          {"level", std::string(ToString(l.level))},
          {"literacy", std::string(ToString(l.literacy))},
          {"estimated_hours", l.estimated_hours ? std::to_string(l.estimated_hours) : ""},
          {"gemeente", l.gemeente_code},
          {"lessons_per_week", l.lessons_per_week ? std::to_string(l.lessons_per_week) : ""}};
}

// `given`: the flags on the command line, with their values ("" clears an
// optional field).
int RunEdit(const Context& ctx, const std::string& id, const Fields& given) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  // Refused before the lookup: a teacher's register holds learners it may
  // not change, and says so whatever the id.
  const Role role = ctx.ActorFor(**store).role;
  if (Status s = Permitted(CheckRosterWrite(role, "a learner"), role); !s.ok()) return ctx.Fail(s);
  auto current = (*store)->GetLearner(id);
  if (!current.ok()) return ctx.Fail(current.status());
  Fields fields = FieldsOf(*current);
  for (const auto& [field, value] : given) fields[field] = value;
  auto learner = LearnerFromFlags(fields);
  if (!learner.ok()) return ctx.Fail(learner.status());
  if (*learner == *current) {
    if (ctx.json()) {
      PrintJson(ctx.out(), ToJson(*learner));
    } else {
      ctx.Say(fmt::format("Learner {} already has these values; nothing changed.", id));
    }
    return kExitOk;
  }
  if (Status s = (*store)->UpdateLearner(ctx.ActorFor(**store), *learner); !s.ok()) {
    return ctx.Fail(s);
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), ToJson(*learner));
  } else {
    ctx.out() << learner->id << '\n';
    ctx.Say(fmt::format("Changed learner {}; it reaches the other devices at their next sync.",
                        learner->id));
  }
  return kExitOk;
}

// Streamed (StreamCsvImport): each row is checked and written as it is read,
// into one write (Store::BeginLearners) committed only when every row
// passed. What it keeps is bounded by the register, not the file: the ids
// and BSNs of the register's learners and of those written so far (for the
// messages "already exists" and "is also on line N"), never a row or a
// learner. What it prints, the ids in file order, is read from the file
// again once the write is committed.
int RunLearnerImport(const Context& ctx, const std::string& path) {
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::LearnerWrite> write;
  std::unordered_set<std::string> known_ids;
  std::unordered_map<std::string, std::string> known_bsns;  // bsn -> id
  KeyLines id_lines;                                        // written by this import
  KeyLines bsn_lines;
  size_t imported = 0;
  CsvImportSteps steps;
  steps.required = kLearnerRequired;
  steps.optional = kLearnerOptional;
  steps.begin = [&] {
    return BeginImport<storage::LearnerWrite>(
        ctx, path, store, write,
        [&](storage::Store& opened) -> Result<std::unique_ptr<storage::LearnerWrite>> {
          PRESENTIE_ASSIGN_OR_RETURN(std::vector<Learner> known, opened.ListLearners());
          for (const Learner& l : known) {
            known_ids.insert(l.id);
            known_bsns[l.bsn] = l.id;
          }
          return opened.BeginLearners(ctx.ActorFor(opened), "learner.import");
        });
  };
  steps.row = [&](const CsvTable& table, const CsvRecord& row, CsvErrors& errors) -> Status {
    auto get = [&](std::string_view field) { return table.Get(row, field); };
    auto error = [&](std::string_view field, std::string_view message) {
      return table.RowError(row, field, message);
    };
    auto learner = LearnerFromFields(get, error);
    if (!learner.ok()) {
      errors.Add(learner.status());
      return Status::Ok();
    }
    if (const int earlier = id_lines.Line(learner->id); earlier > 0) {
      errors.Add(table.RowError(
          row, "id", fmt::format("learner '{}' is also on line {}", learner->id, earlier)));
      return Status::Ok();
    }
    if (known_ids.contains(learner->id)) {
      errors.Add(table.RowError(row, "id", fmt::format("learner '{}' already exists", learner->id),
                                StatusCode::kAlreadyExists));
      return Status::Ok();
    }
    if (const int earlier = bsn_lines.Line(learner->bsn); earlier > 0) {
      errors.Add(table.RowError(row, "bsn",
                                fmt::format("the same BSN as the learner on line {}", earlier)));
      return Status::Ok();
    }
    if (auto it = known_bsns.find(learner->bsn); it != known_bsns.end()) {
      errors.Add(table.RowError(row, "bsn",
                                fmt::format("learner '{}' already has this BSN", it->second),
                                StatusCode::kAlreadyExists));
      return Status::Ok();
    }
    id_lines.Keep(learner->id, row.line);
    bsn_lines.Keep(learner->bsn, row.line);
    PRESENTIE_ASSIGN_OR_RETURN(bool written, AddRecord(*write, *learner, table, row, errors));
    if (written) ++imported;
    return Status::Ok();
  };
  steps.commit = [&] {
    if (imported > 0) return write->Commit();
    ctx.Say(fmt::format("{} has no learner rows; nothing to import.", path));
    return Status::Ok();
  };
  if (const int rc = StreamCsvImport(ctx, path, steps); rc != kExitOk) return rc;

  // Every row was imported: its id is the row's, as LearnerFromFields read it.
  const auto each_id = [&](const std::function<void(std::string_view)>& emit) {
    return ForEachCsvRow(path, [&](const CsvTable& table, const CsvRecord& row) {
      emit(table.Get(row, "id"));
      return Status::Ok();
    });
  };
  Status listed;
  if (ctx.json()) {
    PrintJsonWithArray(
        ctx.out(), {{"imported", imported}}, "ids",
        [&](const JsonEmitter& emit) {
          listed = each_id([&](std::string_view id) { emit(Json(std::string(id))); });
        },
        Json::object());
  } else {
    listed = each_id([&](std::string_view id) { ctx.out() << id << '\n'; });
    if (imported > 0) ctx.Say(fmt::format("Imported {} learners from {}.", imported, path));
  }
  if (!listed.ok()) {
    return ctx.Fail(listed.WithContext(
        fmt::format("{}: imported, but the file could not be read again to list the ids", path)));
  }
  return kExitOk;
}

int RunLearnerList(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto learners = (*store)->ListLearners();
  if (!learners.ok()) return ctx.Fail(learners.status());
  if (ctx.json()) {
    Json list = Json::array();
    for (const Learner& l : *learners) list.push_back(ToJson(l));
    PrintJson(ctx.out(), list);
    return kExitOk;
  }
  Table table(
      {"ID", "NAME", "BSN", "CATEGORY", "REGIME", "ROUTE", "LEVEL", "LITERACY", "GEMEENTE"});
  for (const Learner& l : *learners) {
    table.AddRow({l.id, l.name, MaskBsn(l.bsn), std::string(ToString(l.category)),
                  std::string(ToString(l.regime)), OrDash(ToString(l.route)),
                  OrDash(ToString(l.level)), std::string(ToString(l.literacy)),
                  OrDash(l.gemeente_code)});
  }
  table.Print(ctx.out());
  if (learners->empty()) {
    ctx.Say("No learners yet: presentie learner add ... or presentie learner import FILE.csv");
  }
  return kExitOk;
}

int RunLearnerShow(const Context& ctx, const std::string& id) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto learner = (*store)->GetLearner(id);
  if (!learner.ok()) return ctx.Fail(learner.status());
  auto all = (*store)->LessonsByLearner();
  if (!all.ok()) return ctx.Fail(all.status());
  storage::LearnerLessons lessons{*learner, {}};
  for (const storage::LearnerLessons& ll : *all) {
    if (ll.learner.id == id) lessons = ll;
  }
  const LearnerHours hours = ComputeHours(lessons, LocalToday());
  auto pip = (*store)->PipFor(*learner);
  if (!pip.ok()) return ctx.Fail(pip.status());
  // Whose route, level, literacy, estimate and intensity these are.
  const std::string pip_text =
      pip->has_value() ? fmt::format("gemeente {}, {} (route, level, literacy, estimated_hours, "
                                     "lessons_per_week are the gemeente's)",
                                     (*pip)->gemeente_code, FormatDate((*pip)->decided_on))
                       : "-";
  // The gemeente's NAW data: the name shown is theirs, and the address is
  // known only from it.
  auto naw = (*store)->NawFor(*learner);
  if (!naw.ok()) return ctx.Fail(naw.status());
  const std::string address =
      naw->has_value() ? fmt::format("{}, {} {} (gemeente {}, {})", (*naw)->address,
                                     (*naw)->postcode, (*naw)->residence,
                                     (*naw)->gemeente_code, FormatDate((*naw)->decided_on))
                       : "-";
  if (ctx.json()) {
    Json pip_json = nullptr;
    if (pip->has_value()) {
      pip_json = {{"gemeente", (*pip)->gemeente_code},
                  {"decided_on", FormatDate((*pip)->decided_on)}};
    }
    Json naw_json = nullptr;
    if (naw->has_value()) {
      naw_json = {{"gemeente", (*naw)->gemeente_code},
                  {"address", (*naw)->address},
                  {"postcode", (*naw)->postcode},
                  {"residence", (*naw)->residence},
                  {"decided_on", FormatDate((*naw)->decided_on)}};
    }
    PrintJson(ctx.out(), {{"learner", ToJson(*learner)},
                          {"pip", pip_json},
                          {"naw", naw_json},
                          {"hours", ToJson(hours)}});
    return kExitOk;
  }
  const Learner& l = *learner;
  PrintKeyValues(ctx.out(), {
                                {"id", l.id},
                                {"name", l.name},
                                {"bsn", MaskBsn(l.bsn)},
                                {"category", std::string(ToString(l.category))},
                                {"regime", std::string(ToString(l.regime))},
                                {"route", OrDash(ToString(l.route))},
                                {"level", OrDash(ToString(l.level))},
                                {"literacy", std::string(ToString(l.literacy))},
                                {"estimated_hours", std::to_string(l.estimated_hours)},
                                {"gemeente", OrDash(l.gemeente_code)},
                                {"lessons_per_week", std::to_string(l.lessons_per_week)},
                                {"pip", pip_text},
                                {"address", address},
                            });
  ctx.out() << '\n';
  PrintHours(ctx.out(), std::span<const LearnerHours>(&hours, 1));
  return kExitOk;
}

}  // namespace

Result<LearnerMap> LoadLearners(storage::Store& store) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<Learner> learners, store.ListLearners());
  LearnerMap map;
  for (Learner& l : learners) {
    std::string id = l.id;
    map.emplace(std::move(id), std::move(l));
  }
  return map;
}

void AddLearnerCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand("learner", "Add, import, edit, list and show learners");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie learner add --id L1 --bsn 111222333 --name 'Amina Haddad' "
              "--category family_migrant --regime wi2021 --route B\n"
              "presentie learner import learners.csv\n"
              "presentie learner list\n"
              "presentie learner show L1");

  auto fields = std::make_shared<Fields>();
  CLI::App* add = noun->add_subcommand("add", "Add one learner");
  SetExamples(add,
              "presentie learner add --id L1 --bsn 111222333 --name 'Amina Haddad' "
              "--category family_migrant --regime wi2021 --route B --level B1\n"
              "presentie learner add --id L2 --bsn 123456782 --name 'Yonas Tesfay' "
              "--category asylum_permit_holder --regime wi2021 --route Z --gemeente 0363");
  for (const FieldHelp& f : kLearnerFlags) {
    CLI::Option* opt =
        add->add_option(FlagName(f.field), (*fields)[std::string(f.field)], std::string(f.help));
    opt->option_text(std::string(f.value) + (f.required ? " REQUIRED" : ""));
    if (f.required) opt->required();
  }
  add->callback([action, fields] {
    *action = [fields](const Context& ctx) { return RunAdd(ctx, *fields); };
  });

  auto path = std::make_shared<std::string>();
  CLI::App* import = noun->add_subcommand(
      "import", "Import learners from a CSV file: all rows, or none if one is wrong");
  SetExamples(import,
              "presentie learner import learners.csv\n"
              "# learners.csv (a header row; ',' or ';' between fields; UTF-8):\n"
              "# id,bsn,name,category,regime,route,level,literacy,estimated_hours,gemeente,"
              "lessons_per_week\n"
              "# L1,111222333,Amina Haddad,family_migrant,wi2021,B,B1,NVT,600,,2");
  import->add_option("FILE", *path, "The CSV file")->required();
  import->callback([action, path] {
    *action = [path](const Context& ctx) { return RunLearnerImport(ctx, *path); };
  });

  auto edit_id = std::make_shared<std::string>();
  auto edit_fields = std::make_shared<Fields>();
  auto edit_options = std::make_shared<std::vector<std::pair<std::string, CLI::Option*>>>();
  CLI::App* edit = noun->add_subcommand(
      "edit", "Change a learner's fields (admin only): only the flags given change");
  SetExamples(edit,
              "presentie learner edit L2 --route B --level B1\n"
              "presentie learner edit L3 --name 'Ayse Ozturk-Demir'\n"
              "presentie learner edit L4 --gemeente ''   # clears an optional field");
  edit->add_option("ID", *edit_id, "The learner's id")->required();
  for (const FieldHelp& f : kLearnerFlags) {
    if (f.field == "id") continue;  // the id is the record: it never changes
    CLI::Option* opt = edit->add_option(FlagName(f.field), (*edit_fields)[std::string(f.field)],
                                        std::string(f.help));
    opt->option_text(std::string(f.value));
    edit_options->emplace_back(std::string(f.field), opt);
  }
  edit->callback([action, edit_id, edit_fields, edit_options] {
    Fields given;
    for (const auto& [field, opt] : *edit_options) {
      if (opt->count() > 0) given[field] = (*edit_fields)[field];
    }
    *action = [edit_id, given](const Context& ctx) { return RunEdit(ctx, *edit_id, given); };
  });

  CLI::App* list = noun->add_subcommand("list", "List the learners (BSN masked; --json has it)");
  SetExamples(list, "presentie learner list\npresentie learner list --json");
  list->callback([action] { *action = [](const Context& ctx) { return RunLearnerList(ctx); }; });

  auto id = std::make_shared<std::string>();
  CLI::App* show = noun->add_subcommand("show", "Show a learner and their hours");
  SetExamples(show, "presentie learner show L1\npresentie learner show L1 --json");
  show->add_option("ID", *id, "The learner's id")->required();
  show->callback(
      [action, id] { *action = [id](const Context& ctx) { return RunLearnerShow(ctx, *id); }; });
}

}  // namespace presentie::cli
