// The commands of `presentie`, one file each (cmd_*.cc). Each Add...Command
// adds its subcommands to the top-level app; when the parser selects one, its
// callback stores what to run in *action, which Run (app.cc) calls once the
// whole command line is parsed and the global options are known.
#ifndef PRESENTIE_CLI_COMMANDS_H_
#define PRESENTIE_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "cli/help.h"
#include "core/civil_time.h"
#include "core/domain.h"

namespace presentie::cli {

// A selected command: runs with the context and returns the exit code.
using Action = std::function<int(const Context&)>;

void AddInitCommand(CLI::App& app, Action* action);      // init
void AddLearnerCommands(CLI::App& app, Action* action);  // learner add|import|list|show
void AddCourseCommands(CLI::App& app, Action* action);   // course add|list|enroll|unenroll
void AddLessonCommands(CLI::App& app, Action* action);   // lesson add|list
void AddAttendCommands(CLI::App& app, Action* action);   // attend LESSON, attend import
void AddReportCommands(CLI::App& app, Action* action);   // report hours
void AddExportCommands(CLI::App& app, Action* action);   // export duo|gemeente
void AddSubmitCommands(CLI::App& app, Action* action);   // submit duo|gemeente|bow (cmd_export.cc)
void AddAbsencesCommands(CLI::App& app, Action* action);  // absences list|decide
void AddExamsCommands(CLI::App& app, Action* action);     // exams list|record
void AddQualificationCommands(CLI::App& app, Action* action);  // qualification add|import|list
void AddBowCommands(CLI::App& app, Action* action);            // bow list (cmd_bow.cc)
void AddPipCommands(CLI::App& app, Action* action);            // pip list|set
void AddNawCommands(CLI::App& app, Action* action);            // naw list|set (cmd_pip.cc)
void AddDutyCommands(CLI::App& app, Action* action);  // duty list|record (cmd_exams.cc)
void AddPersonsCommand(CLI::App& app, Action* action);  // persons (an authority's register)
// contract|invoice|diploma add|import|list (cmd_contracts.cc)
void AddContractCommands(CLI::App& app, Action* action);
void AddConflictsCommands(CLI::App& app, Action* action);  // conflicts list|show|resolve|refused
void AddExplainCommand(CLI::App& app, Action* action);   // explain ATTENDANCE | LESSON LEARNER
void AddAuditCommands(CLI::App& app, Action* action);    // audit verify|log
void AddConfigCommands(CLI::App& app, Action* action);   // config path|show|set
void AddKeyCommands(CLI::App& app, Action* action);      // key rotate
void AddRemoteCommands(CLI::App& app, Action* action);   // remote add|list|remove
void AddSyncCommand(CLI::App& app, Action* action);      // sync
void AddStatusCommand(CLI::App& app, Action* action);    // status
void AddDebugCommands(CLI::App& app, Action* action);    // debug dump (hidden)
void AddServeCommand(CLI::App& app, Action* action);     // serve, serve token

// Every learner of the register by id, for commands that classify (R2 needs
// the learner) many records at once (cmd_learner.cc).
using LearnerMap = std::map<std::string, Learner, std::less<>>;
Result<LearnerMap> LoadLearners(storage::Store& store);

// A lesson and what the commands about it read with it: every learner (R2
// classifies with them), its course's roster and its attendance records
// (cmd_lesson.cc; `attend` and `lesson show`). A missing lesson is kNotFound.
struct LessonView {
  Lesson lesson;
  LearnerMap learners;
  std::vector<Enrollment> roster;
  std::vector<Attendance> records;
};
Result<LessonView> LoadLessonView(storage::Store& store, std::string_view lesson_id);

// The lessons that ended before `now`, between `from` and `to` (dates
// inclusive, each optional), for which no learner has an attendance: the
// registers never filled in (cmd_report.cc). Ordered by course, teacher
// and start.
Result<std::vector<Lesson>> LessonsWithoutRollCall(storage::Store& store,
                                                   std::optional<Date> from,
                                                   std::optional<Date> to, DateTime now);

// A remote's bearer token from its file (cmd_remote.cc), without a trailing
// newline. kFailedPrecondition when group or others may read or write the
// file; kNotFound when it is missing; kInvalidArgument when it is empty.
Result<std::string> ReadTokenFile(const std::string& path);

// What a register is — replica id, path, school, BRIN, role, schema version —
// as key-values or, with --json, one object (cmd_config.cc; `init` and
// `config show` print it).
void PrintRegisterInfo(const Context& ctx, const std::string& path,
                       const storage::RegisterInfo& info);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_COMMANDS_H_
