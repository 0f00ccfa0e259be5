#pragma once
// StsModel: AssumeRole, GetCallerIdentity and DecodeAuthorizationMessage, and the credential
// resolution the router and transports use. AssumeRole evaluates the role's trust policy as its
// resource policy through the Authorizer (cross-account callers also need an identity allow for
// sts:AssumeRole on the role), treats a missing role as AccessDenied with STS's short message,
// bounds DurationSeconds by the role's maximum (one hour when chaining roles), compiles the
// optional session policy, and issues ASIA credentials from the sim RNG that resolve to the
// assumed-role principal (session ARN without the role path) until they expire in virtual time.
//
//   StsModel sts(ctx, iam, authorizer, sessions, messages);
//   auto out = sts.assume_role(call, {.role_arn = arn, .role_session_name = "ImageBuilder"});
//   auto who = sts.resolve_access_key(out->credentials.access_key_id);  // -> the session principal

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/principal.h"
#include "mock_aws/api/sts_types.h"
#include "mock_aws/auth/authorization_message.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/iam/iam_model.h"
#include "mock_aws/sts/session_store.h"
#include "sim/base/result.h"
#include "sim/context.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace ibsim::mock_aws::sts {

struct StsLimits {
  static constexpr int32_t kDurationSecondsMin = 900;
  static constexpr int32_t kDurationSecondsMax = 43'200;
  static constexpr int32_t kDurationSecondsDefault = 3'600;
  static constexpr int32_t kChainedDurationSecondsMax = 3'600;  // Role chaining: one hour.
  static constexpr std::size_t kRoleArnMin = 20;
  static constexpr std::size_t kRoleArnMax = 2'048;
  static constexpr std::size_t kSessionNameMin = 2;
  static constexpr std::size_t kSessionNameMax = 64;
  static constexpr std::size_t kExternalIdMin = 2;
  static constexpr std::size_t kExternalIdMax = 1'224;
  static constexpr std::size_t kSourceIdentityMin = 2;
  static constexpr std::size_t kSourceIdentityMax = 64;
  static constexpr std::size_t kSessionPolicyCharsMax = 2'048;
  static constexpr std::size_t kPolicyArnsMax = 10;
  static constexpr std::size_t kSessionTagsMax = 50;
  static constexpr std::size_t kTransitiveTagKeysMax = 50;
  static constexpr std::size_t kTagKeyMax = 128;
  static constexpr std::size_t kTagValueMax = 256;
  static constexpr std::size_t kEncodedMessageCharsMax =
      auth::AuthorizationMessages::kEncodedCharsMax;
  static constexpr std::size_t kSessionTokenBytes = 144;
  // Expired sessions answer ExpiredToken for this long, then are forgotten. The number of stored
  // sessions is bounded too (SessionStore::sessions_max, World::Options::sts_sessions_max).
  static constexpr sim::Duration kExpiredSessionRetention = sim::Duration::hours(24);
  static constexpr std::size_t kIdAttemptsMax = 64;
};

// What an access key id resolves to, for authentication.
struct ResolvedAccessKey {
  enum class Kind : std::uint8_t {
    kUserKey,         // An IAM user's long-term key (AKIA...).
    kRootKey,         // An account root's long-term key.
    kSession,         // STS temporary credentials (ASIA...): the token must match.
    kAccountIdAlias,  // A 12-digit id naming a world account's root, as in LocalStack. There is no
                      // secret in the world for it; the server decides how to check signatures.
  };
  Kind kind = Kind::kUserKey;
  api::Principal principal;
  std::string secret_access_key;  // Empty for kAccountIdAlias.
  bool requires_session_token = false;
  std::string session_token;               // kSession only.
  std::optional<sim::Instant> expires_at;  // kSession only.
  int64_t expiration_unix_ms = 0;          // kSession only.
};

class StsModel {
 public:
  // Codes resolve_access_key returns; each protocol maps them to its own (aws-facts §6.2).
  static constexpr std::string_view kUnknownAccessKeyCode = "InvalidClientTokenId";
  static constexpr std::string_view kExpiredTokenCode = "ExpiredToken";

  StsModel(sim::Context& ctx,
           iam::IamModel& iam,
           auth::Authorizer& authorizer,
           SessionStore& sessions,
           const auth::AuthorizationMessages& messages);

  StsModel(const StsModel&) = delete;
  StsModel& operator=(const StsModel&) = delete;

  sim::Result<api::sts::AssumeRoleOutput> assume_role(const api::CallContext& ctx,
                                                      const api::sts::AssumeRoleInput& in);
  sim::Result<api::sts::GetCallerIdentityOutput> get_caller_identity(
      const api::CallContext& ctx, const api::sts::GetCallerIdentityInput& in);
  sim::Result<api::sts::DecodeAuthorizationMessageOutput> decode_authorization_message(
      const api::CallContext& ctx, const api::sts::DecodeAuthorizationMessageInput& in);

  // Authentication support: the principal and secret behind an access key id. Unknown ids (and
  // inactive keys) are InvalidClientTokenId (403); sessions past their expiry are ExpiredToken
  // (400). Callers map both per protocol.
  sim::Result<ResolvedAccessKey> resolve_access_key(std::string_view access_key_id) const;

  const SessionStore& sessions() const { return sessions_; }

 private:
  std::string new_session_key_id();
  std::string random_text(std::string_view alphabet, std::size_t length);

  sim::Context& ctx_;
  iam::IamModel& iam_;
  auth::Authorizer& authorizer_;
  SessionStore& sessions_;
  const auth::AuthorizationMessages& messages_;
  sim::Rng rng_;
};

}  // namespace ibsim::mock_aws::sts
