// An authority's register (DUO, a gemeente, Blik op Werk) as the endpoint of
// many schools (docs/authorities.md, "Many schools"): a school's records are
// held under its own scoped keys, each person once (found by BSN), and what
// the authority writes is addressed to the schools it concerns, in an
// outbox per school that the school's pull reads.
#include <map>
#include <set>

#include "storage/sqlite_store/write.h"

namespace presentie::storage::impl {

void SqliteStore::ScopeToSchool(Record& record, std::string_view school) {
  std::visit(
      [&](auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (kinds::HasRekey<T> && !kinds::AboutPerson<T>) {
          kinds::KindTraits<T>::Rekey(
              r, [&](std::string& key) { key = SchoolScopedKey(school, key); });
        }
      },
      record);
}

Result<std::optional<int64_t>> SqliteStore::PersonOf(std::string_view raw_bsn, bool create) {
  // One person per BSN however it was written (an 8-digit BSN has its 0).
  Result<std::string> normal = NormalizeBsn(raw_bsn);
  if (!normal.ok()) return InvalidArgument("a person's BSN: " + normal.status().message());
  const std::string& bsn = *normal;
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement find,
                             db_->Cached("SELECT n FROM person WHERE bsn_hash = bsn_key(?1)"));
  find->BindText(1, bsn);
  PRESENTIE_ASSIGN_OR_RETURN(bool found, find->Step());
  if (found) return std::optional<int64_t>(find->ColumnInt(0));
  if (!create) return std::optional<int64_t>();
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement add,
      db_->Cached("INSERT INTO person (bsn, bsn_hash) VALUES (seal(?1, 'bsn'), bsn_key(?1))"));
  add->BindText(1, bsn);
  PRESENTIE_RETURN_IF_ERROR(add->Run());
  return std::optional<int64_t>(db_->LastInsertRowid());
}

Result<std::optional<std::string>> SqliteStore::PersonByBsn(std::string_view bsn) {
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> n, PersonOf(bsn, false));
  if (!n.has_value()) return std::optional<std::string>();
  return std::optional<std::string>(PersonKey(*n));
}

Status SqliteStore::LinkPerson(const Record& scoped, const std::string& school) {
  return std::visit(
      [&](const auto& r) -> Status {
        using Traits = kinds::KindTraits<std::decay_t<decltype(r)>>;
        if constexpr (requires { Traits::SchoolLearner(r); }) {
          const std::optional<ScopedKey> learner = SplitSchoolScopedKey(Traits::SchoolLearner(r));
          if (!learner.has_value() || learner->school != school) {
            return Internal("a received record was not held under its school's key");
          }
          PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> person, PersonOf(r.bsn, true));
          PRESENTIE_ASSIGN_OR_RETURN(
              CachedStatement link,
              db_->Cached("INSERT INTO school_person (school, learner, person) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (school, learner) DO UPDATE SET person = excluded.person "
                          "WHERE person != excluded.person"));
          link->BindTextRef(1, school);
          link->BindText(2, learner->key);
          link->BindInt(3, *person);
          PRESENTIE_RETURN_IF_ERROR(link->Run());
          if (db_->Changes() == 0) return Status::Ok();
          // A school new to this person: what the authority holds about them
          // is addressed to it now, in the order it was written.
          Status addressed = Status::Ok();
          kinds::ForEachKind([&]<typename T>() {
            if constexpr (kinds::AboutPerson<T>) {
              using K = kinds::KindTraits<T>;
              if (!addressed.ok()) return;
              Result<CachedStatement> add = db_->Cached(
                  Sql("INSERT INTO outbox (school, seq) SELECT ?1, v.seq FROM ", K::kName,
                      Sql(" t JOIN versions v ON v.kind = '", K::kName,
                          "' AND v.record_id = t.id AND v.live = 1 WHERE t.learner_id = ?2 "
                          "ORDER BY v.seq")));
              if (!add.ok()) {
                addressed = add.status();
                return;
              }
              (*add)->BindTextRef(1, school);
              (*add)->BindText(2, PersonKey(*person));
              addressed = (*add)->Run();
            }
          });
          return addressed;
        } else {
          return Status::Ok();
        }
      },
      scoped);
}

Status SqliteStore::AddressOwnVersion(const Record& record, int64_t seq) {
  return std::visit(
      [&](const auto& r) -> Status {
        using T = std::decay_t<decltype(r)>;
        if constexpr (kinds::AboutPerson<T>) {
          // To every school that has sent this person.
          const std::optional<int64_t> person = PersonNumber(r.learner_id);
          if (!person.has_value()) {
            return InvalidArgument("'" + r.learner_id + "' is not a person's key here");
          }
          PRESENTIE_ASSIGN_OR_RETURN(
              CachedStatement add,
              db_->Cached("INSERT INTO outbox (school, seq) SELECT DISTINCT school, ?2 "
                          "FROM school_person WHERE person = ?1 ORDER BY school"));
          add->BindInt(1, *person);
          add->BindInt(2, seq);
          return add->Run();
        } else if constexpr (kinds::HasRekey<T>) {
          // A decision about a school's absence: to that school.
          std::string school;
          T copy = r;
          kinds::KindTraits<T>::Rekey(copy, [&](std::string& key) {
            if (std::optional<ScopedKey> k = SplitSchoolScopedKey(key)) school = k->school;
          });
          if (school.empty()) return Status::Ok();
          PRESENTIE_ASSIGN_OR_RETURN(
              CachedStatement add, db_->Cached("INSERT INTO outbox (school, seq) VALUES (?1, ?2)"));
          add->BindTextRef(1, school);
          add->BindInt(2, seq);
          return add->Run();
        } else {
          return Status::Ok();
        }
      },
      record);
}

Result<Store::Addressed> SqliteStore::AddressedTo(std::string_view school, int64_t after,
                                                  int limit) {
  if (limit <= 0) return InvalidArgument("the outbox limit must be positive");
  if (!ValidateReplicaId(school).ok()) {
    return InvalidArgument("a school is a replica id (16 lowercase hex characters)");
  }
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement page,
      db_->Cached("SELECT o.n, v.seq, v.kind, v.record_id, v.vv, v.hlc, v.writer_replica, "
                  "v.writer_role, v.writer_user, open_body(v.body), v.live "
                  "FROM outbox o JOIN versions v ON v.seq = o.seq "
                  "WHERE o.school = ?1 AND o.n > ?2 ORDER BY o.n LIMIT ?3"));
  page->BindText(1, school);
  page->BindInt(2, after);
  page->BindInt(3, limit);
  Addressed out;
  out.next = after;
  std::vector<std::pair<Change, int64_t>> changes;  // with their outbox n
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, page->Step());
    if (!row) break;
    Change c;
    const int64_t n = page->ColumnInt(0);
    c.seq = page->ColumnInt(1);
    Status s = Take(ParseRecordKind(page->ColumnText(2)), &c.kind);
    c.record_id = page->ColumnString(3);
    if (s.ok()) s = ReadStamp(*page, 4, &c.stamp);
    if (!s.ok()) return Damaged("change", "#" + std::to_string(c.seq), s);
    c.body = page->ColumnString(9);
    c.live = page->ColumnBool(10);
    changes.emplace_back(std::move(c), n);
  }
  out.more = changes.size() == static_cast<size_t>(limit);
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement keys,
      db_->Cached("SELECT learner FROM school_person WHERE school = ?1 AND person = ?2 "
                  "ORDER BY learner"));
  // A record about a person is served once per key the school has for them,
  // so an entry may give several versions: the page ends with the last
  // entry whose versions all fit in `limit` (the client refuses a larger
  // page), and the next one starts after it.
  std::vector<VersionedRecord> entry;
  for (auto& [change, n] : changes) {
    entry.clear();
    // A version no longer a sibling: the one that dominates it is addressed
    // too, later in this outbox.
    if (!change.live) {
      out.next = n;
      continue;
    }
    Result<VersionedRecord> read = FromChange(change);
    if (!read.ok()) return Damaged("change", "#" + std::to_string(change.seq), read.status());
    VersionedRecord version = std::move(read).value();
    Status served = std::visit(
        [&](auto& r) -> Status {
          using T = std::decay_t<decltype(r)>;
          if constexpr (kinds::AboutPerson<T>) {
            // Once under each of the school's keys for this person.
            const std::optional<int64_t> person = PersonNumber(r.learner_id);
            if (!person.has_value()) return Status::Ok();
            keys->Reset();
            keys->BindText(1, school);
            keys->BindInt(2, *person);
            for (;;) {
              PRESENTIE_ASSIGN_OR_RETURN(bool row, keys->Step());
              if (!row) break;
              const std::string learner = keys->ColumnString(0);
              VersionedRecord copy = version;
              kinds::KindTraits<T>::Rekey(std::get<T>(copy.record),
                                          [&](std::string& key) { key = learner; });
              entry.push_back(std::move(copy));
            }
            return Status::Ok();
          } else if constexpr (kinds::HasRekey<T>) {
            // Only a record held under this school's keys, under its own.
            bool ours = true;
            kinds::KindTraits<T>::Rekey(r, [&](std::string& key) {
              const std::optional<ScopedKey> k = SplitSchoolScopedKey(key);
              if (!k.has_value() || k->school != school) {
                ours = false;
                return;
              }
              key = std::string(k->key);
            });
            if (ours) entry.push_back(std::move(version));
            return Status::Ok();
          } else {
            return Status::Ok();
          }
        },
        version.record);
    PRESENTIE_RETURN_IF_ERROR(served);
    if (!out.versions.empty() && out.versions.size() + entry.size() > static_cast<size_t>(limit)) {
      out.more = true;
      break;
    }
    for (VersionedRecord& v : entry) out.versions.push_back(std::move(v));
    out.next = n;
  }
  return out;
}

Status SqliteStore::RekeyPending() {
  // Only after schema step 14 found an endpoint's records: no scan (and no
  // write lock) on every open. Read again under the lock: another process
  // may have done it meanwhile.
  PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> pending,
                             internal::GetMetaInt(*db_, internal::meta::kRekeyPending));
  if (!pending.has_value()) return Status::Ok();
  PRESENTIE_ASSIGN_OR_RETURN(Write w, Write::Begin(*this, Actor{info_.role, ""}));
  PRESENTIE_ASSIGN_OR_RETURN(pending, internal::GetMetaInt(*db_, internal::meta::kRekeyPending));
  if (!pending.has_value()) return Status::Ok();

  // 1. Every live version of a kind an endpoint keys, in the order it came
  // (only live ones: the others stay in the change log as history).
  struct Held {
    int64_t seq = 0;
    std::string received_from;
    std::string old_id;
    VersionedRecord version;
  };
  std::vector<Held> held;
  {
    PRESENTIE_ASSIGN_OR_RETURN(
        Statement all,
        db_->Prepare("SELECT seq, kind, record_id, vv, hlc, writer_replica, writer_role, "
                     "writer_user, open_body(body), received_from FROM versions "
                     "WHERE live = 1 ORDER BY seq"));
    for (;;) {
      PRESENTIE_ASSIGN_OR_RETURN(bool row, all.Step());
      if (!row) break;
      Change c;
      c.seq = all.ColumnInt(0);
      Status st = Take(ParseRecordKind(all.ColumnText(1)), &c.kind);
      if (!st.ok()) return Damaged("change", "#" + std::to_string(c.seq), st);
      const bool keyed = kinds::WithKind(c.kind, []<typename T>() { return kinds::HasRekey<T>; });
      if (!keyed) continue;
      c.record_id = all.ColumnString(2);
      st = ReadStamp(all, 3, &c.stamp);
      if (!st.ok()) return Damaged("change", "#" + std::to_string(c.seq), st);
      c.body = all.ColumnString(8);
      Result<VersionedRecord> v = FromChange(c);
      if (!v.ok()) return Damaged("change", "#" + std::to_string(c.seq), v.status());
      held.push_back(Held{c.seq, all.ColumnString(9), c.record_id, std::move(v).value()});
    }
  }

  // 2. What the schools' records say: the BSNs each learner key was sent
  // with, and the schools each absence came from. Schema 13 let only one
  // school hold a key, but a register from before it may hold a key two
  // schools sent: what the authority wrote about such a key (or such an
  // absence) is not given to either — it is left as it came, served to
  // nobody, and counted in the audit entry.
  std::map<std::string, std::set<std::string>, std::less<>> bsns_of;
  std::map<std::string, std::set<std::string>, std::less<>> schools_of_absence;
  for (const Held& h : held) {
    if (h.received_from.empty()) continue;
    std::visit(
        [&](const auto& r) {
          using T = std::decay_t<decltype(r)>;
          if constexpr (requires { kinds::KindTraits<T>::SchoolLearner(r); }) {
            bsns_of[kinds::KindTraits<T>::SchoolLearner(r)].insert(NormalBsn(r.bsn));
          }
          if constexpr (std::is_same_v<T, exports::GemeenteAbsence>) {
            schools_of_absence[r.id].insert(h.received_from);
          }
        },
        h.version.record);
  }

  // 3. Each version under its school's keys or its person. A record keyed
  // so already (a register wound back to 13 in a test) is left as it is.
  struct Keying {
    std::string school;  // scope by this school, or
    std::string person;  // key by this person
  };
  size_t unresolved = 0;
  std::map<std::pair<RecordKind, std::string>, std::vector<const Held*>> by_new_id;
  std::set<std::pair<RecordKind, std::string>> old_ids;
  for (Held& h : held) {
    bool scoped_already = false;
    std::visit(
        [&](auto r) {  // a copy: Rekey only looks
          using T = std::decay_t<decltype(r)>;
          if constexpr (kinds::HasRekey<T> && !kinds::AboutPerson<T>) {
            kinds::KindTraits<T>::Rekey(r, [&](std::string& key) {
              scoped_already = scoped_already || SplitSchoolScopedKey(key).has_value();
            });
          }
        },
        h.version.record);
    if (scoped_already) continue;
    Keying k;
    PRESENTIE_RETURN_IF_ERROR(std::visit(
        [&](const auto& r) -> Status {
          using T = std::decay_t<decltype(r)>;
          if constexpr (kinds::AboutPerson<T>) {
            std::set<std::string> bsns;
            if constexpr (requires { r.bsn; }) {
              bsns.insert(NormalBsn(r.bsn));
            } else if (auto it = bsns_of.find(r.learner_id); it != bsns_of.end()) {
              bsns = it->second;
            }
            if (bsns.size() != 1) {
              ++unresolved;
              return Status::Ok();
            }
            PRESENTIE_ASSIGN_OR_RETURN(std::optional<int64_t> n, PersonOf(*bsns.begin(), true));
            k.person = PersonKey(*n);
          } else if constexpr (std::is_same_v<T, exports::GemeenteDecision>) {
            auto it = schools_of_absence.find(
                exports::GemeenteAbsenceId(r.gemeente_code, r.lesson_id, r.learner_id));
            if (it == schools_of_absence.end() || it->second.size() != 1) {
              ++unresolved;
              return Status::Ok();
            }
            k.school = *it->second.begin();
          } else {
            k.school = h.received_from;
          }
          return Status::Ok();
        },
        h.version.record));
    if (k.school.empty() && k.person.empty()) continue;
    std::visit(
        [&](auto& r) {
          using T = std::decay_t<decltype(r)>;
          if constexpr (kinds::HasRekey<T>) {
            kinds::KindTraits<T>::Rekey(r, [&](std::string& key) {
              key = k.person.empty() ? SchoolScopedKey(k.school, key) : k.person;
            });
          }
        },
        h.version.record);
    const RecordKind kind = KindOf(h.version.record);
    by_new_id[{kind, RecordIdOf(h.version.record)}].push_back(&h);
    old_ids.insert({kind, h.old_id});
  }

  // 4. Appended anew under their new ids (the change log is history the
  // audit chain covers: each version as it came stays there, no longer
  // live), as siblings by the usual rule where old ids meet in one new id
  // (two schools' PIPs of one person): a version another dominates, or one
  // equal to a later one, is not carried over. Each new record's typed row
  // is its shown sibling, by the policy; each school's learners linked.
  for (const auto& [kind, old_id] : old_ids) {
    PRESENTIE_ASSIGN_OR_RETURN(Statement drop,
                               db_->Prepare(Sql("DELETE FROM ", ToString(kind), " WHERE id = ?1")));
    drop.BindText(1, old_id);
    PRESENTIE_RETURN_IF_ERROR(drop.Run());
  }
  std::vector<std::pair<const Held*, int64_t>> appended;  // with its new seq
  for (const auto& [what, versions] : by_new_id) {
    const auto& [kind, new_id] = what;
    std::vector<const Held*> kept;
    for (const Held* h : versions) {
      bool beaten = false;
      for (const Held* o : versions) {
        if (o == h) continue;
        const Ordering order = h->version.stamp.vv.Compare(o->version.stamp.vv);
        if (order == Ordering::kDominatedBy ||
            (order == Ordering::kEqual &&
             (h->version.stamp.hlc.Pack() < o->version.stamp.hlc.Pack() ||
              (h->version.stamp.hlc.Pack() == o->version.stamp.hlc.Pack() && h->seq < o->seq)))) {
          beaten = true;
          break;
        }
      }
      if (!beaten) kept.push_back(h);
    }
    const Held* shown = nullptr;
    VersionVector merged;
    std::string shown_vv;
    for (const Held* h : kept) {
      const VersionStamp& stamp = h->version.stamp;
      PRESENTIE_ASSIGN_OR_RETURN(std::string body, EncodeRecordBody(h->version.record));
      const std::string vv = stamp.vv.Encode();
      PRESENTIE_RETURN_IF_ERROR(w.AppendReceived(ToString(kind), new_id, vv,
                                                 static_cast<int64_t>(stamp.hlc.Pack()),
                                                 stamp.writer, body, h->received_from));
      appended.emplace_back(h, db_->LastInsertRowid());
      merged.Merge(stamp.vv);
      if (shown == nullptr ||
          PolicyKey{static_cast<int64_t>(shown->version.stamp.hlc.Pack()),
                    shown->version.stamp.writer.replica, shown_vv} <
              PolicyKey{static_cast<int64_t>(stamp.hlc.Pack()), stamp.writer.replica, vv}) {
        shown = h;
        shown_vv = vv;
      }
      if (!h->received_from.empty()) {
        PRESENTIE_RETURN_IF_ERROR(LinkPerson(h->version.record, h->received_from));
      }
    }
    for (const Held* h : versions) {  // each as it came leaves the live set
      PRESENTIE_ASSIGN_OR_RETURN(CachedStatement retire,
                                 db_->Cached("UPDATE versions SET live = 0 WHERE seq = ?1"));
      retire->BindInt(1, h->seq);
      PRESENTIE_RETURN_IF_ERROR(retire->Run());
    }
    const std::string merged_vv = merged.Encode();
    PRESENTIE_RETURN_IF_ERROR(
        UpsertShown(*db_, shown->version.record,
                    ShownStamp{&merged_vv, static_cast<int64_t>(shown->version.stamp.hlc.Pack()),
                               &shown->version.stamp.writer}));
  }

  // 5. What the authority wrote, addressed to the schools it concerns: they
  // receive it again under their own keys (a duplicate where they hold it).
  for (const auto& [h, seq] : appended) {
    if (!h->received_from.empty() || h->version.stamp.writer.replica != info_.replica_id) continue;
    PRESENTIE_RETURN_IF_ERROR(AddressOwnVersion(h->version.record, seq));
  }
  PRESENTIE_ASSIGN_OR_RETURN(CachedStatement done,
                             db_->Cached("DELETE FROM meta WHERE key = 'endpoint_rekey_pending'"));
  PRESENTIE_RETURN_IF_ERROR(done->Run());
  std::string summary =
      std::to_string(old_ids.size()) + " records keyed by school and person (schema 14)";
  if (unresolved > 0) {
    summary += "; " + std::to_string(unresolved) +
               " of the authority's versions left as they came: their learner or absence was "
               "sent by more than one school, or by none with a BSN";
  }
  return w.Commit("migrate.endpoint", std::move(summary));
}

}  // namespace presentie::storage::impl
