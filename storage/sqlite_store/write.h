// One write call of the store (SqliteStore::Write): its transaction, the
// versions it appends and the audit entry that closes it.
#pragma once

#include <cassert>
#include <span>
#include <string>

#include "storage/sqlite_store/store_impl.h"

namespace presentie::storage::impl {

// The version columns of a version just appended, for the typed row.
struct NewVersion {
  std::string vv;
  int64_t hlc = 0;
  int64_t seq = 0;  // its place in the change log
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
    // A version whose counter cannot grow, or that no receiver would take
    // (docs/storage.md, "Version vector bounds"), is refused here, before
    // anything is written, rather than stranding every later sync.
    Status grown = vv.Increment(writer_.replica).status();
    if (grown.ok()) grown = vv.CheckBounds();
    if (!grown.ok()) {
      return FailedPrecondition("cannot write " + Quoted(ToString(kind), id) + ": " +
                                grown.message());
    }
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
    v.seq = db.LastInsertRowid();
    Appended(internal::ChangeContent{v.seq, kind_text, id, v.vv, v.hlc, writer_.replica, role_,
                                     writer_.user, body});
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
    PRESENTIE_RETURN_IF_ERROR(vv.Increment(writer_.replica).status());  // a new vector: 1
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

}  // namespace presentie::storage::impl
