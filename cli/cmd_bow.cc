// presentie qualification add|import|list, presentie bow list: Blik op Werk
// (docs/authorities.md, "Blik op Werk").
//
// The admin keeps the teachers' qualifications here (a teacher is named as
// the lessons name them). `presentie submit bow` (cmd_export.cc) derives
// what BoW receives: the planning of each B1-route, Z-route and Wi2013
// course, and the qualifications of the teachers who give them. `bow list`
// shows what a register holds of that: what was submitted (a school), or
// what was received (BoW's endpoint).
#include <fmt/format.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/csv.h"
#include "cli/exit_codes.h"
#include "cli/import_stream.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/authorities.h"

namespace presentie::cli {
namespace {

struct QualificationFlags {
  std::string id;
  std::string teacher;
  std::string component;
  std::string title;
  std::string obtained;
};

// A qualification from its fields; `error(field, message)` makes the
// error (a flag's name, or a CSV row's column).
template <typename Get, typename Error>
Result<Qualification> QualificationFromFields(Get get, Error error) {
  Qualification q;
  q.teacher = std::string(get("teacher"));
  if (q.teacher.empty()) return error("teacher", "is empty");
  auto component = ParseComponent(get("component"));
  if (!component.ok()) return error("component", "must be nt2, knm or literacy");
  q.component = *component;
  q.title = std::string(get("title"));
  if (q.title.empty()) return error("title", "is empty (the diploma or certificate)");
  auto obtained = ParseDate(get("obtained"));
  if (!obtained.ok()) return error("obtained", "is not a date (YYYY-MM-DD)");
  q.obtained = *obtained;
  q.id = std::string(get("id"));
  if (q.id.empty()) {
    q.id = DefaultQualificationId(q.teacher, q.component);
    if (q.id.empty()) {
      return error("id", "is needed: the teacher's name has no letter or digit to make one of");
    }
  }
  if (Status s = Validate(q); !s.ok()) return error("", s.message());
  return q;
}

int PrintQualificationsWritten(const Context& ctx, const IdLister& each_id,
                               const storage::Store::SubmitResult& result) {
  return PrintIdsWritten(
      ctx, each_id, result,
      fmt::format("{} new, {} changed, {} unchanged. BoW receives those of teachers of "
                  "B1-route, Z-route and Wi2013 courses with: presentie submit bow",
                  result.added, result.changed, result.unchanged));
}

int RunQualificationAdd(const Context& ctx, const QualificationFlags& f) {
  const std::map<std::string_view, const std::string*> fields = {{"id", &f.id},
                                                                 {"teacher", &f.teacher},
                                                                 {"component", &f.component},
                                                                 {"title", &f.title},
                                                                 {"obtained", &f.obtained}};
  auto q = QualificationFromFields(
      [&](std::string_view name) -> std::string_view { return *fields.at(name); },
      [](std::string_view field, std::string_view message) -> Status {
        if (field.empty()) return InvalidArgument(std::string(message));
        return InvalidArgument(fmt::format("--{}: {}", field, message));
      });
  if (!q.ok()) return ctx.Fail(q.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  std::vector<Qualification> written{*q};
  auto result = (*store)->RecordQualifications(ctx.ActorFor(**store), written);
  if (!result.ok()) return ctx.Fail(result.status());
  return PrintQualificationsWritten(
      ctx,
      [&](const std::function<void(std::string_view)>& emit) {
        emit(q->id);
        return Status::Ok();
      },
      *result);
}

constexpr std::string_view kQualificationRequired[] = {"teacher", "component", "title",
                                                       "obtained"};
constexpr std::string_view kQualificationOptional[] = {"id"};

// Streamed (StreamCsvImport, Store::BeginQualifications): each row checked
// and written as it is read, all committed or none. It keeps the ids
// written and their lines (bounded by the register's qualifications), never
// a row; the ids it prints are read from the file again after the commit.
int RunQualificationImport(const Context& ctx, const std::string& path) {
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::Store::SubmitWrite<Qualification>> write;
  KeyLines id_lines;
  CsvImportSteps steps;
  steps.required = kQualificationRequired;
  steps.optional = kQualificationOptional;
  steps.begin = [&] {
    return BeginImport<storage::Store::SubmitWrite<Qualification>>(
        ctx, path, store, write,
        [&](storage::Store& opened) { return opened.BeginQualifications(ctx.ActorFor(opened)); });
  };
  const auto make = [](const CsvTable& table, const CsvRecord& row) {
    return QualificationFromFields([&](std::string_view field) { return table.Get(row, field); },
                                   [&](std::string_view field, std::string_view message) {
                                     return table.RowError(row, field, message);
                                   });
  };
  steps.row = [&](const CsvTable& table, const CsvRecord& row, CsvErrors& errors) -> Status {
    auto q = make(table, row);
    if (!q.ok()) {
      errors.Add(q.status());
      return Status::Ok();
    }
    if (const int earlier = id_lines.Line(q->id); earlier > 0) {
      errors.Add(table.RowError(
          row, "id", fmt::format("qualification '{}' is also on line {}", q->id, earlier)));
      return Status::Ok();
    }
    id_lines.Keep(q->id, row.line);
    return AddRecord(*write, *q, table, row, errors).status();
  };
  steps.commit = [&] { return write->Commit(); };
  if (const int rc = StreamCsvImport(ctx, path, steps); rc != kExitOk) return rc;
  return PrintQualificationsWritten(
      ctx,
      [&](const std::function<void(std::string_view)>& emit) {
        return ForEachCsvRow(path, [&](const CsvTable& table, const CsvRecord& row) {
          auto q = make(table, row);
          if (q.ok()) emit(q->id);
          return Status::Ok();
        });
      },
      write->result());
}

int RunQualificationList(const Context& ctx, const std::string& teacher) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto all = (*store)->ListQualifications();
  if (!all.ok()) return ctx.Fail(all.status());
  Json list = Json::array();
  Table table({"ID", "TEACHER", "FOR", "TITLE", "OBTAINED"});
  size_t shown = 0;
  for (const Qualification& q : *all) {
    if (!teacher.empty() && q.teacher != teacher) continue;
    ++shown;
    if (ctx.json()) {
      list.push_back({{"id", q.id},
                      {"teacher", q.teacher},
                      {"component", ToString(q.component)},
                      {"title", q.title},
                      {"obtained", FormatDate(q.obtained)}});
    } else {
      table.AddRow({q.id, q.teacher, std::string(ToString(q.component)), q.title,
                    FormatDate(q.obtained)});
    }
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), list);
  } else if (shown == 0) {
    ctx.out() << "no qualifications: presentie qualification add ... or qualification import "
                 "FILE.csv\n";
  } else {
    table.Print(ctx.out());
  }
  return kExitOk;
}

std::string RouteText(const exports::BowPlanning& p) {
  if (p.regime == Regime::kWi2013) return "Wi2013";
  return p.route == Route::kZ ? "Wi2021 Z-route" : "Wi2021 B1-route";
}

int RunBowList(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto planning = (*store)->ListBowPlanning();
  if (!planning.ok()) return ctx.Fail(planning.status());
  auto qualifications = (*store)->ListBowQualifications();
  if (!qualifications.ok()) return ctx.Fail(qualifications.status());
  if (ctx.json()) {
    Json p = Json::array();
    for (const exports::BowPlanning& c : *planning) {
      p.push_back({{"course", c.course_id},
                   {"name", c.course_name},
                   {"component", ToString(c.component)},
                   {"regime", ToString(c.regime)},
                   {"route", ToString(c.route)},
                   {"start", FormatDate(c.start)},
                   {"end", FormatDate(c.end)},
                   {"lessons", c.lessons},
                   {"planned_minutes", c.planned_minutes},
                   {"teachers", c.teachers}});
    }
    Json q = Json::array();
    for (const exports::BowQualification& b : *qualifications) {
      q.push_back({{"qualification", b.qualification_id},
                   {"teacher", b.teacher},
                   {"component", ToString(b.component)},
                   {"title", b.title},
                   {"obtained", FormatDate(b.obtained)}});
    }
    PrintJson(ctx.out(), {{"planning", p}, {"qualifications", q}});
    return kExitOk;
  }
  if (planning->empty() && qualifications->empty()) {
    ctx.out() << "nothing for Blik op Werk here: presentie submit bow writes it (a school), "
                 "a sync brings it (BoW's endpoint)\n";
    return kExitOk;
  }
  Table courses({"COURSE", "NAME", "ROUTE", "COMPONENT", "FROM", "TO", "LESSONS", "HOURS",
                 "TEACHERS"});
  for (const exports::BowPlanning& c : *planning) {
    std::string teachers;
    for (const std::string& t : c.teachers) teachers += (teachers.empty() ? "" : ", ") + t;
    courses.AddRow({c.course_id, c.course_name, RouteText(c), std::string(ToString(c.component)),
                    FormatDate(c.start), FormatDate(c.end), std::to_string(c.lessons),
                    fmt::format("{:.1f}", static_cast<double>(c.planned_minutes) / 60.0),
                    teachers.empty() ? "-" : teachers});
  }
  ctx.out() << "Course planning:\n";
  courses.Print(ctx.out());
  Table teachers({"QUALIFICATION", "TEACHER", "FOR", "TITLE", "OBTAINED"});
  for (const exports::BowQualification& b : *qualifications) {
    teachers.AddRow({b.qualification_id, b.teacher, std::string(ToString(b.component)), b.title,
                     FormatDate(b.obtained)});
  }
  ctx.out() << "Teacher qualifications:\n";
  if (qualifications->empty()) {
    ctx.out() << "  none\n";
  } else {
    teachers.Print(ctx.out());
  }
  return kExitOk;
}

}  // namespace

void AddQualificationCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand(
      "qualification", "Teachers' qualifications, which Blik op Werk receives (admin)");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie qualification add --teacher 'J. de Vries' --component nt2 "
              "--title 'Post-hbo NT2-docent' --obtained 2015-06-30\n"
              "presentie qualification import qualifications.csv\n"
              "presentie qualification list");

  auto flags = std::make_shared<QualificationFlags>();
  CLI::App* add = noun->add_subcommand("add", "Add or change a teacher's qualification");
  add->add_option("--teacher", flags->teacher, "The teacher, as the lessons name them")
      ->required();
  add->add_option("--component", flags->component, "What it qualifies for: nt2, knm or literacy")
      ->required();
  add->add_option("--title", flags->title, "The diploma or certificate")->required();
  add->add_option("--obtained", flags->obtained, "When it was obtained")
      ->option_text("YYYY-MM-DD")
      ->required();
  add->add_option("--id", flags->id,
                  "Its key (default: from the teacher's name and the component, e.g. "
                  "j-de-vries.nt2)");
  add->callback([action, flags] {
    *action = [flags](const Context& ctx) { return RunQualificationAdd(ctx, *flags); };
  });

  auto path = std::make_shared<std::string>();
  CLI::App* import = noun->add_subcommand(
      "import", "Import qualifications from a CSV file: all rows, or none if one is wrong");
  SetExamples(import,
              "presentie qualification import qualifications.csv\n"
              "# columns: teacher,component,title,obtained[,id]");
  import->add_option("FILE", *path, "The CSV file")->required();
  import->callback([action, path] {
    *action = [path](const Context& ctx) { return RunQualificationImport(ctx, *path); };
  });

  auto teacher = std::make_shared<std::string>();
  CLI::App* list = noun->add_subcommand("list", "The qualifications held here");
  list->add_option("--teacher", *teacher, "Only this teacher's");
  list->callback([action, teacher] {
    *action = [teacher](const Context& ctx) { return RunQualificationList(ctx, *teacher); };
  });
}

void AddBowCommands(CLI::App& app, Action* action) {
  CLI::App* noun =
      app.add_subcommand("bow", "What Blik op Werk receives: course planning, qualifications");
  noun->require_subcommand(1);
  SetExamples(noun, "presentie submit bow\npresentie bow list\npresentie --db bow.db bow list");
  CLI::App* list = noun->add_subcommand(
      "list", "The course planning and qualifications held here (submitted or received)");
  list->callback([action] { *action = [](const Context& ctx) { return RunBowList(ctx); }; });
}

}  // namespace presentie::cli
