// The audit chain's SHA-256 (OpenSSL EVP with a gathering buffer) must be
// plain SHA-256 of the bytes given, however they are split: the chain's
// format (docs/storage.md) is defined in those terms, and registers written
// before the buffer existed must still verify.
#include "storage/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace presentie::storage::internal {
namespace sha256_test {

// FIPS 180-2, appendix B, and the empty message.
TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, AMillionAsInPiecesOfEverySizeAcrossTheBuffer) {
  const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  EXPECT_EQ(Sha256Hex(std::string(1'000'000, 'a')), expected);
  // Pieces from 1 byte up past the 4 KiB gathering buffer, so that appends,
  // flushes and large direct updates interleave.
  Sha256 h;
  size_t fed = 0;
  for (size_t piece = 1; fed < 1'000'000; piece = piece * 3 % 9001 + 1) {
    const size_t n = std::min(piece, 1'000'000 - fed);
    h.Update(std::string(n, 'a'));
    fed += n;
  }
  EXPECT_EQ(h.FinishHex(), expected);
}

// A field is its length as 8 big-endian bytes, then its bytes; an integer is
// its decimal text. The same as hashing the framed bytes in one piece.
TEST(Sha256Test, FieldsAreLengthPrefixed) {
  Sha256 fields;
  fields.AddField("abc");
  fields.AddField(int64_t{-42});
  fields.AddField(std::string_view());
  std::string framed;
  framed += std::string("\0\0\0\0\0\0\0\3abc", 11);
  framed += std::string("\0\0\0\0\0\0\0\3-42", 11);
  framed += std::string(8, '\0');
  EXPECT_EQ(fields.FinishHex(), Sha256Hex(framed));
  // Moving field boundaries changes the digest.
  Sha256 other;
  other.AddField("ab");
  other.AddField("c-42");
  EXPECT_NE(other.FinishHex(), Sha256Hex(framed));
}

TEST(Sha256Test, AMovedHasherCarriesItsState) {
  Sha256 a;
  a.Update("ab");
  Sha256 b = std::move(a);
  b.Update("c");
  EXPECT_EQ(b.FinishHex(), Sha256Hex("abc"));
}

}  // namespace sha256_test
}  // namespace presentie::storage::internal
