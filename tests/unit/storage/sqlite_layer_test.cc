// The thin SQLite layer: open-time settings, typed binding, the statement
// cache's guard, RAII transactions, the mapping of SQLite's codes and the
// checkpoints beside the writer.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "storage/internal/schema.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/transaction.h"
#include "storage_test_util.h"

namespace presentie::storage::sqlite {
namespace sqlite_layer_test {

using storage::testing::StorageTest;

class SqliteLayerTest : public StorageTest {
 protected:
  // An empty file and a connection that initialises it.
  std::unique_ptr<Database> Fresh(int busy_timeout_ms = 5000) {
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) ::close(fd);
    OpenOptions options;
    options.initialize = true;
    options.application_id = internal::kApplicationId;
    options.busy_timeout_ms = busy_timeout_ms;
    auto db = Database::Open(path_, options);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  int64_t Int(Database& db, const std::string& sql) {
    auto stmt = db.Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row);
    return stmt->ColumnInt(0);
  }
};

TEST_F(SqliteLayerTest, OpenAppliesThePragmasOfTheRegister) {
  auto db = Fresh(1234);
  ASSERT_NE(db, nullptr);
  auto mode = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
  EXPECT_EQ(Int(*db, "PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(Int(*db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(Int(*db, "PRAGMA busy_timeout"), 1234);
  EXPECT_EQ(Int(*db, "PRAGMA application_id"), internal::kApplicationId);
}

TEST_F(SqliteLayerTest, MissingFileIsNoRegisterAndNothingIsCreated) {
  OpenOptions options;
  options.application_id = internal::kApplicationId;
  auto db = Database::Open(path_, options);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kNoRegister);
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(SqliteLayerTest, TextFileIsRefusedAsForeign) {
  std::ofstream(path_) << "name,bsn\nJan,123456782\n";
  OpenOptions options;
  options.application_id = internal::kApplicationId;
  options.initialize = true;  // even when allowed to initialise an empty file
  auto db = Database::Open(path_, options);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(db.status().message().find("not a presentie register"), std::string::npos)
      << db.status().message();
}

TEST_F(SqliteLayerTest, TypedBindAndColumnRoundTrip) {
  auto db = Fresh();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER, s TEXT, n TEXT, b INTEGER)").ok());
  {
    auto insert = db->Prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
    ASSERT_TRUE(insert.ok());
    const std::string kept = "kept by reference";
    insert->BindInt(1, int64_t{1} << 40);
    insert->BindTextRef(2, kept);
    insert->BindOptionalText(3, std::nullopt);
    insert->BindBool(4, true);
    ASSERT_TRUE(insert->Run().ok());
  }
  auto select = db->Prepare("SELECT i, s, n, b FROM t");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnInt(0), int64_t{1} << 40);
  EXPECT_EQ(select->ColumnText(1), "kept by reference");
  EXPECT_TRUE(select->ColumnIsNull(2));
  EXPECT_EQ(select->ColumnOptionalText(2), std::nullopt);
  EXPECT_TRUE(select->ColumnBool(3));
  EXPECT_FALSE(*select->Step());
}

TEST_F(SqliteLayerTest, BindErrorIsReturnedByStep) {
  auto db = Fresh();
  ASSERT_NE(db, nullptr);
  auto stmt = db->Prepare("SELECT ?1");
  ASSERT_TRUE(stmt.ok());
  stmt->BindInt(5, 1);  // no such parameter
  auto row = stmt->Step();
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.status().code(), StatusCode::kInternal);
}

TEST_F(SqliteLayerTest, CachedStatementIsPreparedOnceAndResetByItsGuard) {
  auto db = Fresh();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)").ok());
  constexpr std::string_view kSql = "SELECT x FROM t WHERE x >= ?1 ORDER BY x";
  const void* first_address = nullptr;
  {
    auto stmt = db->Cached(kSql);
    ASSERT_TRUE(stmt.ok());
    first_address = &**stmt;
    (*stmt)->BindInt(1, 2);
    ASSERT_TRUE(*(*stmt)->Step());
    EXPECT_EQ((*stmt)->ColumnInt(0), 2);
    // Left mid-iteration on purpose: the guard must reset it.
  }
  auto again = db->Cached(kSql);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(&**again, first_address);
  // Bindings were cleared: ?1 is NULL, and x >= NULL matches nothing.
  auto row = (*again)->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
}

TEST_F(SqliteLayerTest, TransactionRollsBackUnlessCommitted) {
  auto db = Fresh();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER)").ok());
  {
    auto txn = Transaction::Begin(*db);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
    EXPECT_FALSE(db->Autocommit());
  }
  EXPECT_TRUE(db->Autocommit());
  EXPECT_EQ(Int(*db, "SELECT count(*) FROM t"), 0);
  {
    auto txn = Transaction::Begin(*db);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(Int(*db, "SELECT count(*) FROM t"), 1);
}

TEST_F(SqliteLayerTest, SecondWriterGetsBusyAfterTheTimeout) {
  auto db = Fresh();
  ASSERT_NE(db, nullptr);
  OpenOptions options;
  options.application_id = internal::kApplicationId;
  options.busy_timeout_ms = 50;
  auto other = Database::Open(path_, options);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  auto holder = Transaction::Begin(*db);
  ASSERT_TRUE(holder.ok());
  auto waiter = Transaction::Begin(**other);
  ASSERT_FALSE(waiter.ok());
  EXPECT_EQ(waiter.status().code(), StatusCode::kBusy);
  EXPECT_NE(waiter.status().message().find("[sqlite 5]"), std::string::npos)
      << waiter.status().message();
}

TEST_F(SqliteLayerTest, ConstraintErrorKeepsSqliteCodeAndMessage) {
  auto db = Fresh();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)").ok());
  auto insert = db->Prepare("INSERT INTO t VALUES (1)");
  ASSERT_TRUE(insert.ok());
  Status s = insert->Run();
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(s.message().find("UNIQUE constraint failed: t.x"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("[sqlite 1555]"), std::string::npos) << s.message();
}

// Appends `transactions` commits of `pages` rows of about a page each.
void WritePages(Database& db, int transactions, int pages) {
  for (int t = 0; t < transactions; ++t) {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_TRUE(db.Exec("INSERT INTO big (b) SELECT randomblob(3500) FROM "
                        "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                        "WHERE i < " + std::to_string(pages) + ") SELECT i FROM n)")
                    .ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
}

int64_t FileSize(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

// database.cc, "Checkpoints": a commit that takes the WAL past 1,000 pages
// has them copied into the database file by the connection's checkpointer
// thread while the writer goes on; below 8,000 pages the writer never
// checkpoints itself, so a growing database file shows the thread at work.
TEST_F(SqliteLayerTest, TheWalIsCheckpointedBesideTheWriter) {
  auto db = Fresh();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE big (b BLOB NOT NULL)").ok());
  const int64_t before = FileSize(path_);
  WritePages(*db, 15, 100);  // about 1,500 WAL frames
  ASSERT_GT(FileSize(path_ + "-wal"), 1000 * 4096);
  ASSERT_LT(FileSize(path_ + "-wal"), 8000 * 4096);
  for (int i = 0; i < 200 && db->CheckpointsBeside() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GT(db->CheckpointsBeside(), 0);
  EXPECT_GE(FileSize(path_), before + 1000 * 4096) << "no page was copied into the file";
  EXPECT_EQ(Int(*db, "SELECT count(*) FROM big"), 1500);
}

// database.cc, "Checkpoints": small commits (a recorded lesson is about 14
// pages) that take the WAL past 1,000 pages checkpoint it themselves, as
// SQLite would, and the WAL starts over; a checkpoint beside them kept it
// growing and cost each lesson a sync more.
TEST_F(SqliteLayerTest, SmallCommitsCheckpointTheWalThemselves) {
  auto db = Fresh();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE big (b BLOB NOT NULL)").ok());
  const int64_t before = FileSize(path_);
  WritePages(*db, 130, 10);  // about 1,300 WAL frames, 10 to a commit
  EXPECT_EQ(db->CheckpointsBeside(), 0);
  // The checkpoint near 1,000 frames copied the 900-odd rows written by then.
  EXPECT_GE(FileSize(path_), before + 800 * 4096) << "no page was copied into the file";
  EXPECT_LT(FileSize(path_ + "-wal"), 1100 * (4096 + 24)) << "the WAL did not start over";
  EXPECT_EQ(Int(*db, "SELECT count(*) FROM big"), 1300);
}

// A writer that keeps committing still sees its WAL start over: it is
// bounded near 8,000 pages, not by what was written (here 12,000 pages), and
// every row reads back from a new connection.
TEST_F(SqliteLayerTest, TheWalStaysBoundedUnderAWriterThatKeepsCommitting) {
  {
    auto db = Fresh();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Exec("CREATE TABLE big (b BLOB NOT NULL)").ok());
    int64_t largest = 0;
    for (int round = 0; round < 40; ++round) {
      WritePages(*db, 3, 100);
      largest = std::max(largest, FileSize(path_ + "-wal"));
    }
    EXPECT_LT(largest, (8000 + 2 * 300) * (4096 + 24)) << "the WAL grew with what was written";
  }
  OpenOptions options;
  options.application_id = internal::kApplicationId;
  auto reopened = Database::Open(path_, options);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(Int(**reopened, "SELECT count(*) FROM big"), 12000);
  auto check = (*reopened)->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  ASSERT_TRUE(*check->Step());
  EXPECT_EQ(check->ColumnText(0), "ok");
}

}  // namespace sqlite_layer_test
}  // namespace presentie::storage::sqlite
