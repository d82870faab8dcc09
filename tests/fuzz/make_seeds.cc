// Writes the fuzz targets' seed corpora from real encodings: for each
// message, the body as sent (first byte: the message) and its protobuf bytes
// (first byte | 0x80), so the fuzzer starts from valid inputs.
//   make_fuzz_seeds tests/fuzz/corpus
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "sync/codec.h"
#include "sync/messages.h"
#include "sync_test_util.h"

namespace fs = std::filesystem;
using namespace presentie;        // NOLINT
using namespace presentie::sync;  // NOLINT

namespace {

void Write(const fs::path& dir, const std::string& name, uint8_t selector, const std::string& b) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  out.put(static_cast<char>(selector));
  out << b;
}

// Both forms of `body` for message number `kind` into `dir`.
void Seed(const fs::path& dir, const std::string& name, uint8_t kind, const std::string& body) {
  Write(dir, name + "-body", kind, body);
  auto raw = Decompress(body, Limits{});
  if (raw.ok()) Write(dir, name + "-raw", static_cast<uint8_t>(kind | 0x80), *raw);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_fuzz_seeds CORPUS_DIR\n");
    return 2;
  }
  const fs::path root = argv[1];
  const auto versions = sync::testing::OneOfEachKind();
  const auto attendance = sync::testing::RealisticAttendance(5, 2);
  const std::string hello =
      *EncodeHelloRequest(HelloRequest{kProtocolVersion, sync::testing::kReplicaA});
  const std::string push = *EncodePushRequest(PushRequest{"seed-1", versions, 1, 9});
  const std::string push_columns = *EncodePushRequest(PushRequest{"seed-2", attendance, 1, 10});
  const std::string pull = *EncodePullRequest(PullRequest{0, 100});
  PullResponse page;
  page.versions = attendance;
  page.next_seq = 10;
  const std::string pulled = *EncodePullResponse(page);
  const std::string error = *EncodeErrorReply(ErrorReply{ErrorCode::kBadRequest, "bad"});

  const fs::path codec = root / "codec";
  Seed(codec, "hello", 0, hello);
  Seed(codec, "push", 2, push);
  Seed(codec, "push-columns", 2, push_columns);
  Seed(codec, "pull", 4, pull);
  Seed(codec, "pull-response", 5, pulled);
  Seed(codec, "error", 6, error);

  const fs::path server = root / "server";
  Seed(server, "hello", 0, hello);
  Seed(server, "push", 1, push);
  Seed(server, "push-columns", 1, push_columns);
  Seed(server, "pull", 2, pull);
  Seed(server, "hub-push", 5, push);
  return 0;
}
