#pragma once
// Pure text rules of Image Builder, kept apart from the model's state so they can be tested on
// their own: ARNs (the lower-cased resource name, aws-facts §1.5), semantic versions with `x`
// wildcards, the `{{ imagebuilder:buildDate }}` / `{{imagebuilder:buildVersion}}` placeholders of
// AMI names, and the opaque nextToken of List operations.
//
//   arn_resource_name("My Recipe") == "my-recipe"
//   expand_ami_name("app {{ imagebuilder:buildDate }}", 1767225600000, 3)
//       == "app 2026-01-01T00-00-00.000Z"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mock_aws/api/ids.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::imagebuilder {

// The account field of AWS-owned resources (managed images and components).
inline constexpr std::string_view kAwsOwner = "aws";

// The resource-name part of an ARN: lower case, each space turned into '-'; letters, digits,
// '-' and '_' are kept (the ARN patterns allow [a-z0-9-_]).
// Unconfirmed: only the lower-casing is evidenced (aws-facts §8); the space mapping is ibsim's.
std::string arn_resource_name(std::string_view name);

// arn:aws:imagebuilder:<region>:<account>:<type>/<suffix>
std::string imagebuilder_arn(const api::Region& region,
                             std::string_view account,
                             std::string_view type,
                             std::string_view suffix);

// An Image Builder ARN split into its parts. `version` may hold `x` wildcards; `build` is empty
// for version ARNs.
struct ParsedArn {
  std::string region;
  std::string account;  // 12 digits or "aws".
  std::string type;     // "image", "image-recipe", "component", "distribution-configuration", ...
  std::string name;     // As in the ARN (lower case).
  std::string version;  // "1.0.0", "x.x.x", or empty for unversioned resources.
  std::string build;    // "3", or empty.
};

// Nullopt when `text` is not an Image Builder ARN of this shape.
std::optional<ParsedArn> parse_imagebuilder_arn(std::string_view text);

// A concrete semantic version major.minor.patch (each 0..kVersionNodeMax).
struct SemanticVersion {
  int64_t major = 0;
  int64_t minor = 0;
  int64_t patch = 0;

  std::string str() const;
  auto operator<=>(const SemanticVersion&) const = default;
};

// Each node of a semantic version is at most 2^30 - 1 (Image Builder user guide, "Semantic
// versioning").
inline constexpr int64_t kVersionNodeMax = 1'073'741'823;

std::optional<SemanticVersion> parse_semantic_version(std::string_view text);

// A version filter: nullopt nodes are `x`. Once a node is `x`, every node to its right must be
// `x` too ("1.x.x" yes, "1.x.3" no).
struct VersionFilter {
  std::optional<int64_t> major;
  std::optional<int64_t> minor;
  std::optional<int64_t> patch;

  bool matches(const SemanticVersion& v) const;

  bool is_exact() const { return major && minor && patch; }
};

std::optional<VersionFilter> parse_version_filter(std::string_view text);

// ---- AMI name placeholders ----

// True when `name` holds the build-date placeholder in either spelling:
// `{{imagebuilder:buildDate}}` or with blanks inside the braces, `{{ imagebuilder:buildDate }}`.
bool contains_build_date_placeholder(std::string_view name);

// The build date as it replaces the placeholder: ISO-8601 UTC with milliseconds, with the `:`
// that EC2 AMI names do not allow turned into '-': "2026-01-01T00-00-00.000Z".
// Unconfirmed: the exact layout (aws-facts §8); this one is valid in EC2 AMI names.
std::string build_date_text(int64_t unix_ms);

// Replaces every `{{ imagebuilder:buildDate }}` and `{{ imagebuilder:buildVersion }}` (either
// spelling). buildVersion becomes the build number of the image ("3").
// Unconfirmed: whether buildVersion is the build number alone or "x.y.z/n" (aws-facts §8).
std::string expand_ami_name(std::string_view name, int64_t build_unix_ms, int64_t build_number);

// ---- Pagination ----

// nextToken for a List operation: an opaque, deterministic encoding of the last key returned
// (the next page starts after it), bound to the operation so one list's token is rejected by
// another.
std::string encode_page_token(std::string_view operation, std::string_view last_key);
// Nullopt when the token was not produced by encode_page_token for this operation.
std::optional<std::string> decode_page_token(std::string_view operation, std::string_view token);

}  // namespace ibsim::mock_aws::imagebuilder
