// The reference endpoint, inside: the HTTP server class and what its files
// share (docs/architecture.md). Only sync/server/ includes this header.
#pragma once

#include <httplib.h>
#include <openssl/ssl.h>
#include <sodium.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "core/hex.h"
#include "core/ids.h"
#include "core/mutex.h"
#include "core/version_vector.h"
#include "presentie/sync/v1/sync.pb.h"
#include "storage/sha256.h"
#include "storage/versioned.h"
#include "sync/codec.h"
#include "sync/messages.h"
#include "sync/routing.h"
#include "sync/server.h"

namespace presentie::sync::server_impl {

using Clock = std::chrono::steady_clock;

// The oldest protocol version this server still speaks. A client states the
// highest it speaks; the server answers with min(that, kProtocolVersion).
// Version 1 is no longer spoken: a version-1 client could not read the
// submissions a pull may carry (sync/messages.h).
constexpr uint32_t kMinProtocolVersion = 2;

constexpr char kContentType[] = "application/x-protobuf";

using Digest = std::array<unsigned char, storage::Sha256::kBytes>;

// What the handlers learn about a request, for its log line. httplib serves a
// connection's requests on one worker thread and calls the logger on that
// thread after the answer is written, so a thread-local carries it across.
struct RequestTrace {
  bool started = false;
  Clock::time_point start;
  std::string device = "-";
  size_t bytes_in = 0;
  std::string_view code;  // the Error code's name when answered with one
};

// The request being handled on this thread, for its log line (log.cc).
extern thread_local RequestTrace t_trace;

struct Answer {
  int status = 200;
  std::string body;  // compressed protobuf
  // Set when the request body was not read: the connection cannot carry
  // another request, so the client is told to close it.
  bool close = false;
  std::optional<int> retry_after_s;
};

enum class Endpoint { kHello, kPush, kPull };

struct KnownToken {
  Digest hash;
  DeviceToken device;
};

// --- connection.cc ---------------------------------------------------------
// What HttpServer asks of its httplib server beyond httplib's own API.
class ConnectionGuard {
 public:
  virtual ~ConnectionGuard() = default;
  // After binding: a listen queue of kListenBacklog, not httplib's 5.
  virtual bool RaiseBacklog() = 0;
};
struct GuardedHttp {
  std::unique_ptr<httplib::Server> server;
  ConnectionGuard* guard = nullptr;  // the same object as `server`
};
// The httplib server, HTTPS when the config names a certificate, whose
// connections connection.cc serves: the per-address cap, the header and
// transfer deadlines, the listen queue (docs/sync.md, "Connections").
GuardedHttp MakeHttp(const ServerConfig& c);
// For the routes, on the thread that serves the request: its headers are in
// (its body and its answer now get their own time, and a stop waits for it);
// the connection is closed after the answer now being written.
void HeadersRead();
void CloseAfterAnswer();

// --- log.cc ----------------------------------------------------------------
void WriteLogLine(const httplib::Request& req, const httplib::Response& res);
// --- server.cc -------------------------------------------------------------
// The Error body of an answer. `message` is ours, never the client's data.
Answer ErrorAnswer(int status, ErrorCode code, std::string message);
// A 200 with an encoded response. Encoding our own response fails only on a
// bug (a value its message rules out) or when zstd runs out of memory.
Answer OkAnswer(Result<std::string> body);
// The code and message of a codec failure. The codec's messages name what
// was wrong by field and version index, never a field's value.
Answer CodecErrorAnswer(CodecError e, const Status& status);
// A store failure. Its message may name records, so the client gets the kind
// of failure only; the log line carries the code.
Answer StoreErrorAnswer(const Status& s);
// --- pull_sessions.cc ------------------------------------------------------
// The pull sessions' dictionaries (docs/sync.md, "Pull sessions"): per
// session, the strings its pages have sent, so the next page names them by
// index. Memory only, bounded: at most kMaxPullSessions sessions (the least
// recently used goes first), each forgotten after kPullSessionIdle without a
// page and when its sync's last page is sent, each at most
// kPullSessionStrings strings and kPullSessionBytes of them (past that,
// strings travel in their page again). A forgotten session costs bytes only.
// Thread-safe.
inline constexpr size_t kMaxPullSessions = 8;
inline constexpr std::chrono::seconds kPullSessionIdle{300};
inline constexpr size_t kPullSessionStrings = 131'072;
inline constexpr size_t kPullSessionBytes = 8 * kMiB;

struct PullSession {
  std::string id;     // 16 random bytes
  std::string owner;  // who may go on with it (HttpServer::Pull: the token and school)
  SessionIndex strings{kPullSessionStrings, kPullSessionBytes};
  Clock::time_point used;
};

class PullSessions {
 public:
  // The session `id` of `owner` whose client holds `strings` of its strings,
  // taken out (no other request can use it until Put back); nullptr when
  // there is no such one. `owner`'s session of that id whose count does not
  // match is forgotten; another owner's is left alone and not told apart
  // from an unknown id.
  std::unique_ptr<PullSession> Take(std::string_view id, std::string_view owner, size_t strings);
  // A new session of `owner` with a random id.
  static std::unique_ptr<PullSession> New(std::string_view owner);
  // Keeps `session` for its next page, forgetting the idle ones and, past
  // kMaxPullSessions, the least recently used.
  void Put(std::unique_ptr<PullSession> session);
  size_t size();  // for tests

 private:
  Mutex mu_;
  std::vector<std::unique_ptr<PullSession>> sessions_ GUARDED_BY(mu_);
};

// --- config.cc -------------------------------------------------------------
Digest Sha256(std::string_view bytes);
std::string Hex(const Digest& d);
// Checks what a config must hold before a server is made from it.
Result<std::vector<KnownToken>> ValidateConfig(const ServerConfig& c, bool own_register);
Result<std::unique_ptr<Server>> Make(ServerConfig config, std::unique_ptr<storage::Store> store,
                                     std::vector<KnownToken> tokens);

class HttpServer final : public Server {
 public:
  HttpServer(ServerConfig config, std::vector<KnownToken> tokens,
             std::unique_ptr<storage::Store> store, GuardedHttp http)
      : config_(std::move(config)),
        tokens_(std::move(tokens)),
        http_(std::move(http.server)),
        guard_(http.guard),
        store_(std::move(store)),
        replica_id_(store_->info().replica_id) {
    Route();
  }
  ~HttpServer() override { Stop(); }

  Status Start() override;
  int port() const override { return port_; }
  void Stop() override;

 private:
  void Route();
  // Steps 1 and 2: the headers alone. nullopt when the request may go on;
  // *device is then its token's device.
  std::optional<Answer> CheckHeaders(const httplib::Request& req, const DeviceToken** device);
  void Handle(Endpoint endpoint, const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader& reader);
  Answer Hello(const DeviceToken& device, std::string_view body);
  Answer Push(const DeviceToken& device, std::string_view body);
  Answer CheckWriters(const DeviceToken& device,
                      const std::vector<storage::VersionedRecord>& versions);
  Answer CheckRouted(const std::vector<storage::VersionedRecord>& versions);
  Answer Pull(const DeviceToken& device, std::string_view body);
  // Encodes a pull page, in the client's pull session when it keeps one.
  Answer SendPage(const DeviceToken& device, const PullRequest& pull, PullResponse& response);

  const ServerConfig config_;
  const std::vector<KnownToken> tokens_;
  std::unique_ptr<httplib::Server> http_;
  ConnectionGuard* const guard_;  // http_, seen as what connection.cc adds to it
  std::thread listener_;
  int port_ = 0;
  bool started_ = false;
  bool stopped_ = false;

  // Forgets stored push answers older than the retention, at the first push
  // and then at most once a day. Called with store_mu_ held. A failure is
  // left for the next push to retry: it costs only space.
  void ForgetOldAnswersIfDue() REQUIRES(store_mu_);

  // The store is one SQLite connection: one request at a time uses it.
  Mutex store_mu_;
  std::unique_ptr<storage::Store> store_ GUARDED_BY(store_mu_);
  std::optional<std::chrono::steady_clock::time_point> last_forget_ GUARDED_BY(store_mu_);
  const std::string replica_id_;  // the store's, read once
  PullSessions pull_sessions_;
};

}  // namespace presentie::sync::server_impl
