// presentie exams record|list and duty record|list: the exam results and
// the integration duty's status DUO sends back (docs/authorities.md, "Exam
// results from DUO").
//
// On DUO's endpoint register (the one its `presentie serve` keeps), `record`
// writes a result for a learner whose hours a school submitted there; the
// school pulls it at its next sync with DUO (only the school that sent that
// learner's hours). `list` shows the results a register holds.
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/exports.h"
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

int RunExamsRecord(const Context& ctx, const ExamFlags& f) {
  exports::DuoExamResult r;
  r.bsn = f.bsn;
  if (!IsValidBsn(r.bsn)) {
    return ctx.Fail(InvalidArgument("--bsn: not a valid BSN (9 digits, elfproef)"));
  }
  auto exam = exports::ParseDuoExam(f.exam);
  if (!exam.ok()) return ctx.Fail(FlagError("--exam", exam.status()));
  r.exam = *exam;
  auto level = ParseLevel(f.level);
  if (!level.ok()) return ctx.Fail(FlagError("--level", level.status()));
  r.level = *level;
  if (f.result != "passed" && f.result != "failed") {
    return ctx.Fail(InvalidArgument(
        fmt::format("--result: '{}' is not a result: give passed or failed", f.result)));
  }
  r.passed = f.result == "passed";
  auto date = ParseDate(f.date);
  if (!date.ok()) return ctx.Fail(FlagError("--date", date.status()));
  r.taken_on = *date;

  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if ((*store)->info().role != Role::kDuo) {
    return ctx.Fail(PermissionDenied(fmt::format(
        "only DUO records exam results; this register's role is {} (a school's register "
        "receives them when it syncs with DUO's endpoint)",
        ToString((*store)->info().role))));
  }
  // The learner as the school that reported their hours knows them.
  auto rows = (*store)->ListDuoHours();
  if (!rows.ok()) return ctx.Fail(rows.status());
  for (const exports::DuoHours& h : *rows) {
    if (h.bsn == r.bsn) {
      r.learner_id = h.learner_id;
      break;
    }
  }
  if (r.learner_id.empty()) {
    return ctx.Fail(NotFound(
        "no school has submitted hours of a learner with this BSN here; an exam result goes to "
        "the school that did"));
  }
  r.id = exports::DuoExamResultId(r.learner_id, r.exam, r.taken_on);
  auto result = (*store)->RecordExamResults(ctx.ActorFor(**store), std::vector{r});
  if (!result.ok()) return ctx.Fail(result.status());
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"id", r.id},
                          {"new", result->added},
                          {"changed", result->changed},
                          {"unchanged", result->unchanged}});
  } else {
    ctx.out() << r.id << '\n';
    ctx.Say(result->added + result->changed == 0
                ? "Recorded before with this content: nothing written."
                : "The school receives it at its next sync with this endpoint.");
  }
  return kExitOk;
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
  auto rows = (*store)->ListDuoHours();
  if (!rows.ok()) return ctx.Fail(rows.status());
  for (const exports::DuoHours& h : *rows) {
    if (h.bsn == d.bsn) {
      d.learner_id = h.learner_id;
      break;
    }
  }
  if (d.learner_id.empty()) {
    return ctx.Fail(NotFound(
        "no school has submitted hours of a learner with this BSN here; a duty status goes to "
        "the school that did"));
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
              "--result passed --date 2026-12-03");

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
}

}  // namespace presentie::cli
