// The help text of every command: a one-line summary, then examples, then the
// usage and options (STYLE.md: examples first), and on subcommands a reminder
// of the global options.
#ifndef PRESENTIE_CLI_HELP_H_
#define PRESENTIE_CLI_HELP_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

namespace presentie::cli {

// A formatter for the whole app tree. Install it on the root before adding
// subcommands (CLI11 copies it into each subcommand when it is created).
std::shared_ptr<CLI::Formatter> MakeHelpFormatter();

// Registers the examples of `app`, one command a line, shown under "Examples:"
// before the usage. `app` must use the formatter of MakeHelpFormatter.
void SetExamples(CLI::App* app, std::string examples);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_HELP_H_
