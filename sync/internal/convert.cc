// The plain form, and what both forms share: validation and the stamp.
//
// The wire carries what the store's canonical JSON body carries, field for
// field, so a record survives store → wire → store byte for byte. Validation
// here is structural (the checks a record needs to be stored and routed at
// all: ids, names, formats); the domain's rules (Validate against a lesson's
// duration, ownership) are for whoever applies a received version.
#include "sync/internal/convert.h"

#include <algorithm>
#include <utility>

#include "core/civil_time.h"
#include "core/ids.h"
#include "core/utf8.h"
#include "core/version_vector.h"
#include "sync/internal/columns.h"
#include "sync/kinds/all.h"

namespace presentie::sync::internal {

bool IsKey(std::string_view s) { return ValidateRecordKey(s, "id").ok(); }

bool IsShowableId(std::string_view id) {
  const size_t slash = id.find('/');
  if (slash == std::string_view::npos) return IsKey(id);
  return IsKey(id.substr(0, slash)) && IsKey(id.substr(slash + 1));
}

Status Key(std::string_view key, std::string_view what) { return ValidateRecordKey(key, what); }

Status Text(std::string_view text, std::string_view field) {
  if (IsUtf8(text)) return Status::Ok();
  return InvalidArgument(std::string(field) + " is not valid UTF-8");
}

Status ValidDate(const std::optional<Date>& d, std::string_view field) {
  if (!d.has_value() || ParseDate(FormatDate(*d)).ok()) return Status::Ok();
  return InvalidArgument(std::string(field) + " is not a date");
}

std::string OptionalDateToWire(const std::optional<Date>& d) {
  return d.has_value() ? FormatDate(*d) : std::string();
}

namespace {

using storage::VersionedRecord;

}  // namespace

std::string VersionName(size_t index, const VersionedRecord& v) {
  std::string name =
      "version " + std::to_string(index) + " (" + std::string(ToString(storage::KindOf(v.record)));
  const std::string id = storage::RecordIdOf(v.record);
  name += IsShowableId(id) ? " '" + id + "')" : " with an invalid id)";
  return name;
}

Status CheckVersionVector(const VersionVector& vv) {
  if (vv.empty()) return InvalidArgument("version vector is empty");
  // The map keeps entries sorted and unique; only ids and counters remain.
  for (const auto& [replica, counter] : vv.entries()) {
    PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(replica).WithContext("version vector"));
    if (counter == 0) return InvalidArgument("version vector has a zero counter");
  }
  return vv.CheckBounds();
}

Status ValidateForWire(const VersionedRecord& v) {
  PRESENTIE_RETURN_IF_ERROR(CheckVersionVector(v.stamp.vv));
  PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(v.stamp.writer.replica).WithContext("writer"));
  PRESENTIE_RETURN_IF_ERROR(Text(v.stamp.writer.user, "writer user"));
  return std::visit([](const auto& r) { return WireTraits<std::decay_t<decltype(r)>>::Check(r); },
                    v.record);
}

pb::Role ToProto(Role r) {
  switch (r) {
    case Role::kTeacher:
      return pb::ROLE_TEACHER;
    case Role::kAdmin:
      return pb::ROLE_ADMIN;
    case Role::kHub:
      return pb::ROLE_HUB;
    case Role::kDuo:
      return pb::ROLE_DUO;
    case Role::kGemeente:
      return pb::ROLE_GEMEENTE;
    case Role::kBow:
      return pb::ROLE_BOW;
  }
  return pb::ROLE_UNSPECIFIED;
}

Result<Role> FromProto(pb::Role r, std::string_view field) {
  switch (r) {
    case pb::ROLE_TEACHER:
      return Role::kTeacher;
    case pb::ROLE_ADMIN:
      return Role::kAdmin;
    case pb::ROLE_HUB:
      return Role::kHub;
    case pb::ROLE_DUO:
      return Role::kDuo;
    case pb::ROLE_GEMEENTE:
      return Role::kGemeente;
    case pb::ROLE_BOW:
      return Role::kBow;
    default:
      break;
  }
  return InvalidArgument(std::string(field) + " has an unknown value (" +
                         std::to_string(static_cast<int>(r)) + ")");
}

void ToProto(const VersionedRecord& v, pb::Version* out) {
  for (const auto& [replica, counter] : v.stamp.vv.entries()) {
    pb::VersionVectorEntry* e = out->add_vv();
    e->set_replica(replica);
    e->set_counter(counter);
  }
  out->set_hlc(v.stamp.hlc.Pack());
  pb::Writer* w = out->mutable_writer();
  w->set_replica(v.stamp.writer.replica);
  w->set_role(ToProto(v.stamp.writer.role));
  w->set_user(v.stamp.writer.user);
  std::visit([out](const auto& r) { WireTraits<std::decay_t<decltype(r)>>::Fill(r, out); },
             v.record);
}

Status ToProto(std::span<const VersionedRecord> versions, BatchLayout layout, pb::VersionBatch* out,
               SessionIndex* session) {
  std::vector<const VersionedRecord*> columns;
  for (size_t i = 0; i < versions.size(); ++i) {
    const VersionedRecord& v = versions[i];
    PRESENTIE_RETURN_IF_ERROR(ValidateForWire(v).WithContext(VersionName(i, v)));
    if (layout == BatchLayout::kColumns && std::holds_alternative<Attendance>(v.record)) {
      columns.push_back(&v);
    } else {
      ToProto(v, out->add_versions());
    }
  }
  if (session != nullptr) {
    // A page in arrival order interleaves many devices' writes, so each
    // clock delta spans the gap to another device's stamp (4-5 bytes) and
    // the lesson column jumps at every row. Ordered by writer, then clock,
    // a device's writes follow one another: deltas of a tick or a few
    // seconds, and a lesson's rows in one run. Order inside a batch carries
    // no meaning (docs/sync.md, "Batches: two layouts"); only pages in a
    // pull session are reordered, so every other batch keeps the order given.
    std::stable_sort(columns.begin(), columns.end(),
                     [](const VersionedRecord* a, const VersionedRecord* b) {
                       if (a->stamp.writer.replica != b->stamp.writer.replica) {
                         return a->stamp.writer.replica < b->stamp.writer.replica;
                       }
                       return a->stamp.hlc.Pack() < b->stamp.hlc.Pack();
                     });
  }
  if (!columns.empty()) ToColumns(columns, out->mutable_attendance(), session);
  return Status::Ok();
}

}  // namespace presentie::sync::internal
