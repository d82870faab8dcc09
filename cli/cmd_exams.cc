// presentie exams record|list and duty record|list: the exam results and
// the integration duty's status DUO sends back (docs/authorities.md, "Exam
// results from DUO").
//
// On DUO's endpoint register (the one its `presentie serve` keeps), `record`
// writes a result for a learner whose hours a school submitted there; the
// school pulls it at its next sync with DUO (only the school that sent that
// learner's hours); `import` records a CSV file of them, all or none. `list`
// shows the results a register holds.
#include <fmt/format.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/csv.h"
#include "cli/exit_codes.h"
#include "cli/import_stream.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/authorities.h"
#include "core/ids.h"

namespace presentie::cli {
namespace {

struct ExamFlags {
  std::string bsn;
  std::string exam;
  std::string level;
  std::string result;
  std::string date;
};

// An exam result from its fields (the flags of `record`, the columns of
// `import`), without its learner.
Result<exports::DuoExamResult> ExamFromFields(const FieldGetter& get, const FieldError& error) {
  exports::DuoExamResult r;
  r.bsn = std::string(get("bsn"));
  if (!IsValidBsn(r.bsn)) return error("bsn", "not a valid BSN (9 digits, elfproef)");
  auto exam = exports::ParseDuoExam(get("exam"));
  if (!exam.ok()) return error("exam", exam.status().message());
  r.exam = *exam;
  auto level = ParseLevel(get("level"));
  if (!level.ok()) return error("level", level.status().message());
  r.level = *level;
  const std::string_view result = get("result");
  if (result != "passed" && result != "failed") {
    return error("result",
                 fmt::format("'{}' is not a result: give passed or failed", result));
  }
  r.passed = result == "passed";
  auto date = ParseDate(get("date"));
  if (!date.ok()) return error("date", date.status().message());
  r.taken_on = *date;
  return r;
}

// DUO's register: the person a BSN names there, under whose key DUO's
// records about them are held (whichever schools sent them), looked up one
// BSN at a time — DUO holds a country's people. kPermissionDenied on another
// register.
Result<std::function<Result<std::optional<std::string>>(std::string_view)>> PersonFinder(
    storage::Store& store) {
  if (store.info().role != Role::kDuo) {
    return PermissionDenied(fmt::format(
        "only DUO records exam results; this register's role is {} (a school's register "
        "receives them when it syncs with DUO's endpoint)",
        ToString(store.info().role)));
  }
  return std::function<Result<std::optional<std::string>>(std::string_view)>(
      [&store](std::string_view bsn) { return store.PersonByBsn(bsn); });
}

constexpr std::string_view kUnknownBsn =
    "no school has sent a record of a learner with this BSN here; an exam result goes to the "
    "schools that did";

// Gives `r` its learner and id.
void Complete(exports::DuoExamResult& r, const std::string& learner_id) {
  r.learner_id = learner_id;
  r.id = exports::DuoExamResultId(r.learner_id, r.exam, r.taken_on);
}

int PrintRecorded(const Context& ctx, const IdLister& each_id,
                  const storage::Store::SubmitResult& result) {
  return PrintIdsWritten(
      ctx, each_id, result,
      result.added + result.changed == 0
          ? "Recorded before with this content: nothing written."
          : fmt::format("{} new, {} changed, {} unchanged. The school receives them at its "
                        "next sync with this endpoint.",
                        result.added, result.changed, result.unchanged));
}

int RunExamsRecord(const Context& ctx, const ExamFlags& f) {
  const std::map<std::string_view, const std::string*> fields = {
      {"bsn", &f.bsn}, {"exam", &f.exam}, {"level", &f.level}, {"result", &f.result},
      {"date", &f.date}};
  auto r = ExamFromFields(
      [&](std::string_view name) -> std::string_view { return *fields.at(name); },
      [](std::string_view field, std::string_view message) -> Status {
        return InvalidArgument(fmt::format("{}: {}", FlagName(field), message));
      });
  if (!r.ok()) return ctx.Fail(r.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto find = PersonFinder(**store);
  if (!find.ok()) return ctx.Fail(find.status());
  auto person = (*find)(r->bsn);
  if (!person.ok()) return ctx.Fail(person.status());
  if (!person->has_value()) return ctx.Fail(NotFound(std::string(kUnknownBsn)));
  Complete(*r, **person);
  std::vector<exports::DuoExamResult> written{*r};
  auto result = (*store)->RecordExamResults(ctx.ActorFor(**store), written);
  if (!result.ok()) return ctx.Fail(result.status());
  return PrintRecorded(
      ctx,
      [&](const std::function<void(std::string_view)>& emit) {
        emit(r->id);
        return Status::Ok();
      },
      *result);
}

constexpr std::string_view kExamRequired[] = {"bsn", "exam", "result", "date"};
constexpr std::string_view kExamOptional[] = {"level"};

// All rows or none, each bad row named by its line and column. Streamed
// (StreamCsvImport, Store::BeginExamResults): each row checked and written
// as it is read. It keeps the ids written and their lines (bounded by the
// register's exam results), never a row; the ids it prints are made from
// the file, read again after the commit.
int RunExamsImport(const Context& ctx, const std::string& path) {
  std::unique_ptr<storage::Store> store;
  std::function<Result<std::optional<std::string>>(std::string_view)> find;
  std::unique_ptr<storage::Store::SubmitWrite<exports::DuoExamResult>> write;
  KeyLines id_lines;
  CsvImportSteps steps;
  steps.required = kExamRequired;
  steps.optional = kExamOptional;
  steps.begin = [&] {
    return BeginImport<storage::Store::SubmitWrite<exports::DuoExamResult>>(
        ctx, path, store, write,
        [&](storage::Store& opened)
            -> Result<std::unique_ptr<storage::Store::SubmitWrite<exports::DuoExamResult>>> {
          PRESENTIE_ASSIGN_OR_RETURN(find, PersonFinder(opened));
          return opened.BeginExamResults(ctx.ActorFor(opened));
        });
  };
  // The row's exam result with its learner and id; Ok holding nullopt, with
  // the row's error in `*wrong`, for a bad row.
  const auto make = [&](const CsvTable& table, const CsvRecord& row,
                        Status* wrong) -> Result<std::optional<exports::DuoExamResult>> {
    auto r = ExamFromFields([&](std::string_view field) { return table.Get(row, field); },
                            [&](std::string_view field, std::string_view message) {
                              return table.RowError(row, field, message);
                            });
    if (!r.ok()) {
      *wrong = r.status();
      return std::optional<exports::DuoExamResult>();
    }
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<std::string> person, find(r->bsn));
    if (!person.has_value()) {
      *wrong = table.RowError(row, "bsn", kUnknownBsn, StatusCode::kNotFound);
      return std::optional<exports::DuoExamResult>();
    }
    Complete(*r, *person);
    return std::optional<exports::DuoExamResult>(std::move(*r));
  };
  steps.row = [&](const CsvTable& table, const CsvRecord& row, CsvErrors& errors) -> Status {
    Status wrong;
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<exports::DuoExamResult> r, make(table, row, &wrong));
    if (!r.has_value()) {
      errors.Add(wrong);
      return Status::Ok();
    }
    // What is left to refuse once the fields parsed: a level with KNM or
    // ONA, or none with a language exam.
    if (Status s = exports::Validate(*r); !s.ok()) {
      errors.Add(table.RowError(row, "level", s.message()));
      return Status::Ok();
    }
    if (const int earlier = id_lines.Line(r->id); earlier > 0) {
      errors.Add(
          table.RowError(row, "",
                         fmt::format("the same exam of the same learner on the same day is also on "
                                     "line {}",
                                     earlier)));
      return Status::Ok();
    }
    id_lines.Keep(r->id, row.line);
    return AddRecord(*write, *r, table, row, errors).status();
  };
  steps.commit = [&] { return write->Commit(); };
  if (const int rc = StreamCsvImport(ctx, path, steps); rc != kExitOk) return rc;
  return PrintRecorded(
      ctx,
      [&](const std::function<void(std::string_view)>& emit) {
        return ForEachCsvRow(path, [&](const CsvTable& table, const CsvRecord& row) -> Status {
          Status wrong;
          PRESENTIE_ASSIGN_OR_RETURN(std::optional<exports::DuoExamResult> r,
                                     make(table, row, &wrong));
          if (r.has_value()) emit(r->id);
          return Status::Ok();
        });
      },
      write->result());
}

int RunExamsList(const Context& ctx, const std::string& learner) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto results = (*store)->ListExamResults();
  if (!results.ok()) return ctx.Fail(results.status());
  Json list = Json::array();
  Table table({"LEARNER", "BSN", "EXAM", "LEVEL", "RESULT", "TAKEN ON"});
  size_t shown = 0;
  for (const exports::DuoExamResult& r : *results) {
    if (!learner.empty() && r.learner_id != learner) continue;
    ++shown;
    if (ctx.json()) {
      list.push_back({{"learner", r.learner_id},
                      {"bsn", r.bsn},
                      {"exam", exports::ToString(r.exam)},
                      {"level", r.level == Level::kNone ? Json(nullptr) : Json(ToString(r.level))},
                      {"passed", r.passed},
                      {"taken_on", FormatDate(r.taken_on)}});
    } else {
      table.AddRow({r.learner_id, r.bsn, std::string(exports::ToString(r.exam)),
                    r.level == Level::kNone ? "-" : std::string(ToString(r.level)),
                    r.passed ? "passed" : "failed", FormatDate(r.taken_on)});
    }
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), list);
  } else if (shown == 0) {
    ctx.out() << "no exam results: DUO has sent none (they arrive with presentie sync)\n";
  } else {
    table.Print(ctx.out());
  }
  return kExitOk;
}

struct DutyFlags {
  std::string bsn;
  std::string status;
  std::string term_end;
  std::string date;
};

int RunDutyRecord(const Context& ctx, const DutyFlags& f) {
  exports::DuoDuty d;
  d.bsn = f.bsn;
  if (!IsValidBsn(d.bsn)) {
    return ctx.Fail(InvalidArgument("--bsn: not a valid BSN (9 digits, elfproef)"));
  }
  auto status = exports::ParseDutyStatus(f.status);
  if (!status.ok()) return ctx.Fail(FlagError("--status", status.status()));
  d.status = *status;
  if (!f.term_end.empty()) {
    auto end = ParseDate(f.term_end);
    if (!end.ok()) return ctx.Fail(FlagError("--term-end", end.status()));
    d.term_end = *end;
  }
  d.decided_on = LocalToday();
  if (!f.date.empty()) {
    auto date = ParseDate(f.date);
    if (!date.ok()) return ctx.Fail(FlagError("--date", date.status()));
    d.decided_on = *date;
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if ((*store)->info().role != Role::kDuo) {
    return ctx.Fail(PermissionDenied(fmt::format(
        "only DUO records a learner's duty status; this register's role is {} (a school's "
        "register receives it when it syncs with DUO's endpoint)",
        ToString((*store)->info().role))));
  }
  // The person the BSN names here, whichever schools sent them.
  auto person = (*store)->PersonByBsn(d.bsn);
  if (!person.ok()) return ctx.Fail(person.status());
  if (person->has_value()) d.learner_id = **person;
  if (d.learner_id.empty()) {
    return ctx.Fail(NotFound(
        "no school has sent a record of a learner with this BSN here; a duty status goes to "
        "the schools that did"));
  }
  d.id = exports::DuoDutyId(d.learner_id);
  if (Status s = exports::Validate(d); !s.ok()) {
    return ctx.Fail(InvalidArgument(s.message() + " (--term-end)"));
  }
  auto result = (*store)->RecordDuties(ctx.ActorFor(**store), std::vector{d});
  if (!result.ok()) return ctx.Fail(result.status());
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"id", d.id},
                          {"new", result->added},
                          {"changed", result->changed},
                          {"unchanged", result->unchanged}});
  } else {
    ctx.out() << d.id << '\n';
    ctx.Say(result->added + result->changed == 0
                ? "Recorded before with this content: nothing written."
                : "The school receives it at its next sync with this endpoint.");
  }
  return kExitOk;
}

int RunDutyList(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto duties = (*store)->ListDuties();
  if (!duties.ok()) return ctx.Fail(duties.status());
  Json list = Json::array();
  Table table({"LEARNER", "BSN", "STATUS", "TERM ENDS", "DECIDED ON"});
  for (const exports::DuoDuty& d : *duties) {
    const std::string end = d.term_end ? FormatDate(*d.term_end) : "";
    if (ctx.json()) {
      list.push_back({{"learner", d.learner_id},
                      {"bsn", d.bsn},
                      {"status", exports::ToString(d.status)},
                      {"term_end", d.term_end ? Json(end) : Json(nullptr)},
                      {"decided_on", FormatDate(d.decided_on)}});
    } else {
      table.AddRow({d.learner_id, d.bsn, std::string(exports::ToString(d.status)),
                    end.empty() ? "-" : end, FormatDate(d.decided_on)});
    }
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), list);
  } else if (duties->empty()) {
    ctx.out() << "no duty status: DUO has sent none (it arrives with presentie sync)\n";
  } else {
    table.Print(ctx.out());
  }
  return kExitOk;
}

}  // namespace

void AddDutyCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand(
      "duty", "DUO's view of each learner's integration duty: list; record (DUO's register)");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie duty list\n"
              "presentie --db duo.db duty record --bsn 111222333 --status extended "
              "--term-end 2027-12-31 --date 2026-12-03");
  CLI::App* list = noun->add_subcommand("list", "The duty statuses held here");
  list->callback([action] { *action = [](const Context& ctx) { return RunDutyList(ctx); }; });
  auto flags = std::make_shared<DutyFlags>();
  CLI::App* record = noun->add_subcommand(
      "record", "Record a learner's duty status (DUO's endpoint register only)");
  record->add_option("--bsn", flags->bsn, "The learner's BSN")->required();
  record->add_option("--status", flags->status, "running, extended, fulfilled or exempted")
      ->required();
  record->add_option("--term-end", flags->term_end,
                     "When the term ends (running and extended only)")
      ->option_text("YYYY-MM-DD");
  record->add_option("--date", flags->date, "The day DUO decided it (default: today)")
      ->option_text("YYYY-MM-DD");
  record->callback([action, flags] {
    *action = [flags](const Context& ctx) { return RunDutyRecord(ctx, *flags); };
  });
}

void AddExamsCommands(CLI::App& app, Action* action) {
  CLI::App* noun =
      app.add_subcommand("exams", "Exam results from DUO: list them; record them (DUO's register)");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie exams list\n"
              "presentie --db duo.db exams record --bsn 111222333 --exam lezen --level B1 "
              "--result passed --date 2026-12-03\n"
              "presentie --db duo.db exams import results.csv");

  auto learner = std::make_shared<std::string>();
  CLI::App* list = noun->add_subcommand("list", "The exam results held here");
  list->add_option("--learner", *learner, "Only this learner's");
  list->callback([action, learner] {
    *action = [learner](const Context& ctx) { return RunExamsList(ctx, *learner); };
  });

  auto flags = std::make_shared<ExamFlags>();
  CLI::App* record =
      noun->add_subcommand("record", "Record an exam result (DUO's endpoint register only)");
  record->add_option("--bsn", flags->bsn, "The learner's BSN")->required();
  record->add_option("--exam", flags->exam,
                     "lezen, luisteren, schrijven, spreken, knm, ona or staatsexamen_nt2")
      ->required();
  record->add_option("--level", flags->level, "A2 or B1 (not for knm and ona)");
  record->add_option("--result", flags->result, "passed or failed")->required();
  record->add_option("--date", flags->date, "The day the exam was taken")->required();
  record->callback([action, flags] {
    *action = [flags](const Context& ctx) { return RunExamsRecord(ctx, *flags); };
  });

  auto path = std::make_shared<std::string>();
  CLI::App* import = noun->add_subcommand(
      "import", "Import exam results from a CSV file (DUO's endpoint register only): all rows, "
                "or none if one is wrong");
  SetExamples(import,
              "presentie --db duo.db exams import results.csv\n"
              "# columns: bsn,exam,result,date[,level]");
  import->add_option("FILE", *path, "The CSV file")->required();
  import->callback([action, path] {
    *action = [path](const Context& ctx) { return RunExamsImport(ctx, *path); };
  });
}

}  // namespace presentie::cli
