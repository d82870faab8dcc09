// The client side of the wire: HTTP/1.1 POSTs over TLS with cpp-httplib's
// client (docs/sync.md, "Transport"), with timeouts and retries of transient
// failures.
//
// Thread-safety: a Transport is used by one thread at a time; separate
// Transports may be used from separate threads. A Post() blocks SIGPIPE in
// its thread while it runs, so a server that closes the connection cannot
// kill the process.
#ifndef PRESENTIE_SYNC_TRANSPORT_H_
#define PRESENTIE_SYNC_TRANSPORT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace presentie::sync {

struct TlsOptions {
  // Certificate verification of the server (peer and host name) is always on.
  // There is deliberately no switch to turn it off.
  std::string ca_file;    // PEM bundle to trust instead of the system's; "" = system
  std::string cert_file;  // client certificate (PEM) for mutual TLS; "" = none
  std::string key_file;   // its private key (PEM); required with cert_file
};

struct RetryPolicy {
  int max_attempts = 5;           // total tries, >= 1
  int64_t base_delay_ms = 200;    // backoff: random in [0, min(cap, base·2^attempt)] (full jitter)
  int64_t max_delay_ms = 10'000;  // cap of one wait, Retry-After included
};

struct TransportOptions {
  // "https://hub.school.nl:8443". http:// sends the token in clear: it is for
  // loopback tests and for a link already protected by a local TLS proxy
  // (stunnel and the like); TLS options are then unused. Any other scheme,
  // and credentials, a query or a fragment in the URL, are refused with
  // kInvalidArgument.
  std::string base_url;
  std::string token;  // bearer token; never logged; "" = no Authorization header
  TlsOptions tls;
  int64_t connect_timeout_ms = 5'000;  // > 0
  int64_t total_timeout_ms = 60'000;   // per attempt, > 0
  RetryPolicy retry;
  // Hard limit on a response body as received; a larger one aborts the
  // transfer (kFailedPrecondition, not retried) so a hostile server cannot
  // exhaust memory.
  int64_t max_response_bytes = int64_t{256} << 20;
  // Sleeps between attempts; tests inject one that records the waits.
  std::function<void(int64_t ms)> sleep_ms;
};

struct HttpReply {
  int status = 0;    // HTTP status of the last attempt
  std::string body;  // raw (still compressed) body
  int attempts = 0;  // how many tries it took
};

class Transport {
 public:
  static Result<std::unique_ptr<Transport>> Create(TransportOptions options);
  virtual ~Transport() = default;

  // POSTs `body` (already compressed protobuf) to base_url + path with
  // Content-Type application/x-protobuf, Content-Encoding zstd and the bearer
  // token. Retries, with backoff and full jitter, only transient failures:
  // connection errors, timeouts, and HTTP 408, 429, 500, 502, 503, 504,
  // honouring Retry-After (seconds) up to max_delay_ms. Never retries another
  // 4xx. Returns the reply for any other HTTP status (the caller decodes the
  // error body). Failures: kUnavailable when the last attempt still failed
  // transiently (refused, timed out, 503, ...; the message says what and after
  // how many attempts); kFailedPrecondition, after one attempt, when TLS fails
  // (certificate not trusted, wrong host name, client certificate refused or
  // unreadable) or the response exceeds max_response_bytes; kInvalidArgument
  // for a path that does not start with '/'. No message contains the token.
  virtual Result<HttpReply> Post(std::string_view path, std::string_view body) = 0;
};

// True for the HTTP statuses above that are worth another try.
bool IsTransientHttpStatus(int status);

// True when `base_url` would send the token unencrypted across a network:
// an http:// URL whose host is not loopback (sync/host.h). `presentie remote
// add` refuses such a URL unless told it is meant (a TLS proxy or a private
// link protects it). kInvalidArgument for a URL that Create refuses.
Result<bool> SendsTokenInClear(const std::string& base_url);

}  // namespace presentie::sync

#endif  // PRESENTIE_SYNC_TRANSPORT_H_
