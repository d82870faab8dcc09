#include "core/ids.h"

#include <string>
#include <string_view>

#include "core/civil_time.h"
#include "core/version_vector.h"

namespace presentie {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The elfproef on a 9-digit string. The weights 9..2 for d1..d8 and -1 for d9
// are those of the BSN (the bank-account variant weighs d9 with +1).
bool PassesElfproef(std::string_view nine) {
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (9 - i) * (nine[i] - '0');
  sum -= nine[8] - '0';
  return sum % 11 == 0;
}

}  // namespace

// None of the messages below contains the input: whatever was typed where a
// BSN belongs may be a BSN, and a BSN must not reach a log or a terminal
// scroll-back through an error message.
Result<std::string> NormalizeBsn(std::string_view text) {
  std::string_view t = TrimSpaces(text);
  if (t.empty()) return InvalidArgument("BSN is empty");
  if (!AllDigits(t)) return InvalidArgument("BSN must contain only digits");
  if (t.size() != 9 && t.size() != 8) return InvalidArgument("BSN must be 9 digits");
  std::string nine = t.size() == 8 ? "0" + std::string(t) : std::string(t);
  // All zeros passes the arithmetic (0 ≡ 0 mod 11) but is never issued.
  if (nine == "000000000") return InvalidArgument("BSN must not be all zeros");
  if (!PassesElfproef(nine)) return InvalidArgument("BSN fails the elfproef");
  return nine;
}

bool IsValidBsn(std::string_view text) { return NormalizeBsn(text).ok(); }

Status ValidateBrin(std::string_view text) {
  if (text.size() == 4 && IsDigit(text[0]) && IsDigit(text[1]) && IsUpper(text[2]) &&
      IsUpper(text[3])) {
    return Status::Ok();
  }
  return InvalidArgument("BRIN must be 2 digits and 2 capital letters, e.g. 25AB");
}

Status ValidateBowNumber(std::string_view text) {
  if (!text.empty() && text.size() <= 10 && AllDigits(text)) return Status::Ok();
  return InvalidArgument("Blik op Werk number must be 1 to 10 digits");
}

Status ValidateDuoInstitution(std::string_view text) {
  bool ok = text.size() == 10;
  for (char c : text) ok = ok && (IsDigit(c) || IsUpper(c));
  if (ok) return Status::Ok();
  return InvalidArgument("DUO instellingsnummer must be 10 digits or capital letters");
}

Status ValidateGemeenteCode(std::string_view text) {
  if (text.size() == 4 && AllDigits(text)) return Status::Ok();
  return InvalidArgument("gemeente_code must be 4 digits (CBS code, e.g. 0363)");
}

Result<std::string> NormalizePostcode(std::string_view text) {
  std::string_view t = TrimSpaces(text);
  std::string out;
  // Accept "1234AB" and "1234 AB" (one space), letters in any case.
  if (t.size() == 7 && t[4] == ' ') {
    out = std::string(t.substr(0, 4)) + std::string(t.substr(5));
  } else {
    out = std::string(t);
  }
  if (out.size() == 6) {
    for (size_t i = 4; i < 6; ++i) {
      if (IsLower(out[i])) out[i] = static_cast<char>(out[i] - 'a' + 'A');
    }
    if (out[0] >= '1' && out[0] <= '9' && IsDigit(out[1]) && IsDigit(out[2]) && IsDigit(out[3]) &&
        IsUpper(out[4]) && IsUpper(out[5])) {
      return out;
    }
  }
  return InvalidArgument(
      "postcode must be 4 digits (not starting with 0) and 2 letters, e.g. 1234 AB");
}

Status ValidateOin(std::string_view text) {
  if (text.size() == 20 && AllDigits(text)) return Status::Ok();
  return InvalidArgument("OIN must be 20 digits");
}

Status ValidateRecordKey(std::string_view key, std::string_view what) {
  const std::string w(what);
  if (key.empty()) return InvalidArgument(w + " is empty");
  if (key.size() > 64) return InvalidArgument(w + " is longer than 64 characters");
  auto allowed = [](char c) {
    return IsDigit(c) || IsUpper(c) || IsLower(c) || c == '.' || c == '_' || c == '-';
  };
  for (char c : key) {
    if (allowed(c)) continue;
    // Name the offending character when it can be shown safely; the key
    // itself is not echoed (a mistyped field may hold personal data).
    std::string shown;
    if (c == ' ') {
      shown = "a space";
    } else if (static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f) {
      shown = std::string("'") + c + "'";
    } else {
      shown = "a control or non-ASCII character";
    }
    return InvalidArgument(w + " contains " + shown +
                           "; use only letters, digits, '.', '_' and '-'");
  }
  if (!IsDigit(key[0]) && !IsUpper(key[0]) && !IsLower(key[0])) {
    return InvalidArgument(w + " must start with a letter or digit");
  }
  return Status::Ok();
}

std::string SchoolScopedKey(std::string_view school, std::string_view key) {
  std::string scoped(school);
  scoped += '~';
  scoped += key;
  return scoped;
}

std::optional<ScopedKey> SplitSchoolScopedKey(std::string_view key) {
  const size_t tilde = key.find('~');
  if (tilde != 16 || !ValidateReplicaId(key.substr(0, 16)).ok() || key.size() == 17) {
    return std::nullopt;
  }
  return ScopedKey{key.substr(0, 16), key.substr(17)};
}

std::string AttendanceId(std::string_view lesson_id, std::string_view learner_id) {
  std::string id(lesson_id);
  id += '/';
  id += learner_id;
  return id;
}

std::string EnrollmentId(std::string_view course_id, std::string_view learner_id) {
  std::string id(course_id);
  id += '/';
  id += learner_id;
  return id;
}

std::string DefaultLessonId(std::string_view course_id, std::string_view start) {
  std::string id(course_id);
  id += '-';
  auto t = ParseDateTime(start);
  if (t.ok()) {
    // Built from the parsed value, so "2026-11-30 09:00" and
    // "2026-11-30T09:00" give the same id.
    const std::string s = FormatDateTime(*t);  // "2026-11-30T09:00"
    id +=
        s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2) + '-' + s.substr(11, 2) + s.substr(14, 2);
    return id;
  }
  // Not a valid start (the caller validates the lesson separately): still
  // deterministic, from the digits that were given.
  for (char c : start) {
    if (IsDigit(c)) id += c;
  }
  return id;
}

}  // namespace presentie
