#include "mock_aws/sts/sts_authorizer.h"

#include <span>
#include <utility>

#include <nlohmann/json.hpp>

#include "mock_aws/policy/explain.h"
#include "mock_aws/policy/request_context.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::sts {
namespace {

using nlohmann::json;

bool is_account_principal(const api::Principal& p) {
  return p.kind == api::PrincipalKind::kRoot || p.kind == api::PrincipalKind::kUser
         || p.kind == api::PrincipalKind::kAssumedRole;
}

// A session of a service-linked role: services acting through it leave aws:CalledVia out
// (aws-facts §5.4).
bool is_service_linked_session(const api::Principal& p) {
  return p.kind == api::PrincipalKind::kAssumedRole
         && p.role_arn.find(":role/aws-service-role/") != std::string::npos;
}

// "ec2.us-west-2.amazonaws.com" -> "ec2.amazonaws.com" (the service principal aws:CalledVia uses).
std::string service_principal_of(std::string_view via_service) {
  const std::size_t first_dot = via_service.find('.');
  const std::size_t suffix = via_service.rfind(".amazonaws.com");
  if (first_dot == std::string_view::npos || suffix == std::string_view::npos
      || suffix <= first_dot) {
    return std::string(via_service);
  }
  return std::string(via_service.substr(0, first_dot)) + ".amazonaws.com";
}

const std::vector<std::vector<iam::PolicyDocument>> kNoScps;

json ref_json(const policy::StatementRef& ref) {
  const policy::Statement& st = ref.statement();
  json j;
  j["side"] = std::string(policy::to_string(ref.side));
  j["policy"] = ref.policy->name();
  j["statement"] = ref.index;
  if (!st.sid.empty()) {
    j["sid"] = st.sid;
  }
  j["effect"] = std::string(policy::to_string(st.effect));
  return j;
}

}  // namespace

std::string explanation_json(const policy::PolicySet& set, const policy::RequestContext& ctx) {
  const policy::Explanation e = policy::explain(set, ctx);
  const policy::Decision& d = e.decision;
  const api::Principal& p = ctx.principal();
  json out;
  out["allowed"] = d.allowed();
  out["explicitDeny"] = d.outcome == policy::Outcome::kExplicitDeny;
  out["decision"] = std::string(policy::to_string(d.outcome));
  if (d.allowed()) {
    out["allowedBy"] = std::string(policy::to_string(d.basis));
  } else {
    out["reason"] = std::string(policy::to_string(d.reason));
  }
  out["summary"] = e.summary;
  out["message"] = e.message;
  out["crossAccount"] = d.cross_account;

  json context;
  json principal;
  principal["arn"] = p.arn;
  principal["type"] = std::string(api::to_string(p.kind));
  if (!p.unique_id.empty()) {
    principal["id"] = p.unique_id;
  }
  if (!p.account.empty()) {
    principal["account"] = p.account.str();
    principal["principalArn"] = p.principal_arn();
  }
  context["principal"] = std::move(principal);
  context["action"] = ctx.action();
  context["resource"] = ctx.resource();
  context["resourceAccount"] = ctx.resource_account();
  json keys = json::object();
  for (const policy::ContextKey& k : ctx.keys()) {
    if (k.multi_valued) {
      keys[k.name] = k.values;
    } else if (!k.values.empty()) {
      keys[k.name] = k.values.front();
    }
  }
  context["keys"] = std::move(keys);
  out["context"] = std::move(context);

  json deciding = json::array();
  if (d.deny.has_value()) {
    deciding.push_back(ref_json(*d.deny));
  } else {
    for (const auto* ref : {&d.scp_allow,
                            &d.resource_allow,
                            &d.identity_allow,
                            &d.boundary_allow,
                            &d.session_allow}) {
      if (ref->has_value()) {
        deciding.push_back(ref_json(**ref));
      }
    }
  }
  out["decidingStatements"] = std::move(deciding);

  json fixes = json::array();
  for (const policy::Fix& f : e.fixes) {
    json j;
    j["kind"] = std::string(policy::to_string(f.kind));
    j["side"] = std::string(policy::to_string(f.side));
    j["policyOf"] = f.policy_of;
    if (!f.policy_description.empty()) {
      j["policy"] = f.policy_description;
    }
    if (!f.policy_name.empty()) {
      j["policyName"] = f.policy_name;
    }
    if (!f.statement_label.empty()) {
      j["statementLabel"] = f.statement_label;
    }
    if (!f.statement_json.empty()) {
      const json st = json::parse(f.statement_json, nullptr, false);
      if (!st.is_discarded()) {
        j["statement"] = st;
      }
    }
    if (!f.near_miss.empty()) {
      j["nearMiss"] = f.near_miss;
    }
    j["text"] = f.text;
    fixes.push_back(std::move(j));
  }
  out["fixes"] = std::move(fixes);
  (void)set;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

StsAuthorizer::StsAuthorizer(const iam::IamModel& iam, const SessionStore& sessions)
    : iam_(iam), sessions_(sessions) {}

iam::IdentityPolicies StsAuthorizer::identity_policies(const api::Principal& principal) const {
  if (principal.kind == api::PrincipalKind::kUser) {
    if (const iam::UserRecord* user = iam_.find_user_by_arn(principal.arn)) {
      return iam_.user_policies(*user);
    }
  } else if (principal.kind == api::PrincipalKind::kAssumedRole) {
    if (const iam::RoleRecord* role = iam_.find_role_by_arn(principal.role_arn)) {
      return iam_.role_policies(*role);
    }
  }
  return {};
}

const StsAuthorizer::CachedPolicies& StsAuthorizer::policies_for(const api::Principal& principal) {
  const std::string& key = principal.principal_arn();
  auto it = cache_.find(key);
  if (it != cache_.end() && it->second.generation == iam_.generation()) {
    ++stats_.cache_hits;
    return it->second;
  }
  ++stats_.cache_misses;
  if (it == cache_.end()) {
    if (cache_.size() >= kCacheEntriesMax) {
      cache_.clear();
    }
    it = cache_.emplace(key, CachedPolicies{}).first;
  }
  CachedPolicies& entry = it->second;
  entry = CachedPolicies{};
  entry.generation = iam_.generation();
  iam::IdentityPolicies found = identity_policies(principal);
  for (const iam::PolicyPtr& p : found.identity) {
    entry.identity.push_back(p.get());
  }
  if (found.boundary != nullptr) {
    entry.boundary.push_back(found.boundary.get());
  }
  entry.keep_alive = std::move(found.identity);
  if (found.boundary != nullptr) {
    entry.keep_alive.push_back(std::move(found.boundary));
  }
  return entry;
}

sim::Status StsAuthorizer::set_service_control_policies(
    const api::AccountId& account, std::vector<std::vector<iam::PolicyDocument>> levels) {
  if (levels.size() > kServiceControlLevelsMax) {
    return sim::aws_error("ConstraintViolationException",
                          "An account's organization path has at most "
                              + std::to_string(kServiceControlLevelsMax) + " levels.");
  }
  AccountScps scps;
  for (std::vector<iam::PolicyDocument>& level : levels) {
    if (level.size() > kServiceControlPoliciesPerLevelMax) {
      return sim::aws_error("ConstraintViolationException",
                            "At most " + std::to_string(kServiceControlPoliciesPerLevelMax)
                                + " service control policies can be attached to one target.");
    }
    std::vector<const policy::Policy*> raw;
    for (const iam::PolicyDocument& p : level) {
      IBSIM_ASSERT(
          p.compiled != nullptr && p.compiled->kind() == policy::PolicyKind::kServiceControl,
          "callers compile SCPs as PolicyKind::kServiceControl");
      raw.push_back(p.compiled.get());
    }
    scps.levels.push_back(std::move(raw));
    scps.owned.push_back(std::move(level));
  }
  if (scps.levels.empty()) {
    scps_.erase(account);
  } else {
    scps_[account] = std::move(scps);
  }
  return sim::ok_status();
}

const std::vector<std::vector<iam::PolicyDocument>>& StsAuthorizer::service_control_policies(
    const api::AccountId& account) const {
  const auto it = scps_.find(account);
  return it == scps_.end() ? kNoScps : it->second.owned;
}

void StsAuthorizer::refresh_time_keys(int64_t request_unix_ms) {
  // The same values as RequestContext::set_request_time: ISO-8601 to the second, epoch seconds.
  int64_t seconds = request_unix_ms / 1000;
  if (request_unix_ms % 1000 < 0) {
    --seconds;
  }
  if (time_valid_ && seconds == time_seconds_) {
    return;
  }
  time_valid_ = true;
  time_seconds_ = seconds;
  current_time_ = policy::format_iso8601_utc(request_unix_ms);
  epoch_time_ = std::to_string(seconds);
}

const std::string& StsAuthorizer::called_via(std::string_view via_service) {
  if (via_service != via_service_) {
    via_service_ = std::string(via_service);
    called_via_ = service_principal_of(via_service);
  }
  return called_via_;
}

auth::AuthzResult StsAuthorizer::authorize(const api::CallContext& ctx,
                                           const auth::AuthzRequest& request) {
  ++stats_.authorizations;
  const api::Principal& p = ctx.principal;
  policy::PolicySet& set = scratch_;
  set.identity.clear();
  set.permissions_boundary.clear();
  set.session.clear();
  set.resource = request.resource_policy;

  if (p.kind == api::PrincipalKind::kUser || p.kind == api::PrincipalKind::kAssumedRole) {
    const CachedPolicies& cached = policies_for(p);
    set.identity.assign(cached.identity.begin(), cached.identity.end());
    set.permissions_boundary.assign(cached.boundary.begin(), cached.boundary.end());
  }
  if (p.kind == api::PrincipalKind::kAssumedRole && !ctx.access_key_id.empty()) {
    const Session* session = sessions_.find(ctx.access_key_id);
    if (session != nullptr && session->principal.arn == p.arn) {
      for (const iam::PolicyPtr& sp : session->session_policies) {
        set.session.push_back(sp.get());
      }
    }
  }
  const auto scp = is_account_principal(p) ? scps_.find(p.account) : scps_.end();
  if (scp != scps_.end()) {
    set.service_control = scp->second.levels;
  } else {
    set.service_control.clear();
  }

  // The reused context: reset() keeps its storage (and the principal keys when the principal is
  // the same as in the previous call), so the allowed path allocates nothing in steady state.
  policy::RequestContext& rc = context_;
  rc.reset(p, request.action, request.resource, request.resource_account);
  if (ctx.request_unix_ms > 0) {
    refresh_time_keys(ctx.request_unix_ms);
    rc.set("aws:CurrentTime", current_time_);
    rc.set("aws:EpochTime", epoch_time_);
  }
  if (!ctx.via_service.empty()) {
    rc.set("kms:ViaService", ctx.via_service);
    // Unconfirmed: AWS documents aws:CalledVia for a list of calling services; ibsim sets it for
    // every service call made with the principal's credentials except through service-linked roles.
    if (!is_service_linked_session(p)) {
      const std::string& via = called_via(ctx.via_service);
      rc.set_multi_copy("aws:CalledVia", std::span<const std::string>(&via, 1));
      rc.set("aws:CalledViaFirst", via);
      rc.set("aws:CalledViaLast", via);
    }
  }
  if (!ctx.source_account.empty()) {
    rc.set("aws:SourceAccount", ctx.source_account);
  }
  if (!ctx.source_arn.empty()) {
    rc.set("aws:SourceArn", ctx.source_arn);
  }
  if (!ctx.region.empty()) {
    rc.set("aws:RequestedRegion", ctx.region.str());
  }
  for (const auth::ContextValue& k : request.keys) {
    if (k.multi_valued) {
      rc.set_multi_copy(k.key, k.values);
    } else {
      rc.set(k.key, k.values.empty() ? std::string_view() : std::string_view(k.values.front()));
    }
  }

  auth::AuthzResult result;
  result.decision = policy::evaluate(set, rc);
  if (!result.decision.allowed()) {
    ++stats_.denials;
    result.message = policy::access_denied_message(result.decision, rc);
    result.explanation = explanation_json(set, rc);
  }
  return result;
}

}  // namespace ibsim::mock_aws::sts
