// The server's configuration file (hub.json): parsing with an error that
// names the key, validation, device tokens and their hashes.
#include "storage/sha256.h"
#include "sync/host.h"
#include "sync/server/http_server.h"

namespace presentie::sync::server_impl {

namespace {

// --- Hashing ------------------------------------------------------------------

void InitSodium() {
  // Thread-safe and idempotent; fails only when no entropy source exists, in
  // which case randombytes would abort rather than return weak bytes.
  static const int kInit = sodium_init();
  (void)kInit;
}

// --- Config ---------------------------------------------------------------------

using Json = nlohmann::json;

// Reads one object's keys against the ones known; names the unknown ones.
Status CheckKeys(const Json& object, std::string_view where, const std::set<std::string>& known) {
  std::vector<std::string> unknown;
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) unknown.push_back("'" + key + "'");
  }
  if (unknown.empty()) return Status::Ok();
  std::string list;
  for (const std::string& k : unknown) list += (list.empty() ? "" : ", ") + k;
  return InvalidArgument((where.empty() ? "" : std::string(where) + ": ") +
                         (unknown.size() == 1 ? "unknown key " : "unknown keys ") + list);
}

Status GetString(const Json& object, const std::string& key, std::string_view where,
                 std::string* out) {
  if (!object.contains(key)) return Status::Ok();
  const Json& v = object.at(key);
  if (!v.is_string()) return InvalidArgument(std::string(where) + key + ": must be a string");
  *out = v.get<std::string>();
  return Status::Ok();
}

template <typename T>
Status GetUnsigned(const Json& object, const std::string& key, std::string_view where, T min, T max,
                   T* out) {
  if (!object.contains(key)) return Status::Ok();
  const Json& v = object.at(key);
  if (!v.is_number_unsigned() || v.get<uint64_t>() < static_cast<uint64_t>(min) ||
      v.get<uint64_t>() > static_cast<uint64_t>(max)) {
    return InvalidArgument(std::string(where) + key + ": must be a whole number from " +
                           std::to_string(min) + " to " + std::to_string(max));
  }
  *out = static_cast<T>(v.get<uint64_t>());
  return Status::Ok();
}

std::string Resolve(const std::filesystem::path& base, const std::string& path) {
  if (path.empty()) return path;
  const std::filesystem::path p(path);
  return p.is_absolute() ? path : (base / p).lexically_normal().string();
}

Result<ServerConfig> ParseServerConfig(const Json& root, const std::filesystem::path& base) {
  if (!root.is_object()) return InvalidArgument("the config must be a JSON object");
  PRESENTIE_RETURN_IF_ERROR(
      CheckKeys(root, "",
                {"listen_host", "port", "register_path", "school_name", "brin", "tls_cert_file",
                 "tls_key_file", "client_ca_file", "tokens", "limits", "max_pull_page",
                 "worker_threads", "idempotency_retention_days", "role", "gemeente_code",
                 "max_connections_per_address", "allow_plain_http_on"}));
  ServerConfig c;
  if (root.contains("role")) {
    std::string role;
    PRESENTIE_RETURN_IF_ERROR(GetString(root, "role", "", &role));
    Result<Role> parsed = ParseRole(role);
    if (!parsed.ok() || (*parsed != Role::kHub && *parsed != Role::kDuo &&
                         *parsed != Role::kGemeente && *parsed != Role::kBow)) {
      return InvalidArgument(
          "role: must be hub (the school's hub), duo (DUO's endpoint), gemeente (a gemeente's "
          "endpoint, with gemeente_code) or bow (Blik op Werk's endpoint)");
    }
    c.role = *parsed;
  }
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "gemeente_code", "", &c.gemeente_code));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "listen_host", "", &c.listen_host));
  PRESENTIE_RETURN_IF_ERROR(GetUnsigned(root, "port", "", 0, 65535, &c.port));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "register_path", "", &c.register_path));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "school_name", "", &c.school_name));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "brin", "", &c.brin));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "tls_cert_file", "", &c.tls_cert_file));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "tls_key_file", "", &c.tls_key_file));
  PRESENTIE_RETURN_IF_ERROR(GetString(root, "client_ca_file", "", &c.client_ca_file));
  PRESENTIE_RETURN_IF_ERROR(
      GetUnsigned<uint32_t>(root, "max_pull_page", "", 1, 1'000'000, &c.max_pull_page));
  PRESENTIE_RETURN_IF_ERROR(GetUnsigned(root, "worker_threads", "", 1, 256, &c.worker_threads));
  PRESENTIE_RETURN_IF_ERROR(GetUnsigned(root, "max_connections_per_address", "", 1, 1024,
                                        &c.max_connections_per_address));
  PRESENTIE_RETURN_IF_ERROR(
      GetUnsigned(root, "idempotency_retention_days", "", 1, 3650, &c.idempotency_retention_days));
  if (root.contains("allow_plain_http_on")) {
    const Json& list = root.at("allow_plain_http_on");
    if (!list.is_array()) {
      return InvalidArgument("allow_plain_http_on: must be a list of addresses");
    }
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string() || list[i].get<std::string>().empty()) {
        return InvalidArgument("allow_plain_http_on[" + std::to_string(i) +
                               "]: must be an address (a listen_host), as a string");
      }
      c.allow_plain_http_on.push_back(list[i].get<std::string>());
    }
  }
  c.register_path = Resolve(base, c.register_path);
  c.tls_cert_file = Resolve(base, c.tls_cert_file);
  c.tls_key_file = Resolve(base, c.tls_key_file);
  c.client_ca_file = Resolve(base, c.client_ca_file);

  if (root.contains("limits")) {
    const Json& l = root.at("limits");
    if (!l.is_object()) return InvalidArgument("limits: must be an object");
    PRESENTIE_RETURN_IF_ERROR(
        CheckKeys(l, "limits",
                  {"max_compressed_bytes", "max_decompressed_bytes", "max_records_per_batch",
                   "max_window_log", "max_elements_per_record"}));
    constexpr size_t kGiB = size_t{1} << 30;
    Limits& lim = c.limits;
    PRESENTIE_RETURN_IF_ERROR(GetUnsigned<size_t>(l, "max_compressed_bytes", "limits.", 64, kGiB,
                                                  &lim.max_compressed_bytes));
    PRESENTIE_RETURN_IF_ERROR(GetUnsigned<size_t>(l, "max_decompressed_bytes", "limits.", 64,
                                                  4 * kGiB, &lim.max_decompressed_bytes));
    PRESENTIE_RETURN_IF_ERROR(GetUnsigned<size_t>(l, "max_records_per_batch", "limits.", 1,
                                                  10'000'000, &lim.max_records_per_batch));
    PRESENTIE_RETURN_IF_ERROR(
        GetUnsigned(l, "max_window_log", "limits.", 10, 27, &lim.max_window_log));
    PRESENTIE_RETURN_IF_ERROR(GetUnsigned<size_t>(l, "max_elements_per_record", "limits.", 16, 4096,
                                                  &lim.max_elements_per_record));
  }

  if (root.contains("tokens")) {
    const Json& list = root.at("tokens");
    if (!list.is_array()) return InvalidArgument("tokens: must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string where = "tokens[" + std::to_string(i) + "].";
      const Json& t = list[i];
      if (!t.is_object())
        return InvalidArgument("tokens[" + std::to_string(i) + "]: must be an object");
      PRESENTIE_RETURN_IF_ERROR(CheckKeys(t, "tokens[" + std::to_string(i) + "]",
                                          {"name", "token_sha256", "replica_id", "role", "school"}));
      for (const char* key : {"name", "token_sha256", "replica_id", "role"}) {
        if (!t.contains(key)) return InvalidArgument(where + key + ": missing");
      }
      DeviceToken d;
      std::string role;
      PRESENTIE_RETURN_IF_ERROR(GetString(t, "name", where, &d.name));
      PRESENTIE_RETURN_IF_ERROR(GetString(t, "token_sha256", where, &d.token_sha256));
      PRESENTIE_RETURN_IF_ERROR(GetString(t, "replica_id", where, &d.replica_id));
      PRESENTIE_RETURN_IF_ERROR(GetString(t, "role", where, &role));
      if (t.contains("school")) PRESENTIE_RETURN_IF_ERROR(GetString(t, "school", where, &d.school));
      if (Status s = ValidateDeviceName(d.name); !s.ok()) {
        return InvalidArgument(where + "name: " + s.message());
      }
      Result<Role> parsed = ParseRole(role);
      if (!parsed.ok() ||
          (*parsed != Role::kTeacher && *parsed != Role::kAdmin && *parsed != Role::kHub)) {
        return InvalidArgument(where + "role: must be teacher, admin or hub");
      }
      d.role = *parsed;
      c.tokens.push_back(std::move(d));
    }
  }
  return c;
}

}  // namespace

Digest Sha256(std::string_view bytes) {
  storage::Sha256 h;
  h.Update(bytes);
  return h.Finish();
}

std::string Hex(const Digest& d) { return HexLower(d); }

Result<std::vector<KnownToken>> ValidateConfig(const ServerConfig& c, bool own_register) {
  if (c.role != Role::kHub && c.role != Role::kDuo && c.role != Role::kGemeente &&
      c.role != Role::kBow) {
    return InvalidArgument("role: must be hub, duo, gemeente or bow");
  }
  if (c.role == Role::kGemeente) {
    if (Status s = ValidateGemeenteCode(c.gemeente_code); !s.ok()) {
      return InvalidArgument("gemeente_code: " + s.message() +
                             " (a gemeente endpoint needs its CBS code)");
    }
  } else if (!c.gemeente_code.empty()) {
    return InvalidArgument("gemeente_code: only for role gemeente");
  }
  if (c.listen_host.empty()) return InvalidArgument("listen_host: must not be empty");
  if (c.port < 0 || c.port > 65535) return InvalidArgument("port: must be 0 to 65535");
  if (own_register && c.register_path.empty()) {
    return InvalidArgument("register_path: missing (the server's own register)");
  }
  if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
    return InvalidArgument("tls_cert_file and tls_key_file: give both, or neither for plain HTTP");
  }
  if (!c.client_ca_file.empty() && c.tls_cert_file.empty()) {
    return InvalidArgument("client_ca_file: needs tls_cert_file and tls_key_file");
  }
  // Plain HTTP where the network could read it is a choice made by name.
  const bool plain_allowed =
      IsLoopbackHost(c.listen_host) ||
      std::any_of(c.allow_plain_http_on.begin(), c.allow_plain_http_on.end(),
                  [&](const std::string& host) { return SameHost(host, c.listen_host); });
  if (c.tls_cert_file.empty() && !plain_allowed) {
    return InvalidArgument(
        "listen_host " + c.listen_host +
        ": plain HTTP (no tls_cert_file and tls_key_file) is served on loopback only "
        "(127.0.0.1, ::1, localhost), since device tokens would cross the network in clear. "
        "Give tls_cert_file and tls_key_file; or, when a TLS proxy or a private link already "
        "protects this address, allow it by name: \"allow_plain_http_on\": [\"" +
        c.listen_host + "\"]");
  }
  if (c.max_pull_page == 0 || c.max_pull_page > c.limits.max_records_per_batch) {
    return InvalidArgument("max_pull_page: must be 1 to limits.max_records_per_batch (" +
                           std::to_string(c.limits.max_records_per_batch) + ")");
  }
  if (c.worker_threads < 1 || c.worker_threads > 256) {
    return InvalidArgument("worker_threads: must be 1 to 256");
  }
  if (c.max_connections_per_address < 1 || c.max_connections_per_address > 1024) {
    return InvalidArgument("max_connections_per_address: must be 1 to 1024");
  }
  if (c.idempotency_retention_days < 1 || c.idempotency_retention_days > 3650) {
    return InvalidArgument("idempotency_retention_days: must be 1 to 3650");
  }
  if (c.limits.max_compressed_bytes == 0 || c.limits.max_decompressed_bytes == 0 ||
      c.limits.max_records_per_batch == 0) {
    return InvalidArgument("limits: must be positive");
  }
  std::vector<KnownToken> known;
  std::set<std::string> names;
  for (size_t i = 0; i < c.tokens.size(); ++i) {
    const DeviceToken& d = c.tokens[i];
    const std::string where = "tokens[" + std::to_string(i) + "].";
    if (Status s = ValidateDeviceName(d.name); !s.ok()) {
      return InvalidArgument(where + "name: " + s.message());
    }
    if (!names.insert(d.name).second) {
      return InvalidArgument(where + "name: '" + d.name + "' is listed twice");
    }
    Digest hash{};
    if (!ParseHex(d.token_sha256, hash)) {
      return InvalidArgument(where + "token_sha256: must be 64 hex digits");
    }
    for (const KnownToken& k : known) {
      if (k.hash == hash) return InvalidArgument(where + "token_sha256: listed twice");
    }
    if (Status s = ValidateReplicaId(d.replica_id); !s.ok()) {
      return InvalidArgument(where + "replica_id: " + s.message());
    }
    if (d.role != Role::kTeacher && d.role != Role::kAdmin && d.role != Role::kHub) {
      return InvalidArgument(where + "role: must be teacher, admin or hub");
    }
    if (!d.school.empty()) {
      if (c.role == Role::kHub) {
        return InvalidArgument(where +
                               "school: only an authority's endpoint groups its tokens by school "
                               "(a hub serves one school)");
      }
      if (Status s = ValidateReplicaId(d.school); !s.ok()) {
        return InvalidArgument(where + "school: " + s.message() +
                               " (a replica id that names the school, e.g. its hub's)");
      }
    }
    // An authority is sent submissions by a school's admin, or its hub
    // relays them; a teacher's device has none to send.
    if (c.role != Role::kHub && d.role == Role::kTeacher) {
      return InvalidArgument(where + "role: a " + std::string(ToString(c.role)) +
                             " endpoint admits a school's admin or hub, not a teacher");
    }
    known.push_back(KnownToken{hash, d});
  }
  // A token's school is its own replica unless it names one; a token that
  // names another token's replica as its school joins that token's school,
  // which that token must then be (its own, or the same named one): no
  // token can take another school's scope by a typo.
  for (size_t i = 0; i < c.tokens.size(); ++i) {
    for (size_t j = 0; j < c.tokens.size(); ++j) {
      const DeviceToken& a = c.tokens[i];
      const DeviceToken& b = c.tokens[j];
      if (i != j && a.SchoolId() == b.replica_id && b.SchoolId() != a.SchoolId()) {
        return InvalidArgument("tokens[" + std::to_string(i) + "].school: " + a.SchoolId() +
                               " is the replica of tokens[" + std::to_string(j) + "] ('" + b.name +
                               "'), which is of school " + b.SchoolId() +
                               ": name one school for both, or another replica id");
      }
    }
  }
  return known;
}

Result<std::unique_ptr<Server>> Make(ServerConfig config, std::unique_ptr<storage::Store> store,
                                     std::vector<KnownToken> tokens) {
  GuardedHttp http = MakeHttp(config);
  if (!http.server->is_valid()) {
    return FailedPrecondition(
        "the TLS certificate, key or client CA could not be loaded (tls_cert_file, "
        "tls_key_file, client_ca_file: PEM files, the key matching the certificate)");
  }
  return std::unique_ptr<Server>(std::make_unique<HttpServer>(std::move(config), std::move(tokens),
                                                              std::move(store), std::move(http)));
}

}  // namespace presentie::sync::server_impl

namespace presentie::sync {

std::string HashToken(std::string_view token) {
  return server_impl::Hex(server_impl::Sha256(token));
}

Status ValidateDeviceName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return InvalidArgument("a device name is 1 to 64 characters");
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return InvalidArgument("a device name holds only letters, digits, '.', '_' and '-'");
  }
  return Status::Ok();
}

std::string NewDeviceToken() {
  server_impl::InitSodium();
  std::array<unsigned char, 32> raw{};
  randombytes_buf(raw.data(), raw.size());
  const size_t max =
      sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string out(max, '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  sodium_memzero(raw.data(), raw.size());
  return out;
}

Result<ServerConfig> LoadServerConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read the server config " + path);
  std::stringstream text;
  text << in.rdbuf();
  const server_impl::Json root =
      server_impl::Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return InvalidArgument(path + ": not valid JSON");
  const std::filesystem::path base =
      std::filesystem::absolute(std::filesystem::path(path)).parent_path();
  Result<ServerConfig> config = server_impl::ParseServerConfig(root, base);
  if (!config.ok()) return config.status().WithContext(path);
  if (auto checked = server_impl::ValidateConfig(*config, true); !checked.ok()) {
    return checked.status().WithContext(path);
  }
  return config;
}

}  // namespace presentie::sync
