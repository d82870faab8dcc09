// The wire's half of the Qualification kind's traits (sync/kinds/wire_traits.h): its
// message Qualification in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_QUALIFICATION_H_
#define PRESENTIE_SYNC_KINDS_QUALIFICATION_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

// A teacher's qualification from its wire fields, named `kind` in errors:
// the school's record and BoW's copy of it carry the same ones.
template <typename Message>
Result<Qualification> QualificationFields(const Message& m, const std::string& id,
                                          std::string_view kind) {
  PRESENTIE_RETURN_IF_ERROR(Key(id, "qualification id").WithContext(std::string(kind)));
  Qualification q;
  q.id = id;
  const std::string name = Named(kind, q.id);
  q.teacher = m.teacher();
  q.title = m.title();
  Reader r(name);
  r.Enum(m.component(), ParseComponent, "component", &q.component);
  PRESENTIE_RETURN_IF_ERROR(r.Finish());
  PRESENTIE_ASSIGN_OR_RETURN(q.obtained, DateFromWire(m.obtained(), "obtained", name));
  PRESENTIE_RETURN_IF_ERROR(Validate(q));
  return q;
}

template <>
struct WireTraits<Qualification> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kQualification;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const Qualification& q) { return Validate(q); }

  static void Fill(const Qualification& q, pb::Version* out) {
    pb::Qualification* m = out->mutable_qualification();
    m->set_id(q.id);
    m->set_teacher(q.teacher);
    m->set_component(std::string(ToString(q.component)));
    m->set_title(q.title);
    m->set_obtained(FormatDate(q.obtained));
  }

  static Result<Qualification> FromWire(const pb::Version& version) {
    const pb::Qualification& m = version.qualification();
    return QualificationFields(m, m.id(), "qualification");
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_QUALIFICATION_H_
