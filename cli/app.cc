#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <utility>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/help.h"

namespace presentie::cli {

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
  AddInitCommand(app, &action);
  AddLearnerCommands(app, &action);
  AddCourseCommands(app, &action);
  AddLessonCommands(app, &action);
  AddAttendCommands(app, &action);
  AddReportCommands(app, &action);
  AddExportCommands(app, &action);
  AddSubmitCommands(app, &action);
  AddAbsencesCommands(app, &action);
  AddExamsCommands(app, &action);
  AddQualificationCommands(app, &action);
  AddBowCommands(app, &action);
  AddPipCommands(app, &action);
  AddNawCommands(app, &action);
  AddDutyCommands(app, &action);
  AddPersonsCommand(app, &action);
  AddContractCommands(app, &action);
  AddConflictsCommands(app, &action);
  AddExplainCommand(app, &action);
  AddAuditCommands(app, &action);
  AddConfigCommands(app, &action);
  AddKeyCommands(app, &action);
  AddRemoteCommands(app, &action);
  AddSyncCommand(app, &action);
  AddStatusCommand(app, &action);
  AddDebugCommands(app, &action);
  AddServeCommand(app, &action);

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
