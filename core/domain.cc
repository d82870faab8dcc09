#include "core/domain.h"

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "core/enum_names.h"
#include "core/ids.h"
#include "core/utf8.h"

namespace presentie {
namespace {

// --- Parsing the permanent enum names -------------------------------------
//
// Input comes from people (flags, CSV files), so parsing is lenient in form
// and strict in content: surrounding spaces are ignored, case is ignored, and
// '-' or ' ' inside a name may stand for '_'. Output (ToString) is always the
// one canonical name.

char NormalizeChar(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  if (c == ' ' || c == '-') return '_';
  return c;
}

std::string NormalizeName(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string out;
  out.reserve(text.size());
  for (char c : text) out += NormalizeChar(c);
  return out;
}

// Whether `normalized` (NormalizeName's output) is a spelling of the
// canonical `name`, which may hold capitals ("B", "NVT"). Compared character
// by character so that parsing does not allocate per table entry.
bool IsSpellingOf(std::string_view normalized, std::string_view name) {
  if (normalized.size() != name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (normalized[i] != NormalizeChar(name[i])) return false;
  }
  return true;
}

// The input as it may appear in an error message: quoted when it is short
// printable ASCII with few digits. Anything else might be personal data that
// landed in the wrong CSV column (a BSN where a category belongs), so it is
// described rather than shown.
std::string ShowValue(std::string_view text) {
  int digits = 0;
  bool printable = text.size() <= 32;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) printable = false;
    if (c >= '0' && c <= '9') ++digits;
  }
  if (printable && digits < 5) return "'" + std::string(text) + "'";
  return "the given value";
}

// `text` as a value of `names`, in any spelling NormalizeName accepts, or
// as one of `aliases` (written in NormalizeName's form). `expected` lists
// the accepted names for the error message; empty: NameList(names). The
// messages are as they always were, so a few enums keep theirs written out:
// Route and Level show none as '-', AbsenceReason and Classification list
// none and n/a last.
template <typename E>
Result<E> ParseByName(std::string_view text, std::span<const EnumName<E>> names,
                      std::span<const EnumName<E>> aliases, std::string_view what,
                      std::string_view expected = {}) {
  const std::string n = NormalizeName(text);
  if (std::optional<E> v = ValueOf(names, n, IsSpellingOf)) return *v;
  if (std::optional<E> v = ValueOf(aliases, n)) return *v;
  return InvalidArgument("unknown " + std::string(what) + " " + ShowValue(text) + " (expected " +
                         (expected.empty() ? NameList(names) : std::string(expected)) + ")");
}

// --- Free-text fields --------------------------------------------------------

}  // namespace

Status ValidateText(std::string_view field, std::string_view text, size_t max_chars,
                    bool required) {
  const std::string f(field);
  const bool blank = std::all_of(text.begin(), text.end(), [](char c) { return c == ' '; });
  if (required && blank) return InvalidArgument(f + " is empty");
  // Names and notes go to JSON output and CSV files, where invalid UTF-8
  // breaks the reader.
  const std::optional<size_t> length = Utf8Length(text);
  if (!length) return InvalidArgument(f + " is not valid UTF-8");
  if (*length > max_chars) {
    return InvalidArgument(f + " is longer than " + std::to_string(max_chars) + " characters");
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return InvalidArgument(f + " contains a control character");
  }
  return Status::Ok();
}

namespace {

// The Date and DateTime structs can be filled in directly (storage reads
// them from typed columns), so validity is checked here, by a round trip
// through the one parser that knows the calendar.
bool IsValidDate(const Date& d) { return ParseDate(FormatDate(d)).ok(); }
bool IsValidDateTime(const DateTime& t) { return ParseDateTime(FormatDateTime(t)).ok(); }

// "learner 'S1': " — record keys are the school's own codes, safe to show.
std::string Prefix(std::string_view kind, std::string_view id) {
  return std::string(kind) + " '" + std::string(id) + "': ";
}

constexpr size_t kMaxNameChars = 200;
constexpr size_t kMaxNoteChars = 1000;

}  // namespace

// --- Enum names. Permanent: they are on disk, in CSV files and in --json. ---

namespace {

// The canonical names, in the enum's order, then what parsing also accepts.

constexpr EnumName<Category> kCategoryNames[] = {
    {Category::kFamilyMigrant, "family_migrant"},
    {Category::kOtherMigrant, "other_migrant"},
    {Category::kAsylumPermitHolder, "asylum_permit_holder"},
};
constexpr EnumName<Category> kCategoryAliases[] = {
    {Category::kFamilyMigrant, "gezinsmigrant"},
    {Category::kOtherMigrant, "overige_migrant"},
    {Category::kAsylumPermitHolder, "asielstatushouder"},
};

constexpr EnumName<Regime> kRegimeNames[] = {
    {Regime::kWi2013, "wi2013"},
    {Regime::kWi2021, "wi2021"},
};

constexpr EnumName<Route> kRouteNames[] = {
    {Route::kNone, ""},
    {Route::kB1, "B"},
    {Route::kEducation, "O"},
    {Route::kZ, "Z"},
};
constexpr EnumName<Route> kRouteAliases[] = {
    {Route::kNone, "_"},  // "-" after normalisation
    {Route::kNone, "none"},
    {Route::kB1, "b1"},
};

constexpr EnumName<Level> kLevelNames[] = {
    {Level::kNone, ""},
    {Level::kA2, "A2"},
    {Level::kB1, "B1"},
};
constexpr EnumName<Level> kLevelAliases[] = {
    {Level::kNone, "_"},
    {Level::kNone, "none"},
};

constexpr EnumName<Literacy> kLiteracyNames[] = {
    {Literacy::kNvt, "NVT"},
    {Literacy::kA, "A"},
    {Literacy::kAA, "AA"},
};

constexpr EnumName<Component> kComponentNames[] = {
    {Component::kNt2, "nt2"},
    {Component::kKnm, "knm"},
    {Component::kLiteracy, "literacy"},
};
constexpr EnumName<Component> kComponentAliases[] = {
    {Component::kLiteracy, "alfabetisering"},
};

constexpr EnumName<AttendanceStatus> kAttendanceStatusNames[] = {
    {AttendanceStatus::kPresent, "present"},
    {AttendanceStatus::kAbsent, "absent"},
    {AttendanceStatus::kPartial, "partial"},
};
constexpr EnumName<AttendanceStatus> kAttendanceStatusAliases[] = {
    {AttendanceStatus::kPresent, "aanwezig"},
    {AttendanceStatus::kAbsent, "afwezig"},
    {AttendanceStatus::kPartial, "gedeeltelijk"},
};

constexpr EnumName<Mode> kModeNames[] = {
    {Mode::kOnSite, "on_site"},
    {Mode::kRemote, "remote"},
};
constexpr EnumName<Mode> kModeAliases[] = {
    {Mode::kOnSite, "onsite"},
    {Mode::kOnSite, "op_locatie"},
    {Mode::kRemote, "op_afstand"},
};

constexpr EnumName<AbsenceReason> kAbsenceReasonNames[] = {
    {AbsenceReason::kNone, "none"},
    {AbsenceReason::kIllness, "illness"},
    {AbsenceReason::kWedding, "wedding"},
    {AbsenceReason::kFuneral, "funeral"},
    {AbsenceReason::kReligiousHoliday, "religious_holiday"},
    {AbsenceReason::kOther, "other"},
    {AbsenceReason::kDoubtful, "doubtful"},
};
// The Dutch words are the note's ('Geoorloofd en ongeoorloofd verzuim'): a
// teacher may type what the learner said. An empty field (a CSV column left
// blank) means no reason yet.
constexpr EnumName<AbsenceReason> kAbsenceReasonAliases[] = {
    {AbsenceReason::kNone, ""},
    {AbsenceReason::kIllness, "ziek"},
    {AbsenceReason::kIllness, "ziekte"},
    {AbsenceReason::kWedding, "huwelijk"},
    {AbsenceReason::kFuneral, "begrafenis"},
    {AbsenceReason::kReligiousHoliday, "religieuze_feestdag"},
    {AbsenceReason::kReligiousHoliday, "feestdag"},
    {AbsenceReason::kOther, "anders"},
    {AbsenceReason::kOther, "overig"},
    {AbsenceReason::kDoubtful, "twijfel"},
};

constexpr EnumName<Classification> kClassificationNames[] = {
    {Classification::kNotApplicable, "n/a"},
    {Classification::kExcused, "excused"},
    {Classification::kUnexcused, "unexcused"},
    {Classification::kPending, "pending"},
};
constexpr EnumName<Classification> kClassificationAliases[] = {
    {Classification::kExcused, "geoorloofd"},
    {Classification::kUnexcused, "ongeoorloofd"},
};

constexpr EnumName<Role> kRoleNames[] = {
    {Role::kTeacher, "teacher"}, {Role::kAdmin, "admin"},       {Role::kHub, "hub"},
    {Role::kDuo, "duo"},         {Role::kGemeente, "gemeente"}, {Role::kBow, "bow"},
};

static_assert(IsEnumTable(kCategoryNames) && IsEnumTable(kRegimeNames) &&
              IsEnumTable(kRouteNames) && IsEnumTable(kLevelNames) && IsEnumTable(kLiteracyNames) &&
              IsEnumTable(kComponentNames) && IsEnumTable(kAttendanceStatusNames) &&
              IsEnumTable(kModeNames) && IsEnumTable(kAbsenceReasonNames) &&
              IsEnumTable(kClassificationNames) && IsEnumTable(kRoleNames));

// What ToString gives for a value no table lists (an out-of-range cast).
constexpr std::string_view kUnnamed = "?";

}  // namespace

std::string_view ToString(Category v) { return NameOf(kCategoryNames, v, kUnnamed); }
Result<Category> ParseCategory(std::string_view text) {
  return ParseByName<Category>(text, kCategoryNames, kCategoryAliases, "category");
}

std::string_view ToString(Regime v) { return NameOf(kRegimeNames, v, kUnnamed); }
Result<Regime> ParseRegime(std::string_view text) {
  return ParseByName<Regime>(text, kRegimeNames, {}, "regime");
}

std::string_view ToString(Route v) { return NameOf(kRouteNames, v, kUnnamed); }
Result<Route> ParseRoute(std::string_view text) {
  return ParseByName<Route>(text, kRouteNames, kRouteAliases, "route", "B, O, Z, or '-' for none");
}

std::string_view ToString(Level v) { return NameOf(kLevelNames, v, kUnnamed); }
Result<Level> ParseLevel(std::string_view text) {
  return ParseByName<Level>(text, kLevelNames, kLevelAliases, "level", "A2, B1, or '-' for none");
}

std::string_view ToString(Literacy v) { return NameOf(kLiteracyNames, v, kUnnamed); }
Result<Literacy> ParseLiteracy(std::string_view text) {
  return ParseByName<Literacy>(text, kLiteracyNames, {}, "literacy indicator");
}

std::string_view ToString(Component v) { return NameOf(kComponentNames, v, kUnnamed); }
Result<Component> ParseComponent(std::string_view text) {
  return ParseByName<Component>(text, kComponentNames, kComponentAliases, "component");
}

std::string_view ToString(AttendanceStatus v) {
  return NameOf(kAttendanceStatusNames, v, kUnnamed);
}
Result<AttendanceStatus> ParseAttendanceStatus(std::string_view text) {
  return ParseByName<AttendanceStatus>(text, kAttendanceStatusNames, kAttendanceStatusAliases,
                                       "attendance status");
}

std::string_view ToString(Mode v) { return NameOf(kModeNames, v, kUnnamed); }
Result<Mode> ParseMode(std::string_view text) {
  return ParseByName<Mode>(text, kModeNames, kModeAliases, "mode");
}

std::string_view ToString(AbsenceReason v) { return NameOf(kAbsenceReasonNames, v, kUnnamed); }
Result<AbsenceReason> ParseAbsenceReason(std::string_view text) {
  return ParseByName<AbsenceReason>(
      text, kAbsenceReasonNames, kAbsenceReasonAliases, "absence reason",
      "illness, wedding, funeral, religious_holiday, other, doubtful or none");
}

std::string_view ToString(Classification v) { return NameOf(kClassificationNames, v, kUnnamed); }
Result<Classification> ParseClassification(std::string_view text) {
  return ParseByName<Classification>(text, kClassificationNames, kClassificationAliases,
                                     "classification", "excused, unexcused, pending or n/a");
}

std::string_view ToString(Role v) { return NameOf(kRoleNames, v, kUnnamed); }
Result<Role> ParseRole(std::string_view text) {
  return ParseByName<Role>(text, kRoleNames, {}, "role");
}

// --- Records ---------------------------------------------------------------

bool GemeenteIsResponsible(const Learner& l) {
  // Under Wi2021 the gemeente arranges the course of an asylum permit holder,
  // receives the hours and classifies absences (R1, R2 in docs/rules.md).
  // Under Wi2013 it had no such role: the note's '… en DUO' groups Wi2013
  // asylum permit holders with the family and other migrants (inference I1).
  return l.category == Category::kAsylumPermitHolder && l.regime == Regime::kWi2021;
}

Status Validate(const Learner& l) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(l.id, "learner id"));
  const std::string p = Prefix("learner", l.id);
  {
    auto bsn = NormalizeBsn(l.bsn);
    if (!bsn.ok()) return InvalidArgument(p + bsn.status().message());
    // The stored form is the canonical one, so that "is this BSN known"
    // is an exact comparison.
    if (*bsn != l.bsn) return InvalidArgument(p + "BSN must be stored in its 9-digit form");
    // Ids travel into logs, URLs and other systems; a BSN must not.
    if (l.id == l.bsn) return InvalidArgument(p + "learner id must not be the BSN");
  }
  PRESENTIE_RETURN_IF_ERROR(ValidateText("name", l.name, kMaxNameChars, true)
                                .WithContext(std::string("learner '") + l.id + "'"));
  if (l.regime == Regime::kWi2021 && l.route == Route::kNone) {
    return InvalidArgument(p + "route is required under Wi2021 (B, O or Z)");
  }
  if (l.regime == Regime::kWi2013 && l.route != Route::kNone) {
    // Leerroutes exist only in Wi2021 (the note's 'Algemeen'); a Wi2013
    // learner with one is a data-entry error that would change their R1/R3/R4
    // treatment.
    return InvalidArgument(p + "route must be empty under Wi2013 (leerroutes are Wi2021 only)");
  }
  if (!l.gemeente_code.empty()) {
    Status s = ValidateGemeenteCode(l.gemeente_code);
    if (!s.ok()) return InvalidArgument(p + s.message());
  } else if (GemeenteIsResponsible(l)) {
    // Their hours and absences go to this gemeente (R1): without the code
    // there is nowhere to send them.
    return InvalidArgument(p +
                           "gemeente_code is required for an asylum permit holder under Wi2021");
  }
  if (l.estimated_hours < 0 || l.estimated_hours > 9999) {
    return InvalidArgument(p + "estimated_hours must be 0..9999");
  }
  if (l.lessons_per_week < 0 || l.lessons_per_week > 40) {
    return InvalidArgument(p + "lessons_per_week must be 0..40");
  }
  return Status::Ok();
}

Status Validate(const Course& c) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(c.id, "course id"));
  const std::string p = Prefix("course", c.id);
  PRESENTIE_RETURN_IF_ERROR(
      ValidateText("name", c.name, kMaxNameChars, true).WithContext("course '" + c.id + "'"));
  if (c.regime == Regime::kWi2021 && c.route == Route::kNone) {
    // The route decides whether BoW receives the course planning (R1).
    return InvalidArgument(p + "route is required under Wi2021 (B, O or Z)");
  }
  if (c.regime == Regime::kWi2013 && c.route != Route::kNone) {
    return InvalidArgument(p + "route must be empty under Wi2013 (leerroutes are Wi2021 only)");
  }
  if (c.start_date && !IsValidDate(*c.start_date)) {
    return InvalidArgument(p + "start_date is not a valid date");
  }
  if (c.end_date && !IsValidDate(*c.end_date)) {
    return InvalidArgument(p + "end_date is not a valid date");
  }
  if (c.start_date && c.end_date && *c.end_date < *c.start_date) {
    return InvalidArgument(p + "end_date " + FormatDate(*c.end_date) + " is before start_date " +
                           FormatDate(*c.start_date));
  }
  if (c.hours_purchased < 0 || c.hours_purchased > 9999) {
    return InvalidArgument(p + "hours_purchased must be 0..9999");
  }
  return Status::Ok();
}

Status Validate(const Lesson& l) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(l.id, "lesson id"));
  const std::string p = Prefix("lesson", l.id);
  {
    Status s = ValidateRecordKey(l.course_id, "course_id");
    if (!s.ok()) return InvalidArgument(p + s.message());
  }
  if (!IsValidDateTime(l.start)) return InvalidArgument(p + "start is not a valid date and time");
  if (l.duration_minutes < 1 || l.duration_minutes > 720) {
    return InvalidArgument(p + "duration_minutes must be 1..720 (at most 12 hours)");
  }
  PRESENTIE_RETURN_IF_ERROR(
      ValidateText("teacher", l.teacher, kMaxNameChars, true).WithContext("lesson '" + l.id + "'"));
  return Status::Ok();
}

Status Validate(const Qualification& q) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(q.id, "qualification id"));
  const std::string context = "qualification '" + q.id + "'";
  PRESENTIE_RETURN_IF_ERROR(
      ValidateText("teacher", q.teacher, kMaxNameChars, true).WithContext(context));
  PRESENTIE_RETURN_IF_ERROR(
      ValidateText("title", q.title, kMaxNameChars, true).WithContext(context));
  if (!IsValidDate(q.obtained)) {
    return InvalidArgument(Prefix("qualification", q.id) + "obtained is not a valid date");
  }
  return Status::Ok();
}

std::string DefaultQualificationId(std::string_view teacher, Component component) {
  std::string slug;
  bool gap = false;
  for (char c : teacher) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
      if (gap && !slug.empty()) slug += '-';
      slug += lower;
      gap = false;
    } else {
      gap = true;
    }
  }
  if (slug.empty()) return "";
  const std::string_view suffix = ToString(component);
  // Record keys are at most 64 characters (core/ids.h).
  const size_t room = 64 - 1 - suffix.size();
  if (slug.size() > room) slug.resize(room);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug + "." + std::string(suffix);
}

Status Validate(const Attendance& a, int lesson_duration_minutes) {
  {
    Status s = ValidateRecordKey(a.lesson_id, "lesson_id");
    if (!s.ok()) return s.WithContext("attendance");
    s = ValidateRecordKey(a.learner_id, "learner_id");
    if (!s.ok()) return s.WithContext("attendance");
  }
  const std::string expected_id = AttendanceId(a.lesson_id, a.learner_id);
  const std::string p = Prefix("attendance", expected_id);
  // The store sets the id from (lesson, learner); one that is set must agree,
  // or two devices would write two records for one attendance
  // (docs/architecture.md, "Records and their ids").
  if (!a.id.empty() && a.id != expected_id) {
    return InvalidArgument(p + "id must be '" + expected_id + "' (lesson/learner)");
  }
  const int duration = lesson_duration_minutes;
  if (duration < 1 || duration > 720) {
    return InvalidArgument(p + "the lesson's duration must be 1..720 minutes");
  }
  const int m = a.minutes_present;
  if (m < 0) return InvalidArgument(p + "minutes_present must not be negative");
  if (m > duration) {
    return InvalidArgument(p + "minutes_present (" + std::to_string(m) + ") exceeds the lesson's " +
                           std::to_string(duration) + " minutes");
  }
  switch (a.status) {
    case AttendanceStatus::kPresent:
      if (m != duration) {
        return InvalidArgument(p + "present means the whole lesson: minutes_present must be " +
                               std::to_string(duration) + " (use partial for " + std::to_string(m) +
                               ")");
      }
      if (a.notified_in_advance) {
        return InvalidArgument(
            p + "a learner present for the whole lesson cannot have notified an absence");
      }
      if (a.reason != AbsenceReason::kNone) {
        return InvalidArgument(p + "a learner present for the whole lesson has no absence reason");
      }
      if (a.decision) {
        return InvalidArgument(p +
                               "a learner present for the whole lesson has no absence to classify");
      }
      break;
    case AttendanceStatus::kAbsent:
      if (m != 0) {
        return InvalidArgument(p + "absent means minutes_present 0 (use partial for " +
                               std::to_string(m) + ")");
      }
      break;
    case AttendanceStatus::kPartial:
      if (m < 1 || m > duration - 1) {
        return InvalidArgument(p + "partial means minutes_present 1.." +
                               std::to_string(duration - 1) + " (got " + std::to_string(m) +
                               "; use present or absent)");
      }
      break;
    default:
      return InvalidArgument(p + "status is not present, absent or partial");
  }
  PRESENTIE_RETURN_IF_ERROR(ValidateText("note", a.note, kMaxNoteChars, false)
                                .WithContext("attendance '" + expected_id + "'"));
  if (a.decision) {
    const auto& d = *a.decision;
    if (d.value != Classification::kExcused && d.value != Classification::kUnexcused) {
      return InvalidArgument(p + "a classification decision must be excused or unexcused");
    }
    if (d.decided_by != Role::kAdmin && d.decided_by != Role::kGemeente) {
      return InvalidArgument(
          p + "a classification is decided by the school admin or the gemeente, not by " +
          std::string(ToString(d.decided_by)));
    }
  }
  return Status::Ok();
}

int MinutesAbsent(const Attendance& a, int lesson_duration_minutes) {
  const int duration = std::max(0, lesson_duration_minutes);
  switch (a.status) {
    case AttendanceStatus::kPresent:
      return 0;
    case AttendanceStatus::kAbsent:
      return duration;
    case AttendanceStatus::kPartial:
      // Clamped, so that an unvalidated record can never add negative or
      // more-than-the-lesson minutes to a total.
      return duration - std::clamp(a.minutes_present, 0, duration);
  }
  return 0;
}

}  // namespace presentie
