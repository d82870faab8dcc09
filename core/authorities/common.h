// What the authorities' files share: the CSV line, the Dutch date, the
// minutes that count as attended. Only core/authorities/ includes it.
#ifndef PRESENTIE_CORE_AUTHORITIES_COMMON_H_
#define PRESENTIE_CORE_AUTHORITIES_COMMON_H_

#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/domain.h"

namespace presentie::exports::internal {

// dd-mm-jjjj, the way Dutch forms and Mijn DUO write dates.
inline std::string DutchDate(const Date& d) {
  std::string s = FormatDate(d);  // yyyy-mm-dd
  return s.substr(8, 2) + "-" + s.substr(5, 2) + "-" + s.substr(0, 4);
}

inline void AppendLine(std::string* out, std::initializer_list<std::string> fields) {
  bool first = true;
  for (const std::string& f : fields) {
    if (!first) *out += ';';
    first = false;
    *out += f;
  }
  *out += "\r\n";
}

// Minutes of `a` that count as attended (R5): on site only.
inline int64_t OnSiteMinutes(const Attendance& a) {
  return a.mode == Mode::kOnSite ? a.minutes_present : 0;
}

}  // namespace presentie::exports::internal

#endif  // PRESENTIE_CORE_AUTHORITIES_COMMON_H_
