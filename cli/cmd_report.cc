// presentie report hours|missing
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/hours_report.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/civil_time.h"

namespace presentie::cli {
namespace {

int RunHours(const Context& ctx, const std::string& learner_id, const std::string& as_of_text) {
  Date as_of = LocalToday();
  if (!as_of_text.empty()) {
    auto d = ParseDateOrToday(as_of_text);
    if (!d.ok()) return ctx.Fail(FlagError("--as-of", d.status()));
    as_of = *d;
  }
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
      rows.push_back(ComputeHours(lessons, as_of));
    }
  }
  if (rows.empty() && !learner_id.empty()) {
    // A learner with no lessons yet still has a report: all zeros.
    auto learner = (*store)->GetLearner(learner_id);
    if (!learner.ok()) return ctx.Fail(learner.status());
    rows.push_back(ComputeHours(storage::LearnerLessons{*learner, {}}, as_of));
  }
  if (ctx.json()) {
    Json list = Json::array();
    for (const LearnerHours& h : rows) list.push_back(ToJson(h));
    PrintJson(ctx.out(), list);
  } else {
    PrintHours(ctx.out(), rows);
    ctx.Say(fmt::format(
        "As of {}: the lessons after it are not counted (--as-of). Minutes on site count; "
        "remote minutes never do (R5). HOURS and COUNTED are whole hours, rounded down.",
        FormatDate(as_of)));
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

// Minutes since 1970-01-01 of a local time; for comparing a lesson's end.
int64_t MinuteOf(const DateTime& t) {
  return DaysSinceEpoch(t.date) * 24 * 60 + t.hour * 60 + t.minute;
}

int RunMissing(const Context& ctx, const std::string& from_text, const std::string& to_text) {
  std::optional<Date> from;
  std::optional<Date> to;
  if (!from_text.empty()) {
    auto d = ParseDateOrToday(from_text);
    if (!d.ok()) return ctx.Fail(FlagError("--from", d.status()));
    from = *d;
  }
  if (!to_text.empty()) {
    auto d = ParseDateOrToday(to_text);
    if (!d.ok()) return ctx.Fail(FlagError("--to", d.status()));
    to = *d;
  }
  if (from.has_value() && to.has_value() && *to < *from) {
    return ctx.Fail(InvalidArgument(
        fmt::format("--to: {} is before --from {}", FormatDate(*to), FormatDate(*from))));
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto missing = LessonsWithoutRollCall(**store, from, to, LocalNow());
  if (!missing.ok()) return ctx.Fail(missing.status());

  // Per course and teacher: how many, for the summary.
  std::map<std::pair<std::string, std::string>, int> counts;
  for (const Lesson& l : *missing) ++counts[{l.course_id, l.teacher}];
  if (ctx.json()) {
    Json lessons = Json::array();
    for (const Lesson& l : *missing) lessons.push_back(ToJson(l));
    Json groups = Json::array();
    for (const auto& [key, n] : counts) {
      groups.push_back({{"course", key.first}, {"teacher", key.second}, {"lessons", n}});
    }
    PrintJson(ctx.out(), {{"from", from ? Json(FormatDate(*from)) : Json(nullptr)},
                          {"to", to ? Json(FormatDate(*to)) : Json(nullptr)},
                          {"lessons", lessons},
                          {"by_course_and_teacher", groups}});
    return kExitOk;
  }
  if (missing->empty()) {
    ctx.Say("Every lesson that has ended has attendance recorded.");
    return kExitOk;
  }
  Table table({"COURSE", "TEACHER", "LESSON", "START", "MINUTES"});
  for (const Lesson& l : *missing) {
    table.AddRow({l.course_id, l.teacher, l.id, FormatDateTime(l.start),
                  std::to_string(l.duration_minutes)});
  }
  table.Print(ctx.out());
  ctx.Say(fmt::format(
      "{} {} ended without any attendance recorded ({} of a course and teacher). Record each "
      "with: presentie attend LESSON --all-present ...",
      missing->size(), missing->size() == 1 ? "lesson has" : "lessons have", counts.size()));
  return kExitOk;
}

}  // namespace

Result<std::vector<Lesson>> LessonsWithoutRollCall(storage::Store& store, std::optional<Date> from,
                                                   std::optional<Date> to, DateTime now) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<Lesson> lessons, store.ListLessons(std::nullopt));
  std::vector<Lesson> out;
  for (Lesson& l : lessons) {
    if (from.has_value() && l.start.date < *from) continue;
    if (to.has_value() && *to < l.start.date) continue;
    if (MinuteOf(l.start) + l.duration_minutes > MinuteOf(now)) continue;  // not ended yet
    PRESENTIE_ASSIGN_OR_RETURN(int64_t recorded, store.CountAttendance(l.id));
    if (recorded == 0) out.push_back(std::move(l));
  }
  std::stable_sort(out.begin(), out.end(), [](const Lesson& a, const Lesson& b) {
    return std::tie(a.course_id, a.teacher, a.start) < std::tie(b.course_id, b.teacher, b.start);
  });
  return out;
}

void AddReportCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand(
      "report", "Reports: hours per learner against the norms; lessons never recorded");
  noun->require_subcommand(1);
  SetExamples(noun, "presentie report hours\npresentie report hours --learner L1 --json");

  auto learner = std::make_shared<std::string>();
  auto as_of = std::make_shared<std::string>();
  CLI::App* hours = noun->add_subcommand(
      "hours",
      "Attended minutes per learner and component, R3 norm verdicts and R4 substantial effort");
  SetExamples(hours,
              "presentie report hours\n"
              "presentie report hours --learner L1\n"
              "presentie report hours --as-of 2026-12-31\n"
              "presentie report hours --json | python3 -m json.tool");
  hours->add_option("--learner", *learner, "Only this learner")->option_text("ID");
  hours
      ->add_option("--as-of", *as_of,
                   "Count the lessons up to and including this day (default: today)")
      ->option_text("DATE");
  hours->callback([action, learner, as_of] {
    *action = [learner, as_of](const Context& ctx) { return RunHours(ctx, *learner, *as_of); };
  });

  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  CLI::App* missing = noun->add_subcommand(
      "missing", "Lessons that have ended with no attendance recorded, per course and teacher");
  SetExamples(missing,
              "presentie report missing\n"
              "presentie report missing --from 2026-11-01 --to 2026-11-30 --json");
  missing->add_option("--from", *from, "From this day (or: today)")->option_text("DATE");
  missing->add_option("--to", *to, "Up to and including this day (or: today)")->option_text("DATE");
  missing->callback([action, from, to] {
    *action = [from, to](const Context& ctx) { return RunMissing(ctx, *from, *to); };
  });
}

}  // namespace presentie::cli
