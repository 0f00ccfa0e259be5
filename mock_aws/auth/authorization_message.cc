#include "mock_aws/auth/authorization_message.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "mock_aws/crypto/encoding.h"
#include "mock_aws/crypto/sha256.h"

namespace ibsim::mock_aws::auth {
namespace {

constexpr uint8_t kFormatVersion = 1;
constexpr std::string_view kAad = "ibsim-authorization-message-v1";
constexpr std::string_view kTooLongNotice =
    R"({"error":"the explanation was longer than ibsim encodes; run the request through `ibsim explain` to see it"})";

sim::AwsError invalid_message() {
  // Unconfirmed: STS's exact wording for a blob it cannot decode.
  return sim::aws_error(std::string(AuthorizationMessages::kInvalidMessageCode),
                        "The encoded authorization message is invalid or was not issued by this "
                        "world.");
}

}  // namespace

AuthorizationMessages::AuthorizationMessages(const sim::Rng& root) {
  sim::Rng rng = root.fork("auth.authorization-messages");
  rng.fill_bytes(key_);
  rng.fill_bytes(iv_key_);
}

std::string AuthorizationMessages::encode(std::string_view explanation_json) const {
  const std::string_view text =
      explanation_json.size() > kPlaintextBytesMax ? kTooLongNotice : explanation_json;
  const crypto::Sha256Digest mac = crypto::hmac_sha256(iv_key_, crypto::as_bytes(text));
  crypto::GcmIv iv{};
  for (std::size_t i = 0; i < iv.size(); ++i) {
    iv[i] = mac[i];
  }
  const std::vector<uint8_t> sealed =
      crypto::aes256_gcm_seal(key_, iv, crypto::as_bytes(kAad), crypto::as_bytes(text));
  std::vector<uint8_t> blob;
  blob.reserve(1 + iv.size() + sealed.size());
  blob.push_back(kFormatVersion);
  blob.insert(blob.end(), iv.begin(), iv.end());
  blob.insert(blob.end(), sealed.begin(), sealed.end());
  return crypto::base64url_encode(blob);
}

sim::Result<std::string> AuthorizationMessages::decode(std::string_view blob) const {
  if (blob.empty() || blob.size() > kEncodedCharsMax) {
    return invalid_message();
  }
  const std::optional<crypto::Bytes> bytes = crypto::base64url_decode(blob);
  if (!bytes.has_value() || bytes->size() < 1 + crypto::kGcmIvBytes + crypto::kGcmTagBytes
      || (*bytes)[0] != kFormatVersion) {
    return invalid_message();
  }
  crypto::GcmIv iv{};
  for (std::size_t i = 0; i < iv.size(); ++i) {
    iv[i] = (*bytes)[1 + i];
  }
  const std::span<const uint8_t> sealed =
      std::span<const uint8_t>(*bytes).subspan(1 + crypto::kGcmIvBytes);
  const std::optional<std::vector<uint8_t>> plain =
      crypto::aes256_gcm_open(key_, iv, crypto::as_bytes(kAad), sealed);
  if (!plain.has_value()) {
    return invalid_message();
  }
  return std::string(crypto::as_chars(*plain));
}

}  // namespace ibsim::mock_aws::auth
