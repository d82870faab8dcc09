// presentie key rotate
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace presentie::cli {
namespace {

int RunRotate(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (Status s = (*store)->RotateKey(ctx.ActorFor(**store)); !s.ok()) return ctx.Fail(s);
  const std::string& file = (*store)->info().key_file;
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"rotated", true}, {"key_file", file}});
  } else {
    ctx.out() << fmt::format(
        "The register's key is replaced: every sealed field is sealed under the new key in {}.\n",
        file);
    ctx.Say(
        "Replace every copy of the old key with this one: the old key no longer opens the "
        "register, and register backups made before now still need the old one.");
  }
  return kExitOk;
}

}  // namespace

void AddKeyCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand("key", "The register's key, which seals its personal fields");
  noun->require_subcommand(1);
  SetExamples(noun, "presentie key rotate");
  CLI::App* rotate = noun->add_subcommand(
      "rotate", "Replace the register's key with a new one and seal every personal field anew");
  SetExamples(rotate, "presentie key rotate\nPRESENTIE_KEY_FILE=/etc/presentie/school.key "
                      "presentie key rotate");
  rotate->callback([action] { *action = [](const Context& ctx) { return RunRotate(ctx); }; });
}

}  // namespace presentie::cli
