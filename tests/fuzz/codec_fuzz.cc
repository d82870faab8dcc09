// libFuzzer target: every decoder of the wire (sync/codec.h) on arbitrary
// bytes, under small limits, and what decodes must encode and decode to the
// same value (the encoder refuses nothing the decoder took).
//
// The first byte chooses the message (its low 3 bits) and whether the rest
// is a body as received (zstd and all) or protobuf bytes that this target
// compresses first (bit 7), so that the fuzzer reaches the parsers, not only
// zstd's frame checks. Built by `make fuzz` (clang, tests/fuzz/CMakeLists.txt).
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "sync/codec.h"
#include "tests/fuzz/fuzz_input.h"
#include "sync/messages.h"

namespace {

using namespace presentie::sync;  // NOLINT: a fuzz target's one namespace

Limits SmallLimits() {
  Limits l;
  l.max_compressed_bytes = 64 * 1024;
  l.max_decompressed_bytes = 256 * 1024;
  l.max_records_per_batch = 200;
  return l;
}

// Decodes with `decode`; when that succeeds, the value must encode, and the
// encoding must decode to the same value.
template <typename Decode, typename Encode>
void RoundTrip(std::string_view body, Decode decode, Encode encode) {
  const Limits limits = SmallLimits();
  auto decoded = decode(body, limits);
  if (!decoded.ok()) return;
  auto encoded = encode(*decoded);
  if (!encoded.ok()) std::abort();  // the encoder refused what the decoder took
  auto again = decode(*encoded, limits);
  if (!again.ok() || !(*again == *decoded)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::optional<presentie::fuzz::Input> in = presentie::fuzz::ReadInput(data, size);
  if (!in.has_value()) return 0;
  const uint8_t selector = in->selector;
  const std::string& body = in->body;
  switch (selector & 7) {
    case 0:
      RoundTrip(body, DecodeHelloRequest, [](const auto& m) { return EncodeHelloRequest(m); });
      break;
    case 1:
      RoundTrip(body, DecodeHelloResponse, [](const auto& m) { return EncodeHelloResponse(m); });
      break;
    case 2:
      RoundTrip(body, DecodePushRequest, [](const auto& m) { return EncodePushRequest(m); });
      break;
    case 3:
      RoundTrip(body, DecodePushResponse, [](const auto& m) { return EncodePushResponse(m); });
      break;
    case 4:
      RoundTrip(body, DecodePullRequest, [](const auto& m) { return EncodePullRequest(m); });
      break;
    case 5:
      RoundTrip(body, DecodePullResponse, [](const auto& m) { return EncodePullResponse(m); });
      break;
    case 6:
      RoundTrip(body, DecodeErrorReply, [](const auto& m) { return EncodeErrorReply(m); });
      break;
    default: {
      auto inflated = Decompress(body, SmallLimits());
      (void)inflated;
      break;
    }
  }
  return 0;
}
