// presentie init: a new register for a school, with a new replica id.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "core/ids.h"

namespace presentie::cli {
namespace {

struct InitFlags {
  std::string school;
  std::string brin;
  std::string role = "admin";
};

// Creates the missing folders above `file`, each with mode 0700 (the XDG spec
// for data folders; the register holds personal data).
Status MakeParentFolders(const std::filesystem::path& file) {
  std::vector<std::filesystem::path> missing;
  for (auto dir = file.parent_path(); !dir.empty() && dir != dir.root_path();
       dir = dir.parent_path()) {
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) break;
    missing.push_back(dir);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) {
      const int err = errno;
      const std::string message =
          fmt::format("cannot create the folder {}: {}", it->string(), std::strerror(err));
      return err == EACCES || err == EPERM ? PermissionDenied(message) : Internal(message);
    }
  }
  return Status::Ok();
}

int RunInit(const Context& ctx, const InitFlags& flags) {
  if (Status s = ValidateBrin(flags.brin); !s.ok()) {
    return ctx.Fail(InvalidArgument("--brin: " + s.message()));
  }
  auto role = ParseRole(flags.role);
  if (!role.ok()) return ctx.Fail(role.status());
  auto path = ctx.DbPath();
  if (!path.ok()) return ctx.Fail(path.status());

  std::error_code ec;
  if (std::filesystem::exists(path->value, ec)) {
    return ctx.Fail(AlreadyExists(
        fmt::format("a register already exists at {}; keep using it, or choose another "
                    "file with --db",
                    path->value)));
  }
  if (Status s = MakeParentFolders(path->value); !s.ok()) return ctx.Fail(s);

  storage::InitOptions init;
  init.school_name = flags.school;
  init.brin = flags.brin;
  init.role = *role;
  auto store = storage::Store::Create(path->value, init, ctx.RegisterOptions());
  if (!store.ok()) return ctx.Fail(store.status());
  const storage::RegisterInfo& info = (*store)->info();

  PrintRegisterInfo(ctx, path->value, info);
  if (!ctx.json()) {
    // Without its key the register cannot be read: say where it is.
    if (!info.key_file.empty()) {
      ctx.Say(fmt::format(
          "The register's personal fields are sealed with the key in {} (mode 0600). Keep a "
          "copy of it apart from the register's backups: without it they cannot be read.",
          info.key_file));
    }
    ctx.Say(fmt::format(
        "Created the register of {}. Next: presentie learner add ... (or learner import "
        "FILE.csv), course add, lesson add.",
        info.school_name));
  }
  return kExitOk;
}

}  // namespace

void AddInitCommand(CLI::App& app, Action* action) {
  auto flags = std::make_shared<InitFlags>();
  CLI::App* cmd = app.add_subcommand("init", "Create the register of a school");
  SetExamples(cmd,
              "presentie init --school 'Taalschool De Brug' --brin 25AB\n"
              "presentie --db /srv/brug/register.db init --school 'De Brug' --brin 25AB "
              "--role teacher");
  cmd->add_option("--school", flags->school, "The school's name")
      ->option_text("NAME REQUIRED")
      ->required();
  cmd->add_option("--brin", flags->brin, "The school's BRIN code: 2 digits, 2 capitals")
      ->option_text("BRIN REQUIRED")
      ->required();
  cmd->add_option("--role", flags->role, "This device's role (default admin)")
      ->option_text("admin|teacher")
      ->check(CLI::IsMember({"admin", "teacher"}));
  cmd->callback(
      [action, flags] { *action = [flags](const Context& ctx) { return RunInit(ctx, *flags); }; });
}

}  // namespace presentie::cli
