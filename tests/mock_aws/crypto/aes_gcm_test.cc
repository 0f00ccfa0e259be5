// AES-256-GCM against the 256-bit-key test cases (13-16) of McGrew and Viega's GCM specification,
// round trips, and tamper tests: any changed byte of ciphertext, tag, AAD, key or IV fails open().
#include "mock_aws/crypto/aes_gcm.h"

#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/crypto/encoding.h"

namespace ibsim::mock_aws::crypto {
namespace {

Bytes unhex(std::string_view text) {
  auto b = hex_decode(text);
  REQUIRE(b.has_value());
  return *b;
}

template <std::size_t N>
std::array<uint8_t, N> fixed(std::string_view text) {
  const Bytes b = unhex(text);
  REQUIRE(b.size() == N);
  std::array<uint8_t, N> out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

struct Vector {
  const char* name;
  const char* key;
  const char* iv;
  const char* plaintext;
  const char* aad;
  const char* ciphertext;
  const char* tag;
};

constexpr const char* kKey15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr const char* kPlain15 =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
constexpr const char* kCipher15 =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

const Vector kVectors[] = {
    {"13",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000",
     "",
     "",
     "",
     "530f8afbc74536b9a963b4f1c4cb738b"},
    {"14",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000",
     "00000000000000000000000000000000",
     "",
     "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {"15",
     kKey15,
     "cafebabefacedbaddecaf888",
     kPlain15,
     "",
     kCipher15,
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"16",
     kKey15,
     "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

TEST_CASE("AesGcm: GCM specification test cases 13 to 16", "[crypto]") {
  for (const Vector& v : kVectors) {
    INFO("test case " << v.name);
    const auto key = fixed<kAesKeyBytes>(v.key);
    const auto iv = fixed<kGcmIvBytes>(v.iv);
    const Bytes aad = unhex(v.aad);
    const Bytes plain = unhex(v.plaintext);
    const Bytes sealed = aes256_gcm_seal(key, iv, aad, plain);
    CHECK(hex_encode(sealed) == std::string(v.ciphertext) + v.tag);
    const auto opened = aes256_gcm_open(key, iv, aad, sealed);
    REQUIRE(opened.has_value());
    CHECK(*opened == plain);
  }
}

// Each thread keeps a bounded set of contexts already keyed: results must not depend on which
// keys it holds. Runs the specification vectors between rounds that use more keys than it keeps,
// in both orders, and checks every result against a first pass.
TEST_CASE("AesGcm: results do not depend on the keys used before", "[crypto]") {
  constexpr std::size_t kKeys = 40;  // More than the contexts kept per thread and direction.
  std::vector<AesKey> keys(kKeys);
  for (std::size_t k = 0; k < kKeys; ++k) {
    for (std::size_t i = 0; i < kAesKeyBytes; ++i) {
      keys[k][i] = static_cast<uint8_t>(k * 13 + i * 7 + 1);
    }
  }
  GcmIv iv{};
  const Bytes plain(32, 0x42);
  const Bytes aad(20, 0x07);
  std::vector<Bytes> first;
  for (std::size_t k = 0; k < kKeys; ++k) {
    iv[0] = static_cast<uint8_t>(k);
    first.push_back(aes256_gcm_seal(keys[k], iv, aad, plain));
  }
  for (int round = 0; round < 3; ++round) {
    for (std::size_t n = 0; n < kKeys; ++n) {
      const std::size_t k = round % 2 == 0 ? n : kKeys - 1 - n;
      iv[0] = static_cast<uint8_t>(k);
      INFO("round " << round << " key " << k);
      CHECK(aes256_gcm_seal(keys[k], iv, aad, plain) == first[k]);
      const auto opened = aes256_gcm_open(keys[k], iv, aad, first[k]);
      REQUIRE(opened.has_value());
      CHECK(*opened == plain);
      // Another key's blob fails under this key, and the key still works afterwards.
      CHECK_FALSE(aes256_gcm_open(keys[k], iv, aad, first[(k + 1) % kKeys]).has_value());
      // A new IV under a key just used.
      GcmIv other = iv;
      other[1] = 0xff;
      const Bytes resealed = aes256_gcm_seal(keys[k], other, aad, plain);
      CHECK(resealed != first[k]);
      CHECK(aes256_gcm_open(keys[k], other, aad, resealed) == std::optional<Bytes>(plain));
    }
    for (const Vector& v : kVectors) {
      const auto key = fixed<kAesKeyBytes>(v.key);
      const auto viv = fixed<kGcmIvBytes>(v.iv);
      CHECK(hex_encode(aes256_gcm_seal(key, viv, unhex(v.aad), unhex(v.plaintext)))
            == std::string(v.ciphertext) + v.tag);
    }
  }
}

TEST_CASE("AesGcm: any changed byte fails authentication", "[crypto]") {
  const Vector& v = kVectors[3];
  const auto key = fixed<kAesKeyBytes>(v.key);
  const auto iv = fixed<kGcmIvBytes>(v.iv);
  const Bytes aad = unhex(v.aad);
  const Bytes sealed = aes256_gcm_seal(key, iv, aad, unhex(v.plaintext));
  // Every byte of ciphertext and tag.
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    Bytes bad = sealed;
    bad[i] ^= 0x01;
    INFO("sealed byte " << i);
    CHECK_FALSE(aes256_gcm_open(key, iv, aad, bad).has_value());
  }
  for (std::size_t i = 0; i < aad.size(); ++i) {
    Bytes bad = aad;
    bad[i] ^= 0x80;
    INFO("aad byte " << i);
    CHECK_FALSE(aes256_gcm_open(key, iv, bad, sealed).has_value());
  }
  for (std::size_t i = 0; i < key.size(); ++i) {
    auto bad = key;
    bad[i] ^= 0x01;
    CHECK_FALSE(aes256_gcm_open(bad, iv, aad, sealed).has_value());
  }
  for (std::size_t i = 0; i < iv.size(); ++i) {
    auto bad = iv;
    bad[i] ^= 0x01;
    CHECK_FALSE(aes256_gcm_open(key, bad, aad, sealed).has_value());
  }
  // Missing or extra AAD, truncation and extension.
  CHECK_FALSE(aes256_gcm_open(key, iv, {}, sealed).has_value());
  Bytes shorter(sealed.begin(), sealed.end() - 1);
  CHECK_FALSE(aes256_gcm_open(key, iv, aad, shorter).has_value());
  Bytes longer = sealed;
  longer.push_back(0);
  CHECK_FALSE(aes256_gcm_open(key, iv, aad, longer).has_value());
  // The untouched message still opens after all those failures (the reused context recovers).
  CHECK(aes256_gcm_open(key, iv, aad, sealed).has_value());
}

TEST_CASE("AesGcm: input shorter than a tag is rejected without reading past it", "[crypto]") {
  const AesKey key{};
  const GcmIv iv{};
  for (std::size_t n = 0; n < kGcmTagBytes; ++n) {
    const Bytes tiny(n, 0);
    CHECK_FALSE(aes256_gcm_open(key, iv, {}, tiny).has_value());
  }
  // Exactly a tag: empty plaintext (test case 13's tag under its key).
  const Bytes tag = unhex("530f8afbc74536b9a963b4f1c4cb738b");
  const auto opened = aes256_gcm_open(key, iv, {}, tag);
  REQUIRE(opened.has_value());
  CHECK(opened->empty());
}

TEST_CASE("AesGcm: large messages round trip", "[crypto]") {
  AesKey key{};
  GcmIv iv{};
  for (std::size_t i = 0; i < key.size(); ++i) {
    key[i] = static_cast<uint8_t>(i * 7 + 1);
  }
  iv[0] = 9;
  Bytes plain(100'003);
  for (std::size_t i = 0; i < plain.size(); ++i) {
    plain[i] = static_cast<uint8_t>(i * 31);
  }
  const Bytes aad(300, 0x42);
  const Bytes sealed = aes256_gcm_seal(key, iv, aad, plain);
  REQUIRE(sealed.size() == plain.size() + kGcmTagBytes);
  const auto opened = aes256_gcm_open(key, iv, aad, sealed);
  REQUIRE(opened.has_value());
  CHECK(*opened == plain);
}

}  // namespace
}  // namespace ibsim::mock_aws::crypto
