// The sync engine: pushes this register's versions to a remote and pulls the
// remote's, applying them by the sibling rule (docs/sync.md, "Engine";
// docs/storage.md, "Replication").
//
// Durability: a push batch is stored (with its idempotency id) before it is
// sent and acknowledged after the server answered; a pull page is applied and
// its cursor advanced in one transaction. A sync killed at any point resumes
// where it stopped and never loses or duplicates a version.
#ifndef PRESENTIE_SYNC_ENGINE_H_
#define PRESENTIE_SYNC_ENGINE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "storage/store.h"
#include "sync/codec.h"
#include "sync/transport.h"

namespace presentie::sync {

struct SyncOptions {
  uint32_t push_batch_versions = 5'000;  // versions per push request
  uint32_t pull_page_versions = 5'000;   // asked per pull request; the server may send fewer
  Limits limits;                         // for what the server sends back
};

struct SyncProgress {
  std::string phase;  // "push" or "pull"
  uint64_t versions = 0;
  uint64_t bytes = 0;  // on the wire, compressed, both directions so far
};

struct SyncReport {
  std::string remote_replica;  // the server's identity from hello
  Role remote_role = Role::kHub;
  std::string remote_gemeente;  // a gemeente endpoint's CBS code, from hello
  uint64_t pushed = 0;        // versions sent
  uint64_t push_batches = 0;  // push requests sent
  uint64_t refused = 0;       // of the pushed, refused by the server (not the writer's to write)
  uint64_t pulled = 0;        // versions received
  uint64_t accepted = 0;      // of those, kept as siblings here
  uint64_t duplicate = 0;
  uint64_t dominated = 0;
  uint64_t refused_here = 0;
  uint64_t skewed = 0;        // of those, stamped > 2 min ahead of this clock (a wrong date)  // of those, refused here by ownership (`conflicts refused`)
  uint64_t pull_pages = 0;  // pages that brought versions or moved the cursor
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  int64_t elapsed_ms = 0;
};

// One sync with one remote: hello, push everything after the acknowledged
// cursor (re-sending a pending batch first, with its stored id), then pull
// every page after the local cursor. Errors: kUnavailable (offline: retry
// later), kPermissionDenied (token refused: 401/403), kInvalidArgument (the
// server answered something malformed), kFailedPrecondition (TLS setup,
// protocol version; the remote is this register itself). Storage errors
// (kBusy, ...) pass through. Pushed ranges holding only versions that came
// from the remote are acknowledged locally without a request; an empty pull
// page that does not move the cursor writes nothing.
Result<SyncReport> SyncWith(storage::Store& store, Transport& transport,
                            const SyncOptions& options,
                            const std::function<void(const SyncProgress&)>& progress = {});

}  // namespace presentie::sync

#endif  // PRESENTIE_SYNC_ENGINE_H_
