// Reading typed rows: each kind's columns into its record, the per-kind
// table descriptions, and the small existence lookups the writes need.
#include "storage/sqlite_store/store_impl.h"

namespace presentie::storage::impl {

namespace {

// The typed table of kind T (TypedTable).
template <typename T>
TypedTable TableOf() {
  using Traits = kinds::KindTraits<T>;
  static const std::string kKey = [] {
    std::string where;
    int param = 0;
    for (std::string_view column : SplitColumns(Traits::kKey)) {
      if (param > 0) where += " AND ";
      where += std::string(column) + " = ?" + std::to_string(++param);
    }
    return where;
  }();
  return TypedTable{Traits::kColumns, kKey, [](const Statement& s, int c, Record* out) {
                      T record;
                      Status st = Traits::Read(s, c, &record);
                      *out = std::move(record);
                      return st;
                    }};
}

}  // namespace

const TypedTable& TypedTableOf(RecordKind kind) {
  static const auto kTables = []<size_t... I>(std::index_sequence<I...>) {
    return std::array<TypedTable, sizeof...(I)>{TableOf<kinds::KindAt<I>>()...};
  }
  (std::make_index_sequence<std::size(kAllRecordKinds)>());
  return kTables[static_cast<size_t>(kind)];
}

Status ReadStamp(const Statement& s, int c, VersionStamp* stamp) {
  PRESENTIE_RETURN_IF_ERROR(Take(VersionVector::Decode(s.ColumnText(c)), &stamp->vv));
  stamp->hlc = Hlc::Unpack(static_cast<uint64_t>(s.ColumnInt(c + 1)));
  stamp->writer.replica = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRole(s.ColumnText(c + 3)), &stamp->writer.role));
  stamp->writer.user = s.ColumnString(c + 4);
  return Status::Ok();
}

bool BindKey(Statement& stmt, const TypedTable& table, std::string_view id) {
  if (table.key == kById) {
    stmt.BindText(1, id);
    return true;
  }
  // "<parent>/<learner>": record keys cannot contain '/' (core/ids.h).
  const size_t slash = id.find('/');
  if (slash == std::string_view::npos) return false;
  stmt.BindText(1, id.substr(0, slash));
  stmt.BindText(2, id.substr(slash + 1));
  return true;
}

Result<bool> Exists(Database& db, std::string_view sql, std::string_view id) {
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(sql));
  stmt->BindText(1, id);
  return stmt->Step();
}

Result<bool> CourseExists(Database& db, std::string_view id) {
  return Exists(db, "SELECT 1 FROM course WHERE id = ?1", id);
}

Result<bool> LessonExists(Database& db, std::string_view id) {
  return Exists(db, "SELECT 1 FROM lesson WHERE id = ?1", id);
}

Result<std::optional<bool>> GemeenteClassifies(Database& db, std::string_view learner_id) {
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement get,
                             db.Cached("SELECT category, regime FROM learner WHERE id = ?1"));
  get->BindText(1, learner_id);
  PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
  if (!found) return std::optional<bool>();
  Learner l;
  if (Status s = Take(ParseCategory(get->ColumnText(0)), &l.category); !s.ok()) {
    return Damaged("learner", learner_id, s);
  }
  if (Status s = Take(ParseRegime(get->ColumnText(1)), &l.regime); !s.ok()) {
    return Damaged("learner", learner_id, s);
  }
  return std::optional<bool>(GemeenteIsResponsible(l));
}

Result<bool> LearnerExists(Database& db, std::string_view id) {
  return Exists(db, "SELECT 1 FROM learner WHERE id = ?1", id);
}

Result<std::optional<bool>> EnrollmentActive(Database& db, std::string_view course_id,
                                             std::string_view learner_id) {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement get,
      db.Cached("SELECT active FROM enrollment WHERE course_id = ?1 AND learner_id = ?2"));
  get->BindText(1, course_id);
  get->BindText(2, learner_id);
  PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
  if (!found) return std::optional<bool>();
  return std::optional<bool>(get->ColumnBool(0));
}

Result<std::vector<VersionVector>> LiveVvs(Database& db, RecordKind kind, std::string_view id) {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement live,
      db.Cached("SELECT vv FROM versions WHERE kind = ?1 AND record_id = ?2 AND live = 1"));
  live->BindText(1, ToString(kind));
  live->BindText(2, id);
  std::vector<VersionVector> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, live->Step());
    if (!row) break;
    VersionVector vv;
    if (Status st = Take(VersionVector::Decode(live->ColumnText(0)), &vv); !st.ok()) {
      return Damaged(ToString(kind), id, st);
    }
    out.push_back(std::move(vv));
  }
  return out;
}

}  // namespace presentie::storage::impl
