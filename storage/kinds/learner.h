// The traits of a record kind (storage/kinds/traits.h).
// A learner: who they are (BSN and name, sealed), their category, regime and route,
// and the gemeente responsible for them (core/domain.h).
#ifndef PRESENTIE_STORAGE_KINDS_LEARNER_H_
#define PRESENTIE_STORAGE_KINDS_LEARNER_H_

#include "core/authorities.h"
#include "storage/kinds/gemeente_naw.h"
#include "storage/kinds/gemeente_pip.h"
#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<Learner> {
  static constexpr RecordKind kKind = RecordKind::kLearner;
  static constexpr std::string_view kName = "learner";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, unseal(bsn,'bsn'), unseal(name,'name'), category, regime, route, level, literacy, "
      "estimated_hours, gemeente_code, lessons_per_week";
  // The BSN is also kept as a keyed hash, to find a learner by it.
  static constexpr std::string_view kLookupHash = "bsn";

  static std::string Id(const Learner& r) { return r.id; }
  static Status Validate(const Learner& r) { return presentie::Validate(r); }

  static Status Read(const Statement& s, int c, Learner* l) {
    l->id = s.ColumnString(c);
    l->bsn = s.ColumnString(c + 1);
    l->name = s.ColumnString(c + 2);
    PRESENTIE_RETURN_IF_ERROR(Take(ParseCategory(s.ColumnText(c + 3)), &l->category));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseRegime(s.ColumnText(c + 4)), &l->regime));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseRoute(s.ColumnText(c + 5)), &l->route));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseLevel(s.ColumnText(c + 6)), &l->level));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseLiteracy(s.ColumnText(c + 7)), &l->literacy));
    l->estimated_hours = static_cast<int>(s.ColumnInt(c + 8));
    l->gemeente_code = s.ColumnString(c + 9);
    l->lessons_per_week = static_cast<int>(s.ColumnInt(c + 10));
    return Status::Ok();
  }

  static void Bind(Statement& s, int i, const Learner& l) {
    s.BindTextRef(i, l.id);
    s.BindTextRef(i + 1, l.bsn);
    s.BindTextRef(i + 2, l.name);
    s.BindStaticText(i + 3, ToString(l.category));
    s.BindStaticText(i + 4, ToString(l.regime));
    s.BindStaticText(i + 5, ToString(l.route));
    s.BindStaticText(i + 6, ToString(l.level));
    s.BindStaticText(i + 7, ToString(l.literacy));
    s.BindInt(i + 8, l.estimated_hours);
    s.BindTextRef(i + 9, l.gemeente_code);
    s.BindInt(i + 10, l.lessons_per_week);
  }

  // Shows the gemeente's PIP and NAW data, when they apply to the learner
  // as written (their own gemeente's, for a Wi2021 asylum permit holder),
  // over the school's values of their fields; the versions keep the
  // school's.
  static Result<Learner> Shown(sqlite::Database& db, const Learner& written) {
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<exports::GemeentePip> pip, PipOf(db, written));
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<exports::GemeenteNaw> naw, NawOf(db, written));
    Learner l = pip.has_value() ? exports::WithPip(written, *pip) : written;
    if (naw.has_value()) l = exports::WithNaw(std::move(l), *naw);
    return l;
  }

  // The roster is the school admin's (O.roster-owner).
  static Result<OwnershipVerdict> MayWrite(Role writer, const Learner&, const LearnerLookup&) {
    return CheckRosterWrite(writer, "a learner");
  }

  static Result<std::string> Body(const Learner& l) {
    CanonicalObject o;
    o.Text("bsn", l.bsn)
        .Text("category", ToString(l.category))
        .Int("estimated_hours", l.estimated_hours)
        .Text("gemeente_code", l.gemeente_code)
        .Text("id", l.id)
        .Int("lessons_per_week", l.lessons_per_week)
        .Text("level", ToString(l.level))
        .Text("literacy", ToString(l.literacy))
        .Text("name", l.name)
        .Text("regime", ToString(l.regime))
        .Text("route", ToString(l.route));
    return o.Finish("learner", l.id);
  }

  static Learner FromBody(BodyReader& r) {
    Learner l;
    l.id = r.Text("id");
    l.bsn = r.Text("bsn");
    l.name = r.Text("name");
    l.category = r.Enum<Category>("category", ParseCategory);
    l.regime = r.Enum<Regime>("regime", ParseRegime);
    l.route = r.Enum<Route>("route", ParseRoute);
    l.level = r.Enum<Level>("level", ParseLevel);
    l.literacy = r.Enum<Literacy>("literacy", ParseLiteracy);
    l.estimated_hours = r.Int("estimated_hours");
    l.gemeente_code = r.Text("gemeente_code");
    l.lessons_per_week = r.Int("lessons_per_week");
    return l;
  }
};

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_LEARNER_H_
