#include "cli/help.h"

#include <map>
#include <sstream>

namespace presentie::cli {
namespace {

class HelpFormatter : public CLI::Formatter {
 public:
  void SetExamples(const CLI::App* app, std::string examples) {
    examples_[app] = std::move(examples);
  }

  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override {
    if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
    std::ostringstream out;
    out << make_description(app);
    if (auto it = examples_.find(app); it != examples_.end()) {
      out << "\nExamples:\n";
      std::istringstream lines(it->second);
      for (std::string line; std::getline(lines, line);) out << "  " << line << '\n';
      out << '\n';
    }
    out << make_usage(app, name);
    out << make_positionals(app);
    out << make_groups(app, mode);
    out << make_subcommands(app, mode);
    if (app->get_parent() != nullptr) {
      out << "\nGlobal options (before or after the command):\n"
             "  --db PATH    the register (default: $PRESENTIE_DB, else\n"
             "               $XDG_DATA_HOME/presentie/register.db)\n"
             "  --json       stable JSON on stdout instead of a table\n"
             "  --user NAME  who is writing (default: $PRESENTIE_USER, else $USER)\n";
    }
    out << '\n' << make_footer(app);
    return out.str();
  }

 private:
  std::map<const CLI::App*, std::string> examples_;
};

}  // namespace

std::shared_ptr<CLI::Formatter> MakeHelpFormatter() { return std::make_shared<HelpFormatter>(); }

void SetExamples(CLI::App* app, std::string examples) {
  auto formatter = std::dynamic_pointer_cast<HelpFormatter>(app->get_formatter());
  if (formatter) formatter->SetExamples(app, std::move(examples));
}

}  // namespace presentie::cli
