// presentie audit verify|log
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace presentie::cli {
namespace {

int RunVerify(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto report = (*store)->VerifyAudit();
  if (!report.ok()) return ctx.Fail(report.status());
  if (ctx.json()) {
    Json problems = Json::array();
    for (const storage::AuditProblem& p : report->problems) {
      problems.push_back({{"seq", p.seq}, {"kind", p.kind}, {"detail", p.detail}});
    }
    PrintJson(ctx.out(), {{"ok", report->ok()},
                          {"entries_checked", report->entries_checked},
                          {"changes_checked", report->changes_checked},
                          {"problems", problems}});
  }
  if (report->ok()) {
    if (!ctx.json()) {
      ctx.out() << fmt::format("audit chain verifies: {} entries, {} changes\n",
                               report->entries_checked, report->changes_checked);
    }
    return kExitOk;
  }
  for (const storage::AuditProblem& p : report->problems) {
    ctx.err() << fmt::format("presentie: audit entry {}: {}: {}\n", p.seq, p.kind, p.detail);
  }
  return ctx.Fail(DataLoss(fmt::format(
      "the audit chain does not verify: {} problems in {} entries; the register was changed "
      "outside presentie",
      report->problems.size(), report->entries_checked)));
}

int RunLog(const Context& ctx, int limit) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  // Read forward in pages, keeping the last `limit` entries (all when 0).
  std::vector<storage::AuditEntry> entries;
  constexpr int kPage = 1000;
  for (int64_t after = 0;;) {
    auto page = (*store)->AuditEntries(after, kPage);
    if (!page.ok()) return ctx.Fail(page.status());
    for (storage::AuditEntry& e : *page) entries.push_back(std::move(e));
    if (page->size() < static_cast<size_t>(kPage)) break;
    after = entries.back().seq;
    if (limit > 0 && entries.size() > static_cast<size_t>(limit)) {
      entries.erase(entries.begin(), entries.end() - limit);
    }
  }
  if (limit > 0 && entries.size() > static_cast<size_t>(limit)) {
    entries.erase(entries.begin(), entries.end() - limit);
  }
  if (ctx.json()) {
    Json list = Json::array();
    for (const storage::AuditEntry& e : entries) list.push_back(ToJson(e));
    PrintJson(ctx.out(), list);
    return kExitOk;
  }
  Table table({"SEQ", "TIME", "USER", "ROLE", "ACTION", "SUMMARY"});
  for (const storage::AuditEntry& e : entries) {
    table.AddRow({std::to_string(e.seq), FormatLocalTime(e.at_ms), e.actor.user,
                  std::string(ToString(e.actor.role)), e.action, e.summary});
  }
  table.Print(ctx.out());
  return kExitOk;
}

}  // namespace

void AddAuditCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand("audit", "Check and read the hash-chained audit log");
  noun->require_subcommand(1);
  SetExamples(noun, "presentie audit verify\npresentie audit log --limit 10");

  CLI::App* verify = noun->add_subcommand(
      "verify", "Check that no audit entry or change was altered, removed or reordered");
  SetExamples(verify, "presentie audit verify\npresentie audit verify --json");
  verify->callback([action] { *action = [](const Context& ctx) { return RunVerify(ctx); }; });

  auto limit = std::make_shared<int>(20);
  CLI::App* log = noun->add_subcommand("log", "Who changed what, newest last");
  SetExamples(log, "presentie audit log\npresentie audit log --limit 0 --json");
  log->add_option("--limit", *limit, "Show the last N entries; 0 shows all")
      ->check(CLI::NonNegativeNumber)
      ->option_text("N (default 20)");
  log->callback(
      [action, limit] { *action = [limit](const Context& ctx) { return RunLog(ctx, *limit); }; });
}

}  // namespace presentie::cli
