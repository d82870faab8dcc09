#include "cli/output.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace presentie::cli {
namespace output_test {

TEST(Table, AlignsColumnsByCodePoints) {
  Table t({"ID", "NAME", "X"});
  t.AddRow({"L1", "Öztürk, Ayşe", "1"});
  t.AddRow({"L10", "Al", "22"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(),
            "ID   NAME          X\n"
            "L1   Öztürk, Ayşe  1\n"
            "L10  Al            22\n");
}

TEST(Table, CellsWithLineBreaksStayOnOneLine) {
  Table t({"A", "B"});
  t.AddRow({"x\ny", "z"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(), "A    B\nx y  z\n");
}

TEST(Table, MissingCellsPrintEmpty) {
  Table t({"A", "B", "C"});
  t.AddRow({"1"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(), "A  B  C\n1     \n");
}

TEST(PrintKeyValues, AlignsKeys) {
  std::ostringstream out;
  PrintKeyValues(out, {{"id", "L1"}, {"replica_id", "abc"}});
  EXPECT_EQ(out.str(), "id          L1\nreplica_id  abc\n");
}

TEST(MaskBsn, KeepsLastFour) {
  EXPECT_EQ(MaskBsn("111222333"), "*****2333");
  EXPECT_EQ(MaskBsn("123"), "***");
}

TEST(DisplayWidth, CountsCodePoints) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("Ayşe"), 4u);
  EXPECT_EQ(DisplayWidth(""), 0u);
}

TEST(PrintJson, InvalidUtf8DoesNotThrow) {
  std::ostringstream out;
  PrintJson(out, Json{{"name", std::string("\xD6zt\xFCrk")}});
  EXPECT_NE(out.str().find("\"name\""), std::string::npos);
}

// PrintJsonWithArray prints what PrintJson prints of the same object held
// whole: the streamed imports' --json is unchanged by not holding the list.
TEST(PrintJsonWithArray, PrintsWhatPrintJsonPrints) {
  const std::vector<Json> elements = {
      Json("L1"), Json{{"number", "C1"}, {"hours", 2}, {"nested", Json::array({1, 2})}},
      Json("Öztürk \"quoted\"")};
  for (size_t n = 0; n <= elements.size(); ++n) {
    Json list = Json::array();
    for (size_t i = 0; i < n; ++i) list.push_back(elements[i]);
    std::ostringstream whole;
    PrintJson(whole, Json{{"imported", n}, {"ids", list}, {"new", 1}, {"empty", Json::object()}});
    std::ostringstream streamed;
    PrintJsonWithArray(
        streamed, Json{{"imported", n}}, "ids",
        [&](const JsonEmitter& emit) {
          for (size_t i = 0; i < n; ++i) emit(elements[i]);
        },
        Json{{"new", 1}, {"empty", Json::object()}});
    EXPECT_EQ(streamed.str(), whole.str()) << n << " elements";
  }
  std::ostringstream whole;
  PrintJson(whole, Json{{"ids", Json::array({"a"})}});
  std::ostringstream streamed;
  PrintJsonWithArray(
      streamed, Json::object(), "ids", [](const JsonEmitter& emit) { emit(Json("a")); },
      Json::object());
  EXPECT_EQ(streamed.str(), whole.str());
}

TEST(ToJson, LearnerUsesStableKeysAndNulls) {
  Learner l;
  l.id = "L1";
  l.bsn = "111222333";
  l.name = "Amina";
  Json j = ToJson(l);
  EXPECT_EQ(j["id"], "L1");
  EXPECT_EQ(j["bsn"], "111222333");
  EXPECT_EQ(j["category"], "family_migrant");
  EXPECT_EQ(j["regime"], "wi2021");
  EXPECT_TRUE(j["route"].is_null());
  EXPECT_TRUE(j["gemeente"].is_null());
  EXPECT_EQ(j["literacy"], "NVT");
}

TEST(FormatUtcTime, Iso8601) {
  EXPECT_EQ(FormatUtcTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtcTime(1'796'000'000'123ULL), "2026-11-30T00:53:20.123Z");
}

}  // namespace output_test
}  // namespace presentie::cli
