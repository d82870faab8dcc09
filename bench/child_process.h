// A benchmark that runs itself again as a child process (a server, a
// client) and reads "key value" lines from the child's stdout.
#ifndef PRESENTIE_BENCH_CHILD_PROCESS_H_
#define PRESENTIE_BENCH_CHILD_PROCESS_H_

#include <errno.h>  // program_invocation_short_name
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace presentie::bench {

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;  // the child's stdout
};

// Runs this program again with `args`, its stdout a pipe to us and its
// stderr `err_file` (or ours).
inline Child Spawn(const std::vector<std::string>& args, const std::filesystem::path& err_file) {
  // The resolved path rather than /proc/self/exe, which tools that run the
  // program under themselves (valgrind --trace-children) cannot follow.
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  std::vector<char*> argv;
  argv.push_back(program_invocation_short_name);
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0) Die("pipe");
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) Die("fork");
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    if (!err_file.empty()) {
      const int fd = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        dup2(fd, STDERR_FILENO);
        close(fd);
      }
    }
    execv(self.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  return {pid, fdopen(fds[0], "r")};
}

// Runs another program, `path` with `args` and `env` ("NAME=value") added to
// ours, its stdout the file `out_file` ("" = /dev/null) and its stderr
// `err_file` ("" = the same as stdout), and waits for it. Returns its exit
// code (128 + signal if it was killed), the wall time from before fork to
// after the wait — the whole process, start to exit, as a user waits for it
// — and its peak resident memory. The peak is only the program's own when
// this process is small: a child forked from a large one counts the pages
// it shares with it until its exec.
struct Ran {
  int rc = -1;
  double seconds = 0;
  double peak_mib = 0;
};
inline Ran RunProgram(const std::filesystem::path& path, const std::vector<std::string>& args,
                      const std::filesystem::path& out_file,
                      const std::filesystem::path& err_file = {},
                      const std::vector<std::string>& env = {}) {
  std::vector<char*> argv;
  const std::string name = path.filename().string();
  argv.push_back(const_cast<char*>(name.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) Die("fork");
  if (pid == 0) {
    for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
    const int out = out_file.empty() ? open("/dev/null", O_WRONLY)
                                     : open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err =
        err_file.empty() ? out : open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || err < 0) _exit(127);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    execv(path.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) Die("wait4");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), seconds,
          static_cast<double>(usage.ru_maxrss) / 1024.0};  // ru_maxrss is in KiB
}

using Lines = std::map<std::string, std::vector<double>>;

// Reads "key value" lines until `until` is seen (empty: until end of file).
inline void ReadLines(Child& child, Lines* lines, std::string* port,
                      const std::string& until = "") {
  char* buf = nullptr;
  size_t cap = 0;
  while (getline(&buf, &cap, child.out) > 0) {
    std::string line(buf);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    const size_t space = line.find(' ');
    if (space == std::string::npos) continue;
    const std::string key = line.substr(0, space);
    if (key == "port" && port != nullptr) {
      *port = line.substr(space + 1);
    } else {
      (*lines)[key].push_back(std::strtod(line.c_str() + space + 1, nullptr));
    }
    if (key == until) break;
  }
  std::free(buf);
}

inline int Wait(Child& child) {
  if (child.out != nullptr) std::fclose(child.out);
  child.out = nullptr;
  int status = 0;
  waitpid(child.pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace presentie::bench

#endif  // PRESENTIE_BENCH_CHILD_PROCESS_H_
