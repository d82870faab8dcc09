// Records as versions (storage/versioned.h): the canonical body round-trips
// through FromChange for every kind, byte for byte with the store's own
// change log, and a bad body is refused by record id without its contents.
#include "storage/versioned.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/ids.h"
#include "storage_test_util.h"

namespace presentie::storage {
namespace versioned_test {

using testing::Absent;
using testing::Admin;
using testing::Populate;
using testing::Present;
using testing::SampleCourse;
using testing::SampleLearner;
using testing::SampleLesson;
using testing::StorageTest;
using testing::Teacher;

VersionStamp Stamp() {
  VersionStamp s;
  s.vv.Set("0a1b2c3d4e5f6071", 2);
  s.vv.Set("ffee000000000001", 1);
  s.hlc = Hlc{1'790'000'000'123, 4};
  s.writer = Writer{"0a1b2c3d4e5f6071", Role::kAdmin, "admin1"};
  return s;
}

Change ChangeOf(const Record& r) {
  Change c;
  c.seq = 7;
  c.kind = KindOf(r);
  c.record_id = RecordIdOf(r);
  c.stamp = Stamp();
  Result<std::string> body = EncodeRecordBody(r);
  EXPECT_TRUE(body.ok()) << body.status().ToString();
  if (body.ok()) c.body = *body;
  return c;
}

std::vector<Record> OneOfEachKind() {
  Learner wi2013 = SampleLearner("S2", 2);
  wi2013.regime = Regime::kWi2013;
  wi2013.route = Route::kNone;
  wi2013.level = Level::kNone;
  wi2013.category = Category::kAsylumPermitHolder;
  wi2013.gemeente_code = "0363";
  wi2013.name = "Zoë Çelik";
  Course open_ended = SampleCourse("C2", Component::kLiteracy);
  open_ended.start_date.reset();
  open_ended.end_date.reset();
  Enrollment e{EnrollmentId("C1", "S1"), "C1", "S1", false};
  Attendance decided = Absent("L1", "S2", AbsenceReason::kReligiousHoliday);
  decided.id = AttendanceId("L1", "S2");
  decided.notified_in_advance = true;
  decided.mode = Mode::kRemote;
  decided.decision = ClassificationDecision{Classification::kExcused, Role::kGemeente};
  Attendance present = Present("L1", "S1");
  present.id = AttendanceId("L1", "S1");
  return {SampleLearner("S1", 1),
          wi2013,
          SampleCourse("C1"),
          open_ended,
          e,
          SampleLesson("L1", "C1", 3),
          decided,
          present,
          testing::SampleDuoHours("S1", 1, 57),
          testing::SampleGemeenteHours("S2", 2, "0363", 12),
          Qualification{"j-de-vries.nt2", "J. de Vries", Component::kNt2, "Post-hbo NT2-docent",
                        Date{2015, 6, 30}},
          exports::BowPlanning{exports::BowPlanningId("C1"), "C1", "NT2 B1", Component::kNt2,
                               Regime::kWi2021, Route::kB1, Date{2026, 9, 1}, Date{2027, 6, 30},
                               40, 7200, {"J. de Vries", "Ş. Yılmaz"}},
          exports::BowQualification{exports::BowQualificationId("j-de-vries.nt2"),
                                    "j-de-vries.nt2", "J. de Vries", Component::kNt2,
                                    "Post-hbo NT2-docent", Date{2015, 6, 30}},
          exports::GemeentePip{exports::GemeentePipId("0363", "S2"), "S2", "0363", Route::kZ,
                               Level::kA2, Literacy::kAA, 800, 3, Date{2026, 12, 2}},
          exports::DuoDuty{exports::DuoDutyId("S1"), "S1", testing::ValidBsn(1),
                           exports::DutyStatus::kFulfilled, std::nullopt, Date{2026, 12, 3}},
          exports::Contract{"2026-014", "S1", testing::ValidBsn(1), Date{2026, 8, 20},
                            Date{2026, 9, 1}, Date{2027, 8, 31}, 600, 650000},
          exports::Invoice{"F2026-0301", "2026-014", "S1", testing::ValidBsn(1),
                           Date{2026, 10, 1}, 120, 130000},
          exports::BridgingDiploma{exports::BridgingDiplomaId("S2", "0363"), "S2",
                                   testing::ValidBsn(2), "0363", Date{2027, 6, 30}},
          exports::GemeenteNaw{exports::GemeenteNawId("0363", "S2"), "S2", "0363", "Zoë Çelik",
                               "Kerkstraat 12 A", "1011AB", "Amsterdam", Date{2026, 12, 2}}};
}

TEST(VersionedTest, KindAndIdOfEachRecord) {
  const std::vector<Record> records = OneOfEachKind();
  EXPECT_EQ(KindOf(records[0]), RecordKind::kLearner);
  EXPECT_EQ(RecordIdOf(records[0]), "S1");
  EXPECT_EQ(KindOf(records[2]), RecordKind::kCourse);
  EXPECT_EQ(KindOf(records[4]), RecordKind::kEnrollment);
  EXPECT_EQ(RecordIdOf(records[4]), "C1/S1");
  EXPECT_EQ(KindOf(records[5]), RecordKind::kLesson);
  EXPECT_EQ(RecordIdOf(records[5]), "L1");
  EXPECT_EQ(KindOf(records[6]), RecordKind::kAttendance);
  EXPECT_EQ(RecordIdOf(records[6]), "L1/S2");
  EXPECT_EQ(KindOf(records[8]), RecordKind::kDuoHours);
  EXPECT_EQ(RecordIdOf(records[8]), "duo/S1/C1/2026-11");
  EXPECT_EQ(KindOf(records[9]), RecordKind::kGemeenteHours);
  EXPECT_EQ(RecordIdOf(records[9]), "gemeente/0363/S2/2026-11-30");
  EXPECT_EQ(KindOf(records[10]), RecordKind::kQualification);
  EXPECT_EQ(RecordIdOf(records[10]), "j-de-vries.nt2");
  EXPECT_EQ(KindOf(records[11]), RecordKind::kBowPlanning);
  EXPECT_EQ(RecordIdOf(records[11]), "bow/planning/C1");
  EXPECT_EQ(KindOf(records[12]), RecordKind::kBowQualification);
  EXPECT_EQ(RecordIdOf(records[12]), "bow/qualification/j-de-vries.nt2");
  EXPECT_EQ(KindOf(records[13]), RecordKind::kGemeentePip);
  EXPECT_EQ(RecordIdOf(records[13]), "gemeente/0363/pip/S2");
  EXPECT_EQ(KindOf(records[14]), RecordKind::kDuoDuty);
  EXPECT_EQ(RecordIdOf(records[14]), "duo/duty/S1");
  EXPECT_EQ(KindOf(records[15]), RecordKind::kContract);
  EXPECT_EQ(RecordIdOf(records[15]), "2026-014");
  EXPECT_EQ(KindOf(records[16]), RecordKind::kInvoice);
  EXPECT_EQ(RecordIdOf(records[16]), "F2026-0301");
  EXPECT_EQ(KindOf(records[17]), RecordKind::kBridgingDiploma);
  EXPECT_EQ(RecordIdOf(records[17]), "gemeente/0363/diploma/S2");
  EXPECT_EQ(KindOf(records[18]), RecordKind::kGemeenteNaw);
  EXPECT_EQ(RecordIdOf(records[18]), "gemeente/0363/naw/S2");
}

TEST(VersionedTest, EncodeThenFromChangeRoundTripsEveryKind) {
  for (const Record& r : OneOfEachKind()) {
    const Change c = ChangeOf(r);
    Result<VersionedRecord> v = FromChange(c);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(v->record, r) << c.body;
    EXPECT_EQ(v->stamp, c.stamp);
    // And back to the very same bytes.
    Result<std::string> again = EncodeRecordBody(v->record);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, c.body);
  }
}

using VersionedStoreTest = StorageTest;

// The bodies the store itself wrote decode, and encode back byte for byte:
// EncodeRecordBody is the store's encoder.
TEST_F(VersionedStoreTest, StoreBodiesDecodeAndReencodeByteForByte) {
  auto store = CreateRegister();
  ASSERT_NE(store, nullptr);
  Populate(*store, 3, 2);
  std::vector<Attendance> records = {Present("L1", "S1"), Absent("L1", "S2"), Present("L2", "S3")};
  ASSERT_TRUE(store->RecordAttendance(Teacher(), records, "").ok());
  Attendance edit = Absent("L1", "S1", AbsenceReason::kIllness);
  ASSERT_TRUE(store->RecordAttendance(Admin(), std::vector<Attendance>{edit}, "").ok());

  Result<std::vector<Change>> changes = store->ChangesAfter(0, 1000);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  std::vector<bool> seen(5, false);
  for (const Change& c : *changes) {
    Result<VersionedRecord> v = FromChange(c);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(RecordIdOf(v->record), c.record_id);
    EXPECT_EQ(KindOf(v->record), c.kind);
    EXPECT_EQ(v->stamp, c.stamp);
    Result<std::string> body = EncodeRecordBody(v->record);
    ASSERT_TRUE(body.ok());
    EXPECT_EQ(*body, c.body);
    seen[static_cast<size_t>(c.kind)] = true;
  }
  for (bool s : seen) EXPECT_TRUE(s);

  Result<Learner> learner = store->GetLearner("S2");
  ASSERT_TRUE(learner.ok());
  bool found = false;
  for (const Change& c : *changes) {
    if (c.kind == RecordKind::kLearner && c.record_id == "S2") {
      EXPECT_EQ(std::get<Learner>(FromChange(c)->record), *learner);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

Change Tampered(const Record& r, const std::string& from, const std::string& to) {
  Change c = ChangeOf(r);
  const size_t at = c.body.find(from);
  EXPECT_NE(at, std::string::npos) << from << " in " << c.body;
  if (at != std::string::npos) c.body.replace(at, from.size(), to);
  return c;
}

void ExpectRefused(const Change& c, const std::string& must_say,
                   const std::string& must_not_say = "") {
  Result<VersionedRecord> v = FromChange(c);
  ASSERT_FALSE(v.ok()) << c.body;
  EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find("'" + c.record_id + "'"), std::string::npos)
      << v.status().message();
  EXPECT_NE(v.status().message().find(must_say), std::string::npos) << v.status().message();
  if (!must_not_say.empty()) {
    EXPECT_EQ(v.status().message().find(must_not_say), std::string::npos) << v.status().message();
  }
}

TEST(VersionedTest, RefusesBodiesThatAreNotTheRecord) {
  const Learner learner = SampleLearner("S1", 1);
  const std::string bsn = learner.bsn;

  Change not_json = ChangeOf(learner);
  not_json.body = "{\"id\":\"S1\",\"bsn\":\"" + bsn + "\"";
  ExpectRefused(not_json, "not a JSON object", bsn);

  Change array = ChangeOf(learner);
  array.body = "[1,2]";
  ExpectRefused(array, "not a JSON object");

  // The BSN where the category belongs: named as a field, never shown.
  ExpectRefused(Tampered(learner, "\"family_migrant\"", "\"" + bsn + "\""), "'category'", bsn);
  ExpectRefused(Tampered(learner, "\"family_migrant\"", "\"Family-Migrant\""), "'category'");
  ExpectRefused(Tampered(learner, "\"name\":", "\"nom\":"), "'name' is missing");
  ExpectRefused(Tampered(learner, "\"estimated_hours\":600", "\"estimated_hours\":\"600\""),
                "'estimated_hours'");
  ExpectRefused(Tampered(learner, "\"estimated_hours\":600", "\"estimated_hours\":6.5"),
                "'estimated_hours'");
  ExpectRefused(Tampered(learner, "\"estimated_hours\":600", "\"estimated_hours\":99999999999"),
                "'estimated_hours'");
  ExpectRefused(Tampered(learner, "\"id\":\"S1\"", "\"id\":\"S9\""), "does not match");

  const Course course = SampleCourse("C1");
  ExpectRefused(Tampered(course, "\"2026-09-01\"", "\"2026-9-1\""), "'start_date'");
  ExpectRefused(Tampered(course, "\"2026-09-01\"", "\"2026-02-30\""), "'start_date'");
  ExpectRefused(Tampered(course, "\"2026-09-01\"", "17"), "'start_date'");

  const Lesson lesson = SampleLesson("L1", "C1", 3);
  ExpectRefused(Tampered(lesson, "T09:00", " 09:00"), "'start'");

  Attendance a = Absent("L1", "S2");
  a.id = AttendanceId("L1", "S2");
  ASSERT_EQ(ChangeOf(a).body, "a1|absent|0|on_site|0|illness|-|-|said so on the phone");
  ExpectRefused(Tampered(a, "|absent|", "|afwezig|"), "'status'");
  ExpectRefused(Tampered(a, "|0|on_site", "|00|on_site"), "'minutes_present'");
  ExpectRefused(Tampered(a, "|0|on_site", "|x|on_site"), "'minutes_present'");
  ExpectRefused(Tampered(a, "on_site|0|", "on_site|no|"), "'notified_in_advance'");
  ExpectRefused(Tampered(a, "|-|-|", "|excused|-|"), "'decision'");
  ExpectRefused(Tampered(a, "|illness|", "|ziek|"), "'reason'");  // Dutch is input, not a body
  ExpectRefused(Tampered(a, "|-|-|said so on the phone", "|-|-"), "'decided_by' is missing");
  ExpectRefused(Tampered(a, "|illness|-|-|said so on the phone", "|illness|"),
                "'decision' is missing");
  Change no_slash = ChangeOf(a);
  no_slash.record_id = "L1S2";
  ExpectRefused(no_slash, "<lesson>/<learner>");

  Enrollment e{EnrollmentId("C1", "S1"), "C1", "S1", true};
  ExpectRefused(Tampered(e, "\"learner_id\":\"S1\"", "\"learner_id\":\"S2\""), "does not match");
}

// Attendance bodies written before the compact form (schema versions up to
// 8) were JSON objects; they stay readable, as strictly as before.
TEST(VersionedTest, AnAttendanceBodyOfTheJsonFormStillReads) {
  Attendance a = Absent("L1", "S2");
  a.id = AttendanceId("L1", "S2");
  a.decision = ClassificationDecision{Classification::kExcused, Role::kGemeente};
  Change c = ChangeOf(a);
  c.body = R"({"decision":{"decided_by":"gemeente","value":"excused"},"id":"L1/S2",)"
           R"("learner_id":"S2","lesson_id":"L1","minutes_present":0,"mode":"on_site",)"
           R"("note":"said so on the phone","notified_in_advance":false,"reason":"illness",)"
           R"("status":"absent"})";
  Result<VersionedRecord> v = FromChange(c);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(std::get<Attendance>(v->record), a);
  Change bad = c;
  bad.body.replace(bad.body.find("\"absent\""), 8, "\"afwezig\"");
  ExpectRefused(bad, "'status'");
  bad = c;
  bad.body.replace(bad.body.find("\"id\":\"L1/S2\""), 12, "\"id\":\"L1/S3\"");
  ExpectRefused(bad, "does not match");
}

TEST(VersionedTest, IgnoresKeysANewerProgramAdded) {
  const Learner learner = SampleLearner("S1", 1);
  Change c = Tampered(learner, "{", "{\"zz_new_field\":[1,2,3],");
  Result<VersionedRecord> v = FromChange(c);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(std::get<Learner>(v->record), learner);
}

}  // namespace versioned_test
}  // namespace presentie::storage
