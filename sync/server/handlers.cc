// The three endpoints: hello, push (with the checks of who may write what
// and where it may go) and pull.
#include "sync/server/http_server.h"

namespace presentie::sync::server_impl {

namespace {

// True when a body that failed to decode is a HelloRequest that states no
// protocol version (0: the field is absent) — a client of another protocol,
// told so rather than that its bytes are malformed.
bool StatesNoProtocolVersion(std::string_view body, const Limits& limits) {
  CodecResult<std::string> bytes = Decompress(body, limits);
  if (!bytes.ok()) return false;
  ::presentie::sync::v1::HelloRequest hello;
  return hello.ParseFromArray(bytes->data(), static_cast<int>(bytes->size())) &&
         hello.protocol_version() == 0;
}

// Whether an authority of role `writer` writes records of `kind` and sends
// them back to the schools: what a school's admin relays to its hub.
bool SentBackBy(Role writer, storage::RecordKind kind) {
  using storage::RecordKind;
  switch (writer) {
    case Role::kGemeente:
      return kind == RecordKind::kGemeenteDecision || kind == RecordKind::kGemeentePip ||
             kind == RecordKind::kGemeenteNaw;
    case Role::kDuo:
      return kind == RecordKind::kDuoExamResult || kind == RecordKind::kDuoDuty;
    default:
      return false;
  }
}

}  // namespace

Answer HttpServer::Hello(const DeviceToken& device, std::string_view body) {
  CodecResult<HelloRequest> hello = DecodeHelloRequest(body, config_.limits);
  if (!hello.ok()) {
    if (hello.error() == CodecError::kMalformed && StatesNoProtocolVersion(body, config_.limits)) {
      return ErrorAnswer(400, ErrorCode::kUnsupportedProtocol,
                         "the hello states no protocol version; this server speaks " +
                             std::to_string(kMinProtocolVersion) + " to " +
                             std::to_string(kProtocolVersion));
    }
    return CodecErrorAnswer(hello.error(), hello.status());
  }
  if (hello->protocol_version < kMinProtocolVersion) {
    return ErrorAnswer(400, ErrorCode::kUnsupportedProtocol,
                       "protocol version " + std::to_string(hello->protocol_version) +
                           " is no longer spoken; this server speaks " +
                           std::to_string(kMinProtocolVersion) + " to " +
                           std::to_string(kProtocolVersion));
  }
  if (hello->replica_id != device.replica_id) {
    return ErrorAnswer(403, ErrorCode::kForbidden,
                       "this token belongs to another replica than the one in hello");
  }

  HelloResponse response;
  response.protocol_version = std::min(hello->protocol_version, kProtocolVersion);
  response.client_role = device.role;
  response.max_compressed_bytes = config_.limits.max_compressed_bytes;
  response.max_decompressed_bytes = config_.limits.max_decompressed_bytes;
  response.max_records_per_batch = static_cast<uint32_t>(
      std::min<size_t>(config_.limits.max_records_per_batch, std::numeric_limits<uint32_t>::max()));
  {
    MutexLock lock(&store_mu_);
    response.replica_id = store_->info().replica_id;
    response.role = store_->info().role;
    if (config_.role == Role::kGemeente) response.gemeente_code = config_.gemeente_code;
    Result<int64_t> last = store_->LastChangeSeq();
    if (!last.ok()) return StoreErrorAnswer(last.status());
    response.last_seq = *last;
  }
  return OkAnswer(EncodeHelloResponse(response));
}

// A teacher's or an admin's device pushes the versions it wrote, as what its
// token says it is: that replica, that role. Relaying others' versions is a
// hub's job. Without this check a device could claim the admin's role (or
// the gemeente's) for its own writes, or write under another device's
// replica, and the ownership rules (core/ownership.h), which take the
// writer's role from the version, would take its word for it.
Answer HttpServer::CheckWriters(const DeviceToken& device,
                                const std::vector<storage::VersionedRecord>& versions) {
  if (device.role != Role::kTeacher && device.role != Role::kAdmin) return Answer{};
  for (const storage::VersionedRecord& v : versions) {
    const Writer& w = v.stamp.writer;
    if (w.replica == device.replica_id && w.role == device.role) continue;
    // The admin's register pulls the gemeente's decisions, PIPs and NAW data and
    // DUO's exam results and duty statuses from their endpoints and relays
    // them to the hub, so that every device shows them. Versions are not
    // signed: the hub trusts the admin's device to relay only what it
    // pulled (docs/authorities.md), and still applies their ownership rules
    // (O.gemeente-decision-owner, O.pip-owner, O.naw-owner,
    // O.exam-result-owner, O.duty-owner).
    if (device.role == Role::kAdmin && SentBackBy(w.role, storage::KindOf(v.record))) continue;
    return ErrorAnswer(
        403, ErrorCode::kForbidden,
        "a version in this batch was written by replica " + w.replica + " as " +
            std::string(ToString(w.role)) + ", but this token is replica " + device.replica_id +
            " as " + std::string(ToString(device.role)) +
            ": a device pushes only what it wrote itself, as itself (only a hub relays); if this "
            "device's role changed, the hub's admin must issue it a token with that role");
  }
  return Answer{};
}

// An authority's endpoint takes only what R1 routes to it (core/routing.h,
// docs/authorities.md): DUO's, only DUO rows — never a learner, a lesson or
// an attendance, so no absence reason and no hours of a learner R1 keeps
// from DUO can reach it (the school's submit leaves those learners out, and
// a row of theirs would have to be forged). One version outside that refuses
// the whole batch.
Answer HttpServer::CheckRouted(const std::vector<storage::VersionedRecord>& versions) {
  if (config_.role == Role::kHub) return Answer{};
  for (size_t i = 0; i < versions.size(); ++i) {
    const storage::RecordKind kind = storage::KindOf(versions[i].record);
    const std::string id = storage::RecordIdOf(versions[i].record);
    if (SentTo(config_.role, config_.gemeente_code, kind, id)) continue;
    const std::string takes =
        config_.role == Role::kDuo
            ? "duo_hours, duo_absence, contract, invoice and the bridging_diploma addressed to "
              "DUO"
        : config_.role == Role::kBow
            ? "bow_planning and bow_qualification"
            : "the gemeente_hours, gemeente_absence and bridging_diploma of gemeente " +
                  config_.gemeente_code;
    std::string what = std::string(storage::ToString(kind));
    if (const std::string_view code = exports::GemeenteOfSubmissionId(id); !code.empty()) {
      what += ", of gemeente " + std::string(code);
    }
    return ErrorAnswer(403, ErrorCode::kForbidden,
                       "version " + std::to_string(i) + " (" + what + "): this " +
                           std::string(ToString(config_.role)) +
                           " endpoint takes only what the routing table R1 gives it (" + takes +
                           ")");
  }
  return Answer{};
}

Answer HttpServer::Push(const DeviceToken& device, std::string_view body) {
  // The request's hash is over the decompressed body, so a client may
  // re-compress a retried batch at another level. (The codec decompresses
  // it once more: it has no entry point for bytes already inflated.)
  std::string request_hash;
  {
    CodecResult<std::string> inflated = Decompress(body, config_.limits);
    if (!inflated.ok()) return CodecErrorAnswer(inflated.error(), inflated.status());
    request_hash = Hex(Sha256(*inflated));
  }

  CodecResult<PushRequest> push = DecodePushRequest(body, config_.limits);
  if (!push.ok()) return CodecErrorAnswer(push.error(), push.status());
  if (Answer forged = CheckWriters(device, push->versions); forged.status != 200) return forged;
  if (Answer unrouted = CheckRouted(push->versions); unrouted.status != 200) return unrouted;

  PushResponse response;
  {
    MutexLock lock(&store_mu_);
    ForgetOldAnswersIfDue();
    // The check and the apply are one step under the lock: two copies of a
    // batch sent at once apply once.
    auto known = store_->GetIdempotency(push->idempotency_id);
    if (!known.ok()) return StoreErrorAnswer(known.status());
    if (known->has_value()) {
      const storage::Store::IdempotencyRecord& record = **known;
      if (record.request_hash != request_hash) {
        return ErrorAnswer(409, ErrorCode::kIdempotencyMismatch,
                           "this idempotency id was used before for another batch");
      }
      response.accepted = record.result.accepted;
      response.duplicate = record.result.duplicate;
      response.dominated = record.result.dominated;
      response.refused = record.result.refused;
      response.acknowledged_seq = record.acknowledged_seq;
    } else {
      storage::Store::ApplyOptions options;
      options.idempotency = storage::Store::IdempotencyRecord{
          push->idempotency_id, request_hash, {}, push->client_last_seq};
      options.school = device.SchoolId();
      auto applied = store_->ApplyRemote(device.replica_id, push->versions, options);
      if (!applied.ok()) return StoreErrorAnswer(applied.status());
      response.accepted = applied->accepted;
      response.duplicate = applied->duplicate;
      response.dominated = applied->dominated;
      response.refused = applied->refused;
      response.acknowledged_seq = push->client_last_seq;
    }
  }
  return OkAnswer(EncodePushResponse(response));
}

Answer HttpServer::Pull(const DeviceToken& device, std::string_view body) {
  CodecResult<PullRequest> pull = DecodePullRequest(body, config_.limits);
  if (!pull.ok()) return CodecErrorAnswer(pull.error(), pull.status());

  size_t page = config_.max_pull_page;
  if (pull->limit != 0) page = std::min<size_t>(page, pull->limit);
  page = std::min(page, config_.limits.max_records_per_batch);

  PullResponse response;
  if (config_.role != Role::kHub) {
    // An authority serves a school only what is addressed to it: what it
    // decided about the school's absences and what it holds about the
    // people the school sent, under the school's own keys — read from the
    // school's outbox, so a pull costs what the school receives, whatever
    // the number of other schools (docs/authorities.md, "Many schools").
    Result<storage::Store::Addressed> addressed = [&] {
      MutexLock lock(&store_mu_);
      return store_->AddressedTo(device.SchoolId(), pull->after_seq, static_cast<int>(page));
    }();
    if (!addressed.ok()) {
      if (addressed.status().code() == StatusCode::kDataLoss) {
        t_trace.code = "stored_version_unreadable";
        return ErrorAnswer(500, ErrorCode::kInternal, "a stored version could not be read");
      }
      return StoreErrorAnswer(addressed.status());
    }
    response.next_seq = addressed->next;
    response.more = addressed->more;
    response.versions = std::move(addressed->versions);
    return SendPage(device, *pull, response);
  }

  std::vector<storage::Change> changes;
  {
    MutexLock lock(&store_mu_);
    auto read = store_->ChangesAfter(pull->after_seq, static_cast<int>(page));
    if (!read.ok()) return StoreErrorAnswer(read.status());
    changes = std::move(*read);
  }

  response.next_seq = changes.empty() ? pull->after_seq : changes.back().seq;
  response.more = changes.size() == page;
  response.versions.reserve(changes.size());
  for (const storage::Change& change : changes) {
    // The device has what it sent us. A version that is no longer a sibling
    // is left out too: a later version in this log dominates it, and the
    // device receives that one (or sent it).
    if (change.received_from == device.replica_id || !change.live) continue;
    Result<storage::VersionedRecord> version = storage::FromChange(change);
    if (!version.ok()) {
      t_trace.code = "stored_version_unreadable";
      return ErrorAnswer(
          500, ErrorCode::kInternal,
          "a stored version (seq " + std::to_string(change.seq) + ") could not be read");
    }
    response.versions.push_back(std::move(*version));
  }
  return SendPage(device, *pull, response);
}

Answer HttpServer::SendPage(const DeviceToken& device, const PullRequest& pull,
                            PullResponse& response) {
  if (!pull.use_session) return OkAnswer(EncodePullResponse(response));
  // A session belongs to one token, and at an authority's endpoint to one
  // school: it must never give one device or school another's strings.
  const std::string owner = device.token_sha256 + "/" + device.replica_id + "/" + device.SchoolId();
  std::unique_ptr<PullSession> session =
      pull_sessions_.Take(pull.session_id, owner, pull.session_strings);
  if (session == nullptr) {
    // A pull of one page has no next page to save bytes on.
    if (!response.more) return OkAnswer(EncodePullResponse(response));
    session = PullSessions::New(owner);
  }
  response.session_id = session->id;
  Answer answer = OkAnswer(EncodePullResponse(response, {}, &session->strings));
  // The last page ends the session; a failed encoding may have left its
  // strings ahead of the client's, so it ends that too.
  if (answer.status == 200 && response.more) pull_sessions_.Put(std::move(session));
  return answer;
}

}  // namespace presentie::sync::server_impl
