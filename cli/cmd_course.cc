// presentie course add|list|show|enroll|unenroll
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/civil_time.h"
#include "core/ids.h"

namespace presentie::cli {
namespace {

struct CourseFlags {
  std::string id;
  std::string name;
  std::string component;
  std::string regime;
  std::string route;
  std::string start;
  std::string end;
  std::string hours_purchased;
};

Result<Course> CourseFromFlags(const CourseFlags& f) {
  Course c;
  c.id = f.id;
  if (Status s = ValidateRecordKey(c.id, "course id"); !s.ok()) return FlagError("--id", s);
  c.name = f.name;
  auto component = ParseComponent(f.component);
  if (!component.ok()) return FlagError("--component", component.status());
  c.component = *component;
  auto regime = ParseRegime(f.regime);
  if (!regime.ok()) return FlagError("--regime", regime.status());
  c.regime = *regime;
  if (!f.route.empty()) {
    auto route = ParseRoute(f.route);
    if (!route.ok()) return FlagError("--route", route.status());
    c.route = *route;
  }
  if (!f.start.empty()) {
    auto date = ParseDate(f.start);
    if (!date.ok()) return FlagError("--start", date.status());
    c.start_date = *date;
  }
  if (!f.end.empty()) {
    auto date = ParseDate(f.end);
    if (!date.ok()) return FlagError("--end", date.status());
    c.end_date = *date;
  }
  if (!f.hours_purchased.empty()) {
    auto hours = ParseInt(f.hours_purchased, 0, 9999);
    if (!hours.ok()) return FlagError("--hours-purchased", hours.status());
    c.hours_purchased = *hours;
  }
  if (Status s = Validate(c); !s.ok()) return s;
  return c;
}

int RunAdd(const Context& ctx, const CourseFlags& flags) {
  auto course = CourseFromFlags(flags);
  if (!course.ok()) return ctx.Fail(course.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (Status s = (*store)->AddCourse(ctx.ActorFor(**store), *course); !s.ok()) {
    return ctx.Fail(s);
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), ToJson(*course));
  } else {
    ctx.out() << course->id << '\n';
    ctx.Say(fmt::format("Added course {}. Next: presentie course enroll {} LEARNER...", course->id,
                        course->id));
  }
  return kExitOk;
}

int RunCourseList(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto courses = (*store)->ListCourses();
  if (!courses.ok()) return ctx.Fail(courses.status());
  Json list = Json::array();
  Table table({"ID", "NAME", "COMPONENT", "REGIME", "ROUTE", "START", "END", "HOURS_PURCHASED",
               "ENROLLED"});
  for (const Course& c : *courses) {
    auto enrollments = (*store)->ListEnrollments(c.id);
    if (!enrollments.ok()) return ctx.Fail(enrollments.status());
    Json enrolled = Json::array();
    for (const Enrollment& e : *enrollments) {
      if (e.active) enrolled.push_back(e.learner_id);
    }
    Json entry = ToJson(c);
    entry["enrolled"] = enrolled;
    list.push_back(entry);
    table.AddRow({c.id, c.name, std::string(ToString(c.component)), std::string(ToString(c.regime)),
                  OrDash(ToString(c.route)), c.start_date ? FormatDate(*c.start_date) : "-",
                  c.end_date ? FormatDate(*c.end_date) : "-", std::to_string(c.hours_purchased),
                  std::to_string(enrolled.size())});
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), list);
  } else {
    table.Print(ctx.out());
    if (courses->empty()) ctx.Say("No courses yet: presentie course add ...");
  }
  return kExitOk;
}

// A course, its learners (enrolled now, and those whose enrolment ended)
// and its lessons with how many learners each has recorded.
int RunCourseShow(const Context& ctx, const std::string& course_id) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto course = (*store)->GetCourse(course_id);
  if (!course.ok()) return ctx.Fail(course.status());
  auto enrollments = (*store)->ListEnrollments(course_id);
  if (!enrollments.ok()) return ctx.Fail(enrollments.status());
  auto learners = LoadLearners(**store);
  if (!learners.ok()) return ctx.Fail(learners.status());
  auto lessons = (*store)->ListLessons(course_id);
  if (!lessons.ok()) return ctx.Fail(lessons.status());

  Json learner_list = Json::array();
  Table learner_table({"LEARNER", "NAME", "ENROLMENT"});
  size_t active = 0;
  for (const Enrollment& e : *enrollments) {
    auto learner = learners->find(e.learner_id);
    if (learner == learners->end()) continue;  // synced before its learner arrived
    active += e.active ? 1 : 0;
    learner_list.push_back({{"learner", e.learner_id}, {"active", e.active}});
    learner_table.AddRow({e.learner_id, learner->second.name, e.active ? "enrolled" : "ended"});
  }
  Json lesson_list = Json::array();
  Table lesson_table({"LESSON", "START", "MINUTES", "TEACHER", "RECORDED"});
  const DateTime now = LocalNow();
  size_t unrecorded_past = 0;
  for (const Lesson& l : *lessons) {
    auto recorded = (*store)->CountAttendance(l.id);
    if (!recorded.ok()) return ctx.Fail(recorded.status());
    if (*recorded == 0 && l.start < now) ++unrecorded_past;
    Json entry = ToJson(l);
    entry["recorded"] = *recorded;
    lesson_list.push_back(entry);
    lesson_table.AddRow({l.id, FormatDateTime(l.start), std::to_string(l.duration_minutes),
                         l.teacher, std::to_string(*recorded)});
  }
  if (ctx.json()) {
    Json out = ToJson(*course);
    out["learners"] = learner_list;
    out["lessons"] = lesson_list;
    PrintJson(ctx.out(), out);
    return kExitOk;
  }
  PrintKeyValues(
      ctx.out(),
      {{"course", course->id},
       {"name", course->name},
       {"component", std::string(ToString(course->component))},
       {"regime", std::string(ToString(course->regime))},
       {"route", OrDash(ToString(course->route))},
       {"dates", fmt::format("{} to {}", course->start_date ? FormatDate(*course->start_date) : "-",
                             course->end_date ? FormatDate(*course->end_date) : "-")},
       {"learners", fmt::format("{} enrolled, {} ended", active, learner_list.size() - active)},
       {"lessons",
        fmt::format("{} ({} past without a roll call)", lessons->size(), unrecorded_past)}});
  ctx.out() << "\n";
  learner_table.Print(ctx.out());
  ctx.out() << "\n";
  lesson_table.Print(ctx.out());
  return kExitOk;
}

// course enroll (end = false) and course unenroll (end = true).
int RunRoster(const Context& ctx, const std::string& course_id,
              const std::vector<std::string>& learner_ids, bool end) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (auto course = (*store)->GetCourse(course_id); !course.ok()) {
    return ctx.Fail(course.status());
  }
  // Name every unknown learner, not only the first.
  std::vector<Status> missing;
  for (const std::string& id : learner_ids) {
    if (auto learner = (*store)->GetLearner(id); !learner.ok()) missing.push_back(learner.status());
  }
  if (!missing.empty()) {
    return ctx.FailAll(missing, end ? "no enrolment was ended" : "nobody was enrolled");
  }
  const storage::Actor actor = ctx.ActorFor(**store);
  Status s = end ? (*store)->EndEnrollment(actor, course_id, learner_ids)
                 : (*store)->Enroll(actor, course_id, learner_ids);
  if (!s.ok()) return ctx.Fail(end ? s.WithContext("no enrolment was ended") : s);
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"course", course_id}, {"learners", learner_ids}, {"active", !end}});
  } else {
    for (const std::string& id : learner_ids) ctx.out() << id << '\n';
    const std::string who =
        learner_ids.size() == 1 ? "1 learner" : fmt::format("{} learners", learner_ids.size());
    ctx.Say(end ? fmt::format("Ended the enrolment of {} in course {}; recorded lessons keep "
                              "counting.",
                              who, course_id)
                : fmt::format("Enrolled {} in course {}.", who, course_id));
  }
  return kExitOk;
}

}  // namespace

void AddCourseCommands(CLI::App& app, Action* action) {
  CLI::App* noun =
      app.add_subcommand("course", "Add and list courses; enrol learners and end enrolments");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie course add --id nt2-a --name 'NT2 groep A' --component nt2 "
              "--regime wi2021 --route B\n"
              "presentie course enroll nt2-a L1 L2 L3\n"
              "presentie course list");

  auto flags = std::make_shared<CourseFlags>();
  CLI::App* add = noun->add_subcommand("add", "Add a course");
  SetExamples(add,
              "presentie course add --id nt2-a --name 'NT2 groep A' --component nt2 "
              "--regime wi2021 --route B --start 2026-09-01 --end 2027-06-30 "
              "--hours-purchased 400\n"
              "presentie course add --id knm-1 --name 'KNM' --component knm --regime wi2021 "
              "--route B");
  add->add_option("--id", flags->id, "The school's key for the course")
      ->option_text("ID REQUIRED")
      ->required();
  add->add_option("--name", flags->name, "The course's name")
      ->option_text("NAME REQUIRED")
      ->required();
  add->add_option("--component", flags->component, "What it teaches")
      ->option_text("nt2|knm|literacy REQUIRED")
      ->required();
  add->add_option("--regime", flags->regime, "The regime of its learners")
      ->option_text("wi2013|wi2021 REQUIRED")
      ->required();
  add->add_option("--route", flags->route, "The leerroute it serves (Wi2021)")
      ->option_text("B|O|Z");
  add->add_option("--start", flags->start, "First day, YYYY-MM-DD")->option_text("DATE");
  add->add_option("--end", flags->end, "Last day, YYYY-MM-DD")->option_text("DATE");
  add->add_option("--hours-purchased", flags->hours_purchased,
                  "Hours purchased, for DUO's monthly file (0..9999)")
      ->option_text("N");
  add->callback(
      [action, flags] { *action = [flags](const Context& ctx) { return RunAdd(ctx, *flags); }; });

  CLI::App* list = noun->add_subcommand("list", "List the courses and how many are enrolled");
  SetExamples(list, "presentie course list\npresentie course list --json");
  list->callback([action] { *action = [](const Context& ctx) { return RunCourseList(ctx); }; });

  auto course = std::make_shared<std::string>();
  CLI::App* show =
      noun->add_subcommand("show", "A course: its learners, and its lessons with what is recorded");
  SetExamples(show, "presentie course show nt2-a\npresentie course show nt2-a --json");
  show->add_option("COURSE", *course, "The course's id")->required();
  show->callback([action, course] {
    *action = [course](const Context& ctx) { return RunCourseShow(ctx, *course); };
  });

  auto learners = std::make_shared<std::vector<std::string>>();
  CLI::App* enroll = noun->add_subcommand(
      "enroll", "Enrol learners in a course (the roster that attend --all-present marks)");
  SetExamples(enroll, "presentie course enroll nt2-a L1 L2 L3");
  enroll->add_option("COURSE", *course, "The course's id")->required();
  enroll->add_option("LEARNER", *learners, "The learners' ids")->required();
  enroll->callback([action, course, learners] {
    *action = [course, learners](const Context& ctx) {
      return RunRoster(ctx, *course, *learners, /*end=*/false);
    };
  });

  CLI::App* unenroll = noun->add_subcommand(
      "unenroll",
      "End learners' enrolment in a course: recorded lessons keep counting, later ones no "
      "longer list them");
  SetExamples(unenroll, "presentie course unenroll nt2-a L3");
  unenroll->add_option("COURSE", *course, "The course's id")->required();
  unenroll->add_option("LEARNER", *learners, "The learners' ids")->required();
  unenroll->callback([action, course, learners] {
    *action = [course, learners](const Context& ctx) {
      return RunRoster(ctx, *course, *learners, /*end=*/true);
    };
  });
}

}  // namespace presentie::cli
