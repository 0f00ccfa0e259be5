#include "mock_aws/kms/ciphertext.h"

#include <catch2/catch.hpp>

namespace ibsim::mock_aws::kms {
namespace {

constexpr std::string_view kArn =
    "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

crypto::AesKey test_key(uint8_t fill) {
  crypto::AesKey k{};
  k.fill(fill);
  return k;
}

std::vector<uint8_t> canonical(const api::kms::EncryptionContext& c) {
  std::vector<uint8_t> out;
  append_canonical_context(out, c);
  return out;
}

TEST_CASE("Ciphertext: the blob is version then length-prefixed ARN then IV tag and body",
          "[kms]") {
  std::vector<uint8_t> scratch;
  std::vector<uint8_t> scratch2;
  const crypto::GcmIv iv{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const std::vector<uint8_t> plaintext(32, 0x5A);
  const auto blob = seal_ciphertext(test_key(7), kArn, iv, {}, plaintext, scratch);
  REQUIRE(blob.size() == 1 + 2 + kArn.size() + 12 + 16 + 32);
  CHECK(blob[0] == kCiphertextVersion);
  CHECK(((std::size_t{blob[1]} << 8) | blob[2]) == kArn.size());
  const auto view = parse_ciphertext(blob);
  REQUIRE(view.has_value());
  CHECK(view->key_arn == kArn);
  CHECK(std::equal(view->iv.begin(), view->iv.end(), iv.begin()));
  CHECK(view->body.size() == 32);
  const auto opened = open_ciphertext(test_key(7), *view, {}, scratch, scratch2);
  REQUIRE(opened.has_value());
  CHECK(*opened == plaintext);
}

TEST_CASE("Ciphertext: the encryption context encoding is canonical and unambiguous", "[kms]") {
  // Order of insertion does not matter: std::map sorts, the encoding follows.
  api::kms::EncryptionContext a;
  a.emplace("b", "2");
  a.emplace("a", "1");
  api::kms::EncryptionContext b;
  b.emplace("a", "1");
  b.emplace("b", "2");
  CHECK(canonical(a) == canonical(b));
  // Concatenation-ambiguous contexts encode differently.
  CHECK(canonical({{"ab", "c"}}) != canonical({{"a", "bc"}}));
  CHECK(canonical({{"a", ""}}) != canonical({}));
  CHECK(canonical({{"a", "b"}, {"c", "d"}}) != canonical({{"a", "bcd"}}));
  // Count, then length-prefixed key and value.
  const std::vector<uint8_t> expected{0, 0, 0, 1, 0, 0, 0, 2, 'a', 'b', 0, 0, 0, 1, 'c'};
  CHECK(canonical({{"ab", "c"}}) == expected);
}

TEST_CASE("Ciphertext: a wrong context or key never opens", "[kms]") {
  std::vector<uint8_t> scratch;
  std::vector<uint8_t> scratch2;
  const crypto::GcmIv iv{};
  const std::vector<uint8_t> plaintext{1, 2, 3};
  const auto blob = seal_ciphertext(test_key(1), kArn, iv, {{"ab", "c"}}, plaintext, scratch);
  const auto view = parse_ciphertext(blob);
  REQUIRE(view.has_value());
  CHECK(open_ciphertext(test_key(1), *view, {{"ab", "c"}}, scratch, scratch2).has_value());
  CHECK_FALSE(open_ciphertext(test_key(1), *view, {{"a", "bc"}}, scratch, scratch2).has_value());
  CHECK_FALSE(open_ciphertext(test_key(1), *view, {}, scratch, scratch2).has_value());
  CHECK_FALSE(open_ciphertext(test_key(1), *view, {{"AB", "c"}}, scratch, scratch2).has_value());
  CHECK_FALSE(open_ciphertext(test_key(2), *view, {{"ab", "c"}}, scratch, scratch2).has_value());
}

TEST_CASE("Ciphertext: flipping any byte of the blob is detected", "[kms]") {
  std::vector<uint8_t> scratch;
  std::vector<uint8_t> scratch2;
  const crypto::GcmIv iv{9};
  const std::vector<uint8_t> plaintext(40, 0x11);
  const auto blob = seal_ciphertext(test_key(3), kArn, iv, {{"k", "v"}}, plaintext, scratch);
  for (std::size_t i = 0; i < blob.size(); ++i) {
    CAPTURE(i);
    auto tampered = blob;
    tampered[i] ^= 0x01;
    const auto view = parse_ciphertext(tampered);
    if (view.has_value()) {
      CHECK_FALSE(open_ciphertext(test_key(3), *view, {{"k", "v"}}, scratch, scratch2).has_value());
    }
  }
}

TEST_CASE("Ciphertext: malformed blobs do not parse", "[kms]") {
  CHECK_FALSE(parse_ciphertext({}).has_value());
  const std::vector<uint8_t> wrong_version{2, 0, 1, 'a'};
  CHECK_FALSE(parse_ciphertext(wrong_version).has_value());
  const std::vector<uint8_t> zero_length{1, 0, 0};
  CHECK_FALSE(parse_ciphertext(zero_length).has_value());
  std::vector<uint8_t> truncated{1, 0, 3, 'a', 'b', 'c'};
  truncated.resize(truncated.size() + 27);  // One byte short of IV + tag.
  CHECK_FALSE(parse_ciphertext(truncated).has_value());
  truncated.push_back(0);
  CHECK(parse_ciphertext(truncated).has_value());
}

}  // namespace
}  // namespace ibsim::mock_aws::kms
