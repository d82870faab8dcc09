// The sync codec: presentie's messages (sync/messages.h) to and from HTTP
// bodies, which are Protocol Buffers (sync/proto/presentie/sync/v1/sync.proto)
// compressed with zstd. docs/sync.md, "Wire and codec", explains the layout.
//
// Decoding is for bytes from the network: every size is bounded before the
// work it bounds (compressed size, then the frame's declared size and window,
// then the actual output while it is produced, then the number of records and
// fields before any message is built), and everything converted is validated.
// A failure is a typed CodecError, so a server can answer 413 or 400.
//
// Thread-safety: every function is safe to call from several threads at once.
#ifndef PRESENTIE_SYNC_CODEC_H_
#define PRESENTIE_SYNC_CODEC_H_

#include <cassert>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"
#include "storage/versioned.h"
#include "sync/messages.h"

namespace presentie::sync {

inline constexpr size_t kMiB = size_t{1} << 20;

// What a decoder accepts. The defaults are the server's and the client's;
// tests and small devices may lower them.
struct Limits {
  size_t max_compressed_bytes = 8 * kMiB;     // a body as received
  size_t max_decompressed_bytes = 64 * kMiB;  // the same body after zstd
  size_t max_records_per_batch = 50'000;      // versions in one batch, both forms together
  // zstd keeps 2^max_window_log bytes of history while decoding; a frame
  // that asks for more is refused. 23 (8 MiB) covers every level <= 19.
  int max_window_log = 23;
  // Parsed elements (sub-messages, strings, repeated numbers) per version,
  // besides its version vector, on average over a batch: bounds the memory
  // parsing takes before it starts. A version has 13 to 20 (and one more per
  // vector entry whose replica id the column form's dictionary holds). Its
  // vector, two elements an entry, is bounded per version instead: at most
  // kMaxVersionVectorEntries entries (core/version_vector.h), so a batch of
  // valid versions is never refused for the size of their vectors, and a
  // version at the bound fits alone in a batch at this limit's lowest
  // setting.
  size_t max_elements_per_record = 64;
};

// Why a body was refused. Stable: servers map these to HTTP statuses.
enum class CodecError {
  kOk,
  kTooLarge,        // compressed body, or its element count, over the limit
  kBomb,            // decompresses (or declares it would) to more than the limit,
                    // or needs a larger zstd window
  kTooManyRecords,  // more versions in a batch than the limit
  kMalformed,       // not zstd, truncated, not the message, or fails validation
};
std::string_view ToString(CodecError e);  // "too_large", "bomb", ...
// True for the errors a server answers with 413 (kTooLarge, kBomb,
// kTooManyRecords); kMalformed is a 400.
bool IsTooLarge(CodecError e);

struct CodecFailure {
  CodecError error = CodecError::kMalformed;
  std::string message;  // for a person and a log; never personal data
};

// A value, or a CodecError with a Status (always kInvalidArgument) whose
// message says what was wrong. Accessing the value of a failure is a
// programmer error (asserted).
template <typename T>
class [[nodiscard]] CodecResult {
 public:
  CodecResult(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  CodecResult(CodecFailure failure)                   // NOLINT
      : error_(failure.error), status_(InvalidArgument(std::move(failure.message))) {
    assert(error_ != CodecError::kOk && "CodecResult from kOk");
  }

  bool ok() const { return error_ == CodecError::kOk; }
  CodecError error() const { return error_; }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  // The same outcome as a Result<T>, for callers that need no error code.
  Result<T> ToResult() && {
    if (ok()) return std::move(*value_);
    return status_;
  }

 private:
  CodecError error_ = CodecError::kOk;
  Status status_;
  std::optional<T> value_;
};

// --- zstd ------------------------------------------------------------------

// zstd's own default; levels 1..19 keep the window within max_window_log's
// default, so Compress clamps to that range.
inline constexpr int kDefaultZstdLevel = 3;

// One zstd frame that declares its content size and carries a checksum.
// kInternal only if zstd fails (out of memory).
Result<std::string> Compress(std::string_view bytes, int level = kDefaultZstdLevel);
// Exactly one zstd frame, nothing after it. Refuses, before the work each
// bounds: more than max_compressed_bytes of input (kTooLarge); a frame that
// declares more than max_decompressed_bytes (kBomb); then, while streaming,
// a window over max_window_log (kBomb) and output that would pass
// max_decompressed_bytes whatever the frame declared (kBomb). Not zstd,
// truncated, a bad checksum or trailing bytes: kMalformed.
CodecResult<std::string> Decompress(std::string_view compressed, const Limits& limits);

// --- Batches -----------------------------------------------------------------

enum class BatchLayout {
  // Every version as one message. Simple; about 21 bytes per attendance
  // version after zstd.
  kPlain,
  // Attendance versions column by column (dictionary-coded strings,
  // delta-coded clocks, packed numbers); other kinds as in kPlain. A
  // decoder returns the plain versions first, then the attendance ones,
  // each in the order given.
  kColumns,
};

// The uncompressed VersionBatch. kInvalidArgument (naming the version by
// index and record id) when a version would not pass DecodeBatch: an id that
// is not a record key or does not match its parts, an invalid replica id, an
// empty version vector, a zero counter, a counter above kMaxCounter or more
// than kMaxVersionVectorEntries entries, text that is not UTF-8, a date that
// does not exist.
Result<std::string> EncodeBatch(std::span<const storage::VersionedRecord> versions,
                                BatchLayout layout);
// Parses and validates an uncompressed VersionBatch (no zstd; for tests,
// tools and measurements). Enum names must be canonical, ids record keys,
// replica ids valid, version vectors non-empty, strictly sorted, non-zero,
// within the bounds of core/version_vector.h (each version's apart: one
// version that breaks them is named, kMalformed), dictionary indexes in
// range and columns of equal length.
CodecResult<std::vector<storage::VersionedRecord>> DecodeBatch(std::string_view bytes,
                                                               const Limits& limits);

// --- Pull sessions -------------------------------------------------------------
//
// A pull session's dictionary (docs/sync.md, "Pull sessions"): the strings of
// the attendance columns that a server has sent in one sync's pages, so that
// a later page names them by index instead of sending them again. Free text
// (notes) never joins it.

// The most strings one session's dictionary may hold. Permanent bound of the
// protocol: a client refuses a page that would grow its copy past it.
inline constexpr size_t kMaxSessionStrings = 262'144;

// The server's side: each string it sent in the session, with its index.
// Not thread-safe: one request at a time uses it.
class SessionIndex {
 public:
  // `max_strings` (<= kMaxSessionStrings) and `max_bytes` bound what it keeps;
  // strings past either travel in their page only.
  explicit SessionIndex(size_t max_strings = kMaxSessionStrings, size_t max_bytes = 16 * kMiB);
  size_t size() const { return index_.size(); }
  size_t bytes() const { return bytes_; }  // of the strings held
  // The index of `s`, if the session holds it.
  std::optional<uint32_t> Find(std::string_view s) const;
  // Adds `s` (not yet held) at index size(); false when full.
  bool Add(std::string_view s);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  size_t max_strings_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> index_;
};

// The client's side: the strings, by index, of the session it pulls in.
// Kept for one sync; not thread-safe.
struct PullDictionary {
  std::string session_id;            // "" before the first page of a session
  std::vector<std::string> strings;  // at most kMaxSessionStrings
};

// --- Bodies: what travels in an HTTP request or response ---------------------

struct EncodeOptions {
  BatchLayout layout = BatchLayout::kColumns;
  int zstd_level = kDefaultZstdLevel;
};

// Encoding fails (kInvalidArgument) only on what EncodeBatch refuses, or on a
// field the message's comment in sync/messages.h rules out.
Result<std::string> EncodeHelloRequest(const HelloRequest& m, const EncodeOptions& o = {});
Result<std::string> EncodeHelloResponse(const HelloResponse& m, const EncodeOptions& o = {});
Result<std::string> EncodePushRequest(const PushRequest& m, const EncodeOptions& o = {});
Result<std::string> EncodePushResponse(const PushResponse& m, const EncodeOptions& o = {});
Result<std::string> EncodePullRequest(const PullRequest& m, const EncodeOptions& o = {});
// With `session` (m.session_id must then be set), the attendance columns name the
// strings `session` holds by index, and the strings it does not yet hold are
// added to it (while it has room) and sent once, as the batch's shared
// strings; notes stay in the page. Without, every page carries its own
// dictionary, as before pull sessions.
Result<std::string> EncodePullResponse(const PullResponse& m, const EncodeOptions& o = {},
                                       SessionIndex* session = nullptr);
Result<std::string> EncodeErrorReply(const ErrorReply& m, const EncodeOptions& o = {});

// Decompresses (Decompress), bounds, parses and validates a body. An error
// reply's unknown code is kUnknown, not a failure: a newer server's error
// must still reach the person.
CodecResult<HelloRequest> DecodeHelloRequest(std::string_view body, const Limits& limits);
CodecResult<HelloResponse> DecodeHelloResponse(std::string_view body, const Limits& limits);
CodecResult<PushRequest> DecodePushRequest(std::string_view body, const Limits& limits);
CodecResult<PushResponse> DecodePushResponse(std::string_view body, const Limits& limits);
CodecResult<PullRequest> DecodePullRequest(std::string_view body, const Limits& limits);
CodecResult<PullResponse> DecodePullResponse(std::string_view body, const Limits& limits);
// DecodePullResponse for a client that keeps a pull session's `dictionary`:
// a page of the session it holds may name its strings (the batch's `base`
// must equal how many it holds); a page of another session starts anew and
// a page of none ends it (`dictionary` is emptied). On success the page's
// shared strings are appended; on a failure `dictionary` is unchanged.
// Refused as kMalformed, besides what DecodePullResponse refuses: a base
// other than the strings held (DecodePullResponse: other than 0), more
// shared strings than the page sends, a dictionary that would pass
// kMaxSessionStrings.
CodecResult<PullResponse> DecodePullPage(std::string_view body, const Limits& limits,
                                         PullDictionary* dictionary);
CodecResult<ErrorReply> DecodeErrorReply(std::string_view body, const Limits& limits);

}  // namespace presentie::sync

#endif  // PRESENTIE_SYNC_CODEC_H_
