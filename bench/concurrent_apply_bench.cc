// Benchmark of the merge in a sync (docs/benchmarks.md): a register receives
// 100,000 attendance versions that are each concurrent with a version it
// already holds — two teachers recorded the same lessons offline — so every one
// is a sibling, merged by the policy (core/merge.h), and opens a conflict.
//
// Per repetition, in a fresh folder:
//   1. a register gets the roster (learners, a course, lessons) by ApplyRemote;
//   2. baseline A: it applies teacher A's N versions (new records, no merge),
//      in pages of 5,000 as a pull brings them;
//   3. the measured step: it applies teacher B's N versions of the same
//      records (concurrent with A's: absent where A said present), pages of
//      5,000: N merges, N open conflicts;
//   4. baseline B: the same N rows as plain INSERTs into one table of raw
//      SQLite, 5,000 per transaction.
// Same file system, WAL, synchronous=FULL on every side. Printed: medians of
// the rates and the ratios concurrent/new and concurrent/raw.
//
// Usage: concurrent_apply_bench [--versions N] [--reps N] [--dir D]
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/domain.h"
#include "core/ids.h"
#include "core/merge.h"
#include "storage/store.h"

namespace fs = std::filesystem;
using presentie::Attendance;
using presentie::AttendanceStatus;
using presentie::Role;
using presentie::storage::Store;
using presentie::storage::VersionedRecord;

namespace {

using presentie::bench::Die;
using presentie::bench::Median;

constexpr int kPage = 5000;
constexpr int kLearners = 500;
const std::string kOrigin = "0000000000000001";
const std::string kTeacherA = "00000000000000aa";
const std::string kTeacherB = "00000000000000bb";
constexpr uint64_t kBaseMs = 1'790'000'000'000;

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string Bsn(int i) {
  for (int base = 100000000 + i * 10;; base += 1) {
    const std::string d = std::to_string(base);
    if (presentie::IsValidBsn(d)) return d;
  }
}

VersionedRecord Version(const std::string& writer, Role role, uint64_t counter, uint64_t ms,
                        presentie::storage::Record record) {
  VersionedRecord v;
  v.stamp.vv.Set(writer, counter);
  v.stamp.hlc = presentie::Hlc{ms, 0};
  v.stamp.writer = presentie::Writer{writer, role, "bench"};
  v.record = std::move(record);
  return v;
}

struct Workload {
  std::vector<VersionedRecord> roster;
  std::vector<VersionedRecord> a;  // teacher A: present
  std::vector<VersionedRecord> b;  // teacher B: absent, ill — concurrent with A's
  std::vector<Attendance> raw;     // B's rows, for raw SQLite
};

Workload Make(int versions) {
  Workload w;
  uint64_t n = 0;
  // The origin's versions, one counter and one millisecond apart.
  auto add = [&](presentie::storage::Record r) {
    ++n;
    w.roster.push_back(Version(kOrigin, Role::kAdmin, n, kBaseMs + n, std::move(r)));
  };
  std::vector<std::string> learners;
  for (int i = 0; i < kLearners; ++i) {
    presentie::Learner l;
    l.id = "S" + std::to_string(i);
    l.bsn = Bsn(i);
    l.name = "Learner " + std::to_string(i);
    l.route = presentie::Route::kB1;
    add(l);
    learners.push_back(l.id);
  }
  presentie::Course c;
  c.id = "C1";
  c.name = "NT2";
  c.route = presentie::Route::kB1;
  add(c);
  const int lessons = (versions + kLearners - 1) / kLearners;
  std::vector<std::string> lesson_ids;
  for (int i = 0; i < lessons; ++i) {
    presentie::Lesson l;
    l.course_id = "C1";
    l.start = presentie::DateTime{presentie::Date{2026, 1 + i / 28 % 12, 1 + i % 28},
                                  9 + i / 336 % 10, 0};
    l.id = "L" + std::to_string(i);
    l.duration_minutes = 120;
    l.teacher = "T";
    add(l);
    lesson_ids.push_back(l.id);
  }
  for (int i = 0; i < versions; ++i) {
    Attendance a;
    a.lesson_id = lesson_ids[static_cast<size_t>(i / kLearners)];
    a.learner_id = learners[static_cast<size_t>(i % kLearners)];
    a.id = presentie::AttendanceId(a.lesson_id, a.learner_id);
    a.minutes_present = 120;
    Attendance b = a;
    b.status = AttendanceStatus::kAbsent;
    b.minutes_present = 0;
    b.reason = presentie::AbsenceReason::kIllness;
    const auto k = static_cast<uint64_t>(i + 1);
    w.a.push_back(Version(kTeacherA, Role::kTeacher, k, kBaseMs + 1'000'000 + k, a));
    w.b.push_back(Version(kTeacherB, Role::kTeacher, k, kBaseMs + 2'000'000 + k, b));
    w.raw.push_back(b);
  }
  return w;
}

double ApplyPaged(Store& store, const std::string& source,
                  const std::vector<VersionedRecord>& versions, uint32_t* accepted) {
  const auto t = std::chrono::steady_clock::now();
  for (size_t at = 0; at < versions.size(); at += kPage) {
    const size_t len = std::min<size_t>(kPage, versions.size() - at);
    auto applied = store.ApplyRemote(source, std::span(versions).subspan(at, len), {});
    if (!applied.ok()) Die("apply: " + applied.status().ToString());
    *accepted += applied->accepted;
  }
  return Since(t);
}

double RawInsert(const fs::path& path, const std::vector<Attendance>& rows) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die("raw open");
  auto exec = [&](const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      Die(std::string("raw: ") + sqlite3_errmsg(db));
    }
  };
  exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
      "CREATE TABLE attendance(id TEXT PRIMARY KEY, lesson_id TEXT NOT NULL,"
      " learner_id TEXT NOT NULL, status TEXT NOT NULL, minutes_present INTEGER NOT NULL,"
      " mode TEXT NOT NULL, notified INTEGER NOT NULL, reason TEXT NOT NULL,"
      " note TEXT NOT NULL)");
  sqlite3_stmt* insert = nullptr;
  if (sqlite3_prepare_v2(db, "INSERT INTO attendance VALUES(?,?,?,?,?,?,?,?,?)", -1, &insert,
                         nullptr) != SQLITE_OK) {
    Die("raw prepare");
  }
  const auto t = std::chrono::steady_clock::now();
  for (size_t at = 0; at < rows.size(); at += kPage) {
    exec("BEGIN IMMEDIATE");
    for (size_t i = at; i < std::min(rows.size(), at + kPage); ++i) {
      const Attendance& a = rows[i];
      sqlite3_bind_text(insert, 1, a.id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 2, a.lesson_id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 3, a.learner_id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 4, std::string(ToString(a.status)).c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(insert, 5, a.minutes_present);
      sqlite3_bind_text(insert, 6, std::string(ToString(a.mode)).c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(insert, 7, a.notified_in_advance ? 1 : 0);
      sqlite3_bind_text(insert, 8, std::string(ToString(a.reason)).c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 9, a.note.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(insert) != SQLITE_DONE)
        Die(std::string("raw insert: ") + sqlite3_errmsg(db));
      sqlite3_reset(insert);
    }
    exec("COMMIT");
  }
  const double s = Since(t);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  int versions = 100'000;
  int reps = 3;
  fs::path dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--versions") {
      versions = std::stoi(next());
    } else if (a == "--reps") {
      reps = std::stoi(next());
    } else if (a == "--dir") {
      dir = next();
    } else {
      Die("unknown argument " + a + " (use --versions N --reps N --dir D)");
    }
  }
  if (versions < 1 || reps < 1) Die("--versions and --reps must be at least 1");
  const bool own_dir = dir.empty();
  if (own_dir) {
    dir = fs::temp_directory_path() / ("concurrent_apply_bench." + std::to_string(getpid()));
  }
  fs::create_directories(dir);

  const Workload w = Make(versions);
  std::vector<double> new_rate, merge_rate, raw_rate;
  for (int r = 0; r < reps; ++r) {
    const fs::path path = dir / ("hub" + std::to_string(r) + ".db");
    auto store =
        Store::Create(path.string(), presentie::storage::InitOptions{"Bench", "25AB", Role::kHub});
    if (!store.ok()) Die("create: " + store.status().ToString());
    uint32_t accepted = 0;
    ApplyPaged(**store, kOrigin, w.roster, &accepted);
    accepted = 0;
    const double a_s = ApplyPaged(**store, kTeacherA, w.a, &accepted);
    uint32_t merged = 0;
    const double b_s = ApplyPaged(**store, kTeacherB, w.b, &merged);
    if (accepted != w.a.size() || merged != w.b.size()) Die("not every version was accepted");
    auto conflicts = (*store)->ListConflicts(false);
    if (!conflicts.ok() || conflicts->size() != w.b.size()) {
      Die("expected one open conflict per record");
    }
    const double raw_s = RawInsert(dir / ("raw" + std::to_string(r) + ".db"), w.raw);
    new_rate.push_back(versions / a_s);
    merge_rate.push_back(versions / b_s);
    raw_rate.push_back(versions / raw_s);
    std::printf("rep %d: new %.0f/s, concurrent %.0f/s, raw %.0f/s\n", r + 1, versions / a_s,
                versions / b_s, versions / raw_s);
  }
  const double m = Median(merge_rate);
  std::printf(
      "concurrent_apply_bench: %d versions concurrent with held ones, pages of %d, medians of "
      "%d\n"
      "  concurrent (merge + conflict): %10.0f versions/s\n"
      "  new records (no merge):        %10.0f versions/s   concurrent/new = %.2fx\n"
      "  raw SQLite INSERTs:            %10.0f rows/s       concurrent/raw = %.2fx\n",
      versions, kPage, reps, m, Median(new_rate), m / Median(new_rate), Median(raw_rate),
      m / Median(raw_rate));
  if (own_dir) fs::remove_all(dir);
  return 0;
}
