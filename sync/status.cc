#include "sync/status.h"

#include <map>
#include <optional>
#include <utility>

#include "sync/routing.h"

namespace presentie::sync {

Result<std::vector<RemoteStatus>> RemoteStatuses(storage::Store& store) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<storage::Store::RemoteState> states,
                             store.ListRemoteStates());
  std::vector<RemoteStatus> out;
  out.reserve(states.size());
  for (storage::Store::RemoteState& state : states) {
    RemoteStatus st;
    st.state = std::move(state);
    const std::string& replica = st.state.replica_id;
    if (!replica.empty()) {
      PRESENTIE_ASSIGN_OR_RETURN(st.cursor, store.GetCursor(replica));
      PRESENTIE_ASSIGN_OR_RETURN(std::optional<storage::Store::PendingBatch> pending,
                                 store.GetPendingBatch(replica));
      st.batch_pending = pending.has_value();
    }
    // What the engine will push (engine.cc, VersionsIn): every version after
    // the pushed cursor that did not come from the remote and that the
    // remote's role is sent. With no replica id yet, everything waits.
    PRESENTIE_ASSIGN_OR_RETURN(std::vector<storage::Store::Unsent> unsent,
                               store.UnsentVersions(st.cursor.pushed, replica));
    std::map<storage::RecordKind, RemoteStatus::Waiting> by_kind;
    for (const storage::Store::Unsent& u : unsent) {
      if (st.state.role.has_value() &&
          !SentTo(*st.state.role, st.state.gemeente_code, u.kind, u.record_id)) {
        continue;  // the remote's role is never sent it: it does not wait
      }
      RemoteStatus::Waiting& w = by_kind[u.kind];
      w.kind = u.kind;
      ++w.versions;
      if (u.remote_holds_record) ++w.corrections;
    }
    for (const auto& [kind, w] : by_kind) st.waiting.push_back(w);
    out.push_back(std::move(st));
  }
  return out;
}

}  // namespace presentie::sync
