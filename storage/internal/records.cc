#include "storage/internal/records.h"

#include <cassert>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "core/enum_names.h"
#include "core/utf8.h"
#include "storage/kinds/all.h"
#include "storage/store.h"

namespace presentie::storage {

namespace {

// The names on disk (the changes table, the outbox) and in sync messages:
// each kind's traits name it (storage/kinds/).
constexpr std::span<const EnumName<RecordKind>> kRecordKindNames = kinds::kKindNames;
static_assert([] {
  for (size_t i = 0; i < kRecordKindNames.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (kRecordKindNames[i].name == kRecordKindNames[j].name) return false;
    }
  }
  return true;
}());

}  // namespace

std::string_view ToString(RecordKind k) { return NameOf(kRecordKindNames, k, ""); }

Result<RecordKind> ParseRecordKind(std::string_view text) {
  if (std::optional<RecordKind> k = ValueOf<RecordKind>(kRecordKindNames, text)) return *k;
  return InvalidArgument("unknown record kind '" + std::string(text) + "'");
}

namespace internal {

size_t SplitAttendanceFacts(std::string_view facts, std::string_view (&fields)[7],
                            std::string_view* note) {
  *note = {};
  for (size_t i = 0; i < 7; ++i) {
    const size_t bar = facts.find('|');
    if (bar == std::string_view::npos) return i;
    fields[i] = facts.substr(0, bar);
    facts.remove_prefix(bar + 1);
  }
  *note = facts;
  return 7;
}

std::string JoinLines(std::span<const std::string> lines) {
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  size_t from = 0;
  for (;;) {
    const size_t nl = text.find('\n', from);
    out.emplace_back(text.substr(from, nl - from));
    if (nl == std::string_view::npos) break;
    from = nl + 1;
  }
  return out;
}

}  // namespace internal
}  // namespace presentie::storage
