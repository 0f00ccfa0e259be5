#include "mock_aws/api/arn.h"

namespace ibsim::mock_aws::api {
namespace {

std::string join(std::string_view partition,
                 std::string_view service,
                 std::string_view region,
                 std::string_view account,
                 std::string_view resource) {
  std::string out;
  out.reserve(8 + partition.size() + service.size() + region.size() + account.size()
              + resource.size());
  out.append("arn:").append(partition).append(":").append(service).append(":");
  out.append(region).append(":").append(account).append(":").append(resource);
  return out;
}

// IAM paths are "/" or "/a/b/"; a missing path is "/".
std::string_view normal_path(std::string_view path) {
  return path.empty() ? "/" : path;
}

}  // namespace

std::string Arn::str() const {
  return join(partition, service, region, account, resource);
}

std::string_view Arn::resource_type() const {
  const std::string_view r = resource;
  const auto cut = r.find_first_of("/:");
  return cut == std::string_view::npos ? r : r.substr(0, cut);
}

std::string_view Arn::resource_name() const {
  const std::string_view r = resource;
  const auto cut = r.rfind('/');
  return cut == std::string_view::npos ? r : r.substr(cut + 1);
}

sim::Result<Arn> parse_arn(std::string_view text) {
  auto invalid = [&] {
    return sim::aws_error("InvalidParameterValue",
                          "Invalid ARN '" + std::string(text)
                              + "': expected arn:partition:service:region:account:resource");
  };
  if (!text.starts_with("arn:")) {
    return invalid();
  }
  std::string_view rest = text.substr(4);
  std::string_view parts[4];
  for (auto& part : parts) {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) {
      return invalid();
    }
    part = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  }
  if (parts[0].empty() || parts[1].empty() || rest.empty()) {
    return invalid();
  }
  return Arn{std::string(parts[0]),
             std::string(parts[1]),
             std::string(parts[2]),
             std::string(parts[3]),
             std::string(rest)};
}

bool looks_like_arn(std::string_view text) {
  return parse_arn(text).ok();
}

std::string root_arn(const AccountId& account) {
  return join(kPartitionName, "iam", "", account.str(), "root");
}

std::string user_arn(const AccountId& account, std::string_view path, std::string_view name) {
  return join(kPartitionName,
              "iam",
              "",
              account.str(),
              std::string("user") + std::string(normal_path(path)) + std::string(name));
}

std::string role_arn(const AccountId& account, std::string_view path, std::string_view name) {
  return join(kPartitionName,
              "iam",
              "",
              account.str(),
              std::string("role") + std::string(normal_path(path)) + std::string(name));
}

std::string assumed_role_arn(const AccountId& account,
                             std::string_view role_name,
                             std::string_view session_name) {
  return join(kPartitionName,
              "sts",
              "",
              account.str(),
              "assumed-role/" + std::string(role_name) + "/" + std::string(session_name));
}

std::string policy_arn(const AccountId& account, std::string_view path, std::string_view name) {
  return join(kPartitionName,
              "iam",
              "",
              account.str(),
              std::string("policy") + std::string(normal_path(path)) + std::string(name));
}

std::string aws_managed_policy_arn(std::string_view path, std::string_view name) {
  return join(kPartitionName,
              "iam",
              "",
              "aws",
              std::string("policy") + std::string(normal_path(path)) + std::string(name));
}

std::string instance_profile_arn(const AccountId& account,
                                 std::string_view path,
                                 std::string_view name) {
  return join(kPartitionName,
              "iam",
              "",
              account.str(),
              std::string("instance-profile") + std::string(normal_path(path)) + std::string(name));
}

std::string kms_key_arn(const Region& region, const AccountId& account, std::string_view key_id) {
  return join(kPartitionName, "kms", region.str(), account.str(), "key/" + std::string(key_id));
}

std::string kms_alias_arn(const Region& region,
                          const AccountId& account,
                          std::string_view alias_name) {
  // alias_name includes its "alias/" prefix, as KMS reports it.
  return join(kPartitionName, "kms", region.str(), account.str(), alias_name);
}

std::string ec2_image_arn(const Region& region, std::string_view image_id) {
  return join(kPartitionName, "ec2", region.str(), "", "image/" + std::string(image_id));
}

std::string ec2_snapshot_arn(const Region& region, std::string_view snapshot_id) {
  return join(kPartitionName, "ec2", region.str(), "", "snapshot/" + std::string(snapshot_id));
}

std::string ec2_launch_template_arn(const Region& region,
                                    const AccountId& account,
                                    std::string_view launch_template_id) {
  return join(kPartitionName,
              "ec2",
              region.str(),
              account.str(),
              "launch-template/" + std::string(launch_template_id));
}

std::string ec2_instance_arn(const Region& region,
                             const AccountId& account,
                             std::string_view instance_id) {
  return join(
      kPartitionName, "ec2", region.str(), account.str(), "instance/" + std::string(instance_id));
}

}  // namespace ibsim::mock_aws::api
