// Store::UpdateLearner: the admin changes a learner's fields with a new
// version that dominates the record's live ones; every other replica that
// receives it shows the new fields.
#include <gtest/gtest.h>

#include "storage_test_util.h"

namespace presentie::storage {
namespace learner_edit_test {

using testing::Admin;
using testing::Populate;
using testing::RawInt;
using testing::StorageTest;
using testing::Teacher;
using testing::VersionsAfter;

class LearnerEditTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    store_ = CreateRegister();
    Populate(*store_, 2, 1);  // S1, S2
  }
  int64_t LiveVersions(const std::string& id) {
    return RawInt(path_, "SELECT count(*) FROM versions WHERE kind = 'learner' AND record_id = '" +
                             id + "' AND live = 1");
  }
  std::unique_ptr<Store> store_;
};

TEST_F(LearnerEditTest, AnEditIsANewVersionThatDominatesAndIsShown) {
  Learner l = store_->GetLearner("S1").value();
  const VersionStamp before = store_->GetStamp(RecordKind::kLearner, "S1").value();
  l.route = Route::kZ;
  l.name = "Amina H.";
  ASSERT_TRUE(store_->UpdateLearner(Admin(), l).ok());
  EXPECT_EQ(store_->GetLearner("S1").value(), l);
  const VersionStamp after = store_->GetStamp(RecordKind::kLearner, "S1").value();
  EXPECT_EQ(after.vv.Compare(before.vv), Ordering::kDominates);
  EXPECT_EQ(LiveVersions("S1"), 1);
  // The audit entry names the fields, not their values.
  const auto audit = store_->AuditEntries(0, 1000).value();
  EXPECT_EQ(audit.back().action, "learner.edit");
  EXPECT_EQ(audit.back().summary, "learner 'S1' changed: name, route");
  EXPECT_TRUE(store_->VerifyAudit()->ok());

  // Another register that holds the first version takes the edit.
  auto other =
      Store::Create(PathOf("other.db"), InitOptions{"Taalschool", "25AB", Role::kAdmin}, Options());
  ASSERT_TRUE(other.ok());
  auto versions = VersionsAfter(*store_, 0);
  ASSERT_TRUE(versions.ok());
  ASSERT_TRUE((*other)->ApplyRemote(store_->info().replica_id, *versions, {}).ok());
  EXPECT_EQ((*other)->GetLearner("S1").value(), l);
}

TEST_F(LearnerEditTest, RefusedEditsChangeNothing) {
  const int64_t last = store_->LastChangeSeq().value();
  const size_t entries = store_->AuditEntries(0, 1000).value().size();
  Learner l = store_->GetLearner("S1").value();
  l.name = "Someone else";
  EXPECT_EQ(store_->UpdateLearner(Teacher(), l).code(), StatusCode::kPermissionDenied);
  Learner clash = l;
  clash.bsn = store_->GetLearner("S2").value().bsn;
  EXPECT_EQ(store_->UpdateLearner(Admin(), clash).code(), StatusCode::kAlreadyExists);
  Learner unknown = l;
  unknown.id = "S9";
  EXPECT_EQ(store_->UpdateLearner(Admin(), unknown).code(), StatusCode::kNotFound);
  Learner invalid = l;
  invalid.category = Category::kAsylumPermitHolder;  // needs a gemeente code under Wi2021
  invalid.gemeente_code = "";
  EXPECT_EQ(store_->UpdateLearner(Admin(), invalid).code(), StatusCode::kInvalidArgument);
  // The same values again: no version, no audit entry.
  EXPECT_TRUE(store_->UpdateLearner(Admin(), store_->GetLearner("S1").value()).ok());
  EXPECT_EQ(store_->LastChangeSeq().value(), last);
  EXPECT_EQ(store_->AuditEntries(0, 1000).value().size(), entries);
}

}  // namespace learner_edit_test
}  // namespace presentie::storage
