#include "cli/hours_report.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "cli/output.h"

namespace presentie::cli {
namespace {

constexpr Component kComponents[] = {Component::kNt2, Component::kKnm, Component::kLiteracy};

Json MinutesJson(const ComponentMinutes& m) {
  return {
      {"attended_minutes", m.attended},
      {"attended_hours", WholeHours(m.attended)},
      {"remote_minutes", m.remote},
      {"excused_absent_minutes", m.excused_absent},
      {"unexcused_absent_minutes", m.unexcused_absent},
      {"pending_absent_minutes", m.pending_absent},
      {"lessons", m.lessons},
      {"unrecorded_lessons", m.unrecorded},
      {"disputed_minutes", m.disputed},
  };
}

bool HasAnything(const ComponentMinutes& m) { return m != ComponentMinutes{}; }

std::vector<std::string> MinutesCells(const LearnerHours& h, std::string component,
                                      const ComponentMinutes& m) {
  return {h.learner.id,
          h.learner.name,
          std::move(component),
          std::to_string(m.lessons),
          std::to_string(m.attended),
          std::to_string(WholeHours(m.attended)),
          std::to_string(m.remote),
          std::to_string(m.excused_absent),
          std::to_string(m.unexcused_absent),
          std::to_string(m.pending_absent),
          std::to_string(m.unrecorded),
          // A disputed figure is marked so that nobody reads it as settled.
          m.disputed == 0 ? "0" : fmt::format("{} !", m.disputed)};
}

}  // namespace

LearnerHours ComputeHours(const storage::LearnerLessons& lessons, std::optional<Date> as_of) {
  std::vector<LessonLine> kept;
  if (as_of.has_value()) {
    for (const LessonLine& line : lessons.lines) {
      if (!(*as_of < line.start.date)) kept.push_back(line);
    }
  }
  const std::vector<LessonLine>& lines = as_of.has_value() ? kept : lessons.lines;
  LearnerHours h;
  h.learner = lessons.learner;
  h.summary = Summarize(lessons.learner, lines);
  h.norms = EvaluateNorms(lessons.learner, h.summary);
  h.effort = SubstantialEffort(lessons.learner, lines);
  return h;
}

Json ToJson(const LearnerHours& h) {
  Json components = Json::object();
  for (Component c : kComponents) {
    components[std::string(ToString(c))] = MinutesJson(h.summary.of(c));
  }
  Json norms = Json::array();
  for (const NormVerdict& n : h.norms) {
    norms.push_back({
        {"norm", n.norm},
        {"applies", n.applies},
        {"counted_minutes", n.counted_minutes},
        {"counted_hours", WholeHours(n.counted_minutes)},
        {"norm_minutes", n.norm_minutes},
        {"norm_hours", n.norm_minutes / 60},
        {"met", n.met},
    });
  }
  const std::string_view route = ToString(h.learner.route);
  return {
      {"learner", h.learner.id},
      {"name", h.learner.name},
      {"category", ToString(h.learner.category)},
      {"regime", ToString(h.learner.regime)},
      {"route", route.empty() ? Json() : Json(route)},
      {"components", components},
      {"total", MinutesJson(h.summary.total())},
      {"norms", norms},
      {"substantial_effort",
       {
           {"verdict", ToString(h.effort.verdict)},
           {"unexcused_lessons", h.effort.unexcused_lessons},
           {"pending_lessons", h.effort.pending_lessons},
           {"unrecorded_lessons", h.effort.unrecorded_lessons},
       }},
  };
}

void PrintHours(std::ostream& out, std::span<const LearnerHours> rows) {
  Table minutes({"LEARNER", "NAME", "COMPONENT", "LESSONS", "ATTENDED_MIN", "HOURS", "REMOTE_MIN",
                 "EXCUSED_MIN", "UNEXCUSED_MIN", "PENDING_MIN", "UNRECORDED", "DISPUTED_MIN"});
  Table verdicts({"LEARNER", "ROUTE", "NORM", "COUNTED", "VERDICT", "SUBSTANTIAL_EFFORT"});
  for (const LearnerHours& h : rows) {
    bool any = false;
    for (Component c : kComponents) {
      if (!HasAnything(h.summary.of(c))) continue;
      minutes.AddRow(MinutesCells(h, std::string(ToString(c)), h.summary.of(c)));
      any = true;
    }
    if (!any) minutes.AddRow(MinutesCells(h, "-", ComponentMinutes{}));

    const std::string route = OrDash(ToString(h.learner.route));
    const std::string effort(ToString(h.effort.verdict));
    bool applies = false;
    for (const NormVerdict& n : h.norms) {
      if (!n.applies) continue;
      applies = true;
      verdicts.AddRow({h.learner.id, route, std::string(n.norm),
                       fmt::format("{}/{} h", WholeHours(n.counted_minutes), n.norm_minutes / 60),
                       n.met ? "met" : "not met", effort});
    }
    if (!applies) verdicts.AddRow({h.learner.id, route, "-", "-", "-", effort});
  }
  minutes.Print(out);
  out << '\n';
  verdicts.Print(out);
}

}  // namespace presentie::cli
