// At-rest encryption (docs/reliability.md, "At-rest encryption"): random
// markers written into the personal fields — BSNs, names, an absence's note —
// are found nowhere in the raw bytes of the register, its WAL or its shm
// file, while the store is open and after it has checkpointed; a register
// from before is sealed when it is first opened, and the plaintext it held
// is purged; a wrong, missing or exposed key is refused before anything is
// read.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "storage/internal/audit.h"
#include "storage/internal/schema.h"
#include "storage/internal/seal.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace at_rest_test {

using testing::Absent;
using testing::Admin;
using testing::Present;
using testing::RawText;
using testing::SampleCourse;
using testing::SampleLesson;
using testing::SampleLearner;
using testing::StorageTest;
using testing::TakeOffSealing;
using testing::ValidBsn;

std::string Marker() {
  static std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string m = "mrk";
  for (int i = 0; i < 16; ++i) m += kHex[random() % 16];
  return m;
}

std::string RawFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Which of `needles` occur in the raw bytes of the register at `path`, its
// WAL or its shm file ("needle in file").
std::vector<std::string> FoundIn(const std::string& path,
                                 const std::vector<std::string>& needles) {
  std::vector<std::string> found;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = path + suffix;
    if (!std::filesystem::exists(file)) continue;
    const std::string bytes = RawFile(file);
    for (const std::string& needle : needles) {
      if (bytes.find(needle) != std::string::npos) found.push_back(needle + " in " + file);
    }
  }
  return found;
}

class AtRestTest : public StorageTest {
 protected:
  // Learners with random BSNs and marker names, one renamed (its old name
  // stays in the superseded version), an absence with a marker note. Returns
  // every marker; `id_marker` is part of a learner id, which is not
  // personal and stays in the clear.
  std::vector<std::string> WriteMarkers(Store& store) {
    std::mt19937 random{std::random_device{}()};
    std::vector<std::string> markers;
    std::vector<Learner> learners;
    for (int i = 0; i < 3; ++i) {
      Learner l = SampleLearner("S" + std::to_string(i) + "-" + id_marker_,
                                static_cast<int>(random() % 5'000'000));
      l.name = "Naam " + Marker();
      markers.push_back(l.bsn);
      markers.push_back(l.name);
      learners.push_back(l);
    }
    EXPECT_TRUE(store.AddLearners(Admin(), learners, "learner.import").ok());
    Learner renamed = learners[1];
    renamed.name = "Nieuw " + Marker();
    markers.push_back(renamed.name);
    EXPECT_TRUE(store.UpdateLearner(Admin(), renamed).ok());
    EXPECT_TRUE(store.AddCourse(Admin(), SampleCourse("C1")).ok());
    Lesson lesson = SampleLesson("L1", "C1", 1);
    lesson.teacher = "Docent " + Marker();
    markers.push_back(lesson.teacher);
    EXPECT_TRUE(store.AddLesson(Admin(), lesson).ok());
    Attendance absent = Absent("L1", learners[0].id);
    absent.note = "ziek " + Marker();
    markers.push_back(absent.note);
    Status recorded = store.RecordAttendance(Admin(), std::vector{absent}, "");
    EXPECT_TRUE(recorded.ok()) << recorded.ToString();
    names_ = {learners[0].name, renamed.name, learners[2].name};
    note_ = absent.note;
    teacher_ = lesson.teacher;
    ids_ = {learners[0].id, learners[1].id, learners[2].id};
    return markers;
  }

  // What WriteMarkers wrote reads back as written.
  void ExpectReadBack(Store& store) {
    for (size_t i = 0; i < ids_.size(); ++i) {
      auto l = store.GetLearner(ids_[i]);
      ASSERT_TRUE(l.ok()) << l.status().ToString();
      EXPECT_EQ(l->name, names_[i]);
    }
    auto lesson = store.GetLesson("L1");
    ASSERT_TRUE(lesson.ok()) << lesson.status().ToString();
    EXPECT_EQ(lesson->teacher, teacher_);
    auto attendance = store.ListAttendance("L1");
    ASSERT_TRUE(attendance.ok()) << attendance.status().ToString();
    ASSERT_EQ(attendance->size(), 1u);
    EXPECT_EQ(attendance->front().note, note_);
    EXPECT_EQ(attendance->front().reason, AbsenceReason::kIllness);
    auto report = store.VerifyAudit();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok());
  }

  // A register with markers; a second store opened on it (another process,
  // a server) before the first rotated its key; the key file's contents
  // before and after the rotation.
  struct Rotation {
    std::unique_ptr<Store> store, stale;
    std::string old_key, new_key;
  };
  Rotation RotateBesideAnotherStore() {
    Rotation r;
    r.store = CreateRegister();
    EXPECT_NE(r.store, nullptr);
    WriteMarkers(*r.store);
    r.old_key = RawFile(path_ + ".key");
    r.stale = Reopen();
    EXPECT_NE(r.stale, nullptr);
    EXPECT_TRUE(r.store->RotateKey(Admin()).ok());
    r.new_key = RawFile(path_ + ".key");
    return r;
  }

  const std::string id_marker_ = Marker();
  std::vector<std::string> names_, ids_;
  std::string note_, teacher_;
};

TEST_F(AtRestTest, NoMarkerIsInTheRawBytesOfTheRegisterItsWalOrShm) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  const std::vector<std::string> markers = WriteMarkers(*store);
  // The scan sees what is written: the ids (not personal) are in the WAL.
  ASSERT_TRUE(std::filesystem::exists(path_ + "-wal"));
  EXPECT_FALSE(FoundIn(path_, {id_marker_}).empty());
  EXPECT_EQ(FoundIn(path_, markers), std::vector<std::string>{});
  ExpectReadBack(*store);
  // An absent learner's reason is sealed; a learner present for the whole
  // lesson has none (validated), which the plain status says: stored empty.
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{Present("L1", ids_[1])}, "").ok());
  EXPECT_EQ(RawText(path_, "SELECT substr(reason, 1, 3) FROM attendance WHERE status = 'absent'"),
            "s1:");
  EXPECT_EQ(RawText(path_, "SELECT reason FROM attendance WHERE status = 'present'"), "");
  EXPECT_EQ(store->ListAttendance("L1")->at(1).reason, AbsenceReason::kNone);
  // So is its version's body, which holds nothing the plain row does not;
  // with a note it is sealed like every other body.
  EXPECT_EQ(RawText(path_, "SELECT substr(body, 1, 11) FROM versions WHERE record_id = 'L1/" +
                               ids_[1] + "'"),
            "a1|present|");
  Attendance noted = Present("L1", ids_[2]);
  noted.note = "laat " + Marker();
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector{noted}, "").ok());
  EXPECT_EQ(RawText(path_, "SELECT substr(body, 1, 3) FROM versions WHERE record_id = 'L1/" +
                               ids_[2] + "'"),
            "s1:");
  EXPECT_EQ(FoundIn(path_, {noted.note}), std::vector<std::string>{});
  EXPECT_EQ(store->ListAttendance("L1")->at(2).note, noted.note);
  // Closing checkpoints the WAL into the file.
  store.reset();
  EXPECT_FALSE(FoundIn(path_, {id_marker_}).empty());
  EXPECT_EQ(FoundIn(path_, markers), std::vector<std::string>{});
  // For the reliability summary at the end of `make test`.
  if (!HasFailure()) {
    std::cout << "at_rest: " << markers.size()
              << " personal markers sought in the register, its WAL and shm (open and "
                 "checkpointed): found 0"
              << std::endl;
  }
  // In the table the BSN is a sealed value and a keyed hash.
  EXPECT_EQ(RawText(path_, "SELECT substr(bsn, 1, 3) FROM learner LIMIT 1"), "s1:");
  EXPECT_EQ(RawText(path_, "SELECT length(bsn_hash) FROM learner LIMIT 1"), "32");
}

TEST_F(AtRestTest, ARegisterFromBeforeIsSealedWhenOpenedAndItsPlaintextPurged) {
  std::vector<std::string> markers;
  {
    auto store = CreateRegister();
    ASSERT_NE(store, nullptr);
    markers = WriteMarkers(*store);
  }
  TakeOffSealing(path_);
  std::filesystem::remove(path_ + ".key");  // a register from before has none
  // The register from before holds its personal fields in the clear.
  EXPECT_FALSE(FoundIn(path_, markers).empty());

  {
    auto store = Reopen();
    ASSERT_NE(store, nullptr);
    EXPECT_TRUE(std::filesystem::exists(path_ + ".key"));
    EXPECT_EQ(FoundIn(path_, markers), std::vector<std::string>{});
    ExpectReadBack(*store);
    // A learner is still found by BSN: a second learner with the first's
    // BSN is refused.
    Learner twin = SampleLearner("twin", 1);
    twin.bsn = markers[0];
    EXPECT_EQ(store->AddLearners(Admin(), std::vector{twin}, "").code(),
              StatusCode::kAlreadyExists);
  }
  EXPECT_EQ(FoundIn(path_, markers), std::vector<std::string>{});
  const auto mode = std::filesystem::status(path_ + ".key").permissions();
  EXPECT_EQ(mode, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(AtRestTest, AWrongMissingOrExposedKeyIsRefusedBeforeAnythingIsRead) {
  CreateRegister().reset();
  const std::string key = path_ + ".key";
  const std::string good = RawFile(key);
  ASSERT_EQ(good.size(), 65u);  // 64 hex digits and a newline

  // Another register's key.
  std::filesystem::remove(key);
  CreateRegisterAt("other.db", Role::kAdmin).reset();
  std::filesystem::copy_file(PathOf("other.db.key"), key);
  auto wrong = Store::Open(path_, Options());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(wrong.status().message().find("does not open the register"), std::string::npos)
      << wrong.status().message();

  // No key.
  std::filesystem::remove(key);
  auto missing = Store::Open(path_, Options());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("does not exist"), std::string::npos)
      << missing.status().message();
  EXPECT_FALSE(std::filesystem::exists(key));  // not made up for a sealed register

  // The right key, readable by others.
  std::ofstream(key) << good;
  ::chmod(key.c_str(), 0644);
  auto exposed = Store::Open(path_, Options());
  ASSERT_FALSE(exposed.ok());
  EXPECT_NE(exposed.status().message().find("chmod 600"), std::string::npos)
      << exposed.status().message();

  // Not a key.
  ::chmod(key.c_str(), 0600);
  std::ofstream(key) << "not a key\n";
  EXPECT_EQ(Store::Open(path_, Options()).status().code(), StatusCode::kInvalidArgument);

  std::ofstream(key) << good;
  EXPECT_TRUE(Store::Open(path_, Options()).ok());
}

TEST_F(AtRestTest, TheKeyMayBeKeptAwayFromTheRegister) {
  StoreOptions options = Options();
  options.key.file = PathOf("school.key");
  auto created = Store::Create(path_, {"Taalschool De Brug", "25AB", Role::kAdmin}, options);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  created->reset();
  EXPECT_TRUE(std::filesystem::exists(PathOf("school.key")));
  EXPECT_FALSE(std::filesystem::exists(path_ + ".key"));
  EXPECT_TRUE(Store::Open(path_, options).ok());
  EXPECT_FALSE(Store::Open(path_, Options()).ok());
}

// The caller may give the key itself (the CLI does for PRESENTIE_KEY):
// storage then reads and makes no key file, names the key as the caller
// does in its messages, and refuses to rotate what it cannot replace.
TEST_F(AtRestTest, AKeyGivenAsTextOpensTheRegisterWithoutAFile) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  store.reset();
  const std::string key_file = path_ + ".key";
  std::string hex = RawFile(key_file);
  while (!hex.empty() && hex.back() == '\n') hex.pop_back();
  ASSERT_EQ(hex.size(), 64u);
  std::filesystem::remove(key_file);

  StoreOptions options = Options();
  options.key.key_hex = hex;
  options.key.named_by = "PRESENTIE_KEY";
  auto opened = Store::Open(path_, options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ((*opened)->info().key_file, "");
  EXPECT_FALSE(std::filesystem::exists(key_file));
  Status rotated = (*opened)->RotateKey(Actor{Role::kAdmin, "admin"});
  EXPECT_EQ(rotated.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(rotated.message().find("the register's key is in PRESENTIE_KEY"), std::string::npos)
      << rotated.message();
  opened->reset();

  options.key.key_hex = "not a key";
  auto refused = Store::Open(path_, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("PRESENTIE_KEY does not hold a key"),
            std::string::npos)
      << refused.status().ToString();
}

TEST_F(AtRestTest, ARotatedKeySealsEverythingAnewAndTheOldKeyNoLongerOpens) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  const std::vector<std::string> markers = WriteMarkers(*store);
  const std::string key = path_ + ".key";
  const std::string old_key = RawFile(key);
  // Values as sealed under the old key, straight from the file.
  const std::vector<std::string> old_sealed = {
      RawText(path_, "SELECT bsn FROM learner ORDER BY id LIMIT 1"),
      RawText(path_, "SELECT name FROM learner ORDER BY id LIMIT 1"),
      RawText(path_, "SELECT body FROM versions WHERE kind = 'attendance' LIMIT 1"),
      RawText(path_, "SELECT bsn_hash FROM learner ORDER BY id LIMIT 1")};
  ASSERT_EQ(old_sealed[0].substr(0, 3), "s1:");
  auto stale = Reopen();  // another process, open since before the rotation
  ASSERT_NE(stale, nullptr);

  Status rotated = store->RotateKey(Admin());
  ASSERT_TRUE(rotated.ok()) << rotated.ToString();
  EXPECT_NE(RawFile(key), old_key);
  EXPECT_FALSE(std::filesystem::exists(key + ".next"));
  EXPECT_EQ(std::filesystem::status(key).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ExpectReadBack(*store);
  EXPECT_EQ(store->AuditEntries(0, 100)->back().action, "key.rotate");
  // Nothing sealed under the old key is left, and nothing is in the clear.
  EXPECT_EQ(FoundIn(path_, old_sealed), std::vector<std::string>{});
  EXPECT_EQ(FoundIn(path_, markers), std::vector<std::string>{});
  // The process that opened the register before takes up the new key at
  // its next write, and seals what it writes with it.
  ASSERT_TRUE(stale->AddLesson(Admin(), SampleLesson("L2", "C1", 2)).ok());
  Attendance late = Absent("L2", ids_[1]);
  late.note = "laat " + Marker();
  Status recorded = stale->RecordAttendance(Admin(), std::vector{late}, "");
  ASSERT_TRUE(recorded.ok()) << recorded.ToString();
  ExpectReadBack(*stale);
  EXPECT_EQ(FoundIn(path_, {late.note}), std::vector<std::string>{});
  stale.reset();
  store.reset();

  // The old key no longer opens it; the new one does.
  const std::string new_key = RawFile(key);
  std::ofstream(key) << old_key;
  EXPECT_EQ(Store::Open(path_, Options()).status().code(), StatusCode::kFailedPrecondition);
  std::ofstream(key) << new_key;
  auto reopened = Reopen();
  ASSERT_NE(reopened, nullptr);
  ExpectReadBack(*reopened);
  auto l2 = reopened->ListAttendance("L2");
  ASSERT_TRUE(l2.ok()) << l2.status().ToString();
  ASSERT_EQ(l2->size(), 1u);
  EXPECT_EQ(l2->front().note, late.note);
}

// A long-running reader (the sync server) asks before each request: until
// it does, what the rotation sealed anew does not open for it.
TEST_F(AtRestTest, AStoreOpenBeforeARotationReadsAgainOnceItFollowsIt) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  WriteMarkers(*store);
  auto stale = Reopen();
  ASSERT_NE(stale, nullptr);
  ASSERT_TRUE(stale->FollowKeyRotation().ok());  // nothing to follow yet
  ASSERT_TRUE(store->RotateKey(Admin()).ok());
  EXPECT_EQ(stale->GetLearner(ids_[0]).status().code(), StatusCode::kDataLoss);
  Status followed = stale->FollowKeyRotation();
  ASSERT_TRUE(followed.ok()) << followed.ToString();
  ExpectReadBack(*stale);
  EXPECT_TRUE(store->FollowKeyRotation().ok());  // the rotating store has it already
  ExpectReadBack(*store);
}

// Between the rotation's commit and its renaming of "<key file>.next" over
// the key file, a running process takes the new key from ".next" and leaves
// the renaming to the rotation.
TEST_F(AtRestTest, AStoreFollowsARotationThatHasNotReplacedTheKeyFileYet) {
  Rotation r = RotateBesideAnotherStore();
  ASSERT_NE(r.stale, nullptr);
  const std::string key = path_ + ".key";
  std::ofstream(key + ".next") << r.new_key;
  ::chmod((key + ".next").c_str(), 0600);
  std::ofstream(key) << r.old_key;
  Status followed = r.stale->FollowKeyRotation();
  ASSERT_TRUE(followed.ok()) << followed.ToString();
  ExpectReadBack(*r.stale);
  EXPECT_EQ(RawFile(key), r.old_key);
  EXPECT_EQ(RawFile(key + ".next"), r.new_key);
}

// A key in the key file's place that does not open the register (the old
// one put back): the next write is refused, saying what to do, and writes
// nothing.
TEST_F(AtRestTest, AReplacedKeyThatDoesNotOpenTheRegisterIsRefusedAtTheNextWrite) {
  Rotation r = RotateBesideAnotherStore();
  ASSERT_NE(r.stale, nullptr);
  const std::string key = path_ + ".key";
  std::ofstream(key) << r.old_key;
  const size_t entries = r.store->AuditEntries(0, 1000)->size();
  Status late = r.stale->RecordAttendance(Admin(), std::vector{Absent("L1", ids_[1])}, "");
  EXPECT_EQ(late.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(late.message().find("key was replaced by another process"), std::string::npos)
      << late.message();
  EXPECT_NE(late.message().find("start this command (or server) again"), std::string::npos)
      << late.message();
  EXPECT_EQ(r.stale->FollowKeyRotation().code(), StatusCode::kFailedPrecondition);
  std::ofstream(key) << r.new_key;
  EXPECT_EQ(r.store->AuditEntries(0, 1000)->size(), entries);
  ExpectReadBack(*r.store);
}

TEST_F(AtRestTest, ARotationCutOffAfterItsCommitIsFinishedAtTheNextOpen) {
  std::string old_key, new_key;
  const std::string key = path_ + ".key";
  {
    auto store = CreateRegister();
    ASSERT_NE(store, nullptr);
    WriteMarkers(*store);
    old_key = RawFile(key);
    ASSERT_TRUE(store->RotateKey(Admin()).ok());
    new_key = RawFile(key);
  }
  // As a crash between the commit and the key file's replacement leaves
  // it: the register sealed under the new key, which is still in ".next".
  std::ofstream(key + ".next") << new_key;
  ::chmod((key + ".next").c_str(), 0600);
  std::ofstream(key) << old_key;
  auto store = Reopen();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(RawFile(key), new_key);
  EXPECT_FALSE(std::filesystem::exists(key + ".next"));
  ExpectReadBack(*store);

  // Cut off before its commit: the register still opens with the old key,
  // and the stray ".next" changes nothing.
  store.reset();
  std::ofstream(key + ".next") << old_key;
  ::chmod((key + ".next").c_str(), 0600);
  store = Reopen();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(RawFile(key), new_key);
  ExpectReadBack(*store);
}

TEST(SealerTest, OnlyAPresentLearnersBodyWithoutANoteIsKeptPlain) {
  EXPECT_TRUE(internal::HoldsNothingPersonal("a1|present|180|on_site|0|none|-|-|"));
  EXPECT_TRUE(internal::HoldsNothingPersonal("a1|present|120|remote|0|none|-|-|"));
  for (const char* body : {"a1|present|180|on_site|0|none|-|-|came late",
                           "a1|present|180|on_site|0|none|-|-||",
                           "a1|present|180|on_site|0|illness|-|-|",
                           "a1|present|180|on_site|0|none|excused|school|",
                           "a1|absent|0|on_site|0|none|-|-|",
                           "a1|partial|90|on_site|0|none|-|-|",
                           "a1|present|180|on_site|0|none|-|-",
                           "{\"status\":\"present\"}", ""}) {
    EXPECT_FALSE(internal::HoldsNothingPersonal(body)) << body;
  }
}

// Every column a rotation reseals was sealed by schema step 10 or 12, under
// the same field name.
TEST(SealedColumnsTest, SchemaStepsTenAndTwelveSealEveryColumnARotationReseals) {
  const std::string steps = std::string(internal::MigrationSteps()[9].sql) +
                            std::string(internal::MigrationSteps()[11].sql);
  std::string before_sealing;  // steps 1..12: the tables a register may hold unsealed
  for (size_t i = 0; i < 12; ++i) before_sealing += internal::MigrationSteps()[i].sql;
  for (const internal::SealedColumn& c : internal::SealedColumns()) {
    const std::string column(c.column), field(c.field);
    // A table made after step 12 is sealed from its first row (its writes
    // seal: EndpointTest checks the person table's).
    if (before_sealing.find("CREATE TABLE " + std::string(c.table) + " (") == std::string::npos) {
      continue;
    }
    EXPECT_NE(steps.find("UPDATE " + std::string(c.table) + " SET"), std::string::npos)
        << c.table;
    EXPECT_NE(steps.find(column + " = seal(" + column + ", '" + field + "')"), std::string::npos)
        << c.table << "." << column;
  }
}

TEST(SealerTest, SealsOpenOnlyUnderTheirKeyAndFieldAndNeverRepeat) {
  ASSERT_TRUE(internal::InitCrypto().ok());
  internal::RegisterKey key{};
  key[0] = 1;
  const internal::Sealer sealer(key);
  const std::string sealed = sealer.Seal("123456782", "bsn");
  EXPECT_EQ(sealed.substr(0, 3), "s1:");
  EXPECT_EQ(sealed.find("123456782"), std::string::npos);
  EXPECT_EQ(*sealer.Unseal(sealed, "bsn"), "123456782");
  EXPECT_EQ(sealer.Seal("", "note"), "");
  EXPECT_EQ(*sealer.Unseal("", "note"), "");

  // Another field, another key, one changed character, no prefix: kDataLoss.
  EXPECT_EQ(sealer.Unseal(sealed, "name").status().code(), StatusCode::kDataLoss);
  internal::RegisterKey other = key;
  other[0] = 2;
  EXPECT_EQ(internal::Sealer(other).Unseal(sealed, "bsn").status().code(),
            StatusCode::kDataLoss);
  std::string changed = sealed;
  changed[10] = changed[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(sealer.Unseal(changed, "bsn").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(sealer.Unseal("123456782", "bsn").status().code(), StatusCode::kDataLoss);

  // A fresh nonce each time, across the nonce pool's refills and across
  // copies of a sealer (each draws its own).
  const internal::Sealer copy(sealer);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(sealer.Seal("same", "name"));
    seen.insert(copy.Seal("same", "name"));
  }
  EXPECT_EQ(seen.size(), 2000u);

  // A forked child does not draw the parent's next nonce from its copy of
  // the pool: the two seal the same value differently.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string in_child = sealer.Seal("same", "name");
    const ssize_t n = ::write(fds[1], in_child.data(), in_child.size());
    ::_exit(n == static_cast<ssize_t>(in_child.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  char buf[256];
  const ssize_t got = ::read(fds[0], buf, sizeof buf);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_GT(got, 0);
  EXPECT_NE(std::string(buf, static_cast<size_t>(got)), sealer.Seal("same", "name"));

  // The lookup hash: equal for equal values under one key (two sealers made
  // from it, as two processes would), different for another value, keyed.
  EXPECT_EQ(sealer.LookupHash("123456782"), internal::Sealer(key).LookupHash("123456782"));
  EXPECT_NE(sealer.LookupHash("123456782"), sealer.LookupHash("123456783"));
  EXPECT_NE(sealer.LookupHash("123456782"), internal::Sealer(other).LookupHash("123456782"));
  EXPECT_EQ(sealer.LookupHash("123456782").size(), 32u);
}

}  // namespace at_rest_test
}  // namespace presentie::storage
