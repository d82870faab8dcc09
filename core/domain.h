// The records of the register: learners, courses, enrolments, lessons and
// attendance (docs/rules.md). Plain values; validation is explicit.
//
// Every enum has a stable text name (ToString / Parse...). Those names are
// written to disk, to CSV files and to --json output: they are permanent.
#ifndef PRESENTIE_CORE_DOMAIN_H_
#define PRESENTIE_CORE_DOMAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/civil_time.h"
#include "core/status.h"

namespace presentie {

// inburgeringsplichtige's group; decides routing (R1) and who classifies (R2).
enum class Category { kFamilyMigrant, kOtherMigrant, kAsylumPermitHolder };
// "family_migrant", "other_migrant", "asylum_permit_holder"
std::string_view ToString(Category v);
Result<Category> ParseCategory(std::string_view text);

enum class Regime { kWi2013, kWi2021 };  // "wi2013", "wi2021"
std::string_view ToString(Regime v);
Result<Regime> ParseRegime(std::string_view text);

// leerroute of the PIP (Wi2021 only); codes as in DUO's gemeente API.
enum class Route { kNone, kB1, kEducation, kZ };  // "", "B", "O", "Z"
std::string_view ToString(Route v);
// Accepts "B", "O", "Z" (any case) and "" / "-" for none.
Result<Route> ParseRoute(std::string_view text);

enum class Level { kNone, kA2, kB1 };  // "", "A2", "B1"
std::string_view ToString(Level v);
Result<Level> ParseLevel(std::string_view text);

// indicatorAlfabetiseringsonderwijs of the PIP.
enum class Literacy { kNvt, kA, kAA };  // "NVT", "A", "AA"
std::string_view ToString(Literacy v);
Result<Literacy> ParseLiteracy(std::string_view text);

// What a course teaches; decides which norm its hours count toward (R3).
enum class Component { kNt2, kKnm, kLiteracy };  // "nt2", "knm", "literacy"
std::string_view ToString(Component v);
Result<Component> ParseComponent(std::string_view text);

enum class AttendanceStatus { kPresent, kAbsent, kPartial };  // "present", "absent", "partial"
std::string_view ToString(AttendanceStatus v);
Result<AttendanceStatus> ParseAttendanceStatus(std::string_view text);

// Where the learner followed the lesson. Remote time is recorded but never
// counts toward attended hours (R5).
enum class Mode { kOnSite, kRemote };  // "on_site", "remote"
std::string_view ToString(Mode v);
Result<Mode> ParseMode(std::string_view text);

// The reason the learner gave for an absence (R2, docs/rules.md). Health
// data: it never leaves the school. kNone: no reason recorded (yet).
// kDoubtful: a reason was given but the school doubts which kind it is.
enum class AbsenceReason {
  kNone, kIllness, kWedding, kFuneral, kReligiousHoliday, kOther, kDoubtful
};
// "none", "illness", "wedding", "funeral", "religious_holiday", "other", "doubtful"
std::string_view ToString(AbsenceReason v);
// Also accepts the Dutch words: ziek/ziekte, huwelijk, begrafenis,
// religieuze_feestdag/feestdag, anders/overig, twijfel.
Result<AbsenceReason> ParseAbsenceReason(std::string_view text);

enum class Classification { kNotApplicable, kExcused, kUnexcused, kPending };
// "n/a", "excused", "unexcused", "pending"
std::string_view ToString(Classification v);
Result<Classification> ParseClassification(std::string_view text);

// Who writes. The school's roles, the school's hub, and the authorities.
enum class Role { kTeacher, kAdmin, kHub, kDuo, kGemeente, kBow };
// "teacher", "admin", "hub", "duo", "gemeente", "bow"
std::string_view ToString(Role v);
Result<Role> ParseRole(std::string_view text);

// A text field of a record: valid UTF-8, at most `max_chars` characters,
// no control characters, and not blank when `required`. The message names
// `field`, never the text (a name or a note is personal data).
Status ValidateText(std::string_view field, std::string_view text, size_t max_chars,
                    bool required);

struct Learner {
  std::string id;        // school's key (ValidateRecordKey)
  std::string bsn;       // canonical 9 digits
  std::string name;      // as the school addresses the learner
  Category category = Category::kFamilyMigrant;
  Regime regime = Regime::kWi2021;
  Route route = Route::kNone;       // required under Wi2021, kNone under Wi2013
  Level level = Level::kNone;       // target level of the PIP
  Literacy literacy = Literacy::kNvt;
  int estimated_hours = 0;          // geschatteIntensiteitB1Route, 0..9999; 0 = unknown
  std::string gemeente_code;        // CBS code, 4 digits; required for Wi2021 asylum permit holders
  int lessons_per_week = 0;         // intensity set by the PIP, 0..40; 0 = unknown
  bool operator==(const Learner&) const = default;
};
// Checks every field, the BSN by the elfproef; the message names the field.
Status Validate(const Learner& l);
// True when the gemeente, not the school, classifies this learner's absences
// and receives their hours: asylum permit holders under Wi2021 (R1, R2).
bool GemeenteIsResponsible(const Learner& l);

struct Course {
  std::string id;
  std::string name;
  Component component = Component::kNt2;
  Regime regime = Regime::kWi2021;
  Route route = Route::kNone;  // the leerroute the course serves (Wi2021)
  std::optional<Date> start_date;
  std::optional<Date> end_date;  // not before start_date
  int hours_purchased = 0;       // for DUO's monthly file, 0..9999
  bool operator==(const Course&) const = default;
};
Status Validate(const Course& c);

// A learner taking a course: the roster that "--all-present" marks.
struct Enrollment {
  std::string id;  // EnrollmentId(course_id, learner_id)
  std::string course_id;
  std::string learner_id;
  bool active = true;  // false once the learner left the course
  bool operator==(const Enrollment&) const = default;
};

struct Lesson {
  std::string id;  // DefaultLessonId(course_id, start) unless chosen
  std::string course_id;
  DateTime start;
  int duration_minutes = 0;  // 1..720
  std::string teacher;       // who teaches it (a name or staff code)
  bool operator==(const Lesson&) const = default;
};
Status Validate(const Lesson& l);

// A teacher's qualification to teach a component (kwalificatie docent):
// what Blik op Werk asks for when a school registers and at inspections of
// lesson quality (the note's section '… en Blik op Werk'). Kept by the
// school's admin. `teacher` is the text the lessons carry in their teacher
// field: a qualification belongs to the lessons given under that name.
struct Qualification {
  std::string id;  // DefaultQualificationId(teacher, component) unless chosen
  std::string teacher;
  Component component = Component::kNt2;  // what it qualifies the teacher to teach
  std::string title;                      // the diploma or certificate
  Date obtained;
  bool operator==(const Qualification&) const = default;
};
// A record key, a teacher and a title (1..200 characters, no control
// characters), a valid date.
Status Validate(const Qualification& q);
// "<teacher's name in lowercase letters and digits, other runs as '-'>.<component>",
// e.g. "j-de-vries.nt2"; "" when the name has no letter or digit (the
// caller then asks for an id).
std::string DefaultQualificationId(std::string_view teacher, Component component);

// A decision on an absence's classification by someone entitled to make it:
// the school admin, or (Wi2021 asylum permit holders) the gemeente.
struct ClassificationDecision {
  Classification value = Classification::kPending;  // kExcused or kUnexcused
  Role decided_by = Role::kAdmin;                   // kAdmin or kGemeente
  bool operator==(const ClassificationDecision&) const = default;
};

struct Attendance {
  std::string id;  // AttendanceId(lesson_id, learner_id)
  std::string lesson_id;
  std::string learner_id;
  AttendanceStatus status = AttendanceStatus::kPresent;
  // Minutes the learner was there: the lesson's duration when present, 0 when
  // absent, 1..duration-1 when partial.
  int minutes_present = 0;
  Mode mode = Mode::kOnSite;
  bool notified_in_advance = false;  // vooraf afgemeld
  AbsenceReason reason = AbsenceReason::kNone;
  std::string note;  // free text about the reason; never leaves the school
  std::optional<ClassificationDecision> decision;
  bool operator==(const Attendance&) const = default;
};
// Checks the facts against the lesson's duration: minutes in range and
// consistent with the status, no reason or notice on a full presence.
Status Validate(const Attendance& a, int lesson_duration_minutes);
// Minutes the learner missed of the lesson (0 when present).
int MinutesAbsent(const Attendance& a, int lesson_duration_minutes);

}  // namespace presentie

#endif  // PRESENTIE_CORE_DOMAIN_H_
