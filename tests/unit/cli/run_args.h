// Runs the `presentie` command line in-process (cli/app.h Run) with no
// environment but a HOME that does not exist, for the CLI unit tests.
#ifndef PRESENTIE_TESTS_UNIT_CLI_RUN_ARGS_H_
#define PRESENTIE_TESTS_UNIT_CLI_RUN_ARGS_H_

#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/app.h"

namespace presentie::cli::testing {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

inline Outcome RunArgs(std::vector<std::string> args) {
  args.insert(args.begin(), "presentie");
  std::ostringstream out;
  std::ostringstream err;
  auto env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "HOME") return "/nonexistent-presentie-home";
    return std::nullopt;
  };
  const int code = Run(args, out, err, env);
  return {code, out.str(), err.str()};
}

}  // namespace presentie::cli::testing

#endif  // PRESENTIE_TESTS_UNIT_CLI_RUN_ARGS_H_
