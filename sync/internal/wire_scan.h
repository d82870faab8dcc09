// Counting what a serialized message holds before parsing it, so the record
// limit and the parsing-memory bound are checked before the work they bound.
// Internal to sync/.
#ifndef PRESENTIE_SYNC_INTERNAL_WIRE_SCAN_H_
#define PRESENTIE_SYNC_INTERNAL_WIRE_SCAN_H_

#include <google/protobuf/descriptor.h>

#include <cstddef>
#include <string_view>

#include "core/status.h"

namespace presentie::sync::internal {

struct WireCounts {
  size_t plain_versions = 0;   // VersionBatch.versions entries
  size_t column_versions = 0;  // AttendanceColumns.lesson_id entries
  // What parsing would build: sub-messages, strings and bytes, and entries
  // of repeated numbers. Known fields only; unknown ones are kept as bytes.
  size_t elements = 0;
  // Of those, the ones of version vectors: a Version's vv entries and what
  // they hold, the vv_replica and vv_counter columns' entries. Bounded per
  // version (kMaxVersionVectorEntries), so counted apart from the rest.
  size_t vv_elements = 0;
};

// Walks `bytes` as a message of `type` by its descriptor, without building
// it. kInvalidArgument when the bytes are not the protobuf wire format (a
// bad tag, a truncated field, a group, nesting deeper than the schema), or a
// text field is not UTF-8 (checked here so that the parser, which would
// refuse it too, has no cause to log about it).
Status ScanWire(std::string_view bytes, const google::protobuf::Descriptor* type,
                WireCounts* counts);

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_INTERNAL_WIRE_SCAN_H_
