// Benchmark of sync (docs/benchmarks.md): a new device pulls a hub's register
// over loopback, against inserting the same records straight into a register.
//
// The hub holds a school of 125 courses of 20 learners, their enrolments,
// lessons and attendance: 20 attendance versions per lesson, written by ten
// teacher devices and one admin device and received by the hub through
// Store::ApplyRemote in batches of 5,000, as pushes bring them. It grows in
// stages: 10,000, 100,000, then N attendance versions (--versions). At each
// stage:
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
//
// Baselines in the same run, on the same file system with the same
// durability settings (WAL, synchronous=FULL): the same N attendance
// records written straight into an empty register holding the same
// learners and lessons with Store::RecordAttendance, 5,000 per call (one
// transaction, like one pull page), and as plain INSERTs into one typed table
// of raw SQLite, 5,000 per transaction. The ratios sync/import and sync/raw
// are the figures that travel between machines.
//
// Each process measures its own memory: the server and the client are this
// program executed anew (--serve, --client) by a parent that builds the
// registers; they report through a pipe.
//
// Usage: sync_bench [--versions N] [--reps N] [--dir D]
//   --versions  attendance versions at the last stage (default 1,000,000)
//   --reps      no-op syncs per stage (default 7)
//   --dir       where the registers go (default a new folder under $TMPDIR,
//               removed at the end)
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
using presentie::bench::Spawn;
using presentie::bench::Wait;

using presentie::bench::Die;
using presentie::bench::Median;
using presentie::bench::PeakRssKib;
using presentie::bench::Seconds;

using Clock = std::chrono::steady_clock;

constexpr int kCourses = 125;
constexpr int kLearnersPerCourse = 20;
constexpr int kLearners = kCourses * kLearnersPerCourse;
constexpr int kTeachers = 10;  // teacher devices; course c is recorded on device c % kTeachers
// Versions per push batch, pull page (the engine's default), import call and
// raw transaction.
constexpr size_t kBatch = 5'000;
constexpr char kAdminReplica[] = "ad0000000000a001";
constexpr char kSchool[] = "Bench school";
constexpr char kBrin[] = "25AB";

struct Config {
  int64_t versions = 1'000'000;  // attendance versions at the last stage
  int reps = 7;                  // no-op syncs per stage
  fs::path dir;
  bool own_dir = false;  // made here, removed at the end
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

// --- The school ------------------------------------------------------------------

// A valid BSN for learner i: 8 digits from i, the 9th chosen by the elfproef.
std::string MakeBsn(int i) {
  std::string d = std::to_string(10000000 + i * 7919 % 89999999).substr(0, 8);
  for (char last = '0'; last <= '9'; ++last) {
    if (presentie::IsValidBsn(d + last)) return d + last;
  }
  return MakeBsn(i + 100000);  // this prefix has no valid check digit
}

std::string LearnerId(int i) { return "S" + std::to_string(10000 + i); }
std::string CourseId(int c) {
  char id[16];
  std::snprintf(id, sizeof id, "NT2-B1-%03d", c);
  return id;
}
std::string TeacherReplica(int t) {
  char id[17];
  std::snprintf(id, sizeof id, "7e%014x", static_cast<unsigned>(t + 1));
  return id;
}

presentie::Date CivilFromDays(int64_t days) {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  return {static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())),
          static_cast<int>(static_cast<unsigned>(date.day()))};
}

// Lesson i is the (i / kCourses)-th lesson of course i % kCourses: one a
// school day from Monday 4 January 2021, in the course's slot of the day.
struct PlannedLesson {
  Lesson lesson;
  int course = 0;
  uint64_t start_ms = 0;  // as if local time were UTC; only the order matters
};

PlannedLesson PlanLesson(int64_t i) {
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
  p.start_ms = static_cast<uint64_t>(day) * 86'400'000 +
               static_cast<uint64_t>(slot.hour * 60 + slot.minute) * 60'000;
  return p;
}

// The attendance of lesson i: the course's 20 learners (or the first
// `count`), mostly present, some absences with reasons, notice and notes,
// some partial presences. A pure function of i.
std::vector<Attendance> AttendanceOf(const PlannedLesson& p, int64_t i, int count) {
  std::mt19937_64 rng(0x5eed0000u + static_cast<uint64_t>(i));
  auto chance = [&rng](double x) { return std::uniform_real_distribution<>(0, 1)(rng) < x; };
  auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  static const std::array<std::string, 4> kNotes = {"ziek gemeld", "tandarts", "afspraak gemeente",
                                                    "kind ziek"};
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

// Lessons holding `versions` attendance versions, 20 to a lesson.
int64_t LessonsFor(int64_t versions) {
  return (versions + kLearnersPerCourse - 1) / kLearnersPerCourse;
}
int AttendanceCount(int64_t lesson, int64_t versions) {
  return static_cast<int>(
      std::min<int64_t>(kLearnersPerCourse, versions - lesson * kLearnersPerCourse));
}

// The versions as the devices wrote them: each device counts its own writes
// in its version vector and stamps them with its own clock. Deterministic.
class Devices {
 public:
  std::vector<VersionedRecord> Roster() {
    std::vector<VersionedRecord> out;
    const uint64_t t = presentie::DaysSinceEpoch({2020, 12, 1}) * uint64_t{86'400'000};
    for (int c = 0; c < kCourses; ++c) {
      Course course;
      course.id = CourseId(c);
      course.name = "NT2 B1 groep " + std::to_string(c);
      course.route = presentie::Route::kB1;
      course.start_date = presentie::Date{2021, 1, 4};
      course.hours_purchased = 400;
      out.push_back({AdminStamp(t), course});
    }
    for (int i = 0; i < kLearners; ++i) {
      Learner l;
      l.id = LearnerId(i);
      l.bsn = MakeBsn(i);
      l.name = "Learner " + std::to_string(i);
      l.category = presentie::Category::kFamilyMigrant;
      l.regime = presentie::Regime::kWi2021;
      l.route = presentie::Route::kB1;
      out.push_back({AdminStamp(t), l});
    }
    for (int i = 0; i < kLearners; ++i) {
      Enrollment e;
      e.course_id = CourseId(i / kLearnersPerCourse);
      e.learner_id = LearnerId(i);
      e.id = presentie::EnrollmentId(e.course_id, e.learner_id);
      out.push_back({AdminStamp(t), e});
    }
    return out;
  }

  // Planned by the admin a week ahead.
  VersionedRecord LessonVersion(const PlannedLesson& p) {
    return {AdminStamp(p.start_ms - 7 * uint64_t{86'400'000}), p.lesson};
  }

  // Recorded on the course's teacher device during the lesson, a
  // millisecond or so apart.
  std::vector<VersionedRecord> AttendanceVersions(const PlannedLesson& p,
                                                  std::vector<Attendance> rows) {
    const int t = p.course % kTeachers;
    const std::string replica = TeacherReplica(t);
    // Tapped in roster order, zero to two milliseconds apart.
    std::minstd_rand jitter(static_cast<uint32_t>(p.start_ms / 60'000));
    uint64_t physical = p.start_ms + 10 * 60'000 + jitter() % 60'000;
    std::vector<VersionedRecord> out;
    out.reserve(rows.size());
    for (Attendance& a : rows) {
      VersionStamp s;
      s.vv.Set(replica, ++teacher_counter_[static_cast<size_t>(t)]);
      physical += jitter() % 3;
      s.hlc = teacher_clock_[static_cast<size_t>(t)].Now(physical);
      s.writer = Writer{replica, Role::kTeacher, "docent" + std::to_string(t)};
      out.push_back({std::move(s), std::move(a)});
    }
    return out;
  }

 private:
  VersionStamp AdminStamp(uint64_t physical_ms) {
    VersionStamp s;
    s.vv.Set(kAdminReplica, ++admin_counter_);
    s.hlc = admin_clock_.Now(physical_ms);
    s.writer = Writer{kAdminReplica, Role::kAdmin, "admin1"};
    return s;
  }

  uint64_t admin_counter_ = 0;
  HybridClock admin_clock_;
  std::array<uint64_t, kTeachers> teacher_counter_{};
  std::vector<HybridClock> teacher_clock_ = std::vector<HybridClock>(kTeachers);
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
GrowTiming Grow(Store& hub, Devices& devices, int64_t from, int64_t to) {
  GrowTiming timing;
  const int64_t first = LessonsFor(from), last = LessonsFor(to);
  std::vector<VersionedRecord> lessons;
  for (int64_t i = first; i < last; ++i) lessons.push_back(devices.LessonVersion(PlanLesson(i)));
  timing.lesson_s = ApplyAll(hub, kAdminReplica, lessons);
  lessons.clear();

  std::array<std::vector<VersionedRecord>, kTeachers> pending;
  auto flush = [&](int t) {
    auto& batch = pending[static_cast<size_t>(t)];
    if (batch.empty()) return;
    timing.attendance_s += ApplyAll(hub, TeacherReplica(t), batch);
    timing.attendance += static_cast<int64_t>(batch.size());
    batch.clear();
  };
  for (int64_t i = first; i < last; ++i) {
    const PlannedLesson p = PlanLesson(i);
    const int t = p.course % kTeachers;
    auto versions = devices.AttendanceVersions(p, AttendanceOf(p, i, AttendanceCount(i, to)));
    auto& batch = pending[static_cast<size_t>(t)];
    batch.insert(batch.end(), std::make_move_iterator(versions.begin()),
                 std::make_move_iterator(versions.end()));
    if (batch.size() >= kBatch) flush(t);
  }
  for (int t = 0; t < kTeachers; ++t) flush(t);
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
};

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
  std::fflush(stdout);
}

const char* Met(bool ok) { return ok ? "met" : "NOT met"; }

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
    if (a == "--versions")
      cfg.versions = std::stoll(next());
    else if (a == "--reps")
      cfg.reps = std::stoi(next());
    else if (a == "--dir")
      cfg.dir = next();
    else
      Die("unknown argument " + a + " (use --versions N --reps N --dir D)");
  }
  if (cfg.versions < kLearnersPerCourse || cfg.reps < 1) Die("counts too small");
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

  // 1 and 2: the hub, stage by stage.
  const fs::path hub_path = cfg.dir / "hub.db";
  RemoveDb(hub_path);
  Devices devices;
  std::vector<StageResult> results;
  int64_t have = 0;
  double build_s = 0;
  for (int64_t stage : stages) {
    const auto t0 = Clock::now();
    GrowTiming grown;
    int64_t log_versions = 0;
    {
      std::unique_ptr<Store> hub;
      if (have == 0) {
        hub = Take(Store::Create(hub_path.string(), {kSchool, kBrin, Role::kHub}), "create hub");
        const auto roster = devices.Roster();
        grown.lesson_s += ApplyAll(*hub, kAdminReplica, roster);
      } else {
        hub = Take(Store::Open(hub_path.string()), "open hub");
      }
      std::fprintf(stderr, "growing the hub to %lld attendance versions...\n",
                   static_cast<long long>(stage));
      const GrowTiming g = Grow(*hub, devices, have, stage);
      grown.lesson_s += g.lesson_s;
      grown.attendance_s += g.attendance_s;
      grown.attendance = g.attendance;
      log_versions = Take(hub->LastChangeSeq(), "last seq");
    }
    const double stage_build_s = Seconds(t0, Clock::now());
    build_s += stage_build_s;
    std::fprintf(stderr,
                 "  %.1f s; ApplyRemote on the hub: %lld attendance versions in %.1f s = %.0f/s; "
                 "syncing...\n",
                 stage_build_s, static_cast<long long>(grown.attendance), grown.attendance_s,
                 static_cast<double>(grown.attendance) / grown.attendance_s);
    have = stage;
    StageResult r = RunStage(cfg, hub_path, stage, log_versions);
    r.build_apply_s = grown.attendance_s;
    PrintStage(r);
    results.push_back(r);
  }

  // The baselines: the same attendance records into an empty register
  // holding the same learners and lessons, and into raw SQLite.
  std::fprintf(stderr, "baselines: importing the same %lld records...\n",
               static_cast<long long>(cfg.versions));
  const fs::path import_path = cfg.dir / "import.db";
  RemoveDb(import_path);
  const int64_t lessons = LessonsFor(cfg.versions);
  double import_s = 0;
  {
    auto store = Take(Store::Create(import_path.string(), {kSchool, kBrin, Role::kAdmin}),
                      "create import register");
    Devices plan;
    ApplyAll(*store, kAdminReplica, plan.Roster());
    std::vector<VersionedRecord> lesson_versions;
    for (int64_t i = 0; i < lessons; ++i)
      lesson_versions.push_back(plan.LessonVersion(PlanLesson(i)));
    ApplyAll(*store, kAdminReplica, lesson_versions);
    lesson_versions.clear();
    lesson_versions.shrink_to_fit();
    const Actor teacher{Role::kTeacher, "docent0"};
    std::vector<Attendance> chunk;
    auto flush = [&]() {
      const auto t0 = Clock::now();
      Check(store->RecordAttendance(teacher, chunk, "attend.import"), "import");
      import_s += Seconds(t0, Clock::now());
      chunk.clear();
    };
    for (int64_t i = 0; i < lessons; ++i) {
      for (Attendance& a : AttendanceOf(PlanLesson(i), i, AttendanceCount(i, cfg.versions)))
        chunk.push_back(std::move(a));
      if (chunk.size() >= kBatch) flush();
    }
    if (!chunk.empty()) flush();
  }
  RemoveDb(import_path);
  const fs::path raw_path = cfg.dir / "raw.db";
  RemoveDb(raw_path);
  double raw_s = 0;
  {
    RawDb raw(raw_path);
    std::vector<Attendance> chunk;
    auto flush = [&]() {
      const auto t0 = Clock::now();
      raw.Insert(chunk);
      raw_s += Seconds(t0, Clock::now());
      chunk.clear();
    };
    for (int64_t i = 0; i < lessons; ++i) {
      for (Attendance& a : AttendanceOf(PlanLesson(i), i, AttendanceCount(i, cfg.versions)))
        chunk.push_back(std::move(a));
      if (chunk.size() >= kBatch) flush();
    }
    if (!chunk.empty()) flush();
  }
  RemoveDb(raw_path);
  for (const fs::path& p : fs::directory_iterator(cfg.dir)) {
    if (p.extension() == ".log") fs::remove(p);
  }
  RemoveDb(hub_path);
  if (cfg.own_dir) fs::remove_all(cfg.dir);
  const double total_s = Seconds(bench_start, Clock::now());

  const StageResult& last = results.back();
  const StageResult& first = results.front();
  const double n = static_cast<double>(cfg.versions);
  const double sync_rate = last.pulled / last.full_s;
  const double import_rate = n / import_s, raw_rate = n / raw_s;
  std::printf("baselines, the same %lld attendance records, %zu per transaction\n",
              static_cast<long long>(cfg.versions), kBatch);
  std::printf("  Store::RecordAttendance into an empty register: %.2f s = %.0f records/s\n",
              import_s, import_rate);
  std::printf("  raw SQLite INSERTs into one table:              %.2f s = %.0f records/s\n", raw_s,
              raw_rate);
  double hub_apply_s = 0;
  for (const StageResult& r : results) hub_apply_s += r.build_apply_s;
  std::printf("  the hub's ApplyRemote of the devices' pushes:   %.2f s = %.0f records/s\n",
              hub_apply_s, n / hub_apply_s);
  std::printf("  rate ratio sync/import: %.2f   sync/raw: %.2f\n", sync_rate / import_rate,
              sync_rate / raw_rate);

  const double bytes_per_version = last.bytes_received / last.pulled;
  const double bytes_per_attendance = last.bytes_received / n;
  const double noop_growth = last.noop_median_ms / std::max(first.noop_median_ms, 1e-9);
  // Flat: at the largest hub within twice the smallest hub's median plus 2 ms.
  const bool flat = last.noop_median_ms <= 2 * first.noop_median_ms + 2;
  std::printf(
      "\nsummary (hub of %lld attendance versions; the whole bench took %.0f s, "
      "%.0f s of it building the hub)\n",
      static_cast<long long>(cfg.versions), total_s, build_s);
  std::printf("| goal | figure | |\n|---|---|---|\n");
  std::printf("| >= 100,000 records/s | %.0f versions/s (%.2fx import, %.2fx raw) | %s |\n",
              sync_rate, sync_rate / import_rate, sync_rate / raw_rate, Met(sync_rate >= 100'000));
  std::printf(
      "| <= 20 wire bytes per attendance version | %.2f bytes/version; %.2f counting "
      "every byte against attendance | %s |\n",
      bytes_per_version, bytes_per_attendance, Met(bytes_per_attendance <= 20));
  std::printf("| client peak RSS <= 64 MiB | %.1f MiB (server %.1f MiB) | %s |\n",
              last.client_peak_mib, last.server_peak_mib, Met(last.client_peak_mib <= 64));
  std::printf("| no-op sync <= 20 ms at %lld | %.2f ms (median of %d) | %s |\n",
              static_cast<long long>(cfg.versions), last.noop_median_ms, cfg.reps,
              Met(last.noop_median_ms <= 20));
  std::string by_stage;
  for (const StageResult& r : results) {
    char part[64];
    std::snprintf(part, sizeof part, "%s%lld: %.2f ms", by_stage.empty() ? "" : ", ",
                  static_cast<long long>(r.attendance), r.noop_median_ms);
    by_stage += part;
  }
  std::printf("| no-op sync does not grow with the register | %s (%.2fx) | %s |\n",
              by_stage.c_str(), noop_growth, Met(flat));
  std::printf(
      "| (not a goal) second sync, right after the full one | %.1f ms at %lld, %.1f ms at "
      "%lld |  |\n",
      last.second_ms, static_cast<long long>(last.attendance), first.second_ms,
      static_cast<long long>(first.attendance));
  return 0;
}
