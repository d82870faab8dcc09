// The wire's half of the BowPlanning kind's traits (sync/kinds/wire_traits.h): its
// message BowPlanning in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_BOW_PLANNING_H_
#define PRESENTIE_SYNC_KINDS_BOW_PLANNING_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::BowPlanning> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kBowPlanning;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::BowPlanning& p) { return exports::Validate(p); }

  static void Fill(const exports::BowPlanning& p, pb::Version* out) {
    pb::BowPlanning* m = out->mutable_bow_planning();
    m->set_course_id(p.course_id);
    m->set_course_name(p.course_name);
    m->set_component(std::string(ToString(p.component)));
    m->set_regime(std::string(ToString(p.regime)));
    m->set_route(std::string(ToString(p.route)));
    m->set_start(FormatDate(p.start));
    m->set_end(FormatDate(p.end));
    m->set_lessons(p.lessons);
    m->set_planned_minutes(p.planned_minutes);
    for (const std::string& t : p.teachers) m->add_teachers(t);
  }

  static Result<exports::BowPlanning> FromWire(const pb::Version& version) {
    const pb::BowPlanning& m = version.bow_planning();
    PRESENTIE_RETURN_IF_ERROR(Key(m.course_id(), "course id").WithContext("course planning"));
    exports::BowPlanning p;
    p.course_id = m.course_id();
    p.id = exports::BowPlanningId(p.course_id);
    const std::string name = "planning of " + Named("course", p.course_id);
    p.course_name = m.course_name();
    Reader r(name);
    r.Enum(m.component(), ParseComponent, "component", &p.component);
    r.Enum(m.regime(), ParseRegime, "regime", &p.regime);
    r.Enum(m.route(), ParseRoute, "route", &p.route);
    PRESENTIE_RETURN_IF_ERROR(r.Finish());
    PRESENTIE_ASSIGN_OR_RETURN(p.start, DateFromWire(m.start(), "start", name));
    PRESENTIE_ASSIGN_OR_RETURN(p.end, DateFromWire(m.end(), "end", name));
    p.lessons = m.lessons();
    p.planned_minutes = m.planned_minutes();
    if (m.teachers_size() > 200) return InvalidArgument(name + " names more than 200 teachers");
    p.teachers.assign(m.teachers().begin(), m.teachers().end());
    for (const std::string& t : p.teachers) {
      PRESENTIE_RETURN_IF_ERROR(Text(t, "a teacher").WithContext(name));
    }
    PRESENTIE_RETURN_IF_ERROR(Text(p.course_name, "course name").WithContext(name));
    PRESENTIE_RETURN_IF_ERROR(exports::Validate(p));
    return p;
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_BOW_PLANNING_H_
