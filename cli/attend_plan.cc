#include "cli/attend_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "cli/parse.h"
#include "core/ids.h"

namespace presentie::cli {
namespace {

// What the flags said about one learner, before it becomes a record.
struct Facts {
  std::optional<std::string> status_flag;  // the flag that set the status
  AttendanceStatus status = AttendanceStatus::kPresent;
  int minutes = 0;
  bool remote = false;
  bool notified = false;
  std::optional<AbsenceReason> reason;
  std::optional<std::string> note;
};

Status FlagConflict(std::string_view id, std::string_view a, std::string_view b) {
  return InvalidArgument(
      fmt::format("learner '{}' is named by both {} and {}; name each learner once, or combine "
                  "--absent with --notified and --partial with --remote",
                  id, a, b));
}

Result<AbsenceReason> ReasonOf(std::string_view text, std::string_view flag, std::string_view arg) {
  if (text.empty()) return AbsenceReason::kNone;
  auto reason = ParseAbsenceReason(text);
  if (!reason.ok()) {
    return InvalidArgument(
        fmt::format("{} '{}': {} (in Dutch: ziek, huwelijk, begrafenis, feestdag, anders, twijfel)",
                    flag, arg, reason.status().message()));
  }
  return *reason;
}

// Sets the status of `f` from `flag`; an error if another flag set another.
Status SetStatus(Facts& f, std::string_view id, std::string_view flag, AttendanceStatus status) {
  if (f.status_flag && f.status != status) return FlagConflict(id, *f.status_flag, flag);
  f.status_flag = std::string(flag);
  f.status = status;
  return Status::Ok();
}

}  // namespace

bool AttendFlags::empty() const {
  return !all_present && present.empty() && absent.empty() && notified.empty() && partial.empty() &&
         remote.empty() && notes.empty();
}

Result<AttendPlan> PlanAttendance(const Lesson& lesson, const AttendFlags& flags,
                                  std::span<const Enrollment> roster,
                                  std::span<const Attendance> existing,
                                  const std::function<bool(std::string_view)>& learner_exists) {
  std::map<std::string, Facts, std::less<>> named;  // learners with a status flag
  std::map<std::string, std::string, std::less<>> notes;

  auto check_exists = [&](const std::string& id, std::string_view flag) -> Status {
    if (learner_exists(id)) return Status::Ok();
    return NotFound(fmt::format("learner '{}' (named by {}) does not exist", id, flag));
  };

  for (const std::string& text : flags.present) {
    PRESENTIE_ASSIGN_OR_RETURN(IdArg arg, ParseIdArg(text, "--present"));
    if (arg.has_value) {
      return InvalidArgument(fmt::format("--present '{}': expected a learner id only", text));
    }
    PRESENTIE_RETURN_IF_ERROR(check_exists(arg.id, "--present"));
    PRESENTIE_RETURN_IF_ERROR(
        SetStatus(named[arg.id], arg.id, "--present", AttendanceStatus::kPresent));
  }
  for (const std::string& text : flags.absent) {
    PRESENTIE_ASSIGN_OR_RETURN(IdArg arg, ParseIdArg(text, "--absent"));
    PRESENTIE_RETURN_IF_ERROR(check_exists(arg.id, "--absent"));
    Facts& f = named[arg.id];
    PRESENTIE_RETURN_IF_ERROR(SetStatus(f, arg.id, "--absent", AttendanceStatus::kAbsent));
    PRESENTIE_ASSIGN_OR_RETURN(AbsenceReason reason, ReasonOf(arg.value, "--absent", text));
    if (f.reason && *f.reason != reason) return FlagConflict(arg.id, "--absent", "--absent");
    f.reason = reason;
  }
  for (const std::string& text : flags.notified) {
    PRESENTIE_ASSIGN_OR_RETURN(IdArg arg, ParseIdArg(text, "--notified"));
    if (arg.has_value) {
      return InvalidArgument(fmt::format(
          "--notified '{}': expected a learner id only (give a reason with --absent ID:REASON)",
          text));
    }
    PRESENTIE_RETURN_IF_ERROR(check_exists(arg.id, "--notified"));
    Facts& f = named[arg.id];
    // Notice goes with an absence, or with the missed part of a partial one.
    if (!(f.status_flag && f.status == AttendanceStatus::kPartial)) {
      PRESENTIE_RETURN_IF_ERROR(SetStatus(f, arg.id, "--notified", AttendanceStatus::kAbsent));
    }
    f.notified = true;
  }
  for (const std::string& text : flags.partial) {
    PRESENTIE_ASSIGN_OR_RETURN(IdArg arg, ParseIdArg(text, "--partial"));
    PRESENTIE_RETURN_IF_ERROR(check_exists(arg.id, "--partial"));
    const std::string_view rest = arg.value;
    const std::string_view minutes_text = rest.substr(0, rest.find(':'));
    const std::string_view reason_text =
        rest.find(':') == std::string_view::npos ? "" : rest.substr(rest.find(':') + 1);
    if (!arg.has_value || minutes_text.empty()) {
      return InvalidArgument(fmt::format(
          "--partial '{}': expected ID:MINUTES (the minutes the learner was there)", text));
    }
    auto minutes = ParseInt(minutes_text, 0, 24 * 60);
    if (!minutes.ok()) {
      return InvalidArgument(fmt::format("--partial '{}': {}", text, minutes.status().message()));
    }
    Facts& f = named[arg.id];
    // --notified may have come first and set "absent"; partial refines it.
    if (f.status_flag == "--notified") f.status_flag.reset();
    PRESENTIE_RETURN_IF_ERROR(SetStatus(f, arg.id, "--partial", AttendanceStatus::kPartial));
    f.minutes = *minutes;
    PRESENTIE_ASSIGN_OR_RETURN(AbsenceReason reason, ReasonOf(reason_text, "--partial", text));
    if (f.reason && *f.reason != reason) return FlagConflict(arg.id, "--partial", "--absent");
    f.reason = reason;
  }
  for (const std::string& text : flags.remote) {
    PRESENTIE_ASSIGN_OR_RETURN(IdArg arg, ParseIdArg(text, "--remote"));
    if (arg.has_value) {
      return InvalidArgument(
          fmt::format("--remote '{}': expected a learner id only (for part of the lesson, add "
                      "--partial ID:MINUTES)",
                      text));
    }
    PRESENTIE_RETURN_IF_ERROR(check_exists(arg.id, "--remote"));
    Facts& f = named[arg.id];
    if (f.status_flag && f.status == AttendanceStatus::kAbsent) {
      return FlagConflict(arg.id, *f.status_flag, "--remote");
    }
    if (!f.status_flag) {
      f.status_flag = "--remote";
      f.status = AttendanceStatus::kPresent;
    }
    f.remote = true;
  }
  for (const std::string& text : flags.notes) {
    PRESENTIE_ASSIGN_OR_RETURN(IdArg arg, ParseIdArg(text, "--note"));
    if (!arg.has_value) {
      return InvalidArgument(fmt::format("--note '{}': expected ID:TEXT", text));
    }
    PRESENTIE_RETURN_IF_ERROR(check_exists(arg.id, "--note"));
    if (notes.contains(arg.id)) {
      return InvalidArgument(fmt::format("learner '{}' has two --note flags", arg.id));
    }
    notes[arg.id] = arg.value;
  }

  std::map<std::string, Attendance, std::less<>> earlier;
  for (const Attendance& a : existing) earlier[a.learner_id] = a;
  std::set<std::string, std::less<>> enrolled;
  for (const Enrollment& e : roster) {
    if (e.active && e.course_id == lesson.course_id) enrolled.insert(e.learner_id);
  }

  AttendPlan plan;
  std::map<std::string, Attendance, std::less<>> records;
  for (const auto& [id, f] : named) {
    Attendance a;
    a.lesson_id = lesson.id;
    a.learner_id = id;
    a.status = f.status;
    a.mode = f.remote ? Mode::kRemote : Mode::kOnSite;
    a.notified_in_advance = f.notified;
    a.reason = f.reason.value_or(AbsenceReason::kNone);
    switch (f.status) {
      case AttendanceStatus::kPresent:
        a.minutes_present = lesson.duration_minutes;
        break;
      case AttendanceStatus::kAbsent:
        a.minutes_present = 0;
        break;
      case AttendanceStatus::kPartial:
        a.minutes_present = f.minutes;
        break;
    }
    records[id] = a;
    if (!enrolled.contains(id)) plan.not_enrolled.push_back(id);
  }
  if (flags.all_present) {
    for (const std::string& id : enrolled) {
      if (records.contains(id)) continue;
      if (earlier.contains(id)) {
        plan.kept.push_back(id);
        continue;
      }
      Attendance a;
      a.lesson_id = lesson.id;
      a.learner_id = id;
      a.status = AttendanceStatus::kPresent;
      a.minutes_present = lesson.duration_minutes;
      records[id] = a;
    }
  }
  for (const auto& [id, text] : notes) {
    if (auto it = records.find(id); it != records.end()) {
      it->second.note = text;
    } else if (auto old = earlier.find(id); old != earlier.end()) {
      Attendance a = old->second;
      a.note = text;
      records[id] = a;
    } else {
      return InvalidArgument(fmt::format(
          "--note: learner '{}' has no attendance for lesson '{}'; record it in the same "
          "command (--present, --absent, ...)",
          id, lesson.id));
    }
  }

  for (auto& [id, a] : records) {
    a.id = AttendanceId(a.lesson_id, a.learner_id);
    if (Status s = Validate(a, lesson.duration_minutes); !s.ok()) {
      return InvalidArgument(fmt::format("learner '{}': {}", id, s.message()));
    }
    plan.records.push_back(std::move(a));
  }
  return plan;
}

}  // namespace presentie::cli
