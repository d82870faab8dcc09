// Contracts, invoices and bridging diplomas in the store (docs/authorities.md,
// "Contracts, invoices, bridging diplomas"): the admin's alone, completed
// from the register (the BSN; an invoice's learner; a diploma's receiver by
// R1), written all or nothing, and refused from anyone else when received.
#include <gtest/gtest.h>

#include "core/authorities.h"
#include "core/ownership.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace contracts_test {

using testing::Admin;
using testing::SampleLearner;
using testing::StorageTest;
using testing::Teacher;
using testing::VersionsAfter;

exports::Contract ContractOf(std::string id, std::string learner, int hours = 600) {
  exports::Contract c;
  c.id = std::move(id);
  c.learner_id = std::move(learner);
  c.signed_on = Date{2026, 8, 20};
  c.start = Date{2026, 9, 1};
  c.end = Date{2027, 8, 31};
  c.hours = hours;
  c.price_cents = 650000;
  return c;
}

exports::Invoice InvoiceOf(std::string id, std::string contract) {
  exports::Invoice i;
  i.id = std::move(id);
  i.contract_id = std::move(contract);
  i.invoiced_on = Date{2026, 10, 1};
  i.hours = 120;
  i.amount_cents = 130000;
  return i;
}

exports::BridgingDiploma DiplomaOf(std::string learner) {
  exports::BridgingDiploma d;
  d.learner_id = std::move(learner);
  d.awarded_on = Date{2027, 6, 30};
  return d;
}

class ContractsTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    school_ = CreateRegister();
    ASSERT_NE(school_, nullptr);
    family_ = SampleLearner("S1", 1);
    asylum_ = SampleLearner("S2", 2);
    asylum_.category = Category::kAsylumPermitHolder;
    asylum_.gemeente_code = "0363";
    asylum_.route = Route::kEducation;
    Learner education = SampleLearner("S3", 3);
    education.route = Route::kEducation;
    ASSERT_TRUE(school_
                    ->AddLearners(Admin(), std::vector{family_, asylum_, education},
                                  "learner.add")
                    .ok());
  }

  int64_t Seq() { return *school_->LastChangeSeq(); }

  std::unique_ptr<Store> school_;
  Learner family_;
  Learner asylum_;
};

TEST_F(ContractsTest, AContractTakesItsLearnersBsnAndIsTheAdminsAlone) {
  const int64_t before = Seq();
  auto added = school_->RecordContracts(Admin(), {ContractOf("2026-014", "S1"),
                                                  ContractOf("2026-015", "S2")});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->added, 2u);
  EXPECT_EQ(Seq(), before + 2);
  auto held = school_->ListContracts();
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->size(), 2u);
  exports::Contract expected = ContractOf("2026-014", "S1");
  expected.bsn = family_.bsn;
  EXPECT_EQ((*held)[0], expected);
  EXPECT_EQ((*held)[1].bsn, asylum_.bsn);  // R1: DUO gets an asylum permit holder's contract too

  // The same again writes nothing; other hours are a new version.
  auto again = school_->RecordContracts(Admin(), {ContractOf("2026-014", "S1", 400),
                                                  ContractOf("2026-015", "S2")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((std::pair{again->changed, again->unchanged}), (std::pair{uint64_t{1}, uint64_t{1}}));
  EXPECT_EQ(Seq(), before + 3);

  // An unknown learner, a bad record or a teacher: nothing written at all.
  auto unknown = school_->RecordContracts(Admin(), {ContractOf("2026-016", "S1"),
                                                    ContractOf("2026-017", "S9")});
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("'S9'"), std::string::npos);
  exports::Contract backwards = ContractOf("2026-016", "S1");
  backwards.end = Date{2026, 1, 1};
  EXPECT_EQ(school_->RecordContracts(Admin(), {backwards}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(school_->RecordContracts(Teacher(), {ContractOf("2026-016", "S1")}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Seq(), before + 3);
  auto log = school_->AuditEntries(0, 100);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().action, "contract.add");
  EXPECT_TRUE(school_->VerifyAudit()->ok());
}

TEST_F(ContractsTest, AnInvoiceTakesItsContractsLearnerAndNoneIsKeptOfAWi2021AsylumPermitHolder) {
  ASSERT_TRUE(school_
                  ->RecordContracts(Admin(), {ContractOf("2026-014", "S1"),
                                              ContractOf("2026-015", "S2")})
                  .ok());
  const int64_t before = Seq();
  auto added = school_->RecordInvoices(Admin(), {InvoiceOf("F1", "2026-014")});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto held = school_->ListInvoices();
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ((*held)[0].learner_id, "S1");
  EXPECT_EQ((*held)[0].bsn, family_.bsn);

  // R1: the gemeente contracts the school for a Wi2021 asylum permit holder;
  // nobody receives such an invoice, so none is kept — with the other
  // invoice of the same call not written either.
  auto asylum = school_->RecordInvoices(Admin(), {InvoiceOf("F2", "2026-014"),
                                                  InvoiceOf("F3", "2026-015")});
  EXPECT_EQ(asylum.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(asylum.status().message().find("R1"), std::string::npos);
  EXPECT_EQ(school_->RecordInvoices(Admin(), {InvoiceOf("F4", "nope")}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Seq(), before + 1);
  EXPECT_EQ(school_->ListInvoices()->size(), 1u);
}

TEST_F(ContractsTest, ADiplomaIsAddressedByR1AndOnlyForTheOnderwijsroute) {
  auto added = school_->RecordDiplomas(Admin(), {DiplomaOf("S2"), DiplomaOf("S3")});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto held = school_->ListDiplomas();
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->size(), 2u);
  // By id: the DUO-addressed one (S3, a family migrant) sorts first.
  EXPECT_EQ((*held)[0].id, "duo/diploma/S3");
  EXPECT_EQ((*held)[0].gemeente_code, "");
  EXPECT_EQ((*held)[1].id, "gemeente/0363/diploma/S2");
  EXPECT_EQ((*held)[1].bsn, asylum_.bsn);
  // Each endpoint is sent only its own by these ids (tests/unit/sync/routing_test.cc).

  // S1 follows the B1-route: a bridging diploma completes no route of theirs.
  const int64_t seq = Seq();
  auto b1 = school_->RecordDiplomas(Admin(), {DiplomaOf("S1")});
  EXPECT_EQ(b1.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(b1.status().message().find("onderwijsroute"), std::string::npos);
  EXPECT_EQ(Seq(), seq);
}

TEST_F(ContractsTest, TheyTravelWholeAndFromAnyoneButTheAdminAreRefusedAndKept) {
  ASSERT_TRUE(school_->RecordContracts(Admin(), {ContractOf("2026-014", "S1")}).ok());
  ASSERT_TRUE(school_->RecordInvoices(Admin(), {InvoiceOf("F1", "2026-014")}).ok());
  ASSERT_TRUE(school_->RecordDiplomas(Admin(), {DiplomaOf("S2")}).ok());
  auto versions = VersionsAfter(*school_, 0);
  ASSERT_TRUE(versions.ok());
  std::vector<VersionedRecord> forged;
  for (VersionedRecord v : *versions) {
    const RecordKind kind = KindOf(v.record);
    if (kind != RecordKind::kContract && kind != RecordKind::kInvoice &&
        kind != RecordKind::kBridgingDiploma) {
      continue;
    }
    v.stamp.writer.role = Role::kTeacher;
    forged.push_back(std::move(v));
  }
  ASSERT_EQ(forged.size(), 3u);
  std::unique_ptr<Store> hub = CreateRegisterAt("hub.db", Role::kHub);
  ASSERT_NE(hub, nullptr);
  auto applied = hub->ApplyRemote(school_->info().replica_id, forged, {});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->refused, 3u);
  EXPECT_TRUE(hub->ListContracts()->empty());
  auto refused = hub->ListRefused();
  ASSERT_TRUE(refused.ok());
  ASSERT_EQ(refused->size(), 3u);
  for (const auto& r : *refused) EXPECT_EQ(r.rule, own_rule::kSubmissionOwner);

  // As the admin wrote them, the hub holds each exactly as the school does.
  ASSERT_TRUE(hub->ApplyRemote(school_->info().replica_id, *versions, {}).ok());
  EXPECT_EQ(*hub->ListContracts(), *school_->ListContracts());
  EXPECT_EQ(*hub->ListInvoices(), *school_->ListInvoices());
  EXPECT_EQ(*hub->ListDiplomas(), *school_->ListDiplomas());
  EXPECT_EQ(*hub->CanonicalDump(), *school_->CanonicalDump());
}

// The same writes fed record by record (SubmitWrite, for an import): a
// refused record leaves the write usable and is reported as the record's;
// the commit writes what RecordContracts would, with the same audit entry;
// a write with nothing new or changed writes nothing.
TEST_F(ContractsTest, AStreamedWriteChecksEachRecordAndCommitsAllOrNothing) {
  const int64_t before = Seq();
  auto write = school_->BeginContracts(Admin());
  ASSERT_TRUE(write.ok()) << write.status().ToString();
  using Write = Store::SubmitWrite<exports::Contract>;
  ASSERT_TRUE((*write)->Add(ContractOf("2026-020", "S1")).ok());
  Status twice = (*write)->Add(ContractOf("2026-020", "S1", 500));
  EXPECT_EQ(twice.code(), StatusCode::kAlreadyExists) << twice.ToString();
  EXPECT_TRUE(Write::AboutTheRecord(twice));
  Status unknown = (*write)->Add(ContractOf("2026-021", "S9"));
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound) << unknown.ToString();
  EXPECT_TRUE(Write::AboutTheRecord(unknown));
  ASSERT_TRUE((*write)->Add(ContractOf("2026-022", "S2")).ok());
  EXPECT_EQ((*write)->result().added, 2u);
  write->reset();  // not committed: rolls back
  EXPECT_EQ(Seq(), before);

  write = school_->BeginContracts(Admin());
  ASSERT_TRUE(write.ok());
  ASSERT_TRUE((*write)->Add(ContractOf("2026-020", "S1")).ok());
  ASSERT_TRUE((*write)->Add(ContractOf("2026-022", "S2")).ok());
  ASSERT_TRUE((*write)->Commit().ok());
  write->reset();
  EXPECT_EQ(Seq(), before + 2);
  auto contracts = school_->ListContracts();
  ASSERT_TRUE(contracts.ok());
  ASSERT_EQ(contracts->size(), 2u);
  EXPECT_EQ((*contracts)[0].bsn, family_.bsn);
  auto log = school_->AuditEntries(0, 100);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().action, "contract.add");
  EXPECT_EQ(log->back().summary, "contracts: 2 new, 0 changed, 0 unchanged");
  const size_t entries = log->size();

  // The same again: unchanged, no commit, no audit entry.
  write = school_->BeginContracts(Admin());
  ASSERT_TRUE(write.ok());
  ASSERT_TRUE((*write)->Add(ContractOf("2026-020", "S1")).ok());
  ASSERT_TRUE((*write)->Commit().ok());
  EXPECT_EQ((*write)->result().unchanged, 1u);
  write->reset();
  EXPECT_EQ(Seq(), before + 2);
  EXPECT_EQ(school_->AuditEntries(0, 100)->size(), entries);

  // An invoice R1 sends nowhere is refused as the record's.
  auto invoices = school_->BeginInvoices(Admin());
  ASSERT_TRUE(invoices.ok());
  Status nowhere = (*invoices)->Add(InvoiceOf("F-1", "2026-022"));
  EXPECT_EQ(nowhere.code(), StatusCode::kFailedPrecondition) << nowhere.ToString();
  EXPECT_TRUE(Store::SubmitWrite<exports::Invoice>::AboutTheRecord(nowhere));
  EXPECT_TRUE((*invoices)->Add(InvoiceOf("F-2", "2026-020")).ok());

  // Only the admin begins one.
  EXPECT_EQ(school_->BeginContracts(Teacher()).status().code(), StatusCode::kPermissionDenied);
}

}  // namespace contracts_test
}  // namespace presentie::storage
