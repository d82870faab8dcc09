// Properties of the codec: any valid batch survives both layouts, alone and
// inside a body; no truncation of a valid body decodes; damage never crashes.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <vector>

#include "sync/codec.h"
#include "sync_test_util.h"

namespace presentie::sync {
namespace codec_property_test {

using storage::VersionedRecord;
using testing::ColumnOrder;
using testing::GenVersion;

// Up to 40 versions: enough for dictionaries to repeat and every column to
// vary, small enough to keep the sanitizer build quick.
rc::Gen<std::vector<VersionedRecord>> GenBatch() {
  return rc::gen::mapcat(rc::gen::inRange(0, 41), [](int n) {
    return rc::gen::container<std::vector<VersionedRecord>>(static_cast<size_t>(n), GenVersion());
  });
}

RC_GTEST_PROP(CodecPropertyTest, RandomValidBatchesRoundTripInBothLayouts, ()) {
  const std::vector<VersionedRecord> versions = *GenBatch();
  for (BatchLayout layout : {BatchLayout::kPlain, BatchLayout::kColumns}) {
    Result<std::string> bytes = EncodeBatch(versions, layout);
    RC_ASSERT(bytes.ok());
    CodecResult<std::vector<VersionedRecord>> back = DecodeBatch(*bytes, Limits{});
    RC_ASSERT(back.ok());
    RC_ASSERT(*back == (layout == BatchLayout::kColumns ? ColumnOrder(versions) : versions));
  }
}

RC_GTEST_PROP(CodecPropertyTest, RandomPullPagesRoundTripAsBodies, ()) {
  PullResponse page{*GenBatch(), *rc::gen::inRange<int64_t>(0, int64_t{1} << 50),
                    *rc::gen::arbitrary<bool>()};
  const auto layout = *rc::gen::element(BatchLayout::kPlain, BatchLayout::kColumns);
  Result<std::string> body = EncodePullResponse(page, EncodeOptions{layout});
  RC_ASSERT(body.ok());
  CodecResult<PullResponse> back = DecodePullResponse(*body, Limits{});
  RC_ASSERT(back.ok());
  if (layout == BatchLayout::kColumns) page.versions = ColumnOrder(page.versions);
  RC_ASSERT(*back == page);
}

RC_GTEST_PROP(CodecPropertyTest, NoTruncationOfAValidBodyDecodes, ()) {
  const std::vector<VersionedRecord> versions = *rc::gen::nonEmpty(GenBatch());
  Result<std::string> body = EncodePushRequest(PushRequest{"p1", versions, 0, 0});
  RC_ASSERT(body.ok());
  const size_t keep = *rc::gen::inRange<size_t>(0, body->size());
  CodecResult<PushRequest> back = DecodePushRequest(body->substr(0, keep), Limits{});
  RC_ASSERT(!back.ok());
  RC_ASSERT(back.error() == CodecError::kMalformed);
}

// A cheap fuzz under the sanitizers: damaged protobuf (not just damaged
// zstd, which the checksum catches) is refused or decodes to valid versions,
// and never crashes, leaks or overflows.
RC_GTEST_PROP(CodecPropertyTest, DamagedBatchesAreRefusedOrValidNeverACrash, ()) {
  const std::vector<VersionedRecord> versions = *rc::gen::nonEmpty(GenBatch());
  const auto layout = *rc::gen::element(BatchLayout::kPlain, BatchLayout::kColumns);
  Result<std::string> bytes = EncodeBatch(versions, layout);
  RC_ASSERT(bytes.ok());
  std::string damaged = *bytes;
  const int edits = *rc::gen::inRange(1, 8);
  for (int i = 0; i < edits; ++i) {
    const size_t at = *rc::gen::inRange<size_t>(0, damaged.size());
    damaged[at] = static_cast<char>(*rc::gen::arbitrary<uint8_t>());
  }
  CodecResult<std::vector<VersionedRecord>> back = DecodeBatch(damaged, Limits{});
  if (back.ok()) {
    // Whatever decoded is valid: it encodes again.
    RC_ASSERT(EncodeBatch(*back, BatchLayout::kPlain).ok());
  } else {
    RC_ASSERT(back.error() == CodecError::kMalformed || IsTooLarge(back.error()));
  }
}

}  // namespace codec_property_test
}  // namespace presentie::sync
