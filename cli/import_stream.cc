#include "cli/import_stream.h"

#include <fmt/format.h>

#include <memory>

#include "cli/exit_codes.h"
#include "cli/output.h"

namespace presentie::cli {

Status ForEachCsvRow(
    const std::string& path,
    const std::function<Status(const CsvTable& table, const CsvRecord& row)>& each) {
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path));
  const CsvTable& table = reader->table();
  CsvRecord row;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool more, reader->Next(&row));
    if (!more) return Status::Ok();
    if (!table.CheckWidth(row).ok()) continue;
    PRESENTIE_RETURN_IF_ERROR(each(table, row));
  }
}

int PrintIdsWritten(const Context& ctx, const IdLister& each_id,
                    const storage::Store::SubmitResult& result, std::string_view said) {
  Status listed;
  if (ctx.json()) {
    PrintJsonWithArray(
        ctx.out(), Json::object(), "ids",
        [&](const JsonEmitter& emit) {
          listed = each_id([&](std::string_view id) { emit(Json(std::string(id))); });
        },
        {{"new", result.added}, {"changed", result.changed}, {"unchanged", result.unchanged}});
  } else {
    listed = each_id([&](std::string_view id) { ctx.out() << id << '\n'; });
    ctx.Say(said);
  }
  return listed.ok() ? kExitOk : ctx.Fail(listed);
}

int StreamCsvImport(const Context& ctx, const std::string& path, const CsvImportSteps& steps) {
  auto reader = CsvReader::Open(path);
  if (!reader.ok()) return ctx.Fail(reader.status());
  const CsvTable& table = (*reader)->table();
  if (Status s = table.CheckHeader(steps.required, steps.optional); !s.ok()) return ctx.Fail(s);
  if (const int rc = steps.begin(); rc != kExitOk) return rc;
  const auto nothing_imported = [&](const Status& s) {
    return ctx.Fail(s.WithContext(fmt::format("{}: nothing was imported", path)));
  };

  CsvErrors errors;
  size_t rows = 0;
  CsvRecord row;
  for (;;) {
    auto more = (*reader)->Next(&row);
    if (!more.ok()) return nothing_imported(more.status());
    if (!*more) break;
    ++rows;
    if (Status s = table.CheckWidth(row); !s.ok()) {
      errors.Add(s);
      continue;
    }
    if (Status s = steps.row(table, row, errors); !s.ok()) return nothing_imported(s);
  }
  if (!errors.empty()) {
    if (steps.before_errors) {
      if (Status s = steps.before_errors(errors); !s.ok()) return nothing_imported(s);
    }
    return ctx.FailAll(errors.kept(), errors.total(),
                       fmt::format("nothing was imported from {} ({} of {} rows have "
                                   "errors); fix them and import the file again",
                                   path, errors.total(), rows));
  }
  if (Status s = steps.commit(); !s.ok()) return nothing_imported(s);
  return kExitOk;
}

}  // namespace presentie::cli
