// The request log: one line per request on stderr, with no personal data
// and no token.
#include "sync/server/http_server.h"

namespace presentie::sync::server_impl {

namespace {

// --- The request log ------------------------------------------------------------

// "2026-11-30T09:00:00.123Z"
std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms.count() % 1000));
  return buf;
}

// A request path for the log. Ours are logged as they are; any other is the
// client's text, so it is cut short, and digits (a BSN in a probing URL) and
// anything outside a harmless set are masked.
std::string LoggablePath(const std::string& path) {
  if (path == "/v1/hello" || path == "/v1/push" || path == "/v1/pull") return path;
  std::string out;
  for (char c : path.substr(0, 64)) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '.' ||
                       c == '_' || c == '-';
    out.push_back(plain ? c : (c >= '0' && c <= '9') ? '#' : '?');
  }
  if (path.size() > 64) out += "...";
  return out.empty() ? "-" : out;
}

}  // namespace

thread_local RequestTrace t_trace;

void WriteLogLine(const httplib::Request& req, const httplib::Response& res) {
  RequestTrace trace = std::exchange(t_trace, RequestTrace{});
  const int64_t ms =
      trace.started
          ? std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - trace.start)
                .count()
          : 0;
  std::string line = UtcNow();
  line += ' ';
  line += req.method.empty() ? "-" : LoggablePath(req.method);
  line += ' ';
  line += LoggablePath(req.path);
  line += ' ';
  line += std::to_string(res.status);
  line += " device=" + trace.device;
  line += " in=" + std::to_string(trace.bytes_in);
  line += " out=" + std::to_string(res.body.size());
  line += " ms=" + std::to_string(ms);
  if (!trace.code.empty()) {
    line += " code=";
    line += trace.code;
  }
  line += '\n';
  // One write per line, so lines from several workers never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace presentie::sync::server_impl
