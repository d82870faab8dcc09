#include "cli/csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace presentie::cli {
namespace csv_test {

std::vector<std::vector<std::string>> Fields(const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> out;
  for (const CsvRecord& r : records) out.push_back(r.fields);
  return out;
}

std::vector<int> Lines(const std::vector<CsvRecord>& records) {
  std::vector<int> out;
  for (const CsvRecord& r : records) out.push_back(r.line);
  return out;
}

TEST(ParseCsv, SplitsPlainRecords) {
  auto r = ParseCsv("a,b,c\n1,2,3\n", ',', "f.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Fields(*r), (std::vector<std::vector<std::string>>{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(Lines(*r), (std::vector<int>{1, 2}));
}

TEST(ParseCsv, LastLineWithoutNewline) {
  auto r = ParseCsv("a,b\n1,2", ',', "f.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Fields(*r).back(), (std::vector<std::string>{"1", "2"}));
}

TEST(ParseCsv, EmptyFieldsKept) {
  auto r = ParseCsv("a,,c,\n", ',', "f.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Fields(*r).front(), (std::vector<std::string>{"a", "", "c", ""}));
}

TEST(ParseCsv, QuotedFieldsHoldDelimitersQuotesAndNewlines) {
  auto r = ParseCsv("name,note\n\"Öztürk, Ayşe\",\"said \"\"hi\"\"\nand left\"\nnext,row\n", ',',
                    "f.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"Öztürk, Ayşe", "said \"hi\"\nand left"}));
  // The record with the embedded newline starts on line 2; the next on line 4.
  EXPECT_EQ(Lines(*r), (std::vector<int>{1, 2, 4}));
}

TEST(ParseCsv, CrLfAndLoneCrEndRecords) {
  auto r = ParseCsv("a,b\r\n1,2\r\n3,4\r5,6\r\n", ',', "f.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Fields(*r), (std::vector<std::vector<std::string>>{
                            {"a", "b"}, {"1", "2"}, {"3", "4"}, {"5", "6"}}));
  EXPECT_EQ(Lines(*r), (std::vector<int>{1, 2, 3, 4}));
}

TEST(ParseCsv, CrLfInsideQuotesCountsOneLine) {
  auto r = ParseCsv("a\r\n\"x\r\ny\"\r\nz\r\n", ',', "f.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[1].fields.front(), "x\r\ny");
  EXPECT_EQ(Lines(*r), (std::vector<int>{1, 2, 4}));
}

TEST(ParseCsv, SkipsByteOrderMark) {
  auto r = ParseCsv("\xEF\xBB\xBFid,name\n", ',', "f.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->front().fields.front(), "id");
}

TEST(ParseCsv, BlankLinesSkippedButCounted) {
  auto r = ParseCsv("a\n\n\nb\n\r\nc\n", ',', "f.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Fields(*r), (std::vector<std::vector<std::string>>{{"a"}, {"b"}, {"c"}}));
  EXPECT_EQ(Lines(*r), (std::vector<int>{1, 4, 6}));
}

TEST(ParseCsv, QuotedEmptyFieldIsARecord) {
  auto r = ParseCsv("\"\"\n", ',', "f.csv");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().fields, (std::vector<std::string>{""}));
}

TEST(ParseCsv, SemicolonDelimiter) {
  auto r = ParseCsv("a;\"b;c\";d\n", ';', "f.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->front().fields, (std::vector<std::string>{"a", "b;c", "d"}));
}

TEST(ParseCsv, UnterminatedQuoteNamesTheLineItOpened) {
  auto r = ParseCsv("a,b\n1,\"open\n2,3\n", ',', "in.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind("in.csv:2: ", 0), 0u) << r.status().message();
}

TEST(ParseCsv, StrayQuoteInUnquotedField) {
  auto r = ParseCsv("a,b\n1,2\n3,x\"y\n", ',', "in.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("in.csv:3: ", 0), 0u) << r.status().message();
}

TEST(ParseCsv, TextAfterClosingQuote) {
  auto r = ParseCsv("\"a\"b,c\n", ',', "in.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("in.csv:1: ", 0), 0u);
}

TEST(ParseCsv, RejectsTextThatIsNotUtf8) {
  // "Öztürk" in Windows-1252, as a Dutch Excel saves "CSV".
  auto r = ParseCsv("id,name\nL1,\xD6zt\xFCrk\n", ',', "in.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("in.csv:2: ", 0), 0u) << r.status().message();
  EXPECT_NE(r.status().message().find("UTF-8"), std::string::npos);
}

TEST(ParseCsvTable, NormalisesHeaderAndDetectsDelimiter) {
  auto t =
      ParseCsvTable("\xEF\xBB\xBF Id ;Estimated-Hours;Lessons per week\r\nL1;10;2\r\n", "f.csv");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->delimiter, ';');
  EXPECT_EQ(t->header, (std::vector<std::string>{"id", "estimated_hours", "lessons_per_week"}));
  ASSERT_EQ(t->rows.size(), 1u);
  EXPECT_EQ(t->rows[0].line, 2);
  EXPECT_EQ(t->Get(t->rows[0], "estimated_hours"), "10");
  EXPECT_EQ(t->Get(t->rows[0], "absent"), "");
}

TEST(ParseCsvTable, CommaWinsWhenBothAppear) {
  auto t = ParseCsvTable("id,note\nL1,\"a;b\"\n", "f.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->delimiter, ',');
  EXPECT_EQ(t->Get(t->rows[0], "note"), "a;b");
}

TEST(ParseCsvTable, SkipsRowsOfEmptyFields) {
  auto t = ParseCsvTable("a;b\n1;2\n;\n ; \n3;4\n", "f.csv");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[1].line, 5);
}

TEST(ParseCsvTable, EmptyInputHasNoHeader) {
  auto t = ParseCsvTable("\n\n", "empty.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("empty.csv"), std::string::npos);
}

TEST(CsvTable, CheckHeader) {
  constexpr std::string_view kRequired[] = {"id", "bsn"};
  constexpr std::string_view kOptional[] = {"route"};
  auto ok = ParseCsvTable("id,bsn,route\n", "f.csv");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->CheckHeader(kRequired, kOptional).ok());

  auto unknown = ParseCsvTable("id,bsn,colour\n", "f.csv");
  Status s = unknown->CheckHeader(kRequired, kOptional);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("f.csv:1: unknown column 'colour'"), std::string::npos) << s.message();

  auto missing = ParseCsvTable("\nid,route\n", "f.csv");
  s = missing->CheckHeader(kRequired, kOptional);
  EXPECT_NE(s.message().find("f.csv:2: missing column 'bsn'"), std::string::npos) << s.message();

  auto twice = ParseCsvTable("id,bsn,id\n", "f.csv");
  s = twice->CheckHeader(kRequired, kOptional);
  EXPECT_NE(s.message().find("'id' appears twice"), std::string::npos) << s.message();
}

TEST(CsvTable, WidthAndRowErrors) {
  auto t = ParseCsvTable("a,b\n1,2\n3\n", "f.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->CheckWidth(t->rows[0]).ok());
  Status s = t->CheckWidth(t->rows[1]);
  EXPECT_EQ(s.message(), "f.csv:3: 1 fields, but the header has 2 columns");
  EXPECT_EQ(t->RowError(t->rows[0], "b", "bad").message(), "f.csv:2: column 'b': bad");
  EXPECT_EQ(t->RowError(t->rows[0], "", "bad").message(), "f.csv:2: bad");
  EXPECT_EQ(t->RowError(t->rows[0], "a", "x", StatusCode::kNotFound).code(), StatusCode::kNotFound);
}

TEST(ReadCsvFile, MissingFileIsNotFound) {
  auto t = ReadCsvFile("/nonexistent/presentie/file.csv");
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound);
}

TEST(TrimBlanks, TrimsSpacesAndTabs) {
  EXPECT_EQ(TrimBlanks("  a b\t "), "a b");
  EXPECT_EQ(TrimBlanks(" \t"), "");
  EXPECT_EQ(NormalizeColumnName(" Lessons-Per Week "), "lessons_per_week");
}

// A file larger than CsvReader's buffer, with records that span two reads
// (quoted line breaks, CRLFs, quotes): read record by record it gives what
// ParseCsvTable gives of the whole text.
std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("csv-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(CsvReader, ReadsRecordByRecordWhatParseCsvTableReads) {
  std::string text = "\xEF\xBB\xBFid;Note;n\r\n";
  for (int i = 0; text.size() < 300 * 1024; ++i) {
    text += "L" + std::to_string(i) + ";";
    if (i % 7 == 0) {
      text +=
          "\"two\r\nlines; \"\"quoted\"\" " + std::string(static_cast<size_t>(i % 50), 'x') + "\"";
    } else {
      text += "plain " + std::to_string(i);
    }
    text += ";" + std::to_string(i) + (i % 3 == 0 ? "\n" : "\r\n");
    if (i % 11 == 0) text += ";;\r\n\r\n";  // an empty row and a blank line
  }
  auto whole = ParseCsvTable(text, "f.csv");
  ASSERT_TRUE(whole.ok()) << whole.status().message();

  auto reader = CsvReader::Open(WriteTemp("f.csv", text));
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ((*reader)->table().header, whole->header);
  EXPECT_EQ((*reader)->table().delimiter, ';');
  std::vector<CsvRecord> rows;
  CsvRecord row;
  for (;;) {
    auto more = (*reader)->Next(&row);
    ASSERT_TRUE(more.ok()) << more.status().message();
    if (!*more) break;
    rows.push_back(row);
  }
  EXPECT_EQ(Fields(rows), Fields(whole->rows));
  EXPECT_EQ(Lines(rows), Lines(whole->rows));
  EXPECT_GT(rows.size(), 5000u);
}

TEST(CsvReader, NamesTheLineOfABadRecordFarIntoTheFile) {
  std::string text = "a,b\n";
  for (int i = 0; i < 20000; ++i) text += "1,2\n";
  text += "3,\"4\n";  // a quote never closed, on line 20002
  auto reader = CsvReader::Open(WriteTemp("bad.csv", text));
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  CsvRecord row;
  Status error;
  for (;;) {
    auto more = (*reader)->Next(&row);
    if (!more.ok()) {
      error = more.status();
      break;
    }
    ASSERT_TRUE(*more) << "no error at the end";
  }
  EXPECT_NE(error.message().find("bad.csv:20002: a quoted field is not closed"), std::string::npos)
      << error.message();
}

TEST(CsvReader, EmptyAndMissingFiles) {
  auto empty = CsvReader::Open(WriteTemp("empty.csv", "\r\n\n"));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("the file is empty"), std::string::npos);
  auto missing = CsvReader::Open("/nonexistent/missing.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace csv_test
}  // namespace presentie::cli
