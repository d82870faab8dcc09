#include "core/civil_time.h"

#include <cstdio>
#include <string>
#include <string_view>

namespace presentie {
namespace {

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && IsLeapYear(y)) return 29;
  return kDays[m - 1];
}

// Reads exactly `n` ASCII digits at `pos`; false if any is not a digit.
// Strict on purpose: "2026-1-5" is refused rather than guessed at, so that a
// date always has one spelling on disk and in ids.
bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

Status CheckDate(const Date& d) {
  if (d.year < 1900 || d.year > 9999) return InvalidArgument("year must be 1900..9999");
  if (d.month < 1 || d.month > 12) return InvalidArgument("month must be 01..12");
  if (d.day < 1 || d.day > DaysInMonth(d.year, d.month)) {
    return InvalidArgument("day " + std::to_string(d.day) + " does not exist in " +
                           std::to_string(d.year) + "-" + (d.month < 10 ? "0" : "") +
                           std::to_string(d.month));
  }
  return Status::Ok();
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  Date d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ReadDigits(text, 0, 4, &d.year) ||
      !ReadDigits(text, 5, 2, &d.month) || !ReadDigits(text, 8, 2, &d.day)) {
    return InvalidArgument("date must be written YYYY-MM-DD");
  }
  PRESENTIE_RETURN_IF_ERROR(CheckDate(d).WithContext("invalid date"));
  return d;
}

Result<DateTime> ParseDateTime(std::string_view text) {
  if (text.size() != 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') {
    return InvalidArgument("date and time must be written YYYY-MM-DDTHH:MM");
  }
  PRESENTIE_ASSIGN_OR_RETURN(Date date, ParseDate(text.substr(0, 10)));
  DateTime t;
  t.date = date;
  if (!ReadDigits(text, 11, 2, &t.hour) || !ReadDigits(text, 14, 2, &t.minute)) {
    return InvalidArgument("date and time must be written YYYY-MM-DDTHH:MM");
  }
  if (t.hour > 23) return InvalidArgument("hour must be 00..23");
  if (t.minute > 59) return InvalidArgument("minute must be 00..59");
  return t;
}

std::string FormatDate(const Date& d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string FormatDateTime(const DateTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d", t.hour, t.minute);
  return FormatDate(t.date) + buf;
}

int64_t DaysSinceEpoch(const Date& d) {
  // Howard Hinnant's days_from_civil
  // (https://howardhinnant.github.io/date_algorithms.html#days_from_civil):
  // shifts the year to start in March so that the leap day is the last day
  // of the year, then counts whole 400-year eras (146097 days each).
  const int64_t y = static_cast<int64_t>(d.year) - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                          // [0, 399]
  const int64_t mp = (d.month + 9) % 12;                      // March = 0
  const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;         // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

}  // namespace presentie
