#pragma once
// Typed inputs and outputs of the SSM Parameter Store operations ibsim models (API 2014-11-06):
// PutParameter, GetParameter, GetParameters and DeleteParameter — enough for Image Builder's
// ssmParameterConfigurations and `ssm:` parent images. Members are botocore's in snake_case
// (`DataType` -> `data_type`, `ARN` -> `arn`); timestamps are Unix milliseconds (epoch seconds
// with a fraction on the JSON 1.1 wire); optional members are std::optional, lists empty when
// absent.
//
//   api::ssm::PutParameterInput in{.name = "/golden/ami", .value = "ami-0123456789abcdef0",
//                                  .type = "String", .data_type = "aws:ec2:image"};

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ibsim::mock_aws::api::ssm {

inline constexpr std::string_view kParameterTypeString = "String";
inline constexpr std::string_view kParameterTypeStringList = "StringList";
inline constexpr std::string_view kParameterTypeSecureString = "SecureString";
inline constexpr std::string_view kDataTypeText = "text";
inline constexpr std::string_view kDataTypeEc2Image = "aws:ec2:image";
inline constexpr std::string_view kDataTypeSsmIntegration = "aws:ssm:integration";
inline constexpr std::string_view kTierStandard = "Standard";
inline constexpr std::string_view kTierAdvanced = "Advanced";
inline constexpr std::string_view kTierIntelligentTiering = "Intelligent-Tiering";

struct Tag {
  std::string key;
  std::string value;

  friend bool operator==(const Tag&, const Tag&) = default;
};

struct Parameter {
  std::optional<std::string> name;
  std::optional<std::string> type;
  std::optional<std::string> value;
  std::optional<int64_t> version;
  std::optional<std::string> selector;  // ":3" when the request named a version.
  std::optional<std::string> source_result;
  std::optional<int64_t> last_modified_date;  // Unix milliseconds.
  std::optional<std::string> arn;
  std::optional<std::string> data_type;

  friend bool operator==(const Parameter&, const Parameter&) = default;
};

struct PutParameterInput {
  std::string name;
  std::string value;
  std::optional<std::string> description;
  std::optional<std::string> type;  // Required when the parameter is created.
  std::optional<std::string> key_id;
  std::optional<bool> overwrite;
  std::optional<std::string> allowed_pattern;
  std::vector<Tag> tags;
  std::optional<std::string> tier;
  std::optional<std::string> policies;
  std::optional<std::string> data_type;  // text (default) | aws:ec2:image | aws:ssm:integration
};

struct PutParameterOutput {
  int64_t version = 0;
  std::optional<std::string> tier;
};

struct GetParameterInput {
  std::string name;  // Name or ARN, optionally with a ":<version>" selector.
  std::optional<bool> with_decryption;
};

struct GetParameterOutput {
  Parameter parameter;
};

struct GetParametersInput {
  std::vector<std::string> names;  // 1..10
  std::optional<bool> with_decryption;
};

struct GetParametersOutput {
  std::vector<Parameter> parameters;
  std::vector<std::string> invalid_parameters;
};

struct DeleteParameterInput {
  std::string name;
};

struct DeleteParameterOutput {};

}  // namespace ibsim::mock_aws::api::ssm
