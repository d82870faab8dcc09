#include "storage/internal/audit.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <utility>

#include "storage/internal/schema.h"

namespace presentie::storage::internal {
namespace {

// How far from its position an intact entry is looked for when its hash
// fails there; an entry found at another seq was moved, not altered.
constexpr int64_t kReorderWindow = 64;

std::string EntryHashAt(const StoredEntry& e, int64_t seq) {
  Sha256 h;
  h.AddField(kEntryTag);
  h.AddField(e.prev_hash);
  h.AddField(seq);
  h.AddField(e.at_ms);
  h.AddField(e.actor_replica);
  h.AddField(e.actor_role);
  h.AddField(e.actor_user);
  h.AddField(e.action);
  h.AddField(e.summary);
  h.AddField(e.first_change);
  h.AddField(e.last_change);
  h.AddField(e.digest);
  return h.FinishHex();
}

constexpr std::string_view kSelectEntries =
    "SELECT seq, at_ms, actor_replica, actor_role, actor_user, action, summary, "
    "first_change, last_change, digest, prev_hash, hash FROM audit";

StoredEntry ReadStored(sqlite::Statement& stmt) {
  StoredEntry e;
  e.seq = stmt.ColumnInt(0);
  e.at_ms = stmt.ColumnInt(1);
  e.actor_replica = stmt.ColumnString(2);
  e.actor_role = stmt.ColumnString(3);
  e.actor_user = stmt.ColumnString(4);
  e.action = stmt.ColumnString(5);
  e.summary = stmt.ColumnString(6);
  e.first_change = stmt.ColumnInt(7);
  e.last_change = stmt.ColumnInt(8);
  e.digest = stmt.ColumnString(9);
  e.prev_hash = stmt.ColumnString(10);
  e.hash = stmt.ColumnString(11);
  return e;
}

// The seq at which an entry's hash verifies, searched near `e.seq`, or
// nullopt when it verifies nowhere near (its content was altered).
std::optional<int64_t> WrittenSeq(const StoredEntry& e) {
  for (int64_t d = 1; d <= kReorderWindow; ++d) {
    for (int64_t seq : {e.seq - d, e.seq + d}) {
      if (seq >= 1 && EntryHashAt(e, seq) == e.hash) return seq;
    }
  }
  return std::nullopt;
}

struct RangeCheck {
  int64_t rows = 0;
  std::string digest;
};

Result<RangeCheck> DigestRange(sqlite::Database& db, int64_t first, int64_t last) {
  PRESENTIE_ASSIGN_OR_RETURN(
      sqlite::CachedStatement stmt,
      db.Cached("SELECT seq, kind, record_id, vv, hlc, writer_replica, writer_role, "
                "writer_user, unseal_or_keep(body, 'body') FROM versions "
                "WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq"));
  stmt->BindInt(1, first);
  stmt->BindInt(2, last);
  ChangeDigest digest;
  RangeCheck check;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    digest.Add(ChangeContent{stmt->ColumnInt(0), stmt->ColumnText(1), stmt->ColumnText(2),
                             stmt->ColumnText(3), stmt->ColumnInt(4), stmt->ColumnText(5),
                             stmt->ColumnText(6), stmt->ColumnText(7), stmt->ColumnText(8)});
    ++check.rows;
  }
  check.digest = digest.Finish();
  return check;
}

std::string Num(int64_t n) { return "#" + std::to_string(n); }

std::string Span(int64_t first, int64_t last) {
  return first == last ? Num(first) : Num(first) + ".." + Num(last);
}

}  // namespace

Status InitCrypto() {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  return Status::Ok();
}

ChangeDigest::ChangeDigest() { hash_.AddField(kChangesTag); }

void ChangeDigest::Add(const ChangeContent& c) {
  hash_.AddField(c.seq);
  hash_.AddField(c.kind);
  hash_.AddField(c.record_id);
  hash_.AddField(c.vv);
  hash_.AddField(c.hlc);
  hash_.AddField(c.writer_replica);
  hash_.AddField(c.writer_role);
  hash_.AddField(c.writer_user);
  hash_.AddField(c.body);
}

std::string ChangeDigest::Finish() { return hash_.FinishHex(); }

std::string EntryHash(const StoredEntry& entry) { return EntryHashAt(entry, entry.seq); }

Result<AuditEntry> AppendAuditEntry(sqlite::Database& db, AuditEntry entry) {
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> head_seq, GetMetaInt(db, meta::kAuditHeadSeq));
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<std::string> head_hash,
                             GetMetaText(db, meta::kAuditHeadHash));
  StoredEntry s;
  s.seq = head_seq.value_or(0) + 1;
  s.at_ms = static_cast<int64_t>(entry.at_ms);
  s.actor_replica = entry.actor.replica;
  s.actor_role = std::string(ToString(entry.actor.role));
  s.actor_user = entry.actor.user;
  s.action = entry.action;
  s.summary = entry.summary;
  s.first_change = entry.first_change;
  s.last_change = entry.last_change;
  s.digest = entry.digest;
  s.prev_hash = head_hash.value_or(std::string(kZeroHash));
  s.hash = EntryHash(s);

  PRESENTIE_ASSIGN_OR_RETURN(
      sqlite::CachedStatement insert,
      db.Cached("INSERT INTO audit (seq, at_ms, actor_replica, actor_role, actor_user, action, "
                "summary, first_change, last_change, digest, prev_hash, hash) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  insert->BindInt(1, s.seq);
  insert->BindInt(2, s.at_ms);
  insert->BindTextRef(3, s.actor_replica);
  insert->BindTextRef(4, s.actor_role);
  insert->BindTextRef(5, s.actor_user);
  insert->BindTextRef(6, s.action);
  insert->BindTextRef(7, s.summary);
  insert->BindInt(8, s.first_change);
  insert->BindInt(9, s.last_change);
  insert->BindTextRef(10, s.digest);
  insert->BindTextRef(11, s.prev_hash);
  insert->BindTextRef(12, s.hash);
  Status inserted = insert->Run();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return DataLoss("the audit log has an entry beyond its head (" + Num(s.seq) +
                    "); run `presentie audit verify`");
  }
  PRESENTIE_RETURN_IF_ERROR(inserted);
  PRESENTIE_RETURN_IF_ERROR(SetMetaInt(db, meta::kAuditHeadSeq, s.seq));
  PRESENTIE_RETURN_IF_ERROR(SetMetaText(db, meta::kAuditHeadHash, s.hash));

  entry.seq = s.seq;
  entry.prev_hash = std::move(s.prev_hash);
  entry.hash = std::move(s.hash);
  return entry;
}

Result<std::vector<AuditEntry>> ReadAuditEntries(sqlite::Database& db, int64_t after_seq,
                                                 int limit) {
  static const std::string kSql =
      std::string(kSelectEntries) + " WHERE seq > ?1 ORDER BY seq LIMIT ?2";
  PRESENTIE_ASSIGN_OR_RETURN(sqlite::CachedStatement stmt, db.Cached(kSql));
  stmt->BindInt(1, after_seq);
  stmt->BindInt(2, limit);
  std::vector<AuditEntry> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    StoredEntry s = ReadStored(*stmt);
    Result<Role> role = ParseRole(s.actor_role);
    if (!role.ok()) {
      return DataLoss("audit entry " + Num(s.seq) +
                      " has an unknown role; run `presentie audit "
                      "verify`");
    }
    AuditEntry e;
    e.seq = s.seq;
    e.at_ms = static_cast<uint64_t>(s.at_ms);
    e.actor = Writer{std::move(s.actor_replica), *role, std::move(s.actor_user)};
    e.action = std::move(s.action);
    e.summary = std::move(s.summary);
    e.first_change = s.first_change;
    e.last_change = s.last_change;
    e.digest = std::move(s.digest);
    e.prev_hash = std::move(s.prev_hash);
    e.hash = std::move(s.hash);
    out.push_back(std::move(e));
  }
  return out;
}

// The chain is checked entry by entry, and each finding is classified so
// that a person can tell what was done to the log:
//  - altered: an entry's hash does not match its content anywhere near its
//    position, or its change rows no longer match its digest;
//  - reordered: an entry is intact but sits at another position than the one
//    it was written at;
//  - removed: the seq jumps and the link skips over the missing entries, or
//    change rows in an entry's range are missing;
//  - inserted: an entry beyond the head recorded in meta;
//  - head-mismatch: the head in meta names an entry that is not there (the
//    end of the log was cut off) or whose hash differs;
//  - unaudited-change: change rows that no entry covers.
Result<AuditReport> VerifyAuditChain(sqlite::Database& db) {
  AuditReport report;
  std::vector<StoredEntry> entries;
  {
    static const std::string kSql = std::string(kSelectEntries) + " ORDER BY seq";
    PRESENTIE_ASSIGN_OR_RETURN(sqlite::Statement stmt, db.Prepare(kSql));
    for (;;) {
      PRESENTIE_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      entries.push_back(ReadStored(stmt));
    }
  }
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> head_seq, GetMetaInt(db, meta::kAuditHeadSeq));
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<std::string> head_hash,
                             GetMetaText(db, meta::kAuditHeadHash));
  auto problem = [&report](int64_t seq, std::string kind, std::string detail) {
    report.problems.push_back(AuditProblem{seq, std::move(kind), std::move(detail)});
  };

  std::vector<std::pair<int64_t, int64_t>> ranges;
  std::string expected_prev(kZeroHash);
  int64_t prev_seq = 0;
  bool prev_moved = false;
  for (const StoredEntry& e : entries) {
    ++report.entries_checked;
    bool moved = false;
    if (EntryHashAt(e, e.seq) != e.hash) {
      std::optional<int64_t> written = WrittenSeq(e);
      if (written.has_value()) {
        moved = true;
        problem(e.seq, "reordered",
                "entry written as " + Num(*written) + " is at position " + Num(e.seq));
      } else {
        problem(e.seq, "altered", "entry " + Num(e.seq) + " does not match its hash");
      }
    }
    if (e.prev_hash != expected_prev && !moved && !prev_moved) {
      if (e.seq != prev_seq + 1) {
        problem(e.seq, "removed",
                "entries " + Span(prev_seq + 1, e.seq - 1) + " are missing before " + Num(e.seq));
      } else {
        problem(e.seq, "altered", "entry " + Num(e.seq) + " does not link to the entry before it");
      }
    }
    if (e.first_change != 0 || e.last_change != 0) {
      ranges.emplace_back(e.first_change, e.last_change);
    }
    const int64_t expected_rows =
        (e.first_change == 0 && e.last_change == 0) ? 0 : e.last_change - e.first_change + 1;
    PRESENTIE_ASSIGN_OR_RETURN(RangeCheck check, DigestRange(db, e.first_change, e.last_change));
    report.changes_checked += check.rows;
    if (check.rows < expected_rows) {
      problem(e.seq, "removed",
              "change rows of entry " + Num(e.seq) + " (" + Span(e.first_change, e.last_change) +
                  ") are missing");
    } else if (check.digest != e.digest) {
      problem(e.seq, "altered",
              "change rows " + Span(e.first_change, e.last_change) + " of entry " + Num(e.seq) +
                  " do not match its digest");
    }
    expected_prev = e.hash;
    prev_seq = e.seq;
    prev_moved = moved;
  }

  const int64_t head = head_seq.value_or(0);
  const StoredEntry* at_head = nullptr;
  for (const StoredEntry& e : entries) {
    if (e.seq == head) at_head = &e;
    if (e.seq > head) {
      problem(e.seq, "inserted",
              "entry " + Num(e.seq) + " lies beyond the register's head " + Num(head));
    }
  }
  if (head > 0 && at_head == nullptr) {
    problem(head, "head-mismatch",
            "the register's head is entry " + Num(head) + " but the log ends at " + Num(prev_seq) +
                ": entries were removed from its end");
  } else if (at_head != nullptr && at_head->hash != head_hash.value_or("")) {
    problem(head, "head-mismatch",
            "entry " + Num(head) + " differs from the head recorded in the register");
  }

  // Every change row must lie in some entry's range.
  std::sort(ranges.begin(), ranges.end());
  PRESENTIE_ASSIGN_OR_RETURN(sqlite::Statement seqs,
                             db.Prepare("SELECT seq FROM versions ORDER BY seq"));
  size_t r = 0;
  int64_t run_first = 0;
  int64_t run_last = 0;
  auto flush = [&] {
    if (run_first == 0) return;
    problem(0, "unaudited-change",
            "change rows " + Span(run_first, run_last) + " are not covered by any audit entry");
    run_first = 0;
  };
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, seqs.Step());
    if (!row) break;
    const int64_t seq = seqs.ColumnInt(0);
    while (r < ranges.size() && ranges[r].second < seq) ++r;
    const bool covered = r < ranges.size() && ranges[r].first <= seq;
    if (covered) {
      flush();
    } else if (run_first != 0 && run_last + 1 == seq) {
      run_last = seq;
    } else {
      flush();
      run_first = run_last = seq;
    }
  }
  flush();
  return report;
}

}  // namespace presentie::storage::internal
