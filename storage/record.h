// The records of the register as values, with their kind, id and version
// stamp: the form in which versions move between the store and the sync layer.
#ifndef PRESENTIE_STORAGE_RECORD_H_
#define PRESENTIE_STORAGE_RECORD_H_

#include <string>
#include <string_view>
#include <variant>

#include "core/domain.h"
#include "core/status.h"
#include "core/version_vector.h"

namespace presentie::storage {

// The kinds of versioned record. Names are written to disk: permanent.
enum class RecordKind { kLearner, kCourse, kEnrollment, kLesson, kAttendance };
std::string_view ToString(RecordKind k);  // "learner", "course", "enrollment", "lesson", "attendance"
Result<RecordKind> ParseRecordKind(std::string_view text);

using Record = std::variant<Learner, Course, Enrollment, Lesson, Attendance>;

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
