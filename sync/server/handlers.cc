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

// What a replica must have sent an authority's endpoint for the
// authority's own version `change` to be about that replica's school: the
// absence a gemeente's decision answers (`id` exact), or any hours row of
// the learner a PIP, an exam result or a duty status is about (`id` a
// prefix). nullopt for a kind every device may read; an empty `id` when the
// record id is not of its kind's form (served to nobody).
struct Evidence {
  storage::RecordKind kind;
  std::string id;
  bool prefix = false;
};

std::optional<Evidence> EvidenceFor(const storage::Change& change) {
  using storage::RecordKind;
  const std::string& id = change.record_id;
  // "<head><learner>[/...]" -> the learner.
  auto learner_after = [&](std::string_view head) -> std::string {
    if (!id.starts_with(head)) return "";
    const std::string_view rest = std::string_view(id).substr(head.size());
    return std::string(rest.substr(0, rest.find('/')));
  };
  switch (change.kind) {
    case RecordKind::kGemeenteDecision: {
      const size_t at = id.find("/decision/");
      if (at == std::string::npos) return Evidence{RecordKind::kGemeenteAbsence, ""};
      std::string absence = id;
      absence.replace(at, std::string_view("/decision/").size(), "/absence/");
      return Evidence{RecordKind::kGemeenteAbsence, absence};
    }
    case RecordKind::kGemeentePip:
    case RecordKind::kGemeenteNaw: {
      const std::string code(exports::GemeenteOfSubmissionId(id));
      const std::string learner = learner_after(
          "gemeente/" + code + (change.kind == RecordKind::kGemeentePip ? "/pip/" : "/naw/"));
      if (code.empty() || learner.empty()) return Evidence{RecordKind::kGemeenteHours, ""};
      return Evidence{RecordKind::kGemeenteHours, "gemeente/" + code + "/" + learner + "/", true};
    }
    case RecordKind::kDuoExamResult:
    case RecordKind::kDuoDuty: {
      const std::string learner =
          learner_after(change.kind == RecordKind::kDuoDuty ? "duo/duty/" : "duo/exam/");
      if (learner.empty()) return Evidence{RecordKind::kDuoHours, ""};
      return Evidence{RecordKind::kDuoHours, "duo/" + learner + "/", true};
    }
    default:
      return std::nullopt;
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

  std::vector<storage::Change> changes;
  {
    MutexLock lock(&store_mu_);
    auto read = store_->ChangesAfter(pull->after_seq, static_cast<int>(page));
    if (!read.ok()) return StoreErrorAnswer(read.status());
    changes = std::move(*read);
  }

  PullResponse response;
  response.next_seq = changes.empty() ? pull->after_seq : changes.back().seq;
  response.more = changes.size() == page;
  response.versions.reserve(changes.size());
  for (const storage::Change& change : changes) {
    // The device has what it sent us. A version that is no longer a sibling
    // is left out too: a later version in this log dominates it, and the
    // device receives that one (or sent it).
    if (change.received_from == device.replica_id || !change.live) continue;
    // An authority serves only what it owns: versions its own replica wrote.
    // A school never receives another school's submissions.
    if (config_.role != Role::kHub && change.stamp.writer.replica != replica_id_) {
      continue;
    }
    // ...and of those, only what is about the device's own school: a
    // gemeente's decision goes to the replica that sent the absence, a PIP,
    // an exam result or a duty status to those that sent the learner's
    // hours. (A hub relays everything between the school's own devices.)
    if (config_.role != Role::kHub) {
      if (std::optional<Evidence> needed = EvidenceFor(change)) {
        if (needed->id.empty()) continue;
        Result<bool> sent = [&] {
          MutexLock lock(&store_mu_);
          return needed->prefix
                     ? store_->ReceivedAnyFrom(needed->kind, needed->id, device.replica_id)
                     : store_->ReceivedFrom(needed->kind, needed->id, device.replica_id);
        }();
        if (!sent.ok()) return StoreErrorAnswer(sent.status());
        if (!*sent) continue;
      }
    }
    Result<storage::VersionedRecord> version = storage::FromChange(change);
    if (!version.ok()) {
      t_trace.code = "stored_version_unreadable";
      return ErrorAnswer(
          500, ErrorCode::kInternal,
          "a stored version (seq " + std::to_string(change.seq) + ") could not be read");
    }
    response.versions.push_back(std::move(*version));
  }
  return OkAnswer(EncodePullResponse(response));
}

}  // namespace presentie::sync::server_impl
