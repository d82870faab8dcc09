// Reading typed rows: each kind's columns into its record, the per-kind
// table descriptions, and the small existence lookups the writes need.
#include "storage/sqlite_store/store_impl.h"

namespace presentie::storage::impl {

namespace {

Status ReadOptionalDate(const Statement& s, int c, std::optional<Date>* out) {
  if (s.ColumnIsNull(c)) {
    out->reset();
    return Status::Ok();
  }
  Date d;
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c)), &d));
  *out = d;
  return Status::Ok();
}

template <typename T, auto Read>
Status ReadRecord(const Statement& s, int c, Record* out) {
  T record;
  Status st;
  if constexpr (std::is_void_v<decltype(Read(s, c, &record))>) {
    Read(s, c, &record);
  } else {
    st = Read(s, c, &record);
  }
  *out = std::move(record);
  return st;
}

constexpr TypedTable kTypedTables[] = {
    {kLearnerColumns, kById, ReadRecord<Learner, ReadLearner>},
    {kCourseColumns, kById, ReadRecord<Course, ReadCourse>},
    {kEnrollmentColumns, "course_id = ?1 AND learner_id = ?2",
     ReadRecord<Enrollment, ReadEnrollment>},
    {kLessonColumns, kById, ReadRecord<Lesson, ReadLesson>},
    {kAttendanceColumns, "lesson_id = ?1 AND learner_id = ?2",
     ReadRecord<Attendance, ReadAttendance>},
    {kDuoHoursColumns, kById, ReadRecord<exports::DuoHours, ReadDuoHours>},
    {kGemeenteHoursColumns, kById, ReadRecord<exports::GemeenteHours, ReadGemeenteHours>},
    {kGemeenteAbsenceColumns, kById, ReadRecord<exports::GemeenteAbsence, ReadGemeenteAbsence>},
    {kGemeenteDecisionColumns, kById, ReadRecord<exports::GemeenteDecision, ReadGemeenteDecision>},
    {kDuoAbsenceColumns, kById, ReadRecord<exports::DuoAbsence, ReadDuoAbsence>},
    {kDuoExamResultColumns, kById, ReadRecord<exports::DuoExamResult, ReadDuoExamResult>},
    {kQualificationColumns, kById, ReadRecord<Qualification, ReadQualification>},
    {kBowPlanningColumns, kById, ReadRecord<exports::BowPlanning, ReadBowPlanning>},
    {kBowQualificationColumns, kById, ReadRecord<exports::BowQualification, ReadBowQualification>},
    {kGemeentePipColumns, kById, ReadRecord<exports::GemeentePip, ReadGemeentePip>},
    {kDuoDutyColumns, kById, ReadRecord<exports::DuoDuty, ReadDuoDuty>},
    {kContractColumns, kById, ReadRecord<exports::Contract, ReadContract>},
    {kInvoiceColumns, kById, ReadRecord<exports::Invoice, ReadInvoice>},
    {kBridgingDiplomaColumns, kById, ReadRecord<exports::BridgingDiploma, ReadBridgingDiploma>},
    {kGemeenteNawColumns, kById, ReadRecord<exports::GemeenteNaw, ReadGemeenteNaw>},
};

}  // namespace

Status ReadLearner(const Statement& s, int c, Learner* l) {
  l->id = s.ColumnString(c);
  l->bsn = s.ColumnString(c + 1);
  l->name = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseCategory(s.ColumnText(c + 3)), &l->category));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRegime(s.ColumnText(c + 4)), &l->regime));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRoute(s.ColumnText(c + 5)), &l->route));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseLevel(s.ColumnText(c + 6)), &l->level));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseLiteracy(s.ColumnText(c + 7)), &l->literacy));
  l->estimated_hours = static_cast<int>(s.ColumnInt(c + 8));
  l->gemeente_code = s.ColumnString(c + 9);
  l->lessons_per_week = static_cast<int>(s.ColumnInt(c + 10));
  return Status::Ok();
}

Status ReadCourse(const Statement& s, int c, Course* out) {
  out->id = s.ColumnString(c);
  out->name = s.ColumnString(c + 1);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseComponent(s.ColumnText(c + 2)), &out->component));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRegime(s.ColumnText(c + 3)), &out->regime));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRoute(s.ColumnText(c + 4)), &out->route));
  PRESENTIE_RETURN_IF_ERROR(ReadOptionalDate(s, c + 5, &out->start_date));
  PRESENTIE_RETURN_IF_ERROR(ReadOptionalDate(s, c + 6, &out->end_date));
  out->hours_purchased = static_cast<int>(s.ColumnInt(c + 7));
  return Status::Ok();
}

void ReadEnrollment(const Statement& s, int c, Enrollment* e) {
  e->id = s.ColumnString(c);
  e->course_id = s.ColumnString(c + 1);
  e->learner_id = s.ColumnString(c + 2);
  e->active = s.ColumnBool(c + 3);
}

Status ReadLesson(const Statement& s, int c, Lesson* l) {
  l->id = s.ColumnString(c);
  l->course_id = s.ColumnString(c + 1);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDateTime(s.ColumnText(c + 2)), &l->start));
  l->duration_minutes = static_cast<int>(s.ColumnInt(c + 3));
  l->teacher = s.ColumnString(c + 4);
  return Status::Ok();
}

Status ReadAttendance(const Statement& s, int c, Attendance* a) {
  a->id = s.ColumnString(c);
  a->lesson_id = s.ColumnString(c + 1);
  a->learner_id = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseAttendanceStatus(s.ColumnText(c + 3)), &a->status));
  a->minutes_present = static_cast<int>(s.ColumnInt(c + 4));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseMode(s.ColumnText(c + 5)), &a->mode));
  a->notified_in_advance = s.ColumnBool(c + 6);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseAbsenceReason(s.ColumnText(c + 7)), &a->reason));
  a->note = s.ColumnString(c + 8);
  a->decision.reset();
  if (!s.ColumnIsNull(c + 9)) {
    ClassificationDecision d;
    PRESENTIE_RETURN_IF_ERROR(Take(ParseClassification(s.ColumnText(c + 9)), &d.value));
    PRESENTIE_RETURN_IF_ERROR(Take(ParseRole(s.ColumnText(c + 10)), &d.decided_by));
    a->decision = d;
  }
  return Status::Ok();
}

Status ReadDuoHours(const Statement& s, int c, exports::DuoHours* h) {
  h->id = s.ColumnString(c);
  h->learner_id = s.ColumnString(c + 1);
  h->course_id = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 3)), &h->as_of));
  h->bsn = s.ColumnString(c + 4);
  PRESENTIE_RETURN_IF_ERROR(Take(exports::ParseDuoCourseType(s.ColumnText(c + 5)), &h->type));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 6)), &h->start));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 7)), &h->end));
  h->hours_purchased = static_cast<int>(s.ColumnInt(c + 8));
  h->hours_attended = s.ColumnInt(c + 9);
  h->ona_hours = s.ColumnInt(c + 10);
  return Status::Ok();
}

Status ReadGemeenteHours(const Statement& s, int c, exports::GemeenteHours* h) {
  h->id = s.ColumnString(c);
  h->learner_id = s.ColumnString(c + 1);
  h->gemeente_code = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 3)), &h->peildatum));
  h->bsn = s.ColumnString(c + 4);
  h->attended_hours = s.ColumnInt(c + 5);
  h->literacy_hours = s.ColumnInt(c + 6);
  h->excused_hours = s.ColumnInt(c + 7);
  h->unexcused_hours = s.ColumnInt(c + 8);
  h->unclassified_hours = s.ColumnInt(c + 9);
  h->notified_hours = s.ColumnInt(c + 10);
  return Status::Ok();
}

Status ReadGemeenteAbsence(const Statement& s, int c, exports::GemeenteAbsence* a) {
  a->id = s.ColumnString(c);
  a->lesson_id = s.ColumnString(c + 1);
  a->learner_id = s.ColumnString(c + 2);
  a->gemeente_code = s.ColumnString(c + 3);
  a->bsn = s.ColumnString(c + 4);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDateTime(s.ColumnText(c + 5)), &a->lesson_start));
  a->minutes_absent = static_cast<int>(s.ColumnInt(c + 6));
  a->notified_in_advance = s.ColumnBool(c + 7);
  return Status::Ok();
}

Status ReadDuoAbsence(const Statement& s, int c, exports::DuoAbsence* a) {
  a->id = s.ColumnString(c);
  a->lesson_id = s.ColumnString(c + 1);
  a->learner_id = s.ColumnString(c + 2);
  a->bsn = s.ColumnString(c + 3);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDateTime(s.ColumnText(c + 4)), &a->lesson_start));
  a->minutes_absent = static_cast<int>(s.ColumnInt(c + 5));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseClassification(s.ColumnText(c + 6)), &a->classification));
  return Status::Ok();
}

Status ReadDuoExamResult(const Statement& s, int c, exports::DuoExamResult* e) {
  e->id = s.ColumnString(c);
  e->learner_id = s.ColumnString(c + 1);
  e->bsn = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(exports::ParseDuoExam(s.ColumnText(c + 3)), &e->exam));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseLevel(s.ColumnText(c + 4)), &e->level));
  e->passed = s.ColumnBool(c + 5);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 6)), &e->taken_on));
  return Status::Ok();
}

Status ReadQualification(const Statement& s, int c, Qualification* q) {
  q->id = s.ColumnString(c);
  q->teacher = s.ColumnString(c + 1);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseComponent(s.ColumnText(c + 2)), &q->component));
  q->title = s.ColumnString(c + 3);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 4)), &q->obtained));
  return Status::Ok();
}

Status ReadBowPlanning(const Statement& s, int c, exports::BowPlanning* p) {
  p->id = s.ColumnString(c);
  p->course_id = s.ColumnString(c + 1);
  p->course_name = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseComponent(s.ColumnText(c + 3)), &p->component));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRegime(s.ColumnText(c + 4)), &p->regime));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRoute(s.ColumnText(c + 5)), &p->route));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 6)), &p->start));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 7)), &p->end));
  p->lessons = static_cast<int>(s.ColumnInt(c + 8));
  p->planned_minutes = s.ColumnInt(c + 9);
  p->teachers = internal::SplitLines(s.ColumnText(c + 10));
  return Status::Ok();
}

Status ReadBowQualification(const Statement& s, int c, exports::BowQualification* q) {
  q->id = s.ColumnString(c);
  q->qualification_id = s.ColumnString(c + 1);
  q->teacher = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseComponent(s.ColumnText(c + 3)), &q->component));
  q->title = s.ColumnString(c + 4);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 5)), &q->obtained));
  return Status::Ok();
}

Status ReadDuoDuty(const Statement& s, int c, exports::DuoDuty* d) {
  d->id = s.ColumnString(c);
  d->learner_id = s.ColumnString(c + 1);
  d->bsn = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(exports::ParseDutyStatus(s.ColumnText(c + 3)), &d->status));
  PRESENTIE_RETURN_IF_ERROR(ReadOptionalDate(s, c + 4, &d->term_end));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 5)), &d->decided_on));
  return Status::Ok();
}

Status ReadGemeentePip(const Statement& s, int c, exports::GemeentePip* p) {
  p->id = s.ColumnString(c);
  p->learner_id = s.ColumnString(c + 1);
  p->gemeente_code = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRoute(s.ColumnText(c + 3)), &p->route));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseLevel(s.ColumnText(c + 4)), &p->level));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseLiteracy(s.ColumnText(c + 5)), &p->literacy));
  p->estimated_hours = static_cast<int>(s.ColumnInt(c + 6));
  p->lessons_per_week = static_cast<int>(s.ColumnInt(c + 7));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 8)), &p->decided_on));
  return Status::Ok();
}

Status ReadGemeenteDecision(const Statement& s, int c, exports::GemeenteDecision* d) {
  d->id = s.ColumnString(c);
  d->lesson_id = s.ColumnString(c + 1);
  d->learner_id = s.ColumnString(c + 2);
  d->gemeente_code = s.ColumnString(c + 3);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseClassification(s.ColumnText(c + 4)), &d->value));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 5)), &d->decided_on));
  return Status::Ok();
}

Status ReadStamp(const Statement& s, int c, VersionStamp* stamp) {
  PRESENTIE_RETURN_IF_ERROR(Take(VersionVector::Decode(s.ColumnText(c)), &stamp->vv));
  stamp->hlc = Hlc::Unpack(static_cast<uint64_t>(s.ColumnInt(c + 1)));
  stamp->writer.replica = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRole(s.ColumnText(c + 3)), &stamp->writer.role));
  stamp->writer.user = s.ColumnString(c + 4);
  return Status::Ok();
}

Status ReadContract(const Statement& s, int c, exports::Contract* out) {
  out->id = s.ColumnString(c);
  out->learner_id = s.ColumnString(c + 1);
  out->bsn = s.ColumnString(c + 2);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 3)), &out->signed_on));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 4)), &out->start));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 5)), &out->end));
  out->hours = static_cast<int>(s.ColumnInt(c + 6));
  out->price_cents = s.ColumnInt(c + 7);
  return Status::Ok();
}

Status ReadInvoice(const Statement& s, int c, exports::Invoice* out) {
  out->id = s.ColumnString(c);
  out->contract_id = s.ColumnString(c + 1);
  out->learner_id = s.ColumnString(c + 2);
  out->bsn = s.ColumnString(c + 3);
  PRESENTIE_RETURN_IF_ERROR(Take(ParseDate(s.ColumnText(c + 4)), &out->invoiced_on));
  out->hours = static_cast<int>(s.ColumnInt(c + 5));
  out->amount_cents = s.ColumnInt(c + 6);
  return Status::Ok();
}

Status ReadBridgingDiploma(const Statement& s, int c, exports::BridgingDiploma* out) {
  out->id = s.ColumnString(c);
  out->learner_id = s.ColumnString(c + 1);
  out->bsn = s.ColumnString(c + 2);
  out->gemeente_code = s.ColumnString(c + 3);
  return Take(ParseDate(s.ColumnText(c + 4)), &out->awarded_on);
}

Status ReadGemeenteNaw(const Statement& s, int c, exports::GemeenteNaw* out) {
  out->id = s.ColumnString(c);
  out->learner_id = s.ColumnString(c + 1);
  out->gemeente_code = s.ColumnString(c + 2);
  out->name = s.ColumnString(c + 3);
  out->address = s.ColumnString(c + 4);
  out->postcode = s.ColumnString(c + 5);
  out->residence = s.ColumnString(c + 6);
  return Take(ParseDate(s.ColumnText(c + 7)), &out->decided_on);
}

static_assert(std::size(kTypedTables) == std::size(kAllRecordKinds));

const TypedTable& TypedTableOf(RecordKind kind) { return kTypedTables[static_cast<size_t>(kind)]; }

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
