#pragma once
// KmsModel: the state and every rule of AWS KMS for all accounts and regions of a world —
// symmetric keys with real AES-256-GCM key material (from the seeded RNG: real but not secret),
// aliases, key policies, tags, grants, key states with deletion as a scheduled event, and the
// AWS managed key alias/aws/ebs. Each operation first authorizes through auth::Authorizer with
// the key policy as the resource policy, then applies grants, then checks the key state.
// It also implements EbsKeyService, the envelope API the EC2 model uses. Sim thread only.
//
//   KmsModel kms(ctx, authorizer);
//   auto key = kms.create_key(call, {.description = std::string("images")});
//   auto blob = kms.encrypt(call, {.key_id = key->key_metadata.arn, .plaintext = data_key});

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/api/kms_types.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/crypto/aes_gcm.h"
#include "mock_aws/kms/kms_ebs.h"
#include "mock_aws/policy/policy.h"
#include "sim/base/result.h"
#include "sim/context.h"
#include "sim/rng.h"
#include "sim/scheduler.h"

namespace ibsim::mock_aws::kms {

class KmsModel final : public EbsKeyService {
 public:
  // KMS resource quotas (Key Management Service Developer Guide, "Resource quotas").
  struct Options {
    std::size_t keys_per_region_max = 100'000;  // "KMS keys" per account and region.
    std::size_t aliases_per_key_max = 50;       // "Aliases per KMS key".
    std::size_t grants_per_key_max = 50'000;    // "Grants per KMS key".
    std::size_t tags_per_key_max = 50;          // Tags per KMS key.
  };

  KmsModel(sim::Context& ctx, auth::Authorizer& authorizer) : KmsModel(ctx, authorizer, {}) {}

  KmsModel(sim::Context& ctx, auth::Authorizer& authorizer, Options options);
  // Cancels the pending deletion events this model scheduled.
  ~KmsModel() override;

  KmsModel(const KmsModel&) = delete;
  KmsModel& operator=(const KmsModel&) = delete;

  // ---- Keys ----
  sim::Result<api::kms::CreateKeyOutput> create_key(const api::CallContext& ctx,
                                                    const api::kms::CreateKeyInput& in);
  sim::Result<api::kms::DescribeKeyOutput> describe_key(const api::CallContext& ctx,
                                                        const api::kms::DescribeKeyInput& in);
  sim::Result<api::kms::ListKeysOutput> list_keys(const api::CallContext& ctx,
                                                  const api::kms::ListKeysInput& in);
  sim::Result<api::kms::EnableKeyOutput> enable_key(const api::CallContext& ctx,
                                                    const api::kms::EnableKeyInput& in);
  sim::Result<api::kms::DisableKeyOutput> disable_key(const api::CallContext& ctx,
                                                      const api::kms::DisableKeyInput& in);
  sim::Result<api::kms::ScheduleKeyDeletionOutput> schedule_key_deletion(
      const api::CallContext& ctx, const api::kms::ScheduleKeyDeletionInput& in);
  sim::Result<api::kms::CancelKeyDeletionOutput> cancel_key_deletion(
      const api::CallContext& ctx, const api::kms::CancelKeyDeletionInput& in);

  // ---- Aliases ----
  sim::Result<api::kms::CreateAliasOutput> create_alias(const api::CallContext& ctx,
                                                        const api::kms::CreateAliasInput& in);
  sim::Result<api::kms::UpdateAliasOutput> update_alias(const api::CallContext& ctx,
                                                        const api::kms::UpdateAliasInput& in);
  sim::Result<api::kms::DeleteAliasOutput> delete_alias(const api::CallContext& ctx,
                                                        const api::kms::DeleteAliasInput& in);
  sim::Result<api::kms::ListAliasesOutput> list_aliases(const api::CallContext& ctx,
                                                        const api::kms::ListAliasesInput& in);

  // ---- Key policies ----
  sim::Result<api::kms::PutKeyPolicyOutput> put_key_policy(const api::CallContext& ctx,
                                                           const api::kms::PutKeyPolicyInput& in);
  sim::Result<api::kms::GetKeyPolicyOutput> get_key_policy(const api::CallContext& ctx,
                                                           const api::kms::GetKeyPolicyInput& in);
  sim::Result<api::kms::ListKeyPoliciesOutput> list_key_policies(
      const api::CallContext& ctx, const api::kms::ListKeyPoliciesInput& in);

  // ---- Tags ----
  sim::Result<api::kms::TagResourceOutput> tag_resource(const api::CallContext& ctx,
                                                        const api::kms::TagResourceInput& in);
  sim::Result<api::kms::UntagResourceOutput> untag_resource(const api::CallContext& ctx,
                                                            const api::kms::UntagResourceInput& in);
  sim::Result<api::kms::ListResourceTagsOutput> list_resource_tags(
      const api::CallContext& ctx, const api::kms::ListResourceTagsInput& in);

  // ---- Cryptographic operations ----
  sim::Result<api::kms::EncryptOutput> encrypt(const api::CallContext& ctx,
                                               const api::kms::EncryptInput& in);
  sim::Result<api::kms::DecryptOutput> decrypt(const api::CallContext& ctx,
                                               const api::kms::DecryptInput& in);
  sim::Result<api::kms::ReEncryptOutput> re_encrypt(const api::CallContext& ctx,
                                                    const api::kms::ReEncryptInput& in);
  sim::Result<api::kms::GenerateDataKeyOutput> generate_data_key(
      const api::CallContext& ctx, const api::kms::GenerateDataKeyInput& in);
  sim::Result<api::kms::GenerateDataKeyWithoutPlaintextOutput> generate_data_key_without_plaintext(
      const api::CallContext& ctx, const api::kms::GenerateDataKeyWithoutPlaintextInput& in);

  // ---- Grants ----
  sim::Result<api::kms::CreateGrantOutput> create_grant(const api::CallContext& ctx,
                                                        const api::kms::CreateGrantInput& in);
  sim::Result<api::kms::ListGrantsOutput> list_grants(const api::CallContext& ctx,
                                                      const api::kms::ListGrantsInput& in);
  sim::Result<api::kms::ListRetirableGrantsOutput> list_retirable_grants(
      const api::CallContext& ctx, const api::kms::ListRetirableGrantsInput& in);
  sim::Result<api::kms::RetireGrantOutput> retire_grant(const api::CallContext& ctx,
                                                        const api::kms::RetireGrantInput& in);
  sim::Result<api::kms::RevokeGrantOutput> revoke_grant(const api::CallContext& ctx,
                                                        const api::kms::RevokeGrantInput& in);

  // ---- Seeds: world files and tests create state without a caller or authorization, under
  // the same validation rules as the API (policy syntax, alias names, tag rules). ----
  struct SeedKey {
    api::AccountId account;
    api::Region region;
    std::optional<std::string> key_id;  // A fixed key id (UUID form); drawn from the RNG if unset.
    std::string description;
    std::optional<std::string> policy;  // AWS's default key policy when unset.
    std::vector<api::kms::Tag> tags;
    bool enabled = true;
  };

  sim::Result<api::kms::KeyMetadata> seed_key(const SeedKey& seed);
  // `target_key_id` is a key id or key ARN in the same account and region.
  sim::Status seed_alias(const api::AccountId& account,
                         const api::Region& region,
                         std::string_view alias_name,
                         std::string_view target_key_id);
  sim::Status seed_key_policy(std::string_view key_arn, std::string_view policy);

  // ---- Inspection for checkers and tests (no caller, no authorization, no state change) ----
  std::optional<api::kms::KeyMetadata> find_key(std::string_view key_arn) const;
  std::optional<std::string> find_key_policy(std::string_view key_arn) const;
  // The ARN of the key an alias ("alias/x") names in (account, region), if any.
  std::optional<std::string> find_alias_target(const api::AccountId& account,
                                               const api::Region& region,
                                               std::string_view alias_name) const;
  // The plaintext of an EBS data key wrapped in `blob` (encryption context aws:ebs:id =
  // `snapshot_id`), opened with the material of `key_arn` whatever key the blob names; nullopt
  // when that key does not open it (or does not exist). Lets checkers prove which key really
  // protects a snapshot, and that another does not.
  std::optional<Bytes> inspect_open_data_key(std::string_view key_arn,
                                             std::span<const uint8_t> blob,
                                             std::string_view snapshot_id) const;

  // ---- EbsKeyService ----
  sim::Result<std::string> describe_key(const api::CallContext& ctx,
                                        std::string_view key_ref) override;
  std::string aws_managed_ebs_key(const api::AccountId& account,
                                  const api::Region& region) override;
  bool is_aws_managed_key(std::string_view key_arn) const override;
  sim::Result<DataKey> generate_data_key(const api::CallContext& ctx,
                                         std::string_view key_arn,
                                         std::string_view snapshot_id) override;
  sim::Result<Bytes> decrypt_data_key(const api::CallContext& ctx,
                                      const WrappedDataKey& key,
                                      std::string_view snapshot_id) override;
  sim::Result<DataKey> seed_data_key(std::string_view key_arn,
                                     std::string_view snapshot_id) override;

 private:
  enum class KeyState : uint8_t { kEnabled, kDisabled, kPendingDeletion };

  struct Grant {
    std::string grant_id;
    std::optional<std::string> name;
    std::string grantee_principal;
    std::optional<std::string> retiring_principal;
    std::string issuing_account;  // arn:aws:iam::<account>:root
    std::vector<std::string> operations;
    uint32_t operation_bits = 0;
    std::optional<api::kms::GrantConstraints> constraints;
    api::kms::UnixMillis creation_date = 0;
  };

  // Narrows which grants may allow a request (CreateGrant through a grant may not widen it).
  using GrantFilter = std::function<bool(const Grant&)>;

  struct Key {
    api::AccountId account;
    api::Region region;
    std::string key_id;
    std::string arn;
    std::string description;
    api::kms::UnixMillis creation_date = 0;
    KeyState state = KeyState::kEnabled;
    bool aws_managed = false;
    std::optional<api::kms::UnixMillis> deletion_date;
    int32_t pending_window_days = 0;
    sim::EventId deletion_event;
    crypto::AesKey material{};
    std::string policy_text;
    policy::Policy policy;
    std::map<std::string, std::string> tags;
    std::vector<Grant> grants;  // In creation order.
  };

  struct Alias {
    std::string target_key_id;
    api::kms::UnixMillis creation_date = 0;
    api::kms::UnixMillis last_updated_date = 0;
  };

  struct RegionState {
    std::map<std::string, Key, std::less<>> keys;       // By key id.
    std::map<std::string, Alias, std::less<>> aliases;  // By alias name ("alias/x").
  };

  using RegionKey = std::pair<api::AccountId, api::Region>;

  // How an operation accepts a KeyId (aws-facts §4.2, §4.3).
  struct KeyRef {
    bool aliases = true;        // Alias names and alias ARNs are accepted.
    bool cross_account = true;  // Another account's key (by ARN) is usable.
  };

  // One authorization question about a key: the IAM action, the grant operation that can also
  // allow it (0: grants do not apply), the encryption context and extra condition keys.
  struct KeyCheck {
    std::string_view action;
    uint32_t grant_operation = 0;
    const api::kms::EncryptionContext* context = nullptr;
    std::vector<auth::ContextValue> keys;
    const GrantFilter* grant_filter = nullptr;
  };

  RegionState& region_state(const api::AccountId& account, const api::Region& region);
  RegionState* find_region(const api::AccountId& account, const api::Region& region);
  const RegionState* find_region(const api::AccountId& account, const api::Region& region) const;
  Key* find_key_by_arn(std::string_view arn);
  const Key* find_key_by_arn(std::string_view arn) const;

  sim::Result<Key*> resolve_key(const api::CallContext& ctx, std::string_view ref, KeyRef rules);
  sim::Result<Key*> resolve_alias(const api::AccountId& account,
                                  const api::Region& region,
                                  std::string_view alias_name);
  Key& ensure_aws_managed_ebs_key(const api::AccountId& account, const api::Region& region);
  Key& insert_key(const api::AccountId& account,
                  const api::Region& region,
                  std::string key_id,
                  crypto::AesKey material);

  // Key policy and IAM through the authorizer, then grants; `granted_by` learns the grant that
  // allowed the request, if one did.
  sim::Status authorize_key(const api::CallContext& ctx,
                            const Key& key,
                            KeyCheck check,
                            const Grant** granted_by = nullptr);
  sim::Status authorize_plain(const api::CallContext& ctx,
                              std::string_view action,
                              std::string_view resource,
                              std::vector<auth::ContextValue> keys = {});
  sim::AwsError denied(const api::CallContext& ctx, const auth::AuthzResult& result);
  const Grant* grant_allowing(const api::CallContext& ctx,
                              const Key& key,
                              uint32_t grant_operation,
                              const api::kms::EncryptionContext* context,
                              const policy::Decision& decision,
                              const GrantFilter* filter) const;
  sim::Status paginate_grants(std::vector<api::kms::GrantListEntry> all,
                              const std::optional<int32_t>& limit,
                              const std::optional<std::string>& marker,
                              api::kms::ListGrantsOutput& out) const;
  std::vector<auth::ContextValue> key_condition_keys(const api::CallContext& ctx,
                                                     const Key& key) const;

  sim::Status check_usable(const Key& key) const;
  sim::Result<policy::Policy> parse_key_policy(std::string_view text) const;
  // MalformedPolicyDocument unless `candidate` lets the caller call PutKeyPolicy later.
  sim::Status lockout_check(const api::CallContext& ctx,
                            std::string_view key_arn,
                            const std::vector<auth::ContextValue>& resource_keys,
                            const policy::Policy& candidate);
  sim::Status validate_tags(const std::vector<api::kms::Tag>& tags) const;

  api::kms::KeyMetadata metadata(const Key& key) const;
  std::string new_key_id(sim::Rng& rng);
  crypto::AesKey new_key_material(sim::Rng& rng);
  std::vector<uint8_t> seal(const Key& key,
                            const api::kms::EncryptionContext& context,
                            std::span<const uint8_t> plaintext);
  // Parses a blob and finds its key; InvalidCiphertext / NotFound as AWS answers.
  sim::Result<Key*> key_of_blob(const api::CallContext& ctx, std::span<const uint8_t> blob);
  sim::Result<Bytes> open(const Key& key,
                          std::span<const uint8_t> blob,
                          const api::kms::EncryptionContext& context);
  Bytes new_data_key(std::size_t bytes);

  void finish_deletion(Key* key);
  void erase_grant_tokens(const std::string& key_arn, std::string_view grant_id);

  sim::Context& ctx_;
  auth::Authorizer& authorizer_;
  Options options_;
  sim::Rng key_rng_;       // Key ids and key material of customer keys.
  sim::Rng iv_rng_;        // AES-GCM IVs.
  sim::Rng data_key_rng_;  // GenerateDataKey plaintexts and EBS data keys.
  sim::Rng grant_rng_;     // Grant ids and grant tokens.
  std::map<RegionKey, RegionState> regions_;
  std::map<std::string, Key*, std::less<>> by_arn_;
  std::set<std::string, std::less<>> deleted_key_arns_;
  // Grant token -> (key ARN, grant id).
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> grant_tokens_;
  std::vector<uint8_t> aad_scratch_;              // AAD of the current seal/open.
  std::vector<uint8_t> sealed_scratch_;           // Ciphertext || tag of the current open.
  std::vector<auth::ContextValue> keys_scratch_;  // Condition keys of the current request.
};

}  // namespace ibsim::mock_aws::kms
