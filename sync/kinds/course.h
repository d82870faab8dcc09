// The wire's half of the Course kind's traits (sync/kinds/wire_traits.h): its
// message Course in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_COURSE_H_
#define PRESENTIE_SYNC_KINDS_COURSE_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<Course> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kCourse;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const Course& c) {
    PRESENTIE_RETURN_IF_ERROR(Key(c.id, "course id"));
    PRESENTIE_RETURN_IF_ERROR(Text(c.name, "name"));
    PRESENTIE_RETURN_IF_ERROR(ValidDate(c.start_date, "start date"));
    return ValidDate(c.end_date, "end date");
  }

  static void Fill(const Course& c, pb::Version* out) {
    pb::Course* m = out->mutable_course();
    m->set_id(c.id);
    m->set_name(c.name);
    m->set_component(std::string(ToString(c.component)));
    m->set_regime(std::string(ToString(c.regime)));
    m->set_route(std::string(ToString(c.route)));
    m->set_start_date(OptionalDateToWire(c.start_date));
    m->set_end_date(OptionalDateToWire(c.end_date));
    m->set_hours_purchased(c.hours_purchased);
  }

  static Result<Course> FromWire(const pb::Version& version) {
    const pb::Course& m = version.course();
    PRESENTIE_RETURN_IF_ERROR(Key(m.id(), "course id").WithContext("course"));
    Course c;
    c.id = m.id();
    c.name = m.name();
    Reader r(Named("course", c.id));
    r.Enum(m.component(), ParseComponent, "component", &c.component);
    r.Enum(m.regime(), ParseRegime, "regime", &c.regime);
    r.Enum(m.route(), ParseRoute, "route", &c.route);
    if (r.ok()) {
      Result<std::optional<Date>> start = OptionalDateFromWire(m.start_date(), "start date");
      Result<std::optional<Date>> end = OptionalDateFromWire(m.end_date(), "end date");
      r.Check(start.status());
      r.Check(end.status());
      if (r.ok()) {
        c.start_date = *start;
        c.end_date = *end;
      }
    }
    c.hours_purchased = m.hours_purchased();
    PRESENTIE_RETURN_IF_ERROR(r.Finish());
    return c;
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_COURSE_H_
