// One CSV import, streamed: the file read row by row (CsvReader), each row
// checked and written at once into one open write, and that write committed
// only when every row passed. What differs by kind (the columns, how a row
// becomes records, the write, what is printed) is the caller's; the loop,
// the errors and the all-or-nothing are here, once for every import
// (docs/cli.md, "CSV imports").
#ifndef PRESENTIE_CLI_IMPORT_STREAM_H_
#define PRESENTIE_CLI_IMPORT_STREAM_H_

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "cli/context.h"
#include "cli/csv.h"
#include "cli/exit_codes.h"
#include "core/status.h"
#include "storage/store.h"

namespace presentie::cli {

// The parts of an import that differ by kind.
struct CsvImportSteps {
  std::span<const std::string_view> required;  // columns (CsvTable::CheckHeader)
  std::span<const std::string_view> optional;
  // After the header passed: opens the register and begins the write.
  // Returns kExitOk, or the exit code of a failure it reported (ctx.Fail).
  std::function<int()> begin;
  // One row with a field per column: checks it and writes its records,
  // adding what is wrong with it to `errors` (the import goes on, to report
  // every bad row). A returned error ends the import: nothing is written.
  std::function<Status(const CsvTable& table, const CsvRecord& row, CsvErrors& errors)> row;
  // When some rows were wrong, before they are reported: may rewrite the
  // kept errors (attend import names the earlier line of a repeated row).
  // May be empty.
  std::function<Status(CsvErrors& errors)> before_errors;
  // When every row passed: commits the write, or says that there was nothing
  // to import. A returned error means nothing was written.
  std::function<Status()> commit;
};

// Reads `path` again, row by row, calling `each` with every row that has
// one field per column, without holding the file: for what an import prints
// once it committed (what it wrote, in file order) and for a message that
// names an earlier row. An error of `each` ends the reading.
Status ForEachCsvRow(
    const std::string& path,
    const std::function<Status(const CsvTable& table, const CsvRecord& row)>& each);

// Gives each id of what a write wrote, in order, to its argument.
using IdLister = std::function<Status(const std::function<void(std::string_view id)>&)>;
// Prints the ids and the counts of a write of records (qualifications, exam
// results): under --json {"ids": [...], "new": N, "changed": N,
// "unchanged": N}, else an id a line and `said` on stderr. The ids are
// printed as `each_id` gives them, never held.
int PrintIdsWritten(const Context& ctx, const IdLister& each_id,
                    const storage::Store::SubmitResult& result, std::string_view said);

// The keys an import wrote, each with the line it came from, for "is also
// on line N": bounded by the register's records of the kind, not the file.
class KeyLines {
 public:
  // The line `key` was kept with, or 0.
  int Line(const std::string& key) const {
    auto it = lines_.find(key);
    return it == lines_.end() ? 0 : it->second;
  }
  void Keep(std::string key, int line) { lines_.emplace(std::move(key), line); }
  bool contains(const std::string& key) const { return lines_.contains(key); }

 private:
  std::unordered_map<std::string, int> lines_;
};

// For CsvImportSteps::begin: opens the register into `store` and begins the
// import's write into `write` with `begin`. Returns kExitOk, or the exit code
// of the failure it reported ("PATH: nothing was imported: ..." when the
// write could not begin).
template <typename Write>
int BeginImport(const Context& ctx, const std::string& path, std::unique_ptr<storage::Store>& store,
                std::unique_ptr<Write>& write,
                const std::function<Result<std::unique_ptr<Write>>(storage::Store&)>& begin) {
  auto opened = ctx.OpenStore();
  if (!opened.ok()) return ctx.Fail(opened.status());
  store = std::move(*opened);
  auto begun = begin(*store);
  if (!begun.ok()) return ctx.Fail(begun.status().WithContext(path + ": nothing was imported"));
  write = std::move(*begun);
  return kExitOk;
}

// Adds `record` to `write` (a RecordWrite or SubmitWrite): true when it was
// written; false, with the error kept in `errors` as the row's, when the
// register refused the record; an error that broke the write is returned
// (it ends the import).
template <typename Write, typename Record>
Result<bool> AddRecord(Write& write, const Record& record, const CsvTable& table,
                       const CsvRecord& row, CsvErrors& errors) {
  Status s = write.Add(record);
  if (s.ok()) return true;
  if (!Write::AboutTheRecord(s)) return s;
  errors.Add(table.RowError(row, "", s.message(), s.code()));
  return false;
}

// Reads `path` row by row through `steps`. Returns kExitOk once the write
// is committed (the caller then prints what it wrote), else the exit code
// of the failure, reported on stderr: "PATH:LINE: column 'C': ..." for each
// bad row (the first CsvErrors::kKept) and "nothing was imported from PATH
// (N of M rows have errors)...", or "PATH: nothing was imported: ..." for an
// error that ended the import. Memory: a read buffer and the caller's state,
// whatever the file's size.
int StreamCsvImport(const Context& ctx, const std::string& path, const CsvImportSteps& steps);

}  // namespace presentie::cli

#endif  // PRESENTIE_CLI_IMPORT_STREAM_H_
