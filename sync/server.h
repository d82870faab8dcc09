// The reference endpoint (hub role for now): /v1/hello, /v1/push, /v1/pull
// over HTTP(S) with cpp-httplib, storing through storage::Store.
// docs/sync.md, "Server", describes the config file, the answers and the log.
//
// Thread-safety: a Server serves requests on its own threads; Start, Stop and
// port are called from one thread. The store is used through storage::Store
// only, one request at a time.
#ifndef PRESENTIE_SYNC_SERVER_H_
#define PRESENTIE_SYNC_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/domain.h"
#include "core/status.h"
#include "storage/store.h"
#include "sync/codec.h"

namespace presentie::sync {

// A device that may talk to this server. Only the token's SHA-256 is stored.
struct DeviceToken {
  std::string name;            // for the log; not personal data ("laptop-jdv")
  std::string token_sha256;    // lowercase hex
  std::string replica_id;      // the replica the device must present in hello
  Role role = Role::kTeacher;  // kTeacher, kAdmin or kHub
  // At an authority's endpoint: the school the device belongs to, a replica
  // id that names it (by convention its hub's); tokens that name the same
  // school are one school there (docs/authorities.md, "Many schools").
  // Empty: the device's own replica id.
  std::string school;
  const std::string& SchoolId() const { return school.empty() ? replica_id : school; }
};

struct ServerConfig {
  std::string listen_host = "127.0.0.1";
  int port = 8443;  // 0: pick a free port (tests)
  // What this endpoint is: the school's hub, or an authority's endpoint
  // (docs/authorities.md), which takes only what R1 routes to it: DUO's, or
  // one gemeente's (with its CBS code). BoW's is not built.
  Role role = Role::kHub;
  std::string gemeente_code;  // role gemeente only: its CBS code
  std::string register_path;  // the server's own register; created (with `role`) if missing
  // How the server opens its register (its key); not read from the config
  // file: the caller resolves it (cli/context.h ResolveKeyLocation).
  storage::StoreOptions store_options;
  std::string school_name;  // used when creating it
  std::string brin;
  std::string tls_cert_file;  // PEM; both empty = plain HTTP (see allow_plain_http_on)
  std::string tls_key_file;
  // Plain HTTP is served on a loopback listen_host only (sync/host.h), unless
  // listen_host is named here: the addresses a TLS proxy or a private link
  // already protects. Device tokens would otherwise cross the network in clear.
  std::vector<std::string> allow_plain_http_on;
  std::string client_ca_file;  // when set, clients must present a certificate it signed
  std::vector<DeviceToken> tokens;
  Limits limits;
  // Versions per pull page, at most; 1..limits.max_records_per_batch.
  uint32_t max_pull_page = 5'000;
  // Threads serving connections. A connection holds one from the moment it
  // is served until it closes, also while it waits for its next request, so
  // this bounds the connections served at the same moment.
  int worker_threads = 64;  // 1..256
  // Connections of one client address (an IPv4 address, an IPv6 /64) served
  // at the same moment; more wait, holding no thread, until one of them ends.
  // Well below worker_threads, so that a few addresses cannot take every
  // thread. 1..1024.
  int max_connections_per_address = 8;
  // Days a push's stored answer is kept for a replay; 1..3650. Forgotten at
  // start and then once a day; a batch re-sent later is applied again, its
  // versions arriving as duplicates.
  int idempotency_retention_days = 90;
};

// Reads a JSON config file (format in docs/sync.md). Errors name the key.
Result<ServerConfig> LoadServerConfig(const std::string& path);
// Hex SHA-256 of a token, as stored in the config.
std::string HashToken(std::string_view token);
// A device's name in the config and the log: 1 to 64 of [A-Za-z0-9._-]
// ("laptop-jdv"), so that no free text (a person's name) reaches the log.
Status ValidateDeviceName(std::string_view name);
// A fresh device token: 32 random bytes (libsodium) as 43 base64url
// characters, no padding. Shown once to the admin; the config keeps its hash.
std::string NewDeviceToken();

class Server {
 public:
  // Opens the register at config.register_path, creating it (role hub) if
  // there is no file. Errors: the config is invalid (kInvalidArgument), the
  // register cannot be opened or created (the store's code), the TLS files
  // cannot be loaded (kFailedPrecondition).
  static Result<std::unique_ptr<Server>> Create(ServerConfig config);
  // The same with a store the caller opened (another backend, tests);
  // config.register_path, school_name and brin are then unused.
  static Result<std::unique_ptr<Server>> Create(ServerConfig config,
                                                std::unique_ptr<storage::Store> store);
  virtual ~Server() = default;
  // Binds and starts serving on background threads; returns once listening.
  // kFailedPrecondition when the address cannot be bound (in use, not
  // permitted): a matter of configuration, not of waiting.
  virtual Status Start() = 0;
  virtual int port() const = 0;  // the bound port
  // Stops accepting, finishes requests in flight, returns when stopped.
  // Idempotent; the destructor calls it.
  virtual void Stop() = 0;
};

}  // namespace presentie::sync

#endif  // PRESENTIE_SYNC_SERVER_H_
