#pragma once
// SHA-256 (one-shot and incremental), HMAC-SHA256 and a constant-time comparison, on OpenSSL's
// EVP interface. SigV4 signing and verification call these several times per request, so the
// one-shot functions reuse a per-thread digest context and a prefetched algorithm instead of
// allocating: no heap allocation per call once a thread has warmed up.
//
//   Sha256Digest d = sha256(as_bytes("abc"));   Sha256 h; h.update(a); h.update(b); h.finish();

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace ibsim::mock_aws::crypto {

inline constexpr std::size_t kSha256Bytes = 32;
using Sha256Digest = std::array<uint8_t, kSha256Bytes>;

Sha256Digest sha256(std::span<const uint8_t> data);
Sha256Digest sha256(std::string_view data);

// Incremental SHA-256 for data that arrives in pieces (a canonical request built line by line).
// finish() may be called once; reset() starts over.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(std::span<const uint8_t> data);
  Sha256& update(std::string_view data);
  Sha256Digest finish();
  void reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// HMAC-SHA256 (RFC 2104) with any key length.
Sha256Digest hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> data);
Sha256Digest hmac_sha256(std::span<const uint8_t> key, std::string_view data);

// Equal sizes and bytes, in time that depends only on the sizes (signature and tag checks).
bool constant_time_equals(std::span<const uint8_t> a, std::span<const uint8_t> b);
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace ibsim::mock_aws::crypto
