// Pull sessions against a real `presentie serve` (docs/sync.md, "Pull
// sessions"): a first sync of many pages of random-UUID ids sends each id
// once, a session serves only the token that started it, and a server that
// forgot its sessions (restarted, or never knew the id) still serves every
// version, at the cost of bytes only.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integration/server_process.h"
#include "presentie/sync/v1/sync.pb.h"
#include "storage/store.h"
#include "storage/versioned.h"
#include "sync/codec.h"
#include "sync/engine.h"
#include "sync/messages.h"
#include "sync/server.h"
#include "sync_test_util.h"

namespace presentie::integration {
namespace pull_session_test {

using Json = nlohmann::json;
using storage::VersionedRecord;

// Pages of 1,000: many pages from a small register.
constexpr uint32_t kPage = 1'000;

std::vector<VersionedRecord> Sorted(std::vector<VersionedRecord> v) {
  std::sort(v.begin(), v.end(), [](const VersionedRecord& a, const VersionedRecord& b) {
    return storage::RecordIdOf(a.record) < storage::RecordIdOf(b.record);
  });
  return v;
}

// One pull page as a client sees it.
struct Page {
  sync::PullResponse response;
  uint32_t base = 0;  // the batch's `base`: the session's strings it names
  size_t bytes = 0;   // the body as received
};

class PullSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    // The device whose engine syncs has a register of its own; the token
    // names its replica.
    auto device =
        storage::Store::Create(dir_ / "device.db", {"Taalschool De Brug", "25AB", Role::kTeacher});
    ASSERT_TRUE(device.ok()) << device.status().ToString();
    device_ = std::move(*device);
    devices_ = {{"hub-c", sync::NewDeviceToken(), sync::testing::kReplicaC, "hub"},
                {"laptop-a", sync::NewDeviceToken(), sync::testing::kReplicaA, "teacher"},
                {"laptop-b", sync::NewDeviceToken(), sync::testing::kReplicaB, "teacher"},
                {"laptop-d", sync::NewDeviceToken(), device_->info().replica_id, "teacher"}};
  }

  void TearDown() override {
    if (server_ != nullptr && server_->running()) {
      EXPECT_EQ(server_->StopWith(SIGTERM), 0) << ReadFile(dir_ / "server.log");
    }
  }

  void StartServer() {
    const Json config = {
        {"listen_host", "127.0.0.1"},          {"port", 0},      {"register_path", "hub.db"},
        {"school_name", "Taalschool De Brug"}, {"brin", "25AB"}, {"max_pull_page", kPage},
        {"tokens", TokensConfig(devices_)}};
    std::ofstream(dir_ / "server.json") << config.dump(2);
    std::string error;
    server_ = ServerProcess::Start(dir_ / "server.json", dir_ / "server.log", &error);
    ASSERT_NE(server_, nullptr) << error;
  }

  sync::HttpReply Post(size_t device, const std::string& path, const std::string& body) {
    auto transport = MakeTransport(server_->port(), devices_[device].token);
    EXPECT_NE(transport, nullptr);
    if (transport == nullptr) return {};
    Result<sync::HttpReply> reply = transport->Post(path, body);
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? *reply : sync::HttpReply{};
  }

  // `versions`, pushed by the hub's token (they are several teachers').
  void PushAll(const std::vector<VersionedRecord>& versions) {
    int64_t seq = 1;
    for (size_t at = 0; at < versions.size(); at += 2'000) {
      sync::PushRequest push;
      push.idempotency_id = "batch-" + std::to_string(at);
      push.versions.assign(
          versions.begin() + static_cast<ptrdiff_t>(at),
          versions.begin() + static_cast<ptrdiff_t>(std::min(at + 2'000, versions.size())));
      push.client_first_seq = seq;
      push.client_last_seq = seq + static_cast<int64_t>(push.versions.size()) - 1;
      seq = push.client_last_seq + 1;
      sync::HttpReply reply = Post(0, "/v1/push", *sync::EncodePushRequest(push));
      ASSERT_EQ(reply.status, 200);
      auto answer = sync::DecodePushResponse(reply.body, sync::Limits{});
      ASSERT_TRUE(answer.ok());
      ASSERT_EQ(answer->accepted, push.versions.size());
    }
  }

  // One page for `device`; with `dictionary`, in the pull session it holds.
  Page PullPage(size_t device, int64_t after, sync::PullDictionary* dictionary) {
    sync::PullRequest request;
    request.after_seq = after;
    request.limit = kPage;
    if (dictionary != nullptr) {
      request.use_session = true;
      request.session_id = dictionary->session_id;
      request.session_strings = static_cast<uint32_t>(dictionary->strings.size());
    }
    return PullWith(device, request, dictionary);
  }

  Page PullWith(size_t device, const sync::PullRequest& request, sync::PullDictionary* dictionary) {
    Page page;
    sync::HttpReply reply = Post(device, "/v1/pull", *sync::EncodePullRequest(request));
    EXPECT_EQ(reply.status, 200);
    page.bytes = reply.body.size();
    sync::v1::PullResponse raw;
    EXPECT_TRUE(raw.ParseFromString(*sync::Decompress(reply.body, sync::Limits{})));
    page.base = raw.batch().attendance().base();
    auto decoded = dictionary != nullptr
                       ? sync::DecodePullPage(reply.body, sync::Limits{}, dictionary)
                       : sync::DecodePullResponse(reply.body, sync::Limits{});
    EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
    if (decoded.ok()) page.response = std::move(decoded).value();
    return page;
  }

  // The device's whole sync through the engine, in pages of kPage.
  Result<sync::SyncReport> DeviceSync() {
    auto transport = MakeTransport(server_->port(), devices_[3].token);
    if (transport == nullptr) return Internal("no transport to the test server");
    sync::SyncOptions options;
    options.pull_page_versions = kPage;
    return sync::SyncWith(*device_, *transport, options);
  }

  // Every version for `device`, page by page; the bytes received in *bytes.
  std::vector<VersionedRecord> PullAll(size_t device, sync::PullDictionary* dictionary,
                                       size_t* bytes) {
    std::vector<VersionedRecord> all;
    int64_t after = 0;
    *bytes = 0;
    for (int pages = 0; pages < 1'000; ++pages) {
      Page page = PullPage(device, after, dictionary);
      *bytes += page.bytes;
      all.insert(all.end(), page.response.versions.begin(), page.response.versions.end());
      after = page.response.next_seq;
      if (!page.response.more) break;
    }
    return all;
  }

  TempDir dir_;
  std::unique_ptr<storage::Store> device_;
  std::vector<TestDevice> devices_;
  std::unique_ptr<ServerProcess> server_;
};

// Issue 21: each page of 1,000 shuffled versions named up to 1,000 lessons
// and most of the 2,000 learners by their 36-character UUIDs, which do not
// compress, so bytes per version grew with the register. In a session the
// engine receives each id once.
TEST_F(PullSessionTest, AFirstSyncOfManyPagesSendsEachIdOnce) {
  StartServer();
  const std::vector<VersionedRecord> versions = sync::testing::RealShapedAttendance(20'000);
  PushAll(versions);

  // The engine's sync, prefetching pages on its second thread.
  Result<sync::SyncReport> report = DeviceSync();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->pulled, versions.size());
  EXPECT_EQ(report->accepted, versions.size());
  EXPECT_GE(report->pull_pages, versions.size() / kPage);
  const double with = static_cast<double>(report->bytes_received) / 20'000;

  // The same pages without a session, as an older client pulls them.
  size_t plain_bytes = 0;
  EXPECT_EQ(Sorted(PullAll(1, nullptr, &plain_bytes)), Sorted(versions));
  const double without = static_cast<double>(plain_bytes) / 20'000;
  std::printf(
      "[pull session] 20,000 real-shaped versions in pages of %u: %.2f B/version in a "
      "session, %.2f without\n",
      kPage, with, without);
  EXPECT_LE(with, 14.0);
  EXPECT_LT(with, 0.5 * without);
}

TEST_F(PullSessionTest, ASessionServesOnlyTheTokenThatStartedIt) {
  StartServer();
  const std::vector<VersionedRecord> versions = sync::testing::RealShapedAttendance(3'000);
  PushAll(versions);

  sync::PullDictionary a;
  const Page first = PullPage(1, 0, &a);
  ASSERT_FALSE(a.session_id.empty()) << "a pull of several pages makes a session";
  ASSERT_GT(a.strings.size(), 0u);

  // Device B names A's session and A's count: it is not A's to use.
  sync::PullDictionary b = a;
  const Page stolen = PullPage(2, first.response.next_seq, &b);
  EXPECT_EQ(stolen.base, 0u);
  EXPECT_NE(stolen.response.session_id, a.session_id);
  Page plain = PullWith(2, {first.response.next_seq, kPage}, nullptr);
  EXPECT_EQ(Sorted(stolen.response.versions), Sorted(plain.response.versions));
  EXPECT_GT(stolen.response.versions.size(), 0u);

  // A's session is still A's.
  const size_t held = a.strings.size();
  const Page second = PullPage(1, first.response.next_seq, &a);
  EXPECT_EQ(second.base, held);
  EXPECT_EQ(second.response.session_id, first.response.session_id);
  EXPECT_EQ(Sorted(second.response.versions), Sorted(plain.response.versions));
}

TEST_F(PullSessionTest, APullCompletesWhenTheServerForgotTheSession) {
  StartServer();
  const std::vector<VersionedRecord> versions = sync::testing::RealShapedAttendance(4'000);
  PushAll(versions);

  // A session id the server never made: a new session, from base 0.
  sync::PullDictionary made_up;
  made_up.session_id = std::string(16, '\x07');
  made_up.strings.assign(5, "x");
  const Page fresh = PullPage(1, 0, &made_up);
  EXPECT_EQ(fresh.base, 0u);
  EXPECT_FALSE(fresh.response.session_id.empty());
  EXPECT_NE(fresh.response.session_id, std::string(16, '\x07'));
  EXPECT_EQ(made_up.session_id, fresh.response.session_id);

  // Two pages in a session, then the server restarts (on another port).
  sync::PullDictionary client;
  std::vector<VersionedRecord> got;
  int64_t after = 0;
  for (int i = 0; i < 2; ++i) {
    Page page = PullPage(1, after, &client);
    got.insert(got.end(), page.response.versions.begin(), page.response.versions.end());
    after = page.response.next_seq;
  }
  const std::string before_restart = client.session_id;
  ASSERT_EQ(server_->StopWith(SIGTERM), 0);
  StartServer();
  // The rest of the pull names the forgotten session: it starts anew.
  bool first = true;
  for (int pages = 0; pages < 100; ++pages) {
    Page page = PullPage(1, after, &client);
    if (first) {
      EXPECT_EQ(page.base, 0u);
      EXPECT_NE(page.response.session_id, before_restart);
      first = false;
    }
    got.insert(got.end(), page.response.versions.begin(), page.response.versions.end());
    after = page.response.next_seq;
    if (!page.response.more) break;
  }
  EXPECT_EQ(Sorted(got), Sorted(versions));

  // And the engine's whole sync after a restart gets every version.
  ASSERT_EQ(server_->StopWith(SIGTERM), 0);
  StartServer();
  Result<sync::SyncReport> report = DeviceSync();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->accepted, versions.size());
}

}  // namespace pull_session_test
}  // namespace presentie::integration
