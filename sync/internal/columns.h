// The column form of attendance versions (AttendanceColumns in the wire
// schema). Internal to sync/.
#ifndef PRESENTIE_SYNC_INTERNAL_COLUMNS_H_
#define PRESENTIE_SYNC_INTERNAL_COLUMNS_H_

#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "presentie/sync/v1/sync.pb.h"
#include "storage/versioned.h"
#include "sync/codec.h"

namespace presentie::sync::internal {

// Lays out attendance versions column by column. Each must hold an
// Attendance and have passed ValidateForWire. With `session` (a pull
// session's dictionary, sync/codec.h), strings it holds are named by index,
// strings it can still take join it and lead `strings` (counted in
// `shared`), and notes stay in the batch; without, the batch's dictionary
// holds every string in order of first use.
void ToColumns(std::span<const storage::VersionedRecord* const> versions,
               ::presentie::sync::v1::AttendanceColumns* out, SessionIndex* session = nullptr);

// Appends the versions the columns hold to `out`, validating them: equal
// column lengths, `base` equal to the session's strings held (`session`'s
// size; 0 without one) and `shared` within `strings`, dictionary indexes in
// range, canonical enum names, record keys, replica ids, version vectors.
// `first_index` numbers the versions in messages (their place in the whole
// batch). The shared strings are the caller's to keep.
Status FromColumns(const ::presentie::sync::v1::AttendanceColumns& columns, size_t first_index,
                   const std::vector<std::string>* session,
                   std::vector<storage::VersionedRecord>* out);

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_INTERNAL_COLUMNS_H_
