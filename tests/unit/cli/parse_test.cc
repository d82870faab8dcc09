#include "cli/parse.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace presentie::cli {
namespace parse_test {

TEST(ParseIdArg, IdAlone) {
  auto a = ParseIdArg("L1", "--absent");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->id, "L1");
  EXPECT_FALSE(a->has_value);
}

TEST(ParseIdArg, IdAndReasonSplitAtFirstColon) {
  auto a = ParseIdArg("L-2.x:ziek", "--absent");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->id, "L-2.x");
  EXPECT_TRUE(a->has_value);
  EXPECT_EQ(a->value, "ziek");

  auto note = ParseIdArg("L3:arrived 10:15, bus late", "--note");
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note->value, "arrived 10:15, bus late");
}

TEST(ParseIdArg, EmptyValueAfterColon) {
  auto a = ParseIdArg("L1:", "--absent");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->has_value);
  EXPECT_EQ(a->value, "");
}

TEST(ParseIdArg, BadIdNamesTheFlag) {
  for (const char* bad : {"", ":ziek", "L 1:ziek", "-L1"}) {
    auto a = ParseIdArg(bad, "--absent");
    ASSERT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(a.status().message().rfind("--absent '", 0), 0u) << a.status().message();
  }
}

TEST(ParseInt, Range) {
  EXPECT_EQ(*ParseInt("0", 0, 10), 0);
  EXPECT_EQ(*ParseInt("10", 0, 10), 10);
  EXPECT_FALSE(ParseInt("11", 0, 10).ok());
  EXPECT_FALSE(ParseInt("-1", 0, 10).ok());
  EXPECT_FALSE(ParseInt("", 0, 10).ok());
  EXPECT_FALSE(ParseInt("1.5", 0, 10).ok());
  EXPECT_FALSE(ParseInt("+3", 0, 10).ok());
  EXPECT_FALSE(ParseInt("99999999999999999999", 0, 10).ok());
}

TEST(ParseYesNo, DutchAndEnglish) {
  for (const char* yes : {"yes", "JA", "j", "y", "true", "1"}) EXPECT_TRUE(*ParseYesNo(yes)) << yes;
  for (const char* no : {"", "no", "Nee", "n", "false", "0"}) EXPECT_FALSE(*ParseYesNo(no)) << no;
  EXPECT_FALSE(ParseYesNo("maybe").ok());
}

TEST(FlagName, KebabCase) {
  EXPECT_EQ(FlagName("estimated_hours"), "--estimated-hours");
  EXPECT_EQ(FlagName("bsn"), "--bsn");
}

TEST(FieldInMessage, FirstFieldNamed) {
  constexpr std::string_view kFields[] = {"route", "regime", "gemeente", "lessons_per_week"};
  EXPECT_EQ(FieldInMessage("route is required under Wi2021", kFields), "route");
  EXPECT_EQ(FieldInMessage("a Wi2021 asylum permit holder needs a gemeente code", kFields),
            "gemeente");
  EXPECT_EQ(FieldInMessage("Lessons per week must be 0..40", kFields), "lessons_per_week");
  EXPECT_EQ(FieldInMessage("the regime has no route", kFields), "regime");
  EXPECT_EQ(FieldInMessage("routes are nice", kFields), "");
}

class LearnerFromFieldsTest : public ::testing::Test {
 protected:
  Result<Learner> Build() {
    auto get = [this](std::string_view f) -> std::string_view {
      auto it = fields_.find(std::string(f));
      return it == fields_.end() ? std::string_view() : std::string_view(it->second);
    };
    auto error = [](std::string_view f, std::string_view m) {
      return InvalidArgument("[" + std::string(f) + "] " + std::string(m));
    };
    return LearnerFromFields(get, error);
  }
  std::map<std::string, std::string> fields_ = {{"id", "L1"},
                                                {"bsn", "111222333"},
                                                {"name", "Amina Haddad"},
                                                {"category", "family_migrant"},
                                                {"regime", "wi2021"},
                                                {"route", "B"}};
};

TEST_F(LearnerFromFieldsTest, Valid) {
  auto l = Build();
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->id, "L1");
  EXPECT_EQ(l->bsn, "111222333");
  EXPECT_EQ(l->route, Route::kB1);
  EXPECT_EQ(l->literacy, Literacy::kNvt);
}

TEST_F(LearnerFromFieldsTest, EightDigitBsnGetsLeadingZero) {
  fields_["bsn"] = "12345672";  // 0·9 + 1·8 + 2·7 + … + 7·2 − 2 = 110 ≡ 0 (mod 11)
  auto l = Build();
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->bsn, "012345672");
}

TEST_F(LearnerFromFieldsTest, BadBsnNamesFieldNotNumber) {
  fields_["bsn"] = "123456789";
  auto l = Build();
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().message().rfind("[bsn] ", 0), 0u) << l.status().message();
  EXPECT_EQ(l.status().message().find("123456789"), std::string::npos);
}

TEST_F(LearnerFromFieldsTest, MissingRequiredField) {
  fields_.erase("name");
  auto l = Build();
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().message(), "[name] a value is required");
}

TEST_F(LearnerFromFieldsTest, BadEnumAndNumberNameTheirField) {
  fields_["category"] = "tourist";
  EXPECT_EQ(Build().status().message().rfind("[category] ", 0), 0u);
  fields_["category"] = "other_migrant";
  fields_["estimated_hours"] = "10000";
  EXPECT_EQ(Build().status().message().rfind("[estimated_hours] ", 0), 0u);
  fields_["estimated_hours"] = "600";
  fields_["gemeente"] = "363";
  EXPECT_EQ(Build().status().message().rfind("[gemeente] ", 0), 0u);
}

TEST_F(LearnerFromFieldsTest, CrossFieldRuleNamesItsField) {
  fields_["category"] = "asylum_permit_holder";  // Wi2021: the gemeente code is required
  auto l = Build();
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().message().rfind("[gemeente] ", 0), 0u) << l.status().message();
  fields_["gemeente"] = "0363";
  EXPECT_TRUE(Build().ok());
}

}  // namespace parse_test
}  // namespace presentie::cli
