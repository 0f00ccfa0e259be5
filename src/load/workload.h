#pragma once
// The generated world of a load run, built programmatically through the models' seeds: the owner
// account with a customer managed key per region (alias/ibsim-load) whose policy lets the target
// accounts' distribution roles use it; every target account with
// EC2ImageBuilderDistributionCrossAccountRole (trust in the owner, the AWS managed policy, the
// inline KMS policy) unless the profile misconfigures it; one source AMI per image in the build
// region (encrypted under that region's key for the encrypted share); and per image the
// DistributionPlan Image Builder would hand the engine at DISTRIBUTING, with its start time.
//
//   sim::Result<Workload> w = build_workload(world, profile, regions);
//   for (const ImageRun& image : w->images) schedule(image.start, image.plan);

#include <cstdint>
#include <string>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/imagebuilder_workflow.h"
#include "mock_aws/services/world.h"
#include "sim/base/result.h"
#include "sim/time.h"
#include "src/load/profile.h"

namespace ibsim::load {

// The key alias of the owner's key in every region (fault plans name it: "alias/ibsim-load").
inline constexpr std::string_view kKeyAlias = "alias/ibsim-load";

struct ImageRun {
  uint32_t index = 0;
  uint32_t pipeline = 0;
  sim::Instant start;
  bool encrypted = false;
  mock_aws::api::imagebuilder::DistributionPlan plan;
};

struct Workload {
  api::AccountId owner;
  std::vector<api::AccountId> targets;
  std::vector<api::Region> regions;
  std::vector<std::string> keys;  // The owner's key ARN per region (parallel to regions).
  std::vector<ImageRun> images;   // In start order (index order for equal starts).
  uint32_t encrypted_images = 0;
  uint32_t accounts_missing_role = 0;
  uint32_t accounts_missing_kms_policy = 0;
};

// The world options a profile implies (EC2's cap, request rates, copy-time pairs, snapshot
// content size); `regions` expands "*" in the pair rules.
mock_aws::services::World::Options world_options(const LoadProfile& profile,
                                                 const std::vector<api::Region>& regions);

// Fills `world` (fresh, with world_options) and returns the plans.
sim::Result<Workload> build_workload(mock_aws::services::World& world,
                                     const LoadProfile& profile,
                                     const std::vector<api::Region>& regions);

// Whether image i of n is encrypted for `share` (spread evenly, see LoadProfile).
bool image_encrypted(uint32_t index, sim::Ratio share);

}  // namespace ibsim::load
