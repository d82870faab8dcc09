#include "cli/csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/utf8.h"

namespace presentie::cli {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string JoinNames(std::span<const std::string_view> a, std::span<const std::string_view> b) {
  std::string out;
  for (auto list : {a, b}) {
    for (std::string_view name : list) {
      if (!out.empty()) out += ", ";
      out += name;
    }
  }
  return out;
}

}  // namespace

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string NormalizeColumnName(std::string_view name) {
  std::string out(TrimBlanks(name));
  for (char& c : out) {
    if (c == '-' || c == ' ') {
      c = '_';
    } else {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// The RFC 4180 state machine, fed a buffer at a time: a record may span
// buffers (a quoted line break, a CRLF split between two reads), so the
// state carries over. Complete records are appended to the caller's queue.
class CsvParser {
 public:
  CsvParser(char delimiter, std::string_view source) : delimiter_(delimiter), source_(source) {}

  Status Feed(std::string_view text, std::deque<CsvRecord>* out) {
    for (const char c : text) {
      const bool after_cr = prev_cr_;
      prev_cr_ = c == '\r';
      if (state_ == State::kQuoted) {
        if (c == '"') {
          state_ = State::kAfterQuote;
        } else {
          field_ += c;
          // CRLF is one line end; so are a lone LF and a lone CR.
          if (c == '\r' || (c == '\n' && !after_cr)) ++line_;
        }
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (c == '\n' && after_cr) continue;  // the LF of a CRLF
        if (!(state_ == State::kStartField && fields_.empty() && field_.empty())) {
          PRESENTIE_RETURN_IF_ERROR(EndRecord(out));
        }
        ++line_;
        record_line_ = line_;
        continue;
      }
      switch (state_) {
        case State::kStartField:
          if (c == '"') {
            state_ = State::kQuoted;
            quote_line_ = line_;
          } else if (c == delimiter_) {
            fields_.push_back(std::move(field_));
            field_.clear();
          } else {
            field_ += c;
            state_ = State::kUnquoted;
          }
          break;
        case State::kUnquoted:
          if (c == delimiter_) {
            fields_.push_back(std::move(field_));
            field_.clear();
            state_ = State::kStartField;
          } else if (c == '"') {
            return Error(line_,
                         "a quote inside an unquoted field (quote the whole field and double "
                         "the quotes in it)");
          } else {
            field_ += c;
          }
          break;
        case State::kAfterQuote:
          if (c == '"') {
            field_ += '"';
            state_ = State::kQuoted;
          } else if (c == delimiter_) {
            fields_.push_back(std::move(field_));
            field_.clear();
            state_ = State::kStartField;
          } else {
            return Error(line_, "text after the closing quote of a field");
          }
          break;
        case State::kQuoted:
          break;  // handled above
      }
    }
    return Status::Ok();
  }

  // The end of the input: the last record, or an unclosed quote.
  Status Finish(std::deque<CsvRecord>* out) {
    if (state_ == State::kQuoted) return Error(quote_line_, "a quoted field is not closed");
    if (!(fields_.empty() && field_.empty() && state_ == State::kStartField)) {
      return EndRecord(out);
    }
    return Status::Ok();
  }

 private:
  enum class State {
    kStartField,  // nothing of the current field read yet
    kUnquoted,    // inside a field that did not start with a quote
    kQuoted,      // inside a quoted field
    kAfterQuote,  // read a quote inside a quoted field: end, or the first of ""
  };

  Status Error(int at, std::string_view message) const {
    return InvalidArgument(fmt::format("{}:{}: {}", source_, at, message));
  }

  Status EndRecord(std::deque<CsvRecord>* out) {
    fields_.push_back(std::move(field_));
    field_.clear();
    state_ = State::kStartField;
    // Checked per record, so that no more than a record is held: the bytes
    // of a UTF-8 character are never a delimiter, a quote or a line end.
    int at = record_line_;
    for (const std::string& f : fields_) {
      if (const size_t bad = FirstInvalidUtf8(f); bad != std::string_view::npos) {
        at +=
            static_cast<int>(std::count(f.begin(), f.begin() + static_cast<ptrdiff_t>(bad), '\n'));
        return Error(at, "the text is not UTF-8 (save the file as \"CSV UTF-8\")");
      }
      at += static_cast<int>(std::count(f.begin(), f.end(), '\n'));
    }
    out->push_back(CsvRecord{record_line_, std::move(fields_)});
    fields_.clear();
    return Status::Ok();
  }

  const char delimiter_;
  const std::string source_;
  std::vector<std::string> fields_;
  std::string field_;
  State state_ = State::kStartField;
  int line_ = 1;
  int record_line_ = 1;
  int quote_line_ = 1;
  bool prev_cr_ = false;  // the last byte fed was a CR
};

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, char delimiter,
                                        std::string_view source) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  CsvParser parser(delimiter, source);
  std::deque<CsvRecord> records;
  PRESENTIE_RETURN_IF_ERROR(parser.Feed(text, &records));
  PRESENTIE_RETURN_IF_ERROR(parser.Finish(&records));
  return std::vector<CsvRecord>(std::make_move_iterator(records.begin()),
                                std::make_move_iterator(records.end()));
}

int CsvTable::ColumnIndex(std::string_view column) const {
  auto it = std::find(header.begin(), header.end(), column);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

std::string CsvTable::Where(int line) const { return fmt::format("{}:{}", source, line); }

Status CsvTable::CheckHeader(std::span<const std::string_view> required,
                             std::span<const std::string_view> optional) const {
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& name = header[i];
    const bool known = std::find(required.begin(), required.end(), name) != required.end() ||
                       std::find(optional.begin(), optional.end(), name) != optional.end();
    if (!known) {
      return InvalidArgument(fmt::format("{}: unknown column '{}' (known columns: {})",
                                         Where(header_line), name, JoinNames(required, optional)));
    }
    if (std::find(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        header.begin() + static_cast<std::ptrdiff_t>(i)) {
      return InvalidArgument(
          fmt::format("{}: column '{}' appears twice", Where(header_line), name));
    }
  }
  for (std::string_view name : required) {
    if (ColumnIndex(name) < 0) {
      return InvalidArgument(fmt::format("{}: missing column '{}' (required columns: {})",
                                         Where(header_line), name, JoinNames(required, {})));
    }
  }
  return Status::Ok();
}

Status CsvTable::CheckWidth(const CsvRecord& row) const {
  if (row.fields.size() == header.size()) return Status::Ok();
  return InvalidArgument(fmt::format("{}: {} fields, but the header has {} columns",
                                     Where(row.line), row.fields.size(), header.size()));
}

std::string_view CsvTable::Get(const CsvRecord& row, std::string_view column) const {
  const int index = ColumnIndex(column);
  if (index < 0 || static_cast<size_t>(index) >= row.fields.size()) return {};
  return TrimBlanks(row.fields[static_cast<size_t>(index)]);
}

Status CsvTable::RowError(const CsvRecord& row, std::string_view column, std::string_view message,
                          StatusCode code) const {
  if (column.empty()) return Status(code, fmt::format("{}: {}", Where(row.line), message));
  return Status(code, fmt::format("{}: column '{}': {}", Where(row.line), column, message));
}

namespace {

// ';' when the first non-blank line of `text` (no BOM) has ';' and no ',';
// else ','.
char DetectDelimiter(std::string_view text) {
  const size_t begin = text.find_first_not_of("\r\n");
  std::string_view first = begin == std::string_view::npos ? "" : text.substr(begin);
  first = first.substr(0, first.find_first_of("\r\n"));
  return first.find(';') != std::string_view::npos && first.find(',') == std::string_view::npos
             ? ';'
             : ',';
}

// Whether every field of `record` is blank (";;;;" is how a spreadsheet
// exports an empty row).
bool IsBlank(const CsvRecord& record) {
  return std::all_of(record.fields.begin(), record.fields.end(),
                     [](const std::string& f) { return TrimBlanks(f).empty(); });
}

void SetHeader(CsvTable* table, const CsvRecord& record) {
  table->header_line = record.line;
  for (const std::string& name : record.fields) {
    table->header.push_back(NormalizeColumnName(name));
  }
}

Status EmptyFile(std::string_view source) {
  return InvalidArgument(fmt::format("{}: the file is empty; expected a header row", source));
}

constexpr size_t kReadBuffer = 64 * 1024;  // bytes read at a time

}  // namespace

Result<CsvTable> ParseCsvTable(std::string_view text, std::string_view source) {
  std::string_view body = text.starts_with(kBom) ? text.substr(kBom.size()) : text;
  const char delimiter = DetectDelimiter(body);
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text, delimiter, source));
  if (records.empty()) return EmptyFile(source);
  CsvTable table;
  table.source = std::string(source);
  table.delimiter = delimiter;
  SetHeader(&table, records.front());
  for (auto it = records.begin() + 1; it != records.end(); ++it) {
    if (!IsBlank(*it)) table.rows.push_back(std::move(*it));
  }
  return table;
}

CsvReader::CsvReader() = default;
CsvReader::~CsvReader() = default;

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path) {
  std::unique_ptr<CsvReader> reader(new CsvReader());
  reader->in_.open(path, std::ios::binary);
  if (!reader->in_) {
    const int err = errno;
    if (err == ENOENT) return NotFound(fmt::format("{}: no such file", path));
    return InvalidArgument(fmt::format("{}: cannot read: {}", path, std::strerror(err)));
  }
  reader->table_.source = path;
  // The delimiter comes from the first non-blank line: read until it is
  // whole (or the file ends), then parse what was read.
  std::string start;
  std::string buffer(kReadBuffer, '\0');
  for (;;) {
    reader->in_.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    start.append(buffer.data(), static_cast<size_t>(reader->in_.gcount()));
    if (reader->in_.bad()) return InvalidArgument(fmt::format("{}: cannot read", path));
    if (reader->in_.eof()) break;
    const std::string_view body = std::string_view(start).starts_with(kBom)
                                      ? std::string_view(start).substr(kBom.size())
                                      : std::string_view(start);
    const size_t begin = body.find_first_not_of("\r\n");
    if (begin != std::string_view::npos &&
        body.find_first_of("\r\n", begin) != std::string_view::npos) {
      break;
    }
  }
  std::string_view body = start;
  if (body.starts_with(kBom)) body.remove_prefix(kBom.size());
  reader->table_.delimiter = DetectDelimiter(body);
  reader->parser_ = std::make_unique<CsvParser>(reader->table_.delimiter, path);
  PRESENTIE_RETURN_IF_ERROR(reader->parser_->Feed(body, &reader->ready_));
  while (reader->ready_.empty()) {
    PRESENTIE_ASSIGN_OR_RETURN(bool more, reader->Fill());
    if (!more) break;
  }
  if (reader->ready_.empty()) return EmptyFile(path);
  SetHeader(&reader->table_, reader->ready_.front());
  reader->ready_.pop_front();
  return reader;
}

Result<bool> CsvReader::Fill() {
  if (at_end_) return false;
  if (in_.eof()) {
    at_end_ = true;
    PRESENTIE_RETURN_IF_ERROR(parser_->Finish(&ready_));
    return !ready_.empty();
  }
  std::string buffer(kReadBuffer, '\0');
  in_.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  if (in_.bad()) return InvalidArgument(fmt::format("{}: cannot read", table_.source));
  PRESENTIE_RETURN_IF_ERROR(
      parser_->Feed(std::string_view(buffer.data(), static_cast<size_t>(in_.gcount())), &ready_));
  return true;
}

Result<bool> CsvReader::Next(CsvRecord* record) {
  for (;;) {
    while (!ready_.empty()) {
      CsvRecord next = std::move(ready_.front());
      ready_.pop_front();
      if (IsBlank(next)) continue;
      *record = std::move(next);
      return true;
    }
    PRESENTIE_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) return false;
  }
}

int CsvErrors::Add(Status error) {
  ++total_;
  if (kept_.size() >= kKept) return -1;
  kept_.push_back(std::move(error));
  return static_cast<int>(kept_.size()) - 1;
}

Result<CsvTable> ReadCsvFile(const std::string& path) {
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path));
  CsvTable table = reader->table();
  CsvRecord row;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool more, reader->Next(&row));
    if (!more) break;
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace presentie::cli
