// The wire's half of what presentie knows of a record kind: the traits of
// kind T are WireTraits<T>, in sync/kinds/<kind>.h (the store's half is
// storage/kinds/<kind>.h). The generic code goes through them and names no
// kind's fields: a record to its plain wire form (internal/convert.cc) and
// back (internal/from_wire.cc). Attendance also has a column form
// (internal/columns.cc), which is its own.
//
// A specialization has:
//   kCase        the record's field in Version's oneof (sync.proto)
//   Check(r)     what the decoder would refuse, refused before encoding:
//                structural checks (ids, names, formats)
//   Fill(r, out) sets the record's message in `out`
//   FromWire(v)  the record from Version `v` holding kCase, validated as
//                it is converted; messages name the record by its id and
//                the field, never a value
#ifndef PRESENTIE_SYNC_KINDS_WIRE_TRAITS_H_
#define PRESENTIE_SYNC_KINDS_WIRE_TRAITS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/authorities.h"
#include "core/civil_time.h"
#include "core/domain.h"
#include "core/ids.h"
#include "core/status.h"
#include "sync/internal/convert.h"

namespace presentie::sync::internal {

template <typename T>
struct WireTraits;  // specialized per kind; see above

inline std::string Named(std::string_view kind, std::string_view id) {
  return std::string(kind) + " '" + std::string(id) + "'";
}

// "" or a canonical date.
inline Result<std::optional<Date>> OptionalDateFromWire(std::string_view text,
                                                        std::string_view field) {
  if (text.empty()) return std::optional<Date>();
  Result<Date> d = ParseDate(text);
  if (!d.ok() || FormatDate(*d) != text) {
    return InvalidArgument(std::string(field) + " is not a date (yyyy-mm-dd)");
  }
  return std::optional<Date>(*d);
}

// Assigns the value of a parsed Result, or keeps its status; lets the record
// decoders read field after field and fail on the first bad one.
class Reader {
 public:
  explicit Reader(std::string prefix) : prefix_(std::move(prefix)) {}

  template <typename E>
  void Enum(std::string_view text, Result<E> (*parse)(std::string_view), std::string_view field,
            E* out) {
    if (!status_.ok()) return;
    Result<E> v = ParseCanonical(text, parse, field);
    if (!v.ok()) {
      status_ = v.status();
      return;
    }
    *out = *v;
  }
  void Check(Status s) {
    if (status_.ok() && !s.ok()) status_ = std::move(s);
  }
  Status Finish() const { return status_.WithContext(prefix_); }
  bool ok() const { return status_.ok(); }

 private:
  std::string prefix_;
  Status status_;
};

// A date in its one wire form, "yyyy-mm-dd"; `name` names the record.
inline Result<Date> DateFromWire(const std::string& text, std::string_view what,
                                 std::string_view name) {
  Result<Date> d = ParseDate(text);
  if (!d.ok() || FormatDate(*d) != text) {
    return InvalidArgument(std::string(name) + ": " + std::string(what) +
                           " is not a date (yyyy-mm-dd)");
  }
  return *d;
}

}  // namespace presentie::sync::internal

#endif  // PRESENTIE_SYNC_KINDS_WIRE_TRAITS_H_
