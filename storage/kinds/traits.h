// What the store knows of a record kind, in one place per kind: the traits
// of kind T are the specialization KindTraits<T>, in storage/kinds/<kind>.h
// (the wire's half is sync/kinds/<kind>.h: storage knows nothing of the
// wire). The generic code goes through them and names no kind's fields:
// the typed rows' upsert and read (UpsertRow<T> in sqlite_store/store_impl.h,
// TypedTableOf in rows.cc), a change-log
// body to a record and back (versioned.cc, internal/records.h), a received
// version's checks (sqlite_store/replication.cc) and the dump.
//
// A specialization has:
//   kName          the kind's permanent name: in the change log, the
//                  refused table, the dump, and the typed table's name
//   kKey           the typed table's key columns: "id", or two ("a, b")
//                  for a record whose id is "<a>/<b>"
//   kColumns       the typed table's columns as a SELECT list, the key's
//                  columns first; a personal field sealed at rest is
//                  written unseal(column,'field') (internal/seal.h)
//   Id(r)          the record's stable id
//   Read(s, c, &r) the record from kColumns, read from column c on
//   Bind(s, i, r)  the values of kWritten (or kColumns) from parameter i on
//   Body(r)        its canonical body (internal/records.h); kInvalidArgument
//                  when a text field is not valid UTF-8
//   FromBody(rd)   the record from a JSON body's fields (internal/body.h)
//   Validate(r)    the domain's checks a received version must pass
// and may have:
//   kKind          its RecordKind: every kind of storage/record.h has one;
//                  a kind a test adds has none
//   kWritten       the columns an upsert writes, when not kColumns (a
//                  derived id the table computes is not written)
//   kLookupHash    a sealed column that also gets a lookup hash
//                  (<column>_hash, internal/seal.h): the learner's BSN
//   Normalized(r)  r with a derived id filled in that a peer left out;
//                  nullopt when there is nothing to fill
//   Shown(db, r)   what the typed row shows when not r itself (a learner
//                  shows the gemeente's PIP over the school's fields)
//   AfterUpsert(db, r)  the typed rows of other kinds that show this one
//   SchoolLearner(r)  the learner id of a school's fact about its learner
//                  (it also carries the learner's BSN: an endpoint links
//                  the school's learner to the person)
//   Rekey(r, f)    f applied to each of the record's keys that a school
//                  chose (a learner, lesson, course or contract key) and the
//                  id made again: an authority's endpoint holds a school's
//                  record under SchoolScopedKey (core/ids.h) and serves it
//                  back unscoped (docs/authorities.md, "Many schools")
//   kAboutPerson   true for a record an authority writes about a person
//                  (a PIP, NAW data, an exam result, a duty status): at the
//                  endpoint its learner is the person (found by BSN), and
//                  Rekey serves it to each school under that school's key
//   MayWrite(writer, r, learner)  ownership of a received version
//                  (core/ownership.h); `learner(id)` finds the learner a
//                  record is about. Without it a version is not checked.
//
// Adding a kind: its struct in core/, a traits file here and one in
// sync/kinds/, a line in each all.h, its alternative in Record
// (storage/record.h), a proto message, a schema step, a CLI noun
// (docs/architecture.md, "Adding a record kind").
#ifndef PRESENTIE_STORAGE_KINDS_TRAITS_H_
#define PRESENTIE_STORAGE_KINDS_TRAITS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/authorities.h"
#include "core/classification.h"
#include "core/domain.h"
#include "core/ids.h"
#include "core/ownership.h"
#include "core/status.h"
#include "storage/internal/body.h"
#include "storage/internal/records.h"
#include "storage/record.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/statement.h"

namespace presentie::storage::kinds {

template <typename T>
struct KindTraits;  // specialized per kind; see above

using internal::BodyReader;
using internal::CanonicalObject;
using sqlite::Statement;
using Json = nlohmann::json;

// The learner a record is about, as the register holds it; nullopt when it
// holds none by that id.
// A school's key to the key it is held under (Rekey).
using KeyMap = std::function<void(std::string& key)>;

using LearnerLookup = std::function<Result<std::optional<Learner>>(const std::string& id)>;

// A parsed value into *out, or the parse's error.
template <typename T>
Status Take(Result<T> parsed, T* out) {
  if (!parsed.ok()) return parsed.status();
  *out = std::move(parsed).value();
  return Status::Ok();
}

// A nullable date column.
inline Status ReadOptionalDate(const Statement& s, int c, std::optional<Date>* out) {
  if (s.ColumnIsNull(c)) {
    out->reset();
    return Status::Ok();
  }
  Date d;
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c)), &d));
  *out = d;
  return Status::Ok();
}

inline std::optional<std::string> OptionalDateText(const std::optional<Date>& d) {
  return d.has_value() ? std::optional<std::string>(FormatDate(*d)) : std::nullopt;
}

// A record of kind T from its change-log body, strictly (storage/versioned.h):
// a JSON object of its fields, or a body in the kind's text form (kTextBody)
// where it has one. `prefix` names the record in errors, which name fields,
// never their values.
template <typename T>
Result<T> RecordFromBody(std::string_view record_id, std::string_view body,
                         const std::string& prefix) {
  using Traits = KindTraits<T>;
  if constexpr (requires { Traits::kTextBody; }) {
    if (body.starts_with(Traits::kTextBody)) return Traits::FromTextBody(record_id, body, prefix);
  }
  // Parsing without exceptions: a body that is not JSON comes back discarded.
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return InvalidArgument(prefix + "body is not a JSON object");
  }
  BodyReader reader(json, prefix);
  T record = Traits::FromBody(reader);
  PRESENTIE_RETURN_IF_ERROR(reader.status());
  if (Traits::Id(record) != record_id) {
    return InvalidArgument(prefix + "body id does not match the change's record id");
  }
  return record;
}

// The record of kind T with id `id` as its typed row shows it (a kind keyed
// by "id" alone); nullopt when there is none. kDataLoss when the row does
// not read: it was not written by this store, or the file is damaged.
template <typename T>
Result<std::optional<T>> ReadById(sqlite::Database& db, const std::string& id) {
  using Traits = KindTraits<T>;
  static_assert(Traits::kKey == "id");
  static const std::string kSql = "SELECT " + std::string(Traits::kColumns) + " FROM " +
                                  std::string(Traits::kName) + " WHERE id = ?1";
  PRESENTIE_ASSIGN_OR_RETURN(sqlite::CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, id);
  Result<bool> row = stmt->Step();  // fails when a sealed column does not open
  if (!row.ok()) return row.status().WithContext(std::string(Traits::kName) + " '" + id + "'");
  if (!*row) return std::optional<T>();
  T record;
  if (Status st = Traits::Read(*stmt, 0, &record); !st.ok()) {
    return DataLoss(std::string(Traits::kName) + " '" + id + "': stored value is not valid (" +
                    st.message() + ")");
  }
  return std::optional<T>(std::move(record));
}

}  // namespace presentie::storage::kinds

#endif  // PRESENTIE_STORAGE_KINDS_TRAITS_H_
