// presentie contract|invoice|diploma add|import|list: what the school's admin
// enters for DUO and, for a Wi2021 asylum permit holder's bridging diploma,
// for the gemeente (docs/authorities.md, "Contracts, invoices, bridging
// diplomas"). The three have one shape — fields given as flags or as CSV
// columns, one store call that writes all of them or none, a list — so one
// template serves them, each kind described by an EnteredKind.
//
// Each is sent as entered at the next sync with the receiving endpoint
// (sync::SentTo); the store fills in the BSN, and a diploma's receiver,
// from the register.
#include <fmt/format.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/csv.h"
#include "cli/exit_codes.h"
#include "cli/import_stream.h"
#include "cli/output.h"
#include "cli/parse.h"
#include "core/authorities.h"
#include "core/ids.h"

namespace presentie::cli {
namespace {

using storage::Store;

struct Field {
  std::string_view name;  // the CSV column; the flag is FlagName(name)
  std::string_view help;
  bool required = true;
  std::string_view placeholder = "";
};

// One kind of record the admin enters.
template <typename T>
struct EnteredKind {
  std::string_view command;  // "contract"
  std::string_view noun;     // "contract", in messages
  std::string_view plural;   // "contracts"
  std::string_view help;     // the command's one line
  std::string_view examples;
  std::vector<Field> fields;
  // A record from its fields (the store fills in the rest); errors name the
  // field through `error`.
  Result<T> (*make)(const FieldGetter& get, const FieldError& error);
  // What the admin names one by: its number, or its learner.
  std::string (*key)(const T&);
  Result<Store::SubmitResult> (Store::*write)(const storage::Actor&, std::vector<T>);
  // The same write fed record by record, for an import.
  Result<std::unique_ptr<Store::SubmitWrite<T>>> (Store::*begin)(const storage::Actor&);
  Result<std::vector<T>> (Store::*list)();
  // The same list a record at a time (Store::EachContract...).
  Status (Store::*each)(const std::function<Status(const T&)>&);
  std::vector<std::string> headers;
  std::vector<std::string> (*row)(const T&);
  Json (*json)(const T&);
  std::string_view after_write;  // who receives them, and when
};

// "1250", "1250.5", "1250.50" or "1250,50" euro -> cents.
Result<int64_t> ParseEuroCents(std::string_view text) {
  const size_t sep = text.find_first_of(".,");
  const std::string_view whole = text.substr(0, sep);
  const std::string_view frac = sep == std::string_view::npos ? "" : text.substr(sep + 1);
  const auto digits = [](std::string_view t) {
    return std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 6 || !digits(whole) || !digits(frac) || frac.size() > 2 ||
      (sep != std::string_view::npos && frac.empty())) {
    return InvalidArgument(fmt::format("'{}' is not an amount in euro (e.g. 1250.00)", text));
  }
  int64_t cents = 0;
  for (char c : whole) cents = cents * 10 + (c - '0');
  cents *= 100;
  if (frac.size() >= 1) cents += (frac[0] - '0') * 10;
  if (frac.size() == 2) cents += frac[1] - '0';
  return cents;
}

std::string FormatEuro(int64_t cents) {
  return fmt::format("{}.{:02}", cents / 100, cents % 100);
}

// A date field, or the error naming it.
Result<Date> DateField(const FieldGetter& get, const FieldError& error, std::string_view field) {
  auto d = ParseDate(get(field));
  if (!d.ok()) return error(field, "is not a date (YYYY-MM-DD)");
  return *d;
}

Result<std::string> KeyField(const FieldGetter& get, const FieldError& error,
                             std::string_view field, std::string_view what) {
  const std::string value(get(field));
  if (Status s = ValidateRecordKey(value, what); !s.ok()) return error(field, s.message());
  return value;
}

// A core Validate refusal, about the record as a whole: its message names
// the record and the field; `error` adds the flag or the CSV line.
Status Invalid(const FieldError& error, const Status& s) { return error("", s.message()); }

// --- Contract.

Result<exports::Contract> MakeContract(const FieldGetter& get, const FieldError& error) {
  exports::Contract c;
  PRESENTIE_ASSIGN_OR_RETURN(c.id, KeyField(get, error, "number", "contract number"));
  PRESENTIE_ASSIGN_OR_RETURN(c.learner_id, KeyField(get, error, "learner", "learner id"));
  PRESENTIE_ASSIGN_OR_RETURN(c.signed_on, DateField(get, error, "signed"));
  PRESENTIE_ASSIGN_OR_RETURN(c.start, DateField(get, error, "start"));
  PRESENTIE_ASSIGN_OR_RETURN(c.end, DateField(get, error, "end"));
  auto hours = ParseInt(get("hours"), 1, 9999);
  if (!hours.ok()) return error("hours", hours.status().message());
  c.hours = *hours;
  auto price = ParseEuroCents(get("price"));
  if (!price.ok()) return error("price", price.status().message());
  c.price_cents = *price;
  // The BSN is the store's to fill in: check the rest with a valid stand-in.
  exports::Contract check = c;
  check.bsn = "111222333";
  if (Status s = exports::Validate(check); !s.ok()) return Invalid(error, s);
  return c;
}

const EnteredKind<exports::Contract>& ContractKind() {
  static const EnteredKind<exports::Contract> kKind{
      .command = "contract",
      .noun = "contract",
      .plural = "contracts",
      .help = "Learners' contracts with the school, which DUO receives (admin)",
      .examples = "presentie contract add --number 2026-014 --learner S1042 --signed 2026-08-20 "
                  "--start 2026-09-01 --end 2027-08-31 --hours 600 --price 6500.00\n"
                  "presentie contract import contracts.csv\n"
                  "presentie contract list --learner S1042",
      .fields = {{"number", "The school's contract number (a key: letters, digits, . _ -)"},
                 {"learner", "The learner's id"},
                 {"signed", "When it was signed", true, "YYYY-MM-DD"},
                 {"start", "First day of the course it covers", true, "YYYY-MM-DD"},
                 {"end", "Last day", true, "YYYY-MM-DD"},
                 {"hours", "Contracted hours, 1..9999"},
                 {"price", "The price in euro, e.g. 6500.00"}},
      .make = MakeContract,
      .key = [](const exports::Contract& c) { return c.id; },
      .write = &Store::RecordContracts,
      .begin = &Store::BeginContracts,
      .list = &Store::ListContracts,
      .each = &Store::EachContract,
      .headers = {"NUMBER", "LEARNER", "SIGNED", "FROM", "TO", "HOURS", "PRICE"},
      .row =
          [](const exports::Contract& c) {
            return std::vector<std::string>{c.id,           c.learner_id,
                                            FormatDate(c.signed_on), FormatDate(c.start),
                                            FormatDate(c.end),       std::to_string(c.hours),
                                            FormatEuro(c.price_cents)};
          },
      .json =
          [](const exports::Contract& c) {
            return Json{{"number", c.id},
                        {"learner", c.learner_id},
                        {"signed", FormatDate(c.signed_on)},
                        {"start", FormatDate(c.start)},
                        {"end", FormatDate(c.end)},
                        {"hours", c.hours},
                        {"price_cents", c.price_cents}};
          },
      .after_write = "DUO receives every contract (R1) at the next sync with its endpoint",
  };
  return kKind;
}

// --- Invoice.

Result<exports::Invoice> MakeInvoice(const FieldGetter& get, const FieldError& error) {
  exports::Invoice i;
  PRESENTIE_ASSIGN_OR_RETURN(i.id, KeyField(get, error, "number", "invoice number"));
  PRESENTIE_ASSIGN_OR_RETURN(i.contract_id, KeyField(get, error, "contract", "contract number"));
  PRESENTIE_ASSIGN_OR_RETURN(i.invoiced_on, DateField(get, error, "date"));
  if (!get("hours").empty()) {
    auto hours = ParseInt(get("hours"), 0, 9999);
    if (!hours.ok()) return error("hours", hours.status().message());
    i.hours = *hours;
  }
  auto amount = ParseEuroCents(get("amount"));
  if (!amount.ok()) return error("amount", amount.status().message());
  if (*amount == 0) return error("amount", "is zero");
  i.amount_cents = *amount;
  exports::Invoice check = i;  // the learner and BSN are the store's to fill in
  check.learner_id = "x";
  check.bsn = "111222333";
  if (Status s = exports::Validate(check); !s.ok()) return Invalid(error, s);
  return i;
}

const EnteredKind<exports::Invoice>& InvoiceKind() {
  static const EnteredKind<exports::Invoice> kKind{
      .command = "invoice",
      .noun = "invoice",
      .plural = "invoices",
      .help = "Invoices on contracts, which DUO receives — none of a Wi2021 asylum permit "
              "holder (admin)",
      .examples = "presentie invoice add --number F2026-0301 --contract 2026-014 "
                  "--date 2026-10-01 --hours 120 --amount 1300.00\n"
                  "presentie invoice import invoices.csv\n"
                  "presentie invoice list",
      .fields = {{"number", "The school's invoice number (a key)"},
                 {"contract", "The contract it is on (its learner's invoice)"},
                 {"date", "The invoice date", true, "YYYY-MM-DD"},
                 {"amount", "The amount in euro, e.g. 1300.00"},
                 {"hours", "Hours it invoices (default 0)", false}},
      .make = MakeInvoice,
      .key = [](const exports::Invoice& i) { return i.id; },
      .write = &Store::RecordInvoices,
      .begin = &Store::BeginInvoices,
      .list = &Store::ListInvoices,
      .each = &Store::EachInvoice,
      .headers = {"NUMBER", "CONTRACT", "LEARNER", "DATE", "HOURS", "AMOUNT"},
      .row =
          [](const exports::Invoice& i) {
            return std::vector<std::string>{i.id,
                                            i.contract_id,
                                            i.learner_id,
                                            FormatDate(i.invoiced_on),
                                            std::to_string(i.hours),
                                            FormatEuro(i.amount_cents)};
          },
      .json =
          [](const exports::Invoice& i) {
            return Json{{"number", i.id},
                        {"contract", i.contract_id},
                        {"learner", i.learner_id},
                        {"date", FormatDate(i.invoiced_on)},
                        {"hours", i.hours},
                        {"amount_cents", i.amount_cents}};
          },
      .after_write = "DUO receives them (R1) at the next sync with its endpoint",
  };
  return kKind;
}

// --- Bridging diploma.

Result<exports::BridgingDiploma> MakeDiploma(const FieldGetter& get, const FieldError& error) {
  exports::BridgingDiploma d;
  PRESENTIE_ASSIGN_OR_RETURN(d.learner_id, KeyField(get, error, "learner", "learner id"));
  PRESENTIE_ASSIGN_OR_RETURN(d.awarded_on, DateField(get, error, "date"));
  return d;
}

std::string Receiver(const exports::BridgingDiploma& d) {
  return d.gemeente_code.empty() ? "DUO" : "gemeente " + d.gemeente_code;
}

const EnteredKind<exports::BridgingDiploma>& DiplomaKind() {
  static const EnteredKind<exports::BridgingDiploma> kKind{
      .command = "diploma",
      .noun = "bridging diploma",
      .plural = "bridging diplomas",
      .help = "Bridging diplomas (taalschakeldiploma) of onderwijsroute learners: DUO or the "
              "gemeente receives that there is one (admin)",
      .examples = "presentie diploma add --learner S2001 --date 2027-06-30\n"
                  "presentie diploma import diplomas.csv\n"
                  "presentie diploma list",
      .fields = {{"learner", "The learner's id (onderwijsroute, Wi2021)"},
                 {"date", "When it was awarded", true, "YYYY-MM-DD"}},
      .make = MakeDiploma,
      .key = [](const exports::BridgingDiploma& d) { return d.learner_id; },
      .write = &Store::RecordDiplomas,
      .begin = &Store::BeginDiplomas,
      .list = &Store::ListDiplomas,
      .each = &Store::EachDiploma,
      .headers = {"LEARNER", "AWARDED", "RECEIVER"},
      .row =
          [](const exports::BridgingDiploma& d) {
            return std::vector<std::string>{d.learner_id, FormatDate(d.awarded_on), Receiver(d)};
          },
      .json =
          [](const exports::BridgingDiploma& d) {
            return Json{{"id", d.id},
                        {"learner", d.learner_id},
                        {"date", FormatDate(d.awarded_on)},
                        {"receiver", d.gemeente_code.empty() ? "duo" : "gemeente"},
                        {"gemeente", d.gemeente_code}};
          },
      .after_write = "the receiver R1 names (DUO; the gemeente for a Wi2021 asylum permit "
                     "holder) gets that there is one — not which — at the next sync with it",
  };
  return kKind;
}

// --- The commands, for any kind.

template <typename T>
void PrintList(const Context& ctx, const EnteredKind<T>& kind, const std::vector<T>& records) {
  if (ctx.json()) {
    Json list = Json::array();
    for (const T& r : records) list.push_back(kind.json(r));
    PrintJson(ctx.out(), list);
    return;
  }
  Table table(kind.headers);
  for (const T& r : records) table.AddRow(kind.row(r));
  table.Print(ctx.out());
}

// Prints the records of the kind whose keys are `keys`, as the register now
// shows them (in its order), and the write's counts. The records are read
// from the register and printed one at a time (twice for the table, which
// sizes its columns first): what this holds is `keys`, whatever the count.
template <typename T, typename Keys>
int ShowWritten(const Context& ctx, Store& store, const EnteredKind<T>& kind, const Keys& keys,
                const Store::SubmitResult& result) {
  Status read;
  const auto each_written = [&](const std::function<void(const T&)>& emit) {
    if (!read.ok()) return;
    read = (store.*kind.each)([&](const T& r) {
      if (keys.contains(kind.key(r))) emit(r);
      return Status::Ok();
    });
  };
  if (ctx.json()) {
    PrintJsonWithArray(
        ctx.out(), Json::object(), std::string(kind.command) + "s",
        [&](const JsonEmitter& emit) { each_written([&](const T& r) { emit(kind.json(r)); }); },
        {{"new", result.added}, {"changed", result.changed}, {"unchanged", result.unchanged}});
  } else {
    PrintTable(ctx.out(), kind.headers, [&](const RowEmitter& emit) {
      each_written([&](const T& r) { emit(kind.row(r)); });
    });
  }
  if (!read.ok()) return ctx.Fail(read);
  if (!ctx.json()) {
    ctx.Say(fmt::format("{} new, {} changed, {} unchanged. {}", result.added, result.changed,
                        result.unchanged, kind.after_write));
  }
  return kExitOk;
}

// Writes `records` (all or none) and shows them as the store completed them.
template <typename T>
int WriteAndShow(const Context& ctx, const EnteredKind<T>& kind, std::vector<T> records) {
  std::set<std::string> keys;
  for (const T& r : records) keys.insert(kind.key(r));
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto result = ((**store).*kind.write)(ctx.ActorFor(**store), std::move(records));
  if (!result.ok()) return ctx.Fail(result.status());
  return ShowWritten(ctx, **store, kind, keys, *result);
}

template <typename T>
int RunAdd(const Context& ctx, const EnteredKind<T>& kind,
           const std::map<std::string, std::string, std::less<>>& values) {
  auto record = kind.make(
      [&](std::string_view field) -> std::string_view {
        auto it = values.find(field);
        return it == values.end() ? std::string_view() : std::string_view(it->second);
      },
      [](std::string_view field, std::string_view message) -> Status {
        if (field.empty()) return InvalidArgument(std::string(message));
        return InvalidArgument(fmt::format("{}: {}", FlagName(field), message));
      });
  if (!record.ok()) return ctx.Fail(record.status());
  std::vector<T> records;
  records.push_back(std::move(*record));
  return WriteAndShow(ctx, kind, std::move(records));
}

// Streamed (StreamCsvImport, the kind's Begin...): each row checked and
// written as it is read, all committed or none. It keeps the keys written
// and their lines (bounded by the register's records of the kind), never a
// row; what it prints is the register's list of those keys.
template <typename T>
int RunImport(const Context& ctx, const EnteredKind<T>& kind, const std::string& path) {
  std::vector<std::string_view> required;
  std::vector<std::string_view> optional;
  for (const Field& f : kind.fields) (f.required ? required : optional).push_back(f.name);
  std::unique_ptr<Store> store;
  std::unique_ptr<Store::SubmitWrite<T>> write;
  KeyLines key_lines;
  CsvImportSteps steps;
  steps.required = required;
  steps.optional = optional;
  steps.begin = [&] {
    return BeginImport<Store::SubmitWrite<T>>(ctx, path, store, write, [&](Store& opened) {
      return (opened.*kind.begin)(ctx.ActorFor(opened));
    });
  };
  steps.row = [&](const CsvTable& table, const CsvRecord& row, CsvErrors& errors) -> Status {
    auto record =
        kind.make([&](std::string_view field) { return table.Get(row, field); },
                  [&](std::string_view field, std::string_view message) {
                    return table.RowError(row, field, message);
                  });
    if (!record.ok()) {
      errors.Add(record.status());
      return Status::Ok();
    }
    std::string key = kind.key(*record);
    if (const int earlier = key_lines.Line(key); earlier > 0) {
      errors.Add(
          table.RowError(row, kind.fields.front().name,
                         fmt::format("{} '{}' is also on line {}", kind.noun, key, earlier)));
      return Status::Ok();
    }
    key_lines.Keep(std::move(key), row.line);
    return AddRecord(*write, *record, table, row, errors).status();
  };
  steps.commit = [&] { return write->Commit(); };
  if (const int rc = StreamCsvImport(ctx, path, steps); rc != kExitOk) return rc;
  return ShowWritten(ctx, *store, kind, key_lines, write->result());
}

template <typename T>
int RunList(const Context& ctx, const EnteredKind<T>& kind, const std::string& learner) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto all = ((**store).*kind.list)();
  if (!all.ok()) return ctx.Fail(all.status());
  std::vector<T> shown;
  for (T& r : *all) {
    if (learner.empty() || r.learner_id == learner) shown.push_back(std::move(r));
  }
  if (shown.empty() && !ctx.json()) {
    ctx.out() << fmt::format("no {}: presentie {} add ... or {} import FILE.csv\n", kind.plural,
                             kind.command, kind.command);
    return kExitOk;
  }
  PrintList(ctx, kind, shown);
  return kExitOk;
}

template <typename T>
void AddEnteredCommands(CLI::App& app, Action* action, const EnteredKind<T>& kind) {
  CLI::App* noun = app.add_subcommand(std::string(kind.command), std::string(kind.help));
  noun->require_subcommand(1);
  SetExamples(noun, std::string(kind.examples));

  auto values = std::make_shared<std::map<std::string, std::string, std::less<>>>();
  CLI::App* add = noun->add_subcommand("add", fmt::format("Add or change a {}", kind.noun));
  for (const Field& f : kind.fields) {
    CLI::Option* option =
        add->add_option(FlagName(f.name), (*values)[std::string(f.name)], std::string(f.help));
    if (!f.placeholder.empty()) option->option_text(std::string(f.placeholder));
    if (f.required) option->required();
  }
  add->callback([action, values, &kind] {
    *action = [values, &kind](const Context& ctx) { return RunAdd(ctx, kind, *values); };
  });

  auto path = std::make_shared<std::string>();
  CLI::App* import = noun->add_subcommand(
      "import", fmt::format("Import {} from a CSV file: all rows, or none if one is wrong",
                            kind.plural));
  std::string columns;
  for (const Field& f : kind.fields) {
    columns += columns.empty() ? "" : ",";
    columns += f.required ? std::string(f.name) : "[" + std::string(f.name) + "]";
  }
  SetExamples(import, fmt::format("presentie {} import {}.csv\n# columns: {}", kind.command,
                                  kind.command, columns));
  import->add_option("FILE", *path, "The CSV file")->required();
  import->callback([action, path, &kind] {
    *action = [path, &kind](const Context& ctx) { return RunImport(ctx, kind, *path); };
  });

  auto learner = std::make_shared<std::string>();
  CLI::App* list = noun->add_subcommand("list", fmt::format("The {} held here", kind.plural));
  list->add_option("--learner", *learner, "Only this learner's");
  list->callback([action, learner, &kind] {
    *action = [learner, &kind](const Context& ctx) { return RunList(ctx, kind, *learner); };
  });
}

}  // namespace

void AddContractCommands(CLI::App& app, Action* action) {
  AddEnteredCommands(app, action, ContractKind());
  AddEnteredCommands(app, action, InvoiceKind());
  AddEnteredCommands(app, action, DiplomaKind());
}

}  // namespace presentie::cli
