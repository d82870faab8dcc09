// The codec's order of work for a received body, each step bounded before it
// runs:
//   1. the compressed size (nothing read yet);
//   2. the frame header: its declared content size and its window;
//   3. streaming decompression into a buffer that never grows past the
//      limit, whatever the header said (a frame may omit its size or lie);
//   4. a scan of the protobuf wire format that counts versions and parsed
//      elements, so the record limit and parsing memory are checked before
//      a single message is built;
//   5. the parse, into an arena;
//   6. conversion to presentie's types, validating every field.
#include "sync/codec.h"

#include <google/protobuf/arena.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <memory>

#include "core/ids.h"
#include "core/utf8.h"
#include "core/version_vector.h"
#include "presentie/sync/v1/sync.pb.h"
#include "sync/internal/convert.h"
#include "sync/internal/wire_scan.h"

namespace presentie::sync {
namespace {

namespace pb = ::presentie::sync::v1;
using google::protobuf::Arena;
using storage::VersionedRecord;

// Elements every message may hold besides its versions' (a hello's fields,
// a batch's own, a small dictionary): the parsing budget of a message
// without versions.
constexpr size_t kBaseElements = 256;

CodecFailure Malformed(std::string message) {
  return CodecFailure{CodecError::kMalformed, std::move(message)};
}

struct DCtxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};
struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

CodecFailure ZstdFailure(size_t code, const Limits& limits) {
  if (ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge) {
    return CodecFailure{CodecError::kBomb, "zstd frame needs a window larger than 2^" +
                                               std::to_string(limits.max_window_log) + " bytes"};
  }
  return Malformed(std::string("body is not a valid zstd frame (") + ZSTD_getErrorName(code) + ")");
}

// Steps 4 and 5: bound, then parse `bytes` into `msg`.
template <typename Proto>
std::optional<CodecFailure> BoundAndParse(std::string_view bytes, const Limits& limits,
                                          Proto* msg) {
  internal::WireCounts counts;
  if (Status s = internal::ScanWire(bytes, Proto::descriptor(), &counts); !s.ok()) {
    return Malformed(s.message());
  }
  const size_t records = counts.plain_versions + counts.column_versions;
  if (records > limits.max_records_per_batch) {
    return CodecFailure{CodecError::kTooManyRecords,
                        "batch holds " + std::to_string(records) + " versions, more than the " +
                            "limit of " + std::to_string(limits.max_records_per_batch)};
  }
  // Version vectors apart: each version's is bounded by itself (at most
  // kMaxVersionVectorEntries entries of two elements), so a batch of valid
  // versions never passes this however large their vectors are; the rest
  // by the average budget, which grows by one element per entry for the
  // replica id an entry may bring into the column form's dictionary.
  const size_t vv_budget = records * 2 * kMaxVersionVectorEntries;
  if (counts.vv_elements > vv_budget) {
    return CodecFailure{CodecError::kTooLarge,
                        "body's version vectors hold " + std::to_string(counts.vv_elements) +
                            " fields, more than " + std::to_string(records) +
                            " versions of at most " + std::to_string(kMaxVersionVectorEntries) +
                            " entries may (" + std::to_string(vv_budget) + ")"};
  }
  const size_t others = counts.elements - counts.vv_elements;
  const size_t budget =
      records * limits.max_elements_per_record + kBaseElements + counts.vv_elements / 2;
  if (others > budget) {
    return CodecFailure{
        CodecError::kTooLarge,
        "body holds " + std::to_string(others) + " fields besides its version vectors, more than " +
            std::to_string(records) + " versions may (" + std::to_string(budget) + ")"};
  }
  if (!msg->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Malformed("body is not a valid " + Proto::descriptor()->name() + " message");
  }
  return std::nullopt;
}

// Steps 1 to 5 for a whole body.
template <typename Proto>
std::optional<CodecFailure> OpenBody(std::string_view body, const Limits& limits, Proto* msg) {
  CodecResult<std::string> bytes = Decompress(body, limits);
  if (!bytes.ok()) return CodecFailure{bytes.error(), bytes.status().message()};
  return BoundAndParse(*bytes, limits, msg);
}

Result<std::string> Seal(const google::protobuf::MessageLite& msg, const EncodeOptions& o) {
  std::string bytes;
  if (!msg.SerializeToString(&bytes)) return Internal("could not serialize a message");
  return Compress(bytes, o.zstd_level);
}

CodecResult<std::vector<VersionedRecord>> BatchFromProto(
    const pb::VersionBatch& batch, const std::vector<std::string>* session = nullptr) {
  std::vector<VersionedRecord> out;
  if (Status s = internal::FromProto(batch, &out, session); !s.ok()) return Malformed(s.message());
  return out;
}

pb::Error::Code ToProto(ErrorCode c) {
  switch (c) {
    case ErrorCode::kUnknown:
      return pb::Error::CODE_UNSPECIFIED;
    case ErrorCode::kBadRequest:
      return pb::Error::CODE_BAD_REQUEST;
    case ErrorCode::kUnauthenticated:
      return pb::Error::CODE_UNAUTHENTICATED;
    case ErrorCode::kForbidden:
      return pb::Error::CODE_FORBIDDEN;
    case ErrorCode::kTooLarge:
      return pb::Error::CODE_TOO_LARGE;
    case ErrorCode::kIdempotencyMismatch:
      return pb::Error::CODE_IDEMPOTENCY_MISMATCH;
    case ErrorCode::kUnsupportedProtocol:
      return pb::Error::CODE_UNSUPPORTED_PROTOCOL;
    case ErrorCode::kInternal:
      return pb::Error::CODE_INTERNAL;
    case ErrorCode::kUnavailable:
      return pb::Error::CODE_UNAVAILABLE;
  }
  return pb::Error::CODE_UNSPECIFIED;
}

ErrorCode FromProto(int code) {
  switch (code) {
    case pb::Error::CODE_BAD_REQUEST:
      return ErrorCode::kBadRequest;
    case pb::Error::CODE_UNAUTHENTICATED:
      return ErrorCode::kUnauthenticated;
    case pb::Error::CODE_FORBIDDEN:
      return ErrorCode::kForbidden;
    case pb::Error::CODE_TOO_LARGE:
      return ErrorCode::kTooLarge;
    case pb::Error::CODE_IDEMPOTENCY_MISMATCH:
      return ErrorCode::kIdempotencyMismatch;
    case pb::Error::CODE_UNSUPPORTED_PROTOCOL:
      return ErrorCode::kUnsupportedProtocol;
    case pb::Error::CODE_INTERNAL:
      return ErrorCode::kInternal;
    case pb::Error::CODE_UNAVAILABLE:
      return ErrorCode::kUnavailable;
    default:
      return ErrorCode::kUnknown;
  }
}

Status NonNegative(int64_t v, std::string_view field) {
  if (v >= 0) return Status::Ok();
  return InvalidArgument(std::string(field) + " is negative");
}

Status CheckHelloResponse(const HelloResponse& m) {
  if (m.protocol_version == 0) return InvalidArgument("protocol version is 0");
  PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(m.replica_id).WithContext("server replica id"));
  if (m.role == Role::kGemeente) {
    PRESENTIE_RETURN_IF_ERROR(ValidateGemeenteCode(m.gemeente_code).WithContext("gemeente_code"));
  } else if (!m.gemeente_code.empty()) {
    return InvalidArgument("gemeente_code is set for a server that is no gemeente");
  }
  return NonNegative(m.last_seq, "last_seq");
}

Status CheckSessionId(std::string_view id) {
  if (id.size() <= kMaxSessionIdBytes) return Status::Ok();
  return InvalidArgument("session id is longer than " + std::to_string(kMaxSessionIdBytes) +
                         " bytes");
}

Status CheckPushRange(const PushRequest& m) {
  PRESENTIE_RETURN_IF_ERROR(ValidateIdempotencyId(m.idempotency_id));
  PRESENTIE_RETURN_IF_ERROR(NonNegative(m.client_first_seq, "client_first_seq"));
  if (m.client_last_seq < m.client_first_seq) {
    return InvalidArgument("client_last_seq is before client_first_seq");
  }
  return Status::Ok();
}

}  // namespace

std::string_view ToString(CodecError e) {
  switch (e) {
    case CodecError::kOk:
      return "ok";
    case CodecError::kTooLarge:
      return "too_large";
    case CodecError::kBomb:
      return "bomb";
    case CodecError::kTooManyRecords:
      return "too_many_records";
    case CodecError::kMalformed:
      return "malformed";
  }
  return "unknown";
}

bool IsTooLarge(CodecError e) {
  return e == CodecError::kTooLarge || e == CodecError::kBomb || e == CodecError::kTooManyRecords;
}

// --- zstd ----------------------------------------------------------------------

Result<std::string> Compress(std::string_view bytes, int level) {
  // Levels above 19 ask for windows of 32 MiB and more, which decoders with
  // the default limits refuse.
  level = std::clamp(level, ZSTD_minCLevel(), 19);
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
  if (cctx == nullptr) return Internal("zstd: cannot create a compression context");
  // The content size goes into the frame header (ZSTD_compress2 knows it),
  // so a receiver can refuse an oversized body before decoding any of it; the
  // checksum catches a body damaged on the way.
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), bytes.data(), bytes.size());
  if (ZSTD_isError(n)) return Internal(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

CodecResult<std::string> Decompress(std::string_view compressed, const Limits& limits) {
  if (compressed.size() > limits.max_compressed_bytes) {
    return CodecFailure{CodecError::kTooLarge, "body is " + std::to_string(compressed.size()) +
                                                   " bytes, more than the limit of " +
                                                   std::to_string(limits.max_compressed_bytes)};
  }
  const unsigned long long declared =
      ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR) return Malformed("body is not a zstd frame");
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > limits.max_decompressed_bytes) {
    return CodecFailure{CodecError::kBomb, "zstd frame declares " + std::to_string(declared) +
                                               " bytes, more than the limit of " +
                                               std::to_string(limits.max_decompressed_bytes)};
  }

  std::unique_ptr<ZSTD_DCtx, DCtxDeleter> dctx(ZSTD_createDCtx());
  if (dctx == nullptr) return Malformed("zstd: cannot create a decompression context");
  const ZSTD_bounds bounds = ZSTD_dParam_getBounds(ZSTD_d_windowLogMax);
  const int window_log = std::clamp(limits.max_window_log, bounds.lowerBound, bounds.upperBound);
  ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, window_log);

  std::string out;
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN) out.reserve(static_cast<size_t>(declared));
  // zstd writes into a small scratch buffer; only what fits under the limit
  // is ever appended, so `out` cannot grow past it even if the header lied.
  std::string scratch(ZSTD_DStreamOutSize(), '\0');
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  for (;;) {
    ZSTD_outBuffer o{scratch.data(), scratch.size(), 0};
    const size_t ret = ZSTD_decompressStream(dctx.get(), &o, &in);
    if (ZSTD_isError(ret)) return ZstdFailure(ret, limits);
    if (o.pos > limits.max_decompressed_bytes - out.size()) {
      return CodecFailure{CodecError::kBomb, "zstd frame decompresses to more than the limit of " +
                                                 std::to_string(limits.max_decompressed_bytes) +
                                                 " bytes"};
    }
    if (out.size() + o.pos > out.capacity()) {
      // Grow by doubling, but never reserve past the limit.
      out.reserve(std::min(limits.max_decompressed_bytes,
                           std::max(out.size() + o.pos, 2 * out.capacity())));
    }
    out.append(scratch.data(), o.pos);
    if (ret == 0) {
      if (in.pos != in.size) return Malformed("body has bytes after its zstd frame");
      return out;
    }
    // zstd stops short of a full output buffer only when it needs input.
    if (in.pos == in.size && o.pos < o.size) return Malformed("zstd frame is truncated");
  }
}

// --- Batches ---------------------------------------------------------------------

Result<std::string> EncodeBatch(std::span<const VersionedRecord> versions, BatchLayout layout) {
  Arena arena;
  auto* batch = Arena::CreateMessage<pb::VersionBatch>(&arena);
  PRESENTIE_RETURN_IF_ERROR(internal::ToProto(versions, layout, batch));
  std::string bytes;
  if (!batch->SerializeToString(&bytes)) return Internal("could not serialize a batch");
  return bytes;
}

CodecResult<std::vector<VersionedRecord>> DecodeBatch(std::string_view bytes,
                                                      const Limits& limits) {
  if (bytes.size() > limits.max_decompressed_bytes) {
    return CodecFailure{CodecError::kTooLarge, "batch is larger than the decompressed limit"};
  }
  Arena arena;
  auto* batch = Arena::CreateMessage<pb::VersionBatch>(&arena);
  if (auto failure = BoundAndParse(bytes, limits, batch)) return *failure;
  return BatchFromProto(*batch);
}

// --- Pull sessions -------------------------------------------------------------------

SessionIndex::SessionIndex(size_t max_strings, size_t max_bytes)
    : max_strings_(std::min(max_strings, kMaxSessionStrings)), max_bytes_(max_bytes) {}

std::optional<uint32_t> SessionIndex::Find(std::string_view s) const {
  auto it = index_.find(s);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

bool SessionIndex::Add(std::string_view s) {
  if (index_.size() >= max_strings_ || s.size() > max_bytes_ - bytes_) return false;
  index_.emplace(std::string(s), static_cast<uint32_t>(index_.size()));
  bytes_ += s.size();
  return true;
}

// --- Bodies ------------------------------------------------------------------------

Result<std::string> EncodeHelloRequest(const HelloRequest& m, const EncodeOptions& o) {
  if (m.protocol_version == 0) return InvalidArgument("protocol version is 0");
  PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(m.replica_id).WithContext("client replica id"));
  pb::HelloRequest p;
  p.set_protocol_version(m.protocol_version);
  p.set_replica_id(m.replica_id);
  return Seal(p, o);
}

CodecResult<HelloRequest> DecodeHelloRequest(std::string_view body, const Limits& limits) {
  Arena arena;
  auto* p = Arena::CreateMessage<pb::HelloRequest>(&arena);
  if (auto failure = OpenBody(body, limits, p)) return *failure;
  HelloRequest m{p->protocol_version(), p->replica_id()};
  if (m.protocol_version == 0) return Malformed("protocol version is 0");
  if (Status s = ValidateReplicaId(m.replica_id); !s.ok()) {
    return Malformed("client " + s.message());
  }
  return m;
}

Result<std::string> EncodeHelloResponse(const HelloResponse& m, const EncodeOptions& o) {
  PRESENTIE_RETURN_IF_ERROR(CheckHelloResponse(m));
  pb::HelloResponse p;
  p.set_protocol_version(m.protocol_version);
  p.set_replica_id(m.replica_id);
  p.set_role(internal::ToProto(m.role));
  p.set_client_role(internal::ToProto(m.client_role));
  p.set_last_seq(m.last_seq);
  p.set_max_compressed_bytes(m.max_compressed_bytes);
  p.set_max_decompressed_bytes(m.max_decompressed_bytes);
  p.set_max_records_per_batch(m.max_records_per_batch);
  p.set_gemeente_code(m.gemeente_code);
  return Seal(p, o);
}

CodecResult<HelloResponse> DecodeHelloResponse(std::string_view body, const Limits& limits) {
  Arena arena;
  auto* p = Arena::CreateMessage<pb::HelloResponse>(&arena);
  if (auto failure = OpenBody(body, limits, p)) return *failure;
  HelloResponse m;
  m.protocol_version = p->protocol_version();
  m.replica_id = p->replica_id();
  Result<Role> role = internal::FromProto(p->role(), "server role");
  if (!role.ok()) return Malformed(role.status().message());
  m.role = *role;
  Result<Role> client_role = internal::FromProto(p->client_role(), "client role");
  if (!client_role.ok()) return Malformed(client_role.status().message());
  m.client_role = *client_role;
  m.last_seq = p->last_seq();
  m.max_compressed_bytes = p->max_compressed_bytes();
  m.max_decompressed_bytes = p->max_decompressed_bytes();
  m.max_records_per_batch = p->max_records_per_batch();
  m.gemeente_code = p->gemeente_code();
  if (Status s = CheckHelloResponse(m); !s.ok()) return Malformed(s.message());
  return m;
}

Result<std::string> EncodePushRequest(const PushRequest& m, const EncodeOptions& o) {
  PRESENTIE_RETURN_IF_ERROR(CheckPushRange(m));
  Arena arena;
  auto* p = Arena::CreateMessage<pb::PushRequest>(&arena);
  p->set_idempotency_id(m.idempotency_id);
  PRESENTIE_RETURN_IF_ERROR(internal::ToProto(m.versions, o.layout, p->mutable_batch()));
  p->set_client_first_seq(m.client_first_seq);
  p->set_client_last_seq(m.client_last_seq);
  return Seal(*p, o);
}

CodecResult<PushRequest> DecodePushRequest(std::string_view body, const Limits& limits) {
  Arena arena;
  auto* p = Arena::CreateMessage<pb::PushRequest>(&arena);
  if (auto failure = OpenBody(body, limits, p)) return *failure;
  PushRequest m;
  m.idempotency_id = p->idempotency_id();
  m.client_first_seq = p->client_first_seq();
  m.client_last_seq = p->client_last_seq();
  if (Status s = CheckPushRange(m); !s.ok()) return Malformed(s.message());
  CodecResult<std::vector<VersionedRecord>> versions = BatchFromProto(p->batch());
  if (!versions.ok()) return CodecFailure{versions.error(), versions.status().message()};
  m.versions = std::move(versions).value();
  return m;
}

Result<std::string> EncodePushResponse(const PushResponse& m, const EncodeOptions& o) {
  PRESENTIE_RETURN_IF_ERROR(NonNegative(m.acknowledged_seq, "acknowledged_seq"));
  pb::PushResponse p;
  p.set_accepted(m.accepted);
  p.set_duplicate(m.duplicate);
  p.set_dominated(m.dominated);
  p.set_refused(m.refused);
  p.set_acknowledged_seq(m.acknowledged_seq);
  return Seal(p, o);
}

CodecResult<PushResponse> DecodePushResponse(std::string_view body, const Limits& limits) {
  Arena arena;
  auto* p = Arena::CreateMessage<pb::PushResponse>(&arena);
  if (auto failure = OpenBody(body, limits, p)) return *failure;
  PushResponse m{p->accepted(), p->duplicate(), p->dominated(), p->refused(),
                 p->acknowledged_seq()};
  if (Status s = NonNegative(m.acknowledged_seq, "acknowledged_seq"); !s.ok()) {
    return Malformed(s.message());
  }
  return m;
}

Result<std::string> EncodePullRequest(const PullRequest& m, const EncodeOptions& o) {
  PRESENTIE_RETURN_IF_ERROR(NonNegative(m.after_seq, "after_seq"));
  PRESENTIE_RETURN_IF_ERROR(CheckSessionId(m.session_id));
  pb::PullRequest p;
  p.set_after_seq(m.after_seq);
  p.set_limit(m.limit);
  if (m.use_session) {
    p.mutable_session()->set_id(m.session_id);
    p.mutable_session()->set_strings(m.session_strings);
  }
  return Seal(p, o);
}

CodecResult<PullRequest> DecodePullRequest(std::string_view body, const Limits& limits) {
  Arena arena;
  auto* p = Arena::CreateMessage<pb::PullRequest>(&arena);
  if (auto failure = OpenBody(body, limits, p)) return *failure;
  PullRequest m;
  m.after_seq = p->after_seq();
  m.limit = p->limit();
  m.use_session = p->has_session();
  m.session_id = p->session().id();
  m.session_strings = p->session().strings();
  if (Status s = NonNegative(m.after_seq, "after_seq"); !s.ok()) return Malformed(s.message());
  if (Status s = CheckSessionId(m.session_id); !s.ok()) return Malformed(s.message());
  return m;
}

Result<std::string> EncodePullResponse(const PullResponse& m, const EncodeOptions& o,
                                       SessionIndex* session) {
  PRESENTIE_RETURN_IF_ERROR(NonNegative(m.next_seq, "next_seq"));
  PRESENTIE_RETURN_IF_ERROR(CheckSessionId(m.session_id));
  if (session != nullptr && m.session_id.empty()) {
    return InvalidArgument("a pull session's strings need its id");
  }
  Arena arena;
  auto* p = Arena::CreateMessage<pb::PullResponse>(&arena);
  PRESENTIE_RETURN_IF_ERROR(internal::ToProto(m.versions, o.layout, p->mutable_batch(), session));
  p->set_next_seq(m.next_seq);
  p->set_more(m.more);
  p->set_session_id(m.session_id);
  return Seal(*p, o);
}

CodecResult<PullResponse> DecodePullResponse(std::string_view body, const Limits& limits) {
  return DecodePullPage(body, limits, nullptr);
}

CodecResult<PullResponse> DecodePullPage(std::string_view body, const Limits& limits,
                                         PullDictionary* dictionary) {
  Arena arena;
  auto* p = Arena::CreateMessage<pb::PullResponse>(&arena);
  if (auto failure = OpenBody(body, limits, p)) return *failure;
  PullResponse m;
  m.next_seq = p->next_seq();
  m.more = p->more();
  m.session_id = p->session_id();
  if (Status s = NonNegative(m.next_seq, "next_seq"); !s.ok()) return Malformed(s.message());
  if (Status s = CheckSessionId(m.session_id); !s.ok()) return Malformed(s.message());
  // The strings this page may name: those of the session the client holds,
  // if the page goes on with it; none if it starts one or has none.
  static const std::vector<std::string> kNone;
  const std::vector<std::string>* held = nullptr;
  if (dictionary != nullptr && !m.session_id.empty()) {
    held = m.session_id == dictionary->session_id ? &dictionary->strings : &kNone;
  }
  const pb::AttendanceColumns& columns = p->batch().attendance();
  if (held != nullptr && held->size() + columns.shared() > kMaxSessionStrings) {
    return Malformed("attendance columns: the pull session would hold more than " +
                     std::to_string(kMaxSessionStrings) + " strings");
  }
  CodecResult<std::vector<VersionedRecord>> versions = BatchFromProto(p->batch(), held);
  if (!versions.ok()) return CodecFailure{versions.error(), versions.status().message()};
  m.versions = std::move(versions).value();
  if (dictionary != nullptr) {
    // A page without a session ends the one held: its strings are no use.
    if (m.session_id != dictionary->session_id) {
      dictionary->session_id = m.session_id;
      dictionary->strings.clear();
    }
    const int shared = m.session_id.empty() ? 0 : static_cast<int>(columns.shared());
    for (int i = 0; i < shared; ++i) {
      dictionary->strings.push_back(columns.strings(i));
    }
  }
  return m;
}

Result<std::string> EncodeErrorReply(const ErrorReply& m, const EncodeOptions& o) {
  if (!IsUtf8(m.message)) return InvalidArgument("error message is not valid UTF-8");
  pb::Error p;
  p.set_code(ToProto(m.code));
  p.set_message(m.message);
  return Seal(p, o);
}

CodecResult<ErrorReply> DecodeErrorReply(std::string_view body, const Limits& limits) {
  Arena arena;
  auto* p = Arena::CreateMessage<pb::Error>(&arena);
  if (auto failure = OpenBody(body, limits, p)) return *failure;
  return ErrorReply{FromProto(p->code()), p->message()};
}

}  // namespace presentie::sync
