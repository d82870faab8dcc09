// One CSV import, streamed: the file read row by row (CsvReader), each row
// checked and written at once into one open write, and that write committed
// only when every row passed. What differs by kind (the columns, how a row
// becomes records, the write, what is printed) is the caller's; the loop,
// the errors and the all-or-nothing are here, once for every import
// (docs/cli.md, "CSV imports").
#ifndef PRESENTIE_CLI_IMPORT_STREAM_H_
#define PRESENTIE_CLI_IMPORT_STREAM_H_

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "cli/context.h"
#include "cli/csv.h"
#include "core/status.h"

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
Status ForEachCsvRow(const std::string& path,
                     const std::function<Status(const CsvTable& table, const CsvRecord& row)>& each);

// Gives each id of what a write wrote, in order, to its argument.
using IdLister = std::function<Status(const std::function<void(std::string_view id)>&)>;
// Prints the ids and the counts of a write of records (qualifications, exam
// results): under --json {"ids": [...], "new": N, "changed": N,
// "unchanged": N}, else an id a line and `said` on stderr. The ids are
// printed as `each_id` gives them, never held.
int PrintIdsWritten(const Context& ctx, const IdLister& each_id,
                    const storage::Store::SubmitResult& result, std::string_view said);

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
