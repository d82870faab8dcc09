// The server's pull sessions (sync/server/http_server.h, docs/sync.md "Pull
// sessions"): bounded in number, the least recently used forgotten first,
// each usable only by its owner with the client's count of strings.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sync/server/http_server.h"

namespace presentie::sync::server_impl {
namespace pull_sessions_test {

// A session of `owner` holding `strings` strings, put back for its next page.
std::string PutNew(PullSessions& sessions, const std::string& owner, size_t strings) {
  std::unique_ptr<PullSession> session = PullSessions::New(owner);
  for (size_t i = 0; i < strings; ++i) session->strings.Add(owner + "/" + std::to_string(i));
  std::string id = session->id;
  sessions.Put(std::move(session));
  return id;
}

TEST(PullSessionsTest, PastTheLimitTheLeastRecentlyUsedIsForgotten) {
  PullSessions sessions;
  std::vector<std::string> ids;
  for (size_t i = 0; i < kMaxPullSessions; ++i) {
    ids.push_back(PutNew(sessions, "device-" + std::to_string(i), 3));
  }
  ASSERT_EQ(sessions.size(), kMaxPullSessions);
  // device-0's next page makes it the most recently used; device-1's is now
  // the oldest.
  std::unique_ptr<PullSession> first = sessions.Take(ids[0], "device-0", 3);
  ASSERT_NE(first, nullptr);
  sessions.Put(std::move(first));

  const std::string extra = PutNew(sessions, "device-extra", 1);
  EXPECT_EQ(sessions.size(), kMaxPullSessions);
  EXPECT_EQ(sessions.Take(ids[1], "device-1", 3), nullptr) << "the least recently used goes";
  for (size_t i : {size_t{0}, size_t{2}, kMaxPullSessions - 1}) {
    std::unique_ptr<PullSession> kept = sessions.Take(ids[i], "device-" + std::to_string(i), 3);
    ASSERT_NE(kept, nullptr) << "device-" << i;
    EXPECT_EQ(kept->strings.size(), 3u);
    EXPECT_EQ(kept->strings.Find("device-" + std::to_string(i) + "/2"), 2u);
  }
  EXPECT_NE(sessions.Take(extra, "device-extra", 1), nullptr);
}

TEST(PullSessionsTest, OnlyItsOwnerWithTheSameCountGoesOn) {
  PullSessions sessions;
  const std::string id = PutNew(sessions, "token-a", 5);
  // Another owner: nothing, and the owner's session is left alone.
  EXPECT_EQ(sessions.Take(id, "token-b", 5), nullptr);
  EXPECT_EQ(sessions.size(), 1u);
  // An unknown id: nothing.
  EXPECT_EQ(sessions.Take(std::string(16, '\x07'), "token-a", 5), nullptr);
  EXPECT_EQ(sessions.Take("", "token-a", 5), nullptr);
  // The owner with another count (an answer lost on the way): forgotten, so
  // the right count finds nothing afterwards either.
  EXPECT_EQ(sessions.Take(id, "token-a", 4), nullptr);
  EXPECT_EQ(sessions.size(), 0u);
  EXPECT_EQ(sessions.Take(id, "token-a", 5), nullptr);
}

TEST(PullSessionsTest, ATakenSessionIsNotFoundUntilPutBack) {
  PullSessions sessions;
  const std::string id = PutNew(sessions, "token-a", 2);
  std::unique_ptr<PullSession> taken = sessions.Take(id, "token-a", 2);
  ASSERT_NE(taken, nullptr);
  // A second request of the same session meanwhile gets none (it starts anew).
  EXPECT_EQ(sessions.Take(id, "token-a", 2), nullptr);
  taken->strings.Add("one more");
  sessions.Put(std::move(taken));
  std::unique_ptr<PullSession> again = sessions.Take(id, "token-a", 3);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->strings.Find("one more"), 2u);
}

}  // namespace pull_sessions_test
}  // namespace presentie::sync::server_impl
