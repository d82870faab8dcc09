// The sync protocol's messages in presentie's own terms (docs/sync.md, "Wire
// and codec"). The transport, the server and the engine use these; only the
// codec (sync/codec.h) knows their Protocol Buffers form.
//
// Plain values; a decoded message has passed the checks its comments name.
#ifndef PRESENTIE_SYNC_MESSAGES_H_
#define PRESENTIE_SYNC_MESSAGES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/status.h"
#include "storage/versioned.h"

namespace presentie::sync {

// The protocol version this program speaks. Permanent meaning: a version
// number, once released, always names the same protocol.
//   1  learner, course, enrollment, lesson, attendance
//   2  adds duo_hours and gemeente_hours (submissions to DUO and a
//      gemeente) and the hello's gemeente_code: a version-1 peer could not
//      read them, so this program speaks 2 only (README: update the hub and
//      the devices together)
inline constexpr uint32_t kProtocolVersion = 2;

// POST /v1/hello: who the client is.
struct HelloRequest {
  uint32_t protocol_version = kProtocolVersion;  // the highest the client speaks; >= 1
  std::string replica_id;                        // ValidateReplicaId
  bool operator==(const HelloRequest&) const = default;
};

// The server's answer: its identity, which the client's cursors belong to.
struct HelloResponse {
  uint32_t protocol_version = kProtocolVersion;  // >= 1
  std::string replica_id;                        // ValidateReplicaId
  Role role = Role::kHub;                        // the server's
  Role client_role = Role::kTeacher;             // the one the client's token maps to
  int64_t last_seq = 0;                          // the server's newest change; >= 0
  // The server's limits (sync/codec.h Limits); 0 when not stated.
  uint64_t max_compressed_bytes = 0;
  uint64_t max_decompressed_bytes = 0;
  uint32_t max_records_per_batch = 0;
  // A gemeente endpoint's CBS code (what it is sent is its own residents'
  // rows); "" for every other role. Protocol version 2.
  std::string gemeente_code;
  bool operator==(const HelloResponse&) const = default;
};

// POST /v1/push: a batch of the client's versions. The idempotency id is
// made once per batch and stored with it, so a retry carries the same id.
struct PushRequest {
  std::string idempotency_id;  // ValidateIdempotencyId
  std::vector<storage::VersionedRecord> versions;
  int64_t client_first_seq = 0;  // the client's change-log range; 0 <= first <= last
  int64_t client_last_seq = 0;
  bool operator==(const PushRequest&) const = default;
};

struct PushResponse {
  uint32_t accepted = 0;         // versions kept as siblings
  uint32_t duplicate = 0;        // already known
  uint32_t dominated = 0;        // already superseded
  uint32_t refused = 0;          // not the writer's to write
  int64_t acknowledged_seq = 0;  // the client may advance its push cursor to this; >= 0
  bool operator==(const PushResponse&) const = default;
};

// POST /v1/pull: the server's versions after a cursor, one page.
//
// A pull session (docs/sync.md, "Pull sessions") lets the server send the
// strings of the attendance columns (lesson and learner ids, writers) once
// per sync instead of once per page. It saves bytes only: a server that
// forgot the session starts a new one, and one that knows none answers
// without.
struct PullRequest {
  int64_t after_seq = 0;  // >= 0
  uint32_t limit = 0;     // at most this many versions; 0: the server's choice
  // Whether the client keeps a session's dictionary; older clients do not.
  bool use_session = false;
  // With use_session: the session of the previous page ("" for none yet;
  // at most kMaxSessionIdBytes) and how many of its strings the client holds.
  std::string session_id{};
  uint32_t session_strings = 0;
  bool operator==(const PullRequest&) const = default;
};

struct PullResponse {
  std::vector<storage::VersionedRecord> versions;
  int64_t next_seq = 0;  // the cursor after this page; >= 0
  bool more = false;     // another page follows
  // The pull session this page's dictionary belongs to (at most
  // kMaxSessionIdBytes); "" for none. Encoded with the session's strings
  // (sync/codec.h EncodePullResponse), never without them.
  std::string session_id{};
  bool operator==(const PullResponse&) const = default;
};

// The longest session id a request may name (a server makes them of 16
// random bytes). Permanent: a longer one is refused as malformed.
inline constexpr size_t kMaxSessionIdBytes = 64;

// The body of every non-2xx answer.
enum class ErrorCode {
  kUnknown,  // CODE_UNSPECIFIED, or a code newer than this program
  kBadRequest,
  kUnauthenticated,
  kForbidden,
  kTooLarge,
  kIdempotencyMismatch,  // an idempotency id reused with a different body
  kUnsupportedProtocol,
  kInternal,
  kUnavailable,
};
std::string_view ToString(ErrorCode c);  // "bad_request", ...

struct ErrorReply {
  ErrorCode code = ErrorCode::kUnknown;
  std::string message;  // for a person; never personal data
  bool operator==(const ErrorReply&) const = default;
};

// An idempotency id: 1 to 64 characters of [A-Za-z0-9_-] (a UUID, hex or
// base64url all fit). Permanent: servers store them.
Status ValidateIdempotencyId(std::string_view id);

}  // namespace presentie::sync

#endif  // PRESENTIE_SYNC_MESSAGES_H_
