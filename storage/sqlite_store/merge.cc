// Attendance merged by the law's rules: the held versions of a record, the
// merge into its typed row, the open conflict it leaves for an admin, the
// conflict queue, its resolution, `explain` and the refused versions.
#include "storage/sqlite_store/write.h"

namespace presentie::storage::impl {

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

namespace {

// A conflict's id: the same on every replica that holds the same siblings.
std::string ConflictId(std::string_view record_id, std::vector<std::string_view> vvs) {
  std::sort(vvs.begin(), vvs.end());
  Sha256 h;
  h.AddField("presentie.conflict.v1");
  h.AddField(record_id);
  for (std::string_view vv : vvs) h.AddField(vv);
  return "c" + h.FinishHex().substr(0, 16);
}

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
  insert->BindText(
      7, slash == std::string_view::npos ? std::string_view() : record_id.substr(slash + 1));
  insert->BindInt(3, static_cast<int64_t>(kinds));
  insert->BindText(4, sibling_seqs);
  insert->BindInt(5, seq);
  return insert->Run();
}

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
  if (state.check_ahead) {
    // Every version held here, retired ones too: what this register has seen.
    VersionVector seen;
    for (const HeldAttendance& h : held) seen.Merge(h.stamp.vv);
    PRESENTIE_RETURN_IF_ERROR(CheckAhead(RecordKind::kAttendance, id, stamp, seen, state));
  }

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
      ShownStamp{&vv_text, static_cast<int64_t>(facts.stamp.hlc.Pack()), &facts.stamp.writer}, m));
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
  PRESENTIE_ASSIGN_OR_RETURN(Statement pending,
                             db_->Prepare("SELECT lesson_id, learner_id FROM attendance "
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
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement done,
                             db_->Cached("DELETE FROM meta WHERE key = 'merge_pending'"));
  PRESENTIE_RETURN_IF_ERROR(done->Run());
  return txn.Commit();
}

Result<Store::Conflict> SqliteStore::ReadConflict(std::string_view id) {
  // By conflict id, else by record id: the open one, else the latest closed.
  static const std::string kSql =
      Sql("SELECT ", kConflictColumns,
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

Result<Store::AttendanceState> SqliteStore::GetAttendanceState(std::string_view attendance_id) {
  const std::string id(attendance_id);
  static const std::string kSql =
      Sql("SELECT ", kColumnsOf<Attendance>,
          Sql(kShownVersionColumns,
              ", facts_rule, absence_rule, decision_rule, rule_set, conflict "
              "FROM attendance WHERE lesson_id = ?1 AND learner_id = ?2"));
  const size_t slash = id.find('/');
  if (slash == std::string::npos) {
    return InvalidArgument(Quoted("attendance", id) + ": an attendance id is LESSON/LEARNER");
  }
  AttendanceState e;
  {
    PRESENTIE_ASSIGN_OR_RETURN(CachedStatement get, db_->Cached(kSql));
    get->BindText(1, std::string_view(id).substr(0, slash));
    get->BindText(2, std::string_view(id).substr(slash + 1));
    PRESENTIE_ASSIGN_OR_RETURN(bool found, get->Step());
    if (!found) return NotFound(Quoted("attendance", id) + " is not recorded");
    Status st = ReadColumns(*get, 0, &e.shown);
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

}  // namespace presentie::storage::impl
