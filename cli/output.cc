#include "cli/output.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "core/civil_time.h"

namespace presentie::cli {
namespace {

std::string CleanCell(std::string cell) {
  for (char& c : cell) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return cell;
}

void PadTo(std::ostream& out, std::string_view cell, size_t width) {
  out << cell;
  for (size_t w = DisplayWidth(cell); w < width; ++w) out << ' ';
}

Json NullIfEmpty(std::string_view text) {
  if (text.empty()) return nullptr;
  return std::string(text);
}

}  // namespace

size_t DisplayWidth(std::string_view utf8) {
  // Every byte that is not a continuation byte (10xxxxxx) starts a code point.
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

Table::Table(std::vector<std::string> header) : header_(std::move(header)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  for (std::string& cell : cells) cell = CleanCell(std::move(cell));
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out) const {
  PrintTable(out, header_, [this](const RowEmitter& emit) {
    for (const auto& row : rows_) emit(row);
  });
}

void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::function<void(const RowEmitter&)>& each_row) {
  std::vector<size_t> widths(header.size(), 0);
  for (size_t i = 0; i < header.size(); ++i) widths[i] = DisplayWidth(header[i]);
  each_row([&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  });
  auto print_row = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i + 1 == row.size()) {
        out << row[i];
      } else {
        PadTo(out, row[i], widths[i]);
        out << "  ";
      }
    }
    out << '\n';
  };
  print_row(header);
  each_row(print_row);
}

void PrintKeyValues(std::ostream& out,
                    const std::vector<std::pair<std::string, std::string>>& rows) {
  size_t width = 0;
  for (const auto& [key, value] : rows) width = std::max(width, DisplayWidth(key));
  for (const auto& [key, value] : rows) {
    PadTo(out, key, width);
    out << "  " << CleanCell(value) << '\n';
  }
}

void PrintJson(std::ostream& out, const Json& value) {
  out << value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

namespace {

// `value` as PrintJson prints it `depth` levels down: each line after the
// first indented by two spaces a level, as nlohmann's dump indents it.
std::string DumpedAt(const Json& value, int depth) {
  const std::string text =
      value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  const std::string newline = "\n" + std::string(static_cast<size_t>(2 * depth), ' ');
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') {
      out += newline;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void PrintJsonWithArray(std::ostream& out, const Json& before, std::string_view key,
                        const std::function<void(const JsonEmitter&)>& each, const Json& after) {
  bool first = true;
  auto member = [&](std::string_view name) {
    out << (first ? "{\n  " : ",\n  ") << DumpedAt(Json(std::string(name)), 0) << ": ";
    first = false;
  };
  for (const auto& [name, value] : before.items()) {
    member(name);
    out << DumpedAt(value, 1);
  }
  member(key);
  size_t n = 0;
  each([&](const Json& element) {
    out << (n++ == 0 ? "[\n    " : ",\n    ") << DumpedAt(element, 2);
  });
  out << (n == 0 ? "[]" : "\n  ]");
  for (const auto& [name, value] : after.items()) {
    member(name);
    out << DumpedAt(value, 1);
  }
  out << "\n}\n";
}

std::string MaskBsn(std::string_view bsn) {
  if (bsn.size() <= 4) return std::string(bsn.size(), '*');
  return std::string(bsn.size() - 4, '*') + std::string(bsn.substr(bsn.size() - 4));
}

std::string OrDash(std::string_view text) { return text.empty() ? "-" : std::string(text); }

std::string FormatLocalTime(uint64_t ms) {
  const auto seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string FormatUtcTime(uint64_t ms) {
  const auto seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

Json ToJson(const Learner& l) {
  return {
      {"id", l.id},
      {"bsn", l.bsn},
      {"name", l.name},
      {"category", ToString(l.category)},
      {"regime", ToString(l.regime)},
      {"route", NullIfEmpty(ToString(l.route))},
      {"level", NullIfEmpty(ToString(l.level))},
      {"literacy", ToString(l.literacy)},
      {"estimated_hours", l.estimated_hours},
      {"gemeente", NullIfEmpty(l.gemeente_code)},
      {"lessons_per_week", l.lessons_per_week},
  };
}

Json ToJson(const Course& c) {
  return {
      {"id", c.id},
      {"name", c.name},
      {"component", ToString(c.component)},
      {"regime", ToString(c.regime)},
      {"route", NullIfEmpty(ToString(c.route))},
      {"start", c.start_date ? Json(FormatDate(*c.start_date)) : Json()},
      {"end", c.end_date ? Json(FormatDate(*c.end_date)) : Json()},
      {"hours_purchased", c.hours_purchased},
  };
}

Json ToJson(const Lesson& l) {
  return {
      {"id", l.id},
      {"course", l.course_id},
      {"start", FormatDateTime(l.start)},
      {"minutes", l.duration_minutes},
      {"teacher", l.teacher},
  };
}

Json ToJson(const Attendance& a) {
  Json decision;
  if (a.decision) {
    decision = {{"value", ToString(a.decision->value)},
                {"decided_by", ToString(a.decision->decided_by)}};
  }
  return {
      {"id", a.id},
      {"lesson", a.lesson_id},
      {"learner", a.learner_id},
      {"status", ToString(a.status)},
      {"minutes", a.minutes_present},
      {"mode", ToString(a.mode)},
      {"notified", a.notified_in_advance},
      {"reason", ToString(a.reason)},
      {"note", a.note},
      {"decision", decision},
  };
}

Json ToJson(const storage::AuditEntry& e) {
  return {
      {"seq", e.seq},
      {"at", FormatUtcTime(e.at_ms)},
      {"at_ms", e.at_ms},
      {"replica", e.actor.replica},
      {"role", ToString(e.actor.role)},
      {"user", e.actor.user},
      {"action", e.action},
      {"summary", e.summary},
      {"first_change", e.first_change},
      {"last_change", e.last_change},
      {"digest", e.digest},
      {"prev_hash", e.prev_hash},
      {"hash", e.hash},
  };
}

}  // namespace presentie::cli
