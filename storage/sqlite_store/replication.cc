// Receiving versions from another replica (ApplyRemote): the sibling rule,
// ownership, the shown value of non-attendance kinds; and the cursors,
// outbox and idempotency records sync keeps beside the register.
#include "storage/sqlite_store/write.h"

namespace presentie::storage::impl {

// --- Replication ------------------------------------------------------------
//
// ApplyRemote keeps the sibling rule (docs/storage.md) per received version:
// the record's live siblings are read from the versions_record index; a
// version equal to one of them (same vv) is a duplicate, one that a sibling
// dominates is dominated, and anything else becomes a live sibling that
// retires the siblings it dominates. Checking the live siblings is enough
// for the rule: a version that some retired version dominates (or equals) is
// dominated by the live version that, transitively, retired it. Only to count
// it right is a dominated version then looked up among the retired ones: if
// this register holds it already, it is a duplicate (a batch sent again).
//
// Before the rule, a version's counters are held to what this register has
// seen of the record (core/version_vector.h, kMaxCounterAhead): each at most
// 2^20 ahead of the live siblings' counter of the same replica, or of 0 for
// a record not held here. Not for versions pulled from a hub, which checked
// each when it arrived there and serves only the live ones: a register that
// missed the versions in between would see a jump it cannot tell from a
// forged one. A version that breaks the bound fails the call, as an invalid
// one does.
//
// The typed row is then rewritten from the live siblings. Attendance:
// ApplyAttendance and the merge policy (core/merge.h). Other kinds: the
// pick by highest HLC, then highest writer replica id, then highest vv text
// (a total order among siblings since their vvs differ) gives the fields,
// hlc and writer; vv is the merge of all live siblings' vectors, so that a typed
// row says everything its value has seen. Since the typed tables lost their
// foreign keys (schema step 3), a typed row exists exactly when its record has
// versions, whatever arrived first.

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
  // Each kind's own checks (its traits' Validate; core/domain.h and
  // core/authorities/), and the derived id a peer may leave out.
  Status unread;  // a read of this register that failed: not the version's fault
  Status valid = std::visit(
      [&](const auto& r) -> Status {
        using T = std::decay_t<decltype(r)>;
        using Traits = kinds::KindTraits<T>;
        Status st;
        if constexpr (std::is_same_v<T, Attendance>) {
          Result<std::optional<int>> minutes = LessonMinutes(r.lesson_id, state);
          if (!minutes.ok()) {
            unread = minutes.status();
            return Status::Ok();
          }
          // Without its lesson the duration is unknown: validate against one
          // that the facts could fit (a presence lasts the whole lesson), so
          // that every rule not about the duration still applies.
          const int duration = minutes->value_or(
              r.status == AttendanceStatus::kPresent ? std::clamp(r.minutes_present, 1, 720) : 720);
          st = Traits::Validate(r, duration);
        } else {
          st = Traits::Validate(r);
        }
        if constexpr (requires { Traits::Normalized(r); }) {
          if (!st.ok()) return st;
          if (std::optional<T> filled = Traits::Normalized(r)) {
            *normalized = std::move(*filled);
            *record = normalized;
          }
        }
        return st;
      },
      version.record);
  PRESENTIE_RETURN_IF_ERROR(unread);
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
  // The bounds every register keeps (core/version_vector.h): a vector of
  // more entries than any receiver takes, or a counter that a later edit
  // could not grow.
  if (Status bounded = stamp.vv.CheckBounds(); !bounded.ok()) return bad(bounded.message());
  return Status::Ok();
}

Status SqliteStore::CheckAhead(RecordKind kind, const std::string& id, const VersionStamp& stamp,
                               const VersionVector& seen, const ApplyState& state) {
  Status ahead = stamp.vv.CheckAhead(seen);
  if (ahead.ok()) return Status::Ok();
  return InvalidArgument("a version received from " + state.source + ": " +
                         Quoted(ToString(kind), id) + ": " + ahead.message());
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
  // An authority's endpoint holds a school's record under the school's own
  // keys (docs/authorities.md, "Many schools"): two schools' learner `L2`
  // are two learners here, and nothing one school sent reaches another.
  if (IsEndpoint()) {
    // Only what a school sends an endpoint can be held under a school
    // (the server's routing check refuses the rest first; this register
    // does not rely on it): never a school's own roster or attendance,
    // never what an authority writes about a person.
    const bool schools = std::visit(
        [](const auto& r) {
          using T = std::decay_t<decltype(r)>;
          return kinds::HasRekey<T> && !kinds::AboutPerson<T> &&
                 !std::is_same_v<T, exports::GemeenteDecision>;
        },
        *record);
    if (!schools) {
      return InvalidArgument("a version received from " + state.source + ": " +
                             Quoted(ToString(KindOf(*record)), RecordIdOf(*record)) +
                             " is not a kind a school sends to an authority's endpoint");
    }
    if (record != &normalized) normalized = *record;
    ScopeToSchool(normalized, state.school);
    record = &normalized;
  }
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
  // The record's live siblings, and how far the version runs ahead of them.
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
      Sibling s;
      s.seq = live->ColumnInt(0);
      if (Status st = Take(VersionVector::Decode(live->ColumnText(1)), &s.vv); !st.ok()) {
        return Damaged("change", "#" + std::to_string(s.seq), st);
      }
      s.vv_text = live->ColumnString(1);
      s.hlc = live->ColumnInt(2);
      s.writer_replica = live->ColumnString(3);
      siblings.push_back(std::move(s));
    }
  }
  // A version held here as a live sibling already is a duplicate before any
  // rule is asked: the rules judge what is new, and a version taken before
  // a rule existed is not refused when it comes again.
  for (const Sibling& s : siblings) {
    if (s.vv_text == vv_text) return Applied::kDuplicate;
  }
  if (state.check_ahead) {
    VersionVector seen;
    for (const Sibling& s : siblings) seen.Merge(s.vv);
    PRESENTIE_RETURN_IF_ERROR(CheckAhead(kind, id, stamp, seen, state));
  }
  // Each kind's ownership rule (its traits' MayWrite; every kind but
  // attendance, whose rules are the merge's, has one: kinds/all.h). A record
  // about a learner is checked against the learner when known here (nullopt
  // when not: then only the writer's role).
  const kinds::LearnerLookup learner =
      [&](const std::string& learner_id) -> Result<std::optional<Learner>> {
    Result<Learner> found = GetLearner(learner_id);
    if (found.ok()) return std::optional<Learner>(std::move(found).value());
    if (found.status().code() == StatusCode::kNotFound) return std::optional<Learner>();
    return found.status();
  };
  PRESENTIE_ASSIGN_OR_RETURN(const OwnershipVerdict verdict,
                             std::visit(
                                 [&](const auto& r) -> Result<OwnershipVerdict> {
                                   using Traits = kinds::KindTraits<std::decay_t<decltype(r)>>;
                                   if constexpr (requires { &Traits::MayWrite; }) {
                                     return Traits::MayWrite(stamp.writer.role, r, learner);
                                   } else {
                                     return OwnershipVerdict{};
                                   }
                                 },
                                 *record));
  if (!verdict.ok()) {
    PRESENTIE_ASSIGN_OR_RETURN(std::string body, EncodeRecordBody(*record));
    PRESENTIE_RETURN_IF_ERROR(KeepRefused(kind, id, vv_text, stamp, body, verdict, state));
    return Applied::kRefused;
  }
  for (Sibling& s : siblings) {
    // Version vectors are stored in their one canonical text.
    if (s.vv_text == vv_text) return Applied::kDuplicate;
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
  if (IsEndpoint()) PRESENTIE_RETURN_IF_ERROR(LinkPerson(*record, state.school));
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
  if (!options.school.empty() && !ValidateReplicaId(options.school).ok()) {
    return InvalidArgument("a school is named by a replica id (16 lowercase hex characters)");
  }
  ApplyState state;
  state.source = std::string(source_replica);
  state.school = options.school.empty() ? state.source : options.school;
  state.check_ahead = !options.from_hub;
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
  forget->BindInt(
      1, static_cast<int64_t>(std::min<uint64_t>(before_ms, std::numeric_limits<int64_t>::max())));
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

}  // namespace presentie::storage::impl
