#include "cli/output.h"

#include <gtest/gtest.h>

#include <sstream>

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
