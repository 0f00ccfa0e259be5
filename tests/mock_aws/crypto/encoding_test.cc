#include "mock_aws/crypto/encoding.h"

#include <catch2/catch.hpp>

namespace ibsim::mock_aws::crypto {
namespace {

std::string str(const Bytes& b) {
  return std::string(as_chars(b));
}

TEST_CASE("Encoding: hex round-trips and rejects bad digits", "[crypto]") {
  const std::string raw("\x00\x01\xab\xff", 4);
  CHECK(hex_encode(as_bytes(raw)) == "0001abff");
  REQUIRE(hex_decode("0001ABff").has_value());
  CHECK(str(*hex_decode("0001ABff")) == raw);
  CHECK_FALSE(hex_decode("abc").has_value());
  CHECK_FALSE(hex_decode("zz").has_value());
}

TEST_CASE("Encoding: base64 follows RFC 4648 test vectors", "[crypto]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CAPTURE(plain);
    CHECK(base64_encode(std::string_view(plain)) == encoded);
    REQUIRE(base64_decode(encoded).has_value());
    CHECK(str(*base64_decode(encoded)) == plain);
  }
}

TEST_CASE("Encoding: base64 decoding is strict", "[crypto]") {
  for (const char* bad : {"Zg", "Zg=", "Z===", "Zm9v\n", "Zm9v YmFy", "Zh==", "****", "Zm9vY"}) {
    CAPTURE(bad);
    CHECK_FALSE(base64_decode(bad).has_value());
  }
  CHECK(base64url_encode(as_bytes(std::string_view("\xfb\xff", 2))) == "-_8");
  REQUIRE(base64url_decode("-_8").has_value());
  CHECK_FALSE(base64url_decode("+/8").has_value());
}

TEST_CASE("Encoding: percent-encoding keeps only unreserved characters", "[crypto]") {
  CHECK(percent_encode("a-b_c.d~e") == "a-b_c.d~e");
  CHECK(percent_encode("a b/c+d=é") == "a%20b%2Fc%2Bd%3D%C3%A9");
  CHECK(percent_encode("/a b/", true) == "/a%20b/");
  REQUIRE(percent_decode("a%20b%2fc").has_value());
  CHECK(*percent_decode("a%20b%2fc") == "a b/c");
  CHECK(*percent_decode("a+b", true) == "a b");
  CHECK(*percent_decode("a+b") == "a+b");
  for (const char* bad : {"%", "%2", "%zz", "abc%4"}) {
    CAPTURE(bad);
    CHECK_FALSE(percent_decode(bad).has_value());
  }
}

}  // namespace
}  // namespace ibsim::mock_aws::crypto
