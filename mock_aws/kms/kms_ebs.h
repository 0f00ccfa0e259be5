#pragma once
// EbsKeyService: what EBS (the EC2 model) asks of KMS for encrypted snapshots — the envelope
// API. Every call is made for a caller (ctx.principal, e.g. a target account's role session)
// with ctx.via_service = "ec2.<region>.amazonaws.com", and is authorized exactly as KMS
// authorizes the requests EBS makes for that caller: key policy, the caller's IAM policies, grants,
// kms:ViaService, kms:CallerAccount, kms:GrantIsForAWSResource, and the encryption context
// {"aws:ebs:id": <snapshot id>}. KmsModel implements it; the EC2 model depends only on this.
//
// Permissions checked per call (aws-facts §4.5; EC2's internal call pattern is not documented,
// this is ibsim's model of it, listed in docs/fidelity.md):
//   describe_key       kms:DescribeKey
//   generate_data_key  kms:DescribeKey, kms:CreateGrant (GrantIsForAWSResource), and
//                      kms:GenerateDataKeyWithoutPlaintext on the destination key
//   decrypt_data_key   kms:CreateGrant (GrantIsForAWSResource) and kms:Decrypt on the source key
// kms:GrantIsForAWSResource is "true" only when ctx.via_service is set; the grant EC2 would
// create is authorized but not stored (ListGrants does not show it). Keys are regional: ctx.region
// must be the key's region (decrypt in the source region, generate in the destination region),
// else the key is not found (describe/generate) or the blob is InvalidCiphertext (decrypt).
// Errors are KMS's own (AccessDeniedException, DisabledException, KMSInvalidStateException,
// NotFoundException, InvalidCiphertextException); EC2 turns them into its copy failure reasons.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/ids.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::kms {

using Bytes = std::vector<uint8_t>;

// A snapshot's data key as stored with the snapshot: the KMS ciphertext blob that wraps it.
struct WrappedDataKey {
  std::string key_arn;  // The KMS key that wraps the data key (also inside the blob).
  Bytes blob;           // KMS ciphertext blob; decrypting it needs the same encryption context.
};

struct DataKey {
  WrappedDataKey wrapped;
  Bytes plaintext;  // 32 bytes (AES-256); EC2 holds it only while it re-encrypts a copy.
};

class EbsKeyService {
 public:
  virtual ~EbsKeyService() = default;

  // Resolves a KmsKeyId as EC2 accepts it — key id, key ARN, alias name ("alias/x") or alias
  // ARN — in ctx.region to the key's ARN, checking kms:DescribeKey for the caller. Aliases and
  // key ids resolve in the caller's account; other accounts' keys need the ARN.
  virtual sim::Result<std::string> describe_key(const api::CallContext& ctx,
                                                std::string_view key_ref) = 0;

  // The AWS managed key alias/aws/ebs of (account, region): created on first use, with a key
  // policy that lets only principals of that account use it, and only through EC2.
  virtual std::string aws_managed_ebs_key(const api::AccountId& account,
                                          const api::Region& region) = 0;

  // True for AWS managed keys (KeyManager AWS), which can never protect a shared snapshot.
  virtual bool is_aws_managed_key(std::string_view key_arn) const = 0;

  // A new data key for `snapshot_id`, wrapped under `key_arn`.
  virtual sim::Result<DataKey> generate_data_key(const api::CallContext& ctx,
                                                 std::string_view key_arn,
                                                 std::string_view snapshot_id) = 0;

  // The plaintext of a snapshot's data key.
  virtual sim::Result<Bytes> decrypt_data_key(const api::CallContext& ctx,
                                              const WrappedDataKey& key,
                                              std::string_view snapshot_id) = 0;

  // For world files and tests: a data key wrapped under `key_arn` without a caller and without
  // authorization (the snapshot already exists when the world starts).
  virtual sim::Result<DataKey> seed_data_key(std::string_view key_arn,
                                             std::string_view snapshot_id) = 0;
};

}  // namespace ibsim::mock_aws::kms
