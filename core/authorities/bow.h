// What presentie exchanges with Blik op Werk: the course planning and the teachers'
// qualifications of the courses under its keurmerk.
//
// Who appears is R1's decision (core/routing.h), never this file's. Minutes
// are kept to the end and turned into whole hours once, by WholeHours (R5).
#ifndef PRESENTIE_CORE_AUTHORITIES_BOW_H_
#define PRESENTIE_CORE_AUTHORITIES_BOW_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/hours.h"

namespace presentie::exports {

// --- Blik op Werk (the note's section '… en Blik op Werk'): the course
// planning, and the qualifications of the teachers who give those courses —
// for B1-route, Z-route and Wi2013 courses only (R1, CourseRecipients; the
// onderwijsroute is the Inspectie's). No learner data at all: BoW audits the
// school, not the learners. Both are submissions like DUO's and the
// gemeente's rows: derived by `presentie submit bow`, versioned, a later
// change sent as a correction.

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
  int lessons = 0;                    // lessons planned
  int64_t planned_minutes = 0;        // their duration together
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

#endif  // PRESENTIE_CORE_AUTHORITIES_BOW_H_
