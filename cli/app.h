// The `presentie` program as a function, so that main() stays a line and tests
// can run the whole command line in-process.
#ifndef PRESENTIE_CLI_APP_H_
#define PRESENTIE_CLI_APP_H_

#include <ostream>
#include <string>
#include <vector>

#include "cli/context.h"

namespace presentie::cli {

// Parses `args` (args[0] is the program name), runs the selected command with
// stdout `out`, stderr `err` and the environment `env`, and returns the exit
// code (cli/exit_codes.h). -h and --version print to `out` and return 0; a
// command line CLI11 cannot parse prints the reason to `err` and returns
// kExitUsage.
int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, EnvLookup env);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_APP_H_
