// The `presentie` program. Everything else is in the presentie_cli library.
#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  return presentie::cli::Run(args, std::cout, std::cerr, presentie::cli::ProcessEnvironment());
}
