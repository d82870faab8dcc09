#include "cli/resolve_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <variant>

#include "cli/output.h"

namespace presentie::cli {
namespace {

bool Blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

// --classify: an admin decision, or "none" for no decision of the admin's
// (R2's own rules then classify).
Result<std::optional<Classification>> ParseClassify(std::string_view text) {
  if (text == "none") return std::optional<Classification>();
  auto parsed = ParseClassification(text);
  if (!parsed.ok() ||
      (*parsed != Classification::kExcused && *parsed != Classification::kUnexcused)) {
    return InvalidArgument(
        fmt::format("--classify '{}': an admin decides excused or unexcused (or none: no "
                    "decision, R2's rules classify)",
                    text));
  }
  return std::optional<Classification>(*parsed);
}

template <typename T, typename Parse>
Status CheckValue(std::string_view flag, std::string_view text, Parse parse) {
  if (text.empty()) return Status::Ok();
  Result<T> parsed = parse(text);
  if (!parsed.ok()) return InvalidArgument(fmt::format("{}: {}", flag, parsed.status().message()));
  return Status::Ok();
}

bool IsGemeenteDecision(const std::optional<ClassificationDecision>& d) {
  return d.has_value() && d->decided_by == Role::kGemeente;
}

}  // namespace

bool ResolveFlags::HasFieldOptions() const {
  return !status.empty() || minutes >= 0 || !mode.empty() || notice || no_notice ||
         !absence_reason.empty() || !classify.empty();
}

Status CheckResolveFlags(const ResolveFlags& f) {
  if (Blank(f.reason)) {
    return InvalidArgument(
        "--reason TEXT is required: say why you decide so (it stays in this register, with the "
        "resolution)");
  }
  if (DisplayWidth(f.reason) > kMaxResolveReasonChars) {
    return InvalidArgument(fmt::format("--reason is at most {} characters (got {})",
                                       kMaxResolveReasonChars, DisplayWidth(f.reason)));
  }
  if (f.take != 0 && f.HasFieldOptions()) {
    return InvalidArgument(
        "--take N takes a whole version as it is; give either --take or the field options "
        "(--status, --minutes, --mode, --notice, --absence-reason, --classify), not both");
  }
  if (f.take < 0) return InvalidArgument("--take N counts from 1 (as `conflicts show` numbers)");
  if (f.take == 0 && !f.HasFieldOptions()) {
    return InvalidArgument(
        "say what the record should be: --take N (the Nth version of `presentie conflicts "
        "show ID`), or field options such as --status absent --absence-reason illness");
  }
  PRESENTIE_RETURN_IF_ERROR(
      CheckValue<AttendanceStatus>("--status", f.status, ParseAttendanceStatus));
  PRESENTIE_RETURN_IF_ERROR(CheckValue<Mode>("--mode", f.mode, ParseMode));
  PRESENTIE_RETURN_IF_ERROR(
      CheckValue<AbsenceReason>("--absence-reason", f.absence_reason, ParseAbsenceReason));
  if (!f.classify.empty()) PRESENTIE_RETURN_IF_ERROR(ParseClassify(f.classify).status());
  if (f.notice && f.no_notice) return InvalidArgument("--notice and --no-notice contradict");

  std::optional<AttendanceStatus> status;
  if (!f.status.empty()) status = *ParseAttendanceStatus(f.status);
  if (status == AttendanceStatus::kPartial && f.minutes < 0) {
    return InvalidArgument("--status partial needs --minutes N: the minutes the learner was there");
  }
  if (f.minutes >= 0 && status.has_value() && status != AttendanceStatus::kPartial) {
    return InvalidArgument(
        fmt::format("--minutes goes with --status partial ({} sets the minutes itself)", f.status));
  }
  if (status == AttendanceStatus::kPresent) {
    if (f.notice) return InvalidArgument("--notice needs an absence: --status absent or partial");
    if (!f.absence_reason.empty() &&
        *ParseAbsenceReason(f.absence_reason) != AbsenceReason::kNone) {
      return InvalidArgument("--absence-reason needs an absence: --status absent or partial");
    }
    if (!f.classify.empty() && f.classify != "none") {
      return InvalidArgument(
          "--classify needs an absence: a learner present for the whole lesson has nothing to "
          "classify");
    }
  }
  return Status::Ok();
}

Result<Attendance> ResolutionValue(const ResolveFlags& f, const storage::Store::Conflict& conflict,
                                   std::optional<int> lesson_duration_minutes) {
  PRESENTIE_RETURN_IF_ERROR(CheckResolveFlags(f));
  const Attendance& shown = conflict.shown;
  Attendance v;
  if (f.take != 0) {
    const size_t n = conflict.siblings.size();
    if (static_cast<size_t>(f.take) > n) {
      return InvalidArgument(
          fmt::format("--take {}: conflict {} has {} versions (1..{})", f.take, conflict.id, n, n));
    }
    const auto* taken =
        std::get_if<Attendance>(&conflict.siblings[static_cast<size_t>(f.take - 1)].record);
    if (taken == nullptr) {
      return InvalidArgument(
          fmt::format("--take {}: that version is not an attendance record", f.take));
    }
    v = *taken;
    // The admin writes only the admin's own decision.
    if (v.decision.has_value() && v.decision->decided_by != Role::kAdmin) v.decision.reset();
    if (IsGemeenteDecision(shown.decision)) v.decision = shown.decision;
  } else {
    v = shown;
    if (!f.status.empty()) {
      const AttendanceStatus status = *ParseAttendanceStatus(f.status);
      if (status != v.status) {
        v.status = status;
        switch (status) {
          case AttendanceStatus::kPresent:
            if (lesson_duration_minutes.has_value()) {
              v.minutes_present = *lesson_duration_minutes;
            } else {
              return InvalidArgument(fmt::format(
                  "--status present: lesson {} is not in this register yet, so its length is "
                  "unknown; sync first",
                  conflict.lesson_id));
            }
            break;
          case AttendanceStatus::kAbsent:
            v.minutes_present = 0;
            break;
          case AttendanceStatus::kPartial:
            break;  // --minutes, below
        }
      }
    }
    if (f.minutes >= 0) {
      if (v.status != AttendanceStatus::kPartial) {
        return InvalidArgument(
            fmt::format("--minutes: the record is {}; add --status partial to record part of "
                        "the lesson",
                        ToString(v.status)));
      }
      v.minutes_present = f.minutes;
    }
    if (!f.mode.empty()) v.mode = *ParseMode(f.mode);
    if (f.notice) v.notified_in_advance = true;
    if (f.no_notice) v.notified_in_advance = false;
    if (!f.absence_reason.empty()) v.reason = *ParseAbsenceReason(f.absence_reason);
    if (!f.classify.empty()) {
      const std::optional<Classification> decided = *ParseClassify(f.classify);
      if (decided.has_value()) {
        v.decision = ClassificationDecision{*decided, Role::kAdmin};
      } else {
        v.decision.reset();
      }
    }
    if (v.status == AttendanceStatus::kPresent) {
      if (f.notice || (!f.absence_reason.empty() && v.reason != AbsenceReason::kNone)) {
        return InvalidArgument(
            "--notice and --absence-reason need an absence: the record is present for the "
            "whole lesson (add --status absent or partial)");
      }
      if (!f.classify.empty() && v.decision.has_value()) {
        return InvalidArgument(
            "--classify needs an absence: the record is present for the whole lesson");
      }
    }
  }
  v.id = conflict.record_id;
  v.lesson_id = conflict.lesson_id;
  v.learner_id = conflict.learner_id;
  if (v.status == AttendanceStatus::kPresent) {
    // A full presence has no absence: no notice, reason, note or decision
    // (core's Validate).
    v.notified_in_advance = false;
    v.reason = AbsenceReason::kNone;
    v.note.clear();
    v.decision.reset();
  }
  if (lesson_duration_minutes.has_value()) {
    if (Status s = Validate(v, *lesson_duration_minutes); !s.ok()) {
      return InvalidArgument(fmt::format("the resolution is not a valid record: {}", s.message()));
    }
  }
  return v;
}

}  // namespace presentie::cli
