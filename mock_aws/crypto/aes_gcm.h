#pragma once
// AES-256-GCM authenticated encryption with a caller-supplied key and IV. Key material and IVs
// come from the simulation's seeded RNG (the crypto is real but not secret), never from OpenSSL's
// RNG. seal() returns ciphertext || 16-byte tag; open() returns the plaintext, or nullopt when the
// key, IV, AAD, ciphertext or tag do not authenticate. Each thread keeps cipher contexts already
// keyed for its 16 most recently used keys per direction, so a call with one of them only sets the
// IV; a call costs one allocation: the returned buffer.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ibsim::mock_aws::crypto {

inline constexpr std::size_t kAesKeyBytes = 32;
inline constexpr std::size_t kGcmIvBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;

using AesKey = std::array<uint8_t, kAesKeyBytes>;
using GcmIv = std::array<uint8_t, kGcmIvBytes>;

std::vector<uint8_t> aes256_gcm_seal(std::span<const uint8_t, kAesKeyBytes> key,
                                     std::span<const uint8_t, kGcmIvBytes> iv,
                                     std::span<const uint8_t> aad,
                                     std::span<const uint8_t> plaintext);

// `sealed` is ciphertext || tag as produced by aes256_gcm_seal; shorter than a tag → nullopt.
std::optional<std::vector<uint8_t>> aes256_gcm_open(std::span<const uint8_t, kAesKeyBytes> key,
                                                    std::span<const uint8_t, kGcmIvBytes> iv,
                                                    std::span<const uint8_t> aad,
                                                    std::span<const uint8_t> sealed);

}  // namespace ibsim::mock_aws::crypto
