// libFuzzer target: the server's request handlers (/v1/hello, /v1/push,
// /v1/pull) on arbitrary bodies, through a real sync::Server on loopback in
// this process (so its code is instrumented) and the transport.
// Every request gets an answer the protocol knows — never a 5xx — and the
// server still answers a good hello afterwards.
//
// The first byte chooses the endpoint (low 2 bits), the token (bit 2: the
// teacher's or the hub's) and whether the rest is a body as sent or
// protobuf bytes this target compresses first (bit 7). Built by `make fuzz`.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sync/codec.h"
#include "sync/messages.h"
#include "sync/server.h"
#include "sync/transport.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

namespace fs = std::filesystem;
using namespace presentie;        // NOLINT: a fuzz target's one namespace
using namespace presentie::sync;  // NOLINT

constexpr const char* kTeacherReplica = "0a1b2c3d4e5f6071";
constexpr const char* kHubReplica = "1b2c3d4e5f607182";

struct Fixture {
  std::unique_ptr<Server> server;
  std::unique_ptr<Transport> teacher;
  std::unique_ptr<Transport> hub;
  std::string hello;  // a good hello of the teacher's
};

std::unique_ptr<Transport> Client(int port, const std::string& token) {
  TransportOptions o;
  o.base_url = "http://127.0.0.1:" + std::to_string(port);
  o.token = token;
  o.retry.max_attempts = 1;
  o.connect_timeout_ms = 5'000;
  o.total_timeout_ms = 30'000;
  auto t = Transport::Create(std::move(o));
  if (!t.ok()) std::abort();
  return std::move(*t);
}

fs::path& Dir() {
  static fs::path dir;
  return dir;
}

Fixture& TheServer() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    const fs::path dir =
        fs::temp_directory_path() / ("presentie-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    Dir() = dir;
    // libFuzzer ends with exit(): the register goes with the process.
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(Dir(), ignored);
    });
    const std::string teacher_token = NewDeviceToken();
    const std::string hub_token = NewDeviceToken();
    ServerConfig c;
    c.port = 0;
    c.register_path = (dir / "hub.db").string();
    c.school_name = "Fuzz";
    c.brin = "25AB";
    c.worker_threads = 2;
    c.limits.max_compressed_bytes = 64 * 1024;
    c.limits.max_decompressed_bytes = 256 * 1024;
    c.limits.max_records_per_batch = 200;
    c.max_pull_page = 100;
    c.tokens = {{"teacher", HashToken(teacher_token), kTeacherReplica, Role::kTeacher, ""},
                {"hub", HashToken(hub_token), kHubReplica, Role::kHub, ""}};
    auto server = Server::Create(std::move(c));
    if (!server.ok() || !(*server)->Start().ok()) std::abort();
    fx->server = std::move(*server);
    fx->teacher = Client(fx->server->port(), teacher_token);
    fx->hub = Client(fx->server->port(), hub_token);
    fx->hello = *EncodeHelloRequest(HelloRequest{kProtocolVersion, kTeacherReplica});
    return fx;
  }();
  return *f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::optional<presentie::fuzz::Input> in = presentie::fuzz::ReadInput(data, size);
  if (!in.has_value()) return 0;
  Fixture& f = TheServer();
  const uint8_t selector = in->selector;
  const std::string& body = in->body;
  static constexpr const char* kPaths[] = {"/v1/hello", "/v1/push", "/v1/pull", "/v1/push"};
  Transport& client = (selector & 4) ? *f.hub : *f.teacher;
  auto reply = client.Post(kPaths[selector & 3], body);
  if (!reply.ok()) std::abort();  // the server closed without an answer
  switch (reply->status) {
    case 200:
    case 400:
    case 401:
    case 403:
    case 404:
    case 409:
    case 413:
      break;
    default:
      std::abort();  // 5xx, or a status the protocol does not use
  }
  if (reply->status != 200 && !DecodeErrorReply(reply->body, Limits{}).ok()) std::abort();
  auto hello = f.teacher->Post("/v1/hello", f.hello);
  if (!hello.ok() || hello->status != 200) std::abort();  // it stopped serving
  return 0;
}
