#pragma once
// Policy evaluation as AWS does it (IAM evaluation logic, cross-account logic, KMS key policies,
// role trust policies): an explicit Deny anywhere wins; SCPs must allow; in one account an allow in
// an identity OR a resource policy is enough — except that key and trust policies must themselves
// allow the principal (naming the account delegates to its IAM policies); across accounts both the
// caller's side and the resource policy must allow; permissions boundaries and session policies cap
// everything except a resource policy that names the user or the session itself.
// evaluate() is the hot path: no allocation, and the Decision says which statements decided.
//
//   PolicySet set{.identity = {&role_policy}, .resource = &key_policy};
//   Decision d = evaluate(set, ctx);
//   if (!d.allowed()) error = access_denied_message(d, ctx);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/policy/policy.h"
#include "mock_aws/policy/request_context.h"

namespace ibsim::mock_aws::policy {

// Which kind of policy a statement came from, in the order AWS names explicit denies.
enum class Side : std::uint8_t {
  kServiceControl,
  kResource,  // The resource-based, key or trust policy.
  kIdentity,
  kPermissionsBoundary,
  kSession,
};

std::string_view to_string(Side side);  // "scp", "resource", "identity", "boundary", "session"

// How a resource-side statement named the caller: it decides whether the caller's own policies
// still matter (aws-facts §5.1 rule 4).
enum class PrincipalMatch : std::uint8_t {
  kNone,
  kAccount,  // The caller's account: delegates to that account's identity policies.
  kRole,     // The caller's role (the caller is a session): still capped by boundary and session.
  kDirect,   // The caller itself (user, session, root, service) or everyone ("*"): final.
};

std::string_view to_string(PrincipalMatch match);  // "None", "Account", "Role", "Direct"

struct StatementRef {
  const Policy* policy = nullptr;
  std::uint32_t index = 0;
  Side side = Side::kIdentity;

  const Statement& statement() const;
  // `statement "Enable IAM policies" (#0) of KeyPolicy`
  std::string label() const;
};

enum class Outcome : std::uint8_t { kAllow, kExplicitDeny, kImplicitDeny };

std::string_view to_string(Outcome outcome);  // "Allow", "ExplicitDeny", "ImplicitDeny"

enum class DenyReason : std::uint8_t {
  kNone,
  kExplicitDeny,           // `deny` names the statement.
  kServiceControlNoAllow,  // No SCP on some level allows (AWS still says "explicit deny").
  kIdentityNoAllow,        // No identity-based policy allows.
  kResourceNoAllow,        // Cross-account (or a service principal): the resource policy is silent.
  kKeyPolicyNoAllow,       // The key policy names neither the principal nor its account.
  kTrustPolicyNoAllow,     // The trust policy does not allow the principal.
  kBoundaryNoAllow,
  kSessionNoAllow,
};

std::string_view to_string(DenyReason reason);

enum class AllowBasis : std::uint8_t {
  kNone,
  kRootUser,             // The account root in its own account, nothing denies.
  kIdentity,             // Same account: an identity-based policy allows.
  kResourceDirect,       // Same account: the resource policy names the caller itself.
  kResourceRole,         // Same account: the resource policy names the caller's role.
  kKeyPolicyDelegation,  // Same account: key/trust policy names the account, identity allows.
  kBothSides,            // Cross-account: identity side and resource policy allow.
  kServicePrincipal,     // A service (or anonymous) principal allowed by the resource policy.
};

std::string_view to_string(AllowBasis basis);

// The policies that apply to one request. Pointers must outlive the evaluation.
struct PolicySet {
  std::vector<const Policy*> identity;
  const Policy* resource = nullptr;  // Kind kResource, kKey or kTrust.
  // Deviation from AWS: an entity has one boundary; several documents here are read as one
  // boundary (any of them may allow). Session policies likewise (inline + managed ARNs).
  std::vector<const Policy*> permissions_boundary;  // Documents of one boundary; empty: none.
  std::vector<const Policy*> session;               // Session policies; empty: none passed.
  // One list per level of the organization path (root, OUs, account); each level must allow.
  std::vector<std::vector<const Policy*>> service_control;
};

struct Decision {
  Outcome outcome = Outcome::kImplicitDeny;
  DenyReason reason = DenyReason::kNone;
  AllowBasis basis = AllowBasis::kNone;
  bool cross_account = false;
  bool has_resource_policy = false;
  PolicyKind resource_kind = PolicyKind::kResource;
  PrincipalMatch resource_grant = PrincipalMatch::kNone;  // Strongest matching resource Allow.
  std::size_t scp_level_without_allow = 0;                // With kServiceControlNoAllow.
  std::optional<StatementRef> deny;                       // The explicit deny that decided.
  std::optional<StatementRef> scp_allow;
  std::optional<StatementRef> resource_allow;
  std::optional<StatementRef> identity_allow;
  std::optional<StatementRef> boundary_allow;
  std::optional<StatementRef> session_allow;

  bool allowed() const { return outcome == Outcome::kAllow; }
};

Decision evaluate(const PolicySet& set, const RequestContext& ctx);

// AWS's AccessDenied text for a denied decision (empty when allowed):
// "User: <arn> is not authorized to perform: <action> on resource: <arn> because no
// identity-based policy allows the <action> action". The principal printed is the session ARN
// for sessions. A trust-policy denial uses STS's short form without the reason.
std::string access_denied_message(const Decision& decision, const RequestContext& ctx);

// One statement against one request, every part evaluated (for explanations, not the hot path).
struct StatementEvaluation {
  bool action = false;
  bool resource = false;
  PrincipalMatch principal = PrincipalMatch::kDirect;  // kDirect for identity-like policies.
  bool conditions = false;
  int failed_condition = -1;  // Index of the first condition that is false.
  bool applies = false;
};

StatementEvaluation evaluate_statement(const Statement& statement,
                                       PolicyKind kind,
                                       const RequestContext& ctx);

}  // namespace ibsim::mock_aws::policy
