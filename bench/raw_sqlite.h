// The raw SQLite baseline the register and sync benchmarks measure the
// store against: one typed attendance table, the same rows, the same
// pragmas, no change log, no audit, no sealing.
#ifndef PRESENTIE_BENCH_RAW_SQLITE_H_
#define PRESENTIE_BENCH_RAW_SQLITE_H_

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/domain.h"

namespace presentie::bench {

class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) Die("raw open");
    Exec(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        "CREATE TABLE attendance(id TEXT PRIMARY KEY, lesson_id TEXT NOT NULL,"
        " learner_id TEXT NOT NULL, status TEXT NOT NULL, minutes_present INTEGER NOT NULL,"
        " mode TEXT NOT NULL, notified INTEGER NOT NULL, reason TEXT NOT NULL,"
        " note TEXT NOT NULL)");
    if (sqlite3_prepare_v3(db_, "INSERT INTO attendance VALUES(?,?,?,?,?,?,?,?,?)", -1,
                           SQLITE_PREPARE_PERSISTENT, &insert_, nullptr) != SQLITE_OK)
      Die("raw prepare");
  }
  ~RawDb() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      Die(std::string("raw exec: ") + sqlite3_errmsg(db_));
  }
  void Insert(const std::vector<Attendance>& rows) {
    Exec("BEGIN IMMEDIATE");
    for (const Attendance& a : rows) {
      sqlite3_bind_text(insert_, 1, a.id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 2, a.lesson_id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 3, a.learner_id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 4, std::string(ToString(a.status)).c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(insert_, 5, a.minutes_present);
      sqlite3_bind_text(insert_, 6, std::string(ToString(a.mode)).c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(insert_, 7, a.notified_in_advance ? 1 : 0);
      sqlite3_bind_text(insert_, 8, std::string(ToString(a.reason)).c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert_, 9, a.note.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(insert_) != SQLITE_DONE)
        Die(std::string("raw insert: ") + sqlite3_errmsg(db_));
      sqlite3_reset(insert_);
    }
    Exec("COMMIT");
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

}  // namespace presentie::bench

#endif  // PRESENTIE_BENCH_RAW_SQLITE_H_
