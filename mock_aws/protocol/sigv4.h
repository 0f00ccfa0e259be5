#pragma once
// AWS Signature Version 4: parse the Authorization header (or the presigned query form), verify
// a request against a secret key at a given instant, and sign requests for the HTTP client
// transport exactly as botocore does. Errors are rendered per protocol family, with AWS's codes,
// messages and HTTP statuses (aws-facts §6.2). The verifier never reads a clock: `now` is passed
// in.
//
//   auto info = sigv4::parse_signature(request, Family::kJson);   // who claims to sign, and how
//   ... look up info->access_key_id → secret (unknown → sigv4::unknown_access_key_error) ...
//   sim::Status ok = sigv4::verify(request, *info, secret, now_unix_ms, Family::kJson, &cache);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mock_aws/crypto/sha256.h"
#include "mock_aws/protocol/http_message.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::protocol::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kScopeTerminator = "aws4_request";

// How a service renders authentication errors. Image Builder (REST-JSON) uses kJson.
enum class Family { kJson, kQuery, kEc2 };

// kms, ssm, imagebuilder → kJson; iam, sts → kQuery; ec2 → kEc2; anything else → nullopt.
std::optional<Family> family_for_service(std::string_view service);

// The service named in the credential scope, read without validating anything else, so a router
// can pick the family before calling parse_signature. nullopt when there is no recognisable scope.
std::optional<std::string> credential_scope_service(const HttpRequest& request);

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // Empty for long-term keys.
};

// What a request claims about its signature, as parsed (not yet verified).
struct SignedRequestInfo {
  std::string access_key_id;
  std::string scope_date;  // YYYYMMDD from the credential scope.
  std::string region;
  std::string service;
  std::string amz_date;  // YYYYMMDDTHHMMSSZ from X-Amz-Date.
  int64_t signed_at_unix_ms = 0;
  std::vector<std::string> signed_headers;  // Lower-case, in the order listed.
  std::string signature;                    // 64 lower-case hex digits.
  std::string security_token;               // X-Amz-Security-Token, empty when absent.
  bool presigned = false;                   // Query-string form.
  int64_t expires_seconds = 0;              // X-Amz-Expires (presigned form only).

  std::string credential_scope() const {
    return scope_date + "/" + region + "/" + service + "/" + std::string(kScopeTerminator);
  }
};

// Reads the header form or the query form (never both). Errors: MissingAuthenticationToken* when
// neither is present, IncompleteSignature* for malformed input, the family's signature error for
// a scope that does not match the request (terminator, date).
sim::Result<SignedRequestInfo> parse_signature(const HttpRequest& request, Family family);

// Derived signing keys per (secret, date, region, service). Derivation is four HMACs, about a
// third of a verification; callers that verify many requests keep one cache (not thread-safe).
class SigningKeyCache {
 public:
  const crypto::Sha256Digest& get(std::string_view secret,
                                  std::string_view date,
                                  std::string_view region,
                                  std::string_view service);

  std::size_t size() const { return keys_.size(); }

 private:
  // Bounded: when full, the cache starts over (keys change daily, so this is rare).
  static constexpr std::size_t kEntriesMax = 4096;
  std::unordered_map<std::string, crypto::Sha256Digest> keys_;
  std::string lookup_;  // Reused buffer for the lookup key.
};

// Checks the signature, the signed payload hash and the clock skew window (5 minutes for kJson,
// 15 for kQuery and kEc2; presigned requests also honour X-Amz-Expires). `cache` may be null.
sim::Status verify(const HttpRequest& request,
                   const SignedRequestInfo& info,
                   std::string_view secret_access_key,
                   int64_t now_unix_ms,
                   Family family,
                   SigningKeyCache* cache = nullptr);

// Client side: sets X-Amz-Date, X-Amz-Security-Token (with a session token) and Authorization,
// signing every header present except those botocore never signs (user-agent, expect,
// transfer-encoding, x-amzn-trace-id) and hop-by-hop ones. The Host header must be set.
void sign(HttpRequest& request,
          const Credentials& credentials,
          std::string_view region,
          std::string_view service,
          int64_t now_unix_ms);

// Errors the caller renders itself.
sim::AwsError unknown_access_key_error(Family family);      // The key id is not known.
sim::AwsError missing_authentication_error(Family family);  // No signature at all.
sim::AwsError signature_mismatch_error(Family family);
sim::AwsError incomplete_signature_error(Family family, std::string message);

// The pieces of the algorithm, exposed for tests, benchmarks and debugging output.
std::string canonical_uri(std::string_view raw_path);
// Decodes then re-encodes each name and value (RFC 3986), sorts by name then value; drops
// X-Amz-Signature when `presigned`.
std::string canonical_query_string(std::string_view raw_query, bool presigned);
// Empty optional when a signed header is absent from the request.
std::optional<std::string> canonical_request(const HttpRequest& request,
                                             const std::vector<std::string>& signed_headers,
                                             std::string_view payload_hash,
                                             bool presigned);
std::string string_to_sign(std::string_view amz_date,
                           std::string_view credential_scope,
                           std::string_view canonical_request);
crypto::Sha256Digest derive_signing_key(std::string_view secret_access_key,
                                        std::string_view date,
                                        std::string_view region,
                                        std::string_view service);

// YYYYMMDDTHHMMSSZ ⇄ Unix milliseconds (UTC). parse_amz_date rejects anything else.
std::string format_amz_date(int64_t unix_ms);
std::optional<int64_t> parse_amz_date(std::string_view text);

}  // namespace ibsim::mock_aws::protocol::sigv4
