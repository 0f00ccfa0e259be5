#pragma once
// The preflight of `ibsim check`: given a loaded world, the owner (source) account, the region
// the configuration lives in, a distribution configuration and what is distributed (an image
// recipe, an existing AMI, or neither), it lists every problem the distribution would hit — at
// once, in plan order — without simulating anything. Permissions are asked of the world's own
// authorizer with the keys the models add during a run, so a check and a run agree; the
// configuration and the recipe are validated by the Image Builder model itself.
//
// run_check changes the world it is given (it creates the configuration in it, and the AWS
// managed key alias/aws/ebs where a default key is looked up): give it a world of its own.
//
//   services::World world(ctx);  load_world_file("world.json", world);
//   Report r = run_check(world, {.owner = owner, .source_region = region, .distribution = dc});

#include <optional>
#include <string>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/imagebuilder_types.h"
#include "mock_aws/services/world.h"
#include "sim/base/result.h"
#include "src/check/report.h"

namespace ibsim::check {

struct CheckInput {
  mock_aws::api::AccountId owner;
  // The region the configuration (and pipeline) lives in: where the image is built.
  mock_aws::api::Region source_region;
  mock_aws::api::imagebuilder::CreateDistributionConfigurationInput distribution;
  std::vector<sim::AwsError> distribution_findings;  // From decode_distribution_configuration.
  std::string distribution_source = "distribution";  // A file name, for paths in fixes.
  // What is distributed: the AMI built from a recipe, or an AMI of the owner in the source region
  // (as DistributeImage takes it). Neither: a build output assumed unencrypted HVM (unless the
  // owner encrypts EBS by default there).
  std::optional<mock_aws::api::imagebuilder::CreateImageRecipeInput> recipe;
  std::vector<sim::AwsError> recipe_findings;
  std::string recipe_source = "recipe";
  std::string source_image;
};

Report run_check(mock_aws::services::World& world, const CheckInput& input);

// The owner when none is given: the only account of the world that the configuration does not
// name (targets, launch-template and parameter accounts, launch-permission users).
sim::Result<mock_aws::api::AccountId> infer_owner(
    const mock_aws::services::World& world,
    const mock_aws::api::imagebuilder::CreateDistributionConfigurationInput& distribution);

// The source region when none is given: the region of `source_image` among the owner's images,
// else the world's only region.
sim::Result<mock_aws::api::Region> infer_source_region(mock_aws::services::World& world,
                                                       const mock_aws::api::AccountId& owner,
                                                       const std::string& source_image);

}  // namespace ibsim::check
