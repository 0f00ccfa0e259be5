#pragma once
// The semantic validation of Image Builder inputs, in AWS's error shape: InvalidParameterValue
// "The value supplied for parameter '<path>' is not valid. <detail>", first problem only — the
// same form mock_aws/protocol uses for wire-level checks, which in-process callers bypass. The
// patterns are botocore's own text (ECMAScript regex), so the message shows what AWS shows.
//
//   if (sim::Status s = check_resource_name("name", in.name); !s.ok()) return s.error();

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/imagebuilder_types.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::imagebuilder {

// botocore patterns the model checks (imagebuilder 2019-12-02).
enum class Pattern {
  kResourceName,
  kAmiName,
  kTagKey,
  kAccountId,
  kLaunchTemplateId,
  kOrganizationArn,
  kOrganizationalUnitArn,
  kLicenseConfigurationArn,
  kSsmParameterName,
  kInstanceProfileName,
  kSnsTopicArn,
  kRoleNameOrArn,
  kLogGroupName,
  kTimezone,
  kUserDataOverride,
  kHttpTokens,
};

std::string_view pattern_text(Pattern p);
bool matches(Pattern p, std::string_view value);

// "The value supplied for parameter '<path>' is not valid. <detail>"
sim::AwsError invalid_value(std::string_view path, std::string_view detail);

sim::Status check_required(std::string_view path, std::string_view value);
sim::Status check_length(std::string_view path,
                         std::string_view value,
                         std::size_t min,
                         std::size_t max);
sim::Status check_pattern(std::string_view path, std::string_view value, Pattern p);
sim::Status check_enum(std::string_view path,
                       std::string_view value,
                       std::span<const std::string_view> allowed);
sim::Status check_count(std::string_view path, std::size_t count, std::size_t max);
sim::Status check_int_range(std::string_view path, int64_t value, int64_t min, int64_t max);
// ResourceName: 3..128 characters, letters, digits, '-', '_' and interior spaces.
sim::Status check_resource_name(std::string_view path, std::string_view value);
// NonEmptyString of at most 1024 characters (descriptions and most free text).
sim::Status check_non_empty(std::string_view path, std::string_view value);
// TagMap: at most `max_entries`; keys 1..128 matching kTagKey (no "aws:" prefix); values <= 256.
sim::Status check_tags(std::string_view path,
                       const api::imagebuilder::TagMap& tags,
                       std::size_t max_entries);
sim::Status check_client_token(std::string_view value);
sim::Status check_account_ids(std::string_view path,
                              const std::vector<std::string>& ids,
                              std::size_t max);

struct DistributionLimits {
  std::size_t launch_templates_per_region_max = 5;  // Quota L-D5665818.
};

// Every rule of aws-facts §1.3 for a distributions list of a configuration that lives in
// `source_region`: regions known and unique, at least one output per region, AMI name pattern and
// build-date placeholder, account ids, launch templates (pattern, quota), SSM parameters (an
// amiAccountId must be a target account of that region or the owner), container, S3 export,
// fast launch and license settings, and a distribution for the source region.
sim::Status check_distributions(const std::vector<api::imagebuilder::Distribution>& distributions,
                                const api::Region& source_region,
                                const api::AccountId& owner,
                                const DistributionLimits& limits);

}  // namespace ibsim::mock_aws::imagebuilder
