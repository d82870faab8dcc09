// The traits of a record kind (storage/kinds/traits.h).
// A gemeente's NAW data of a learner (name, address; sealed)
// (core/authorities/gemeente.h): written at the gemeente, its name shown on
// the learner's row where it applies.
#ifndef PRESENTIE_STORAGE_KINDS_GEMEENTE_NAW_H_
#define PRESENTIE_STORAGE_KINDS_GEMEENTE_NAW_H_

#include "storage/kinds/traits.h"

namespace presentie::storage::kinds {

template <>
struct KindTraits<exports::GemeenteNaw> {
  static constexpr RecordKind kKind = RecordKind::kGemeenteNaw;
  static constexpr std::string_view kName = "gemeente_naw";
  static constexpr std::string_view kKey = "id";
  static constexpr std::string_view kColumns =
      "id, learner_id, gemeente_code, unseal(name,'name'), "
      "unseal(address,'address'), unseal(postcode,'postcode'), unseal(residence,'residence'), "
      "decided_on";

  static std::string Id(const exports::GemeenteNaw& r) { return r.id; }
  // At an authority's endpoint the learner is the person the authority
  // knows by BSN (kAboutPerson); each school is served it under its own
  // learner id (traits.h, Rekey).
  static constexpr bool kAboutPerson = true;
  static void Rekey(exports::GemeenteNaw& r, const KeyMap& f) {
    f(r.learner_id);
    r.id = exports::GemeenteNawId(r.gemeente_code, r.learner_id);
  }
  static Status Validate(const exports::GemeenteNaw& r) { return exports::Validate(r); }

  static Status Read(const Statement& s, int c, exports::GemeenteNaw* out) {
    out->id = s.ColumnString(c);
    out->learner_id = s.ColumnString(c + 1);
    out->gemeente_code = s.ColumnString(c + 2);
    out->name = s.ColumnString(c + 3);
    out->address = s.ColumnString(c + 4);
    out->postcode = s.ColumnString(c + 5);
    out->residence = s.ColumnString(c + 6);
    return Take(ParseDate(s.ColumnText(c + 7)), &out->decided_on);
  }

  static void Bind(Statement& s, int i, const exports::GemeenteNaw& n) {
    s.BindTextRef(i, n.id);
    s.BindTextRef(i + 1, n.learner_id);
    s.BindTextRef(i + 2, n.gemeente_code);
    s.BindTextRef(i + 3, n.name);
    s.BindTextRef(i + 4, n.address);
    s.BindTextRef(i + 5, n.postcode);
    s.BindTextRef(i + 6, n.residence);
    s.BindText(i + 7, FormatDate(n.decided_on));
  }

  // Also shows the NAW data's name on the learner it is about, when it
  // applies there.
  static Status AfterUpsert(sqlite::Database& db, const exports::GemeenteNaw& n) {
    PRESENTIE_ASSIGN_OR_RETURN(
        sqlite::CachedStatement show,
        db.Cached("UPDATE learner SET name = seal(?3, 'name') "
                  "WHERE id = ?1 AND gemeente_code = ?2 AND "
                  "category = 'asylum_permit_holder' AND regime = 'wi2021'"));
    show->BindTextRef(1, n.learner_id);
    show->BindTextRef(2, n.gemeente_code);
    show->BindTextRef(3, n.name);
    return show->Run();
  }

  static Result<std::string> Body(const exports::GemeenteNaw& n) {
    CanonicalObject o;
    o.Text("address", n.address)
        .Text("decided_on", FormatDate(n.decided_on))
        .Text("gemeente_code", n.gemeente_code)
        .Text("id", n.id)
        .Text("learner_id", n.learner_id)
        .Text("name", n.name)
        .Text("postcode", n.postcode)
        .Text("residence", n.residence);
    return o.Finish("NAW data", n.id);
  }

  static exports::GemeenteNaw FromBody(BodyReader& r) {
    exports::GemeenteNaw n;
    n.id = r.Text("id");
    n.learner_id = r.Text("learner_id");
    n.gemeente_code = r.Text("gemeente_code");
    n.name = r.Text("name");
    n.address = r.Text("address");
    n.postcode = r.Text("postcode");
    n.residence = r.Text("residence");
    n.decided_on = r.Day("decided_on");
    if (r.status().ok() && n.id != exports::GemeenteNawId(n.gemeente_code, n.learner_id)) {
      r.FailRecord("body id does not match its gemeente and learner");
    }
    return n;
  }

  static Result<OwnershipVerdict> MayWrite(Role writer, const exports::GemeenteNaw& n,
                                           const LearnerLookup& learner) {
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<Learner> about, learner(n.learner_id));
    return CheckNawWrite(writer, n.gemeente_code, about ? &*about : nullptr);
  }
};

// The gemeente's NAW data of learner `l` when it applies (their own gemeente's,
// for a Wi2021 asylum permit holder); nullopt otherwise.
inline Result<std::optional<exports::GemeenteNaw>> NawOf(sqlite::Database& db, const Learner& l) {
  if (!GemeenteIsResponsible(l)) return std::optional<exports::GemeenteNaw>();
  return ReadById<exports::GemeenteNaw>(db, exports::GemeenteNawId(l.gemeente_code, l.id));
}

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_GEMEENTE_NAW_H_
