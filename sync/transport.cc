// The transport on libcurl's easy interface. Why it is shaped as it is:
//
// - One easy handle per Transport, configured once in Create(). libcurl keeps
//   the connection of a handle alive between transfers, so a sync of many
//   batches pays the TCP and TLS handshakes once. Each Post() only changes the
//   URL and the body.
// - Verification of the server (VERIFYPEER=1, VERIFYHOST=2) is set
//   explicitly rather than trusted to libcurl's defaults, and nothing in
//   TransportOptions can change it: a device that accepts any certificate
//   would hand its bearer token to whoever sits on the school's Wi-Fi.
// - The bodies are zstd already; the Accept-Encoding header is set by hand,
//   not through CURLOPT_ACCEPT_ENCODING, so libcurl never decodes the answer
//   and the codec sees (and bounds) exactly the bytes the server sent.
// - Retries are decided here, not by libcurl. A retry is only safe because
//   every push carries an idempotency id: the server answers a replay with
//   the stored result (docs/sync.md, "Retries").
// - TLS failures are never retried: a certificate that is not trusted now
//   will not be trusted in a second, and hammering a server with handshakes
//   that fail helps nobody. They return kFailedPrecondition, which the CLI
//   reports as a configuration problem rather than "offline, retry later".
#include "sync/transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>

#include "sync/host.h"

namespace presentie::sync {
namespace {

Status Unavailable(std::string message) { return {StatusCode::kUnavailable, std::move(message)}; }

// curl_global_init is not thread-safe and must run before any other libcurl
// call; once per process is enough. curl_global_cleanup is deliberately never
// called: Transports may live until exit, and the OS reclaims the rest.
CURLcode GlobalInitOnce() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;

// True when `part` of `url` is present (curl_url_get fails for absent parts).
bool HasUrlPart(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  const bool present = curl_url_get(url, part, &value, 0) == CURLUE_OK;
  curl_free(value);
  return present;
}

struct BaseUrl {
  std::string url;  // without a trailing '/', so that paths can be appended
  bool https = false;
};

Result<BaseUrl> ValidateBaseUrl(const std::string& base_url) {
  UrlPtr url(curl_url());
  if (!url) return Internal("libcurl could not allocate a URL");
  if (curl_url_set(url.get(), CURLUPART_URL, base_url.c_str(), 0) != CURLUE_OK) {
    return InvalidArgument("remote URL '" + base_url +
                           "' is not a URL with a scheme (https://host:port)");
  }
  char* scheme_raw = nullptr;
  if (curl_url_get(url.get(), CURLUPART_SCHEME, &scheme_raw, 0) != CURLUE_OK) {
    return InvalidArgument("remote URL '" + base_url + "' has no scheme");
  }
  const std::string scheme = scheme_raw;
  curl_free(scheme_raw);
  if (scheme != "https" && scheme != "http") {
    return InvalidArgument("remote URL '" + base_url + "': scheme '" + scheme +
                           "' is not supported (use https://)");
  }
  // Credentials in the URL would end up in messages and logs; the token is
  // the only credential and travels in a header.
  if (HasUrlPart(url.get(), CURLUPART_USER) || HasUrlPart(url.get(), CURLUPART_PASSWORD)) {
    return InvalidArgument("remote URL must not contain a user name or password; use a token");
  }
  if (HasUrlPart(url.get(), CURLUPART_QUERY) || HasUrlPart(url.get(), CURLUPART_FRAGMENT)) {
    return InvalidArgument("remote URL '" + base_url + "' must not contain a query or a fragment");
  }
  BaseUrl result{base_url, scheme == "https"};
  while (result.url.ends_with('/')) result.url.pop_back();
  return result;
}

bool HasControlCharacter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
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

enum class FailureKind {
  kTransient,  // worth another attempt
  kTls,        // configuration or trust problem: kFailedPrecondition
  kFinal,      // no HTTP answer, and another attempt would not get one
  kBug,        // libcurl refused what this file asked of it
};

// libcurl reports a TLS alert from the server (for instance "certificate
// required" when mutual TLS is demanded and no client certificate was sent)
// as a receive error when it arrives after TLS 1.3's handshake has completed
// on the client's side. The alert is a refusal, not a network failure.
bool MentionsTlsAlert(std::string_view error) {
  return error.find("alert") != std::string_view::npos;
}

// A connection dropped during the handshake (server restarting, a load
// balancer resetting) also surfaces as CURLE_SSL_CONNECT_ERROR; only those are
// transient. OpenSSL names them SSL_ERROR_SYSCALL or "unexpected eof".
bool MentionsDroppedConnection(std::string_view error) {
  for (std::string_view marker :
       {"SSL_ERROR_SYSCALL", "unexpected eof", "Connection reset", "ECONNRESET"}) {
    if (error.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

FailureKind Classify(CURLcode code, std::string_view error, bool https) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:  // also the old CURLE_SSL_CACERT
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
      return FailureKind::kTls;
    case CURLE_SSL_CONNECT_ERROR:
      return MentionsDroppedConnection(error) ? FailureKind::kTransient : FailureKind::kTls;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      if (https && MentionsTlsAlert(error)) return FailureKind::kTls;
      return FailureKind::kTransient;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return FailureKind::kTransient;
    case CURLE_FAILED_INIT:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_NOT_BUILT_IN:
    case CURLE_UNKNOWN_OPTION:
      return FailureKind::kBug;
    default:
      return FailureKind::kFinal;
  }
}

// Where libcurl writes the response body: bounded, so that a hostile or
// broken server cannot make the client allocate without limit.
struct BodySink {
  std::string body;
  size_t limit = 0;
  bool over_limit = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  const size_t n = size * count;
  if (n > sink->limit - sink->body.size()) {
    sink->over_limit = true;
    return 0;  // anything short of n makes libcurl abort with CURLE_WRITE_ERROR
  }
  sink->body.append(data, n);
  return n;
}

// One try: either an HTTP answer (code == CURLE_OK) or libcurl's error.
struct Attempt {
  CURLcode code = CURLE_OK;
  std::string error;  // libcurl's detailed message when code != CURLE_OK
  int status = 0;
  std::string body;
  bool body_over_limit = false;
  int64_t retry_after_s = 0;  // from Retry-After; 0 when absent or unparsable
  // A new TLS connection completed its handshake, then the server closed it
  // before sending a byte of an answer. See Post() for what that means.
  bool dropped_after_handshake = false;
};

class CurlTransport final : public Transport {
 public:
  CurlTransport(TransportOptions options, BaseUrl base_url, EasyPtr easy, SlistPtr headers)
      : options_(std::move(options)),
        base_url_(std::move(base_url.url)),
        https_(base_url.https),
        easy_(std::move(easy)),
        headers_(std::move(headers)),
        rng_(std::random_device{}()) {
    if (!options_.sleep_ms) {
      options_.sleep_ms = [](int64_t ms) {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      };
    }
  }

  // The easy handle keeps pointers into this object (the error buffer).
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Status Configure();
  Result<HttpReply> Post(std::string_view path, std::string_view body) override;

 private:
  Attempt PerformOnce(const std::string& url, std::string_view body);
  int64_t BackoffMs(int retry_index, int64_t retry_after_s);

  TransportOptions options_;
  const std::string base_url_;  // validated, without a trailing '/'
  const bool https_;
  EasyPtr easy_;
  SlistPtr headers_;  // must outlive every transfer of easy_
  std::array<char, CURL_ERROR_SIZE> error_buffer_{};
  std::mt19937_64 rng_;
};

// Every setting that does not change between requests.
Status CurlTransport::Configure() {
  CURL* h = easy_.get();
  const TransportOptions& o = options_;
  bool ok = true;
  auto set = [&ok](CURLcode rc) { ok = ok && rc == CURLE_OK; };

  set(curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer_.data()));
  // Without NOSIGNAL, libcurl's timeouts use SIGALRM, which is not safe with
  // several threads.
  set(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L));
  set(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https"));
  set(curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L));
  set(curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1)));
  set(curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L));
  set(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout_ms)));
  set(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o.total_timeout_ms)));
  set(curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers_.get()));
  set(curl_easy_setopt(h, CURLOPT_POST, 1L));
  // Refuse early when the server announces a larger body; WriteBody catches
  // the ones that do not announce their size.
  set(curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                       static_cast<curl_off_t>(o.max_response_bytes)));
  set(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody));

  set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L));
  set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L));
  set(curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
  if (!o.tls.ca_file.empty()) {
    // "Instead of the system's": without clearing CAPATH, OpenSSL would still
    // trust every CA in /etc/ssl/certs next to the given bundle.
    set(curl_easy_setopt(h, CURLOPT_CAINFO, o.tls.ca_file.c_str()));
    set(curl_easy_setopt(h, CURLOPT_CAPATH, nullptr));
  }
  if (!o.tls.cert_file.empty()) {
    set(curl_easy_setopt(h, CURLOPT_SSLCERT, o.tls.cert_file.c_str()));
    set(curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM"));
    set(curl_easy_setopt(h, CURLOPT_SSLKEY, o.tls.key_file.c_str()));
    set(curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM"));
  }
  if (!ok) return Internal("libcurl refused a transport setting");
  return Status::Ok();
}

Attempt CurlTransport::PerformOnce(const std::string& url, std::string_view body) {
  CURL* h = easy_.get();
  BodySink sink;
  sink.limit = static_cast<size_t>(options_.max_response_bytes);
  error_buffer_[0] = '\0';
  Attempt attempt;

  // POSTFIELDS is not copied; `body` outlives the transfer. A null pointer
  // would make libcurl read the body from a callback instead.
  const char* data = body.empty() ? "" : body.data();
  if (curl_easy_setopt(h, CURLOPT_URL, url.c_str()) != CURLE_OK ||
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, data) != CURLE_OK ||
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size())) !=
          CURLE_OK ||
      curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink) != CURLE_OK) {
    attempt.code = CURLE_FAILED_INIT;
    attempt.error = "libcurl refused the request settings";
    return attempt;
  }

  attempt.code = curl_easy_perform(h);
  attempt.body_over_limit = sink.over_limit || attempt.code == CURLE_FILESIZE_EXCEEDED;
  if (attempt.code != CURLE_OK) {
    attempt.error = error_buffer_[0] != '\0' ? std::string(error_buffer_.data())
                                             : curl_easy_strerror(attempt.code);
    long new_connections = 0;
    long header_bytes = 0;
    curl_off_t handshake_done_us = 0;
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &new_connections);
    curl_easy_getinfo(h, CURLINFO_HEADER_SIZE, &header_bytes);
    curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &handshake_done_us);
    attempt.dropped_after_handshake =
        https_ && new_connections > 0 && handshake_done_us > 0 && header_bytes == 0 &&
        (attempt.code == CURLE_SEND_ERROR || attempt.code == CURLE_RECV_ERROR ||
         attempt.code == CURLE_GOT_NOTHING);
    return attempt;
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t retry_after = 0;
  curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);
  attempt.status = static_cast<int>(status);
  attempt.retry_after_s = std::max<int64_t>(0, retry_after);
  attempt.body = std::move(sink.body);
  return attempt;
}

// Full jitter (random in [0, min(cap, base·2^retry_index)]) spreads the
// retries of many devices that lost the hub at the same moment, instead of
// having them return in waves. A server's Retry-After replaces the random
// wait: it knows when it will have room.
int64_t CurlTransport::BackoffMs(int retry_index, int64_t retry_after_s) {
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

Result<HttpReply> CurlTransport::Post(std::string_view path, std::string_view body) {
  if (!path.starts_with('/') || HasControlCharacter(path) ||
      path.find(' ') != std::string_view::npos) {
    return InvalidArgument("request path '" + std::string(path) +
                           "' must start with '/' and contain no spaces");
  }
  const std::string url = base_url_ + std::string(path);
  const int max_attempts = options_.retry.max_attempts;
  std::string last_failure;
  // With TLS 1.3 the client's side of the handshake is over before the server
  // has checked the client certificate, so a server that refuses it (or its
  // absence) can only close the connection. Its alert names the reason when
  // it arrives in time (then Classify() sees it); when the server's reset
  // wins the race, the failure looks like any dropped connection. Such
  // attempts are retried like one, but when every attempt ended that way the
  // answer is the likely configuration problem, not "offline".
  bool every_attempt_dropped_after_handshake = true;

  for (int attempts = 1;; ++attempts) {
    Attempt a = PerformOnce(url, body);
    if (a.body_over_limit) {
      return FailedPrecondition("POST " + url + ": the response is larger than the limit of " +
                                std::to_string(options_.max_response_bytes) +
                                " bytes; transfer aborted");
    }
    if (a.code == CURLE_OK) {
      if (!IsTransientHttpStatus(a.status)) {
        return HttpReply{a.status, std::move(a.body), attempts};
      }
      last_failure = "HTTP " + std::to_string(a.status);
      every_attempt_dropped_after_handshake = false;
    } else {
      switch (Classify(a.code, a.error, https_)) {
        case FailureKind::kTls:
          return FailedPrecondition("POST " + url + ": TLS failed (" + a.error +
                                    "); check the CA file, the server's "
                                    "certificate and host name, and the client "
                                    "certificate and key; not retried");
        case FailureKind::kFinal:
          return Unavailable("POST " + url + ": " + a.error + " (not retried)");
        case FailureKind::kBug:
          return Internal("POST " + url + ": libcurl: " + a.error);
        case FailureKind::kTransient:
          last_failure = a.error;
          every_attempt_dropped_after_handshake =
              every_attempt_dropped_after_handshake && a.dropped_after_handshake;
          break;
      }
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
  UrlPtr url(curl_url());
  if (!url) return Internal("libcurl could not allocate a URL");
  char* host = nullptr;
  if (curl_url_set(url.get(), CURLUPART_URL, base_url.c_str(), 0) != CURLUE_OK ||
      curl_url_get(url.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) {
    return InvalidArgument("remote URL '" + base_url + "' has no host");
  }
  const std::string name = host;  // an IPv6 address in its brackets
  curl_free(host);
  return !IsLoopbackHost(name);
}

Result<std::unique_ptr<Transport>> Transport::Create(TransportOptions options) {
  if (GlobalInitOnce() != CURLE_OK) {
    return Internal("libcurl could not be initialised");
  }
  PRESENTIE_RETURN_IF_ERROR(ValidateOptions(options));
  PRESENTIE_ASSIGN_OR_RETURN(BaseUrl base_url, ValidateBaseUrl(options.base_url));
  EasyPtr easy(curl_easy_init());
  if (!easy) return Internal("libcurl could not create a handle");

  // curl_slist_append returns the head of the list, or null (leaving the
  // list as it was) when it cannot allocate.
  SlistPtr headers;
  auto append = [&headers](const std::string& line) {
    curl_slist* head = curl_slist_append(headers.get(), line.c_str());
    if (head == nullptr) return false;
    if (!headers) headers.reset(head);
    return true;
  };
  bool ok = append("Content-Type: application/x-protobuf") && append("Content-Encoding: zstd") &&
            append("Accept-Encoding: zstd") &&
            // An empty Expect: header stops libcurl from waiting for a
            // "100 Continue" before sending a large body.
            append("Expect:");
  if (ok && !options.token.empty()) {
    ok = append("Authorization: Bearer " + options.token);
  }
  if (!ok) return Internal("libcurl could not build the request headers");

  auto transport = std::make_unique<CurlTransport>(std::move(options), std::move(base_url),
                                                   std::move(easy), std::move(headers));
  PRESENTIE_RETURN_IF_ERROR(transport->Configure());
  return std::unique_ptr<Transport>(std::move(transport));
}

}  // namespace presentie::sync
