// presentie lesson add|list
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/civil_time.h"
#include "core/ids.h"

namespace presentie::cli {
namespace {

struct LessonFlags {
  std::string course;
  std::string start;
  std::string minutes;
  std::string teacher;
  std::string id;
};

Result<Lesson> LessonFromFlags(const LessonFlags& f) {
  Lesson l;
  l.course_id = f.course;
  if (Status s = ValidateRecordKey(l.course_id, "course id"); !s.ok()) {
    return FlagError("--course", s);
  }
  auto start = ParseDateTime(f.start);
  if (!start.ok()) return FlagError("--start", start.status());
  l.start = *start;
  auto minutes = ParseInt(f.minutes, 1, 720);
  if (!minutes.ok()) return FlagError("--minutes", minutes.status());
  l.duration_minutes = *minutes;
  l.teacher = f.teacher;
  l.id = f.id.empty() ? DefaultLessonId(l.course_id, FormatDateTime(l.start)) : f.id;
  if (Status s = ValidateRecordKey(l.id, "lesson id"); !s.ok()) return FlagError("--id", s);
  if (Status s = Validate(l); !s.ok()) return s;
  return l;
}

int RunAdd(const Context& ctx, const LessonFlags& flags) {
  auto lesson = LessonFromFlags(flags);
  if (!lesson.ok()) return ctx.Fail(lesson.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (auto course = (*store)->GetCourse(lesson->course_id); !course.ok()) {
    return ctx.Fail(course.status());
  }
  if (Status s = (*store)->AddLesson(ctx.ActorFor(**store), *lesson); !s.ok()) {
    return ctx.Fail(s);
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), ToJson(*lesson));
  } else {
    ctx.out() << lesson->id << '\n';
    ctx.Say(
        fmt::format("Planned lesson {} ({} minutes). After it: presentie attend {} "
                    "--all-present ...",
                    lesson->id, lesson->duration_minutes, lesson->id));
  }
  return kExitOk;
}

int RunLessonList(const Context& ctx, const std::string& course) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  std::optional<std::string_view> filter;
  if (!course.empty()) {
    if (auto c = (*store)->GetCourse(course); !c.ok()) return ctx.Fail(c.status());
    filter = course;
  }
  auto lessons = (*store)->ListLessons(filter);
  if (!lessons.ok()) return ctx.Fail(lessons.status());
  Json list = Json::array();
  Table table({"ID", "COURSE", "START", "MINUTES", "TEACHER", "RECORDED"});
  for (const Lesson& l : *lessons) {
    auto attendance = (*store)->ListAttendance(l.id);
    if (!attendance.ok()) return ctx.Fail(attendance.status());
    Json entry = ToJson(l);
    entry["recorded"] = attendance->size();
    list.push_back(entry);
    table.AddRow({l.id, l.course_id, FormatDateTime(l.start), std::to_string(l.duration_minutes),
                  l.teacher, std::to_string(attendance->size())});
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), list);
  } else {
    table.Print(ctx.out());
    if (lessons->empty()) ctx.Say("No lessons yet: presentie lesson add ...");
  }
  return kExitOk;
}

}  // namespace

void AddLessonCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand("lesson", "Plan and list lessons");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 "
              "--teacher 'J. de Vries'\n"
              "presentie lesson list --course nt2-a");

  auto flags = std::make_shared<LessonFlags>();
  CLI::App* add = noun->add_subcommand("add", "Plan a lesson; prints its id");
  SetExamples(add,
              "presentie lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 "
              "--teacher 'J. de Vries'\n"
              "  (prints the id nt2-a-20261130-0900)\n"
              "LESSON=$(presentie lesson add --course knm-1 --start '2026-12-01 13:30' "
              "--minutes 120 --teacher JdV)");
  add->add_option("--course", flags->course, "The course's id")
      ->option_text("ID REQUIRED")
      ->required();
  add->add_option("--start", flags->start, "Local start time, 2026-11-30T09:00")
      ->option_text("DATETIME REQUIRED")
      ->required();
  add->add_option("--minutes", flags->minutes, "Length in minutes, 1..720")
      ->option_text("N REQUIRED")
      ->required();
  add->add_option("--teacher", flags->teacher, "Who teaches it (a name or staff code)")
      ->option_text("NAME REQUIRED")
      ->required();
  add->add_option("--id", flags->id, "The lesson's id (default: COURSE-YYYYMMDD-HHMM)")
      ->option_text("ID");
  add->callback(
      [action, flags] { *action = [flags](const Context& ctx) { return RunAdd(ctx, *flags); }; });

  auto course = std::make_shared<std::string>();
  CLI::App* list =
      noun->add_subcommand("list", "List lessons by start, with how many are recorded");
  SetExamples(list, "presentie lesson list\npresentie lesson list --course nt2-a --json");
  list->add_option("--course", *course, "Only this course's lessons")->option_text("ID");
  list->callback([action, course] {
    *action = [course](const Context& ctx) { return RunLessonList(ctx, *course); };
  });
}

}  // namespace presentie::cli
