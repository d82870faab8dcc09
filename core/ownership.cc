#include "core/ownership.h"

namespace presentie {
namespace {

bool SameFacts(const Attendance& a, const Attendance& b) {
  return a.status == b.status && a.minutes_present == b.minutes_present && a.mode == b.mode &&
         a.notified_in_advance == b.notified_in_advance && a.reason == b.reason &&
         a.note == b.note;
}

bool RecordsFacts(Role r) { return r == Role::kAdmin || r == Role::kTeacher; }

}  // namespace

OwnershipVerdict CheckAttendanceWrite(Role writer, const std::optional<Attendance>& superseded,
                                      const Attendance& written,
                                      std::optional<bool> gemeente_classifies) {
  const std::string who(ToString(writer));
  const std::optional<ClassificationDecision> before =
      superseded.has_value() ? superseded->decision : std::nullopt;
  const std::optional<ClassificationDecision>& after = written.decision;

  if (!RecordsFacts(writer)) {
    // The gemeente's version carries the facts it was sent; it may not
    // change them.
    if (!superseded.has_value() || !SameFacts(*superseded, written)) {
      return {own_rule::kFactsOwner,
              "a " + who + " replica cannot record attendance facts; only the school does"};
    }
  }
  if (before != after) {
    // Whose decision changes: the party of the one removed or replaced, and
    // of the one set.
    // The gemeente's decision overrides the school's advice on a learner the
    // gemeente classifies (R2): it may replace an admin's decision there.
    const bool gemeente_overrides = writer == Role::kGemeente && before.has_value() &&
                                    before->decided_by == Role::kAdmin &&
                                    gemeente_classifies.value_or(true);
    for (const std::optional<ClassificationDecision>* d : {&before, &after}) {
      if (!d->has_value() || (*d)->decided_by == writer) continue;
      if (d == &before && gemeente_overrides) continue;
      return {own_rule::kDecisionOwner,
              "a classification decided by " + std::string(ToString((*d)->decided_by)) +
                  " can be set, changed or removed only by " +
                  std::string(ToString((*d)->decided_by)) + ", not by " + who};
    }
  }
  if (after.has_value() && after != before && gemeente_classifies.has_value()) {
    if (*gemeente_classifies && after->decided_by != Role::kGemeente) {
      return {own_rule::kGemeenteClassifies,
              "the learner is a Wi2021 asylum permit holder: the gemeente classifies the "
              "absence, the school reports only its facts"};
    }
    if (!*gemeente_classifies && after->decided_by == Role::kGemeente) {
      return {own_rule::kSchoolClassifies,
              "the school classifies this learner's absences; a gemeente decision has no "
              "standing"};
    }
  }
  return {};
}

OwnershipVerdict CheckGemeenteDecisionWrite(Role writer, std::string_view code,
                                            const Learner* learner) {
  if (writer != Role::kGemeente) {
    return {own_rule::kGemeenteDecisionOwner,
            "a gemeente's decision on an absence is written by a gemeente, not by a " +
                std::string(ToString(writer))};
  }
  if (learner == nullptr) return {};
  if (!GemeenteIsResponsible(*learner)) {
    return {own_rule::kGemeenteDecisionOwner,
            "the school classifies this learner's absences, not the gemeente"};
  }
  if (learner->gemeente_code != code) {
    return {own_rule::kGemeenteDecisionOwner,
            "gemeente " + std::string(code) + " decides only on its own residents' absences"};
  }
  return {};
}

namespace {
// A gemeente writes `what` of its own Wi2021 asylum permit holders only.
OwnershipVerdict CheckResidentWrite(std::string_view rule, std::string_view what, Role writer,
                                    std::string_view code, const Learner* learner) {
  if (writer != Role::kGemeente) {
    return {rule, "a learner's " + std::string(what) + " is written by the gemeente, not by a " +
                      std::string(ToString(writer))};
  }
  if (learner == nullptr) return {};
  if (!GemeenteIsResponsible(*learner)) {
    return {rule, "the gemeente sets the " + std::string(what) +
                      " of its Wi2021 asylum permit holders only"};
  }
  if (learner->gemeente_code != code) {
    return {rule, "gemeente " + std::string(code) + " sets only its own residents' " +
                      std::string(what)};
  }
  return {};
}
}  // namespace

OwnershipVerdict CheckPipWrite(Role writer, std::string_view code, const Learner* learner) {
  return CheckResidentWrite(own_rule::kPipOwner, "PIP", writer, code, learner);
}

OwnershipVerdict CheckNawWrite(Role writer, std::string_view code, const Learner* learner) {
  return CheckResidentWrite(own_rule::kNawOwner, "NAW data", writer, code, learner);
}

OwnershipVerdict CheckExamResultWrite(Role writer) {
  if (writer == Role::kDuo) return {};
  return {own_rule::kExamResultOwner,
          "an exam result is written by DUO only, not by a " + std::string(ToString(writer))};
}

OwnershipVerdict CheckDutyWrite(Role writer) {
  if (writer == Role::kDuo) return {};
  return {own_rule::kDutyOwner, "a learner's integration duty status is written by DUO only, "
                                "not by a " + std::string(ToString(writer))};
}

OwnershipVerdict CheckQualificationWrite(Role writer) {
  if (writer == Role::kAdmin) return {};
  return {own_rule::kQualificationOwner, "a teacher's qualification is kept by the school's "
                                         "admin only, not by a " + std::string(ToString(writer))};
}

OwnershipVerdict CheckRosterWrite(Role writer, std::string_view what) {
  if (writer == Role::kAdmin) return {};
  return {own_rule::kRosterOwner, std::string(what) +
                                      " is written by the school's admin only, not by a " +
                                      std::string(ToString(writer))};
}

Status Permitted(const OwnershipVerdict& verdict, Role role) {
  if (verdict.ok()) return Status::Ok();
  return PermissionDenied(verdict.detail + " (this is a " + std::string(ToString(role)) +
                          " register)");
}

OwnershipVerdict CheckLessonWrite(Role writer) {
  if (writer == Role::kAdmin || writer == Role::kTeacher) return {};
  return {own_rule::kLessonOwner, "a lesson is planned by the school (its admin or a teacher), "
                                  "not by a " + std::string(ToString(writer))};
}

OwnershipVerdict CheckSubmissionWrite(Role writer) {
  if (writer == Role::kAdmin) return {};
  return {own_rule::kSubmissionOwner, "a submission to an authority is written by the school's "
                                      "admin only, not by a " + std::string(ToString(writer))};
}

}  // namespace presentie
