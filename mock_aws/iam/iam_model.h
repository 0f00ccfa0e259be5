#pragma once
// IamModel: the IAM state of every account in the world — users, access keys (the root's too),
// roles with trust policies, inline and attached policies, tags and boundaries, instance profiles,
// customer managed policies with versions, the AWS managed policies, and the Image Builder
// service-linked role every account has. One object per world. Every operation is authorized
// first through auth::Authorizer (set once with set_authorizer; the implementation lives in STS,
// which depends on this module), then validated and applied with AWS's error codes and messages.
// Seed functions create the same state without a caller, for world files and tests. Policies are
// compiled once when stored; generation() changes on every mutation so callers can cache.
//
//   IamModel iam(ctx);  iam.set_authorizer(authorizer);  iam.add_account(acct, "source");
//   sim::Result<CreateRoleOutput> r = iam.create_role(call, {.role_name = "R", ...});

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/iam_types.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/policy/policy.h"
#include "sim/base/result.h"
#include "sim/context.h"
#include "sim/rng.h"

namespace ibsim::mock_aws::iam {

// IAM quotas (defaults from the IAM quotas page) and ibsim's own bounds.
struct IamLimits {
  static constexpr std::size_t kAccountsMax = 10'000;
  static constexpr std::size_t kRolesPerAccount = 1'000;
  static constexpr std::size_t kUsersPerAccount = 5'000;
  static constexpr std::size_t kCustomerPoliciesPerAccount = 1'500;
  static constexpr std::size_t kInstanceProfilesPerAccount = 1'000;
  static constexpr std::size_t kManagedPoliciesPerRole = 10;       // PoliciesPerRole
  static constexpr std::size_t kManagedPoliciesPerUser = 10;       // PoliciesPerUser
  static constexpr std::size_t kInlinePoliciesPerEntityMax = 100;  // ibsim's bound
  static constexpr std::size_t kPolicyVersionsMax = 5;
  static constexpr std::size_t kAccessKeysPerUser = 2;
  static constexpr std::size_t kRolesPerInstanceProfile = 1;
  static constexpr std::size_t kTagsPerEntity = 50;
  static constexpr std::size_t kInlineRolePolicyCharsTotal =
      10'240;  // all inline policies of a role
  static constexpr std::size_t kInlineUserPolicyCharsTotal = 2'048;  // ... of a user
  static constexpr int32_t kDefaultMaxSessionDurationSeconds = 3'600;
  static constexpr int32_t kListMaxItemsDefault = 100;
  static constexpr std::size_t kIdAttemptsMax = 64;  // Retries when a random id collides.
};

using PolicyPtr = std::shared_ptr<const policy::Policy>;

// A stored policy document: the text as given and its compiled form.
struct PolicyDocument {
  std::string text;
  PolicyPtr compiled;
};

struct ManagedPolicyVersion {
  std::string version_id;  // "v1", "v2", ...
  PolicyDocument document;
  int64_t create_date = 0;
};

struct ManagedPolicyRecord {
  std::string arn;
  std::string name;
  std::string path;
  std::string policy_id;  // ANPA...
  std::string description;
  bool aws_managed = false;
  std::string account;                         // Empty for AWS managed policies.
  std::vector<ManagedPolicyVersion> versions;  // In creation order.
  std::string default_version_id;
  uint32_t next_version = 2;
  int64_t create_date = 0;
  int64_t update_date = 0;
  std::vector<api::iam::Tag> tags;

  const ManagedPolicyVersion& default_version() const;

  // Policies under /aws-service-role/ can only be attached to service-linked roles.
  bool is_service_role_policy() const { return path.starts_with("/aws-service-role/"); }
};

struct RoleRecord {
  api::AccountId account;
  std::string name;
  std::string path;
  std::string arn;
  std::string role_id;  // AROA...
  std::string description;
  int64_t create_date = 0;
  int32_t max_session_duration = IamLimits::kDefaultMaxSessionDurationSeconds;
  PolicyDocument trust;
  std::map<std::string, PolicyDocument> inline_policies;  // By name, as IAM lists them.
  std::vector<std::string> attached_policies;             // ARNs, in attach order.
  std::string permissions_boundary_arn;
  std::vector<api::iam::Tag> tags;
  std::set<std::string> instance_profiles;  // Lower-cased profile names holding this role.
  bool service_linked = false;              // Protected: only AWS may modify it.
};

struct UserRecord {
  api::AccountId account;
  std::string name;
  std::string path;
  std::string arn;
  std::string user_id;  // AIDA...
  int64_t create_date = 0;
  std::map<std::string, PolicyDocument> inline_policies;
  std::vector<std::string> attached_policies;
  std::string permissions_boundary_arn;
  std::vector<api::iam::Tag> tags;
  std::vector<std::string> access_key_ids;
};

struct InstanceProfileRecord {
  std::string name;
  std::string path;
  std::string arn;
  std::string instance_profile_id;  // AIPA...
  int64_t create_date = 0;
  std::vector<std::string> roles;  // Lower-cased role names (at most one).
  std::vector<api::iam::Tag> tags;
};

struct AccessKeyRecord {
  api::AccountId account;
  std::string user_name;  // Empty: the account root's key.
  std::string access_key_id;
  std::string secret_access_key;
  std::string status = "Active";
  int64_t create_date = 0;
};

struct AccountRecord {
  api::AccountId id;
  std::string name;
  // Keyed by lower-cased name: IAM names are unique without regard to case.
  std::map<std::string, RoleRecord> roles;
  std::map<std::string, UserRecord> users;
  std::map<std::string, InstanceProfileRecord> instance_profiles;
  std::map<std::string, std::string> customer_policy_arns;  // lower-cased name -> ARN
  std::vector<std::string> root_access_key_ids;
  int64_t create_date = 0;
};

// The compiled policies that apply to a user or a role: inline then attached (default versions),
// and the permissions boundary's document when one is set.
struct IdentityPolicies {
  std::vector<PolicyPtr> identity;
  PolicyPtr boundary;
};

class IamModel {
 public:
  struct Options {
    // Unconfirmed: AWS creates AWSServiceRoleForImageBuilder on an account's first Image Builder
    // call; ibsim creates it with the account so worlds need not declare it.
    bool create_image_builder_service_linked_role = true;
  };

  explicit IamModel(sim::Context& ctx) : IamModel(ctx, Options{}) {}

  IamModel(sim::Context& ctx, Options options);

  IamModel(const IamModel&) = delete;
  IamModel& operator=(const IamModel&) = delete;

  // The authorizer every API operation asks first; must be set before any API call.
  void set_authorizer(auth::Authorizer& authorizer) { authorizer_ = &authorizer; }

  // --- Accounts ------------------------------------------------------------------------------

  // EntityAlreadyExists for an account already present, LimitExceeded past kAccountsMax.
  sim::Status add_account(const api::AccountId& account, std::string_view name = {});
  // Parses the id first: a malformed id is InvalidParameterValue, never a default account.
  sim::Status add_account(std::string_view account_id, std::string_view name = {});
  bool has_account(const api::AccountId& account) const;
  std::vector<api::AccountId> account_ids() const;
  const AccountRecord* find_account(const api::AccountId& account) const;

  // --- Roles ---------------------------------------------------------------------------------

  sim::Result<api::iam::CreateRoleOutput> create_role(const api::CallContext& ctx,
                                                      const api::iam::CreateRoleInput& in);
  sim::Result<api::iam::GetRoleOutput> get_role(const api::CallContext& ctx,
                                                const api::iam::GetRoleInput& in);
  sim::Result<api::iam::DeleteRoleOutput> delete_role(const api::CallContext& ctx,
                                                      const api::iam::DeleteRoleInput& in);
  sim::Result<api::iam::ListRolesOutput> list_roles(const api::CallContext& ctx,
                                                    const api::iam::ListRolesInput& in);
  sim::Result<api::iam::UpdateAssumeRolePolicyOutput> update_assume_role_policy(
      const api::CallContext& ctx, const api::iam::UpdateAssumeRolePolicyInput& in);
  sim::Result<api::iam::TagRoleOutput> tag_role(const api::CallContext& ctx,
                                                const api::iam::TagRoleInput& in);
  sim::Result<api::iam::PutRolePolicyOutput> put_role_policy(
      const api::CallContext& ctx, const api::iam::PutRolePolicyInput& in);
  sim::Result<api::iam::GetRolePolicyOutput> get_role_policy(
      const api::CallContext& ctx, const api::iam::GetRolePolicyInput& in);
  sim::Result<api::iam::DeleteRolePolicyOutput> delete_role_policy(
      const api::CallContext& ctx, const api::iam::DeleteRolePolicyInput& in);
  sim::Result<api::iam::ListRolePoliciesOutput> list_role_policies(
      const api::CallContext& ctx, const api::iam::ListRolePoliciesInput& in);
  sim::Result<api::iam::AttachRolePolicyOutput> attach_role_policy(
      const api::CallContext& ctx, const api::iam::AttachRolePolicyInput& in);
  sim::Result<api::iam::DetachRolePolicyOutput> detach_role_policy(
      const api::CallContext& ctx, const api::iam::DetachRolePolicyInput& in);
  sim::Result<api::iam::ListAttachedRolePoliciesOutput> list_attached_role_policies(
      const api::CallContext& ctx, const api::iam::ListAttachedRolePoliciesInput& in);

  // --- Managed policies ----------------------------------------------------------------------

  sim::Result<api::iam::CreatePolicyOutput> create_policy(const api::CallContext& ctx,
                                                          const api::iam::CreatePolicyInput& in);
  sim::Result<api::iam::GetPolicyOutput> get_policy(const api::CallContext& ctx,
                                                    const api::iam::GetPolicyInput& in);
  sim::Result<api::iam::CreatePolicyVersionOutput> create_policy_version(
      const api::CallContext& ctx, const api::iam::CreatePolicyVersionInput& in);
  sim::Result<api::iam::GetPolicyVersionOutput> get_policy_version(
      const api::CallContext& ctx, const api::iam::GetPolicyVersionInput& in);
  // A non-default version only (DeleteConflict for the default one).
  sim::Result<api::iam::DeletePolicyVersionOutput> delete_policy_version(
      const api::CallContext& ctx, const api::iam::DeletePolicyVersionInput& in);
  sim::Result<api::iam::DeletePolicyOutput> delete_policy(const api::CallContext& ctx,
                                                          const api::iam::DeletePolicyInput& in);

  // --- Users and access keys -----------------------------------------------------------------

  sim::Result<api::iam::CreateUserOutput> create_user(const api::CallContext& ctx,
                                                      const api::iam::CreateUserInput& in);
  sim::Result<api::iam::GetUserOutput> get_user(const api::CallContext& ctx,
                                                const api::iam::GetUserInput& in);
  sim::Result<api::iam::CreateAccessKeyOutput> create_access_key(
      const api::CallContext& ctx, const api::iam::CreateAccessKeyInput& in);
  sim::Result<api::iam::ListUsersOutput> list_users(const api::CallContext& ctx,
                                                    const api::iam::ListUsersInput& in);
  // DeleteConflict while the user has access keys or policies.
  sim::Result<api::iam::DeleteUserOutput> delete_user(const api::CallContext& ctx,
                                                      const api::iam::DeleteUserInput& in);
  sim::Result<api::iam::ListAccessKeysOutput> list_access_keys(
      const api::CallContext& ctx, const api::iam::ListAccessKeysInput& in);
  sim::Result<api::iam::DeleteAccessKeyOutput> delete_access_key(
      const api::CallContext& ctx, const api::iam::DeleteAccessKeyInput& in);
  // An Inactive key no longer authenticates (InvalidClientTokenId) until it is made Active again.
  sim::Result<api::iam::UpdateAccessKeyOutput> update_access_key(
      const api::CallContext& ctx, const api::iam::UpdateAccessKeyInput& in);
  sim::Result<api::iam::PutUserPolicyOutput> put_user_policy(
      const api::CallContext& ctx, const api::iam::PutUserPolicyInput& in);
  sim::Result<api::iam::GetUserPolicyOutput> get_user_policy(
      const api::CallContext& ctx, const api::iam::GetUserPolicyInput& in);
  sim::Result<api::iam::DeleteUserPolicyOutput> delete_user_policy(
      const api::CallContext& ctx, const api::iam::DeleteUserPolicyInput& in);
  sim::Result<api::iam::ListUserPoliciesOutput> list_user_policies(
      const api::CallContext& ctx, const api::iam::ListUserPoliciesInput& in);
  sim::Result<api::iam::AttachUserPolicyOutput> attach_user_policy(
      const api::CallContext& ctx, const api::iam::AttachUserPolicyInput& in);
  sim::Result<api::iam::DetachUserPolicyOutput> detach_user_policy(
      const api::CallContext& ctx, const api::iam::DetachUserPolicyInput& in);
  sim::Result<api::iam::ListAttachedUserPoliciesOutput> list_attached_user_policies(
      const api::CallContext& ctx, const api::iam::ListAttachedUserPoliciesInput& in);

  // --- Instance profiles ---------------------------------------------------------------------

  sim::Result<api::iam::CreateInstanceProfileOutput> create_instance_profile(
      const api::CallContext& ctx, const api::iam::CreateInstanceProfileInput& in);
  sim::Result<api::iam::AddRoleToInstanceProfileOutput> add_role_to_instance_profile(
      const api::CallContext& ctx, const api::iam::AddRoleToInstanceProfileInput& in);
  sim::Result<api::iam::GetInstanceProfileOutput> get_instance_profile(
      const api::CallContext& ctx, const api::iam::GetInstanceProfileInput& in);
  sim::Result<api::iam::DeleteInstanceProfileOutput> delete_instance_profile(
      const api::CallContext& ctx, const api::iam::DeleteInstanceProfileInput& in);
  sim::Result<api::iam::RemoveRoleFromInstanceProfileOutput> remove_role_from_instance_profile(
      const api::CallContext& ctx, const api::iam::RemoveRoleFromInstanceProfileInput& in);

  // --- Seeds: the same rules without a caller or authorization (world files, tests) ----------

  sim::Result<api::iam::Role> seed_role(const api::AccountId& account,
                                        const api::iam::CreateRoleInput& in);
  sim::Status seed_put_role_policy(const api::AccountId& account,
                                   const api::iam::PutRolePolicyInput& in);
  sim::Status seed_attach_role_policy(const api::AccountId& account,
                                      const api::iam::AttachRolePolicyInput& in);
  sim::Result<api::iam::Policy> seed_policy(const api::AccountId& account,
                                            const api::iam::CreatePolicyInput& in);
  sim::Result<api::iam::PolicyVersion> seed_policy_version(
      const api::AccountId& account, const api::iam::CreatePolicyVersionInput& in);
  sim::Result<api::iam::User> seed_user(const api::AccountId& account,
                                        const api::iam::CreateUserInput& in);
  sim::Status seed_put_user_policy(const api::AccountId& account,
                                   std::string_view user_name,
                                   std::string_view policy_name,
                                   std::string_view document);
  sim::Status seed_attach_user_policy(const api::AccountId& account,
                                      std::string_view user_name,
                                      std::string_view policy_arn);
  // A key with a chosen id and secret (world files); user_name empty: the account root's key.
  // The id must look like an access key (16-128 characters of [A-Z0-9]) and be unused.
  sim::Result<api::iam::AccessKey> seed_access_key(const api::AccountId& account,
                                                   std::string_view user_name,
                                                   std::string_view access_key_id,
                                                   std::string_view secret_access_key);
  // A key with a generated AKIA id and secret from the sim RNG.
  sim::Result<api::iam::AccessKey> seed_generated_access_key(const api::AccountId& account,
                                                             std::string_view user_name);
  sim::Result<api::iam::InstanceProfile> seed_instance_profile(
      const api::AccountId& account, const api::iam::CreateInstanceProfileInput& in);
  sim::Status seed_add_role_to_instance_profile(const api::AccountId& account,
                                                const api::iam::AddRoleToInstanceProfileInput& in);

  // --- Lookups for STS, the authorizer and `ibsim explain` -----------------------------------

  const RoleRecord* find_role(const api::AccountId& account, std::string_view name) const;
  // The role whose ARN is exactly `arn` (path included).
  const RoleRecord* find_role_by_arn(std::string_view arn) const;
  const UserRecord* find_user(const api::AccountId& account, std::string_view name) const;
  const UserRecord* find_user_by_arn(std::string_view arn) const;
  const ManagedPolicyRecord* find_managed_policy(std::string_view arn) const;
  const AccessKeyRecord* find_access_key(std::string_view access_key_id) const;
  const InstanceProfileRecord* find_instance_profile(const api::AccountId& account,
                                                     std::string_view name) const;

  IdentityPolicies role_policies(const RoleRecord& role) const;
  IdentityPolicies user_policies(const UserRecord& user) const;

  api::iam::Role role_output(const RoleRecord& role) const;
  api::iam::User user_output(const UserRecord& user) const;

  // Changes on every mutation (caches compare it).
  uint64_t generation() const { return generation_; }

 private:
  sim::Result<AccountRecord*> caller_account(const api::CallContext& ctx);
  sim::Status authorize(const api::CallContext& ctx,
                        std::string_view action,
                        std::string_view resource,
                        std::vector<auth::ContextValue> keys = {});
  // Resource-tag keys (aws:ResourceTag/k and iam:ResourceTag/k) of a tagged entity.
  static void add_resource_tag_keys(const std::vector<api::iam::Tag>& tags,
                                    std::vector<auth::ContextValue>& keys);
  static void add_request_tag_keys(const std::vector<api::iam::Tag>& tags,
                                   std::vector<auth::ContextValue>& keys);

  AccountRecord* account_mut(const api::AccountId& account);
  RoleRecord* role_mut(AccountRecord& account, std::string_view name);
  UserRecord* user_mut(AccountRecord& account, std::string_view name);
  ManagedPolicyRecord* managed_policy_mut(std::string_view arn);

  // The operations' bodies, shared by the API (after authorization) and the seeds.
  enum class Origin : std::uint8_t { kApi, kSeed };
  sim::Result<const RoleRecord*> do_create_role(AccountRecord& account,
                                                const api::iam::CreateRoleInput& in,
                                                Origin origin);
  sim::Status do_put_role_policy(AccountRecord& account, const api::iam::PutRolePolicyInput& in);
  sim::Status do_attach_role_policy(AccountRecord& account,
                                    const api::iam::AttachRolePolicyInput& in);
  sim::Result<const ManagedPolicyRecord*> do_create_policy(AccountRecord& account,
                                                           const api::iam::CreatePolicyInput& in);
  sim::Result<api::iam::PolicyVersion> do_create_policy_version(
      AccountRecord& account, const api::iam::CreatePolicyVersionInput& in);
  sim::Result<const UserRecord*> do_create_user(AccountRecord& account,
                                                const api::iam::CreateUserInput& in);
  sim::Status do_put_user_policy(AccountRecord& account, const api::iam::PutUserPolicyInput& in);
  sim::Status do_attach_user_policy(AccountRecord& account,
                                    const api::iam::AttachUserPolicyInput& in);

  // The caller's account once `action` on the user `user_name` is allowed (resource tags of the
  // user, and iam:PolicyARN when `policy_arn` is given, as condition keys).
  // The owner of the access keys an operation names: UserName, else the calling user, else the
  // root (user == nullptr), once `action` on it is allowed.
  struct KeyOwner {
    AccountRecord* account = nullptr;
    UserRecord* user = nullptr;
    std::string user_name;
  };

  sim::Result<KeyOwner> authorize_key_owner(const api::CallContext& ctx,
                                            std::string_view action,
                                            const std::optional<std::string>& user_name);
  // The position of key `id` among `owner`'s keys (NoSuchEntity when it is not one of them).
  sim::Result<std::vector<std::string>::iterator> owned_key(KeyOwner& owner, std::string_view id);
  sim::Result<AccountRecord*> authorize_on_user(const api::CallContext& ctx,
                                                std::string_view action,
                                                std::string_view user_name,
                                                const std::string* policy_arn = nullptr);
  sim::Result<api::iam::AccessKey> do_create_access_key(AccountRecord& account,
                                                        std::string_view user_name,
                                                        std::string_view access_key_id,
                                                        std::string_view secret);
  sim::Result<const InstanceProfileRecord*> do_create_instance_profile(
      AccountRecord& account, const api::iam::CreateInstanceProfileInput& in);
  sim::Status do_add_role_to_instance_profile(AccountRecord& account,
                                              const api::iam::AddRoleToInstanceProfileInput& in);

  sim::Result<PolicyDocument> compile(std::string_view member,
                                      std::string_view text,
                                      policy::PolicyKind kind,
                                      std::string name,
                                      std::size_t max_chars = 0) const;
  // Trust policies may only name users and roles that exist (when their account is in the world).
  sim::Status check_trust_principals(const policy::Policy& trust) const;
  // The managed policy `arn` as account `account` may attach it (or use it as a boundary).
  sim::Result<const ManagedPolicyRecord*> attachable_policy(const AccountRecord& account,
                                                            std::string_view arn,
                                                            bool boundary) const;
  // After a role is deleted, trust policies naming it show its unique id instead (aws-facts §5.3).
  void replace_principal_in_trust_policies(const std::string& arn, const std::string& unique_id);
  void create_service_linked_role(AccountRecord& account);
  void install_aws_managed_policies();

  int32_t attachment_count(const ManagedPolicyRecord& policy, const AccountRecord* account) const;
  int32_t boundary_usage_count(const ManagedPolicyRecord& policy,
                               const AccountRecord* account) const;
  api::iam::Policy policy_output(const ManagedPolicyRecord& policy,
                                 const AccountRecord* account) const;
  api::iam::InstanceProfile instance_profile_output(const AccountRecord& account,
                                                    const InstanceProfileRecord& profile) const;

  std::string new_unique_id(std::string_view prefix);
  std::string new_access_key_id();
  std::string new_secret();

  void touch() { ++generation_; }

  sim::Context& ctx_;
  Options options_;
  auth::Authorizer* authorizer_ = nullptr;
  sim::Rng ids_rng_;
  sim::Rng keys_rng_;
  std::map<api::AccountId, AccountRecord> accounts_;
  std::map<std::string, ManagedPolicyRecord, std::less<>> managed_policies_;  // By ARN.
  std::map<std::string, AccessKeyRecord, std::less<>> access_keys_;           // By key id.
  std::set<std::string, std::less<>> unique_ids_;
  uint64_t generation_ = 1;
};

}  // namespace ibsim::mock_aws::iam
