// Shared helpers of the storage tests: a temporary folder per test, valid
// sample records, and a raw connection for tampering with a register the way
// someone with the sqlite3 shell would.
#ifndef PRESENTIE_TESTS_UNIT_STORAGE_STORAGE_TEST_UTIL_H_
#define PRESENTIE_TESTS_UNIT_STORAGE_STORAGE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/domain.h"
#include "core/authorities.h"
#include "storage/sqlite/database.h"
#include "storage/store.h"

namespace presentie::storage::testing {

// A fresh folder under the system temp dir, removed with the fixture.
class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }
  // Creates a register at PathOf("register.db") with a fixed test clock that
  // callers may advance through `now_ms_`.
  std::unique_ptr<Store> CreateRegister(Role role = Role::kAdmin);
  // The same at PathOf(name): a second register, e.g. a hub.
  std::unique_ptr<Store> CreateRegisterAt(const std::string& name, Role role);
  std::unique_ptr<Store> Reopen();
  StoreOptions Options();

  std::filesystem::path dir_;
  std::string path_;
  uint64_t now_ms_ = 1'790'000'000'000;  // 2026-09-21, advanced by the tests
};

// A BSN that passes the elfproef, distinct for each n.
std::string ValidBsn(int n);

Learner SampleLearner(const std::string& id, int n);
Course SampleCourse(const std::string& id, Component component = Component::kNt2);
Lesson SampleLesson(const std::string& id, const std::string& course_id, int day,
                    int duration_minutes = 120);
Attendance Present(const std::string& lesson_id, const std::string& learner_id,
                   int duration_minutes = 120);
Attendance Absent(const std::string& lesson_id, const std::string& learner_id,
                  AbsenceReason reason = AbsenceReason::kIllness);

// A DUO row of learner `learner_id` (ValidBsn(n)) in course C1 as of
// 2026-11-30, with `hours` attended.
exports::DuoHours SampleDuoHours(const std::string& learner_id, int n, int64_t hours);
// A gemeente row of learner `learner_id` (ValidBsn(n)) for gemeente `code`
// on 2026-11-30, with `hours` attended.
exports::GemeenteHours SampleGemeenteHours(const std::string& learner_id, int n,
                                           const std::string& code, int64_t hours);

// Adds learners S1..Sn, course C1 with all of them enrolled, and lessons
// L1..Lm on consecutive days.
void Populate(Store& store, int learners, int lessons);

// A separate connection to `path`, opened with the register's settings but
// bypassing the store (for tampering and for inspecting raw rows).
std::unique_ptr<sqlite::Database> RawConnection(const std::string& path);
// A raw connection that can also seal and unseal (internal/seal.h) with the
// key of the register at `register_path` ("<register_path>.key", made if
// missing), as the store's connection does.
std::unique_ptr<sqlite::Database> SealedConnection(const std::string& path,
                                                   const std::string& register_path);
// Defines the sealing functions on `db` with the key of `register_path`.
void InstallKeyOf(sqlite::Database& db, const std::string& register_path);
// Takes schema step 10 back off the (closed) register at `path`: every
// sealed field in the clear again, the BSN index by value, user_version 9 —
// the register as a program from before at-rest encryption left it. Its key
// file stays.
void TakeOffSealing(const std::string& path);
// Runs `sql` on a raw connection and fails the test on error.
void RawExec(const std::string& path, const std::string& sql);
// The first column of the first row of `sql`, as an integer / text.
int64_t RawInt(const std::string& path, const std::string& sql);
std::string RawText(const std::string& path, const std::string& sql);

Actor Admin();
Actor Teacher();

// Every version in `store`'s change log after `after_seq`, as the sync layer
// hands them to another register (FromChange of each change).
Result<std::vector<VersionedRecord>> VersionsAfter(Store& store, int64_t after_seq);

}  // namespace presentie::storage::testing

#endif  // PRESENTIE_TESTS_UNIT_STORAGE_STORAGE_TEST_UTIL_H_
