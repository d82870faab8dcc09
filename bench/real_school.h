// The data shaped like a real school's that the register and sync
// benchmarks use by default (docs/benchmarks.md, "Data shapes"): 2,000
// learners in 125 groups of 16, random v4 UUIDs as learner, course and
// lesson keys, lessons of 120–240 minutes, 80 % present, 12 % absent with a
// reason, 8 % part of the lesson, records arriving in no particular order.
// Every value is a pure function of its index and a fixed seed, so runs
// are comparable and a record can be made again without being kept.
#ifndef PRESENTIE_BENCH_REAL_SCHOOL_H_
#define PRESENTIE_BENCH_REAL_SCHOOL_H_

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/civil_time.h"
#include "core/domain.h"
#include "core/ids.h"

namespace presentie::bench {

// A valid BSN for learner i: 8 digits from i, the 9th chosen by the elfproef.
inline std::string MakeBsn(int i) {
  std::string d = std::to_string(10000000 + i * 7919 % 89999999).substr(0, 8);
  for (char last = '0'; last <= '9'; ++last) {
    if (IsValidBsn(d + last)) return d + last;
  }
  return MakeBsn(i + 100000);  // this prefix has no valid check digit
}

inline Date CivilFromDays(int64_t days) {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  return {static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())),
          static_cast<int>(static_cast<unsigned>(date.day()))};
}

// SplitMix64: a small, fast generator whose whole state is its seed, so a
// value can be drawn from (seed, index) without keeping a generator.
class SplitMix {
 public:
  using result_type = uint64_t;
  explicit SplitMix(uint64_t seed) : state_(seed) {}
  static constexpr uint64_t min() { return 0; }
  static constexpr uint64_t max() { return std::numeric_limits<uint64_t>::max(); }
  uint64_t operator()() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>((*this)() % static_cast<uint64_t>(n)); }
  bool Chance(double p) { return static_cast<double>((*this)() >> 11) * 0x1.0p-53 < p; }

 private:
  uint64_t state_;
};

// A random (version 4) UUID, lowercase, 36 characters: a valid record key.
inline std::string V4Uuid(SplitMix& rng) {
  const uint64_t hi = (rng() & ~uint64_t{0xf000}) | 0x4000;                  // version 4
  const uint64_t lo = (rng() & ~(uint64_t{3} << 62)) | (uint64_t{2} << 62);  // variant 10
  char s[37];
  std::snprintf(
      s, sizeof s, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
      static_cast<unsigned long long>((hi >> 16) & 0xffff),
      static_cast<unsigned long long>(hi & 0xffff), static_cast<unsigned long long>(lo >> 48),
      static_cast<unsigned long long>(lo & 0xffffffffffffu));
  return s;
}

class RealSchool {
 public:
  static constexpr int kGroups = 125;
  static constexpr int kGroupSize = 16;  // learners per group: attendance per lesson
  static constexpr int kLearners = kGroups * kGroupSize;
  static constexpr int kTeachers = 25;  // teacher devices; group g's on device g % kTeachers

  static std::string LearnerId(int j) { return Uuid(1, static_cast<uint64_t>(j)); }
  static std::string CourseId(int g) { return Uuid(2, static_cast<uint64_t>(g)); }
  static std::string LessonId(int64_t i) { return Uuid(3, static_cast<uint64_t>(i)); }

  static Learner LearnerAt(int j) {
    Learner l;
    l.id = LearnerId(j);
    l.bsn = MakeBsn(j);
    l.name = "Learner " + std::to_string(j);
    l.category = Category::kFamilyMigrant;
    l.regime = Regime::kWi2021;
    l.route = Route::kB1;
    return l;
  }
  static Course CourseAt(int g) {
    Course c;
    c.id = CourseId(g);
    c.name = "NT2 B1 groep " + std::to_string(g);
    c.route = Route::kB1;
    c.start_date = Date{2021, 1, 4};
    c.hours_purchased = 400;
    return c;
  }

  // Lesson i is the (i / kGroups)-th lesson of group i % kGroups, one a
  // school day from Monday 4 January 2021, starting at one of the day's
  // slots, 120 to 240 minutes long (in quarters of an hour).
  static Lesson LessonAt(int64_t i) {
    SplitMix rng(Seed(4, static_cast<uint64_t>(i)));
    const int group = static_cast<int>(i % kGroups);
    const int64_t nth = i / kGroups;
    const int64_t day = DaysSinceEpoch({2021, 1, 4}) + nth / 5 * 7 + nth % 5;
    static constexpr std::array<std::array<int, 2>, 5> kSlots = {
        {{8, 45}, {9, 0}, {12, 30}, {13, 30}, {18, 30}}};
    const auto& slot = kSlots[static_cast<size_t>(rng.Below(5))];
    Lesson l;
    l.id = LessonId(i);
    l.course_id = CourseId(group);
    l.start = {CivilFromDays(day), slot[0], slot[1]};
    l.duration_minutes = 120 + 15 * rng.Below(9);
    l.teacher = "docent" + std::to_string(group % kTeachers);
    return l;
  }
  static int64_t LessonOf(int64_t record) { return record / kGroupSize; }
  static int GroupOf(int64_t record) { return static_cast<int>(LessonOf(record) % kGroups); }

  // Attendance record r: learner r % 16 of lesson r / 16's group. 80 %
  // present (2 % of them remote), 12 % absent with a reason (a mix of the
  // domain's, some notified in advance, some with a note), 8 % present for
  // part of the lesson (any number of minutes, some with a reason).
  static Attendance AttendanceAt(int64_t r) {
    const Lesson lesson = LessonAt(LessonOf(r));
    SplitMix rng(Seed(5, static_cast<uint64_t>(r)));
    static const std::array<std::string, 5> kNotes = {
        "ziek gemeld", "tandarts", "afspraak gemeente", "kind ziek", "bruiloft broer"};
    Attendance a;
    a.lesson_id = lesson.id;
    a.learner_id = LearnerId(GroupOf(r) * kGroupSize + static_cast<int>(r % kGroupSize));
    a.id = AttendanceId(a.lesson_id, a.learner_id);
    const int duration = lesson.duration_minutes;
    const int roll = rng.Below(100);
    if (roll < 80) {
      a.status = AttendanceStatus::kPresent;
      a.minutes_present = duration;
      if (rng.Chance(0.02)) a.mode = Mode::kRemote;
    } else if (roll < 92) {
      a.status = AttendanceStatus::kAbsent;
      a.notified_in_advance = rng.Chance(0.5);
      const int reason = rng.Below(100);
      a.reason = reason < 45   ? AbsenceReason::kIllness
                 : reason < 65 ? AbsenceReason::kOther
                 : reason < 75 ? AbsenceReason::kReligiousHoliday
                 : reason < 83 ? AbsenceReason::kDoubtful
                 : reason < 92 ? AbsenceReason::kFuneral
                               : AbsenceReason::kWedding;
      if (rng.Chance(0.35)) a.note = kNotes[static_cast<size_t>(rng.Below(5))];
    } else {
      a.status = AttendanceStatus::kPartial;
      a.minutes_present = 1 + rng.Below(duration - 1);
      if (rng.Chance(0.5)) a.reason = AbsenceReason::kOther;
      if (rng.Chance(0.3)) a.note = "te laat (bus)";
    }
    return a;
  }

  // The records [from, to) in the order they arrive: shuffled, with a seed
  // fixed by `from`, so every run (and every benchmark) sees one order.
  static std::vector<int64_t> ArrivalOrder(int64_t from, int64_t to) {
    std::vector<int64_t> order(static_cast<size_t>(to - from));
    std::iota(order.begin(), order.end(), from);
    SplitMix rng(Seed(6, static_cast<uint64_t>(from)));
    std::shuffle(order.begin(), order.end(), rng);
    return order;
  }

 private:
  static uint64_t Seed(uint64_t kind, uint64_t index) {
    return 0x5c4001d00d5eedu ^ (kind << 56) ^ (index * 0x9e3779b97f4a7c15u);
  }
  static std::string Uuid(uint64_t kind, uint64_t index) {
    SplitMix rng(Seed(kind, index));
    return V4Uuid(rng);
  }
};

// The shapes a benchmark's --shape names, in the order they run: "both"
// is real-shaped data, then tidy (the data the benchmarks had before).
inline std::vector<std::string> ParseShapes(const std::string& flag) {
  if (flag == "both") return {"real", "tidy"};
  if (flag == "real" || flag == "tidy") return {flag};
  Die("--shape is both, real or tidy");
}

}  // namespace presentie::bench

#endif  // PRESENTIE_BENCH_REAL_SCHOOL_H_
