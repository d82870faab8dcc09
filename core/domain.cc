#include "core/domain.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

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

std::string NormalizeName(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || c == '-') c = '_';
    out += c;
  }
  return out;
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

template <typename E>
struct NameOf {
  std::string_view name;
  E value;
};

template <typename E>
Result<E> ParseByName(std::string_view text, std::initializer_list<NameOf<E>> names,
                      std::string_view what, std::string_view expected) {
  const std::string n = NormalizeName(text);
  for (const auto& entry : names) {
    if (n == entry.name) return entry.value;
  }
  return InvalidArgument("unknown " + std::string(what) + " " + ShowValue(text) + " (expected " +
                         std::string(expected) + ")");
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

std::string_view ToString(Category v) {
  switch (v) {
    case Category::kFamilyMigrant:
      return "family_migrant";
    case Category::kOtherMigrant:
      return "other_migrant";
    case Category::kAsylumPermitHolder:
      return "asylum_permit_holder";
  }
  return "?";
}
Result<Category> ParseCategory(std::string_view text) {
  return ParseByName<Category>(text,
                               {{"family_migrant", Category::kFamilyMigrant},
                                {"other_migrant", Category::kOtherMigrant},
                                {"asylum_permit_holder", Category::kAsylumPermitHolder},
                                {"gezinsmigrant", Category::kFamilyMigrant},
                                {"overige_migrant", Category::kOtherMigrant},
                                {"asielstatushouder", Category::kAsylumPermitHolder}},
                               "category", "family_migrant, other_migrant or asylum_permit_holder");
}

std::string_view ToString(Regime v) {
  switch (v) {
    case Regime::kWi2013:
      return "wi2013";
    case Regime::kWi2021:
      return "wi2021";
  }
  return "?";
}
Result<Regime> ParseRegime(std::string_view text) {
  return ParseByName<Regime>(text, {{"wi2013", Regime::kWi2013}, {"wi2021", Regime::kWi2021}},
                             "regime", "wi2013 or wi2021");
}

std::string_view ToString(Route v) {
  switch (v) {
    case Route::kNone:
      return "";
    case Route::kB1:
      return "B";
    case Route::kEducation:
      return "O";
    case Route::kZ:
      return "Z";
  }
  return "?";
}
Result<Route> ParseRoute(std::string_view text) {
  return ParseByName<Route>(text,
                            {{"", Route::kNone},
                             {"_", Route::kNone},  // "-" after normalisation
                             {"none", Route::kNone},
                             {"b", Route::kB1},
                             {"b1", Route::kB1},
                             {"o", Route::kEducation},
                             {"z", Route::kZ}},
                            "route", "B, O, Z, or '-' for none");
}

std::string_view ToString(Level v) {
  switch (v) {
    case Level::kNone:
      return "";
    case Level::kA2:
      return "A2";
    case Level::kB1:
      return "B1";
  }
  return "?";
}
Result<Level> ParseLevel(std::string_view text) {
  return ParseByName<Level>(text,
                            {{"", Level::kNone},
                             {"_", Level::kNone},
                             {"none", Level::kNone},
                             {"a2", Level::kA2},
                             {"b1", Level::kB1}},
                            "level", "A2, B1, or '-' for none");
}

std::string_view ToString(Literacy v) {
  switch (v) {
    case Literacy::kNvt:
      return "NVT";
    case Literacy::kA:
      return "A";
    case Literacy::kAA:
      return "AA";
  }
  return "?";
}
Result<Literacy> ParseLiteracy(std::string_view text) {
  return ParseByName<Literacy>(
      text, {{"nvt", Literacy::kNvt}, {"a", Literacy::kA}, {"aa", Literacy::kAA}},
      "literacy indicator", "NVT, A or AA");
}

std::string_view ToString(Component v) {
  switch (v) {
    case Component::kNt2:
      return "nt2";
    case Component::kKnm:
      return "knm";
    case Component::kLiteracy:
      return "literacy";
  }
  return "?";
}
Result<Component> ParseComponent(std::string_view text) {
  return ParseByName<Component>(text,
                                {{"nt2", Component::kNt2},
                                 {"knm", Component::kKnm},
                                 {"literacy", Component::kLiteracy},
                                 {"alfabetisering", Component::kLiteracy}},
                                "component", "nt2, knm or literacy");
}

std::string_view ToString(AttendanceStatus v) {
  switch (v) {
    case AttendanceStatus::kPresent:
      return "present";
    case AttendanceStatus::kAbsent:
      return "absent";
    case AttendanceStatus::kPartial:
      return "partial";
  }
  return "?";
}
Result<AttendanceStatus> ParseAttendanceStatus(std::string_view text) {
  return ParseByName<AttendanceStatus>(text,
                                       {{"present", AttendanceStatus::kPresent},
                                        {"absent", AttendanceStatus::kAbsent},
                                        {"partial", AttendanceStatus::kPartial},
                                        {"aanwezig", AttendanceStatus::kPresent},
                                        {"afwezig", AttendanceStatus::kAbsent},
                                        {"gedeeltelijk", AttendanceStatus::kPartial}},
                                       "attendance status", "present, absent or partial");
}

std::string_view ToString(Mode v) {
  switch (v) {
    case Mode::kOnSite:
      return "on_site";
    case Mode::kRemote:
      return "remote";
  }
  return "?";
}
Result<Mode> ParseMode(std::string_view text) {
  return ParseByName<Mode>(text,
                           {{"on_site", Mode::kOnSite},
                            {"onsite", Mode::kOnSite},
                            {"remote", Mode::kRemote},
                            {"op_locatie", Mode::kOnSite},
                            {"op_afstand", Mode::kRemote}},
                           "mode", "on_site or remote");
}

std::string_view ToString(AbsenceReason v) {
  switch (v) {
    case AbsenceReason::kNone:
      return "none";
    case AbsenceReason::kIllness:
      return "illness";
    case AbsenceReason::kWedding:
      return "wedding";
    case AbsenceReason::kFuneral:
      return "funeral";
    case AbsenceReason::kReligiousHoliday:
      return "religious_holiday";
    case AbsenceReason::kOther:
      return "other";
    case AbsenceReason::kDoubtful:
      return "doubtful";
  }
  return "?";
}
Result<AbsenceReason> ParseAbsenceReason(std::string_view text) {
  // The Dutch words are the note's ('Geoorloofd en ongeoorloofd verzuim'): a
  // teacher may type what the learner said. An empty field (a CSV column left
  // blank) means no reason yet.
  return ParseByName<AbsenceReason>(
      text,
      {{"none", AbsenceReason::kNone},
       {"", AbsenceReason::kNone},
       {"illness", AbsenceReason::kIllness},
       {"wedding", AbsenceReason::kWedding},
       {"funeral", AbsenceReason::kFuneral},
       {"religious_holiday", AbsenceReason::kReligiousHoliday},
       {"other", AbsenceReason::kOther},
       {"doubtful", AbsenceReason::kDoubtful},
       {"ziek", AbsenceReason::kIllness},
       {"ziekte", AbsenceReason::kIllness},
       {"huwelijk", AbsenceReason::kWedding},
       {"begrafenis", AbsenceReason::kFuneral},
       {"religieuze_feestdag", AbsenceReason::kReligiousHoliday},
       {"feestdag", AbsenceReason::kReligiousHoliday},
       {"anders", AbsenceReason::kOther},
       {"overig", AbsenceReason::kOther},
       {"twijfel", AbsenceReason::kDoubtful}},
      "absence reason", "illness, wedding, funeral, religious_holiday, other, doubtful or none");
}

std::string_view ToString(Classification v) {
  switch (v) {
    case Classification::kNotApplicable:
      return "n/a";
    case Classification::kExcused:
      return "excused";
    case Classification::kUnexcused:
      return "unexcused";
    case Classification::kPending:
      return "pending";
  }
  return "?";
}
Result<Classification> ParseClassification(std::string_view text) {
  return ParseByName<Classification>(text,
                                     {{"n/a", Classification::kNotApplicable},
                                      {"excused", Classification::kExcused},
                                      {"unexcused", Classification::kUnexcused},
                                      {"pending", Classification::kPending},
                                      {"geoorloofd", Classification::kExcused},
                                      {"ongeoorloofd", Classification::kUnexcused}},
                                     "classification", "excused, unexcused, pending or n/a");
}

std::string_view ToString(Role v) {
  switch (v) {
    case Role::kTeacher:
      return "teacher";
    case Role::kAdmin:
      return "admin";
    case Role::kHub:
      return "hub";
    case Role::kDuo:
      return "duo";
    case Role::kGemeente:
      return "gemeente";
    case Role::kBow:
      return "bow";
  }
  return "?";
}
Result<Role> ParseRole(std::string_view text) {
  return ParseByName<Role>(text,
                           {{"teacher", Role::kTeacher},
                            {"admin", Role::kAdmin},
                            {"hub", Role::kHub},
                            {"duo", Role::kDuo},
                            {"gemeente", Role::kGemeente},
                            {"bow", Role::kBow}},
                           "role", "teacher, admin, hub, duo, gemeente or bow");
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
