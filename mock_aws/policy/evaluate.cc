#include "mock_aws/policy/evaluate.h"

#include "mock_aws/policy/text.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::policy {
namespace {

using api::PrincipalKind;

bool action_matches(const Statement& st, const RequestContext& ctx) {
  bool matched = false;
  for (const ActionPattern& a : st.actions) {
    if (a.any) {
      matched = true;
      break;
    }
    if (!a.service.empty()) {
      if (a.service == ctx.action_service() && a.pattern.match_plain(ctx.action_name())) {
        matched = true;
        break;
      }
    } else if (a.pattern.match_plain(ctx.action_lower())) {
      matched = true;
      break;
    }
  }
  return matched != st.not_action;
}

// Unconfirmed: Resource ARNs are compared case-sensitively; a Resource pattern whose variable
// cannot be resolved simply does not match.
bool resource_matches(const Statement& st, const RequestContext& ctx) {
  if (!st.has_resource) {
    return true;  // No Resource element: the statement covers the resource it is attached to.
  }
  bool matched = false;
  bool unresolved = false;
  for (const ArnPattern& p : st.resources) {
    const MatchResult r = p.match(ctx.resource(), ctx);
    if (r == MatchResult::kMatch) {
      matched = true;
      break;
    }
    unresolved = unresolved || r == MatchResult::kUnresolved;
  }
  if (!st.not_resource) {
    return matched;
  }
  // Unconfirmed: a variable that cannot be resolved makes a NotResource statement not apply
  // (IAM: an unresolvable variable "causes the statement to be invalid").
  return !matched && !unresolved;
}

bool unique_id_is_role_of(std::string_view role_id, std::string_view session_unique_id) {
  return session_unique_id.size() > role_id.size() && session_unique_id.starts_with(role_id)
         && session_unique_id[role_id.size()] == ':';
}

PrincipalMatch entry_match(const PrincipalEntry& e, const api::Principal& p) {
  switch (e.kind) {
    case PrincipalEntryKind::kEveryone:
      // Unconfirmed: "*" and {"AWS": "*"} also match service principals and anonymous callers,
      // and like a grant to the caller itself they are not capped by boundaries or session
      // policies (@cloud-copilot/iam-simulate caps a session by its session policy here).
      return PrincipalMatch::kDirect;
    case PrincipalEntryKind::kAccount:
      if (!p.account.empty() && p.account.str() == e.value) {
        return p.kind == PrincipalKind::kRoot ? PrincipalMatch::kDirect : PrincipalMatch::kAccount;
      }
      return PrincipalMatch::kNone;
    case PrincipalEntryKind::kUser:
      return p.kind == PrincipalKind::kUser && p.arn == e.value ? PrincipalMatch::kDirect
                                                                : PrincipalMatch::kNone;
    case PrincipalEntryKind::kRole:
      return p.kind == PrincipalKind::kAssumedRole && p.role_arn == e.value ? PrincipalMatch::kRole
                                                                            : PrincipalMatch::kNone;
    case PrincipalEntryKind::kSession:
      return p.kind == PrincipalKind::kAssumedRole && p.arn == e.value ? PrincipalMatch::kDirect
                                                                       : PrincipalMatch::kNone;
    case PrincipalEntryKind::kUniqueId:
      if (p.kind == PrincipalKind::kUser && p.unique_id == e.value) {
        return PrincipalMatch::kDirect;
      }
      if (p.kind == PrincipalKind::kAssumedRole && unique_id_is_role_of(e.value, p.unique_id)) {
        return PrincipalMatch::kRole;
      }
      return PrincipalMatch::kNone;
    case PrincipalEntryKind::kService:
      return p.kind == PrincipalKind::kService && p.arn == e.value ? PrincipalMatch::kDirect
                                                                   : PrincipalMatch::kNone;
    case PrincipalEntryKind::kFederatedUser:
    case PrincipalEntryKind::kFederated:
    case PrincipalEntryKind::kCanonicalUser:
      // Deviation from AWS: api::Principal has no federated or canonical-user callers, so these
      // entries never match.
      return PrincipalMatch::kNone;
  }
  return PrincipalMatch::kNone;
}

// The identities a caller is evaluated as for NotPrincipal: its account, its role, itself.
enum class Facet : std::uint8_t { kAccount, kUser, kRole, kSession, kService, kAnonymous };

bool entry_covers(const PrincipalEntry& e, Facet facet, const api::Principal& p) {
  if (e.kind == PrincipalEntryKind::kEveryone) {
    return true;
  }
  switch (facet) {
    case Facet::kAccount:
      return e.kind == PrincipalEntryKind::kAccount && p.account.str() == e.value;
    case Facet::kUser:
      return (e.kind == PrincipalEntryKind::kUser && p.arn == e.value)
             || (e.kind == PrincipalEntryKind::kUniqueId && p.unique_id == e.value);
    case Facet::kRole:
      return (e.kind == PrincipalEntryKind::kRole && p.role_arn == e.value)
             || (e.kind == PrincipalEntryKind::kUniqueId
                 && unique_id_is_role_of(e.value, p.unique_id));
    case Facet::kSession:
      return e.kind == PrincipalEntryKind::kSession && p.arn == e.value;
    case Facet::kService:
      return e.kind == PrincipalEntryKind::kService && p.arn == e.value;
    case Facet::kAnonymous:
      return false;
  }
  return false;
}

PrincipalMatch not_principal_match(const PrincipalSpec& spec,
                                   Effect effect,
                                   const api::Principal& p) {
  Facet facets[3];
  std::size_t n = 0;
  switch (p.kind) {
    case PrincipalKind::kRoot:
      facets[n++] = Facet::kAccount;
      break;
    case PrincipalKind::kUser:
      facets[n++] = Facet::kAccount;
      facets[n++] = Facet::kUser;
      break;
    case PrincipalKind::kAssumedRole:
      facets[n++] = Facet::kAccount;
      facets[n++] = Facet::kRole;
      facets[n++] = Facet::kSession;
      break;
    case PrincipalKind::kService:
      facets[n++] = Facet::kService;
      break;
    case PrincipalKind::kAnonymous:
      facets[n++] = Facet::kAnonymous;
      break;
  }
  std::size_t covered = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (const PrincipalEntry& e : spec.entries) {
      if (entry_covers(e, facets[i], p)) {
        ++covered;
        break;
      }
    }
  }
  // Unconfirmed: AWS may check the account, then the role, then the session (IAM-NOTPRIN). A
  // Deny therefore applies unless every one of them is listed; an Allow applies only when none is.
  const bool applies = effect == Effect::kDeny ? covered < n : covered == 0;
  return applies ? PrincipalMatch::kDirect : PrincipalMatch::kNone;
}

PrincipalMatch principal_match(const Statement& st, const api::Principal& p) {
  switch (st.principal.mode) {
    case PrincipalSpec::Mode::kAbsent:
      return PrincipalMatch::kDirect;
    case PrincipalSpec::Mode::kPrincipal: {
      PrincipalMatch best = PrincipalMatch::kNone;
      for (const PrincipalEntry& e : st.principal.entries) {
        const PrincipalMatch m = entry_match(e, p);
        if (m > best) {
          best = m;
          if (best == PrincipalMatch::kDirect) {
            break;
          }
        }
      }
      return best;
    }
    case PrincipalSpec::Mode::kNotPrincipal:
      return not_principal_match(st.principal, st.effect, p);
  }
  return PrincipalMatch::kNone;
}

bool conditions_hold(const Statement& st, const RequestContext& ctx) {
  for (const Condition& c : st.conditions) {
    if (!c.evaluate(ctx)) {
      return false;
    }
  }
  return true;
}

struct SideScan {
  std::optional<StatementRef> deny;
  std::optional<StatementRef> allow;
  PrincipalMatch best = PrincipalMatch::kNone;
};

// First applicable Deny, first (or, on the resource side, strongest) applicable Allow.
void scan(const Policy& policy, Side side, const RequestContext& ctx, SideScan& out) {
  const bool resource_side = side == Side::kResource;
  const auto& statements = policy.statements();
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const Statement& st = statements[i];
    if (st.effect == Effect::kAllow && out.allow.has_value()
        && (!resource_side || out.best == PrincipalMatch::kDirect)) {
      continue;  // Another allow cannot change the decision.
    }
    if (!action_matches(st, ctx) || !resource_matches(st, ctx)) {
      continue;
    }
    PrincipalMatch m = PrincipalMatch::kDirect;
    if (resource_side) {
      m = principal_match(st, ctx.principal());
      if (m == PrincipalMatch::kNone) {
        continue;
      }
    }
    if (!conditions_hold(st, ctx)) {
      continue;
    }
    const StatementRef ref{&policy, static_cast<std::uint32_t>(i), side};
    if (st.effect == Effect::kDeny) {
      out.deny = ref;
      return;
    }
    if (!out.allow.has_value() || m > out.best) {
      out.allow = ref;
      out.best = m;
    }
  }
}

void scan_all(const std::vector<const Policy*>& policies,
              Side side,
              const RequestContext& ctx,
              SideScan& out) {
  for (const Policy* p : policies) {
    IBSIM_ASSERT(p != nullptr, "PolicySet holds no null policies");
    scan(*p, side, ctx, out);
    if (out.deny.has_value()) {
      return;
    }
  }
}

std::string_view implicit_phrase(DenyReason reason) {
  switch (reason) {
    case DenyReason::kIdentityNoAllow:
      return "identity-based policy";
    case DenyReason::kBoundaryNoAllow:
      return "permissions boundary";
    case DenyReason::kSessionNoAllow:
      return "session policy";
    default:
      return "resource-based policy";
  }
}

std::string_view explicit_phrase(Side side) {
  switch (side) {
    case Side::kServiceControl:
      return "a service control policy";
    case Side::kResource:
      return "a resource-based policy";
    case Side::kIdentity:
      return "an identity-based policy";
    case Side::kPermissionsBoundary:
      return "a permissions boundary";
    case Side::kSession:
      // Unconfirmed: one AWS page prints "a sessions policy"; ibsim uses the singular.
      return "a session policy";
  }
  return "a resource-based policy";
}

}  // namespace

std::string_view to_string(Side side) {
  switch (side) {
    case Side::kServiceControl:
      return "scp";
    case Side::kResource:
      return "resource";
    case Side::kIdentity:
      return "identity";
    case Side::kPermissionsBoundary:
      return "boundary";
    case Side::kSession:
      return "session";
  }
  return "identity";
}

std::string_view to_string(PrincipalMatch match) {
  switch (match) {
    case PrincipalMatch::kNone:
      return "None";
    case PrincipalMatch::kAccount:
      return "Account";
    case PrincipalMatch::kRole:
      return "Role";
    case PrincipalMatch::kDirect:
      return "Direct";
  }
  return "None";
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAllow:
      return "Allow";
    case Outcome::kExplicitDeny:
      return "ExplicitDeny";
    case Outcome::kImplicitDeny:
      return "ImplicitDeny";
  }
  return "ImplicitDeny";
}

std::string_view to_string(DenyReason reason) {
  switch (reason) {
    case DenyReason::kNone:
      return "None";
    case DenyReason::kExplicitDeny:
      return "ExplicitDeny";
    case DenyReason::kServiceControlNoAllow:
      return "NoServiceControlPolicyAllows";
    case DenyReason::kIdentityNoAllow:
      return "NoIdentityPolicyAllows";
    case DenyReason::kResourceNoAllow:
      return "NoResourcePolicyAllows";
    case DenyReason::kKeyPolicyNoAllow:
      return "KeyPolicyDoesNotAllow";
    case DenyReason::kTrustPolicyNoAllow:
      return "TrustPolicyDoesNotAllow";
    case DenyReason::kBoundaryNoAllow:
      return "NoPermissionsBoundaryAllows";
    case DenyReason::kSessionNoAllow:
      return "NoSessionPolicyAllows";
  }
  return "None";
}

std::string_view to_string(AllowBasis basis) {
  switch (basis) {
    case AllowBasis::kNone:
      return "None";
    case AllowBasis::kRootUser:
      return "RootUser";
    case AllowBasis::kIdentity:
      return "IdentityPolicy";
    case AllowBasis::kResourceDirect:
      return "ResourcePolicyNamesPrincipal";
    case AllowBasis::kResourceRole:
      return "ResourcePolicyNamesRole";
    case AllowBasis::kKeyPolicyDelegation:
      return "ResourcePolicyDelegatesToAccount";
    case AllowBasis::kBothSides:
      return "IdentityAndResourcePolicy";
    case AllowBasis::kServicePrincipal:
      return "ResourcePolicyAllowsService";
  }
  return "None";
}

const Statement& StatementRef::statement() const {
  IBSIM_ASSERT(policy != nullptr && index < policy->statements().size(),
               "a StatementRef points into a live policy");
  return policy->statements()[index];
}

std::string StatementRef::label() const {
  const Statement& st = statement();
  std::string out = "statement ";
  if (!st.sid.empty()) {
    out += quote(st.sid) + " ";
  }
  out += "(#" + std::to_string(index) + ") of ";
  out +=
      policy->name().empty() ? std::string(to_string(policy->kind())) + " policy" : policy->name();
  return out;
}

StatementEvaluation evaluate_statement(const Statement& statement,
                                       PolicyKind kind,
                                       const RequestContext& ctx) {
  StatementEvaluation e;
  e.action = action_matches(statement, ctx);
  e.resource = resource_matches(statement, ctx);
  e.principal = is_resource_kind(kind) ? principal_match(statement, ctx.principal())
                                       : PrincipalMatch::kDirect;
  e.conditions = true;
  for (std::size_t i = 0; i < statement.conditions.size(); ++i) {
    if (!statement.conditions[i].evaluate(ctx)) {
      e.conditions = false;
      e.failed_condition = static_cast<int>(i);
      break;
    }
  }
  e.applies = e.action && e.resource && e.principal != PrincipalMatch::kNone && e.conditions;
  return e;
}

Decision evaluate(const PolicySet& set, const RequestContext& ctx) {
  Decision d;
  d.cross_account = ctx.cross_account();
  d.has_resource_policy = set.resource != nullptr;
  if (set.resource != nullptr) {
    IBSIM_ASSERT(is_resource_kind(set.resource->kind()),
                 "PolicySet::resource holds a resource, key or trust policy");
    d.resource_kind = set.resource->kind();
  }
  const PrincipalKind kind = ctx.principal().kind;
  const bool account_principal = kind == PrincipalKind::kRoot || kind == PrincipalKind::kUser
                                 || kind == PrincipalKind::kAssumedRole;
  const bool root = kind == PrincipalKind::kRoot;

  auto explicit_deny = [&](const StatementRef& ref) {
    d.outcome = Outcome::kExplicitDeny;
    d.reason = DenyReason::kExplicitDeny;
    d.deny = ref;
    return d;
  };
  auto implicit_deny = [&](DenyReason reason) {
    d.outcome = Outcome::kImplicitDeny;
    d.reason = reason;
    return d;
  };
  auto allow = [&](AllowBasis basis) {
    d.outcome = Outcome::kAllow;
    d.basis = basis;
    return d;
  };

  // 1. Explicit denies; allows are collected on the way. Unconfirmed: when several policy types
  // deny, AWS names one; ibsim names the first in the order SCP, resource, identity, boundary,
  // session.
  bool scp_ok = true;
  if (account_principal) {
    for (std::size_t level = 0; level < set.service_control.size(); ++level) {
      SideScan s;
      scan_all(set.service_control[level], Side::kServiceControl, ctx, s);
      if (s.deny.has_value()) {
        return explicit_deny(*s.deny);
      }
      if (!s.allow.has_value() && scp_ok) {
        scp_ok = false;
        d.scp_level_without_allow = level;
      }
      if (s.allow.has_value() && !d.scp_allow.has_value()) {
        d.scp_allow = s.allow;
      }
    }
  }
  SideScan res;
  if (set.resource != nullptr) {
    scan(*set.resource, Side::kResource, ctx, res);
    if (res.deny.has_value()) {
      return explicit_deny(*res.deny);
    }
    d.resource_allow = res.allow;
    d.resource_grant = res.allow.has_value() ? res.best : PrincipalMatch::kNone;
  }
  SideScan id;
  SideScan boundary;
  SideScan session;
  if (account_principal) {
    scan_all(set.identity, Side::kIdentity, ctx, id);
    if (id.deny.has_value()) {
      return explicit_deny(*id.deny);
    }
    d.identity_allow = id.allow;
    if (!root) {
      scan_all(set.permissions_boundary, Side::kPermissionsBoundary, ctx, boundary);
      if (boundary.deny.has_value()) {
        return explicit_deny(*boundary.deny);
      }
      d.boundary_allow = boundary.allow;
      scan_all(set.session, Side::kSession, ctx, session);
      if (session.deny.has_value()) {
        return explicit_deny(*session.deny);
      }
      d.session_allow = session.allow;
    }
  }

  const PolicyKind rk = set.resource != nullptr ? set.resource->kind() : PolicyKind::kResource;
  const DenyReason resource_silent = rk == PolicyKind::kKey     ? DenyReason::kKeyPolicyNoAllow
                                     : rk == PolicyKind::kTrust ? DenyReason::kTrustPolicyNoAllow
                                                                : DenyReason::kResourceNoAllow;

  // 2. Services and anonymous callers have no policies of their own: the resource policy decides.
  if (!account_principal) {
    if (d.resource_allow.has_value()) {
      return allow(AllowBasis::kServicePrincipal);
    }
    return implicit_deny(resource_silent);
  }

  // 3. SCPs: every level of the organization path must allow.
  if (!scp_ok) {
    return implicit_deny(DenyReason::kServiceControlNoAllow);
  }

  // Unconfirmed: the root user's own side is allowed without policies across accounts too.
  const bool identity_ok = root || id.allow.has_value();
  const bool boundary_ok = root || set.permissions_boundary.empty() || boundary.allow.has_value();
  const bool session_ok = root || set.session.empty() || session.allow.has_value();
  const DenyReason limit_gap = !boundary_ok  ? DenyReason::kBoundaryNoAllow
                               : !session_ok ? DenyReason::kSessionNoAllow
                                             : DenyReason::kNone;
  const DenyReason caller_gap = !identity_ok ? DenyReason::kIdentityNoAllow : limit_gap;
  const PrincipalMatch grant = d.resource_grant;
  const AllowBasis own_account = root ? AllowBasis::kRootUser : AllowBasis::kIdentity;

  // 4. No resource policy: the caller's side decides; another account's resource needs one.
  if (set.resource == nullptr) {
    if (caller_gap != DenyReason::kNone) {
      return implicit_deny(caller_gap);
    }
    if (d.cross_account) {
      return implicit_deny(DenyReason::kResourceNoAllow);
    }
    return allow(own_account);
  }

  // 5. An ordinary resource policy: either side suffices in one account, both across accounts.
  if (rk == PolicyKind::kResource) {
    if (d.cross_account) {
      // Unconfirmed: with both sides silent, ibsim names the identity side for resource policies.
      if (caller_gap != DenyReason::kNone) {
        return implicit_deny(caller_gap);
      }
      if (grant == PrincipalMatch::kNone) {
        return implicit_deny(DenyReason::kResourceNoAllow);
      }
      return allow(AllowBasis::kBothSides);
    }
    if (grant == PrincipalMatch::kDirect) {
      return allow(AllowBasis::kResourceDirect);
    }
    if (grant == PrincipalMatch::kRole) {
      if (limit_gap != DenyReason::kNone) {
        return implicit_deny(limit_gap);
      }
      return allow(AllowBasis::kResourceRole);
    }
    if (caller_gap != DenyReason::kNone) {
      return implicit_deny(caller_gap);
    }
    return allow(own_account);
  }

  // 6. Key and trust policies must themselves allow the principal or its account.
  if (grant == PrincipalMatch::kNone) {
    return implicit_deny(resource_silent);
  }
  if (d.cross_account) {
    if (caller_gap != DenyReason::kNone) {
      return implicit_deny(caller_gap);
    }
    return allow(AllowBasis::kBothSides);
  }
  if (grant == PrincipalMatch::kDirect) {
    return allow(AllowBasis::kResourceDirect);
  }
  if (grant == PrincipalMatch::kRole) {
    if (limit_gap != DenyReason::kNone) {
      return implicit_deny(limit_gap);
    }
    return allow(AllowBasis::kResourceRole);
  }
  // Naming the account delegates to the account's IAM policies.
  if (caller_gap != DenyReason::kNone) {
    return implicit_deny(caller_gap);
  }
  return allow(AllowBasis::kKeyPolicyDelegation);
}

std::string access_denied_message(const Decision& d, const RequestContext& ctx) {
  if (d.allowed()) {
    return {};
  }
  const api::Principal& p = ctx.principal();
  std::string out = "User: ";
  out += p.kind == PrincipalKind::kAnonymous || p.arn.empty() ? "anonymous" : p.arn;
  out += " is not authorized to perform: ";
  out += ctx.action();
  if (!ctx.resource().empty() && ctx.resource() != "*") {
    out += " on resource: ";
    out += ctx.resource();
  }
  // STS AssumeRole answers in its own short form (aws-facts §5.5), with or without a trust policy
  // (a missing role is denied the same way).
  const bool trust = (d.has_resource_policy && d.resource_kind == PolicyKind::kTrust)
                     || ctx.action_lower().starts_with("sts:assumerole");
  switch (d.reason) {
    case DenyReason::kExplicitDeny:
      if (trust && d.deny.has_value() && d.deny->side == Side::kResource) {
        // Unconfirmed: STS's short form for a Deny in the trust policy itself.
        return out;
      }
      out += " with an explicit deny in ";
      out += explicit_phrase(d.deny.has_value() ? d.deny->side : Side::kResource);
      return out;
    case DenyReason::kServiceControlNoAllow:
      // AWS says "explicit deny" for SCPs even when no SCP allows (IAM-AD).
      out += " with an explicit deny in a service control policy";
      return out;
    default:
      break;
  }
  if (trust) {
    // STS AssumeRole keeps the short form: no reason is given (aws-facts §5.5).
    return out;
  }
  out += " because no ";
  out += implicit_phrase(d.reason);
  out += " allows the ";
  out += ctx.action();
  out += " action";
  return out;
}

}  // namespace ibsim::mock_aws::policy
