#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <exception>
#include <string_view>
#include <utility>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/help.h"

namespace presentie::cli {

namespace {

// The top-level commands, in the order `presentie -h` lists them, with the
// function that adds each (a few add more than one).
struct CommandGroup {
  std::array<std::string_view, 3> names;
  void (*add)(CLI::App& app, Action* action);
};
constexpr CommandGroup kCommandGroups[] = {
    {{"init"}, AddInitCommand},
    {{"learner"}, AddLearnerCommands},
    {{"course"}, AddCourseCommands},
    {{"lesson"}, AddLessonCommands},
    {{"attend"}, AddAttendCommands},
    {{"report"}, AddReportCommands},
    {{"export"}, AddExportCommands},
    {{"submit"}, AddSubmitCommands},
    {{"absences"}, AddAbsencesCommands},
    {{"exams"}, AddExamsCommands},
    {{"qualification"}, AddQualificationCommands},
    {{"bow"}, AddBowCommands},
    {{"pip"}, AddPipCommands},
    {{"naw"}, AddNawCommands},
    {{"duty"}, AddDutyCommands},
    {{"persons"}, AddPersonsCommand},
    {{"contract", "invoice", "diploma"}, AddContractCommands},
    {{"conflicts"}, AddConflictsCommands},
    {{"explain"}, AddExplainCommand},
    {{"audit"}, AddAuditCommands},
    {{"config"}, AddConfigCommands},
    {{"key"}, AddKeyCommands},
    {{"remote"}, AddRemoteCommands},
    {{"sync"}, AddSyncCommand},
    {{"status"}, AddStatusCommand},
    {{"debug"}, AddDebugCommands},
    {{"serve"}, AddServeCommand},
};

// The command `args` names: its first word that is neither a global
// option nor such an option's value; "" when there is none or an argument
// before it is not a global option (then every command is built and CLI11
// says what is wrong).
std::string_view NamedCommand(const std::vector<std::string>& args) {
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--db" || arg == "--user") {
      ++i;  // its value
    } else if (arg == "--json" || arg.starts_with("--db=") || arg.starts_with("--user=")) {
      continue;
    } else if (!arg.empty() && arg.front() != '-') {
      return arg;
    } else {
      return "";  // -h, --version, or something CLI11 should name
    }
  }
  return "";
}

}  // namespace

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, EnvLookup env) {
  CLI::App app{"presentie: the attendance register of a taalschool; works offline.", "presentie"};
  // Set before any subcommand exists: CLI11 copies these into each one.
  app.formatter(MakeHelpFormatter());
  app.fallthrough();  // global options work after the command too
  app.require_subcommand(1);
  app.set_version_flag("--version", PRESENTIE_VERSION, "Print the version and exit");
  SetExamples(&app,
              "presentie init --school 'Taalschool De Brug' --brin 25AB\n"
              "presentie learner import learners.csv\n"
              "presentie attend nt2-a-20261130-0900 --all-present --absent L2:ziek\n"
              "presentie report hours --json\n"
              "presentie conflicts list\n"
              "presentie explain nt2-a-20261130-0900/L2");
  app.footer(
      "Exit codes: 0 ok, 1 failure, 2 usage, 5 invalid data, 6 not found, 7 already "
      "exists,\n8 audit chain broken, 9 permission denied, 10 no register, 11 register "
      "locked,\n3 rejected items need a person, 4 offline (retry later), 12 authentication "
      "failed.\nMore: docs/cli.md.");

  GlobalOptions globals;
  app.add_option("--db", globals.db,
                 "The register file (default: $PRESENTIE_DB, else "
                 "$XDG_DATA_HOME/presentie/register.db, else "
                 "~/.local/share/presentie/register.db)")
      ->option_text("PATH");
  app.add_flag("--json", globals.json, "Print stable JSON on stdout instead of a table");
  app.add_option("--user", globals.user,
                 "Who is writing, for the audit log (default: $PRESENTIE_USER, else $USER)")
      ->option_text("NAME");

  Action action;
  // Only the command the arguments name is built when they name one: the
  // whole tree (some 400 options) cost a few milliseconds of every run,
  // `presentie sync` from a timer included. Help, a mistyped command and
  // anything unclear get every command, as before.
  const std::string_view named = NamedCommand(args);
  bool added = false;
  for (const CommandGroup& group : kCommandGroups) {
    if (!named.empty() &&
        std::find(group.names.begin(), group.names.end(), named) != group.names.end()) {
      group.add(app, &action);
      added = true;
    }
  }
  // `presentie --version` needs none.
  const bool version_only = args.size() == 2 && args[1] == "--version";
  if (!added && !version_only) {
    for (const CommandGroup& group : kCommandGroups) group.add(app, &action);
  }

  // CLI11 takes the arguments in reverse order, without the program name.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  if (!reversed.empty()) reversed.pop_back();
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // -h, --help-all, --version
      app.exit(e, out, err);
      return kExitOk;
    }
    err << "presentie: error: " << e.what() << '\n' << "Run with -h for the usage and examples.\n";
    return kExitUsage;
  }
  if (!action) {
    err << "presentie: error: no command given\nRun with -h for the usage and examples.\n";
    return kExitUsage;
  }
  const Context context(std::move(globals), std::move(env), out, err);
  try {
    return action(context);
  } catch (const std::exception& e) {
    // Commands report expected failures as values; this is a bug or a
    // library failure (out of memory, a third-party exception).
    err << "presentie: internal error: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace presentie::cli
