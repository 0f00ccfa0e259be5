#pragma once
// StsAuthorizer: ibsim's auth::Authorizer. For a CallContext it gathers the caller's identity
// policies (a user's inline and attached policies; for a role session, the role's), the
// permissions boundary, the session policies of the session the request was signed with
// (ctx.access_key_id), the account's service control policies if any, builds the policy engine's
// RequestContext (principal keys from the engine; aws:CurrentTime, kms:ViaService and
// aws:CalledVia* for service calls, aws:SourceAccount/SourceArn, aws:RequestedRegion, then the
// request's own keys) and evaluates it with the resource policy the model passes. A denial carries
// AWS's message and ibsim's explanation as JSON (summary, deciding statements, fixes).
//
// It runs on every KMS and EC2 operation, so the allowed path is lean: each principal's compiled
// policy list is cached until IAM's generation() changes, the PolicySet and the RequestContext
// are reused scratch objects (the context is reset, not rebuilt), and explanations are only built
// for denials. Not reentrant: a model never authorizes from inside an authorization.
//
//   StsAuthorizer authz(iam, sessions);  iam.set_authorizer(authz);
//   auth::AuthzResult r = authz.authorize(ctx, {.action = "kms:Decrypt", .resource = key_arn,
//                                               .resource_policy = &key_policy});

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/auth/authorizer.h"
#include "mock_aws/iam/iam_model.h"
#include "mock_aws/policy/evaluate.h"
#include "mock_aws/policy/request_context.h"
#include "mock_aws/sts/session_store.h"
#include "sim/base/result.h"
#include "sim/base/string_map.h"

namespace ibsim::mock_aws::sts {

class StsAuthorizer final : public auth::Authorizer {
 public:
  static constexpr std::size_t kCacheEntriesMax = 100'000;
  static constexpr std::size_t kServiceControlLevelsMax = 8;  // Root, up to 5 OUs, account.
  static constexpr std::size_t kServiceControlPoliciesPerLevelMax = 5;

  struct Stats {
    uint64_t authorizations = 0;
    uint64_t denials = 0;
    uint64_t cache_hits = 0;
    uint64_t cache_misses = 0;
  };

  StsAuthorizer(const iam::IamModel& iam, const SessionStore& sessions);

  auth::AuthzResult authorize(const api::CallContext& ctx,
                              const auth::AuthzRequest& request) override;

  // AWS Organizations SCPs for one account: one list per level of the path from the root to the
  // account (each level must allow). Policies must be compiled as PolicyKind::kServiceControl. An
  // empty list removes them. The root user is subject to SCPs like everyone else in the account.
  sim::Status set_service_control_policies(const api::AccountId& account,
                                           std::vector<std::vector<iam::PolicyDocument>> levels);
  // The SCP levels of an account (empty when it has none).
  const std::vector<std::vector<iam::PolicyDocument>>& service_control_policies(
      const api::AccountId& account) const;

  const Stats& stats() const { return stats_; }

  // The policies the authorizer would use for `principal` (for `ibsim explain` and tests).
  // Identity and boundary come from IAM; sessions are not consulted.
  iam::IdentityPolicies identity_policies(const api::Principal& principal) const;

 private:
  struct CachedPolicies {
    uint64_t generation = 0;
    std::vector<iam::PolicyPtr> keep_alive;
    std::vector<const policy::Policy*> identity;
    std::vector<const policy::Policy*> boundary;
  };

  struct AccountScps {
    std::vector<std::vector<iam::PolicyDocument>> owned;
    std::vector<std::vector<const policy::Policy*>> levels;
  };

  const CachedPolicies& policies_for(const api::Principal& principal);
  // aws:CurrentTime / aws:EpochTime text for a request time, formatted once per second.
  void refresh_time_keys(int64_t request_unix_ms);
  // aws:CalledVia's service principal for a via_service endpoint, computed once per endpoint.
  const std::string& called_via(std::string_view via_service);

  const iam::IamModel& iam_;
  const SessionStore& sessions_;
  sim::StringMap<CachedPolicies> cache_;  // By principal ARN.
  std::map<api::AccountId, AccountScps> scps_;
  policy::PolicySet scratch_;  // Reused for every request (no allocation in steady state).
  policy::RequestContext context_{api::Principal{}, "", ""};  // Likewise, reset per request.
  int64_t time_seconds_ = 0;
  bool time_valid_ = false;
  std::string current_time_;
  std::string epoch_time_;
  std::string via_service_;
  std::string called_via_;
  Stats stats_;
};

// ibsim's explanation of a decision as JSON text: allowed, explicitDeny, decision, reason,
// summary, message, crossAccount, context (principal, action, resource, request keys), the
// deciding statements and the fixes. The same shape DecodeAuthorizationMessage returns.
std::string explanation_json(const policy::PolicySet& set, const policy::RequestContext& ctx);

}  // namespace ibsim::mock_aws::sts
