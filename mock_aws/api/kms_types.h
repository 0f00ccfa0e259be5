#pragma once
// Typed inputs and outputs of the KMS operations ibsim models (API version 2014-11-01). Members
// are AWS's members in snake_case, one to one, so the JSON 1.1 codec maps each field directly:
// blobs are bytes (base64 only on the wire), timestamps are unix milliseconds (epoch seconds on
// the wire), enums keep AWS's spelling as strings (the model validates them), optional members
// are std::optional and lists/maps are empty when absent. No state, no I/O, no JSON library.
//
//   api::kms::EncryptInput in{.key_id = "alias/app", .plaintext = data_key};
//   sim::Result<api::kms::EncryptOutput> out = kms.encrypt(ctx, in);

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ibsim::mock_aws::api::kms {

using Bytes = std::vector<uint8_t>;
// Unix time in milliseconds (KMS's wire format is epoch seconds with a fraction).
using UnixMillis = int64_t;
// Keys and values are case-sensitive; std::map keeps them sorted, as the AAD needs.
using EncryptionContext = std::map<std::string, std::string>;

// Enum values the model uses, in AWS's spelling (botocore model kms 2014-11-01).
inline constexpr std::string_view kKeyUsageEncryptDecrypt = "ENCRYPT_DECRYPT";
inline constexpr std::string_view kKeySpecSymmetricDefault = "SYMMETRIC_DEFAULT";
inline constexpr std::string_view kOriginAwsKms = "AWS_KMS";
inline constexpr std::string_view kKeyManagerCustomer = "CUSTOMER";
inline constexpr std::string_view kKeyManagerAws = "AWS";
inline constexpr std::string_view kKeyStateEnabled = "Enabled";
inline constexpr std::string_view kKeyStateDisabled = "Disabled";
inline constexpr std::string_view kKeyStatePendingDeletion = "PendingDeletion";
inline constexpr std::string_view kEncryptionAlgorithmSymmetricDefault = "SYMMETRIC_DEFAULT";
inline constexpr std::string_view kDataKeySpecAes256 = "AES_256";
inline constexpr std::string_view kDataKeySpecAes128 = "AES_128";
inline constexpr std::string_view kDefaultPolicyName = "default";

struct Tag {
  std::string tag_key;
  std::string tag_value;

  friend bool operator==(const Tag&, const Tag&) = default;
};

struct KeyMetadata {
  std::string aws_account_id;
  std::string key_id;
  std::string arn;
  UnixMillis creation_date = 0;
  bool enabled = false;
  std::string description;
  std::string key_usage;                    // ENCRYPT_DECRYPT
  std::string key_state;                    // Enabled | Disabled | PendingDeletion
  std::optional<UnixMillis> deletion_date;  // Only while PendingDeletion.
  std::string origin;                       // AWS_KMS
  std::string key_manager;                  // CUSTOMER | AWS
  std::string customer_master_key_spec;     // Deprecated twin of key_spec, still returned.
  std::string key_spec;                     // SYMMETRIC_DEFAULT
  std::vector<std::string> encryption_algorithms;
  std::optional<bool> multi_region;
  std::optional<int32_t> pending_deletion_window_in_days;
};

// ---- Keys ----

struct CreateKeyInput {
  std::optional<std::string> policy;
  std::optional<std::string> description;
  std::optional<std::string> key_usage;
  std::optional<std::string> customer_master_key_spec;
  std::optional<std::string> key_spec;
  std::optional<std::string> origin;
  std::optional<std::string> custom_key_store_id;
  bool bypass_policy_lockout_safety_check = false;
  std::vector<Tag> tags;
  std::optional<bool> multi_region;
  std::optional<std::string> xks_key_id;
};

struct CreateKeyOutput {
  KeyMetadata key_metadata;
};

struct DescribeKeyInput {
  std::string key_id;  // Key id, key ARN, alias name or alias ARN.
  std::vector<std::string> grant_tokens;
};

struct DescribeKeyOutput {
  KeyMetadata key_metadata;
};

struct KeyListEntry {
  std::string key_id;
  std::string key_arn;
};

struct ListKeysInput {
  std::optional<int32_t> limit;  // 1..1000, default 100.
  std::optional<std::string> marker;
};

struct ListKeysOutput {
  std::vector<KeyListEntry> keys;
  std::optional<std::string> next_marker;
  bool truncated = false;
};

struct EnableKeyInput {
  std::string key_id;
};

struct EnableKeyOutput {};

struct DisableKeyInput {
  std::string key_id;
};

struct DisableKeyOutput {};

struct ScheduleKeyDeletionInput {
  std::string key_id;
  std::optional<int32_t> pending_window_in_days;  // 7..30, default 30.
};

struct ScheduleKeyDeletionOutput {
  std::string key_id;  // The key ARN, as AWS returns it.
  UnixMillis deletion_date = 0;
  std::string key_state;
  int32_t pending_window_in_days = 0;
};

struct CancelKeyDeletionInput {
  std::string key_id;
};

struct CancelKeyDeletionOutput {
  std::string key_id;  // The key ARN.
};

// ---- Aliases ----

struct CreateAliasInput {
  std::string alias_name;     // "alias/name"
  std::string target_key_id;  // Key id or key ARN (same account and region).
};

struct CreateAliasOutput {};

struct UpdateAliasInput {
  std::string alias_name;
  std::string target_key_id;
};

struct UpdateAliasOutput {};

struct DeleteAliasInput {
  std::string alias_name;
};

struct DeleteAliasOutput {};

struct AliasListEntry {
  std::string alias_name;
  std::string alias_arn;
  std::optional<std::string> target_key_id;  // Absent for a predefined alias not yet in use.
  std::optional<UnixMillis> creation_date;
  std::optional<UnixMillis> last_updated_date;
};

struct ListAliasesInput {
  std::optional<std::string> key_id;
  std::optional<int32_t> limit;
  std::optional<std::string> marker;
};

struct ListAliasesOutput {
  std::vector<AliasListEntry> aliases;
  std::optional<std::string> next_marker;
  bool truncated = false;
};

// ---- Key policies ----

struct PutKeyPolicyInput {
  std::string key_id;
  std::optional<std::string> policy_name;  // Only "default".
  std::string policy;
  bool bypass_policy_lockout_safety_check = false;
};

struct PutKeyPolicyOutput {};

struct GetKeyPolicyInput {
  std::string key_id;
  std::optional<std::string> policy_name;
};

struct GetKeyPolicyOutput {
  std::string policy;
  std::string policy_name;
};

struct ListKeyPoliciesInput {
  std::string key_id;
  std::optional<int32_t> limit;
  std::optional<std::string> marker;
};

struct ListKeyPoliciesOutput {
  std::vector<std::string> policy_names;
  std::optional<std::string> next_marker;
  bool truncated = false;
};

// ---- Tags ----

struct TagResourceInput {
  std::string key_id;
  std::vector<Tag> tags;
};

struct TagResourceOutput {};

struct UntagResourceInput {
  std::string key_id;
  std::vector<std::string> tag_keys;
};

struct UntagResourceOutput {};

struct ListResourceTagsInput {
  std::string key_id;
  std::optional<int32_t> limit;
  std::optional<std::string> marker;
};

struct ListResourceTagsOutput {
  std::vector<Tag> tags;
  std::optional<std::string> next_marker;
  bool truncated = false;
};

// ---- Cryptographic operations ----

struct EncryptInput {
  std::string key_id;
  Bytes plaintext;  // 1..4096 bytes.
  EncryptionContext encryption_context;
  std::vector<std::string> grant_tokens;
  std::optional<std::string> encryption_algorithm;
  std::optional<bool> dry_run;
};

struct EncryptOutput {
  Bytes ciphertext_blob;
  std::string key_id;  // The key ARN.
  std::string encryption_algorithm;
};

struct DecryptInput {
  Bytes ciphertext_blob;
  EncryptionContext encryption_context;
  std::vector<std::string> grant_tokens;
  std::optional<std::string> key_id;  // Optional for symmetric keys; must match the blob's key.
  std::optional<std::string> encryption_algorithm;
  std::optional<bool> dry_run;
};

struct DecryptOutput {
  std::string key_id;  // The key ARN.
  Bytes plaintext;
  std::string encryption_algorithm;
};

struct ReEncryptInput {
  Bytes ciphertext_blob;
  EncryptionContext source_encryption_context;
  std::optional<std::string> source_key_id;
  std::string destination_key_id;
  EncryptionContext destination_encryption_context;
  std::optional<std::string> source_encryption_algorithm;
  std::optional<std::string> destination_encryption_algorithm;
  std::vector<std::string> grant_tokens;
  std::optional<bool> dry_run;
};

struct ReEncryptOutput {
  Bytes ciphertext_blob;
  std::string source_key_id;  // Source key ARN.
  std::string key_id;         // Destination key ARN.
  std::string source_encryption_algorithm;
  std::string destination_encryption_algorithm;
};

struct GenerateDataKeyInput {
  std::string key_id;
  EncryptionContext encryption_context;
  std::optional<int32_t> number_of_bytes;  // 1..1024; exactly one of this and key_spec.
  std::optional<std::string> key_spec;     // AES_256 | AES_128
  std::vector<std::string> grant_tokens;
  std::optional<bool> dry_run;
};

struct GenerateDataKeyOutput {
  Bytes ciphertext_blob;
  Bytes plaintext;
  std::string key_id;  // The key ARN.
};

struct GenerateDataKeyWithoutPlaintextInput {
  std::string key_id;
  EncryptionContext encryption_context;
  std::optional<std::string> key_spec;
  std::optional<int32_t> number_of_bytes;
  std::vector<std::string> grant_tokens;
  std::optional<bool> dry_run;
};

struct GenerateDataKeyWithoutPlaintextOutput {
  Bytes ciphertext_blob;
  std::string key_id;  // The key ARN.
};

// ---- Grants ----

struct GrantConstraints {
  std::optional<EncryptionContext> encryption_context_subset;
  std::optional<EncryptionContext> encryption_context_equals;

  friend bool operator==(const GrantConstraints&, const GrantConstraints&) = default;
};

struct CreateGrantInput {
  std::string key_id;  // Key id or key ARN; aliases are refused.
  std::string grantee_principal;
  std::optional<std::string> retiring_principal;
  std::vector<std::string> operations;  // Grant operation names: "Decrypt", "Encrypt", ...
  std::optional<GrantConstraints> constraints;
  std::vector<std::string> grant_tokens;
  std::optional<std::string> name;
  std::optional<bool> dry_run;
};

struct CreateGrantOutput {
  std::string grant_token;
  std::string grant_id;
};

struct GrantListEntry {
  std::string key_id;  // The key ARN.
  std::string grant_id;
  std::optional<std::string> name;
  UnixMillis creation_date = 0;
  std::string grantee_principal;
  std::optional<std::string> retiring_principal;
  std::string issuing_account;  // arn:aws:iam::<account>:root
  std::vector<std::string> operations;
  std::optional<GrantConstraints> constraints;
};

struct ListGrantsInput {
  std::optional<int32_t> limit;
  std::optional<std::string> marker;
  std::string key_id;
  std::optional<std::string> grant_id;
  std::optional<std::string> grantee_principal;
};

struct ListGrantsOutput {
  std::vector<GrantListEntry> grants;
  std::optional<std::string> next_marker;
  bool truncated = false;
};

struct ListRetirableGrantsInput {
  std::optional<int32_t> limit;
  std::optional<std::string> marker;
  std::string retiring_principal;
};

// AWS answers ListRetirableGrants with ListGrantsResponse.
using ListRetirableGrantsOutput = ListGrantsOutput;

struct RetireGrantInput {
  std::optional<std::string> grant_token;
  std::optional<std::string> key_id;  // With grant_id, instead of the token.
  std::optional<std::string> grant_id;
  std::optional<bool> dry_run;
};

struct RetireGrantOutput {};

struct RevokeGrantInput {
  std::string key_id;
  std::string grant_id;
  std::optional<bool> dry_run;
};

struct RevokeGrantOutput {};

}  // namespace ibsim::mock_aws::api::kms
