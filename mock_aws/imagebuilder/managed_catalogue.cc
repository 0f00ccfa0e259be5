// The AWS-managed images and components (see the header). Versions are ibsim's choice; names,
// ARN shapes and the `x` resolution follow Image Builder.

#include "mock_aws/imagebuilder/managed_catalogue.h"

#include <array>

namespace ibsim::mock_aws::imagebuilder {
namespace {

constexpr std::string_view kAl2023 = "Amazon Linux 2023 x86 base image.";
constexpr std::string_view kAl2 = "Amazon Linux 2 x86 base image.";
constexpr std::string_view kUbuntu = "Ubuntu Server 22.04 LTS x86 base image.";

// Unconfirmed: version numbers and dates are illustrative, not AWS's current catalogue.
constexpr std::array<ManagedImageInfo, 9> kImages = {{
    {"amazon-linux-2023-x86",
     "2025.1.1",
     kAl2023,
     "Linux",
     "Amazon Linux 2023",
     "x86_64",
     "hvm",
     "ebs",
     "/dev/xvda",
     8,
     "2025-01-15T08:00:00.000Z"},
    {"amazon-linux-2023-x86",
     "2025.6.1",
     kAl2023,
     "Linux",
     "Amazon Linux 2023",
     "x86_64",
     "hvm",
     "ebs",
     "/dev/xvda",
     8,
     "2025-06-12T08:00:00.000Z"},
    {"amazon-linux-2023-x86",
     "2025.11.2",
     kAl2023,
     "Linux",
     "Amazon Linux 2023",
     "x86_64",
     "hvm",
     "ebs",
     "/dev/xvda",
     8,
     "2025-11-20T08:00:00.000Z"},
    {"amazon-linux-2-x86",
     "2024.12.1",
     kAl2,
     "Linux",
     "Amazon Linux 2",
     "x86_64",
     "hvm",
     "ebs",
     "/dev/xvda",
     8,
     "2024-12-10T08:00:00.000Z"},
    {"amazon-linux-2-x86",
     "2025.3.1",
     kAl2,
     "Linux",
     "Amazon Linux 2",
     "x86_64",
     "hvm",
     "ebs",
     "/dev/xvda",
     8,
     "2025-03-18T08:00:00.000Z"},
    {"amazon-linux-2-x86",
     "2025.9.1",
     kAl2,
     "Linux",
     "Amazon Linux 2",
     "x86_64",
     "hvm",
     "ebs",
     "/dev/xvda",
     8,
     "2025-09-09T08:00:00.000Z"},
    {"ubuntu-server-22-lts-x86",
     "2025.2.1",
     kUbuntu,
     "Linux",
     "Ubuntu 22",
     "x86_64",
     "hvm",
     "ebs",
     "/dev/sda1",
     8,
     "2025-02-04T08:00:00.000Z"},
    {"ubuntu-server-22-lts-x86",
     "2025.8.1",
     kUbuntu,
     "Linux",
     "Ubuntu 22",
     "x86_64",
     "hvm",
     "ebs",
     "/dev/sda1",
     8,
     "2025-08-05T08:00:00.000Z"},
    {"ubuntu-server-22-lts-x86",
     "2025.10.1",
     kUbuntu,
     "Linux",
     "Ubuntu 22",
     "x86_64",
     "hvm",
     "ebs",
     "/dev/sda1",
     8,
     "2025-10-07T08:00:00.000Z"},
}};

constexpr std::string_view kUpdateLinuxData =
    "name: update-linux\n"
    "description: Updates Linux with the latest security updates.\n"
    "schemaVersion: 1.0\n"
    "phases:\n"
    "  - name: build\n"
    "    steps:\n"
    "      - name: UpdateOS\n"
    "        action: UpdateOS\n";
constexpr std::string_view kUpdateWindowsData =
    "name: update-windows\n"
    "description: Updates Windows with the latest security updates.\n"
    "schemaVersion: 1.0\n"
    "phases:\n"
    "  - name: build\n"
    "    steps:\n"
    "      - name: UpdateWindows\n"
    "        action: UpdateOS\n";

constexpr std::array<ManagedComponentInfo, 5> kComponents = {{
    {"update-linux",
     "1.0.0",
     "Updates Linux with the latest security updates.",
     "Linux",
     "BUILD",
     "Amazon Linux 2",
     kUpdateLinuxData,
     "2024-06-01T00:00:00.000Z"},
    {"update-linux",
     "1.0.1",
     "Updates Linux with the latest security updates.",
     "Linux",
     "BUILD",
     "Amazon Linux 2",
     kUpdateLinuxData,
     "2025-01-01T00:00:00.000Z"},
    {"update-linux",
     "1.0.2",
     "Updates Linux with the latest security updates.",
     "Linux",
     "BUILD",
     "Amazon Linux 2",
     kUpdateLinuxData,
     "2025-07-01T00:00:00.000Z"},
    {"update-windows",
     "1.0.0",
     "Updates Windows with the latest security updates.",
     "Windows",
     "BUILD",
     "Microsoft Windows Server 2022",
     kUpdateWindowsData,
     "2024-06-01T00:00:00.000Z"},
    {"update-windows",
     "1.0.1",
     "Updates Windows with the latest security updates.",
     "Windows",
     "BUILD",
     "Microsoft Windows Server 2022",
     kUpdateWindowsData,
     "2025-07-01T00:00:00.000Z"},
}};

// FNV-1a, 64 bits: a fixed function of its text, so managed AMI ids never depend on the seed.
uint64_t fnv1a(std::string_view text, uint64_t basis) {
  uint64_t h = basis;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1'099'511'628'211ULL;
  }
  return h;
}

template <typename Info>
const Info* find_latest(std::span<const Info> table,
                        std::string_view name,
                        const VersionFilter& filter) {
  const Info* best = nullptr;
  SemanticVersion best_version;
  for (const Info& info : table) {
    if (info.name != name) {
      continue;
    }
    const std::optional<SemanticVersion> v = parse_semantic_version(info.version);
    if (!v || !filter.matches(*v)) {
      continue;
    }
    if (best == nullptr || *v > best_version) {
      best = &info;
      best_version = *v;
    }
  }
  return best;
}

}  // namespace

std::span<const ManagedImageInfo> managed_images() {
  return kImages;
}

std::span<const ManagedComponentInfo> managed_components() {
  return kComponents;
}

std::string managed_image_ami_id(std::string_view name,
                                 std::string_view version,
                                 const api::Region& region) {
  std::string key(name);
  key += '/';
  key += version;
  key += '/';
  key += region.str();
  constexpr std::string_view kHex = "0123456789abcdef";
  const uint64_t h = fnv1a(key, 14'695'981'039'346'656'037ULL);
  // "ami-0" and 16 hex digits: the 17-digit form, with the leading 0 current AMI ids have.
  std::string id = "ami-0";
  for (int shift = 60; shift >= 0; shift -= 4) {
    id.push_back(kHex[(h >> shift) & 0xF]);
  }
  return id;
}

ManagedImageAmi managed_image_ami(const ManagedImageInfo& info, const api::Region& region) {
  ManagedImageAmi out;
  out.info = &info;
  out.region = region;
  out.ami_id = managed_image_ami_id(info.name, info.version, region);
  out.ami_name = std::string(info.name) + "-" + std::string(info.version);
  out.image_build_version_arn = imagebuilder_arn(
      region, kAwsOwner, "image", std::string(info.name) + "/" + std::string(info.version) + "/1");
  return out;
}

std::vector<ManagedImageAmi> managed_image_amis(const api::Region& region) {
  std::vector<ManagedImageAmi> out;
  out.reserve(kImages.size());
  for (const ManagedImageInfo& info : kImages) {
    out.push_back(managed_image_ami(info, region));
  }
  return out;
}

const ManagedImageInfo* find_managed_image(std::string_view name, const VersionFilter& filter) {
  return find_latest<ManagedImageInfo>(kImages, name, filter);
}

const ManagedComponentInfo* find_managed_component(std::string_view name,
                                                   const VersionFilter& filter) {
  return find_latest<ManagedComponentInfo>(kComponents, name, filter);
}

}  // namespace ibsim::mock_aws::imagebuilder
