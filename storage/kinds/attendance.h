// The traits of a record kind (storage/kinds/traits.h).
// A learner's attendance at a lesson: the facts a teacher records, the
// classification a decision gives. Its id is "<lesson>/<learner>"; its
// body is compact text (internal/records.h); its typed row also carries the
// merge's columns, so its upsert is sqlite_store's own (rows_upsert.cc), and
// who may write what is the merge's (core/ownership.h, CheckAttendanceWrite).
#ifndef PRESENTIE_STORAGE_KINDS_ATTENDANCE_H_
#define PRESENTIE_STORAGE_KINDS_ATTENDANCE_H_

#include <algorithm>

#include "core/utf8.h"
#include "storage/internal/records.h"
#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<Attendance> {
  static constexpr RecordKind kKind = RecordKind::kAttendance;
  static constexpr std::string_view kName = "attendance";
  static constexpr std::string_view kKey = "lesson_id, learner_id";
  static constexpr std::string_view kTextBody = internal::kAttendanceBodyV1;
  static constexpr std::string_view kColumns =
      "id, lesson_id, learner_id, status, minutes_present, mode, notified_in_advance, "
      "unseal(reason,'reason'), unseal(note,'note'), decision, decided_by";

  static std::string Id(const Attendance& a) { return AttendanceId(a.lesson_id, a.learner_id); }
  // A received attendance is checked against its lesson's duration
  // (sqlite_store/replication.cc finds it).
  static Status Validate(const Attendance& r, int lesson_minutes) {
    return presentie::Validate(r, lesson_minutes);
  }
  static std::optional<Attendance> Normalized(const Attendance& a) {
    if (!a.id.empty()) return std::nullopt;
    Attendance filled = a;
    filled.id = AttendanceId(a.lesson_id, a.learner_id);
    return filled;
  }

  static Status Read(const Statement& s, int c, Attendance* a) {
    a->id = s.ColumnString(c);
    a->lesson_id = s.ColumnString(c + 1);
    a->learner_id = s.ColumnString(c + 2);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseAttendanceStatus(s.ColumnText(c + 3)), &a->status));
    a->minutes_present = static_cast<int>(s.ColumnInt(c + 4));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseMode(s.ColumnText(c + 5)), &a->mode));
    a->notified_in_advance = s.ColumnBool(c + 6);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseAbsenceReason(s.ColumnText(c + 7)), &a->reason));
    a->note = s.ColumnString(c + 8);
    a->decision.reset();
    if (!s.ColumnIsNull(c + 9)) {
      ClassificationDecision d;
      PRESENTIE_RETURN_IF_ERROR(Take(ParseClassification(s.ColumnText(c + 9)), &d.value));
      PRESENTIE_RETURN_IF_ERROR(Take(ParseRole(s.ColumnText(c + 10)), &d.decided_by));
      a->decision = d;
    }
    return Status::Ok();
  }

  static Result<std::string> Body(const Attendance& a) {
    // Format "a1" (docs/storage.md, "The attendance body"): the facts in a
    // fixed order, the note last and as it is.
    if (!IsUtf8(a.note)) {
      return InvalidArgument("attendance '" + a.id + "': body field 'note' is not valid UTF-8");
    }
    std::string out = std::string(kTextBody);
    const auto field = [&out](std::string_view v) {
      out += v;
      out += '|';
    };
    field(ToString(a.status));
    field(std::to_string(a.minutes_present));
    field(ToString(a.mode));
    field(a.notified_in_advance ? "1" : "0");
    field(ToString(a.reason));
    field(a.decision.has_value() ? ToString(a.decision->value) : std::string_view("-"));
    field(a.decision.has_value() ? ToString(a.decision->decided_by) : std::string_view("-"));
    out += a.note;
    return out;
  }

  // A body in kTextBody's form (internal/records.h): the facts, no ids.
  static Result<Attendance> FromTextBody(std::string_view record_id, std::string_view body,
                                         const std::string& prefix) {
    const auto bad = [&](std::string_view key, std::string_view what) {
      return InvalidArgument(prefix + "body field '" + std::string(key) + "' " + std::string(what));
    };
    std::string_view fields[7];
    std::string_view rest;
    constexpr const char* kNames[7] = {
        "status", "minutes_present", "mode",      "notified_in_advance",
        "reason", "decision",        "decided_by"};
    const size_t found =
        internal::SplitAttendanceFacts(body.substr(kTextBody.size()), fields, &rest);
    if (found < 7) return bad(kNames[found], "is missing");
    Attendance a;
    const size_t slash = record_id.find('/');
    if (slash == std::string_view::npos) {
      return InvalidArgument(prefix + "an attendance's id is not <lesson>/<learner>");
    }
    a.lesson_id = std::string(record_id.substr(0, slash));
    a.learner_id = std::string(record_id.substr(slash + 1));
    a.id = std::string(record_id);
    const auto canonical = [](auto parsed, std::string_view text) {
      return parsed.ok() && ToString(*parsed) == text;
    };
    auto status = ParseAttendanceStatus(fields[0]);
    if (!canonical(status, fields[0])) return bad(kNames[0], "is not a known value");
    a.status = *status;
    const std::string_view m = fields[1];
    const bool digits = !m.empty() && m.size() <= 9 && std::all_of(m.begin(), m.end(), [](char c) {
      return c >= '0' && c <= '9';
    });
    if (!digits || (m.size() > 1 && m[0] == '0'))
      return bad(kNames[1], "is not an integer in range");
    a.minutes_present = std::stoi(std::string(m));
    auto mode = ParseMode(fields[2]);
    if (!canonical(mode, fields[2])) return bad(kNames[2], "is not a known value");
    a.mode = *mode;
    if (fields[3] != "0" && fields[3] != "1") return bad(kNames[3], "is not 0 or 1");
    a.notified_in_advance = fields[3] == "1";
    auto reason = ParseAbsenceReason(fields[4]);
    if (!canonical(reason, fields[4])) return bad(kNames[4], "is not a known value");
    a.reason = *reason;
    if (fields[5] != "-" || fields[6] != "-") {
      auto value = ParseClassification(fields[5]);
      auto by = ParseRole(fields[6]);
      if (!canonical(value, fields[5]) || !canonical(by, fields[6])) {
        return bad(kNames[5], "is not a decision (value, decided_by)");
      }
      a.decision = ClassificationDecision{*value, *by};
    }
    if (!IsUtf8(rest)) return bad("note", "is not valid UTF-8");
    a.note = std::string(rest);
    return a;
  }

  static Attendance FromBody(BodyReader& r) {
    Attendance a;
    a.id = r.Text("id");
    a.lesson_id = r.Text("lesson_id");
    a.learner_id = r.Text("learner_id");
    a.status = r.Enum<AttendanceStatus>("status", ParseAttendanceStatus);
    a.minutes_present = r.Int("minutes_present");
    a.mode = r.Enum<Mode>("mode", ParseMode);
    a.notified_in_advance = r.Bool("notified_in_advance");
    a.reason = r.Enum<AbsenceReason>("reason", ParseAbsenceReason);
    a.note = r.Text("note");
    if (const Json* decision = r.OptionalObject("decision"); decision != nullptr) {
      BodyReader d(*decision, "");
      ClassificationDecision cd;
      cd.value = d.Enum<Classification>("value", ParseClassification);
      cd.decided_by = d.Enum<Role>("decided_by", ParseRole);
      if (!d.status().ok()) {
        r.Fail("decision", "is not a decision (value, decided_by)");
      } else {
        a.decision = cd;
      }
    }
    if (r.status().ok() && a.id != AttendanceId(a.lesson_id, a.learner_id)) {
      r.FailRecord("body id does not match its lesson and learner");
    }
    return a;
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_ATTENDANCE_H_
