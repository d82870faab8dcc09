// The wire's half of the BowQualification kind's traits (sync/kinds/wire_traits.h): its
// message BowQualification in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_BOW_QUALIFICATION_H_
#define PRESENTIE_SYNC_KINDS_BOW_QUALIFICATION_H_

#include "sync/kinds/qualification.h"
#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<exports::BowQualification> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kBowQualification;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const exports::BowQualification& q) { return exports::Validate(q); }

  static void Fill(const exports::BowQualification& q, pb::Version* out) {
    pb::BowQualification* m = out->mutable_bow_qualification();
    m->set_qualification_id(q.qualification_id);
    m->set_teacher(q.teacher);
    m->set_component(std::string(ToString(q.component)));
    m->set_title(q.title);
    m->set_obtained(FormatDate(q.obtained));
  }

  static Result<exports::BowQualification> FromWire(const pb::Version& version) {
    const pb::BowQualification& m = version.bow_qualification();
    PRESENTIE_ASSIGN_OR_RETURN(Qualification q,
                               QualificationFields(m, m.qualification_id(), "BoW qualification"));
    exports::BowQualification b{
        exports::BowQualificationId(q.id), q.id, q.teacher, q.component, q.title, q.obtained};
    PRESENTIE_RETURN_IF_ERROR(exports::Validate(b));
    return b;
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_BOW_QUALIFICATION_H_
