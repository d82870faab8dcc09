// presentie status: per remote, what waits to be sent (and which of it
// corrects what the remote already holds), the last success and the last
// error; and what waits for a person here (open conflicts, refused versions).
#include <fmt/format.h>

#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "sync/status.h"

namespace presentie::cli {
namespace {

uint64_t Total(const sync::RemoteStatus& st, bool corrections) {
  uint64_t n = 0;
  for (const auto& w : st.waiting) n += corrections ? w.corrections : w.versions;
  return n;
}

Json OptionalTime(const std::optional<uint64_t>& ms) {
  return ms.has_value() ? Json(FormatUtcTime(*ms)) : Json(nullptr);
}

Json ToJson(const sync::RemoteStatus& st) {
  Json by_kind = Json::array();
  for (const auto& w : st.waiting) {
    by_kind.push_back({{"kind", storage::ToString(w.kind)},
                       {"versions", w.versions},
                       {"corrections", w.corrections}});
  }
  return {
      {"name", st.state.remote.name},
      {"url", st.state.remote.url},
      {"replica_id", st.state.replica_id.empty() ? Json(nullptr) : Json(st.state.replica_id)},
      {"role", st.state.role.has_value() ? Json(ToString(*st.state.role)) : Json(nullptr)},
      {"gemeente_code", st.state.gemeente_code.empty() ? Json(nullptr) : Json(st.state.gemeente_code)},
      {"last_ok_at", OptionalTime(st.state.last_ok_ms)},
      {"last_ok_ms", st.state.last_ok_ms.has_value() ? Json(*st.state.last_ok_ms) : Json(nullptr)},
      {"last_error_at", OptionalTime(st.state.last_error_ms)},
      {"last_error_ms", st.state.last_error_ms.has_value() ? Json(*st.state.last_error_ms) : Json(nullptr)},
      {"last_error", st.state.last_error.empty() ? Json(nullptr) : Json(st.state.last_error)},
      {"pushed_seq", st.cursor.pushed},
      {"pulled_seq", st.cursor.pulled},
      {"batch_pending", st.batch_pending},
      {"waiting",
       {{"versions", Total(st, false)}, {"corrections", Total(st, true)}, {"by_kind", by_kind}}}};
}

// "12 attendance (3 corrections), 1 lesson"
std::string WaitingText(const sync::RemoteStatus& st) {
  std::string text;
  for (const auto& w : st.waiting) {
    if (!text.empty()) text += ", ";
    text += fmt::format("{} {}", w.versions, storage::ToString(w.kind));
    if (w.corrections > 0) {
      text +=
          fmt::format(" ({} {})", w.corrections, w.corrections == 1 ? "correction" : "corrections");
    }
  }
  return text;
}

std::string LastErrorText(const sync::RemoteStatus& st) {
  if (!st.state.last_error_ms.has_value()) return "-";
  std::string text = FormatLocalTime(*st.state.last_error_ms) + ": " + st.state.last_error;
  // An error that a later sync got past is history, not the state.
  if (st.state.last_ok_ms.has_value() && *st.state.last_ok_ms > *st.state.last_error_ms) text += " (since synced)";
  return text;
}

int RunStatus(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto remotes = sync::RemoteStatuses(**store);
  if (!remotes.ok()) return ctx.Fail(remotes.status());
  auto conflicts = (*store)->ListConflicts(/*include_closed=*/false);
  if (!conflicts.ok()) return ctx.Fail(conflicts.status());
  auto refused = (*store)->ListRefused();
  if (!refused.ok()) return ctx.Fail(refused.status());
  auto last_seq = (*store)->LastChangeSeq();
  if (!last_seq.ok()) return ctx.Fail(last_seq.status());
  auto missing = LessonsWithoutRollCall(**store, std::nullopt, std::nullopt, LocalNow());
  if (!missing.ok()) return ctx.Fail(missing.status());

  if (ctx.json()) {
    Json list = Json::array();
    for (const auto& st : *remotes) list.push_back(ToJson(st));
    PrintJson(ctx.out(), {{"replica_id", (*store)->info().replica_id},
                          {"role", ToString((*store)->info().role)},
                          {"last_change_seq", *last_seq},
                          {"open_conflicts", conflicts->size()},
                          {"refused_versions", refused->size()},
                          {"lessons_without_roll_call", missing->size()},
                          {"remotes", list}});
    return kExitOk;
  }

  PrintKeyValues(
      ctx.out(),
      {{"register", fmt::format("{} ({}), {} changes", (*store)->info().replica_id,
                                ToString((*store)->info().role), *last_seq)},
       {"open conflicts",
        conflicts->empty() ? "0" : fmt::format("{} (presentie conflicts list)", conflicts->size())},
       {"refused versions",
        refused->empty() ? "0"
                         : fmt::format("{} (presentie conflicts refused)", refused->size())},
       {"lessons never recorded",
        missing->empty() ? "0" : fmt::format("{} (presentie report missing)", missing->size())}});
  ctx.out() << '\n';
  if (remotes->empty()) {
    ctx.out() << "no remotes: this register has synced with nothing (presentie remote add)\n";
    return kExitOk;
  }
  Table table({"REMOTE", "URL", "ROLE", "LAST SUCCESS", "WAITING", "CORRECTIONS", "LAST ERROR"});
  for (const auto& st : *remotes) {
    table.AddRow(
        {st.state.remote.name, st.state.remote.url, st.state.role.has_value() ? std::string(ToString(*st.state.role)) : "-",
         st.state.last_ok_ms.has_value() ? FormatLocalTime(*st.state.last_ok_ms) : "never",
         std::to_string(Total(st, false)), std::to_string(Total(st, true)), LastErrorText(st)});
  }
  table.Print(ctx.out());
  for (const auto& st : *remotes) {
    if (st.waiting.empty()) continue;
    ctx.out() << fmt::format("\n{} waits for: {}{}\n", st.state.remote.name, WaitingText(st),
                             st.batch_pending ? "; a batch was sent and not yet acknowledged" : "");
  }
  return kExitOk;
}

}  // namespace

void AddStatusCommand(CLI::App& app, Action* action) {
  CLI::App* cmd = app.add_subcommand(
      "status", "What waits to be sent to each remote, the last success and the last error");
  SetExamples(cmd, "presentie status\npresentie status --json");
  cmd->footer(
      "A correction is a version of a record the remote already holds: it reaches the remote as "
      "a\nnew version that supersedes the old one, never as a silent rewrite.");
  cmd->callback([action] { *action = [](const Context& ctx) { return RunStatus(ctx); }; });
}

}  // namespace presentie::cli
