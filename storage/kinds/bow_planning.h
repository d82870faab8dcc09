// The traits of a record kind (storage/kinds/traits.h).
// A course's planning for Blik op Werk (core/authorities/bow.h).
#ifndef PRESENTIE_STORAGE_KINDS_BOW_PLANNING_H_
#define PRESENTIE_STORAGE_KINDS_BOW_PLANNING_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::BowPlanning> {
  static constexpr RecordKind kKind = RecordKind::kBowPlanning;
  static constexpr std::string_view kName = "bow_planning";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, course_id, course_name, component, regime, route, start_date, end_date, lessons, "
      "planned_minutes, unseal(teachers,'teachers')";

  static std::string Id(const exports::BowPlanning& r) { return r.id; }
  // The school's own keys, held under the school at an endpoint (traits.h).
  static void Rekey(exports::BowPlanning& r, const KeyMap& f) {
    f(r.course_id);
    r.id = exports::BowPlanningId(r.course_id);
  }
  static Status Validate(const exports::BowPlanning& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::BowPlanning* p) {
    p->id = s.ColumnString(c);
    p->course_id = s.ColumnString(c + 1);
    p->course_name = s.ColumnString(c + 2);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseComponent(s.ColumnText(c + 3)), &p->component));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseRegime(s.ColumnText(c + 4)), &p->regime));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseRoute(s.ColumnText(c + 5)), &p->route));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 6)), &p->start));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 7)), &p->end));
    p->lessons = static_cast<int>(s.ColumnInt(c + 8));
    p->planned_minutes = s.ColumnInt(c + 9);
    p->teachers = internal::SplitLines(s.ColumnText(c + 10));
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::BowPlanning& p) {
    s.BindTextRef(i, p.id);
    s.BindTextRef(i + 1, p.course_id);
    s.BindTextRef(i + 2, p.course_name);
    s.BindStaticText(i + 3, ToString(p.component));
    s.BindStaticText(i + 4, ToString(p.regime));
    s.BindStaticText(i + 5, ToString(p.route));
    s.BindText(i + 6, FormatDate(p.start));
    s.BindText(i + 7, FormatDate(p.end));
    s.BindInt(i + 8, p.lessons);
    s.BindInt(i + 9, p.planned_minutes);
    s.BindText(i + 10, internal::JoinLines(p.teachers));
  }

  static Result<std::string> Body(const exports::BowPlanning& p) {
    CanonicalObject o;
    o.Text("component", ToString(p.component))
        .Text("course_id", p.course_id)
        .Text("course_name", p.course_name)
        .Text("end", FormatDate(p.end))
        .Text("id", p.id)
        .Int("lessons", p.lessons)
        .Int("planned_minutes", p.planned_minutes)
        .Text("regime", ToString(p.regime))
        .Text("route", ToString(p.route))
        .Text("start", FormatDate(p.start))
        .Text("teachers", internal::JoinLines(p.teachers));
    return o.Finish("course planning", p.id);
  }

  static exports::BowPlanning FromBody(BodyReader& r) {
    exports::BowPlanning p;
    p.id = r.Text("id");
    p.course_id = r.Text("course_id");
    p.course_name = r.Text("course_name");
    p.component = r.Enum<Component>("component", ParseComponent);
    p.regime = r.Enum<Regime>("regime", ParseRegime);
    p.route = r.Enum<Route>("route", ParseRoute);
    p.start = r.Day("start");
    p.end = r.Day("end");
    p.lessons = r.Int("lessons");
    p.planned_minutes = r.Int("planned_minutes");
    p.teachers = internal::SplitLines(r.Text("teachers"));
    if (r.status().ok() && p.id != exports::BowPlanningId(p.course_id)) {
      r.FailRecord("body id does not match its course");
    }
    return p;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::BowPlanning&,
                                           const LearnerLookup&) {
    return CheckSubmissionWrite(writer);
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_BOW_PLANNING_H_
