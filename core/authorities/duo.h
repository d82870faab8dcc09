// What presentie exchanges with DUO: its monthly hours file, the same rows as records for its
// endpoint, the absences it classifies from the school, and what it sends back (exam results, the
// state of the integration duty).
//
// Who appears is R1's decision (core/routing.h), never this file's. Minutes
// are kept to the end and turned into whole hours once, by WholeHours (R5).
#ifndef PRESENTIE_CORE_AUTHORITIES_DUO_H_
#define PRESENTIE_CORE_AUTHORITIES_DUO_H_

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
  std::string id;          // DuoExamResultId(learner_id, exam, taken_on)
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

// "<BoW number without leading zeros>Aanlevering<yyyymmdd>.csv". The number
// must pass ValidateBowNumber; kInvalidArgument otherwise, or if it is all
// zeros.
Result<std::string> DuoFileName(std::string_view bow_number, Date as_of);

// Header and one line per row, ';'-separated, dates dd-mm-jjjj, CRLF line
// ends (what Dutch spreadsheets and Mijn DUO's uploads expect); the columns
// are listed in docs/exports.md.
std::string DuoCsv(std::span<const DuoRow> rows);

}  // namespace presentie::exports

#endif  // PRESENTIE_CORE_AUTHORITIES_DUO_H_
