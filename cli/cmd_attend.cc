// presentie attend LESSON (the teacher's command) and attend import FILE.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cli/attend_plan.h"
#include "cli/commands.h"
#include "cli/csv.h"
#include "cli/exit_codes.h"
#include "cli/import_stream.h"
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
  auto view = LoadLessonView(**store, lesson_id);
  if (!view.ok()) return ctx.Fail(view.status());
  const Lesson* lesson = &view->lesson;
  const LearnerMap* learners = &view->learners;
  const std::vector<Enrollment>* roster = &view->roster;
  const std::vector<Attendance>* existing = &view->records;

  auto exists = [&](std::string_view id) { return learners->contains(id); };
  auto plan = PlanAttendance(*lesson, flags, *roster, *existing, exists);
  if (!plan.ok()) {
    return ctx.Fail(
        plan.status().WithContext(fmt::format("nothing was recorded for {}", lesson_id)));
  }
  // An attendance of a learner not on the roster is most often a typo in the
  // id, and it would reach DUO or the gemeente at the next submit. One
  // already recorded for this lesson (on purpose, or before the learner left
  // the course) may be corrected.
  std::vector<std::string> refused;
  for (const std::string& id : plan->not_enrolled) {
    const bool recorded = std::any_of(existing->begin(), existing->end(),
                                      [&](const Attendance& a) { return a.learner_id == id; });
    if (!recorded) refused.push_back(id);
  }
  if (!refused.empty() && !flags.not_enrolled) {
    return ctx.Fail(FailedPrecondition(fmt::format(
        "{} {} {} not enrolled in course {} of lesson {}; nothing was recorded. Enrol them "
        "(presentie course enroll {} ID...) or, if this is on purpose, add --not-enrolled",
        refused.size() == 1 ? "learner" : "learners", fmt::join(refused, ", "),
        refused.size() == 1 ? "is" : "are", lesson->course_id, lesson->id, lesson->course_id)));
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
    ctx.Say(fmt::format("Note: {} not enrolled in course {} (recorded anyway: --not-enrolled).",
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

// Lessons' durations and learners' existence as an import looks them up,
// once each, forgetting all when too many are kept: bounded by kKept
// whatever the file's size.
class RegisterLookups {
 public:
  explicit RegisterLookups(storage::Store& store) : store_(store) {}

  struct LessonFacts {
    int minutes = 0;
    std::string course_id;
  };

  // The lesson's duration and course, or nullopt if there is no such lesson.
  Result<std::optional<LessonFacts>> FindLesson(std::string_view id) {
    if (auto it = lessons_.find(std::string(id)); it != lessons_.end()) return it->second;
    std::optional<LessonFacts> facts;
    if (auto lesson = store_.GetLesson(id); lesson.ok()) {
      facts = LessonFacts{lesson->duration_minutes, lesson->course_id};
    } else if (lesson.status().code() != StatusCode::kNotFound) {
      return lesson.status();
    }
    if (lessons_.size() >= kKept) lessons_.clear();
    lessons_.emplace(std::string(id), facts);
    return facts;
  }

  // Whether the learner is actively enrolled in the course. A course's
  // roster is read once and kept; a roster is a class, not the register.
  Result<bool> Enrolled(std::string_view course_id, std::string_view learner_id) {
    auto it = rosters_.find(std::string(course_id));
    if (it == rosters_.end()) {
      PRESENTIE_ASSIGN_OR_RETURN(std::vector<Enrollment> roster, store_.ListEnrollments(course_id));
      std::unordered_set<std::string> active;
      for (const Enrollment& e : roster) {
        if (e.active) active.insert(e.learner_id);
      }
      if (rosters_.size() >= kKeptRosters) rosters_.clear();
      it = rosters_.emplace(std::string(course_id), std::move(active)).first;
    }
    return it->second.contains(std::string(learner_id));
  }

  Result<bool> LearnerExists(std::string_view id) {
    if (auto it = learners_.find(std::string(id)); it != learners_.end()) return it->second;
    auto learner = store_.GetLearner(id);
    if (!learner.ok() && learner.status().code() != StatusCode::kNotFound) {
      return learner.status();
    }
    if (learners_.size() >= kKept) learners_.clear();
    learners_.emplace(std::string(id), learner.ok());
    return learner.ok();
  }

 private:
  static constexpr size_t kKept = 65536;
  static constexpr size_t kKeptRosters = 256;
  storage::Store& store_;
  std::unordered_map<std::string, std::optional<LessonFacts>> lessons_;
  std::unordered_map<std::string, std::unordered_set<std::string>> rosters_;
  std::unordered_map<std::string, bool> learners_;
};

// The attendance record of a row whose lesson (of `duration` minutes) and
// learner exist; an error names the row and the column.
Status AttendanceFromRow(const CsvTable& table, const CsvRecord& row, int duration,
                         Attendance* out) {
  auto fail = [&](std::string_view column, std::string_view message) {
    return table.RowError(row, column, message);
  };
  Attendance a;
  a.lesson_id = std::string(table.Get(row, "lesson"));
  a.learner_id = std::string(table.Get(row, "learner"));
  a.id = AttendanceId(a.lesson_id, a.learner_id);
  auto status = ParseAttendanceStatus(table.Get(row, "status"));
  if (!status.ok()) return fail("status", status.status().message());
  a.status = *status;
  const std::string_view minutes = table.Get(row, "minutes");
  if (minutes.empty()) {
    if (a.status == AttendanceStatus::kPartial) {
      return fail("minutes",
                  "required for a partial attendance (the minutes the learner was there)");
    }
    a.minutes_present = a.status == AttendanceStatus::kPresent ? duration : 0;
  } else if (auto m = ParseInt(minutes, 0, 24 * 60); m.ok()) {
    a.minutes_present = *m;
  } else {
    return fail("minutes", m.status().message());
  }
  if (const std::string_view mode = table.Get(row, "mode"); !mode.empty()) {
    auto parsed = ParseMode(mode);
    if (!parsed.ok()) return fail("mode", parsed.status().message());
    a.mode = *parsed;
  }
  auto notified = ParseYesNo(table.Get(row, "notified"));
  if (!notified.ok()) return fail("notified", notified.status().message());
  a.notified_in_advance = *notified;
  if (const std::string_view reason = table.Get(row, "reason"); !reason.empty()) {
    auto parsed = ParseAbsenceReason(reason);
    if (!parsed.ok()) return fail("reason", parsed.status().message());
    a.reason = *parsed;
  }
  a.note = std::string(table.Get(row, "note"));
  if (Status s = Validate(a, duration); !s.ok())
    return fail(AttendColumnOf(s.message()), s.message());
  *out = std::move(a);
  return Status::Ok();
}

// A row whose (lesson, learner) an earlier row has: the earlier row's line
// is found by reading the file again, once for all of them, so that the
// import keeps no list of what it has seen.
struct Repeated {
  int error = 0;  // index in CsvErrors::kept()
  int line = 0;
  std::string lesson;
  std::string learner;
};

Status NameEarlierLines(const std::string& path, std::vector<Repeated>& repeated,
                        CsvErrors& errors) {
  std::vector<int> earlier(repeated.size(), 0);
  PRESENTIE_RETURN_IF_ERROR(ForEachCsvRow(path, [&](const CsvTable& table, const CsvRecord& row) {
    for (size_t i = 0; i < repeated.size(); ++i) {
      if (earlier[i] == 0 && row.line < repeated[i].line &&
          table.Get(row, "lesson") == repeated[i].lesson &&
          table.Get(row, "learner") == repeated[i].learner) {
        earlier[i] = row.line;
      }
    }
    return Status::Ok();
  }));
  for (size_t i = 0; i < repeated.size(); ++i) {
    const Repeated& r = repeated[i];
    errors.kept()[static_cast<size_t>(r.error)] =
        InvalidArgument(fmt::format("{}:{}: learner '{}' in lesson '{}' is also on line {}", path,
                                    r.line, r.learner, r.lesson, earlier[i]));
  }
  return Status::Ok();
}

// Reads the file row by row and writes each good row at once, inside one
// transaction (Store::BeginAttendance; StreamCsvImport): whatever the file's
// size, memory holds a read buffer, the write's bounded state and the
// per-lesson counts. A bad row anywhere, the last one too, means no commit:
// nothing written.
int RunAttendImport(const Context& ctx, const std::string& path, bool allow_not_enrolled) {
  std::unique_ptr<storage::Store> store;
  std::optional<RegisterLookups> lookups;
  std::unique_ptr<storage::AttendanceWrite> write;
  std::vector<Repeated> repeated;
  std::map<std::string, LessonCount> counts;
  size_t imported = 0;
  size_t not_enrolled = 0;  // rows recorded on purpose (--not-enrolled)
  CsvImportSteps steps;
  steps.required = kAttendRequired;
  steps.optional = kAttendOptional;
  steps.begin = [&] {
    return BeginImport<storage::AttendanceWrite>(
        ctx, path, store, write, [&](storage::Store& opened) {
          lookups.emplace(opened);
          return opened.BeginAttendance(ctx.ActorFor(opened), "attend.import");
        });
  };
  steps.row = [&](const CsvTable& table, const CsvRecord& row, CsvErrors& errors) -> Status {
    const std::string_view lesson_id = table.Get(row, "lesson");
    const std::string_view learner_id = table.Get(row, "learner");
    if (lesson_id.empty()) {
      errors.Add(table.RowError(row, "lesson", "a value is required"));
      return Status::Ok();
    }
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<RegisterLookups::LessonFacts> lesson,
                               lookups->FindLesson(lesson_id));
    if (!lesson.has_value()) {
      errors.Add(table.RowError(row, "lesson", fmt::format("lesson '{}' does not exist", lesson_id),
                                StatusCode::kNotFound));
      return Status::Ok();
    }
    if (learner_id.empty()) {
      errors.Add(table.RowError(row, "learner", "a value is required"));
      return Status::Ok();
    }
    PRESENTIE_ASSIGN_OR_RETURN(bool learner_known, lookups->LearnerExists(learner_id));
    if (!learner_known) {
      errors.Add(table.RowError(row, "learner",
                                fmt::format("learner '{}' does not exist", learner_id),
                                StatusCode::kNotFound));
      return Status::Ok();
    }
    PRESENTIE_ASSIGN_OR_RETURN(bool enrolled, lookups->Enrolled(lesson->course_id, learner_id));
    if (!enrolled && !allow_not_enrolled) {
      // As `attend`: a record already there may be corrected.
      auto state = store->GetAttendanceState(AttendanceId(lesson_id, learner_id));
      if (!state.ok() && state.status().code() != StatusCode::kNotFound) return state.status();
      enrolled = state.ok();
    }
    if (!enrolled && !allow_not_enrolled) {
      errors.Add(table.RowError(
          row, "learner",
          fmt::format("learner '{}' is not enrolled in course {} of lesson '{}'; enrol them or, "
                      "if this is on purpose, import with --not-enrolled",
                      learner_id, lesson->course_id, lesson_id),
          StatusCode::kFailedPrecondition));
      return Status::Ok();
    }
    Attendance a;
    if (Status s = AttendanceFromRow(table, row, lesson->minutes, &a); !s.ok()) {
      errors.Add(s);
      return Status::Ok();
    }
    // Written now, checked as the register checks every record; a row that
    // fails is reported and the write is never committed.
    if (Status s = write->Add(a); !s.ok()) {
      if (!storage::AttendanceWrite::AboutTheRecord(s)) return s;
      if (s.code() == StatusCode::kAlreadyExists) {
        const int kept = errors.Add(table.RowError(row, "", s.message()));
        if (kept >= 0) repeated.push_back({kept, row.line, a.lesson_id, a.learner_id});
      } else {
        errors.Add(table.RowError(row, "", s.message(), s.code()));
      }
      return Status::Ok();
    }
    ++imported;
    if (!enrolled) ++not_enrolled;
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
    return Status::Ok();
  };
  steps.before_errors = [&](CsvErrors& errors) {
    if (repeated.empty()) return Status::Ok();
    return NameEarlierLines(path, repeated, errors);
  };
  steps.commit = [&] {
    if (imported > 0) return write->Commit();
    ctx.Say(fmt::format("{} has no attendance rows; nothing to import.", path));
    return Status::Ok();
  };
  if (const int rc = StreamCsvImport(ctx, path, steps); rc != kExitOk) return rc;

  if (ctx.json()) {
    Json per_lesson = Json::array();
    for (const auto& [id, c] : counts) {
      per_lesson.push_back({{"lesson", id},
                            {"records", c.records},
                            {"present", c.present},
                            {"partial", c.partial},
                            {"absent", c.absent}});
    }
    PrintJson(ctx.out(), {{"imported", imported}, {"lessons", per_lesson}});
  } else {
    // Made twice rather than held: a year's import has tens of thousands of lessons.
    PrintTable(ctx.out(), {"LESSON", "RECORDS", "PRESENT", "PARTIAL", "ABSENT"},
               [&](const RowEmitter& emit) {
                 for (const auto& [id, c] : counts) {
                   emit({id, std::to_string(c.records), std::to_string(c.present),
                         std::to_string(c.partial), std::to_string(c.absent)});
                 }
               });
    if (imported > 0) {
      ctx.Say(fmt::format("Imported {} attendance records from {}.", imported, path));
    }
  }
  if (not_enrolled > 0) {
    ctx.Say(
        fmt::format("Note: {} of them for learners not enrolled in the lesson's course "
                    "(recorded anyway: --not-enrolled).",
                    not_enrolled));
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
  cmd->add_flag("--not-enrolled", flags->not_enrolled,
                "Record learners not enrolled in the lesson's course on purpose (refused "
                "without it)");

  auto path = std::make_shared<std::string>();
  CLI::App* import_cmd = cmd->add_subcommand(
      "import", "Import attendance from a CSV file: all rows, or none if one is wrong");
  SetExamples(import_cmd,
              "presentie attend import attendance.csv\n"
              "# attendance.csv (a header row; ',' or ';' between fields; UTF-8):\n"
              "# lesson,learner,status,minutes,mode,notified,reason,note\n"
              "# nt2-a-20261130-0900,L1,present,,,,,\n"
              "# nt2-a-20261130-0900,L2,absent,,,yes,illness,\n"
              "# nt2-a-20261130-0900,L3,partial,90,on_site,no,other,left early");
  import_cmd->add_option("FILE", *path, "The CSV file")->required();
  auto import_not_enrolled = std::make_shared<bool>(false);
  import_cmd->add_flag("--not-enrolled", *import_not_enrolled,
                       "Import rows for learners not enrolled in the lesson's course on "
                       "purpose (refused without it)");
  import_cmd->callback([action, path, import_not_enrolled] {
    *action = [path, import_not_enrolled](const Context& ctx) {
      return RunAttendImport(ctx, *path, *import_not_enrolled);
    };
  });

  cmd->callback([action, lesson, flags, import_cmd] {
    if (import_cmd->parsed()) return;
    *action = [lesson, flags](const Context& ctx) { return RunAttend(ctx, *lesson, *flags); };
  });
}

}  // namespace presentie::cli
