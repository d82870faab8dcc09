// Benchmark of sync (docs/benchmarks.md): a new device pulls a hub's register
// over loopback, against inserting the same records straight into a register.
//
// Two shapes of data (--shape; by default both, one after the other, printed
// side by side at the end):
//
//  real  a school shaped like a real one (bench/real_school.h): 2,000
//        learners in 125 groups of 16, random v4 UUIDs as learner, course and
//        lesson keys, lessons of 120–240 minutes, 80 % present, 12 % absent
//        with a mix of reasons, 8 % present for part of the lesson; 16
//        attendance versions per lesson, written by 25 teacher devices in no
//        particular order (each stage's records shuffled with a fixed seed)
//        and stamped at that moment by the device's own clock, which runs
//        some seconds off and advances by irregular steps.
//  tidy  the data this bench had before: 125 courses of 20 learners with
//        short ids in key order ("S10000", "NT2-B1-000-20210104-0900"),
//        20 attendance versions per lesson in roster order, 88 % present,
//        written by ten teacher devices lesson by lesson, a millisecond or so
//        apart.
//
// In both, the hub holds the school's courses, learners, enrolments, lessons
// and attendance, received through Store::ApplyRemote in batches of 5,000,
// as pushes bring them. It grows in stages: 10,000, 100,000, then N
// attendance versions (--versions). At each stage:
//
//  1. Full sync. A server process (sync::Server, plain HTTP on 127.0.0.1)
//     serves the hub; a client process opens a new, empty register (made by
//     the parent, whose replica id the server's token names) and runs
//     sync::SyncWith once. Printed: versions/s (every version pulled ÷
//     the wall time of SyncWith), wire bytes per version (response bodies as
//     received, zstd-compressed; HTTP headers not counted), the client's and
//     the server's peak RSS (VmHWM of each process), and how much of the wall
//     time the server spent in its pull handlers (from its request log).
//  2. The second sync, right after the full one (it moves nothing; it once
//     walked every version just pulled to find none to push, and is printed
//     to keep it from doing so again), and then --reps no-op syncs (median
//     printed), each timed around SyncWith in the client process.
//  3. The whole command: --reps runs of `presentie --db DEVICE sync` as a
//     process, start to exit, against the same server, each right after a
//     run of `presentie --version` (the baseline: the same program starting
//     and exiting, nothing else); medians of both printed. What a no-op
//     sync costs beyond the call, and beyond process start, is their
//     difference.
//
// Baselines in the same run, on the same file system with the same
// durability settings (WAL, synchronous=FULL): the same N attendance
// records, in the order the hub received them, written straight into an
// empty register holding the same learners and lessons with
// Store::RecordAttendance, 5,000 per call (one transaction, like one pull
// page), and as plain INSERTs into one typed table of raw SQLite, 5,000 per
// transaction. The ratios sync/import and sync/raw are the figures that
// travel between machines.
//
// Each process measures its own memory: the server and the client are this
// program executed anew (--serve, --client) by a parent that builds the
// registers; they report through a pipe.
//
// Usage: sync_bench [--shape both|real|tidy] [--versions N] [--reps N] [--dir D]
//                   [--presentie PATH]
//   --shape     which data (default both: real, then tidy)
//   --versions  attendance versions at the last stage (default 1,000,000)
//   --reps      no-op syncs per stage (default 7)
//   --dir       where the registers go (default a new folder under $TMPDIR,
//               removed at the end)
//   --presentie the program whose whole command is timed (default the
//               build's own)
// (--serve and --client are the child processes' own modes.)
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_util.h"
#include "bench/child_process.h"
#include "bench/raw_sqlite.h"
#include "bench/real_school.h"
#include "core/civil_time.h"
#include "core/hlc.h"
#include "core/ids.h"
#include "storage/store.h"
#include "sync/engine.h"
#include "sync/server.h"
#include "sync/transport.h"

namespace fs = std::filesystem;
using presentie::AbsenceReason;
using presentie::Attendance;
using presentie::AttendanceStatus;
using presentie::Course;
using presentie::Enrollment;
using presentie::HybridClock;
using presentie::Learner;
using presentie::Lesson;
using presentie::Role;
using presentie::VersionStamp;
using presentie::Writer;
using presentie::storage::Actor;
using presentie::storage::Store;
using presentie::storage::VersionedRecord;

namespace {
using presentie::bench::Child;
using presentie::bench::Lines;
using presentie::bench::RawDb;
using presentie::bench::ReadFile;
using presentie::bench::ReadLines;
using presentie::bench::RealSchool;
using presentie::bench::RunProgram;
using presentie::bench::Spawn;
using presentie::bench::SplitMix;
using presentie::bench::Wait;

using presentie::bench::CivilFromDays;
using presentie::bench::Die;
using presentie::bench::MakeBsn;
using presentie::bench::Median;
using presentie::bench::PeakRssKib;
using presentie::bench::Seconds;

using Clock = std::chrono::steady_clock;

// Versions per push batch, pull page (the engine's default), import call and
// raw transaction.
constexpr size_t kBatch = 5'000;
constexpr char kAdminReplica[] = "ad0000000000a001";
constexpr char kSchool[] = "Bench school";
constexpr char kBrin[] = "25AB";
constexpr uint64_t kDayMs = 86'400'000;

struct Config {
  std::vector<std::string> shapes = presentie::bench::ParseShapes("both");
  int64_t versions = 1'000'000;  // attendance versions at the last stage
  int reps = 7;                  // no-op syncs per stage
  fs::path dir;
  bool own_dir = false;                // made here, removed at the end
  fs::path presentie = PRESENTIE_BIN;  // the command-line program
};

void Check(const presentie::Status& s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.ToString());
}

template <typename T>
T Take(presentie::Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

void RemoveDb(const fs::path& p) {
  fs::remove(p);
  fs::remove(p.string() + "-wal");
  fs::remove(p.string() + "-shm");
}

// --- The shapes of data ----------------------------------------------------------

std::string TeacherReplica(int t) {
  char id[17];
  std::snprintf(id, sizeof id, "7e%014x", static_cast<unsigned>(t + 1));
  return id;
}

// A school's data as its devices write it: each device counts its own writes
// in its version vector and stamps them with its own clock. Deterministic.
class Shape {
 public:
  explicit Shape(int teachers) : teacher_counter_(teachers), teacher_clock_(teachers) {}
  virtual ~Shape() = default;

  virtual const char* Name() const = 0;  // "real", "tidy"
  virtual int PerLesson() const = 0;     // attendance versions per lesson
  int Teachers() const { return static_cast<int>(teacher_clock_.size()); }
  // Lessons holding `versions` attendance versions.
  int64_t LessonsFor(int64_t versions) const { return (versions + PerLesson() - 1) / PerLesson(); }

  // The admin's courses, learners and enrolments.
  virtual std::vector<VersionedRecord> Roster() = 0;
  // Lesson i, planned by the admin a week ahead.
  virtual VersionedRecord LessonVersion(int64_t i) = 0;
  // The attendance versions [from, to) in the order they reach the hub, each
  // handed to `take` with the teacher device that wrote it.
  using Take = std::function<void(int teacher, VersionedRecord version)>;
  virtual void WriteAttendance(int64_t from, int64_t to, const Take& take) = 0;
  // The facts of the same records, in the same order (the baselines').
  virtual void Records(int64_t from, int64_t to,
                       const std::function<void(Attendance)>& take) const = 0;

 protected:
  VersionStamp AdminStamp(uint64_t physical_ms) {
    VersionStamp s;
    s.vv.Set(kAdminReplica, ++admin_counter_);
    s.hlc = admin_clock_.Now(physical_ms);
    s.writer = Writer{kAdminReplica, Role::kAdmin, "admin1"};
    return s;
  }
  VersionStamp TeacherStamp(int t, uint64_t physical_ms) {
    const size_t i = static_cast<size_t>(t);
    const std::string replica = TeacherReplica(t);
    VersionStamp s;
    s.vv.Set(replica, ++teacher_counter_[i]);
    s.hlc = teacher_clock_[i].Now(physical_ms);
    s.writer = Writer{replica, Role::kTeacher, "docent" + std::to_string(t)};
    return s;
  }
  // The admin's versions of `courses`, `learners` and each learner's
  // enrolment in course `course_of(learner)`, stamped on 1 December 2020.
  std::vector<VersionedRecord> RosterOf(const std::vector<Course>& courses,
                                        const std::vector<Learner>& learners,
                                        const std::function<int(int)>& course_of) {
    std::vector<VersionedRecord> out;
    const uint64_t t = presentie::DaysSinceEpoch({2020, 12, 1}) * kDayMs;
    for (const Course& c : courses) out.push_back({AdminStamp(t), c});
    for (const Learner& l : learners) out.push_back({AdminStamp(t), l});
    for (size_t i = 0; i < learners.size(); ++i) {
      Enrollment e;
      e.course_id = courses[static_cast<size_t>(course_of(static_cast<int>(i)))].id;
      e.learner_id = learners[i].id;
      e.id = presentie::EnrollmentId(e.course_id, e.learner_id);
      out.push_back({AdminStamp(t), e});
    }
    return out;
  }

 private:
  uint64_t admin_counter_ = 0;
  HybridClock admin_clock_;
  std::vector<uint64_t> teacher_counter_;
  std::vector<HybridClock> teacher_clock_;
};

// Milliseconds since the epoch of a lesson's start, as if local time were
// UTC (only the order matters).
uint64_t StartMs(const Lesson& l) {
  return static_cast<uint64_t>(presentie::DaysSinceEpoch(l.start.date)) * kDayMs +
         static_cast<uint64_t>(l.start.hour * 60 + l.start.minute) * 60'000;
}

// The real-shaped school of bench/real_school.h. Each stage's records are
// written in a shuffled order, each by its group's teacher device, at a
// moment that follows the last: 0 to 4 s later, by no round number of
// milliseconds, on a device clock 0–90 s off.
class RealShape final : public Shape {
 public:
  RealShape() : Shape(RealSchool::kTeachers) {}
  const char* Name() const override { return "real"; }
  int PerLesson() const override { return RealSchool::kGroupSize; }

  std::vector<VersionedRecord> Roster() override {
    std::vector<Course> courses;
    for (int g = 0; g < RealSchool::kGroups; ++g) courses.push_back(RealSchool::CourseAt(g));
    std::vector<Learner> learners;
    for (int j = 0; j < RealSchool::kLearners; ++j) learners.push_back(RealSchool::LearnerAt(j));
    return RosterOf(courses, learners, [](int j) { return j / RealSchool::kGroupSize; });
  }
  VersionedRecord LessonVersion(int64_t i) override {
    const Lesson l = RealSchool::LessonAt(i);
    return {AdminStamp(StartMs(l) - 7 * kDayMs), l};
  }
  void WriteAttendance(int64_t from, int64_t to, const Take& take) override {
    // From the evening after the stage's last lesson.
    uint64_t now = StartMs(RealSchool::LessonAt(LessonsFor(to) - 1)) + 10 * 3'600'000;
    SplitMix step(0xa7713e5u ^ static_cast<uint64_t>(from));
    for (int64_t r : RealSchool::ArrivalOrder(from, to)) {
      now += step() % 4'000;
      const int t = RealSchool::GroupOf(r) % RealSchool::kTeachers;
      const uint64_t skew = static_cast<uint64_t>(t) * 3'607 % 90'000;
      take(t, {TeacherStamp(t, now + skew), RealSchool::AttendanceAt(r)});
    }
  }
  void Records(int64_t from, int64_t to,
               const std::function<void(Attendance)>& take) const override {
    for (int64_t r : RealSchool::ArrivalOrder(from, to)) take(RealSchool::AttendanceAt(r));
  }
};

// The data this bench had before real-shaped data came in, unchanged.
class TidyShape final : public Shape {
 public:
  static constexpr int kCourses = 125;
  static constexpr int kLearnersPerCourse = 20;
  static constexpr int kLearners = kCourses * kLearnersPerCourse;
  static constexpr int kTeachers = 10;  // course c is recorded on device c % kTeachers

  TidyShape() : Shape(kTeachers) {}
  const char* Name() const override { return "tidy"; }
  int PerLesson() const override { return kLearnersPerCourse; }

  std::vector<VersionedRecord> Roster() override {
    std::vector<Course> courses;
    for (int c = 0; c < kCourses; ++c) {
      Course course;
      course.id = CourseId(c);
      course.name = "NT2 B1 groep " + std::to_string(c);
      course.route = presentie::Route::kB1;
      course.start_date = presentie::Date{2021, 1, 4};
      course.hours_purchased = 400;
      courses.push_back(course);
    }
    std::vector<Learner> learners;
    for (int i = 0; i < kLearners; ++i) {
      Learner l;
      l.id = LearnerId(i);
      l.bsn = MakeBsn(i);
      l.name = "Learner " + std::to_string(i);
      l.category = presentie::Category::kFamilyMigrant;
      l.regime = presentie::Regime::kWi2021;
      l.route = presentie::Route::kB1;
      learners.push_back(l);
    }
    return RosterOf(courses, learners, [](int i) { return i / kLearnersPerCourse; });
  }
  VersionedRecord LessonVersion(int64_t i) override {
    const PlannedLesson p = PlanLesson(i);
    return {AdminStamp(p.start_ms - 7 * kDayMs), p.lesson};
  }
  // Lesson by lesson, on the course's teacher device during the lesson,
  // tapped in roster order, zero to two milliseconds apart.
  void WriteAttendance(int64_t from, int64_t to, const Take& take) override {
    for (int64_t i = LessonsFor(from); i < LessonsFor(to); ++i) {
      const PlannedLesson p = PlanLesson(i);
      const int t = p.course % kTeachers;
      std::minstd_rand jitter(static_cast<uint32_t>(p.start_ms / 60'000));
      uint64_t physical = p.start_ms + 10 * 60'000 + jitter() % 60'000;
      for (Attendance& a : AttendanceOf(p, i, AttendanceCount(i, to))) {
        physical += jitter() % 3;
        take(t, {TeacherStamp(t, physical), std::move(a)});
      }
    }
  }
  void Records(int64_t from, int64_t to,
               const std::function<void(Attendance)>& take) const override {
    for (int64_t i = LessonsFor(from); i < LessonsFor(to); ++i) {
      for (Attendance& a : AttendanceOf(PlanLesson(i), i, AttendanceCount(i, to)))
        take(std::move(a));
    }
  }

 private:
  static std::string LearnerId(int i) { return "S" + std::to_string(10000 + i); }
  static std::string CourseId(int c) {
    char id[16];
    std::snprintf(id, sizeof id, "NT2-B1-%03d", c);
    return id;
  }

  // Lesson i is the (i / kCourses)-th lesson of course i % kCourses: one a
  // school day from Monday 4 January 2021, in the course's slot of the day.
  struct PlannedLesson {
    Lesson lesson;
    int course = 0;
    uint64_t start_ms = 0;
  };
  static PlannedLesson PlanLesson(int64_t i) {
    const int course = static_cast<int>(i % kCourses);
    const int64_t nth = i / kCourses;
    const int64_t day = presentie::DaysSinceEpoch({2021, 1, 4}) + nth / 5 * 7 + nth % 5;
    struct Slot {
      int hour, minute, minutes;
    };
    static constexpr std::array<Slot, 3> kSlots = {{{9, 0, 180}, {13, 30, 120}, {19, 0, 150}}};
    const Slot& slot = kSlots[static_cast<size_t>(course % 3)];
    PlannedLesson p;
    p.course = course;
    p.lesson.course_id = CourseId(course);
    p.lesson.start = {CivilFromDays(day), slot.hour, slot.minute};
    p.lesson.id =
        presentie::DefaultLessonId(p.lesson.course_id, presentie::FormatDateTime(p.lesson.start));
    p.lesson.duration_minutes = slot.minutes;
    p.lesson.teacher = "docent" + std::to_string(course % kTeachers);
    p.start_ms = StartMs(p.lesson);
    return p;
  }

  // The attendance of lesson i: the course's 20 learners (or the first
  // `count`), mostly present, some absences with reasons, notice and notes,
  // some partial presences. A pure function of i.
  static std::vector<Attendance> AttendanceOf(const PlannedLesson& p, int64_t i, int count) {
    std::mt19937_64 rng(0x5eed0000u + static_cast<uint64_t>(i));
    auto chance = [&rng](double x) { return std::uniform_real_distribution<>(0, 1)(rng) < x; };
    auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
    static const std::array<std::string, 4> kNotes = {"ziek gemeld", "tandarts",
                                                      "afspraak gemeente", "kind ziek"};
    const int duration = p.lesson.duration_minutes;
    std::vector<Attendance> rows;
    rows.reserve(static_cast<size_t>(count));
    for (int k = 0; k < count; ++k) {
      Attendance a;
      a.lesson_id = p.lesson.id;
      a.learner_id = LearnerId(p.course * kLearnersPerCourse + k);
      a.id = presentie::AttendanceId(a.lesson_id, a.learner_id);
      if (chance(0.88)) {
        a.status = AttendanceStatus::kPresent;
        a.minutes_present = duration;
        if (chance(0.02)) a.mode = presentie::Mode::kRemote;
      } else if (chance(0.6)) {
        a.status = AttendanceStatus::kAbsent;
        a.notified_in_advance = chance(0.6);
        const int r = pick(10);
        a.reason = r < 5   ? AbsenceReason::kIllness
                   : r < 7 ? AbsenceReason::kOther
                   : r < 9 ? AbsenceReason::kNone
                           : AbsenceReason::kFuneral;
        if (chance(0.3)) a.note = kNotes[static_cast<size_t>(pick(4))];
      } else {
        a.status = AttendanceStatus::kPartial;
        a.minutes_present = duration - 15 * (1 + pick(4));
        a.reason = chance(0.5) ? AbsenceReason::kOther : AbsenceReason::kNone;
        if (chance(0.3)) a.note = "te laat (bus)";
      }
      rows.push_back(std::move(a));
    }
    return rows;
  }
  static int AttendanceCount(int64_t lesson, int64_t versions) {
    return static_cast<int>(
        std::min<int64_t>(kLearnersPerCourse, versions - lesson * kLearnersPerCourse));
  }
};

// Applies `versions` from `source` in batches of kBatch; returns the seconds.
double ApplyAll(Store& store, const std::string& source,
                const std::vector<VersionedRecord>& versions) {
  double seconds = 0;
  for (size_t at = 0; at < versions.size(); at += kBatch) {
    const size_t n = std::min(kBatch, versions.size() - at);
    const auto t0 = Clock::now();
    auto applied = store.ApplyRemote(source, std::span(versions).subspan(at, n), {});
    seconds += Seconds(t0, Clock::now());
    if (!applied.ok()) Die("apply: " + applied.status().ToString());
    if (applied->accepted != n) Die("apply: not every version was accepted");
  }
  return seconds;
}

// Seconds spent in ApplyRemote while growing the hub, and what it applied.
struct GrowTiming {
  double lesson_s = 0;
  double attendance_s = 0;
  int64_t attendance = 0;
};

// Grows the hub from `from` to `to` attendance versions: the lessons first
// (the admin's pushes), then their attendance (each teacher device pushing
// batches of kBatch).
GrowTiming Grow(Store& hub, Shape& shape, int64_t from, int64_t to) {
  GrowTiming timing;
  std::vector<VersionedRecord> lessons;
  for (int64_t i = shape.LessonsFor(from); i < shape.LessonsFor(to); ++i)
    lessons.push_back(shape.LessonVersion(i));
  timing.lesson_s = ApplyAll(hub, kAdminReplica, lessons);
  lessons.clear();

  std::vector<std::vector<VersionedRecord>> pending(static_cast<size_t>(shape.Teachers()));
  auto flush = [&](int t) {
    auto& batch = pending[static_cast<size_t>(t)];
    if (batch.empty()) return;
    timing.attendance_s += ApplyAll(hub, TeacherReplica(t), batch);
    timing.attendance += static_cast<int64_t>(batch.size());
    batch.clear();
  };
  shape.WriteAttendance(from, to, [&](int t, VersionedRecord v) {
    auto& batch = pending[static_cast<size_t>(t)];
    batch.push_back(std::move(v));
    if (batch.size() >= kBatch) flush(t);
  });
  for (int t = 0; t < shape.Teachers(); ++t) flush(t);
  return timing;
}

// --- The server and client processes -------------------------------------------

// Lines "key value" on stdout, read by the parent.
void Emit(const char* key, double value) {
  std::printf("%s %.6f\n", key, value);
  std::fflush(stdout);
}

// sync_bench --serve REGISTER TOKEN_SHA256 REPLICA: serves the register to
// one device until SIGTERM; prints "port P", then, when stopped, its peak RSS.
int RunServer(const std::string& register_path, const std::string& token_sha256,
              const std::string& replica) {
  // Blocked before any thread exists, so every server thread inherits it and
  // sigwait below is the only one to take the signal.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  if (sigprocmask(SIG_BLOCK, &stop, nullptr) != 0) Die("sigprocmask");
  presentie::sync::ServerConfig config;
  config.port = 0;
  config.register_path = register_path;
  config.school_name = kSchool;
  config.brin = kBrin;
  config.tokens.push_back({"bench-device", token_sha256, replica, Role::kTeacher, ""});
  auto server = Take(presentie::sync::Server::Create(std::move(config)), "server");
  Check(server->Start(), "server start");
  std::printf("port %d\n", server->port());
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  server->Stop();
  Emit("server_peak_kib", static_cast<double>(PeakRssKib()));
  return 0;
}

// The environment variable that hands the client its token (not the
// command line, which every user of the machine can read).
constexpr char kTokenVariable[] = "SYNC_BENCH_TOKEN";

// sync_bench --client REGISTER URL REPS: a full sync, a second one, then
// REPS no-op syncs, each timed around SyncWith.
int RunClient(const std::string& register_path, const std::string& url, int reps) {
  const char* token = std::getenv(kTokenVariable);
  if (token == nullptr) Die(std::string(kTokenVariable) + " is not set");
  auto store = Take(Store::Open(register_path), "client open");
  presentie::sync::TransportOptions options;
  options.base_url = url;
  options.token = token;
  auto transport = Take(presentie::sync::Transport::Create(std::move(options)), "transport");
  const presentie::sync::SyncOptions sync_options;
  auto sync = [&]() {
    const auto t0 = Clock::now();
    auto report = Take(presentie::sync::SyncWith(*store, *transport, sync_options), "sync");
    return std::make_pair(report, Seconds(t0, Clock::now()));
  };
  const auto [full, full_s] = sync();
  Emit("full_s", full_s);
  Emit("pulled", static_cast<double>(full.pulled));
  Emit("accepted", static_cast<double>(full.accepted));
  Emit("pull_pages", static_cast<double>(full.pull_pages));
  Emit("bytes_received", static_cast<double>(full.bytes_received));
  Emit("bytes_sent", static_cast<double>(full.bytes_sent));
  Emit("client_peak_kib", static_cast<double>(PeakRssKib()));
  const auto [second, second_s] = sync();
  Emit("second_s", second_s);
  Emit("second_pulled", static_cast<double>(second.pulled));
  Emit("second_pushed", static_cast<double>(second.pushed));
  for (int r = 0; r < reps; ++r) {
    const auto [noop, noop_s] = sync();
    if (noop.pulled != 0 || noop.pushed != 0) Die("a no-op sync moved versions");
    Emit("noop_s", noop_s);
  }
  Emit("client_final_peak_kib", static_cast<double>(PeakRssKib()));
  return 0;
}

// The server's time in its first `pages` pull handlers (the full sync's),
// in seconds, from its request log ("... /v1/pull 200 ... ms=N").
double ServerPullSeconds(const fs::path& log, int64_t pages) {
  std::ifstream in(log);
  std::string line;
  int64_t seen = 0;
  double ms = 0;
  while (seen < pages && std::getline(in, line)) {
    if (line.find(" /v1/pull 200 ") == std::string::npos) continue;
    const size_t at = line.find(" ms=");
    if (at == std::string::npos) continue;
    ms += std::strtod(line.c_str() + at + 4, nullptr);
    ++seen;
  }
  return ms / 1000;
}

// --- The parent ------------------------------------------------------------------

struct StageResult {
  int64_t attendance = 0;
  int64_t log_versions = 0;  // every version in the hub's log
  double build_apply_s = 0;  // ApplyRemote time to grow the hub to this stage
  double full_s = 0;
  double pulled = 0;
  double pull_pages = 0;
  double bytes_received = 0;
  double bytes_sent = 0;
  double client_peak_mib = 0;
  double client_final_peak_mib = 0;
  double server_peak_mib = 0;
  double server_pull_s = 0;
  double second_ms = 0;
  double second_pushed = 0;
  double second_pulled = 0;
  uintmax_t hub_bytes = 0;     // the hub's file, checkpointed
  uintmax_t device_bytes = 0;  // the device's file after the syncs
  double noop_median_ms = 0;
  double noop_min_ms = 0;
  double noop_max_ms = 0;
  double command_noop_ms = 0;   // `presentie sync`, a no-op, start to exit (median)
  double command_start_ms = 0;  // `presentie --version`, start to exit (median)
};

// Step 3 of a stage: the whole `presentie sync` command, a no-op, and the
// same program's start alone, `reps` of each, interleaved so that the
// machine's noise falls on both alike.
void TimeCommand(const Config& cfg, const fs::path& device_path, const std::string& url,
                 const std::string& token, StageResult* r) {
  const fs::path token_file = cfg.dir / "device.token";
  {
    std::ofstream out(token_file);
    out << token << "\n";
  }
  fs::permissions(token_file, fs::perms::owner_read | fs::perms::owner_write);
  const fs::path out = cfg.dir / "command.out";
  const std::string db = device_path.string();
  auto run = [&](const std::vector<std::string>& args) {
    const auto ran = RunProgram(cfg.presentie, args, out);
    if (ran.rc != 0)
      Die("presentie " + args.back() + " failed (exit " + std::to_string(ran.rc) + "):\n" +
          ReadFile(out));
    return ran.seconds * 1e3;
  };
  run({"--db", db, "remote", "add", "bench", url, "--token-file", token_file.string()});
  std::vector<double> sync_ms, start_ms;
  for (int i = 0; i < cfg.reps; ++i) {
    start_ms.push_back(run({"--version"}));
    sync_ms.push_back(run({"--db", db, "sync"}));
    if (ReadFile(out).find("pushed 0, pulled 0") == std::string::npos)
      Die("a no-op presentie sync moved versions:\n" + ReadFile(out));
  }
  fs::remove(token_file);
  fs::remove(out);
  r->command_noop_ms = Median(sync_ms);
  r->command_start_ms = Median(start_ms);
}

StageResult RunStage(const Config& cfg, const fs::path& hub_path, int64_t attendance,
                     int64_t log_versions) {
  StageResult r;
  r.attendance = attendance;
  r.log_versions = log_versions;
  const fs::path device_path = cfg.dir / "device.db";
  RemoveDb(device_path);
  std::string replica;
  {
    auto device = Take(Store::Create(device_path.string(), {kSchool, kBrin, Role::kTeacher}),
                       "create device");
    replica = device->info().replica_id;
  }
  const std::string token = presentie::sync::NewDeviceToken();
  const fs::path log = cfg.dir / ("server-" + std::to_string(attendance) + ".log");
  Child server =
      Spawn({"--serve", hub_path.string(), presentie::sync::HashToken(token), replica}, log);
  Lines server_lines;
  std::string port;
  ReadLines(server, &server_lines, &port, "port");
  if (port.empty()) {
    Wait(server);
    Die("the server did not start:\n" + ReadFile(log));
  }
  setenv(kTokenVariable, token.c_str(), 1);
  Child client = Spawn(
      {"--client", device_path.string(), "http://127.0.0.1:" + port, std::to_string(cfg.reps)}, "");
  unsetenv(kTokenVariable);
  Lines c;
  ReadLines(client, &c, nullptr);
  const int client_rc = Wait(client);
  if (client_rc == 0) TimeCommand(cfg, device_path, "http://127.0.0.1:" + port, token, &r);
  kill(server.pid, SIGTERM);
  ReadLines(server, &server_lines, nullptr);
  const int server_rc = Wait(server);
  if (client_rc != 0) Die("the client failed (exit " + std::to_string(client_rc) + ")");
  if (server_rc != 0)
    Die("the server failed (exit " + std::to_string(server_rc) + "):\n" + ReadFile(log));
  auto one = [&c](const char* key) {
    if (c[key].empty()) Die(std::string("the client did not report ") + key);
    return c[key].front();
  };
  r.full_s = one("full_s");
  r.pulled = one("pulled");
  r.pull_pages = one("pull_pages");
  r.bytes_received = one("bytes_received");
  r.bytes_sent = one("bytes_sent");
  r.client_peak_mib = one("client_peak_kib") / 1024;
  r.client_final_peak_mib = one("client_final_peak_kib") / 1024;
  r.second_ms = one("second_s") * 1e3;
  r.second_pushed = one("second_pushed");
  r.second_pulled = one("second_pulled");
  r.hub_bytes = fs::file_size(hub_path);
  r.device_bytes = fs::file_size(device_path);
  if (fs::exists(device_path.string() + "-wal"))
    r.device_bytes += fs::file_size(device_path.string() + "-wal");
  std::vector<double> noop;
  for (double s : c["noop_s"]) noop.push_back(s * 1e3);
  r.noop_median_ms = Median(noop);
  r.noop_min_ms = noop.empty() ? 0 : *std::min_element(noop.begin(), noop.end());
  r.noop_max_ms = noop.empty() ? 0 : *std::max_element(noop.begin(), noop.end());
  if (server_lines["server_peak_kib"].empty()) Die("the server did not report its peak RSS");
  r.server_peak_mib = server_lines["server_peak_kib"].front() / 1024;
  r.server_pull_s = ServerPullSeconds(log, static_cast<int64_t>(r.pull_pages));
  RemoveDb(device_path);
  return r;
}

void PrintStage(const StageResult& r) {
  std::printf("hub of %lld attendance versions (%lld in its change log)\n",
              static_cast<long long>(r.attendance), static_cast<long long>(r.log_versions));
  std::printf(
      "  full sync of a new device: %.0f versions in %.2f s = %.0f versions/s, %lld pages\n",
      r.pulled, r.full_s, r.pulled / r.full_s, static_cast<long long>(r.pull_pages));
  std::printf(
      "  wire: %.0f bytes received = %.2f bytes/version, %.2f bytes/attendance version "
      "(all bytes counted against attendance); %.0f bytes sent\n",
      r.bytes_received, r.bytes_received / r.pulled,
      r.bytes_received / static_cast<double>(r.attendance), r.bytes_sent);
  std::printf("  peak RSS: client %.1f MiB (after the no-op syncs %.1f MiB), server %.1f MiB\n",
              r.client_peak_mib, r.client_final_peak_mib, r.server_peak_mib);
  std::printf(
      "  server time in pull handlers: %.2f s of %.2f s (%.0f %%); the rest is the "
      "client (decode, apply) and the wire\n",
      r.server_pull_s, r.full_s, 100 * r.server_pull_s / r.full_s);
  std::printf("  second sync (right after the full one): %.1f ms, pushed %.0f, pulled %.0f\n",
              r.second_ms, r.second_pushed, r.second_pulled);
  std::printf("  on disk: hub %.1f MiB, device %.1f MiB (%.0f bytes/version)\n",
              static_cast<double>(r.hub_bytes) / (1 << 20),
              static_cast<double>(r.device_bytes) / (1 << 20),
              static_cast<double>(r.device_bytes) / r.pulled);
  std::printf("  no-op sync: median %.2f ms (min %.2f, max %.2f)\n", r.noop_median_ms,
              r.noop_min_ms, r.noop_max_ms);
  std::printf(
      "  no-op `presentie sync`, the whole command: median %.1f ms; the program's start "
      "alone (`presentie --version`) %.1f ms, %.2fx\n",
      r.command_noop_ms, r.command_start_ms, r.command_noop_ms / r.command_start_ms);
  std::fflush(stdout);
}

const char* Met(bool ok) { return ok ? "met" : "NOT met"; }

// One shape's run: its stages and its baselines.
struct ShapeRun {
  std::string name;
  std::vector<StageResult> stages;
  double build_s = 0;      // building the hub, every stage
  double hub_apply_s = 0;  // of it, ApplyRemote of the attendance pushes
  double import_s = 0;     // Store::RecordAttendance, the same records
  double raw_s = 0;        // raw SQLite INSERTs, the same records
  double total_s = 0;      // the whole run of this shape
};

// Writes the records [0, versions) of `shape` in the hub's order, kBatch to
// a call of `write`, and returns the seconds spent in it.
double WriteInBatches(const Shape& shape, const std::vector<int64_t>& stages,
                      const std::function<void(const std::vector<Attendance>&)>& write) {
  double seconds = 0;
  std::vector<Attendance> chunk;
  auto flush = [&]() {
    const auto t0 = Clock::now();
    write(chunk);
    seconds += Seconds(t0, Clock::now());
    chunk.clear();
  };
  int64_t from = 0;
  for (int64_t to : stages) {
    shape.Records(from, to, [&](Attendance a) {
      chunk.push_back(std::move(a));
      if (chunk.size() >= kBatch) flush();
    });
    from = to;
  }
  if (!chunk.empty()) flush();
  return seconds;
}

ShapeRun RunShape(const Config& cfg, Shape& shape, const std::vector<int64_t>& stages) {
  ShapeRun run;
  run.name = shape.Name();
  const auto start = Clock::now();
  std::printf("== %s-shaped data\n", shape.Name());
  // 1 and 2: the hub, stage by stage.
  const fs::path hub_path = cfg.dir / "hub.db";
  RemoveDb(hub_path);
  int64_t have = 0;
  for (int64_t stage : stages) {
    const auto t0 = Clock::now();
    GrowTiming grown;
    int64_t log_versions = 0;
    {
      std::unique_ptr<Store> hub;
      if (have == 0) {
        hub = Take(Store::Create(hub_path.string(), {kSchool, kBrin, Role::kHub}), "create hub");
        grown.lesson_s += ApplyAll(*hub, kAdminReplica, shape.Roster());
      } else {
        hub = Take(Store::Open(hub_path.string()), "open hub");
      }
      std::fprintf(stderr, "%s: growing the hub to %lld attendance versions...\n", shape.Name(),
                   static_cast<long long>(stage));
      const GrowTiming g = Grow(*hub, shape, have, stage);
      grown.lesson_s += g.lesson_s;
      grown.attendance_s += g.attendance_s;
      grown.attendance = g.attendance;
      log_versions = Take(hub->LastChangeSeq(), "last seq");
    }
    const double stage_build_s = Seconds(t0, Clock::now());
    run.build_s += stage_build_s;
    std::fprintf(stderr,
                 "  %.1f s; ApplyRemote on the hub: %lld attendance versions in %.1f s = %.0f/s; "
                 "syncing...\n",
                 stage_build_s, static_cast<long long>(grown.attendance), grown.attendance_s,
                 static_cast<double>(grown.attendance) / grown.attendance_s);
    have = stage;
    StageResult r = RunStage(cfg, hub_path, stage, log_versions);
    r.build_apply_s = grown.attendance_s;
    run.hub_apply_s += grown.attendance_s;
    PrintStage(r);
    run.stages.push_back(r);
  }
  for (const fs::path& p : fs::directory_iterator(cfg.dir)) {
    if (p.extension() == ".log") fs::remove(p);
  }
  RemoveDb(hub_path);

  // The baselines: the same attendance records, in the same order, into an
  // empty register holding the same learners and lessons, and into raw
  // SQLite.
  std::fprintf(stderr, "%s: baselines, writing the same %lld records...\n", shape.Name(),
               static_cast<long long>(cfg.versions));
  const fs::path import_path = cfg.dir / "import.db";
  RemoveDb(import_path);
  {
    auto store = Take(Store::Create(import_path.string(), {kSchool, kBrin, Role::kAdmin}),
                      "create import register");
    ApplyAll(*store, kAdminReplica, shape.Roster());
    std::vector<VersionedRecord> lesson_versions;
    for (int64_t i = 0; i < shape.LessonsFor(cfg.versions); ++i)
      lesson_versions.push_back(shape.LessonVersion(i));
    ApplyAll(*store, kAdminReplica, lesson_versions);
    lesson_versions.clear();
    lesson_versions.shrink_to_fit();
    const Actor teacher{Role::kTeacher, "docent0"};
    run.import_s = WriteInBatches(shape, stages, [&](const std::vector<Attendance>& chunk) {
      Check(store->RecordAttendance(teacher, chunk, "attend.import"), "import");
    });
  }
  RemoveDb(import_path);
  const fs::path raw_path = cfg.dir / "raw.db";
  RemoveDb(raw_path);
  {
    RawDb raw(raw_path);
    run.raw_s = WriteInBatches(shape, stages,
                               [&](const std::vector<Attendance>& chunk) { raw.Insert(chunk); });
  }
  RemoveDb(raw_path);
  run.total_s = Seconds(start, Clock::now());

  const double n = static_cast<double>(cfg.versions);
  const StageResult& last = run.stages.back();
  const double sync_rate = last.pulled / last.full_s;
  std::printf(
      "baselines, the same %lld attendance records in the hub's order, %zu per "
      "transaction\n",
      static_cast<long long>(cfg.versions), kBatch);
  std::printf("  Store::RecordAttendance into an empty register: %.2f s = %.0f records/s\n",
              run.import_s, n / run.import_s);
  std::printf("  raw SQLite INSERTs into one table:              %.2f s = %.0f records/s\n",
              run.raw_s, n / run.raw_s);
  std::printf("  the hub's ApplyRemote of the devices' pushes:   %.2f s = %.0f records/s\n",
              run.hub_apply_s, n / run.hub_apply_s);
  std::printf("  rate ratio sync/import: %.2f   sync/raw: %.2f\n", sync_rate / (n / run.import_s),
              sync_rate / (n / run.raw_s));
  std::printf("  %s-shaped data took %.0f s, %.0f s of it building the hub\n\n", shape.Name(),
              run.total_s, run.build_s);
  std::fflush(stdout);
  return run;
}

// The stage of `run` with `attendance` versions; nullptr if none.
const StageResult* StageOf(const ShapeRun& run, int64_t attendance) {
  for (const StageResult& r : run.stages)
    if (r.attendance == attendance) return &r;
  return nullptr;
}

// printf into a string (of at most 159 characters).
template <typename... Args>
std::string Format(const char* f, Args... args) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

// The summary: one row a goal, one column a shape; "met" judged on the first
// shape (real-shaped data, unless --shape says otherwise).
void PrintSummary(const Config& cfg, const std::vector<ShapeRun>& runs, double total_s) {
  const double n = static_cast<double>(cfg.versions);
  std::printf("summary (hub of %lld attendance versions; the whole bench took %.0f s)\n",
              static_cast<long long>(cfg.versions), total_s);
  std::printf("| goal |");
  for (const ShapeRun& run : runs) std::printf(" %s-shaped data |", run.name.c_str());
  std::printf(" met (%s) |\n|---|", runs.front().name.c_str());
  for (size_t i = 0; i <= runs.size(); ++i) std::printf("---|");
  std::printf("\n");
  // A row: the goal, each shape's figure, whether the first shape meets it.
  auto row = [&](const std::string& goal, const std::function<std::string(const ShapeRun&)>& fig,
                 const std::function<bool(const ShapeRun&)>& met) {
    std::printf("| %s |", goal.c_str());
    for (const ShapeRun& run : runs) std::printf(" %s |", fig(run).c_str());
    std::printf(" %s |\n", met ? Met(met(runs.front())) : "");
  };
  auto rate = [](const StageResult& r) { return r.pulled / r.full_s; };
  const std::string at = std::to_string(cfg.versions);
  for (int64_t s : {int64_t{100'000}, cfg.versions}) {
    if (StageOf(runs.front(), s) == nullptr) continue;
    const bool last = s == cfg.versions;
    row(
        Format("%s full sync of %lld, versions/s", last ? ">= 100,000" : "(not a goal)",
               static_cast<long long>(s)),
        [&](const ShapeRun& run) {
          const StageResult& r = *StageOf(run, s);
          return Format("%.0f (%.2f s; %.2fx import, %.2fx raw)", rate(r), r.full_s,
                        rate(r) / (n / run.import_s), rate(r) / (n / run.raw_s));
        },
        last ? std::function<bool(const ShapeRun&)>(
                   [&](const ShapeRun& run) { return rate(*StageOf(run, s)) >= 100'000; })
             : nullptr);
    if (last) break;
  }
  if (StageOf(runs.front(), 100'000) != nullptr && cfg.versions > 100'000) {
    auto growth = [&](const ShapeRun& run) {
      return StageOf(run, cfg.versions)->full_s / StageOf(run, 100'000)->full_s;
    };
    row(
        Format("full sync's time, 100k -> %s, <= 11x", at.c_str()),
        [&](const ShapeRun& run) { return Format("%.1fx", growth(run)); },
        [&](const ShapeRun& run) { return growth(run) <= 11; });
  }
  row(
      ">= 100,000 versions/s, the hub applying the pushes",
      [&](const ShapeRun& run) { return Format("%.0f", n / run.hub_apply_s); },
      [&](const ShapeRun& run) { return n / run.hub_apply_s >= 100'000; });
  auto bytes = [&](const ShapeRun& run) { return run.stages.back().bytes_received / n; };
  // "10000: x, 100000: y, ...": `figure` of each stage.
  auto by_stage = [&](const ShapeRun& run,
                      const std::function<std::string(const StageResult&)>& figure) {
    std::string out;
    for (const StageResult& r : run.stages) {
      out += Format("%s%lld: ", out.empty() ? "" : ", ", static_cast<long long>(r.attendance)) +
             figure(r);
    }
    return out;
  };
  row(
      Format("<= 10 wire bytes per attendance version at %s", at.c_str()),
      [&](const ShapeRun& run) {
        return by_stage(run, [](const StageResult& r) {
          return Format("%.2f", r.bytes_received / static_cast<double>(r.attendance));
        });
      },
      [&](const ShapeRun& run) { return bytes(run) <= 10; });
  row(
      "client peak RSS <= 64 MiB",
      [&](const ShapeRun& run) {
        return Format("%.1f MiB (server %.1f MiB)", run.stages.back().client_peak_mib,
                      run.stages.back().server_peak_mib);
      },
      [&](const ShapeRun& run) { return run.stages.back().client_peak_mib <= 64; });
  // Flat: at the largest hub within twice the smallest hub's median plus 2 ms.
  row(
      Format("no-op sync <= 20 ms at %s, not growing with the register", at.c_str()),
      [&](const ShapeRun& run) {
        return by_stage(run,
                        [](const StageResult& r) { return Format("%.2f ms", r.noop_median_ms); });
      },
      [&](const ShapeRun& run) {
        const StageResult &first = run.stages.front(), &last = run.stages.back();
        return last.noop_median_ms <= 20 && last.noop_median_ms <= 2 * first.noop_median_ms + 2;
      });
  row(
      Format("no-op `presentie sync` command <= 20 ms at %s, start to exit", at.c_str()),
      [&](const ShapeRun& run) {
        const StageResult& r = run.stages.back();
        return Format("%.1f ms (process start alone %.1f ms)", r.command_noop_ms,
                      r.command_start_ms);
      },
      [&](const ShapeRun& run) { return run.stages.back().command_noop_ms <= 20; });
  row(
      "(not a goal) second sync, right after the full one",
      [&](const ShapeRun& run) {
        return Format("%.1f ms at %lld", run.stages.back().second_ms,
                      static_cast<long long>(run.stages.back().attendance));
      },
      nullptr);
  row(
      "(not a goal) this shape's part of the run",
      [&](const ShapeRun& run) {
        return Format("%.0f s (%.0f s building the hub)", run.total_s, run.build_s);
      },
      nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::strcmp(argv[1], "--serve") == 0)
    return RunServer(argv[2], argv[3], argv[4]);
  if (argc == 5 && std::strcmp(argv[1], "--client") == 0)
    return RunClient(argv[2], argv[3], std::atoi(argv[4]));

  Config cfg;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--shape") {
      cfg.shapes = presentie::bench::ParseShapes(next());
    } else if (a == "--versions") {
      cfg.versions = std::stoll(next());
    } else if (a == "--reps") {
      cfg.reps = std::stoi(next());
    } else if (a == "--dir") {
      cfg.dir = next();
    } else if (a == "--presentie") {
      cfg.presentie = next();
    } else {
      Die("unknown argument " + a +
          " (use --shape both|real|tidy --versions N --reps N --dir D "
          "--presentie PATH)");
    }
  }
  if (cfg.versions < TidyShape::kLearnersPerCourse || cfg.reps < 1) Die("counts too small");
  if (!fs::exists(cfg.presentie))
    Die(cfg.presentie.string() + " does not exist: build the program, or name it with --presentie");
  if (cfg.dir.empty()) {
    cfg.dir = fs::temp_directory_path() / ("presentie-sync-bench-" + std::to_string(::getpid()));
    cfg.own_dir = true;
  }
  fs::create_directories(cfg.dir);
  const auto bench_start = Clock::now();

  std::vector<int64_t> stages;
  for (int64_t s : {int64_t{10'000}, int64_t{100'000}}) {
    if (s < cfg.versions) stages.push_back(s);
  }
  stages.push_back(cfg.versions);

  std::vector<ShapeRun> runs;
  for (const std::string& name : cfg.shapes) {
    std::unique_ptr<Shape> shape;
    if (name == "real")
      shape = std::make_unique<RealShape>();
    else
      shape = std::make_unique<TidyShape>();
    runs.push_back(RunShape(cfg, *shape, stages));
  }
  if (cfg.own_dir) fs::remove_all(cfg.dir);
  PrintSummary(cfg, runs, Seconds(bench_start, Clock::now()));
  return 0;
}
