// presentie sync: push this register's changes to a remote and pull its
// changes, by sync::SyncWith. Progress on a terminal, a summary otherwise.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "sync/engine.h"
#include "sync/transport.h"

namespace presentie::cli {
namespace {

struct SyncFlags {
  std::string remote;
  uint32_t batch = 0;  // 0: the engine's default
  uint32_t page = 0;
};

Result<storage::Store::Remote> ChooseRemote(storage::Store& store, const std::string& name) {
  PRESENTIE_ASSIGN_OR_RETURN(std::vector<storage::Store::Remote> remotes, store.ListRemotes());
  if (!name.empty()) {
    for (auto& r : remotes) {
      if (r.name == name) return std::move(r);
    }
    return NotFound(fmt::format("no remote named '{}' (see presentie remote list)", name));
  }
  if (remotes.empty()) {
    return NotFound(
        "this register has no remote; add one with: presentie remote add NAME URL --token-file "
        "FILE");
  }
  if (remotes.size() > 1) {
    std::string names;
    for (const auto& r : remotes) names += (names.empty() ? "" : ", ") + r.name;
    return InvalidArgument(fmt::format(
        "this register has several remotes ({}); choose one with --remote NAME", names));
  }
  return std::move(remotes.front());
}

std::string Bytes(uint64_t n) {
  if (n < 1024) return fmt::format("{} B", n);
  if (n < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(n) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(n) / (1024 * 1024));
}

// The progress line on a terminal: rewritten in place at most ten times a
// second, erased before the summary.
class ProgressLine {
 public:
  explicit ProgressLine(std::ostream& err) : err_(err), start_(Clock::now()) {}

  void Update(const sync::SyncProgress& p) {
    const auto now = Clock::now();
    if (shown_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    shown_ = true;
    const double seconds = std::max(0.001, std::chrono::duration<double>(now - start_).count());
    err_ << fmt::format("\r\033[K{}: {} versions, {}, {:.0f} versions/s", p.phase, p.versions,
                        Bytes(p.bytes), static_cast<double>(p.versions) / seconds)
         << std::flush;
  }
  void Erase() {
    if (shown_) err_ << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  Clock::time_point start_;
  Clock::time_point last_{};
  bool shown_ = false;
};

// One sync at a time per register: an exclusive flock on REGISTER.sync-lock
// (0600, next to the register), held until the command ends and released by
// the kernel when the process dies, so a killed sync never leaves it stuck.
// A side file, not the register: closing any other descriptor of the
// register would drop SQLite's own POSIX locks on it.
class SyncLock {
 public:
  static Result<std::unique_ptr<SyncLock>> Acquire(const std::string& register_path) {
    const std::string path = register_path + ".sync-lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
      return FailedPrecondition(
          fmt::format("cannot open the sync lock {}: {}", path, std::strerror(errno)));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return Status(StatusCode::kBusy, fmt::format(
            "another presentie sync of this register is running (it holds {}); wait for it to "
            "finish",
            path));
      }
      return FailedPrecondition(
          fmt::format("cannot lock the sync lock {}: {}", path, std::strerror(err)));
    }
    return std::unique_ptr<SyncLock>(new SyncLock(fd));
  }
  ~SyncLock() { ::close(fd_); }  // releases the flock
  SyncLock(const SyncLock&) = delete;
  SyncLock& operator=(const SyncLock&) = delete;

 private:
  explicit SyncLock(int fd) : fd_(fd) {}
  int fd_;
};

int FailSync(const Context& ctx, const storage::Store::Remote& remote, const Status& s) {
  const std::string where = fmt::format("remote {} ({}): ", remote.name, remote.url);
  switch (s.code()) {
    case StatusCode::kPermissionDenied:
      ctx.err() << "presentie: error: " << where << s.message() << '\n'
                << fmt::format(
                       "presentie: hint: the token in {} is not one the server knows, or is not "
                       "this register's; ask the server's admin\n",
                       remote.token_file);
      return kExitAuthFailed;
    case StatusCode::kUnavailable:
      ctx.err() << "presentie: error: " << where << s.message() << '\n'
                << "presentie: hint: nothing was lost; what was not sent stays here and the "
                   "next sync resumes where this one stopped\n";
      return kExitOffline;
    case StatusCode::kFailedPrecondition:
      ctx.err() << "presentie: error: " << where << s.message() << '\n';
      if (s.message().find("TLS") != std::string::npos ||
          s.message().find("certificate") != std::string::npos) {
        ctx.err() << "presentie: hint: a server with its own CA needs it given: presentie "
                     "remote add "
                  << remote.name << " " << remote.url << " --token-file FILE --ca-file CA.pem\n";
      }
      return kExitFailure;
    default:
      return ctx.Fail(s.WithContext(fmt::format("remote {} ({})", remote.name, remote.url)));
  }
}

int RunSync(const Context& ctx, const SyncFlags& flags) {
  auto path = ctx.DbPath();
  if (!path.ok()) return ctx.Fail(path.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto lock = SyncLock::Acquire(path->value);
  if (!lock.ok()) return ctx.Fail(lock.status());
  auto remote = ChooseRemote(**store, flags.remote);
  if (!remote.ok()) {
    if (remote.status().code() == StatusCode::kInvalidArgument) {
      return ctx.UsageError(remote.status().message());
    }
    return ctx.Fail(remote.status());
  }
  // Every attempt from here on is noted for `presentie status`, as it ended.
  auto note = [&](const storage::Store::SyncOutcome& outcome) {
    if (Status s = (*store)->NoteSyncOutcome(remote->name, outcome); !s.ok()) {
      ctx.err() << "presentie: warning: could not note this sync's outcome for presentie "
                   "status: "
                << s.message() << '\n';
    }
  };
  auto failed = [&](const Status& s) {
    storage::Store::SyncOutcome outcome;
    outcome.error = s.message();
    note(outcome);
    return s;
  };
  auto token = ReadTokenFile(remote->token_file);
  if (!token.ok()) {
    return ctx.Fail(failed(token.status()).WithContext("remote " + remote->name));
  }

  sync::TransportOptions transport_options;
  transport_options.base_url = remote->url;
  transport_options.token = *token;
  transport_options.tls = {remote->ca_file, remote->cert_file, remote->key_file};
  auto transport = sync::Transport::Create(std::move(transport_options));
  if (!transport.ok()) return FailSync(ctx, *remote, failed(transport.status()));

  sync::SyncOptions options;
  if (flags.batch > 0) options.push_batch_versions = flags.batch;
  if (flags.page > 0) options.pull_page_versions = flags.page;

  // Progress only for a person: a terminal, no NO_COLOR, no --json (STYLE.md).
  const bool tty = &ctx.err() == &std::cerr && ::isatty(STDERR_FILENO) == 1 &&
                   !ctx.env()("NO_COLOR").has_value() && !ctx.json();
  ProgressLine line(ctx.err());
  std::function<void(const sync::SyncProgress&)> progress;
  if (tty) progress = [&line](const sync::SyncProgress& p) { line.Update(p); };

  auto report = sync::SyncWith(**store, **transport, options, progress);
  line.Erase();
  if (!report.ok()) return FailSync(ctx, *remote, failed(report.status()));
  storage::Store::SyncOutcome outcome;
  outcome.ok = true;
  outcome.remote_replica = report->remote_replica;
  outcome.remote_role = report->remote_role;
  outcome.remote_gemeente = report->remote_gemeente;
  note(outcome);

  const uint64_t bytes = report->bytes_sent + report->bytes_received;
  if (ctx.json()) {
    const Json summary = {{"type", "summary"},
                          {"remote", remote->name},
                          {"url", remote->url},
                          {"remote_replica", report->remote_replica},
                          {"remote_role", ToString(report->remote_role)},
                          {"pushed", report->pushed},
                          {"push_batches", report->push_batches},
                          {"refused", report->refused},
                          {"pulled", report->pulled},
                          {"pull_pages", report->pull_pages},
                          {"accepted", report->accepted},
                          {"duplicate", report->duplicate},
                          {"dominated", report->dominated},
                          {"refused_here", report->refused_here},
                          {"skewed", report->skewed},
                          {"bytes_sent", report->bytes_sent},
                          {"bytes_received", report->bytes_received},
                          {"elapsed_ms", report->elapsed_ms}};
    ctx.out() << summary.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
  } else {
    std::string pulled =
        fmt::format("accepted {}, duplicate {}", report->accepted, report->duplicate);
    if (report->dominated > 0) pulled += fmt::format(", dominated {}", report->dominated);
    if (report->refused_here > 0) pulled += fmt::format(", refused {}", report->refused_here);
    std::string pushed = std::to_string(report->pushed);
    if (report->refused > 0) pushed += fmt::format(" (refused {})", report->refused);
    ctx.out() << fmt::format("pushed {}, pulled {} ({}), {:.1f} KiB in {} ms\n", pushed,
                             report->pulled, pulled, static_cast<double>(bytes) / 1024,
                             report->elapsed_ms);
  }
  if (report->skewed > 0) {
    ctx.err() << fmt::format(
        "presentie: warning: {} received versions were stamped more than 2 minutes ahead of "
        "this device's clock: a device's date is wrong. They were accepted; their clock was "
        "not adopted, and time never decides a classification.\n",
        report->skewed);
  }
  if (report->refused > 0) {
    ctx.err() << fmt::format(
        "presentie: warning: the server refused {} versions: they are not this device's to "
        "write (ownership, docs/rules.md). They stay here; an admin must look at them.\n",
        report->refused);
    return kExitNeedsPerson;
  }
  if (report->refused_here > 0) {
    ctx.err() << fmt::format(
        "presentie: warning: {} received versions were refused here by an ownership rule; "
        "see 'presentie conflicts refused'.\n",
        report->refused_here);
    return kExitNeedsPerson;
  }
  return kExitOk;
}

}  // namespace

void AddSyncCommand(CLI::App& app, Action* action) {
  auto flags = std::make_shared<SyncFlags>();
  CLI::App* cmd = app.add_subcommand(
      "sync", "Send this register's changes to a remote and receive the remote's");
  SetExamples(cmd,
              "presentie sync\n"
              "presentie sync --remote hub\n"
              "presentie sync --json");
  cmd->add_option("--remote", flags->remote,
                  "The remote to sync with (default: the only one; see presentie remote list)")
      ->option_text("NAME");
  cmd->add_option("--batch", flags->batch, "Versions per push request (default 5000)")
      ->check(CLI::Range(1, 50'000))
      ->option_text("N");
  cmd->add_option("--page", flags->page, "Versions asked per pull request (default 5000)")
      ->check(CLI::Range(1, 50'000))
      ->option_text("N");
  cmd->footer(
      "Exit codes: 0 ok, 3 the server refused versions (an admin must look), 4 offline "
      "(retry later;\nnothing is lost), 5 the server sent or refused bad data, 12 the token "
      "was refused, 1 other.");
  cmd->callback(
      [action, flags] { *action = [flags](const Context& ctx) { return RunSync(ctx, *flags); }; });
}

}  // namespace presentie::cli
