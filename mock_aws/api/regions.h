#pragma once
// The commercial regions of partition `aws` and the properties ibsim models for them. The PV list
// comes from EC2's virtualization-types page (aws-facts §3.2): paravirtual AMIs can only be
// copied to these nine regions.
//
//   if (const RegionInfo* r = find_region("eu-west-1"); r && r->supports_paravirtual) ...

#include <span>
#include <string_view>

#include "mock_aws/api/ids.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::api {

inline constexpr std::string_view kPartitionName = "aws";

struct RegionInfo {
  std::string_view name;
  bool supports_paravirtual;
  bool opt_in;  // Regions launched after March 2019 must be enabled per account.
};

std::span<const RegionInfo> all_regions();
const RegionInfo* find_region(std::string_view name);

// An error shaped as EC2 answers for an unknown region name, naming `what`.
sim::Result<Region> parse_region(std::string_view name, std::string_view what = "region");

}  // namespace ibsim::mock_aws::api
