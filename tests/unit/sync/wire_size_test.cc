// Wire bytes per attendance version (sync_bench's goal in docs/benchmarks.md:
// <= 20 after zstd). A size, not a timing: deterministic, so a test. Prints
// both layouts and a few page sizes, for the engine's choice of pull page.
#include <gtest/gtest.h>

#include <cstdio>
#include <span>
#include <vector>

#include "sync/codec.h"
#include "sync_test_util.h"

namespace presentie::sync {
namespace wire_size_test {

using storage::VersionedRecord;

struct Size {
  double raw_per_version = 0;
  double zstd_per_version = 0;
};

// Bytes per version of `versions` sent in pages of `page` as pull responses.
Size Measure(const std::vector<VersionedRecord>& versions, BatchLayout layout, size_t page) {
  size_t raw = 0;
  size_t wire = 0;
  for (size_t at = 0; at < versions.size(); at += page) {
    const size_t n = std::min(page, versions.size() - at);
    std::span<const VersionedRecord> slice(versions.data() + at, n);
    Result<std::string> batch = EncodeBatch(slice, layout);
    EXPECT_TRUE(batch.ok());
    raw += batch->size();
    PullResponse response{{slice.begin(), slice.end()}, static_cast<int64_t>(at + n), true};
    Result<std::string> body = EncodePullResponse(response, EncodeOptions{layout});
    EXPECT_TRUE(body.ok());
    wire += body->size();
    // What was measured also decodes to what was sent.
    CodecResult<PullResponse> back = DecodePullResponse(*body, Limits{});
    EXPECT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->versions.size(), n);
  }
  const auto count = static_cast<double>(versions.size());
  return Size{static_cast<double>(raw) / count, static_cast<double>(wire) / count};
}

TEST(WireSizeTest, ColumnLayoutStaysWithinTwentyBytesPerAttendanceVersion) {
  // 20 learners x 500 lessons, three teacher devices, mostly present.
  const std::vector<VersionedRecord> versions = testing::RealisticAttendance(20, 500);
  ASSERT_EQ(versions.size(), 10'000u);
  for (size_t page : {size_t{10'000}, size_t{1'000}}) {
    const Size plain = Measure(versions, BatchLayout::kPlain, page);
    const Size columns = Measure(versions, BatchLayout::kColumns, page);
    std::printf(
        "[wire size] %zu attendance versions in pages of %zu: plain %.1f B/version "
        "(%.1f before zstd), columns %.2f B/version (%.1f before zstd)\n",
        versions.size(), page, plain.zstd_per_version, plain.raw_per_version,
        columns.zstd_per_version, columns.raw_per_version);
    EXPECT_LE(columns.zstd_per_version, 20.0) << "page " << page;
    EXPECT_LT(columns.zstd_per_version, plain.zstd_per_version) << "page " << page;
  }
}

// Issue 21: pages of real-shaped data (random UUIDs as lesson and learner
// ids, in no order) each carried the ids they named, which zstd cannot
// shrink: 26 B/version at 1M in sync_bench. In a pull session each string
// travels once per sync, and the page is ordered by writer and clock.
TEST(WireSizeTest, APullSessionSendsEachIdOncePerSync) {
  const std::vector<VersionedRecord> versions = testing::RealShapedAttendance(50'000);
  constexpr size_t kPage = 5'000;
  SessionIndex server;
  PullDictionary client;
  size_t with = 0;
  size_t without = 0;
  for (size_t at = 0; at < versions.size(); at += kPage) {
    PullResponse response;
    response.versions.assign(versions.begin() + static_cast<ptrdiff_t>(at),
                             versions.begin() + static_cast<ptrdiff_t>(at + kPage));
    response.next_seq = static_cast<int64_t>(at + kPage);
    response.more = true;
    Result<std::string> plain = EncodePullResponse(response);
    ASSERT_TRUE(plain.ok());
    without += plain->size();
    response.session_id = "session";
    Result<std::string> body = EncodePullResponse(response, EncodeOptions{}, &server);
    ASSERT_TRUE(body.ok());
    with += body->size();
    CodecResult<PullResponse> back = DecodePullPage(*body, Limits{}, &client);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->versions.size(), kPage);
  }
  const double n = static_cast<double>(versions.size());
  std::printf(
      "[wire size] %zu real-shaped attendance versions in pages of %zu: %.2f B/version "
      "in a pull session, %.2f without\n",
      versions.size(), kPage, static_cast<double>(with) / n, static_cast<double>(without) / n);
  EXPECT_LE(static_cast<double>(with) / n, 10.0);
  EXPECT_LT(static_cast<double>(with), 0.5 * static_cast<double>(without));
}

}  // namespace wire_size_test
}  // namespace presentie::sync
