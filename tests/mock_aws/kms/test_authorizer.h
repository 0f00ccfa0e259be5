#pragma once
// TestAuthorizer: the auth::Authorizer the KMS tests and benchmark use until mock_aws/sts lands.
// It evaluates with the policy engine as the real authorizer does for KMS: the caller's identity
// policies (given per principal by the test; a session gets its role's), the key policy the model
// passes as the resource policy, kms:ViaService and aws:CalledVia from CallContext::via_service,
// aws:CurrentTime, and the model's request keys. Denials carry AWS's message and a JSON
// explanation (summary and fixes) from policy::explain.
//
//   TestAuthorizer authz;
//   authz.add_identity_policy(role_arn, R"({"Version":"2012-10-17","Statement":[...]})");

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock_aws/api/call_context.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/policy/evaluate.h"
#include "mock_aws/policy/explain.h"
#include "mock_aws/policy/policy.h"
#include "mock_aws/policy/request_context.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::kms::testing {

class TestAuthorizer final : public auth::Authorizer {
 public:
  // `principal_arn` is a user ARN, a role ARN (its sessions use it) or a root ARN.
  void add_identity_policy(const std::string& principal_arn, std::string_view json) {
    sim::Result<policy::Policy> p = policy::parse_policy(
        json, policy::PolicyKind::kIdentity, {.name = "inline:" + std::to_string(count_++)});
    IBSIM_ASSERT(p.ok(), "test identity policies are valid");
    identity_[principal_arn].push_back(std::make_unique<policy::Policy>(std::move(p).value()));
  }

  void clear_identity_policies(const std::string& principal_arn) { identity_.erase(principal_arn); }

  std::size_t calls() const { return calls_; }

  auth::AuthzResult authorize(const api::CallContext& ctx,
                              const auth::AuthzRequest& request) override {
    ++calls_;
    policy::RequestContext rc(
        ctx.principal, request.action, request.resource, request.resource_account);
    if (!ctx.via_service.empty()) {
      rc.set("kms:ViaService", ctx.via_service);
      rc.set_multi("aws:CalledVia", {ctx.via_service});
    }
    if (ctx.request_unix_ms != 0) {
      rc.set_request_time(ctx.request_unix_ms);
    }
    for (const auth::ContextValue& k : request.keys) {
      if (k.multi_valued) {
        rc.set_multi(k.key, k.values);
      } else if (!k.values.empty()) {
        rc.set(k.key, k.values.front());
      }
    }
    policy::PolicySet set;
    if (const auto it = identity_.find(ctx.principal.principal_arn()); it != identity_.end()) {
      for (const auto& p : it->second) {
        set.identity.push_back(p.get());
      }
    }
    set.resource = request.resource_policy;
    auth::AuthzResult result;
    result.decision = policy::evaluate(set, rc);
    if (!result.allowed()) {
      result.message = policy::access_denied_message(result.decision, rc);
      const policy::Explanation e = policy::explain(set, rc);
      nlohmann::json fixes = nlohmann::json::array();
      for (const policy::Fix& f : e.fixes) {
        fixes.push_back(f.text);
      }
      result.explanation = nlohmann::json{{"summary", e.summary}, {"fixes", fixes}}.dump();
    }
    return result;
  }

 private:
  std::map<std::string, std::vector<std::unique_ptr<policy::Policy>>, std::less<>> identity_;
  std::size_t count_ = 0;
  std::size_t calls_ = 0;
};

}  // namespace ibsim::mock_aws::kms::testing
