// The text names of an enum, written once: one table per enum of (value,
// canonical name), read by both ToString and Parse. Spellings that parsing
// also accepts (Dutch words, old forms) go in a separate alias table, so that
// ToString can only ever give the canonical name.
//
// The names are permanent (on disk, in CSV files, in --json): a table entry
// is never renamed; a new value gets a new entry.
#ifndef PRESENTIE_CORE_ENUM_NAMES_H_
#define PRESENTIE_CORE_ENUM_NAMES_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace presentie {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

// True when `table` lists the values 0, 1, 2, ... in the enum's order, each
// once, and no name twice: for a static_assert next to each table.
template <typename E, size_t N>
constexpr bool IsEnumTable(const EnumName<E> (&table)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (static_cast<size_t>(table[i].value) != i) return false;
    for (size_t j = 0; j < i; ++j) {
      if (table[j].name == table[i].name) return false;
    }
  }
  return true;
}

// The name of `value`, or `fallback` when the table has no entry for it (a
// value cast from an out-of-range integer). A linear scan: the tables are
// short and this runs on write paths, where it must not allocate.
template <typename E>
constexpr std::string_view NameOf(std::span<const EnumName<std::type_identity_t<E>>> table, E value,
                                  std::string_view fallback) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return fallback;
}

// The value of the first entry whose name `same(text, name)` accepts; exact
// comparison by default.
template <typename E, typename Same = std::equal_to<>>
constexpr std::optional<E> ValueOf(std::span<const EnumName<E>> table, std::string_view text,
                                   Same same = {}) {
  for (const auto& entry : table) {
    if (same(text, entry.name)) return entry.value;
  }
  return std::nullopt;
}

// The names in the table's order for an error message: "a, b or c" (with the
// default `last_separator`).
template <typename E>
std::string NameList(std::span<const EnumName<E>> table, std::string_view last_separator = " or ") {
  std::string out;
  for (size_t i = 0; i < table.size(); ++i) {
    if (i > 0) out += i + 1 == table.size() ? last_separator : std::string_view(", ");
    out += table[i].name;
  }
  return out;
}

}  // namespace presentie

#endif  // PRESENTIE_CORE_ENUM_NAMES_H_
