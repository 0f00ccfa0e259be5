#pragma once
// Authorizer: the one way a service model asks "may this caller do this?". The implementation
// (mock_aws/sts, which sees IAM's policies and STS's sessions) gathers the caller's identity
// policies, permissions boundary and session policy, fills the request context from the
// CallContext (principal keys, aws:CurrentTime, kms:ViaService/aws:CalledVia for service calls,
// aws:SourceAccount/SourceArn), adds the request's own keys, and evaluates with the resource
// policy the model passes (KMS key policy, role trust policy) — or none, for services whose
// resource checks are not IAM policies (EC2 launch permissions are checked by the EC2 model).
//
//   AuthzResult r = authorizer.authorize(ctx, {.action = "kms:Decrypt", .resource = key.arn,
//                                             .resource_policy = &key.policy,
//                                             .keys = {{"kms:CallerAccount", acct}}});
//   if (!r.allowed()) return kms_access_denied(r);

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mock_aws/api/call_context.h"
#include "mock_aws/policy/evaluate.h"
#include "mock_aws/policy/policy.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::auth {

// A condition key the request supplies (single value, or a set when multi_valued).
struct ContextValue {
  std::string key;
  std::vector<std::string> values;
  bool multi_valued = false;
};

struct AuthzRequest {
  std::string_view action;            // "kms:Decrypt"
  std::string_view resource;          // The resource ARN ("*" for actions without a resource).
  std::string_view resource_account;  // Owner when the ARN has no account (EC2 images).
  const policy::Policy* resource_policy = nullptr;  // Key or trust policy; its kind decides.
  std::vector<ContextValue> keys;  // Service keys: kms:CallerAccount, aws:ResourceTag/x, ...
};

struct AuthzResult {
  policy::Decision decision;
  std::string message;      // AWS's AccessDenied text when denied (empty when allowed).
  std::string explanation;  // ibsim's explanation as JSON text when denied (summary, fixes).

  bool allowed() const { return decision.allowed(); }
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;

  virtual AuthzResult authorize(const api::CallContext& ctx, const AuthzRequest& request) = 0;
};

// The error each service family returns for a denial, carrying the explanation.
// KMS and Image Builder (JSON/REST-JSON): AccessDeniedException, 400 for KMS (aws-facts §4.1),
// 403 for Image Builder. IAM and STS: AccessDenied 403. EC2: UnauthorizedOperation 403 with
// "You are not authorized to perform this operation." plus, for mutating calls, the encoded
// authorization message (built by the EC2 model, which can decode it with STS).
sim::AwsError access_denied(std::string code, int http_status, const AuthzResult& result);

}  // namespace ibsim::mock_aws::auth
