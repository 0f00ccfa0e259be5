// KmsModel: the cryptographic operations (Encrypt, Decrypt, ReEncrypt, GenerateDataKey*) and
// the EbsKeyService envelope API. Every call resolves the key, authorizes (key policy, IAM,
// grants), checks the key state, and only then touches key material.

#include <utility>

#include "mock_aws/kms/ciphertext.h"
#include "mock_aws/kms/kms_errors.h"
#include "mock_aws/kms/kms_internal.h"
#include "mock_aws/kms/kms_model.h"

namespace ibsim::mock_aws::kms {

using internal::check_grant_tokens;
using internal::validation_error;
using internal::validation_error_sensitive;

namespace {

constexpr std::size_t kPlaintextBytesMax = 4096;
constexpr int32_t kNumberOfBytesMax = 1024;
constexpr std::size_t kAes256Bytes = 32;
constexpr std::size_t kAes128Bytes = 16;
constexpr std::string_view kEbsContextKey = "aws:ebs:id";

sim::AwsError invalid_ciphertext() {
  // KMS sends InvalidCiphertextException with an empty message (aws-facts §4.5).
  return kms_error(ErrorCode::kInvalidCiphertext, "");
}

sim::Status check_algorithm(const std::optional<std::string>& algorithm) {
  if (!algorithm.has_value() || *algorithm == api::kms::kEncryptionAlgorithmSymmetricDefault) {
    return {};
  }
  if (*algorithm == "RSAES_OAEP_SHA_1" || *algorithm == "RSAES_OAEP_SHA_256"
      || *algorithm == "SM2PKE") {
    // Unconfirmed: KMS's text for an asymmetric algorithm with a symmetric key.
    return kms_error(ErrorCode::kInvalidKeyUsage,
                     "The encryption algorithm " + *algorithm
                         + " is not supported by a symmetric encryption KMS key.");
  }
  return validation_error("encryptionAlgorithm",
                          *algorithm,
                          "satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, "
                          "RSAES_OAEP_SHA_256, SM2PKE]");
}

sim::Status check_blob_size(std::span<const uint8_t> blob) {
  if (blob.empty()) {
    return validation_error_sensitive("ciphertextBlob", "have length greater than or equal to 1");
  }
  if (blob.size() > kCiphertextBlobBytesMax) {
    return validation_error_sensitive("ciphertextBlob", "have length less than or equal to 6144");
  }
  return {};
}

sim::AwsError dry_run() {
  // Unconfirmed: KMS's text for a DryRun request that would have succeeded.
  return kms_error(ErrorCode::kDryRunOperation,
                   "The request would have succeeded, but the DryRun option is set.");
}

// The data key length GenerateDataKey* asks for: exactly one of KeySpec and NumberOfBytes.
sim::Result<std::size_t> data_key_bytes(const std::optional<std::string>& key_spec,
                                        const std::optional<int32_t>& number_of_bytes) {
  if (key_spec.has_value() == number_of_bytes.has_value()) {
    // Unconfirmed for both given: KMS's text is known for neither given.
    return kms_error(ErrorCode::kValidation, "Please specify either number of bytes or key spec.");
  }
  if (key_spec.has_value()) {
    if (*key_spec == api::kms::kDataKeySpecAes256) {
      return kAes256Bytes;
    }
    if (*key_spec == api::kms::kDataKeySpecAes128) {
      return kAes128Bytes;
    }
    return validation_error("keySpec", *key_spec, "satisfy enum value set: [AES_256, AES_128]");
  }
  if (*number_of_bytes < 1) {
    return validation_error(
        "numberOfBytes", std::to_string(*number_of_bytes), "have value greater than or equal to 1");
  }
  if (*number_of_bytes > kNumberOfBytesMax) {
    return validation_error(
        "numberOfBytes", std::to_string(*number_of_bytes), "have value less than or equal to 1024");
  }
  return static_cast<std::size_t>(*number_of_bytes);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Building blocks

std::vector<uint8_t> KmsModel::seal(const Key& key,
                                    const api::kms::EncryptionContext& context,
                                    std::span<const uint8_t> plaintext) {
  crypto::GcmIv iv{};
  iv_rng_.fill_bytes(iv);
  return seal_ciphertext(key.material, key.arn, iv, context, plaintext, aad_scratch_);
}

sim::Result<KmsModel::Key*> KmsModel::key_of_blob(const api::CallContext& ctx,
                                                  std::span<const uint8_t> blob) {
  const std::optional<CiphertextView> view = parse_ciphertext(blob);
  if (!view.has_value()) {
    return invalid_ciphertext();
  }
  if (Key* key = find_key_by_arn(view->key_arn); key != nullptr) {
    // A blob from another region is not a ciphertext this endpoint can read. Unconfirmed: the
    // code KMS answers with (InvalidCiphertextException here).
    if (key->region != ctx.region) {
      return invalid_ciphertext();
    }
    return key;
  }
  // Unconfirmed: a ciphertext under a deleted key answers NotFound; bytes that never named a
  // key are not a ciphertext at all.
  if (deleted_key_arns_.contains(view->key_arn)) {
    return kms_error(ErrorCode::kNotFound,
                     "Key '" + std::string(view->key_arn) + "' does not exist");
  }
  return invalid_ciphertext();
}

sim::Result<Bytes> KmsModel::open(const Key& key,
                                  std::span<const uint8_t> blob,
                                  const api::kms::EncryptionContext& context) {
  const std::optional<CiphertextView> view = parse_ciphertext(blob);
  if (!view.has_value()) {
    return invalid_ciphertext();
  }
  std::optional<std::vector<uint8_t>> plaintext =
      open_ciphertext(key.material, *view, context, aad_scratch_, sealed_scratch_);
  if (!plaintext.has_value()) {
    return invalid_ciphertext();
  }
  return std::move(*plaintext);
}

Bytes KmsModel::new_data_key(std::size_t bytes) {
  Bytes plaintext(bytes);
  data_key_rng_.fill_bytes(plaintext);
  return plaintext;
}

// ---------------------------------------------------------------------------------------------
// Operations

sim::Result<api::kms::EncryptOutput> KmsModel::encrypt(const api::CallContext& ctx,
                                                       const api::kms::EncryptInput& in) {
  if (in.plaintext.empty()) {
    return validation_error_sensitive("plaintext", "have length greater than or equal to 1");
  }
  if (in.plaintext.size() > kPlaintextBytesMax) {
    return validation_error_sensitive("plaintext", "have length less than or equal to 4096");
  }
  if (sim::Status s = check_grant_tokens(in.grant_tokens); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_algorithm(in.encryption_algorithm); !s.ok()) {
    return s.error();
  }
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = true, .cross_account = true});
  if (!found.ok()) {
    return found.error();
  }
  const Key& key = **found;
  if (sim::Status s = authorize_key(ctx,
                                    key,
                                    {.action = "kms:Encrypt",
                                     .grant_operation = internal::kOpEncrypt,
                                     .context = &in.encryption_context});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_usable(key); !s.ok()) {
    return s.error();
  }
  if (in.dry_run.value_or(false)) {
    return dry_run();
  }
  return api::kms::EncryptOutput{seal(key, in.encryption_context, in.plaintext),
                                 key.arn,
                                 std::string(api::kms::kEncryptionAlgorithmSymmetricDefault)};
}

sim::Result<api::kms::DecryptOutput> KmsModel::decrypt(const api::CallContext& ctx,
                                                       const api::kms::DecryptInput& in) {
  if (sim::Status s = check_blob_size(in.ciphertext_blob); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_grant_tokens(in.grant_tokens); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_algorithm(in.encryption_algorithm); !s.ok()) {
    return s.error();
  }
  // The key is the one inside the ciphertext (aws-facts §4.5), never the optional KeyId.
  sim::Result<Key*> found = key_of_blob(ctx, in.ciphertext_blob);
  if (!found.ok()) {
    return found.error();
  }
  const Key& key = **found;
  if (in.key_id.has_value()) {
    sim::Result<Key*> named =
        resolve_key(ctx, *in.key_id, {.aliases = true, .cross_account = true});
    if (!named.ok()) {
      return named.error();
    }
    if (*named != &key) {
      // Unconfirmed: KMS's text.
      return kms_error(ErrorCode::kIncorrectKey,
                       "The key ID in the request does not identify a KMS key that can perform "
                       "this operation.");
    }
  }
  if (sim::Status s = authorize_key(ctx,
                                    key,
                                    {.action = "kms:Decrypt",
                                     .grant_operation = internal::kOpDecrypt,
                                     .context = &in.encryption_context});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_usable(key); !s.ok()) {
    return s.error();
  }
  if (in.dry_run.value_or(false)) {
    return dry_run();
  }
  sim::Result<Bytes> plaintext = open(key, in.ciphertext_blob, in.encryption_context);
  if (!plaintext.ok()) {
    return plaintext.error();
  }
  return api::kms::DecryptOutput{key.arn,
                                 std::move(plaintext).value(),
                                 std::string(api::kms::kEncryptionAlgorithmSymmetricDefault)};
}

sim::Result<api::kms::ReEncryptOutput> KmsModel::re_encrypt(const api::CallContext& ctx,
                                                            const api::kms::ReEncryptInput& in) {
  if (sim::Status s = check_blob_size(in.ciphertext_blob); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_grant_tokens(in.grant_tokens); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_algorithm(in.source_encryption_algorithm); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_algorithm(in.destination_encryption_algorithm); !s.ok()) {
    return s.error();
  }
  sim::Result<Key*> source = key_of_blob(ctx, in.ciphertext_blob);
  if (!source.ok()) {
    return source.error();
  }
  if (in.source_key_id.has_value()) {
    sim::Result<Key*> named =
        resolve_key(ctx, *in.source_key_id, {.aliases = true, .cross_account = true});
    if (!named.ok()) {
      return named.error();
    }
    if (*named != *source) {
      return kms_error(ErrorCode::kIncorrectKey,
                       "The key ID in the request does not identify a KMS key that can perform "
                       "this operation.");
    }
  }
  sim::Result<Key*> destination =
      resolve_key(ctx, in.destination_key_id, {.aliases = true, .cross_account = true});
  if (!destination.ok()) {
    return destination.error();
  }
  const Key& from = **source;
  const Key& to = **destination;
  // Unconfirmed: which context the kms:EncryptionContext keys carry for each half; ibsim uses
  // the source context for ReEncryptFrom and the destination context for ReEncryptTo.
  if (sim::Status s = authorize_key(ctx,
                                    from,
                                    {.action = "kms:ReEncryptFrom",
                                     .grant_operation = internal::kOpReEncryptFrom,
                                     .context = &in.source_encryption_context});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = authorize_key(ctx,
                                    to,
                                    {.action = "kms:ReEncryptTo",
                                     .grant_operation = internal::kOpReEncryptTo,
                                     .context = &in.destination_encryption_context});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_usable(from); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_usable(to); !s.ok()) {
    return s.error();
  }
  if (in.dry_run.value_or(false)) {
    return dry_run();
  }
  sim::Result<Bytes> plaintext = open(from, in.ciphertext_blob, in.source_encryption_context);
  if (!plaintext.ok()) {
    return plaintext.error();
  }
  return api::kms::ReEncryptOutput{seal(to, in.destination_encryption_context, *plaintext),
                                   from.arn,
                                   to.arn,
                                   std::string(api::kms::kEncryptionAlgorithmSymmetricDefault),
                                   std::string(api::kms::kEncryptionAlgorithmSymmetricDefault)};
}

sim::Result<api::kms::GenerateDataKeyOutput> KmsModel::generate_data_key(
    const api::CallContext& ctx, const api::kms::GenerateDataKeyInput& in) {
  if (sim::Status s = check_grant_tokens(in.grant_tokens); !s.ok()) {
    return s.error();
  }
  const sim::Result<std::size_t> bytes = data_key_bytes(in.key_spec, in.number_of_bytes);
  if (!bytes.ok()) {
    return bytes.error();
  }
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = true, .cross_account = true});
  if (!found.ok()) {
    return found.error();
  }
  const Key& key = **found;
  if (sim::Status s = authorize_key(ctx,
                                    key,
                                    {.action = "kms:GenerateDataKey",
                                     .grant_operation = internal::kOpGenerateDataKey,
                                     .context = &in.encryption_context});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_usable(key); !s.ok()) {
    return s.error();
  }
  if (in.dry_run.value_or(false)) {
    return dry_run();
  }
  Bytes plaintext = new_data_key(*bytes);
  api::kms::GenerateDataKeyOutput out;
  out.ciphertext_blob = seal(key, in.encryption_context, plaintext);
  out.plaintext = std::move(plaintext);
  out.key_id = key.arn;
  return out;
}

sim::Result<api::kms::GenerateDataKeyWithoutPlaintextOutput>
KmsModel::generate_data_key_without_plaintext(
    const api::CallContext& ctx, const api::kms::GenerateDataKeyWithoutPlaintextInput& in) {
  if (sim::Status s = check_grant_tokens(in.grant_tokens); !s.ok()) {
    return s.error();
  }
  const sim::Result<std::size_t> bytes = data_key_bytes(in.key_spec, in.number_of_bytes);
  if (!bytes.ok()) {
    return bytes.error();
  }
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = true, .cross_account = true});
  if (!found.ok()) {
    return found.error();
  }
  const Key& key = **found;
  if (sim::Status s =
          authorize_key(ctx,
                        key,
                        {.action = "kms:GenerateDataKeyWithoutPlaintext",
                         .grant_operation = internal::kOpGenerateDataKeyWithoutPlaintext,
                         .context = &in.encryption_context});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_usable(key); !s.ok()) {
    return s.error();
  }
  if (in.dry_run.value_or(false)) {
    return dry_run();
  }
  const Bytes plaintext = new_data_key(*bytes);
  return api::kms::GenerateDataKeyWithoutPlaintextOutput{
      seal(key, in.encryption_context, plaintext), key.arn};
}

// ---------------------------------------------------------------------------------------------
// EbsKeyService: what EC2 asks for a caller, "via ec2.<region>.amazonaws.com".

namespace {

// Unconfirmed: EC2's internal KMS calls are not documented (aws-facts §8); the grant EC2 would
// create is checked (kms:CreateGrant with kms:GrantIsForAWSResource) but not stored.
// True when an AWS service makes the call for the principal, as EC2 does (ctx.via_service).
auth::ContextValue grant_for_aws_resource(const api::CallContext& ctx) {
  return {"kms:GrantIsForAWSResource", {ctx.via_service.empty() ? "false" : "true"}, false};
}

}  // namespace

sim::Result<std::string> KmsModel::describe_key(const api::CallContext& ctx,
                                                std::string_view key_ref) {
  sim::Result<Key*> found = resolve_key(ctx, key_ref, {.aliases = true, .cross_account = true});
  if (!found.ok()) {
    return found.error();
  }
  if (sim::Status s = authorize_key(
          ctx, **found, {.action = "kms:DescribeKey", .grant_operation = internal::kOpDescribeKey});
      !s.ok()) {
    return s.error();
  }
  return (*found)->arn;
}

std::string KmsModel::aws_managed_ebs_key(const api::AccountId& account,
                                          const api::Region& region) {
  return ensure_aws_managed_ebs_key(account, region).arn;
}

bool KmsModel::is_aws_managed_key(std::string_view key_arn) const {
  const Key* key = find_key_by_arn(key_arn);
  return key != nullptr && key->aws_managed;
}

sim::Result<DataKey> KmsModel::generate_data_key(const api::CallContext& ctx,
                                                 std::string_view key_arn,
                                                 std::string_view snapshot_id) {
  sim::Result<Key*> found = resolve_key(ctx, key_arn, {.aliases = true, .cross_account = true});
  if (!found.ok()) {
    return found.error();
  }
  const Key& key = **found;
  const api::kms::EncryptionContext context{
      {std::string(kEbsContextKey), std::string(snapshot_id)}};
  if (sim::Status s = authorize_key(
          ctx, key, {.action = "kms:DescribeKey", .grant_operation = internal::kOpDescribeKey});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = authorize_key(ctx,
                                    key,
                                    {.action = "kms:CreateGrant",
                                     .grant_operation = internal::kOpCreateGrant,
                                     .keys = {grant_for_aws_resource(ctx)}});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s =
          authorize_key(ctx,
                        key,
                        {.action = "kms:GenerateDataKeyWithoutPlaintext",
                         .grant_operation = internal::kOpGenerateDataKeyWithoutPlaintext,
                         .context = &context});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_usable(key); !s.ok()) {
    return s.error();
  }
  Bytes plaintext = new_data_key(kAes256Bytes);
  DataKey out;
  out.wrapped.key_arn = key.arn;
  out.wrapped.blob = seal(key, context, plaintext);
  out.plaintext = std::move(plaintext);
  return out;
}

sim::Result<Bytes> KmsModel::decrypt_data_key(const api::CallContext& ctx,
                                              const WrappedDataKey& wrapped,
                                              std::string_view snapshot_id) {
  sim::Result<Key*> found = key_of_blob(ctx, wrapped.blob);
  if (!found.ok()) {
    return found.error();
  }
  const Key& key = **found;
  if (key.arn != wrapped.key_arn) {
    return kms_error(ErrorCode::kIncorrectKey,
                     "The key ID in the request does not identify a KMS key that can perform "
                     "this operation.");
  }
  const api::kms::EncryptionContext context{
      {std::string(kEbsContextKey), std::string(snapshot_id)}};
  if (sim::Status s = authorize_key(ctx,
                                    key,
                                    {.action = "kms:CreateGrant",
                                     .grant_operation = internal::kOpCreateGrant,
                                     .keys = {grant_for_aws_resource(ctx)}});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = authorize_key(
          ctx,
          key,
          {.action = "kms:Decrypt", .grant_operation = internal::kOpDecrypt, .context = &context});
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = check_usable(key); !s.ok()) {
    return s.error();
  }
  return open(key, wrapped.blob, context);
}

std::optional<Bytes> KmsModel::inspect_open_data_key(std::string_view key_arn,
                                                     std::span<const uint8_t> blob,
                                                     std::string_view snapshot_id) const {
  const Key* key = find_key_by_arn(key_arn);
  const std::optional<CiphertextView> view = parse_ciphertext(blob);
  if (key == nullptr || !view.has_value()) {
    return std::nullopt;
  }
  const api::kms::EncryptionContext context{
      {std::string(kEbsContextKey), std::string(snapshot_id)}};
  std::vector<uint8_t> scratch;
  std::vector<uint8_t> sealed_scratch;
  return open_ciphertext(key->material, *view, context, scratch, sealed_scratch);
}

sim::Result<DataKey> KmsModel::seed_data_key(std::string_view key_arn,
                                             std::string_view snapshot_id) {
  const Key* key = find_key_by_arn(key_arn);
  if (key == nullptr) {
    return kms_error(ErrorCode::kNotFound, "Key '" + std::string(key_arn) + "' does not exist");
  }
  const api::kms::EncryptionContext context{
      {std::string(kEbsContextKey), std::string(snapshot_id)}};
  Bytes plaintext = new_data_key(kAes256Bytes);
  DataKey out;
  out.wrapped.key_arn = key->arn;
  out.wrapped.blob = seal(*key, context, plaintext);
  out.plaintext = std::move(plaintext);
  return out;
}

}  // namespace ibsim::mock_aws::kms
