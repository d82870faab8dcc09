// The reference endpoint on cpp-httplib. How a request is handled, each
// step bounded before the work it guards:
//   1. the bearer token, from the headers alone: a stranger's body is never
//      kept, nor decoded (401);
//   2. Content-Encoding (zstd or none: httplib would otherwise inflate gzip
//      or brotli bodies itself) and Content-Length against
//      limits.max_compressed_bytes, before a byte of the body is read (413);
//   3. the body, read into a buffer that never grows past that limit, also
//      when it comes chunked and announced no length (413);
//   4. the codec (sync/codec.h), which bounds decompression and parsing and
//      validates every field (413 / 400);
//   5. the store, one request at a time (one SQLite connection).
// Every error is answered with the protobuf Error body; no message carries
// a record's content, and the log line carries no personal data and no token.
#include "sync/server.h"

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
#include "core/version_vector.h"
#include "presentie/sync/v1/sync.pb.h"
#include "storage/versioned.h"
#include "sync/messages.h"

namespace presentie::sync {
namespace {

using Clock = std::chrono::steady_clock;

// The oldest protocol version this server still speaks. A client states the
// highest it speaks; the server answers with min(that, kProtocolVersion).
// Version 1 is no longer spoken: a version-1 client could not read the
// submissions a pull may carry (sync/messages.h).
constexpr uint32_t kMinProtocolVersion = 2;

constexpr char kContentType[] = "application/x-protobuf";

// --- Hashing ------------------------------------------------------------------

void InitSodium() {
  // Thread-safe and idempotent; fails only when no entropy source exists, in
  // which case randombytes would abort rather than return weak bytes.
  static const int kInit = sodium_init();
  (void)kInit;
}

using Digest = std::array<unsigned char, crypto_hash_sha256_BYTES>;

Digest Sha256(std::string_view bytes) {
  Digest out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return out;
}

std::string Hex(const Digest& d) { return HexLower(d); }

// 64 hex digits (either case) to bytes; nullopt otherwise.
std::optional<Digest> ParseHexDigest(std::string_view hex) {
  if (hex.size() != crypto_hash_sha256_BYTES * 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Digest out{};
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return out;
}

// --- The request log ------------------------------------------------------------

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
thread_local RequestTrace t_trace;

// "2026-11-30T09:00:00.123Z"
std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms.count() % 1000));
  return buf;
}

// A request path for the log. Ours are logged as they are; any other is the
// client's text, so it is cut short, and digits (a BSN in a probing URL) and
// anything outside a harmless set are masked.
std::string LoggablePath(const std::string& path) {
  if (path == "/v1/hello" || path == "/v1/push" || path == "/v1/pull") return path;
  std::string out;
  for (char c : path.substr(0, 64)) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '.' ||
                       c == '_' || c == '-';
    out.push_back(plain ? c : (c >= '0' && c <= '9') ? '#' : '?');
  }
  if (path.size() > 64) out += "...";
  return out.empty() ? "-" : out;
}

void WriteLogLine(const httplib::Request& req, const httplib::Response& res) {
  RequestTrace trace = std::exchange(t_trace, RequestTrace{});
  const int64_t ms =
      trace.started
          ? std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - trace.start)
                .count()
          : 0;
  std::string line = UtcNow();
  line += ' ';
  line += req.method.empty() ? "-" : LoggablePath(req.method);
  line += ' ';
  line += LoggablePath(req.path);
  line += ' ';
  line += std::to_string(res.status);
  line += " device=" + trace.device;
  line += " in=" + std::to_string(trace.bytes_in);
  line += " out=" + std::to_string(res.body.size());
  line += " ms=" + std::to_string(ms);
  if (!trace.code.empty()) {
    line += " code=";
    line += trace.code;
  }
  line += '\n';
  // One write per line, so lines from several workers never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

// --- Answers --------------------------------------------------------------------

struct Answer {
  int status = 200;
  std::string body;  // compressed protobuf
  // Set when the request body was not read: the connection cannot carry
  // another request, so the client is told to close it.
  bool close = false;
  std::optional<int> retry_after_s;
};

// The Error body of an answer. `message` is ours, never the client's data.
Answer ErrorAnswer(int status, ErrorCode code, std::string message) {
  t_trace.code = ToString(code);
  Answer a;
  a.status = status;
  Result<std::string> body = EncodeErrorReply(ErrorReply{code, std::move(message)});
  // An ErrorReply always encodes (there is nothing to validate); if zstd ran
  // out of memory the status alone still tells the client what happened.
  if (body.ok()) a.body = std::move(*body);
  return a;
}

// A 200 with an encoded response. Encoding our own response fails only on a
// bug (a value its message rules out) or when zstd runs out of memory.
Answer OkAnswer(Result<std::string> body) {
  if (!body.ok()) return ErrorAnswer(500, ErrorCode::kInternal, "could not encode the answer");
  Answer a;
  a.body = std::move(*body);
  return a;
}

// The code and message of a codec failure. The codec's messages name what
// was wrong by field and version index, never a field's value.
Answer CodecErrorAnswer(CodecError e, const Status& status) {
  if (IsTooLarge(e)) return ErrorAnswer(413, ErrorCode::kTooLarge, status.message());
  return ErrorAnswer(400, ErrorCode::kBadRequest, status.message());
}

// A store failure. Its message may name records, so the client gets the kind
// of failure only; the log line carries the code.
Answer StoreErrorAnswer(const Status& s) {
  switch (s.code()) {
    case StatusCode::kBusy: {
      Answer a = ErrorAnswer(503, ErrorCode::kUnavailable,
                             "the server's register is busy; try again shortly");
      a.retry_after_s = 1;
      return a;
    }
    case StatusCode::kInvalidArgument:
      return ErrorAnswer(400, ErrorCode::kBadRequest, "the server's register refused the batch");
    case StatusCode::kPermissionDenied:
      return ErrorAnswer(403, ErrorCode::kForbidden,
                         "the server's register refused a version this device may not write");
    default:
      return ErrorAnswer(
          500, ErrorCode::kInternal,
          "the server's register failed (" + std::string(StatusCodeName(s.code())) + ")");
  }
}

// The Error body for an answer httplib made itself (unknown path, a request
// it could not parse) or a status set without a body.
ErrorCode CodeForStatus(int status) {
  switch (status) {
    case 401:
      return ErrorCode::kUnauthenticated;
    case 403:
      return ErrorCode::kForbidden;
    case 413:
      return ErrorCode::kTooLarge;
    case 503:
      return ErrorCode::kUnavailable;
    default:
      return status >= 500 ? ErrorCode::kInternal : ErrorCode::kBadRequest;
  }
}

void Send(const Answer& a, httplib::Response& res) {
  res.status = a.status;
  res.set_header("Content-Encoding", "zstd");
  if (a.close) res.set_header("Connection", "close");
  if (a.retry_after_s) res.set_header("Retry-After", std::to_string(*a.retry_after_s));
  if (a.status == 401) res.set_header("WWW-Authenticate", "Bearer");
  res.set_content(a.body, kContentType);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// How much of a refused or oversized body is read and thrown away so that the
// answer reaches the client (see HttpServer::Handle): four times the limit.
size_t DiscardLimit(const Limits& limits) {
  const size_t max = limits.max_compressed_bytes;
  return max > std::numeric_limits<size_t>::max() / 4 ? std::numeric_limits<size_t>::max()
                                                      : max * 4;
}

// The announced Content-Length; nullopt when absent or not a number.
std::optional<uint64_t> ContentLength(const httplib::Request& req) {
  if (!req.has_header("Content-Length")) return std::nullopt;
  const std::string text = req.get_header_value("Content-Length");
  uint64_t length = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return length;
}

// --- The server -----------------------------------------------------------------

enum class Endpoint { kHello, kPush, kPull };

struct KnownToken {
  Digest hash;
  DeviceToken device;
};

class HttpServer final : public Server {
 public:
  HttpServer(ServerConfig config, std::vector<KnownToken> tokens,
             std::unique_ptr<storage::Store> store, std::unique_ptr<httplib::Server> http)
      : config_(std::move(config)),
        tokens_(std::move(tokens)),
        http_(std::move(http)),
        store_(std::move(store)) {
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

  const ServerConfig config_;
  const std::vector<KnownToken> tokens_;
  std::unique_ptr<httplib::Server> http_;
  std::thread listener_;
  int port_ = 0;
  bool started_ = false;
  bool stopped_ = false;

  // Forgets stored push answers older than the retention, at the first push
  // and then at most once a day. Called with store_mu_ held. A failure is
  // left for the next push to retry: it costs only space.
  void ForgetOldAnswersIfDue();

  // The store is one SQLite connection: one request at a time uses it.
  std::mutex store_mu_;
  std::unique_ptr<storage::Store> store_;  // guarded by store_mu_
  std::optional<std::chrono::steady_clock::time_point> last_forget_;  // guarded by store_mu_
};

void HttpServer::ForgetOldAnswersIfDue() {
  const auto now = std::chrono::steady_clock::now();
  if (last_forget_.has_value() && now - *last_forget_ < std::chrono::hours(24)) return;
  const auto wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  const int64_t keep_ms = int64_t{config_.idempotency_retention_days} * 24 * 3600 * 1000;
  if (wall_ms <= keep_ms) return;
  if (store_->ForgetIdempotencyBefore(static_cast<uint64_t>(wall_ms - keep_ms)).ok()) {
    last_forget_ = now;
  }
}

void HttpServer::Route() {
  const auto on = [this](Endpoint e) {
    return [this, e](const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& reader) { Handle(e, req, res, reader); };
  };
  http_->Post("/v1/hello", on(Endpoint::kHello));
  http_->Post("/v1/push", on(Endpoint::kPush));
  http_->Post("/v1/pull", on(Endpoint::kPull));

  http_->set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_trace = RequestTrace{};
    t_trace.started = true;
    t_trace.start = Clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // A client that asks before sending its body (Expect: 100-continue) is
  // refused before it sends it.
  http_->set_expect_100_continue_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        const DeviceToken* device = nullptr;
        if (std::optional<Answer> refused = CheckHeaders(req, &device)) {
          Send(*refused, res);
          return refused->status;
        }
        return 100;
      });
  // Answers httplib makes itself (404, a request it cannot parse, a body it
  // could not read) get an Error body too; ours already have one.
  http_->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string message = res.status == 404   ? "no such endpoint: use POST /v1/hello, "
                                                    "/v1/push or /v1/pull"
                              : res.status == 405 ? "use POST"
                                                  : "the request could not be read";
        if (res.status == 404 && req.method != "POST") message = "use POST";
        Send(ErrorAnswer(res.status, CodeForStatus(res.status), std::move(message)), res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  // A handler that throws is a bug (or out of memory): answer 500 without
  // showing what() to the client, whose text might come from its data.
  http_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        Send(ErrorAnswer(500, ErrorCode::kInternal, "internal error"), res);
      });
  http_->set_logger(WriteLogLine);

  // Our handlers bound what they keep themselves; this bounds what httplib
  // reads for them (and for a path that is not ours) at what they discard.
  http_->set_payload_max_length(DiscardLimit(config_.limits));
  // httplib's default sets SO_REUSEPORT, with which a second server on the
  // same port starts without complaint and the kernel splits the devices
  // between two registers. SO_REUSEADDR alone lets a restart bind while old
  // connections linger, and makes a second server fail to bind.
  http_->set_socket_options([](socket_t sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Small answers on kept-alive connections: no Nagle delay.
  http_->set_tcp_nodelay(true);
  // A device's sync sends its requests back to back, so a connection kept
  // for it need not wait long for the next one; and Stop waits for idle
  // kept-alive connections to time out, so this also bounds how long a
  // SIGTERM takes.
  http_->set_keep_alive_max_count(1000);
  http_->set_keep_alive_timeout(2);
  const int threads = config_.worker_threads;
  http_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
}

std::optional<Answer> HttpServer::CheckHeaders(const httplib::Request& req,
                                               const DeviceToken** device) {
  // 1. The token.
  const std::string auth = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  std::string_view token;
  if (auth.size() > kBearer.size() &&
      EqualsIgnoreCase(std::string_view(auth).substr(0, kBearer.size()), kBearer)) {
    token = std::string_view(auth).substr(kBearer.size());
  }
  if (token.empty()) {
    return ErrorAnswer(401, ErrorCode::kUnauthenticated,
                       "no bearer token: send Authorization: Bearer <token>");
  }
  const Digest presented = Sha256(token);
  const KnownToken* found = nullptr;
  // Every entry is compared, in constant time, so the time taken tells
  // nothing about which hashes exist.
  for (const KnownToken& known : tokens_) {
    if (sodium_memcmp(known.hash.data(), presented.data(), presented.size()) == 0) found = &known;
  }
  if (found == nullptr) {
    return ErrorAnswer(401, ErrorCode::kUnauthenticated, "the token is not known here");
  }
  *device = &found->device;
  t_trace.device = found->device.name;

  // 2. How the body comes, before any of it is read.
  const std::string encoding = req.get_header_value("Content-Encoding");
  if (!encoding.empty() && !EqualsIgnoreCase(encoding, "zstd") &&
      !EqualsIgnoreCase(encoding, "identity")) {
    return ErrorAnswer(400, ErrorCode::kBadRequest,
                       "Content-Encoding must be zstd: the body is one zstd frame");
  }
  if (req.has_header("Content-Length")) {
    const std::optional<uint64_t> length = ContentLength(req);
    if (!length) return ErrorAnswer(400, ErrorCode::kBadRequest, "Content-Length is not a number");
    if (*length > config_.limits.max_compressed_bytes) {
      return ErrorAnswer(413, ErrorCode::kTooLarge,
                         "body of " + std::to_string(*length) + " bytes is over the limit of " +
                             std::to_string(config_.limits.max_compressed_bytes));
    }
  }
  return std::nullopt;
}

void HttpServer::Handle(Endpoint endpoint, const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader& reader) {
  const size_t max = config_.limits.max_compressed_bytes;
  const size_t discard_max = DiscardLimit(config_.limits);
  const DeviceToken* device = nullptr;
  if (std::optional<Answer> refused = CheckHeaders(req, &device)) {
    // The body is not read, only discarded if it is not too long, so that
    // the answer reaches the client: closing a socket with unread bytes
    // makes the kernel reset the connection, and the client may lose the
    // answer with it. Longer bodies are left unread and the connection closed.
    size_t discarded = 0;
    const bool whole =
        ContentLength(req).value_or(0) <= discard_max &&
        reader([&](const char*, size_t length) { return (discarded += length) <= discard_max; });
    refused->close = !whole;
    return Send(*refused, res);
  }

  // 3. The body, never kept past the limit. Past it, the rest is discarded
  // (up to discard_max) for the same reason as above, and the answer is 413.
  std::string body;
  size_t received = 0;
  const bool whole = reader([&](const char* data, size_t length) {
    received += length;
    if (received > discard_max) return false;
    if (received <= max) body.append(data, length);
    return true;
  });
  t_trace.bytes_in = received;
  if (!whole || received > max) {
    // httplib sets 413 itself when Content-Length passes its payload limit.
    Answer a = received > max || res.status == 413
                   ? ErrorAnswer(413, ErrorCode::kTooLarge,
                                 "body is over the limit of " + std::to_string(max) + " bytes")
                   : ErrorAnswer(400, ErrorCode::kBadRequest, "the body could not be read whole");
    a.close = !whole;
    return Send(a, res);
  }

  // `presentie key rotate` may have replaced the register's key since the
  // server opened it: what it reads and writes from now on needs the new one.
  {
    std::lock_guard lock(store_mu_);
    if (Status s = store_->FollowKeyRotation(); !s.ok()) {
      if (s.code() != StatusCode::kFailedPrecondition) return Send(StoreErrorAnswer(s), res);
      Answer a = ErrorAnswer(503, ErrorCode::kUnavailable,
                             "the server's register key was replaced, and the key in its place "
                             "does not open the register; its admin must put the right one back");
      t_trace.code = "register_key_not_taken_up";
      return Send(a, res);
    }
  }
  switch (endpoint) {
    case Endpoint::kHello:
      return Send(Hello(*device, body), res);
    case Endpoint::kPush:
      return Send(Push(*device, body), res);
    case Endpoint::kPull:
      return Send(Pull(*device, body), res);
  }
}

// True when a body that failed to decode is a HelloRequest that states no
// protocol version (0: the field is absent) — a client of another protocol,
// told so rather than that its bytes are malformed.
bool StatesNoProtocolVersion(std::string_view body, const Limits& limits) {
  CodecResult<std::string> bytes = Decompress(body, limits);
  if (!bytes.ok()) return false;
  ::presentie::sync::v1::HelloRequest hello;
  return hello.ParseFromArray(bytes->data(), static_cast<int>(bytes->size())) &&
         hello.protocol_version() == 0;
}

Answer HttpServer::Hello(const DeviceToken& device, std::string_view body) {
  CodecResult<HelloRequest> hello = DecodeHelloRequest(body, config_.limits);
  if (!hello.ok()) {
    if (hello.error() == CodecError::kMalformed && StatesNoProtocolVersion(body, config_.limits)) {
      return ErrorAnswer(400, ErrorCode::kUnsupportedProtocol,
                         "the hello states no protocol version; this server speaks " +
                             std::to_string(kMinProtocolVersion) + " to " +
                             std::to_string(kProtocolVersion));
    }
    return CodecErrorAnswer(hello.error(), hello.status());
  }
  if (hello->protocol_version < kMinProtocolVersion) {
    return ErrorAnswer(400, ErrorCode::kUnsupportedProtocol,
                       "protocol version " + std::to_string(hello->protocol_version) +
                           " is no longer spoken; this server speaks " +
                           std::to_string(kMinProtocolVersion) + " to " +
                           std::to_string(kProtocolVersion));
  }
  if (hello->replica_id != device.replica_id) {
    return ErrorAnswer(403, ErrorCode::kForbidden,
                       "this token belongs to another replica than the one in hello");
  }

  HelloResponse response;
  response.protocol_version = std::min(hello->protocol_version, kProtocolVersion);
  response.client_role = device.role;
  response.max_compressed_bytes = config_.limits.max_compressed_bytes;
  response.max_decompressed_bytes = config_.limits.max_decompressed_bytes;
  response.max_records_per_batch = static_cast<uint32_t>(
      std::min<size_t>(config_.limits.max_records_per_batch, std::numeric_limits<uint32_t>::max()));
  {
    std::lock_guard lock(store_mu_);
    response.replica_id = store_->info().replica_id;
    response.role = store_->info().role;
    if (config_.role == Role::kGemeente) response.gemeente_code = config_.gemeente_code;
    Result<int64_t> last = store_->LastChangeSeq();
    if (!last.ok()) return StoreErrorAnswer(last.status());
    response.last_seq = *last;
  }
  return OkAnswer(EncodeHelloResponse(response));
}

// Whether an authority of role `writer` writes records of `kind` and sends
// them back to the schools: what a school's admin relays to its hub.
bool SentBackBy(Role writer, storage::RecordKind kind) {
  using storage::RecordKind;
  switch (writer) {
    case Role::kGemeente:
      return kind == RecordKind::kGemeenteDecision || kind == RecordKind::kGemeentePip ||
             kind == RecordKind::kGemeenteNaw;
    case Role::kDuo:
      return kind == RecordKind::kDuoExamResult || kind == RecordKind::kDuoDuty;
    default:
      return false;
  }
}

// A teacher's or an admin's device pushes the versions it wrote, as what its
// token says it is: that replica, that role. Relaying others' versions is a
// hub's job. Without this check a device could claim the admin's role (or
// the gemeente's) for its own writes, or write under another device's
// replica, and the ownership rules (core/ownership.h), which take the
// writer's role from the version, would take its word for it.
Answer HttpServer::CheckWriters(const DeviceToken& device,
                                const std::vector<storage::VersionedRecord>& versions) {
  if (device.role != Role::kTeacher && device.role != Role::kAdmin) return Answer{};
  for (const storage::VersionedRecord& v : versions) {
    const Writer& w = v.stamp.writer;
    if (w.replica == device.replica_id && w.role == device.role) continue;
    // The admin's register pulls the gemeente's decisions, PIPs and NAW data and
    // DUO's exam results and duty statuses from their endpoints and relays
    // them to the hub, so that every device shows them. Versions are not
    // signed: the hub trusts the admin's device to relay only what it
    // pulled (docs/authorities.md), and still applies their ownership rules
    // (O.gemeente-decision-owner, O.pip-owner, O.naw-owner,
    // O.exam-result-owner, O.duty-owner).
    if (device.role == Role::kAdmin && SentBackBy(w.role, storage::KindOf(v.record))) continue;
    return ErrorAnswer(
        403, ErrorCode::kForbidden,
        "a version in this batch was written by replica " + w.replica + " as " +
            std::string(ToString(w.role)) + ", but this token is replica " + device.replica_id +
            " as " + std::string(ToString(device.role)) +
            ": a device pushes only what it wrote itself, as itself (only a hub relays); if this "
            "device's role changed, the hub's admin must issue it a token with that role");
  }
  return Answer{};
}

// An authority's endpoint takes only what R1 routes to it (core/routing.h,
// docs/authorities.md): DUO's, only DUO rows — never a learner, a lesson or
// an attendance, so no absence reason and no hours of a learner R1 keeps
// from DUO can reach it (the school's submit leaves those learners out, and
// a row of theirs would have to be forged). One version outside that refuses
// the whole batch.
Answer HttpServer::CheckRouted(const std::vector<storage::VersionedRecord>& versions) {
  if (config_.role == Role::kHub) return Answer{};
  for (size_t i = 0; i < versions.size(); ++i) {
    const storage::RecordKind kind = storage::KindOf(versions[i].record);
    const std::string id = storage::RecordIdOf(versions[i].record);
    if (storage::SentTo(config_.role, config_.gemeente_code, kind, id)) continue;
    const std::string takes =
        config_.role == Role::kDuo
            ? "duo_hours, duo_absence, contract, invoice and the bridging_diploma addressed to "
              "DUO"
        : config_.role == Role::kBow
            ? "bow_planning and bow_qualification"
            : "the gemeente_hours, gemeente_absence and bridging_diploma of gemeente " +
                  config_.gemeente_code;
    std::string what = std::string(storage::ToString(kind));
    if (const std::string_view code = exports::GemeenteOfSubmissionId(id); !code.empty()) {
      what += ", of gemeente " + std::string(code);
    }
    return ErrorAnswer(403, ErrorCode::kForbidden,
                       "version " + std::to_string(i) + " (" + what + "): this " +
                           std::string(ToString(config_.role)) +
                           " endpoint takes only what the routing table R1 gives it (" + takes +
                           ")");
  }
  return Answer{};
}

Answer HttpServer::Push(const DeviceToken& device, std::string_view body) {
  // The request's hash is over the decompressed body, so a client may
  // re-compress a retried batch at another level. (The codec decompresses
  // it once more: it has no entry point for bytes already inflated.)
  std::string request_hash;
  {
    CodecResult<std::string> inflated = Decompress(body, config_.limits);
    if (!inflated.ok()) return CodecErrorAnswer(inflated.error(), inflated.status());
    request_hash = Hex(Sha256(*inflated));
  }

  CodecResult<PushRequest> push = DecodePushRequest(body, config_.limits);
  if (!push.ok()) return CodecErrorAnswer(push.error(), push.status());
  if (Answer forged = CheckWriters(device, push->versions); forged.status != 200) return forged;
  if (Answer unrouted = CheckRouted(push->versions); unrouted.status != 200) return unrouted;

  PushResponse response;
  {
    std::lock_guard lock(store_mu_);
    ForgetOldAnswersIfDue();
    // The check and the apply are one step under the lock: two copies of a
    // batch sent at once apply once.
    auto known = store_->GetIdempotency(push->idempotency_id);
    if (!known.ok()) return StoreErrorAnswer(known.status());
    if (known->has_value()) {
      const storage::Store::IdempotencyRecord& record = **known;
      if (record.request_hash != request_hash) {
        return ErrorAnswer(409, ErrorCode::kIdempotencyMismatch,
                           "this idempotency id was used before for another batch");
      }
      response.accepted = record.result.accepted;
      response.duplicate = record.result.duplicate;
      response.dominated = record.result.dominated;
      response.refused = record.result.refused;
      response.acknowledged_seq = record.acknowledged_seq;
    } else {
      storage::Store::ApplyOptions options;
      options.idempotency = storage::Store::IdempotencyRecord{
          push->idempotency_id, request_hash, {}, push->client_last_seq};
      auto applied = store_->ApplyRemote(device.replica_id, push->versions, options);
      if (!applied.ok()) return StoreErrorAnswer(applied.status());
      response.accepted = applied->accepted;
      response.duplicate = applied->duplicate;
      response.dominated = applied->dominated;
      response.refused = applied->refused;
      response.acknowledged_seq = push->client_last_seq;
    }
  }
  return OkAnswer(EncodePushResponse(response));
}

// What a replica must have sent an authority's endpoint for the
// authority's own version `change` to be about that replica's school: the
// absence a gemeente's decision answers (`id` exact), or any hours row of
// the learner a PIP, an exam result or a duty status is about (`id` a
// prefix). nullopt for a kind every device may read; an empty `id` when the
// record id is not of its kind's form (served to nobody).
struct Evidence {
  storage::RecordKind kind;
  std::string id;
  bool prefix = false;
};
std::optional<Evidence> EvidenceFor(const storage::Change& change) {
  using storage::RecordKind;
  const std::string& id = change.record_id;
  // "<head><learner>[/...]" -> the learner.
  auto learner_after = [&](std::string_view head) -> std::string {
    if (!id.starts_with(head)) return "";
    const std::string_view rest = std::string_view(id).substr(head.size());
    return std::string(rest.substr(0, rest.find('/')));
  };
  switch (change.kind) {
    case RecordKind::kGemeenteDecision: {
      const size_t at = id.find("/decision/");
      if (at == std::string::npos) return Evidence{RecordKind::kGemeenteAbsence, ""};
      std::string absence = id;
      absence.replace(at, std::string_view("/decision/").size(), "/absence/");
      return Evidence{RecordKind::kGemeenteAbsence, absence};
    }
    case RecordKind::kGemeentePip:
    case RecordKind::kGemeenteNaw: {
      const std::string code(exports::GemeenteOfSubmissionId(id));
      const std::string learner = learner_after(
          "gemeente/" + code + (change.kind == RecordKind::kGemeentePip ? "/pip/" : "/naw/"));
      if (code.empty() || learner.empty()) return Evidence{RecordKind::kGemeenteHours, ""};
      return Evidence{RecordKind::kGemeenteHours, "gemeente/" + code + "/" + learner + "/", true};
    }
    case RecordKind::kDuoExamResult:
    case RecordKind::kDuoDuty: {
      const std::string learner = learner_after(
          change.kind == RecordKind::kDuoDuty ? "duo/duty/" : "duo/exam/");
      if (learner.empty()) return Evidence{RecordKind::kDuoHours, ""};
      return Evidence{RecordKind::kDuoHours, "duo/" + learner + "/", true};
    }
    default:
      return std::nullopt;
  }
}

Answer HttpServer::Pull(const DeviceToken& device, std::string_view body) {
  CodecResult<PullRequest> pull = DecodePullRequest(body, config_.limits);
  if (!pull.ok()) return CodecErrorAnswer(pull.error(), pull.status());

  size_t page = config_.max_pull_page;
  if (pull->limit != 0) page = std::min<size_t>(page, pull->limit);
  page = std::min(page, config_.limits.max_records_per_batch);

  std::vector<storage::Change> changes;
  {
    std::lock_guard lock(store_mu_);
    auto read = store_->ChangesAfter(pull->after_seq, static_cast<int>(page));
    if (!read.ok()) return StoreErrorAnswer(read.status());
    changes = std::move(*read);
  }

  PullResponse response;
  response.next_seq = changes.empty() ? pull->after_seq : changes.back().seq;
  response.more = changes.size() == page;
  response.versions.reserve(changes.size());
  for (const storage::Change& change : changes) {
    // The device has what it sent us. A version that is no longer a sibling
    // is left out too: a later version in this log dominates it, and the
    // device receives that one (or sent it).
    if (change.received_from == device.replica_id || !change.live) continue;
    // An authority serves only what it owns: versions its own replica wrote.
    // A school never receives another school's submissions.
    if (config_.role != Role::kHub && change.stamp.writer.replica != store_->info().replica_id) {
      continue;
    }
    // ...and of those, only what is about the device's own school: a
    // gemeente's decision goes to the replica that sent the absence, a PIP,
    // an exam result or a duty status to those that sent the learner's
    // hours. (A hub relays everything between the school's own devices.)
    if (config_.role != Role::kHub) {
      if (std::optional<Evidence> needed = EvidenceFor(change)) {
        if (needed->id.empty()) continue;
        Result<bool> sent = [&] {
          std::lock_guard lock(store_mu_);
          return needed->prefix
                     ? store_->ReceivedAnyFrom(needed->kind, needed->id, device.replica_id)
                     : store_->ReceivedFrom(needed->kind, needed->id, device.replica_id);
        }();
        if (!sent.ok()) return StoreErrorAnswer(sent.status());
        if (!*sent) continue;
      }
    }
    Result<storage::VersionedRecord> version = storage::FromChange(change);
    if (!version.ok()) {
      t_trace.code = "stored_version_unreadable";
      return ErrorAnswer(
          500, ErrorCode::kInternal,
          "a stored version (seq " + std::to_string(change.seq) + ") could not be read");
    }
    response.versions.push_back(std::move(*version));
  }
  return OkAnswer(EncodePullResponse(response));
}

Status HttpServer::Start() {
  if (started_) return FailedPrecondition("the server was started already");
  if (!http_->is_valid()) {
    return FailedPrecondition("the TLS certificate, key or client CA could not be loaded");
  }
  const std::string& host = config_.listen_host;
  if (config_.port == 0) {
    port_ = http_->bind_to_any_port(host);
    if (port_ <= 0) {
      return FailedPrecondition("cannot listen on " + host + " (any port)");
    }
  } else {
    if (!http_->bind_to_port(host, config_.port)) {
      return FailedPrecondition("cannot listen on " + host + ":" + std::to_string(config_.port) +
                                " (in use, or not permitted)");
    }
    port_ = config_.port;
  }
  started_ = true;
  listener_ = std::thread([this] {
    if (!http_->listen_after_bind()) {
      // Only on a failure to accept after binding; the log says so.
      static constexpr char kLine[] = "presentie serve: the listening socket failed\n";
      std::fwrite(kLine, 1, sizeof kLine - 1, stderr);
    }
  });
  // listen_after_bind marks the server running before it accepts; wait for
  // that, so that a Stop right after Start finds it running.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!http_->is_running() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  // Closes the listening socket; listen_after_bind then waits for the worker
  // threads to finish the connections they serve, and returns.
  http_->stop();
  if (listener_.joinable()) listener_.join();
}

// --- Config ---------------------------------------------------------------------

using Json = nlohmann::json;

// Reads one object's keys against the ones known; names the unknown ones.
Status CheckKeys(const Json& object, std::string_view where, const std::set<std::string>& known) {
  std::vector<std::string> unknown;
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) unknown.push_back("'" + key + "'");
  }
  if (unknown.empty()) return Status::Ok();
  std::string list;
  for (const std::string& k : unknown) list += (list.empty() ? "" : ", ") + k;
  return InvalidArgument((where.empty() ? "" : std::string(where) + ": ") +
                         (unknown.size() == 1 ? "unknown key " : "unknown keys ") + list);
}

Status GetString(const Json& object, const std::string& key, std::string_view where,
                 std::string* out) {
  if (!object.contains(key)) return Status::Ok();
  const Json& v = object.at(key);
  if (!v.is_string()) return InvalidArgument(std::string(where) + key + ": must be a string");
  *out = v.get<std::string>();
  return Status::Ok();
}

template <typename T>
Status GetUnsigned(const Json& object, const std::string& key, std::string_view where, T min, T max,
                   T* out) {
  if (!object.contains(key)) return Status::Ok();
  const Json& v = object.at(key);
  if (!v.is_number_unsigned() || v.get<uint64_t>() < static_cast<uint64_t>(min) ||
      v.get<uint64_t>() > static_cast<uint64_t>(max)) {
    return InvalidArgument(std::string(where) + key + ": must be a whole number from " +
                           std::to_string(min) + " to " + std::to_string(max));
  }
  *out = static_cast<T>(v.get<uint64_t>());
  return Status::Ok();
}

std::string Resolve(const std::filesystem::path& base, const std::string& path) {
  if (path.empty()) return path;
  const std::filesystem::path p(path);
  return p.is_absolute() ? path : (base / p).lexically_normal().string();
}

Result<ServerConfig> ParseServerConfig(const Json& root, const std::filesystem::path& base) {
  if (!root.is_object()) return InvalidArgument("the config must be a JSON object");
  PRESENTIE_RETURN_IF_ERROR(CheckKeys(
      root, "",
      {"listen_host", "port", "register_path", "school_name", "brin", "tls_cert_file",
       "tls_key_file", "client_ca_file", "tokens", "limits", "max_pull_page", "worker_threads",
       "idempotency_retention_days", "role", "gemeente_code"}));
  ServerConfig c;
  if (root.contains("role")) {
    std::string role;
    PRESENTIE_RETURN_IF_ERROR(GetString(root, "role", "", &role));
    Result<Role> parsed = ParseRole(role);
    if (!parsed.ok() ||
        (*parsed != Role::kHub && *parsed != Role::kDuo && *parsed != Role::kGemeente &&
         *parsed != Role::kBow)) {
      return InvalidArgument(
          "role: must be hub (the school's hub), duo (DUO's endpoint), gemeente (a gemeente's "
          "endpoint, with gemeente_code) or bow (Blik op Werk's endpoint)");
    }
    c.role = *parsed;
  }
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "gemeente_code", "", &c.gemeente_code));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "listen_host", "", &c.listen_host));
  PRESENTIE_RETURN_IF_ERROR(GetUnsigned(root, "port", "", 0, 65535, &c.port));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "register_path", "", &c.register_path));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "school_name", "", &c.school_name));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "brin", "", &c.brin));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "tls_cert_file", "", &c.tls_cert_file));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "tls_key_file", "", &c.tls_key_file));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "client_ca_file", "", &c.client_ca_file));
  PRESENTIE_RETURN_IF_ERROR(
      GetUnsigned<uint32_t>(root, "max_pull_page", "", 1, 1'000'000, &c.max_pull_page));
  PRESENTIE_RETURN_IF_ERROR(GetUnsigned(root, "worker_threads", "", 1, 256, &c.worker_threads));
  PRESENTIE_RETURN_IF_ERROR(GetUnsigned(root, "idempotency_retention_days", "", 1, 3650,
                                        &c.idempotency_retention_days));
  c.register_path = Resolve(base, c.register_path);
  c.tls_cert_file = Resolve(base, c.tls_cert_file);
  c.tls_key_file = Resolve(base, c.tls_key_file);
  c.client_ca_file = Resolve(base, c.client_ca_file);

  if (root.contains("limits")) {
    const Json& l = root.at("limits");
    if (!l.is_object()) return InvalidArgument("limits: must be an object");
    PRESENTIE_RETURN_IF_ERROR(
        CheckKeys(l, "limits",
                  {"max_compressed_bytes", "max_decompressed_bytes", "max_records_per_batch",
                   "max_window_log", "max_elements_per_record"}));
    constexpr size_t kGiB = size_t{1} << 30;
    Limits& lim = c.limits;
    PRESENTIE_RETURN_IF_ERROR(GetUnsigned<size_t>(l, "max_compressed_bytes", "limits.", 64, kGiB,
                                                  &lim.max_compressed_bytes));
    PRESENTIE_RETURN_IF_ERROR(GetUnsigned<size_t>(l, "max_decompressed_bytes", "limits.", 64,
                                                  4 * kGiB, &lim.max_decompressed_bytes));
    PRESENTIE_RETURN_IF_ERROR(GetUnsigned<size_t>(l, "max_records_per_batch", "limits.", 1,
                                                  10'000'000, &lim.max_records_per_batch));
    PRESENTIE_RETURN_IF_ERROR(
        GetUnsigned(l, "max_window_log", "limits.", 10, 27, &lim.max_window_log));
    PRESENTIE_RETURN_IF_ERROR(GetUnsigned<size_t>(l, "max_elements_per_record", "limits.", 16, 4096,
                                                  &lim.max_elements_per_record));
  }

  if (root.contains("tokens")) {
    const Json& list = root.at("tokens");
    if (!list.is_array()) return InvalidArgument("tokens: must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string where = "tokens[" + std::to_string(i) + "].";
      const Json& t = list[i];
      if (!t.is_object())
        return InvalidArgument("tokens[" + std::to_string(i) + "]: must be an object");
      PRESENTIE_RETURN_IF_ERROR(CheckKeys(t, "tokens[" + std::to_string(i) + "]",
                                          {"name", "token_sha256", "replica_id", "role"}));
      for (const char* key : {"name", "token_sha256", "replica_id", "role"}) {
        if (!t.contains(key)) return InvalidArgument(where + key + ": missing");
      }
      DeviceToken d;
      std::string role;
      PRESENTIE_RETURN_IF_ERROR(GetString(t, "name", where, &d.name));
      PRESENTIE_RETURN_IF_ERROR(GetString(t, "token_sha256", where, &d.token_sha256));
      PRESENTIE_RETURN_IF_ERROR(GetString(t, "replica_id", where, &d.replica_id));
      PRESENTIE_RETURN_IF_ERROR(GetString(t, "role", where, &role));
      if (Status s = ValidateDeviceName(d.name); !s.ok()) {
        return InvalidArgument(where + "name: " + s.message());
      }
      Result<Role> parsed = ParseRole(role);
      if (!parsed.ok() ||
          (*parsed != Role::kTeacher && *parsed != Role::kAdmin && *parsed != Role::kHub)) {
        return InvalidArgument(where + "role: must be teacher, admin or hub");
      }
      d.role = *parsed;
      c.tokens.push_back(std::move(d));
    }
  }
  return c;
}

// Checks what a config must hold before a server is made from it.
Result<std::vector<KnownToken>> ValidateConfig(const ServerConfig& c, bool own_register) {
  if (c.role != Role::kHub && c.role != Role::kDuo && c.role != Role::kGemeente &&
      c.role != Role::kBow) {
    return InvalidArgument("role: must be hub, duo, gemeente or bow");
  }
  if (c.role == Role::kGemeente) {
    if (Status s = ValidateGemeenteCode(c.gemeente_code); !s.ok()) {
      return InvalidArgument("gemeente_code: " + s.message() +
                             " (a gemeente endpoint needs its CBS code)");
    }
  } else if (!c.gemeente_code.empty()) {
    return InvalidArgument("gemeente_code: only for role gemeente");
  }
  if (c.listen_host.empty()) return InvalidArgument("listen_host: must not be empty");
  if (c.port < 0 || c.port > 65535) return InvalidArgument("port: must be 0 to 65535");
  if (own_register && c.register_path.empty()) {
    return InvalidArgument("register_path: missing (the server's own register)");
  }
  if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
    return InvalidArgument("tls_cert_file and tls_key_file: give both, or neither for plain HTTP");
  }
  if (!c.client_ca_file.empty() && c.tls_cert_file.empty()) {
    return InvalidArgument("client_ca_file: needs tls_cert_file and tls_key_file");
  }
  if (c.max_pull_page == 0 || c.max_pull_page > c.limits.max_records_per_batch) {
    return InvalidArgument("max_pull_page: must be 1 to limits.max_records_per_batch (" +
                           std::to_string(c.limits.max_records_per_batch) + ")");
  }
  if (c.worker_threads < 1 || c.worker_threads > 256) {
    return InvalidArgument("worker_threads: must be 1 to 256");
  }
  if (c.idempotency_retention_days < 1 || c.idempotency_retention_days > 3650) {
    return InvalidArgument("idempotency_retention_days: must be 1 to 3650");
  }
  if (c.limits.max_compressed_bytes == 0 || c.limits.max_decompressed_bytes == 0 ||
      c.limits.max_records_per_batch == 0) {
    return InvalidArgument("limits: must be positive");
  }
  std::vector<KnownToken> known;
  std::set<std::string> names;
  for (size_t i = 0; i < c.tokens.size(); ++i) {
    const DeviceToken& d = c.tokens[i];
    const std::string where = "tokens[" + std::to_string(i) + "].";
    if (Status s = ValidateDeviceName(d.name); !s.ok()) {
      return InvalidArgument(where + "name: " + s.message());
    }
    if (!names.insert(d.name).second) {
      return InvalidArgument(where + "name: '" + d.name + "' is listed twice");
    }
    std::optional<Digest> hash = ParseHexDigest(d.token_sha256);
    if (!hash) return InvalidArgument(where + "token_sha256: must be 64 hex digits");
    for (const KnownToken& k : known) {
      if (k.hash == *hash) return InvalidArgument(where + "token_sha256: listed twice");
    }
    if (Status s = ValidateReplicaId(d.replica_id); !s.ok()) {
      return InvalidArgument(where + "replica_id: " + s.message());
    }
    if (d.role != Role::kTeacher && d.role != Role::kAdmin && d.role != Role::kHub) {
      return InvalidArgument(where + "role: must be teacher, admin or hub");
    }
    // An authority is sent submissions by a school's admin, or its hub
    // relays them; a teacher's device has none to send.
    if (c.role != Role::kHub && d.role == Role::kTeacher) {
      return InvalidArgument(where + "role: a " + std::string(ToString(c.role)) +
                             " endpoint admits a school's admin or hub, not a teacher");
    }
    known.push_back(KnownToken{*hash, d});
  }
  return known;
}

std::unique_ptr<httplib::Server> MakeHttp(const ServerConfig& c) {
  if (c.tls_cert_file.empty()) return std::make_unique<httplib::Server>();
  auto https = std::make_unique<httplib::SSLServer>(
      c.tls_cert_file.c_str(), c.tls_key_file.c_str(),
      c.client_ca_file.empty() ? nullptr : c.client_ca_file.c_str());
  // TLS 1.2 at the least, whatever the system's OpenSSL configuration says
  // (Debian's says the same; another system's may not).
  if (https->is_valid()) SSL_CTX_set_min_proto_version(https->ssl_context(), TLS1_2_VERSION);
  return https;
}

Result<std::unique_ptr<Server>> Make(ServerConfig config, std::unique_ptr<storage::Store> store,
                                     std::vector<KnownToken> tokens) {
  std::unique_ptr<httplib::Server> http = MakeHttp(config);
  if (!http->is_valid()) {
    return FailedPrecondition(
        "the TLS certificate, key or client CA could not be loaded (tls_cert_file, "
        "tls_key_file, client_ca_file: PEM files, the key matching the certificate)");
  }
  return std::unique_ptr<Server>(std::make_unique<HttpServer>(std::move(config), std::move(tokens),
                                                              std::move(store), std::move(http)));
}

}  // namespace

std::string HashToken(std::string_view token) { return Hex(Sha256(token)); }

Status ValidateDeviceName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return InvalidArgument("a device name is 1 to 64 characters");
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return InvalidArgument("a device name holds only letters, digits, '.', '_' and '-'");
  }
  return Status::Ok();
}

std::string NewDeviceToken() {
  InitSodium();
  std::array<unsigned char, 32> raw{};
  randombytes_buf(raw.data(), raw.size());
  const size_t max =
      sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string out(max, '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  sodium_memzero(raw.data(), raw.size());
  return out;
}

Result<ServerConfig> LoadServerConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read the server config " + path);
  std::stringstream text;
  text << in.rdbuf();
  const Json root = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return InvalidArgument(path + ": not valid JSON");
  const std::filesystem::path base =
      std::filesystem::absolute(std::filesystem::path(path)).parent_path();
  Result<ServerConfig> config = ParseServerConfig(root, base);
  if (!config.ok()) return config.status().WithContext(path);
  if (auto checked = ValidateConfig(*config, true); !checked.ok()) {
    return checked.status().WithContext(path);
  }
  return config;
}

Result<std::unique_ptr<Server>> Server::Create(ServerConfig config) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<KnownToken> tokens, ValidateConfig(config, true));
  Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(config.register_path);
  if (!store.ok() && store.status().code() == StatusCode::kNoRegister) {
    storage::InitOptions init;
    init.school_name = config.school_name;
    init.brin = config.brin;
    init.role = config.role;
    store = storage::Store::Create(config.register_path, init);
    if (!store.ok()) {
      return store.status().WithContext("creating the server's register " + config.register_path);
    }
  }
  if (!store.ok()) return store.status();
  // An authority's register is made for it: a school's register must never
  // be served as an authority's endpoint, nor the other way round.
  const Role held = (*store)->info().role;
  const bool authority_register =
      held == Role::kDuo || held == Role::kGemeente || held == Role::kBow;
  if ((config.role != Role::kHub || authority_register) && held != config.role) {
    return FailedPrecondition("the register " + config.register_path + " is a " +
                              std::string(ToString((*store)->info().role)) +
                              " register, but the config says role " +
                              std::string(ToString(config.role)));
  }
  // A gemeente's register is bound to the code it was first served as.
  if (config.role == Role::kGemeente) {
    if (Status s = (*store)->SetGemeenteCode(storage::Actor{Role::kGemeente, "serve"},
                                             config.gemeente_code);
        !s.ok()) {
      return s.WithContext("the register " + config.register_path);
    }
  }
  return Make(std::move(config), std::move(*store), std::move(tokens));
}

Result<std::unique_ptr<Server>> Server::Create(ServerConfig config,
                                               std::unique_ptr<storage::Store> store) {
  if (store == nullptr) return InvalidArgument("no store given");
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<KnownToken> tokens, ValidateConfig(config, false));
  return Make(std::move(config), std::move(store), std::move(tokens));
}

}  // namespace presentie::sync
