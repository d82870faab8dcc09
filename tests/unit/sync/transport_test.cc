// The transport against real HTTP and HTTPS servers (cpp-httplib) on
// loopback, in this process. Waits between attempts are recorded, not slept,
// so the whole file runs in a few seconds; certificates are made by the
// openssl command-line tool once for the whole suite.
#include "sync/transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace presentie::sync {
namespace transport_test {

namespace fs = std::filesystem;

constexpr char kToken[] = "tok-3f9a1c7e5b2d";

// What the server saw of one request.
struct Seen {
  std::string method;
  std::string path;
  std::string body;
  std::string authorization;
  std::string content_type;
  std::string content_encoding;
  std::string accept_encoding;
  bool has_expect = false;
  int remote_port = -1;
};

// One scripted answer.
struct Reply {
  int status = 200;
  std::string body = "reply";
  std::vector<std::pair<std::string, std::string>> headers{};
  int delay_ms = 0;          // handler sleeps this long before answering
  size_t chunked_bytes = 0;  // > 0: send this many bytes, chunked, instead of body
};

// A cpp-httplib server on 127.0.0.1 at a free port, answering POST /v1/...
// with the scripted replies in order, then with `fallback` forever.
class Hub {
 public:
  explicit Hub(std::unique_ptr<httplib::Server> server) : server_(std::move(server)) {
    server_->Post(R"(/v1/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req, res);
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) {
      ADD_FAILURE() << "the test server could not bind to 127.0.0.1";
      return;
    }
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() only works once the accept loop runs.
    while (!server_->is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~Hub() {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
  }
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  static std::unique_ptr<Hub> Http() {
    return std::make_unique<Hub>(std::make_unique<httplib::Server>());
  }

  int port() const { return port_; }
  std::string Url(const char* scheme = "http") const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_);
  }
  void Script(std::vector<Reply> replies, Reply fallback = {}) {
    std::lock_guard lock(mu_);
    script_.assign(replies.begin(), replies.end());
    fallback_ = std::move(fallback);
  }
  std::vector<Seen> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) {
    Reply reply;
    {
      std::lock_guard lock(mu_);
      seen_.push_back(
          {req.method, req.path, req.body, req.get_header_value("Authorization"),
           req.get_header_value("Content-Type"), req.get_header_value("Content-Encoding"),
           req.get_header_value("Accept-Encoding"), req.has_header("Expect"), req.remote_port});
      if (script_.empty()) {
        reply = fallback_;
      } else {
        reply = script_.front();
        script_.pop_front();
      }
    }
    if (reply.delay_ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
    }
    res.status = reply.status;
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);
    if (reply.chunked_bytes > 0) {
      const size_t total = reply.chunked_bytes;
      res.set_chunked_content_provider(
          "application/x-protobuf", [total](size_t offset, httplib::DataSink& sink) {
            if (offset >= total) {
              sink.done();
              return true;
            }
            const std::string chunk(std::min<size_t>(4096, total - offset), 'x');
            return sink.write(chunk.data(), chunk.size());
          });
    } else {
      res.set_content(reply.body, "application/x-protobuf");
    }
  }

  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::deque<Reply> script_;
  Reply fallback_;
  std::vector<Seen> seen_;
};

// A loopback port with nothing listening: bound, then closed.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class TransportTest : public ::testing::Test {
 protected:
  TransportOptions Options(std::string base_url) {
    TransportOptions o;
    o.base_url = std::move(base_url);
    o.token = kToken;
    o.connect_timeout_ms = 1'000;
    o.total_timeout_ms = 2'000;
    o.retry.max_attempts = 4;
    o.retry.base_delay_ms = 100;
    o.retry.max_delay_ms = 3'000;
    o.sleep_ms = [this](int64_t ms) { waits_.push_back(ms); };
    return o;
  }
  std::unique_ptr<Transport> Make(TransportOptions o) {
    auto t = Transport::Create(std::move(o));
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? std::move(t).value() : nullptr;
  }

  std::vector<int64_t> waits_;
};

TEST_F(TransportTest, PassesBodyTokenAndHeadersThroughAndReturnsTheRawReply) {
  auto hub = Hub::Http();
  // The reply claims zstd; the transport must hand it over undecoded.
  hub->Script({{.body = std::string("\x28\xb5\x2f\xfd not really", 15),
                .headers = {{"Content-Encoding", "zstd"}}}});
  auto transport = Make(Options(hub->Url() + "/"));  // a trailing '/' is fine
  ASSERT_NE(transport, nullptr);

  const std::string body("\x00\x01zstd\xff", 7);
  auto reply = transport->Post("/v1/push", body);
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->attempts, 1);
  EXPECT_EQ(reply->body, std::string("\x28\xb5\x2f\xfd not really", 15));
  EXPECT_TRUE(waits_.empty());

  const auto seen = hub->seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].path, "/v1/push");
  EXPECT_EQ(seen[0].body, body);
  EXPECT_EQ(seen[0].authorization, std::string("Bearer ") + kToken);
  EXPECT_EQ(seen[0].content_type, "application/x-protobuf");
  EXPECT_EQ(seen[0].content_encoding, "zstd");
  EXPECT_EQ(seen[0].accept_encoding, "zstd");
  EXPECT_FALSE(seen[0].has_expect);
}

TEST_F(TransportTest, ReusesTheConnectionBetweenPosts) {
  auto hub = Hub::Http();
  auto transport = Make(Options(hub->Url()));
  ASSERT_NE(transport, nullptr);
  for (int i = 0; i < 3; ++i) {
    auto reply = transport->Post("/v1/pull", "x");
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  }
  const auto seen = hub->seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].remote_port, seen[0].remote_port);
  EXPECT_EQ(seen[2].remote_port, seen[0].remote_port);
}

TEST_F(TransportTest, RetriesTransientStatusesWithFullJitter) {
  auto hub = Hub::Http();
  hub->Script({{.status = 503}, {.status = 503}, {.body = "done"}});
  auto transport = Make(Options(hub->Url()));
  ASSERT_NE(transport, nullptr);

  auto reply = transport->Post("/v1/push", "batch");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "done");
  EXPECT_EQ(reply->attempts, 3);
  EXPECT_EQ(hub->seen().size(), 3u);
  ASSERT_EQ(waits_.size(), 2u);
  EXPECT_GE(waits_[0], 0);
  EXPECT_LE(waits_[0], 100);  // base·2^0
  EXPECT_GE(waits_[1], 0);
  EXPECT_LE(waits_[1], 200);  // base·2^1
}

TEST_F(TransportTest, EveryTransientStatusIsRetried) {
  for (int status : {408, 429, 500, 502, 503, 504}) {
    EXPECT_TRUE(IsTransientHttpStatus(status)) << status;
    auto hub = Hub::Http();
    hub->Script({{.status = status}, {}});
    auto transport = Make(Options(hub->Url()));
    ASSERT_NE(transport, nullptr);
    auto reply = transport->Post("/v1/push", "b");
    ASSERT_TRUE(reply.ok()) << status << ": " << reply.status().ToString();
    EXPECT_EQ(reply->attempts, 2) << status;
  }
}

TEST_F(TransportTest, BackoffCeilingDoublesUpToTheCap) {
  auto hub = Hub::Http();
  hub->Script({}, {.status = 500});
  auto o = Options(hub->Url());
  o.retry.max_attempts = 8;
  o.retry.base_delay_ms = 100;
  o.retry.max_delay_ms = 1'000;
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  EXPECT_FALSE(transport->Post("/v1/push", "b").ok());
  ASSERT_EQ(waits_.size(), 7u);
  const int64_t ceilings[] = {100, 200, 400, 800, 1000, 1000, 1000};
  for (size_t i = 0; i < waits_.size(); ++i) {
    EXPECT_GE(waits_[i], 0) << i;
    EXPECT_LE(waits_[i], ceilings[i]) << i;
  }
}

TEST_F(TransportTest, HonoursRetryAfterThenFallsBackToJitter) {
  auto hub = Hub::Http();
  hub->Script({{.status = 503, .headers = {{"Retry-After", "2"}}}, {.status = 503}, {}});
  auto transport = Make(Options(hub->Url()));
  ASSERT_NE(transport, nullptr);
  auto reply = transport->Post("/v1/push", "b");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->attempts, 3);
  ASSERT_EQ(waits_.size(), 2u);
  EXPECT_EQ(waits_[0], 2'000);
  // The second 503 had no Retry-After: the first one's must not linger.
  EXPECT_LE(waits_[1], 200);
}

TEST_F(TransportTest, CapsRetryAfterAtMaxDelay) {
  auto hub = Hub::Http();
  hub->Script({{.status = 429, .headers = {{"Retry-After", "3600"}}}, {}});
  auto transport = Make(Options(hub->Url()));
  ASSERT_NE(transport, nullptr);
  auto reply = transport->Post("/v1/push", "b");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  ASSERT_EQ(waits_.size(), 1u);
  EXPECT_EQ(waits_[0], 3'000);
}

TEST_F(TransportTest, OtherClientErrorsAreRepliesAfterOneAttempt) {
  for (int status : {400, 401, 403, 404, 409, 413}) {
    EXPECT_FALSE(IsTransientHttpStatus(status)) << status;
    auto hub = Hub::Http();
    hub->Script({}, {.status = status, .body = "error body"});
    waits_.clear();
    auto transport = Make(Options(hub->Url()));
    ASSERT_NE(transport, nullptr);
    auto reply = transport->Post("/v1/push", "b");
    ASSERT_TRUE(reply.ok()) << status << ": " << reply.status().ToString();
    EXPECT_EQ(reply->status, status);
    EXPECT_EQ(reply->body, "error body");
    EXPECT_EQ(reply->attempts, 1);
    EXPECT_EQ(hub->seen().size(), 1u) << status;
    EXPECT_TRUE(waits_.empty()) << status;
  }
}

TEST_F(TransportTest, PersistentServerErrorIsUnavailableAfterMaxAttempts) {
  auto hub = Hub::Http();
  hub->Script({}, {.status = 500, .body = "boom"});
  auto transport = Make(Options(hub->Url()));
  ASSERT_NE(transport, nullptr);
  auto reply = transport->Post("/v1/push", "b");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(reply.status().message().find("HTTP 500"), std::string::npos)
      << reply.status().message();
  EXPECT_NE(reply.status().message().find("4 attempts"), std::string::npos)
      << reply.status().message();
  EXPECT_EQ(reply.status().message().find(kToken), std::string::npos);
  EXPECT_EQ(hub->seen().size(), 4u);
  EXPECT_EQ(waits_.size(), 3u);
}

TEST_F(TransportTest, RefusedConnectionIsRetriedThenUnavailable) {
  auto o = Options("http://127.0.0.1:" + std::to_string(ClosedPort()));
  o.retry.max_attempts = 3;
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  auto reply = transport->Post("/v1/hello", "b");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(reply.status().message().find("3 attempts"), std::string::npos)
      << reply.status().message();
  EXPECT_EQ(reply.status().message().find(kToken), std::string::npos);
  EXPECT_EQ(waits_.size(), 2u);
}

TEST_F(TransportTest, SlowServerTimesOutAndIsRetried) {
  auto hub = Hub::Http();
  hub->Script({{.body = "late", .delay_ms = 400}}, {.body = "in time"});
  auto o = Options(hub->Url());
  o.total_timeout_ms = 150;
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  auto reply = transport->Post("/v1/pull", "b");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->body, "in time");
  EXPECT_EQ(reply->attempts, 2);
  EXPECT_EQ(waits_.size(), 1u);
}

TEST_F(TransportTest, ServerThatNeverAnswersInTimeIsUnavailable) {
  auto hub = Hub::Http();
  hub->Script({}, {.body = "late", .delay_ms = 300});
  auto o = Options(hub->Url());
  o.total_timeout_ms = 100;
  o.retry.max_attempts = 2;
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  auto reply = transport->Post("/v1/pull", "b");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(reply.status().message().find("timed out"), std::string::npos)
      << reply.status().message();
  EXPECT_EQ(hub->seen().size(), 2u);
}

TEST_F(TransportTest, ResponseOverTheLimitIsAbortedAndNotRetried) {
  for (bool chunked : {false, true}) {
    auto hub = Hub::Http();
    Reply big;
    if (chunked) {
      big.chunked_bytes = 64 * 1024;
    } else {
      big.body.assign(64 * 1024, 'x');
    }
    hub->Script({}, big);
    waits_.clear();
    auto o = Options(hub->Url());
    o.max_response_bytes = 16 * 1024;
    auto transport = Make(std::move(o));
    ASSERT_NE(transport, nullptr);
    auto reply = transport->Post("/v1/pull", "b");
    ASSERT_FALSE(reply.ok()) << "chunked=" << chunked;
    EXPECT_EQ(reply.status().code(), StatusCode::kFailedPrecondition) << reply.status().ToString();
    EXPECT_EQ(hub->seen().size(), 1u);
    EXPECT_TRUE(waits_.empty());
  }
}

TEST_F(TransportTest, ResponseAtTheLimitIsAccepted) {
  auto hub = Hub::Http();
  hub->Script({}, {.body = std::string(16 * 1024, 'y')});
  auto o = Options(hub->Url());
  o.max_response_bytes = 16 * 1024;
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  auto reply = transport->Post("/v1/pull", "b");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->body.size(), 16u * 1024);
}

TEST_F(TransportTest, RefusesBadOptions) {
  struct Case {
    const char* what;
    std::function<void(TransportOptions&)> change;
  };
  const std::vector<Case> cases = {
      {"ftp scheme", [](TransportOptions& o) { o.base_url = "ftp://127.0.0.1:21"; }},
      {"file scheme", [](TransportOptions& o) { o.base_url = "file:///etc/passwd"; }},
      {"no scheme", [](TransportOptions& o) { o.base_url = "hub.school.nl:8443"; }},
      {"credentials", [](TransportOptions& o) { o.base_url = "https://user:pw@hub.school.nl"; }},
      {"query", [](TransportOptions& o) { o.base_url = "https://hub.school.nl/?a=b"; }},
      {"token with newline",
       [](TransportOptions& o) { o.token = std::string(kToken) + "\r\nX-Evil: 1"; }},
      {"cert without key", [](TransportOptions& o) { o.tls.cert_file = "/tmp/c.pem"; }},
      {"key without cert", [](TransportOptions& o) { o.tls.key_file = "/tmp/k.pem"; }},
      {"zero timeout", [](TransportOptions& o) { o.total_timeout_ms = 0; }},
      {"zero connect timeout", [](TransportOptions& o) { o.connect_timeout_ms = 0; }},
      {"zero attempts", [](TransportOptions& o) { o.retry.max_attempts = 0; }},
      {"negative delay", [](TransportOptions& o) { o.retry.base_delay_ms = -1; }},
      {"zero response limit", [](TransportOptions& o) { o.max_response_bytes = 0; }},
  };
  for (const Case& c : cases) {
    auto o = Options("https://127.0.0.1:8443");
    c.change(o);
    auto t = Transport::Create(std::move(o));
    ASSERT_FALSE(t.ok()) << c.what;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_EQ(t.status().message().find(kToken), std::string::npos) << c.what;
  }
}

TEST_F(TransportTest, RefusesAPathWithoutLeadingSlash) {
  auto transport = Make(Options("http://127.0.0.1:1"));
  ASSERT_NE(transport, nullptr);
  auto reply = transport->Post("v1/push", "b");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kInvalidArgument);
}

// ---- TLS -------------------------------------------------------------------

// Certificates made once for the suite: a CA, a server certificate for
// 127.0.0.1 and localhost signed by it, one for another host name, a client
// certificate signed by it, and a second, unrelated CA with its own client
// certificate.
class Certs {
 public:
  static const Certs& Get() {
    static const Certs certs;
    return certs;
  }
  ~Certs() {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }
  Certs(const Certs&) = delete;
  Certs& operator=(const Certs&) = delete;
  bool ok() const { return ok_; }
  std::string Path(const char* name) const { return (dir_ / name).string(); }

 private:
  Certs() {
    std::string tmpl = (fs::temp_directory_path() / "presentie-tls-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) return;
    dir_ = tmpl;
    std::ofstream(dir_ / "server.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                          "extendedKeyUsage=serverAuth\n";
    std::ofstream(dir_ / "wronghost.ext")
        << "subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth\n";
    std::ofstream(dir_ / "client.ext") << "extendedKeyUsage=clientAuth\n";
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    auto ca = [&](const std::string& name) {
      return "openssl req -x509" + key + " -days 2 -keyout " + name + ".key -out " + name +
             ".pem -subj '/CN=presentie test " + name +
             "' -addext basicConstraints=critical,CA:TRUE"
             " -addext keyUsage=critical,keyCertSign,cRLSign";
    };
    auto leaf = [&](const std::string& name, const std::string& ca_name, const std::string& ext) {
      return "openssl req" + key + " -keyout " + name + ".key -out " + name +
             ".csr -subj '/CN=" + name + "' && openssl x509 -req -in " + name + ".csr -CA " +
             ca_name + ".pem -CAkey " + ca_name + ".key -CAcreateserial -days 2 -out " + name +
             ".pem -extfile " + ext;
    };
    const std::string script =
        "cd '" + dir_.string() + "' && (" + ca("ca") + " && " + ca("other_ca") + " && " +
        leaf("server", "ca", "server.ext") + " && " + leaf("wronghost", "ca", "wronghost.ext") +
        " && " + leaf("client", "ca", "client.ext") + " && " +
        leaf("other_client", "other_ca", "client.ext") + ") >openssl.log 2>&1";
    ok_ = std::system(script.c_str()) == 0;
  }

  fs::path dir_;
  bool ok_ = false;
};

class TransportTlsTest : public TransportTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Certs::Get().ok()) << "openssl could not make the test certificates";
  }
  static const Certs& certs() { return Certs::Get(); }

  static std::unique_ptr<Hub> Https(const char* cert = "server", bool require_client_cert = false) {
    const Certs& c = certs();
    const std::string cert_path = c.Path(cert) + std::string(".pem");
    const std::string key_path = c.Path(cert) + std::string(".key");
    const std::string client_ca = c.Path("ca.pem");
    auto server = std::make_unique<httplib::SSLServer>(
        cert_path.c_str(), key_path.c_str(), require_client_cert ? client_ca.c_str() : nullptr);
    EXPECT_TRUE(server->is_valid());
    return std::make_unique<Hub>(std::move(server));
  }

  // A TLS failure: kFailedPrecondition that says TLS, after one attempt, and
  // no request reached the handler.
  void ExpectTlsFailure(const Result<HttpReply>& reply, const Hub& hub) {
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.status().code(), StatusCode::kFailedPrecondition) << reply.status().ToString();
    EXPECT_NE(reply.status().message().find("TLS"), std::string::npos) << reply.status().message();
    EXPECT_EQ(reply.status().message().find(kToken), std::string::npos);
    EXPECT_TRUE(waits_.empty()) << "a TLS failure was retried";
    EXPECT_TRUE(hub.seen().empty());
  }

  // A server refusing the client certificate. Under TLS 1.3 the client learns
  // it from the server's alert when that arrives before the server's reset
  // (no further attempt), or else from every attempt being dropped right after
  // the handshake: either way kFailedPrecondition naming TLS, within
  // max_attempts.
  void ExpectClientCertificateRefused(const Result<HttpReply>& reply, const Hub& hub) {
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.status().code(), StatusCode::kFailedPrecondition) << reply.status().ToString();
    EXPECT_NE(reply.status().message().find("TLS"), std::string::npos) << reply.status().message();
    EXPECT_EQ(reply.status().message().find(kToken), std::string::npos);
    EXPECT_LE(waits_.size(), 3u);
    EXPECT_TRUE(hub.seen().empty());
  }
};

TEST_F(TransportTlsTest, SucceedsWithTheServersCa) {
  auto hub = Https();
  auto o = Options(hub->Url("https"));
  o.tls.ca_file = certs().Path("ca.pem");
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  auto reply = transport->Post("/v1/hello", "hi");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->attempts, 1);
  ASSERT_EQ(hub->seen().size(), 1u);
  EXPECT_EQ(hub->seen()[0].body, "hi");
  EXPECT_EQ(hub->seen()[0].authorization, std::string("Bearer ") + kToken);
}

TEST_F(TransportTlsTest, HostNameIsVerifiedToo) {
  auto hub = Https();
  auto o = Options("https://localhost:" + std::to_string(hub->port()));
  o.tls.ca_file = certs().Path("ca.pem");
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  auto by_name = transport->Post("/v1/hello", "hi");
  ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();

  auto wrong = Https("wronghost");
  auto o2 = Options(wrong->Url("https"));
  o2.tls.ca_file = certs().Path("ca.pem");
  auto transport2 = Make(std::move(o2));
  ASSERT_NE(transport2, nullptr);
  auto refused = transport2->Post("/v1/hello", "hi");
  ExpectTlsFailure(refused, *wrong);
  EXPECT_NE(refused.status().message().find("host name"), std::string::npos)
      << refused.status().message();
}

// The same certificate (trusted CA, name other.example) reached by a name
// rather than an address: the DNS name is checked, not only IP addresses.
TEST_F(TransportTlsTest, WrongHostNameIsRefusedByName) {
  auto wrong = Https("wronghost");
  auto o = Options("https://localhost:" + std::to_string(wrong->port()));
  o.tls.ca_file = certs().Path("ca.pem");
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  auto refused = transport->Post("/v1/hello", "hi");
  ExpectTlsFailure(refused, *wrong);
  EXPECT_NE(refused.status().message().find("host name 'localhost'"), std::string::npos)
      << refused.status().message();
}

TEST_F(TransportTlsTest, FailsWithoutTheCa) {
  auto hub = Https();
  auto transport = Make(Options(hub->Url("https")));  // system CAs only
  ASSERT_NE(transport, nullptr);
  ExpectTlsFailure(transport->Post("/v1/hello", "hi"), *hub);
}

TEST_F(TransportTlsTest, FailsWithTheWrongCa) {
  auto hub = Https();
  auto o = Options(hub->Url("https"));
  o.tls.ca_file = certs().Path("other_ca.pem");
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  ExpectTlsFailure(transport->Post("/v1/hello", "hi"), *hub);
}

TEST_F(TransportTlsTest, FailsWithAnUnreadableCaFile) {
  auto hub = Https();
  auto o = Options(hub->Url("https"));
  o.tls.ca_file = certs().Path("no-such-ca.pem");
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  ExpectTlsFailure(transport->Post("/v1/hello", "hi"), *hub);
}

TEST_F(TransportTlsTest, MutualTlsSucceedsWithTheClientCertificate) {
  auto hub = Https("server", /*require_client_cert=*/true);
  auto o = Options(hub->Url("https"));
  o.tls.ca_file = certs().Path("ca.pem");
  o.tls.cert_file = certs().Path("client.pem");
  o.tls.key_file = certs().Path("client.key");
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  auto reply = transport->Post("/v1/hello", "hi");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(hub->seen().size(), 1u);
}

TEST_F(TransportTlsTest, MutualTlsFailsWithoutAClientCertificate) {
  auto hub = Https("server", /*require_client_cert=*/true);
  auto o = Options(hub->Url("https"));
  o.tls.ca_file = certs().Path("ca.pem");
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  ExpectClientCertificateRefused(transport->Post("/v1/hello", "hi"), *hub);
}

TEST_F(TransportTlsTest, MutualTlsFailsWithACertificateFromAnotherCa) {
  auto hub = Https("server", /*require_client_cert=*/true);
  auto o = Options(hub->Url("https"));
  o.tls.ca_file = certs().Path("ca.pem");
  o.tls.cert_file = certs().Path("other_client.pem");
  o.tls.key_file = certs().Path("other_client.key");
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  ExpectClientCertificateRefused(transport->Post("/v1/hello", "hi"), *hub);
}

TEST_F(TransportTlsTest, MutualTlsFailsWithAnUnreadableClientKey) {
  auto hub = Https("server", /*require_client_cert=*/true);
  auto o = Options(hub->Url("https"));
  o.tls.ca_file = certs().Path("ca.pem");
  o.tls.cert_file = certs().Path("client.pem");
  o.tls.key_file = certs().Path("no-such.key");
  auto transport = Make(std::move(o));
  ASSERT_NE(transport, nullptr);
  ExpectTlsFailure(transport->Post("/v1/hello", "hi"), *hub);
}

}  // namespace transport_test
}  // namespace presentie::sync
