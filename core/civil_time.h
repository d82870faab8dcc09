// Calendar dates and local wall-clock times as the school writes them.
// Pure: no clock is read here; callers pass "now" in.
#ifndef PRESENTIE_CORE_CIVIL_TIME_H_
#define PRESENTIE_CORE_CIVIL_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace presentie {

struct Date {
  int year = 0;   // 1900..9999
  int month = 0;  // 1..12
  int day = 0;    // 1..31, valid for the month
  auto operator<=>(const Date&) const = default;
};

// A local (Europe/Amsterdam) wall-clock time to the minute. Lessons are
// planned in local time; no time zone conversion is done anywhere.
struct DateTime {
  Date date;
  int hour = 0;    // 0..23
  int minute = 0;  // 0..59
  auto operator<=>(const DateTime&) const = default;
};

// "2026-11-30"; checks the day against the month (leap years included).
Result<Date> ParseDate(std::string_view text);
// "2026-11-30T09:00" or "2026-11-30 09:00".
Result<DateTime> ParseDateTime(std::string_view text);
std::string FormatDate(const Date& d);          // "2026-11-30"
std::string FormatDateTime(const DateTime& t);  // "2026-11-30T09:00"
// Days since 1970-01-01 (proleptic Gregorian); for ordering and ranges.
// `d` must hold a month 1..12 and a day 1..31, as every parsed or validated
// Date does.
int64_t DaysSinceEpoch(const Date& d);
// The date `days` after 1970-01-01: DaysSinceEpoch's inverse.
Date DateFromDaysSinceEpoch(int64_t days);

}  // namespace presentie

#endif  // PRESENTIE_CORE_CIVIL_TIME_H_
