#include "cli/parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>

#include "core/ids.h"

namespace presentie::cli {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Position of `word` in `text` as a whole word, or npos.
size_t FindWord(std::string_view text, std::string_view word) {
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !IsWordChar(text[at - 1]);
    const size_t end = at + word.size();
    const bool ends = end == text.size() || !IsWordChar(text[end]);
    if (starts && ends) return at;
  }
  return std::string_view::npos;
}

// Replaces every occurrence of `secret` in `text` (a BSN a person typed) so a
// message cannot carry it, whatever produced the message.
std::string Scrub(std::string text, std::string_view secret) {
  if (secret.size() < 4) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "<bsn>");
  }
  return text;
}

}  // namespace

Status FlagError(std::string_view flag, const Status& s) {
  return InvalidArgument(fmt::format("{}: {}", flag, s.message()));
}

Date LocalToday() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

DateTime LocalNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return DateTime{Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, tm.tm_hour, tm.tm_min};
}

Result<Date> ParseDateOrToday(std::string_view text) {
  if (text == "today" || text == "vandaag") return LocalToday();
  return ParseDate(text);
}

std::string FlagName(std::string_view field) {
  std::string flag = "--";
  for (char c : field) flag += c == '_' ? '-' : c;
  return flag;
}

Result<int> ParseInt(std::string_view text, int min, int max) {
  int value = 0;
  const char* end = text.data() + text.size();
  const bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (!digits_only || ec != std::errc() || ptr != end) {
    if (digits_only && ec == std::errc::result_out_of_range) {
      return InvalidArgument(fmt::format("{} is out of range {}..{}", text, min, max));
    }
    return InvalidArgument(fmt::format("'{}' is not a whole number", text));
  }
  if (value < min || value > max) {
    return InvalidArgument(fmt::format("{} is out of range {}..{}", value, min, max));
  }
  return value;
}

Result<bool> ParseYesNo(std::string_view text) {
  const std::string v = Lower(text);
  if (v.empty() || v == "no" || v == "nee" || v == "n" || v == "false" || v == "0") return false;
  if (v == "yes" || v == "ja" || v == "y" || v == "j" || v == "true" || v == "1") return true;
  return InvalidArgument(fmt::format("'{}' is not yes or no", text));
}

Result<Learner> LearnerFromFields(const FieldGetter& get, const FieldError& error) {
  const std::string raw_bsn(get("bsn"));
  auto fail = [&](std::string_view field, std::string_view message) -> Status {
    return error(field, Scrub(std::string(message), raw_bsn));
  };
  auto required = [&](std::string_view field) -> Status {
    if (get(field).empty()) return fail(field, "a value is required");
    return Status::Ok();
  };
  for (std::string_view field : kLearnerRequired) PRESENTIE_RETURN_IF_ERROR(required(field));

  Learner l;
  l.id = std::string(get("id"));
  if (Status s = ValidateRecordKey(l.id, "learner id"); !s.ok()) return fail("id", s.message());
  if (auto bsn = NormalizeBsn(raw_bsn); bsn.ok()) {
    l.bsn = *bsn;
  } else {
    return fail("bsn", bsn.status().message());
  }
  l.name = std::string(get("name"));

  auto parse_enum = [&](std::string_view field, auto parse, auto& member) -> Status {
    if (get(field).empty()) return Status::Ok();
    auto parsed = parse(get(field));
    if (!parsed.ok()) return fail(field, parsed.status().message());
    member = *parsed;
    return Status::Ok();
  };
  PRESENTIE_RETURN_IF_ERROR(parse_enum("category", ParseCategory, l.category));
  PRESENTIE_RETURN_IF_ERROR(parse_enum("regime", ParseRegime, l.regime));
  PRESENTIE_RETURN_IF_ERROR(parse_enum("route", ParseRoute, l.route));
  PRESENTIE_RETURN_IF_ERROR(parse_enum("level", ParseLevel, l.level));
  PRESENTIE_RETURN_IF_ERROR(parse_enum("literacy", ParseLiteracy, l.literacy));

  if (!get("estimated_hours").empty()) {
    auto hours = ParseInt(get("estimated_hours"), 0, 9999);
    if (!hours.ok()) return fail("estimated_hours", hours.status().message());
    l.estimated_hours = *hours;
  }
  if (!get("gemeente").empty()) {
    l.gemeente_code = std::string(get("gemeente"));
    if (Status s = ValidateGemeenteCode(l.gemeente_code); !s.ok()) {
      return fail("gemeente", s.message());
    }
  }
  if (!get("lessons_per_week").empty()) {
    auto lessons = ParseInt(get("lessons_per_week"), 0, 40);
    if (!lessons.ok()) return fail("lessons_per_week", lessons.status().message());
    l.lessons_per_week = *lessons;
  }

  if (Status s = Validate(l); !s.ok()) {
    // Core's messages use the struct's member names; gemeente_code is the
    // "gemeente" column.
    static constexpr std::string_view kAll[] = {"id",
                                                "bsn",
                                                "name",
                                                "category",
                                                "regime",
                                                "route",
                                                "level",
                                                "literacy",
                                                "estimated_hours",
                                                "gemeente_code",
                                                "gemeente",
                                                "lessons_per_week"};
    std::string_view field = FieldInMessage(s.message(), kAll);
    if (field == "gemeente_code") field = "gemeente";
    return fail(field, s.message());
  }
  return l;
}

std::string_view FieldInMessage(std::string_view message,
                                std::span<const std::string_view> fields) {
  const std::string text = Lower(message);
  std::string_view best;
  size_t best_at = std::string_view::npos;
  for (std::string_view field : fields) {
    std::string spaced(field);
    std::replace(spaced.begin(), spaced.end(), '_', ' ');
    for (const std::string& form : {std::string(field), spaced}) {
      const size_t at = FindWord(text, form);
      if (at < best_at) {
        best_at = at;
        best = field;
      }
    }
  }
  return best;
}

Result<IdArg> ParseIdArg(std::string_view text, std::string_view flag) {
  IdArg arg;
  const size_t colon = text.find(':');
  arg.id = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) {
    arg.value = std::string(text.substr(colon + 1));
    arg.has_value = true;
  }
  if (Status s = ValidateRecordKey(arg.id, "learner id"); !s.ok()) {
    return InvalidArgument(fmt::format("{} '{}': {}", flag, text, s.message()));
  }
  return arg;
}

}  // namespace presentie::cli
