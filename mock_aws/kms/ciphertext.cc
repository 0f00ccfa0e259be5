#include "mock_aws/kms/ciphertext.h"

#include <algorithm>

#include "sim/base/assert.h"

namespace ibsim::mock_aws::kms {
namespace {

void append_u16(std::vector<uint8_t>& out, std::size_t v) {
  out.push_back(static_cast<uint8_t>((v >> 8) & 0xFF));
  out.push_back(static_cast<uint8_t>(v & 0xFF));
}

void append_u32(std::vector<uint8_t>& out, std::size_t v) {
  out.push_back(static_cast<uint8_t>((v >> 24) & 0xFF));
  out.push_back(static_cast<uint8_t>((v >> 16) & 0xFF));
  out.push_back(static_cast<uint8_t>((v >> 8) & 0xFF));
  out.push_back(static_cast<uint8_t>(v & 0xFF));
}

void append_text(std::vector<uint8_t>& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}

void build_aad(std::vector<uint8_t>& aad,
               std::span<const uint8_t> header,
               const api::kms::EncryptionContext& context) {
  aad.clear();
  aad.insert(aad.end(), header.begin(), header.end());
  append_canonical_context(aad, context);
}

}  // namespace

void append_canonical_context(std::vector<uint8_t>& out,
                              const api::kms::EncryptionContext& context) {
  // std::map iterates keys in byte order, which is the canonical order.
  append_u32(out, context.size());
  for (const auto& [key, value] : context) {
    append_u32(out, key.size());
    append_text(out, key);
    append_u32(out, value.size());
    append_text(out, value);
  }
}

std::optional<CiphertextView> parse_ciphertext(std::span<const uint8_t> blob) {
  if (blob.size() < kCiphertextHeaderFixedBytes || blob[0] != kCiphertextVersion) {
    return std::nullopt;
  }
  const std::size_t arn_bytes = (std::size_t{blob[1]} << 8) | std::size_t{blob[2]};
  const std::size_t header_bytes = kCiphertextHeaderFixedBytes + arn_bytes;
  if (arn_bytes == 0 || arn_bytes > kKeyArnBytesMax
      || blob.size() < header_bytes + crypto::kGcmIvBytes + crypto::kGcmTagBytes) {
    return std::nullopt;
  }
  const std::span<const uint8_t> rest = blob.subspan(header_bytes);
  return CiphertextView{
      .key_arn = std::string_view(reinterpret_cast<const char*>(blob.data() + 3), arn_bytes),
      .header = blob.first(header_bytes),
      .iv = rest.first<crypto::kGcmIvBytes>(),
      .tag = rest.subspan(crypto::kGcmIvBytes).first<crypto::kGcmTagBytes>(),
      .body = rest.subspan(crypto::kGcmIvBytes + crypto::kGcmTagBytes),
  };
}

std::vector<uint8_t> seal_ciphertext(const crypto::AesKey& key,
                                     std::string_view key_arn,
                                     const crypto::GcmIv& iv,
                                     const api::kms::EncryptionContext& context,
                                     std::span<const uint8_t> plaintext,
                                     std::vector<uint8_t>& scratch) {
  IBSIM_ASSERT(!key_arn.empty() && key_arn.size() <= kKeyArnBytesMax,
               "key ARNs are built by the model and fit the length field");
  std::vector<uint8_t> blob;
  blob.reserve(kCiphertextHeaderFixedBytes + key_arn.size() + crypto::kGcmIvBytes
               + crypto::kGcmTagBytes + plaintext.size());
  blob.push_back(kCiphertextVersion);
  append_u16(blob, key_arn.size());
  append_text(blob, key_arn);
  build_aad(scratch, blob, context);
  const std::vector<uint8_t> sealed = crypto::aes256_gcm_seal(key, iv, scratch, plaintext);
  // seal() returns ciphertext || tag; the blob stores the tag first.
  const std::size_t body = sealed.size() - crypto::kGcmTagBytes;
  blob.insert(blob.end(), iv.begin(), iv.end());
  blob.insert(blob.end(), sealed.begin() + static_cast<std::ptrdiff_t>(body), sealed.end());
  blob.insert(blob.end(), sealed.begin(), sealed.begin() + static_cast<std::ptrdiff_t>(body));
  return blob;
}

std::optional<std::vector<uint8_t>> open_ciphertext(const crypto::AesKey& key,
                                                    const CiphertextView& blob,
                                                    const api::kms::EncryptionContext& context,
                                                    std::vector<uint8_t>& scratch,
                                                    std::vector<uint8_t>& sealed) {
  build_aad(scratch, blob.header, context);
  // open() takes ciphertext || tag.
  sealed.clear();
  sealed.insert(sealed.end(), blob.body.begin(), blob.body.end());
  sealed.insert(sealed.end(), blob.tag.begin(), blob.tag.end());
  return crypto::aes256_gcm_open(key, blob.iv, scratch, sealed);
}

}  // namespace ibsim::mock_aws::kms
