#include "cli/context.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "cli/exit_codes.h"

namespace presentie::cli {

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

Result<Resolved> ResolveDbPath(std::string_view flag, const EnvLookup& env) {
  if (!flag.empty()) return Resolved{std::string(flag), "--db"};
  if (auto path = env("PRESENTIE_DB")) return Resolved{*path, "PRESENTIE_DB"};
  // The XDG spec: a relative XDG_DATA_HOME is invalid and must be ignored.
  if (auto xdg = env("XDG_DATA_HOME"); xdg && xdg->starts_with('/')) {
    return Resolved{(std::filesystem::path(*xdg) / "presentie" / "register.db").string(),
                    "XDG_DATA_HOME"};
  }
  if (auto home = env("HOME")) {
    return Resolved{
        (std::filesystem::path(*home) / ".local" / "share" / "presentie" / "register.db").string(),
        "HOME"};
  }
  return Status(StatusCode::kNoRegister,
                "cannot tell where the register is: neither --db, PRESENTIE_DB, XDG_DATA_HOME "
                "nor HOME is set");
}

Resolved ResolveUser(std::string_view flag, const EnvLookup& env) {
  if (!flag.empty()) return {std::string(flag), "--user"};
  if (auto user = env("PRESENTIE_USER")) return {*user, "PRESENTIE_USER"};
  if (auto user = env("USER")) return {*user, "USER"};
  return {"unknown", "default"};
}

storage::KeyLocation ResolveKeyLocation(const EnvLookup& env) {
  storage::KeyLocation key;
  if (auto k = env("PRESENTIE_KEY"); k && !k->empty()) {
    key.key_hex = *k;
    key.named_by = "PRESENTIE_KEY";
  } else if (auto f = env("PRESENTIE_KEY_FILE"); f && !f->empty()) {
    key.file = *f;
    key.named_by = "PRESENTIE_KEY_FILE";
  }
  return key;
}

Context::Context(GlobalOptions options, EnvLookup env, std::ostream& out, std::ostream& err)
    : options_(std::move(options)), env_(std::move(env)), out_(out), err_(err) {}

Result<std::unique_ptr<storage::Store>> Context::OpenStore() const {
  PRESENTIE_ASSIGN_OR_RETURN(Resolved path, DbPath());
  auto store = storage::Store::Open(path.value, RegisterOptions());
  if (!store.ok() && store.status().code() == StatusCode::kNoRegister) {
    return Status(StatusCode::kNoRegister,
                  fmt::format("no register at {} (from {})", path.value, path.source));
  }
  return store;
}

storage::StoreOptions Context::RegisterOptions() const {
  storage::StoreOptions options;
  options.key = ResolveKeyLocation(env_);
  return options;
}

storage::Actor Context::ActorFor(const storage::Store& store) const {
  return storage::Actor{store.info().role, User().value};
}

int Context::Fail(const Status& status) const {
  err_ << "presentie: error: " << status.message() << '\n';
  switch (status.code()) {
    case StatusCode::kNoRegister:
      err_ << "presentie: hint: create one with `presentie init --school NAME --brin BRIN`,"
              " or point --db or PRESENTIE_DB at an existing register\n";
      break;
    case StatusCode::kBusy:
      err_ << "presentie: hint: another presentie process is writing to the register;"
              " try again in a moment\n";
      break;
    case StatusCode::kDataLoss:
      err_ << "presentie: hint: keep a copy of the register for the auditor and do not"
              " edit it further; `presentie audit log` shows who wrote what\n";
      break;
    default:
      break;
  }
  return ExitCodeFor(status.code());
}

int Context::FailAll(std::span<const Status> errors, std::string_view summary) const {
  return FailAll(errors, errors.size(), summary);
}

int Context::FailAll(std::span<const Status> errors, size_t total, std::string_view summary) const {
  constexpr size_t kShown = 20;
  for (size_t i = 0; i < errors.size() && i < kShown; ++i) {
    err_ << "presentie: error: " << errors[i].message() << '\n';
  }
  const size_t shown = std::min(errors.size(), kShown);
  if (total > shown) err_ << "presentie: ... and " << total - shown << " more errors\n";
  err_ << "presentie: " << summary << '\n';
  return ExitCodeFor(errors.front().code());
}

int Context::UsageError(std::string_view message) const {
  err_ << "presentie: error: " << message << '\n' << "Run with -h for the usage and examples.\n";
  return kExitUsage;
}

void Context::Say(std::string_view text) const { err_ << text << '\n'; }

}  // namespace presentie::cli
