// The command line as a whole, in-process: parsing, help, usage errors and the
// register-less failures. The full scenarios run the real binary (tests/cli).
#include "cli/app.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "run_args.h"

namespace presentie::cli {
namespace app_test {

using testing::Outcome;
using testing::RunArgs;

TEST(App, HelpAtEveryLevelShowsExamplesFirst) {
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{"-h"},
                                             {"learner", "-h"},
                                             {"learner", "add", "-h"},
                                             {"attend", "--help"},
                                             {"attend", "import", "-h"},
                                             {"report", "hours", "-h"},
                                             {"audit", "verify", "-h"}}) {
    Outcome o = RunArgs(args);
    EXPECT_EQ(o.code, kExitOk) << args.back();
    const size_t examples = o.out.find("Examples:");
    const size_t usage = o.out.find("Usage:");
    ASSERT_NE(examples, std::string::npos) << o.out;
    EXPECT_LT(examples, usage) << o.out;
    EXPECT_EQ(o.err, "");
  }
}

// Run builds only the command its arguments name (cli/app.cc): the help
// without one, and the help after global options, still list every command.
TEST(App, HelpWithoutACommandListsEveryCommand) {
  const std::vector<std::string> commands = {
      "init",   "learner",  "course",   "lesson",        "attend",  "report",    "export",
      "submit", "absences", "exams",    "qualification", "bow",     "pip",       "naw",
      "duty",   "persons",  "contract", "invoice",       "diploma", "conflicts", "explain",
      "audit",  "config",   "key",      "remote",        "sync",    "status",    "serve"};
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"-h"}, {"--json", "-h"}, {"--db", "x.db", "--help"}, {"--user=jdv", "-h"}}) {
    Outcome o = RunArgs(args);
    EXPECT_EQ(o.code, kExitOk) << args.front();
    for (const std::string& command : commands) {
      EXPECT_NE(o.out.find("\n  " + command + " "), std::string::npos)
          << command << " missing after " << args.front() << ":\n"
          << o.out;
    }
  }
}

// Global options before the command, in each spelling, and a command
// mistyped: the same answers as with every command built.
TEST(App, GlobalOptionsBeforeTheCommand) {
  Outcome by_value = RunArgs({"--db", "/nonexistent/r.db", "--json", "lesson", "list"});
  Outcome by_equals = RunArgs({"--db=/nonexistent/r.db", "--user", "jdv", "lesson", "list"});
  EXPECT_EQ(by_value.code, kExitNoRegister) << by_value.err;
  EXPECT_EQ(by_equals.code, kExitNoRegister) << by_equals.err;
  Outcome typo = RunArgs({"--json", "lessen", "list"});
  EXPECT_EQ(typo.code, kExitUsage);
  EXPECT_NE(typo.err.find("presentie: error:"), std::string::npos) << typo.err;
  // A command's own flag before the command is an error, as it was.
  Outcome early = RunArgs({"--course", "nt2-a", "lesson", "list"});
  EXPECT_EQ(early.code, kExitUsage) << early.err;
}

TEST(App, Version) {
  Outcome o = RunArgs({"--version"});
  EXPECT_EQ(o.code, kExitOk);
  EXPECT_FALSE(o.out.empty());
}

TEST(App, UsageErrorsExitTwoOnStderr) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {},
           {"bogus"},
           {"learner"},
           {"learner", "add", "--id", "L1"},
           {"lesson", "add", "--course"},
           {"init", "--school", "x", "--brin", "25AB", "--role", "duo"},
           {"audit", "log", "--limit", "-3"}}) {
    Outcome o = RunArgs(args);
    EXPECT_EQ(o.code, kExitUsage) << (args.empty() ? "" : args.back());
    EXPECT_EQ(o.out, "");
    EXPECT_NE(o.err.find("presentie: error:"), std::string::npos) << o.err;
  }
}

TEST(App, AttendNeedsALessonAndFlags) {
  EXPECT_EQ(RunArgs({"attend"}).code, kExitUsage);
  EXPECT_EQ(RunArgs({"attend", "lesson-1"}).code, kExitUsage);
}

TEST(App, InvalidBsnFailsBeforeTheRegisterIsOpened) {
  Outcome o = RunArgs({"learner", "add", "--id", "L1", "--bsn", "123456789", "--name", "A",
                       "--category", "family_migrant", "--regime", "wi2021", "--route", "B"});
  EXPECT_EQ(o.code, kExitInvalidData);
  EXPECT_NE(o.err.find("--bsn"), std::string::npos);
  EXPECT_EQ(o.err.find("123456789"), std::string::npos) << "a BSN in an error message";
}

TEST(App, MissingRegisterExitsTenWithAHint) {
  Outcome o = RunArgs({"--db", "/nonexistent-presentie/r.db", "learner", "list"});
  EXPECT_EQ(o.code, kExitNoRegister);
  EXPECT_NE(o.err.find("presentie init"), std::string::npos);
}

TEST(App, GlobalOptionsWorkAfterTheCommand) {
  Outcome o = RunArgs({"config", "path", "--db", "/x/r.db", "--json", "--user", "anna"});
  EXPECT_EQ(o.code, kExitOk) << o.err;
  EXPECT_NE(o.out.find("\"db\": \"/x/r.db\""), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\"user\": \"anna\""), std::string::npos) << o.out;
}

}  // namespace app_test
}  // namespace presentie::cli
