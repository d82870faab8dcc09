#include "integration/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "sync/server.h"

namespace presentie::integration {

nlohmann::json TokensConfig(const std::vector<TestDevice>& devices) {
  nlohmann::json tokens = nlohmann::json::array();
  for (const TestDevice& d : devices) {
    tokens.push_back({{"name", d.name},
                      {"token_sha256", sync::HashToken(d.token)},
                      {"replica_id", d.replica_id},
                      {"role", d.role}});
    if (!d.school.empty()) tokens.back()["school"] = d.school;
  }
  return tokens;
}
namespace fs = std::filesystem;

std::string PresentieBinary() {
  if (const char* env = std::getenv("PRESENTIE_BIN"); env != nullptr && *env != '\0') return env;
  return PRESENTIE_BIN;
}

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/presentie-integration-XXXXXX";
  if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
}

TempDir::~TempDir() {
  if (const char* keep = std::getenv("PRESENTIE_TEST_KEEP"); keep != nullptr && *keep == '1') {
    return;  // for a post-mortem: the config, the server's log and register
  }
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// argv for execv, built before fork (nothing but async-signal-safe calls
// happen between fork and exec).
struct Argv {
  explicit Argv(std::vector<std::string> args) : strings(std::move(args)) {
    for (std::string& s : strings) pointers.push_back(s.data());
    pointers.push_back(nullptr);
  }
  std::vector<std::string> strings;
  std::vector<char*> pointers;
};

pid_t Spawn(const Argv& argv, int stdout_fd, int stderr_fd) {
  const pid_t pid = fork();
  if (pid == 0) {
    ::dup2(stdout_fd, STDOUT_FILENO);
    ::dup2(stderr_fd, STDERR_FILENO);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    // Signals blocked in the test's threads must not stay blocked in the server.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv.pointers[0], argv.pointers.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

ProgramRun RunPresentie(const std::vector<std::string>& args) {
  TempDir dir;
  std::vector<std::string> all{PresentieBinary()};
  all.insert(all.end(), args.begin(), args.end());
  const Argv argv(std::move(all));
  const std::string out_path = dir / "stdout";
  const std::string err_path = dir / "stderr";
  const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ProgramRun run;
  const pid_t pid = Spawn(argv, out, err);
  ::close(out);
  ::close(err);
  int status = 0;
  if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  }
  run.out = ReadFile(out_path);
  run.err = ReadFile(err_path);
  return run;
}

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::string& config_path,
                                                    const std::string& stderr_path,
                                                    std::string* error) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    *error = "pipe failed";
    return nullptr;
  }
  const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const Argv argv({PresentieBinary(), "serve", "--config", config_path});
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  server->pid_ = Spawn(argv, pipe_fds[1], err);
  ::close(pipe_fds[1]);
  ::close(err);
  server->stdout_fd_ = pipe_fds[0];
  if (server->pid_ <= 0) {
    *error = "fork failed";
    return nullptr;
  }

  // The first line of stdout: "listening on 127.0.0.1:PORT".
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (line.empty() || line.back() != '\n') {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{server->stdout_fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      *error = "no \"listening on\" line within 30 s; stderr: " + ReadFile(stderr_path);
      return nullptr;
    }
    char c = 0;
    if (::read(server->stdout_fd_, &c, 1) != 1) {
      *error = "the server ended before listening; stdout: " + line +
               "; stderr: " + ReadFile(stderr_path);
      return nullptr;
    }
    line.push_back(c);
  }
  const std::string prefix = "listening on ";
  const size_t colon = line.rfind(':');
  if (line.rfind(prefix, 0) != 0 || colon == std::string::npos) {
    *error = "unexpected first line: " + line;
    return nullptr;
  }
  server->port_ = std::atoi(line.c_str() + colon + 1);
  if (server->port_ <= 0) {
    *error = "no port in: " + line;
    return nullptr;
  }
  return server;
}

std::optional<int> ServerProcess::StopWith(int signal, int timeout_s) {
  if (pid_ <= 0) return std::nullopt;
  ::kill(pid_, signal);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return std::nullopt;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::unique_ptr<sync::Transport> MakeTransport(int port, const std::string& token,
                                               const std::string& scheme, sync::TlsOptions tls) {
  sync::TransportOptions o;
  o.base_url = scheme + "://127.0.0.1:" + std::to_string(port);
  o.token = token;
  o.tls = std::move(tls);
  o.retry.max_attempts = 1;
  o.connect_timeout_ms = 5'000;
  o.total_timeout_ms = 30'000;
  o.sleep_ms = [](int64_t) {};
  auto t = sync::Transport::Create(std::move(o));
  return t.ok() ? std::move(*t) : nullptr;
}

}  // namespace presentie::integration
