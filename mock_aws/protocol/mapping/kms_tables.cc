// The KMS field tables: every api::kms struct an operation reaches, each C++ member
// with its botocore member name; and the KMS operations mapped (Operation<In, Out>).

#include "mock_aws/api/kms_types.h"
#include "mock_aws/protocol/mapping/shape_table.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

constexpr ServiceId kTableService = ServiceId::kKms;

}  // namespace

IBSIM_SHAPE(api::kms::Tag, (tag_key, "TagKey"), (tag_value, "TagValue"));

IBSIM_SHAPE(api::kms::KeyMetadata,
            (aws_account_id, "AWSAccountId"),
            (key_id, "KeyId"),
            (arn, "Arn"),
            (creation_date, "CreationDate", kEpochMillis),
            (enabled, "Enabled"),
            (description, "Description"),
            (key_usage, "KeyUsage"),
            (key_state, "KeyState"),
            (deletion_date, "DeletionDate", kEpochMillis),
            (origin, "Origin"),
            (key_manager, "KeyManager"),
            (customer_master_key_spec, "CustomerMasterKeySpec"),
            (key_spec, "KeySpec"),
            (encryption_algorithms, "EncryptionAlgorithms"),
            (multi_region, "MultiRegion"),
            (pending_deletion_window_in_days, "PendingDeletionWindowInDays"));

// BypassPolicyLockoutSafetyCheck is sent only when true, as the CLI and SDKs do.
IBSIM_SHAPE(api::kms::CreateKeyInput,
            (policy, "Policy"),
            (description, "Description"),
            (key_usage, "KeyUsage"),
            (customer_master_key_spec, "CustomerMasterKeySpec"),
            (key_spec, "KeySpec"),
            (origin, "Origin"),
            (custom_key_store_id, "CustomKeyStoreId"),
            (bypass_policy_lockout_safety_check, "BypassPolicyLockoutSafetyCheck", kOmitDefault),
            (tags, "Tags"),
            (multi_region, "MultiRegion"),
            (xks_key_id, "XksKeyId"));

IBSIM_SHAPE(api::kms::CreateKeyOutput, (key_metadata, "KeyMetadata"));

IBSIM_SHAPE(api::kms::DescribeKeyInput, (key_id, "KeyId"), (grant_tokens, "GrantTokens"));

IBSIM_SHAPE(api::kms::DescribeKeyOutput, (key_metadata, "KeyMetadata"));

IBSIM_SHAPE(api::kms::KeyListEntry, (key_id, "KeyId"), (key_arn, "KeyArn"));

IBSIM_SHAPE(api::kms::ListKeysInput, (limit, "Limit"), (marker, "Marker"));

IBSIM_SHAPE(api::kms::ListKeysOutput,
            (keys, "Keys"),
            (next_marker, "NextMarker"),
            (truncated, "Truncated"));

IBSIM_SHAPE(api::kms::EnableKeyInput, (key_id, "KeyId"));

IBSIM_SHAPE(api::kms::EnableKeyOutput);

IBSIM_SHAPE(api::kms::DisableKeyInput, (key_id, "KeyId"));

IBSIM_SHAPE(api::kms::DisableKeyOutput);

IBSIM_SHAPE(api::kms::ScheduleKeyDeletionInput,
            (key_id, "KeyId"),
            (pending_window_in_days, "PendingWindowInDays"));

IBSIM_SHAPE(api::kms::ScheduleKeyDeletionOutput,
            (key_id, "KeyId"),
            (deletion_date, "DeletionDate", kEpochMillis),
            (key_state, "KeyState"),
            (pending_window_in_days, "PendingWindowInDays"));

IBSIM_SHAPE(api::kms::CancelKeyDeletionInput, (key_id, "KeyId"));

IBSIM_SHAPE(api::kms::CancelKeyDeletionOutput, (key_id, "KeyId"));

IBSIM_SHAPE(api::kms::CreateAliasInput, (alias_name, "AliasName"), (target_key_id, "TargetKeyId"));

IBSIM_SHAPE(api::kms::CreateAliasOutput);

IBSIM_SHAPE(api::kms::UpdateAliasInput, (alias_name, "AliasName"), (target_key_id, "TargetKeyId"));

IBSIM_SHAPE(api::kms::UpdateAliasOutput);

IBSIM_SHAPE(api::kms::DeleteAliasInput, (alias_name, "AliasName"));

IBSIM_SHAPE(api::kms::DeleteAliasOutput);

IBSIM_SHAPE(api::kms::AliasListEntry,
            (alias_name, "AliasName"),
            (alias_arn, "AliasArn"),
            (target_key_id, "TargetKeyId"),
            (creation_date, "CreationDate", kEpochMillis),
            (last_updated_date, "LastUpdatedDate", kEpochMillis));

IBSIM_SHAPE(api::kms::ListAliasesInput, (key_id, "KeyId"), (limit, "Limit"), (marker, "Marker"));

IBSIM_SHAPE(api::kms::ListAliasesOutput,
            (aliases, "Aliases"),
            (next_marker, "NextMarker"),
            (truncated, "Truncated"));

IBSIM_SHAPE(api::kms::PutKeyPolicyInput,
            (key_id, "KeyId"),
            (policy_name, "PolicyName"),
            (policy, "Policy"),
            (bypass_policy_lockout_safety_check, "BypassPolicyLockoutSafetyCheck", kOmitDefault));

IBSIM_SHAPE(api::kms::PutKeyPolicyOutput);

IBSIM_SHAPE(api::kms::GetKeyPolicyInput, (key_id, "KeyId"), (policy_name, "PolicyName"));

IBSIM_SHAPE(api::kms::GetKeyPolicyOutput, (policy, "Policy"), (policy_name, "PolicyName"));

IBSIM_SHAPE(api::kms::ListKeyPoliciesInput,
            (key_id, "KeyId"),
            (limit, "Limit"),
            (marker, "Marker"));

IBSIM_SHAPE(api::kms::ListKeyPoliciesOutput,
            (policy_names, "PolicyNames"),
            (next_marker, "NextMarker"),
            (truncated, "Truncated"));

IBSIM_SHAPE(api::kms::TagResourceInput, (key_id, "KeyId"), (tags, "Tags"));

IBSIM_SHAPE(api::kms::TagResourceOutput);

IBSIM_SHAPE(api::kms::UntagResourceInput, (key_id, "KeyId"), (tag_keys, "TagKeys"));

IBSIM_SHAPE(api::kms::UntagResourceOutput);

IBSIM_SHAPE(api::kms::ListResourceTagsInput,
            (key_id, "KeyId"),
            (limit, "Limit"),
            (marker, "Marker"));

IBSIM_SHAPE(api::kms::ListResourceTagsOutput,
            (tags, "Tags"),
            (next_marker, "NextMarker"),
            (truncated, "Truncated"));

IBSIM_SHAPE(api::kms::EncryptInput,
            (key_id, "KeyId"),
            (plaintext, "Plaintext"),
            (encryption_context, "EncryptionContext"),
            (grant_tokens, "GrantTokens"),
            (encryption_algorithm, "EncryptionAlgorithm"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::kms::EncryptOutput,
            (ciphertext_blob, "CiphertextBlob"),
            (key_id, "KeyId"),
            (encryption_algorithm, "EncryptionAlgorithm"));

IBSIM_SHAPE(api::kms::DecryptInput,
            (ciphertext_blob, "CiphertextBlob"),
            (encryption_context, "EncryptionContext"),
            (grant_tokens, "GrantTokens"),
            (key_id, "KeyId"),
            (encryption_algorithm, "EncryptionAlgorithm"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::kms::DecryptOutput,
            (key_id, "KeyId"),
            (plaintext, "Plaintext"),
            (encryption_algorithm, "EncryptionAlgorithm"));

IBSIM_SHAPE(api::kms::ReEncryptInput,
            (ciphertext_blob, "CiphertextBlob"),
            (source_encryption_context, "SourceEncryptionContext"),
            (source_key_id, "SourceKeyId"),
            (destination_key_id, "DestinationKeyId"),
            (destination_encryption_context, "DestinationEncryptionContext"),
            (source_encryption_algorithm, "SourceEncryptionAlgorithm"),
            (destination_encryption_algorithm, "DestinationEncryptionAlgorithm"),
            (grant_tokens, "GrantTokens"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::kms::ReEncryptOutput,
            (ciphertext_blob, "CiphertextBlob"),
            (source_key_id, "SourceKeyId"),
            (key_id, "KeyId"),
            (source_encryption_algorithm, "SourceEncryptionAlgorithm"),
            (destination_encryption_algorithm, "DestinationEncryptionAlgorithm"));

IBSIM_SHAPE(api::kms::GenerateDataKeyInput,
            (key_id, "KeyId"),
            (encryption_context, "EncryptionContext"),
            (number_of_bytes, "NumberOfBytes"),
            (key_spec, "KeySpec"),
            (grant_tokens, "GrantTokens"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::kms::GenerateDataKeyOutput,
            (ciphertext_blob, "CiphertextBlob"),
            (plaintext, "Plaintext"),
            (key_id, "KeyId"));

IBSIM_SHAPE(api::kms::GenerateDataKeyWithoutPlaintextInput,
            (key_id, "KeyId"),
            (encryption_context, "EncryptionContext"),
            (key_spec, "KeySpec"),
            (number_of_bytes, "NumberOfBytes"),
            (grant_tokens, "GrantTokens"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::kms::GenerateDataKeyWithoutPlaintextOutput,
            (ciphertext_blob, "CiphertextBlob"),
            (key_id, "KeyId"));

IBSIM_SHAPE(api::kms::GrantConstraints,
            (encryption_context_subset, "EncryptionContextSubset"),
            (encryption_context_equals, "EncryptionContextEquals"));

IBSIM_SHAPE(api::kms::CreateGrantInput,
            (key_id, "KeyId"),
            (grantee_principal, "GranteePrincipal"),
            (retiring_principal, "RetiringPrincipal"),
            (operations, "Operations"),
            (constraints, "Constraints"),
            (grant_tokens, "GrantTokens"),
            (name, "Name"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::kms::CreateGrantOutput, (grant_token, "GrantToken"), (grant_id, "GrantId"));

IBSIM_SHAPE(api::kms::GrantListEntry,
            (key_id, "KeyId"),
            (grant_id, "GrantId"),
            (name, "Name"),
            (creation_date, "CreationDate", kEpochMillis),
            (grantee_principal, "GranteePrincipal"),
            (retiring_principal, "RetiringPrincipal"),
            (issuing_account, "IssuingAccount"),
            (operations, "Operations"),
            (constraints, "Constraints"));

IBSIM_SHAPE(api::kms::ListGrantsInput,
            (limit, "Limit"),
            (marker, "Marker"),
            (key_id, "KeyId"),
            (grant_id, "GrantId"),
            (grantee_principal, "GranteePrincipal"));

IBSIM_SHAPE(api::kms::ListGrantsOutput,
            (grants, "Grants"),
            (next_marker, "NextMarker"),
            (truncated, "Truncated"));

IBSIM_SHAPE(api::kms::ListRetirableGrantsInput,
            (limit, "Limit"),
            (marker, "Marker"),
            (retiring_principal, "RetiringPrincipal"));

IBSIM_SHAPE(api::kms::RetireGrantInput,
            (grant_token, "GrantToken"),
            (key_id, "KeyId"),
            (grant_id, "GrantId"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::kms::RetireGrantOutput);

IBSIM_SHAPE(api::kms::RevokeGrantInput,
            (key_id, "KeyId"),
            (grant_id, "GrantId"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::kms::RevokeGrantOutput);

IBSIM_MAPPING_OPERATIONS(kms_operations,
                         kms,
                         CreateKey,
                         DescribeKey,
                         ListKeys,
                         CreateAlias,
                         UpdateAlias,
                         DeleteAlias,
                         ListAliases,
                         EnableKey,
                         DisableKey,
                         ScheduleKeyDeletion,
                         CancelKeyDeletion,
                         PutKeyPolicy,
                         GetKeyPolicy,
                         ListKeyPolicies,
                         TagResource,
                         UntagResource,
                         ListResourceTags,
                         Encrypt,
                         Decrypt,
                         ReEncrypt,
                         GenerateDataKey,
                         GenerateDataKeyWithoutPlaintext,
                         CreateGrant,
                         ListGrants,
                         ListRetirableGrants,
                         RetireGrant,
                         RevokeGrant)

}  // namespace ibsim::mock_aws::protocol::mapping
