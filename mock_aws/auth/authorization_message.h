#pragma once
// Encoded authorization messages: EC2's UnauthorizedOperation carries "Encoded authorization
// failure message: <blob>", and STS DecodeAuthorizationMessage turns the blob back into the JSON
// explanation. The blob is AES-256-GCM over the JSON with a per-world key derived from the sim
// seed (rng.fork("auth.authorization-messages")), base64url without padding: opaque to callers,
// tamper-evident, and decodable after a restart with the same seed. The IV is derived from the
// message itself (HMAC under a second derived key), so encoding is a pure function of seed and
// text.
//
//   AuthorizationMessages m(ctx.rng());
//   std::string blob = m.encode(explanation_json);   // EC2 model
//   sim::Result<std::string> json = m.decode(blob);  // STS DecodeAuthorizationMessage

#include <cstddef>
#include <string>
#include <string_view>

#include "mock_aws/crypto/aes_gcm.h"
#include "sim/base/result.h"
#include "sim/rng.h"

namespace ibsim::mock_aws::auth {

class AuthorizationMessages {
 public:
  // Longest explanation accepted for encoding (longer ones are cut to a short JSON notice).
  static constexpr std::size_t kPlaintextBytesMax = 64 * 1024;
  // Longest blob decode() looks at.
  // Deviation from AWS: STS caps EncodedMessage at 10240 characters; ibsim's explanations can be
  // longer, so the model accepts blobs up to this bound (the wire codec applies AWS's shape limit).
  static constexpr std::size_t kEncodedCharsMax = (kPlaintextBytesMax + 64) * 4 / 3 + 4;

  // The error code and status DecodeAuthorizationMessage returns for a blob that does not decode.
  static constexpr std::string_view kInvalidMessageCode = "InvalidAuthorizationMessageException";

  // `root` is the run's root RNG; only a fork of it is used, so nothing else's draws shift.
  explicit AuthorizationMessages(const sim::Rng& root);

  std::string encode(std::string_view explanation_json) const;

  // The JSON text, or InvalidAuthorizationMessageException (400) for anything that is not a blob
  // this world encoded (garbage, truncation, a flipped bit, another seed's blob).
  sim::Result<std::string> decode(std::string_view blob) const;

 private:
  crypto::AesKey key_{};
  crypto::AesKey iv_key_{};
};

}  // namespace ibsim::mock_aws::auth
