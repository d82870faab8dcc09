// The reference endpoint on cpp-httplib: its routes, the checks of a
// request's headers and body size before any work, the answers, and
// starting and stopping. How a request is handled, each step bounded
// before the work it guards:
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
// The connections the requests come on are served by connection.cc: its
// deadlines bound how long a request may take to arrive, and its cap how
// many connections one client address may hold.
#include "sync/server/http_server.h"

namespace presentie::sync::server_impl {

namespace {

// --- Answers --------------------------------------------------------------------

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

// Whether a request has a body: RFC 9112, 6.3, a request with neither
// Content-Length nor Transfer-Encoding has none, so none is waited for.
bool HasBody(const httplib::Request& req) {
  return req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
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

}  // namespace

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

Answer OkAnswer(Result<std::string> body) {
  if (!body.ok()) return ErrorAnswer(500, ErrorCode::kInternal, "could not encode the answer");
  Answer a;
  a.body = std::move(*body);
  return a;
}

Answer CodecErrorAnswer(CodecError e, const Status& status) {
  if (IsTooLarge(e)) return ErrorAnswer(413, ErrorCode::kTooLarge, status.message());
  return ErrorAnswer(400, ErrorCode::kBadRequest, status.message());
}

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
    HeadersRead();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Just before an answer's headers are written. A connection is kept only
  // for a device whose token was accepted: after any error answer to a
  // request that presented none, or an unknown one, and after an answer that
  // left the body unread, it is closed (connection.cc lingers so that the
  // answer arrives). httplib adds Keep-Alive on its own; it must not
  // contradict the close.
  http_->set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    const bool close = res.get_header_value("Connection") == "close" ||
                       (res.status >= 400 && t_trace.device == "-");
    if (!close) return;
    res.headers.erase("Connection");
    res.headers.erase("Keep-Alive");
    res.set_header("Connection", "close");
    CloseAfterAnswer();
  });
  // A client that asks before sending its body (Expect: 100-continue) is
  // refused before it sends it. It may send the body anyway, so the
  // connection is closed after the answer, which then cannot be mistaken for
  // the start of the next request.
  http_->set_expect_100_continue_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        const DeviceToken* device = nullptr;
        if (std::optional<Answer> refused = CheckHeaders(req, &device)) {
          refused->close = true;
          Send(*refused, res);
          return refused->status;
        }
        return 100;
      });
  // Answers httplib makes itself (404, a request it cannot parse, a body it
  // could not read) get an Error body too; ours already have one. Handled
  // either way: httplib then states the body's Content-Length, which it
  // leaves out of an answer given before the body (Expect: 100-continue).
  http_->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Handled;
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
  // for it need not wait long for the next one: it holds a worker while it
  // waits (connection.cc).
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
  // httplib reads any other transfer coding as a body that ends when the
  // connection does.
  if (req.has_header("Transfer-Encoding") &&
      !EqualsIgnoreCase(req.get_header_value("Transfer-Encoding"), "chunked")) {
    return ErrorAnswer(400, ErrorCode::kBadRequest,
                       "Transfer-Encoding must be chunked, or absent with a Content-Length");
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
        !HasBody(req) ||
        (ContentLength(req).value_or(0) <= discard_max &&
         reader([&](const char*, size_t length) { return (discarded += length) <= discard_max; }));
    refused->close = refused->close || !whole;
    return Send(*refused, res);
  }

  // 3. The body, never kept past the limit. Past it, the rest is discarded
  // (up to discard_max) for the same reason as above, and the answer is 413.
  std::string body;
  size_t received = 0;
  const bool whole = !HasBody(req) || reader([&](const char* data, size_t length) {
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
    MutexLock lock(&store_mu_);
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
  // Many devices connecting in the same second must not find the queue full:
  // their connections would wait for the SYN to be sent again, or be lost.
  if (!guard_->RaiseBacklog()) {
    return FailedPrecondition("cannot set the listen queue of " + host);
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

}  // namespace presentie::sync::server_impl

namespace presentie::sync {

Result<std::unique_ptr<Server>> Server::Create(ServerConfig config) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<server_impl::KnownToken> tokens,
                             server_impl::ValidateConfig(config, true));
  Result<std::unique_ptr<storage::Store>> store =
      storage::Store::Open(config.register_path, config.store_options);
  if (!store.ok() && store.status().code() == StatusCode::kNoRegister) {
    storage::InitOptions init;
    init.school_name = config.school_name;
    init.brin = config.brin;
    init.role = config.role;
    store = storage::Store::Create(config.register_path, init, config.store_options);
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
  return server_impl::Make(std::move(config), std::move(*store), std::move(tokens));
}

Result<std::unique_ptr<Server>> Server::Create(ServerConfig config,
                                               std::unique_ptr<storage::Store> store) {
  if (store == nullptr) return InvalidArgument("no store given");
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<server_impl::KnownToken> tokens,
                             server_impl::ValidateConfig(config, false));
  return server_impl::Make(std::move(config), std::move(store), std::move(tokens));
}

}  // namespace presentie::sync
