// The traits of a record kind (storage/kinds/traits.h).
// A gemeente's PIP of a learner (core/authorities/gemeente.h): written at
// the gemeente, shown on the learner's own row where it applies.
#ifndef PRESENTIE_STORAGE_KINDS_GEMEENTE_PIP_H_
#define PRESENTIE_STORAGE_KINDS_GEMEENTE_PIP_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::GemeentePip> {
  static constexpr RecordKind kKind = RecordKind::kGemeentePip;
  static constexpr std::string_view kName = "gemeente_pip";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, learner_id, gemeente_code, route, level, literacy, estimated_hours, lessons_per_week, "
      "decided_on";

  static std::string Id(const exports::GemeentePip& r) { return r.id; }
  // At an authority's endpoint the learner is the person the authority
  // knows by BSN (kAboutPerson); each school is served it under its own
  // learner id (traits.h, Rekey).
  static constexpr bool kAboutPerson = true;
  static void Rekey(exports::GemeentePip& r, const KeyMap& f) {
    f(r.learner_id);
    r.id = exports::GemeentePipId(r.gemeente_code, r.learner_id);
  }
  static Status Validate(const exports::GemeentePip& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::GemeentePip* p) {
    p->id = s.ColumnString(c);
    p->learner_id = s.ColumnString(c + 1);
    p->gemeente_code = s.ColumnString(c + 2);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseRoute(s.ColumnText(c + 3)), &p->route));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseLevel(s.ColumnText(c + 4)), &p->level));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseLiteracy(s.ColumnText(c + 5)), &p->literacy));
    p->estimated_hours = static_cast<int>(s.ColumnInt(c + 6));
    p->lessons_per_week = static_cast<int>(s.ColumnInt(c + 7));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 8)), &p->decided_on));
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const exports::GemeentePip& p) {
    s.BindTextRef(i, p.id);
    s.BindTextRef(i + 1, p.learner_id);
    s.BindTextRef(i + 2, p.gemeente_code);
    s.BindStaticText(i + 3, ToString(p.route));
    s.BindStaticText(i + 4, ToString(p.level));
    s.BindStaticText(i + 5, ToString(p.literacy));
    s.BindInt(i + 6, p.estimated_hours);
    s.BindInt(i + 7, p.lessons_per_week);
    s.BindText(i + 8, FormatDate(p.decided_on));
  }

  // Also shows the PIP on the learner it is about, when it applies there.
  static Status AfterUpsert(sqlite::Database& db, const exports::GemeentePip& p) {
    PRESENTIE_ASSIGN_OR_RETURN(
        sqlite::CachedStatement show,
        db.Cached("UPDATE learner SET route = ?3, level = ?4, literacy = ?5, estimated_hours = ?6, "
                  "lessons_per_week = ?7 WHERE id = ?1 AND gemeente_code = ?2 AND "
                  "category = 'asylum_permit_holder' AND regime = 'wi2021'"));
    show->BindTextRef(1, p.learner_id);
    show->BindTextRef(2, p.gemeente_code);
    show->BindStaticText(3, ToString(p.route));
    show->BindStaticText(4, ToString(p.level));
    show->BindStaticText(5, ToString(p.literacy));
    show->BindInt(6, p.estimated_hours);
    show->BindInt(7, p.lessons_per_week);
    return show->Run();
  }

  static Result<std::string> Body(const exports::GemeentePip& p) {
    CanonicalObject o;
    o.Text("decided_on", FormatDate(p.decided_on))
        .Int("estimated_hours", p.estimated_hours)
        .Text("gemeente_code", p.gemeente_code)
        .Text("id", p.id)
        .Text("learner_id", p.learner_id)
        .Int("lessons_per_week", p.lessons_per_week)
        .Text("level", ToString(p.level))
        .Text("literacy", ToString(p.literacy))
        .Text("route", ToString(p.route));
    return o.Finish("PIP", p.id);
  }

  static exports::GemeentePip FromBody(BodyReader& r) {
    exports::GemeentePip p;
    p.id = r.Text("id");
    p.learner_id = r.Text("learner_id");
    p.gemeente_code = r.Text("gemeente_code");
    p.route = r.Enum<Route>("route", ParseRoute);
    p.level = r.Enum<Level>("level", ParseLevel);
    p.literacy = r.Enum<Literacy>("literacy", ParseLiteracy);
    p.estimated_hours = r.Int("estimated_hours");
    p.lessons_per_week = r.Int("lessons_per_week");
    p.decided_on = r.Day("decided_on");
    if (r.status().ok() && p.id != exports::GemeentePipId(p.gemeente_code, p.learner_id)) {
      r.FailRecord("body id does not match its gemeente and learner");
    }
    return p;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::GemeentePip& p,
                                           const LearnerLookup& learner) {
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<Learner> about, learner(p.learner_id));
    return CheckPipWrite(writer, p.gemeente_code, about ? &*about : nullptr);
  }
};

// The gemeente's PIP of learner `l` when it applies (their own gemeente's,
// for a Wi2021 asylum permit holder); nullopt otherwise.
inline Result<std::optional<exports::GemeentePip>> PipOf(sqlite::Database& db, const Learner& l) {
  if (!GemeenteIsResponsible(l)) return std::optional<exports::GemeentePip>();
  return ReadById<exports::GemeentePip>(db, exports::GemeentePipId(l.gemeente_code, l.id));
}

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_GEMEENTE_PIP_H_
