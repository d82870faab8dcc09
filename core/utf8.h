// UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing
// above U+10FFFF. Every check of text from outside (a CSV file, a wire
// message, a stored body) goes through these.
#ifndef PRESENTIE_CORE_UTF8_H_
#define PRESENTIE_CORE_UTF8_H_

#include <cstddef>
#include <optional>
#include <string_view>

namespace presentie {

// The length of the well-formed sequence that starts at text[i] (1 for an
// ASCII byte), or 0 when none starts there. Requires i < text.size().
size_t Utf8SequenceLength(std::string_view text, size_t i);

// The offset of the first byte that starts no well-formed sequence, or
// std::string_view::npos when the whole text is UTF-8.
size_t FirstInvalidUtf8(std::string_view text);

inline bool IsUtf8(std::string_view text) {
  return FirstInvalidUtf8(text) == std::string_view::npos;
}

// The number of code points; nullopt when the text is not UTF-8.
std::optional<size_t> Utf8Length(std::string_view text);

}  // namespace presentie

#endif  // PRESENTIE_CORE_UTF8_H_
