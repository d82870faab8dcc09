// What `presentie status` shows of each remote: what the register keeps of
// it (storage's RemoteState) and what waits for its next sync, by the same
// routing rule the push uses (sync/routing.h).
#ifndef PRESENTIE_SYNC_STATUS_H_
#define PRESENTIE_SYNC_STATUS_H_

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "storage/store.h"

namespace presentie::sync {

struct RemoteStatus {
  storage::Store::RemoteState state;
  storage::Store::RemoteCursor cursor;  // zero until a sync reached the remote
  bool batch_pending = false;           // a push sent and not yet acknowledged
  // Versions of this register the remote lacks, as the next sync will push
  // them (after the pushed cursor, not received from the remote, routed to
  // its role), by kind. `corrections`: those of a record the remote already
  // holds a version of — an edit of what it has, which it receives as a new
  // version dominating the old, never as a silent rewrite.
  struct Waiting {
    storage::RecordKind kind = storage::RecordKind::kLearner;
    uint64_t versions = 0;
    uint64_t corrections = 0;
  };
  std::vector<Waiting> waiting;  // kinds with versions waiting, in kind order
};

// Every remote of `store`, by name. Reads only.
Result<std::vector<RemoteStatus>> RemoteStatuses(storage::Store& store);

}  // namespace presentie::sync

#endif  // PRESENTIE_SYNC_STATUS_H_
