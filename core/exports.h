// The files the authorities take today (DESIGN.md §3a), computed from the
// register's lessons: DUO's monthly CSV and the gemeente's report per
// reference date. Pure: the caller reads the register and writes the file.
//
// Who appears is R1's decision (core/routing.h), never this file's: DUO's
// file holds the learners whose attended hours R1 routes to DUO, the
// gemeente's the asylum permit holders of that gemeente whose hours R1
// routes to it. Minutes are kept to the end and turned into whole hours once,
// by WholeHours (R5).
#ifndef PRESENTIE_CORE_EXPORTS_H_
#define PRESENTIE_CORE_EXPORTS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/hours.h"

namespace presentie::exports {

// --- DUO: "<BoW number>Aanlevering<yyyymmdd>.csv", monthly, current year,
// cumulative (duo.nl, "uitwisselen contractgegevens").

// DUO's "soort cursus". Derived from the course (an inference, docs/exports.md):
// literacy → alfabetiseringscursus; a course of the onderwijsroute, which
// prepares for the NT2 state exam → NT2-cursus; every other course
// (B1-route, Z-route, Wi2013, KNM) → inburgeringscursus.
enum class DuoCourseType { kLiteracy, kIntegration, kNt2 };
std::string_view ToString(
    DuoCourseType t);  // "alfabetiseringscursus", "inburgeringscursus", "NT2-cursus"
DuoCourseType DuoCourseTypeOf(const Course& c);

// A course as the file needs it: its own dates where the admin set them,
// else its first and last planned lesson (an inference, docs/exports.md).
struct DuoCourse {
  Course course;
  std::optional<Date> first_lesson;
  std::optional<Date> last_lesson;
};

struct DuoRow {
  std::string learner_id;  // not in the file: for the admin's summary
  std::string bsn;
  std::string course_id;  // not in the file
  DuoCourseType type = DuoCourseType::kIntegration;
  Date start;
  Date end;
  int hours_purchased = 0;
  int64_t attended_minutes = 0;  // on site (R5), 1 January .. as_of
  int64_t hours_attended = 0;    // WholeHours(attended_minutes)
  // ONA (Oriëntatie op de Nederlandse Arbeidsmarkt) hours: the register
  // records no ONA component, so none are attended here (docs/exports.md).
  int64_t ona_hours = 0;
  // Not in the file: minutes of lessons counted here whose record has an
  // open presence conflict, so the admin can resolve them before sending.
  int64_t disputed_minutes = 0;
  bool operator==(const DuoRow&) const = default;
};

// The rows of one learner on `as_of`: one per course of the learner's lines
// whose period overlaps the year of `as_of` up to that day; none when R1 does
// not route the learner's attended hours to DUO. `lines` must carry
// course_id and start (storage fills them). Courses not in `courses` are
// skipped (received lessons whose course has not arrived yet).
std::vector<DuoRow> DuoRowsFor(const Learner& learner, std::span<const LessonLine> lines,
                               std::span<const DuoCourse> courses, Date as_of);

// --- The same rows as records for DUO's endpoint (docs/authorities.md,
// "Submissions"): one per learner, course and month, derived by the school's
// admin from the register and versioned like every record, so that a later
// change to a month already sent travels as a new version of it — a
// correction — never as a silent rewrite.
struct DuoHours {
  std::string id;  // DuoHoursId(learner_id, course_id, as_of)
  std::string learner_id;
  std::string course_id;
  Date as_of;  // the hours count from 1 January of its year up to this day
  std::string bsn;
  DuoCourseType type = DuoCourseType::kIntegration;
  Date start;
  Date end;
  int hours_purchased = 0;
  int64_t hours_attended = 0;
  int64_t ona_hours = 0;
  bool operator==(const DuoHours&) const = default;
};
// "duo/<learner>/<course>/<yyyy-mm>": one record per month.
std::string DuoHoursId(std::string_view learner_id, std::string_view course_id, Date as_of);
DuoHours DuoHoursOf(const DuoRow& row, Date as_of);
// Keys, the id against them, a valid BSN, dates, start <= end, hours >= 0.
Status Validate(const DuoHours& h);
Result<DuoCourseType> ParseDuoCourseType(std::string_view text);

// The school's classification of each absence of a learner whose absences
// the school classifies and R1 routes to DUO (family and other migrants,
// everyone under Wi2013): when, how many minutes, excused or unexcused. No
// reason, no note. An absence not classified yet (no reason recorded) waits
// until it is; one that is no longer an absence, or no longer classified, is
// sent again with 0 minutes and kNotApplicable: a withdrawal.
struct DuoAbsence {
  std::string id;  // DuoAbsenceId(lesson_id, learner_id)
  std::string lesson_id;
  std::string learner_id;
  std::string bsn;
  DateTime lesson_start;
  int minutes_absent = 0;
  Classification classification = Classification::kExcused;
  bool operator==(const DuoAbsence&) const = default;
};
// "duo/absence/<lesson>/<learner>".
std::string DuoAbsenceId(std::string_view lesson_id, std::string_view learner_id);
// Keys, the id, a valid BSN, minutes 0..720; excused or unexcused with
// minutes, not applicable without (withdrawn).
Status Validate(const DuoAbsence& a);
// The classified absences of one learner in the year of `as_of`, up to it.
std::vector<DuoAbsence> DuoAbsencesFor(const Learner& learner, std::span<const LessonLine> lines,
                                       Date as_of);

// --- What DUO sends back: the result of an exam of the integration (or
// the NT2 state exam) taken by a learner the school reports hours of. DUO
// writes it at its endpoint (`presentie exams record`); the school pulls
// it and shows it read-only (`presentie exams list`).
enum class DuoExam { kLezen, kLuisteren, kSchrijven, kSpreken, kKnm, kOna, kStaatsexamen };
// "lezen", "luisteren", "schrijven", "spreken", "knm", "ona", "staatsexamen_nt2"
std::string_view ToString(DuoExam e);
Result<DuoExam> ParseDuoExam(std::string_view text);
struct DuoExamResult {
  std::string id;  // DuoExamResultId(learner_id, exam, taken_on)
  std::string learner_id;  // the school's key, from the rows DUO received
  std::string bsn;
  DuoExam exam = DuoExam::kLezen;
  Level level = Level::kNone;  // A2 or B1 for the language parts; none for KNM, ONA
  bool passed = false;
  Date taken_on;
  bool operator==(const DuoExamResult&) const = default;
};
// "duo/exam/<learner>/<exam>/<yyyy-mm-dd>".
std::string DuoExamResultId(std::string_view learner_id, DuoExam exam, Date taken_on);
// Keys, the id, a valid BSN, a level for a language part and none for KNM
// and ONA.
Status Validate(const DuoExamResult& r);

// What DUO sends back about a learner's integration duty (inburgeringsplicht):
// still running, with the end of the term; extended (DUO lengthened the
// term, for instance for substantial effort, R4); fulfilled; or exempted
// (ontheffing). One record per learner, replaced as DUO's view changes.
enum class DutyStatus { kRunning, kExtended, kFulfilled, kExempted };
// "running", "extended", "fulfilled", "exempted"
std::string_view ToString(DutyStatus s);
Result<DutyStatus> ParseDutyStatus(std::string_view text);
struct DuoDuty {
  std::string id;          // DuoDutyId(learner_id)
  std::string learner_id;  // the school's key, from the rows DUO received
  std::string bsn;
  DutyStatus status = DutyStatus::kRunning;
  std::optional<Date> term_end;  // running and extended: when the term ends; else none
  Date decided_on;
  bool operator==(const DuoDuty&) const = default;
};
// "duo/duty/<learner>".
std::string DuoDutyId(std::string_view learner_id);
// Keys, the id, a valid BSN, a term end for running and extended and none
// for fulfilled and exempted, valid dates.
Status Validate(const DuoDuty& d);

// --- What the school's admin enters for DUO, and for the gemeente: contracts,
// invoices and bridging diplomas (seed §2, "Contracten en facturen",
// "Taalschakeltrajecten"). Each is sent as entered: R1 gives its receiver
// every field it has (docs/authorities.md, "Contracts, invoices, bridging
// diplomas"). The store copies the learner's BSN in when the admin enters one.

// A learner's contract with the school (contractgegevens). R1 sends every
// contract to DUO, an asylum permit holder's too: DUO passes its data to the
// Belastingdienst (childcare allowance) and uses it to return exam results.
struct Contract {
  std::string id;  // the school's contract number: a record key
  std::string learner_id;
  std::string bsn;
  Date signed_on;
  Date start;
  Date end;
  int hours = 0;            // contracted hours, 1..9999
  int64_t price_cents = 0;  // 0..10,000,000 (euro cents)
  bool operator==(const Contract&) const = default;
};
// Keys, a valid BSN, valid dates, signed_on <= end, start <= end, hours and
// price in range.
Status Validate(const Contract& c);

// An invoice on a contract (factuur). R1 sends it to DUO (a family or other
// migrant's loan; an asylum permit holder under Wi2013), to nobody for a
// Wi2021 asylum permit holder (the gemeente contracts the school): the store
// refuses to enter one for such a learner.
struct Invoice {
  std::string id;  // the school's invoice number: a record key
  std::string contract_id;
  std::string learner_id;
  std::string bsn;
  Date invoiced_on;
  int hours = 0;             // hours invoiced, 0..9999
  int64_t amount_cents = 0;  // 1..10,000,000 (euro cents)
  bool operator==(const Invoice&) const = default;
};
// Keys, a valid BSN, a valid date, hours and amount in range.
Status Validate(const Invoice& i);

// That a learner on the onderwijsroute has a bridging diploma
// (taalschakeldiploma): DUO needs to know only that there is one, not which
// of the seven programmes (seed §2, note 8), and neither does the gemeente,
// which passes it on to DUO for its Wi2021 asylum permit holders — so that is
// all this record holds. Its receiver is in its id, fixed by R1 when entered.
struct BridgingDiploma {
  std::string id;  // BridgingDiplomaId(learner_id, gemeente_code)
  std::string learner_id;
  std::string bsn;
  std::string gemeente_code;  // the receiving gemeente; "" when DUO receives it
  Date awarded_on;
  bool operator==(const BridgingDiploma&) const = default;
};
// "duo/diploma/<learner>", or "gemeente/<code>/diploma/<learner>".
std::string BridgingDiplomaId(std::string_view learner_id, std::string_view gemeente_code);
// Keys, the id, a valid BSN, a CBS code or none, a valid date.
Status Validate(const BridgingDiploma& d);

// "<BoW number without leading zeros>Aanlevering<yyyymmdd>.csv". The number
// must pass ValidateBowNumber; kInvalidArgument otherwise, or if it is all
// zeros.
Result<std::string> DuoFileName(std::string_view bow_number, Date as_of);

// Header and one line per row, ';'-separated, dates dd-mm-jjjj, CRLF line
// ends (what Dutch spreadsheets and Mijn DUO's uploads expect); the columns
// are listed in docs/exports.md.
std::string DuoCsv(std::span<const DuoRow> rows);

// --- Gemeente: per asylum permit holder and reference date (peildatum), the
// Gemeentelijk Gegevensmodel's attended, excused-absence, unexcused-absence
// and literacy hours.
//
// R1 sends the gemeente the absence facts of its asylum permit holders, not
// the school's classification (the gemeente classifies, seed §5): the
// excused and unexcused hours are those the gemeente itself classified;
// absences it has not classified yet are reported as such, with how many of
// their hours were notified in advance. The school's R2 advice and every
// reason stay at the school.
struct GemeenteRow {
  std::string learner_id;  // not in the file
  std::string bsn;
  std::string gemeente_code;
  Date peildatum;
  int64_t attended_minutes = 0;      // NT2 + KNM on site (participatietaalles)
  int64_t literacy_minutes = 0;      // literacy on site
  int64_t excused_minutes = 0;       // classified excused by the gemeente
  int64_t unexcused_minutes = 0;     // classified unexcused by the gemeente
  int64_t unclassified_minutes = 0;  // absent, not classified by the gemeente yet
  int64_t notified_minutes = 0;      // of those, notified in advance
  int64_t disputed_minutes = 0;      // lessons under an open presence conflict
  bool operator==(const GemeenteRow&) const = default;
};

// The row of one learner, or nullopt when the learner is not an asylum
// permit holder of `gemeente_code` whose hours R1 routes to the gemeente.
// Counts every recorded lesson that started on or before `peildatum`
// (cumulative since the start of the learner's course).
std::optional<GemeenteRow> GemeenteRowFor(const Learner& learner, std::span<const LessonLine> lines,
                                          std::string_view gemeente_code, Date peildatum);

// Header and one line per row, ';'-separated, whole hours, CRLF line ends;
// the columns are listed in docs/exports.md.
std::string GemeenteCsv(std::span<const GemeenteRow> rows);

// The same row as a record for the gemeente's endpoint (docs/authorities.md):
// one per asylum permit holder and reference date, in whole hours as the
// file has them. A second submission for the same date after an edit is a
// new version of it: a correction.
struct GemeenteHours {
  std::string id;  // GemeenteHoursId(gemeente_code, learner_id, peildatum)
  std::string learner_id;
  std::string gemeente_code;
  Date peildatum;
  std::string bsn;
  int64_t attended_hours = 0;
  int64_t literacy_hours = 0;
  int64_t excused_hours = 0;
  int64_t unexcused_hours = 0;
  int64_t unclassified_hours = 0;
  int64_t notified_hours = 0;
  bool operator==(const GemeenteHours&) const = default;
};
// "gemeente/<code>/<learner>/<yyyy-mm-dd>".
std::string GemeenteHoursId(std::string_view gemeente_code, std::string_view learner_id,
                            Date peildatum);
GemeenteHours GemeenteHoursOf(const GemeenteRow& row);
// Keys, the CBS code, the id against them, a valid BSN, hours >= 0.
Status Validate(const GemeenteHours& h);
// The CBS code of a submission id "gemeente/<code>/...", or "" for another id.
std::string_view GemeenteOfSubmissionId(std::string_view id);

// --- Verzuim: the gemeente classifies the absences of its Wi2021 asylum
// permit holders (seed §5, R2). The school reports each absence's facts —
// when, how many minutes, whether notified in advance — never its reason or
// note, nor the school's own view (advice that stays at the school). The
// gemeente answers with its decision per absence, which the school's
// registers then show over their own (core/classification.h).

// One absence as the gemeente's endpoint receives it. A lesson that is no
// longer an absence (an edit after it was sent) is sent again with 0
// minutes: a correction that withdraws it.
struct GemeenteAbsence {
  std::string id;  // GemeenteAbsenceId(gemeente_code, lesson_id, learner_id)
  std::string lesson_id;
  std::string learner_id;
  std::string gemeente_code;
  std::string bsn;
  DateTime lesson_start;
  int minutes_absent = 0;  // 0: withdrawn
  bool notified_in_advance = false;
  bool operator==(const GemeenteAbsence&) const = default;
};
// "gemeente/<code>/absence/<lesson>/<learner>".
std::string GemeenteAbsenceId(std::string_view gemeente_code, std::string_view lesson_id,
                              std::string_view learner_id);
// Keys, the CBS code, the id against them, a valid BSN, minutes >= 0, notice
// only with minutes.
Status Validate(const GemeenteAbsence& a);
// The absences of one learner up to and including `peildatum`: none when the
// learner is not an asylum permit holder of `gemeente_code` whose absences R1
// sends the gemeente (the same learners as GemeenteRowFor).
std::vector<GemeenteAbsence> GemeenteAbsencesFor(const Learner& learner,
                                                 std::span<const LessonLine> lines,
                                                 std::string_view gemeente_code, Date peildatum);

// The gemeente's classification of one absence, written at its endpoint
// (`presentie absences decide`) and pulled by the school.
struct GemeenteDecision {
  std::string id;  // GemeenteDecisionId(gemeente_code, lesson_id, learner_id)
  std::string lesson_id;
  std::string learner_id;
  std::string gemeente_code;
  Classification value = Classification::kExcused;  // kExcused or kUnexcused
  Date decided_on;
  bool operator==(const GemeenteDecision&) const = default;
};
// "gemeente/<code>/decision/<lesson>/<learner>".
std::string GemeenteDecisionId(std::string_view gemeente_code, std::string_view lesson_id,
                               std::string_view learner_id);
// Keys, the CBS code, the id against them, a value of excused or unexcused.
Status Validate(const GemeenteDecision& d);

// The gemeente's personal plan (PIP) for one of its Wi2021 asylum permit
// holders, as it comes back to the school (R1 inbound: "route, intensity
// and PIP changes"): the fields of DUO's gemeente OpenAPI (leerroute,
// niveau, indicatorAlfabetiseringsonderwijs, geschatteIntensiteitB1Route)
// and the intensity in lessons per week. Written at the gemeente's endpoint
// (`presentie pip set`), pulled by the school that sends that learner's
// hours there, and shown over the school's own values of those fields
// (docs/authorities.md, "The gemeente's PIP").
struct GemeentePip {
  std::string id;  // GemeentePipId(gemeente_code, learner_id)
  std::string learner_id;
  std::string gemeente_code;
  Route route = Route::kB1;                     // B, O or Z
  Level level = Level::kB1;                     // A2 or B1
  Literacy literacy = Literacy::kNvt;           // A, AA or NVT
  int estimated_hours = 0;                      // 0..9999; 0 = not estimated
  int lessons_per_week = 0;                     // 0..40; 0 = not set
  Date decided_on;
  bool operator==(const GemeentePip&) const = default;
};
// "gemeente/<code>/pip/<learner>".
std::string GemeentePipId(std::string_view gemeente_code, std::string_view learner_id);
// Keys, the CBS code, the id against them, a Wi2021 route, a level, the
// ranges.
Status Validate(const GemeentePip& p);
// `learner` with the PIP's fields in place of the school's.
Learner WithPip(Learner learner, const GemeentePip& pip);

// The NAW data (naam, adres, woonplaats) of a gemeente's Wi2021 asylum
// permit holder, which the gemeente gives the school, and its changes
// (Bi2021 art. 9.2 lid 4; seed §3). Written at the gemeente's endpoint, for
// a learner a school submitted hours of there; the school shows its name
// over its own while it applies, and keeps the address only here
// (docs/authorities.md, "The gemeente's NAW data").
struct GemeenteNaw {
  std::string id;  // GemeenteNawId(gemeente_code, learner_id)
  std::string learner_id;
  std::string gemeente_code;
  std::string name;
  std::string address;    // street and house number, e.g. "Kerkstraat 12 A"
  std::string postcode;   // "1011AB": NormalizePostcode's form
  std::string residence;  // woonplaats
  Date decided_on;
  bool operator==(const GemeenteNaw&) const = default;
};
// "gemeente/<code>/naw/<learner>".
std::string GemeenteNawId(std::string_view gemeente_code, std::string_view learner_id);
// Keys, the CBS code, the id against them; a name, an address and a
// residence (1..200 characters, no control characters); a postcode in its
// normal form; a valid date. Messages name the field, never its value.
Status Validate(const GemeenteNaw& n);
// `learner` with the gemeente's name in place of the school's.
Learner WithNaw(Learner learner, const GemeenteNaw& naw);

// --- Blik op Werk (seed §4): the course planning, and the qualifications
// of the teachers who give those courses — for B1-route, Z-route and Wi2013
// courses only (R1, CourseRecipients; the onderwijsroute is the
// Inspectie's). No learner data at all: BoW audits the school, not the
// learners. Both are submissions like DUO's and the gemeente's rows: derived
// by `presentie submit bow`, versioned, a later change sent as a correction.

// One course's planning: its period, how many lessons of how many minutes
// are planned, and who teaches them.
struct BowPlanning {
  std::string id;  // BowPlanningId(course_id)
  std::string course_id;
  std::string course_name;
  Component component = Component::kNt2;
  Regime regime = Regime::kWi2021;
  Route route = Route::kB1;
  Date start;  // the course's own dates where set, else its first and last lesson
  Date end;
  int lessons = 0;              // lessons planned
  int64_t planned_minutes = 0;  // their duration together
  std::vector<std::string> teachers;  // distinct, sorted
  bool operator==(const BowPlanning&) const = default;
};
// "bow/planning/<course>".
std::string BowPlanningId(std::string_view course_id);
// Keys, the id, a course R1 routes to BoW, start <= end, counts >= 0 (at
// most 100,000 lessons), at most 200 teachers, each a valid name.
Status Validate(const BowPlanning& p);
// The planning of `course` from its lessons (others in `lessons` are
// ignored): nullopt when R1 does not route its planning to BoW, or when it
// has neither dates nor lessons (nothing is planned yet).
std::optional<BowPlanning> BowPlanningFor(const Course& course, std::span<const Lesson> lessons);

// A teacher's qualification as BoW receives it.
struct BowQualification {
  std::string id;  // BowQualificationId(qualification_id)
  std::string qualification_id;
  std::string teacher;
  Component component = Component::kNt2;
  std::string title;
  Date obtained;
  bool operator==(const BowQualification&) const = default;
};
// "bow/qualification/<qualification id>".
std::string BowQualificationId(std::string_view qualification_id);
// The qualification's own checks, and the id against its key.
Status Validate(const BowQualification& q);
// The qualifications of the teachers named in `planning` (the courses BoW
// receives), in the order of `qualifications`. A teacher who gives only
// courses of the onderwijsroute is not named there, so BoW gets none of
// theirs.
std::vector<BowQualification> BowQualificationsFor(std::span<const Qualification> qualifications,
                                                   std::span<const BowPlanning> planning);

}  // namespace presentie::exports

#endif  // PRESENTIE_CORE_EXPORTS_H_
