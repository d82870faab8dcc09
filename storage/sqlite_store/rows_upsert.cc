// Writing typed rows: the upsert of each kind's shown value with its
// version columns (personal fields through seal()), and the gemeente's
// PIP and NAW data shown over a learner's own fields.
#include "storage/sqlite_store/store_impl.h"

namespace presentie::storage::impl {

namespace {

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
                      size_t rows = 1) {
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
      if (table == "learner" && item.substr(0, comma) == "bsn") {
        if (row == 0) names.emplace_back("bsn_hash");
        values += ", bsn_key(" + param + ")";
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

Status UpsertRow(Database& db, const Learner& written, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("learner", "id", kLearnerColumns);
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<exports::GemeentePip> pip, PipOf(db, written));
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<exports::GemeenteNaw> naw, NawOf(db, written));
  Learner l = pip.has_value() ? exports::WithPip(written, *pip) : written;
  if (naw.has_value()) l = exports::WithNaw(std::move(l), *naw);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, l.id);
  stmt->BindTextRef(2, l.bsn);
  stmt->BindTextRef(3, l.name);
  stmt->BindStaticText(4, ToString(l.category));
  stmt->BindStaticText(5, ToString(l.regime));
  stmt->BindStaticText(6, ToString(l.route));
  stmt->BindStaticText(7, ToString(l.level));
  stmt->BindStaticText(8, ToString(l.literacy));
  stmt->BindInt(9, l.estimated_hours);
  stmt->BindTextRef(10, l.gemeente_code);
  stmt->BindInt(11, l.lessons_per_week);
  BindShown(*stmt, 12, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const Course& c, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("course", "id", kCourseColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, c.id);
  stmt->BindTextRef(2, c.name);
  stmt->BindStaticText(3, ToString(c.component));
  stmt->BindStaticText(4, ToString(c.regime));
  stmt->BindStaticText(5, ToString(c.route));
  auto date = [](const std::optional<Date>& d) {
    return d.has_value() ? std::optional<std::string>(FormatDate(*d)) : std::nullopt;
  };
  stmt->BindOptionalText(6, date(c.start_date));
  stmt->BindOptionalText(7, date(c.end_date));
  stmt->BindInt(8, c.hours_purchased);
  BindShown(*stmt, 9, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const Enrollment& e, const ShownStamp& s) {
  static const std::string kSql =
      UpsertSql("enrollment", "course_id, learner_id", "course_id, learner_id, active");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, e.course_id);
  stmt->BindTextRef(2, e.learner_id);
  stmt->BindBool(3, e.active);
  BindShown(*stmt, 4, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const Lesson& l, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("lesson", "id", kLessonColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, l.id);
  stmt->BindTextRef(2, l.course_id);
  stmt->BindText(3, FormatDateTime(l.start));
  stmt->BindInt(4, l.duration_minutes);
  stmt->BindTextRef(5, l.teacher);
  BindShown(*stmt, 6, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::DuoHours& h, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("duo_hours", "id", kDuoHoursColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, h.id);
  stmt->BindTextRef(2, h.learner_id);
  stmt->BindTextRef(3, h.course_id);
  stmt->BindText(4, FormatDate(h.as_of));
  stmt->BindTextRef(5, h.bsn);
  stmt->BindStaticText(6, exports::ToString(h.type));
  stmt->BindText(7, FormatDate(h.start));
  stmt->BindText(8, FormatDate(h.end));
  stmt->BindInt(9, h.hours_purchased);
  stmt->BindInt(10, h.hours_attended);
  stmt->BindInt(11, h.ona_hours);
  BindShown(*stmt, 12, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::GemeenteHours& h, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("gemeente_hours", "id", kGemeenteHoursColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, h.id);
  stmt->BindTextRef(2, h.learner_id);
  stmt->BindTextRef(3, h.gemeente_code);
  stmt->BindText(4, FormatDate(h.peildatum));
  stmt->BindTextRef(5, h.bsn);
  stmt->BindInt(6, h.attended_hours);
  stmt->BindInt(7, h.literacy_hours);
  stmt->BindInt(8, h.excused_hours);
  stmt->BindInt(9, h.unexcused_hours);
  stmt->BindInt(10, h.unclassified_hours);
  stmt->BindInt(11, h.notified_hours);
  BindShown(*stmt, 12, s);
  return stmt->Run();
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
      sql[n] = UpsertSql("attendance", "lesson_id, learner_id", kAttendanceRowColumns, n);
    }
    return sql;
  }();
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql[rows.size()]));
  for (size_t r = 0; r < rows.size(); ++r) {
    BindAttendanceRow(*stmt, 1 + kAttendanceRowParams * static_cast<int>(r), rows[r]);
  }
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::GemeenteAbsence& a, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("gemeente_absence", "id", kGemeenteAbsenceColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, a.id);
  stmt->BindTextRef(2, a.lesson_id);
  stmt->BindTextRef(3, a.learner_id);
  stmt->BindTextRef(4, a.gemeente_code);
  stmt->BindTextRef(5, a.bsn);
  stmt->BindText(6, FormatDateTime(a.lesson_start));
  stmt->BindInt(7, a.minutes_absent);
  stmt->BindBool(8, a.notified_in_advance);
  BindShown(*stmt, 9, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::DuoAbsence& a, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("duo_absence", "id", kDuoAbsenceColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, a.id);
  stmt->BindTextRef(2, a.lesson_id);
  stmt->BindTextRef(3, a.learner_id);
  stmt->BindTextRef(4, a.bsn);
  stmt->BindText(5, FormatDateTime(a.lesson_start));
  stmt->BindInt(6, a.minutes_absent);
  stmt->BindStaticText(7, ToString(a.classification));
  BindShown(*stmt, 8, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::DuoExamResult& e, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("duo_exam_result", "id", kDuoExamResultColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, e.id);
  stmt->BindTextRef(2, e.learner_id);
  stmt->BindTextRef(3, e.bsn);
  stmt->BindStaticText(4, exports::ToString(e.exam));
  stmt->BindStaticText(5, ToString(e.level));
  stmt->BindBool(6, e.passed);
  stmt->BindText(7, FormatDate(e.taken_on));
  BindShown(*stmt, 8, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const Qualification& q, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("qualification", "id", kQualificationColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, q.id);
  stmt->BindTextRef(2, q.teacher);
  stmt->BindStaticText(3, ToString(q.component));
  stmt->BindTextRef(4, q.title);
  stmt->BindText(5, FormatDate(q.obtained));
  BindShown(*stmt, 6, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::BowPlanning& p, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("bow_planning", "id", kBowPlanningColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, p.id);
  stmt->BindTextRef(2, p.course_id);
  stmt->BindTextRef(3, p.course_name);
  stmt->BindStaticText(4, ToString(p.component));
  stmt->BindStaticText(5, ToString(p.regime));
  stmt->BindStaticText(6, ToString(p.route));
  stmt->BindText(7, FormatDate(p.start));
  stmt->BindText(8, FormatDate(p.end));
  stmt->BindInt(9, p.lessons);
  stmt->BindInt(10, p.planned_minutes);
  stmt->BindText(11, internal::JoinLines(p.teachers));
  BindShown(*stmt, 12, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::BowQualification& q, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("bow_qualification", "id", kBowQualificationColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, q.id);
  stmt->BindTextRef(2, q.qualification_id);
  stmt->BindTextRef(3, q.teacher);
  stmt->BindStaticText(4, ToString(q.component));
  stmt->BindTextRef(5, q.title);
  stmt->BindText(6, FormatDate(q.obtained));
  BindShown(*stmt, 7, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::GemeenteDecision& d, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("gemeente_decision", "id", kGemeenteDecisionColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, d.id);
  stmt->BindTextRef(2, d.lesson_id);
  stmt->BindTextRef(3, d.learner_id);
  stmt->BindTextRef(4, d.gemeente_code);
  stmt->BindStaticText(5, ToString(d.value));
  stmt->BindText(6, FormatDate(d.decided_on));
  BindShown(*stmt, 7, s);
  PRESENTIE_RETURN_IF_ERROR(stmt->Run());
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement show,
      db.Cached("UPDATE attendance SET decision = ?3, decided_by = 'gemeente', decision_rule = ?4 "
                "WHERE lesson_id = ?1 AND learner_id = ?2 AND status != 'present'"));
  show->BindTextRef(1, d.lesson_id);
  show->BindTextRef(2, d.learner_id);
  show->BindStaticText(3, ToString(d.value));
  show->BindStaticText(4, rule::kGemeenteDecision);
  return show->Run();
}

Status UpsertRow(Database& db, const Attendance& a, const ShownStamp& s) {
  return UpsertAttendanceRow(db, a, s, SingleMerge(a));
}

Status UpsertRow(Database& db, const exports::DuoDuty& d, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("duo_duty", "id", kDuoDutyColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, d.id);
  stmt->BindTextRef(2, d.learner_id);
  stmt->BindTextRef(3, d.bsn);
  stmt->BindStaticText(4, exports::ToString(d.status));
  stmt->BindOptionalText(5, d.term_end.has_value()
                                ? std::optional<std::string>(FormatDate(*d.term_end))
                                : std::nullopt);
  stmt->BindText(6, FormatDate(d.decided_on));
  BindShown(*stmt, 7, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::Contract& c, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("contract", "id", kContractColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, c.id);
  stmt->BindTextRef(2, c.learner_id);
  stmt->BindTextRef(3, c.bsn);
  stmt->BindText(4, FormatDate(c.signed_on));
  stmt->BindText(5, FormatDate(c.start));
  stmt->BindText(6, FormatDate(c.end));
  stmt->BindInt(7, c.hours);
  stmt->BindInt(8, c.price_cents);
  BindShown(*stmt, 9, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::Invoice& i, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("invoice", "id", kInvoiceColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, i.id);
  stmt->BindTextRef(2, i.contract_id);
  stmt->BindTextRef(3, i.learner_id);
  stmt->BindTextRef(4, i.bsn);
  stmt->BindText(5, FormatDate(i.invoiced_on));
  stmt->BindInt(6, i.hours);
  stmt->BindInt(7, i.amount_cents);
  BindShown(*stmt, 8, s);
  return stmt->Run();
}

Status UpsertRow(Database& db, const exports::BridgingDiploma& d, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("bridging_diploma", "id", kBridgingDiplomaColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, d.id);
  stmt->BindTextRef(2, d.learner_id);
  stmt->BindTextRef(3, d.bsn);
  stmt->BindTextRef(4, d.gemeente_code);
  stmt->BindText(5, FormatDate(d.awarded_on));
  BindShown(*stmt, 6, s);
  return stmt->Run();
}

Result<std::optional<exports::GemeentePip>> PipOf(Database& db, const Learner& l) {
  if (!GemeenteIsResponsible(l)) return std::optional<exports::GemeentePip>();
  static const std::string kSql =
      Sql("SELECT ", kGemeentePipColumns, " FROM gemeente_pip WHERE id = ?1");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  const std::string id = exports::GemeentePipId(l.gemeente_code, l.id);
  stmt->BindTextRef(1, id);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<exports::GemeentePip>();
  exports::GemeentePip pip;
  if (Status st = ReadGemeentePip(*stmt, 0, &pip); !st.ok()) return Damaged("PIP", id, st);
  return std::optional<exports::GemeentePip>(std::move(pip));
}

Result<std::optional<exports::GemeenteNaw>> NawOf(Database& db, const Learner& l) {
  if (!GemeenteIsResponsible(l)) return std::optional<exports::GemeenteNaw>();
  static const std::string kSql =
      Sql("SELECT ", kGemeenteNawColumns, " FROM gemeente_naw WHERE id = ?1");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  const std::string id = exports::GemeenteNawId(l.gemeente_code, l.id);
  stmt->BindTextRef(1, id);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<exports::GemeenteNaw>();
  exports::GemeenteNaw naw;
  if (Status st = ReadGemeenteNaw(*stmt, 0, &naw); !st.ok()) return Damaged("NAW data", id, st);
  return std::optional<exports::GemeenteNaw>(std::move(naw));
}

Status UpsertRow(Database& db, const exports::GemeenteNaw& n, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("gemeente_naw", "id", kGemeenteNawColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, n.id);
  stmt->BindTextRef(2, n.learner_id);
  stmt->BindTextRef(3, n.gemeente_code);
  stmt->BindTextRef(4, n.name);
  stmt->BindTextRef(5, n.address);
  stmt->BindTextRef(6, n.postcode);
  stmt->BindTextRef(7, n.residence);
  stmt->BindText(8, FormatDate(n.decided_on));
  BindShown(*stmt, 9, s);
  PRESENTIE_RETURN_IF_ERROR(stmt->Run());
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement show,
                             db.Cached("UPDATE learner SET name = seal(?3, 'name') "
                                       "WHERE id = ?1 AND gemeente_code = ?2 AND "
                                       "category = 'asylum_permit_holder' AND regime = 'wi2021'"));
  show->BindTextRef(1, n.learner_id);
  show->BindTextRef(2, n.gemeente_code);
  show->BindTextRef(3, n.name);
  return show->Run();
}

Status UpsertRow(Database& db, const exports::GemeentePip& p, const ShownStamp& s) {
  static const std::string kSql = UpsertSql("gemeente_pip", "id", kGemeentePipColumns);
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db.Cached(kSql));
  stmt->BindTextRef(1, p.id);
  stmt->BindTextRef(2, p.learner_id);
  stmt->BindTextRef(3, p.gemeente_code);
  stmt->BindStaticText(4, ToString(p.route));
  stmt->BindStaticText(5, ToString(p.level));
  stmt->BindStaticText(6, ToString(p.literacy));
  stmt->BindInt(7, p.estimated_hours);
  stmt->BindInt(8, p.lessons_per_week);
  stmt->BindText(9, FormatDate(p.decided_on));
  BindShown(*stmt, 10, s);
  PRESENTIE_RETURN_IF_ERROR(stmt->Run());
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement show,
      db.Cached("UPDATE learner SET route = ?3, level = ?4, literacy = ?5, estimated_hours = ?6, "
                "lessons_per_week = ?7 WHERE id = ?1 AND gemeente_code = ?2 AND "
                "category = 'asylum_permit_holder' AND regime = 'wi2021'"));
  show->BindTextRef(1, p.learner_id);
  show->BindTextRef(2, p.gemeente_code);
  show->BindStaticText(3, ToString(p.route));
  show->BindStaticText(4, ToString(p.level));
  show->BindStaticText(5, ToString(p.literacy));
  show->BindInt(6, p.estimated_hours);
  show->BindInt(7, p.lessons_per_week);
  return show->Run();
}

Status UpsertShown(Database& db, const Record& record, const ShownStamp& s) {
  return std::visit([&](const auto& r) { return UpsertRow(db, r, s); }, record);
}

}  // namespace presentie::storage::impl
