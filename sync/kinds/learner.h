// The wire's half of the Learner kind's traits (sync/kinds/wire_traits.h): its
// message Learner in Version's oneof (sync.proto).
#ifndef PRESENTIE_SYNC_KINDS_LEARNER_H_
#define PRESENTIE_SYNC_KINDS_LEARNER_H_

#include "sync/kinds/wire_traits.h"

namespace presentie::sync::internal {

template <>
struct WireTraits<Learner> {
  static constexpr pb::Version::RecordCase kCase = pb::Version::kLearner;

  // What the decoder would refuse, refused before encoding.
  static Status Check(const Learner& l) {
    PRESENTIE_RETURN_IF_ERROR(Key(l.id, "learner id"));
    PRESENTIE_RETURN_IF_ERROR(Text(l.bsn, "bsn"));
    PRESENTIE_RETURN_IF_ERROR(Text(l.name, "name"));
    return Text(l.gemeente_code, "gemeente code");
  }

  static void Fill(const Learner& l, pb::Version* out) {
    pb::Learner* m = out->mutable_learner();
    m->set_id(l.id);
    m->set_bsn(l.bsn);
    m->set_name(l.name);
    m->set_category(std::string(ToString(l.category)));
    m->set_regime(std::string(ToString(l.regime)));
    m->set_route(std::string(ToString(l.route)));
    m->set_level(std::string(ToString(l.level)));
    m->set_literacy(std::string(ToString(l.literacy)));
    m->set_estimated_hours(l.estimated_hours);
    m->set_gemeente_code(l.gemeente_code);
    m->set_lessons_per_week(l.lessons_per_week);
  }

  static Result<Learner> FromWire(const pb::Version& version) {
    const pb::Learner& m = version.learner();
    PRESENTIE_RETURN_IF_ERROR(Key(m.id(), "learner id").WithContext("learner"));
    Learner l;
    l.id = m.id();
    l.bsn = m.bsn();
    l.name = m.name();
    Reader r(Named("learner", l.id));
    r.Enum(m.category(), ParseCategory, "category", &l.category);
    r.Enum(m.regime(), ParseRegime, "regime", &l.regime);
    r.Enum(m.route(), ParseRoute, "route", &l.route);
    r.Enum(m.level(), ParseLevel, "level", &l.level);
    r.Enum(m.literacy(), ParseLiteracy, "literacy", &l.literacy);
    l.estimated_hours = m.estimated_hours();
    l.gemeente_code = m.gemeente_code();
    l.lessons_per_week = m.lessons_per_week();
    PRESENTIE_RETURN_IF_ERROR(r.Finish());
    return l;
  }
};

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_LEARNER_H_
