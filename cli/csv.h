// An RFC 4180 CSV reader that remembers where each record starts, so that an
// importer can say "learners.csv:7: column 'bsn': ..." about a bad row.
//
// Accepted beyond the RFC, because schools export from spreadsheets: a UTF-8
// byte-order mark, LF or CR line ends as well as CRLF, ';' as the delimiter
// (what a Dutch Excel writes) when the header row has ';' and no ','. Blank
// lines are skipped. Pure: no I/O except ReadCsvFile and CsvReader.
#ifndef PRESENTIE_CLI_CSV_H_
#define PRESENTIE_CLI_CSV_H_

#include <deque>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace presentie::cli {

struct CsvRecord {
  int line = 0;  // 1-based line of the input on which the record starts
  std::vector<std::string> fields;
};

// Splits `text` into records. Quoted fields may hold the delimiter, line
// breaks (kept as they are) and doubled quotes. Errors are kInvalidArgument
// with the message "SOURCE:LINE: ..." (text that is not UTF-8, an unterminated
// quote, a stray quote in an unquoted field, text after a closing quote).
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, char delimiter,
                                        std::string_view source);

// A CSV file with a header row.
struct CsvTable {
  std::string source;  // the name used in messages (the path as given)
  char delimiter = ',';
  int header_line = 1;
  // Column names normalised: surrounding blanks trimmed, lower case, '-' and
  // ' ' read as '_' ("Estimated hours" -> "estimated_hours").
  std::vector<std::string> header;
  // Data records in file order; rows whose every field is blank (";;;;" is
  // how a spreadsheet exports an empty row) are left out.
  std::vector<CsvRecord> rows;

  // Index of `column` in the header, or -1.
  int ColumnIndex(std::string_view column) const;
  // "SOURCE:LINE"
  std::string Where(int line) const;
  // Checks the header: every required column present, no unknown or repeated
  // column. Error: "SOURCE:LINE: unknown column 'x' (known: a, b, ...)".
  Status CheckHeader(std::span<const std::string_view> required,
                     std::span<const std::string_view> optional) const;
  // Checks that `row` has one field per column.
  Status CheckWidth(const CsvRecord& row) const;
  // The value of `column` in `row`, blanks trimmed; "" when the column is
  // absent. `row` must have passed CheckWidth.
  std::string_view Get(const CsvRecord& row, std::string_view column) const;
  // kInvalidArgument "SOURCE:LINE: column 'COLUMN': MESSAGE"; with an empty
  // column, "SOURCE:LINE: MESSAGE". `code` defaults to kInvalidArgument.
  Status RowError(const CsvRecord& row, std::string_view column, std::string_view message,
                  StatusCode code = StatusCode::kInvalidArgument) const;
};

// Parses text whose first non-blank record is the header. The delimiter is
// ';' when the header line has ';' and no ',', else ','. An input without a
// header is kInvalidArgument.
Result<CsvTable> ParseCsvTable(std::string_view text, std::string_view source);
// Reads and parses a file (through CsvReader; every row is kept). kNotFound
// when it does not exist; other I/O failures are kInvalidArgument naming the
// path.
Result<CsvTable> ReadCsvFile(const std::string& path);

class CsvParser;

// A CSV file with a header row, read record by record: what it holds is one
// read buffer (64 KiB) and the records parsed from it, never the whole file,
// so an import of any size reads in bounded memory. The same format and the
// same messages as ReadCsvFile.
class CsvReader {
 public:
  // Opens `path` and reads its header row (table().header). kNotFound when
  // the file does not exist; kInvalidArgument when it cannot be read, is
  // empty, or its first record is malformed.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path);
  ~CsvReader();

  // The header, the delimiter and the source name; `rows` stays empty.
  const CsvTable& table() const { return table_; }

  // The next data record in file order, rows whose every field is blank left
  // out: true with `*record` set, or false at the end of the file. A
  // malformed record or a read failure is kInvalidArgument "SOURCE:LINE: ...".
  Result<bool> Next(CsvRecord* record);

 private:
  CsvReader();
  // Reads the next buffer into the parser; false at the end of the file.
  Result<bool> Fill();

  std::ifstream in_;
  CsvTable table_;
  std::unique_ptr<CsvParser> parser_;
  std::deque<CsvRecord> ready_;  // parsed, not yet returned
  bool at_end_ = false;
};

// What an import found wrong, in bounded memory: the first kKept errors in
// file order and how many there were in all, for Context::FailAll.
class CsvErrors {
 public:
  static constexpr size_t kKept = 20;  // as many as FailAll prints

  // Counts `error`; keeps it if fewer than kKept are kept. Returns where it
  // is kept, or -1.
  int Add(Status error);
  bool empty() const { return total_ == 0; }
  size_t total() const { return total_; }
  std::vector<Status>& kept() { return kept_; }

 private:
  std::vector<Status> kept_;
  size_t total_ = 0;
};

// Lower case, trimmed, '-' and ' ' as '_'.
std::string NormalizeColumnName(std::string_view name);
// `text` without leading and trailing spaces and tabs.
std::string_view TrimBlanks(std::string_view text);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_CSV_H_
