// Remotes (the endpoints a register syncs with) and what the last sync
// with each did.
#include "storage/sqlite_store/write.h"

namespace presentie::storage::impl {

namespace {

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

// name, url, token_file, ca_file, cert_file, key_file from column 0 on.
Store::Remote ReadRemote(const Statement& s) {
  return Store::Remote{s.ColumnString(0), s.ColumnString(1), s.ColumnString(2),
                       s.ColumnString(3), s.ColumnString(4), s.ColumnString(5)};
}

}  // namespace

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

Result<std::vector<Store::RemoteState>> SqliteStore::ListRemoteStates() {
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement list,
      db_->Cached("SELECT name, url, token_file, ca_file, cert_file, key_file, replica_id, role, "
                  "last_ok_ms, last_error_ms, last_error, gemeente_code FROM remote "
                  "ORDER BY name"));
  std::vector<RemoteState> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, list->Step());
    if (!row) break;
    RemoteState st;
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
  return out;
}

Result<std::vector<Store::Unsent>> SqliteStore::UnsentVersions(int64_t after_seq,
                                                               std::string_view remote_replica) {
  // A remote holds a record's version that is at or before the pushed
  // cursor, or that came from it.
  PRESENTIE_ASSIGN_OR_RETURN(
      CachedStatement waiting,
      db_->Cached("SELECT v.kind, v.record_id, "
                  "  EXISTS (SELECT 1 FROM versions o "
                  "          WHERE o.kind = v.kind AND o.record_id = v.record_id "
                  "            AND (o.seq <= ?1 OR (?2 != '' AND o.received_from = ?2))) "
                  "FROM versions v "
                  "WHERE v.seq > ?1 AND (?2 = '' OR v.received_from != ?2) ORDER BY v.seq"));
  waiting->BindInt(1, after_seq);
  waiting->BindText(2, remote_replica);
  std::vector<Unsent> out;
  for (;;) {
    PRESENTIE_ASSIGN_OR_RETURN(bool row, waiting->Step());
    if (!row) break;
    Unsent u;
    PRESENTIE_RETURN_IF_ERROR(Take(ParseRecordKind(waiting->ColumnText(0)), &u.kind));
    u.record_id = waiting->ColumnString(1);
    u.remote_holds_record = waiting->ColumnBool(2);
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace presentie::storage::impl
