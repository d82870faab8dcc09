// Every record kind's traits (storage/kinds/traits.h), and what is made of
// them for the closed list of kinds in storage/record.h: Record's
// alternatives in RecordKind order, each with its traits.
#ifndef PRESENTIE_STORAGE_KINDS_ALL_H_
#define PRESENTIE_STORAGE_KINDS_ALL_H_

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/enum_names.h"
#include "storage/kinds/attendance.h"
#include "storage/kinds/bow_planning.h"
#include "storage/kinds/bow_qualification.h"
#include "storage/kinds/bridging_diploma.h"
#include "storage/kinds/contract.h"
#include "storage/kinds/course.h"
#include "storage/kinds/duo_absence.h"
#include "storage/kinds/duo_duty.h"
#include "storage/kinds/duo_exam_result.h"
#include "storage/kinds/duo_hours.h"
#include "storage/kinds/enrollment.h"
#include "storage/kinds/gemeente_absence.h"
#include "storage/kinds/gemeente_decision.h"
#include "storage/kinds/gemeente_hours.h"
#include "storage/kinds/gemeente_naw.h"
#include "storage/kinds/gemeente_pip.h"
#include "storage/kinds/invoice.h"
#include "storage/kinds/learner.h"
#include "storage/kinds/lesson.h"
#include "storage/kinds/qualification.h"
#include "storage/kinds/traits.h"
#include "storage/record.h"

namespace presentie::storage::kinds {

// The type of the kind with index I, in Record's (and RecordKind's) order.
template <size_t I>
using KindAt = std::variant_alternative_t<I, Record>;

// Calls f.template operator()<T>() for the kind whose RecordKind is `kind`
// (one of kAllRecordKinds: a kind read from outside comes through
// ParseRecordKind first).
template <typename F>
decltype(auto) WithKind(RecordKind kind, F&& f) {
  using Call = decltype(f.template operator()<Learner>());
  using Table = std::array<Call (*)(F&), std::variant_size_v<Record>>;
  static constexpr Table kCalls = []<size_t... I>(std::index_sequence<I...>) {
    return Table{+[](F& g) -> Call { return g.template operator()<KindAt<I>>(); }...};
  }
  (std::make_index_sequence<std::variant_size_v<Record>>());
  return kCalls[static_cast<size_t>(kind)](f);
}

// Each kind's name, from its traits: ToString(RecordKind) and back.
inline constexpr auto kKindNames = []<size_t... I>(std::index_sequence<I...>) {
  return std::array<EnumName<RecordKind>, sizeof...(I)>{
      EnumName<RecordKind>{KindTraits<KindAt<I>>::kKind, KindTraits<KindAt<I>>::kName}...};
}
(std::make_index_sequence<std::variant_size_v<Record>>());

// Record's alternatives are in RecordKind's order, each with its own traits.
static_assert([]<size_t... I>(std::index_sequence<I...>) {
  return ((KindTraits<KindAt<I>>::kKind == kAllRecordKinds[I]) && ...);
}(std::make_index_sequence<std::variant_size_v<Record>>()));

// Every kind but attendance (whose rules are the merge's) names who may
// write it: a kind without MayWrite would be writable by anyone.
static_assert([]<size_t... I>(std::index_sequence<I...>) {
  return ((std::is_same_v<KindAt<I>, Attendance> ||
           requires(Role w, const KindAt<I>& r, const LearnerLookup& l) {
             KindTraits<KindAt<I>>::MayWrite(w, r, l);
           }) &&
          ...);
}(std::make_index_sequence<std::variant_size_v<Record>>()));

// The hooks found by `requires` would be skipped silently if a signature
// drifted: each kind that needs one is held to it here.
template <typename T>
concept HasShown = requires(sqlite::Database& db, const T& r) {
  KindTraits<T>::Shown(db, r);
};
template <typename T>
concept HasAfterUpsert = requires(sqlite::Database& db, const T& r) {
  KindTraits<T>::AfterUpsert(db, r);
};
template <typename T>
concept HasSchoolLearner = requires(const T& r) {
  KindTraits<T>::SchoolLearner(r);
};
template <typename T>
concept HasRekey = requires(T& r, const KeyMap& f) { KindTraits<T>::Rekey(r, f); };
template <typename T>
concept AboutPerson = HasRekey<T> && requires {
  requires KindTraits<T>::kAboutPerson;
};
static_assert(HasShown<Learner>);
static_assert(HasAfterUpsert<exports::GemeentePip> && HasAfterUpsert<exports::GemeenteNaw> &&
              HasAfterUpsert<exports::GemeenteDecision>);
static_assert(HasSchoolLearner<exports::DuoHours> && HasSchoolLearner<exports::DuoAbsence> &&
              HasSchoolLearner<exports::GemeenteHours> &&
              HasSchoolLearner<exports::GemeenteAbsence> && HasSchoolLearner<exports::Contract> &&
              HasSchoolLearner<exports::Invoice> && HasSchoolLearner<exports::BridgingDiploma>);
// Every kind an authority's endpoint holds is keyed there by school or by
// person (docs/authorities.md, "Many schools"): what a school sends, the
// decisions about it, and what the authority writes about a person.
static_assert(HasRekey<exports::DuoHours> && HasRekey<exports::DuoAbsence> &&
              HasRekey<exports::GemeenteHours> && HasRekey<exports::GemeenteAbsence> &&
              HasRekey<exports::GemeenteDecision> && HasRekey<exports::Contract> &&
              HasRekey<exports::Invoice> && HasRekey<exports::BridgingDiploma> &&
              HasRekey<exports::BowPlanning> && HasRekey<exports::BowQualification>);
static_assert(AboutPerson<exports::GemeentePip> && AboutPerson<exports::GemeenteNaw> &&
              AboutPerson<exports::DuoExamResult> && AboutPerson<exports::DuoDuty> &&
              !AboutPerson<exports::GemeenteDecision> && !AboutPerson<exports::DuoHours>);

// Calls f.template operator()<T>() for every kind, in RecordKind order.
template <typename F>
void ForEachKind(F&& f) {
  [&]<size_t... I>(std::index_sequence<I...>) {
    (f.template operator()<KindAt<I>>(), ...);
  }(std::make_index_sequence<std::variant_size_v<Record>>());
}

}  // namespace presentie::storage::kinds

namespace presentie::storage::internal {

// The canonical body of a record of any kind (KindTraits<T>::Body).
template <typename T>
Result<std::string> EncodeBody(const T& record) {
  return kinds::KindTraits<T>::Body(record);
}

}  // namespace presentie::storage::internal

#endif  // PRESENTIE_STORAGE_KINDS_ALL_H_
