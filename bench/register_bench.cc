// Benchmarks of the offline register, each against raw SQLite in the same run,
// on two shapes of data (--shape; by default both, printed side by side):
//
//  real  a school shaped like a real one (bench/real_school.h): 2,000
//        learners in groups of 16 with random v4 UUIDs as keys, lessons of
//        120–240 minutes, 80 % present, 12 % absent with a mix of reasons,
//        8 % present for part of the lesson; the import's rows in no
//        particular order (shuffled with a fixed seed).
//  tidy  the data this bench had before: one course of 20 learners with short
//        ids ("L3", "NT2-17"), 180-minute lessons, 90 % present and 10 %
//        absent ill, every learner of a lesson in turn, lesson by lesson.
//
//  1. Recording one lesson (16 learners; tidy: 20): Store::RecordAttendance
//     (versions, change log, typed rows and an audit entry, one transaction)
//     versus as many plain INSERTs of the same rows in one transaction.
//     Twice: on a register
//     just opened, whose write-ahead log is new and grows with each commit
//     (what a command that opens the register for one lesson finds), and on
//     one kept open, after --warm-lessons more, whose log has reached its
//     size and is written over after each checkpoint (what the hub finds).
//     A growing log costs each commit's sync more, per page.
//  2. Importing 100,000 attendance entries in one call versus 100,000 plain
//     INSERTs in one transaction.
//  3. (real shape) `presentie attend import FILE` of --command-rows rows
//     (default 1,000,000) as a whole command, a child process: its peak
//     resident memory (goal <= 64 MiB, whatever the file's size) and its
//     rate against Store::RecordAttendance of the same rows in one call in
//     this process, in the same run (goal >= 0.5x). Once: it takes minutes.
//
// Both sides use the same file system and the same durability settings (WAL,
// synchronous=FULL), so the ratio is the figure that travels between machines.
// Each measurement is repeated; medians are printed, and for a lesson the means.
//
// Usage: register_bench [--shape both|real|tidy] [--reps N] [--lessons N]
//                       [--warm-lessons N] [--import-rows N] [--command-rows N]
//                       [--command-bin PATH] [--dir D]
// --command-rows 0 leaves out 3.; --command-bin runs another build's presentie
// (the one built with this bench by default), to compare before and after.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "bench/child_process.h"
#include "bench/raw_sqlite.h"
#include "bench/real_school.h"
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
using presentie::bench::RealSchool;

using presentie::bench::Die;
using presentie::bench::MakeBsn;
using presentie::bench::Median;
using presentie::bench::Seconds;

struct Config {
  std::vector<std::string> shapes = presentie::bench::ParseShapes("both");
  int reps = 5;
  int lessons_per_rep = 50;                 // lessons measured one by one, per repetition and phase
  int warm_lessons = 250;                   // recorded unmeasured between the two phases
  int import_rows = 100000;                 // rows of the bulk import
  int command_rows = 1000000;               // rows of `presentie attend import` (3.); 0: none
  std::string command_bin = PRESENTIE_BIN;  // the presentie it runs (another build's, to compare)
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

// A shape of data: a register to start from, a lesson's rows, an import's.
struct Shape {
  const char* name;
  int per_lesson;  // learners recorded in a lesson
  // Fills a new register with the learners, courses and `lessons` lessons.
  void (*build)(Store& store, int lessons);
  std::vector<Attendance> (*lesson_rows)(int lesson);
  // The import's first `rows` rows, in the order they are written.
  std::vector<Attendance> (*import_rows)(int rows);
};

const Actor kAdmin{presentie::Role::kAdmin, "bench"};

// --- tidy: one course of 20 learners, lessons one after another.
constexpr int kTidyLearners = 20;
constexpr int kTidyLessonMinutes = 180;

std::string TidyLearnerId(int i) { return "L" + std::to_string(i); }
std::string TidyLessonId(int i) { return "NT2-" + std::to_string(i); }

void BuildTidy(Store& store, int lessons) {
  std::vector<Learner> learners;
  for (int i = 0; i < kTidyLearners; ++i) {
    Learner l;
    l.id = TidyLearnerId(i);
    l.bsn = MakeBsn(i);
    l.name = "Learner " + std::to_string(i);
    l.category = presentie::Category::kFamilyMigrant;
    l.regime = presentie::Regime::kWi2021;
    l.route = presentie::Route::kB1;
    learners.push_back(l);
  }
  Check(store.AddLearners(kAdmin, learners, "learner.import"), "add learners");
  Course c;
  c.id = "NT2";
  c.name = "NT2 B1";
  c.route = presentie::Route::kB1;
  Check(store.AddCourse(kAdmin, c), "add course");
  auto write = store.BeginLessons(kAdmin, "lesson.import");
  if (!write.ok()) Die("begin lessons: " + write.status().ToString());
  for (int i = 0; i < lessons; ++i) {
    Lesson les;
    les.id = TidyLessonId(i);
    les.course_id = "NT2";
    les.start = {{2026, 1 + (i / 28) % 12, 1 + i % 28}, 9 + (i / 336) % 10, 0};
    les.duration_minutes = kTidyLessonMinutes;
    les.teacher = "T1";
    Check((*write)->Add(les), "add lesson");
  }
  Check((*write)->Commit(), "add lessons");
}

std::vector<Attendance> TidyLessonRows(int lesson) {
  std::vector<Attendance> rows;
  for (int i = 0; i < kTidyLearners; ++i) {
    Attendance a;
    a.lesson_id = TidyLessonId(lesson);
    a.learner_id = TidyLearnerId(i);
    a.id = presentie::AttendanceId(a.lesson_id, a.learner_id);
    if (i % 10 == 3) {
      a.status = AttendanceStatus::kAbsent;
      a.minutes_present = 0;
      a.reason = AbsenceReason::kIllness;
    } else {
      a.status = AttendanceStatus::kPresent;
      a.minutes_present = kTidyLessonMinutes;
    }
    rows.push_back(a);
  }
  return rows;
}

std::vector<Attendance> TidyImportRows(int rows) {
  std::vector<Attendance> out;
  out.reserve(static_cast<size_t>(rows));
  for (int l = 0; static_cast<int>(out.size()) < rows; ++l)
    for (Attendance& a : TidyLessonRows(l))
      if (static_cast<int>(out.size()) < rows) out.push_back(std::move(a));
  return out;
}

// --- real: bench/real_school.h.
void BuildReal(Store& store, int lessons) {
  std::vector<Learner> learners;
  for (int j = 0; j < RealSchool::kLearners; ++j) learners.push_back(RealSchool::LearnerAt(j));
  Check(store.AddLearners(kAdmin, learners, "learner.import"), "add learners");
  for (int g = 0; g < RealSchool::kGroups; ++g)
    Check(store.AddCourse(kAdmin, RealSchool::CourseAt(g)), "add course");
  // One write for every lesson: a base of a million records' lessons is
  // built in seconds, not one synced transaction per lesson.
  auto write = store.BeginLessons(kAdmin, "lesson.import");
  if (!write.ok()) Die("begin lessons: " + write.status().ToString());
  for (int i = 0; i < lessons; ++i) Check((*write)->Add(RealSchool::LessonAt(i)), "add lesson");
  Check((*write)->Commit(), "add lessons");
}

std::vector<Attendance> RealLessonRows(int lesson) {
  std::vector<Attendance> rows;
  for (int k = 0; k < RealSchool::kGroupSize; ++k)
    rows.push_back(RealSchool::AttendanceAt(int64_t{lesson} * RealSchool::kGroupSize + k));
  return rows;
}

std::vector<Attendance> RealImportRows(int rows) {
  std::vector<Attendance> out;
  out.reserve(static_cast<size_t>(rows));
  for (int64_t r : RealSchool::ArrivalOrder(0, rows)) out.push_back(RealSchool::AttendanceAt(r));
  return out;
}

constexpr Shape kReal = {"real", RealSchool::kGroupSize, BuildReal, RealLessonRows, RealImportRows};
constexpr Shape kTidy = {"tidy", kTidyLearners, BuildTidy, TidyLessonRows, TidyImportRows};

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

// 3. The import as a person runs it: the command, in a child process.
struct CommandRun {
  int rows = 0;
  double store_s = 0;    // Store::RecordAttendance of every row, one call, in process
  double command_s = 0;  // `presentie attend import FILE`, start to exit
  double peak_mib = 0;   // the command's peak resident memory
  double total_s = 0;
};

// A CSV field: quoted when it holds a delimiter, a quote or a line end.
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The rows of attend import (docs/cli.md, "CSV imports"), in arrival order.
void WriteImportCsv(const fs::path& path, int rows) {
  std::ofstream out(path, std::ios::binary);
  out << "lesson,learner,status,minutes,mode,notified,reason,note\n";
  for (int64_t r : RealSchool::ArrivalOrder(0, rows)) {
    const Attendance a = RealSchool::AttendanceAt(r);
    out << a.lesson_id << ',' << a.learner_id << ',' << presentie::ToString(a.status) << ','
        << a.minutes_present << ',' << presentie::ToString(a.mode) << ','
        << (a.notified_in_advance ? "yes" : "no") << ','
        << (a.reason == AbsenceReason::kNone ? "" : std::string(presentie::ToString(a.reason)))
        << ',' << CsvField(a.note) << '\n';
  }
  if (!out) Die("cannot write " + path.string());
}

// Runs `presentie attend import csv` on the register `db`; returns its wall
// time and sets its peak resident memory (MiB). Called in a small process
// (RunImportCommand below): a child forked from this large one would count
// the pages it shares with it until its exec in its peak.
double ImportCommand(const std::string& bin, const std::string& db, const std::string& csv,
                     const std::string& err, double* peak_mib) {
  const presentie::bench::Ran ran = presentie::bench::RunProgram(
      // The base register has no enrolments: the rows are recorded on purpose
      // (the roster is still looked up, so its cost is in the figure).
      bin, {"attend", "import", csv, "--not-enrolled"}, "", err,
      {"PRESENTIE_DB=" + db, "PRESENTIE_USER=bench"});
  if (ran.rc != 0) {
    Die("presentie attend import failed (exit " + std::to_string(ran.rc) +
        "): " + presentie::bench::ReadFile(err));
  }
  *peak_mib = ran.peak_mib;
  return ran.seconds;
}

// ImportCommand in this program run again (--run-import-command), a small
// process, which prints "seconds S" and "peak_mib M".
double RunImportCommand(const std::string& bin, const fs::path& db, const fs::path& csv,
                        const fs::path& err, double* peak_mib) {
  presentie::bench::Child child = presentie::bench::Spawn(
      {"--run-import-command", bin, db.string(), csv.string(), err.string()}, "");
  presentie::bench::Lines lines;
  presentie::bench::ReadLines(child, &lines, nullptr);
  if (presentie::bench::Wait(child) != 0 || lines["seconds"].empty() || lines["peak_mib"].empty()) {
    Die("the import command's runner failed");
  }
  *peak_mib = lines["peak_mib"].front();
  return lines["seconds"].front();
}

CommandRun RunCommand(const Config& cfg) {
  CommandRun run;
  run.rows = cfg.command_rows;
  const auto start = std::chrono::steady_clock::now();
  const int lessons = (cfg.command_rows + RealSchool::kGroupSize - 1) / RealSchool::kGroupSize;
  const fs::path base = cfg.dir / "command-base.db";
  std::fprintf(stderr, "attend import: a base register of %d lessons, a CSV of %d rows...\n",
               lessons, cfg.command_rows);
  {
    auto created = Store::Create(base.string(), {"Bench school", "25AB", presentie::Role::kAdmin});
    if (!created.ok()) Die("create: " + created.status().ToString());
    BuildReal(**created, lessons);
  }
  const fs::path csv = cfg.dir / "attendance.csv";
  WriteImportCsv(csv, cfg.command_rows);

  const fs::path p = cfg.dir / "command.db";
  CopyBase(base, p);
  std::fprintf(stderr, "attend import: Store::RecordAttendance in process...\n");
  {
    std::vector<Attendance> rows = RealImportRows(cfg.command_rows);
    auto opened = Store::Open(p.string());
    if (!opened.ok()) Die("open: " + opened.status().ToString());
    const Actor admin{presentie::Role::kAdmin, "bench"};
    const auto t0 = std::chrono::steady_clock::now();
    Check((*opened)->RecordAttendance(admin, rows, "attend.import"), "in-process import");
    run.store_s = Seconds(t0, std::chrono::steady_clock::now());
  }
  CopyBase(base, p);
  std::fprintf(stderr, "attend import: the command...\n");
  run.command_s = RunImportCommand(cfg.command_bin, p, csv, cfg.dir / "command.err", &run.peak_mib);
  RemoveDb(p);
  RemoveDb(base);
  fs::remove(csv);
  run.total_s = Seconds(start, std::chrono::steady_clock::now());
  return run;
}

void PrintCommand(const CommandRun& run) {
  const double cr = run.rows / run.command_s, sr = run.rows / run.store_s;
  std::printf("== presentie attend import of %d real-shaped rows, as a command (%.0f s; once)\n",
              run.rows, run.total_s);
  std::printf("  command          %9.1f s  %10.0f rows/s  peak RSS %.1f MiB   (goal <= 64 MiB)\n",
              run.command_s, cr, run.peak_mib);
  std::printf("  in process       %9.1f s  %10.0f rows/s  (Store::RecordAttendance, one call)\n",
              run.store_s, sr);
  std::printf("  rate ratio command/in-process: %.2fx   (goal >= 0.5x)\n\n", cr / sr);
  std::fflush(stdout);
}

// The samples of one phase of recording lessons, each side.
struct Phase {
  std::vector<double> store_s, raw_s;
};

struct ShapeRun {
  const Shape* shape = nullptr;
  Phase opened, kept;
  std::vector<double> store_import_s, raw_import_s;
  double total_s = 0;
};

ShapeRun RunShape(const Config& cfg, const Shape& shape) {
  ShapeRun run;
  run.shape = &shape;
  const auto start = std::chrono::steady_clock::now();
  const int import_lessons = (cfg.import_rows + shape.per_lesson - 1) / shape.per_lesson;
  const int lessons = std::max(import_lessons, 2 * cfg.lessons_per_rep + cfg.warm_lessons);
  const fs::path base = cfg.dir / "base.db";
  std::fprintf(stderr, "%s: building a base register of %d lessons...\n", shape.name, lessons);
  {
    auto created = Store::Create(base.string(), {"Bench school", "25AB", presentie::Role::kAdmin});
    if (!created.ok()) Die("create: " + created.status().ToString());
    shape.build(**created, lessons);
  }

  // 1. One lesson, recorded lesson by lesson: lessons_per_rep on the register
  // just opened, warm_lessons unmeasured, lessons_per_rep more.
  const int n = cfg.lessons_per_rep;
  const auto phase_of = [&](int l) -> Phase* {
    if (l < n) return &run.opened;
    return l >= n + cfg.warm_lessons ? &run.kept : nullptr;
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
        auto rows = shape.lesson_rows(l);
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
        auto rows = shape.lesson_rows(l);
        auto t0 = std::chrono::steady_clock::now();
        raw.Insert(rows);
        const double s = Seconds(t0, std::chrono::steady_clock::now());
        if (Phase* phase = phase_of(l)) phase->raw_s.push_back(s);
      }
    }
    RemoveDb(r);
  }

  // 2. Bulk import of import_rows entries in one call.
  const std::vector<Attendance> bulk = shape.import_rows(cfg.import_rows);
  for (int rep = 0; rep < cfg.reps; ++rep) {
    const fs::path p = cfg.dir / "import.db";
    CopyBase(base, p);
    {
      auto opened = Store::Open(p.string());
      if (!opened.ok()) Die("open: " + opened.status().ToString());
      auto t0 = std::chrono::steady_clock::now();
      Check((*opened)->RecordAttendance(teacher, bulk, "attend.import"), "bulk import");
      run.store_import_s.push_back(Seconds(t0, std::chrono::steady_clock::now()));
    }
    RemoveDb(p);
    const fs::path r = cfg.dir / "raw-import.db";
    RemoveDb(r);
    {
      RawDb raw(r);
      auto t0 = std::chrono::steady_clock::now();
      raw.Insert(bulk);
      run.raw_import_s.push_back(Seconds(t0, std::chrono::steady_clock::now()));
    }
    RemoveDb(r);
  }
  RemoveDb(base);
  run.total_s = Seconds(start, std::chrono::steady_clock::now());
  return run;
}

void PrintRun(const Config& cfg, const ShapeRun& run) {
  const double si = Median(run.store_import_s), ri = Median(run.raw_import_s);
  std::printf("== %s-shaped data (%.0f s)\n", run.shape->name, run.total_s);
  std::printf("record one lesson of %d learners (%d lessons each side per phase)\n",
              run.shape->per_lesson, cfg.reps * cfg.lessons_per_rep);
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
  print_phase("on a register just opened (a new write-ahead log, growing)", run.opened);
  const std::string kept = "on a register kept open (after " + std::to_string(cfg.warm_lessons) +
                           " more lessons: the log at its size)";
  print_phase(kept.c_str(), run.kept);
  std::printf("import %d attendance entries in one transaction\n", cfg.import_rows);
  std::printf("  presentie  %9.3f s  %10.0f rows/s\n", si, cfg.import_rows / si);
  std::printf("  raw sqlite %9.3f s  %10.0f rows/s\n", ri, cfg.import_rows / ri);
  std::printf("  rate ratio presentie/raw: %.0f%%   (goal >= 50%%)\n\n", 100 * ri / si);
  std::fflush(stdout);
}

// The summary: one row a goal, one column a shape.
void PrintSummary(const Config& cfg, const std::vector<ShapeRun>& runs,
                  const std::optional<CommandRun>& command) {
  std::printf("summary (medians of %d repetitions)\n| goal |", cfg.reps);
  for (const ShapeRun& run : runs) std::printf(" %s-shaped data |", run.shape->name);
  std::printf("\n|---|");
  for (size_t i = 0; i < runs.size(); ++i) std::printf("---|");
  std::printf("\n");
  const auto lesson_row = [&](const char* goal, Phase ShapeRun::*phase) {
    std::printf("| %s |", goal);
    for (const ShapeRun& run : runs) {
      const double sl = Median((run.*phase).store_s), rl = Median((run.*phase).raw_s);
      std::printf(" %.3f / %.3f ms = %.2fx (%d learners) |", sl * 1e3, rl * 1e3, sl / rl,
                  run.shape->per_lesson);
    }
    std::printf("\n");
  };
  lesson_row("a lesson on a register just opened, against raw inserts, <= 1.5x", &ShapeRun::opened);
  lesson_row("a lesson on a register kept open, against raw inserts, <= 1.5x", &ShapeRun::kept);
  std::printf("| import of %d entries, rate against raw inserts, >= 50 %% |", cfg.import_rows);
  for (const ShapeRun& run : runs) {
    const double si = Median(run.store_import_s), ri = Median(run.raw_import_s);
    std::printf(" %.0f / %.0f rows/s = %.0f %% |", cfg.import_rows / si, cfg.import_rows / ri,
                100 * ri / si);
  }
  std::printf("\n");
  if (!command.has_value()) return;
  const double cr = command->rows / command->command_s, sr = command->rows / command->store_s;
  std::printf("| `attend import` of %d rows as a command: peak RSS <= 64 MiB |", command->rows);
  for (const ShapeRun& run : runs) {
    std::printf(run.shape == &kReal ? " %.1f MiB |" : " - |", command->peak_mib);
  }
  std::printf(
      "\n| `attend import` of %d rows as a command, rate against in-process "
      "Store::RecordAttendance, >= 0.5x |",
      command->rows);
  for (const ShapeRun& run : runs) {
    if (run.shape == &kReal) {
      std::printf(" %.0f / %.0f rows/s = %.2fx |", cr, sr, cr / sr);
    } else {
      std::printf(" - |");
    }
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && std::string(argv[1]) == "--run-import-command") {
    double peak_mib = 0;
    const double s = ImportCommand(argv[2], argv[3], argv[4], argv[5], &peak_mib);
    std::printf("seconds %.6f\npeak_mib %.3f\n", s, peak_mib);
    return 0;
  }
  Config cfg;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--shape") {
      cfg.shapes = presentie::bench::ParseShapes(next());
    } else if (a == "--reps") {
      cfg.reps = std::stoi(next());
    } else if (a == "--lessons") {
      cfg.lessons_per_rep = std::stoi(next());
    } else if (a == "--warm-lessons") {
      cfg.warm_lessons = std::stoi(next());
    } else if (a == "--import-rows") {
      cfg.import_rows = std::stoi(next());
    } else if (a == "--command-bin") {
      cfg.command_bin = next();
    } else if (a == "--command-rows") {
      cfg.command_rows = std::stoi(next());
    } else if (a == "--dir") {
      cfg.dir = next();
    } else {
      Die("unknown argument " + a +
          " (use --shape both|real|tidy --reps N --lessons N --warm-lessons N --import-rows N "
          "--command-rows N --dir D)");
    }
  }
  if (cfg.reps < 1 || cfg.lessons_per_rep < 1 || cfg.warm_lessons < 0 ||
      cfg.import_rows < kTidyLearners || cfg.command_rows < 0)
    Die("counts too small");
  if (cfg.dir.empty())
    cfg.dir = fs::temp_directory_path() / ("presentie-bench-" + std::to_string(::getpid()));
  fs::create_directories(cfg.dir);

  const auto start = std::chrono::steady_clock::now();
  std::vector<ShapeRun> runs;
  for (const std::string& name : cfg.shapes)
    runs.push_back(RunShape(cfg, name == "real" ? kReal : kTidy));
  std::optional<CommandRun> command;
  const bool real = std::find(cfg.shapes.begin(), cfg.shapes.end(), "real") != cfg.shapes.end();
  if (real && cfg.command_rows > 0) command = RunCommand(cfg);
  fs::remove_all(cfg.dir);
  std::printf("register_bench: medians of %d repetitions; the whole bench took %.0f s\n", cfg.reps,
              Seconds(start, std::chrono::steady_clock::now()));
  for (const ShapeRun& run : runs) PrintRun(cfg, run);
  if (command.has_value()) PrintCommand(*command);
  PrintSummary(cfg, runs, command);
  return 0;
}
