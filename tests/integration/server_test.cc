// The reference server as a device meets it: a real `presentie serve`
// process on a loopback port, spoken to with the codec and the transport (no
// mocks), its register read with the storage layer before and after.
#include "sync/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "core/ids.h"
#include "storage/kinds/all.h"
#include "integration/server_process.h"
#include "presentie/sync/v1/sync.pb.h"
#include "storage/store.h"
#include "storage/versioned.h"
#include "sync/codec.h"
#include "sync/messages.h"
#include "sync_test_util.h"

namespace presentie::integration {
namespace server_test {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using storage::VersionedRecord;
using sync::ErrorCode;
using sync::HttpReply;
using sync::testing::kReplicaA;
using sync::testing::kReplicaB;
using sync::testing::kReplicaC;

constexpr size_t kMaxCompressed = 256 * 1024;
constexpr size_t kMaxDecompressed = 4 * 1024 * 1024;
constexpr size_t kMaxRecords = 3'000;
constexpr uint32_t kMaxPullPage = 1'000;

// `count` attendance versions written by `replica`, each in a lesson of its
// own ("<prefix>-<i>"), so that devices never touch each other's records.
std::vector<VersionedRecord> DeviceAttendance(const std::string& replica, const std::string& prefix,
                                              int count, int first = 0) {
  std::vector<VersionedRecord> out;
  for (int i = first; i < first + count; ++i) {
    Attendance a;
    a.lesson_id = prefix + "-" + std::to_string(i);
    a.learner_id = "S1042";
    a.id = AttendanceId(a.lesson_id, a.learner_id);
    a.status = AttendanceStatus::kPresent;
    a.minutes_present = 120;
    VersionStamp s;
    s.vv.Set(replica, static_cast<uint64_t>(i + 1));
    s.hlc = Hlc{1'790'000'000'000 + static_cast<uint64_t>(i), 0};
    s.writer = Writer{replica, Role::kTeacher, "t" + prefix};
    out.push_back({std::move(s), std::move(a)});
  }
  return out;
}

// Versions in a canonical order, to compare what came back with what went.
std::vector<VersionedRecord> Sorted(std::vector<VersionedRecord> v) {
  std::sort(v.begin(), v.end(), [](const VersionedRecord& a, const VersionedRecord& b) {
    return std::pair(storage::RecordIdOf(a.record), a.stamp.vv.Encode()) <
           std::pair(storage::RecordIdOf(b.record), b.stamp.vv.Encode());
  });
  return v;
}

// What the server's register holds, read with the storage layer.
struct Snapshot {
  int64_t last_seq = -1;
  std::string dump;
  size_t audit_entries = 0;
  bool operator==(const Snapshot&) const = default;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    devices_ = {{"laptop-a", sync::NewDeviceToken(), kReplicaA, "teacher"},
                {"laptop-b", sync::NewDeviceToken(), kReplicaB, "admin"},
                {"hub-c", sync::NewDeviceToken(), kReplicaC, "hub"}};
  }

  void TearDown() override {
    if (server_ != nullptr && server_->running()) {
      EXPECT_EQ(server_->StopWith(SIGTERM), 0) << "the server did not stop cleanly; stderr:\n"
                                               << Log();
    }
  }

  Json BaseConfig() const {
    return {{"listen_host", "127.0.0.1"},
            {"port", 0},
            {"register_path", "hub.db"},  // relative: next to the config
            {"school_name", "Taalschool De Brug"},
            {"brin", "25AB"},
            {"max_pull_page", kMaxPullPage},
            {"limits",
             {{"max_compressed_bytes", kMaxCompressed},
              {"max_decompressed_bytes", kMaxDecompressed},
              {"max_records_per_batch", kMaxRecords}}},
            {"tokens", TokensConfig(devices_)}};
  }

  void StartServer(const Json& config) {
    std::ofstream(dir_ / "server.json") << config.dump(2);
    std::string error;
    server_ = ServerProcess::Start(dir_ / "server.json", dir_ / "server.log", &error);
    ASSERT_NE(server_, nullptr) << error;
  }
  void StartServer() { StartServer(BaseConfig()); }
  // An authority's endpoint of `role` (and CBS `code` for a gemeente): no
  // BRIN, and no teacher's device (device 0) among its tokens.
  void StartAuthority(const std::string& role, const std::string& name,
                      const std::string& code = "") {
    Json config = BaseConfig();
    config["role"] = role;
    if (!code.empty()) config["gemeente_code"] = code;
    config["school_name"] = name;
    config.erase("brin");
    config["tokens"].erase(0);
    StartServer(config);
  }

  std::string Log() const { return ReadFile(dir_ / "server.log"); }

  HttpReply Post(const std::string& token, const std::string& path, const std::string& body) {
    auto transport = MakeTransport(server_->port(), token);
    EXPECT_NE(transport, nullptr);
    if (transport == nullptr) return {};
    Result<HttpReply> reply = transport->Post(path, body);
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? *reply : HttpReply{};
  }
  HttpReply Post(size_t device, const std::string& path, const std::string& body) {
    return Post(devices_[device].token, path, body);
  }

  static sync::ErrorReply ErrorOf(const HttpReply& reply) {
    auto e = sync::DecodeErrorReply(reply.body, sync::Limits{});
    EXPECT_TRUE(e.ok()) << "status " << reply.status
                        << " without an Error body: " << e.status().ToString();
    return e.ok() ? *e : sync::ErrorReply{};
  }

  std::string HelloBody(const std::string& replica, uint32_t version = sync::kProtocolVersion) {
    auto body = sync::EncodeHelloRequest(sync::HelloRequest{version, replica});
    EXPECT_TRUE(body.ok());
    return body.ok() ? *body : "";
  }

  // A good request: the server still serves.
  void ExpectServing() {
    HttpReply reply = Post(0, "/v1/hello", HelloBody(kReplicaA));
    EXPECT_EQ(reply.status, 200) << "the server stopped serving";
  }

  std::string PushBody(const std::string& id, const std::vector<VersionedRecord>& versions,
                       int64_t first = 1, int64_t last = 0, int level = sync::kDefaultZstdLevel) {
    sync::PushRequest push;
    push.idempotency_id = id;
    push.versions = versions;
    push.client_first_seq = first;
    push.client_last_seq = last == 0 ? first + static_cast<int64_t>(versions.size()) - 1 : last;
    if (push.client_last_seq < push.client_first_seq) push.client_last_seq = first;
    sync::EncodeOptions options;
    options.zstd_level = level;
    auto body = sync::EncodePushRequest(push, options);
    EXPECT_TRUE(body.ok()) << body.status().ToString();
    return body.ok() ? *body : "";
  }

  sync::PushResponse Push(size_t device, const std::string& body) {
    HttpReply reply = Post(device, "/v1/push", body);
    EXPECT_EQ(reply.status, 200) << ErrorOf(reply).message;
    auto r = sync::DecodePushResponse(reply.body, sync::Limits{});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : sync::PushResponse{};
  }

  sync::PullResponse Pull(size_t device, int64_t after, uint32_t limit = 0) {
    auto body = sync::EncodePullRequest(sync::PullRequest{after, limit});
    EXPECT_TRUE(body.ok());
    HttpReply reply = Post(device, "/v1/pull", body.ok() ? *body : "");
    EXPECT_EQ(reply.status, 200) << ErrorOf(reply).message;
    auto r = sync::DecodePullResponse(reply.body, sync::Limits{});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : sync::PullResponse{};
  }

  // Every version the server gives `device`, page by page.
  std::vector<VersionedRecord> PullAll(size_t device, uint32_t limit = 0) {
    std::vector<VersionedRecord> all;
    int64_t after = 0;
    for (int pages = 0; pages < 10'000; ++pages) {
      sync::PullResponse page = Pull(device, after, limit);
      all.insert(all.end(), page.versions.begin(), page.versions.end());
      EXPECT_GE(page.next_seq, after);
      after = page.next_seq;
      if (!page.more) break;
    }
    return all;
  }

  Snapshot Read() {
    Snapshot s;
    auto store = storage::Store::Open(dir_ / "hub.db");
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return s;
    auto last = (*store)->LastChangeSeq();
    auto dump = (*store)->CanonicalDump();
    auto audit = (*store)->AuditEntries(0, 1'000'000);
    EXPECT_TRUE(last.ok() && dump.ok() && audit.ok());
    if (last.ok()) s.last_seq = *last;
    if (dump.ok()) s.dump = *dump;
    if (audit.ok()) s.audit_entries = audit->size();
    return s;
  }

  TempDir dir_;
  std::vector<TestDevice> devices_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerTest, HelloTellsTheServersIdentityRoleAndLimits) {
  StartServer();
  HttpReply reply = Post(0, "/v1/hello", HelloBody(kReplicaA));
  ASSERT_EQ(reply.status, 200) << ErrorOf(reply).message;
  auto hello = sync::DecodeHelloResponse(reply.body, sync::Limits{});
  ASSERT_TRUE(hello.ok()) << hello.status().ToString();
  EXPECT_EQ(hello->protocol_version, sync::kProtocolVersion);
  EXPECT_TRUE(ValidateReplicaId(hello->replica_id).ok());
  EXPECT_EQ(hello->role, Role::kHub);
  EXPECT_EQ(hello->client_role, Role::kTeacher);
  EXPECT_EQ(hello->max_compressed_bytes, kMaxCompressed);
  EXPECT_EQ(hello->max_decompressed_bytes, kMaxDecompressed);
  EXPECT_EQ(hello->max_records_per_batch, kMaxRecords);
  const int64_t empty_seq = hello->last_seq;

  // Each token maps to its own role; the identity is the same for all, and
  // survives a restart (the register was created once, at the first start).
  HttpReply admin = Post(1, "/v1/hello", HelloBody(kReplicaB));
  ASSERT_EQ(admin.status, 200);
  auto hello_b = sync::DecodeHelloResponse(admin.body, sync::Limits{});
  ASSERT_TRUE(hello_b.ok());
  EXPECT_EQ(hello_b->client_role, Role::kAdmin);
  EXPECT_EQ(hello_b->replica_id, hello->replica_id);

  ASSERT_EQ(server_->StopWith(SIGTERM), 0);
  StartServer();
  HttpReply again = Post(0, "/v1/hello", HelloBody(kReplicaA));
  ASSERT_EQ(again.status, 200);
  auto hello_again = sync::DecodeHelloResponse(again.body, sync::Limits{});
  ASSERT_TRUE(hello_again.ok());
  EXPECT_EQ(hello_again->replica_id, hello->replica_id);
  EXPECT_EQ(hello_again->last_seq, empty_seq);
}

TEST_F(ServerTest, HelloWithAnotherDevicesReplicaIsForbidden) {
  StartServer();
  HttpReply reply = Post(0, "/v1/hello", HelloBody(kReplicaB));  // A's token, B's replica
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kForbidden);
  ExpectServing();
}

TEST_F(ServerTest, HelloNegotiatesTheProtocolVersion) {
  StartServer();
  // A newer client states the highest it speaks; the server answers with its own.
  HttpReply newer = Post(0, "/v1/hello", HelloBody(kReplicaA, sync::kProtocolVersion + 6));
  ASSERT_EQ(newer.status, 200) << ErrorOf(newer).message;
  auto hello = sync::DecodeHelloResponse(newer.body, sync::Limits{});
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(hello->protocol_version, sync::kProtocolVersion);

  // A hello that states no version (0, the field absent) is another protocol.
  ::presentie::sync::v1::HelloRequest none;
  none.set_replica_id(kReplicaA);
  auto body = sync::Compress(none.SerializeAsString());
  ASSERT_TRUE(body.ok());
  HttpReply old = Post(0, "/v1/hello", *body);
  EXPECT_EQ(old.status, 400);
  EXPECT_EQ(ErrorOf(old).code, ErrorCode::kUnsupportedProtocol);
  ExpectServing();
}

TEST_F(ServerTest, PullAfterPushReturnsTheVersionsExceptToThePusher) {
  StartServer();
  // Written by several replicas: relayed, so pushed by the hub's token.
  const std::vector<VersionedRecord> versions = sync::testing::OneOfEachKind();
  sync::PushResponse pushed = Push(2, PushBody("batch-1", versions, 1, 40));
  EXPECT_EQ(pushed.accepted, versions.size());
  EXPECT_EQ(pushed.duplicate, 0u);
  EXPECT_EQ(pushed.acknowledged_seq, 40);

  // The pusher has them: its pull skips them but moves its cursor past them.
  sync::PullResponse own = Pull(2, 0);
  EXPECT_TRUE(own.versions.empty());
  EXPECT_EQ(own.next_seq, Read().last_seq);
  EXPECT_FALSE(own.more);

  // Another device gets every one, exactly as sent.
  EXPECT_EQ(Sorted(PullAll(1)), Sorted(versions));
  // And pulled after the end, nothing and the same cursor.
  const int64_t end = Read().last_seq;
  sync::PullResponse after_end = Pull(1, end);
  EXPECT_TRUE(after_end.versions.empty());
  EXPECT_EQ(after_end.next_seq, end);
  EXPECT_FALSE(after_end.more);
}

TEST_F(ServerTest, PullPagesThroughTheLogWithinTheServersPage) {
  StartServer();
  const auto versions = DeviceAttendance(kReplicaA, "nt2", 25);
  ASSERT_EQ(Push(0, PushBody("paged", versions)).accepted, 25u);

  // Pages of 10: 10, 10, 5, each cursor the last seq of its page.
  sync::PullResponse first = Pull(1, 0, 10);
  EXPECT_EQ(first.versions.size(), 10u);
  EXPECT_TRUE(first.more);
  sync::PullResponse second = Pull(1, first.next_seq, 10);
  EXPECT_EQ(second.versions.size(), 10u);
  EXPECT_TRUE(second.more);
  EXPECT_GT(second.next_seq, first.next_seq);
  EXPECT_EQ(Sorted(PullAll(1, 10)), Sorted(versions));
  EXPECT_EQ(Sorted(PullAll(1, 1)), Sorted(versions));

  // A limit above the server's page is cut to it.
  ASSERT_EQ(Push(0, PushBody("big", DeviceAttendance(kReplicaA, "knm", 1'500), 26)).accepted,
            1'500u);
  sync::PullResponse capped = Pull(1, 0, 100'000);
  EXPECT_EQ(capped.versions.size(), kMaxPullPage);
  EXPECT_TRUE(capped.more);
  EXPECT_EQ(PullAll(1, 0).size(), 1'525u);
}

TEST_F(ServerTest, ReplayingAPushBatchChangesNothing) {
  StartServer();
  const auto versions = sync::testing::OneOfEachKind();
  const std::string body = PushBody("3f1e9c2a-replay", versions);
  const sync::PushResponse first = Push(2, body);
  ASSERT_EQ(first.accepted, versions.size());
  const Snapshot before = Read();
  ASSERT_GT(before.last_seq, 0);

  // The same bytes again (a retry after a lost answer), and the same batch
  // compressed at another level: the stored answer, and no change at all —
  // not a version, not an audit entry.
  EXPECT_EQ(Push(2, body), first);
  EXPECT_EQ(Push(2, PushBody("3f1e9c2a-replay", versions, 1, 0, 19)), first);
  EXPECT_EQ(Read(), before);

  // The same versions under a new id are applied again, as duplicates.
  const sync::PushResponse fresh = Push(2, PushBody("another-id", versions));
  EXPECT_EQ(fresh.accepted, 0u);
  EXPECT_EQ(fresh.duplicate, versions.size());
  EXPECT_EQ(Read().dump, before.dump);
}

TEST_F(ServerTest, AReusedIdempotencyIdWithAnotherBodyIsAConflict) {
  StartServer();
  const auto versions = DeviceAttendance(kReplicaA, "nt2", 5);
  ASSERT_EQ(Push(0, PushBody("batch-7", versions)).accepted, 5u);
  const Snapshot before = Read();

  const auto other = DeviceAttendance(kReplicaA, "nt2", 5, 5);
  HttpReply reply = Post(0, "/v1/push", PushBody("batch-7", other, 6));
  EXPECT_EQ(reply.status, 409);
  EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kIdempotencyMismatch);
  EXPECT_EQ(Read(), before);
  ExpectServing();
}

// Stored answers to pushes are kept idempotency_retention_days, then
// forgotten (at the first push after start, and once a day): an id older than
// that is a new batch again, while a younger one is still a replay or a 409.
TEST_F(ServerTest, StoredPushAnswersAreForgottenAfterTheRetention) {
  Json config = BaseConfig();
  config["idempotency_retention_days"] = 30;
  StartServer(config);
  ASSERT_EQ(Push(0, PushBody("old-batch", DeviceAttendance(kReplicaA, "nt2", 3))).accepted, 3u);
  ASSERT_EQ(Push(0, PushBody("new-batch", DeviceAttendance(kReplicaA, "nt2", 3, 3), 4)).accepted,
            3u);
  ASSERT_EQ(server_->StopWith(SIGTERM), 0);
  // The first answer was stored 31 days ago, the second 29 days ago.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "hub.db").c_str(), &db), SQLITE_OK);
    const std::string day = std::to_string(int64_t{24} * 3600 * 1000);
    for (const auto& [id, days] : {std::pair{"old-batch", 31}, std::pair{"new-batch", 29}}) {
      const std::string sql = "UPDATE idempotency SET at_ms = at_ms - " + std::to_string(days) +
                              " * " + day + " WHERE id = '" + id + "'";
      EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
      EXPECT_EQ(sqlite3_changes(db), 1) << id;
    }
    sqlite3_close(db);
  }

  StartServer(config);
  const auto other = DeviceAttendance(kReplicaA, "b2", 2);
  // The younger id is still known: another body under it is a conflict.
  HttpReply reply = Post(0, "/v1/push", PushBody("new-batch", other, 7));
  EXPECT_EQ(reply.status, 409);
  // The older one was forgotten by that push: it is a new batch now.
  EXPECT_EQ(Push(0, PushBody("old-batch", other, 7)).accepted, 2u);
  // A retention of less than a day is a config error that names the key.
  config["idempotency_retention_days"] = 0;
  std::ofstream(dir_ / "zero.json") << config.dump();
  ProgramRun run = RunPresentie({"serve", "--config", dir_ / "zero.json"});
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_THAT(run.err, HasSubstr("idempotency_retention_days"));
}

TEST_F(ServerTest, AWrongOrMissingTokenIs401AndChangesNothing) {
  StartServer();
  const Snapshot before = Read();
  const std::string body = PushBody("sneaky", DeviceAttendance(kReplicaA, "nt2", 3));
  for (const std::string& token :
       {sync::NewDeviceToken(), devices_[0].token + "x", std::string()}) {
    HttpReply reply = Post(token, "/v1/push", body);
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kUnauthenticated);
    HttpReply hello = Post(token, "/v1/hello", HelloBody(kReplicaA));
    EXPECT_EQ(hello.status, 401);
    HttpReply pull = Post(token, "/v1/pull", *sync::EncodePullRequest({0, 0}));
    EXPECT_EQ(pull.status, 401);
  }
  // The token's hash, as if read from the config, is no token either.
  EXPECT_EQ(Post(sync::HashToken(devices_[0].token), "/v1/hello", HelloBody(kReplicaA)).status,
            401);
  EXPECT_EQ(Read(), before);
  ExpectServing();
  // The refused id was not spent: the real device may use it.
  EXPECT_EQ(Push(0, body).accepted, 3u);
}

TEST_F(ServerTest, ABodyOverTheLimitIs413) {
  StartServer();
  const Snapshot before = Read();
  std::mt19937 rng(7);
  std::string noise(kMaxCompressed + 1, '\0');
  for (char& c : noise) c = static_cast<char>(rng());

  // Over the compressed limit: refused on its Content-Length.
  HttpReply big = Post(0, "/v1/push", noise);
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(ErrorOf(big).code, ErrorCode::kTooLarge);
  ExpectServing();

  // A decompression bomb: a few KiB that inflate past the decompressed limit.
  auto bomb = sync::Compress(std::string(kMaxDecompressed + 1, '\0'), 19);
  ASSERT_TRUE(bomb.ok());
  ASSERT_LT(bomb->size(), kMaxCompressed);
  for (const char* path : {"/v1/push", "/v1/hello", "/v1/pull"}) {
    HttpReply reply = Post(0, path, *bomb);
    EXPECT_EQ(reply.status, 413) << path;
    EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kTooLarge) << path;
  }
  ExpectServing();

  // More versions than a batch may hold.
  HttpReply many =
      Post(0, "/v1/push", PushBody("many", DeviceAttendance(kReplicaA, "x", kMaxRecords + 1)));
  EXPECT_EQ(many.status, 413);
  EXPECT_EQ(ErrorOf(many).code, ErrorCode::kTooLarge);

  EXPECT_EQ(Read(), before);
  ExpectServing();
}

TEST_F(ServerTest, AGarbageTruncatedOrEmptyBodyIs400) {
  StartServer();
  const Snapshot before = Read();
  const std::string good = PushBody("good", sync::testing::OneOfEachKind());
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"garbage", "this is not zstd at all"},
      {"truncated", good.substr(0, good.size() - 9)},
      {"half", good.substr(0, good.size() / 2)},
      {"empty", ""},
      {"zstd of garbage", *sync::Compress("\xff\xff\xff\xff not protobuf")},
      {"trailing bytes", good + "x"},
      {"a hello on /v1/push", HelloBody(kReplicaA)},
  };
  for (const auto& [what, body] : bad) {
    HttpReply reply = Post(0, "/v1/push", body);
    EXPECT_EQ(reply.status, 400) << what;
    EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kBadRequest) << what;
    // (A hello's bytes happen to parse as a pull request: both are numbers first.)
    if (what != "a hello on /v1/push") {
      EXPECT_EQ(Post(0, "/v1/pull", body).status, 400) << what;
    }
    ExpectServing();
  }
  EXPECT_EQ(Read(), before);
  // The good body was never applied under its id; it is now.
  EXPECT_EQ(Push(2, good).accepted, sync::testing::OneOfEachKind().size());
}

TEST_F(ServerTest, AnUnknownPathGetsAnErrorBodyToo) {
  StartServer();
  HttpReply reply = Post(0, "/v2/hello", HelloBody(kReplicaA));
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kBadRequest);
  ExpectServing();
}

// Records that no device of ours would send: each field broken on its own,
// in a batch that is otherwise a teacher's good one. Each is a 400 with a
// message that names what is wrong, nothing changes, and the server serves
// on. The count of refused inputs is printed for the reliability summary.
TEST_F(ServerTest, BadRecordsAre400AndChangeNothing) {
  namespace pb = ::presentie::sync::v1;
  StartServer();
  const Snapshot before = Read();
  const auto good = [] {
    pb::PushRequest req;
    req.set_idempotency_id("bad-record");
    req.set_client_first_seq(1);
    req.set_client_last_seq(1);
    pb::Version* v = req.mutable_batch()->add_versions();
    pb::VersionVectorEntry* e = v->add_vv();
    e->set_replica(kReplicaA);
    e->set_counter(1);
    v->set_hlc(Hlc{1'790'000'000'000, 0}.Pack());
    v->mutable_writer()->set_replica(kReplicaA);
    v->mutable_writer()->set_role(pb::ROLE_TEACHER);
    v->mutable_writer()->set_user("tjansen");
    pb::Attendance* a = v->mutable_attendance();
    a->set_lesson_id("NT2-20261130-0900");
    a->set_learner_id("S1042");
    a->set_status("absent");
    a->set_minutes_present(0);
    a->set_mode("on_site");
    a->set_reason("illness");
    return req;
  };
  using Break = std::function<void(pb::PushRequest&)>;
  auto att = [](pb::PushRequest& r) { return r.mutable_batch()->mutable_versions(0)->mutable_attendance(); };
  const std::vector<std::pair<std::string, Break>> bad = {
      {"negative minutes", [&](pb::PushRequest& r) { att(r)->set_minutes_present(-5); }},
      {"absurd minutes", [&](pb::PushRequest& r) {
         att(r)->set_status("partial");
         att(r)->set_minutes_present(100'000);
       }},
      {"unknown status", [&](pb::PushRequest& r) { att(r)->set_status("prezent"); }},
      {"unknown reason", [&](pb::PushRequest& r) { att(r)->set_reason("hangover"); }},
      {"unknown mode", [&](pb::PushRequest& r) { att(r)->set_mode("telepathy"); }},
      {"unknown decision", [&](pb::PushRequest& r) {
         att(r)->set_decision("maybe");
         att(r)->set_decided_by("admin");
       }},
      {"unknown role", [&](pb::PushRequest& r) {
         r.mutable_batch()->mutable_versions(0)->mutable_writer()->set_role(
             static_cast<pb::Role>(42));
       }},
      {"a bad learner id", [&](pb::PushRequest& r) { att(r)->set_learner_id("S1/../x"); }},
      {"no version vector", [&](pb::PushRequest& r) {
         r.mutable_batch()->mutable_versions(0)->clear_vv();
       }},
      {"a zero counter", [&](pb::PushRequest& r) {
         r.mutable_batch()->mutable_versions(0)->mutable_vv(0)->set_counter(0);
       }},
      {"a bad replica id", [&](pb::PushRequest& r) {
         r.mutable_batch()->mutable_versions(0)->mutable_vv(0)->set_replica("not-a-replica");
       }},
      {"a bad idempotency id", [&](pb::PushRequest& r) { r.set_idempotency_id("a b/c"); }},
      {"no record", [&](pb::PushRequest& r) {
         r.mutable_batch()->mutable_versions(0)->clear_attendance();
       }},
  };
  int refused = 0;
  for (const auto& [what, breaks] : bad) {
    pb::PushRequest req = good();
    breaks(req);
    auto body = sync::Compress(req.SerializeAsString());
    ASSERT_TRUE(body.ok());
    HttpReply reply = Post(0, "/v1/push", *body);
    EXPECT_EQ(reply.status, 400) << what;
    EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kBadRequest) << what;
    EXPECT_FALSE(ErrorOf(reply).message.empty()) << what;
    if (reply.status == 400) ++refused;
    ExpectServing();
  }
  // Invalid UTF-8 in a string field: the bytes of a good body with one
  // string's bytes replaced (protobuf would not serialize it).
  {
    pb::PushRequest req = good();
    att(req)->set_note("NOTE-MARKER");
    std::string raw = req.SerializeAsString();
    const size_t at = raw.find("NOTE-MARKER");
    ASSERT_NE(at, std::string::npos);
    raw.replace(at, 4, "\xff\xfe\xc0\x80");
    auto body = sync::Compress(raw);
    ASSERT_TRUE(body.ok());
    HttpReply reply = Post(0, "/v1/push", *body);
    EXPECT_EQ(reply.status, 400) << "invalid UTF-8";
    if (reply.status == 400) ++refused;
    ExpectServing();
  }
  EXPECT_EQ(Read(), before);
  // The good batch itself is taken: it was the breaks that were refused.
  auto body = sync::Compress(good().SerializeAsString());
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(Push(0, *body).accepted, 1u);
  std::cout << "bad records refused by the server: " << refused << std::endl;
}

// Issue 20, item 3: version vectors that nothing could receive. A teacher's
// device pushes a version of the admin's attendance record whose vector
// holds the admin's replica at 2^64-1 (the admin's next edit would wrap its
// counter to 0, which no register can read back), or one whose counters run
// far ahead of what the hub has seen of the record: each push is refused
// whole, 400, and neither the hub's register nor the admin's changes. The
// admin then edits the record and syncs as before, and the teacher's next
// good pushes are taken and reach the admin.
TEST_F(ServerTest, AVersionVectorThatCouldNotGrowIsRefusedAndNothingChanges) {
  namespace pb = ::presentie::sync::v1;
  // The bounds of docs/storage.md ("Version vectors and their bounds"),
  // stated here as the numbers the docs promise.
  constexpr uint64_t kAhead = uint64_t{1} << 20;
  // The admin's register is a real one, made, written and synced by the
  // program; the hub admits it under its own replica id.
  const std::string admin_db = dir_ / "admin.db";
  ProgramRun made = RunPresentie({"--db", admin_db, "--json", "init", "--school",
                                  "Taalschool De Brug", "--brin", "25AB", "--role", "admin"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string admin = Json::parse(made.out)["replica_id"].get<std::string>();
  devices_[1].replica_id = admin;
  const std::string token_file = dir_ / "admin.token";
  std::ofstream(token_file) << devices_[1].token << "\n";
  std::filesystem::permissions(
      token_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  StartServer();
  auto on_admin = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", admin_db, "--user", "jdevries"});
    return RunPresentie(args);
  };
  auto dump = [&](const std::string& db) {
    ProgramRun run = RunPresentie({"--db", db, "debug", "dump"});
    EXPECT_EQ(run.exit_code, 0) << "debug dump of " << db << ": " << run.err;
    return run.out;
  };
  auto expect_ok = [](const ProgramRun& run, const std::string& what) {
    EXPECT_EQ(run.exit_code, 0) << what << ": " << run.err;
  };
  expect_ok(on_admin({"remote", "add", "hub", "http://127.0.0.1:" + std::to_string(server_->port()),
                      "--token-file", token_file}),
            "remote add");
  expect_ok(on_admin({"learner", "add", "--id", "L1", "--bsn", "111222333", "--name",
                      "Amina Haddad", "--category", "family_migrant", "--regime", "wi2021",
                      "--route", "B", "--level", "B1"}),
            "learner add");
  expect_ok(on_admin({"course", "add", "--id", "nt2-a", "--name", "NT2 groep A", "--component",
                      "nt2", "--regime", "wi2021", "--route", "B"}),
            "course add");
  expect_ok(on_admin({"course", "enroll", "nt2-a", "L1"}), "course enroll");
  expect_ok(on_admin({"lesson", "add", "--course", "nt2-a", "--start", "2026-11-30T09:00",
                      "--minutes", "180", "--teacher", "J. de Vries"}),
            "lesson add");
  const std::string lesson = "nt2-a-20261130-0900";
  expect_ok(on_admin({"attend", lesson, "--all-present"}), "attend");
  expect_ok(on_admin({"sync"}), "the first sync");
  const std::string hub_before = dump(dir_ / "hub.db");
  const std::string admin_before = dump(admin_db);
  ASSERT_THAT(hub_before, HasSubstr(lesson + "/L1"));
  ASSERT_EQ(hub_before, admin_before);

  // A version of the teacher's (replica A) with the vector `vv`, of the
  // record <lesson>/<learner>, as raw protobuf: the codec's encoder would
  // refuse to make it.
  const auto hostile = [&](const std::string& id, const std::map<std::string, uint64_t>& vv,
                           const std::string& learner) {
    pb::PushRequest req;
    req.set_idempotency_id(id);
    req.set_client_first_seq(1);
    req.set_client_last_seq(1);
    pb::Version* v = req.mutable_batch()->add_versions();
    for (const auto& [replica, counter] : vv) {  // std::map: sorted by replica
      pb::VersionVectorEntry* e = v->add_vv();
      e->set_replica(replica);
      e->set_counter(counter);
    }
    v->set_hlc(Hlc{1'790'000'000'000, 0}.Pack());
    v->mutable_writer()->set_replica(kReplicaA);
    v->mutable_writer()->set_role(pb::ROLE_TEACHER);
    v->mutable_writer()->set_user("tjansen");
    pb::Attendance* a = v->mutable_attendance();
    a->set_lesson_id(lesson);
    a->set_learner_id(learner);
    a->set_status("absent");
    a->set_minutes_present(0);
    a->set_mode("on_site");
    a->set_reason("other");
    auto body = sync::Compress(req.SerializeAsString());
    EXPECT_TRUE(body.ok());
    return body.ok() ? *body : "";
  };
  const struct {
    const char* what;
    std::string id;
    std::map<std::string, uint64_t> vv;
    std::string learner;
  } refused[] = {
      {"the admin's counter at 2^64-1", "wrap", {{admin, UINT64_MAX}, {kReplicaA, 1}}, "L1"},
      {"the admin's counter 2^20+1 ahead of the hub's",
       "ahead",
       {{admin, kAhead + 2}, {kReplicaA, 1}},
       "L1"},
      {"a new record's counter more than 2^20", "ahead-new", {{kReplicaA, kAhead + 1}}, "L9"},
  };
  for (const auto& r : refused) {
    HttpReply reply = Post(0, "/v1/push", hostile(r.id, r.vv, r.learner));
    EXPECT_EQ(reply.status, 400) << r.what;
    EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kBadRequest) << r.what;
    ExpectServing();
  }
  EXPECT_EQ(dump(dir_ / "hub.db"), hub_before);

  // The admin syncs: nothing arrives, and its register is as it was.
  expect_ok(on_admin({"sync"}), "the sync after the refused pushes");
  EXPECT_EQ(dump(admin_db), admin_before);
  // The admin edits the record and syncs on; the hub holds the edit.
  expect_ok(on_admin({"attend", lesson, "--absent", "L1:illness"}), "the admin's edit");
  expect_ok(on_admin({"sync"}), "the sync of the edit");
  const std::string admin_after = dump(admin_db);
  EXPECT_NE(admin_after, admin_before);
  EXPECT_EQ(dump(dir_ / "hub.db"), admin_after);
  expect_ok(on_admin({"audit", "verify"}), "audit verify");
  // The teacher's own good pushes, vectors within the bounds, are taken,
  // each at most 2^20 ahead of the last. The hub serves only the live one,
  // 2^21 + 1 ahead of what the admin's register has seen of the record
  // (nothing): it takes it from the hub, which checked every step.
  EXPECT_EQ(Push(0, hostile("good", {{kReplicaA, 1}}, "L9")).accepted, 1u);
  EXPECT_EQ(Push(0, hostile("good-2", {{kReplicaA, 1 + kAhead}}, "L9")).accepted, 1u);
  EXPECT_EQ(Push(0, hostile("good-3", {{kReplicaA, 1 + 2 * kAhead}}, "L9")).accepted, 1u);
  expect_ok(on_admin({"sync"}), "the sync that brings the teacher's version");
  EXPECT_EQ(dump(dir_ / "hub.db"), dump(admin_db));
  EXPECT_THAT(dump(admin_db), HasSubstr(std::string(kReplicaA) + ":2097153"));
}

// A teacher's or admin's device pushes only what it wrote, as itself: a
// version claiming another role (the admin's, to pass the ownership rules)
// or another replica is refused whole, 403, and nothing changes. A hub
// relays anything.
TEST_F(ServerTest, ADevicePushesOnlyWhatItWroteAsItself) {
  StartServer();
  const Snapshot before = Read();
  auto as = [](std::vector<VersionedRecord> versions, const std::string& replica, Role role) {
    for (VersionedRecord& v : versions) v.stamp.writer = Writer{replica, role, "x"};
    return versions;
  };
  struct Forged {
    const char* what;
    size_t device;
    std::vector<VersionedRecord> versions;
  };
  const std::vector<Forged> forged = {
      {"a teacher claiming the admin's role", 0,
       as(DeviceAttendance(kReplicaA, "nt2", 2), kReplicaA, Role::kAdmin)},
      {"a teacher claiming the gemeente's role", 0,
       as(DeviceAttendance(kReplicaA, "nt2", 2), kReplicaA, Role::kGemeente)},
      {"a teacher writing as the admin's device", 0,
       as(DeviceAttendance(kReplicaB, "nt2", 2), kReplicaB, Role::kAdmin)},
      {"an admin claiming to be a teacher", 1,
       as(DeviceAttendance(kReplicaB, "knm", 2), kReplicaB, Role::kTeacher)},
  };
  for (size_t i = 0; i < forged.size(); ++i) {
    const Forged& f = forged[i];
    // One good version first: the batch is refused whole.
    std::vector<VersionedRecord> batch = DeviceAttendance(
        devices_[f.device].replica_id, "own", 1);
    batch[0].stamp.writer.role = f.device == 0 ? Role::kTeacher : Role::kAdmin;
    batch.insert(batch.end(), f.versions.begin(), f.versions.end());
    HttpReply reply = Post(f.device, "/v1/push", PushBody("forged-" + std::to_string(i), batch));
    EXPECT_EQ(reply.status, 403) << f.what;
    EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kForbidden) << f.what;
    EXPECT_THAT(ErrorOf(reply).message, HasSubstr("only what it wrote itself")) << f.what;
  }
  EXPECT_EQ(Read(), before);
  ExpectServing();
  // What each wrote, as itself, is taken; the hub relays others' versions.
  EXPECT_EQ(Push(0, PushBody("own-a", DeviceAttendance(kReplicaA, "nt2", 2))).accepted, 2u);
  EXPECT_EQ(Push(1, PushBody("own-b", as(DeviceAttendance(kReplicaB, "knm", 2), kReplicaB,
                                          Role::kAdmin)))
                .accepted,
            2u);
  EXPECT_EQ(Push(2, PushBody("relayed", as(DeviceAttendance(kReplicaB, "alfa", 2), kReplicaB,
                                            Role::kAdmin)))
                .accepted,
            2u);

  // The admin's device relays what a gemeente decided (pulled from its
  // endpoint); a teacher's does not. The hub still checks the decision is
  // the gemeente's about its own resident, so it needs the learner first.
  const std::vector<VersionedRecord> kinds = sync::testing::OneOfEachKind();
  const VersionedRecord decision = kinds[13];
  ASSERT_TRUE(std::holds_alternative<exports::GemeenteDecision>(decision.record));
  HttpReply teacher = Post(0, "/v1/push", PushBody("teacher-relays", {decision}));
  EXPECT_EQ(teacher.status, 403);
  EXPECT_THAT(ErrorOf(teacher).message, HasSubstr("only what it wrote itself"));
  VersionedRecord resident = kinds[0];
  resident.stamp = sync::testing::SampleStamp(kReplicaB, Role::kAdmin, 1'790'000'000'000);
  sync::PushResponse relayed = Push(1, PushBody("admin-relays", {resident, decision}));
  EXPECT_EQ(relayed.accepted, 2u);
  EXPECT_EQ(relayed.refused, 0u);
  EXPECT_THAT(Read().dump, HasSubstr("gemeente_decision: 1 records, 1 typed rows"));
  // The same for what DUO and the gemeente write and send back: the admin
  // relays each, a teacher not.
  using storage::RecordKind;
  const std::pair<size_t, RecordKind> sent_back[] = {{15, RecordKind::kDuoExamResult},
                                                     {19, RecordKind::kGemeentePip},
                                                     {20, RecordKind::kDuoDuty},
                                                     {24, RecordKind::kGemeenteNaw}};
  for (const auto& [index, kind] : sent_back) {
    const VersionedRecord v = kinds[index];
    const std::string name(storage::ToString(kind));
    ASSERT_EQ(storage::KindOf(v.record), kind);
    EXPECT_EQ(Post(0, "/v1/push", PushBody("teacher-relays-" + name, {v})).status, 403) << name;
    EXPECT_EQ(Push(1, PushBody("admin-relays-" + name, {v})).accepted, 1u) << name;
    EXPECT_THAT(Read().dump, HasSubstr(name + ": 1 records, 1 typed rows"));
  }
}

// The roster (learners, courses, enrolments) is the school admin's
// (O.roster-owner): a teacher's device that pushes one, as itself, is
// answered 200 with it refused and kept for the admin, and nothing of it is
// applied; a lesson it plans is taken (O.lesson-owner), the admin's own
// roster versions are taken, and the teacher's next good push works.
TEST_F(ServerTest, ATeachersDeviceMayNotWriteTheRoster) {
  StartServer();
  const std::vector<VersionedRecord> kinds = sync::testing::OneOfEachKind();
  using storage::RecordKind;
  std::vector<VersionedRecord> roster;
  std::vector<VersionedRecord> lessons;
  for (VersionedRecord v : kinds) {
    const RecordKind kind = storage::KindOf(v.record);
    if (kind != RecordKind::kLearner && kind != RecordKind::kCourse &&
        kind != RecordKind::kEnrollment && kind != RecordKind::kLesson) {
      continue;
    }
    v.stamp.writer = Writer{kReplicaA, Role::kTeacher, "x"};
    v.stamp.vv = VersionVector();
    v.stamp.vv.Set(kReplicaA, 1);
    (kind == RecordKind::kLesson ? lessons : roster).push_back(v);
  }
  ASSERT_GE(roster.size(), 3u);
  ASSERT_GE(lessons.size(), 1u);
  const Snapshot before = Read();
  const sync::PushResponse teacher = Push(0, PushBody("teacher-roster", roster));
  EXPECT_EQ(teacher.accepted, 0u);
  EXPECT_EQ(teacher.refused, roster.size());
  const Snapshot after = Read();
  EXPECT_EQ(after.dump, before.dump);
  {
    auto store = storage::Store::Open(dir_ / "hub.db");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto refused = (*store)->ListRefused();
    ASSERT_TRUE(refused.ok());
    ASSERT_EQ(refused->size(), roster.size());
    for (const auto& r : *refused) {
      EXPECT_EQ(r.rule, "O.roster-owner");
      EXPECT_THAT(r.detail, HasSubstr("admin only, not by a teacher"));
    }
  }
  ExpectServing();
  EXPECT_EQ(Push(0, PushBody("teacher-lessons", lessons)).accepted, lessons.size());
  // The admin's roster is taken; then the teacher's attendance.
  std::vector<VersionedRecord> admin_roster = roster;
  for (VersionedRecord& v : admin_roster) {
    v.stamp.writer = Writer{kReplicaB, Role::kAdmin, "x"};
    v.stamp.vv = VersionVector();
    v.stamp.vv.Set(kReplicaB, 1);
  }
  EXPECT_EQ(Push(1, PushBody("admin-roster", admin_roster)).accepted, admin_roster.size());
  EXPECT_EQ(Push(0, PushBody("teacher-attends", DeviceAttendance(kReplicaA, "nt2", 2))).accepted,
            2u);
}

// `v` as the school admin's device (replica B) wrote it, at tick `i`.
VersionedRecord AsAdminB(VersionedRecord v, uint64_t i) {
  v.stamp = sync::testing::SampleStamp(kReplicaB, Role::kAdmin, 1'790'000'000'000 + i);
  return v;
}

// `r`, a record an authority writes about a person, as its register at
// `path` holds it: about the person the BSN `bsn` names there
// (docs/authorities.md, "Many schools"); each school is served it under its
// own learner key.
template <typename T>
T AboutPersonAt(const std::filesystem::path& path, T r, const std::string& bsn) {
  auto register_ = storage::Store::Open(path);
  EXPECT_TRUE(register_.ok()) << register_.status().ToString();
  if (!register_.ok()) return r;
  auto person = (*register_)->PersonByBsn(bsn);
  EXPECT_TRUE(person.ok() && person->has_value()) << "no person with that BSN is held there";
  if (!person.ok() || !person->has_value()) return r;
  storage::kinds::KindTraits<T>::Rekey(r, [&](std::string& key) { key = **person; });
  return r;
}

// DUO's endpoint (docs/authorities.md) takes only what R1 routes to DUO —
// DUO rows — from the school's admin or hub: a batch holding anything else
// is 403 and changes nothing. It serves a school nothing it did not write
// itself, so no school reads another's rows.
TEST_F(ServerTest, DuosEndpointTakesOnlyDuoRows) {
  StartAuthority("duo", "DUO");
  const Snapshot before = Read();
  const std::vector<VersionedRecord> kinds = sync::testing::OneOfEachKind();
  const VersionedRecord duo_row = AsAdminB(kinds[10], 10);
  ASSERT_TRUE(std::holds_alternative<exports::DuoHours>(duo_row.record));
  const std::vector<std::pair<const char*, std::vector<VersionedRecord>>> outside = {
      {"learner", {duo_row, AsAdminB(kinds[0], 0)}},
      {"course", {AsAdminB(kinds[2], 2)}},
      {"lesson", {duo_row, AsAdminB(kinds[6], 6)}},
      {"attendance", {AsAdminB(kinds[7], 7), duo_row}},
      {"gemeente_absence, of gemeente 0363", {duo_row, AsAdminB(kinds[12], 12)}},
  };
  for (size_t i = 0; i < outside.size(); ++i) {
    const auto& [kind, batch] = outside[i];
    HttpReply reply = Post(1, "/v1/push", PushBody("outside-" + std::to_string(i), batch));
    EXPECT_EQ(reply.status, 403) << kind;
    EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kForbidden) << kind;
    EXPECT_THAT(ErrorOf(reply).message, HasSubstr(std::string("(") + kind + ")"));
    EXPECT_THAT(ErrorOf(reply).message, HasSubstr("R1"));
  }
  EXPECT_EQ(Read(), before);
  EXPECT_EQ(Post(1, "/v1/hello", HelloBody(kReplicaB)).status, 200) << "it stopped serving";

  // Its rows and the school's classified absences are taken.
  EXPECT_EQ(Push(1, PushBody("duo-rows", {duo_row, AsAdminB(kinds[14], 14)})).accepted, 2u);
  EXPECT_THAT(Read().dump, HasSubstr("duo_hours: 1 records, 1 typed rows"));
  EXPECT_THAT(Read().dump, HasSubstr("duo_absence: 1 records, 1 typed rows"));
  EXPECT_TRUE(PullAll(1).empty());

  // DUO records an exam result of that learner (on its register, while it
  // serves): the replica that sent the learner's hours is served it, and
  // no other. A school cannot push one to DUO.
  exports::DuoExamResult exam = std::get<exports::DuoExamResult>(kinds[15].record);
  {
    auto register_ = storage::Store::Open(dir_ / "hub.db");
    ASSERT_TRUE(register_.ok()) << register_.status().ToString();
    ASSERT_EQ(std::get<exports::DuoHours>(duo_row.record).learner_id, exam.learner_id);
    auto recorded = (*register_)->RecordExamResults(
        storage::Actor{Role::kDuo, "examens"},
        std::vector{AboutPersonAt(dir_ / "hub.db", exam,
                                  std::get<exports::DuoHours>(duo_row.record).bsn)});
    ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  }
  const std::vector<VersionedRecord> back = PullAll(1);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(std::get<exports::DuoExamResult>(back[0].record), exam);
  EXPECT_EQ(back[0].stamp.writer.role, Role::kDuo);
  EXPECT_TRUE(PullAll(2).empty()) << "a replica that sent no hours of the learner was served it";
  EXPECT_EQ(Post(1, "/v1/push", PushBody("exam-from-school", {AsAdminB(kinds[15], 15)})).status,
            403);
  // The same for DUO's view of the learner's integration duty.
  exports::DuoDuty duty = std::get<exports::DuoDuty>(kinds[20].record);
  {
    auto register_ = storage::Store::Open(dir_ / "hub.db");
    ASSERT_TRUE(register_.ok()) << register_.status().ToString();
    ASSERT_EQ(std::get<exports::DuoHours>(duo_row.record).learner_id, duty.learner_id);
    auto recorded = (*register_)->RecordDuties(
        storage::Actor{Role::kDuo, "examens"},
        std::vector{AboutPersonAt(dir_ / "hub.db", duty,
                                  std::get<exports::DuoHours>(duo_row.record).bsn)});
    ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  }
  const std::vector<VersionedRecord> duty_back = PullAll(1);
  ASSERT_EQ(duty_back.size(), 2u);
  EXPECT_EQ(std::get<exports::DuoDuty>(duty_back[1].record), duty);
  EXPECT_TRUE(PullAll(2).empty()) << "a replica that sent no hours of the learner was served it";
  EXPECT_EQ(Post(1, "/v1/push", PushBody("duty-from-school", {AsAdminB(kinds[20], 20)})).status,
            403);

  // A protocol-1 client, which could not read a DUO row, is told to update.
  HttpReply old = Post(1, "/v1/hello", HelloBody(kReplicaB, 1));
  EXPECT_EQ(old.status, 400);
  EXPECT_EQ(ErrorOf(old).code, ErrorCode::kUnsupportedProtocol);
}

// Blik op Werk's endpoint takes the course planning and the qualifications
// as sent (bow_planning, bow_qualification) from the school's admin or hub,
// and nothing else: not the school's own qualification record, not a
// course, a learner or any other authority's rows. A planning of an
// onderwijsroute course is refused as invalid (R1 in exports::Validate).
// It serves nothing back.
TEST_F(ServerTest, BowsEndpointTakesOnlyPlanningAndQualifications) {
  StartAuthority("bow", "Blik op Werk");
  const Snapshot before = Read();
  const std::vector<VersionedRecord> kinds = sync::testing::OneOfEachKind();
  const VersionedRecord planning = AsAdminB(kinds[17], 17);
  const VersionedRecord qualification = AsAdminB(kinds[18], 18);
  ASSERT_TRUE(std::holds_alternative<exports::BowPlanning>(planning.record));
  ASSERT_TRUE(std::holds_alternative<exports::BowQualification>(qualification.record));
  const std::vector<std::pair<const char*, std::vector<VersionedRecord>>> outside = {
      {"qualification", {planning, AsAdminB(kinds[16], 16)}},
      {"course", {AsAdminB(kinds[2], 2), qualification}},
      {"learner", {AsAdminB(kinds[0], 0)}},
      {"attendance", {planning, AsAdminB(kinds[7], 7)}},
      {"duo_hours", {AsAdminB(kinds[10], 10)}},
  };
  for (size_t i = 0; i < outside.size(); ++i) {
    const auto& [kind, batch] = outside[i];
    HttpReply reply = Post(1, "/v1/push", PushBody("outside-" + std::to_string(i), batch));
    EXPECT_EQ(reply.status, 403) << kind;
    EXPECT_EQ(ErrorOf(reply).code, ErrorCode::kForbidden) << kind;
    EXPECT_THAT(ErrorOf(reply).message, HasSubstr(std::string("(") + kind + ")"));
    EXPECT_THAT(ErrorOf(reply).message, HasSubstr("bow_planning and bow_qualification"));
  }
  // Our encoder will not write an onderwijsroute planning: forge one from a
  // good body.
  std::string education;
  {
    namespace pb = ::presentie::sync::v1;
    auto plain = sync::Decompress(PushBody("education", {planning}), sync::Limits{});
    ASSERT_TRUE(plain.ok());
    pb::PushRequest req;
    ASSERT_TRUE(req.ParseFromString(*plain));
    ASSERT_EQ(req.batch().versions_size(), 1);
    req.mutable_batch()->mutable_versions(0)->mutable_bow_planning()->set_route("O");
    auto body = sync::Compress(req.SerializeAsString());
    ASSERT_TRUE(body.ok());
    education = *body;
  }
  HttpReply refused = Post(1, "/v1/push", education);
  EXPECT_EQ(refused.status, 400);
  EXPECT_THAT(ErrorOf(refused).message, HasSubstr("B1-route, Z-route and Wi2013 courses only"));
  EXPECT_EQ(Read(), before);

  EXPECT_EQ(Push(1, PushBody("bow", {planning, qualification})).accepted, 2u);
  EXPECT_THAT(Read().dump, HasSubstr("bow_planning: 1 records, 1 typed rows"));
  EXPECT_THAT(Read().dump, HasSubstr("bow_qualification: 1 records, 1 typed rows"));
  EXPECT_EQ(Push(1, PushBody("again", {planning})).duplicate, 1u);
  EXPECT_TRUE(PullAll(1).empty());
}

// What the school's admin enters for DUO and the gemeente, as device 1
// pushes it: a contract, an invoice, and one bridging diploma addressed to
// gemeente 0363 and one to DUO.
struct Entered {
  VersionedRecord contract, invoice, to_gemeente, to_duo;
};
Entered EnteredRecords() {
  const std::vector<VersionedRecord> kinds = sync::testing::OneOfEachKind();
  Entered e{AsAdminB(kinds[21], 21), AsAdminB(kinds[22], 22), AsAdminB(kinds[23], 23), {}};
  EXPECT_TRUE(std::holds_alternative<exports::Contract>(e.contract.record));
  EXPECT_TRUE(std::holds_alternative<exports::Invoice>(e.invoice.record));
  e.to_duo = e.to_gemeente;
  auto& d = std::get<exports::BridgingDiploma>(e.to_duo.record);
  EXPECT_EQ(d.gemeente_code, "0363");
  d.gemeente_code.clear();
  d.id = exports::BridgingDiplomaId(d.learner_id, "");
  return e;
}

// R1 over the wire: DUO's endpoint takes contracts, invoices and the
// bridging diplomas addressed to DUO, and serves none of them back.
TEST_F(ServerTest, DuosEndpointTakesContractsInvoicesAndItsDiplomas) {
  const Entered e = EnteredRecords();
  StartAuthority("duo", "DUO");
  const Snapshot before = Read();
  HttpReply refused = Post(1, "/v1/push", PushBody("gemeentes", {e.contract, e.to_gemeente}));
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(ErrorOf(refused).message,
              HasSubstr("version 1 (bridging_diploma, of gemeente 0363)"));
  EXPECT_EQ(Read(), before);
  EXPECT_EQ(Push(1, PushBody("duo", {e.contract, e.invoice, e.to_duo})).accepted, 3u);
  const std::string dump = Read().dump;
  EXPECT_THAT(dump, HasSubstr("contract: 1 records, 1 typed rows"));
  EXPECT_THAT(dump, HasSubstr("invoice: 1 records, 1 typed rows"));
  EXPECT_THAT(dump, HasSubstr("bridging_diploma: 1 records, 1 typed rows"));
  EXPECT_TRUE(PullAll(1).empty());
}

// ... and a gemeente's only the diplomas addressed to it.
TEST_F(ServerTest, AGemeentesEndpointTakesOnlyTheDiplomasAddressedToIt) {
  const Entered e = EnteredRecords();
  StartAuthority("gemeente", "Gemeente Amsterdam", "0363");
  const Snapshot before = Read();
  for (const VersionedRecord& outside : {e.contract, e.invoice, e.to_duo}) {
    const std::string kind(storage::ToString(storage::KindOf(outside.record)));
    HttpReply reply = Post(1, "/v1/push", PushBody("outside-" + kind, {outside}));
    EXPECT_EQ(reply.status, 403) << kind;
  }
  EXPECT_EQ(Read(), before);
  EXPECT_EQ(Push(1, PushBody("gemeente", {e.to_gemeente})).accepted, 1u);
  EXPECT_THAT(Read().dump, HasSubstr("bridging_diploma: 1 records, 1 typed rows"));
}

// Two schools that each have a learner with the same id — two different
// people — send to one gemeente, and the second school also has, under
// another id, the first school's learner, who moved (docs/authorities.md,
// "Many schools"). Each school's rows are held under its own keys, the
// moved person is one person, and the gemeente's PIP of that person goes to
// both schools under each one's key, and to no other learner.
TEST_F(ServerTest, TwoSchoolsSharingALearnerIdNeverSeeEachOthersData) {
  StartAuthority("gemeente", "Gemeente Amsterdam", "0363");
  const std::vector<VersionedRecord> kinds = sync::testing::OneOfEachKind();
  const VersionedRecord first = AsAdminB(kinds[11], 11);  // school 1: admin B's own token
  const auto& first_row = std::get<exports::GemeenteHours>(first.record);
  EXPECT_EQ(Push(1, PushBody("school-1", {first})).accepted, 1u);

  // School 2's admin (replica A), relayed by its hub's token (replica C):
  // the same learner id, another person; and, under another id, the
  // person school 1 has too (moved to school 2 mid-year).
  auto as_school_2 = [](VersionedRecord v, const std::string& learner, const std::string& bsn,
                        Date peildatum) {
    v.stamp = sync::testing::SampleStamp(kReplicaA, Role::kAdmin, 1'790'000'000'500);
    auto& row = std::get<exports::GemeenteHours>(v.record);
    row.learner_id = learner;
    row.bsn = bsn;
    row.peildatum = peildatum;
    row.id = exports::GemeenteHoursId(row.gemeente_code, row.learner_id, row.peildatum);
    return v;
  };
  ASSERT_NE(first_row.bsn, "100000009");
  const VersionedRecord other_person =
      as_school_2(kinds[11], first_row.learner_id, "100000009", first_row.peildatum);
  const VersionedRecord moved = as_school_2(kinds[11], "M7", first_row.bsn, Date{2026, 12, 31});
  const sync::PushResponse second = Push(2, PushBody("school-2", {other_person, moved}));
  EXPECT_EQ(second.accepted, 2u);
  EXPECT_EQ(second.refused, 0u);
  {
    auto register_ = storage::Store::Open(dir_ / "hub.db");
    ASSERT_TRUE(register_.ok()) << register_.status().ToString();
    // Each school's rows as it sent them, under its own key: three rows,
    // two schools' `L…` apart.
    auto rows = (*register_)->ListGemeenteHours();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 3u);
    std::set<std::string> held;
    for (const auto& row : *rows) held.insert(row.learner_id);
    EXPECT_EQ(held, (std::set<std::string>{std::string(kReplicaB) + "~" + first_row.learner_id,
                                           std::string(kReplicaC) + "~" + first_row.learner_id,
                                           std::string(kReplicaC) + "~M7"}));
    // The moved person is one person here, whichever school sent them.
    auto person = (*register_)->PersonByBsn(first_row.bsn);
    ASSERT_TRUE(person.ok() && person->has_value());
    auto other = (*register_)->PersonByBsn("100000009");
    ASSERT_TRUE(other.ok() && other->has_value());
    EXPECT_NE(**person, **other);
    // The gemeente's PIP of that person.
    exports::GemeentePip pip = std::get<exports::GemeentePip>(kinds[19].record);
    pip.learner_id = **person;
    pip.id = exports::GemeentePipId(pip.gemeente_code, pip.learner_id);
    auto set =
        (*register_)->SetPips(storage::Actor{Role::kGemeente, "ambtenaar"}, std::vector{pip});
    ASSERT_TRUE(set.ok()) << set.status().ToString();
  }
  // School 1 gets it under its learner's key; school 2 under M7, the key it
  // has for that person — never under its own L…, another person.
  const std::vector<VersionedRecord> to_first = PullAll(1);
  ASSERT_EQ(to_first.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<exports::GemeentePip>(to_first[0].record));
  EXPECT_EQ(std::get<exports::GemeentePip>(to_first[0].record).learner_id, first_row.learner_id);
  const std::vector<VersionedRecord> to_second = PullAll(2);
  ASSERT_EQ(to_second.size(), 1u) << "the second school was served another person's PIP";
  const auto& second_pip = std::get<exports::GemeentePip>(to_second[0].record);
  EXPECT_EQ(second_pip.learner_id, "M7");
  EXPECT_EQ(second_pip.id, exports::GemeentePipId("0363", "M7"));
}

// Two tokens that name one school in the endpoint's config (the admin's
// laptop and the hub that relays for it) are one school there: what one
// sends, the other's relay of it is a duplicate of, and what the authority
// writes about that school's people is served to both.
TEST_F(ServerTest, TokensThatNameOneSchoolAreOneSchoolAtAnEndpoint) {
  devices_[1].school = kReplicaC;
  devices_[2].school = kReplicaC;
  StartAuthority("duo", "DUO");
  const std::vector<VersionedRecord> kinds = sync::testing::OneOfEachKind();
  const VersionedRecord duo_row = AsAdminB(kinds[10], 10);
  EXPECT_EQ(Push(1, PushBody("direct", {duo_row})).accepted, 1u);
  const sync::PushResponse relayed = Push(2, PushBody("relayed", {duo_row}));
  EXPECT_EQ(relayed.accepted, 0u);
  EXPECT_EQ(relayed.duplicate, 1u);
  EXPECT_THAT(Read().dump, HasSubstr("duo_hours: 1 records, 1 typed rows"));
  exports::DuoDuty duty = std::get<exports::DuoDuty>(kinds[20].record);
  {
    auto register_ = storage::Store::Open(dir_ / "hub.db");
    ASSERT_TRUE(register_.ok()) << register_.status().ToString();
    auto rows = (*register_)->ListDuoHours();
    ASSERT_TRUE(rows.ok() && rows->size() == 1u);
    EXPECT_EQ(rows->front().learner_id,
              SchoolScopedKey(kReplicaC, std::get<exports::DuoHours>(duo_row.record).learner_id));
    auto recorded = (*register_)->RecordDuties(
        storage::Actor{Role::kDuo, "examens"},
        std::vector{AboutPersonAt(dir_ / "hub.db", duty,
                                  std::get<exports::DuoHours>(duo_row.record).bsn)});
    ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  }
  for (size_t device : {1u, 2u}) {
    const std::vector<VersionedRecord> back = PullAll(device);
    ASSERT_EQ(back.size(), 1u) << "device " << device;
    EXPECT_EQ(std::get<exports::DuoDuty>(back[0].record), duty) << "device " << device;
  }
}

// A gemeente's endpoint takes only its own residents' rows: another
// gemeente's row, a DUO row or any record of the school is 403.
TEST_F(ServerTest, AGemeentesEndpointTakesOnlyItsOwnResidentsRows) {
  StartAuthority("gemeente", "Gemeente Amsterdam", "0363");
  const Snapshot before = Read();
  const std::vector<VersionedRecord> kinds = sync::testing::OneOfEachKind();
  const VersionedRecord own = AsAdminB(kinds[11], 11);
  VersionedRecord other = own;
  auto& row = std::get<exports::GemeenteHours>(other.record);
  row.gemeente_code = "0518";
  row.id = exports::GemeenteHoursId(row.gemeente_code, row.learner_id, row.peildatum);
  VersionedRecord other_absence = AsAdminB(kinds[12], 12);
  auto& absence = std::get<exports::GemeenteAbsence>(other_absence.record);
  absence.gemeente_code = "0518";
  absence.id = exports::GemeenteAbsenceId("0518", absence.lesson_id, absence.learner_id);
  const std::vector<std::pair<std::string, std::vector<VersionedRecord>>> outside = {
      {"version 1 (gemeente_hours, of gemeente 0518)", {own, other}},
      {"version 0 (gemeente_absence, of gemeente 0518)", {other_absence}},
      // Its own decisions come only from itself, never from a school.
      {"version 1 (gemeente_decision, of gemeente 0363)", {own, kinds[13]}},
      {"version 0 (duo_hours)", {AsAdminB(kinds[10], 10)}},
      {"version 0 (learner)", {AsAdminB(kinds[0], 0), own}},
      {"version 0 (attendance)", {AsAdminB(kinds[8], 8)}},
  };
  for (size_t i = 0; i < outside.size(); ++i) {
    const auto& [what, batch] = outside[i];
    HttpReply reply = Post(1, "/v1/push", PushBody("outside-" + std::to_string(i), batch));
    EXPECT_EQ(reply.status, 403) << what;
    EXPECT_THAT(ErrorOf(reply).message, HasSubstr(what));
    EXPECT_THAT(ErrorOf(reply).message, HasSubstr("gemeente_hours, gemeente_absence and bridging_diploma of gemeente 0363"));
  }
  EXPECT_EQ(Read(), before);

  // Its hello states its code; its own residents' rows are taken.
  HttpReply hello = Post(1, "/v1/hello", HelloBody(kReplicaB));
  ASSERT_EQ(hello.status, 200);
  auto welcome = sync::DecodeHelloResponse(hello.body, sync::Limits{});
  ASSERT_TRUE(welcome.ok());
  EXPECT_EQ(welcome->role, Role::kGemeente);
  EXPECT_EQ(welcome->gemeente_code, "0363");
  EXPECT_EQ(Push(1, PushBody("own", {own, AsAdminB(kinds[12], 12)})).accepted, 2u);
  EXPECT_THAT(Read().dump, HasSubstr("gemeente_hours: 1 records, 1 typed rows"));
  EXPECT_THAT(Read().dump, HasSubstr("gemeente_absence: 1 records, 1 typed rows"));
  EXPECT_TRUE(PullAll(1).empty());

  // The gemeente decides on the absence (on its register, while it
  // serves). Its decision goes back to the school that sent the absence,
  // and to no other: the hub's token, which sent none, is served nothing.
  {
    auto register_ = storage::Store::Open(dir_ / "hub.db");
    ASSERT_TRUE(register_.ok()) << register_.status().ToString();
    // Held under the school's keys there.
    const auto& judged = std::get<exports::GemeenteAbsence>(kinds[12].record);
    exports::GemeenteDecision d;
    d.lesson_id = SchoolScopedKey(kReplicaB, judged.lesson_id);
    d.learner_id = SchoolScopedKey(kReplicaB, judged.learner_id);
    d.gemeente_code = "0363";
    d.id = exports::GemeenteDecisionId("0363", d.lesson_id, d.learner_id);
    d.value = Classification::kUnexcused;
    d.decided_on = Date{2026, 12, 1};
    auto decided = (*register_)->DecideAbsences(storage::Actor{Role::kGemeente, "ambtenaar"},
                                                std::vector{d});
    ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  }
  const std::vector<VersionedRecord> back = PullAll(1);
  ASSERT_EQ(back.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<exports::GemeenteDecision>(back[0].record));
  // ...under the school's own keys.
  const auto& served = std::get<exports::GemeenteDecision>(back[0].record);
  EXPECT_EQ(served.learner_id, std::get<exports::GemeenteAbsence>(kinds[12].record).learner_id);
  EXPECT_EQ(served.id, exports::GemeenteDecisionId("0363", served.lesson_id, served.learner_id));
  EXPECT_EQ(back[0].stamp.writer.role, Role::kGemeente);
  EXPECT_TRUE(PullAll(2).empty()) << "another school's replica was served the decision";

  // Its PIP of that learner goes to the replica that sent the learner's
  // hours, and to no other; a school cannot push one to it.
  const auto& pip = std::get<exports::GemeentePip>(kinds[19].record);
  ASSERT_EQ(pip.learner_id, std::get<exports::GemeenteHours>(own.record).learner_id);
  {
    auto register_ = storage::Store::Open(dir_ / "hub.db");
    ASSERT_TRUE(register_.ok()) << register_.status().ToString();
    auto set = (*register_)->SetPips(
        storage::Actor{Role::kGemeente, "ambtenaar"},
        std::vector{AboutPersonAt(dir_ / "hub.db", pip,
                                  std::get<exports::GemeenteHours>(own.record).bsn)});
    ASSERT_TRUE(set.ok()) << set.status().ToString();
  }
  const std::vector<VersionedRecord> again = PullAll(1);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(std::get<exports::GemeentePip>(again[1].record), pip);
  EXPECT_TRUE(PullAll(2).empty()) << "another school's replica was served the PIP";
  EXPECT_EQ(Post(1, "/v1/push", PushBody("pip-from-school", {AsAdminB(kinds[19], 19)})).status,
            403);

  // Its NAW data of that learner likewise.
  const auto& naw = std::get<exports::GemeenteNaw>(kinds[24].record);
  ASSERT_EQ(naw.learner_id, pip.learner_id);
  {
    auto register_ = storage::Store::Open(dir_ / "hub.db");
    ASSERT_TRUE(register_.ok()) << register_.status().ToString();
    auto set = (*register_)->SetNaws(
        storage::Actor{Role::kGemeente, "ambtenaar"},
        std::vector{AboutPersonAt(dir_ / "hub.db", naw,
                                  std::get<exports::GemeenteHours>(own.record).bsn)});
    ASSERT_TRUE(set.ok()) << set.status().ToString();
  }
  const std::vector<VersionedRecord> third = PullAll(1);
  ASSERT_EQ(third.size(), 3u);
  EXPECT_EQ(std::get<exports::GemeenteNaw>(third[2].record), naw);
  EXPECT_TRUE(PullAll(2).empty()) << "another school's replica was served the NAW data";
  EXPECT_EQ(Post(1, "/v1/push", PushBody("naw-from-school", {AsAdminB(kinds[24], 24)})).status,
            403);
}

TEST_F(ServerTest, TheLogHasOneLinePerRequestAndNoPersonalDataOrToken) {
  StartServer();
  const auto versions = sync::testing::OneOfEachKind();
  Push(2, PushBody("logged", versions));
  Pull(1, 0);
  Post(sync::NewDeviceToken(), "/v1/hello", HelloBody(kReplicaA));
  Post(0, "/v1/push", "garbage");
  Post(0, "/v1/push/123456782", "x");
  ASSERT_EQ(server_->StopWith(SIGTERM), 0);

  const std::string log = Log();
  std::vector<std::string> lines;
  for (size_t at = 0, end; (end = log.find('\n', at)) != std::string::npos; at = end + 1) {
    const std::string line = log.substr(at, end - at);
    if (line.find(" device=") != std::string::npos) lines.push_back(line);
  }
  ASSERT_EQ(lines.size(), 5u) << log;
  // A line is written by the worker thread that served the request, after
  // the answer went out; the next request, on another connection and
  // thread, may be logged first. So: each request has exactly one line.
  for (const char* expected :
       {"POST /v1/push 200 device=hub-c in=", "POST /v1/pull 200 device=laptop-b",
        "POST /v1/hello 401 device=-", "POST /v1/push 400 device=laptop-a", " 404 "}) {
    EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                            [&](const std::string& l) {
                              return l.find(expected) != std::string::npos;
                            }),
              1)
        << expected << "\n"
        << log;
  }
  for (const std::string& line : lines) EXPECT_THAT(line, HasSubstr(" ms="));
  // The versions held BSNs, names and notes; the requests held tokens.
  for (const VersionedRecord& v : versions) {
    if (const auto* l = std::get_if<Learner>(&v.record)) {
      EXPECT_THAT(log, Not(HasSubstr(l->bsn)));
      EXPECT_THAT(log, Not(HasSubstr(l->name)));
    }
    if (const auto* a = std::get_if<Attendance>(&v.record); a != nullptr && !a->note.empty()) {
      EXPECT_THAT(log, Not(HasSubstr(a->note)));
    }
  }
  EXPECT_THAT(log, Not(HasSubstr("123456782")));
  for (const TestDevice& d : devices_) EXPECT_THAT(log, Not(HasSubstr(d.token)));
}

TEST_F(ServerTest, SigintAndSigtermStopItCleanly) {
  StartServer();
  ExpectServing();
  EXPECT_EQ(server_->StopWith(SIGINT), 0);
  EXPECT_THAT(Log(), HasSubstr("stopped"));

  // Under load: every answer that came is whole, and the exit is clean.
  StartServer();
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0};
  std::atomic<int> broken{0};
  std::thread client([&] {
    auto transport = MakeTransport(server_->port(), devices_[1].token);
    for (int i = 0; !stop && transport != nullptr; ++i) {
      Result<HttpReply> reply = transport->Post("/v1/hello", HelloBody(kReplicaB));
      if (!reply.ok()) break;  // the server has gone
      if (reply->status == 200 && sync::DecodeHelloResponse(reply->body, sync::Limits{}).ok()) {
        ++answered;
      } else {
        ++broken;
      }
    }
  });
  const auto start = std::chrono::steady_clock::now();
  while (answered < 20 && std::chrono::steady_clock::now() - start < std::chrono::seconds(30)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(server_->StopWith(SIGTERM), 0);
  stop = true;
  client.join();
  EXPECT_GE(answered, 20);
  EXPECT_EQ(broken, 0);
}

TEST_F(ServerTest, TenDevicesPushAndPullAtOnce) {
  devices_.clear();
  for (int i = 0; i < 10; ++i) {
    char replica[17];
    std::snprintf(replica, sizeof replica, "%016x", 0xd0000 + i);
    devices_.push_back({"tablet-" + std::to_string(i), sync::NewDeviceToken(), replica, "teacher"});
  }
  StartServer();
  constexpr int kBatches = 4;
  constexpr int kPerBatch = 25;
  struct Seen {
    int64_t cursor = 0;
    std::vector<std::string> ids;  // record ids pulled, in order
  };
  std::vector<Seen> seen(devices_.size());
  // Pulls from the device's cursor until the server has no more, as a sync does.
  auto catch_up = [&](sync::Transport& transport, Seen& s) {
    for (int pages = 0; pages < 1'000; ++pages) {
      auto reply = transport.Post("/v1/pull", *sync::EncodePullRequest({s.cursor, 0}));
      if (!reply.ok() || reply->status != 200) return false;
      auto page = sync::DecodePullResponse(reply->body, sync::Limits{});
      if (!page.ok() || page->next_seq < s.cursor) return false;
      for (const VersionedRecord& v : page->versions)
        s.ids.push_back(storage::RecordIdOf(v.record));
      s.cursor = page->next_seq;
      if (!page->more) return true;
    }
    return false;
  };

  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (size_t d = 0; d < devices_.size(); ++d) {
    threads.emplace_back([&, d] {
      auto transport = MakeTransport(server_->port(), devices_[d].token);
      if (transport == nullptr) return void(++failures);
      auto hello = transport->Post("/v1/hello", HelloBody(devices_[d].replica_id));
      if (!hello.ok() || hello->status != 200) ++failures;
      for (int b = 0; b < kBatches; ++b) {
        const auto versions = DeviceAttendance(devices_[d].replica_id, "les" + std::to_string(d),
                                               kPerBatch, b * kPerBatch);
        const std::string body =
            PushBody(devices_[d].name + "-" + std::to_string(b), versions, b * kPerBatch + 1);
        auto reply = transport->Post("/v1/push", body);
        auto pushed = reply.ok() ? sync::DecodePushResponse(reply->body, sync::Limits{})
                                 : sync::CodecResult<sync::PushResponse>(sync::CodecFailure{});
        if (!reply.ok() || reply->status != 200 || !pushed.ok() ||
            pushed->accepted != static_cast<uint32_t>(kPerBatch)) {
          ++failures;
        }
        if (!catch_up(*transport, seen[d])) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);

  // Every version arrived once. Each device, caught up from the cursor it
  // reached while the others were still pushing, has been given every other
  // device's versions exactly once and none of its own.
  const size_t total = devices_.size() * kBatches * kPerBatch;
  auto store = storage::Store::Open(dir_ / "hub.db");
  ASSERT_TRUE(store.ok());
  auto changes = (*store)->ChangesAfter(0, 1'000'000);
  ASSERT_TRUE(changes.ok());
  std::map<std::string, std::vector<std::string>> by_source;
  for (const storage::Change& c : *changes) {
    if (!c.received_from.empty()) by_source[c.received_from].push_back(c.record_id);
  }
  size_t received = 0;
  for (const auto& [source, ids] : by_source) received += ids.size();
  EXPECT_EQ(received, total);
  for (size_t d = 0; d < devices_.size(); ++d) {
    auto transport = MakeTransport(server_->port(), devices_[d].token);
    ASSERT_TRUE(catch_up(*transport, seen[d]));
    std::vector<std::string> expected;
    for (const auto& [source, ids] : by_source) {
      if (source != devices_[d].replica_id) expected.insert(expected.end(), ids.begin(), ids.end());
    }
    std::sort(expected.begin(), expected.end());
    std::vector<std::string> got = seen[d].ids;
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, expected) << devices_[d].name;
  }
}

TEST_F(ServerTest, ServeTokenMakesATokenTheServerAdmits) {
  ProgramRun made = RunPresentie({"serve", "token", "--name", "laptop-z", "--role", "admin",
                                  "--replica", kReplicaC, "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const Json out = Json::parse(made.out);
  const std::string token = out.at("token");
  const Json entry = out.at("config_entry");
  EXPECT_EQ(token.size(), 43u);  // 32 bytes, base64url
  EXPECT_EQ(entry.at("token_sha256"), sync::HashToken(token));
  EXPECT_EQ(entry.at("replica_id"), kReplicaC);
  EXPECT_EQ(entry.at("role"), "admin");

  Json config = BaseConfig();
  config["tokens"] = Json::array({entry});
  StartServer(config);
  HttpReply reply = Post(token, "/v1/hello", HelloBody(kReplicaC));
  ASSERT_EQ(reply.status, 200) << ErrorOf(reply).message;
  auto hello = sync::DecodeHelloResponse(reply.body, sync::Limits{});
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(hello->client_role, Role::kAdmin);

  // Written to a file instead: mode 0600, and not on stdout.
  ProgramRun to_file = RunPresentie({"serve", "token", "--name", "laptop-y", "--replica", kReplicaA,
                                     "--token-file", dir_ / "y.token"});
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  const std::string saved = ReadFile(dir_ / "y.token");
  ASSERT_EQ(saved.size(), 44u);
  EXPECT_THAT(to_file.out, Not(HasSubstr(saved.substr(0, 43))));
  EXPECT_THAT(to_file.out, HasSubstr(sync::HashToken(saved.substr(0, 43))));
  EXPECT_EQ(std::filesystem::status(dir_ / "y.token").permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(ServerTest, AConfigErrorNamesTheKeyAndNothingStarts) {
  Json config = BaseConfig();
  config["tokns"] = Json::array();
  config["limits"]["max_bytes"] = 5;
  std::ofstream(dir_ / "bad.json") << config.dump();
  ProgramRun run = RunPresentie({"serve", "--config", dir_ / "bad.json"});
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_THAT(run.err, HasSubstr("'tokns'"));
  EXPECT_EQ(run.out, "");

  Json no_hash = BaseConfig();
  no_hash["tokens"][0].erase("token_sha256");
  std::ofstream(dir_ / "nohash.json") << no_hash.dump();
  run = RunPresentie({"serve", "--config", dir_ / "nohash.json"});
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_THAT(run.err, HasSubstr("tokens[0].token_sha256"));

  run = RunPresentie({"serve", "--config", dir_ / "missing.json"});
  EXPECT_EQ(run.exit_code, 6);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "hub.db"));
}

TEST_F(ServerTest, TheCommandLineOfServe) {
  ProgramRun run = RunPresentie({"serve"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--config"));
  for (const char* level : {"serve", "token"}) {
    run = level == std::string("serve") ? RunPresentie({"serve", "-h"})
                                        : RunPresentie({"serve", "token", "-h"});
    EXPECT_EQ(run.exit_code, 0) << level;
    ASSERT_NE(run.out.find("Examples:"), std::string::npos) << run.out;
    EXPECT_LT(run.out.find("Examples:"), run.out.find("Usage:")) << run.out;
  }
  EXPECT_EQ(RunPresentie({"serve", "token", "--name", "x"}).exit_code, 2);  // no --replica
  EXPECT_EQ(
      RunPresentie({"serve", "token", "--name", "x", "--replica", kReplicaA, "--role", "gemeente"})
          .exit_code,
      2);
  run = RunPresentie({"serve", "token", "--name", "x", "--replica", "not-hex"});
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_THAT(run.err, HasSubstr("--replica"));
  run = RunPresentie({"serve", "token", "--name", "Fatima El Amrani", "--replica", kReplicaA});
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_THAT(run.err, HasSubstr("--name"));
  EXPECT_EQ(run.out, "");

  // A port in use: a clear failure, exit 1.
  StartServer();
  Json config = BaseConfig();
  config["port"] = server_->port();
  config["register_path"] = "other.db";
  std::ofstream(dir_ / "clash.json") << config.dump();
  run = RunPresentie({"serve", "--config", dir_ / "clash.json"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(server_->port())));
  ExpectServing();
}

// --- TLS ---------------------------------------------------------------------------

// A CA, a server certificate for 127.0.0.1 and a client certificate, made
// with the openssl command for this test.
class Certificates {
 public:
  explicit Certificates(const std::filesystem::path& dir) : dir_(dir) {
    std::ofstream(dir / "server.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                         "extendedKeyUsage=serverAuth\n";
    std::ofstream(dir / "client.ext") << "extendedKeyUsage=clientAuth\n";
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string ca = "openssl req -x509" + key +
                           " -days 2 -keyout ca.key -out ca.pem -subj '/CN=presentie test CA'"
                           " -addext basicConstraints=critical,CA:TRUE"
                           " -addext keyUsage=critical,keyCertSign,cRLSign";
    auto leaf = [&](const std::string& name) {
      return "openssl req" + key + " -keyout " + name + ".key -out " + name +
             ".csr -subj '/CN=" + name + "' && openssl x509 -req -in " + name +
             ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out " + name +
             ".pem -extfile " + name + ".ext";
    };
    const std::string script = "cd '" + dir.string() + "' && (" + ca + " && " + leaf("server") +
                               " && " + leaf("client") + ") >openssl.log 2>&1";
    ok_ = std::system(script.c_str()) == 0;
  }
  bool ok() const { return ok_; }
  std::string operator/(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
  bool ok_ = false;
};

TEST_F(ServerTest, ServesHttpsAndRequiresTheClientCertificateWhenConfigured) {
  const Certificates certs(dir_.path());
  ASSERT_TRUE(certs.ok()) << ReadFile(dir_ / "openssl.log");
  Json config = BaseConfig();
  config["tls_cert_file"] = "server.pem";  // relative to the config, like register_path
  config["tls_key_file"] = "server.key";
  StartServer(config);

  sync::TlsOptions trust;
  trust.ca_file = certs / "ca.pem";
  auto https = MakeTransport(server_->port(), devices_[0].token, "https", trust);
  ASSERT_NE(https, nullptr);
  auto reply = https->Post("/v1/hello", HelloBody(kReplicaA));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->status, 200);
  // Plain HTTP to the TLS port gets no answer.
  auto plain = MakeTransport(server_->port(), devices_[0].token, "http");
  EXPECT_FALSE(plain->Post("/v1/hello", HelloBody(kReplicaA)).ok());
  ASSERT_EQ(server_->StopWith(SIGTERM), 0);

  // Mutual TLS: without a client certificate the handshake fails; with one
  // signed by the configured CA it passes, and the token still decides.
  config["client_ca_file"] = "ca.pem";
  StartServer(config);
  auto anonymous = MakeTransport(server_->port(), devices_[0].token, "https", trust);
  auto refused = anonymous->Post("/v1/hello", HelloBody(kReplicaA));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition)
      << refused.status().ToString();

  sync::TlsOptions mutual = trust;
  mutual.cert_file = certs / "client.pem";
  mutual.key_file = certs / "client.key";
  auto known = MakeTransport(server_->port(), devices_[0].token, "https", mutual);
  auto admitted = known->Post("/v1/hello", HelloBody(kReplicaA));
  ASSERT_TRUE(admitted.ok()) << admitted.status().ToString();
  EXPECT_EQ(admitted->status, 200);
  auto wrong_token = MakeTransport(server_->port(), sync::NewDeviceToken(), "https", mutual);
  auto unauthenticated = wrong_token->Post("/v1/hello", HelloBody(kReplicaA));
  ASSERT_TRUE(unauthenticated.ok());
  EXPECT_EQ(unauthenticated->status, 401);
}

}  // namespace server_test
}  // namespace presentie::integration
