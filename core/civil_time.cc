#include "core/civil_time.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

namespace presentie {
namespace {

// The date as <chrono>'s calendar type, which knows the month lengths and
// leap years. Its month and day hold a byte each and its year 16 bits, so a
// field out of range would wrap: CheckDate checks the ranges first, and
// DaysSinceEpoch is for dates within them (civil_time.h).
std::chrono::year_month_day ToYearMonthDay(const Date& d) {
  return std::chrono::year_month_day{std::chrono::year{d.year},
                                     std::chrono::month{static_cast<unsigned>(d.month)},
                                     std::chrono::day{static_cast<unsigned>(d.day)}};
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
  if (d.day < 1 || d.day > 31 || !ToYearMonthDay(d).ok()) {
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
  return std::chrono::sys_days{ToYearMonthDay(d)}.time_since_epoch().count();
}

Date DateFromDaysSinceEpoch(int64_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

}  // namespace presentie
