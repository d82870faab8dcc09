// Writing typed rows: the upsert of each kind's shown value with its
// version columns (personal fields through seal()), and the gemeente's
// PIP and NAW data shown over a learner's own fields.
#include "storage/sqlite_store/store_impl.h"

namespace presentie::storage::impl {

void BindShown(Statement& stmt, int index, const ShownStamp& s) {
  stmt.BindTextRef(index, *s.vv);
  stmt.BindInt(index + 1, s.hlc);
  stmt.BindTextRef(index + 2, s.writer->replica);
  stmt.BindStaticText(index + 3, ToString(s.writer->role));
  stmt.BindTextRef(index + 4, s.writer->user);
}

// "INSERT INTO <table> (<columns> + version columns) VALUES (?1, …) ON
// CONFLICT (<key>) DO UPDATE SET c = excluded.c, …" for every non-key column;
// with `rows` > 1, that many rows of values, the k-th (from 0) taking the
// parameters from k × (columns + version columns) + 1 on.
std::string UpsertSql(std::string_view table, std::string_view key, std::string_view columns,
                      std::string_view lookup_hash, size_t rows) {
  const std::string all = std::string(columns) + std::string(kShownVersionColumns);
  const std::vector<std::string_view> items = SplitColumns(all);
  const std::vector<std::string_view> keys = SplitColumns(key);
  std::vector<std::string> names;
  std::string values;
  constexpr std::string_view kUnseal = "unseal(";
  for (size_t row = 0; row < rows; ++row) {
    values += row > 0 ? "), (" : "";
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string param = "?" + std::to_string(row * items.size() + i + 1);
      std::string_view item = items[i];
      values += i > 0 ? ", " : "";
      if (item.substr(0, kUnseal.size()) != kUnseal) {
        if (row == 0) names.emplace_back(item);
        values += param;
        continue;
      }
      // unseal(column,'field') -> column, seal(?n,'field')
      item.remove_prefix(kUnseal.size());
      const size_t comma = item.find(',');
      if (row == 0) names.emplace_back(item.substr(0, comma));
      values += "seal(" + param + std::string(item.substr(comma));
      if (!lookup_hash.empty() && item.substr(0, comma) == lookup_hash) {
        if (row == 0) names.emplace_back(std::string(lookup_hash) + "_hash");
        values += ", " + std::string(lookup_hash) + "_key(" + param + ")";
      }
    }
  }
  std::string sql = "INSERT INTO " + std::string(table) + " (";
  for (size_t i = 0; i < names.size(); ++i) sql += (i > 0 ? ", " : "") + names[i];
  sql += ") VALUES (" + values;
  sql += ") ON CONFLICT (" + std::string(key) + ") DO UPDATE SET ";
  bool first = true;
  for (const std::string& name : names) {
    if (std::find(keys.begin(), keys.end(), name) != keys.end()) continue;
    if (!first) sql += ", ";
    first = false;
    sql += name + " = excluded." + name;
  }
  return sql;
}

namespace {

constexpr std::string_view kAttendanceRowColumns =
    "lesson_id, learner_id, status, minutes_present, mode, notified_in_advance, "
    "unseal(reason,'reason'), unseal(note,'note'), decision, decided_by, facts_rule, "
    "absence_rule, decision_rule, rule_set, conflict";

constexpr int kAttendanceRowParams = 20;  // those 15 and the 5 version columns

// Binds `row` from parameter `index` on, in kAttendanceRowColumns' order.
void BindAttendanceRow(Statement& stmt, int index, const AttendanceRow& row) {
  const Attendance& a = row.shown;
  const MergeColumns& m = row.merge;
  stmt.BindTextRef(index, a.lesson_id);
  stmt.BindTextRef(index + 1, a.learner_id);
  stmt.BindStaticText(index + 2, ToString(a.status));
  stmt.BindInt(index + 3, a.minutes_present);
  stmt.BindStaticText(index + 4, ToString(a.mode));
  stmt.BindBool(index + 5, a.notified_in_advance);
  // A learner present for the whole lesson has no reason (ValidateAttendance):
  // the column would tell nothing the plain status does not, so it is left
  // empty, which is not sealed and reads as none, instead of a sealed "none"
  // (half the seals of a typical lesson; docs/benchmarks.md).
  stmt.BindStaticText(index + 6, a.status == AttendanceStatus::kPresent ? "" : ToString(a.reason));
  stmt.BindTextRef(index + 7, a.note);
  if (a.decision.has_value()) {
    stmt.BindStaticText(index + 8, ToString(a.decision->value));
    stmt.BindStaticText(index + 9, ToString(a.decision->decided_by));
  } else {
    stmt.BindNull(index + 8);
    stmt.BindNull(index + 9);
  }
  stmt.BindStaticText(index + 10, m.facts_rule);
  stmt.BindStaticText(index + 11, m.absence_rule);
  stmt.BindStaticText(index + 12, m.decision_rule);
  stmt.BindInt(index + 13, m.rule_set);
  stmt.BindInt(index + 14, static_cast<int64_t>(m.conflict));
  BindShown(stmt, index + 15, row.stamp);
}

}  // namespace

std::vector<std::string_view> SplitColumns(std::string_view columns) {
  std::vector<std::string_view> out;
  while (!columns.empty()) {
    const size_t comma = columns.find(", ");
    out.push_back(columns.substr(0, comma));
    if (comma == std::string_view::npos) break;
    columns.remove_prefix(comma + 2);
  }
  return out;
}

Result<std::optional<Classification>> GemeenteDecisionOn(Database& db, std::string_view lesson_id,
                                                         std::string_view learner_id) {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement get,
      db.Cached("SELECT value FROM gemeente_decision WHERE lesson_id = ?1 AND learner_id = ?2 "
                "ORDER BY id LIMIT 1"));
  get->BindText(1, lesson_id);
  get->BindText(2, learner_id);
  PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
  if (!found) return std::optional<Classification>();
  Classification value = Classification::kPending;
  PRESENTIE_RETURN_IF_ERROR(Take(ParseClassification(get->ColumnText(0)), &value));
  return std::optional<Classification>(value);
}

Result<AttendanceRow> ShownAttendanceRow(Database& db, const Attendance& a, const ShownStamp& s,
                                         const MergeColumns& m) {
  AttendanceRow row{a, s, m};
  if (a.status != AttendanceStatus::kPresent) {
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<Classification> decided,
                               GemeenteDecisionOn(db, a.lesson_id, a.learner_id));
    if (decided.has_value()) {
      row.shown.decision = ClassificationDecision{*decided, Role::kGemeente};
      row.merge.decision_rule = rule::kGemeenteDecision;
    }
  }
  return row;
}

Status UpsertAttendanceRow(Database& db, const Attendance& a, const ShownStamp& s,
                           const MergeColumns& m) {
  PRESENTIE_ASSIGN_OR_RETURN(AttendanceRow row, ShownAttendanceRow(db, a, s, m));
  return UpsertAttendanceRows(db, std::span<const AttendanceRow>(&row, 1));
}

Status UpsertAttendanceRows(Database& db, std::span<const AttendanceRow> rows) {
  assert(!rows.empty() && rows.size() <= kRowsPerStatement);
  static const std::array<std::string, kRowsPerStatement + 1> kSql = [] {
    std::array<std::string, kRowsPerStatement + 1> sql;
    for (size_t n = 1; n <= kRowsPerStatement; ++n) {
      sql[n] = UpsertSql("attendance", "lesson_id, learner_id", kAttendanceRowColumns, "", n);
    }
    return sql;
  }();
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql[rows.size()]));
  for (size_t r = 0; r < rows.size(); ++r) {
    BindAttendanceRow(*stmt, 1 + kAttendanceRowParams * static_cast<int>(r), rows[r]);
  }
  return stmt->Run();
}

Status UpsertRow(Database& db, const Attendance& a, const ShownStamp& s) {
  return UpsertAttendanceRow(db, a, s, SingleMerge(a));
}

Status UpsertShown(Database& db, const Record& record, const ShownStamp& s) {
  return std::visit([&](const auto& r) { return UpsertRow(db, r, s); }, record);
}

}  // namespace presentie::storage::impl
