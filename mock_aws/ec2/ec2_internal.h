#pragma once
// Helpers shared by the EC2 model's source files (not part of the module's interface): AWS's
// message texts, parameter checks, tag and filter handling, pagination tokens, request
// fingerprints for ClientToken idempotency, and the encoded authorization failure message.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/ec2_types.h"
#include "mock_aws/auth/authorization_message.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/ec2/ec2_errors.h"
#include "mock_aws/ec2/ec2_ids.h"
#include "mock_aws/ec2/ec2_records.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::ec2::internal {

// ---- Limits named once ----
inline constexpr std::size_t kImageNameMinChars = 3;
inline constexpr std::size_t kImageNameMaxChars = 128;
inline constexpr std::size_t kDescriptionMaxChars = 255;
inline constexpr std::size_t kClientTokenMaxChars = 128;
inline constexpr std::size_t kTagKeyMaxChars = 128;
inline constexpr std::size_t kTagValueMaxChars = 256;
inline constexpr std::size_t kLaunchTemplateNameMinChars = 3;
inline constexpr std::size_t kLaunchTemplateNameMaxChars = 128;
inline constexpr int32_t kVolumeSizeMinGib = 1;
inline constexpr int32_t kVolumeSizeMaxGib = 65536;
inline constexpr int32_t kDescribeMaxResultsMax = 1000;
inline constexpr int32_t kDescribeImagesMaxResultsMin = 5;
inline constexpr int32_t kLaunchTemplatesMaxResultsMax = 200;
inline constexpr int32_t kRunInstancesCountMax = 100;  // Per call, ibsim's bound.
inline constexpr int64_t kTimeBasedCopyMinutesMin = 15;
inline constexpr int64_t kTimeBasedCopyMinutesMax = 2880;
inline constexpr int64_t kTimeBasedCopyMinutesStep = 15;

// ---- Messages ----
std::string image_not_found_message(std::string_view image_id);
sim::AwsError image_not_found(std::string_view image_id);
sim::AwsError malformed_id(IdKind kind, std::string_view text);
sim::AwsError snapshot_not_found(std::string_view snapshot_id);
sim::AwsError missing_parameter(std::string_view name);
// "Value (<value>) for parameter <name> is invalid. <why>"
sim::AwsError invalid_value(std::string_view name, std::string_view value, std::string_view why);
sim::AwsError dry_run_success();
sim::AwsError not_owner(std::string_view resource_id);  // AuthFailure for another's resource

inline bool is_set(const std::optional<bool>& flag) {
  return flag.has_value() && *flag;
}

// AMI names: 3-128 characters of letters, digits, ( ) [ ] . / - ' @ _ and spaces.
sim::Status validate_image_name(std::string_view name);
sim::Status validate_description(const std::optional<std::string>& description);
sim::Status validate_client_token(const std::optional<std::string>& token);

// ---- Tags ----
// Keys 1-128 characters, not starting with "aws:"; values up to 256 characters.
sim::Status validate_tags(const std::vector<api::ec2::Tag>& tags);
std::vector<api::ec2::Tag> to_tag_list(const TagMap& tags);
// The tags a TagSpecifications list gives resources of `resource_type`; a specification naming a
// type outside `allowed` is InvalidParameterValue.
sim::Result<TagMap> tags_for(const std::vector<api::ec2::TagSpecification>& specs,
                             std::string_view resource_type,
                             std::initializer_list<std::string_view> allowed);
// aws:RequestTag/<k> per tag and aws:TagKeys, appended to `keys`.
void add_request_tag_keys(const TagMap& tags, std::vector<auth::ContextValue>& keys);
// aws:ResourceTag/<k> and ec2:ResourceTag/<k> per tag, appended to `keys`.
void add_resource_tag_keys(const TagMap& tags, std::vector<auth::ContextValue>& keys);

// ---- Filters ----
// EC2 filter values: `*` any run, `?` one character, `\` escapes the next character.
bool glob_match(std::string_view pattern, std::string_view text);
bool any_value_matches(const api::ec2::Filter& filter, std::string_view value);
// tag:<key>, tag-key and tag-value against a resource's tags; nullopt if `filter` is not a tag
// filter.
std::optional<bool> match_tag_filter(const api::ec2::Filter& filter, const TagMap& tags);
sim::AwsError unknown_filter(std::string_view name);

// ---- Pagination: opaque tokens that carry the next offset ----
struct Page {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::optional<std::string> next_token;
};

sim::Result<Page> paginate(std::size_t total,
                           const std::optional<int32_t>& max_results,
                           const std::optional<std::string>& next_token,
                           int32_t max_results_min,
                           int32_t max_results_max);

// ---- Idempotency ----
// FNV-1a over length-prefixed parts: equal requests, equal fingerprints.
class Fingerprint {
 public:
  Fingerprint& add(std::string_view part);

  Fingerprint& add(const std::string& part) { return add(std::string_view(part)); }

  Fingerprint& add(const std::optional<std::string>& part);
  Fingerprint& add(const std::optional<bool>& part);
  Fingerprint& add(int64_t part);

  uint64_t value() const { return hash_; }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// ---- UnauthorizedOperation ----
// "You are not authorized to perform this operation." and, for mutating calls,
// " Encoded authorization failure message: <blob>": the authorizer's explanation (or, when it
// gives none, a document with the request context) sealed by `messages`, which STS
// DecodeAuthorizationMessage opens again.
sim::AwsError unauthorized(const api::CallContext& ctx,
                           const auth::AuthzRequest& request,
                           const auth::AuthzResult& result,
                           bool mutating,
                           const auth::AuthorizationMessages& messages);

// The JSON an encoded message carries when the authorizer gave no explanation.
std::string fallback_explanation(const api::CallContext& ctx,
                                 const auth::AuthzRequest& request,
                                 const auth::AuthzResult& result);

// ---- Text ----
std::string json_escape(std::string_view text);
std::string_view bool_text(bool value);  // "true" / "false"

}  // namespace ibsim::mock_aws::ec2::internal
