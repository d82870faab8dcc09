// Benchmarks of the offline register, each against raw SQLite in the same run.
//
//  1. Recording one lesson of 20 learners: Store::RecordAttendance (versions,
//     change log, typed rows and an audit entry, one transaction) versus 20
//     plain INSERTs of the same rows in one transaction. Twice: on a register
//     just opened, whose write-ahead log is new and grows with each commit
//     (what a command that opens the register for one lesson finds), and on
//     one kept open, after --warm-lessons more, whose log has reached its
//     size and is written over after each checkpoint (what the hub finds).
//     A growing log costs each commit's sync more, per page.
//  2. Importing 100,000 attendance entries in one call versus 100,000 plain
//     INSERTs in one transaction.
//
// Both sides use the same file system and the same durability settings (WAL,
// synchronous=FULL), so the ratio is the figure that travels between machines.
// Each measurement is repeated; medians are printed, and for a lesson the means.
//
// Usage: register_bench [--reps N] [--lessons N] [--warm-lessons N] [--import-rows N]
//                       [--dir D]
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "bench/raw_sqlite.h"
#include "core/ids.h"
#include "storage/store.h"

namespace fs = std::filesystem;
using presentie::AbsenceReason;
using presentie::Attendance;
using presentie::AttendanceStatus;
using presentie::Course;
using presentie::Learner;
using presentie::Lesson;
using presentie::storage::Actor;
using presentie::storage::Store;

namespace {
using presentie::bench::RawDb;

using presentie::bench::Die;
using presentie::bench::Median;
using presentie::bench::Seconds;

constexpr int kLearners = 20;
constexpr int kLessonMinutes = 180;

struct Config {
  int reps = 5;
  int lessons_per_rep = 50;  // lessons measured one by one, per repetition and phase
  int warm_lessons = 250;    // recorded unmeasured between the two phases
  int import_rows = 100000;  // rows of the bulk import
  fs::path dir;
};

void Check(const presentie::Status& s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.ToString());
}

double Mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

// A valid BSN for learner i: 8 digits from i, the 9th chosen by the elfproef.
std::string MakeBsn(int i) {
  std::string d = std::to_string(10000000 + i * 7919 % 89999999);
  d = d.substr(0, 8);
  for (char last = '0'; last <= '9'; ++last) {
    std::string candidate = d + last;
    if (presentie::IsValidBsn(candidate)) return candidate;
  }
  return MakeBsn(i + 100000);  // this prefix has no valid check digit
}

std::string LearnerId(int i) { return "L" + std::to_string(i); }
std::string LessonId(int i) { return "NT2-" + std::to_string(i); }

// Builds a register with kLearners learners, one course and `lessons` lessons.
void BuildBase(const fs::path& path, int lessons) {
  auto created = Store::Create(path.string(), {"Bench school", "25AB", presentie::Role::kAdmin});
  if (!created.ok()) Die("create: " + created.status().ToString());
  Store& store = **created;
  Actor admin{presentie::Role::kAdmin, "bench"};
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
  Check(store.AddLearners(admin, learners, "learner.import"), "add learners");
  Course c;
  c.id = "NT2";
  c.name = "NT2 B1";
  c.route = presentie::Route::kB1;
  Check(store.AddCourse(admin, c), "add course");
  for (int i = 0; i < lessons; ++i) {
    Lesson les;
    les.id = LessonId(i);
    les.course_id = "NT2";
    les.start = {{2026, 1 + (i / 28) % 12, 1 + i % 28}, 9 + (i / 336) % 10, 0};
    les.duration_minutes = kLessonMinutes;
    les.teacher = "T1";
    Check(store.AddLesson(admin, les), "add lesson");
  }
}

std::vector<Attendance> LessonRows(int lesson) {
  std::vector<Attendance> rows;
  for (int i = 0; i < kLearners; ++i) {
    Attendance a;
    a.lesson_id = LessonId(lesson);
    a.learner_id = LearnerId(i);
    a.id = presentie::AttendanceId(a.lesson_id, a.learner_id);
    if (i % 10 == 3) {
      a.status = AttendanceStatus::kAbsent;
      a.minutes_present = 0;
      a.reason = AbsenceReason::kIllness;
    } else {
      a.status = AttendanceStatus::kPresent;
      a.minutes_present = kLessonMinutes;
    }
    rows.push_back(a);
  }
  return rows;
}

void CopyBase(const fs::path& base, const fs::path& to) {
  fs::remove(to);
  fs::remove(to.string() + "-wal");
  fs::remove(to.string() + "-shm");
  fs::copy_file(base, to);
  // The register's key travels with it (docs/reliability.md, "At-rest encryption").
  fs::remove(to.string() + ".key");
  fs::copy_file(base.string() + ".key", to.string() + ".key");
}

void RemoveDb(const fs::path& p) {
  fs::remove(p);
  fs::remove(p.string() + "-wal");
  fs::remove(p.string() + "-shm");
  fs::remove(p.string() + ".key");
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--reps")
      cfg.reps = std::stoi(next());
    else if (a == "--lessons")
      cfg.lessons_per_rep = std::stoi(next());
    else if (a == "--warm-lessons")
      cfg.warm_lessons = std::stoi(next());
    else if (a == "--import-rows")
      cfg.import_rows = std::stoi(next());
    else if (a == "--dir")
      cfg.dir = next();
    else
      Die("unknown argument " + a +
          " (use --reps N --lessons N --warm-lessons N --import-rows N --dir D)");
  }
  if (cfg.reps < 1 || cfg.lessons_per_rep < 1 || cfg.warm_lessons < 0 ||
      cfg.import_rows < kLearners)
    Die("counts too small");
  if (cfg.dir.empty())
    cfg.dir = fs::temp_directory_path() / ("presentie-bench-" + std::to_string(::getpid()));
  fs::create_directories(cfg.dir);

  const int import_lessons = (cfg.import_rows + kLearners - 1) / kLearners;
  const int lessons = std::max(import_lessons, 2 * cfg.lessons_per_rep + cfg.warm_lessons);
  const fs::path base = cfg.dir / "base.db";
  std::fprintf(stderr, "building a base register: %d learners, %d lessons...\n", kLearners,
               lessons);
  BuildBase(base, lessons);

  // 1. One lesson of 20 learners, recorded lesson by lesson: lessons_per_rep
  // on the register just opened, warm_lessons unmeasured, lessons_per_rep more.
  struct Phase {
    std::vector<double> store_s, raw_s;
  };
  Phase opened_phase, kept_phase;
  const int n = cfg.lessons_per_rep;
  const auto phase_of = [&](int l) -> Phase* {
    if (l < n) return &opened_phase;
    return l >= n + cfg.warm_lessons ? &kept_phase : nullptr;
  };
  const int recorded = 2 * n + cfg.warm_lessons;
  const Actor teacher{presentie::Role::kTeacher, "bench"};
  for (int rep = 0; rep < cfg.reps; ++rep) {
    const fs::path p = cfg.dir / "record.db";
    CopyBase(base, p);
    {
      auto opened = Store::Open(p.string());
      if (!opened.ok()) Die("open: " + opened.status().ToString());
      for (int l = 0; l < recorded; ++l) {
        auto rows = LessonRows(l);
        auto t0 = std::chrono::steady_clock::now();
        Check((*opened)->RecordAttendance(teacher, rows, "attend.record"), "record lesson");
        const double s = Seconds(t0, std::chrono::steady_clock::now());
        if (Phase* phase = phase_of(l)) phase->store_s.push_back(s);
      }
    }
    RemoveDb(p);
    const fs::path r = cfg.dir / "raw-record.db";
    RemoveDb(r);
    {
      RawDb raw(r);
      for (int l = 0; l < recorded; ++l) {
        auto rows = LessonRows(l);
        auto t0 = std::chrono::steady_clock::now();
        raw.Insert(rows);
        const double s = Seconds(t0, std::chrono::steady_clock::now());
        if (Phase* phase = phase_of(l)) phase->raw_s.push_back(s);
      }
    }
    RemoveDb(r);
  }

  // 2. Bulk import of import_rows entries in one call.
  std::vector<Attendance> bulk;
  bulk.reserve(cfg.import_rows);
  for (int l = 0; static_cast<int>(bulk.size()) < cfg.import_rows; ++l)
    for (Attendance& a : LessonRows(l))
      if (static_cast<int>(bulk.size()) < cfg.import_rows) bulk.push_back(std::move(a));
  std::vector<double> store_import_s, raw_import_s;
  for (int rep = 0; rep < cfg.reps; ++rep) {
    const fs::path p = cfg.dir / "import.db";
    CopyBase(base, p);
    {
      auto opened = Store::Open(p.string());
      if (!opened.ok()) Die("open: " + opened.status().ToString());
      auto t0 = std::chrono::steady_clock::now();
      Check((*opened)->RecordAttendance(teacher, bulk, "attend.import"), "bulk import");
      store_import_s.push_back(Seconds(t0, std::chrono::steady_clock::now()));
    }
    RemoveDb(p);
    const fs::path r = cfg.dir / "raw-import.db";
    RemoveDb(r);
    {
      RawDb raw(r);
      auto t0 = std::chrono::steady_clock::now();
      raw.Insert(bulk);
      raw_import_s.push_back(Seconds(t0, std::chrono::steady_clock::now()));
    }
    RemoveDb(r);
  }
  fs::remove_all(cfg.dir);

  const double si = Median(store_import_s), ri = Median(raw_import_s);
  std::printf("register_bench: medians of %d repetitions\n", cfg.reps);
  std::printf("record one lesson of %d learners (%d lessons each side per phase)\n", kLearners,
              cfg.reps * n);
  const auto print_phase = [](const char* title, const Phase& phase) {
    const double sl = Median(phase.store_s), rl = Median(phase.raw_s);
    std::printf("  %s\n", title);
    std::printf("    presentie  %9.3f ms/lesson  %10.0f lessons/s\n", sl * 1e3, 1 / sl);
    std::printf("    raw sqlite %9.3f ms/lesson  %10.0f lessons/s\n", rl * 1e3, 1 / rl);
    std::printf("    cost ratio presentie/raw: %.2fx   (goal <= 1.50x)\n", sl / rl);
    // A checkpoint (once per some 70 lessons for presentie, 200 for raw)
    // is an outlier the median leaves out; the mean counts it.
    const double ml = Mean(phase.store_s), mr = Mean(phase.raw_s);
    std::printf("    means: %.3f / %.3f ms = %.2fx (checkpoints included)\n", ml * 1e3, mr * 1e3,
                ml / mr);
  };
  print_phase("on a register just opened (a new write-ahead log, growing)", opened_phase);
  const std::string kept = "on a register kept open (after " + std::to_string(cfg.warm_lessons) +
                           " more lessons: the log at its size)";
  print_phase(kept.c_str(), kept_phase);
  std::printf("import %d attendance entries in one transaction\n", cfg.import_rows);
  std::printf("  presentie  %9.3f s  %10.0f rows/s\n", si, cfg.import_rows / si);
  std::printf("  raw sqlite %9.3f s  %10.0f rows/s\n", ri, cfg.import_rows / ri);
  std::printf("  rate ratio presentie/raw: %.0f%%   (goal >= 50%%)\n", 100 * ri / si);
  return 0;
}
