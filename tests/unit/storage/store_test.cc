// The store's contract (storage/store.h): files, writes, reads, the change
// log, versions and the clock.
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "storage/internal/schema.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace store_test {

using testing::Absent;
using testing::Admin;
using testing::Populate;
using testing::Present;
using testing::RawInt;
using testing::RawText;
using testing::SampleCourse;
using testing::SampleLearner;
using testing::SampleLesson;
using testing::StorageTest;
using testing::Teacher;
using testing::ValidBsn;

using StoreTest = StorageTest;

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// What must not change when a write is refused.
struct Snapshot {
  int64_t learners, courses, enrollments, lessons, attendance, versions, audit;
  int64_t last_change;
  std::string head_hash;
  int64_t head_seq;
  bool operator==(const Snapshot&) const = default;
};

Snapshot Take(Store& store, const std::string& path) {
  Snapshot s{};
  s.learners = RawInt(path, "SELECT count(*) FROM learner");
  s.courses = RawInt(path, "SELECT count(*) FROM course");
  s.enrollments = RawInt(path, "SELECT count(*) FROM enrollment");
  s.lessons = RawInt(path, "SELECT count(*) FROM lesson");
  s.attendance = RawInt(path, "SELECT count(*) FROM attendance");
  s.versions = RawInt(path, "SELECT count(*) FROM versions");
  s.audit = RawInt(path, "SELECT count(*) FROM audit");
  s.last_change = store.LastChangeSeq().value();
  s.head_hash = RawText(path, "SELECT value FROM meta WHERE key = 'audit_head_hash'");
  s.head_seq = RawInt(path, "SELECT value FROM meta WHERE key = 'audit_head_seq'");
  return s;
}

TEST_F(StoreTest, CreateMakesARegisterWithARandomReplicaId) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  const RegisterInfo info = store->info();
  EXPECT_TRUE(ValidateReplicaId(info.replica_id).ok()) << info.replica_id;
  EXPECT_EQ(info.school_name, "Taalschool De Brug");
  EXPECT_EQ(info.brin, "25AB");
  EXPECT_EQ(info.role, Role::kAdmin);
  EXPECT_EQ(info.schema_version, internal::kSchemaVersion);
  EXPECT_EQ(info.created_at_ms, now_ms_);

  auto other = Store::Create(PathOf("other.db"), {"School", "25AB", Role::kTeacher}, Options());
  ASSERT_TRUE(other.ok());
  EXPECT_NE((*other)->info().replica_id, info.replica_id);

  store.reset();
  auto reopened = Reopen();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->info().replica_id, info.replica_id);
  EXPECT_EQ(reopened->info().created_at_ms, info.created_at_ms);
}

TEST_F(StoreTest, CreateRefusesAnExistingFileAndBadInput) {
  ASSERT_NE(CreateRegister(), nullptr);
  auto again = Store::Create(path_, {"School", "25AB", Role::kAdmin}, Options());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);

  auto bad_brin = Store::Create(PathOf("b.db"), {"School", "25ab", Role::kAdmin}, Options());
  EXPECT_EQ(bad_brin.status().code(), StatusCode::kInvalidArgument);
  // Blik op Werk's endpoint is no school either: no BRIN needed.
  auto bow = Store::Create(PathOf("bow.db"), {"Blik op Werk", "", Role::kBow}, Options());
  EXPECT_TRUE(bow.ok()) << bow.status().ToString();
  // DUO's endpoint is no school: no BRIN; a school's register needs one.
  auto duo = Store::Create(PathOf("duo.db"), {"DUO", "", Role::kDuo}, Options());
  EXPECT_TRUE(duo.ok()) << duo.status().ToString();
  auto no_brin = Store::Create(PathOf("e.db"), {"School", "", Role::kAdmin}, Options());
  EXPECT_EQ(no_brin.status().code(), StatusCode::kInvalidArgument);
  auto no_folder = Store::Create(PathOf("missing/d.db"), {"School", "25AB"}, Options());
  EXPECT_FALSE(no_folder.ok());
  EXPECT_FALSE(std::filesystem::exists(PathOf("b.db")));
  EXPECT_FALSE(std::filesystem::exists(PathOf("e.db")));
}

TEST_F(StoreTest, OpenOfAMissingFileIsNoRegister) {
  auto store = Store::Open(path_, Options());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kNoRegister);
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(StoreTest, FilesAreCreatedWithMode0600EvenUnderAPermissiveUmask) {
  const mode_t old = ::umask(0);  // would give SQLite's default 0644 as is
  auto store = CreateRegister();
  ::umask(old);
  ASSERT_NE(store, nullptr);
  Populate(*store, 2, 1);
  // The store is open, so the WAL and shared-memory files exist.
  ASSERT_TRUE(std::filesystem::exists(path_ + "-wal"));
  ASSERT_TRUE(std::filesystem::exists(path_ + "-shm"));
  EXPECT_EQ(ModeOf(path_), 0600);
  EXPECT_EQ(ModeOf(path_ + "-wal"), 0600);
  EXPECT_EQ(ModeOf(path_ + "-shm"), 0600);
}

TEST_F(StoreTest, LearnersRoundTrip) {
  auto store = CreateRegister();
  Learner a = SampleLearner("S1", 1);
  Learner b = SampleLearner("S2", 2);
  b.category = Category::kAsylumPermitHolder;
  b.route = Route::kZ;
  b.level = Level::kA2;
  b.literacy = Literacy::kAA;
  b.gemeente_code = "0363";
  b.name = "Zoë Çelik";
  ASSERT_TRUE(store->AddLearners(Admin(), std::vector{b, a}, "learner.import").ok());
  auto got = store->GetLearner("S2");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, b);
  auto all = store->ListLearners();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], a);
  EXPECT_EQ((*all)[1], b);
  EXPECT_EQ(store->GetLearner("S9").status().code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, InvalidBsnNamesTheLearnerAndWritesNothing) {
  auto store = CreateRegister();
  Learner bad = SampleLearner("S12", 12);
  bad.bsn = "123456789";  // fails the elfproef
  const Snapshot before = Take(*store, path_);
  Status s = store->AddLearners(Admin(), std::vector{SampleLearner("S1", 1), bad}, "learner.add");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("learner 'S12'"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("123456789"), std::string::npos) << s.message();
  EXPECT_EQ(Take(*store, path_), before);
}

TEST_F(StoreTest, KnownIdOrBsnIsAlreadyExistsWithoutTheBsnInTheMessage) {
  auto store = CreateRegister();
  ASSERT_TRUE(store->AddLearners(Admin(), std::vector{SampleLearner("S1", 1)}, "").ok());
  const Snapshot before = Take(*store, path_);

  Status same_id = store->AddLearners(Admin(), std::vector{SampleLearner("S1", 2)}, "");
  EXPECT_EQ(same_id.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(same_id.message().find("'S1'"), std::string::npos) << same_id.message();

  Learner twin = SampleLearner("S2", 1);  // another id, the same BSN
  Status same_bsn = store->AddLearners(Admin(), std::vector{twin}, "");
  EXPECT_EQ(same_bsn.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(same_bsn.message().find("'S2'"), std::string::npos) << same_bsn.message();
  EXPECT_EQ(same_bsn.message().find(ValidBsn(1)), std::string::npos) << same_bsn.message();

  Status twice_in_batch =
      store->AddLearners(Admin(), std::vector{SampleLearner("S3", 3), SampleLearner("S4", 3)}, "");
  EXPECT_EQ(twice_in_batch.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(twice_in_batch.message().find(ValidBsn(3)), std::string::npos);
  EXPECT_EQ(Take(*store, path_), before);
}

// AddLearners fed record by record (Store::BeginLearners, for learner
// import): a refused learner leaves the write usable, a learner listed
// twice (by id or by BSN) is kAlreadyExists, nothing is written without
// Commit, and the audit summary is AddLearners's (the first ten ids).
TEST_F(StoreTest, AStreamedLearnerWriteIsAllOrNothingWithAddLearnersSummary) {
  auto store = CreateRegister();
  const Snapshot before = Take(*store, path_);
  {
    auto write = store->BeginLearners(Admin(), "learner.import");
    ASSERT_TRUE(write.ok()) << write.status().ToString();
    ASSERT_TRUE((*write)->Add(SampleLearner("S1", 1)).ok());
    Learner bad = SampleLearner("S2", 2);
    bad.bsn = "123456789";
    EXPECT_EQ((*write)->Add(bad).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ((*write)->Add(SampleLearner("S1", 3)).code(), StatusCode::kAlreadyExists);
    EXPECT_EQ((*write)->Add(SampleLearner("S4", 1)).code(), StatusCode::kAlreadyExists);
    ASSERT_TRUE((*write)->Add(SampleLearner("S5", 5)).ok());
  }  // not committed
  EXPECT_EQ(Take(*store, path_), before);

  auto write = store->BeginLearners(Admin(), "learner.import");
  ASSERT_TRUE(write.ok());
  for (int i = 1; i <= 12; ++i) {
    ASSERT_TRUE((*write)->Add(SampleLearner("S" + std::to_string(i), i)).ok()) << i;
  }
  ASSERT_TRUE((*write)->Commit().ok());
  write->reset();
  EXPECT_EQ(store->ListLearners()->size(), 12u);
  auto log = store->AuditEntries(0, 100);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().action, "learner.import");
  EXPECT_EQ(log->back().summary,
            "12 learners added: S1, S2, S3, S4, S5, S6, S7, S8, S9, S10 and 2 more");
  EXPECT_TRUE(store->VerifyAudit()->ok());
  EXPECT_EQ(store->BeginLearners(Teacher(), "").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(StoreTest, CoursesLessonsAndEnrolments) {
  auto store = CreateRegister();
  Populate(*store, 3, 2);
  Course wi2013 = SampleCourse("C2", Component::kKnm);
  wi2013.regime = Regime::kWi2013;
  wi2013.route = Route::kNone;
  wi2013.start_date.reset();
  wi2013.end_date.reset();
  ASSERT_TRUE(store->AddCourse(Admin(), wi2013).ok());
  EXPECT_EQ(*store->GetCourse("C2"), wi2013);
  EXPECT_EQ(store->AddCourse(Admin(), wi2013).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store->ListCourses()->size(), 2u);

  // Lessons come back ordered by start, not by id or insertion.
  ASSERT_TRUE(store->AddLesson(Admin(), SampleLesson("A0", "C1", 0)).ok());
  auto lessons = store->ListLessons("C1");
  ASSERT_TRUE(lessons.ok());
  ASSERT_EQ(lessons->size(), 3u);
  EXPECT_EQ((*lessons)[0].id, "A0");
  EXPECT_EQ((*lessons)[1].id, "L1");
  EXPECT_EQ(*store->GetLesson("L2"), SampleLesson("L2", "C1", 2));
  EXPECT_EQ(store->ListLessons("C2")->size(), 0u);
  EXPECT_EQ(store->ListLessons("C9").status().code(), StatusCode::kNotFound);

  Status orphan = store->AddLesson(Admin(), SampleLesson("X1", "C9", 1));
  EXPECT_EQ(orphan.code(), StatusCode::kNotFound);
  EXPECT_NE(orphan.message().find("course 'C9'"), std::string::npos);

  // Enrolling again leaves the enrolled as they are and adds the new one.
  const int64_t before = *store->LastChangeSeq();
  ASSERT_TRUE(store->AddLearners(Admin(), std::vector{SampleLearner("S9", 9)}, "").ok());
  ASSERT_TRUE(store->Enroll(Admin(), "C1", std::vector<std::string>{"S1", "S9", "S9"}).ok());
  EXPECT_EQ(*store->LastChangeSeq(), before + 2);  // the learner and one enrolment
  auto roster = store->ListEnrollments("C1");
  ASSERT_TRUE(roster.ok());
  ASSERT_EQ(roster->size(), 4u);
  EXPECT_EQ((*roster)[3], (Enrollment{"C1/S9", "C1", "S9", true}));
  Status unknown = store->Enroll(Admin(), "C1", std::vector<std::string>{"S1", "NOPE"});
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.message().find("'NOPE'"), std::string::npos);
}

TEST_F(StoreTest, RecordAttendanceSetsIdsAndReadsBack) {
  auto store = CreateRegister(Role::kTeacher);
  Populate(*store, 3, 1);
  Attendance partial = Present("L1", "S3");
  partial.status = AttendanceStatus::kPartial;
  partial.minutes_present = 45;
  partial.mode = Mode::kRemote;
  ASSERT_TRUE(store
                  ->RecordAttendance(Teacher(),
                                     std::vector{Present("L1", "S1"), Absent("L1", "S2"), partial},
                                     "attend.record")
                  .ok());
  auto rows = store->ListAttendance("L1");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  Attendance expected = Absent("L1", "S2");
  expected.id = AttendanceId("L1", "S2");
  EXPECT_EQ((*rows)[1], expected);
  EXPECT_EQ((*rows)[2].id, "L1/S3");
  EXPECT_EQ((*rows)[2].minutes_present, 45);
  EXPECT_EQ((*rows)[2].mode, Mode::kRemote);
  EXPECT_EQ(store->ListAttendance("L9").status().code(), StatusCode::kNotFound);

  auto stamp = store->GetStamp(RecordKind::kAttendance, "L1/S2");
  ASSERT_TRUE(stamp.ok());
  EXPECT_EQ(stamp->writer, (Writer{store->info().replica_id, Role::kTeacher, "tjansen"}));
  EXPECT_EQ(stamp->vv.Get(store->info().replica_id), 1u);
  EXPECT_EQ(store->GetStamp(RecordKind::kAttendance, "L1/S9").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store->GetStamp(RecordKind::kLearner, "S1")->writer.role, Role::kAdmin);
}

TEST_F(StoreTest, UnknownLearnerOrLessonIsNotFoundAndWritesNothing) {
  auto store = CreateRegister();
  Populate(*store, 2, 1);
  const Snapshot before = Take(*store, path_);
  Status s = store->RecordAttendance(Admin(), std::vector{Present("L1", "S1"), Present("L1", "X")},
                                     "attend.record");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "attendance row for learner 'X': learner does not exist");
  Status lesson = store->RecordAttendance(Admin(), std::vector{Present("L7", "S1")}, "");
  EXPECT_EQ(lesson.code(), StatusCode::kNotFound);
  EXPECT_NE(lesson.message().find("lesson 'L7'"), std::string::npos);
  EXPECT_EQ(Take(*store, path_), before);
}

TEST_F(StoreTest, BatchWithOneBadRecordLeavesTheRegisterUnchanged) {
  auto store = CreateRegister();
  Populate(*store, 5, 2);
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  const Snapshot before = Take(*store, path_);
  const auto stamp_before = store->GetStamp(RecordKind::kAttendance, "L1/S1").value();

  std::vector<Attendance> batch;
  for (int i = 1; i <= 5; ++i) batch.push_back(Absent("L1", "S" + std::to_string(i)));
  batch.push_back(Present("L2", "S1"));
  Attendance bad = Present("L2", "S2");
  bad.minutes_present = 500;  // longer than the lesson
  batch.push_back(bad);
  Status s = store->RecordAttendance(Admin(), batch, "attend.import");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("L2/S2"), std::string::npos) << s.message();

  EXPECT_EQ(Take(*store, path_), before);
  EXPECT_EQ(store->GetStamp(RecordKind::kAttendance, "L1/S1").value(), stamp_before);
  EXPECT_EQ(store->ListAttendance("L1")->at(0).status, AttendanceStatus::kPresent);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions WHERE live = 0"), 0);
  // The same batch without the bad record goes through.
  batch.pop_back();
  ASSERT_TRUE(store->RecordAttendance(Admin(), batch, "attend.import").ok());
  EXPECT_EQ(*store->LastChangeSeq(), before.last_change + 6);
}

// A write fed record by record (Store::BeginAttendance, register.h): a bad
// record is refused alone and the write goes on; a record listed twice is
// found even after its lesson's state was dropped (more lessons than a write
// keeps); uncommitted, nothing is written; committed, one audit entry.
TEST_F(StoreTest, AStreamedAttendanceWriteIsAllOrNothingAndFindsRepeats) {
  auto store = CreateRegister();
  Populate(*store, 3, 0);
  constexpr int kLessons = 1100;  // more than the lessons a write keeps (1,024)
  {
    auto lessons = store->BeginLessons(Admin(), "lesson.import");
    ASSERT_TRUE(lessons.ok()) << lessons.status().ToString();
    for (int i = 1; i <= kLessons; ++i) {
      ASSERT_TRUE((*lessons)->Add(SampleLesson("L" + std::to_string(i), "C1", 1 + i % 28)).ok());
    }
    Status twice = (*lessons)->Add(SampleLesson("L1", "C1", 2));
    EXPECT_EQ(twice.code(), StatusCode::kAlreadyExists) << twice.ToString();
    Status unknown = (*lessons)->Add(SampleLesson("X1", "C9", 2));
    EXPECT_EQ(unknown.code(), StatusCode::kNotFound) << unknown.ToString();
    ASSERT_TRUE((*lessons)->Commit().ok());
  }
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM lesson"), kLessons);
  const Snapshot before = Take(*store, path_);

  auto write_all = [&](AttendanceWrite& write) {
    for (int i = 1; i <= kLessons; ++i) {
      for (const char* learner : {"S1", "S2", "S3"}) {
        ASSERT_TRUE(write.Add(Present("L" + std::to_string(i), learner)).ok()) << i;
      }
    }
  };
  {
    auto write = store->BeginAttendance(Admin(), "attend.import");
    ASSERT_TRUE(write.ok()) << write.status().ToString();
    write_all(**write);
    // L1's state was dropped long ago; its records are this write's still.
    Status twice = (*write)->Add(Absent("L1", "S2"));
    EXPECT_EQ(twice.code(), StatusCode::kAlreadyExists) << twice.ToString();
    EXPECT_NE(twice.message().find("listed twice"), std::string::npos) << twice.message();
    Status unknown = (*write)->Add(Present("L1", "S9"));
    EXPECT_EQ(unknown.code(), StatusCode::kNotFound) << unknown.ToString();
    EXPECT_TRUE(AttendanceWrite::AboutTheRecord(twice) && AttendanceWrite::AboutTheRecord(unknown));
    // Not committed: rolled back.
  }
  EXPECT_EQ(Take(*store, path_), before);

  auto write = store->BeginAttendance(Admin(), "attend.import");
  ASSERT_TRUE(write.ok());
  write_all(**write);
  ASSERT_TRUE((*write)->Commit().ok());
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM attendance"), 3 * kLessons);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM audit"), before.audit + 1);
  auto audit = store->AuditEntries(0, 1000).value();
  EXPECT_EQ(audit.back().action, "attend.import");
  EXPECT_EQ(audit.back().summary,
            "1100 lessons: 3300 records (3300 present, 0 absent, 0 partial; 0 edits)");
  EXPECT_TRUE(store->VerifyAudit()->ok());
}

// A write of many attendance records puts its new ones in the register
// kRowsPerStatement at a time (sqlite_store.cc): the change log, the typed
// rows and the audit chain are as if they were written one by one — the
// versions in the input's order, edits among them included.
TEST_F(StoreTest, AManyRowWriteKeepsTheInputsOrderAndEveryRowsValue) {
  auto store = CreateRegister();
  auto single = Store::Create(PathOf("single.db"), InitOptions{"Taalschool", "25AB", Role::kAdmin},
                              Options());
  ASSERT_TRUE(single.ok()) << single.status().ToString();
  std::vector<Attendance> earlier{Present("L2", "S3"), Absent("L5", "S1"), Present("L9", "S5")};
  for (Store* s : {store.get(), single->get()}) {
    Populate(*s, 5, 10);
    ASSERT_TRUE(s->RecordAttendance(Admin(), earlier, "").ok());
  }
  const int64_t base = *store->LastChangeSeq();
  std::vector<Attendance> rows;  // 50 rows: lesson by lesson, three of them edits
  for (int lesson = 1; lesson <= 10; ++lesson) {
    for (int learner = 1; learner <= 5; ++learner) {
      const std::string l = "L" + std::to_string(lesson);
      const std::string s = "S" + std::to_string(learner);
      Attendance a = (lesson + learner) % 4 == 0 ? Absent(l, s, AbsenceReason::kOther)
                                                 : Present(l, s);
      if ((lesson * learner) % 7 == 0) {
        a.status = AttendanceStatus::kPartial;
        a.minutes_present = 30 + lesson;
      }
      rows.push_back(a);
    }
  }
  ASSERT_TRUE(store->RecordAttendance(Admin(), rows, "attend.import").ok());
  for (const Attendance& a : rows) {
    ASSERT_TRUE((*single)->RecordAttendance(Admin(), std::vector{a}, "").ok());
  }

  const std::vector<Change> changes = *store->ChangesAfter(base, 1000);
  ASSERT_EQ(changes.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Change& c = changes[i];
    EXPECT_EQ(c.seq, base + 1 + static_cast<int64_t>(i));
    EXPECT_EQ(c.record_id, AttendanceId(rows[i].lesson_id, rows[i].learner_id));
    const bool edit = std::any_of(earlier.begin(), earlier.end(), [&](const Attendance& e) {
      return e.lesson_id == rows[i].lesson_id && e.learner_id == rows[i].learner_id;
    });
    EXPECT_EQ(c.stamp.vv.Get(store->info().replica_id), edit ? 2u : 1u) << c.record_id;
    if (i > 0) {
      EXPECT_LT(changes[i - 1].stamp.hlc, c.stamp.hlc);
    }
    EXPECT_EQ(*store->GetStamp(RecordKind::kAttendance, c.record_id), c.stamp) << c.record_id;
  }
  for (int lesson = 1; lesson <= 10; ++lesson) {
    const std::string l = "L" + std::to_string(lesson);
    EXPECT_EQ(*store->ListAttendance(l), *(*single)->ListAttendance(l)) << l;
  }
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions WHERE live = 0"), 3);
  auto report = store->VerifyAudit();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(store->AuditEntries(0, 1000)->back().last_change, base + 50);
}

TEST_F(StoreTest, SameLearnerTwiceInOneBatchIsRefused) {
  auto store = CreateRegister();
  Populate(*store, 2, 1);
  Status s =
      store->RecordAttendance(Admin(), std::vector{Present("L1", "S1"), Absent("L1", "S1")}, "");
  // As a learner listed twice in AddLearners: the record exists, in this write.
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM attendance"), 0);
}

TEST_F(StoreTest, TeacherCannotWriteAnAdminsClassification) {
  auto store = CreateRegister();
  Populate(*store, 1, 1);
  Attendance a = Absent("L1", "S1", AbsenceReason::kOther);
  a.decision = ClassificationDecision{Classification::kExcused, Role::kAdmin};
  EXPECT_EQ(store->RecordAttendance(Teacher(), std::vector{a}, "").code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(store->RecordAttendance(Admin(), std::vector{a}, "").ok());
  EXPECT_EQ(store->ListAttendance("L1")->at(0).decision, a.decision);
}

TEST_F(StoreTest, EditOfAnAttendanceDominatesTheEarlierVersion) {
  auto store = CreateRegister();
  Populate(*store, 2, 1);
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  const int64_t first_seq = *store->LastChangeSeq();
  const VersionStamp first = *store->GetStamp(RecordKind::kAttendance, "L1/S1");
  now_ms_ += 60'000;
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Absent("L1", "S1")}, "").ok());
  const VersionStamp second = *store->GetStamp(RecordKind::kAttendance, "L1/S1");

  EXPECT_EQ(second.vv.Compare(first.vv), Ordering::kDominates);
  EXPECT_GT(second.hlc, first.hlc);
  EXPECT_EQ(store->ListAttendance("L1")->at(0).status, AttendanceStatus::kAbsent);

  auto changes = store->ChangesAfter(first_seq - 1, 10);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].record_id, "L1/S1");
  EXPECT_FALSE((*changes)[0].live);
  EXPECT_EQ((*changes)[0].stamp, first);
  EXPECT_TRUE((*changes)[1].live);
  EXPECT_EQ((*changes)[1].stamp, second);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions WHERE record_id = 'L1/S1' AND live = 1"),
            1);
  // Only the edited record's versions were retired.
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions WHERE live = 0"), 1);
}

TEST_F(StoreTest, EditMergesEveryLiveSibling) {
  // Two concurrent versions (as sync will deliver them) are both dominated
  // by the next local edit.
  auto store = CreateRegister();
  Populate(*store, 1, 1);
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  const std::string mine = store->info().replica_id;
  testing::RawExec(path_,
                   "INSERT INTO versions (kind, record_id, vv, hlc, writer_replica, writer_role, "
                   "writer_user, body, live) SELECT kind, record_id, 'aaaaaaaaaaaaaaaa:4', hlc, "
                   "'aaaaaaaaaaaaaaaa', 'teacher', 'x', body, 1 FROM versions "
                   "WHERE record_id = 'L1/S1'");
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Absent("L1", "S1")}, "").ok());
  const VersionStamp edit = *store->GetStamp(RecordKind::kAttendance, "L1/S1");
  EXPECT_EQ(edit.vv.Get("aaaaaaaaaaaaaaaa"), 4u);
  EXPECT_EQ(edit.vv.Get(mine), 2u);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions WHERE record_id = 'L1/S1' AND live = 1"),
            1);
}

TEST_F(StoreTest, ChangeLogIsDenseOrderedAndPaged) {
  auto store = CreateRegister();
  Populate(*store, 4, 3);  // 4 learners, 1 course, 4 enrolments, 3 lessons
  ASSERT_TRUE(
      store->RecordAttendance(Admin(), std::vector{Present("L1", "S1"), Present("L1", "S2")}, "")
          .ok());
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Absent("L1", "S1")}, "").ok());
  EXPECT_EQ(*store->LastChangeSeq(), 4 + 1 + 4 + 3 + 2 + 1);

  std::vector<Change> all;
  int64_t cursor = 0;
  for (;;) {
    auto page = store->ChangesAfter(cursor, 4);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    EXPECT_LE(page->size(), 4u);
    cursor = page->back().seq;
    all.insert(all.end(), page->begin(), page->end());
  }
  ASSERT_EQ(all.size(), 15u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].seq, static_cast<int64_t>(i) + 1);
  // In the order written, each kind's body holding its record.
  EXPECT_EQ(all[0].kind, RecordKind::kLearner);
  EXPECT_EQ(all[4].kind, RecordKind::kCourse);
  EXPECT_EQ(all[5].kind, RecordKind::kEnrollment);
  EXPECT_EQ(all[5].record_id, "C1/S1");
  EXPECT_EQ(all[9].kind, RecordKind::kLesson);
  EXPECT_EQ(all[14].kind, RecordKind::kAttendance);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_GT(all[i].stamp.hlc, all[i - 1].stamp.hlc);
  EXPECT_EQ(all[14].record_id, "L1/S1");
  EXPECT_EQ(all[14].body, "a1|absent|0|on_site|0|illness|-|-|said so on the phone");
  const auto learner = nlohmann::json::parse(all[0].body);
  EXPECT_EQ(learner["id"], "S1");
  EXPECT_EQ(learner.dump(), all[0].body);  // canonical: sorted keys, no spaces
  EXPECT_EQ(store->ChangesAfter(15, 10)->size(), 0u);
  EXPECT_EQ(store->ChangesAfter(0, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, EveryWriteIsOneAuditEntryCoveringItsChanges) {
  auto store = CreateRegister();
  Populate(*store, 3, 1);
  ASSERT_TRUE(store
                  ->RecordAttendance(Teacher(),
                                     std::vector{Present("L1", "S1"), Absent("L1", "S2")},
                                     "attend.record")
                  .ok());
  auto entries = store->AuditEntries(0, 100);
  ASSERT_TRUE(entries.ok());
  // init, learners, course, enrol, lesson, attendance
  ASSERT_EQ(entries->size(), 6u);
  EXPECT_EQ((*entries)[0].action, "register.init");
  EXPECT_EQ((*entries)[0].first_change, 0);
  EXPECT_EQ((*entries)[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ((*entries)[1].action, "learner.import");
  EXPECT_EQ((*entries)[1].first_change, 1);
  EXPECT_EQ((*entries)[1].last_change, 3);
  const AuditEntry& last = entries->back();
  EXPECT_EQ(last.action, "attend.record");
  EXPECT_EQ(last.actor, (Writer{store->info().replica_id, Role::kTeacher, "tjansen"}));
  EXPECT_EQ(last.first_change, 9);
  EXPECT_EQ(last.last_change, 10);
  EXPECT_EQ(last.summary, "lesson 'L1': 2 records (1 present, 1 absent, 0 partial; 0 edits)");
  for (size_t i = 1; i < entries->size(); ++i) {
    EXPECT_EQ((*entries)[i].prev_hash, (*entries)[i - 1].hash);
    EXPECT_EQ((*entries)[i].seq, (*entries)[i - 1].seq + 1);
  }
  // No personal data in any summary: names, BSNs, reasons, notes.
  for (const AuditEntry& e : *entries) {
    for (int n = 1; n <= 3; ++n) EXPECT_EQ(e.summary.find(ValidBsn(n)), std::string::npos);
    EXPECT_EQ(e.summary.find("Learner S"), std::string::npos) << e.summary;
    EXPECT_EQ(e.summary.find("illness"), std::string::npos) << e.summary;
    EXPECT_EQ(e.summary.find("phone"), std::string::npos) << e.summary;
  }
  EXPECT_EQ(store->AuditEntries(4, 1)->at(0).seq, 5);
}

TEST_F(StoreTest, LessonsByLearnerJoinsEnrolmentsLessonsAndAttendance) {
  auto store = CreateRegister();
  Populate(*store, 3, 2);  // S1..S3 in C1 with L1, L2
  ASSERT_TRUE(store->AddCourse(Admin(), SampleCourse("K1", Component::kKnm)).ok());
  ASSERT_TRUE(store->AddLesson(Admin(), SampleLesson("K-1", "K1", 5, 90)).ok());
  ASSERT_TRUE(store->AddLearners(Admin(), std::vector{SampleLearner("S4", 4)}, "").ok());
  // S1 attends a KNM lesson of a course they are not enrolled in.
  ASSERT_TRUE(
      store
          ->RecordAttendance(
              Admin(),
              std::vector{Present("L1", "S1"), Absent("L1", "S2"), Present("K-1", "S1", 90)}, "")
          .ok());
  auto by_learner = store->LessonsByLearner();
  ASSERT_TRUE(by_learner.ok());
  ASSERT_EQ(by_learner->size(), 4u);
  const LearnerLessons& s1 = (*by_learner)[0];
  EXPECT_EQ(s1.learner.id, "S1");
  ASSERT_EQ(s1.lines.size(), 3u);
  EXPECT_EQ(s1.lines[0].component, Component::kNt2);
  ASSERT_TRUE(s1.lines[0].attendance.has_value());
  EXPECT_EQ(s1.lines[0].attendance->status, AttendanceStatus::kPresent);
  EXPECT_FALSE(s1.lines[1].attendance.has_value());  // L2: not recorded yet
  EXPECT_EQ(s1.lines[2].component, Component::kKnm);
  EXPECT_EQ(s1.lines[2].duration_minutes, 90);
  const LearnerLessons& s2 = (*by_learner)[1];
  ASSERT_EQ(s2.lines.size(), 2u);
  EXPECT_EQ(s2.lines[0].attendance->status, AttendanceStatus::kAbsent);
  EXPECT_EQ((*by_learner)[2].lines.size(), 2u);
  EXPECT_EQ((*by_learner)[3].learner.id, "S4");
  EXPECT_TRUE((*by_learner)[3].lines.empty());
}

// A learner leaves a course: the enrolment ends with a new version, the
// recorded lessons keep counting, the unrecorded ones no longer list them;
// enrolling again starts it anew. Ending one that is not there changes
// nothing.
TEST_F(StoreTest, EndingAnEnrolmentKeepsRecordedLessonsAndCanBeUndone) {
  auto store = CreateRegister();
  Populate(*store, 3, 2);  // S1..S3 in C1 with L1, L2
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L1", "S3")}, "").ok());
  const VersionStamp enrolled = store->GetStamp(RecordKind::kEnrollment, "C1/S3").value();
  const int64_t before = *store->LastChangeSeq();
  ASSERT_TRUE(store->EndEnrollment(Admin(), "C1", std::vector<std::string>{"S3", "S3"}).ok());
  EXPECT_EQ(*store->LastChangeSeq(), before + 1);
  EXPECT_EQ(store->ListEnrollments("C1")->at(2), (Enrollment{"C1/S3", "C1", "S3", false}));
  const VersionStamp ended = store->GetStamp(RecordKind::kEnrollment, "C1/S3").value();
  EXPECT_EQ(ended.vv.Compare(enrolled.vv), Ordering::kDominates);
  EXPECT_EQ(RawInt(path_, "SELECT count(*) FROM versions WHERE record_id = 'C1/S3' AND live = 1"),
            1);
  auto by_learner = store->LessonsByLearner();
  ASSERT_TRUE(by_learner.ok());
  const LearnerLessons& s3 = (*by_learner)[2];
  ASSERT_EQ(s3.learner.id, "S3");
  ASSERT_EQ(s3.lines.size(), 1u);  // L1, recorded; not L2
  EXPECT_EQ(s3.lines[0].attendance->status, AttendanceStatus::kPresent);
  EXPECT_EQ((*by_learner)[1].lines.size(), 2u);  // S2 is still enrolled
  auto entries = *store->AuditEntries(0, 100);
  EXPECT_EQ(entries.back().action, "course.unenroll");
  EXPECT_EQ(entries.back().summary, "course 'C1': enrolment ended for 1 learner (S3)");

  // All or nothing: S1 is enrolled, S3 no longer is.
  const int64_t after = *store->LastChangeSeq();
  Status again = store->EndEnrollment(Admin(), "C1", std::vector<std::string>{"S1", "S3"});
  EXPECT_EQ(again.code(), StatusCode::kNotFound);
  EXPECT_NE(again.message().find("already ended"), std::string::npos) << again.message();
  EXPECT_EQ(store->EndEnrollment(Admin(), "C9", std::vector<std::string>{"S1"}).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(store->AddLearners(Admin(), std::vector{SampleLearner("S9", 9)}, "").ok());
  Status never = store->EndEnrollment(Admin(), "C1", std::vector<std::string>{"S9"});
  EXPECT_EQ(never.code(), StatusCode::kNotFound);
  EXPECT_EQ(never.message().find("already ended"), std::string::npos) << never.message();
  EXPECT_EQ(*store->LastChangeSeq(), after + 1);  // only S9 was added
  EXPECT_TRUE(store->ListEnrollments("C1")->at(0).active);

  // Enrolled again: a third version, dominating the end.
  ASSERT_TRUE(store->Enroll(Admin(), "C1", std::vector<std::string>{"S3"}).ok());
  EXPECT_EQ(store->ListEnrollments("C1")->at(2), (Enrollment{"C1/S3", "C1", "S3", true}));
  EXPECT_EQ(store->GetStamp(RecordKind::kEnrollment, "C1/S3")->vv.Compare(ended.vv),
            Ordering::kDominates);
  EXPECT_EQ((*store->LessonsByLearner())[2].lines.size(), 2u);
  EXPECT_TRUE(store->VerifyAudit()->ok());
}

TEST_F(StoreTest, HlcStaysMonotonicAcrossReopenWhenTheWallClockGoesBack) {
  auto store = CreateRegister();
  Populate(*store, 1, 1);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  }
  const Hlc before = store->GetStamp(RecordKind::kAttendance, "L1/S1")->hlc;
  store.reset();
  now_ms_ -= 3'600'000;  // the device's clock was set an hour back
  store = Reopen();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Absent("L1", "S1")}, "").ok());
  const Hlc after = store->GetStamp(RecordKind::kAttendance, "L1/S1")->hlc;
  EXPECT_GT(after, before);
  EXPECT_EQ(after.wall_ms, before.wall_ms);
}

TEST_F(StoreTest, TwoStoresOnOneFileShareTheClockAndTheChain) {
  auto a = CreateRegister();
  Populate(*a, 1, 1);
  auto b = Reopen();
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(a->RecordAttendance(Admin(), std::vector{Present("L1", "S1")}, "").ok());
  now_ms_ -= 10'000;
  ASSERT_TRUE(b->RecordAttendance(Admin(), std::vector{Absent("L1", "S1")}, "").ok());
  auto changes = a->ChangesAfter(0, 100);
  ASSERT_TRUE(changes.ok());
  EXPECT_GT(changes->back().stamp.hlc, (*changes)[changes->size() - 2].stamp.hlc);
  EXPECT_TRUE(a->VerifyAudit()->ok());
}

}  // namespace store_test
}  // namespace presentie::storage
