// presentie debug dump: tools for tests and support, hidden from -h.
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace presentie::cli {
namespace {

int RunDump(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto dump = (*store)->CanonicalDump();
  if (!dump.ok()) return ctx.Fail(dump.status());
  ctx.out() << *dump;
  if (!dump->empty() && dump->back() != '\n') ctx.out() << '\n';
  return kExitOk;
}

}  // namespace

void AddDebugCommands(CLI::App& app, Action* action) {
  // An empty group hides the command from the top-level help.
  CLI::App* noun = app.add_subcommand("debug", "Tools for tests and support")->group("");
  noun->require_subcommand(1);
  SetExamples(noun, "presentie debug dump");
  CLI::App* dump = noun->add_subcommand(
      "dump",
      "Print every record with its live siblings, canonically: registers that have seen the "
      "same versions print the same bytes");
  SetExamples(dump,
              "presentie debug dump > a.txt && presentie --db other.db debug dump | cmp a.txt -");
  dump->callback([action] { *action = [](const Context& ctx) { return RunDump(ctx); }; });
}

}  // namespace presentie::cli
