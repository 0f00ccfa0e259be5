#include "mock_aws/iam/iam_model.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "mock_aws/api/arn.h"
#include "mock_aws/iam/aws_managed_policies.h"
#include "mock_aws/iam/iam_errors.h"
#include "mock_aws/iam/iam_validation.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::iam {
namespace {

using api::iam::Tag;

constexpr std::string_view kIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kSecretAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::size_t kUniqueIdSuffixChars = 17;   // AROA + 17 = 21 characters, as IAM issues.
constexpr std::size_t kAccessKeySuffixChars = 16;  // AKIA + 16 = 20 characters.
constexpr std::size_t kSecretChars = 40;
constexpr std::size_t kAccessKeyIdMin = 16;
constexpr std::size_t kAccessKeyIdMax = 128;
constexpr std::size_t kSecretMax = 128;
constexpr std::size_t kAccountNameMax = 64;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

sim::AwsError no_such_role(std::string_view name) {
  return iam_error(ErrorCode::kNoSuchEntity,
                   "The role with name " + std::string(name) + " cannot be found.");
}

sim::AwsError no_such_user(std::string_view name) {
  return iam_error(ErrorCode::kNoSuchEntity,
                   "The user with name " + std::string(name) + " cannot be found.");
}

sim::AwsError no_such_policy(std::string_view arn) {
  return iam_error(ErrorCode::kNoSuchEntity,
                   "Policy " + std::string(arn) + " does not exist or is not attachable.");
}

sim::AwsError no_such_instance_profile(std::string_view name) {
  return iam_error(ErrorCode::kNoSuchEntity,
                   "Instance Profile " + std::string(name) + " cannot be found.");
}

sim::AwsError protected_role(std::string_view name) {
  return iam_error(ErrorCode::kUnmodifiableEntity,
                   "Cannot perform the operation on the protected role '" + std::string(name)
                       + "' - this role is only modifiable by AWS");
}

sim::AwsError aws_managed_read_only(const api::CallContext& ctx,
                                    std::string_view action,
                                    std::string_view arn) {
  // Unconfirmed: the exact error AWS returns when a caller changes an AWS managed policy; ibsim
  // answers AccessDenied in the short form.
  return iam_error(ErrorCode::kAccessDenied,
                   "User: " + ctx.principal.arn + " is not authorized to perform: "
                       + std::string(action) + " on resource: policy " + std::string(arn));
}

// "/path/" and "Name" of an IAM ARN whose resource is "<type>/path/Name".
struct IamArnParts {
  api::AccountId account;
  std::string path;
  std::string name;
};

std::optional<IamArnParts> parse_iam_arn(std::string_view arn, std::string_view type) {
  sim::Result<api::Arn> parsed = api::parse_arn(arn);
  if (!parsed.ok() || parsed->service != "iam" || !parsed->region.empty()
      || !api::AccountId::is_valid(parsed->account)) {
    return std::nullopt;
  }
  const std::string& res = parsed->resource;
  if (res.size() <= type.size() + 1 || !res.starts_with(type) || res[type.size()] != '/') {
    return std::nullopt;
  }
  const std::string_view rest = std::string_view(res).substr(type.size());
  const std::size_t slash = rest.rfind('/');
  if (slash + 1 >= rest.size()) {
    return std::nullopt;
  }
  return IamArnParts{api::AccountId::from_valid(parsed->account),
                     std::string(rest.substr(0, slash + 1)),
                     std::string(rest.substr(slash + 1))};
}

// Offset-based paging: the marker is the index of the first item of the next page.
// Deviation from AWS: IAM's markers are opaque tokens; ibsim's are decimal offsets.
struct PageWindow {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool truncated = false;
  std::optional<std::string> marker;
};

sim::Result<PageWindow> page(std::size_t total,
                             const std::optional<std::string>& marker,
                             const std::optional<int32_t>& max_items) {
  if (max_items.has_value()) {
    if (sim::Status s = validate_range(
            "maxItems", *max_items, ShapeLimits::kMaxItemsMin, ShapeLimits::kMaxItemsMax);
        !s.ok()) {
      return s.error();
    }
  }
  PageWindow w;
  if (marker.has_value()) {
    if (sim::Status s = validate_length("marker", *marker, 1, ShapeLimits::kMarkerMax); !s.ok()) {
      return s.error();
    }
    std::size_t value = 0;
    for (const char c : *marker) {
      if (c < '0' || c > '9' || value > total) {
        return iam_error(ErrorCode::kInvalidInput, "Invalid Marker.");
      }
      value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    if (value > total) {
      return iam_error(ErrorCode::kInvalidInput, "Invalid Marker.");
    }
    w.begin = value;
  }
  const auto limit = static_cast<std::size_t>(max_items.value_or(IamLimits::kListMaxItemsDefault));
  w.end = std::min(total, w.begin + limit);
  w.truncated = w.end < total;
  if (w.truncated) {
    w.marker = std::to_string(w.end);
  }
  return w;
}

std::optional<api::iam::AttachedPermissionsBoundary> boundary_output(const std::string& arn) {
  if (arn.empty()) {
    return std::nullopt;
  }
  return api::iam::AttachedPermissionsBoundary{"Policy", arn};
}

bool valid_version_id(std::string_view id) {
  // v[1-9][0-9]*(\.[A-Za-z0-9-]*)?
  if (id.size() < 2 || id[0] != 'v' || id[1] < '1' || id[1] > '9') {
    return false;
  }
  std::size_t i = 2;
  while (i < id.size() && id[i] >= '0' && id[i] <= '9') {
    ++i;
  }
  if (i == id.size()) {
    return true;
  }
  if (id[i] != '.') {
    return false;
  }
  for (++i; i < id.size(); ++i) {
    const char c = id[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

constexpr std::string_view kServiceLinkedTrust = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "imagebuilder.amazonaws.com"},
      "Action": "sts:AssumeRole"
    }
  ]
})";

}  // namespace

const ManagedPolicyVersion& ManagedPolicyRecord::default_version() const {
  for (const ManagedPolicyVersion& v : versions) {
    if (v.version_id == default_version_id) {
      return v;
    }
  }
  IBSIM_ASSERT(false, "a managed policy always has its default version");
  return versions.front();
}

IamModel::IamModel(sim::Context& ctx, Options options)
    : ctx_(ctx),
      options_(options),
      ids_rng_(ctx.rng().fork("iam.ids")),
      keys_rng_(ctx.rng().fork("iam.access-keys")) {
  install_aws_managed_policies();
}

// --- ids --------------------------------------------------------------------------------------

std::string IamModel::new_unique_id(std::string_view prefix) {
  for (std::size_t attempt = 0; attempt < IamLimits::kIdAttemptsMax; ++attempt) {
    std::string id(prefix);
    for (std::size_t i = 0; i < kUniqueIdSuffixChars; ++i) {
      id.push_back(kIdAlphabet[ids_rng_.uniform_u64(0, kIdAlphabet.size() - 1)]);
    }
    if (unique_ids_.insert(id).second) {
      return id;
    }
  }
  IBSIM_ASSERT(false, "a 85-bit random id does not collide kIdAttemptsMax times");
  return {};
}

std::string IamModel::new_access_key_id() {
  for (std::size_t attempt = 0; attempt < IamLimits::kIdAttemptsMax; ++attempt) {
    std::string id = "AKIA";
    for (std::size_t i = 0; i < kAccessKeySuffixChars; ++i) {
      id.push_back(kIdAlphabet[keys_rng_.uniform_u64(0, kIdAlphabet.size() - 1)]);
    }
    if (!access_keys_.contains(id)) {
      return id;
    }
  }
  IBSIM_ASSERT(false, "an 80-bit random key id does not collide kIdAttemptsMax times");
  return {};
}

std::string IamModel::new_secret() {
  std::string secret;
  for (std::size_t i = 0; i < kSecretChars; ++i) {
    secret.push_back(kSecretAlphabet[keys_rng_.uniform_u64(0, kSecretAlphabet.size() - 1)]);
  }
  return secret;
}

// --- AWS managed policies and the service-linked role -----------------------------------------

void IamModel::install_aws_managed_policies() {
  sim::Rng rng = ctx_.rng().fork("iam.aws-managed-policies");
  for (const AwsManagedPolicyDefinition& def : aws_managed_policies()) {
    ManagedPolicyRecord p;
    p.arn = api::aws_managed_policy_arn(def.path, def.name);
    p.name = std::string(def.name);
    p.path = std::string(def.path);
    p.description = std::string(def.description);
    p.aws_managed = true;
    std::string id = "ANPA";
    for (std::size_t i = 0; i < kUniqueIdSuffixChars; ++i) {
      id.push_back(kIdAlphabet[rng.uniform_u64(0, kIdAlphabet.size() - 1)]);
    }
    p.policy_id = id;
    sim::Result<policy::Policy> compiled =
        policy::parse_policy(def.document, policy::PolicyKind::kIdentity, {.name = p.arn});
    IBSIM_ASSERT(compiled.ok(), "the AWS managed policies ibsim ships are valid");
    p.versions.push_back(ManagedPolicyVersion{
        "v1",
        PolicyDocument{std::string(def.document),
                       std::make_shared<const policy::Policy>(std::move(compiled).value())},
        ctx_.epoch_unix_ms()});
    p.default_version_id = "v1";
    p.create_date = ctx_.epoch_unix_ms();
    p.update_date = p.create_date;
    std::string arn = p.arn;
    managed_policies_.emplace(std::move(arn), std::move(p));
  }
}

void IamModel::create_service_linked_role(AccountRecord& account) {
  api::iam::CreateRoleInput in;
  in.path = std::string(kImageBuilderSlrPath);
  in.role_name = std::string(kImageBuilderSlrName);
  in.assume_role_policy_document = std::string(kServiceLinkedTrust);
  in.description = "Allows EC2 Image Builder to call AWS services on your behalf.";
  sim::Result<const RoleRecord*> role = do_create_role(account, in, Origin::kSeed);
  IBSIM_ASSERT(role.ok(), "the service-linked role is valid and created with its account");
  RoleRecord* r = role_mut(account, kImageBuilderSlrName);
  r->attached_policies.emplace_back(kImageBuilderSlrPolicyArn);
  r->service_linked = true;
}

// --- accounts ---------------------------------------------------------------------------------

sim::Status IamModel::add_account(const api::AccountId& account, std::string_view name) {
  IBSIM_ASSERT(!account.empty(), "AccountId values are built only through validation");
  if (accounts_.contains(account)) {
    return iam_error(ErrorCode::kEntityAlreadyExists,
                     "Account " + account.str() + " already exists in this world.");
  }
  if (accounts_.size() >= IamLimits::kAccountsMax) {
    return iam_error(
        ErrorCode::kLimitExceeded,
        "A world holds at most " + std::to_string(IamLimits::kAccountsMax) + " accounts.");
  }
  if (name.size() > kAccountNameMax) {
    return validation_error(
        "accountName",
        name,
        "Member must have length less than or equal to " + std::to_string(kAccountNameMax));
  }
  AccountRecord& rec = accounts_[account];
  rec.id = account;
  rec.name = std::string(name);
  rec.create_date = ctx_.unix_ms();
  if (options_.create_image_builder_service_linked_role) {
    create_service_linked_role(rec);
  }
  touch();
  ctx_.emit("iam.account.add", {{"account", account.str()}});
  return sim::ok_status();
}

sim::Status IamModel::add_account(std::string_view account_id, std::string_view name) {
  sim::Result<api::AccountId> id = api::parse_account_id(account_id);
  if (!id.ok()) {
    return id.error();
  }
  return add_account(*id, name);
}

bool IamModel::has_account(const api::AccountId& account) const {
  return accounts_.contains(account);
}

std::vector<api::AccountId> IamModel::account_ids() const {
  std::vector<api::AccountId> out;
  out.reserve(accounts_.size());
  for (const auto& [id, rec] : accounts_) {
    out.push_back(id);
  }
  return out;
}

const AccountRecord* IamModel::find_account(const api::AccountId& account) const {
  const auto it = accounts_.find(account);
  return it == accounts_.end() ? nullptr : &it->second;
}

AccountRecord* IamModel::account_mut(const api::AccountId& account) {
  const auto it = accounts_.find(account);
  return it == accounts_.end() ? nullptr : &it->second;
}

RoleRecord* IamModel::role_mut(AccountRecord& account, std::string_view name) {
  const auto it = account.roles.find(lower(name));
  return it == account.roles.end() ? nullptr : &it->second;
}

UserRecord* IamModel::user_mut(AccountRecord& account, std::string_view name) {
  const auto it = account.users.find(lower(name));
  return it == account.users.end() ? nullptr : &it->second;
}

ManagedPolicyRecord* IamModel::managed_policy_mut(std::string_view arn) {
  const auto it = managed_policies_.find(arn);
  return it == managed_policies_.end() ? nullptr : &it->second;
}

// --- lookups ----------------------------------------------------------------------------------

const RoleRecord* IamModel::find_role(const api::AccountId& account, std::string_view name) const {
  const AccountRecord* a = find_account(account);
  if (a == nullptr) {
    return nullptr;
  }
  const auto it = a->roles.find(lower(name));
  return it == a->roles.end() ? nullptr : &it->second;
}

const RoleRecord* IamModel::find_role_by_arn(std::string_view arn) const {
  const std::optional<IamArnParts> parts = parse_iam_arn(arn, "role");
  if (!parts.has_value()) {
    return nullptr;
  }
  const RoleRecord* role = find_role(parts->account, parts->name);
  return role != nullptr && role->arn == arn ? role : nullptr;
}

const UserRecord* IamModel::find_user(const api::AccountId& account, std::string_view name) const {
  const AccountRecord* a = find_account(account);
  if (a == nullptr) {
    return nullptr;
  }
  const auto it = a->users.find(lower(name));
  return it == a->users.end() ? nullptr : &it->second;
}

const UserRecord* IamModel::find_user_by_arn(std::string_view arn) const {
  const std::optional<IamArnParts> parts = parse_iam_arn(arn, "user");
  if (!parts.has_value()) {
    return nullptr;
  }
  const UserRecord* user = find_user(parts->account, parts->name);
  return user != nullptr && user->arn == arn ? user : nullptr;
}

const ManagedPolicyRecord* IamModel::find_managed_policy(std::string_view arn) const {
  const auto it = managed_policies_.find(arn);
  return it == managed_policies_.end() ? nullptr : &it->second;
}

const AccessKeyRecord* IamModel::find_access_key(std::string_view access_key_id) const {
  const auto it = access_keys_.find(access_key_id);
  return it == access_keys_.end() ? nullptr : &it->second;
}

const InstanceProfileRecord* IamModel::find_instance_profile(const api::AccountId& account,
                                                             std::string_view name) const {
  const AccountRecord* a = find_account(account);
  if (a == nullptr) {
    return nullptr;
  }
  const auto it = a->instance_profiles.find(lower(name));
  return it == a->instance_profiles.end() ? nullptr : &it->second;
}

namespace {

template <typename Entity>
IdentityPolicies entity_policies(
    const Entity& e, const std::map<std::string, ManagedPolicyRecord, std::less<>>& mp) {
  IdentityPolicies out;
  out.identity.reserve(e.inline_policies.size() + e.attached_policies.size());
  for (const auto& [name, doc] : e.inline_policies) {
    out.identity.push_back(doc.compiled);
  }
  for (const std::string& arn : e.attached_policies) {
    const auto it = mp.find(arn);
    IBSIM_ASSERT(it != mp.end(), "attached managed policies exist (DeletePolicy refuses)");
    out.identity.push_back(it->second.default_version().document.compiled);
  }
  if (!e.permissions_boundary_arn.empty()) {
    const auto it = mp.find(e.permissions_boundary_arn);
    IBSIM_ASSERT(it != mp.end(), "boundary policies exist (DeletePolicy refuses)");
    out.boundary = it->second.default_version().document.compiled;
  }
  return out;
}

}  // namespace

IdentityPolicies IamModel::role_policies(const RoleRecord& role) const {
  return entity_policies(role, managed_policies_);
}

IdentityPolicies IamModel::user_policies(const UserRecord& user) const {
  return entity_policies(user, managed_policies_);
}

// --- outputs ----------------------------------------------------------------------------------

api::iam::Role IamModel::role_output(const RoleRecord& role) const {
  api::iam::Role r;
  r.path = role.path;
  r.role_name = role.name;
  r.role_id = role.role_id;
  r.arn = role.arn;
  r.create_date = role.create_date;
  r.assume_role_policy_document = role.trust.text;
  r.description = role.description;
  r.max_session_duration = role.max_session_duration;
  r.permissions_boundary = boundary_output(role.permissions_boundary_arn);
  r.tags = role.tags;
  return r;
}

api::iam::User IamModel::user_output(const UserRecord& user) const {
  api::iam::User u;
  u.path = user.path;
  u.user_name = user.name;
  u.user_id = user.user_id;
  u.arn = user.arn;
  u.create_date = user.create_date;
  u.permissions_boundary = boundary_output(user.permissions_boundary_arn);
  u.tags = user.tags;
  return u;
}

int32_t IamModel::attachment_count(const ManagedPolicyRecord& policy,
                                   const AccountRecord* account) const {
  if (account == nullptr) {
    return 0;
  }
  int32_t n = 0;
  for (const auto& [key, role] : account->roles) {
    n += static_cast<int32_t>(
        std::count(role.attached_policies.begin(), role.attached_policies.end(), policy.arn));
  }
  for (const auto& [key, user] : account->users) {
    n += static_cast<int32_t>(
        std::count(user.attached_policies.begin(), user.attached_policies.end(), policy.arn));
  }
  return n;
}

int32_t IamModel::boundary_usage_count(const ManagedPolicyRecord& policy,
                                       const AccountRecord* account) const {
  if (account == nullptr) {
    return 0;
  }
  int32_t n = 0;
  for (const auto& [key, role] : account->roles) {
    n += role.permissions_boundary_arn == policy.arn ? 1 : 0;
  }
  for (const auto& [key, user] : account->users) {
    n += user.permissions_boundary_arn == policy.arn ? 1 : 0;
  }
  return n;
}

api::iam::Policy IamModel::policy_output(const ManagedPolicyRecord& policy,
                                         const AccountRecord* account) const {
  api::iam::Policy p;
  p.policy_name = policy.name;
  p.policy_id = policy.policy_id;
  p.arn = policy.arn;
  p.path = policy.path;
  p.default_version_id = policy.default_version_id;
  // For AWS managed policies the counts are the caller's account's, as IAM reports them.
  p.attachment_count = attachment_count(policy, account);
  p.permissions_boundary_usage_count = boundary_usage_count(policy, account);
  p.is_attachable = true;
  p.description = policy.description;
  p.create_date = policy.create_date;
  p.update_date = policy.update_date;
  p.tags = policy.tags;
  return p;
}

api::iam::InstanceProfile IamModel::instance_profile_output(
    const AccountRecord& account, const InstanceProfileRecord& profile) const {
  api::iam::InstanceProfile out;
  out.path = profile.path;
  out.instance_profile_name = profile.name;
  out.instance_profile_id = profile.instance_profile_id;
  out.arn = profile.arn;
  out.create_date = profile.create_date;
  out.tags = profile.tags;
  for (const std::string& key : profile.roles) {
    const auto it = account.roles.find(key);
    IBSIM_ASSERT(it != account.roles.end(), "roles in a profile exist (DeleteRole refuses)");
    out.roles.push_back(role_output(it->second));
  }
  return out;
}

// --- shared checks ----------------------------------------------------------------------------

sim::Result<AccountRecord*> IamModel::caller_account(const api::CallContext& ctx) {
  AccountRecord* account =
      ctx.principal.account.empty() ? nullptr : account_mut(ctx.principal.account);
  if (account == nullptr) {
    // Deviation from AWS: a caller whose account is not in the world cannot exist in AWS; ibsim
    // answers as IAM does for credentials it does not know.
    return iam_error(ErrorCode::kInvalidClientTokenId,
                     "The security token included in the request is invalid");
  }
  return account;
}

sim::Status IamModel::authorize(const api::CallContext& ctx,
                                std::string_view action,
                                std::string_view resource,
                                std::vector<auth::ContextValue> keys) {
  IBSIM_ASSERT(authorizer_ != nullptr, "the world wires IAM's authorizer before any API call");
  auth::AuthzRequest request;
  request.action = action;
  request.resource = resource;
  request.keys = std::move(keys);
  const auth::AuthzResult result = authorizer_->authorize(ctx, request);
  if (!result.allowed()) {
    return auth::access_denied(
        std::string(error_info(ErrorCode::kAccessDenied).wire_name), 403, result);
  }
  return sim::ok_status();
}

void IamModel::add_resource_tag_keys(const std::vector<Tag>& tags,
                                     std::vector<auth::ContextValue>& keys) {
  for (const Tag& t : tags) {
    keys.push_back({"aws:ResourceTag/" + t.key, {t.value}, false});
    keys.push_back({"iam:ResourceTag/" + t.key, {t.value}, false});
  }
}

void IamModel::add_request_tag_keys(const std::vector<Tag>& tags,
                                    std::vector<auth::ContextValue>& keys) {
  if (tags.empty()) {
    return;
  }
  std::vector<std::string> names;
  for (const Tag& t : tags) {
    keys.push_back({"aws:RequestTag/" + t.key, {t.value}, false});
    names.push_back(t.key);
  }
  keys.push_back({"aws:TagKeys", std::move(names), true});
}

sim::Result<PolicyDocument> IamModel::compile(std::string_view member,
                                              std::string_view text,
                                              policy::PolicyKind kind,
                                              std::string name,
                                              std::size_t max_chars) const {
  if (sim::Status s = validate_policy_document_text(member, text); !s.ok()) {
    return s.error();
  }
  sim::Result<policy::Policy> p =
      policy::parse_policy(text, kind, {.name = std::move(name), .max_size_chars = max_chars});
  if (!p.ok()) {
    return p.error();
  }
  return PolicyDocument{std::string(text),
                        std::make_shared<const policy::Policy>(std::move(p).value())};
}

sim::Status IamModel::check_trust_principals(const policy::Policy& trust) const {
  for (const policy::Statement& st : trust.statements()) {
    for (const policy::PrincipalEntry& e : st.principal.entries) {
      const bool user = e.kind == policy::PrincipalEntryKind::kUser;
      const bool role = e.kind == policy::PrincipalEntryKind::kRole;
      if (!user && !role) {
        continue;
      }
      const std::optional<IamArnParts> parts = parse_iam_arn(e.value, user ? "user" : "role");
      if (!parts.has_value() || !has_account(parts->account)) {
        continue;  // Accounts outside the world are not checked.
      }
      const bool exists =
          user ? find_user_by_arn(e.value) != nullptr : find_role_by_arn(e.value) != nullptr;
      if (!exists) {
        return iam_error(ErrorCode::kMalformedPolicyDocument,
                         "Invalid principal in policy: \"" + e.type_key + "\":\"" + e.text + "\"");
      }
    }
  }
  return sim::ok_status();
}

sim::Result<const ManagedPolicyRecord*> IamModel::attachable_policy(const AccountRecord& account,
                                                                    std::string_view arn,
                                                                    bool boundary) const {
  const auto missing = [&] {
    if (boundary) {
      return iam_error(ErrorCode::kNoSuchEntity,
                       "Scope ARN: " + std::string(arn) + " does not exist or is not attachable.");
    }
    return no_such_policy(arn);
  };
  sim::Result<api::Arn> parsed = api::parse_arn(arn);
  if (!parsed.ok() || parsed->service != "iam" || !parsed->resource.starts_with("policy/")) {
    return iam_error(ErrorCode::kInvalidInput, "ARN " + std::string(arn) + " is not valid.");
  }
  const ManagedPolicyRecord* p = find_managed_policy(arn);
  if (p == nullptr || (!p->aws_managed && p->account != account.id.str())) {
    return missing();
  }
  return p;
}

void IamModel::replace_principal_in_trust_policies(const std::string& arn,
                                                   const std::string& unique_id) {
  using nlohmann::json;
  const auto rewrite = [&](json& value) {
    if (value.is_string() && value.get_ref<const std::string&>() == arn) {
      value = unique_id;
    } else if (value.is_array()) {
      for (json& item : value) {
        if (item.is_string() && item.get_ref<const std::string&>() == arn) {
          item = unique_id;
        }
      }
    }
  };
  for (auto& [account_id, account] : accounts_) {
    for (auto& [key, role] : account.roles) {
      bool names = false;
      for (const policy::Statement& st : role.trust.compiled->statements()) {
        for (const policy::PrincipalEntry& e : st.principal.entries) {
          names = names || e.value == arn;
        }
      }
      if (!names) {
        continue;
      }
      json doc = json::parse(role.trust.text, nullptr, false);
      if (doc.is_discarded() || !doc.contains("Statement")) {
        continue;
      }
      json& statements = doc["Statement"];
      const auto fix_statement = [&](json& st) {
        if (st.is_object() && st.contains("Principal") && st["Principal"].is_object()
            && st["Principal"].contains("AWS")) {
          rewrite(st["Principal"]["AWS"]);
        }
      };
      if (statements.is_array()) {
        for (json& st : statements) {
          fix_statement(st);
        }
      } else {
        fix_statement(statements);
      }
      std::string text = doc.dump(-1, ' ', false, json::error_handler_t::replace);
      sim::Result<policy::Policy> compiled = policy::parse_policy(
          text, policy::PolicyKind::kTrust, {.name = role.trust.compiled->name()});
      if (compiled.ok()) {
        role.trust = PolicyDocument{
            std::move(text), std::make_shared<const policy::Policy>(std::move(compiled).value())};
      }
    }
  }
}

// --- roles ------------------------------------------------------------------------------------

namespace {

sim::Status validate_create_role(const api::iam::CreateRoleInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s;
  }
  if (in.path.has_value()) {
    if (auto s = validate_path("path", *in.path); !s.ok()) {
      return s;
    }
  }
  if (in.description.has_value()) {
    if (auto s = validate_length("description", *in.description, 0, ShapeLimits::kDescriptionMax);
        !s.ok()) {
      return s;
    }
  }
  if (in.max_session_duration.has_value()) {
    if (auto s = validate_range("maxSessionDuration",
                                *in.max_session_duration,
                                ShapeLimits::kMaxSessionDurationMin,
                                ShapeLimits::kMaxSessionDurationMax);
        !s.ok()) {
      return s;
    }
  }
  if (in.permissions_boundary.has_value()) {
    if (auto s = validate_length("permissionsBoundary",
                                 *in.permissions_boundary,
                                 ShapeLimits::kArnMin,
                                 ShapeLimits::kArnMax);
        !s.ok()) {
      return s;
    }
  }
  if (auto s =
          validate_policy_document_text("assumeRolePolicyDocument", in.assume_role_policy_document);
      !s.ok()) {
    return s;
  }
  return validate_tags("tags", in.tags);
}

}  // namespace

sim::Result<const RoleRecord*> IamModel::do_create_role(AccountRecord& account,
                                                        const api::iam::CreateRoleInput& in,
                                                        Origin origin) {
  if (auto s = validate_create_role(in); !s.ok()) {
    return s.error();
  }
  const std::string key = lower(in.role_name);
  if (account.roles.contains(key)) {
    return iam_error(ErrorCode::kEntityAlreadyExists,
                     "Role with name " + in.role_name + " already exists.");
  }
  if (account.roles.size() >= IamLimits::kRolesPerAccount) {
    return iam_error(
        ErrorCode::kLimitExceeded,
        "Cannot exceed quota for RolesPerAccount: " + std::to_string(IamLimits::kRolesPerAccount));
  }
  sim::Result<PolicyDocument> trust = compile("assumeRolePolicyDocument",
                                              in.assume_role_policy_document,
                                              policy::PolicyKind::kTrust,
                                              "trust policy of role " + in.role_name);
  if (!trust.ok()) {
    return trust.error();
  }
  if (origin == Origin::kApi) {
    if (auto s = check_trust_principals(*trust->compiled); !s.ok()) {
      return s.error();
    }
  }
  std::string boundary;
  if (in.permissions_boundary.has_value()) {
    sim::Result<const ManagedPolicyRecord*> p =
        attachable_policy(account, *in.permissions_boundary, true);
    if (!p.ok()) {
      return p.error();
    }
    boundary = (*p)->arn;
  }
  RoleRecord role;
  role.account = account.id;
  role.name = in.role_name;
  role.path = in.path.value_or("/");
  role.arn = api::role_arn(account.id, role.path, role.name);
  role.role_id = new_unique_id("AROA");
  role.description = in.description.value_or("");
  role.create_date = ctx_.unix_ms();
  role.max_session_duration =
      in.max_session_duration.value_or(IamLimits::kDefaultMaxSessionDurationSeconds);
  role.trust = std::move(trust).value();
  role.permissions_boundary_arn = std::move(boundary);
  role.tags = in.tags;
  const auto [it, inserted] = account.roles.emplace(key, std::move(role));
  IBSIM_ASSERT(inserted, "the role name was checked to be free");
  touch();
  ctx_.emit("iam.role.create", {{"account", account.id.str()}, {"role", it->second.name}});
  return &it->second;
}

namespace {

std::string role_resource(const AccountRecord& account, std::string_view name) {
  const auto it = account.roles.find(lower(name));
  return it != account.roles.end() ? it->second.arn : api::role_arn(account.id, "/", name);
}

const std::vector<Tag>* role_tags(const AccountRecord& account, std::string_view name) {
  const auto it = account.roles.find(lower(name));
  return it != account.roles.end() ? &it->second.tags : nullptr;
}

}  // namespace

sim::Result<api::iam::CreateRoleOutput> IamModel::create_role(const api::CallContext& ctx,
                                                              const api::iam::CreateRoleInput& in) {
  if (auto s = validate_create_role(in); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  add_request_tag_keys(in.tags, keys);
  if (in.permissions_boundary.has_value()) {
    keys.push_back({"iam:PermissionsBoundary", {*in.permissions_boundary}, false});
  }
  if (auto s = authorize(ctx,
                         "iam:CreateRole",
                         api::role_arn((*account)->id, in.path.value_or("/"), in.role_name),
                         std::move(keys));
      !s.ok()) {
    return s.error();
  }
  sim::Result<const RoleRecord*> role = do_create_role(**account, in, Origin::kApi);
  if (!role.ok()) {
    return role.error();
  }
  return api::iam::CreateRoleOutput{role_output(**role)};
}

sim::Result<api::iam::Role> IamModel::seed_role(const api::AccountId& account,
                                                const api::iam::CreateRoleInput& in) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Account " + account.str() + " is not part of this world.");
  }
  sim::Result<const RoleRecord*> role = do_create_role(*a, in, Origin::kSeed);
  if (!role.ok()) {
    return role.error();
  }
  return role_output(**role);
}

sim::Result<api::iam::GetRoleOutput> IamModel::get_role(const api::CallContext& ctx,
                                                        const api::iam::GetRoleInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  if (auto s =
          authorize(ctx, "iam:GetRole", role_resource(**account, in.role_name), std::move(keys));
      !s.ok()) {
    return s.error();
  }
  const RoleRecord* role = role_mut(**account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  return api::iam::GetRoleOutput{role_output(*role)};
}

sim::Result<api::iam::DeleteRoleOutput> IamModel::delete_role(const api::CallContext& ctx,
                                                              const api::iam::DeleteRoleInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  if (auto s =
          authorize(ctx, "iam:DeleteRole", role_resource(**account, in.role_name), std::move(keys));
      !s.ok()) {
    return s.error();
  }
  RoleRecord* role = role_mut(**account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  if (role->service_linked) {
    return protected_role(role->name);
  }
  // Unconfirmed: the order in which IAM reports the three conflicts when several apply.
  if (!role->instance_profiles.empty()) {
    return iam_error(ErrorCode::kDeleteConflict,
                     "Cannot delete entity, must remove roles from instance profile first.");
  }
  if (!role->attached_policies.empty()) {
    return iam_error(ErrorCode::kDeleteConflict,
                     "Cannot delete entity, must detach all policies first.");
  }
  if (!role->inline_policies.empty()) {
    return iam_error(ErrorCode::kDeleteConflict,
                     "Cannot delete entity, must delete policies first.");
  }
  const std::string arn = role->arn;
  const std::string role_id = role->role_id;
  const std::string name = role->name;
  (*account)->roles.erase(lower(in.role_name));
  replace_principal_in_trust_policies(arn, role_id);
  touch();
  ctx_.emit("iam.role.delete", {{"account", (*account)->id.str()}, {"role", name}});
  return api::iam::DeleteRoleOutput{};
}

sim::Result<api::iam::ListRolesOutput> IamModel::list_roles(const api::CallContext& ctx,
                                                            const api::iam::ListRolesInput& in) {
  if (in.path_prefix.has_value()) {
    if (auto s = validate_path_prefix("pathPrefix", *in.path_prefix); !s.ok()) {
      return s.error();
    }
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  // Unconfirmed: the resource IAM names in a ListRoles denial.
  const std::string prefix = in.path_prefix.value_or("/");
  if (auto s = authorize(
          ctx, "iam:ListRoles", "arn:aws:iam::" + (*account)->id.str() + ":role" + prefix);
      !s.ok()) {
    return s.error();
  }
  std::vector<const RoleRecord*> matching;
  for (const auto& [key, role] : (*account)->roles) {
    if (role.path.starts_with(prefix)) {
      matching.push_back(&role);
    }
  }
  sim::Result<PageWindow> w = page(matching.size(), in.marker, in.max_items);
  if (!w.ok()) {
    return w.error();
  }
  api::iam::ListRolesOutput out;
  for (std::size_t i = w->begin; i < w->end; ++i) {
    out.roles.push_back(role_output(*matching[i]));
  }
  out.is_truncated = w->truncated;
  out.marker = w->marker;
  return out;
}

sim::Result<api::iam::UpdateAssumeRolePolicyOutput> IamModel::update_assume_role_policy(
    const api::CallContext& ctx, const api::iam::UpdateAssumeRolePolicyInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  if (auto s = validate_policy_document_text("policyDocument", in.policy_document); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  if (auto s = authorize(ctx,
                         "iam:UpdateAssumeRolePolicy",
                         role_resource(**account, in.role_name),
                         std::move(keys));
      !s.ok()) {
    return s.error();
  }
  RoleRecord* role = role_mut(**account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  if (role->service_linked) {
    return protected_role(role->name);
  }
  sim::Result<PolicyDocument> trust = compile("policyDocument",
                                              in.policy_document,
                                              policy::PolicyKind::kTrust,
                                              "trust policy of role " + role->name);
  if (!trust.ok()) {
    return trust.error();
  }
  if (auto s = check_trust_principals(*trust->compiled); !s.ok()) {
    return s.error();
  }
  role->trust = std::move(trust).value();
  touch();
  ctx_.emit("iam.role.update_trust", {{"account", role->account.str()}, {"role", role->name}});
  return api::iam::UpdateAssumeRolePolicyOutput{};
}

sim::Result<api::iam::TagRoleOutput> IamModel::tag_role(const api::CallContext& ctx,
                                                        const api::iam::TagRoleInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  if (auto s = validate_tags("tags", in.tags); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  add_request_tag_keys(in.tags, keys);
  if (auto s =
          authorize(ctx, "iam:TagRole", role_resource(**account, in.role_name), std::move(keys));
      !s.ok()) {
    return s.error();
  }
  RoleRecord* role = role_mut(**account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  std::vector<Tag> merged = role->tags;
  for (const Tag& t : in.tags) {
    const auto it = std::find_if(merged.begin(), merged.end(), [&](const Tag& existing) {
      return lower(existing.key) == lower(t.key);
    });
    if (it != merged.end()) {
      it->value = t.value;
    } else {
      merged.push_back(t);
    }
  }
  if (merged.size() > IamLimits::kTagsPerEntity) {
    // Unconfirmed: IAM's wording for too many tags on a role.
    return iam_error(
        ErrorCode::kLimitExceeded,
        "Cannot exceed quota for TagsPerRole: " + std::to_string(IamLimits::kTagsPerEntity));
  }
  role->tags = std::move(merged);
  touch();
  ctx_.emit("iam.role.tag", {{"account", role->account.str()}, {"role", role->name}});
  return api::iam::TagRoleOutput{};
}

sim::Status IamModel::do_put_role_policy(AccountRecord& account,
                                         const api::iam::PutRolePolicyInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s;
  }
  if (auto s = validate_name("policyName", in.policy_name, ShapeLimits::kPolicyNameMax); !s.ok()) {
    return s;
  }
  RoleRecord* role = role_mut(account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  if (role->service_linked) {
    return protected_role(role->name);
  }
  sim::Result<PolicyDocument> doc = compile("policyDocument",
                                            in.policy_document,
                                            policy::PolicyKind::kIdentity,
                                            "inline:" + in.policy_name,
                                            IamLimits::kInlineRolePolicyCharsTotal);
  if (!doc.ok()) {
    return doc.error();
  }
  std::size_t total = policy_quota_chars(in.policy_document);
  for (const auto& [name, existing] : role->inline_policies) {
    if (name != in.policy_name) {
      total += policy_quota_chars(existing.text);
    }
  }
  if (total > IamLimits::kInlineRolePolicyCharsTotal) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "Maximum policy size of "
                         + std::to_string(IamLimits::kInlineRolePolicyCharsTotal)
                         + " bytes exceeded for role " + role->name);
  }
  if (!role->inline_policies.contains(in.policy_name)
      && role->inline_policies.size() >= IamLimits::kInlinePoliciesPerEntityMax) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "Cannot exceed quota for InlinePoliciesPerRole: "
                         + std::to_string(IamLimits::kInlinePoliciesPerEntityMax));
  }
  role->inline_policies[in.policy_name] = std::move(doc).value();
  touch();
  ctx_.emit("iam.role.put_policy",
            {{"account", role->account.str()}, {"role", role->name}, {"policy", in.policy_name}});
  return sim::ok_status();
}

sim::Result<api::iam::PutRolePolicyOutput> IamModel::put_role_policy(
    const api::CallContext& ctx, const api::iam::PutRolePolicyInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  if (auto s = validate_name("policyName", in.policy_name, ShapeLimits::kPolicyNameMax); !s.ok()) {
    return s.error();
  }
  if (auto s = validate_policy_document_text("policyDocument", in.policy_document); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  if (auto s = authorize(
          ctx, "iam:PutRolePolicy", role_resource(**account, in.role_name), std::move(keys));
      !s.ok()) {
    return s.error();
  }
  if (auto s = do_put_role_policy(**account, in); !s.ok()) {
    return s.error();
  }
  return api::iam::PutRolePolicyOutput{};
}

sim::Status IamModel::seed_put_role_policy(const api::AccountId& account,
                                           const api::iam::PutRolePolicyInput& in) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Account " + account.str() + " is not part of this world.");
  }
  return do_put_role_policy(*a, in);
}

sim::Result<api::iam::GetRolePolicyOutput> IamModel::get_role_policy(
    const api::CallContext& ctx, const api::iam::GetRolePolicyInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  if (auto s = validate_name("policyName", in.policy_name, ShapeLimits::kPolicyNameMax); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  if (auto s = authorize(
          ctx, "iam:GetRolePolicy", role_resource(**account, in.role_name), std::move(keys));
      !s.ok()) {
    return s.error();
  }
  const RoleRecord* role = role_mut(**account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  const auto it = role->inline_policies.find(in.policy_name);
  if (it == role->inline_policies.end()) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "The role policy with name " + in.policy_name + " cannot be found.");
  }
  return api::iam::GetRolePolicyOutput{role->name, it->first, it->second.text};
}

sim::Result<api::iam::DeleteRolePolicyOutput> IamModel::delete_role_policy(
    const api::CallContext& ctx, const api::iam::DeleteRolePolicyInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  if (auto s = validate_name("policyName", in.policy_name, ShapeLimits::kPolicyNameMax); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  if (auto s = authorize(
          ctx, "iam:DeleteRolePolicy", role_resource(**account, in.role_name), std::move(keys));
      !s.ok()) {
    return s.error();
  }
  RoleRecord* role = role_mut(**account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  if (role->service_linked) {
    return protected_role(role->name);
  }
  if (role->inline_policies.erase(in.policy_name) == 0) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "The role policy with name " + in.policy_name + " cannot be found.");
  }
  touch();
  ctx_.emit("iam.role.delete_policy",
            {{"account", role->account.str()}, {"role", role->name}, {"policy", in.policy_name}});
  return api::iam::DeleteRolePolicyOutput{};
}

sim::Result<api::iam::ListRolePoliciesOutput> IamModel::list_role_policies(
    const api::CallContext& ctx, const api::iam::ListRolePoliciesInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  if (auto s = authorize(
          ctx, "iam:ListRolePolicies", role_resource(**account, in.role_name), std::move(keys));
      !s.ok()) {
    return s.error();
  }
  const RoleRecord* role = role_mut(**account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  sim::Result<PageWindow> w = page(role->inline_policies.size(), in.marker, in.max_items);
  if (!w.ok()) {
    return w.error();
  }
  api::iam::ListRolePoliciesOutput out;
  std::size_t i = 0;
  for (const auto& [name, doc] : role->inline_policies) {
    if (i >= w->begin && i < w->end) {
      out.policy_names.push_back(name);
    }
    ++i;
  }
  out.is_truncated = w->truncated;
  out.marker = w->marker;
  return out;
}

sim::Status IamModel::do_attach_role_policy(AccountRecord& account,
                                            const api::iam::AttachRolePolicyInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s;
  }
  if (auto s =
          validate_length("policyArn", in.policy_arn, ShapeLimits::kArnMin, ShapeLimits::kArnMax);
      !s.ok()) {
    return s;
  }
  RoleRecord* role = role_mut(account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  if (role->service_linked) {
    return protected_role(role->name);
  }
  sim::Result<const ManagedPolicyRecord*> p = attachable_policy(account, in.policy_arn, false);
  if (!p.ok()) {
    return p.error();
  }
  if ((*p)->is_service_role_policy()) {
    return iam_error(ErrorCode::kPolicyNotAttachable,
                     "Cannot attach a Service Role Policy to a Customer Role.");
  }
  if (std::find(role->attached_policies.begin(), role->attached_policies.end(), in.policy_arn)
      != role->attached_policies.end()) {
    return sim::ok_status();  // Attaching twice is a no-op.
  }
  if (role->attached_policies.size() >= IamLimits::kManagedPoliciesPerRole) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "Cannot exceed quota for PoliciesPerRole: "
                         + std::to_string(IamLimits::kManagedPoliciesPerRole));
  }
  role->attached_policies.push_back(in.policy_arn);
  touch();
  ctx_.emit("iam.role.attach_policy",
            {{"account", role->account.str()}, {"role", role->name}, {"policy", in.policy_arn}});
  return sim::ok_status();
}

sim::Result<api::iam::AttachRolePolicyOutput> IamModel::attach_role_policy(
    const api::CallContext& ctx, const api::iam::AttachRolePolicyInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  if (auto s =
          validate_length("policyArn", in.policy_arn, ShapeLimits::kArnMin, ShapeLimits::kArnMax);
      !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  keys.push_back({"iam:PolicyARN", {in.policy_arn}, false});
  if (auto s = authorize(
          ctx, "iam:AttachRolePolicy", role_resource(**account, in.role_name), std::move(keys));
      !s.ok()) {
    return s.error();
  }
  if (auto s = do_attach_role_policy(**account, in); !s.ok()) {
    return s.error();
  }
  return api::iam::AttachRolePolicyOutput{};
}

sim::Status IamModel::seed_attach_role_policy(const api::AccountId& account,
                                              const api::iam::AttachRolePolicyInput& in) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Account " + account.str() + " is not part of this world.");
  }
  return do_attach_role_policy(*a, in);
}

sim::Result<api::iam::DetachRolePolicyOutput> IamModel::detach_role_policy(
    const api::CallContext& ctx, const api::iam::DetachRolePolicyInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  if (auto s =
          validate_length("policyArn", in.policy_arn, ShapeLimits::kArnMin, ShapeLimits::kArnMax);
      !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  keys.push_back({"iam:PolicyARN", {in.policy_arn}, false});
  if (auto s = authorize(
          ctx, "iam:DetachRolePolicy", role_resource(**account, in.role_name), std::move(keys));
      !s.ok()) {
    return s.error();
  }
  RoleRecord* role = role_mut(**account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  if (role->service_linked) {
    return protected_role(role->name);
  }
  if (!api::looks_like_arn(in.policy_arn)) {
    return iam_error(ErrorCode::kInvalidInput, "ARN " + in.policy_arn + " is not valid.");
  }
  const auto it =
      std::find(role->attached_policies.begin(), role->attached_policies.end(), in.policy_arn);
  if (it == role->attached_policies.end()) {
    return iam_error(ErrorCode::kNoSuchEntity, "Policy " + in.policy_arn + " was not found.");
  }
  role->attached_policies.erase(it);
  touch();
  ctx_.emit("iam.role.detach_policy",
            {{"account", role->account.str()}, {"role", role->name}, {"policy", in.policy_arn}});
  return api::iam::DetachRolePolicyOutput{};
}

sim::Result<api::iam::ListAttachedRolePoliciesOutput> IamModel::list_attached_role_policies(
    const api::CallContext& ctx, const api::iam::ListAttachedRolePoliciesInput& in) {
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  if (in.path_prefix.has_value()) {
    if (auto s = validate_policy_path("pathPrefix", *in.path_prefix); !s.ok()) {
      return s.error();
    }
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = role_tags(**account, in.role_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  if (auto s = authorize(ctx,
                         "iam:ListAttachedRolePolicies",
                         role_resource(**account, in.role_name),
                         std::move(keys));
      !s.ok()) {
    return s.error();
  }
  const RoleRecord* role = role_mut(**account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  std::vector<const ManagedPolicyRecord*> matching;
  for (const std::string& arn : role->attached_policies) {
    const ManagedPolicyRecord* p = find_managed_policy(arn);
    IBSIM_ASSERT(p != nullptr, "attached managed policies exist (DeletePolicy refuses)");
    if (p->path.starts_with(in.path_prefix.value_or("/"))) {
      matching.push_back(p);
    }
  }
  sim::Result<PageWindow> w = page(matching.size(), in.marker, in.max_items);
  if (!w.ok()) {
    return w.error();
  }
  api::iam::ListAttachedRolePoliciesOutput out;
  for (std::size_t i = w->begin; i < w->end; ++i) {
    out.attached_policies.push_back({matching[i]->name, matching[i]->arn});
  }
  out.is_truncated = w->truncated;
  out.marker = w->marker;
  return out;
}

// --- managed policies -------------------------------------------------------------------------

namespace {

sim::Status validate_create_policy(const api::iam::CreatePolicyInput& in) {
  if (auto s = validate_name("policyName", in.policy_name, ShapeLimits::kPolicyNameMax); !s.ok()) {
    return s;
  }
  if (in.path.has_value()) {
    if (auto s = validate_policy_path("path", *in.path); !s.ok()) {
      return s;
    }
  }
  if (in.description.has_value()) {
    if (auto s = validate_length("description", *in.description, 0, ShapeLimits::kDescriptionMax);
        !s.ok()) {
      return s;
    }
  }
  if (auto s = validate_policy_document_text("policyDocument", in.policy_document); !s.ok()) {
    return s;
  }
  return validate_tags("tags", in.tags);
}

}  // namespace

sim::Result<const ManagedPolicyRecord*> IamModel::do_create_policy(
    AccountRecord& account, const api::iam::CreatePolicyInput& in) {
  if (auto s = validate_create_policy(in); !s.ok()) {
    return s.error();
  }
  const std::string key = lower(in.policy_name);
  if (account.customer_policy_arns.contains(key)) {
    // Unconfirmed: IAM's wording for a duplicate policy name.
    return iam_error(
        ErrorCode::kEntityAlreadyExists,
        "A policy called " + in.policy_name + " already exists. Duplicate names are not allowed.");
  }
  if (account.customer_policy_arns.size() >= IamLimits::kCustomerPoliciesPerAccount) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "Cannot exceed quota for PoliciesPerAccount: "
                         + std::to_string(IamLimits::kCustomerPoliciesPerAccount));
  }
  const std::string path = in.path.value_or("/");
  const std::string arn = api::policy_arn(account.id, path, in.policy_name);
  sim::Result<PolicyDocument> doc =
      compile("policyDocument", in.policy_document, policy::PolicyKind::kIdentity, arn);
  if (!doc.ok()) {
    return doc.error();
  }
  ManagedPolicyRecord p;
  p.arn = arn;
  p.name = in.policy_name;
  p.path = path;
  p.policy_id = new_unique_id("ANPA");
  p.description = in.description.value_or("");
  p.account = account.id.str();
  p.create_date = ctx_.unix_ms();
  p.update_date = p.create_date;
  p.versions.push_back(ManagedPolicyVersion{"v1", std::move(doc).value(), p.create_date});
  p.default_version_id = "v1";
  p.tags = in.tags;
  account.customer_policy_arns.emplace(key, arn);
  const auto [it, inserted] = managed_policies_.emplace(arn, std::move(p));
  IBSIM_ASSERT(inserted, "customer policy ARNs are unique when their names are");
  touch();
  ctx_.emit("iam.policy.create", {{"account", account.id.str()}, {"policy", arn}});
  return &it->second;
}

sim::Result<api::iam::CreatePolicyOutput> IamModel::create_policy(
    const api::CallContext& ctx, const api::iam::CreatePolicyInput& in) {
  if (auto s = validate_create_policy(in); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  add_request_tag_keys(in.tags, keys);
  if (auto s = authorize(ctx,
                         "iam:CreatePolicy",
                         api::policy_arn((*account)->id, in.path.value_or("/"), in.policy_name),
                         std::move(keys));
      !s.ok()) {
    return s.error();
  }
  sim::Result<const ManagedPolicyRecord*> p = do_create_policy(**account, in);
  if (!p.ok()) {
    return p.error();
  }
  return api::iam::CreatePolicyOutput{policy_output(**p, *account)};
}

sim::Result<api::iam::Policy> IamModel::seed_policy(const api::AccountId& account,
                                                    const api::iam::CreatePolicyInput& in) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Account " + account.str() + " is not part of this world.");
  }
  sim::Result<const ManagedPolicyRecord*> p = do_create_policy(*a, in);
  if (!p.ok()) {
    return p.error();
  }
  return policy_output(**p, a);
}

sim::Result<api::iam::GetPolicyOutput> IamModel::get_policy(const api::CallContext& ctx,
                                                            const api::iam::GetPolicyInput& in) {
  if (auto s =
          validate_length("policyArn", in.policy_arn, ShapeLimits::kArnMin, ShapeLimits::kArnMax);
      !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = authorize(ctx, "iam:GetPolicy", in.policy_arn); !s.ok()) {
    return s.error();
  }
  sim::Result<const ManagedPolicyRecord*> p = attachable_policy(**account, in.policy_arn, false);
  if (!p.ok()) {
    return p.error();
  }
  return api::iam::GetPolicyOutput{policy_output(**p, *account)};
}

sim::Result<api::iam::PolicyVersion> IamModel::do_create_policy_version(
    AccountRecord& account, const api::iam::CreatePolicyVersionInput& in) {
  if (auto s =
          validate_length("policyArn", in.policy_arn, ShapeLimits::kArnMin, ShapeLimits::kArnMax);
      !s.ok()) {
    return s.error();
  }
  if (auto s = validate_policy_document_text("policyDocument", in.policy_document); !s.ok()) {
    return s.error();
  }
  sim::Result<const ManagedPolicyRecord*> found = attachable_policy(account, in.policy_arn, false);
  if (!found.ok()) {
    return found.error();
  }
  ManagedPolicyRecord* p = managed_policy_mut(in.policy_arn);
  IBSIM_ASSERT(p != nullptr, "attachable_policy found it");
  if (p->versions.size() >= IamLimits::kPolicyVersionsMax) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "A managed policy can have up to "
                         + std::to_string(IamLimits::kPolicyVersionsMax)
                         + " versions. Before you create a new version, you must delete an "
                           "existing version.");
  }
  sim::Result<PolicyDocument> doc =
      compile("policyDocument", in.policy_document, policy::PolicyKind::kIdentity, p->arn);
  if (!doc.ok()) {
    return doc.error();
  }
  ManagedPolicyVersion v;
  v.version_id = "v" + std::to_string(p->next_version++);
  v.document = std::move(doc).value();
  v.create_date = ctx_.unix_ms();
  const bool make_default = in.set_as_default.value_or(false);
  if (make_default) {
    p->default_version_id = v.version_id;
  }
  p->update_date = v.create_date;
  api::iam::PolicyVersion out{v.document.text, v.version_id, make_default, v.create_date};
  p->versions.push_back(std::move(v));
  touch();
  ctx_.emit("iam.policy.create_version", {{"policy", p->arn}, {"version", out.version_id}});
  return out;
}

sim::Result<api::iam::CreatePolicyVersionOutput> IamModel::create_policy_version(
    const api::CallContext& ctx, const api::iam::CreatePolicyVersionInput& in) {
  if (auto s =
          validate_length("policyArn", in.policy_arn, ShapeLimits::kArnMin, ShapeLimits::kArnMax);
      !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = authorize(ctx, "iam:CreatePolicyVersion", in.policy_arn); !s.ok()) {
    return s.error();
  }
  if (const ManagedPolicyRecord* p = find_managed_policy(in.policy_arn);
      p != nullptr && p->aws_managed) {
    return aws_managed_read_only(ctx, "iam:CreatePolicyVersion", in.policy_arn);
  }
  sim::Result<api::iam::PolicyVersion> v = do_create_policy_version(**account, in);
  if (!v.ok()) {
    return v.error();
  }
  return api::iam::CreatePolicyVersionOutput{std::move(v).value()};
}

sim::Result<api::iam::PolicyVersion> IamModel::seed_policy_version(
    const api::AccountId& account, const api::iam::CreatePolicyVersionInput& in) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Account " + account.str() + " is not part of this world.");
  }
  if (const ManagedPolicyRecord* p = find_managed_policy(in.policy_arn);
      p != nullptr && p->aws_managed) {
    return iam_error(ErrorCode::kInvalidInput, "AWS managed policies cannot be changed.");
  }
  return do_create_policy_version(*a, in);
}

sim::Result<api::iam::GetPolicyVersionOutput> IamModel::get_policy_version(
    const api::CallContext& ctx, const api::iam::GetPolicyVersionInput& in) {
  if (auto s =
          validate_length("policyArn", in.policy_arn, ShapeLimits::kArnMin, ShapeLimits::kArnMax);
      !s.ok()) {
    return s.error();
  }
  if (!valid_version_id(in.version_id)) {
    return validation_error(
        "versionId",
        in.version_id,
        R"(Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?)");
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = authorize(ctx, "iam:GetPolicyVersion", in.policy_arn); !s.ok()) {
    return s.error();
  }
  sim::Result<const ManagedPolicyRecord*> p = attachable_policy(**account, in.policy_arn, false);
  if (!p.ok()) {
    return p.error();
  }
  for (const ManagedPolicyVersion& v : (*p)->versions) {
    if (v.version_id == in.version_id) {
      return api::iam::GetPolicyVersionOutput{api::iam::PolicyVersion{
          v.document.text, v.version_id, v.version_id == (*p)->default_version_id, v.create_date}};
    }
  }
  // Unconfirmed: IAM's wording for a missing version.
  return iam_error(ErrorCode::kNoSuchEntity,
                   "Policy " + in.policy_arn + " version " + in.version_id
                       + " does not exist or is not attachable.");
}

sim::Result<api::iam::DeletePolicyVersionOutput> IamModel::delete_policy_version(
    const api::CallContext& ctx, const api::iam::DeletePolicyVersionInput& in) {
  if (auto s =
          validate_length("policyArn", in.policy_arn, ShapeLimits::kArnMin, ShapeLimits::kArnMax);
      !s.ok()) {
    return s.error();
  }
  if (!valid_version_id(in.version_id)) {
    return validation_error(
        "versionId",
        in.version_id,
        R"(Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?)");
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = authorize(ctx, "iam:DeletePolicyVersion", in.policy_arn); !s.ok()) {
    return s.error();
  }
  sim::Result<const ManagedPolicyRecord*> found =
      attachable_policy(**account, in.policy_arn, false);
  if (!found.ok()) {
    return found.error();
  }
  if ((*found)->aws_managed) {
    return aws_managed_read_only(ctx, "iam:DeletePolicyVersion", in.policy_arn);
  }
  ManagedPolicyRecord* p = managed_policy_mut(in.policy_arn);
  if (p->default_version_id == in.version_id) {
    // Unconfirmed: IAM's wording for deleting the default version.
    return iam_error(ErrorCode::kDeleteConflict, "Cannot delete the default version of a policy.");
  }
  const auto it = std::find_if(p->versions.begin(), p->versions.end(), [&](const auto& v) {
    return v.version_id == in.version_id;
  });
  if (it == p->versions.end()) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Policy " + in.policy_arn + " version " + in.version_id
                         + " does not exist or is not attachable.");
  }
  p->versions.erase(it);
  touch();
  ctx_.emit("iam.policy.delete_version", {{"policy", p->arn}, {"version", in.version_id}});
  return api::iam::DeletePolicyVersionOutput{};
}

sim::Result<api::iam::DeletePolicyOutput> IamModel::delete_policy(
    const api::CallContext& ctx, const api::iam::DeletePolicyInput& in) {
  if (auto s =
          validate_length("policyArn", in.policy_arn, ShapeLimits::kArnMin, ShapeLimits::kArnMax);
      !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = authorize(ctx, "iam:DeletePolicy", in.policy_arn); !s.ok()) {
    return s.error();
  }
  sim::Result<const ManagedPolicyRecord*> found =
      attachable_policy(**account, in.policy_arn, false);
  if (!found.ok()) {
    return found.error();
  }
  const ManagedPolicyRecord& p = **found;
  if (p.aws_managed) {
    return aws_managed_read_only(ctx, "iam:DeletePolicy", in.policy_arn);
  }
  if (attachment_count(p, *account) > 0 || boundary_usage_count(p, *account) > 0) {
    return iam_error(ErrorCode::kDeleteConflict, "Cannot delete a policy attached to entities.");
  }
  if (p.versions.size() > 1) {
    return iam_error(ErrorCode::kDeleteConflict,
                     "This policy has more than one version. Before you delete a policy, you "
                     "must delete the policy's versions. The default version is deleted with "
                     "the policy.");
  }
  (*account)->customer_policy_arns.erase(lower(p.name));
  const std::string arn = p.arn;
  managed_policies_.erase(arn);
  touch();
  ctx_.emit("iam.policy.delete", {{"account", (*account)->id.str()}, {"policy", arn}});
  return api::iam::DeletePolicyOutput{};
}

// --- users and access keys --------------------------------------------------------------------

namespace {

sim::Status validate_create_user(const api::iam::CreateUserInput& in) {
  if (auto s = validate_name("userName", in.user_name, ShapeLimits::kUserNameMax); !s.ok()) {
    return s;
  }
  if (in.path.has_value()) {
    if (auto s = validate_path("path", *in.path); !s.ok()) {
      return s;
    }
  }
  if (in.permissions_boundary.has_value()) {
    if (auto s = validate_length("permissionsBoundary",
                                 *in.permissions_boundary,
                                 ShapeLimits::kArnMin,
                                 ShapeLimits::kArnMax);
        !s.ok()) {
      return s;
    }
  }
  return validate_tags("tags", in.tags);
}

sim::AwsError needs_user_name() {
  return iam_error(ErrorCode::kValidationError,
                   "Must specify userName when calling with non-User credentials");
}

}  // namespace

sim::Result<const UserRecord*> IamModel::do_create_user(AccountRecord& account,
                                                        const api::iam::CreateUserInput& in) {
  if (auto s = validate_create_user(in); !s.ok()) {
    return s.error();
  }
  const std::string key = lower(in.user_name);
  if (account.users.contains(key)) {
    return iam_error(ErrorCode::kEntityAlreadyExists,
                     "User with name " + in.user_name + " already exists.");
  }
  if (account.users.size() >= IamLimits::kUsersPerAccount) {
    return iam_error(
        ErrorCode::kLimitExceeded,
        "Cannot exceed quota for UsersPerAccount: " + std::to_string(IamLimits::kUsersPerAccount));
  }
  std::string boundary;
  if (in.permissions_boundary.has_value()) {
    sim::Result<const ManagedPolicyRecord*> p =
        attachable_policy(account, *in.permissions_boundary, true);
    if (!p.ok()) {
      return p.error();
    }
    boundary = (*p)->arn;
  }
  UserRecord user;
  user.account = account.id;
  user.name = in.user_name;
  user.path = in.path.value_or("/");
  user.arn = api::user_arn(account.id, user.path, user.name);
  user.user_id = new_unique_id("AIDA");
  user.create_date = ctx_.unix_ms();
  user.permissions_boundary_arn = std::move(boundary);
  user.tags = in.tags;
  const auto [it, inserted] = account.users.emplace(key, std::move(user));
  IBSIM_ASSERT(inserted, "the user name was checked to be free");
  touch();
  ctx_.emit("iam.user.create", {{"account", account.id.str()}, {"user", it->second.name}});
  return &it->second;
}

sim::Result<api::iam::CreateUserOutput> IamModel::create_user(const api::CallContext& ctx,
                                                              const api::iam::CreateUserInput& in) {
  if (auto s = validate_create_user(in); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  add_request_tag_keys(in.tags, keys);
  if (in.permissions_boundary.has_value()) {
    keys.push_back({"iam:PermissionsBoundary", {*in.permissions_boundary}, false});
  }
  if (auto s = authorize(ctx,
                         "iam:CreateUser",
                         api::user_arn((*account)->id, in.path.value_or("/"), in.user_name),
                         std::move(keys));
      !s.ok()) {
    return s.error();
  }
  sim::Result<const UserRecord*> user = do_create_user(**account, in);
  if (!user.ok()) {
    return user.error();
  }
  return api::iam::CreateUserOutput{user_output(**user)};
}

sim::Result<api::iam::User> IamModel::seed_user(const api::AccountId& account,
                                                const api::iam::CreateUserInput& in) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Account " + account.str() + " is not part of this world.");
  }
  sim::Result<const UserRecord*> user = do_create_user(*a, in);
  if (!user.ok()) {
    return user.error();
  }
  return user_output(**user);
}

namespace {

std::string user_resource(const AccountRecord& account, std::string_view name) {
  const auto it = account.users.find(lower(name));
  return it != account.users.end() ? it->second.arn : api::user_arn(account.id, "/", name);
}

const std::vector<Tag>* user_tags(const AccountRecord& account, std::string_view name) {
  const auto it = account.users.find(lower(name));
  return it != account.users.end() ? &it->second.tags : nullptr;
}

sim::Status validate_user_and_policy_names(std::string_view user_name,
                                           std::string_view policy_name) {
  if (auto s = validate_name("userName", user_name, ShapeLimits::kExistingUserNameMax); !s.ok()) {
    return s;
  }
  return validate_name("policyName", policy_name, ShapeLimits::kPolicyNameMax);
}

sim::Status validate_user_and_policy_arn(std::string_view user_name, std::string_view policy_arn) {
  if (auto s = validate_name("userName", user_name, ShapeLimits::kExistingUserNameMax); !s.ok()) {
    return s;
  }
  return validate_length("policyArn", policy_arn, ShapeLimits::kArnMin, ShapeLimits::kArnMax);
}

sim::AwsError no_such_user_policy(std::string_view name) {
  return iam_error(ErrorCode::kNoSuchEntity,
                   "The user policy with name " + std::string(name) + " cannot be found.");
}

}  // namespace

sim::Status IamModel::do_put_user_policy(AccountRecord& account,
                                         const api::iam::PutUserPolicyInput& in) {
  if (auto s = validate_user_and_policy_names(in.user_name, in.policy_name); !s.ok()) {
    return s;
  }
  UserRecord* user = user_mut(account, in.user_name);
  if (user == nullptr) {
    return no_such_user(in.user_name);
  }
  sim::Result<PolicyDocument> doc = compile("policyDocument",
                                            in.policy_document,
                                            policy::PolicyKind::kIdentity,
                                            "inline:" + in.policy_name,
                                            IamLimits::kInlineUserPolicyCharsTotal);
  if (!doc.ok()) {
    return doc.error();
  }
  std::size_t total = policy_quota_chars(in.policy_document);
  for (const auto& [name, existing] : user->inline_policies) {
    if (name != in.policy_name) {
      total += policy_quota_chars(existing.text);
    }
  }
  if (total > IamLimits::kInlineUserPolicyCharsTotal) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "Maximum policy size of "
                         + std::to_string(IamLimits::kInlineUserPolicyCharsTotal)
                         + " bytes exceeded for user " + user->name);
  }
  if (!user->inline_policies.contains(in.policy_name)
      && user->inline_policies.size() >= IamLimits::kInlinePoliciesPerEntityMax) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "Cannot exceed quota for InlinePoliciesPerUser: "
                         + std::to_string(IamLimits::kInlinePoliciesPerEntityMax));
  }
  user->inline_policies[in.policy_name] = std::move(doc).value();
  touch();
  ctx_.emit("iam.user.put_policy",
            {{"account", user->account.str()}, {"user", user->name}, {"policy", in.policy_name}});
  return sim::ok_status();
}

sim::Status IamModel::do_attach_user_policy(AccountRecord& account,
                                            const api::iam::AttachUserPolicyInput& in) {
  if (auto s = validate_user_and_policy_arn(in.user_name, in.policy_arn); !s.ok()) {
    return s;
  }
  UserRecord* user = user_mut(account, in.user_name);
  if (user == nullptr) {
    return no_such_user(in.user_name);
  }
  sim::Result<const ManagedPolicyRecord*> p = attachable_policy(account, in.policy_arn, false);
  if (!p.ok()) {
    return p.error();
  }
  if ((*p)->is_service_role_policy()) {
    return iam_error(ErrorCode::kPolicyNotAttachable,
                     "Cannot attach a Service Role Policy to a Customer User.");
  }
  if (std::find(user->attached_policies.begin(), user->attached_policies.end(), in.policy_arn)
      != user->attached_policies.end()) {
    return sim::ok_status();  // Attaching twice is a no-op.
  }
  if (user->attached_policies.size() >= IamLimits::kManagedPoliciesPerUser) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "Cannot exceed quota for PoliciesPerUser: "
                         + std::to_string(IamLimits::kManagedPoliciesPerUser));
  }
  user->attached_policies.push_back(in.policy_arn);
  touch();
  ctx_.emit("iam.user.attach_policy",
            {{"account", user->account.str()}, {"user", user->name}, {"policy", in.policy_arn}});
  return sim::ok_status();
}

sim::Status IamModel::seed_put_user_policy(const api::AccountId& account,
                                           std::string_view user_name,
                                           std::string_view policy_name,
                                           std::string_view document) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return no_such_user(user_name);
  }
  return do_put_user_policy(
      *a, {std::string(user_name), std::string(policy_name), std::string(document)});
}

sim::Status IamModel::seed_attach_user_policy(const api::AccountId& account,
                                              std::string_view user_name,
                                              std::string_view policy_arn) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return no_such_user(user_name);
  }
  return do_attach_user_policy(*a, {std::string(user_name), std::string(policy_arn)});
}

sim::Result<AccountRecord*> IamModel::authorize_on_user(const api::CallContext& ctx,
                                                        std::string_view action,
                                                        std::string_view user_name,
                                                        const std::string* policy_arn) {
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  if (const auto* tags = user_tags(**account, user_name)) {
    add_resource_tag_keys(*tags, keys);
  }
  if (policy_arn != nullptr) {
    keys.push_back({"iam:PolicyARN", {*policy_arn}, false});
  }
  if (auto s = authorize(ctx, action, user_resource(**account, user_name), std::move(keys));
      !s.ok()) {
    return s.error();
  }
  return account;
}

sim::Result<api::iam::PutUserPolicyOutput> IamModel::put_user_policy(
    const api::CallContext& ctx, const api::iam::PutUserPolicyInput& in) {
  if (auto s = validate_user_and_policy_names(in.user_name, in.policy_name); !s.ok()) {
    return s.error();
  }
  if (auto s = validate_policy_document_text("policyDocument", in.policy_document); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = authorize_on_user(ctx, "iam:PutUserPolicy", in.user_name);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = do_put_user_policy(**account, in); !s.ok()) {
    return s.error();
  }
  return api::iam::PutUserPolicyOutput{};
}

sim::Result<api::iam::GetUserPolicyOutput> IamModel::get_user_policy(
    const api::CallContext& ctx, const api::iam::GetUserPolicyInput& in) {
  if (auto s = validate_user_and_policy_names(in.user_name, in.policy_name); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = authorize_on_user(ctx, "iam:GetUserPolicy", in.user_name);
  if (!account.ok()) {
    return account.error();
  }
  const UserRecord* user = user_mut(**account, in.user_name);
  if (user == nullptr) {
    return no_such_user(in.user_name);
  }
  const auto it = user->inline_policies.find(in.policy_name);
  if (it == user->inline_policies.end()) {
    return no_such_user_policy(in.policy_name);
  }
  return api::iam::GetUserPolicyOutput{user->name, it->first, it->second.text};
}

sim::Result<api::iam::DeleteUserPolicyOutput> IamModel::delete_user_policy(
    const api::CallContext& ctx, const api::iam::DeleteUserPolicyInput& in) {
  if (auto s = validate_user_and_policy_names(in.user_name, in.policy_name); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account =
      authorize_on_user(ctx, "iam:DeleteUserPolicy", in.user_name);
  if (!account.ok()) {
    return account.error();
  }
  UserRecord* user = user_mut(**account, in.user_name);
  if (user == nullptr) {
    return no_such_user(in.user_name);
  }
  if (user->inline_policies.erase(in.policy_name) == 0) {
    return no_such_user_policy(in.policy_name);
  }
  touch();
  ctx_.emit("iam.user.delete_policy",
            {{"account", user->account.str()}, {"user", user->name}, {"policy", in.policy_name}});
  return api::iam::DeleteUserPolicyOutput{};
}

sim::Result<api::iam::ListUserPoliciesOutput> IamModel::list_user_policies(
    const api::CallContext& ctx, const api::iam::ListUserPoliciesInput& in) {
  if (auto s = validate_name("userName", in.user_name, ShapeLimits::kExistingUserNameMax);
      !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account =
      authorize_on_user(ctx, "iam:ListUserPolicies", in.user_name);
  if (!account.ok()) {
    return account.error();
  }
  const UserRecord* user = user_mut(**account, in.user_name);
  if (user == nullptr) {
    return no_such_user(in.user_name);
  }
  sim::Result<PageWindow> w = page(user->inline_policies.size(), in.marker, in.max_items);
  if (!w.ok()) {
    return w.error();
  }
  api::iam::ListUserPoliciesOutput out;
  std::size_t i = 0;
  for (const auto& [name, doc] : user->inline_policies) {
    if (i >= w->begin && i < w->end) {
      out.policy_names.push_back(name);
    }
    ++i;
  }
  out.is_truncated = w->truncated;
  out.marker = w->marker;
  return out;
}

sim::Result<api::iam::AttachUserPolicyOutput> IamModel::attach_user_policy(
    const api::CallContext& ctx, const api::iam::AttachUserPolicyInput& in) {
  if (auto s = validate_user_and_policy_arn(in.user_name, in.policy_arn); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account =
      authorize_on_user(ctx, "iam:AttachUserPolicy", in.user_name, &in.policy_arn);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = do_attach_user_policy(**account, in); !s.ok()) {
    return s.error();
  }
  return api::iam::AttachUserPolicyOutput{};
}

sim::Result<api::iam::DetachUserPolicyOutput> IamModel::detach_user_policy(
    const api::CallContext& ctx, const api::iam::DetachUserPolicyInput& in) {
  if (auto s = validate_user_and_policy_arn(in.user_name, in.policy_arn); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account =
      authorize_on_user(ctx, "iam:DetachUserPolicy", in.user_name, &in.policy_arn);
  if (!account.ok()) {
    return account.error();
  }
  UserRecord* user = user_mut(**account, in.user_name);
  if (user == nullptr) {
    return no_such_user(in.user_name);
  }
  if (!api::looks_like_arn(in.policy_arn)) {
    return iam_error(ErrorCode::kInvalidInput, "ARN " + in.policy_arn + " is not valid.");
  }
  const auto it =
      std::find(user->attached_policies.begin(), user->attached_policies.end(), in.policy_arn);
  if (it == user->attached_policies.end()) {
    return iam_error(ErrorCode::kNoSuchEntity, "Policy " + in.policy_arn + " was not found.");
  }
  user->attached_policies.erase(it);
  touch();
  ctx_.emit("iam.user.detach_policy",
            {{"account", user->account.str()}, {"user", user->name}, {"policy", in.policy_arn}});
  return api::iam::DetachUserPolicyOutput{};
}

sim::Result<api::iam::ListAttachedUserPoliciesOutput> IamModel::list_attached_user_policies(
    const api::CallContext& ctx, const api::iam::ListAttachedUserPoliciesInput& in) {
  if (auto s = validate_name("userName", in.user_name, ShapeLimits::kExistingUserNameMax);
      !s.ok()) {
    return s.error();
  }
  if (in.path_prefix.has_value()) {
    if (auto s = validate_policy_path("pathPrefix", *in.path_prefix); !s.ok()) {
      return s.error();
    }
  }
  sim::Result<AccountRecord*> account =
      authorize_on_user(ctx, "iam:ListAttachedUserPolicies", in.user_name);
  if (!account.ok()) {
    return account.error();
  }
  const UserRecord* user = user_mut(**account, in.user_name);
  if (user == nullptr) {
    return no_such_user(in.user_name);
  }
  std::vector<const ManagedPolicyRecord*> matching;
  for (const std::string& arn : user->attached_policies) {
    const ManagedPolicyRecord* p = find_managed_policy(arn);
    IBSIM_ASSERT(p != nullptr, "attached managed policies exist (DeletePolicy refuses)");
    if (p->path.starts_with(in.path_prefix.value_or("/"))) {
      matching.push_back(p);
    }
  }
  sim::Result<PageWindow> w = page(matching.size(), in.marker, in.max_items);
  if (!w.ok()) {
    return w.error();
  }
  api::iam::ListAttachedUserPoliciesOutput out;
  for (std::size_t i = w->begin; i < w->end; ++i) {
    out.attached_policies.push_back({matching[i]->name, matching[i]->arn});
  }
  out.is_truncated = w->truncated;
  out.marker = w->marker;
  return out;
}

sim::Result<api::iam::GetUserOutput> IamModel::get_user(const api::CallContext& ctx,
                                                        const api::iam::GetUserInput& in) {
  if (in.user_name.has_value()) {
    if (auto s = validate_name("userName", *in.user_name, ShapeLimits::kExistingUserNameMax);
        !s.ok()) {
      return s.error();
    }
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  AccountRecord& a = **account;
  const api::Principal& p = ctx.principal;
  if (!in.user_name.has_value()) {
    if (p.kind == api::PrincipalKind::kRoot) {
      if (auto s = authorize(ctx, "iam:GetUser", p.arn); !s.ok()) {
        return s.error();
      }
      api::iam::User root;
      root.path = "/";
      root.user_id = a.id.str();
      root.arn = p.arn;
      root.create_date = a.create_date;
      return api::iam::GetUserOutput{std::move(root)};
    }
    if (p.kind != api::PrincipalKind::kUser) {
      return needs_user_name();
    }
  }
  const std::string name = in.user_name.value_or(p.name);
  const UserRecord* existing = user_mut(a, name);
  const std::string resource = existing != nullptr ? existing->arn : api::user_arn(a.id, "/", name);
  std::vector<auth::ContextValue> keys;
  if (existing != nullptr) {
    add_resource_tag_keys(existing->tags, keys);
  }
  if (auto s = authorize(ctx, "iam:GetUser", resource, std::move(keys)); !s.ok()) {
    return s.error();
  }
  if (existing == nullptr) {
    return no_such_user(name);
  }
  return api::iam::GetUserOutput{user_output(*existing)};
}

sim::Result<api::iam::AccessKey> IamModel::do_create_access_key(AccountRecord& account,
                                                                std::string_view user_name,
                                                                std::string_view access_key_id,
                                                                std::string_view secret) {
  std::vector<std::string>* keys = &account.root_access_key_ids;
  std::string owner_name;
  if (!user_name.empty()) {
    UserRecord* user = user_mut(account, user_name);
    if (user == nullptr) {
      return no_such_user(user_name);
    }
    keys = &user->access_key_ids;
    owner_name = user->name;
  }
  if (keys->size() >= IamLimits::kAccessKeysPerUser) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "Cannot exceed quota for AccessKeysPerUser: "
                         + std::to_string(IamLimits::kAccessKeysPerUser));
  }
  AccessKeyRecord rec;
  rec.account = account.id;
  rec.user_name = owner_name;
  rec.access_key_id = access_key_id.empty() ? new_access_key_id() : std::string(access_key_id);
  rec.secret_access_key = secret.empty() ? new_secret() : std::string(secret);
  rec.create_date = ctx_.unix_ms();
  keys->push_back(rec.access_key_id);
  api::iam::AccessKey out{
      rec.user_name, rec.access_key_id, rec.status, rec.secret_access_key, rec.create_date};
  std::string id = rec.access_key_id;
  access_keys_.emplace(std::move(id), std::move(rec));
  touch();
  ctx_.emit("iam.access_key.create",
            {{"account", account.id.str()}, {"user", owner_name}, {"key", out.access_key_id}});
  return out;
}

sim::Result<api::iam::CreateAccessKeyOutput> IamModel::create_access_key(
    const api::CallContext& ctx, const api::iam::CreateAccessKeyInput& in) {
  if (in.user_name.has_value()) {
    if (auto s = validate_name("userName", *in.user_name, ShapeLimits::kExistingUserNameMax);
        !s.ok()) {
      return s.error();
    }
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  AccountRecord& a = **account;
  const api::Principal& p = ctx.principal;
  std::string user_name;
  std::string resource;
  std::vector<auth::ContextValue> keys;
  if (in.user_name.has_value()) {
    user_name = *in.user_name;
  } else if (p.kind == api::PrincipalKind::kUser) {
    user_name = p.name;
  } else if (p.kind != api::PrincipalKind::kRoot) {
    return needs_user_name();
  }
  if (user_name.empty()) {
    resource = p.arn;
  } else if (const UserRecord* user = user_mut(a, user_name)) {
    resource = user->arn;
    add_resource_tag_keys(user->tags, keys);
  } else {
    resource = api::user_arn(a.id, "/", user_name);
  }
  if (auto s = authorize(ctx, "iam:CreateAccessKey", resource, std::move(keys)); !s.ok()) {
    return s.error();
  }
  sim::Result<api::iam::AccessKey> key = do_create_access_key(a, user_name, {}, {});
  if (!key.ok()) {
    return key.error();
  }
  return api::iam::CreateAccessKeyOutput{std::move(key).value()};
}

sim::Result<api::iam::AccessKey> IamModel::seed_access_key(const api::AccountId& account,
                                                           std::string_view user_name,
                                                           std::string_view access_key_id,
                                                           std::string_view secret_access_key) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Account " + account.str() + " is not part of this world.");
  }
  if (auto s = validate_length("accessKeyId", access_key_id, kAccessKeyIdMin, kAccessKeyIdMax);
      !s.ok()) {
    return s.error();
  }
  for (const char c : access_key_id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return validation_error("accessKeyId",
                              access_key_id,
                              "Member must satisfy regular expression pattern: [A-Z0-9]+");
    }
  }
  if (auto s = validate_length("secretAccessKey", secret_access_key, 1, kSecretMax); !s.ok()) {
    return s.error();
  }
  if (access_keys_.contains(access_key_id) || access_key_id.starts_with("ASIA")) {
    return iam_error(ErrorCode::kEntityAlreadyExists,
                     "Access key " + std::string(access_key_id)
                         + " already exists (or uses the ASIA prefix STS reserves for sessions).");
  }
  return do_create_access_key(*a, user_name, access_key_id, secret_access_key);
}

sim::Result<api::iam::AccessKey> IamModel::seed_generated_access_key(const api::AccountId& account,
                                                                     std::string_view user_name) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Account " + account.str() + " is not part of this world.");
  }
  return do_create_access_key(*a, user_name, {}, {});
}

// --- more users and access keys ---------------------------------------------------------------

namespace {

constexpr std::size_t kAccessKeyIdLengthMin = 16;
constexpr std::size_t kAccessKeyIdLengthMax = 128;

sim::AwsError no_such_access_key(std::string_view id) {
  return iam_error(ErrorCode::kNoSuchEntity,
                   "The Access Key with id " + std::string(id) + " cannot be found.");
}

sim::Status validate_key_request(const std::optional<std::string>& user_name,
                                 std::string_view access_key_id) {
  if (user_name.has_value()) {
    if (auto s = validate_name("userName", *user_name, ShapeLimits::kExistingUserNameMax);
        !s.ok()) {
      return s;
    }
  }
  return validate_length(
      "accessKeyId", access_key_id, kAccessKeyIdLengthMin, kAccessKeyIdLengthMax);
}

}  // namespace

sim::Result<IamModel::KeyOwner> IamModel::authorize_key_owner(
    const api::CallContext& ctx,
    std::string_view action,
    const std::optional<std::string>& user_name) {
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  const api::Principal& p = ctx.principal;
  KeyOwner owner{*account, nullptr, {}};
  if (user_name.has_value()) {
    owner.user_name = *user_name;
  } else if (p.kind == api::PrincipalKind::kUser) {
    owner.user_name = p.name;
  } else if (p.kind != api::PrincipalKind::kRoot) {
    return needs_user_name();
  }
  std::string resource;
  std::vector<auth::ContextValue> keys;
  if (owner.user_name.empty()) {
    resource = p.arn;
  } else if (UserRecord* user = user_mut(**account, owner.user_name)) {
    resource = user->arn;
    add_resource_tag_keys(user->tags, keys);
    owner.user = user;
  } else {
    resource = api::user_arn((*account)->id, "/", owner.user_name);
  }
  if (auto s = authorize(ctx, action, resource, std::move(keys)); !s.ok()) {
    return s.error();
  }
  if (!owner.user_name.empty() && owner.user == nullptr) {
    return no_such_user(owner.user_name);
  }
  return owner;
}

sim::Result<api::iam::ListUsersOutput> IamModel::list_users(const api::CallContext& ctx,
                                                            const api::iam::ListUsersInput& in) {
  if (in.path_prefix.has_value()) {
    if (auto s = validate_path_prefix("pathPrefix", *in.path_prefix); !s.ok()) {
      return s.error();
    }
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  // Unconfirmed: the resource IAM names in a ListUsers denial.
  const std::string prefix = in.path_prefix.value_or("/");
  if (auto s = authorize(
          ctx, "iam:ListUsers", "arn:aws:iam::" + (*account)->id.str() + ":user" + prefix);
      !s.ok()) {
    return s.error();
  }
  std::vector<const UserRecord*> matching;
  for (const auto& [key, user] : (*account)->users) {
    if (user.path.starts_with(prefix)) {
      matching.push_back(&user);
    }
  }
  sim::Result<PageWindow> w = page(matching.size(), in.marker, in.max_items);
  if (!w.ok()) {
    return w.error();
  }
  api::iam::ListUsersOutput out;
  for (std::size_t i = w->begin; i < w->end; ++i) {
    out.users.push_back(user_output(*matching[i]));
  }
  out.is_truncated = w->truncated;
  out.marker = w->marker;
  return out;
}

sim::Result<api::iam::DeleteUserOutput> IamModel::delete_user(const api::CallContext& ctx,
                                                              const api::iam::DeleteUserInput& in) {
  if (auto s = validate_name("userName", in.user_name, ShapeLimits::kExistingUserNameMax);
      !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = authorize_on_user(ctx, "iam:DeleteUser", in.user_name);
  if (!account.ok()) {
    return account.error();
  }
  UserRecord* user = user_mut(**account, in.user_name);
  if (user == nullptr) {
    return no_such_user(in.user_name);
  }
  // Unconfirmed: the order in which IAM reports the conflicts when several apply.
  if (!user->access_key_ids.empty()) {
    return iam_error(ErrorCode::kDeleteConflict,
                     "Cannot delete entity, must delete access keys first.");
  }
  if (!user->attached_policies.empty()) {
    return iam_error(ErrorCode::kDeleteConflict,
                     "Cannot delete entity, must detach all policies first.");
  }
  if (!user->inline_policies.empty()) {
    return iam_error(ErrorCode::kDeleteConflict,
                     "Cannot delete entity, must delete policies first.");
  }
  const std::string arn = user->arn;
  const std::string user_id = user->user_id;
  const std::string name = user->name;
  (*account)->users.erase(lower(in.user_name));
  replace_principal_in_trust_policies(arn, user_id);
  touch();
  ctx_.emit("iam.user.delete", {{"account", (*account)->id.str()}, {"user", name}});
  return api::iam::DeleteUserOutput{};
}

sim::Result<api::iam::ListAccessKeysOutput> IamModel::list_access_keys(
    const api::CallContext& ctx, const api::iam::ListAccessKeysInput& in) {
  if (in.user_name.has_value()) {
    if (auto s = validate_name("userName", *in.user_name, ShapeLimits::kExistingUserNameMax);
        !s.ok()) {
      return s.error();
    }
  }
  sim::Result<KeyOwner> owner = authorize_key_owner(ctx, "iam:ListAccessKeys", in.user_name);
  if (!owner.ok()) {
    return owner.error();
  }
  const std::vector<std::string>& ids =
      owner->user != nullptr ? owner->user->access_key_ids : owner->account->root_access_key_ids;
  sim::Result<PageWindow> w = page(ids.size(), in.marker, in.max_items);
  if (!w.ok()) {
    return w.error();
  }
  api::iam::ListAccessKeysOutput out;
  for (std::size_t i = w->begin; i < w->end; ++i) {
    const AccessKeyRecord* k = find_access_key(ids[i]);
    IBSIM_ASSERT(k != nullptr, "an owner's key ids name stored keys");
    out.access_key_metadata.push_back({k->user_name, k->access_key_id, k->status, k->create_date});
  }
  out.is_truncated = w->truncated;
  out.marker = w->marker;
  return out;
}

sim::Result<std::vector<std::string>::iterator> IamModel::owned_key(KeyOwner& owner,
                                                                    std::string_view id) {
  std::vector<std::string>& ids =
      owner.user != nullptr ? owner.user->access_key_ids : owner.account->root_access_key_ids;
  const auto it = std::find(ids.begin(), ids.end(), id);
  if (it == ids.end()) {
    return no_such_access_key(id);
  }
  return it;
}

sim::Result<api::iam::DeleteAccessKeyOutput> IamModel::delete_access_key(
    const api::CallContext& ctx, const api::iam::DeleteAccessKeyInput& in) {
  if (auto s = validate_key_request(in.user_name, in.access_key_id); !s.ok()) {
    return s.error();
  }
  sim::Result<KeyOwner> owner = authorize_key_owner(ctx, "iam:DeleteAccessKey", in.user_name);
  if (!owner.ok()) {
    return owner.error();
  }
  auto it = owned_key(*owner, in.access_key_id);
  if (!it.ok()) {
    return it.error();
  }
  std::vector<std::string>& ids =
      owner->user != nullptr ? owner->user->access_key_ids : owner->account->root_access_key_ids;
  ids.erase(*it);
  access_keys_.erase(in.access_key_id);
  touch();
  ctx_.emit("iam.access_key.delete",
            {{"account", owner->account->id.str()},
             {"user", owner->user != nullptr ? owner->user->name : std::string()},
             {"key", in.access_key_id}});
  return api::iam::DeleteAccessKeyOutput{};
}

sim::Result<api::iam::UpdateAccessKeyOutput> IamModel::update_access_key(
    const api::CallContext& ctx, const api::iam::UpdateAccessKeyInput& in) {
  if (auto s = validate_key_request(in.user_name, in.access_key_id); !s.ok()) {
    return s.error();
  }
  if (in.status != "Active" && in.status != "Inactive") {
    return validation_error(
        "status", in.status, "Member must satisfy enum value set: [Active, Inactive]");
  }
  sim::Result<KeyOwner> owner = authorize_key_owner(ctx, "iam:UpdateAccessKey", in.user_name);
  if (!owner.ok()) {
    return owner.error();
  }
  if (auto it = owned_key(*owner, in.access_key_id); !it.ok()) {
    return it.error();
  }
  const auto rec = access_keys_.find(in.access_key_id);
  IBSIM_ASSERT(rec != access_keys_.end(), "an owner's key ids name stored keys");
  rec->second.status = in.status;
  touch();
  ctx_.emit(
      "iam.access_key.update",
      {{"account", owner->account->id.str()}, {"key", in.access_key_id}, {"status", in.status}});
  return api::iam::UpdateAccessKeyOutput{};
}

// --- instance profiles ------------------------------------------------------------------------

namespace {

sim::Status validate_create_instance_profile(const api::iam::CreateInstanceProfileInput& in) {
  if (auto s = validate_name(
          "instanceProfileName", in.instance_profile_name, ShapeLimits::kInstanceProfileNameMax);
      !s.ok()) {
    return s;
  }
  if (in.path.has_value()) {
    if (auto s = validate_path("path", *in.path); !s.ok()) {
      return s;
    }
  }
  return validate_tags("tags", in.tags);
}

std::string profile_resource(const AccountRecord& account, std::string_view name) {
  const auto it = account.instance_profiles.find(lower(name));
  return it != account.instance_profiles.end() ? it->second.arn
                                               : api::instance_profile_arn(account.id, "/", name);
}

}  // namespace

sim::Result<const InstanceProfileRecord*> IamModel::do_create_instance_profile(
    AccountRecord& account, const api::iam::CreateInstanceProfileInput& in) {
  if (auto s = validate_create_instance_profile(in); !s.ok()) {
    return s.error();
  }
  const std::string key = lower(in.instance_profile_name);
  if (account.instance_profiles.contains(key)) {
    return iam_error(ErrorCode::kEntityAlreadyExists,
                     "Instance Profile " + in.instance_profile_name + " already exists.");
  }
  if (account.instance_profiles.size() >= IamLimits::kInstanceProfilesPerAccount) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "Cannot exceed quota for InstanceProfilesPerAccount: "
                         + std::to_string(IamLimits::kInstanceProfilesPerAccount));
  }
  InstanceProfileRecord p;
  p.name = in.instance_profile_name;
  p.path = in.path.value_or("/");
  p.arn = api::instance_profile_arn(account.id, p.path, p.name);
  p.instance_profile_id = new_unique_id("AIPA");
  p.create_date = ctx_.unix_ms();
  p.tags = in.tags;
  const auto [it, inserted] = account.instance_profiles.emplace(key, std::move(p));
  IBSIM_ASSERT(inserted, "the profile name was checked to be free");
  touch();
  ctx_.emit("iam.instance_profile.create",
            {{"account", account.id.str()}, {"profile", it->second.name}});
  return &it->second;
}

sim::Result<api::iam::CreateInstanceProfileOutput> IamModel::create_instance_profile(
    const api::CallContext& ctx, const api::iam::CreateInstanceProfileInput& in) {
  if (auto s = validate_create_instance_profile(in); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  std::vector<auth::ContextValue> keys;
  add_request_tag_keys(in.tags, keys);
  if (auto s = authorize(ctx,
                         "iam:CreateInstanceProfile",
                         api::instance_profile_arn(
                             (*account)->id, in.path.value_or("/"), in.instance_profile_name),
                         std::move(keys));
      !s.ok()) {
    return s.error();
  }
  sim::Result<const InstanceProfileRecord*> p = do_create_instance_profile(**account, in);
  if (!p.ok()) {
    return p.error();
  }
  return api::iam::CreateInstanceProfileOutput{instance_profile_output(**account, **p)};
}

sim::Result<api::iam::InstanceProfile> IamModel::seed_instance_profile(
    const api::AccountId& account, const api::iam::CreateInstanceProfileInput& in) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Account " + account.str() + " is not part of this world.");
  }
  sim::Result<const InstanceProfileRecord*> p = do_create_instance_profile(*a, in);
  if (!p.ok()) {
    return p.error();
  }
  return instance_profile_output(*a, **p);
}

sim::Status IamModel::do_add_role_to_instance_profile(
    AccountRecord& account, const api::iam::AddRoleToInstanceProfileInput& in) {
  const auto pit = account.instance_profiles.find(lower(in.instance_profile_name));
  if (pit == account.instance_profiles.end()) {
    return no_such_instance_profile(in.instance_profile_name);
  }
  RoleRecord* role = role_mut(account, in.role_name);
  if (role == nullptr) {
    return no_such_role(in.role_name);
  }
  InstanceProfileRecord& profile = pit->second;
  if (profile.roles.size() >= IamLimits::kRolesPerInstanceProfile) {
    return iam_error(ErrorCode::kLimitExceeded,
                     "Cannot exceed quota for InstanceSessionsPerInstanceProfile: "
                         + std::to_string(IamLimits::kRolesPerInstanceProfile));
  }
  profile.roles.push_back(lower(role->name));
  role->instance_profiles.insert(pit->first);
  touch();
  ctx_.emit("iam.instance_profile.add_role",
            {{"account", account.id.str()}, {"profile", profile.name}, {"role", role->name}});
  return sim::ok_status();
}

sim::Result<api::iam::AddRoleToInstanceProfileOutput> IamModel::add_role_to_instance_profile(
    const api::CallContext& ctx, const api::iam::AddRoleToInstanceProfileInput& in) {
  if (auto s = validate_name(
          "instanceProfileName", in.instance_profile_name, ShapeLimits::kInstanceProfileNameMax);
      !s.ok()) {
    return s.error();
  }
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = authorize(ctx,
                         "iam:AddRoleToInstanceProfile",
                         profile_resource(**account, in.instance_profile_name));
      !s.ok()) {
    return s.error();
  }
  // Unconfirmed: AWS documents that adding a role to an instance profile needs iam:PassRole on
  // the role; which condition keys (iam:PassedToService) that check carries is not documented.
  if (auto s = authorize(ctx, "iam:PassRole", role_resource(**account, in.role_name)); !s.ok()) {
    return s.error();
  }
  if (auto s = do_add_role_to_instance_profile(**account, in); !s.ok()) {
    return s.error();
  }
  return api::iam::AddRoleToInstanceProfileOutput{};
}

sim::Status IamModel::seed_add_role_to_instance_profile(
    const api::AccountId& account, const api::iam::AddRoleToInstanceProfileInput& in) {
  AccountRecord* a = account_mut(account);
  if (a == nullptr) {
    return iam_error(ErrorCode::kNoSuchEntity,
                     "Account " + account.str() + " is not part of this world.");
  }
  return do_add_role_to_instance_profile(*a, in);
}

sim::Result<api::iam::GetInstanceProfileOutput> IamModel::get_instance_profile(
    const api::CallContext& ctx, const api::iam::GetInstanceProfileInput& in) {
  if (auto s = validate_name(
          "instanceProfileName", in.instance_profile_name, ShapeLimits::kInstanceProfileNameMax);
      !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = authorize(
          ctx, "iam:GetInstanceProfile", profile_resource(**account, in.instance_profile_name));
      !s.ok()) {
    return s.error();
  }
  const auto it = (*account)->instance_profiles.find(lower(in.instance_profile_name));
  if (it == (*account)->instance_profiles.end()) {
    return no_such_instance_profile(in.instance_profile_name);
  }
  return api::iam::GetInstanceProfileOutput{instance_profile_output(**account, it->second)};
}

sim::Result<api::iam::DeleteInstanceProfileOutput> IamModel::delete_instance_profile(
    const api::CallContext& ctx, const api::iam::DeleteInstanceProfileInput& in) {
  if (auto s = validate_name(
          "instanceProfileName", in.instance_profile_name, ShapeLimits::kInstanceProfileNameMax);
      !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = authorize(
          ctx, "iam:DeleteInstanceProfile", profile_resource(**account, in.instance_profile_name));
      !s.ok()) {
    return s.error();
  }
  const auto it = (*account)->instance_profiles.find(lower(in.instance_profile_name));
  if (it == (*account)->instance_profiles.end()) {
    return no_such_instance_profile(in.instance_profile_name);
  }
  if (!it->second.roles.empty()) {
    return iam_error(ErrorCode::kDeleteConflict,
                     "Cannot delete entity, must remove roles from instance profile first.");
  }
  const std::string name = it->second.name;
  (*account)->instance_profiles.erase(it);
  touch();
  ctx_.emit("iam.instance_profile.delete", {{"account", (*account)->id.str()}, {"profile", name}});
  return api::iam::DeleteInstanceProfileOutput{};
}

sim::Result<api::iam::RemoveRoleFromInstanceProfileOutput>
IamModel::remove_role_from_instance_profile(
    const api::CallContext& ctx, const api::iam::RemoveRoleFromInstanceProfileInput& in) {
  if (auto s = validate_name(
          "instanceProfileName", in.instance_profile_name, ShapeLimits::kInstanceProfileNameMax);
      !s.ok()) {
    return s.error();
  }
  if (auto s = validate_name("roleName", in.role_name, ShapeLimits::kRoleNameMax); !s.ok()) {
    return s.error();
  }
  sim::Result<AccountRecord*> account = caller_account(ctx);
  if (!account.ok()) {
    return account.error();
  }
  if (auto s = authorize(ctx,
                         "iam:RemoveRoleFromInstanceProfile",
                         profile_resource(**account, in.instance_profile_name));
      !s.ok()) {
    return s.error();
  }
  const auto pit = (*account)->instance_profiles.find(lower(in.instance_profile_name));
  if (pit == (*account)->instance_profiles.end()) {
    return no_such_instance_profile(in.instance_profile_name);
  }
  RoleRecord* role = role_mut(**account, in.role_name);
  InstanceProfileRecord& profile = pit->second;
  const std::string key = lower(in.role_name);
  const auto rit = std::find(profile.roles.begin(), profile.roles.end(), key);
  if (role == nullptr || rit == profile.roles.end()) {
    // Unconfirmed: IAM's answer for a role that exists but is not in the profile.
    return no_such_role(in.role_name);
  }
  profile.roles.erase(rit);
  role->instance_profiles.erase(pit->first);
  touch();
  ctx_.emit("iam.instance_profile.remove_role",
            {{"account", (*account)->id.str()}, {"profile", profile.name}, {"role", role->name}});
  return api::iam::RemoveRoleFromInstanceProfileOutput{};
}

}  // namespace ibsim::mock_aws::iam
