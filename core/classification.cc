#include "core/classification.h"

namespace presentie {
namespace {

bool IsDecisionValue(Classification c) {
  return c == Classification::kExcused || c == Classification::kUnexcused;
}

}  // namespace

ClassificationResult Classify(const Learner& learner, const Attendance& a) {
  // The note: "Daar waar het asielstatushouders betreft, is de gemeente
  // verantwoordelijk om te bepalen of er sprake is van geoorloofd of
  // ongeoorloofd verzuim". That is Wi2021; under Wi2013 the school
  // classifies for everyone (see docs/rules.md, Inferences).
  const bool gemeente_classifies = GemeenteIsResponsible(learner);
  ClassificationResult r;
  r.authority = gemeente_classifies ? Role::kGemeente : Role::kAdmin;

  // 1. A full presence is not an absence. A partial one is: its missed
  //    minutes go through the same rules below.
  if (a.status == AttendanceStatus::kPresent) {
    r.value = Classification::kNotApplicable;
    r.rule = rule::kPresent;
    return r;
  }

  // 2. A decision by someone entitled to make it. Values other than
  //    excused/unexcused, and deciders other than admin/gemeente, are not
  //    decisions (Validate refuses them) and are passed over.
  if (a.decision && IsDecisionValue(a.decision->value)) {
    const ClassificationDecision& d = *a.decision;
    if (d.decided_by == Role::kGemeente && gemeente_classifies) {
      r.value = d.value;
      r.rule = rule::kGemeenteDecision;
      r.advisory = false;
      return r;
    }
    // A gemeente decision on a learner the gemeente does not classify for
    // (a family migrant, anyone under Wi2013) has no standing: it falls
    // through to the school's own rules.
    if (d.decided_by == Role::kAdmin) {
      r.value = d.value;
      r.rule = rule::kAdminDecision;
      // For a Wi2021 asylum permit holder even the admin's decision is the
      // school's view: advice to the gemeente, which decides.
      r.advisory = gemeente_classifies;
      return r;
    }
  }

  // 3–7: the working method the note gives the school. For a Wi2021 asylum
  // permit holder the same method gives the school's advice to the gemeente.
  r.advisory = gemeente_classifies;
  if (a.notified_in_advance) {
    // "als een gezins- of overige migrant zich vooraf afmeldt voor een les,
    // dan is er sprake van geoorloofd verzuim" — whatever the reason.
    r.value = Classification::kExcused;
    r.rule = rule::kNotice;
    return r;
  }
  switch (a.reason) {
    case AbsenceReason::kIllness:
    case AbsenceReason::kWedding:
    case AbsenceReason::kFuneral:
    case AbsenceReason::kReligiousHoliday:
      // "ziek ..., bij een huwelijk, een begrafenis of religieuze feestdag,
      // dan is er sprake van geoorloofd verzuim."
      r.value = Classification::kExcused;
      r.rule = rule::kExcusedReason;
      return r;
    case AbsenceReason::kDoubtful:
      // "Bij twijfel wordt de inburgeraar het voordeel van de twijfel gegeven"
      r.value = Classification::kExcused;
      r.rule = rule::kBenefitOfDoubt;
      return r;
    case AbsenceReason::kOther:
      // "Bij andere redenen in principe niet."
      r.value = Classification::kUnexcused;
      r.rule = rule::kOtherReason;
      return r;
    case AbsenceReason::kNone:
      break;
  }
  // No notice and no reason recorded: the school has yet to ask ("dan vraagt
  // de taalschool (mondeling) naar de reden"). Neither excused nor
  // unexcused until it has — the note is silent; see docs/rules.md.
  r.value = Classification::kPending;
  r.rule = rule::kNoReasonYet;
  return r;
}

}  // namespace presentie
