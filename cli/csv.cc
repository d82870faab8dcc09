#include "cli/csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/utf8.h"

namespace presentie::cli {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

enum class State {
  kStartField,  // nothing of the current field read yet
  kUnquoted,    // inside a field that did not start with a quote
  kQuoted,      // inside a quoted field
  kAfterQuote,  // read a quote inside a quoted field: end, or the first of ""
};

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

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, char delimiter,
                                        std::string_view source) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  if (const size_t bad = FirstInvalidUtf8(text); bad != std::string_view::npos) {
    const auto line =
        1 + std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(bad), '\n');
    return InvalidArgument(
        fmt::format("{}:{}: the text is not UTF-8 (save the file as \"CSV UTF-8\")", source, line));
  }

  std::vector<CsvRecord> records;
  std::vector<std::string> fields;
  std::string field;
  State state = State::kStartField;
  int line = 1;
  int record_line = 1;
  int quote_line = 1;

  auto end_record = [&] {
    // A blank line has no field and no character: skip it.
    if (!(fields.empty() && field.empty() && state == State::kStartField)) {
      fields.push_back(std::move(field));
      records.push_back(CsvRecord{record_line, std::move(fields)});
    }
    fields.clear();
    field.clear();
    state = State::kStartField;
  };
  auto error = [&](int at, std::string_view message) -> Status {
    return InvalidArgument(fmt::format("{}:{}: {}", source, at, message));
  };

  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool newline = c == '\n' || c == '\r';
    // CRLF is one line end; so are a lone LF and a lone CR.
    const bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';

    if (state == State::kQuoted) {
      if (c == '"') {
        state = State::kAfterQuote;
      } else {
        field += c;
        if (c == '\n' || (c == '\r' && !crlf)) ++line;
      }
      continue;
    }
    if (newline) {
      if (state == State::kStartField && fields.empty() && field.empty()) {
        // Blank line, or the start of a record: nothing to end.
      } else {
        end_record();
      }
      if (crlf) ++i;
      ++line;
      record_line = line;
      continue;
    }
    switch (state) {
      case State::kStartField:
        if (c == '"') {
          state = State::kQuoted;
          quote_line = line;
        } else if (c == delimiter) {
          fields.push_back(std::move(field));
          field.clear();
        } else {
          field += c;
          state = State::kUnquoted;
        }
        break;
      case State::kUnquoted:
        if (c == delimiter) {
          fields.push_back(std::move(field));
          field.clear();
          state = State::kStartField;
        } else if (c == '"') {
          return error(line,
                       "a quote inside an unquoted field (quote the whole field and double "
                       "the quotes in it)");
        } else {
          field += c;
        }
        break;
      case State::kAfterQuote:
        if (c == '"') {
          field += '"';
          state = State::kQuoted;
        } else if (c == delimiter) {
          fields.push_back(std::move(field));
          field.clear();
          state = State::kStartField;
        } else {
          return error(line, "text after the closing quote of a field");
        }
        break;
      case State::kQuoted:
        break;  // handled above
    }
  }
  if (state == State::kQuoted) {
    return error(quote_line, "a quoted field is not closed");
  }
  if (!(fields.empty() && field.empty() && state == State::kStartField)) end_record();
  return records;
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

Result<CsvTable> ParseCsvTable(std::string_view text, std::string_view source) {
  std::string_view body = text.starts_with(kBom) ? text.substr(kBom.size()) : text;
  // The delimiter, from the first non-blank line.
  std::string_view first = body.substr(body.find_first_not_of("\r\n") == std::string_view::npos
                                           ? body.size()
                                           : body.find_first_not_of("\r\n"));
  first = first.substr(0, first.find_first_of("\r\n"));
  const char delimiter =
      first.find(';') != std::string_view::npos && first.find(',') == std::string_view::npos ? ';'
                                                                                             : ',';

  PRESENTIE_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text, delimiter, source));
  if (records.empty()) {
    return InvalidArgument(fmt::format("{}: the file is empty; expected a header row", source));
  }
  CsvTable table;
  table.source = std::string(source);
  table.delimiter = delimiter;
  table.header_line = records.front().line;
  for (const std::string& name : records.front().fields) {
    table.header.push_back(NormalizeColumnName(name));
  }
  for (auto it = records.begin() + 1; it != records.end(); ++it) {
    const bool blank = std::all_of(it->fields.begin(), it->fields.end(),
                                   [](const std::string& f) { return TrimBlanks(f).empty(); });
    if (!blank) table.rows.push_back(std::move(*it));
  }
  return table;
}

Result<CsvTable> ReadCsvFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (err == ENOENT) return NotFound(fmt::format("{}: no such file", path));
    return InvalidArgument(fmt::format("{}: cannot read: {}", path, std::strerror(err)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return InvalidArgument(fmt::format("{}: cannot read", path));
  return ParseCsvTable(buffer.str(), path);
}

}  // namespace presentie::cli
