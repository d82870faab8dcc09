// sync::SentTo (sync/routing.h): which remote is sent which versions.
#include "sync/routing.h"

#include <gtest/gtest.h>

namespace presentie::sync {
namespace routing_test {

using storage::RecordKind;

// Which remote is sent what (the engine's push, the server and `status`
// all ask).
TEST(SentToTest, EachAuthorityIsSentOnlyItsOwnRows) {
  EXPECT_TRUE(SentTo(Role::kHub, "", RecordKind::kAttendance, "L1/S1"));
  EXPECT_TRUE(SentTo(Role::kHub, "", RecordKind::kGemeenteHours, "gemeente/0363/S1/2026-11-30"));
  EXPECT_TRUE(SentTo(Role::kDuo, "", RecordKind::kDuoHours, "duo/S1/C1/2026-11"));
  EXPECT_FALSE(SentTo(Role::kDuo, "", RecordKind::kAttendance, "L1/S1"));
  EXPECT_FALSE(SentTo(Role::kDuo, "", RecordKind::kGemeenteHours, "gemeente/0363/S1/2026-11-30"));
  EXPECT_TRUE(
      SentTo(Role::kGemeente, "0363", RecordKind::kGemeenteHours, "gemeente/0363/S1/2026-11-30"));
  EXPECT_FALSE(
      SentTo(Role::kGemeente, "0518", RecordKind::kGemeenteHours, "gemeente/0363/S1/2026-11-30"));
  EXPECT_FALSE(SentTo(Role::kGemeente, "0363", RecordKind::kLearner, "S1"));
  EXPECT_FALSE(SentTo(Role::kGemeente, "0363", RecordKind::kDuoHours, "duo/S1/C1/2026-11"));
  // BoW: the course planning and the qualifications, never a course, a
  // lesson, a teacher's own qualification record or anything of a learner.
  EXPECT_FALSE(SentTo(Role::kBow, "", RecordKind::kCourse, "C1"));
  EXPECT_FALSE(SentTo(Role::kBow, "", RecordKind::kLesson, "C1-20261130-0900"));
  EXPECT_FALSE(SentTo(Role::kBow, "", RecordKind::kQualification, "jdv.nt2"));
  EXPECT_FALSE(SentTo(Role::kBow, "", RecordKind::kDuoHours, "duo/S1/C1/2026-11"));
  EXPECT_TRUE(SentTo(Role::kBow, "", RecordKind::kBowPlanning, "bow/planning/C1"));
  EXPECT_TRUE(SentTo(Role::kBow, "", RecordKind::kBowQualification, "bow/qualification/jdv.nt2"));
  EXPECT_FALSE(SentTo(Role::kDuo, "", RecordKind::kBowPlanning, "bow/planning/C1"));
  EXPECT_FALSE(
      SentTo(Role::kGemeente, "0363", RecordKind::kBowQualification, "bow/qualification/jdv.nt2"));
  EXPECT_TRUE(SentTo(Role::kHub, "", RecordKind::kQualification, "jdv.nt2"));
  // A gemeente gets its residents' absences, and never its decisions back;
  // the school's own replicas get the decisions.
  EXPECT_TRUE(
      SentTo(Role::kGemeente, "0363", RecordKind::kGemeenteAbsence, "gemeente/0363/absence/L1/S1"));
  EXPECT_FALSE(
      SentTo(Role::kGemeente, "0518", RecordKind::kGemeenteAbsence, "gemeente/0363/absence/L1/S1"));
  EXPECT_FALSE(SentTo(Role::kGemeente, "0363", RecordKind::kGemeenteDecision,
                      "gemeente/0363/decision/L1/S1"));
  EXPECT_FALSE(SentTo(Role::kDuo, "", RecordKind::kGemeenteAbsence, "gemeente/0363/absence/L1/S1"));
  EXPECT_TRUE(SentTo(Role::kDuo, "", RecordKind::kDuoAbsence, "duo/absence/L1/S1"));
  EXPECT_FALSE(SentTo(Role::kGemeente, "0363", RecordKind::kDuoAbsence, "duo/absence/L1/S1"));
  EXPECT_TRUE(
      SentTo(Role::kHub, "", RecordKind::kGemeenteDecision, "gemeente/0363/decision/L1/S1"));
}

// A bridging diploma goes to the endpoint its id addresses (the store makes
// the ids: duo/diploma/<learner> for DUO, gemeente/<code>/diploma/<learner>
// for a gemeente, tests/unit/storage/contracts_test.cc); contracts and
// invoices to DUO alone.
TEST(SentToTest, ADiplomaGoesOnlyToTheEndpointItIsAddressedTo) {
  EXPECT_TRUE(SentTo(Role::kDuo, "", RecordKind::kBridgingDiploma, "duo/diploma/S3"));
  EXPECT_FALSE(SentTo(Role::kDuo, "", RecordKind::kBridgingDiploma, "gemeente/0363/diploma/S2"));
  EXPECT_TRUE(
      SentTo(Role::kGemeente, "0363", RecordKind::kBridgingDiploma, "gemeente/0363/diploma/S2"));
  EXPECT_FALSE(
      SentTo(Role::kGemeente, "0599", RecordKind::kBridgingDiploma, "gemeente/0363/diploma/S2"));
  EXPECT_FALSE(SentTo(Role::kGemeente, "0363", RecordKind::kBridgingDiploma, "duo/diploma/S3"));
  EXPECT_FALSE(SentTo(Role::kBow, "", RecordKind::kContract, "2026-014"));
  EXPECT_TRUE(SentTo(Role::kDuo, "", RecordKind::kInvoice, "F1"));
}

}  // namespace routing_test
}  // namespace presentie::sync
