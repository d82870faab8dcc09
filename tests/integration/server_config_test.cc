// The server's config file (docs/sync.md, "Server"): what it accepts, and
// that every refusal names the key. Read with sync::LoadServerConfig, the
// function `presentie serve` uses; no server is started here.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "integration/server_process.h"
#include "sync/server.h"

namespace presentie::integration {
namespace server_config_test {

using ::testing::HasSubstr;
using Json = nlohmann::json;

const std::string kHash(64, 'a');

Json Minimal() {
  return {{"register_path", "hub.db"},
          {"tokens", Json::array({{{"name", "laptop-a"},
                                   {"token_sha256", kHash},
                                   {"replica_id", "0a1b2c3d4e5f6071"},
                                   {"role", "teacher"}}})}};
}

class ServerConfigTest : public ::testing::Test {
 protected:
  Result<sync::ServerConfig> Load(const Json& config) {
    const std::string path = dir_ / "server.json";
    std::ofstream(path) << config.dump();
    return sync::LoadServerConfig(path);
  }
  // The config is refused with kInvalidArgument, and the message has `text`.
  void ExpectRefused(const Json& config, const std::string& text) {
    auto loaded = Load(config);
    ASSERT_FALSE(loaded.ok()) << config.dump();
    EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(loaded.status().message(), HasSubstr(text)) << config.dump();
  }
  TempDir dir_;
};

TEST_F(ServerConfigTest, DefaultsAndRelativePaths) {
  Json c = Minimal();
  c["tls_cert_file"] = "tls/hub.pem";
  c["tls_key_file"] = "/etc/hub.key";
  auto loaded = Load(c);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->listen_host, "127.0.0.1");
  EXPECT_EQ(loaded->port, 8443);
  EXPECT_EQ(loaded->max_pull_page, 5'000u);
  EXPECT_EQ(loaded->worker_threads, 64);
  EXPECT_EQ(loaded->max_connections_per_address, 8);
  EXPECT_TRUE(loaded->allow_plain_http_on.empty());
  EXPECT_EQ(loaded->limits.max_compressed_bytes, sync::Limits{}.max_compressed_bytes);
  // Relative to the config's folder; absolute ones as they are.
  EXPECT_EQ(loaded->register_path, (dir_.path() / "hub.db").string());
  EXPECT_EQ(loaded->tls_cert_file, (dir_.path() / "tls/hub.pem").string());
  EXPECT_EQ(loaded->tls_key_file, "/etc/hub.key");
  ASSERT_EQ(loaded->tokens.size(), 1u);
  EXPECT_EQ(loaded->tokens[0].role, Role::kTeacher);
  EXPECT_EQ(loaded->tokens[0].token_sha256, kHash);
  EXPECT_EQ(loaded->role, Role::kHub);
}

TEST_F(ServerConfigTest, EveryKeyIsRead) {
  Json c = Minimal();
  c["listen_host"] = "::1";
  c["port"] = 0;
  c["school_name"] = "De Brug";
  c["brin"] = "25AB";
  c["max_pull_page"] = 100;
  c["worker_threads"] = 4;
  c["max_connections_per_address"] = 2;
  c["allow_plain_http_on"] = {"192.0.2.7", "::"};
  c["role"] = "duo";
  c["tokens"][0]["role"] = "admin";
  c["limits"] = {{"max_compressed_bytes", 1000},
                 {"max_decompressed_bytes", 5000},
                 {"max_records_per_batch", 200},
                 {"max_window_log", 20},
                 {"max_elements_per_record", 32}};
  auto loaded = Load(c);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->listen_host, "::1");
  EXPECT_EQ(loaded->port, 0);
  EXPECT_EQ(loaded->brin, "25AB");
  EXPECT_EQ(loaded->max_pull_page, 100u);
  EXPECT_EQ(loaded->worker_threads, 4);
  EXPECT_EQ(loaded->max_connections_per_address, 2);
  EXPECT_EQ(loaded->allow_plain_http_on, (std::vector<std::string>{"192.0.2.7", "::"}));
  EXPECT_EQ(loaded->role, Role::kDuo);
  EXPECT_EQ(loaded->limits.max_compressed_bytes, 1000u);
  EXPECT_EQ(loaded->limits.max_decompressed_bytes, 5000u);
  EXPECT_EQ(loaded->limits.max_records_per_batch, 200u);
  EXPECT_EQ(loaded->limits.max_window_log, 20);
  EXPECT_EQ(loaded->limits.max_elements_per_record, 32u);
}

TEST_F(ServerConfigTest, RefusalsNameTheKey) {
  Json c = Minimal();
  c["prot"] = 1;
  ExpectRefused(c, "unknown key 'prot'");

  c = Minimal();
  c["limits"] = {{"max_bytes", 1}, {"max_records", 2}};
  ExpectRefused(c, "limits: unknown keys 'max_bytes', 'max_records'");

  c = Minimal();
  c["tokens"][0]["hash"] = kHash;
  ExpectRefused(c, "tokens[0]: unknown key 'hash'");

  c = Minimal();
  c["tokens"][0].erase("replica_id");
  ExpectRefused(c, "tokens[0].replica_id: missing");

  c = Minimal();
  c["tokens"][0]["token_sha256"] = "abc";
  ExpectRefused(c, "tokens[0].token_sha256: must be 64 hex digits");

  c = Minimal();
  c["tokens"][0]["replica_id"] = "0A1B";
  ExpectRefused(c, "tokens[0].replica_id");

  c = Minimal();
  c["tokens"][0]["role"] = "gemeente";
  ExpectRefused(c, "tokens[0].role: must be teacher, admin or hub");

  c = Minimal();
  c["tokens"][0]["name"] = "Fatima El Amrani";  // a person's name, with spaces: not for a log
  ExpectRefused(c, "tokens[0].name");

  c = Minimal();
  c["tokens"].push_back(c["tokens"][0]);
  ExpectRefused(c, "tokens[1].name: 'laptop-a' is listed twice");
  c["tokens"][1]["name"] = "laptop-b";
  ExpectRefused(c, "tokens[1].token_sha256: listed twice");

  c = Minimal();
  c["port"] = 70000;
  ExpectRefused(c, "port: must be a whole number from 0 to 65535");
  c["port"] = "8443";
  ExpectRefused(c, "port: must be a whole number");
  c["port"] = -1;
  ExpectRefused(c, "port: must be a whole number");

  c = Minimal();
  c.erase("register_path");
  ExpectRefused(c, "register_path: missing");

  c = Minimal();
  c["tls_cert_file"] = "hub.pem";
  ExpectRefused(c, "tls_cert_file and tls_key_file");

  c = Minimal();
  c["client_ca_file"] = "ca.pem";
  ExpectRefused(c, "client_ca_file: needs tls_cert_file");

  c = Minimal();
  c["max_connections_per_address"] = 0;
  ExpectRefused(c, "max_connections_per_address: must be a whole number from 1 to 1024");

  // Plain HTTP off loopback only where the config names the address.
  c = Minimal();
  c["listen_host"] = "192.0.2.7";
  ExpectRefused(c, "listen_host 192.0.2.7: plain HTTP");
  c["allow_plain_http_on"] = "192.0.2.7";
  ExpectRefused(c, "allow_plain_http_on: must be a list of addresses");
  c["allow_plain_http_on"] = {"192.0.2.8", 7};
  ExpectRefused(c, "allow_plain_http_on[1]: must be an address");
  c["allow_plain_http_on"] = {"192.0.2.8"};
  ExpectRefused(c, "listen_host 192.0.2.7: plain HTTP");
  c["allow_plain_http_on"] = {"192.0.2.8", "192.0.2.7"};
  EXPECT_TRUE(Load(c).ok());
  c["listen_host"] = "::";
  c["allow_plain_http_on"] = {"0:0::0"};  // the same address, spelled otherwise
  EXPECT_TRUE(Load(c).ok());
  c.erase("allow_plain_http_on");
  ExpectRefused(c, "listen_host ::: plain HTTP");
  c["tls_cert_file"] = "hub.pem";  // with TLS, any address
  c["tls_key_file"] = "hub.key";
  EXPECT_TRUE(Load(c).ok());
  for (const char* loopback : {"127.0.0.1", "127.1.2.3", "::1", "localhost", "::ffff:127.0.0.1"}) {
    c = Minimal();
    c["listen_host"] = loopback;
    EXPECT_TRUE(Load(c).ok()) << loopback;
  }

  c = Minimal();
  c["max_pull_page"] = 60'000;  // more than a batch may hold (50,000)
  ExpectRefused(c, "max_pull_page");

  c = Minimal();
  c["limits"] = {{"max_compressed_bytes", 0}};
  ExpectRefused(c, "limits.max_compressed_bytes");

  // An endpoint's role: a hub, DUO's, a gemeente's (with its CBS code) or
  // Blik op Werk's; an authority's endpoint admits no teacher.
  c = Minimal();
  c["role"] = "bow";
  ExpectRefused(c, "tokens[0].role: a bow endpoint admits a school's admin or hub, not a teacher");
  c["tokens"][0]["role"] = "admin";
  EXPECT_TRUE(Load(c).ok());
  c["gemeente_code"] = "0363";
  ExpectRefused(c, "gemeente_code: only for role gemeente");
  c = Minimal();
  c["role"] = "teacher";
  ExpectRefused(c, "role: must be hub");
  c["role"] = "gemeente";
  c["tokens"][0]["role"] = "admin";
  ExpectRefused(c, "gemeente_code: gemeente_code must be 4 digits");
  c["gemeente_code"] = "0363";
  EXPECT_TRUE(Load(c).ok());
  c["role"] = "hub";
  ExpectRefused(c, "gemeente_code: only for role gemeente");
  c = Minimal();
  c["role"] = "duo";
  c["tokens"][0]["role"] = "teacher";
  ExpectRefused(c, "tokens[0].role: a duo endpoint admits a school's admin or hub, not a teacher");

  // A token's school: at an authority's endpoint, a replica id.
  c = Minimal();
  c["tokens"][0]["school"] = "0123456789abcdef";
  ExpectRefused(c, "tokens[0].school: only an authority's endpoint groups its tokens by school");
  c["role"] = "duo";
  c["tokens"][0]["role"] = "admin";
  EXPECT_TRUE(Load(c).ok());
  c["tokens"][0]["school"] = "25AB";
  ExpectRefused(c, "tokens[0].school: replica id must be 16 lowercase hexadecimal characters");
  c["tokens"][0]["school"] = 7;
  ExpectRefused(c, "tokens[0].school");
  // A school named by another token's replica is that token's school: only
  // when that token is of it (by default a token is its own replica's).
  c["tokens"][0]["school"] = "00000000000000cc";
  c["tokens"].push_back(c["tokens"][0]);
  c["tokens"][1]["name"] = "hub-b";
  c["tokens"][1]["token_sha256"] = std::string(64, 'b');
  c["tokens"][1]["replica_id"] = "00000000000000bb";
  c["tokens"][1]["school"] = c["tokens"][0]["replica_id"];
  ExpectRefused(c, "tokens[1].school: " + c["tokens"][0]["replica_id"].get<std::string>() +
                       " is the replica of tokens[0] ('laptop-a'), which is of school "
                       "00000000000000cc");
  c["tokens"][0].erase("school");  // laptop-a is its own replica's school: hub-b joins it
  EXPECT_TRUE(Load(c).ok());

  ExpectRefused(Json::array(), "must be a JSON object");
}

TEST_F(ServerConfigTest, NotJsonOrMissing) {
  const std::string path = dir_ / "broken.json";
  std::ofstream(path) << "{\"port\": 8443,";
  auto broken = sync::LoadServerConfig(path);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(broken.status().message(), HasSubstr("not valid JSON"));

  auto missing = sync::LoadServerConfig(dir_ / "nothing.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(DeviceTokenTest, FreshTokensAreLongRandomAndUrlSafe) {
  const std::string a = sync::NewDeviceToken();
  const std::string b = sync::NewDeviceToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
  EXPECT_EQ(sync::HashToken("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace server_config_test
}  // namespace presentie::integration
