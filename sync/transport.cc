// The transport on cpp-httplib's client, the library the server already
// uses. Why it is shaped as it is:
//
// - Not libcurl: a short process paid for libcurl's two dozen shared
//   libraries in the dynamic loader on every start (docs/sync.md,
//   "Transport"). cpp-httplib is linked anyway, for the server.
// - One client per Transport, configured once in Create(), with keep-alive:
//   a sync of many batches pays the TCP and TLS handshakes once. Each Post()
//   only builds the request.
// - Verification of the server is never left to defaults, and nothing in
//   TransportOptions can change it: a device that accepts any certificate
//   would hand its bearer token to whoever sits on the school's Wi-Fi.
//   cpp-httplib checks the chain and then the host name with a matcher of
//   its own (which falls back to the subject's CN and allows partial
//   wildcards); OpenSSL's own check of the host name or IP address is also
//   set on the context, so the chain verification itself fails on a wrong
//   name, by RFC 6125's rules. Both must pass. No byte of a request is sent
//   before both have.
// - The bodies are zstd already; decompression is off and Accept-Encoding is
//   set by hand, so the codec sees (and bounds) exactly the bytes the server
//   sent.
// - cpp-httplib 0.11 has no total timeout, only one per wait on the socket.
//   Every wait is bounded by total_timeout_ms, and the deadline is checked
//   when the headers and each piece of the body arrive, so a server that
//   trickles its answer is cut off too.
// - cpp-httplib writes to sockets without MSG_NOSIGNAL (and OpenSSL never
//   uses it), so a write to a connection the server reset would raise
//   SIGPIPE and kill the process. SIGPIPE is blocked in the calling thread
//   around every use of the client, and the one it raised is taken back.
// - Retries are decided here, not by the library. A retry is only safe
//   because every push carries an idempotency id: the server answers a
//   replay with the stored result (docs/sync.md, "Retries").
// - TLS failures are never retried: a certificate that is not trusted now
//   will not be trusted in a second, and hammering a server with handshakes
//   that fail helps nobody. They return kFailedPrecondition, which the CLI
//   reports as a configuration problem rather than "offline, retry later".
#include "sync/transport.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>

#include "sync/host.h"

namespace presentie::sync {
namespace {

using Clock = std::chrono::steady_clock;

Status Unavailable(std::string message) { return {StatusCode::kUnavailable, std::move(message)}; }

bool HasControlCharacter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct BaseUrl {
  std::string url;  // as given, without a trailing '/', so that paths can be appended
  bool https = false;
  std::string host;          // as written; an IPv6 address in its brackets
  std::string connect_host;  // what is resolved and verified: lower case, no brackets
  int port = 0;
  std::string path_prefix;  // the URL's own path without a trailing '/'; "" for none
};

// scheme "://" host [":" port] [path]: what a hub's URL can be. The checks
// are those libcurl's URL parser made here before; a query, a fragment and
// credentials are refused rather than ignored.
Result<BaseUrl> ValidateBaseUrl(const std::string& base_url) {
  const auto not_a_url = [&base_url] {
    return InvalidArgument("remote URL '" + base_url +
                           "' is not a URL with a scheme (https://host:port)");
  };
  const size_t scheme_end = base_url.find("://");
  if (scheme_end == std::string::npos || scheme_end == 0 ||
      !std::isalpha(static_cast<unsigned char>(base_url[0])) ||
      !std::all_of(
          base_url.begin(), base_url.begin() + static_cast<std::ptrdiff_t>(scheme_end), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
          })) {
    return not_a_url();
  }
  const std::string scheme = Lower(std::string_view(base_url).substr(0, scheme_end));
  if (scheme != "https" && scheme != "http") {
    return InvalidArgument("remote URL '" + base_url + "': scheme '" + scheme +
                           "' is not supported (use https://)");
  }
  if (HasControlCharacter(base_url) || base_url.find(' ') != std::string::npos) {
    return InvalidArgument("remote URL '" + base_url +
                           "' must not contain spaces or control characters");
  }
  const std::string_view rest = std::string_view(base_url).substr(scheme_end + 3);
  const size_t authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view tail =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  // Credentials in the URL would end up in messages and logs; the token is
  // the only credential and travels in a header.
  if (authority.find('@') != std::string_view::npos) {
    return InvalidArgument("remote URL must not contain a user name or password; use a token");
  }
  if (tail.find_first_of("?#") != std::string_view::npos) {
    return InvalidArgument("remote URL '" + base_url + "' must not contain a query or a fragment");
  }

  BaseUrl result;
  result.https = scheme == "https";
  std::string_view port_text;
  bool has_port = false;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return not_a_url();
    result.host = std::string(authority.substr(0, close + 1));
    result.connect_host = Lower(authority.substr(1, close - 1));
    in6_addr address{};
    if (inet_pton(AF_INET6, result.connect_host.c_str(), &address) != 1) {
      return InvalidArgument("remote URL '" + base_url + "': '" + result.host +
                             "' is not an IPv6 address");
    }
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return not_a_url();
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = authority.find(':');
    result.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
    const bool name_chars = std::all_of(result.host.begin(), result.host.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    });
    if (!name_chars) {
      return InvalidArgument("remote URL '" + base_url + "': '" + result.host +
                             "' is not a host name or an address");
    }
    result.connect_host = Lower(result.host);
    // "127.1" and the like are IPv4 addresses to the resolver; written out,
    // they are judged and verified as the address they are.
    in_addr v4{};
    if (!result.host.empty() && inet_pton(AF_INET, result.host.c_str(), &v4) != 1 &&
        inet_aton(result.host.c_str(), &v4) != 0) {
      char text[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, &v4, text, sizeof text);
      result.host = result.connect_host = text;
    }
  }
  if (result.host.empty()) {
    return InvalidArgument("remote URL '" + base_url + "' has no host");
  }
  result.port = result.https ? 443 : 80;
  if (has_port && !port_text.empty()) {
    int port = 0;
    const auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return InvalidArgument("remote URL '" + base_url + "' has an invalid port");
    }
    result.port = port;
  }
  result.path_prefix = std::string(tail);
  while (result.path_prefix.ends_with('/')) result.path_prefix.pop_back();
  result.url = base_url;
  while (result.url.ends_with('/')) result.url.pop_back();
  return result;
}

Status ValidateOptions(const TransportOptions& o) {
  // A token with a line break would let a config file inject headers; the
  // message names the problem, never the token.
  if (HasControlCharacter(o.token) || o.token.find(' ') != std::string::npos) {
    return InvalidArgument("the token contains spaces or control characters");
  }
  if (o.tls.cert_file.empty() != o.tls.key_file.empty()) {
    return InvalidArgument("mutual TLS needs both a client certificate and its key");
  }
  if (o.connect_timeout_ms <= 0 || o.total_timeout_ms <= 0) {
    return InvalidArgument("timeouts must be positive (0 would mean: wait forever)");
  }
  if (o.retry.max_attempts < 1) {
    return InvalidArgument("retry.max_attempts must be at least 1");
  }
  if (o.retry.base_delay_ms < 0 || o.retry.max_delay_ms < 0) {
    return InvalidArgument("retry delays must not be negative");
  }
  if (o.max_response_bytes <= 0) {
    return InvalidArgument("max_response_bytes must be positive");
  }
  return Status::Ok();
}

// Retry-After as libcurl read it: delay-seconds, or an HTTP date (taken as
// seconds from now). 0 when absent, in the past or unparsable.
int64_t ParseRetryAfter(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  if (value.empty()) return 0;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    int64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error == std::errc::result_out_of_range) return std::numeric_limits<int64_t>::max();
    return seconds;
  }
  std::tm date{};
  const std::string text(value);
  if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &date) == nullptr) return 0;
  return std::max<int64_t>(0, static_cast<int64_t>(timegm(&date) - std::time(nullptr)));
}

// What OpenSSL put on this thread's error queue during one attempt.
struct OpenSslErrors {
  bool alert = false;        // the server sent a fatal TLS alert
  bool tls_problem = false;  // an alert, or a handshake OpenSSL refused
  std::string first;         // the first of those, as OpenSSL words it
};

OpenSslErrors TakeOpenSslErrors() {
  OpenSslErrors out;
  while (const unsigned long e = ERR_get_error()) {
    if (ERR_GET_LIB(e) != ERR_LIB_SSL) continue;
    const int reason = ERR_GET_REASON(e);
    // A connection dropped in the middle (server restarting, a load balancer
    // resetting) and the shutdown after a failed handshake are no TLS
    // problem: another attempt may succeed.
    if (reason == SSL_R_UNEXPECTED_EOF_WHILE_READING || reason == SSL_R_SHUTDOWN_WHILE_IN_INIT ||
        reason == SSL_R_PROTOCOL_IS_SHUTDOWN) {
      continue;
    }
    out.alert = out.alert || reason >= SSL_AD_REASON_OFFSET;
    if (!out.tls_problem) {
      char text[256] = {};
      ERR_error_string_n(e, text, sizeof text);
      out.first = text;
    }
    out.tls_problem = true;
  }
  return out;
}

// Blocks SIGPIPE in this thread while it lives and takes back the one that
// writes to a closed connection raised meanwhile, unless one was pending
// before (that one is not ours to swallow).
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  ~SigpipeBlocked() {
    if (!was_pending_) {
      const timespec no_wait{0, 0};
      // -1 with EAGAIN when no write raised one: ignored on purpose.
      (void)sigtimedwait(&pipe_, nullptr, &no_wait);
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t pipe_;
  sigset_t previous_;
  bool was_pending_ = false;
};

enum class Outcome {
  kReply,      // an HTTP answer
  kTransient,  // worth another attempt
  kTls,        // configuration or trust problem: kFailedPrecondition
  kFinal,      // no HTTP answer, and another attempt would not get one
  kBug,        // the library refused what this file asked of it
};

// One try: either an HTTP answer or what went wrong.
struct Attempt {
  Outcome outcome = Outcome::kReply;
  std::string error;  // what went wrong, when outcome != kReply
  int status = 0;
  std::string body;
  bool body_over_limit = false;
  bool timed_out = false;
  int64_t retry_after_s = 0;  // from Retry-After; 0 when absent or unparsable
  // A new TLS connection completed its handshake, then the server closed it
  // before sending a byte of an answer. See Post() for what that means.
  bool dropped_after_handshake = false;
  // A kept-alive connection failed before a byte of an answer arrived: the
  // server most likely closed it just as it was reused.
  bool reused_connection_lost = false;
};

class HttplibTransport final : public Transport {
 public:
  HttplibTransport(TransportOptions options, BaseUrl base_url)
      : options_(std::move(options)), base_(std::move(base_url)), rng_(std::random_device{}()) {
    if (!options_.sleep_ms) {
      options_.sleep_ms = [](int64_t ms) {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      };
    }
  }
  ~HttplibTransport() override {
    SigpipeBlocked no_sigpipe;  // closing a TLS connection writes its close_notify
    client_.reset();
  }

  // The client's socket callback points into this object.
  HttplibTransport(const HttplibTransport&) = delete;
  HttplibTransport& operator=(const HttplibTransport&) = delete;

  Status Configure();
  Result<HttpReply> Post(std::string_view path, std::string_view body) override;

 private:
  Status ConfigureTls(httplib::SSLClient& client);
  Attempt PerformOnce(const std::string& path, std::string_view body);
  Attempt PerformOnceOnAConnection(const std::string& path, std::string_view body);
  std::string VerificationFailure() const;
  int64_t BackoffMs(int retry_index, int64_t retry_after_s);

  TransportOptions options_;
  const BaseUrl base_;
  std::unique_ptr<httplib::ClientImpl> client_;
  httplib::SSLClient* ssl_client_ = nullptr;  // client_, when https
  // Why TLS cannot work with these options (an unreadable client certificate
  // or CA file); "" when it can. Every Post reports it, as a failed
  // handshake would.
  std::string tls_setup_failure_;
  int64_t connections_opened_ = 0;  // counted by the client's socket callback
  std::mt19937_64 rng_;
};

Status HttplibTransport::Configure() {
  const TransportOptions& o = options_;
  if (base_.https) {
    auto client = std::make_unique<httplib::SSLClient>(base_.connect_host, base_.port,
                                                       o.tls.cert_file, o.tls.key_file);
    ssl_client_ = client.get();
    client_ = std::move(client);
    if (!ssl_client_->is_valid()) {
      // It loads the client certificate and key in its constructor and
      // drops its whole context when either cannot be read.
      if (o.tls.cert_file.empty()) return Internal("OpenSSL could not create a TLS context");
      tls_setup_failure_ = "cannot read the client certificate '" + o.tls.cert_file +
                           "' or its key '" + o.tls.key_file + "' (PEM)";
    } else {
      PRESENTIE_RETURN_IF_ERROR(ConfigureTls(*ssl_client_));
    }
  } else {
    client_ = std::make_unique<httplib::ClientImpl>(base_.connect_host, base_.port);
  }
  httplib::ClientImpl& c = *client_;
  // The total timeout bounds the connection too, as it did with libcurl.
  c.set_connection_timeout(
      std::chrono::milliseconds(std::min(o.connect_timeout_ms, o.total_timeout_ms)));
  c.set_read_timeout(std::chrono::milliseconds(o.total_timeout_ms));
  c.set_write_timeout(std::chrono::milliseconds(o.total_timeout_ms));
  c.set_keep_alive(true);
  c.set_follow_location(false);
  c.set_decompress(false);
  c.set_compress(false);
  c.set_url_encode(false);  // Post() refuses paths that would need it
  // The headers go out in one write and the body in another; Nagle's
  // algorithm would hold the body back until the server's delayed ACK.
  c.set_tcp_nodelay(true);
  c.set_socket_options([this](socket_t socket) {
    ++connections_opened_;
    const int on = 1;
    // Best effort, as libcurl's TCP_KEEPALIVE was: a connection works without.
    (void)setsockopt(socket, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  });
  httplib::Headers headers = {
      {"Content-Type", "application/x-protobuf"},
      {"Content-Encoding", "zstd"},
      {"Accept-Encoding", "zstd"},
      {"User-Agent", "presentie"},
  };
  if (!o.token.empty()) headers.emplace("Authorization", "Bearer " + o.token);
  c.set_default_headers(std::move(headers));
  ERR_clear_error();  // what a refused certificate or key left; reported above
  return Status::Ok();
}

Status HttplibTransport::ConfigureTls(httplib::SSLClient& client) {
  const TlsOptions& tls = options_.tls;
  SSL_CTX* ctx = client.ssl_context();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return Internal("OpenSSL refused TLS 1.2 as the lowest version");
  }
  if (!tls.cert_file.empty() && SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    tls_setup_failure_ = "the client key '" + tls.key_file +
                         "' does not belong to the certificate '" + tls.cert_file + "'";
    return Status::Ok();
  }
  // OpenSSL's check of the name, during the chain verification.
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  in6_addr v6{};
  in_addr v4{};
  const bool is_address = inet_pton(AF_INET6, base_.connect_host.c_str(), &v6) == 1 ||
                          inet_pton(AF_INET, base_.connect_host.c_str(), &v4) == 1;
  const int set = is_address ? X509_VERIFY_PARAM_set1_ip_asc(param, base_.connect_host.c_str())
                             : X509_VERIFY_PARAM_set1_host(param, base_.connect_host.c_str(), 0);
  if (set != 1) return Internal("OpenSSL refused the host name to verify");
  client.enable_server_certificate_verification(true);
  if (!tls.ca_file.empty()) {
    // "Instead of the system's": with a CA file set, cpp-httplib loads only
    // that file (and not the system's store) when it first connects. It is
    // loaded here as well, so that an unreadable one is known now and
    // reported the same way by every Post; loading a certificate twice
    // into a store keeps one.
    if (SSL_CTX_load_verify_locations(ctx, tls.ca_file.c_str(), nullptr) != 1) {
      ERR_clear_error();
      tls_setup_failure_ = "cannot read the CA file '" + tls.ca_file + "' (PEM)";
      return Status::Ok();
    }
    client.set_ca_cert_path(tls.ca_file);
  }
  return Status::Ok();
}

std::string HttplibTransport::VerificationFailure() const {
  const long result = ssl_client_ == nullptr ? X509_V_OK : ssl_client_->get_openssl_verify_result();
  if (result == X509_V_OK || result == X509_V_ERR_HOSTNAME_MISMATCH ||
      result == X509_V_ERR_IP_ADDRESS_MISMATCH) {
    // X509_V_OK: the chain was fine, cpp-httplib's own name check was not.
    return "the server's certificate is not valid for the host name '" + base_.host + "'";
  }
  return std::string("the server's certificate is not trusted: ") +
         X509_verify_cert_error_string(result);
}

Attempt HttplibTransport::PerformOnce(const std::string& path, std::string_view body) {
  Attempt attempt = PerformOnceOnAConnection(path, body);
  // As libcurl did: a kept-alive connection that the server closed just as
  // it was reused is no failed attempt; one new connection is tried at once.
  if (attempt.reused_connection_lost) attempt = PerformOnceOnAConnection(path, body);
  return attempt;
}

Attempt HttplibTransport::PerformOnceOnAConnection(const std::string& path, std::string_view body) {
  SigpipeBlocked no_sigpipe;
  ERR_clear_error();
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.total_timeout_ms);
  const auto limit = static_cast<uint64_t>(options_.max_response_bytes);
  const int64_t connections_before = connections_opened_;
  Attempt attempt;
  bool got_headers = false;

  httplib::Request request;
  request.method = "POST";
  request.path = base_.path_prefix + path;
  request.body.assign(body);
  request.response_handler = [&](const httplib::Response& response) {
    got_headers = true;
    if (Clock::now() >= deadline) {
      attempt.timed_out = true;
      return false;
    }
    // Refuse early when the server announces a larger body; the receiver
    // below catches the ones that do not announce their size.
    const std::string announced = response.get_header_value("Content-Length");
    uint64_t length = 0;
    const auto [end, error] =
        std::from_chars(announced.data(), announced.data() + announced.size(), length);
    if (!announced.empty() &&
        (error == std::errc::result_out_of_range || (error == std::errc() && length > limit))) {
      attempt.body_over_limit = true;
      return false;
    }
    return true;
  };
  request.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
    if (size > limit - attempt.body.size()) {
      attempt.body_over_limit = true;
      return false;
    }
    attempt.body.append(data, size);
    if (Clock::now() >= deadline) {
      attempt.timed_out = true;
      return false;
    }
    return true;
  };

  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  const bool answered = client_->send(request, response, error);
  const bool new_connection = connections_opened_ > connections_before;
  const OpenSslErrors tls = TakeOpenSslErrors();
  if (answered) {
    attempt.status = response.status;
    attempt.retry_after_s = ParseRetryAfter(response.get_header_value("Retry-After"));
    return attempt;
  }
  attempt.body.clear();
  const bool late = attempt.timed_out || Clock::now() >= deadline;
  const std::string timed_out =
      "timed out (no complete answer within " + std::to_string(options_.total_timeout_ms) + " ms)";
  switch (error) {
    case httplib::Error::Canceled:
      if (attempt.body_over_limit) return attempt;
      attempt.outcome = late ? Outcome::kTransient : Outcome::kBug;
      attempt.error = late ? timed_out : "the request was cancelled";
      return attempt;
    case httplib::Error::Connection:
      attempt.outcome = Outcome::kTransient;
      attempt.error = "could not connect to " + base_.host + " port " + std::to_string(base_.port);
      return attempt;
    case httplib::Error::ConnectionTimeout:
      attempt.outcome = Outcome::kTransient;
      attempt.error =
          "connecting to " + base_.host + " port " + std::to_string(base_.port) + " timed out";
      return attempt;
    case httplib::Error::SSLConnection:
      if (tls.tls_problem) {
        attempt.outcome = Outcome::kTls;
        attempt.error = tls.first;
      } else {
        attempt.outcome = Outcome::kTransient;
        attempt.error = "the connection was lost or timed out during the TLS handshake";
      }
      return attempt;
    case httplib::Error::SSLLoadingCerts:
      attempt.outcome = Outcome::kTls;
      attempt.error = "cannot read the CA file '" + options_.tls.ca_file + "'";
      return attempt;
    case httplib::Error::SSLServerVerification:
      attempt.outcome = Outcome::kTls;
      attempt.error = VerificationFailure();
      return attempt;
    case httplib::Error::Read:
    case httplib::Error::Write:
      // A TLS alert from the server (for instance "certificate required"
      // when mutual TLS is demanded and no client certificate was sent)
      // arrives after TLS 1.3's handshake has completed on the client's
      // side, so it surfaces here. The alert is a refusal, not a network
      // failure.
      if (base_.https && tls.alert) {
        attempt.outcome = Outcome::kTls;
        attempt.error = tls.first;
        return attempt;
      }
      attempt.outcome = Outcome::kTransient;
      if (late) {
        attempt.error = timed_out;
      } else if (error == httplib::Error::Write) {
        attempt.error = "the connection was closed while the request was being sent";
      } else {
        attempt.error = got_headers ? "the connection was closed before the whole answer arrived"
                                    : "the connection was closed before an answer arrived";
      }
      attempt.dropped_after_handshake = base_.https && new_connection && !got_headers && !late;
      attempt.reused_connection_lost = !new_connection && !got_headers && !late;
      return attempt;
    case httplib::Error::Unknown:
      attempt.outcome = Outcome::kFinal;
      attempt.error = "the request failed for a reason cpp-httplib does not name";
      return attempt;
    default:
      attempt.outcome = Outcome::kBug;
      attempt.error = httplib::to_string(error);
      return attempt;
  }
}

// Full jitter (random in [0, min(cap, base·2^retry_index)]) spreads the
// retries of many devices that lost the hub at the same moment, instead of
// having them return in waves. A server's Retry-After replaces the random
// wait: it knows when it will have room.
int64_t HttplibTransport::BackoffMs(int retry_index, int64_t retry_after_s) {
  const int64_t cap = options_.retry.max_delay_ms;
  if (retry_after_s > 0) {
    if (retry_after_s > cap / 1000) return cap;
    return std::min(cap, retry_after_s * 1000);
  }
  int64_t ceiling = options_.retry.base_delay_ms;
  for (int i = 0; i < retry_index && ceiling < cap; ++i) {
    ceiling = ceiling > cap / 2 ? cap : ceiling * 2;
  }
  ceiling = std::min(ceiling, cap);
  return std::uniform_int_distribution<int64_t>(0, ceiling)(rng_);
}

Result<HttpReply> HttplibTransport::Post(std::string_view path, std::string_view body) {
  if (!path.starts_with('/') || HasControlCharacter(path) ||
      path.find(' ') != std::string_view::npos) {
    return InvalidArgument("request path '" + std::string(path) +
                           "' must start with '/' and contain no spaces");
  }
  const std::string url = base_.url + std::string(path);
  const auto tls_failed = [&url](const std::string& why) {
    return FailedPrecondition("POST " + url + ": TLS failed (" + why +
                              "); check the CA file, the server's "
                              "certificate and host name, and the client "
                              "certificate and key; not retried");
  };
  if (!tls_setup_failure_.empty()) return tls_failed(tls_setup_failure_);
  const std::string request_path(path);
  const int max_attempts = options_.retry.max_attempts;
  std::string last_failure;
  // With TLS 1.3 the client's side of the handshake is over before the server
  // has checked the client certificate, so a server that refuses it (or its
  // absence) can only close the connection. Its alert names the reason when
  // it arrives in time (then PerformOnce() sees it); when the server's reset
  // wins the race, the failure looks like any dropped connection. Such
  // attempts are retried like one, but when every attempt ended that way the
  // answer is the likely configuration problem, not "offline".
  bool every_attempt_dropped_after_handshake = true;

  for (int attempts = 1;; ++attempts) {
    Attempt a = PerformOnce(request_path, body);
    if (a.body_over_limit) {
      return FailedPrecondition("POST " + url + ": the response is larger than the limit of " +
                                std::to_string(options_.max_response_bytes) +
                                " bytes; transfer aborted");
    }
    switch (a.outcome) {
      case Outcome::kReply:
        if (!IsTransientHttpStatus(a.status)) {
          return HttpReply{a.status, std::move(a.body), attempts};
        }
        last_failure = "HTTP " + std::to_string(a.status);
        every_attempt_dropped_after_handshake = false;
        break;
      case Outcome::kTls:
        return tls_failed(a.error);
      case Outcome::kFinal:
        return Unavailable("POST " + url + ": " + a.error + " (not retried)");
      case Outcome::kBug:
        return Internal("POST " + url + ": cpp-httplib: " + a.error);
      case Outcome::kTransient:
        last_failure = a.error;
        every_attempt_dropped_after_handshake =
            every_attempt_dropped_after_handshake && a.dropped_after_handshake;
        break;
    }
    if (attempts >= max_attempts) {
      if (every_attempt_dropped_after_handshake) {
        return FailedPrecondition(
            "POST " + url +
            ": TLS failed: the server closed every new connection "
            "right after the handshake (" +
            std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts") +
            "); it most likely refused the client certificate (mutual TLS): "
            "check the client certificate and key, and that the server trusts "
            "their CA");
      }
      return Unavailable("POST " + url + ": " + last_failure + " after " +
                         std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts"));
    }
    options_.sleep_ms(BackoffMs(attempts - 1, a.retry_after_s));
  }
}

}  // namespace

bool IsTransientHttpStatus(int status) {
  switch (status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

Result<bool> SendsTokenInClear(const std::string& base_url) {
  PRESENTIE_ASSIGN_OR_RETURN(BaseUrl checked, ValidateBaseUrl(base_url));
  if (checked.https) return false;
  return !IsLoopbackHost(checked.host);
}

Result<std::unique_ptr<Transport>> Transport::Create(TransportOptions options) {
  PRESENTIE_RETURN_IF_ERROR(ValidateOptions(options));
  PRESENTIE_ASSIGN_OR_RETURN(BaseUrl base_url, ValidateBaseUrl(options.base_url));
  auto transport = std::make_unique<HttplibTransport>(std::move(options), std::move(base_url));
  PRESENTIE_RETURN_IF_ERROR(transport->Configure());
  return std::unique_ptr<Transport>(std::move(transport));
}

}  // namespace presentie::sync
