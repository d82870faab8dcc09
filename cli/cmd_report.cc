// presentie report hours
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/hours_report.h"
#include "cli/output.h"

namespace presentie::cli {
namespace {

int RunHours(const Context& ctx, const std::string& learner_id) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (!learner_id.empty()) {
    if (auto learner = (*store)->GetLearner(learner_id); !learner.ok()) {
      return ctx.Fail(learner.status());
    }
  }
  auto all = (*store)->LessonsByLearner();
  if (!all.ok()) return ctx.Fail(all.status());
  std::vector<LearnerHours> rows;
  for (const storage::LearnerLessons& lessons : *all) {
    if (learner_id.empty() || lessons.learner.id == learner_id) {
      rows.push_back(ComputeHours(lessons));
    }
  }
  if (rows.empty() && !learner_id.empty()) {
    // A learner with no lessons yet still has a report: all zeros.
    auto learner = (*store)->GetLearner(learner_id);
    if (!learner.ok()) return ctx.Fail(learner.status());
    rows.push_back(ComputeHours(storage::LearnerLessons{*learner, {}}));
  }
  if (ctx.json()) {
    Json list = Json::array();
    for (const LearnerHours& h : rows) list.push_back(ToJson(h));
    PrintJson(ctx.out(), list);
  } else {
    PrintHours(ctx.out(), rows);
    ctx.Say(
        "Minutes on site count; remote minutes never do (R5). HOURS and COUNTED are whole "
        "hours, rounded down.");
    int64_t disputed = 0;
    for (const LearnerHours& h : rows) disputed += h.summary.total().disputed;
    if (disputed > 0) {
      ctx.Say(fmt::format(
          "{} minutes (marked !) are of lessons whose versions disagree on presence: the figures "
          "show the value the rules chose until an admin resolves the conflict (presentie "
          "conflicts list).",
          disputed));
    }
  }
  return kExitOk;
}

}  // namespace

void AddReportCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand("report", "Reports: hours per learner against the norms");
  noun->require_subcommand(1);
  SetExamples(noun, "presentie report hours\npresentie report hours --learner L1 --json");

  auto learner = std::make_shared<std::string>();
  CLI::App* hours = noun->add_subcommand(
      "hours",
      "Attended minutes per learner and component, R3 norm verdicts and R4 substantial effort");
  SetExamples(hours,
              "presentie report hours\n"
              "presentie report hours --learner L1\n"
              "presentie report hours --json | python3 -m json.tool");
  hours->add_option("--learner", *learner, "Only this learner")->option_text("ID");
  hours->callback([action, learner] {
    *action = [learner](const Context& ctx) { return RunHours(ctx, *learner); };
  });
}

}  // namespace presentie::cli
