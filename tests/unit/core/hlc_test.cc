// Hybrid logical clock (Kulkarni et al., 2014).
#include "core/hlc.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <limits>
#include <vector>

namespace presentie {
namespace hlc_test {

constexpr uint64_t kT = 1795972550123;  // 2026-11-29T17:15:50.123Z

TEST(HlcTest, PackIsOrderedLikeTheStruct) {
  const Hlc a{kT, 3};
  EXPECT_EQ(Hlc::Unpack(a.Pack()), a);
  EXPECT_LT((Hlc{kT, 0xffff}).Pack(), (Hlc{kT + 1, 0}).Pack());
  EXPECT_LT((Hlc{kT, 1}).Pack(), (Hlc{kT, 2}).Pack());
  EXPECT_EQ((Hlc{1, 2}).Pack(), (uint64_t{1} << 16) | 2);
}

TEST(HlcTest, ToString) {
  EXPECT_EQ((Hlc{kT, 3}).ToString(), "2026-11-29T17:15:50.123Z+3");
  EXPECT_EQ((Hlc{0, 0}).ToString(), "1970-01-01T00:00:00.000Z+0");
  EXPECT_EQ((Hlc{951782400000, 0}).ToString(), "2000-02-29T00:00:00.000Z+0");
  // 2100 is no leap year; the last stamp Pack() can hold is in the year 10889.
  EXPECT_EQ((Hlc{4107542399999, 7}).ToString(), "2100-02-28T23:59:59.999Z+7");
  EXPECT_EQ((Hlc{4107542400000, 7}).ToString(), "2100-03-01T00:00:00.000Z+7");
  EXPECT_EQ((Hlc{(uint64_t{1} << 48) - 1, 0xffff}).ToString(), "10889-08-02T05:31:50.655Z+65535");
}

TEST(HybridClockTest, NowFollowsThePhysicalClock) {
  HybridClock c;
  EXPECT_EQ(c.Now(kT), (Hlc{kT, 0}));
  EXPECT_EQ(c.Now(kT + 5), (Hlc{kT + 5, 0}));
  EXPECT_EQ(c.last(), (Hlc{kT + 5, 0}));
}

TEST(HybridClockTest, NowTicksWhenThePhysicalClockStallsOrGoesBack) {
  HybridClock c;
  c.Now(kT);
  EXPECT_EQ(c.Now(kT), (Hlc{kT, 1}));
  EXPECT_EQ(c.Now(kT - 1000), (Hlc{kT, 2})) << "a clock set back never moves the HLC back";
  EXPECT_EQ(c.Now(kT + 1), (Hlc{kT + 1, 0}));
}

// The physical reading is the system clock's, data from outside: one past
// what a stamp holds is clamped in every build (an assert made a debug
// build abort on it).
TEST(HybridClockTest, NowClampsAPhysicalReadingPastWhatAStampHolds) {
  constexpr uint64_t kMaxWall = (uint64_t{1} << 48) - 1;
  HybridClock c;
  EXPECT_EQ(c.Now(std::numeric_limits<uint64_t>::max()), (Hlc{kMaxWall, 0}));
  EXPECT_EQ(c.Now(kMaxWall + 1), (Hlc{kMaxWall, 1}));
  EXPECT_EQ(Hlc::Unpack(c.last().Pack()), c.last());
}

TEST(HybridClockTest, LogicalCounterOverflowBorrowsTheNextMillisecond) {
  HybridClock c(Hlc{kT, 0xffff});
  const Hlc next = c.Now(kT);
  EXPECT_EQ(next, (Hlc{kT + 1, 0}));
  EXPECT_EQ(Hlc::Unpack(next.Pack()), next);
}

TEST(HybridClockTest, ObserveARemoteStampAheadWithinTheSkew) {
  HybridClock c;
  c.Now(kT);
  const auto obs = c.Observe(Hlc{kT + 200, 7}, kT + 10, /*max_skew_ms=*/1000);
  EXPECT_TRUE(obs.adopted);
  EXPECT_EQ(obs.skew_ms, 190);
  EXPECT_EQ(obs.now, (Hlc{kT + 200, 8}));
  EXPECT_GT(obs.now, (Hlc{kT + 200, 7}));
  // The next local event is still later, although the physical clock is behind.
  EXPECT_EQ(c.Now(kT + 11), (Hlc{kT + 200, 9}));
}

TEST(HybridClockTest, ObserveEqualWallTakesTheLargerCounter) {
  HybridClock c(Hlc{kT, 4});
  EXPECT_EQ(c.Observe(Hlc{kT, 9}, kT, 1000).now, (Hlc{kT, 10}));
  HybridClock d(Hlc{kT, 12});
  EXPECT_EQ(d.Observe(Hlc{kT, 9}, kT, 1000).now, (Hlc{kT, 13}));
}

TEST(HybridClockTest, ObserveAnOlderStampKeepsLocalTime) {
  HybridClock c;
  c.Now(kT);
  const auto obs = c.Observe(Hlc{kT - 5000, 3}, kT + 1, 1000);
  EXPECT_TRUE(obs.adopted);
  EXPECT_EQ(obs.skew_ms, 0);
  EXPECT_EQ(obs.now, (Hlc{kT + 1, 0}));
}

// hlc.h: "A remote stamp more than max_skew_ms ahead of the physical clock is
// not adopted (a device with a wrong date must not drag every clock forward)."
TEST(HybridClockTest, ObserveAStampTooFarAheadIsNotAdopted) {
  HybridClock c;
  c.Now(kT);
  const uint64_t year_ms = 365ull * 24 * 3600 * 1000;
  const auto obs = c.Observe(Hlc{kT + year_ms, 0}, kT + 1, /*max_skew_ms=*/60000);
  EXPECT_FALSE(obs.adopted);
  EXPECT_EQ(obs.skew_ms, static_cast<int64_t>(year_ms - 1));
  EXPECT_EQ(obs.now, (Hlc{kT + 1, 0}));
  EXPECT_EQ(c.last().wall_ms, kT + 1);

  // Exactly at the limit is still adopted.
  HybridClock d;
  EXPECT_TRUE(d.Observe(Hlc{kT + 60000, 0}, kT, 60000).adopted);
  EXPECT_FALSE(d.Observe(Hlc{kT + 60002, 0}, kT + 1, 60000).adopted);
  EXPECT_EQ(d.last(), (Hlc{kT + 60000, 2}));
}

// Every stamp a clock gives is later than every stamp it gave or adopted
// before, whatever the physical clock and the remote stamps do.
RC_GTEST_PROP(HybridClockProperty, MonotonicAndAfterAdoptedStamps, ()) {
  HybridClock c;
  Hlc previous{};
  uint64_t physical = kT;
  const auto steps = *rc::gen::inRange(1, 200);
  for (int i = 0; i < steps; ++i) {
    // The physical clock mostly advances, sometimes stalls or jumps back.
    physical = static_cast<uint64_t>(static_cast<int64_t>(physical) +
                                     *rc::gen::inRange<int64_t>(-50, 100));
    Hlc stamp;
    if (*rc::gen::arbitrary<bool>()) {
      stamp = c.Now(physical);
    } else {
      const Hlc remote{static_cast<uint64_t>(static_cast<int64_t>(physical) +
                                             *rc::gen::inRange<int64_t>(-500, 500)),
                       *rc::gen::inRange<uint32_t>(0, 0x10000)};
      const auto obs = c.Observe(remote, physical, 200);
      stamp = obs.now;
      if (obs.adopted) RC_ASSERT(stamp > remote);
      RC_ASSERT(obs.adopted == (remote.wall_ms <= physical + 200));
    }
    RC_ASSERT(stamp > previous);
    // The HLC is never behind the physical clock (l >= pt in the paper).
    RC_ASSERT(stamp.wall_ms >= physical);
    RC_ASSERT(Hlc::Unpack(stamp.Pack()) == stamp);
    RC_ASSERT(c.last() == stamp);
    previous = stamp;
  }
}

}  // namespace hlc_test
}  // namespace presentie
