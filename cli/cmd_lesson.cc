// presentie lesson add|import|list|show
#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/csv.h"
#include "cli/exit_codes.h"
#include "cli/import_stream.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/civil_time.h"
#include "core/classification.h"
#include "core/ids.h"

namespace presentie::cli {
namespace {

// The longest weekly series --weekly-until plans: five school years.
constexpr int kMaxWeeks = 5 * 52;

// "2026-12-21 2026-12-28": the words of a field, split at blanks and commas.
std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find_first_of(" \t,", at);
    const size_t stop = end == std::string_view::npos ? text.size() : end;
    if (stop > at) words.push_back(text.substr(at, stop - at));
    at = stop + 1;
  }
  return words;
}

// The lessons that the fields of `lesson add` (its flags, or a row of
// `lesson import`: kLessonRequired, kLessonOptional) describe: one, or one
// a week up to and including weekly_until. `error` names the field.
Result<std::vector<Lesson>> LessonsFromFields(const FieldGetter& get, const FieldError& error) {
  for (std::string_view field : kLessonRequired) {
    if (get(field).empty()) return error(field, "a value is required");
  }
  Lesson l;
  l.course_id = std::string(get("course"));
  if (Status s = ValidateRecordKey(l.course_id, "course id"); !s.ok()) {
    return error("course", s.message());
  }
  auto start = ParseDateTime(get("start"));
  if (!start.ok()) return error("start", start.status().message());
  l.start = *start;
  auto minutes = ParseInt(get("minutes"), 1, 720);
  if (!minutes.ok()) return error("minutes", minutes.status().message());
  l.duration_minutes = *minutes;
  l.teacher = std::string(get("teacher"));
  std::optional<Date> until;
  if (const std::string_view text = get("weekly_until"); !text.empty()) {
    auto date = ParseDate(text);
    if (!date.ok()) return error("weekly_until", date.status().message());
    if (*date < l.start.date) {
      return error("weekly_until", fmt::format("{} is before the first lesson's date {}", text,
                                               FormatDate(l.start.date)));
    }
    if (DaysSinceEpoch(*date) - DaysSinceEpoch(l.start.date) >= 7 * kMaxWeeks) {
      return error("weekly_until",
                   fmt::format("{} is more than {} weeks after the first lesson", text, kMaxWeeks));
    }
    if (!get("id").empty()) {
      return error("id",
                   "an id names one lesson: leave it out with a weekly series (each lesson gets "
                   "COURSE-YYYYMMDD-HHMM)");
    }
    until = *date;
  }
  l.id = get("id").empty() ? DefaultLessonId(l.course_id, FormatDateTime(l.start))
                           : std::string(get("id"));
  if (Status s = ValidateRecordKey(l.id, "lesson id"); !s.ok()) return error("id", s.message());
  if (Status s = Validate(l); !s.ok()) return error("", s.message());
  // The dates of the series not to plan (holidays): each must be one of the
  // series' own dates, so a typing error is not a lesson planned silently.
  std::set<Date> skip;
  if (const std::string_view text = get("skip"); !text.empty()) {
    if (!until.has_value()) {
      return error("skip",
                   "skips dates of a weekly series: give weekly_until too, or leave the lesson "
                   "out");
    }
    for (std::string_view word : SplitWords(text)) {
      auto date = ParseDate(word);
      if (!date.ok()) return error("skip", date.status().message());
      const int64_t offset = DaysSinceEpoch(*date) - DaysSinceEpoch(l.start.date);
      if (offset < 0 || offset % 7 != 0 || *date > *until) {
        return error("skip", fmt::format("{} is not a date of the series (weekly from {} to {})",
                                         word, FormatDate(l.start.date), FormatDate(*until)));
      }
      skip.insert(*date);
    }
  }
  std::vector<Lesson> lessons;
  const int64_t last = until.has_value() ? DaysSinceEpoch(*until) : DaysSinceEpoch(l.start.date);
  for (int64_t day = DaysSinceEpoch(l.start.date); day <= last; day += 7) {
    Lesson next = l;
    next.start.date = DateFromDaysSinceEpoch(day);
    if (skip.contains(next.start.date)) continue;
    if (day != DaysSinceEpoch(l.start.date)) {
      next.id = DefaultLessonId(next.course_id, FormatDateTime(next.start));
    }
    lessons.push_back(std::move(next));
  }
  if (lessons.empty()) return error("skip", "every date of the series is skipped: no lesson left");
  return lessons;
}

using LessonFlags = std::map<std::string, std::string, std::less<>>;

Result<std::vector<Lesson>> LessonsFromFlags(const LessonFlags& flags) {
  auto get = [&](std::string_view field) -> std::string_view {
    auto it = flags.find(field);
    return it == flags.end() ? std::string_view() : TrimBlanks(it->second);
  };
  auto error = [](std::string_view field, std::string_view message) -> Status {
    if (field.empty()) return InvalidArgument(std::string(message));
    return InvalidArgument(fmt::format("{}: {}", FlagName(field), message));
  };
  return LessonsFromFields(get, error);
}

int RunLessonAdd(const Context& ctx, const LessonFlags& flags) {
  auto lessons = LessonsFromFlags(flags);
  if (!lessons.ok()) return ctx.Fail(lessons.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  const Lesson& first = lessons->front();
  if (auto course = (*store)->GetCourse(first.course_id); !course.ok()) {
    return ctx.Fail(course.status());
  }
  if (lessons->size() == 1) {
    if (Status s = (*store)->AddLesson(ctx.ActorFor(**store), first); !s.ok()) {
      return ctx.Fail(s);
    }
  } else {
    // A weekly series: every lesson, or none.
    auto write = (*store)->BeginLessons(ctx.ActorFor(**store), "lesson.add");
    if (!write.ok()) return ctx.Fail(write.status());
    for (const Lesson& l : *lessons) {
      if (Status s = (*write)->Add(l); !s.ok()) {
        return ctx.Fail(s.WithContext("no lesson of the series was planned"));
      }
    }
    if (Status s = (*write)->Commit(); !s.ok()) return ctx.Fail(s);
  }
  if (ctx.json()) {
    if (lessons->size() == 1) {
      PrintJson(ctx.out(), ToJson(first));
    } else {
      Json list = Json::array();
      for (const Lesson& l : *lessons) list.push_back(ToJson(l));
      PrintJson(ctx.out(), list);
    }
  } else {
    for (const Lesson& l : *lessons) ctx.out() << l.id << '\n';
    if (lessons->size() == 1) {
      ctx.Say(
          fmt::format("Planned lesson {} ({} minutes). After it: presentie attend {} "
                      "--all-present ...",
                      first.id, first.duration_minutes, first.id));
    } else {
      const auto skipped = flags.find("skip");
      const size_t skips =
          skipped == flags.end() ? 0 : SplitWords(TrimBlanks(skipped->second)).size();
      ctx.Say(fmt::format("Planned {} weekly lessons ({} minutes), {} to {}{}.", lessons->size(),
                          first.duration_minutes, FormatDateTime(first.start),
                          FormatDateTime(lessons->back().start),
                          skips == 0 ? "" : fmt::format(", skipping {}", skips)));
    }
  }
  return kExitOk;
}

// The register's answer about a lesson of a row, as the row's error: the
// column it is about (an unknown course; an id that exists).
Status LessonRowError(const CsvTable& table, const CsvRecord& row, const Status& s) {
  switch (s.code()) {
    case StatusCode::kNotFound:
      return table.RowError(row, "course", s.message(), s.code());
    case StatusCode::kAlreadyExists:
      return table.RowError(
          row, "id",
          fmt::format("{} (in the register, or on an earlier line of this file)", s.message()),
          s.code());
    default:
      return table.RowError(row, "", s.message(), s.code());
  }
}

struct CourseCount {
  int lessons = 0;
  DateTime first;
  DateTime last;
};

// Reads the file row by row and writes each row's lessons at once, inside
// one transaction (Store::BeginLessons; StreamCsvImport), as RunAttendImport
// does: bounded memory whatever the file's size, and nothing written if a
// row is bad.
int RunLessonImport(const Context& ctx, const std::string& path) {
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::LessonWrite> write;
  std::map<std::string, CourseCount> counts;  // by course: bounded by the courses
  size_t imported = 0;
  CsvImportSteps steps;
  steps.required = kLessonRequired;
  steps.optional = kLessonOptional;
  steps.begin = [&] {
    return BeginImport<storage::LessonWrite>(ctx, path, store, write, [&](storage::Store& opened) {
      return opened.BeginLessons(ctx.ActorFor(opened), "lesson.import");
    });
  };
  steps.row = [&](const CsvTable& table, const CsvRecord& row, CsvErrors& errors) -> Status {
    auto get = [&](std::string_view field) { return table.Get(row, field); };
    auto error = [&](std::string_view field, std::string_view message) {
      return table.RowError(row, field, message);
    };
    auto lessons = LessonsFromFields(get, error);
    if (!lessons.ok()) {
      errors.Add(lessons.status());
      return Status::Ok();
    }
    for (const Lesson& l : *lessons) {
      if (Status s = write->Add(l); !s.ok()) {
        if (!storage::LessonWrite::AboutTheRecord(s)) return s;
        errors.Add(LessonRowError(table, row, s));
        break;
      }
      ++imported;
      CourseCount& c = counts[l.course_id];
      if (c.lessons++ == 0 || l.start < c.first) c.first = l.start;
      if (c.lessons == 1 || c.last < l.start) c.last = l.start;
    }
    return Status::Ok();
  };
  steps.commit = [&] {
    if (imported > 0) return write->Commit();
    ctx.Say(fmt::format("{} has no lesson rows; nothing to import.", path));
    return Status::Ok();
  };
  if (const int rc = StreamCsvImport(ctx, path, steps); rc != kExitOk) return rc;
  if (ctx.json()) {
    Json per_course = Json::array();
    for (const auto& [id, c] : counts) {
      per_course.push_back({{"course", id},
                            {"lessons", c.lessons},
                            {"first", FormatDateTime(c.first)},
                            {"last", FormatDateTime(c.last)}});
    }
    PrintJson(ctx.out(), {{"imported", imported}, {"courses", per_course}});
  } else {
    Table out({"COURSE", "LESSONS", "FIRST", "LAST"});
    for (const auto& [id, c] : counts) {
      out.AddRow({id, std::to_string(c.lessons), FormatDateTime(c.first), FormatDateTime(c.last)});
    }
    out.Print(ctx.out());
    if (imported > 0) ctx.Say(fmt::format("Imported {} lessons from {}.", imported, path));
  }
  return kExitOk;
}

struct ListFilter {
  std::string course;
  std::string teacher;
  std::string date;  // one day
  std::string week;  // the week (Monday to Sunday) of a day
};

int RunLessonList(const Context& ctx, const ListFilter& f) {
  std::optional<Date> from;
  std::optional<Date> to;
  if (!f.date.empty()) {
    auto day = ParseDateOrToday(f.date);
    if (!day.ok()) return ctx.Fail(FlagError("--date", day.status()));
    from = to = *day;
  }
  if (!f.week.empty()) {
    auto day = ParseDateOrToday(f.week);
    if (!day.ok()) return ctx.Fail(FlagError("--week", day.status()));
    // 1970-01-01 was a Thursday: days since a Monday are (days + 3) mod 7.
    const int64_t days = DaysSinceEpoch(*day);
    const int64_t monday = days - ((days % 7 + 7 + 3) % 7);
    from = DateFromDaysSinceEpoch(monday);
    to = DateFromDaysSinceEpoch(monday + 6);
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  std::optional<std::string_view> filter;
  if (!f.course.empty()) {
    if (auto c = (*store)->GetCourse(f.course); !c.ok()) return ctx.Fail(c.status());
    filter = f.course;
  }
  auto lessons = (*store)->ListLessons(filter);
  if (!lessons.ok()) return ctx.Fail(lessons.status());
  Json list = Json::array();
  Table table({"ID", "COURSE", "START", "MINUTES", "TEACHER", "RECORDED"});
  size_t shown = 0;
  for (const Lesson& l : *lessons) {
    if (from.has_value() && (l.start.date < *from || *to < l.start.date)) continue;
    if (!f.teacher.empty() && l.teacher != f.teacher) continue;
    auto recorded = (*store)->CountAttendance(l.id);
    if (!recorded.ok()) return ctx.Fail(recorded.status());
    Json entry = ToJson(l);
    entry["recorded"] = *recorded;
    list.push_back(entry);
    table.AddRow({l.id, l.course_id, FormatDateTime(l.start), std::to_string(l.duration_minutes),
                  l.teacher, std::to_string(*recorded)});
    ++shown;
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), list);
  } else {
    table.Print(ctx.out());
    if (lessons->empty()) {
      ctx.Say("No lessons yet: presentie lesson add ...");
    } else if (shown == 0) {
      ctx.Say(fmt::format("None of the {} lessons matches.", lessons->size()));
    }
  }
  return kExitOk;
}

// The class list of a lesson: everyone enrolled in its course and anyone
// else with an attendance for it, each with their record or "not recorded".
int RunLessonShow(const Context& ctx, const std::string& lesson_id) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto view = LoadLessonView(**store, lesson_id);
  if (!view.ok()) return ctx.Fail(view.status());
  const Lesson* lesson = &view->lesson;
  const LearnerMap* learners = &view->learners;

  std::map<std::string, const Attendance*> by_learner;
  for (const Attendance& a : view->records) by_learner.emplace(a.learner_id, &a);
  std::set<std::string> enrolled;
  for (const Enrollment& e : view->roster) {
    if (e.active) enrolled.insert(e.learner_id);
  }
  std::set<std::string> ids = enrolled;
  for (const Attendance& a : view->records) ids.insert(a.learner_id);

  const bool past = !(LocalNow() < lesson->start);
  size_t waiting = 0;
  Json rows = Json::array();
  Table table({"LEARNER", "NAME", "STATUS", "MINUTES", "NOTIFIED", "REASON", "CLASSIFICATION"});
  for (const std::string& id : ids) {
    auto learner = learners->find(id);
    if (learner == learners->end()) continue;  // synced before its learner arrived
    auto it = by_learner.find(id);
    Json row = {{"learner", id}, {"enrolled", enrolled.contains(id)}};
    if (it == by_learner.end()) {
      ++waiting;
      row["recorded"] = false;
      table.AddRow({id, learner->second.name, "not recorded yet", "-", "-", "-", "-"});
    } else {
      const Attendance& a = *it->second;
      const ClassificationResult c = Classify(learner->second, a);
      row["recorded"] = true;
      row["attendance"] = ToJson(a);
      row["classification"] = ToString(c.value);
      row["rule"] = c.rule;
      table.AddRow({id, learner->second.name, std::string(ToString(a.status)),
                    std::to_string(a.minutes_present), a.notified_in_advance ? "yes" : "no",
                    a.reason == AbsenceReason::kNone ? "-" : std::string(ToString(a.reason)),
                    std::string(ToString(c.value))});
    }
    rows.push_back(row);
  }
  if (ctx.json()) {
    Json out = ToJson(*lesson);
    out["learners"] = rows;
    out["not_recorded"] = waiting;
    PrintJson(ctx.out(), out);
    return kExitOk;
  }
  PrintKeyValues(ctx.out(), {{"lesson", lesson->id},
                             {"course", lesson->course_id},
                             {"start", FormatDateTime(lesson->start)},
                             {"minutes", std::to_string(lesson->duration_minutes)},
                             {"teacher", lesson->teacher}});
  ctx.out() << '\n';
  table.Print(ctx.out());
  if (ids.empty()) {
    ctx.Say(fmt::format("Nobody is enrolled in course {}: presentie course enroll {} ID...",
                        lesson->course_id, lesson->course_id));
  } else if (waiting > 0) {
    ctx.Say(fmt::format("{} of {} not recorded yet{}: presentie attend {} ...", waiting, ids.size(),
                        past ? "" : " (the lesson has not started)", lesson->id));
  }
  return kExitOk;
}

}  // namespace

Result<LessonView> LoadLessonView(storage::Store& store, std::string_view lesson_id) {
  LessonView view;
  PRESENTIE_ASSIGN_OR_RETURN(view.lesson, store.GetLesson(lesson_id));
  PRESENTIE_ASSIGN_OR_RETURN(view.learners, LoadLearners(store));
  PRESENTIE_ASSIGN_OR_RETURN(view.roster, store.ListEnrollments(view.lesson.course_id));
  PRESENTIE_ASSIGN_OR_RETURN(view.records, store.ListAttendance(view.lesson.id));
  return view;
}

void AddLessonCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand("lesson", "Plan and list lessons");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 "
              "--teacher 'J. de Vries'\n"
              "presentie lesson import lessons.csv\n"
              "presentie lesson list --course nt2-a");

  auto flags = std::make_shared<LessonFlags>();
  CLI::App* add = noun->add_subcommand("add", "Plan a lesson (or one a week); prints its id");
  SetExamples(add,
              "presentie lesson add --course nt2-a --start 2026-11-30T09:00 --minutes 180 "
              "--teacher 'J. de Vries'\n"
              "  (prints the id nt2-a-20261130-0900)\n"
              "LESSON=$(presentie lesson add --course knm-1 --start '2026-12-01 13:30' "
              "--minutes 120 --teacher JdV)\n"
              "presentie lesson add --course nt2-a --start 2026-09-07T09:00 --minutes 180 "
              "--teacher JdV --weekly-until 2027-07-05\n"
              "  (every Monday at 09:00 up to and including 5 July 2027; prints each id)\n"
              "presentie lesson add --course nt2-a --start 2026-09-07T09:00 --minutes 180 "
              "--teacher JdV --weekly-until 2027-07-05 --skip 2026-12-28 --skip 2027-01-04\n"
              "  (the same, without the two Mondays of the Christmas holiday)");
  add->add_option("--course", (*flags)["course"], "The course's id")
      ->option_text("ID REQUIRED")
      ->required();
  add->add_option("--start", (*flags)["start"], "Local start time, 2026-11-30T09:00")
      ->option_text("DATETIME REQUIRED")
      ->required();
  add->add_option("--minutes", (*flags)["minutes"], "Length in minutes, 1..720")
      ->option_text("N REQUIRED")
      ->required();
  add->add_option("--teacher", (*flags)["teacher"], "Who teaches it (a name or staff code)")
      ->option_text("NAME REQUIRED")
      ->required();
  add->add_option("--id", (*flags)["id"], "The lesson's id (default: COURSE-YYYYMMDD-HHMM)")
      ->option_text("ID");
  add->add_option("--weekly-until", (*flags)["weekly_until"],
                  "Plan the lesson every week, same weekday and time, up to and including "
                  "this date (all or none; each gets the default id)")
      ->option_text("DATE");
  auto skips = std::make_shared<std::vector<std::string>>();
  add->add_option("--skip", *skips,
                  "With --weekly-until: a date of the series not to plan (a holiday); repeat it "
                  "for more")
      ->option_text("DATE");
  add->callback([action, flags, skips] {
    if (!skips->empty()) (*flags)["skip"] = fmt::format("{}", fmt::join(*skips, " "));
    *action = [flags](const Context& ctx) { return RunLessonAdd(ctx, *flags); };
  });

  auto path = std::make_shared<std::string>();
  CLI::App* import_cmd = noun->add_subcommand(
      "import", "Import lessons from a CSV file: all rows, or none if one is wrong");
  SetExamples(import_cmd,
              "presentie lesson import lessons.csv\n"
              "# lessons.csv (a header row; ',' or ';' between fields; UTF-8); the columns are\n"
              "# lesson add's flags: course,start,minutes,teacher[,id][,weekly_until][,skip]\n"
              "# (skip: the series' dates not to plan, separated by spaces)\n"
              "# course,start,minutes,teacher,id,weekly_until\n"
              "# nt2-a,2026-09-07T09:00,180,JdV,,2027-07-05\n"
              "# knm-1,2026-09-08T13:30,120,A. Bakker,knm-1-intro,");
  import_cmd->add_option("FILE", *path, "The CSV file")->required();
  import_cmd->callback([action, path] {
    *action = [path](const Context& ctx) { return RunLessonImport(ctx, *path); };
  });

  auto filter = std::make_shared<ListFilter>();
  CLI::App* list =
      noun->add_subcommand("list", "List lessons by start, with how many are recorded");
  SetExamples(list,
              "presentie lesson list --week today\n"
              "presentie lesson list --date 2026-11-30 --teacher 'J. de Vries'\n"
              "presentie lesson list --course nt2-a --json");
  list->add_option("--course", filter->course, "Only this course's lessons")->option_text("ID");
  list->add_option("--teacher", filter->teacher, "Only the lessons this teacher gives")
      ->option_text("NAME");
  CLI::Option* date =
      list->add_option("--date", filter->date, "Only the lessons of this day (or: today)")
          ->option_text("DATE");
  list->add_option("--week", filter->week,
                   "Only the lessons of this day's week, Monday to Sunday (or: today)")
      ->option_text("DATE")
      ->excludes(date);
  list->callback([action, filter] {
    *action = [filter](const Context& ctx) { return RunLessonList(ctx, *filter); };
  });

  auto shown = std::make_shared<std::string>();
  CLI::App* show =
      noun->add_subcommand("show", "A lesson and its class list: who is recorded, and who not yet");
  SetExamples(show,
              "presentie lesson show nt2-a-20261130-0900\n"
              "presentie lesson show nt2-a-20261130-0900 --json");
  show->add_option("LESSON", *shown, "The lesson's id")->required();
  show->callback([action, shown] {
    *action = [shown](const Context& ctx) { return RunLessonShow(ctx, *shown); };
  });
}

}  // namespace presentie::cli
