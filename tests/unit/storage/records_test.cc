// Bodies in the change log are canonical: exactly nlohmann::json's dump() of
// the same fields, for any text a record may hold.
#include "storage/internal/records.h"
#include "storage/kinds/all.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <vector>

#include "storage_test_util.h"

namespace presentie::storage::internal {
namespace records_test {

using Json = nlohmann::json;

// nlohmann's dump of `j`, or nullopt where it refuses (invalid UTF-8).
std::optional<std::string> NlohmannDump(const Json& j) {
  try {
    return j.dump();
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

// An attendance's body is compact text (internal/records.h): the facts in
// a fixed order, the note last and as it is; about a sixth of the JSON
// object it replaced.
TEST(RecordsTest, AttendanceBodyHasEveryFactInItsPlace) {
  Attendance a = testing::Absent("L1", "S1", AbsenceReason::kWedding);
  a.id = "L1/S1";
  a.notified_in_advance = true;
  a.decision = ClassificationDecision{Classification::kExcused, Role::kGemeente};
  EXPECT_EQ(*EncodeBody(a), "a1|absent|0|on_site|1|wedding|excused|gemeente|said so on the phone");
  a.decision.reset();
  a.note = "belde | om 8:00 — ziek";  // the note may hold the separator and any UTF-8
  EXPECT_EQ(*EncodeBody(a), "a1|absent|0|on_site|1|wedding|-|-|belde | om 8:00 — ziek");
  a.note = "\xff";
  EXPECT_EQ(EncodeBody(a).status().code(), StatusCode::kInvalidArgument);
  EXPECT_LT(EncodeBody(testing::Present("L1", "S1"))->size(), 40u);
}

// The kinds' names are in the change log and the outbox on disk, and in
// sync messages: pinned here, each parsed back, no two alike, and parsed
// exactly (storage/internal/records.cc holds the one table).
TEST(RecordsTest, EveryKindHasItsPermanentName) {
  const std::vector<std::string_view> names = {"learner",           "course",
                                               "enrollment",        "lesson",
                                               "attendance",        "duo_hours",
                                               "gemeente_hours",    "gemeente_absence",
                                               "gemeente_decision", "duo_absence",
                                               "duo_exam_result",   "qualification",
                                               "bow_planning",      "bow_qualification",
                                               "gemeente_pip",      "duo_duty",
                                               "contract",          "invoice",
                                               "bridging_diploma",  "gemeente_naw"};
  ASSERT_EQ(names.size(), std::size(kAllRecordKinds));
  std::set<std::string_view> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    const RecordKind kind = kAllRecordKinds[i];
    EXPECT_EQ(ToString(kind), names[i]);
    EXPECT_EQ(ParseRecordKind(ToString(kind)).value(), kind) << names[i];
    EXPECT_TRUE(seen.insert(ToString(kind)).second) << names[i];
  }
  EXPECT_EQ(ToString(static_cast<RecordKind>(names.size())), "");
  EXPECT_EQ(ParseRecordKind("Learner").status().message(), "unknown record kind 'Learner'");
  EXPECT_FALSE(ParseRecordKind("duo-hours").ok());
}

TEST(RecordsTest, EveryKindRoundTripsThroughNlohmannUnchanged) {
  Course course = testing::SampleCourse("C1");
  course.end_date.reset();
  Enrollment enrollment{"C1/S1", "C1", "S1", false};
  for (const std::string& body :
       {*EncodeBody(testing::SampleLearner("S1", 1)), *EncodeBody(course), *EncodeBody(enrollment),
        *EncodeBody(testing::SampleLesson("L1", "C1", 3)),
        *EncodeBody(testing::SampleDuoHours("S1", 1, 57)),
        *EncodeBody(testing::SampleGemeenteHours("S2", 2, "0363", 12))}) {
    EXPECT_EQ(Json::parse(body).dump(), body);
  }
  EXPECT_EQ(*EncodeBody(testing::SampleDuoHours("S1", 1, 57)),
            R"({"as_of":"2026-11-30","bsn":")" + testing::ValidBsn(1) +
                R"(","course_id":"C1","course_type":"inburgeringscursus","end":"2027-06-30",)"
                R"("hours_attended":57,"hours_purchased":400,"id":"duo/S1/C1/2026-11",)"
                R"("learner_id":"S1","ona_hours":0,"start":"2026-09-01"})");
  const Json course_json = Json::parse(*EncodeBody(course));
  EXPECT_TRUE(course_json["end_date"].is_null());
  EXPECT_EQ(course_json["start_date"], "2026-09-01");
}

// UTF-8 of code points drawn from all of Unicode (surrogates excluded), so
// that valid multi-byte text is common; raw byte strings cover the rest.
std::string Utf8(const std::vector<uint32_t>& code_points) {
  std::string out;
  for (uint32_t cp : code_points) {
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  return out;
}

// A JSON body's text field holds `text` and the body is nlohmann's own
// dump; where nlohmann refuses the text (invalid UTF-8), so does EncodeBody.
// An attendance's compact body holds a valid note as it is, and refuses the
// same texts.
void CheckText(const std::string& text) {
  Learner l = testing::SampleLearner("S1", 1);
  l.name = text;
  Result<std::string> learner = EncodeBody(l);
  RC_ASSERT(learner.ok() == NlohmannDump(Json(text)).has_value());
  if (learner.ok()) {
    const Json j = Json::parse(*learner);
    RC_ASSERT(j["name"].get<std::string>() == text);
    RC_ASSERT(j.dump() == *learner);
  }
  Attendance a = testing::Absent("L1", "S1");
  a.id = "L1/S1";
  a.note = text;
  Result<std::string> attendance = EncodeBody(a);
  RC_ASSERT(attendance.ok() == learner.ok());
  if (attendance.ok()) {
    RC_ASSERT(attendance->size() >= text.size());
    RC_ASSERT(attendance->substr(attendance->size() - text.size()) == text);
  }
}

TEST(RecordsTest, EdgesOfUtf8AndEscapingAgreeWithNlohmann) {
  std::vector<std::string> cases = {"\xed\xa0\x80",      // a surrogate
                                    "\xed\x9f\xbf",      // the code point before the surrogates
                                    "\xc0\xaf",          // overlong two-byte form
                                    "\xc1\xbf",          // overlong two-byte form
                                    "\xe0\x80\xaf",      // overlong three-byte form
                                    "\xe0\xa0\x80",      // the smallest three-byte form
                                    "\xf0\x8f\xbf\xbf",  // overlong four-byte form
                                    "\xf0\x90\x80\x80",  // the smallest four-byte form
                                    "\xf4\x8f\xbf\xbf",  // U+10FFFF
                                    "\xf4\x90\x80\x80",  // above U+10FFFF
                                    "\xf5\x80\x80\x80",
                                    "\xff",
                                    "\x80",
                                    "\xe2\x82",  // cut short
                                    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                                    "\x7f",
                                    "/",
                                    "\"\\"};
  for (int c = 0; c < 0x20; ++c) cases.push_back(std::string(1, static_cast<char>(c)));
  for (const std::string& text : cases) {
    SCOPED_TRACE(::testing::PrintToString(text));
    Learner l = testing::SampleLearner("S1", 1);
    l.name = text;
    Result<std::string> body = EncodeBody(l);
    const std::optional<std::string> expected = NlohmannDump(Json(text));
    ASSERT_EQ(body.ok(), expected.has_value());
    if (body.ok()) {
      EXPECT_NE(body->find("\"name\":" + *expected + ","), std::string::npos);
    }
  }
}

RC_GTEST_PROP(RecordsTest, AnyBytesAreEscapedOrRefusedAsNlohmannDoes, ()) {
  CheckText(*rc::gen::container<std::string>(rc::gen::arbitrary<char>()));
}

RC_GTEST_PROP(RecordsTest, AnyUnicodeTextIsEscapedAsNlohmannDoes, ()) {
  const auto code_points = *rc::gen::container<std::vector<uint32_t>>(rc::gen::oneOf(
      rc::gen::inRange<uint32_t>(0, 0x80), rc::gen::inRange<uint32_t>(0x80, 0x110000)));
  CheckText(Utf8(code_points));
}

}  // namespace records_test
}  // namespace presentie::storage::internal
