// presentie config path: where the register is and who writes, and why.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace presentie::cli {
namespace {

int RunPath(const Context& ctx) {
  auto db = ctx.DbPath();
  if (!db.ok()) return ctx.Fail(db.status());
  const Resolved user = ctx.User();
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"db", db->value},
                          {"db_source", db->source},
                          {"user", user.value},
                          {"user_source", user.source}});
  } else {
    PrintKeyValues(ctx.out(), {{"db", db->value},
                               {"db_source", db->source},
                               {"user", user.value},
                               {"user_source", user.source}});
  }
  return kExitOk;
}

}  // namespace

void AddConfigCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand("config", "Show the settings in effect");
  noun->require_subcommand(1);
  SetExamples(noun, "presentie config path");
  CLI::App* path = noun->add_subcommand(
      "path", "Print the register's path and the user, and where each came from");
  SetExamples(path, "presentie config path\nPRESENTIE_DB=/tmp/r.db presentie config path --json");
  path->callback([action] { *action = [](const Context& ctx) { return RunPath(ctx); }; });
}

}  // namespace presentie::cli
