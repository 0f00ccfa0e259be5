#include "mock_aws/auth/authorization_message.h"

#include <string>

#include <catch2/catch.hpp>

#include "sim/rng.h"

namespace ibsim::mock_aws::auth {
namespace {

constexpr std::string_view kJson =
    R"({"allowed":false,"explicitDeny":false,"summary":"no identity-based policy allows kms:Decrypt"})";

TEST_CASE("AuthorizationMessages: a blob round-trips to the same JSON", "[auth]") {
  const AuthorizationMessages m(sim::Rng(42));
  const std::string blob = m.encode(kJson);
  CHECK(blob.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        == std::string::npos);
  CHECK(blob.find("allowed") == std::string::npos);  // Opaque.
  auto decoded = m.decode(blob);
  REQUIRE(decoded.ok());
  CHECK(*decoded == kJson);
  // Encoding is a pure function of the seed and the text.
  CHECK(m.encode(kJson) == blob);
  CHECK(m.encode(std::string(kJson) + " ") != blob);
}

TEST_CASE("AuthorizationMessages: the same seed decodes after a restart but another does not",
          "[auth]") {
  const std::string blob = AuthorizationMessages(sim::Rng(42)).encode(kJson);
  CHECK(AuthorizationMessages(sim::Rng(42)).decode(blob).ok());
  auto other = AuthorizationMessages(sim::Rng(43)).decode(blob);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().code == "InvalidAuthorizationMessageException");
  CHECK(other.error().http_status == 400);
}

TEST_CASE("AuthorizationMessages: tampered or truncated or garbage blobs are refused", "[auth]") {
  const AuthorizationMessages m(sim::Rng(1));
  const std::string blob = m.encode(kJson);
  for (std::size_t i = 0; i < blob.size(); i += 7) {
    std::string tampered = blob;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    INFO("position " << i);
    CHECK_FALSE(m.decode(tampered).ok());
  }
  CHECK_FALSE(m.decode(blob.substr(0, blob.size() - 4)).ok());
  CHECK_FALSE(m.decode(blob + "AA").ok());
  for (const char* garbage : {"",
                              "!",
                              "not base64 at all",
                              "AAAA",
                              "=====",
                              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    auto r = m.decode(garbage);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "InvalidAuthorizationMessageException");
  }
  CHECK_FALSE(m.decode(std::string(AuthorizationMessages::kEncodedCharsMax + 1, 'A')).ok());
}

TEST_CASE("AuthorizationMessages: an explanation that is too long encodes a short notice",
          "[auth]") {
  const AuthorizationMessages m(sim::Rng(1));
  const std::string huge(AuthorizationMessages::kPlaintextBytesMax + 1, 'x');
  auto decoded = m.decode(m.encode(huge));
  REQUIRE(decoded.ok());
  CHECK(decoded->find("ibsim explain") != std::string::npos);
  CHECK(m.encode("").size() > 0);
  CHECK(m.decode(m.encode("")).ok());
}

}  // namespace
}  // namespace ibsim::mock_aws::auth
