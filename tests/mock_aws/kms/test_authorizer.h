#pragma once
// TestAuthorizer: the auth::Authorizer the KMS tests and benchmark use, so that they need neither
// IAM nor STS. It evaluates with the policy engine as mock_aws/sts's StsAuthorizer does for KMS:
// the caller's identity policies (given per principal by the test; a session gets its role's),
// the key policy the model passes as the resource policy, kms:ViaService and aws:CalledVia from
// CallContext::via_service, aws:CurrentTime, and the model's request keys. Denials carry AWS's
// message and a JSON explanation (summary and fixes) from policy::explain.
//
// Building a policy::RequestContext (principal keys, lower-cased names) costs more than evaluating
// it, so contexts are kept per (principal, action, resource) and only the request's own keys are
// replaced on each call; keys of the previous call that this one does not set are erased. The
// decision is the same as with a fresh context (every test runs through this path).
//
//   TestAuthorizer authz;
//   authz.add_identity_policy(role_arn, R"({"Version":"2012-10-17","Statement":[...]})");

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock_aws/api/call_context.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/policy/evaluate.h"
#include "mock_aws/policy/explain.h"
#include "mock_aws/policy/policy.h"
#include "mock_aws/policy/request_context.h"
#include "mock_aws/policy/text.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::kms::testing {

class TestAuthorizer final : public auth::Authorizer {
 public:
  // Bounds the context cache; past it, the cache starts over.
  static constexpr std::size_t kCachedContextsMax = 4096;

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
    Cached& cached = context_for(ctx.principal, request);
    policy::RequestContext& rc = cached.rc;
    current_.clear();
    auto put = [&](std::string_view key, std::string_view value) {
      rc.set(key, value);
      current_.push_back(key);
    };
    if (!ctx.via_service.empty()) {
      // As mock_aws/sts's authorizer: kms:ViaService is the endpoint, aws:CalledVia the service
      // principal ("ec2.us-west-2.amazonaws.com" -> "ec2.amazonaws.com").
      put("kms:ViaService", ctx.via_service);
      const std::string_view via = ctx.via_service;
      rc.set_multi("aws:CalledVia", {std::string(via.substr(0, via.find('.'))) + ".amazonaws.com"});
      current_.push_back("aws:CalledVia");
    }
    if (ctx.request_unix_ms != 0) {
      rc.set_request_time(ctx.request_unix_ms);
      current_.push_back("aws:CurrentTime");
      current_.push_back("aws:EpochTime");
    }
    for (const auth::ContextValue& k : request.keys) {
      if (k.multi_valued) {
        rc.set_multi(k.key, k.values);
        current_.push_back(k.key);
      } else if (!k.values.empty()) {
        put(k.key, k.values.front());
      }
    }
    // Keys the previous request on this context set and this one does not.
    for (const std::string& old : cached.request_keys) {
      bool kept = false;
      for (std::string_view now : current_) {
        kept = kept || policy::iequals_ascii(old, now);
      }
      if (!kept) {
        rc.erase(old);
      }
    }
    cached.request_keys.assign(current_.begin(), current_.end());

    policy::PolicySet& set = scratch_set_;
    set.identity.clear();
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
  struct Cached {
    api::Principal principal;
    policy::RequestContext rc;
    std::vector<std::string> request_keys;  // Names the last request set on `rc`.
  };

  static bool same_principal(const api::Principal& a, const api::Principal& b) {
    return a.kind == b.kind && a.arn == b.arn && a.account == b.account && a.role_arn == b.role_arn
           && a.name == b.name && a.session_name == b.session_name && a.unique_id == b.unique_id
           && a.tags == b.tags;
  }

  Cached& context_for(const api::Principal& principal, const auth::AuthzRequest& request) {
    key_.clear();
    key_.append(principal.arn).push_back('\n');
    key_.append(request.action).push_back('\n');
    key_.append(request.resource).push_back('\n');
    key_.append(request.resource_account);
    auto it = contexts_.find(key_);
    if (it != contexts_.end() && same_principal(it->second->principal, principal)) {
      return *it->second;
    }
    if (contexts_.size() >= kCachedContextsMax) {
      contexts_.clear();
    }
    auto fresh = std::make_unique<Cached>(
        Cached{principal,
               policy::RequestContext(
                   principal, request.action, request.resource, request.resource_account),
               {}});
    Cached& out = *fresh;
    contexts_.insert_or_assign(key_, std::move(fresh));
    return out;
  }

  std::map<std::string, std::vector<std::unique_ptr<policy::Policy>>, std::less<>> identity_;
  // Looked up on every call; never iterated, so its order cannot reach any output.
  std::unordered_map<std::string, std::unique_ptr<Cached>> contexts_;
  std::string key_;                        // Scratch for the cache key.
  std::vector<std::string_view> current_;  // Scratch: names the current request sets.
  policy::PolicySet scratch_set_;
  std::size_t count_ = 0;
  std::size_t calls_ = 0;
};

}  // namespace ibsim::mock_aws::kms::testing
