// The codec (sync/codec.h): every record kind round-trips in both layouts,
// every message round-trips, and hostile bodies are refused with the right
// error before the work they would cause: oversized input, zstd frames that
// declare or produce more than the limit, huge windows, truncation, garbage,
// too many records, and batches that parse but do not validate.
#include "sync/codec.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "presentie/sync/v1/sync.pb.h"
#include "sync/internal/columns.h"
#include "sync/internal/convert.h"
#include "sync_test_util.h"

namespace presentie::sync {
namespace codec_test {

namespace pb = ::presentie::sync::v1;
using storage::VersionedRecord;
using testing::ColumnOrder;
using testing::OneOfEachKind;
using testing::RealisticAttendance;

constexpr BatchLayout kLayouts[] = {BatchLayout::kPlain, BatchLayout::kColumns};

std::string Name(BatchLayout l) { return l == BatchLayout::kPlain ? "plain" : "columns"; }

std::vector<VersionedRecord> Expected(std::vector<VersionedRecord> v, BatchLayout layout) {
  return layout == BatchLayout::kColumns ? ColumnOrder(std::move(v)) : v;
}

template <typename T>
void ExpectFailure(const CodecResult<T>& r, CodecError error, const std::string& says) {
  ASSERT_FALSE(r.ok()) << "expected " << ToString(error);
  EXPECT_EQ(r.error(), error) << r.status().message();
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(says), std::string::npos) << r.status().message();
}

// A streaming zstd frame of `size` zero bytes. With `pledge`, the header
// declares the size; without, it declares nothing, as a streaming compressor
// that does not know its input's length writes it: the input goes in with
// ZSTD_e_continue and the frame is closed by an empty ZSTD_e_end.
std::string ZeroFrame(size_t size, bool pledge, int window_log = 0) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
  if (window_log != 0) ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, window_log);
  if (pledge) ZSTD_CCtx_setPledgedSrcSize(cctx, size);
  const std::string zeros(std::min(size, size_t{1} << 20), '\0');
  std::string out;
  std::string chunk(ZSTD_CStreamOutSize(), '\0');
  auto drive = [&](size_t n, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{zeros.data(), n, 0};
    for (;;) {
      ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
      const size_t remaining = ZSTD_compressStream2(cctx, &o, &in, mode);
      EXPECT_FALSE(ZSTD_isError(remaining)) << ZSTD_getErrorName(remaining);
      if (ZSTD_isError(remaining)) return;
      out.append(chunk.data(), o.pos);
      if (mode == ZSTD_e_end ? remaining == 0 : in.pos == in.size) return;
    }
  };
  for (size_t left = size; left > 0;) {
    const size_t n = std::min(left, zeros.size());
    drive(n, ZSTD_e_continue);
    left -= n;
  }
  drive(0, ZSTD_e_end);
  ZSTD_freeCCtx(cctx);
  return out;
}

// --- Round trips -----------------------------------------------------------------

TEST(CodecTest, EveryRecordKindRoundTripsInBothLayouts) {
  const std::vector<VersionedRecord> versions = OneOfEachKind();
  for (BatchLayout layout : kLayouts) {
    SCOPED_TRACE(Name(layout));
    Result<std::string> bytes = EncodeBatch(versions, layout);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    CodecResult<std::vector<VersionedRecord>> back = DecodeBatch(*bytes, Limits{});
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, Expected(versions, layout));
  }
}

TEST(CodecTest, ColumnsHoldOnlyAttendanceAndPlainVersionsComeFirst) {
  std::vector<VersionedRecord> mixed = OneOfEachKind();
  std::rotate(mixed.begin(), mixed.begin() + 7, mixed.end());  // attendance first
  Result<std::string> bytes = EncodeBatch(mixed, BatchLayout::kColumns);
  ASSERT_TRUE(bytes.ok());
  pb::VersionBatch batch;
  ASSERT_TRUE(batch.ParseFromString(*bytes));
  EXPECT_EQ(batch.versions_size(), 22);  // the submissions and decisions travel plain too
  EXPECT_EQ(batch.attendance().lesson_id_size(), 3);
  CodecResult<std::vector<VersionedRecord>> back = DecodeBatch(*bytes, Limits{});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, ColumnOrder(mixed));
}

TEST(CodecTest, EmptyBatchRoundTrips) {
  for (BatchLayout layout : kLayouts) {
    Result<std::string> bytes = EncodeBatch({}, layout);
    ASSERT_TRUE(bytes.ok());
    CodecResult<std::vector<VersionedRecord>> back = DecodeBatch(*bytes, Limits{});
    ASSERT_TRUE(back.ok());
    EXPECT_TRUE(back->empty());
  }
}

TEST(CodecTest, MessagesRoundTripAsBodies) {
  const Limits limits;
  const std::vector<VersionedRecord> versions = OneOfEachKind();
  for (BatchLayout layout : kLayouts) {
    SCOPED_TRACE(Name(layout));
    const EncodeOptions options{layout, 5};

    HelloRequest hello{1, testing::kReplicaA};
    Result<std::string> body = EncodeHelloRequest(hello, options);
    ASSERT_TRUE(body.ok());
    EXPECT_EQ(*DecodeHelloRequest(*body, limits), hello);

    HelloResponse welcome{1,    testing::kReplicaB, Role::kHub, Role::kTeacher,
                          1234, 8 * kMiB,           64 * kMiB,  50'000, ""};
    body = EncodeHelloResponse(welcome, options);
    ASSERT_TRUE(body.ok());
    EXPECT_EQ(*DecodeHelloResponse(*body, limits), welcome);
    // A gemeente states its CBS code; no other role has one.
    HelloResponse gemeente = welcome;
    gemeente.role = Role::kGemeente;
    gemeente.gemeente_code = "0363";
    body = EncodeHelloResponse(gemeente, options);
    ASSERT_TRUE(body.ok());
    EXPECT_EQ(*DecodeHelloResponse(*body, limits), gemeente);
    gemeente.gemeente_code = "";
    EXPECT_FALSE(EncodeHelloResponse(gemeente, options).ok());
    welcome.gemeente_code = "0363";
    EXPECT_FALSE(EncodeHelloResponse(welcome, options).ok());
    welcome.gemeente_code = "";

    PushRequest push{"0f6e2c1a-77b4-4d2e-9b1e-3c5d6e7f8091", versions, 17, 26};
    body = EncodePushRequest(push, options);
    ASSERT_TRUE(body.ok()) << body.status().ToString();
    CodecResult<PushRequest> push_back = DecodePushRequest(*body, limits);
    ASSERT_TRUE(push_back.ok()) << push_back.status().ToString();
    push.versions = Expected(push.versions, layout);
    EXPECT_EQ(*push_back, push);

    PushResponse pushed{7, 1, 1, 1, 26};
    body = EncodePushResponse(pushed, options);
    ASSERT_TRUE(body.ok());
    EXPECT_EQ(*DecodePushResponse(*body, limits), pushed);

    PullRequest pull{99, 5000};
    body = EncodePullRequest(pull, options);
    ASSERT_TRUE(body.ok());
    EXPECT_EQ(*DecodePullRequest(*body, limits), pull);

    PullResponse page{versions, 108, true};
    body = EncodePullResponse(page, options);
    ASSERT_TRUE(body.ok());
    CodecResult<PullResponse> page_back = DecodePullResponse(*body, limits);
    ASSERT_TRUE(page_back.ok()) << page_back.status().ToString();
    page.versions = Expected(page.versions, layout);
    EXPECT_EQ(*page_back, page);

    ErrorReply error{ErrorCode::kTooLarge, "body is 9000000 bytes, more than the limit"};
    body = EncodeErrorReply(error, options);
    ASSERT_TRUE(body.ok());
    EXPECT_EQ(*DecodeErrorReply(*body, limits), error);
  }
}

TEST(CodecTest, ErrorFromANewerServerKeepsItsMessage) {
  pb::Error e;
  e.set_code(static_cast<pb::Error::Code>(42));
  e.set_message("quota exceeded");
  Result<std::string> body = Compress(e.SerializeAsString());
  ASSERT_TRUE(body.ok());
  CodecResult<ErrorReply> reply = DecodeErrorReply(*body, Limits{});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->code, ErrorCode::kUnknown);
  EXPECT_EQ(reply->message, "quota exceeded");
}

TEST(CodecTest, EncoderRefusesWhatTheDecoderWould) {
  std::vector<VersionedRecord> v = {OneOfEachKind()[7]};
  std::get<Attendance>(v[0].record).id = "L1/S9";
  Result<std::string> bytes = EncodeBatch(v, BatchLayout::kColumns);
  ASSERT_FALSE(bytes.ok());
  EXPECT_NE(bytes.status().message().find("version 0"), std::string::npos);

  v = {OneOfEachKind()[0]};
  v[0].stamp.vv = VersionVector();
  EXPECT_FALSE(EncodeBatch(v, BatchLayout::kPlain).ok());

  v = {OneOfEachKind()[0]};
  v[0].stamp.writer.replica = "not-hex";
  EXPECT_FALSE(EncodeBatch(v, BatchLayout::kPlain).ok());

  v = {OneOfEachKind()[0]};
  std::get<Learner>(v[0].record).name = "\xff\xfe";
  bytes = EncodeBatch(v, BatchLayout::kPlain);
  ASSERT_FALSE(bytes.ok());
  EXPECT_NE(bytes.status().message().find("UTF-8"), std::string::npos);

  v = {OneOfEachKind()[0]};
  std::get<Learner>(v[0].record).id = "123456782";  // a BSN where the id belongs: fine, a key
  EXPECT_TRUE(EncodeBatch(v, BatchLayout::kPlain).ok());
  std::get<Learner>(v[0].record).id = "S 1";
  bytes = EncodeBatch(v, BatchLayout::kPlain);
  ASSERT_FALSE(bytes.ok());
  EXPECT_NE(bytes.status().message().find("invalid id"), std::string::npos)
      << bytes.status().message();

  PushRequest push{"has space", {}, 0, 0};
  EXPECT_FALSE(EncodePushRequest(push).ok());
  push.idempotency_id = "ok";
  push.client_first_seq = 5;
  push.client_last_seq = 4;
  EXPECT_FALSE(EncodePushRequest(push).ok());
  EXPECT_FALSE(EncodeHelloRequest(HelloRequest{1, "ABC"}).ok());
}

// --- zstd: sizes are bounded before the work ------------------------------------------

TEST(CodecTest, CompressRoundTrips) {
  const std::string text(100'000, 'x');
  Result<std::string> z = Compress(text);
  ASSERT_TRUE(z.ok());
  EXPECT_LT(z->size(), 1000u);
  EXPECT_EQ(ZSTD_getFrameContentSize(z->data(), z->size()), text.size());
  CodecResult<std::string> back = Decompress(*z, Limits{});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, text);
  EXPECT_EQ(*Decompress(*Compress(""), Limits{}), "");
}

TEST(CodecTest, RefusesCompressedInputOverTheLimit) {
  Limits limits;
  limits.max_compressed_bytes = 1000;
  std::mt19937 rng(7);
  std::string noise;
  for (int i = 0; i < 5000; ++i) noise += static_cast<char>(rng() & 0xff);
  Result<std::string> z = Compress(noise);
  ASSERT_TRUE(z.ok());
  ASSERT_GT(z->size(), 1000u);
  ExpectFailure(Decompress(*z, limits), CodecError::kTooLarge, "more than the limit of 1000");
  EXPECT_TRUE(IsTooLarge(CodecError::kTooLarge));
  // The same check guards every body.
  ExpectFailure(DecodePushRequest(*z, limits), CodecError::kTooLarge, "1000");
}

TEST(CodecTest, RefusesAFrameThatDeclaresMoreThanTheLimit) {
  const Limits limits;  // 64 MiB
  const std::string frame = ZeroFrame(limits.max_decompressed_bytes + 1, /*pledge=*/true);
  ASSERT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()),
            limits.max_decompressed_bytes + 1);
  ExpectFailure(Decompress(frame, limits), CodecError::kBomb, "declares 67108865 bytes");
  ExpectFailure(DecodePullResponse(frame, limits), CodecError::kBomb, "declares");
  EXPECT_TRUE(IsTooLarge(CodecError::kBomb));
}

TEST(CodecTest, RefusesAFrameThatDeclaresNothingButProducesMoreThanTheLimit) {
  // A real bomb: 200 MiB of zeros in a few KiB, its size not in the header.
  const std::string frame = ZeroFrame(200 * kMiB, /*pledge=*/false);
  ASSERT_LT(frame.size(), 64 * 1024u);
  ASSERT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  ExpectFailure(Decompress(frame, Limits{}), CodecError::kBomb,
                "decompresses to more than the limit of 67108864 bytes");
  ExpectFailure(DecodePushRequest(frame, Limits{}), CodecError::kBomb, "more than the limit");

  // Under a small limit, the same refusal long before the end.
  Limits small;
  small.max_decompressed_bytes = 1000;
  ExpectFailure(Decompress(ZeroFrame(1001, false), small), CodecError::kBomb, "1000 bytes");
  // Exactly at the limit is fine.
  CodecResult<std::string> exact = Decompress(ZeroFrame(1000, false), small);
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_EQ(exact->size(), 1000u);
}

TEST(CodecTest, RefusesAFrameThatNeedsAHugeWindow) {
  // 1 MiB of content with a 32 MiB window and no declared size: a decoder
  // would have to set aside the whole window.
  const std::string frame = ZeroFrame(kMiB, /*pledge=*/false, /*window_log=*/25);
  ExpectFailure(Decompress(frame, Limits{}), CodecError::kBomb, "window");
  Limits roomy;
  roomy.max_window_log = 25;
  EXPECT_TRUE(Decompress(frame, roomy).ok());
}

TEST(CodecTest, RefusesTruncatedFramesGarbageAndTrailingBytes) {
  Result<std::string> body =
      EncodePushRequest(PushRequest{"id1", RealisticAttendance(20, 10), 1, 200});
  ASSERT_TRUE(body.ok());
  ASSERT_TRUE(DecodePushRequest(*body, Limits{}).ok());

  for (size_t keep : {body->size() - 1, body->size() - 4, body->size() / 2, size_t{5}}) {
    SCOPED_TRACE(keep);
    ExpectFailure(DecodePushRequest(body->substr(0, keep), Limits{}), CodecError::kMalformed,
                  "zstd");
  }
  ExpectFailure(Decompress("", Limits{}), CodecError::kMalformed, "not a zstd frame");
  ExpectFailure(Decompress("GET / HTTP/1.1\r\n\r\n", Limits{}), CodecError::kMalformed,
                "not a zstd frame");
  ExpectFailure(DecodeHelloRequest("{\"replica_id\":\"x\"}", Limits{}), CodecError::kMalformed,
                "not a zstd frame");

  std::string flipped = *body;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x55);
  EXPECT_EQ(DecodePushRequest(flipped, Limits{}).error(), CodecError::kMalformed);

  std::string bad_checksum = *body;
  bad_checksum.back() = static_cast<char>(bad_checksum.back() ^ 1);
  ExpectFailure(Decompress(bad_checksum, Limits{}), CodecError::kMalformed, "checksum");

  ExpectFailure(Decompress(*body + "x", Limits{}), CodecError::kMalformed, "after its zstd frame");
  ExpectFailure(Decompress(*body + *body, Limits{}), CodecError::kMalformed, "after");

  // Valid zstd around bytes that are not the message.
  ExpectFailure(DecodePushRequest(*Compress("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"), Limits{}),
                CodecError::kMalformed, "not a valid PushRequest");
  // A field whose length runs past the end.
  ExpectFailure(DecodePushRequest(*Compress(std::string("\x12\x7f\x0a\x00", 4)), Limits{}),
                CodecError::kMalformed, "not a valid");
  // A string that is not UTF-8 (protobuf's parser refuses it).
  pb::HelloRequest hello;
  hello.set_replica_id(testing::kReplicaA);
  std::string raw = hello.SerializeAsString();
  raw[raw.size() - 1] = '\xff';
  ExpectFailure(DecodeHelloRequest(*Compress(raw), Limits{}), CodecError::kMalformed,
                "text field 'presentie.sync.v1.HelloRequest.replica_id' is not valid UTF-8");
}

// --- Records per batch and parsing memory ---------------------------------------------

TEST(CodecTest, RefusesTooManyRecordsInEitherLayoutBeforeParsing) {
  Limits limits;
  limits.max_records_per_batch = 10;
  const std::vector<VersionedRecord> eleven = RealisticAttendance(11, 1);
  const std::vector<VersionedRecord> ten = RealisticAttendance(10, 1);
  for (BatchLayout layout : kLayouts) {
    SCOPED_TRACE(Name(layout));
    ExpectFailure(DecodeBatch(*EncodeBatch(eleven, layout), limits), CodecError::kTooManyRecords,
                  "11 versions, more than the limit of 10");
    ExpectFailure(
        DecodePullResponse(
            *EncodePullResponse(PullResponse{eleven, 5, false}, EncodeOptions{layout}), limits),
        CodecError::kTooManyRecords, "11 versions");
    EXPECT_TRUE(DecodeBatch(*EncodeBatch(ten, layout), limits).ok());
  }
  // Plain and column versions count together.
  std::vector<VersionedRecord> mixed = OneOfEachKind();  // 22 plain + 3 attendance
  ExpectFailure(DecodeBatch(*EncodeBatch(mixed, BatchLayout::kColumns), limits),
                CodecError::kTooManyRecords, "25 versions");
  EXPECT_TRUE(IsTooLarge(CodecError::kTooManyRecords));

  // A million empty versions: two bytes each on the wire, refused by count
  // before any of them is built.
  std::string million;
  for (int i = 0; i < 1'000'000; ++i) million += std::string("\x0a\x00", 2);
  ExpectFailure(DecodeBatch(million, Limits{}), CodecError::kTooManyRecords, "1000000 versions");
}

TEST(CodecTest, RefusesABatchWithFarMoreFieldsThanVersions) {
  // One version with 200,000 version-vector entries: small on the wire,
  // large once parsed.
  pb::VersionBatch batch;
  pb::Version* v = batch.add_versions();
  for (int i = 0; i < 200'000; ++i) v->add_vv()->set_counter(1);
  ExpectFailure(DecodeBatch(batch.SerializeAsString(), Limits{}), CodecError::kTooLarge,
                "version vectors hold 200000 fields, more than 1 versions of at most 64 entries "
                "may (128)");
  // Likewise a column that is longer than the version count says.
  pb::VersionBatch columns;
  for (int i = 0; i < 100'000; ++i) columns.mutable_attendance()->add_vv_counter(1);
  ExpectFailure(DecodeBatch(columns.SerializeAsString(), Limits{}), CodecError::kTooLarge,
                "more than 0 versions of at most 64 entries may");
  // And fields that are no version vector's: a note 100,000 times over.
  pb::VersionBatch notes;
  for (int i = 0; i < 100'000; ++i) notes.mutable_attendance()->add_strings("x");
  ExpectFailure(DecodeBatch(notes.SerializeAsString(), Limits{}), CodecError::kTooLarge,
                "fields besides its version vectors, more than 0 versions may (256)");
}

// --- Version vectors: bounded per version (issue 20) ---------------------------------------

// A replica id: 16 hex digits of `n`.
std::string NumberedReplica(size_t n) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016zx", n);
  return buf;
}

// `v` with a version vector of `entries` replicas, its writer's among them;
// the others numbered from `first` on.
VersionedRecord WithEntries(VersionedRecord v, size_t entries, size_t first = 1) {
  for (size_t i = first; v.stamp.vv.entries().size() < entries; ++i) {
    v.stamp.vv.Set(NumberedReplica(i), i);
  }
  return v;
}

// `versions` as a VersionBatch in `layout`, without the encoder's checks:
// what a peer that skips them could send.
std::string Unchecked(const std::vector<VersionedRecord>& versions, BatchLayout layout) {
  pb::VersionBatch batch;
  std::vector<const VersionedRecord*> columns;
  for (const VersionedRecord& v : versions) {
    if (layout == BatchLayout::kColumns && std::holds_alternative<Attendance>(v.record)) {
      columns.push_back(&v);
    } else {
      internal::ToProto(v, batch.add_versions());
    }
  }
  if (!columns.empty()) internal::ToColumns(columns, batch.mutable_attendance());
  return batch.SerializeAsString();
}

// Issue 20: the limit on version-vector entries was an average over the
// batch, so a version whose vector held 3,000 entries rode in beside 200
// small ones; once a device edited that record, the version alone was over
// the limit and every sync of it failed with 413 for good. Now one version
// may name at most 64 replicas, wherever it travels, and is named when it
// names more.
TEST(CodecTest, AVersionWithAHugeVectorIsRefusedByNameWhateverItsNeighbours) {
  std::vector<VersionedRecord> batch = RealisticAttendance(20, 10);  // 200 versions
  ASSERT_EQ(batch.size(), 200u);
  batch[57] = WithEntries(batch[57], 3'000);
  const std::string name = "attendance '" + storage::RecordIdOf(batch[57].record) + "'";
  for (BatchLayout layout : kLayouts) {
    SCOPED_TRACE(Name(layout));
    CodecResult<std::vector<VersionedRecord>> decoded =
        DecodeBatch(Unchecked(batch, layout), Limits{});
    ExpectFailure(decoded, CodecError::kMalformed,
                  "the version vector names 3000 replicas, more than the 64 one version may");
    EXPECT_NE(decoded.status().message().find("version 57"), std::string::npos)
        << decoded.status().message();
    EXPECT_NE(decoded.status().message().find(name), std::string::npos)
        << decoded.status().message();
    // The encoder refuses it too, naming it, so that it fails where it is.
    Result<std::string> encoded = EncodeBatch(batch, layout);
    ASSERT_FALSE(encoded.ok());
    EXPECT_NE(encoded.status().message().find("version 57 (" + name + ")"), std::string::npos)
        << encoded.status().message();
  }
  // 64 entries is within the bound, alone or beside the others, and a
  // version at the bound fits alone even at the lowest element budget a
  // server may configure (16).
  batch[57] = WithEntries(RealisticAttendance(20, 10)[57], 64);
  Limits lowest;
  lowest.max_elements_per_record = 16;
  for (BatchLayout layout : kLayouts) {
    SCOPED_TRACE(Name(layout));
    Result<std::string> bytes = EncodeBatch(batch, layout);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    CodecResult<std::vector<VersionedRecord>> back = DecodeBatch(*bytes, Limits{});
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, Expected(batch, layout));
    Result<std::string> alone = EncodeBatch(std::vector{batch[57]}, layout);
    ASSERT_TRUE(alone.ok());
    EXPECT_TRUE(DecodeBatch(*alone, lowest).ok())
        << DecodeBatch(*alone, lowest).status().ToString();
  }
  // 65 is not.
  batch[57] = WithEntries(batch[57], 65);
  for (BatchLayout layout : kLayouts) {
    ExpectFailure(DecodeBatch(Unchecked(batch, layout), Limits{}), CodecError::kMalformed,
                  "names 65 replicas, more than the 64");
    EXPECT_FALSE(EncodeBatch(batch, layout).ok());
  }
}

TEST(CodecTest, ManyVersionsWithMidSizedVectorsAreNotTooLargeTogether) {
  // 200 versions of 30 entries each: over the old budget of 64 fields per
  // version on average (200 x (15 + 60) > 200 x 64 + 256), yet every one
  // within its own bound. A hub's pull page of such versions must reach
  // every device.
  std::vector<VersionedRecord> batch = RealisticAttendance(20, 10);
  for (VersionedRecord& v : batch) v = WithEntries(v, 30);
  // And the worst a batch of valid versions holds: every version at the
  // bound, each naming 63 replicas no other names (in the column form, 63
  // more strings in the dictionary per version).
  std::vector<VersionedRecord> widest = RealisticAttendance(20, 10);
  for (size_t i = 0; i < widest.size(); ++i) widest[i] = WithEntries(widest[i], 64, 1 + i * 64);
  for (const auto& [what, versions] : {std::pair{"30 entries", batch}, {"64 entries", widest}}) {
    for (BatchLayout layout : kLayouts) {
      SCOPED_TRACE(what + (" " + Name(layout)));
      Result<std::string> bytes = EncodeBatch(versions, layout);
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      CodecResult<std::vector<VersionedRecord>> back = DecodeBatch(*bytes, Limits{});
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_EQ(*back, Expected(versions, layout));
      Result<std::string> body =
          EncodePullResponse(PullResponse{versions, 200, false}, EncodeOptions{layout});
      ASSERT_TRUE(body.ok());
      EXPECT_TRUE(DecodePullResponse(*body, Limits{}).ok());
    }
  }
}

TEST(CodecTest, ACounterAboveTheCeilingIsRefusedByName) {
  std::vector<VersionedRecord> batch = RealisticAttendance(4, 2);
  const uint64_t ceiling = uint64_t{1} << 62;  // kMaxCounter, as docs/sync.md states it
  VersionedRecord& v = batch[5];
  const std::string writer = v.stamp.writer.replica;
  v.stamp.vv.Set(writer, ceiling);
  for (BatchLayout layout : kLayouts) {
    SCOPED_TRACE(Name(layout));
    Result<std::string> bytes = EncodeBatch(batch, layout);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    EXPECT_TRUE(DecodeBatch(*bytes, Limits{}).ok());
  }
  for (uint64_t counter : {ceiling + 1, std::numeric_limits<uint64_t>::max()}) {
    v.stamp.vv.Set(writer, counter);
    for (BatchLayout layout : kLayouts) {
      SCOPED_TRACE(Name(layout));
      CodecResult<std::vector<VersionedRecord>> decoded =
          DecodeBatch(Unchecked(batch, layout), Limits{});
      ExpectFailure(decoded, CodecError::kMalformed,
                    "counter of replica " + writer + " is above the ceiling of 2^62");
      EXPECT_NE(decoded.status().message().find("version 5"), std::string::npos)
          << decoded.status().message();
      Result<std::string> encoded = EncodeBatch(batch, layout);
      ASSERT_FALSE(encoded.ok());
      EXPECT_NE(encoded.status().message().find("above the ceiling"), std::string::npos);
    }
  }
}

// --- Validation of what parses ------------------------------------------------------------

// Encodes `versions` in `layout`, lets `edit` damage the protobuf, and
// decodes the result.
template <typename Edit>
CodecResult<std::vector<VersionedRecord>> Damaged(const std::vector<VersionedRecord>& versions,
                                                  BatchLayout layout, Edit edit) {
  pb::VersionBatch batch;
  EXPECT_TRUE(batch.ParseFromString(*EncodeBatch(versions, layout)));
  edit(batch);
  return DecodeBatch(batch.SerializeAsString(), Limits{});
}

TEST(CodecTest, RefusesADanglingDictionaryIndex) {
  const auto versions = RealisticAttendance(20, 3);
  ExpectFailure(Damaged(versions, BatchLayout::kColumns,
                        [](pb::VersionBatch& b) {
                          b.mutable_attendance()->set_lesson_id(
                              5, static_cast<uint32_t>(b.attendance().strings_size()));
                        }),
                CodecError::kMalformed, "version 5: lesson_id: index");
  ExpectFailure(
      Damaged(versions, BatchLayout::kColumns,
              [](pb::VersionBatch& b) { b.mutable_attendance()->set_vv_replica(59, 1'000'000); }),
      CodecError::kMalformed, "outside the dictionary");
  ExpectFailure(Damaged(versions, BatchLayout::kColumns,
                        [](pb::VersionBatch& b) { b.mutable_attendance()->clear_strings(); }),
                CodecError::kMalformed, "outside the dictionary (0 strings)");
}

TEST(CodecTest, RefusesColumnsOfUnequalLength) {
  const auto versions = RealisticAttendance(20, 3);
  ExpectFailure(
      Damaged(versions, BatchLayout::kColumns,
              [](pb::VersionBatch& b) { b.mutable_attendance()->mutable_status()->RemoveLast(); }),
      CodecError::kMalformed, "'status' has 59 entries, 'lesson_id' has 60");
  ExpectFailure(Damaged(versions, BatchLayout::kColumns,
                        [](pb::VersionBatch& b) { b.mutable_attendance()->add_hlc_delta(1); }),
                CodecError::kMalformed, "'hlc_delta' has 61");
  ExpectFailure(Damaged(versions, BatchLayout::kColumns,
                        [](pb::VersionBatch& b) {
                          b.mutable_attendance()->mutable_vv_counter()->RemoveLast();
                        }),
                CodecError::kMalformed, "'vv_size' adds up to 60 entries");
  ExpectFailure(Damaged(versions, BatchLayout::kColumns,
                        [](pb::VersionBatch& b) { b.mutable_attendance()->set_vv_size(3, 2); }),
                CodecError::kMalformed, "'vv_size' adds up to 61");
}

TEST(CodecTest, RefusesUnknownEnumValues) {
  const auto versions = RealisticAttendance(2, 1);
  // A status name this program does not know, in the dictionary.
  ExpectFailure(Damaged(versions, BatchLayout::kColumns,
                        [](pb::VersionBatch& b) {
                          auto* strings = b.mutable_attendance()->mutable_strings();
                          for (std::string& s : *strings) {
                            if (s == "present") s = "aanwezig";
                          }
                        }),
                CodecError::kMalformed, "status: unknown value");
  // A name Parse would accept but that is not canonical.
  ExpectFailure(Damaged(versions, BatchLayout::kColumns,
                        [](pb::VersionBatch& b) {
                          for (std::string& s : *b.mutable_attendance()->mutable_strings()) {
                            if (s == "on_site") s = "On-Site";
                          }
                        }),
                CodecError::kMalformed, "mode: unknown value");
  ExpectFailure(Damaged(versions, BatchLayout::kColumns,
                        [](pb::VersionBatch& b) {
                          b.mutable_attendance()->set_writer_role(1, static_cast<pb::Role>(42));
                        }),
                CodecError::kMalformed, "writer_role has an unknown value (42)");
  ExpectFailure(Damaged(versions, BatchLayout::kPlain,
                        [](pb::VersionBatch& b) {
                          b.mutable_versions(1)->mutable_attendance()->set_status("here");
                        }),
                CodecError::kMalformed, "version 1: attendance '");
  ExpectFailure(Damaged(versions, BatchLayout::kPlain,
                        [](pb::VersionBatch& b) {
                          b.mutable_versions(0)->mutable_writer()->set_role(pb::ROLE_UNSPECIFIED);
                        }),
                CodecError::kMalformed, "writer role has an unknown value (0)");
  const auto kinds = OneOfEachKind();
  ExpectFailure(Damaged(kinds, BatchLayout::kPlain,
                        [](pb::VersionBatch& b) {
                          b.mutable_versions(0)->mutable_learner()->set_category("refugee");
                        }),
                CodecError::kMalformed, "learner 'S1042': category has an unknown value");
  ExpectFailure(Damaged(kinds, BatchLayout::kPlain,
                        [](pb::VersionBatch& b) {
                          b.mutable_versions(3)->mutable_course()->set_start_date("2026-02-30");
                        }),
                CodecError::kMalformed, "start date is not a date");
  ExpectFailure(Damaged(kinds, BatchLayout::kPlain,
                        [](pb::VersionBatch& b) {
                          b.mutable_versions(6)->mutable_lesson()->set_start("2026-11-30 09:00");
                        }),
                CodecError::kMalformed, "start is not a date and time");
}

// No lesson is longer than 720 minutes (core's Validate(Lesson)): minutes
// outside 0..720 are nonsense, refused by the decoder in either layout and
// never encoded.
TEST(CodecTest, RefusesMinutesOutsideAnyLesson) {
  const auto versions = RealisticAttendance(2, 1);
  for (int minutes : {-1, 721, 100'000}) {
    ExpectFailure(Damaged(versions, BatchLayout::kColumns,
                          [minutes](pb::VersionBatch& b) {
                            b.mutable_attendance()->set_minutes_present(1, minutes);
                          }),
                  CodecError::kMalformed, "is not within 0..720");
    ExpectFailure(Damaged(versions, BatchLayout::kPlain,
                          [minutes](pb::VersionBatch& b) {
                            b.mutable_versions(1)->mutable_attendance()->set_minutes_present(
                                minutes);
                          }),
                  CodecError::kMalformed, "is not within 0..720");
    std::vector<VersionedRecord> v = {versions[0]};
    std::get<Attendance>(v[0].record).minutes_present = minutes;
    EXPECT_FALSE(EncodeBatch(v, BatchLayout::kPlain).ok()) << minutes;
    EXPECT_FALSE(EncodeBatch(v, BatchLayout::kColumns).ok()) << minutes;
  }
  std::vector<VersionedRecord> v = {versions[0]};
  std::get<Attendance>(v[0].record).minutes_present = 720;
  EXPECT_TRUE(EncodeBatch(v, BatchLayout::kColumns).ok());
}

TEST(CodecTest, RefusesInvalidIdsAndVersionVectors) {
  const auto kinds = OneOfEachKind();
  // A BSN-like value in an id field is refused without being shown.
  CodecResult<std::vector<VersionedRecord>> r = Damaged(
      kinds, BatchLayout::kPlain,
      [](pb::VersionBatch& b) { b.mutable_versions(0)->mutable_learner()->set_id("1234 56782"); });
  ExpectFailure(r, CodecError::kMalformed, "learner id contains a space");
  EXPECT_EQ(r.status().message().find("56782"), std::string::npos);

  ExpectFailure(Damaged(kinds, BatchLayout::kColumns,
                        [](pb::VersionBatch& b) {
                          for (std::string& s : *b.mutable_attendance()->mutable_strings()) {
                            if (s == "S7") s = "S/7";
                          }
                        }),
                CodecError::kMalformed, "learner_id: id contains '/'");
  ExpectFailure(Damaged(kinds, BatchLayout::kPlain,
                        [](pb::VersionBatch& b) { b.mutable_versions(2)->clear_vv(); }),
                CodecError::kMalformed, "course 'NT2-B1-2026A': version vector is empty");
  ExpectFailure(
      Damaged(kinds, BatchLayout::kPlain,
              [](pb::VersionBatch& b) { b.mutable_versions(8)->mutable_vv(0)->set_counter(0); }),
      CodecError::kMalformed, "zero counter");
  ExpectFailure(Damaged(kinds, BatchLayout::kPlain,
                        [](pb::VersionBatch& b) {
                          // kinds[8]'s vector is {B: 3, C: 1}; swap to unsorted.
                          b.mutable_versions(8)->mutable_vv()->SwapElements(0, 1);
                        }),
                CodecError::kMalformed, "not strictly sorted");
  ExpectFailure(Damaged(kinds, BatchLayout::kColumns,
                        [](pb::VersionBatch& b) {
                          // Version 8 (the 2nd column version) has two entries.
                          auto* c = b.mutable_attendance();
                          c->set_vv_replica(2, c->vv_replica(1));
                        }),
                CodecError::kMalformed, "not strictly sorted");
  ExpectFailure(Damaged(kinds, BatchLayout::kPlain,
                        [](pb::VersionBatch& b) {
                          b.mutable_versions(4)->mutable_writer()->set_replica("0A1B2C3D4E5F6071");
                        }),
                CodecError::kMalformed, "writer: replica id must be 16 lowercase");
  ExpectFailure(Damaged(kinds, BatchLayout::kPlain,
                        [](pb::VersionBatch& b) { b.mutable_versions(5)->clear_record(); }),
                CodecError::kMalformed, "version 5: holds no record of a kind this program knows");
  ExpectFailure(Damaged(kinds, BatchLayout::kPlain,
                        [](pb::VersionBatch& b) {
                          b.mutable_versions(7)->mutable_attendance()->set_decision("excused");
                        }),
                CodecError::kMalformed, "both be set or both be empty");
}

TEST(CodecTest, MessagesValidateTheirFields) {
  pb::PushRequest push;
  push.set_idempotency_id("a b");
  ExpectFailure(DecodePushRequest(*Compress(push.SerializeAsString()), Limits{}),
                CodecError::kMalformed, "idempotency id");
  pb::HelloResponse hello;
  hello.set_protocol_version(1);
  hello.set_replica_id(testing::kReplicaA);
  hello.set_role(pb::ROLE_HUB);
  ExpectFailure(DecodeHelloResponse(*Compress(hello.SerializeAsString()), Limits{}),
                CodecError::kMalformed, "client role has an unknown value (0)");
  pb::PullRequest pull;
  pull.set_after_seq(-1);
  ExpectFailure(DecodePullRequest(*Compress(pull.SerializeAsString()), Limits{}),
                CodecError::kMalformed, "after_seq is negative");
  // Fields a newer peer added are skipped.
  pb::HelloRequest newer;
  newer.set_protocol_version(2);
  newer.set_replica_id(testing::kReplicaA);
  std::string raw = newer.SerializeAsString() + std::string("\xa0\x06\x01", 3);  // field 100
  CodecResult<HelloRequest> decoded = DecodeHelloRequest(*Compress(raw), Limits{});
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->protocol_version, 2u);
}

// --- Pull sessions ------------------------------------------------------------

// `body`, a pull response, changed by `edit` and sealed again.
template <typename Edit>
std::string Resealed(const std::string& body, Edit edit) {
  pb::PullResponse p;
  EXPECT_TRUE(p.ParseFromString(*Decompress(body, Limits{})));
  edit(p);
  return *Compress(p.SerializeAsString());
}

pb::PullResponse Parsed(const std::string& body) {
  pb::PullResponse p;
  EXPECT_TRUE(p.ParseFromString(*Decompress(body, Limits{})));
  return p;
}

// `v` in the order of its record ids: a page in a pull session comes ordered
// by writer and clock.
std::vector<VersionedRecord> ById(std::vector<VersionedRecord> v) {
  std::sort(v.begin(), v.end(), [](const VersionedRecord& a, const VersionedRecord& b) {
    return storage::RecordIdOf(a.record) < storage::RecordIdOf(b.record);
  });
  return v;
}

// Pages of `versions` in one pull session, as a server sends them.
std::vector<std::string> SessionPages(const std::vector<VersionedRecord>& versions, size_t page,
                                      SessionIndex* session, const std::string& id = "s1") {
  std::vector<std::string> pages;
  for (size_t at = 0; at < versions.size(); at += page) {
    const size_t n = std::min(page, versions.size() - at);
    PullResponse response;
    response.versions.assign(versions.begin() + static_cast<ptrdiff_t>(at),
                             versions.begin() + static_cast<ptrdiff_t>(at + n));
    response.next_seq = static_cast<int64_t>(at + n);
    response.more = at + n < versions.size();
    response.session_id = id;
    Result<std::string> body = EncodePullResponse(response, EncodeOptions{}, session);
    EXPECT_TRUE(body.ok()) << body.status().ToString();
    pages.push_back(*body);
  }
  return pages;
}

TEST(CodecTest, PullPagesInASessionRoundTripAndSendEachStringOnce) {
  // (In a session the clock travels as hlc_wall_delta and hlc_logical, the
  // counters as vv_counter_delta.)
  const std::vector<VersionedRecord> versions = RealisticAttendance(20, 100);
  SessionIndex server;
  const std::vector<std::string> pages = SessionPages(versions, 500, &server);
  ASSERT_EQ(pages.size(), 4u);
  PullDictionary client;
  size_t base = 0;
  for (size_t k = 0; k < pages.size(); ++k) {
    const pb::PullResponse p = Parsed(pages[k]);
    EXPECT_EQ(p.batch().attendance().base(), base) << "page " << k;
    EXPECT_EQ(p.batch().attendance().hlc_delta_size(), 0);
    EXPECT_EQ(p.batch().attendance().hlc_wall_delta_size(), 500);
    EXPECT_EQ(p.batch().attendance().vv_counter_size(), 0);
    EXPECT_EQ(p.batch().attendance().vv_counter_delta_size(), 500);
    base += p.batch().attendance().shared();
    CodecResult<PullResponse> page = DecodePullPage(pages[k], Limits{}, &client);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_EQ(page->session_id, "s1");
    const std::vector<VersionedRecord> sent(
        versions.begin() + static_cast<ptrdiff_t>(500 * k),
        versions.begin() + static_cast<ptrdiff_t>(500 * k + 500));
    EXPECT_EQ(ById(page->versions), ById(sent)) << "page " << k;
    EXPECT_EQ(client.strings.size(), base);
  }
  EXPECT_EQ(client.session_id, "s1");
  EXPECT_EQ(client.strings.size(), server.size());
  // Each lesson id, learner id and writer travelled once: the later pages
  // name the 20 learners and the writers from the session's dictionary.
  const pb::AttendanceColumns last = Parsed(pages.back()).batch().attendance();
  for (int i = 0; i < static_cast<int>(last.shared()); ++i) {
    EXPECT_EQ(last.strings(i).rfind("S10", 0), std::string::npos) << last.strings(i);
  }
  // Notes stay in their page.
  for (const std::string& kept : client.strings) {
    EXPECT_NE(kept, "ziek gemeld");
    EXPECT_NE(kept, "te laat (bus)");
  }
  // A page without a session decodes as before, and the codec without a
  // dictionary still reads a session's first page.
  CodecResult<PullResponse> alone = DecodePullResponse(pages[0], Limits{});
  ASSERT_TRUE(alone.ok()) << alone.status().ToString();
  EXPECT_EQ(alone->versions.size(), 500u);
}

TEST(CodecTest, APageOfAnotherSessionOrOfNoneStartsTheDictionaryAnew) {
  const std::vector<VersionedRecord> versions = RealisticAttendance(20, 10);
  SessionIndex first;
  const std::vector<std::string> old_pages = SessionPages(versions, 100, &first, "old");
  PullDictionary client;
  ASSERT_TRUE(DecodePullPage(old_pages[0], Limits{}, &client).ok());
  ASSERT_TRUE(DecodePullPage(old_pages[1], Limits{}, &client).ok());
  ASSERT_GT(client.strings.size(), 0u);
  // The server forgot "old" (a restart): its new session starts at 0.
  SessionIndex second;
  const std::vector<std::string> new_pages = SessionPages(versions, 100, &second, "new");
  CodecResult<PullResponse> page = DecodePullPage(new_pages[1], Limits{}, &client);
  ExpectFailure(page, CodecError::kMalformed, "which holds 0");
  EXPECT_EQ(client.session_id, "old") << "a refused page changes nothing";
  page = DecodePullPage(new_pages[0], Limits{}, &client);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(client.session_id, "new");
  EXPECT_EQ(client.strings.size(),
            static_cast<size_t>(Parsed(new_pages[0]).batch().attendance().shared()));
  // A page without a session ends it.
  PullResponse plain;
  plain.versions = versions;
  ASSERT_TRUE(DecodePullPage(*EncodePullResponse(plain), Limits{}, &client).ok());
  EXPECT_EQ(client.session_id, "");
  EXPECT_TRUE(client.strings.empty());
}

TEST(CodecTest, RefusesAPageThatDoesNotFitTheSessionTheClientHolds) {
  const std::vector<VersionedRecord> versions = RealisticAttendance(20, 10);
  SessionIndex server;
  const std::vector<std::string> pages = SessionPages(versions, 100, &server);
  ASSERT_EQ(pages.size(), 2u);
  const uint32_t base = Parsed(pages[1]).batch().attendance().base();
  ASSERT_GT(base, 0u);
  // The second page without the first: its base names strings not held.
  PullDictionary fresh;
  ExpectFailure(
      DecodePullPage(pages[1], Limits{}, &fresh), CodecError::kMalformed,
      "'base' names " + std::to_string(base) + " strings of the pull session, which holds 0");
  EXPECT_TRUE(fresh.strings.empty());
  ExpectFailure(DecodePullResponse(pages[1], Limits{}), CodecError::kMalformed,
                "and there is none");

  PullDictionary client;
  ASSERT_TRUE(DecodePullPage(pages[0], Limits{}, &client).ok());
  const PullDictionary held = client;
  auto refused = [&](const std::string& body, const std::string& says) {
    ExpectFailure(DecodePullPage(body, Limits{}, &client), CodecError::kMalformed, says);
    EXPECT_EQ(client.strings, held.strings) << says;
    EXPECT_EQ(client.session_id, held.session_id) << says;
  };
  // A base larger, or smaller, than what the client holds.
  refused(Resealed(pages[1],
                   [](pb::PullResponse& p) {
                     auto* c = p.mutable_batch()->mutable_attendance();
                     c->set_base(c->base() + 1);
                   }),
          "which holds " + std::to_string(base));
  refused(Resealed(pages[1],
                   [](pb::PullResponse& p) {
                     auto* c = p.mutable_batch()->mutable_attendance();
                     c->set_base(c->base() - 1);
                   }),
          "which holds " + std::to_string(base));
  // An index past the session's strings and the page's.
  refused(Resealed(pages[1],
                   [](pb::PullResponse& p) {
                     auto* c = p.mutable_batch()->mutable_attendance();
                     c->set_learner_id(3, c->base() + static_cast<uint32_t>(c->strings_size()));
                   }),
          "version 3: learner_id: index");
  // More shared strings than sent.
  refused(Resealed(pages[1],
                   [](pb::PullResponse& p) {
                     auto* c = p.mutable_batch()->mutable_attendance();
                     c->set_shared(static_cast<uint32_t>(c->strings_size()) + 1);
                   }),
          "'shared' is");
  // A session index that names an id as a status.
  refused(Resealed(pages[1],
                   [](pb::PullResponse& p) {
                     p.mutable_batch()->mutable_attendance()->set_status(0, 0);
                   }),
          "status: unknown value");
  // The clock in a session's two columns: bounded, and in one form only.
  refused(Resealed(pages[1],
                   [](pb::PullResponse& p) {
                     p.mutable_batch()->mutable_attendance()->set_hlc_logical(2, 1 << 16);
                   }),
          "hlc is outside what a stamp holds");
  refused(Resealed(pages[1],
                   [](pb::PullResponse& p) {
                     p.mutable_batch()->mutable_attendance()->add_hlc_delta(1);
                   }),
          "'hlc_delta' has 1 entries");
  refused(Resealed(pages[1],
                   [](pb::PullResponse& p) {
                     p.mutable_batch()->mutable_attendance()->mutable_hlc_logical()->RemoveLast();
                   }),
          "'hlc_logical' has 99 entries");
  // The counters in a session's delta column, in one form only.
  refused(Resealed(pages[1],
                   [](pb::PullResponse& p) {
                     p.mutable_batch()->mutable_attendance()->add_vv_counter(1);
                   }),
          "in both 'vv_counter' and 'vv_counter_delta'");
  refused(Resealed(pages[1],
                   [](pb::PullResponse& p) {
                     auto* c = p.mutable_batch()->mutable_attendance();
                     c->set_vv_counter_delta(0, -static_cast<int64_t>(c->vv_counter_delta(0)));
                   }),
          "version 0");
  // More strings than a session may hold.
  PullDictionary full;
  full.session_id = "s1";
  full.strings.assign(kMaxSessionStrings, "x");
  ExpectFailure(DecodePullPage(Resealed(pages[0],
                                        [](pb::PullResponse& p) {
                                          p.mutable_batch()->mutable_attendance()->set_base(
                                              static_cast<uint32_t>(kMaxSessionStrings));
                                        }),
                               Limits{}, &full),
                CodecError::kMalformed, "more than 262144 strings");
  // The session id is bounded.
  ExpectFailure(
      DecodePullResponse(
          Resealed(pages[0], [](pb::PullResponse& p) { p.set_session_id(std::string(65, 'x')); }),
          Limits{}),
      CodecError::kMalformed, "session id is longer than 64 bytes");
}

TEST(CodecTest, ASessionKeepsNoMoreStringsThanItsBounds) {
  const std::vector<VersionedRecord> versions = RealisticAttendance(20, 10);
  SessionIndex small(30);
  const std::vector<std::string> pages = SessionPages(versions, 100, &small);
  EXPECT_EQ(small.size(), 30u);
  PullDictionary client;
  for (const std::string& body : pages) {
    CodecResult<PullResponse> page = DecodePullPage(body, Limits{}, &client);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
  }
  EXPECT_EQ(client.strings.size(), 30u);
  SessionIndex bytes(1000, 40);
  EXPECT_TRUE(bytes.Add(std::string(40, 'a')));
  EXPECT_FALSE(bytes.Add("b"));
  EXPECT_EQ(bytes.size(), 1u);
}

TEST(CodecTest, APullRequestNamesItsSessionOnlyWhenTheClientKeepsOne) {
  PullRequest older{7, 100};
  CodecResult<PullRequest> back = DecodePullRequest(*EncodePullRequest(older), Limits{});
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->use_session);
  PullRequest newer{7, 100, true, std::string("\x01\x02", 2), 4321};
  back = DecodePullRequest(*EncodePullRequest(newer), Limits{});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, newer);
  PullRequest first{0, 0, true, "", 0};
  back = DecodePullRequest(*EncodePullRequest(first), Limits{});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, first);
}

}  // namespace codec_test
}  // namespace presentie::sync
