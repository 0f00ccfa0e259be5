#pragma once
// ibsim's KMS ciphertext blob and the encryption context's canonical form. A blob names the key
// that sealed it, so Decrypt and ReEncrypt recover the key from the blob alone:
//
//   version (1 byte, 0x01) | key ARN length (2 bytes, big-endian) | key ARN | IV (12) | tag (16)
//   | ciphertext (as long as the plaintext)
//
// The AES-256-GCM additional authenticated data is the header (version, length, ARN) followed by
// the canonical encryption context: pair count (4 bytes, big-endian), then for each pair in
// byte order of the keys, key length (4) | key | value length (4) | value. Every byte of the blob
// is authenticated and no two different contexts share an encoding ({"ab":"c"} vs {"a":"bc"}).
// Deviation from AWS: KMS's own blob format is undocumented; this one has the properties that
// matter (the key travels in the blob, the context is bound, tampering is detected).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "mock_aws/api/kms_types.h"
#include "mock_aws/crypto/aes_gcm.h"

namespace ibsim::mock_aws::kms {

inline constexpr uint8_t kCiphertextVersion = 1;
inline constexpr std::size_t kCiphertextHeaderFixedBytes = 3;  // version + ARN length.
inline constexpr std::size_t kKeyArnBytesMax = 2048;           // KMS's ArnType limit.
inline constexpr std::size_t kCiphertextBlobBytesMax = 6144;   // KMS's CiphertextType limit.

// Views into a parsed blob; they point into the blob passed to parse_ciphertext().
struct CiphertextView {
  std::string_view key_arn;
  std::span<const uint8_t> header;  // version | length | ARN: the first part of the AAD.
  std::span<const uint8_t, crypto::kGcmIvBytes> iv;
  std::span<const uint8_t, crypto::kGcmTagBytes> tag;
  std::span<const uint8_t> body;
};

// Splits a blob; nullopt when it is not one of ours (wrong version, lengths that do not add up).
std::optional<CiphertextView> parse_ciphertext(std::span<const uint8_t> blob);

// Appends the canonical encoding of `context` (see above) to `out`.
void append_canonical_context(std::vector<uint8_t>& out,
                              const api::kms::EncryptionContext& context);

// Seals `plaintext` under `key` for `key_arn` with the given IV. `scratch` is reused for the
// AAD so that a warm caller allocates only the returned blob and the cipher's output.
std::vector<uint8_t> seal_ciphertext(const crypto::AesKey& key,
                                     std::string_view key_arn,
                                     const crypto::GcmIv& iv,
                                     const api::kms::EncryptionContext& context,
                                     std::span<const uint8_t> plaintext,
                                     std::vector<uint8_t>& scratch);

// The plaintext, or nullopt when the key, the context or any byte of the blob is wrong.
// `scratch` and `sealed_scratch` are reused for the AAD and for ciphertext || tag.
std::optional<std::vector<uint8_t>> open_ciphertext(const crypto::AesKey& key,
                                                    const CiphertextView& blob,
                                                    const api::kms::EncryptionContext& context,
                                                    std::vector<uint8_t>& scratch,
                                                    std::vector<uint8_t>& sealed_scratch);

}  // namespace ibsim::mock_aws::kms
