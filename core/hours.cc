#include "core/hours.h"

#include <algorithm>
#include <cassert>

#include "core/classification.h"

namespace presentie {
namespace {

// Minutes the learner was there, from the status first: a full presence is
// the lesson's duration whatever minutes_present says, an absence is 0, a
// partial presence is clamped to the lesson. Consistent with MinutesAbsent,
// so attended + missed is always the lesson's duration.
int64_t MinutesThere(const Attendance& a, int duration) {
  return static_cast<int64_t>(duration) - MinutesAbsent(a, duration);
}

bool AppliesB1(const Learner& l) { return l.regime == Regime::kWi2021 && l.route == Route::kB1; }
bool AppliesZ(const Learner& l) { return l.regime == Regime::kWi2021 && l.route == Route::kZ; }

}  // namespace

ComponentMinutes HoursSummary::total() const {
  ComponentMinutes t;
  for (const ComponentMinutes& c : by_component) {
    t.attended += c.attended;
    t.remote += c.remote;
    t.excused_absent += c.excused_absent;
    t.unexcused_absent += c.unexcused_absent;
    t.pending_absent += c.pending_absent;
    t.lessons += c.lessons;
    t.unrecorded += c.unrecorded;
    t.disputed += c.disputed;
  }
  return t;
}

HoursSummary Summarize(const Learner& learner, std::span<const LessonLine> lines) {
  HoursSummary s;
  for (const LessonLine& line : lines) {
    const int index = static_cast<int>(line.component);
    if (index < 0 || index >= static_cast<int>(s.by_component.size())) continue;
    ComponentMinutes& m = s.by_component[index];
    const int duration = std::max(0, line.duration_minutes);
    ++m.lessons;
    if (!line.attendance) {
      ++m.unrecorded;
      continue;
    }
    const Attendance& a = *line.attendance;
    // The versions disagree on whether (or how long, or where) the learner
    // was there: the counts below are of the shown value, and the whole
    // lesson is marked as in doubt beside them.
    if (line.disputed) m.disputed += duration;
    // R5: "only time the learner was present at the school counts". Remote
    // minutes are kept so that a report can show them, apart.
    const int64_t there = MinutesThere(a, duration);
    if (a.mode == Mode::kRemote) {
      m.remote += there;
    } else {
      m.attended += there;
    }
    const int missed = MinutesAbsent(a, duration);
    if (missed == 0) continue;
    switch (Classify(learner, a).value) {
      case Classification::kExcused:
        m.excused_absent += missed;
        break;
      case Classification::kUnexcused:
        m.unexcused_absent += missed;
        break;
      case Classification::kPending:
      case Classification::kNotApplicable:  // not reached: missed > 0 is an absence
        m.pending_absent += missed;
        break;
    }
  }
  return s;
}

int64_t WholeHours(int64_t minutes) {
  assert(minutes >= 0 && "WholeHours of a negative total");
  if (minutes < 0) return 0;
  return minutes / 60;
}

bool CountsToward(std::string_view norm_id, Component c) {
  // The note's '… en gemeenten': "600 uur Nt2, inclusief alfabetisering" and
  // "800 uur Nt2/KNM, inclusief alfabetisering".
  if (norm_id == norm::kB1DownscaleA2) return c == Component::kNt2 || c == Component::kLiteracy;
  if (norm_id == norm::kZRoute) {
    return c == Component::kNt2 || c == Component::kKnm || c == Component::kLiteracy;
  }
  return false;
}

std::array<NormVerdict, 2> EvaluateNorms(const Learner& learner, const HoursSummary& s) {
  std::array<NormVerdict, 2> out;
  out[0].norm = norm::kB1DownscaleA2;
  out[0].applies = AppliesB1(learner);
  out[0].norm_minutes = norm::kB1DownscaleMinutes;
  out[1].norm = norm::kZRoute;
  out[1].applies = AppliesZ(learner);
  out[1].norm_minutes = norm::kZRouteMinutes;
  for (NormVerdict& v : out) {
    for (Component c : {Component::kNt2, Component::kKnm, Component::kLiteracy}) {
      // Attended (on-site) minutes only: remote time never counts (R5), and
      // excused absence is not attendance.
      if (CountsToward(v.norm, c)) v.counted_minutes += s.of(c).attended;
    }
    // Compared in minutes, not rounded hours: 599 h 59 min is not 600 h.
    v.met = v.counted_minutes >= v.norm_minutes;
  }
  return out;
}

std::string_view ToString(EffortVerdict v) {
  switch (v) {
    case EffortVerdict::kNotApplicable:
      return "n/a";
    case EffortVerdict::kQualifies:
      return "qualifies";
    case EffortVerdict::kDoesNotQualify:
      return "does_not_qualify";
    case EffortVerdict::kUndetermined:
      return "undetermined";
  }
  return "?";
}

EffortResult SubstantialEffort(const Learner& learner, std::span<const LessonLine> lines) {
  EffortResult r;
  // Bi2021 art. 4.4 concerns "een inburgeringsplichtige die de B1-route
  // volgt": a Wi2021 notion.
  if (!AppliesB1(learner)) return r;
  for (const LessonLine& line : lines) {
    // Every component counts: NT2 and literacy are "taallessen", KNM is
    // "cursusuren KNM".
    if (!line.attendance) {
      ++r.unrecorded_lessons;
      continue;
    }
    const Attendance& a = *line.attendance;
    // A full presence, remote included, is a followed lesson: R5 keeps
    // remote time out of the hour counts, but the learner did not miss the
    // lesson (an inference; docs/rules.md).
    if (a.status == AttendanceStatus::kPresent ||
        MinutesAbsent(a, std::max(0, line.duration_minutes)) == 0) {
      continue;
    }
    switch (Classify(learner, a).value) {
      case Classification::kUnexcused:
        ++r.unexcused_lessons;  // a partial unexcused absence counts too
        break;
      case Classification::kPending:
        ++r.pending_lessons;
        break;
      case Classification::kExcused:
      case Classification::kNotApplicable:
        break;
    }
  }
  if (r.unexcused_lessons > 0) {
    r.verdict = EffortVerdict::kDoesNotQualify;
  } else if (r.pending_lessons > 0 || r.unrecorded_lessons > 0) {
    r.verdict = EffortVerdict::kUndetermined;
  } else {
    r.verdict = EffortVerdict::kQualifies;
  }
  return r;
}

}  // namespace presentie
