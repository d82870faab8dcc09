// Schema versions: from an empty file, from each earlier version with its
// data, and refusal of what this program cannot read.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "storage/internal/audit.h"
#include "storage/internal/schema.h"
#include "storage/versioned.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace migration_test {

using testing::Absent;
using testing::Admin;
using testing::InstallKeyOf;
using testing::Populate;
using testing::Present;
using testing::RawConnection;
using testing::RawExec;
using testing::RawInt;
using testing::RawText;
using testing::SealedConnection;
using testing::StorageTest;
using testing::VersionsAfter;

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
  InstallKeyOf(*db, path_);
  std::vector<int> applied;
  Status s =
      internal::Migrate(*db, internal::kSchemaVersion, [&](const internal::MigrationStep& step) {
        applied.push_back(step.version);
        EXPECT_FALSE(step.name.empty());
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(applied, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}));
  EXPECT_EQ(*db->UserVersion(), internal::kSchemaVersion);
  const std::vector<std::string> schema = Schema(*db);
  for (const char* table :
       {"meta", "versions", "audit", "learner", "course", "enrollment", "lesson", "attendance",
        "remote_cursor", "pending_batch", "idempotency", "remote", "conflict",
        "conflict_resolution", "refused", "duo_hours", "gemeente_hours", "gemeente_absence",
        "gemeente_decision", "duo_absence", "duo_exam_result", "qualification", "bow_planning",
        "bow_qualification", "gemeente_pip", "duo_duty", "contract", "invoice",
        "bridging_diploma", "gemeente_naw"}) {
    EXPECT_TRUE(std::any_of(schema.begin(), schema.end(), [&](const std::string& object) {
      return object.rfind(std::string("table ") + table + ":", 0) == 0;
    })) << table;
  }
  // Step 11: the sibling index holds (kind, record_id), no longer live and vv.
  {
    auto columns =
        db->Prepare("SELECT name FROM pragma_index_info('versions_record') ORDER BY seqno");
    ASSERT_TRUE(columns.ok());
    std::vector<std::string> names;
    while (*columns->Step()) names.push_back(columns->ColumnString(0));
    EXPECT_EQ(names, (std::vector<std::string>{"kind", "record_id"}));
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

// A register of every earlier schema version, with data in it, is migrated
// to the current one without losing or changing anything.
// An attendance's body as programs before schema version 9 wrote it: the
// canonical JSON object (sorted keys, no spaces: nlohmann's dump).
std::string JsonAttendanceBody(const Attendance& a) {
  nlohmann::json j;
  j["id"] = AttendanceId(a.lesson_id, a.learner_id);
  j["lesson_id"] = a.lesson_id;
  j["learner_id"] = a.learner_id;
  j["status"] = std::string(ToString(a.status));
  j["minutes_present"] = a.minutes_present;
  j["mode"] = std::string(ToString(a.mode));
  j["notified_in_advance"] = a.notified_in_advance;
  j["reason"] = std::string(ToString(a.reason));
  j["note"] = a.note;
  j["decision"] = nullptr;
  if (a.decision.has_value()) {
    j["decision"] = {{"decided_by", std::string(ToString(a.decision->decided_by))},
                     {"value", std::string(ToString(a.decision->value))}};
  }
  return j.dump();
}

// Gives the register at `path` the attendance bodies an older program
// wrote (JSON), and re-hashes its audit chain over them as that program
// did, so that the chain verifies as it would have.
void RewriteAttendanceBodiesAsJson(const std::string& path) {
  auto db = SealedConnection(path, path);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("BEGIN").ok());
  {
    auto read = db->Prepare("SELECT seq, kind, record_id, vv, hlc, writer_replica, "
                            "writer_role, writer_user, open_body(body) FROM versions "
                            "WHERE kind = 'attendance'");
    ASSERT_TRUE(read.ok());
    std::vector<std::pair<int64_t, std::string>> bodies;
    while (*read->Step()) {
      Change c;
      c.kind = RecordKind::kAttendance;
      c.record_id = read->ColumnString(2);
      c.body = read->ColumnString(8);
      auto v = FromChange(c);
      ASSERT_TRUE(v.ok()) << v.status().ToString();
      bodies.emplace_back(read->ColumnInt(0), JsonAttendanceBody(std::get<Attendance>(v->record)));
    }
    ASSERT_FALSE(bodies.empty());
    for (const auto& [seq, body] : bodies) {
      auto update = db->Prepare("UPDATE versions SET body = seal(?1, 'body') WHERE seq = ?2");
      ASSERT_TRUE(update.ok());
      update->BindText(1, body);
      update->BindInt(2, seq);
      ASSERT_TRUE(update->Run().ok());
    }
  }
  auto entries = db->Prepare("SELECT seq, at_ms, actor_replica, actor_role, actor_user, action, "
                             "summary, first_change, last_change FROM audit ORDER BY seq");
  ASSERT_TRUE(entries.ok());
  std::string prev(internal::kZeroHash);
  std::vector<internal::StoredEntry> rehashed;
  while (*entries->Step()) {
    internal::StoredEntry e;
    e.seq = entries->ColumnInt(0);
    e.at_ms = entries->ColumnInt(1);
    e.actor_replica = entries->ColumnString(2);
    e.actor_role = entries->ColumnString(3);
    e.actor_user = entries->ColumnString(4);
    e.action = entries->ColumnString(5);
    e.summary = entries->ColumnString(6);
    e.first_change = entries->ColumnInt(7);
    e.last_change = entries->ColumnInt(8);
    internal::ChangeDigest digest;
    auto changes = db->Prepare("SELECT seq, kind, record_id, vv, hlc, writer_replica, "
                               "writer_role, writer_user, open_body(body) FROM versions "
                               "WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq");
    ASSERT_TRUE(changes.ok());
    changes->BindInt(1, e.first_change);
    changes->BindInt(2, e.last_change);
    while (*changes->Step()) {
      digest.Add({changes->ColumnInt(0), changes->ColumnText(1), changes->ColumnText(2),
                  changes->ColumnText(3), changes->ColumnInt(4), changes->ColumnText(5),
                  changes->ColumnText(6), changes->ColumnText(7), changes->ColumnText(8)});
    }
    e.digest = digest.Finish();
    e.prev_hash = prev;
    e.hash = internal::EntryHash(e);
    prev = e.hash;
    rehashed.push_back(e);
  }
  for (const internal::StoredEntry& e : rehashed) {
    auto update =
        db->Prepare("UPDATE audit SET digest = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4");
    ASSERT_TRUE(update.ok());
    update->BindText(1, e.digest);
    update->BindText(2, e.prev_hash);
    update->BindText(3, e.hash);
    update->BindInt(4, e.seq);
    ASSERT_TRUE(update->Run().ok());
  }
  auto head = db->Prepare("UPDATE meta SET value = ?1 WHERE key = 'audit_head_hash'");
  ASSERT_TRUE(head.ok());
  head->BindText(1, prev);
  ASSERT_TRUE(head->Run().ok());
  ASSERT_EQ(db->Changes(), 1);
  ASSERT_TRUE(db->Exec("COMMIT").ok());
}

class MigrationFromVersionTest : public MigrationTest, public ::testing::WithParamInterface<int> {
 protected:
  // Rewrites the (closed) register at path_ as a program of schema `version`
  // left it: a new file taken to `version` by the same steps, with the
  // register's rows copied in — meta, the change log (without the columns
  // later versions added), the audit log, and from version 2 on the typed
  // tables.
  void RewriteAsVersion(int version) {
    const std::string old_path = PathOf("old.db");
    {
      auto db = EmptyFile(old_path);
      ASSERT_NE(db, nullptr);
      InstallKeyOf(*db, path_);  // step 10 seals with the register's own key
      ASSERT_TRUE(internal::Migrate(*db, version).ok());
      // Before version 10 the personal fields were plain: they are copied
      // opened. From it on they are copied sealed as they are (the same key,
      // and a sealed value's associated data is its field's name).
      const bool sealed = version >= 10;
      std::string sql = "ATTACH DATABASE '" + path_ +
                        "' AS cur;"
                        "INSERT INTO meta SELECT key, value FROM cur.meta WHERE key != 'key_check';"
                        "INSERT INTO versions (seq, kind, record_id, vv, hlc, writer_replica, "
                        "  writer_role, writer_user, body, live) "
                        "SELECT seq, kind, record_id, vv, hlc, writer_replica, writer_role, "
                        "  writer_user, " +
                        std::string(sealed ? "body" : "open_body(body)") +
                        ", live FROM cur.versions;"
                        "INSERT INTO audit SELECT * FROM cur.audit;";
      if (version >= 2) {
        constexpr std::string_view kStamp = "vv, hlc, writer_replica, writer_role, writer_user";
        auto copy = [&](std::string_view table, std::string_view columns,
                        std::string_view from = "") {
          if (from.empty()) from = columns;
          sql += "INSERT INTO " + std::string(table) + " (" + std::string(columns) + ", " +
                 std::string(kStamp) + ") SELECT " + std::string(from) + ", " +
                 std::string(kStamp) + " FROM cur." + std::string(table) + ";";
        };
        if (sealed) {
          copy("learner",
               "id, bsn, bsn_hash, name, category, regime, route, level, literacy, "
               "estimated_hours, gemeente_code, lessons_per_week");
        } else {
          copy("learner",
               "id, bsn, name, category, regime, route, level, literacy, estimated_hours, "
               "gemeente_code, lessons_per_week",
               "id, unseal(bsn, 'bsn'), unseal(name, 'name'), category, regime, route, level, "
               "literacy, estimated_hours, gemeente_code, lessons_per_week");
        }
        copy("course", "id, name, component, regime, route, start_date, end_date, hours_purchased");
        copy("enrollment", "course_id, learner_id, active");
        // Teachers' names are sealed from version 12 on.
        copy("lesson", "id, course_id, start, duration_minutes, teacher",
             version >= 12 ? ""
                           : "id, course_id, start, duration_minutes, "
                             "unseal(teacher, 'teacher')");
        const std::string merge_columns =
            version >= 4 ? ", facts_rule, absence_rule, decision_rule, rule_set, conflict" : "";
        copy("attendance",
             "lesson_id, learner_id, status, minutes_present, mode, notified_in_advance, reason, "
             "note, decision, decided_by" +
                 merge_columns,
             "lesson_id, learner_id, status, minutes_present, mode, notified_in_advance, " +
                 std::string(sealed ? "reason, note"
                                    : "unseal(reason, 'reason'), unseal(note, 'note')") +
                 ", decision, decided_by" + merge_columns);
      }
      if (version >= 3) {
        sql +=
            "INSERT INTO remote (name, url, token_file, ca_file, cert_file, key_file) "
            "SELECT name, url, token_file, ca_file, cert_file, key_file FROM cur.remote;";
      }
      sql += "DETACH DATABASE cur;";
      Status s = db->Exec(sql);
      ASSERT_TRUE(s.ok()) << s.ToString();
      ASSERT_EQ(*db->UserVersion(), version);
    }
    for (const char* suffix : {"-wal", "-shm"}) {
      std::filesystem::remove(path_ + suffix);
      ASSERT_FALSE(std::filesystem::exists(old_path + suffix));
    }
    std::filesystem::rename(old_path, path_);
  }
};

TEST_P(MigrationFromVersionTest, PreservesTheDataAndWorksAfterwards) {
  const int version = GetParam();
  std::vector<Learner> learners;
  std::vector<Course> courses;
  std::vector<Lesson> lessons;
  std::vector<Attendance> attendance;
  std::vector<Enrollment> enrollments;
  std::vector<Change> changes;
  std::vector<AuditEntry> audit;
  VersionStamp stamp;
  int64_t last_change = 0;
  const Store::Remote hub{"hub", "https://hub.example.nl", "/t/hub.token", "", "", ""};
  {
    auto store = CreateRegister();
    Populate(*store, 3, 2);
    ASSERT_TRUE(store->PutRemote(hub).ok());
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
  // Up to schema version 8 an attendance's body was JSON, and the typed
  // rows of version 2 are filled from the bodies.
  if (version < 9) RewriteAttendanceBodiesAsJson(path_);
  {
    auto store = Reopen();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->VerifyAudit()->ok());
    changes = *store->ChangesAfter(0, 1000);
    audit = *store->AuditEntries(0, 1000);
  }
  RewriteAsVersion(version);
  EXPECT_EQ(RawInt(path_, "PRAGMA user_version"), version);

  auto store = Reopen();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->info().schema_version, internal::kSchemaVersion);
  EXPECT_EQ(*store->ListLearners(), learners);
  EXPECT_EQ(*store->ListCourses(), courses);
  EXPECT_EQ(*store->ListLessons(std::nullopt), lessons);
  // Step 12: a lesson's teacher is sealed in the file, whatever the version.
  EXPECT_EQ(RawText(path_, "SELECT substr(teacher, 1, 3) FROM lesson WHERE id = 'L1'"), "s1:");
  EXPECT_EQ(*store->ListAttendance("L1"), attendance);
  EXPECT_EQ(*store->ListEnrollments("C1"), enrollments);
  EXPECT_EQ(*store->GetStamp(RecordKind::kAttendance, "L1/S2"), stamp);
  EXPECT_EQ(store->ListAttendance("L1")->at(1).minutes_present, 30);  // the edit, not the first
  EXPECT_EQ(*store->LastChangeSeq(), last_change);
  if (version >= 3) {  // remotes came with schema step 3
    ASSERT_EQ(store->ListRemotes()->size(), 1u);
    EXPECT_EQ(store->ListRemotes()->front().url, hub.url);
    auto status = store->ListRemoteStates();
    ASSERT_TRUE(status.ok()) << status.status().ToString();
    EXPECT_EQ(status->front().replica_id, "");
    EXPECT_FALSE(status->front().last_ok_ms.has_value());
  }
  auto migrated_changes = *store->ChangesAfter(0, 1000);
  ASSERT_EQ(migrated_changes.size(), changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(migrated_changes[i].seq, changes[i].seq);
    EXPECT_EQ(migrated_changes[i].stamp, changes[i].stamp);
    EXPECT_EQ(migrated_changes[i].body, changes[i].body);
    EXPECT_EQ(migrated_changes[i].live, changes[i].live);
    EXPECT_EQ(migrated_changes[i].received_from, "");  // all written here
  }
  EXPECT_EQ(store->AuditEntries(0, 1000)->size(), audit.size());
  auto report = store->VerifyAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front().kind;

  // The migrated register has the same schema as a new one, and works:
  // local writes, and replication from another register.
  auto fresh = Store::Create(PathOf("fresh.db"), {"School", "25AB", Role::kAdmin}, Options());
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(Schema(*RawConnection(path_)), Schema(*RawConnection(PathOf("fresh.db"))));
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L2", "S3")}, "").ok());
  EXPECT_EQ(*store->LastChangeSeq(), last_change + 1);
  const std::vector<VersionedRecord> received = *VersionsAfter(*store, 0);
  auto applied = (*fresh)->ApplyRemote(store->info().replica_id, received, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->accepted, received.size());
  EXPECT_EQ(*(*fresh)->CanonicalDump(), *store->CanonicalDump());
  auto back = store->ApplyRemote((*fresh)->info().replica_id, *VersionsAfter(**fresh, 0), {});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->duplicate, received.size());
  EXPECT_EQ(*store->LastChangeSeq(), last_change + 1);
}

INSTANTIATE_TEST_SUITE_P(EveryEarlierVersion, MigrationFromVersionTest,
                         ::testing::Range(1, internal::kSchemaVersion),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return "FromVersion" + std::to_string(param.param);
                         });

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
  const int newer = internal::kSchemaVersion + 1;
  RawExec(path_, "PRAGMA user_version = " + std::to_string(newer));
  auto store = Store::Open(path_, Options());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("newer"), std::string::npos) << store.status().message();
  EXPECT_EQ(RawInt(path_, "PRAGMA user_version"), newer);
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
    InstallKeyOf(*db, path_);
    ASSERT_TRUE(internal::Migrate(*db).ok());
  }
  auto store = Store::Open(path_, Options());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("incomplete"), std::string::npos);
}

}  // namespace migration_test
}  // namespace presentie::storage
