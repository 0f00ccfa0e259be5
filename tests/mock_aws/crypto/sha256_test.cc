// SHA-256 (FIPS 180-2 examples), HMAC-SHA256 (RFC 4231 test cases 1-7) and the constant-time
// comparison.
#include "mock_aws/crypto/sha256.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/crypto/encoding.h"

namespace ibsim::mock_aws::crypto {
namespace {

std::string hex(const Sha256Digest& d) {
  return hex_encode(d);
}

Bytes repeat(uint8_t byte, std::size_t n) {
  return Bytes(n, byte);
}

TEST_CASE("Sha256: published examples", "[crypto]") {
  CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("Sha256: incremental hashing equals one-shot", "[crypto]") {
  Sha256 h;
  h.update("abcdbcdecdefdefgefghfghighij").update("").update("hijkijkljklmklmnlmnomnopnopq");
  CHECK(hex(h.finish()) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  h.reset();
  // One million 'a' in uneven pieces (FIPS 180-2, appendix B.3).
  const std::string piece(997, 'a');
  std::size_t left = 1'000'000;
  while (left > 0) {
    const std::size_t n = std::min(left, piece.size());
    h.update(std::string_view(piece).substr(0, n));
    left -= n;
  }
  CHECK(hex(h.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("Sha256: a moved hasher keeps its state", "[crypto]") {
  Sha256 a;
  a.update("ab");
  Sha256 b = std::move(a);
  b.update("c");
  CHECK(hex(b.finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 c;
  c = std::move(b);
  c.reset();
  CHECK(hex(c.finish()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("HmacSha256: RFC 4231 test cases", "[crypto]") {
  CHECK(hex(hmac_sha256(repeat(0x0b, 20), "Hi There"))
        == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hex(hmac_sha256(as_bytes("Jefe"), "what do ya want for nothing?"))
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hex(hmac_sha256(repeat(0xaa, 20), repeat(0xdd, 50)))
        == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  Bytes key4;
  for (uint8_t b = 1; b <= 25; ++b) {
    key4.push_back(b);
  }
  CHECK(hex(hmac_sha256(key4, repeat(0xcd, 50)))
        == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test case 5 publishes the first 128 bits only.
  CHECK(hex(hmac_sha256(repeat(0x0c, 20), "Test With Truncation")).substr(0, 32)
        == "a3b6167473100ee06e0c796c2955552b");
  // Keys longer than the 64-byte block are hashed first.
  CHECK(
      hex(hmac_sha256(repeat(0xaa, 131), "Test Using Larger Than Block-Size Key - Hash Key First"))
      == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(hex(hmac_sha256(repeat(0xaa, 131),
                        "This is a test using a larger than block-size key and a larger than "
                        "block-size data. The key needs to be hashed before being used by the HMAC "
                        "algorithm."))
        == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("HmacSha256: a 64-byte key is used as is and an empty key works", "[crypto]") {
  // Boundary of the block size: exactly 64 bytes is not hashed first, 65 is.
  const Bytes key64 = repeat(0x11, 64);
  const Bytes key65 = repeat(0x11, 65);
  CHECK(hmac_sha256(key64, "x") != hmac_sha256(key65, "x"));
  CHECK(hmac_sha256(key65, "x") == hmac_sha256(sha256(key65), "x"));
  CHECK(hex(hmac_sha256(Bytes{}, ""))
        == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("ConstantTimeEquals: sizes and bytes must both match", "[crypto]") {
  CHECK(constant_time_equals("abc", "abc"));
  CHECK(constant_time_equals("", ""));
  CHECK_FALSE(constant_time_equals("abc", "abd"));
  CHECK_FALSE(constant_time_equals("abc", "abcd"));
  CHECK_FALSE(constant_time_equals("", "a"));
}

}  // namespace
}  // namespace ibsim::mock_aws::crypto
