// A record with its version stamp, as it travels between replicas. The form
// in which the sync layer hands versions to the store and takes them from it;
// storage keeps them as canonical JSON bodies (Change::body), the wire as
// Protocol Buffers.
#ifndef PRESENTIE_STORAGE_VERSIONED_H_
#define PRESENTIE_STORAGE_VERSIONED_H_

#include <string>
#include <variant>

#include "core/domain.h"
#include "core/status.h"
#include "core/version_vector.h"
#include "storage/record.h"
#include "storage/store.h"

namespace presentie::storage {

// Decodes a change-log row's body into its record. kInvalidArgument when the
// body is not a valid record of `change.kind` (names the record id).
Result<VersionedRecord> FromChange(const Change& change);
// The canonical JSON body of a record (what Change::body holds).
Result<std::string> EncodeRecordBody(const Record& r);

}  // namespace presentie::storage

#endif  // PRESENTIE_STORAGE_VERSIONED_H_
