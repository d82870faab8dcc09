// The column form of attendance versions (AttendanceColumns in the wire
// schema). Internal to sync/.
#ifndef PRESENTIE_SYNC_INTERNAL_COLUMNS_H_
#define PRESENTIE_SYNC_INTERNAL_COLUMNS_H_

#include <span>
#include <vector>

#include "core/status.h"
#include "presentie/sync/v1/sync.pb.h"
#include "storage/versioned.h"

namespace presentie::sync::internal {

// Lays out attendance versions column by column. Each must hold an
// Attendance and have passed ValidateForWire.
void ToColumns(std::span<const storage::VersionedRecord* const> versions,
               ::presentie::sync::v1::AttendanceColumns* out);

// Appends the versions the columns hold to `out`, validating them: equal
// column lengths, dictionary indexes in range, canonical enum names, record
// keys, replica ids, version vectors. `first_index` numbers the versions in
// messages (their place in the whole batch).
Status FromColumns(const ::presentie::sync::v1::AttendanceColumns& columns, size_t first_index,
                   std::vector<storage::VersionedRecord>* out);

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_INTERNAL_COLUMNS_H_
