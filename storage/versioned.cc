// Records as versions: the bridge between the change log's canonical
// bodies (JSON; an attendance's compact text since schema version 9) and
// the typed records the sync layer sends. Also defines
// storage/record.h's KindOf and RecordIdOf.
//
// A body is read strictly: every field the canonical form has must be there
// with its JSON type, enum names must be the canonical ones, dates and times
// must be in the one format the store writes, and the ids must agree with the
// change-log row. Keys the canonical form does not (yet) have are ignored, so
// a body written by a newer program that only added fields still reads. The
// domain's own rules (Validate) are not applied here: a version that was valid
// when written stays readable when the rules tighten; whoever applies a
// received version validates it then.
//
// Error messages name the record by the change-log row's id and the field by
// its key, never by its value: a body holds names, BSNs and absence reasons.
#include "storage/versioned.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>

#include "core/ids.h"
#include "core/utf8.h"
#include "storage/kinds/all.h"

namespace presentie::storage {
namespace {

using internal::BodyReader;
using Json = nlohmann::json;

}  // namespace

RecordKind KindOf(const Record& r) { return kAllRecordKinds[r.index()]; }

std::string RecordIdOf(const Record& r) {
  return std::visit(
      [](const auto& record) {
        return kinds::KindTraits<std::decay_t<decltype(record)>>::Id(record);
      },
      r);
}

Result<std::string> EncodeRecordBody(const Record& r) {
  return std::visit([](const auto& record) { return internal::EncodeBody(record); }, r);
}

Result<VersionedRecord> FromChange(const Change& change) {
  const std::string prefix = std::string(ToString(change.kind)) + " '" + change.record_id + "': ";
  return kinds::WithKind(change.kind, [&]<typename T>() -> Result<VersionedRecord> {
    Result<T> record = kinds::RecordFromBody<T>(change.record_id, change.body, prefix);
    if (!record.ok()) return record.status();
    return VersionedRecord{change.stamp, Record(std::move(record).value())};
  });
}

}  // namespace presentie::storage
