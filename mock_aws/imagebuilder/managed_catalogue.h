#pragma once
// The AWS-managed catalogue every region offers: base images (`arn:aws:imagebuilder:<region>:aws:
// image/<name>/<x.y.z>/1`, each backed by a public EC2 AMI owned by `amazon` with a deterministic
// id per region) and build components (`...:aws:component/<name>/<x.y.z>/1`). The composition
// root seeds the same AMIs into the EC2 model (managed_image_amis()), so `describe-images --owners
// amazon` shows what recipes can name as their parent. The ids do not depend on the run's seed.
//
//   for (const ManagedImageAmi& ami : managed_image_amis(region)) seed_public_ami(ami);
//   const ManagedImageInfo* latest = find_managed_image("amazon-linux-2023-x86", filter);

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/imagebuilder/imagebuilder_names.h"

namespace ibsim::mock_aws::imagebuilder {

// The account that owns the public AMIs behind the managed images (alias "amazon").
inline constexpr std::string_view kManagedAmiOwnerAccount = "137112412989";
inline constexpr std::string_view kManagedAmiOwnerAlias = "amazon";

struct ManagedImageInfo {
  std::string_view name;     // "amazon-linux-2023-x86"
  std::string_view version;  // "2025.1.1"
  std::string_view description;
  std::string_view platform;             // "Linux"
  std::string_view os_version;           // "Amazon Linux 2023"
  std::string_view architecture;         // EC2 spelling: "x86_64"
  std::string_view virtualization_type;  // "hvm"
  std::string_view root_device_type;     // "ebs"
  std::string_view root_device_name;     // "/dev/xvda"
  int32_t snapshot_size_gib = 8;
  std::string_view date_created;  // ISO-8601 with milliseconds.
};

// One managed image version as an AMI in one region.
struct ManagedImageAmi {
  const ManagedImageInfo* info = nullptr;
  api::Region region;
  std::string ami_id;    // "ami-" + 17 hex digits, a function of (name, version, region).
  std::string ami_name;  // "amazon-linux-2023-x86-2025.1.1"
  std::string image_build_version_arn;
};

struct ManagedComponentInfo {
  std::string_view name;  // "update-linux"
  std::string_view version;
  std::string_view description;
  std::string_view platform;  // "Linux" | "Windows"
  std::string_view type;      // "BUILD"
  std::string_view supported_os_version;
  std::string_view data;  // The component document (not executed: builds are not simulated).
  std::string_view date_created;
};

std::span<const ManagedImageInfo> managed_images();
std::span<const ManagedComponentInfo> managed_components();

// Every managed image version as an AMI in `region`, in catalogue order.
std::vector<ManagedImageAmi> managed_image_amis(const api::Region& region);
ManagedImageAmi managed_image_ami(const ManagedImageInfo& info, const api::Region& region);
std::string managed_image_ami_id(std::string_view name,
                                 std::string_view version,
                                 const api::Region& region);

// The highest version of `name` that `filter` matches; nullptr if none.
const ManagedImageInfo* find_managed_image(std::string_view name, const VersionFilter& filter);
const ManagedComponentInfo* find_managed_component(std::string_view name,
                                                   const VersionFilter& filter);

}  // namespace ibsim::mock_aws::imagebuilder
