#include "cli/context.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cli/exit_codes.h"

namespace presentie::cli {
namespace context_test {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

TEST(ResolveDbPath, Precedence) {
  auto env =
      FakeEnv({{"PRESENTIE_DB", "/env/r.db"}, {"XDG_DATA_HOME", "/xdg"}, {"HOME", "/home/t"}});
  EXPECT_EQ(ResolveDbPath("/flag/r.db", env)->value, "/flag/r.db");
  EXPECT_EQ(ResolveDbPath("/flag/r.db", env)->source, "--db");
  EXPECT_EQ(ResolveDbPath("", env)->value, "/env/r.db");
  EXPECT_EQ(ResolveDbPath("", env)->source, "PRESENTIE_DB");

  env = FakeEnv({{"XDG_DATA_HOME", "/xdg"}, {"HOME", "/home/t"}});
  EXPECT_EQ(ResolveDbPath("", env)->value, "/xdg/presentie/register.db");

  env = FakeEnv({{"HOME", "/home/t"}});
  EXPECT_EQ(ResolveDbPath("", env)->value, "/home/t/.local/share/presentie/register.db");
  EXPECT_EQ(ResolveDbPath("", env)->source, "HOME");
}

TEST(ResolveDbPath, RelativeXdgDataHomeIsIgnored) {
  auto env = FakeEnv({{"XDG_DATA_HOME", "relative/dir"}, {"HOME", "/home/t"}});
  EXPECT_EQ(ResolveDbPath("", env)->source, "HOME");
}

TEST(ResolveDbPath, EmptyVariablesCountAsUnset) {
  auto env = FakeEnv({{"PRESENTIE_DB", ""}, {"HOME", "/h"}});
  EXPECT_EQ(ResolveDbPath("", env)->source, "HOME");
}

TEST(ResolveDbPath, NothingSetIsNoRegister) {
  auto r = ResolveDbPath("", FakeEnv({}));
  EXPECT_EQ(r.status().code(), StatusCode::kNoRegister);
}

TEST(ResolveUser, Precedence) {
  auto env = FakeEnv({{"PRESENTIE_USER", "jdv"}, {"USER", "root"}});
  EXPECT_EQ(ResolveUser("anna", env).value, "anna");
  EXPECT_EQ(ResolveUser("", env).value, "jdv");
  EXPECT_EQ(ResolveUser("", FakeEnv({{"USER", "root"}})).value, "root");
  EXPECT_EQ(ResolveUser("", FakeEnv({})).value, "unknown");
}

TEST(ExitCodeFor, EveryStatusCode) {
  EXPECT_EQ(ExitCodeFor(StatusCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(StatusCode::kInternal), 1);
  EXPECT_EQ(ExitCodeFor(StatusCode::kFailedPrecondition), 1);
  EXPECT_EQ(ExitCodeFor(StatusCode::kUnavailable), 4);
  EXPECT_EQ(ExitCodeFor(StatusCode::kInvalidArgument), 5);
  EXPECT_EQ(ExitCodeFor(StatusCode::kNotFound), 6);
  EXPECT_EQ(ExitCodeFor(StatusCode::kAlreadyExists), 7);
  EXPECT_EQ(ExitCodeFor(StatusCode::kDataLoss), 8);
  EXPECT_EQ(ExitCodeFor(StatusCode::kPermissionDenied), 9);
  EXPECT_EQ(ExitCodeFor(StatusCode::kNoRegister), 10);
  EXPECT_EQ(ExitCodeFor(StatusCode::kBusy), 11);
}

TEST(Context, FailPrintsToStderrAndMapsTheCode) {
  std::ostringstream out;
  std::ostringstream err;
  Context ctx({}, FakeEnv({}), out, err);
  EXPECT_EQ(ctx.Fail(NotFound("learner 'L9' does not exist")), kExitNotFound);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(err.str(), "presentie: error: learner 'L9' does not exist\n");
}

TEST(Context, FailAllShowsEachErrorThenTheSummary) {
  std::ostringstream out;
  std::ostringstream err;
  Context ctx({}, FakeEnv({}), out, err);
  std::vector<Status> errors = {InvalidArgument("f.csv:2: a"), NotFound("f.csv:3: b")};
  EXPECT_EQ(ctx.FailAll(errors, "nothing was imported"), kExitInvalidData);
  EXPECT_EQ(err.str(),
            "presentie: error: f.csv:2: a\npresentie: error: f.csv:3: b\n"
            "presentie: nothing was imported\n");
}

// The key's location is resolved here, by the CLI, and handed to storage,
// which reads no environment: PRESENTIE_KEY over PRESENTIE_KEY_FILE over the
// file beside the register.
TEST(ResolveKeyLocation, Precedence) {
  const std::string hex(64, 'a');
  storage::KeyLocation both =
      ResolveKeyLocation(FakeEnv({{"PRESENTIE_KEY", hex}, {"PRESENTIE_KEY_FILE", "/k/file"}}));
  EXPECT_EQ(both.key_hex, hex);
  EXPECT_EQ(both.file, "");
  EXPECT_EQ(both.named_by, "PRESENTIE_KEY");

  storage::KeyLocation file = ResolveKeyLocation(FakeEnv({{"PRESENTIE_KEY_FILE", "/k/file"}}));
  EXPECT_EQ(file.key_hex, "");
  EXPECT_EQ(file.file, "/k/file");
  EXPECT_EQ(file.named_by, "PRESENTIE_KEY_FILE");

  storage::KeyLocation none = ResolveKeyLocation(FakeEnv({{"PRESENTIE_KEY", ""}}));
  EXPECT_EQ(none.key_hex, "");
  EXPECT_EQ(none.file, "");
  EXPECT_EQ(none.named_by, "");
}

}  // namespace context_test
}  // namespace presentie::cli
