// Versions from the wire: each kind's message to its record through its
// WireTraits (sync/kinds/), validated as it is converted (structural checks:
// ids, names, formats), and the stamp.
#include <optional>
#include <utility>
#include <variant>

#include "core/civil_time.h"
#include "core/ids.h"
#include "core/version_vector.h"
#include "sync/internal/columns.h"
#include "sync/internal/convert.h"
#include "sync/kinds/all.h"

namespace presentie::sync::internal {
namespace {

using storage::VersionedRecord;

Result<VersionStamp> StampFromWire(const pb::Version& m) {
  VersionStamp stamp;
  PRESENTIE_RETURN_IF_ERROR(VersionVector::CheckEntryCount(static_cast<size_t>(m.vv_size())));
  std::string_view previous;
  for (const pb::VersionVectorEntry& e : m.vv()) {
    PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(e.replica()).WithContext("version vector"));
    if (!previous.empty() && e.replica() <= previous) {
      return InvalidArgument("version vector is not strictly sorted by replica");
    }
    if (e.counter() == 0) return InvalidArgument("version vector has a zero counter");
    previous = e.replica();
    stamp.vv.Set(e.replica(), e.counter());
  }
  if (stamp.vv.empty()) return InvalidArgument("version vector is empty");
  PRESENTIE_RETURN_IF_ERROR(stamp.vv.CheckBounds());
  stamp.hlc = Hlc::Unpack(m.hlc());
  PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(m.writer().replica()).WithContext("writer"));
  stamp.writer.replica = m.writer().replica();
  PRESENTIE_ASSIGN_OR_RETURN(stamp.writer.role, FromProto(m.writer().role(), "writer role"));
  stamp.writer.user = m.writer().user();
  return stamp;
}

// The record a Version holds, through its kind's WireTraits::FromWire.
Result<storage::Record> RecordFromWire(const pb::Version& m) {
  std::optional<Result<storage::Record>> record;
  [&]<size_t... I>(std::index_sequence<I...>) {
    const auto take = [&]<typename T>() {
      if (m.record_case() != WireTraits<T>::kCase) return false;
      Result<T> r = WireTraits<T>::FromWire(m);
      record = r.ok() ? Result<storage::Record>(storage::Record(std::move(r).value()))
                      : Result<storage::Record>(r.status());
      return true;
    };
    (take.template operator()<std::variant_alternative_t<I, storage::Record>>() || ...);
  }
  (std::make_index_sequence<std::variant_size_v<storage::Record>>());
  if (record.has_value()) return std::move(*record);
  return InvalidArgument(
      "holds no record of a kind this program knows (a newer protocol's kind, or none)");
}

}  // namespace

Result<VersionedRecord> FromProto(const pb::Version& m) {
  // The record first: its id names the version in the stamp's errors.
  PRESENTIE_ASSIGN_OR_RETURN(storage::Record record, RecordFromWire(m));
  const std::string name = Named(ToString(storage::KindOf(record)), storage::RecordIdOf(record));
  Result<VersionStamp> stamp = StampFromWire(m);
  if (!stamp.ok()) return stamp.status().WithContext(name);
  return VersionedRecord{std::move(stamp).value(), std::move(record)};
}

Status FromProto(const pb::VersionBatch& batch, std::vector<VersionedRecord>* out,
                 const std::vector<std::string>* session) {
  const size_t plain = static_cast<size_t>(batch.versions_size());
  out->reserve(out->size() + plain + static_cast<size_t>(batch.attendance().lesson_id_size()));
  for (size_t i = 0; i < plain; ++i) {
    Result<VersionedRecord> v = FromProto(batch.versions(static_cast<int>(i)));
    if (!v.ok()) return v.status().WithContext("version " + std::to_string(i));
    out->push_back(std::move(v).value());
  }
  if (batch.has_attendance())
    PRESENTIE_RETURN_IF_ERROR(FromColumns(batch.attendance(), plain, session, out));
  return Status::Ok();
}

}  // namespace presentie::sync::internal
