// What the benchmarks share: failing with a message, the median of a run's
// samples, seconds between two instants, the process's peak memory.
#ifndef PRESENTIE_BENCH_BENCH_UTIL_H_
#define PRESENTIE_BENCH_BENCH_UTIL_H_

#include <errno.h>  // program_invocation_short_name

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace presentie::bench {

// "<program>: <what>" on stderr, and exit 1.
[[noreturn]] inline void Die(const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, what.c_str());
  std::exit(1);
}

// The median (the mean of the two middle samples when their number is
// even); 0 for no samples.
inline double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

inline double Seconds(std::chrono::steady_clock::time_point a,
                      std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// The process's peak resident set (VmHWM) in KiB; -1 when unknown.
inline int64_t PeakRssKib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

}  // namespace presentie::bench

#endif  // PRESENTIE_BENCH_BENCH_UTIL_H_
