// Hours per learner and component (R5), the hour norms (R3) and the
// substantial-effort check (R4).
#ifndef PRESENTIE_CORE_HOURS_H_
#define PRESENTIE_CORE_HOURS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/domain.h"

namespace presentie {

// One lesson of a course the learner is enrolled in, with the learner's
// attendance if one was recorded.
struct LessonLine {
  Component component = Component::kNt2;
  int duration_minutes = 0;
  std::optional<Attendance> attendance;  // nullopt: not recorded (yet)
  // The record's versions disagree on presence (present versus absent, other
  // minutes, on site versus remote): an open conflict; its minutes are
  // disputed until an admin resolves it.
  bool disputed = false;
  // Where the line comes from, for the exports' per-course and per-date
  // sums (core/authorities/); the hours report does not need them.
  std::string course_id;
  DateTime start;
};

// Minutes of one component. Only on-site presence counts (R5); remote time is
// kept apart and never counts.
struct ComponentMinutes {
  int64_t attended = 0;          // on site: counts toward hours and norms
  int64_t remote = 0;            // recorded, does not count (R5)
  int64_t excused_absent = 0;    // missed minutes classified excused
  int64_t unexcused_absent = 0;  // missed minutes classified unexcused
  int64_t pending_absent = 0;    // missed minutes not yet classified
  int lessons = 0;               // lessons planned for the learner
  int unrecorded = 0;            // of those, lessons with no attendance yet
  // Minutes of lessons whose record is disputed (LessonLine::disputed): the
  // whole lesson's duration, whatever the shown value says. The counts above
  // still come from the shown value; this says how much of them an open
  // present-versus-absent conflict puts in doubt until an admin resolves it.
  int64_t disputed = 0;
  bool operator==(const ComponentMinutes&) const = default;
};

struct HoursSummary {
  std::array<ComponentMinutes, 3> by_component{};  // indexed by Component
  const ComponentMinutes& of(Component c) const { return by_component[static_cast<int>(c)]; }
  ComponentMinutes total() const;
};

// Adds up the lines. Absent minutes are classified by R2 (Classify) for this
// learner; partial attendance contributes both attended and absent minutes.
// A disputed line adds its duration to `disputed` as well.
HoursSummary Summarize(const Learner& learner, std::span<const LessonLine> lines);

// The one rounding rule (R5): authorities take whole hours as running totals
// that replace the previous value; minutes are kept, and converted once, at
// the edge, by rounding down to the completed hour. A cumulative total thus
// never claims an hour that was not attended and is never more than 59
// minutes behind. Negative input is a programmer error.
int64_t WholeHours(int64_t minutes);

// R3 (docs/rules.md).
namespace norm {
inline constexpr std::string_view kB1DownscaleA2 = "R3.b1-downscale-a2";  // 600 h NT2 incl. literacy
inline constexpr std::string_view kZRoute = "R3.z-route";                // 800 h NT2/KNM incl. literacy
inline constexpr int64_t kB1DownscaleMinutes = 600 * 60;
inline constexpr int64_t kZRouteMinutes = 800 * 60;
}  // namespace norm

struct NormVerdict {
  std::string_view norm;          // norm::k...
  bool applies = false;           // the learner's route has this norm
  int64_t counted_minutes = 0;    // minutes of the components the norm counts
  int64_t norm_minutes = 0;
  bool met = false;               // counted_minutes >= norm_minutes
};
// Components counted: B1-downscale: NT2 + literacy; Z-route: NT2 + KNM +
// literacy. Applies by route: B → the B1-downscale norm, Z → the Z-route norm.
bool CountsToward(std::string_view norm, Component c);
// Both norms, in the order above, each marked whether it applies.
std::array<NormVerdict, 2> EvaluateNorms(const Learner& learner, const HoursSummary& s);

// R4 (docs/rules.md; Bi2021 art. 4.4): a B1-route learner qualifies for
// "aanzienlijke inspanningen" only if they followed every language (NT2,
// literacy) and KNM lesson, excused absences aside.
enum class EffortVerdict {
  kNotApplicable,  // not on the B1-route
  kQualifies,      // every lesson followed or missed with excuse
  kDoesNotQualify, // at least one unexcused absence (even a partial one)
  kUndetermined,   // no unexcused absence, but some not classified or recorded yet
};
std::string_view ToString(EffortVerdict v);  // "n/a", "qualifies", "does_not_qualify", "undetermined"
struct EffortResult {
  EffortVerdict verdict = EffortVerdict::kNotApplicable;
  int unexcused_lessons = 0;
  int pending_lessons = 0;     // absences awaiting a reason or decision
  int unrecorded_lessons = 0;
};
EffortResult SubstantialEffort(const Learner& learner, std::span<const LessonLine> lines);

}  // namespace presentie

#endif  // PRESENTIE_CORE_HOURS_H_
