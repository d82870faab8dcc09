// The audit chain: it verifies on an untouched register, and each kind of
// tampering done behind the store's back (a separate connection, or the
// sqlite3 shell) is found and named.
#include "storage/internal/audit.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdlib>

#include "storage_test_util.h"

namespace presentie::storage {
namespace audit_test {

using testing::Absent;
using testing::Admin;
using testing::Populate;
using testing::Present;
using testing::RawExec;
using testing::SealedConnection;
using testing::StorageTest;

class AuditTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    store_ = CreateRegister();
    ASSERT_NE(store_, nullptr);
    // Entries: 1 init, 2 learners, 3 course, 4 enrol, 5-6 lessons,
    // 7 attendance of L1, 8 attendance of L2, 9 an edit.
    Populate(*store_, 3, 2);
    ASSERT_TRUE(
        store_->RecordAttendance(Admin(), std::vector{Present("L1", "S1"), Absent("L1", "S2")}, "")
            .ok());
    ASSERT_TRUE(store_->RecordAttendance(Admin(), std::vector{Present("L2", "S1")}, "").ok());
    ASSERT_TRUE(store_->RecordAttendance(Admin(), std::vector{Present("L1", "S2")}, "").ok());
    ASSERT_EQ(store_->AuditEntries(0, 100)->size(), 9u);
  }

  AuditReport Verify() {
    auto report = store_->VerifyAudit();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : AuditReport{};
  }

  static std::vector<std::string> Kinds(const AuditReport& r) {
    std::vector<std::string> kinds;
    for (const AuditProblem& p : r.problems) kinds.push_back(p.kind);
    return kinds;
  }

  static bool HasKind(const AuditReport& r, std::string_view kind) {
    return std::any_of(r.problems.begin(), r.problems.end(),
                       [&](const AuditProblem& p) { return p.kind == kind; });
  }

  static bool Has(const AuditReport& r, std::string_view kind, int64_t seq) {
    return std::any_of(r.problems.begin(), r.problems.end(),
                       [&](const AuditProblem& p) { return p.kind == kind && p.seq == seq; });
  }

  std::unique_ptr<Store> store_;
};

TEST_F(AuditTest, UntouchedRegisterVerifies) {
  AuditReport r = Verify();
  EXPECT_TRUE(r.ok()) << r.problems.front().kind << ": " << r.problems.front().detail;
  EXPECT_EQ(r.entries_checked, 9);
  EXPECT_EQ(r.changes_checked, *store_->LastChangeSeq());
  // And still after a reopen.
  store_ = Reopen();
  EXPECT_TRUE(Verify().ok());
}

TEST_F(AuditTest, AlteredSummaryIsFound) {
  RawExec(path_, "UPDATE audit SET summary = 'x' WHERE seq = 2");
  AuditReport r = Verify();
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"altered"});
  EXPECT_TRUE(Has(r, "altered", 2));
}

TEST_F(AuditTest, AlteredActorOrTimeIsFound) {
  RawExec(path_, "UPDATE audit SET actor_user = 'someone-else' WHERE seq = 7");
  RawExec(path_, "UPDATE audit SET at_ms = at_ms - 86400000 WHERE seq = 8");
  AuditReport r = Verify();
  EXPECT_TRUE(Has(r, "altered", 7));
  EXPECT_TRUE(Has(r, "altered", 8));
  EXPECT_EQ(r.problems.size(), 2u);
}

TEST_F(AuditTest, AlteredChangeRowIsFoundAtTheEntryThatCoversIt) {
  const auto entry = store_->AuditEntries(6, 1)->at(0);  // attendance of L1
  ASSERT_EQ(entry.seq, 7);
  // By someone who holds the register's key: the body opens, and its digest
  // differs.
  Status s = SealedConnection(path_, path_)
                 ->Exec("UPDATE versions SET body = seal(replace(unseal(body, 'body'), "
                        "'a1|absent|', 'a1|present|'), 'body') WHERE seq = " +
                        std::to_string(entry.last_change));
  ASSERT_TRUE(s.ok()) << s.ToString();
  AuditReport r = Verify();
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"altered"});
  EXPECT_TRUE(Has(r, "altered", 7));
}

TEST_F(AuditTest, AChangeRowThatNoLongerOpensIsAltered) {
  // By someone without the key: the sealed body no longer opens. The check
  // reports it where it is and goes on; reading the record fails loudly.
  const auto entry = store_->AuditEntries(6, 1)->at(0);
  RawExec(path_, "UPDATE versions SET body = 's1:' || substr(body, 5) WHERE seq = " +
                     std::to_string(entry.last_change));
  AuditReport r = Verify();
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"altered"});
  EXPECT_TRUE(Has(r, "altered", 7));
  auto changes = store_->ChangesAfter(0, 100);
  ASSERT_FALSE(changes.ok());
  EXPECT_EQ(changes.status().code(), StatusCode::kDataLoss);
}

TEST_F(AuditTest, AlteredChangeRowWriterIsFound) {
  RawExec(path_, "UPDATE versions SET writer_user = 'x' WHERE seq = 1");
  EXPECT_TRUE(Has(Verify(), "altered", 2));
}

TEST_F(AuditTest, DeletedMiddleEntryIsFound) {
  RawExec(path_, "DELETE FROM audit WHERE seq = 5");
  AuditReport r = Verify();
  EXPECT_TRUE(Has(r, "removed", 6)) << ::testing::PrintToString(Kinds(r));
  EXPECT_TRUE(HasKind(r, "unaudited-change"));
  EXPECT_FALSE(HasKind(r, "altered"));
}

TEST_F(AuditTest, DeletedFirstEntryIsFound) {
  RawExec(path_, "DELETE FROM audit WHERE seq = 1");
  EXPECT_TRUE(Has(Verify(), "removed", 2));
}

TEST_F(AuditTest, DeletedLastEntryIsAHeadMismatch) {
  RawExec(path_, "DELETE FROM audit WHERE seq = 9");
  AuditReport r = Verify();
  EXPECT_TRUE(Has(r, "head-mismatch", 9)) << ::testing::PrintToString(Kinds(r));
  EXPECT_TRUE(HasKind(r, "unaudited-change"));
}

TEST_F(AuditTest, DeletedLastEntryAndItsChangesIsStillAHeadMismatch) {
  const auto last = store_->AuditEntries(8, 1)->at(0);
  RawExec(path_, "DELETE FROM audit WHERE seq = 9; DELETE FROM versions WHERE seq >= " +
                     std::to_string(last.first_change));
  EXPECT_EQ(Kinds(Verify()), std::vector<std::string>{"head-mismatch"});
}

TEST_F(AuditTest, SwappedEntriesAreReordered) {
  RawExec(path_,
          "UPDATE audit SET seq = -seq WHERE seq IN (3, 4);"
          "UPDATE audit SET seq = 4 WHERE seq = -3;"
          "UPDATE audit SET seq = 3 WHERE seq = -4;");
  AuditReport r = Verify();
  EXPECT_TRUE(Has(r, "reordered", 3)) << ::testing::PrintToString(Kinds(r));
  EXPECT_TRUE(Has(r, "reordered", 4));
  EXPECT_EQ(r.problems.size(), 2u) << ::testing::PrintToString(Kinds(r));
}

TEST_F(AuditTest, EntryBeyondTheHeadIsInserted) {
  RawExec(path_,
          "INSERT INTO audit SELECT 10, at_ms, actor_replica, actor_role, actor_user, action, "
          "summary, 0, 0, digest, hash, hash FROM audit WHERE seq = 9");
  EXPECT_TRUE(Has(Verify(), "inserted", 10));
  // Writing is refused until someone looks, rather than chaining onto it.
  Status s = store_->RecordAttendance(Admin(), std::vector{Present("L2", "S2")}, "");
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
}

TEST_F(AuditTest, ChangeRowWithoutAnEntryIsUnaudited) {
  RawExec(path_,
          "INSERT INTO versions (kind, record_id, vv, hlc, writer_replica, writer_role, "
          "writer_user, body) SELECT kind, record_id, vv, hlc, writer_replica, writer_role, "
          "writer_user, body FROM versions WHERE seq = 1");
  AuditReport r = Verify();
  EXPECT_EQ(Kinds(r), std::vector<std::string>{"unaudited-change"});
}

TEST_F(AuditTest, DeletedChangeRowIsRemoved) {
  RawExec(path_, "DELETE FROM versions WHERE seq = 2");
  EXPECT_TRUE(Has(Verify(), "removed", 2));
}

TEST_F(AuditTest, TamperingWithTheSqlite3ShellIsFound) {
  // scripts/install-deps.sh installs the shell (scripts/packages.txt): its
  // absence is a broken set-up, not a reason to test less.
  ASSERT_EQ(std::system("command -v sqlite3 >/dev/null 2>&1"), 0)
      << "the sqlite3 shell is not installed (scripts/install-deps.sh installs it)";
  ASSERT_TRUE(Verify().ok());
  const std::string command =
      "sqlite3 '" + path_ + "' \"UPDATE audit SET summary='x' WHERE seq=2\"";
  ASSERT_EQ(std::system(command.c_str()), 0);
  AuditReport r = Verify();  // the store is still open: it sees the change
  EXPECT_TRUE(Has(r, "altered", 2));
  EXPECT_FALSE(r.ok());
}

TEST_F(AuditTest, EntryHashFollowsTheDocumentedFormat) {
  // docs/storage.md: SHA-256 over length-prefixed fields (8-byte big-endian
  // length, then the bytes; integers in decimal), tag first.
  const AuditEntry e = store_->AuditEntries(1, 1)->at(0);
  auto field = [](std::string* out, const std::string& f) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out->push_back(static_cast<char>((static_cast<uint64_t>(f.size()) >> shift) & 0xff));
    }
    *out += f;
  };
  std::string input;
  for (const std::string& f :
       {std::string("presentie.audit.entry.v1"), e.prev_hash, std::to_string(e.seq),
        std::to_string(e.at_ms), e.actor.replica, std::string(ToString(e.actor.role)), e.actor.user,
        e.action, e.summary, std::to_string(e.first_change), std::to_string(e.last_change),
        e.digest}) {
    field(&input, f);
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> hash{};
  crypto_hash_sha256(hash.data(), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  EXPECT_EQ(e.hash, std::string(hex.data()));
}

}  // namespace audit_test
}  // namespace presentie::storage
