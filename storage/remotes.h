// The remotes a register syncs with (its hub, an authority's endpoint) and
// what the last sync with each did.
#ifndef PRESENTIE_STORAGE_REMOTES_H_
#define PRESENTIE_STORAGE_REMOTES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/record.h"

namespace presentie::storage {

class Remotes {
 public:
  virtual ~Remotes() = default;

  // Remotes this register syncs with, by name. The token stays in its own
  // file (mode 0600); the register keeps only the file's path.
  struct Remote {
    std::string name;        // 1–64 of [A-Za-z0-9._-]
    std::string url;         // "https://hub.example.nl:8443"
    std::string token_file;  // absolute path
    std::string ca_file;     // "" = the system's CAs
    std::string cert_file;   // client certificate for mutual TLS, or ""
    std::string key_file;
  };
  // Adds or replaces (same name) a remote; audited ("remote.put").
  // kInvalidArgument for a bad name, a URL that is not http(s) or carries
  // credentials, no token file, a relative path, or a client certificate
  // without its key.
  virtual Status PutRemote(const Remote& remote) = 0;
  virtual Result<std::vector<Remote>> ListRemotes() = 0;
  virtual Status RemoveRemote(std::string_view name) = 0;  // kNotFound if unknown

  // How a sync with a remote ended, noted by `presentie sync` after each
  // attempt. Sync bookkeeping: one UPDATE of the remote's row, not audited.
  struct SyncOutcome {
    bool ok = false;
    std::string remote_replica;  // from hello; "" when the attempt failed before it
    Role remote_role = Role::kHub;
    std::string remote_gemeente;  // a gemeente's CBS code, from hello
    std::string error;  // when !ok: a message that carries no personal data
  };
  // Stamped with this store's clock. kNotFound if no remote has that name.
  virtual Status NoteSyncOutcome(std::string_view name, const SyncOutcome& outcome) = 0;

  // What the register keeps of a remote beyond its settings: what its last
  // hello said and how the last attempts ended (NoteSyncOutcome). What waits
  // for it is sync's to say (sync/status.h).
  struct RemoteState {
    Remote remote;
    std::string replica_id;    // "" until a sync reached the remote
    std::optional<Role> role;  // from the last hello
    std::string gemeente_code; // a gemeente endpoint's CBS code, from the last hello
    std::optional<uint64_t> last_ok_ms;
    std::optional<uint64_t> last_error_ms;
    std::string last_error;  // "" when no attempt failed
  };
  // Every remote, by name.
  virtual Result<std::vector<RemoteState>> ListRemoteStates() = 0;

};

}  // namespace presentie::storage

#endif  // PRESENTIE_STORAGE_REMOTES_H_
