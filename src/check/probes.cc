// The Prober: one request of the distribution at a time, asked of the world's StsAuthorizer with
// the condition keys the models add, exactly as the models ask it during a run. A denial carries
// the authorizer's explanation (policy::explain): its fixes say which policy of which principal or
// key needs which statement. Denials are grouped per policy to edit, and the statements of a group
// are merged (actions and resources unioned) into one statement to paste.

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "mock_aws/api/arn.h"
#include "mock_aws/iam/iam_model.h"
#include "mock_aws/policy/policy.h"
#include "sim/base/assert.h"
#include "src/check/check_internal.h"

namespace ibsim::check::internal {
namespace {

using OrderedJson = nlohmann::ordered_json;
namespace policy = mock_aws::policy;
namespace iam = mock_aws::iam;

constexpr std::size_t kNeededForShownMax = 3;

std::string dump(const OrderedJson& j) {
  return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

std::string text_of(const OrderedJson& j, std::string_view key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(value);
  }
}

// "arn:aws:kms:us-east-1:111122223333:key/..." -> (account, region); IAM ARNs have no region.
std::pair<std::string, std::string> account_region_of(std::string_view arn) {
  sim::Result<api::Arn> parsed = api::parse_arn(arn);
  if (!parsed.ok()) {
    return {};
  }
  return {parsed->account, parsed->region};
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    out += (out.empty() ? "" : std::string(sep)) + s;
  }
  return out;
}

std::string role_words(const std::string& arn, bool service_linked) {
  return (service_linked ? "Image Builder's service-linked role " : "role ") + arn;
}

}  // namespace

std::string category_of(std::string_view action, std::string_view resource) {
  if (action.starts_with("kms:")) {
    return "kms";
  }
  if (action.starts_with("ssm:")) {
    return "ssm";
  }
  if (action.find("LaunchTemplate") != std::string_view::npos
      || (action == "ec2:CreateTags" && resource.find(":launch-template/") != std::string::npos)) {
    return "launch-template";
  }
  if (action == "ec2:DescribeImages" || action == "ec2:CopyImage"
      || action == "ec2:ModifyImageAttribute"
      || (action == "ec2:CreateTags" && resource.find(":image/") != std::string::npos)) {
    return "image";
  }
  if (action.starts_with("sts:")) {
    return "sts";
  }
  return "other";
}

const policy::Policy* KeyPolicies::find(const std::string& key_arn) {
  if (const auto it = cache_.find(key_arn); it != cache_.end()) {
    return it->second.get();
  }
  std::unique_ptr<policy::Policy> compiled;
  if (std::optional<std::string> text = world_.kms().find_key_policy(key_arn)) {
    sim::Result<policy::Policy> p =
        policy::parse_policy(*text, policy::PolicyKind::kKey, {.name = "keyPolicy"});
    if (p.ok()) {
      compiled = std::make_unique<policy::Policy>(std::move(p).value());
    }
  }
  const policy::Policy* out = compiled.get();
  cache_.emplace(key_arn, std::move(compiled));
  return out;
}

mock_aws::auth::AuthzResult Prober::ask(const Probe& probe) {
  IBSIM_ASSERT(probe.actor != nullptr, "every probe names its actor");
  api::CallContext ctx;
  ctx.principal = probe.actor->principal;
  ctx.region = probe.region;
  ctx.request_id = "ibsim-check";
  ctx.via_service = probe.via_service;
  ctx.request_unix_ms = world_.context().unix_ms();
  mock_aws::auth::AuthzRequest request;
  request.action = probe.action;
  request.resource = probe.resource;
  request.resource_account = probe.resource_account;
  request.resource_policy = probe.resource_policy;
  request.keys = probe.keys;
  ++requests_;
  return world_.authorizer().authorize(ctx, request);
}

bool Prober::check(const Probe& probe) {
  const mock_aws::auth::AuthzResult result = ask(probe);
  if (result.allowed()) {
    return true;
  }
  const OrderedJson explanation = OrderedJson::parse(result.explanation, nullptr, false);
  const Actor& actor = *probe.actor;
  const Denial denial{.principal = actor.principal.arn,
                      .action = probe.action,
                      .resource = probe.resource,
                      .region = probe.region.str(),
                      .message = result.message};
  const iam::RoleRecord* role = world_.iam().find_role_by_arn(actor.role_arn);
  const bool managed_attached =
      role != nullptr
      && std::find(
             role->attached_policies.begin(), role->attached_policies.end(), kManagedPolicyArn)
             != role->attached_policies.end();
  const auto fixes_it = explanation.is_discarded() ? explanation.end() : explanation.find("fixes");
  if (fixes_it == explanation.end() || !fixes_it->is_array() || fixes_it->empty()) {
    return false;
  }
  for (const OrderedJson& fix : *fixes_it) {
    const std::string kind = text_of(fix, "kind");
    const std::string side = text_of(fix, "side");
    const std::string policy_of = text_of(fix, "policyOf");
    if (!actor.exists && side != "resource") {
      continue;  // The missing role's problem lists what the role itself needs.
    }
    Group g;
    std::string key;
    if (kind == "RemoveDeny") {
      g.code = "ExplicitDeny";
      g.policy_name = text_of(fix, "policyName");
      g.policy = text_of(fix, "statementLabel");
      if (const auto st = fix.find("statement"); st != fix.end()) {
        g.statement_json = dump(*st);
      }
      key = "deny|" + policy_of + "|" + g.policy_name + "|" + g.policy;
    } else if (side == "resource") {
      const policy::PolicyKind rk = probe.resource_policy != nullptr
                                        ? probe.resource_policy->kind()
                                        : policy::PolicyKind::kResource;
      g.code = rk == policy::PolicyKind::kKey     ? "KeyPolicyDoesNotAllow"
               : rk == policy::PolicyKind::kTrust ? "TrustPolicyDoesNotAllow"
                                                  : "ResourcePolicyDoesNotAllow";
      if (const auto st = fix.find("statement"); st != fix.end() && st->contains("Principal")) {
        g.principal_json = dump(st->at("Principal"));
        g.statement_json = dump(*st);
      }
      key = "resource|" + policy_of + "|" + g.principal_json;
    } else if (side == "identity") {
      g.category = category_of(probe.action, probe.resource);
      if (g.category == "image" && !managed_attached && !actor.service_linked) {
        g.category = "managed";
      }
      g.code = g.category == "managed" ? "ManagedPolicyNotAttached" : "IdentityPolicyDoesNotAllow";
      key = "identity|" + policy_of + "|" + g.category;
    } else if (side == "boundary") {
      g.code = "PermissionsBoundaryDoesNotAllow";
      key = "boundary|" + policy_of;
    } else if (side == "session") {
      g.code = "SessionPolicyDoesNotAllow";
      key = "session|" + policy_of;
    } else {
      g.code = "ServiceControlPolicyDoesNotAllow";
      key = "scp|" + actor.principal.account.str();
    }
    key += "|" + std::string(to_string(probe.severity));
    auto [it, inserted] = groups_.try_emplace(key, std::move(g));
    Group& group = it->second;
    if (inserted) {
      group.order = sequence_++;
      group.severity = probe.severity;
      group.side = side;
      group.policy_of = policy_of;
      group.acting_as = actor.principal.arn;
      group.shown_as = probe.shown_as;
      group.role_is_service_linked = actor.service_linked;
      if (group.policy.empty()) {
        group.policy = text_of(fix, "policy");
      }
      if (side == "resource") {
        const auto [account, region] = account_region_of(policy_of);
        group.account = account.empty() ? probe.resource_account : account;
        group.region = region;
      } else {
        group.account = actor.principal.account.str();
      }
    }
    if (group.near_miss.empty()) {
      group.near_miss = text_of(fix, "nearMiss");
    }
    add_unique(group.needed_for, probe.needed_for);
    if (std::find(group.actions.begin(), group.actions.end(), probe.action)
        == group.actions.end()) {
      group.actions.push_back(probe.action);
      std::sort(group.actions.begin(), group.actions.end());
    }
    add_unique(group.resources, probe.resource.empty() ? std::string("*") : probe.resource);
    const bool seen = std::any_of(group.denials.begin(), group.denials.end(), [&](const Denial& d) {
      return d.action == denial.action && d.resource == denial.resource && d.region == denial.region
             && d.principal == denial.principal;
    });
    if (!seen) {
      group.denials.push_back(denial);
    }
  }
  return false;
}

Problem Prober::to_problem(const Group& g) const {
  Problem p;
  p.severity = g.severity;
  p.code = g.code;
  p.account = g.account;
  p.region = g.region;
  p.resource = g.policy_of;
  p.acting_as = g.acting_as;
  p.aws_error = g.shown_as;
  p.near_miss = g.near_miss;
  p.denials = g.denials;
  std::vector<std::string> needed(
      g.needed_for.begin(),
      g.needed_for.begin()
          + static_cast<std::ptrdiff_t>(std::min(g.needed_for.size(), kNeededForShownMax)));
  p.needed_for = join(needed, "; ");
  if (g.needed_for.size() > kNeededForShownMax) {
    p.needed_for += "; and " + std::to_string(g.needed_for.size() - kNeededForShownMax) + " more";
  }
  const std::string actions = join(g.actions, ", ");
  const std::string where_account = "account " + g.account;
  const std::string where =
      g.region.empty() ? where_account : where_account + ", region " + g.region;

  // The merged statement: one Action list, one Resource list (identity side), the Principal of
  // the resource side.
  OrderedJson statement;
  statement["Effect"] = "Allow";
  if (!g.principal_json.empty()) {
    statement["Principal"] = OrderedJson::parse(g.principal_json, nullptr, false);
  }
  statement["Action"] =
      g.actions.size() == 1 ? OrderedJson(g.actions.front()) : OrderedJson(g.actions);
  if (g.code == "KeyPolicyDoesNotAllow") {
    statement["Resource"] = "*";
  } else if (g.code != "TrustPolicyDoesNotAllow") {
    statement["Resource"] =
        g.resources.size() == 1 ? OrderedJson(g.resources.front()) : OrderedJson(g.resources);
  }
  Fix add{.kind = "AddStatement",
          .side = g.side,
          .policy = g.policy,
          .policy_of = g.policy_of,
          .account = g.account,
          .region = g.side == "resource" ? g.region : std::string(),
          .statement_json = dump(statement),
          .text = {}};
  const std::string role = role_words(g.policy_of, g.role_is_service_linked);

  if (g.code == "ExplicitDeny") {
    p.title = g.policy + " of " + g.policy_name + " explicitly denies " + actions + " to "
              + g.acting_as + "; an explicit deny overrides every allow.";
    p.fixes.push_back(Fix{.kind = "RemoveStatement",
                          .side = g.side,
                          .policy = g.policy_name,
                          .policy_of = g.policy_of,
                          .account = g.account,
                          .region = {},
                          .statement_json = g.statement_json,
                          .text = "Remove or narrow this Deny statement (" + g.policy + " of "
                                  + g.policy_name + ", " + where + "):"});
    return p;
  }
  if (g.code == "TrustPolicyDoesNotAllow") {
    p.title =
        "The trust policy of role " + g.policy_of + " does not let " + g.acting_as + " assume it.";
    add.text =
        "Add this statement to the trust policy of role " + g.policy_of + " (" + where + "):";
  } else if (g.code == "KeyPolicyDoesNotAllow") {
    const OrderedJson principal = OrderedJson::parse(g.principal_json, nullptr, false);
    std::string named = g.acting_as;
    if (!principal.is_discarded() && principal.contains("AWS") && principal["AWS"].is_string()) {
      named = principal["AWS"].get<std::string>();
    }
    p.title = "The key policy of " + g.policy_of + " does not allow " + named + " to call "
              + actions + " (through EC2, for " + g.acting_as + ").";
    add.text = "Add this statement to the key policy of " + g.policy_of + " (" + where + "):";
  } else if (g.code == "ResourcePolicyDoesNotAllow") {
    p.title = "The resource policy of " + g.policy_of + " does not allow " + actions + ".";
    add.text = "Add this statement to the resource policy of " + g.policy_of + ":";
  } else if (g.code == "ManagedPolicyNotAttached") {
    p.title = "Role " + g.policy_of
              + " does not have the AWS managed policy Ec2ImageBuilderCrossAccountDistributionAccess "
                "attached: no identity-based policy allows "
              + actions + ".";
    p.fixes.push_back(Fix{.kind = "AttachPolicy",
                          .side = "identity",
                          .policy = std::string(kManagedPolicyArn),
                          .policy_of = g.policy_of,
                          .account = g.account,
                          .region = {},
                          .statement_json = {},
                          .text = "Attach the AWS managed policy " + std::string(kManagedPolicyArn)
                                  + " to role " + g.policy_of + " (" + where + ")."});
    add.text = "Or add this statement to an identity-based policy of role " + g.policy_of + ":";
  } else if (g.code == "IdentityPolicyDoesNotAllow") {
    std::string hint;
    if (g.role_is_service_linked) {
      hint =
          " The service-linked role's policy is managed by AWS and cannot be edited: change "
          "the configuration so this step is not needed.";
    } else if (g.category == "kms") {
      hint =
          " (AWS's cross-account page: the role needs an inline policy allowing the KMS keys "
          "of the copy.)";
    } else if (g.category == "launch-template") {
      hint = " (AWS's cross-account page: the role needs the launch-template statements.)";
    }
    p.title = "No identity-based policy of " + role + " allows " + actions + "." + hint;
    add.text = "Add this statement to an identity-based policy of " + role + " (" + where
               + "), for example an inline policy:";
  } else if (g.code == "PermissionsBoundaryDoesNotAllow") {
    p.title = "The permissions boundary of " + role + " does not allow " + actions + ".";
    add.text =
        "Add this statement to the permissions boundary policy of " + role + " (" + where + "):";
  } else if (g.code == "SessionPolicyDoesNotAllow") {
    p.title = "The session policy of " + g.acting_as + " does not allow " + actions + ".";
    add.text = "Allow these actions in the session policy:";
  } else {
    p.title = "The service control policies of " + where_account + " do not allow " + actions
              + " to " + g.acting_as + ".";
    add.statement_json =
        dump(OrderedJson{{"Effect", "Allow"}, {"Action", statement["Action"]}, {"Resource", "*"}});
    add.text = "Add this statement to the service control policies on every level of "
               + where_account + "'s organization path:";
  }
  p.fixes.push_back(std::move(add));
  return p;
}

std::vector<std::pair<std::size_t, Problem>> Prober::problems() const {
  std::vector<std::pair<std::size_t, Problem>> out;
  for (const auto& [key, g] : groups_) {
    out.emplace_back(g.order, to_problem(g));
  }
  return out;
}

}  // namespace ibsim::check::internal
