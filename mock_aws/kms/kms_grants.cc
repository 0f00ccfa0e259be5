// KmsModel: grants — CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant —
// and how a grant allows a request the key policy and IAM do not.
//
// ibsim's reading of the KMS developer guide ("Grants in AWS KMS"): a grant is a permission on
// the key that names its grantee directly, like a key policy statement naming that principal,
// and "grantee principals can use the permissions that the grant gives them ... just as they
// would if the permissions came from a key policy or IAM policy". So a grant whose grantee is a
// user, role or session allows its operations on its own — also across accounts, where the
// grantee's account needs no IAM policy for it (Unconfirmed: AWS does not say so in as many
// words; the issue that specified this step asks for it). A grant whose grantee is an account
// (arn:aws:iam::<account>:root) delegates like an account principal in a key policy: principals
// of that account also need an IAM allow. A grant never overrides an explicit Deny. Grants take
// effect at once (AWS: eventually, within minutes, unless the grant token is presented).

#include <algorithm>
#include <utility>

#include "mock_aws/api/arn.h"
#include "mock_aws/crypto/encoding.h"
#include "mock_aws/kms/kms_errors.h"
#include "mock_aws/kms/kms_internal.h"
#include "mock_aws/kms/kms_model.h"

namespace ibsim::mock_aws::kms {

using internal::validation_error;

namespace {

constexpr std::size_t kPrincipalCharsMax = 256;
constexpr std::size_t kGrantNameCharsMax = 256;
constexpr std::size_t kGrantTokenRandomBytes = 96;
constexpr int32_t kListGrantsLimitDefault = 50;

enum class PrincipalMatch { kNone, kDirect, kAccount };

// How a grant's grantee or retiring principal names the caller.
PrincipalMatch match_principal(const api::Principal& p, std::string_view grant_principal) {
  if (grant_principal.empty()) {
    return PrincipalMatch::kNone;
  }
  if (p.arn == grant_principal) {
    return PrincipalMatch::kDirect;  // The user, the session, the root user or the service.
  }
  if (p.kind == api::PrincipalKind::kAssumedRole && p.role_arn == grant_principal) {
    return PrincipalMatch::kDirect;  // A grant to a role serves its sessions.
  }
  if (!p.account.empty() && grant_principal == api::root_arn(p.account)) {
    return PrincipalMatch::kAccount;
  }
  return PrincipalMatch::kNone;
}

bool context_has(const api::kms::EncryptionContext& request,
                 std::string_view key,
                 std::string_view value) {
  // In grant constraints the keys are case-insensitive and the values case-sensitive
  // (botocore model kms/GrantConstraints).
  return std::any_of(request.begin(), request.end(), [&](const auto& pair) {
    return internal::iequals(pair.first, key) && pair.second == value;
  });
}

bool constraints_hold(const api::kms::GrantConstraints& c,
                      const api::kms::EncryptionContext& request) {
  if (c.encryption_context_subset.has_value()) {
    for (const auto& [k, v] : *c.encryption_context_subset) {
      if (!context_has(request, k, v)) {
        return false;
      }
    }
  }
  if (c.encryption_context_equals.has_value()) {
    if (c.encryption_context_equals->size() != request.size()) {
      return false;
    }
    for (const auto& [k, v] : *c.encryption_context_equals) {
      if (!context_has(request, k, v)) {
        return false;
      }
    }
  }
  return true;
}

// A grant created with CreateGrant permission that itself came from a grant may not widen it:
// the same or fewer operations, and constraints at least as strict (KMS developer guide,
// "Granting CreateGrant permission"). Unconfirmed: the exact strictness rule; ibsim requires
// every constraint pair of the parent in the child, and the parent's Equals kept as Equals.
bool within_parent(const api::kms::CreateGrantInput& child,
                   uint32_t child_bits,
                   const api::kms::GrantConstraints* parent_constraints,
                   uint32_t parent_bits) {
  if ((child_bits & ~parent_bits) != 0) {
    return false;
  }
  if (parent_constraints == nullptr) {
    return true;
  }
  if (!child.constraints.has_value()) {
    return false;
  }
  const api::kms::GrantConstraints& c = *child.constraints;
  if (parent_constraints->encryption_context_equals.has_value()) {
    return c.encryption_context_equals == parent_constraints->encryption_context_equals;
  }
  if (parent_constraints->encryption_context_subset.has_value()) {
    const api::kms::EncryptionContext& own =
        c.encryption_context_equals.has_value()
            ? *c.encryption_context_equals
            : c.encryption_context_subset.value_or(api::kms::EncryptionContext{});
    for (const auto& [k, v] : *parent_constraints->encryption_context_subset) {
      if (!context_has(own, k, v)) {
        return false;
      }
    }
  }
  return true;
}

// A principal as CreateGrant takes it: the ARN of an account, user, role, assumed-role session
// or federated user, or a service principal.
sim::Status check_grant_principal(std::string_view member, std::string_view value) {
  if (value.empty() || value.size() > kPrincipalCharsMax) {
    return validation_error(member,
                            value,
                            value.empty() ? "have length greater than or equal to 1"
                                          : "have length less than or equal to 256");
  }
  if (!internal::only_chars(value, "_+=,.@:/-")) {
    return validation_error(member, value, "satisfy regular expression pattern: ^[\\w+=,.@:/-]+$");
  }
  if (value.ends_with(".amazonaws.com") && value.find(':') == std::string_view::npos) {
    return {};
  }
  sim::Result<api::Arn> arn = api::parse_arn(value);
  const bool valid = arn.ok() && arn->partition == api::kPartitionName
                     && api::AccountId::is_valid(arn->account)
                     && ((arn->service == "iam"
                          && (arn->resource == "root" || arn->resource.starts_with("user/")
                              || arn->resource.starts_with("role/")))
                         || (arn->service == "sts"
                             && (arn->resource.starts_with("assumed-role/")
                                 || arn->resource.starts_with("federated-user/"))));
  if (!valid) {
    // Unconfirmed: KMS's text for a principal that is not a valid principal ARN.
    return kms_error(ErrorCode::kInvalidArn, "Invalid principal: " + std::string(value));
  }
  return {};
}

api::kms::GrantListEntry list_entry(std::string_view key_arn,
                                    const std::string& grant_id,
                                    const std::optional<std::string>& name,
                                    api::kms::UnixMillis creation_date,
                                    const std::string& grantee,
                                    const std::optional<std::string>& retiring,
                                    const std::string& issuing_account,
                                    const std::vector<std::string>& operations,
                                    const std::optional<api::kms::GrantConstraints>& constraints) {
  return api::kms::GrantListEntry{.key_id = std::string(key_arn),
                                  .grant_id = grant_id,
                                  .name = name,
                                  .creation_date = creation_date,
                                  .grantee_principal = grantee,
                                  .retiring_principal = retiring,
                                  .issuing_account = issuing_account,
                                  .operations = operations,
                                  .constraints = constraints};
}

}  // namespace

const KmsModel::Grant* KmsModel::grant_allowing(const api::CallContext& ctx,
                                                const Key& key,
                                                uint32_t grant_operation,
                                                const api::kms::EncryptionContext* context,
                                                const policy::Decision& decision,
                                                const GrantFilter* filter) const {
  static const api::kms::EncryptionContext kEmpty;
  const bool root = ctx.principal.kind == api::PrincipalKind::kRoot;
  for (const Grant& g : key.grants) {
    if ((g.operation_bits & grant_operation) == 0) {
      continue;
    }
    const PrincipalMatch m = match_principal(ctx.principal, g.grantee_principal);
    if (m == PrincipalMatch::kNone) {
      continue;
    }
    if (m == PrincipalMatch::kAccount && !root && !decision.identity_allow.has_value()) {
      continue;  // An account grantee delegates to the account's IAM policies.
    }
    // Constraints apply only to operations that take an encryption context.
    if (g.constraints.has_value() && internal::operation_uses_context(grant_operation)
        && !constraints_hold(*g.constraints, context != nullptr ? *context : kEmpty)) {
      continue;
    }
    if (filter != nullptr && !(*filter)(g)) {
      continue;
    }
    return &g;
  }
  return nullptr;
}

void KmsModel::erase_grant_tokens(const std::string& key_arn, std::string_view grant_id) {
  std::erase_if(grant_tokens_, [&](const auto& entry) {
    return entry.second.first == key_arn && entry.second.second == grant_id;
  });
}

sim::Result<api::kms::CreateGrantOutput> KmsModel::create_grant(
    const api::CallContext& ctx, const api::kms::CreateGrantInput& in) {
  if (sim::Status s = check_grant_principal("granteePrincipal", in.grantee_principal); !s.ok()) {
    return s.error();
  }
  if (in.retiring_principal.has_value()) {
    if (sim::Status s = check_grant_principal("retiringPrincipal", *in.retiring_principal);
        !s.ok()) {
      return s.error();
    }
  }
  if (in.operations.empty()) {
    return validation_error("operations", "[]", "have length greater than or equal to 1");
  }
  uint32_t bits = 0;
  for (const std::string& name : in.operations) {
    const std::optional<internal::GrantOperationInfo> op = internal::find_grant_operation(name);
    if (!op.has_value()) {
      return validation_error(
          "operations",
          name,
          "satisfy enum value set: [Decrypt, Encrypt, GenerateDataKey, "
          "GenerateDataKeyWithoutPlaintext, ReEncryptFrom, ReEncryptTo, Sign, Verify, "
          "GetPublicKey, CreateGrant, RetireGrant, DescribeKey, GenerateDataKeyPair, "
          "GenerateDataKeyPairWithoutPlaintext, GenerateMac, VerifyMac, DeriveSharedSecret]");
    }
    if (!op->symmetric) {
      // Unconfirmed: KMS's text for an operation the key type does not support.
      return kms_error(
          ErrorCode::kValidation,
          "Grant operation " + name + " is not supported for a symmetric encryption KMS key.");
    }
    bits |= op->bit;
  }
  if (bits == internal::kOpCreateGrant) {
    return kms_error(ErrorCode::kValidation,
                     "Grants must not contain only the CreateGrant operation.");
  }
  if (in.name.has_value()
      && (in.name->empty() || in.name->size() > kGrantNameCharsMax
          || !internal::only_chars(*in.name, ":/_-"))) {
    return validation_error(
        "name", *in.name, "satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
  }
  if (sim::Status s = internal::check_grant_tokens(in.grant_tokens); !s.ok()) {
    return s.error();
  }
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = true});
  if (!found.ok()) {
    return found.error();
  }
  Key& key = **found;
  std::vector<auth::ContextValue> keys{
      {"kms:GranteePrincipal", {in.grantee_principal}, false},
      {"kms:GrantOperations", in.operations, true},
      {"kms:GrantIsForAWSResource", {ctx.via_service.empty() ? "false" : "true"}, false}};
  if (in.retiring_principal.has_value()) {
    keys.push_back({"kms:RetiringPrincipal", {*in.retiring_principal}, false});
  }
  if (in.constraints.has_value()) {
    if (in.constraints->encryption_context_equals.has_value()) {
      keys.push_back({"kms:GrantConstraintType", {"EncryptionContextEquals"}, false});
    } else if (in.constraints->encryption_context_subset.has_value()) {
      keys.push_back({"kms:GrantConstraintType", {"EncryptionContextSubset"}, false});
    }
  }
  const GrantFilter narrower = [&](const Grant& parent) {
    return within_parent(in,
                         bits,
                         parent.constraints.has_value() ? &*parent.constraints : nullptr,
                         parent.operation_bits);
  };
  if (sim::Status s = authorize_key(ctx,
                                    key,
                                    {.action = "kms:CreateGrant",
                                     .grant_operation = internal::kOpCreateGrant,
                                     .keys = std::move(keys),
                                     .grant_filter = &narrower});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_usable(key); !s.ok()) {
    return s.error();
  }
  if (in.dry_run.value_or(false)) {
    return kms_error(ErrorCode::kDryRunOperation,
                     "The request would have succeeded, but the DryRun option is set.");
  }
  const std::string issuing_account =
      ctx.principal.account.empty() ? std::string() : api::root_arn(ctx.principal.account);
  std::vector<uint8_t> token_bytes(kGrantTokenRandomBytes);
  grant_rng_.fill_bytes(token_bytes);
  std::string token = crypto::base64_encode(token_bytes);
  // A named grant is idempotent: the same request returns the same grant id (with a new token).
  if (in.name.has_value()) {
    for (const Grant& g : key.grants) {
      if (g.name == in.name && g.grantee_principal == in.grantee_principal
          && g.retiring_principal == in.retiring_principal && g.operations == in.operations
          && g.constraints == in.constraints) {
        grant_tokens_.emplace(token, std::make_pair(key.arn, g.grant_id));
        return api::kms::CreateGrantOutput{std::move(token), g.grant_id};
      }
    }
  }
  if (key.grants.size() >= options_.grants_per_key_max) {
    // Unconfirmed: KMS's text for the grants-per-key quota.
    return kms_error(ErrorCode::kLimitExceeded,
                     "The request was rejected because the key " + key.arn
                         + " already has the maximum number of grants.");
  }
  // Deviation from AWS: the grant is effective at once, as if every later request presented its
  // grant token; KMS grants reach eventual consistency within minutes.
  Grant grant;
  grant.grant_id = grant_rng_.hex(internal::kGrantIdHexDigits);
  grant.name = in.name;
  grant.grantee_principal = in.grantee_principal;
  grant.retiring_principal = in.retiring_principal;
  grant.issuing_account = issuing_account;
  grant.operations = in.operations;
  grant.operation_bits = bits;
  grant.constraints = in.constraints;
  grant.creation_date = ctx_.unix_ms();
  grant_tokens_.emplace(token, std::make_pair(key.arn, grant.grant_id));
  ctx_.emit("kms.grant.create",
            {{"key", key.arn},
             {"grant", grant.grant_id},
             {"grantee", grant.grantee_principal},
             {"principal", ctx.principal.arn}});
  std::string grant_id = grant.grant_id;
  key.grants.push_back(std::move(grant));
  return api::kms::CreateGrantOutput{std::move(token), std::move(grant_id)};
}

sim::Result<api::kms::ListGrantsOutput> KmsModel::list_grants(const api::CallContext& ctx,
                                                              const api::kms::ListGrantsInput& in) {
  if (in.grant_id.has_value() && !internal::is_grant_id(*in.grant_id)) {
    // Unconfirmed: KMS's text.
    return kms_error(ErrorCode::kInvalidGrantId, "Invalid grant ID: " + *in.grant_id);
  }
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = true});
  if (!found.ok()) {
    return found.error();
  }
  const Key& key = **found;
  if (sim::Status s = authorize_key(ctx,
                                    key,
                                    {.action = "kms:ListGrants",
                                     .keys = {{"kms:GrantIsForAWSResource",
                                               {ctx.via_service.empty() ? "false" : "true"},
                                               false}}});
      !s.ok()) {
    return s.error();
  }
  std::vector<api::kms::GrantListEntry> all;
  for (const Grant& g : key.grants) {
    if (in.grant_id.has_value() && g.grant_id != *in.grant_id) {
      continue;
    }
    if (in.grantee_principal.has_value() && g.grantee_principal != *in.grantee_principal) {
      continue;
    }
    all.push_back(list_entry(key.arn,
                             g.grant_id,
                             g.name,
                             g.creation_date,
                             g.grantee_principal,
                             g.retiring_principal,
                             g.issuing_account,
                             g.operations,
                             g.constraints));
  }
  api::kms::ListGrantsOutput out;
  if (sim::Status s = paginate_grants(std::move(all), in.limit, in.marker, out); !s.ok()) {
    return s.error();
  }
  return out;
}

sim::Result<api::kms::ListRetirableGrantsOutput> KmsModel::list_retirable_grants(
    const api::CallContext& ctx, const api::kms::ListRetirableGrantsInput& in) {
  if (sim::Status s = check_grant_principal("retiringPrincipal", in.retiring_principal); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = authorize_plain(ctx, "kms:ListRetirableGrants", "*"); !s.ok()) {
    return s.error();
  }
  // Unconfirmed: KMS requires a retiring principal of the caller's own account; ibsim lists the
  // grants of any principal named.
  std::vector<api::kms::GrantListEntry> all;
  for (const auto& [arn, key] : by_arn_) {
    for (const Grant& g : key->grants) {
      if (g.retiring_principal == in.retiring_principal) {
        all.push_back(list_entry(arn,
                                 g.grant_id,
                                 g.name,
                                 g.creation_date,
                                 g.grantee_principal,
                                 g.retiring_principal,
                                 g.issuing_account,
                                 g.operations,
                                 g.constraints));
      }
    }
  }
  api::kms::ListRetirableGrantsOutput out;
  if (sim::Status s = paginate_grants(std::move(all), in.limit, in.marker, out); !s.ok()) {
    return s.error();
  }
  return out;
}

sim::Status KmsModel::paginate_grants(std::vector<api::kms::GrantListEntry> all,
                                      const std::optional<int32_t>& limit,
                                      const std::optional<std::string>& marker,
                                      api::kms::ListGrantsOutput& out) const {
  constexpr int32_t kLimitMax = 1000;
  if (limit.has_value() && (*limit < 1 || *limit > kLimitMax)) {
    return validation_error("limit",
                            std::to_string(*limit),
                            *limit < 1 ? "have value greater than or equal to 1"
                                       : "have value less than or equal to 1000");
  }
  std::size_t start = 0;
  if (marker.has_value()) {
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const auto& e) { return e.grant_id == *marker; });
    if (it == all.end()) {
      return kms_error(ErrorCode::kInvalidMarker, "Invalid marker: " + *marker);
    }
    start = static_cast<std::size_t>(it - all.begin());
  }
  const std::size_t end = std::min(
      all.size(), start + static_cast<std::size_t>(limit.value_or(kListGrantsLimitDefault)));
  for (std::size_t i = start; i < end; ++i) {
    out.grants.push_back(std::move(all[i]));
  }
  out.truncated = end < all.size();
  if (out.truncated) {
    out.next_marker = all[end].grant_id;
  }
  return {};
}

sim::Result<api::kms::RetireGrantOutput> KmsModel::retire_grant(
    const api::CallContext& ctx, const api::kms::RetireGrantInput& in) {
  Key* key = nullptr;
  std::string grant_id;
  if (in.grant_token.has_value()) {
    const auto it = grant_tokens_.find(*in.grant_token);
    if (it == grant_tokens_.end()) {
      // Unconfirmed: KMS's text.
      return kms_error(ErrorCode::kInvalidGrantToken, "Invalid grant token.");
    }
    key = find_key_by_arn(it->second.first);
    IBSIM_ASSERT(key != nullptr, "tokens are erased with their key");
    grant_id = it->second.second;
  } else if (in.key_id.has_value() && in.grant_id.has_value()) {
    if (!internal::is_grant_id(*in.grant_id)) {
      return kms_error(ErrorCode::kInvalidGrantId, "Invalid grant ID: " + *in.grant_id);
    }
    sim::Result<Key*> found =
        resolve_key(ctx, *in.key_id, {.aliases = false, .cross_account = true});
    if (!found.ok()) {
      return found.error();
    }
    key = *found;
    grant_id = *in.grant_id;
  } else {
    // Unconfirmed: KMS's text.
    return kms_error(ErrorCode::kValidation,
                     "RetireGrant needs a GrantToken, or a KeyId and a GrantId.");
  }
  const auto grant = std::find_if(key->grants.begin(), key->grants.end(), [&](const Grant& g) {
    return g.grant_id == grant_id;
  });
  if (grant == key->grants.end()) {
    // Unconfirmed: KMS's text.
    return kms_error(ErrorCode::kNotFound,
                     "Grant " + grant_id + " does not exist on key " + key->arn);
  }
  // Who may retire (KMS developer guide, "Retiring and revoking grants"): the retiring
  // principal; the grantee when the grant includes RetireGrant; the account that created the
  // grant; and principals to whom kms:RetireGrant is delegated. Unconfirmed: how "the account"
  // and "delegated" are decided; ibsim accepts the issuing account's root user, an account
  // grantee/retiring principal whose IAM policy allows kms:RetireGrant, and anyone the key
  // policy (with IAM) allows kms:RetireGrant.
  const PrincipalMatch retiring = grant->retiring_principal.has_value()
                                      ? match_principal(ctx.principal, *grant->retiring_principal)
                                      : PrincipalMatch::kNone;
  const PrincipalMatch grantee = (grant->operation_bits & internal::kOpRetireGrant) != 0
                                     ? match_principal(ctx.principal, grant->grantee_principal)
                                     : PrincipalMatch::kNone;
  const bool issuing_root = ctx.principal.kind == api::PrincipalKind::kRoot
                            && grant->issuing_account == ctx.principal.arn;
  if (retiring != PrincipalMatch::kDirect && grantee != PrincipalMatch::kDirect && !issuing_root) {
    std::vector<auth::ContextValue> keys = key_condition_keys(ctx, *key);
    const auth::AuthzRequest request{.action = "kms:RetireGrant",
                                     .resource = key->arn,
                                     .resource_policy = &key->policy,
                                     .keys = std::move(keys)};
    const auth::AuthzResult result = authorizer_.authorize(ctx, request);
    const bool delegated =
        (retiring == PrincipalMatch::kAccount || grantee == PrincipalMatch::kAccount)
        && result.decision.identity_allow.has_value()
        && result.decision.outcome != policy::Outcome::kExplicitDeny;
    if (!result.allowed() && !delegated) {
      return denied(ctx, result);
    }
  }
  if (in.dry_run.value_or(false)) {
    return kms_error(ErrorCode::kDryRunOperation,
                     "The request would have succeeded, but the DryRun option is set.");
  }
  ctx_.emit("kms.grant.retire",
            {{"key", key->arn}, {"grant", grant_id}, {"principal", ctx.principal.arn}});
  key->grants.erase(grant);
  erase_grant_tokens(key->arn, grant_id);
  return api::kms::RetireGrantOutput{};
}

sim::Result<api::kms::RevokeGrantOutput> KmsModel::revoke_grant(
    const api::CallContext& ctx, const api::kms::RevokeGrantInput& in) {
  if (!internal::is_grant_id(in.grant_id)) {
    return kms_error(ErrorCode::kInvalidGrantId, "Invalid grant ID: " + in.grant_id);
  }
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = true});
  if (!found.ok()) {
    return found.error();
  }
  Key& key = **found;
  if (sim::Status s = authorize_key(ctx,
                                    key,
                                    {.action = "kms:RevokeGrant",
                                     .keys = {{"kms:GrantIsForAWSResource",
                                               {ctx.via_service.empty() ? "false" : "true"},
                                               false}}});
      !s.ok()) {
    return s.error();
  }
  const auto grant = std::find_if(key.grants.begin(), key.grants.end(), [&](const Grant& g) {
    return g.grant_id == in.grant_id;
  });
  if (grant == key.grants.end()) {
    return kms_error(ErrorCode::kNotFound,
                     "Grant " + in.grant_id + " does not exist on key " + key.arn);
  }
  if (in.dry_run.value_or(false)) {
    return kms_error(ErrorCode::kDryRunOperation,
                     "The request would have succeeded, but the DryRun option is set.");
  }
  ctx_.emit("kms.grant.revoke",
            {{"key", key.arn}, {"grant", in.grant_id}, {"principal", ctx.principal.arn}});
  key.grants.erase(grant);
  erase_grant_tokens(key.arn, in.grant_id);
  return api::kms::RevokeGrantOutput{};
}

}  // namespace ibsim::mock_aws::kms
