// What both fuzz targets do with an input first: its first byte chooses
// (the target says what), and bit 7 of it says whether the rest is a body as
// sent or protobuf bytes to compress first, so that the fuzzer reaches the
// parsers and not only zstd's frame checks.
#ifndef PRESENTIE_TESTS_FUZZ_FUZZ_INPUT_H_
#define PRESENTIE_TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sync/codec.h"

namespace presentie::fuzz {

struct Input {
  uint8_t selector = 0;
  std::string body;
};

// nullopt for an empty input, or one that cannot be compressed.
inline std::optional<Input> ReadInput(const uint8_t* data, size_t size) {
  if (size == 0) return std::nullopt;
  Input in;
  in.selector = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (in.selector & 0x80) {
    auto compressed = sync::Compress(rest, 1);
    if (!compressed.ok()) return std::nullopt;
    in.body = std::move(*compressed);
  } else {
    in.body = std::string(rest);
  }
  return in;
}

}  // namespace presentie::fuzz

#endif  // PRESENTIE_TESTS_FUZZ_FUZZ_INPUT_H_
