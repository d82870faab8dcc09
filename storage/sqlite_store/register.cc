// The register's local writes and reads: learners, courses, enrolments,
// lessons and attendance as one audited transaction each; the change log
// and the audit chain as read by sync and `presentie audit`.
#include "storage/sqlite_store/write.h"

namespace presentie::storage::impl {

Status SqliteStore::AddLearners(const Actor& actor, std::span<const Learner> learners,
                                std::string_view action) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckRosterWrite(actor.role, "a learner"), actor.role));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  std::unordered_set<std::string> batch_ids;
  std::unordered_map<std::string, std::string> batch_bsns;  // BSN -> learner id
  std::vector<std::string> ids;
  for (const Learner& l : learners) {
    // Validate names the record in its messages, and requires the BSN in
    // its canonical form, so that "is this BSN known" is an exact match.
    PRESENTIE_RETURN_IF_ERROR(Validate(l));
    const std::string ctx = Quoted("learner", l.id);
    if (!batch_ids.insert(l.id).second) return AlreadyExists(ctx + " is listed twice");
    if (auto [it, fresh] = batch_bsns.emplace(l.bsn, l.id); !fresh) {
      return AlreadyExists(ctx + ": has the same BSN as learner '" + it->second + "' in this list");
    }
    PRESENTIE_RETURN_IF_ERROR(WriteLearner(w, l));
    ids.push_back(l.id);
  }
  std::string summary = Plural(ids.size(), "learner", "learners") + " added";
  if (!ids.empty()) summary += ": " + IdList(ids);
  return w.Commit(action.empty() ? "learner.add" : action, std::move(summary));
}

Status SqliteStore::WriteLearner(Write& w, const Learner& l) {
  PRESENTIE_RETURN_IF_ERROR(Validate(l));
  const std::string ctx = Quoted("learner", l.id);
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
  return insert->Run();
}

Status SqliteStore::UpdateLearner(const Actor& actor, const Learner& l) {
  const std::string ctx = Quoted("learner", l.id);
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckRosterWrite(actor.role, "a learner"), actor.role));
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
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckRosterWrite(actor.role, "a course"), actor.role));
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
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckRosterWrite(actor.role, "an enrolment"), actor.role));
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
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckRosterWrite(actor.role, "an enrolment"), actor.role));
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
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckLessonWrite(actor.role), actor.role));
  PRESENTIE_RETURN_IF_ERROR(Validate(lesson));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_RETURN_IF_ERROR(WriteLesson(w, lesson));
  return w.Commit("lesson.add", Quoted("lesson", lesson.id) + " of " +
                                    Quoted("course", lesson.course_id) + " added");
}

Status SqliteStore::WriteLesson(Write& w, const Lesson& lesson) {
  const std::string ctx = Quoted("lesson", lesson.id);
  PRESENTIE_RETURN_IF_ERROR(Validate(lesson));
  PRESENTIE_ASSIGN_OR_RETURN(bool course_known, CourseExists(*db_, lesson.course_id));
  if (!course_known) {
    return NotFound(ctx + ": " + Quoted("course", lesson.course_id) + " does not exist");
  }
  PRESENTIE_ASSIGN_OR_RETURN(bool known, LessonExists(*db_, lesson.id));
  if (known) return AlreadyExists(ctx + " already exists");
  PRESENTIE_ASSIGN_OR_RETURN(std::string body, internal::EncodeBody(lesson));
  PRESENTIE_ASSIGN_OR_RETURN(NewVersion v,
                             w.AppendVersion(RecordKind::kLesson, lesson.id, body, {}));
  // The typed row as every other write of a lesson writes it (kColumnsOf<Lesson>
  // say which of its columns are sealed); the lesson is new, checked above.
  return UpsertRow(*db_, lesson, ShownStamp{&v.vv, v.hlc, &w.writer()});
}

namespace {

bool AboutTheRecord(const Status& s) { return RecordWrite<Attendance>::AboutTheRecord(s); }

// Lessons whose state an attendance write keeps (AttendanceBatch): enough
// for the lessons of a day at a large school; an import in no particular
// order reloads a lesson's state when it comes back to it.
constexpr size_t kCachedLessons = 1024;
// Learners whose ownership flag it keeps.
constexpr size_t kCachedLearners = 65536;

}  // namespace

// WriteAttendance's work, one record at a time, in bounded memory: what it
// keeps between records is the state of at most kCachedLessons lessons and
// kCachedLearners learners, the records waiting for their INSERT (at most
// kRowsPerStatement), counts for the audit summary, and a hash of each
// lesson written (the register's lessons, not the input's rows).
//
// "Listed twice" needs no list of what was written: a record of this write
// is a live version with a seq above `base_seq_`, the register's last change
// when the write began. A lesson's state, when it is loaded again, marks
// those learners as written.
class SqliteStore::AttendanceBatch {
 public:
  AttendanceBatch(SqliteStore& store, Write& w, const Actor& actor, bool keep_decision,
                  int64_t base_seq)
      : store_(store), w_(w), actor_(actor), keep_decision_(keep_decision), base_seq_(base_seq) {}

  // As RecordWrite::Add.
  Status Add(const Attendance& input) {
    if (!broken_.ok()) return broken_;
    Status s = AddOne(input);
    if (!s.ok() && !AboutTheRecord(s)) broken_ = s;
    return s;
  }

  // Writes the records still waiting; `summary` gets the audit text.
  Status Finish(std::string* summary) {
    if (!broken_.ok()) return broken_;
    if (Status s = Flush(); !s.ok()) return broken_ = s;
    // Counts only: who was absent, and why, is personal data.
    if (lesson_hashes_.size() == 1) {
      *summary = Quoted("lesson", first_lesson_);
    } else {
      *summary = Plural(lesson_hashes_.size(), "lesson", "lessons");
    }
    *summary += ": " + Plural(records_, "record", "records") + " (" + std::to_string(present_) +
                " present, " + std::to_string(absent_) + " absent, " + std::to_string(partial_) +
                " partial; " + Plural(edits_, "edit", "edits") + ")";
    return Status::Ok();
  }

 private:
  // What a record needs to know of its lesson, looked up once per lesson:
  // its duration, and the live versions of its attendance, so that an edit
  // needs no query of its own.
  struct LessonState {
    int duration_minutes = 0;
    std::unordered_map<std::string, std::vector<VersionVector>> siblings;  // by learner id
    std::unordered_set<std::string> in_batch;                              // learner ids
  };
  // A new record waiting to be written kRowsPerStatement at a time, in
  // their order (an edit writes those before it first).
  struct NewRecord {
    Attendance a;
    std::string body;
  };

  Status Flush() {
    if (waiting_.empty()) return Status::Ok();
    ids_.clear();
    bodies_.clear();
    for (const NewRecord& r : waiting_) {
      ids_.push_back(&r.a.id);
      bodies_.push_back(&r.body);
    }
    PRESENTIE_RETURN_IF_ERROR(
        w_.AppendFirstVersions(RecordKind::kAttendance, ids_, bodies_, &appended_));
    rows_.clear();
    for (size_t i = 0; i < waiting_.size(); ++i) {
      PRESENTIE_ASSIGN_OR_RETURN(
          AttendanceRow row,
          ShownAttendanceRow(*store_.db_, waiting_[i].a,
                             ShownStamp{&appended_[i].vv, appended_[i].hlc, &w_.writer()},
                             SingleMerge(waiting_[i].a)));
      rows_.push_back(std::move(row));
    }
    PRESENTIE_RETURN_IF_ERROR(UpsertAttendanceRows(*store_.db_, rows_));
    waiting_.clear();
    return Status::Ok();
  }

  // The state of `lesson_id`, loaded if it is not kept.
  Result<LessonState*> LessonOf(const Attendance& input) {
    if (auto it = lessons_.find(input.lesson_id); it != lessons_.end()) return &it->second;
    if (lessons_.size() >= kCachedLessons) {
      // A lesson's waiting records are in no state but its own: write them
      // before it is forgotten, so that loading it again finds them.
      if (Status s = Flush(); !s.ok()) return broken_ = s;
      lessons_.clear();
    }
    Database& db = *store_.db_;
    LessonState state;
    {
      PRESENTIE_ASSIGN_OR_RETURN(CachedStatement get,
                                 db.Cached("SELECT duration_minutes FROM lesson WHERE id = ?1"));
      get->BindText(1, input.lesson_id);
      PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
      if (!found) {
        return NotFound("attendance row for " + Quoted("learner", input.learner_id) + ": " +
                        Quoted("lesson", input.lesson_id) + " does not exist");
      }
      state.duration_minutes = static_cast<int>(get->ColumnInt(0));
    }
    // Attendance ids are "<lesson>/<learner>" and '/' sorts just below
    // '0', so the ids of one lesson are exactly those in ("L/", "L0").
    PRESENTIE_ASSIGN_OR_RETURN(
        CachedStatement live,
        db.Cached("SELECT record_id, vv, seq FROM versions WHERE kind = 'attendance' "
                  "AND live = 1 AND record_id > ?1 AND record_id < ?2"));
    live->BindText(1, input.lesson_id + "/");
    live->BindText(2, input.lesson_id + "0");
    for (;;) {
      PRESENTIE_ASSIGN_OR_RETURN(bool row, live->Step());
      if (!row) break;
      const std::string_view record_id = live->ColumnText(0);
      std::string learner(record_id.substr(input.lesson_id.size() + 1));
      if (live->ColumnInt(2) > base_seq_) {
        state.in_batch.insert(std::move(learner));  // written by this write
        continue;
      }
      VersionVector vv;
      if (Status s = Take(VersionVector::Decode(live->ColumnText(1)), &vv); !s.ok()) {
        return Damaged("attendance", record_id, s);
      }
      state.siblings[std::move(learner)].push_back(std::move(vv));
    }
    if (lesson_hashes_.empty()) first_lesson_ = input.lesson_id;
    lesson_hashes_.insert(std::hash<std::string>{}(input.lesson_id));
    return &lessons_.emplace(input.lesson_id, std::move(state)).first->second;
  }

  Status AddOne(const Attendance& input) {
    // Built only for an error: this runs once per row of an import.
    const auto ctx = [&input] {
      return "attendance row for " + Quoted("learner", input.learner_id);
    };
    PRESENTIE_ASSIGN_OR_RETURN(LessonState * lesson, LessonOf(input));

    auto learner_it = learners_.find(input.learner_id);
    if (learner_it == learners_.end()) {
      PRESENTIE_ASSIGN_OR_RETURN(std::optional<bool> gemeente,
                                 GemeenteClassifies(*store_.db_, input.learner_id));
      if (!gemeente.has_value()) return NotFound(ctx() + ": learner does not exist");
      if (learners_.size() >= kCachedLearners) learners_.clear();
      learner_it = learners_.emplace(input.learner_id, *gemeente).first;
    }

    Attendance a = input;
    a.id = AttendanceId(a.lesson_id, a.learner_id);
    PRESENTIE_RETURN_IF_ERROR(Validate(a, lesson->duration_minutes));
    if (lesson->in_batch.contains(a.learner_id)) {
      return AlreadyExists(ctx() + ": listed twice for " + Quoted("lesson", a.lesson_id));
    }

    std::span<const VersionVector> siblings;
    std::optional<Attendance> superseded;
    if (auto s = lesson->siblings.find(a.learner_id); s != lesson->siblings.end()) {
      siblings = s->second;
      // An edit replaces the value shown, as merged from its siblings.
      PRESENTIE_ASSIGN_OR_RETURN(auto shown, store_.ReadShown(RecordKind::kAttendance, a.id));
      if (shown.has_value()) superseded = std::get<Attendance>(std::move(shown->first));
      // A gemeente's decision shown from its own record (UpsertAttendanceRow)
      // is not in any version: an edit neither carries it nor removes it.
      if (superseded.has_value() && superseded->decision.has_value() &&
          superseded->decision->decided_by == Role::kGemeente) {
        PRESENTIE_ASSIGN_OR_RETURN(std::optional<Classification> record,
                                   GemeenteDecisionOn(*store_.db_, a.lesson_id, a.learner_id));
        if (record.has_value()) superseded->decision.reset();
      }
    }
    // A decision is kept by an edit that does not set one: only its party
    // may change or remove it (O.decision-owner), and re-recording the facts
    // is not a reason to lose it. A full presence has nothing to classify.
    if (keep_decision_ && !a.decision.has_value() && superseded.has_value() &&
        a.status != AttendanceStatus::kPresent) {
      a.decision = superseded->decision;
    }
    if (OwnershipVerdict v = CheckAttendanceWrite(actor_.role, superseded, a, learner_it->second);
        !v.ok()) {
      return PermissionDenied(ctx() + ": " + v.detail + " (rule " + std::string(v.rule) + ")");
    }
    PRESENTIE_ASSIGN_OR_RETURN(std::string body, internal::EncodeBody(a));

    // Checked: from here on an error is not about the record (Add).
    lesson->in_batch.insert(a.learner_id);
    ++records_;
    switch (a.status) {
      case AttendanceStatus::kPresent:
        ++present_;
        break;
      case AttendanceStatus::kAbsent:
        ++absent_;
        break;
      case AttendanceStatus::kPartial:
        ++partial_;
        break;
    }
    if (siblings.empty()) {
      waiting_.push_back(NewRecord{std::move(a), std::move(body)});
      if (waiting_.size() == kRowsPerStatement) return Written(Flush());
      return Status::Ok();
    }
    ++edits_;
    if (Status s = Flush(); !s.ok()) return Written(s);
    return Written(WriteEdit(a, body, siblings));
  }

  Status WriteEdit(const Attendance& a, const std::string& body,
                   std::span<const VersionVector> siblings) {
    PRESENTIE_ASSIGN_OR_RETURN(NewVersion v,
                               w_.AppendVersion(RecordKind::kAttendance, a.id, body, siblings));
    PRESENTIE_RETURN_IF_ERROR(UpsertAttendanceRow(
        *store_.db_, a, ShownStamp{&v.vv, v.hlc, &w_.writer()}, SingleMerge(a)));
    // The edit dominates every sibling: an open conflict closes here.
    if (siblings.size() > 1) {
      PRESENTIE_RETURN_IF_ERROR(SetOpenConflict(*store_.db_, a.id, "", 0, "", w_.last_change()));
    }
    return Status::Ok();
  }

  // An error while writing breaks the write, whatever its code.
  Status Written(Status s) {
    if (!s.ok()) broken_ = s;
    return s;
  }

  SqliteStore& store_;
  Write& w_;
  const Actor& actor_;
  const bool keep_decision_;
  const int64_t base_seq_;  // the register's last change before this write
  Status broken_;

  std::unordered_map<std::string, LessonState> lessons_;
  // Per learner: does the gemeente classify their absences (ownership).
  std::unordered_map<std::string, bool> learners_;
  // The lessons written to, for the summary's count: a hash each, not the
  // id (a year's import names tens of thousands; a collision would only
  // make the count one short).
  std::unordered_set<size_t> lesson_hashes_;
  std::string first_lesson_;
  size_t records_ = 0;
  size_t present_ = 0;
  size_t absent_ = 0;
  size_t partial_ = 0;
  size_t edits_ = 0;
  std::vector<NewRecord> waiting_;
  std::vector<const std::string*> ids_;
  std::vector<const std::string*> bodies_;
  std::vector<NewVersion> appended_;
  std::vector<AttendanceRow> rows_;
};

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
  PRESENTIE_ASSIGN_OR_RETURN(int64_t base_seq, LastChangeSeq());
  AttendanceBatch batch(*this, w, actor, keep_decision, base_seq);
  for (const Attendance& a : records) PRESENTIE_RETURN_IF_ERROR(batch.Add(a));
  return batch.Finish(summary);
}

// A write fed record by record whose records `write_one` writes each
// (WriteLearner, WriteLesson): between records it keeps a count and the
// names (`name`) of the first kSummaryIds, for the audit summary that
// `summary` makes of them. A learner or lesson listed twice is found in the
// register, where the first is already written.
template <typename Record>
class SqliteStore::OneByOneWrite final : public RecordWrite<Record> {
 public:
  using WriteOne = Status (SqliteStore::*)(Write&, const Record&);
  using Name = std::string (*)(const Record&);
  using Summary = std::string (*)(size_t count, const std::vector<std::string>& first);

  OneByOneWrite(SqliteStore& store, Write w, std::string action, WriteOne write_one, Name name,
                Summary summary)
      : store_(store),
        w_(std::move(w)),
        action_(std::move(action)),
        write_one_(write_one),
        name_(name),
        summary_(summary) {}

  Status Add(const Record& record) override {
    if (!broken_.ok()) return broken_;
    Status s = (store_.*write_one_)(w_, record);
    if (!s.ok()) {
      if (!AboutTheRecord(s)) broken_ = s;
      return s;
    }
    if (first_.size() < kSummaryIds) first_.push_back(name_(record));
    ++count_;
    return Status::Ok();
  }

  Status Commit() override {
    if (!broken_.ok()) return broken_;
    return w_.Commit(action_, summary_(count_, first_));
  }

 private:
  SqliteStore& store_;
  Write w_;
  std::string action_;
  WriteOne write_one_;
  Name name_;
  Summary summary_;
  Status broken_;
  size_t count_ = 0;
  std::vector<std::string> first_;  // the first kSummaryIds names
};

class SqliteStore::AttendanceWriteImpl final : public AttendanceWrite {
 public:
  AttendanceWriteImpl(SqliteStore& store, Write w, const Actor& actor, std::string action,
                      int64_t base_seq)
      : w_(std::move(w)),
        actor_(actor),
        action_(std::move(action)),
        batch_(store, w_, actor_, /*keep_decision=*/true, base_seq) {}

  Status Add(const Attendance& record) override { return batch_.Add(record); }

  Status Commit() override {
    std::string summary;
    PRESENTIE_RETURN_IF_ERROR(batch_.Finish(&summary));
    return w_.Commit(action_, std::move(summary));
  }

 private:
  Write w_;
  const Actor actor_;
  std::string action_;
  AttendanceBatch batch_;  // refers to w_ and actor_: declared after them
};

Result<std::unique_ptr<LearnerWrite>> SqliteStore::BeginLearners(const Actor& actor,
                                                                 std::string_view action) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckRosterWrite(actor.role, "a learner"), actor.role));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  return std::unique_ptr<LearnerWrite>(std::make_unique<OneByOneWrite<Learner>>(
      *this, std::move(w), std::string(action.empty() ? "learner.add" : action),
      &SqliteStore::WriteLearner, [](const Learner& l) { return l.id; },
      [](size_t count, const std::vector<std::string>& first) {
        // As AddLearners's.
        std::string summary = Plural(count, "learner", "learners") + " added";
        if (count > 0) summary += ": " + IdList(first, count);
        return summary;
      }));
}

Result<std::unique_ptr<LessonWrite>> SqliteStore::BeginLessons(const Actor& actor,
                                                               std::string_view action) {
  PRESENTIE_RETURN_IF_ERROR(Permitted(CheckLessonWrite(actor.role), actor.role));
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  return std::unique_ptr<LessonWrite>(std::make_unique<OneByOneWrite<Lesson>>(
      *this, std::move(w), std::string(action.empty() ? "lesson.add" : action),
      &SqliteStore::WriteLesson,
      [](const Lesson& l) {
        return Quoted("lesson", l.id) + " of " + Quoted("course", l.course_id);
      },
      [](size_t count, const std::vector<std::string>& first) {
        return count == 1 ? first.front() + " added"
                          : Plural(count, "lesson", "lessons") + " added";
      }));
}

Result<std::unique_ptr<AttendanceWrite>> SqliteStore::BeginAttendance(const Actor& actor,
                                                                      std::string_view action) {
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, actor));
  PRESENTIE_ASSIGN_OR_RETURN(int64_t base_seq, LastChangeSeq());
  return std::unique_ptr<AttendanceWrite>(std::make_unique<AttendanceWriteImpl>(
      *this, std::move(w), actor, std::string(action.empty() ? "attend.record" : action),
      base_seq));
}

Result<Learner> SqliteStore::GetLearner(std::string_view id) {
  static const std::string kSql =
      Sql("SELECT ", kColumnsOf<Learner>, " FROM learner WHERE id = ?1");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, id);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFound(Quoted("learner", id) + " does not exist");
  Learner l;
  if (Status s = ReadColumns(*stmt, 0, &l); !s.ok()) return Damaged("learner", id, s);
  return l;
}

Result<std::vector<Learner>> SqliteStore::ListLearners() {
  static const std::string kSql = Sql("SELECT ", kColumnsOf<Learner>, " FROM learner ORDER BY id");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  std::vector<Learner> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Learner l;
    if (Status s = ReadColumns(*stmt, 0, &l); !s.ok()) {
      return Damaged("learner", stmt->ColumnText(0), s);
    }
    out.push_back(std::move(l));
  }
  return out;
}

Result<Course> SqliteStore::GetCourse(std::string_view id) {
  static const std::string kSql = Sql("SELECT ", kColumnsOf<Course>, " FROM course WHERE id = ?1");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, id);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFound(Quoted("course", id) + " does not exist");
  Course c;
  if (Status s = ReadColumns(*stmt, 0, &c); !s.ok()) return Damaged("course", id, s);
  return c;
}

Result<std::vector<Course>> SqliteStore::ListCourses() {
  static const std::string kSql = Sql("SELECT ", kColumnsOf<Course>, " FROM course ORDER BY id");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  std::vector<Course> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Course c;
    if (Status s = ReadColumns(*stmt, 0, &c); !s.ok()) {
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
      Sql("SELECT ", kColumnsOf<Enrollment>,
          " FROM enrollment WHERE course_id = ?1 AND EXISTS (SELECT 1 FROM learner "
          "WHERE learner.id = enrollment.learner_id) ORDER BY learner_id");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, course_id);
  std::vector<Enrollment> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Enrollment e;
    if (Status st = ReadColumns(*stmt, 0, &e); !st.ok()) {
      return Damaged("enrollment", stmt->ColumnText(0), st);
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<Lesson> SqliteStore::GetLesson(std::string_view id) {
  static const std::string kSql = Sql("SELECT ", kColumnsOf<Lesson>, " FROM lesson WHERE id = ?1");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, id);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return NotFound(Quoted("lesson", id) + " does not exist");
  Lesson l;
  if (Status s = ReadColumns(*stmt, 0, &l); !s.ok()) return Damaged("lesson", id, s);
  return l;
}

Result<std::vector<Lesson>> SqliteStore::ListLessons(std::optional<std::string_view> course_id) {
  // Only lessons whose course exists (sync may deliver a lesson first).
  static const std::string kAll =
      Sql("SELECT ", kColumnsOf<Lesson>,
          " FROM lesson WHERE EXISTS (SELECT 1 FROM course WHERE course.id = lesson.course_id) "
          "ORDER BY start, id");
  static const std::string kOfCourse =
      Sql("SELECT ", kColumnsOf<Lesson>, " FROM lesson WHERE course_id = ?1 ORDER BY start, id");
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
    if (Status s = ReadColumns(*stmt, 0, &l); !s.ok()) {
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
      Sql("SELECT ", kColumnsOf<Attendance>,
          " FROM attendance WHERE lesson_id = ?1 AND EXISTS (SELECT 1 FROM learner "
          "WHERE learner.id = attendance.learner_id) ORDER BY learner_id");
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, lesson_id);
  std::vector<Attendance> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Attendance a;
    if (Status s = ReadColumns(*stmt, 0, &a); !s.ok()) {
      return Damaged("attendance", stmt->ColumnText(0), s);
    }
    out.push_back(std::move(a));
  }
  return out;
}

Result<int64_t> SqliteStore::CountAttendance(std::string_view lesson_id) {
  PRESENTIE_ASSIGN_OR_RETURN(bool known, LessonExists(*db_, lesson_id));
  if (!known) return NotFound(Quoted("lesson", lesson_id) + " does not exist");
  static constexpr std::string_view kSql =
      "SELECT count(*) FROM attendance WHERE lesson_id = ?1 AND EXISTS (SELECT 1 FROM learner "
      "WHERE learner.id = attendance.learner_id)";
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement stmt, db_->Cached(kSql));
  stmt->BindText(1, lesson_id);
  PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Internal("count(*) gave no row");
  return stmt->ColumnInt(0);
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
      if (Status s = ReadColumns(stmt, 3, &a); !s.ok()) {
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

}  // namespace presentie::storage::impl
