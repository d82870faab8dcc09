// The two halves of a JSON record body: CanonicalObject writes one in its
// canonical form (internal/records.h), BodyReader reads one back strictly.
// Internal to storage/: each kind's traits (storage/kinds/) use them.
#ifndef PRESENTIE_STORAGE_INTERNAL_BODY_H_
#define PRESENTIE_STORAGE_INTERNAL_BODY_H_

#include <cassert>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/civil_time.h"
#include "core/status.h"
#include "core/utf8.h"

namespace presentie::storage::internal {

using Json = nlohmann::json;

// Reads the fields of one body; the first failure is kept and later reads
// become no-ops, so a decoder reads straight through and checks once.
class BodyReader {
 public:
  BodyReader(const Json& body, std::string prefix) : body_(body), prefix_(std::move(prefix)) {}

  std::string Text(const char* key) {
    const Json* v = Find(key);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      Fail(key, "is not a string");
      return {};
    }
    return v->get<std::string>();
  }

  int Int(const char* key) {
    const Json* v = Find(key);
    if (v == nullptr) return 0;
    if (v->is_number_unsigned()) {
      const auto n = v->get<uint64_t>();
      if (n <= static_cast<uint64_t>(std::numeric_limits<int>::max())) return static_cast<int>(n);
    } else if (v->is_number_integer()) {
      const auto n = v->get<int64_t>();
      if (n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max()) {
        return static_cast<int>(n);
      }
    }
    Fail(key, "is not an integer in range");
    return 0;
  }

  bool Bool(const char* key) {
    const Json* v = Find(key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) {
      Fail(key, "is not a boolean");
      return false;
    }
    return v->get<bool>();
  }

  // A canonical enum name: Parse accepts more spellings than ToString
  // writes, and a body is only ever written by ToString.
  template <typename E, typename ParseFn>
  E Enum(const char* key, ParseFn parse) {
    const std::string text = Text(key);
    if (!status_.ok()) return E{};
    Result<E> parsed = parse(text);
    if (!parsed.ok() || ToString(*parsed) != text) {
      Fail(key, "is not a known value");
      return E{};
    }
    return *parsed;
  }

  std::optional<Date> OptionalDate(const char* key) {
    const Json* v = Find(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
      Fail(key, "is not a date or null");
      return std::nullopt;
    }
    const auto& text = v->get_ref<const std::string&>();
    Result<Date> d = ParseDate(text);
    if (!d.ok() || FormatDate(*d) != text) {
      Fail(key, "is not a date (yyyy-mm-dd)");
      return std::nullopt;
    }
    return *d;
  }

  Date Day(const char* key) {
    std::optional<Date> d = OptionalDate(key);
    if (!d.has_value()) {
      Fail(key, "is not a date (yyyy-mm-dd)");
      return {};
    }
    return *d;
  }

  DateTime Time(const char* key) {
    const std::string text = Text(key);
    if (!status_.ok()) return {};
    Result<DateTime> t = ParseDateTime(text);
    if (!t.ok() || FormatDateTime(*t) != text) {
      Fail(key, "is not a date and time (yyyy-mm-ddThh:mm)");
      return {};
    }
    return *t;
  }

  // The sub-object at `key`, or nullptr when it is null (or on failure).
  const Json* OptionalObject(const char* key) {
    const Json* v = Find(key);
    if (v == nullptr || v->is_null()) return nullptr;
    if (!v->is_object()) {
      Fail(key, "is not an object or null");
      return nullptr;
    }
    return v;
  }

  void Fail(std::string_view key, std::string_view what) {
    if (status_.ok()) {
      status_ =
          InvalidArgument(prefix_ + "body field '" + std::string(key) + "' " + std::string(what));
    }
  }
  void FailRecord(std::string_view what) {
    if (status_.ok()) status_ = InvalidArgument(prefix_ + std::string(what));
  }
  const Status& status() const { return status_; }

 private:
  const Json* Find(const char* key) {
    if (!status_.ok()) return nullptr;
    auto it = body_.find(key);
    if (it == body_.end()) {
      Fail(key, "is missing");
      return nullptr;
    }
    return &*it;
  }

  const Json& body_;
  std::string prefix_;
  Status status_;
};

// Appends `s` as a JSON string literal the way nlohmann::json::dump() writes
// one: '"' and '\\' escaped, \b \t \n \f \r by name, the other control
// characters as \u00xx, UTF-8 as is. False when `s` is not valid UTF-8 (each
// byte that does not fit is written as \ufffd).
inline bool AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool valid = true;
  *out += '"';
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        valid = false;
        *out += "\\ufffd";
        ++i;
      } else {
        out->append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\r':
        *out += "\\r";
        break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          *out += kHex[c >> 4];
          *out += kHex[c & 0xf];
        } else {
          *out += static_cast<char>(c);
        }
    }
    ++i;
  }
  *out += '"';
  return valid;
}

// Writes one JSON object the way nlohmann::json::dump() does: keys in
// sorted order (the caller adds them sorted; asserted), no whitespace,
// strings with only '"', '\\' and control characters escaped (\b \t \n \f \r
// by name, the others as \u00xx), UTF-8 kept as is and required to be valid.
// Hand-written because building an nlohmann::json per record was most of the
// cost of recording attendance.
class CanonicalObject {
 public:
  CanonicalObject() {
    out_.reserve(256);
    out_ += '{';
  }

  CanonicalObject& Text(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
    return *this;
  }
  CanonicalObject& Int(std::string_view key, int64_t value) {
    Key(key);
    out_ += std::to_string(value);
    return *this;
  }
  CanonicalObject& Bool(std::string_view key, bool value) {
    Key(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  CanonicalObject& Null(std::string_view key) {
    Key(key);
    out_ += "null";
    return *this;
  }
  // `json` must itself be canonical.
  CanonicalObject& Object(std::string_view key, std::string_view json) {
    Key(key);
    out_ += json;
    return *this;
  }

  // The object, or kInvalidArgument naming the record (never the text) when
  // a string was not valid UTF-8.
  Result<std::string> Finish(std::string_view what, std::string_view id) {
    if (!valid_) {
      return InvalidArgument(std::string(what) + " '" + std::string(id) +
                             "': a text field is not valid UTF-8");
    }
    out_ += '}';
    return std::move(out_);
  }

 private:
  void Key(std::string_view key) {
    assert(key > last_key_ && "keys must be added in sorted order");
    last_key_ = key;
    if (out_.size() > 1) out_ += ',';
    out_ += '"';
    out_ += key;  // keys are plain ASCII literals: nothing to escape
    out_ += "\":";
  }

  void String(std::string_view s) {
    if (!AppendJsonString(s, &out_)) valid_ = false;
  }

  std::string out_;
  std::string_view last_key_;
  bool valid_ = true;
};

inline void OptionalDate(CanonicalObject& o, std::string_view key, const std::optional<Date>& d) {
  if (d.has_value()) {
    o.Text(key, FormatDate(*d));
  } else {
    o.Null(key);
  }
}

}  // namespace presentie::storage::internal

#endif  // PRESENTIE_STORAGE_INTERNAL_BODY_H_
