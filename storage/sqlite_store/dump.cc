// The canonical dump: every record's shown value and version columns as
// text, the same on every replica that holds the same versions (the
// convergence tests compare it).
#include "storage/sqlite_store/store_impl.h"

namespace presentie::storage::impl {

namespace {

// "<vv> <hlc> <writer replica> <writer role> \"<writer user>\""
void AppendStamp(std::string_view vv, int64_t hlc, std::string_view writer_replica,
                 std::string_view writer_role, std::string_view writer_user, std::string* out) {
  *out += vv.empty() ? std::string_view("-") : vv;
  *out += ' ';
  *out += std::to_string(hlc);
  *out += ' ';
  *out += writer_replica;
  *out += ' ';
  *out += writer_role;
  *out += ' ';
  // A user name that is not UTF-8 (a local --user, unchecked) dumps with
  // U+FFFD for the bytes that do not fit, alike on every replica.
  (void)internal::AppendJsonString(writer_user, out);
}

}  // namespace

Result<std::optional<std::pair<Record, VersionStamp>>> SqliteStore::ReadShown(
    RecordKind kind, const std::string& id) {
  using Shown = std::optional<std::pair<Record, VersionStamp>>;
  const TypedTable& table = TypedTableOf(kind);
  const std::string& sql = PerKindSql(kind, [](RecordKind k, const TypedTable& t) {
    return Sql("SELECT ", t.columns, Sql(kShownVersionColumns, " FROM ", ToString(k))) +
           Sql(" WHERE ", t.key);
  });
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(sql));
  if (!BindKey(*stmt, table, id)) return Shown();
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Shown();
  Record record;
  Status parsed = table.read(*stmt, 0, &record);
  // The stamp's columns follow the record's.
  const auto stamp_column = static_cast<int>(SplitColumns(table.columns).size());
  VersionStamp stamp;
  if (parsed.ok()) parsed = ReadStamp(*stmt, stamp_column, &stamp);
  if (!parsed.ok()) return Damaged(ToString(kind), id, parsed);
  return Shown(std::pair<Record, VersionStamp>(std::move(record), std::move(stamp)));
}

// The format, line by line (one dump is one deterministic text):
//   presentie canonical dump 3
//   <kind> <record id>                         per record with live versions
//     sibling <stamp> <body>                   per live sibling
//     shown <stamp> <body> | shown none        the typed row
//     merge <facts> <absence> <decision> <rule set> <conflict bits>
//                                              attendance: the merge columns
//   <kind>: <n> records, <m> typed rows        per kind
//   conflict <id> <record id> <kinds>          per open conflict
//   conflicts: <n> open
// where <stamp> is "<vv> <packed hlc> <writer replica> <writer role>
// "<writer user>"". Kinds in RecordKind order, record ids and siblings in
// byte order of (vv, hlc, writer); no seq, no received_from, no live = 0
// version, nothing of this register's own identity.
Result<std::string> SqliteStore::CanonicalDump() {
  std::string out = "presentie canonical dump 3\n";
  for (RecordKind kind : kAllRecordKinds) {
    const std::string_view kind_text = ToString(kind);
    PRESENTIE_ASSIGN_OR_RETURN(
        Statement live,
        db_->Prepare("SELECT record_id, vv, hlc, writer_replica, writer_role, writer_user, "
                     "open_body(body) "
                     "FROM versions WHERE kind = ?1 AND live = 1 "
                     "ORDER BY record_id, vv, hlc, writer_replica, writer_role, writer_user, "
                     "7"));  // the opened body: a sealed one differs on every replica
    live.BindStaticText(1, kind_text);
    int64_t records = 0;
    std::string current;
    auto close_record = [&]() -> Status {
      PRESENTIE_ASSIGN_OR_RETURN(auto shown, ReadShown(kind, current));
      if (!shown.has_value()) {
        out += "  shown none\n";
        return Status::Ok();
      }
      const VersionStamp& s = shown->second;
      out += "  shown ";
      AppendStamp(s.vv.Encode(), static_cast<int64_t>(s.hlc.Pack()), s.writer.replica,
                  ToString(s.writer.role), s.writer.user, &out);
      PRESENTIE_ASSIGN_OR_RETURN(std::string body, EncodeRecordBody(shown->first));
      out += ' ';
      out += body;
      out += '\n';
      if (kind == RecordKind::kAttendance) {
        PRESENTIE_ASSIGN_OR_RETURN(
            CachedStatement merge,
            db_->Cached("SELECT facts_rule, absence_rule, decision_rule, rule_set, conflict "
                        "FROM attendance WHERE lesson_id = ?1 AND learner_id = ?2"));
        const size_t slash = current.find('/');
        merge->BindText(1, std::string_view(current).substr(0, slash));
        merge->BindText(2, slash == std::string::npos
                               ? std::string_view()
                               : std::string_view(current).substr(slash + 1));
        PRESENTIE_ASSIGN_OR_RETURN(bool found, merge->Step());
        if (found) {
          out += "  merge " + merge->ColumnString(0) + ' ' + merge->ColumnString(1) + ' ' +
                 merge->ColumnString(2) + ' ' + std::to_string(merge->ColumnInt(3)) + ' ' +
                 std::to_string(merge->ColumnInt(4)) + '\n';
        }
      }
      return Status::Ok();
    };
    for (;;) {
      PRESENTIE_ASSIGN_OR_RETURN(bool row, live.Step());
      if (!row) break;
      const std::string_view record_id = live.ColumnText(0);
      if (records == 0 || record_id != current) {
        if (records > 0) PRESENTIE_RETURN_IF_ERROR(close_record());
        current = std::string(record_id);
        ++records;
        out += kind_text;
        out += ' ';
        out += current;
        out += '\n';
      }
      out += "  sibling ";
      AppendStamp(live.ColumnText(1), live.ColumnInt(2), live.ColumnText(3), live.ColumnText(4),
                  live.ColumnText(5), &out);
      out += ' ';
      const std::string_view body = live.ColumnText(6);
      if (kind == RecordKind::kAttendance && !body.starts_with(internal::kAttendanceBodyV1)) {
        // An attendance body stored as JSON (before schema version 9), in
        // today's form: registers that hold one version in either form dump
        // alike.
        Change c;
        c.kind = kind;
        c.record_id = current;
        c.body = std::string(body);
        PRESENTIE_ASSIGN_OR_RETURN(VersionedRecord v, FromChange(c));
        PRESENTIE_ASSIGN_OR_RETURN(std::string today, EncodeRecordBody(v.record));
        out += today;
      } else {
        out += body;
      }
      out += '\n';
    }
    if (records > 0) PRESENTIE_RETURN_IF_ERROR(close_record());
    PRESENTIE_ASSIGN_OR_RETURN(Statement count,
                               db_->Prepare(Sql("SELECT count(*) FROM ", kind_text)));
    PRESENTIE_ASSIGN_OR_RETURN(bool counted, count.Step());
    const int64_t rows = counted ? count.ColumnInt(0) : 0;
    out += std::string(kind_text) + ": " + std::to_string(records) + " records, " +
           std::to_string(rows) + " typed rows\n";
  }
  PRESENTIE_ASSIGN_OR_RETURN(Statement open,
                             db_->Prepare("SELECT id, record_id, kinds FROM conflict "
                                          "WHERE closed_seq IS NULL ORDER BY record_id, id"));
  int64_t conflicts = 0;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, open.Step());
    if (!row) break;
    ++conflicts;
    out += "conflict " + open.ColumnString(0) + ' ' + open.ColumnString(1) + ' ' +
           std::to_string(open.ColumnInt(2)) + '\n';
  }
  out += "conflicts: " + std::to_string(conflicts) + " open\n";
  return out;
}

}  // namespace presentie::storage::impl
