// What the commands print on stdout: aligned tables for people, and stable
// JSON (snake_case keys, enum values by core's ToString names, absent values
// as null) for programs. The JSON shapes are documented in docs/cli.md and
// only grow: a key, once printed, keeps its name and meaning.
#ifndef PRESENTIE_CLI_OUTPUT_H_
#define PRESENTIE_CLI_OUTPUT_H_

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain.h"
#include "storage/store.h"

namespace presentie::cli {

// JSON objects keep their keys in the order written, so output reads well.
using Json = nlohmann::ordered_json;

// A text table: a header row and rows, columns left-aligned and separated by
// two spaces, the last column not padded. Widths count UTF-8 code points, so
// "Öztürk" lines up. Line breaks and tabs inside a cell print as spaces.
class Table {
 public:
  explicit Table(std::vector<std::string> header);
  // A row has one cell per header column (missing cells print empty).
  void AddRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// The same layout as Table for rows that are made twice (once to size the
// columns, once to print them) rather than held: `each_row(emit)` calls
// `emit` once per row, in order, the same rows both times.
using RowEmitter = std::function<void(const std::vector<std::string>&)>;
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::function<void(const RowEmitter&)>& each_row);

// "key  value" lines with the keys aligned.
void PrintKeyValues(std::ostream& out,
                    const std::vector<std::pair<std::string, std::string>>& rows);

// Pretty-printed JSON and a newline. Bytes that are not UTF-8 print as U+FFFD
// rather than failing.
void PrintJson(std::ostream& out, const Json& value);
// Prints what PrintJson prints of an object with the members of `before`,
// then `key` holding an array, then the members of `after`, where the
// array's elements are printed as `each` gives them rather than held: an
// import's list of what it wrote, of any length.
using JsonEmitter = std::function<void(const Json&)>;
void PrintJsonWithArray(std::ostream& out, const Json& before, std::string_view key,
                        const std::function<void(const JsonEmitter&)>& each, const Json& after);

// The number of code points of a UTF-8 string (its width in a terminal, for
// the scripts a school writes in).
size_t DisplayWidth(std::string_view utf8);

// A BSN for human output: all but the last four digits hidden, "*****2782".
// The full number appears only in --json output.
std::string MaskBsn(std::string_view bsn);

// `text`, or "-" when it is empty.
std::string OrDash(std::string_view text);

// A wall-clock instant (ms since the epoch) as local time "2026-11-29 18:15:50".
std::string FormatLocalTime(uint64_t ms);
// The same instant as UTC ISO 8601, "2026-11-29T17:15:50.123Z" (for JSON).
std::string FormatUtcTime(uint64_t ms);

// JSON objects of the records. Keys match the CSV columns and flags.
Json ToJson(const Learner& l);
Json ToJson(const Course& c);
Json ToJson(const Lesson& l);
Json ToJson(const Attendance& a);
Json ToJson(const storage::AuditEntry& e);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_OUTPUT_H_
