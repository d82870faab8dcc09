// A real `presentie serve` for the integration tests: a child process on a
// loopback port, with its own folder, config and register, stopped with a
// signal the way an init system stops it.
#ifndef PRESENTIE_TESTS_INTEGRATION_SERVER_PROCESS_H_
#define PRESENTIE_TESTS_INTEGRATION_SERVER_PROCESS_H_

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sync/transport.h"

namespace presentie::integration {

// The `presentie` binary under test: $PRESENTIE_BIN, else the one CMake built.
std::string PresentieBinary();

// A fresh folder under $TMPDIR, removed with everything in it at the end
// (kept when PRESENTIE_TEST_KEEP=1).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct ProgramRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs the binary with `args` to the end; its stdout and stderr.
ProgramRun RunPresentie(const std::vector<std::string>& args);

// One device a test server admits.
struct TestDevice {
  std::string name;
  std::string token;
  std::string replica_id;
  std::string role;  // "teacher", "admin", "hub"
  std::string school = "";  // an authority's endpoint: the school's replica id ("": its own)
};

// The server config's "tokens": each device with its token's SHA-256, its
// replica and its role.
nlohmann::json TokensConfig(const std::vector<TestDevice>& devices);

class ServerProcess {
 public:
  // Starts `presentie serve --config CONFIG` and waits (up to 30 s) for its
  // "listening on HOST:PORT" line. nullptr, with the reason in *error, when
  // it does not come.
  static std::unique_ptr<ServerProcess> Start(const std::string& config_path,
                                              const std::string& stderr_path, std::string* error);
  ~ServerProcess();  // SIGKILL if still running

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends `signal` and waits up to `timeout_s` for the exit: the exit code,
  // 128 + N when signal N ended it, nullopt when it did not end in time
  // (it is then killed).
  std::optional<int> StopWith(int signal, int timeout_s = 30);
  bool running() const { return pid_ > 0; }

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  int stdout_fd_ = -1;
};

// A transport to http://127.0.0.1:PORT with `token`, one attempt, no waits.
std::unique_ptr<sync::Transport> MakeTransport(int port, const std::string& token,
                                               const std::string& scheme = "http",
                                               sync::TlsOptions tls = {});

std::string ReadFile(const std::string& path);

}  // namespace presentie::integration

#endif  // PRESENTIE_TESTS_INTEGRATION_SERVER_PROCESS_H_
