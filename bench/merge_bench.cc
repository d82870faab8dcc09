// Benchmark of the merge policy (core/merge.h): how many attendance records
// with concurrent siblings one core merges per second, MergeAttendance and
// MergedValue together (the work a replica does for a record in conflict).
//
// Sibling sets of 2, 3 and 4 versions of one attendance record are made
// beforehand (--sets of each, varied: present/absent/partial, on site or
// remote, notice, reasons, notes, decisions by the admin or the gemeente,
// written by teachers, admins and the gemeente at close HLCs), then merged
// one after another, --reps times; medians are printed.
//
// Baselines in the same run, over the same sets: copying each sibling's
// Attendance value (the least a merge that builds a value must do: the id,
// lesson id, learner id and note are strings), and Classify on each sibling.
// The ratio merge/copy is the figure that travels between machines.
//
// Goal: at least 500,000 merges/s of 2–4 siblings on one core.
//
// Usage: merge_bench [--reps N] [--sets N] [--seed N]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/classification.h"
#include "core/domain.h"
#include "core/ids.h"
#include "core/merge.h"
#include "core/version_vector.h"

using presentie::AbsenceReason;
using presentie::Attendance;
using presentie::AttendanceSibling;
using presentie::AttendanceStatus;
using presentie::Classification;
using presentie::ClassificationDecision;
using presentie::Hlc;
using presentie::Mode;
using presentie::Role;
using presentie::VersionStamp;

namespace {

using presentie::bench::Die;
using presentie::bench::Median;
using presentie::bench::Seconds;

constexpr int kLessonMinutes = 180;
constexpr double kGoalMergesPerSecond = 500000;

struct Config {
  int reps = 7;
  int sets = 100000;  // sibling sets of each size
  uint64_t seed = 20261130;
};

// Sixteen replicas: ten teacher devices, four admin devices, two gemeente
// endpoints.
std::string ReplicaId(int i) {
  char buf[17];
  std::snprintf(
      buf, sizeof buf, "%016llx",
      static_cast<unsigned long long>(0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(i + 1)));
  return buf;
}
Role ReplicaRole(int i) {
  return i < 10 ? Role::kTeacher : i < 14 ? Role::kAdmin : Role::kGemeente;
}

// Every set's versions, contiguous; `siblings` points into them.
struct Sets {
  int size = 0;
  std::vector<Attendance> values;
  std::vector<VersionStamp> stamps;
  std::vector<AttendanceSibling> siblings;  // size × sets
};

Attendance RandomValue(std::mt19937_64& rng, const std::string& lesson,
                       const std::string& learner) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  Attendance a;
  a.lesson_id = lesson;
  a.learner_id = learner;
  a.id = presentie::AttendanceId(lesson, learner);
  switch (pick(3)) {
    case 0:
      a.status = AttendanceStatus::kPresent;
      a.minutes_present = kLessonMinutes;
      break;
    case 1:
      a.status = AttendanceStatus::kAbsent;
      a.minutes_present = 0;
      break;
    default:
      a.status = AttendanceStatus::kPartial;
      a.minutes_present = 1 + pick(kLessonMinutes - 1);
      break;
  }
  a.mode = pick(4) == 0 ? Mode::kRemote : Mode::kOnSite;
  if (a.status == AttendanceStatus::kPresent) return a;
  a.notified_in_advance = pick(3) == 0;
  a.reason = static_cast<AbsenceReason>(pick(7));
  if (pick(2) == 0) a.note = "belde om 8:30, koorts sinds gisteravond";
  switch (pick(6)) {
    case 0:
      a.decision = ClassificationDecision{Classification::kExcused, Role::kAdmin};
      break;
    case 1:
      a.decision = ClassificationDecision{Classification::kUnexcused, Role::kGemeente};
      break;
    default:
      break;
  }
  return a;
}

Sets MakeSets(int size, int count, uint64_t seed) {
  std::mt19937_64 rng(seed + static_cast<uint64_t>(size));
  Sets s;
  s.size = size;
  const size_t total = static_cast<size_t>(size) * static_cast<size_t>(count);
  s.values.reserve(total);
  s.stamps.reserve(total);
  const uint64_t morning = 1796029200000;  // 2026-11-30 09:00 UTC
  for (int set = 0; set < count; ++set) {
    const std::string lesson = "NT2-B1-" + std::to_string(set / 20) + "-20261130-0900";
    const std::string learner = "S" + std::to_string(10000 + set % 20);
    std::vector<int> replicas;
    while (static_cast<int>(replicas.size()) < size) {
      const int r = static_cast<int>(rng() % 16);
      if (std::find(replicas.begin(), replicas.end(), r) == replicas.end()) replicas.push_back(r);
    }
    for (int k = 0; k < size; ++k) {
      // A third of the siblings repeat the first one's value: agreement too.
      if (k > 0 && rng() % 3 == 0) {
        s.values.push_back(s.values[s.values.size() - static_cast<size_t>(k)]);
      } else {
        s.values.push_back(RandomValue(rng, lesson, learner));
      }
      VersionStamp st;
      const std::string id = ReplicaId(replicas[static_cast<size_t>(k)]);
      st.vv.Set(ReplicaId(replicas[0]), 3);  // the version they all descend from
      st.vv.Set(id, 4 + static_cast<uint64_t>(k));
      st.hlc = Hlc{morning + rng() % 600000, static_cast<uint32_t>(rng() % 3)};
      st.writer = presentie::Writer{id, ReplicaRole(replicas[static_cast<size_t>(k)]), "user"};
      s.stamps.push_back(std::move(st));
    }
  }
  s.siblings.reserve(total);
  for (size_t i = 0; i < total; ++i) s.siblings.push_back({&s.values[i], &s.stamps[i]});
  return s;
}

// Keeps the optimiser from dropping the work.
volatile uint64_t g_sink = 0;

double TimeMerges(const Sets& s) {
  uint64_t sum = 0;
  const size_t n = s.siblings.size() / static_cast<size_t>(s.size);
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < n; ++i) {
    const std::span<const AttendanceSibling> set(&s.siblings[i * static_cast<size_t>(s.size)],
                                                 static_cast<size_t>(s.size));
    const presentie::MergeOutcome out = presentie::MergeAttendance(set);
    const Attendance shown = presentie::MergedValue(set, out);
    sum += static_cast<uint64_t>(shown.minutes_present) + out.conflict + shown.note.size();
  }
  const auto t1 = std::chrono::steady_clock::now();
  g_sink = g_sink + sum;
  return Seconds(t0, t1);
}

double TimeCopies(const Sets& s) {
  uint64_t sum = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (const AttendanceSibling& sib : s.siblings) {
    const Attendance copy = *sib.value;
    sum += static_cast<uint64_t>(copy.minutes_present) + copy.note.size();
  }
  const auto t1 = std::chrono::steady_clock::now();
  g_sink = g_sink + sum;
  return Seconds(t0, t1);
}

double TimeClassify(const Sets& s, const presentie::Learner& learner) {
  uint64_t sum = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (const AttendanceSibling& sib : s.siblings) {
    sum += static_cast<uint64_t>(presentie::Classify(learner, *sib.value).value);
  }
  const auto t1 = std::chrono::steady_clock::now();
  g_sink = g_sink + sum;
  return Seconds(t0, t1);
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--reps")
      cfg.reps = std::stoi(next());
    else if (a == "--sets")
      cfg.sets = std::stoi(next());
    else if (a == "--seed")
      cfg.seed = std::stoull(next());
    else
      Die("unknown argument " + a + " (use --reps N --sets N --seed N)");
  }
  if (cfg.reps < 1 || cfg.sets < 1) Die("counts too small");

  presentie::Learner learner;
  learner.category = presentie::Category::kAsylumPermitHolder;
  learner.regime = presentie::Regime::kWi2021;

  std::printf("merge_bench: medians of %d repetitions, %d sibling sets of each size, one core\n",
              cfg.reps, cfg.sets);
  std::printf("%-9s %14s %10s %16s %16s %12s\n", "siblings", "merges/s", "ns/merge", "copy ns/set",
              "classify ns/set", "merge/copy");
  bool met = true;
  for (int size : {2, 3, 4}) {
    const Sets sets = MakeSets(size, cfg.sets, cfg.seed);
    TimeMerges(sets);  // warm up: caches, the allocator
    std::vector<double> merge_s, copy_s, classify_s;
    for (int rep = 0; rep < cfg.reps; ++rep) {
      merge_s.push_back(TimeMerges(sets));
      copy_s.push_back(TimeCopies(sets));
      classify_s.push_back(TimeClassify(sets, learner));
    }
    const double m = Median(merge_s), c = Median(copy_s), k = Median(classify_s);
    const double rate = cfg.sets / m;
    met = met && rate >= kGoalMergesPerSecond;
    std::printf("%-9d %14.0f %10.1f %16.1f %16.1f %11.2fx\n", size, rate, m / cfg.sets * 1e9,
                c / cfg.sets * 1e9, k / cfg.sets * 1e9, m / c);
  }
  std::printf("goal: >= %.0f merges/s for every size: %s\n", kGoalMergesPerSecond,
              met ? "met" : "NOT met");
  return 0;
}
