// Conversions between presentie's types and the generated Protocol Buffers
// types of the wire schema. Internal to sync/: the only place, with
// columns.h and wire_scan.h, that knows the generated header.
//
// Every From* function validates what it converts and fails with
// kInvalidArgument (the codec reports it as kMalformed); messages name the
// version by index and record id, never a field's value.
#ifndef PRESENTIE_SYNC_INTERNAL_CONVERT_H_
#define PRESENTIE_SYNC_INTERNAL_CONVERT_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.h"
#include "core/status.h"
#include "presentie/sync/v1/sync.pb.h"
#include "storage/versioned.h"
#include "sync/codec.h"
#include "sync/messages.h"

namespace presentie::sync::internal {

namespace pb = ::presentie::sync::v1;

// The most minutes an attendance may carry on the wire: the longest lesson
// (core's Validate(Lesson): 1..720). Checked at decoding, before any store
// sees the version, so that a nonsense number is named as such.
inline constexpr int kMaxWireMinutes = 720;

// Whether `s` is a record key (core/ids.h ValidateRecordKey).
bool IsKey(std::string_view s);
// A derived id ("<a>/<b>") or a key, shown only when it is one: anything
// else might be personal data in the wrong field.
bool IsShowableId(std::string_view id);
// The structural checks of a field, for convert.cc and from_wire.cc.
Status Key(std::string_view key, std::string_view what);
Status Text(std::string_view text, std::string_view field);
Status ValidDate(const std::optional<Date>& d, std::string_view field);
std::string OptionalDateToWire(const std::optional<Date>& d);

// "version 3 (attendance 'L1/S1')": how messages name a version.
std::string VersionName(size_t index, const storage::VersionedRecord& v);

// What the decoder would refuse, refused before encoding.
Status ValidateForWire(const storage::VersionedRecord& v);
// `text` as a canonical enum name: Parse accepts more spellings than
// ToString writes, and only ToString's are on the wire.
template <typename E>
Result<E> ParseCanonical(std::string_view text, Result<E> (*parse)(std::string_view),
                         std::string_view field) {
  Result<E> parsed = parse(text);
  if (!parsed.ok() || ToString(*parsed) != text) {
    return InvalidArgument(std::string(field) + " has an unknown value");
  }
  return parsed;
}

pb::Role ToProto(Role r);
Result<Role> FromProto(pb::Role r, std::string_view field);

// The version stamp, validated: replica ids, a non-empty vector strictly
// sorted by replica with non-zero counters, within the bounds of
// core/version_vector.h.
Status CheckVersionVector(const VersionVector& vv);

// One version in the plain form. `v` must have passed ValidateForWire.
void ToProto(const storage::VersionedRecord& v, pb::Version* out);
Result<storage::VersionedRecord> FromProto(const pb::Version& v);

// A batch in either layout; validates each version first. `session`: the
// pull session's dictionary the attendance columns use (ToColumns).
Status ToProto(std::span<const storage::VersionedRecord> versions, BatchLayout layout,
               pb::VersionBatch* out, SessionIndex* session = nullptr);
// Appends the batch's versions to `out`: plain ones, then column ones.
// `session`: the strings of the pull session the columns may name
// (FromColumns); nullptr outside one.
Status FromProto(const pb::VersionBatch& batch, std::vector<storage::VersionedRecord>* out,
                 const std::vector<std::string>* session = nullptr);

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_INTERNAL_CONVERT_H_
