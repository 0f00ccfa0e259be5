#include "mock_aws/api/regions.h"

#include <array>
#include <string>

namespace ibsim::mock_aws::api {
namespace {

// Sorted by name. Source: botocore endpoints.json (partition aws) for the names; EC2 user guide,
// "Linux AMI virtualization types", for PV support (aws-facts §3.2); AWS General Reference for
// opt-in regions.
// Unconfirmed: the PV list is from an older EC2 guide revision; newer regions are assumed HVM-only.
constexpr std::array<RegionInfo, 34> kRegions = {{
    {"af-south-1", false, true},      {"ap-east-1", false, true},
    {"ap-east-2", false, true},       {"ap-northeast-1", true, false},
    {"ap-northeast-2", false, false}, {"ap-northeast-3", false, false},
    {"ap-south-1", false, false},     {"ap-south-2", false, true},
    {"ap-southeast-1", true, false},  {"ap-southeast-2", true, false},
    {"ap-southeast-3", false, true},  {"ap-southeast-4", false, true},
    {"ap-southeast-5", false, true},  {"ap-southeast-6", false, true},
    {"ap-southeast-7", false, true},  {"ca-central-1", false, false},
    {"ca-west-1", false, true},       {"eu-central-1", true, false},
    {"eu-central-2", false, true},    {"eu-north-1", false, false},
    {"eu-south-1", false, true},      {"eu-south-2", false, true},
    {"eu-west-1", true, false},       {"eu-west-2", false, false},
    {"eu-west-3", false, false},      {"il-central-1", false, true},
    {"me-central-1", false, true},    {"me-south-1", false, true},
    {"mx-central-1", false, true},    {"sa-east-1", true, false},
    {"us-east-1", true, false},       {"us-east-2", false, false},
    {"us-west-1", true, false},       {"us-west-2", true, false},
}};

}  // namespace

std::span<const RegionInfo> all_regions() {
  return kRegions;
}

const RegionInfo* find_region(std::string_view name) {
  for (const RegionInfo& r : kRegions) {
    if (r.name == name) {
      return &r;
    }
  }
  return nullptr;
}

sim::Result<Region> parse_region(std::string_view name, std::string_view what) {
  if (find_region(name) == nullptr) {
    return sim::aws_error("InvalidParameterValue",
                          "Invalid " + std::string(what) + ": '" + std::string(name)
                              + "' is not a region of partition aws");
  }
  return Region::from_known(name);
}

}  // namespace ibsim::mock_aws::api
