// presentie serve: the reference sync endpoint (sync/server.h), in the
// foreground until SIGTERM or SIGINT; and presentie serve token, which makes
// a device token and the config entry that admits it, so that nobody writes
// a hash by hand.
#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "core/version_vector.h"
#include "sync/host.h"
#include "sync/server.h"

namespace presentie::cli {
namespace {

struct ServeFlags {
  std::string config;
};

struct TokenFlags {
  std::string name;
  std::string role = "teacher";
  std::string replica;
  std::string school;  // an authority's endpoint: the school the device belongs to
  std::string token_file;
};

// "127.0.0.1:8443", "[::1]:8443"
std::string HostPort(const std::string& host, int port) {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

// SIGTERM and SIGINT are blocked in every thread (the server's inherit the
// mask of the thread that starts them) and taken by sigwait, so no handler
// runs at an arbitrary point; restored when the command ends.
class StopSignals {
 public:
  StopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set_, &previous_);
    // A client that hangs up mid-answer must not end the server; the write
    // fails with EPIPE instead.
    previous_pipe_ = ::signal(SIGPIPE, SIG_IGN);
  }
  ~StopSignals() {
    ::signal(SIGPIPE, previous_pipe_);
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Blocks until one of them arrives; returns its number.
  int Wait() const {
    int signal = 0;
    while (sigwait(&set_, &signal) != 0) {
    }
    return signal;
  }

 private:
  sigset_t set_{};
  sigset_t previous_{};
  void (*previous_pipe_)(int) = SIG_DFL;
};

int RunServe(const Context& ctx, const ServeFlags& flags) {
  if (flags.config.empty()) return ctx.UsageError("serve needs --config FILE");
  Result<sync::ServerConfig> config = sync::LoadServerConfig(flags.config);
  if (!config.ok()) return ctx.Fail(config.status());
  const std::string host = config->listen_host;
  const bool tls = !config->tls_cert_file.empty();
  const bool loopback = sync::IsLoopbackHost(host);
  const bool mutual = !config->client_ca_file.empty();
  const size_t devices = config->tokens.size();
  const std::string what = config->role == Role::kHub   ? std::string("the school's hub")
                           : config->role == Role::kDuo ? std::string("DUO's endpoint")
                           : config->role == Role::kBow
                               ? std::string("Blik op Werk's endpoint")
                               : "gemeente " + config->gemeente_code + "'s endpoint";

  config->store_options = ctx.RegisterOptions();
  StopSignals signals;  // before any server thread exists
  Result<std::unique_ptr<sync::Server>> server = sync::Server::Create(std::move(*config));
  if (!server.ok()) return ctx.Fail(server.status());
  if (Status s = (*server)->Start(); !s.ok()) return ctx.Fail(s);

  const std::string where = HostPort(host, (*server)->port());
  if (ctx.json()) {
    ctx.out() << Json{{"type", "listening"}, {"host", host}, {"port", (*server)->port()}}.dump()
              << std::endl;
  } else {
    ctx.out() << "listening on " << where << std::endl;  // tests read the port from this line
  }
  ctx.Say(fmt::format(
      "presentie serve: {}, {} on {}, {} device token{}; stop with Ctrl-C or SIGTERM", what,
      tls        ? (mutual ? "HTTPS with client certificates" : "HTTPS")
      : loopback ? "plain HTTP on loopback"
                 : "plain HTTP as allow_plain_http_on says (a TLS proxy or a private link must "
                   "protect it)",
      where, devices, devices == 1 ? "" : "s"));
  std::flush(ctx.err());

  const int signal = signals.Wait();
  ctx.Say(fmt::format("presentie serve: {}, finishing the requests in flight",
                      signal == SIGINT ? "interrupted" : "terminated"));
  std::flush(ctx.err());
  (*server)->Stop();
  ctx.Say("presentie serve: stopped");
  return kExitOk;
}

// Writes `token` and a newline to a new file of mode 0600; never overwrites.
Status WriteTokenFile(const std::string& path, const std::string& token) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    const std::string message =
        fmt::format("--token-file: cannot create {}: {}", path, std::strerror(err));
    return err == EEXIST ? AlreadyExists(message) : FailedPrecondition(message);
  }
  const std::string text = token + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    ::unlink(path.c_str());
    return FailedPrecondition(fmt::format("--token-file: cannot write {}", path));
  }
  return Status::Ok();
}

int RunToken(const Context& ctx, const TokenFlags& flags) {
  if (Status s = sync::ValidateDeviceName(flags.name); !s.ok()) {
    return ctx.Fail(InvalidArgument("--name: " + s.message()));
  }
  if (Status s = ValidateReplicaId(flags.replica); !s.ok()) {
    return ctx.Fail(InvalidArgument("--replica: " + s.message() +
                                    " (the device's replica_id, shown by `presentie init`)"));
  }
  if (!flags.school.empty()) {
    if (Status s = ValidateReplicaId(flags.school); !s.ok()) {
      return ctx.Fail(InvalidArgument("--school: " + s.message() +
                                      " (a replica id that names the school, e.g. its hub's)"));
    }
  }
  const std::string token = sync::NewDeviceToken();
  std::string token_file;
  if (!flags.token_file.empty()) {
    token_file = std::filesystem::absolute(flags.token_file).lexically_normal().string();
    if (Status s = WriteTokenFile(token_file, token); !s.ok()) return ctx.Fail(s);
  }
  Json entry = {{"name", flags.name},
                {"token_sha256", sync::HashToken(token)},
                {"replica_id", flags.replica},
                {"role", flags.role}};
  if (!flags.school.empty()) entry["school"] = flags.school;
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"name", flags.name},
                          {"token", token_file.empty() ? Json(token) : Json(nullptr)},
                          {"token_file", token_file.empty() ? Json(nullptr) : Json(token_file)},
                          {"config_entry", entry}});
    return kExitOk;
  }
  if (token_file.empty()) {
    PrintKeyValues(ctx.out(), {{"token", token}, {"config_entry", entry.dump()}});
  } else {
    PrintKeyValues(ctx.out(), {{"token_file", token_file}, {"config_entry", entry.dump()}});
  }
  ctx.Say(fmt::format(
      "Add config_entry to \"tokens\" in the server's config and restart it. The token is "
      "shown only {}: put it in a file of mode 0600 on device {} and run `presentie remote "
      "add NAME URL --token-file FILE` there. The server keeps only its hash.",
      token_file.empty() ? "this once" : "in that file", flags.name));
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, Action* action) {
  auto serve_flags = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the sync endpoint of a hub (POST /v1/hello, /v1/push, /v1/pull)");
  SetExamples(serve,
              "presentie serve --config /etc/presentie/hub.json\n"
              "presentie serve token --name laptop-jdv --role teacher --replica 0a1b2c3d4e5f6071");
  serve
      ->add_option("--config", serve_flags->config,
                   "The server's JSON config (format: docs/sync.md, \"Server\")")
      ->option_text("FILE");
  serve->require_subcommand(0, 1);

  auto token_flags = std::make_shared<TokenFlags>();
  CLI::App* token =
      serve->add_subcommand("token", "Make a device token and the config entry that admits it");
  SetExamples(token,
              "presentie serve token --name laptop-jdv --role teacher --replica 0a1b2c3d4e5f6071\n"
              "presentie serve token --name hub-west --role hub --replica ffee000000000001 "
              "--token-file hub-west.token --json");
  token->add_option("--name", token_flags->name, "The device's name in the server's log")
      ->option_text("NAME REQUIRED")
      ->required();
  token->add_option("--role", token_flags->role, "What the device is (default teacher)")
      ->option_text("teacher|admin|hub")
      ->check(CLI::IsMember({"teacher", "admin", "hub"}));
  token
      ->add_option("--replica", token_flags->replica,
                   "The device's replica id (16 hex), which it must present in hello")
      ->option_text("ID REQUIRED")
      ->required();
  token
      ->add_option("--school", token_flags->school,
                   "At an authority's endpoint: the school the device belongs to, named by a "
                   "replica id (by convention its hub's); tokens naming one school are one "
                   "school there")
      ->option_text("ID");
  token
      ->add_option("--token-file", token_flags->token_file,
                   "Write the token to this new file (mode 0600) instead of stdout")
      ->option_text("FILE");
  token->callback([action, token_flags] {
    *action = [token_flags](const Context& ctx) { return RunToken(ctx, *token_flags); };
  });

  // CLI11 runs a subcommand's callback before its parent's: `serve token`
  // has set the action by the time this one runs.
  serve->callback([action, serve_flags, token] {
    if (token->parsed()) return;
    *action = [serve_flags](const Context& ctx) { return RunServe(ctx, *serve_flags); };
  });
}

}  // namespace presentie::cli
