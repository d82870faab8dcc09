// The server's connections. cpp-httplib parses each request and routes it,
// but the connection around the requests is served here, so that a few slow
// or hostile connections cannot take the workers from everyone else
// (docs/sync.md, "Connections"):
//   - one client address has at most max_connections_per_address
//     connections served at once; more wait, holding no worker, until one of
//     that address's ends (parked); past kParkedPerServed times the cap they
//     are closed at once;
//   - a new connection has kHeaderTimeout for its TLS handshake, request line
//     and headers together; a kept-alive one must start its next request
//     within the keep-alive timeout and have its headers in kHeaderTimeout
//     after that: a total per request, not a timeout per line or per read;
//   - a body, and an answer, must move at kMinTransferRate on average after
//     kTransferGrace;
//   - after an answer that says "Connection: close" the server writes no
//     more, reads what the client still sends for up to kLingerTimeout (so
//     that the answer is not lost to a reset), and closes;
//   - the listen queue holds kListenBacklog connections, not httplib's 5.
// httplib's own loop waits per read, so a client that sends a byte now and
// then holds a worker for ever; its process_and_close_socket is the virtual
// it declares for serving a connection, and this file overrides it, calling
// httplib's process_request for each request over a Stream of its own.
//
// What this cannot change: a connection holds a worker thread from the
// moment it is admitted until it closes, also while it waits for a request.
// docs/sync.md describes the design that would not.
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>
#include <functional>
#include <type_traits>
#include <unordered_map>

#include "sync/server/http_server.h"

namespace presentie::sync::server_impl {

namespace {

// A new connection's TLS handshake, request line and headers, together; and
// a kept-alive connection's next request line and headers from its first
// byte. A device sends its headers in one packet, well within this.
constexpr auto kHeaderTimeout = std::chrono::seconds(5);
// A body, or an answer, has this long plus a second per kMinTransferRate
// bytes moved: 8 KiB/s (64 kbit/s) is slower than any link a sync is run
// over, and a push of the largest body allowed (8 MiB) gets ~17 minutes.
constexpr auto kTransferGrace = std::chrono::seconds(10);
constexpr uint64_t kMinTransferRate = 8 * 1024;
// How long a connection closed after an answer is still read from.
constexpr auto kLingerTimeout = std::chrono::seconds(1);
// The listen queue: a school's devices starting their sync at the same
// minute, with room to spare. The kernel caps it at net.core.somaxconn.
constexpr int kListenBacklog = 1024;
// Connections of one address that wait for a place, per place: a burst from
// behind one NAT is served in turn; a flood is closed at once.
constexpr size_t kParkedPerServed = 4;
// How often a wait looks whether the server is stopping.
constexpr auto kStopCheck = std::chrono::milliseconds(100);

// --- One connection --------------------------------------------------------------

// A connection as httplib reads and writes it, over TCP or TLS, with the
// deadlines above. The socket is non-blocking; every wait is a poll() up to
// the deadline of what is being read or written.
class Connection final : public httplib::Stream {
 public:
  // `listening` is the server's listening socket, INVALID_SOCKET once it
  // stops: a connection waiting for a request then ends.
  Connection(socket_t fd, const std::atomic<socket_t>& listening) : fd_(fd), listening_(listening) {
    const int flags = ::fcntl(fd_, F_GETFL, 0);
    if (flags >= 0) ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  }
  ~Connection() override { Close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The TLS handshake, within the first request's header time.
  bool AcceptTls(SSL_CTX* ctx) {
    ssl_ = SSL_new(ctx);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, static_cast<int>(fd_)) != 1) {
      failed_ = true;
      return false;
    }
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_clear_mode(ssl_, SSL_MODE_AUTO_RETRY);
    for (;;) {
      ERR_clear_error();
      const int r = SSL_accept(ssl_);
      if (r == 1) return true;
      const short want = WantOf(SSL_get_error(ssl_, r));
      if (want == 0 || !Wait(want, header_deadline_)) {
        failed_ = true;
        return false;
      }
    }
  }
  SSL* ssl() const { return ssl_; }

  // A request begins: its line and headers must be in by `deadline`.
  void BeginRequest(Clock::time_point deadline) {
    header_deadline_ = deadline;
    headers_read_ = false;
    direction_ = Direction::kNone;
  }
  // Its headers are in; its body and its answer each get their own time, and
  // a stop of the server now waits for it.
  void HeadersRead() {
    headers_read_ = true;
    direction_ = Direction::kNone;
  }
  void EndRequest() { BeginRequest(Clock::now()); }
  void CloseAfterAnswer() { close_after_answer_ = true; }
  bool close_after_answer() const { return close_after_answer_; }

  // Waits up to `idle` for the next request's first byte; false when none
  // comes, or the server stops. A closed connection counts as readable:
  // reading the request then finds it closed.
  bool WaitForRequest(Clock::duration idle) {
    if (buffer_begin_ < buffer_end_ || (ssl_ != nullptr && SSL_pending(ssl_) > 0)) return true;
    return Wait(POLLIN, Clock::now() + idle);
  }

  // httplib::Stream
  bool is_readable() const override {
    if (buffer_begin_ < buffer_end_ || (ssl_ != nullptr && SSL_pending(ssl_) > 0)) return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }
  bool is_writable() const override {
    pollfd p{fd_, POLLOUT, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLERR | POLLHUP)) == 0;
  }
  ssize_t read(char* ptr, size_t size) override {
    if (buffer_begin_ == buffer_end_) {
      // httplib reads the headers a byte at a time, a body in large pieces.
      if (size >= buffer_.size()) return Receive(ptr, size);
      const ssize_t n = Receive(buffer_.data(), buffer_.size());
      if (n <= 0) return n;
      buffer_begin_ = 0;
      buffer_end_ = static_cast<size_t>(n);
    }
    const size_t n = std::min(size, buffer_end_ - buffer_begin_);
    std::memcpy(ptr, buffer_.data() + buffer_begin_, n);
    buffer_begin_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (size == 0) return 0;
    for (;;) {
      const Clock::time_point deadline = TransferDeadline(Direction::kOut);
      short want = POLLOUT;
      if (ssl_ != nullptr) {
        ERR_clear_error();
        const int n = SSL_write(ssl_, ptr, static_cast<int>(std::min<size_t>(size, INT_MAX)));
        if (n > 0) return Moved(n);
        want = WantOf(SSL_get_error(ssl_, n));
        if (want == 0) return Failed();
      } else {
        const ssize_t n = ::send(fd_, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n >= 0) return Moved(n);
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return Failed();
      }
      if (!Wait(want, deadline)) return Failed();
    }
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t length = sizeof addr;
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
      Numeric(addr, length, ip, port);
    }
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t length = sizeof addr;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
      Numeric(addr, length, ip, port);
    }
  }
  socket_t socket() const override { return fd_; }

  // Ends the connection: TLS's close_notify unless it failed, then, after an
  // answer that closes it, what the client still sends is read and dropped
  // for up to kLingerTimeout: closing a socket with unread bytes makes the
  // kernel reset the connection, and the client could lose the answer.
  void Close() {
    if (closed_) return;
    closed_ = true;
    if (ssl_ != nullptr) {
      ERR_clear_error();
      if (!failed_) SSL_shutdown(ssl_);
      SSL_free(ssl_);
      ssl_ = nullptr;
      ERR_clear_error();
    }
    if (close_after_answer_ && !failed_) {
      ::shutdown(fd_, SHUT_WR);
      const Clock::time_point until = Clock::now() + kLingerTimeout;
      std::array<char, 4096> sink;
      while (Wait(POLLIN, until)) {
        const ssize_t n = ::recv(fd_, sink.data(), sink.size(), MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) break;
      }
    }
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
  }

 private:
  enum class Direction { kNone, kIn, kOut };

  static short WantOf(int ssl_error) {
    if (ssl_error == SSL_ERROR_WANT_READ) return POLLIN;
    if (ssl_error == SSL_ERROR_WANT_WRITE) return POLLOUT;
    return 0;
  }
  static void Numeric(const sockaddr_storage& addr, socklen_t length, std::string& ip, int& port) {
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> service{};
    if (::getnameinfo(reinterpret_cast<const sockaddr*>(&addr), length, host.data(), host.size(),
                      service.data(), service.size(), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host.data();
      port = std::atoi(service.data());
    }
  }

  bool stopping() const { return listening_ == INVALID_SOCKET; }

  // A read or write that failed, or timed out: the connection is not used
  // again, and is closed without TLS's close_notify or lingering.
  int Failed() {
    failed_ = true;
    return -1;
  }
  ssize_t Moved(ssize_t n) {
    transferred_ += static_cast<uint64_t>(n);
    return n;
  }

  // The deadline of the body or answer in `d`: kTransferGrace from its
  // first read or write, and a second more per kMinTransferRate bytes moved.
  Clock::time_point TransferDeadline(Direction d) {
    if (direction_ != d) {
      direction_ = d;
      transfer_start_ = Clock::now();
      transferred_ = 0;
    }
    return transfer_start_ + kTransferGrace +
           std::chrono::milliseconds(transferred_ * 1000 / kMinTransferRate);
  }

  // Reads what is there, waiting up to the deadline of what is being read.
  ssize_t Receive(char* buf, size_t size) {
    for (;;) {
      const Clock::time_point deadline =
          headers_read_ ? TransferDeadline(Direction::kIn) : header_deadline_;
      short want = POLLIN;
      if (ssl_ != nullptr) {
        ERR_clear_error();
        const int n = SSL_read(ssl_, buf, static_cast<int>(std::min<size_t>(size, INT_MAX)));
        if (n > 0) return Moved(n);
        const int error = SSL_get_error(ssl_, n);
        if (error == SSL_ERROR_ZERO_RETURN) return 0;
        want = WantOf(error);
        if (want == 0) return Failed();
      } else {
        const ssize_t n = ::recv(fd_, buf, size, MSG_DONTWAIT);
        if (n > 0) return Moved(n);
        if (n == 0) return 0;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return Failed();
      }
      if (!Wait(want, deadline)) return Failed();
    }
  }

  // Waits until the socket is ready for `events`; false when `deadline`
  // passes first, or when the server stops while no request is in flight
  // (one awaited, or its headers still coming).
  bool Wait(short events, Clock::time_point deadline) const {
    for (;;) {
      const Clock::time_point now = Clock::now();
      if (now >= deadline || (!headers_read_ && stopping())) return false;
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
      pollfd p{fd_, events, 0};
      const int r = ::poll(&p, 1, static_cast<int>(std::min(left, kStopCheck).count()));
      if (r > 0) return true;  // an error or hang-up too: the next call reports it
      if (r < 0 && errno != EINTR) return false;
    }
  }

  const socket_t fd_;
  const std::atomic<socket_t>& listening_;
  SSL* ssl_ = nullptr;
  bool failed_ = false;
  bool closed_ = false;
  bool close_after_answer_ = false;
  Clock::time_point header_deadline_ = Clock::now() + kHeaderTimeout;
  bool headers_read_ = false;
  Direction direction_ = Direction::kNone;
  Clock::time_point transfer_start_;
  uint64_t transferred_ = 0;
  std::array<char, 4096> buffer_;
  size_t buffer_begin_ = 0;
  size_t buffer_end_ = 0;
};

// The connection being served on this thread, for the routes' hooks.
thread_local Connection* t_connection = nullptr;

// --- Places per address ------------------------------------------------------------

// The part of a client's address the cap counts by: an IPv4 address, also
// when it arrives mapped into IPv6 (a server listening on "::"), or an IPv6
// address's first 64 bits, the block one subscriber is given. Empty when the
// client has gone already.
std::string AddressKey(socket_t fd) {
  sockaddr_storage addr{};
  socklen_t length = sizeof addr;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) return "";
  if (addr.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(addr);
    return "4" + std::string(reinterpret_cast<const char*>(&v4.sin_addr), 4);
  }
  if (addr.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(addr);
    const char* bytes = reinterpret_cast<const char*>(&v6.sin6_addr);
    if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) return "4" + std::string(bytes + 12, 4);
    return "6" + std::string(bytes, 8);
  }
  return "?";
}

// A connection that is not served: closed before a byte is read.
void CloseAtOnce(socket_t fd) {
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

// How many connections of each address are served, and the ones that wait.
class AddressPlaces {
 public:
  enum class Admission { kServe, kParked, kRefused };

  explicit AddressPlaces(size_t per_address) : per_address_(per_address) {}
  ~AddressPlaces() { CloseParked(); }
  AddressPlaces(const AddressPlaces&) = delete;
  AddressPlaces& operator=(const AddressPlaces&) = delete;

  // A new connection of `key`: served now, parked (it then belongs to this
  // object until Next hands it out), or refused (the caller closes it).
  Admission Admit(const std::string& key, socket_t fd) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    Address& a = by_address_[key];
    if (a.served < per_address_) {
      ++a.served;
      return Admission::kServe;
    }
    if (a.parked.size() < per_address_ * kParkedPerServed) {
      a.parked.push_back(fd);
      return Admission::kParked;
    }
    return Admission::kRefused;
  }

  // A served connection of `key` has ended. Its place goes to the first one
  // of that address that waits, returned to be served; INVALID_SOCKET when
  // none waits, or when the server stops (those waiting are then closed).
  socket_t Next(const std::string& key, bool stopping) EXCLUDES(mu_) {
    std::deque<socket_t> dropped;
    socket_t next = INVALID_SOCKET;
    {
      MutexLock lock(&mu_);
      auto it = by_address_.find(key);
      if (it == by_address_.end()) return INVALID_SOCKET;
      Address& a = it->second;
      if (stopping) std::swap(dropped, a.parked);
      if (!a.parked.empty()) {
        next = a.parked.front();
        a.parked.pop_front();
      } else if (--a.served == 0) {
        by_address_.erase(it);
      }
    }
    for (socket_t fd : dropped) CloseAtOnce(fd);
    return next;
  }

  void CloseParked() EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    for (auto& [key, a] : by_address_) {
      for (socket_t fd : a.parked) CloseAtOnce(fd);
      a.parked.clear();
    }
  }

 private:
  struct Address {
    size_t served = 0;
    std::deque<socket_t> parked;
  };
  const size_t per_address_;
  Mutex mu_;
  std::unordered_map<std::string, Address> by_address_ GUARDED_BY(mu_);
};

// --- The server ----------------------------------------------------------------------

// httplib's Server or SSLServer, with its connections served here.
template <class Base>
class GuardedServer final : public Base, public ConnectionGuard {
 public:
  template <class... Args>
  explicit GuardedServer(size_t per_address, Args&&... args)
      : Base(std::forward<Args>(args)...), places_(per_address) {}

  bool RaiseBacklog() override { return ::listen(this->svr_sock_, kListenBacklog) == 0; }

 private:
  bool stopping() const { return this->svr_sock_ == INVALID_SOCKET; }

  // httplib's accept loop hands each connection to a worker, which calls
  // this. A connection of an address at its cap is parked and the worker is
  // free at once; the worker that ends one of that address's connections
  // serves the next one waiting.
  bool process_and_close_socket(socket_t fd) override {
    const std::string key = AddressKey(fd);
    if (key.empty() || stopping()) {
      CloseAtOnce(fd);
      return false;
    }
    switch (places_.Admit(key, fd)) {
      case AddressPlaces::Admission::kRefused:
        CloseAtOnce(fd);
        return false;
      case AddressPlaces::Admission::kParked:
        return true;
      case AddressPlaces::Admission::kServe:
        break;
    }
    for (socket_t next = fd; next != INVALID_SOCKET; next = places_.Next(key, stopping())) {
      Serve(next);
    }
    return true;
  }

  // One connection, request after request, as httplib's own loop would, but
  // with the deadlines of Connection.
  void Serve(socket_t fd) {
    Connection c(fd, this->svr_sock_);
    c.BeginRequest(Clock::now() + kHeaderTimeout);
    std::function<void(httplib::Request&)> setup;
    if constexpr (std::is_base_of_v<httplib::SSLServer, Base>) {
      if (!c.AcceptTls(this->ssl_context())) return;
      setup = [ssl = c.ssl()](httplib::Request& req) { req.ssl = ssl; };
    }
    const size_t max_requests = this->keep_alive_max_count_;
    const auto idle = std::chrono::seconds(this->keep_alive_timeout_sec_);
    for (size_t left = max_requests; left > 0 && !stopping(); --left) {
      if (left != max_requests) {
        if (!c.WaitForRequest(idle)) break;
        c.BeginRequest(Clock::now() + kHeaderTimeout);
      }
      bool closed_by_client = false;
      t_connection = &c;
      const bool ok = this->process_request(c, left == 1, closed_by_client, setup);
      t_connection = nullptr;
      c.EndRequest();
      if (!ok || closed_by_client || c.close_after_answer()) break;
    }
  }

  AddressPlaces places_;
};

}  // namespace

void HeadersRead() {
  if (t_connection != nullptr) t_connection->HeadersRead();
}

void CloseAfterAnswer() {
  if (t_connection != nullptr) t_connection->CloseAfterAnswer();
}

GuardedHttp MakeHttp(const ServerConfig& c) {
  const auto per_address = static_cast<size_t>(c.max_connections_per_address);
  if (c.tls_cert_file.empty()) {
    auto http = std::make_unique<GuardedServer<httplib::Server>>(per_address);
    ConnectionGuard* guard = http.get();
    return {std::move(http), guard};
  }
  auto https = std::make_unique<GuardedServer<httplib::SSLServer>>(
      per_address, c.tls_cert_file.c_str(), c.tls_key_file.c_str(),
      c.client_ca_file.empty() ? nullptr : c.client_ca_file.c_str());
  // TLS 1.2 at the least, whatever the system's OpenSSL configuration says
  // (Debian's says the same; another system's may not).
  if (https->is_valid()) SSL_CTX_set_min_proto_version(https->ssl_context(), TLS1_2_VERSION);
  ConnectionGuard* guard = https.get();
  return {std::move(https), guard};
}

}  // namespace presentie::sync::server_impl
