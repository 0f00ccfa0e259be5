#pragma once
// Shape checks for IAM and STS members (botocore iam/sts models): names ([\w+=,.@-]+), paths,
// lengths, ranges and tags. A failure is a ValidationError in AWS's generic form, naming the
// member in lowerCamelCase: "1 validation error detected: Value 'a b' at 'roleName' failed to
// satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+".
// Unconfirmed: IAM may word some of these checks its own way; the code is ValidationError either
// way.
//
//   if (auto s = validate_name("roleName", in.role_name, 64); !s.ok()) return s.error();

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "mock_aws/api/iam_types.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::iam {

struct ShapeLimits {
  static constexpr std::size_t kRoleNameMax = 64;
  static constexpr std::size_t kUserNameMax = 64;
  static constexpr std::size_t kExistingUserNameMax = 128;
  static constexpr std::size_t kPolicyNameMax = 128;
  static constexpr std::size_t kInstanceProfileNameMax = 128;
  static constexpr std::size_t kPathMax = 512;
  static constexpr std::size_t kDescriptionMax = 1000;
  static constexpr std::size_t kPolicyDocumentMax = 131072;
  static constexpr std::size_t kArnMin = 20;
  static constexpr std::size_t kArnMax = 2048;
  static constexpr std::size_t kTagKeyMax = 128;
  static constexpr std::size_t kTagValueMax = 256;
  static constexpr std::size_t kTagsMax = 50;
  static constexpr std::size_t kMarkerMax = 320;
  static constexpr int32_t kMaxItemsMin = 1;
  static constexpr int32_t kMaxItemsMax = 1000;
  static constexpr int32_t kMaxSessionDurationMin = 3600;
  static constexpr int32_t kMaxSessionDurationMax = 43200;
};

// The generic AWS validation error for one member.
sim::AwsError validation_error(std::string_view member,
                               std::string_view value,
                               std::string_view constraint);

// [\w+=,.@-] (\w is ASCII letters, digits and '_').
bool is_name_char(char c);

// 1..max characters of [\w+=,.@-].
sim::Status validate_name(std::string_view member, std::string_view value, std::size_t max);
// "/" or "/" + [\x21-\x7E]+ + "/", at most 512 (IAM pathType).
sim::Status validate_path(std::string_view member, std::string_view value);
// ((/[A-Za-z0-9.,+@=_-]+)*)/ (IAM policyPathType).
sim::Status validate_policy_path(std::string_view member, std::string_view value);
// "/" followed by [\x21-\x7F]* (pathPrefixType).
sim::Status validate_path_prefix(std::string_view member, std::string_view value);
sim::Status validate_length(std::string_view member,
                            std::string_view value,
                            std::size_t min,
                            std::size_t max);
sim::Status validate_range(std::string_view member, int64_t value, int64_t min, int64_t max);
// A policy document as a string shape: 1..131072 characters of tab, newline, CR, ' '..U+00FF.
sim::Status validate_policy_document_text(std::string_view member, std::string_view value);
// At most 50 tags, keys 1..128 and values 0..256 characters of letters, digits, spaces and
// _.:/=+-@ (bytes >= 0x80 are accepted as letters), and no key twice (InvalidInput).
sim::Status validate_tags(std::string_view member, std::span<const api::iam::Tag> tags);

// Characters IAM counts against policy size quotas: everything but whitespace outside strings.
std::size_t policy_quota_chars(std::string_view text);

}  // namespace ibsim::mock_aws::iam
