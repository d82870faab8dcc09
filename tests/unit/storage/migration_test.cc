// Schema versions: from an empty file, from each earlier version with its
// data, and refusal of what this program cannot read.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "storage/internal/schema.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace {

using testing::Absent;
using testing::Admin;
using testing::Populate;
using testing::Present;
using testing::RawConnection;
using testing::RawExec;
using testing::RawInt;
using testing::RawText;
using testing::StorageTest;

class MigrationTest : public StorageTest {
 protected:
  // An empty file and a connection that may initialise it.
  std::unique_ptr<sqlite::Database> EmptyFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    EXPECT_GE(fd, 0);
    ::close(fd);
    sqlite::OpenOptions options;
    options.initialize = true;
    options.application_id = internal::kApplicationId;
    auto db = sqlite::Database::Open(path, options);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  // Every schema object, so that two files can be compared.
  static std::vector<std::string> Schema(sqlite::Database& db) {
    auto stmt = db.Prepare(
        "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema "
        "ORDER BY name");
    EXPECT_TRUE(stmt.ok());
    std::vector<std::string> out;
    while (*stmt->Step()) out.push_back(stmt->ColumnString(0));
    return out;
  }
};

TEST_F(MigrationTest, FromEmptyAppliesEveryStepInOrder) {
  auto db = EmptyFile(path_);
  ASSERT_NE(db, nullptr);
  std::vector<int> applied;
  Status s =
      internal::Migrate(*db, internal::kSchemaVersion, [&](const internal::MigrationStep& step) {
        applied.push_back(step.version);
        EXPECT_FALSE(step.name.empty());
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(applied, (std::vector<int>{1, 2}));
  EXPECT_EQ(*db->UserVersion(), internal::kSchemaVersion);
  const std::vector<std::string> schema = Schema(*db);
  for (const char* table :
       {"meta", "versions", "audit", "learner", "course", "enrollment", "lesson", "attendance"}) {
    EXPECT_TRUE(std::any_of(schema.begin(), schema.end(), [&](const std::string& object) {
      return object.rfind(std::string("table ") + table + ":", 0) == 0;
    })) << table;
  }
  // Migrating a current register again does nothing.
  applied.clear();
  ASSERT_TRUE(
      internal::Migrate(*db, internal::kSchemaVersion, [&](const internal::MigrationStep& step) {
        applied.push_back(step.version);
      }).ok());
  EXPECT_TRUE(applied.empty());
}

TEST_F(MigrationTest, StepsAreNumberedFromOneWithoutGaps) {
  const auto steps = internal::MigrationSteps();
  ASSERT_EQ(static_cast<int>(steps.size()), internal::kSchemaVersion);
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].version, static_cast<int>(i) + 1);
  }
}

TEST_F(MigrationTest, FromVersionOnePreservesTheData) {
  // A register written by this program, taken back to version 1: version 1
  // had the change log and audit log but no typed tables, so dropping them
  // gives exactly what a version-1 program left behind (checked below).
  std::vector<Learner> learners;
  std::vector<Course> courses;
  std::vector<Lesson> lessons;
  std::vector<Attendance> attendance;
  std::vector<Enrollment> enrollments;
  VersionStamp stamp;
  int64_t last_change = 0;
  {
    auto store = CreateRegister();
    Populate(*store, 3, 2);
    ASSERT_TRUE(
        store->RecordAttendance(Admin(), std::vector{Present("L1", "S1"), Absent("L1", "S2")}, "")
            .ok());
    now_ms_ += 1000;
    Attendance edit = Present("L1", "S2");
    edit.status = AttendanceStatus::kPartial;
    edit.minutes_present = 30;
    ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{edit}, "").ok());
    learners = *store->ListLearners();
    courses = *store->ListCourses();
    lessons = *store->ListLessons(std::nullopt);
    attendance = *store->ListAttendance("L1");
    enrollments = *store->ListEnrollments("C1");
    stamp = *store->GetStamp(RecordKind::kAttendance, "L1/S2");
    last_change = *store->LastChangeSeq();
  }
  RawExec(path_,
          "DROP TABLE attendance; DROP TABLE lesson; DROP TABLE enrollment; "
          "DROP TABLE course; DROP TABLE learner; PRAGMA user_version = 1;");
  {
    auto v1 = EmptyFile(PathOf("v1.db"));
    ASSERT_TRUE(internal::Migrate(*v1, 1).ok());
    auto downgraded = RawConnection(path_);
    ASSERT_EQ(Schema(*downgraded), Schema(*v1));
  }

  auto store = Reopen();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->info().schema_version, internal::kSchemaVersion);
  EXPECT_EQ(*store->ListLearners(), learners);
  EXPECT_EQ(*store->ListCourses(), courses);
  EXPECT_EQ(*store->ListLessons(std::nullopt), lessons);
  EXPECT_EQ(*store->ListAttendance("L1"), attendance);
  EXPECT_EQ(*store->ListEnrollments("C1"), enrollments);
  EXPECT_EQ(*store->GetStamp(RecordKind::kAttendance, "L1/S2"), stamp);
  EXPECT_EQ(store->ListAttendance("L1")->at(1).minutes_present, 30);  // the edit, not the first
  EXPECT_EQ(*store->LastChangeSeq(), last_change);
  auto report = store->VerifyAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front().kind;

  // The migrated register has the same schema as a new one, and works.
  auto fresh = Store::Create(PathOf("fresh.db"), {"School", "25AB", Role::kAdmin}, Options());
  ASSERT_TRUE(fresh.ok());
  fresh->reset();
  EXPECT_EQ(Schema(*RawConnection(path_)), Schema(*RawConnection(PathOf("fresh.db"))));
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L2", "S3")}, "").ok());
  EXPECT_EQ(*store->LastChangeSeq(), last_change + 1);
}

TEST_F(MigrationTest, FromVersionOneShowsTheNewestOfConcurrentSiblings) {
  // Version 1 data written by hand: two live siblings of one learner (as
  // sync delivers them) and an older version that both dominate.
  {
    auto db = EmptyFile(path_);
    ASSERT_TRUE(internal::Migrate(*db, 1).ok());
    ASSERT_TRUE(db->Exec(R"sql(
      INSERT INTO meta VALUES ('replica_id', '0123456789abcdef'), ('school_name', 'S'),
        ('brin', '25AB'), ('role', 'admin'), ('created_at_ms', 1), ('last_hlc', 0),
        ('audit_head_seq', 0), ('audit_head_hash', '');
      INSERT INTO versions (kind, record_id, vv, hlc, writer_replica, writer_role, writer_user,
                            body, live) VALUES
        ('learner', 'S1', '0123456789abcdef:1', 100, '0123456789abcdef', 'admin', 'a',
         '{"bsn":"111222333","category":"family_migrant","estimated_hours":0,"gemeente_code":"","id":"S1","lessons_per_week":0,"level":"B1","literacy":"NVT","name":"Old","regime":"wi2021","route":"B"}', 0),
        ('learner', 'S1', '0123456789abcdef:2', 300, '0123456789abcdef', 'admin', 'a',
         '{"bsn":"111222333","category":"family_migrant","estimated_hours":0,"gemeente_code":"","id":"S1","lessons_per_week":0,"level":"B1","literacy":"NVT","name":"Newest","regime":"wi2021","route":"B"}', 1),
        ('learner', 'S1', '0123456789abcdef:1,fedcba9876543210:1', 200, 'fedcba9876543210', 'hub', 'h',
         '{"bsn":"111222333","category":"family_migrant","estimated_hours":0,"gemeente_code":"","id":"S1","lessons_per_week":0,"level":"B1","literacy":"NVT","name":"Older","regime":"wi2021","route":"B"}', 1);
    )sql")
                    .ok());
  }
  auto store = Reopen();
  ASSERT_NE(store, nullptr);
  auto learner = store->GetLearner("S1");
  ASSERT_TRUE(learner.ok()) << learner.status().ToString();
  EXPECT_EQ(learner->name, "Newest");
  auto stamp = store->GetStamp(RecordKind::kLearner, "S1");
  ASSERT_TRUE(stamp.ok());
  EXPECT_EQ(stamp->hlc.Pack(), 300u);
  EXPECT_EQ(stamp->vv.Encode(), "0123456789abcdef:2");
}

TEST_F(MigrationTest, NewerSchemaIsRefusedAndLeftAlone) {
  CreateRegister().reset();
  RawExec(path_, "PRAGMA user_version = 3");
  auto store = Store::Open(path_, Options());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("newer"), std::string::npos) << store.status().message();
  EXPECT_EQ(RawInt(path_, "PRAGMA user_version"), 3);
}

TEST_F(MigrationTest, ForeignFilesAreRefused) {
  // Another application's SQLite database.
  {
    auto db = EmptyFile(PathOf("other.db"));
    ASSERT_TRUE(db->Exec("PRAGMA application_id = 1234; CREATE TABLE t (x)").ok());
  }
  auto other = Store::Open(PathOf("other.db"), Options());
  EXPECT_EQ(other.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(other.status().message().find("not a presentie register"), std::string::npos)
      << other.status().message();

  // A plain SQLite database without an application id.
  {
    int fd = ::open(PathOf("plain.db").c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    ::close(fd);
    sqlite::OpenOptions options;
    options.initialize = true;
    options.application_id = 0;
    auto db = sqlite::Database::Open(PathOf("plain.db"), options);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("CREATE TABLE learner (id TEXT)").ok());
  }
  EXPECT_EQ(Store::Open(PathOf("plain.db"), Options()).status().code(),
            StatusCode::kFailedPrecondition);

  // An empty file and a text file.
  { std::ofstream(PathOf("empty.db")); }
  EXPECT_EQ(Store::Open(PathOf("empty.db"), Options()).status().code(),
            StatusCode::kFailedPrecondition);
  std::ofstream(PathOf("learners.csv")) << "id,bsn\nS1,111222333\n";
  EXPECT_EQ(Store::Open(PathOf("learners.csv"), Options()).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::filesystem::file_size(PathOf("empty.db")), 0u);
}

TEST_F(MigrationTest, InterruptedCreateIsReportedNotMistakenForARegister) {
  // The schema is there but the register's identity was never written.
  {
    auto db = EmptyFile(path_);
    ASSERT_TRUE(internal::Migrate(*db).ok());
  }
  auto store = Store::Open(path_, Options());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("incomplete"), std::string::npos);
}

}  // namespace
}  // namespace presentie::storage
