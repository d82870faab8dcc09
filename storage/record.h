// The records of the register as values, with their kind, id and version
// stamp: the form in which versions move between the store and the sync layer.
#ifndef PRESENTIE_STORAGE_RECORD_H_
#define PRESENTIE_STORAGE_RECORD_H_

#include <string>
#include <string_view>
#include <iterator>
#include <variant>

#include "core/domain.h"
#include "core/authorities.h"
#include "core/status.h"
#include "core/version_vector.h"

namespace presentie::storage {

// The kinds of versioned record. Names are written to disk: permanent.
// kDuoHours, kDuoAbsence, kGemeenteHours, kGemeenteAbsence: submissions to
// DUO and to a gemeente; kGemeenteDecision: a gemeente's classification of an absence;
// kDuoExamResult: an exam result from DUO; kQualification: a teacher's
// qualification (the school's); kBowPlanning, kBowQualification: the
// submissions to Blik op Werk; kGemeentePip: a gemeente's PIP of a learner;
// kDuoDuty: DUO's view of a learner's integration duty; kContract, kInvoice,
// kBridgingDiploma: what the school's admin enters for DUO (and, a diploma
// of a Wi2021 asylum permit holder, for the gemeente); kGemeenteNaw: a
// gemeente's NAW data of a learner (core/authorities/gemeente.h; docs/authorities.md).
enum class RecordKind {
  kLearner,
  kCourse,
  kEnrollment,
  kLesson,
  kAttendance,
  kDuoHours,
  kGemeenteHours,
  kGemeenteAbsence,
  kGemeenteDecision,
  kDuoAbsence,
  kDuoExamResult,
  kQualification,
  kBowPlanning,
  kBowQualification,
  kGemeentePip,
  kDuoDuty,
  kContract,
  kInvoice,
  kBridgingDiploma,
  kGemeenteNaw
};
// Every kind, in the enum's order (which is also Record's).
inline constexpr RecordKind kAllRecordKinds[] = {
    RecordKind::kLearner,          RecordKind::kCourse,         RecordKind::kEnrollment,
    RecordKind::kLesson,           RecordKind::kAttendance,     RecordKind::kDuoHours,
    RecordKind::kGemeenteHours,    RecordKind::kGemeenteAbsence, RecordKind::kGemeenteDecision,
    RecordKind::kDuoAbsence,       RecordKind::kDuoExamResult,  RecordKind::kQualification,
    RecordKind::kBowPlanning,      RecordKind::kBowQualification, RecordKind::kGemeentePip,
    RecordKind::kDuoDuty,          RecordKind::kContract,       RecordKind::kInvoice,
    RecordKind::kBridgingDiploma,  RecordKind::kGemeenteNaw};
// "learner", "course", "enrollment", "lesson", "attendance", "duo_hours",
// "gemeente_hours", "gemeente_absence", "gemeente_decision", "duo_absence",
// "duo_exam_result", "qualification", "bow_planning", "bow_qualification",
// "gemeente_pip", "duo_duty", "contract", "invoice", "bridging_diploma",
// "gemeente_naw"
std::string_view ToString(RecordKind k);
Result<RecordKind> ParseRecordKind(std::string_view text);

using Record = std::variant<Learner, Course, Enrollment, Lesson, Attendance, exports::DuoHours,
                            exports::GemeenteHours, exports::GemeenteAbsence,
                            exports::GemeenteDecision, exports::DuoAbsence,
                            exports::DuoExamResult, Qualification, exports::BowPlanning,
                            exports::BowQualification, exports::GemeentePip, exports::DuoDuty,
                            exports::Contract, exports::Invoice, exports::BridgingDiploma,
                            exports::GemeenteNaw>;
// KindOf is the variant's index: the two lists are in the same order.
static_assert(std::variant_size_v<Record> == std::size(kAllRecordKinds));

RecordKind KindOf(const Record& r);
// The record's stable id (Learner::id, Enrollment::id, AttendanceId(...)).
std::string RecordIdOf(const Record& r);

struct VersionedRecord {
  VersionStamp stamp;
  Record record;
  bool operator==(const VersionedRecord&) const = default;
};

}  // namespace presentie::storage

#endif  // PRESENTIE_STORAGE_RECORD_H_
