// The Store on SQLite: typed tables for reads and reports, the versions table
// as change log, and the audit chain, all written in one IMMEDIATE
// transaction per call.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <limits>
#include <map>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/hlc.h"
#include "core/ids.h"
#include "core/merge.h"
#include "core/ownership.h"
#include "core/routing.h"
#include "storage/internal/audit.h"
#include "storage/internal/records.h"
#include "storage/internal/schema.h"
#include "storage/internal/seal.h"
#include "storage/internal/sha256.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/transaction.h"
#include "storage/store.h"
#include "storage/versioned.h"

namespace presentie::storage {
namespace {

using sqlite::CachedStatement;
using sqlite::Database;
using sqlite::Statement;
using sqlite::Transaction;

// How many ids an audit summary lists before it only counts.
constexpr size_t kSummaryIds = 10;

std::string Quoted(std::string_view what, std::string_view id) {
  std::string s(what);
  s += " '";
  s += id;
  s += '\'';
  return s;
}

std::string IdList(const std::vector<std::string>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size() && i < kSummaryIds; ++i) {
    if (i > 0) out += ", ";
    out += ids[i];
  }
  if (ids.size() > kSummaryIds) out += " and " + std::to_string(ids.size() - kSummaryIds) + " more";
  return out;
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

template <typename T>
Status Take(Result<T> parsed, T* out) {
  if (!parsed.ok()) return parsed.status();
  *out = std::move(parsed).value();
  return Status::Ok();
}

// A typed row that does not parse was written by something other than this
// store (or the file is damaged): data loss, not a caller's mistake.
Status Damaged(std::string_view what, std::string_view id, const Status& cause) {
  return DataLoss(Quoted(what, id) + ": stored value is not valid (" + cause.message() + ")");
}

// The typed tables' columns, as SELECT lists. A personal field is listed as
// unseal(column,'field') (schema step 10; internal/seal.h): UpsertSql writes
// it through seal() under the same field name. Items are separated by ", ",
// so the unseal() items carry no space after their comma.
constexpr std::string_view kLearnerColumns =
    "id, unseal(bsn,'bsn'), unseal(name,'name'), category, regime, route, level, literacy, "
    "estimated_hours, gemeente_code, lessons_per_week";
constexpr std::string_view kCourseColumns =
    "id, name, component, regime, route, start_date, end_date, hours_purchased";
constexpr std::string_view kEnrollmentColumns = "id, course_id, learner_id, active";
constexpr std::string_view kLessonColumns =
    "id, course_id, start, duration_minutes, unseal(teacher,'teacher')";
constexpr std::string_view kAttendanceColumns =
    "id, lesson_id, learner_id, status, minutes_present, mode, notified_in_advance, "
    "unseal(reason,'reason'), unseal(note,'note'), decision, decided_by";
constexpr std::string_view kDuoHoursColumns =
    "id, learner_id, course_id, as_of, unseal(bsn,'bsn'), course_type, start_date, end_date, "
    "hours_purchased, hours_attended, ona_hours";
constexpr std::string_view kGemeenteHoursColumns =
    "id, learner_id, gemeente_code, peildatum, unseal(bsn,'bsn'), attended_hours, "
    "literacy_hours, excused_hours, unexcused_hours, unclassified_hours, notified_hours";
constexpr std::string_view kGemeenteAbsenceColumns =
    "id, lesson_id, learner_id, gemeente_code, unseal(bsn,'bsn'), lesson_start, minutes_absent, "
    "notified_in_advance";
constexpr std::string_view kDuoAbsenceColumns =
    "id, lesson_id, learner_id, unseal(bsn,'bsn'), lesson_start, minutes_absent, classification";
constexpr std::string_view kDuoExamResultColumns =
    "id, learner_id, unseal(bsn,'bsn'), exam, level, passed, taken_on";
constexpr std::string_view kQualificationColumns =
    "id, unseal(teacher,'teacher'), component, title, obtained";
constexpr std::string_view kBowPlanningColumns =
    "id, course_id, course_name, component, regime, route, start_date, end_date, lessons, "
    "planned_minutes, unseal(teachers,'teachers')";
constexpr std::string_view kBowQualificationColumns =
    "id, qualification_id, unseal(teacher,'teacher'), component, title, obtained";
constexpr std::string_view kDuoDutyColumns =
    "id, learner_id, unseal(bsn,'bsn'), status, term_end, decided_on";
constexpr std::string_view kContractColumns =
    "id, learner_id, unseal(bsn,'bsn'), signed_on, start_date, end_date, hours, price_cents";
constexpr std::string_view kInvoiceColumns =
    "id, contract_id, learner_id, unseal(bsn,'bsn'), invoiced_on, hours, amount_cents";
constexpr std::string_view kBridgingDiplomaColumns =
    "id, learner_id, unseal(bsn,'bsn'), gemeente_code, awarded_on";
constexpr std::string_view kGemeenteNawColumns =
    "id, learner_id, gemeente_code, unseal(name,'name'), "
    "unseal(address,'address'), unseal(postcode,'postcode'), unseal(residence,'residence'), "
    "decided_on";
constexpr std::string_view kGemeentePipColumns =
    "id, learner_id, gemeente_code, route, level, literacy, estimated_hours, lessons_per_week, "
    "decided_on";
constexpr std::string_view kGemeenteDecisionColumns =
    "id, lesson_id, learner_id, gemeente_code, value, decided_on";

std::string Sql(std::string_view a, std::string_view b = "", std::string_view c = "") {
  std::string s(a);
  s += b;
  s += c;
  return s;
}

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

// vv, hlc, writer_replica, writer_role, writer_user from column `c` on.
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

// Each kind's typed table, in RecordKind order: the record's columns (the
// shown version's columns follow them in a row), the condition that finds
// a record's row by its id, and how a row reads back. The table is named
// as the kind is (ToString).
struct TypedTable {
  std::string_view columns;
  std::string_view key;  // "?1" is the id, or its parts before and after '/' (?1, ?2)
  Status (*read)(const Statement& s, int c, Record* out);
};

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

constexpr std::string_view kById = "id = ?1";
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
    {kGemeenteDecisionColumns, kById,
     ReadRecord<exports::GemeenteDecision, ReadGemeenteDecision>},
    {kDuoAbsenceColumns, kById, ReadRecord<exports::DuoAbsence, ReadDuoAbsence>},
    {kDuoExamResultColumns, kById, ReadRecord<exports::DuoExamResult, ReadDuoExamResult>},
    {kQualificationColumns, kById, ReadRecord<Qualification, ReadQualification>},
    {kBowPlanningColumns, kById, ReadRecord<exports::BowPlanning, ReadBowPlanning>},
    {kBowQualificationColumns, kById,
     ReadRecord<exports::BowQualification, ReadBowQualification>},
    {kGemeentePipColumns, kById, ReadRecord<exports::GemeentePip, ReadGemeentePip>},
    {kDuoDutyColumns, kById, ReadRecord<exports::DuoDuty, ReadDuoDuty>},
    {kContractColumns, kById, ReadRecord<exports::Contract, ReadContract>},
    {kInvoiceColumns, kById, ReadRecord<exports::Invoice, ReadInvoice>},
    {kBridgingDiplomaColumns, kById, ReadRecord<exports::BridgingDiploma, ReadBridgingDiploma>},
    {kGemeenteNawColumns, kById, ReadRecord<exports::GemeenteNaw, ReadGemeenteNaw>},
};
static_assert(std::size(kTypedTables) == std::size(kAllRecordKinds));

const TypedTable& TypedTableOf(RecordKind kind) {
  return kTypedTables[static_cast<size_t>(kind)];
}

// One statement per kind, made once: `make(kind, table)` gives its SQL.
template <typename Make>
const std::string& PerKindSql(RecordKind kind, Make make) {
  static const auto kSql = [&] {
    std::array<std::string, std::size(kAllRecordKinds)> sql;
    for (RecordKind k : kAllRecordKinds) sql[static_cast<size_t>(k)] = make(k, TypedTableOf(k));
    return sql;
  }();
  return kSql[static_cast<size_t>(kind)];
}

// Binds a record's id to a TypedTable::key; false when a two-part id has no '/'.
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
// Whether the gemeente classifies this learner's absences (R2);
// nullopt when the learner is not in the register.
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

// Whether the learner's enrolment in the course is active; nullopt when
// there is none.
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

// The version vectors of a record's live siblings: what a local edit of it
// must dominate.
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

uint64_t SystemClockMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

std::string NewReplicaId() {
  std::array<unsigned char, 8> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  return hex;
}

// Creates the register file with mode 0600 before SQLite sees it: SQLite
// would create it with 0644 less the umask, and gives its -wal and -shm
// files the mode of the database file.
Status CreateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return AlreadyExists("a file already exists at '" + path + "'");
    if (errno == ENOENT) {
      return InvalidArgument("cannot create a register at '" + path +
                             "': its folder does not exist");
    }
    return FailedPrecondition("cannot create a register at '" + path +
                              "': " + std::strerror(errno));
  }
  // The umask may have taken the owner's bits too; set exactly 0600.
  const bool ok = ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return FailedPrecondition("cannot create a register at '" + path +
                              "': " + std::strerror(error));
  }
  // Make the new directory entry durable too.
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    // Best effort: some file systems refuse fsync on a directory; the
    // register's first commit is still synced.
    (void)::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

// Removes a half-created register unless dismissed.
class CreateCleanup {
 public:
  explicit CreateCleanup(std::string path) : path_(std::move(path)) {}
  ~CreateCleanup() {
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  CreateCleanup(const CreateCleanup&) = delete;
  CreateCleanup& operator=(const CreateCleanup&) = delete;
  void Dismiss() { path_.clear(); }

 private:
  std::string path_;
};

// What ApplyRemote carries from one received version to the next.
// The version columns of a typed row.
struct ShownStamp {
  const std::string* vv = nullptr;  // merge of the live siblings' vectors
  int64_t hlc = 0;                  // of the shown sibling
  const Writer* writer = nullptr;   // of the shown sibling
};

// The merge columns of a typed attendance row: the rule that decided each
// field of its shown value, the rule set's version, the conflict bits.
struct MergeColumns {
  std::string_view facts_rule = merge_rule::kSingle;
  std::string_view absence_rule = merge_rule::kSingle;
  std::string_view decision_rule = merge_rule::kNone;
  int rule_set = kMergeRuleSetVersion;
  uint32_t conflict = kConflictNone;
};

// What MergeAttendance gives for one version, without building one.
MergeColumns SingleMerge(const Attendance& a) {
  MergeColumns m;
  m.absence_rule =
      a.status == AttendanceStatus::kPresent ? merge_rule::kNone : merge_rule::kSingle;
  m.decision_rule = a.decision.has_value() ? merge_rule::kSingle : merge_rule::kNone;
  return m;
}

// An attendance's typed row as written, with its merge columns.
struct AttendanceRow {
  Attendance shown;
  ShownStamp stamp;
  MergeColumns merge;
};

Status UpsertAttendanceRow(Database& db, const Attendance& a, const ShownStamp& s,
                           const MergeColumns& m);
Result<AttendanceRow> ShownAttendanceRow(Database& db, const Attendance& a, const ShownStamp& s,
                                         const MergeColumns& m);
Status UpsertAttendanceRows(Database& db, std::span<const AttendanceRow> rows);
Result<std::optional<Classification>> GemeenteDecisionOn(Database& db, std::string_view lesson_id,
                                                         std::string_view learner_id);
Status UpsertRow(Database& db, const Learner& l, const ShownStamp& s);
Status UpsertRow(Database& db, const Lesson& l, const ShownStamp& s);
Status UpsertRow(Database& db, const Enrollment& e, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::DuoHours& h, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::GemeenteHours& h, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::GemeenteAbsence& a, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::GemeenteDecision& d, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::DuoAbsence& a, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::DuoExamResult& e, const ShownStamp& s);
Status UpsertRow(Database& db, const Qualification& q, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::BowPlanning& p, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::BowQualification& q, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::GemeentePip& p, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::DuoDuty& d, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::Contract& c, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::Invoice& i, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::BridgingDiploma& d, const ShownStamp& s);
Status UpsertRow(Database& db, const exports::GemeenteNaw& n, const ShownStamp& s);
Result<std::optional<exports::GemeentePip>> PipOf(Database& db, const Learner& l);
Result<std::optional<exports::GemeenteNaw>> NawOf(Database& db, const Learner& l);
Status SetOpenConflict(Database& db, std::string_view record_id, std::string_view id,
                       uint32_t kinds, std::string_view sibling_seqs, int64_t seq);
std::string ConflictId(std::string_view record_id, std::vector<std::string_view> vvs);

struct ApplyState;

struct HeldAttendance;  // one held version of an attendance record (below)

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Database> db, RegisterInfo info, StoreOptions options, Hlc last)
      : db_(std::move(db)), info_(std::move(info)), options_(std::move(options)), clock_(last) {}

  // Reads what the register is from meta; the register is migrated already.
  static Result<std::unique_ptr<Store>> Load(std::unique_ptr<Database> db, StoreOptions options);

  const RegisterInfo& info() const override { return info_; }

  Status AddLearners(const Actor& actor, std::span<const Learner> learners,
                     std::string_view action) override;
  Status AddCourse(const Actor& actor, const Course& course) override;
  Status Enroll(const Actor& actor, std::string_view course_id,
                std::span<const std::string> learner_ids) override;
  Status EndEnrollment(const Actor& actor, std::string_view course_id,
                       std::span<const std::string> learner_ids) override;
  Status AddLesson(const Actor& actor, const Lesson& lesson) override;
  Status RecordAttendance(const Actor& actor, std::span<const Attendance> records,
                          std::string_view action) override;

  Result<Learner> GetLearner(std::string_view id) override;
  Result<std::vector<Learner>> ListLearners() override;
  Result<Course> GetCourse(std::string_view id) override;
  Result<std::vector<Course>> ListCourses() override;
  Result<std::vector<Enrollment>> ListEnrollments(std::string_view course_id) override;
  Result<Lesson> GetLesson(std::string_view id) override;
  Result<std::vector<Lesson>> ListLessons(std::optional<std::string_view> course_id) override;
  Result<std::vector<Attendance>> ListAttendance(std::string_view lesson_id) override;
  Result<std::vector<LearnerLessons>> LessonsByLearner() override;
  Result<VersionStamp> GetStamp(RecordKind kind, std::string_view id) override;

  Result<std::vector<Change>> ChangesAfter(int64_t after_seq, int limit) override;
  Result<int64_t> LastChangeSeq() override;

  Result<std::vector<AuditEntry>> AuditEntries(int64_t after_seq, int limit) override;
  Result<AuditReport> VerifyAudit() override;

  Result<ApplyResult> ApplyRemote(std::string_view source_replica,
                                  std::span<const VersionedRecord> versions,
                                  const ApplyOptions& options) override;
  Result<std::optional<IdempotencyRecord>> GetIdempotency(std::string_view id) override;
  Result<int64_t> ForgetIdempotencyBefore(uint64_t before_ms) override;
  Result<RemoteCursor> GetCursor(std::string_view remote_replica) override;
  Result<std::optional<PendingBatch>> GetPendingBatch(std::string_view remote_replica) override;
  Status PutPendingBatch(std::string_view remote_replica, const PendingBatch& batch) override;
  Status AcknowledgeBatch(std::string_view remote_replica,
                          std::string_view idempotency_id) override;
  Status DropPendingBatch(std::string_view remote_replica,
                          std::string_view idempotency_id) override;
  Result<std::string> CanonicalDump() override;
  Status PutRemote(const Remote& remote) override;
  Result<std::vector<Remote>> ListRemotes() override;
  Status RemoveRemote(std::string_view name) override;
  Result<SubmitResult> SubmitDuoHours(const Actor& actor,
                                      std::span<const exports::DuoHours> rows) override;
  Result<std::vector<exports::DuoHours>> ListDuoHours() override;
  Result<DuoSubmitResult> SubmitDuo(const Actor& actor, std::span<const exports::DuoHours> hours,
                                    std::span<const exports::DuoAbsence> absences) override;
  Result<std::vector<exports::DuoAbsence>> ListDuoAbsences() override;
  Result<SubmitResult> RecordExamResults(const Actor& actor,
                                         std::span<const exports::DuoExamResult> results) override;
  Result<std::vector<exports::DuoExamResult>> ListExamResults() override;
  Result<bool> ReceivedAnyFrom(RecordKind kind, std::string_view id_prefix,
                               std::string_view replica) override;
  Result<SubmitResult> SubmitGemeenteHours(const Actor& actor,
                                           std::span<const exports::GemeenteHours> rows) override;
  Result<std::vector<exports::GemeenteHours>> ListGemeenteHours() override;
  Result<GemeenteSubmitResult> SubmitGemeente(
      const Actor& actor, std::span<const exports::GemeenteHours> hours,
      std::span<const exports::GemeenteAbsence> absences) override;
  Result<std::vector<exports::GemeenteAbsence>> ListGemeenteAbsences() override;
  Result<bool> ReceivedFrom(RecordKind kind, std::string_view id,
                            std::string_view replica) override;
  Result<SubmitResult> DecideAbsences(const Actor& actor,
                                      std::span<const exports::GemeenteDecision> decisions) override;
  Result<std::vector<exports::GemeenteDecision>> ListGemeenteDecisions() override;
  Result<SubmitResult> RecordQualifications(
      const Actor& actor, std::span<const Qualification> qualifications) override;
  Result<std::vector<Qualification>> ListQualifications() override;
  Result<BowSubmitResult> SubmitBow(
      const Actor& actor, std::span<const exports::BowPlanning> planning,
      std::span<const exports::BowQualification> qualifications) override;
  Result<std::vector<exports::BowPlanning>> ListBowPlanning() override;
  Result<std::vector<exports::BowQualification>> ListBowQualifications() override;
  Result<SubmitResult> SetPips(const Actor& actor,
                               std::span<const exports::GemeentePip> pips) override;
  Result<std::vector<exports::GemeentePip>> ListPips() override;
  Result<std::optional<exports::GemeentePip>> PipFor(const Learner& learner) override;
  Result<SubmitResult> SetNaws(const Actor& actor,
                               std::span<const exports::GemeenteNaw> naws) override;
  Result<std::vector<exports::GemeenteNaw>> ListNaws() override;
  Result<std::optional<exports::GemeenteNaw>> NawFor(const Learner& learner) override;
  Result<SubmitResult> RecordDuties(const Actor& actor,
                                    std::span<const exports::DuoDuty> duties) override;
  Result<std::vector<exports::DuoDuty>> ListDuties() override;
  Result<SubmitResult> RecordContracts(const Actor& actor,
                                       std::vector<exports::Contract> contracts) override;
  Result<std::vector<exports::Contract>> ListContracts() override;
  Result<SubmitResult> RecordInvoices(const Actor& actor,
                                      std::vector<exports::Invoice> invoices) override;
  Result<std::vector<exports::Invoice>> ListInvoices() override;
  Result<SubmitResult> RecordDiplomas(const Actor& actor,
                                      std::vector<exports::BridgingDiploma> diplomas) override;
  Result<std::vector<exports::BridgingDiploma>> ListDiplomas() override;
  Status NoteSyncOutcome(std::string_view name, const SyncOutcome& outcome) override;
  Result<std::vector<RemoteStatus>> RemoteStatuses() override;
  Status UpdateLearner(const Actor& actor, const Learner& learner) override;
  Status SetBowNumber(const Actor& actor, std::string_view number) override;
  Status SetGemeenteCode(const Actor& actor, std::string_view code) override;
  Status LogExport(const Actor& actor, std::string_view action, std::string summary) override;
  Result<std::vector<Conflict>> ListConflicts(bool include_closed) override;
  Result<Conflict> GetConflict(std::string_view id) override;
  Status ResolveConflict(const Actor& actor, std::string_view conflict_id, const Attendance& value,
                         std::string_view reason) override;
  Result<Explanation> ExplainAttendance(std::string_view attendance_id) override;
  Result<std::vector<RefusedVersion>> ListRefused() override;
  Status RotateKey(const Actor& actor) override;
  Status FollowKeyRotation() override;

  // Merges the records a schema step marked (conflict = -1).
  Status MergePending();

  // Writes the first audit entry of a new register.
  Status WriteInitEntry();

 private:
  class Write;
  enum class Applied { kAccepted, kDuplicate, kDominated, kRefused };

  // RecordAttendance's work inside a write; `summary` gets the audit text.
  // `keep_decision`: an edit that sets no decision keeps the shown one
  // (RecordAttendance); a resolution writes exactly what it is given.
  // Appends a version of `e` dominating its live siblings, and shows it.
  Status WriteEnrollment(Write& w, const Enrollment& e);
  Status WriteAttendance(Write& w, const Actor& actor, std::span<const Attendance> records,
                         bool keep_decision, std::string* summary);
  // A received attendance version: the sibling rule, ownership, the merge.
  Result<Applied> ApplyAttendance(Write& w, const VersionedRecord& version, const Attendance& a,
                                  const std::string& id, ApplyState& state);
  // Merges the live siblings of an attendance record into its typed row and
  // sets its open conflict; `seq` is the change that caused it.
  Status MergeAndShow(const std::string& record_id, int64_t seq);
  // The same from the live siblings `held`, read (and parsed as needed).
  Status ShowMerged(const std::string& record_id, int64_t seq, std::vector<HeldAttendance>& held);
  // The conflict `id` (or the attendance id's open or latest conflict).
  Result<Conflict> ReadConflict(std::string_view id);

  // One received version, inside ApplyRemote's transaction.
  Result<Applied> ApplyVersion(Write& w, const VersionedRecord& version, ApplyState& state);
  // Submissions of one kind inside a transaction the caller commits (the
  // shared work of SubmitDuo, SubmitGemeente and DecideAbsences): validated,
  // each new or changed one as a version dominating the earlier ones; `what`
  // names a row in messages.
  template <typename Row>
  Status WriteRows(Write& w, RecordKind kind, std::span<const Row> rows, std::string_view what,
                   SubmitResult* result);
  // `rows` of one kind in one transaction with one audit entry `action`
  // (counts only, `what` naming a row); nothing when none is new or changed.
  template <typename Row>
  Result<SubmitResult> WriteAll(const Actor& actor, RecordKind kind, std::span<const Row> rows,
                                std::string_view what, std::string_view action);
  // A gemeente's records about its residents (a PIP, NAW data), on its own
  // register, each for a learner a school submitted hours of there for
  // that gemeente; one transaction, audited as `action`.
  template <typename Row>
  Result<SubmitResult> SetForResidents(const Actor& actor, std::span<const Row> rows,
                                       RecordKind kind, std::string_view what,
                                       std::string_view action);
  template <typename Row>
  Result<std::vector<Row>> ListRows(std::string_view table, std::string_view columns,
                                    Status (*read)(const Statement&, int, Row*),
                                    std::string_view what);
  // Keeps a received version an ownership rule refused (`conflicts refused`).
  Status KeepRefused(RecordKind kind, std::string_view id, std::string_view vv_text,
                     const VersionStamp& stamp, std::string_view body,
                     const OwnershipVerdict& verdict, const ApplyState& state);
  // Validates a received version; points `*record` at it, or at `*normalized`
  // when its derived id had to be filled in.
  Status CheckReceived(const VersionedRecord& version, ApplyState& state, Record* normalized,
                       const Record** record);
  // A lesson's duration for validating received attendance; nullopt when the
  // lesson has not arrived.
  Result<std::optional<int>> LessonMinutes(const std::string& lesson_id, ApplyState& state);
  // A record's typed row (its shown value) with its version columns.
  Result<std::optional<std::pair<Record, VersionStamp>>> ReadShown(RecordKind kind,
                                                                   const std::string& id);
  // FollowKeyRotation, given meta.key_generation as just read.
  Status FollowKeyGeneration(int64_t generation);

  uint64_t NowMs() const { return options_.clock_ms ? options_.clock_ms() : SystemClockMs(); }

  std::unique_ptr<Database> db_;
  RegisterInfo info_;
  StoreOptions options_;
  HybridClock clock_;
  // meta.key_generation of the key this store seals with (RotateKey).
  int64_t key_generation_ = 0;
};

// Rows written by one INSERT when a write appends many new records (a
// lesson, an import): one statement per lesson of 20 instead of one per
// row (docs/benchmarks.md).
constexpr size_t kRowsPerStatement = 20;

// The version columns of a version just appended, for the typed row.
struct NewVersion {
  std::string vv;
  int64_t hlc = 0;
};

// One write call: an IMMEDIATE transaction, the versions it appends, and the
// audit entry that closes it. Destroyed without Commit, it rolls back.
class SqliteStore::Write {
 public:
  static Result<Write> Begin(SqliteStore& store, const Actor& actor) {
    PRESENTIE_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*store.db_));
    // Another process may have written since this one last did: continue
    // from the later of the two clocks.
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> persisted,
                               internal::GetMetaInt(*store.db_, internal::meta::kLastHlc));
    const uint64_t packed = static_cast<uint64_t>(persisted.value_or(0));
    if (packed > store.clock_.last().Pack()) store.clock_ = HybridClock(Hlc::Unpack(packed));
    // Another process may have replaced the key since this one opened the
    // register: what this one sealed now would not open, so it takes up the
    // new key first.
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> generation,
                               internal::GetMetaInt(*store.db_, internal::meta::kKeyGeneration));
    PRESENTIE_RETURN_IF_ERROR(store.FollowKeyGeneration(generation.value_or(0)));
    return Write(store, std::move(txn), Writer{store.info_.replica_id, actor.role, actor.user});
  }

  // Appends a version of a record that dominates `siblings` (the record's
  // live versions; empty for a new record) and retires those siblings.
  Result<NewVersion> AppendVersion(RecordKind kind, const std::string& id, const std::string& body,
                                   std::span<const VersionVector> siblings) {
    Database& db = *store_.db_;
    VersionVector vv;
    for (const VersionVector& s : siblings) vv.Merge(s);
    vv.Increment(writer_.replica);
    const Hlc hlc = store_.clock_.Now(store_.NowMs());
    const std::string_view kind_text = ToString(kind);
    if (!siblings.empty()) {
      PRESENTIE_ASSIGN_OR_RETURN(CachedStatement retire,
                                 db.Cached("UPDATE versions SET live = 0 "
                                           "WHERE kind = ?1 AND record_id = ?2 AND live = 1"));
      retire->BindStaticText(1, kind_text);
      retire->BindTextRef(2, id);
      PRESENTIE_RETURN_IF_ERROR(retire->Run());
    }
    NewVersion v{vv.Encode(), static_cast<int64_t>(hlc.Pack())};
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement insert,
        db.Cached("INSERT INTO versions (kind, record_id, vv, hlc, writer_replica, writer_role, "
                  "writer_user, body, live) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, seal_body(?8), 1)"));
    insert->BindStaticText(1, kind_text);
    insert->BindTextRef(2, id);
    insert->BindTextRef(3, v.vv);
    insert->BindInt(4, v.hlc);
    insert->BindTextRef(5, writer_.replica);
    insert->BindStaticText(6, role_);
    insert->BindTextRef(7, writer_.user);
    insert->BindTextRef(8, body);
    PRESENTIE_RETURN_IF_ERROR(insert->Run());
    Appended(internal::ChangeContent{db.LastInsertRowid(), kind_text, id, v.vv, v.hlc,
                                     writer_.replica, role_, writer_.user, body});
    return v;
  }

  // Appends the first version of each of `ids.size()` new records of `kind`
  // (none has a sibling), with `bodies`, in one statement; `out` gets their
  // version columns, in order. The same versions as AppendVersion would
  // append one by one: the same clock readings, in the same order.
  Status AppendFirstVersions(RecordKind kind, std::span<const std::string* const> ids,
                             std::span<const std::string* const> bodies,
                             std::vector<NewVersion>* out) {
    assert(ids.size() == bodies.size() && !ids.empty() && ids.size() <= kRowsPerStatement);
    Database& db = *store_.db_;
    const std::string_view kind_text = ToString(kind);
    VersionVector vv;
    vv.Increment(writer_.replica);
    const std::string vv_text = vv.Encode();
    out->clear();
    for (size_t i = 0; i < ids.size(); ++i) {
      const Hlc hlc = store_.clock_.Now(store_.NowMs());
      out->push_back(NewVersion{vv_text, static_cast<int64_t>(hlc.Pack())});
    }
    // (kind, writer) once as ?1..?4, then (record_id, vv, hlc, body) per row.
    static const std::array<std::string, kRowsPerStatement + 1> kSql = [] {
      std::array<std::string, kRowsPerStatement + 1> sql;
      for (size_t n = 1; n <= kRowsPerStatement; ++n) {
        sql[n] =
            "INSERT INTO versions (kind, record_id, vv, hlc, writer_replica, writer_role, "
            "writer_user, body, live) VALUES ";
        for (size_t r = 0; r < n; ++r) {
          const size_t p = 5 + 4 * r;
          sql[n] += (r > 0 ? ", (?1, ?" : "(?1, ?") + std::to_string(p) + ", ?" +
                    std::to_string(p + 1) + ", ?" + std::to_string(p + 2) +
                    ", ?2, ?3, ?4, seal_body(?" + std::to_string(p + 3) + "), 1)";
        }
      }
      return sql;
    }();
    PRESENTIE_ASSIGN_OR_RETURN(CachedStatement insert, db.Cached(kSql[ids.size()]));
    insert->BindStaticText(1, kind_text);
    insert->BindTextRef(2, writer_.replica);
    insert->BindStaticText(3, role_);
    insert->BindTextRef(4, writer_.user);
    for (size_t r = 0; r < ids.size(); ++r) {
      const int p = 5 + 4 * static_cast<int>(r);
      insert->BindTextRef(p, *ids[r]);
      insert->BindTextRef(p + 1, (*out)[r].vv);
      insert->BindInt(p + 2, (*out)[r].hlc);
      insert->BindTextRef(p + 3, *bodies[r]);
    }
    PRESENTIE_RETURN_IF_ERROR(insert->Run());
    // The rows of one INSERT get consecutive rowids: each is one more than
    // the largest before it (the table has no AUTOINCREMENT and never nears
    // the largest rowid).
    const int64_t first = db.LastInsertRowid() - static_cast<int64_t>(ids.size()) + 1;
    for (size_t r = 0; r < ids.size(); ++r) {
      Appended(internal::ChangeContent{first + static_cast<int64_t>(r), kind_text, *ids[r],
                                       (*out)[r].vv, (*out)[r].hlc, writer_.replica, role_,
                                       writer_.user, *bodies[r]});
    }
    return Status::Ok();
  }

  // Binds vv, hlc, writer_replica, writer_role, writer_user at `index` on.
  void BindVersion(Statement& stmt, int index, const NewVersion& v) const {
    stmt.BindTextRef(index, v.vv);
    stmt.BindInt(index + 1, v.hlc);
    stmt.BindTextRef(index + 2, writer_.replica);
    stmt.BindStaticText(index + 3, role_);
    stmt.BindTextRef(index + 4, writer_.user);
  }

  // Appends a version received from replica `source` as it is (live), for
  // ApplyRemote, which has decided that it is a new sibling.
  Status AppendReceived(std::string_view kind_text, const std::string& id, const std::string& vv,
                        int64_t hlc, const Writer& writer, const std::string& body,
                        const std::string& source) {
    Database& db = *store_.db_;
    const std::string_view role = ToString(writer.role);
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement insert,
        db.Cached("INSERT INTO versions (kind, record_id, vv, hlc, writer_replica, writer_role, "
                  "writer_user, body, live, received_from) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, seal_body(?8), 1, ?9)"));
    insert->BindStaticText(1, kind_text);
    insert->BindTextRef(2, id);
    insert->BindTextRef(3, vv);
    insert->BindInt(4, hlc);
    insert->BindTextRef(5, writer.replica);
    insert->BindStaticText(6, role);
    insert->BindTextRef(7, writer.user);
    insert->BindTextRef(8, body);
    insert->BindTextRef(9, source);
    PRESENTIE_RETURN_IF_ERROR(insert->Run());
    Appended(internal::ChangeContent{db.LastInsertRowid(), kind_text, id, vv, hlc, writer.replica,
                                     role, writer.user, body});
    return Status::Ok();
  }

  const Writer& writer() const { return writer_; }
  int64_t last_change() const { return last_change_; }

  // Appends the audit entry, persists the clock and commits.
  Status Commit(std::string_view action, std::string summary) {
    AuditEntry entry;
    entry.at_ms = store_.NowMs();
    entry.actor = writer_;
    entry.action = std::string(action);
    entry.summary = std::move(summary);
    entry.first_change = first_change_;
    entry.last_change = last_change_;
    entry.digest = digest_.Finish();
    Database& db = *store_.db_;
    Result<AuditEntry> appended = internal::AppendAuditEntry(db, std::move(entry));
    if (!appended.ok()) return appended.status();
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaInt(
        db, internal::meta::kLastHlc, static_cast<int64_t>(store_.clock_.last().Pack())));
    return txn_.Commit();
  }

 private:
  Write(SqliteStore& store, Transaction txn, Writer writer)
      : store_(store),
        txn_(std::move(txn)),
        writer_(std::move(writer)),
        role_(ToString(writer_.role)) {}

  SqliteStore& store_;
  Transaction txn_;
  Writer writer_;
  // A version this write appended: into the audit entry's digest and range.
  void Appended(const internal::ChangeContent& change) {
    digest_.Add(change);
    if (first_change_ == 0) first_change_ = change.seq;
    last_change_ = change.seq;
  }

  std::string_view role_;  // writer_.role as stored: a static enum name
  int64_t first_change_ = 0;
  int64_t last_change_ = 0;
  internal::ChangeDigest digest_;
};

Result<std::unique_ptr<Store>> SqliteStore::Load(std::unique_ptr<Database> db,
                                                 StoreOptions options) {
  namespace meta = internal::meta;
  RegisterInfo info;
  auto text = [&db](std::string_view key, std::string* out) -> Status {
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<std::string> v, internal::GetMetaText(*db, key));
    if (!v.has_value()) {
      return FailedPrecondition("the register at '" + db->path() + "' is incomplete (no " +
                                std::string(key) +
                                "); its creation was interrupted: remove it and create it again");
    }
    *out = std::move(*v);
    return Status::Ok();
  };
  PRESENTIE_RETURN_IF_ERROR(text(meta::kReplicaId, &info.replica_id));
  PRESENTIE_RETURN_IF_ERROR(text(meta::kSchoolName, &info.school_name));
  PRESENTIE_RETURN_IF_ERROR(text(meta::kBrin, &info.brin));
  std::string role;
  PRESENTIE_RETURN_IF_ERROR(text(meta::kRole, &role));
  PRESENTIE_RETURN_IF_ERROR(Take(ParseRole(role), &info.role));
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> created,
                             internal::GetMetaInt(*db, meta::kCreatedAtMs));
  info.created_at_ms = static_cast<uint64_t>(created.value_or(0));
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<std::string> bow,
                             internal::GetMetaText(*db, meta::kBowNumber));
  info.bow_number = bow.value_or("");
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<std::string> code,
                             internal::GetMetaText(*db, meta::kGemeenteCode));
  info.gemeente_code = code.value_or("");
  PRESENTIE_ASSIGN_OR_RETURN(info.schema_version, db->UserVersion());
  info.key_file = internal::ResolveKeySource(db->path(), options.key_file).file;
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> last_hlc,
                             internal::GetMetaInt(*db, meta::kLastHlc));
  const Hlc last = Hlc::Unpack(static_cast<uint64_t>(last_hlc.value_or(0)));
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> generation,
                             internal::GetMetaInt(*db, meta::kKeyGeneration));
  auto store = std::make_unique<SqliteStore>(std::move(db), std::move(info), std::move(options),
                                             last);
  store->key_generation_ = generation.value_or(0);
  return std::unique_ptr<Store>(std::move(store));
}

Status SqliteStore::WriteInitEntry() {
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, Actor{info_.role, ""}));
  return w.Commit("register.init", "register created for BRIN " + info_.brin + " (role " +
                                       std::string(ToString(info_.role)) + ", schema " +
                                       std::to_string(info_.schema_version) + ")");
}

Status SqliteStore::AddLearners(const Actor& actor, std::span<const Learner> learners,
                                std::string_view action) {
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  std::unordered_set<std::string> batch_ids;
  std::unordered_map<std::string, std::string> batch_bsns;  // BSN -> learner id
  std::vector<std::string> ids;
  for (const Learner& input : learners) {
    // Validate names the record in its messages, and requires the BSN in
    // its canonical form, so that "is this BSN known" is an exact match.
    PRESENTIE_RETURN_IF_ERROR(Validate(input));
    const Learner& l = input;
    const std::string ctx = Quoted("learner", l.id);
    if (!batch_ids.insert(l.id).second) return AlreadyExists(ctx + " is listed twice");
    if (auto [it, fresh] = batch_bsns.emplace(l.bsn, l.id); !fresh) {
      return AlreadyExists(ctx + ": has the same BSN as learner '" + it->second + "' in this list");
    }
    PRESENTIE_ASSIGN_OR_RETURN(bool known, LearnerExists(*db_, l.id));
    if (known) return AlreadyExists(ctx + " already exists");
    {
      PRESENTIE_ASSIGN_OR_RETURN(
          CachedStatement by_bsn,
          db_->Cached("SELECT id FROM learner WHERE bsn_hash = bsn_key(?1) LIMIT 1"));
      by_bsn->BindTextRef(1, l.bsn);
      PRESENTIE_ASSIGN_OR_RETURN(bool taken, by_bsn->Step());
      if (taken) {
        return AlreadyExists(ctx + ": a learner with this BSN is already registered ('" +
                             by_bsn->ColumnString(0) + "')");
      }
    }
    PRESENTIE_ASSIGN_OR_RETURN(std::string body, internal::EncodeBody(l));
    PRESENTIE_ASSIGN_OR_RETURN(NewVersion v, w.AppendVersion(RecordKind::kLearner, l.id, body, {}));
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement insert,
        db_->Cached("INSERT INTO learner (id, bsn, bsn_hash, name, category, regime, route, "
                    "level, literacy, estimated_hours, gemeente_code, lessons_per_week, vv, hlc, "
                    "writer_replica, writer_role, writer_user) VALUES (?1, seal(?2, 'bsn'), "
                    "bsn_key(?2), seal(?3, 'name'), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                    "?14, ?15, ?16)"));
    insert->BindTextRef(1, l.id);
    insert->BindTextRef(2, l.bsn);
    insert->BindTextRef(3, l.name);
    insert->BindStaticText(4, ToString(l.category));
    insert->BindStaticText(5, ToString(l.regime));
    insert->BindStaticText(6, ToString(l.route));
    insert->BindStaticText(7, ToString(l.level));
    insert->BindStaticText(8, ToString(l.literacy));
    insert->BindInt(9, l.estimated_hours);
    insert->BindTextRef(10, l.gemeente_code);
    insert->BindInt(11, l.lessons_per_week);
    w.BindVersion(*insert, 12, v);
    PRESENTIE_RETURN_IF_ERROR(insert->Run());
    ids.push_back(l.id);
  }
  std::string summary = Plural(ids.size(), "learner", "learners") + " added";
  if (!ids.empty()) summary += ": " + IdList(ids);
  return w.Commit(action.empty() ? "learner.add" : action, std::move(summary));
}

Status SqliteStore::UpdateLearner(const Actor& actor, const Learner& l) {
  const std::string ctx = Quoted("learner", l.id);
  if (actor.role != Role::kAdmin) {
    return PermissionDenied("only the school admin changes a learner's data (this is a " +
                            std::string(ToString(actor.role)) + " register)");
  }
  PRESENTIE_RETURN_IF_ERROR(Validate(l));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_ASSIGN_OR_RETURN(Learner old, GetLearner(l.id));
  // Field names only: the values are personal data.
  std::vector<std::string> changed;
  if (old.bsn != l.bsn) changed.push_back("bsn");
  if (old.name != l.name) changed.push_back("name");
  if (old.category != l.category) changed.push_back("category");
  if (old.regime != l.regime) changed.push_back("regime");
  if (old.route != l.route) changed.push_back("route");
  if (old.level != l.level) changed.push_back("level");
  if (old.literacy != l.literacy) changed.push_back("literacy");
  if (old.estimated_hours != l.estimated_hours) changed.push_back("estimated_hours");
  if (old.gemeente_code != l.gemeente_code) changed.push_back("gemeente");
  if (old.lessons_per_week != l.lessons_per_week) changed.push_back("lessons_per_week");
  if (changed.empty()) return Status::Ok();  // the transaction rolls back: nothing written
  // The PIP's fields of a learner under the gemeente's PIP are the
  // gemeente's: an edit that changes them would be shown over anyway.
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<exports::GemeentePip> pip, PipOf(*db_, l));
  if (pip.has_value() && exports::WithPip(l, *pip) != l) {
    return FailedPrecondition(ctx + ": route, level, literacy, estimated hours and lessons per " +
                              "week are set by gemeente " + pip->gemeente_code + "'s PIP of " +
                              FormatDate(pip->decided_on) +
                              " (presentie pip list); nothing was changed");
  }
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<exports::GemeenteNaw> naw, NawOf(*db_, l));
  if (naw.has_value() && naw->name != l.name) {
    return FailedPrecondition(ctx + ": the name is set by gemeente " + naw->gemeente_code +
                              "'s NAW data of " + FormatDate(naw->decided_on) +
                              " (presentie naw list); nothing was changed");
  }
  if (old.bsn != l.bsn) {
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement by_bsn,
        db_->Cached("SELECT id FROM learner WHERE bsn_hash = bsn_key(?1) AND id != ?2 LIMIT 1"));
    by_bsn->BindTextRef(1, l.bsn);
    by_bsn->BindTextRef(2, l.id);
    PRESENTIE_ASSIGN_OR_RETURN(bool taken, by_bsn->Step());
    if (taken) {
      return AlreadyExists(ctx + ": a learner with this BSN is already registered ('" +
                           by_bsn->ColumnString(0) + "')");
    }
  }
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<VersionVector> siblings,
                             LiveVvs(*db_, RecordKind::kLearner, l.id));
  PRESENTIE_ASSIGN_OR_RETURN(std::string body, internal::EncodeBody(l));
  PRESENTIE_ASSIGN_OR_RETURN(NewVersion v,
                             w.AppendVersion(RecordKind::kLearner, l.id, body, siblings));
  PRESENTIE_RETURN_IF_ERROR(UpsertRow(*db_, l, ShownStamp{&v.vv, v.hlc, &w.writer()}));
  std::string fields;
  for (const std::string& f : changed) fields += (fields.empty() ? "" : ", ") + f;
  return w.Commit("learner.edit", ctx + " changed: " + fields);
}

Status SqliteStore::AddCourse(const Actor& actor, const Course& course) {
  const std::string ctx = Quoted("course", course.id);
  PRESENTIE_RETURN_IF_ERROR(Validate(course));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_ASSIGN_OR_RETURN(bool known, CourseExists(*db_, course.id));
  if (known) return AlreadyExists(ctx + " already exists");
  PRESENTIE_ASSIGN_OR_RETURN(std::string body, internal::EncodeBody(course));
  PRESENTIE_ASSIGN_OR_RETURN(NewVersion v,
                             w.AppendVersion(RecordKind::kCourse, course.id, body, {}));
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement insert,
      db_->Cached("INSERT INTO course (id, name, component, regime, route, start_date, end_date, "
                  "hours_purchased, vv, hlc, writer_replica, writer_role, writer_user) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
  insert->BindTextRef(1, course.id);
  insert->BindTextRef(2, course.name);
  insert->BindStaticText(3, ToString(course.component));
  insert->BindStaticText(4, ToString(course.regime));
  insert->BindStaticText(5, ToString(course.route));
  auto date = [](const std::optional<Date>& d) {
    return d.has_value() ? std::optional<std::string>(FormatDate(*d)) : std::nullopt;
  };
  insert->BindOptionalText(6, date(course.start_date));
  insert->BindOptionalText(7, date(course.end_date));
  insert->BindInt(8, course.hours_purchased);
  w.BindVersion(*insert, 9, v);
  PRESENTIE_RETURN_IF_ERROR(insert->Run());
  return w.Commit("course.add", ctx + " added");
}

Status SqliteStore::Enroll(const Actor& actor, std::string_view course_id,
                           std::span<const std::string> learner_ids) {
  const std::string course(course_id);
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_ASSIGN_OR_RETURN(bool course_known, CourseExists(*db_, course));
  if (!course_known) return NotFound(Quoted("course", course) + " does not exist");
  std::unordered_set<std::string> seen;
  std::vector<std::string> enrolled;
  size_t already = 0;
  for (const std::string& learner : learner_ids) {
    if (!seen.insert(learner).second) continue;
    PRESENTIE_ASSIGN_OR_RETURN(bool learner_known, LearnerExists(*db_, learner));
    if (!learner_known) return NotFound(Quoted("learner", learner) + " does not exist");
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<bool> active, EnrollmentActive(*db_, course, learner));
    if (active.value_or(false)) {
      ++already;
      continue;
    }
    // A new enrolment, or one that had ended and starts again: the new
    // version dominates the ended one.
    PRESENTIE_RETURN_IF_ERROR(
        WriteEnrollment(w, Enrollment{EnrollmentId(course, learner), course, learner, true}));
    enrolled.push_back(learner);
  }
  std::string summary = Quoted("course", course) + ": " +
                        Plural(enrolled.size(), "learner", "learners") + " enrolled";
  if (!enrolled.empty()) summary += " (" + IdList(enrolled) + ")";
  if (already > 0) summary += ", " + std::to_string(already) + " already enrolled";
  return w.Commit("course.enroll", std::move(summary));
}

Status SqliteStore::WriteEnrollment(Write& w, const Enrollment& e) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<VersionVector> siblings,
                             LiveVvs(*db_, RecordKind::kEnrollment, e.id));
  PRESENTIE_ASSIGN_OR_RETURN(std::string body, internal::EncodeBody(e));
  PRESENTIE_ASSIGN_OR_RETURN(NewVersion v,
                             w.AppendVersion(RecordKind::kEnrollment, e.id, body, siblings));
  return UpsertRow(*db_, e, ShownStamp{&v.vv, v.hlc, &w.writer()});
}

Status SqliteStore::EndEnrollment(const Actor& actor, std::string_view course_id,
                                  std::span<const std::string> learner_ids) {
  const std::string course(course_id);
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_ASSIGN_OR_RETURN(bool course_known, CourseExists(*db_, course));
  if (!course_known) return NotFound(Quoted("course", course) + " does not exist");
  std::unordered_set<std::string> seen;
  std::vector<std::string> ended;
  for (const std::string& learner : learner_ids) {
    if (!seen.insert(learner).second) continue;
    PRESENTIE_ASSIGN_OR_RETURN(bool learner_known, LearnerExists(*db_, learner));
    if (!learner_known) return NotFound(Quoted("learner", learner) + " does not exist");
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<bool> active, EnrollmentActive(*db_, course, learner));
    // All or nothing: a name that is not on the roster is a mistake to
    // report, not to skip (the write rolls back).
    if (!active.value_or(false)) {
      return NotFound(Quoted("learner", learner) + " is not enrolled in " +
                      Quoted("course", course) +
                      (active.has_value() ? " (the enrolment has already ended)" : ""));
    }
    PRESENTIE_RETURN_IF_ERROR(
        WriteEnrollment(w, Enrollment{EnrollmentId(course, learner), course, learner, false}));
    ended.push_back(learner);
  }
  return w.Commit("course.unenroll", Quoted("course", course) + ": enrolment ended for " +
                                         Plural(ended.size(), "learner", "learners") + " (" +
                                         IdList(ended) + ")");
}

Status SqliteStore::AddLesson(const Actor& actor, const Lesson& lesson) {
  const std::string ctx = Quoted("lesson", lesson.id);
  PRESENTIE_RETURN_IF_ERROR(Validate(lesson));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_ASSIGN_OR_RETURN(bool course_known, CourseExists(*db_, lesson.course_id));
  if (!course_known) {
    return NotFound(ctx + ": " + Quoted("course", lesson.course_id) + " does not exist");
  }
  PRESENTIE_ASSIGN_OR_RETURN(bool known, LessonExists(*db_, lesson.id));
  if (known) return AlreadyExists(ctx + " already exists");
  PRESENTIE_ASSIGN_OR_RETURN(std::string body, internal::EncodeBody(lesson));
  PRESENTIE_ASSIGN_OR_RETURN(NewVersion v,
                             w.AppendVersion(RecordKind::kLesson, lesson.id, body, {}));
  // The typed row as every other write of a lesson writes it (kLessonColumns
  // say which of its columns are sealed); the lesson is new, checked above.
  PRESENTIE_RETURN_IF_ERROR(UpsertRow(*db_, lesson, ShownStamp{&v.vv, v.hlc, &w.writer()}));
  return w.Commit("lesson.add", ctx + " of " + Quoted("course", lesson.course_id) + " added");
}

Status SqliteStore::RecordAttendance(const Actor& actor, std::span<const Attendance> records,
                                     std::string_view action) {
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  std::string summary;
  PRESENTIE_RETURN_IF_ERROR(WriteAttendance(w, actor, records, /*keep_decision=*/true, &summary));
  return w.Commit(action.empty() ? "attend.record" : action, std::move(summary));
}

Status SqliteStore::WriteAttendance(Write& w, const Actor& actor,
                                    std::span<const Attendance> records, bool keep_decision,
                                    std::string* summary) {
  // What a batch needs to know of each lesson, looked up once per lesson:
  // its duration, and the live versions of its attendance, so that an edit
  // needs no query of its own.
  struct LessonState {
    int duration_minutes = 0;
    std::unordered_map<std::string, std::vector<VersionVector>> siblings;  // by learner id
    std::unordered_set<std::string> in_batch;                              // learner ids
  };
  std::unordered_map<std::string, LessonState> lessons;
  // Per learner: does the gemeente classify their absences (ownership).
  std::unordered_map<std::string, bool> learners;
  size_t present = 0;
  size_t absent = 0;
  size_t partial = 0;
  size_t edits = 0;
  // New records wait here to be written kRowsPerStatement at a time, in
  // their order (an edit writes those before it first).
  struct NewRecord {
    Attendance a;
    std::string body;
  };
  std::vector<NewRecord> waiting;
  std::vector<const std::string*> ids;
  std::vector<const std::string*> bodies;
  std::vector<NewVersion> appended;
  std::vector<AttendanceRow> rows;
  const auto write_waiting = [&]() -> Status {
    if (waiting.empty()) return Status::Ok();
    ids.clear();
    bodies.clear();
    for (const NewRecord& r : waiting) {
      ids.push_back(&r.a.id);
      bodies.push_back(&r.body);
    }
    PRESENTIE_RETURN_IF_ERROR(
        w.AppendFirstVersions(RecordKind::kAttendance, ids, bodies, &appended));
    rows.clear();
    for (size_t i = 0; i < waiting.size(); ++i) {
      PRESENTIE_ASSIGN_OR_RETURN(
          AttendanceRow row,
          ShownAttendanceRow(*db_, waiting[i].a, ShownStamp{&appended[i].vv, appended[i].hlc,
                                                            &w.writer()},
                             SingleMerge(waiting[i].a)));
      rows.push_back(std::move(row));
    }
    PRESENTIE_RETURN_IF_ERROR(UpsertAttendanceRows(*db_, rows));
    waiting.clear();
    return Status::Ok();
  };

  for (const Attendance& input : records) {
    // Built only for an error: this loop runs once per row of an import.
    const auto ctx = [&input] {
      return "attendance row for " + Quoted("learner", input.learner_id);
    };
    auto lesson_it = lessons.find(input.lesson_id);
    if (lesson_it == lessons.end()) {
      LessonState state;
      {
        PRESENTIE_ASSIGN_OR_RETURN(
            CachedStatement get, db_->Cached("SELECT duration_minutes FROM lesson WHERE id = ?1"));
        get->BindText(1, input.lesson_id);
        PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
        if (!found) {
          return NotFound(ctx() + ": " + Quoted("lesson", input.lesson_id) + " does not exist");
        }
        state.duration_minutes = static_cast<int>(get->ColumnInt(0));
      }
      // Attendance ids are "<lesson>/<learner>" and '/' sorts just below
      // '0', so the ids of one lesson are exactly those in ("L/", "L0").
      PRESENTIE_ASSIGN_OR_RETURN(
          CachedStatement live,
          db_->Cached("SELECT record_id, vv FROM versions WHERE kind = 'attendance' "
                      "AND live = 1 AND record_id > ?1 AND record_id < ?2"));
      live->BindText(1, input.lesson_id + "/");
      live->BindText(2, input.lesson_id + "0");
      for (;;) {
        PRESENTIE_ASSIGN_OR_RETURN(bool row, live->Step());
        if (!row) break;
        const std::string_view record_id = live->ColumnText(0);
        VersionVector vv;
        if (Status s = Take(VersionVector::Decode(live->ColumnText(1)), &vv); !s.ok()) {
          return Damaged("attendance", record_id, s);
        }
        state.siblings[std::string(record_id.substr(input.lesson_id.size() + 1))].push_back(
            std::move(vv));
      }
      lesson_it = lessons.emplace(input.lesson_id, std::move(state)).first;
    }
    LessonState& lesson = lesson_it->second;

    auto learner_it = learners.find(input.learner_id);
    if (learner_it == learners.end()) {
      PRESENTIE_ASSIGN_OR_RETURN(std::optional<bool> gemeente,
                                 GemeenteClassifies(*db_, input.learner_id));
      if (!gemeente.has_value()) return NotFound(ctx() + ": learner does not exist");
      learner_it = learners.emplace(input.learner_id, *gemeente).first;
    }

    Attendance a = input;
    a.id = AttendanceId(a.lesson_id, a.learner_id);
    PRESENTIE_RETURN_IF_ERROR(Validate(a, lesson.duration_minutes));
    if (!lesson.in_batch.insert(a.learner_id).second) {
      return InvalidArgument(ctx() + ": listed twice for " + Quoted("lesson", a.lesson_id));
    }

    std::span<const VersionVector> siblings;
    std::optional<Attendance> superseded;
    if (auto s = lesson.siblings.find(a.learner_id); s != lesson.siblings.end()) {
      siblings = s->second;
      ++edits;
      // An edit replaces the value shown, as merged from its siblings.
      PRESENTIE_ASSIGN_OR_RETURN(auto shown, ReadShown(RecordKind::kAttendance, a.id));
      if (shown.has_value()) superseded = std::get<Attendance>(std::move(shown->first));
      // A gemeente's decision shown from its own record (UpsertAttendanceRow)
      // is not in any version: an edit neither carries it nor removes it.
      if (superseded.has_value() && superseded->decision.has_value() &&
          superseded->decision->decided_by == Role::kGemeente) {
        PRESENTIE_ASSIGN_OR_RETURN(std::optional<Classification> record,
                                   GemeenteDecisionOn(*db_, a.lesson_id, a.learner_id));
        if (record.has_value()) superseded->decision.reset();
      }
    }
    // A decision is kept by an edit that does not set one: only its party
    // may change or remove it (O.decision-owner), and re-recording the facts
    // is not a reason to lose it. A full presence has nothing to classify.
    if (keep_decision && !a.decision.has_value() && superseded.has_value() &&
        a.status != AttendanceStatus::kPresent) {
      a.decision = superseded->decision;
    }
    if (OwnershipVerdict v =
            CheckAttendanceWrite(actor.role, superseded, a, learner_it->second);
        !v.ok()) {
      return PermissionDenied(ctx() + ": " + v.detail + " (rule " + std::string(v.rule) + ")");
    }
    PRESENTIE_ASSIGN_OR_RETURN(std::string body, internal::EncodeBody(a));
    switch (a.status) {
      case AttendanceStatus::kPresent:
        ++present;
        break;
      case AttendanceStatus::kAbsent:
        ++absent;
        break;
      case AttendanceStatus::kPartial:
        ++partial;
        break;
    }
    if (siblings.empty()) {
      waiting.push_back(NewRecord{std::move(a), std::move(body)});
      if (waiting.size() == kRowsPerStatement) PRESENTIE_RETURN_IF_ERROR(write_waiting());
      continue;
    }
    PRESENTIE_RETURN_IF_ERROR(write_waiting());
    PRESENTIE_ASSIGN_OR_RETURN(NewVersion v,
                               w.AppendVersion(RecordKind::kAttendance, a.id, body, siblings));
    PRESENTIE_RETURN_IF_ERROR(UpsertAttendanceRow(
        *db_, a, ShownStamp{&v.vv, v.hlc, &w.writer()}, SingleMerge(a)));
    // The edit dominates every sibling: an open conflict closes here.
    if (siblings.size() > 1) {
      PRESENTIE_RETURN_IF_ERROR(SetOpenConflict(*db_, a.id, "", 0, "", w.last_change()));
    }
  }
  PRESENTIE_RETURN_IF_ERROR(write_waiting());
  // Counts only: who was absent, and why, is personal data.
  if (lessons.size() == 1) {
    *summary = Quoted("lesson", lessons.begin()->first);
  } else {
    *summary = Plural(lessons.size(), "lesson", "lessons");
  }
  *summary += ": " + Plural(records.size(), "record", "records") + " (" + std::to_string(present) +
             " present, " + std::to_string(absent) + " absent, " + std::to_string(partial) +
             " partial; " + Plural(edits, "edit", "edits") + ")";
  return Status::Ok();
}

Result<Learner> SqliteStore::GetLearner(std::string_view id) {
  static const std::string kSql = Sql("SELECT ", kLearnerColumns, " FROM learner WHERE id = ?1");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, id);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFound(Quoted("learner", id) + " does not exist");
  Learner l;
  if (Status s = ReadLearner(*stmt, 0, &l); !s.ok()) return Damaged("learner", id, s);
  return l;
}

Result<std::vector<Learner>> SqliteStore::ListLearners() {
  static const std::string kSql = Sql("SELECT ", kLearnerColumns, " FROM learner ORDER BY id");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  std::vector<Learner> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Learner l;
    if (Status s = ReadLearner(*stmt, 0, &l); !s.ok()) {
      return Damaged("learner", stmt->ColumnText(0), s);
    }
    out.push_back(std::move(l));
  }
  return out;
}

Result<Course> SqliteStore::GetCourse(std::string_view id) {
  static const std::string kSql = Sql("SELECT ", kCourseColumns, " FROM course WHERE id = ?1");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, id);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFound(Quoted("course", id) + " does not exist");
  Course c;
  if (Status s = ReadCourse(*stmt, 0, &c); !s.ok()) return Damaged("course", id, s);
  return c;
}

Result<std::vector<Course>> SqliteStore::ListCourses() {
  static const std::string kSql = Sql("SELECT ", kCourseColumns, " FROM course ORDER BY id");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  std::vector<Course> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Course c;
    if (Status s = ReadCourse(*stmt, 0, &c); !s.ok()) {
      return Damaged("course", stmt->ColumnText(0), s);
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Enrollment>> SqliteStore::ListEnrollments(std::string_view course_id) {
  PRESENTIE_ASSIGN_OR_RETURN(bool known, CourseExists(*db_, course_id));
  if (!known) return NotFound(Quoted("course", course_id) + " does not exist");
  // Only learners that exist: sync may deliver an enrolment before its
  // learner (schema version 3 has no foreign keys; see schema.cc).
  static const std::string kSql =
      Sql("SELECT ", kEnrollmentColumns,
          " FROM enrollment WHERE course_id = ?1 AND EXISTS (SELECT 1 FROM learner "
          "WHERE learner.id = enrollment.learner_id) ORDER BY learner_id");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, course_id);
  std::vector<Enrollment> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Enrollment e;
    ReadEnrollment(*stmt, 0, &e);
    out.push_back(std::move(e));
  }
  return out;
}

Result<Lesson> SqliteStore::GetLesson(std::string_view id) {
  static const std::string kSql = Sql("SELECT ", kLessonColumns, " FROM lesson WHERE id = ?1");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, id);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFound(Quoted("lesson", id) + " does not exist");
  Lesson l;
  if (Status s = ReadLesson(*stmt, 0, &l); !s.ok()) return Damaged("lesson", id, s);
  return l;
}

Result<std::vector<Lesson>> SqliteStore::ListLessons(std::optional<std::string_view> course_id) {
  // Only lessons whose course exists (sync may deliver a lesson first).
  static const std::string kAll =
      Sql("SELECT ", kLessonColumns,
          " FROM lesson WHERE EXISTS (SELECT 1 FROM course WHERE course.id = lesson.course_id) "
          "ORDER BY start, id");
  static const std::string kOfCourse =
      Sql("SELECT ", kLessonColumns, " FROM lesson WHERE course_id = ?1 ORDER BY start, id");
  if (course_id.has_value()) {
    PRESENTIE_ASSIGN_OR_RETURN(bool known, CourseExists(*db_, *course_id));
    if (!known) return NotFound(Quoted("course", *course_id) + " does not exist");
  }
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt,
                             db_->Cached(course_id.has_value() ? kOfCourse : kAll));
  if (course_id.has_value()) stmt->BindText(1, *course_id);
  std::vector<Lesson> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Lesson l;
    if (Status s = ReadLesson(*stmt, 0, &l); !s.ok()) {
      return Damaged("lesson", stmt->ColumnText(0), s);
    }
    out.push_back(std::move(l));
  }
  return out;
}

Result<std::vector<Attendance>> SqliteStore::ListAttendance(std::string_view lesson_id) {
  PRESENTIE_ASSIGN_OR_RETURN(bool known, LessonExists(*db_, lesson_id));
  if (!known) return NotFound(Quoted("lesson", lesson_id) + " does not exist");
  // Only learners that exist (sync may deliver an attendance first).
  static const std::string kSql =
      Sql("SELECT ", kAttendanceColumns,
          " FROM attendance WHERE lesson_id = ?1 AND EXISTS (SELECT 1 FROM learner "
          "WHERE learner.id = attendance.learner_id) ORDER BY learner_id");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, lesson_id);
  std::vector<Attendance> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Attendance a;
    if (Status s = ReadAttendance(*stmt, 0, &a); !s.ok()) {
      return Damaged("attendance", stmt->ColumnText(0), s);
    }
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<LearnerLessons>> SqliteStore::LessonsByLearner() {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<Learner> learners, ListLearners());
  std::vector<LearnerLessons> out;
  out.reserve(learners.size());
  std::unordered_map<std::string, size_t> index;
  for (Learner& l : learners) {
    index.emplace(l.id, out.size());
    out.push_back(LearnerLessons{std::move(l), {}});
  }
  // Each learner's lessons: those of the courses they are enrolled in, and
  // any other lesson they have an attendance for.
  PRESENTIE_ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("WITH pairs (learner_id, lesson_id) AS ("
                   "  SELECT e.learner_id, ls.id FROM enrollment e "
                   "  JOIN lesson ls ON ls.course_id = e.course_id WHERE e.active = 1 "
                   "  UNION SELECT learner_id, lesson_id FROM attendance) "
                   "SELECT p.learner_id, c.component, ls.duration_minutes, "
                   "  a.id, a.lesson_id, a.learner_id, a.status, a.minutes_present, a.mode, "
                   "  a.notified_in_advance, unseal(a.reason, 'reason'), unseal(a.note, 'note'), "
                   "  a.decision, a.decided_by, a.conflict, ls.course_id, ls.start "
                   "FROM pairs p "
                   "JOIN lesson ls ON ls.id = p.lesson_id "
                   "JOIN course c ON c.id = ls.course_id "
                   "LEFT JOIN attendance a "
                   "  ON a.lesson_id = p.lesson_id AND a.learner_id = p.learner_id "
                   "ORDER BY p.learner_id, ls.start, ls.id"));
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    auto it = index.find(std::string(stmt.ColumnText(0)));
    if (it == index.end()) continue;  // received before its learner arrived
    LessonLine line;
    if (Status s = Take(ParseComponent(stmt.ColumnText(1)), &line.component); !s.ok()) {
      return Damaged("course of lesson", stmt.ColumnText(4), s);
    }
    line.duration_minutes = static_cast<int>(stmt.ColumnInt(2));
    line.course_id = stmt.ColumnString(15);
    if (Status s = Take(ParseDateTime(stmt.ColumnText(16)), &line.start); !s.ok()) {
      return Damaged("lesson start in course", stmt.ColumnText(15), s);
    }
    if (!stmt.ColumnIsNull(3)) {
      Attendance a;
      if (Status s = ReadAttendance(stmt, 3, &a); !s.ok()) {
        return Damaged("attendance", stmt.ColumnText(3), s);
      }
      // An open conflict on presence: the minutes that count are disputed.
      line.disputed = stmt.ColumnInt(14) > 0 && (stmt.ColumnInt(14) & kConflictPresence) != 0;
      line.attendance = std::move(a);
    }
    out[it->second].lines.push_back(std::move(line));
  }
  return out;
}

Result<VersionStamp> SqliteStore::GetStamp(RecordKind kind, std::string_view id) {
  const TypedTable& table = TypedTableOf(kind);
  const std::string& sql = PerKindSql(kind, [](RecordKind k, const TypedTable& t) {
    return Sql("SELECT vv, hlc, writer_replica, writer_role, writer_user FROM ",
               Sql(ToString(k), " WHERE "), t.key);
  });
  const auto missing = [&] { return NotFound(Quoted(ToString(kind), id) + " does not exist"); };
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(sql));
  if (!BindKey(*stmt, table, id)) return missing();
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return missing();
  VersionStamp stamp;
  if (Status s = ReadStamp(*stmt, 0, &stamp); !s.ok()) return Damaged(ToString(kind), id, s);
  return stamp;
}

Result<std::vector<Change>> SqliteStore::ChangesAfter(int64_t after_seq, int limit) {
  if (limit <= 0) return InvalidArgument("the change limit must be positive");
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement stmt,
      db_->Cached("SELECT seq, kind, record_id, vv, hlc, writer_replica, writer_role, "
                  "writer_user, open_body(body), live, received_from FROM versions "
                  "WHERE seq > ?1 "
                  "ORDER BY seq LIMIT ?2"));
  stmt->BindInt(1, after_seq);
  stmt->BindInt(2, limit);
  std::vector<Change> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Change c;
    c.seq = stmt->ColumnInt(0);
    Status s = Take(ParseRecordKind(stmt->ColumnText(1)), &c.kind);
    c.record_id = stmt->ColumnString(2);
    if (s.ok()) s = ReadStamp(*stmt, 3, &c.stamp);
    if (!s.ok()) return Damaged("change", "#" + std::to_string(c.seq), s);
    c.body = stmt->ColumnString(8);
    c.live = stmt->ColumnBool(9);
    c.received_from = stmt->ColumnString(10);
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> SqliteStore::LastChangeSeq() {
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt,
                             db_->Cached("SELECT coalesce(max(seq), 0) FROM versions"));
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  return row ? stmt->ColumnInt(0) : 0;
}

Result<std::vector<AuditEntry>> SqliteStore::AuditEntries(int64_t after_seq, int limit) {
  if (limit <= 0) return InvalidArgument("the audit entry limit must be positive");
  return internal::ReadAuditEntries(*db_, after_seq, limit);
}

Result<AuditReport> SqliteStore::VerifyAudit() { return internal::VerifyAuditChain(*db_); }

// --- Replication ------------------------------------------------------------
//
// ApplyRemote keeps the sibling rule of DESIGN.md §5 per received version:
// the record's live siblings are read from the versions_record index; a
// version equal to one of them (same vv) is a duplicate, one that a sibling
// dominates is dominated, and anything else becomes a live sibling that
// retires the siblings it dominates. Checking the live siblings is enough
// for the rule: a version that some retired version dominates (or equals) is
// dominated by the live version that, transitively, retired it. Only to count
// it right is a dominated version then looked up among the retired ones: if
// this register holds it already, it is a duplicate (a batch sent again).
//
// The typed row is then rewritten from the live siblings. Attendance:
// ApplyAttendance and the merge policy (core/merge.h). Other kinds: the
// pick by highest HLC, then highest writer replica id, then highest vv text
// (a total order among siblings since their vvs differ) gives the fields,
// hlc and writer; vv is the merge of all live siblings' vectors, so that a typed
// row says everything its value has seen. Since the typed tables lost their
// foreign keys (schema step 3), a typed row exists exactly when its record has
// versions, whatever arrived first.

// A received stamp further ahead of this device's wall clock than this is not
// adopted by its HLC (HybridClock::Observe): a device with a wrong date must
// not drag every clock it syncs with along.
constexpr int64_t kMaxClockSkewMs = 2 * 60 * 1000;

// Packed HLCs are stored in a signed INTEGER column and compared there.
constexpr uint64_t kMaxStoredWallMs = (uint64_t{1} << 47) - 1;

// One live sibling of the record a received version belongs to.
struct Sibling {
  int64_t seq = 0;
  VersionVector vv;
  std::string vv_text;
  int64_t hlc = 0;
  std::string writer_replica;
  bool retired = false;  // the received version dominates it
};

// The value policy's order: the greatest key is shown.
struct PolicyKey {
  int64_t hlc = 0;
  std::string_view writer_replica;
  std::string_view vv;
  auto operator<=>(const PolicyKey&) const = default;
};

struct ApplyState {
  std::string source;
  Store::ApplyResult result;
  uint32_t skewed = 0;  // stamps too far ahead to adopt
  // Lesson durations looked up in this call; 0: the lesson is unknown.
  std::unordered_map<std::string, int> lesson_minutes;
  std::vector<Sibling> siblings;  // of the version being applied; reused
  // GemeenteClassifies per learner id, looked up in this call.
  std::unordered_map<std::string, std::optional<bool>> gemeente;
  // Per lesson, looked up once in this call: whether the register held no
  // version of its attendance, and then the learners whose attendance this
  // call has appended since. A version for any other learner of such a
  // lesson has nothing held to compare with, and needs no query (a new
  // device's first pull is made of such lessons).
  struct LessonAttendance {
    bool none_held = false;
    std::unordered_set<std::string> appended;  // learner ids
  };
  std::unordered_map<std::string, LessonAttendance> lesson_attendance;
};


constexpr std::string_view kShownVersionColumns =
    ", vv, hlc, writer_replica, writer_role, writer_user";

void BindShown(Statement& stmt, int index, const ShownStamp& s) {
  stmt.BindTextRef(index, *s.vv);
  stmt.BindInt(index + 1, s.hlc);
  stmt.BindTextRef(index + 2, s.writer->replica);
  stmt.BindStaticText(index + 3, ToString(s.writer->role));
  stmt.BindTextRef(index + 4, s.writer->user);
}

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

// Shows the gemeente's PIP and NAW data, when they apply to the learner as
// written (their own gemeente's, for a Wi2021 asylum permit holder), over
// the school's values of their fields; the versions keep the school's.
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


// The decision of a gemeente on attendance (lesson, learner), received from
// its endpoint; nullopt when none is held. CheckGemeenteDecisionWrite let it
// in only for a Wi2021 asylum permit holder of that gemeente.
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

// What the typed row of attendance `a` shows: `a`, unless it is an absence
// the gemeente has decided on, which shows that decision over whatever the
// versions say (R2: gemeente over school; docs/authorities.md). The versions
// keep theirs; a full presence needs no classification.
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

Status UpsertAttendanceRow(Database& db, const Attendance& a, const ShownStamp& s,
                           const MergeColumns& m) {
  PRESENTIE_ASSIGN_OR_RETURN(AttendanceRow row, ShownAttendanceRow(db, a, s, m));
  return UpsertAttendanceRows(db, std::span<const AttendanceRow>(&row, 1));
}

// The typed rows of up to kRowsPerStatement attendance records (distinct
// ones) in one statement.
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

// Also shows the decision on the attendance it is about, when that is an
// absence held here (UpsertAttendanceRow applies it to later versions).
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

// Also shows the NAW data's name on the learner it is about, when it
// applies there.
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
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement show,
      db.Cached("UPDATE learner SET name = seal(?3, 'name') "
                "WHERE id = ?1 AND gemeente_code = ?2 AND "
                "category = 'asylum_permit_holder' AND regime = 'wi2021'"));
  show->BindTextRef(1, n.learner_id);
  show->BindTextRef(2, n.gemeente_code);
  show->BindTextRef(3, n.name);
  return show->Run();
}

// Also shows the PIP on the learner it is about, when it applies there.
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

// A conflict's id: the same on every replica that holds the same siblings.
std::string ConflictId(std::string_view record_id, std::vector<std::string_view> vvs) {
  std::sort(vvs.begin(), vvs.end());
  internal::Sha256 h;
  h.AddField("presentie.conflict.v1");
  h.AddField(record_id);
  for (std::string_view vv : vvs) h.AddField(vv);
  return "c" + h.FinishHex().substr(0, 16);
}

// Makes `id` the record's open conflict ("" for none); a different open one
// is closed at change-log seq `seq`.
Status SetOpenConflict(Database& db, std::string_view record_id, std::string_view id,
                       uint32_t kinds, std::string_view sibling_seqs, int64_t seq) {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement open,
      db.Cached("SELECT id FROM conflict WHERE record_id = ?1 AND closed_seq IS NULL"));
  open->BindText(1, record_id);
  bool already = false;
  bool other = false;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, open->Step());
    if (!row) break;
    if (open->ColumnText(0) == id) {
      already = true;
    } else {
      other = true;
    }
  }
  if (other) {
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement close,
        db.Cached("UPDATE conflict SET closed_seq = ?2 "
                  "WHERE record_id = ?1 AND closed_seq IS NULL AND id <> ?3"));
    close->BindText(1, record_id);
    close->BindInt(2, seq);
    close->BindText(3, id);
    PRESENTIE_RETURN_IF_ERROR(close->Run());
  }
  if (id.empty() || already) return Status::Ok();
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement insert,
      db.Cached("INSERT INTO conflict (id, record_id, lesson_id, learner_id, kinds, "
                "sibling_seqs, opened_seq, closed_seq) "
                "VALUES (?1, ?2, ?6, ?7, ?3, ?4, ?5, NULL) ON CONFLICT (id) DO UPDATE SET "
                "closed_seq = NULL"));
  insert->BindText(1, id);
  insert->BindText(2, record_id);
  const size_t slash = record_id.find('/');
  insert->BindText(6, record_id.substr(0, slash));
  insert->BindText(7, slash == std::string_view::npos ? std::string_view()
                                                       : record_id.substr(slash + 1));
  insert->BindInt(3, static_cast<int64_t>(kinds));
  insert->BindText(4, sibling_seqs);
  insert->BindInt(5, seq);
  return insert->Run();
}

Status UpsertShown(Database& db, const Record& record, const ShownStamp& s) {
  return std::visit([&](const auto& r) { return UpsertRow(db, r, s); }, record);
}

// Core has no Validate for an enrolment: its keys, and its derived id.
Status ValidateEnrollment(const Enrollment& e) {
  if (Status s = ValidateRecordKey(e.course_id, "course_id"); !s.ok()) {
    return s.WithContext("enrollment");
  }
  if (Status s = ValidateRecordKey(e.learner_id, "learner_id"); !s.ok()) {
    return s.WithContext("enrollment");
  }
  const std::string expected = EnrollmentId(e.course_id, e.learner_id);
  if (!e.id.empty() && e.id != expected) {
    return InvalidArgument("enrollment '" + expected + "': id must be '" + expected +
                           "' (course/learner)");
  }
  return Status::Ok();
}

// Remote names are shown, typed and used as keys: 1–64 of [A-Za-z0-9._-].
Status ValidateRemote(const Store::Remote& r) {
  const bool name_ok = !r.name.empty() && r.name.size() <= 64 &&
                       std::all_of(r.name.begin(), r.name.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                       });
  if (!name_ok) {
    return InvalidArgument("a remote's name is 1 to 64 letters, digits, '.', '_' or '-'");
  }
  const std::string ctx = Quoted("remote", r.name) + ": ";
  std::string_view rest = r.url;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return InvalidArgument(ctx + "the URL must start with https:// (or http://)");
  }
  const std::string_view authority = rest.substr(0, rest.find('/'));
  if (authority.empty()) return InvalidArgument(ctx + "the URL has no host");
  if (authority.find('@') != std::string_view::npos) {
    // The register and its audit log are no place for a password.
    return InvalidArgument(ctx + "the URL must not contain credentials; put the token in its file");
  }
  if (std::any_of(r.url.begin(), r.url.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    return InvalidArgument(ctx + "the URL contains a space or control character");
  }
  auto path = [&ctx](std::string_view what, const std::string& p, bool required) -> Status {
    if (p.empty()) {
      return required ? InvalidArgument(ctx + std::string(what) + " is required") : Status::Ok();
    }
    if (p.front() != '/') return InvalidArgument(ctx + std::string(what) + " must be absolute");
    return Status::Ok();
  };
  PRESENTIE_RETURN_IF_ERROR(path("the token file", r.token_file, true));
  PRESENTIE_RETURN_IF_ERROR(path("the CA file", r.ca_file, false));
  PRESENTIE_RETURN_IF_ERROR(path("the client certificate file", r.cert_file, false));
  PRESENTIE_RETURN_IF_ERROR(path("the client key file", r.key_file, false));
  if (r.cert_file.empty() != r.key_file.empty()) {
    return InvalidArgument(ctx + "a client certificate and its key go together");
  }
  return Status::Ok();
}

// A JSON string literal of `text` (for the dump's writer user): '"', '\\' and
// control characters escaped, everything else as is.
void AppendQuoted(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out += '"';
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      *out += '\\';
      *out += ch;
    } else if (c < 0x20) {
      *out += "\\u00";
      *out += kHex[c >> 4];
      *out += kHex[c & 0xf];
    } else {
      *out += ch;
    }
  }
  *out += '"';
}

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
  AppendQuoted(writer_user, out);
}

Result<std::optional<int>> SqliteStore::LessonMinutes(const std::string& lesson_id,
                                                      ApplyState& state) {
  auto it = state.lesson_minutes.find(lesson_id);
  if (it == state.lesson_minutes.end()) {
    PRESENTIE_ASSIGN_OR_RETURN(CachedStatement get,
                               db_->Cached("SELECT duration_minutes FROM lesson WHERE id = ?1"));
    get->BindTextRef(1, lesson_id);
    PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
    it = state.lesson_minutes.emplace(lesson_id, found ? static_cast<int>(get->ColumnInt(0)) : 0)
             .first;
  }
  if (it->second == 0) return std::optional<int>();
  return std::optional<int>(it->second);
}

Status SqliteStore::CheckReceived(const VersionedRecord& version, ApplyState& state,
                                  Record* normalized, const Record** record) {
  *record = &version.record;
  Status valid;
  if (const auto* l = std::get_if<Learner>(&version.record)) {
    valid = Validate(*l);
  } else if (const auto* c = std::get_if<Course>(&version.record)) {
    valid = Validate(*c);
  } else if (const auto* ls = std::get_if<Lesson>(&version.record)) {
    valid = Validate(*ls);
  } else if (const auto* e = std::get_if<Enrollment>(&version.record)) {
    valid = ValidateEnrollment(*e);
    if (valid.ok() && e->id.empty()) {
      *normalized = *e;
      std::get<Enrollment>(*normalized).id = EnrollmentId(e->course_id, e->learner_id);
      *record = normalized;
    }
  } else if (const auto* a = std::get_if<Attendance>(&version.record)) {
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<int> minutes, LessonMinutes(a->lesson_id, state));
    // Without its lesson the duration is unknown: validate against one that
    // the facts could fit (a presence lasts the whole lesson), so that every
    // rule not about the duration still applies.
    const int duration = minutes.value_or(
        a->status == AttendanceStatus::kPresent ? std::clamp(a->minutes_present, 1, 720) : 720);
    valid = Validate(*a, duration);
    if (valid.ok() && a->id.empty()) {
      *normalized = *a;
      std::get<Attendance>(*normalized).id = AttendanceId(a->lesson_id, a->learner_id);
      *record = normalized;
    }
  } else {
    // The authorities' records and the school's records for them: each
    // kind's own Validate (core/exports.h, core/domain.h).
    valid = std::visit(
        [](const auto& r) -> Status {
          using T = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<T, Learner> || std::is_same_v<T, Course> ||
                        std::is_same_v<T, Lesson> || std::is_same_v<T, Enrollment> ||
                        std::is_same_v<T, Attendance>) {
            return Status::Ok();  // handled above
          } else {
            return Validate(r);
          }
        },
        version.record);
  }
  // Validate's messages name the record by its id (once the id is known to
  // be a plain key) and the field, never a value that is personal data.
  const std::string context = "a version received from " + state.source + ": ";
  if (!valid.ok()) return InvalidArgument(context + valid.message());

  const VersionStamp& stamp = version.stamp;
  auto bad = [&](std::string_view what) {
    return InvalidArgument(context +
                           Quoted(ToString(KindOf(version.record)), RecordIdOf(**record)) + ": " +
                           std::string(what));
  };
  if (!ValidateReplicaId(stamp.writer.replica).ok()) {
    return bad("the writer's replica id is not 16 lowercase hex characters");
  }
  if (stamp.vv.empty()) return bad("the version vector is empty");
  for (const auto& [replica, counter] : stamp.vv.entries()) {
    if (!ValidateReplicaId(replica).ok()) {
      return bad("the version vector names a replica id that is not 16 lowercase hex characters");
    }
  }
  if (stamp.vv.Get(stamp.writer.replica) == 0) {
    return bad("the version vector has no entry for its writer");
  }
  if (stamp.hlc.wall_ms > kMaxStoredWallMs || stamp.hlc.logical > 0xffff) {
    return bad("the HLC stamp is out of range");
  }
  return Status::Ok();
}

Status SqliteStore::KeepRefused(RecordKind kind, std::string_view id, std::string_view vv_text,
                                const VersionStamp& stamp, std::string_view body,
                                const OwnershipVerdict& verdict, const ApplyState& state) {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement refuse,
      db_->Cached("INSERT INTO refused (at_ms, source, kind, record_id, vv, hlc, writer_replica, "
                  "writer_role, writer_user, body, rule, detail) "
                  "VALUES (?1, ?2, ?12, ?3, ?4, ?5, ?6, ?7, ?8, seal(?9, 'body'), ?10, ?11)"));
  refuse->BindInt(1, static_cast<int64_t>(NowMs()));
  refuse->BindTextRef(2, state.source);
  refuse->BindText(3, id);
  refuse->BindText(4, vv_text);
  refuse->BindInt(5, static_cast<int64_t>(stamp.hlc.Pack()));
  refuse->BindTextRef(6, stamp.writer.replica);
  refuse->BindStaticText(7, ToString(stamp.writer.role));
  refuse->BindTextRef(8, stamp.writer.user);
  refuse->BindText(9, body);
  refuse->BindStaticText(10, verdict.rule);
  refuse->BindTextRef(11, verdict.detail);
  refuse->BindStaticText(12, ToString(kind));
  return refuse->Run();
}

Result<SqliteStore::Applied> SqliteStore::ApplyVersion(Write& w, const VersionedRecord& version,
                                                       ApplyState& state) {
  Database& db = *db_;
  Record normalized;
  const Record* record = nullptr;
  PRESENTIE_RETURN_IF_ERROR(CheckReceived(version, state, &normalized, &record));
  const RecordKind kind = KindOf(*record);
  const std::string_view kind_text = ToString(kind);
  const std::string id = RecordIdOf(*record);
  const VersionStamp& stamp = version.stamp;
  const auto hlc = static_cast<int64_t>(stamp.hlc.Pack());

  if (!clock_.Observe(stamp.hlc, NowMs(), kMaxClockSkewMs).adopted) ++state.skewed;
  if (kind == RecordKind::kAttendance) {
    return ApplyAttendance(w, version, std::get<Attendance>(*record), id, state);
  }
  if (kind == RecordKind::kLearner) state.gemeente.erase(id);

  const std::string vv_text = stamp.vv.Encode();
  // Every kind but the roster's (learner, course, enrollment, lesson;
  // attendance went above) has one writer by its ownership rule.
  if (kind != RecordKind::kLearner && kind != RecordKind::kCourse &&
      kind != RecordKind::kEnrollment && kind != RecordKind::kLesson) {
    OwnershipVerdict verdict;
    // A gemeente's record about a learner: checked against the learner when
    // known here (nullptr when not: then only the writer's role).
    std::optional<Learner> about;
    auto learner_about = [&](const std::string& learner_id) -> Status {
      Result<Learner> learner = GetLearner(learner_id);
      if (learner.ok()) about = std::move(*learner);
      if (!learner.ok() && learner.status().code() != StatusCode::kNotFound) {
        return learner.status();
      }
      return Status::Ok();
    };
    if (const auto* d = std::get_if<exports::GemeenteDecision>(record)) {
      PRESENTIE_RETURN_IF_ERROR(learner_about(d->learner_id));
      verdict = CheckGemeenteDecisionWrite(stamp.writer.role, d->gemeente_code,
                                           about ? &*about : nullptr);
    } else if (const auto* pip = std::get_if<exports::GemeentePip>(record)) {
      PRESENTIE_RETURN_IF_ERROR(learner_about(pip->learner_id));
      verdict = CheckPipWrite(stamp.writer.role, pip->gemeente_code, about ? &*about : nullptr);
    } else if (const auto* naw = std::get_if<exports::GemeenteNaw>(record)) {
      PRESENTIE_RETURN_IF_ERROR(learner_about(naw->learner_id));
      verdict = CheckNawWrite(stamp.writer.role, naw->gemeente_code, about ? &*about : nullptr);
    } else if (kind == RecordKind::kDuoExamResult) {
      verdict = CheckExamResultWrite(stamp.writer.role);
    } else if (kind == RecordKind::kQualification) {
      verdict = CheckQualificationWrite(stamp.writer.role);
    } else if (kind == RecordKind::kDuoDuty) {
      verdict = CheckDutyWrite(stamp.writer.role);
    } else {
      verdict = CheckSubmissionWrite(stamp.writer.role);
    }
    if (!verdict.ok()) {
      PRESENTIE_ASSIGN_OR_RETURN(std::string body, EncodeRecordBody(*record));
      PRESENTIE_RETURN_IF_ERROR(KeepRefused(kind, id, vv_text, stamp, body, verdict, state));
      return Applied::kRefused;
    }
  }
  std::vector<Sibling>& siblings = state.siblings;
  siblings.clear();
  {
    PRESENTIE_ASSIGN_OR_RETURN(CachedStatement live,
                               db.Cached("SELECT seq, vv, hlc, writer_replica FROM versions "
                                         "WHERE kind = ?1 AND record_id = ?2 AND live = 1"));
    live->BindStaticText(1, kind_text);
    live->BindTextRef(2, id);
    for (;;) {
      PRESENTIE_ASSIGN_OR_RETURN(bool row, live->Step());
      if (!row) break;
      // Version vectors are stored in their one canonical text.
      if (live->ColumnText(1) == vv_text) return Applied::kDuplicate;
      Sibling s;
      s.seq = live->ColumnInt(0);
      if (Status st = Take(VersionVector::Decode(live->ColumnText(1)), &s.vv); !st.ok()) {
        return Damaged("change", "#" + std::to_string(s.seq), st);
      }
      switch (stamp.vv.Compare(s.vv)) {
        case Ordering::kEqual:
          return Applied::kDuplicate;
        case Ordering::kDominatedBy: {
          PRESENTIE_ASSIGN_OR_RETURN(
              CachedStatement held,
              db.Cached("SELECT 1 FROM versions WHERE kind = ?1 AND record_id = ?2 AND vv = ?3"));
          held->BindStaticText(1, kind_text);
          held->BindTextRef(2, id);
          held->BindTextRef(3, vv_text);
          PRESENTIE_ASSIGN_OR_RETURN(bool known, held->Step());
          return known ? Applied::kDuplicate : Applied::kDominated;
        }
        case Ordering::kDominates:
          s.retired = true;
          break;
        case Ordering::kConcurrent:
          break;
      }
      s.vv_text = live->ColumnString(1);
      s.hlc = live->ColumnInt(2);
      s.writer_replica = live->ColumnString(3);
      siblings.push_back(std::move(s));
    }
  }

  for (const Sibling& s : siblings) {
    if (!s.retired) continue;
    PRESENTIE_ASSIGN_OR_RETURN(CachedStatement retire,
                               db.Cached("UPDATE versions SET live = 0 WHERE seq = ?1"));
    retire->BindInt(1, s.seq);
    PRESENTIE_RETURN_IF_ERROR(retire->Run());
  }
  PRESENTIE_ASSIGN_OR_RETURN(std::string body, EncodeRecordBody(*record));
  PRESENTIE_RETURN_IF_ERROR(
      w.AppendReceived(kind_text, id, vv_text, hlc, stamp.writer, body, state.source));
  if (kind == RecordKind::kLesson) state.lesson_minutes.erase(id);

  // The shown value, from the live siblings: those not retired, and this one.
  PolicyKey best{hlc, stamp.writer.replica, vv_text};
  const Sibling* winner = nullptr;  // null: the received version
  VersionVector merged;
  bool several = false;
  for (const Sibling& s : siblings) {
    if (s.retired) continue;
    if (!several) {
      merged = stamp.vv;
      several = true;
    }
    merged.Merge(s.vv);
    const PolicyKey key{s.hlc, s.writer_replica, s.vv_text};
    if (best < key) {
      best = key;
      winner = &s;
    }
  }
  std::string merged_text;
  const std::string* shown_vv = &vv_text;
  if (several) {
    merged_text = merged.Encode();
    shown_vv = &merged_text;
  }
  if (winner == nullptr) {
    PRESENTIE_RETURN_IF_ERROR(UpsertShown(db, *record, ShownStamp{shown_vv, hlc, &stamp.writer}));
    return Applied::kAccepted;
  }
  // An earlier sibling stays shown: read it back from the change log.
  Change change;
  Writer writer;
  {
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement get,
        db.Cached("SELECT writer_role, writer_user, open_body(body) FROM versions "
                  "WHERE seq = ?1"));
    get->BindInt(1, winner->seq);
    PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
    if (!found) return Internal("change #" + std::to_string(winner->seq) + " vanished");
    if (Status st = Take(ParseRole(get->ColumnText(0)), &writer.role); !st.ok()) {
      return Damaged("change", "#" + std::to_string(winner->seq), st);
    }
    writer.user = get->ColumnString(1);
    change.body = get->ColumnString(2);
  }
  writer.replica = winner->writer_replica;
  change.kind = kind;
  change.record_id = id;
  Result<VersionedRecord> shown = FromChange(change);
  if (!shown.ok()) return Damaged("change", "#" + std::to_string(winner->seq), shown.status());
  PRESENTIE_RETURN_IF_ERROR(
      UpsertShown(db, shown->record, ShownStamp{shown_vv, winner->hlc, &writer}));
  return Applied::kAccepted;
}


// One version of an attendance record held here, as ApplyAttendance reads it.
struct HeldAttendance {
  int64_t seq = 0;
  bool live = false;
  VersionStamp stamp;
  std::string vv_text;
  std::string body;
  Attendance value;
  bool parsed = false;  // value holds the parsed body
};

Status ParseAttendanceBody(std::string_view record_id, HeldAttendance* h) {
  if (h->parsed) return Status::Ok();
  Change change;
  change.kind = RecordKind::kAttendance;
  change.record_id = std::string(record_id);
  change.body = std::move(h->body);
  Result<VersionedRecord> parsed = FromChange(change);
  if (!parsed.ok()) return Damaged("change", "#" + std::to_string(h->seq), parsed.status());
  h->value = std::get<Attendance>(std::move(parsed->record));
  h->parsed = true;
  return Status::Ok();
}

// Reads the versions of attendance `record_id` (only the live ones with
// `live_only`), stamps and bodies, unparsed.
Status ReadHeldAttendance(Database& db, std::string_view record_id, bool live_only,
                          std::vector<HeldAttendance>* out) {
  out->clear();
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement get,
      db.Cached(live_only
                    ? "SELECT seq, live, vv, hlc, writer_replica, writer_role, writer_user, "
                      "open_body(body) "
                      "FROM versions WHERE kind = 'attendance' AND record_id = ?1 AND live = 1"
                    : "SELECT seq, live, vv, hlc, writer_replica, writer_role, writer_user, "
                      "open_body(body) "
                      "FROM versions WHERE kind = 'attendance' AND record_id = ?1"));
  get->BindText(1, record_id);
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, get->Step());
    if (!row) break;
    HeldAttendance h;
    h.seq = get->ColumnInt(0);
    h.live = get->ColumnBool(1);
    h.vv_text = get->ColumnString(2);
    if (Status st = ReadStamp(*get, 2, &h.stamp); !st.ok()) {
      return Damaged("change", "#" + std::to_string(h.seq), st);
    }
    h.body = get->ColumnString(7);
    out->push_back(std::move(h));
  }
  return Status::Ok();
}

// The merged value of `held` (parsed), and its outcome.
std::pair<Attendance, MergeOutcome> MergeHeld(std::span<const HeldAttendance* const> held) {
  std::vector<AttendanceSibling> siblings;
  siblings.reserve(held.size());
  for (const HeldAttendance* h : held) siblings.push_back({&h->value, &h->stamp});
  MergeOutcome outcome = MergeAttendance(siblings);
  return {MergedValue(siblings, outcome), outcome};
}

}  // namespace

Result<SqliteStore::Applied> SqliteStore::ApplyAttendance(Write& w, const VersionedRecord& version,
                                                          const Attendance& a,
                                                          const std::string& id,
                                                          ApplyState& state) {
  Database& db = *db_;
  const VersionStamp& stamp = version.stamp;
  const std::string vv_text = stamp.vv.Encode();
  auto lesson = state.lesson_attendance.find(a.lesson_id);
  if (lesson == state.lesson_attendance.end()) {
    // Attendance ids are "<lesson>/<learner>" and '/' sorts just below '0'.
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement any,
        db.Cached("SELECT 1 FROM versions WHERE kind = 'attendance' AND record_id > ?1 "
                  "AND record_id < ?2 LIMIT 1"));
    any->BindText(1, a.lesson_id + "/");
    any->BindText(2, a.lesson_id + "0");
    PRESENTIE_ASSIGN_OR_RETURN(bool found, any->Step());
    ApplyState::LessonAttendance fresh;
    fresh.none_held = !found;
    lesson = state.lesson_attendance.emplace(a.lesson_id, std::move(fresh)).first;
  }
  std::vector<HeldAttendance> held;
  if (!lesson->second.none_held || lesson->second.appended.contains(a.learner_id)) {
    PRESENTIE_RETURN_IF_ERROR(ReadHeldAttendance(db, id, /*live_only=*/false, &held));
  }
  bool dominated = false;
  std::vector<HeldAttendance*> superseded_by_it;  // versions the received one dominates
  int live_before = 0;
  int live_after = 1;  // the received one
  for (HeldAttendance& h : held) {
    if (h.live) ++live_before;
    if (h.vv_text == vv_text) return Applied::kDuplicate;
    switch (stamp.vv.Compare(h.stamp.vv)) {
      case Ordering::kEqual:
        return Applied::kDuplicate;
      case Ordering::kDominatedBy:
        dominated = true;
        break;
      case Ordering::kDominates:
        superseded_by_it.push_back(&h);
        break;
      case Ordering::kConcurrent:
        if (h.live) ++live_after;
        break;
    }
  }
  if (dominated) return Applied::kDominated;

  // Ownership: what the writer replaced is the merge of the latest versions
  // it dominates (those no other dominated one dominates).
  std::optional<Attendance> superseded;
  {
    std::vector<const HeldAttendance*> latest;
    for (HeldAttendance* h : superseded_by_it) {
      bool is_latest = true;
      for (const HeldAttendance* other : superseded_by_it) {
        if (other != h && other->stamp.vv.Compare(h->stamp.vv) == Ordering::kDominates) {
          is_latest = false;
          break;
        }
      }
      if (!is_latest) continue;
      PRESENTIE_RETURN_IF_ERROR(ParseAttendanceBody(id, h));
      latest.push_back(h);
    }
    if (latest.size() == 1) {
      superseded = latest.front()->value;
    } else if (latest.size() > 1) {
      superseded = MergeHeld(latest).first;
    }
  }
  // That is what the writer replaced only when the versions held here that
  // it dominates make up its whole past: their merged vv is its own less
  // its writer's new event. A version that arrives after a later one is
  // dropped as dominated, so what is held depends on the order of arrival;
  // checked against less than its past, a version (a teacher's edit that
  // keeps the admin's decision) would be refused or taken by that order,
  // and registers holding the same versions would differ. Without its past,
  // only what the version itself shows is checked: its decision's standing
  // for this learner (O.gemeente-classifies, O.school-classifies), as if
  // its own party had set it.
  VersionVector held_past;
  for (const HeldAttendance* h : superseded_by_it) held_past.Merge(h->stamp.vv);
  VersionVector past = stamp.vv;
  past.Set(stamp.writer.replica, past.Get(stamp.writer.replica) - 1);
  const bool past_known = held_past == past;
  auto gemeente = state.gemeente.find(a.learner_id);
  if (gemeente == state.gemeente.end()) {
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<bool> g, GemeenteClassifies(db, a.learner_id));
    gemeente = state.gemeente.emplace(a.learner_id, g).first;
  }
  PRESENTIE_ASSIGN_OR_RETURN(std::string body, EncodeRecordBody(a));
  OwnershipVerdict verdict;
  if (past_known) {
    verdict = CheckAttendanceWrite(stamp.writer.role, superseded, a, gemeente->second);
  } else if (a.decision.has_value()) {
    Attendance undecided = a;
    undecided.decision.reset();
    verdict = CheckAttendanceWrite(a.decision->decided_by, undecided, a, gemeente->second);
  }
  if (!verdict.ok()) {
    PRESENTIE_RETURN_IF_ERROR(
        KeepRefused(RecordKind::kAttendance, id, vv_text, stamp, body, verdict, state));
    return Applied::kRefused;
  }

  for (const HeldAttendance* h : superseded_by_it) {
    if (!h->live) continue;
    PRESENTIE_ASSIGN_OR_RETURN(CachedStatement retire,
                               db.Cached("UPDATE versions SET live = 0 WHERE seq = ?1"));
    retire->BindInt(1, h->seq);
    PRESENTIE_RETURN_IF_ERROR(retire->Run());
  }
  const auto hlc = static_cast<int64_t>(stamp.hlc.Pack());
  PRESENTIE_RETURN_IF_ERROR(w.AppendReceived(ToString(RecordKind::kAttendance), id, vv_text, hlc,
                                             stamp.writer, body, state.source));
  if (lesson->second.none_held) lesson->second.appended.insert(a.learner_id);
  if (live_after > 1) {
    // The live siblings now: those held live that it does not dominate, and
    // itself; merged from what was read above, not read again.
    std::vector<HeldAttendance> live;
    live.reserve(static_cast<size_t>(live_after));
    for (HeldAttendance& h : held) {
      if (h.live && stamp.vv.Compare(h.stamp.vv) == Ordering::kConcurrent) {
        live.push_back(std::move(h));
      }
    }
    HeldAttendance received;
    received.seq = w.last_change();
    received.live = true;
    received.stamp = stamp;
    received.vv_text = vv_text;
    received.value = a;
    received.value.id = id;
    received.parsed = true;
    live.push_back(std::move(received));
    PRESENTIE_RETURN_IF_ERROR(ShowMerged(id, w.last_change(), live));
    return Applied::kAccepted;
  }
  PRESENTIE_RETURN_IF_ERROR(
      UpsertAttendanceRow(db, a, ShownStamp{&vv_text, hlc, &stamp.writer}, SingleMerge(a)));
  if (live_before > 1) {
    PRESENTIE_RETURN_IF_ERROR(SetOpenConflict(db, id, "", 0, "", w.last_change()));
  }
  return Applied::kAccepted;
}

Status SqliteStore::MergeAndShow(const std::string& record_id, int64_t seq) {
  std::vector<HeldAttendance> held;
  PRESENTIE_RETURN_IF_ERROR(ReadHeldAttendance(*db_, record_id, /*live_only=*/true, &held));
  if (held.empty()) return Status::Ok();
  return ShowMerged(record_id, seq, held);
}

Status SqliteStore::ShowMerged(const std::string& record_id, int64_t seq,
                               std::vector<HeldAttendance>& held) {
  Database& db = *db_;
  std::vector<const HeldAttendance*> live;
  VersionVector merged_vv;
  std::vector<std::string_view> vvs;
  std::vector<int64_t> seqs;
  for (HeldAttendance& h : held) {
    PRESENTIE_RETURN_IF_ERROR(ParseAttendanceBody(record_id, &h));
    live.push_back(&h);
    merged_vv.Merge(h.stamp.vv);
    vvs.push_back(h.vv_text);
    seqs.push_back(h.seq);
  }
  auto [value, outcome] = MergeHeld(live);
  const HeldAttendance& facts = *live[static_cast<size_t>(outcome.facts_from)];
  const std::string vv_text = merged_vv.Encode();
  MergeColumns m;
  m.facts_rule = outcome.facts_rule;
  m.absence_rule = outcome.absence_rule;
  m.decision_rule = outcome.decision_rule;
  m.rule_set = outcome.rule_set_version;
  m.conflict = outcome.conflict;
  PRESENTIE_RETURN_IF_ERROR(UpsertAttendanceRow(
      db, value,
      ShownStamp{&vv_text, static_cast<int64_t>(facts.stamp.hlc.Pack()), &facts.stamp.writer},
      m));
  if (outcome.conflict == kConflictNone) {
    return SetOpenConflict(db, record_id, "", 0, "", seq);
  }
  std::sort(seqs.begin(), seqs.end());
  std::string seq_text;
  for (int64_t s : seqs) {
    if (!seq_text.empty()) seq_text += ',';
    seq_text += std::to_string(s);
  }
  return SetOpenConflict(db, record_id, ConflictId(record_id, vvs), outcome.conflict, seq_text,
                         seq);
}

Status SqliteStore::MergePending() {
  // Only after schema step 4 found records to merge: no scan on every open.
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> pending_flag,
                             internal::GetMetaInt(*db_, internal::meta::kMergePending));
  if (!pending_flag.has_value()) return Status::Ok();
  PRESENTIE_ASSIGN_OR_RETURN(
      Statement pending, db_->Prepare("SELECT lesson_id, learner_id FROM attendance "
                                      "WHERE conflict = -1 ORDER BY lesson_id, learner_id"));
  std::vector<std::string> ids;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, pending.Step());
    if (!row) break;
    ids.push_back(AttendanceId(pending.ColumnText(0), pending.ColumnText(1)));
  }
  PRESENTIE_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  PRESENTIE_ASSIGN_OR_RETURN(int64_t last, LastChangeSeq());
  for (const std::string& id : ids) PRESENTIE_RETURN_IF_ERROR(MergeAndShow(id, last));
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement done, db_->Cached("DELETE FROM meta WHERE key = 'merge_pending'"));
  PRESENTIE_RETURN_IF_ERROR(done->Run());
  return txn.Commit();
}

namespace {

Result<Store::ApplyResult> SqliteStore::ApplyRemote(std::string_view source_replica,
                                                    std::span<const VersionedRecord> versions,
                                                    const ApplyOptions& options) {
  if (!ValidateReplicaId(source_replica).ok()) {
    return InvalidArgument(
        "the source of received versions must be a replica id (16 lowercase hex characters)");
  }
  if (source_replica == info_.replica_id) {
    return InvalidArgument("received versions name this register (" + info_.replica_id +
                           ") as their source");
  }
  if (options.pull_cursor.has_value() && *options.pull_cursor < 0) {
    return InvalidArgument("a pull cursor must not be negative");
  }
  if (options.idempotency.has_value() && options.idempotency->id.empty()) {
    return InvalidArgument("an idempotency id must not be empty");
  }
  ApplyState state;
  state.source = std::string(source_replica);
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, Actor{info_.role, ""}));
  // A device pulling from a remote that has acknowledged everything it
  // wrote: the versions appended now came from that remote and never need
  // pushing back, so its pushed cursor moves over them in this transaction.
  // Otherwise the next push would walk them batch by batch only to find
  // nothing to send (seconds after a first pull of a large register).
  std::optional<int64_t> skip_push_from;
  if (options.pull_cursor.has_value()) {
    PRESENTIE_ASSIGN_OR_RETURN(int64_t last, LastChangeSeq());
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement pushed,
        db_->Cached("SELECT pushed FROM remote_cursor WHERE remote_replica = ?1"));
    pushed->BindTextRef(1, state.source);
    PRESENTIE_ASSIGN_OR_RETURN(bool found, pushed->Step());
    if ((found ? pushed->ColumnInt(0) : 0) == last) skip_push_from = last;
  }
  for (const VersionedRecord& version : versions) {
    PRESENTIE_ASSIGN_OR_RETURN(Applied applied, ApplyVersion(w, version, state));
    switch (applied) {
      case Applied::kAccepted:
        ++state.result.accepted;
        break;
      case Applied::kDuplicate:
        ++state.result.duplicate;
        break;
      case Applied::kDominated:
        ++state.result.dominated;
        break;
      case Applied::kRefused:
        ++state.result.refused;
        break;
    }
  }
  std::string summary = "from replica " + state.source + ": " +
                        std::to_string(state.result.accepted) + " accepted, " +
                        std::to_string(state.result.duplicate) + " duplicate, " +
                        std::to_string(state.result.dominated) + " dominated";
  state.result.skewed = state.skewed;
  if (state.skewed > 0) {
    summary += "; " + Plural(state.skewed, "stamp", "stamps") +
               " more than 2 minutes ahead of this clock (not adopted)";
  }
  if (options.pull_cursor.has_value()) {
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement cursor,
        db_->Cached("INSERT INTO remote_cursor (remote_replica, pulled) VALUES (?1, ?2) "
                    "ON CONFLICT (remote_replica) DO UPDATE SET pulled = excluded.pulled"));
    cursor->BindTextRef(1, state.source);
    cursor->BindInt(2, *options.pull_cursor);
    PRESENTIE_RETURN_IF_ERROR(cursor->Run());
    summary += "; pull cursor " + std::to_string(*options.pull_cursor);
  }
  if (skip_push_from.has_value()) {
    PRESENTIE_ASSIGN_OR_RETURN(int64_t last, LastChangeSeq());
    if (last > *skip_push_from) {
      PRESENTIE_ASSIGN_OR_RETURN(
          CachedStatement cursor,
          db_->Cached("INSERT INTO remote_cursor (remote_replica, pushed) VALUES (?1, ?2) "
                      "ON CONFLICT (remote_replica) DO UPDATE SET pushed = excluded.pushed"));
      cursor->BindTextRef(1, state.source);
      cursor->BindInt(2, last);
      PRESENTIE_RETURN_IF_ERROR(cursor->Run());
    }
  }
  if (options.idempotency.has_value()) {
    const IdempotencyRecord& record = *options.idempotency;
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement insert,
        db_->Cached("INSERT INTO idempotency (id, request_hash, accepted, duplicate, dominated, "
                    "acknowledged_seq, at_ms, refused) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    insert->BindTextRef(1, record.id);
    insert->BindTextRef(2, record.request_hash);
    insert->BindInt(3, state.result.accepted);
    insert->BindInt(4, state.result.duplicate);
    insert->BindInt(5, state.result.dominated);
    insert->BindInt(6, record.acknowledged_seq);
    insert->BindInt(7, static_cast<int64_t>(NowMs()));
    insert->BindInt(8, state.result.refused);
    Status inserted = insert->Run();
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists("a push with idempotency id '" + record.id + "' is already stored");
    }
    PRESENTIE_RETURN_IF_ERROR(inserted);
    summary += "; push " + record.id;
  }
  PRESENTIE_RETURN_IF_ERROR(w.Commit("sync.apply", std::move(summary)));
  return state.result;
}

Result<std::optional<Store::IdempotencyRecord>> SqliteStore::GetIdempotency(std::string_view id) {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement get,
      db_->Cached("SELECT request_hash, accepted, duplicate, dominated, acknowledged_seq, "
                  "refused FROM idempotency WHERE id = ?1"));
  get->BindText(1, id);
  PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
  if (!found) return std::optional<IdempotencyRecord>();
  IdempotencyRecord r;
  r.id = std::string(id);
  r.request_hash = get->ColumnString(0);
  r.result.accepted = static_cast<uint32_t>(get->ColumnInt(1));
  r.result.duplicate = static_cast<uint32_t>(get->ColumnInt(2));
  r.result.dominated = static_cast<uint32_t>(get->ColumnInt(3));
  r.acknowledged_seq = get->ColumnInt(4);
  r.result.refused = static_cast<uint32_t>(get->ColumnInt(5));
  return std::optional<IdempotencyRecord>(std::move(r));
}

Result<int64_t> SqliteStore::ForgetIdempotencyBefore(uint64_t before_ms) {
  PRESENTIE_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement forget,
                             db_->Cached("DELETE FROM idempotency WHERE at_ms < ?1"));
  forget->BindInt(1, static_cast<int64_t>(std::min<uint64_t>(before_ms, std::numeric_limits<int64_t>::max())));
  PRESENTIE_RETURN_IF_ERROR(forget->Run());
  const int64_t forgotten = db_->Changes();
  PRESENTIE_RETURN_IF_ERROR(txn.Commit());
  return forgotten;
}

Result<Store::RemoteCursor> SqliteStore::GetCursor(std::string_view remote_replica) {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement get,
      db_->Cached("SELECT pulled, pushed FROM remote_cursor WHERE remote_replica = ?1"));
  get->BindText(1, remote_replica);
  PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
  RemoteCursor cursor;
  if (found) {
    cursor.pulled = get->ColumnInt(0);
    cursor.pushed = get->ColumnInt(1);
  }
  return cursor;
}

Result<std::optional<Store::PendingBatch>> SqliteStore::GetPendingBatch(
    std::string_view remote_replica) {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement get,
      db_->Cached("SELECT idempotency_id, first_seq, last_seq FROM pending_batch "
                  "WHERE remote_replica = ?1"));
  get->BindText(1, remote_replica);
  PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
  if (!found) return std::optional<PendingBatch>();
  return std::optional<PendingBatch>(
      PendingBatch{get->ColumnString(0), get->ColumnInt(1), get->ColumnInt(2)});
}

Status SqliteStore::PutPendingBatch(std::string_view remote_replica, const PendingBatch& batch) {
  if (!ValidateReplicaId(remote_replica).ok()) {
    return InvalidArgument("a pending batch belongs to a remote replica id (16 lowercase hex)");
  }
  if (batch.idempotency_id.empty()) return InvalidArgument("a push batch needs an idempotency id");
  if (batch.first_seq < 1 || batch.last_seq < batch.first_seq) {
    return InvalidArgument("a push batch's change-log range must be first_seq 1.. <= last_seq");
  }
  PRESENTIE_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement insert,
      db_->Cached("INSERT INTO pending_batch (remote_replica, idempotency_id, first_seq, last_seq) "
                  "VALUES (?1, ?2, ?3, ?4)"));
  insert->BindText(1, remote_replica);
  insert->BindTextRef(2, batch.idempotency_id);
  insert->BindInt(3, batch.first_seq);
  insert->BindInt(4, batch.last_seq);
  Status inserted = insert->Run();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return AlreadyExists("a push batch for remote " + std::string(remote_replica) +
                         " is already pending; acknowledge it first");
  }
  PRESENTIE_RETURN_IF_ERROR(inserted);
  return txn.Commit();
}

Status SqliteStore::AcknowledgeBatch(std::string_view remote_replica,
                                     std::string_view idempotency_id) {
  PRESENTIE_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  int64_t last_seq = 0;
  {
    PRESENTIE_ASSIGN_OR_RETURN(CachedStatement get,
                               db_->Cached("SELECT idempotency_id, last_seq FROM pending_batch "
                                           "WHERE remote_replica = ?1"));
    get->BindText(1, remote_replica);
    PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
    if (!found || get->ColumnText(0) != idempotency_id) {
      return NotFound("no push batch with idempotency id '" + std::string(idempotency_id) +
                      "' is pending for remote " + std::string(remote_replica));
    }
    last_seq = get->ColumnInt(1);
  }
  {
    PRESENTIE_ASSIGN_OR_RETURN(CachedStatement remove,
                               db_->Cached("DELETE FROM pending_batch WHERE remote_replica = ?1"));
    remove->BindText(1, remote_replica);
    PRESENTIE_RETURN_IF_ERROR(remove->Run());
  }
  {
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement cursor,
        db_->Cached("INSERT INTO remote_cursor (remote_replica, pushed) VALUES (?1, ?2) "
                    "ON CONFLICT (remote_replica) DO UPDATE SET pushed = excluded.pushed"));
    cursor->BindText(1, remote_replica);
    cursor->BindInt(2, last_seq);
    PRESENTIE_RETURN_IF_ERROR(cursor->Run());
  }
  return txn.Commit();
}

Status SqliteStore::DropPendingBatch(std::string_view remote_replica,
                                     std::string_view idempotency_id) {
  PRESENTIE_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db_));
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement remove,
      db_->Cached("DELETE FROM pending_batch WHERE remote_replica = ?1 AND idempotency_id = ?2"));
  remove->BindText(1, remote_replica);
  remove->BindText(2, idempotency_id);
  PRESENTIE_RETURN_IF_ERROR(remove->Run());
  if (db_->Changes() != 1) {
    return NotFound("no push batch with idempotency id '" + std::string(idempotency_id) +
                    "' is pending for remote " + std::string(remote_replica));
  }
  return txn.Commit();
}

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
        merge->BindText(2, slash == std::string::npos ? std::string_view()
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
  PRESENTIE_ASSIGN_OR_RETURN(
      Statement open, db_->Prepare("SELECT id, record_id, kinds FROM conflict "
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

Status SqliteStore::PutRemote(const Remote& remote) {
  PRESENTIE_RETURN_IF_ERROR(ValidateRemote(remote));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, Actor{info_.role, ""}));
  PRESENTIE_ASSIGN_OR_RETURN(bool known,
                             Exists(*db_, "SELECT 1 FROM remote WHERE name = ?1", remote.name));
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement put,
      db_->Cached("INSERT INTO remote (name, url, token_file, ca_file, cert_file, key_file) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO UPDATE SET "
                  "url = excluded.url, token_file = excluded.token_file, "
                  "ca_file = excluded.ca_file, cert_file = excluded.cert_file, "
                  "key_file = excluded.key_file"));
  put->BindTextRef(1, remote.name);
  put->BindTextRef(2, remote.url);
  put->BindTextRef(3, remote.token_file);
  put->BindTextRef(4, remote.ca_file);
  put->BindTextRef(5, remote.cert_file);
  put->BindTextRef(6, remote.key_file);
  PRESENTIE_RETURN_IF_ERROR(put->Run());
  // Where the register's data goes is worth an audit entry; the URL carries
  // no credentials (ValidateRemote).
  return w.Commit("remote.put", Quoted("remote", remote.name) + (known ? " changed" : " added") +
                                    ": " + remote.url);
}

// name, url, token_file, ca_file, cert_file, key_file from column 0 on.
Store::Remote ReadRemote(const Statement& s) {
  return Store::Remote{s.ColumnString(0), s.ColumnString(1), s.ColumnString(2),
                       s.ColumnString(3), s.ColumnString(4), s.ColumnString(5)};
}

Result<std::vector<Store::Remote>> SqliteStore::ListRemotes() {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement list,
      db_->Cached("SELECT name, url, token_file, ca_file, cert_file, key_file FROM remote "
                  "ORDER BY name"));
  std::vector<Remote> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, list->Step());
    if (!row) break;
    out.push_back(ReadRemote(*list));
  }
  return out;
}

Status SqliteStore::RemoveRemote(std::string_view name) {
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, Actor{info_.role, ""}));
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement remove,
                             db_->Cached("DELETE FROM remote WHERE name = ?1"));
  remove->BindText(1, name);
  PRESENTIE_RETURN_IF_ERROR(remove->Run());
  if (db_->Changes() == 0) return NotFound(Quoted("remote", name) + " is not configured");
  // The cursors stay: they belong to the remote's replica, not to its name,
  // and a remote added again resumes where it was.
  return w.Commit("remote.remove", Quoted("remote", name) + " removed");
}

// "<what>s: <n> new, <n> changed, <n> unchanged": an audit summary, counts
// only (the rows hold BSNs).
std::string CountsText(std::string_view what, const Store::SubmitResult& r) {
  return std::string(what) + "s: " + std::to_string(r.added) + " new, " +
         std::to_string(r.changed) + " changed, " + std::to_string(r.unchanged) + " unchanged";
}

// kPermissionDenied with the rule's words when `verdict` refuses a writer
// of `role`, naming the register's role; Ok otherwise.
Status Permitted(const OwnershipVerdict& verdict, Role role) {
  if (verdict.ok()) return Status::Ok();
  return PermissionDenied(verdict.detail + " (this is a " + std::string(ToString(role)) +
                          " register)");
}

template <typename Row>
Status SqliteStore::WriteRows(Write& w, RecordKind kind, std::span<const Row> rows,
                              std::string_view what, SubmitResult* result) {
  for (const Row& h : rows) {
    // Unqualified: found by argument (exports:: for submissions, presentie::
    // for a qualification).
    if (Status s = Validate(h); !s.ok()) return s.WithContext("nothing was written");
  }
  std::unordered_set<std::string> seen;
  for (const Row& h : rows) {
    if (!seen.insert(h.id).second) {
      return InvalidArgument(Quoted(what, h.id) + " is listed twice; nothing was written");
    }
    PRESENTIE_ASSIGN_OR_RETURN(auto shown, ReadShown(kind, h.id));
    if (shown.has_value()) {
      if (std::get<Row>(shown->first) == h) {
        ++result->unchanged;
        continue;
      }
      ++result->changed;
    } else {
      ++result->added;
    }
    PRESENTIE_ASSIGN_OR_RETURN(std::vector<VersionVector> siblings, LiveVvs(*db_, kind, h.id));
    PRESENTIE_ASSIGN_OR_RETURN(std::string body, internal::EncodeBody(h));
    PRESENTIE_ASSIGN_OR_RETURN(NewVersion v, w.AppendVersion(kind, h.id, body, siblings));
    PRESENTIE_RETURN_IF_ERROR(UpsertRow(*db_, h, ShownStamp{&v.vv, v.hlc, &w.writer()}));
  }
  return Status::Ok();
}

Result<Store::GemeenteSubmitResult> SqliteStore::SubmitGemeente(
    const Actor& actor, std::span<const exports::GemeenteHours> hours,
    std::span<const exports::GemeenteAbsence> absences) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  GemeenteSubmitResult result;
  PRESENTIE_RETURN_IF_ERROR(
      WriteRows(w, RecordKind::kGemeenteHours, hours, "gemeente row", &result.hours));
  PRESENTIE_RETURN_IF_ERROR(
      WriteRows(w, RecordKind::kGemeenteAbsence, absences, "absence", &result.absences));
  if (result.hours.added + result.hours.changed + result.absences.added +
          result.absences.changed ==
      0) {
    return result;  // rolls back: nothing written
  }
  // The absences' counts only when some were passed.
  std::string summary = CountsText("gemeente row", result.hours);
  if (!absences.empty()) summary += "; " + CountsText("absence", result.absences);
  PRESENTIE_RETURN_IF_ERROR(w.Commit("submit.gemeente", summary));
  return result;
}

Result<Store::SubmitResult> SqliteStore::DecideAbsences(
    const Actor& actor, std::span<const exports::GemeenteDecision> decisions) {
  if (actor.role != Role::kGemeente) {
    return PermissionDenied("only a gemeente decides on its residents' absences (this is a " +
                            std::string(ToString(actor.role)) + " register)");
  }
  for (const exports::GemeenteDecision& d : decisions) {
    if (Status s = exports::Validate(d); !s.ok()) return s.WithContext("nothing was decided");
    // Only an absence the school sent here, and not withdrawn since.
    PRESENTIE_ASSIGN_OR_RETURN(
        auto absence,
        ReadShown(RecordKind::kGemeenteAbsence,
                  exports::GemeenteAbsenceId(d.gemeente_code, d.lesson_id, d.learner_id)));
    const std::string name = AttendanceId(d.lesson_id, d.learner_id);
    if (!absence.has_value()) {
      return NotFound(Quoted("absence", name) + " of gemeente " + d.gemeente_code +
                      " was not received here; nothing was decided");
    }
    if (std::get<exports::GemeenteAbsence>(absence->first).minutes_absent == 0) {
      return FailedPrecondition(Quoted("absence", name) +
                                " was withdrawn by the school; nothing was decided");
    }
  }
  return WriteAll(actor, RecordKind::kGemeenteDecision, decisions, "decision",
                  "decide.gemeente");
}

Result<Store::SubmitResult> SqliteStore::SubmitDuoHours(
    const Actor& actor, std::span<const exports::DuoHours> rows) {
  PRESENTIE_ASSIGN_OR_RETURN(DuoSubmitResult r, SubmitDuo(actor, rows, {}));
  return r.hours;
}

Result<Store::DuoSubmitResult> SqliteStore::SubmitDuo(
    const Actor& actor, std::span<const exports::DuoHours> hours,
    std::span<const exports::DuoAbsence> absences) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  DuoSubmitResult result;
  PRESENTIE_RETURN_IF_ERROR(WriteRows(w, RecordKind::kDuoHours, hours, "DUO row", &result.hours));
  PRESENTIE_RETURN_IF_ERROR(
      WriteRows(w, RecordKind::kDuoAbsence, absences, "DUO absence", &result.absences));
  if (result.hours.added + result.hours.changed + result.absences.added +
          result.absences.changed ==
      0) {
    return result;  // rolls back: nothing written
  }
  std::string summary = CountsText("DUO row", result.hours);
  if (!absences.empty()) summary += "; " + CountsText("DUO absence", result.absences);
  PRESENTIE_RETURN_IF_ERROR(w.Commit("submit.duo", summary));
  return result;
}

Result<Store::SubmitResult> SqliteStore::RecordExamResults(
    const Actor& actor, std::span<const exports::DuoExamResult> results) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckExamResultWrite(actor.role), actor.role));
  return WriteAll(actor, RecordKind::kDuoExamResult, results, "exam result", "exam.record");
}

Result<Store::SubmitResult> SqliteStore::RecordQualifications(
    const Actor& actor, std::span<const Qualification> qualifications) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckQualificationWrite(actor.role), actor.role));
  return WriteAll(actor, RecordKind::kQualification, qualifications, "qualification",
                  "qualification.add");
}

Result<std::vector<Qualification>> SqliteStore::ListQualifications() {
  return ListRows<Qualification>("qualification", kQualificationColumns, ReadQualification,
                                 "qualification");
}

Result<Store::BowSubmitResult> SqliteStore::SubmitBow(
    const Actor& actor, std::span<const exports::BowPlanning> planning,
    std::span<const exports::BowQualification> qualifications) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  BowSubmitResult result;
  PRESENTIE_RETURN_IF_ERROR(
      WriteRows(w, RecordKind::kBowPlanning, planning, "course planning", &result.planning));
  PRESENTIE_RETURN_IF_ERROR(WriteRows(w, RecordKind::kBowQualification, qualifications,
                                      "BoW qualification", &result.qualifications));
  if (result.planning.added + result.planning.changed + result.qualifications.added +
          result.qualifications.changed ==
      0) {
    return result;  // rolls back: nothing written
  }
  PRESENTIE_RETURN_IF_ERROR(w.Commit("submit.bow", CountsText("course planning", result.planning) +
                                                       "; " +
                                                       CountsText("qualification",
                                                                  result.qualifications)));
  return result;
}

Result<std::vector<exports::BowPlanning>> SqliteStore::ListBowPlanning() {
  return ListRows<exports::BowPlanning>("bow_planning", kBowPlanningColumns, ReadBowPlanning,
                                        "course planning");
}

Result<std::vector<exports::BowQualification>> SqliteStore::ListBowQualifications() {
  return ListRows<exports::BowQualification>("bow_qualification", kBowQualificationColumns,
                                             ReadBowQualification, "BoW qualification");
}

template <typename Row>
Result<Store::SubmitResult> SqliteStore::WriteAll(const Actor& actor, RecordKind kind,
                                                  std::span<const Row> rows,
                                                  std::string_view what,
                                                  std::string_view action) {
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  SubmitResult result;
  PRESENTIE_RETURN_IF_ERROR(WriteRows(w, kind, rows, what, &result));
  if (result.added + result.changed == 0) return result;
  PRESENTIE_RETURN_IF_ERROR(w.Commit(action, CountsText(what, result)));
  return result;
}

template <typename Row>
Result<Store::SubmitResult> SqliteStore::SetForResidents(const Actor& actor,
                                                         std::span<const Row> rows,
                                                         RecordKind kind, std::string_view what,
                                                         std::string_view action) {
  if (actor.role != Role::kGemeente) {
    return PermissionDenied("only a gemeente sets its residents' " + std::string(what) +
                            " (this is a " + std::string(ToString(actor.role)) + " register)");
  }
  for (const Row& r : rows) {
    if (Status st = exports::Validate(r); !st.ok()) return st.WithContext("nothing was set");
    // Only for a learner a school submitted hours of here, for this gemeente.
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement known,
        db_->Cached("SELECT EXISTS (SELECT 1 FROM gemeente_hours WHERE learner_id = ?1 AND "
                    "gemeente_code = ?2)"));
    known->BindTextRef(1, r.learner_id);
    known->BindTextRef(2, r.gemeente_code);
    PRESENTIE_ASSIGN_OR_RETURN(bool row, known->Step());
    if (!row || !known->ColumnBool(0)) {
      return NotFound(Quoted("learner", r.learner_id) + " of gemeente " + r.gemeente_code +
                      ": no school has submitted hours of this learner here; nothing was set");
    }
  }
  return WriteAll(actor, kind, rows, what, action);
}

Result<Store::SubmitResult> SqliteStore::SetPips(const Actor& actor,
                                                 std::span<const exports::GemeentePip> pips) {
  return SetForResidents(actor, pips, RecordKind::kGemeentePip, "PIP", "pip.set");
}

Result<Store::SubmitResult> SqliteStore::SetNaws(const Actor& actor,
                                                 std::span<const exports::GemeenteNaw> naws) {
  return SetForResidents(actor, naws, RecordKind::kGemeenteNaw, "NAW data", "naw.set");
}

Result<std::vector<exports::GemeenteNaw>> SqliteStore::ListNaws() {
  return ListRows<exports::GemeenteNaw>("gemeente_naw", kGemeenteNawColumns, ReadGemeenteNaw,
                                        "NAW data");
}

Result<std::optional<exports::GemeenteNaw>> SqliteStore::NawFor(const Learner& learner) {
  return NawOf(*db_, learner);
}

Result<std::vector<exports::GemeentePip>> SqliteStore::ListPips() {
  return ListRows<exports::GemeentePip>("gemeente_pip", kGemeentePipColumns, ReadGemeentePip,
                                        "PIP");
}

Result<std::optional<exports::GemeentePip>> SqliteStore::PipFor(const Learner& learner) {
  return PipOf(*db_, learner);
}

Result<Store::SubmitResult> SqliteStore::RecordDuties(const Actor& actor,
                                                      std::span<const exports::DuoDuty> duties) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckDutyWrite(actor.role), actor.role));
  return WriteAll(actor, RecordKind::kDuoDuty, duties, "duty status", "duty.record");
}

Result<std::vector<exports::DuoDuty>> SqliteStore::ListDuties() {
  return ListRows<exports::DuoDuty>("duo_duty", kDuoDutyColumns, ReadDuoDuty, "duty status");
}

namespace {
// The learner with this id; kNotFound naming `what` when there is none here.
Result<Learner> LearnerFor(Store& store, std::string_view learner_id, std::string_view what) {
  Result<Learner> learner = store.GetLearner(learner_id);
  if (!learner.ok() && learner.status().code() == StatusCode::kNotFound) {
    return NotFound(std::string(what) + ": " + learner.status().message() +
                    "; nothing was written");
  }
  return learner;
}
}  // namespace

Result<Store::SubmitResult> SqliteStore::RecordContracts(
    const Actor& actor, std::vector<exports::Contract> contracts) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  for (exports::Contract& c : contracts) {
    PRESENTIE_ASSIGN_OR_RETURN(Learner learner,
                               LearnerFor(*this, c.learner_id, Quoted("contract", c.id)));
    c.bsn = learner.bsn;
  }
  return WriteAll(actor, RecordKind::kContract, std::span<const exports::Contract>(contracts),
                  "contract", "contract.add");
}

Result<std::vector<exports::Contract>> SqliteStore::ListContracts() {
  return ListRows<exports::Contract>("contract", kContractColumns, ReadContract, "contract");
}

Result<Store::SubmitResult> SqliteStore::RecordInvoices(const Actor& actor,
                                                        std::vector<exports::Invoice> invoices) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  for (exports::Invoice& i : invoices) {
    const std::string what = Quoted("invoice", i.id);
    PRESENTIE_ASSIGN_OR_RETURN(auto contract, ReadShown(RecordKind::kContract, i.contract_id));
    if (!contract.has_value()) {
      return NotFound(what + ": " + Quoted("contract", i.contract_id) +
                      " does not exist; nothing was written");
    }
    const auto& c = std::get<exports::Contract>(contract->first);
    PRESENTIE_ASSIGN_OR_RETURN(Learner learner, LearnerFor(*this, c.learner_id, what));
    if (Recipients(DataItem::kInvoice, learner).empty()) {
      return FailedPrecondition(
          what + ": learner '" + learner.id +
          "' is an asylum permit holder under Wi2021, whose course the gemeente contracts: R1 "
          "sends such an invoice to no authority, so it is not kept here (invoice the gemeente "
          "as your contract with it says); nothing was written");
    }
    i.learner_id = c.learner_id;
    i.bsn = learner.bsn;
  }
  return WriteAll(actor, RecordKind::kInvoice, std::span<const exports::Invoice>(invoices),
                  "invoice", "invoice.add");
}

Result<std::vector<exports::Invoice>> SqliteStore::ListInvoices() {
  return ListRows<exports::Invoice>("invoice", kInvoiceColumns, ReadInvoice, "invoice");
}

Result<Store::SubmitResult> SqliteStore::RecordDiplomas(
    const Actor& actor, std::vector<exports::BridgingDiploma> diplomas) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckSubmissionWrite(actor.role), actor.role));
  for (exports::BridgingDiploma& d : diplomas) {
    const std::string what = "the bridging diploma of learner '" + d.learner_id + "'";
    PRESENTIE_ASSIGN_OR_RETURN(Learner learner, LearnerFor(*this, d.learner_id, what));
    if (learner.regime != Regime::kWi2021 || learner.route != Route::kEducation) {
      return FailedPrecondition(what + ": the learner is not on the onderwijsroute (Wi2021, "
                                "route O), the one route a bridging diploma completes; nothing "
                                "was written");
    }
    const EndpointSet to = Recipients(DataItem::kBridgingDiploma, learner);
    d.gemeente_code = to.contains(Endpoint::kGemeente) ? learner.gemeente_code : "";
    d.id = exports::BridgingDiplomaId(d.learner_id, d.gemeente_code);
    d.bsn = learner.bsn;
  }
  return WriteAll(actor, RecordKind::kBridgingDiploma,
                  std::span<const exports::BridgingDiploma>(diplomas), "bridging diploma",
                  "diploma.add");
}

Result<std::vector<exports::BridgingDiploma>> SqliteStore::ListDiplomas() {
  return ListRows<exports::BridgingDiploma>("bridging_diploma", kBridgingDiplomaColumns,
                                            ReadBridgingDiploma, "bridging diploma");
}

Result<std::vector<exports::DuoExamResult>> SqliteStore::ListExamResults() {
  return ListRows<exports::DuoExamResult>("duo_exam_result", kDuoExamResultColumns,
                                          ReadDuoExamResult, "exam result");
}

Result<bool> SqliteStore::ReceivedAnyFrom(RecordKind kind, std::string_view id_prefix,
                                          std::string_view replica) {
  // Ids are plain keys joined by '/', which sorts just below '0': the ids
  // that start with "p/" are exactly those in ("p/", "p0").
  std::string upper(id_prefix);
  if (upper.empty() || upper.back() != '/') return InvalidArgument("an id prefix ends in '/'");
  upper.back() = '0';
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement get,
      db_->Cached("SELECT EXISTS (SELECT 1 FROM versions WHERE kind = ?1 AND record_id > ?2 "
                  "AND record_id < ?3 AND received_from = ?4)"));
  get->BindStaticText(1, ToString(kind));
  get->BindText(2, id_prefix);
  get->BindText(3, upper);
  get->BindText(4, replica);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, get->Step());
  return row && get->ColumnBool(0);
}

Result<std::vector<exports::DuoAbsence>> SqliteStore::ListDuoAbsences() {
  return ListRows<exports::DuoAbsence>("duo_absence", kDuoAbsenceColumns, ReadDuoAbsence,
                                       "DUO absence");
}

Result<Store::SubmitResult> SqliteStore::SubmitGemeenteHours(
    const Actor& actor, std::span<const exports::GemeenteHours> rows) {
  PRESENTIE_ASSIGN_OR_RETURN(GemeenteSubmitResult r, SubmitGemeente(actor, rows, {}));
  return r.hours;
}

template <typename Row>
Result<std::vector<Row>> SqliteStore::ListRows(std::string_view table, std::string_view columns,
                                               Status (*read)(const Statement&, int, Row*),
                                               std::string_view what) {
  PRESENTIE_ASSIGN_OR_RETURN(
      Statement list, db_->Prepare(Sql("SELECT ", columns, Sql(" FROM ", table, " ORDER BY id"))));
  std::vector<Row> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) break;
    Row h;
    if (Status s = read(list, 0, &h); !s.ok()) return Damaged(what, list.ColumnText(0), s);
    out.push_back(std::move(h));
  }
  return out;
}

Result<bool> SqliteStore::ReceivedFrom(RecordKind kind, std::string_view id,
                                       std::string_view replica) {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement get,
      db_->Cached("SELECT EXISTS (SELECT 1 FROM versions "
                  "WHERE kind = ?1 AND record_id = ?2 AND received_from = ?3)"));
  get->BindStaticText(1, ToString(kind));
  get->BindText(2, id);
  get->BindText(3, replica);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, get->Step());
  return row && get->ColumnBool(0);
}

Result<std::vector<exports::GemeenteAbsence>> SqliteStore::ListGemeenteAbsences() {
  return ListRows<exports::GemeenteAbsence>("gemeente_absence", kGemeenteAbsenceColumns,
                                            ReadGemeenteAbsence, "absence");
}

Result<std::vector<exports::GemeenteDecision>> SqliteStore::ListGemeenteDecisions() {
  return ListRows<exports::GemeenteDecision>("gemeente_decision", kGemeenteDecisionColumns,
                                             ReadGemeenteDecision, "decision");
}

Result<std::vector<exports::GemeenteHours>> SqliteStore::ListGemeenteHours() {
  return ListRows<exports::GemeenteHours>("gemeente_hours", kGemeenteHoursColumns,
                                          ReadGemeenteHours, "gemeente row");
}

Result<std::vector<exports::DuoHours>> SqliteStore::ListDuoHours() {
  return ListRows<exports::DuoHours>("duo_hours", kDuoHoursColumns, ReadDuoHours, "DUO row");
}

Status SqliteStore::NoteSyncOutcome(std::string_view name, const SyncOutcome& outcome) {
  // An error message is for a person; a runaway one is cut, not stored whole.
  constexpr size_t kMaxErrorBytes = 1000;
  std::string error = outcome.error.substr(0, kMaxErrorBytes);
  if (!outcome.ok && error.empty()) error = "failed";
  PRESENTIE_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(*db_));
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement note,
      db_->Cached("UPDATE remote SET "
                  "replica_id = CASE WHEN ?2 = '' THEN replica_id ELSE ?2 END, "
                  "role = CASE WHEN ?2 = '' THEN role ELSE ?3 END, "
                  "gemeente_code = CASE WHEN ?2 = '' THEN gemeente_code ELSE ?7 END, "
                  "last_ok_ms = CASE WHEN ?4 THEN ?5 ELSE last_ok_ms END, "
                  "last_error_ms = CASE WHEN ?4 THEN last_error_ms ELSE ?5 END, "
                  "last_error = CASE WHEN ?4 THEN last_error ELSE ?6 END "
                  "WHERE name = ?1"));
  note->BindText(1, name);
  note->BindTextRef(2, outcome.remote_replica);
  note->BindText(3, ToString(outcome.remote_role));
  note->BindBool(4, outcome.ok);
  note->BindInt(5, static_cast<int64_t>(NowMs()));
  note->BindTextRef(6, error);
  note->BindTextRef(7, outcome.remote_gemeente);
  PRESENTIE_RETURN_IF_ERROR(note->Run());
  if (db_->Changes() == 0) return NotFound(Quoted("remote", name) + " is not configured");
  return txn.Commit();
}

Result<std::vector<Store::RemoteStatus>> SqliteStore::RemoteStatuses() {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement list,
      db_->Cached("SELECT name, url, token_file, ca_file, cert_file, key_file, replica_id, role, "
                  "last_ok_ms, last_error_ms, last_error, gemeente_code FROM remote "
                  "ORDER BY name"));
  std::vector<RemoteStatus> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, list->Step());
    if (!row) break;
    RemoteStatus st;
    st.remote = ReadRemote(*list);
    st.replica_id = list->ColumnString(6);
    if (!list->ColumnText(7).empty()) {
      Role role = Role::kHub;
      PRESENTIE_RETURN_IF_ERROR(Take(ParseRole(list->ColumnText(7)), &role));
      st.role = role;
    }
    if (!list->ColumnIsNull(8)) st.last_ok_ms = static_cast<uint64_t>(list->ColumnInt(8));
    if (!list->ColumnIsNull(9)) st.last_error_ms = static_cast<uint64_t>(list->ColumnInt(9));
    st.last_error = list->ColumnString(10);
    st.gemeente_code = list->ColumnString(11);
    out.push_back(std::move(st));
  }
  for (RemoteStatus& st : out) {
    if (!st.replica_id.empty()) {
      PRESENTIE_ASSIGN_OR_RETURN(st.cursor, GetCursor(st.replica_id));
      PRESENTIE_ASSIGN_OR_RETURN(std::optional<PendingBatch> pending,
                                 GetPendingBatch(st.replica_id));
      st.batch_pending = pending.has_value();
    }
    // What the engine will push (sync/engine.cc, VersionsIn): every version
    // after the pushed cursor that did not come from the remote and that the
    // remote's role is sent (SentTo). A remote holds a record's version that
    // is at or before the pushed cursor, or that came from it. With no
    // replica id yet, everything waits.
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement waiting,
        db_->Cached("SELECT v.kind, v.record_id, "
                    "  EXISTS (SELECT 1 FROM versions o "
                    "          WHERE o.kind = v.kind AND o.record_id = v.record_id "
                    "            AND (o.seq <= ?1 OR (?2 != '' AND o.received_from = ?2))) "
                    "FROM versions v "
                    "WHERE v.seq > ?1 AND (?2 = '' OR v.received_from != ?2)"));
    waiting->BindInt(1, st.cursor.pushed);
    waiting->BindTextRef(2, st.replica_id);
    std::map<RecordKind, RemoteStatus::Waiting> by_kind;
    for (;;) {
      PRESENTIE_ASSIGN_OR_RETURN(bool row, waiting->Step());
      if (!row) break;
      RecordKind kind = RecordKind::kLearner;
      PRESENTIE_RETURN_IF_ERROR(Take(ParseRecordKind(waiting->ColumnText(0)), &kind));
      if (st.role.has_value() &&
          !SentTo(*st.role, st.gemeente_code, kind, waiting->ColumnText(1))) {
        continue;  // the remote's role is never sent it: it does not wait
      }
      RemoteStatus::Waiting& w = by_kind[kind];
      w.kind = kind;
      ++w.versions;
      if (waiting->ColumnBool(2)) ++w.corrections;
    }
    for (const auto& [kind, w] : by_kind) st.waiting.push_back(w);
  }
  return out;
}

Status SqliteStore::SetGemeenteCode(const Actor& actor, std::string_view code) {
  if (info_.role != Role::kGemeente || actor.role != Role::kGemeente) {
    return PermissionDenied("only a gemeente's register serves a gemeente code (this is a " +
                            std::string(ToString(info_.role)) + " register)");
  }
  PRESENTIE_RETURN_IF_ERROR(ValidateGemeenteCode(code));
  if (info_.gemeente_code == code) return Status::Ok();
  if (!info_.gemeente_code.empty()) {
    return FailedPrecondition("this register holds gemeente " + info_.gemeente_code +
                              "'s data; it cannot be served as gemeente " + std::string(code) +
                              "'s endpoint");
  }
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db_, internal::meta::kGemeenteCode, code));
  PRESENTIE_RETURN_IF_ERROR(w.Commit("config.set", "gemeente code set to " + std::string(code)));
  info_.gemeente_code = std::string(code);
  return Status::Ok();
}

Status SqliteStore::SetBowNumber(const Actor& actor, std::string_view number) {
  if (actor.role != Role::kAdmin) {
    return PermissionDenied("only the school admin sets the BoW number (this is a " +
                            std::string(ToString(actor.role)) + " register)");
  }
  PRESENTIE_RETURN_IF_ERROR(ValidateBowNumber(number));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db_, internal::meta::kBowNumber, number));
  PRESENTIE_RETURN_IF_ERROR(
      w.Commit("config.set", "BoW number set to " + std::string(number)));
  info_.bow_number = std::string(number);
  return Status::Ok();
}

Status SqliteStore::LogExport(const Actor& actor, std::string_view action, std::string summary) {
  if (actor.role != Role::kAdmin) {
    return PermissionDenied("only the school admin hands files to the authorities (this is a " +
                            std::string(ToString(actor.role)) + " register)");
  }
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  return w.Commit(action, std::move(summary));
}

// Rewrites the file so that no freed page keeps an old value (the plaintext
// before schema step 10 sealed it, a value sealed under a replaced key), and
// empties the WAL that held the pages before.
Status PurgeFreedPages(Database& db) {
  PRESENTIE_RETURN_IF_ERROR(db.Exec("VACUUM"));
  return db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Status SqliteStore::RotateKey(const Actor& actor) {
  const internal::KeySource source = internal::ResolveKeySource(db_->path(), options_.key_file);
  if (source.file.empty()) {
    return FailedPrecondition(
        "the register's key is in PRESENTIE_KEY, which presentie cannot replace; put the key in "
        "a file (mode 0600), name it in PRESENTIE_KEY_FILE, and rotate again");
  }
  // 1. The new key, durable before anything is sealed with it.
  const std::string next = internal::NextKeyFile(source.file);
  internal::RegisterKey key = internal::NewKey();
  PRESENTIE_RETURN_IF_ERROR(internal::ReplaceKeyFile(next, key));
  const internal::Sealer sealer(key);
  sodium_memzero(key.data(), key.size());
  PRESENTIE_RETURN_IF_ERROR(internal::InstallResealing(*db_, sealer));
  // 2. Every sealed value anew, in one audited transaction.
  {
    PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
    std::string sql = "UPDATE learner SET bsn_hash = next_bsn_key(unseal(bsn, 'bsn'));";
    for (const internal::SealedColumn& c : internal::SealedColumns()) {
      const std::string column(c.column), field(c.field);
      std::string resealed =
          "seal_next(unseal(" + column + ", '" + field + "'), '" + field + "')";
      // A version's body that holds nothing personal stays plain.
      if (c.table == "versions") {
        resealed = "CASE WHEN substr(body, 1, 3) = 's1:' THEN " + resealed + " ELSE body END";
      }
      sql += "UPDATE " + std::string(c.table) + " SET " + column + " = " + resealed + ";";
    }
    sql += "UPDATE meta SET value = seal_next(unseal(value, 'key_check'), 'key_check') "
           "WHERE key = 'key_check';";
    PRESENTIE_RETURN_IF_ERROR(db_->Exec(sql));
    PRESENTIE_RETURN_IF_ERROR(
        internal::SetMetaInt(*db_, internal::meta::kKeyGeneration, key_generation_ + 1));
    PRESENTIE_RETURN_IF_ERROR(
        w.Commit("key.rotate", "the register's key replaced; every sealed field sealed anew"));
  }
  ++key_generation_;
  // 3. The new key is the key (an open after a crash before this does it).
  PRESENTIE_RETURN_IF_ERROR(internal::AdoptNextKey(source.file));
  PRESENTIE_RETURN_IF_ERROR(internal::InstallSealing(*db_, sealer));
  // 4. No value sealed under the old key is left in a freed page or the WAL.
  return PurgeFreedPages(*db_);
}

sqlite::OpenOptions OpenOptionsFor(const StoreOptions& options, bool initialize) {
  sqlite::OpenOptions o;
  o.initialize = initialize;
  o.application_id = internal::kApplicationId;
  o.busy_timeout_ms = options.busy_timeout_ms;
  return o;
}

// Schema step 10 sealed the personal fields (internal/seal.h), step 12 the
// teachers' names.
constexpr int kSealedSince = 10;
constexpr int kTeachersSealedSince = 12;

// A register's key check (schema step 10 on): a wrong key is refused here,
// before anything is read or written with it.
Status CheckKey(Database& db, const internal::KeySource& source) {
  PRESENTIE_ASSIGN_OR_RETURN(const int version, db.UserVersion());
  if (version < kSealedSince) return Status::Ok();
  PRESENTIE_ASSIGN_OR_RETURN(Statement check,
                             db.Prepare("SELECT unseal(value, 'key_check') FROM meta "
                                        "WHERE key = 'key_check'"));
  Result<bool> row = check.Step();
  if (!row.ok() && row.status().code() != StatusCode::kDataLoss) return row.status();
  if (!row.ok()) {
    return FailedPrecondition(internal::Describe(source) + " does not open the register at '" +
                              db.path() +
                              "' (it is another register's key, or it was changed)");
  }
  return Status::Ok();
}

// Loads the register's key (making one with `create_key`), defines the
// sealing functions on `db`, and checks the key against the register. A
// rotation that committed but has not replaced the key file yet (RotateKey)
// left the new key in "<key file>.next": that key is taken instead, and with
// `finish_rotation` (an open: the rotation was cut off) the key file is
// replaced by it; a running process leaves that to the rotation under way.
Status Unlock(Database& db, const StoreOptions& options, bool create_key,
              bool finish_rotation = true) {
  const internal::KeySource source = internal::ResolveKeySource(db.path(), options.key_file);
  PRESENTIE_ASSIGN_OR_RETURN(internal::RegisterKey key, internal::LoadKey(source, create_key));
  internal::Sealer sealer(key);
  sodium_memzero(key.data(), key.size());
  PRESENTIE_RETURN_IF_ERROR(internal::InstallSealing(db, sealer));
  Status checked = CheckKey(db, source);
  if (checked.code() != StatusCode::kFailedPrecondition || source.file.empty()) return checked;
  // A key rotation that committed but did not get to replace the key file
  // (RotateKey) left the new key in "<key file>.next": finish it.
  const internal::KeySource next{internal::NextKeyFile(source.file), source.from_environment};
  std::error_code ec;
  if (!std::filesystem::exists(next.file, ec)) return checked;
  Result<internal::RegisterKey> next_key = internal::LoadKey(next, false);
  if (!next_key.ok()) return checked;
  PRESENTIE_RETURN_IF_ERROR(internal::InstallSealing(db, internal::Sealer(*next_key)));
  if (!CheckKey(db, next).ok()) return checked;
  return finish_rotation ? internal::AdoptNextKey(source.file) : Status::Ok();
}

Status SqliteStore::FollowKeyRotation() {
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> generation,
                             internal::GetMetaInt(*db_, internal::meta::kKeyGeneration));
  return FollowKeyGeneration(generation.value_or(0));
}

Status SqliteStore::FollowKeyGeneration(int64_t generation) {
  if (generation == key_generation_) return Status::Ok();
  // Twice: the rotation may rename ".next" over the key file between this
  // one's reading of the two.
  Status unlocked;
  for (int attempt = 0; attempt < 2; ++attempt) {
    unlocked = Unlock(*db_, options_, /*create_key=*/false, /*finish_rotation=*/false);
    if (unlocked.ok()) {
      key_generation_ = generation;
      return Status::Ok();
    }
  }
  return FailedPrecondition(
      "the register's key was replaced by another process since this one opened it, and the "
      "key in its place does not open it (" +
      unlocked.message() + "); start this command (or server) again with the new key");
}


Result<std::unique_ptr<Store>> CreateIn(const std::string& path, const InitOptions& init,
                                        StoreOptions options) {
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                             Database::Open(path, OpenOptionsFor(options, true)));
  PRESENTIE_RETURN_IF_ERROR(Unlock(*db, options, /*create_key=*/true));
  PRESENTIE_RETURN_IF_ERROR(internal::Migrate(*db));
  {
    namespace meta = internal::meta;
    const uint64_t now_ms = options.clock_ms ? options.clock_ms() : SystemClockMs();
    PRESENTIE_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(*db));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db, meta::kReplicaId, NewReplicaId()));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db, meta::kSchoolName, init.school_name));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db, meta::kBrin, init.brin));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaText(*db, meta::kRole, ToString(init.role)));
    PRESENTIE_RETURN_IF_ERROR(
        internal::SetMetaInt(*db, meta::kCreatedAtMs, static_cast<int64_t>(now_ms)));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaInt(*db, meta::kLastHlc, 0));
    PRESENTIE_RETURN_IF_ERROR(internal::SetMetaInt(*db, meta::kAuditHeadSeq, 0));
    PRESENTIE_RETURN_IF_ERROR(
        internal::SetMetaText(*db, meta::kAuditHeadHash, internal::kZeroHash));
    PRESENTIE_RETURN_IF_ERROR(txn.Commit());
  }
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<Store> store,
                             SqliteStore::Load(std::move(db), std::move(options)));
  PRESENTIE_RETURN_IF_ERROR(static_cast<SqliteStore&>(*store).WriteInitEntry());
  return store;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Create(const std::string& path, const InitOptions& init,
                                             StoreOptions options) {
  PRESENTIE_RETURN_IF_ERROR(internal::InitCrypto());
  if (init.school_name.find_first_not_of(" \t") == std::string::npos) {
    return InvalidArgument("the school name is empty");
  }
  // An authority's endpoint is no school: it has no BRIN.
  const bool authority =
      init.role == Role::kDuo || init.role == Role::kGemeente || init.role == Role::kBow;
  if (!authority || !init.brin.empty()) {
    PRESENTIE_RETURN_IF_ERROR(ValidateBrin(init.brin));
  }
  PRESENTIE_RETURN_IF_ERROR(CreateFile(path));
  CreateCleanup cleanup(path);
  Result<std::unique_ptr<Store>> store = CreateIn(path, init, std::move(options));
  if (store.ok()) cleanup.Dismiss();
  return store;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, StoreOptions options) {
  PRESENTIE_RETURN_IF_ERROR(internal::InitCrypto());
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                             Database::Open(path, OpenOptionsFor(options, false)));
  // A register from before at-rest encryption gets its key now.
  PRESENTIE_ASSIGN_OR_RETURN(const int version, db->UserVersion());
  PRESENTIE_RETURN_IF_ERROR(Unlock(*db, options, /*create_key=*/version < kSealedSince));
  PRESENTIE_RETURN_IF_ERROR(internal::Migrate(*db));
  // Fields plain until now (all before step 10, teachers' names before 12):
  // none is left in a freed page or the WAL.
  if (version < kTeachersSealedSince) {
    PRESENTIE_RETURN_IF_ERROR(PurgeFreedPages(*db));
  }
  PRESENTIE_ASSIGN_OR_RETURN(std::unique_ptr<Store> store,
                             SqliteStore::Load(std::move(db), std::move(options)));
  PRESENTIE_RETURN_IF_ERROR(static_cast<SqliteStore&>(*store).MergePending());
  return store;
}

namespace {

// A versions row (seq, kind, record_id, vv, hlc, writer_replica,
// writer_role, writer_user, body from column `c`) as a VersionedRecord.
Result<VersionedRecord> ReadVersionRow(const Statement& s, int c) {
  Change change;
  change.seq = s.ColumnInt(c);
  if (Status st = Take(ParseRecordKind(s.ColumnText(c + 1)), &change.kind); !st.ok()) {
    return Damaged("change", "#" + std::to_string(change.seq), st);
  }
  change.record_id = s.ColumnString(c + 2);
  change.body = s.ColumnString(c + 8);
  Result<VersionedRecord> v = FromChange(change);
  if (!v.ok()) return Damaged("change", "#" + std::to_string(change.seq), v.status());
  if (Status st = ReadStamp(s, c + 3, &v->stamp); !st.ok()) {
    return Damaged("change", "#" + std::to_string(change.seq), st);
  }
  return v;
}

bool SortBySiblingVv(const VersionedRecord& a, const VersionedRecord& b) {
  return a.stamp.vv.Encode() < b.stamp.vv.Encode();
}

constexpr std::string_view kConflictColumns =
    "c.id, c.record_id, c.kinds, c.sibling_seqs, c.closed_seq, "
    "a.facts_rule, a.absence_rule, a.decision_rule, a.rule_set";

}  // namespace

Result<Store::Conflict> SqliteStore::ReadConflict(std::string_view id) {
  // By conflict id, else by record id: the open one, else the latest closed.
  static const std::string kSql = Sql(
      "SELECT ", kConflictColumns,
      " FROM conflict c JOIN attendance a ON a.lesson_id = c.lesson_id "
      "  AND a.learner_id = c.learner_id "
      "WHERE c.id = ?1 OR c.record_id = ?1 "
      "ORDER BY c.id = ?1 DESC, c.closed_seq IS NULL DESC, c.closed_seq DESC LIMIT 1");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement get, db_->Cached(kSql));
  get->BindText(1, id);
  PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
  if (!found) return NotFound(Quoted("conflict", id) + " does not exist");
  Conflict c;
  c.id = get->ColumnString(0);
  c.record_id = get->ColumnString(1);
  c.kinds = static_cast<uint32_t>(get->ColumnInt(2));
  const std::string seqs = get->ColumnString(3);
  c.open = get->ColumnIsNull(4);
  c.closed_by_seq = c.open ? 0 : get->ColumnInt(4);
  c.facts_rule = get->ColumnString(5);
  c.absence_rule = get->ColumnString(6);
  c.decision_rule = get->ColumnString(7);
  c.rule_set_version = static_cast<int>(get->ColumnInt(8));

  const size_t slash = c.record_id.find('/');
  c.lesson_id = c.record_id.substr(0, slash);
  c.learner_id = slash == std::string::npos ? "" : c.record_id.substr(slash + 1);
  PRESENTIE_ASSIGN_OR_RETURN(auto shown, ReadShown(RecordKind::kAttendance, c.record_id));
  if (shown.has_value()) c.shown = std::get<Attendance>(std::move(shown->first));
  // The siblings, by the seqs recorded when it opened.
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement version,
      db_->Cached("SELECT seq, kind, record_id, vv, hlc, writer_replica, writer_role, "
                  "writer_user, open_body(body) FROM versions WHERE seq = ?1"));
  std::string_view rest = seqs;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string one(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    version->BindInt(1, std::stoll(one));
    PRESENTIE_ASSIGN_OR_RETURN(bool row, version->Step());
    if (!row) return Internal("conflict " + c.id + ": change #" + one + " is missing");
    PRESENTIE_ASSIGN_OR_RETURN(VersionedRecord v, ReadVersionRow(*version, 0));
    c.siblings.push_back(std::move(v));
    version->Reset();
  }
  std::sort(c.siblings.begin(), c.siblings.end(), SortBySiblingVv);
  return c;
}

Result<std::vector<Store::Conflict>> SqliteStore::ListConflicts(bool include_closed) {
  PRESENTIE_ASSIGN_OR_RETURN(
      Statement ids,
      db_->Prepare(include_closed
                       ? "SELECT id FROM conflict ORDER BY record_id, closed_seq IS NULL, "
                         "closed_seq, id"
                       : "SELECT id FROM conflict WHERE closed_seq IS NULL ORDER BY record_id"));
  std::vector<std::string> found;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, ids.Step());
    if (!row) break;
    found.push_back(ids.ColumnString(0));
  }
  std::vector<Conflict> out;
  out.reserve(found.size());
  for (const std::string& id : found) {
    PRESENTIE_ASSIGN_OR_RETURN(Conflict c, ReadConflict(id));
    out.push_back(std::move(c));
  }
  return out;
}

Result<Store::Conflict> SqliteStore::GetConflict(std::string_view id) { return ReadConflict(id); }

Status SqliteStore::ResolveConflict(const Actor& actor, std::string_view conflict_id,
                                    const Attendance& value, std::string_view reason) {
  if (actor.role != Role::kAdmin) {
    return PermissionDenied("only the school admin resolves a conflict (this is a " +
                            std::string(ToString(actor.role)) + " register)");
  }
  if (reason.empty() || reason.size() > 500) {
    return InvalidArgument("a resolution needs a reason of 1 to 500 characters");
  }
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_ASSIGN_OR_RETURN(Conflict c, ReadConflict(conflict_id));
  if (c.id != conflict_id && c.record_id != conflict_id) {
    return NotFound(Quoted("conflict", conflict_id) + " does not exist");
  }
  if (!c.open) {
    return FailedPrecondition(Quoted("conflict", c.id) + " is closed already");
  }
  Attendance a = value;
  a.lesson_id = c.lesson_id;
  a.learner_id = c.learner_id;
  a.id = c.record_id;
  std::string summary;
  PRESENTIE_RETURN_IF_ERROR(WriteAttendance(w, actor, std::span<const Attendance>(&a, 1),
                                            /*keep_decision=*/false, &summary));
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement keep,
      db_->Cached("INSERT INTO conflict_resolution (conflict_id, record_id, change_seq, at_ms, "
                  "actor_user, reason) VALUES (?1, ?2, ?3, ?4, ?5, seal(?6, 'resolution'))"));
  keep->BindTextRef(1, c.id);
  keep->BindTextRef(2, c.record_id);
  keep->BindInt(3, w.last_change());
  keep->BindInt(4, static_cast<int64_t>(NowMs()));
  keep->BindTextRef(5, actor.user);
  keep->BindText(6, reason);
  PRESENTIE_RETURN_IF_ERROR(keep->Run());
  return w.Commit("conflict.resolve",
                  Quoted("conflict", c.id) + " on " + Quoted("attendance", c.record_id));
}

Result<Store::Explanation> SqliteStore::ExplainAttendance(std::string_view attendance_id) {
  const std::string id(attendance_id);
  static const std::string kSql =
      Sql("SELECT ", kAttendanceColumns,
          Sql(kShownVersionColumns,
              ", facts_rule, absence_rule, decision_rule, rule_set, conflict "
              "FROM attendance WHERE lesson_id = ?1 AND learner_id = ?2"));
  const size_t slash = id.find('/');
  if (slash == std::string::npos) {
    return InvalidArgument(Quoted("attendance", id) + ": an attendance id is LESSON/LEARNER");
  }
  Explanation e;
  {
    PRESENTIE_ASSIGN_OR_RETURN(CachedStatement get, db_->Cached(kSql));
    get->BindText(1, std::string_view(id).substr(0, slash));
    get->BindText(2, std::string_view(id).substr(slash + 1));
    PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
    if (!found) return NotFound(Quoted("attendance", id) + " is not recorded");
    Status st = ReadAttendance(*get, 0, &e.shown);
    if (st.ok()) st = ReadStamp(*get, 11, &e.shown_stamp);
    if (!st.ok()) return Damaged("attendance", id, st);
    e.facts_rule = get->ColumnString(16);
    e.absence_rule = get->ColumnString(17);
    e.decision_rule = get->ColumnString(18);
    e.rule_set_version = static_cast<int>(get->ColumnInt(19));
    e.conflict_kinds = static_cast<uint32_t>(std::max<int64_t>(0, get->ColumnInt(20)));
  }
  {
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement live,
        db_->Cached("SELECT seq, kind, record_id, vv, hlc, writer_replica, writer_role, "
                    "writer_user, open_body(body) FROM versions "
                    "WHERE kind = 'attendance' AND record_id = ?1 AND live = 1"));
    live->BindTextRef(1, id);
    for (;;) {
      PRESENTIE_ASSIGN_OR_RETURN(bool row, live->Step());
      if (!row) break;
      PRESENTIE_ASSIGN_OR_RETURN(VersionedRecord v, ReadVersionRow(*live, 0));
      e.siblings.push_back(std::move(v));
    }
    std::sort(e.siblings.begin(), e.siblings.end(), SortBySiblingVv);
  }
  {
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement open,
        db_->Cached("SELECT id FROM conflict WHERE record_id = ?1 AND closed_seq IS NULL"));
    open->BindTextRef(1, id);
    PRESENTIE_ASSIGN_OR_RETURN(bool row, open->Step());
    if (row) e.conflict_id = open->ColumnString(0);
  }
  {
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement resolution,
        db_->Cached("SELECT unseal(reason, 'resolution') FROM conflict_resolution "
                    "WHERE record_id = ?1 "
                    "ORDER BY seq DESC LIMIT 1"));
    resolution->BindTextRef(1, id);
    PRESENTIE_ASSIGN_OR_RETURN(bool row, resolution->Step());
    if (row) e.resolution_reason = resolution->ColumnString(0);
  }
  Result<Learner> learner = GetLearner(e.shown.learner_id);
  if (learner.ok()) {
    e.classification = Classify(*learner, e.shown);
    e.learner = std::move(*learner);
  } else if (learner.status().code() != StatusCode::kNotFound) {
    return learner.status();
  }
  return e;
}

Result<std::vector<Store::RefusedVersion>> SqliteStore::ListRefused() {
  PRESENTIE_ASSIGN_OR_RETURN(
      Statement get,
      db_->Prepare("SELECT id, kind, record_id, vv, hlc, writer_replica, writer_role, "
                   "writer_user, unseal(body, 'body'), at_ms, source, rule, detail FROM refused "
                   "ORDER BY id"));
  std::vector<RefusedVersion> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, get.Step());
    if (!row) break;
    RefusedVersion r;
    PRESENTIE_ASSIGN_OR_RETURN(r.version, ReadVersionRow(get, 0));
    r.id = get.ColumnInt(0);
    r.at_ms = static_cast<uint64_t>(get.ColumnInt(9));
    r.source = get.ColumnString(10);
    r.rule = get.ColumnString(11);
    r.detail = get.ColumnString(12);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace presentie::storage
