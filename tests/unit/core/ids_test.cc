// Identifiers (docs/rules.md, "Entries checked when they are made") and the
// record ids (docs/architecture.md, "Records and their ids").
#include "core/ids.h"

#include <gtest/gtest.h>

#include <string>

namespace presentie {
namespace ids_test {

// docs/rules.md, BSN: "9 digits, elfproef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a
// multiple of 11". Each number below was checked by hand:
//   111222333: 9+8+7+12+10+8+9+6 − 3 = 66  = 6·11
//   123456782: 9+16+21+24+25+24+21+16 − 2 = 154 = 14·11
//   999999990: 9·44 − 0 = 396 = 36·11
TEST(BsnTest, KnownValidNumbers) {
  for (const char* bsn : {"111222333", "123456782", "999999990"}) {
    auto r = NormalizeBsn(bsn);
    ASSERT_TRUE(r.ok()) << bsn << ": " << r.status().ToString();
    EXPECT_EQ(*r, bsn);
    EXPECT_TRUE(IsValidBsn(bsn));
  }
}

// docs/rules.md: "an 8-digit number is read with a leading 0". 12345672: with
// a leading 0, 0+8+14+18+20+20+18+14 − 2 = 112 − 2 = 110 = 10·11.
TEST(BsnTest, EightDigitsReadWithLeadingZero) {
  auto r = NormalizeBsn("12345672");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "012345672");
  EXPECT_TRUE(IsValidBsn("012345672"));
  EXPECT_FALSE(IsValidBsn("12345678"));  // 112 − 8 = 104 ≡ 5
}

TEST(BsnTest, KnownInvalidNumbers) {
  // 123456789: 156 − 9 = 147 ≡ 4 (mod 11). It does pass the bank-account
  // variant (+1·d9: 156 + 9 = 165 = 15·11): the sign of d9 matters.
  EXPECT_FALSE(IsValidBsn("123456789"));
  EXPECT_FALSE(IsValidBsn("111222334"));  // one digit off a valid number
  EXPECT_FALSE(IsValidBsn("999999999"));  // 396 − 9 = 387 ≡ 2
  EXPECT_FALSE(IsValidBsn("211222333"));  // d1 changed: 78 − 3 = 75 ≡ 9
}

TEST(BsnTest, ErrorsSayWhatIsWrongWithoutTheNumber) {
  struct Case {
    const char* input;
    const char* message;
  };
  for (const Case& c :
       {Case{"123456789", "BSN fails the elfproef"}, Case{"000000000", "BSN must not be all zeros"},
        Case{"00000000", "BSN must not be all zeros"}, Case{"1234567", "BSN must be 9 digits"},
        Case{"1234567890", "BSN must be 9 digits"},
        Case{"12345678a", "BSN must contain only digits"},
        Case{"123-456-782", "BSN must contain only digits"}, Case{"", "BSN is empty"}}) {
    auto r = NormalizeBsn(c.input);
    ASSERT_FALSE(r.ok()) << c.input;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), c.message);
    // A BSN must not reach a log: no run of the input's digits in the message.
    if (std::string(c.input).size() >= 4) {
      EXPECT_EQ(r.status().message().find(std::string(c.input).substr(0, 4)), std::string::npos);
    }
  }
}

TEST(BsnTest, SurroundingSpacesAreIgnored) {
  auto r = NormalizeBsn(" 123456782\t");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "123456782");
}

TEST(IdentifierTest, Brin) {
  EXPECT_TRUE(ValidateBrin("25AB").ok());
  EXPECT_FALSE(ValidateBrin("25ab").ok());
  EXPECT_FALSE(ValidateBrin("2AB5").ok());
  EXPECT_FALSE(ValidateBrin("25ABC").ok());
  EXPECT_FALSE(ValidateBrin("").ok());
}

TEST(IdentifierTest, BowNumber) {
  EXPECT_TRUE(ValidateBowNumber("7").ok());
  EXPECT_TRUE(ValidateBowNumber("1234567890").ok());
  EXPECT_FALSE(ValidateBowNumber("12345678901").ok());
  EXPECT_FALSE(ValidateBowNumber("").ok());
  EXPECT_FALSE(ValidateBowNumber("12A").ok());
}

TEST(IdentifierTest, DuoInstitution) {
  EXPECT_TRUE(ValidateDuoInstitution("00AB123456").ok());
  EXPECT_FALSE(ValidateDuoInstitution("00ab123456").ok());
  EXPECT_FALSE(ValidateDuoInstitution("00AB12345").ok());
}

TEST(IdentifierTest, GemeenteCode) {
  EXPECT_TRUE(ValidateGemeenteCode("0363").ok());
  EXPECT_FALSE(ValidateGemeenteCode("363").ok());
  EXPECT_FALSE(ValidateGemeenteCode("03630").ok());
  EXPECT_FALSE(ValidateGemeenteCode("GM03").ok());
}

TEST(IdentifierTest, Postcode) {
  for (const char* ok : {"1234AB", "1234 AB", "1234 ab", "1234aB"}) {
    auto r = NormalizePostcode(ok);
    ASSERT_TRUE(r.ok()) << ok;
    EXPECT_EQ(*r, "1234AB");
  }
  for (const char* bad : {"0234AB", "1234  AB", "123AB", "1234A", "1234ABC", "12345A", "1234-AB"}) {
    EXPECT_FALSE(NormalizePostcode(bad).ok()) << bad;
  }
}

TEST(IdentifierTest, Oin) {
  EXPECT_TRUE(ValidateOin("00000001234567890000").ok());
  EXPECT_FALSE(ValidateOin("0000000123456789000").ok());
  EXPECT_FALSE(ValidateOin("0000000123456789000A").ok());
}

TEST(RecordKeyTest, AllowedAndRefused) {
  EXPECT_TRUE(ValidateRecordKey("S1042", "learner id").ok());
  EXPECT_TRUE(ValidateRecordKey("NT2-B1_2026.A", "course id").ok());
  EXPECT_TRUE(ValidateRecordKey(std::string(64, 'a'), "course id").ok());

  Status s = ValidateRecordKey("", "learner id");
  EXPECT_EQ(s.message(), "learner id is empty");
  s = ValidateRecordKey(std::string(65, 'a'), "learner id");
  EXPECT_EQ(s.message(), "learner id is longer than 64 characters");
  s = ValidateRecordKey("a/b", "learner id");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'/'"), std::string::npos) << s.message();
  EXPECT_FALSE(ValidateRecordKey("a b", "learner id").ok());
  EXPECT_FALSE(ValidateRecordKey("é", "learner id").ok());
  s = ValidateRecordKey("-abc", "lesson id");
  EXPECT_EQ(s.message(), "lesson id must start with a letter or digit");
}

// docs/architecture.md, "Records and their ids": an attendance's id is
// derived from its lesson and learner, so "two devices recording the same
// learner in the same lesson write the same record".
TEST(RecordIdTest, DerivedIds) {
  EXPECT_EQ(AttendanceId("NT2A-20261130-0900", "S1042"), "NT2A-20261130-0900/S1042");
  EXPECT_EQ(EnrollmentId("NT2A", "S1042"), "NT2A/S1042");
  EXPECT_EQ(DefaultLessonId("NT2A", "2026-11-30T09:00"), "NT2A-20261130-0900");
  EXPECT_EQ(DefaultLessonId("NT2A", "2026-11-30 09:00"), "NT2A-20261130-0900");
  EXPECT_NE(DefaultLessonId("NT2A", "2026-11-30T09:00"),
            DefaultLessonId("NT2B", "2026-11-30T09:00"));
  // The derived lesson id is itself a valid record key.
  EXPECT_TRUE(ValidateRecordKey(DefaultLessonId("NT2A", "2026-11-30T09:00"), "lesson id").ok());
}

}  // namespace ids_test
}  // namespace presentie
