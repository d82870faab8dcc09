// What every command needs besides its own flags: the global options, where
// the register is, who the user is, and the streams. Also the one place where
// a Status becomes a message on stderr and an exit code.
#ifndef PRESENTIE_CLI_CONTEXT_H_
#define PRESENTIE_CLI_CONTEXT_H_

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/store.h"

namespace presentie::cli {

// The options of the top-level app; they work before or after the command.
struct GlobalOptions {
  std::string db;     // --db PATH; empty when not given
  std::string user;   // --user NAME; empty when not given
  bool json = false;  // --json
};

// Reads an environment variable: nullopt when it is unset or empty. Commands
// get the environment through this, so tests can give them another one.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
// The process environment (getenv).
EnvLookup ProcessEnvironment();

// A resolved setting and where it came from ("--db", "PRESENTIE_DB", ...).
struct Resolved {
  std::string value;
  std::string source;
};

// The register's path: --db > PRESENTIE_DB > $XDG_DATA_HOME/presentie/register.db
// (only an absolute XDG_DATA_HOME counts, as the XDG spec says) >
// $HOME/.local/share/presentie/register.db. kNoRegister when none is set.
Result<Resolved> ResolveDbPath(std::string_view flag, const EnvLookup& env);
// The user recorded as the writer: --user > PRESENTIE_USER > USER > "unknown".
Resolved ResolveUser(std::string_view flag, const EnvLookup& env);
// Where a register's key comes from: the key itself in PRESENTIE_KEY, else
// the file PRESENTIE_KEY_FILE names, else "<register>.key" beside the
// register (docs/reliability.md, "At-rest encryption"). Never a flag: the
// command line is seen by every user of the machine.
storage::KeyLocation ResolveKeyLocation(const EnvLookup& env);

class Context {
 public:
  Context(GlobalOptions options, EnvLookup env, std::ostream& out, std::ostream& err);

  std::ostream& out() const { return out_; }
  std::ostream& err() const { return err_; }
  bool json() const { return options_.json; }
  const EnvLookup& env() const { return env_; }

  Result<Resolved> DbPath() const { return ResolveDbPath(options_.db, env_); }
  Resolved User() const { return ResolveUser(options_.user, env_); }

  // Opens the register at DbPath(). kNoRegister names the path.
  Result<std::unique_ptr<storage::Store>> OpenStore() const;
  // How this command opens or creates a register: where its key comes from.
  storage::StoreOptions RegisterOptions() const;
  // The writer of this command: the register's role, the resolved user.
  storage::Actor ActorFor(const storage::Store& store) const;

  // Prints "presentie: error: MESSAGE" on stderr, with a hint where one
  // helps (no register, register locked); returns ExitCodeFor(status).
  int Fail(const Status& status) const;
  // Prints each error (at most 20, then how many more), then `summary`;
  // returns the exit code of the first. `errors` must not be empty.
  int FailAll(std::span<const Status> errors, std::string_view summary) const;
  // The same for an import that kept only the first of its `total` errors.
  int FailAll(std::span<const Status> errors, size_t total, std::string_view summary) const;
  // Prints "presentie: error: MESSAGE" and a pointer to -h; returns kExitUsage.
  int UsageError(std::string_view message) const;
  // One line of talk for a person, on stderr.
  void Say(std::string_view text) const;

 private:
  GlobalOptions options_;
  EnvLookup env_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_CONTEXT_H_
