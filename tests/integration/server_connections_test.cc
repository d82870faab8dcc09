// What a few slow or hostile connections can do to a real `presentie serve`
// on loopback (docs/sync.md, "Connections"): nothing that keeps devices from
// syncing. Raw sockets play the bad clients, from addresses of their own in
// 127.0.0.0/8 (all of it is loopback on Linux), so that the server tells
// them apart from the devices, which connect from 127.0.0.1 with the real
// transport. Also plain HTTP off loopback, which the server refuses unless
// its config names the address.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "integration/server_process.h"
#include "sync/codec.h"
#include "sync/messages.h"
#include "sync/server.h"

namespace presentie::integration {
namespace server_connections_test {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

constexpr size_t kMaxCompressed = 64 * 1024;

// A TCP connection from `source` (an address in 127.0.0.0/8) to the server;
// -1 when it cannot be made. Non-blocking when asked: the connect is then
// under way when this returns.
int ConnectFrom(const std::string& source, int port, bool nonblocking = false) {
  const int fd =
      ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0 && errno != EINPROGRESS)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  for (size_t at = 0; at < bytes.size();) {
    const ssize_t n = ::send(fd, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return false;
    at += static_cast<size_t>(n);
  }
  return true;
}

// An HTTP answer as read off a raw socket.
struct RawAnswer {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  bool closed = false;  // the server closed the connection after it
  std::chrono::milliseconds took{0};
};

// Reads one answer: its status line and headers, and a body of its
// Content-Length; then, when `until_closed`, on until the server closes the
// connection. Gives up at `timeout`; what came by then is returned.
RawAnswer ReadAnswer(int fd, std::chrono::milliseconds timeout, bool until_closed = false) {
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  RawAnswer a;
  std::string bytes;
  std::optional<size_t> body_at;
  std::optional<size_t> length;
  for (;;) {
    if (body_at && length && bytes.size() >= *body_at + *length && !until_closed) break;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      a.closed = true;
      break;
    }
    bytes.append(buf, static_cast<size_t>(n));
    if (!body_at) {
      const size_t end = bytes.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      body_at = end + 4;
      std::sscanf(bytes.c_str(), "HTTP/1.1 %d", &a.status);
      for (size_t at = bytes.find("\r\n") + 2; at < end;) {
        const size_t eol = bytes.find("\r\n", at);
        const std::string line = bytes.substr(at, eol - at);
        const size_t colon = line.find(':');
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        a.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
        at = eol + 2;
      }
      if (a.headers.contains("content-length")) {
        length = std::stoul(a.headers["content-length"]);
      }
    }
  }
  a.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  if (body_at) a.body = bytes.substr(*body_at);
  return a;
}

// Connections that send a request's headers a byte now and then and never
// finish them, from a few addresses of their own; one the server closes is
// opened again, so that as many as it lets in are held all the time.
class SlowClients {
 public:
  // An error that says "not yet": the connect is under way, or the socket's
  // buffer is full or empty.
  static bool Pending(int error) {
    return error == EAGAIN || error == EWOULDBLOCK || error == ENOTCONN || error == EINPROGRESS;
  }

  SlowClients(int port, std::vector<std::string> sources, int count)
      : port_(port), sources_(std::move(sources)), thread_([this, count] { Run(count); }) {}
  ~SlowClients() {
    stop_ = true;
    thread_.join();
  }
  int opened() const { return opened_; }
  // How many are open and have sent a part of their headers.
  int held() const { return held_; }

 private:
  void Run(int count) {
    struct Slow {
      int fd = -1;
      size_t sent = 0;
    };
    std::vector<Slow> slow(static_cast<size_t>(count));
    auto open = [&](size_t i) {
      slow[i] = {ConnectFrom(sources_[i % sources_.size()], port_, true), 0};
      ++opened_;
    };
    for (size_t i = 0; i < slow.size(); ++i) open(i);
    const std::string headers =
        "POST /v1/hello HTTP/1.1\r\nHost: hub\r\nX-Slow: " + std::string(100'000, 'a');
    while (!stop_) {
      // A byte on each, every 200 ms: never a whole request line and headers.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      int held = 0;
      for (size_t i = 0; i < slow.size(); ++i) {
        Slow& s = slow[i];
        bool closed = s.fd < 0;
        if (!closed) {
          char c = 0;
          const ssize_t r = ::recv(s.fd, &c, 1, MSG_DONTWAIT);
          closed = r == 0 || (r < 0 && !Pending(errno));
        }
        if (!closed) {
          const ssize_t n =
              ::send(s.fd, &headers[s.sent % headers.size()], 1, MSG_NOSIGNAL | MSG_DONTWAIT);
          if (n == 1) ++s.sent;
          closed = n < 0 && !Pending(errno);
        }
        if (closed) {
          if (s.fd >= 0) ::close(s.fd);
          open(i);
        } else if (s.sent > 0) {
          ++held;
        }
      }
      held_ = held;
    }
    for (Slow& s : slow) {
      if (s.fd >= 0) ::close(s.fd);
    }
  }

  const int port_;
  const std::vector<std::string> sources_;
  std::atomic<bool> stop_{false};
  std::atomic<int> opened_{0};
  std::atomic<int> held_{0};
  std::thread thread_;
};

class ServerConnectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    for (int i = 0; i < 10; ++i) {
      char replica[17];
      std::snprintf(replica, sizeof replica, "%016x", 0xe0000 + i);
      devices_.push_back(
          {"tablet-" + std::to_string(i), sync::NewDeviceToken(), replica, "teacher"});
    }
  }
  void TearDown() override {
    if (server_ != nullptr && server_->running()) {
      EXPECT_EQ(server_->StopWith(SIGTERM, 10), 0) << "the server did not stop cleanly";
    }
  }

  Json BaseConfig() const {
    return {{"listen_host", "127.0.0.1"},
            {"port", 0},
            {"register_path", "hub.db"},
            {"school_name", "Taalschool De Brug"},
            {"brin", "25AB"},
            {"limits", {{"max_compressed_bytes", kMaxCompressed}}},
            {"tokens", TokensConfig(devices_)}};
  }
  void StartServer(const Json& config) {
    std::ofstream(dir_ / "server.json") << config.dump(2);
    std::string error;
    server_ = ServerProcess::Start(dir_ / "server.json", dir_ / "server.log", &error);
    ASSERT_NE(server_, nullptr) << error;
  }
  std::string Log() const { return ReadFile(dir_ / "server.log"); }

  std::string HelloBody(size_t device) const {
    auto body = sync::EncodeHelloRequest(
        sync::HelloRequest{sync::kProtocolVersion, devices_[device].replica_id});
    EXPECT_TRUE(body.ok());
    return body.ok() ? *body : "";
  }
  // A hello of `device` as raw HTTP, with its token and body.
  std::string RawHello(size_t device) const {
    const std::string body = HelloBody(device);
    return "POST /v1/hello HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer " +
           devices_[device].token +
           "\r\nContent-Type: application/x-protobuf\r\nContent-Encoding: zstd\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }

  TempDir dir_;
  std::vector<TestDevice> devices_;
  std::unique_ptr<ServerProcess> server_;
};

// Three times as many connections as the server has workers dribble their
// headers, from three addresses; ten devices still say hello in their normal
// time. Before: the slow connections took every worker as long as they
// lasted, and every device's hello timed out.
TEST_F(ServerConnectionsTest, DevicesAreServedWhileSlowClientsHoldThreeTimesTheWorkers) {
  constexpr int kWorkers = 32;
  Json config = BaseConfig();
  config["worker_threads"] = kWorkers;
  ASSERT_NO_FATAL_FAILURE(StartServer(config));
  SlowClients slow(server_->port(), {"127.0.0.2", "127.0.0.3", "127.0.0.4"}, 3 * kWorkers);
  // Every slow connection is open and under way before the devices come.
  const auto opening = Clock::now();
  while (slow.held() < 3 * kWorkers && Clock::now() - opening < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(slow.held(), 3 * kWorkers);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));

  std::vector<std::thread> threads;
  std::vector<int> status(devices_.size(), 0);
  std::vector<std::chrono::milliseconds> took(devices_.size());
  for (size_t d = 0; d < devices_.size(); ++d) {
    threads.emplace_back([&, d] {
      sync::TransportOptions o;
      o.base_url = "http://127.0.0.1:" + std::to_string(server_->port());
      o.token = devices_[d].token;
      o.retry.max_attempts = 1;
      o.total_timeout_ms = 10'000;
      auto transport = sync::Transport::Create(std::move(o));
      if (!transport.ok()) return;
      const auto start = Clock::now();
      Result<sync::HttpReply> reply = (*transport)->Post("/v1/hello", HelloBody(d));
      took[d] = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      if (reply.ok()) status[d] = reply->status;
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t d = 0; d < devices_.size(); ++d) {
    EXPECT_EQ(status[d], 200) << devices_[d].name << " after " << took[d].count() << " ms";
    // A hello takes milliseconds; this bound only tells served from timed out.
    EXPECT_LT(took[d], std::chrono::seconds(3)) << devices_[d].name;
  }
  EXPECT_GE(slow.opened(), 3 * kWorkers);
  EXPECT_GE(slow.held(), 3 * kWorkers) << "the slow connections were let go";
}

// One address gets max_connections_per_address connections served; more
// wait for one of them to end, holding no worker, and past four times the
// cap they are closed at once. Other addresses are not held up.
TEST_F(ServerConnectionsTest, AnAddressOverItsCapWaitsAndPastItIsClosed) {
  Json config = BaseConfig();
  config["max_connections_per_address"] = 2;
  ASSERT_NO_FATAL_FAILURE(StartServer(config));
  const int port = server_->port();
  // Two are served: each is answered, and then starts its next request.
  std::vector<int> served;
  for (size_t device : {0, 1}) {
    served.push_back(ConnectFrom("127.0.0.5", port));
    ASSERT_TRUE(SendAll(served.back(), RawHello(device)));
    ASSERT_EQ(ReadAnswer(served.back(), std::chrono::seconds(2)).status, 200);
    ASSERT_TRUE(SendAll(served.back(), "POST /v1/hello HTTP/1.1\r\n"));
  }
  // A third waits, with its hello.
  const int third = ConnectFrom("127.0.0.5", port);
  ASSERT_TRUE(SendAll(third, RawHello(2)));
  EXPECT_EQ(ReadAnswer(third, std::chrono::milliseconds(500)).status, 0) << "answered over the cap";

  // Another address is served meanwhile.
  const int other = ConnectFrom("127.0.0.6", port);
  ASSERT_TRUE(SendAll(other, RawHello(3)));
  EXPECT_EQ(ReadAnswer(other, std::chrono::seconds(2)).status, 200);
  ::close(other);

  // Eight wait at most (four times the cap): of eight more, one is closed at
  // once, unread; the others stay open.
  std::vector<int> more;
  for (int i = 0; i < 8; ++i) more.push_back(ConnectFrom("127.0.0.5", port));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  int closed = 0;
  for (int fd : more) {
    char c = 0;
    const ssize_t n = ::recv(fd, &c, 1, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) ++closed;
  }
  EXPECT_EQ(closed, 1);

  // A served connection ends: the first one waiting, the hello, is served.
  ::close(served[0]);
  const RawAnswer answer = ReadAnswer(third, std::chrono::seconds(2));
  EXPECT_EQ(answer.status, 200);
  EXPECT_LT(answer.took, std::chrono::seconds(1));
  for (int fd : more) ::close(fd);
  for (int fd : {served[1], third}) ::close(fd);
}

// A request with no Content-Length and no Transfer-Encoding has no body: it
// is answered at once. Before: the server waited for a body until its read
// timed out, 5 s.
TEST_F(ServerConnectionsTest, ARequestWithoutABodyIsAnsweredAtOnce) {
  ASSERT_NO_FATAL_FAILURE(StartServer(BaseConfig()));
  const int stranger = ConnectFrom("127.0.0.1", server_->port());
  ASSERT_TRUE(SendAll(stranger, "POST /v1/hello HTTP/1.1\r\nHost: hub\r\n\r\n"));
  const RawAnswer unauthenticated = ReadAnswer(stranger, std::chrono::seconds(6), true);
  EXPECT_EQ(unauthenticated.status, 401);
  EXPECT_LT(unauthenticated.took, std::chrono::seconds(1));
  // A stranger's connection is not kept.
  EXPECT_TRUE(unauthenticated.closed);
  ::close(stranger);

  const int device = ConnectFrom("127.0.0.1", server_->port());
  ASSERT_TRUE(SendAll(device, "POST /v1/hello HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer " +
                                  devices_[0].token + "\r\n\r\n"));
  const RawAnswer empty = ReadAnswer(device, std::chrono::seconds(6));
  EXPECT_EQ(empty.status, 400);  // an empty body is no hello
  EXPECT_LT(empty.took, std::chrono::seconds(1));
  // The device's connection is kept: its next request is answered on it.
  ASSERT_TRUE(SendAll(device, RawHello(0)));
  EXPECT_EQ(ReadAnswer(device, std::chrono::seconds(2)).status, 200);
  ::close(device);
}

// A body refused before it is sent (Expect: 100-continue) is answered with
// the answer's length, and the connection is closed: the client does not
// wait for more. Before: 413 without a Content-Length on a connection kept
// open, so the client read until the keep-alive ran out.
TEST_F(ServerConnectionsTest, ARefusalBeforeTheBodyStatesItsLengthAndCloses) {
  ASSERT_NO_FATAL_FAILURE(StartServer(BaseConfig()));
  const int fd = ConnectFrom("127.0.0.1", server_->port());
  ASSERT_TRUE(SendAll(fd, "POST /v1/push HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer " +
                              devices_[0].token + "\r\nContent-Encoding: zstd\r\nContent-Length: " +
                              std::to_string(kMaxCompressed + 1) +
                              "\r\nExpect: 100-continue\r\n\r\n"));
  RawAnswer a = ReadAnswer(fd, std::chrono::seconds(6), true);
  EXPECT_EQ(a.status, 413);
  ASSERT_TRUE(a.headers.contains("content-length")) << "an answer without its length";
  EXPECT_EQ(a.body.size(), std::stoul(a.headers["content-length"]));
  EXPECT_EQ(a.headers["connection"], "close");
  EXPECT_FALSE(a.headers.contains("keep-alive"));
  EXPECT_TRUE(a.closed);
  EXPECT_LT(a.took, std::chrono::seconds(2));
  auto error = sync::DecodeErrorReply(a.body, sync::Limits{});
  ASSERT_TRUE(error.ok());
  EXPECT_EQ(error->code, sync::ErrorCode::kTooLarge);
  ::close(fd);
}

// Fifty devices connect in the same instant, each from its own address:
// every connection is taken at once and answered. Before: httplib's listen
// queue of 5 dropped most of them, which came back a second later at best.
TEST_F(ServerConnectionsTest, FiftyDevicesConnectingAtOnceAreAllTakenIn) {
  ASSERT_NO_FATAL_FAILURE(StartServer(BaseConfig()));
  constexpr int kDevices = 50;
  const auto start = Clock::now();
  std::vector<int> fds;
  for (int i = 0; i < kDevices; ++i) {
    fds.push_back(ConnectFrom("127.0.1." + std::to_string(10 + i), server_->port(), true));
    ASSERT_GE(fds.back(), 0);
  }
  // Every connect completes, none refused or reset.
  std::vector<std::chrono::milliseconds> connected(kDevices, std::chrono::milliseconds::max());
  for (int done = 0; done < kDevices && Clock::now() - start < std::chrono::seconds(5);) {
    std::vector<pollfd> polls;
    for (int i = 0; i < kDevices; ++i) {
      if (connected[i] == std::chrono::milliseconds::max()) polls.push_back({fds[i], POLLOUT, 0});
    }
    ::poll(polls.data(), polls.size(), 100);
    for (const pollfd& p : polls) {
      if (p.revents == 0) continue;
      const int i = static_cast<int>(std::find(fds.begin(), fds.end(), p.fd) - fds.begin());
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      EXPECT_EQ(error, 0) << "device " << i << ": " << std::strerror(error);
      connected[i] = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      ++done;
    }
  }
  for (int i = 0; i < kDevices; ++i) {
    // A dropped SYN is sent again after a second: this tells the two apart.
    EXPECT_LT(connected[i], std::chrono::milliseconds(700)) << "device " << i;
  }
  // And each is answered.
  for (int fd : fds) {
    const int flags = ::fcntl(fd, F_GETFL, 0);
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    EXPECT_TRUE(SendAll(fd, RawHello(0)));
  }
  const auto answers_by = Clock::now() + std::chrono::seconds(5);
  for (int i = 0; i < kDevices; ++i) {
    const auto left =
        std::max(std::chrono::milliseconds(1),
                 std::chrono::duration_cast<std::chrono::milliseconds>(answers_by - Clock::now()));
    EXPECT_EQ(ReadAnswer(fds[i], left).status, 200) << "device " << i;
    ::close(fds[i]);
  }
}

// Plain HTTP is served on loopback only, unless the config names the address
// in allow_plain_http_on: device tokens would otherwise cross the network in
// clear. Refused, nothing is written, not even the register.
TEST_F(ServerConnectionsTest, PlainHttpOffLoopbackOnlyWhenTheConfigNamesTheAddress) {
  Json config = BaseConfig();
  config["listen_host"] = "0.0.0.0";
  std::ofstream(dir_ / "server.json") << config.dump(2);
  ProgramRun refused = RunPresentie({"serve", "--config", dir_ / "server.json"});
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("listen_host 0.0.0.0: plain HTTP"));
  EXPECT_THAT(refused.err, HasSubstr("tls_cert_file"));
  EXPECT_THAT(refused.err, HasSubstr("\"allow_plain_http_on\": [\"0.0.0.0\"]"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "hub.db"));

  // Another address in the list does not allow this one.
  config["allow_plain_http_on"] = Json::array({"192.0.2.1"});
  std::ofstream(dir_ / "server.json") << config.dump(2);
  EXPECT_EQ(RunPresentie({"serve", "--config", dir_ / "server.json"}).exit_code, 5);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "hub.db"));

  config["allow_plain_http_on"] = Json::array({"192.0.2.1", "0.0.0.0"});
  ASSERT_NO_FATAL_FAILURE(StartServer(config));
  const int fd = ConnectFrom("127.0.0.1", server_->port());
  ASSERT_TRUE(SendAll(fd, RawHello(0)));
  EXPECT_EQ(ReadAnswer(fd, std::chrono::seconds(2)).status, 200);
  ::close(fd);
  EXPECT_THAT(Log(), HasSubstr("plain HTTP as allow_plain_http_on says"));
}

}  // namespace server_connections_test
}  // namespace presentie::integration
