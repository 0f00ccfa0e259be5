#pragma once
// Typed inputs and outputs of the IAM operations ibsim models, one struct per request and response,
// members named after AWS's (botocore iam 2010-05-08) in snake_case; optional request members are
// std::optional. Policy documents are held as plain JSON text: IAM's wire answers URL-encode them,
// which is the codec's job, not the model's. Timestamps are Unix milliseconds from the simulation
// clock (the codecs render ISO-8601).
//
//   api::iam::CreateRoleInput in{.role_name = "R", .assume_role_policy_document = trust};
//   sim::Result<api::iam::CreateRoleOutput> out = iam.create_role(ctx, in);

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ibsim::mock_aws::api::iam {

struct Tag {
  std::string key;
  std::string value;

  friend bool operator==(const Tag&, const Tag&) = default;
};

struct AttachedPermissionsBoundary {
  std::string permissions_boundary_type = "Policy";  // The only type IAM has.
  std::string permissions_boundary_arn;
};

struct Role {
  std::string path;
  std::string role_name;
  std::string role_id;  // AROA...
  std::string arn;
  int64_t create_date = 0;  // Unix ms.
  std::string assume_role_policy_document;
  std::string description;
  int32_t max_session_duration = 3600;
  std::optional<AttachedPermissionsBoundary> permissions_boundary;
  std::vector<Tag> tags;
};

struct User {
  std::string path;
  std::string user_name;  // Empty for the account root (GetUser as root).
  std::string user_id;    // AIDA..., or the account id for the root.
  std::string arn;
  int64_t create_date = 0;
  std::optional<AttachedPermissionsBoundary> permissions_boundary;
  std::vector<Tag> tags;
};

struct AccessKey {
  std::string user_name;  // Empty for the root's keys.
  std::string access_key_id;
  std::string status = "Active";
  std::string secret_access_key;
  int64_t create_date = 0;
};

struct Policy {
  std::string policy_name;
  std::string policy_id;  // ANPA...
  std::string arn;
  std::string path;
  std::string default_version_id;
  int32_t attachment_count = 0;
  int32_t permissions_boundary_usage_count = 0;
  bool is_attachable = true;
  std::string description;
  int64_t create_date = 0;
  int64_t update_date = 0;
  std::vector<Tag> tags;
};

struct PolicyVersion {
  std::string document;
  std::string version_id;  // "v1", "v2", ...
  bool is_default_version = false;
  int64_t create_date = 0;
};

struct InstanceProfile {
  std::string path;
  std::string instance_profile_name;
  std::string instance_profile_id;  // AIPA...
  std::string arn;
  int64_t create_date = 0;
  std::vector<Role> roles;
  std::vector<Tag> tags;
};

struct AttachedPolicy {
  std::string policy_name;
  std::string policy_arn;
};

// --- Roles -----------------------------------------------------------------------------------

struct CreateRoleInput {
  std::optional<std::string> path;
  std::string role_name;
  std::string assume_role_policy_document;
  std::optional<std::string> description;
  std::optional<int32_t> max_session_duration;
  std::optional<std::string> permissions_boundary;
  std::vector<Tag> tags;
};

struct CreateRoleOutput {
  Role role;
};

struct GetRoleInput {
  std::string role_name;
};

struct GetRoleOutput {
  Role role;
};

struct DeleteRoleInput {
  std::string role_name;
};

struct DeleteRoleOutput {};

struct ListRolesInput {
  std::optional<std::string> path_prefix;
  std::optional<std::string> marker;
  std::optional<int32_t> max_items;
};

struct ListRolesOutput {
  std::vector<Role> roles;
  bool is_truncated = false;
  std::optional<std::string> marker;
};

struct UpdateAssumeRolePolicyInput {
  std::string role_name;
  std::string policy_document;
};

struct UpdateAssumeRolePolicyOutput {};

struct TagRoleInput {
  std::string role_name;
  std::vector<Tag> tags;
};

struct TagRoleOutput {};

struct PutRolePolicyInput {
  std::string role_name;
  std::string policy_name;
  std::string policy_document;
};

struct PutRolePolicyOutput {};

struct GetRolePolicyInput {
  std::string role_name;
  std::string policy_name;
};

struct GetRolePolicyOutput {
  std::string role_name;
  std::string policy_name;
  std::string policy_document;
};

struct DeleteRolePolicyInput {
  std::string role_name;
  std::string policy_name;
};

struct DeleteRolePolicyOutput {};

struct ListRolePoliciesInput {
  std::string role_name;
  std::optional<std::string> marker;
  std::optional<int32_t> max_items;
};

struct ListRolePoliciesOutput {
  std::vector<std::string> policy_names;
  bool is_truncated = false;
  std::optional<std::string> marker;
};

struct AttachRolePolicyInput {
  std::string role_name;
  std::string policy_arn;
};

struct AttachRolePolicyOutput {};

struct DetachRolePolicyInput {
  std::string role_name;
  std::string policy_arn;
};

struct DetachRolePolicyOutput {};

struct ListAttachedRolePoliciesInput {
  std::string role_name;
  std::optional<std::string> path_prefix;
  std::optional<std::string> marker;
  std::optional<int32_t> max_items;
};

struct ListAttachedRolePoliciesOutput {
  std::vector<AttachedPolicy> attached_policies;
  bool is_truncated = false;
  std::optional<std::string> marker;
};

// --- Managed policies ------------------------------------------------------------------------

struct CreatePolicyInput {
  std::string policy_name;
  std::optional<std::string> path;
  std::string policy_document;
  std::optional<std::string> description;
  std::vector<Tag> tags;
};

struct CreatePolicyOutput {
  Policy policy;
};

struct GetPolicyInput {
  std::string policy_arn;
};

struct GetPolicyOutput {
  Policy policy;
};

struct CreatePolicyVersionInput {
  std::string policy_arn;
  std::string policy_document;
  std::optional<bool> set_as_default;
};

struct CreatePolicyVersionOutput {
  PolicyVersion policy_version;
};

struct GetPolicyVersionInput {
  std::string policy_arn;
  std::string version_id;
};

struct GetPolicyVersionOutput {
  PolicyVersion policy_version;
};

struct DeletePolicyVersionInput {
  std::string policy_arn;
  std::string version_id;
};

struct DeletePolicyVersionOutput {};

struct DeletePolicyInput {
  std::string policy_arn;
};

struct DeletePolicyOutput {};

// --- Users and access keys -------------------------------------------------------------------

struct CreateUserInput {
  std::optional<std::string> path;
  std::string user_name;
  std::optional<std::string> permissions_boundary;
  std::vector<Tag> tags;
};

struct CreateUserOutput {
  User user;
};

struct GetUserInput {
  std::optional<std::string> user_name;  // Absent: the calling user (or the root).
};

struct GetUserOutput {
  User user;
};

struct CreateAccessKeyInput {
  std::optional<std::string> user_name;  // Absent: the calling user (or the root).
};

struct CreateAccessKeyOutput {
  AccessKey access_key;
};

struct AccessKeyMetadata {
  std::string user_name;  // Empty for the root's keys.
  std::string access_key_id;
  std::string status;
  int64_t create_date = 0;  // Unix ms.
};

struct ListUsersInput {
  std::optional<std::string> path_prefix;
  std::optional<std::string> marker;
  std::optional<int32_t> max_items;
};

struct ListUsersOutput {
  std::vector<User> users;
  bool is_truncated = false;
  std::optional<std::string> marker;
};

struct DeleteUserInput {
  std::string user_name;
};

struct DeleteUserOutput {};

struct ListAccessKeysInput {
  std::optional<std::string> user_name;  // Absent: the calling user (or the root).
  std::optional<std::string> marker;
  std::optional<int32_t> max_items;
};

struct ListAccessKeysOutput {
  std::vector<AccessKeyMetadata> access_key_metadata;
  bool is_truncated = false;
  std::optional<std::string> marker;
};

struct DeleteAccessKeyInput {
  std::optional<std::string> user_name;  // Absent: the calling user (or the root).
  std::string access_key_id;
};

struct DeleteAccessKeyOutput {};

struct UpdateAccessKeyInput {
  std::optional<std::string> user_name;  // Absent: the calling user (or the root).
  std::string access_key_id;
  std::string status;  // "Active" or "Inactive".
};

struct UpdateAccessKeyOutput {};

struct PutUserPolicyInput {
  std::string user_name;
  std::string policy_name;
  std::string policy_document;
};

struct PutUserPolicyOutput {};

struct GetUserPolicyInput {
  std::string user_name;
  std::string policy_name;
};

struct GetUserPolicyOutput {
  std::string user_name;
  std::string policy_name;
  std::string policy_document;
};

struct DeleteUserPolicyInput {
  std::string user_name;
  std::string policy_name;
};

struct DeleteUserPolicyOutput {};

struct ListUserPoliciesInput {
  std::string user_name;
  std::optional<std::string> marker;
  std::optional<int32_t> max_items;
};

struct ListUserPoliciesOutput {
  std::vector<std::string> policy_names;
  bool is_truncated = false;
  std::optional<std::string> marker;
};

struct AttachUserPolicyInput {
  std::string user_name;
  std::string policy_arn;
};

struct AttachUserPolicyOutput {};

struct DetachUserPolicyInput {
  std::string user_name;
  std::string policy_arn;
};

struct DetachUserPolicyOutput {};

struct ListAttachedUserPoliciesInput {
  std::string user_name;
  std::optional<std::string> path_prefix;
  std::optional<std::string> marker;
  std::optional<int32_t> max_items;
};

struct ListAttachedUserPoliciesOutput {
  std::vector<AttachedPolicy> attached_policies;
  bool is_truncated = false;
  std::optional<std::string> marker;
};

// --- Instance profiles -----------------------------------------------------------------------

struct CreateInstanceProfileInput {
  std::string instance_profile_name;
  std::optional<std::string> path;
  std::vector<Tag> tags;
};

struct CreateInstanceProfileOutput {
  InstanceProfile instance_profile;
};

struct AddRoleToInstanceProfileInput {
  std::string instance_profile_name;
  std::string role_name;
};

struct AddRoleToInstanceProfileOutput {};

struct GetInstanceProfileInput {
  std::string instance_profile_name;
};

struct GetInstanceProfileOutput {
  InstanceProfile instance_profile;
};

struct DeleteInstanceProfileInput {
  std::string instance_profile_name;
};

struct DeleteInstanceProfileOutput {};

struct RemoveRoleFromInstanceProfileInput {
  std::string instance_profile_name;
  std::string role_name;
};

struct RemoveRoleFromInstanceProfileOutput {};

}  // namespace ibsim::mock_aws::api::iam
