#include "mock_aws/policy/explain.h"

#include <nlohmann/json.hpp>

#include "mock_aws/policy/text.h"

namespace ibsim::mock_aws::policy {
namespace {

using api::PrincipalKind;
using ordered_json = nlohmann::ordered_json;

bool is_account_principal(const api::Principal& p) {
  return p.kind == PrincipalKind::kRoot || p.kind == PrincipalKind::kUser
         || p.kind == PrincipalKind::kAssumedRole;
}

std::string who(const api::Principal& p) {
  if (p.kind == PrincipalKind::kAnonymous) {
    return "an anonymous caller";
  }
  if (p.kind == PrincipalKind::kAssumedRole) {
    return p.arn + " (a session of " + p.role_arn + ")";
  }
  if (p.kind == PrincipalKind::kService) {
    return "the service principal " + p.arn;
  }
  return p.arn;
}

std::string on_resource(const RequestContext& ctx) {
  return ctx.resource().empty() || ctx.resource() == "*" ? std::string("any resource")
                                                         : ctx.resource();
}

std::string resource_policy_name(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kKey:
      return "key policy";
    case PolicyKind::kTrust:
      return "trust policy";
    default:
      return "resource-based policy";
  }
}

std::string resource_policy_of(PolicyKind kind, const RequestContext& ctx) {
  if (kind == PolicyKind::kTrust) {
    return "the trust policy of role " + ctx.resource();
  }
  return "the " + resource_policy_name(kind) + " of " + ctx.resource();
}

std::string dump(const ordered_json& j) {
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// Traces every statement of `policy` on `side`.
void trace_policy(const Policy* policy,
                  Side side,
                  const RequestContext& ctx,
                  std::vector<StatementTrace>& out) {
  const auto& statements = policy->statements();
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const Statement& st = statements[i];
    StatementTrace t;
    t.ref = StatementRef{policy, static_cast<std::uint32_t>(i), side};
    t.effect = st.effect;
    t.result = evaluate_statement(st, policy->kind(), ctx);
    if (t.result.failed_condition >= 0) {
      t.failed_condition =
          st.conditions[static_cast<std::size_t>(t.result.failed_condition)].explain_failure(ctx);
    }
    out.push_back(std::move(t));
  }
}

// "arn:aws:iam::777788889999:root, ..." — the first few principals a statement names.
std::string named_principals(const Statement& st) {
  constexpr std::size_t kShown = 3;
  std::string out;
  for (std::size_t i = 0; i < st.principal.entries.size() && i < kShown; ++i) {
    out += (i > 0 ? ", " : "") + st.principal.entries[i].text;
  }
  if (st.principal.entries.size() > kShown) {
    out += ", ...";
  }
  return out;
}

// Whether a statement grants to some account other than `account` (a cross-account grant).
bool names_other_account(const Statement& st, std::string_view account) {
  for (const PrincipalEntry& e : st.principal.entries) {
    if (e.kind == PrincipalEntryKind::kAccount && e.value != account) {
      return true;
    }
  }
  return false;
}

// The best "almost" on one side: an Allow that matches the action but fails elsewhere. A false
// condition comes first; then, for a cross-account request, a statement granting to another
// account (the one to extend) before the owner's own delegation statement.
std::string near_miss(const std::vector<StatementTrace>& traces,
                      Side side,
                      const RequestContext& ctx) {
  for (const StatementTrace& t : traces) {
    if (t.ref.side != side || t.effect != Effect::kAllow || !t.result.action) {
      continue;
    }
    const StatementEvaluation& r = t.result;
    if (r.resource && r.principal != PrincipalMatch::kNone && !r.conditions) {
      return t.ref.label() + " would allow it, but its condition is false: " + t.failed_condition;
    }
  }
  const StatementTrace* best = nullptr;
  bool best_is_cross_grant = false;
  for (const StatementTrace& t : traces) {
    if (t.ref.side != side || t.effect != Effect::kAllow || !t.result.action) {
      continue;
    }
    const StatementEvaluation& r = t.result;
    if (!r.resource) {
      return t.ref.label() + " allows the action, but not on this resource";
    }
    if (r.principal == PrincipalMatch::kNone) {
      const bool cross_grant =
          ctx.cross_account() && names_other_account(t.ref.statement(), ctx.resource_account());
      if (best == nullptr || (cross_grant && !best_is_cross_grant)) {
        best = &t;
        best_is_cross_grant = cross_grant;
      }
    }
  }
  if (best != nullptr) {
    return best->ref.label() + " allows the action, but only for "
           + named_principals(best->ref.statement());
  }
  return {};
}

std::string allow_statement_for_caller(const RequestContext& ctx) {
  ordered_json st;
  st["Effect"] = "Allow";
  st["Action"] = ctx.action();
  st["Resource"] = ctx.resource().empty() ? "*" : ctx.resource();
  return dump(st);
}

Fix caller_side_fix(Side side,
                    const RequestContext& ctx,
                    const std::vector<StatementTrace>& traces) {
  const api::Principal& p = ctx.principal();
  Fix f;
  f.kind = FixKind::kAddAllowStatement;
  f.side = side;
  f.policy_of = p.principal_arn();
  f.action = ctx.action();
  f.resource = ctx.resource().empty() ? "*" : ctx.resource();
  f.statement_json = allow_statement_for_caller(ctx);
  f.near_miss = near_miss(traces, side, ctx);
  switch (side) {
    case Side::kIdentity:
      f.policy_description = "an identity-based policy";
      f.text = "Add to an identity-based policy of " + f.policy_of + " a statement allowing "
               + f.action + " on " + f.resource + ".";
      break;
    case Side::kPermissionsBoundary:
      f.policy_description = "the permissions boundary";
      f.text = "Add to the permissions boundary of " + f.policy_of + " a statement allowing "
               + f.action + " on " + f.resource + ".";
      break;
    case Side::kSession:
      f.policy_description = "the session policy";
      f.text = "Allow " + f.action + " on " + f.resource + " in the session policy passed when "
               + p.arn + " was created (or pass none).";
      break;
    case Side::kServiceControl:
      f.policy_of = "organization";
      f.policy_description = "the service control policies";
      f.text = "Add to the service control policies of account " + p.account.str()
               + " (on every level of its organization path) a statement allowing " + f.action
               + ".";
      break;
    case Side::kResource:
      break;
  }
  return f;
}

Fix resource_side_fix(PolicyKind kind,
                      const RequestContext& ctx,
                      bool name_account,
                      const std::vector<StatementTrace>& traces) {
  const api::Principal& p = ctx.principal();
  Fix f;
  f.kind = FixKind::kAddAllowStatement;
  f.side = Side::kResource;
  f.policy_of = ctx.resource();
  f.policy_description = "the " + resource_policy_name(kind);
  f.action = ctx.action();
  f.resource = ctx.resource();
  if (p.kind == PrincipalKind::kService) {
    f.principal_key = "Service";
    f.principal = p.arn;
  } else if (p.kind == PrincipalKind::kAnonymous) {
    f.principal_key = "AWS";
    f.principal = "*";
  } else {
    f.principal_key = "AWS";
    f.principal = name_account ? ctx.principal_account_arn() : p.principal_arn();
  }
  ordered_json st;
  st["Effect"] = "Allow";
  st["Principal"] = ordered_json::object({{f.principal_key, f.principal}});
  st["Action"] = f.action;
  if (kind == PolicyKind::kKey) {
    st["Resource"] = "*";  // A key policy's Resource is the key itself.
  } else if (kind == PolicyKind::kResource) {
    st["Resource"] = ctx.resource();
  }
  f.statement_json = dump(st);
  f.near_miss = near_miss(traces, Side::kResource, ctx);
  f.text = "Add to " + resource_policy_of(kind, ctx) + " a statement allowing " + f.principal
           + " the action " + f.action + ".";
  return f;
}

std::vector<Fix> fixes_for(const Explanation& e, const PolicySet& set, const RequestContext& ctx) {
  std::vector<Fix> fixes;
  const Decision& d = e.decision;
  const api::Principal& p = ctx.principal();
  if (d.allowed()) {
    return fixes;
  }
  if (d.reason == DenyReason::kExplicitDeny && d.deny.has_value()) {
    Fix f;
    f.kind = FixKind::kRemoveDeny;
    f.side = d.deny->side;
    f.policy_name = d.deny->policy->name();
    f.policy_of = d.deny->side == Side::kResource ? ctx.resource() : p.principal_arn();
    f.statement_label = d.deny->label();
    f.statement_json = d.deny->statement().json;
    f.action = ctx.action();
    f.resource = ctx.resource();
    f.text = "Remove or narrow " + f.statement_label + ": it explicitly denies " + f.action + " on "
             + on_resource(ctx) + " to " + who(p) + ", and an explicit deny overrides every allow.";
    fixes.push_back(std::move(f));
    return fixes;
  }
  const PolicyKind rk = set.resource != nullptr ? set.resource->kind() : PolicyKind::kResource;
  if (!is_account_principal(p)) {
    fixes.push_back(resource_side_fix(rk, ctx, false, e.statements));
    return fixes;
  }
  if (d.reason == DenyReason::kServiceControlNoAllow) {
    fixes.push_back(caller_side_fix(Side::kServiceControl, ctx, e.statements));
  }
  const bool root = p.kind == PrincipalKind::kRoot;
  const bool identity_ok = root || d.identity_allow.has_value();
  const bool boundary_ok = root || set.permissions_boundary.empty() || d.boundary_allow.has_value();
  const bool session_ok = root || set.session.empty() || d.session_allow.has_value();
  const PrincipalMatch grant = d.resource_grant;
  bool need_identity = !identity_ok;
  bool need_limits = true;
  const bool special = set.resource != nullptr && rk != PolicyKind::kResource;
  if (special && grant == PrincipalMatch::kNone) {
    // Cross-account, and a key policy whose account already allows through IAM, delegate to the
    // account (as the Image Builder and KMS guides do); otherwise name the caller itself.
    const bool name_account = d.cross_account || (rk == PolicyKind::kKey && identity_ok);
    fixes.push_back(resource_side_fix(rk, ctx, name_account, e.statements));
    if (!name_account) {
      need_identity = false;  // Naming the caller directly needs no identity policy.
    }
  } else if (d.cross_account && grant == PrincipalMatch::kNone) {
    fixes.push_back(resource_side_fix(rk, ctx, true, e.statements));
  } else if (!d.cross_account && grant == PrincipalMatch::kDirect) {
    need_identity = false;
    need_limits = false;
  } else if (!d.cross_account && grant == PrincipalMatch::kRole) {
    need_identity = false;
  }
  if (need_identity) {
    fixes.push_back(caller_side_fix(Side::kIdentity, ctx, e.statements));
  }
  if (need_limits && !boundary_ok) {
    fixes.push_back(caller_side_fix(Side::kPermissionsBoundary, ctx, e.statements));
  }
  if (need_limits && !session_ok) {
    fixes.push_back(caller_side_fix(Side::kSession, ctx, e.statements));
  }
  return fixes;
}

std::string summarize(const Explanation& e, const PolicySet& set, const RequestContext& ctx) {
  const Decision& d = e.decision;
  const api::Principal& p = ctx.principal();
  const PolicyKind rk = set.resource != nullptr ? set.resource->kind() : PolicyKind::kResource;
  const std::string action = ctx.action();
  std::string s;
  switch (d.outcome) {
    case Outcome::kAllow:
      s = "Allowed: ";
      switch (d.basis) {
        case AllowBasis::kRootUser:
          s += p.arn + " is the root user of account " + p.account.str() + ", and no policy denies "
               + action + ".";
          break;
        case AllowBasis::kIdentity:
          s += d.identity_allow->label() + " allows " + action + " on " + on_resource(ctx) + ".";
          if (set.resource != nullptr) {
            s += " Within one account the resource-based policy does not need to allow it too.";
          }
          break;
        case AllowBasis::kResourceDirect:
          s += d.resource_allow->label() + " names " + who(p)
               + " directly, which is final within account " + ctx.resource_account() + ".";
          break;
        case AllowBasis::kResourceRole:
          s += d.resource_allow->label() + " names the role " + p.role_arn
               + "; its permissions boundary and session policy (if any) allow it too.";
          break;
        case AllowBasis::kKeyPolicyDelegation:
          s += d.resource_allow->label() + " delegates to account " + p.account.str()
               + " (its root), and " + d.identity_allow->label() + " allows " + action + ".";
          break;
        case AllowBasis::kBothSides:
          s += "the request crosses accounts (caller " + p.account.str() + ", resource "
               + ctx.resource_account() + ") and both sides allow it: "
               + (d.identity_allow.has_value() ? d.identity_allow->label()
                                               : std::string("the root user's own permissions"))
               + " in the caller's account and " + d.resource_allow->label()
               + " in the resource's account.";
          break;
        case AllowBasis::kServicePrincipal:
          s += d.resource_allow->label() + " allows " + who(p) + ".";
          break;
        case AllowBasis::kNone:
          break;
      }
      if (d.boundary_allow.has_value()) {
        s += " The permissions boundary allows it (" + d.boundary_allow->label() + ").";
      }
      if (d.session_allow.has_value()) {
        s += " The session policy allows it (" + d.session_allow->label() + ").";
      }
      return s;
    case Outcome::kExplicitDeny:
      return "Explicitly denied: " + d.deny->label() + " denies " + action + " on "
             + on_resource(ctx) + " to " + who(p) + ". An explicit deny overrides every allow.";
    case Outcome::kImplicitDeny:
      break;
  }
  s = "Implicitly denied: ";
  switch (d.reason) {
    case DenyReason::kServiceControlNoAllow:
      s += "no service control policy on level " + std::to_string(d.scp_level_without_allow)
           + " of the organization path of account " + p.account.str() + " allows " + action
           + " (AWS reports this as an explicit deny in a service control policy).";
      break;
    case DenyReason::kIdentityNoAllow:
      s += "no identity-based policy of " + p.principal_arn() + " allows " + action + " on "
           + on_resource(ctx) + ".";
      if (set.resource != nullptr && d.resource_grant == PrincipalMatch::kAccount
          && !d.cross_account) {
        s += " " + d.resource_allow->label() + " delegates to account " + p.account.str()
             + ", so an identity-based policy there must allow it.";
      } else if (d.cross_account) {
        s += " Across accounts both the caller's identity-based policy and the "
             + resource_policy_name(rk) + " must allow the request.";
      }
      break;
    case DenyReason::kResourceNoAllow:
      if (!is_account_principal(p)) {
        s += set.resource == nullptr
                 ? "the resource has no resource-based policy, and only one can allow " + who(p)
                       + "."
                 : "no statement of the resource-based policy of " + ctx.resource() + " allows "
                       + who(p) + " to perform " + action + ".";
      } else if (set.resource == nullptr) {
        s += "the request crosses accounts (caller " + p.account.str() + ", resource "
             + ctx.resource_account() + ") and the resource has no resource-based policy that "
             + "allows it.";
      } else {
        s += "the request crosses accounts (caller " + p.account.str() + ", resource "
             + ctx.resource_account() + ") and no statement of the resource-based policy of "
             + ctx.resource() + " allows " + who(p) + " or account " + p.account.str() + " to "
             + "perform " + action + ".";
      }
      break;
    case DenyReason::kKeyPolicyNoAllow:
      s += "the key policy of " + ctx.resource() + " does not allow " + who(p);
      if (is_account_principal(p)) {
        s += " or its account " + p.account.str();
      }
      s += " to perform " + action
           + ". IAM policies grant nothing on a KMS key unless its key policy allows the account.";
      break;
    case DenyReason::kTrustPolicyNoAllow:
      s += "the trust policy of role " + ctx.resource() + " does not allow " + who(p);
      if (is_account_principal(p)) {
        s += " or its account " + p.account.str();
      }
      s += " to perform " + action + ".";
      break;
    case DenyReason::kBoundaryNoAllow:
      s += "the permissions boundary of " + p.principal_arn() + " does not allow " + action + " on "
           + on_resource(ctx) + ".";
      break;
    case DenyReason::kSessionNoAllow:
      s += "the session policy of " + p.arn + " does not allow " + action + " on "
           + on_resource(ctx) + ".";
      break;
    case DenyReason::kNone:
    case DenyReason::kExplicitDeny:
      break;
  }
  for (const Fix& f : e.fixes) {
    if (!f.near_miss.empty()) {
      s += " Note: " + f.near_miss + ".";
    }
  }
  return s;
}

}  // namespace

std::string_view to_string(FixKind kind) {
  return kind == FixKind::kAddAllowStatement ? "AddAllowStatement" : "RemoveDeny";
}

Explanation explain(const PolicySet& set, const RequestContext& ctx) {
  Explanation e;
  e.decision = evaluate(set, ctx);
  e.message = access_denied_message(e.decision, ctx);
  const bool account_principal = is_account_principal(ctx.principal());
  if (account_principal) {
    for (const auto& level : set.service_control) {
      for (const Policy* p : level) {
        trace_policy(p, Side::kServiceControl, ctx, e.statements);
      }
    }
  }
  if (set.resource != nullptr) {
    trace_policy(set.resource, Side::kResource, ctx, e.statements);
  }
  if (account_principal) {
    for (const Policy* p : set.identity) {
      trace_policy(p, Side::kIdentity, ctx, e.statements);
    }
    for (const Policy* p : set.permissions_boundary) {
      trace_policy(p, Side::kPermissionsBoundary, ctx, e.statements);
    }
    for (const Policy* p : set.session) {
      trace_policy(p, Side::kSession, ctx, e.statements);
    }
  }
  e.fixes = fixes_for(e, set, ctx);
  e.summary = summarize(e, set, ctx);
  return e;
}

}  // namespace ibsim::mock_aws::policy
