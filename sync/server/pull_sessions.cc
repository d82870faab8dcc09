// The pull sessions' dictionaries (docs/sync.md, "Pull sessions").
//
// Why in memory and so small: a session saves bytes and nothing else. A
// client that finds its session gone (a restart, another server process, an
// eviction) gets a new one and pays one page's strings again; so the server
// keeps no state on disk, and a few sessions of bounded size are enough for
// the few large pulls a hub serves at once (a device's first sync, one that
// was away for long). A small pull (one page) never makes one.
#include "sync/server/http_server.h"

namespace presentie::sync::server_impl {

namespace {

std::string NewSessionId() {
  // Idempotent; randombytes aborts rather than return weak bytes.
  static const int kInit = sodium_init();
  (void)kInit;
  std::string id(16, '\0');
  randombytes_buf(id.data(), id.size());
  return id;
}

}  // namespace

std::unique_ptr<PullSession> PullSessions::Take(std::string_view id, std::string_view owner,
                                                size_t strings) {
  if (!id.empty()) {
    MutexLock lock(&mu_);
    auto it = std::find_if(sessions_.begin(), sessions_.end(),
                           [&](const auto& s) { return s->id == id; });
    // Another owner's session is left alone: only its owner may end it.
    if (it != sessions_.end() && (*it)->owner == owner) {
      std::unique_ptr<PullSession> session = std::move(*it);
      sessions_.erase(it);
      if (session->strings.size() == strings) return session;
      // The client holds another count (an answer lost on the way): the
      // two copies differ, so neither can be used again.
    }
  }
  return nullptr;
}

std::unique_ptr<PullSession> PullSessions::New(std::string_view owner) {
  auto session = std::make_unique<PullSession>();
  session->id = NewSessionId();
  session->owner = std::string(owner);
  return session;
}

void PullSessions::Put(std::unique_ptr<PullSession> session) {
  const Clock::time_point now = Clock::now();
  session->used = now;
  MutexLock lock(&mu_);
  std::erase_if(sessions_, [&](const auto& s) { return now - s->used > kPullSessionIdle; });
  while (sessions_.size() >= kMaxPullSessions) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(),
                                   [](const auto& a, const auto& b) { return a->used < b->used; });
    sessions_.erase(oldest);
  }
  sessions_.push_back(std::move(session));
}

size_t PullSessions::size() {
  MutexLock lock(&mu_);
  return sessions_.size();
}

}  // namespace presentie::sync::server_impl
