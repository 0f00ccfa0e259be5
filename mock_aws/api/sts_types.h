#pragma once
// Typed inputs and outputs of the STS operations ibsim models (botocore sts 2011-06-15), members
// named after AWS's in snake_case, optional request members as std::optional. Timestamps are
// Unix milliseconds from the simulation clock (the codecs render ISO-8601).
//
//   api::sts::AssumeRoleInput in{.role_arn = arn, .role_session_name = "ImageBuilder"};
//   sim::Result<api::sts::AssumeRoleOutput> out = sts.assume_role(ctx, in);

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ibsim::mock_aws::api::sts {

struct Tag {
  std::string key;
  std::string value;

  friend bool operator==(const Tag&, const Tag&) = default;
};

struct PolicyDescriptorType {
  std::string arn;
};

struct Credentials {
  std::string access_key_id;  // ASIA...
  std::string secret_access_key;
  std::string session_token;
  int64_t expiration = 0;  // Unix ms.
};

struct AssumedRoleUser {
  std::string assumed_role_id;  // AROA...:<session name>
  std::string arn;              // arn:aws:sts::<acct>:assumed-role/<role>/<session>
};

struct AssumeRoleInput {
  std::string role_arn;
  std::string role_session_name;
  std::vector<PolicyDescriptorType> policy_arns;
  std::optional<std::string> policy;
  std::optional<int32_t> duration_seconds;
  std::vector<Tag> tags;
  std::vector<std::string> transitive_tag_keys;
  std::optional<std::string> external_id;
  std::optional<std::string> serial_number;
  std::optional<std::string> token_code;
  std::optional<std::string> source_identity;
};

struct AssumeRoleOutput {
  Credentials credentials;
  AssumedRoleUser assumed_role_user;
  int32_t packed_policy_size = 0;  // Percent of the packed session policy/tag budget used.
  std::optional<std::string> source_identity;
};

struct GetCallerIdentityInput {};

struct GetCallerIdentityOutput {
  std::string user_id;
  std::string account;
  std::string arn;
};

struct DecodeAuthorizationMessageInput {
  std::string encoded_message;
};

struct DecodeAuthorizationMessageOutput {
  std::string decoded_message;  // JSON text.
};

}  // namespace ibsim::mock_aws::api::sts
