// The IAM field tables: every api::iam struct an operation reaches, each C++ member
// with its botocore member name; and the IAM operations mapped (Operation<In, Out>).

#include "mock_aws/api/iam_types.h"
#include "mock_aws/protocol/mapping/shape_table.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

constexpr ServiceId kTableService = ServiceId::kIam;

}  // namespace

IBSIM_SHAPE(api::iam::Tag, (key, "Key"), (value, "Value"));

IBSIM_SHAPE(api::iam::AttachedPermissionsBoundary,
            (permissions_boundary_type, "PermissionsBoundaryType"),
            (permissions_boundary_arn, "PermissionsBoundaryArn"));

// AWS omits Description when a role or policy has none, and UserName for the root (GetUser,
// CreateAccessKey as root): the typed structs hold "" for both.
IBSIM_SHAPE(api::iam::Role,
            (path, "Path"),
            (role_name, "RoleName"),
            (role_id, "RoleId"),
            (arn, "Arn"),
            (create_date, "CreateDate", kEpochMillis),
            (assume_role_policy_document, "AssumeRolePolicyDocument"),
            (description, "Description", kOmitDefault),
            (max_session_duration, "MaxSessionDuration"),
            (permissions_boundary, "PermissionsBoundary"),
            (tags, "Tags"));

IBSIM_SHAPE(api::iam::User,
            (path, "Path"),
            (user_name, "UserName", kOmitDefault),
            (user_id, "UserId"),
            (arn, "Arn"),
            (create_date, "CreateDate", kEpochMillis),
            (permissions_boundary, "PermissionsBoundary"),
            (tags, "Tags"));

IBSIM_SHAPE(api::iam::AccessKey,
            (user_name, "UserName", kOmitDefault),
            (access_key_id, "AccessKeyId"),
            (status, "Status"),
            (secret_access_key, "SecretAccessKey"),
            (create_date, "CreateDate", kEpochMillis));

IBSIM_SHAPE(api::iam::Policy,
            (policy_name, "PolicyName"),
            (policy_id, "PolicyId"),
            (arn, "Arn"),
            (path, "Path"),
            (default_version_id, "DefaultVersionId"),
            (attachment_count, "AttachmentCount"),
            (permissions_boundary_usage_count, "PermissionsBoundaryUsageCount"),
            (is_attachable, "IsAttachable"),
            (description, "Description", kOmitDefault),
            (create_date, "CreateDate", kEpochMillis),
            (update_date, "UpdateDate", kEpochMillis),
            (tags, "Tags"));

IBSIM_SHAPE(api::iam::PolicyVersion,
            (document, "Document"),
            (version_id, "VersionId"),
            (is_default_version, "IsDefaultVersion"),
            (create_date, "CreateDate", kEpochMillis));

IBSIM_SHAPE(api::iam::InstanceProfile,
            (path, "Path"),
            (instance_profile_name, "InstanceProfileName"),
            (instance_profile_id, "InstanceProfileId"),
            (arn, "Arn"),
            (create_date, "CreateDate", kEpochMillis),
            (roles, "Roles"),
            (tags, "Tags"));

IBSIM_SHAPE(api::iam::AttachedPolicy, (policy_name, "PolicyName"), (policy_arn, "PolicyArn"));

IBSIM_SHAPE(api::iam::CreateRoleInput,
            (path, "Path"),
            (role_name, "RoleName"),
            (assume_role_policy_document, "AssumeRolePolicyDocument"),
            (description, "Description"),
            (max_session_duration, "MaxSessionDuration"),
            (permissions_boundary, "PermissionsBoundary"),
            (tags, "Tags"));

IBSIM_SHAPE(api::iam::CreateRoleOutput, (role, "Role"));

IBSIM_SHAPE(api::iam::GetRoleInput, (role_name, "RoleName"));

IBSIM_SHAPE(api::iam::GetRoleOutput, (role, "Role"));

IBSIM_SHAPE(api::iam::DeleteRoleInput, (role_name, "RoleName"));

IBSIM_SHAPE(api::iam::DeleteRoleOutput);

IBSIM_SHAPE(api::iam::ListRolesInput,
            (path_prefix, "PathPrefix"),
            (marker, "Marker"),
            (max_items, "MaxItems"));

IBSIM_SHAPE(api::iam::ListRolesOutput,
            (roles, "Roles"),
            (is_truncated, "IsTruncated"),
            (marker, "Marker"));

IBSIM_SHAPE(api::iam::UpdateAssumeRolePolicyInput,
            (role_name, "RoleName"),
            (policy_document, "PolicyDocument"));

IBSIM_SHAPE(api::iam::UpdateAssumeRolePolicyOutput);

IBSIM_SHAPE(api::iam::TagRoleInput, (role_name, "RoleName"), (tags, "Tags"));

IBSIM_SHAPE(api::iam::TagRoleOutput);

IBSIM_SHAPE(api::iam::PutRolePolicyInput,
            (role_name, "RoleName"),
            (policy_name, "PolicyName"),
            (policy_document, "PolicyDocument"));

IBSIM_SHAPE(api::iam::PutRolePolicyOutput);

IBSIM_SHAPE(api::iam::GetRolePolicyInput, (role_name, "RoleName"), (policy_name, "PolicyName"));

IBSIM_SHAPE(api::iam::GetRolePolicyOutput,
            (role_name, "RoleName"),
            (policy_name, "PolicyName"),
            (policy_document, "PolicyDocument"));

IBSIM_SHAPE(api::iam::DeleteRolePolicyInput, (role_name, "RoleName"), (policy_name, "PolicyName"));

IBSIM_SHAPE(api::iam::DeleteRolePolicyOutput);

IBSIM_SHAPE(api::iam::ListRolePoliciesInput,
            (role_name, "RoleName"),
            (marker, "Marker"),
            (max_items, "MaxItems"));

IBSIM_SHAPE(api::iam::ListRolePoliciesOutput,
            (policy_names, "PolicyNames"),
            (is_truncated, "IsTruncated"),
            (marker, "Marker"));

IBSIM_SHAPE(api::iam::AttachRolePolicyInput, (role_name, "RoleName"), (policy_arn, "PolicyArn"));

IBSIM_SHAPE(api::iam::AttachRolePolicyOutput);

IBSIM_SHAPE(api::iam::DetachRolePolicyInput, (role_name, "RoleName"), (policy_arn, "PolicyArn"));

IBSIM_SHAPE(api::iam::DetachRolePolicyOutput);

IBSIM_SHAPE(api::iam::ListAttachedRolePoliciesInput,
            (role_name, "RoleName"),
            (path_prefix, "PathPrefix"),
            (marker, "Marker"),
            (max_items, "MaxItems"));

IBSIM_SHAPE(api::iam::ListAttachedRolePoliciesOutput,
            (attached_policies, "AttachedPolicies"),
            (is_truncated, "IsTruncated"),
            (marker, "Marker"));

IBSIM_SHAPE(api::iam::CreatePolicyInput,
            (policy_name, "PolicyName"),
            (path, "Path"),
            (policy_document, "PolicyDocument"),
            (description, "Description"),
            (tags, "Tags"));

IBSIM_SHAPE(api::iam::CreatePolicyOutput, (policy, "Policy"));

IBSIM_SHAPE(api::iam::GetPolicyInput, (policy_arn, "PolicyArn"));

IBSIM_SHAPE(api::iam::GetPolicyOutput, (policy, "Policy"));

IBSIM_SHAPE(api::iam::CreatePolicyVersionInput,
            (policy_arn, "PolicyArn"),
            (policy_document, "PolicyDocument"),
            (set_as_default, "SetAsDefault"));

IBSIM_SHAPE(api::iam::CreatePolicyVersionOutput, (policy_version, "PolicyVersion"));

IBSIM_SHAPE(api::iam::GetPolicyVersionInput, (policy_arn, "PolicyArn"), (version_id, "VersionId"));

IBSIM_SHAPE(api::iam::GetPolicyVersionOutput, (policy_version, "PolicyVersion"));

IBSIM_SHAPE(api::iam::DeletePolicyInput, (policy_arn, "PolicyArn"));

IBSIM_SHAPE(api::iam::DeletePolicyOutput);

IBSIM_SHAPE(api::iam::CreateUserInput,
            (path, "Path"),
            (user_name, "UserName"),
            (permissions_boundary, "PermissionsBoundary"),
            (tags, "Tags"));

IBSIM_SHAPE(api::iam::CreateUserOutput, (user, "User"));

IBSIM_SHAPE(api::iam::GetUserInput, (user_name, "UserName"));

IBSIM_SHAPE(api::iam::GetUserOutput, (user, "User"));

IBSIM_SHAPE(api::iam::CreateAccessKeyInput, (user_name, "UserName"));

IBSIM_SHAPE(api::iam::CreateAccessKeyOutput, (access_key, "AccessKey"));

IBSIM_SHAPE(api::iam::AccessKeyMetadata,
            (user_name, "UserName", kOmitDefault),
            (access_key_id, "AccessKeyId"),
            (status, "Status"),
            (create_date, "CreateDate", kEpochMillis));

IBSIM_SHAPE(api::iam::ListUsersInput,
            (path_prefix, "PathPrefix"),
            (marker, "Marker"),
            (max_items, "MaxItems"));

IBSIM_SHAPE(api::iam::ListUsersOutput,
            (users, "Users"),
            (is_truncated, "IsTruncated"),
            (marker, "Marker"));

IBSIM_SHAPE(api::iam::DeleteUserInput, (user_name, "UserName"));

IBSIM_SHAPE(api::iam::DeleteUserOutput);

IBSIM_SHAPE(api::iam::ListAccessKeysInput,
            (user_name, "UserName"),
            (marker, "Marker"),
            (max_items, "MaxItems"));

IBSIM_SHAPE(api::iam::ListAccessKeysOutput,
            (access_key_metadata, "AccessKeyMetadata"),
            (is_truncated, "IsTruncated"),
            (marker, "Marker"));

IBSIM_SHAPE(api::iam::DeleteAccessKeyInput,
            (user_name, "UserName"),
            (access_key_id, "AccessKeyId"));

IBSIM_SHAPE(api::iam::DeleteAccessKeyOutput);

IBSIM_SHAPE(api::iam::UpdateAccessKeyInput,
            (user_name, "UserName"),
            (access_key_id, "AccessKeyId"),
            (status, "Status"));

IBSIM_SHAPE(api::iam::UpdateAccessKeyOutput);

IBSIM_SHAPE(api::iam::PutUserPolicyInput,
            (user_name, "UserName"),
            (policy_name, "PolicyName"),
            (policy_document, "PolicyDocument"));

IBSIM_SHAPE(api::iam::PutUserPolicyOutput);

IBSIM_SHAPE(api::iam::GetUserPolicyInput, (user_name, "UserName"), (policy_name, "PolicyName"));

IBSIM_SHAPE(api::iam::GetUserPolicyOutput,
            (user_name, "UserName"),
            (policy_name, "PolicyName"),
            (policy_document, "PolicyDocument"));

IBSIM_SHAPE(api::iam::DeleteUserPolicyInput, (user_name, "UserName"), (policy_name, "PolicyName"));

IBSIM_SHAPE(api::iam::DeleteUserPolicyOutput);

IBSIM_SHAPE(api::iam::ListUserPoliciesInput,
            (user_name, "UserName"),
            (marker, "Marker"),
            (max_items, "MaxItems"));

IBSIM_SHAPE(api::iam::ListUserPoliciesOutput,
            (policy_names, "PolicyNames"),
            (is_truncated, "IsTruncated"),
            (marker, "Marker"));

IBSIM_SHAPE(api::iam::AttachUserPolicyInput, (user_name, "UserName"), (policy_arn, "PolicyArn"));

IBSIM_SHAPE(api::iam::AttachUserPolicyOutput);

IBSIM_SHAPE(api::iam::DetachUserPolicyInput, (user_name, "UserName"), (policy_arn, "PolicyArn"));

IBSIM_SHAPE(api::iam::DetachUserPolicyOutput);

IBSIM_SHAPE(api::iam::ListAttachedUserPoliciesInput,
            (user_name, "UserName"),
            (path_prefix, "PathPrefix"),
            (marker, "Marker"),
            (max_items, "MaxItems"));

IBSIM_SHAPE(api::iam::ListAttachedUserPoliciesOutput,
            (attached_policies, "AttachedPolicies"),
            (is_truncated, "IsTruncated"),
            (marker, "Marker"));

IBSIM_SHAPE(api::iam::CreateInstanceProfileInput,
            (instance_profile_name, "InstanceProfileName"),
            (path, "Path"),
            (tags, "Tags"));

IBSIM_SHAPE(api::iam::CreateInstanceProfileOutput, (instance_profile, "InstanceProfile"));

IBSIM_SHAPE(api::iam::AddRoleToInstanceProfileInput,
            (instance_profile_name, "InstanceProfileName"),
            (role_name, "RoleName"));

IBSIM_SHAPE(api::iam::AddRoleToInstanceProfileOutput);

IBSIM_SHAPE(api::iam::GetInstanceProfileInput, (instance_profile_name, "InstanceProfileName"));

IBSIM_SHAPE(api::iam::GetInstanceProfileOutput, (instance_profile, "InstanceProfile"));

IBSIM_SHAPE(api::iam::DeleteInstanceProfileInput, (instance_profile_name, "InstanceProfileName"));

IBSIM_SHAPE(api::iam::DeleteInstanceProfileOutput);

IBSIM_SHAPE(api::iam::RemoveRoleFromInstanceProfileInput,
            (instance_profile_name, "InstanceProfileName"),
            (role_name, "RoleName"));

IBSIM_SHAPE(api::iam::RemoveRoleFromInstanceProfileOutput);

IBSIM_MAPPING_OPERATIONS(iam_operations,
                         iam,
                         CreateRole,
                         GetRole,
                         DeleteRole,
                         ListRoles,
                         UpdateAssumeRolePolicy,
                         TagRole,
                         PutRolePolicy,
                         GetRolePolicy,
                         DeleteRolePolicy,
                         ListRolePolicies,
                         AttachRolePolicy,
                         DetachRolePolicy,
                         ListAttachedRolePolicies,
                         CreatePolicy,
                         GetPolicy,
                         CreatePolicyVersion,
                         GetPolicyVersion,
                         DeletePolicy,
                         CreateUser,
                         GetUser,
                         CreateAccessKey,
                         ListUsers,
                         DeleteUser,
                         ListAccessKeys,
                         DeleteAccessKey,
                         UpdateAccessKey,
                         PutUserPolicy,
                         GetUserPolicy,
                         DeleteUserPolicy,
                         ListUserPolicies,
                         AttachUserPolicy,
                         DetachUserPolicy,
                         ListAttachedUserPolicies,
                         CreateInstanceProfile,
                         AddRoleToInstanceProfile,
                         GetInstanceProfile,
                         DeleteInstanceProfile,
                         RemoveRoleFromInstanceProfile)

}  // namespace ibsim::mock_aws::protocol::mapping
