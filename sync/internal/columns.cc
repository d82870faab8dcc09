// Attendance versions column by column.
//
// Why columns: a batch of attendance versions is a table whose columns barely
// change from row to row (the same lesson twenty times, the same twenty
// learners lesson after lesson, "present" and the lesson's minutes, the same
// writer, a clock that ticks by one). Row by row, zstd sees those repeats
// interleaved with everything else and pays for each one; column by column
// they are long runs and short repeating cycles, which it codes in almost
// nothing. Strings go through one dictionary (in order of first use), so a
// column is a packed array of small integers; the clock is delta-coded,
// because consecutive versions are mostly written in one transaction, a tick
// apart.
//
// In a pull session (docs/sync.md, "Pull sessions") the dictionary goes on
// from page to page: a real school's pages, in the order a hub received
// them, each name thousands of different lessons and learners by random
// UUIDs that zstd cannot shrink, and sending each once per sync instead of
// once per page is most of the bytes. Notes never join it: free text is
// sent with its page and not kept by the server.
//
// Decoding checks every index against the dictionary and decodes each
// dictionary entry at most once per interpretation (a key, an enum name, a
// replica id), so validation costs per distinct string, not per version.
#include "sync/internal/columns.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/ids.h"
#include "core/version_vector.h"
#include "sync/internal/convert.h"

namespace presentie::sync::internal {
namespace {

using storage::VersionedRecord;

// The batch's dictionary as the encoder builds it. Without a session, every
// string in order of first use. With one, a string the session holds is
// named by its index there; one it can still take joins it and is sent in
// `strings` ahead of the rest; the others (notes, and whatever the session
// has no room for) are the batch's own, numbered after the shared ones,
// whose count is known only at the end: until Finish they carry kLocal.
class Dictionary {
 public:
  Dictionary(pb::AttendanceColumns* out, SessionIndex* session)
      : out_(out),
        session_(session),
        base_(session != nullptr ? static_cast<uint32_t>(session->size()) : 0) {}

  // A string the session may keep (an id, an enum name, a writer). `s` must
  // outlive the dictionary.
  uint32_t Shared(std::string_view s) {
    if (session_ == nullptr) return Local(s);
    if (std::optional<uint32_t> i = session_->Find(s)) return *i;
    if (!session_->Add(s)) return Local(s);
    out_->add_strings(std::string(s));
    return base_ + shared_++;
  }

  // A string that stays in this batch (a note). `s` must outlive the
  // dictionary.
  uint32_t Local(std::string_view s) {
    auto [it, fresh] = local_.try_emplace(s, static_cast<uint32_t>(local_.size()));
    if (session_ == nullptr) {
      if (fresh) out_->add_strings(std::string(s));
      return it->second;
    }
    if (fresh) locals_.push_back(s);
    return kLocal | it->second;
  }

  // With a session: sends the batch's own strings after the shared ones and
  // gives them their indexes.
  void Finish() {
    if (session_ == nullptr) return;
    out_->set_base(base_);
    out_->set_shared(shared_);
    for (std::string_view s : locals_) out_->add_strings(std::string(s));
    const uint32_t first_local = base_ + shared_;
    for (auto* column :
         {out_->mutable_lesson_id(), out_->mutable_learner_id(), out_->mutable_status(),
          out_->mutable_mode(), out_->mutable_reason(), out_->mutable_note(),
          out_->mutable_decision(), out_->mutable_decided_by(), out_->mutable_writer_replica(),
          out_->mutable_writer_user(), out_->mutable_vv_replica()}) {
      for (uint32_t& index : *column) {
        if ((index & kLocal) != 0) index = first_local + (index & ~kLocal);
      }
    }
  }

 private:
  // Marks a batch's own index until Finish. A batch holds far fewer than
  // 2^31 strings (its parsing budget), and so does a session
  // (kMaxSessionStrings).
  static constexpr uint32_t kLocal = uint32_t{1} << 31;

  pb::AttendanceColumns* out_;
  SessionIndex* session_;
  const uint32_t base_;
  uint32_t shared_ = 0;
  std::unordered_map<std::string_view, uint32_t> local_;
  std::vector<std::string_view> locals_;  // with a session: local_'s keys, by index
};

// The dictionary as the decoder sees it: the session's first `base` strings,
// then the batch's.
class Dict {
 public:
  Dict(const std::vector<std::string>* session,
       const google::protobuf::RepeatedPtrField<std::string>& strings)
      : session_(session), base_(session != nullptr ? session->size() : 0), strings_(strings) {}
  size_t base() const { return base_; }
  size_t size() const { return base_ + static_cast<size_t>(strings_.size()); }
  // i < size().
  const std::string& At(uint32_t i) const {
    return i < base_ ? (*session_)[i] : strings_.Get(static_cast<int>(i - base_));
  }

 private:
  const std::vector<std::string>* session_;
  size_t base_;
  const google::protobuf::RepeatedPtrField<std::string>& strings_;
};

// One interpretation of the dictionary's entries (as lesson ids, as status
// names, ...), each entry decoded on first use and remembered, failure
// included: the batch's own entries in a table, the session's (far more than
// one batch uses) in a map.
template <typename T>
class Decoded {
 public:
  using Parse = std::function<Result<T>(const std::string&)>;
  Decoded(const Dict& dict, std::string column, Parse parse)
      : dict_(dict),
        column_(std::move(column)),
        parse_(std::move(parse)),
        cache_(dict.size() - dict.base()) {}

  Result<T> Get(uint32_t index) {
    if (index >= dict_.size()) {
      return InvalidArgument(column_ + ": index " + std::to_string(index) +
                             " is outside the dictionary (" + std::to_string(dict_.size()) +
                             " strings)");
    }
    std::optional<Result<T>>& slot =
        index < dict_.base() ? session_cache_[index] : cache_[index - dict_.base()];
    if (!slot.has_value()) {
      Result<T> v = parse_(dict_.At(index));
      if (!v.ok()) v = v.status().WithContext(column_);
      slot.emplace(std::move(v));
    }
    return *slot;
  }

 private:
  const Dict& dict_;
  std::string column_;
  Parse parse_;
  std::vector<std::optional<Result<T>>> cache_;
  std::unordered_map<uint32_t, std::optional<Result<T>>> session_cache_;
};

using Strings = Dict;

Decoded<std::string> KeyColumn(const Strings& s, std::string column) {
  return Decoded<std::string>(s, std::move(column),
                              [](const std::string& text) -> Result<std::string> {
                                PRESENTIE_RETURN_IF_ERROR(ValidateRecordKey(text, "id"));
                                return text;
                              });
}

Decoded<std::string> ReplicaColumn(const Strings& s, std::string column) {
  return Decoded<std::string>(s, std::move(column),
                              [](const std::string& text) -> Result<std::string> {
                                PRESENTIE_RETURN_IF_ERROR(ValidateReplicaId(text));
                                return text;
                              });
}

Decoded<std::string> TextColumn(const Strings& s, std::string column) {
  return Decoded<std::string>(s, std::move(column),
                              [](const std::string& text) -> Result<std::string> { return text; });
}

template <typename E>
Decoded<E> EnumColumn(const Strings& s, std::string column, Result<E> (*parse)(std::string_view)) {
  return Decoded<E>(s, std::move(column), [parse](const std::string& text) -> Result<E> {
    Result<E> v = ParseCanonical(text, parse, "value");
    if (!v.ok()) return InvalidArgument("unknown value");
    return v;
  });
}

// "" for none, else a canonical name.
template <typename E>
Decoded<std::optional<E>> OptionalEnumColumn(const Strings& s, std::string column,
                                             Result<E> (*parse)(std::string_view)) {
  return Decoded<std::optional<E>>(s, std::move(column),
                                   [parse](const std::string& text) -> Result<std::optional<E>> {
                                     if (text.empty()) return std::optional<E>();
                                     Result<E> v = ParseCanonical(text, parse, "value");
                                     if (!v.ok()) return InvalidArgument("unknown value");
                                     return std::optional<E>(*v);
                                   });
}

}  // namespace

void ToColumns(std::span<const VersionedRecord* const> versions, pb::AttendanceColumns* out,
               SessionIndex* session) {
  const int n = static_cast<int>(versions.size());
  for (auto* column :
       {out->mutable_lesson_id(), out->mutable_learner_id(), out->mutable_status(),
        out->mutable_mode(), out->mutable_reason(), out->mutable_note(), out->mutable_decision(),
        out->mutable_decided_by(), out->mutable_writer_replica(), out->mutable_writer_user(),
        out->mutable_vv_size()}) {
    column->Reserve(n);
  }
  out->mutable_minutes_present()->Reserve(n);
  out->mutable_notified_in_advance()->Reserve(n);
  // In a pull session the clock goes in two columns (hlc_wall_delta,
  // hlc_logical); elsewhere as the packed delta every reader knows.
  const bool split_clock = session != nullptr;
  if (split_clock) {
    out->mutable_hlc_wall_delta()->Reserve(n);
    out->mutable_hlc_logical()->Reserve(n);
  } else {
    out->mutable_hlc_delta()->Reserve(n);
  }
  out->mutable_writer_role()->Reserve(n);

  Dictionary dict(out, session);
  uint64_t previous_hlc = 0;
  uint64_t previous_wall_ms = 0;
  uint64_t previous_counter = 0;
  for (const VersionedRecord* v : versions) {
    const auto& a = std::get<Attendance>(v->record);
    out->add_lesson_id(dict.Shared(a.lesson_id));
    out->add_learner_id(dict.Shared(a.learner_id));
    out->add_status(dict.Shared(ToString(a.status)));
    out->add_minutes_present(a.minutes_present);
    out->add_mode(dict.Shared(ToString(a.mode)));
    out->add_notified_in_advance(a.notified_in_advance);
    out->add_reason(dict.Shared(ToString(a.reason)));
    out->add_note(dict.Local(a.note));
    if (a.decision.has_value()) {
      out->add_decision(dict.Shared(ToString(a.decision->value)));
      out->add_decided_by(dict.Shared(ToString(a.decision->decided_by)));
    } else {
      out->add_decision(dict.Shared(""));
      out->add_decided_by(dict.Shared(""));
    }
    // Modulo 2^64 both ways, so any two stamps have a delta.
    if (split_clock) {
      const uint64_t wall_ms = v->stamp.hlc.wall_ms;
      out->add_hlc_wall_delta(static_cast<int64_t>(wall_ms - previous_wall_ms));
      out->add_hlc_logical(v->stamp.hlc.logical);
      previous_wall_ms = wall_ms;
    } else {
      const uint64_t hlc = v->stamp.hlc.Pack();
      out->add_hlc_delta(static_cast<int64_t>(hlc - previous_hlc));
      previous_hlc = hlc;
    }
    out->add_writer_replica(dict.Shared(v->stamp.writer.replica));
    out->add_writer_role(ToProto(v->stamp.writer.role));
    out->add_writer_user(dict.Shared(v->stamp.writer.user));
    out->add_vv_size(static_cast<uint32_t>(v->stamp.vv.entries().size()));
    for (const auto& [replica, counter] : v->stamp.vv.entries()) {
      out->add_vv_replica(dict.Shared(replica));
      if (split_clock) {
        out->add_vv_counter_delta(static_cast<int64_t>(counter - previous_counter));
        previous_counter = counter;
      } else {
        out->add_vv_counter(counter);
      }
    }
  }
  dict.Finish();
}

// What an Hlc holds (core/hlc.h): wall_ms < 2^48, logical < 2^16.
constexpr uint64_t kMaxWallMs = uint64_t{1} << 48;
constexpr uint32_t kMaxLogical = 0xffff;

Status FromColumns(const pb::AttendanceColumns& c, size_t first_index,
                   const std::vector<std::string>* session, std::vector<VersionedRecord>* out) {
  const size_t held = session != nullptr ? session->size() : 0;
  if (c.base() != held) {
    if (session == nullptr) {
      return InvalidArgument("attendance columns: 'base' names " + std::to_string(c.base()) +
                             " strings of a pull session, and there is none");
    }
    return InvalidArgument("attendance columns: 'base' names " + std::to_string(c.base()) +
                           " strings of the pull session, which holds " + std::to_string(held));
  }
  if (c.shared() > static_cast<uint32_t>(c.strings_size())) {
    return InvalidArgument("attendance columns: 'shared' is " + std::to_string(c.shared()) +
                           ", 'strings' has " + std::to_string(c.strings_size()));
  }
  const int n = c.lesson_id_size();
  const std::pair<const char*, int> lengths[] = {
      {"learner_id", c.learner_id_size()},
      {"status", c.status_size()},
      {"minutes_present", c.minutes_present_size()},
      {"mode", c.mode_size()},
      {"notified_in_advance", c.notified_in_advance_size()},
      {"reason", c.reason_size()},
      {"note", c.note_size()},
      {"decision", c.decision_size()},
      {"decided_by", c.decided_by_size()},
      {"writer_replica", c.writer_replica_size()},
      {"writer_role", c.writer_role_size()},
      {"writer_user", c.writer_user_size()},
      {"vv_size", c.vv_size_size()},
  };
  for (const auto& [name, length] : lengths) {
    if (length != n) {
      return InvalidArgument("attendance columns: '" + std::string(name) + "' has " +
                             std::to_string(length) + " entries, 'lesson_id' has " +
                             std::to_string(n));
    }
  }
  // The clock in one form: the packed delta, or (in a pull session) the
  // wall time's delta and the logical counter.
  const bool split_clock =
      c.hlc_delta_size() == 0 && n > 0 && (c.hlc_wall_delta_size() > 0 || c.hlc_logical_size() > 0);
  const std::pair<const char*, int> clock[] = {
      {"hlc_delta", split_clock ? n : c.hlc_delta_size()},
      {"hlc_wall_delta", split_clock ? c.hlc_wall_delta_size() : n},
      {"hlc_logical", split_clock ? c.hlc_logical_size() : n},
  };
  for (const auto& [name, length] : clock) {
    if (length != n) {
      return InvalidArgument("attendance columns: '" + std::string(name) + "' has " +
                             std::to_string(length) + " entries, 'lesson_id' has " +
                             std::to_string(n));
    }
  }
  if (!split_clock && (c.hlc_wall_delta_size() > 0 || c.hlc_logical_size() > 0)) {
    return InvalidArgument(
        "attendance columns: the clock is in both 'hlc_delta' and "
        "'hlc_wall_delta'");
  }
  // The counters in one form: as they are, or (in a pull session) as
  // deltas.
  const bool delta_counters = c.vv_counter_size() == 0 && c.vv_counter_delta_size() > 0;
  if (c.vv_counter_size() > 0 && c.vv_counter_delta_size() > 0) {
    return InvalidArgument(
        "attendance columns: the counters are in both 'vv_counter' and "
        "'vv_counter_delta'");
  }
  const int counters = delta_counters ? c.vv_counter_delta_size() : c.vv_counter_size();
  uint64_t vv_entries = 0;
  for (uint32_t size : c.vv_size()) vv_entries += size;
  if (vv_entries != static_cast<uint64_t>(c.vv_replica_size()) ||
      vv_entries != static_cast<uint64_t>(counters)) {
    return InvalidArgument(
        "attendance columns: 'vv_size' adds up to " + std::to_string(vv_entries) +
        " entries, 'vv_replica' has " + std::to_string(c.vv_replica_size()) + " and '" +
        (delta_counters ? "vv_counter_delta" : "vv_counter") + "' " + std::to_string(counters));
  }

  const Dict s(session, c.strings());
  Decoded<std::string> lesson_id = KeyColumn(s, "lesson_id");
  Decoded<std::string> learner_id = KeyColumn(s, "learner_id");
  Decoded<AttendanceStatus> status = EnumColumn(s, "status", ParseAttendanceStatus);
  Decoded<Mode> mode = EnumColumn(s, "mode", ParseMode);
  Decoded<AbsenceReason> reason = EnumColumn(s, "reason", ParseAbsenceReason);
  Decoded<std::string> note = TextColumn(s, "note");
  Decoded<std::optional<Classification>> decision =
      OptionalEnumColumn(s, "decision", ParseClassification);
  Decoded<std::optional<Role>> decided_by = OptionalEnumColumn(s, "decided_by", ParseRole);
  Decoded<std::string> writer_replica = ReplicaColumn(s, "writer_replica");
  Decoded<std::string> writer_user = TextColumn(s, "writer_user");
  Decoded<std::string> vv_replica = ReplicaColumn(s, "vv_replica");

  uint64_t hlc = 0;
  uint64_t wall_ms = 0;
  uint64_t counter_sum = 0;
  int vv_at = 0;
  auto decode = [&](int i, VersionedRecord* v) -> Status {
    Attendance a;
    PRESENTIE_ASSIGN_OR_RETURN(a.lesson_id, lesson_id.Get(c.lesson_id(i)));
    PRESENTIE_ASSIGN_OR_RETURN(a.learner_id, learner_id.Get(c.learner_id(i)));
    a.id = AttendanceId(a.lesson_id, a.learner_id);
    auto rest = [&]() -> Status {
      PRESENTIE_ASSIGN_OR_RETURN(a.status, status.Get(c.status(i)));
      a.minutes_present = c.minutes_present(i);
      if (a.minutes_present < 0 || a.minutes_present > kMaxWireMinutes) {
        return InvalidArgument("minutes_present " + std::to_string(a.minutes_present) +
                               " is not within 0.." + std::to_string(kMaxWireMinutes));
      }
      PRESENTIE_ASSIGN_OR_RETURN(a.mode, mode.Get(c.mode(i)));
      a.notified_in_advance = c.notified_in_advance(i);
      PRESENTIE_ASSIGN_OR_RETURN(a.reason, reason.Get(c.reason(i)));
      PRESENTIE_ASSIGN_OR_RETURN(a.note, note.Get(c.note(i)));
      PRESENTIE_ASSIGN_OR_RETURN(std::optional<Classification> value, decision.Get(c.decision(i)));
      PRESENTIE_ASSIGN_OR_RETURN(std::optional<Role> by, decided_by.Get(c.decided_by(i)));
      if (value.has_value() != by.has_value()) {
        return InvalidArgument("decision and decided_by must both be set or both be empty");
      }
      if (value.has_value()) a.decision = ClassificationDecision{*value, *by};

      VersionStamp& stamp = v->stamp;
      PRESENTIE_RETURN_IF_ERROR(VersionVector::CheckEntryCount(c.vv_size(i)));
      std::string_view previous;
      for (uint32_t k = 0; k < c.vv_size(i); ++k, ++vv_at) {
        PRESENTIE_ASSIGN_OR_RETURN(std::string replica, vv_replica.Get(c.vv_replica(vv_at)));
        if (!previous.empty() && replica <= previous) {
          return InvalidArgument("version vector is not strictly sorted by replica");
        }
        const uint64_t counter =
            delta_counters ? (counter_sum += static_cast<uint64_t>(c.vv_counter_delta(vv_at)))
                           : c.vv_counter(vv_at);
        if (counter == 0) return InvalidArgument("version vector has a zero counter");
        stamp.vv.Set(replica, counter);
        previous = stamp.vv.entries().find(replica)->first;
      }
      if (stamp.vv.empty()) return InvalidArgument("version vector is empty");
      PRESENTIE_RETURN_IF_ERROR(stamp.vv.CheckBounds());
      if (split_clock) {
        if (wall_ms >= kMaxWallMs || c.hlc_logical(i) > kMaxLogical) {
          return InvalidArgument("hlc is outside what a stamp holds");
        }
        stamp.hlc = Hlc{wall_ms, c.hlc_logical(i)};
      } else {
        stamp.hlc = Hlc::Unpack(hlc);
      }
      PRESENTIE_ASSIGN_OR_RETURN(stamp.writer.replica, writer_replica.Get(c.writer_replica(i)));
      PRESENTIE_ASSIGN_OR_RETURN(stamp.writer.role,
                                 FromProto(static_cast<pb::Role>(c.writer_role(i)), "writer_role"));
      PRESENTIE_ASSIGN_OR_RETURN(stamp.writer.user, writer_user.Get(c.writer_user(i)));
      return Status::Ok();
    };
    PRESENTIE_RETURN_IF_ERROR(rest().WithContext("attendance '" + a.id + "'"));
    v->record = std::move(a);
    return Status::Ok();
  };

  for (int i = 0; i < n; ++i) {
    if (split_clock) {
      wall_ms += static_cast<uint64_t>(c.hlc_wall_delta(i));
    } else {
      hlc += static_cast<uint64_t>(c.hlc_delta(i));
    }
    VersionedRecord v;
    if (Status st = decode(i, &v); !st.ok()) {
      return st.WithContext("version " + std::to_string(first_index + static_cast<size_t>(i)));
    }
    out->push_back(std::move(v));
  }
  return Status::Ok();
}

}  // namespace presentie::sync::internal
