// What presentie exchanges with the gemeente: the report of its asylum permit holders'
// hours per reference date, their absences for it to classify, its
// decisions, and the PIP and NAW data it sends back.
//
// Who appears is R1's decision (core/routing.h), never this file's. Minutes
// are kept to the end and turned into whole hours once, by WholeHours (R5).
#ifndef PRESENTIE_CORE_AUTHORITIES_GEMEENTE_H_
#define PRESENTIE_CORE_AUTHORITIES_GEMEENTE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/hours.h"

namespace presentie::exports {

// --- Gemeente: per asylum permit holder and reference date (peildatum), the
// Gemeentelijk Gegevensmodel's attended, excused-absence, unexcused-absence
// and literacy hours.
//
// R1 sends the gemeente the absence facts of its asylum permit holders, not
// the school's classification (the gemeente classifies: R2, docs/rules.md):
// the excused and unexcused hours are those the gemeente itself classified;
// absences it has not classified yet are reported as such, with how many of
// their hours were notified in advance (docs/exports.md, "Inferences"). The
// school's R2 advice and every reason stay at the school.
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
// permit holders (R2, docs/rules.md). The school reports each absence's facts —
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
  Route route = Route::kB1;            // B, O or Z
  Level level = Level::kB1;            // A2 or B1
  Literacy literacy = Literacy::kNvt;  // A, AA or NVT
  int estimated_hours = 0;             // 0..9999; 0 = not estimated
  int lessons_per_week = 0;            // 0..40; 0 = not set
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
// (Bi2021 art. 9.2 lid 4; R1's inbound data in docs/rules.md). Written at
// the gemeente's endpoint, for a learner a school submitted hours of there;
// the school shows its name over its own while it applies, and keeps the
// address only here (docs/authorities.md, "The gemeente's NAW data").
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

}  // namespace presentie::exports

#endif  // PRESENTIE_CORE_AUTHORITIES_GEMEENTE_H_
