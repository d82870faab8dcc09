// presentie remote add|list|remove: the endpoints this register syncs with.
//
// The register keeps a remote's URL and the paths of its files, never the
// token itself: a copy of the register (a backup, a file sent to the
// helpdesk) must not carry a credential. The token file must be private to
// its owner, as ssh insists for private keys.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "sync/transport.h"

namespace presentie::cli {
namespace {

struct RemoteFlags {
  std::string name;
  std::string url;
  std::string token_file;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  bool allow_plain_http = false;
};

Status ValidateRemoteName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return InvalidArgument("a remote's name is 1 to 64 characters of A-Z a-z 0-9 . _ -");
  }
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return InvalidArgument("a remote's name is 1 to 64 characters of A-Z a-z 0-9 . _ -");
  }
  return Status::Ok();
}

// The absolute form of `path`, which must name a readable regular file.
Result<std::string> ExistingFile(const std::string& path, std::string_view flag) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) return InvalidArgument(fmt::format("{}: {}: {}", flag, path, ec.message()));
  struct stat st {};
  if (::stat(absolute.c_str(), &st) != 0) {
    const int err = errno;
    const std::string message =
        fmt::format("{}: cannot read {}: {}", flag, absolute.string(), std::strerror(err));
    return err == ENOENT ? NotFound(message) : FailedPrecondition(message);
  }
  if (!S_ISREG(st.st_mode)) {
    return InvalidArgument(fmt::format("{}: {} is not a file", flag, absolute.string()));
  }
  return absolute.lexically_normal().string();
}

Json RemoteToJson(const storage::Store::Remote& r) {
  auto or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  return {{"name", r.name},
          {"url", r.url},
          {"token_file", r.token_file},
          {"ca_file", or_null(r.ca_file)},
          {"cert_file", or_null(r.cert_file)},
          {"key_file", or_null(r.key_file)}};
}

int RunAdd(const Context& ctx, const RemoteFlags& f) {
  if (Status s = ValidateRemoteName(f.name); !s.ok()) return ctx.Fail(s);
  if (f.cert_file.empty() != f.key_file.empty()) {
    return ctx.UsageError("--cert and --key go together (mutual TLS needs both)");
  }
  storage::Store::Remote remote;
  remote.name = f.name;
  remote.url = f.url;
  auto token_file = ExistingFile(f.token_file, "--token-file");
  if (!token_file.ok()) return ctx.Fail(token_file.status());
  remote.token_file = *token_file;
  // Reading it checks its mode and that it holds a token; the token itself
  // is dropped here.
  if (auto token = ReadTokenFile(remote.token_file); !token.ok()) return ctx.Fail(token.status());
  for (auto [value, flag, target] : {std::tuple{&f.ca_file, "--ca-file", &remote.ca_file},
                                     std::tuple{&f.cert_file, "--cert", &remote.cert_file},
                                     std::tuple{&f.key_file, "--key", &remote.key_file}}) {
    if (value->empty()) continue;
    auto path = ExistingFile(*value, flag);
    if (!path.ok()) return ctx.Fail(path.status());
    *target = *path;
  }
  // The transport's own checks of the URL and options, without connecting.
  sync::TransportOptions options;
  options.base_url = remote.url;
  options.tls = {remote.ca_file, remote.cert_file, remote.key_file};
  if (auto transport = sync::Transport::Create(options); !transport.ok()) {
    return ctx.Fail(transport.status());
  }
  const bool https = remote.url.starts_with("https://") || remote.url.starts_with("HTTPS://");
  if (!https && (!remote.ca_file.empty() || !remote.cert_file.empty())) {
    return ctx.UsageError("--ca-file, --cert and --key need an https:// URL");
  }
  // The token would cross a network unencrypted: only when said so.
  Result<bool> in_clear = sync::SendsTokenInClear(remote.url);
  if (!in_clear.ok()) return ctx.Fail(in_clear.status());
  if (*in_clear && !f.allow_plain_http) {
    return ctx.Fail(InvalidArgument(fmt::format(
        "{} is plain HTTP to a host that is not loopback: this device's token would cross the "
        "network unencrypted. Use an https:// URL; or, when a TLS proxy or a private link "
        "already protects the way to that host, add --allow-plain-http",
        remote.url)));
  }

  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (Status s = (*store)->PutRemote(remote); !s.ok()) return ctx.Fail(s);
  if (ctx.json()) {
    PrintJson(ctx.out(), RemoteToJson(remote));
  } else {
    ctx.out() << remote.name << '\n';
    if (!https) {
      ctx.Say(fmt::format(
          "presentie: warning: {} is plain HTTP: the token travels unencrypted. Use it only on "
          "loopback or behind a TLS proxy.",
          remote.url));
    }
    ctx.Say(fmt::format("Added remote {} ({}). Next: presentie sync --remote {}", remote.name,
                        remote.url, remote.name));
  }
  return kExitOk;
}

int RunRemoteList(const Context& ctx) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto remotes = (*store)->ListRemotes();
  if (!remotes.ok()) return ctx.Fail(remotes.status());
  if (ctx.json()) {
    Json list = Json::array();
    for (const auto& r : *remotes) list.push_back(RemoteToJson(r));
    PrintJson(ctx.out(), list);
    return kExitOk;
  }
  if (remotes->empty()) {
    ctx.Say("No remotes. Add one: presentie remote add NAME URL --token-file FILE");
    return kExitOk;
  }
  Table table({"NAME", "URL", "TOKEN_FILE", "CA_FILE", "CLIENT_CERT"});
  for (const auto& r : *remotes) {
    table.AddRow({r.name, r.url, r.token_file, OrDash(r.ca_file), OrDash(r.cert_file)});
  }
  table.Print(ctx.out());
  return kExitOk;
}

int RunRemove(const Context& ctx, const std::string& name) {
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (Status s = (*store)->RemoveRemote(name); !s.ok()) {
    if (s.code() == StatusCode::kNotFound) {
      return ctx.Fail(
          NotFound(fmt::format("no remote named '{}' (see presentie remote list)", name)));
    }
    return ctx.Fail(s);
  }
  if (ctx.json()) {
    PrintJson(ctx.out(), {{"removed", name}});
  } else {
    ctx.Say(fmt::format("Removed remote {}. Its token file was left as it is.", name));
  }
  return kExitOk;
}

}  // namespace

Result<std::string> ReadTokenFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    const std::string message =
        fmt::format("cannot read the token file {}: {}", path, std::strerror(err));
    return err == ENOENT ? NotFound(message) : FailedPrecondition(message);
  }
  if ((st.st_mode & 077) != 0) {
    return FailedPrecondition(fmt::format(
        "the token file {} may be read or changed by other users (mode {:04o}); run: chmod 600 {}",
        path, st.st_mode & 07777, path));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return FailedPrecondition(fmt::format("cannot read the token file {}", path));
  std::string token = text.str();
  // A trailing newline (echo, an editor) is not part of the token.
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ' ||
                            token.back() == '\t')) {
    token.pop_back();
  }
  if (token.empty()) return InvalidArgument(fmt::format("the token file {} is empty", path));
  return token;
}

void AddRemoteCommands(CLI::App& app, Action* action) {
  CLI::App* noun = app.add_subcommand("remote", "The servers this register syncs with");
  noun->require_subcommand(1);
  SetExamples(noun,
              "presentie remote add hub https://hub.brug.nl:8443 --token-file "
              "~/.config/presentie/hub.token\n"
              "presentie remote list\n"
              "presentie remote remove hub");

  auto flags = std::make_shared<RemoteFlags>();
  CLI::App* add = noun->add_subcommand(
      "add",
      "Add a remote, or replace the one with that name (cursors follow the server, not its URL)");
  SetExamples(add,
              "presentie remote add hub https://hub.brug.nl:8443 --token-file ~/hub.token\n"
              "presentie remote add hub https://10.0.0.5:8443 --token-file ~/hub.token "
              "--ca-file ~/brug-ca.pem\n"
              "presentie remote add duo https://duo.example.nl --token-file ~/duo.token "
              "--cert ~/client.pem --key ~/client.key\n"
              "presentie remote add hub http://10.8.0.1:8080 --token-file ~/hub.token "
              "--allow-plain-http");
  add->add_option("name", flags->name, "The remote's name: 1-64 of A-Z a-z 0-9 . _ -")->required();
  add->add_option("url", flags->url,
                  "https://HOST[:PORT] (http:// to loopback, or with --allow-plain-http)")
      ->required();
  add->add_option("--token-file", flags->token_file,
                  "File holding this device's bearer token; mode 0600 (the register keeps only "
                  "its path)")
      ->option_text("FILE REQUIRED")
      ->required();
  add->add_option("--ca-file", flags->ca_file,
                  "PEM bundle of the CAs to trust instead of the system's")
      ->option_text("FILE");
  add->add_option("--cert", flags->cert_file, "Client certificate (PEM) for mutual TLS")
      ->option_text("FILE");
  add->add_option("--key", flags->key_file, "The client certificate's private key (PEM)")
      ->option_text("FILE");
  add->add_flag("--allow-plain-http", flags->allow_plain_http,
                "Accept an http:// URL to a host that is not loopback: only where a TLS proxy "
                "or a private link protects the way (the token travels unencrypted)");
  add->callback(
      [action, flags] { *action = [flags](const Context& ctx) { return RunAdd(ctx, *flags); }; });

  CLI::App* list = noun->add_subcommand("list", "Show the remotes");
  SetExamples(list, "presentie remote list\npresentie remote list --json");
  list->callback([action] { *action = [](const Context& ctx) { return RunRemoteList(ctx); }; });

  auto name = std::make_shared<std::string>();
  CLI::App* remove = noun->add_subcommand("remove", "Forget a remote (its token file is kept)");
  SetExamples(remove, "presentie remote remove hub");
  remove->add_option("name", *name, "The remote's name")->required();
  remove->callback(
      [action, name] { *action = [name](const Context& ctx) { return RunRemove(ctx, *name); }; });
}

}  // namespace presentie::cli
