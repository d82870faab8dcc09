// presentie attend LESSON (the teacher's command) and attend import FILE.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/attend_plan.h"
#include "cli/commands.h"
#include "cli/csv.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/classification.h"
#include "core/ids.h"

namespace presentie::cli {
namespace {

std::string ClassificationText(const ClassificationResult& c) {
  std::string text(ToString(c.value));
  if (c.advisory) text += " (advice; the gemeente decides)";
  return text;
}

// The records just written, with R2's classification of each.
void PrintRecorded(const Context& ctx, const Lesson& lesson, const AttendPlan& plan,
                   const LearnerMap& learners) {
  if (ctx.json()) {
    Json recorded = Json::array();
    for (const Attendance& a : plan.records) {
      const ClassificationResult c = Classify(learners.at(a.learner_id), a);
      Json entry = ToJson(a);
      entry["classification"] = ToString(c.value);
      entry["rule"] = c.rule;
      entry["authority"] = ToString(c.authority);
      entry["advisory"] = c.advisory;
      recorded.push_back(entry);
    }
    PrintJson(ctx.out(), {{"lesson", lesson.id},
                          {"recorded", recorded},
                          {"kept", plan.kept},
                          {"not_enrolled", plan.not_enrolled}});
    return;
  }
  Table table({"LEARNER", "NAME", "STATUS", "MINUTES", "MODE", "NOTIFIED", "REASON",
               "CLASSIFICATION", "RULE"});
  for (const Attendance& a : plan.records) {
    const Learner& learner = learners.at(a.learner_id);
    const ClassificationResult c = Classify(learner, a);
    table.AddRow({a.learner_id, learner.name, std::string(ToString(a.status)),
                  std::to_string(a.minutes_present), std::string(ToString(a.mode)),
                  a.notified_in_advance ? "yes" : "no",
                  a.reason == AbsenceReason::kNone ? "-" : std::string(ToString(a.reason)),
                  ClassificationText(c), std::string(c.rule)});
  }
  table.Print(ctx.out());
}

int RunAttend(const Context& ctx, const std::string& lesson_id, const AttendFlags& flags) {
  if (lesson_id.empty()) {
    return ctx.UsageError("name the lesson first: presentie attend LESSON --all-present ...");
  }
  if (flags.empty()) {
    return ctx.UsageError(
        "say who was there: --all-present, --present ID..., --absent ID[:REASON]..., "
        "--notified ID..., --partial ID:MINUTES..., --remote ID..., --note ID:TEXT");
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto lesson = (*store)->GetLesson(lesson_id);
  if (!lesson.ok()) return ctx.Fail(lesson.status());
  auto learners = LoadLearners(**store);
  if (!learners.ok()) return ctx.Fail(learners.status());
  auto roster = (*store)->ListEnrollments(lesson->course_id);
  if (!roster.ok()) return ctx.Fail(roster.status());
  auto existing = (*store)->ListAttendance(lesson->id);
  if (!existing.ok()) return ctx.Fail(existing.status());

  auto exists = [&](std::string_view id) { return learners->contains(id); };
  auto plan = PlanAttendance(*lesson, flags, *roster, *existing, exists);
  if (!plan.ok()) {
    return ctx.Fail(
        plan.status().WithContext(fmt::format("nothing was recorded for {}", lesson_id)));
  }
  if (plan->records.empty()) {
    if (!plan->kept.empty()) {
      ctx.Say(
          fmt::format("Everyone on the roster of {} already has a record for {}; nothing "
                      "new to record. Name a learner to change their record.",
                      lesson->course_id, lesson->id));
      PrintRecorded(ctx, *lesson, *plan, *learners);
      return kExitOk;
    }
    return ctx.Fail(FailedPrecondition(fmt::format(
        "nothing to record: nobody is enrolled in course {}; enrol learners with `presentie "
        "course enroll {} ID...` or name them with --present",
        lesson->course_id, lesson->course_id)));
  }
  if (Status s = (*store)->RecordAttendance(ctx.ActorFor(**store), plan->records, "attend.record");
      !s.ok()) {
    return ctx.Fail(s.WithContext(fmt::format("nothing was recorded for {}", lesson_id)));
  }
  PrintRecorded(ctx, *lesson, *plan, *learners);
  if (!plan->kept.empty()) {
    ctx.Say(fmt::format("Kept the earlier records of {} (name them to change them).",
                        fmt::join(plan->kept, ", ")));
  }
  if (!plan->not_enrolled.empty()) {
    ctx.Say(fmt::format("Note: {} not enrolled in course {} (recorded anyway).",
                        fmt::join(plan->not_enrolled, ", "), lesson->course_id));
  }
  ctx.Say(fmt::format("Recorded {} learners for lesson {}.", plan->records.size(), lesson->id));
  return kExitOk;
}

// The column a validation message of core's Validate(Attendance) is about.
std::string_view AttendColumnOf(std::string_view message) {
  static constexpr std::string_view kWords[] = {
      "minutes_present", "minutes", "notified_in_advance", "notified", "notice", "reason", "mode",
      "status",          "note"};
  const std::string_view word = FieldInMessage(message, kWords);
  if (word.starts_with("minutes")) return "minutes";
  if (word.starts_with("notified") || word == "notice") return "notified";
  return word;
}

struct LessonCount {
  int records = 0;
  int present = 0;
  int partial = 0;
  int absent = 0;
};

int RunAttendImport(const Context& ctx, const std::string& path) {
  auto table = ReadCsvFile(path);
  if (!table.ok()) return ctx.Fail(table.status());
  if (Status s = table->CheckHeader(kAttendRequired, kAttendOptional); !s.ok()) return ctx.Fail(s);
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto learners = LoadLearners(**store);
  if (!learners.ok()) return ctx.Fail(learners.status());
  auto lesson_list = (*store)->ListLessons(std::nullopt);
  if (!lesson_list.ok()) return ctx.Fail(lesson_list.status());
  std::map<std::string, Lesson, std::less<>> lessons;
  for (const Lesson& l : *lesson_list) lessons[l.id] = l;

  // Validate every row first; write only when all pass.
  std::vector<Status> errors;
  std::vector<Attendance> records;
  std::map<std::string, int, std::less<>> line_of;  // attendance id -> line
  for (const CsvRecord& row : table->rows) {
    if (Status s = table->CheckWidth(row); !s.ok()) {
      errors.push_back(s);
      continue;
    }
    auto fail = [&](std::string_view column, std::string_view message,
                    StatusCode code = StatusCode::kInvalidArgument) {
      errors.push_back(table->RowError(row, column, message, code));
    };
    const std::string_view lesson_id = table->Get(row, "lesson");
    const std::string_view learner_id = table->Get(row, "learner");
    if (lesson_id.empty()) {
      fail("lesson", "a value is required");
      continue;
    }
    auto lesson = lessons.find(lesson_id);
    if (lesson == lessons.end()) {
      fail("lesson", fmt::format("lesson '{}' does not exist", lesson_id), StatusCode::kNotFound);
      continue;
    }
    if (learner_id.empty()) {
      fail("learner", "a value is required");
      continue;
    }
    if (!learners->contains(learner_id)) {
      fail("learner", fmt::format("learner '{}' does not exist", learner_id),
           StatusCode::kNotFound);
      continue;
    }
    Attendance a;
    a.lesson_id = std::string(lesson_id);
    a.learner_id = std::string(learner_id);
    a.id = AttendanceId(a.lesson_id, a.learner_id);
    const int duration = lesson->second.duration_minutes;

    auto status = ParseAttendanceStatus(table->Get(row, "status"));
    if (!status.ok()) {
      fail("status", status.status().message());
      continue;
    }
    a.status = *status;
    const std::string_view minutes = table->Get(row, "minutes");
    if (minutes.empty()) {
      if (a.status == AttendanceStatus::kPartial) {
        fail("minutes", "required for a partial attendance (the minutes the learner was there)");
        continue;
      }
      a.minutes_present = a.status == AttendanceStatus::kPresent ? duration : 0;
    } else if (auto m = ParseInt(minutes, 0, 24 * 60); m.ok()) {
      a.minutes_present = *m;
    } else {
      fail("minutes", m.status().message());
      continue;
    }
    if (const std::string_view mode = table->Get(row, "mode"); !mode.empty()) {
      auto parsed = ParseMode(mode);
      if (!parsed.ok()) {
        fail("mode", parsed.status().message());
        continue;
      }
      a.mode = *parsed;
    }
    auto notified = ParseYesNo(table->Get(row, "notified"));
    if (!notified.ok()) {
      fail("notified", notified.status().message());
      continue;
    }
    a.notified_in_advance = *notified;
    if (const std::string_view reason = table->Get(row, "reason"); !reason.empty()) {
      auto parsed = ParseAbsenceReason(reason);
      if (!parsed.ok()) {
        fail("reason", parsed.status().message());
        continue;
      }
      a.reason = *parsed;
    }
    a.note = std::string(table->Get(row, "note"));
    if (Status s = Validate(a, duration); !s.ok()) {
      fail(AttendColumnOf(s.message()), s.message());
      continue;
    }
    if (auto it = line_of.find(a.id); it != line_of.end()) {
      fail("", fmt::format("learner '{}' in lesson '{}' is also on line {}", a.learner_id,
                           a.lesson_id, it->second));
      continue;
    }
    line_of[a.id] = row.line;
    records.push_back(std::move(a));
  }
  if (!errors.empty()) {
    return ctx.FailAll(errors, fmt::format("nothing was imported from {} ({} of {} rows have "
                                           "errors); fix them and import the file again",
                                           path, errors.size(), table->rows.size()));
  }
  if (records.empty()) {
    ctx.Say(fmt::format("{} has no attendance rows; nothing to import.", path));
  } else if (Status s = (*store)->RecordAttendance(ctx.ActorFor(**store), records, "attend.import");
             !s.ok()) {
    return ctx.Fail(s.WithContext(fmt::format("{}: nothing was imported", path)));
  }

  std::map<std::string, LessonCount> counts;
  for (const Attendance& a : records) {
    LessonCount& c = counts[a.lesson_id];
    ++c.records;
    switch (a.status) {
      case AttendanceStatus::kPresent:
        ++c.present;
        break;
      case AttendanceStatus::kPartial:
        ++c.partial;
        break;
      case AttendanceStatus::kAbsent:
        ++c.absent;
        break;
    }
  }
  if (ctx.json()) {
    Json per_lesson = Json::array();
    for (const auto& [id, c] : counts) {
      per_lesson.push_back({{"lesson", id},
                            {"records", c.records},
                            {"present", c.present},
                            {"partial", c.partial},
                            {"absent", c.absent}});
    }
    PrintJson(ctx.out(), {{"imported", records.size()}, {"lessons", per_lesson}});
  } else {
    Table out({"LESSON", "RECORDS", "PRESENT", "PARTIAL", "ABSENT"});
    for (const auto& [id, c] : counts) {
      out.AddRow({id, std::to_string(c.records), std::to_string(c.present),
                  std::to_string(c.partial), std::to_string(c.absent)});
    }
    out.Print(ctx.out());
    if (!records.empty()) {
      ctx.Say(fmt::format("Imported {} attendance records from {}.", records.size(), path));
    }
  }
  return kExitOk;
}

}  // namespace

void AddAttendCommands(CLI::App& app, Action* action) {
  auto lesson = std::make_shared<std::string>();
  auto flags = std::make_shared<AttendFlags>();
  CLI::App* cmd = app.add_subcommand(
      "attend", "Record who attended a lesson (one command per lesson), or import a CSV");
  cmd->require_subcommand(0, 1);
  SetExamples(
      cmd,
      "presentie attend nt2-a-20261130-0900 --all-present\n"
      "presentie attend nt2-a-20261130-0900 --all-present --absent L2:illness --partial L3:90\n"
      "presentie attend nt2-a-20261130-0900 --notified L4 --absent L5:anders --remote L6\n"
      "presentie attend nt2-a-20261130-0900 --note 'L2:doctor letter seen'\n"
      "presentie attend import attendance.csv");
  cmd->add_option("LESSON", *lesson, "The lesson's id (from lesson add or lesson list)");
  cmd->add_flag("--all-present", flags->all_present,
                "Everyone enrolled who is not named otherwise and not yet recorded is present");
  cmd->add_option("--present", flags->present, "Present for the whole lesson")
      ->option_text("ID ...");
  cmd->add_option("--absent", flags->absent,
                  "Absent, optionally with the reason: illness, wedding, funeral, "
                  "religious_holiday, other, doubtful (or ziek, huwelijk, begrafenis, "
                  "feestdag, anders, twijfel)")
      ->option_text("ID[:REASON] ...");
  cmd->add_option("--notified", flags->notified, "Absent, and told the school in advance")
      ->option_text("ID ...");
  cmd->add_option("--partial", flags->partial,
                  "There for part of the lesson: the minutes present (and the reason for "
                  "the rest)")
      ->option_text("ID:MINUTES[:REASON] ...");
  cmd->add_option("--remote", flags->remote,
                  "Followed remotely: recorded, but never counted toward hours (R5)")
      ->option_text("ID ...");
  cmd->add_option("--note", flags->notes, "A note on the learner's record (stays at school)")
      ->option_text("ID:TEXT ...");

  auto path = std::make_shared<std::string>();
  CLI::App* import = cmd->add_subcommand(
      "import", "Import attendance from a CSV file: all rows, or none if one is wrong");
  SetExamples(import,
              "presentie attend import attendance.csv\n"
              "# attendance.csv (a header row; ',' or ';' between fields; UTF-8):\n"
              "# lesson,learner,status,minutes,mode,notified,reason,note\n"
              "# nt2-a-20261130-0900,L1,present,,,,,\n"
              "# nt2-a-20261130-0900,L2,absent,,,yes,illness,\n"
              "# nt2-a-20261130-0900,L3,partial,90,on_site,no,other,left early");
  import->add_option("FILE", *path, "The CSV file")->required();
  import->callback([action, path] {
    *action = [path](const Context& ctx) { return RunAttendImport(ctx, *path);
};
}  // namespace presentie::cli
);

cmd->callback([action, lesson, flags, import] {
  if (import->parsed()) return;
  *action = [lesson, flags](const Context& ctx) { return RunAttend(ctx, *lesson, *flags); };
});
}

}  // namespace presentie::cli
