#include "core/civil_time.h"

#include <gtest/gtest.h>

namespace presentie {
namespace civil_time_test {

TEST(CivilTimeTest, ParsesAndFormatsDates) {
  auto d = ParseDate("2026-11-30");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(*d, (Date{2026, 11, 30}));
  EXPECT_EQ(FormatDate(*d), "2026-11-30");
  EXPECT_EQ(FormatDate(Date{1900, 1, 2}), "1900-01-02");
}

TEST(CivilTimeTest, LeapYears) {
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
  EXPECT_TRUE(ParseDate("2000-02-29").ok());   // divisible by 400
  EXPECT_FALSE(ParseDate("1900-02-29").ok());  // divisible by 100, not 400
  EXPECT_FALSE(ParseDate("2026-02-29").ok());
  EXPECT_FALSE(ParseDate("2024-02-30").ok());
  EXPECT_FALSE(ParseDate("2100-02-29").ok());
  EXPECT_EQ(ParseDate("2026-02-29").status().message(),
            "invalid date: day 29 does not exist in 2026-02");
  EXPECT_EQ(ParseDate("1900-02-29").status().message(),
            "invalid date: day 29 does not exist in 1900-02");
  EXPECT_EQ(DaysSinceEpoch(Date{2100, 3, 1}) - DaysSinceEpoch(Date{2100, 2, 28}), 1);
}

TEST(CivilTimeTest, RefusesImpossibleAndMalformedDates) {
  for (const char* bad :
       {"2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-5", "26-11-30",
        "2026/11/30", "2026-11-30T", "1899-12-31", "", "2026-11-3x", "+026-11-30"}) {
    auto r = ParseDate(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    }
  }
  EXPECT_EQ(ParseDate("2026-04-31").status().message(),
            "invalid date: day 31 does not exist in 2026-04");
}

TEST(CivilTimeTest, DateTimes) {
  auto t = ParseDateTime("2026-11-30T09:05");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->date, (Date{2026, 11, 30}));
  EXPECT_EQ(t->hour, 9);
  EXPECT_EQ(t->minute, 5);
  EXPECT_EQ(FormatDateTime(*t), "2026-11-30T09:05");
  auto space = ParseDateTime("2026-11-30 09:05");
  ASSERT_TRUE(space.ok());
  EXPECT_EQ(*space, *t);
  EXPECT_TRUE(ParseDateTime("2026-11-30T23:59").ok());
  for (const char* bad : {"2026-11-30T24:00", "2026-11-30T09:60", "2026-11-30T9:05",
                          "2026-11-30T09:05:00", "2026-11-31T09:00", "2026-11-30"}) {
    EXPECT_FALSE(ParseDateTime(bad).ok()) << bad;
  }
  EXPECT_LT(*ParseDateTime("2026-11-30T09:00"), *ParseDateTime("2026-11-30T09:01"));
  EXPECT_LT(*ParseDateTime("2026-11-30T23:59"), *ParseDateTime("2026-12-01T00:00"));
}

TEST(CivilTimeTest, DaysSinceEpochKnownValues) {
  EXPECT_EQ(DaysSinceEpoch(Date{1970, 1, 1}), 0);
  EXPECT_EQ(DaysSinceEpoch(Date{1969, 12, 31}), -1);
  EXPECT_EQ(DaysSinceEpoch(Date{2000, 3, 1}), 11017);
  EXPECT_EQ(DaysSinceEpoch(Date{2026, 11, 30}), 20787);
  EXPECT_EQ(DaysSinceEpoch(Date{1900, 1, 1}), -25567);
  EXPECT_EQ(DaysSinceEpoch(Date{9999, 12, 31}), 2932896);
}

// Every valid date from 1900 to 2100 is exactly one day after the previous
// valid one: the calendar check and the day count agree everywhere.
TEST(CivilTimeTest, DaysSinceEpochIsContiguousOverTheValidCalendar) {
  int64_t previous = DaysSinceEpoch(Date{1899, 12, 31});
  int valid = 0;
  for (int y = 1900; y <= 2100; ++y) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= 31; ++d) {
        const Date date{y, m, d};
        if (!ParseDate(FormatDate(date)).ok()) continue;
        const int64_t days = DaysSinceEpoch(date);
        ASSERT_EQ(days, previous + 1) << FormatDate(date);
        previous = days;
        ++valid;
      }
    }
  }
  // 201 years, 49 leap years among them (1900 and 2100 are not).
  EXPECT_EQ(valid, 201 * 365 + 49);
}

}  // namespace civil_time_test
}  // namespace presentie
