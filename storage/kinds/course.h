// The traits of a record kind (storage/kinds/traits.h).
// A course: its component, regime and route, its dates and the hours
// purchased for it (core/domain.h).
#ifndef PRESENTIE_STORAGE_KINDS_COURSE_H_
#define PRESENTIE_STORAGE_KINDS_COURSE_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<Course> {
  static constexpr RecordKind kKind = RecordKind::kCourse;
  static constexpr std::string_view kName = "course";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, name, component, regime, route, start_date, end_date, hours_purchased";

  static std::string Id(const Course& r) { return r.id; }
  static Status Validate(const Course& r) { return presentie::Validate(r); }

  static Status Read(const Statement& s, int c, Course* out) {
    out->id = s.ColumnString(c);
    out->name = s.ColumnString(c + 1);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseComponent(s.ColumnText(c + 2)), &out->component));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseRegime(s.ColumnText(c + 3)), &out->regime));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseRoute(s.ColumnText(c + 4)), &out->route));
    PRESENTIE_RETURN_IF_ERROR(ReadOptionalDate(s, c + 5, &out->start_date));
    PRESENTIE_RETURN_IF_ERROR(ReadOptionalDate(s, c + 6, &out->end_date));
    out->hours_purchased = static_cast<int>(s.ColumnInt(c + 7));
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const Course& c) {
    s.BindTextRef(i, c.id);
    s.BindTextRef(i + 1, c.name);
    s.BindStaticText(i + 2, ToString(c.component));
    s.BindStaticText(i + 3, ToString(c.regime));
    s.BindStaticText(i + 4, ToString(c.route));
    s.BindOptionalText(i + 5, OptionalDateText(c.start_date));
    s.BindOptionalText(i + 6, OptionalDateText(c.end_date));
    s.BindInt(i + 7, c.hours_purchased);
  }

  // The roster is the school admin's (O.roster-owner).
  static Result<OwnershipVerdict> MayWrite(Role writer, const Course&, const LearnerLookup&) {
    return CheckRosterWrite(writer, "a course");
  }

  static Result<std::string> Body(const Course& c) {
    CanonicalObject o;
    o.Text("component", ToString(c.component));
    OptionalDate(o, "end_date", c.end_date);
    o.Int("hours_purchased", c.hours_purchased)
        .Text("id", c.id)
        .Text("name", c.name)
        .Text("regime", ToString(c.regime))
        .Text("route", ToString(c.route));
    OptionalDate(o, "start_date", c.start_date);
    return o.Finish("course", c.id);
  }

  static Course FromBody(BodyReader& r) {
    Course c;
    c.id = r.Text("id");
    c.name = r.Text("name");
    c.component = r.Enum<Component>("component", ParseComponent);
    c.regime = r.Enum<Regime>("regime", ParseRegime);
    c.route = r.Enum<Route>("route", ParseRoute);
    c.start_date = r.OptionalDate("start_date");
    c.end_date = r.OptionalDate("end_date");
    c.hours_purchased = r.Int("hours_purchased");
    return c;
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_COURSE_H_
