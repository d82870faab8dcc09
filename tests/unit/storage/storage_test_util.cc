#include "storage_test_util.h"

#include <unistd.h>

#include <cstdlib>

#include "storage/internal/schema.h"
#include "storage/internal/seal.h"
#include "storage/versioned.h"

namespace presentie::storage::testing {

void StorageTest::SetUp() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "presentie-storage-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  dir_ = pattern;
  path_ = PathOf("register.db");
}

void StorageTest::TearDown() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

StoreOptions StorageTest::Options() {
  StoreOptions options;
  options.clock_ms = [this] { return now_ms_; };
  return options;
}

std::unique_ptr<Store> StorageTest::CreateRegister(Role role) {
  InitOptions init;
  init.school_name = "Taalschool De Brug";
  init.brin = "25AB";
  init.role = role;
  auto store = Store::Create(path_, init, Options());
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

std::unique_ptr<Store> StorageTest::CreateRegisterAt(const std::string& name, Role role) {
  auto store = Store::Create(PathOf(name), InitOptions{"Taalschool De Brug", "25AB", role},
                             Options());
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

std::unique_ptr<Store> StorageTest::Reopen() {
  auto store = Store::Open(path_, Options());
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

std::string ValidBsn(int n) {
  for (int base = 10'000'000 + n * 13;; ++base) {
    const std::string digits = std::to_string(base);  // 8 digits
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += (9 - i) * (digits[static_cast<size_t>(i)] - '0');
    const int check = sum % 11;
    if (check <= 9) return digits + static_cast<char>('0' + check);
  }
}

Learner SampleLearner(const std::string& id, int n) {
  Learner l;
  l.id = id;
  l.bsn = ValidBsn(n);
  l.name = "Learner " + id;
  l.category = Category::kFamilyMigrant;
  l.regime = Regime::kWi2021;
  l.route = Route::kB1;
  l.level = Level::kB1;
  l.literacy = Literacy::kNvt;
  l.estimated_hours = 600;
  l.lessons_per_week = 3;
  return l;
}

Course SampleCourse(const std::string& id, Component component) {
  Course c;
  c.id = id;
  c.name = "Course " + id;
  c.component = component;
  c.regime = Regime::kWi2021;
  c.route = Route::kB1;
  c.start_date = Date{2026, 9, 1};
  c.end_date = Date{2027, 6, 30};
  c.hours_purchased = 400;
  return c;
}

Lesson SampleLesson(const std::string& id, const std::string& course_id, int day,
                    int duration_minutes) {
  Lesson l;
  l.id = id;
  l.course_id = course_id;
  l.start = DateTime{Date{2026 + day / 336, 1 + (day / 28) % 12, 1 + day % 28}, 9, 0};
  l.duration_minutes = duration_minutes;
  l.teacher = "T. Jansen";
  return l;
}

Attendance Present(const std::string& lesson_id, const std::string& learner_id,
                   int duration_minutes) {
  Attendance a;
  a.lesson_id = lesson_id;
  a.learner_id = learner_id;
  a.status = AttendanceStatus::kPresent;
  a.minutes_present = duration_minutes;
  return a;
}

Attendance Absent(const std::string& lesson_id, const std::string& learner_id,
                  AbsenceReason reason) {
  Attendance a;
  a.lesson_id = lesson_id;
  a.learner_id = learner_id;
  a.status = AttendanceStatus::kAbsent;
  a.minutes_present = 0;
  a.reason = reason;
  a.note = "said so on the phone";
  return a;
}

exports::DuoHours SampleDuoHours(const std::string& learner_id, int n, int64_t hours) {
  exports::DuoHours h;
  h.learner_id = learner_id;
  h.course_id = "C1";
  h.as_of = Date{2026, 11, 30};
  h.id = exports::DuoHoursId(h.learner_id, h.course_id, h.as_of);
  h.bsn = ValidBsn(n);
  h.type = exports::DuoCourseType::kIntegration;
  h.start = Date{2026, 9, 1};
  h.end = Date{2027, 6, 30};
  h.hours_purchased = 400;
  h.hours_attended = hours;
  return h;
}

exports::GemeenteHours SampleGemeenteHours(const std::string& learner_id, int n,
                                           const std::string& code, int64_t hours) {
  exports::GemeenteHours h;
  h.learner_id = learner_id;
  h.gemeente_code = code;
  h.peildatum = Date{2026, 11, 30};
  h.id = exports::GemeenteHoursId(code, learner_id, h.peildatum);
  h.bsn = ValidBsn(n);
  h.attended_hours = hours;
  h.unclassified_hours = 3;
  h.notified_hours = 3;
  return h;
}

void Populate(Store& store, int learners, int lessons) {
  std::vector<Learner> batch;
  std::vector<std::string> ids;
  for (int i = 1; i <= learners; ++i) {
    batch.push_back(SampleLearner("S" + std::to_string(i), i));
    ids.push_back("S" + std::to_string(i));
  }
  ASSERT_TRUE(store.AddLearners(Admin(), batch, "learner.import").ok());
  ASSERT_TRUE(store.AddCourse(Admin(), SampleCourse("C1")).ok());
  ASSERT_TRUE(store.Enroll(Admin(), "C1", ids).ok());
  for (int i = 1; i <= lessons; ++i) {
    ASSERT_TRUE(store.AddLesson(Admin(), SampleLesson("L" + std::to_string(i), "C1", i)).ok());
  }
}

std::unique_ptr<sqlite::Database> RawConnection(const std::string& path) {
  sqlite::OpenOptions options;
  options.application_id = internal::kApplicationId;
  auto db = sqlite::Database::Open(path, options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

void InstallKeyOf(sqlite::Database& db, const std::string& register_path) {
  auto key = internal::LoadKey(internal::ResolveKeySource(register_path, KeyLocation{}), true);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  Status s = internal::InstallSealing(db, internal::Sealer(*key));
  ASSERT_TRUE(s.ok()) << s.ToString();
}

std::unique_ptr<sqlite::Database> SealedConnection(const std::string& path,
                                                   const std::string& register_path) {
  auto db = RawConnection(path);
  if (db != nullptr) InstallKeyOf(*db, register_path);
  return db;
}

void TakeOffSealing(const std::string& path) {
  auto db = SealedConnection(path, path);
  ASSERT_NE(db, nullptr);
  std::string sql = "BEGIN;";
  for (const internal::SealedColumn& c : internal::SealedColumns()) {
    const std::string column(c.column);
    const std::string opened = c.table == "versions"
                                   ? "open_body(body)"  // plain when it holds nothing personal
                                   : "unseal(" + column + ", '" + std::string(c.field) + "')";
    sql += "UPDATE " + std::string(c.table) + " SET " + column + " = " + opened + ";";
  }
  sql +=
      "DROP INDEX learner_bsn_hash; ALTER TABLE learner DROP COLUMN bsn_hash;"
      "CREATE INDEX learner_bsn ON learner (bsn);"
      "DELETE FROM meta WHERE key IN ('key_check', 'key_generation');"
      "PRAGMA user_version = 9;"
      "COMMIT;";
  Status s = db->Exec(sql);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

void RawExec(const std::string& path, const std::string& sql) {
  auto db = RawConnection(path);
  ASSERT_NE(db, nullptr);
  Status s = db->Exec(sql);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

int64_t RawInt(const std::string& path, const std::string& sql) {
  auto db = RawConnection(path);
  if (db == nullptr) return -1;
  auto stmt = db->Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  if (!stmt.ok()) return -1;
  auto row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return row.ok() && *row ? stmt->ColumnInt(0) : -1;
}

std::string RawText(const std::string& path, const std::string& sql) {
  auto db = RawConnection(path);
  if (db == nullptr) return "";
  auto stmt = db->Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  if (!stmt.ok()) return "";
  auto row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return row.ok() && *row ? stmt->ColumnString(0) : "";
}

Actor Admin() { return Actor{Role::kAdmin, "admin1"}; }
Actor Teacher() { return Actor{Role::kTeacher, "tjansen"}; }

Result<std::vector<VersionedRecord>> VersionsAfter(Store& store, int64_t after_seq) {
  std::vector<VersionedRecord> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(std::vector<Change> page, store.ChangesAfter(after_seq, 1000));
    if (page.empty()) return out;
    for (const Change& change : page) {
      PRESENTIE_ASSIGN_OR_RETURN(VersionedRecord v, FromChange(change));
      out.push_back(std::move(v));
    }
    after_seq = page.back().seq;
  }
}

}  // namespace presentie::storage::testing
