#include "mock_aws/crypto/sha256.h"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "mock_aws/crypto/encoding.h"
#include "mock_aws/crypto/openssl_util.h"

namespace ibsim::mock_aws::crypto {
namespace {

using internal::check;

constexpr std::size_t kSha256BlockBytes = 64;

// One digest context per thread, reused by every one-shot call on that thread.
class ThreadDigest {
 public:
  ThreadDigest() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) {
      internal::openssl_fail("EVP_MD_CTX_new");
    }
  }

  ~ThreadDigest() { EVP_MD_CTX_free(ctx_); }

  ThreadDigest(const ThreadDigest&) = delete;
  ThreadDigest& operator=(const ThreadDigest&) = delete;

  EVP_MD_CTX* begin() {
    check(EVP_DigestInit_ex2(ctx_, internal::sha256_md(), nullptr), "EVP_DigestInit_ex2");
    return ctx_;
  }

 private:
  EVP_MD_CTX* ctx_;
};

EVP_MD_CTX* thread_digest() {
  thread_local ThreadDigest digest;
  return digest.begin();
}

void update(EVP_MD_CTX* ctx, std::span<const uint8_t> data) {
  check(EVP_DigestUpdate(ctx, data.data(), data.size()), "EVP_DigestUpdate");
}

Sha256Digest finish(EVP_MD_CTX* ctx) {
  Sha256Digest out;
  unsigned int len = 0;
  check(EVP_DigestFinal_ex(ctx, out.data(), &len), "EVP_DigestFinal_ex");
  if (len != kSha256Bytes) [[unlikely]] {
    internal::openssl_fail("EVP_DigestFinal_ex length");
  }
  return out;
}

}  // namespace

Sha256Digest sha256(std::span<const uint8_t> data) {
  EVP_MD_CTX* ctx = thread_digest();
  update(ctx, data);
  return finish(ctx);
}

Sha256Digest sha256(std::string_view data) {
  return sha256(as_bytes(data));
}

struct Sha256::State {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  if (state_->ctx == nullptr) {
    internal::openssl_fail("EVP_MD_CTX_new");
  }
  reset();
}

Sha256::~Sha256() {
  if (state_ != nullptr) {
    EVP_MD_CTX_free(state_->ctx);
  }
}

Sha256::Sha256(Sha256&&) noexcept = default;

Sha256& Sha256::operator=(Sha256&& other) noexcept {
  if (this != &other) {
    if (state_ != nullptr) {
      EVP_MD_CTX_free(state_->ctx);
    }
    state_ = std::move(other.state_);
  }
  return *this;
}

Sha256& Sha256::update(std::span<const uint8_t> data) {
  crypto::update(state_->ctx, data);
  return *this;
}

Sha256& Sha256::update(std::string_view data) {
  return update(as_bytes(data));
}

Sha256Digest Sha256::finish() {
  return crypto::finish(state_->ctx);
}

void Sha256::reset() {
  check(EVP_DigestInit_ex2(state_->ctx, internal::sha256_md(), nullptr), "EVP_DigestInit_ex2");
}

Sha256Digest hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  // RFC 2104 over the reused digest context: measured about 1.5x faster than EVP_MAC with a
  // re-keyed context and 4x faster than HMAC() (which fetches the algorithm on every call).
  std::array<uint8_t, kSha256BlockBytes> block{};
  if (key.size() > kSha256BlockBytes) {
    const Sha256Digest hashed = sha256(key);
    std::copy(hashed.begin(), hashed.end(), block.begin());
  } else {
    std::copy(key.begin(), key.end(), block.begin());
  }
  for (uint8_t& b : block) {
    b ^= 0x36;
  }
  EVP_MD_CTX* ctx = thread_digest();
  update(ctx, block);
  update(ctx, data);
  const Sha256Digest inner = finish(ctx);
  for (uint8_t& b : block) {
    b ^= 0x36 ^ 0x5c;
  }
  ctx = thread_digest();
  update(ctx, block);
  update(ctx, inner);
  const Sha256Digest outer = finish(ctx);
  OPENSSL_cleanse(block.data(), block.size());
  return outer;
}

Sha256Digest hmac_sha256(std::span<const uint8_t> key, std::string_view data) {
  return hmac_sha256(key, as_bytes(data));
}

bool constant_time_equals(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) {
    return false;
  }
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  return constant_time_equals(as_bytes(a), as_bytes(b));
}

}  // namespace ibsim::mock_aws::crypto
