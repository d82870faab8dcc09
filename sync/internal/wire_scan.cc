// A parsed protobuf message costs far more memory than its bytes: an empty
// Version is two bytes on the wire and a few hundred bytes once built, so a
// 64 MiB body of empty versions would take gigabytes. The scan walks the wire
// format with the schema's descriptors, only reading tags and lengths, and
// counts what parsing would build; the codec compares the counts with its
// limits and parses only what fits.
#include "sync/internal/wire_scan.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include "core/utf8.h"
#include "presentie/sync/v1/sync.pb.h"
#include "sync/internal/convert.h"

namespace presentie::sync::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

// The schema nests four deep (PushRequest, VersionBatch, Version, Writer);
// known fields can go no deeper, so this only guards against a bug.
constexpr int kMaxDepth = 8;

struct Walk {
  const FieldDescriptor* plain_versions;
  const FieldDescriptor* column_versions;
  // Version.vv, and the columns that flatten the attendance versions' vectors.
  const FieldDescriptor* plain_vv;
  const FieldDescriptor* column_vv_replica;
  const FieldDescriptor* column_vv_counter;
  const FieldDescriptor* column_vv_counter_delta;
  WireCounts* counts;
  // Set when the walk stops at a text field that is not UTF-8.
  const FieldDescriptor** not_utf8;
};

// The next `size` bytes of `in`, which reads from one flat buffer, so they
// are all directly there; nullptr if they are not.
const uint8_t* Peek(CodedInputStream* in, int size) {
  const void* data = nullptr;
  int available = 0;
  if (size == 0) return reinterpret_cast<const uint8_t*>("");
  if (!in->GetDirectBufferPointer(&data, &available) || available < size) return nullptr;
  return static_cast<const uint8_t*>(data);
}

// The number of values a packed field of `type` holds in `data`, or -1 if
// the bytes cannot hold whole values.
int64_t PackedCount(FieldDescriptor::Type type, const uint8_t* data, int size) {
  switch (type) {
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
    case FieldDescriptor::TYPE_FLOAT:
      return size % 4 == 0 ? size / 4 : -1;
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
    case FieldDescriptor::TYPE_DOUBLE:
      return size % 8 == 0 ? size / 8 : -1;
    default: {
      // Varints: every value ends in a byte with the high bit clear.
      int64_t n = 0;
      for (int i = 0; i < size; ++i) n += (data[i] & 0x80) == 0 ? 1 : 0;
      if (size > 0 && (data[size - 1] & 0x80) != 0) return -1;
      return n;
    }
  }
}

// `in_vv`: the message scanned is a version vector's entry, so everything it
// holds counts as the vectors' too.
bool ScanMessage(CodedInputStream* in, const Descriptor* type, int depth, bool in_vv,
                 const Walk& walk) {
  if (depth > kMaxDepth) return false;
  // Counts `n` parsed elements of `field`.
  const auto count = [&](const FieldDescriptor* field, size_t n) {
    walk.counts->elements += n;
    if (in_vv || field == walk.plain_vv || field == walk.column_vv_replica ||
        field == walk.column_vv_counter || field == walk.column_vv_counter_delta) {
      walk.counts->vv_elements += n;
    }
  };
  for (;;) {
    const uint32_t tag = in->ReadTag();
    if (tag == 0) return in->ConsumedEntireMessage();
    const FieldDescriptor* field = type->FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    const bool repeated = field != nullptr && field->is_repeated();
    switch (WireFormatLite::GetTagWireType(tag)) {
      case WireFormatLite::WIRETYPE_VARINT: {
        uint64_t ignored = 0;
        if (!in->ReadVarint64(&ignored)) return false;
        if (repeated) count(field, 1);
        if (field == walk.column_versions) ++walk.counts->column_versions;
        break;
      }
      case WireFormatLite::WIRETYPE_FIXED64: {
        uint64_t ignored = 0;
        if (!in->ReadLittleEndian64(&ignored)) return false;
        if (repeated) count(field, 1);
        break;
      }
      case WireFormatLite::WIRETYPE_FIXED32: {
        uint32_t ignored = 0;
        if (!in->ReadLittleEndian32(&ignored)) return false;
        if (repeated) count(field, 1);
        break;
      }
      case WireFormatLite::WIRETYPE_LENGTH_DELIMITED: {
        uint32_t length = 0;
        if (!in->ReadVarint32(&length)) return false;
        const int size = static_cast<int>(length);
        if (size < 0 || in->BytesUntilLimit() < size) return false;
        if (field != nullptr && field->type() == FieldDescriptor::TYPE_MESSAGE) {
          count(field, 1);
          if (field == walk.plain_versions) ++walk.counts->plain_versions;
          const CodedInputStream::Limit limit = in->PushLimit(size);
          if (!ScanMessage(in, field->message_type(), depth + 1, in_vv || field == walk.plain_vv,
                           walk)) {
            return false;
          }
          in->PopLimit(limit);
        } else if (repeated && field->is_packable()) {
          const uint8_t* data = Peek(in, size);
          if (data == nullptr) return false;
          const int64_t n = PackedCount(field->type(), data, size);
          if (n < 0) return false;
          count(field, static_cast<size_t>(n));
          if (field == walk.column_versions) walk.counts->column_versions += static_cast<size_t>(n);
          if (!in->Skip(size)) return false;
        } else if (field != nullptr && field->type() == FieldDescriptor::TYPE_STRING) {
          // Checked here, before the parser would (and log about it).
          count(field, 1);
          const uint8_t* data = Peek(in, size);
          if (data == nullptr) return false;
          if (!IsUtf8(std::string_view(reinterpret_cast<const char*>(data),
                                       static_cast<size_t>(size)))) {
            *walk.not_utf8 = field;
            return false;
          }
          if (!in->Skip(size)) return false;
        } else {
          if (field != nullptr) count(field, 1);
          if (!in->Skip(size)) return false;
        }
        break;
      }
      default:
        // Groups are not part of proto3; anything else is not a wire type.
        return false;
    }
  }
}

}  // namespace

Status ScanWire(std::string_view bytes, const Descriptor* type, WireCounts* counts) {
  namespace pb = ::presentie::sync::v1;
  static const Walk kWalkTemplate{
      pb::VersionBatch::descriptor()->FindFieldByNumber(pb::VersionBatch::kVersionsFieldNumber),
      pb::AttendanceColumns::descriptor()->FindFieldByNumber(
          pb::AttendanceColumns::kLessonIdFieldNumber),
      pb::Version::descriptor()->FindFieldByNumber(pb::Version::kVvFieldNumber),
      pb::AttendanceColumns::descriptor()->FindFieldByNumber(
          pb::AttendanceColumns::kVvReplicaFieldNumber),
      pb::AttendanceColumns::descriptor()->FindFieldByNumber(
          pb::AttendanceColumns::kVvCounterFieldNumber),
      pb::AttendanceColumns::descriptor()->FindFieldByNumber(
          pb::AttendanceColumns::kVvCounterDeltaFieldNumber),
      nullptr,
      nullptr};
  const FieldDescriptor* not_utf8 = nullptr;
  Walk walk = kWalkTemplate;
  walk.counts = counts;
  walk.not_utf8 = &not_utf8;
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return InvalidArgument("body is too large to be a message");
  }
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  const CodedInputStream::Limit limit = in.PushLimit(static_cast<int>(bytes.size()));
  const bool ok = ScanMessage(&in, type, 0, /*in_vv=*/false, walk);
  in.PopLimit(limit);
  if (not_utf8 != nullptr) {
    return InvalidArgument("text field '" + not_utf8->full_name() + "' is not valid UTF-8");
  }
  if (!ok) return InvalidArgument("body is not a valid " + type->name() + " message");
  return Status::Ok();
}

}  // namespace presentie::sync::internal
