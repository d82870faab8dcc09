// The sync engine. Why it is shaped as it is (docs/sync.md, "Engine"):
//
// - Everything about a remote is keyed by the replica id it states in hello,
//   never by its URL, so a server that moves keeps the device's cursors.
// - Push: the outbox holds at most one batch per remote: an idempotency id
//   and the range of our change log it covers. The batch is stored before it
//   is sent and cleared (advancing the pushed cursor) only after the server
//   answered, so a sync killed anywhere re-sends exactly the same versions
//   under the same id, and the server answers the replay with its stored
//   result. For that the body must be a pure function of the range: the
//   versions filtered only by what never changes (received_from, and the
//   kinds the remote's role is sent: SentTo, sync/routing.h), never by whether they
//   are still live.
// - Pull: a page is applied and the pull cursor set in one transaction of the
//   store (ApplyRemote with pull_cursor), so a cursor never runs ahead of the
//   versions it stands for; a page applied twice is harmless (duplicates).
// - Versions that came from the remote itself are not sent back (it has
//   them); versions from a third replica are forwarded, which is what lets a
//   hub relay between devices.
#include "sync/engine.h"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <future>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "core/hex.h"
#include "storage/versioned.h"
#include "sync/routing.h"

namespace presentie::sync {
namespace {

using storage::Change;
using storage::Store;
using storage::VersionedRecord;

Status Unavailable(std::string message) { return {StatusCode::kUnavailable, std::move(message)}; }

// Keeps ChangesAfter's int limit in range whatever the options say.
constexpr uint32_t kMaxPushBatch = 1'000'000;

// 16 random bytes as 32 lowercase hex characters: an idempotency id.
Result<std::string> RandomId() {
  std::array<unsigned char, 16> bytes{};
  size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Internal("no randomness for an idempotency id (getrandom failed)");
    }
    filled += static_cast<size_t>(n);
  }
  return HexLower(bytes);
}

// One exchange with the server, with its bytes counted.
class Session {
 public:
  Session(Transport& transport, const SyncOptions& options, SyncReport& report)
      : transport_(transport), options_(options), report_(report) {}

  // POSTs `body` to `path` and returns the 2xx reply's body, or the mapped
  // failure of anything else.
  Result<std::string> Call(std::string_view path, const std::string& body) {
    report_.bytes_sent += body.size();
    last_http_status_ = 0;
    auto reply = transport_.Post(path, body);
    if (!reply.ok()) {
      if (reply.status().code() == StatusCode::kUnavailable) {
        return Unavailable("offline; retry later: " + reply.status().message());
      }
      return reply.status();
    }
    report_.bytes_received += reply->body.size();
    last_http_status_ = reply->status;
    if (reply->status >= 200 && reply->status < 300) return std::move(reply->body);
    return ErrorFromReply(path, *reply);
  }

  const Limits& limits() const { return options_.limits; }
  // The HTTP status of the last call's answer; 0 when none came.
  int last_http_status() const { return last_http_status_; }

 private:
  Status ErrorFromReply(std::string_view path, const HttpReply& reply) const {
    // The error body is the server's explanation; a missing or broken one
    // still leaves the status to go by.
    std::string detail = "HTTP " + std::to_string(reply.status);
    ErrorCode code = ErrorCode::kUnknown;
    CodecResult<ErrorReply> error = DecodeErrorReply(reply.body, options_.limits);
    if (error.ok()) {
      code = error->code;
      if (!error->message.empty()) detail += ": " + error->message;
    }
    const std::string where = std::string(path) + ": ";
    if (code == ErrorCode::kUnsupportedProtocol) {
      return FailedPrecondition(where + "the server does not speak this program's protocol (" +
                                detail + "); update presentie or the server");
    }
    switch (reply.status) {
      case 401:
      case 403:
        return PermissionDenied("the server refused the token (" + detail +
                                "); check the remote's --token-file");
      case 400:
      case 409:
      case 413:
        return InvalidArgument(where + "the server refused the request (" + detail + ")");
      default:
        return Internal(where + "unexpected answer from the server (" + detail + ")");
    }
  }

  Transport& transport_;
  const SyncOptions& options_;
  SyncReport& report_;
  int last_http_status_ = 0;
};

// A reply that does not decode is the server's fault, not ours: kInvalidArgument
// naming the endpoint.
template <typename T>
Result<T> DecodeReply(CodecResult<T> decoded, std::string_view path) {
  if (!decoded.ok()) {
    return InvalidArgument(std::string(path) +
                           ": the server's answer is malformed: " + decoded.status().message());
  }
  return std::move(decoded).value();
}

class Engine {
 public:
  Engine(Store& store, Transport& transport, const SyncOptions& options,
         const std::function<void(const SyncProgress&)>& progress)
      : store_(store),
        options_(options),
        progress_(progress),
        session_(transport, options, report_) {}

  Result<SyncReport> Run() {
    const auto start = std::chrono::steady_clock::now();
    PRESENTIE_RETURN_IF_ERROR(Hello());
    PRESENTIE_RETURN_IF_ERROR(Push());
    PRESENTIE_RETURN_IF_ERROR(Pull());
    report_.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    return report_;
  }

 private:
  Status Hello() {
    HelloRequest request;
    request.replica_id = store_.info().replica_id;
    PRESENTIE_ASSIGN_OR_RETURN(std::string body, EncodeHelloRequest(request));
    PRESENTIE_ASSIGN_OR_RETURN(std::string reply, session_.Call("/v1/hello", body));
    PRESENTIE_ASSIGN_OR_RETURN(
        HelloResponse hello,
        DecodeReply(DecodeHelloResponse(reply, session_.limits()), "/v1/hello"));
    if (hello.protocol_version != kProtocolVersion) {
      return FailedPrecondition("the server speaks sync protocol " +
                                std::to_string(hello.protocol_version) + ", this program " +
                                std::to_string(kProtocolVersion) +
                                "; update presentie or the server");
    }
    if (hello.replica_id == store_.info().replica_id) {
      return FailedPrecondition(
          "the remote is this register itself (same replica id); check the remote's URL");
    }
    remote_ = hello.replica_id;
    report_.remote_replica = hello.replica_id;
    report_.remote_role = hello.role;
    report_.remote_gemeente = hello.gemeente_code;
    // Size pushes to what the server said it takes, rather than learning it
    // from a 413.
    push_batch_ = std::clamp<uint32_t>(options_.push_batch_versions, 1, kMaxPushBatch);
    if (hello.max_records_per_batch > 0) {
      push_batch_ = std::min(push_batch_, hello.max_records_per_batch);
    }
    server_max_compressed_ = hello.max_compressed_bytes;
    return Status::Ok();
  }

  // The versions of our change-log range [first, last] that the remote lacks,
  // in log order. A pure function of the range (see the file comment).
  Result<std::vector<VersionedRecord>> VersionsIn(int64_t first, int64_t last) {
    std::vector<VersionedRecord> versions;
    int64_t after = first - 1;
    while (after < last) {
      const int64_t want = std::min<int64_t>(last - after, 10'000);
      PRESENTIE_ASSIGN_OR_RETURN(std::vector<Change> changes,
                                 store_.ChangesAfter(after, static_cast<int>(want)));
      if (changes.empty()) break;
      for (const Change& c : changes) {
        if (c.seq > last) return versions;
        after = c.seq;
        if (c.received_from == remote_) continue;
        if (!SentTo(report_.remote_role, report_.remote_gemeente, c.kind, c.record_id)) {
          continue;
        }
        PRESENTIE_ASSIGN_OR_RETURN(VersionedRecord v, storage::FromChange(c));
        versions.push_back(std::move(v));
      }
    }
    return versions;
  }

  // The request of a batch and its encoded body.
  struct BuiltPush {
    uint64_t versions = 0;
    std::string body;  // empty when no version is left to send
  };
  Result<BuiltPush> Build(const Store::PendingBatch& batch) {
    PushRequest request;
    request.idempotency_id = batch.idempotency_id;
    request.client_first_seq = batch.first_seq;
    request.client_last_seq = batch.last_seq;
    PRESENTIE_ASSIGN_OR_RETURN(request.versions, VersionsIn(batch.first_seq, batch.last_seq));
    BuiltPush built;
    built.versions = request.versions.size();
    if (built.versions > 0) {
      PRESENTIE_ASSIGN_OR_RETURN(built.body, EncodePushRequest(request));
    }
    return built;
  }

  // Sends the stored batch and, once the server answered, acknowledges it.
  Status Send(const Store::PendingBatch& batch, const BuiltPush& built) {
    // A range holding only versions the remote sent us needs no request: it
    // only has to count as pushed.
    if (built.versions > 0) {
      PRESENTIE_ASSIGN_OR_RETURN(std::string reply, session_.Call("/v1/push", built.body));
      PRESENTIE_ASSIGN_OR_RETURN(
          PushResponse response,
          DecodeReply(DecodePushResponse(reply, session_.limits()), "/v1/push"));
      if (response.acknowledged_seq != batch.last_seq) {
        return InvalidArgument("/v1/push: the server acknowledged up to " +
                               std::to_string(response.acknowledged_seq) + ", not " +
                               std::to_string(batch.last_seq));
      }
      report_.refused += response.refused;
      report_.pushed += built.versions;
      ++report_.push_batches;
    }
    PRESENTIE_RETURN_IF_ERROR(store_.AcknowledgeBatch(remote_, batch.idempotency_id));
    Report("push", report_.pushed, report_.bytes_sent + report_.bytes_received);
    return Status::Ok();
  }

  // Whether a built batch is within what the server said in hello it takes.
  bool Fits(const BuiltPush& built) const {
    return built.versions <= push_batch_ &&
           (server_max_compressed_ == 0 || built.body.size() <= server_max_compressed_);
  }

  // Sends a stored batch. A batch the server cannot take (413: it lowered its
  // limits, or the body inflates past them) would be refused forever under
  // its id, so it is dropped unsent (the pushed cursor stays) and its range
  // goes out again in batches of half the size. A batch of one version that
  // is too large is an error: there is nothing left to split.
  Status SendOrSplit(const Store::PendingBatch& batch, const BuiltPush& built) {
    Status sent = Send(batch, built);
    if (sent.ok() || session_.last_http_status() != 413 || built.versions <= 1) return sent;
    PRESENTIE_RETURN_IF_ERROR(store_.DropPendingBatch(remote_, batch.idempotency_id));
    push_batch_ = std::max<uint32_t>(1, static_cast<uint32_t>(built.versions / 2));
    return Status::Ok();
  }

  Status Push() {
    // A batch left by a sync that stopped: exactly that range, that id —
    // unless the server now takes less than it holds (it lowered its limits
    // since): then it was never accepted, and its range is re-split below.
    PRESENTIE_ASSIGN_OR_RETURN(std::optional<Store::PendingBatch> pending,
                               store_.GetPendingBatch(remote_));
    if (pending) {
      PRESENTIE_ASSIGN_OR_RETURN(BuiltPush built, Build(*pending));
      if (built.versions > 0 && !Fits(built)) {
        PRESENTIE_RETURN_IF_ERROR(store_.DropPendingBatch(remote_, pending->idempotency_id));
      } else {
        PRESENTIE_RETURN_IF_ERROR(SendOrSplit(*pending, built));
      }
    }
    for (;;) {
      PRESENTIE_ASSIGN_OR_RETURN(Store::RemoteCursor cursor, store_.GetCursor(remote_));
      PRESENTIE_ASSIGN_OR_RETURN(std::vector<Change> changes,
                                 store_.ChangesAfter(cursor.pushed, static_cast<int>(push_batch_)));
      if (changes.empty()) return Status::Ok();
      Store::PendingBatch batch;
      PRESENTIE_ASSIGN_OR_RETURN(batch.idempotency_id, RandomId());
      batch.first_seq = changes.front().seq;
      // Shrink the range until its body fits the server's stated limit; only
      // before the batch is stored, since afterwards its range is fixed.
      size_t n = changes.size();
      BuiltPush built;
      for (;;) {
        batch.last_seq = changes[n - 1].seq;
        PRESENTIE_ASSIGN_OR_RETURN(built, Build(batch));
        if (server_max_compressed_ == 0 || built.body.size() <= server_max_compressed_ || n == 1) {
          break;
        }
        n = (n + 1) / 2;
      }
      PRESENTIE_RETURN_IF_ERROR(store_.PutPendingBatch(remote_, batch));
      PRESENTIE_RETURN_IF_ERROR(SendOrSplit(batch, built));
    }
  }

  // One pull request and its decoded page. Runs on the prefetch thread: it
  // touches only the session (whose byte counters nobody else reads while a
  // fetch is in flight), the transport (which nobody else uses then) and
  // the pull session's dictionary (which only fetches use, one after the
  // other: each starts after the previous one's result was taken).
  Result<PullResponse> FetchPage(int64_t after) {
    PullRequest request;
    request.after_seq = after;
    request.limit = options_.pull_page_versions;
    request.use_session = true;
    request.session_id = pull_dictionary_.session_id;
    request.session_strings = static_cast<uint32_t>(pull_dictionary_.strings.size());
    PRESENTIE_ASSIGN_OR_RETURN(std::string body, EncodePullRequest(request));
    PRESENTIE_ASSIGN_OR_RETURN(std::string reply, session_.Call("/v1/pull", body));
    return DecodeReply(DecodePullPage(reply, session_.limits(), &pull_dictionary_), "/v1/pull");
  }

  // FetchPage(after) on another thread; when no thread can be made, it runs
  // here at get() instead, one page after the other.
  std::future<Result<PullResponse>> StartFetch(int64_t after) {
    auto fetch = [this, after] { return FetchPage(after); };
    try {
      return std::async(std::launch::async, fetch);
    } catch (const std::system_error&) {
      return std::async(std::launch::deferred, fetch);
    }
  }

  // Pages are fetched one ahead: while page k is applied here, page k+1 is
  // requested, served and decoded on another thread, so the server's time
  // and the decoding overlap the local apply. The cursor still advances only
  // with an applied page; a prefetched page that is never applied (an error,
  // a kill) is simply asked for again next time.
  Status Pull() {
    PRESENTIE_ASSIGN_OR_RETURN(Store::RemoteCursor cursor, store_.GetCursor(remote_));
    int64_t after = cursor.pulled;
    std::future<Result<PullResponse>> next = StartFetch(after);
    for (;;) {
      Result<PullResponse> fetched = next.get();
      // No fetch is in flight from here until the next StartFetch: the
      // session's counters may be read.
      const uint64_t bytes = report_.bytes_sent + report_.bytes_received;
      PRESENTIE_RETURN_IF_ERROR(fetched.status());
      PullResponse page = std::move(fetched).value();
      if (page.next_seq < after) {
        return InvalidArgument("/v1/pull: the server's cursor went back from " +
                               std::to_string(after) + " to " + std::to_string(page.next_seq));
      }
      if (page.more && page.next_seq == after && page.versions.empty()) {
        return InvalidArgument("/v1/pull: the server promised more but made no progress");
      }
      if (page.more) {
        const int64_t following = page.next_seq;
        next = StartFetch(following);
      }
      // An empty page that does not move the cursor writes nothing, so a
      // sync with nothing new leaves the register as it was. (On an error
      // here, `next`'s destructor waits for the prefetch before returning.)
      if (!page.versions.empty() || page.next_seq != after) {
        Store::ApplyOptions apply;
        apply.pull_cursor = page.next_seq;
        // A hub held each version's counters to what it had seen when the
        // version reached it; an authority's versions are checked here.
        apply.from_hub = report_.remote_role == Role::kHub;
        PRESENTIE_ASSIGN_OR_RETURN(Store::ApplyResult result,
                                   store_.ApplyRemote(remote_, page.versions, apply));
        report_.pulled += page.versions.size();
        report_.accepted += result.accepted;
        report_.duplicate += result.duplicate;
        report_.dominated += result.dominated;
        report_.refused_here += result.refused;
        report_.skewed += result.skewed;
        ++report_.pull_pages;
        after = page.next_seq;
        Report("pull", report_.pulled, bytes);
      }
      if (!page.more) return Status::Ok();
    }
  }

  void Report(const char* phase, uint64_t versions, uint64_t bytes) {
    if (!progress_) return;
    SyncProgress p;
    p.phase = phase;
    p.versions = versions;
    p.bytes = bytes;
    progress_(p);
  }

  Store& store_;
  const SyncOptions& options_;
  const std::function<void(const SyncProgress&)>& progress_;
  SyncReport report_;
  Session session_;
  std::string remote_;
  uint32_t push_batch_ = 1;
  uint64_t server_max_compressed_ = 0;
  // The strings of this sync's pull session (docs/sync.md, "Pull sessions"):
  // at most kMaxSessionStrings, about 65,000 (4 MiB) for a pull of 1M
  // real-shaped attendance versions; gone with the engine.
  PullDictionary pull_dictionary_;
};

}  // namespace

Result<SyncReport> SyncWith(storage::Store& store, Transport& transport, const SyncOptions& options,
                            const std::function<void(const SyncProgress&)>& progress) {
  Engine engine(store, transport, options, progress);
  return engine.Run();
}

}  // namespace presentie::sync
