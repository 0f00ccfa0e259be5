#pragma once
// Amazon Resource Names: parse, format and the constructors ibsim needs. An ARN is
// arn:partition:service:region:account:resource, where the resource part may itself contain ':'
// and '/'. EC2 image and snapshot ARNs have an empty account field (the owner is found through
// the image); IAM ARNs have an empty region; managed AWS policies use account "aws".
//
//   Result<Arn> a = parse_arn("arn:aws:iam::111122223333:role/path/Name");
//   a->service == "iam"; a->resource == "role/path/Name"

#include <string>
#include <string_view>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/regions.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::api {

struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;

  std::string str() const;
  // The resource type before the first '/' or ':' ("role", "key", "image"), or the whole
  // resource if it has neither.
  std::string_view resource_type() const;
  // Everything after the last '/' of the resource ("Name" of "role/path/Name").
  std::string_view resource_name() const;

  friend bool operator==(const Arn&, const Arn&) = default;
};

// Splits on the first five ':'. Errors are InvalidParameterValue naming the text.
sim::Result<Arn> parse_arn(std::string_view text);
bool looks_like_arn(std::string_view text);

std::string root_arn(const AccountId& account);
std::string user_arn(const AccountId& account, std::string_view path, std::string_view name);
std::string role_arn(const AccountId& account, std::string_view path, std::string_view name);
// Sessions drop the role's path: arn:aws:sts::ACCT:assumed-role/NAME/SESSION (aws-facts §5.3).
std::string assumed_role_arn(const AccountId& account,
                             std::string_view role_name,
                             std::string_view session_name);
std::string policy_arn(const AccountId& account, std::string_view path, std::string_view name);
std::string aws_managed_policy_arn(std::string_view path, std::string_view name);
std::string instance_profile_arn(const AccountId& account,
                                 std::string_view path,
                                 std::string_view name);
std::string kms_key_arn(const Region& region, const AccountId& account, std::string_view key_id);
std::string kms_alias_arn(const Region& region,
                          const AccountId& account,
                          std::string_view alias_name);
// EC2 images and snapshots: no account in the ARN.
std::string ec2_image_arn(const Region& region, std::string_view image_id);
std::string ec2_snapshot_arn(const Region& region, std::string_view snapshot_id);
std::string ec2_launch_template_arn(const Region& region,
                                    const AccountId& account,
                                    std::string_view launch_template_id);
std::string ec2_instance_arn(const Region& region,
                             const AccountId& account,
                             std::string_view instance_id);

}  // namespace ibsim::mock_aws::api
